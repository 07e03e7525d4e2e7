/*
 * Instance Pools API 2.0 (/api/2.0/instance-pools/...) and Instance
 * Profiles API 2.0 (/api/2.0/instance-profiles/...), declared on the
 * object store (core/store.h).
 *
 *   POST instance-pools/create {instance_pool_name, node_type_id,
 *        min_idle_instances, max_capacity,
 *        idle_instance_autotermination_minutes, custom_tags,
 *        enable_elastic_disk, disk_spec, preloaded_spark_versions,
 *        preloaded_docker_images, aws_attributes | azure_attributes |
 *        gcp_attributes, instance_pool_fleet_attributes,
 *        node_type_flexibility, remote_disk_throughput,
 *        total_initial_remote_disk_size}         -> {instance_pool_id}
 *   POST instance-pools/edit   {instance_pool_id, instance_pool_name,
 *        node_type_id, min_idle_instances, max_capacity,
 *        idle_instance_autotermination_minutes, custom_tags, ...} -> {}
 *   POST instance-pools/delete {instance_pool_id}             -> {}
 *   GET  instance-pools/get?instance_pool_id=                 -> the pool
 *   GET  instance-pools/list                  -> {instance_pools: [...]}
 *
 *   POST instance-profiles/add    {instance_profile_arn, iam_role_arn,
 *        is_meta_instance_profile, skip_validation}              -> {}
 *   POST instance-profiles/edit   {instance_profile_arn, iam_role_arn,
 *        is_meta_instance_profile}                               -> {}
 *   POST instance-profiles/remove {instance_profile_arn}         -> {}
 *   GET  instance-profiles/list           -> {instance_profiles: [...]}
 *
 * Pools. Ids look like the service's ("1206-120000-brick1-pool-xxxxxxxx").
 * The server fills default_tags (Vendor, DatabricksInstancePoolCreatorId,
 * DatabricksInstancePoolId), state ACTIVE, status {} and stats. Edit is
 * the SDK's EditInstancePool: it must repeat instance_pool_name and
 * node_type_id (the official provider forces a new pool when node_type_id
 * changes, so the service refuses a different one) and may change the
 * name, the sizes, the idle timeout, custom_tags, node_type_flexibility
 * and the remote disk settings; the other settings (cloud attributes,
 * AWS fleet attributes, disk_spec, preloaded images and versions, elastic
 * disk) stay as they were created, whether or not edit repeats them.
 *
 * Idle instances: after a create or an edit that changes
 * min_idle_instances, the pool shows them as pending_idle_count, and
 * POOL_SCALE_MS later on the workspace clock as idle_count (that is "the
 * pool has scaled its idle instances"). used_count and pending_used_count
 * stay 0: clusters do not take instances from pools in the emulator.
 *
 * Clouds (--cloud): node_type_id must be in the workspace cloud's
 * catalogue (clusters_catalog.c). An Azure workspace fills a new pool's
 * azure_attributes {availability ON_DEMAND_AZURE, spot_bid_max_price -1}
 * and a GCP one its gcp_attributes {gcp_availability ON_DEMAND_GCP};
 * the AWS one stores the pool as given. With --cloud given, another
 * cloud's block is 400 "<block> can only be specified for instance pools
 * running in <Cloud>" (modelled on the clusters' real wording).
 *
 * Errors: a missing pool is 404 RESOURCE_DOES_NOT_EXIST "Can't find an
 * instance pool with id: <id>." (the official provider treats a 404 as
 * gone); a duplicate name, an unknown node type, sizes out of range, more
 * than one preloaded Spark version, all 400 INVALID_PARAMETER_VALUE.
 *
 * Instance profiles are keyed by their ARN, which must read
 * arn:aws:iam::<12 digits>:instance-profile/<name> (iam_role_arn:
 * arn:aws:iam::<12 digits>:role/<name>). The real service also asks AWS
 * whether a workspace can launch with the profile unless skip_validation;
 * the emulator has no AWS to ask and accepts any well-formed ARN either
 * way. A second add of the same ARN is 400 INVALID_PARAMETER_VALUE; edit
 * and remove of an unknown ARN are 404 RESOURCE_DOES_NOT_EXIST. list
 * omits an empty array, as 2.0 list APIs do.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clusters_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "pools.h"
#include "store.h"
#include "util.h"
#include "workspace.h"

/* How long a pool takes to bring up its idle instances. */
#define POOL_SCALE_MS (60 * 1000)
/* Bounds the service documents or a hostile client must meet. */
#define POOL_NAME_MAX 100
#define POOL_SIZE_MAX 10000
#define POOL_AUTOTERM_MAX 10000
#define POOL_TAGS_MAX 45
#define POOL_DOCKER_IMAGES_MAX 10
#define PROFILE_ARN_MAX 2048

