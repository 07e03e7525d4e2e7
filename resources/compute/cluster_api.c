/*
 * databricks_cluster's calls to the Clusters API (2.1) and the Libraries
 * API (2.0), and its waits on the cluster state machine
 * (databricks-rest-api.md §4):
 *
 *   PENDING -> RUNNING -> RESIZING | RESTARTING -> RUNNING
 *   any -> TERMINATING -> TERMINATED -> (start) PENDING
 *
 * Quirks that explain the code:
 *  - edit and resize answer 400 INVALID_STATE while the cluster is in a
 *    transition; the official provider retries edit for 15 minutes. We
 *    wait for the transition to end before each retry instead of retrying
 *    blindly.
 *  - Pin status is not in clusters/get. It comes from the list of pinned
 *    clusters, fetched once through the REST client's cache: refreshing N
 *    clusters costs one list, and a write to /api/2.1/clusters drops it.
 *  - A cluster that fails to start ends TERMINATED (ERROR is obsolete but
 *    still documented); its state_message and termination_reason say why.
 *  - Libraries install in the background. On a terminated cluster they wait
 *    for the next start, so no change here ever starts a cluster.
 *  - A missing cluster is 400 INVALID_PARAMETER_VALUE "Cluster <id> does
 *    not exist" from every Clusters and Libraries call, and INVALID_STATE
 *    from clusters/get once it is purged; tfp_compute_not_found tells the
 *    REST client that these mean TFP_ENOTFOUND.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "compute_internal.h"
#include "cluster_spec.h"
#include "diag.h"
#include "jsonmap.h"
#include "log.h"
#include "rest.h"
#include "schema.h"
#include "value.h"
#include "wait.h"

#define CLUSTERS "/api/2.1/clusters/"
#define LIBRARIES "/api/2.0/libraries/"

static cJSON *api_body(struct tfp_call *call, const char *id)
{
	cJSON *body = cJSON_CreateObject();

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "cluster_id", id);
	return body;
}

static const char *api_path(struct tfp_call *call, const char *base,
			    const char *op)
{
	return tfp_arena_printf(call->arena, "%s%s", base, op);
}

/* Refreshing many clusters: clusters/list, 100 a page, in clusters/get's
 * shape without "spec". */
static const struct tfp_rest_batch_list api_cluster_list = {
	.path = CLUSTERS "list",
	.items = "clusters",
	.id_field = "cluster_id",
	.size_param = "page_size",
	.size_value = "100",
};

int tfp_compute__cluster_refresh(cJSON **out, struct tfp_call *call,
				 const char *id)
{
	/* Without a policy the user's maps are the cluster's own, so the
	 * list's answer lacking "spec" reads the same; with one, the policy's
	 * additions are told apart only by spec. */
	if (tfp_rest_batch_find(out, call, &api_cluster_list, id) == TFP_OK &&
	    cJSON_GetObjectItemCaseSensitive(*out, "policy_id") == NULL)
		return TFP_OK;
	return tfp_compute__cluster_get(out, call, id);
}

int tfp_compute__cluster_get(cJSON **out, struct tfp_call *call, const char *id)
{
	const struct tfp_query q[] = {{"cluster_id", id}, {NULL, NULL}};

	return tfp_rest_get(out, call, CLUSTERS "get", q);
}

int tfp_compute__cluster_post(struct tfp_call *call, const char *op, const char *id)
{
	/* pin, unpin, start and permanent-delete leave the same state when
	 * repeated, so a lost answer may be retried. */
	return tfp_rest_call(NULL, call, "POST", api_path(call, CLUSTERS, op),
			     NULL, api_body(call, id), TFP_REST_IDEMPOTENT);
}

bool tfp_compute__cluster_transitional(const char *state)
{
	static const char *const passing[] = {"PENDING", "RESTARTING",
					      "RESIZING", "TERMINATING"};
	size_t i;

	if (state == NULL)
		return false;
	for (i = 0; i < TFP_ARRAY_SIZE(passing); i++)
		if (strcmp(state, passing[i]) == 0)
			return true;
	return false;
}

/* --- waits ---------------------------------------------------------------- */

struct api_poll {
	const char *id;
	cJSON *last;
	bool want_running; /* else: any settled state */
};

/* Why a cluster stopped, from its state message and termination reason. */
static const char *api_why(struct tfp_call *call, const cJSON *c)
{
	const char *msg = tfp_json_string(c, "state_message");
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(
		c, "termination_reason");
	const char *code = tfp_json_string(reason, "code");

	if (msg == NULL || msg[0] == '\0')
		msg = "(the workspace gave no state message)";
	if (code == NULL)
		return tfp_arena_printf(call->arena, "\"%s\"", msg);
	return tfp_arena_printf(call->arena, "\"%s\" (termination reason %s)",
				msg, code);
}

