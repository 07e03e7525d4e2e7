/*
 * Lakeflow Declarative Pipelines (DLT) API 2.0:
 *
 *   POST   /api/2.0/pipelines                  PipelineSpec (+ dry_run,
 *                                              allow_duplicate_names)
 *                                              -> {pipeline_id,
 *                                                  effective_settings}
 *   GET    /api/2.0/pipelines                  ?filter=&max_results=
 *                                              &page_token= -> {statuses,
 *                                                  next_page_token}
 *   GET    /api/2.0/pipelines/{pipeline_id}    -> {pipeline_id, spec, state,
 *                                                  name, creator_user_name,
 *                                                  run_as_user_name, health,
 *                                                  last_modified,
 *                                                  latest_updates, ...}
 *   PUT    /api/2.0/pipelines/{pipeline_id}    the full spec (+
 *                                              expected_last_modified)
 *   DELETE /api/2.0/pipelines/{pipeline_id}
 *   POST   /api/2.0/pipelines/{pipeline_id}/updates {full_refresh, ...}
 *                                              -> {update_id}
 *   POST   /api/2.0/pipelines/{pipeline_id}/stop
 *   GET    /api/2.0/pipelines/{pipeline_id}/updates -> {updates}
 *   GET    /api/2.0/pipelines/{pipeline_id}/updates/{update_id}
 *                                              -> {update}
 *
 * The spec is kept as the client sent it (unknown keys included, as the
 * service keeps settings it does not interpret), with what the service
 * fills: the id, and for a pipeline without catalog and storage (Hive
 * metastore) the storage "dbfs:/pipelines/<id>". edition and channel are
 * not filled: the official provider defaults them itself (ADVANCED,
 * CURRENT), and the CLI's fake of the service leaves them out. run_as is
 * echoed at the top of GET too. Create and edit check what the service
 * checks: a target may not be "catalog.schema"; storage
 * and catalog are exclusive (a Unity Catalog pipeline has managed
 * storage), target and schema are exclusive, a serverless pipeline takes
 * no cluster sizes, and names are unique unless allow_duplicate_names.
 * dry_run validates and answers the effective settings without creating.
 *
 * An update runs on the workspace clock (as cluster states do): QUEUED,
 * CREATED, WAITING_FOR_RESOURCES, INITIALIZING, SETTING_UP_TABLES,
 * RUNNING, one PIPE_STEP_MS each, then COMPLETED, except that a
 * continuous pipeline's update stays RUNNING. stop cancels the active
 * update (CANCELED). The pipeline is RUNNING while an update is active,
 * else IDLE. An edit of a triggered pipeline never starts an update; a
 * continuous pipeline gets one on create and on edit when none is active
 * (the official provider waits for it to be RUNNING after both). The
 * catalog name is folded to lower case on create only, as the provider's
 * case-insensitive comparison of catalog records.
 *
 * Errors: an unknown pipeline is 404 RESOURCE_DOES_NOT_EXIST "The
 * specified pipeline <id> was not found." (update: "The specified update
 * <id> was not found."), as the CLI's fake of the service words it; a stale
 * expected_last_modified is 409 ABORTED; starting an update while one is
 * active is 409 RESOURCE_CONFLICT.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "pipelines.h"
#include "util.h"
#include "workspace.h"

#define PIPE_MAX_COUNT 1000
#define PIPE_MAX_UPDATES 25 /* kept per pipeline; older ones are dropped */
#define PIPE_MAX_SPEC_BYTES (256 * 1024)
#define PIPE_STEP_MS 1000
#define PIPE_PAGE_DEFAULT 25
#define PIPE_PAGE_MAX 100

struct pipe_state {
	/* Records {pipeline_id, spec, creator_user_name, last_modified,
	 * updates: [{update_id, creation_time, full_refresh, continuous,
	 * canceled}]} in creation order; states are derived from the clock. */
	cJSON *pipelines;
	uint64_t next; /* for ids */
};

extern const struct emu_module emu_module_pipelines;

static struct pipe_state *pipe_of(struct emu_workspace *ws)
{
	return emu_workspace_state(ws, &emu_module_pipelines);
}

