/*
 * databricks_workspace_binding: one workspace bound to an isolated
 * catalog, external location or storage credential, read-write or
 * read-only.
 *
 * REST: GET|PATCH /api/2.1/unity-catalog/bindings/{securable_type}/{name};
 * the PATCH takes {"add": [...], "remove": [...]} of
 * {workspace_id, binding_type}.
 *
 * Quirks that explain the code:
 *  - A binding is an element of the securable's list: read finds the
 *    workspace in it, and a workspace missing from it is gone. A missing
 *    securable is its kind's 404 (gone as well).
 *  - Only an isolated securable (a catalog's isolation_mode ISOLATED,
 *    a location's or credential's ISOLATION_MODE_ISOLATED) takes
 *    bindings; the workspace refuses others (400), quoted.
 *  - securable_type defaults to catalog; catalog_name is the deprecated
 *    spelling of securable_name, exactly one of the two is set. Older
 *    configurations write external-location; the API's type has '_'.
 *  - There is no update: every argument replaces the binding, as in the
 *    official provider.
 * Import ID: <workspace_id>|<securable_type>|<securable_name> (the
 * official form).
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "call.h"
#include "diag.h"
#include "rest.h"
#include "schema.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

static int binding_validate_type(struct tfp_diags *d, const struct tfp_path *path,
				 const struct tfp_value *v)
{
	static const char *const allowed[] = {"catalog", "external_location",
					      "storage_credential",
					      "credential", NULL};

	return tfp_catalog__check_enum(d, path, v, "securable_type", allowed,
				       "catalog, external_location, "
				       "storage_credential or credential");
}

static int binding_validate_binding(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v)
{
	static const char *const allowed[] = {"BINDING_TYPE_READ_WRITE",
					      "BINDING_TYPE_READ_ONLY", NULL};

	return tfp_catalog__check_enum(d, path, v, "binding_type", allowed,
				       "BINDING_TYPE_READ_WRITE or "
				       "BINDING_TYPE_READ_ONLY");
}

/* clang-format off */
static const struct tfp_attr binding_attrs[] = {
	{ .name = "workspace_id", .type = &tfp_type_number,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The workspace to bind." },
	{ .name = "securable_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The catalog, external location or storage credential. "
		  "Exactly one of securable_name and catalog_name." },
	{ .name = "securable_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .default_string = "catalog",
	  .validate = binding_validate_type,
	  .desc = "catalog (the default), external_location, "
		  "storage_credential or credential." },
	{ .name = "catalog_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW | TFP_DEPRECATED,
	  .desc = "Deprecated: securable_name of a catalog." },
	{ .name = "binding_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .default_string = "BINDING_TYPE_READ_WRITE",
	  .validate = binding_validate_binding,
	  .desc = "BINDING_TYPE_READ_WRITE (the default) or "
		  "BINDING_TYPE_READ_ONLY." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<workspace_id>|<securable_type>|<securable_name>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure ----------------------------------------------------------------- */

/* What a binding names. */
struct binding_key {
	int64_t workspace_id;
	const char *type; /* as the API spells it: '_', not '-' */
	const char *name;
};

/* type with '-' read as '_' (external-location), in a. */
static const char *binding_api_type(struct tfp_arena *a, const char *type)
{
	char *t = tfp_arena_strdup(a, type), *p;

	for (p = t; *p; p++)
		if (*p == '-')
			*p = '_';
	return t;
}

/* Parses "<workspace_id>|<securable_type>|<securable_name>". */
static bool binding_parse_id(struct binding_key *k, struct tfp_arena *a,
			     const char *id)
{
	const char *b1 = id ? strchr(id, '|') : NULL;
	const char *b2 = b1 ? strchr(b1 + 1, '|') : NULL;
	char *end;
	long long ws;

	if (!b1 || !b2 || b1 == id || b2 == b1 + 1 || !b2[1])
		return false;
	ws = strtoll(id, &end, 10);
	if (end != b1 || ws <= 0)
		return false;
	k->workspace_id = ws;
	k->type = binding_api_type(
		a, tfp_arena_strndup(a, b1 + 1, (size_t)(b2 - b1 - 1)));
	k->name = b2 + 1;
	return true;
}

/* The key of a plan or state; false when something is not known. */
static bool binding_key_of(struct binding_key *k, struct tfp_arena *a,
			   const struct tfp_value *obj)
{
	const char *type = tfp_value_get_string(obj, "securable_type");

	k->name = tfp_value_get_string(obj, "securable_name");
	if (!k->name)
		k->name = tfp_value_get_string(obj, "catalog_name");
	k->type = binding_api_type(a, type ? type : "catalog");
	return k->name && tfp_value_get_int(obj, "workspace_id",
					    &k->workspace_id);
}

static const char *binding_path(struct tfp_call *call,
				const struct binding_key *k)
{
	return tfp_arena_printf(call->arena, "%s/bindings/%s/%s", TFP_UC_API,
				tfp_rest_escape(call->arena, k->type),
				tfp_rest_escape(call->arena, k->name));
}

/* --- REST ----------------------------------------------------------------- */

/* The state of k's binding; TFP_ENOTFOUND when the workspace is unbound. */
static int binding_state(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_type *type,
			 const struct binding_key *k,
			 const struct tfp_value *prior)
{
	const char *path = binding_path(call, k);
	const cJSON *item, *found = NULL;
	cJSON *reply = NULL;
	struct tfp_value *v;
	int error;

	error = tfp_rest_call(&reply, call, "GET", path, NULL, NULL, 0);
	if (error < 0)
		return error;
	cJSON_ArrayForEach(item,
			   cJSON_GetObjectItemCaseSensitive(reply, "bindings"))
	{
		const cJSON *ws =
			cJSON_GetObjectItemCaseSensitive(item, "workspace_id");

		if (cJSON_IsNumber(ws) && (int64_t)ws->valuedouble ==
						  k->workspace_id)
			found = item;
	}
	if (!found) {
		call->last_error = (struct tfp_api_error){
			.status = 404,
			.error_code = "RESOURCE_DOES_NOT_EXIST",
			.message = tfp_arena_printf(
				call->arena,
				"%s has no binding to workspace %" PRId64 ".",
				k->name, k->workspace_id),
			.method = "GET",
			.path = path,
		};
		return TFP_ENOTFOUND;
	}
	v = tfp_value_object(call->arena, type);
	tfp_value_set(v, "workspace_id",
		      tfp_value_int(call->arena, k->workspace_id));
	tfp_value_set_string(call->arena, v, "securable_name", k->name);
	/* The configuration's spelling of the type (external-location) is
	 * the same type. */
	tfp_value_set_string(
		call->arena, v, "securable_type",
		prior && tfp_value_get_string(prior, "securable_type")
			? tfp_value_get_string(prior, "securable_type")
			: k->type);
	if (prior)
		tfp_value_set(v, "catalog_name",
			      tfp_value_get(prior, "catalog_name"));
	{
		const cJSON *bt =
			cJSON_GetObjectItemCaseSensitive(found, "binding_type");

		tfp_value_set_string(call->arena, v, "binding_type",
				     cJSON_IsString(bt)
					     ? bt->valuestring
					     : "BINDING_TYPE_READ_WRITE");
	}
	tfp_value_set_string(call->arena, v, "id",
			     tfp_arena_printf(call->arena, "%" PRId64 "|%s|%s",
					      k->workspace_id, k->type,
					      k->name));
	*out = v;
	return TFP_OK;
}

/* PATCHes the binding of k into "add" or "remove". */
static int binding_patch(struct tfp_call *call, const struct binding_key *k,
			 const char *op, const char *binding_type)
{
	cJSON *body = cJSON_CreateObject(), *item;
	int error;

	item = cJSON_CreateObject();
	cJSON_AddNumberToObject(item, "workspace_id", (double)k->workspace_id);
	if (binding_type)
		cJSON_AddStringToObject(item, "binding_type", binding_type);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, op), item);
	error = tfp_rest_call(NULL, call, "PATCH", binding_path(call, k), NULL,
			      body, TFP_REST_IDEMPOTENT);
	cJSON_Delete(body);
	return error;
}

/* --- handlers ------------------------------------------------------------- */

static int binding_create(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *plan)
{
	struct binding_key k;
	int error;

	if (!binding_key_of(&k, call->arena, plan))
		return tfp_call_fail(call, "The binding names no workspace "
					   "or securable.");
	error = binding_patch(call, &k, "add",
			      tfp_value_get_string(plan, "binding_type"));
	if (error < 0)
		return error;
	error = binding_state(out, call, plan->type, &k, plan);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "The workspace accepted the binding "
					   "but does not list it.");
	return error;
}

