"""The staff page's files, read statically: every text in both languages, labelled fields, forms that
never submit by GET, modules that import only each other, small files."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib.resources import files

WEB = files("gateway").joinpath("web", "staff")
IMPORT = re.compile(r"""^import\s[^;]*?\bfrom\s*['"]([^'"]+)['"]""", re.M)
# staff-screens.js loads each screen's module on first use: import('./staff-<screen>.js'), nothing else.
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*'(\./staff-[\w-]+\.js)'\s*\)""")
T_CALL = re.compile(r"""\bt\(\s*['"]([\w-]+)['"]""")


def text(name: str) -> str:
    return WEB.joinpath(name).read_text("utf-8")


def scripts() -> dict[str, str]:
    return {entry.name: entry.read_text("utf-8") for entry in WEB.iterdir() if entry.name.endswith(".js")}


def string_files() -> list[str]:
    """staff-strings.js and each screen's staff-<screen>-strings.js (laid out the same way)."""
    return sorted(name for name in scripts() if name.endswith("strings.js"))


def language_keys(lang: str, name: str | None = None) -> set[str]:
    keys = set()
    for source in [text(name)] if name else [text(n) for n in string_files()]:
        block = source.split(f"  {lang}: {{", 1)[1].split("\n  },", 1)[0]
        keys |= {quoted or plain for quoted, plain in re.findall(r"""(?:^|[\s,])(?:'([\w-]+)'|(\w+)):\s*'""", block)}
    return keys


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def page_tags() -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(text("staff.html"))
    return parser.tags


def test_english_and_spanish_have_the_same_texts():
    assert len(language_keys("en")) > 60
    for name in string_files():
        english, spanish = language_keys("en", name), language_keys("es", name)
        assert english == spanish, {name: {"only English": english - spanish, "only Spanish": spanish - english}}


def test_every_text_the_page_asks_for_exists():
    keys = language_keys("en")
    asked = {attrs["data-i18n"] for _, attrs in page_tags() if "data-i18n" in attrs}
    asked |= {key for js in scripts().values() for key in T_CALL.findall(js)}
    dynamic = {f"status_{s}" for s in ("requested", "confirmed", "checked_in", "completed", "cancelled", "no_show")}
    dynamic |= {f"role_{r}" for r in ("staff", "clinician", "admin")} | {"in_person", "telehealth", "email", "sms"}
    dynamic |= {f"msg_{s}" for s in ("pending", "sent", "failed", "skipped")}
    dynamic |= {f"signin-{c}" for c in ("no-role", "no-provider", "denied", "flow", "token", "provider")}
    missing = (asked | dynamic) - keys
    assert not missing, missing


def test_every_field_has_a_label_and_forms_never_submit_by_get():
    tags = page_tags()
    labelled = {attrs["for"] for tag, attrs in tags if tag == "label" and "for" in attrs}
    for tag, attrs in tags:
        if tag in ("select", "textarea") or (tag == "input" and attrs.get("type") != "radio"):
            assert attrs.get("id") in labelled, attrs
    forms = [attrs for tag, attrs in tags if tag == "form"]
    assert forms and all(attrs.get("method") == "post" for attrs in forms)
    assert any(attrs.get("role") == "status" and attrs.get("aria-live") == "polite" for _, attrs in tags)


def test_no_inline_script_or_style_or_handler():
    page = text("staff.html")
    assert re.findall(r"<script\b[^>]*>", page) == ['<script type="module" src="/staff/staff.js">']
    assert "<style" not in page and " style=" not in page and not re.search(r"\son\w+=", page)


def test_modules_import_only_each_other_and_stay_small():
    modules = scripts()
    for name, js in modules.items():
        for specifier in IMPORT.findall(js) + DYNAMIC_IMPORT.findall(js):
            assert specifier.startswith("./") and specifier[2:] in modules, (name, specifier)
        assert not re.search(r"\bimport\s*\((?!'\./staff-[\w-]+\.js'\s*\))|\beval\(|innerHTML|localStorage\.setItem\(['\"](?!staff-language)", js), name
        assert len(js.splitlines()) <= 150, name
