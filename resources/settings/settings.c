/*
 * The workspace settings of the Settings API, one implementation for
 * every type: databricks_default_namespace_setting,
 * databricks_restrict_workspace_admins_setting,
 * databricks_disable_legacy_dbfs_setting,
 * databricks_disable_legacy_access_setting and
 * databricks_automatic_cluster_update_workspace_setting. Each type is a
 * row of settings_kinds (its API name, field mask, block and how it is
 * deleted) and a tfp_resource whose .data is that row.
 *
 * REST: GET|PATCH|DELETE /api/2.0/settings/types/<api>/names/default.
 *
 * Quirks that explain the code:
 *  - A setting always exists (the workspace's default when never set;
 *    the default namespace is 404 until set): create and update are the
 *    same PATCH, {"allow_missing": true, "field_mask": "<paths>",
 *    "setting": {...}}, and only the paths of the mask are written.
 *  - Every write carries the etag of the value it was made from (the
 *    state's; none on create) and answers with a new one. A write with a
 *    stale etag (someone wrote in between) is 409 RESOURCE_CONFLICT: the
 *    write is made again, once, with the etag a fresh read gives. The
 *    official provider retries the same way (its 404 too: a setting
 *    deleted in between).
 *  - DELETE takes ?etag= and restores the default, under the same etag
 *    rule. The automatic cluster update setting has no DELETE: as the
 *    official provider does, its delete is a PATCH that turns it off.
 *  - The etag is a computed attribute that changes with every write, so
 *    it is planned unknown whenever the setting changes.
 *  - The id is "global", as in the official provider; import takes it.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "validate.h"

#define SETTINGS_API "/api/2.0/settings/types/"

/* One setting type. */
struct settings_kind {
	const char *api;	  /* "default_namespace_ws": the path segment */
	const char *setting_name; /* what the official provider sends */
	const char *field_mask;	  /* the paths a write sets */
	const struct tfp_block *blocks;
	/* NULL: DELETE ?etag=. Else the "setting" a delete PATCHes. */
	const char *off;
};

/* --- schema --------------------------------------------------------------- */

static int validate_admins_status(struct tfp_diags *d,
				  const struct tfp_path *path,
				  const struct tfp_value *v)
{
	static const char *const allowed[] = {
		"ALLOW_ALL", "RESTRICT_TOKENS_AND_JOB_RUN_AS", NULL};

	return tfp_validate_enum(d, path, v, "status", allowed, false,
				 "ALLOW_ALL or RESTRICT_TOKENS_AND_JOB_RUN_AS");
}

static int validate_day(struct tfp_diags *d, const struct tfp_path *path,
			const struct tfp_value *v)
{
	static const char *const allowed[] = {
		"MONDAY", "TUESDAY",  "WEDNESDAY", "THURSDAY",
		"FRIDAY", "SATURDAY", "SUNDAY",	   NULL};

	return tfp_validate_enum(d, path, v, "day_of_week", allowed, false,
				 "MONDAY ... SUNDAY");
}

static int validate_frequency(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	static const char *const allowed[] = {"FIRST_OF_MONTH",
					      "SECOND_OF_MONTH",
					      "THIRD_OF_MONTH",
					      "FOURTH_OF_MONTH",
					      "FIRST_AND_THIRD_OF_MONTH",
					      "SECOND_AND_FOURTH_OF_MONTH",
					      "EVERY_WEEK",
					      NULL};

	return tfp_validate_enum(d, path, v, "frequency", allowed, false,
				 "FIRST_OF_MONTH, SECOND_OF_MONTH, "
				 "THIRD_OF_MONTH, FOURTH_OF_MONTH, "
				 "FIRST_AND_THIRD_OF_MONTH, "
				 "SECOND_AND_FOURTH_OF_MONTH or EVERY_WEEK");
}

/* clang-format off */
/* What every setting has beside its own block. */
static const struct tfp_attr settings_attrs[] = {
	{ .name = "etag", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The version of the setting this state was read at; each "
		  "write makes a new one." },
	{ .name = "setting_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The setting's name: \"default\"." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Always \"global\": a workspace has one of each setting." },
	TFP_ATTR_END
};

