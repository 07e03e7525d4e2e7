/*
 * databricks_cluster_policy (resource and data source): the rules that
 * limit what a cluster created under a policy may be.
 *
 * REST: POST /api/2.0/policies/clusters/create -> {policy_id},
 * GET /api/2.0/policies/clusters/get?policy_id=,
 * POST /api/2.0/policies/clusters/edit (the whole policy, with policy_id),
 * POST /api/2.0/policies/clusters/delete {policy_id},
 * GET /api/2.0/policies/clusters/list -> {policies, total_count}.
 *
 * Quirks that explain the code:
 *  - definition and policy_family_definition_overrides are JSON documents
 *    in strings, and the workspace may answer them with other key order or
 *    white space: read keeps the configured text while the document is
 *    the same (the official provider only ignores white space).
 *  - A policy made from a family (policy_family_id) gets its definition
 *    from the family merged with the overrides: definition is computed
 *    then, may not be set with the family, and is never sent with it.
 *  - edit replaces every field, so an update sends the whole policy.
 *  - Every workspace has built-in policies named after their families
 *    ("Personal Compute" for personal-vm). A policy configured with such
 *    a family and its name is that built-in one: create edits it instead
 *    of making a second (which the unique names would refuse), and
 *    destroy puts it back to the family's definition instead of deleting
 *    it, as the official provider does.
 *  - A missing policy is 404 RESOURCE_DOES_NOT_EXIST "Can't find a cluster
 *    policy with id: <id>."; some answers have been 400
 *    INVALID_PARAMETER_VALUE with the same message, which also means gone.
 * Import ID: the policy ID.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "cluster_spec.h"
#include "compute_internal.h"

#define POLICY_API "/api/2.0/policies/clusters"

/* --- schema --------------------------------------------------------------- */

static int policy_validate_name(struct tfp_diags *d, const struct tfp_path *path,
				const struct tfp_value *v)
{
	size_t n = strlen(v->u.str);

	if (n >= 1 && n <= 100)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid policy name",
				   "A cluster policy name has 1 to 100 "
				   "characters; this one has %zu.",
				   n);
}

/* A policy document: a JSON object in a string. */
static int policy_validate_json(struct tfp_diags *d, const struct tfp_path *path,
				const struct tfp_value *v)
{
	cJSON *j = cJSON_Parse(v->u.str);
	bool ok = cJSON_IsObject(j);

	cJSON_Delete(j);
	if (ok)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid policy definition",
				   "The value must be a JSON object, such as "
				   "jsonencode({ \"autotermination_minutes\" "
				   "= { type = \"fixed\", value = 20 } }).");
}

static int policy_validate_max(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	if (v->u.num.kind == TFP_NUM_INT && v->u.num.i > 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid max_clusters_per_user",
				   "max_clusters_per_user must be a whole "
				   "number greater than zero; leave it out for "
				   "no limit.");
}

