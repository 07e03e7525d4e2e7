/*
 * databricks_sql_endpoint (a SQL warehouse) and the data sources
 * databricks_sql_warehouse (one warehouse by id or name) and
 * databricks_sql_warehouses (warehouse ids).
 *
 * REST (SQL Warehouses API 2.0):
 *   POST   /api/2.0/sql/warehouses            the settings -> {id}
 *   GET    /api/2.0/sql/warehouses/{id}       the warehouse, with state,
 *                                             num_clusters, health,
 *                                             jdbc_url, odbc_params
 *   POST   /api/2.0/sql/warehouses/{id}/edit  the settings
 *   DELETE /api/2.0/sql/warehouses/{id}
 *   GET    /api/2.0/sql/warehouses            -> {warehouses: [...]}
 *   GET    /api/2.0/preview/sql/data_sources  -> [{id, name, warehouse_id}]
 *
 * Quirks that explain the code:
 *  - data_source_id is not part of the warehouse: it comes from the legacy
 *    data sources list, matched by warehouse_id, as the official provider
 *    reads it (a list that fails leaves it out rather than failing).
 *  - A new warehouse is STARTING; create waits until it is RUNNING (the
 *    official provider's 30 minutes, or timeouts.create) unless no_wait.
 *    One that ends STOPPED or DELETED instead is an error, and it stays in
 *    the state (tainted) so that the next apply replaces it. (The official
 *    provider deletes it instead.) Update and read never start anything.
 *  - state, num_clusters, num_active_sessions and health describe what
 *    the warehouse is doing, not its settings: warehouses auto-stop when
 *    idle and start on the first query. A refresh keeps the values of the
 *    last create, edit or import, so a scheduled drift check (plan
 *    -refresh-only -detailed-exitcode) does not report an auto-stop.
 *  - GET answers a deleted warehouse as DELETING, then DELETED for a
 *    while, before 404: both mean gone.
 *  - The service fills min_num_clusters (1), warehouse_type (CLASSIC),
 *    enable_serverless_compute and channel ({name: CHANNEL_NAME_CURRENT}),
 *    which are optional+computed (channel's default block reads as no
 *    block); auto_stop_mins (120), enable_photon (true), max_num_clusters
 *    (1) and spot_instance_policy (COST_OPTIMIZED) have the official
 *    provider's defaults, so a change made elsewhere is drift that apply
 *    undoes.
 *  - edit is sent with every setting, as the official provider does; a
 *    channel, tags or instance profile taken out of the configuration is
 *    sent as the default or empty so the service drops it. Tags with no
 *    custom tags read as no tags block.
 *  - odbc_params and health are objects in the API and lists of one
 *    object in the official schema (computed), so reads wrap them.
 *  - cluster_size (2X-Small .. 4X-Large), max_num_clusters (1 to 30) and
 *    warehouse_type (PRO, CLASSIC) are checked at plan time, as the
 *    official provider checks them.
 * Import ID: the warehouse id.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "compute/cluster_spec.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "sql_internal.h"
#include "validate.h"
#include "wait.h"

#define WH_API		"/api/2.0/sql/warehouses"
#define WH_DATA_SOURCES "/api/2.0/preview/sql/data_sources"
/* The official provider's create timeout. */
#define WH_WAIT_MS (30L * 60 * 1000)
/* Its upper bound of max_num_clusters. */
#define WH_MAX_CLUSTERS 30

/* --- validators ----------------------------------------------------------- */

static int wh_validate_size(struct tfp_diags *d, const struct tfp_path *path,
			    const struct tfp_value *v)
{
	static const char *const sizes[] = {
		"2X-Small", "X-Small",	"Small",    "Medium",	"Large",
		"X-Large",  "2X-Large", "3X-Large", "4X-Large", NULL,
	};

	return tfp_validate_enum(d, path, v, "cluster_size", sizes, false,
				 "2X-Small, X-Small, Small, Medium, Large, "
				 "X-Large, 2X-Large, 3X-Large or 4X-Large");
}

