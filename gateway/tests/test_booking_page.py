"""The patient booking page: served under a strict CSP, same-origin assets only, and a script that talks
to the public contract's routes alone and never puts patient data into a URL (static checks)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib.resources import files

import pytest

# Every route of the public contract (API.md), as the page would name them under /api/v1.
CONTRACT_ROUTES = {
    "/locations", "/locations/{id}", "/locations/{id}/hours", "/locations/{id}/closures",
    "/locations/{id}/closures/{id}", "/services", "/providers", "/providers/{id}", "/availability",
    "/bookings", "/bookings/{id}", "/bookings/{id}/cancel", "/bookings/{id}/reschedule",
    "/bookings/{id}/confirm", "/bookings/{id}/check-in", "/bookings/{id}/complete", "/bookings/{id}/no-show",
    "/appointment-requests", "/notifications", "/openapi.json",
}
PUBLIC_ROUTES_THE_PAGE_NEEDS = {"/services", "/locations", "/providers", "/availability", "/bookings",
                                "/bookings/{id}", "/bookings/{id}/cancel", "/bookings/{id}/reschedule"}
AVAILABILITY_PARAMS = {"service_id", "location_id", "from", "to", "provider_id", "language", "patient_state"}
PATIENT_WORDS = ("name", "email", "phone", "notes", "patient")


def web_file(name: str) -> str:
    return files("gateway").joinpath("web", name).read_text("utf-8")


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies.append(data)


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def api_paths(js: str) -> set[str]:
    """Every /api/v1 path literal in the script, with ${...} parts as {id} and the query builder cut off."""
    literals = set(re.findall(r"""['"`](/api/v1[^'"`]*)['"`]""", js)) - {"/api/v1/"}  # the helper's guard
    return {re.sub(r"\$\{[^}]*\}", "{id}", literal)[len("/api/v1"):] for literal in literals}


# ---- serving -------------------------------------------------------------------------------------

def test_root_redirects_to_the_booking_page(gateway):
    response = gateway.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/book"


def test_the_page_is_html_under_a_strict_csp(gateway):
    response = gateway.get("/book")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'none'"
    assert "unsafe" not in csp and "http" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Request-ID"]


def test_the_page_has_no_inline_script_style_or_handlers_and_only_same_origin_assets(gateway):
    page = gateway.get("/book").get_data(as_text=True)
    tags = parsed(page)
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    assert scripts and all(attrs.get("src") for attrs in scripts)
    assert not "".join(tags.script_bodies).strip()
    assert not [tag for tag, _ in tags.tags if tag == "style"]
    for tag, attrs in tags.tags:
        assert "style" not in attrs, tag  # style-src 'self' would block it
        assert not [name for name in attrs if name.startswith("on")], tag
        for name in ("src", "href", "action"):
            if attrs.get(name) is not None:
                url = attrs[name]
                assert url.startswith(("/", "#")) and not url.startswith("//"), url
    assert "https://" not in page and "http://" not in page


def test_the_assets_it_references_are_served_with_their_types_and_long_cache(gateway):
    tags = parsed(gateway.get("/book").get_data(as_text=True)).tags
    refs = [attrs["src"] for tag, attrs in tags if tag == "script"]
    refs += [attrs["href"] for tag, attrs in tags if tag == "link"]
    types = {"/book/book.js": "text/javascript", "/book/book.css": "text/css", "/book/icon.svg": "image/svg+xml"}
    assert sorted(ref.split("?")[0] for ref in refs) == sorted(types)
    for ref in refs:
        response = gateway.get(ref)
        assert response.status_code == 200, ref
        assert response.mimetype == types[ref.split("?")[0]]
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["ETag"]


def test_an_asset_asked_for_without_its_current_hash_is_revalidated(gateway):
    response = gateway.get("/book/book.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    again = gateway.get("/book/book.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert gateway.get("/book/book.css?v=stale").headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/book/book.html", "/book/docs.html", "/book/..%2f__init__.py", "/book/nope.js"])
def test_only_the_pages_own_assets_are_served(gateway, path):
    assert gateway.get(path).status_code == 404


def test_the_page_is_revalidated_by_etag(gateway):
    first = gateway.get("/book")
    assert gateway.get("/book", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_every_input_has_a_label_and_there_is_a_live_region():
    tags = parsed(web_file("book.html")).tags
    labelled = {attrs["for"] for tag, attrs in tags if tag == "label" and "for" in attrs}
    inputs = [attrs for tag, attrs in tags if tag in ("input", "select", "textarea")]
    assert inputs
    for attrs in inputs:
        assert attrs.get("id") in labelled, attrs
    assert any(attrs.get("aria-live") == "polite" and attrs.get("role") == "status" for _, attrs in tags)
    assert any(tag == "meta" and attrs.get("name") == "viewport" for tag, attrs in tags)


def test_forms_never_submit_by_get():
    """Without the script, a GET submit would put the patient's details into a query string."""
    forms = [attrs for tag, attrs in parsed(web_file("book.html")).tags if tag == "form"]
    assert forms and all(attrs.get("method") == "post" for attrs in forms)


# ---- the script, statically ----------------------------------------------------------------------

def test_the_script_fetches_only_contract_routes_under_the_relative_api_base():
    js = web_file("book.js")
    paths = api_paths(js)
    assert paths <= CONTRACT_ROUTES, paths - CONTRACT_ROUTES
    assert PUBLIC_ROUTES_THE_PAGE_NEEDS <= paths
    assert js.count("fetch(") == 1  # one helper, which refuses anything outside /api/v1/
    assert "if (!path.startsWith('/api/v1/'))" in js
    assert not re.search(r"https?://|['\"`]//", js)
    assert "XMLHttpRequest" not in js and "sendBeacon" not in js and "WebSocket" not in js


