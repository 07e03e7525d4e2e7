/*
 * Clusters API (databricks-rest-api.md §4), served under both
 * /api/2.0/clusters/ and /api/2.1/clusters/:
 *
 *   POST create            CreateCluster -> {cluster_id}
 *   GET  get               ?cluster_id= -> ClusterDetails (with spec)
 *   GET  list              2.1: filter_by.*, page_size, page_token,
 *                          sort_by.*; 2.0: everything at once
 *   POST edit | update     full replacement | update_mask + cluster
 *   POST resize            num_workers | autoscale
 *   POST start | restart | delete | permanent-delete | pin | unpin
 *   POST events            paginated, next_page = the next request
 *   GET  spark-versions | list-node-types | list-zones  (clusters_catalog.c)
 *
 * plus the Libraries API (libraries.c) and two test controls:
 *
 *   GET|POST /_emulator/clusters/settings          the delays
 *   POST|DELETE /_emulator/clusters/fail-next-start  a failed launch
 *
 * The state machine (GO compute.State): PENDING -> RUNNING; RUNNING ->
 * RESIZING | RESTARTING -> RUNNING; any active state -> TERMINATING ->
 * TERMINATED; TERMINATED -> PENDING via start. Transitions happen lazily
 * on the workspace clock, after the delays of the workspace's settings
 * (--cluster-start-ms and friends); the cluster objects and the machine
 * itself are in clusters_state.c (clusters_internal.h).
 *
 * Quirks kept on purpose, because clients depend on them:
 * - a missing cluster is 400 INVALID_PARAMETER_VALUE "Cluster <id> does
 *   not exist" on every endpoint, not 404;
 * - start, restart, resize, edit and update in the wrong state are 400
 *   INVALID_STATE "Cluster <id> is in unexpected state Pending." (the
 *   official provider ignores exactly that message after start, and
 *   retries edit on INVALID_STATE);
 * - permanent-delete of a pinned cluster fails with a message containing
 *   "unpin the cluster first" (the provider then unpins and retries);
 * - get fills server defaults the client never sent, notably
 *   aws_attributes {zone_id, availability, first_on_demand,
 *   spot_bid_price_percent}, enable_elastic_disk true, disk_spec {} and
 *   driver_node_type_id = node_type_id; clients must tolerate them;
 * - apply_policy_default_values is accepted but not returned;
 * - instance_pool_id and driver_instance_pool_id must name pools of the
 *   workspace (pools.c; else 400 "Can't find an instance pool with id:
 *   <id>."), and the cluster then shows the pools' node types as its
 *   node_type_id and driver_node_type_id, also in its spec.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "clusters_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "policies.h"
#include "pools.h"
#include "util.h"
#include "workspace.h"

/* --- create, get, list ---------------------------------------------------- */

/* A spec's policy_id must name a policy; 0, or -1 after the error. */
static int clusters_check_policy(struct emu_request *req,
				 struct emu_response *resp, const cJSON *spec)
{
	const char *id = emu_json_str(spec, "policy_id");

	if (id == NULL || emu_policies_exists(req->ws, id))
		return 0;
	return emu_error_invalid(resp,
				 "Can't find a cluster policy with id: %s.",
				 id);
}

/*
 * A spec's instance_pool_id and driver_instance_pool_id must name pools;
 * the cluster then runs on the pools' node types, which get shows as its
 * node_type_id and driver_node_type_id. 0, or -1 after the error.
 */
static int clusters_take_pools(struct emu_request *req,
			       struct emu_response *resp, cJSON *spec)
{
	static const char *const ids[] = {"instance_pool_id",
					  "driver_instance_pool_id"};
	static const char *const nodes[] = {"node_type_id",
					    "driver_node_type_id"};
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *id = emu_json_str(spec, ids[i]);
		const char *node = id ? emu_pools_node_type(req->ws, id) : NULL;

		if (id == NULL)
			continue;
		if (node == NULL)
			return emu_error_invalid(resp,
						 "Can't find an instance pool "
						 "with id: %s.",
						 id);
		cJSON_DeleteItemFromObjectCaseSensitive(spec, nodes[i]);
		cJSON_AddStringToObject(spec, nodes[i], node);
	}
	return 0;
}

