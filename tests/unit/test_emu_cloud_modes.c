/*
 * Unit tests for --cloud aws|azure|gcp (struct emu_workspace_options
 * .cloud): what each cloud's workspace lists and fills, and what it
 * refuses of the others. Node types and zones, the *_attributes clusters
 * and pools get, Unity Catalog's storage schemes, credential types and
 * metastore root, Key Vault-backed secret scopes, the cloud named by the
 * host metadata and GET /_emulator/cloud; and that a workspace started
 * without --cloud stays the loose AWS one the other tests rely on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-cloud-modes-test"
#define EMU_TEST_UC
#include "emu_test.h"

#define CLUSTERS "/api/2.1/clusters/"
#define POOLS	 "/api/2.0/instance-pools/"
#define SECRETS	 "/api/2.0/secrets/"
#define SPARK	 "\"spark_version\":\"15.4.x-scala2.12\""
#define KV_ID                                                                  \
	"/subscriptions/s1/resourceGroups/rg/providers/"                       \
	"Microsoft.KeyVault/vaults/kv1"
#define ABFSS "abfss://lake@acct01.dfs.core.windows.net"
#define MI_ID                                                                  \
	"/subscriptions/s1/resourceGroups/rg/providers/"                       \
	"Microsoft.Databricks/accessConnectors/ac1"

static struct emu_workspace *cloud_ws(enum emu_cloud cloud, bool strict)
{
	struct emu_workspace_options o;

	memset(&o, 0, sizeof(o));
	o.cloud = cloud;
	o.cloud_strict = strict;
	return emu_workspace_new(&o);
}

static int setup_azure(void **state)
{
	*state = cloud_ws(EMU_CLOUD_AZURE, true);
	return 0;
}

static int setup_gcp(void **state)
{
	*state = cloud_ws(EMU_CLOUD_GCP, true);
	return 0;
}

static int setup_aws_strict(void **state)
{
	*state = cloud_ws(EMU_CLOUD_AWS, true);
	return 0;
}

/* The node type with id in a list-node-types reply, or NULL. */
static const cJSON *node_type(const cJSON *body, const char *id)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, cJSON_GetObjectItem(body, "node_types"))
	{
		if (strcmp(emu_test_str(t, "node_type_id"), id) == 0)
			return t;
	}
	return NULL;
}

/* Creates a cluster from body (JSON members after "{"); its id. */
static char *create_cluster(struct emu_workspace *ws, const char *members)
{
	char *body = emu_printf("{\"cluster_name\":\"c\"," SPARK
				",\"num_workers\":1,%s}",
				members);
	struct emu_test_result r = call_ok(ws, "POST", CLUSTERS "create", body);
	char *id = emu_xstrdup(emu_test_str(r.json, "cluster_id"));

	emu_test_result_dispose(&r);
	free(body);
	return id;
}

static struct emu_test_result get_cluster(struct emu_workspace *ws,
					  const char *id)
{
	char *target = emu_printf(CLUSTERS "get?cluster_id=%s", id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	free(target);
	return r;
}

/* --- the option itself ---------------------------------------------------- */

static void test_emu_cloud_modes__names(void **state)
{
	enum emu_cloud c = EMU_CLOUD_GCP;
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	(void)state;
	assert_int_equal(emu_cloud_parse(&c, "azure"), 0);
	assert_int_equal(c, EMU_CLOUD_AZURE);
	assert_int_equal(emu_cloud_parse(&c, "aws"), 0);
	assert_int_equal(c, EMU_CLOUD_AWS);
	assert_int_equal(emu_cloud_parse(&c, "gcp"), 0);
	assert_int_equal(c, EMU_CLOUD_GCP);
	assert_int_equal(emu_cloud_parse(&c, "Azure"), -1);
	assert_int_equal(emu_cloud_parse(&c, ""), -1);
	assert_int_equal(emu_cloud_parse(&c, NULL), -1);
	assert_string_equal(emu_cloud_name(EMU_CLOUD_GCP), "gcp");

	/* The default workspace: AWS, and loose. */
	r = emu_test_call_ok(ws, "GET", "/_emulator/cloud", NULL, NULL);
	assert_string_equal(emu_test_str(r.json, "cloud"), "aws");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "strict")));
	emu_test_result_dispose(&r);
}

