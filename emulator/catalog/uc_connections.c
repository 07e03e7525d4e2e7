/*
 * Unity Catalog connections (Lakehouse Federation): the metastore's
 * credentials for an external database.
 *
 *   POST   /api/2.1/unity-catalog/connections          -> ConnectionInfo
 *   GET    /api/2.1/unity-catalog/connections          -> {connections, ...}
 *   GET    /api/2.1/unity-catalog/connections/{name}   -> ConnectionInfo
 *   PATCH  /api/2.1/unity-catalog/connections/{name}   -> ConnectionInfo
 *   DELETE /api/2.1/unity-catalog/connections/{name}   -> {}
 *
 * Behaviour clients depend on:
 * - options is a map of strings, required on create and on every PATCH
 *   (the PATCH replaces it); its secrets (user, password,
 *   personalAccessToken, access_token, client_secret, OAuthPvtKey,
 *   GoogleServiceAccountKeyJson) are kept but never answered, so the
 *   official provider keeps them from its state;
 * - connection_type is one of the federated sources; names are stored
 *   lower-case; a missing connection is 404 CONNECTION_DOES_NOT_EXIST;
 * - PATCH takes options, new_name and owner; comment, properties and
 *   read_only are set on create only.
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

static const char *const secret_options[] = {
	"user",		"password",	"personalAccessToken",
	"access_token", "client_secret", "OAuthPvtKey",
	"GoogleServiceAccountKeyJson", NULL};

static const char *const connection_types[] = {
	"MYSQL",     "POSTGRESQL", "SNOWFLAKE",	     "REDSHIFT",
	"SQLDW",     "SQLSERVER",  "DATABRICKS",     "BIGQUERY",
	"ORACLE",    "TERADATA",   "HIVE_METASTORE", "GLUE",
	"SALESFORCE", "HTTP",	   NULL};

static bool is_secret(const char *key)
{
	const char *const *s;

	for (s = secret_options; *s; s++)
		if (strcmp(*s, key) == 0)
			return true;
	return false;
}

/* Checks options (a map of strings, at most UC_MAX_TEXT as JSON). */
static int options_arg(const cJSON **out, struct emu_request *req,
		       struct emu_response *resp)
{
	const cJSON *o = emu_arg_json(req, "options"), *v;
	char *text;
	size_t n;

	*out = NULL;
	if (!o || cJSON_IsNull(o))
		return emu_error_missing_field(resp, "options");
	if (!cJSON_IsObject(o))
		return emu_error_invalid(resp, "Invalid 'options': expected a "
					       "map of strings.");
	cJSON_ArrayForEach(v, o)
	{
		if (!cJSON_IsString(v))
			return emu_error_invalid(resp,
						 "Invalid 'options': '%s' is "
						 "not a string.",
						 v->string);
	}
	text = cJSON_PrintUnformatted(o);
	n = text ? strlen(text) : 0;
	free(text);
	if (n > UC_MAX_TEXT)
		return emu_error_invalid(resp, "'options' is too long.");
	*out = o;
	return 0;
}

/* Stores options: the public ones in info, the secrets in obj->secrets. */
static void set_options(struct uc_object *obj, const cJSON *options)
{
	cJSON *pub = cJSON_CreateObject();
	const cJSON *v;

	cJSON_Delete(obj->secrets);
	obj->secrets = cJSON_CreateObject();
	cJSON_ArrayForEach(v, options)
	{
		cJSON_AddItemToObject(is_secret(v->string) ? obj->secrets : pub,
				      v->string, cJSON_Duplicate(v, 1));
	}
	cJSON_DeleteItemFromObjectCaseSensitive(obj->info, "options");
	cJSON_AddItemToObject(obj->info, "options", pub);
}

static int connection_missing(struct emu_response *resp, const char *name)
{
	return emu_error(resp, 404, "CONNECTION_DOES_NOT_EXIST",
			 "Connection '%s' does not exist.", name);
}

