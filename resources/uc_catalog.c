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
#include "uc_common.h"

/* --- schema --------------------------------------------------------------- */

static int catalog_validate_isolation(struct tfp_diags *d,
				      const struct tfp_path *path,
				      const struct tfp_value *v)
{
	static const char *const allowed[] = {"OPEN", "ISOLATED", NULL};

	return tfp_uc_check_enum(d, path, v, "isolation_mode", allowed,
				 "OPEN or ISOLATED");
}

static int catalog_validate_po(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	static const char *const allowed[] = {"ENABLE", "DISABLE", "INHERIT",
					      NULL};

	return tfp_uc_check_enum(d, path, v, "enable_predictive_optimization",
				 allowed, "ENABLE, DISABLE or INHERIT");
}

/* clang-format off */
static const struct tfp_attr catalog_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_uc_validate_name,
	  .desc = "The catalog's name, unique in the metastore (stored "
		  "lower-case). Changing it renames the catalog in place." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "properties", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Key-value properties of the catalog." },
	{ .name = "storage_root", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .validate = tfp_uc_validate_url,
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
static const char *const catalog_folded[] = {"name", "full_name", NULL};
static const char *const catalog_slashed[] = {"storage_root", NULL};

/* --- pure functions ------------------------------------------------------- */

/* The POST catalogs body for a planned catalog. */
static cJSON *catalog_create_body(struct tfp_arena *a,
				  const struct tfp_value *plan)
{
	cJSON *body = cJSON_CreateObject();
	const char *const *f;

	tfp_arena_defer(a, (void (*)(void *))cJSON_Delete, body);
	for (f = catalog_create_fields; *f != NULL; f++)
		tfp_uc_add_field(body, plan, *f, NULL, false);
	return body;
}

/*
 * The PATCH body (without owner) that turns prior into plan: changed
 * fields only, new_name on a rename (not for a change of case, which the
 * workspace ignores). prior NULL: the fields set after a create. Empty
 * when nothing but owner changed.
 */
static cJSON *catalog_patch_body(struct tfp_arena *a,
				 const struct tfp_value *prior,
				 const struct tfp_value *plan)
{
	cJSON *body = cJSON_CreateObject();
	const char *const *f;
	const char *old, *name;

	tfp_arena_defer(a, (void (*)(void *))cJSON_Delete, body);
	if (prior == NULL) {
		for (f = catalog_patch_fields; *f != NULL; f++)
			if (strcmp(*f, "comment") != 0 &&
			    strcmp(*f, "properties") != 0)
				tfp_uc_add_field(body, plan, *f, NULL, false);
		return body;
	}
	tfp_uc_add_changes(body, prior, plan, catalog_patch_fields);
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
				tfp_uc_escape(call->arena, name));
}

/* The state for a CatalogInfo reply; prior supplies spellings and the
 * arguments the workspace never sees. */
static int catalog_state(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_type *type, const cJSON *info,
			 const struct tfp_value *prior)
{
	struct tfp_value *v = NULL;
	int error;

	error = tfp_jsonmap_to_value(&v, call->arena, type, catalog_attrs, NULL,
				     info, prior, call->diags);
	if (error < 0)
		return error;
	if (tfp_value_get_string(v, "name") == NULL)
		return tfp_uc_fail(call, "%s",
				   "The workspace answered with a catalog "
				   "without a name.");
	tfp_uc_normalize(call->arena, v, catalog_attrs, prior, catalog_folded,
			 catalog_slashed);
	tfp_value_set(v, "id",
		      tfp_value_copy(call->arena, tfp_value_get(v, "name")));
	*out = v;
	return TFP_OK;
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
	return catalog_state(out, call, prior->type, info, prior);
}

/*
 * The catalog as it now is, read with the plan as prior. If the read
 * fails, fallback (what a write answered, or NULL) stands in so that
 * Terraform still records the catalog that exists.
 */
