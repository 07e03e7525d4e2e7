/*
 * Data sources databricks_clusters (the ids of the clusters that match some
 * filters) and databricks_cluster (one cluster's details, by id or name).
 *
 * REST: GET /api/2.1/clusters/list (?filter_by.cluster_states=...&
 * filter_by.cluster_sources=... repeated, filter_by.is_pinned,
 * filter_by.policy_id, page_size, page_token; paginated by
 * next_page_token), GET /api/2.1/clusters/get?cluster_id=.
 *
 * Quirks that explain the code:
 *  - The list has no name filter, so cluster_name_contains is applied
 *    here, without regard to case, as the official provider does; the
 *    other filters go to the server.
 *  - The list is sorted by state, so a cluster that changes state while
 *    the pages are fetched can show up twice: ids are deduplicated.
 *  - clusters/get answers an unknown id with 400 INVALID_PARAMETER_VALUE
 *    "Cluster <id> does not exist"; rest.c maps it to TFP_ENOTFOUND.
 *  - Cluster names are not unique: a lookup by a name that two clusters
 *    share is an error listing their ids, never a guess (as the official
 *    provider does). Names are compared exactly.
 *  - cluster_info is the cluster spec (cluster_spec.h) plus what only a
 *    standing cluster has (state, default_tags, times, ...), all filled
 *    by the read. spark_context_id is left out: real ids exceed 2^53,
 *    which the JSON integer rule (style-guide.md §2.7) refuses.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "cluster_spec.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "validate.h"

#define CLUSTERS_PAGE "100"

/* --- schema: databricks_clusters ------------------------------------------ */

static int clusters_validate_enum(struct tfp_diags *d,
				  const struct tfp_path *path,
				  const struct tfp_value *v,
				  const char *const *allowed, const char *what)
{
	size_t i, j;
	int error = TFP_OK;

	for (i = 0; i < v->u.coll.n; i++) {
		const struct tfp_value *item = v->u.coll.items[i];
		const char *list = "";

		if (!tfp_value_is_known(item))
			continue;
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(item->u.str, allowed[j]) == 0)
				break;
		if (allowed[j] != NULL)
			continue;
		for (j = 0; allowed[j] != NULL; j++)
			list = tfp_arena_printf(d->arena, "%s%s%s", list,
						j ? ", " : "", allowed[j]);
		error = tfp_diag_attr_error(
			d, tfp_path_index(d->arena, path, (int64_t)i),
			"Invalid value",
			"\"%s\" is not a cluster %s; use one "
			"of %s.",
			item->u.str, what, list);
	}
	return error;
}

static int clusters_validate_states(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v)
{
	static const char *const states[] = {
		"PENDING",  "RUNNING",	   "RESTARTING",
		"RESIZING", "TERMINATING", "TERMINATED",
		"ERROR",    "UNKNOWN",	   NULL};

	return clusters_validate_enum(d, path, v, states, "state");
}

static int clusters_validate_sources(struct tfp_diags *d,
				     const struct tfp_path *path,
				     const struct tfp_value *v)
{
	static const char *const sources[] = {
		"API", "UI",	 "JOB", "PIPELINE", "PIPELINE_MAINTENANCE",
		"SQL", "MODELS", NULL};

	return clusters_validate_enum(d, path, v, sources, "source");
}

