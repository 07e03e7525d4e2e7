/*
 * The data sources databricks_notebook (a notebook's content and status),
 * databricks_notebook_paths (the notebooks under a folder) and
 * databricks_directory (a folder's ID).
 *
 * REST (Workspace API 2.0): GET /api/2.0/workspace/get-status?path= ->
 * {object_type, object_id, path, language}; GET /api/2.0/workspace/export
 * ?path=&format= -> {content}; GET /api/2.0/workspace/list?path= ->
 * {objects: [...]}.
 *
 * As upstream: the notebook's content is the export's base64 in the
 * format asked (SOURCE, HTML or DBC); a recursive notebook listing goes
 * down every subfolder (not into repos, which list as REPO).
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "workspace_internal.h"

#define WS_API "/api/2.0/workspace"
/* Bounds a tree that lists itself (or a hostile answer). */
#define WS_LIST_MAX_DEPTH 64

static int ws_get_status(cJSON **status, struct tfp_call *call,
			 const char *path)
{
	struct tfp_query q[] = {{"path", path}, {NULL, NULL}};
	int error = tfp_rest_get(status, call, WS_API "/get-status", q);

	if (error == TFP_ENOTFOUND)
		return tfp_diag_error(call->diags, "Not found",
				      "The workspace has nothing at %s: %s",
				      path, call->last_error.message);
	return error;
}

static int ws_validate_export_format(struct tfp_diags *d,
				     const struct tfp_path *path,
				     const struct tfp_value *v)
{
	if (strcmp(v->u.str, "SOURCE") == 0 || strcmp(v->u.str, "HTML") == 0 ||
	    strcmp(v->u.str, "DBC") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid format",
				   "format is SOURCE, HTML or DBC, not \"%s\".",
				   v->u.str);
}

/* --- databricks_notebook -------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr nbd_attrs[] = {
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The notebook's path." },
	{ .name = "format", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = ws_validate_export_format,
	  .desc = "SOURCE, HTML or DBC: the export's format." },
	{ .name = "content", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The export, base64-encoded." },
	{ .name = "language", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "SCALA, PYTHON, R or SQL." },
	{ .name = "object_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "NOTEBOOK." },
	{ .name = "object_id", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The notebook's numeric ID." },
	{ .name = "workspace_path", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .desc = "The path under /Workspace." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The path." },
	TFP_ATTR_END
};
/* clang-format on */

static int nbd_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	const char *path = tfp_value_get_string(config, "path");
	struct tfp_query q[] = {
		{"path", path},
		{"format", tfp_value_get_string(config, "format")},
		{NULL, NULL}};
	cJSON *exported = NULL, *status = NULL;
	const char *content, *real;
	struct tfp_value *v;
	int64_t id = 0;
	int error;

	error = ws_get_status(&status, call, path);
	if (error < 0)
		return error;
	error = tfp_rest_get(&exported, call, WS_API "/export", q);
	if (error == TFP_ENOTFOUND)
		return tfp_diag_error(call->diags, "Not found",
				      "Cannot export %s: %s", path,
				      call->last_error.message);
	if (error < 0)
		return error;
	content = tfp_json_string(exported, "content");
	real = tfp_json_string(status, "path");
	(void)tfp_json_int(&id, status, "object_id", NULL);
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "id", path);
	tfp_value_set_string(call->arena, v, "content", content ? content : "");
	tfp_value_set_string(call->arena, v, "language",
			     tfp_json_string(status, "language"));
	tfp_value_set_string(call->arena, v, "object_type",
			     tfp_json_string(status, "object_type"));
	tfp_value_set(v, "object_id", tfp_value_int(call->arena, id));
	tfp_value_set_string(call->arena, v, "workspace_path",
			     tfp_arena_printf(call->arena, "/Workspace%s",
					      real ? real : path));
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_notebook = {
	.type_name = "databricks_notebook",
	.attrs = nbd_attrs,
	.desc = "A notebook's content (exported) and status.",
	.read = nbd_read,
};

/* --- databricks_notebook_paths -------------------------------------------- */

