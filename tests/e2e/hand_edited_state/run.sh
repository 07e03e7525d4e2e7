#!/usr/bin/env bash
# A state file edited by hand: identifiers set to null. `terraform plan`
# must end with one clear diagnostic pointing at the id, never with a
# crashed plugin ("Plugin did not respond"), for a secret scope (whose
# read once dereferenced the null name), a cluster policy and a job; and
# once the ids are restored, the plan is clean again.
source "$(dirname "$0")/../lib.sh"
start_emulator

config_text <<'EOF_TF'
resource "databricks_secret_scope" "app" {
  name = "app"
}
resource "databricks_cluster_policy" "small" {
  name       = "small"
  definition = jsonencode({ "autotermination_minutes" = { type = "fixed", value = 20 } })
}
resource "databricks_job" "nightly" {
  name = "nightly"
}
EOF_TF
apply_clean
cp "$WORK/cfg/terraform.tfstate" "$WORK/good.tfstate"

# null_ids TYPE ATTR...: sets the attributes of TYPE's instance to null.
null_ids() {
	python3 - "$WORK/cfg/terraform.tfstate" "$@" <<'PY'
import json, sys
path, rtype, attrs = sys.argv[1], sys.argv[2], sys.argv[3:]
st = json.load(open(path))
for r in st["resources"]:
    if r["type"] == rtype:
        for i in r["instances"]:
            for a in attrs:
                i["attributes"][a] = None
st["serial"] += 1
json.dump(st, open(path, "w"))
PY
}

for case in "databricks_secret_scope id name" "databricks_cluster_policy id policy_id" "databricks_job id"; do
	cp "$WORK/good.tfstate" "$WORK/cfg/terraform.tfstate"
	# shellcheck disable=SC2086
	null_ids $case
	expect_exit 1 plan
	expect_output 'State without an id'
	expect_output "with ${case%% *}\."
	if grep -q 'Plugin did not respond\|panic\|crash' "$WORK/last.out"; then
		cat "$WORK/last.out" >&2
		fail "the provider crashed on a state without an id (${case%% *})"
	fi
	expect_exit 1 plan -refresh-only
	expect_output 'State without an id'
done
ok "null identifiers in a hand-edited state give one diagnostic, no crash"

cp "$WORK/good.tfstate" "$WORK/cfg/terraform.tfstate"
expect_exit 0 plan -detailed-exitcode
ok "with the ids restored the plan is clean"

done_testing
