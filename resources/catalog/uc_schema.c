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
 *    "gone" (the generic create reports it).
 *  - Names come back lower-case; read keeps the configured spelling.
 * Import ID: <catalog_name>.<name>.
 */
#include "diag.h"
#include "rest_resource.h"
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

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres schema_rres = {
	.what = "schema",
	.attrs = schema_attrs,
	.id = "{catalog_name}.{name}",
	.import_form = "<catalog_name>.<name>",
	.create = { .path = TFP_UC_API "/schemas" },
	.read = { .path = TFP_UC_API "/schemas/{id}" },
	.update = { .path = TFP_UC_API "/schemas/{id}" },
	.del = { .path = TFP_UC_API "/schemas/{id}" },
	.list = { .path = TFP_UC_API "/schemas", .items = "schemas",
		  .id_field = "full_name", .batch = true, .fold = true,
		  .parent = "catalog_name", .page_size = "1000" },
	.create_fields = schema_create_fields,
	.create_patch_fields = schema_after_create_fields,
	.update_mode = TFP_RRES_PATCH,
	.update_fields = schema_patch_fields,
	.owner_field = "owner",
	.force_delete = "force_destroy",
	.folded = schema_folded,
	.slashed = schema_slashed,
	.create_answers_object = true,
	.adopt_lost_create = true,
};
/* clang-format on */

const struct tfp_resource tfp_resource_schema = {
	.type_name = "databricks_schema",
	.attrs = schema_attrs,
	.desc = "A Unity Catalog schema (database) in a catalog. Comment, "
		"properties, owner and predictive optimization change in "
		"place; a new name, catalog or storage_root replaces the "
		"schema.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &schema_rres,
};
