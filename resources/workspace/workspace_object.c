/*
 * databricks_notebook and databricks_workspace_file: a notebook or a file
 * of the workspace tree, its bytes from a local file (`source`) or from
 * `content_base64`.
 *
 * REST (Workspace API 2.0): POST /api/2.0/workspace/import {path, content
 * (base64), format, language, overwrite} -> {object_id}; GET
 * /api/2.0/workspace/get-status?path= -> {object_type, object_id, path,
 * language, modified_at, size...}; GET /api/2.0/workspace/export?path=
 * &format= -> {content (base64)}; POST /api/2.0/workspace/mkdirs {path};
 * POST /api/2.0/workspace/delete {path, recursive}.
 *
 * Behaviour that explains the code:
 *  - The ID is the path, as upstream. A notebook's language and format
 *    come from the configuration, else from the source file's extension
 *    (.py, .scala, .sql, .r: SOURCE in that language; .ipynb: JUPYTER;
 *    .dbc: DBC); a workspace file goes in RAW.
 *  - A missing parent folder is made and the import tried again, as
 *    upstream (configurations rely on it); a parent the workspace cannot
 *    make fails with the workspace's message.
 *  - Drift: what an export gives back is not byte for byte what was
 *    imported (the service adds a notebook header), so after every write
 *    the provider exports once and keeps that export's MD5, with the
 *    object's modification time, in the private state. A refresh asks
 *    get-status only, and exports only when the modification time
 *    changed; an export whose MD5 differs from the recorded one means the
 *    content was changed in the workspace, and the state's md5 becomes
 *    that export's, so the plan shows it and the apply imports the
 *    configured content again.
 *  - A DBC archive is a folder: its update deletes and imports again.
 *  - Something other than the expected type at the path is an error.
 *  - Import by path reads the object once (as above), so a configuration
 *    whose content matches the workspace's ... cannot be told without the
 *    configuration: the imported md5 is the export's, and the first plan
 *    imports the configured content once.
 */
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "workspace_internal.h"

#define WS_API "/api/2.0/workspace"
/* The Workspace API's import limit. */
#define WS_MAX_BYTES (10 * 1024 * 1024)

/* What tells the two types apart. */
struct ws_kind {
	const char *object_type; /* NOTEBOOK, FILE */
	const char *what;	 /* for messages */
	bool notebook;
};

static const struct ws_kind ws_notebook = {"NOTEBOOK", "notebook", true};
static const struct ws_kind ws_file = {"FILE", "workspace file", false};

/* --- schema --------------------------------------------------------------- */

static int ws_validate_path(struct tfp_diags *d, const struct tfp_path *path,
			    const struct tfp_value *v)
{
	const char *p = v->u.str;

	if (p[0] == '\0')
		return tfp_diag_attr_error(d, path, "Path must not be empty",
					   "Set the object's absolute path.");
	if (strncmp(p, "dbfs:", 5) == 0)
		return tfp_diag_attr_error(d, path, "Remove the dbfs: prefix",
					   "\"%s\" is a DBFS path; workspace "
					   "paths start with /.",
					   p);
	if (p[0] != '/' || strstr(p, "//") != NULL ||
	    strstr(p, "/./") != NULL || strstr(p, "/../") != NULL ||
	    (strlen(p) > 1 && p[strlen(p) - 1] == '/'))
		return tfp_diag_attr_error(d, path, "Clean path required",
					   "\"%s\" is not a clean absolute "
					   "path (such as /Shared/etl/ingest).",
					   p);
	return TFP_OK;
}

static int ws_validate_language(struct tfp_diags *d,
				const struct tfp_path *path,
				const struct tfp_value *v)
{
	static const char *const ok[] = {"SCALA", "PYTHON", "R", "SQL"};
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcmp(v->u.str, ok[i]) == 0)
			return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid language",
				   "language is SCALA, PYTHON, R or SQL, not "
				   "\"%s\".",
				   v->u.str);
}

static int ws_validate_format(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	static const char *const ok[] = {"SOURCE", "DBC", "JUPYTER"};
	size_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(v->u.str, ok[i]) == 0)
			return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid format",
				   "format is SOURCE, DBC or JUPYTER, not "
				   "\"%s\".",
				   v->u.str);
}

