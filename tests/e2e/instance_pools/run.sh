#!/usr/bin/env bash
# databricks_instance_pool, databricks_instance_profile,
# databricks_group_instance_profile and the databricks_instance_pool and
# databricks_instance_profiles data sources, in the official provider's
# style: a pool, a cluster on it (driver too), an instance profile given to
# a group, and both data sources apply and plan clean; the pool bringing up
# its idle instances is not drift; max_capacity changed by REST is, and
# apply restores it; the official defaults reach the service; a pool made
# by REST and the profile and group link import by their official IDs and
# plan clean; bad enums and ARNs fail at plan time at their attribute; a
# preloaded image's registry password reaches no log.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 300 --cluster-terminate-ms 100

ARN="arn:aws:iam::123456789012:instance-profile/etl-pool"
# The registry password of a preloaded image must never reach a log.
DOCKER_PASSWORD="docker-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
secret_value "$DOCKER_PASSWORD"

# field PATH: a dotted path of the JSON on stdin ("" when absent).
field() {
	python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else json.dumps(v) if isinstance(v, (dict, list)) else v)' "$1"
}
pool() { api GET "/api/2.0/instance-pools/get?instance_pool_id=$1" | field "$2"; }
out() {
	tf output -raw "$1"
	cat "$WORK/last.out"
}