static void test_emu_cloud_modes__azure_identity(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = emu_test_call_ok(ws, "GET", "/_emulator/cloud", NULL, NULL);
	assert_string_equal(emu_test_str(r.json, "cloud"), "azure");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "strict")));
	emu_test_result_dispose(&r);
	r = emu_test_call_ok(ws, "GET", "/.well-known/databricks-config", NULL,
			     NULL);
	assert_string_equal(emu_test_str(r.json, "cloud"), "azure");
	emu_test_result_dispose(&r);
}

/* --- compute ---------------------------------------------------------------
 */

/* A workspace the Account API hosts plays the root's cloud. */
static void test_emu_cloud_modes__hosted_inherit(void **state)
{
	struct emu_workspace *ws = *state, *h;
	struct emu_test_result r;

	h = emu_workspace_host(ws, "analytics", "1234567890");
	assert_non_null(h);
	assert_int_equal(emu_workspace_cloud(h), EMU_CLOUD_GCP);
	assert_true(emu_workspace_cloud_strict(h));
	r = emu_test_call_at(ws, "analytics.localhost", "GET",
			     CLUSTERS "list-zones", NULL, EMU_TEST_TOKEN);
	assert_int_equal(r.status, 200);
	assert_string_equal(emu_test_str(r.json, "default_zone"), "us-west1-a");
	emu_test_result_dispose(&r);
}

static void test_emu_cloud_modes__azure_node_types(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *t, *zones;

	r = call_ok(ws, "GET", CLUSTERS "list-node-types", NULL);
	t = node_type(r.json, "Standard_DS3_v2");
	assert_non_null(t);
	assert_int_equal(emu_test_int(t, "memory_mb"), 14336);
	assert_int_equal(emu_test_int(t, "num_cores"), 4);
	t = node_type(r.json, "Standard_E8s_v3");
	assert_int_equal(emu_test_int(t, "memory_mb"), 65536);
	t = node_type(r.json, "Standard_NC6s_v3");
	assert_int_equal(emu_test_int(t, "num_gpus"), 1);
	t = node_type(r.json, "Standard_L8s_v3");
	assert_true(
		cJSON_IsTrue(cJSON_GetObjectItem(t, "is_io_cache_enabled")));
	assert_null(node_type(r.json, "i3.xlarge"));
	assert_null(node_type(r.json, "n1-standard-4"));
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET", CLUSTERS "list-zones", NULL);
	zones = cJSON_GetObjectItem(r.json, "zones");
	assert_int_equal(cJSON_GetArraySize(zones), 3);
	assert_string_equal(emu_test_str(r.json, "default_zone"), "1");
	emu_test_result_dispose(&r);
}

static void test_emu_cloud_modes__gcp_node_types(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *t;

	r = call_ok(ws, "GET", CLUSTERS "list-node-types", NULL);
	t = node_type(r.json, "n1-standard-4");
	assert_int_equal(emu_test_int(t, "memory_mb"), 15360);
	assert_int_equal(emu_test_int(t, "num_cores"), 4);
	t = node_type(r.json, "n2-highmem-4");
	assert_int_equal(emu_test_int(t, "memory_mb"), 32768);
	t = node_type(r.json, "a2-highgpu-1g");
	assert_int_equal(emu_test_int(t, "num_cores"), 12);
	assert_int_equal(emu_test_int(t, "num_gpus"), 1);
	assert_null(node_type(r.json, "Standard_DS3_v2"));
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET", CLUSTERS "list-zones", NULL);
	assert_string_equal(emu_test_str(r.json, "default_zone"), "us-west1-a");
	emu_test_result_dispose(&r);
}

