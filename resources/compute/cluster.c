/*
 * databricks_cluster: an all-purpose cluster, its pin and its libraries.
 *
 * REST (cluster_api.c): clusters/create, get, edit, resize, pin, unpin,
 * permanent-delete and list (pins) under /api/2.1; libraries/install,
 * uninstall and cluster-status under /api/2.0.
 *
 * Clusters cost money while they run, so every change takes the cheapest
 * path that reaches the configuration (official-provider-behaviour.md
 * §3.3 and the complaints in §7):
 *  - only the size changed on a RUNNING cluster: resize, no restart;
 *  - anything else in the spec: edit. A RUNNING cluster restarts with the
 *    new spec (we wait for it, unless no_wait); a TERMINATED one stays
 *    terminated and takes the spec at its next start; a cluster in a
 *    transition is waited for, then edited;
 *  - is_pinned: pin or unpin, never an edit;
 *  - libraries: install and uninstall, which neither restart a running
 *    cluster nor start a terminated one (libraries wait for the next
 *    start, uninstalls for the next restart).
 *
 * Quirks that explain the code:
 *  - Read has no side effects: it never waits on libraries and never
 *    uninstalls failed ones (the official provider does both). A failed
 *    library is left out of the state, so the plan shows it to install.
 *  - Create asks for RUNNING and waits for it (unless no_wait). A cluster
 *    that ends TERMINATED instead is an error quoting the workspace's
 *    message, and is still returned, so Terraform records it and a destroy
 *    removes it. StopProvider ends the wait within ~50 ms, the same way.
 *  - clusters/create is not safe to repeat, but its idempotency_token
 *    makes it so: we send the user's token or a random one, and after a
 *    lost answer send the same request again; the workspace answers with
 *    the cluster the first request made.
 *  - state is what the cluster was when Terraform last created, changed or
 *    imported it. Refreshes do not update it: clusters start and
 *    auto-terminate on their own every day, and a scheduled drift check
 *    (plan -refresh-only -detailed-exitcode) must not report that.
 *  - A cluster policy may add custom tags and Spark settings; they are read
 *    from the reply's "spec" (the user's own settings), so they are not
 *    drift. default_tags are the workspace's and computed only.
 *  - The workspace fills aws_attributes when it is left out
 *    (TFP_SERVER_FILLED on the block) and may answer a legacy name for
 *    data_security_mode; neither is drift.
 *  - num_workers (0), autotermination_minutes (60) and is_pinned (false)
 *    have the official provider's defaults, set in modify_plan because
 *    they are numbers and booleans.
 * Import ID: the cluster ID.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include "arena.h"
#include "compute_internal.h"
#include "cluster_spec.h"
#include "diag.h"
#include "jsonmap.h"
#include "log.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "validate.h"
#include "value.h"
#include "wait.h"

#define CLUSTER_CREATE_TRIES 3
#define CLUSTER_MAX_TAGS 45
#define CLUSTER_MAX_SSH_KEYS 10

/* --- schema --------------------------------------------------------------- */

/* A known number as an exact integer. */
static bool cluster_int(const struct tfp_value *v, int64_t *out)
{
	if (v->u.num.kind != TFP_NUM_INT)
		return false;
	*out = v->u.num.i;
	return true;
}

static int cluster_validate_autotermination(struct tfp_diags *d,
					    const struct tfp_path *path,
					    const struct tfp_value *v)
{
	int64_t n = 0;

	if (cluster_int(v, &n) && (n == 0 || (n >= 10 && n <= 10000)))
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid autotermination_minutes",
				   "autotermination_minutes must be 0 (never "
				   "terminate) or between 10 and 10000.");
}

static int cluster_validate_workers(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v)
{
	int64_t n = -1;

	if (cluster_int(v, &n) && n >= 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid num_workers",
				   "num_workers must be a whole number, 0 or "
				   "more.");
}