/* Records what c's policy fixes, as of this create or edit. */
static void clusters_take_policy(struct emu_request *req,
				 struct cl_cluster *c)
{
	const char *id = emu_json_str(c->spec, "policy_id");

	cJSON_Delete(c->policy_maps);
	c->policy_maps = id ? emu_policies_fixed_maps(req->ws, id) : NULL;
}

static void clusters_create(struct emu_request *req, struct emu_response *resp)
{
	struct clusters_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	struct cl_cluster *c;
	const char *token;
	cJSON *spec, *body;
	size_t i;

	spec = clusters_spec_of(req, req->json, resp);
	if (!spec)
		return;
	if (clusters_check_policy(req, resp, spec) < 0 ||
	    clusters_take_pools(req, resp, spec) < 0) {
		cJSON_Delete(spec);
		return;
	}
	/* A retried create with the same idempotency_token finds the
	 * cluster the first attempt made, unless that one is TERMINATED by
	 * now: then the real service creates a new cluster. */
	token = emu_json_str(spec, "idempotency_token");
	for (i = 0; token && i < st->nclusters; i++) {
		const char *other = emu_json_str(st->clusters[i]->spec,
						 "idempotency_token");

		if (!other || strcmp(other, token) != 0)
			continue;
		clusters_advance(st, st->clusters[i], now);
		if (st->clusters[i]->state != CL_TERMINATED) {
			c = st->clusters[i];
			goto answer;
		}
	}
	c = clusters_insert(st, spec, req->principal, now, resp);
	spec = NULL;
	if (!c)
		return;
	clusters_take_policy(req, c);
	clusters_event_add(c, now, "CREATING",
			   clusters_user_details(c->creator));
	clusters_begin_pending(st, c, now);

answer:
	cJSON_Delete(spec);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "cluster_id", c->id);
	emu_response_json(resp, 200, body);
}

static void clusters_get(struct emu_request *req, struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);

	if (c)
		emu_response_json(
			resp, 200,
			clusters_details_json(c, emu_workspace_cloud(req->ws),
					      true));
}

enum list_sort {
	SORT_DEFAULT = 0,
	SORT_NAME,
};

struct list_item {
	const struct cl_cluster *c;
	int rank; /* active 0, terminating 1, terminated 2 */
	int mode; /* enum list_sort */
	bool desc;
};

static int list_cmp(const void *a, const void *b)
{
	const struct list_item *x = a, *y = b;
	const char *nx = emu_json_str(x->c->spec, "cluster_name");
	const char *ny = emu_json_str(y->c->spec, "cluster_name");
	int r = 0;

	if (x->mode == SORT_DEFAULT) {
		r = x->rank - y->rank;
		if (r == 0)
			r = (int)y->c->pinned - (int)x->c->pinned;
	}
	if (r == 0)
		r = strcmp(nx ? nx : "", ny ? ny : "");
	if (r == 0)
		r = x->c->seq < y->c->seq ? -1 : x->c->seq > y->c->seq;
	return x->desc ? -r : r;
}

static int state_rank(int state)
{
	if (state == CL_TERMINATING)
		return 1;
	if (state == CL_TERMINATED || state == CL_ERROR)
		return 2;
	return 0;
}

/* The repeated query key name: each value must be one of names. */
static int query_set(bool *out, size_t nout, struct emu_request *req,
		     struct emu_response *resp, const char *key,
		     const char *const *names, size_t nnames)
{
	size_t i, k, n = emu_request_query_count(req, key);

	for (i = 0; i < n; i++) {
		const char *v = emu_request_query_nth(req, key, i);

		for (k = 0; k < nnames && k < nout; k++)
			if (strcmp(v, names[k]) == 0)
				break;
		if (k == nnames || k == nout)
			return emu_error_invalid(resp,
						 "Invalid value for field "
						 "'%s': '%s'.",
						 key, v);
		out[k] = true;
	}
	return n > 0 ? 1 : 0;
}

static char *page_token(int64_t offset)
{
	return emu_printf("cl-%" PRId64, offset);
}

static int parse_page_token(int64_t *out, const char *token)
{
	if (strncmp(token, "cl-", 3) != 0 ||
	    emu_json_parse_int64_text(out, token + 3) < 0 || *out < 0)
		return -1;
	return 0;
}

