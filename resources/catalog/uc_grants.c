/*
 * databricks_grants: every grant on one Unity Catalog securable
 * (authoritative: principals the configuration does not name lose their
 * privileges on it).
 *
 * REST: GET and PATCH /api/2.1/unity-catalog/permissions/{type}/{name}
 * (shares: /api/2.1/unity-catalog/shares/{name}/permissions); the shared
 * code and the API's quirks are in uc_grants_core.c.
 *
 * Behaviour that explains the code:
 *  - Create, update and delete are one operation: read the grants, PATCH
 *    the difference to the desired grants (none on delete) in one
 *    request, and wait until a read shows them.
 *  - Read keeps the state's spelling of an equivalent principal or
 *    privilege, so "use catalog" in the configuration and USE_CATALOG from
 *    the workspace plan clean.
 *  - Unlike the official provider, a securable with no grants left is not
 *    "gone": the state keeps the resource with no grant blocks, and the
 *    next apply grants the configured privileges again. A missing
 *    securable (404) is gone.
 *  - databricks_grant resources on the same securable fight with this one
 *    (each apply undoes the other's grants), as upstream.
 * Import ID: "<type>/<name>", type being the securable argument's name
 * (catalog/main, schema/main.default, foreign_connection/pg).
 */
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "path.h"
#include "catalog_internal.h"
#include "databricks.h"
#include "validate.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr grants_grant_attrs[] = {
	{ .name = "principal", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_validate_principal,
	  .desc = "A user name, group name or service principal application "
		  "ID; compared without regard to case." },
	{ .name = "privileges", .type = &tfp_type_set_string,
	  .flags = TFP_REQUIRED, .validate = tfp_catalog__grants_validate_privileges,
	  .desc = "Privileges such as USE_CATALOG or SELECT; case and spaces "
		  "for underscores do not matter (\"use catalog\")." },
	TFP_ATTR_END
};
static const struct tfp_block grants_blocks[] = {
	{ .name = "grant", .nesting = TFP_NEST_SET, .key = "principal",
	  .attrs = grants_grant_attrs,
	  .desc = "The privileges of one principal. Principals left out have "
		  "no privileges on the securable; no grant block at all "
		  "revokes everything." },
	TFP_BLOCK_END
};