/* clang-format off */
static const struct tfp_attr cluster_attrs[] = {
	TFP_CLUSTER_SPEC_ATTRS(TFP_REQUIRED, TFP_OPTIONAL | TFP_COMPUTED,
			       TFP_PLAN_USE_STATE_FOR_UNKNOWN),
	{ .name = "autotermination_minutes", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .validate = cluster_validate_autotermination,
	  .desc = "Terminate the cluster after this many minutes without "
		  "activity: 0 (never) or 10 to 10000. Default 60." },
	{ .name = "is_pinned", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_NO_JSON,
	  .desc = "Keep the cluster's configuration after termination "
		  "(pinned clusters are never purged). Default false." },
	{ .name = "idempotency_token", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW | TFP_NO_JSON,
	  .desc = "A token (at most 64 characters) that makes creating the "
		  "cluster safe to repeat: while a cluster made with it is not "
		  "terminated, creating again returns that cluster." },
	{ .name = "no_wait", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Do not wait for the cluster (and its libraries) to be "
		  "running after creating or restarting it." },
	TFP_CLUSTER_KIND_ATTRS,
	{ .name = "cluster_id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The cluster's ID." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The cluster's ID (as cluster_id)." },
	{ .name = "default_tags", .type = &tfp_type_map_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The tags the workspace adds to the cluster's cloud "
		  "resources (Vendor, Creator, ClusterName, ClusterId)." },
	{ .name = "state", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .desc = "The cluster's state when Terraform last created, changed "
		  "or imported it (RUNNING, TERMINATED, ...). Refreshes keep "
		  "it: starting and auto-terminating are not drift." },
	{ .name = "url", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The cluster's page in the workspace." },
	TFP_ATTR_END
};

static const struct tfp_block cluster_blocks[] = {
	TFP_CLUSTER_SPEC_BLOCKS,
	{ .name = "timeouts", .nesting = TFP_NEST_SINGLE, .flags = TFP_NO_JSON,
	  .attrs = tfp_timeouts_attrs,
	  .desc = "Time limits of create and update (default 30m each); "
		  "delete is accepted but does not wait." },
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_NO_JSON, .attrs = tfp_compute_provider_config_attrs,
	  .desc = "Which workspace the cluster is in, for the official "
		  "provider's unified configurations; this provider manages "
		  "its own host's. Not sent to the workspace." },
	{ .name = "library", .nesting = TFP_NEST_SET, .flags = TFP_NO_JSON,
	  .attrs = tfp_compute_library_attrs,
	  .blocks = tfp_compute_library_blocks,
	  .desc = "A library installed on the cluster: exactly one of jar, "
		  "whl, egg, requirements, pypi, maven and cran. Changes "
		  "install or uninstall without restarting the cluster." },
	TFP_BLOCK_END
};
/* clang-format on */

/* --- helpers -------------------------------------------------------------- */

static const char *cluster_id_of(const struct tfp_value *v)
{
	const char *id = tfp_value_get_string(v, "cluster_id");

	return id != NULL ? id : tfp_value_get_string(v, "id");
}

/* The clusters/create or clusters/edit body for a planned cluster. */
static int cluster_spec_json(cJSON **out, struct tfp_call *call,
			     const struct tfp_value *plan)
{
	static const char *const server_only[] = {"cluster_id",
						  "default_tags"};
	size_t i;
	int error;

	error = tfp_jsonmap_from_value(out, call->arena, cluster_attrs,
				       cluster_blocks, plan, call->diags);
	if (error < 0)
		return error;
	for (i = 0; i < TFP_ARRAY_SIZE(server_only); i++)
		cJSON_DeleteItemFromObjectCaseSensitive(*out, server_only[i]);
	/* Ours to send, not to read back: cluster_create_once makes one up
	 * when the configuration has none, and that one is not state. */
	if (tfp_value_get_string(plan, "idempotency_token") != NULL)
		cJSON_AddStringToObject(
			*out, "idempotency_token",
			tfp_value_get_string(plan, "idempotency_token"));
	return TFP_OK;
}

/* The private state an import leaves for the read that follows it. */
#define CLUSTER_IMPORTED "{\"imported\":true}"

static bool cluster_imported(const struct tfp_call *call)
{
	return call->private_in.len == strlen(CLUSTER_IMPORTED) &&
	       memcmp(call->private_in.data, CLUSTER_IMPORTED,
		      call->private_in.len) == 0;
}

/*
 * The state for a clusters/get reply. jprior is the prior state for the
 * table mapping (NULL for an import, so server-filled blocks are read);
 * prior supplies what the API never says. fresh_state takes "state" from
 * the reply instead of prior.
 */
static int cluster_state(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_type *type, const cJSON *details,
			 const struct tfp_value *jprior,
			 const struct tfp_value *prior, bool fresh_state)
{
	cJSON *j = tfp_compute__cluster_state_json(details);
	const char *id = tfp_json_string(details, "cluster_id");
	const char *host = tfp_rest_host(tfp_rest_of(call));
	const char *mode, *was, *state;
	struct tfp_value *v = NULL, *libs = NULL;
	const struct tfp_value *prior_libs;
	bool pinned = false;
	int error;

	if (j == NULL || id == NULL)
		return tfp_call_fail(call, "%s",
				    "GET /api/2.1/clusters/get returned a "
				    "cluster without cluster_id.");
	tfp_arena_defer_json(call->arena, j);
	error = tfp_jsonmap_to_value(&v, call->arena, type, cluster_attrs,
				     cluster_blocks, j, jprior, call->diags);
	if (error < 0)
		return error;
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(
		call->arena, v, "url",
		tfp_arena_printf(call->arena,
				 "%s/#setting/clusters/%s/configuration",
				 host != NULL ? host : "", id));
	state = tfp_value_get_string(prior, "state");
	if (fresh_state || state == NULL)
		state = tfp_json_string(details, "state");
	tfp_value_set_string(call->arena, v, "state", state);
	tfp_value_set(v, "no_wait",
		      tfp_value_copy(call->arena,
				     tfp_value_get(prior, "no_wait")));
	tfp_value_set(v, "idempotency_token",
		      tfp_value_copy(call->arena,
				     tfp_value_get(prior, "idempotency_token")));
	tfp_value_set(v, "timeouts",
		      tfp_value_copy(call->arena,
				     tfp_value_get(prior, "timeouts")));
	tfp_value_set(v, "provider_config",
		      tfp_value_copy(call->arena,
				     tfp_value_get(prior, "provider_config")));
	mode = tfp_value_get_string(v, "data_security_mode");
	was = tfp_value_get_string(prior, "data_security_mode");
	if (mode != NULL && was != NULL &&
	    tfp_compute__cluster_same_access_mode(mode, was))
		tfp_value_set_string(call->arena, v, "data_security_mode", was);
	error = tfp_compute__cluster_is_pinned(&pinned, call, id);
	if (error < 0)
		return error;
	tfp_value_set(v, "is_pinned", tfp_value_bool(call->arena, pinned));
	/* A configuration without library blocks leaves the cluster's
	 * libraries to others (databricks_library), as upstream: they are
	 * not read, so not drift. The read right after an import (marked in
	 * the private state) reads them, so that a configuration listing
	 * them plans clean. */
	prior_libs = tfp_value_get(prior, "library");
	if (cluster_imported(call)) {
		call->private_out.data = (const uint8_t *)"";
		call->private_out.len = 0;
		call->private_set = true;
		prior_libs = NULL;
	}
	if (tfp_value_is_known(prior_libs) && prior_libs->u.coll.n == 0) {
		libs = tfp_value_collection(call->arena, prior_libs->type, 0);
	} else {
		error = tfp_compute__cluster_libraries_read(
			&libs, call, tfp_value_get(v, "library")->type, id);
		if (error < 0)
			return error;
	}
	tfp_value_set(v, "library", libs);
	*out = v;
	return TFP_OK;
}

/*
 * After a write: the state as the workspace now has it, read with the plan
 * as prior. If that read fails, the plan stands in (unknowns as null, the
 * ID set), so Terraform still records the cluster that exists.
 */
static int cluster_read_back(struct tfp_value **out, struct tfp_call *call,
			     const struct tfp_value *plan, const char *id,
			     int error)
{
	struct tfp_value *known = tfp_value_unknowns_to_null(call->arena, plan);
	cJSON *details = NULL;
	int got;

	tfp_value_set_string(call->arena, known, "cluster_id", id);
	tfp_value_set_string(call->arena, known, "id", id);
	*out = known;
	got = tfp_compute__cluster_get(&details, call, id);
	if (got == TFP_ENOTFOUND)
		got = tfp_call_fail(call,
				   "The workspace made cluster %s but "
				   "clusters/get says it does not exist.",
				   id);
	if (got == TFP_OK) {
		struct tfp_value *v = NULL;

		got = cluster_state(&v, call, plan->type, details, known,
				    known, true);
		if (got == TFP_OK)
			*out = v;
	}
	return error < 0 ? error : got;
}

/* When the waits of op ("create", "update") must end: now plus the
 * timeouts block's value, or the default. */
static int64_t cluster_deadline(const struct tfp_value *plan, const char *op)
{
	const char *text =
		tfp_value_get_string(tfp_value_get(plan, "timeouts"), op);
	int64_t ms = TFP_CLUSTER_WAIT_MS;

	if (text != NULL && tfp_parse_duration_ms(&ms, text) != TFP_OK)
		ms = TFP_CLUSTER_WAIT_MS; /* validate reported it */
	return tfp_wait_now_ms() + ms;
}

/* What is left until deadline, for the next wait. */
static long cluster_left(int64_t deadline)
{
	int64_t left = deadline - tfp_wait_now_ms();

	return left > 0 ? (long)left : 0;
}

/* --- create --------------------------------------------------------------- */

static const char *cluster_token(struct tfp_call *call)
{
	unsigned char r[16];
	char *hex = tfp_arena_alloc(call->arena, 2 * sizeof(r) + 1);
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return NULL; /* no token: a lost answer cannot be retried */
	for (i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	return tfp_arena_printf(call->arena, "brickform-%s", hex);
}

static int cluster_create_once(const char **id, struct tfp_call *call,
			       cJSON *spec)
{
	cJSON *reply = NULL;
	int tries, error = TFP_ERROR;

	if (cJSON_GetObjectItemCaseSensitive(spec, "idempotency_token") ==
	    NULL) {
		const char *token = cluster_token(call);

		if (token != NULL)
			cJSON_AddStringToObject(spec, "idempotency_token",
						token);
	}
	for (tries = 1; tries <= CLUSTER_CREATE_TRIES; tries++) {
		error = tfp_rest_post(&reply, call, "/api/2.1/clusters/create",
				      spec);
		if (error != TFP_EUNCERTAIN ||
		    cJSON_GetObjectItemCaseSensitive(
			    spec, "idempotency_token") == NULL ||
		    tries == CLUSTER_CREATE_TRIES)
			break;
		/* The token makes the repeat return the first cluster. */
		tfp_log(TFP_LOG_INFO, "cluster",
			"the answer to creating a cluster was lost; asking "
			"again with the same idempotency token (try %d of %d)",
			tries + 1, CLUSTER_CREATE_TRIES);
		tfp_diags_drop_last(call->diags);
	}
	if (error < 0)
		return error;
	*id = tfp_json_string(reply, "cluster_id");
	if (*id == NULL)
		return tfp_call_fail(call, "%s",
				    "POST /api/2.1/clusters/create answered "
				    "without a cluster_id.");
	return TFP_OK;
}

static bool cluster_no_wait(const struct tfp_value *plan)
{
	return tfp_value_get_bool(plan, "no_wait", false);
}

static int cluster_create(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *plan)
{
	const struct tfp_value *libs = tfp_value_get(plan, "library");
	int64_t deadline = cluster_deadline(plan, "create");
	const char *id = NULL;
	cJSON *spec = NULL;
	bool installed = false;
	int error;

	error = cluster_spec_json(&spec, call, plan);
	if (error < 0)
		return error;
	error = cluster_create_once(&id, call, spec);
	if (error < 0 || id == NULL) /* id is set on success */
		return error < 0 ? error : TFP_ERROR;
	tfp_log(TFP_LOG_INFO, "cluster", "created cluster %s", id);
	/* From here on the cluster exists: every error still returns it. */
	if (tfp_value_get_bool(plan, "is_pinned", false))
		error = tfp_compute__cluster_post(call, "pin", id);
	if (error == TFP_OK)
		error = tfp_compute__cluster_libraries_change(&installed, call, id,
						      NULL, libs);
	if (error == TFP_OK && !cluster_no_wait(plan)) {
		error = tfp_compute__cluster_wait_running(NULL, call, id,
						  cluster_left(deadline));
		if (error == TFP_OK && installed)
			error = tfp_compute__cluster_libraries_wait(
				call, id, cluster_left(deadline));
	}
	return cluster_read_back(out, call, plan, id, error);
}

/* --- update --------------------------------------------------------------- */

/* x and y are equal where y is known (y's unknowns are the workspace's to
 * choose, so they are no change). */
static bool cluster_same(const struct tfp_value *x, const struct tfp_value *y)
{
	size_t i;

	if (tfp_value_is_unknown(y))
		return true;
	if (!tfp_value_is_known(x) || tfp_value_is_null(x) ||
	    tfp_value_is_null(y) || x->u.coll.n != y->u.coll.n)
		return tfp_value_equal(x, y);
	switch (y->type->kind) {
	case TFP_KIND_LIST:
	case TFP_KIND_OBJECT:
		for (i = 0; i < y->u.coll.n; i++)
			if (!cluster_same(x->u.coll.items[i],
					  y->u.coll.items[i]))
				return false;
		return true;
	default:
		return tfp_value_equal(x, y);
	}
}

static bool cluster_is_size(const char *name)
{
	return strcmp(name, "num_workers") == 0 ||
	       strcmp(name, "autoscale") == 0;
}

/* Which spec fields (sent to clusters/edit) differ: the size ones and
 * the others. */
static void cluster_diff(bool *size, bool *other, const struct tfp_value *prior,
			 const struct tfp_value *plan)
{
	const struct tfp_attr *a;
	const struct tfp_block *b;

	*size = *other = false;
	for (a = cluster_attrs; a->name != NULL; a++) {
		if ((a->flags & TFP_NO_JSON) || !(a->flags & (TFP_OPTIONAL |
							      TFP_REQUIRED)))
			continue;
		if (cluster_same(tfp_value_get(prior, a->name),
				 tfp_value_get(plan, a->name)))
			continue;
		*(cluster_is_size(a->name) ? size : other) = true;
	}
	for (b = cluster_blocks; b->name != NULL; b++) {
		const struct tfp_value *want = tfp_value_get(plan, b->name);

		if (b->flags & TFP_NO_JSON)
			continue;
		/* Leaving out a block the workspace fills (after an import,
		 * aws_attributes) asks for no change: the edit would send
		 * nothing new and restart the cluster for nothing. */
		if ((b->flags & TFP_SERVER_FILLED) && tfp_value_is_known(want) &&
		    want->u.coll.n == 0)
			continue;
		if (cluster_same(tfp_value_get(prior, b->name), want))
			continue;
		*(cluster_is_size(b->name) ? size : other) = true;
	}
}

/* Resize or edit, as cheaply as the cluster's state allows. */
static int cluster_change_spec(struct tfp_call *call, const char *id,
			       const struct tfp_value *plan, bool size_only,
			       int64_t deadline)
{
	const char *state;
	cJSON *details = NULL, *spec = NULL;
	int error;

	error = cluster_spec_json(&spec, call, plan);
	if (error < 0)
		return error;
	error = tfp_compute__cluster_wait_settled(&details, call, id,
					  cluster_left(deadline));
	if (error < 0)
		return error;
	state = tfp_json_string(details, "state");
	if (state != NULL && strcmp(state, "RUNNING") == 0 && size_only) {
		tfp_log(TFP_LOG_INFO, "cluster",
			"resizing running cluster %s without a restart", id);
		error = tfp_compute__cluster_resize(call, id, spec);
	} else {
		tfp_log(TFP_LOG_INFO, "cluster", "editing %s cluster %s",
			state != NULL ? state : "UNKNOWN", id);
		error = tfp_compute__cluster_edit(call, id, spec,
					  cluster_left(deadline));
	}
	if (error < 0 || cluster_no_wait(plan) || state == NULL ||
	    strcmp(state, "RUNNING") != 0)
		return error;
	/* A running cluster resizes or restarts: wait until it runs again. */
	return tfp_compute__cluster_wait_running(NULL, call, id,
					 cluster_left(deadline));
}

static int cluster_update(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan)
{
	const char *id = cluster_id_of(prior);
	int64_t deadline = cluster_deadline(plan, "update");
	bool size, other, installed = false, pin;
	int error = TFP_OK;

	if (id == NULL)
		return tfp_call_fail(call, "%s", "The state has no cluster_id.");
	cluster_diff(&size, &other, prior, plan);
	if (size || other)
		error = cluster_change_spec(call, id, plan, !other, deadline);
	pin = tfp_value_get_bool(plan, "is_pinned", false);
	if (error == TFP_OK &&
	    pin != tfp_value_get_bool(prior, "is_pinned", false))
		error = tfp_compute__cluster_post(call, pin ? "pin" : "unpin", id);
	if (error == TFP_OK)
		error = tfp_compute__cluster_libraries_change(
			&installed, call, id, tfp_value_get(prior, "library"),
			tfp_value_get(plan, "library"));
	if (error == TFP_OK && installed && !cluster_no_wait(plan)) {
		cJSON *details = NULL;

		const char *state;

		error = tfp_compute__cluster_get(&details, call, id);
		state = tfp_json_string(details, "state");
		if (error == TFP_OK && state != NULL &&
		    strcmp(state, "RUNNING") == 0)
			error = tfp_compute__cluster_libraries_wait(
				call, id, cluster_left(deadline));
	}
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call,
				     "Cluster %s no longer exists (%s). "
				     "Refresh to plan creating it again.",
				     id, call->last_error.message);
	return cluster_read_back(out, call, plan, id, error);
}

/* --- read, delete, import ------------------------------------------------- */

static int cluster_read(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *prior)
{
	const char *id = cluster_id_of(prior);
	/* An import's skeleton has no spark_version, which every state has. */
	bool imported = tfp_value_get_string(prior, "spark_version") == NULL;
	cJSON *details = NULL;
	int error;

	if (id == NULL)
		return tfp_call_fail(call, "%s", "The state has no cluster_id.");
	error = tfp_compute__cluster_refresh(&details, call, id);
	if (error < 0)
		return error;
	return cluster_state(out, call, prior->type, details,
			     imported ? NULL : prior, prior, imported);
}

static int cluster_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const char *id = cluster_id_of(prior);
	int error;

	if (id == NULL)
		return TFP_OK;
	/* The workspace refuses to delete a pinned cluster. */
	if (tfp_value_get_bool(prior, "is_pinned", false)) {
		error = tfp_compute__cluster_post(call, "unpin", id);
		if (error < 0)
			return error;
	}
	error = tfp_compute__cluster_post(call, "permanent-delete", id);
	if (error == TFP_ERROR &&
	    strstr(call->last_error.message, "unpin the cluster first") !=
		    NULL) {
		/* Pinned since the last refresh. */
		tfp_diags_drop_last(call->diags);
		error = tfp_compute__cluster_post(call, "unpin", id);
		if (error == TFP_OK)
			error = tfp_compute__cluster_post(call, "permanent-delete", id);
	}
	return error;
}