/* clang-format off */
static const struct tfp_attr policy_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = policy_validate_name,
	  .desc = "The policy's name: 1 to 100 characters, unique in the "
		  "workspace." },
	{ .name = "definition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_JSON_TEXT,
	  .validate = policy_validate_json,
	  .desc = "The policy document (Databricks Policy Definition "
		  "Language) as JSON text. Cannot be used with "
		  "policy_family_id, which makes it computed." },
	{ .name = "description", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Free-form text about the policy." },
	{ .name = "max_clusters_per_user", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .validate = policy_validate_max,
	  .desc = "How many clusters one user may have under the policy; no "
		  "limit when left out." },
	{ .name = "policy_family_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The policy family the policy inherits its definition "
		  "from (personal-vm, job-cluster, ...). Cannot be used with "
		  "definition." },
	{ .name = "policy_family_definition_overrides",
	  .type = &tfp_type_string, .flags = TFP_OPTIONAL | TFP_JSON_TEXT,
	  .validate = policy_validate_json,
	  .desc = "JSON rules merged over the family's definition; needs "
		  "policy_family_id." },
	{ .name = "policy_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The policy's ID." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The policy's ID (policy_id)." },
	TFP_ATTR_END
};

static const struct tfp_block policy_blocks[] = {
	{ .name = "libraries", .nesting = TFP_NEST_SET,
	  .attrs = tfp_compute_library_attrs,
	  .blocks = tfp_compute_policy_library_blocks,
	  .desc = "A library installed on every cluster that uses the "
		  "policy: exactly one of jar, whl, egg, requirements, pypi, "
		  "maven and cran." },
	TFP_BLOCK_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* definition and the family exclude each other; overrides need a family. */
static int policy_validate(struct tfp_call *call, const struct tfp_value *config)
{
	const struct tfp_value *def = tfp_value_get(config, "definition");
	const struct tfp_value *fam = tfp_value_get(config, "policy_family_id");
	const struct tfp_value *ovr =
		tfp_value_get(config, "policy_family_definition_overrides");
	int error = TFP_OK;

	/* Unknown values may still turn out null: only known ones conflict. */
	if (tfp_value_is_known(def) && tfp_value_is_known(fam))
		error = tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "definition"),
			"Conflicting arguments",
			"definition cannot be used with policy_family_id: a "
			"policy from a family takes the family's definition; "
			"change it with policy_family_definition_overrides.");
	if (tfp_value_is_known(ovr) && tfp_value_is_null(fam) &&
	    !tfp_value_is_unknown(fam))
		error = tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL,
				      "policy_family_definition_overrides"),
			"Missing policy_family_id",
			"policy_family_definition_overrides needs "
			"policy_family_id: the overrides apply to a family's "
			"definition.");
	return error;
}

/* A policy from a family never sends the definition the family made. */
static int policy_body(cJSON *body, struct tfp_call *call,
		       const struct tfp_value *prior,
		       const struct tfp_value *plan)
{
	(void)call;
	(void)prior;
	if (tfp_value_get_string(plan, "policy_family_id") != NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(body, "definition");
	return TFP_OK;
}

/* A new family or new overrides make a new definition. */
static int policy_modify_plan(struct tfp_call *call,
			      const struct tfp_value *prior,
			      const struct tfp_value *config,
			      struct tfp_value *plan)
{
	if (!tfp_value_is_null(tfp_value_get(config, "definition")) ||
	    !tfp_value_is_known(prior))
		return TFP_OK;
	if (tfp_value_equal(tfp_value_get(prior, "policy_family_id"),
			    tfp_value_get(plan, "policy_family_id")) &&
	    tfp_value_equal(
		    tfp_value_get(prior, "policy_family_definition_overrides"),
		    tfp_value_get(plan, "policy_family_definition_overrides")))
		tfp_value_set(plan, "definition",
			      tfp_value_copy(call->arena,
					     tfp_value_get(prior, "definition")));
	else
		tfp_value_set(plan, "definition",
			      tfp_value_unknown(call->arena, &tfp_type_string));
	return TFP_OK;
}

/*
 * provider_config of a library is never sent, so the read has none: each
 * library takes it from the prior library that is the same otherwise.
 */
static void policy_normalize(struct tfp_call *call, struct tfp_value *state,
			     const struct tfp_value *prior)
{
	const struct tfp_value *old = tfp_value_is_known(prior)
					      ? tfp_value_get(prior, "libraries")
					      : NULL;
	struct tfp_value *libs = tfp_value_get(state, "libraries");
	size_t i, j;

	for (i = 0; tfp_value_is_known(libs) && tfp_value_is_known(old) &&
		    i < libs->u.coll.n;
	     i++) {
		struct tfp_value *lib = libs->u.coll.items[i];

		for (j = 0; j < old->u.coll.n; j++) {
			struct tfp_value *was =
				tfp_value_copy(call->arena, old->u.coll.items[j]);

			if (!tfp_value_is_known(was))
				continue;
			tfp_value_set(was, "provider_config",
				      tfp_value_get(lib, "provider_config"));
			if (tfp_value_equal(was, lib)) {
				libs->u.coll.items[i] = tfp_value_copy(
					call->arena, old->u.coll.items[j]);
				break;
			}
		}
	}
}

static const struct tfp_rest_not_found policy_gone[] = {
	{ .path = "policies/clusters/", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE",
	  .message = "Can't find a cluster policy" },
	{ .path = NULL },
};

/*
 * The policy named name (names are unique), from the list: *out is the
 * listed object, or NULL when there is none. flags: TFP_REST_CACHE or 0.
 */
static int policy_find_by_name(cJSON **out, struct tfp_call *call,
			       const char *name, unsigned flags)
{
	cJSON *list = NULL, *p;
	int error;

	*out = NULL;
	error = tfp_rest_call(&list, call, "GET", POLICY_API "/list", NULL,
			      NULL, flags);
	if (error < 0)
		return error;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(list,
							       "policies"))
	{
		const char *n = tfp_json_string(p, "name");

		if (n != NULL && strcmp(n, name) == 0) {
			*out = p;
			break;
		}
	}
	return TFP_OK;
}

