/*
 * databricks_volume: a Unity Catalog volume, a governed directory of files
 * in a schema (catalog.schema.volume), managed or external.
 *
 * REST: POST /api/2.1/unity-catalog/volumes,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/volumes/{catalog}.{schema}.{name}.
 *
 * Quirks that explain the code:
 *  - A MANAGED volume may not name a storage_location: the workspace puts
 *    it under the schema's (or catalog's, or metastore's) managed root
 *    and answers it, so storage_location is optional and computed. An
 *    EXTERNAL volume must name one under an external location; the
 *    workspace refuses it otherwise (400), and the diagnostic quotes it.
 *  - PATCH changes comment and owner (owner last and alone, see
 *    uc_catalog.c). Catalog, schema, type and location force a new volume;
 *    so does the name here (the engine renames in place only ids of one
 *    attribute), where the official provider renames through new_name.
 *  - volume_path, /Volumes/<catalog>/<schema>/<name>, is not in the
 *    answer: it is made from the names, in the plan as soon as they are
 *    known.
 *  - Names come back lower-case; read keeps the configured spelling, and
 *    a plan keeps the state's when the configuration differs only in case
 *    (an import reads lower case). A
 *    missing volume is 404 VOLUME_DOES_NOT_EXIST: gone.
 * Import ID: <catalog_name>.<schema_name>.<name>.
 */
#include "arena.h"
#include "diag.h"
#include "rest_resource.h"
#include "schema.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

static int volume_validate_type(struct tfp_diags *d, const struct tfp_path *path,
				const struct tfp_value *v)
{
	static const char *const allowed[] = {"MANAGED", "EXTERNAL", NULL};

	return tfp_catalog__check_enum(d, path, v, "volume_type", allowed,
				       "MANAGED or EXTERNAL");
}

/* clang-format off */
static const struct tfp_attr volume_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The volume's name in its schema (stored lower-case). "
		  "Changing it replaces the volume." },
	{ .name = "catalog_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The catalog of the volume's schema." },
	{ .name = "schema_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The schema the volume is in." },
	{ .name = "volume_type", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = volume_validate_type,
	  .desc = "MANAGED (storage chosen by Unity Catalog) or EXTERNAL "
		  "(storage_location required)." },
	{ .name = "storage_location", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = tfp_catalog__validate_url,
	  .desc = "EXTERNAL volumes: the URL of their files, under an "
		  "external location. MANAGED volumes: chosen by the "
		  "workspace, not to be set." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the volume; the creator when left out." },
	{ .name = "volume_path", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The volume's files in the workspace: "
		  "/Volumes/<catalog>/<schema>/<name>." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<catalog_name>.<schema_name>.<name>." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const volume_create_fields[] = {
	"name", "catalog_name", "schema_name", "volume_type",
	"storage_location", "comment", NULL};
static const char *const volume_update_fields[] = {"comment", NULL};
static const char *const volume_folded[] = {"name", "catalog_name",
					    "schema_name", NULL};
static const char *const volume_slashed[] = {"storage_location", NULL};

/* --- hooks ---------------------------------------------------------------- */

/* /Volumes/<catalog>/<schema>/<name> from obj's names, or NULL. */
static const char *volume_path(struct tfp_call *call,
			       const struct tfp_value *obj)
{
	const char *c = tfp_value_get_string(obj, "catalog_name");
	const char *s = tfp_value_get_string(obj, "schema_name");
	const char *n = tfp_value_get_string(obj, "name");

	if (!c || !s || !n)
		return NULL;
	return tfp_arena_printf(call->arena, "/Volumes/%s/%s/%s", c, s, n);
}

static void volume_normalize(struct tfp_call *call, struct tfp_value *state,
			     const struct tfp_value *prior)
{
	(void)prior;
	tfp_value_set_string(call->arena, state, "volume_path",
			     volume_path(call, state));
}

static int volume_modify_plan(struct tfp_call *call,
			      const struct tfp_value *prior,
			      const struct tfp_value *config,
			      struct tfp_value *plan)
{
	const char *path = volume_path(call, plan);

	(void)prior;
	(void)config;
	if (path)
		tfp_value_set_string(call->arena, plan, "volume_path", path);
	return TFP_OK;
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres volume_rres = {
	.what = "volume",
	.attrs = volume_attrs,
	.id = "{catalog_name}.{schema_name}.{name}",
	.import_form = "<catalog_name>.<schema_name>.<name>",
	.create = { .path = TFP_UC_API "/volumes" },
	.read = { .path = TFP_UC_API "/volumes/{id}" },
	.update = { .path = TFP_UC_API "/volumes/{id}" },
	.del = { .path = TFP_UC_API "/volumes/{id}" },
	.create_fields = volume_create_fields,
	.update_mode = TFP_RRES_PATCH,
	.update_fields = volume_update_fields,
	.owner_field = "owner",
	.folded = volume_folded,
	.slashed = volume_slashed,
	.create_answers_object = true,
	.adopt_lost_create = true,
	.normalize = volume_normalize,
	.modify_plan = volume_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_volume = {
	.type_name = "databricks_volume",
	.attrs = volume_attrs,
	.desc = "A Unity Catalog volume: a governed directory of files in a "
		"schema, MANAGED or EXTERNAL. Comment and owner change in "
		"place; anything else replaces the volume.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &volume_rres,
};
