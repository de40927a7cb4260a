"""Paging of long lists (inbox, case lists): 50 rows a page (`?page=N`).

The count stays cheap whatever the table's size: it counts at most `COUNT_CAP` rows (a
`LIMIT`ed subquery), and the page itself is one `LIMIT/OFFSET` query that fetches one row
more than it shows to know whether a next page exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ninja import Query

PER_PAGE = 50
COUNT_CAP = 1_000

#: The largest `offset` an API list takes (`/inbox`, `/filings/{code}`, `/notifications`): far
#: above any list, and with the list's `limit` added still inside the 64-bit integer that
#: SQLite and PostgreSQL take for OFFSET — a larger one is refused with a 422 naming `offset`,
#: not a database error (the API fuzz sent 2⁶³).
MAX_OFFSET = 10**9


def offset_param():
    """The `offset` query parameter of an API list: 0 to `MAX_OFFSET`."""
    return Query(0, ge=0, le=MAX_OFFSET, description="从第几条起（分页）")


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    has_next: bool
    total: int  # rows counted, at most `capped_at`
    capped: bool  # True when there are more than `total`
    query: str = ""  # the other GET parameters, to keep in the pager's links
    extra: dict = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the count was not capped."""
        if self.capped:
            return None
        return max(1, -(-self.total // self.per_page))

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def page_number(request) -> int:
    raw = request.GET.get("page", "1")
    try:
        return max(1, min(int(raw), 1_000_000))
    except (TypeError, ValueError):
        return 1


def paginate(qs, request, *, per_page: int = PER_PAGE, count_cap: int = COUNT_CAP) -> Page:
    """The requested page of an ordered queryset (a page past the end is empty)."""
    number = page_number(request)
    start = (number - 1) * per_page
    rows = list(qs[start:start + per_page + 1])
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    if number == 1 and not has_next:
        total, capped = len(rows), False
    else:
        # Only the keys, no joins, no order, at most count_cap + 1 of them.
        total = qs.order_by().values("pk")[:count_cap + 1].count()
        capped = total > count_cap
        total = min(total, count_cap)
    params = request.GET.copy()
    params.pop("page", None)
    return Page(items=rows, number=number, per_page=per_page, has_next=has_next, total=total,
                capped=capped, query=params.urlencode())
