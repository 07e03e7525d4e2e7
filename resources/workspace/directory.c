/*
 * databricks_directory: a folder of the workspace tree.
 *
 * REST (Workspace API 2.0): POST /api/2.0/workspace/mkdirs {path} (makes
 * the parents too; an existing directory is fine); GET
 * /api/2.0/workspace/get-status?path= -> {object_type, object_id, path,
 * ...}; POST /api/2.0/workspace/delete {path, recursive}.
 *
 * Quirks that explain the code:
 *  - The ID is the path, as upstream. A path written with a trailing "/"
 *    names the same folder: the state keeps the configuration's spelling.
 *  - Something other than a directory at the path (a notebook, a file) is
 *    an error, not drift: replacing it would delete someone's work.
 *  - delete_recursive goes in the delete's body as "recursive"; without
 *    it a folder that is not empty cannot be deleted, and the workspace
 *    says so (DIRECTORY_NOT_EMPTY). It changes in place: nothing is sent.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "jsonmap.h"
#include "rest_resource.h"
#include "schema.h"
#include "workspace_internal.h"

#define WS_API "/api/2.0/workspace"

/* clang-format off */
static const struct tfp_attr dir_attrs[] = {
	{ .name = "path", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The folder's absolute path (/Shared/etl)." },
	{ .name = "object_id", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The folder's numeric ID (for databricks_permissions' "
		  "directory_id)." },
	{ .name = "delete_recursive", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete what the folder holds when it is destroyed; "
		  "without it, destroying a folder that is not empty fails." },
	{ .name = "workspace_path", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The path under /Workspace, as files see it on a "
		  "cluster." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The path: the import ID." },
	TFP_ATTR_END
};
/* clang-format on */

static int dir_reshape(cJSON *json, struct tfp_call *call)
{
	const char *type = tfp_json_string(json, "object_type");

	if (type != NULL && strcmp(type, "DIRECTORY") != 0)
		return tfp_call_fail(call,
				     "%s is a %s in the workspace, not a "
				     "directory.",
				     tfp_json_string(json, "path"), type);
	return TFP_OK;
}

static void dir_normalize(struct tfp_call *call, struct tfp_value *state,
			  const struct tfp_value *prior)
{
	const char *path = tfp_value_get_string(state, "path");

	(void)prior;
	if (path != NULL)
		tfp_value_set_string(
			call->arena, state, "workspace_path",
			tfp_arena_printf(call->arena, "/Workspace%s", path));
}

static int dir_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			   const struct tfp_value *config,
			   struct tfp_value *plan)
{
	const char *path;

	(void)prior;
	(void)config;
	path = tfp_value_get_string(plan, "path");
	if (path != NULL)
		tfp_value_set_string(
			call->arena, plan, "workspace_path",
			tfp_arena_printf(call->arena, "/Workspace%s", path));
	return TFP_OK;
}

/* Only delete_recursive can change in place, and it is not sent. */
static int dir_update(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *prior,
		      const struct tfp_value *plan)
{
	(void)prior;
	return tfp_rres_read(out, call, plan);
}

/* clang-format off */
static const struct tfp_rres dir_rres = {
	.what = "directory",
	.attrs = dir_attrs,
	.id = "{path}",
	.import_form = "<path>",
	.create = { .path = WS_API "/mkdirs" },
	.read = { .path = WS_API "/get-status", .id_param = "path" },
	.del = { .method = "POST", .path = WS_API "/delete",
		 .id_param = "path" },
	.create_fields = (const char *const[]){ "path", NULL },
	.force_delete = "delete_recursive",
	.force_param = "recursive",
	.slashed = (const char *const[]){ "path", NULL },
	.reshape = dir_reshape,
	.normalize = dir_normalize,
	.modify_plan = dir_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_directory = {
	.type_name = "databricks_directory",
	.attrs = dir_attrs,
	.desc = "A folder of the workspace; destroying one that is not empty "
		"needs delete_recursive.",
	TFP_RRES_HANDLERS,
	.update = dir_update,
	.data = &dir_rres,
};