/*
 * The ID of the built-in policy v stands for, or NULL: v names a family
 * and the family's own name, and a policy of that name exists.
 */
static int policy_builtin(const char **out, struct tfp_call *call,
			  const struct tfp_value *v)
{
	const char *fam = tfp_value_get_string(v, "policy_family_id");
	const char *name = tfp_value_get_string(v, "name");
	const char *fam_name;
	cJSON *family = NULL, *policy = NULL;
	int error;

	*out = NULL;
	if (fam == NULL || name == NULL)
		return TFP_OK;
	error = tfp_rest_get(&family, call,
			     tfp_arena_printf(call->arena,
					      "/api/2.0/policy-families/%s",
					      tfp_rest_escape(call->arena, fam)),
			     NULL);
	if (error == TFP_ENOTFOUND)
		return TFP_OK; /* the workspace says whether the family exists */
	if (error < 0)
		return error;
	fam_name = tfp_json_string(family, "name");
	if (fam_name == NULL || strcmp(fam_name, name) != 0)
		return TFP_OK;
	/* Fresh: the policy is about to be written. */
	error = policy_find_by_name(&policy, call, name, 0);
	if (error == TFP_OK && policy != NULL)
		*out = tfp_json_string(policy, "policy_id");
	return error;
}

/* A built-in policy is edited into the planned one; others are made. */
static int policy_create(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *plan)
{
	const char *builtin = NULL;
	struct tfp_value *none;
	int error;

	error = policy_builtin(&builtin, call, plan);
	if (error < 0)
		return error;
	if (builtin == NULL)
		return tfp_rres_create(out, call, plan);
	/* From nothing to the plan: the edit sends every planned field. */
	none = tfp_value_object(call->arena, plan->type);
	tfp_value_set_string(call->arena, none, "id", builtin);
	return tfp_rres_update(out, call, none, plan);
}