static int cluster_import(struct tfp_value **out, struct tfp_call *call,
			  const struct tfp_type *type, const char *id)
{
	struct tfp_value *v = tfp_value_object(call->arena, type);

	/* The read that follows reads the libraries (cluster_state). */
	call->private_out.data = (const uint8_t *)CLUSTER_IMPORTED;
	call->private_out.len = strlen(CLUSTER_IMPORTED);
	call->private_set = true;

	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, "cluster_id", id);
	*out = v;
	return TFP_OK;
}

/* --- plan and validation -------------------------------------------------- */

static bool cluster_has_block(const struct tfp_value *obj, const char *name)
{
	const struct tfp_value *v = tfp_value_get(obj, name);

	return tfp_value_is_known(v) && v->u.coll.n > 0;
}

/* Numeric and boolean defaults, and num_workers' dependence on autoscale. */
static int cluster_modify_plan(struct tfp_call *call,
			       const struct tfp_value *prior,
			       const struct tfp_value *config,
			       struct tfp_value *plan)
{
	const struct tfp_value *autoscale = tfp_value_get(config, "autoscale");

	(void)prior;
	if (!tfp_value_is_known(plan) || !tfp_value_is_known(config))
		return TFP_OK;
	if (tfp_value_is_null(tfp_value_get(config, "autotermination_minutes")))
		tfp_value_set(plan, "autotermination_minutes",
			      tfp_value_int(call->arena, 60));
	if (tfp_value_is_null(tfp_value_get(config, "is_pinned")))
		tfp_value_set(plan, "is_pinned",
			      tfp_value_bool(call->arena, false));
	if (tfp_value_is_null(tfp_value_get(config, "num_workers")) &&
	    tfp_value_is_known(autoscale))
		tfp_value_set(plan, "num_workers",
			      autoscale->u.coll.n > 0
				      ? tfp_value_null(call->arena,
						       &tfp_type_number)
				      : tfp_value_int(call->arena, 0));
	return TFP_OK;
}

