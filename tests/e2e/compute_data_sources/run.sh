#!/usr/bin/env bash
# The compute data sources against the emulator's catalogues and clusters:
# databricks_spark_version and databricks_node_type give what an
# independent selection (python, over the same API replies) gives, and
# fail with diagnostics when nothing fits; databricks_clusters filters by
# name and state over clusters made by REST, across list pages;
# databricks_cluster finds one by id and by name; databricks_current_user
# describes the user, and a service principal under OAuth.
source "$(dirname "$0")/../lib.sh"
SP_ID=11111111-2222-3333-4444-555666777888
SP_SECRET="sp-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
secret_value "$SP_SECRET"
start_emulator --cluster-start-ms 0 --cluster-terminate-ms 0 \
	--oauth-client "$SP_ID:$SP_SECRET"

# expect_text REGEX: the last output matches once Terraform's wrapping of
# diagnostics (line breaks, the "│" frame) is undone.
expect_text() {
	python3 - "$WORK/last.out" "$1" <<'PY' || {
import re, sys
lines = [l.strip().lstrip("│").strip() for l in open(sys.argv[1], encoding="utf-8")]
sys.exit(0 if re.search(sys.argv[2], " ".join(lines)) else 1)
PY
		cat "$WORK/last.out" >&2
		fail "output does not match /$1/"
	}
}

# --- what the data sources should find, computed here ---------------------
api GET /api/2.1/clusters/spark-versions >"$WORK/versions.json"
api GET /api/2.1/clusters/list-node-types >"$WORK/nodes.json"
python3 - "$WORK" <<'PY' >"$WORK/expected.env" || fail "cannot compute the expected selections"
import json, re, sys
work = sys.argv[1]
versions = json.load(open(work + "/versions.json"))["versions"]
nodes = json.load(open(work + "/nodes.json"))["node_types"]

def version(key):
    m = re.match(r"(\d+)(?:\.(\d+))?\.x-", key)
    return (int(m.group(1)), int(m.group(2) or 0)) if m else (-1, -1)

def runtime(lts=False, ml=False, gpu=False):
    found = []
    for v in versions:
        k, n = v["key"], v.get("name", "")
        if "-scala2.1" not in k or "apache-spark-" in k:
            continue
        if ("-ml-" in k) != ml or ("-gpu-" in k) != gpu:
            continue
        if any(x in k for x in ("-hls-", "-photon-", "-aarch64-")) or "Beta" in n:
            continue
        if lts and "LTS" not in n and "-esr-" not in k:
            continue
        found.append(k)
    found.sort()
    found.sort(key=version, reverse=True)
    return found

def node(local_disk=False, min_cores=0):
    def disks(n):
        i = n.get("node_instance_type") or {}
        return (i.get("local_disks", 0), i.get("local_disk_size_gb", 0),
                i.get("local_nvme_disks", 0), i.get("local_nvme_disk_size_gb", 0))
    ok = []
    for n in nodes:
        status = (n.get("node_info") or {}).get("status", [])
        if n.get("is_hidden") or "NotAvailableInRegion" in status or "NotEnabledOnSubscription" in status:
            continue
        if n.get("num_gpus", 0) or n.get("is_graviton") or "-fleet." in n["node_type_id"]:
            continue
        if int(n.get("num_cores", 0)) < min_cores:
            continue
        if local_disk and "node_instance_type" in n and disks(n)[0] < 1 and disks(n)[2] < 1:
            continue
        ok.append(n)
    ok.sort(key=lambda n: (bool(n.get("is_deprecated")), int(n.get("num_cores", 0)),
                           n.get("memory_mb", 0)) + disks(n) +
                          (n.get("num_gpus", 0), n.get("instance_type_id", ""), n["node_type_id"]))
    return ok[0]["node_type_id"]

