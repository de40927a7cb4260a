"""Small helpers of the procedures tests (importable as `procedures.helpers`: settings.py puts
tests/ on the path under pytest, as it does for the sample app)."""

import datetime as dt
import io

from kmgov.core.calendar import TZ
from kmgov.procedures.services import attachment_add

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(*args) -> dt.datetime:
    """A moment in Beijing time."""
    return dt.datetime(*args, tzinfo=TZ)


def attach(case, actor, key, name, content):
    return attachment_add(case, key=key, file=io.BytesIO(content), name=name, actor=actor)
