"""The Swagger UI and CORS in a real headless Chromium (Debian's `chromium`, driven through
the DevTools protocol by cdp.py): the page loads under its strict Content-Security-Policy,
lists every operation of the example, "Try it out" gets the real answers, "Authorize" runs
the example's OAuth 2 authorization-code flow with PKCE (popup, oauth2-redirect.html, token
endpoint) and makes a protected call succeed; a page of another origin (another loopback
port) calls the API through a CORS preflight, and one of a third origin is refused.
A screenshot of the UI is written to $OA_BUILD_DIR/test-artifacts/swagger-ui.png."""
import base64
import http.server
import json
import os
import threading
import urllib.parse
import urllib.request

import pytest
import yaml

from cdp import Browser
from httpd import BUILD_DIR, SRC_DIR, free_port
from test_devex import start as start_with_ui

ARTIFACTS = os.path.join(BUILD_DIR, "test-artifacts")

CONFIG = """
<Location /v1>
    OpenAPISpec examples/petstore/petstore.yaml
    OpenAPIPlugin petstore plugins/petstore.so
    OpenAPIPlugin auth plugins/oauth.so
    OpenAPISwaggerUIDir swagger-ui
    OpenAPISwaggerUIOption deepLinking true
    OpenAPISwaggerUIOption persistAuthorization true
    OpenAPISwaggerUIOption displayOperationId true
    OpenAPISwaggerUIOAuth clientId spa-app
    OpenAPISwaggerUIOAuth usePkceWithAuthorizationCodeGrant true
    OpenAPICORS {origins}
</Location>
"""


@pytest.fixture
def browser():
    b = Browser()
    yield b
    b.close()


def start_api(httpd, origins):
    return start_with_ui(httpd, config=CONFIG.format(origins=" ".join(origins)))


def operation_ids():
    with open(os.path.join(SRC_DIR, "examples/petstore/petstore.yaml")) as f:
        spec = yaml.safe_load(f)
    return sorted(op["operationId"] for item in spec["paths"].values()
                  for method, op in item.items() if isinstance(op, dict) and "operationId" in op)


def opblock(path, method):
    return ("[...document.querySelectorAll('.opblock')].find(b => "
            "b.querySelector('.opblock-summary-path')?.getAttribute('data-path') === '%s' && "
            "b.classList.contains('opblock-%s'))" % (path, method))


def try_it_out(page, path, method):
    """Expands the operation, presses Try it out and Execute; returns (status, body)."""
    block = opblock(path, method)
    for attempt in range(5):  # the page may still be rendering: a click can be lost
        if page.evaluate("(%s).classList.contains('is-open')" % block):
            break
        assert page.click("(%s).querySelector('.opblock-summary-control')" % block)
        try:
            page.wait_for("(%s).classList.contains('is-open')" % block, seconds=3)
        except TimeoutError:
            continue
    page.wait_for("!!(%s)?.querySelector('.try-out__btn')" % block, what="Try it out")
    if page.evaluate("(%s).querySelector('.try-out__btn').textContent.trim()" % block) \
            == "Try it out":
        page.click("(%s).querySelector('.try-out__btn')" % block)
    page.wait_for("!!(%s).querySelector('.btn.execute')" % block, what="Execute")
    if page.evaluate("!!(%s).querySelector('.btn-clear')" % block):  # an earlier answer
        page.click("(%s).querySelector('.btn-clear')" % block)
        page.wait_for("!(%s).querySelector('.live-responses-table')" % block, what="Clear")
    page.click("(%s).querySelector('.btn.execute')" % block)
    status = page.wait_for(
        "(%s).querySelector('.live-responses-table tbody .response-col_status')?.textContent.trim()"
        % block, what="the live response")
    body = page.evaluate("(%s).querySelector('.live-responses-table .microlight, "
                         ".live-responses-table pre')?.textContent" % block)
    return status, body