lts = runtime(lts=True)
print("LTS_COUNT=%d" % len(lts))
print("WANT_LTS=%s" % lts[0])
print("WANT_LATEST=%s" % runtime()[0])
print("WANT_ML_GPU=%s" % runtime(ml=True, gpu=True)[0])
print("WANT_NODE=%s" % node())
print("WANT_NODE_DISK8=%s" % node(local_disk=True, min_cores=8))
print("N_VERSIONS=%d" % len(versions))
PY
# shellcheck disable=SC1091
source "$WORK/expected.env"
[ "$LTS_COUNT" -gt 1 ] || fail "the emulator offers fewer than two LTS runtimes"

# --- clusters made behind Terraform's back --------------------------------
cluster() {
	api POST /api/2.1/clusters/create "{\"cluster_name\":\"$1\",\"spark_version\":\"$WANT_LTS\",\"node_type_id\":\"$WANT_NODE\",\"num_workers\":1,\"autotermination_minutes\":30,\"custom_tags\":{\"team\":\"e2e\"}}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["cluster_id"])'
}
etl_a=$(cluster "shared-etl-a")
etl_b=$(cluster "Shared-ETL-b")
ml=$(cluster "ml-team")
twin1=$(cluster "twin")
twin2=$(cluster "twin")
api POST /api/2.1/clusters/delete "{\"cluster_id\":\"$etl_b\"}" >/dev/null
api POST /api/2.1/clusters/pin "{\"cluster_id\":\"$ml\"}" >/dev/null
# Enough filler to need two pages of 100.
for i in $(seq 1 100); do
	cluster "filler-$i" >/dev/null
done
state() {
	api GET "/api/2.1/clusters/get?cluster_id=$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'
}
for _ in $(seq 1 50); do
	[ "$(state "$etl_b")" = TERMINATED ] && [ "$(state "$etl_a")" = RUNNING ] && break
	sleep 0.1
done
[ "$(state "$etl_b")" = TERMINATED ] || fail "cluster $etl_b did not terminate"
[ "$(state "$etl_a")" = RUNNING ] || fail "cluster $etl_a did not start"

# --- everything at once ----------------------------------------------------
config_text <<EOF_TF
data "databricks_spark_version" "latest" {}
data "databricks_spark_version" "lts" {
  long_term_support = true
}
data "databricks_spark_version" "ml_gpu" {
  ml  = true
  gpu = true
}
data "databricks_node_type" "smallest" {}
data "databricks_node_type" "disk8" {
  local_disk = true
  min_cores  = 8
}
data "databricks_current_user" "me" {}
data "databricks_clusters" "all" {}
data "databricks_clusters" "shared" {
  cluster_name_contains = "SHARED-etl"
}
data "databricks_clusters" "shared_running" {
  cluster_name_contains = "shared-etl"
  filter_by {
    cluster_states = ["RUNNING", "PENDING"]
  }
}
data "databricks_clusters" "terminated" {
  filter_by {
    cluster_states  = ["TERMINATED"]
    cluster_sources = ["API"]
  }
}
data "databricks_clusters" "pinned" {
  filter_by {
    is_pinned = true
  }
}
data "databricks_cluster" "by_id" {
  cluster_id = "$etl_a"
}
data "databricks_cluster" "by_name" {
  cluster_name = "ml-team"
}
data "databricks_cluster" "stopped" {
  cluster_id = "$etl_b"
}
output "latest" { value = data.databricks_spark_version.latest.id }
output "lts" { value = data.databricks_spark_version.lts.id }
output "ml_gpu" { value = data.databricks_spark_version.ml_gpu.id }
output "smallest" { value = data.databricks_node_type.smallest.id }
output "disk8" { value = data.databricks_node_type.disk8.id }
output "me" { value = data.databricks_current_user.me }
output "all" { value = data.databricks_clusters.all.ids }
output "shared" { value = data.databricks_clusters.shared.ids }
output "shared_running" { value = data.databricks_clusters.shared_running.ids }
output "terminated" { value = data.databricks_clusters.terminated.ids }
output "pinned" { value = data.databricks_clusters.pinned.ids }
output "by_id" { value = data.databricks_cluster.by_id }
output "by_name" { value = data.databricks_cluster.by_name }
output "stopped" { value = data.databricks_cluster.stopped.cluster_info[0] }
EOF_TF
apply_clean
tf output -json
python3 - "$WORK/last.out" <<PY || fail "unexpected outputs (see above)"
import json, sys
out = {k: v["value"] for k, v in json.load(open(sys.argv[1])).items()}
def eq(name, got, want):
    if got != want:
        sys.exit("%s: got %r, want %r" % (name, got, want))
