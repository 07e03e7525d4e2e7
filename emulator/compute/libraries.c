/*
 * Libraries API 2.0 (databricks-rest-api.md §4.4): libraries installed on
 * a cluster, kept in the cluster itself (clusters_internal.h).
 *
 *   POST /api/2.0/libraries/install              {cluster_id, libraries}
 *   POST /api/2.0/libraries/uninstall            {cluster_id, libraries}
 *   GET  /api/2.0/libraries/cluster-status       ?cluster_id= ->
 *        {cluster_id, library_statuses: [{library, status, messages,
 *         is_library_for_all_clusters}]}
 *   GET  /api/2.0/libraries/all-cluster-statuses -> {statuses: [...]}
 *
 * A Library is exactly one of jar, whl, egg, requirements (paths),
 * pypi {package, repo}, maven {coordinates, repo, exclusions} or
 * cran {package, repo}. Two libraries are the same when their normalised
 * JSON is equal, so installing one twice is a no-op.
 *
 * Statuses follow the workspace clock like the cluster states: a library
 * is PENDING while its cluster is not RUNNING or RESIZING; once the driver
 * is up (or the library was added to a running cluster, whichever is
 * later) it is PENDING for the first quarter of library_install_ms,
 * INSTALLING for the rest, then INSTALLED. Every start or restart installs
 * the libraries again. Uninstalling marks a library UNINSTALL_ON_RESTART;
 * it goes at the next start or restart. A library whose path, package or
 * coordinates contain "fail" ends FAILED (a documented test hook), so
 * clients' handling of failed installs can be tested.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "clusters_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "util.h"
#include "workspace.h"

enum lib_status {
	LIB_PENDING,
	LIB_INSTALLING,
	LIB_INSTALLED,
	LIB_FAILED,
	LIB_UNINSTALL_ON_RESTART,
};

static const char *const status_names[] = {
	"PENDING", "INSTALLING", "INSTALLED", "FAILED", "UNINSTALL_ON_RESTART",
};

static const char *const path_kinds[] = {"jar", "whl", "egg", "requirements"};

/* The package kinds: their required member and optional ones. */
struct package_kind {
	const char *kind;
	const char *required;
	const char *repo;
	const char *list; /* optional array of strings, or NULL */
};

static const struct package_kind package_kinds[] = {
	{"pypi", "package", "repo", NULL},
	{"maven", "coordinates", "repo", "exclusions"},
	{"cran", "package", "repo", NULL},
};

#define LIB_KINDS "jar, whl, egg, requirements, pypi, maven or cran"

static int bad_library(struct emu_response *resp, size_t i, const char *why)
{
	return emu_error_invalid(resp, "Invalid library at libraries[%zu]: %s",
				 i, why);
}

/* Copies a pypi/maven/cran object with its known members, in order. */
static int package_normalise(cJSON **out, const struct package_kind *k,
			     const cJSON *obj, size_t i,
			     struct emu_response *resp)
{
	const char *name = emu_json_str(obj, k->required);
	const char *repo = emu_json_str(obj, k->repo);
	const cJSON *list =
		k->list ? cJSON_GetObjectItemCaseSensitive(obj, k->list) : NULL;
	const cJSON *item;
	cJSON *o;

	if (!cJSON_IsObject(obj))
		return bad_library(resp, i, "expected an object.");
	if (!name || !*name) {
		char *why =
			emu_printf("%s.%s is required.", k->kind, k->required);

		bad_library(resp, i, why);
		free(why);
		return -1;
	}
	if (list && !cJSON_IsNull(list) && !cJSON_IsArray(list))
		return bad_library(resp, i, "exclusions must be an array.");
	cJSON_ArrayForEach(item, (cJSON_IsArray(list) ? list : NULL))
	{
		if (!cJSON_IsString(item))
			return bad_library(resp, i,
					   "exclusions must be strings.");
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, k->required, name);
	if (repo && *repo)
		cJSON_AddStringToObject(o, k->repo, repo);
	if (cJSON_GetArraySize(list) > 0)
		cJSON_AddItemToObject(o, k->list, cJSON_Duplicate(list, 1));
	*out = o;
	return 0;
}