/* GET clusters/list filters (2.1); each returns -1 after the error. */
struct list_filter {
	bool states[CL_NSTATES];
	int by_state;
	bool api_source;
	int by_source;
	bool pinned, by_pinned;
	const char *policy_id;
};

static int list_filter_read(struct list_filter *f, struct emu_request *req,
			    struct emu_response *resp)
{
	static const char *const sources[] = {
		"API",
		"UI",
		"JOB",
		"PIPELINE",
		"SQL",
		"MODELS",
		"PIPELINE_MAINTENANCE",
	};
	bool src[EMU_ARRAY_SIZE(sources)] = {false};

	memset(f, 0, sizeof(*f));
	f->by_state = query_set(f->states, CL_NSTATES, req, resp,
				"filter_by.cluster_states",
				clusters_state_names, CL_NSTATES);
	f->by_source = query_set(src, EMU_ARRAY_SIZE(sources), req, resp,
				 "filter_by.cluster_sources", sources,
				 EMU_ARRAY_SIZE(sources));
	if (f->by_state < 0 || f->by_source < 0)
		return -1;
	f->api_source = src[0];
	if (emu_arg_bool(&f->pinned, &f->by_pinned, req, resp,
			 "filter_by.is_pinned", EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&f->policy_id, req, resp, "filter_by.policy_id",
			   EMU_ARG_OPTIONAL) < 0)
		return -1;
	return 0;
}

static bool list_filter_match(const struct list_filter *f,
			      const struct cl_cluster *c)
{
	const char *policy = emu_json_str(c->spec, "policy_id");

	if (f->by_state && !f->states[c->state])
		return false;
	if (f->by_source && !f->api_source)
		return false;
	if (f->by_pinned && f->pinned != c->pinned)
		return false;
	if (f->policy_id && *f->policy_id &&
	    (!policy || strcmp(policy, f->policy_id) != 0))
		return false;
	return true;
}

#define LIST_MAX_PAGE 100

static void clusters_list(struct emu_request *req, struct emu_response *resp)
{
	struct clusters_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws), size = 0, offset = 0;
	bool v20 = strcmp(emu_request_param(req, "v"), "2.0") == 0, given;
	const char *token = NULL, *field = NULL, *dir = NULL;
	struct list_filter f;
	struct list_item *items;
	size_t i, n = 0;
	cJSON *body, *list;

	memset(&f, 0, sizeof(f));
	if (!v20 && (list_filter_read(&f, req, resp) < 0 ||
		     emu_arg_int64(&size, &given, req, resp, "page_size",
				   EMU_ARG_OPTIONAL) < 0 ||
		     emu_arg_string(&token, req, resp, "page_token",
				    EMU_ARG_OPTIONAL) < 0 ||
		     emu_arg_string(&field, req, resp, "sort_by.field",
				    EMU_ARG_OPTIONAL) < 0 ||
		     emu_arg_string(&dir, req, resp, "sort_by.direction",
				    EMU_ARG_OPTIONAL) < 0))
		return;
	if (size < 0) {
		emu_error_invalid(resp,
				  "Invalid page_size %" PRId64
				  ": it must not be negative.",
				  size);
		return;
	}
	/* The real default and maximum are undocumented: 0 or absent means
	 * the maximum, larger values are capped. */
	if (v20 || size == 0 || size > LIST_MAX_PAGE)
		size = v20 ? INT64_MAX : LIST_MAX_PAGE;
	if (token && *token && parse_page_token(&offset, token) < 0) {
		emu_error_invalid(resp, "Invalid page_token '%s'.", token);
		return;
	}
	if ((field && strcmp(field, "CLUSTER_NAME") != 0 &&
	     strcmp(field, "DEFAULT") != 0) ||
	    (dir && strcmp(dir, "ASC") != 0 && strcmp(dir, "DESC") != 0)) {
		emu_error_invalid(resp, "Invalid sort_by: field must be "
					"CLUSTER_NAME or DEFAULT, direction "
					"ASC or DESC.");
		return;
	}

	items = emu_xcalloc(st->nclusters + 1, sizeof(*items));
	for (i = 0; i < st->nclusters; i++) {
		struct cl_cluster *c = st->clusters[i];

		clusters_advance(st, c, now);
		if (!list_filter_match(&f, c))
			continue;
		items[n].c = c;
		items[n].rank = state_rank(c->state);
		items[n].mode = field && strcmp(field, "CLUSTER_NAME") == 0
					? SORT_NAME
					: SORT_DEFAULT;
		items[n].desc = dir && strcmp(dir, "DESC") == 0;
		n++;
	}
	qsort(items, n, sizeof(*items), list_cmp);

	body = cJSON_CreateObject();
	if ((size_t)offset < n) {
		list = cJSON_AddArrayToObject(body, "clusters");
		for (i = (size_t)offset;
		     i < n && (int64_t)(i - (size_t)offset) < size; i++)
			cJSON_AddItemToArray(
				list,
				clusters_details_json(
					items[i].c,
					emu_workspace_cloud(req->ws), false));
	}
	if (!v20 && (size_t)offset < n &&
	    (uint64_t)(n - (size_t)offset) > (uint64_t)size) {
		char *t = page_token(offset + size);

		cJSON_AddStringToObject(body, "next_page_token", t);
		free(t);
	}
	if (!v20 && offset > 0) {
		char *t = page_token(offset > size ? offset - size : 0);

		cJSON_AddStringToObject(body, "prev_page_token", t);
		free(t);
	}
	free(items);
	emu_response_json(resp, 200, body);
}

