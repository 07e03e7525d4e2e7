/*
 * The catalogues of the emulated workspace, one per --cloud, and the
 * checks of a cluster spec against them (databricks-rest-api.md §4.2):
 *
 *   GET /api/{2.0,2.1}/clusters/spark-versions   -> {versions: [{key, name}]}
 *   GET /api/{2.0,2.1}/clusters/list-node-types  -> {node_types: [...]}
 *   GET /api/{2.0,2.1}/clusters/list-zones       -> {zones, default_zone}
 *
 * The tables look like a real us-west-2 workspace in 2026: Databricks
 * Runtime 13.3 LTS to 17.2 Beta in their plain, ML (CPU and GPU), Photon
 * and aarch64 variants, and about twenty AWS instance types with their real
 * core counts, memory and instance-store disks. Clients select from them
 * by pattern (the SDK's spark-version selector matches "-scala2.1",
 * "-ml-", "-gpu-", "-photon-", "-aarch64-", "LTS" and "Beta"; the
 * node-type selector picks the smallest non-hidden type), so the keys and
 * names follow the real spelling exactly.
 *
 * Per cloud (--cloud): Databricks Runtime is the same everywhere; the node
 * types are the cloud's own (Azure VM sizes such as Standard_DS3_v2, GCP
 * machine types such as n1-standard-4, with their published vCPUs and
 * memory; Azure local disks are the VM's temporary SSD, NVMe only on the
 * Lsv3 sizes), and list-zones answers the zones of the region the
 * emulator plays: us-west-2 (AWS), westus2 (Azure, whose availability
 * zones are numbered "1" to "3") and us-west1 (GCP). A node type of
 * another cloud is refused as any unknown one. A cloud's *_attributes
 * block on another cloud's workspace is 400 INVALID_PARAMETER_VALUE
 * "<block> can only be specified for clusters running in <Cloud>": the
 * AWS wording is quoted from a real response
 * (terraform-provider-databricks#3394); the Azure and GCP ones follow it.
 *
 * clusters_check_spec() validates create/edit/update bodies: JSON types of
 * the known fields, then the rules the real service enforces, each with a
 * 400 INVALID_PARAMETER_VALUE. clusters_spec_from() makes the stored spec
 * of such a body, with exact integers, and checks it.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "clusters.h"
#include "clusters_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "util.h"
#include "workspace.h"

/* --- spark versions ------------------------------------------------------- */

struct spark_version {
	const char *key;
	const char *name;
};

