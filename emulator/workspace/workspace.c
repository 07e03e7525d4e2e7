/*
 * The workspace tree: Workspace API 2.0, Repos API 2.0 and Git
 * Credentials (databricks-sdk-go service/workspace).
 *
 *   POST /api/2.0/workspace/mkdirs      {path}               -> {}
 *   POST /api/2.0/workspace/import      {path, content (base64), format,
 *                                        language, overwrite} -> {}
 *   GET  /api/2.0/workspace/export      ?path=&format=  -> {content,
 *                                                          file_type}
 *   GET  /api/2.0/workspace/get-status  ?path=          -> ObjectInfo
 *   GET  /api/2.0/workspace/list        ?path=          -> {objects}
 *   POST /api/2.0/workspace/delete      {path, recursive} -> {}
 *   POST|GET /api/2.0/repos, GET|PATCH|DELETE /api/2.0/repos/{id}
 *   POST|GET /api/2.0/git-credentials,
 *   GET|PATCH|DELETE /api/2.0/git-credentials/{id}
 *
 * The tree: every object has a path (absolute; "/Workspace/..." names the
 * same object, as on the service), an object_type (DIRECTORY, NOTEBOOK,
 * FILE, REPO), an object_id (int64, never reused), created_at and
 * modified_at (epoch ms). Notebooks keep their language and source;
 * files their bytes (base64) and size. A fresh workspace has /, /Users,
 * /Shared and /Repos; a user's home /Users/<userName> is made on first
 * use for a user of the SCIM directory, and /Users/<anyone else> cannot
 * be made (404 "User <name> does not exist.", the emulator's words).
 *
 * Import: the parent folder must exist (404 RESOURCE_DOES_NOT_EXIST "The
 * parent folder (<p>) does not exist."); an existing object is kept
 * without overwrite (400 RESOURCE_ALREADY_EXISTS "<p> already exists.");
 * at most 10 MB (400 MAX_NOTEBOOK_SIZE_EXCEEDED). SOURCE needs a
 * language; JUPYTER is a Python notebook; RAW is a file; AUTO is a
 * notebook when the content starts with the "Databricks notebook source"
 * header, else a file; a DBC archive becomes a folder (its entries are
 * not unpacked: the emulator's limit). The service stores notebooks as
 * cells: an export in SOURCE format starts with the header line ("#
 * Databricks notebook source" in the language's comment syntax) whether
 * or not the import had it, so an export is not byte for byte the
 * import. Every import sets modified_at anew.
 *
 * Delete: a folder with content needs recursive (400 DIRECTORY_NOT_EMPTY
 * "Folder (<p>) is not empty."); a missing path is 404
 * RESOURCE_DOES_NOT_EXIST "Path (<p>) doesn't exist."; a repo deleted
 * through the tree is gone from the Repos API too.
 *
 * Repos: create takes url (required), provider (inferred from github.com,
 * gitlab.com, dev.azure.com, bitbucket.org hosts when absent, else 400),
 * path (default /Repos/<caller>/<name from the URL>; its parent must be a
 * folder) and sparse_checkout; the clone is at branch "main" with a
 * head_commit_id derived from url and ref (the emulator has no Git). A
 * PATCH {branch} or {tag} checks out (a tag leaves no branch); both at
 * once is 400. list pages with path_prefix and next_page_token (100 per
 * page).
 *
 * Git credentials: one per Git provider for each principal (the caller,
 * or principal_id), else 400 INVALID_STATE "Only one Git credential is
 * supported at this time. If you would like to update your credential,
 * please use the PATCH endpoint." (the service's answer as the official
 * provider's tests record it, and what its `force` matches); git_provider is
 * required on create and update; the token is never answered, never
 * logged (the routes are EMU_ROUTE_SECRET_ARGS) and never saved with
 * --state (only whether there is one).
 *
 * Not served: export with direct_download (always JSON), HTML and DBC
 * exports of real content (a stub document), workspace-files paths.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "identity/identity.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

#define WS_MAX_IMPORT	   (10 * 1024 * 1024)
#define WS_MAX_OBJECTS	   100000
#define WS_MAX_PATH	   4096
#define WS_ID_BASE	   INT64_C(3100000000000000)
#define REPOS_PAGE	   100
#define WS_MAX_CREDENTIALS 1000

struct ws_state {
	/* path -> {object_type, object_id, created_at, modified_at,
	 * language, content (base64), size} */
	cJSON *objects;
	cJSON *repos; /* [{id, url, provider, path, branch, ...}] */
	cJSON *creds; /* [{credential_id, git_provider, ..., principal_id}] */
	int64_t next_id;
};

extern const struct emu_module emu_module_workspace;

/* --- paths ---------------------------------------------------------------- */

/*
 * The canonical form of a client's path: absolute, without a
 * "/Workspace" prefix or a trailing '/'; NULL when it is not absolute, has
 * empty, "." or ".." segments, or is too long. Caller frees.
 */
