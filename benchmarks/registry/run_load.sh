#!/usr/bin/env bash
# Serve the product with gunicorn on the current database (import the national files first:
# `openpcn data import-all`), then run locust with 20 users for 60 s against the explorer and
# PCN pages. Prints locust's summary; the CSVs land in var/locust-registry_*.csv.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-8055}
export OPENPCN_ENV=production OPENPCN_LOCAL_HTTP=1
export OPENPCN_SECRET_KEY=${OPENPCN_SECRET_KEY:-load-test-$(date +%s)-not-secret-0123456789}
.venv/bin/openpcn serve --port "$PORT" --workers "${WORKERS:-5}" >var/load-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.5; done
# warm the per-process caches once per worker
for _ in $(seq 10); do curl -sf "http://127.0.0.1:$PORT/explore/" >/dev/null; done
.venv/bin/locust -f benchmarks/registry/locustfile.py --headless -u 20 -r 5 -t "${DURATION:-60s}" \
  --host "http://127.0.0.1:$PORT" --csv var/locust-registry --only-summary 2>&1 | tail -20
