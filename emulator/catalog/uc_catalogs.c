/*
 * Unity Catalog catalogs and schemas (databricks-rest-api.md §6.2, §6.3).
 *
 *   POST   /api/2.1/unity-catalog/catalogs              -> CatalogInfo
 *   GET    /api/2.1/unity-catalog/catalogs              -> {catalogs, ...}
 *   GET    /api/2.1/unity-catalog/catalogs/{name}       -> CatalogInfo
 *   PATCH  /api/2.1/unity-catalog/catalogs/{name}       -> CatalogInfo
 *   DELETE /api/2.1/unity-catalog/catalogs/{name}       ?force= -> {}
 *   POST   /api/2.1/unity-catalog/schemas               -> SchemaInfo
 *   GET    /api/2.1/unity-catalog/schemas ?catalog_name= -> {schemas, ...}
 *   GET    /api/2.1/unity-catalog/schemas/{full_name}   -> SchemaInfo
 *   PATCH  /api/2.1/unity-catalog/schemas/{full_name}   -> SchemaInfo
 *   DELETE /api/2.1/unity-catalog/schemas/{full_name}   ?force= -> {}
 *
 * Behaviour clients depend on:
 * - names are looked up case-insensitively and stored lower-case;
 * - a new catalog gets the schemas default and information_schema (the
 *   official provider deletes <catalog>.default right after creating a
 *   catalog, so it must exist);
 * - default counts as content: DELETE of a catalog holding any schema
 *   besides information_schema is 400 CATALOG_NOT_EMPTY unless force=true,
 *   which deletes the schemas (and their grants) with it;
 * - missing objects are 404 CATALOG_DOES_NOT_EXIST / SCHEMA_DOES_NOT_EXIST
 *   (the SDKs' IsMissing() needs the 404), duplicates 409 *_ALREADY_EXISTS;
 * - a storage_root must lie under an external location; the object's
 *   storage_location is then <root>/__unitystorage/<kind>/<uuid>;
 * - renaming a catalog renames its schemas' full names; grants stay with
 *   the objects;
 * - the system catalog and every information_schema belong to "System
 *   user": changing or deleting them is 403 PERMISSION_DENIED.
 *
 * - a Delta Sharing catalog (provider_name with share_name) is a
 *   DELTASHARING_CATALOG, a foreign one (connection_name, with options) a
 *   FOREIGN_CATALOG; neither has a storage_root. The emulator has no
 *   providers, shares or connections to check the names against: it
 *   takes them as given;
 * - effective_predictive_optimization_flag is the object's own
 *   enable_predictive_optimization when ENABLE or DISABLE, else its
 *   parent's effective one: a schema's catalog (CATALOG <name>) or the
 *   metastore (METASTORE <metastore name>, DISABLE).
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

static const char *caller(const struct emu_request *req)
{
	return req->principal ? req->principal : EMU_DEFAULT_USER_NAME;
}

static void stamp(cJSON *info, int64_t now, const char *by)
{
	emu_json_add_int64(info, "created_at", now);
	cJSON_AddStringToObject(info, "created_by", by);
	emu_json_add_int64(info, "updated_at", now);
	cJSON_AddStringToObject(info, "updated_by", by);
}

static bool is_system_catalog(const struct uc_object *cat)
{
	const char *type = emu_json_str(cat->info, "catalog_type");

	return type && strcmp(type, "SYSTEM_CATALOG") == 0;
}

static bool is_information_schema(const struct uc_object *schema)
{
	return strcmp(uc_name(schema), UC_INFORMATION_SCHEMA) == 0;
}

/* <root>/__unitystorage/<kind>/<uuid>, root without its trailing '/'. */
static char *storage_location(struct uc_state *st, const char *root,
			      const char *kind)
{
	size_t n = strlen(root);
	char *id = uc_uuid(st), *out;

	while (n > 0 && root[n - 1] == '/')
		n--;
	out = emu_printf("%.*s/__unitystorage/%s/%s", (int)n, root, kind, id);
	free(id);
	return out;
}

struct new_object {
	const char *name, *owner, *comment, *storage_root;
	const char *metastore_id; /* NULL: the start-up workspace's */
	const cJSON *properties;
	int64_t now;
	const char *by;
};

