"""kmgov.core.progress: a bar on a terminal (or when KMGOV_PROGRESS=1), nothing with --json;
and the sweep command drawing it on stderr while --json keeps stdout one JSON line."""

import io
import json

import pytest
from django.core.management import call_command

from kmgov.core.progress import Progress


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_the_bar_on_a_terminal():
    out = Tty()
    with Progress("导入", 4, stream=out) as bar:
        for _ in range(3):
            bar.advance()
        assert bar.line() == "导入 [##################------] 3/4 75%"
        bar.advance()
    text = out.getvalue()
    assert text.endswith("导入 [########################] 4/4 100%\n")
    assert bar.counts() == {"done": 4, "total": 4}


def test_silent_off_a_terminal_and_with_json(monkeypatch):
    plain = io.StringIO()
    with Progress("导入", 2, stream=plain) as bar:
        bar.advance(2)
    assert plain.getvalue() == "" and bar.counts() == {"done": 2, "total": 2}
    quiet = Tty()
    with Progress("导入", 2, stream=quiet, quiet=True) as bar:
        bar.advance(2)
    assert quiet.getvalue() == ""
    monkeypatch.setenv("KMGOV_PROGRESS", "1")
    forced = io.StringIO()
    with Progress("导入", None, stream=forced) as bar:
        bar.advance(5)
    assert forced.getvalue().endswith("导入 5\n")


@pytest.mark.django_db
def test_the_sweep_command(monkeypatch):
    monkeypatch.setenv("KMGOV_PROGRESS", "1")
    out, err = io.StringIO(), io.StringIO()
    call_command("procedures", "sweep", "--now", "2026-04-13T10:00", stdout=out, stderr=err)
    assert "到期事项" in err.getvalue() and "到期 0 项" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("procedures", "sweep", "--json", "--now", "2026-04-13T10:00", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert json.loads(out.getvalue())["due"] == 0
