"""What the three simulators share: generated people, the app that mounts them all, the
`SandboxApp` around each one (error handling, counters, faults, /openapi.json), bearer
tokens and the credential middleware, the slot index, request parameters, and a server for
tests and benchmarks."""
