#!/usr/bin/env bash
# Click-ops to GitOps: a workspace populated by REST as a person clicking
# would (jobs on a shared job cluster and on standing clusters, schedules,
# clusters with libraries, a policy, a pool, secret scopes with secrets and
# ACLs) is exported with `terraform-provider-databricks exporter`; the
# output validates, is formatted, plans only imports, applies without
# touching anything, and then plans empty. -incremental after one job's
# change rewrites only that job's block; a service answering 403 is
# skipped and the rest exports.
source "$(dirname "$0")/../lib.sh"
start_emulator

# The generated provider.tf names brickform/databricks: this build is
# installed from a local mirror, so that `terraform init` works as it would
# for a user (and offline).
py_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
mirror="$WORK/mirror/registry.terraform.io/brickform/databricks/0.1.0/$(
	terraform version -json | py_get 'd["platform"]')"
mkdir -p "$mirror"
cp "$TFP_PROVIDER" "$mirror/terraform-provider-databricks_v0.1.0"
cat >"$WORK/dev.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$WORK/mirror"
    include = ["brickform/databricks"]
  }
  direct {
    exclude = ["brickform/databricks"]
  }
}
EOF

# --- the workspace, as clicked together -------------------------------------
api POST /api/2.0/policies/clusters/create '{"name":"Team policy","definition":"{\"autotermination_minutes\":{\"type\":\"range\",\"maxValue\":120}}"}' >"$WORK/r"
POLICY=$(py_get 'd["policy_id"]' <"$WORK/r")
api POST /api/2.0/instance-pools/create '{"instance_pool_name":"Warm pool","node_type_id":"i3.xlarge","min_idle_instances":0,"idle_instance_autotermination_minutes":15}' >"$WORK/r"
POOL=$(py_get 'd["instance_pool_id"]' <"$WORK/r")
CLUSTERS=()
for c in "Shared ETL" "Data Science" "BI adhoc"; do
	api POST /api/2.1/clusters/create "{\"cluster_name\":\"$c\",\"spark_version\":\"14.3.x-scala2.12\",\"node_type_id\":\"i3.xlarge\",\"num_workers\":1,\"autotermination_minutes\":45,\"policy_id\":\"$POLICY\"}" >"$WORK/r"
	CLUSTERS+=("$(py_get 'd["cluster_id"]' <"$WORK/r")")
done
api POST /api/2.0/libraries/install "{\"cluster_id\":\"${CLUSTERS[0]}\",\"libraries\":[{\"pypi\":{\"package\":\"requests==2.31.0\"}},{\"maven\":{\"coordinates\":\"org.jsoup:jsoup:1.7.2\"}}]}" >/dev/null
api POST /api/2.0/libraries/install "{\"cluster_id\":\"${CLUSTERS[1]}\",\"libraries\":[{\"whl\":\"dbfs:/libs/model-1.0-py3-none-any.whl\"}]}" >/dev/null
api POST /api/2.0/libraries/install "{\"cluster_id\":\"${CLUSTERS[2]}\",\"libraries\":[{\"jar\":\"dbfs:/libs/udfs.jar\"}]}" >/dev/null

for i in 1 2 3 4; do
	# On a standing cluster, scheduled.
	api POST /api/2.2/jobs/create "{\"name\":\"Standing job $i\",\"max_concurrent_runs\":1,\"schedule\":{\"quartz_cron_expression\":\"0 $i 2 * * ?\",\"timezone_id\":\"Europe/Amsterdam\"},\"email_notifications\":{\"on_failure\":[\"ops@example.com\"]},\"tasks\":[{\"task_key\":\"main\",\"existing_cluster_id\":\"${CLUSTERS[$(((i - 1) % 3))]}\",\"notebook_task\":{\"notebook_path\":\"/Shared/etl/step_$i\",\"base_parameters\":{\"env\":\"prod\",\"template\":\"\${not_a_var}\"}}}]}" >/dev/null
