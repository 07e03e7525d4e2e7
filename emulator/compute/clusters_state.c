/*
 * The cluster objects of the emulated Clusters API (clusters_internal.h):
 * their creation and ids, the lazy state machine, events, the
 * ClusterDetails view with its server-filled defaults, and --state
 * persistence. The handlers that drive them are in clusters.c.
 *
 * Ids: cluster ids are MMDD-HHMMSS-xxxxxxxx (UTC, from the workspace clock,
 * 8 random lower-case letters and digits); spark_context_id is a fresh
 * 13-16 digit integer below 2^53 each time a driver starts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "clusters.h"
#include "clusters_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

/* The command-line delays, written by main.c before any thread starts
 * (emu_clusters_set_defaults); every new clusters state copies them, so
 * /_emulator/reset returns to them. */
static struct emu_clusters_delays default_delays = {
	.start_ms = EMU_CLUSTERS_DEFAULT_START_MS,
	.resize_ms = EMU_CLUSTERS_DEFAULT_RESIZE_MS,
	.terminate_ms = EMU_CLUSTERS_DEFAULT_TERMINATE_MS,
	.library_install_ms = EMU_CLUSTERS_DEFAULT_LIBRARY_MS,
};

void emu_clusters_set_defaults(const struct emu_clusters_delays *d)
{
	default_delays = *d;
}

/* Real names of a state, as the API spells it and as error messages do. */
const char *const clusters_state_names[CL_NSTATES] = {
	"PENDING",     "RUNNING",    "RESTARTING", "RESIZING",
	"TERMINATING", "TERMINATED", "ERROR",
};
static const char *const state_words[CL_NSTATES] = {
	"Pending",     "Running",    "Restarting", "Resizing",
	"Terminating", "Terminated", "Error",
};

/* Every event type the emulator records; stored types point here. */
static const char *const event_types[] = {
	"CREATING",   "STARTING", "RUNNING",	 "RESIZING", "UPSIZE_COMPLETED",
	"RESTARTING", "EDITED",	  "TERMINATING", "PINNED",   "UNPINNED",
};

#define MSG_PENDING                                                            \
	"Finding instances for new nodes, acquiring more instances if "        \
	"necessary"

const char *clusters_state_name(int state)
{
	return state >= 0 && state < CL_NSTATES ? clusters_state_names[state]
						: "UNKNOWN";
}

int clusters_state_lookup(const char *name)
{
	int i;

	for (i = 0; i < CL_NSTATES; i++)
		if (strcmp(clusters_state_names[i], name) == 0)
			return i;
	return -1;
}

/* --- state ---------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void *clusters_state_new(void)
{
	struct clusters_state *st = emu_xcalloc(1, sizeof(*st));

	st->rng = (uint64_t)emu_now_ms() ^ ((uint64_t)getpid() << 32) ^
		  (uint64_t)(uintptr_t)st;
	st->next_seq = 1;
	st->delays = default_delays;
	return st;
}

static void cluster_free(struct cl_cluster *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nevents; i++)
		cJSON_Delete(c->events[i].details);
	free(c->events);
	clusters_libs_free(c);
	cJSON_Delete(c->spec);
	cJSON_Delete(c->policy_maps);
	cJSON_Delete(c->termination_reason);
	free(c->id);
	free(c->creator);
	free(c->message);
	free(c->fail_message);
	free(c);
}

void clusters_fail_disarm(struct clusters_state *st)
{
	st->fail_armed = false;
	free(st->fail_message);
	free(st->fail_cluster_id);
	st->fail_message = NULL;
	st->fail_cluster_id = NULL;
}

void clusters_state_free(void *p)
{
	struct clusters_state *st = p;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nclusters; i++)
		cluster_free(st->clusters[i]);
	free(st->clusters);
	clusters_fail_disarm(st);
	free(st);
}

static size_t cluster_index(const struct clusters_state *st, const char *id)
{
	size_t i;

	for (i = 0; i < st->nclusters; i++)
		if (strcmp(st->clusters[i]->id, id) == 0)
			return i;
	return SIZE_MAX;
}

struct cl_cluster *clusters_find(const struct clusters_state *st,
				 const char *id)
{
	size_t i = cluster_index(st, id);

	return i == SIZE_MAX ? NULL : st->clusters[i];
}

extern const struct emu_module emu_module_clusters;

const char *emu_clusters_creator(struct emu_workspace *ws, const char *id)
{
	const struct clusters_state *st =
		emu_workspace_state(ws, &emu_module_clusters);
	const struct cl_cluster *c = clusters_find(st, id);

	return c ? c->creator : NULL;
}

/* MMDD-HHMMSS-xxxxxxxx from the workspace clock (UTC), unique. */
static char *cluster_id_new(struct clusters_state *st, int64_t now)
{
	static const char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	time_t secs = (time_t)(now / 1000);
	struct tm tm;
	char suffix[9];
	char *id = NULL;
	int i;

	gmtime_r(&secs, &tm);
	do {
		free(id);
		for (i = 0; i < 8; i++)
			suffix[i] = alnum[splitmix64(&st->rng) % 36];
		suffix[8] = '\0';
		id = emu_printf("%02d%02d-%02d%02d%02d-%s", tm.tm_mon + 1,
				tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
				suffix);
	} while (clusters_find(st, id));
	return id;
}

