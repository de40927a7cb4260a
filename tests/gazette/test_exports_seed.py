"""Every document of the seed issue exports to schema-valid Akoma Ntoso and round-trips as JSON."""

import json

import pytest
from lxml import etree

from kmgov.gazette.exports import AKN_NS, document_from_json, document_to_akn, document_to_json

parser = pytest.importorskip("kmgov.gazette.parser")

NS = {"a": AKN_NS}


@pytest.fixture(scope="module")
def seed_issue(seed_text):
    return parser.parse_issue(seed_text)


@pytest.fixture(scope="module")
def akn_schema():
    from django.conf import settings

    xsd = settings.SHARED_DIR / "standards" / "akoma-ntoso" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def test_the_seed_has_twelve_documents(seed_issue):
    assert len(seed_issue.documents) == 12


@pytest.mark.parametrize("i", range(12))
def test_seed_document_exports(seed_issue, akn_schema, i):
    doc = seed_issue.documents[i]
    tree = etree.fromstring(document_to_akn(seed_issue, doc))
    assert akn_schema.validate(tree), f"{doc.docno}:\n" + "\n".join(
        str(e) for e in akn_schema.error_log)
    assert tree.xpath("string(//a:preface//a:docNumber)", namespaces=NS) == doc.docno
    eids = tree.xpath("//@eId")
    assert len(eids) == len(set(eids))
    d = json.loads(json.dumps(document_to_json(seed_issue, doc), ensure_ascii=False))
    assert document_from_json(d) == doc
