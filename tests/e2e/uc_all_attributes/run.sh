#!/usr/bin/env bash
# Every official attribute of the Unity Catalog securables, through real
# terraform: storage credentials of every cloud (AWS role, Azure managed
# identity and service principal, the Databricks-managed GCP service
# account, a GCP key, a Cloudflare R2 token), external locations on
# s3://, abfss://, gs:// and r2:// with encryption, file events and each
# kind of queue, catalogs with storage roots on Azure, predictive
# optimization, isolation, Delta Sharing and foreign catalogs with
# options. Apply, then every plan empty; the emulator holds what was
# asked (secrets taken, never returned); changes in place (another queue,
# another identity, options) plan clean again; the UC data sources read
# the objects back.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../uc_lib.sh"
start_emulator
# The identities' secrets go in request bodies: with the bodies logged,
# none may reach the TRACE log (lib.sh scans it at exit).
export DATABRICKS_DEBUG_HEADERS=true DATABRICKS_DEBUG_TRUNCATE_BYTES=100000
for v in sp-secret-value-1 sp-secret-value-2 gcp-private-key-value r2-secret-value; do
	secret_value "$v"
done

write_config() {
	local queue=$1 identity=$2 options=$3
	config_text <<EOF_TF
resource "databricks_storage_credential" "aws" {
  name            = "aws-cred"
  comment         = "an IAM role"
  owner           = "data-admins"
  read_only       = false
  skip_validation = true
  force_destroy   = true
  force_update    = true
  isolation_mode  = "ISOLATION_MODE_ISOLATED"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/uc-access"
  }
}
resource "databricks_storage_credential" "azure_mi" {
  name = "azure-mi"
  $identity
}
resource "databricks_storage_credential" "azure_sp" {
  name      = "azure-sp"
  read_only = true
  azure_service_principal {
    directory_id   = "00000000-0000-0000-0000-0000000000d1"
    application_id = "00000000-0000-0000-0000-0000000000a1"
    client_secret  = "sp-secret-value-1"
  }
}
resource "databricks_storage_credential" "gcp" {
  name = "gcp-managed"
  databricks_gcp_service_account {}
}
resource "databricks_storage_credential" "gcp_key" {
  name = "gcp-key"
  gcp_service_account_key {
    email          = "uc@my-project.iam.gserviceaccount.com"
    private_key_id = "key-1"
    private_key    = "gcp-private-key-value"
  }
}
resource "databricks_storage_credential" "r2" {
  name = "r2-token"
  cloudflare_api_token {
    account_id        = "0123abcd"
    access_key_id     = "r2-access-key"
    secret_access_key = "r2-secret-value"
  }
}

resource "databricks_external_location" "s3" {
  name               = "s3-landing"
  url                = "s3://landing-bucket/raw"
  credential_name    = databricks_storage_credential.aws.id
  comment            = "raw files"
  owner              = "data-admins"
  read_only          = true
  fallback           = true
  skip_validation    = true
  force_destroy      = true
  force_update       = true
  isolation_mode     = "ISOLATION_MODE_ISOLATED"
  enable_file_events = true
  encryption_details {
    sse_encryption_details {
      algorithm       = "AWS_SSE_KMS"
      aws_kms_key_arn = "arn:aws:kms:us-west-2:123456789012:key/k1"
    }
  }
  file_event_queue {
    $queue
  }
}
resource "databricks_external_location" "adls" {
  name               = "adls-lake"
  url                = "abfss://lake@acct01.dfs.core.windows.net/data"
  credential_name    = databricks_storage_credential.azure_sp.id
  enable_file_events = true
  file_event_queue {
    managed_aqs {
      resource_group  = "rg-events"
      subscription_id = "00000000-0000-0000-0000-0000000000c1"
    }
  }
}
resource "databricks_external_location" "gcs" {
  name               = "gcs-lake"
  url                = "gs://gcs_lake/data"
  credential_name    = databricks_storage_credential.gcp.id
  enable_file_events = true
  file_event_queue {
    provided_pubsub {
      subscription_name = "projects/p/subscriptions/uc-events"
    }
  }
}
resource "databricks_external_location" "r2" {
  name            = "r2-lake"
  url             = "r2://bkt@0123abcd.r2.cloudflarestorage.com/data"
  credential_name = databricks_storage_credential.r2.id
}

