import pytest


@pytest.fixture
def ingested(db, org_tree, seed_path):
    from kmgov.gazette.services import issue_ingest

    return issue_ingest(data=seed_path.read_bytes(), source_name=seed_path.name)