/* A built-in policy goes back to its family's definition; others go. */
static int policy_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const char *builtin = NULL;
	cJSON *body;
	int error;

	error = policy_builtin(&builtin, call, prior);
	if (error < 0)
		return error;
	if (builtin == NULL)
		return tfp_rres_delete(call, prior);
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "policy_id", builtin);
	cJSON_AddStringToObject(body, "name",
				tfp_value_get_string(prior, "name"));
	cJSON_AddStringToObject(body, "policy_family_id",
				tfp_value_get_string(prior,
						     "policy_family_id"));
	return tfp_rest_call(NULL, call, "POST", POLICY_API "/edit", NULL,
			     body, TFP_REST_IDEMPOTENT);
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres policy_rres = {
	.what = "cluster policy",
	.attrs = policy_attrs,
	.blocks = policy_blocks,
	.id = "{policy_id}",
	.id_field = "policy_id",
	.import_form = "<policy_id>",
	.create = { .path = POLICY_API "/create" },
	.read = { .path = POLICY_API "/get", .id_param = "policy_id" },
	.update = { .method = "POST", .path = POLICY_API "/edit",
		    .id_param = "policy_id" },
	.del = { .method = "POST", .path = POLICY_API "/delete",
		 .id_param = "policy_id", .flags = TFP_REST_IDEMPOTENT },
	.list = { .path = POLICY_API "/list", .items = "policies",
		  .id_field = "policy_id", .batch = true },
	.update_mode = TFP_RRES_FULL,
	.gone = policy_gone,
	.body = policy_body,
	.normalize = policy_normalize,
	.modify_plan = policy_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_cluster_policy = {
	.type_name = "databricks_cluster_policy",
	/* The official provider's: a state it wrote loads here. */
	.schema_version = 1,
	.attrs = policy_attrs,
	.blocks = policy_blocks,
	.desc = "A cluster policy: rules that fix, limit or hide the "
		"settings of clusters created under it, written as a JSON "
		"definition or inherited from a policy family.",
	/* The generic handlers, with create and delete wrapped for the
	 * built-in policies. */
	.create = policy_create,
	.read = tfp_rres_read,
	.update = tfp_rres_update,
	.delete = policy_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.validate = policy_validate,
	.data = &policy_rres,
};

/* --- the data source ------------------------------------------------------ */

/* clang-format off */
static const struct tfp_attr data_policy_attrs[] = {
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .json = "policy_id",
	  .desc = "The policy's ID: give it, or name." },
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The policy's name: give it, or id." },
	{ .name = "definition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_JSON_TEXT,
	  .desc = "The policy document as JSON text." },
	{ .name = "description", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Free-form text about the policy." },
	{ .name = "policy_family_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The family the policy inherits from, if any." },
	{ .name = "policy_family_definition_overrides",
	  .type = &tfp_type_string, .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The rules merged over the family's definition." },
	{ .name = "is_default", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether the workspace made the policy itself." },
	{ .name = "max_clusters_per_user", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "How many clusters one user may have under the policy." },
	TFP_ATTR_END
};
/* clang-format on */

/* Finds the policy named name; a name no policy has is an error. */
static int data_policy_by_name(cJSON **out, struct tfp_call *call,
			       const char *name)
{
	int error = policy_find_by_name(out, call, name, TFP_REST_CACHE);

	if (error == TFP_OK && *out == NULL)
		error = tfp_call_fail(call,
				      "The workspace has no cluster policy "
				      "named \"%s\".",
				      name);
	return error;
}

static int data_policy_read(struct tfp_value **out, struct tfp_call *call,
			    const struct tfp_value *config)
{
	const char *id = tfp_value_get_string(config, "id");
	const char *name = tfp_value_get_string(config, "name");
	cJSON *policy = NULL;
	int error;

	if (id == NULL && name == NULL)
		return tfp_diag_error(call->diags, "Missing argument",
				      "databricks_cluster_policy needs id or "
				      "name to find a policy.");
	if (id != NULL) {
		error = tfp_rres_get(&policy, call, &policy_rres, id, 0);
		if (error == TFP_ENOTFOUND)
			error = tfp_call_fail(call,
					      "The workspace has no cluster "
					      "policy with ID %s.",
					      id);
	} else {
		error = data_policy_by_name(&policy, call, name);
	}
	if (error < 0)
		return error;
	return tfp_jsonmap_to_value(out, call->arena, config->type,
				    data_policy_attrs, NULL, policy, NULL,
				    call->diags);
}

const struct tfp_data_source tfp_data_source_cluster_policy = {
	.type_name = "databricks_cluster_policy",
	.attrs = data_policy_attrs,
	.desc = "One cluster policy, found by ID or by name.",
	.read = data_policy_read,
};