resource "databricks_catalog" "managed" {
  name                           = "sales"
  comment                        = "managed on Azure"
  storage_root                   = "abfss://lake@acct01.dfs.core.windows.net/data/sales"
  owner                          = "data-admins"
  isolation_mode                 = "ISOLATED"
  enable_predictive_optimization = "ENABLE"
  force_destroy                  = true
  properties = {
    purpose = "testing"
  }
  depends_on = [databricks_external_location.adls]
}
resource "databricks_catalog" "shared" {
  name          = "shared_sales"
  provider_name = "acme"
  share_name    = "sales_share"
}
resource "databricks_catalog" "foreign" {
  name            = "pg_orders"
  connection_name = "postgres_conn"
  options = {
    $options
  }
}
resource "databricks_schema" "raw" {
  catalog_name = databricks_catalog.managed.name
  name         = "raw"
}
EOF_TF
}

# --- validation ----------------------------------------------------------------
config_text <<'EOF_TF'
resource "databricks_catalog" "half_shared" {
  name          = "half"
  provider_name = "acme"
}
resource "databricks_storage_credential" "two" {
  name = "two"
  aws_iam_role {
    role_arn = "arn:aws:iam::123456789012:role/x"
  }
  databricks_gcp_service_account {}
}
resource "databricks_storage_credential" "none" {
  name = "none"
}
resource "databricks_external_location" "queues" {
  name            = "queues"
  url             = "s3://b/x"
  credential_name = "two"
  file_event_queue {
    managed_sqs {}
    managed_pubsub {}
  }
  encryption_details {
    sse_encryption_details {
      algorithm = "ROT13"
    }
  }
}
EOF_TF
expect_exit 1 validate
for want in 'needs both provider_name and' \
	'databricks_gcp_service_account are both given' \
	'identity is one block of aws_iam_role,' \
	'managed_sqs and managed_pubsub are both' \
	'AWS_SSE_S3 or AWS_SSE_KMS'; do
	expect_output "$want"
done
ok "validate: a half Delta Sharing catalog, two identities or none, two queue kinds and an unknown algorithm"

write_config 'managed_sqs {}' 'azure_managed_identity {
    access_connector_id = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Databricks/accessConnectors/ac1"
  }' 'database = "orders"'
apply_clean
ok "every attribute of the six types applies; plans after it are empty and a refresh-only plan finds nothing"

# --- what the workspace holds ------------------------------------------------
[ "$(jget "$UC/storage-credentials/azure-mi" 'j["azure_managed_identity"]["access_connector_id"].rsplit("/",1)[1]')" = ac1 ] || fail "managed identity"
[ "$(jget "$UC/storage-credentials/azure-sp" 'j["azure_service_principal"]["application_id"]')" = 00000000-0000-0000-0000-0000000000a1 ] || fail "service principal"
[ "$(jget "$UC/storage-credentials/aws-cred" 'j["isolation_mode"], j["owner"]')" = "('ISOLATION_MODE_ISOLATED', 'data-admins')" ] || fail "aws credential"
for name in azure-sp gcp-key r2-token; do
	api GET "$UC/storage-credentials/$name" >"$WORK/cred.json"
	! grep -Eq 'client_secret|private_key"|secret_access_key|secret-value|gcp-private-key' "$WORK/cred.json" || fail "$name: the workspace returned a secret: $(cat "$WORK/cred.json")"