/* clang-format off */
#define WS_COMMON_ATTRS                                                        \
	{ .name = "path", .type = &tfp_type_string,                            \
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,                               \
	  .validate = ws_validate_path,                                        \
	  .desc = "The absolute workspace path (/Shared/etl/ingest)." },       \
	TFP_WORKSPACE_CONTENT_ATTRS,                                           \
	{ .name = "object_id", .type = &tfp_type_number,                       \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "The object's numeric ID (for databricks_permissions)." },  \
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_COMPUTED,     \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "Where the object opens in the workspace's UI." },           \
	{ .name = "workspace_path", .type = &tfp_type_string,                  \
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,       \
	  .desc = "The path under /Workspace, as a cluster sees it." },        \
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,       \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "The path: the import ID." }

static const struct tfp_attr nb_attrs[] = {
	WS_COMMON_ATTRS,
	{ .name = "language", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = ws_validate_language,
	  .desc = "SCALA, PYTHON, R or SQL; default: from the source file's "
		  "extension. Needed with content_base64." },
	{ .name = "format", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = ws_validate_format,
	  .desc = "SOURCE, JUPYTER or DBC; default: from the source file's "
		  "extension, else SOURCE." },
	{ .name = "object_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_DEPRECATED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Always NOTEBOOK." },
	TFP_ATTR_END
};
static const struct tfp_attr wf_attrs[] = {
	WS_COMMON_ATTRS,
	TFP_ATTR_END
};
static const struct tfp_attr ws_ns_attrs[] = {
	{ .name = "workspace_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The workspace the object is in (unified provider "
		  "configurations); this provider manages its own host's." },
	TFP_ATTR_END
};
static const struct tfp_block ws_blocks[] = {
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_NO_JSON, .attrs = ws_ns_attrs,
	  .desc = "Accepted for configurations of the official provider." },
	TFP_BLOCK_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* A notebook's language and format from its source's extension. */
static void ws_from_extension(const char *source, const char **language,
			      const char **format)
{
	static const struct {
		const char *ext, *language, *format;
	} map[] = {{".scala", "SCALA", "SOURCE"}, {".py", "PYTHON", "SOURCE"},
		   {".sql", "SQL", "SOURCE"},	  {".r", "R", "SOURCE"},
		   {".ipynb", NULL, "JUPYTER"},	  {".dbc", NULL, "DBC"}};
	const char *dot = source ? strrchr(source, '.') : NULL;
	size_t i;

	for (i = 0; dot != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(dot, map[i].ext) == 0) {
			if (*language == NULL)
				*language = map[i].language;
			if (*format == NULL)
				*format = map[i].format;
			return;
		}
}

/* --- REST ----------------------------------------------------------------- */

static const struct ws_kind *ws_kind(const struct tfp_call *call)
{
	return call->data;
}

static int ws_fail_last(struct tfp_call *call)
{
	return tfp_call_fail(call, "%s %s: %s", call->last_error.method,
			     call->last_error.path, call->last_error.message);
}

static int ws_status(cJSON **status, struct tfp_call *call, const char *path)
{
	struct tfp_query q[] = {{"path", path}, {NULL, NULL}};

	return tfp_rest_get(status, call, WS_API "/get-status", q);
}

/*
 * A refresh's get-status, served from the parent folder's listing when many
 * objects of one folder are read (client/rest_batch.c): a listing's
 * objects are get-status's, keyed by path (paths are case-sensitive).
 */
static int ws_status_refresh(cJSON **status, struct tfp_call *call,
			     const char *path)
{
	const char *slash = strrchr(path, '/');
	struct tfp_query q[] = {{"path", NULL}, {NULL, NULL}};
	struct tfp_rest_batch_list l = {
		.path = WS_API "/list",
		.query = q,
		.items = "objects",
		.id_field = "path",
		.paging = TFP_REST_PAGE_NONE,
	};

	if (slash != NULL) {
		q[0].value = slash == path
				     ? "/"
				     : tfp_arena_printf(call->arena, "%.*s",
							(int)(slash - path),
							path);
		if (tfp_rest_batch_find(status, call, &l, path) == TFP_OK)
			return TFP_OK;
	}
	return ws_status(status, call, path);
}

static const char *ws_export_format(const struct ws_kind *k,
				    const char *format)
{
	if (!k->notebook)
		return "AUTO";
	return format != NULL ? format : "SOURCE";
}

