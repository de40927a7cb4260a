"""No template carries inline script or style (issue 13 item 5; the Content-Security-Policy
from operations has no 'unsafe-inline'): every <script> has a src, no element has an on…=
event handler or a style attribute, and there is no <style> element. Behaviour lives in static
files (web/site.js, hotline/console.js), looks in stylesheets (docs/architecture.md, "Design
system")."""

import re
from pathlib import Path

import kmgov

SRC = Path(kmgov.__file__).parent
SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def _templates():
    return sorted(p for p in SRC.rglob("*.html") if "templates" in p.parts)


def test_the_templates_are_found():
    names = {p.name for p in _templates()}
    assert {"base.html", "public.html", "console.html", "card.html"} <= names


def test_no_template_has_inline_script_or_style():
    found = []
    for p in _templates():
        text = p.read_text(encoding="utf-8")
        for kind, pattern in (("script", SCRIPT), ("handler", HANDLER),
                              ("style attribute", STYLE_ATTR), ("style element", STYLE_ELEMENT)):
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{p.relative_to(SRC)}:{line} {kind}")
    assert found == []


def test_the_patterns_catch_what_they_look_for():
    assert SCRIPT.search('<script>alert(1)</script>') and not SCRIPT.search('<script src="a.js">')
    assert HANDLER.search('<button onclick="x()">') and not HANDLER.search('<button data-print>')
    assert STYLE_ATTR.search('<td style="width:1px">') and not STYLE_ATTR.search('<td class="x">')
    assert STYLE_ELEMENT.search("<style>a{}</style>")