/* The private member that remembers when the idle instances are up;
 * never shown to clients. */
#define POOL_READY_AT "emu_idle_ready_at_ms"

struct pools_state {
	struct emu_store *pools;
	struct emu_store *profiles;
};

extern const struct emu_module emu_module_pools;

static struct pools_state *pools_of(struct emu_workspace *ws)
{
	return emu_workspace_state(ws, &emu_module_pools);
}

/* --- pools ---------------------------------------------------------------- */

static char *pool_make_id(uint64_t n)
{
	/* A fixed date-time, a word with the sequence, and 8 base-36-like
	 * characters derived from it, as in "1026-094855-till41-pool-n5scp3wy". */
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	uint64_t h = n * 0x9E3779B97F4A7C15ULL;
	char tail[9];
	size_t i;

	for (i = 0; i < 8; i++) {
		tail[i] = alphabet[h % 36];
		h /= 36;
	}
	tail[8] = '\0';
	return emu_printf("1206-120000-brick%" PRIu64 "-pool-%s", n, tail);
}

static int check_range(const cJSON *rec, const char *name, int64_t max,
		       struct emu_response *resp)
{
	int64_t v;

	if (!emu_json_member(rec, name))
		return 0;
	if (emu_json_member_int(&v, rec, name) < 0 || v < 0 || v > max)
		return emu_error_invalid(resp,
					 "%s must be between 0 and %" PRId64
					 ".",
					 name, max);
	return 0;
}

static int check_string_array(const cJSON *rec, const char *name, int max,
			      struct emu_response *resp)
{
	const cJSON *a = emu_json_member(rec, name), *it;

	if (!a)
		return 0;
	if (cJSON_GetArraySize(a) > max)
		return emu_error_invalid(resp, "%s may hold at most %d items.",
					 name, max);
	cJSON_ArrayForEach(it, a)
	{
		if (!cJSON_IsString(it) && !cJSON_IsObject(it))
			return emu_error_field_type(resp, name,
						    "an array of strings",
						    emu_json_type_name(it));
	}
	return 0;
}

/* Settings edit cannot change: kept from the pool as created. */
static const char *const pool_fixed_fields[] = {
	"enable_elastic_disk",	    "disk_spec",
	"preloaded_spark_versions", "preloaded_docker_images",
	"aws_attributes",	    "azure_attributes",
	"gcp_attributes",	    "instance_pool_fleet_attributes",
};

/*
 * On a strict workspace (--cloud given), another cloud's attributes block
 * is refused with the wording clusters use (clusters_catalog.c).
 */
static int pool_check_cloud(const struct emu_request *req, const cJSON *rec,
			    struct emu_response *resp)
{
	static const struct {
		const char *block, *words;
	} blocks[] = {
		[EMU_CLOUD_AWS] = {"aws_attributes", "AWS"},
		[EMU_CLOUD_AZURE] = {"azure_attributes", "Azure"},
		[EMU_CLOUD_GCP] = {"gcp_attributes", "GCP"},
	};
	enum emu_cloud cloud = emu_workspace_cloud(req->ws);
	size_t i;

	if (!emu_workspace_cloud_strict(req->ws))
		return 0;
	for (i = 0; i < EMU_ARRAY_SIZE(blocks); i++)
		if (i != (size_t)cloud && emu_json_member(rec, blocks[i].block))
			return emu_error_invalid(resp,
						 "%s can only be specified for "
						 "instance pools running in %s",
						 blocks[i].block,
						 blocks[i].words);
	return 0;
}

/*
 * What an Azure or GCP workspace fills in a new pool's attributes block
 * (InstancePoolAzureAttributes, InstancePoolGcpAttributes): the on-demand
 * availability and, on Azure, spot_bid_max_price -1. The AWS workspace
 * has always stored the pool as given, and still does.
 */