struct cl_cluster *clusters_insert(struct clusters_state *st, cJSON *spec,
				   const char *creator, int64_t now,
				   struct emu_response *resp)
{
	struct cl_cluster *c;

	if (st->nclusters >= CLUSTERS_MAX) {
		cJSON_Delete(spec);
		emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			  "The workspace already has the maximum of %d "
			  "clusters.",
			  CLUSTERS_MAX);
		return NULL;
	}
	c = emu_xcalloc(1, sizeof(*c));
	c->id = cluster_id_new(st, now);
	c->creator = emu_xstrdup(creator ? creator : "");
	if (clusters_spec_set(st, c, spec, resp) < 0) {
		cluster_free(c);
		return NULL;
	}
	c->seq = st->next_seq++;
	c->start_time = now;
	c->running_since = -1;
	st->clusters = emu_xrealloc(
		st->clusters, (st->nclusters + 1) * sizeof(*st->clusters));
	st->clusters[st->nclusters++] = c;
	return c;
}

void clusters_remove(struct clusters_state *st, struct cl_cluster *c)
{
	size_t i = cluster_index(st, c->id);

	st->spec_bytes -= c->bytes;
	cluster_free(c);
	memmove(&st->clusters[i], &st->clusters[i + 1],
		(st->nclusters - i - 1) * sizeof(*st->clusters));
	st->nclusters--;
}

/*
 * A spark_context_id: 13-16 digits, below 2^53 (json.h). It is derived
 * from the cluster id and the time the driver started rather than drawn
 * from the generator, because transitions are applied lazily: two
 * workspaces loaded from the same --state must show the same id.
 */
static int64_t context_id_new(const struct cl_cluster *c, int64_t t)
{
	const uint64_t lo = 1000000000000ULL, span = EMU_JSON_MAX_INT - lo;
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	const char *p;

	for (p = c->id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h ^= (uint64_t)t;
	return (int64_t)(lo + splitmix64(&h) % span);
}

static size_t spec_size(const cJSON *spec)
{
	char *text = cJSON_PrintUnformatted(spec);
	size_t n = strlen(text);

	free(text);
	return n;
}

/* Replaces c's spec, keeping the byte total; takes spec. Returns 0, or -1
 * after writing the error (spec is then freed). */
int clusters_spec_set(struct clusters_state *st, struct cl_cluster *c,
		      cJSON *spec, struct emu_response *resp)
{
	size_t n = spec_size(spec);

	if (st->spec_bytes - c->bytes + n > CLUSTERS_MAX_SPEC_BYTES) {
		cJSON_Delete(spec);
		return emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
				 "The emulator's storage for cluster specs "
				 "(256 MiB in total) is full.");
	}
	st->spec_bytes = st->spec_bytes - c->bytes + n;
	c->bytes = n;
	cJSON_Delete(c->spec);
	c->spec = spec;
	return 0;
}

