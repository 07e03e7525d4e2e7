/*
 * Unity Catalog volumes and tables: the objects that live in a schema.
 *
 *   POST   /api/2.1/unity-catalog/volumes              -> VolumeInfo
 *   GET    /api/2.1/unity-catalog/volumes ?catalog_name=&schema_name=
 *                                                      -> {volumes, ...}
 *   GET    /api/2.1/unity-catalog/volumes/{full_name}  -> VolumeInfo
 *   PATCH  /api/2.1/unity-catalog/volumes/{full_name}  -> VolumeInfo
 *   DELETE /api/2.1/unity-catalog/volumes/{full_name}  -> {}
 *   POST   /api/2.1/unity-catalog/tables               -> TableInfo
 *   GET    /api/2.1/unity-catalog/tables ?catalog_name=&schema_name=
 *                                                      -> {tables, ...}
 *   GET    /api/2.1/unity-catalog/tables/{full_name}   -> TableInfo
 *   PATCH  /api/2.1/unity-catalog/tables/{full_name}   -> TableInfo
 *   DELETE /api/2.1/unity-catalog/tables/{full_name}   -> {}
 *   POST   /api/2.1/unity-catalog/models               -> RegisteredModelInfo
 *   GET    /api/2.1/unity-catalog/models ?catalog_name=&schema_name=
 *                                                      -> {registered_models}
 *   GET|PATCH|DELETE /api/2.1/unity-catalog/models/{full_name}
 *
 * Behaviour clients depend on:
 * - all live in a schema (struct uc_object's tables, volumes and models),
 *   so deleting a schema or catalog with force takes them with it; names
 *   are stored lower-case and looked up without regard to case;
 * - a MANAGED volume may not name a storage_location (the workspace puts
 *   it under the schema's, catalog's or metastore's root); an EXTERNAL
 *   one must, under an external location (400 otherwise);
 * - a volume's full_name is <catalog>.<schema>.<name>; renames go through
 *   PATCH new_name; missing ones are 404 VOLUME_DOES_NOT_EXIST (the
 *   SDKs' IsMissing needs the 404);
 * - tables keep metadata only (no data, no query engine): MANAGED tables
 *   get format DELTA and a storage_location under the managed root;
 *   EXTERNAL ones need a storage_location under an external location;
 *   VIEWs need a view_definition and have no storage or format;
 * - each column gets type_name (the first word of type_text, upper
 *   case), position, nullable (true unless given) and type_json (the
 *   Spark StructField) unless the caller gave one;
 * - the PATCH of a table changes only its owner (UpdateTableRequest has
 *   full_name and owner; other members are ignored, as unknown members
 *   are throughout the API): columns, comment, properties, clustering,
 *   a view's query and a location change through SQL DDL run by the
 *   Statement Execution API (uc_ddl.c, sql/statements.c). The POST
 *   create is the Go SDK's Tables.Create; the DDL's CREATE TABLE makes
 *   its tables through the same code;
 * - a registered model gets a storage_location under the managed root
 *   unless given one, and aliases [] (aliases have an API of their own,
 *   not emulated); PATCH takes new_name, comment and owner; a missing one
 *   is 404 RESOURCE_DOES_NOT_EXIST.
 */
#include <ctype.h>
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

/* --- shared ---------------------------------------------------------------- */

/*
 * The schema of a three-part name "<catalog>.<schema>.<name>"; *leaf
 * points at <name>. A missing catalog or schema is answered in resp.
 */
static struct uc_object *parent_schema(const char **leaf, struct uc_state *st,
				       const char *full,
				       struct emu_response *resp)
{
	const char *last = strrchr(full, '.');
	struct uc_object *cat = NULL, *schema;
	char *schema_full;