/* A version 4 layout UUID from the sequence, as pipeline and update ids
 * look on the service. */
static char *pipe_make_id(struct pipe_state *st)
{
	uint64_t n = ++st->next;
	uint64_t hi = (n * 0x9E3779B97F4A7C15ULL) ^ 0xD1B54A32D192ED03ULL;
	uint64_t lo = (n * 0xBF58476D1CE4E5B9ULL) ^ 0x94D049BB133111EBULL;

	hi = (hi & ~0xF000ULL) | 0x4000ULL;
	lo = (lo & ~(3ULL << 62)) | (2ULL << 62);
	return emu_printf("%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64
			  "-%04" PRIx64 "-%012" PRIx64,
			  hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF, lo >> 48,
			  lo & (uint64_t)0xFFFFFFFFFFFF);
}

static cJSON *pipe_find(struct pipe_state *st, const char *id)
{
	cJSON *p;

	cJSON_ArrayForEach(p, st->pipelines)
	{
		const char *pid = emu_json_str(p, "pipeline_id");

		if (pid && strcmp(pid, id) == 0)
			return p;
	}
	return NULL;
}

static int pipe_missing(struct emu_response *resp, const char *id)
{
	return emu_error_not_found(resp, "The specified pipeline %s was not "
					 "found.",
				   id);
}

/* --- updates on the clock ------------------------------------------------ */

static const char *const update_phases[] = {
	"QUEUED",	    "CREATED",		 "WAITING_FOR_RESOURCES",
	"INITIALIZING",	    "SETTING_UP_TABLES", "RUNNING",
};

static bool update_terminal(const char *state)
{
	return strcmp(state, "COMPLETED") == 0 ||
	       strcmp(state, "CANCELED") == 0 || strcmp(state, "FAILED") == 0;
}

static const char *update_state(struct emu_workspace *ws, const cJSON *u)
{
	int64_t created = 0, elapsed, step;
	size_t n = EMU_ARRAY_SIZE(update_phases);

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(u, "canceled")))
		return "CANCELED";
	(void)emu_json_member_int(&created, u, "creation_time");
	elapsed = emu_workspace_now_ms(ws) - created;
	step = elapsed < 0 ? 0 : elapsed / PIPE_STEP_MS;
	if ((uint64_t)step < n)
		return update_phases[step];
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(u, "continuous")))
		return "RUNNING";
	return "COMPLETED";
}

/* The newest update (last), or NULL. */
static const cJSON *pipe_latest(const cJSON *p)
{
	const cJSON *ups = cJSON_GetObjectItemCaseSensitive(p, "updates");
	int n = cJSON_GetArraySize(ups);

	return n > 0 ? cJSON_GetArrayItem(ups, n - 1) : NULL;
}

static const char *pipe_state_word(struct emu_workspace *ws, const cJSON *p)
{
	const cJSON *u = pipe_latest(p);

	return u && !update_terminal(update_state(ws, u)) ? "RUNNING" : "IDLE";
}

static cJSON *update_view(struct emu_workspace *ws, const cJSON *p,
			  const cJSON *u, bool full)
{
	cJSON *o = cJSON_CreateObject();
	int64_t t = 0;

	if (full)
		cJSON_AddStringToObject(o, "pipeline_id",
					emu_json_str(p, "pipeline_id"));
	cJSON_AddStringToObject(o, "update_id", emu_json_str(u, "update_id"));
	cJSON_AddStringToObject(o, "state", update_state(ws, u));
	(void)emu_json_member_int(&t, u, "creation_time");
	if (full) {
		emu_json_add_int64(o, "creation_time", t);
		cJSON_AddBoolToObject(
			o, "full_refresh",
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				u, "full_refresh")));
		cJSON_AddStringToObject(o, "cause", "API_CALL");
	} else {
		/* latest_updates carries the time as an ISO-like string on
		 * the service; the epoch milliseconds as text keep it
		 * simple and exact. */
		char *s = emu_printf("%" PRId64, t);

		cJSON_AddStringToObject(o, "creation_time", s);
		free(s);
	}
	return o;
}

