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
 *    is lost (TFP_EUNCERTAIN: the request may have been carried out),
 *    create lists the scopes, bypassing the read cache: a scope of that
 *    name (any case) means the lost create made it, and it is adopted (the
 *    uncertain diagnostic dropped); no scope means nothing was made, and
 *    the create is sent again, at most SCOPE_CREATE_TRIES times in all.
 * Import ID: the scope name.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "log.h"
#include "rest.h"
#include "schema.h"
#include "validate.h"

#define SCOPE_NAME_MAX 128
#define SCOPE_CREATE_TRIES 3

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

static const struct tfp_attr scope_keyvault_attrs[] = {
	{ .name = "resource_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Azure resource ID of the Key Vault." },
	{ .name = "dns_name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The DNS name of the Key Vault, e.g. "
		  "https://x.vault.azure.net/." },
	TFP_ATTR_END
};

static const struct tfp_block scope_blocks[] = {
	{ .name = "keyvault_metadata", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = scope_keyvault_attrs,
	  .desc = "An Azure Key Vault that backs the scope (Azure workspaces "
		  "only)." },
	TFP_BLOCK_END
};

static const struct tfp_attr scope_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = scope_validate_name,
	  .desc = "Scope name: 1 to 128 letters, digits, '_', '.', '@', '/' "
		  "or '-', unique in the workspace without regard to case. "
		  "Changing it replaces the scope and its secrets." },
	{ .name = "initial_manage_principal", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .validate = scope_validate_principal,
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

/* --- pure functions ------------------------------------------------------- */

/* The scopes/create body for a planned scope. */
static cJSON *scope_create_body(const struct tfp_value *plan)
{
	const struct tfp_value *kv = tfp_value_get(plan, "keyvault_metadata");
	const char *principal =
		tfp_value_get_string(plan, "initial_manage_principal");
	const char *backend = tfp_value_get_string(plan, "backend_type");
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "scope",
				tfp_value_get_string(plan, "name"));
	if (principal != NULL)
		cJSON_AddStringToObject(body, "initial_manage_principal",
					principal);
	if (tfp_value_is_known(kv) && kv->u.coll.n > 0) {
		cJSON *akv = cJSON_AddObjectToObject(body,
						     "backend_azure_keyvault");

		cJSON_AddStringToObject(
			akv, "resource_id",
			tfp_value_get_string(kv->u.coll.items[0],
					     "resource_id"));
		cJSON_AddStringToObject(akv, "dns_name",
					tfp_value_get_string(kv->u.coll.items[0],
							     "dns_name"));
		backend = "AZURE_KEYVAULT";
	}
	cJSON_AddStringToObject(body, "scope_backend_type",
				backend ? backend : "DATABRICKS");
	return body;
}

/*
 * Finds name in a scopes/list reply. An exact match wins; otherwise a
 * match without regard to case, because the workspace treats "Prod" and
 * "prod" as the same scope.
 */
static const cJSON *scope_find(const cJSON *list, const char *name)
{
	const cJSON *scopes = cJSON_GetObjectItemCaseSensitive(list, "scopes");
	const cJSON *s, *folded = NULL;

	cJSON_ArrayForEach(s, scopes)
	{
		const char *n = tfp_json_string(s, "name");

		if (n == NULL)
			continue;
		if (strcmp(n, name) == 0)
			return s;
		if (folded == NULL && strcasecmp(n, name) == 0)
			folded = s;
	}
	return folded;
}

/* The state for a listed scope; prior supplies what the API never says. */
static struct tfp_value *scope_state(struct tfp_arena *a,
				     const struct tfp_type *type,
				     const cJSON *scope,
				     const struct tfp_value *prior)
{
	struct tfp_value *out = tfp_value_object(a, type);
	const char *backend = tfp_json_string(scope, "backend_type");
	const cJSON *kv = cJSON_GetObjectItemCaseSensitive(scope,
							   "keyvault_metadata");
	const struct tfp_type *kv_type =
		type->attr_types[tfp_type_attr_index(type, "keyvault_metadata")];
	struct tfp_value *kv_list;

	tfp_value_set_string(a, out, "name", tfp_json_string(scope, "name"));
	tfp_value_set_string(a, out, "id", tfp_json_string(scope, "name"));
	tfp_value_set_string(a, out, "backend_type",
			     backend ? backend : "DATABRICKS");
	if (prior != NULL)
		tfp_value_set(out, "initial_manage_principal",
			      tfp_value_get(prior, "initial_manage_principal"));
	if (cJSON_IsObject(kv)) {
		struct tfp_value *item = tfp_value_object(a, kv_type->elem);

		tfp_value_set_string(a, item, "resource_id",
				     tfp_json_string(kv, "resource_id"));
		tfp_value_set_string(a, item, "dns_name",
				     tfp_json_string(kv, "dns_name"));
		kv_list = tfp_value_collection(a, kv_type, 1);
		kv_list->u.coll.items[0] = item;
	} else {
		kv_list = tfp_value_collection(a, kv_type, 0);
	}
	tfp_value_set(out, "keyvault_metadata", kv_list);
	return out;
}

/* --- handlers ------------------------------------------------------------- */