static void pool_cloud_defaults(const struct emu_request *req, cJSON *rec)
{
	enum emu_cloud cloud = emu_workspace_cloud(req->ws);
	const char *block = cloud == EMU_CLOUD_AZURE ? "azure_attributes"
			    : cloud == EMU_CLOUD_GCP ? "gcp_attributes"
						     : NULL;
	cJSON *attrs;

	if (!block)
		return;
	attrs = cJSON_GetObjectItemCaseSensitive(rec, block);
	if (!cJSON_IsObject(attrs)) {
		cJSON_DeleteItemFromObjectCaseSensitive(rec, block);
		attrs = cJSON_AddObjectToObject(rec, block);
	}
	if (cloud == EMU_CLOUD_AZURE) {
		if (!emu_json_member(attrs, "availability"))
			cJSON_AddStringToObject(attrs, "availability",
						"ON_DEMAND_AZURE");
		if (!emu_json_member(attrs, "spot_bid_max_price"))
			cJSON_AddNumberToObject(attrs, "spot_bid_max_price",
						-1);
	} else if (!emu_json_member(attrs, "gcp_availability")) {
		cJSON_AddStringToObject(attrs, "gcp_availability",
					"ON_DEMAND_GCP");
	}
}

static int pool_validate(struct emu_store *st, struct emu_request *req,
			 cJSON *rec, const cJSON *existing,
			 struct emu_response *resp)
{
	const char *name = emu_json_str(rec, "instance_pool_name");
	const char *node = emu_json_str(rec, "node_type_id");
	const cJSON *tags = emu_json_member(rec, "custom_tags"), *tag;
	int64_t min_idle = 0, max_cap;
	int clouds = 0;
	size_t i;

	(void)st;
	if (name[0] == '\0' || strlen(name) > POOL_NAME_MAX)
		return emu_error_invalid(resp,
					 "The instance pool name must have 1 "
					 "to %d characters.",
					 POOL_NAME_MAX);
	if (node &&
	    clusters_node_type(emu_workspace_cloud(req->ws), node) == NULL)
		return emu_error_invalid(resp,
					 "Node type %s is not supported. Call "
					 "clusters/list-node-types for the "
					 "node types of this workspace.",
					 node);
	if (check_range(rec, "min_idle_instances", POOL_SIZE_MAX, resp) < 0 ||
	    check_range(rec, "max_capacity", POOL_SIZE_MAX, resp) < 0 ||
	    check_range(rec, "idle_instance_autotermination_minutes",
			POOL_AUTOTERM_MAX, resp) < 0)
		return -1;
	emu_json_member_int(&min_idle, rec, "min_idle_instances");
	if (emu_json_member(rec, "max_capacity") &&
	    emu_json_member_int(&max_cap, rec, "max_capacity") == 0 &&
	    max_cap < min_idle)
		return emu_error_invalid(resp,
					 "max_capacity (%" PRId64
					 ") must be greater than or equal to "
					 "min_idle_instances (%" PRId64 ").",
					 max_cap, min_idle);
	if (cJSON_GetArraySize(tags) > POOL_TAGS_MAX)
		return emu_error_invalid(resp,
					 "custom_tags may hold at most %d "
					 "tags.",
					 POOL_TAGS_MAX);
	cJSON_ArrayForEach(tag, tags)
	{
		if (!cJSON_IsString(tag))
			return emu_error_field_type(resp, "custom_tags",
						    "a map of strings",
						    emu_json_type_name(tag));
	}
	if (check_string_array(rec, "preloaded_spark_versions", 1, resp) < 0 ||
	    check_string_array(rec, "preloaded_docker_images",
			       POOL_DOCKER_IMAGES_MAX, resp) < 0)
		return -1;

	if (existing) {
		/* Edit: what it may not change comes from the pool. */
		for (i = 0; i < EMU_ARRAY_SIZE(pool_fixed_fields); i++) {
			const cJSON *old = emu_json_member(
				existing, pool_fixed_fields[i]);

			cJSON_DeleteItemFromObjectCaseSensitive(
				rec, pool_fixed_fields[i]);
			if (old)
				cJSON_AddItemToObject(
					rec, pool_fixed_fields[i],
					cJSON_Duplicate(old, true));
		}
		return 0;
	}
	clouds = !!emu_json_member(rec, "aws_attributes") +
		 !!emu_json_member(rec, "azure_attributes") +
		 !!emu_json_member(rec, "gcp_attributes");
	if (clouds > 1)
		return emu_error_invalid(resp,
					 "Only one of aws_attributes, "
					 "azure_attributes and gcp_attributes "
					 "may be given.");
	return pool_check_cloud(req, rec, resp);
}