static cJSON *latest_updates(struct emu_workspace *ws, const cJSON *p)
{
	const cJSON *ups = cJSON_GetObjectItemCaseSensitive(p, "updates");
	cJSON *arr = cJSON_CreateArray();
	int i, n = cJSON_GetArraySize(ups);

	/* Newest first, at most 5, as the service lists them. */
	for (i = n - 1; i >= 0 && n - i <= 5; i--)
		cJSON_AddItemToArray(arr, update_view(ws, p,
						      cJSON_GetArrayItem(ups, i),
						      false));
	return arr;
}

/* The pipeline as GET (full) or list (statuses) shows it. */
static cJSON *pipe_view(struct emu_workspace *ws, const cJSON *p, bool full)
{
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(p, "spec");
	const char *name = emu_json_str(spec, "name");
	const char *creator = emu_json_str(p, "creator_user_name");
	const cJSON *run_as = emu_json_member(spec, "run_as");
	const char *run_as_user = emu_json_str(run_as, "user_name");
	const char *run_as_sp =
		emu_json_str(run_as, "service_principal_name");
	int64_t t = 0;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "pipeline_id",
				emu_json_str(p, "pipeline_id"));
	if (full)
		cJSON_AddItemToObject(o, "spec", cJSON_Duplicate(spec, true));
	cJSON_AddStringToObject(o, "state", pipe_state_word(ws, p));
	if (name)
		cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "creator_user_name", creator);
	cJSON_AddStringToObject(o, "run_as_user_name",
				run_as_sp ? run_as_sp
					  : (run_as_user ? run_as_user
							 : creator));
	if (full && run_as)
		cJSON_AddItemToObject(o, "run_as",
				      cJSON_Duplicate(run_as, true));
	cJSON_AddStringToObject(o, "health", "HEALTHY");
	if (full) {
		(void)emu_json_member_int(&t, p, "last_modified");
		emu_json_add_int64(o, "last_modified", t);
	}
	cJSON_AddItemToObject(o, "latest_updates", latest_updates(ws, p));
	return o;
}

/* --- the spec ------------------------------------------------------------ */

/* Typed members of PipelineSpec that are checked when present. */
static const struct emu_json_field spec_fields[] = {
	{"name", EMU_JSON_STRING},	   {"storage", EMU_JSON_STRING},
	{"catalog", EMU_JSON_STRING},	   {"target", EMU_JSON_STRING},
	{"schema", EMU_JSON_STRING},	   {"configuration", EMU_JSON_OBJECT},
	{"libraries", EMU_JSON_ARRAY},	   {"clusters", EMU_JSON_ARRAY},
	{"continuous", EMU_JSON_BOOL},	   {"development", EMU_JSON_BOOL},
	{"photon", EMU_JSON_BOOL},	   {"edition", EMU_JSON_STRING},
	{"channel", EMU_JSON_STRING},	   {"serverless", EMU_JSON_BOOL},
	{"notifications", EMU_JSON_ARRAY}, {"trigger", EMU_JSON_OBJECT},
	{"budget_policy_id", EMU_JSON_STRING},
	{"root_path", EMU_JSON_STRING},	   {"environment", EMU_JSON_OBJECT},
	{"event_log", EMU_JSON_OBJECT},	   {"deployment", EMU_JSON_OBJECT},
	{"filters", EMU_JSON_OBJECT},	   {"run_as", EMU_JSON_OBJECT},
	{"allow_duplicate_names", EMU_JSON_BOOL},
	{"dry_run", EMU_JSON_BOOL},
};

static bool name_taken(struct pipe_state *st, const char *name,
		       const char *self_id)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, st->pipelines)
	{
		const char *n = emu_json_str(
			cJSON_GetObjectItemCaseSensitive(p, "spec"), "name");

		if (n && strcmp(n, name) == 0 &&
		    (!self_id ||
		     strcmp(emu_json_str(p, "pipeline_id"), self_id) != 0))
			return true;
	}
	return false;
}

/*
 * The stored spec made from a request body (create or edit): checked,
 * with the request-only members removed and the defaults filled. NULL
 * after an error in resp.
 */