static int catalog_read_back(struct tfp_value **out, struct tfp_call *call,
			     const struct tfp_value *plan, const char *name,
			     const cJSON *fallback)
{
	cJSON *info = NULL;
	int error;

	error = tfp_rest_get(&info, call, catalog_path(call, name), NULL);
	if (error == TFP_ENOTFOUND)
		error = tfp_uc_fail(call,
				    "The workspace accepted catalog %s but "
				    "GET says it does not exist.",
				    name);
	if (error == TFP_OK)
		return catalog_state(out, call, plan->type, info, plan);
	if (fallback != NULL)
		catalog_state(out, call, plan->type, fallback, plan);
	return error;
}

/* PATCHes owner alone when plan sets one that prior (NULL: none) lacks. */
static int catalog_patch_owner(struct tfp_call *call, const char *name,
			       const struct tfp_value *prior,
			       const struct tfp_value *plan)
{
	const char *owner = tfp_value_get_string(plan, "owner");
	const char *old = tfp_value_get_string(prior, "owner");
	cJSON *body;

	if (owner == NULL || (old != NULL && strcmp(old, owner) == 0))
		return TFP_OK;
	body = cJSON_CreateObject();
	tfp_arena_defer(call->arena, (void (*)(void *))cJSON_Delete, body);
	cJSON_AddStringToObject(body, "owner", owner);
	return tfp_rest_call(NULL, call, "PATCH", catalog_path(call, name),
			     NULL, body, TFP_REST_IDEMPOTENT);
}

static int catalog_create(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *plan)
{
	const char *name = tfp_value_get_string(plan, "name");
	cJSON *info = NULL, *patch;
	const char *created;
	int error;

	error = tfp_uc_create(&info, call, "catalogs", catalog_path(call, name),
			      catalog_create_body(call->arena, plan));
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
				 tfp_uc_escape(call->arena, created)),
		NULL, NULL, 0);
	if (error == TFP_ENOTFOUND)
		error = TFP_OK;
	patch = catalog_patch_body(call->arena, NULL, plan);
	if (error == TFP_OK && cJSON_GetArraySize(patch) > 0)
		error = tfp_rest_call(NULL, call, "PATCH",
				      catalog_path(call, created), NULL, patch,
				      TFP_REST_IDEMPOTENT);
	if (error == TFP_OK)
		error = catalog_patch_owner(call, created, NULL, plan);
	if (error < 0) {
		catalog_state(out, call, plan->type, info, plan);
		return error;
	}
	return catalog_read_back(out, call, plan, created, info);
}

static int catalog_update(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan)
{
	const char *id = tfp_value_get_string(prior, "id");
	cJSON *patch = catalog_patch_body(call->arena, prior, plan);
	const cJSON *new_name =
		cJSON_GetObjectItemCaseSensitive(patch, "new_name");
	int error;

	if (cJSON_GetArraySize(patch) > 0) {
		error = tfp_rest_call(NULL, call, "PATCH",
				      catalog_path(call, id), NULL, patch,
				      TFP_REST_IDEMPOTENT);
		if (error == TFP_ENOTFOUND)
			error = tfp_uc_fail(call,
					    "Catalog %s no longer exists.", id);
		if (error < 0)
			return error;
		if (cJSON_IsString(new_name))
			id = new_name->valuestring;
	}
	error = catalog_patch_owner(call, id, prior, plan);
	if (error == TFP_ENOTFOUND)
		error = tfp_uc_fail(call, "Catalog %s no longer exists.", id);
	if (error < 0)
		return error;
	return catalog_read_back(out, call, plan, id, NULL);
}

static int catalog_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct tfp_query q[] = {
		{"force", tfp_value_get_bool(prior, "force_destroy", false)
				  ? "true"
				  : NULL},
		{NULL, NULL}};

	return tfp_rest_call(
		NULL, call, "DELETE",
		catalog_path(call, tfp_value_get_string(prior, "id")), q, NULL,
		0);
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