static int api_poll_state(struct tfp_call *call, void *payload)
{
	struct api_poll *p = payload;
	const char *state;
	int error;

	error = tfp_compute__cluster_get(&p->last, call, p->id);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call,
				     "Cluster %s disappeared while waiting "
				     "for it (%s).",
				     p->id, call->last_error.message);
	if (error < 0)
		return error;
	state = tfp_json_string(p->last, "state");
	if (state == NULL)
		state = "UNKNOWN";
	tfp_log(TFP_LOG_DEBUG, "cluster", "cluster %s is %s", p->id, state);
	if (tfp_compute__cluster_transitional(state))
		return TFP_WAIT_AGAIN;
	if (!p->want_running || strcmp(state, "RUNNING") == 0)
		return TFP_OK;
	return tfp_diag_error(
		call->diags,
		tfp_arena_printf(call->arena, "Cluster %s did not start",
				 p->id),
		"The cluster is %s instead of RUNNING: %s. It is kept in the "
		"Terraform state; fix the cause and apply again, or destroy "
		"it.",
		state, api_why(call, p->last));
}

static int api_wait(cJSON **out, struct tfp_call *call, const char *id,
		    bool want_running, long timeout_ms)
{
	struct api_poll p = {.id = id, .want_running = want_running};
	struct tfp_wait w = {
		.what = tfp_arena_printf(call->arena, "cluster %s to %s", id,
					 want_running ? "be RUNNING"
						      : "finish its transition"),
		.timeout_ms = timeout_ms,
	};
	int error = tfp_wait_for(call, &w, api_poll_state, &p);

	if (out != NULL)
		*out = p.last;
	return error;
}

int tfp_compute__cluster_wait_running(cJSON **out, struct tfp_call *call,
			      const char *id, long timeout_ms)
{
	return api_wait(out, call, id, true, timeout_ms);
}

int tfp_compute__cluster_wait_settled(cJSON **out, struct tfp_call *call,
			      const char *id, long timeout_ms)
{
	return api_wait(out, call, id, false, timeout_ms);
}

/* --- edit and resize ------------------------------------------------------ */

static bool api_invalid_state(const struct tfp_call *call)
{
	return call->last_error.status == 400 &&
	       strcmp(call->last_error.error_code, "INVALID_STATE") == 0;
}

int tfp_compute__cluster_edit(struct tfp_call *call, const char *id, cJSON *spec,
		      long timeout_ms)
{
	long retry_ms = timeout_ms < TFP_CLUSTER_EDIT_RETRY_MS
				? timeout_ms
				: TFP_CLUSTER_EDIT_RETRY_MS;
	int64_t deadline = tfp_wait_now_ms() + retry_ms;
	long pause = 1000;
	int error;

	cJSON_DeleteItemFromObjectCaseSensitive(spec, "cluster_id");
	/* Only clusters/create takes the token. */
	cJSON_DeleteItemFromObjectCaseSensitive(spec, "idempotency_token");
	cJSON_AddStringToObject(spec, "cluster_id", id);
	for (;;) {
		cJSON *details = NULL;
		const char *state;
		int64_t left;
		int waited;

		/* An edit is a full replacement: repeating it is harmless. */
		error = tfp_rest_call(NULL, call, "POST", CLUSTERS "edit", NULL,
				      spec, TFP_REST_IDEMPOTENT);
		left = deadline - tfp_wait_now_ms();
		if (error != TFP_ERROR || !api_invalid_state(call) || left <= 0)
			return error;
		/* Wait for the transition to end. A cluster that settles in
		 * a state edit never takes (ERROR, UNKNOWN) keeps the
		 * workspace's answer as the error. */
		waited = tfp_compute__cluster_wait_settled(&details, call, id,
						   (long)left);
		if (waited < 0)
			return waited;
		state = tfp_json_string(details, "state");
		if (state == NULL || (strcmp(state, "RUNNING") != 0 &&
				      strcmp(state, "TERMINATED") != 0))
			return error;
		tfp_log(TFP_LOG_INFO, "cluster",
			"cluster %s could not be edited (%s); it is %s now, "
			"editing again",
			id, call->last_error.message, state);
		tfp_diags_drop_last(call->diags);
		/* The answer to get may lag the one to edit: space the
		 * retries out rather than alternate the two calls. */
		if (tfp_wait_sleep(call, pause) < 0)
			return tfp_call_fail(call, "%s",
					     "Interrupted before editing the "
					     "cluster again.");
		if (pause < 8000)
			pause *= 2;
	}
}