/* The MD5 of what an export answers now (a scratch call: up to 10 MB). */
static int ws_export_md5(const char **md5, struct tfp_call *call,
			 const struct ws_kind *k, const char *path,
			 const char *format)
{
	struct tfp_query q[] = {{"path", path},
				{"format", ws_export_format(k, format)},
				{NULL, NULL}};
	struct tfp_call sub;
	struct tfp_md5 m;
	unsigned char *data;
	const char *content;
	cJSON *reply = NULL;
	size_t n;
	int error;

	tfp_workspace__scratch_begin(&sub, call);
	error = tfp_rest_get(&reply, &sub, WS_API "/export", q);
	if (error == TFP_OK) {
		content = tfp_json_string(reply, "content");
		if (content == NULL) {
			content = "";
		}
		if (!tfp_workspace__b64_decode(&data, &n, sub.arena, content) ||
		    !tfp_workspace__md5_init(&m)) {
			error = tfp_call_fail(call,
					      "The export of %s is not base64.",
					      path);
		} else {
			tfp_workspace__md5_update(&m, data, n);
			*md5 = tfp_workspace__md5_hex(&m, call->arena);
		}
	}
	tfp_workspace__scratch_end(&sub, call);
	return error;
}

static int ws_mkdirs(struct tfp_call *call, const char *dir)
{
	cJSON *body = cJSON_CreateObject(), *reply = NULL;
	int error;

	cJSON_AddStringToObject(body, "path", dir);
	error = tfp_rest_post(&reply, call, WS_API "/mkdirs", body);
	cJSON_Delete(body);
	return error;
}

static int ws_delete_path(struct tfp_call *call, const char *path,
			  bool recursive)
{
	cJSON *body = cJSON_CreateObject(), *reply = NULL;
	int error;

	cJSON_AddStringToObject(body, "path", path);
	cJSON_AddBoolToObject(body, "recursive", recursive);
	error = tfp_rest_post(&reply, call, WS_API "/delete", body);
	cJSON_Delete(body);
	return error;
}

/*
 * Imports plan's content at path; a missing parent folder is made and the
 * import tried once more. *md5 is the content's MD5.
 */
static int ws_import(const char **md5, struct tfp_call *call,
		     const struct ws_kind *k, const struct tfp_value *plan,
		     const char *path, const char *language, const char *format)
{
	unsigned char *data;
	const char *slash;
	size_t n;
	cJSON *body, *reply = NULL, *status = NULL;
	int error;

	error = tfp_workspace__content_load(&data, &n, md5, call, plan,
					    WS_MAX_BYTES, k->what);
	if (error < 0)
		return error;
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "path", path);
	cJSON_AddStringToObject(body, "content",
				tfp_workspace__b64_encode(call->arena, data, n));
	cJSON_AddStringToObject(body, "format", k->notebook ? format : "RAW");
	if (k->notebook && language != NULL)
		cJSON_AddStringToObject(body, "language", language);
	/* A DBC archive cannot be overwritten (its update deletes first). */
	cJSON_AddBoolToObject(body, "overwrite",
			      !(k->notebook && strcmp(format, "DBC") == 0));
	error = tfp_rest_post(&reply, call, WS_API "/import", body);
	if (error >= 0 && error != TFP_ENOTFOUND)
		return error;
	/* Is the parent folder missing? Then make it and try again. */
	slash = strrchr(path, '/');
	if (slash == NULL || slash == path)
		return error == TFP_ENOTFOUND ? ws_fail_last(call) : error;
	{
		const char *parent = tfp_arena_strndup(call->arena, path,
						       (size_t)(slash - path));
		struct tfp_api_error first = call->last_error;
		int st = ws_status(&status, call, parent);

		if (st != TFP_ENOTFOUND) {
			call->last_error = first;
			return error == TFP_ENOTFOUND ? ws_fail_last(call)
						      : error;
		}
		if (error < 0 && error != TFP_ENOTFOUND)
			tfp_diags_drop_last(call->diags);
		error = ws_mkdirs(call, parent);
		if (error == TFP_ENOTFOUND)
			return ws_fail_last(call);
		if (error < 0)
			return error;
	}
	error = tfp_rest_post(&reply, call, WS_API "/import", body);
	return error == TFP_ENOTFOUND ? ws_fail_last(call) : error;
}

/* --- state ---------------------------------------------------------------- */

/*
 * The state from get-status and, when the object changed since the
 * private state's record (or written_md5 says this call just wrote it),
 * an export: prior with the workspace's view.
 */
