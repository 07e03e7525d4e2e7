/*
 * Data source databricks_node_type: the smallest node type (instance type)
 * that fits some criteria, for a cluster's node_type_id.
 *
 * REST: GET /api/2.1/clusters/list-node-types ({"node_types": [...]}),
 * through the read cache: the catalogue does not change during a run.
 *
 * Quirks that explain the code:
 *  - When nothing matches, the official provider silently returns a cloud
 *    default (i3.xlarge, Standard_D4ds_v5, n1-standard-4) that ignores the
 *    arguments, so a cluster quietly gets a node type nobody asked for.
 *    Here that is an error that names the arguments (compute_select.c).
 *  - graviton is the deprecated name of arm; either selects Graviton (or
 *    Azure Cobalt) nodes only, and without them those nodes are left out.
 *  - gb_per_core conflicts with min_memory_gb in the official docs, but
 *    the official code applies both; so does this one.
 */
#include <cjson/cJSON.h>
#include "compute_internal.h"
#include "diag.h"
#include "rest.h"
#include "schema.h"

/* --- schema --------------------------------------------------------------- */

/* A count or size: a whole number, not negative. */
static int nt_validate_count(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	if (v->u.num.kind == TFP_NUM_INT && v->u.num.i >= 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid number",
				   "Expected a whole number, 0 or more.");
}

/* clang-format off */
static const struct tfp_attr nt_attrs[] = {
	{ .name = "min_memory_gb", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .validate = nt_validate_count,
	  .desc = "At least this much memory, in GB." },
	{ .name = "gb_per_core", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .validate = nt_validate_count,
	  .desc = "At least this much memory per core, in GB." },
	{ .name = "min_cores", .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .validate = nt_validate_count,
	  .desc = "At least this many CPU cores." },
	{ .name = "min_gpus", .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .validate = nt_validate_count,
	  .desc = "At least this many GPUs. Without it, node types with GPUs "
		  "are left out." },
	{ .name = "local_disk", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Only node types with local disks." },
	{ .name = "local_disk_min_size", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .validate = nt_validate_count,
	  .desc = "Only node types with at least this much local disk, in "
		  "GB (NVMe disks included)." },
	{ .name = "category", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Only this category, without regard to case, e.g. "
		  "\"General Purpose\", \"Memory Optimized\", \"GPU "
		  "Accelerated\"." },
	{ .name = "photon_driver_capable", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only node types that can run a Photon driver." },
	{ .name = "photon_worker_capable", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only node types that can run Photon workers." },
	{ .name = "arm", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Only AWS Graviton or Azure Cobalt node types (otherwise "
		  "none of them)." },
	{ .name = "graviton", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "The same as arm. Deprecated: use arm." },
	{ .name = "fleet", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Only AWS fleet node types (otherwise none of them)." },
	{ .name = "is_io_cache_enabled", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only node types with the IO (disk) cache." },
	{ .name = "support_port_forwarding", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only node types that support port forwarding." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The node type id, e.g. \"m5d.large\"." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- handler -------------------------------------------------------------- */

static int64_t nt_count(const struct tfp_value *config, const char *name)
{
	int64_t v = 0;

	return tfp_value_get_int(config, name, &v) && v > 0 ? v : 0;
}

static int nt_read(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_value *config)
{
	const struct tfp_node_type_req req = {
		.min_memory_gb = nt_count(config, "min_memory_gb"),
		.gb_per_core = nt_count(config, "gb_per_core"),
		.min_cores = nt_count(config, "min_cores"),
		.min_gpus = nt_count(config, "min_gpus"),
		.local_disk_min_size = nt_count(config, "local_disk_min_size"),
		.local_disk = tfp_value_get_bool(config, "local_disk", false),
		.category = tfp_value_get_string(config, "category"),
		.photon_driver_capable = tfp_value_get_bool(
			config, "photon_driver_capable", false),
		.photon_worker_capable = tfp_value_get_bool(
			config, "photon_worker_capable", false),
		.graviton = tfp_value_get_bool(config, "arm", false) ||
			    tfp_value_get_bool(config, "graviton", false),
		.fleet = tfp_value_get_bool(config, "fleet", false),
		.is_io_cache_enabled = tfp_value_get_bool(
			config, "is_io_cache_enabled", false),
		.support_port_forwarding = tfp_value_get_bool(
			config, "support_port_forwarding", false),
	};
	struct tfp_value *v;
	cJSON *reply = NULL;
	const char *id;
	int error;

	error = tfp_rest_call(&reply, call, "GET",
			      "/api/2.1/clusters/list-node-types", NULL, NULL,
			      TFP_REST_CACHE);
	if (error < 0)
		return error;
	error = tfp_compute__select_node_type(&id, call->diags, call->arena,
					      reply, &req);
	if (error < 0)
		return error;
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_node_type = {
	.type_name = "databricks_node_type",
	.attrs = nt_attrs,
	.desc = "The smallest node type that fits the arguments; an error "
		"when none does.",
	.read = nt_read,
};
