#!/usr/bin/env bash
# Import of a cluster created by REST (with libraries, tags, autoscale and
# the aws_attributes the workspace fills in): `terraform import` and an
# import block both plan clean against a matching configuration.
source "$(dirname "$0")/../lib.sh"
start_emulator --cluster-start-ms 200

body='{"cluster_name":"shared","spark_version":"15.4.x-scala2.12",
 "node_type_id":"i3.xlarge","autoscale":{"min_workers":1,"max_workers":4},
 "autotermination_minutes":45,"custom_tags":{"team":"bi"},
 "aws_attributes":{"availability":"ON_DEMAND","zone_id":"us-west-2b"}}'
id=$(api POST /api/2.1/clusters/create "$body" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["cluster_id"])')
api POST /api/2.0/libraries/install "{\"cluster_id\":\"$id\",\"libraries\":[{\"pypi\":{\"package\":\"pandas\"}}]}" >/dev/null

write_config() {
	config_text <<EOF_TF
$1
resource "databricks_cluster" "shared" {
  cluster_name            = "shared"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "i3.xlarge"
  autotermination_minutes = 45
  custom_tags             = { team = "bi" }
  autoscale {
    min_workers = 1
    max_workers = 4
  }
  aws_attributes {
    availability = "ON_DEMAND"
    zone_id      = "us-west-2b"
  }
  library {
    pypi { package = "pandas" }
  }
}
EOF_TF
}

write_config ""
expect_exit 0 import databricks_cluster.shared "$id"
expect_exit 0 plan -detailed-exitcode
ok "terraform import of a REST-created cluster plans clean"

rm -f "$WORK/cfg/terraform.tfstate"
write_config "import {
  to = databricks_cluster.shared
  id = \"$id\"
}"
expect_exit 0 apply -auto-approve
expect_output "1 imported, 0 added, 0 changed, 0 destroyed"
expect_exit 0 plan -detailed-exitcode
ok "an import block imports it with no change"

tf state show databricks_cluster.shared
expect_output "default_tags"
expect_output "ClusterId"
ok "the imported state has the workspace's default_tags"
done_testing
