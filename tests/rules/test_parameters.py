"""The parameter files: OpenFisca layout (openfisca-core loads them as they are), a citation on
every value, thresholds that state their comparison and word (SPEC §13 counting convention)."""

from pathlib import Path

import pytest

from kmgov.rules import PARAMETERS
from kmgov.rules.citation import Citation

POLICIES = Path(__file__).resolve().parents[2] / "src" / "kmgov" / "policies"
PARAM_DIRS = sorted(p for p in POLICIES.glob("*/parameters") if p.is_dir())


def test_every_policy_has_parameters():
    names = {p.parent.name for p in PARAM_DIRS}
    assert names == {"agriculture", "carbon", "forestry", "buildings", "headquarters", "safety", "mediation",
                     "geohazards", "construction", "hotline"}


@pytest.mark.parametrize("directory", PARAM_DIRS, ids=lambda p: p.parent.name)
def test_openfisca_core_loads_the_files_as_they_are(directory):
    from openfisca_core.parameters import ParameterNode, load_parameter_file

    node = ParameterNode(directory.parent.name, directory_path=str(directory))
    for f in directory.rglob("*.yaml"):
        if f.stem != "index":
            load_parameter_file(str(f), f.stem)
    # every value our loader reads is the value openfisca-core reads, at the same date
    prefix = directory.parent.name + "."
    for name in PARAMETERS.names():
        if not name.startswith(prefix):
            continue
        par = PARAMETERS[name]
        of = node
        for part in name.split(".")[1:]:
            of = of.children[part] if hasattr(of, "children") else of[part]
        start = par.first_date.isoformat()
        if par.is_scale:
            scale = of.get_at_instant(start)
            assert [list(p) for p in zip(scale.thresholds, scale.amounts)] == par.at(par.first_date).value
        else:
            assert of(start) == par.at(par.first_date).value, name


def test_every_parameter_and_value_cites_a_gazette_node():
    for name in PARAMETERS.names():
        p = PARAMETERS[name]
        c = p.citation
        assert c is not None and c.docno.startswith("昆政"), name
        assert c.path and c.quote, name
        values = p.values if not p.is_scale else [v for b in p.brackets for k in ("threshold", "amount") for v in b[k]]
        for v in values:
            assert v.citation is not None and v.citation.docno == c.docno, name


def test_thresholds_state_comparison_and_word():
    for name in PARAMETERS.names():
        p = PARAMETERS[name]
        if p.comparison:
            assert p.comparison in (">=", ">", "<=", "<", "=="), name
            assert p.word, name
    # the counting convention, word by word (SPEC §13)
    assert PARAMETERS["headquarters.growth_min_rate"].comparison == ">"  # 超过 excludes
    assert PARAMETERS["headquarters.comprehensive_min_capital"].comparison == ">="  # 以上 includes
    assert PARAMETERS["forestry.econ_target_species_ratio"].comparison == "<="  # 以下 includes
    assert PARAMETERS["forestry.general_canopy_density"].comparison == "<"  # 小于 excludes
    assert PARAMETERS["safety.high_risk_employees"].comparison == ">="  # 以上 includes; 不足 is the rest


def test_interpretations_are_marked_and_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "interpretations.md").read_text(encoding="utf-8")
    assert "## Rules" in doc
    interp = [n for n in PARAMETERS.names() if PARAMETERS[n].interpretation]
    assert len(interp) >= 10
    for name in interp:
        assert PARAMETERS[name].metadata.get("note"), name
        assert f"`{name}`" in doc, f"{name} has no line in docs/interpretations.md"


def test_citation_parse_and_link():
    c = Citation.parse("昆政发〔2010〕63号 附件 第七条(二)：注册资本或净资产1000万元以上")
    assert (c.docno, c.path, c.quote) == ("昆政发〔2010〕63号", "附件 第七条(二)", "注册资本或净资产1000万元以上")
    assert c.url.startswith("/gazette/doc/") and "?node=" in c.url
    c = Citation.parse("昆政办〔2010〕109 号 二(四)")
    assert c.docno == "昆政办〔2010〕109号" and c.path == "二(四)"