static char *ws_canon(const char *p)
{
	char *s;
	size_t n;

	if (p == NULL || p[0] != '/' || strlen(p) > WS_MAX_PATH)
		return NULL;
	if (strncmp(p, "/Workspace", 10) == 0 &&
	    (p[10] == '/' || p[10] == '\0'))
		p += 10;
	s = emu_xstrdup(*p ? p : "/");
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	if (strstr(s, "//") != NULL || strstr(s, "/./") != NULL ||
	    strstr(s, "/../") != NULL ||
	    (n >= 2 && strcmp(s + n - 2, "/.") == 0) ||
	    (n >= 3 && strcmp(s + n - 3, "/..") == 0)) {
		free(s);
		return NULL;
	}
	return s;
}

/* The parent of a canonical path other than "/" (caller frees). */
static char *ws_parent(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == path)
		return emu_xstrdup("/");
	return emu_xmemdup0(path, (size_t)(slash - path));
}

static bool ws_is_child(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/' && path[1] != '\0' &&
		       strchr(path + 1, '/') == NULL;
	return strncmp(path, dir, n) == 0 && path[n] == '/' &&
	       strchr(path + n + 1, '/') == NULL;
}

static bool ws_is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* --- state ---------------------------------------------------------------- */

static cJSON *ws_get(struct ws_state *st, const char *path)
{
	return cJSON_GetObjectItemCaseSensitive(st->objects, path);
}

static const char *ws_type(const cJSON *o)
{
	return emu_json_str(o, "object_type");
}

static cJSON *ws_add(struct ws_state *st, const char *path, const char *type)
{
	cJSON *o = cJSON_CreateObject();
	int64_t now = emu_now_ms();

	cJSON_AddStringToObject(o, "object_type", type);
	emu_json_add_int64(o, "object_id", st->next_id++);
	emu_json_add_int64(o, "created_at", now);
	emu_json_add_int64(o, "modified_at", now);
	cJSON_AddItemToObject(st->objects, path, o);
	return o;
}

static void *ws_state_new(void)
{
	struct ws_state *st = emu_xcalloc(1, sizeof(*st));
	static const char *const dirs[] = {"/", "/Users", "/Shared", "/Repos"};
	size_t i;

	st->objects = cJSON_CreateObject();
	st->repos = cJSON_CreateArray();
	st->creds = cJSON_CreateArray();
	st->next_id = WS_ID_BASE + 1;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		ws_add(st, dirs[i], "DIRECTORY");
	return st;
}

static void ws_state_free(void *p)
{
	struct ws_state *st = p;

	if (st == NULL)
		return;
	cJSON_Delete(st->objects);
	cJSON_Delete(st->repos);
	cJSON_Delete(st->creds);
	free(st);
}

static cJSON *ws_state_save(const void *p)
{
	const struct ws_state *st = p;
	cJSON *j = cJSON_CreateObject();

	cJSON_AddItemToObject(j, "objects", cJSON_Duplicate(st->objects, true));
	cJSON_AddItemToObject(j, "repos", cJSON_Duplicate(st->repos, true));
	cJSON_AddItemToObject(j, "credentials",
			      cJSON_Duplicate(st->creds, true));
	emu_json_add_int64(j, "next_id", st->next_id);
	return j;
}

static int ws_state_load(void *p, const cJSON *j, char *err, size_t errlen)
{
	struct ws_state *st = p;
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "objects");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "repos");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "credentials");
	int64_t next;

	if (!cJSON_IsObject(o) || !cJSON_IsArray(r) || !cJSON_IsArray(c) ||
	    emu_json_member_int(&next, j, "next_id") != 0) {
		snprintf(err, errlen, "workspace: objects, repos, credentials "
				      "and next_id are required");
		return -1;
	}
	cJSON_Delete(st->objects);
	cJSON_Delete(st->repos);
	cJSON_Delete(st->creds);
	st->objects = cJSON_Duplicate(o, true);
	st->repos = cJSON_Duplicate(r, true);
	st->creds = cJSON_Duplicate(c, true);
	st->next_id = next;
	return 0;
}

/* --- shared steps --------------------------------------------------------- */

static int ws_path_arg(char **out, struct emu_request *req,
		       struct emu_response *resp)
{
	const char *path;

	if (emu_arg_string(&path, req, resp, "path", EMU_ARG_REQUIRED) < 0)
		return -1;
	*out = ws_canon(path);
	if (*out == NULL)
		return emu_error_invalid(resp, "Path (%s) is not a valid "
					       "absolute path.",
					 path);
	return 0;
}

/* The ObjectInfo of the object at path. */
static cJSON *ws_info(const char *path, const cJSON *o)
{
	cJSON *info = cJSON_CreateObject();
	const char *lang = emu_json_str(o, "language");
	const cJSON *size = cJSON_GetObjectItemCaseSensitive(o, "size");
	int64_t id = 0;

	(void)emu_json_member_int(&id, o, "object_id");
	cJSON_AddStringToObject(info, "object_type", ws_type(o));
	cJSON_AddStringToObject(info, "path", path);
	cJSON_AddItemToObject(info, "object_id", emu_json_int64(id));
	{
		char *rid = emu_printf("%" PRId64, id);

		cJSON_AddStringToObject(info, "resource_id", rid);
		free(rid);
	}
	if (lang != NULL)
		cJSON_AddStringToObject(info, "language", lang);
	cJSON_AddItemToObject(info, "created_at",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(
						      o, "created_at"),
					      true));
	cJSON_AddItemToObject(info, "modified_at",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(
						      o, "modified_at"),
					      true));
	if (size != NULL)
		cJSON_AddItemToObject(info, "size", cJSON_Duplicate(size, true));
	return info;
}

