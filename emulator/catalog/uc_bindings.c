/*
 * Unity Catalog workspace bindings, system schemas and artifact
 * allowlists: the metastore's settings of securables.
 *
 *   GET    /api/2.1/unity-catalog/bindings/{securable_type}/{name}
 *                                                  -> {bindings: [...]}
 *   PATCH  /api/2.1/unity-catalog/bindings/{securable_type}/{name}
 *          {add: [...], remove: [...]}             -> {bindings: [...]}
 *   GET    /api/2.1/unity-catalog/metastores/{id}/systemschemas
 *                                                  -> {schemas: [...]}
 *   PUT    /api/2.1/unity-catalog/metastores/{id}/systemschemas/{schema}
 *   DELETE /api/2.1/unity-catalog/metastores/{id}/systemschemas/{schema}
 *   GET|PUT /api/2.1/unity-catalog/artifact-allowlists/{artifact_type}
 *
 * Behaviour clients depend on:
 * - securable_type is catalog, external_location or storage_credential
 *   (a hyphen is read as '_'); a missing securable is its kind's 404;
 * - a binding is {workspace_id, binding_type}; binding_type defaults to
 *   BINDING_TYPE_READ_WRITE; adding a workspace already bound changes its
 *   binding_type; removing one not bound is no error;
 * - only an isolated securable (catalog isolation_mode ISOLATED, others
 *   ISOLATION_MODE_ISOLATED) takes new bindings: 400 otherwise;
 * - system schemas are listed with their state: AVAILABLE until enabled,
 *   ENABLE_COMPLETED after the PUT (again: no error, as enabling is
 *   idempotent for clients), AVAILABLE again after the DELETE; "billing"
 *   is enabled by Databricks and cannot be disabled (400 "can only be
 *   disabled by Databricks", which the official provider ignores); an
 *   unknown schema is 404; the metastore must be the workspace's;
 * - an artifact allowlist exists for each of INIT_SCRIPT, LIBRARY_JAR and
 *   LIBRARY_MAVEN (empty until set); PUT replaces its artifact_matchers
 *   ({artifact, match_type PREFIX_MATCH}) and stamps created_at/by, as
 *   the service does on every PUT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "uc_internal.h"
#include "util.h"
#include "workspace.h"

/* --- bindings -------------------------------------------------------------- */

/* The securable of the path's type and name, or NULL with the error. */
static struct uc_object *binding_target(const char **isolated_value,
					struct emu_request *req,
					struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *type = emu_request_param(req, "type");
	const char *name = emu_request_param(req, "name");
	struct uc_object *obj = NULL;

	if (strcmp(type, "catalog") == 0) {
		*isolated_value = "ISOLATED";
		obj = uc_catalog_find(st, name);
		if (!obj)
			uc_catalog_missing(resp, name);
	} else if (strcmp(type, "external_location") == 0 ||
		   strcmp(type, "external-location") == 0) {
		*isolated_value = "ISOLATION_MODE_ISOLATED";
		obj = uc_list_find(&st->locations, name);
		if (!obj)
			uc_location_missing(resp, name);
	} else if (strcmp(type, "storage_credential") == 0 ||
		   strcmp(type, "storage-credential") == 0) {
		*isolated_value = "ISOLATION_MODE_ISOLATED";
		obj = uc_list_find(&st->credentials, name);
		if (!obj)
			uc_credential_missing(resp, name);
	} else {
		emu_error_invalid(resp,
				  "Invalid securable_type '%s': expected "
				  "catalog, external_location or "
				  "storage_credential.",
				  type);
	}
	return obj;
}

static void bindings_respond(const struct uc_object *obj,
			     struct emu_response *resp)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddItemToObject(body, "bindings",
			      obj->bindings
				      ? cJSON_Duplicate(obj->bindings, 1)
				      : cJSON_CreateArray());
	emu_response_json(resp, 200, body);
}

void uc_bindings_get(struct emu_request *req, struct emu_response *resp)
{
	const char *iso;
	struct uc_object *obj = binding_target(&iso, req, resp);

	if (obj)
		bindings_respond(obj, resp);
}

/* The index of workspace ws in the bindings array, or -1. */
static int binding_index(const cJSON *arr, int64_t ws)
{
	const cJSON *b;
	int i = 0;

	cJSON_ArrayForEach(b, arr)
	{
		int64_t id;

		if (emu_json_get_int64(
			    &id, cJSON_GetObjectItemCaseSensitive(
					 b, "workspace_id")) == 0 &&
		    id == ws)
			return i;
		i++;
	}
	return -1;
}

/* Checks an add or remove array: objects with a positive workspace_id and
 * an optional known binding_type. */
