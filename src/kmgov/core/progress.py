"""Progress of a long command-line job (X-8): a bar on a terminal, nothing otherwise.

    with Progress("到期事项", total=len(ids), stream=self.stderr, quiet=as_json) as bar:
        for batch in batches:
            ...
            bar.advance(len(batch))

The bar is drawn on `stream` (the command's stderr, so stdout stays the job's output) only when
that stream is a terminal, or when `KMGOV_PROGRESS=1` asks for it (logs, tests); `quiet`
(the command's --json) silences it whatever the stream. `counts()` gives what was done, for the
command's summary. Redraws are limited to ten a second: a sweep of 100,000 rows stays cheap.
"""

from __future__ import annotations

import os
import sys
import time

WIDTH = 24


class Progress:
    def __init__(self, label: str, total: int | None = None, *, stream=None, quiet: bool = False):
        raw = stream if stream is not None else sys.stderr
        self._out = getattr(raw, "_out", raw)  # Django's OutputWrapper adds a newline per write
        self.label = label
        self.total = total
        self.done = 0
        forced = os.environ.get("KMGOV_PROGRESS") == "1"
        tty = bool(getattr(self._out, "isatty", lambda: False)())
        self.enabled = not quiet and (forced or tty)
        self._last = 0.0

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(self, *exc) -> None:
        self.finish()

    def set_total(self, total: int) -> None:
        self.total = total
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def finish(self) -> None:
        if self.enabled and self._last >= 0:
            self._draw(force=True)
            self._out.write("\n")
            self._out.flush()
            self._last = -1.0  # drawn for the last time

    def counts(self) -> dict:
        return {"done": self.done, "total": self.total}

    def line(self) -> str:
        if self.total:
            share = min(1.0, self.done / self.total)
            filled = round(WIDTH * share)
            return (f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] "
                    f"{self.done}/{self.total} {share:.0%}")
        return f"{self.label} {self.done}"

    def _draw(self, force: bool = False) -> None:
        if not self.enabled or self._last < 0:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        self._out.write("\r" + self.line())
        self._out.flush()