/* flags: TFP_REST_CACHE, or 0 to ask the workspace itself. */
static int scope_fetch(const cJSON **out, struct tfp_call *call,
		       const char *name, unsigned flags)
{
	cJSON *list = NULL;
	int error;

	error = tfp_rest_call(&list, call, "GET", "/api/2.0/secrets/scopes/list",
			      NULL, NULL, flags);
	if (error < 0)
		return error;
	*out = scope_find(list, name);
	if (*out != NULL)
		return TFP_OK;
	call->last_error = (struct tfp_api_error){
		.status = 404,
		.error_code = "RESOURCE_DOES_NOT_EXIST",
		.message = tfp_arena_printf(call->arena,
					    "Scope %s is not in the list of "
					    "scopes.",
					    name),
		.method = "GET",
		.path = "/api/2.0/secrets/scopes/list",
	};
	return TFP_ENOTFOUND;
}

static int scope_read(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *prior)
{
	const char *name = tfp_value_get_string(prior, "id");
	const cJSON *scope = NULL;
	int error;

	if (name == NULL)
		name = tfp_value_get_string(prior, "name");
	error = scope_fetch(&scope, call, name, TFP_REST_CACHE);
	if (error < 0)
		return error;
	*out = scope_state(call->arena, prior->type, scope, prior);
	/* The same scope spelt with other case is not drift. */
	if (tfp_value_get_string(prior, "name") != NULL &&
	    strcasecmp(tfp_value_get_string(prior, "name"),
		       tfp_value_get_string(*out, "name")) == 0)
		tfp_value_set(*out, "name", tfp_value_get(prior, "name"));
	return TFP_OK;
}

/*
 * Sends scopes/create so that the scope gets made exactly once although
 * answers may be lost: after a TFP_EUNCERTAIN the list (fresh, not
 * cached) says whether the lost create made the scope. Returns TFP_OK when
 * the scope exists, else the last create's code and diagnostic.
 */
static int scope_create_once(struct tfp_call *call, const cJSON *body,
			     const char *name)
{
	const cJSON *found = NULL;
	int tries, error = TFP_ERROR, check;

	for (tries = 1; tries <= SCOPE_CREATE_TRIES; tries++) {
		error = tfp_rest_post(NULL, call,
				      "/api/2.0/secrets/scopes/create", body);
		if (error != TFP_EUNCERTAIN)
			return error;
		check = scope_fetch(&found, call, name, 0);
		if (check == TFP_OK) {
			tfp_log(TFP_LOG_INFO, "secret_scope",
				"the answer to creating scope %s was lost; "
				"the scope exists, so the create happened",
				name);
			tfp_diags_drop_last(call->diags);
			return TFP_OK;
		}
		if (check != TFP_ENOTFOUND)
			return check; /* both diagnostics stand */
		tfp_log(TFP_LOG_INFO, "secret_scope",
			"the answer to creating scope %s was lost and the "
			"scope does not exist (try %d of %d)",
			name, tries, SCOPE_CREATE_TRIES);
		if (tries < SCOPE_CREATE_TRIES)
			tfp_diags_drop_last(call->diags);
	}
	/* The last diagnostic says the outcome is unknown; the list has
	 * just said that nothing was made. */
	return TFP_ERROR;
}

static int scope_create(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *plan)
{
	cJSON *body = scope_create_body(plan);
	const cJSON *scope = NULL;
	int error;

	tfp_arena_defer_json(call->arena, body);
	error = scope_create_once(call, body,
				  tfp_value_get_string(plan, "name"));
	if (error < 0)
		return error;
	/* The scope exists from here on: if the read-back fails, Terraform
	 * still records it from the plan. */
	*out = tfp_value_copy(call->arena, plan);
	tfp_value_set_string(call->arena, *out, "id",
			     tfp_value_get_string(plan, "name"));
	error = scope_fetch(&scope, call, tfp_value_get_string(plan, "name"),
			    TFP_REST_CACHE);
	if (error < 0) {
		if (error == TFP_ENOTFOUND)
			error = tfp_diag_error(
				call->diags,
				"Failed to create databricks_secret_scope",
				"The workspace accepted the scope but does "
				"not list it.");
		if (tfp_value_is_unknown(tfp_value_get(*out, "backend_type")))
			tfp_value_set_string(call->arena, *out,
					     "backend_type", "DATABRICKS");
		return error;
	}
	*out = scope_state(call->arena, plan->type, scope, plan);
	/* Keep the configured spelling of the name: the workspace matches
	 * names without regard to case. */
	tfp_value_set(*out, "name", tfp_value_get(plan, "name"));
	return TFP_OK;
}

static int scope_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	cJSON *body = cJSON_CreateObject();

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "scope", tfp_value_get_string(prior, "id"));
	return tfp_rest_call(NULL, call, "POST",
			     "/api/2.0/secrets/scopes/delete", NULL, body,
			     TFP_REST_IDEMPOTENT);
}

const struct tfp_resource tfp_resource_secret_scope = {
	.type_name = "databricks_secret_scope",
	.attrs = scope_attrs,
	.blocks = scope_blocks,
	.desc = "A secret scope: a named collection of secrets with its own "
		"access control list. Scopes cannot be changed in place; "
		"changing any argument replaces the scope, and with it every "
		"secret and ACL in it.",
	.create = scope_create,
	.read = scope_read,
	.delete = scope_delete,
	/* .update = NULL: the API cannot change a scope in place. */
};
