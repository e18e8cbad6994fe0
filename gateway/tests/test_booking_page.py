"""The patient booking page: served under a strict CSP, same-origin assets only, its ES modules never served
stale, and a script that talks to the public contract's routes alone and never puts patient data into a URL
(static checks, over every module in web/)."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from gateway import pages

# Every route of the public contract (API.md), as the page would name them under /api/v1.
CONTRACT_ROUTES = {
    "/locations", "/locations/{id}", "/locations/{id}/hours", "/locations/{id}/closures",
    "/locations/{id}/closures/{id}", "/services", "/providers", "/providers/{id}", "/availability",
    "/bookings", "/bookings/{id}", "/bookings/{id}/cancel", "/bookings/{id}/reschedule",
    "/bookings/{id}/confirm", "/bookings/{id}/check-in", "/bookings/{id}/complete", "/bookings/{id}/no-show",
    "/appointment-requests", "/notifications", "/openapi.json",
    # Care journeys (API.md): series and combined visits
    "/series/preview", "/series", "/series/{id}", "/series/{id}/cancel", "/availability/combined", "/visits",
    "/visits/{id}",
    "/visits/{id}/cancel",  # docs/care-plan-changes.md: a combined visit cancelled as one
    # Care journeys (API.md): holds, the waitlist and its offers, and the public change policy
    "/holds", "/holds/{id}", "/waitlist", "/waitlist/{id}", "/waitlist/{id}/accept", "/waitlist/{id}/decline",
    "/bookings/policy",  # docs/change-policy.md: CANCEL_CUTOFF_HOURS (and notice, horizon), public
    # Issue 12: each state's zones and names, and the SMS consent wording the page shows (public)
    "/bookings/patient-zones", "/bookings/sms-consent",
}
PUBLIC_ROUTES_THE_PAGE_NEEDS = {"/services", "/locations", "/providers", "/availability", "/bookings",
                                "/bookings/{id}", "/bookings/{id}/cancel", "/bookings/{id}/reschedule",
                                "/series/preview", "/series", "/series/{id}", "/availability/combined", "/visits",
                                "/visits/{id}", "/series/{id}/cancel", "/visits/{id}/cancel",
                                "/holds", "/holds/{id}", "/bookings/policy", "/waitlist", "/waitlist/{id}",
                                "/waitlist/{id}/accept", "/waitlist/{id}/decline",
                                "/appointment-requests", "/bookings/patient-zones", "/bookings/sms-consent"}
AVAILABILITY_PARAMS = {"service_id", "service_ids", "location_id", "from", "to", "provider_id", "language",
                       "patient_state"}  # service_ids: combined availability's pair
PATIENT_WORDS = ("name", "email", "phone", "notes", "patient")
IMMUTABLE = "public, max-age=31536000, immutable"
MODULES = sorted(name for name, kind in pages.ASSETS.items() if kind == "text/javascript")
# An import's specifier as served, read independently of pages.IMPORT (which this checks).
SERVED_IMPORT = re.compile(r"""^(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]*)['"]""", re.M)
PAGE_URL = "http://localhost/book"


def web_dir() -> Path:
    return Path(str(files("gateway").joinpath("web")))


def web_file(name: str) -> str:
    return (web_dir() / name).read_text("utf-8")


def scripts() -> dict[str, str]:
    """Every script in web/ but the API docs' (docs*): the booking page's modules, listed or not."""
    return {path.name: path.read_text("utf-8") for path in sorted(web_dir().glob("*.js"))
            if not path.name.startswith("docs")}


def all_scripts() -> str:
    return "\n".join(scripts().values())


def module_graph() -> dict[str, list[str]]:
    return {name: pages.module_imports(name, web_file(name)) for name in MODULES}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_bodies: list[tuple[dict, str]] = []  # (attributes, text) of every script, in order
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.script_bodies.append((self._script, ""))

    def handle_endtag(self, tag):
        self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.script_bodies[-1]
            self.script_bodies[-1] = (attrs, text + data)

    def import_map(self) -> tuple[str, dict]:
        """The one inline import map: its exact text (what the CSP hash covers) and its JSON."""
        maps = [text for attrs, text in self.script_bodies if attrs.get("type") == "importmap"]
        assert len(maps) == 1, maps
        return maps[0], json.loads(maps[0])


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def api_paths(js: str) -> set[str]:
    """Every /api/v1 path literal in the script, with ${...} parts as {id} and the query builder cut off."""
    literals = set(re.findall(r"""['"`](/api/v1[^'"`]*)['"`]""", js)) - {"/api/v1/"}  # the helper's guard
    return {re.sub(r"\$\{[^}]*\}", "{id}", literal)[len("/api/v1"):] for literal in literals}


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def resolve(specifier: str, importer: str, imports: dict[str, str]) -> str:
    """What a browser fetches for `import ... from specifier` in the module at URL `importer`: the
    specifier resolved against the importer, then looked up in the page's import map (whose keys are
    resolved against the page's URL)."""
    url = urljoin(importer, specifier)
    mapped = {urljoin(PAGE_URL, key): urljoin(PAGE_URL, value) for key, value in imports.items()}
    return mapped.get(url, url)


def copy_of_web(tmp_path: Path) -> Path:
    web = tmp_path / "web"
    shutil.copytree(web_dir(), web)
    return web


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
    import_map, _ = parsed(response.get_data(as_text=True)).import_map()
    # 'self' and the one inline script, the import map, by its hash (was: script-src 'self' alone)
    assert directives["script-src"] == f"'self' {sha256_source(import_map)}"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'none'"
    assert "unsafe" not in csp and "http" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Request-ID"]


def test_the_page_has_no_inline_script_but_its_import_map_nor_style_or_handlers_and_only_same_origin_assets(gateway):
    page = gateway.get("/book").get_data(as_text=True)
    tags = parsed(page)
    inline = [attrs for attrs, text in tags.script_bodies if not attrs.get("src")]
    assert inline == [{"type": "importmap"}]  # the one inline script, allowed by its hash (see the CSP test)
    assert not "".join(text for attrs, text in tags.script_bodies if attrs.get("src")).strip()
    assert [attrs for attrs, _ in tags.script_bodies if attrs.get("src")]
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
    script_tags = [attrs for tag, attrs in tags if tag == "script" and attrs.get("type") != "importmap"]
    assert [(attrs["src"].split("?")[0], attrs.get("type")) for attrs in script_tags] == [("/book/book.js", "module")]
    refs = [attrs["src"] for attrs in script_tags] + [attrs["href"] for tag, attrs in tags if tag == "link"]
    assert sorted(ref.split("?")[0] for ref in refs) == sorted(f"/book/{name}" for name in pages.ASSETS)
    for ref in refs:
        response = gateway.get(ref)
        assert response.status_code == 200, ref
        assert response.mimetype == pages.ASSETS[ref.split("?")[0].removeprefix("/book/")], ref
        assert response.headers["Cache-Control"] == IMMUTABLE, ref
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["ETag"]


def test_every_import_is_a_versioned_url_of_a_module_served_as_javascript_and_cached_for_good(gateway):
    """Follow the imports from the page's script as a browser would, through the page's import map:
    every module is reached, by the very URL the page preloads it by, and none by a URL whose content
    could change. (Was: through import specifiers rewritten to carry ?v=; now the map versions them.)"""
    page = parsed(gateway.get("/book").get_data(as_text=True))
    tags, (_, mapping) = page.tags, page.import_map()
    assert set(mapping) == {"imports"}
    imports = mapping["imports"]
    assert sorted(imports) == [f"/book/{name}" for name in MODULES]
    entry = next(attrs["src"] for tag, attrs in tags if tag == "script" and attrs.get("src"))
    preloaded = {attrs["href"] for tag, attrs in tags if tag == "link" and attrs.get("rel") == "modulepreload"}
    reached, todo = set(), [urljoin(PAGE_URL, entry)]
    while todo:
        url = todo.pop()
        if url in reached:
            continue
        reached.add(url)
        response = gateway.get(url)
        assert response.status_code == 200 and response.mimetype == "text/javascript", url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        for specifier in SERVED_IMPORT.findall(response.get_data(as_text=True)):
            assert specifier.startswith("./"), (url, specifier)
            target = resolve(specifier, url, imports)
            assert "?v=" in target, (url, specifier, target)  # the map covered it
            todo.append(target)
    paths = {url.removeprefix("http://localhost") for url in reached}
    assert preloaded == paths - {entry}
    assert imports[urlsplit(entry).path] == entry  # the entry is asked for by the URL the map names too
    assert sorted(urlsplit(path).path.removeprefix("/book/") for path in paths) == MODULES


def test_the_import_map_comes_before_anything_that_fetches_a_module():
    """A browser ignores an import map that arrives after a module fetch (modulepreload included)
    has started."""
    tags = parsed(pages.load().page.decode()).tags
    kinds = [("map" if attrs.get("type") == "importmap" else "module")
             for tag, attrs in tags if (tag == "script") or (tag == "link" and attrs.get("rel") == "modulepreload")]
    assert kinds[0] == "map" and kinds.count("map") == 1


def test_a_page_without_its_import_map_slot_stops_the_gateway_from_starting(tmp_path):
    web = copy_of_web(tmp_path)
    (web / "book.html").write_text(web_file("book.html").replace(pages.IMPORT_MAP_SLOT, ""), "utf-8")
    with pytest.raises(ValueError, match="book.html"):
        pages.load(web)


def test_a_changed_module_gets_a_new_url_in_the_page_and_its_import_map_and_the_modules_importing_it_keep_theirs(tmp_path):
    """(Was: every module reaching the changed one got a new URL too, its imports rewritten. With the
    import map, an importer's bytes do not change, so it keeps its URL and its year-long cache; the
    always-revalidated page's map sends its import to the new URL.)"""
    web = copy_of_web(tmp_path)
    before = pages.load(web)
    changed = "book-format.js"
    with (web / changed).open("a", encoding="utf-8") as out:
        out.write("// a change\n")
    after = pages.load(web)
    for name in pages.ASSETS:
        assert (before.assets[name][1] != after.assets[name][1]) == (name == changed), name
        assert after.assets[name][0] == (web / name).read_bytes(), name  # served as written
    new_url = f"/book/{changed}?v={after.assets[changed][1]}"
    assert parsed(after.page.decode()).import_map()[1]["imports"][f"/book/{changed}"] == new_url
    assert f'<link rel="modulepreload" href="{new_url}">' in after.page.decode()
    assert after.page != before.page and after.csp != before.csp  # the map changed, and so did its hash
    assert f'"/book/book.js?v={before.assets["book.js"][1]}"' in after.page.decode()


@pytest.mark.parametrize("line", ["import { x } from './nope.js';", "import { x } from '/book/book-api.js';",
                                  "import { x } from 'https://cdn.example/x.js';", "import './book.css';"])
def test_a_module_importing_anything_but_a_listed_module_stops_the_gateway_from_starting(tmp_path, line):
    web = copy_of_web(tmp_path)
    (web / "book-dom.js").write_text(line + "\n" + web_file("book-dom.js"), "utf-8")
    with pytest.raises(ValueError, match="book-dom.js"):
        pages.load(web)


def test_an_asset_asked_for_without_its_current_version_is_revalidated(gateway):
    for path in ("/book/book.js", "/book/book-api.js"):
        response = gateway.get(path)
        assert response.status_code == 200 and response.mimetype == "text/javascript"
        assert response.headers["Cache-Control"] == "no-cache"
        again = gateway.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    for path in ("/book/book.css?v=stale", "/book/book-api.js?v=stale"):
        assert gateway.get(path).headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/book/book.html", "/book/docs.html", "/book/..%2f__init__.py", "/book/nope.js",
                                  "/book/book-nope.js"])
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