/*
 * The normalised copy of Library lib (element i of the request), in *out,
 * with *name_out the path, package or coordinates (borrowed from *out).
 * Returns 0, or -1 after writing a 400 into resp.
 */
static int lib_normalise(cJSON **out, const char **name_out, const cJSON *lib,
			 size_t i, struct emu_response *resp)
{
	const cJSON *found = NULL;
	const char *kind = NULL;
	const struct package_kind *pk = NULL;
	cJSON *value = NULL, *o;
	size_t k, n = 0;

	if (!cJSON_IsObject(lib))
		return bad_library(resp, i, "expected an object.");
	for (k = 0; k < EMU_ARRAY_SIZE(path_kinds); k++) {
		const cJSON *v =
			cJSON_GetObjectItemCaseSensitive(lib, path_kinds[k]);

		if (v && !cJSON_IsNull(v)) {
			n++;
			found = v;
			kind = path_kinds[k];
		}
	}
	for (k = 0; k < EMU_ARRAY_SIZE(package_kinds); k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(
			lib, package_kinds[k].kind);

		if (v && !cJSON_IsNull(v)) {
			n++;
			found = v;
			kind = package_kinds[k].kind;
			pk = &package_kinds[k];
		}
	}
	if (n != 1)
		return bad_library(resp, i,
				   "exactly one of " LIB_KINDS
				   " must be specified.");
	if (pk) {
		if (package_normalise(&value, pk, found, i, resp) < 0)
			return -1;
		*name_out = emu_json_str(value, pk->required);
	} else {
		if (!cJSON_IsString(found) || !*found->valuestring)
			return bad_library(resp, i,
					   "a library path must be a non-empty "
					   "string.");
		value = cJSON_CreateString(found->valuestring);
		*name_out = value->valuestring;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, kind, value);
	*out = o;
	return 0;
}

/* The text that names a library in messages and the "fail" test hook. */
static const char *lib_name(const cJSON *lib)
{
	const cJSON *v = lib ? lib->child : NULL;

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsObject(v) && cJSON_IsString(v->child))
		return v->child->valuestring;
	return "";
}

/*
 * Reads the request's libraries array into normalised copies (*out, an
 * array the caller deletes). Returns 0 or -1 after the error.
 */
static int libs_arg(cJSON **out, struct emu_request *req,
		    struct emu_response *resp)
{
	const cJSON *libs = emu_arg_json(req, "libraries"), *lib;
	cJSON *list;
	size_t i = 0;

	if (!libs)
		return emu_error_missing_field(resp, "libraries");
	if (!cJSON_IsArray(libs))
		return emu_error_field_type(resp, "libraries", "an array",
					    emu_json_type_name(libs));
	if (cJSON_GetArraySize(libs) > CLUSTERS_MAX_LIBRARIES)
		return emu_error_invalid(resp,
					 "At most %d libraries can be given "
					 "at once.",
					 CLUSTERS_MAX_LIBRARIES);
	list = cJSON_CreateArray();
	cJSON_ArrayForEach(lib, libs)
	{
		const char *name;
		cJSON *norm;

		if (lib_normalise(&norm, &name, lib, i++, resp) < 0) {
			cJSON_Delete(list);
			return -1;
		}
		cJSON_AddItemToArray(list, norm);
	}
	*out = list;
	return 0;
}

static struct cl_library *lib_find(struct cl_cluster *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nlibs; i++)
		if (strcmp(c->libs[i].key, key) == 0)
			return &c->libs[i];
	return NULL;
}

static void lib_add(struct cl_cluster *c, cJSON *norm, int64_t added,
		    bool uninstall)
{
	struct cl_library *l;

	c->libs = emu_xrealloc(c->libs, (c->nlibs + 1) * sizeof(*c->libs));
	l = &c->libs[c->nlibs++];
	l->key = cJSON_PrintUnformatted(norm);
	l->library = norm;
	l->added = added;
	l->uninstall = uninstall;
}

