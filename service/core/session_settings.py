"""Browser-session settings: the opt-in refresh cookie (docs/security.md)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, NoDecode

from service.core.setting_types import Environment


class SessionCookieSettings(BaseSettings):
    """Whether first-party browser front-ends may keep their refresh token in a cookie."""

    # Off: the /auth/browser/* routes answer 404 and no cookie is ever set.
    session_cookies: bool = False
    # Chromium and Firefox keep `Secure` cookies from http://localhost too, so only an
    # older browser on plain-HTTP development needs this off; refused outside development.
    session_cookie_secure: bool = True
    # Declared (and validated) by the full settings; read by the checks below.
    environment: Environment = Environment.DEVELOPMENT
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cookies_stay_safe(self) -> SessionCookieSettings:
        if not self.session_cookie_secure and self.environment is not Environment.DEVELOPMENT:
            raise ValueError("SESSION_COOKIE_SECURE=false is allowed only in development")
        # Credentialed CORS must name its origins; a wildcard would let any site ride it.
        if self.session_cookies and "*" in self.cors_origins:
            raise ValueError("CORS_ORIGINS must list origins, not '*', with SESSION_COOKIES")
        return self

    @property
    def session_cookie_name(self) -> str:
        """The refresh cookie's name; `__Secure-` makes browsers insist on HTTPS for it."""
        return "__Secure-refresh" if self.session_cookie_secure else "refresh"