# ---- the script, statically: every module in web/ ------------------------------------------------

def test_every_script_in_web_is_a_listed_module_and_they_import_each_other_in_layers():
    assert sorted(scripts()) == MODULES  # a module missing from pages.ASSETS could not be imported
    graph = module_graph()
    imported = {name for imports in graph.values() for name in imports}
    assert set(MODULES) - imported == {"book.js"}  # the entry; no module is left unused
    done: set[str] = set()
    while len(done) < len(graph):  # peel off the modules whose imports are all done; a cycle stalls this
        layer = {name for name, imports in graph.items() if name not in done and set(imports) <= done}
        assert layer, f"import cycle among {sorted(set(graph) - done)}"
        done |= layer
    for name, js in scripts().items():
        assert not re.search(r"\bimport\s*\(|\brequire\(", js), name  # static imports only: those are versioned
        assert len(js.splitlines()) <= 250, name  # small files


def test_the_script_fetches_only_contract_routes_under_the_relative_api_base():
    js, api = all_scripts(), web_file("book-api.js")
    paths = api_paths(js)
    assert paths <= CONTRACT_ROUTES, paths - CONTRACT_ROUTES
    assert PUBLIC_ROUTES_THE_PAGE_NEEDS <= paths
    assert js.count("fetch(") == 1 and "fetch(" in api  # one helper, which refuses anything outside /api/v1/
    assert "if (!path.startsWith('/api/v1/'))" in api
    for name, module in scripts().items():
        assert not re.search(r"https?://|['\"`]//", module), name
        assert "XMLHttpRequest" not in module and "sendBeacon" not in module and "WebSocket" not in module, name


