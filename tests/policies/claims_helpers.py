"""Helpers of the forestry, agriculture and mediation tests (importable as policies.claims_helpers)."""

import json

from django.test import Client


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def step(client, code, ref, name, **body):
    return post(client, f"/api/v1/cases/{code}/{ref}/steps/{name}", body)
