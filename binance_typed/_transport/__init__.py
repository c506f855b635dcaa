"""HTTP transport: a pure request/response core (``_base``) driven by sync and async shells."""
