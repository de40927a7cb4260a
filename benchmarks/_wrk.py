"""wrk, the compiled load generator both load benchmarks drive (hotline_load.py, procedures.py):
found or installed from Debian, run with a Lua script that prints one `RESULT {json}` line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                   stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("wrk could not be installed (apt-get install wrk)")


def run_wrk(port, script, *, seconds, connections, threads, wrk: str | None = None) -> dict:
    """One wrk run against 127.0.0.1:`port`: the script's RESULT numbers plus `seconds`, `rps`,
    `errors` (status, connect, read, write, timeout) and the mean 1-minute load while it ran."""
    wrk = wrk or ensure_wrk()
    load0 = os.getloadavg()[0]
    p = subprocess.run([wrk, "-t", str(threads), "-c", str(connections), "-d", f"{round(seconds)}s",
                        "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"],
                       capture_output=True, text=True, timeout=seconds + 120)
    line = next((ln for ln in p.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result:\n{p.stdout}\n{p.stderr}")
    r = json.loads(line[7:])
    r["seconds"] = r["duration_us"] / 1e6
    if "requests" in r:
        r["rps"] = r["requests"] / r["seconds"]
    r["errors"] = sum(r.get(k, 0) for k in ("status_errors", "connect", "read", "write", "timeout"))
    r["load_avg"] = round((load0 + os.getloadavg()[0]) / 2, 1)
    return r