static int bindings_check(const cJSON *arr, const char *what,
			  struct emu_response *resp)
{
	const cJSON *b;

	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > UC_MAX_PRINCIPALS)
		return emu_error_invalid(resp, "Invalid '%s': expected an "
					       "array of bindings.",
					 what);
	cJSON_ArrayForEach(b, arr)
	{
		const char *type = emu_json_str(b, "binding_type");
		int64_t id;

		if (!cJSON_IsObject(b) ||
		    emu_json_get_int64(&id, cJSON_GetObjectItemCaseSensitive(
						    b, "workspace_id")) < 0 ||
		    id <= 0)
			return emu_error_invalid(resp,
						 "Invalid '%s': each binding "
						 "needs a workspace_id.",
						 what);
		if (type && strcmp(type, "BINDING_TYPE_READ_WRITE") != 0 &&
		    strcmp(type, "BINDING_TYPE_READ_ONLY") != 0)
			return emu_error_invalid(resp,
						 "Invalid binding_type '%s'.",
						 type);
	}
	return 0;
}

void uc_bindings_update(struct emu_request *req, struct emu_response *resp)
{
	const char *iso, *mode;
	struct uc_object *obj = binding_target(&iso, req, resp);
	const cJSON *add = emu_arg_json(req, "add");
	const cJSON *rm = emu_arg_json(req, "remove");
	const cJSON *b;

	if (!obj || bindings_check(add, "add", resp) < 0 ||
	    bindings_check(rm, "remove", resp) < 0)
		return;
	mode = emu_json_str(obj->info, "isolation_mode");
	if (cJSON_GetArraySize(add) > 0 && (!mode || strcmp(mode, iso) != 0)) {
		emu_error_invalid(resp,
				  "Cannot bind workspaces to '%s': its "
				  "isolation mode is not %s.",
				  uc_name(obj), iso);
		return;
	}
	if (!obj->bindings)
		obj->bindings = cJSON_CreateArray();
	cJSON_ArrayForEach(b, rm)
	{
		int64_t id = 0;
		int i;

		emu_json_get_int64(&id, cJSON_GetObjectItemCaseSensitive(
						b, "workspace_id"));
		i = binding_index(obj->bindings, id);
		if (i >= 0)
			cJSON_DeleteItemFromArray(obj->bindings, i);
	}
	cJSON_ArrayForEach(b, add)
	{
		const char *type = emu_json_str(b, "binding_type");
		int64_t id = 0;
		int i;
		cJSON *item;

		emu_json_get_int64(&id, cJSON_GetObjectItemCaseSensitive(
						b, "workspace_id"));
		i = binding_index(obj->bindings, id);
		if (i >= 0)
			cJSON_DeleteItemFromArray(obj->bindings, i);
		if (cJSON_GetArraySize(obj->bindings) >= UC_MAX_PRINCIPALS)
			break;
		item = cJSON_CreateObject();
		/* A plain number (ids are below 2^53), so that it reads back. */
		cJSON_AddNumberToObject(item, "workspace_id", (double)id);
		cJSON_AddStringToObject(item, "binding_type",
					type ? type : "BINDING_TYPE_READ_WRITE");
		cJSON_AddItemToArray(obj->bindings, item);
	}
	bindings_respond(obj, resp);
}

/* --- system schemas -------------------------------------------------------- */

/* The system schemas a metastore offers. */
static const char *const system_schemas[] = {
	"access",  "billing", "compute", "lakeflow", "marketplace",
	"query",   "serving", "storage", NULL};
/* Enabled by Databricks; clients cannot disable it. */
#define UC_AUTO_SYSTEM_SCHEMA "billing"

/* The states of st's system schemas, made on first use. */
static cJSON *system_states(struct uc_state *st)
{
	const char *const *s;

	if (st->system_schemas)
		return st->system_schemas;
	st->system_schemas = cJSON_CreateObject();
	for (s = system_schemas; *s; s++)
		cJSON_AddStringToObject(st->system_schemas, *s,
					strcmp(*s, UC_AUTO_SYSTEM_SCHEMA) == 0
						? "ENABLE_COMPLETED"
						: "AVAILABLE");
	return st->system_schemas;
}

/* 0 when the path's metastore is the workspace's; else a 404 and -1. */
static int system_metastore(struct emu_request *req, struct emu_response *resp)
{
	const char *id = emu_request_param(req, "id");
	const char *mine = uc_assigned_metastore(req->ws);

	if (mine && strcmp(id, mine) == 0)
		return 0;
	return emu_error(resp, 404, "METASTORE_DOES_NOT_EXIST",
			 "Metastore '%s' does not exist.", id);
}

void uc_system_schemas_list(struct emu_request *req,
			    struct emu_response *resp)
{
	const cJSON *s;
	cJSON *body, *arr;