def authorize(page):
    """Authorize: the authorizationCode flow of the scheme, for pets:read, as spa-app."""
    page.click("document.querySelector('.auth-wrapper .authorize')")
    section = ("[...document.querySelectorAll('.modal-ux .auth-container')].find(c => "
               "/authorizationCode|Authorization Code/i.test(c.textContent))")
    page.wait_for("!!(%s)" % section, what="the authorization dialog")
    assert page.evaluate("(%s).querySelector('input[data-name=clientId]')?.value" % section) == "spa-app"
    checkbox = ("[...(%s).querySelectorAll('input[type=checkbox]')].find(i => "
                "i.dataset.value === 'pets:read')" % section)
    if not page.evaluate("(%s).checked" % checkbox):
        page.click(checkbox)
    page.click("(%s).querySelector('button.authorize')" % section)
    page.wait_for("[...(%s).querySelectorAll('button')].some(b => b.textContent.trim() === "
                  "'Logout')" % section, what="the authorization to complete")
    page.click("document.querySelector('.modal-ux .btn-done, .modal-ux button.close-modal')")


def test_swagger_ui_try_it_out_and_authorize(httpd, browser):
    server = start_api(httpd, ["http://127.0.0.1:1"])
    base = "http://127.0.0.1:%d/v1" % server.port
    page = browser.page(base + "/ui/")
    page.wait_for("document.querySelectorAll('.opblock').length > 0", what="the operations")
    # every operation, by the operation ids the UI shows (displayOperationId)
    shown = page.evaluate("[...document.querySelectorAll('.opblock-summary-operation-id')]"
                          ".map(e => e.textContent.trim()).sort()")
    assert shown == operation_ids()
    # a GET through "Try it out": the real answer, a 401 without a token
    status, body = try_it_out(page, "/pets", "get")
    assert status.split()[0] == "401", body  # "Undocumented": the spec declares no 401
    authorize(page)
    status, body = try_it_out(page, "/pets", "get")
    assert status.split()[0] == "200", body
    assert isinstance(json.loads(body), list)
    status, body = try_it_out(page, "/me", "get")
    assert status.split()[0] == "200", body
    assert json.loads(body)["sub"] == "demo-user"
    assert server.access_log(wait_for="POST /v1/oauth/token")
    os.makedirs(ARTIFACTS, exist_ok=True)
    shot = os.path.join(ARTIFACTS, "swagger-ui.png")
    page.screenshot(shot)
    assert os.path.getsize(shot) > 10000
    # the strict Content-Security-Policy held: nothing was refused, nothing threw
    assert page.console_errors() == []


class _Page(http.server.BaseHTTPRequestHandler):
    html = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.html)

    def log_message(self, *args):
        pass


def serve_page(html):
    handler = type("Handler", (_Page,), {"html": html.encode()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def token(base):
    request = urllib.request.Request(
        base + "/oauth/token", data=b"grant_type=client_credentials&scope=pets%3Aread",
        headers={"Authorization": "Basic " + base64.b64encode(b"demo-app:demo-secret").decode()})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["access_token"]


CALLER = """<!DOCTYPE html><html><body><script>
window.result = null;
fetch(%s, {headers: {"Authorization": "Bearer " + %s}})
  .then(r => r.text().then(t => { window.result = {status: r.status, body: t}; }))
  .catch(e => { window.result = {error: String(e)}; });
</script></body></html>"""


def test_cors_from_a_page_of_another_origin(httpd, browser):
    allowed_port = free_port()
    server = start_api(httpd, ["http://127.0.0.1:%d" % allowed_port])
    base = "http://127.0.0.1:%d/v1" % server.port
    html = CALLER % (json.dumps(base + "/pets"), json.dumps(token(base)))
    allowed = http.server.ThreadingHTTPServer(
        ("127.0.0.1", allowed_port), type("Handler", (_Page,), {"html": html.encode()}))
    threading.Thread(target=allowed.serve_forever, daemon=True).start()
    refused = serve_page(html)
    try:
        page = browser.page("http://127.0.0.1:%d/" % allowed_port)
        result = page.wait_for("window.result", what="the cross-origin call")
        assert result.get("status") == 200, result
        assert isinstance(json.loads(result["body"]), list)
        log = server.access_log(wait_for="OPTIONS /v1/pets")
        assert '"OPTIONS /v1/pets HTTP/1.1" 204' in log
        other = browser.page("http://127.0.0.1:%d/" % refused.server_address[1])
        result = other.wait_for("window.result", what="the refused call")
        assert "error" in result, result  # the browser kept the answer from the page
    finally:
        allowed.shutdown()
        refused.shutdown()
