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
 *  - Create takes name, comment, properties and storage_root only; owner,
 *    isolation_mode and enable_predictive_optimization are set by a PATCH
 *    after it.
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
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
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
	"name", "comment", "properties", "storage_root", NULL};
/* What a PATCH after create or in an update may change, owner aside. */
static const char *const catalog_patch_fields[] = {
	"comment", "properties", "isolation_mode",
	"enable_predictive_optimization", NULL};
/* Of those, what POST does not take: the PATCH right after a create. */
static const char *const catalog_after_create_fields[] = {
	"isolation_mode", "enable_predictive_optimization", NULL};
static const char *const catalog_folded[] = {"name", "full_name", NULL};
static const char *const catalog_slashed[] = {"storage_root", NULL};

static const struct tfp_catalog__kind catalog_kind = {
	.what = "catalog",
	.attrs = catalog_attrs,
	.folded = catalog_folded,
	.slashed = catalog_slashed,
};

/* --- pure functions ------------------------------------------------------- */

/*
 * The PATCH body (without owner) that turns prior into plan: changed
 * fields only, new_name on a rename (not for a change of case, which the
 * workspace ignores). Empty when nothing but owner changed.
 */
static cJSON *catalog_patch_body(struct tfp_arena *a,
				 const struct tfp_value *prior,
				 const struct tfp_value *plan)
{
	cJSON *body = tfp_catalog__body(a);
	const char *old, *name;

	tfp_catalog__add_changes(body, prior, plan, catalog_patch_fields);
	old = tfp_value_get_string(prior, "name");
	name = tfp_value_get_string(plan, "name");
	if (old != NULL && name != NULL && strcasecmp(old, name) != 0)
		cJSON_AddStringToObject(body, "new_name", name);
	return body;
}

/* --- handlers ------------------------------------------------------------- */

static const char *catalog_path(struct tfp_call *call, const char *name)
{
	return tfp_arena_printf(call->arena, "%s/catalogs/%s", TFP_UC_API,
				tfp_rest_escape(call->arena, name));
}

static int catalog_read(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *prior)
{
	const char *id = tfp_value_get_string(prior, "id");
	cJSON *info = NULL;
	int error;

	if (id == NULL)
		id = tfp_value_get_string(prior, "name");
	error = tfp_rest_get(&info, call, catalog_path(call, id), NULL);
	if (error < 0)
		return error;
	return tfp_catalog__state(out, call, &catalog_kind, prior->type, info, prior);
}

static int catalog_create(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *plan)
{
	const char *name = tfp_value_get_string(plan, "name");
	cJSON *info = NULL;
	const char *created;
	int error;

	error = tfp_catalog__create(
		&info, call, "catalogs", catalog_path(call, name),
		tfp_catalog__fields_body(call->arena, plan, catalog_create_fields));
	if (error < 0)
		return error;
	/* The catalog exists from here on: every failure below still
	 * returns it, so that Terraform records it. */
	created = tfp_json_string(info, "name");
	if (created == NULL)
		created = name;
	error = tfp_rest_call(
		NULL, call, "DELETE",
		tfp_arena_printf(call->arena, "%s/schemas/%s.default",
				 TFP_UC_API,
				 tfp_rest_escape(call->arena, created)),
		NULL, NULL, 0);
	if (error == TFP_ENOTFOUND)
		error = TFP_OK;
	if (error == TFP_OK)
		error = tfp_catalog__patch(
			call, catalog_path(call, created),
			tfp_catalog__fields_body(call->arena, plan,
					   catalog_after_create_fields));
	if (error == TFP_OK)
		error = tfp_catalog__patch_owner(call, catalog_path(call, created),
					   NULL, plan);
	if (error < 0) {
		tfp_catalog__keep(out, call, &catalog_kind, info, plan, created);
		return error;
	}
	return tfp_catalog__read_back(out, call, &catalog_kind, plan,
				catalog_path(call, created), created, info);
}

static int catalog_update(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan)
{
	const char *id = tfp_value_get_string(prior, "id");
	cJSON *patch = catalog_patch_body(call->arena, prior, plan);
	const cJSON *new_name =
		cJSON_GetObjectItemCaseSensitive(patch, "new_name");
	bool renamed = false;
	int error;

	error = tfp_catalog__patch(call, catalog_path(call, id), patch);
	/* A rename takes effect at once: owner goes to the new name. */
	if (error == TFP_OK && cJSON_IsString(new_name)) {
		id = new_name->valuestring;
		renamed = true;
	}
	if (error == TFP_OK)
		error = tfp_catalog__patch_owner(call, catalog_path(call, id), prior,
					   plan);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call, "Catalog %s no longer exists.", id);
	if (error == TFP_OK)
		error = tfp_catalog__read_back(out, call, &catalog_kind, plan,
					 catalog_path(call, id), id, NULL);
	/* Once renamed, the prior state names a catalog that no longer
	 * exists: kept, it would make the next refresh drop the resource
	 * (and the next apply create a second catalog). */
	if (error < 0 && renamed)
		tfp_catalog__keep(out, call, &catalog_kind, NULL, plan, id);
	return error;
}

static int catalog_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	return tfp_catalog__delete(
		call, catalog_path(call, tfp_value_get_string(prior, "id")),
		prior);
}

/* id and full_name are the name: known whenever the name is. */
static int catalog_modify_plan(struct tfp_call *call,
			       const struct tfp_value *prior,
			       const struct tfp_value *config,
			       struct tfp_value *plan)
{
	const struct tfp_value *name = tfp_value_get(plan, "name");

	(void)prior;
	(void)config;
	if (!tfp_value_is_known(name))
		return TFP_OK;
	tfp_value_set(plan, "id", tfp_value_copy(call->arena, name));
	tfp_value_set(plan, "full_name", tfp_value_copy(call->arena, name));
	return TFP_OK;
}

const struct tfp_resource tfp_resource_catalog = {
	.type_name = "databricks_catalog",
	.attrs = catalog_attrs,
	.desc = "A Unity Catalog catalog. The schema \"default\" that the "
		"workspace creates in a new catalog is deleted at once; "
		"declare schemas with databricks_schema. Renaming is done in "
		"place; changing storage_root replaces the catalog.",
	.create = catalog_create,
	.read = catalog_read,
	.update = catalog_update,
	.delete = catalog_delete,
	.modify_plan = catalog_modify_plan,
};
