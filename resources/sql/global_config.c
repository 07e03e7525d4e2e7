/*
 * databricks_sql_global_config: the settings every SQL warehouse of the
 * workspace shares (security policy, instance profile, data access
 * properties, SQL configuration parameters). A singleton, id "global".
 *
 * REST: GET /api/2.0/sql/config/warehouses -> the configuration;
 * PUT /api/2.0/sql/config/warehouses replaces it (a field not sent is
 * gone).
 *
 * Quirks that explain the code:
 *  - The API takes data_access_config as [{key, value}] and the SQL
 *    parameters as sql_configuration_parameters: {configuration_pairs:
 *    [{key, value}]}; the official schema has maps (data_access_config,
 *    sql_config_params). A body hook turns the maps into pairs and a
 *    reshape turns answers back. (The official provider never reads
 *    sql_config_params back, so a change made elsewhere is not seen
 *    there; here it is drift.)
 *  - enable_serverless_compute (deprecated) left out keeps the
 *    workspace's value: create reads it first and sends it, as the
 *    official provider does.
 *  - Every write is a PUT of the whole configuration; it is safe to
 *    repeat. Delete puts the workspace's defaults back
 *    (DATA_ACCESS_CONTROL, no data access properties, serverless as it
 *    was) rather than removing anything.
 * Import ID: "global".
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "sql_internal.h"

#define GC_API		  "/api/2.0/sql/config/warehouses"
#define GC_DEFAULT_POLICY "DATA_ACCESS_CONTROL"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr gc_attrs[] = {
	{ .name = "security_policy", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .default_string = GC_DEFAULT_POLICY,
	  .desc = "DATA_ACCESS_CONTROL (the default), NONE or PASSTHROUGH." },
	{ .name = "data_access_config", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Data access properties for the warehouses (Spark "
		  "configuration keys and values)." },
	{ .name = "instance_profile_arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The AWS instance profile every warehouse uses." },
	{ .name = "google_service_account", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Google service account every warehouse uses (GCP)." },
	{ .name = "sql_config_params", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "SQL configuration parameters for every warehouse." },
	{ .name = "enable_serverless_compute", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_DEPRECATED,
	  .desc = "Deprecated (an internal setting in the official provider): "
		  "whether serverless warehouses are allowed; left out, the "
		  "workspace's value stays." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Always \"global\": the import ID." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const gc_fields[] = {
	"security_policy",
	"data_access_config",
	"instance_profile_arn",
	"google_service_account",
	"sql_config_params",
	"enable_serverless_compute",
	NULL,
};

/* --- pure functions ------------------------------------------------------- */

cJSON *tfp_sql__pairs_from_map(const cJSON *map)
{
	cJSON *pairs = cJSON_CreateArray();
	const cJSON *m;

	cJSON_ArrayForEach(m, map)
	{
		cJSON *p;

		if (m->string == NULL || !cJSON_IsString(m))
			continue;
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "key", m->string);
		cJSON_AddStringToObject(p, "value", m->valuestring);
		cJSON_AddItemToArray(pairs, p);
	}
	return pairs;
}

cJSON *tfp_sql__map_from_pairs(const cJSON *pairs)
{
	cJSON *map = cJSON_CreateObject();
	const cJSON *p;

	cJSON_ArrayForEach(p, pairs)
	{
		const char *k = tfp_json_string(p, "key");
		const char *v = tfp_json_string(p, "value");

		if (k == NULL)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(map, k);
		cJSON_AddStringToObject(map, k, v ? v : "");
	}
	return map;
}

/* --- hooks ---------------------------------------------------------------- */

/*
 * The maps as the API's pairs (data_access_config always sent, as the
 * official provider sends it); on create, a serverless setting the
 * configuration leaves out is the workspace's current one.
 */
static int gc_body(cJSON *body, struct tfp_call *call,
		   const struct tfp_value *prior, const struct tfp_value *plan)
{
	cJSON *dac = cJSON_DetachItemFromObjectCaseSensitive(
		body, "data_access_config");
	cJSON *params = cJSON_DetachItemFromObjectCaseSensitive(
		body, "sql_config_params");
	cJSON *now = NULL, *wrap;
	int error;

	(void)plan;
	cJSON_AddItemToObject(body, "data_access_config",
			      tfp_sql__pairs_from_map(dac));
	if (cJSON_GetArraySize(params) > 0) {
		wrap = cJSON_AddObjectToObject(body,
					       "sql_configuration_parameters");
		cJSON_AddItemToObject(wrap, "configuration_pairs",
				      tfp_sql__pairs_from_map(params));
	}
	cJSON_Delete(dac);
	cJSON_Delete(params);
	if (prior != NULL ||
	    cJSON_HasObjectItem(body, "enable_serverless_compute"))
		return TFP_OK;
	error = tfp_rest_get(&now, call, GC_API, NULL);
	if (error < 0)
		return error;
	cJSON_AddBoolToObject(body, "enable_serverless_compute",
			      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				      now, "enable_serverless_compute")));
	return TFP_OK;
}

/* The answer in the schema's shape: maps, and serverless false when the
 * workspace leaves it out. */
static int gc_reshape(cJSON *json, struct tfp_call *call)
{
	cJSON *dac = cJSON_DetachItemFromObjectCaseSensitive(
		json, "data_access_config");
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(
			json, "sql_configuration_parameters"),
		"configuration_pairs");

	(void)call;
	cJSON_AddItemToObject(json, "data_access_config",
			      tfp_sql__map_from_pairs(dac));
	cJSON_AddItemToObject(json, "sql_config_params",
			      tfp_sql__map_from_pairs(params));
	cJSON_Delete(dac);
	if (!cJSON_HasObjectItem(json, "enable_serverless_compute"))
		cJSON_AddFalseToObject(json, "enable_serverless_compute");
	return TFP_OK;
}

/* Back to the workspace's defaults, serverless as the state has it. */
static int gc_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	cJSON *body = cJSON_CreateObject();

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "security_policy", GC_DEFAULT_POLICY);
	cJSON_AddArrayToObject(body, "data_access_config");
	cJSON_AddBoolToObject(
		body, "enable_serverless_compute",
		tfp_value_get_bool(prior, "enable_serverless_compute", false));
	return tfp_rest_call(NULL, call, "PUT", GC_API, NULL, body,
			     TFP_REST_IDEMPOTENT);
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres gc_rres = {
	.what = "SQL global configuration",
	.attrs = gc_attrs,
	.id = "global",
	.import_form = "global",
	.create = { .method = "PUT", .path = GC_API,
		    .flags = TFP_REST_IDEMPOTENT },
	.read = { .path = GC_API },
	.update = { .method = "PUT", .path = GC_API },
	.del = { .method = "PUT", .path = GC_API },
	.create_fields = gc_fields,
	.update_mode = TFP_RRES_FULL,
	.update_fields = gc_fields,
	.body = gc_body,
	.reshape = gc_reshape,
};
/* clang-format on */

const struct tfp_resource tfp_resource_sql_global_config = {
	.type_name = "databricks_sql_global_config",
	.attrs = gc_attrs,
	.desc = "The settings every SQL warehouse of the workspace shares. "
		"Destroying it puts the workspace's defaults back.",
	.create = tfp_rres_create,
	.read = tfp_rres_read,
	.update = tfp_rres_update,
	.delete = gc_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.data = &gc_rres,
};
