"""The edge: everything that knows a back end's API exists.

Its public modules, each with its own `__all__`:

    model       the back-end-neutral customer model (Customer, CustomerPatch, Backend, ...)
    base        the CustomerAdapter every back end implements, and its Capability enum
    errors      the upstream error tree (drawn in its docstring)
    locks       per-record write locks (ProcessLocks, HostLocks)
    dates       the back ends' date forms read into `datetime.date`
    upstream    one exchange with a back end (Upstream, Policy, Credentials, Observer)
    spec        BackendSpec: what the gateway needs to configure and build a back end
    registry    BACKENDS, the spec of every back end the gateway serves
    clubmed  carecloud  relay      one package per back end: adapter, client, settings, SPEC

Nothing is re-exported here: importing any of those modules runs this file, and the
sandboxes import `adapters.model` (for `Backend`) and must load nothing else of the edge.
"""

__all__: list[str] = []