/* Makes dir and its missing parents, as mkdirs does; 0, or -1 answered. */
static int ws_mkdirs(struct ws_state *st, struct emu_request *req,
		     struct emu_response *resp, const char *dir)
{
	char *parent;
	const cJSON *o = ws_get(st, dir);
	int rc;

	if (o != NULL) {
		if (strcmp(ws_type(o), "DIRECTORY") == 0)
			return 0;
		return emu_error(resp, 400, "RESOURCE_ALREADY_EXISTS",
				 "Node named '%s' already exists",
				 strrchr(dir, '/') + 1);
	}
	if (cJSON_GetArraySize(st->objects) >= WS_MAX_OBJECTS)
		return emu_error(resp, 400, "QUOTA_EXCEEDED",
				 "The workspace holds %d objects, the "
				 "emulator's limit.",
				 WS_MAX_OBJECTS);
	parent = ws_parent(dir);
	/* A home folder is only for a user of the directory. */
	if (strcmp(parent, "/Users") == 0 &&
	    !emu_scim_user_exists(req->ws, dir + 7) &&
	    !emu_scim_sp_exists(req->ws, dir + 7)) {
		free(parent);
		return emu_error_not_found(resp, "User %s does not exist.",
					   dir + 7);
	}
	rc = ws_mkdirs(st, req, resp, parent);
	free(parent);
	if (rc < 0)
		return rc;
	ws_add(st, dir, "DIRECTORY");
	return 0;
}

/* The parent folder of path, made when it is a user's home; else it must
 * exist. 0, or -1 answered. */
static int ws_need_parent(struct ws_state *st, struct emu_request *req,
			  struct emu_response *resp, const char *path)
{
	char *parent = ws_parent(path);
	const cJSON *o = ws_get(st, parent);
	int rc = 0;

	if (o == NULL) {
		char *grand = ws_parent(parent);

		if (strcmp(grand, "/Users") == 0)
			rc = ws_mkdirs(st, req, resp, parent);
		else
			rc = emu_error_not_found(resp,
						 "The parent folder (%s) does "
						 "not exist.",
						 parent);
		free(grand);
	} else if (strcmp(ws_type(o), "DIRECTORY") != 0) {
		rc = emu_error_invalid(resp, "The parent (%s) is a %s, not a "
					     "folder.",
				       parent, ws_type(o));
	}
	free(parent);
	return rc;
}

/* The header a SOURCE export starts with, in the language's syntax. */
static const char *ws_header(const char *language)
{
	if (language == NULL)
		return "# Databricks notebook source";
	if (strcmp(language, "SQL") == 0)
		return "-- Databricks notebook source";
	if (strcmp(language, "SCALA") == 0)
		return "// Databricks notebook source";
	return "# Databricks notebook source";
}

static bool ws_has_header(const unsigned char *data, size_t n)
{
	static const char *const h[] = {"# Databricks notebook source",
					"-- Databricks notebook source",
					"// Databricks notebook source"};
	size_t i;

	for (i = 0; i < 3; i++)
		if (n >= strlen(h[i]) && memcmp(data, h[i], strlen(h[i])) == 0)
			return true;
	return false;
}

/* --- Workspace API -------------------------------------------------------- */

static void h_mkdirs(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	char *path;

	if (ws_path_arg(&path, req, resp) < 0)
		return;
	(void)ws_mkdirs(st, req, resp, path);
	free(path);
}

static void h_get_status(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	const cJSON *o;
	char *path;

	if (ws_path_arg(&path, req, resp) < 0)
		return;
	o = ws_get(st, path);
	if (o == NULL)
		emu_error_not_found(resp, "Path (%s) doesn't exist.", path);
	else
		emu_response_json(resp, 200, ws_info(path, o));
	free(path);
}

