#!/usr/bin/env bash
# examples/aws-workspace from nothing in one apply against the emulator:
# AWS stand-ins -> credentials, storage, network, workspace (PROVISIONING
# -> RUNNING) -> metastore and assignment -> a provider on the new
# workspace's URL and token -> a catalog, a cluster and a job there. The
# next plans are empty, refresh-only too; the cluster and the job exist in
# the new workspace's API and not in the emulator's start-up workspace;
# destroy leaves the account as it was.
source "$(dirname "$0")/../lib.sh"
start_emulator --workspace-provision-ms 500
ACCOUNT=00000000-0000-4000-8000-000000000001
ACC=/api/2.0/accounts/$ACCOUNT
PORT=${EMU_URL##*:}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
api_at() {
	curl -sS -X "$2" -H "Authorization: Bearer $E2E_TOKEN" "$1$3"
}

rm -f "$WORK"/cfg/*.tf
cp "$REPO_DIR"/examples/aws-workspace/*.tf "$WORK/cfg/"
cat >"$WORK/cfg/terraform.tfvars" <<EOF
databricks_account_host = "http://accounts.localhost:$PORT"
prefix                  = "e2e-aws"
EOF
metastores_before=$(api GET "$ACC/metastores" | json 'len(d.get("metastores", []))')

expect_exit 0 apply -auto-approve
expect_exit 0 plan -refresh=false -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
# The service marks the network VALID and names its workspace once the
# workspace uses it: a change the workspace's create made on the service
# side, which the first refresh records (as with the official provider).
# Nothing else may differ.
expect_exit 2 plan -refresh-only -detailed-exitcode
changed=$(grep -cE '^  # .* has changed' "$WORK/last.out" || true)
[ "$changed" = 1 ] && grep -q 'databricks_mws_networks.this has changed' "$WORK/last.out" ||
	{ cat "$WORK/last.out" >&2; fail "the refresh found more than the network's attachment"; }
expect_exit 0 apply -refresh-only -auto-approve
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
tf output -raw workspace_url
url=$(cat "$WORK/last.out")
[ "$url" = "http://e2e-aws.localhost:$PORT" ] || fail "workspace_url $url"
tf output -raw cluster_id
cluster=$(cat "$WORK/last.out")
tf output -raw job_id
job=$(cat "$WORK/last.out")
api_at "$url" GET "/api/2.1/clusters/get?cluster_id=$cluster" | json 'd["cluster_name"]' |
	grep -qx e2e-aws-shared || fail "the cluster is not in the new workspace"
api_at "$url" GET "/api/2.2/jobs/get?job_id=$job" | json 'd["settings"]["name"]' |
	grep -qx e2e-aws-nightly || fail "the job is not in the new workspace"
api_at "$url" GET "/api/2.1/unity-catalog/catalogs/sandbox" | json 'd["name"]' |
	grep -qx sandbox || fail "the catalog is not in the new workspace"
api GET "/api/2.1/clusters/get?cluster_id=$cluster" | grep -q '"cluster_id"' &&
	fail "the cluster is in the start-up workspace too"
api GET "/api/2.2/jobs/get?job_id=$job" | grep -q '"job_id"' &&
	fail "the job is in the start-up workspace too"
api GET "/api/2.1/unity-catalog/catalogs/sandbox" | grep -q '"full_name"' &&
	fail "the catalog is in the start-up workspace too"
ok "the example applies from nothing in one apply; the next plans are empty; cluster, job and catalog live in the new workspace only"

expect_exit 0 destroy -auto-approve
for c in workspaces credentials storage-configurations networks; do
	n=$(api GET "$ACC/$c" | json 'len(d)')
	[ "$n" = 0 ] || fail "$c left after destroy: $n"
done
n=$(api GET "$ACC/metastores" | json 'len(d.get("metastores", []))')
[ "$n" = "$metastores_before" ] || fail "metastores after destroy: $n, before: $metastores_before"
ok "destroy removes everything in dependency order and leaves the account as it was"
done_testing
