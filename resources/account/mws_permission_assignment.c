/*
 * databricks_mws_permission_assignment: an account principal (user,
 * service principal or group) given access to a workspace, as USER or
 * ADMIN, from the account.
 *
 * REST (account API):
 * PUT|DELETE /api/2.0/accounts/{account_id}/workspaces/{workspace_id}/
 * permissionassignments/principals/{principal_id},
 * GET .../workspaces/{workspace_id}/permissionassignments (the list).
 *
 * Quirks that explain the code:
 *  - The create is a PUT of {"permissions": [...]} to the principal's
 *    path; there is no get of one assignment, so a read lists the
 *    workspace's assignments and takes the one whose
 *    principal.principal_id is the principal (.read.match).
 *  - An assignment is not changed in place by the official provider:
 *    every argument replaces it.
 *  - The list element holds the principal nested and no workspace: a
 *    reshape brings principal_id up, and workspace_id comes from the id
 *    (the prior state, or the import ID).
 *  - The Terraform ID is "<workspace_id>|<principal_id>", also the import
 *    ID; both are numbers, as in the official schema.
 */
#include "databricks.h"
#include "rest_resource.h"
#include "schema.h"
#include "account_internal.h"

#define ASSIGN_API                                                             \
	"/api/2.0/accounts/{account_id}/workspaces/{workspace_id}/"            \
	"permissionassignments"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr assign_attrs[] = {
	{ .name = "workspace_id", .type = &tfp_type_number,
	  .flags = TFP_REQUIRED,
	  .desc = "The workspace the principal is given access to." },
	{ .name = "principal_id", .type = &tfp_type_number,
	  .flags = TFP_REQUIRED,
	  .desc = "The account user, service principal or group." },
	{ .name = "permissions", .type = &tfp_type_set_string,
	  .flags = TFP_REQUIRED,
	  .desc = "USER or ADMIN (ADMIN wins when both are given)." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<workspace_id>|<principal_id>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- hooks ---------------------------------------------------------------- */

static const char *const assign_principal_path[] = {"principal", NULL};

static int assign_reshape(cJSON *json, struct tfp_call *call)
{
	(void)call;
	tfp_account__flatten(json, "principal_id", assign_principal_path);
	return TFP_OK;
}

/* The list element has no workspace: it is the one the id names. */
static void assign_normalize(struct tfp_call *call, struct tfp_value *state,
			     const struct tfp_value *prior)
{
	if (tfp_value_is_known(prior) &&
	    tfp_value_is_null(tfp_value_get(state, "workspace_id")))
		tfp_value_set(
			state, "workspace_id",
			tfp_value_copy(call->arena,
				       tfp_value_get(prior, "workspace_id")));
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres assign_rres = {
	.what = "workspace permission assignment",
	.attrs = assign_attrs,
	.id = "{workspace_id}|{principal_id}",
	.import_form = "<workspace_id>|<principal_id>",
	.create = { .method = "PUT",
		    .path = ASSIGN_API "/principals/{principal_id}" },
	.read = { .path = ASSIGN_API, .items = "permission_assignments",
		  .key = "principal.principal_id", .match = "{principal_id}" },
	.del = { .path = ASSIGN_API "/principals/{principal_id}" },
	.create_fields = (const char *const[]){ "permissions", NULL },
	.reshape = assign_reshape,
	.normalize = assign_normalize,
};
/* clang-format on */

const struct tfp_resource tfp_resource_mws_permission_assignment = {
	.type_name = "databricks_mws_permission_assignment",
	.attrs = assign_attrs,
	.desc = "An account user, service principal or group given access to "
		"a workspace as USER or ADMIN. Any change replaces it.",
	TFP_RRES_HANDLERS,
	.data = &assign_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