static void h_list(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	const cJSON *o, *c;
	cJSON *body, *list;
	char *path;

	if (ws_path_arg(&path, req, resp) < 0)
		return;
	o = ws_get(st, path);
	if (o == NULL) {
		emu_error_not_found(resp, "Path (%s) doesn't exist.", path);
		free(path);
		return;
	}
	body = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(body, "objects");
	if (strcmp(ws_type(o), "DIRECTORY") != 0) {
		cJSON_AddItemToArray(list, ws_info(path, o));
	} else {
		cJSON_ArrayForEach(c, st->objects)
		{
			if (ws_is_child(c->string, path))
				cJSON_AddItemToArray(list,
						     ws_info(c->string, c));
		}
	}
	/* An empty folder answers {}, as the service does. */
	if (cJSON_GetArraySize(list) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(body, "objects");
	emu_response_json(resp, 200, body);
	free(path);
}

static void h_delete(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	bool recursive = false, has_child = false;
	const cJSON *o, *c;
	char *path;
	int i;

	if (ws_path_arg(&path, req, resp) < 0)
		return;
	if (emu_arg_bool(&recursive, NULL, req, resp, "recursive",
			 EMU_ARG_OPTIONAL) < 0)
		goto out;
	o = ws_get(st, path);
	if (o == NULL) {
		emu_error_not_found(resp, "Path (%s) doesn't exist.", path);
		goto out;
	}
	if (strcmp(path, "/") == 0 || strcmp(path, "/Users") == 0 ||
	    strcmp(path, "/Shared") == 0 || strcmp(path, "/Repos") == 0) {
		emu_error(resp, 403, "PERMISSION_DENIED",
			  "Folder %s cannot be deleted.", path);
		goto out;
	}
	cJSON_ArrayForEach(c, st->objects)
	{
		if (ws_is_below(c->string, path))
			has_child = true;
	}
	if (has_child && !recursive) {
		emu_error(resp, 400, "DIRECTORY_NOT_EMPTY",
			  "Folder (%s) is not empty.", path);
		goto out;
	}
	/* The object and everything below it; repos among them go from
	 * the Repos API too. */
	for (i = cJSON_GetArraySize(st->objects) - 1; i >= 0; i--) {
		cJSON *e = cJSON_GetArrayItem(st->objects, i);

		if (strcmp(e->string, path) == 0 || ws_is_below(e->string, path))
			cJSON_DeleteItemFromArray(st->objects, i);
	}
	for (i = cJSON_GetArraySize(st->repos) - 1; i >= 0; i--) {
		const char *rp =
			emu_json_str(cJSON_GetArrayItem(st->repos, i), "path");

		if (rp != NULL &&
		    (strcmp(rp, path) == 0 || ws_is_below(rp, path)))
			cJSON_DeleteItemFromArray(st->repos, i);
	}
out:
	free(path);
}

static void h_import(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	const char *format = NULL, *language = NULL, *content = NULL;
	bool overwrite = false;
	unsigned char *data = NULL;
	size_t n = 0;
	cJSON *o;
	const char *type;
	char *path;

	if (ws_path_arg(&path, req, resp) < 0)
		return;
	if (emu_arg_string(&format, req, resp, "format", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(&language, req, resp, "language",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&content, req, resp, "content", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_bool(&overwrite, NULL, req, resp, "overwrite",
			 EMU_ARG_OPTIONAL) < 0)
		goto out;
	if (format == NULL)
		format = "SOURCE";
	if (content != NULL && emu_base64_decode(&data, &n, content, strlen(content)) != 0) {
		emu_error_invalid(resp, "The content is not valid base64.");
		goto out;
	}
	if (n > WS_MAX_IMPORT) {
		emu_error(resp, 400, "MAX_NOTEBOOK_SIZE_EXCEEDED",
			  "File size imported is (%zu bytes), exceeded max "
			  "size (%d bytes)",
			  n, WS_MAX_IMPORT);
		goto out;
	}
	if (language != NULL && strcmp(language, "PYTHON") != 0 &&
	    strcmp(language, "SCALA") != 0 && strcmp(language, "SQL") != 0 &&
	    strcmp(language, "R") != 0) {
		emu_error_invalid(resp, "Invalid language: %s", language);
		goto out;
	}
	if (strcmp(format, "SOURCE") == 0) {
		if (language == NULL) {
			emu_error_invalid(resp, "Language must be specified "
						"for SOURCE format.");
			goto out;
		}
		type = "NOTEBOOK";
	} else if (strcmp(format, "JUPYTER") == 0) {
		type = "NOTEBOOK";
		if (language == NULL)
			language = "PYTHON";
	} else if (strcmp(format, "RAW") == 0) {
		type = "FILE";
	} else if (strcmp(format, "AUTO") == 0) {
		type = ws_has_header(data, n) ? "NOTEBOOK" : "FILE";
		if (strcmp(type, "NOTEBOOK") == 0 && language == NULL)
			language = data[0] == '-'   ? "SQL"
				   : data[0] == '/' ? "SCALA"
						    : "PYTHON";
	} else if (strcmp(format, "DBC") == 0 || strcmp(format, "HTML") == 0) {
		type = strcmp(format, "DBC") == 0 ? "DIRECTORY" : "NOTEBOOK";
		if (language == NULL)
			language = "PYTHON";
	} else {
		emu_error_invalid(resp, "Invalid format: %s", format);
		goto out;
	}
	if (strcmp(type, "FILE") == 0 || strcmp(type, "DIRECTORY") == 0)
		language = NULL;
	if (strcmp(path, "/") == 0) {
		emu_error_invalid(resp, "Cannot import to the root folder.");
		goto out;
	}
	if (ws_need_parent(st, req, resp, path) < 0)
		goto out;
	o = ws_get(st, path);
	if (o != NULL) {
		if (!overwrite || strcmp(ws_type(o), "DIRECTORY") == 0 ||
		    strcmp(ws_type(o), "REPO") == 0) {
			emu_error(resp, 400, "RESOURCE_ALREADY_EXISTS",
				  "%s already exists.", path);
			goto out;
		}
		cJSON_ReplaceItemInObjectCaseSensitive(o, "object_type",
						       cJSON_CreateString(type));
		cJSON_DeleteItemFromObjectCaseSensitive(o, "modified_at");
		emu_json_add_int64(o, "modified_at", emu_now_ms());
	} else {
		o = ws_add(st, path, type);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(o, "language");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "content");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "size");
	if (language != NULL)
		cJSON_AddStringToObject(o, "language", language);
	if (strcmp(type, "DIRECTORY") != 0) {
		char *b64 = emu_base64_encode(data, n);

		cJSON_AddStringToObject(o, "content", b64);
		free(b64);
		emu_json_add_int64(o, "size", (int64_t)n);
	}
out:
	free(data);
	free(path);
}

static void h_export(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	const char *format = NULL, *type, *content, *lang;
	unsigned char *data = NULL;
	size_t n = 0;
	cJSON *body;
	const cJSON *o;
	char *path, *out = NULL, *b64;

	if (ws_path_arg(&path, req, resp) < 0)
		return;
	if (emu_arg_string(&format, req, resp, "format", EMU_ARG_OPTIONAL) < 0)
		goto done;
	o = ws_get(st, path);
	if (o == NULL) {
		emu_error_not_found(resp, "Path (%s) doesn't exist.", path);
		goto done;
	}
	type = ws_type(o);
	if (strcmp(type, "DIRECTORY") == 0 || strcmp(type, "REPO") == 0) {
		if (format == NULL || strcmp(format, "DBC") != 0) {
			emu_error_invalid(resp, "Folders can only be exported "
						"in DBC format.");
			goto done;
		}
		out = emu_printf("DBC archive of %s", path);
	} else {
		content = emu_json_str(o, "content");
		lang = emu_json_str(o, "language");
		if (content != NULL &&
		    emu_base64_decode(&data, &n, content, strlen(content)) != 0)
			n = 0;
		if (strcmp(type, "NOTEBOOK") == 0 &&
		    (format == NULL || strcmp(format, "SOURCE") == 0) &&
		    !ws_has_header(data, n)) {
			/* Cells come back under the notebook header. */
			out = emu_printf("%s\n%.*s", ws_header(lang), (int)n,
					 data ? (const char *)data : "");
			n = strlen(out);
		} else if (strcmp(type, "NOTEBOOK") == 0 && format != NULL &&
			   strcmp(format, "HTML") == 0) {
			out = emu_printf("<html><body><pre>%.*s</pre></body>"
					 "</html>",
					 (int)n, data ? (const char *)data : "");
			n = strlen(out);
		}
	}
	if (out != NULL)
		b64 = emu_base64_encode((const unsigned char *)out, strlen(out));
	else
		b64 = emu_base64_encode(data, n);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "content", b64);
	emu_response_json(resp, 200, body);
	free(b64);
done:
	free(out);
	free(data);
	free(path);
}

/* --- Repos API ------------------------------------------------------------ */

/* A provider from the URL's host, as the official provider infers it. */
static const char *ws_provider_of(const char *url)
{
	static const struct {
		const char *host, *provider;
	} hosts[] = {{"github.com", "gitHub"},
		     {"gitlab.com", "gitLab"},
		     {"dev.azure.com", "azureDevOpsServices"},
		     {"bitbucket.org", "bitbucketCloud"}};
	const char *h = strstr(url, "://");
	size_t i, n;

	if (h == NULL)
		return NULL;
	h += 3;
	n = strcspn(h, ":/?#");
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strlen(hosts[i].host) == n &&
		    strncasecmp(h, hosts[i].host, n) == 0)
			return hosts[i].provider;
	return NULL;
}