static int wh_validate_type(struct tfp_diags *d, const struct tfp_path *path,
			    const struct tfp_value *v)
{
	static const char *const types[] = {"PRO", "CLASSIC", NULL};

	return tfp_validate_enum(d, path, v, "warehouse_type", types, false,
				 "PRO or CLASSIC");
}

static int wh_validate_max(struct tfp_diags *d, const struct tfp_path *path,
			   const struct tfp_value *v)
{
	if (v->u.num.kind == TFP_NUM_INT && v->u.num.i >= 1 &&
	    v->u.num.i <= WH_MAX_CLUSTERS)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid max_num_clusters",
				   "max_num_clusters is a whole number from 1 "
				   "to %d.",
				   WH_MAX_CLUSTERS);
}

/* --- schema: the resource ------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr wh_channel_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .default_string = "CHANNEL_NAME_CURRENT",
	  .desc = "The release channel: CHANNEL_NAME_CURRENT (the default) "
		  "or CHANNEL_NAME_PREVIEW." },
	{ .name = "dbsql_version", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A Databricks SQL version, for a custom channel." },
	TFP_ATTR_END
};

static const struct tfp_attr wh_tag_attrs[] = {
	{ .name = "key", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The tag's key." },
	{ .name = "value", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The tag's value." },
	TFP_ATTR_END
};

static const struct tfp_block wh_tags_blocks[] = {
	{ .name = "custom_tags", .nesting = TFP_NEST_LIST,
	  .attrs = wh_tag_attrs,
	  .desc = "One tag on the warehouse's cloud resources." },
	TFP_BLOCK_END
};

static const struct tfp_attr wh_no_attrs[] = { TFP_ATTR_END };

static const struct tfp_attr wh_odbc_attrs[] = {
	{ .name = "hostname", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The workspace's host name." },
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The warehouse's HTTP path." },
	{ .name = "port", .type = &tfp_type_number, .flags = TFP_COMPUTED,
	  .desc = "The port (443)." },
	{ .name = "protocol", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The protocol (https)." },
	TFP_ATTR_END
};

static const struct tfp_attr wh_reason_attrs[] = {
	{ .name = "code", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "What went wrong, as a code." },
	{ .name = "parameters", .type = &tfp_type_map_string,
	  .flags = TFP_COMPUTED, .desc = "Details of the failure." },
	{ .name = "type", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "SUCCESS, CLIENT_ERROR, SERVICE_FAULT or "
		  "CLOUD_FAILURE." },
	TFP_ATTR_END
};

static const struct tfp_attr wh_health_attrs[] = {
	{ .name = "details", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "More about the health." },
	{ .name = "failure_reason", .nested = wh_reason_attrs,
	  .nesting = TFP_NEST_LIST, .flags = TFP_COMPUTED,
	  .desc = "Why the warehouse is unhealthy." },
	{ .name = "message", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The health message." },
	{ .name = "status", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "HEALTHY, DEGRADED or FAILED." },
	{ .name = "summary", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "A short summary." },
	TFP_ATTR_END
};

static const struct tfp_attr wh_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The warehouse's name, unique in the workspace." },
	{ .name = "cluster_size", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = wh_validate_size,
	  .desc = "The size of each cluster: 2X-Small, X-Small, Small, "
		  "Medium, Large, X-Large, 2X-Large, 3X-Large or 4X-Large." },
	{ .name = "min_num_clusters", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The fewest clusters while running (the service's default "
		  "is 1)." },
	{ .name = "max_num_clusters", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .validate = wh_validate_max,
	  .desc = "The most clusters while running, 1 to 30 (default 1)." },
	{ .name = "auto_stop_mins", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Idle minutes before the warehouse stops (default 120; 0: "
		  "never)." },
	{ .name = "spot_instance_policy", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .default_string = "COST_OPTIMIZED",
	  .desc = "COST_OPTIMIZED (the default) or RELIABILITY_OPTIMIZED." },
	{ .name = "enable_photon", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether the clusters use Photon (default true)." },
	{ .name = "enable_serverless_compute", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether the warehouse is serverless (needs warehouse_type "
		  "PRO); the workspace decides when left out." },
	{ .name = "warehouse_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .validate = wh_validate_type,
	  .desc = "PRO or CLASSIC; the workspace decides when left out." },
	{ .name = "instance_profile_arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "An AWS instance profile for the clusters." },
	{ .name = "data_source_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The warehouse's legacy data source id (for the legacy "
		  "SQL queries API)." },
	{ .name = "no_wait", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_NO_JSON,
	  .desc = "Do not wait for a new warehouse to be running (default "
		  "false)." },
	{ .name = "jdbc_url", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The JDBC connection string." },
	{ .name = "odbc_params", .nested = wh_odbc_attrs,
	  .nesting = TFP_NEST_LIST, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The ODBC connection settings." },
	{ .name = "creator_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Who created the warehouse." },
	{ .name = "state", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The state when Terraform last created, changed or imported "
		  "the warehouse (RUNNING, STOPPED, ...). Refreshes keep it: "
		  "auto-stopping and starting are not drift." },
	{ .name = "num_clusters", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "Clusters running, as of the last create, change or "
		  "import." },
	{ .name = "num_active_sessions", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "Active sessions, as of the last create, change or "
		  "import." },
	{ .name = "health", .nested = wh_health_attrs,
	  .nesting = TFP_NEST_LIST, .flags = TFP_COMPUTED,
	  .desc = "The warehouse's health, as of the last create, change or "
		  "import." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The warehouse's id: the import ID." },
	TFP_ATTR_END
};

static const struct tfp_block wh_blocks[] = {
	{ .name = "channel", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = wh_channel_attrs,
	  .server_default = "{\"name\":\"CHANNEL_NAME_CURRENT\"}",
	  .desc = "The Databricks SQL release channel." },
	{ .name = "tags", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = wh_no_attrs, .blocks = wh_tags_blocks,
	  .desc = "Tags on every cloud resource of the warehouse." },
	{ .name = "timeouts", .nesting = TFP_NEST_SINGLE, .flags = TFP_NO_JSON,
	  .attrs = tfp_timeouts_attrs,
	  .desc = "How long create waits for the warehouse to run (default "
		  "30m); update and delete do not wait." },
	TFP_BLOCK_END
};
/* clang-format on */