done
for i in 1 2 3 4; do
	# Several tasks on one shared job cluster, some scheduled.
	sched=""
	if [ "$i" -le 2 ]; then
		sched="\"schedule\":{\"quartz_cron_expression\":\"0 0 $i * * ?\",\"timezone_id\":\"UTC\",\"pause_status\":\"PAUSED\"},"
	fi
	api POST /api/2.2/jobs/create "{\"name\":\"Pipeline $i\",$sched\"job_clusters\":[{\"job_cluster_key\":\"shared\",\"new_cluster\":{\"spark_version\":\"14.3.x-scala2.12\",\"node_type_id\":\"i3.xlarge\",\"num_workers\":2,\"policy_id\":\"$POLICY\",\"instance_pool_id\":\"$POOL\"}}],\"tasks\":[{\"task_key\":\"ingest\",\"job_cluster_key\":\"shared\",\"spark_python_task\":{\"python_file\":\"dbfs:/jobs/ingest.py\",\"parameters\":[\"--day\",\"{{job.start_time.iso_date}}\"]}},{\"task_key\":\"transform\",\"depends_on\":[{\"task_key\":\"ingest\"}],\"job_cluster_key\":\"shared\",\"notebook_task\":{\"notebook_path\":\"/Shared/etl/transform\"}},{\"task_key\":\"publish\",\"depends_on\":[{\"task_key\":\"transform\"}],\"existing_cluster_id\":\"${CLUSTERS[2]}\",\"notebook_task\":{\"notebook_path\":\"/Shared/etl/publish\"}}]}" >/dev/null
done
for i in 1 2 3 4; do
	# Same name twice: the resource names must still be unique.
	api POST /api/2.2/jobs/create "{\"name\":\"Report\",\"tags\":{\"team\":\"bi\",\"n\":\"$i\"},\"tasks\":[{\"task_key\":\"r\",\"existing_cluster_id\":\"${CLUSTERS[1]}\",\"notebook_task\":{\"notebook_path\":\"/Shared/reports/r$i\"}}]}" >/dev/null
done

# Notebooks in folders, which the jobs run.
nb_import() {
	api POST /api/2.0/workspace/import "{\"path\":\"$1\",\"format\":\"SOURCE\",\"language\":\"PYTHON\",\"content\":\"$(printf '# %s\nprint(\"%s\")\n' "$1" "$1" | base64 -w0)\"}" >/dev/null
}
api POST /api/2.0/workspace/mkdirs '{"path":"/Shared/etl"}' >/dev/null
api POST /api/2.0/workspace/mkdirs '{"path":"/Shared/reports/archive"}' >/dev/null
for n in step_1 step_2 step_3 step_4 transform publish; do
	nb_import "/Shared/etl/$n"
done
for n in r1 r2 r3 r4; do
	nb_import "/Shared/reports/$n"
done
nb_import "/Shared/reports/archive/old"
api GET '/api/2.0/workspace/get-status?path=/Shared/etl/step_1' >"$WORK/nb.before"

# People, a group, and who may do what.
USERS=()
for u in alice bob; do
	api POST /api/2.0/preview/scim/v2/Users "{\"userName\":\"$u@example.com\",\"displayName\":\"$u\"}" >"$WORK/r"
	USERS+=("$(py_get 'd["id"]' <"$WORK/r")")
done
api POST /api/2.0/preview/scim/v2/Groups "{\"displayName\":\"data-engineers\",\"members\":[{\"value\":\"${USERS[0]}\"},{\"value\":\"${USERS[1]}\"}]}" >/dev/null
api POST /api/2.0/preview/scim/v2/ServicePrincipals '{"displayName":"etl-bot","applicationId":"11111111-2222-3333-4444-555555555555"}' >/dev/null
api POST /api/2.0/preview/scim/v2/Groups '{"displayName":"analysts","entitlements":[{"value":"databricks-sql-access"}]}' >/dev/null
for j in $(api GET '/api/2.2/jobs/list?limit=100' | py_get '" ".join(str(j["job_id"]) for j in d["jobs"] if j["settings"]["name"].startswith("Pipeline"))'); do
	api PATCH "/api/2.0/permissions/jobs/$j" '{"access_control_list":[{"group_name":"data-engineers","permission_level":"CAN_MANAGE_RUN"},{"user_name":"bob@example.com","permission_level":"CAN_VIEW"}]}' >/dev/null
