"""Citations of gazette provisions: document number + node path + a short quote.

The node path follows the gazette parser's convention (`四(二)`, `附件 第七条(二)`,
`附件1 第二条`, `附件1 表`), so that every citation links to `/gazette/doc/<docno>/?node=<path>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

_DOCNO = re.compile(r"^(\S+?〔\d{4}〕\s*\d+(?:[-—]\d+)?\s*号)\s*(.*)$")


@lru_cache(maxsize=4096)
def _url(docno: str, path: str) -> str:
    return f"/gazette/doc/{quote(docno, safe='')}/?node={quote(path, safe='')}"


@lru_cache(maxsize=4096)
def _as_dict(c: Citation) -> dict:
    return {"docno": c.docno, "path": c.path, "quote": c.quote, "reference": c.reference, "url": c.url}


@dataclass(frozen=True)
class Citation:
    docno: str
    path: str
    quote: str = ""

    @property
    def reference(self) -> str:
        ref = self.__dict__.get("_reference")
        if ref is None:
            text = f"{self.docno} {self.path}".strip()
            ref = f"{text}：{self.quote}" if self.quote else text
            object.__setattr__(self, "_reference", ref)
        return ref

    @property
    def url(self) -> str:
        return _url(self.docno, self.path)

    def __post_init__(self):
        # the citation as JSON, made once (a trace shows the same few citations thousands of times)
        object.__setattr__(self, "_json", {"docno": self.docno, "path": self.path, "quote": self.quote,
                                           "reference": self.reference, "url": self.url})

    def to_dict(self) -> dict:
        """The citation as JSON (made once per citation; do not mutate it)."""
        return self._json

    @classmethod
    def parse(cls, reference: str) -> Citation:
        """Read `昆政发〔2010〕59号 四(二)：quote` back into its parts."""
        head, _, quote_text = reference.partition("：")
        m = _DOCNO.match(head.strip())
        if not m:
            return cls(docno="", path=head.strip(), quote=quote_text.strip())
        return cls(docno=re.sub(r"\s+", "", m.group(1)), path=m.group(2).strip(), quote=quote_text.strip())

    @classmethod
    def from_value(cls, value) -> Citation | None:
        if value is None:
            return None
        if isinstance(value, Citation):
            return value
        if isinstance(value, dict):
            return cls(docno=value.get("docno", ""), path=value.get("path", ""), quote=value.get("quote", ""))
        return cls.parse(str(value))