/* The settings create and edit take. */
static const char *const wh_fields[] = {
	"name",
	"cluster_size",
	"min_num_clusters",
	"max_num_clusters",
	"auto_stop_mins",
	"spot_instance_policy",
	"enable_photon",
	"enable_serverless_compute",
	"warehouse_type",
	"instance_profile_arn",
	"channel",
	"tags",
	NULL,
};

/* What the warehouse is doing rather than how it is set: kept from the
 * prior state by refreshes. */
static const char *const wh_run_fields[] = {
	"state", "num_clusters", "num_active_sessions", "health", NULL,
};

/* --- pure functions ------------------------------------------------------- */

bool tfp_sql__warehouse_deleted(const cJSON *json)
{
	const char *state = tfp_json_string(json, "state");

	return state != NULL && (strcmp(state, "DELETED") == 0 ||
				 strcmp(state, "DELETING") == 0);
}

/* Replaces the object member name of obj by a list holding it. */
static void wh_wrap(cJSON *obj, const char *name)
{
	cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, name);
	cJSON *list;

	if (!cJSON_IsObject(m))
		return;
	list = cJSON_CreateArray();
	cJSON_AddItemToArray(list, cJSON_DetachItemViaPointer(obj, m));
	cJSON_AddItemToObject(obj, name, list);
}