static void test_emu_cloud_modes__azure_clusters(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *az;
	char *id;

	id = create_cluster(ws, "\"node_type_id\":\"Standard_DS3_v2\"");
	r = get_cluster(ws, id);
	az = cJSON_GetObjectItem(r.json, "azure_attributes");
	assert_int_equal(emu_test_int(az, "first_on_demand"), 1);
	assert_string_equal(emu_test_str(az, "availability"),
			    "ON_DEMAND_AZURE");
	assert_true(
		cJSON_GetObjectItem(az, "spot_bid_max_price")->valuedouble ==
		-1);
	assert_null(cJSON_GetObjectItem(r.json, "aws_attributes"));
	assert_string_equal(emu_test_str(r.json, "driver_node_type_id"),
			    "Standard_DS3_v2");
	emu_test_result_dispose(&r);
	free(id);

	/* What the client gave stays; the rest is filled. */
	id = create_cluster(ws, "\"node_type_id\":\"Standard_DS4_v2\","
				"\"azure_attributes\":{\"availability\":"
				"\"SPOT_WITH_FALLBACK_AZURE\"}");
	r = get_cluster(ws, id);
	az = cJSON_GetObjectItem(r.json, "azure_attributes");
	assert_string_equal(emu_test_str(az, "availability"),
			    "SPOT_WITH_FALLBACK_AZURE");
	assert_int_equal(emu_test_int(az, "first_on_demand"), 1);
	emu_test_result_dispose(&r);
	free(id);

	invalid(ws, "POST", CLUSTERS "create",
		"{" SPARK ",\"num_workers\":1,\"node_type_id\":\"i3.xlarge\"}",
		"Node type i3.xlarge is not supported. Call "
		"clusters/list-node-types for the node types of this "
		"workspace.");
	invalid(ws, "POST", CLUSTERS "create",
		"{" SPARK ",\"num_workers\":1,\"node_type_id\":"
		"\"Standard_DS3_v2\",\"driver_node_type_id\":\"n1-standard-"
		"4\"}",
		NULL);
	invalid(ws, "POST", CLUSTERS "create",
		"{" SPARK ",\"num_workers\":1,\"node_type_id\":"
		"\"Standard_DS3_v2\",\"aws_attributes\":{}}",
		"aws_attributes can only be specified for clusters running "
		"in AWS");
	invalid(ws, "POST", CLUSTERS "create",
		"{" SPARK ",\"num_workers\":1,\"node_type_id\":"
		"\"Standard_DS3_v2\",\"gcp_attributes\":{}}",
		"gcp_attributes can only be specified for clusters running "
		"in GCP");
	invalid(ws, "POST", CLUSTERS "create",
		"{" SPARK ",\"num_workers\":1,\"node_type_id\":"
		"\"Standard_DS3_v2\",\"azure_attributes\":{\"availability\":"
		"\"SPOT\"}}",
		"Invalid azure_attributes.availability 'SPOT': expected "
		"SPOT_AZURE, ON_DEMAND_AZURE or SPOT_WITH_FALLBACK_AZURE.");
}

/* A job cluster carrying another cloud's block is refused at create, as
 * on the real service; the daily ETL job on an Azure node type is not. */
static void test_emu_cloud_modes__azure_jobs(void **state)
{
	struct emu_workspace *ws = *state;

	ok(ws, "POST", "/api/2.1/jobs/create",
	   "{\"name\":\"daily-etl-pipeline\",\"job_clusters\":[{"
	   "\"job_cluster_key\":\"etl\",\"new_cluster\":{" SPARK
	   ",\"node_type_id\":\"Standard_DS3_v2\",\"num_workers\":2}}],"
	   "\"tasks\":[{\"task_key\":\"ingest\",\"job_cluster_key\":"
	   "\"etl\",\"notebook_task\":{\"notebook_path\":\"/etl/in\"}}]}");
	invalid(ws, "POST", "/api/2.1/jobs/create",
		"{\"name\":\"j\",\"job_clusters\":[{\"job_cluster_key\":"
		"\"etl\",\"new_cluster\":{" SPARK
		",\"node_type_id\":\"Standard_DS3_v2\",\"num_workers\":2,"
		"\"aws_attributes\":{\"availability\":\"SPOT\"}}}],"
		"\"tasks\":[{\"task_key\":\"t\",\"job_cluster_key\":\"etl\","
		"\"notebook_task\":{\"notebook_path\":\"/etl/in\"}}]}",
		"aws_attributes can only be specified for clusters running "
		"in AWS");
	invalid(ws, "POST", "/api/2.1/jobs/runs/submit",
		"{\"tasks\":[{\"task_key\":\"t\",\"new_cluster\":{" SPARK
		",\"node_type_id\":\"Standard_DS3_v2\",\"num_workers\":1,"
		"\"gcp_attributes\":{}},\"notebook_task\":{"
		"\"notebook_path\":\"/etl/in\"}}]}",
		"gcp_attributes can only be specified for clusters running "
		"in GCP");
}