static void lib_remove(struct cl_cluster *c, size_t i)
{
	free(c->libs[i].key);
	cJSON_Delete(c->libs[i].library);
	memmove(&c->libs[i], &c->libs[i + 1],
		(c->nlibs - i - 1) * sizeof(*c->libs));
	c->nlibs--;
}

void clusters_libs_free(struct cl_cluster *c)
{
	while (c->nlibs > 0)
		lib_remove(c, c->nlibs - 1);
	free(c->libs);
	c->libs = NULL;
}

void clusters_libs_restart(struct cl_cluster *c)
{
	size_t i = 0;

	while (i < c->nlibs) {
		if (c->libs[i].uninstall)
			lib_remove(c, i);
		else
			i++;
	}
}

/* --- handlers ------------------------------------------------------------- */

/*
 * How many libraries of list (normalised) installing them would add to c:
 * those not on c already, each counted once.
 */
static size_t libs_new_count(struct cl_cluster *c, const cJSON *list)
{
	const cJSON *norm, *before;
	size_t n = 0;

	cJSON_ArrayForEach(norm, list)
	{
		char *key = cJSON_PrintUnformatted(norm);
		bool seen = lib_find(c, key) != NULL;

		for (before = list->child; !seen && before != norm;
		     before = before->next)
			seen = cJSON_Compare(before, norm, true);
		free(key);
		if (!seen)
			n++;
	}
	return n;
}

void libraries_install(struct emu_request *req, struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);
	int64_t now = emu_workspace_now_ms(req->ws);
	cJSON *list = NULL, *norm;

	if (!c || libs_arg(&list, req, resp) < 0)
		return;
	/* All or nothing: a request that would pass the limit changes
	 * nothing, so a client can retry it (libs_arg checked the rest). */
	if (c->nlibs + libs_new_count(c, list) > CLUSTERS_MAX_LIBRARIES) {
		emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			  "Cluster %s would have more than the maximum of %d "
			  "libraries.",
			  c->id, CLUSTERS_MAX_LIBRARIES);
		cJSON_Delete(list);
		return;
	}
	while ((norm = cJSON_DetachItemFromArray(list, 0)) != NULL) {
		char *key = cJSON_PrintUnformatted(norm);
		struct cl_library *l = lib_find(c, key);

		free(key);
		if (l) {
			/* Installing a library marked for removal keeps it;
			 * installing it again is a no-op. */
			l->uninstall = false;
			cJSON_Delete(norm);
			continue;
		}
		lib_add(c, norm, now, false);
	}
	cJSON_Delete(list);
}

void libraries_uninstall(struct emu_request *req, struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);
	cJSON *list = NULL, *norm;

	if (!c || libs_arg(&list, req, resp) < 0)
		return;
	cJSON_ArrayForEach(norm, list)
	{
		char *key = cJSON_PrintUnformatted(norm);
		struct cl_library *l = lib_find(c, key);

		/* Unknown libraries are ignored, as on the real service. */
		if (l)
			l->uninstall = true;
		free(key);
	}
	cJSON_Delete(list);
}

static int lib_status(const struct clusters_state *st,
		      const struct cl_cluster *c, const struct cl_library *l,
		      int64_t now)
{
	int64_t d = st->delays.library_install_ms, begin;

	if (l->uninstall)
		return LIB_UNINSTALL_ON_RESTART;
	if ((c->state != CL_RUNNING && c->state != CL_RESIZING) ||
	    c->running_since < 0)
		return LIB_PENDING;
	begin = l->added > c->running_since ? l->added : c->running_since;
	if (now >= begin + d)
		return strstr(lib_name(l->library), "fail") ? LIB_FAILED
							    : LIB_INSTALLED;
	return now - begin >= d / 4 ? LIB_INSTALLING : LIB_PENDING;
}