void tfp_sql__warehouse_shape(cJSON *json, bool wrap)
{
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(json, "tags");

	if (tags != NULL && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				    tags, "custom_tags")) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(json, "tags");
	if (!wrap)
		return;
	wh_wrap(cJSON_GetObjectItemCaseSensitive(json, "health"),
		"failure_reason");
	wh_wrap(json, "health");
	wh_wrap(json, "odbc_params");
}

const char *tfp_sql__data_source_id(const cJSON *list, const char *id)
{
	const cJSON *ds;

	cJSON_ArrayForEach(ds, list)
	{
		const char *w = tfp_json_string(ds, "warehouse_id");

		if (w != NULL && strcmp(w, id) == 0)
			return tfp_json_string(ds, "id");
	}
	return NULL;
}

/* --- calls ---------------------------------------------------------------- */

/*
 * Adds data_source_id to json (a warehouse) from the legacy list. A list
 * the workspace refuses leaves it out (the official provider does not fail
 * either: the API is being retired); its diagnostic is retracted.
 */
static int wh_add_data_source(cJSON *json, struct tfp_call *call)
{
	const char *id = tfp_json_string(json, "id");
	cJSON *list = NULL;
	const char *dsid;
	int error;

	if (id == NULL)
		return TFP_OK;
	error = tfp_rest_get(&list, call, WH_DATA_SOURCES, NULL);
	if (error == TFP_ECANCELED)
		return error;
	if (error == TFP_ERROR)
		tfp_diags_drop_last(call->diags);
	if (error < 0 || !cJSON_IsArray(list))
		return TFP_OK;
	dsid = tfp_sql__data_source_id(list, id);
	if (dsid != NULL)
		cJSON_AddStringToObject(json, "data_source_id", dsid);
	return TFP_OK;
}

/* --- hooks ---------------------------------------------------------------- */

/* A warehouse as the tables read it: see the header. The create's answer
 * ({id} alone) is left as it is. */
static int wh_reshape(cJSON *json, struct tfp_call *call)
{
	if (tfp_json_string(json, "name") == NULL)
		return TFP_OK;
	tfp_sql__warehouse_shape(json, true);
	return wh_add_data_source(json, call);
}

/* An edit sends every setting: one taken out of the configuration goes as
 * its default or empty, so the service drops what it had. */
static int wh_body(cJSON *body, struct tfp_call *call,
		   const struct tfp_value *prior, const struct tfp_value *plan)
{
	cJSON *tags;

	(void)call;
	(void)plan;
	if (prior == NULL)
		return TFP_OK;
	if (!cJSON_HasObjectItem(body, "channel"))
		cJSON_AddItemToObject(
			body, "channel",
			cJSON_Parse("{\"name\":\"CHANNEL_NAME_CURRENT\"}"));
	if (!cJSON_HasObjectItem(body, "tags")) {
		tags = cJSON_AddObjectToObject(body, "tags");
		cJSON_AddArrayToObject(tags, "custom_tags");
	}
	if (!cJSON_HasObjectItem(body, "instance_profile_arn") &&
	    tfp_value_get_string(prior, "instance_profile_arn") != NULL)
		cJSON_AddStringToObject(body, "instance_profile_arn", "");
	return TFP_OK;
}

/* Run-time values stay as the prior state has them, when it has them
 * (not after a create or an edit, whose plan leaves them unknown, nor
 * after an import). */
static void wh_normalize(struct tfp_call *call, struct tfp_value *state,
			 const struct tfp_value *prior)
{
	const char *const *f;

	if (!tfp_value_is_known(prior) ||
	    tfp_value_get_string(prior, "state") == NULL)
		return;
	for (f = wh_run_fields; *f != NULL; f++) {
		const struct tfp_value *p = tfp_value_get(prior, *f);

		if (tfp_value_is_known(p))
			tfp_value_set(state, *f,
				      tfp_value_copy(call->arena, p));
	}
}