done
api PATCH "/api/2.0/permissions/clusters/${CLUSTERS[0]}" '{"access_control_list":[{"group_name":"data-engineers","permission_level":"CAN_RESTART"}]}' >/dev/null
api PATCH "/api/2.0/permissions/cluster-policies/$POLICY" '{"access_control_list":[{"group_name":"analysts","permission_level":"CAN_USE"}]}' >/dev/null

# A catalog with schemas and grants, a Git folder with its credential, a
# SQL warehouse.
api POST /api/2.1/unity-catalog/catalogs '{"name":"sales","comment":"Sales data"}' >/dev/null
for sc in raw curated; do
	api POST /api/2.1/unity-catalog/schemas "{\"name\":\"$sc\",\"catalog_name\":\"sales\",\"comment\":\"$sc zone\"}" >/dev/null
done
api PATCH /api/2.1/unity-catalog/permissions/catalog/sales '{"changes":[{"principal":"data-engineers","add":["USE_CATALOG","CREATE_SCHEMA"]},{"principal":"analysts","add":["USE_CATALOG"]}]}' >/dev/null
api PATCH /api/2.1/unity-catalog/permissions/schema/sales.curated '{"changes":[{"principal":"analysts","add":["USE_SCHEMA","SELECT"]}]}' >/dev/null
api POST /api/2.0/workspace/mkdirs '{"path":"/Repos/alice@example.com"}' >/dev/null
api POST /api/2.0/repos '{"url":"https://github.com/acme/etl.git","provider":"gitHub","path":"/Repos/alice@example.com/etl"}' >/dev/null
GIT_TOKEN="ghp_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
secret_value "$GIT_TOKEN"
api POST /api/2.0/git-credentials "{\"git_provider\":\"gitHub\",\"git_username\":\"alice\",\"personal_access_token\":\"$GIT_TOKEN\"}" >/dev/null
api POST /api/2.0/sql/warehouses '{"name":"BI warehouse","cluster_size":"Small","max_num_clusters":2,"auto_stop_mins":20}' >/dev/null

SECRETS=("git_token_github = \"$GIT_TOKEN\"")
for s in app warehouse ml ingest; do
	api POST /api/2.0/secrets/scopes/create "{\"scope\":\"$s\"}" >/dev/null
	for k in password api-key; do
		v="s3cr3t-$s-$k-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
		secret_value "$v"
		SECRETS+=("secret_${s}_${k//-/_} = \"$v\"")
		api POST /api/2.0/secrets/put "{\"scope\":\"$s\",\"key\":\"$k\",\"string_value\":\"$v\"}" >/dev/null
	done
	api POST /api/2.0/secrets/acls/put "{\"scope\":\"$s\",\"principal\":\"data-engineers\",\"permission\":\"READ\"}" >/dev/null
done

jobs_snapshot() {
	api GET '/api/2.2/jobs/list?limit=100' |
		python3 -c 'import json,sys
for j in sorted(json.load(sys.stdin).get("jobs", []), key=lambda j: j["job_id"]):
    print(j["job_id"], json.dumps(j["settings"].get("schedule"), sort_keys=True))'
}
jobs_snapshot >"$WORK/jobs.before"
[ "$(wc -l <"$WORK/jobs.before")" -eq 12 ] || fail "expected 12 jobs"