int tfp_compute__cluster_resize(struct tfp_call *call, const char *id,
			const cJSON *spec)
{
	cJSON *body = api_body(call, id);
	const cJSON *autoscale = cJSON_GetObjectItemCaseSensitive(spec,
								  "autoscale");
	const cJSON *workers = cJSON_GetObjectItemCaseSensitive(spec,
								"num_workers");

	if (autoscale != NULL)
		cJSON_AddItemToObject(body, "autoscale",
				      cJSON_Duplicate(autoscale, true));
	else if (workers != NULL)
		cJSON_AddItemToObject(body, "num_workers",
				      cJSON_Duplicate(workers, true));
	/* Asking for the same size twice gives the same size. */
	return tfp_rest_call(NULL, call, "POST", CLUSTERS "resize", NULL, body,
			     TFP_REST_IDEMPOTENT);
}

/* --- pins ----------------------------------------------------------------- */

struct api_find {
	const char *id;
	bool found;
};

static int api_match_id(struct tfp_call *call, const cJSON *item,
			void *payload)
{
	struct api_find *f = payload;
	const char *id = tfp_json_string(item, "cluster_id");

	(void)call;
	if (id != NULL && strcmp(id, f->id) == 0)
		f->found = true;
	return TFP_OK;
}

int tfp_compute__cluster_is_pinned(bool *out, struct tfp_call *call, const char *id)
{
	const struct tfp_query q[] = {{"filter_by.is_pinned", "true"},
				      {"page_size", "100"},
				      {NULL, NULL}};
	struct api_find f = {.id = id};
	int error;

	error = tfp_rest_list(call, CLUSTERS "list", q, "clusters",
			      TFP_REST_CACHE, api_match_id, &f);
	*out = f.found;
	return error;
}

/* --- libraries ------------------------------------------------------------ */

static bool api_is(const char *s, const char *what)
{
	return s != NULL && strcmp(s, what) == 0;
}

/* Refreshing many clusters: one all-cluster-statuses answers for every
 * cluster with libraries, in cluster-status's shape. */
static const struct tfp_rest_batch_list api_all_statuses = {
	.path = LIBRARIES "all-cluster-statuses",
	.items = "statuses",
	.id_field = "cluster_id",
	.paging = TFP_REST_PAGE_NONE,
};

/* The cluster-status reply, or TFP_ENOTFOUND for a missing cluster. */
static int api_library_status(cJSON **out, struct tfp_call *call,
			      const char *id)
{
	const struct tfp_query q[] = {{"cluster_id", id}, {NULL, NULL}};

	if (tfp_rest_batch_find(out, call, &api_all_statuses, id) == TFP_OK)
		return TFP_OK;
	return tfp_rest_get(out, call, LIBRARIES "cluster-status", q);
}

int tfp_compute__cluster_libraries_read(struct tfp_value **out, struct tfp_call *call,
				const struct tfp_type *set_type,
				const char *id)
{
	const cJSON *statuses, *s;
	cJSON *reply = NULL;
	struct tfp_value **items;
	size_t n = 0, cap;
	int error;

	error = api_library_status(&reply, call, id);
	if (error == TFP_ENOTFOUND) {
		*out = tfp_value_collection(call->arena, set_type, 0);
		return TFP_OK;
	}
	if (error < 0)
		return error;
	statuses = cJSON_GetObjectItemCaseSensitive(reply, "library_statuses");
	cap = (size_t)cJSON_GetArraySize(statuses);
	items = tfp_arena_alloc(call->arena, (cap + 1) * sizeof(*items));
	cJSON_ArrayForEach(s, statuses)
	{
		const char *status = tfp_json_string(s, "status");
		const cJSON *lib = cJSON_GetObjectItemCaseSensitive(s, "library");
		const cJSON *all = cJSON_GetObjectItemCaseSensitive(
			s, "is_library_for_all_clusters");

		if (cJSON_IsTrue(all) || !cJSON_IsObject(lib) ||
		    api_is(status, "UNINSTALL_ON_RESTART") ||
		    api_is(status, "FAILED"))
			continue;
		error = tfp_jsonmap_to_value(&items[n], call->arena,
					     set_type->elem, tfp_compute_library_attrs,
					     tfp_compute_library_blocks, lib, NULL,
					     call->diags);
		if (error < 0)
			return error;
		n++;
	}
	*out = tfp_value_collection(call->arena, set_type, n);
	memcpy((*out)->u.coll.items, items, n * sizeof(*items));
	return TFP_OK;
}