/* The number of workers the spec asks for (autoscale: the minimum). */
int64_t clusters_target_workers(const cJSON *spec)
{
	const cJSON *as = cJSON_GetObjectItemCaseSensitive(spec, "autoscale");
	int64_t n = 0;

	if (cJSON_IsObject(as))
		emu_json_member_int(&n, as, "min_workers");
	else
		emu_json_member_int(&n, spec, "num_workers");
	return n;
}

/* --- events --------------------------------------------------------------- */

void clusters_event_add(struct cl_cluster *c, int64_t ts, const char *type,
			cJSON *details)
{
	struct cl_event *e;

	if (c->nevents == CLUSTERS_MAX_EVENTS) {
		cJSON_Delete(c->events[0].details);
		memmove(&c->events[0], &c->events[1],
			(c->nevents - 1) * sizeof(*c->events));
		c->nevents--;
	}
	c->events =
		emu_xrealloc(c->events, (c->nevents + 1) * sizeof(*c->events));
	e = &c->events[c->nevents++];
	e->timestamp = ts;
	e->type = type;
	e->details = details ? details : cJSON_CreateObject();
}

cJSON *clusters_user_details(const char *user)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "user", user ? user : "");
	return d;
}

cJSON *clusters_workers_details(int64_t current, int64_t target)
{
	cJSON *d = cJSON_CreateObject();

	emu_json_add_int64(d, "current_num_workers", current);
	emu_json_add_int64(d, "target_num_workers", target);
	return d;
}

/* --- the state machine ---------------------------------------------------- */

static bool transitional(int state)
{
	return state == CL_PENDING || state == CL_RESTARTING ||
	       state == CL_RESIZING || state == CL_TERMINATING;
}

static void clear_termination(struct cl_cluster *c)
{
	cJSON_Delete(c->termination_reason);
	c->termination_reason = NULL;
	free(c->message);
	c->message = NULL;
	c->terminated_time = 0;
}

/* Enters PENDING for create or start, arming a requested launch failure. */
void clusters_begin_pending(struct clusters_state *st, struct cl_cluster *c,
			    int64_t now)
{
	c->state = CL_PENDING;
	c->phase_end = now + st->delays.start_ms;
	c->running_since = -1;
	clear_termination(c);
	free(c->fail_message);
	c->fail_message = NULL;
	c->fail_state = 0;
	if (st->fail_armed &&
	    (!st->fail_cluster_id || strcmp(st->fail_cluster_id, c->id) == 0)) {
		c->fail_state = st->fail_state;
		c->fail_message = emu_xstrdup(st->fail_message);
		clusters_fail_disarm(st);
	}
}

void clusters_begin_restarting(struct clusters_state *st, struct cl_cluster *c,
			       int64_t now, const char *user)
{
	c->state = CL_RESTARTING;
	c->phase_end = now + st->delays.start_ms;
	c->running_since = -1;
	/* Libraries marked for removal go with the old driver. */
	clusters_libs_restart(c);
	clusters_event_add(c, now, "RESTARTING", clusters_user_details(user));
}

void clusters_begin_terminating(struct clusters_state *st, struct cl_cluster *c,
				int64_t now, const char *user)
{
	cJSON *reason = cJSON_CreateObject(), *params, *details;

	cJSON_AddStringToObject(reason, "code", "USER_REQUEST");
	cJSON_AddStringToObject(reason, "type", "SUCCESS");
	params = cJSON_AddObjectToObject(reason, "parameters");
	cJSON_AddStringToObject(params, "username", user ? user : "");
	c->state = CL_TERMINATING;
	c->phase_end = now + st->delays.terminate_ms;
	c->running_since = -1;
	c->fail_state = 0;
	clear_termination(c);
	c->termination_reason = reason;
	c->message =
		emu_printf("Termination requested by %s", user ? user : "");
	details = cJSON_CreateObject();
	cJSON_AddItemToObject(details, "reason", cJSON_Duplicate(reason, 1));
	clusters_event_add(c, now, "TERMINATING", details);
}

