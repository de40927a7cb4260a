"""English as the lead's merge will compile it: the entries of docs/ui-strings-en.tsv put first
in Django's English catalogue for the duration (the compiled .mo of a branch predates the
strings the branch adds; makemessages/compilemessages run at merge). Importable from tests as
`from tsv_english import english_from_tsv`."""

import csv
from contextlib import contextmanager
from pathlib import Path

from django.utils import translation
from django.utils.translation import trans_real

TSV = Path(__file__).resolve().parents[1] / "docs" / "ui-strings-en.tsv"


def tsv_table() -> dict[str, str]:
    with open(TSV, encoding="utf-8") as f:
        return {row[0]: row[1] for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if len(row) > 1 and not row[0].startswith("#")}


@contextmanager
def english_from_tsv():
    table = tsv_table()
    entries: dict = dict(table)
    with open(TSV, encoding="utf-8") as f:  # plural entries: msgid<TAB>singular<TAB>plural
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) > 1 and not row[0].startswith("#"):
                entries[(row[0], 0)] = row[1]
                entries[(row[0], 1)] = row[2] if len(row) > 2 else row[1]
    with translation.override("en"):
        cat = trans_real.translation("en")._catalog
        cat._catalogs.insert(0, entries)
        cat._plurals.insert(0, cat._plurals[0])
        try:
            yield table
        finally:
            cat._catalogs.pop(0)
            cat._plurals.pop(0)