/*
 * The official provider's defaults for numbers and booleans. no_wait left
 * out is false on create and stays as the state has it after: false in a
 * state the official provider wrote, null after an import (its default
 * and its diff suppression of "" against false, in one).
 */
static int wh_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			  const struct tfp_value *config,
			  struct tfp_value *plan)
{
	if (!tfp_value_is_known(plan) || !tfp_value_is_known(config))
		return TFP_OK;
	if (tfp_value_is_null(tfp_value_get(config, "no_wait")))
		tfp_value_set(plan, "no_wait",
			      tfp_value_is_known(prior) &&
					      !tfp_value_is_null(prior)
				      ? tfp_value_copy(
						call->arena,
						tfp_value_get(prior, "no_wait"))
				      : tfp_value_bool(call->arena, false));
	if (tfp_value_is_null(tfp_value_get(config, "auto_stop_mins")))
		tfp_value_set(plan, "auto_stop_mins",
			      tfp_value_int(call->arena, 120));
	if (tfp_value_is_null(tfp_value_get(config, "max_num_clusters")))
		tfp_value_set(plan, "max_num_clusters",
			      tfp_value_int(call->arena, 1));
	if (tfp_value_is_null(tfp_value_get(config, "enable_photon")))
		tfp_value_set(plan, "enable_photon",
			      tfp_value_bool(call->arena, true));
	return TFP_OK;
}

/* --- waits ---------------------------------------------------------------- */

static long wh_wait_ms(const struct tfp_value *plan)
{
	const char *text =
		tfp_value_get_string(tfp_value_get(plan, "timeouts"), "create");
	int64_t ms = WH_WAIT_MS;

	if (text != NULL && tfp_parse_duration_ms(&ms, text) != TFP_OK)
		ms = WH_WAIT_MS; /* validate reported it */
	return (long)ms;
}

static int wh_poll(struct tfp_call *call, void *payload)
{
	const char *path = payload;
	const char *state, *summary;
	cJSON *json = NULL;
	int error;

	error = tfp_rest_get(&json, call, path, NULL);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "The new SQL warehouse is gone.");
	if (error < 0)
		return error;
	state = tfp_json_string(json, "state");
	if (state != NULL && strcmp(state, "RUNNING") == 0)
		return TFP_OK;
	if (state == NULL ||
	    (strcmp(state, "STOPPED") != 0 && strcmp(state, "DELETED") != 0 &&
	     strcmp(state, "DELETING") != 0))
		return TFP_WAIT_AGAIN;
	summary = tfp_json_string(
		cJSON_GetObjectItemCaseSensitive(json, "health"), "summary");
	return tfp_diag_error(
		call->diags, "SQL warehouse did not start",
		"The new SQL warehouse is %s instead of "
		"RUNNING (%s). It stays in the Terraform state, "
		"marked for replacement at the next apply.",
		state, summary && *summary ? summary : "no reason given");
}