static bool api_set_has(const struct tfp_value *set,
			const struct tfp_value *v)
{
	size_t i;

	if (!tfp_value_is_known(set))
		return false;
	for (i = 0; i < set->u.coll.n; i++)
		if (tfp_value_equal(set->u.coll.items[i], v))
			return true;
	return false;
}

/* The elements of a not in b, as a JSON array of libraries, or NULL. */
static int api_minus(cJSON **out, struct tfp_call *call,
		     const struct tfp_value *a, const struct tfp_value *b)
{
	size_t i;

	*out = NULL;
	if (!tfp_value_is_known(a))
		return TFP_OK;
	for (i = 0; i < a->u.coll.n; i++) {
		cJSON *lib = NULL;
		int error;

		if (api_set_has(b, a->u.coll.items[i]))
			continue;
		error = tfp_jsonmap_from_value(&lib, call->arena,
					       tfp_compute_library_attrs,
					       tfp_compute_library_blocks,
					       a->u.coll.items[i], call->diags);
		if (error < 0)
			return error;
		if (*out == NULL) {
			*out = cJSON_CreateArray();
			tfp_arena_defer_json(call->arena, *out);
		}
		cJSON_AddItemReferenceToArray(*out, lib);
	}
	return TFP_OK;
}

static int api_libraries_post(struct tfp_call *call, const char *op,
			      const char *id, cJSON *libs)
{
	cJSON *body = api_body(call, id);

	cJSON_AddItemReferenceToObject(body, "libraries", libs);
	/* Installing or uninstalling the same libraries twice is a no-op. */
	return tfp_rest_call(NULL, call, "POST",
			     api_path(call, LIBRARIES, op), NULL, body,
			     TFP_REST_IDEMPOTENT);
}

int tfp_compute__cluster_libraries_change(bool *installed, struct tfp_call *call,
				  const char *id, const struct tfp_value *have,
				  const struct tfp_value *want)
{
	cJSON *add = NULL, *drop = NULL;
	int error;

	*installed = false;
	error = api_minus(&add, call, want, have);
	if (error == TFP_OK)
		error = api_minus(&drop, call, have, want);
	if (error < 0)
		return error;
	if (drop != NULL) {
		error = api_libraries_post(call, "uninstall", id, drop);
		if (error < 0)
			return error;
	}
	if (add != NULL) {
		error = api_libraries_post(call, "install", id, add);
		if (error < 0)
			return error;
		*installed = true;
	}
	return TFP_OK;
}

/* A library as the workspace names it: "pypi requests==2.31", "jar s3://x". */
static const char *api_library_name(struct tfp_call *call, const cJSON *lib)
{
	/* A path-like library names itself; a package by its field. */
	static const struct {
		const char *kind, *field;
	} kinds[] = {{"jar", NULL},       {"whl", NULL},
		     {"egg", NULL},       {"requirements", NULL},
		     {"pypi", "package"}, {"maven", "coordinates"},
		     {"cran", "package"}};
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(kinds); i++) {
		const cJSON *item =
			cJSON_GetObjectItemCaseSensitive(lib, kinds[i].kind);
		const char *name =
			kinds[i].field == NULL
				? tfp_json_string(lib, kinds[i].kind)
				: tfp_json_string(item, kinds[i].field);

		if (item != NULL)
			return tfp_arena_printf(call->arena, "%s %s",
						kinds[i].kind,
						name != NULL ? name : "?");
	}
	return "a library";
}

static const char *api_messages(struct tfp_call *call, const cJSON *s)
{
	const cJSON *m;
	const char *all = "";

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(s, "messages"))
	{
		if (!cJSON_IsString(m))
			continue;
		all = tfp_arena_printf(call->arena, "%s%s%s", all,
				       all[0] ? "; " : "", m->valuestring);
	}
	return all[0] ? all : "no message";
}

static int api_poll_libraries(struct tfp_call *call, void *payload)
{
	const char *id = payload;
	const cJSON *s;
	cJSON *reply = NULL;
	int error, failed = 0;

	error = api_library_status(&reply, call, id);
	if (error < 0)
		return error == TFP_ENOTFOUND ? TFP_OK : error;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(
				      reply, "library_statuses"))
	{
		const char *status = tfp_json_string(s, "status");

		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			    s, "is_library_for_all_clusters")))
			continue;
		if (api_is(status, "PENDING") || api_is(status, "RESOLVING") ||
		    api_is(status, "INSTALLING"))
			return TFP_WAIT_AGAIN;
		if (api_is(status, "FAILED")) {
			tfp_diag_error(
				call->diags,
				tfp_arena_printf(call->arena,
						 "A library failed to install "
						 "on cluster %s",
						 id),
				"%s: %s",
				api_library_name(
					call, cJSON_GetObjectItemCaseSensitive(
						      s, "library")),
				api_messages(call, s));
			failed++;
		}
	}
	return failed > 0 ? TFP_ERROR : TFP_OK;
}

