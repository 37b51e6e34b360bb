"""The auth domain: password hashing, access tokens, refresh-token sessions, login throttling,
one-time account tokens, and the bearer-token `Authenticator` the kernel's identity asks."""
