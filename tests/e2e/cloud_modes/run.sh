#!/usr/bin/env bash
# An emulator told which cloud it plays (--cloud aws here; azure and gcp
# in auth_azure and auth_google) refuses another cloud's storage and
# compute as the service does: through terraform, a gs:// external
# location and an Azure node type each fail at apply with the service's
# error at the resource, and nothing is left half-made in the state.
source "$(dirname "$0")/../lib.sh"
start_emulator --cloud aws

[ "$(curl -sS "$EMU_URL/_emulator/cloud")" = '{"cloud":"aws","strict":true}' ] ||
	fail "the emulator does not say it plays AWS: $(curl -sS "$EMU_URL/_emulator/cloud")"

config_text <<'EOF_TF'
resource "databricks_storage_credential" "lake" {
  name = "lake-role"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/uc-lake"
  }
  skip_validation = true
}
resource "databricks_external_location" "s3" {
  name            = "landing"
  url             = "s3://lake-bucket/landing"
  credential_name = databricks_storage_credential.lake.name
  skip_validation = true
}
EOF_TF
apply_clean
ok "an s3:// external location on an IAM role applies and plans clean on AWS"

cat >>"$WORK/cfg/main.tf" <<'EOF_TF'
resource "databricks_external_location" "gcs" {
  name            = "gcs-landing"
  url             = "gs://lake-bucket/landing"
  credential_name = databricks_storage_credential.lake.name
  skip_validation = true
}
EOF_TF
expect_exit 1 apply -auto-approve
expect_output 'databricks_external_location.gcs'
expect_output 'invalid URI scheme gs'
expect_exit 0 state list
grep -q 'databricks_external_location.gcs' "$WORK/last.out" &&
	fail "the refused location is in the state"
ok "a gs:// external location is refused at apply with the service's error"

api POST /api/2.1/unity-catalog/storage-credentials \
	'{"name": "mi", "azure_managed_identity": {"access_connector_id": "/subscriptions/1/resourceGroups/r/providers/Microsoft.Databricks/accessConnectors/a"}}' |
	grep -q 'azure_managed_identity can only be specified for storage credentials in AWS workspaces' ||
	fail "an Azure credential was not refused on AWS"
ok "an Azure managed identity credential is refused on AWS"

config_text <<'EOF_TF'
resource "databricks_cluster" "azure_vm" {
  cluster_name            = "wrong-cloud"
  spark_version           = "15.4.x-scala2.12"
  node_type_id            = "Standard_DS3_v2"
  num_workers             = 1
  autotermination_minutes = 20
}
EOF_TF
expect_exit 1 apply -auto-approve
expect_output 'Standard_DS3_v2 is not supported'
ok "an Azure node type is refused on AWS with the service's error"

done_testing