/* --- edit, update, resize ------------------------------------------------- */

/* The common end of edit and update: the new spec in RUNNING or
 * TERMINATED; takes spec. */
static void apply_edit(struct emu_request *req, struct emu_response *resp,
		       struct cl_cluster *c, cJSON *spec)
{
	struct clusters_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);

	if (c->state != CL_RUNNING && c->state != CL_TERMINATED) {
		cJSON_Delete(spec);
		clusters_invalid_state(resp, c);
		return;
	}
	if (clusters_check_policy(req, resp, spec) < 0 ||
	    clusters_take_pools(req, resp, spec) < 0) {
		cJSON_Delete(spec);
		return;
	}
	if (clusters_spec_set(st, c, spec, resp) < 0)
		return;
	clusters_take_policy(req, c);
	clusters_event_add(c, now, "EDITED",
			   clusters_user_details(req->principal));
	/* A running cluster restarts to apply the new configuration; a
	 * terminated one keeps it for its next start. */
	if (c->state == CL_RUNNING)
		clusters_begin_restarting(st, c, now, req->principal);
}

static void clusters_edit(struct emu_request *req, struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);
	cJSON *spec;

	if (!c)
		return;
	spec = clusters_spec_of(req, req->json, resp);
	if (spec)
		apply_edit(req, resp, c, spec);
}

static void clusters_update(struct emu_request *req, struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);
	const cJSON *partial;
	const char *mask, *p;
	cJSON *merged = NULL, *spec;

	if (!c || emu_arg_string(&mask, req, resp, "update_mask",
				 EMU_ARG_REQUIRED) < 0)
		return;
	partial = emu_arg_json(req, "cluster");
	if (partial && !cJSON_IsObject(partial)) {
		emu_error_field_type(resp, "cluster", "an object",
				     emu_json_type_name(partial));
		return;
	}
	merged = cJSON_Duplicate(c->spec, 1);
	for (p = mask; *p;) {
		size_t n = strcspn(p, ",");
		char *name = emu_xmemdup0(p, n);
		const cJSON *item;

		p += n + (p[n] == ',');
		if (strcmp(name, "*") == 0) {
			cJSON_Delete(merged);
			merged = partial ? cJSON_Duplicate(partial, 1)
					 : cJSON_CreateObject();
		} else if (n == 0 || strchr(name, '.') || strchr(name, ' ')) {
			emu_error_invalid(resp,
					  "Invalid update_mask '%s': expected "
					  "a comma-separated list of top-level "
					  "field names.",
					  mask);
			free(name);
			cJSON_Delete(merged);
			return;
		} else {
			item = cJSON_GetObjectItemCaseSensitive(partial, name);
			cJSON_DeleteItemFromObjectCaseSensitive(merged, name);
			if (item)
				cJSON_AddItemToObject(merged, name,
						      cJSON_Duplicate(item, 1));
		}
		free(name);
	}
	spec = clusters_spec_of(req, merged, resp);
	cJSON_Delete(merged);
	if (spec)
		apply_edit(req, resp, c, spec);
}

