"""Developer and operator scripts of users-service."""