/* The end of PENDING with an armed failure (fail-next-start). */
static void launch_failed(struct cl_cluster *c, int64_t t)
{
	cJSON *reason = cJSON_CreateObject(), *params, *details;

	cJSON_AddStringToObject(reason, "code",
				"CLOUD_PROVIDER_LAUNCH_FAILURE");
	cJSON_AddStringToObject(reason, "type", "CLOUD_FAILURE");
	params = cJSON_AddObjectToObject(reason, "parameters");
	cJSON_AddStringToObject(params, "aws_api_error_code",
				"InsufficientInstanceCapacity");
	cJSON_AddStringToObject(params, "aws_error_message", c->fail_message);
	clear_termination(c);
	c->termination_reason = reason;
	c->message = c->fail_message;
	c->fail_message = NULL;
	c->state = c->fail_state;
	c->fail_state = 0;
	c->terminated_time = t;
	details = cJSON_CreateObject();
	cJSON_AddItemToObject(details, "reason", cJSON_Duplicate(reason, 1));
	clusters_event_add(c, t, "TERMINATING", details);
}

/* The driver is up (end of PENDING or RESTARTING): a new Spark context. */
static void driver_up(struct cl_cluster *c, int64_t t)
{
	int64_t n = clusters_target_workers(c->spec);

	c->state = CL_RUNNING;
	c->running_since = t;
	c->last_restarted_time = t;
	c->spark_context_id = context_id_new(c, t);
	clusters_event_add(c, t, "RUNNING", clusters_workers_details(n, n));
}

void clusters_advance(struct clusters_state *st, struct cl_cluster *c,
		      int64_t now)
{
	(void)st; /* transitions need nothing workspace-wide yet */
	while (transitional(c->state) && c->phase_end <= now) {
		int64_t t = c->phase_end, n;

		switch (c->state) {
		case CL_PENDING:
			if (c->fail_state) {
				launch_failed(c, t);
				break;
			}
			driver_up(c, t);
			break;
		case CL_RESTARTING:
			driver_up(c, t);
			break;
		case CL_RESIZING:
			c->state = CL_RUNNING;
			n = clusters_target_workers(c->spec);
			if (n > c->resize_from)
				clusters_event_add(
					c, t, "UPSIZE_COMPLETED",
					clusters_workers_details(n, n));
			break;
		default: /* CL_TERMINATING */
			c->state = CL_TERMINATED;
			c->terminated_time = t;
			break;
		}
	}
}

static int cluster_missing(struct emu_response *resp, const char *id)
{
	return emu_error_invalid(resp, "Cluster %s does not exist", id);
}

struct cl_cluster *clusters_arg(struct emu_request *req,
				struct emu_response *resp)
{
	struct clusters_state *st = req->state;
	struct cl_cluster *c;
	const char *id;

	if (emu_arg_string(&id, req, resp, "cluster_id", EMU_ARG_REQUIRED) < 0)
		return NULL;
	c = clusters_find(st, id);
	if (!c) {
		cluster_missing(resp, id);
		return NULL;
	}
	clusters_advance(st, c, emu_workspace_now_ms(req->ws));
	return c;
}

int clusters_invalid_state(struct emu_response *resp,
			   const struct cl_cluster *c)
{
	return emu_error(resp, 400, "INVALID_STATE",
			 "Cluster %s is in unexpected state %s.", c->id,
			 state_words[c->state]);
}

/* --- ClusterDetails ------------------------------------------------------- */

static const char *state_message(const struct cl_cluster *c)
{
	switch (c->state) {
	case CL_PENDING:
		return MSG_PENDING;
	case CL_RESTARTING:
		return "Restarting Spark driver and reattaching libraries";
	case CL_RESIZING:
		return MSG_PENDING;
	case CL_RUNNING:
		return "";
	default:
		return c->message ? c->message : "";
	}
}