void uc_connections_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name, *type, *comment, *ms = uc_assigned_metastore(req->ws);
	const cJSON *options, *props;
	const char *const *t;
	struct uc_object *obj;
	bool read_only = false, has_ro = false;
	cJSON *info;
	char *lower, *id;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&type, req, resp, "connection_type",
			   EMU_ARG_REQUIRED) < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0 ||
	    emu_arg_bool(&read_only, &has_ro, req, resp, "read_only",
			 EMU_ARG_OPTIONAL) < 0 ||
	    uc_arg_properties(&props, req, resp) < 0 ||
	    options_arg(&options, req, resp) < 0)
		return;
	if (!uc_name_valid(name)) {
		uc_name_error(resp, "CreateConnection",
			      "managedcatalog.ConnectionInfo.name", name);
		return;
	}
	for (t = connection_types; *t && strcmp(*t, type) != 0; t++)
		;
	if (!*t) {
		emu_error_invalid(resp, "Invalid connection_type '%s'.", type);
		return;
	}
	lower = uc_lower(name);
	if (uc_list_find(&st->connections, lower)) {
		emu_error(resp, 409, "CONNECTION_ALREADY_EXISTS",
			  "Connection '%s' already exists", lower);
		free(lower);
		return;
	}
	if (st->connections.n >= UC_MAX_LOCATIONS) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "Cannot create more than %d connections.",
			  UC_MAX_LOCATIONS);
		free(lower);
		return;
	}
	info = cJSON_CreateObject();
	id = uc_uuid(st);
	cJSON_AddStringToObject(info, "name", lower);
	cJSON_AddStringToObject(info, "full_name", lower);
	cJSON_AddStringToObject(info, "connection_id", id);
	cJSON_AddStringToObject(info, "connection_type", type);
	cJSON_AddStringToObject(info, "credential_type", "USERNAME_PASSWORD");
	cJSON_AddStringToObject(info, "securable_type", "CONNECTION");
	cJSON_AddStringToObject(info, "owner",
				req->principal ? req->principal
					       : EMU_DEFAULT_USER_NAME);
	cJSON_AddStringToObject(info, "metastore_id", ms ? ms : UC_METASTORE_ID);
	uc_set_str(info, "comment", comment);
	uc_set_json(info, "properties",
		    props && cJSON_GetArraySize(props) > 0 ? props : NULL);
	cJSON_AddBoolToObject(info, "read_only", read_only);
	uc_stamp_created(info, req);
	obj = uc_object_new(info);
	set_options(obj, options);
	uc_list_insert(&st->connections, obj);
	emu_response_json(resp, 200, cJSON_Duplicate(info, 1));
	free(id);
	free(lower);
}

static struct uc_object *connection_arg(struct emu_request *req,
					struct emu_response *resp)
{
	const char *name = emu_request_param(req, "name");
	struct uc_state *st = req->state;
	struct uc_object *obj = uc_list_find(&st->connections, name);

	if (!obj)
		connection_missing(resp, name);
	return obj;
}

void uc_connections_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *obj = connection_arg(req, resp);

	if (obj)
		emu_response_json(resp, 200, cJSON_Duplicate(obj->info, 1));
}

void uc_connections_list(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;

	uc_list_respond(req, resp, &st->connections, "connections");
}

void uc_connections_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *obj = connection_arg(req, resp);
	const char *owner, *new_name;
	const cJSON *options;
	char *lower = NULL;

	if (!obj || uc_arg_text(&owner, req, resp, "owner") < 0 ||
	    uc_arg_text(&new_name, req, resp, "new_name") < 0 ||
	    options_arg(&options, req, resp) < 0)
		return;
	if (uc_rename_check(&lower, new_name, &st->connections, obj,
			    "UpdateConnection", "CONNECTION_ALREADY_EXISTS",
			    "Connection", NULL, resp) < 0) {
		free(lower);
		return;
	}
	if (owner && *owner)
		uc_set_str(obj->info, "owner", owner);
	set_options(obj, options);
	if (lower) {
		uc_set_str(obj->info, "name", lower);
		uc_set_str(obj->info, "full_name", lower);
		uc_list_resort(&st->connections);
		free(lower);
	}
	uc_respond_updated(obj, req, resp);
}

void uc_connections_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *obj = connection_arg(req, resp);

	if (!obj)
		return;
	uc_object_free(uc_list_take(&st->connections,
				    uc_list_index(&st->connections,
						  uc_name(obj))));
	emu_response_json(resp, 200, cJSON_CreateObject());
}