	if (!last || last == full || !strchr(full, '.') ||
	    strchr(full, '.') == last) {
		emu_error_invalid(resp, "Invalid full name '%s': expected "
					"<catalog>.<schema>.<name>.",
				  full);
		return NULL;
	}
	schema_full = emu_xmemdup0(full, (size_t)(last - full));
	schema = uc_schema_find(st, schema_full, &cat);
	if (!schema) {
		if (!cat) {
			char *c = emu_xmemdup0(full, (size_t)(strchr(full, '.') -
							      full));

			uc_catalog_missing(resp, c);
			free(c);
		} else {
			uc_schema_missing(resp, schema_full);
		}
	}
	free(schema_full);
	*leaf = last + 1;
	return schema;
}

/* The schema named by the catalog_name and schema_name arguments. */
static struct uc_object *schema_args(struct uc_state *st,
				     struct emu_request *req,
				     struct emu_response *resp)
{
	const char *catalog, *schema;
	struct uc_object *cat, *obj;
	char *full;

	if (emu_arg_string(&catalog, req, resp, "catalog_name",
			   EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&schema, req, resp, "schema_name",
			   EMU_ARG_REQUIRED) < 0)
		return NULL;
	cat = uc_catalog_find(st, catalog);
	if (!cat) {
		uc_catalog_missing(resp, catalog);
		return NULL;
	}
	full = emu_printf("%s.%s", uc_name(cat), schema);
	obj = uc_list_find(&cat->schemas, schema);
	if (!obj)
		uc_schema_missing(resp, full);
	free(full);
	return obj;
}

/* Where managed storage of schema goes: its own, its catalog's, or the
 * metastore's root; then /<kind>/<uuid>. */
static char *managed_location(struct emu_workspace *ws, struct uc_state *st,
			      const struct uc_object *schema, const char *kind)
{
	const char *base = emu_json_str(schema->info, "storage_location");
	struct uc_object *cat;
	char *id = uc_uuid(st), *out;

	if (!base) {
		cat = uc_catalog_find(st, emu_json_str(schema->info,
						       "catalog_name"));
		base = cat ? emu_json_str(cat->info, "storage_location") : NULL;
	}
	if (!base)
		base = uc_cloud_metastore_root(emu_workspace_cloud(ws));
	out = emu_printf("%s%s__unitystorage/%s/%s", base,
			 base[strlen(base) - 1] == '/' ? "" : "/", kind, id);
	free(id);
	return out;
}

/* The common members of a new volume or table of schema. */
static cJSON *new_info(struct uc_state *st, struct emu_request *req,
		       const struct uc_object *schema, const char *lower,
		       const char *id_field)
{
	cJSON *info = cJSON_CreateObject();
	char *full = emu_printf("%s.%s", emu_json_str(schema->info, "full_name"),
				lower);
	char *id = uc_uuid(st);

	cJSON_AddStringToObject(info, "name", lower);
	cJSON_AddStringToObject(info, "catalog_name",
				emu_json_str(schema->info, "catalog_name"));
	cJSON_AddStringToObject(info, "schema_name", uc_name(schema));
	cJSON_AddStringToObject(info, "full_name", full);
	cJSON_AddStringToObject(info, id_field, id);
	cJSON_AddStringToObject(info, "owner",
				req->principal ? req->principal
					       : EMU_DEFAULT_USER_NAME);
	cJSON_AddStringToObject(info, "metastore_id",
				emu_json_str(schema->info, "metastore_id")
					? emu_json_str(schema->info,
						       "metastore_id")
					: UC_METASTORE_ID);
	uc_stamp_created(info, req);
	free(full);
	free(id);
	return info;
}

/*
 * An external storage_location: a URL of the workspace's cloud under an
 * external location. Without --cloud only s3:// URLs, as ever.
 */