static int ws_read_state(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *prior, const char *written_md5,
			 bool refresh)
{
	const struct ws_kind *k = ws_kind(call);
	const char *path = tfp_value_get_string(prior, "id");
	const char *type, *format, *md5, *seen_digest, *export_md5 = NULL;
	int64_t object_id = 0, modified = 0, size = 0, seen_mod, seen_size;
	struct tfp_value *state;
	cJSON *status = NULL;
	bool seen;
	int error;

	if (path == NULL)
		path = tfp_value_get_string(prior, "path");
	error = refresh ? ws_status_refresh(&status, call, path)
			: ws_status(&status, call, path);
	if (error < 0)
		return error;
	type = tfp_json_string(status, "object_type");
	if (type != NULL && strcmp(type, k->object_type) != 0)
		return tfp_call_fail(call,
				     "%s is a %s in the workspace, not a %s.",
				     path, type, k->what);
	(void)tfp_json_int(&object_id, status, "object_id", NULL);
	(void)tfp_json_int(&modified, status, "modified_at", NULL);
	(void)tfp_json_int(&size, status, "size", NULL);
	state = tfp_value_copy(call->arena, prior);
	format = k->notebook ? tfp_value_get_string(prior, "format") : NULL;
	if (k->notebook && format == NULL) {
		const char *lang = NULL;

		ws_from_extension(tfp_value_get_string(prior, "source"), &lang,
				  &format);
		if (format == NULL)
			format = "SOURCE";
	}
	md5 = written_md5 != NULL ? written_md5
				  : tfp_value_get_string(prior, "md5");
	seen = tfp_workspace__private_get(call, &seen_mod, &seen_size,
					  &seen_digest);
	if (written_md5 != NULL || !seen || seen_digest == NULL ||
	    seen_mod != modified || seen_size != size || md5 == NULL) {
		error = ws_export_md5(&export_md5, call, k, path, format);
		if (error < 0)
			return error;
		/* Content unlike what this provider last wrote (or an
		 * object it never wrote): the state's md5 is the export's,
		 * which no configuration's MD5 matches but the same
		 * export's. */
		if (written_md5 == NULL &&
		    (seen_digest == NULL || strcmp(seen_digest, export_md5) != 0))
			md5 = export_md5;
	} else {
		export_md5 = seen_digest;
	}
	tfp_workspace__private_set(call, modified, size, export_md5);
	tfp_value_set_string(call->arena, state, "id", path);
	tfp_value_set_string(call->arena, state, "path", path);
	tfp_value_set_string(call->arena, state, "md5", md5);
	tfp_value_set(state, "object_id", tfp_value_int(call->arena, object_id));
	tfp_value_set_string(call->arena, state, "workspace_path",
			     tfp_arena_printf(call->arena, "/Workspace%s",
					      path));
	tfp_value_set_string(
		call->arena, state, "url",
		tfp_arena_printf(call->arena, "%s/#workspace%s",
				 tfp_rest_host(tfp_rest_of(call)), path));
	if (k->notebook) {
		const char *lang = tfp_json_string(status, "language");

		if (lang != NULL)
			tfp_value_set_string(call->arena, state, "language",
					     lang);
		tfp_value_set_string(call->arena, state, "format", format);
		tfp_value_set_string(call->arena, state, "object_type",
				     "NOTEBOOK");
	}
	*out = state;
	return TFP_OK;
}

/* --- handlers ------------------------------------------------------------- */

static int ws_validate(struct tfp_call *call, const struct tfp_value *config)
{
	const struct ws_kind *k = ws_kind(call);
	int error = tfp_workspace__content_validate(call, config, true);

	if (k->notebook && error == TFP_OK &&
	    !tfp_value_is_null(tfp_value_get(config, "content_base64")) &&
	    tfp_value_is_null(tfp_value_get(config, "language")))
		return tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "language"),
			"Missing language",
			"A notebook from content_base64 needs language "
			"(SCALA, PYTHON, R or SQL).");
	return error;
}

static int ws_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			  const struct tfp_value *config,
			  struct tfp_value *plan)
{
	const struct ws_kind *k = ws_kind(call);
	const char *path;
	int error;

	if (tfp_value_is_null(plan))
		return TFP_OK;
	path = tfp_value_get_string(plan, "path");
	if (path != NULL) {
		tfp_value_set_string(call->arena, plan, "id", path);
		tfp_value_set_string(
			call->arena, plan, "workspace_path",
			tfp_arena_printf(call->arena, "/Workspace%s", path));
	}
	if (k->notebook) {
		const char *lang = tfp_value_get_string(config, "language");
		const char *fmt = tfp_value_get_string(config, "format");
		const struct tfp_value *src = tfp_value_get(config, "source");

		if (!tfp_value_is_unknown(src)) {
			ws_from_extension(tfp_value_get_string(config, "source"),
					  &lang, &fmt);
			if (fmt == NULL)
				fmt = "SOURCE";
			tfp_value_set_string(call->arena, plan, "format", fmt);
			if (lang != NULL)
				tfp_value_set_string(call->arena, plan,
						     "language", lang);
		}
		tfp_value_set_string(call->arena, plan, "object_type",
				     "NOTEBOOK");
	}
	error = tfp_workspace__content_plan(call, config, plan, NULL);
	(void)prior;
	return error;
}