def test_the_only_query_string_is_availabilitys_and_carries_no_patient_data():
    js = web_file("book.js")
    keys = re.search(r"const QUERY_KEYS = \[([^\]]*)\]", js).group(1)
    assert set(re.findall(r"'([^']+)'", keys)) == AVAILABILITY_PARAMS
    assert js.count("URLSearchParams") == 1  # only in query(), which passes QUERY_KEYS and nothing else
    assert not re.search(r"/api/v1[^'\"`]*\?", js)  # no hand-built query strings
    for line in js.splitlines():
        if re.search(r"URLSearchParams|location\.(href|search|hash)\s*=|history\.|[?&]\w+=", line):
            assert not any(word in line.lower() for word in PATIENT_WORDS), line


def test_patient_data_is_never_stored_or_written_as_html():
    js = web_file("book.js")
    for forbidden in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "innerHTML",
                      "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert forbidden not in js, forbidden


def test_bookings_are_posted_with_an_idempotency_key_and_managed_with_the_token_header():
    js = web_file("book.js")
    assert "'Idempotency-Key': state.attempt.key" in js
    assert "crypto.randomUUID()" in js
    assert js.count("'X-Manage-Token': ") >= 2  # reading, and changing (cancel and reschedule)
    assert "/book#manage=${id}.${token}" in js
    assert "window.location.hash" in js  # the manage link is read from the fragment, never the query


def test_the_script_has_english_and_spanish_for_every_key():
    js = web_file("book.js")
    texts = re.search(r"const TEXT = \{\s*en: \{(.*?)\n    \},\s*es: \{(.*?)\n    \},\n  \};", js, re.S)
    key = re.compile(r"^\s*(\w+):|,\s*(\w+):", re.M)
    english, spanish = ({a or b for a, b in key.findall(block)} for block in texts.groups())
    assert english and english == spanish, english ^ spanish
    used = set(re.findall(r"""\bt\('(\w+)'""", js)) | set(re.findall(r'data-i18n="(\w+)"', web_file("book.html")))
    message_lines = [line for line in js.splitlines()
                     if re.search(r"\b(say|formMessage|slotLost|manageUpdated|manageChange)\(|const trouble =", line)]
    used |= {word for line in message_lines for word in re.findall(r"'(\w+)'", line)}  # message keys
    assert {"busy", "unavailable", "slotTaken", "slotGone", "cancelled", "moved"} <= used
    assert used <= english, used - english