static bool ws_known_provider(const char *p)
{
	static const char *const ok[] = {
		"gitHub",	   "bitbucketCloud",	      "gitLab",
		"azureDevOpsServices", "gitHubEnterprise", "bitbucketServer",
		"gitLabEnterpriseEdition", "awsCodeCommit"};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcasecmp(p, ok[i]) == 0)
			return true;
	return false;
}

/* A fake 40-hex commit for url at ref: the emulator has no Git. */
static char *ws_commit(const char *url, const char *ref)
{
	uint64_t h1 = UINT64_C(1469598103934665603), h2 = UINT64_C(7);
	const char *s;
	char out[41];

	for (s = url; *s; s++)
		h1 = (h1 ^ (unsigned char)*s) * UINT64_C(1099511628211);
	for (s = ref; *s; s++)
		h2 = (h2 ^ (unsigned char)*s) * UINT64_C(1099511628211) + h1;
	snprintf(out, sizeof(out), "%016" PRIx64 "%016" PRIx64 "%08" PRIx32,
		 h1 ^ h2, h2, (uint32_t)(h1 >> 7));
	return emu_xstrdup(out);
}

static cJSON *ws_repo_by_id(struct ws_state *st, const char *id_text)
{
	int64_t id, rid;
	cJSON *r;

	if (emu_json_parse_int64_text(&id, id_text) != 0)
		return NULL;
	cJSON_ArrayForEach(r, st->repos)
	{
		if (emu_json_member_int(&rid, r, "id") == 0 && rid == id)
			return r;
	}
	return NULL;
}

