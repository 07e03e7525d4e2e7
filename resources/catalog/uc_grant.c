/*
 * databricks_grant: one principal's privileges on one Unity Catalog
 * securable (authoritative for that principal only; other principals'
 * grants are left alone, so several of these coexist on one securable).
 *
 * REST: GET /api/2.1/unity-catalog/permissions/{type}/{name}?principal=
 * and PATCH on the same path (shares: /api/2.1/unity-catalog/shares/{name}/
 * permissions); the shared code and the API's quirks are in
 * uc_grants_core.c.
 *
 * Behaviour that explains the code:
 *  - Reads use the API's principal filter (the official provider reads
 *    every grant and filters), checked again client-side.
 *  - Create, update and delete PATCH only this principal's changes, then
 *    wait until a read shows them.
 *  - A principal left with no privileges is gone: the next plan creates
 *    the resource again. So is a missing securable.
 *  - Read keeps the state's spelling of the principal and of equivalent
 *    privileges ("use catalog" and USE_CATALOG plan clean).
 *  - A databricks_grants resource on the same securable fights with this
 *    one, as upstream.
 * Import ID: "<type>/<name>/<principal>", split at the first two '/' (a
 * principal may contain '/'); '/' and '%' inside the name or principal
 * may be written %2F and %25, and the state's ID always writes them so.
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
static const struct tfp_attr grant_attrs[] = {
	TFP_UCG_SECURABLE_ATTRS,
	{ .name = "principal", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_validate_principal,
	  .desc = "A user name, group name or service principal application "
		  "ID; compared without regard to case. Changing it replaces "
		  "the grant." },
	{ .name = "privileges", .type = &tfp_type_set_string,
	  .flags = TFP_REQUIRED, .validate = tfp_catalog__grants_validate_privileges,
	  .desc = "Privileges such as USE_CATALOG or SELECT; case and spaces "
		  "for underscores do not matter (\"use catalog\")." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<type>/<name>/<principal>, with '/' and '%' inside the "
		  "name or principal written %2F and %25." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- handlers ------------------------------------------------------------- */

static int grant_validate(struct tfp_call *call, const struct tfp_value *config)
{
	return tfp_catalog__grants_validate_target(call->diags, call->arena, config);
}

static int grant_modify_plan(struct tfp_call *call,
			     const struct tfp_value *prior,
			     const struct tfp_value *config,
			     struct tfp_value *plan)
{
	const char *principal = tfp_value_get_string(plan, "principal");
	const struct tfp_ucg_securable *sec;
	const char *name;

	(void)prior;
	(void)config;
	sec = tfp_catalog__grants_target(&name, plan);
	if (sec != NULL && principal != NULL)
		tfp_value_set_string(call->arena, plan, "id",
				     tfp_catalog__grants_grant_id(call->arena, sec,
							    name, principal));
	return TFP_OK;
}

static int grant_update(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *prior,
			const struct tfp_value *plan)
{
	const char *principal = tfp_value_get_string(plan, "principal");
	const struct tfp_ucg_securable *sec;
	struct tfp_ucg_grants desired = {0};
	const char *name;

	/* The principal's whole set is applied, whatever it was before. */
	(void)prior;
	sec = tfp_catalog__grants_target(&name, plan);
	if (sec == NULL || principal == NULL)
		return tfp_diag_error(call->diags, "Missing securable",
				      "No securable or principal is set.");
	tfp_catalog__grants_add(&desired, call->arena, principal, NULL);
	tfp_catalog__grants_add_value(&desired, call->arena, principal,
				tfp_value_get(plan, "privileges"));
	return tfp_catalog__grants_apply(
		out, call, plan, sec, name, &desired, principal,
		tfp_catalog__grants_grant_id(call->arena, sec, name, principal));
}

static int grant_create(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *plan)
{
	return grant_update(out, call, NULL, plan);
}

static int grant_read(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *prior)
{
	const char *principal = tfp_value_get_string(prior, "principal");
	const struct tfp_ucg_assignment *as;
	const struct tfp_ucg_securable *sec;
	struct tfp_ucg_grants current;
	struct tfp_value *state;
	const char *name;
	int error;

	sec = tfp_catalog__grants_target(&name, prior);
	if (sec == NULL || principal == NULL)
		return tfp_diag_error(call->diags, "Missing securable",
				      "The state names no securable or "
				      "principal.");
	error = tfp_catalog__grants_fetch(&current, call, sec, name, principal);
	if (error < 0)
		return error;
	as = tfp_catalog__grants_find(&current, principal);
	if (as == NULL || as->n == 0) {
		call->last_error = (struct tfp_api_error){
			.status = 404,
			.error_code = "RESOURCE_DOES_NOT_EXIST",
			.message = tfp_arena_printf(
				call->arena, "%s has no privileges on %s %s.",
				principal, sec->attr, name),
			.method = "GET",
			.path = tfp_catalog__grants_path(call->arena, sec, name),
		};
		return TFP_ENOTFOUND;
	}
	state = tfp_catalog__grants_read_state(
		call->arena, prior,
		tfp_catalog__grants_grant_id(call->arena, sec, name, principal));
	/* The principal forces replacement: keep the state's spelling of
	 * the same principal. */
	tfp_value_set_string(call->arena, state, "principal", principal);
	tfp_value_set(
		state, "privileges",
		tfp_catalog__grants_privileges_value(
			call->arena, as, tfp_value_get(prior, "privileges")));
	*out = state;
	return TFP_OK;
}

static int grant_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const char *principal = tfp_value_get_string(prior, "principal");
	const struct tfp_ucg_securable *sec;
	struct tfp_ucg_grants none = {0};
	const char *name;

	sec = tfp_catalog__grants_target(&name, prior);
	if (sec == NULL || principal == NULL)
		return TFP_OK;
	return tfp_catalog__grants_converge(call, sec, name, &none, principal);
}

static int grant_import(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_type *type, const char *id)
{
	const struct tfp_ucg_securable *sec;
	const char *name, *principal;
	struct tfp_value *v;
	int error;

	error = tfp_catalog__grants_parse_grant_id(&sec, &name, &principal,
					     call->arena, call->diags, id);
	if (error < 0)
		return error;
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, sec->attr, name);
	tfp_value_set_string(call->arena, v, "principal", principal);
	tfp_value_set_string(
		call->arena, v, "id",
		tfp_catalog__grants_grant_id(call->arena, sec, name, principal));
	*out = v;
	return TFP_OK;
}

const struct tfp_resource tfp_resource_grant = {
	.type_name = "databricks_grant",
	.attrs = grant_attrs,
	.desc = "One principal's privileges on one Unity Catalog securable; "
		"other principals' grants are left alone. Exactly one "
		"securable argument must be set.",
	.create = grant_create,
	.read = grant_read,
	.update = grant_update,
	.delete = grant_delete,
	.import = grant_import,
	.modify_plan = grant_modify_plan,
	.validate = grant_validate,
};
