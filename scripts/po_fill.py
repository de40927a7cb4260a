"""Fill a .po file from a TSV glossary (msgid<TAB>msgstr), then print the msgids still untranslated.
Used by maintainers when adding UI strings:

    kmgov makemessages -l en --ignore "*/tests/*" --no-obsolete --no-wrap   (in src/kmgov)
    python scripts/po_fill.py src/kmgov/locale/en/LC_MESSAGES/django.po docs/ui-strings-en.tsv
    kmgov compilemessages   (needs GNU gettext's msgfmt)

The TSV is the source of truth: every msgid it lists gets its English written into the .po
(replacing whatever msgstr was there, and clearing a "fuzzy" flag). For a plural entry
(msgid_plural) the English may give both forms separated by a second TAB:
msgid<TAB>singular<TAB>plural; with one form it is used for all of them.

Entries the TSV does not list keep their msgstr. A "fuzzy" entry (makemessages' guess from a
similar old msgid) is reported as untranslated and keeps its flag, so that msgfmt ignores the
guess instead of showing it.
"""

import re
import sys
from pathlib import Path

ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def po_quote(s: str) -> str:
    return "".join(ESCAPE.get(c, c) for c in s)


def read_table(tsv_path: str) -> dict:
    table = {}
    for line in Path(tsv_path).read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            k, v = line.split("\t", 1)
            table[k] = v
    return table


def main(po_path: str, tsv_path: str) -> None:
    table = read_table(tsv_path)
    blocks = Path(po_path).read_text(encoding="utf-8").split("\n\n")
    missing = []
    out = []
    for block in blocks:
        lines = block.split("\n")
        m = next((re.match(r'msgid "((?:[^"\\]|\\.)*)"$', ln) for ln in lines if ln.startswith("msgid ")), None)
        if m is None:
            out.append(block)
            continue
        msgid = m.group(1)
        flag_idx = next((i for i, ln in enumerate(lines) if ln.startswith("#, ")), None)
        flags = [f.strip() for f in lines[flag_idx][3:].split(",")] if flag_idx is not None else []
        fuzzy = "fuzzy" in flags
        if msgid == "":  # the header
            translated, value = True, None
        elif msgid in table:
            translated, value = True, table[msgid]
        else:
            translated, value = False, None
        if value is not None:
            plural = any(ln.startswith("msgid_plural ") for ln in lines)
            forms = value.split("\t")
            new = []
            for ln in lines:
                if ln.startswith("#| "):  # the previous msgid of a fuzzy guess
                    continue
                mm = re.match(r"msgstr\[(\d+)\] ", ln)
                if plural and mm:
                    n = int(mm.group(1))
                    new.append(f'msgstr[{n}] "{po_quote(forms[min(n, len(forms) - 1)])}"')
                elif not plural and ln.startswith("msgstr "):
                    new.append(f'msgstr "{po_quote(forms[0])}"')
                else:
                    new.append(ln)
            lines = new
        if translated and fuzzy:
            flag_idx = next(i for i, ln in enumerate(lines) if ln.startswith("#, "))
            flags = [f for f in flags if f != "fuzzy"]
            if flags:
                lines[flag_idx] = "#, " + ", ".join(flags)
            else:
                del lines[flag_idx]
        if not translated:
            empty = any(re.match(r'msgstr(\[\d+\])? ""$', ln) for ln in lines)
            if fuzzy or empty:
                missing.append(msgid + ("  (fuzzy guess, not used)" if fuzzy and not empty else ""))
        out.append("\n".join(lines))
    Path(po_path).write_text("\n\n".join(out), encoding="utf-8")
    for m in missing:
        print("untranslated:", m)


if __name__ == "__main__":
    main(*sys.argv[1:3])
