/*
 * databricks_dbfs_file: one file on DBFS, its bytes from a local file
 * (`source`) or from `content_base64`.
 *
 * REST (DBFS API 2.0): POST /api/2.0/dbfs/put {path, contents, overwrite}
 * (inline, at most 1 MiB); POST create {path, overwrite} -> {handle},
 * add-block {handle, data} (at most 1 MiB of bytes each), close {handle}
 * for larger files; GET get-status?path= -> {path, is_dir, file_size,
 * modification_time}; GET read?path=&offset=&length= -> {bytes_read, data}
 * (at most 1 MiB); POST delete {path, recursive}.
 *
 * Behaviour that explains the code:
 *  - Uploads stream: a block of the source is read, encoded and sent, and
 *    its request and answer are freed (a scratch arena) before the next,
 *    so a file of any size costs about 1 MiB of bytes and their base64.
 *    A file that fits one block goes in one put.
 *  - Drift: a read asks get-status only; the remote file is read (in
 *    1 MiB blocks, hashed as they come) only when its modification time
 *    or size differ from what this provider saw after its last write or
 *    hash, which the private state keeps. Its MD5 then replaces md5 in the
 *    state, which the plan shows against the configuration's and the next
 *    apply overwrites.
 *  - A create or update that fails after the file was opened returns the
 *    path without an md5, so Terraform records the (partial) file as
 *    tainted and the next apply writes it again.
 *  - The ID is the path, as upstream; import by path reads the file once
 *    to learn its MD5, so a matching configuration plans clean.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "workspace_internal.h"

#define DBFS_API "/api/2.0/dbfs"
/* The API's block: put's inline limit, add-block's and read's maximum. */
#define DBFS_BLOCK (1024 * 1024)

/* --- schema --------------------------------------------------------------- */

static int dbfs_validate_path(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	const char *p = v->u.str;

	if (strncmp(p, "dbfs:", 5) == 0)
		return tfp_diag_attr_error(
			d, path, "Remove the dbfs: prefix",
			"Write the path as %s: the prefix names the same file "
			"but would make the state differ from the path the "
			"workspace answers.",
			p + 5);
	if (p[0] != '/' || strstr(p, "//") != NULL ||
	    strstr(p, "/./") != NULL || strstr(p, "/../") != NULL ||
	    (strlen(p) > 1 && p[strlen(p) - 1] == '/'))
		return tfp_diag_attr_error(
			d, path, "Clean absolute path required",
			"\"%s\" is not a clean absolute path (such as "
			"/FileStore/jars/etl.jar).",
			p);
	return TFP_OK;
}

