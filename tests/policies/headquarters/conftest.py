import pytest
from policies.recognition_fixtures import march, people  # noqa: F401


@pytest.fixture
def only_hq_obligations(monkeypatch):
    """The sweep's filing counts asserted here are the HQ statistics report's: other policies'
    obligations owed by fixed units every period (111号's monthly report) stay out."""
    from kmgov.procedures import filings

    monkeypatch.setattr(filings, "_OBLIGATIONS", {
        k: v for k, v in filings._OBLIGATIONS.items() if k.startswith("hq-")})