/* clang-format off */
static const struct tfp_attr clusters_filter_attrs[] = {
	{ .name = "cluster_sources", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL, .validate = clusters_validate_sources,
	  .desc = "Only clusters created this way: API, UI, JOB, PIPELINE, "
		  "PIPELINE_MAINTENANCE, SQL or MODELS." },
	{ .name = "cluster_states", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL, .validate = clusters_validate_states,
	  .desc = "Only clusters in one of these states: PENDING, RUNNING, "
		  "RESTARTING, RESIZING, TERMINATING, TERMINATED, ERROR or "
		  "UNKNOWN." },
	{ .name = "is_pinned", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "true: only pinned clusters (false filters nothing)." },
	{ .name = "policy_id", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Only clusters of this cluster policy." },
	TFP_ATTR_END
};

static const struct tfp_block clusters_blocks[] = {
	{ .name = "filter_by", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = clusters_filter_attrs,
	  .desc = "Filters the workspace applies to the list." },
	TFP_BLOCK_END
};

static const struct tfp_attr clusters_attrs[] = {
	{ .name = "cluster_name_contains", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only clusters whose name contains this text, without "
		  "regard to case." },
	{ .name = "ids", .type = &tfp_type_set_string, .flags = TFP_COMPUTED,
	  .desc = "The ids of the matching clusters." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "Always \"_\"." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- schema: databricks_cluster ------------------------------------------- */

/* clang-format off */
static const struct tfp_attr cluster_reason_attrs[] = {
	{ .name = "code", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "Why the cluster stopped, e.g. USER_REQUEST, INACTIVITY." },
	{ .name = "type", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "SUCCESS, CLIENT_ERROR, SERVICE_FAULT or CLOUD_FAILURE." },
	{ .name = "parameters", .type = &tfp_type_map_string,
	  .flags = TFP_COMPUTED,
	  .desc = "Details, e.g. the inactivity period." },
	TFP_ATTR_END
};

#define INFO_STRING(n, d)                                                      \
	{ .name = n, .type = &tfp_type_string, .flags = TFP_COMPUTED,          \
	  .desc = d }
#define INFO_NUMBER(n, d)                                                      \
	{ .name = n, .type = &tfp_type_number, .flags = TFP_COMPUTED,          \
	  .desc = d }
#define INFO_BOOL(n, d)                                                        \
	{ .name = n, .type = &tfp_type_bool, .flags = TFP_COMPUTED,            \
	  .desc = d }
#define INFO_MAP(n, d)                                                         \
	{ .name = n, .type = &tfp_type_map_string, .flags = TFP_COMPUTED,      \
	  .desc = d }

static const struct tfp_attr cluster_info_attrs[] = {
	/* The spec, as databricks_cluster has it. */
	TFP_CLUSTER_SPEC_ATTRS(TFP_OPTIONAL | TFP_COMPUTED,
			       TFP_OPTIONAL | TFP_COMPUTED, TFP_PLAN_DEFAULT),
	/* What only a standing cluster has. */
	INFO_STRING("cluster_id", "The cluster's id."),
	INFO_NUMBER("autotermination_minutes",
		    "Idle minutes before the cluster stops (0: never)."),
	INFO_STRING("kind", "The kind of compute, e.g. CLASSIC_PREVIEW."),
	INFO_BOOL("is_single_node", "A single-node cluster."),
	INFO_BOOL("use_ml_runtime", "The ML flavour of the runtime."),
	INFO_STRING("idempotency_token",
		    "The token the cluster was created with."),
	INFO_STRING("state", "PENDING, RUNNING, RESTARTING, RESIZING, "
			     "TERMINATING, TERMINATED, ERROR or UNKNOWN."),
	INFO_STRING("state_message", "Why the cluster is in its state."),
	INFO_MAP("default_tags", "The tags Databricks adds (Vendor, "
				 "Creator, ClusterName, ClusterId)."),
	INFO_STRING("creator_user_name", "Who created the cluster."),
	INFO_STRING("cluster_source", "How the cluster was created: API, "
				      "UI, JOB, ..."),
	INFO_NUMBER("start_time", "When the cluster was created (ms since "
				  "the epoch)."),
	INFO_NUMBER("terminated_time", "When it stopped (ms), if it did."),
	INFO_NUMBER("last_restarted_time", "When it last started (ms)."),
	INFO_NUMBER("last_state_loss_time",
		    "When the driver last lost its state (ms)."),
	INFO_NUMBER("cluster_memory_mb", "The memory of all its nodes, MB."),
	INFO_NUMBER("cluster_cores", "The cores of all its nodes."),
	INFO_NUMBER("jdbc_port", "The driver's JDBC port."),
	TFP_ATTR_END
};

#undef INFO_STRING
#undef INFO_NUMBER
#undef INFO_BOOL
#undef INFO_MAP

static const struct tfp_block cluster_info_blocks[] = {
	TFP_CLUSTER_SPEC_BLOCKS,
	{ .name = "termination_reason", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = cluster_reason_attrs,
	  .desc = "Why the cluster stopped, when it did." },
	TFP_BLOCK_END
};

static const struct tfp_block cluster_blocks[] = {
	{ .name = "cluster_info", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = cluster_info_attrs, .blocks = cluster_info_blocks,
	  .desc = "The cluster's details, as clusters/get returns them; "
		  "filled by the data source." },
	TFP_BLOCK_END
};

static const struct tfp_attr cluster_attrs[] = {
	{ .name = "cluster_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The id of the cluster to look up, or the id found." },
	{ .name = "cluster_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The exact name of the cluster to look up (it must be the "
		  "only one of that name), or the name found." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The cluster id." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* What a walk over the list keeps: the matching ids, in the arena. */
struct clusters_acc {
	const char *contains; /* databricks_clusters: the name filter */
	const char *name;     /* databricks_cluster: the exact name */
	size_t n, cap;
	const char **ids;
	const cJSON *found; /* databricks_cluster: the first match */
};

static void clusters_push(struct tfp_arena *a, struct clusters_acc *acc,
			  const char *id)
{
	if (acc->n == acc->cap) {
		size_t cap = acc->cap ? acc->cap * 2 : 16;
		const char **ids = tfp_arena_alloc(a, cap * sizeof(*ids));

		if (acc->n > 0)
			memcpy(ids, acc->ids, acc->n * sizeof(*ids));
		acc->ids = ids;
		acc->cap = cap;
	}
	acc->ids[acc->n++] = id;
}

static bool clusters_seen(const struct clusters_acc *acc, const char *id)
{
	size_t i;

	for (i = 0; i < acc->n; i++)
		if (strcmp(acc->ids[i], id) == 0)
			return true;
	return false;
}

static int clusters_item(struct tfp_call *call, const cJSON *c, void *payload)
{
	struct clusters_acc *acc = payload;
	const char *id = tfp_json_string(c, "cluster_id");
	const char *name = tfp_json_string(c, "cluster_name");

	if (id == NULL)
		return tfp_diag_error(call->diags,
				      "Unexpected reply from the workspace",
				      "A cluster in the list has no "
				      "cluster_id.");
	if (name == NULL)
		name = "";
	if (acc->name != NULL && strcmp(name, acc->name) != 0)
		return TFP_OK;
	if (acc->contains != NULL && !tfp_contains_fold(name, acc->contains))
		return TFP_OK;
	if (clusters_seen(acc, id))
		return TFP_OK;
	if (acc->found == NULL)
		acc->found = c;
	clusters_push(call->arena, acc, id);
	return TFP_OK;
}

/* --- databricks_clusters -------------------------------------------------- */

/* Appends the filter_by block's query pairs to q (room for n more). */
static size_t clusters_filter_query(struct tfp_query *q, size_t n,
				    const struct tfp_value *filter)
{
	static const char *const lists[][2] = {
		{"cluster_sources", "filter_by.cluster_sources"},
		{"cluster_states", "filter_by.cluster_states"},
	};
	size_t used = 0, i, j;

	for (i = 0; i < TFP_ARRAY_SIZE(lists); i++) {
		const struct tfp_value *l = tfp_value_get(filter, lists[i][0]);

		for (j = 0; tfp_value_is_known(l) && j < l->u.coll.n; j++) {
			const struct tfp_value *s = l->u.coll.items[j];

			if (tfp_value_is_known(s) && used < n)
				q[used++] = (struct tfp_query){lists[i][1],
							       s->u.str};
		}
	}
	if (tfp_value_get_bool(filter, "is_pinned", false) && used < n)
		q[used++] = (struct tfp_query){"filter_by.is_pinned", "true"};
	if (tfp_value_get_string(filter, "policy_id") != NULL && used < n)
		q[used++] = (struct tfp_query){
			"filter_by.policy_id",
			tfp_value_get_string(filter, "policy_id")};
	return used;
}

/* How many query pairs the filter_by block can make. */
static size_t clusters_filter_size(const struct tfp_value *filter)
{
	const struct tfp_value *src = tfp_value_get(filter, "cluster_sources");
	const struct tfp_value *st = tfp_value_get(filter, "cluster_states");

	return 2 + (tfp_value_is_known(src) ? src->u.coll.n : 0) +
	       (tfp_value_is_known(st) ? st->u.coll.n : 0);
}

static int clusters_read(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *config)
{
	const struct tfp_value *blocks = tfp_value_get(config, "filter_by");
	const struct tfp_value *filter = NULL;
	struct clusters_acc acc = {0};
	struct tfp_query *q;
	struct tfp_value *v, *ids;
	size_t n = 0, room = 2, i;
	int error;

	if (tfp_value_is_known(blocks) && blocks->u.coll.n > 0)
		filter = blocks->u.coll.items[0];
	if (filter != NULL)
		room += clusters_filter_size(filter);
	q = tfp_arena_alloc(call->arena, room * sizeof(*q));
	q[n++] = (struct tfp_query){"page_size", CLUSTERS_PAGE};
	if (filter != NULL)
		n += clusters_filter_query(q + n, room - n - 1, filter);
	q[n] = (struct tfp_query){NULL, NULL};
	acc.contains = tfp_value_get_string(config, "cluster_name_contains");
	/* Cached: several data sources with the same filters share a list,
	 * and a write to /api/2.1/clusters drops it. */
	error = tfp_rest_list(call, "/api/2.1/clusters/list", q, "clusters",
			      TFP_REST_CACHE, clusters_item, &acc);
	if (error < 0)
		return error;
	v = tfp_value_copy(call->arena, config);
	ids = tfp_value_collection(call->arena, &tfp_type_set_string, acc.n);
	for (i = 0; i < acc.n; i++)
		ids->u.coll.items[i] =
			tfp_value_string(call->arena, acc.ids[i]);
	tfp_value_set(v, "ids", ids);
	tfp_value_set_string(call->arena, v, "id", "_");
	*out = v;
	return TFP_OK;
}

/* --- databricks_cluster --------------------------------------------------- */

/* The cluster whose name is exactly name, from the list. */
static int cluster_by_name(const cJSON **out, struct tfp_call *call,
			   const char *name)
{
	const struct tfp_query q[] = {{"page_size", CLUSTERS_PAGE},
				      {NULL, NULL}};
	struct clusters_acc acc = {.name = name};
	const char *ids = "";
	size_t i;
	int error;

	/* Cached: several data sources with the same filters share a list,
	 * and a write to /api/2.1/clusters drops it. */
	error = tfp_rest_list(call, "/api/2.1/clusters/list", q, "clusters",
			      TFP_REST_CACHE, clusters_item, &acc);
	if (error < 0)
		return error;
	if (acc.n == 0)
		return tfp_diag_error(call->diags, "Cluster not found",
				      "The workspace has no cluster named "
				      "\"%s\".",
				      name);
	if (acc.n > 1) {
		for (i = 0; i < acc.n; i++)
			ids = tfp_arena_printf(call->arena, "%s%s%s", ids,
					       i ? ", " : "", acc.ids[i]);
		return tfp_diag_error(
			call->diags, "Ambiguous cluster name",
			"%zu clusters are named \"%s\" (%s); terminated ones "
			"count too. Look the cluster up by cluster_id "
			"instead (databricks_clusters finds the ids).",
			acc.n, name, ids);
	}
	*out = acc.found;
	return TFP_OK;
}

static int cluster_read(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *config)
{
	const char *id = tfp_value_get_string(config, "cluster_id");
	const char *name = tfp_value_get_string(config, "cluster_name");
	const struct tfp_type *list_t;
	const cJSON *cluster = NULL;
	struct tfp_value *v, *info, *list;
	int error;

	if ((id == NULL) == (name == NULL))
		return tfp_diag_error(call->diags,
				      id ? "Both cluster_id and cluster_name"
					 : "Missing cluster_id or cluster_name",
				      "Set exactly one of cluster_id and "
				      "cluster_name.");
	if (id != NULL) {
		const struct tfp_query q[] = {{"cluster_id", id}, {NULL, NULL}};
		cJSON *reply = NULL;

		error = tfp_rest_get(&reply, call, "/api/2.1/clusters/get", q);
		if (error == TFP_ENOTFOUND)
			return tfp_diag_error(call->diags, "Cluster not found",
					      "The workspace has no cluster "
					      "%s.",
					      id);
		if (error < 0)
			return error;
		cluster = reply;
	} else {
		error = cluster_by_name(&cluster, call, name);
		if (error < 0)
			return error;
	}
	id = tfp_json_string(cluster, "cluster_id");
	if (id == NULL)
		return tfp_diag_error(call->diags,
				      "Unexpected reply from the workspace",
				      "The cluster has no cluster_id.");
	name = tfp_json_string(cluster, "cluster_name");
	list_t = config->type->attr_types[tfp_type_attr_index(config->type,
							      "cluster_info")];
	error = tfp_jsonmap_to_value(&info, call->arena, list_t->elem,
				     cluster_info_attrs, cluster_info_blocks,
				     cluster, NULL, call->diags);
	if (error < 0)
		return error;
	list = tfp_value_collection(call->arena, list_t, 1);
	list->u.coll.items[0] = info;
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "cluster_id", id);
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, "cluster_name", name ? name : "");
	tfp_value_set(v, "cluster_info", list);
	*out = v;
	return TFP_OK;
}

/* --- descriptors ---------------------------------------------------------- */

const struct tfp_data_source tfp_data_source_clusters = {
	.type_name = "databricks_clusters",
	.attrs = clusters_attrs,
	.blocks = clusters_blocks,
	.desc = "The ids of the workspace's clusters, optionally filtered by "
		"part of the name, state, source, policy or pinning.",
	.read = clusters_read,
};

const struct tfp_data_source tfp_data_source_cluster = {
	.type_name = "databricks_cluster",
	.attrs = cluster_attrs,
	.blocks = cluster_blocks,
	.desc = "One cluster's details, found by id or by exact name.",
	.read = cluster_read,
};
