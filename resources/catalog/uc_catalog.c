/*
 * databricks_catalog: a Unity Catalog catalog, the first level of the
 * catalog.schema.table namespace.
 *
 * REST: POST /api/2.1/unity-catalog/catalogs,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/catalogs/{name},
 * DELETE /api/2.1/unity-catalog/schemas/{name}.default.
 *
 * Quirks that explain the code:
 *  - The workspace creates schemas "default" and "information_schema" in
 *    every new catalog. Create deletes "<name>.default" at once, as the
 *    official provider does: configurations declare their own schemas,
 *    and a catalog holding an unmanaged schema could not be destroyed
 *    without force_destroy.
 *  - Create takes name, comment, properties, storage_root, the Delta
 *    Sharing pair provider_name/share_name, a foreign catalog's
 *    connection_name and options; owner, isolation_mode and
 *    enable_predictive_optimization are set by a PATCH after it. The
 *    sharing and connection names cannot change (they replace the
 *    catalog); options can.
 *  - effective_predictive_optimization_flag and provisioning_info are
 *    objects in the API and lists of one in the official schema
 *    (x[0].value): the reshape hook wraps them. The flag is computed
 *    without USE_STATE_FOR_UNKNOWN: any change may move it.
 *  - Updates PATCH only the fields that changed; a rename is new_name in
 *    the same PATCH (the catalog keeps its schemas, tables and grants).
 *    owner goes last, in a PATCH of its own: giving the catalog away first
 *    could take away the caller's right to make the other changes.
 *  - Names are stored lower-case; read keeps the configured spelling when
 *    only the case differs, and a storage_root that differs only by a
 *    trailing slash.
 *  - A missing catalog is 404 CATALOG_DOES_NOT_EXIST: read reports it gone
 *    and Terraform creates it again.
 * Import ID: the catalog name.
 */
#include <cjson/cJSON.h>
#include "arena.h"
#include "diag.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

static int catalog_validate_isolation(struct tfp_diags *d,
				      const struct tfp_path *path,
				      const struct tfp_value *v)
{
	static const char *const allowed[] = {"OPEN", "ISOLATED", NULL};

	return tfp_catalog__check_enum(d, path, v, "isolation_mode", allowed,
				 "OPEN or ISOLATED");
}

static int catalog_validate_po(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	static const char *const allowed[] = {"ENABLE", "DISABLE", "INHERIT",
					      NULL};

	return tfp_catalog__check_enum(d, path, v, "enable_predictive_optimization",
				 allowed, "ENABLE, DISABLE or INHERIT");
}

/* clang-format off */
static const struct tfp_attr catalog_provisioning_attrs[] = {
	{ .name = "state", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "PROVISIONING, ACTIVE, FAILED, ..." },
	TFP_ATTR_END
};