static int ws_write(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *prior, const struct tfp_value *plan)
{
	const struct ws_kind *k = ws_kind(call);
	const char *path = tfp_value_get_string(plan, "path");
	const char *language = NULL, *format = NULL, *md5;
	struct tfp_value *written =
		tfp_value_unknowns_to_null(call->arena, plan);
	int error;

	if (k->notebook) {
		language = tfp_value_get_string(plan, "language");
		format = tfp_value_get_string(plan, "format");
		ws_from_extension(tfp_value_get_string(plan, "source"),
				  &language, &format);
		if (format == NULL)
			format = "SOURCE";
		tfp_value_set_string(call->arena, written, "format", format);
		if (prior != NULL && strcmp(format, "DBC") == 0) {
			error = ws_delete_path(call, path, true);
			if (error < 0 && error != TFP_ENOTFOUND)
				return error;
		}
	}
	tfp_value_set_string(call->arena, written, "id", path);
	error = ws_import(&md5, call, k, plan, path, language, format);
	if (error < 0) {
		/* Nothing was imported on a create; an update keeps prior
		 * (the lifecycle returns it). */
		return error;
	}
	error = ws_read_state(out, call, written, md5, false);
	if (error == TFP_ENOTFOUND) {
		*out = written;
		return ws_fail_last(call);
	}
	if (error < 0)
		*out = written;
	return error;
}

static int ws_create(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *plan)
{
	return ws_write(out, call, NULL, plan);
}

static int ws_update(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *prior, const struct tfp_value *plan)
{
	const char *was = tfp_value_get_string(prior, "md5");
	const char *will = tfp_value_get_string(plan, "md5");

	/* Only source or content_base64 changed (after an import, which
	 * cannot know them), to bytes already there: nothing to write. */
	if (was != NULL && will != NULL && strcmp(was, will) == 0 &&
	    tfp_value_equal(tfp_value_get(prior, "path"),
			    tfp_value_get(plan, "path")))
		return ws_read_state(out, call, plan, NULL, false);
	return ws_write(out, call, prior, plan);
}

static int ws_read(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_value *prior)
{
	return ws_read_state(out, call, prior, NULL, true);
}

static int ws_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct ws_kind *k = ws_kind(call);
	const char *format = k->notebook ? tfp_value_get_string(prior, "format")
					 : NULL;

	/* A DBC archive imports as a folder. */
	return ws_delete_path(call, tfp_value_get_string(prior, "id"),
			      format != NULL && strcmp(format, "DBC") == 0);
}

static int ws_import_state(struct tfp_value **out, struct tfp_call *call,
			   const struct tfp_type *type, const char *id)
{
	struct tfp_value *v;

	if (id[0] != '/')
		return tfp_diag_error(call->diags, "Invalid import ID",
				      "\"%s\" is not a workspace path; the "
				      "import ID is the object's path, e.g. "
				      "/Shared/etl/ingest.",
				      id);
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, "path", id);
	*out = v;
	return TFP_OK;
}

const struct tfp_resource tfp_resource_notebook = {
	.type_name = "databricks_notebook",
	.schema_version = 1,
	.attrs = nb_attrs,
	.blocks = ws_blocks,
	.desc = "A notebook from a local source file or base64 content; an "
		"edit made in the workspace is drift.",
	.create = ws_create,
	.read = ws_read,
	.update = ws_update,
	.delete = ws_delete,
	.import = ws_import_state,
	.modify_plan = ws_modify_plan,
	.validate = ws_validate,
	.data = &ws_notebook,
};

const struct tfp_resource tfp_resource_workspace_file = {
	.type_name = "databricks_workspace_file",
	.schema_version = 1,
	.attrs = wf_attrs,
	.blocks = ws_blocks,
	.desc = "A file of the workspace tree from a local source file or "
		"base64 content; an edit made in the workspace is drift.",
	.create = ws_create,
	.read = ws_read,
	.update = ws_update,
	.delete = ws_delete,
	.import = ws_import_state,
	.modify_plan = ws_modify_plan,
	.validate = ws_validate,
	.data = &ws_file,
};
