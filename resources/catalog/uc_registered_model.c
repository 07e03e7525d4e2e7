/*
 * databricks_registered_model: a Unity Catalog registered model (an MLflow
 * model in catalog.schema.model), without its versions.
 *
 * REST: POST /api/2.1/unity-catalog/models,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/models/{catalog}.{schema}.{name}.
 *
 * Quirks that explain the code:
 *  - Create takes name, catalog_name, schema_name, comment and
 *    storage_location; the workspace fills the location under the
 *    schema's managed root when it is left out, so it is optional and
 *    computed. PATCH changes comment and owner (owner last and alone).
 *  - aliases (alias name to version) are made through the model's aliases
 *    API, not this resource: they are read, computed.
 *  - A missing model is 404 RESOURCE_DOES_NOT_EXIST: gone. Names come back
 *    lower-case; read keeps the configured spelling.
 * Import ID: <catalog_name>.<schema_name>.<name>.
 */
#include "diag.h"
#include "rest_resource.h"
#include "schema.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr alias_attrs[] = {
	{ .name = "alias_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .desc = "The alias." },
	{ .name = "version_num", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .desc = "The model version it names." },
	{ .name = "catalog_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .desc = "The model's catalog." },
	{ .name = "schema_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .desc = "The model's schema." },
	{ .name = "model_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .desc = "The model's name." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .desc = "The alias's identifier." },
	TFP_ATTR_END
};

static const struct tfp_attr model_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The model's name in its schema (stored lower-case). "
		  "Changing it replaces the model." },
	{ .name = "catalog_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The catalog of the model's schema." },
	{ .name = "schema_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The schema the model is in." },
	{ .name = "comment", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Free-form text." },
	{ .name = "storage_location", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = tfp_catalog__validate_url,
	  .desc = "Where the model's files are; under the schema's managed "
		  "root when left out." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the model; the creator when left out." },
	{ .name = "aliases", .nested = alias_attrs, .nesting = TFP_NEST_LIST,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The model's aliases (set through its aliases API)." },
	{ .name = "full_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<catalog_name>.<schema_name>.<name>." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore the model belongs to." },
	{ .name = "browse_only", .type = &tfp_type_bool,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "True when the caller may only see the model's metadata." },
	{ .name = "created_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the model was made, in epoch milliseconds." },
	{ .name = "created_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Who made the model." },
	{ .name = "updated_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "When the model last changed, in epoch milliseconds." },
	{ .name = "updated_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "Who changed the model last." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<catalog_name>.<schema_name>.<name>." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const model_create_fields[] = {
	"name", "catalog_name", "schema_name", "comment", "storage_location",
	NULL};
static const char *const model_update_fields[] = {"comment", NULL};
static const char *const model_folded[] = {"name", "catalog_name",
					   "schema_name", NULL};
static const char *const model_slashed[] = {"storage_location", NULL};

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres model_rres = {
	.what = "registered model",
	.attrs = model_attrs,
	.id = "{catalog_name}.{schema_name}.{name}",
	.import_form = "<catalog_name>.<schema_name>.<name>",
	.create = { .path = TFP_UC_API "/models" },
	.read = { .path = TFP_UC_API "/models/{id}" },
	.update = { .path = TFP_UC_API "/models/{id}" },
	.del = { .path = TFP_UC_API "/models/{id}" },
	.create_fields = model_create_fields,
	.update_mode = TFP_RRES_PATCH,
	.update_fields = model_update_fields,
	.owner_field = "owner",
	.folded = model_folded,
	.slashed = model_slashed,
	.create_answers_object = true,
	.adopt_lost_create = true,
};
/* clang-format on */

const struct tfp_resource tfp_resource_registered_model = {
	.type_name = "databricks_registered_model",
	.attrs = model_attrs,
	.desc = "A Unity Catalog registered model (MLflow) in a schema. "
		"Comment and owner change in place; anything else replaces "
		"the model.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &model_rres,
};