/*
 * The members catalogs and schemas share, in the order the real API writes
 * them: owner, comment, properties (left out when empty), storage_root with
 * the storage_location made from it (kind: "catalogs" or "schemas"),
 * metastore_id.
 */
static void add_common_members(cJSON *info, struct uc_state *st,
			       const struct new_object *o, const char *kind)
{
	cJSON_AddStringToObject(info, "owner", o->owner);
	uc_set_str(info, "comment", o->comment);
	uc_set_json(info, "properties",
		    o->properties && cJSON_GetArraySize(o->properties) > 0
			    ? o->properties
			    : NULL);
	if (o->storage_root && *o->storage_root) {
		char *loc = storage_location(st, o->storage_root, kind);

		cJSON_AddStringToObject(info, "storage_root", o->storage_root);
		cJSON_AddStringToObject(info, "storage_location", loc);
		free(loc);
	}
	cJSON_AddStringToObject(info, "metastore_id",
				o->metastore_id ? o->metastore_id
						: UC_METASTORE_ID);
}

static bool predictive_own(const cJSON *info)
{
	const char *own = emu_json_str(info, "enable_predictive_optimization");

	return own && (strcmp(own, "ENABLE") == 0 || strcmp(own, "DISABLE") == 0);
}

/*
 * effective_predictive_optimization_flag of a catalog (parent NULL) or a
 * schema (parent: its catalog's info): the object's own ENABLE or DISABLE,
 * else what its parent has in effect, inherited from the parent when the
 * parent's is its own, else from where the parent has it (the metastore,
 * whose setting is DISABLE).
 */
static void effective_predictive(cJSON *info, const cJSON *parent)
{
	const cJSON *pf = parent ? cJSON_GetObjectItemCaseSensitive(
					   parent,
					   "effective_predictive_optimization_flag")
				 : NULL;
	cJSON *flag = cJSON_CreateObject();

	if (predictive_own(info)) {
		cJSON_AddStringToObject(
			flag, "value",
			emu_json_str(info, "enable_predictive_optimization"));
	} else if (pf && predictive_own(parent)) {
		cJSON_AddStringToObject(flag, "value",
					emu_json_str(pf, "value"));
		cJSON_AddStringToObject(flag, "inherited_from_type", "CATALOG");
		cJSON_AddStringToObject(flag, "inherited_from_name",
					emu_json_str(parent, "name"));
	} else {
		cJSON_AddStringToObject(flag, "value", "DISABLE");
		cJSON_AddStringToObject(flag, "inherited_from_type",
					"METASTORE");
		cJSON_AddStringToObject(flag, "inherited_from_name",
					UC_METASTORE_NAME);
	}
	uc_set_json(info, "effective_predictive_optimization_flag", flag);
	cJSON_Delete(flag);
}

/* After a catalog's setting or name changed: its schemas' flags. */
static void effective_predictive_schemas(struct uc_object *cat)
{
	size_t i;

	for (i = 0; i < cat->schemas.n; i++)
		effective_predictive(cat->schemas.items[i]->info, cat->info);
}

static struct uc_object *schema_add(struct uc_state *st, struct uc_object *cat,
				    const struct new_object *o)
{
	cJSON *info = cJSON_CreateObject();
	char *full = emu_printf("%s.%s", uc_name(cat), o->name);
	char *id = uc_uuid(st);
	struct uc_object *schema;

	cJSON_AddStringToObject(info, "name", o->name);
	cJSON_AddStringToObject(info, "catalog_name", uc_name(cat));
	cJSON_AddStringToObject(info, "full_name", full);
	cJSON_AddStringToObject(info, "schema_id", id);
	add_common_members(info, st, o, "schemas");
	uc_set_json(
		info, "catalog_type",
		cJSON_GetObjectItemCaseSensitive(cat->info, "catalog_type"));
	cJSON_AddBoolToObject(info, "browse_only", false);
	effective_predictive(info, cat->info);
	stamp(info, o->now, o->by);
	free(full);
	free(id);
	schema = uc_object_new(info);
	uc_list_insert(&cat->schemas, schema);
	st->nschemas++;
	return schema;
}