int uc_check_external(struct emu_workspace *ws, const struct uc_state *st,
		      struct emu_response *resp, const char *url)
{
	if (emu_workspace_cloud_strict(ws)) {
		if (uc_check_scheme(ws, resp, "storage_location", url) < 0)
			return -1;
		if (!uc_url_of_workspace(ws, url))
			return emu_error_invalid(resp,
						 "Invalid storage_location "
						 "'%s': expected a cloud "
						 "storage URL.",
						 url);
	} else if (!uc_s3_url_valid(url))
		return emu_error_invalid(resp,
					 "Invalid storage_location '%s': "
					 "expected an s3://<bucket>/<path> URL.",
					 url);
	if (!uc_location_covering(st, url))
		return emu_error_invalid(resp,
					 "Input path url '%s' is not covered "
					 "by any external location.",
					 url);
	return 0;
}

/* --- volumes --------------------------------------------------------------- */

static int volume_missing(struct emu_response *resp, const char *full)
{
	return emu_error(resp, 404, "VOLUME_DOES_NOT_EXIST",
			 "Volume '%s' does not exist.", full);
}

void uc_volumes_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name, *type, *loc, *comment;
	struct uc_object *schema;
	cJSON *info;
	char *lower, *managed = NULL;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&type, req, resp, "volume_type", EMU_ARG_REQUIRED) <
		    0 ||
	    uc_arg_text(&loc, req, resp, "storage_location") < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0)
		return;
	schema = schema_args(st, req, resp);
	if (!schema)
		return;
	if (!uc_name_valid(name)) {
		uc_name_error(resp, "CreateVolume",
			      "managedcatalog.VolumeInfo.name", name);
		return;
	}
	if (strcmp(type, "MANAGED") != 0 && strcmp(type, "EXTERNAL") != 0) {
		emu_error_invalid(resp,
				  "Invalid volume_type '%s': expected "
				  "MANAGED or EXTERNAL.",
				  type);
		return;
	}
	if (strcmp(type, "MANAGED") == 0 && loc && *loc) {
		emu_error_invalid(resp, "Storage location cannot be specified "
					"for a MANAGED volume.");
		return;
	}
	if (strcmp(type, "EXTERNAL") == 0) {
		if (!loc || !*loc) {
			emu_error_invalid(resp, "Storage location is required "
						"for an EXTERNAL volume.");
			return;
		}
		if (uc_check_external(req->ws, st, resp, loc) < 0)
			return;
	}
	lower = uc_lower(name);
	if (uc_list_find(&schema->volumes, lower)) {
		emu_error(resp, 409, "VOLUME_ALREADY_EXISTS",
			  "Volume '%s.%s' already exists",
			  emu_json_str(schema->info, "full_name"), lower);
		free(lower);
		return;
	}
	if (schema->volumes.n >= UC_MAX_CHILDREN) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "Cannot create more than %d volumes in a schema.",
			  UC_MAX_CHILDREN);
		free(lower);
		return;
	}
	info = new_info(st, req, schema, lower, "volume_id");
	cJSON_AddStringToObject(info, "volume_type", type);
	if (!loc || !*loc)
		loc = managed =
			managed_location(req->ws, st, schema, "volumes");
	cJSON_AddStringToObject(info, "storage_location", loc);
	uc_set_str(info, "comment", comment);
	uc_list_insert(&schema->volumes, uc_object_new(info));
	emu_response_json(resp, 200, cJSON_Duplicate(info, 1));
	free(managed);
	free(lower);
}

static struct uc_object *volume_arg(struct uc_object **schema_out,
				    struct emu_request *req,
				    struct emu_response *resp)
{
	const char *full = emu_request_param(req, "name"), *leaf;
	struct uc_object *schema = parent_schema(&leaf, req->state, full, resp);
	struct uc_object *vol;

	if (schema_out)
		*schema_out = schema;
	if (!schema)
		return NULL;
	vol = uc_list_find(&schema->volumes, leaf);
	if (!vol)
		volume_missing(resp, full);
	return vol;
}

void uc_volumes_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *vol = volume_arg(NULL, req, resp);

	if (vol)
		emu_response_json(resp, 200, cJSON_Duplicate(vol->info, 1));
}