	if (system_metastore(req, resp) < 0)
		return;
	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, "schemas");
	cJSON_ArrayForEach(s, system_states(req->state))
	{
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "schema", s->string);
		cJSON_AddStringToObject(item, "state", s->valuestring);
		cJSON_AddItemToArray(arr, item);
	}
	emu_response_json(resp, 200, body);
}

/* The state item of the path's schema, or NULL with a 404. */
static cJSON *system_schema_arg(struct emu_request *req,
				struct emu_response *resp)
{
	const char *name = emu_request_param(req, "schema");
	cJSON *item;

	if (system_metastore(req, resp) < 0)
		return NULL;
	item = cJSON_GetObjectItemCaseSensitive(system_states(req->state),
						name);
	if (!item)
		emu_error(resp, 404, "SCHEMA_DOES_NOT_EXIST",
			  "System schema '%s' does not exist.", name);
	return item;
}

void uc_system_schemas_enable(struct emu_request *req,
			      struct emu_response *resp)
{
	cJSON *item = system_schema_arg(req, resp);

	if (!item)
		return;
	cJSON_SetValuestring(item, "ENABLE_COMPLETED");
	emu_response_json(resp, 200, cJSON_CreateObject());
}

void uc_system_schemas_disable(struct emu_request *req,
			       struct emu_response *resp)
{
	cJSON *item = system_schema_arg(req, resp);

	if (!item)
		return;
	if (strcmp(item->string, UC_AUTO_SYSTEM_SCHEMA) == 0) {
		emu_error_invalid(resp,
				  "%s system schema can only be disabled by "
				  "Databricks.",
				  item->string);
		return;
	}
	cJSON_SetValuestring(item, "AVAILABLE");
	emu_response_json(resp, 200, cJSON_CreateObject());
}

/* --- artifact allowlists ---------------------------------------------------- */

static const char *const artifact_types[] = {"INIT_SCRIPT", "LIBRARY_JAR",
					     "LIBRARY_MAVEN", NULL};

/* The allowlist of the path's artifact_type (made on first use), or NULL
 * with a 400. */
static cJSON *allowlist_arg(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *type = emu_request_param(req, "type");
	const char *const *t;
	cJSON *list;

	for (t = artifact_types; *t && strcmp(*t, type) != 0; t++)
		;
	if (!*t) {
		emu_error_invalid(resp,
				  "Invalid artifact_type '%s': expected "
				  "INIT_SCRIPT, LIBRARY_JAR or LIBRARY_MAVEN.",
				  type);
		return NULL;
	}
	if (!st->allowlists)
		st->allowlists = cJSON_CreateObject();
	list = cJSON_GetObjectItemCaseSensitive(st->allowlists, type);
	if (!list) {
		const char *ms = uc_assigned_metastore(req->ws);

		list = cJSON_CreateObject();
		cJSON_AddArrayToObject(list, "artifact_matchers");
		cJSON_AddStringToObject(list, "metastore_id",
					ms ? ms : UC_METASTORE_ID);
		cJSON_AddItemToObject(st->allowlists, type, list);
	}
	return list;
}

void uc_allowlists_get(struct emu_request *req, struct emu_response *resp)
{
	cJSON *list = allowlist_arg(req, resp);

	if (list)
		emu_response_json(resp, 200, cJSON_Duplicate(list, 1));
}

void uc_allowlists_put(struct emu_request *req, struct emu_response *resp)
{
	cJSON *list = allowlist_arg(req, resp);
	const cJSON *m, *matchers = emu_arg_json(req, "artifact_matchers");

	if (!list)
		return;
	if (!cJSON_IsArray(matchers) ||
	    cJSON_GetArraySize(matchers) > UC_MAX_PRINCIPALS) {
		emu_error_invalid(resp, "Invalid 'artifact_matchers': expected "
					"an array.");
		return;
	}
	cJSON_ArrayForEach(m, matchers)
	{
		const char *a = emu_json_str(m, "artifact");
		const char *mt = emu_json_str(m, "match_type");

		if (!a || !*a || strlen(a) > UC_MAX_TEXT || !mt ||
		    strcmp(mt, "PREFIX_MATCH") != 0) {
			emu_error_invalid(resp,
					  "Invalid artifact matcher: needs an "
					  "artifact and match_type "
					  "PREFIX_MATCH.");
			return;
		}
	}
	cJSON_ReplaceItemInObjectCaseSensitive(list, "artifact_matchers",
					       cJSON_Duplicate(matchers, 1));
	uc_stamp_created(list, req);
	cJSON_DeleteItemFromObjectCaseSensitive(list, "updated_at");
	cJSON_DeleteItemFromObjectCaseSensitive(list, "updated_by");
	emu_response_json(resp, 200, cJSON_Duplicate(list, 1));
}