static void ws_checkout(cJSON *repo, const char *branch, const char *tag)
{
	const char *url = emu_json_str(repo, "url");
	char *ref = emu_printf("%s%s", tag ? "tag:" : "", tag ? tag : branch);
	char *commit = ws_commit(url ? url : "", ref);

	cJSON_DeleteItemFromObjectCaseSensitive(repo, "branch");
	cJSON_DeleteItemFromObjectCaseSensitive(repo, "head_commit_id");
	if (branch != NULL)
		cJSON_AddStringToObject(repo, "branch", branch);
	cJSON_AddStringToObject(repo, "head_commit_id", commit);
	free(commit);
	free(ref);
}

static void h_repo_create(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	const char *url, *provider = NULL, *given_path = NULL, *name;
	const cJSON *sparse = emu_arg_json(req, "sparse_checkout");
	char *path = NULL, *parent = NULL, *base = NULL;
	const cJSON *p;
	cJSON *repo, *node;

	if (emu_arg_string(&url, req, resp, "url", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&provider, req, resp, "provider",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&given_path, req, resp, "path", EMU_ARG_OPTIONAL) <
		    0)
		return;
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
		emu_error_invalid(resp, "Invalid Git URL: %s", url);
		return;
	}
	if (provider == NULL)
		provider = ws_provider_of(url);
	if (provider == NULL || !ws_known_provider(provider)) {
		emu_error_invalid(resp, "Invalid Git provider: %s",
				  provider ? provider : "(none)");
		return;
	}
	if (given_path != NULL) {
		path = ws_canon(given_path);
		if (path == NULL) {
			emu_error_invalid(resp, "Invalid path: %s", given_path);
			return;
		}
	} else {
		name = strrchr(url, '/');
		base = emu_xstrdup(name && name[1] ? name + 1 : "repo");
		if (strlen(base) > 4 && strcmp(base + strlen(base) - 4, ".git") == 0)
			base[strlen(base) - 4] = '\0';
		path = emu_printf("/Repos/%s/%s", req->principal ? req->principal
								 : "user",
				  base);
		parent = ws_parent(path);
		if (ws_mkdirs(st, req, resp, parent) < 0)
			goto out;
	}
	if (ws_get(st, path) != NULL) {
		emu_error(resp, 400, "RESOURCE_ALREADY_EXISTS",
			  "Path %s already exists.", path);
		goto out;
	}
	free(parent);
	parent = ws_parent(path);
	p = ws_get(st, parent);
	if (p == NULL || strcmp(ws_type(p), "DIRECTORY") != 0) {
		emu_error_not_found(resp, "Parent directory %s does not exist.",
				    parent);
		goto out;
	}
	node = ws_add(st, path, "REPO");
	repo = cJSON_CreateObject();
	cJSON_AddItemToObject(repo, "id",
			      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(
						      node, "object_id"),
					      true));
	cJSON_AddStringToObject(repo, "url", url);
	cJSON_AddStringToObject(repo, "provider", provider);
	cJSON_AddStringToObject(repo, "path", path);
	if (cJSON_IsObject(sparse))
		cJSON_AddItemToObject(repo, "sparse_checkout",
				      cJSON_Duplicate(sparse, true));
	ws_checkout(repo, "main", NULL);
	cJSON_AddItemToArray(st->repos, repo);
	emu_response_json(resp, 200, cJSON_Duplicate(repo, true));
out:
	free(base);
	free(parent);
	free(path);
}

static void h_repo_get(struct emu_request *req, struct emu_response *resp)
{
	const cJSON *r = ws_repo_by_id(req->state, emu_request_param(req, "id"));

	if (r == NULL)
		emu_error_not_found(resp, "Repo could not be found");
	else
		emu_response_json(resp, 200, cJSON_Duplicate(r, true));
}