/* Waits for the new warehouse to run, unless no_wait. */
static int wh_after_create(struct tfp_call *call, const char *id,
			   const struct tfp_value *plan)
{
	const struct tfp_wait w = {
		.what = "the SQL warehouse to be RUNNING",
		.timeout_ms = wh_wait_ms(plan),
		.first_ms = 500,
		.max_ms = 10000,
	};
	char *path;

	if (tfp_value_get_bool(plan, "no_wait", false))
		return TFP_OK;
	path = tfp_arena_printf(call->arena, WH_API "/%s",
				tfp_rest_escape(call->arena, id));
	return tfp_wait_for(call, &w, wh_poll, path);
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres wh_rres = {
	.what = "SQL warehouse",
	.attrs = wh_attrs,
	.blocks = wh_blocks,
	.id_field = "id",
	.import_form = "<warehouse id>",
	.create = { .path = WH_API },
	.read = { .path = WH_API "/{id}" },
	.update = { .method = "POST", .path = WH_API "/{id}/edit" },
	.del = { .path = WH_API "/{id}" },
	/* The list's warehouses are the GET's (one page holds them all). */
	.list = { .path = WH_API, .items = "warehouses", .id_field = "id",
		  .batch = true },
	.create_fields = wh_fields,
	.update_mode = TFP_RRES_FULL,
	.update_fields = wh_fields,
	.body = wh_body,
	.after_create = wh_after_create,
	.reshape = wh_reshape,
	.normalize = wh_normalize,
	.modify_plan = wh_modify_plan,
};
/* clang-format on */

/* One GET; a warehouse answered as deleted is gone. */
static int wh_read(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_value *prior)
{
	const char *id = tfp_value_get_string(prior, "id");
	cJSON *json = NULL;
	int error;

	if (id == NULL)
		return tfp_call_fail(call, "The state has no ID for the SQL "
					   "warehouse.");
	error = tfp_rres_fetch(&json, call, &wh_rres, id, prior);
	if (error < 0)
		return error;
	if (tfp_sql__warehouse_deleted(json))
		return TFP_ENOTFOUND;
	return tfp_rres_state(out, call, &wh_rres, prior->type, json, prior);
}

const struct tfp_resource tfp_resource_sql_endpoint = {
	.type_name = "databricks_sql_endpoint",
	.attrs = wh_attrs,
	.blocks = wh_blocks,
	.desc = "A Databricks SQL warehouse: its size, scaling, auto-stop, "
		"channel and tags. Auto-stopping is not drift.",
	.create = tfp_rres_create,
	.read = wh_read,
	.update = tfp_rres_update,
	.delete = tfp_rres_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.data = &wh_rres,
};

/* --- the data source databricks_sql_warehouse ----------------------------- */

/* clang-format off */
static const struct tfp_attr data_channel_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The release channel." },
	{ .name = "dbsql_version", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The Databricks SQL version of a custom channel." },
	TFP_ATTR_END
};

static const struct tfp_attr data_tag_attrs[] = {
	{ .name = "key", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The tag's key." },
	{ .name = "value", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The tag's value." },
	TFP_ATTR_END
};

static const struct tfp_block data_tags_blocks[] = {
	{ .name = "custom_tags", .nesting = TFP_NEST_LIST,
	  .attrs = data_tag_attrs, .desc = "One tag." },
	TFP_BLOCK_END
};

static const struct tfp_attr data_odbc_attrs[] = {
	{ .name = "hostname", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The host name." },
	{ .name = "path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The HTTP path." },
	{ .name = "port", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The port." },
	{ .name = "protocol", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The protocol." },
	TFP_ATTR_END
};

static const struct tfp_attr data_reason_attrs[] = {
	{ .name = "code", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The failure code." },
	{ .name = "parameters", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Details of the failure." },
	{ .name = "type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The failure type." },
	TFP_ATTR_END
};

static const struct tfp_block data_health_blocks[] = {
	{ .name = "failure_reason", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = data_reason_attrs,
	  .desc = "Why the warehouse is unhealthy." },
	TFP_BLOCK_END
};

static const struct tfp_attr data_health_attrs[] = {
	{ .name = "details", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "More details." },
	{ .name = "message", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The message." },
	{ .name = "status", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "HEALTHY, DEGRADED or FAILED." },
	{ .name = "summary", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "A short summary." },
	TFP_ATTR_END
};

#define DATA_WH_ATTR(n, t, d)                                                  \
	{ .name = n, .type = &tfp_type_##t,                                    \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = d }

static const struct tfp_attr data_wh_attrs[] = {
	DATA_WH_ATTR("id", string, "The warehouse's id: give it, or name."),
	DATA_WH_ATTR("name", string, "The warehouse's name: give it, or id."),
	DATA_WH_ATTR("cluster_size", string, "The size of each cluster."),
	DATA_WH_ATTR("min_num_clusters", number, "The fewest clusters."),
	DATA_WH_ATTR("max_num_clusters", number, "The most clusters."),
	DATA_WH_ATTR("auto_stop_mins", number,
		     "Idle minutes before it stops (0: never)."),
	DATA_WH_ATTR("spot_instance_policy", string, "The spot policy."),
	DATA_WH_ATTR("enable_photon", bool, "Whether Photon is on."),
	DATA_WH_ATTR("enable_serverless_compute", bool,
		     "Whether it is serverless."),
	DATA_WH_ATTR("warehouse_type", string, "PRO or CLASSIC."),
	DATA_WH_ATTR("instance_profile_arn", string,
		     "The AWS instance profile."),
	DATA_WH_ATTR("data_source_id", string, "The legacy data source id."),
	DATA_WH_ATTR("jdbc_url", string, "The JDBC connection string."),
	DATA_WH_ATTR("creator_name", string, "Who created it."),
	DATA_WH_ATTR("state", string, "Its state now."),
	DATA_WH_ATTR("num_clusters", number, "Clusters running now."),
	DATA_WH_ATTR("num_active_sessions", number, "Active sessions now."),
	TFP_ATTR_END
};

static const struct tfp_block data_wh_blocks[] = {
	{ .name = "channel", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = data_channel_attrs, .desc = "The release channel." },
	{ .name = "tags", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = wh_no_attrs, .blocks = data_tags_blocks,
	  .desc = "The warehouse's tags." },
	{ .name = "odbc_params", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = data_odbc_attrs, .desc = "The ODBC settings." },
	{ .name = "health", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = data_health_attrs, .blocks = data_health_blocks,
	  .desc = "The warehouse's health." },
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_NO_JSON, .attrs = tfp_compute_provider_config_attrs,
	  .desc = "The workspace, for account-level providers." },
	TFP_BLOCK_END
};
/* clang-format on */

/*
 * The warehouse the configuration names, as the official data source
 * finds it: in the legacy data sources list, by warehouse id or by exact
 * name (two warehouses of one name are an error); then its GET.
 */
static int data_wh_read(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *config)
{
	const char *id = tfp_value_get_string(config, "id");
	const char *name = tfp_value_get_string(config, "name");
	const cJSON *ds, *found = NULL;
	cJSON *list = NULL, *json = NULL;
	struct tfp_value *v = NULL;
	size_t n = 0;
	int error;

	if (id == NULL && name == NULL)
		return tfp_diag_error(call->diags, "Missing argument",
				      "databricks_sql_warehouse needs id or "
				      "name to find a warehouse.");
	error = tfp_rest_get(&list, call, WH_DATA_SOURCES, NULL);
	if (error < 0)
		return error;
	cJSON_ArrayForEach(ds, list)
	{
		const char *w = tfp_json_string(ds, "warehouse_id");
		const char *dn = tfp_json_string(ds, "name");

		if (w == NULL)
			continue;
		if (id != NULL ? strcmp(w, id) == 0
			       : dn != NULL && strcmp(dn, name) == 0) {
			found = ds;
			n++;
		}
	}
	if (n == 0)
		return tfp_diag_error(call->diags, "SQL warehouse not found",
				      id ? "The workspace has no SQL warehouse "
					   "with the id \"%s\"."
					 : "The workspace has no SQL warehouse "
					   "named \"%s\".",
				      id ? id : name);
	if (n > 1)
		return tfp_diag_error(call->diags,
				      "Ambiguous SQL warehouse name",
				      "%zu SQL warehouses are named \"%s\"; "
				      "look the warehouse up by id instead.",
				      n, name);
	id = tfp_json_string(found, "warehouse_id");
	error = tfp_rest_get(&json, call,
			     tfp_arena_printf(call->arena, WH_API "/%s",
					      tfp_rest_escape(call->arena, id)),
			     NULL);
	if (error == TFP_ENOTFOUND)
		return tfp_diag_error(call->diags, "SQL warehouse not found",
				      "The SQL warehouse %s is gone.", id);
	if (error < 0)
		return error;
	tfp_sql__warehouse_shape(json, false);
	if (tfp_json_string(found, "id") != NULL)
		cJSON_AddStringToObject(json, "data_source_id",
					tfp_json_string(found, "id"));
	error = tfp_jsonmap_to_value(&v, call->arena, config->type,
				     data_wh_attrs, data_wh_blocks, json, NULL,
				     call->diags);
	if (error < 0)
		return error;
	tfp_value_set(v, "provider_config",
		      tfp_value_copy(call->arena,
				     tfp_value_get(config, "provider_config")));
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_sql_warehouse = {
	.type_name = "databricks_sql_warehouse",
	.attrs = data_wh_attrs,
	.blocks = data_wh_blocks,
	.desc = "One SQL warehouse's settings and connection details, found "
		"by id or by exact name.",
	.read = data_wh_read,
};

/* --- the data source databricks_sql_warehouses ---------------------------- */

/* clang-format off */
static const struct tfp_attr data_whs_attrs[] = {
	{ .name = "warehouse_name_contains", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only warehouses whose name contains this text, without "
		  "regard to case." },
	{ .name = "ids", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The ids of the matching warehouses." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "Always \"_\"." },
	TFP_ATTR_END
};

static const struct tfp_block data_whs_blocks[] = {
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_NO_JSON, .attrs = tfp_compute_provider_config_attrs,
	  .desc = "The workspace, for account-level providers." },
	TFP_BLOCK_END
};
/* clang-format on */

struct whs_acc {
	const char *contains;
	const char **ids;
	size_t n, cap;
};

static int whs_collect(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct whs_acc *acc = payload;
	const char *id = tfp_json_string(item, "id");
	const char *name = tfp_json_string(item, "name");

	if (id == NULL)
		return tfp_diag_error(call->diags, "Unexpected warehouse list",
				      "A listed SQL warehouse has no id.");
	if (acc->contains != NULL &&
	    !tfp_contains_fold(name ? name : "", acc->contains))
		return TFP_OK;
	if (acc->n == acc->cap) {
		size_t cap = acc->cap ? acc->cap * 2 : 16;
		const char **ids =
			tfp_arena_alloc(call->arena, cap * sizeof(*ids));

		if (acc->n > 0)
			memcpy(ids, acc->ids, acc->n * sizeof(*ids));
		acc->ids = ids;
		acc->cap = cap;
	}
	acc->ids[acc->n++] = tfp_arena_strdup(call->arena, id);
	return TFP_OK;
}

static int whs_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int data_whs_read(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *config)
{
	struct whs_acc acc = {
		.contains =
			tfp_value_get_string(config, "warehouse_name_contains"),
	};
	struct tfp_value *v, *ids;
	size_t i;
	int error;

	error = tfp_rest_list(call, WH_API, NULL, "warehouses", 0, whs_collect,
			      &acc);
	if (error < 0)
		return error;
	if (acc.n > 1)
		qsort(acc.ids, acc.n, sizeof(*acc.ids), whs_cmp);
	v = tfp_value_copy(call->arena, config);
	ids = tfp_value_collection(call->arena, &tfp_type_set_string, acc.n);
	for (i = 0; i < acc.n; i++)
		ids->u.coll.items[i] =
			tfp_value_string(call->arena, acc.ids[i]);
	tfp_value_set(v, "ids", ids);
	tfp_value_set_string(call->arena, v, "id", "_");
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_sql_warehouses = {
	.type_name = "databricks_sql_warehouses",
	.attrs = data_whs_attrs,
	.blocks = data_whs_blocks,
	.desc = "The ids of the workspace's SQL warehouses, optionally those "
		"whose name contains some text.",
	.read = data_whs_read,
};