# --- export -------------------------------------------------------------------
export_to() {
	local dir=$1
	shift
	"$TFP_PROVIDER" exporter -skip-interactive -directory "$dir" \
		-services jobs,compute,policies,pools,secrets,notebooks,directories,groups,users,access,uc-catalogs,uc-schemas,uc-grants,repos,sql-endpoints "$@" \
		</dev/null >"$WORK/export.out" 2>"$WORK/export.err" ||
		fail "exporter failed: $(cat "$WORK/export.err")"
	[ ! -s "$WORK/export.out" ] || fail "exporter wrote to stdout"
}
rm -rf "$WORK/cfg"
export_to "$WORK/cfg"
for f in provider.tf import.tf jobs.tf compute.tf policies.tf pools.tf \
	secrets.tf notebooks.tf directories.tf groups.tf users.tf access.tf \
	uc-catalogs.tf uc-schemas.tf uc-grants.tf repos.tf sql-endpoints.tf \
	vars.tf terraform.tfvars.example \
	README.md notebooks/Shared/etl/step_1.py notebooks/Shared/reports/archive/old.py; do
	[ -f "$WORK/cfg/$f" ] || fail "no $f"
done
[ "$(grep -c '^resource "databricks_job"' "$WORK/cfg/jobs.tf")" -eq 12 ] ||
	fail "jobs.tf does not have 12 jobs"
[ "$(grep -c '^import {' "$WORK/cfg/import.tf")" -eq \
	"$(cat "$WORK"/cfg/*.tf | grep -c '^resource ')" ] ||
	fail "not one import block per resource"
ok "the exporter writes one file per service, import.tf, vars.tf, README"

# No secret (token, secret values) in any file or on stderr.
for v in "$E2E_TOKEN" "${SECRET_VALUES[@]}"; do
	if grep -rqF -- "$v" "$WORK/cfg" "$WORK/export.err"; then
		fail "a secret reached the exported files or stderr"
	fi
done
grep -q 'sensitive   = true' "$WORK/cfg/vars.tf" || fail "vars.tf has no sensitive variable"
ok "no token or secret value in the output; secret values are sensitive variables"

# References instead of literals.
if grep -nE 'existing_cluster_id += "' "$WORK/cfg/jobs.tf"; then
	fail "a literal existing_cluster_id"
fi
[ "$(grep -c 'existing_cluster_id = databricks_cluster\.[a-z0-9_]*\.id' "$WORK/cfg/jobs.tf")" -eq 12 ] ||
	fail "not every existing_cluster_id is a reference"
grep -qE 'policy_id += databricks_cluster_policy\.team_policy\.id' "$WORK/cfg/jobs.tf" ||
	fail "no policy reference in the job cluster"
grep -qE 'instance_pool_id += databricks_instance_pool\.warm_pool\.id' "$WORK/cfg/jobs.tf" ||
	fail "no instance pool reference"
grep -qE 'scope += databricks_secret_scope\.' "$WORK/cfg/secrets.tf" ||
	fail "no scope reference"
grep -q '"$${not_a_var}"' "$WORK/cfg/jobs.tf" || fail '${ not escaped'
if grep -nE 'notebook_path += "' "$WORK/cfg/jobs.tf"; then
	fail "a literal notebook_path"
fi
[ "$(grep -c 'notebook_path = databricks_notebook\.[a-z0-9_]*\.path' "$WORK/cfg/jobs.tf")" -eq 16 ] ||
	fail "not every notebook_path is a reference"
grep -q 'source = "${path.module}/notebooks/Shared/etl/step_1.py"' "$WORK/cfg/notebooks.tf" ||
	fail "a notebook's source is not the downloaded file"
# The export, with the header the service adds to a notebook's source.
cmp -s "$WORK/cfg/notebooks/Shared/etl/step_1.py" <(printf '# Databricks notebook source\n# %s\nprint("%s")\n' /Shared/etl/step_1 /Shared/etl/step_1) ||
	fail "the downloaded notebook is not its source"
[ "$(grep -c '^resource "databricks_permissions"' "$WORK/cfg/access.tf")" -eq 6 ] ||
	fail "not 6 permissions (4 jobs, a cluster, a policy)"
grep -q 'job_id = databricks_job\.pipeline_1\.id' "$WORK/cfg/access.tf" ||
	fail "permissions do not reference their job"
grep -q 'group_name       = databricks_group\.data_engineers\.display_name' "$WORK/cfg/access.tf" ||
	fail "permissions do not reference their group"