/* clang-format off */
static const struct spark_version spark_versions[] = {
	{"17.2.x-scala2.13", "17.2 Beta (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"17.2.x-cpu-ml-scala2.13", "17.2 Beta ML (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"17.1.x-scala2.13", "17.1 (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"17.1.x-cpu-ml-scala2.13", "17.1 ML (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"17.1.x-gpu-ml-scala2.13", "17.1 ML (includes Apache Spark 4.0.0, GPU, Scala 2.13)"},
	{"17.0.x-scala2.13", "17.0 (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"17.0.x-cpu-ml-scala2.13", "17.0 ML (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"17.0.x-gpu-ml-scala2.13", "17.0 ML (includes Apache Spark 4.0.0, GPU, Scala 2.13)"},
	{"16.4.x-scala2.12", "16.4 LTS (includes Apache Spark 3.5.2, Scala 2.12)"},
	{"16.4.x-scala2.13", "16.4 LTS (includes Apache Spark 3.5.2, Scala 2.13)"},
	{"16.4.x-cpu-ml-scala2.12", "16.4 LTS ML (includes Apache Spark 3.5.2, Scala 2.12)"},
	{"16.4.x-gpu-ml-scala2.12", "16.4 LTS ML (includes Apache Spark 3.5.2, GPU, Scala 2.12)"},
	{"16.4.x-photon-scala2.12", "16.4 LTS Photon (includes Apache Spark 3.5.2, Scala 2.12)"},
	{"16.4.x-aarch64-scala2.12", "16.4 LTS aarch64 (includes Apache Spark 3.5.2, Scala 2.12)"},
	{"15.4.x-scala2.12", "15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"15.4.x-cpu-ml-scala2.12", "15.4 LTS ML (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"15.4.x-gpu-ml-scala2.12", "15.4 LTS ML (includes Apache Spark 3.5.0, GPU, Scala 2.12)"},
	{"15.4.x-photon-scala2.12", "15.4 LTS Photon (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"15.4.x-aarch64-scala2.12", "15.4 LTS aarch64 (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"14.3.x-scala2.12", "14.3 LTS (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"14.3.x-cpu-ml-scala2.12", "14.3 LTS ML (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"14.3.x-gpu-ml-scala2.12", "14.3 LTS ML (includes Apache Spark 3.5.0, GPU, Scala 2.12)"},
	{"14.3.x-photon-scala2.12", "14.3 LTS Photon (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"14.3.x-aarch64-scala2.12", "14.3 LTS aarch64 (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"13.3.x-scala2.12", "13.3 LTS (includes Apache Spark 3.4.1, Scala 2.12)"},
	{"13.3.x-cpu-ml-scala2.12", "13.3 LTS ML (includes Apache Spark 3.4.1, Scala 2.12)"},
	{"13.3.x-gpu-ml-scala2.12", "13.3 LTS ML (includes Apache Spark 3.4.1, GPU, Scala 2.12)"},
	{"13.3.x-photon-scala2.12", "13.3 LTS Photon (includes Apache Spark 3.4.1, Scala 2.12)"},
	{"13.3.x-aarch64-scala2.12", "13.3 LTS aarch64 (includes Apache Spark 3.4.1, Scala 2.12)"},
};
/* clang-format on */

static bool spark_version_known(const char *key)
{
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(spark_versions); i++)
		if (strcmp(spark_versions[i].key, key) == 0)
			return true;
	return false;
}

void clusters_spark_versions(struct emu_request *req, struct emu_response *resp)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *versions = cJSON_AddArrayToObject(body, "versions");
	size_t i;

	(void)req;
	for (i = 0; i < EMU_ARRAY_SIZE(spark_versions); i++) {
		cJSON *v = cJSON_CreateObject();

		cJSON_AddStringToObject(v, "key", spark_versions[i].key);
		cJSON_AddStringToObject(v, "name", spark_versions[i].name);
		cJSON_AddItemToArray(versions, v);
	}
	emu_response_json(resp, 200, body);
}

/* --- node types ----------------------------------------------------------- */

#define GP  "General Purpose"
#define MO  "Memory Optimized"
#define CO  "Compute Optimized"
#define SO  "Storage Optimized"
#define GPU "GPU Accelerated"

/*
 * Real EC2 sizes: memory in MiB as Databricks reports it (an i3.xlarge's
 * 30.5 GiB is 31232), instance-store disks as count x GB. p3.2xlarge and
 * the m4/c4 types have EBS only; r3 has SATA SSDs, not NVMe.
 */
/* clang-format off */
static const struct cl_node_type aws_node_types[] = {
	{.id = "m5d.large", .memory_mb = 8192, .num_cores = 2, .category = GP, .local_disks = 1, .local_disk_gb = 75},
	{.id = "m5d.xlarge", .memory_mb = 16384, .num_cores = 4, .category = GP, .local_disks = 1, .local_disk_gb = 150, .photon = true},
	{.id = "m5d.2xlarge", .memory_mb = 32768, .num_cores = 8, .category = GP, .local_disks = 1, .local_disk_gb = 300, .photon = true},
	{.id = "m5d.4xlarge", .memory_mb = 65536, .num_cores = 16, .category = GP, .local_disks = 2, .local_disk_gb = 300, .photon = true},
	{.id = "m6gd.xlarge", .memory_mb = 16384, .num_cores = 4, .category = GP, .local_disks = 1, .local_disk_gb = 237, .graviton = true, .photon = true},
	{.id = "md-fleet.xlarge", .memory_mb = 16384, .num_cores = 4, .category = GP, .local_disks = 1, .local_disk_gb = 150, .photon = true},
	{.id = "md-fleet.2xlarge", .memory_mb = 32768, .num_cores = 8, .category = GP, .local_disks = 1, .local_disk_gb = 300, .photon = true},
	{.id = "r5d.xlarge", .memory_mb = 32768, .num_cores = 4, .category = MO, .local_disks = 1, .local_disk_gb = 150, .photon = true},
	{.id = "r5d.2xlarge", .memory_mb = 65536, .num_cores = 8, .category = MO, .local_disks = 1, .local_disk_gb = 300, .photon = true},
	{.id = "r6gd.xlarge", .memory_mb = 32768, .num_cores = 4, .category = MO, .local_disks = 1, .local_disk_gb = 237, .graviton = true, .photon = true},
	{.id = "rd-fleet.xlarge", .memory_mb = 32768, .num_cores = 4, .category = MO, .local_disks = 1, .local_disk_gb = 150, .photon = true},
	{.id = "c5d.xlarge", .memory_mb = 8192, .num_cores = 4, .category = CO, .local_disks = 1, .local_disk_gb = 100, .photon = true},
	{.id = "c5d.2xlarge", .memory_mb = 16384, .num_cores = 8, .category = CO, .local_disks = 1, .local_disk_gb = 200, .photon = true},
	{.id = "i3.xlarge", .memory_mb = 31232, .num_cores = 4, .category = SO, .local_disks = 1, .local_disk_gb = 950, .photon = true},
	{.id = "i3.2xlarge", .memory_mb = 62464, .num_cores = 8, .category = SO, .local_disks = 1, .local_disk_gb = 1900, .photon = true},
	{.id = "i3.4xlarge", .memory_mb = 124928, .num_cores = 16, .category = SO, .local_disks = 2, .local_disk_gb = 1900, .photon = true},
	{.id = "g4dn.xlarge", .memory_mb = 16384, .num_cores = 4, .num_gpus = 1, .category = GPU, .local_disks = 1, .local_disk_gb = 125},
	{.id = "p3.2xlarge", .memory_mb = 62464, .num_cores = 8, .num_gpus = 1, .category = GPU},
	{.id = "m4.large", .memory_mb = 8192, .num_cores = 2, .category = GP, .deprecated = true},
	{.id = "r3.xlarge", .memory_mb = 31232, .num_cores = 4, .category = MO, .local_disks = 1, .local_disk_gb = 80, .deprecated = true},
	{.id = "c4.2xlarge", .memory_mb = 15360, .num_cores = 8, .category = CO, .deprecated = true, .hidden = true},
};

/*
 * Azure VM sizes as Microsoft publishes them: vCPUs, memory (GiB x 1024)
 * and the temporary SSD (GiB). Lsv3 adds one 1.92 TB NVMe disk, on which
 * the disk cache is on by default, as on the other storage-optimised
 * sizes; NC6s_v3 has one V100. Standard_D3_v2 is an older size kept
 * listed but deprecated.
 */
static const struct cl_node_type azure_node_types[] = {
	{.id = "Standard_DS3_v2", .memory_mb = 14336, .num_cores = 4, .category = GP, .local_disks = 1, .local_disk_gb = 28, .photon = true},
	{.id = "Standard_DS4_v2", .memory_mb = 28672, .num_cores = 8, .category = GP, .local_disks = 1, .local_disk_gb = 56, .photon = true},
	{.id = "Standard_DS5_v2", .memory_mb = 57344, .num_cores = 16, .category = GP, .local_disks = 1, .local_disk_gb = 112, .photon = true},
	{.id = "Standard_D4ds_v5", .memory_mb = 16384, .num_cores = 4, .category = GP, .local_disks = 1, .local_disk_gb = 150, .photon = true},
	{.id = "Standard_D8ds_v5", .memory_mb = 32768, .num_cores = 8, .category = GP, .local_disks = 1, .local_disk_gb = 300, .photon = true},
	{.id = "Standard_DS12_v2", .memory_mb = 28672, .num_cores = 4, .category = MO, .local_disks = 1, .local_disk_gb = 56, .photon = true},
	{.id = "Standard_E8s_v3", .memory_mb = 65536, .num_cores = 8, .category = MO, .local_disks = 1, .local_disk_gb = 128, .photon = true},
	{.id = "Standard_E4ds_v4", .memory_mb = 32768, .num_cores = 4, .category = MO, .local_disks = 1, .local_disk_gb = 150, .photon = true},
	{.id = "Standard_F4s", .memory_mb = 8192, .num_cores = 4, .category = CO, .local_disks = 1, .local_disk_gb = 16},
	{.id = "Standard_F8s_v2", .memory_mb = 16384, .num_cores = 8, .category = CO, .local_disks = 1, .local_disk_gb = 64, .photon = true},
	{.id = "Standard_L8s_v3", .memory_mb = 65536, .num_cores = 8, .category = SO, .local_disks = 1, .local_disk_gb = 1788, .nvme = true, .io_cache = true, .photon = true},
	{.id = "Standard_L16s_v3", .memory_mb = 131072, .num_cores = 16, .category = SO, .local_disks = 2, .local_disk_gb = 1788, .nvme = true, .io_cache = true, .photon = true},
	{.id = "Standard_NC6s_v3", .memory_mb = 114688, .num_cores = 6, .num_gpus = 1, .category = GPU, .local_disks = 1, .local_disk_gb = 736},
	{.id = "Standard_D3_v2", .memory_mb = 14336, .num_cores = 4, .category = GP, .local_disks = 1, .local_disk_gb = 200, .deprecated = true},
};

/*
 * GCP machine types as Google publishes them (memory in GB x 1024: an
 * n1-standard-4 has 15 GB). Databricks on GCP attaches local SSDs
 * through gcp_attributes.local_ssd_count rather than by machine type, so
 * none is listed here; a2-highgpu-1g has one A100.
 */
static const struct cl_node_type gcp_node_types[] = {
	{.id = "n1-standard-4", .memory_mb = 15360, .num_cores = 4, .category = GP, .photon = true},
	{.id = "n1-standard-8", .memory_mb = 30720, .num_cores = 8, .category = GP, .photon = true},
	{.id = "n1-standard-16", .memory_mb = 61440, .num_cores = 16, .category = GP, .photon = true},
	{.id = "n2-standard-4", .memory_mb = 16384, .num_cores = 4, .category = GP, .photon = true},
	{.id = "n2-standard-8", .memory_mb = 32768, .num_cores = 8, .category = GP, .photon = true},
	{.id = "e2-standard-4", .memory_mb = 16384, .num_cores = 4, .category = GP},
	{.id = "n2-highmem-4", .memory_mb = 32768, .num_cores = 4, .category = MO, .photon = true},
	{.id = "n1-highmem-8", .memory_mb = 53248, .num_cores = 8, .category = MO, .photon = true},
	{.id = "n2-highcpu-8", .memory_mb = 8192, .num_cores = 8, .category = CO, .photon = true},
	{.id = "c2-standard-8", .memory_mb = 32768, .num_cores = 8, .category = CO, .photon = true},
	{.id = "a2-highgpu-1g", .memory_mb = 87040, .num_cores = 12, .num_gpus = 1, .category = GPU},
};
/* clang-format on */

struct catalogue {
	const struct cl_node_type *types;
	size_t ntypes;
	const char *const *zones; /* the first is the default */
	size_t nzones;
};

static const char *const aws_zones[] = {"us-west-2a", "us-west-2b",
					"us-west-2c", "us-west-2d"};
static const char *const azure_zones[] = {"1", "2", "3"};
static const char *const gcp_zones[] = {"us-west1-a", "us-west1-b",
					"us-west1-c"};

static const struct catalogue catalogues[] = {
	[EMU_CLOUD_AWS] = {aws_node_types, EMU_ARRAY_SIZE(aws_node_types),
			   aws_zones, EMU_ARRAY_SIZE(aws_zones)},
	[EMU_CLOUD_AZURE] = {azure_node_types, EMU_ARRAY_SIZE(azure_node_types),
			     azure_zones, EMU_ARRAY_SIZE(azure_zones)},
	[EMU_CLOUD_GCP] = {gcp_node_types, EMU_ARRAY_SIZE(gcp_node_types),
			   gcp_zones, EMU_ARRAY_SIZE(gcp_zones)},
};

static const struct catalogue *catalogue(enum emu_cloud cloud)
{
	if ((size_t)cloud >= EMU_ARRAY_SIZE(catalogues))
		cloud = EMU_CLOUD_AWS;
	return &catalogues[cloud];
}

const struct cl_node_type *clusters_node_type(enum emu_cloud cloud,
					      const char *id)
{
	const struct catalogue *cat = catalogue(cloud);
	size_t i;

	for (i = 0; i < cat->ntypes; i++)
		if (strcmp(cat->types[i].id, id) == 0)
			return &cat->types[i];
	return NULL;
}

const char *clusters_default_zone(enum emu_cloud cloud)
{
	return catalogue(cloud)->zones[0];
}

static bool is_nvme(const struct cl_node_type *t, enum emu_cloud cloud)
{
	/* Every instance-store disk in the AWS table is NVMe except r3's;
	 * elsewhere the table says. */
	if (cloud != EMU_CLOUD_AWS)
		return t->nvme;
	return t->local_disks > 0 && strncmp(t->id, "r3.", 3) != 0;
}

static cJSON *node_type_json(const struct cl_node_type *t, enum emu_cloud cloud)
{
	cJSON *o = cJSON_CreateObject(), *inst;
	int nvme = is_nvme(t, cloud) ? t->local_disks : 0;

	cJSON_AddStringToObject(o, "node_type_id", t->id);
	cJSON_AddStringToObject(o, "instance_type_id", t->id);
	emu_json_add_int64(o, "memory_mb", t->memory_mb);
	emu_json_add_int64(o, "num_cores", t->num_cores);
	emu_json_add_int64(o, "num_gpus", t->num_gpus);
	cJSON_AddStringToObject(o, "description", t->id);
	cJSON_AddStringToObject(o, "category", t->category);
	inst = cJSON_AddObjectToObject(o, "node_instance_type");
	cJSON_AddStringToObject(inst, "instance_type_id", t->id);
	emu_json_add_int64(inst, "local_disks", t->local_disks);
	emu_json_add_int64(inst, "local_disk_size_gb", t->local_disk_gb);
	emu_json_add_int64(inst, "local_nvme_disks", nvme);
	emu_json_add_int64(inst, "local_nvme_disk_size_gb",
			   nvme ? t->local_disk_gb : 0);
	cJSON_AddBoolToObject(o, "is_deprecated", t->deprecated);
	cJSON_AddBoolToObject(o, "is_hidden", t->hidden);
	cJSON_AddBoolToObject(o, "is_graviton", t->graviton);
	/* The disk cache is on by default only on the i3 family (AWS) and
	 * the types the table marks. */
	cJSON_AddBoolToObject(o, "is_io_cache_enabled",
			      t->io_cache || (cloud == EMU_CLOUD_AWS &&
					      strncmp(t->id, "i3.", 3) == 0));
	cJSON_AddBoolToObject(o, "photon_driver_capable", t->photon);
	cJSON_AddBoolToObject(o, "photon_worker_capable", t->photon);
	cJSON_AddBoolToObject(o, "support_port_forwarding", true);
	cJSON_AddBoolToObject(o, "support_ebs_volumes", true);
	cJSON_AddBoolToObject(o, "support_cluster_tags", true);
	cJSON_AddObjectToObject(o, "node_info");
	return o;
}

void clusters_list_node_types(struct emu_request *req,
			      struct emu_response *resp)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "node_types");
	enum emu_cloud cloud = emu_workspace_cloud(req->ws);
	const struct catalogue *cat = catalogue(cloud);
	size_t i;

	for (i = 0; i < cat->ntypes; i++)
		cJSON_AddItemToArray(list,
				     node_type_json(&cat->types[i], cloud));
	emu_response_json(resp, 200, body);
}

void clusters_list_zones(struct emu_request *req, struct emu_response *resp)
{
	const struct catalogue *cat = catalogue(emu_workspace_cloud(req->ws));
	cJSON *body = cJSON_CreateObject();

	cJSON_AddItemToObject(
		body, "zones",
		cJSON_CreateStringArray(cat->zones, (int)cat->nzones));
	cJSON_AddStringToObject(body, "default_zone", cat->zones[0]);
	emu_response_json(resp, 200, body);
}

/* --- spec checks ---------------------------------------------------------- */

/* The CreateCluster fields whose type is checked; others are echoed. */
static const struct emu_json_field spec_fields[] = {
	{"cluster_name", EMU_JSON_STRING},
	{"spark_version", EMU_JSON_STRING},
	{"node_type_id", EMU_JSON_STRING},
	{"driver_node_type_id", EMU_JSON_STRING},
	{"instance_pool_id", EMU_JSON_STRING},
	{"driver_instance_pool_id", EMU_JSON_STRING},
	{"policy_id", EMU_JSON_STRING},
	{"data_security_mode", EMU_JSON_STRING},
	{"single_user_name", EMU_JSON_STRING},
	{"runtime_engine", EMU_JSON_STRING},
	{"kind", EMU_JSON_STRING},
	{"idempotency_token", EMU_JSON_STRING},
	{"num_workers", EMU_JSON_INT},
	{"autotermination_minutes", EMU_JSON_INT},
	{"enable_elastic_disk", EMU_JSON_BOOL},
	{"enable_local_disk_encryption", EMU_JSON_BOOL},
	{"apply_policy_default_values", EMU_JSON_BOOL},
	{"is_single_node", EMU_JSON_BOOL},
	{"use_ml_runtime", EMU_JSON_BOOL},
	{"autoscale", EMU_JSON_OBJECT},
	{"spark_conf", EMU_JSON_OBJECT},
	{"spark_env_vars", EMU_JSON_OBJECT},
	{"custom_tags", EMU_JSON_OBJECT},
	{"aws_attributes", EMU_JSON_OBJECT},
	{"azure_attributes", EMU_JSON_OBJECT},
	{"gcp_attributes", EMU_JSON_OBJECT},
	{"cluster_log_conf", EMU_JSON_OBJECT},
	{"docker_image", EMU_JSON_OBJECT},
	{"workload_type", EMU_JSON_OBJECT},
	{"disk_spec", EMU_JSON_OBJECT},
	{"ssh_public_keys", EMU_JSON_ARRAY},
	{"init_scripts", EMU_JSON_ARRAY},
};

static const struct emu_json_field aws_fields[] = {
	{"zone_id", EMU_JSON_STRING},
	{"availability", EMU_JSON_STRING},
	{"first_on_demand", EMU_JSON_INT},
	{"spot_bid_price_percent", EMU_JSON_INT},
	{"instance_profile_arn", EMU_JSON_STRING},
	{"ebs_volume_type", EMU_JSON_STRING},
	{"ebs_volume_count", EMU_JSON_INT},
	{"ebs_volume_size", EMU_JSON_INT},
	{"ebs_volume_iops", EMU_JSON_INT},
	{"ebs_volume_throughput", EMU_JSON_INT},
};

/* The members of a map field (spark_conf, custom_tags...) must be strings. */
static int check_string_map(const cJSON *spec, const char *name,
			    struct emu_response *resp)
{
	const cJSON *map = cJSON_GetObjectItemCaseSensitive(spec, name);
	const cJSON *item;

	cJSON_ArrayForEach(item, (cJSON_IsObject(map) ? map : NULL))
	{
		if (!cJSON_IsString(item))
			return emu_error_invalid(
				resp,
				"Invalid value for field '%s.%s': expected a "
				"string, got %s.",
				name, item->string, emu_json_type_name(item));
	}
	return 0;
}

static bool one_of(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static int check_size(const cJSON *spec, struct emu_response *resp)
{
	const cJSON *autoscale =
		cJSON_GetObjectItemCaseSensitive(spec, "autoscale");
	int64_t workers = 0, min = 0, max = 0;
	bool has_workers =
		emu_json_member_int(&workers, spec, "num_workers") == 0;

	if (has_workers && (workers < 0 || workers > CLUSTERS_MAX_NUM_WORKERS))
		return emu_error_invalid(resp,
					 "Invalid num_workers %" PRId64
					 ": it must be between 0 and %d.",
					 workers, CLUSTERS_MAX_NUM_WORKERS);
	if (!cJSON_IsObject(autoscale))
		return 0;
	/* Clients that always send num_workers send 0 with autoscale. */
	if (has_workers && workers != 0)
		return emu_error_invalid(resp, "Only one of num_workers or "
					       "autoscale can be specified.");
	if (emu_json_check_fields(autoscale,
				  (const struct emu_json_field[]){
					  {"min_workers", EMU_JSON_INT},
					  {"max_workers", EMU_JSON_INT}},
				  2, "autoscale", resp) < 0)
		return -1;
	if (emu_json_member_int(&max, autoscale, "max_workers") < 0)
		return emu_error_missing_field(resp, "autoscale.max_workers");
	emu_json_member_int(&min, autoscale, "min_workers");
	if (min < 0 || max < 1 || max > CLUSTERS_MAX_NUM_WORKERS)
		return emu_error_invalid(
			resp,
			"Invalid autoscale range [%" PRId64 ", %" PRId64
			"]: min_workers must be at least 0 and max_workers "
			"between 1 and %d.",
			min, max, CLUSTERS_MAX_NUM_WORKERS);
	if (max < min)
		return emu_error_invalid(resp,
					 "Autoscale max_workers (%" PRId64
					 ") must be greater than or equal to "
					 "min_workers (%" PRId64 ").",
					 max, min);
	return 0;
}

static int check_node_types(const cJSON *spec, enum emu_cloud cloud,
			    struct emu_response *resp)
{
	const char *node = emu_json_str(spec, "node_type_id");
	const char *driver = emu_json_str(spec, "driver_node_type_id");
	bool pool = emu_json_str(spec, "instance_pool_id") != NULL;
	bool driver_pool =
		pool || emu_json_str(spec, "driver_instance_pool_id");

	if (!pool && !node && !emu_json_str(spec, "policy_id"))
		return emu_error_missing_field(resp, "node_type_id");
	if (!pool && node && !clusters_node_type(cloud, node))
		return emu_error_invalid(resp,
					 "Node type %s is not supported. Call "
					 "clusters/list-node-types for the "
					 "node types of this workspace.",
					 node);
	if (!driver_pool && driver && !clusters_node_type(cloud, driver))
		return emu_error_invalid(resp,
					 "Driver node type %s is not "
					 "supported. Call "
					 "clusters/list-node-types for the "
					 "node types of this workspace.",
					 driver);
	return 0;
}

/* Each cloud's attributes block, the cloud as the service names it, and
 * the availability values it takes. */
static const struct {
	const char *block, *cloud_words;
	const char *const avail[3];
	const char *avail_words;
} cloud_blocks[] = {
	[EMU_CLOUD_AWS] = {"aws_attributes",
			   "AWS",
			   {"SPOT", "ON_DEMAND", "SPOT_WITH_FALLBACK"},
			   "SPOT, ON_DEMAND or SPOT_WITH_FALLBACK"},
	[EMU_CLOUD_AZURE] = {"azure_attributes",
			     "Azure",
			     {"SPOT_AZURE", "ON_DEMAND_AZURE",
			      "SPOT_WITH_FALLBACK_AZURE"},
			     "SPOT_AZURE, ON_DEMAND_AZURE or "
			     "SPOT_WITH_FALLBACK_AZURE"},
	[EMU_CLOUD_GCP] = {"gcp_attributes",
			   "GCP",
			   {"PREEMPTIBLE_GCP", "ON_DEMAND_GCP",
			    "PREEMPTIBLE_WITH_FALLBACK_GCP"},
			   "PREEMPTIBLE_GCP, ON_DEMAND_GCP or "
			   "PREEMPTIBLE_WITH_FALLBACK_GCP"},
};

/*
 * On a strict workspace (--cloud given) another cloud's attributes block
 * is refused, and the workspace's own block must name one of its
 * availability values. Without --cloud, the AWS workspace stores the
 * other blocks as given (the file comment).
 */
static int check_cloud_blocks(const cJSON *spec, enum emu_cloud cloud,
			      bool strict, struct emu_response *resp)
{
	const cJSON *own;
	const char *s;
	size_t i;

	if (!strict)
		return 0;
	for (i = 0; i < EMU_ARRAY_SIZE(cloud_blocks); i++) {
		if (i == (size_t)cloud || !cJSON_GetObjectItemCaseSensitive(
						  spec, cloud_blocks[i].block))
			continue;
		return emu_error_invalid(resp,
					 "%s can only be specified for "
					 "clusters running in %s",
					 cloud_blocks[i].block,
					 cloud_blocks[i].cloud_words);
	}
	if (cloud == EMU_CLOUD_AWS)
		return 0; /* check_enums has always checked it */
	own = cJSON_GetObjectItemCaseSensitive(spec, cloud_blocks[cloud].block);
	if (own && !cJSON_IsObject(own))
		return emu_error_field_type(resp, cloud_blocks[cloud].block,
					    "an object",
					    emu_json_type_name(own));
	s = emu_json_str(own, "availability");
	if (s && !one_of(s, cloud_blocks[cloud].avail, 3))
		return emu_error_invalid(resp,
					 "Invalid %s.availability '%s': "
					 "expected %s.",
					 cloud_blocks[cloud].block, s,
					 cloud_blocks[cloud].avail_words);
	return 0;
}

static int check_enums(const cJSON *spec, struct emu_response *resp)
{
	static const char *const engines[] = {"STANDARD", "PHOTON", "NULL"};
	static const char *const modes[] = {
		"NONE",
		"SINGLE_USER",
		"USER_ISOLATION",
		"LEGACY_TABLE_ACL",
		"LEGACY_PASSTHROUGH",
		"LEGACY_SINGLE_USER",
		"LEGACY_SINGLE_USER_STANDARD",
		"DATA_SECURITY_MODE_STANDARD",
		"DATA_SECURITY_MODE_DEDICATED",
		"DATA_SECURITY_MODE_AUTO",
	};
	static const char *const avail[] = {"SPOT", "ON_DEMAND",
					    "SPOT_WITH_FALLBACK"};
	const cJSON *aws =
		cJSON_GetObjectItemCaseSensitive(spec, "aws_attributes");
	const char *s;

	s = emu_json_str(spec, "runtime_engine");
	if (s && !one_of(s, engines, EMU_ARRAY_SIZE(engines)))
		return emu_error_invalid(resp,
					 "Invalid runtime_engine '%s': "
					 "expected STANDARD or PHOTON.",
					 s);
	s = emu_json_str(spec, "data_security_mode");
	if (s && !one_of(s, modes, EMU_ARRAY_SIZE(modes)))
		return emu_error_invalid(resp,
					 "Invalid data_security_mode '%s'.", s);
	if (cJSON_IsObject(aws) &&
	    emu_json_check_fields(aws, aws_fields, EMU_ARRAY_SIZE(aws_fields),
				  "aws_attributes", resp) < 0)
		return -1;
	s = emu_json_str(aws, "availability");
	if (s && !one_of(s, avail, EMU_ARRAY_SIZE(avail)))
		return emu_error_invalid(resp,
					 "Invalid aws_attributes.availability "
					 "'%s': expected SPOT, ON_DEMAND or "
					 "SPOT_WITH_FALLBACK.",
					 s);
	return 0;
}

/* The list and map fields whose size is capped, and their words. */
static const struct {
	const char *name;
	int max;
	const char *words;
} counted[] = {
	{"custom_tags", CLUSTERS_MAX_CUSTOM_TAGS, "custom tags"},
	{"ssh_public_keys", CLUSTERS_MAX_SSH_KEYS, "SSH public keys"},
	{"init_scripts", CLUSTERS_MAX_INIT_SCRIPTS, "init scripts"},
};

int clusters_check_spec(const cJSON *spec, enum emu_cloud cloud, bool strict,
			struct emu_response *resp)
{
	const char *version, *name;
	int64_t minutes;
	size_t i;
	int n;

	if (emu_json_check_fields(spec, spec_fields,
				  EMU_ARRAY_SIZE(spec_fields), NULL, resp) < 0)
		return -1;
	version = emu_json_str(spec, "spark_version");
	if (!version)
		return emu_error_missing_field(resp, "spark_version");
	if (!spark_version_known(version))
		return emu_error_invalid(resp, "Invalid spark version %s.",
					 version);
	name = emu_json_str(spec, "cluster_name");
	if (name && strlen(name) > CLUSTERS_MAX_CLUSTER_NAME)
		return emu_error_invalid(resp,
					 "Cluster name must be at most %d "
					 "characters long.",
					 CLUSTERS_MAX_CLUSTER_NAME);
	if (check_size(spec, resp) < 0 ||
	    check_node_types(spec, cloud, resp) < 0 ||
	    check_enums(spec, resp) < 0 ||
	    check_cloud_blocks(spec, cloud, strict, resp) < 0)
		return -1;
	if (emu_json_member_int(&minutes, spec, "autotermination_minutes") ==
		    0 &&
	    minutes != 0 && (minutes < 10 || minutes > 10000))
		return emu_error_invalid(
			resp,
			"Invalid autotermination_minutes %" PRId64
			": it must be 0 (no automatic "
			"termination) or between 10 and "
			"10000.",
			minutes);
	for (i = 0; i < EMU_ARRAY_SIZE(counted); i++) {
		n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
			spec, counted[i].name));
		if (n > counted[i].max)
			return emu_error_invalid(
				resp,
				"A cluster can have at most %d %s; this one "
				"has %d.",
				counted[i].max, counted[i].words, n);
	}
	if (check_string_map(spec, "custom_tags", resp) < 0 ||
	    check_string_map(spec, "spark_conf", resp) < 0 ||
	    check_string_map(spec, "spark_env_vars", resp) < 0)
		return -1;
	return 0;
}

/* --- stored specs --------------------------------------------------------- */

/*
 * Turns every integral number under item into an exact raw node, so
 * integers come back digit for digit (json.h). Returns false when one has
 * a magnitude of 2^53 or more, or is infinite.
 */
static bool exactify(cJSON *item)
{
	cJSON *child;
	int64_t v;

	if (cJSON_IsNumber(item)) {
		double d = item->valuedouble;

		/* Range first: converting a double outside int64_t (1e19,
		 * or the infinity cJSON makes of 1e999) is undefined. */
		if (!isfinite(d))
			return false;
		if (floor(d) != d)
			return true; /* not integral: left as a double */
		if (emu_json_get_int64(&v, item) < 0)
			return false;
		item->type = cJSON_Raw;
		item->valuestring = emu_printf("%" PRId64, v);
		return true;
	}
	cJSON_ArrayForEach(child, item)
	{
		if (!exactify(child))
			return false;
	}
	return true;
}

/* Drops JSON null members: "null means not given" (docs/emulator.md). */
static void drop_nulls(cJSON *obj)
{
	cJSON *child = obj ? obj->child : NULL, *next;

	for (; child; child = next) {
		next = child->next;
		if (cJSON_IsNull(child))
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, child));
	}
}