/* c's spec with the size of a resize request, checked; NULL after the
 * error. */
static cJSON *resized_spec(const struct emu_request *req,
			   const struct cl_cluster *c, const cJSON *workers,
			   const cJSON *autoscale, struct emu_response *resp)
{
	cJSON *merged = cJSON_Duplicate(c->spec, 1), *spec;

	cJSON_DeleteItemFromObjectCaseSensitive(merged, "num_workers");
	cJSON_DeleteItemFromObjectCaseSensitive(merged, "autoscale");
	cJSON_AddItemToObject(
		merged, workers ? "num_workers" : "autoscale",
		cJSON_Duplicate(workers ? workers : autoscale, 1));
	spec = clusters_spec_of(req, merged, resp);
	cJSON_Delete(merged);
	return spec;
}

static void clusters_resize(struct emu_request *req, struct emu_response *resp)
{
	struct clusters_state *st = req->state;
	struct cl_cluster *c = clusters_arg(req, resp);
	const cJSON *workers, *autoscale;
	int64_t now = emu_workspace_now_ms(req->ws), from, to;
	cJSON *spec, *details;

	if (!c)
		return;
	workers = emu_arg_json(req, "num_workers");
	autoscale = emu_arg_json(req, "autoscale");
	if (!workers == !autoscale) {
		emu_error_invalid(resp, "Exactly one of num_workers or "
					"autoscale must be specified.");
		return;
	}
	if (c->state != CL_RUNNING) {
		clusters_invalid_state(resp, c);
		return;
	}
	spec = resized_spec(req, c, workers, autoscale, resp);
	if (!spec)
		return;
	from = clusters_target_workers(c->spec);
	to = clusters_target_workers(spec);
	if (clusters_spec_set(st, c, spec, resp) < 0)
		return;
	/* No restart: the Spark context and the libraries stay. */
	c->resize_from = from;
	c->state = CL_RESIZING;
	c->phase_end = now + st->delays.resize_ms;
	details = clusters_workers_details(from, to);
	cJSON_AddStringToObject(details, "user",
				req->principal ? req->principal : "");
	clusters_event_add(c, now, "RESIZING", details);
}

/* --- start, restart, delete, permanent-delete, pin ------------------------ */

static void clusters_start(struct emu_request *req, struct emu_response *resp)
{
	struct clusters_state *st = req->state;
	struct cl_cluster *c = clusters_arg(req, resp);
	int64_t now = emu_workspace_now_ms(req->ws);

	if (!c)
		return;
	if (c->state != CL_TERMINATED) {
		clusters_invalid_state(resp, c);
		return;
	}
	clusters_libs_restart(c);
	clusters_event_add(c, now, "STARTING",
			   clusters_user_details(req->principal));
	clusters_begin_pending(st, c, now);
}

static void clusters_restart(struct emu_request *req, struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);

	if (!c)
		return;
	if (c->state != CL_RUNNING) {
		clusters_invalid_state(resp, c);
		return;
	}
	clusters_begin_restarting(req->state, c, emu_workspace_now_ms(req->ws),
				  req->principal);
}

static void clusters_delete(struct emu_request *req, struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);

	/* Terminating a terminating or terminated cluster is a no-op. */
	if (!c || c->state == CL_TERMINATING || c->state == CL_TERMINATED)
		return;
	clusters_begin_terminating(req->state, c, emu_workspace_now_ms(req->ws),
				   req->principal);
}

static void clusters_permanent_delete(struct emu_request *req,
				      struct emu_response *resp)
{
	struct clusters_state *st = req->state;
	struct cl_cluster *c = clusters_arg(req, resp);

	if (!c)
		return;
	if (c->pinned) {
		emu_error_invalid(resp,
				  "Cluster %s is pinned and cannot be "
				  "permanently deleted: unpin the cluster "
				  "first.",
				  c->id);
		return;
	}
	clusters_remove(st, c);
}