static void set_default(cJSON *obj, const char *name, cJSON *value)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, name))
		cJSON_Delete(value);
	else
		cJSON_AddItemToObject(obj, name, value);
}

/*
 * The cloud attributes a real workspace fills in whatever the client sent
 * (unless the cluster takes its nodes from a pool, or, on a workspace that
 * is not strict about clouds, the client sent another cloud's block):
 *
 *   AWS    aws_attributes {zone_id us-west-2a, availability
 *          SPOT_WITH_FALLBACK, first_on_demand 1, spot_bid_price_percent
 *          100}
 *   Azure  azure_attributes {first_on_demand 1, availability
 *          ON_DEMAND_AZURE, spot_bid_max_price -1 (pay up to the
 *          on-demand price)}
 *   GCP    gcp_attributes {availability ON_DEMAND_GCP,
 *          use_preemptible_executors false, zone_id HA (the documented
 *          default: nodes spread over the region's zones)}
 */
static void cloud_defaults(cJSON *d, enum emu_cloud cloud)
{
	static const char *const blocks[] = {
		[EMU_CLOUD_AWS] = "aws_attributes",
		[EMU_CLOUD_AZURE] = "azure_attributes",
		[EMU_CLOUD_GCP] = "gcp_attributes",
	};
	cJSON *attrs;
	size_t i;

	if (emu_json_str(d, "instance_pool_id"))
		return;
	for (i = 0; i < EMU_ARRAY_SIZE(blocks); i++)
		if (i != (size_t)cloud &&
		    cJSON_GetObjectItemCaseSensitive(d, blocks[i]))
			return;
	attrs = cJSON_GetObjectItemCaseSensitive(d, blocks[cloud]);
	if (!cJSON_IsObject(attrs))
		attrs = cJSON_AddObjectToObject(d, blocks[cloud]);
	switch (cloud) {
	case EMU_CLOUD_AZURE:
		set_default(attrs, "first_on_demand", emu_json_int64(1));
		set_default(attrs, "availability",
			    cJSON_CreateString("ON_DEMAND_AZURE"));
		set_default(attrs, "spot_bid_max_price",
			    cJSON_CreateNumber(-1));
		break;
	case EMU_CLOUD_GCP:
		set_default(attrs, "availability",
			    cJSON_CreateString("ON_DEMAND_GCP"));
		set_default(attrs, "use_preemptible_executors",
			    cJSON_CreateFalse());
		set_default(attrs, "zone_id", cJSON_CreateString("HA"));
		break;
	default:
		set_default(attrs, "zone_id",
			    cJSON_CreateString(clusters_default_zone(cloud)));
		set_default(attrs, "availability",
			    cJSON_CreateString("SPOT_WITH_FALLBACK"));
		set_default(attrs, "first_on_demand", emu_json_int64(1));
		set_default(attrs, "spot_bid_price_percent",
			    emu_json_int64(100));
		break;
	}
}

static cJSON *default_tags(const struct cl_cluster *c)
{
	cJSON *tags = cJSON_CreateObject();
	const char *name = emu_json_str(c->spec, "cluster_name");

	cJSON_AddStringToObject(tags, "Vendor", "Databricks");
	cJSON_AddStringToObject(tags, "Creator", c->creator);
	cJSON_AddStringToObject(tags, "ClusterName", name ? name : "");
	cJSON_AddStringToObject(tags, "ClusterId", c->id);
	return tags;
}

/* The policy's fixed values join the user's in the reply's maps (they
 * win, as the policy enforces them). */
static void merge_policy_maps(cJSON *d, const cJSON *policy_maps)
{
	const cJSON *map, *kv;

	cJSON_ArrayForEach(map, policy_maps)
	{
		cJSON *into = cJSON_GetObjectItemCaseSensitive(d, map->string);

		if (!cJSON_IsObject(into)) {
			cJSON_DeleteItemFromObjectCaseSensitive(d, map->string);
			into = cJSON_AddObjectToObject(d, map->string);
		}
		cJSON_ArrayForEach(kv, map)
		{
			cJSON_DeleteItemFromObjectCaseSensitive(into,
								kv->string);
			cJSON_AddItemToObject(into, kv->string,
					      cJSON_Duplicate(kv, 1));
		}
	}
}