def test_the_only_query_string_is_availabilitys_and_carries_no_patient_data():
    js = all_scripts()
    keys = re.findall(r"const QUERY_KEYS = \[([^\]]*)\]", js)
    assert len(keys) == 1 and set(re.findall(r"'([^']+)'", keys[0])) == AVAILABILITY_PARAMS
    assert js.count("URLSearchParams") == 1  # only in query(), which passes QUERY_KEYS and nothing else
    assert not re.search(r"/api/v1[^'\"`]*\?", js)  # no hand-built query strings
    for name, module in scripts().items():
        for line in module.splitlines():
            if re.search(r"URLSearchParams|location\.(href|search|hash)\s*=|history\.|[?&]\w+=", line):
                assert not any(word in line.lower() for word in PATIENT_WORDS), (name, line)


def test_patient_data_is_never_stored_or_written_as_html():
    for name, js in scripts().items():
        for forbidden in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "innerHTML",
                          "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert forbidden not in js, (name, forbidden)


def test_bookings_are_posted_with_an_idempotency_key_and_managed_with_the_token_header():
    js, api = all_scripts(), web_file("book-api.js")
    assert "'Idempotency-Key': idempotencyKey" in api and "send(body, state.attempt.key, holdToken)" in js
    # a single booking, a series and a combined visit: each retried with its key
    for route in ("postBooking", "postSeries", "postVisit"):
        assert f"export function {route}(body, idempotencyKey" in api, route  # postBooking: and a hold's token
        assert f"send: {route}" in js, route
    assert "crypto.randomUUID()" in api
    # reading (a booking, a series, a visit), and changing (a booking; a series or a visit as a whole)
    assert api.count("'X-Manage-Token': manageToken") >= 6
    for route in ("cancelSeries", "cancelVisit"):
        assert f"export function {route}(id, body, manageToken)" in api, route
    for name, module in scripts().items():  # both headers are set in book-api.js and nowhere else
        if name != "book-api.js":
            assert not re.search(r"""['"](Idempotency-Key|X-Manage-Token)['"]\s*:""", module), name
    assert "/book#manage=${id}.${token}" in js
    assert "window.location.hash" in js  # the manage link is read from the fragment, never the query


