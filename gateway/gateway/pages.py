"""The patient booking page: / → /book, the page itself and its static assets, under a strict CSP.

No templating and no build step: the files in web/ are read once at app creation. The page names its
assets with a version (?v=<hash of the file>), so an asset asked for by its version may be cached for a
year and a deploy is picked up at once; the page itself is always revalidated.

The script is a set of ES modules: book.js imports the other book-*.js as './book-api.js' and so on,
and they are served exactly as written. The page carries an import map (<script type="importmap">)
sending each module's plain URL to its versioned one, so every import, however old the module that
makes it, goes through the current page's map to the current file: a changed book-api.js gets a new
URL in the map while book.js, unchanged, keeps its own and stays cached. The map is the page's one
inline script; the CSP allows it, and nothing else inline, by its sha256 (computed here at start-up).
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from flask import Flask, Response, abort, redirect, request

JS = "text/javascript"  # the type browsers require of a module script (and, with nosniff, of any script)
ASSETS = {
    "book.js": JS,  # the entry module; each of the others is imported by it or by another module
    "book-strings.js": JS, "book-state.js": JS, "book-format.js": JS, "book-dom.js": JS,
    "book-messages.js": JS, "book-api.js": JS, "book-slot-list.js": JS, "book-step-visit.js": JS,
    "book-step-time.js": JS, "book-step-details.js": JS, "book-confirmation.js": JS, "book-manage.js": JS,
    "book-series.js": JS, "book-combined.js": JS,
    # care journeys: holds, the change policy, the waitlist and its offers, and their texts
    "book-strings-journeys.js": JS, "book-hold.js": JS, "book-policy.js": JS, "book-waitlist.js": JS, "book-offer.js": JS,
    # issue 12: requests when nothing fits, the patient's zone, add-to-calendar, and their texts
    "book-strings-more.js": JS, "book-request.js": JS, "book-zones.js": JS, "book-calendar.js": JS, "book-move.js": JS,
    "book.css": "text/css", "icon.svg": "image/svg+xml",
}
CSP = ("default-src 'self'; script-src 'self' {import_map}; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
# The forms are handled by script; form-action 'none' stops a scriptless submit from putting the
# patient's details into a query string (query strings reach logs).
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
IMPORT_MAP_SLOT = '<script type="importmap"></script>'  # where book.html wants the map, written empty
# The specifier of a static `import ... from '...'`, `export ... from '...'` or `import '...'` at the
# start of a line, as the modules write them. Only read, to refuse at start-up an import the map does
# not cover; the modules are served as written.
IMPORT = re.compile(r"""^((?:import|export)\b[^'";()=]*?\bfrom\s*|import\s*)(['"])([^'"]*)\2""", re.M)


@dataclass(frozen=True)
class Site:
    page: bytes  # book.html with its asset URLs versioned and its import map filled in
    assets: dict[str, tuple[bytes, str]]  # name → (body, version)
    csp: str  # the one policy of every response here, the import map's hash included


def module_imports(name: str, source: str) -> list[str]:
    """The assets a module imports. Only './<allow-listed module>' may be imported: the import map
    covers those alone, so anything else would 404, escape the versioning or (a remote URL) be refused
    by the CSP; better to refuse to start."""
    imported = []
    for _, _, specifier in IMPORT.findall(source):
        target = specifier.removeprefix("./")
        if not specifier.startswith("./") or ASSETS.get(target) != JS:
            raise ValueError(f"web/{name} imports {specifier!r}: only './<module>' of pages.ASSETS")
        imported.append(target)
    return imported


def _version(name: str, body: bytes) -> str:
    return hashlib.sha256(f"{name}\0{len(body)}\0".encode() + body).hexdigest()[:16]


def import_map(versions: dict[str, str]) -> str:
    """The map's JSON: each module's URL, as a relative import from /book/ resolves, → its versioned URL."""
    modules = {f"/book/{name}": f"/book/{name}?v={version}"
               for name, version in versions.items() if ASSETS[name] == JS}
    return json.dumps({"imports": modules}, indent=1, sort_keys=True)


def script_hash(text: str) -> str:
    """The CSP source allowing an inline script whose exact text is `text`."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def load(web: Traversable | None = None) -> Site:
    """Read web/ once: the page, the assets with their versions, the CSP."""
    web = web or files("gateway").joinpath("web")
    raw = {name: web.joinpath(name).read_bytes() for name in ASSETS}
    for name, kind in ASSETS.items():
        if kind == JS:
            module_imports(name, raw[name].decode("utf-8"))
    versions = {name: _version(name, body) for name, body in raw.items()}
    page = web.joinpath("book.html").read_text("utf-8")
    if page.count(IMPORT_MAP_SLOT) != 1:
        raise ValueError(f"web/book.html must hold {IMPORT_MAP_SLOT} once, before any module script")
    for name, version in versions.items():
        page = page.replace(f'"/book/{name}"', f'"/book/{name}?v={version}"')
    mapping = import_map(versions)
    page = page.replace(IMPORT_MAP_SLOT, f'<script type="importmap">{mapping}</script>')
    assets = {name: (raw[name], versions[name]) for name in ASSETS}
    return Site(page.encode("utf-8"), assets, CSP.format(import_map=script_hash(mapping)))


def register_pages(app: Flask) -> None:
    site = load()
    page_etag = hashlib.sha256(site.page).hexdigest()[:16]

    def hardened(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = site.csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def root():
        return redirect("/book", code=302)

    def book():
        response = Response(site.page, mimetype="text/html")
        response.set_etag(page_etag)
        response.headers["Cache-Control"] = REVALIDATE
        return hardened(response.make_conditional(request))

    def asset(name: str):
        if name not in site.assets:
            abort(404)
        body, version = site.assets[name]
        response = Response(body, mimetype=ASSETS[name])  # text/* gets "; charset=utf-8" from Flask
        response.set_etag(version)
        response.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == version else REVALIDATE
        return hardened(response.make_conditional(request))

    app.add_url_rule("/", "root", root, methods=["GET"])
    app.add_url_rule("/book", "book", book, methods=["GET"])
    app.add_url_rule("/book/<name>", "book_asset", asset, methods=["GET"])