/* A catalog with its information_schema and, unless system, default. */
static struct uc_object *
catalog_add(struct uc_state *st, const struct new_object *o, const char *type)
{
	cJSON *info = cJSON_CreateObject();
	struct uc_object *cat;
	bool system = strcmp(type, "SYSTEM_CATALOG") == 0;
	struct new_object schema = {.now = o->now,
				    .by = o->by,
				    .metastore_id = o->metastore_id};

	cJSON_AddStringToObject(info, "name", o->name);
	cJSON_AddStringToObject(info, "full_name", o->name);
	add_common_members(info, st, o, "catalogs");
	cJSON_AddStringToObject(info, "catalog_type", type);
	cJSON_AddStringToObject(info, "securable_type", "CATALOG");
	cJSON_AddStringToObject(info, "isolation_mode", "OPEN");
	cJSON_AddBoolToObject(info, "browse_only", false);
	effective_predictive(info, NULL);
	stamp(info, o->now, o->by);
	cat = uc_object_new(info);
	uc_list_insert(&st->catalogs, cat);

	if (!system) {
		schema.name = "default";
		schema.owner = o->owner;
		schema.comment = "Default schema (auto-created)";
		schema_add(st, cat, &schema);
	}
	schema.name = UC_INFORMATION_SCHEMA;
	schema.owner = UC_SYSTEM_USER;
	schema.comment = "Information schema (auto-created)";
	schema_add(st, cat, &schema);
	return cat;
}

void uc_catalogs_add_defaults(struct uc_state *st)
{
	struct new_object main_catalog = {
		.name = UC_DEFAULT_CATALOG,
		.owner = EMU_DEFAULT_USER_NAME,
		.comment = "Main catalog (auto-created)",
		.now = st->created_at,
		.by = EMU_DEFAULT_USER_NAME,
	};
	struct new_object system_catalog = {
		.name = "system",
		.owner = UC_SYSTEM_USER,
		.comment = "System catalog (auto-created)",
		.now = st->created_at,
		.by = UC_SYSTEM_USER,
	};

	catalog_add(st, &main_catalog, "MANAGED_CATALOG");
	catalog_add(st, &system_catalog, "SYSTEM_CATALOG");
}

static int system_owned(struct emu_response *resp, const char *kind,
			const char *name)
{
	return emu_error(resp, 403, "PERMISSION_DENIED",
			 "%s '%s' is owned by the system and cannot be "
			 "modified or deleted.",
			 kind, name);
}

static int quota(struct emu_response *resp, const char *what, int max)
{
	return emu_error(resp, 400, "QUOTA_EXCEEDED",
			 "Cannot create %s: the metastore already has the "
			 "emulator's maximum of %d.",
			 what, max);
}

/* enable_predictive_optimization: ENABLE, DISABLE or INHERIT. */
static int predictive_arg(const char **out, struct emu_request *req,
			  struct emu_response *resp)
{
	if (emu_arg_string(out, req, resp, "enable_predictive_optimization",
			   EMU_ARG_OPTIONAL) < 0)
		return -1;
	if (*out && (*out)[0] && strcmp(*out, "ENABLE") != 0 &&
	    strcmp(*out, "DISABLE") != 0 && strcmp(*out, "INHERIT") != 0)
		return emu_error_invalid(
			resp,
			"Invalid enable_predictive_optimization "
			"'%s': expected ENABLE, DISABLE or "
			"INHERIT.",
			*out);
	return 0;
}

/* --- catalogs ------------------------------------------------------------- */


/* A renamed schema's or catalog's schemas' full_name: <catalog>.<schema>. */
static void set_full_name(struct uc_object *schema, const char *catalog,
			  const char *name)
{
	char *full = emu_printf("%s.%s", catalog, name);

	uc_set_str(schema->info, "full_name", full);
	free(full);
}

