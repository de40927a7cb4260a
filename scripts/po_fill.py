"""Fill empty msgstr entries of a .po file from a TSV glossary (msgid<TAB>msgstr), then leave
the rest untouched. Used by maintainers when adding UI strings:

    kmgov makemessages -l en --ignore "*/tests/*" --no-obsolete --no-wrap   (in src/kmgov)
    python scripts/po_fill.py src/kmgov/locale/en/LC_MESSAGES/django.po docs/ui-strings-en.tsv
    kmgov compilemessages   (needs GNU gettext's msgfmt)
"""

import re
import sys
from pathlib import Path


def main(po_path: str, tsv_path: str) -> None:
    table = {}
    for line in Path(tsv_path).read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            k, v = line.split("\t", 1)
            table[k] = v
    text = Path(po_path).read_text(encoding="utf-8")
    missing = []

    def fill(m):
        msgid, rest = m.group(1), m.group(2)
        if msgid in table:
            value = table[msgid].replace('"', '\\"')
            if "msgid_plural" in rest:
                return re.sub(r'msgstr\[(\d)\] ""', lambda mm: f'msgstr[{mm.group(1)}] "{value}"', m.group(0))
            return f'msgid "{msgid}"{rest}msgstr "{value}"'
        if msgid:
            missing.append(msgid)
        return m.group(0)

    text = re.sub(r'msgid "((?:[^"\\]|\\.)*)"(\n(?:msgid_plural[^\n]*\n)?)msgstr(?:\[0\])? ""(?=\n)', fill, text)
    text = text.replace("#, fuzzy\n", "")
    Path(po_path).write_text(text, encoding="utf-8")
    for m in missing:
        print("untranslated:", m)


if __name__ == "__main__":
    main(*sys.argv[1:3])
