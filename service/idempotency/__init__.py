"""Safe retries of `POST` requests: the `Idempotency-Key` header and its stored outcomes."""
