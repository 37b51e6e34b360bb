"""HTTP plumbing under the routes: pure-ASGI middleware (request context, host check,
deadline, body limit, rate limit, HEAD), the route class, problem documents, and the one
table of path patterns (`paths`) that every middleware reads."""