/* stats as they are at now: idle instances appear POOL_SCALE_MS after
 * min_idle_instances was set. */
static void pool_refresh(cJSON *rec, int64_t now)
{
	int64_t min_idle = 0, ready = 0;
	cJSON *stats;

	emu_json_member_int(&min_idle, rec, "min_idle_instances");
	emu_json_member_int(&ready, rec, POOL_READY_AT);
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "stats");
	stats = cJSON_AddObjectToObject(rec, "stats");
	emu_json_add_int64(stats, "used_count", 0);
	emu_json_add_int64(stats, "idle_count", now >= ready ? min_idle : 0);
	emu_json_add_int64(stats, "pending_used_count", 0);
	emu_json_add_int64(stats, "pending_idle_count",
			   now >= ready ? 0 : min_idle);
}

static void set_ready_at(cJSON *rec, int64_t when)
{
	cJSON_DeleteItemFromObjectCaseSensitive(rec, POOL_READY_AT);
	emu_json_add_int64(rec, POOL_READY_AT, when);
}

static void pool_on_create(struct emu_store *st, struct emu_request *req,
			   cJSON *rec)
{
	const char *id = emu_json_str(rec, "instance_pool_id");
	int64_t now = emu_workspace_now_ms(req->ws);
	cJSON *tags;

	(void)st;
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "default_tags");
	tags = cJSON_AddObjectToObject(rec, "default_tags");
	cJSON_AddStringToObject(tags, "Vendor", "Databricks");
	cJSON_AddStringToObject(tags, "DatabricksInstancePoolCreatorId",
				EMU_DEFAULT_USER_ID);
	cJSON_AddStringToObject(tags, "DatabricksInstancePoolId", id);
	set_ready_at(rec, now + POOL_SCALE_MS);
	pool_refresh(rec, now);
	pool_cloud_defaults(req, rec);
}

static void pool_on_update(struct emu_store *st, struct emu_request *req,
			   cJSON *rec, const cJSON *old)
{
	int64_t a = 0, b = 0, ready = 0;
	int64_t now = emu_workspace_now_ms(req->ws);

	(void)st;
	emu_json_member_int(&a, rec, "min_idle_instances");
	emu_json_member_int(&b, old, "min_idle_instances");
	emu_json_member_int(&ready, old, POOL_READY_AT);
	set_ready_at(rec, a != b ? now + POOL_SCALE_MS : ready);
	pool_refresh(rec, now);
}

static cJSON *pool_to_json(const struct emu_store *st, const cJSON *rec)
{
	cJSON *out = cJSON_Duplicate(rec, true);

	(void)st;
	cJSON_DeleteItemFromObjectCaseSensitive(out, POOL_READY_AT);
	return out;
}