done
grep -q '"client_secret": *"sp-secret-value-1"' "$WORK/cfg/terraform.tfstate" || fail "client_secret not kept in the state"
[ "$(jget "$UC/external-locations/s3-landing" 'j["encryption_details"]["sse_encryption_details"]["algorithm"], j["enable_file_events"], j["fallback"], "queue_url" in j["file_event_queue"]["managed_sqs"]')" = "('AWS_SSE_KMS', True, True, True)" ] || fail "s3 location: $(api GET "$UC/external-locations/s3-landing")"
[ "$(jget "$UC/external-locations/adls-lake" 'j["file_event_queue"]["managed_aqs"]["resource_group"]')" = rg-events ] || fail "adls location"
[ "$(jget "$UC/catalogs/sales" 'j["isolation_mode"], j["enable_predictive_optimization"], j["effective_predictive_optimization_flag"]["value"], j["owner"]')" = "('ISOLATED', 'ENABLE', 'ENABLE', 'data-admins')" ] || fail "catalog sales: $(api GET "$UC/catalogs/sales")"
[ "$(jget "$UC/catalogs/shared_sales" 'j["catalog_type"], j["provider_name"], j["share_name"]')" = "('DELTASHARING_CATALOG', 'acme', 'sales_share')" ] || fail "shared catalog"
[ "$(jget "$UC/catalogs/pg_orders" 'j["catalog_type"], j["options"]')" = "('FOREIGN_CATALOG', {'database': 'orders'})" ] || fail "foreign catalog"
ok "the workspace holds every attribute; secrets were taken but are never returned, and the state keeps them"

tf state show databricks_storage_credential.gcp >/dev/null
terraform -chdir="$WORK/cfg" state show -no-color databricks_storage_credential.gcp >"$WORK/show.out"
grep -q 'email *= ".*iam.gserviceaccount.com"' "$WORK/show.out" || fail "gcp email not in state: $(cat "$WORK/show.out")"
terraform -chdir="$WORK/cfg" state show -no-color databricks_external_location.s3 >"$WORK/show.out"
grep -q 'managed_resource_id *= "' "$WORK/show.out" || fail "managed_resource_id not in state"
terraform -chdir="$WORK/cfg" state show -no-color databricks_catalog.managed >"$WORK/show.out"
grep -q 'inherited_from_type' "$WORK/show.out" && fail "an ENABLE catalog does not inherit"
grep -q 'value *= "ENABLE"' "$WORK/show.out" || fail "effective flag not in state: $(cat "$WORK/show.out")"
ok "computed values the workspace chose (GCP account email, queue ids, effective predictive optimization) are in the state"

# --- changes in place ---------------------------------------------------------
write_config 'provided_sqs {
      queue_url = "https://sqs.us-west-2.amazonaws.com/123456789012/my-events"
    }' 'azure_service_principal {
    directory_id   = "00000000-0000-0000-0000-0000000000d2"
    application_id = "00000000-0000-0000-0000-0000000000a2"
    client_secret  = "sp-secret-value-2"
  }' 'database = "billing"'
expect_exit 2 plan -detailed-exitcode
expect_output "3 to change, 0 to destroy"
apply_clean
[ "$(jget "$UC/external-locations/s3-landing" 'sorted(j["file_event_queue"])')" = "['provided_sqs']" ] || fail "queue not replaced"
[ "$(jget "$UC/storage-credentials/azure-mi" '"azure_managed_identity" in j, j["azure_service_principal"]["directory_id"]')" = "(False, '00000000-0000-0000-0000-0000000000d2')" ] || fail "identity not replaced: $(api GET "$UC/storage-credentials/azure-mi")"
[ "$(jget "$UC/catalogs/pg_orders" 'j["options"]')" = "{'database': 'billing'}" ] || fail "options not updated"
ok "another queue kind, another cloud identity and new options are updated in place and plan clean"