static int cluster_validate(struct tfp_call *call,
			    const struct tfp_value *config)
{
	const struct tfp_value *tags = tfp_value_get(config, "custom_tags");
	const struct tfp_value *keys = tfp_value_get(config, "ssh_public_keys");
	const struct tfp_value *workers = tfp_value_get(config, "num_workers");
	const struct tfp_value *pool = tfp_value_get(config,
						     "instance_pool_id");
	const struct tfp_value *node = tfp_value_get(config, "node_type_id");
	int error = TFP_OK;

	if (tfp_value_is_known(workers) && !tfp_value_is_null(workers)) {
		const struct tfp_path *p = tfp_path_attr(call->arena, NULL,
						   "num_workers");

		if (cluster_validate_workers(call->diags, p, workers) < 0)
			error = TFP_ERROR;
		else if (cluster_has_block(config, "autoscale"))
			error = tfp_diag_attr_error(
				call->diags, p, "Conflicting arguments",
				"Set num_workers or an autoscale block, not "
				"both.");
	}
	if (tfp_value_is_known(pool) && !tfp_value_is_null(pool) &&
	    tfp_value_is_known(node) && !tfp_value_is_null(node))
		error = tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "node_type_id"),
			"Conflicting arguments",
			"A cluster from an instance pool takes the pool's node "
			"type: set node_type_id or instance_pool_id, not "
			"both.");
	if (tfp_value_is_known(tags) && !tfp_value_is_null(tags) &&
	    tags->u.coll.n > CLUSTER_MAX_TAGS)
		error = tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "custom_tags"),
			"Too many custom tags",
			"A cluster takes at most %d custom tags; this one has "
			"%zu.",
			CLUSTER_MAX_TAGS, tags->u.coll.n);
	if (tfp_value_is_known(keys) && !tfp_value_is_null(keys) &&
	    keys->u.coll.n > CLUSTER_MAX_SSH_KEYS)
		error = tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "ssh_public_keys"),
			"Too many SSH keys",
			"A cluster takes at most %d SSH public keys; this one "
			"has %zu.",
			CLUSTER_MAX_SSH_KEYS, keys->u.coll.n);
	return error;
}

const struct tfp_resource tfp_resource_cluster = {
	.type_name = "databricks_cluster",
	/* The official provider's: a state it wrote loads here. */
	.schema_version = 4,
	.attrs = cluster_attrs,
	.blocks = cluster_blocks,
	.desc = "An all-purpose Databricks cluster with its libraries. "
		"Changes take the cheapest path: a size change on a running "
		"cluster resizes it, other changes edit it (a running cluster "
		"restarts, a terminated one stays terminated), pins and "
		"libraries change without an edit.",
	.create = cluster_create,
	.read = cluster_read,
	.delete = cluster_delete,
	.update = cluster_update,
	.import = cluster_import,
	.modify_plan = cluster_modify_plan,
	.validate = cluster_validate,
};