/* clang-format off */
static const struct emu_store_field pool_fields[] = {
	{.name = "instance_pool_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "node_type_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED | EMU_STORE_IMMUTABLE},
	{.name = "min_idle_instances", .type = EMU_JSON_INT, .default_json = "0"},
	{.name = "max_capacity", .type = EMU_JSON_INT},
	{.name = "idle_instance_autotermination_minutes", .type = EMU_JSON_INT},
	{.name = "custom_tags", .type = EMU_JSON_OBJECT},
	{.name = "enable_elastic_disk", .type = EMU_JSON_BOOL},
	{.name = "disk_spec", .type = EMU_JSON_OBJECT},
	{.name = "preloaded_spark_versions", .type = EMU_JSON_ARRAY},
	{.name = "preloaded_docker_images", .type = EMU_JSON_ARRAY},
	{.name = "aws_attributes", .type = EMU_JSON_OBJECT},
	{.name = "azure_attributes", .type = EMU_JSON_OBJECT},
	{.name = "gcp_attributes", .type = EMU_JSON_OBJECT},
	{.name = "instance_pool_fleet_attributes", .type = EMU_JSON_OBJECT},
	{.name = "node_type_flexibility", .type = EMU_JSON_OBJECT},
	{.name = "remote_disk_throughput", .type = EMU_JSON_INT},
	{.name = "total_initial_remote_disk_size", .type = EMU_JSON_INT},
	{.name = "default_tags", .type = EMU_JSON_OBJECT, .flags = EMU_STORE_READ_ONLY},
	{.name = "state", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY,
	 .default_json = "\"ACTIVE\""},
	{.name = "stats", .type = EMU_JSON_OBJECT, .flags = EMU_STORE_READ_ONLY},
	{.name = "status", .type = EMU_JSON_OBJECT, .flags = EMU_STORE_READ_ONLY,
	 .default_json = "{}"},
	{.name = POOL_READY_AT, .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

static const struct emu_store_decl pool_decl = {
	.name = "instance_pools",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "instance_pool_id",
	.make_id = pool_make_id,
	.fields = pool_fields,
	.nfields = EMU_ARRAY_SIZE(pool_fields),
	.missing = {.status = 404,
		    .code = "RESOURCE_DOES_NOT_EXIST",
		    .before = "Can't find an instance pool with id: ",
		    .after = "."},
	.unique_field = "instance_pool_name",
	.duplicate = {.status = 400,
		      .code = "INVALID_PARAMETER_VALUE",
		      .before = "Instance pool with name '",
		      .after = "' already exists."},
	.max_items = 1000,
	.limit = {.status = 400,
		  .code = "QUOTA_EXCEEDED",
		  .before = "A workspace has at most ",
		  .after = " instance pools."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "instance_pools",
	.omit_empty_list = true,
	.hooks = {.validate = pool_validate,
		  .on_create = pool_on_create,
		  .on_update = pool_on_update,
		  .to_json = pool_to_json},
};

/* Brings every pool's stats to the workspace clock before a read. The
 * records belong to the store, which lets its hooks change them; reads
 * change them the same way, under the workspace lock. */
static void pools_refresh_all(struct emu_workspace *ws)
{
	struct emu_store *st = pools_of(ws)->pools;
	int64_t now = emu_workspace_now_ms(ws);
	size_t i;

	for (i = 0; i < emu_store_count(st); i++)
		pool_refresh((cJSON *)emu_store_at(st, i), now);
}

static void pools_create(struct emu_request *req, struct emu_response *resp)
{
	emu_store_create(pools_of(req->ws)->pools, req, resp);
}

static void pools_edit(struct emu_request *req, struct emu_response *resp)
{
	emu_store_update(pools_of(req->ws)->pools, req, resp);
}

static void pools_delete(struct emu_request *req, struct emu_response *resp)
{
	emu_store_delete(pools_of(req->ws)->pools, req, resp);
}

static void pools_get(struct emu_request *req, struct emu_response *resp)
{
	pools_refresh_all(req->ws);
	emu_store_get(pools_of(req->ws)->pools, req, resp);
}

static void pools_list(struct emu_request *req, struct emu_response *resp)
{
	pools_refresh_all(req->ws);
	emu_store_list(pools_of(req->ws)->pools, req, resp);
}

/* --- instance profiles ---------------------------------------------------- */

/* s is "arn:aws:iam::<12 digits>:<kind>/<name>" with a name of IAM's
 * characters (letters, digits, +=,.@_- and / for paths). */
static bool arn_valid(const char *s, const char *kind)
{
	static const char prefix[] = "arn:aws:iam::";
	size_t i, n = strlen(kind);

	if (strlen(s) > PROFILE_ARN_MAX ||
	    strncmp(s, prefix, sizeof(prefix) - 1) != 0)
		return false;
	s += sizeof(prefix) - 1;
	for (i = 0; i < 12; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	s += 12;
	if (*s++ != ':' || strncmp(s, kind, n) != 0 || s[n] != '/')
		return false;
	s += n + 1;
	if (*s == '\0' || s[strlen(s) - 1] == '/')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("+=,.@_-/", *s))
			return false;
	return true;
}

static int profile_validate(struct emu_store *st, struct emu_request *req,
			    cJSON *rec, const cJSON *existing,
			    struct emu_response *resp)
{
	const char *arn = emu_json_str(rec, "instance_profile_arn");
	const char *role = emu_json_str(rec, "iam_role_arn");

	(void)st;
	(void)req;
	(void)existing;
	if (!arn_valid(arn, "instance-profile"))
		return emu_error_invalid(resp,
					 "Invalid instance profile ARN: '%s'. "
					 "Expected arn:aws:iam::<account-id>:"
					 "instance-profile/<name>.",
					 strlen(arn) > 256 ? "(too long)" : arn);
	if (role && !arn_valid(role, "role"))
		return emu_error_invalid(resp,
					 "Invalid IAM role ARN: '%s'. Expected "
					 "arn:aws:iam::<account-id>:role/"
					 "<name>.",
					 strlen(role) > 256 ? "(too long)"
							    : role);
	return 0;
}

/* clang-format off */
static const struct emu_store_field profile_fields[] = {
	{.name = "instance_profile_arn", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "iam_role_arn", .type = EMU_JSON_STRING},
	{.name = "is_meta_instance_profile", .type = EMU_JSON_BOOL, .default_json = "false"},
};
/* clang-format on */

static const struct emu_store_decl profile_decl = {
	.name = "instance_profiles",
	.id_kind = EMU_STORE_ID_FIELD,
	.id_field = "instance_profile_arn",
	.fields = profile_fields,
	.nfields = EMU_ARRAY_SIZE(profile_fields),
	.missing = {.status = 404,
		    .code = "RESOURCE_DOES_NOT_EXIST",
		    .before = "Instance profile ",
		    .after = " does not exist."},
	.duplicate = {.status = 400,
		      .code = "INVALID_PARAMETER_VALUE",
		      .before = "Instance profile ",
		      .after = " already exists."},
	.max_items = 1000,
	.limit = {.status = 400,
		  .code = "QUOTA_EXCEEDED",
		  .before = "A workspace has at most ",
		  .after = " instance profiles."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "instance_profiles",
	.omit_empty_list = true,
	.create_reply = EMU_STORE_REPLY_EMPTY,
	.hooks = {.validate = profile_validate},
};

static void profiles_add(struct emu_request *req, struct emu_response *resp)
{
	emu_store_create(pools_of(req->ws)->profiles, req, resp);
}

static void profiles_edit(struct emu_request *req, struct emu_response *resp)
{
	emu_store_update(pools_of(req->ws)->profiles, req, resp);
}

static void profiles_remove(struct emu_request *req, struct emu_response *resp)
{
	emu_store_delete(pools_of(req->ws)->profiles, req, resp);
}

static void profiles_list(struct emu_request *req, struct emu_response *resp)
{
	emu_store_list(pools_of(req->ws)->profiles, req, resp);
}

/* --- what clusters use -------------------------------------------------- */

const char *emu_pools_node_type(struct emu_workspace *ws, const char *pool_id)
{
	const cJSON *p = emu_store_find(pools_of(ws)->pools, pool_id);

	return p ? emu_json_str(p, "node_type_id") : NULL;
}

/* --- state ---------------------------------------------------------------- */

static void *pools_state_new(void)
{
	struct pools_state *s = emu_xcalloc(1, sizeof(*s));

	s->pools = emu_store_new(&pool_decl);
	s->profiles = emu_store_new(&profile_decl);
	return s;
}

static void pools_state_free(void *state)
{
	struct pools_state *s = state;

	if (s == NULL)
		return;
	emu_store_free(s->pools);
	emu_store_free(s->profiles);
	free(s);
}

static cJSON *pools_state_save(const void *state)
{
	const struct pools_state *s = state;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "pools", emu_store_save(s->pools));
	cJSON_AddItemToObject(o, "profiles", emu_store_save(s->profiles));
	return o;
}

static int pools_state_load(void *state, const cJSON *json, char *err,
			    size_t errlen)
{
	struct pools_state *s = state;
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(json, "pools");
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(json, "profiles");

	if (p && emu_store_load(s->pools, p, err, errlen) < 0)
		return -1;
	if (q && emu_store_load(s->profiles, q, err, errlen) < 0)
		return -1;
	return 0;
}

#define POOLS_API "/api/2.0/instance-pools/"
#define PROFILES_API "/api/2.0/instance-profiles/"

/* clang-format off */
static const struct emu_route pools_routes[] = {
	{.method = "POST", .pattern = POOLS_API "create", .handler = pools_create},
	{.method = "POST", .pattern = POOLS_API "edit", .handler = pools_edit},
	{.method = "POST", .pattern = POOLS_API "delete", .handler = pools_delete},
	{.method = "GET", .pattern = POOLS_API "get", .handler = pools_get},
	{.method = "GET", .pattern = POOLS_API "list", .handler = pools_list},
	{.method = "POST", .pattern = PROFILES_API "add", .handler = profiles_add},
	{.method = "POST", .pattern = PROFILES_API "edit", .handler = profiles_edit},
	{.method = "POST", .pattern = PROFILES_API "remove", .handler = profiles_remove},
	{.method = "GET", .pattern = PROFILES_API "list", .handler = profiles_list},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_pools = {
	.name = "pools",
	.routes = pools_routes,
	.state_new = pools_state_new,
	.state_free = pools_state_free,
	.state_save = pools_state_save,
	.state_load = pools_state_load,
};
