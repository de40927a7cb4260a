"""Crawling the demo site as one person, for the tests that check every page a role reaches
(tests/site/test_no_identifiers.py: no internal identifier; tests/web/test_form_labels.py:
every control labelled). One walk: the home page and the README's tour first, then the links
of each page, a few pages per route, one page of a list."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve


def readme_tour(skip: re.Pattern) -> list[str]:
    """The addresses of the README's tour without placeholders: they must lead somewhere."""
    readme = Path(__file__).resolve().parents[1] / "README.md"
    tour = readme.read_text(encoding="utf-8").split("## A tour", 1)[1].split("\n## ", 1)[0]
    return [p for p in re.findall(r"`(/[^`\s<>]*)`", tour)
            if not skip.search(p) and "?" not in p and not p.startswith("/api/")]


def crawl(client: Client, visit: Callable[[str, object], Iterable[str]], *, skip: re.Pattern,
          max_pages: int, per_route: int) -> int:
    """Walk the site as `client`; `visit(path, response)` is called for every page that is not
    a redirect and returns the page's links (hrefs, relative or absolute). Returns the number
    of addresses seen."""
    seen, queue = set(), deque(["/", *readme_tour(skip)])
    met: dict[str, int] = {}
    while queue and len(seen) < max_pages:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        try:
            route = resolve(urlsplit(path).path).route
        except Resolver404:
            route = path
        met[route] = met.get(route, 0) + 1
        if met[route] > per_route:
            continue
        r = client.get(path)
        if r.status_code in (301, 302):
            target = urlsplit(r["Location"])
            if not target.netloc and "/login" not in target.path:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
            continue
        for href in visit(path, r) or ():
            url, _ = urldefrag(urljoin(path, href))
            parts = urlsplit(url)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            # one page of a list is enough: leave out pagers and filters beyond the first
            if "page=" in parts.query or skip.search(local):
                continue
            if local not in seen:
                queue.append(local)
    return len(seen)