static void h_repo_update(struct emu_request *req, struct emu_response *resp)
{
	cJSON *r = ws_repo_by_id(req->state, emu_request_param(req, "id"));
	const char *branch = NULL, *tag = NULL;
	const cJSON *sparse = emu_arg_json(req, "sparse_checkout");

	if (r == NULL) {
		emu_error_not_found(resp, "Repo could not be found");
		return;
	}
	if (emu_arg_string(&branch, req, resp, "branch", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(&tag, req, resp, "tag", EMU_ARG_OPTIONAL) < 0)
		return;
	if (branch != NULL && tag != NULL) {
		emu_error_invalid(resp, "Only one of branch and tag may be "
					"given.");
		return;
	}
	if ((branch != NULL && *branch == '\0') || (tag != NULL && *tag == '\0')) {
		emu_error_invalid(resp, "The branch or tag name is empty.");
		return;
	}
	if (branch != NULL || tag != NULL)
		ws_checkout(r, branch, tag);
	if (cJSON_IsObject(sparse)) {
		cJSON_DeleteItemFromObjectCaseSensitive(r, "sparse_checkout");
		cJSON_AddItemToObject(r, "sparse_checkout",
				      cJSON_Duplicate(sparse, true));
	}
}

static void h_repo_delete(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	cJSON *r = ws_repo_by_id(st, emu_request_param(req, "id"));
	const char *path;
	int i;

	if (r == NULL) {
		emu_error_not_found(resp, "Repo could not be found");
		return;
	}
	path = emu_json_str(r, "path");
	if (path != NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(st->objects, path);
	for (i = 0; i < cJSON_GetArraySize(st->repos); i++)
		if (cJSON_GetArrayItem(st->repos, i) == r) {
			cJSON_DeleteItemFromArray(st->repos, i);
			break;
		}
}

static void h_repo_list(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	const char *prefix = emu_request_query(req, "path_prefix");
	const char *token = emu_request_query(req, "next_page_token");
	int64_t start = 0;
	int i, n = 0, total = cJSON_GetArraySize(st->repos);
	cJSON *body = cJSON_CreateObject(), *list;

	if (token != NULL && (emu_json_parse_int64_text(&start, token) != 0 ||
			      start < 0 || start > total)) {
		cJSON_Delete(body);
		emu_error_invalid(resp, "Invalid page token.");
		return;
	}
	list = cJSON_AddArrayToObject(body, "repos");
	for (i = (int)start; i < total; i++) {
		const cJSON *r = cJSON_GetArrayItem(st->repos, i);
		const char *p = emu_json_str(r, "path");

		if (prefix != NULL && (p == NULL || strncmp(p, prefix,
							    strlen(prefix)) != 0))
			continue;
		if (n == REPOS_PAGE) {
			char *next = emu_printf("%d", i);

			cJSON_AddStringToObject(body, "next_page_token", next);
			free(next);
			break;
		}
		cJSON_AddItemToArray(list, cJSON_Duplicate(r, true));
		n++;
	}
	emu_response_json(resp, 200, body);
}

/* --- Git credentials ------------------------------------------------------ */

/* The principal a request acts for: principal_id, or the caller (0). */
static int ws_cred_principal(int64_t *out, struct emu_request *req,
			     struct emu_response *resp)
{
	bool present = false;

	*out = 0;
	return emu_arg_int64(out, &present, req, resp, "principal_id",
			     EMU_ARG_OPTIONAL);
}

static cJSON *ws_cred_by_id(struct ws_state *st, const char *id_text,
			    int64_t principal)
{
	int64_t id, cid, pid;
	cJSON *c;

	if (emu_json_parse_int64_text(&id, id_text) != 0)
		return NULL;
	cJSON_ArrayForEach(c, st->creds)
	{
		pid = 0;
		(void)emu_json_member_int(&pid, c, "principal_id");
		if (emu_json_member_int(&cid, c, "credential_id") == 0 &&
		    cid == id && pid == principal)
			return c;
	}
	return NULL;
}

/* A credential as the API shows it: no token, no principal. */
static cJSON *ws_cred_view(const cJSON *c)
{
	cJSON *v = cJSON_Duplicate(c, true);

	cJSON_DeleteItemFromObjectCaseSensitive(v, "has_token");
	cJSON_DeleteItemFromObjectCaseSensitive(v, "principal_id");
	return v;
}

static int ws_cred_fields(cJSON *c, struct emu_request *req,
			  struct emu_response *resp)
{
	static const char *const strs[] = {"git_username", "git_email", "name"};
	const char *v, *token = NULL;
	bool b = false, present = false;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (emu_arg_string(&v, req, resp, strs[i], EMU_ARG_OPTIONAL) < 0)
			return -1;
		if (v != NULL) {
			cJSON_DeleteItemFromObjectCaseSensitive(c, strs[i]);
			cJSON_AddStringToObject(c, strs[i], v);
		}
	}
	if (emu_arg_bool(&b, &present, req, resp, "is_default_for_provider",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&token, req, resp, "personal_access_token",
			   EMU_ARG_OPTIONAL) < 0)
		return -1;
	if (present) {
		cJSON_DeleteItemFromObjectCaseSensitive(
			c, "is_default_for_provider");
		cJSON_AddBoolToObject(c, "is_default_for_provider", b);
	}
	if (token != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(c, "has_token");
		cJSON_AddBoolToObject(c, "has_token", *token != '\0');
	}
	return 0;
}

static void h_cred_create(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	const char *provider;
	int64_t principal, pid;
	const cJSON *e;
	cJSON *c;

	if (emu_arg_string(&provider, req, resp, "git_provider",
			   EMU_ARG_REQUIRED) < 0 ||
	    ws_cred_principal(&principal, req, resp) < 0)
		return;
	if (!ws_known_provider(provider)) {
		emu_error_invalid(resp, "Invalid Git provider: %s", provider);
		return;
	}
	cJSON_ArrayForEach(e, st->creds)
	{
		pid = 0;
		(void)emu_json_member_int(&pid, e, "principal_id");
		if (pid == principal &&
		    strcasecmp(emu_json_str(e, "git_provider"), provider) == 0) {
			emu_error(resp, 400, "INVALID_STATE",
				  "Only one Git credential is supported at "
				  "this time. If you would like to update "
				  "your credential, please use the PATCH "
				  "endpoint.");
			return;
		}
	}
	if (cJSON_GetArraySize(st->creds) >= WS_MAX_CREDENTIALS) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "The workspace holds %d Git credentials, the "
			  "emulator's limit.",
			  WS_MAX_CREDENTIALS);
		return;
	}
	c = cJSON_CreateObject();
	emu_json_add_int64(c, "credential_id", st->next_id++);
	cJSON_AddStringToObject(c, "git_provider", provider);
	if (principal != 0)
		emu_json_add_int64(c, "principal_id", principal);
	if (ws_cred_fields(c, req, resp) < 0) {
		cJSON_Delete(c);
		return;
	}
	cJSON_AddItemToArray(st->creds, c);
	emu_response_json(resp, 200, ws_cred_view(c));
}