void uc_volumes_list(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *schema = schema_args(req->state, req, resp);

	if (schema)
		uc_list_respond(req, resp, &schema->volumes, "volumes");
}

void uc_volumes_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *schema, *vol = volume_arg(&schema, req, resp);
	const char *owner, *comment, *new_name;
	char *lower = NULL;

	if (!vol || uc_arg_text(&owner, req, resp, "owner") < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0 ||
	    uc_arg_text(&new_name, req, resp, "new_name") < 0)
		return;
	if (uc_rename_check(&lower, new_name, &schema->volumes, vol,
			    "UpdateVolume", "VOLUME_ALREADY_EXISTS", "Volume",
			    emu_json_str(schema->info, "full_name"),
			    resp) < 0) {
		free(lower);
		return;
	}
	if (owner && *owner)
		uc_set_str(vol->info, "owner", owner);
	if (comment)
		uc_set_str(vol->info, "comment", comment);
	if (lower) {
		char *full = emu_printf(
			"%s.%s", emu_json_str(schema->info, "full_name"), lower);

		uc_set_str(vol->info, "name", lower);
		uc_set_str(vol->info, "full_name", full);
		uc_list_resort(&schema->volumes);
		free(full);
		free(lower);
	}
	uc_respond_updated(vol, req, resp);
}

void uc_volumes_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *schema, *vol = volume_arg(&schema, req, resp);

	if (!vol)
		return;
	uc_object_free(uc_list_take(&schema->volumes,
				    uc_list_index(&schema->volumes, uc_name(vol))));
	emu_response_json(resp, 200, cJSON_CreateObject());
}

/* --- tables ---------------------------------------------------------------- */

static int table_missing(struct emu_response *resp, const char *full)
{
	return emu_error(resp, 404, "TABLE_DOES_NOT_EXIST",
			 "Table '%s' does not exist.", full);
}

/* type_name: the first word of type_text (before '(', '<' or a space),
 * upper case, as the service derives it. */
static char *type_name(const char *text)
{
	size_t n = strcspn(text, "(< ");
	char *out = emu_xmemdup0(text, n), *p;

	for (p = out; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return out;
}

/*
 * Checks columns (an array of {name, type_text, ...}) and returns the
 * array the service stores, with position, type_name, nullable and
 * type_json filled; NULL with a 400 in resp.
 */
cJSON *uc_table_columns(const cJSON *cols, struct emu_response *resp)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *c;
	int pos = 0;

	cJSON_ArrayForEach(c, cols)
	{
		const char *name = emu_json_str(c, "name");
		const char *text = emu_json_str(c, "type_text");
		const cJSON *nullable = cJSON_GetObjectItemCaseSensitive(
			c, "nullable");
		const char *comment = emu_json_str(c, "comment");
		cJSON *col, *tj;
		char *tn;

		if (!cJSON_IsObject(c) || !name || !*name ||
		    strlen(name) > UC_MAX_NAME || !text || !*text ||
		    strlen(text) > UC_MAX_TEXT ||
		    (nullable && !cJSON_IsBool(nullable)) ||
		    (comment && strlen(comment) > UC_MAX_TEXT) ||
		    pos >= UC_MAX_COLUMNS) {
			cJSON_Delete(out);
			emu_error_invalid(resp,
					  "Invalid column %d: a column needs "
					  "a name and a type_text (at most "
					  "%d columns).",
					  pos, UC_MAX_COLUMNS);
			return NULL;
		}
		col = cJSON_CreateObject();
		tn = type_name(text);
		cJSON_AddStringToObject(col, "name", name);
		cJSON_AddStringToObject(col, "type_text", text);
		cJSON_AddStringToObject(col, "type_name", tn);
		cJSON_AddNumberToObject(col, "position", pos);
		cJSON_AddBoolToObject(col, "nullable",
				      !nullable || cJSON_IsTrue(nullable));
		uc_set_str(col, "comment", comment);
		if (emu_json_str(c, "type_json")) {
			uc_set_str(col, "type_json",
				   emu_json_str(c, "type_json"));
		} else {
			char *txt;

			tj = cJSON_CreateObject();
			cJSON_AddStringToObject(tj, "name", name);
			cJSON_AddStringToObject(tj, "type", text);
			cJSON_AddBoolToObject(tj, "nullable",
					      !nullable || cJSON_IsTrue(nullable));
			cJSON_AddItemToObject(tj, "metadata",
					      cJSON_CreateObject());
			txt = cJSON_PrintUnformatted(tj);
			cJSON_AddStringToObject(col, "type_json", txt);
			free(txt);
			cJSON_Delete(tj);
		}
		free(tn);
		cJSON_AddItemToArray(out, col);
		pos++;
	}
	return out;
}

