"""Every document of the seed issue exports to schema-valid Akoma Ntoso and round-trips as JSON."""

import json
import re

import pytest
from lxml import etree

from kmgov.gazette import parser  # noqa: E402
from kmgov.gazette.exports import AKN_NS, document_from_json, document_to_akn, document_to_json

NS = {"a": AKN_NS}
PATH = "@*[local-name()='path']"


@pytest.fixture(scope="module")
def seed_issue(seed_text):
    return parser.parse_issue(seed_text)


@pytest.fixture(scope="module")
def akn_schema():
    from django.conf import settings

    xsd = settings.SHARED_DIR / "standards" / "akoma-ntoso" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


@pytest.fixture(scope="module")
def trees(seed_issue, akn_schema):
    """docno → the validated export (validation asserted once per document)."""
    out = {}
    for doc in seed_issue.documents:
        tree = etree.fromstring(document_to_akn(seed_issue, doc))
        assert akn_schema.validate(tree), f"{doc.docno}:\n" + "\n".join(
            str(e) for e in akn_schema.error_log)
        out[doc.docno] = tree
    return out


def x(tree, path):
    return tree.xpath(path, namespaces=NS)


def test_the_seed_has_twelve_documents(seed_issue):
    assert len(seed_issue.documents) == 12


@pytest.mark.parametrize("i", range(12))
def test_seed_document_exports(seed_issue, trees, i):
    doc = seed_issue.documents[i]
    tree = trees[doc.docno]
    assert x(tree, "string(//a:preface//a:docNumber)") == doc.docno
    eids = x(tree, "//@eId")
    assert len(eids) == len(set(eids))
    # every node is rendered exactly once, carrying its path
    assert sorted(x(tree, f"//*/{PATH}")) == sorted(n.path for n in doc.walk())
    # and none of its text is lost (spaces aside: the XML keeps each line stripped)
    xml_text = re.sub(r"\s", "", "".join(x(tree, "//a:body//text() | //a:mainBody//text() | "
                                                 "//a:preamble//text()")))
    for node in doc.walk():
        for line in node.text.split("\n"):
            assert re.sub(r"\s", "", line) in xml_text, (node.path, line)
    d = json.loads(json.dumps(document_to_json(seed_issue, doc), ensure_ascii=False))
    assert document_from_json(d) == doc


def test_seed_crossrefs_are_inline_where_printed(seed_issue, trees):
    for doc in seed_issue.documents:
        refs = x(trees[doc.docno], "//a:ref")
        assert len(refs) >= len(doc.crossrefs), doc.docno
    refs = x(trees["昆政发〔2010〕61号"], "//a:ref")
    assert [r.get("href") for r in refs] == ["/akn/cn/act/2010/yzf-54"]


def test_seed_content_spot_checks(trees):
    t59 = trees["昆政发〔2010〕59号"]
    assert x(t59, "string(//a:FRBRWork/a:FRBRdate/@date)") == "2010-06-22"
    assert x(t59, "string(//a:conclusions//a:date)") == "二〇一〇年六月二十二日"
    assert "4579.5" in x(t59, "//a:attachment[@eId='att_1']//a:td/a:p/text()")
    t62 = trees["昆政发〔2010〕62号"]
    measures = x(t62, "//a:attachment[@eId='att_1']/a:act[@name='measures']")[0]
    assert len(x(measures, ".//a:article")) == 24
    assert len(x(measures, "a:body/a:chapter")) == 5
    t107 = trees["昆政办〔2010〕107号"]
    assert len(x(t107, "//a:hcontainer[@name='form']/a:content/a:table[@class='form']")) == 9
    t109 = trees["昆政办〔2010〕109号"]  # the TOC calls it a 市人民政府 notice; the body 办公厅
    assert x(t109, "string(//a:FRBRWork/a:FRBRauthor/@href)") == "#kmszfbgt"
    assert x(t109, "string(//a:FRBRWork/a:FRBRalias[@name='tocTitle']/@value)").startswith(
        "昆明市人民政府关于")
    appts = trees["昆政任〔2010〕1-8号"]
    assert x(appts, "string(/a:akomaNtoso/a:doc/@name)") == "appointments"
    assert len(x(appts, "//a:mainBody//a:role")) == 59
    assert not x(appts, "//a:mainBody/a:hcontainer")  # every record anchored in its printed line
