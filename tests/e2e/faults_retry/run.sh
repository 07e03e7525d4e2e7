#!/usr/bin/env bash
# Throttling and transient faults, through real terraform: with about one
# request in five refused (429 with Retry-After, 503) and reads failing with
# 500s and dropped connections, a secrets configuration and the
# daily-etl-pipeline job apply with no error; every object exists once; the
# next plan is empty. Faults the client must not retry blindly (a write
# that may have happened) are left to a later test.
source "$(dirname "$0")/../lib.sh"
start_emulator --faults '429=0.1,503=0.1,GET /api/*:500=0.05,GET /api/*:reset=0.05,retry-after=1' --seed 42

config_text <<'EOF_TF'
resource "databricks_secret_scope" "s" {
  for_each = toset(["a", "b", "c"])
  name     = "faulty-${each.key}"
}
resource "databricks_secret" "k" {
  for_each     = databricks_secret_scope.s
  scope        = each.value.name
  key          = "k"
  string_value = "v-${each.key}"
}
resource "databricks_secret_acl" "r" {
  for_each   = databricks_secret_scope.s
  scope      = each.value.name
  principal  = "readers"
  permission = "READ"
}
EOF_TF
sed -n '/^resource "databricks_job"/,$p' "$REPO_DIR/examples/daily-etl-pipeline/main.tf" >>"$WORK/cfg/main.tf"

expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
ok "apply and plan succeed while requests are throttled and failing"

curl -sS "$EMU_URL/_emulator/faults" >"$WORK/faults.json"
python3 - "$WORK/faults.json" <<'PY' || fail "no faults were injected: $(cat "$WORK/faults.json")"
import json, sys
f = json.load(open(sys.argv[1]))
counts = f.get("counts") or f.get("injected") or {}
total = sum(v for v in counts.values() if isinstance(v, int))
print(f"# faults injected: {counts}")
assert total >= 5, counts
PY
ok "the emulator injected faults along the way"

# Faults off to inspect: every object exists exactly once.
curl -sS -X DELETE "$EMU_URL/_emulator/faults" >/dev/null
api GET /api/2.0/secrets/scopes/list >"$WORK/scopes.json"
api GET /api/2.2/jobs/list >"$WORK/jobs.json"
python3 - "$WORK/scopes.json" "$WORK/jobs.json" <<'PY' || fail "unexpected objects"
import json, sys
scopes = sorted(s["name"] for s in json.load(open(sys.argv[1]))["scopes"])
assert scopes == ["faulty-a", "faulty-b", "faulty-c"], scopes
jobs = [j["settings"]["name"] for j in json.load(open(sys.argv[2]))["jobs"]]
assert jobs == ["daily-etl-pipeline"], jobs
PY
ok "every object exists once"

expect_exit 0 destroy -auto-approve
done_testing