eq("latest", out["latest"], "$WANT_LATEST")
eq("lts", out["lts"], "$WANT_LTS")
eq("ml_gpu", out["ml_gpu"], "$WANT_ML_GPU")
eq("smallest", out["smallest"], "$WANT_NODE")
eq("disk8", out["disk8"], "$WANT_NODE_DISK8")
eq("all", len(out["all"]), 105)
eq("all ids", {"$etl_a", "$etl_b", "$ml", "$twin1", "$twin2"} <= set(out["all"]), True)
eq("shared", sorted(out["shared"]), sorted(["$etl_a", "$etl_b"]))
eq("shared_running", out["shared_running"], ["$etl_a"])
eq("terminated", out["terminated"], ["$etl_b"])
eq("pinned", out["pinned"], ["$ml"])
by_id, by_name = out["by_id"], out["by_name"]
eq("by_id.cluster_name", by_id["cluster_name"], "shared-etl-a")
eq("by_id.id", by_id["id"], "$etl_a")
info = by_id["cluster_info"][0]
eq("state", info["state"], "RUNNING")
eq("spark_version", info["spark_version"], "$WANT_LTS")
eq("node_type_id", info["node_type_id"], "$WANT_NODE")
eq("num_workers", info["num_workers"], 1)
eq("autotermination_minutes", info["autotermination_minutes"], 30)
eq("custom_tags", info["custom_tags"], {"team": "e2e"})
eq("cluster_source", info["cluster_source"], "API")
eq("creator", info["creator_user_name"], "admin@example.com")
eq("default_tags.ClusterId", info["default_tags"].get("ClusterId"), "$etl_a")
eq("start_time", isinstance(info["start_time"], (int, float)) and info["start_time"] > 1.5e12, True)
eq("by_name.cluster_id", by_name["cluster_id"], "$ml")
eq("by_name.state", by_name["cluster_info"][0]["state"], "RUNNING")
stopped = out["stopped"]
eq("stopped.state", stopped["state"], "TERMINATED")
eq("stopped.reason", stopped["termination_reason"][0]["code"], "USER_REQUEST")
eq("stopped.terminated_time", stopped["terminated_time"] >= stopped["start_time"], True)
eq("aws_attributes", len(info["aws_attributes"]), 1)
me = out["me"]
eq("user_name", me["user_name"], "admin@example.com")
eq("home", me["home"], "/Users/admin@example.com")
eq("repos", me["repos"], "/Repos/admin@example.com")
eq("alphanumeric", me["alphanumeric"], "admin")
eq("acl_principal_id", me["acl_principal_id"], "users/admin@example.com")
eq("workspace_url", me["workspace_url"], "$EMU_URL")
PY
ok "spark_version, node_type and current_user match the emulator's catalogues and user"
ok "clusters filters by name (any case), state and pinning across two pages; cluster by id and by name"

