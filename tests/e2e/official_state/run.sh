#!/usr/bin/env bash
# Switching from the official provider: a state it wrote (its provider
# address, its schema versions: databricks_secret_scope 2,
# databricks_cluster_policy 1) moves to brickform with `terraform state
# replace-provider`, and the next plan is empty. Terraform refuses a state
# whose schema version is above the provider's, so ours must match.
source "$(dirname "$0")/../lib.sh"
start_emulator

api POST /api/2.0/secrets/scopes/create '{"scope":"team-secrets"}' >/dev/null
policy=$(api POST /api/2.0/policies/clusters/create \
	'{"name":"team-policy","definition":"{\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":30}}"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["policy_id"])')

config_text <<'EOF_TF'
resource "databricks_secret_scope" "team" {
  name = "team-secrets"
}
resource "databricks_cluster_policy" "team" {
  name = "team-policy"
  definition = jsonencode({
    autotermination_minutes = { type = "fixed", value = 30 }
  })
}
EOF_TF

# The state as the official provider (v1.x) writes it.
python3 - "$WORK/cfg/terraform.tfstate" "$policy" <<'EOF_PY'
import json, sys
path, policy = sys.argv[1], sys.argv[2]
prov = 'provider["registry.terraform.io/databricks/databricks"]'
definition = json.dumps({"autotermination_minutes": {"type": "fixed", "value": 30}})
state = {
    "version": 4, "terraform_version": "1.11.4", "serial": 3,
    "lineage": "5b0c9f0e-7d1e-4d7a-9a55-2f8f3c1b0a11", "outputs": {},
    "resources": [
        {"mode": "managed", "type": "databricks_secret_scope", "name": "team",
         "provider": prov,
         "instances": [{"schema_version": 2, "attributes": {
             "id": "team-secrets", "name": "team-secrets",
             "backend_type": "DATABRICKS", "initial_manage_principal": None,
             "keyvault_metadata": []},
             "sensitive_attributes": [], "private": "bnVsbA=="}]},
        {"mode": "managed", "type": "databricks_cluster_policy", "name": "team",
         "provider": prov,
         "instances": [{"schema_version": 1, "attributes": {
             "id": policy, "policy_id": policy, "name": "team-policy",
             "definition": definition, "description": "",
             "max_clusters_per_user": 0, "policy_family_id": "",
             "policy_family_definition_overrides": "", "libraries": []},
             "sensitive_attributes": [], "private": "bnVsbA=="}]},
    ],
    "check_results": None,
}
json.dump(state, open(path, "w"), indent=2)
EOF_PY

expect_exit 0 state replace-provider -auto-approve \
	registry.terraform.io/databricks/databricks registry.terraform.io/brickform/databricks
expect_exit 0 plan -detailed-exitcode
expect_output 'No changes'
ok "a state written by the official provider loads (schema versions 2 and 1) and plans clean"

# The first refresh writes the state in brickform's shape; after it, the
# scheduled drift check is clean.
expect_exit 0 apply -refresh-only -auto-approve
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
ok "after one refresh the state is brickform's and every plan is clean"
done_testing
