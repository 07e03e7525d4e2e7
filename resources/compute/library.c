/*
 * databricks_library: one library on one cluster (jar, whl, egg,
 * requirements, pypi, maven or cran), next to the cluster's own library
 * blocks or without them.
 *
 * REST (Libraries API 2.0): POST /api/2.0/libraries/install and
 * /uninstall {cluster_id, libraries}, GET
 * /api/2.0/libraries/cluster-status?cluster_id= -> {library_statuses:
 * [{library, status, messages, is_library_for_all_clusters}]}; GET
 * /api/2.1/clusters/get for the cluster's state.
 *
 * Behaviour that explains the code:
 *  - Nothing restarts or starts the cluster. On a running cluster the
 *    create waits until the library is installed (a failure is an error
 *    with the workspace's message, and the library stays in the state so
 *    the next apply replaces it). On a terminated cluster the library is
 *    queued (PENDING) for its next start, which is present, not drift.
 *    (The official provider starts a terminated cluster to install one;
 *    this one does not spend the compute.)
 *  - A library is present while cluster-status lists it, other than as
 *    FAILED or UNINSTALL_ON_RESTART; a library removed elsewhere, or a gone
 *    cluster, removes it from the state.
 *  - Any change replaces it: uninstall (effective at the next restart)
 *    and install.
 *  - The ID is the official one, "<type>:<value>" as the Go SDK spells a
 *    library (whl:..., pypi:<repo><package>, mvn:<repo><coordinates>
 *    <exclusions>...); a requirements file is "requirements:<path>"
 *    where upstream says "unknown". No import, as upstream.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "cluster_spec.h"
#include "compute_internal.h"
#include "diag.h"
#include "jsonmap.h"
#include "schema.h"

/* How long a create waits for the install on a running cluster. */
#define LIB_INSTALL_TIMEOUT_MS (30L * 60 * 1000)

/* clang-format off */
static const struct tfp_attr lib_attrs[] = {
	{ .name = "cluster_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The cluster the library is installed on." },
	TFP_LIBRARY_FILE_ATTRS,
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<type>:<value>, e.g. pypi:requests==2.31.0." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const lib_fields[] = {"jar", "whl", "egg", "requirements",
					 "pypi", "maven", "cran"};
#define N_LIB_FIELDS (sizeof(lib_fields) / sizeof(lib_fields[0]))

/* --- pure functions ------------------------------------------------------- */

/* The library part of obj, as the Libraries API's element type. */
static struct tfp_value *lib_value(struct tfp_arena *a,
				   const struct tfp_type *elem,
				   const struct tfp_value *obj)
{
	struct tfp_value *v = tfp_value_object(a, elem);
	size_t i;

	for (i = 0; i < N_LIB_FIELDS; i++)
		tfp_value_set(v, lib_fields[i],
			      tfp_value_copy(a, tfp_value_get(obj,
							      lib_fields[i])));
	return v;
}

static const char *lib_nested(const struct tfp_value *obj, const char *block,
			      const char *attr)
{
	const struct tfp_value *l = tfp_value_get(obj, block);

	if (!tfp_value_is_known(l) || l->u.coll.n == 0)
		return NULL;
	return tfp_value_get_string(l->u.coll.items[0], attr);
}

/* The Go SDK's spelling of a library, the official ID. */
static const char *lib_id(struct tfp_arena *a, const struct tfp_value *obj)
{
	const char *s, *repo;
	const struct tfp_value *mvn, *excl;
	size_t i;

	if ((s = tfp_value_get_string(obj, "whl")) != NULL)
		return tfp_arena_printf(a, "whl:%s", s);
	if ((s = tfp_value_get_string(obj, "jar")) != NULL)
		return tfp_arena_printf(a, "jar:%s", s);
	if ((s = lib_nested(obj, "pypi", "package")) != NULL) {
		repo = lib_nested(obj, "pypi", "repo");
		return tfp_arena_printf(a, "pypi:%s%s", repo ? repo : "", s);
	}
	if ((s = lib_nested(obj, "maven", "coordinates")) != NULL) {
		char *id;

		repo = lib_nested(obj, "maven", "repo");
		id = tfp_arena_printf(a, "mvn:%s%s", repo ? repo : "", s);
		mvn = tfp_value_get(obj, "maven");
		excl = tfp_value_get(mvn->u.coll.items[0], "exclusions");
		for (i = 0; tfp_value_is_known(excl) && i < excl->u.coll.n; i++)
			if (tfp_value_is_known(excl->u.coll.items[i]))
				id = tfp_arena_printf(
					a, "%s%s", id,
					excl->u.coll.items[i]->u.str);
		return id;
	}
	if ((s = tfp_value_get_string(obj, "egg")) != NULL)
		return tfp_arena_printf(a, "egg:%s", s);
	if ((s = lib_nested(obj, "cran", "package")) != NULL) {
		repo = lib_nested(obj, "cran", "repo");
		return tfp_arena_printf(a, "cran:%s%s", repo ? repo : "", s);
	}
	if ((s = tfp_value_get_string(obj, "requirements")) != NULL)
		return tfp_arena_printf(a, "requirements:%s", s);
	return "unknown";
}

