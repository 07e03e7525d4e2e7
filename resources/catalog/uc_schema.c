/*
 * databricks_schema: a Unity Catalog schema (database), the second level
 * of the catalog.schema.table namespace.
 *
 * REST: POST /api/2.1/unity-catalog/schemas,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/schemas/{catalog}.{schema}.
 *
 * Quirks that explain the code:
 *  - Create takes name, catalog_name, comment, properties and
 *    storage_root; owner and enable_predictive_optimization are set by a
 *    PATCH after it, owner last (see uc_catalog.c).
 *  - The official provider makes name and catalog_name force a new
 *    schema; so does this one, so the two agree on what a plan replaces.
 *  - A missing schema is 404 SCHEMA_DOES_NOT_EXIST; a missing catalog on
 *    create is 404 CATALOG_DOES_NOT_EXIST, which is an error there, not
 *    "gone" (tfp_catalog__create reports it).
 *  - Names come back lower-case; read keeps the configured spelling.
 * Import ID: <catalog_name>.<name>.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "importid.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

static int schema_validate_po(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	static const char *const allowed[] = {"ENABLE", "DISABLE", "INHERIT",
					      NULL};

	return tfp_catalog__check_enum(d, path, v, "enable_predictive_optimization",
				 allowed, "ENABLE, DISABLE or INHERIT");
}

/* clang-format off */
static const struct tfp_attr schema_attrs[] = {
	{ .name = "catalog_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The catalog the schema is in. Changing it replaces the "
		  "schema." },
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The schema's name in its catalog (stored lower-case). "
		  "Changing it replaces the schema." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "properties", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Key-value properties of the schema." },
	{ .name = "storage_root", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_url,
	  .desc = "Where managed tables of the schema are stored; the "
		  "catalog's root when left out. Changing it replaces the "
		  "schema." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the schema; the creator when left out." },
	{ .name = "enable_predictive_optimization", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = schema_validate_po,
	  .desc = "ENABLE, DISABLE or INHERIT (from the catalog)." },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete the schema with its tables, views and volumes on "
		  "destroy. Without it destroying a schema that is not "
		  "empty fails." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore the schema belongs to." },
	{ .name = "schema_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The schema's unique identifier." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .desc = "<catalog_name>.<name>." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const schema_create_fields[] = {
	"name", "catalog_name", "comment", "properties", "storage_root", NULL};
static const char *const schema_patch_fields[] = {
	"comment", "properties", "enable_predictive_optimization", NULL};
/* What POST does not take: the PATCH right after a create. */
static const char *const schema_after_create_fields[] = {
	"enable_predictive_optimization", NULL};
static const char *const schema_folded[] = {"name", "catalog_name", NULL};
static const char *const schema_slashed[] = {"storage_root", NULL};

/* --- handlers ------------------------------------------------------------- */

static const char *schema_path(struct tfp_call *call, const char *catalog,
			       const char *name)
{
	return tfp_arena_printf(call->arena, "%s/schemas/%s.%s", TFP_UC_API,
				tfp_rest_escape(call->arena, catalog),
				tfp_rest_escape(call->arena, name));
}

/* The path of the schema an id names ("<catalog>.<schema>"). */
static int schema_id_path(const char **out, struct tfp_call *call,
			  const char *id)
{
	const char *parts[2];
	int error;

	error = tfp_importid_split(parts, 2, call->arena, call->diags, id, ".",
				   "<catalog_name>.<name>");
	if (error < 0)
		return error;
	*out = schema_path(call, parts[0], parts[1]);
	return TFP_OK;
}

/* The id of a schema read from the workspace is "<catalog>.<name>". */
static int schema_set_id(struct tfp_call *call, struct tfp_value *state)
{
	const char *catalog = tfp_value_get_string(state, "catalog_name");
	const char *name = tfp_value_get_string(state, "name");

	if (catalog == NULL || name == NULL)
		return tfp_call_fail(call, "%s",
				     "The workspace answered with a schema "
				     "without a name or catalog_name.");
	tfp_value_set_string(
		call->arena, state, "id",
		tfp_arena_printf(call->arena, "%s.%s", catalog, name));
	return TFP_OK;
}

static const struct tfp_catalog__kind schema_kind = {
	.what = "schema",
	.attrs = schema_attrs,
	.folded = schema_folded,
	.slashed = schema_slashed,
	.set_id = schema_set_id,
};

static int schema_read(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior)
{
	const char *path = NULL;
	cJSON *info = NULL;
	int error;

	error = schema_id_path(&path, call, tfp_value_get_string(prior, "id"));
	if (error < 0)
		return error;
	error = tfp_rest_get(&info, call, path, NULL);
	if (error < 0)
		return error;
	return tfp_catalog__state(out, call, &schema_kind, prior->type, info, prior);
}

static int schema_create(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *plan)
{
	const char *catalog = tfp_value_get_string(plan, "catalog_name");
	const char *name = tfp_value_get_string(plan, "name");
	const char *path = schema_path(call, catalog, name);
	const char *id = tfp_arena_printf(call->arena, "%s.%s", catalog, name);
	cJSON *info = NULL;
	int error;

	error = tfp_catalog__create(
		&info, call, "schemas", path,
		tfp_catalog__fields_body(call->arena, plan, schema_create_fields));
	if (error < 0)
		return error;
	error = tfp_catalog__patch(call, path,
			     tfp_catalog__fields_body(call->arena, plan,
						schema_after_create_fields));
	if (error == TFP_OK)
		error = tfp_catalog__patch_owner(call, path, NULL, plan);
	if (error < 0) {
		tfp_catalog__keep(out, call, &schema_kind, info, plan, id);
		return error;
	}
	return tfp_catalog__read_back(out, call, &schema_kind, plan, path, id, info);
}

static int schema_update(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *prior,
			 const struct tfp_value *plan)
{
	const char *id = tfp_value_get_string(prior, "id");
	const char *path = NULL;
	cJSON *patch = tfp_catalog__body(call->arena);
	int error;

	error = schema_id_path(&path, call, id);
	if (error < 0)
		return error;
	tfp_catalog__add_changes(patch, prior, plan, schema_patch_fields);
	error = tfp_catalog__patch(call, path, patch);
	if (error == TFP_OK)
		error = tfp_catalog__patch_owner(call, path, prior, plan);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call, "Schema %s no longer exists.", id);
	if (error < 0)
		return error;
	return tfp_catalog__read_back(out, call, &schema_kind, plan, path, id, NULL);
}

static int schema_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const char *path = NULL;
	int error;

	error = schema_id_path(&path, call, tfp_value_get_string(prior, "id"));
	if (error < 0)
		return error;
	return tfp_catalog__delete(call, path, prior);
}

/* Checks the form of the ID before read uses it. */
static int schema_import(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_type *type, const char *id)
{
	const char *path = NULL;
	int error;

	error = schema_id_path(&path, call, id);
	if (error < 0)
		return error;
	*out = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, *out, "id", id);
	return TFP_OK;
}

