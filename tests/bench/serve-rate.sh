#!/usr/bin/env bash
# `make bench`, after tests/bench/serve.rs: the decision service at FIXED arrival rates.
#
# wrk (serve.rs) is a closed loop; this drives `POST /v1/rank` with oha (crates.io, installed by
# `make oha` into target/tools) at 5,000, 10,000 and 12,000 requests/s for 15 s each, 32 connections,
# with --latency-correction (latency counted from when a request was due, so queueing behind a
# slow answer is not hidden). Service and load generator share this machine's cores. One known
# demo shopper in every body (oha sends a fixed body). Prints rank/s and p50/p99/p99.9, fails on
# any non-200 answer or on fewer decision lines logged than ranks answered. 12,000/s shows the
# goal's "at >= 10,000/s" with room: oha's own count at 10,000/s rounds to 9,998.
set -euo pipefail
STUDIO=${STUDIO:-target/release/studio}
OHA=${OHA:-target/tools/bin/oha}
D=$(mktemp -d)
PID=
# Under `set -e` a failing command in the trap would become the script's status: the service is
# stopped only if still running, and nothing in the trap may fail.
trap 'if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; fi; rm -rf "$D"' EXIT
"$STUDIO" demo --project "$D/p.studio" --out "$D/out" >/dev/null
U=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT user_id FROM user_segments ORDER BY user_id LIMIT 1').fetchone()[0])" "$D/p.studio")
"$STUDIO" serve --project "$D/p.studio" --campaign 1 --port 0 --log "$D/log" >"$D/serve.out" &
PID=$!
for _ in $(seq 100); do grep -q 'http://' "$D/serve.out" && break; sleep 0.1; done
URL=$(grep -o 'http://[^ ]*' "$D/serve.out" | head -1)
URL=${URL%/}
total=0
for Q in ${RATES:-5000 10000 12000}; do
  "$OHA" --no-tui -z 15s -c 32 -q "$Q" --latency-correction -m POST -T application/json \
    -d "{\"user_id\":\"$U\",\"placement\":\"google-rda-landscape\",\"lang\":\"zh-CN\"}" \
    --output-format json "$URL/v1/rank" >"$D/oha-$Q.json"
  n=$(python3 - "$D/oha-$Q.json" "$Q" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); s = r["summary"]; p = r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
ok = int(codes.get("200", 0))
print(f"serve at a fixed rate: oha -q {sys.argv[2]} -c 32, 15 s: {s['requestsPerSec']:.0f} rank/s, "
      f"p50 {p['p50'] * 1000:.3f} ms, p99 {p['p99'] * 1000:.3f} ms, p99.9 {p['p99.9'] * 1000:.3f} ms "
      f"(goal p99 < 5 ms at >= 10,000/s); answers {codes}", file=sys.stderr)
bad = sum(int(v) for k, v in codes.items() if k != "200")
if bad: sys.exit(f"{bad} answers were not 200")
print(ok)
PY
)
  total=$((total + n))
done
kill -TERM $PID; wait $PID
PID=
logged=$(cat "$D"/log/*.dsjson | wc -l)
echo "serve at a fixed rate: $total ranks answered 200, $logged decision lines logged" >&2
[ "$logged" -ge "$total" ] || { echo "lost decision lines: $logged logged < $total answered" >&2; exit 1; }
