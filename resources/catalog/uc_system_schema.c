/*
 * databricks_system_schema: one of the metastore's system schemas
 * (system.access, system.compute, ...) enabled.
 *
 * REST: GET /api/2.1/unity-catalog/metastore_summary (the metastore),
 * GET /api/2.1/unity-catalog/metastores/{id}/systemschemas (every schema
 * and its state), PUT|DELETE
 * /api/2.1/unity-catalog/metastores/{id}/systemschemas/{schema}.
 *
 * Quirks that explain the code:
 *  - The object is a state in a list, not a thing of its own: read finds
 *    the schema in the list, and one that is not enabled
 *    (ENABLE_COMPLETED, ENABLE_INITIALIZED, or UNAVAILABLE for legacy
 *    ones, as the official provider counts them) is gone.
 *  - Some schemas are enabled by Databricks: enabling one answers "can
 *    only be enabled by Databricks", and disabling one "can only be
 *    disabled by Databricks". Both are not errors (the official provider
 *    ignores them); auto_enabled records the first so that destroy
 *    leaves the schema alone.
 *  - There is no update: a new schema name replaces the resource.
 * Import ID: <metastore_id>|<schema> (the official form).
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "call.h"
#include "diag.h"
#include "rest.h"
#include "schema.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr sysschema_attrs[] = {
	{ .name = "schema", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The system schema to enable: access, compute, query, "
		  "storage, ... Changing it replaces the resource." },
	{ .name = "state", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The schema's state in the metastore (ENABLE_COMPLETED)." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The workspace's metastore." },
	{ .name = "full_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "system.<schema>." },
	{ .name = "auto_enabled", .type = &tfp_type_bool,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "True when Databricks enables the schema itself; destroy "
		  "then leaves it enabled." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<metastore_id>|<schema>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure ----------------------------------------------------------------- */

/* States in which the schema counts as enabled (see the header). */
static bool sysschema_enabled(const char *state)
{
	return state && (strcmp(state, "ENABLE_COMPLETED") == 0 ||
			 strcmp(state, "ENABLE_INITIALIZED") == 0 ||
			 strcmp(state, "UNAVAILABLE") == 0);
}

/* Splits "<metastore_id>|<schema>"; false when it is not of that form. */
static bool sysschema_parse_id(struct tfp_arena *a, const char *id,
			       const char **metastore, const char **schema)
{
	const char *bar = id ? strchr(id, '|') : NULL;

	if (!bar || bar == id || !bar[1] || strchr(bar + 1, '|'))
		return false;
	*metastore = tfp_arena_strndup(a, id, (size_t)(bar - id));
	*schema = bar + 1;
	return true;
}

/* --- REST ----------------------------------------------------------------- */

static const char *sysschema_path(struct tfp_call *call, const char *metastore,
				  const char *schema)
{
	return tfp_arena_printf(call->arena, "%s/metastores/%s/systemschemas%s%s",
				TFP_UC_API, tfp_rest_escape(call->arena, metastore),
				schema ? "/" : "",
				schema ? tfp_rest_escape(call->arena, schema) : "");
}

/* The state of the metastore's schema; TFP_ENOTFOUND when not enabled. */
static int sysschema_state(struct tfp_value **out, struct tfp_call *call,
			   const struct tfp_type *type, const char *metastore,
			   const char *schema, bool auto_enabled)
{
	const cJSON *items, *item;
	const char *path = sysschema_path(call, metastore, NULL);
	struct tfp_value *v;
	const char *state = NULL;
	cJSON *reply = NULL;
	int error;

	error = tfp_rest_call(&reply, call, "GET", path, NULL, NULL, 0);
	if (error < 0)
		return error;
	items = cJSON_GetObjectItemCaseSensitive(reply, "schemas");
	cJSON_ArrayForEach(item, items)
	{
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(item, "schema");
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(item, "state");

		if (cJSON_IsString(s) && strcmp(s->valuestring, schema) == 0 &&
		    cJSON_IsString(st))
			state = st->valuestring;
	}
	if (!sysschema_enabled(state)) {
		call->last_error = (struct tfp_api_error){
			.status = 404,
			.error_code = "RESOURCE_DOES_NOT_EXIST",
			.message = tfp_arena_printf(
				call->arena, "System schema %s is %s.", schema,
				state ? state : "not offered by the metastore"),
			.method = "GET",
			.path = path,
		};
		return TFP_ENOTFOUND;
	}
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "schema", schema);
	tfp_value_set_string(call->arena, v, "state", state);
	tfp_value_set_string(call->arena, v, "metastore_id", metastore);
	tfp_value_set_string(call->arena, v, "full_name",
			     tfp_arena_printf(call->arena, "system.%s", schema));
	tfp_value_set(v, "auto_enabled", tfp_value_bool(call->arena, auto_enabled));
	tfp_value_set_string(call->arena, v, "id",
			     tfp_arena_printf(call->arena, "%s|%s", metastore,
					      schema));
	*out = v;
	return TFP_OK;
}

