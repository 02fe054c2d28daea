"""Compiled execution plans: each query document worked out once, then run without
graphql-core's per-field machinery, with the same answers (docs/execution-plans.md)."""
