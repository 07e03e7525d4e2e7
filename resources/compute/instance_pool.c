/*
 * databricks_instance_pool (resource and data source): idle cloud
 * instances kept ready, from which clusters start faster.
 *
 * REST (Instance Pools 2.0): POST /api/2.0/instance-pools/create ->
 * {instance_pool_id}; GET /api/2.0/instance-pools/get?instance_pool_id=;
 * POST /api/2.0/instance-pools/edit (the whole pool, with its id);
 * POST /api/2.0/instance-pools/delete {instance_pool_id};
 * GET /api/2.0/instance-pools/list -> {instance_pools} ({} when empty).
 *
 * Quirks that explain the code:
 *  - edit takes the whole pool and must repeat instance_pool_name and
 *    node_type_id, so an update sends every field, as the official
 *    provider does. edit only changes the name, the sizes, the idle
 *    timeout, custom_tags and node_type_flexibility: every other setting
 *    (the cloud attributes, disk_spec, the preloaded versions and images,
 *    elastic disk, node_type_id) forces a new pool.
 *  - The answers carry what the workspace keeps up to date on its own:
 *    default_tags, state and stats (idle and used instance counts, which
 *    move while the pool brings up or releases instances). None of them is
 *    an argument of the resource, so a pool scaling is never drift; the
 *    data source shows them.
 *  - The workspace fills min_idle_instances (0), the cloud attributes
 *    block and parts of it (zone, spot bid, local SSDs) when they are left
 *    out: those are optional and computed, and a filled cloud block is not
 *    drift (TFP_SERVER_FILLED). max_capacity is computed too: the official
 *    provider ignores its removal from the configuration.
 *  - The official provider's defaults are sent as it sends them:
 *    enable_elastic_disk true, aws_attributes' availability SPOT and
 *    spot_bid_price_percent 100, azure_attributes' ON_DEMAND_AZURE,
 *    gcp_attributes' ON_DEMAND_GCP.
 *  - An aws zone_id of "auto" lets the workspace choose a zone; the zone
 *    it answers is not drift.
 *  - A missing pool is 404 RESOURCE_DOES_NOT_EXIST "Can't find an
 *    instance pool with id: <id>." (the client's generic "gone").
 * Import ID: the pool ID.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "cluster_spec.h"
#include "compute_internal.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"

#define POOL_API "/api/2.0/instance-pools"

/* --- validators ----------------------------------------------------------- */

/* v is one of allowed (NULL-terminated), spelled as list for the message. */
static int pool_check_enum(struct tfp_diags *d, const struct tfp_path *path,
			   const struct tfp_value *v, const char *what,
			   const char *const *allowed, const char *list)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(v->u.str, *allowed) == 0)
			return TFP_OK;
	return tfp_diag_attr_error(
		d, path, tfp_arena_printf(d->arena, "Invalid %s", what),
		"%s must be %s, not \"%s\".", what, list, v->u.str);
}

#define POOL_ENUM(fn, what, list, ...)                                         \
	static int fn(struct tfp_diags *d, const struct tfp_path *path,        \
		      const struct tfp_value *v)                               \
	{                                                                      \
		static const char *const allowed[] = {__VA_ARGS__, NULL};      \
		return pool_check_enum(d, path, v, what, allowed, list);       \
	}

POOL_ENUM(pool_validate_aws_availability, "availability", "SPOT or ON_DEMAND",
	  "SPOT", "ON_DEMAND")
POOL_ENUM(pool_validate_azure_availability, "availability",
	  "SPOT_AZURE or ON_DEMAND_AZURE", "SPOT_AZURE", "ON_DEMAND_AZURE")
POOL_ENUM(pool_validate_gcp_availability, "gcp_availability",
	  "ON_DEMAND_GCP, PREEMPTIBLE_GCP or PREEMPTIBLE_WITH_FALLBACK_GCP",
	  "ON_DEMAND_GCP", "PREEMPTIBLE_GCP", "PREEMPTIBLE_WITH_FALLBACK_GCP")
POOL_ENUM(pool_validate_azure_disk, "azure_disk_volume_type",
	  "PREMIUM_LRS or STANDARD_LRS", "PREMIUM_LRS", "STANDARD_LRS")
POOL_ENUM(pool_validate_ebs_disk, "ebs_volume_type",
	  "GENERAL_PURPOSE_SSD or THROUGHPUT_OPTIMIZED_HDD",
	  "GENERAL_PURPOSE_SSD", "THROUGHPUT_OPTIMIZED_HDD")
POOL_ENUM(pool_validate_on_demand_strategy, "allocation_strategy",
	  "LOWEST_PRICE", "LOWEST_PRICE")