/* The workspace's metastore from its summary. */
static int sysschema_metastore(const char **out, struct tfp_call *call)
{
	cJSON *reply = NULL;
	const cJSON *id;
	int error;

	error = tfp_rest_call(&reply, call, "GET",
			      TFP_UC_API "/metastore_summary", NULL, NULL, 0);
	if (error < 0)
		return error;
	id = cJSON_GetObjectItemCaseSensitive(reply, "metastore_id");
	if (!cJSON_IsString(id) || !*id->valuestring)
		return tfp_call_fail(call, "The workspace has no metastore.");
	*out = id->valuestring;
	return TFP_OK;
}

/* True when the last error's message contains text. */
static bool sysschema_said(const struct tfp_call *call, const char *text)
{
	return call->last_error.message &&
	       strstr(call->last_error.message, text) != NULL;
}

/* --- handlers ------------------------------------------------------------- */

static int sysschema_create(struct tfp_value **out, struct tfp_call *call,
			    const struct tfp_value *plan)
{
	const char *schema = tfp_value_get_string(plan, "schema");
	const char *metastore = NULL;
	bool auto_enabled = false;
	int error;

	error = sysschema_metastore(&metastore, call);
	if (error < 0)
		return error;
	error = tfp_rest_call(NULL, call, "PUT",
			      sysschema_path(call, metastore, schema), NULL,
			      NULL, TFP_REST_IDEMPOTENT);
	if (error < 0) {
		auto_enabled = sysschema_said(call, "can only be enabled by "
						    "Databricks");
		if (!auto_enabled && !sysschema_said(call, "already exists"))
			return error;
		tfp_diags_drop_last(call->diags);
	}
	error = sysschema_state(out, call, plan->type, metastore, schema,
				auto_enabled);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call,
				     "The workspace accepted system schema %s "
				     "but does not list it as enabled.",
				     schema);
	return error;
}

static int sysschema_read(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *prior)
{
	const char *metastore, *schema;

	if (!sysschema_parse_id(call->arena,
				tfp_value_get_string(prior, "id"), &metastore,
				&schema))
		return tfp_call_fail(call, "The state's id is not "
					   "<metastore_id>|<schema>.");
	return sysschema_state(out, call, prior->type, metastore, schema,
			       tfp_value_get_bool(prior, "auto_enabled", false));
}

static int sysschema_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const char *metastore, *schema;
	int error;

	if (tfp_value_get_bool(prior, "auto_enabled", false))
		return TFP_OK;
	if (!sysschema_parse_id(call->arena,
				tfp_value_get_string(prior, "id"), &metastore,
				&schema))
		return tfp_call_fail(call, "The state's id is not "
					   "<metastore_id>|<schema>.");
	error = tfp_rest_call(NULL, call, "DELETE",
			      sysschema_path(call, metastore, schema), NULL,
			      NULL, TFP_REST_IDEMPOTENT);
	if (error == TFP_ENOTFOUND ||
	    (error < 0 &&
	     sysschema_said(call, "can only be disabled by Databricks"))) {
		tfp_diags_drop_last(call->diags);
		return TFP_OK;
	}
	return error;
}

static int sysschema_import(struct tfp_value **out, struct tfp_call *call,
			    const struct tfp_type *type, const char *id)
{
	const char *metastore, *schema;
	struct tfp_value *v;

	if (!sysschema_parse_id(call->arena, id, &metastore, &schema))
		return tfp_diag_error(call->diags, "Invalid import ID",
				      "A system schema is imported by "
				      "<metastore_id>|<schema>.");
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "schema", schema);
	tfp_value_set_string(call->arena, v, "metastore_id", metastore);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

const struct tfp_resource tfp_resource_system_schema = {
	.type_name = "databricks_system_schema",
	.attrs = sysschema_attrs,
	.desc = "A system schema of the workspace's metastore, enabled. "
		"Destroy disables it again.",
	.create = sysschema_create,
	.read = sysschema_read,
	.delete = sysschema_delete,
	.import = sysschema_import,
};
