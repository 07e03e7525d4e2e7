#!/usr/bin/env bash
# databricks_pipeline and databricks_pipelines in the official provider's
# style: a Unity Catalog pipeline with default and maintenance clusters,
# notebook, file and glob libraries and notifications, and a continuous
# Hive metastore pipeline whose storage the service picks. Checks: apply
# plans clean; cluster blocks reordered plan clean (matched by label); one
# library changed plans an in-place edit of that pipeline only; a run
# started by REST is not drift; development changed by REST is drift that
# apply restores; an invalid edition fails at plan time naming the
# attribute; a pipeline made by REST imports by id and plans clean.
source "$(dirname "$0")/../lib.sh"
start_emulator

# $1: the analytics pipeline's cluster blocks; $2: its second library's
# file; $3: extra configuration.
write_config() {
	config_text <<EOF_TF
resource "databricks_notebook" "bronze" {
  path           = "/Shared/dlt/bronze"
  language       = "PYTHON"
  content_base64 = base64encode("import dlt\n")
}
resource "databricks_pipeline" "analytics" {
  name    = "analytics"
  catalog = "Main"
  schema  = "ldp_demo"
  configuration = {
    key1 = "value1"
  }
$1
  library {
    notebook {
      path = databricks_notebook.bronze.id
    }
  }
  library {
    file {
      path = "$2"
    }
  }
  library {
    glob {
      include = "/Shared/dlt/transformations/**"
    }
  }
  continuous  = false
  development = true
  notification {
    email_recipients = ["data-team@example.com"]
    alerts           = ["on-update-failure", "on-flow-failure"]
  }
  tags = { team = "analytics" }
}
resource "databricks_pipeline" "stream" {
  name       = "stream"
  target     = "streaming"
  continuous = true
  edition    = "pro"
  cluster {
    label = "default"
    autoscale {
      min_workers = 1
      max_workers = 3
      mode        = "ENHANCED"
    }
  }
  library {
    notebook {
      path = databricks_notebook.bronze.id
    }
  }
  timeouts {
    default = "5m"
  }
}
data "databricks_pipelines" "all" {
  depends_on = [databricks_pipeline.analytics, databricks_pipeline.stream]
}
data "databricks_pipelines" "stream" {
  pipeline_name = "str%"
  depends_on    = [databricks_pipeline.stream]
}
$3
output "analytics" { value = databricks_pipeline.analytics.id }
output "stream" { value = databricks_pipeline.stream.id }
output "all_ids" { value = join(",", sort(data.databricks_pipelines.all.ids)) }
output "stream_ids" { value = join(",", data.databricks_pipelines.stream.ids) }
output "storage" { value = databricks_pipeline.stream.storage }
output "stream_state" { value = databricks_pipeline.stream.state }
EOF_TF
}

CLUSTERS_AB='  cluster {
    label       = "default"
    num_workers = 2
    custom_tags = { cluster_type = "default" }
  }
  cluster {
    label       = "maintenance"
    num_workers = 1
    custom_tags = { cluster_type = "maintenance" }
  }'
CLUSTERS_BA='  cluster {
    label       = "maintenance"
    num_workers = 1
    custom_tags = { cluster_type = "maintenance" }
  }
  cluster {
    custom_tags = { cluster_type = "default" }
    num_workers = 2
    label       = "default"
  }'

out() { tf output -raw "$1" && cat "$WORK/last.out"; }
pget() { api GET "/api/2.0/pipelines/$1"; }
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

write_config "$CLUSTERS_AB" "/Shared/dlt/silver.sql" ""
apply_clean
A=$(out analytics)
S=$(out stream)
[ "$(pget "$A" | field 'd["spec"]["catalog"]')" = main ] || fail "catalog not folded by the service"
[ "$(pget "$A" | field 'len(d["spec"]["clusters"])')" = 2 ] || fail "clusters: $(pget "$A")"
[ "$(pget "$A" | field 'd["spec"]["edition"]')" = ADVANCED ] || fail "edition default not sent"
[ "$(out storage)" = "dbfs:/pipelines/$S" ] || fail "storage $(out storage)"
[ "$(out stream_state)" = RUNNING ] || fail "continuous pipeline state $(out stream_state)"
[ "$(out stream_ids)" = "$S" ] || fail "pipeline_name filter: $(out stream_ids)"
[ "$(out all_ids)" = "$(printf '%s\n' "$A" "$S" | sort | paste -sd,)" ] || fail "all ids: $(out all_ids)"
ok "two pipelines apply and plan clean; the service's catalog case and storage are not drift; the continuous one is RUNNING"

write_config "$CLUSTERS_BA" "/Shared/dlt/silver.sql" ""
expect_exit 0 plan -detailed-exitcode
ok "cluster blocks in another order plan clean"

write_config "$CLUSTERS_BA" "/Shared/dlt/gold.sql" ""
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_pipeline.analytics will be updated in-place'
expect_output 'Plan: 0 to add, 1 to change, 0 to destroy'
apply_clean
[ "$(pget "$A" | field 'd["spec"]["libraries"][1]["file"]["path"]')" = /Shared/dlt/gold.sql ] ||
	fail "library not edited: $(pget "$A")"
[ "$(pget "$A" | field 'len(d["latest_updates"])')" = 0 ] || fail "an edit started an update"
ok "one library changed is an in-place edit of that pipeline only, which starts no update"

api POST "/api/2.0/pipelines/$A/updates" '{"full_refresh":false}' >/dev/null
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "a run started by REST is not drift"

pget "$A" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["spec"]; s["development"] = False
print(json.dumps(s))' >"$WORK/spec.json"
api PUT "/api/2.0/pipelines/$A" "$(cat "$WORK/spec.json")" >/dev/null
[ "$(pget "$A" | field 'd["spec"]["development"]')" = False ] || fail "REST edit did not land"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'development'
apply_clean
[ "$(pget "$A" | field 'd["spec"]["development"]')" = True ] || fail "apply did not restore development"
ok "development changed by REST is drift that apply restores"

write_config "$CLUSTERS_BA" "/Shared/dlt/gold.sql" 'resource "databricks_pipeline" "bad" {
  name    = "bad"
  edition = "ULTIMATE"
}'
expect_exit 1 plan
expect_output 'Invalid edition'
expect_output 'with databricks_pipeline.bad'
expect_output 'edition'
ok "an unknown edition fails at plan time"

made=$(api POST /api/2.0/pipelines '{"name":"made-by-rest","catalog":"main","schema":"raw","development":true,"edition":"CORE","channel":"PREVIEW","clusters":[{"label":"default","num_workers":1}],"libraries":[{"notebook":{"path":"/Shared/dlt/bronze"}}]}' |
	field 'd["pipeline_id"]')
write_config "$CLUSTERS_BA" "/Shared/dlt/gold.sql" 'resource "databricks_pipeline" "made" {
  name        = "made-by-rest"
  catalog     = "main"
  schema      = "raw"
  development = true
  edition     = "CORE"
  channel     = "PREVIEW"
  cluster {
    label       = "default"
    num_workers = 1
  }
  library {
    notebook {
      path = "/Shared/dlt/bronze"
    }
  }
}'
expect_exit 0 import databricks_pipeline.made "$made"
expect_exit 0 plan -detailed-exitcode
apply_clean
ok "a pipeline made by REST imports by id and plans clean"

expect_exit 0 destroy -auto-approve
[ "$(api GET /api/2.0/pipelines | field 'len(d.get("statuses", []))')" = 0 ] || fail "pipelines left after destroy"
ok "destroy deletes every pipeline"

done_testing