static cJSON *status_json(const struct clusters_state *st,
			  const struct cl_cluster *c,
			  const struct cl_library *l, int64_t now)
{
	int s = lib_status(st, c, l, now);
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "library", cJSON_Duplicate(l->library, 1));
	cJSON_AddStringToObject(o, "status", status_names[s]);
	cJSON_AddBoolToObject(o, "is_library_for_all_clusters", false);
	if (s == LIB_FAILED) {
		char *msg = emu_printf(
			"Library installation failed for library due to user "
			"error. Error messages:\nLibrary installation "
			"attempted on the driver node of cluster %s and "
			"failed. Please refer to the driver logs for "
			"details. Could not install '%s': no matching "
			"distribution found.",
			c->id, lib_name(l->library));
		cJSON *messages = cJSON_AddArrayToObject(o, "messages");

		cJSON_AddItemToArray(messages, cJSON_CreateString(msg));
		free(msg);
	}
	return o;
}

/* {cluster_id, library_statuses}: installs first, then removals. */
static cJSON *cluster_statuses(const struct clusters_state *st,
			       const struct cl_cluster *c, int64_t now)
{
	cJSON *o = cJSON_CreateObject(), *list;
	size_t i;
	int pass;

	cJSON_AddStringToObject(o, "cluster_id", c->id);
	if (c->nlibs == 0)
		return o;
	list = cJSON_AddArrayToObject(o, "library_statuses");
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < c->nlibs; i++)
			if (c->libs[i].uninstall == (pass == 1))
				cJSON_AddItemToArray(
					list,
					status_json(st, c, &c->libs[i], now));
	return o;
}

void libraries_cluster_status(struct emu_request *req,
			      struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);

	if (c)
		emu_response_json(
			resp, 200,
			cluster_statuses(req->state, c,
					 emu_workspace_now_ms(req->ws)));
}

void libraries_all_statuses(struct emu_request *req, struct emu_response *resp)
{
	struct clusters_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	cJSON *body = cJSON_CreateObject(), *list = NULL;
	size_t i;

	for (i = 0; i < st->nclusters; i++) {
		struct cl_cluster *c = st->clusters[i];

		if (c->nlibs == 0)
			continue;
		clusters_advance(st, c, now);
		if (!list)
			list = cJSON_AddArrayToObject(body, "statuses");
		cJSON_AddItemToArray(list, cluster_statuses(st, c, now));
	}
	emu_response_json(resp, 200, body);
}

/* --- persistence ---------------------------------------------------------- */

cJSON *clusters_libs_save(const struct cl_cluster *c)
{
	cJSON *list;
	size_t i;

	if (c->nlibs == 0)
		return NULL;
	list = cJSON_CreateArray();
	for (i = 0; i < c->nlibs; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "library",
				      cJSON_Duplicate(c->libs[i].library, 1));
		emu_json_add_int64(o, "added", c->libs[i].added);
		cJSON_AddBoolToObject(o, "uninstall", c->libs[i].uninstall);
		cJSON_AddItemToArray(list, o);
	}
	return list;
}

int clusters_libs_load(struct cl_cluster *c, const cJSON *json, char *err,
		       size_t errlen)
{
	const cJSON *item;
	size_t i = 0;

	if (!json)
		return 0;
	if (!cJSON_IsArray(json) ||
	    cJSON_GetArraySize(json) > CLUSTERS_MAX_LIBRARIES) {
		snprintf(err, errlen, "cluster %s: bad libraries", c->id);
		return -1;
	}
	cJSON_ArrayForEach(item, json)
	{
		struct emu_response scratch;
		const char *name;
		cJSON *norm = NULL;
		int64_t added;
		char *key;
		int error;

		emu_response_init(&scratch);
		error = lib_normalise(
			&norm, &name,
			cJSON_GetObjectItemCaseSensitive(item, "library"), i++,
			&scratch);
		emu_response_dispose(&scratch);
		if (error < 0 ||
		    emu_json_member_int(&added, item, "added") < 0) {
			cJSON_Delete(norm);
			snprintf(err, errlen, "cluster %s: bad library", c->id);
			return -1;
		}
		key = cJSON_PrintUnformatted(norm);
		if (lib_find(c, key)) {
			free(key);
			cJSON_Delete(norm);
			snprintf(err, errlen, "cluster %s: duplicate library",
				 c->id);
			return -1;
		}
		free(key);
		lib_add(c, norm, added,
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				item, "uninstall")));
	}
	return 0;
}