static void test_emu_cloud_modes__gcp_clusters_and_pools(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *g;
	char *id, *target;

	id = create_cluster(ws, "\"node_type_id\":\"n1-standard-4\"");
	r = get_cluster(ws, id);
	g = cJSON_GetObjectItem(r.json, "gcp_attributes");
	assert_string_equal(emu_test_str(g, "availability"), "ON_DEMAND_GCP");
	assert_true(cJSON_IsFalse(
		cJSON_GetObjectItem(g, "use_preemptible_executors")));
	assert_string_equal(emu_test_str(g, "zone_id"), "HA");
	assert_null(cJSON_GetObjectItem(r.json, "aws_attributes"));
	emu_test_result_dispose(&r);
	free(id);

	invalid(ws, "POST", CLUSTERS "create",
		"{" SPARK ",\"num_workers\":1,\"node_type_id\":"
		"\"n1-standard-4\",\"azure_attributes\":{}}",
		"azure_attributes can only be specified for clusters "
		"running in Azure");

	r = call_ok(ws, "POST", POOLS "create",
		    "{\"instance_pool_name\":\"p\",\"node_type_id\":"
		    "\"n2-standard-4\"}");
	target = emu_printf(POOLS "get?instance_pool_id=%s",
			    emu_test_str(r.json, "instance_pool_id"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", target, NULL);
	g = cJSON_GetObjectItem(r.json, "gcp_attributes");
	assert_string_equal(emu_test_str(g, "gcp_availability"),
			    "ON_DEMAND_GCP");
	emu_test_result_dispose(&r);
	free(target);
	invalid(ws, "POST", POOLS "create",
		"{\"instance_pool_name\":\"q\",\"node_type_id\":"
		"\"m5d.large\"}",
		NULL);
	invalid(ws, "POST", POOLS "create",
		"{\"instance_pool_name\":\"q\",\"node_type_id\":"
		"\"n2-standard-4\",\"aws_attributes\":{}}",
		"aws_attributes can only be specified for instance pools "
		"running in AWS");
}

static void test_emu_cloud_modes__azure_pools(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *az;
	char *target;

	r = call_ok(ws, "POST", POOLS "create",
		    "{\"instance_pool_name\":\"p\",\"node_type_id\":"
		    "\"Standard_F4s\"}");
	target = emu_printf(POOLS "get?instance_pool_id=%s",
			    emu_test_str(r.json, "instance_pool_id"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", target, NULL);
	az = cJSON_GetObjectItem(r.json, "azure_attributes");
	assert_string_equal(emu_test_str(az, "availability"),
			    "ON_DEMAND_AZURE");
	assert_true(
		cJSON_GetObjectItem(az, "spot_bid_max_price")->valuedouble ==
		-1);
	emu_test_result_dispose(&r);
	free(target);
}

/* Without --cloud: AWS, taking the other clouds' blocks as before. */
static void test_emu_cloud_modes__default_is_loose(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id;

	id = create_cluster(ws, "\"node_type_id\":\"m5d.large\","
				"\"azure_attributes\":{\"availability\":"
				"\"ON_DEMAND_AZURE\"}");
	r = get_cluster(ws, id);
	assert_non_null(cJSON_GetObjectItem(r.json, "azure_attributes"));
	assert_null(cJSON_GetObjectItem(r.json, "aws_attributes"));
	emu_test_result_dispose(&r);
	free(id);
	id = create_cluster(ws, "\"node_type_id\":\"m5d.large\"");
	r = get_cluster(ws, id);
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItem(r.json, "aws_attributes"),
			     "zone_id"),
		"us-west-2a");
	emu_test_result_dispose(&r);
	free(id);
	ok(ws, "POST", UC "/storage-credentials",
	   "{\"name\":\"gsa\",\"databricks_gcp_service_account\":{}}");
	create_location(ws, "gcs", "gs://my_bucket/x", "gsa");
}

/* --cloud aws: the same AWS workspace, strict about the others. */
static void test_emu_cloud_modes__aws_strict(void **state)
{
	struct emu_workspace *ws = *state;

	invalid(ws, "POST", CLUSTERS "create",
		"{" SPARK ",\"num_workers\":1,\"node_type_id\":"
		"\"m5d.large\",\"azure_attributes\":{}}",
		"azure_attributes can only be specified for clusters "
		"running in Azure");
	create_credential(ws, "cred");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"l\",\"url\":\"" ABFSS "/x\","
		"\"credential_name\":\"cred\"}",
		"url has invalid URI scheme abfss. Valid URI schemes include "
		"s3, r2");
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"mi\",\"azure_managed_identity\":{"
		"\"access_connector_id\":\"" MI_ID "\"}}",
		"azure_managed_identity can only be specified for storage "
		"credentials in AWS workspaces");
	create_location(ws, "s3", "s3://bucket-one/x", "cred");
}