/* clang-format off */
static const struct tfp_attr dbfs_file_attrs[] = {
	{ .name = "path", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = dbfs_validate_path,
	  .desc = "The file's absolute DBFS path, without dbfs: "
		  "(/FileStore/jars/etl.jar)." },
	TFP_WORKSPACE_CONTENT_ATTRS,
	{ .name = "file_size", .type = &tfp_type_number, .flags = TFP_COMPUTED,
	  .desc = "The file's size in bytes." },
	{ .name = "dbfs_path", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The path with the dbfs: scheme, for cluster and job "
		  "settings." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The path: the import ID." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- REST ----------------------------------------------------------------- */

static int dbfs_fail_last(struct tfp_call *call)
{
	return tfp_call_fail(call, "%s %s: %s", call->last_error.method,
			     call->last_error.path, call->last_error.message);
}

/* POST one JSON body with a big string member through a scratch arena. */
static int dbfs_post_block(struct tfp_call *call, const char *op,
			   const char *path_or_null, int64_t handle,
			   const char *member, const char *b64)
{
	struct tfp_call sub;
	cJSON *body = cJSON_CreateObject(), *reply = NULL;
	int error;

	if (path_or_null != NULL) {
		cJSON_AddStringToObject(body, "path", path_or_null);
		cJSON_AddBoolToObject(body, "overwrite", 1);
	} else {
		tfp_json_add_int(body, "handle", handle);
	}
	cJSON_AddStringToObject(body, member, b64);
	tfp_workspace__scratch_begin(&sub, call);
	error = tfp_rest_call(&reply, &sub, "POST",
			      tfp_arena_printf(sub.arena, "%s/%s", DBFS_API, op),
			      NULL, body, 0);
	cJSON_Delete(body);
	tfp_workspace__scratch_end(&sub, call);
	return error;
}

static int dbfs_post(cJSON **reply, struct tfp_call *call, const char *op,
		     cJSON *body)
{
	int error = tfp_rest_call(
		reply, call, "POST",
		tfp_arena_printf(call->arena, "%s/%s", DBFS_API, op), NULL,
		body, 0);

	cJSON_Delete(body);
	return error;
}

/*
 * Writes obj's content to path: one put for a file of at most one block,
 * else a stream. *md5 is the MD5 of what was sent.
 */
static int dbfs_upload(const char **md5, struct tfp_call *call,
		       const char *path, const struct tfp_value *obj)
{
	unsigned char *raw = malloc(DBFS_BLOCK);
	char *b64 = malloc(TFP_B64_LEN(DBFS_BLOCK) + 1);
	struct tfp_content c;
	cJSON *body, *reply = NULL;
	int64_t handle = 0;
	bool streaming = false;
	long got;
	int error;

	*md5 = NULL;
	if (raw == NULL || b64 == NULL) {
		free(raw);
		free(b64);
		return tfp_diag_error(call->diags, "Out of memory",
				      "Cannot allocate a 1 MiB block buffer.");
	}
	error = tfp_workspace__content_open(&c, call, obj);
	if (error < 0)
		goto out;
	for (;;) {
		size_t n = 0;

		/* A whole block, so that put/add-block get full blocks. */
		while (n < DBFS_BLOCK &&
		       (got = tfp_workspace__content_read(
				&c, call, raw + n, DBFS_BLOCK - n)) > 0)
			n += (size_t)got;
		if (tfp_diags_has_error(call->diags)) {
			error = TFP_ERROR;
			break;
		}
		tfp_workspace__b64_encode_to(b64, raw, n);
		if (!streaming && n < DBFS_BLOCK) {
			/* The whole file in one block. */
			error = dbfs_post_block(call, "put", path, 0,
						"contents", b64);
			break;
		}
		if (!streaming) {
			body = cJSON_CreateObject();
			cJSON_AddStringToObject(body, "path", path);
			cJSON_AddBoolToObject(body, "overwrite", 1);
			error = dbfs_post(&reply, call, "create", body);
			if (error < 0)
				break;
			if (tfp_json_int(&handle, reply, "handle", NULL) !=
			    TFP_OK) {
				error = tfp_call_fail(
					call, "%s",
					"POST /api/2.0/dbfs/create answered "
					"without a handle.");
				break;
			}
			streaming = true;
		}
		if (n > 0) {
			error = dbfs_post_block(call, "add-block", NULL, handle,
						"data", b64);
			if (error < 0)
				break;
		}
		if (n < DBFS_BLOCK)
			break;
	}
	if (streaming && error >= 0) {
		body = cJSON_CreateObject();
		tfp_json_add_int(body, "handle", handle);
		error = dbfs_post(&reply, call, "close", body);
	}
	*md5 = tfp_workspace__content_close(&c, call->arena);
out:
	free(raw);
	free(b64);
	if (error == TFP_ENOTFOUND)
		return dbfs_fail_last(call);
	return error;
}

int tfp_workspace__dbfs_status(cJSON **status, struct tfp_call *call,
			       const char *path)
{
	struct tfp_query q[] = {{"path", path}, {NULL, NULL}};

	return tfp_rest_get(status, call, DBFS_API "/get-status", q);
}

int tfp_workspace__dbfs_read(struct tfp_call *call, const char *path,
			     int64_t size, tfp_workspace_block_fn fn,
			     void *payload)
{
	int64_t offset = 0;
	int error = TFP_OK;

	while (offset < size) {
		struct tfp_call sub;
		struct tfp_query q[] = {
			{"path", path},
			{"offset", NULL},
			{"length", NULL},
			{NULL, NULL}};
		cJSON *reply = NULL;
		const char *data;
		unsigned char *bytes = NULL;
		size_t n = 0;
		int64_t read = 0;

		/* Each block's answer is freed before the next is asked. */
		tfp_workspace__scratch_begin(&sub, call);
		q[1].value = tfp_arena_printf(sub.arena, "%lld",
					      (long long)offset);
		q[2].value = tfp_arena_printf(sub.arena, "%d", DBFS_BLOCK);
		error = tfp_rest_get(&reply, &sub, DBFS_API "/read", q);
		if (error == TFP_OK) {
			data = tfp_json_string(reply, "data");
			if (tfp_json_int(&read, reply, "bytes_read", NULL) !=
				    TFP_OK ||
			    (read > 0 && data == NULL) ||
			    (data != NULL &&
			     !tfp_workspace__b64_decode(&bytes, &n, sub.arena,
							data)) ||
			    (int64_t)n != read)
				error = tfp_call_fail(
					call,
					"GET /api/2.0/dbfs/read of %s at %lld "
					"answered without its data.",
					path, (long long)offset);
			else if (n > 0)
				error = fn(payload, bytes, n);
		}
		tfp_workspace__scratch_end(&sub, call);
		if (error < 0 || read == 0)
			break; /* (0: shorter than get-status said) */
		offset += read;
	}
	return error;
}

static int dbfs_hash_block(void *payload, const unsigned char *b, size_t n)
{
	tfp_workspace__md5_update(payload, b, n);
	return TFP_OK;
}

/* The remote file's MD5, read in blocks. */
static int dbfs_remote_md5(const char **md5, struct tfp_call *call,
			   const char *path, int64_t size)
{
	struct tfp_md5 m;
	int error;

	if (!tfp_workspace__md5_init(&m))
		return tfp_diag_error(call->diags, "Cannot hash the content",
				      "OpenSSL could not start an MD5.");
	error = tfp_workspace__dbfs_read(call, path, size, dbfs_hash_block, &m);
	if (error < 0) {
		tfp_workspace__md5_abort(&m);
		return error;
	}
	*md5 = tfp_workspace__md5_hex(&m, call->arena);
	return TFP_OK;
}

/* --- handlers ------------------------------------------------------------- */

static int dbfs_validate(struct tfp_call *call, const struct tfp_value *config)
{
	return tfp_workspace__content_validate(call, config, true);
}

static int dbfs_modify_plan(struct tfp_call *call,
			    const struct tfp_value *prior,
			    const struct tfp_value *config,
			    struct tfp_value *plan)
{
	const char *path;
	int64_t size;
	int error;

	(void)prior;
	if (tfp_value_is_null(plan))
		return TFP_OK;
	path = tfp_value_get_string(plan, "path");
	if (path != NULL) {
		tfp_value_set_string(call->arena, plan, "id", path);
		tfp_value_set_string(call->arena, plan, "dbfs_path",
				     tfp_arena_printf(call->arena, "dbfs:%s",
						      path));
	}
	error = tfp_workspace__content_plan(call, config, plan, &size);
	if (error < 0)
		return error;
	/* The size the write will give is known now; unknown content
	 * leaves it unknown, whatever the prior state said. */
	tfp_value_set(plan, "file_size",
		      size >= 0 ? tfp_value_int(call->arena, size)
				: tfp_value_unknown(call->arena,
						    &tfp_type_number));
	return TFP_OK;
}

/*
 * The state from get-status: prior (a plan after a write) with the
 * remote size; md5 from the remote content when the file changed since
 * the private state's record (or known_md5, what a write just sent).
 */
static int dbfs_read_state(struct tfp_value **out, struct tfp_call *call,
			   const struct tfp_value *prior, const char *known_md5)
{
	const char *path = tfp_value_get_string(prior, "id");
	const char *md5 = known_md5;
	int64_t size = 0, modified = 0, seen_modified, seen_size;
	struct tfp_value *state;
	cJSON *status = NULL;
	int error;

	if (path == NULL)
		path = tfp_value_get_string(prior, "path");
	error = tfp_workspace__dbfs_status(&status, call, path);
	if (error < 0)
		return error;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(status, "is_dir")))
		return tfp_call_fail(call,
				     "%s is a directory on DBFS, not a file.",
				     path);
	(void)tfp_json_int(&size, status, "file_size", NULL);
	(void)tfp_json_int(&modified, status, "modification_time", NULL);
	if (md5 == NULL) {
		md5 = tfp_value_get_string(prior, "md5");
		if (md5 == NULL ||
		    !tfp_workspace__private_get(call, &seen_modified,
						&seen_size, NULL) ||
		    seen_modified != modified || seen_size != size) {
			error = dbfs_remote_md5(&md5, call, path, size);
			if (error < 0)
				return error;
		}
	}
	tfp_workspace__private_set(call, modified, size, NULL);
	state = tfp_value_copy(call->arena, prior);
	tfp_value_set_string(call->arena, state, "id", path);
	tfp_value_set_string(call->arena, state, "path", path);
	tfp_value_set_string(call->arena, state, "dbfs_path",
			     tfp_arena_printf(call->arena, "dbfs:%s", path));
	tfp_value_set(state, "file_size", tfp_value_int(call->arena, size));
	tfp_value_set_string(call->arena, state, "md5", md5);
	*out = state;
	return TFP_OK;
}

