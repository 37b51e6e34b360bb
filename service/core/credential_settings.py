"""The settings of how credentials are set and kept: password quality, browser sessions."""

from __future__ import annotations

from service.core.password_settings import PasswordSettings
from service.core.session_settings import SessionCookieSettings


class CredentialSettings(PasswordSettings, SessionCookieSettings):
    """Password quality (`PasswordSettings`) and the refresh cookie (`SessionCookieSettings`)."""
