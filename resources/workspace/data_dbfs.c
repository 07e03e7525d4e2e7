/*
 * The data sources databricks_dbfs_file (a file's content, base64) and
 * databricks_dbfs_file_paths (the files under a directory).
 *
 * REST: GET /api/2.0/dbfs/get-status?path=, GET /api/2.0/dbfs/read (1 MiB
 * blocks, through tfp_workspace__dbfs_read), GET /api/2.0/dbfs/list?path=
 * -> {files: [{path, is_dir, file_size, modification_time}]}.
 *
 * As upstream: limit_file_size refuses files over 4 MB (the content is
 * held in the state, so it is meant for small files); a recursive listing
 * holds the files of every subdirectory and no directories, a flat one
 * the directory's entries, directories included.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "workspace_internal.h"

/* upstream's limit_file_size bound */
#define DBFS_DATA_LIMIT 4000000

/* --- databricks_dbfs_file ------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr dbfs_data_attrs[] = {
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The file's DBFS path." },
	{ .name = "limit_file_size", .type = &tfp_type_bool,
	  .flags = TFP_REQUIRED,
	  .desc = "Refuse files larger than 4 MB (their content goes into "
		  "the state)." },
	{ .name = "content", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The file's bytes, base64-encoded." },
	{ .name = "file_size", .type = &tfp_type_number, .flags = TFP_COMPUTED,
	  .desc = "The size in bytes." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The path." },
	TFP_ATTR_END
};
/* clang-format on */

struct dbfs_buf {
	unsigned char *data;
	size_t n, cap;
};

static int dbfs_collect(void *payload, const unsigned char *b, size_t n)
{
	struct dbfs_buf *buf = payload;

	if (buf->n + n > buf->cap) {
		size_t cap = buf->cap ? buf->cap : 65536;
		unsigned char *p;

		while (cap < buf->n + n)
			cap *= 2;
		p = realloc(buf->data, cap);
		if (p == NULL)
			return TFP_ERROR;
		buf->data = p;
		buf->cap = cap;
	}
	memcpy(buf->data + buf->n, b, n);
	buf->n += n;
	return TFP_OK;
}

static int dbfs_status(cJSON **status, int64_t *size, struct tfp_call *call,
		       const char *path)
{
	int error = tfp_workspace__dbfs_status(status, call, path);

	if (error == TFP_ENOTFOUND)
		return tfp_diag_error(call->diags, "File not found",
				      "DBFS has no %s: %s", path,
				      call->last_error.message);
	if (error < 0)
		return error;
	*size = 0;
	(void)tfp_json_int(size, *status, "file_size", NULL);
	return TFP_OK;
}

static int dbfs_data_read(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *config)
{
	const char *path = tfp_value_get_string(config, "path"), *real;
	struct dbfs_buf buf = {0};
	struct tfp_value *v;
	cJSON *status = NULL;
	int64_t size;
	int error;

	error = dbfs_status(&status, &size, call, path);
	if (error < 0)
		return error;
	real = tfp_json_string(status, "path");
	if (real == NULL)
		real = path;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(status, "is_dir")))
		return tfp_diag_error(call->diags, "Not a file",
				      "%s is a directory.", real);
	if (tfp_value_get_bool(config, "limit_file_size", false) &&
	    size > DBFS_DATA_LIMIT)
		return tfp_diag_error(call->diags, "File too large",
				      "Size of %s is too large: %lld bytes "
				      "(limit_file_size allows %d).",
				      real, (long long)size, DBFS_DATA_LIMIT);
	error = tfp_workspace__dbfs_read(call, real, size, dbfs_collect, &buf);
	if (error < 0) {
		free(buf.data);
		if (!tfp_diags_has_error(call->diags))
			return tfp_diag_error(call->diags, "Out of memory",
					      "Cannot hold %s.", real);
		return error;
	}
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "id", real);
	tfp_value_set_string(call->arena, v, "path", path);
	tfp_value_set(v, "file_size", tfp_value_int(call->arena, size));
	tfp_value_set_string(call->arena, v, "content",
			     tfp_workspace__b64_encode(call->arena, buf.data,
						       buf.n));
	free(buf.data);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_dbfs_file = {
	.type_name = "databricks_dbfs_file",
	.attrs = dbfs_data_attrs,
	.desc = "A DBFS file's content, base64-encoded.",
	.read = dbfs_data_read,
};

