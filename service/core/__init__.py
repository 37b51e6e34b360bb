"""The bottom layer: settings, the database client, clock, shared types, base exceptions.

Imports no other package of the service; every other package may import it.
"""