def text_blocks() -> list[tuple[str, str]]:
    """(English, Spanish) of book-strings.js's TEXT, book-strings-journeys.js's JOURNEY_TEXT and
    book-strings-more.js's MORE_TEXT (both added to TEXT)."""
    return [re.search(rf"export const {name} = \{{\s*en: \{{(.*?)\n  \}},\s*es: \{{(.*?)\n  \}},\n\}};",
                      web_file(file), re.S).groups()
            for name, file in (("TEXT", "book-strings.js"), ("JOURNEY_TEXT", "book-strings-journeys.js"),
                               ("MORE_TEXT", "book-strings-more.js"))]


def test_the_script_has_english_and_spanish_for_every_key():
    js = all_scripts()
    key = re.compile(r"^\s*(\w+):|,\s*(\w+):", re.M)
    english, spanish = set(), set()
    for en_block, es_block in text_blocks():
        en_keys, es_keys = ({a or b for a, b in key.findall(block)} for block in (en_block, es_block))
        assert en_keys and en_keys == es_keys, en_keys ^ es_keys
        assert not en_keys & english, en_keys & english  # a journey text never shadows another
        english |= en_keys
        spanish |= es_keys
    assert "Object.assign(TEXT[lang], JOURNEY_TEXT[lang])" in web_file("book-strings.js")
    assert "Object.assign(TEXT[lang], MORE_TEXT[lang])" in web_file("book-strings.js")
    used = set(re.findall(r"""\bt\('(\w+)'""", js)) | set(re.findall(r'data-i18n="(\w+)"', web_file("book.html")))
    message_lines = [line for line in js.splitlines()
                     if re.search(r"\b(say|formMessage|slotLost|manageUpdated|manageChange|updated|change|noteOnTimes)\("
                                  r"|const trouble =", line)]
    used |= {word for line in message_lines for word in re.findall(r"'(\w+)'", line)}  # message keys
    used |= set(re.findall(r"\bkey: '(\w+)'", js))  # messages kept as {key, vars} and said later
    assert {"busy", "unavailable", "slotTaken", "slotGone", "cancelled", "moved"} <= used
    assert used <= english, used - english