# --- drift -------------------------------------------------------------------
api PATCH "$UC/catalogs/sales" '{"enable_predictive_optimization":"DISABLE"}' >/dev/null
api PATCH "$UC/external-locations/s3-landing" '{"enable_file_events":false}' >/dev/null
expect_exit 2 plan -detailed-exitcode
expect_output 'enable_predictive_optimization *= "DISABLE" -> "ENABLE"'
expect_output 'enable_file_events *= false -> true'
apply_clean
[ "$(jget "$UC/catalogs/sales" 'j["effective_predictive_optimization_flag"]["value"]')" = ENABLE ] || fail "drift not undone"
ok "drift made by REST is seen and undone"

# --- import -------------------------------------------------------------------
terraform -chdir="$WORK/cfg" state rm databricks_catalog.foreign databricks_external_location.gcs databricks_storage_credential.gcp >/dev/null
expect_exit 0 import databricks_catalog.foreign pg_orders
expect_exit 0 import databricks_external_location.gcs gcs-lake
expect_exit 0 import databricks_storage_credential.gcp gcp-managed
expect_exit 0 apply -auto-approve
expect_exit 0 plan -detailed-exitcode
expect_exit 0 plan -refresh-only -detailed-exitcode
ok "a foreign catalog, a gs:// location with a queue and a GCP credential import by name and plan clean"