static cJSON *spec_from_body(struct pipe_state *st, const cJSON *body,
			     const char *self_id, struct emu_response *resp)
{
	const char *name = emu_json_str(body, "name");
	const char *edition = emu_json_str(body, "edition");
	const char *channel = emu_json_str(body, "channel");
	const cJSON *c;
	char *text;
	cJSON *spec;

	if (emu_json_check_fields(body, spec_fields,
				  EMU_ARRAY_SIZE(spec_fields), NULL, resp) < 0)
		return NULL;
	text = cJSON_PrintUnformatted(body);
	if (strlen(text) > PIPE_MAX_SPEC_BYTES) {
		cJSON_free(text);
		emu_error_invalid(resp, "The pipeline settings are longer "
					"than %d bytes.",
				  PIPE_MAX_SPEC_BYTES);
		return NULL;
	}
	cJSON_free(text);
	if (emu_json_member(body, "storage") &&
	    emu_json_member(body, "catalog")) {
		emu_error_invalid(resp, "'storage' cannot be specified for "
					"pipelines that publish to Unity "
					"Catalog ('catalog' is set).");
		return NULL;
	}
	if (emu_json_member(body, "target") && emu_json_member(body, "schema")) {
		emu_error_invalid(resp, "Only one of 'target' and 'schema' "
					"can be specified.");
		return NULL;
	}
	if (emu_json_str(body, "target") &&
	    strchr(emu_json_str(body, "target"), '.')) {
		/* One schema name, not catalog.schema (the catalog has its
		 * own field); the service's wording. */
		emu_error_invalid(resp, "CreatePipeline target_schema_name "
					"\"%.200s\" is not a valid name. Valid "
					"names must contain only "
					"alphanumeric characters and "
					"underscores, and cannot contain "
					"spaces, periods, forward slashes, or "
					"control characters.",
				  emu_json_str(body, "target"));
		return NULL;
	}
	if (edition && !emu_strcaseeq(edition, "CORE") &&
	    !emu_strcaseeq(edition, "PRO") &&
	    !emu_strcaseeq(edition, "ADVANCED")) {
		emu_error_invalid(resp, "Invalid edition '%s': expected CORE, "
					"PRO or ADVANCED.",
				  edition);
		return NULL;
	}
	if (channel && !emu_strcaseeq(channel, "CURRENT") &&
	    !emu_strcaseeq(channel, "PREVIEW")) {
		emu_error_invalid(resp, "Invalid channel '%s': expected "
					"CURRENT or PREVIEW.",
				  channel);
		return NULL;
	}
	cJSON_ArrayForEach(c, emu_json_member(body, "clusters"))
	{
		const char *label = emu_json_str(c, "label");

		if (!cJSON_IsObject(c)) {
			emu_error_field_type(resp, "clusters[]", "an object",
					     emu_json_type_name(c));
			return NULL;
		}
		if (label && strcmp(label, "default") != 0 &&
		    strcmp(label, "maintenance") != 0 &&
		    strcmp(label, "updates") != 0) {
			emu_error_invalid(resp, "Invalid cluster label '%s'.",
					  label);
			return NULL;
		}
		if (cJSON_IsTrue(emu_json_member(body, "serverless")) &&
		    (emu_json_member(c, "num_workers") ||
		     emu_json_member(c, "autoscale") ||
		     emu_json_member(c, "node_type_id"))) {
			emu_error_invalid(resp, "Serverless pipelines cannot "
						"set cluster sizes or node "
						"types.");
			return NULL;
		}
	}
	cJSON_ArrayForEach(c, emu_json_member(body, "libraries"))
	{
		if (!cJSON_IsObject(c)) {
			emu_error_field_type(resp, "libraries[]", "an object",
					     emu_json_type_name(c));
			return NULL;
		}
	}
	if (name && !cJSON_IsTrue(emu_json_member(body,
						  "allow_duplicate_names")) &&
	    name_taken(st, name, self_id)) {
		emu_error(resp, 400, "RESOURCE_CONFLICT",
			  "Pipeline with name '%s' already exists. Use "
			  "allow_duplicate_names to create it anyway.",
			  name);
		return NULL;
	}
	spec = cJSON_Duplicate(body, true);
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "dry_run");
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "allow_duplicate_names");
	cJSON_DeleteItemFromObjectCaseSensitive(spec,
						"expected_last_modified");
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "pipeline_id");
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "id");
	return spec;
}

