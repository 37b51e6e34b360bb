"""The passkey ceremony page: sign in, register a passkey, sign out, sign in with it.

A small first-party page (HTML and one script, no inline code) on this service's own
origin, which must be among `WEBAUTHN_ORIGINS`: the browser signs the page's origin into
every ceremony. Tokens stay in the page's memory and die with it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from service.api.declared_routes import declared
from service.http.routing import ServiceRoute

router = APIRouter(route_class=declared(ServiceRoute), include_in_schema=False)

SCRIPT = (Path(__file__).parent.parent / "static" / "passkeys" / "passkeys.js").read_bytes()
# Only this origin's own script and API; no inline code, no framing, no plugins.
CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; "
    "style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Passkeys - users-service</title>
<script src="/passkeys/passkeys.js" defer></script>
</head>
<body>
<h1>Passkeys</h1>
<p id="status" role="status">Signed out.</p>
<p id="error" role="alert"></p>

<section id="signed-out">
  <h2>Sign in with a password</h2>
  <form id="password-login">
    <label>Username or email <input id="username" name="username" autocomplete="username"></label>
    <label>Password <input id="password" name="password" type="password"
      autocomplete="current-password"></label>
    <button type="submit">Sign in</button>
  </form>
  <h2>Sign in with a passkey</h2>
  <form id="passkey-login">
    <label>Username (optional) <input id="passkey-username" autocomplete="username webauthn">
    </label>
    <button type="submit">Sign in with a passkey</button>
  </form>
</section>

<section id="signed-in" hidden>
  <p>Signed in as <strong id="who"></strong>.</p>
  <h2>Your passkeys</h2>
  <ul id="passkeys"></ul>
  <form id="add-passkey">
    <label>Name <input id="passkey-name" value="This device" maxlength="64"></label>
    <button type="submit">Add a passkey</button>
  </form>
  <button id="logout" type="button">Sign out</button>
</section>
</body>
</html>
"""


@router.get("/passkeys", response_class=HTMLResponse)
async def passkey_page() -> HTMLResponse:
    """The ceremony page."""
    return HTMLResponse(PAGE, headers=SECURITY_HEADERS)


@router.get("/passkeys/passkeys.js")
async def passkey_script() -> Response:
    """The page's script."""
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
    return Response(SCRIPT, media_type="text/javascript", headers=headers)