static const struct tfp_attr namespace_attrs[] = {
	{ .name = "value", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The catalog queries use when they name none." },
	TFP_ATTR_END
};

static const struct tfp_block namespace_blocks[] = {
	{ .name = "namespace", .nesting = TFP_NEST_LIST, .min_items = 1,
	  .max_items = 1, .attrs = namespace_attrs,
	  .desc = "The default catalog of the workspace." },
	TFP_BLOCK_END
};

static const struct tfp_attr admins_attrs[] = {
	{ .name = "status", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = validate_admins_status,
	  .desc = "ALLOW_ALL, or RESTRICT_TOKENS_AND_JOB_RUN_AS: workspace "
		  "admins may then make tokens only for themselves and set "
		  "run_as only to themselves or service principals they "
		  "use." },
	TFP_ATTR_END
};

static const struct tfp_block admins_blocks[] = {
	{ .name = "restrict_workspace_admins", .nesting = TFP_NEST_LIST,
	  .min_items = 1, .max_items = 1, .attrs = admins_attrs,
	  .desc = "What workspace admins may do on behalf of others." },
	TFP_BLOCK_END
};

static const struct tfp_attr flag_attrs[] = {
	{ .name = "value", .type = &tfp_type_bool, .flags = TFP_REQUIRED,
	  .desc = "True: the legacy feature is off." },
	TFP_ATTR_END
};

static const struct tfp_block dbfs_blocks[] = {
	{ .name = "disable_legacy_dbfs", .nesting = TFP_NEST_LIST,
	  .min_items = 1, .max_items = 1, .attrs = flag_attrs,
	  .desc = "Turns off the DBFS root and mounts." },
	TFP_BLOCK_END
};

static const struct tfp_block access_blocks[] = {
	{ .name = "disable_legacy_access", .nesting = TFP_NEST_LIST,
	  .min_items = 1, .max_items = 1, .attrs = flag_attrs,
	  .desc = "Turns off the Hive metastore, no-isolation clusters and "
		  "the other legacy ways to reach data." },
	TFP_BLOCK_END
};

static const struct tfp_attr window_start_attrs[] = {
	{ .name = "hours", .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .desc = "Hour of the day the window starts (0-23)." },
	{ .name = "minutes", .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .desc = "Minute of the hour the window starts (0-59)." },
	TFP_ATTR_END
};

static const struct tfp_block schedule_blocks[] = {
	{ .name = "window_start_time", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = window_start_attrs,
	  .desc = "When the window starts." },
	TFP_BLOCK_END
};

static const struct tfp_attr schedule_attrs[] = {
	{ .name = "day_of_week", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .validate = validate_day,
	  .desc = "MONDAY ... SUNDAY." },
	{ .name = "frequency", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .validate = validate_frequency,
	  .desc = "Which weeks: FIRST_OF_MONTH ... EVERY_WEEK." },
	TFP_ATTR_END
};

static const struct tfp_block window_blocks[] = {
	{ .name = "week_day_based_schedule", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = schedule_attrs, .blocks = schedule_blocks,
	  .desc = "A weekly schedule." },
	TFP_BLOCK_END
};

static const struct tfp_attr no_attrs[] = { TFP_ATTR_END };

static const struct tfp_block update_blocks[] = {
	{ .name = "maintenance_window", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = no_attrs, .blocks = window_blocks,
	  .desc = "When clusters may be restarted for updates." },
	TFP_BLOCK_END
};

static const struct tfp_attr update_attrs[] = {
	{ .name = "enabled", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Restart clusters to update them in the window." },
	{ .name = "can_toggle", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Whether the setting may be changed (the workspace "
		  "says)." },
	{ .name = "restart_even_if_no_updates_available",
	  .type = &tfp_type_bool, .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Restart in the window even when there is nothing to "
		  "install." },
	TFP_ATTR_END
};

static const struct tfp_block auto_update_blocks[] = {
	{ .name = "automatic_cluster_update_workspace",
	  .nesting = TFP_NEST_LIST, .min_items = 1, .max_items = 1,
	  .attrs = update_attrs, .blocks = update_blocks,
	  .desc = "Automatic cluster updates and their window." },
	TFP_BLOCK_END
};
/* clang-format on */

#define ACU	   "automatic_cluster_update_workspace."
#define ACU_WINDOW ACU "maintenance_window.week_day_based_schedule."

static const struct settings_kind kind_namespace = {
	.api = "default_namespace_ws",
	.setting_name = "default",
	.field_mask = "namespace.value",
	.blocks = namespace_blocks,
};

static const struct settings_kind kind_admins = {
	.api = "restrict_workspace_admins",
	.setting_name = "default",
	.field_mask = "restrict_workspace_admins",
	.blocks = admins_blocks,
};

static const struct settings_kind kind_dbfs = {
	.api = "disable_legacy_dbfs",
	.setting_name = "disable_legacy_dbfs",
	.field_mask = "disable_legacy_dbfs.value",
	.blocks = dbfs_blocks,
};

static const struct settings_kind kind_access = {
	.api = "disable_legacy_access",
	.setting_name = "disable_legacy_access",
	.field_mask = "disable_legacy_access.value",
	.blocks = access_blocks,
};

/* clang-format off */
static const struct settings_kind kind_auto_update = {
	.api = "automatic_cluster_update",
	.setting_name = "default",
	.field_mask = ACU "enabled,"
		      ACU "restart_even_if_no_updates_available,"
		      ACU_WINDOW "day_of_week,"
		      ACU_WINDOW "frequency,"
		      ACU_WINDOW "window_start_time.hours,"
		      ACU_WINDOW "window_start_time.minutes",
	.blocks = auto_update_blocks,
	.off = "{\"automatic_cluster_update_workspace\":{\"enabled\":false}}",
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

static const char *settings_path(struct tfp_call *call,
				 const struct settings_kind *k)
{
	return tfp_arena_printf(call->arena, SETTINGS_API "%s/names/default",
				k->api);
}

/* The PATCH body that writes setting (its fields as JSON, in the arena)
 * at etag (NULL: none). */
static cJSON *settings_patch_body(struct tfp_call *call,
				  const struct settings_kind *k, cJSON *setting,
				  const char *etag)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *s = cJSON_Duplicate(setting, true);

	tfp_arena_defer_json(call->arena, body);
	cJSON_DeleteItemFromObjectCaseSensitive(s, "etag");
	cJSON_DeleteItemFromObjectCaseSensitive(s, "setting_name");
	if (etag != NULL)
		cJSON_AddStringToObject(s, "etag", etag);
	cJSON_AddStringToObject(s, "setting_name", k->setting_name);
	cJSON_AddBoolToObject(body, "allow_missing", true);
	cJSON_AddStringToObject(body, "field_mask", k->field_mask);
	cJSON_AddItemToObject(body, "setting", s);
	return body;
}

/* --- handlers ------------------------------------------------------------- */

/* GETs the setting (at least as recent as etag, which may be NULL). */
static int settings_get(cJSON **out, struct tfp_call *call,
			const struct settings_kind *k, const char *etag)
{
	struct tfp_query q[] = {{"etag", etag}, {NULL, NULL}};

	return tfp_rest_call(out, call, "GET", settings_path(call, k), q, NULL,
			     0);
}

/* Whether the last failure was a stale etag (or a setting deleted in
 * between), which a write with a fresh etag may cure. */
static bool settings_stale(const struct tfp_call *call)
{
	return call->last_error.status == 409 || call->last_error.status == 404;
}

/* The current etag, after a write met a stale one: its diagnostic is
 * retracted when a fresh etag is found. NULL: the setting has none (it
 * was never written). */
static int settings_fresh_etag(const char **out, struct tfp_call *call,
			       const struct settings_kind *k)
{
	cJSON *now = NULL;
	int error;

	tfp_diags_drop_last(call->diags);
	error = settings_get(&now, call, k, NULL);
	*out = NULL;
	if (error == TFP_ENOTFOUND)
		return TFP_OK;
	if (error < 0)
		return error;
	*out = tfp_json_string(now, "etag");
	return TFP_OK;
}

/* PATCHes setting at etag; once more with a fresh etag when it was stale.
 * *reply is the setting as the workspace answers it. */
static int settings_patch(cJSON **reply, struct tfp_call *call,
			  const struct settings_kind *k, cJSON *setting,
			  const char *etag)
{
	const char *path = settings_path(call, k);
	int error;

	error = tfp_rest_call(reply, call, "PATCH", path, NULL,
			      settings_patch_body(call, k, setting, etag), 0);
	if (error != TFP_ERROR || !settings_stale(call))
		return error;
	error = settings_fresh_etag(&etag, call, k);
	if (error < 0)
		return error;
	return tfp_rest_call(reply, call, "PATCH", path, NULL,
			     settings_patch_body(call, k, setting, etag), 0);
}

/* The state for the setting json, with the id. */
static int settings_state(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_type *type,
			  const struct settings_kind *k, const cJSON *json,
			  const struct tfp_value *prior, const char *id)
{
	int error = tfp_jsonmap_to_value(out, call->arena, type, settings_attrs,
					 k->blocks, json, prior, call->diags);

	if (error < 0)
		return error;
	tfp_value_set_string(call->arena, *out, "id", id ? id : "global");
	return TFP_OK;
}

static int settings_write(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan)
{
	const struct settings_kind *k = call->data;
	cJSON *setting = NULL, *reply = NULL;
	int error;

	error = tfp_jsonmap_from_value(&setting, call->arena, settings_attrs,
				       k->blocks, plan, call->diags);
	if (error < 0)
		return error;
	error = settings_patch(&reply, call, k, setting,
			       tfp_value_get_string(prior, "etag"));
	if (error < 0)
		return error;
	return settings_state(out, call, plan->type, k, reply, plan,
			      tfp_value_get_string(prior, "id"));
}

static int settings_create(struct tfp_value **out, struct tfp_call *call,
			   const struct tfp_value *plan)
{
	return settings_write(out, call, NULL, plan);
}

static int settings_update(struct tfp_value **out, struct tfp_call *call,
			   const struct tfp_value *prior,
			   const struct tfp_value *plan)
{
	return settings_write(out, call, prior, plan);
}

static int settings_read(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *prior)
{
	const struct settings_kind *k = call->data;
	cJSON *json = NULL;
	int error;

	error = settings_get(&json, call, k,
			     tfp_value_get_string(prior, "etag"));
	if (error < 0)
		return error;
	return settings_state(out, call, prior->type, k, json, prior,
			      tfp_value_get_string(prior, "id"));
}

static int settings_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct settings_kind *k = call->data;
	const char *etag = tfp_value_get_string(prior, "etag");
	const char *path = settings_path(call, k);
	struct tfp_query q[] = {{"etag", NULL}, {NULL, NULL}};
	int error;

	if (k->off != NULL) {
		cJSON *off = cJSON_Parse(k->off);

		tfp_arena_defer_json(call->arena, off);
		return settings_patch(NULL, call, k, off, etag);
	}
	q[0].value = etag;
	error = tfp_rest_call(NULL, call, "DELETE", path, q, NULL, 0);
	if (error != TFP_ERROR || !settings_stale(call))
		return error;
	error = settings_fresh_etag(&etag, call, k);
	if (error < 0)
		return error;
	q[0].value = etag;
	return tfp_rest_call(NULL, call, "DELETE", path, q, NULL, 0);
}

/* --- the resources -------------------------------------------------------- */

#define SETTINGS_HANDLERS                                                      \
	.attrs = settings_attrs, .create = settings_create,                    \
	.read = settings_read, .update = settings_update,                      \
	.delete = settings_delete

const struct tfp_resource tfp_resource_default_namespace_setting = {
	.type_name = "databricks_default_namespace_setting",
	.blocks = namespace_blocks,
	.desc = "The catalog the workspace's queries use when they name "
		"none. Import ID: global.",
	SETTINGS_HANDLERS,
	.data = &kind_namespace,
};

const struct tfp_resource tfp_resource_restrict_workspace_admins_setting = {
	.type_name = "databricks_restrict_workspace_admins_setting",
	.blocks = admins_blocks,
	.desc = "Whether workspace admins may make tokens and set run_as "
		"for others. Import ID: global.",
	SETTINGS_HANDLERS,
	.data = &kind_admins,
};

const struct tfp_resource tfp_resource_disable_legacy_dbfs_setting = {
	.type_name = "databricks_disable_legacy_dbfs_setting",
	.blocks = dbfs_blocks,
	.desc = "Turns the DBFS root and mounts off. Import ID: global.",
	SETTINGS_HANDLERS,
	.data = &kind_dbfs,
};

const struct tfp_resource tfp_resource_disable_legacy_access_setting = {
	.type_name = "databricks_disable_legacy_access_setting",
	.blocks = access_blocks,
	.desc = "Turns the legacy ways to reach data off. Import ID: global.",
	SETTINGS_HANDLERS,
	.data = &kind_access,
};

const struct tfp_resource
	tfp_resource_automatic_cluster_update_workspace_setting = {
		.type_name = "databricks_automatic_cluster_update_workspace_"
			     "setting",
		.blocks = auto_update_blocks,
		.desc = "Restarts of clusters to update them, and their "
			"window. Import ID: global.",
		SETTINGS_HANDLERS,
		.data = &kind_auto_update,
};
