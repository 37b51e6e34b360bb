"""Two tiny static sites on loopback for the browser-session tests: the first-party front
end (another origin on the same site as the API) and an attacker's page (another site)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The front end keeps the access token in a variable (memory), never in storage; the
# refresh token it never sees: the browser keeps it in the API's HttpOnly cookie.
FRONT_END_PAGE = """<!doctype html><title>front end</title><script>
const API = "%(api)s";
let access = null;
const csrf = {"X-Requested-With": "fetch"};
async function call(path, init) {
  const r = await fetch(API + path, {credentials: "include", ...init});
  let body = null;
  try { body = await r.json(); } catch (e) {}
  return {status: r.status, body};
}
window.login = async (username, password) => {
  const body = new URLSearchParams({username, password});
  const r = await call("/auth/browser/token", {method: "POST", headers: csrf, body});
  if (r.status === 200) access = r.body.access_token;
  return {status: r.status, keys: r.body ? Object.keys(r.body).sort() : []};
};
window.refresh = async () => {
  const r = await call("/auth/browser/refresh", {method: "POST", headers: csrf});
  if (r.status === 200) access = r.body.access_token;
  return r.status;
};
window.me = async () => {
  const r = await call("/users/me", {headers: {Authorization: "Bearer " + access}});
  return {status: r.status, username: r.body && r.body.username};
};
window.logout = async () =>
  (await call("/auth/browser/logout", {method: "POST", headers: csrf})).status;
</script>"""

# A classic CSRF: a form that posts itself to the API as soon as the page loads.
ATTACKER_PAGE = """<!doctype html><title>free prizes</title>
<form id="f" method="post" action="%(api)s%(path)s"><input name="x" value="1"></form>
<script>document.getElementById("f").submit();</script>"""


def _handler(page: str) -> type[BaseHTTPRequestHandler]:
    class PageHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return PageHandler


@contextlib.contextmanager
def static_site(page: str, port: int = 0) -> Iterator[int]:
    """Serve `page` at every path on a loopback port (`port`, else a free one); its port."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(page))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