static const struct tfp_attr grants_attrs[] = {
	TFP_UCG_SECURABLE_ATTRS,
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<type>/<name>, e.g. catalog/main." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* The grants a plan asks for. */
static void grants_desired(struct tfp_ucg_grants *g, struct tfp_arena *a,
			   const struct tfp_value *obj)
{
	const struct tfp_value *set = tfp_value_get(obj, "grant");
	size_t i;

	memset(g, 0, sizeof(*g));
	for (i = 0; tfp_value_is_known(set) && i < set->u.coll.n; i++) {
		const struct tfp_value *e = set->u.coll.items[i];
		const char *p = tfp_value_get_string(e, "principal");

		if (p == NULL)
			continue;
		tfp_catalog__grants_add(g, a, p, NULL);
		tfp_catalog__grants_add_value(g, a, p,
					tfp_value_get(e, "privileges"));
	}
}

/*
 * Two grant blocks for one principal spelt differently would be merged by
 * the workspace and then never match the configuration (Terraform itself
 * rejects the same spelling twice).
 */
static int grants_validate_principals(struct tfp_call *call,
				      const struct tfp_value *set)
{
	size_t i, j;
	int error = TFP_OK;

	for (i = 0; tfp_value_is_known(set) && i < set->u.coll.n; i++) {
		const char *pi =
			tfp_value_get_string(set->u.coll.items[i], "principal");

		for (j = 0; pi != NULL && j < i; j++) {
			const char *pj = tfp_value_get_string(
				set->u.coll.items[j], "principal");

			if (pj == NULL || strcmp(pi, pj) == 0 ||
			    !tfp_catalog__grants_same_principal(pi, pj))
				continue;
			error = tfp_diag_attr_error(
				call->diags,
				tfp_path_attr(call->arena, NULL, "grant"),
				"Duplicate principal",
				"\"%s\" and \"%s\" are the same principal "
				"(Unity Catalog ignores case). Merge their "
				"grant blocks.",
				pj, pi);
		}
	}
	return error;
}

/* --- handlers ------------------------------------------------------------- */

static int grants_validate(struct tfp_call *call,
			   const struct tfp_value *config)
{
	int error =
		tfp_catalog__grants_validate_target(call->diags, call->arena, config);

	if (grants_validate_principals(call, tfp_value_get(config, "grant")) <
	    0)
		error = TFP_ERROR;
	return error;
}

/* The ID follows from the securable, so the plan can show it. */
static int grants_modify_plan(struct tfp_call *call,
			      const struct tfp_value *prior,
			      const struct tfp_value *config,
			      struct tfp_value *plan)
{
	const struct tfp_ucg_securable *sec;
	const char *name;

	(void)prior;
	(void)config;
	sec = tfp_catalog__grants_target(&name, plan);
	if (sec != NULL)
		tfp_value_set_string(
			call->arena, plan, "id",
			tfp_catalog__grants_grants_id(call->arena, sec, name));
	return TFP_OK;
}

static int grants_update(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *prior,
			 const struct tfp_value *plan)
{
	const struct tfp_ucg_securable *sec;
	struct tfp_ucg_grants desired;
	const char *name;

	/* The whole set is applied, whatever it was before. */
	(void)prior;
	sec = tfp_catalog__grants_target(&name, plan);
	if (sec == NULL)
		return tfp_diag_error(call->diags, "Missing securable",
				      "No securable is set.");
	grants_desired(&desired, call->arena, plan);
	return tfp_catalog__grants_apply(
		out, call, plan, sec, name, &desired, NULL,
		tfp_catalog__grants_grants_id(call->arena, sec, name));
}

static int grants_create(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *plan)
{
	return grants_update(out, call, NULL, plan);
}

static int grants_read(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior)
{
	const struct tfp_ucg_securable *sec;
	struct tfp_ucg_grants current;
	struct tfp_value *state;
	const char *name;
	int grant_idx, error;

	sec = tfp_catalog__grants_target(&name, prior);
	if (sec == NULL)
		return tfp_diag_error(call->diags, "Missing securable",
				      "The state names no securable.");
	error = tfp_catalog__grants_fetch(&current, call, sec, name, NULL);
	if (error < 0)
		return error;
	state = tfp_catalog__grants_read_state(
		call->arena, prior,
		tfp_catalog__grants_grants_id(call->arena, sec, name));
	grant_idx = tfp_type_attr_index(prior->type, "grant");
	tfp_value_set(state, "grant",
		      tfp_catalog__grants_grant_set_value(
			      call->arena, prior->type->attr_types[grant_idx],
			      &current, tfp_value_get(prior, "grant")));
	*out = state;
	return TFP_OK;
}

static int grants_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct tfp_ucg_securable *sec;
	struct tfp_ucg_grants none = {0};
	const char *name;

	sec = tfp_catalog__grants_target(&name, prior);
	if (sec == NULL)
		return TFP_OK;
	return tfp_catalog__grants_converge(call, sec, name, &none, NULL);
}

static int grants_import(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_type *type, const char *id)
{
	const struct tfp_ucg_securable *sec;
	const char *name;
	struct tfp_value *v;
	int error;

	error = tfp_catalog__grants_parse_grants_id(&sec, &name, call->arena,
					      call->diags, id);
	if (error < 0)
		return error;
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, sec->attr, name);
	tfp_value_set_string(call->arena, v, "id",
			     tfp_catalog__grants_grants_id(call->arena, sec, name));
	*out = v;
	return TFP_OK;
}

const struct tfp_resource tfp_resource_grants = {
	.type_name = "databricks_grants",
	.attrs = grants_attrs,
	.blocks = grants_blocks,
	.desc = "Every grant on one Unity Catalog securable (catalog, schema, "
		"table, external location, ...): principals not named lose "
		"their privileges on it. Exactly one securable argument must "
		"be set.",
	.create = grants_create,
	.read = grants_read,
	.update = grants_update,
	.delete = grants_delete,
	.import = grants_import,
	.modify_plan = grants_modify_plan,
	.validate = grants_validate,
};
