"""Passkeys: software and browser authenticators against the service."""
