import os
from pathlib import Path

import pytest
from django.conf import settings

SHARED = Path(settings.SHARED_DIR)
SEED = SHARED / "gazette" / "kunming-gazette-2010-no15.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    assert SEED.exists(), f"the seed gazette is read from ../shared: {SEED} is missing"
    return SEED


@pytest.fixture(scope="session")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo_committed(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data (`kmgov demo`) built once for a test module and committed; yields the
    directory its attachments are in. Each test still runs in its own transaction, rolled back
    at its end, so what a test writes is gone before the next; the demo's rows are flushed at
    the module's end, as a transactional test's are. (Built for each test, the demo cost
    10–60 s a test, several minutes of a CI run for the dashboards' modules alone.)"""
    import io

    from django.core.management import call_command
    from django.test import override_settings
    from module_rows import committed_for_module

    media = tmp_path_factory.mktemp("demo-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast), \
            pytest.MonkeyPatch.context() as mp:
        mp.setenv("KMGOV_DEMO_PASSWORD", "demo-pass-for-tests")
        with committed_for_module(django_db_blocker,
                                  lambda: call_command("demo", "--no-migrate", stdout=io.StringIO())):
            yield media


@pytest.fixture
def org_tree(db):
    from kmgov.core.services import org_tree_load

    org_tree_load()


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests create many accounts; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def only_obligations(monkeypatch):
    """Keep only the scheduled filings whose code starts with `prefix` for this test: other
    policies' obligations owed by fixed units every period (111号's monthly report, 107号's
    half-yearly zero reports) would otherwise be opened and counted by the same sweep."""
    from kmgov.procedures import filings

    def keep(prefix: str) -> None:
        monkeypatch.setattr(filings, "_OBLIGATIONS", {
            k: v for k, v in filings._OBLIGATIONS.items() if k.startswith(prefix)})

    return keep