/* --- databricks_dbfs_file_paths ------------------------------------------- */

/* clang-format off */
static const struct tfp_attr dbfs_path_entry_attrs[] = {
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The entry's path." },
	{ .name = "file_size", .type = &tfp_type_number, .flags = TFP_COMPUTED,
	  .desc = "Its size in bytes (0 for a directory)." },
	TFP_ATTR_END
};
static const struct tfp_attr dbfs_paths_attrs[] = {
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The directory to list." },
	{ .name = "recursive", .type = &tfp_type_bool, .flags = TFP_REQUIRED,
	  .desc = "true: every file below the directory (no directories); "
		  "false: the directory's own entries." },
	{ .name = "path_list", .nested = dbfs_path_entry_attrs,
	  .nesting = TFP_NEST_SET, .flags = TFP_COMPUTED,
	  .desc = "The entries found." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The path." },
	TFP_ATTR_END
};
/* clang-format on */

/* Bounds a hostile or pathological tree (a directory that lists itself). */
#define DBFS_LIST_MAX_DEPTH 64

static int dbfs_list_dir(struct tfp_workspace_list *l, struct tfp_call *call,
			 const char *path, bool recursive, int depth)
{
	struct tfp_query q[] = {{"path", path}, {NULL, NULL}};
	const cJSON *f;
	cJSON *reply = NULL;
	int error;

	if (depth > DBFS_LIST_MAX_DEPTH)
		return tfp_diag_error(call->diags, "Directory too deep",
				      "%s is more than %d directories deep.",
				      path, DBFS_LIST_MAX_DEPTH);
	error = tfp_rest_get(&reply, call, "/api/2.0/dbfs/list", q);
	if (error == TFP_ENOTFOUND)
		return tfp_diag_error(call->diags, "Directory not found",
				      "Cannot list %s: %s", path,
				      call->last_error.message);
	if (error < 0)
		return error;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(reply, "files"))
	{
		const char *p = tfp_json_string(f, "path");
		bool dir = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(f, "is_dir"));
		int64_t size = 0;
		struct tfp_value *e;

		if (p == NULL)
			continue;
		if (dir && recursive) {
			if (strcmp(p, path) == 0)
				continue;
			error = dbfs_list_dir(l, call, p, true, depth + 1);
			if (error < 0)
				return error;
			continue;
		}
		(void)tfp_json_int(&size, f, "file_size", NULL);
		e = tfp_workspace__list_add(l, call->arena);
		tfp_value_set_string(call->arena, e, "path", p);
		tfp_value_set(e, "file_size", tfp_value_int(call->arena, size));
		l->items[l->n++] = e;
	}
	return TFP_OK;
}

static int dbfs_paths_read(struct tfp_value **out, struct tfp_call *call,
			   const struct tfp_value *config)
{
	const char *path = tfp_value_get_string(config, "path");
	int idx = tfp_type_attr_index(config->type, "path_list");
	struct tfp_workspace_list l = {.set_type = config->type->attr_types[idx]};
	int error;

	error = dbfs_list_dir(&l, call, path,
			      tfp_value_get_bool(config, "recursive", false), 0);
	if (error < 0)
		return error;
	*out = tfp_workspace__list_result(&l, call->arena, config, "path_list",
					  path);
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_dbfs_file_paths = {
	.type_name = "databricks_dbfs_file_paths",
	.attrs = dbfs_paths_attrs,
	.desc = "The files (and, when not recursive, directories) under a "
		"DBFS directory.",
	.read = dbfs_paths_read,
};