static void pin_set(struct emu_request *req, struct emu_response *resp,
		    bool pinned)
{
	struct cl_cluster *c = clusters_arg(req, resp);

	if (!c || c->pinned == pinned)
		return;
	c->pinned = pinned;
	clusters_event_add(c, emu_workspace_now_ms(req->ws),
			   pinned ? "PINNED" : "UNPINNED",
			   clusters_user_details(req->principal));
}

static void clusters_pin(struct emu_request *req, struct emu_response *resp)
{
	pin_set(req, resp, true);
}

static void clusters_unpin(struct emu_request *req, struct emu_response *resp)
{
	pin_set(req, resp, false);
}

/* --- events --------------------------------------------------------------- */

#define EVENTS_DEFAULT_LIMIT 50
#define EVENTS_MAX_LIMIT     500

struct events_query {
	int64_t start, end, offset, limit;
	bool has_start, has_end, asc;
	const cJSON *types; /* array of strings, or NULL */
};

static bool event_match(const struct events_query *q, const struct cl_event *e)
{
	const cJSON *t;

	if ((q->has_start && e->timestamp < q->start) ||
	    (q->has_end && e->timestamp > q->end))
		return false;
	if (!q->types)
		return true;
	cJSON_ArrayForEach(t, q->types)
	{
		if (strcmp(t->valuestring, e->type) == 0)
			return true;
	}
	return false;
}

static int events_query_read(struct events_query *q, struct emu_request *req,
			     struct emu_response *resp)
{
	const char *order = NULL, *token = NULL;
	int64_t page_size = 0;
	bool has_offset, has_limit, has_size;
	const cJSON *t;