/* A list of strings argument (partitions, cluster_keys) or NULL. */
static int strings_arg(const cJSON **out, struct emu_request *req,
		       struct emu_response *resp, const char *name)
{
	const cJSON *v = emu_arg_json(req, name), *s;

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > UC_MAX_COLUMNS)
		return emu_error_invalid(resp, "Invalid '%s': expected an "
					       "array of column names.",
					 name);
	cJSON_ArrayForEach(s, v)
	{
		if (!cJSON_IsString(s) || strlen(s->valuestring) > UC_MAX_NAME)
			return emu_error_invalid(resp,
						 "Invalid '%s': expected an "
						 "array of column names.",
						 name);
	}
	*out = v;
	return 0;
}

void uc_tables_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name, *type, *fmt, *loc, *view, *comment;
	const cJSON *props, *parts, *keys, *cols_in = emu_arg_json(req, "columns");
	struct uc_object *schema;
	cJSON *info, *cols;
	char *lower, *managed = NULL;
	bool is_view;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&type, req, resp, "table_type", EMU_ARG_REQUIRED) <
		    0 ||
	    emu_arg_string(&fmt, req, resp, "data_source_format",
			   EMU_ARG_OPTIONAL) < 0 ||
	    uc_arg_text(&loc, req, resp, "storage_location") < 0 ||
	    uc_arg_text(&view, req, resp, "view_definition") < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0 ||
	    uc_arg_properties(&props, req, resp) < 0 ||
	    strings_arg(&parts, req, resp, "partitions") < 0 ||
	    strings_arg(&keys, req, resp, "cluster_keys") < 0)
		return;
	if (cols_in && !cJSON_IsNull(cols_in) && !cJSON_IsArray(cols_in)) {
		emu_error_invalid(resp, "Invalid 'columns': expected an array.");
		return;
	}
	schema = schema_args(st, req, resp);
	if (!schema)
		return;
	if (!uc_name_valid(name)) {
		uc_name_error(resp, "CreateTable",
			      "managedcatalog.TableInfo.name", name);
		return;
	}
	is_view = strcmp(type, "VIEW") == 0 ||
		  strcmp(type, "MATERIALIZED_VIEW") == 0;
	if (!is_view && strcmp(type, "MANAGED") != 0 &&
	    strcmp(type, "EXTERNAL") != 0) {
		emu_error_invalid(resp,
				  "Invalid table_type '%s': expected MANAGED, "
				  "EXTERNAL or VIEW.",
				  type);
		return;
	}
	if (is_view && (!view || !*view)) {
		emu_error_invalid(resp, "A view needs a view_definition.");
		return;
	}
	if (!is_view && view && *view) {
		emu_error_invalid(resp, "Only a view has a view_definition.");
		return;
	}
	if (strcmp(type, "EXTERNAL") == 0) {
		if (!loc || !*loc) {
			emu_error_invalid(resp, "Storage location is required "
						"for an EXTERNAL table.");
			return;
		}
		if (uc_check_external(req->ws, st, resp, loc) < 0)
			return;
	} else if (loc && *loc) {
		emu_error_invalid(resp, "Storage location cannot be specified "
					"for a %s table.",
				  type);
		return;
	}
	cols = uc_table_columns(cols_in, resp);
	if (!cols)
		return;
	lower = uc_lower(name);
	if (uc_list_find(&schema->tables, lower)) {
		emu_error(resp, 409, "TABLE_ALREADY_EXISTS",
			  "Table '%s.%s' already exists",
			  emu_json_str(schema->info, "full_name"), lower);
		goto fail;
	}
	if (schema->tables.n >= UC_MAX_CHILDREN) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "Cannot create more than %d tables in a schema.",
			  UC_MAX_CHILDREN);
		goto fail;
	}
	info = new_info(st, req, schema, lower, "table_id");
	cJSON_AddStringToObject(info, "table_type", type);
	if (!is_view) {
		cJSON_AddStringToObject(info, "data_source_format",
					fmt && *fmt ? fmt : "DELTA");
		if (!loc || !*loc)
			loc = managed =
				managed_location(req->ws, st, schema, "tables");
		cJSON_AddStringToObject(info, "storage_location", loc);
	} else {
		cJSON_AddStringToObject(info, "view_definition", view);
	}
	cJSON_AddItemToObject(info, "columns", cols);
	uc_set_str(info, "comment", comment);
	uc_set_json(info, "properties",
		    props && cJSON_GetArraySize(props) > 0 ? props : NULL);
	uc_set_json(info, "partitions",
		    parts && cJSON_GetArraySize(parts) > 0 ? parts : NULL);
	uc_set_json(info, "cluster_keys",
		    keys && cJSON_GetArraySize(keys) > 0 ? keys : NULL);
	uc_list_insert(&schema->tables, uc_object_new(info));
	emu_response_json(resp, 200, cJSON_Duplicate(info, 1));
	free(managed);
	free(lower);
	return;
