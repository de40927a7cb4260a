import pytest
from policies.recognition_fixtures import march, people  # noqa: F401


@pytest.fixture
def only_hq_obligations(only_obligations):
    """The sweep's filing counts asserted here are the HQ statistics report's."""
    only_obligations("hq-")