void uc_catalogs_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name, *comment, *root, *provider, *share, *conn;
	const char *type = "MANAGED_CATALOG";
	const cJSON *options;
	struct new_object o = {.now = emu_workspace_now_ms(req->ws),
			       .by = caller(req),
			       .metastore_id = uc_assigned_metastore(req->ws)};
	struct uc_object *cat;
	char *lower = NULL;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0 ||
	    uc_arg_text(&root, req, resp, "storage_root") < 0 ||
	    emu_arg_string(&provider, req, resp, "provider_name",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&share, req, resp, "share_name", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(&conn, req, resp, "connection_name",
			   EMU_ARG_OPTIONAL) < 0 ||
	    uc_arg_properties(&o.properties, req, resp) < 0 ||
	    uc_arg_map(&options, req, resp, "options") < 0)
		return;
	if (!uc_name_valid(name)) {
		uc_name_error(resp, "CreateCatalog",
			      "managedcatalog.CatalogInfo.name", name);
		return;
	}
	provider = provider && *provider ? provider : NULL;
	share = share && *share ? share : NULL;
	conn = conn && *conn ? conn : NULL;
	if (!provider != !share) {
		emu_error_invalid(resp, "A Delta Sharing catalog needs both "
					"provider_name and share_name.");
		return;
	}
	if (provider && conn) {
		emu_error_invalid(resp, "A catalog is either a Delta Sharing "
					"catalog (provider_name, share_name) "
					"or a foreign catalog "
					"(connection_name), not both.");
		return;
	}
	if ((provider || conn) && root && *root) {
		emu_error_invalid(resp, "storage_root cannot be given for a "
					"Delta Sharing or foreign catalog.");
		return;
	}
	if (provider)
		type = "DELTASHARING_CATALOG";
	else if (conn)
		type = "FOREIGN_CATALOG";
	lower = uc_lower(name);
	if (uc_catalog_find(st, lower)) {
		emu_error(resp, 409, "CATALOG_ALREADY_EXISTS",
			  "Catalog '%s' already exists", lower);
		goto done;
	}
	if (st->catalogs.n >= UC_MAX_CATALOGS) {
		quota(resp, "catalog", UC_MAX_CATALOGS);
		goto done;
	}
	if (st->nschemas + 2 > UC_MAX_SCHEMAS) {
		quota(resp, "schema", UC_MAX_SCHEMAS);
		goto done;
	}
	if (root && *root && uc_check_storage_root(req->ws, st, resp, root) < 0)
		goto done;

	o.name = lower;
	o.owner = o.by;
	o.comment = comment;
	o.storage_root = root;
	cat = catalog_add(st, &o, type);
	uc_set_str(cat->info, "provider_name", provider);
	uc_set_str(cat->info, "share_name", share);
	uc_set_str(cat->info, "connection_name", conn);
	uc_set_json(cat->info, "options",
		    options && cJSON_GetArraySize(options) > 0 ? options
							       : NULL);
	emu_response_json(resp, 200, cJSON_Duplicate(cat->info, 1));
done:
	free(lower);
}

static struct uc_object *catalog_arg(struct emu_request *req,
				     struct emu_response *resp)
{
	const char *name = emu_request_param(req, "name");
	struct uc_object *cat = uc_catalog_find(req->state, name);

	if (!cat)
		uc_catalog_missing(resp, name);
	return cat;
}

void uc_catalogs_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *cat = catalog_arg(req, resp);

	if (cat)
		emu_response_json(resp, 200, cJSON_Duplicate(cat->info, 1));
}

void uc_catalogs_list(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;

	uc_list_respond(req, resp, &st->catalogs, "catalogs");
}

/* Applies the PATCH fields every securable shares: owner, comment,
 * properties. */
static int common_update_args(const char **owner, const char **comment,
			      const cJSON **props, struct emu_request *req,
			      struct emu_response *resp)
{
	if (uc_arg_text(owner, req, resp, "owner") < 0 ||
	    uc_arg_text(comment, req, resp, "comment") < 0 ||
	    uc_arg_properties(props, req, resp) < 0)
		return -1;
	return 0;
}

static void common_update(cJSON *info, const char *owner, const char *comment,
			  const cJSON *props)
{
	/* An empty owner is "not given" (proto3); an empty comment clears. */
	if (owner && *owner)
		uc_set_str(info, "owner", owner);
	if (comment)
		uc_set_str(info, "comment", comment);
	if (props)
		uc_set_json(info, "properties",
			    cJSON_GetArraySize(props) > 0 ? props : NULL);
}

