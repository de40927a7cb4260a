"""`kmgov ask` starts lean: a fresh process that loads the command, cuts a question and decides
the rule its answer computes (59号 四(五): 1500 亩 × 100 元 = 150,000 元) imports neither numpy
nor pandas nor pyarrow (only a table's evaluation needs them) nor setuptools' pkg_resources
(jieba opens its files without it). Issue 14: `kmgov ask` from the shell under a second."""

import json
import os
import subprocess
import sys

CHILD = r"""
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "kmgov.settings"
import django
django.setup()
from django.core.management import load_command_class
load_command_class("kmgov.hotline", "ask")
from kmgov.core import search
from kmgov.rules import decide
d = decide("agriculture.land_transfer_reward", {"area_mu": 1500, "as_of": "2011-03-15"}).to_dict()
words = search.words("流转了1500亩地，政府奖励多少")
heavy = sorted(m for m in ("numpy", "pandas", "pyarrow", "pkg_resources") if m in sys.modules)
print(json.dumps({"reward": d["amount_yuan"], "words": words, "heavy": heavy}, ensure_ascii=False))
"""


def test_the_ask_path_imports_no_table_library(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}  # the application, not the tests
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'none.sqlite3'}"  # no overrides table: the gazette's values
    env["KMGOV_VAR"] = str(tmp_path)  # no jieba cache there: the full dictionary is loaded
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["reward"] == 150000
    assert "流转" in got["words"] and "奖励" in got["words"]
    assert got["heavy"] == []