grep -q 'member_id = databricks_user\.alice_example_com\.id' "$WORK/cfg/groups.tf" ||
	fail "a group member is not a reference"
grep -q '^resource "databricks_service_principal" "etl_bot"' "$WORK/cfg/users.tf" ||
	fail "no service principal"
grep -q 'catalog_name = databricks_catalog\.sales\.name' "$WORK/cfg/uc-schemas.tf" ||
	fail "a schema does not reference its catalog"
grep -q 'schema = databricks_schema\.sales_curated\.id' "$WORK/cfg/uc-grants.tf" ||
	fail "grants do not reference their schema"
grep -q 'personal_access_token = var\.git_token_github' "$WORK/cfg/repos.tf" ||
	fail "the Git token is not a variable"
# Unique names: the four jobs named "Report" get ID suffixes.
[ "$(grep -c '^resource "databricks_job" "report_' "$WORK/cfg/jobs.tf")" -eq 4 ] ||
	fail "the jobs named Report are not told apart"
ok "cluster, policy, pool, scope IDs and notebook paths are references; names are unique"

expect_exit 0 init
expect_exit 0 validate
(cd "$WORK/cfg" && terraform fmt -check -recursive) ||
	fail "terraform fmt -check: the output is not formatted"
ok "terraform init, validate and fmt -check pass"

# The secret values, as the user fills them in.
printf '%s\n' "${SECRETS[@]}" >"$WORK/cfg/terraform.tfvars"
n_res=$(cat "$WORK"/cfg/*.tf | grep -c '^resource ')
n_nb=$(grep -c '^resource "databricks_notebook"' "$WORK/cfg/notebooks.tf")
expect_exit 2 plan -detailed-exitcode
# Only imports: a notebook's `source` (a local path no import can know) is
# under ignore_changes until the user takes the content over from Git.
expect_output "Plan: $n_res to import, 0 to add, 0 to change, 0 to destroy"
if grep -E 'will be (created|updated|destroyed)|must be replaced' "$WORK/last.out"; then
	fail "the first plan does more than import"
fi
ok "the first plan only imports ($n_res objects, $n_nb notebooks among them)"

expect_exit 0 apply -auto-approve
expect_output "$n_res imported, 0 added, 0 changed, 0 destroyed"
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
jobs_snapshot >"$WORK/jobs.after"
diff "$WORK/jobs.before" "$WORK/jobs.after" >&2 ||
	fail "a job changed ID or schedule"
api GET '/api/2.0/workspace/get-status?path=/Shared/etl/step_1' >"$WORK/nb.after"
cmp -s "$WORK/nb.before" "$WORK/nb.after" || fail "the apply rewrote a notebook"
ok "apply imports everything; the next plan is empty; job IDs and schedules are unchanged"

# --- -incremental ---------------------------------------------------------------
cp -R "$WORK/cfg" "$WORK/before"
JOB=$(api GET '/api/2.2/jobs/list?limit=100' |
	py_get '[j["job_id"] for j in d["jobs"] if j["settings"]["name"] == "Pipeline 3"][0]')
api POST /api/2.2/jobs/update "{\"job_id\":$JOB,\"new_settings\":{\"max_concurrent_runs\":5}}" >/dev/null
export_to "$WORK/cfg" -incremental -updated-since 2020-01-01T00:00:00Z
python3 - "$WORK/before" "$WORK/cfg" <<'PY' || fail "-incremental rewrote more than the changed job"
import os, re, sys
def blocks(d):
    out = {}
    for f in sorted(os.listdir(d)):
        if not f.endswith(".tf"):
            continue
        text = open(os.path.join(d, f)).read()
        for m in re.finditer(r'^(resource "[^"]+" "[^"]+"|import) \{\n.*?^\}\n', text, re.S | re.M):
            out[(f, m.group(0) if m.group(1) == "import" else m.group(1))] = m.group(0)
    return out
a, b = blocks(sys.argv[1]), blocks(sys.argv[2])
changed = sorted(k[1] for k in set(a) | set(b) if a.get(k) != b.get(k))
print("changed blocks:", changed)
sys.exit(0 if changed == ['resource "databricks_job" "pipeline_3"'] else 1)
PY
grep -A3 '"pipeline_3"' "$WORK/cfg/jobs.tf" | grep -q 'max_concurrent_runs = 5' ||
	fail "the changed job's block does not have the change"
expect_exit 0 plan -detailed-exitcode
ok "-incremental after one job's change rewrites only that job's block"

# --- a service the caller may not use -----------------------------------------
curl -sS -X POST "$EMU_URL/_emulator/faults" \
	--data '{"spec": "GET /api/2.2/jobs/list:403=1"}' >/dev/null
export_to "$WORK/denied"
grep -q 'service jobs: skipped, permission denied' "$WORK/export.err" ||
	fail "no line about the skipped service: $(cat "$WORK/export.err")"
[ ! -f "$WORK/denied/jobs.tf" ] || fail "jobs.tf written for a denied service"
for f in compute.tf policies.tf pools.tf secrets.tf notebooks.tf groups.tf \
	uc-catalogs.tf uc-grants.tf repos.tf sql-endpoints.tf; do
	[ -f "$WORK/denied/$f" ] || fail "$f missing after a 403 elsewhere"
done
grep -q 'jobs: skipped, permission denied' "$WORK/denied/README.md" ||
	fail "README does not list the skipped service"
curl -sS -X DELETE "$EMU_URL/_emulator/faults" >/dev/null
ok "a service answering 403 is skipped with a line saying so; the rest exports"

# --- GitOps from here: a change in Git updates the job in place -------------------
JOB=$(api GET '/api/2.2/jobs/list?limit=100' |
	py_get '[j["job_id"] for j in d["jobs"] if j["settings"]["name"] == "Standing job 1"][0]')
sed -i 's/quartz_cron_expression = "0 1 2 \* \* ?"/quartz_cron_expression = "0 30 3 * * ?"/' "$WORK/cfg/jobs.tf"
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
expect_output "databricks_job.standing_job_1 will be updated in-place"
apply_clean
[ "$(api GET "/api/2.2/jobs/get?job_id=$JOB" | py_get 'd["settings"]["schedule"]["quartz_cron_expression"]')" = "0 30 3 * * ?" ] ||
	fail "the schedule change did not reach the job"
ok "a schedule changed in Git updates the same job in place"

# Taking a notebook's content over from Git: drop its lifecycle block (the
# README says how). The file is the workspace's content, so the plan only
# records the source; an edit of the file then reaches the workspace.
python3 - "$WORK/cfg/notebooks.tf" <<'PY'
import re, sys
p = sys.argv[1]
text = open(p).read()
text = re.sub(r'(source += "\$\{path.module\}/notebooks/Shared/etl/step_1.py"\n(?:.*\n)*?)  lifecycle \{\n    ignore_changes = \[source\]\n  \}\n',
              r'\1', text, count=1)
open(p, "w").write(text)
PY
[ "$(grep -c 'ignore_changes = \[source\]' "$WORK/cfg/notebooks.tf")" -eq $((n_nb - 1)) ] ||
	fail "the lifecycle block of step_1 was not removed"
expect_exit 2 plan -detailed-exitcode
expect_output "0 to add, 1 to change, 0 to destroy"
apply_clean
api GET '/api/2.0/workspace/get-status?path=/Shared/etl/step_1' >"$WORK/nb.owned"
cmp -s "$WORK/nb.before" "$WORK/nb.owned" || fail "recording the source rewrote the notebook"
printf 'print("from git")\n' >>"$WORK/cfg/notebooks/Shared/etl/step_1.py"
expect_exit 2 plan -detailed-exitcode
expect_output "databricks_notebook.[a-z0-9_]* will be updated in-place"
apply_clean
api GET '/api/2.0/workspace/export?path=/Shared/etl/step_1&format=SOURCE' |
	py_get 'd["content"]' | base64 -d | grep -q 'from git' ||
	fail "the edit in Git did not reach the notebook"
ok "without its lifecycle block a notebook follows its file in Git"

done_testing