/* Databricks never returns the password of a private Docker registry, in
 * the cluster or in its spec; only the username comes back. */
static void drop_docker_password(cJSON *spec)
{
	cJSON *docker = cJSON_GetObjectItemCaseSensitive(spec, "docker_image");
	cJSON *auth = cJSON_GetObjectItemCaseSensitive(docker, "basic_auth");

	if (cJSON_IsObject(auth))
		cJSON_DeleteItemFromObjectCaseSensitive(auth, "password");
}

cJSON *clusters_details_json(const struct cl_cluster *c, enum emu_cloud cloud,
			     bool with_spec)
{
	cJSON *d = cJSON_Duplicate(c->spec, 1);
	const char *node = emu_json_str(c->spec, "node_type_id");
	const struct cl_node_type *t =
		node ? clusters_node_type(cloud, node) : NULL;
	int64_t workers = clusters_target_workers(c->spec);

	cJSON_DeleteItemFromObjectCaseSensitive(d,
						"apply_policy_default_values");
	merge_policy_maps(d, c->policy_maps);
	cJSON_AddStringToObject(d, "cluster_id", c->id);
	cJSON_AddStringToObject(d, "creator_user_name", c->creator);
	set_default(d, "cluster_name", cJSON_CreateString(""));
	if (node && !emu_json_str(c->spec, "driver_instance_pool_id"))
		set_default(d, "driver_node_type_id", cJSON_CreateString(node));
	if (!cJSON_GetObjectItemCaseSensitive(d, "autoscale"))
		set_default(d, "num_workers", emu_json_int64(0));
	set_default(d, "enable_elastic_disk", cJSON_CreateTrue());
	set_default(d, "enable_local_disk_encryption", cJSON_CreateFalse());
	set_default(d, "disk_spec", cJSON_CreateObject());
	cloud_defaults(d, cloud);
	cJSON_AddStringToObject(d, "state", clusters_state_names[c->state]);
	cJSON_AddStringToObject(d, "state_message", state_message(c));
	cJSON_AddStringToObject(d, "cluster_source", "API");
	cJSON_AddItemToObject(d, "default_tags", default_tags(c));
	emu_json_add_int64(d, "start_time", c->start_time);
	if (c->terminated_time > 0)
		emu_json_add_int64(d, "terminated_time", c->terminated_time);
	if (c->last_restarted_time > 0)
		emu_json_add_int64(d, "last_restarted_time",
				   c->last_restarted_time);
	if (c->spark_context_id > 0)
		emu_json_add_int64(d, "spark_context_id", c->spark_context_id);
	emu_json_add_int64(d, "jdbc_port", 10000);
	if (c->termination_reason)
		cJSON_AddItemToObject(
			d, "termination_reason",
			cJSON_Duplicate(c->termination_reason, 1));
	if ((c->state == CL_RUNNING || c->state == CL_RESIZING) && t) {
		/* The driver counts: workers + 1 nodes of node_type_id. */
		emu_json_add_int64(d, "cluster_memory_mb",
				   (workers + 1) * t->memory_mb);
		emu_json_add_int64(d, "cluster_cores",
				   (workers + 1) * t->num_cores);
	}
	drop_docker_password(d);
	if (with_spec) {
		cJSON *spec = cJSON_Duplicate(c->spec, 1);

		drop_docker_password(spec);
		cJSON_AddItemToObject(d, "spec", spec);
	}
	return d;
}

/* --- persistence ---------------------------------------------------------- */

