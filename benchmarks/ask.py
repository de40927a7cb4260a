"""`kmgov ask` from the shell: the CPU and wall time of one question, start to exit.

    .venv/bin/python benchmarks/ask.py [--runs 5] [--against main] [--question "…"]

Needs a set-up database (`kmgov setup --gazette …`, as `make serve` does) and the jieba lookup
file that the first `kmgov ask` writes under var/. Each run is a fresh process,
`python -m kmgov.cli ask QUESTION`; its user and system CPU come from the kernel's accounting of
the child (`os.wait4`), so other sessions on the machine inflate the wall time, not the CPU.
With `--against REF` the tree at git REF (its `src/` extracted to a temporary directory) answers
the same question in the same run, runs alternating, on the same database: the same-run
reference. Every round also runs `kmgov help ask` ("boot"): the platform started and the command
loaded, no question answered — what any `kmgov` command costs on this host before its own work.
Both trees' modules are compiled to bytecode first, as an installed package's are (an editable
install under `PYTHONDONTWRITEBYTECODE=1` would otherwise compile ≈ 130 modules in every run,
≈ 0.25 s). The answers of both trees are compared. Results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "流转了1500亩地，政府奖励多少"


def one_run(src: Path, question: str | None) -> dict:
    """`kmgov ask QUESTION --json` in a fresh process; with no question `kmgov help ask`: the same
    entry point and the same boot of the platform (settings, every app, its models and rules),
    the command loaded, nothing answered — the same-run floor under the question's figure."""
    env = {**os.environ, "PYTHONPATH": str(src), "KMGOV_HOME": str(ROOT)}
    argv = ["ask", question, "--json"] if question is not None else ["help", "ask"]
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kmgov.cli", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(ROOT))
    out, err = proc.stdout.read(), proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{src}: exit {proc.returncode}\n{err.decode()}")
    answers = [(a["title"], a.get("computed")) for a in json.loads(out)["answers"]] if question is not None else None
    return {"user": usage.ru_utime, "sys": usage.ru_stime, "cpu": usage.ru_utime + usage.ru_stime,
            "wall": wall, "answers": answers}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--against", metavar="GIT_REF", help="the same question answered by the tree at GIT_REF")
    ap.add_argument("--question", default=QUESTION)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this": ROOT / "src"}
        if args.against:
            archive = Path(tmp) / "src.tar"
            with open(archive, "wb") as fh:
                subprocess.run(["git", "-C", str(ROOT), "archive", args.against, "src"], stdout=fh, check=True)
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
            trees["reference"] = Path(tmp) / "src"
        for src in trees.values():
            compileall.compile_dir(str(src / "kmgov"), quiet=1)
        one_run(trees["this"], args.question)  # warm the file cache
        runs: dict[str, list[dict]] = {name: [] for name in [*trees, "boot"]}
        load = os.getloadavg()
        for _ in range(args.runs):
            for name, src in trees.items():
                runs[name].append(one_run(src, args.question))
            runs["boot"].append(one_run(trees["this"], None))
        load_after = os.getloadavg()
    result = {"question": args.question, "runs": args.runs, "load_average_before": load,
              "load_average_after": load_after}
    for name, rs in runs.items():
        result[name] = {k: [round(r[k], 3) for r in rs] for k in ("user", "sys", "cpu", "wall")}
        result[name]["median_cpu"] = statistics.median(r["cpu"] for r in rs)
        result[name]["median_user"] = statistics.median(r["user"] for r in rs)
        result[name]["median_wall"] = statistics.median(r["wall"] for r in rs)
    # the question's own cost above the boot (this tree), and the boot's share of the whole
    result["answering_cpu"] = result["this"]["median_cpu"] - result["boot"]["median_cpu"]
    result["boot_share"] = result["boot"]["median_cpu"] / result["this"]["median_cpu"]
    if "reference" in runs:
        result["against"] = args.against
        result["same_answers"] = all(a["answers"] == b["answers"] for a, b in zip(runs["this"], runs["reference"]))
        result["cpu_ratio"] = result["reference"]["median_cpu"] / result["this"]["median_cpu"]
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "ask.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
