"""Load test: the national explorer and PCN pages under concurrent users.

Serve the product first (with the national files imported), then:
  .venv/bin/locust -f benchmarks/registry/locustfile.py --headless -u 20 -r 5 -t 60s \
      --host http://127.0.0.1:8000 --csv var/locust-registry
Figures go in benchmarks/registry/RESULTS.md.
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

PCNS: list[str] = []


class Visitor(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        if not PCNS:
            html = self.client.get("/explore/download/pcns.csv", name="/explore/download").text
            PCNS.extend(re.findall(r"^(U\d+),", html, re.M)[:400])

    @task(3)
    def explorer(self):
        self.client.get("/explore/", name="/explore/")

    @task(1)
    def explorer_band(self):
        low = random.choice([20000, 25000, 30000])
        self.client.get(f"/explore/?band={low}-{low + 20000}", name="/explore/?band")

    @task(4)
    def pcn_page(self):
        if PCNS:
            self.client.get(f"/explore/pcn/{random.choice(PCNS)}/", name="/explore/pcn/[code]/")