static cJSON *cluster_save(const struct cl_cluster *c)
{
	cJSON *o = cJSON_CreateObject(), *events, *libs;
	size_t i;

	cJSON_AddStringToObject(o, "cluster_id", c->id);
	cJSON_AddStringToObject(o, "creator", c->creator);
	emu_json_add_int64(o, "seq", (int64_t)c->seq);
	/* The whole spec, docker_image.basic_auth.password included, which
	 * get and list never return: a restarted emulator must still have
	 * it (an update whose mask leaves docker_image out keeps it), and
	 * the --state file is written 0600 and already holds secret values. */
	cJSON_AddItemToObject(o, "spec", cJSON_Duplicate(c->spec, 1));
	cJSON_AddStringToObject(o, "state", clusters_state_names[c->state]);
	emu_json_add_int64(o, "phase_end", c->phase_end);
	emu_json_add_int64(o, "start_time", c->start_time);
	emu_json_add_int64(o, "terminated_time", c->terminated_time);
	emu_json_add_int64(o, "last_restarted_time", c->last_restarted_time);
	emu_json_add_int64(o, "running_since", c->running_since);
	emu_json_add_int64(o, "spark_context_id", c->spark_context_id);
	emu_json_add_int64(o, "resize_from", c->resize_from);
	cJSON_AddBoolToObject(o, "pinned", c->pinned);
	if (c->message)
		cJSON_AddStringToObject(o, "message", c->message);
	if (c->termination_reason)
		cJSON_AddItemToObject(
			o, "termination_reason",
			cJSON_Duplicate(c->termination_reason, 1));
	if (c->policy_maps)
		cJSON_AddItemToObject(o, "policy_maps",
				      cJSON_Duplicate(c->policy_maps, 1));
	if (c->fail_state) {
		cJSON_AddStringToObject(o, "fail_state",
					clusters_state_names[c->fail_state]);
		cJSON_AddStringToObject(o, "fail_message", c->fail_message);
	}
	events = cJSON_AddArrayToObject(o, "events");
	for (i = 0; i < c->nevents; i++) {
		cJSON *e = cJSON_CreateObject();

		emu_json_add_int64(e, "timestamp", c->events[i].timestamp);
		cJSON_AddStringToObject(e, "type", c->events[i].type);
		cJSON_AddItemToObject(e, "details",
				      cJSON_Duplicate(c->events[i].details, 1));
		cJSON_AddItemToArray(events, e);
	}
	libs = clusters_libs_save(c);
	if (libs)
		cJSON_AddItemToObject(o, "libraries", libs);
	return o;
}

cJSON *clusters_state_save(const void *p)
{
	const struct clusters_state *st = p;
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "clusters");
	size_t i;

	emu_json_add_int64(root, "next_seq", (int64_t)st->next_seq);
	for (i = 0; i < st->nclusters; i++)
		cJSON_AddItemToArray(list, cluster_save(st->clusters[i]));
	return root;
}

static int load_int(const cJSON *obj, const char *name, int64_t *out)
{
	return emu_json_member_int(out, obj, name);
}

static const char *event_type_lookup(const char *type)
{
	size_t i;

	for (i = 0; type && i < EMU_ARRAY_SIZE(event_types); i++)
		if (strcmp(event_types[i], type) == 0)
			return event_types[i];
	return NULL;
}

static int load_events(struct cl_cluster *c, const cJSON *events)
{
	const cJSON *e;

	if (!cJSON_IsArray(events))
		return -1;
	cJSON_ArrayForEach(e, events)
	{
		const char *type = event_type_lookup(emu_json_str(e, "type"));
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "details");
		int64_t ts;

		if (!type || load_int(e, "timestamp", &ts) < 0 ||
		    !cJSON_IsObject(d))
			return -1;
		clusters_event_add(c, ts, type, cJSON_Duplicate(d, 1));
	}
	return 0;
}

