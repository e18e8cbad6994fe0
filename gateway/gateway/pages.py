"""The patient booking page: / → /book, the page itself and its static assets, under a strict CSP.

No templating and no build step: the files in web/ are read once at app creation. The page names its
assets with a version (?v=...), so an asset asked for by its version may be cached for a year and a
deploy is picked up at once; the page itself is always revalidated.

The script is a set of ES modules: book.js imports the other book-*.js. Their imports are versioned
too ('./book-api.js' is served as './book-api.js?v=...'), and a module's version covers every module it
reaches, not just its own bytes: were it not so, a changed book-api.js would leave book.js's URL as it
was, and a browser holding that book.js for a year would go on importing the old book-api.js.
"""
from __future__ import annotations

import hashlib
import re
from importlib.resources import files
from importlib.resources.abc import Traversable

from flask import Flask, Response, abort, redirect, request

JS = "text/javascript"  # the type browsers require of a module script (and, with nosniff, of any script)
ASSETS = {
    "book.js": JS,  # the entry module; each of the others is imported by it or by another module
    "book-strings.js": JS, "book-state.js": JS, "book-format.js": JS, "book-dom.js": JS,
    "book-messages.js": JS, "book-api.js": JS, "book-slot-list.js": JS, "book-step-visit.js": JS,
    "book-step-time.js": JS, "book-step-details.js": JS, "book-confirmation.js": JS, "book-manage.js": JS,
    "book.css": "text/css", "icon.svg": "image/svg+xml",
}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
# The forms are handled by script; form-action 'none' stops a scriptless submit from putting the
# patient's details into a query string (query strings reach logs).
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The specifier of a static `import ... from '...'`, `export ... from '...'` or `import '...'` at the
# start of a line, as the modules write them. An import list may span lines; no statement it could be
# mistaken for gets past a quote, semicolon, parenthesis or = before its "from".
IMPORT = re.compile(r"""^((?:import|export)\b[^'";()=]*?\bfrom\s*|import\s*)(['"])([^'"]*)\2""", re.M)


def _hardened(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def module_imports(name: str, source: str) -> list[str]:
    """The assets a module imports. Only './<allow-listed name>' may be imported: anything else would
    404, or (an absolute or remote URL) escape the versioning; better to refuse to start."""
    imported = []
    for _, _, specifier in IMPORT.findall(source):
        target = specifier.removeprefix("./")
        if not specifier.startswith("./") or ASSETS.get(target) != JS:
            raise ValueError(f"web/{name} imports {specifier!r}: only './<module>' of pages.ASSETS")
        imported.append(target)
    return imported


def _reach(graph: dict[str, list[str]], name: str) -> list[str]:
    """name and every asset it imports, directly or not (cycles are harmless here)."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(graph[current])
    return sorted(seen)


def _version(raw: dict[str, bytes], names: list[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(f"{name}\0{len(raw[name])}\0".encode())
        digest.update(raw[name])
    return digest.hexdigest()[:16]


def _pin(source: str, versions: dict[str, str]) -> str:
    return IMPORT.sub(lambda m: f"{m[1]}{m[2]}{m[3]}?v={versions[m[3].removeprefix('./')]}{m[2]}", source)


def load(web: Traversable | None = None) -> tuple[bytes, dict[str, tuple[bytes, str]]]:
    """The page with each asset reference pinned to its version, and name → (body, version)."""
    web = web or files("gateway").joinpath("web")
    raw = {name: web.joinpath(name).read_bytes() for name in ASSETS}
    graph = {name: module_imports(name, raw[name].decode("utf-8")) if kind == JS else []
             for name, kind in ASSETS.items()}
    versions = {name: _version(raw, _reach(graph, name)) for name in ASSETS}
    assets = {}
    for name, kind in ASSETS.items():
        # A module's served bytes depend only on the modules it reaches, so its version covers them.
        body = _pin(raw[name].decode("utf-8"), versions).encode("utf-8") if kind == JS else raw[name]
        assets[name] = (body, versions[name])
    page = web.joinpath("book.html").read_text("utf-8")
    for name, version in versions.items():
        page = page.replace(f'"/book/{name}"', f'"/book/{name}?v={version}"')
    return page.encode("utf-8"), assets


def register_pages(app: Flask) -> None:
    page, assets = load()
    page_etag = hashlib.sha256(page).hexdigest()[:16]

    def root():
        return redirect("/book", code=302)

    def book():
        response = Response(page, mimetype="text/html")
        response.set_etag(page_etag)
        response.headers["Cache-Control"] = REVALIDATE
        return _hardened(response.make_conditional(request))

    def asset(name: str):
        if name not in assets:
            abort(404)
        body, version = assets[name]
        response = Response(body, mimetype=ASSETS[name])  # text/* gets "; charset=utf-8" from Flask
        response.set_etag(version)
        response.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == version else REVALIDATE
        return _hardened(response.make_conditional(request))

    app.add_url_rule("/", "root", root, methods=["GET"])
    app.add_url_rule("/book", "book", book, methods=["GET"])
    app.add_url_rule("/book/<name>", "book_asset", asset, methods=["GET"])