static int binding_read(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *prior)
{
	struct binding_key k;

	if (!binding_parse_id(&k, call->arena,
			      tfp_value_get_string(prior, "id")))
		return tfp_call_fail(call, "The state's id is not "
					   "<workspace_id>|<securable_type>|"
					   "<securable_name>.");
	return binding_state(out, call, prior->type, &k, prior);
}

static int binding_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	struct binding_key k;
	int error;

	if (!binding_parse_id(&k, call->arena,
			      tfp_value_get_string(prior, "id")))
		return tfp_call_fail(call, "The state's id is not "
					   "<workspace_id>|<securable_type>|"
					   "<securable_name>.");
	error = binding_patch(call, &k, "remove", NULL);
	if (error == TFP_ENOTFOUND) {
		tfp_diags_drop_last(call->diags);
		return TFP_OK;
	}
	return error;
}

static int binding_import(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_type *type, const char *id)
{
	struct binding_key k;
	struct tfp_value *v;

	if (!binding_parse_id(&k, call->arena, id))
		return tfp_diag_error(call->diags, "Invalid import ID",
				      "A workspace binding is imported by "
				      "<workspace_id>|<securable_type>|"
				      "<securable_name>.");
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

/* Exactly one of securable_name and catalog_name, as the official
 * provider asks. */
static int binding_modify_plan(struct tfp_call *call,
			       const struct tfp_value *prior,
			       const struct tfp_value *config,
			       struct tfp_value *plan)
{
	const struct tfp_value *s = tfp_value_get(config, "securable_name");
	const struct tfp_value *c = tfp_value_get(config, "catalog_name");
	bool has_s = s && !tfp_value_is_null(s);
	bool has_c = c && !tfp_value_is_null(c);

	(void)prior;
	if (!config || !tfp_value_is_known(config))
		return TFP_OK;
	if (has_s == has_c)
		return tfp_diag_error(call->diags, "Invalid arguments",
				      "Exactly one of securable_name and "
				      "catalog_name must be set.");
	if (has_c && plan && tfp_value_is_known(plan))
		tfp_value_set(plan, "securable_name",
			      tfp_value_copy(call->arena, c));
	return TFP_OK;
}

const struct tfp_resource tfp_resource_workspace_binding = {
	.type_name = "databricks_workspace_binding",
	.attrs = binding_attrs,
	.schema_version = 1,
	.desc = "A workspace bound to an isolated catalog, external location "
		"or storage credential. Any change replaces the binding.",
	.create = binding_create,
	.read = binding_read,
	.delete = binding_delete,
	.import = binding_import,
	.modify_plan = binding_modify_plan,
};