/* The service folds the catalog name to lower case on create only (the
 * official provider ignores case differences of catalog for that). */
static void catalog_lower(cJSON *spec)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(spec, "catalog");
	char *q;

	if (!cJSON_IsString(c))
		return;
	for (q = c->valuestring; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
}

/* The members the service adds to a stored spec: the id, and for a Hive
 * metastore pipeline (no catalog) without storage a generated location. */
static void spec_fill(cJSON *spec, const char *id)
{
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "id");
	cJSON_AddStringToObject(spec, "id", id);
	if (!emu_json_member(spec, "storage") &&
	    !emu_json_member(spec, "catalog")) {
		char *loc = emu_printf("dbfs:/pipelines/%s", id);

		cJSON_AddStringToObject(spec, "storage", loc);
		free(loc);
	}
}

/* Starts an update of p (the caller checked none is active); returns its
 * id (malloc'd). The oldest updates are forgotten beyond
 * PIPE_MAX_UPDATES. */
static char *update_start(struct pipe_state *st, struct emu_workspace *ws,
			  cJSON *p, bool full_refresh)
{
	cJSON *ups = cJSON_GetObjectItemCaseSensitive(p, "updates");
	cJSON *u = cJSON_CreateObject();
	char *id = pipe_make_id(st);

	while (cJSON_GetArraySize(ups) >= PIPE_MAX_UPDATES)
		cJSON_DeleteItemFromArray(ups, 0);
	cJSON_AddStringToObject(u, "update_id", id);
	emu_json_add_int64(u, "creation_time", emu_workspace_now_ms(ws));
	cJSON_AddBoolToObject(u, "full_refresh", full_refresh);
	cJSON_AddBoolToObject(
		u, "continuous",
		cJSON_IsTrue(emu_json_member(
			cJSON_GetObjectItemCaseSensitive(p, "spec"),
			"continuous")));
	cJSON_AddItemToArray(ups, u);
	return id;
}

/* A continuous pipeline runs whenever it is deployed: create and edit
 * start an update when none is active (the official provider waits for
 * such a pipeline to be RUNNING after both). */
static void continuous_ensure(struct pipe_state *st, struct emu_workspace *ws,
			      cJSON *p)
{
	const cJSON *last = pipe_latest(p);

	if (!cJSON_IsTrue(emu_json_member(
		    cJSON_GetObjectItemCaseSensitive(p, "spec"), "continuous")))
		return;
	if (last && !update_terminal(update_state(ws, last)))
		return;
	free(update_start(st, ws, p, false));
}

/* --- handlers ------------------------------------------------------------ */

static const char *caller(const struct emu_request *req)
{
	return req->principal ? req->principal
			      : emu_workspace_user_name(req->ws);
}

static void pipe_create(struct emu_request *req, struct emu_response *resp)
{
	struct pipe_state *st = req->state;
	cJSON *spec, *rec, *body;
	char *id;

	if (cJSON_GetArraySize(st->pipelines) >= PIPE_MAX_COUNT) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "A workspace has at most %d pipelines.",
			  PIPE_MAX_COUNT);
		return;
	}
	spec = spec_from_body(st, req->json, NULL, resp);
	if (!spec)
		return;
	id = pipe_make_id(st);
	spec_fill(spec, id);
	catalog_lower(spec);
	body = cJSON_CreateObject();
	if (cJSON_IsTrue(emu_json_member(req->json, "dry_run"))) {
		/* Validated only: the effective settings, nothing kept. */
		cJSON_AddItemToObject(body, "effective_settings", spec);
		free(id);
		emu_response_json(resp, 200, body);
		return;
	}
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "pipeline_id", id);
	cJSON_AddItemToObject(rec, "spec", spec);
	cJSON_AddStringToObject(rec, "creator_user_name", caller(req));
	emu_json_add_int64(rec, "last_modified", emu_workspace_now_ms(req->ws));
	cJSON_AddArrayToObject(rec, "updates");
	cJSON_AddItemToArray(st->pipelines, rec);
	continuous_ensure(st, req->ws, rec);
	cJSON_AddStringToObject(body, "pipeline_id", id);
	cJSON_AddItemToObject(body, "effective_settings",
			      cJSON_Duplicate(spec, true));
	free(id);
	emu_response_json(resp, 200, body);
}