fail:
	cJSON_Delete(cols);
	free(lower);
}

static struct uc_object *table_arg(struct uc_object **schema_out,
				   struct emu_request *req,
				   struct emu_response *resp)
{
	const char *full = emu_request_param(req, "name"), *leaf;
	struct uc_object *schema = parent_schema(&leaf, req->state, full, resp);
	struct uc_object *t;

	if (schema_out)
		*schema_out = schema;
	if (!schema)
		return NULL;
	t = uc_list_find(&schema->tables, leaf);
	if (!t)
		table_missing(resp, full);
	return t;
}

void uc_tables_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *t = table_arg(NULL, req, resp);

	if (t)
		emu_response_json(resp, 200, cJSON_Duplicate(t->info, 1));
}

void uc_tables_list(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *schema = schema_args(req->state, req, resp);

	if (schema)
		uc_list_respond(req, resp, &schema->tables, "tables");
}

void uc_tables_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *t = table_arg(NULL, req, resp);
	const char *owner;

	/* The real UpdateTableRequest has full_name and owner only; other
	 * fields are ignored (unknown JSON members are, throughout the
	 * API). Columns, comment, properties... change through SQL DDL
	 * (sql/statements.c, uc_ddl.c). */
	if (!t || uc_arg_text(&owner, req, resp, "owner") < 0)
		return;
	if (owner && *owner)
		uc_set_str(t->info, "owner", owner);
	uc_respond_updated(t, req, resp);
}

void uc_tables_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *schema, *t = table_arg(&schema, req, resp);

	if (!t)
		return;
	uc_object_free(uc_list_take(&schema->tables,
				    uc_list_index(&schema->tables, uc_name(t))));
	emu_response_json(resp, 200, cJSON_CreateObject());
}

/* --- registered models ------------------------------------------------------ */

static int model_missing(struct emu_response *resp, const char *full)
{
	return emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
			 "Registered model '%s' does not exist.", full);
}

