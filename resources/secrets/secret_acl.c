/*
 * databricks_secret_acl: one principal's permission on a secret scope.
 *
 * REST: POST /api/2.0/secrets/acls/put, GET /api/2.0/secrets/acls/list?scope=,
 * POST /api/2.0/secrets/acls/delete.
 *
 * Quirks that explain the code:
 *  - Read lists the scope's ACLs (cached per scope, like secrets) instead
 *    of one acls/get per ACL: N ACLs of a scope cost one call per provider
 *    process. The list's array is "items", although the docs' example says
 *    "acls".
 *  - put creates or overwrites; the official provider replaces on every
 *    change, so update is NULL here too.
 *  - A permission changed behind Terraform's back reads back as the new
 *    permission, so the next plan replaces it with the configured one.
 * Import ID: "<scope>|||<principal>".
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "importid.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "databricks.h"
#include "validate.h"

#define ACL_ID_SEP "|||"

/* --- schema --------------------------------------------------------------- */

static int acl_validate_permission(struct tfp_diags *d,
				   const struct tfp_path *path,
				   const struct tfp_value *v)
{
	if (strcmp(v->u.str, "READ") == 0 || strcmp(v->u.str, "WRITE") == 0 ||
	    strcmp(v->u.str, "MANAGE") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid secret ACL permission",
				   "permission must be READ, WRITE or MANAGE "
				   "(upper case), not \"%s\".",
				   v->u.str);
}

/* clang-format off */
static const struct tfp_attr acl_attrs[] = {
	{ .name = "scope", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The name of the secret scope." },
	{ .name = "principal", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_validate_principal,
	  .desc = "A user name, group name or service principal application "
		  "ID; \"users\" means every workspace user." },
	{ .name = "permission", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = acl_validate_permission,
	  .desc = "READ, WRITE or MANAGE." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<scope>|||<principal>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* The permission of principal in an acls/list reply, or NULL. */
static const char *acl_find(const cJSON *list, const char *principal)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	const cJSON *it;

	cJSON_ArrayForEach(it, items)
	{
		const char *p = tfp_json_string(it, "principal");

		if (p != NULL && strcmp(p, principal) == 0)
			return tfp_json_string(it, "permission");
	}
	return NULL;
}

static struct tfp_value *acl_state(struct tfp_arena *a,
				   const struct tfp_type *type,
				   const char *scope, const char *principal,
				   const char *permission)
{
	struct tfp_value *v = tfp_value_object(a, type);

	tfp_value_set_string(a, v, "scope", scope);
	tfp_value_set_string(a, v, "principal", principal);
	tfp_value_set_string(a, v, "permission", permission);
	tfp_value_set_string(a, v, "id",
			     tfp_arena_printf(a, "%s" ACL_ID_SEP "%s", scope,
					      principal));
	return v;
}

/* --- handlers ------------------------------------------------------------- */

static int acl_fetch(const char **permission, struct tfp_call *call,
		     const char *scope, const char *principal)
{
	const struct tfp_query q[] = { { "scope", scope }, { NULL, NULL } };
	cJSON *list = NULL;
	int error;

	error = tfp_rest_call(&list, call, "GET", "/api/2.0/secrets/acls/list",
			      q, NULL, TFP_REST_CACHE);
	if (error < 0)
		return error;
	*permission = acl_find(list, principal);
	if (*permission != NULL)
		return TFP_OK;
	call->last_error = (struct tfp_api_error){
		.status = 404,
		.error_code = "RESOURCE_DOES_NOT_EXIST",
		.message = tfp_arena_printf(call->arena,
					    "No ACL for %s in scope %s.",
					    principal, scope),
		.method = "GET",
		.path = "/api/2.0/secrets/acls/list",
	};
	return TFP_ENOTFOUND;
}

static int acl_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *prior)
{
	const char *scope = tfp_value_get_string(prior, "scope");
	const char *principal = tfp_value_get_string(prior, "principal");
	const char *permission = NULL;
	int error;

	error = acl_fetch(&permission, call, scope, principal);
	if (error < 0)
		return error;
	*out = acl_state(call->arena, prior->type, scope, principal,
			 permission);
	return TFP_OK;
}

static int acl_create(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *plan)
{
	const char *scope = tfp_value_get_string(plan, "scope");
	const char *principal = tfp_value_get_string(plan, "principal");
	const char *permission = tfp_value_get_string(plan, "permission");
	cJSON *body = cJSON_CreateObject();
	int error;

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "scope", scope);
	cJSON_AddStringToObject(body, "principal", principal);
	cJSON_AddStringToObject(body, "permission", permission);
	error = tfp_rest_call(NULL, call, "POST", "/api/2.0/secrets/acls/put",
			      NULL, body, TFP_REST_IDEMPOTENT);
	if (error < 0)
		return error;
	*out = acl_state(call->arena, plan->type, scope, principal, permission);
	return TFP_OK;
}

static int acl_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	cJSON *body = cJSON_CreateObject();

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "scope",
				tfp_value_get_string(prior, "scope"));
	cJSON_AddStringToObject(body, "principal",
				tfp_value_get_string(prior, "principal"));
	return tfp_rest_call(NULL, call, "POST", "/api/2.0/secrets/acls/delete",
			     NULL, body, TFP_REST_IDEMPOTENT);
}

static int acl_import(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_type *type, const char *id)
{
	const char *parts[2];
	struct tfp_value *v;
	int error;

	error = tfp_importid_split(parts, 2, call->arena, call->diags, id,
				   ACL_ID_SEP, "<scope>|||<principal>");
	if (error < 0)
		return error;
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "scope", parts[0]);
	tfp_value_set_string(call->arena, v, "principal", parts[1]);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

const struct tfp_resource tfp_resource_secret_acl = {
	.type_name = "databricks_secret_acl",
	.attrs = acl_attrs,
	.desc = "A principal's permission (READ, WRITE or MANAGE) on a secret "
		"scope. Changing any argument replaces the ACL.",
	.create = acl_create,
	.read = acl_read,
	.delete = acl_delete,
	.import = acl_import,
};