	memset(q, 0, sizeof(*q));
	if (emu_arg_int64(&q->start, &q->has_start, req, resp, "start_time",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_int64(&q->end, &q->has_end, req, resp, "end_time",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_int64(&q->offset, &has_offset, req, resp, "offset",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_int64(&q->limit, &has_limit, req, resp, "limit",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_int64(&page_size, &has_size, req, resp, "page_size",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&order, req, resp, "order", EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&token, req, resp, "page_token", EMU_ARG_OPTIONAL) <
		    0)
		return -1;
	if (order && strcmp(order, "ASC") != 0 && strcmp(order, "DESC") != 0)
		return emu_error_invalid(resp,
					 "Invalid order '%s': expected ASC or "
					 "DESC.",
					 order);
	q->asc = order && strcmp(order, "ASC") == 0;
	if (has_size && page_size > 0)
		q->limit = page_size;
	else if (!has_limit || q->limit == 0)
		q->limit = EVENTS_DEFAULT_LIMIT;
	if (q->limit < 0 || q->limit > EVENTS_MAX_LIMIT || q->offset < 0)
		return emu_error_invalid(resp,
					 "Invalid limit or offset: limit must "
					 "be between 1 and %d and offset not "
					 "negative.",
					 EVENTS_MAX_LIMIT);
	if (token && *token && parse_page_token(&q->offset, token) < 0)
		return emu_error_invalid(resp, "Invalid page_token '%s'.",
					 token);
	/* No cluster keeps more events than this, so a larger offset is a
	 * mistake; the bound also keeps offset + limit far from overflow. */
	if (q->offset > CLUSTERS_MAX_EVENTS)
		return emu_error_invalid(resp,
					 "Invalid offset %" PRId64
					 ": it must not be more than %d.",
					 q->offset, CLUSTERS_MAX_EVENTS);
	q->types = emu_arg_json(req, "event_types");
	if (q->types && !cJSON_IsArray(q->types))
		return emu_error_field_type(resp, "event_types", "an array",
					    emu_json_type_name(q->types));
	cJSON_ArrayForEach(t, q->types)
	{
		if (!cJSON_IsString(t))
			return emu_error_field_type(resp, "event_types[]",
						    "a string",
						    emu_json_type_name(t));
	}
	if (cJSON_GetArraySize(q->types) == 0)
		q->types = NULL;
	return 0;
}

static cJSON *event_json(const struct cl_cluster *c, const struct cl_event *e)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "cluster_id", c->id);
	emu_json_add_int64(o, "timestamp", e->timestamp);
	cJSON_AddStringToObject(o, "type", e->type);
	cJSON_AddItemToObject(o, "details", cJSON_Duplicate(e->details, 1));
	return o;
}

/* The request that fetches the next page (the Go SDK pages on this). */
static cJSON *events_next_page(const struct cl_cluster *c,
			       const struct events_query *q)
{
	cJSON *next = cJSON_CreateObject();

	cJSON_AddStringToObject(next, "cluster_id", c->id);
	if (q->has_start)
		emu_json_add_int64(next, "start_time", q->start);
	if (q->has_end)
		emu_json_add_int64(next, "end_time", q->end);
	cJSON_AddStringToObject(next, "order", q->asc ? "ASC" : "DESC");
	if (q->types)
		cJSON_AddItemToObject(next, "event_types",
				      cJSON_Duplicate(q->types, 1));
	emu_json_add_int64(next, "offset", q->offset + q->limit);
	emu_json_add_int64(next, "limit", q->limit);
	return next;
}

static void clusters_events(struct emu_request *req, struct emu_response *resp)
{
	struct cl_cluster *c = clusters_arg(req, resp);
	struct events_query q;
	int64_t total = 0;
	cJSON *body, *list;
	size_t i;

	if (!c || events_query_read(&q, req, resp) < 0)
		return;
	body = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(body, "events");
	for (i = 0; i < c->nevents; i++) {
		const struct cl_event *e =
			&c->events[q.asc ? i : c->nevents - 1 - i];

		if (!event_match(&q, e))
			continue;
		/* total counts every match, the page takes a window. */
		total++;
		if (total > q.offset && total - q.offset <= q.limit)
			cJSON_AddItemToArray(list, event_json(c, e));
	}
	if (q.offset + q.limit < total) {
		char *t = page_token(q.offset + q.limit);

		cJSON_AddItemToObject(body, "next_page",
				      events_next_page(c, &q));
		cJSON_AddStringToObject(body, "next_page_token", t);
		free(t);
	}
	if (q.offset > 0) {
		char *t =
			page_token(q.offset > q.limit ? q.offset - q.limit : 0);

		cJSON_AddStringToObject(body, "prev_page_token", t);
		free(t);
	}
	emu_json_add_int64(body, "total_count", total);
	emu_response_json(resp, 200, body);
}

/* --- test controls -------------------------------------------------------- */

static cJSON *settings_json(const struct clusters_state *st)
{
	cJSON *o = cJSON_CreateObject();

	emu_json_add_int64(o, "start_ms", st->delays.start_ms);
	emu_json_add_int64(o, "resize_ms", st->delays.resize_ms);
	emu_json_add_int64(o, "terminate_ms", st->delays.terminate_ms);
	emu_json_add_int64(o, "library_install_ms",
			   st->delays.library_install_ms);
	if (st->fail_armed) {
		cJSON *f = cJSON_AddObjectToObject(o, "fail_next_start");

		cJSON_AddStringToObject(f, "state",
					clusters_state_names[st->fail_state]);
		cJSON_AddStringToObject(f, "state_message", st->fail_message);
		if (st->fail_cluster_id)
			cJSON_AddStringToObject(f, "cluster_id",
						st->fail_cluster_id);
	}
	return o;
}

static void control_settings_get(struct emu_request *req,
				 struct emu_response *resp)
{
	emu_response_json(resp, 200, settings_json(req->state));
}

static void control_settings_set(struct emu_request *req,
				 struct emu_response *resp)
{
	static const char *const names[] = {
		"start_ms", "resize_ms", "terminate_ms", "library_install_ms"};
	struct clusters_state *st = req->state;
	struct emu_clusters_delays d = st->delays;
	int64_t *fields[] = {&d.start_ms, &d.resize_ms, &d.terminate_ms,
			     &d.library_install_ms};
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(names); i++) {
		int64_t v;
		bool given;

		if (emu_arg_int64(&v, &given, req, resp, names[i],
				  EMU_ARG_OPTIONAL) < 0)
			return;
		if (!given)
			continue;
		if (v < 0 || v > EMU_CLUSTERS_MAX_DELAY_MS) {
			emu_error_invalid(resp,
					  "Invalid value for field '%s': "
					  "expected 0 to 86400000 "
					  "milliseconds.",
					  names[i]);
			return;
		}
		*fields[i] = v;
	}
	st->delays = d;
	emu_response_json(resp, 200, settings_json(st));
}

static void control_fail_set(struct emu_request *req, struct emu_response *resp)
{
	struct clusters_state *st = req->state;
	const char *state = NULL, *message = NULL, *id = NULL;
	int s = CL_TERMINATED;

	if (emu_arg_string(&state, req, resp, "state", EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&message, req, resp, "state_message",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&id, req, resp, "cluster_id", EMU_ARG_OPTIONAL) < 0)
		return;
	if (state) {
		s = clusters_state_lookup(state);
		if (s != CL_ERROR && s != CL_TERMINATED) {
			emu_error_invalid(resp,
					  "Invalid state '%s': expected ERROR "
					  "or TERMINATED.",
					  state);
			return;
		}
	}
	clusters_fail_disarm(st);
	st->fail_armed = true;
	st->fail_state = s;
	st->fail_message = emu_xstrdup(
		message && *message
			? message
			: "The cluster could not be started: AWS reported "
			  "InsufficientInstanceCapacity: We currently do not "
			  "have sufficient capacity in the Availability Zone "
			  "you requested (us-west-2a).");
	st->fail_cluster_id = id && *id ? emu_xstrdup(id) : NULL;
	emu_response_json(resp, 200, settings_json(st));
}

static void control_fail_clear(struct emu_request *req,
			       struct emu_response *resp)
{
	clusters_fail_disarm(req->state);
	emu_response_json(resp, 200, settings_json(req->state));
}

/* --- descriptor ----------------------------------------------------------- */

#define CL_API	"/api/{v:2.0|2.1}/clusters/"
#define CONTROL (EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG)

/* clang-format off */
static const struct emu_route clusters_routes[] = {
	{.method = "POST", .pattern = CL_API "create", .handler = clusters_create},
	{.method = "GET", .pattern = CL_API "get", .handler = clusters_get},
	{.method = "GET", .pattern = CL_API "list", .handler = clusters_list},
	{.method = "POST", .pattern = CL_API "edit", .handler = clusters_edit},
	{.method = "POST", .pattern = CL_API "update", .handler = clusters_update},
	{.method = "POST", .pattern = CL_API "resize", .handler = clusters_resize},
	{.method = "POST", .pattern = CL_API "start", .handler = clusters_start},
	{.method = "POST", .pattern = CL_API "restart", .handler = clusters_restart},
	{.method = "POST", .pattern = CL_API "delete", .handler = clusters_delete},
	{.method = "POST", .pattern = CL_API "permanent-delete", .handler = clusters_permanent_delete},
	{.method = "POST", .pattern = CL_API "pin", .handler = clusters_pin},
	{.method = "POST", .pattern = CL_API "unpin", .handler = clusters_unpin},
	{.method = "POST", .pattern = CL_API "events", .handler = clusters_events},
	{.method = "GET", .pattern = CL_API "spark-versions", .handler = clusters_spark_versions},
	{.method = "GET", .pattern = CL_API "list-node-types", .handler = clusters_list_node_types},
	{.method = "GET", .pattern = CL_API "list-zones", .handler = clusters_list_zones},
	{.method = "POST", .pattern = "/api/2.0/libraries/install", .handler = libraries_install},
	{.method = "POST", .pattern = "/api/2.0/libraries/uninstall", .handler = libraries_uninstall},
	{.method = "GET", .pattern = "/api/2.0/libraries/cluster-status", .handler = libraries_cluster_status},
	{.method = "GET", .pattern = "/api/2.0/libraries/all-cluster-statuses", .handler = libraries_all_statuses},
	{.method = "GET", .pattern = "/_emulator/clusters/settings", .handler = control_settings_get, .flags = CONTROL},
	{.method = "POST", .pattern = "/_emulator/clusters/settings", .handler = control_settings_set, .flags = CONTROL},
	{.method = "POST", .pattern = "/_emulator/clusters/fail-next-start", .handler = control_fail_set, .flags = CONTROL},
	{.method = "DELETE", .pattern = "/_emulator/clusters/fail-next-start", .handler = control_fail_clear, .flags = CONTROL},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_clusters = {
	.name = "clusters",
	.routes = clusters_routes,
	.state_new = clusters_state_new,
	.state_free = clusters_state_free,
	.state_save = clusters_state_save,
	.state_load = clusters_state_load,
};