/* --- Unity Catalog ----------------------------------------------------------
 */

static void test_emu_cloud_modes__azure_uc(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *mi;

	r = call_ok(ws, "GET", UC "/metastore_summary", NULL);
	assert_string_equal(emu_test_str(r.json, "cloud"), "azure");
	assert_string_equal(emu_test_str(r.json, "region"), "westus2");
	assert_int_equal(
		strncmp(emu_test_str(r.json, "storage_root"), "abfss://", 8),
		0);
	emu_test_result_dispose(&r);

	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"role\",\"aws_iam_role\":{\"role_arn\":"
		"\"arn:aws:iam::123456789012:role/uc\"}}",
		"aws_iam_role can only be specified for storage credentials "
		"in Azure workspaces");
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"g\",\"databricks_gcp_service_account\":{}}",
		"databricks_gcp_service_account can only be specified for "
		"storage credentials in Azure workspaces");
	r = call_ok(ws, "POST", UC "/storage-credentials",
		    "{\"name\":\"mi\",\"azure_managed_identity\":{"
		    "\"access_connector_id\":\"" MI_ID "\"}}");
	mi = cJSON_GetObjectItem(r.json, "azure_managed_identity");
	assert_non_null(emu_test_str(mi, "credential_id"));
	emu_test_result_dispose(&r);
	ok(ws, "POST", UC "/storage-credentials",
	   "{\"name\":\"sp\",\"azure_service_principal\":{\"directory_id\":"
	   "\"d\",\"application_id\":\"a\",\"client_secret\":\"s\"}}");
	ok(ws, "POST", UC "/storage-credentials",
	   "{\"name\":\"r2\",\"cloudflare_api_token\":{\"account_id\":\"a\","
	   "\"access_key_id\":\"k\",\"secret_access_key\":\"s\"}}");

	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"s3\",\"url\":\"s3://bucket-one/x\","
		"\"credential_name\":\"mi\"}",
		"url has invalid URI scheme s3. Valid URI schemes include "
		"abfss, r2");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"w\",\"url\":\"wasbs://c@a.blob.core.windows.net/"
		"x\",\"credential_name\":\"mi\"}",
		"url has invalid URI scheme wasbs. Valid URI schemes include "
		"abfss, r2");
	create_location(ws, "lake", ABFSS "/data", "mi");
	ok(ws, "POST", UC "/catalogs",
	   "{\"name\":\"sales\",\"storage_root\":\"" ABFSS "/data/sales\"}");
	invalid(ws, "POST", UC "/catalogs",
		"{\"name\":\"gcs\",\"storage_root\":\"gs://bucket/x\"}",
		"storage_root has invalid URI scheme gs. Valid URI schemes "
		"include abfss, r2");

	/* Volumes and tables: an abfss:// location under the external one;
	 * managed storage under the metastore's abfss:// root. */
	ok(ws, "POST", UC "/schemas",
	   "{\"name\":\"s\",\"catalog_name\":\"main\"}");
	ok(ws, "POST", UC "/volumes",
	   "{\"name\":\"ext\",\"catalog_name\":\"main\",\"schema_name\":\"s\","
	   "\"volume_type\":\"EXTERNAL\",\"storage_location\":\"" ABFSS
	   "/data/vol\"}");
	invalid(ws, "POST", UC "/volumes",
		"{\"name\":\"bad\",\"catalog_name\":\"main\",\"schema_name\":"
		"\"s\",\"volume_type\":\"EXTERNAL\",\"storage_location\":"
		"\"s3://bucket-one/vol\"}",
		"storage_location has invalid URI scheme s3. Valid URI "
		"schemes include abfss, r2");
	r = call_ok(ws, "POST", UC "/volumes",
		    "{\"name\":\"m\",\"catalog_name\":\"main\",\"schema_name\":"
		    "\"s\",\"volume_type\":\"MANAGED\"}");
	assert_int_equal(strncmp(emu_test_str(r.json, "storage_location"),
				 "abfss://", 8),
			 0);
	emu_test_result_dispose(&r);
}