write_config() {
	config_text <<EOF_TF
resource "databricks_instance_profile" "etl" {
  instance_profile_arn = "$ARN"
  skip_validation      = true
  ${ROLE:+iam_role_arn = \"$ROLE\"}
}

resource "databricks_group" "eng" {
  display_name = "Data Engineering"
}

resource "databricks_group_instance_profile" "eng" {
  group_id            = databricks_group.eng.id
  instance_profile_id = databricks_instance_profile.etl.id
}

resource "databricks_instance_pool" "smallest" {
  instance_pool_name                    = "Smallest Nodes"
  min_idle_instances                    = 2
  max_capacity                          = $1
  node_type_id                          = "i3.xlarge"
  idle_instance_autotermination_minutes = 10
  aws_attributes {
    availability         = "ON_DEMAND"
    zone_id              = "us-east-1a"
    instance_profile_arn = databricks_instance_profile.etl.id
  }
  disk_spec {
    disk_type {
      ebs_volume_type = "GENERAL_PURPOSE_SSD"
    }
    disk_size  = 80
    disk_count = 1
  }
  preloaded_spark_versions = ["15.4.x-scala2.12"]
  preloaded_docker_image {
    url = "registry.example.com/etl/runtime:1.4"
    basic_auth {
      username = "puller"
      password = "$DOCKER_PASSWORD"
    }
  }
  custom_tags = {
    team = "data"
  }
}

resource "databricks_cluster" "on_pool" {
  cluster_name            = "on-pool"
  spark_version           = "15.4.x-scala2.12"
  instance_pool_id        = databricks_instance_pool.smallest.id
  driver_instance_pool_id = databricks_instance_pool.smallest.id
  num_workers             = 1
  autotermination_minutes = 20
}

output "pool_id" { value = databricks_instance_pool.smallest.id }
output "group_id" { value = databricks_group.eng.id }
output "cluster_id" { value = databricks_cluster.on_pool.id }
${2:-}
EOF_TF
	# The data sources look up what exists by literal names, as the
	# official documentation does, so they are read at plan time.
	if [ "${DATA:-0}" = 1 ]; then
		cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
data "databricks_instance_pool" "by_name" {
  name = "Smallest Nodes"
}

data "databricks_instance_profiles" "all" {}

output "data_pool_id" { value = data.databricks_instance_pool.by_name.id }
output "data_pool_node" { value = data.databricks_instance_pool.by_name.pool_info[0].node_type_id }
output "data_pool_tags" { value = data.databricks_instance_pool.by_name.pool_info[0].default_tags["Vendor"] }
output "profiles" {
  value = join(",", [for p in data.databricks_instance_profiles.all.instance_profiles : "${p.name}=${p.arn}"])
}
EOF_TF
	fi
}

write_config 30
apply_clean
ok "a pool, a cluster on it, an instance profile and its group link apply and plan clean"
DATA=1
write_config 30
apply_clean
pool_id=$(out pool_id)
group_id=$(out group_id)
cluster_id=$(out cluster_id)
[ "$(out data_pool_id)" = "$pool_id" ] || fail "the data source found $(out data_pool_id), not $pool_id"
[ "$(out data_pool_node)" = i3.xlarge ] || fail "pool_info.node_type_id is $(out data_pool_node)"
[ "$(out data_pool_tags)" = Databricks ] || fail "pool_info.default_tags lacks Vendor"
[ "$(out profiles)" = "etl-pool=$ARN" ] || fail "instance_profiles lists $(out profiles)"
ok "the data sources find the pool by name and list the profile"

# What the service holds: the official defaults were sent, and the
# cluster runs on the pool's node type although its configuration names
# none.
[ "$(pool "$pool_id" enable_elastic_disk)" = True ] || fail "enable_elastic_disk $(pool "$pool_id" enable_elastic_disk)"
[ "$(pool "$pool_id" aws_attributes.spot_bid_price_percent)" = 100 ] || fail "spot_bid_price_percent not 100"
[ "$(pool "$pool_id" aws_attributes.availability)" = ON_DEMAND ] || fail "availability not ON_DEMAND"
[ "$(pool "$pool_id" disk_spec.disk_type.ebs_volume_type)" = GENERAL_PURPOSE_SSD ] || fail "disk_spec not sent"
[ "$(pool "$pool_id" max_capacity)" = 30 ] || fail "max_capacity $(pool "$pool_id" max_capacity)"
[ "$(pool "$pool_id" preloaded_docker_images)" = '[{"url": "registry.example.com/etl/runtime:1.4", "basic_auth": {"username": "puller", "password": "'"$DOCKER_PASSWORD"'"}}]' ] ||
	fail "preloaded_docker_images: $(pool "$pool_id" preloaded_docker_images)"
c=$(api GET "/api/2.1/clusters/get?cluster_id=$cluster_id")
[ "$(field node_type_id <<<"$c")" = i3.xlarge ] || fail "the cluster's node_type_id is $(field node_type_id <<<"$c")"
[ "$(field driver_instance_pool_id <<<"$c")" = "$pool_id" ] || fail "the cluster's driver pool is not the pool"
api GET "/api/2.0/preview/scim/v2/Groups/$group_id" | python3 -c '
import json, sys
roles = [r["value"] for r in json.load(sys.stdin).get("roles", [])]
assert roles == [sys.argv[1]], roles' "$ARN" || fail "the group does not have the instance profile"
ok "the service has the official defaults, the cluster the pool's node type, the group the profile"

# The pool brings up its idle instances a minute after it was made.
[ "$(pool "$pool_id" stats.pending_idle_count)" = 2 ] || fail "pending_idle_count $(pool "$pool_id" stats.pending_idle_count)"
api POST /_emulator/clock '{"advance_ms": 61000}' >/dev/null
[ "$(pool "$pool_id" stats.idle_count)" = 2 ] || fail "the pool did not scale: idle_count $(pool "$pool_id" stats.idle_count)"
expect_exit 0 plan -refresh-only -detailed-exitcode
expect_exit 0 plan -detailed-exitcode
ok "the pool scaling its idle instances is not drift"

# max_capacity changed behind Terraform's back is drift; apply restores it.
api POST /api/2.0/instance-pools/edit "{\"instance_pool_id\": \"$pool_id\",
  \"instance_pool_name\": \"Smallest Nodes\", \"node_type_id\": \"i3.xlarge\",
  \"min_idle_instances\": 2, \"max_capacity\": 50,
  \"idle_instance_autotermination_minutes\": 10,
  \"custom_tags\": {\"team\": \"data\"}}" >/dev/null
[ "$(pool "$pool_id" max_capacity)" = 50 ] || fail "the REST edit did not take"
expect_exit 2 plan -refresh-only -detailed-exitcode
expect_output 'max_capacity'
expect_exit 2 plan -detailed-exitcode
expect_output 'max_capacity *= 50 -> 30'
expect_output 'update in-place'
apply_clean
[ "$(pool "$pool_id" max_capacity)" = 30 ] || fail "apply did not restore max_capacity"
[ "$(out pool_id)" = "$pool_id" ] || fail "the pool was replaced"
ok "max_capacity changed by REST is drift, and apply restores it in place"

# A size change is an edit of the same pool; a disk change replaces it.
write_config 40
expect_exit 2 plan -detailed-exitcode
expect_output '1 to change, 0 to destroy'
apply_clean
[ "$(pool "$pool_id" max_capacity)" = 40 ] || fail "max_capacity not 40 after the update"
ok "max_capacity changes in place"

# A pool made by REST imports by its id and plans clean.
rest=$(api POST /api/2.0/instance-pools/create '{"instance_pool_name": "made-by-rest",
  "node_type_id": "i3.2xlarge", "idle_instance_autotermination_minutes": 15,
  "max_capacity": 8, "enable_elastic_disk": true}' | field instance_pool_id)
[ -n "$rest" ] || fail "the REST create failed"
REST_POOL='
resource "databricks_instance_pool" "rest" {
  instance_pool_name                    = "made-by-rest"
  node_type_id                          = "i3.2xlarge"
  idle_instance_autotermination_minutes = 15
  max_capacity                          = 8
}'
write_config 40 "$REST_POOL"
expect_exit 0 import databricks_instance_pool.rest "$rest"
expect_exit 0 plan -detailed-exitcode
apply_clean
ok "a pool made by REST imports by its id and plans clean"

# The profile and the group link import by their official IDs.
expect_exit 0 state rm databricks_group_instance_profile.eng databricks_instance_profile.etl
expect_exit 0 import databricks_instance_profile.etl "$ARN"
expect_exit 0 import databricks_group_instance_profile.eng "$group_id|$ARN"
expect_exit 0 plan -detailed-exitcode
apply_clean
ok "the instance profile imports by its ARN and the group link by <group_id>|<arn>, both plan clean"

# The profile's IAM role changes in place (an edit, not a new profile).
ROLE="arn:aws:iam::123456789012:role/etl-pool-role"
write_config 40 "$REST_POOL"
expect_exit 2 plan -detailed-exitcode
expect_output 'databricks_instance_profile.etl will be updated in-place'
expect_output '0 to destroy'
apply_clean
api GET /api/2.0/instance-profiles/list | python3 -c '
import json, sys
p = json.load(sys.stdin)["instance_profiles"]
assert [(x["instance_profile_arn"], x.get("iam_role_arn")) for x in p] == [(sys.argv[1], sys.argv[2])], p' "$ARN" "$ROLE" ||
	fail "the profile's IAM role was not changed"
ok "the profile's IAM role changes in place"

# A role removed by REST is drift: the link is made again.
api PATCH "/api/2.0/preview/scim/v2/Groups/$group_id" "{\"schemas\":
  [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\":
  [{\"op\": \"remove\", \"path\": \"roles[value eq \\\"$ARN\\\"]\"}]}" >/dev/null
expect_exit 2 plan -refresh-only -detailed-exitcode
apply_clean
group_roles() {
	api GET "/api/2.0/preview/scim/v2/Groups/$group_id" |
		python3 -c 'import json,sys; print(" ".join(r["value"] for r in json.load(sys.stdin).get("roles", [])))'
}
[ "$(group_roles)" = "$ARN" ] || fail "the group link was not made again: roles $(group_roles)"
ok "an instance profile removed from the group by REST is made again"

# Enums and ARNs the official provider validates fail at plan time, at
# their attribute.
write_config 40 '
resource "databricks_instance_pool" "bad" {
  instance_pool_name                    = "bad"
  node_type_id                          = "i3.xlarge"
  idle_instance_autotermination_minutes = 10
  aws_attributes {
    availability = "SPOTTY"
  }
}
resource "databricks_instance_profile" "bad" {
  instance_profile_arn = "arn:aws:iam::123456789012:role/not-a-profile"
}'
expect_exit 1 plan
expect_output 'Invalid availability'
expect_output 'availability must be SPOT or ON_DEMAND, not "SPOTTY"'
expect_output 'availability = "SPOTTY"'
expect_output 'Invalid ARN'
expect_output 'instance_profile_arn = "arn:aws:iam::123456789012:role/not-a-profile"'
ok "a bad availability and a role ARN as instance profile fail at plan time"

write_config 40
expect_exit 0 destroy -auto-approve
[ "$(api GET /api/2.0/instance-pools/list)" = "{}" ] || fail "pools left after destroy: $(api GET /api/2.0/instance-pools/list)"
[ "$(api GET /api/2.0/instance-profiles/list)" = "{}" ] || fail "profiles left after destroy"
ok "destroy removes the pools, the profile and the link"
done_testing
