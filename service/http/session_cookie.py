"""The refresh cookie of browser sessions: how it is set, renewed and cleared."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response

from service.core.errors import NotFound

# Only the routes that use the cookie receive it: not /auth/token, /users or anything else.
COOKIE_PATH = "/auth/browser"


@dataclass(frozen=True)
class RefreshCookie:
    """The cookie's name, whether it is `Secure`, and how long the browser keeps it."""

    name: str
    secure: bool
    max_age_s: int

    def set(self, response: Response, refresh_token: str) -> None:
        """Hand the browser the refresh token: script cannot read it (HttpOnly), it goes
        only over HTTPS (Secure), never with cross-site subrequests or posts (Lax)."""
        response.set_cookie(
            self.name,
            refresh_token,
            max_age=self.max_age_s,
            path=COOKIE_PATH,
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )

    def clear(self, response: Response) -> None:
        """Tell the browser to drop the cookie (same name, path and attributes)."""
        response.delete_cookie(
            self.name, path=COOKIE_PATH, secure=self.secure, httponly=True, samesite="lax"
        )


class SessionCookiesDisabled(NotFound):
    """Browser sessions are off (`SESSION_COOKIES=false`)."""

    def __init__(self) -> None:
        super().__init__("This service does not offer cookie sessions (SESSION_COOKIES).")