static void test_emu_cloud_modes__gcp_uc(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *sa;
	const char *email;

	r = call_ok(ws, "GET", UC "/metastore_summary", NULL);
	assert_string_equal(emu_test_str(r.json, "cloud"), "gcp");
	assert_int_equal(
		strncmp(emu_test_str(r.json, "storage_root"), "gs://", 5), 0);
	emu_test_result_dispose(&r);

	r = call_ok(ws, "POST", UC "/storage-credentials",
		    "{\"name\":\"gsa\",\"databricks_gcp_service_account\":{}}");
	sa = cJSON_GetObjectItem(r.json, "databricks_gcp_service_account");
	email = emu_test_str(sa, "email");
	assert_non_null(email);
	assert_non_null(strstr(email, ".iam.gserviceaccount.com"));
	assert_non_null(emu_test_str(sa, "credential_id"));
	emu_test_result_dispose(&r);
	invalid(ws, "POST", UC "/storage-credentials",
		"{\"name\":\"mi\",\"azure_managed_identity\":{"
		"\"access_connector_id\":\"" MI_ID "\"}}",
		"azure_managed_identity can only be specified for storage "
		"credentials in GCP workspaces");
	create_location(ws, "gcs", "gs://gcs_lake/data", "gsa");
	invalid(ws, "POST", UC "/external-locations",
		"{\"name\":\"a\",\"url\":\"" ABFSS "/x\","
		"\"credential_name\":\"gsa\"}",
		"url has invalid URI scheme abfss. Valid URI schemes include "
		"gs, r2");
}

/* --- secrets -----------------------------------------------------------------
 */

static void test_emu_cloud_modes__azure_keyvault(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *sc, *md;

	ok(ws, "POST", SECRETS "scopes/create",
	   "{\"scope\":\"kv\",\"scope_backend_type\":\"AZURE_KEYVAULT\","
	   "\"backend_azure_keyvault\":{\"resource_id\":\"" KV_ID "\","
	   "\"dns_name\":\"https://kv1.vault.azure.net/\"}}");
	ok(ws, "POST", SECRETS "scopes/create", "{\"scope\":\"db\"}");
	r = call_ok(ws, "GET", SECRETS "scopes/list", NULL);
	sc = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "scopes"), 0);
	assert_string_equal(emu_test_str(sc, "backend_type"), "AZURE_KEYVAULT");
	md = cJSON_GetObjectItem(sc, "keyvault_metadata");
	assert_string_equal(emu_test_str(md, "resource_id"), KV_ID);
	assert_string_equal(emu_test_str(md, "dns_name"),
			    "https://kv1.vault.azure.net/");
	sc = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "scopes"), 1);
	assert_string_equal(emu_test_str(sc, "backend_type"), "DATABRICKS");
	assert_null(cJSON_GetObjectItem(sc, "keyvault_metadata"));
	emu_test_result_dispose(&r);

	fails(ws, "POST", SECRETS "put",
	      "{\"scope\":\"kv\",\"key\":\"k\",\"string_value\":\"v\"}", 400,
	      "BAD_REQUEST",
	      "Cannot write secrets to Azure KeyVault-backed scope");
	fails(ws, "POST", SECRETS "delete", "{\"scope\":\"kv\",\"key\":\"k\"}",
	      400, "BAD_REQUEST",
	      "Cannot write secrets to Azure KeyVault-backed scope");
	ok(ws, "POST", SECRETS "put",
	   "{\"scope\":\"db\",\"key\":\"k\",\"string_value\":\"v\"}");
	ok(ws, "POST", SECRETS "acls/put",
	   "{\"scope\":\"kv\",\"principal\":\"users\",\"permission\":"
	   "\"READ\"}");
	invalid(ws, "POST", SECRETS "scopes/create",
		"{\"scope\":\"kv2\",\"scope_backend_type\":\"AZURE_KEYVAULT\","
		"\"backend_azure_keyvault\":{\"resource_id\":\"" KV_ID "\"}}",
		NULL);
	ok(ws, "POST", SECRETS "scopes/delete", "{\"scope\":\"kv\"}");
}