void uc_catalogs_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *cat = catalog_arg(req, resp);
	const char *new_name, *owner, *comment, *isolation, *predictive;
	const cJSON *props, *options;
	char *lower = NULL;
	size_t i;

	if (!cat ||
	    emu_arg_string(&new_name, req, resp, "new_name", EMU_ARG_OPTIONAL) <
		    0 ||
	    common_update_args(&owner, &comment, &props, req, resp) < 0 ||
	    emu_arg_string(&isolation, req, resp, "isolation_mode",
			   EMU_ARG_OPTIONAL) < 0 ||
	    predictive_arg(&predictive, req, resp) < 0 ||
	    uc_arg_map(&options, req, resp, "options") < 0)
		return;
	if (is_system_catalog(cat)) {
		system_owned(resp, "Catalog", uc_name(cat));
		return;
	}
	if (isolation && *isolation && strcmp(isolation, "OPEN") != 0 &&
	    strcmp(isolation, "ISOLATED") != 0) {
		emu_error_invalid(resp,
				  "Invalid isolation_mode '%s': expected OPEN "
				  "or ISOLATED.",
				  isolation);
		return;
	}
	if (uc_rename_check(&lower, new_name, &st->catalogs, cat,
			    "UpdateCatalog", "CATALOG_ALREADY_EXISTS",
			    "Catalog", NULL, resp) < 0)
		goto done;

	common_update(cat->info, owner, comment, props);
	if (isolation && *isolation)
		uc_set_str(cat->info, "isolation_mode", isolation);
	if (predictive && *predictive) {
		uc_set_str(cat->info, "enable_predictive_optimization",
			   predictive);
		effective_predictive(cat->info, NULL);
	}
	if (options)
		uc_set_json(cat->info, "options",
			    cJSON_GetArraySize(options) > 0 ? options : NULL);
	if (lower) {
		uc_set_str(cat->info, "name", lower);
		uc_set_str(cat->info, "full_name", lower);
		for (i = 0; i < cat->schemas.n; i++) {
			struct uc_object *schema = cat->schemas.items[i];

			uc_set_str(schema->info, "catalog_name", lower);
			set_full_name(schema, lower, uc_name(schema));
		}
		uc_list_resort(&st->catalogs);
	}
	if ((predictive && *predictive) || lower)
		effective_predictive_schemas(cat);
	uc_respond_updated(cat, req, resp);
done:
	free(lower);
}

void uc_catalogs_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *cat = catalog_arg(req, resp);
	size_t i, content = 0;
	bool force;

	if (!cat || uc_arg_force(&force, req, resp) < 0)
		return;
	if (is_system_catalog(cat)) {
		system_owned(resp, "Catalog", uc_name(cat));
		return;
	}
	for (i = 0; i < cat->schemas.n; i++)
		if (!is_information_schema(cat->schemas.items[i]))
			content++;
	if (content > 0 && !force) {
		emu_error(resp, 400, "CATALOG_NOT_EMPTY",
			  "Catalog '%s' is not empty. There are %zu schemas "
			  "in it besides information_schema; use force=true "
			  "to delete them with it.",
			  uc_name(cat), content);
		return;
	}
	/* Schemas and every grant on them go with the catalog. */
	st->nschemas -= cat->schemas.n;
	uc_object_free(uc_list_take(
		&st->catalogs, uc_list_index(&st->catalogs, uc_name(cat))));
}

/* --- schemas -------------------------------------------------------------- */

void uc_schemas_create(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	const char *name, *catalog_name, *comment, *root;
	struct new_object o = {.now = emu_workspace_now_ms(req->ws),
			       .by = caller(req),
			       .metastore_id = uc_assigned_metastore(req->ws)};
	struct uc_object *cat, *schema;
	char *lower = NULL;

	if (emu_arg_string(&name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&catalog_name, req, resp, "catalog_name",
			   EMU_ARG_REQUIRED) < 0 ||
	    uc_arg_text(&comment, req, resp, "comment") < 0 ||
	    uc_arg_text(&root, req, resp, "storage_root") < 0 ||
	    uc_arg_properties(&o.properties, req, resp) < 0)
		return;
	if (!uc_name_valid(name)) {
		uc_name_error(resp, "CreateSchema",
			      "managedcatalog.SchemaInfo.name", name);
		return;
	}
	cat = uc_catalog_find(st, catalog_name);
	if (!cat) {
		uc_catalog_missing(resp, catalog_name);
		return;
	}
	if (is_system_catalog(cat)) {
		system_owned(resp, "Catalog", uc_name(cat));
		return;
	}
	lower = uc_lower(name);
	if (uc_list_find(&cat->schemas, lower)) {
		emu_error(resp, 409, "SCHEMA_ALREADY_EXISTS",
			  "Schema '%s.%s' already exists", uc_name(cat), lower);
		goto done;
	}
	if (st->nschemas >= UC_MAX_SCHEMAS) {
		quota(resp, "schema", UC_MAX_SCHEMAS);
		goto done;
	}
	if (root && *root && uc_check_storage_root(req->ws, st, resp, root) < 0)
		goto done;

	o.name = lower;
	o.owner = o.by;
	o.comment = comment;
	o.storage_root = root;
	schema = schema_add(st, cat, &o);
	emu_response_json(resp, 200, cJSON_Duplicate(schema->info, 1));
done:
	free(lower);
}