POOL_ENUM(pool_validate_spot_strategy, "allocation_strategy",
	  "LOWEST_PRICE or CAPACITY_OPTIMIZED", "LOWEST_PRICE",
	  "CAPACITY_OPTIMIZED")

/* A size or a number of minutes: a whole number from 0 to 10000, the
 * service's bounds. */
static int pool_validate_size(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	if (v->u.num.kind == TFP_NUM_INT && v->u.num.i >= 0 &&
	    v->u.num.i <= 10000)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid value",
				   "The value must be a whole number from 0 "
				   "to 10000.");
}

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr pool_aws_attrs[] = {
	{ .name = "availability", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "SPOT",
	  .validate = pool_validate_aws_availability,
	  .desc = "SPOT (the default) or ON_DEMAND." },
	{ .name = "zone_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The availability zone, or \"auto\" to let the workspace "
		  "choose." },
	{ .name = "instance_profile_arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The instance profile the pool's instances run with." },
	{ .name = "spot_bid_price_percent", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The maximum spot price, as a percentage of the on-demand "
		  "price (100 by default)." },
	TFP_ATTR_END
};

static const struct tfp_attr pool_azure_attrs[] = {
	{ .name = "availability", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .default_string = "ON_DEMAND_AZURE",
	  .validate = pool_validate_azure_availability,
	  .desc = "ON_DEMAND_AZURE (the default) or SPOT_AZURE." },
	{ .name = "spot_bid_max_price", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The maximum spot price in US dollars; -1: the on-demand "
		  "price." },
	TFP_ATTR_END
};

static const struct tfp_attr pool_gcp_attrs[] = {
	{ .name = "gcp_availability", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .default_string = "ON_DEMAND_GCP",
	  .validate = pool_validate_gcp_availability,
	  .desc = "ON_DEMAND_GCP (the default), PREEMPTIBLE_GCP or "
		  "PREEMPTIBLE_WITH_FALLBACK_GCP." },
	{ .name = "local_ssd_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The number of local SSDs attached to each instance." },
	{ .name = "zone_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The zone of the instances." },
	TFP_ATTR_END
};

static const struct tfp_attr pool_disk_type_attrs[] = {
	{ .name = "azure_disk_volume_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .validate = pool_validate_azure_disk,
	  .desc = "PREMIUM_LRS or STANDARD_LRS." },
	{ .name = "ebs_volume_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .validate = pool_validate_ebs_disk,
	  .desc = "GENERAL_PURPOSE_SSD or THROUGHPUT_OPTIMIZED_HDD." },
	TFP_ATTR_END
};

static const struct tfp_block pool_disk_spec_blocks[] = {
	{ .name = "disk_type", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pool_disk_type_attrs,
	  .desc = "The type of the disks, by cloud." },
	TFP_BLOCK_END
};