static const struct tfp_attr catalog_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The catalog's name, unique in the metastore (stored "
		  "lower-case). Changing it renames the catalog in place." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "properties", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Key-value properties of the catalog." },
	{ .name = "provider_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "For a Delta Sharing catalog: the share's provider. "
		  "Changing it replaces the catalog." },
	{ .name = "share_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "For a Delta Sharing catalog: the share under the "
		  "provider. Changing it replaces the catalog." },
	{ .name = "connection_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "For a foreign catalog: the connection to the external "
		  "data source. Changing it replaces the catalog." },
	{ .name = "options", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "For a foreign catalog: what maps it to the external "
		  "source, such as the database of a PostgreSQL server." },
	{ .name = "storage_root", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_url,
	  .desc = "Where managed tables of the catalog are stored (a URL "
		  "under an external location); the metastore's root when "
		  "left out. Changing it replaces the catalog." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the catalog; the creator when left out." },
	{ .name = "isolation_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = catalog_validate_isolation,
	  .desc = "OPEN (every workspace of the metastore) or ISOLATED (bound "
		  "workspaces only)." },
	{ .name = "enable_predictive_optimization", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = catalog_validate_po,
	  .desc = "ENABLE, DISABLE or INHERIT (from the metastore)." },
	{ .name = "effective_predictive_optimization_flag",
	  .nested = tfp_catalog__po_flag_attrs, .nesting = TFP_NEST_LIST,
	  .flags = TFP_COMPUTED,
	  .desc = "The predictive optimization in effect: the catalog's own "
		  "setting, or the one it inherits." },
	{ .name = "provisioning_info", .nested = catalog_provisioning_attrs,
	  .nesting = TFP_NEST_LIST, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The provisioning state of a catalog the service makes "
		  "asynchronously." },
	{ .name = "browse_only", .type = &tfp_type_bool,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "True when the caller may only see the catalog's "
		  "metadata." },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete the catalog with everything in it on destroy. "
		  "Without it (the default) destroying a catalog that still "
		  "has schemas fails." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore the catalog belongs to." },
	{ .name = "full_name", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The catalog's full name (its name)." },
	{ .name = "catalog_type", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "MANAGED_CATALOG for catalogs made here." },
	{ .name = "securable_type", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "CATALOG." },
	{ .name = "storage_location", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The effective storage location of managed tables." },
	{ .name = "created_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the catalog was created, in epoch milliseconds." },
	{ .name = "created_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Who created the catalog." },
	{ .name = "updated_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "When the catalog last changed, in epoch milliseconds." },
	{ .name = "updated_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "Who changed the catalog last." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .desc = "The catalog's name." },
	TFP_ATTR_END
};
/* clang-format on */

/* What POST catalogs takes. */
static const char *const catalog_create_fields[] = {
	"name", "comment", "properties", "storage_root", "provider_name",
	"share_name", "connection_name", "options", NULL};
/* What POST ignores: set by a PATCH right after it. */
static const char *const catalog_after_create_fields[] = {
	"isolation_mode", "enable_predictive_optimization", NULL};
/* What an update may PATCH (a rename and the owner aside). */
static const char *const catalog_patch_fields[] = {
	"comment", "properties", "options", "isolation_mode",
	"enable_predictive_optimization", NULL};
static const char *const catalog_folded[] = {"name", "full_name", NULL};
static const char *const catalog_slashed[] = {"storage_root", NULL};

/* --- hooks ---------------------------------------------------------------- */

/* The "default" schema the workspace makes in every new catalog goes at
 * once (see the quirks above). */
static int catalog_after_create(struct tfp_call *call, const char *id,
				const struct tfp_value *plan)
{
	int error;

	(void)plan;
	error = tfp_rest_call(
		NULL, call, "DELETE",
		tfp_arena_printf(call->arena, "%s/schemas/%s.default",
				 TFP_UC_API, tfp_rest_escape(call->arena, id)),
		NULL, NULL, 0);
	return error == TFP_ENOTFOUND ? TFP_OK : error;
}

/* The nested objects the official schema keeps as lists of one. */
static const char *const catalog_listed[] = {
	"effective_predictive_optimization_flag", "provisioning_info", NULL};

static int catalog_reshape(cJSON *json, struct tfp_call *call)
{
	(void)call;
	tfp_catalog__wrap_objects(json, catalog_listed);
	return TFP_OK;
}

/* full_name is the name: known whenever the name is. */
static int catalog_modify_plan(struct tfp_call *call,
			       const struct tfp_value *prior,
			       const struct tfp_value *config,
			       struct tfp_value *plan)
{
	const struct tfp_value *name = tfp_value_get(plan, "name");

	(void)prior;
	(void)config;
	if (tfp_value_is_known(name))
		tfp_value_set(plan, "full_name",
			      tfp_value_copy(call->arena, name));
	return TFP_OK;
}

/* A string attribute that is set, or unknown (so possibly set). */
static bool catalog_set(const struct tfp_value *config, const char *name,
			bool *unknown)
{
	const struct tfp_value *v = tfp_value_get(config, name);

	if (tfp_value_is_unknown(v)) {
		*unknown = true;
		return false;
	}
	return tfp_value_is_known(v);
}

/* The kinds of catalog, as the service checks them: a Delta Sharing
 * catalog names both provider and share, and neither it nor a foreign
 * catalog has a storage_root. */
static int catalog_validate(struct tfp_call *call,
			    const struct tfp_value *config)
{
	bool unknown = false;
	bool provider = catalog_set(config, "provider_name", &unknown);
	bool share = catalog_set(config, "share_name", &unknown);
	bool conn = catalog_set(config, "connection_name", &unknown);
	bool root = catalog_set(config, "storage_root", &unknown);

	if (unknown)
		return TFP_OK;
	if (provider != share)
		return tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL,
				      provider ? "provider_name"
					       : "share_name"),
			"Incomplete Delta Sharing catalog",
			"A Delta Sharing catalog needs both provider_name and "
			"share_name.");
	if (provider && conn)
		return tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "connection_name"),
			"Conflicting catalog kinds",
			"A catalog is either a Delta Sharing catalog "
			"(provider_name, share_name) or a foreign catalog "
			"(connection_name), not both.");
	if ((provider || conn) && root)
		return tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "storage_root"),
			"Conflicting storage_root",
			"A Delta Sharing or foreign catalog keeps no managed "
			"tables: leave storage_root out.");
	return TFP_OK;
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres catalog_rres = {
	.what = "catalog",
	.attrs = catalog_attrs,
	.id = "{name}",
	.import_form = "<name>",
	.create = { .path = TFP_UC_API "/catalogs" },
	.read = { .path = TFP_UC_API "/catalogs/{id}" },
	.update = { .path = TFP_UC_API "/catalogs/{id}" },
	.del = { .path = TFP_UC_API "/catalogs/{id}" },
	.list = { .path = TFP_UC_API "/catalogs", .items = "catalogs",
		  .id_field = "name", .batch = true, .fold = true,
		  .page_size = "1000" },
	.create_fields = catalog_create_fields,
	.create_patch_fields = catalog_after_create_fields,
	.update_mode = TFP_RRES_PATCH,
	.update_fields = catalog_patch_fields,
	.rename_field = "new_name",
	.owner_field = "owner",
	.force_delete = "force_destroy",
	.folded = catalog_folded,
	.slashed = catalog_slashed,
	.create_answers_object = true,
	.adopt_lost_create = true,
	.after_create = catalog_after_create,
	.reshape = catalog_reshape,
	.modify_plan = catalog_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_catalog = {
	.type_name = "databricks_catalog",
	.attrs = catalog_attrs,
	.desc = "A Unity Catalog catalog. The schema \"default\" that the "
		"workspace creates in a new catalog is deleted at once; "
		"declare schemas with databricks_schema. Renaming is done in "
		"place; changing storage_root replaces the catalog.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.validate = catalog_validate,
	.data = &catalog_rres,
};