# --- data sources --------------------------------------------------------------
cat >"$WORK/cfg/data.tf" <<'EOF_TF'
data "databricks_catalog" "sales" {
  name = databricks_catalog.managed.name
}
data "databricks_catalog" "foreign" {
  name = databricks_catalog.foreign.name
}
data "databricks_catalogs" "all" {
  provider_config {
    workspace_id = "1234567890"
  }
  depends_on = [databricks_catalog.managed, databricks_catalog.shared, databricks_catalog.foreign]
}
data "databricks_schema" "raw" {
  name = databricks_schema.raw.id
}
data "databricks_schemas" "sales" {
  catalog_name = databricks_catalog.managed.name
  depends_on   = [databricks_schema.raw]
}
data "databricks_external_location" "s3" {
  name = databricks_external_location.s3.id
}
data "databricks_external_location" "adls" {
  name = databricks_external_location.adls.id
}
data "databricks_external_locations" "all" {
  depends_on = [databricks_external_location.s3, databricks_external_location.adls, databricks_external_location.gcs, databricks_external_location.r2]
}
data "databricks_storage_credential" "aws" {
  name = databricks_storage_credential.aws.id
}
data "databricks_storage_credential" "sp" {
  name = databricks_storage_credential.azure_mi.id
}
data "databricks_storage_credentials" "all" {
  depends_on = [databricks_storage_credential.aws, databricks_storage_credential.azure_mi, databricks_storage_credential.azure_sp, databricks_storage_credential.gcp, databricks_storage_credential.gcp_key, databricks_storage_credential.r2]
}
output "uc" {
  sensitive = true
  value = {
    catalog_id        = data.databricks_catalog.sales.id
    catalog_owner     = data.databricks_catalog.sales.catalog_info[0].owner
    catalog_isolation = data.databricks_catalog.sales.catalog_info[0].isolation_mode
    catalog_root      = data.databricks_catalog.sales.catalog_info[0].storage_root
    catalog_props     = data.databricks_catalog.sales.catalog_info[0].properties
    catalog_po        = data.databricks_catalog.sales.catalog_info[0].effective_predictive_optimization_flag[0].value
    foreign_type      = data.databricks_catalog.foreign.catalog_info[0].catalog_type
    foreign_conn      = data.databricks_catalog.foreign.catalog_info[0].connection_name
    foreign_options   = data.databricks_catalog.foreign.catalog_info[0].options
    catalogs          = sort(tolist(data.databricks_catalogs.all.ids))
    schema_id         = data.databricks_schema.raw.id
    schema_catalog    = data.databricks_schema.raw.schema_info[0].catalog_name
    schema_po_from    = data.databricks_schema.raw.schema_info[0].effective_predictive_optimization_flag
    schemas           = sort(tolist(data.databricks_schemas.sales.ids))
    loc_id            = data.databricks_external_location.s3.id
    loc_url           = data.databricks_external_location.s3.external_location_info[0].url
    loc_events        = data.databricks_external_location.s3.external_location_info[0].enable_file_events
    loc_queue         = data.databricks_external_location.s3.external_location_info[0].file_event_queue[0].provided_sqs[0].queue_url
    loc_kms           = data.databricks_external_location.s3.external_location_info[0].encryption_details[0].sse_encryption_details[0].aws_kms_key_arn
    adls_group        = data.databricks_external_location.adls.external_location_info[0].file_event_queue[0].managed_aqs[0].resource_group
    locations         = data.databricks_external_locations.all.names
    cred_id           = data.databricks_storage_credential.aws.id
    cred_uuid         = databricks_storage_credential.aws.storage_credential_id
    cred_role         = data.databricks_storage_credential.aws.storage_credential_info[0].aws_iam_role[0].role_arn
    cred_isolation    = data.databricks_storage_credential.aws.storage_credential_info[0].isolation_mode
    sp_app            = data.databricks_storage_credential.sp.storage_credential_info[0].azure_service_principal[0].application_id
    sp_secret         = data.databricks_storage_credential.sp.storage_credential_info[0].azure_service_principal[0].client_secret
    credentials       = data.databricks_storage_credentials.all.names
  }
}
EOF_TF
apply_clean
terraform -chdir="$WORK/cfg" output -json uc >"$WORK/uc.json"
python3 - "$WORK/uc.json" <<'PY' || fail "data sources: $(cat "$WORK/uc.json")"
import json, sys
o = json.load(open(sys.argv[1]))
want = {
    "catalog_id": "sales", "catalog_owner": "data-admins",
    "catalog_isolation": "ISOLATED",
    "catalog_root": "abfss://lake@acct01.dfs.core.windows.net/data/sales",
    "catalog_props": {"purpose": "testing"}, "catalog_po": "ENABLE",
    "foreign_type": "FOREIGN_CATALOG", "foreign_conn": "postgres_conn",
    "foreign_options": {"database": "billing"},
    "catalogs": ["main", "pg_orders", "sales", "shared_sales", "system"],
    "schema_id": "sales.raw", "schema_catalog": "sales",
    "schemas": ["sales.information_schema", "sales.raw"],
    "loc_id": "s3-landing", "loc_url": "s3://landing-bucket/raw",
    "loc_events": True,
    "loc_queue": "https://sqs.us-west-2.amazonaws.com/123456789012/my-events",
    "loc_kms": "arn:aws:kms:us-west-2:123456789012:key/k1",
    "adls_group": "rg-events",
    "locations": ["adls-lake", "gcs-lake", "r2-lake", "s3-landing"],
    "cred_role": "arn:aws:iam::123456789012:role/uc-access",
    "cred_isolation": "ISOLATION_MODE_ISOLATED",
    "sp_app": "00000000-0000-0000-0000-0000000000a2", "sp_secret": None,
    "credentials": ["aws-cred", "azure-mi", "azure-sp", "gcp-key",
                    "gcp-managed", "r2-token"],
}
for k, v in want.items():
    assert o[k] == v, (k, o[k], v)
assert o["cred_id"] == o["cred_uuid"] and len(o["cred_id"]) == 36, o["cred_id"]
assert o["schema_po_from"] == [{"value": "ENABLE", "inherited_from_type": "CATALOG", "inherited_from_name": "sales"}], o["schema_po_from"]
PY
ok "the UC data sources read every object back: info blocks with nested identities, queues and flags, and the lists of names"

rm "$WORK/cfg/data.tf"
expect_exit 0 destroy -auto-approve
[ "$(jget "$UC/catalogs?max_results=0" '[c["name"] for c in j.get("catalogs", [])]')" = "['main', 'system']" ] || fail "catalogs left after destroy"
ok "destroy removes everything"
done_testing
