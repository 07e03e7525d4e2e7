/*
 * databricks_secret_scope: a named container of secrets.
 *
 * REST: POST /api/2.0/secrets/scopes/create, GET /api/2.0/secrets/scopes/list,
 * POST /api/2.0/secrets/scopes/delete.
 *
 * Quirks that explain the code:
 *  - There is no update and no get. Every argument forces a new scope
 *    (update is NULL), and read lists every scope and filters by name.
 *  - The list is fetched through the REST client's cache, so refreshing N
 *    scopes costs one list call per provider process instead of N (the
 *    official provider's quadratic refresh); any write to /api/2.0/secrets
 *    drops the cached list.
 *  - Create takes "scope_backend_type", the list answers "backend_type".
 *  - Scope names are unique without regard to case.
 *  - A duplicate name is a 400 RESOURCE_ALREADY_EXISTS, not a 409.
 *  - initial_manage_principal is never returned, so read keeps the prior
 *    value.
 *  - Create safety: scopes/create is not safe to repeat. When its answer
 *    is lost, create lists the scopes: a scope of that name (any case)
 *    means the lost create made it, and it is adopted; no scope means
 *    nothing was made, and the create is sent again (adopt_lost_create).
 * Import ID: the scope name.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "diag.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "validate.h"

#define SCOPE_NAME_MAX 128

/* --- schema --------------------------------------------------------------- */

/* The official provider's rule: ^[\w\.@_/-]{1,128}$. */
static int scope_validate_name(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	return tfp_validate_name(d, path, v->u.str, "secret scope name",
				 SCOPE_NAME_MAX, "_.@/-",
				 "'_', '.', '@', '/' and '-'");
}

static int scope_validate_principal(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v)
{
	if (strcmp(v->u.str, "users") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(
		d, path, "Invalid initial_manage_principal",
		"The only supported value is \"users\" (every workspace user "
		"gets MANAGE); leave it out to give MANAGE to the creator "
		"only. Got \"%s\".",
		v->u.str);
}

static int scope_validate_backend(struct tfp_diags *d,
				  const struct tfp_path *path,
				  const struct tfp_value *v)
{
	if (strcmp(v->u.str, "DATABRICKS") == 0 ||
	    strcmp(v->u.str, "AZURE_KEYVAULT") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid backend_type",
				   "backend_type must be DATABRICKS or "
				   "AZURE_KEYVAULT, not \"%s\".",
				   v->u.str);
}

/* clang-format off */
static const struct tfp_attr scope_keyvault_attrs[] = {
	{ .name = "resource_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Azure resource ID of the Key Vault." },
	{ .name = "dns_name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The DNS name of the Key Vault, e.g. "
		  "https://x.vault.azure.net/." },
	TFP_ATTR_END
};
/* clang-format on */

/* clang-format off */
static const struct tfp_block scope_blocks[] = {
	{ .name = "keyvault_metadata", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = scope_keyvault_attrs,
	  .desc = "An Azure Key Vault that backs the scope (Azure workspaces "
		  "only)." },
	TFP_BLOCK_END
};
/* clang-format on */

/* clang-format off */
static const struct tfp_attr scope_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = scope_validate_name,
	  .desc = "Scope name: 1 to 128 letters, digits, '_', '.', '@', '/' "
		  "or '-', unique in the workspace without regard to case. "
		  "Changing it replaces the scope and its secrets." },
	{ .name = "initial_manage_principal", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR, .validate = scope_validate_principal,
	  .desc = "\"users\" to give every workspace user MANAGE on the "
		  "scope; by default only the creator has it." },
	{ .name = "backend_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = scope_validate_backend,
	  .desc = "DATABRICKS (the default) or AZURE_KEYVAULT." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The scope name." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- hooks ---------------------------------------------------------------- */

/*
 * scopes/create names the fields otherwise than scopes/list, which the
 * tables follow: "scope" for the name, "scope_backend_type" (DATABRICKS
 * unless a Key Vault backs the scope) and "backend_azure_keyvault".
 */
static int scope_body(cJSON *body, struct tfp_call *call,
		      const struct tfp_value *prior,
		      const struct tfp_value *plan)
{
	const char *backend = tfp_value_get_string(plan, "backend_type");
	cJSON *kv = cJSON_DetachItemFromObjectCaseSensitive(
		body, "keyvault_metadata");

	(void)call;
	(void)prior;
	cJSON_DeleteItemFromObjectCaseSensitive(body, "name");
	cJSON_DeleteItemFromObjectCaseSensitive(body, "backend_type");
	cJSON_AddStringToObject(body, "scope",
				tfp_value_get_string(plan, "name"));
	if (kv != NULL) {
		cJSON_AddItemToObject(body, "backend_azure_keyvault", kv);
		backend = "AZURE_KEYVAULT";
	}
	cJSON_AddStringToObject(body, "scope_backend_type",
				backend ? backend : "DATABRICKS");
	return TFP_OK;
}

/* The list leaves backend_type out for the default backend. */
static void scope_normalize(struct tfp_call *call, struct tfp_value *state,
			    const struct tfp_value *prior)
{
	(void)prior;
	if (tfp_value_get_string(state, "backend_type") == NULL)
		tfp_value_set_string(call->arena, state, "backend_type",
				     "DATABRICKS");
}

/* --- the resource --------------------------------------------------------- */

static const char *const scope_folded[] = {"name", NULL};

/* clang-format off */
static const struct tfp_rres scope_rres = {
	.what = "secret scope",
	.attrs = scope_attrs,
	.blocks = scope_blocks,
	.id = "{name}",
	.import_form = "<name>",
	.create = { .path = "/api/2.0/secrets/scopes/create" },
	/* No get: the cached list, matched on the name. */
	.read = { .path = "/api/2.0/secrets/scopes/list",
		  .flags = TFP_REST_CACHE, .items = "scopes", .key = "name" },
	.del = { .method = "POST", .path = "/api/2.0/secrets/scopes/delete",
		 .id_param = "scope", .flags = TFP_REST_IDEMPOTENT },
	.list = { .path = "/api/2.0/secrets/scopes/list", .items = "scopes",
		  .id_field = "name" },
	.folded = scope_folded,
	.adopt_lost_create = true,
	.body = scope_body,
	.normalize = scope_normalize,
};
/* clang-format on */

const struct tfp_resource tfp_resource_secret_scope = {
	.type_name = "databricks_secret_scope",
	/* The official provider's: a state it wrote loads here. */
	.schema_version = 2,
	.attrs = scope_attrs,
	.blocks = scope_blocks,
	.desc = "A secret scope: a named collection of secrets with its own "
		"access control list. Scopes cannot be changed in place; "
		"changing any argument replaces the scope, and with it every "
		"secret and ACL in it.",
	TFP_RRES_HANDLERS,
	/* .update = NULL: the API cannot change a scope in place. */
	.data = &scope_rres,
};
