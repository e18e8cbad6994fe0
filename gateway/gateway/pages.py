"""The patient booking page: / → /book, the page itself and its static assets, under a strict CSP.

No templating and no build step: the files in web/ are read once at app creation. The page names its
assets with a content hash (?v=...), so an asset asked for by that hash may be cached for a year and a
deploy is picked up at once; the page itself is always revalidated.
"""
from __future__ import annotations

import hashlib
from importlib.resources import files

from flask import Flask, Response, abort, redirect, request

ASSETS = {"book.js": "text/javascript", "book.css": "text/css", "icon.svg": "image/svg+xml"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
# The forms are handled by script; form-action 'none' stops a scriptless submit from putting the
# patient's details into a query string (query strings reach logs).
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def _hardened(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _load() -> tuple[bytes, dict[str, tuple[bytes, str]]]:
    """The page with each asset reference pinned to its hash, and name → (body, hash)."""
    web = files("gateway").joinpath("web")
    assets = {}
    page = web.joinpath("book.html").read_text("utf-8")
    for name in ASSETS:
        body = web.joinpath(name).read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:16]
        assets[name] = (body, digest)
        page = page.replace(f'"/book/{name}"', f'"/book/{name}?v={digest}"')
    return page.encode("utf-8"), assets


def register_pages(app: Flask) -> None:
    page, assets = _load()
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
        body, digest = assets[name]
        response = Response(body, mimetype=ASSETS[name])  # text/* gets "; charset=utf-8" from Flask
        response.set_etag(digest)
        response.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == digest else REVALIDATE
        return _hardened(response.make_conditional(request))

    app.add_url_rule("/", "root", root, methods=["GET"])
    app.add_url_rule("/book", "book", book, methods=["GET"])
    app.add_url_rule("/book/<name>", "book_asset", asset, methods=["GET"])