/*
 * Makes a stored spec from a request object: a copy without cluster_id
 * and null members, integers exact, checked. Returns NULL after writing
 * the error.
 */
cJSON *clusters_spec_from(const cJSON *obj, enum emu_cloud cloud, bool strict,
			  struct emu_response *resp)
{
	cJSON *spec = cJSON_Duplicate(obj, 1);

	cJSON_DeleteItemFromObjectCaseSensitive(spec, "cluster_id");
	drop_nulls(spec);
	if (!exactify(spec)) {
		emu_error_invalid(resp, "Invalid value: integers must have a "
					"magnitude below 2^53.");
		goto fail;
	}
	if (clusters_check_spec(spec, cloud, strict, resp) < 0)
		goto fail;
	return spec;

fail:
	cJSON_Delete(spec);
	return NULL;
}

cJSON *clusters_spec_of(const struct emu_request *req, const cJSON *obj,
			struct emu_response *resp)
{
	return clusters_spec_from(obj, emu_workspace_cloud(req->ws),
				  emu_workspace_cloud_strict(req->ws), resp);
}

int emu_clusters_check_cloud(struct emu_workspace *ws, const cJSON *spec,
			     struct emu_response *resp)
{
	return check_cloud_blocks(spec, emu_workspace_cloud(ws),
				  emu_workspace_cloud_strict(ws), resp);
}
