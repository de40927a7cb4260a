"""Locust users for benchmarks/hotline_load.py (run it, not this file).

DeskUser: an operator filing a ticket (POST /api/v1/hotline/tickets with a bearer token) and
a caller's question searched (GET /api/v1/hotline/answers?q=…), 1:3.
TrivialUser: GET /api/v1/hotline/suggest?q= (empty query: no database work), the baseline."""

import os
import random
import sys
from pathlib import Path

from locust import HttpUser, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kb_quality import QUESTIONS  # noqa: E402

TOKEN = os.environ.get("HOTLINE_BENCH_TOKEN", "")
TYPES = ["query", "complaint", "approval", "suggestion", "other", "report"]


class DeskUser(HttpUser):
    wait_time = constant(0)
    weight = int(os.environ.get("HOTLINE_BENCH_DESK", "1"))

    @task(1)
    def intake(self):
        q, _ = random.choice(QUESTIONS)
        with self.client.post("/api/v1/hotline/tickets", name="POST tickets", json={
                "channel": "phone", "request_type": random.choice(TYPES), "text": q,
                "caller_name": "压测", "caller_phone": "13800000000"},
                headers={"Authorization": f"Bearer {TOKEN}"}, catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"status {r.status_code}: {r.text[:200]}")

    @task(3)
    def ask(self):
        q, _ = random.choice(QUESTIONS)
        self.client.get("/api/v1/hotline/answers", params={"q": q}, name="GET answers")


class TrivialUser(HttpUser):
    wait_time = constant(0)
    weight = int(os.environ.get("HOTLINE_BENCH_TRIVIAL", "0"))

    @task
    def trivial(self):
        self.client.get("/api/v1/hotline/suggest?q=", name="GET trivial")
