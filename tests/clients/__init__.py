"""The generated clients, each driven by its own suite against a live service."""
