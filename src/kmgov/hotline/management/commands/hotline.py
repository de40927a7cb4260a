"""`kmgov hotline seed` loads the knowledge base and desk configuration (idempotent);
`kmgov hotline sweep` sends reminders and escalates overdue replies (run it from cron, e.g.
every 15 minutes; it is idempotent) and runs the knowledge base's expiry sweep;
`kmgov hotline kb-expiry` only the latter (reminders before an entry's validity ends, expired
entries marked); `kmgov hotline key LABEL` issues an Open311 api_key."""

import json

from django.core.management import BaseCommand

from kmgov.hotline import services


class Command(BaseCommand):
    help = "96128 热线：载入知识库（seed）、催办与超期督办（sweep）、知识库到期提醒（kb-expiry）、签发 Open311 密钥（key）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["seed", "sweep", "kb-expiry", "key"])
        parser.add_argument("label", nargs="?", default="")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, action, label="", json=False, **opts):
        if action == "seed":
            result = services.kb_seed_load()
        elif action == "sweep":
            result = services.tickets_sweep()
            result["kb_expiry"] = services.kb_expiry_sweep()
        elif action == "kb-expiry":
            result = services.kb_expiry_sweep()
        else:
            k = services.open311_key_create(label=label or "client")
            result = {"label": k.label, "api_key": k.key}
        if json:
            self.stdout.write(_dumps(result))
        else:
            for k, v in result.items():
                self.stdout.write(f"{k}: {v}")


def _dumps(obj):
    return json.dumps(obj, ensure_ascii=False)