me_id=$(api GET /api/2.0/preview/scim/v2/Me | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
tf output -json me
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["id"] == sys.argv[2]' \
	"$WORK/last.out" "$me_id" || fail "current_user id is not the SCIM id $me_id"
python3 - "$EMU_URL" <<'PY' || fail "databricks_clusters did not page through clusters/list"
import json, sys, urllib.request
log = json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/requests"))
lists = [r for r in log["requests"]
         if r["method"] == "GET" and r["path"] == "/api/2.1/clusters/list"]
assert any("page_token=" in r["query"] for r in lists), lists[-3:]
assert all("page_size=100" in r["query"] for r in lists), lists[-3:]
assert any("filter_by.is_pinned=true" in r["query"] for r in lists), lists
assert any("filter_by.cluster_states=TERMINATED" in r["query"] and
           "filter_by.cluster_sources=API" in r["query"] for r in lists), lists
PY
ok "current_user id is the SCIM id; clusters/list is paged by 100 with the filters on the server"

# --- no match is an error, not a guess -------------------------------------
config_text <<'EOF_TF'
data "databricks_spark_version" "none" {
  ml       = true
  genomics = true
}
EOF_TF
expect_exit 1 plan
expect_text "No Databricks Runtime version matches"
expect_text "None of the $N_VERSIONS runtime versions"
expect_text "genomics = true"
config_text <<'EOF_TF'
data "databricks_spark_version" "several" {
  long_term_support = true
  latest            = false
}
EOF_TF
expect_exit 1 plan
expect_text "Several Databricks Runtime versions match"
expect_text "$LTS_COUNT of the $N_VERSIONS runtime versions"
expect_text "$WANT_LTS"
config_text <<'EOF_TF'
data "databricks_node_type" "none" {
  min_gpus  = 64
  min_cores = 4
}
EOF_TF
expect_exit 1 plan
expect_text "No node type matches"
expect_text "min_cores = 4, min_gpus = 64"
ok "spark_version and node_type report no match (and several) as diagnostics"

config_text <<'EOF_TF'
data "databricks_cluster" "twin" {
  cluster_name = "twin"
}
EOF_TF
expect_exit 1 plan
expect_text "Ambiguous cluster name"
expect_text "$twin1|$twin2"
config_text <<'EOF_TF'
data "databricks_cluster" "missing" {
  cluster_name = "no-such-cluster"
}
EOF_TF
expect_exit 1 plan
expect_text 'no cluster named "no-such-cluster"'
config_text <<'EOF_TF'
data "databricks_cluster" "missing" {
  cluster_id = "0101-000000-nosuch00"
}
EOF_TF
expect_exit 1 plan
expect_text "Cluster not found"
config_text <<EOF_TF
data "databricks_cluster" "both" {
  cluster_id   = "$ml"
  cluster_name = "ml-team"
}
EOF_TF
expect_exit 1 plan
expect_text "Set exactly one of cluster_id and cluster_name"
config_text <<'EOF_TF'
data "databricks_clusters" "typo" {
  filter_by {
    cluster_states = ["RUNING"]
  }
}
EOF_TF
expect_exit 1 plan
expect_text '"RUNING" is not a cluster state'
ok "cluster lookups: ambiguous, missing, both set; a misspelt state is a validation error"

# --- a service principal -----------------------------------------------------
(
	unset DATABRICKS_TOKEN
	export DATABRICKS_CLIENT_ID="$SP_ID" DATABRICKS_CLIENT_SECRET="$SP_SECRET"
	config_text <<'EOF_TF'
data "databricks_current_user" "me" {}
output "acl" { value = data.databricks_current_user.me.acl_principal_id }
output "home" { value = data.databricks_current_user.me.home }
EOF_TF
	expect_exit 0 apply -auto-approve
	tf output -raw acl
	[ "$(cat "$WORK/last.out")" = "servicePrincipals/$SP_ID" ] ||
		fail "acl_principal_id under OAuth: $(cat "$WORK/last.out")"
	tf output -raw home
	[ "$(cat "$WORK/last.out")" = "/Users/$SP_ID" ] ||
		fail "home under OAuth: $(cat "$WORK/last.out")"
)
ok "current_user is a service principal (servicePrincipals/<application id>) under OAuth"

done_testing