static cJSON *pipe_from_path(struct emu_request *req,
			     struct emu_response *resp)
{
	const char *id = emu_request_param(req, "pipeline_id");
	cJSON *p = pipe_find(req->state, id);

	if (!p)
		pipe_missing(resp, id);
	return p;
}

static void pipe_get(struct emu_request *req, struct emu_response *resp)
{
	cJSON *p = pipe_from_path(req, resp);

	if (p)
		emu_response_json(resp, 200, pipe_view(req->ws, p, true));
}

static void pipe_edit(struct emu_request *req, struct emu_response *resp)
{
	cJSON *p = pipe_from_path(req, resp), *spec;
	int64_t expected, last = 0;

	if (!p)
		return;
	if (emu_json_member(req->json, "expected_last_modified")) {
		if (emu_json_member_int(&expected, req->json,
					"expected_last_modified") < 0) {
			emu_error_field_type(resp, "expected_last_modified",
					     "an integer", "another value");
			return;
		}
		(void)emu_json_member_int(&last, p, "last_modified");
		if (expected != last) {
			emu_error(resp, 409, "ABORTED",
				  "The pipeline was modified since "
				  "%" PRId64 ".",
				  expected);
			return;
		}
	}
	spec = spec_from_body(req->state, req->json,
			      emu_json_str(p, "pipeline_id"), resp);
	if (!spec)
		return;
	spec_fill(spec, emu_json_str(p, "pipeline_id"));
	cJSON_ReplaceItemInObjectCaseSensitive(p, "spec", spec);
	cJSON_ReplaceItemInObjectCaseSensitive(
		p, "last_modified",
		emu_json_int64(emu_workspace_now_ms(req->ws)));
	continuous_ensure(req->state, req->ws, p);
}

static void pipe_delete(struct emu_request *req, struct emu_response *resp)
{
	struct pipe_state *st = req->state;
	cJSON *p = pipe_from_path(req, resp);

	if (p)
		cJSON_Delete(cJSON_DetachItemViaPointer(st->pipelines, p));
}

/* "name LIKE '%x%'": SQL LIKE with % and _ over the whole name. The
 * greedy matcher with one backtrack point (the last %) is O(len * plen),
 * so a hostile pattern cannot make it exponential. */
static bool like(const char *s, const char *pat, size_t plen)
{
	size_t p = 0, star = (size_t)-1;
	const char *mark = NULL;

	while (*s) {
		if (p < plen && (pat[p] == '_' || pat[p] == *s)) {
			s++;
			p++;
		} else if (p < plen && pat[p] == '%') {
			star = p++;
			mark = s;
		} else if (star != (size_t)-1) {
			p = star + 1;
			s = ++mark;
		} else {
			return false;
		}
	}
	while (p < plen && pat[p] == '%')
		p++;
	return p == plen;
}

/* Parses filter into the LIKE pattern (start, length); -1 when the filter
 * is not one the emulator understands. */
static int filter_parse(const char *f, const char **pat, size_t *plen)
{
	const char *end;
	static const char prefix[] = "name like '";

	while (*f == ' ')
		f++;
	if (!emu_strcaseprefix(f, prefix))
		return -1;
	f += sizeof(prefix) - 1;
	end = strchr(f, '\'');
	if (!end || end - f > 256)
		return -1;
	for (const char *t = end + 1; *t; t++)
		if (*t != ' ')
			return -1;
	*pat = f;
	*plen = (size_t)(end - f);
	return 0;
}

