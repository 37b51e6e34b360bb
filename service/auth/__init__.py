"""Authentication: password hashing now; tokens, login and roles build on it."""
