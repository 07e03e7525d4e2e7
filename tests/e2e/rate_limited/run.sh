#!/usr/bin/env bash
# A rate-limited workspace (the emulator admits 20 requests a second and
# answers the rest with 429 and Retry-After: 1), through real terraform:
#  1. With the provider's default rate limit (15/s, under the workspace's)
#     applying 200 resources never meets a 429: the client paces itself.
#  2. With DATABRICKS_RATE_LIMIT=100 (over the workspace's) a refreshing
#     plan and a destroy are throttled, and still succeed: 429s are retried
#     honouring Retry-After.
# The achieved request rates and throttled counts are printed as "# " lines.
source "$(dirname "$0")/../lib.sh"
start_emulator --rate-limit 20

config_text <<'EOF_TF'
locals {
  scopes = [for i in range(40) : "rl-${i}"]
  pairs  = { for p in setproduct(local.scopes, ["a", "b"]) : "${p[0]}/${p[1]}" => p }
}
resource "databricks_secret_scope" "s" {
  for_each = toset(local.scopes)
  name     = each.key
}
resource "databricks_secret" "k" {
  for_each     = local.pairs
  scope        = databricks_secret_scope.s[each.value[0]].name
  key          = each.value[1]
  string_value = "v-${each.key}"
}
resource "databricks_secret_acl" "r" {
  for_each   = local.pairs
  scope      = databricks_secret_scope.s[each.value[0]].name
  principal  = each.value[1] == "a" ? "readers" : "writers"
  permission = each.value[1] == "a" ? "READ" : "WRITE"
}
EOF_TF

# counters NAME: prints "admitted throttled" of the emulator's rate limit.
counters() {
	curl -sS "$EMU_URL/_emulator/requests" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["admitted"], r["throttled"])'
}

now() { date +%s.%N; }

# 1. The default client rate limit, under the workspace's.
unset DATABRICKS_RATE_LIMIT
curl -sS -X DELETE "$EMU_URL/_emulator/requests" >/dev/null
t0=$(now)
expect_exit 0 apply -auto-approve
t1=$(now)
expect_output 'Apply complete! Resources: 200 added'
read -r admitted throttled < <(counters)
python3 -c "import sys; a,t0,t1=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'# default rate limit (15/s): {a} requests admitted in {t1-t0:.1f} s = {a/(t1-t0):.1f} req/s, throttled {sys.argv[4]}')" "$admitted" "$t0" "$t1" "$throttled"
[ "$throttled" -eq 0 ] || fail "the workspace throttled $throttled requests although the client stays under its limit"
[ "$admitted" -ge 200 ] || fail "only $admitted requests for 200 resources"
ok "200 resources applied with no request throttled"

# 2. A client limit over the workspace's: throttled, retried, no error.
export DATABRICKS_RATE_LIMIT=100
curl -sS -X DELETE "$EMU_URL/_emulator/requests" >/dev/null
t0=$(now)
expect_exit 0 plan -detailed-exitcode
expect_exit 0 destroy -auto-approve
t1=$(now)
expect_output 'Destroy complete! Resources: 200 destroyed'
read -r admitted throttled < <(counters)
python3 -c "import sys; a,t0,t1=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'# DATABRICKS_RATE_LIMIT=100: {a} requests admitted in {t1-t0:.1f} s = {a/(t1-t0):.1f} req/s, throttled {sys.argv[4]}')" "$admitted" "$t0" "$t1" "$throttled"
[ "$throttled" -gt 0 ] || fail "nothing was throttled at 100 requests a second"
ok "refreshing plan and destroy succeed although $throttled requests were throttled"

api GET /api/2.0/secrets/scopes/list >"$WORK/scopes.json"
python3 - "$WORK/scopes.json" <<'PY' || fail "scopes left: $(cat "$WORK/scopes.json")"
import json, sys
assert not json.load(open(sys.argv[1])).get("scopes"), "scopes remain"
PY
ok "everything was destroyed"
done_testing