/* --- handlers ------------------------------------------------------------- */

static int lib_validate(struct tfp_call *call, const struct tfp_value *config)
{
	size_t i, set = 0;
	bool unknown = false;

	for (i = 0; i < N_LIB_FIELDS; i++) {
		const struct tfp_value *v = tfp_value_get(config, lib_fields[i]);

		unknown |= tfp_value_is_unknown(v);
		if (tfp_value_is_known(v) &&
		    (v->type->kind != TFP_KIND_LIST || v->u.coll.n > 0))
			set++;
	}
	if (set == 1 || (set == 0 && unknown))
		return TFP_OK;
	return tfp_diag_error(call->diags, "One library",
			      "Exactly one of jar, whl, egg, requirements, "
			      "pypi, maven and cran is set; %zu are.",
			      set);
}

static int lib_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			   const struct tfp_value *config,
			   struct tfp_value *plan)
{
	(void)prior;
	(void)config;
	if (!tfp_value_is_null(plan) && tfp_value_wholly_known(plan))
		tfp_value_set_string(call->arena, plan, "id",
				     lib_id(call->arena, plan));
	return TFP_OK;
}

/* The set type the Libraries API helpers read into. */
static const struct tfp_type *lib_set_type(struct tfp_arena *a)
{
	return tfp_type_collection(a, TFP_KIND_SET,
				   tfp_schema_type(a, tfp_compute_library_attrs,
						   tfp_compute_library_blocks));
}

static int lib_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *prior)
{
	const struct tfp_type *set_type = lib_set_type(call->arena);
	const char *cluster = tfp_value_get_string(prior, "cluster_id");
	struct tfp_value *have, *mine, *state;
	size_t i;
	int error;

	error = tfp_compute__cluster_libraries_read(&have, call, set_type,
						    cluster);
	if (error < 0)
		return error;
	mine = lib_value(call->arena, set_type->elem, prior);
	for (i = 0; i < have->u.coll.n; i++)
		if (tfp_value_equal(have->u.coll.items[i], mine)) {
			state = tfp_value_copy(call->arena, prior);
			tfp_value_set_string(call->arena, state, "id",
					     lib_id(call->arena, prior));
			*out = state;
			return TFP_OK;
		}
	call->last_error.message = "the library is not on the cluster";
	return TFP_ENOTFOUND;
}

static int lib_create(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *plan)
{
	const struct tfp_type *set_type = lib_set_type(call->arena);
	const char *cluster = tfp_value_get_string(plan, "cluster_id");
	struct tfp_value *want;
	cJSON *details = NULL;
	const char *state;
	bool installed;
	int error;

	want = tfp_value_collection(call->arena, set_type, 1);
	want->u.coll.items[0] = lib_value(call->arena, set_type->elem, plan);
	error = tfp_compute__cluster_get(&details, call, cluster);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "Cluster %s does not exist: %s",
				     cluster, call->last_error.message);
	if (error < 0)
		return error;
	error = tfp_compute__cluster_libraries_change(&installed, call, cluster,
						      NULL, want);
	if (error < 0)
		return error;
	/* From here the library exists (or is queued): keep it in the
	 * state whatever happens. */
	*out = tfp_value_copy(call->arena, plan);
	tfp_value_set_string(call->arena, *out, "id",
			     lib_id(call->arena, plan));
	state = tfp_json_string(details, "state");
	if (state != NULL && strcmp(state, "RUNNING") == 0) {
		error = tfp_compute__cluster_libraries_wait(
			call, cluster, LIB_INSTALL_TIMEOUT_MS);
		if (error < 0)
			return error;
	}
	return lib_read(out, call, *out);
}

static int lib_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct tfp_type *set_type = lib_set_type(call->arena);
	const char *cluster = tfp_value_get_string(prior, "cluster_id");
	struct tfp_value *have;
	bool installed;

	have = tfp_value_collection(call->arena, set_type, 1);
	have->u.coll.items[0] = lib_value(call->arena, set_type->elem, prior);
	return tfp_compute__cluster_libraries_change(&installed, call, cluster,
						     have, NULL);
}

const struct tfp_resource tfp_resource_library = {
	.type_name = "databricks_library",
	.attrs = lib_attrs,
	.blocks = tfp_compute_policy_library_blocks,
	.desc = "One library on a cluster, installed without restarting or "
		"starting it.",
	.create = lib_create,
	.read = lib_read,
	.delete = lib_delete,
	.modify_plan = lib_modify_plan,
	.validate = lib_validate,
};