static const struct tfp_attr pool_disk_spec_attrs[] = {
	{ .name = "disk_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The number of disks attached to each instance." },
	{ .name = "disk_size", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The size of each disk, in GiB." },
	TFP_ATTR_END
};

/* A fleet option, with the allocation strategies each kind allows. */
static const struct tfp_attr pool_fleet_spot_attrs[] = {
	{ .name = "allocation_strategy", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = pool_validate_spot_strategy,
	  .desc = "LOWEST_PRICE or CAPACITY_OPTIMIZED." },
	{ .name = "instance_pools_to_use_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "How many of the cheapest pools of instances to use." },
	TFP_ATTR_END
};

static const struct tfp_attr pool_fleet_on_demand_attrs[] = {
	{ .name = "allocation_strategy", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .validate = pool_validate_on_demand_strategy,
	  .desc = "LOWEST_PRICE." },
	{ .name = "instance_pools_to_use_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "How many of the cheapest pools of instances to use." },
	TFP_ATTR_END
};

static const struct tfp_attr pool_fleet_override_attrs[] = {
	{ .name = "availability_zone", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The availability zone of the override." },
	{ .name = "instance_type", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The EC2 instance type of the override." },
	TFP_ATTR_END
};

static const struct tfp_block pool_fleet_blocks[] = {
	{ .name = "fleet_spot_option", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = pool_fleet_spot_attrs,
	  .desc = "How spot instances are allocated." },
	{ .name = "fleet_on_demand_option", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = pool_fleet_on_demand_attrs,
	  .desc = "How on-demand instances are allocated." },
	{ .name = "launch_template_override", .nesting = TFP_NEST_SET,
	  .min_items = 1, .attrs = pool_fleet_override_attrs,
	  .json = "launch_template_overrides",
	  .desc = "An instance type and zone the fleet may launch." },
	TFP_BLOCK_END
};

static const struct tfp_attr pool_flexibility_attrs[] = {
	{ .name = "alternate_node_type_ids", .type = &tfp_type_list_string,
	  .flags = TFP_REQUIRED,
	  .desc = "Node types the pool may use when node_type_id is out of "
		  "capacity." },
	TFP_ATTR_END
};

/* The settings a pool is made of; the resource requires some that the
 * data source's pool_info only reports. */
#define POOL_SETTINGS_ATTRS(required, optional, computed)                      \
	{ .name = "instance_pool_name", .type = &tfp_type_string,              \
	  .flags = (required),                                                 \
	  .desc = "The pool's name, unique in the workspace (1 to 100 "        \
		  "characters)." },                                            \
	{ .name = "node_type_id", .type = &tfp_type_string,                    \
	  .flags = (computed) | TFP_FORCE_NEW,                                 \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "The instance type of the pool's instances, e.g. "           \
		  "i3.xlarge." },                                              \
	{ .name = "min_idle_instances", .type = &tfp_type_number,              \
	  .flags = (computed), .validate = pool_validate_size,                 \
	  .desc = "How many idle instances the pool keeps ready (0 by "        \
		  "default)." },                                               \
	{ .name = "max_capacity", .type = &tfp_type_number,                    \
	  .flags = (computed), .validate = pool_validate_size,                 \
	  .desc = "The most instances, idle and used, the pool may have." },  \
	{ .name = "idle_instance_autotermination_minutes",                     \
	  .type = &tfp_type_number, .flags = (required),                       \
	  .validate = pool_validate_size,                                      \
	  .desc = "Minutes an instance above min_idle_instances stays idle "   \
		  "before it is released." },                                  \
	{ .name = "custom_tags", .type = &tfp_type_map_string,                 \
	  .flags = (optional),                                                 \
	  .desc = "Tags added to the pool's cloud resources." },               \
	{ .name = "enable_elastic_disk", .type = &tfp_type_bool,               \
	  .flags = (computed) | TFP_FORCE_NEW,                                 \
	  .desc = "Whether instances get more disk as they run out of it "     \
		  "(true by default)." },                                      \
	{ .name = "preloaded_spark_versions", .type = &tfp_type_list_string,   \
	  .flags = (optional) | TFP_FORCE_NEW,                                 \
	  .desc = "The Databricks Runtime (at most one) the idle instances "   \
		  "have ready." },                                             \
	{ .name = "instance_pool_id", .type = &tfp_type_string,                \
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,       \
	  .desc = "The pool's ID." }

#define POOL_SETTINGS_BLOCKS                                                   \
	{ .name = "aws_attributes", .nesting = TFP_NEST_LIST,                  \
	  .max_items = 1, .flags = TFP_FORCE_NEW | TFP_SERVER_FILLED,          \
	  .attrs = pool_aws_attrs,                                             \
	  .desc = "Settings of instances on AWS." },                           \
	{ .name = "azure_attributes", .nesting = TFP_NEST_LIST,                \
	  .max_items = 1, .flags = TFP_FORCE_NEW | TFP_SERVER_FILLED,          \
	  .attrs = pool_azure_attrs,                                           \
	  .desc = "Settings of instances on Azure." },                         \
	{ .name = "gcp_attributes", .nesting = TFP_NEST_LIST,                  \
	  .max_items = 1, .flags = TFP_FORCE_NEW | TFP_SERVER_FILLED,          \
	  .attrs = pool_gcp_attrs,                                             \
	  .desc = "Settings of instances on Google Cloud." },                  \
	{ .name = "instance_pool_fleet_attributes", .nesting = TFP_NEST_LIST,  \
	  .max_items = 1, .flags = TFP_FORCE_NEW, .blocks = pool_fleet_blocks, \
	  .attrs = tfp_compute_cluster_no_attrs,                               \
	  .desc = "AWS fleet settings: instance types and zones the pool "     \
		  "may launch, instead of node_type_id." },                    \
	{ .name = "disk_spec", .nesting = TFP_NEST_LIST, .max_items = 1,       \
	  .flags = TFP_FORCE_NEW, .attrs = pool_disk_spec_attrs,               \
	  .blocks = pool_disk_spec_blocks,                                     \
	  .desc = "Extra disks attached to each instance." },                  \
	{ .name = "preloaded_docker_image", .nesting = TFP_NEST_SET,           \
	  .flags = TFP_FORCE_NEW, .json = "preloaded_docker_images",           \
	  .attrs = tfp_compute_cluster_docker_attrs,                           \
	  .blocks = tfp_compute_cluster_docker_blocks,                         \
	  .desc = "A container image the idle instances have ready." },        \
	{ .name = "node_type_flexibility", .nesting = TFP_NEST_LIST,           \
	  .max_items = 1, .flags = TFP_FORCE_NEW,                              \
	  .attrs = pool_flexibility_attrs,                                     \
	  .desc = "Other node types the pool may use." }

static const struct tfp_attr pool_attrs[] = {
	POOL_SETTINGS_ATTRS(TFP_REQUIRED, TFP_OPTIONAL,
			    TFP_OPTIONAL | TFP_COMPUTED),
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The pool's ID (instance_pool_id)." },
	TFP_ATTR_END
};

static const struct tfp_block pool_blocks[] = {
	POOL_SETTINGS_BLOCKS,
	TFP_BLOCK_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* The first element of the list block name of obj, or NULL. */
static struct tfp_value *pool_block(const struct tfp_value *obj,
				    const char *name)
{
	const struct tfp_value *l = tfp_value_get(obj, name);

	if (!tfp_value_is_known(l) || l->u.coll.n == 0 ||
	    !tfp_value_is_known(l->u.coll.items[0]))
		return NULL;
	return l->u.coll.items[0];
}

/* One cloud block at most, and fleet attributes replace node_type_id. */
static int pool_validate(struct tfp_call *call, const struct tfp_value *config)
{
	static const char *const clouds[] = {
		"aws_attributes", "azure_attributes", "gcp_attributes"};
	const char *first = NULL;
	int error = TFP_OK;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(clouds); i++) {
		if (pool_block(config, clouds[i]) == NULL)
			continue;
		if (first != NULL)
			error = tfp_diag_attr_error(
				call->diags,
				tfp_path_attr(call->arena, NULL, clouds[i]),
				"Conflicting blocks",
				"%s cannot be used with %s: a pool runs on "
				"one cloud.",
				clouds[i], first);
		else
			first = clouds[i];
	}
	if (pool_block(config, "instance_pool_fleet_attributes") != NULL &&
	    tfp_value_is_known(tfp_value_get(config, "node_type_id")))
		error = tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "node_type_id"),
			"Conflicting arguments",
			"node_type_id cannot be used with "
			"instance_pool_fleet_attributes, whose overrides name "
			"the instance types.");
	return error;
}

/* --- hooks ---------------------------------------------------------------- */

/* The official provider's default spot bid goes with aws_attributes. */
static int pool_body(cJSON *body, struct tfp_call *call,
		     const struct tfp_value *prior,
		     const struct tfp_value *plan)
{
	cJSON *aws = cJSON_GetObjectItemCaseSensitive(body, "aws_attributes");

	(void)call;
	(void)prior;
	(void)plan;
	if (cJSON_IsObject(aws) &&
	    !cJSON_HasObjectItem(aws, "spot_bid_price_percent"))
		cJSON_AddNumberToObject(aws, "spot_bid_price_percent", 100);
	return TFP_OK;
}

/* A zone the workspace picked for "auto" keeps reading as "auto". */
static void pool_normalize(struct tfp_call *call, struct tfp_value *state,
			   const struct tfp_value *prior)
{
	struct tfp_value *now = pool_block(state, "aws_attributes");
	const struct tfp_value *was =
		tfp_value_is_known(prior) ? pool_block(prior, "aws_attributes")
					  : NULL;
	const char *zone = was ? tfp_value_get_string(was, "zone_id") : NULL;

	if (now != NULL && zone != NULL && strcasecmp(zone, "auto") == 0 &&
	    tfp_value_get_string(now, "zone_id") != NULL)
		tfp_value_set_string(call->arena, now, "zone_id", zone);
}

/* enable_elastic_disk left out is the official provider's true for a new
 * pool, and what an existing pool has (an imported pool made without it):
 * the setting cannot change without a new pool. */
static int pool_modify_plan(struct tfp_call *call,
			    const struct tfp_value *prior,
			    const struct tfp_value *config,
			    struct tfp_value *plan)
{
	if (!tfp_value_is_known(plan) || !tfp_value_is_known(config) ||
	    !tfp_value_is_null(tfp_value_get(config, "enable_elastic_disk")))
		return TFP_OK;
	tfp_value_set(
		plan, "enable_elastic_disk",
		tfp_value_is_known(prior)
			? tfp_value_copy(
				  call->arena,
				  tfp_value_get(prior, "enable_elastic_disk"))
			: tfp_value_bool(call->arena, true));
	return TFP_OK;
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres pool_rres = {
	.what = "instance pool",
	.attrs = pool_attrs,
	.blocks = pool_blocks,
	.id = "{instance_pool_id}",
	.id_field = "instance_pool_id",
	.import_form = "<instance_pool_id>",
	.create = { .path = POOL_API "/create" },
	.read = { .path = POOL_API "/get", .id_param = "instance_pool_id" },
	.update = { .method = "POST", .path = POOL_API "/edit",
		    .id_param = "instance_pool_id" },
	.del = { .method = "POST", .path = POOL_API "/delete",
		 .id_param = "instance_pool_id", .flags = TFP_REST_IDEMPOTENT },
	.list = { .path = POOL_API "/list", .items = "instance_pools",
		  .id_field = "instance_pool_id", .batch = true },
	.update_mode = TFP_RRES_FULL,
	.body = pool_body,
	.normalize = pool_normalize,
	.modify_plan = pool_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_instance_pool = {
	.type_name = "databricks_instance_pool",
	.attrs = pool_attrs,
	.blocks = pool_blocks,
	.desc = "An instance pool: idle cloud instances kept ready so that "
		"clusters start and scale faster. Changes to the name, sizes, "
		"idle timeout and tags are made in place; other settings "
		"replace the pool.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.validate = pool_validate,
	.data = &pool_rres,
};

/* --- the data source ------------------------------------------------------ */

/* clang-format off */
static const struct tfp_attr data_pool_stats_attrs[] = {
	{ .name = "used_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Instances clusters are using." },
	{ .name = "idle_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Idle instances ready for clusters." },
	{ .name = "pending_used_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Instances starting for clusters." },
	{ .name = "pending_idle_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Instances starting to be idle." },
	TFP_ATTR_END
};

static const struct tfp_attr data_pool_info_attrs[] = {
	POOL_SETTINGS_ATTRS(TFP_OPTIONAL | TFP_COMPUTED,
			    TFP_OPTIONAL | TFP_COMPUTED,
			    TFP_OPTIONAL | TFP_COMPUTED),
	{ .name = "default_tags", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The tags the workspace adds (Vendor, the creator, the "
		  "pool's ID)." },
	{ .name = "state", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "ACTIVE, STOPPED or DELETED." },
	TFP_ATTR_END
};

static const struct tfp_block data_pool_info_blocks[] = {
	POOL_SETTINGS_BLOCKS,
	{ .name = "stats", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = data_pool_stats_attrs,
	  .desc = "How many instances the pool has, by use." },
	TFP_BLOCK_END
};

static const struct tfp_attr data_pool_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The name of the pool to look up." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The pool's ID." },
	TFP_ATTR_END
};

static const struct tfp_block data_pool_blocks[] = {
	{ .name = "pool_info", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = data_pool_info_attrs, .blocks = data_pool_info_blocks,
	  .desc = "The pool as instance-pools/get answers it, with its "
		  "stats; filled by the data source." },
	TFP_BLOCK_END
};
/* clang-format on */

static int data_pool_read(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *config)
{
	const char *name = tfp_value_get_string(config, "name");
	const struct tfp_type *list_t;
	struct tfp_value *v, *info, *list;
	cJSON *reply = NULL, *p, *found = NULL;
	int error;

	error = tfp_rest_call(&reply, call, "GET", POOL_API "/list", NULL, NULL,
			      TFP_REST_CACHE);
	if (error < 0)
		return error;
	cJSON_ArrayForEach(
		p, cJSON_GetObjectItemCaseSensitive(reply, "instance_pools"))
	{
		const char *n = tfp_json_string(p, "instance_pool_name");

		if (n != NULL && name != NULL && strcmp(n, name) == 0) {
			found = p;
			break;
		}
	}
	if (found == NULL)
		return tfp_call_fail(call,
				     "The workspace has no instance pool named "
				     "\"%s\".",
				     name ? name : "");
	list_t = config->type->attr_types[tfp_type_attr_index(config->type,
							      "pool_info")];
	error = tfp_jsonmap_to_value(
		&info, call->arena, list_t->elem, data_pool_info_attrs,
		data_pool_info_blocks, found, NULL, call->diags);
	if (error < 0)
		return error;
	list = tfp_value_collection(call->arena, list_t, 1);
	list->u.coll.items[0] = info;
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "id",
			     tfp_json_string(found, "instance_pool_id"));
	tfp_value_set(v, "pool_info", list);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_instance_pool = {
	.type_name = "databricks_instance_pool",
	.attrs = data_pool_attrs,
	.blocks = data_pool_blocks,
	.desc = "One instance pool, found by name, with its settings and "
		"its current instance counts.",
	.read = data_pool_read,
};