static void h_cred_list(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	cJSON *body = cJSON_CreateObject(), *list;
	int64_t principal, pid;
	const cJSON *c;

	if (ws_cred_principal(&principal, req, resp) < 0) {
		cJSON_Delete(body);
		return;
	}
	list = cJSON_AddArrayToObject(body, "credentials");
	cJSON_ArrayForEach(c, st->creds)
	{
		pid = 0;
		(void)emu_json_member_int(&pid, c, "principal_id");
		if (pid == principal)
			cJSON_AddItemToArray(list, ws_cred_view(c));
	}
	emu_response_json(resp, 200, body);
}

static void h_cred_one(struct emu_request *req, struct emu_response *resp)
{
	struct ws_state *st = req->state;
	const char *id = emu_request_param(req, "id");
	int64_t principal;
	cJSON *c;
	int i;

	if (ws_cred_principal(&principal, req, resp) < 0)
		return;
	c = ws_cred_by_id(st, id, principal);
	if (c == NULL) {
		emu_error_not_found(resp, "Credential with ID %s does not "
					  "exist.",
				    id);
		return;
	}
	if (strcmp(req->method, "GET") == 0) {
		emu_response_json(resp, 200, ws_cred_view(c));
	} else if (strcmp(req->method, "DELETE") == 0) {
		for (i = 0; i < cJSON_GetArraySize(st->creds); i++)
			if (cJSON_GetArrayItem(st->creds, i) == c) {
				cJSON_DeleteItemFromArray(st->creds, i);
				break;
			}
	} else {
		const char *provider;

		if (emu_arg_string(&provider, req, resp, "git_provider",
				   EMU_ARG_REQUIRED) < 0)
			return;
		if (!ws_known_provider(provider)) {
			emu_error_invalid(resp, "Invalid Git provider: %s",
					  provider);
			return;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(c, "git_provider");
		cJSON_AddStringToObject(c, "git_provider", provider);
		(void)ws_cred_fields(c, req, resp);
	}
}

/* --- module --------------------------------------------------------------- */

/* clang-format off */
static const struct emu_route ws_routes[] = {
	{ "POST", "/api/2.0/workspace/mkdirs", h_mkdirs, 0 },
	{ "POST", "/api/2.0/workspace/import", h_import, 0 },
	{ "GET", "/api/2.0/workspace/export", h_export, 0 },
	{ "GET", "/api/2.0/workspace/get-status", h_get_status, 0 },
	{ "GET", "/api/2.0/workspace/list", h_list, 0 },
	{ "POST", "/api/2.0/workspace/delete", h_delete, 0 },
	{ "POST", "/api/2.0/repos", h_repo_create, 0 },
	{ "GET", "/api/2.0/repos", h_repo_list, 0 },
	{ "GET", "/api/2.0/repos/{id}", h_repo_get, 0 },
	{ "PATCH", "/api/2.0/repos/{id}", h_repo_update, 0 },
	{ "DELETE", "/api/2.0/repos/{id}", h_repo_delete, 0 },
	{ "POST", "/api/2.0/git-credentials", h_cred_create,
	  EMU_ROUTE_SECRET_ARGS },
	{ "GET", "/api/2.0/git-credentials", h_cred_list, 0 },
	{ "GET", "/api/2.0/git-credentials/{id}", h_cred_one, 0 },
	{ "PATCH", "/api/2.0/git-credentials/{id}", h_cred_one,
	  EMU_ROUTE_SECRET_ARGS },
	{ "DELETE", "/api/2.0/git-credentials/{id}", h_cred_one, 0 },
	EMU_ROUTE_END
};
/* clang-format on */

const struct emu_module emu_module_workspace = {
	.name = "workspace",
	.routes = ws_routes,
	.state_new = ws_state_new,
	.state_free = ws_state_free,
	.state_save = ws_state_save,
	.state_load = ws_state_load,
};