/* The ID is known as soon as both names are. */
static int schema_modify_plan(struct tfp_call *call,
			      const struct tfp_value *prior,
			      const struct tfp_value *config,
			      struct tfp_value *plan)
{
	const char *catalog = tfp_value_get_string(plan, "catalog_name");
	const char *name = tfp_value_get_string(plan, "name");

	(void)config;
	if (catalog == NULL || name == NULL)
		return TFP_OK;
	/* A prior ID spelt in another case stays as it is. */
	if (tfp_value_is_known(prior) &&
	    tfp_value_get_string(prior, "id") != NULL &&
	    strcasecmp(tfp_value_get_string(prior, "id"),
		       tfp_arena_printf(call->arena, "%s.%s", catalog, name)) ==
		    0) {
		tfp_value_set(plan, "id",
			      tfp_value_copy(call->arena,
					     tfp_value_get(prior, "id")));
		return TFP_OK;
	}
	tfp_value_set_string(
		call->arena, plan, "id",
		tfp_arena_printf(call->arena, "%s.%s", catalog, name));
	return TFP_OK;
}

const struct tfp_resource tfp_resource_schema = {
	.type_name = "databricks_schema",
	.attrs = schema_attrs,
	.desc = "A Unity Catalog schema (database) in a catalog. Comment, "
		"properties, owner and predictive optimization change in "
		"place; a new name, catalog or storage_root replaces the "
		"schema.",
	.create = schema_create,
	.read = schema_read,
	.update = schema_update,
	.delete = schema_delete,
	.import = schema_import,
	.modify_plan = schema_modify_plan,
};
