"""The layer contracts (pyproject [tool.importlinter], run by `make lint`) bite: on a copy of
src/ in which the kernel imports a policy, core imports the gazette and one policy imports
another, `lint-imports` fails naming each broken contract; on the untouched copy it passes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def tree(tmp_path):
    shutil.copytree(ROOT / "src" / "kmgov", tmp_path / "src" / "kmgov",
                    ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.yaml"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_contracts_pass_on_the_tree_and_fail_on_each_kind_of_breach(tree):
    kept = _lint(tree)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert str(tree / "src") in subprocess.run(  # the copy is what was analysed, not the real tree
        [sys.executable, "-c", "import kmgov; print(kmgov.__file__)"],
        env={**os.environ, "PYTHONPATH": str(tree / "src")}, capture_output=True, text=True,
        cwd=tree).stdout

    pkg = tree / "src" / "kmgov"
    _append(pkg / "procedures" / "services.py", "import kmgov.policies.mediation.models  # breach")
    _append(pkg / "core" / "calendar.py", "from kmgov.gazette import selectors  # breach")
    _append(pkg / "policies" / "forestry" / "services.py",
            "from kmgov.policies.agriculture import models  # breach")
    _append(pkg / "policies" / "_recognition.py",
            "from kmgov.policies.headquarters import apps  # breach")
    broken = _lint(tree)
    out = broken.stdout + broken.stderr
    assert broken.returncode != 0, out
    broken_part = out.split("Broken contracts", 1)[1]
    for name in (
        "The kernel (core, gazette, rules, procedures) never imports a policy",
        "kmgov.core imports no other kmgov package",
        "Policies do not import each other",
        "The shared recognition route (policies._recognition*) is a layer below",
    ):
        assert name in broken_part, out
    assert "kmgov.procedures is not allowed to import kmgov.policies:" in out
    assert "kmgov.procedures.services -> kmgov.policies.mediation.models" in out
    assert "kmgov.core.calendar -> kmgov.gazette.selectors" in out
    assert "kmgov.policies.forestry.services -> kmgov.policies.agriculture.models" in out
    assert "Contracts: 1 kept, 4 broken." in out