int tfp_compute__cluster_libraries_wait(struct tfp_call *call, const char *id,
				long timeout_ms)
{
	struct tfp_wait w = {
		.what = tfp_arena_printf(call->arena,
					 "the libraries of cluster %s to "
					 "install",
					 id),
		.timeout_ms = timeout_ms,
	};

	return tfp_wait_for(call, &w, api_poll_libraries, (void *)id);
}

/* --- pure functions ------------------------------------------------------- */

cJSON *tfp_compute__cluster_state_json(const cJSON *details)
{
	static const char *const user_maps[] = {"custom_tags", "spark_conf",
						"spark_env_vars"};
	cJSON *j = cJSON_Duplicate(details, true);
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(details, "spec");
	size_t i;

	if (j == NULL)
		return NULL;
	if (cJSON_IsObject(spec))
		for (i = 0; i < TFP_ARRAY_SIZE(user_maps); i++) {
			const cJSON *mine = cJSON_GetObjectItemCaseSensitive(
				spec, user_maps[i]);

			cJSON_DeleteItemFromObjectCaseSensitive(j,
								user_maps[i]);
			if (mine != NULL)
				cJSON_AddItemToObject(
					j, user_maps[i],
					cJSON_Duplicate(mine, true));
		}
	if (cJSON_GetObjectItemCaseSensitive(j, "autoscale") != NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "num_workers");
	else if (cJSON_GetObjectItemCaseSensitive(j, "num_workers") == NULL)
		cJSON_AddNumberToObject(j, "num_workers", 0);
	return j;
}

/* Legacy and current names of the same access modes (official issue
 * #4909): the workspace may answer with either. AUTO lets it pick one of
 * the two. */
enum api_mode { MODE_OTHER, MODE_DEDICATED, MODE_STANDARD, MODE_AUTO };

static enum api_mode api_access_mode(const char *m)
{
	if (strcmp(m, "SINGLE_USER") == 0 ||
	    strcmp(m, "DATA_SECURITY_MODE_DEDICATED") == 0)
		return MODE_DEDICATED;
	if (strcmp(m, "USER_ISOLATION") == 0 ||
	    strcmp(m, "DATA_SECURITY_MODE_STANDARD") == 0)
		return MODE_STANDARD;
	if (strcmp(m, "DATA_SECURITY_MODE_AUTO") == 0)
		return MODE_AUTO;
	return MODE_OTHER;
}

bool tfp_compute__cluster_same_access_mode(const char *a, const char *b)
{
	enum api_mode x = api_access_mode(a), y = api_access_mode(b);

	if (strcmp(a, b) == 0)
		return true;
	if (x == MODE_OTHER || y == MODE_OTHER)
		return false;
	return x == y || x == MODE_AUTO || y == MODE_AUTO;
}

/* "Cluster <id> does not exist": one word between, so "Cluster policy 7
 * does not exist" (an edit naming a missing policy) is not a lost cluster. */
static bool api_missing_cluster(const char *msg)
{
	const char *sp;

	if (strncmp(msg, "Cluster ", 8) != 0)
		return false;
	sp = strchr(msg + 8, ' ');
	return sp != NULL && sp > msg + 8 &&
	       strncmp(sp, " does not exist", 15) == 0;
}

/*
 * Every Clusters and Libraries call about a missing cluster answers 400
 * "Cluster <id> does not exist" (databricks-rest-api.md §4); a create
 * naming a missing policy or pool is a plain error. clusters/get also
 * answers a missing ID with other "... does not exist" or "... doesn't
 * exist" texts (the SDK's error overrides), and INVALID_STATE for a
 * cluster purged 30 days after it ended, which the official provider
 * treats as gone.
 */
/* clang-format off */
const struct tfp_rest_not_found tfp_compute_not_found[] = {
	{ .path = "clusters/", .except = "clusters/create", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .match = api_missing_cluster },
	{ .path = "libraries/", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .match = api_missing_cluster },
	{ .path = "clusters/get", .method = "GET",
	  .error_code = "INVALID_STATE" },
	{ .path = "clusters/get", .method = "GET", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .message = "does not exist" },
	{ .path = "clusters/get", .method = "GET", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .message = "doesn't exist" },
	{ .path = NULL }
};
/* clang-format on */
