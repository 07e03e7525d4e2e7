/*
 * databricks_artifact_allowlist: the metastore's allowlist of one kind of
 * artifact (init scripts, JARs, Maven coordinates) that shared-access
 * clusters may use.
 *
 * REST: GET|PUT /api/2.1/unity-catalog/artifact-allowlists/{artifact_type}.
 *
 * Quirks that explain the code:
 *  - Each artifact type always has an allowlist (empty at first): create
 *    and update are the same PUT of the whole list, and destroy PUTs an
 *    empty one, as the official provider does.
 *  - Every PUT stamps created_at and created_by anew: they change on
 *    update, so they are not kept from the state.
 *  - The matchers are a set: their order is not the service's concern.
 * Import ID: the artifact type.
 */
#include "diag.h"
#include "rest_resource.h"
#include "schema.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

static int allowlist_validate_type(struct tfp_diags *d,
				   const struct tfp_path *path,
				   const struct tfp_value *v)
{
	static const char *const allowed[] = {"INIT_SCRIPT", "LIBRARY_JAR",
					      "LIBRARY_MAVEN", NULL};

	return tfp_catalog__check_enum(d, path, v, "artifact_type", allowed,
				       "INIT_SCRIPT, LIBRARY_JAR or "
				       "LIBRARY_MAVEN");
}

static int allowlist_validate_match(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v)
{
	static const char *const allowed[] = {"PREFIX_MATCH", NULL};

	return tfp_catalog__check_enum(d, path, v, "match_type", allowed,
				       "PREFIX_MATCH");
}

/* clang-format off */
static const struct tfp_attr matcher_attrs[] = {
	{ .name = "artifact", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The artifact's path or Maven coordinate prefix." },
	{ .name = "match_type", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = allowlist_validate_match,
	  .desc = "PREFIX_MATCH." },
	TFP_ATTR_END
};

static const struct tfp_block allowlist_blocks[] = {
	{ .name = "artifact_matcher", .nesting = TFP_NEST_SET, .min_items = 1,
	  .json = "artifact_matchers", .attrs = matcher_attrs,
	  .desc = "One allowed artifact prefix." },
	TFP_BLOCK_END
};

static const struct tfp_attr allowlist_attrs[] = {
	{ .name = "artifact_type", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_NO_JSON,
	  .validate = allowlist_validate_type,
	  .desc = "INIT_SCRIPT, LIBRARY_JAR or LIBRARY_MAVEN." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore of the allowlist." },
	{ .name = "created_at", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "When the list was last set, in epoch milliseconds." },
	{ .name = "created_by", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Who set the list last." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The artifact type." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const allowlist_fields[] = {"artifact_matcher", NULL};

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres allowlist_rres = {
	.what = "artifact allowlist",
	.attrs = allowlist_attrs,
	.blocks = allowlist_blocks,
	.id = "{artifact_type}",
	.import_form = "<artifact_type>",
	.create = { .method = "PUT",
		    .path = TFP_UC_API "/artifact-allowlists/{artifact_type}" },
	.read = { .path = TFP_UC_API "/artifact-allowlists/{artifact_type}" },
	.update = { .method = "PUT",
		    .path = TFP_UC_API "/artifact-allowlists/{artifact_type}" },
	.del = { .method = "PUT",
		 .path = TFP_UC_API "/artifact-allowlists/{artifact_type}",
		 .body = "{\"artifact_matchers\": []}" },
	.create_fields = allowlist_fields,
	.update_mode = TFP_RRES_FULL,
	.update_fields = allowlist_fields,
	.create_answers_object = true,
};
/* clang-format on */

const struct tfp_resource tfp_resource_artifact_allowlist = {
	.type_name = "databricks_artifact_allowlist",
	.attrs = allowlist_attrs,
	.blocks = allowlist_blocks,
	.desc = "The metastore's allowlist of init scripts, JARs or Maven "
		"coordinates for shared-access clusters. Destroy empties it.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &allowlist_rres,
};
