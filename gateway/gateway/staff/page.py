"""The staff app's page and assets: web/staff/staff.html and every .js / .css beside it.

The same hardening as the booking page (pages.py): its CSP, less the import map: this page has no inline
script at all, so script-src is 'self' alone. Its modules import each other as './staff-x.js' and are
served with an ETag and no-cache, so a deploy is seen at the next load (a few small files, revalidated).
"""
from __future__ import annotations

import hashlib
from importlib.resources import files
from importlib.resources.abc import Traversable

from flask import Blueprint, Response, abort, request

from gateway.pages import CSP, REVALIDATE

STAFF_CSP = CSP.format(import_map="").replace(" ;", ";")  # script-src 'self' alone: not even a map is inline
TYPES = {".js": "text/javascript", ".css": "text/css"}


def load_assets(web: Traversable | None = None) -> tuple[bytes, dict[str, tuple[bytes, str]]]:
    web = web or files("gateway").joinpath("web", "staff")
    page = web.joinpath("staff.html").read_bytes()
    assets = {}
    for entry in web.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if suffix in TYPES:
            assets[entry.name] = (entry.read_bytes(), TYPES[suffix])
    return page, assets


def hardened(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = STAFF_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def register_page(bp: Blueprint) -> None:
    page, assets = load_assets()

    def served(body: bytes, mimetype: str) -> Response:
        response = Response(body, mimetype=mimetype)
        response.set_etag(hashlib.sha256(body).hexdigest()[:16])
        response.headers["Cache-Control"] = REVALIDATE
        return hardened(response.make_conditional(request))

    def staff_page():
        return served(page, "text/html")

    def staff_asset(name: str):
        if name not in assets:
            abort(404)
        return served(*assets[name])

    bp.add_url_rule("/staff", "page", staff_page, methods=["GET"])
    bp.add_url_rule("/staff/", "page_slash", staff_page, methods=["GET"])
    bp.add_url_rule("/staff/<name>", "asset", staff_asset, methods=["GET"])