def test_the_care_plan_texts_exist_in_both_languages_including_the_ones_named_by_template():
    """The repeat choices and a conflict's reasons are looked up by a built key (t(`repeat${every}`),
    t(`reason_${reason}`)), which the check above cannot see: name them here, each in both languages."""
    strings = web_file("book-strings.js")
    blocks = re.search(r"export const TEXT = \{\s*en: \{(.*?)\n  \},\s*es: \{(.*?)\n  \},\n\};", strings, re.S).groups()
    built = {f"repeat{n}" for n in (0, 1, 2, 4)} | {f"reason_{r}" for r in (
        "closed", "booked", "outside_hours", "not_licensed", "beyond_horizon", "other")}
    plan = {"addMedication", "addTherapy", "companionLegend", "previewAllFree", "previewSomeTaken", "willBook",
            "wontBook", "bookFreeOnly", "pickAnotherTime", "seriesBookedTitle", "visitBookedTitle", "gapMinutes",
            "planSeriesTitle", "planVisitTitle", "dDates", "dNotBooked", "dFirst", "dThen",
            # cancelling a whole plan from the manage view: the buttons, the confirm, the outcomes
            "planListHelp", "planThisOne", "cancelLater", "cancelRemaining", "cancelBoth", "planConfirmYes",
            "planConfirmNo", "planConfirmLater", "planConfirmAll", "planConfirmVisit", "planKeepEarlier",
            "planConfirmNote", "seriesCancelledFrom", "seriesCancelledAll", "visitCancelled", "planCancelRefused"}
    for block in blocks:
        keys = set(re.findall(r"(?:^\s*|,\s*)(\w+):", block, re.M))
        assert built | plan <= keys, (built | plan) - keys
    english, spanish = blocks
    for key in built | plan:  # translated, not copied
        en = re.search(rf"\b{key}: '([^']*)'", english)[1]
        es = re.search(rf"\b{key}: '([^']*)'", spanish)[1]
        assert en != es, key
    js = all_scripts()
    assert "t(`repeat${" in js and "t(`reason_${" in js
    assert "accept: conflicts().length ? 'available' : 'all'" in js  # free dates only, or every date
    # this visit and the later ones ({from: its start}), or every remaining one ({}); a visit's parts ({})
    assert "[cancelSeries, kind === 'later' ? { from: booking.start } : {}]" in js
    assert not re.search(r"\bconfirm\(", js)  # confirmed in the page, never by window.confirm


def test_the_hold_policy_and_waitlist_texts_exist_in_both_languages_translated():
    """Holds, the change policy, the waitlist and its offers: each text in English and Spanish (not copied),
    including those looked up by a built key (t(`day_${...}`), t(`wl_status_${...}`)) or by a variable."""
    english, spanish = text_blocks()[1]
    built = {f"day_{d}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")} | {
        f"wl_status_{s}" for s in ("waiting", "offered", "booked", "expired", "withdrawn")}
    journeys = {"holdTaken", "holdUntil", "holdUntilLast", "holdEnding", "holdExpired", "holdTooMany", "holdAgain",
                "policyNote", "policyNoteNoPhone", "hoursN", "hoursOne", "daysN", "lateChange", "lateChangeNoPhone",
                "callClinic", "noneFit", "waitlistOpen", "waitlistTitle", "wlJoin", "wlDoneTitle", "wlDoneLead",
                "wlLinkLabel", "wlChooseDays", "wlBadWindow", "wlBadUntil", "waitlistRefused", "offerTitle",
                "offerLead", "offerAccept", "offerDecline", "offerDeclined", "offerGone", "entryTitle", "wlLeave",
                "wlLeft", "wlNotFound"}
    for block in (english, spanish):
        keys = set(re.findall(r"(?:^\s*|,\s*)(\w+):", block, re.M))
        assert built | journeys <= keys, (built | journeys) - keys
    for key in built | journeys:
        en = re.search(rf"\b{key}: (['\"])(.*?)\1", english)[2]
        es = re.search(rf"\b{key}: (['\"])(.*?)\1", spanish)[2]
        assert en != es, key
    js = all_scripts()
    assert "t(`day_${" in js and "t(`wl_status_${" in js