static int load_cluster(struct clusters_state *st, const cJSON *o, char *err,
			size_t errlen)
{
	const char *id = emu_json_str(o, "cluster_id");
	const char *creator = emu_json_str(o, "creator");
	const char *state = emu_json_str(o, "state");
	const char *fail = emu_json_str(o, "fail_state");
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(o, "spec");
	const cJSON *reason =
		cJSON_GetObjectItemCaseSensitive(o, "termination_reason");
	const cJSON *pinned = cJSON_GetObjectItemCaseSensitive(o, "pinned");
	const cJSON *policy_maps =
		cJSON_GetObjectItemCaseSensitive(o, "policy_maps");
	struct emu_response scratch;
	struct cl_cluster *c;
	int64_t seq;
	cJSON *copy;
	int k;

	if (!id || clusters_find(st, id) || !creator || !state ||
	    clusters_state_lookup(state) < 0 || !cJSON_IsObject(spec) ||
	    st->nclusters >= CLUSTERS_MAX || load_int(o, "seq", &seq) < 0 ||
	    seq < 1) {
		snprintf(err, errlen, "bad or duplicate cluster");
		return -1;
	}
	c = emu_xcalloc(1, sizeof(*c));
	st->clusters = emu_xrealloc(
		st->clusters, (st->nclusters + 1) * sizeof(*st->clusters));
	st->clusters[st->nclusters++] = c;
	c->id = emu_xstrdup(id);
	c->creator = emu_xstrdup(creator);
	c->seq = (uint64_t)seq;
	c->state = clusters_state_lookup(state);
	c->pinned = cJSON_IsTrue(pinned);
	if (emu_json_str(o, "message"))
		c->message = emu_xstrdup(emu_json_str(o, "message"));
	if (cJSON_IsObject(reason))
		c->termination_reason = cJSON_Duplicate(reason, 1);
	if (cJSON_IsObject(policy_maps))
		c->policy_maps = cJSON_Duplicate(policy_maps, 1);
	if (fail) {
		c->fail_state = clusters_state_lookup(fail);
		c->fail_message = emu_xstrdup(emu_json_str(o, "fail_message"));
	}
	/* The file does not say which --cloud wrote it: a spec any cloud's
	 * catalogue takes is loaded. */
	copy = NULL;
	for (k = 0; !copy && k <= EMU_CLOUD_GCP; k++) {
		emu_response_init(&scratch);
		copy = clusters_spec_from(spec, (enum emu_cloud)k, false,
					  &scratch);
		emu_response_dispose(&scratch);
	}
	if (!copy || clusters_spec_set(st, c, copy, &scratch) < 0 ||
	    load_int(o, "phase_end", &c->phase_end) < 0 ||
	    load_int(o, "start_time", &c->start_time) < 0 ||
	    load_int(o, "terminated_time", &c->terminated_time) < 0 ||
	    load_int(o, "last_restarted_time", &c->last_restarted_time) < 0 ||
	    load_int(o, "running_since", &c->running_since) < 0 ||
	    load_int(o, "spark_context_id", &c->spark_context_id) < 0 ||
	    load_int(o, "resize_from", &c->resize_from) < 0 ||
	    (fail && c->fail_state != CL_ERROR &&
	     c->fail_state != CL_TERMINATED) ||
	    (fail && !c->fail_message) ||
	    load_events(c, cJSON_GetObjectItemCaseSensitive(o, "events")) < 0) {
		emu_response_dispose(&scratch);
		snprintf(err, errlen, "cluster %s: bad fields", id);
		return -1;
	}
	emu_response_dispose(&scratch);
	if (clusters_libs_load(c,
			       cJSON_GetObjectItemCaseSensitive(o, "libraries"),
			       err, errlen) < 0)
		return -1;
	if (c->seq >= st->next_seq)
		st->next_seq = c->seq + 1;
	return 0;
}

int clusters_state_load(void *p, const cJSON *json, char *err, size_t errlen)
{
	struct clusters_state *st = p;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(json, "clusters");
	const cJSON *item;
	int64_t next;

	if (!cJSON_IsArray(list)) {
		snprintf(err, errlen, "\"clusters\" must be an array");
		return -1;
	}
	cJSON_ArrayForEach(item, list)
	{
		if (load_cluster(st, item, err, errlen) < 0)
			return -1;
	}
	if (load_int(json, "next_seq", &next) == 0 && next > 0 &&
	    (uint64_t)next > st->next_seq)
		st->next_seq = (uint64_t)next;
	return 0;
}
