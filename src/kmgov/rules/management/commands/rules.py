"""`kmgov rules list | show ID | decide ID --input FILE|- | batch ID --input TABLE --output TABLE`.

`batch` reads and writes CSV, xlsx and Parquet (`kmgov.rules.streams`: in chunks, with the
identifier columns carried through, `--id COL` / `--keep-columns`), or runs on Dask over a
Parquet data set (`--dask [SCHEDULER_ADDRESS]`, `kmgov.rules.distributed`).

Every subcommand takes `--json` for machine output; `decide` prints one JSON object in any
case (`--text` for a readable account of the trace instead). `decide` and `batch` take
`--set PARAM=VALUE` (what-if: the value is read as YAML, never stored). Bad input exits with
status 2 and a message naming the field.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from kmgov.rules.errors import RuleError
from kmgov.rules.parameters import PARAMETERS, parse_override_value
from kmgov.rules.registry import RULES, get_rule
from kmgov.rules.single import decide
from kmgov.rules.streams import CHUNK_ROWS, stream_batch


def _overrides(pairs: list[str] | None) -> dict:
    out = {}
    for pair in pairs or []:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip():
            raise CommandError(f"--set: expected PARAM=VALUE, got {pair!r}", returncode=2)
        out[name.strip()] = parse_override_value(value)
    return out


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


class Command(BaseCommand):
    help = "规则：列出、查看、对一个案例作出决定、批量计算（what-if）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,show,decide,batch,params}")
        p = sub.add_parser("list", help="列出全部规则")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("show", help="规则的输入、输出、引用与参数")
        p.add_argument("rule_id")
        p.add_argument("--at", help="显示参数在该日期的取值（YYYY-MM-DD）")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("decide", help="对一个案例作出决定（输入为 JSON 文件，- 表示标准输入）；输出一个 JSON 对象")
        p.add_argument("rule_id")
        p.add_argument("--input", required=True)
        p.add_argument("--set", action="append", metavar="PARAM=VALUE")
        p.add_argument("--json", action="store_true", help="输出 JSON（默认即是）")
        p.add_argument("--text", action="store_true", help="输出便于阅读的过程说明，而不是 JSON")
        p = sub.add_parser("batch", help="对表中的每一行作出决定（CSV、xlsx 或 Parquet），写出同样格式之一的结果表")
        p.add_argument("rule_id")
        p.add_argument("--input", required=True, help="输入：.csv（- 为标准输入）、.xlsx、.parquet 文件或 Parquet 数据集目录")
        p.add_argument("--output", required=True, help="输出：.csv（- 为标准输出）、.xlsx、.parquet；--dask 时为 Parquet 目录")
        p.add_argument("--id", action="append", metavar="COL", dest="ids",
                       help="原样带到输出的标识列（可重复），以便结果与原表对应")
        p.add_argument("--keep-columns", action="store_true", help="把所有不是规则输入的列原样带到输出")
        p.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS, metavar="N",
                       help=f"每次读入并计算的行数（默认 {CHUNK_ROWS}）：大于内存的表分块流过")
        p.add_argument("--dask", nargs="?", const="local", default=None, metavar="SCHEDULER_ADDRESS",
                       help="在 Dask 上对 Parquet 数据集逐分区计算（不给地址：本机两个工作进程）")
        p.add_argument("--set", action="append", metavar="PARAM=VALUE")
        p.add_argument("--at", help="未给出 as_of 列时的适用日期")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("params", help="列出参数（可按前缀过滤）")
        p.add_argument("prefix", nargs="?", default="")
        p.add_argument("--json", action="store_true")

    def handle(self, *args, action, **opts):
        try:
            return getattr(self, f"_{action}")(**opts)
        except RuleError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except OSError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _out(self, text: str) -> None:
        self.stdout.write(text)

    def _list(self, json: bool = False, **_):
        rows = [{"id": r.id, "title": r.title, "outputs": list(r.outputs), "outcomes": list(r.outcomes),
                 "citations": [c.reference for c in r.citations]} for r in sorted(RULES.values(), key=lambda r: r.id)]
        if json:
            self._out(_dump(rows))
            return
        for r in rows:
            self._out(f"{r['id']:<42} {r['title']}")

    def _show(self, rule_id, at=None, json: bool = False, **_):
        rule = get_rule(rule_id)
        when = _date(at) if at else None
        desc = rule.describe()
        desc["parameters"] = [PARAMETERS[n].describe(when) for n in rule.parameter_names()]
        if json:
            self._out(_dump(desc))
            return
        self._out(f"{rule.id}  {rule.title}\n")
        self._out(rule.doc + "\n")
        for c in rule.citations:
            self._out(f"  依据 {c.reference}")
        self._out("\n输入：")
        props = desc["inputs_schema"].get("properties", {})
        required = set(desc["inputs_schema"].get("required", []))
        for name, spec in props.items():
            self._out(f"  {name}{' *' if name in required else ''}  {spec.get('description', '')}")
        self._out("\n输出：" + ", ".join((["outcome"] if rule.outcomes else []) + list(rule.outputs)))
        self._out("\n参数：")
        for p in desc["parameters"]:
            val = p.get("values", [{}])[-1].get("value") if p.get("values") else p.get("brackets")
            flag = " [解释]" if p["interpretation"] else ""
            self._out(f"  {p['name']} = {val!r}{flag}  {p['citation']['reference'] if p['citation'] else ''}")

    def _decide(self, rule_id, input, set=None, json: bool = False, text: bool = False, **_):
        rule = get_rule(rule_id)
        if input == "-":
            raw = sys.stdin.read()
        else:
            with open(input, encoding="utf-8") as fh:
                raw = fh.read()
        try:
            data = __import__("json").loads(raw)
        except ValueError as exc:
            raise CommandError(f"--input: not JSON: {exc}", returncode=2) from None
        decision = decide(rule.id, data, overrides=_overrides(set)).to_dict()
        if json or not text:  # one JSON object, unless a reader asked for --text
            self._out(_dump(decision))
            return
        head = [f"{rule.id}（{rule.title}）"]
        if "outcome" in decision:
            head.append(f"结论：{decision['outcome']}")
        for k in rule.outputs:
            head.append(f"{k} = {decision.get(k)!r}")
        self._out("\n".join(head))
        self._out("\n过程：")
        for i, s in enumerate(decision["trace"], 1):
            mark = "" if s["ok"] is None else ("✓ " if s["ok"] else "✗ ")
            ref = s["citation"]["reference"] if s["citation"] else ""
            self._out(f" {i:>2}. {mark}{s['check']} → {s['result']!r}   {ref}")
            for p in s["parameters"]:
                self._out(f"       参数 {p['name']} = {p['value']!r}（自 {p['effective']} 起）{' [解释]' if p['interpretation'] else ''}")
        if decision.get("unmet"):
            self._out("\n未满足：")
            for u in decision["unmet"]:
                thr = f"（{u.get('comparison')} {u.get('threshold')}，{u.get('word')}）" if u.get("threshold") is not None else ""
                self._out(f"  - {u['condition']}{thr}")

    def _batch(self, rule_id, input, output, set=None, at=None, json: bool = False, ids=None, keep_columns=False,
               chunk_rows=CHUNK_ROWS, dask=None, **_):
        rule = get_rule(rule_id)
        if chunk_rows < 1:
            raise CommandError("--chunk-rows：应为正整数", returncode=2)
        when = _date(at) if at else None
        overrides = _overrides(set)
        t0 = time.perf_counter()
        if dask is not None:
            from kmgov.rules.distributed import dask_batch

            summary = dask_batch(rule, input, output, scheduler=None if dask == "local" else dask, ids=ids,
                                 keep_columns=keep_columns, overrides=overrides, at=when,
                                 log=None if json else self.stderr.write)
        else:
            from kmgov.core.progress import Progress

            with Progress("计算", None, stream=self.stderr, quiet=json) as bar:
                def progress(done, total):
                    if total is not None and bar.total is None:
                        bar.set_total(total)
                    bar.advance(done - bar.done)

                summary = stream_batch(rule, input, output, ids=ids, keep_columns=keep_columns, overrides=overrides,
                                       at=when, chunk_rows=chunk_rows, stdin=sys.stdin, stdout=self.stdout,
                                       progress=progress)
        total = time.perf_counter() - t0
        summary = {"rule": rule.id, **summary, "output": output}
        summary.setdefault("seconds", {})["total"] = round(total, 4)
        if json:
            self._out(_dump(summary))
        else:
            self.stderr.write(f"写出 {summary['written']} 行到 {output}（共 {total:.2f} 秒）")

    def _params(self, prefix="", json: bool = False, **_):
        names = [n for n in PARAMETERS.names() if n.startswith(prefix)]
        rows = [PARAMETERS[n].describe() for n in names]
        if json:
            self._out(_dump(rows))
            return
        for p in rows:
            val = p["values"][-1]["value"] if p.get("values") else p.get("brackets")
            self._out(f"{p['name']} = {val!r}{' [解释]' if p['interpretation'] else ''}")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at: not a date (YYYY-MM-DD): {text!r}", returncode=2) from None