def test_holds_and_offers_carry_their_credentials_in_headers_set_in_book_api_only():
    """A held time is booked with hold_id in the body and X-Hold-Token; a hold is let go with its token (and
    with keepalive as the page goes); an offer is accepted or declined with X-Offer-Token or X-Manage-Token;
    the offer's and the waitlist's credentials are read from the fragment only."""
    js, api = all_scripts(), web_file("book-api.js")
    assert "headers['X-Hold-Token'] = holdToken" in api and "{ 'X-Hold-Token': holdToken }" in api
    assert "{ 'X-Offer-Token': auth.offerToken }" in api and "{ 'X-Manage-Token': auth.manageToken }" in api
    assert "send(body, state.attempt.key, holdToken)" in js and "hold_id: hold.id" in js
    assert "keepalive: Boolean(keepalive)" in api and "'pagehide'" in js
    for name, module in scripts().items():
        if name != "book-api.js":
            assert not re.search(r"""['"](X-Hold-Token|X-Offer-Token)['"]\s*:""", module), name
    assert "#offer=" in js and "/book#waitlist=${entry.id}.${entry.manage_token}" in js
    assert "{ offer_id: offerId }" in api


def test_the_hold_countdown_is_not_a_live_region_and_speaks_sparingly():
    """The countdown text is refreshed in a plain element; the live region hears of the hold only when it is
    taken, when two minutes are left (once) and when it has run out."""
    tags = parsed(web_file("book.html")).tags
    hold = [attrs for tag, attrs in tags if attrs.get("id") in ("hold-box", "hold-text")]
    assert len(hold) == 2 and not [a for a in hold if "aria-live" in a or a.get("role") in ("status", "alert", "timer")]
    module = web_file("book-hold.js")
    assert sorted(re.findall(r"say\('(\w+)'", module)) == ["holdEnding", "holdExpired", "holdTaken", "holdTooMany"]
    assert "hold.warned = true" in module


def test_issue_12s_texts_exist_in_both_languages_translated_including_the_built_keys():
    """Weeks, requests, the patient's clock, add-to-calendar and disruptions: each text in English and Spanish
    (not copied), including those looked up by a built key (t(`disruption_${...}`), t(`time_${...}`))."""
    english, spanish = text_blocks()[2]
    built = {f"disruption_{r}" for r in ("closure", "special_hours", "hours", "provider_schedule",
                                         "provider_inactive")} | {f"time_{t}" for t in ("morning", "afternoon", "evening")}
    keys = {"weekPrev", "weekNext", "weekOf", "slotsWeek", "noSlotsWeek", "slotsJumped", "noSlotsHorizon", "notLicensed",
            "requestOpen", "requestTitle", "rqDoneLead", "zoneLabel", "zoneBoth", "atClinic", "addToCalendar",
            "icsTelehealth", "disruptedTitle", "disruptionOptions", "disruptionMove", "disruptionTelehealth",
            "optionsWeek", "optionsWeekOne", "noOptionsWeek", "noOptionsHorizon"}
    for block in (english, spanish):
        found = set(re.findall(r"(?:^\s*|,\s*)(\w+):", block, re.M))
        assert built | keys <= found, (built | keys) - found
    for key in built | keys:
        en = re.search(rf"\b{key}: (['\"])(.*?)\1", english)[2]
        es = re.search(rf"\b{key}: (['\"])(.*?)\1", spanish)[2]
        assert en != es, key
    js = all_scripts()
    assert "`disruption_${disruption.reason}`" in js and "`time_${time}`" in js


def test_time_buttons_are_named_by_what_they_show():
    """axe's label-content-name-mismatch: an aria-label that differs from the visible text fails speech users;
    the time and option buttons carry none (their content, with a visually hidden day, names them)."""
    for name in ("book-slot-list.js", "book-combined.js"):
        module = web_file(name)
        assert "'aria-label'" not in module, name
        assert "class: 'sr-only'" in module, name
    assert ".sr-only {" in web_file("book.css")


def test_the_page_never_sends_a_patient_field_the_api_may_not_know_unless_it_serves_it():
    """patient.sms_consent only when the wording was served (and the box ticked); patient.timezone only when the
    patient chose one of several zones."""
    details = web_file("book-step-details.js")
    assert "if (state.smsConsent && $('sms-consent').checked) patient.sms_consent = true;" in details
    assert "if (zone && patient.state === $('visit-state').value) patient.timezone = zone;" in details