static void pipe_list(struct emu_request *req, struct emu_response *resp)
{
	struct pipe_state *st = req->state;
	const char *filter = emu_request_query(req, "filter");
	const char *token = emu_request_query(req, "page_token");
	const char *pat = NULL;
	size_t plen = 0, skip = 0, seen = 0, limit = PIPE_PAGE_DEFAULT;
	int64_t v;
	bool present;
	cJSON *body, *arr;
	const cJSON *p;

	if (emu_arg_int64(&v, &present, req, resp, "max_results", 0) < 0)
		return;
	if (present) {
		if (v < 1 || v > PIPE_PAGE_MAX) {
			emu_error_invalid(resp, "max_results must be between "
						"1 and %d.",
					  PIPE_PAGE_MAX);
			return;
		}
		limit = (size_t)v;
	}
	if (filter && filter[0] && filter_parse(filter, &pat, &plen) < 0) {
		emu_error_invalid(resp, "Invalid filter: %.100s", filter);
		return;
	}
	if (token && token[0]) {
		if (emu_json_parse_int64_text(&v, token) < 0 || v < 0) {
			emu_error_invalid(resp, "Invalid page_token.");
			return;
		}
		skip = (size_t)v;
	}
	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, "statuses");
	cJSON_ArrayForEach(p, st->pipelines)
	{
		const char *name = emu_json_str(
			cJSON_GetObjectItemCaseSensitive(p, "spec"), "name");

		if (pat && !like(name ? name : "", pat, plen))
			continue;
		if (seen++ < skip)
			continue;
		if ((size_t)cJSON_GetArraySize(arr) == limit) {
			char *next = emu_printf("%zu", skip + limit);

			cJSON_AddStringToObject(body, "next_page_token", next);
			free(next);
			break;
		}
		cJSON_AddItemToArray(arr, pipe_view(req->ws, p, false));
	}
	emu_response_json(resp, 200, body);
}

static void pipe_start_update(struct emu_request *req,
			      struct emu_response *resp)
{
	struct pipe_state *st = req->state;
	cJSON *p = pipe_from_path(req, resp), *body;
	const cJSON *last;
	char *id;

	if (!p)
		return;
	last = pipe_latest(p);
	if (last && !update_terminal(update_state(req->ws, last))) {
		emu_error(resp, 409, "RESOURCE_CONFLICT",
			  "An active update already exists for pipeline %s.",
			  emu_json_str(p, "pipeline_id"));
		return;
	}
	id = update_start(st, req->ws, p,
			  cJSON_IsTrue(emu_json_member(req->json,
						       "full_refresh")));
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "update_id", id);
	free(id);
	emu_response_json(resp, 200, body);
}

static void pipe_stop(struct emu_request *req, struct emu_response *resp)
{
	cJSON *p = pipe_from_path(req, resp), *u;

	if (!p)
		return;
	u = (cJSON *)pipe_latest(p);
	if (u && !update_terminal(update_state(req->ws, u))) {
		cJSON_DeleteItemFromObjectCaseSensitive(u, "canceled");
		cJSON_AddBoolToObject(u, "canceled", true);
	}
}

static void pipe_list_updates(struct emu_request *req,
			      struct emu_response *resp)
{
	cJSON *p = pipe_from_path(req, resp), *body, *arr;
	const cJSON *ups;
	int i;

	if (!p)
		return;
	ups = cJSON_GetObjectItemCaseSensitive(p, "updates");
	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, "updates");
	for (i = cJSON_GetArraySize(ups) - 1; i >= 0; i--)
		cJSON_AddItemToArray(arr,
				     update_view(req->ws, p,
						 cJSON_GetArrayItem(ups, i),
						 true));
	emu_response_json(resp, 200, body);
}

static void pipe_get_update(struct emu_request *req,
			    struct emu_response *resp)
{
	cJSON *p = pipe_from_path(req, resp), *body;
	const char *uid = emu_request_param(req, "update_id");
	const cJSON *u;

	if (!p)
		return;
	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(p, "updates"))
	{
		if (strcmp(emu_json_str(u, "update_id"), uid) == 0) {
			body = cJSON_CreateObject();
			cJSON_AddItemToObject(body, "update",
					      update_view(req->ws, p, u, true));
			emu_response_json(resp, 200, body);
			return;
		}
	}
	emu_error_not_found(resp, "The specified update %s was not found.",
			    uid);
}

/* --- what other modules use ---------------------------------------------- */

bool emu_pipelines_exists(struct emu_workspace *ws, const char *pipeline_id)
{
	return pipeline_id && pipe_find(pipe_of(ws), pipeline_id) != NULL;
}