static int dbfs_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *prior)
{
	return dbfs_read_state(out, call, prior, NULL);
}

static int dbfs_write(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *plan)
{
	const char *path = tfp_value_get_string(plan, "path"), *md5;
	struct tfp_value *written = tfp_value_unknowns_to_null(call->arena,
							       plan);
	int error;

	tfp_value_set_string(call->arena, written, "id", path);
	error = dbfs_upload(&md5, call, path, plan);
	if (error < 0) {
		/* The file may exist, partly written: recorded without an
		 * md5 (tainted by the failure), it is written again. */
		tfp_value_set_string(call->arena, written, "md5", NULL);
		*out = written;
		return error;
	}
	error = dbfs_read_state(out, call, written, md5);
	if (error == TFP_ENOTFOUND) {
		*out = written;
		return dbfs_fail_last(call);
	}
	if (error < 0)
		*out = written;
	return error;
}

static int dbfs_create(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *plan)
{
	return dbfs_write(out, call, plan);
}

static int dbfs_update(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior,
		       const struct tfp_value *plan)
{
	const char *was = tfp_value_get_string(prior, "md5");
	const char *will = tfp_value_get_string(plan, "md5");

	/* Only source or content_base64 changed (after an import, which
	 * cannot know them), to the same bytes: nothing to write. */
	if (was != NULL && will != NULL && strcmp(was, will) == 0)
		return dbfs_read_state(out, call, plan, will);
	return dbfs_write(out, call, plan);
}

