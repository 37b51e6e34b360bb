"""Passkeys (WebAuthn credentials): stored credentials, ceremony challenges, verification."""