/* The schema named by the path; NULL after writing a 404. */
static struct uc_object *schema_arg(struct uc_object **cat_out,
				    struct emu_request *req,
				    struct emu_response *resp)
{
	const char *full = emu_request_param(req, "name");
	const char *dot = strchr(full, '.');
	struct uc_object *schema = uc_schema_find(req->state, full, cat_out);

	if (schema)
		return schema;
	if (dot && !*cat_out) {
		char *cat_name = emu_xmemdup0(full, (size_t)(dot - full));

		uc_catalog_missing(resp, cat_name);
		free(cat_name);
	} else {
		uc_schema_missing(resp, full);
	}
	return NULL;
}

void uc_schemas_get(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *cat, *schema = schema_arg(&cat, req, resp);

	if (schema)
		emu_response_json(resp, 200, cJSON_Duplicate(schema->info, 1));
}

void uc_schemas_list(struct emu_request *req, struct emu_response *resp)
{
	const char *catalog_name;
	struct uc_object *cat;

	if (emu_arg_string(&catalog_name, req, resp, "catalog_name",
			   EMU_ARG_REQUIRED) < 0)
		return;
	cat = uc_catalog_find(req->state, catalog_name);
	if (!cat) {
		uc_catalog_missing(resp, catalog_name);
		return;
	}
	uc_list_respond(req, resp, &cat->schemas, "schemas");
}

void uc_schemas_update(struct emu_request *req, struct emu_response *resp)
{
	struct uc_object *cat, *schema = schema_arg(&cat, req, resp);
	const char *new_name, *owner, *comment, *predictive;
	const cJSON *props;
	char *lower = NULL;

	if (!schema ||
	    emu_arg_string(&new_name, req, resp, "new_name", EMU_ARG_OPTIONAL) <
		    0 ||
	    common_update_args(&owner, &comment, &props, req, resp) < 0 ||
	    predictive_arg(&predictive, req, resp) < 0)
		return;
	if (is_system_catalog(cat) || is_information_schema(schema)) {
		system_owned(resp, "Schema",
			     emu_json_str(schema->info, "full_name"));
		return;
	}
	if (uc_rename_check(&lower, new_name, &cat->schemas, schema,
			    "UpdateSchema", "SCHEMA_ALREADY_EXISTS", "Schema",
			    uc_name(cat), resp) < 0)
		goto done;

	common_update(schema->info, owner, comment, props);
	if (predictive && *predictive) {
		uc_set_str(schema->info, "enable_predictive_optimization",
			   predictive);
		effective_predictive(schema->info, cat->info);
	}
	if (lower) {
		uc_set_str(schema->info, "name", lower);
		set_full_name(schema, uc_name(cat), lower);
		uc_list_resort(&cat->schemas);
	}
	uc_respond_updated(schema, req, resp);
done:
	free(lower);
}

void uc_schemas_delete(struct emu_request *req, struct emu_response *resp)
{
	struct uc_state *st = req->state;
	struct uc_object *cat, *schema = schema_arg(&cat, req, resp);
	bool force;

	/* Tables, volumes and models are content: without force they keep the
	 * schema; with it they go with it. */
	if (!schema || uc_arg_force(&force, req, resp) < 0)
		return;
	if (!force &&
	    (schema->tables.n || schema->volumes.n || schema->models.n)) {
		emu_error(resp, 400, "SCHEMA_NOT_EMPTY",
			  "Schema '%s' is not empty.",
			  emu_json_str(schema->info, "full_name"));
		return;
	}
	if (is_system_catalog(cat) || is_information_schema(schema)) {
		system_owned(resp, "Schema",
			     emu_json_str(schema->info, "full_name"));
		return;
	}
	st->nschemas--;
	uc_object_free(uc_list_take(
		&cat->schemas, uc_list_index(&cat->schemas, uc_name(schema))));
}