const char *emu_pipelines_creator(struct emu_workspace *ws,
				  const char *pipeline_id)
{
	const cJSON *p =
		pipeline_id ? pipe_find(pipe_of(ws), pipeline_id) : NULL;

	return p ? emu_json_str(p, "creator_user_name") : NULL;
}

/* --- state --------------------------------------------------------------- */

static void *pipe_state_new(void)
{
	struct pipe_state *st = emu_xcalloc(1, sizeof(*st));

	st->pipelines = cJSON_CreateArray();
	return st;
}

static void pipe_state_free(void *state)
{
	struct pipe_state *st = state;

	if (!st)
		return;
	cJSON_Delete(st->pipelines);
	free(st);
}

static cJSON *pipe_state_save(const void *state)
{
	const struct pipe_state *st = state;
	cJSON *o = cJSON_CreateObject();

	emu_json_add_int64(o, "next", (int64_t)st->next);
	cJSON_AddItemToObject(o, "pipelines",
			      cJSON_Duplicate(st->pipelines, true));
	return o;
}

static int pipe_state_load(void *state, const cJSON *json, char *err,
			   size_t errlen)
{
	struct pipe_state *st = state;
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(json, "pipelines");
	const cJSON *p, *u;
	int64_t next = 0, t;

	if (emu_json_member_int(&next, json, "next") < 0 || next < 0 ||
	    !cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > PIPE_MAX_COUNT) {
		snprintf(err, errlen,
			 "pipelines: needs next and an array of at most %d "
			 "pipelines",
			 PIPE_MAX_COUNT);
		return -1;
	}
	cJSON_ArrayForEach(p, arr)
	{
		const cJSON *ups = cJSON_GetObjectItemCaseSensitive(p,
								    "updates");

		if (!emu_json_str(p, "pipeline_id") ||
		    !emu_json_str(p, "creator_user_name") ||
		    !cJSON_IsObject(
			    cJSON_GetObjectItemCaseSensitive(p, "spec")) ||
		    emu_json_member_int(&t, p, "last_modified") < 0 ||
		    !cJSON_IsArray(ups) ||
		    cJSON_GetArraySize(ups) > PIPE_MAX_UPDATES) {
			snprintf(err, errlen,
				 "pipelines: a pipeline needs pipeline_id, "
				 "spec, creator_user_name, last_modified and "
				 "updates");
			return -1;
		}
		cJSON_ArrayForEach(u, ups)
		{
			if (!emu_json_str(u, "update_id") ||
			    emu_json_member_int(&t, u, "creation_time") < 0) {
				snprintf(err, errlen,
					 "pipelines: an update needs "
					 "update_id and creation_time");
				return -1;
			}
		}
	}
	cJSON_Delete(st->pipelines);
	st->pipelines = cJSON_Duplicate(arr, true);
	st->next = (uint64_t)next;
	return 0;
}

/* clang-format off */
static const struct emu_route pipe_routes[] = {
	{.method = "POST", .pattern = "/api/2.0/pipelines", .handler = pipe_create},
	{.method = "GET", .pattern = "/api/2.0/pipelines", .handler = pipe_list},
	{.method = "GET", .pattern = "/api/2.0/pipelines/{pipeline_id}", .handler = pipe_get},
	{.method = "PUT", .pattern = "/api/2.0/pipelines/{pipeline_id}", .handler = pipe_edit},
	{.method = "DELETE", .pattern = "/api/2.0/pipelines/{pipeline_id}", .handler = pipe_delete},
	{.method = "POST", .pattern = "/api/2.0/pipelines/{pipeline_id}/updates", .handler = pipe_start_update},
	{.method = "GET", .pattern = "/api/2.0/pipelines/{pipeline_id}/updates", .handler = pipe_list_updates},
	{.method = "GET", .pattern = "/api/2.0/pipelines/{pipeline_id}/updates/{update_id}", .handler = pipe_get_update},
	{.method = "POST", .pattern = "/api/2.0/pipelines/{pipeline_id}/stop", .handler = pipe_stop},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_pipelines = {
	.name = "pipelines",
	.routes = pipe_routes,
	.state_new = pipe_state_new,
	.state_free = pipe_state_free,
	.state_save = pipe_state_save,
	.state_load = pipe_state_load,
};