/* clang-format off */
static const struct tfp_attr nbp_entry_attrs[] = {
	{ .name = "language", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The notebook's language." },
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The notebook's path." },
	TFP_ATTR_END
};
static const struct tfp_attr nbp_attrs[] = {
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The folder to list." },
	{ .name = "recursive", .type = &tfp_type_bool, .flags = TFP_REQUIRED,
	  .desc = "Also list the notebooks of every subfolder." },
	{ .name = "notebook_path_list", .nested = nbp_entry_attrs,
	  .nesting = TFP_NEST_SET, .flags = TFP_COMPUTED,
	  .desc = "The notebooks found." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The path." },
	TFP_ATTR_END
};
/* clang-format on */

static int nbp_list_dir(struct tfp_workspace_list *l, struct tfp_call *call,
			const char *path, bool recursive, int depth)
{
	struct tfp_query q[] = {{"path", path}, {NULL, NULL}};
	const cJSON *o;
	cJSON *reply = NULL;
	int error;

	if (depth > WS_LIST_MAX_DEPTH)
		return tfp_diag_error(call->diags, "Folder too deep",
				      "%s is more than %d folders deep.", path,
				      WS_LIST_MAX_DEPTH);
	error = tfp_rest_get(&reply, call, WS_API "/list", q);
	if (error == TFP_ENOTFOUND)
		return tfp_diag_error(call->diags, "Not found",
				      "Cannot list %s: %s", path,
				      call->last_error.message);
	if (error < 0)
		return error;
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(reply, "objects"))
	{
		const char *type = tfp_json_string(o, "object_type");
		const char *p = tfp_json_string(o, "path");
		struct tfp_value *e;

		if (type == NULL || p == NULL)
			continue;
		if (strcmp(type, "DIRECTORY") == 0 && recursive &&
		    strcmp(p, path) != 0) {
			error = nbp_list_dir(l, call, p, true, depth + 1);
			if (error < 0)
				return error;
			continue;
		}
		if (strcmp(type, "NOTEBOOK") != 0)
			continue;
		e = tfp_workspace__list_add(l, call->arena);
		tfp_value_set_string(call->arena, e, "path", p);
		tfp_value_set_string(call->arena, e, "language",
				     tfp_json_string(o, "language"));
		l->items[l->n++] = e;
	}
	return TFP_OK;
}

static int nbp_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	const char *path = tfp_value_get_string(config, "path");
	int idx = tfp_type_attr_index(config->type, "notebook_path_list");
	struct tfp_workspace_list l = {.set_type = config->type->attr_types[idx]};
	int error;

	error = nbp_list_dir(&l, call, path,
			     tfp_value_get_bool(config, "recursive", false), 0);
	if (error < 0)
		return error;
	*out = tfp_workspace__list_result(&l, call->arena, config,
					  "notebook_path_list", path);
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_notebook_paths = {
	.type_name = "databricks_notebook_paths",
	.attrs = nbp_attrs,
	.desc = "The notebooks under a workspace folder.",
	.read = nbp_read,
};

/* --- databricks_directory ------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr dird_attrs[] = {
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The folder's path." },
	{ .name = "object_id", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The folder's numeric ID." },
	{ .name = "workspace_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The path under /Workspace." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "The path." },
	TFP_ATTR_END
};
/* clang-format on */

static int dird_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *config)
{
	const char *path = tfp_value_get_string(config, "path"), *type, *real;
	struct tfp_value *v;
	cJSON *status = NULL;
	int64_t id = 0;
	int error;

	error = ws_get_status(&status, call, path);
	if (error < 0)
		return error;
	type = tfp_json_string(status, "object_type");
	if (type == NULL || strcmp(type, "DIRECTORY") != 0)
		return tfp_diag_error(call->diags, "Not a directory",
				      "'%s' isn't a directory (it is a %s).",
				      path, type ? type : "?");
	real = tfp_json_string(status, "path");
	(void)tfp_json_int(&id, status, "object_id", NULL);
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "id", path);
	tfp_value_set(v, "object_id", tfp_value_int(call->arena, id));
	tfp_value_set_string(call->arena, v, "workspace_path",
			     tfp_arena_printf(call->arena, "/Workspace%s",
					      real ? real : path));
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_directory = {
	.type_name = "databricks_directory",
	.attrs = dird_attrs,
	.desc = "A workspace folder's numeric ID.",
	.read = dird_read,
};
