"""`kmgov ask "问题" [--json] [--limit N]`: the desk's ranked answers, each with its text,
owning department, validity and citation."""

import json

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from kmgov.hotline import kb, services


class Command(BaseCommand):
    help = "用中文提问，返回知识库和公报中排序后的答案（含授权部门、有效期和出处）"
    # A question from the shell answers in well under a second: no system checks (they import
    # every URLconf, the whole API and its charts, ≈ 2 s), which `kmgov check`, `migrate` and
    # the server run anyway.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("question")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--limit", type=int, default=3)
        parser.add_argument("--no-nodes", action="store_true", help="只查知识库，不查公报原文")

    def handle(self, *args, question, json=False, limit=3, no_nodes=False, **opts):
        from kmgov.core import search

        # One question and the process ends: read only its words' entries of jieba's
        # dictionary (core.search.tokenizer_for), not the whole dictionary.
        try:
            q = services.clean_question(question)
        except ValidationError as e:
            raise CommandError("；".join(m for ms in e.message_dict.values() for m in ms)) from None
        search.lean = True
        try:
            hits = [h.as_dict() for h in kb.answers(q, limit=limit, include_nodes=not no_nodes)]
        finally:
            search.lean = False
        if search._jieba is not None:  # the lookup file was missing: write it for next time
            search.lookup_write()
        if json:
            self.stdout.write(_dumps({"query": q, "count": len(hits), "answers": hits}))
            return
        if not hits:
            self.stdout.write("没有找到授权答案；请转相关部门的接入平台或联络员。")
        for i, h in enumerate(hits, 1):
            valid = f"{h['valid_from']}～{h['valid_to'] or '长期'}" if h["valid_from"] else ""
            self.stdout.write(self.style.SUCCESS(f"{i}. {h['title']}"))
            self.stdout.write(f"   {h['text']}")
            self.stdout.write(f"   出处：{h['citation']}  {h['org']}  {valid}")
            if h["rule_url"]:
                self.stdout.write(f"   计算：{h['rule_url']}")


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)
