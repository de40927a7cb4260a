"""Contributions are declared on AppConfigs and discovered: the channels name no app."""

import re
from pathlib import Path

from kmgov.site import discovery

SRC = Path(__file__).resolve().parents[2] / "src" / "kmgov"


def test_channels_keep_no_list_of_apps():
    for rel in ("api.py", "urls.py", "site/discovery.py", "site/management/commands/setup.py",
                "site/management/commands/demo.py", "site/management/commands/openapi.py"):
        text = (SRC / rel).read_text(encoding="utf-8")
        named = re.findall(r"kmgov\.(policies|hotline|gazette|rules|procedures)\b", text)
        assert named == [], f"{rel} names {named}"


def test_every_policy_with_pages_declares_them():
    declared = {cfg.label: c for cfg, c in discovery.contributions()}
    for label in ("headquarters", "buildings", "forestry", "agriculture", "mediation", "carbon",
                  "safety"):
        c = declared[label]
        assert c.urls == f"kmgov.policies.{label}.urls"
        assert [m.prefix for m in c.api] == [f"/{label}"]
        assert c.demo and c.nav
    # the kernel's procedures contribute the one router of kmgov.procedures.api
    assert [m.target for m in declared["procedures"].api] == ["kmgov.procedures.api:router"]


def test_setup_steps_and_demo_data_run_in_their_declared_order():
    assert [label for label, _ in discovery.setup_steps()] == ["core", "site", "gazette", "hotline"]
    assert [label for label, _ in discovery.demo_contributors()] == [
        "agriculture", "carbon", "forestry", "buildings", "buildings_devindex", "headquarters",
        "safety", "mediation", "geohazards", "construction", "hotline"]


def test_setup_takes_the_options_its_steps_declare():
    from kmgov.site.management.commands.setup import Command

    parser = Command().create_parser("kmgov", "setup")
    flags = {a for action in parser._actions for a in action.option_strings}
    assert {"--gazette", "--admin"} <= flags


def test_api_paths_come_from_the_declarations():
    from kmgov.api import api

    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    for prefix in ("/api/v1/gazette/", "/api/v1/rules", "/api/v1/headquarters/",
                   "/api/v1/buildings/", "/api/v1/forestry/", "/api/v1/agriculture/",
                   "/api/v1/mediation/", "/api/v1/hotline/", "/api/v1/inbox", "/api/v1/cases/"):
        assert any(p.startswith(prefix) for p in paths), prefix
