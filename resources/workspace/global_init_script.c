/*
 * databricks_global_init_script: a shell script every cluster of the
 * workspace runs at start, its bytes from a local file (`source`) or
 * `content_base64`.
 *
 * REST (Global Init Scripts 2.0): POST /api/2.0/global-init-scripts
 * {name, script (base64), enabled, position} -> {script_id};
 * GET|PATCH|DELETE /api/2.0/global-init-scripts/{script_id} (the get
 * answers the script's base64 with its settings).
 *
 * Quirks that explain the code:
 *  - The script goes in as base64 under "script", and comes back the same
 *    way: a body hook adds it from the configured content (at most
 *    64 KiB, the service's limit, checked before sending), and a reshape
 *    turns the answered script into its MD5, which the state compares
 *    with the configuration's. A script edited in the workspace is drift.
 *  - `position` left out appends the script; the workspace then answers
 *    its place, kept in the state (and renumbered when scripts before it
 *    go away, which is not drift while the configuration leaves it out).
 *  - Older versions of the API require name and script in every update,
 *    so the PATCH always carries them (as the official provider does).
 *  - Import by the script's ID.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest_resource.h"
#include "schema.h"
#include "workspace_internal.h"

#define GIS_API "/api/2.0/global-init-scripts"
/* The service's limit on a script. */
#define GIS_MAX_BYTES (64 * 1024)

/* --- schema --------------------------------------------------------------- */

static int gis_validate_name(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	const char *p;
	size_t n = strlen(v->u.str);

	for (p = v->u.str; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.' || *p == ' '))
			break;
	if (n >= 1 && n <= 100 && *p == '\0')
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid script name",
				   "A name is 1 to 100 letters, digits, "
				   "spaces, '-', '_' and '.'; \"%s\" is not.",
				   v->u.str);
}

static int gis_validate_position(struct tfp_diags *d,
				 const struct tfp_path *path,
				 const struct tfp_value *v)
{
	if (v->u.num.kind == TFP_NUM_INT && v->u.num.i >= 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid position",
				   "position is a whole number, 0 or more "
				   "(0 runs first).");
}

/* clang-format off */
static const struct tfp_attr gis_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = gis_validate_name,
	  .desc = "The script's name (1 to 100 letters, digits, spaces, -, _ "
		  "and .)." },
	{ .name = "source", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "A local file whose bytes are the script (read when "
		  "planning, so an edit plans an update). Conflicts with "
		  "content_base64." },
	{ .name = "content_base64", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "The script, base64-encoded. Conflicts with source." },
	{ .name = "md5", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The MD5 of the script, from the configuration; another "
		  "value after a refresh means it was edited in the "
		  "workspace." },
	{ .name = "enabled", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Whether clusters run it; false unless set." },
	{ .name = "position", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = gis_validate_position,
	  .desc = "Where it runs among the global init scripts, from 0; left "
		  "out: after the others." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "script_id",
	  .desc = "The script's ID: the import ID." },
	TFP_ATTR_END
};
static const struct tfp_attr gis_timeouts_attrs[] = { TFP_ATTR_END };
static const struct tfp_block gis_blocks[] = {
	/* Accepted for configurations written for the official provider,
	 * whose schema has an empty timeouts block here; nothing waits. */
	{ .name = "timeouts", .nesting = TFP_NEST_SINGLE, .flags = TFP_NO_JSON,
	  .attrs = gis_timeouts_attrs,
	  .desc = "Accepted and ignored: nothing here waits." },
	TFP_BLOCK_END
};
/* clang-format on */

/* --- hooks ---------------------------------------------------------------- */

/* Name and script in every write: the script from the configuration. */
static int gis_body(cJSON *body, struct tfp_call *call,
		    const struct tfp_value *prior, const struct tfp_value *plan)
{
	unsigned char *data;
	const char *md5;
	size_t n;
	int error;

	(void)prior;
	error = tfp_workspace__content_load(&data, &n, &md5, call, plan,
					    GIS_MAX_BYTES,
					    "global init script");
	if (error < 0)
		return error;
	cJSON_DeleteItemFromObjectCaseSensitive(body, "md5");
	cJSON_DeleteItemFromObjectCaseSensitive(body, "script");
	cJSON_AddStringToObject(body, "script",
				tfp_workspace__b64_encode(call->arena, data, n));
	if (cJSON_GetObjectItemCaseSensitive(body, "name") == NULL)
		cJSON_AddStringToObject(body, "name",
					tfp_value_get_string(plan, "name"));
	return TFP_OK;
}

/* The answered script becomes its MD5. */
static int gis_reshape(cJSON *json, struct tfp_call *call)
{
	const char *script = tfp_json_string(json, "script");
	unsigned char *data;
	struct tfp_md5 m;
	size_t n;

	if (script == NULL ||
	    !tfp_workspace__b64_decode(&data, &n, call->arena, script))
		return TFP_OK; /* no script: md5 stays as it was */
	if (!tfp_workspace__md5_init(&m))
		return tfp_diag_error(call->diags, "Cannot hash the script",
				      "OpenSSL could not start an MD5.");
	tfp_workspace__md5_update(&m, data, n);
	cJSON_AddStringToObject(json, "md5",
				tfp_workspace__md5_hex(&m, call->arena));
	return TFP_OK;
}

static int gis_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			   const struct tfp_value *config,
			   struct tfp_value *plan)
{
	(void)prior;
	return tfp_workspace__content_plan(call, config, plan, NULL);
}

static int gis_validate(struct tfp_call *call, const struct tfp_value *config)
{
	return tfp_workspace__content_validate(call, config, true);
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres gis_rres = {
	.what = "global init script",
	.attrs = gis_attrs,
	.blocks = gis_blocks,
	.id_field = "script_id",
	.import_form = "<script_id>",
	.create = { .path = GIS_API },
	.read = { .path = GIS_API "/{id}" },
	.update = { .path = GIS_API "/{id}" },
	.del = { .path = GIS_API "/{id}" },
	.create_fields = (const char *const[]){ "name", "enabled", "position",
						NULL },
	.update_mode = TFP_RRES_PATCH,
	.update_fields = (const char *const[]){ "name", "enabled", "position",
						"md5", NULL },
	.body = gis_body,
	.reshape = gis_reshape,
	.modify_plan = gis_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_global_init_script = {
	.type_name = "databricks_global_init_script",
	.schema_version = 1,
	.attrs = gis_attrs,
	.blocks = gis_blocks,
	.desc = "A script every cluster of the workspace runs at start; an "
		"edit made in the workspace is drift.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.validate = gis_validate,
	.data = &gis_rres,
};