void uc_models_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name, *loc, *comment;
	struct uc_object *schema;
	cJSON *info;
	char *lower, *managed = NULL;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    uc_arg_text(&loc, req, resp, "storage_location") < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0)
		return;
	schema = schema_args(st, req, resp);
	if (!schema)
		return;
	if (!uc_name_valid(name)) {
		uc_name_error(resp, "CreateRegisteredModel",
			      "managedcatalog.RegisteredModelInfo.name", name);
		return;
	}
	if (loc && *loc && uc_check_external(req->ws, st, resp, loc) < 0)
		return;
	lower = uc_lower(name);
	if (uc_list_find(&schema->models, lower)) {
		emu_error(resp, 409, "RESOURCE_ALREADY_EXISTS",
			  "Registered model '%s.%s' already exists",
			  emu_json_str(schema->info, "full_name"), lower);
		free(lower);
		return;
	}
	if (schema->models.n >= UC_MAX_CHILDREN) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "Cannot create more than %d models in a schema.",
			  UC_MAX_CHILDREN);
		free(lower);
		return;
	}
	info = new_info(st, req, schema, lower, "id");
	if (!loc || !*loc)
		loc = managed = managed_location(req->ws, st, schema, "models");
	cJSON_AddStringToObject(info, "storage_location", loc);
	uc_set_str(info, "comment", comment);
	cJSON_AddArrayToObject(info, "aliases");
	cJSON_AddBoolToObject(info, "browse_only", false);
	uc_list_insert(&schema->models, uc_object_new(info));
	emu_response_json(resp, 200, cJSON_Duplicate(info, 1));
	free(managed);
	free(lower);
}

static struct uc_object *model_arg(struct uc_object **schema_out,
				   struct emu_request *req,
				   struct emu_response *resp)
{
	const char *full = emu_request_param(req, "name"), *leaf;
	struct uc_object *schema = parent_schema(&leaf, req->state, full, resp);
	struct uc_object *m;

	if (schema_out)
		*schema_out = schema;
	if (!schema)
		return NULL;
	m = uc_list_find(&schema->models, leaf);
	if (!m)
		model_missing(resp, full);
	return m;
}

void uc_models_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *m = model_arg(NULL, req, resp);

	if (m)
		emu_response_json(resp, 200, cJSON_Duplicate(m->info, 1));
}

void uc_models_list(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *schema = schema_args(req->state, req, resp);

	if (schema)
		uc_list_respond(req, resp, &schema->models,
				"registered_models");
}

void uc_models_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *schema, *m = model_arg(&schema, req, resp);
	const char *owner, *comment, *new_name;
	char *lower = NULL;

	if (!m || uc_arg_text(&owner, req, resp, "owner") < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0 ||
	    uc_arg_text(&new_name, req, resp, "new_name") < 0)
		return;
	if (uc_rename_check(&lower, new_name, &schema->models, m,
			    "UpdateRegisteredModel", "RESOURCE_ALREADY_EXISTS",
			    "Registered model",
			    emu_json_str(schema->info, "full_name"),
			    resp) < 0) {
		free(lower);
		return;
	}
	if (owner && *owner)
		uc_set_str(m->info, "owner", owner);
	if (comment)
		uc_set_str(m->info, "comment", comment);
	if (lower) {
		char *full = emu_printf(
			"%s.%s", emu_json_str(schema->info, "full_name"), lower);

		uc_set_str(m->info, "name", lower);
		uc_set_str(m->info, "full_name", full);
		uc_list_resort(&schema->models);
		free(full);
		free(lower);
	}
	uc_respond_updated(m, req, resp);
}

void uc_models_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *schema, *m = model_arg(&schema, req, resp);

	if (!m)
		return;
	uc_object_free(uc_list_take(&schema->models,
				    uc_list_index(&schema->models, uc_name(m))));
	emu_response_json(resp, 200, cJSON_CreateObject());
}