static void test_emu_cloud_modes__keyvault_elsewhere(void **state)
{
	struct emu_workspace *aws = *state, *gcp = cloud_ws(EMU_CLOUD_GCP, 1);
	static const char body[] =
		"{\"scope\":\"kv\",\"scope_backend_type\":\"AZURE_KEYVAULT\","
		"\"backend_azure_keyvault\":{\"resource_id\":\"" KV_ID "\","
		"\"dns_name\":\"https://kv1.vault.azure.net/\"}}";

	invalid(aws, "POST", SECRETS "scopes/create", body,
		"Azure Key Vault-backed secret scopes are only supported on "
		"Azure Databricks; this workspace is on AWS. Use "
		"scope_backend_type DATABRICKS.");
	invalid(gcp, "POST", SECRETS "scopes/create", body,
		"Azure Key Vault-backed secret scopes are only supported on "
		"Azure Databricks; this workspace is on GCP. Use "
		"scope_backend_type DATABRICKS.");
	emu_workspace_free(gcp);
}

/* A Key Vault scope and an Azure cluster survive --state. */
static void test_emu_cloud_modes__state_round_trip(void **state)
{
	struct emu_workspace *ws = *state, *fresh;
	char path[] = "/tmp/emu-cloud-modes-XXXXXX";
	char err[256];
	struct emu_test_result r;
	char *id;

	ok(ws, "POST", SECRETS "scopes/create",
	   "{\"scope\":\"kv\",\"scope_backend_type\":\"AZURE_KEYVAULT\","
	   "\"backend_azure_keyvault\":{\"resource_id\":\"" KV_ID "\","
	   "\"dns_name\":\"https://kv1.vault.azure.net/\"}}");
	id = create_cluster(ws, "\"node_type_id\":\"Standard_E8s_v3\"");
	emu_test_temp_file(path);
	assert_int_equal(emu_workspace_save_file(ws, path, err, sizeof(err)),
			 0);
	fresh = cloud_ws(EMU_CLOUD_AZURE, true);
	assert_int_equal(emu_workspace_load_file(fresh, path, err, sizeof(err)),
			 0);
	unlink(path);
	r = call_ok(fresh, "GET", SECRETS "scopes/list", NULL);
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(
				     cJSON_GetObjectItem(r.json, "scopes"), 0),
			     "backend_type"),
		"AZURE_KEYVAULT");
	emu_test_result_dispose(&r);
	r = get_cluster(fresh, id);
	assert_non_null(cJSON_GetObjectItem(r.json, "azure_attributes"));
	emu_test_result_dispose(&r);
	emu_workspace_free(fresh);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name, setup)                                                         \
	cmocka_unit_test_setup_teardown(name, setup, emu_test_teardown)
		T(test_emu_cloud_modes__names, emu_test_setup),
		T(test_emu_cloud_modes__azure_identity, setup_azure),
		T(test_emu_cloud_modes__hosted_inherit, setup_gcp),
		T(test_emu_cloud_modes__azure_node_types, setup_azure),
		T(test_emu_cloud_modes__gcp_node_types, setup_gcp),
		T(test_emu_cloud_modes__azure_clusters, setup_azure),
		T(test_emu_cloud_modes__azure_jobs, setup_azure),
		T(test_emu_cloud_modes__gcp_clusters_and_pools, setup_gcp),
		T(test_emu_cloud_modes__azure_pools, setup_azure),
		T(test_emu_cloud_modes__default_is_loose, emu_test_setup),
		T(test_emu_cloud_modes__aws_strict, setup_aws_strict),
		T(test_emu_cloud_modes__azure_uc, setup_azure),
		T(test_emu_cloud_modes__gcp_uc, setup_gcp),
		T(test_emu_cloud_modes__azure_keyvault, setup_azure),
		T(test_emu_cloud_modes__keyvault_elsewhere, emu_test_setup),
		T(test_emu_cloud_modes__state_round_trip, setup_azure),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