static int dbfs_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	cJSON *body = cJSON_CreateObject(), *reply = NULL;

	cJSON_AddStringToObject(body, "path",
				tfp_value_get_string(prior, "id"));
	cJSON_AddBoolToObject(body, "recursive", 0);
	return dbfs_post(&reply, call, "delete", body);
}

static int dbfs_import(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_type *type, const char *id)
{
	struct tfp_value *v;

	if (id[0] != '/' && strncmp(id, "dbfs:/", 6) != 0)
		return tfp_diag_error(call->diags, "Invalid import ID",
				      "\"%s\" is not a DBFS path; the import "
				      "ID is the file's path, e.g. "
				      "/FileStore/jars/etl.jar.",
				      id);
	if (strncmp(id, "dbfs:", 5) == 0)
		id += 5;
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, "path", id);
	*out = v;
	return TFP_OK;
}

const struct tfp_resource tfp_resource_dbfs_file = {
	.type_name = "databricks_dbfs_file",
	.schema_version = 1,
	.attrs = dbfs_file_attrs,
	.desc = "A file on DBFS from a local file or base64 content, "
		"uploaded in 1 MiB blocks; a change made in the workspace is "
		"drift.",
	.create = dbfs_create,
	.read = dbfs_read,
	.update = dbfs_update,
	.delete = dbfs_delete,
	.import = dbfs_import,
	.modify_plan = dbfs_modify_plan,
	.validate = dbfs_validate,
};
