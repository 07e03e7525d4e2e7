#!/usr/bin/env bash
# Lost answers to creates, through real terraform: the workspace carries
# out about one write in ten and then closes the connection without an
# answer (drop-create), on top of throttling, 503s and dropped reads. No
# create may be lost or made twice: apply succeeds, and with the faults
# off every scope, secret, ACL and job exists exactly once, once in the
# state, and the next plan is empty.
#
# The seed is fixed so that CI sees the same faults; the test fails if no
# answer to a scopes/create or jobs/create was dropped (then it would prove
# nothing: pick another seed).
source "$(dirname "$0")/../lib.sh"
SEED=${FAULTS_CREATE_SEED:-3}
start_emulator --faults 'drop-create=0.1,429=0.03,503=0.03,GET /api/*:reset=0.03,retry-after=1' --seed "$SEED"

config_text <<'EOF_TF'
locals {
  scopes = toset([for i in range(8) : "lost-${i}"])
  jobs   = toset([for i in range(6) : "lost-job-${i}"])
}
resource "databricks_secret_scope" "s" {
  for_each = local.scopes
  name     = each.key
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
resource "databricks_job" "j" {
  for_each = local.jobs
  name     = each.key

  job_cluster {
    job_cluster_key = "c"
    new_cluster {
      spark_version = "15.4.x-scala2.12"
      node_type_id  = "i3.xlarge"
      num_workers   = 1
    }
  }
  task {
    task_key        = "ingest"
    job_cluster_key = "c"
    notebook_task {
      notebook_path = "/Workspace/etl/ingest"
    }
  }
  task {
    task_key        = "transform"
    job_cluster_key = "c"
    depends_on {
      task_key = "ingest"
    }
    notebook_task {
      notebook_path = "/Workspace/etl/transform"
    }
  }
}
EOF_TF

# One resource at a time, so that the seeded faults fall on the same
# requests from run to run.
expect_exit 0 apply -auto-approve -parallelism=1
ok "apply succeeds while answers to creates are lost"

curl -sS "$EMU_URL/_emulator/faults" >"$WORK/faults.json"
curl -sS "$EMU_URL/_emulator/requests" >"$WORK/requests.json"
python3 - "$WORK/faults.json" "$WORK/requests.json" <<'PY' || fail "drop-create did not hit a create (seed $SEED): $(cat "$WORK/faults.json")"
import json, sys
f = json.load(open(sys.argv[1]))
injected = f.get("injected") or {}
print(f"# faults injected: {injected}")
creates = {}
for r in json.load(open(sys.argv[2]))["requests"]:
    if r.get("fault") == "drop-create":
        key = f'{r["method"]} {r["path"]}'
        creates[key] = creates.get(key, 0) + 1
print(f"# answers dropped by endpoint: {creates}")
assert injected.get("drop-create", 0) >= 1, injected
assert any(k.endswith(("/scopes/create", "/jobs/create")) for k in creates), creates
PY
ok "the emulator dropped answers to creates"

# Faults off to inspect: every object exists exactly once.
curl -sS -X DELETE "$EMU_URL/_emulator/faults" >/dev/null
api GET /api/2.0/secrets/scopes/list >"$WORK/scopes.json"
api GET '/api/2.2/jobs/list?limit=100' >"$WORK/jobs.json"
for i in $(seq 0 7); do
	api GET "/api/2.0/secrets/list?scope=lost-$i" >"$WORK/secrets-$i.json"
	api GET "/api/2.0/secrets/acls/list?scope=lost-$i" >"$WORK/acls-$i.json"
done
python3 - "$WORK" <<'PY' || fail "objects missing or duplicated"
import json, os, sys
w = sys.argv[1]
scopes = sorted(s["name"] for s in json.load(open(f"{w}/scopes.json")).get("scopes", []))
assert scopes == sorted(f"lost-{i}" for i in range(8)), scopes
jobs = sorted(j["settings"]["name"] for j in json.load(open(f"{w}/jobs.json")).get("jobs", []))
assert jobs == sorted(f"lost-job-{i}" for i in range(6)), f"jobs: {jobs}"
for i in range(8):
    keys = [s["key"] for s in json.load(open(f"{w}/secrets-{i}.json")).get("secrets", [])]
    assert keys == ["k"], (i, keys)
    acls = [(a["principal"], a["permission"]) for a in json.load(open(f"{w}/acls-{i}.json")).get("items", [])]
    assert ("readers", "READ") in acls, (i, acls)
print(f"# {len(scopes)} scopes, {len(jobs)} jobs, each once")
PY
ok "every object exists exactly once (no duplicate jobs)"

terraform -chdir="$WORK/cfg" state list >"$WORK/state.txt"
python3 - "$WORK/state.txt" <<'PY' || fail "state: $(cat "$WORK/state.txt")"
import sys
lines = [l.strip() for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == len(set(lines)), lines
kinds = {}
for l in lines:
    t = l.split("[")[0]
    kinds[t] = kinds.get(t, 0) + 1
assert kinds == {"databricks_secret_scope.s": 8, "databricks_secret.k": 8,
                 "databricks_secret_acl.r": 8, "databricks_job.j": 6}, kinds
PY
ok "the state has each object once"

expect_exit 0 plan -detailed-exitcode
ok "the next plan is empty"

expect_exit 0 destroy -auto-approve
done_testing
