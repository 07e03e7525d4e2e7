/*
 * Unit tests for the emulated Clusters and Libraries APIs
 * (emulator/clusters*.c, emulator/libraries.c), driven through the router
 * with constructed requests (no network): create/get with the
 * server-filled fields, the state machine on the workspace clock, every
 * INVALID_STATE rule, the 400 "Cluster <id> does not exist" quirk, list
 * filters and paging, permanent-delete of a pinned cluster, events paging
 * through next_page, spec validation, update_mask, the library timeline
 * and uninstall-on-restart, the fail-next-start and settings controls,
 * the catalogues, and --state persistence.
 *
 * Times: the clock is real time plus emu_workspace_advance_clock(), so
 * every check keeps MARGIN (1 s) away from a transition.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "compute/clusters_internal.h"
#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

/* The bearer token of call() and call_ok() (emu_test.h). */
#define EMU_TEST_TOKEN "dapi-clusters-test"
#include "emu_test.h"

/*
 * workspace() makes clusters start in START ms and resize, terminate and
 * install libraries in STEP ms; the checks stay MARGIN away from every
 * transition, so a test descheduled for less than that still passes.
 */
#define START  30000
#define STEP   10000
#define MARGIN 1000

/* A valid cluster spec body without the closing brace. */
#define SPEC                                                                   \
	"{\"spark_version\":\"15.4.x-scala2.12\","                             \
	"\"node_type_id\":\"i3.xlarge\""

/* --- helpers -------------------------------------------------------------- */

static void ok(struct emu_workspace *ws, const char *method, const char *target,
	       const char *body)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, NULL);
}

/* Expects status and code; message must equal exact or contain part. */
static void fails(struct emu_workspace *ws, const char *method,
		  const char *target, const char *body, int status,
		  const char *code, const char *exact, const char *part)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, status, code,
		       exact, part);
}

static void invalid(struct emu_workspace *ws, const char *target,
		    const char *body, const char *part)
{
	fails(ws, "POST", target, body, 400, "INVALID_PARAMETER_VALUE", NULL,
	      part);
}

static const char *str_at(const cJSON *obj, const char *path)
{
	const cJSON *item = emu_test_member(obj, path);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Creates a cluster from body through version v; returns its id. */
static char *create_v(struct emu_workspace *ws, const char *v, const char *body)
{
	char *target = emu_printf("/api/%s/clusters/create", v);
	struct emu_test_result r = call_ok(ws, "POST", target, body);
	char *id = emu_xstrdup(emu_test_str(r.json, "cluster_id"));

	assert_non_null(id);
	free(target);
	emu_test_result_dispose(&r);
	return id;
}

static char *create(struct emu_workspace *ws, const char *body)
{
	return create_v(ws, "2.1", body);
}

static struct emu_test_result get(struct emu_workspace *ws, const char *id)
{
	char *target = emu_printf("/api/2.1/clusters/get?cluster_id=%s", id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	free(target);
	return r;
}

static void expect_state(struct emu_workspace *ws, const char *id,
			 const char *state)
{
	struct emu_test_result r = get(ws, id);

	if (strcmp(str_at(r.json, "state"), state) != 0)
		fprintf(stderr, "expected %s: %s\n", state, r.text);
	assert_string_equal(str_at(r.json, "state"), state);
	emu_test_result_dispose(&r);
}

/* POST /api/2.1/clusters/<op> {"cluster_id": id<extra>}: 200. */
static void op(struct emu_workspace *ws, const char *name, const char *id,
	       const char *extra)
{
	char *target = emu_printf("/api/2.1/clusters/%s", name);
	char *body =
		emu_printf("{\"cluster_id\":\"%s\"%s}", id, extra ? extra : "");

	ok(ws, "POST", target, body);
	free(target);
	free(body);
}

/* The same, expecting 400 INVALID_STATE in state word. */
static void op_invalid_state(struct emu_workspace *ws, const char *name,
			     const char *id, const char *extra,
			     const char *word)
{
	char *target = emu_printf("/api/2.1/clusters/%s", name);
	char *body =
		emu_printf("{\"cluster_id\":\"%s\"%s}", id, extra ? extra : "");
	char *msg =
		emu_printf("Cluster %s is in unexpected state %s.", id, word);

	fails(ws, "POST", target, body, 400, "INVALID_STATE", msg, NULL);
	free(target);
	free(body);
	free(msg);
}

/* A running cluster from body (start delay elapsed). */
static char *running(struct emu_workspace *ws, const char *body)
{
	char *id = create(ws, body);

	emu_workspace_advance_clock(ws, START + MARGIN);
	expect_state(ws, id, "RUNNING");
	return id;
}

/* The delays of workspace(). */
static struct emu_workspace *workspace(void)
{
	struct emu_clusters_delays test = {START, STEP, STEP, STEP};
	struct emu_clusters_delays defaults = {
		EMU_CLUSTERS_DEFAULT_START_MS, EMU_CLUSTERS_DEFAULT_RESIZE_MS,
		EMU_CLUSTERS_DEFAULT_TERMINATE_MS,
		EMU_CLUSTERS_DEFAULT_LIBRARY_MS};
	struct emu_workspace *ws;

	emu_clusters_set_defaults(&test);
	ws = emu_workspace_new(NULL);
	emu_clusters_set_defaults(&defaults);
	return ws;
}

/* cmocka setup: workspace() in *state (emu_test_teardown frees it). */
static int setup(void **state)
{
	*state = workspace();
	return 0;
}

/* --- create and get ------------------------------------------------------- */

static void test_emu_clusters__create_get_defaults(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const char *id_text;
	char *id, *pool;
	size_t i;

	id = create_v(ws, "2.0",
		      SPEC
		      ",\"cluster_name\":\"etl\",\"num_workers\":2,"
		      "\"aws_attributes\":{\"availability\":\"ON_DEMAND\"},"
		      "\"custom_tags\":{\"team\":\"data\"},"
		      "\"apply_policy_default_values\":false}");
	/* MMDD-HHMMSS-xxxxxxxx */
	assert_int_equal(strlen(id), 20);
	for (i = 0; i < 20; i++) {
		if (i == 4 || i == 11)
			assert_int_equal(id[i], '-');
		else if (i < 11)
			assert_true(id[i] >= '0' && id[i] <= '9');
		else
			assert_true((id[i] >= '0' && id[i] <= '9') ||
				    (id[i] >= 'a' && id[i] <= 'z'));
	}
	r = get(ws, id);
	id_text = str_at(r.json, "cluster_id");
	assert_string_equal(id_text, id);
	assert_string_equal(str_at(r.json, "state"), "PENDING");
	assert_string_equal(str_at(r.json, "state_message"),
			    "Finding instances for new nodes, acquiring more "
			    "instances if necessary");
	assert_string_equal(str_at(r.json, "creator_user_name"),
			    EMU_DEFAULT_USER_NAME);
	assert_string_equal(str_at(r.json, "cluster_source"), "API");
	assert_string_equal(str_at(r.json, "driver_node_type_id"), "i3.xlarge");
	assert_true(
		cJSON_IsTrue(emu_test_member(r.json, "enable_elastic_disk")));
	assert_true(cJSON_IsObject(emu_test_member(r.json, "disk_spec")));
	assert_string_equal(str_at(r.json, "default_tags.Vendor"),
			    "Databricks");
	assert_string_equal(str_at(r.json, "default_tags.Creator"),
			    EMU_DEFAULT_USER_NAME);
	assert_string_equal(str_at(r.json, "default_tags.ClusterName"), "etl");
	assert_string_equal(str_at(r.json, "default_tags.ClusterId"), id);
	assert_string_equal(str_at(r.json, "custom_tags.team"), "data");
	/* The AWS quirk: defaults filled around what was sent. */
	assert_string_equal(str_at(r.json, "aws_attributes.availability"),
			    "ON_DEMAND");
	assert_string_equal(str_at(r.json, "aws_attributes.zone_id"),
			    "us-west-2a");
	assert_int_equal(emu_test_int(r.json, "aws_attributes.first_on_demand"),
			 1);
	assert_int_equal(
		emu_test_int(r.json, "aws_attributes.spot_bid_price_percent"),
		100);
	/* spec is what the client sent, without the defaults. */
	assert_null(emu_test_member(r.json, "spec.aws_attributes.zone_id"));
	assert_int_equal(emu_test_int(r.json, "spec.num_workers"), 2);
	assert_null(emu_test_member(r.json, "apply_policy_default_values"));
	assert_true(emu_test_int(r.json, "start_time") > 0);
	assert_null(emu_test_member(r.json, "cluster_memory_mb"));
	assert_null(emu_test_member(r.json, "termination_reason"));
	assert_null(emu_test_member(r.json, "terminated_time"));
	emu_test_result_dispose(&r);
	free(id);

	/* num_workers defaults to 0; autoscale clusters have none. */
	id = create(ws, SPEC "}");
	r = get(ws, id);
	assert_int_equal(emu_test_int(r.json, "num_workers"), 0);
	assert_string_equal(str_at(r.json, "cluster_name"), "");
	emu_test_result_dispose(&r);
	free(id);
	id = create(ws, SPEC ",\"autoscale\":{\"min_workers\":1,"
			     "\"max_workers\":4}}");
	r = get(ws, id);
	assert_null(emu_test_member(r.json, "num_workers"));
	assert_int_equal(emu_test_int(r.json, "autoscale.max_workers"), 4);
	emu_test_result_dispose(&r);
	free(id);

	/* Pool clusters run on the pool's node type (pools.c) and get no
	 * aws_attributes defaults. */
	r = call_ok(ws, "POST", "/api/2.0/instance-pools/create",
		    "{\"instance_pool_name\":\"p\","
		    "\"node_type_id\":\"i3.2xlarge\"}");
	pool = emu_printf("{\"spark_version\":\"16.4.x-scala2.12\","
			  "\"instance_pool_id\":\"%s\"}",
			  emu_test_str(r.json, "instance_pool_id"));
	emu_test_result_dispose(&r);
	id = create(ws, pool);
	free(pool);
	r = get(ws, id);
	assert_null(emu_test_member(r.json, "aws_attributes"));
	assert_string_equal(str_at(r.json, "node_type_id"), "i3.2xlarge");
	assert_string_equal(str_at(r.json, "driver_node_type_id"),
			    "i3.2xlarge");
	emu_test_result_dispose(&r);
	free(id);
}

static void test_emu_clusters__idempotency_token(void **state)
{
	struct emu_workspace *ws = *state;
	char *a, *b, *c;

	a = create(ws, SPEC ",\"idempotency_token\":\"tok-1\"}");
	b = create(ws, SPEC ",\"idempotency_token\":\"tok-1\"}");
	c = create(ws, SPEC ",\"idempotency_token\":\"tok-2\"}");
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	free(a);
	free(b);
	free(c);
}

/* A token only dedups against a cluster that is not TERMINATED, as of the
 * create (no read in between advances the state). */
static void test_emu_clusters__idempotency_token_terminated(void **state)
{
	struct emu_workspace *ws = *state;
	const char *body = SPEC ",\"idempotency_token\":\"tok-t\"}";
	char *a, *b, *c;

	a = running(ws, body);
	op(ws, "delete", a, NULL);
	b = create(ws, body); /* TERMINATING still counts */
	assert_string_equal(a, b);
	free(b);
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	b = create(ws, body);
	assert_string_not_equal(a, b);
	expect_state(ws, a, "TERMINATED");
	expect_state(ws, b, "PENDING");
	c = create(ws, body); /* the new one is found from now on */
	assert_string_equal(b, c);
	free(a);
	free(b);
	free(c);
}

/* --- the state machine ---------------------------------------------------- */

static void test_emu_clusters__state_machine(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	int64_t start, ctx1, ctx2;
	char *id;

	id = create(ws, SPEC ",\"num_workers\":2}");
	r = get(ws, id);
	start = emu_test_int(r.json, "start_time");
	emu_test_result_dispose(&r);
	emu_workspace_advance_clock(ws, START - MARGIN);
	expect_state(ws, id, "PENDING");
	emu_workspace_advance_clock(ws, 2 * MARGIN);
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "RUNNING");
	assert_string_equal(str_at(r.json, "state_message"), "");
	assert_int_equal(emu_test_int(r.json, "start_time"), start);
	assert_true(emu_test_int(r.json, "last_restarted_time") >=
		    start + START);
	assert_int_equal(emu_test_int(r.json, "cluster_memory_mb"), 3 * 31232);
	assert_int_equal(emu_test_int(r.json, "cluster_cores"), 12);
	ctx1 = emu_test_int(r.json, "spark_context_id");
	assert_true(ctx1 > 0 && ctx1 <= EMU_JSON_MAX_INT);
	emu_test_result_dispose(&r);

	/* RUNNING -> RESIZING -> RUNNING with the new size. */
	op(ws, "resize", id, ",\"num_workers\":5");
	expect_state(ws, id, "RESIZING");
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "RUNNING");
	assert_int_equal(emu_test_int(r.json, "num_workers"), 5);
	assert_int_equal(emu_test_int(r.json, "spec.num_workers"), 5);
	assert_int_equal(emu_test_int(r.json, "spark_context_id"), ctx1);
	emu_test_result_dispose(&r);

	/* RUNNING -> RESTARTING -> RUNNING with a new Spark context. */
	op(ws, "restart", id, NULL);
	expect_state(ws, id, "RESTARTING");
	emu_workspace_advance_clock(ws, START + MARGIN);
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "RUNNING");
	ctx2 = emu_test_int(r.json, "spark_context_id");
	assert_true(ctx2 != ctx1);
	emu_test_result_dispose(&r);

	/* delete = terminate: TERMINATING -> TERMINATED, by the user. */
	op(ws, "delete", id, NULL);
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "TERMINATING");
	assert_string_equal(str_at(r.json, "termination_reason.code"),
			    "USER_REQUEST");
	assert_string_equal(str_at(r.json, "termination_reason.type"),
			    "SUCCESS");
	assert_string_equal(
		str_at(r.json, "termination_reason.parameters.username"),
		EMU_DEFAULT_USER_NAME);
	assert_null(emu_test_member(r.json, "terminated_time"));
	emu_test_result_dispose(&r);
	op(ws, "delete", id, NULL); /* no-op while terminating */
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "TERMINATED");
	assert_true(emu_test_int(r.json, "terminated_time") > start);
	assert_null(emu_test_member(r.json, "cluster_memory_mb"));
	emu_test_result_dispose(&r);
	op(ws, "delete", id, NULL); /* no-op when terminated */
	expect_state(ws, id, "TERMINATED");

	/* TERMINATED -> PENDING via start, same id, reason cleared. */
	op(ws, "start", id, NULL);
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "PENDING");
	assert_null(emu_test_member(r.json, "termination_reason"));
	emu_test_result_dispose(&r);
	emu_workspace_advance_clock(ws, START + MARGIN);
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "RUNNING");
	assert_true(emu_test_int(r.json, "spark_context_id") != ctx2);
	emu_test_result_dispose(&r);
	free(id);
}

static void test_emu_clusters__invalid_state_rules(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *body;
	int64_t ctx;

	id = create(ws, SPEC "}");
	/* PENDING: nothing but delete, pin and reads. */
	op_invalid_state(ws, "start", id, NULL, "Pending");
	op_invalid_state(ws, "restart", id, NULL, "Pending");
	op_invalid_state(ws, "resize", id, ",\"num_workers\":3", "Pending");
	body = emu_printf(",\"spark_version\":\"15.4.x-scala2.12\","
			  "\"node_type_id\":\"i3.xlarge\"");
	op_invalid_state(ws, "edit", id, body, "Pending");
	op_invalid_state(ws, "update", id,
			 ",\"update_mask\":\"num_workers\","
			 "\"cluster\":{\"num_workers\":3}",
			 "Pending");
	/* RUNNING: start is refused. */
	emu_workspace_advance_clock(ws, START + MARGIN);
	op_invalid_state(ws, "start", id, NULL, "Running");
	/* RESIZING refuses another resize and edit. */
	op(ws, "resize", id, ",\"num_workers\":2");
	op_invalid_state(ws, "resize", id, ",\"num_workers\":3", "Resizing");
	op_invalid_state(ws, "edit", id, body, "Resizing");
	emu_workspace_advance_clock(ws, STEP + MARGIN);

	/* Edit while RUNNING restarts with the new config. */
	r = get(ws, id);
	ctx = emu_test_int(r.json, "spark_context_id");
	emu_test_result_dispose(&r);
	op(ws, "edit", id,
	   ",\"spark_version\":\"16.4.x-scala2.12\","
	   "\"node_type_id\":\"m5d.xlarge\",\"num_workers\":1");
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "RESTARTING");
	assert_string_equal(str_at(r.json, "spark_version"),
			    "16.4.x-scala2.12");
	emu_test_result_dispose(&r);
	op_invalid_state(ws, "restart", id, NULL, "Restarting");
	op_invalid_state(ws, "edit", id, body, "Restarting");
	emu_workspace_advance_clock(ws, START + MARGIN);
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "RUNNING");
	assert_true(emu_test_int(r.json, "spark_context_id") != ctx);
	assert_int_equal(emu_test_int(r.json, "cluster_memory_mb"), 2 * 16384);
	emu_test_result_dispose(&r);

	/* TERMINATING refuses start; TERMINATED refuses resize and
	 * restart, but takes an edit and stays TERMINATED. */
	op(ws, "delete", id, NULL);
	op_invalid_state(ws, "start", id, NULL, "Terminating");
	op_invalid_state(ws, "edit", id, body, "Terminating");
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	op_invalid_state(ws, "resize", id, ",\"num_workers\":3", "Terminated");
	op_invalid_state(ws, "restart", id, NULL, "Terminated");
	op(ws, "edit", id,
	   ",\"spark_version\":\"14.3.x-scala2.12\","
	   "\"node_type_id\":\"i3.xlarge\",\"num_workers\":4");
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "TERMINATED");
	assert_string_equal(str_at(r.json, "spark_version"),
			    "14.3.x-scala2.12");
	emu_test_result_dispose(&r);
	free(body);
	free(id);
}

static void test_emu_clusters__missing_cluster_is_400(void **state)
{
	static const char *const posts[] = {
		"/api/2.1/clusters/start",
		"/api/2.0/clusters/delete",
		"/api/2.1/clusters/restart",
		"/api/2.1/clusters/permanent-delete",
		"/api/2.1/clusters/pin",
		"/api/2.0/clusters/unpin",
		"/api/2.1/clusters/events",
		"/api/2.0/libraries/install",
	};
	struct emu_workspace *ws = *state;
	const char *msg = "Cluster 0101-000000-nothere1 does not exist";
	size_t i;

	fails(ws, "GET",
	      "/api/2.1/clusters/get?cluster_id=0101-000000-nothere1", NULL,
	      400, "INVALID_PARAMETER_VALUE", msg, NULL);
	fails(ws, "GET",
	      "/api/2.0/libraries/cluster-status?cluster_id=0101-000000-"
	      "nothere1",
	      NULL, 400, "INVALID_PARAMETER_VALUE", msg, NULL);
	for (i = 0; i < EMU_ARRAY_SIZE(posts); i++)
		fails(ws, "POST", posts[i],
		      "{\"cluster_id\":\"0101-000000-nothere1\","
		      "\"libraries\":[{\"jar\":\"/a.jar\"}]}",
		      400, "INVALID_PARAMETER_VALUE", msg, NULL);
	fails(ws, "POST", "/api/2.1/clusters/edit",
	      SPEC ",\"cluster_id\":\"0101-000000-nothere1\"}", 400,
	      "INVALID_PARAMETER_VALUE", msg, NULL);
	fails(ws, "GET", "/api/2.1/clusters/get", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: cluster_id",
	      NULL);
}

/* --- list ----------------------------------------------------------------- */

static size_t list_count(struct emu_workspace *ws, const char *target)
{
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	size_t n =
		(size_t)cJSON_GetArraySize(emu_test_member(r.json, "clusters"));

	emu_test_result_dispose(&r);
	return n;
}

static void test_emu_clusters__list_filters_and_pages(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *ids[5], *body, *target, *policy;
	const char *token;
	size_t i, seen = 0;

	/* A policy_id must name a policy; filter_by.policy_id finds it. */
	r = call_ok(ws, "POST", "/api/2.0/policies/clusters/create",
		    "{\"name\":\"p1\"}");
	policy = emu_xstrdup(emu_test_str(r.json, "policy_id"));
	emu_test_result_dispose(&r);
	for (i = 0; i < 5; i++) {
		body = emu_printf(SPEC ",\"cluster_name\":\"c%zu\"%s%s%s}", i,
				  i == 4 ? ",\"policy_id\":\"" : "",
				  i == 4 ? policy : "", i == 4 ? "\"" : "");
		ids[i] = create(ws, body);
		free(body);
	}
	emu_workspace_advance_clock(ws, START + MARGIN);
	op(ws, "pin", ids[1], NULL);
	op(ws, "pin", ids[3], NULL);
	op(ws, "delete", ids[2], NULL);

	assert_int_equal(list_count(ws, "/api/2.1/clusters/list?"), 5);
	assert_int_equal(list_count(ws, "/api/2.0/clusters/list"), 5);
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list?filter_by."
					"is_pinned=true&page_size=100"),
			 2);
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list?filter_by."
					"is_pinned=false"),
			 3);
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list?filter_by."
					"cluster_states=TERMINATING"),
			 1);
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list?filter_by."
					"cluster_states=RUNNING&filter_by."
					"cluster_states=TERMINATING"),
			 5);
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list?filter_by."
					"cluster_states=PENDING"),
			 0);
	target = emu_printf("/api/2.1/clusters/list?filter_by.policy_id=%s",
			    policy);
	assert_int_equal(list_count(ws, target), 1);
	free(target);
	free(policy);
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list?filter_by."
					"cluster_sources=API"),
			 5);
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list?filter_by."
					"cluster_sources=JOB"),
			 0);
	fails(ws, "GET",
	      "/api/2.1/clusters/list?filter_by.cluster_states=SLEEPING", NULL,
	      400, "INVALID_PARAMETER_VALUE", NULL, "SLEEPING");

	/* Default order: active first, pinned first, then by name. */
	r = call_ok(ws, "GET", "/api/2.1/clusters/list", NULL);
	assert_string_equal(
		str_at(cJSON_GetArrayItem(emu_test_member(r.json, "clusters"),
					  0),
		       "cluster_name"),
		"c1");
	assert_string_equal(
		str_at(cJSON_GetArrayItem(emu_test_member(r.json, "clusters"),
					  4),
		       "cluster_name"),
		"c2");
	/* No spec in list items. */
	assert_null(emu_test_member(
		cJSON_GetArrayItem(emu_test_member(r.json, "clusters"), 0),
		"spec"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET",
		    "/api/2.1/clusters/list?sort_by.field=CLUSTER_NAME&"
		    "sort_by.direction=DESC",
		    NULL);
	assert_string_equal(
		str_at(cJSON_GetArrayItem(emu_test_member(r.json, "clusters"),
					  0),
		       "cluster_name"),
		"c4");
	emu_test_result_dispose(&r);

	/* Pages of 2: 2 + 2 + 1, tokens both ways. */
	target = emu_xstrdup("/api/2.1/clusters/list?page_size=2");
	for (i = 0; i < 3; i++) {
		r = call_ok(ws, "GET", target, NULL);
		free(target);
		seen += (size_t)cJSON_GetArraySize(
			emu_test_member(r.json, "clusters"));
		if (i == 0)
			assert_null(emu_test_member(r.json, "prev_page_token"));
		else
			assert_non_null(str_at(r.json, "prev_page_token"));
		token = str_at(r.json, "next_page_token");
		if (i < 2) {
			assert_non_null(token);
			target = emu_printf("/api/2.1/clusters/list?page_size="
					    "2&page_token=%s",
					    token);
		} else {
			assert_null(token);
			target = NULL;
		}
		emu_test_result_dispose(&r);
	}
	assert_int_equal(seen, 5);
	r = call_ok(ws, "GET", "/api/2.0/clusters/list?page_size=2", NULL);
	assert_int_equal(
		cJSON_GetArraySize(emu_test_member(r.json, "clusters")), 5);
	assert_null(emu_test_member(r.json, "next_page_token"));
	emu_test_result_dispose(&r);
	fails(ws, "GET", "/api/2.1/clusters/list?page_token=garbage", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL, "page_token");
	for (i = 0; i < 5; i++)
		free(ids[i]);
}

static void test_emu_clusters__pin_and_permanent_delete(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *body, *target;

	id = create(ws, SPEC "}");
	op(ws, "pin", id, NULL);
	op(ws, "pin", id, NULL); /* idempotent */
	body = emu_printf("{\"cluster_id\":\"%s\"}", id);
	fails(ws, "POST", "/api/2.1/clusters/permanent-delete", body, 400,
	      "INVALID_PARAMETER_VALUE", NULL, "unpin the cluster first");
	expect_state(ws, id, "PENDING");
	op(ws, "unpin", id, NULL);
	op(ws, "unpin", id, NULL);
	/* One PINNED and one UNPINNED event despite the repeats. */
	r = call_ok(ws, "POST", "/api/2.1/clusters/events", body);
	assert_int_equal(emu_test_int(r.json, "total_count"), 3);
	assert_string_equal(
		str_at(cJSON_GetArrayItem(emu_test_member(r.json, "events"), 0),
		       "type"),
		"UNPINNED");
	emu_test_result_dispose(&r);
	ok(ws, "POST", "/api/2.0/clusters/permanent-delete", body);
	target = emu_printf("/api/2.1/clusters/get?cluster_id=%s", id);
	fails(ws, "GET", target, NULL, 400, "INVALID_PARAMETER_VALUE", NULL,
	      "does not exist");
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list"), 0);
	free(target);
	free(body);
	free(id);
}

/* --- events --------------------------------------------------------------- */

static void test_emu_clusters__events_pages(void **state)
{
	static const char *const expected[] = {
		"CREATING",   "RUNNING",	  "PINNED",
		"RESIZING",   "UPSIZE_COMPLETED", "EDITED",
		"RESTARTING", "RUNNING",	  "TERMINATING",
	};
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const size_t n = EMU_ARRAY_SIZE(expected);
	char *id, *body;
	size_t i, got = 0;
	int64_t last = 0;

	id = running(ws, SPEC ",\"num_workers\":1}");
	op(ws, "pin", id, NULL);
	op(ws, "resize", id, ",\"num_workers\":3");
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	op(ws, "edit", id,
	   ",\"spark_version\":\"15.4.x-scala2.12\","
	   "\"node_type_id\":\"i3.xlarge\",\"num_workers\":3");
	emu_workspace_advance_clock(ws, START + MARGIN);
	op(ws, "delete", id, NULL);

	/* ASC, 4 at a time, following next_page as the next request. */
	body = emu_printf("{\"cluster_id\":\"%s\",\"order\":\"ASC\","
			  "\"limit\":4}",
			  id);
	while (body) {
		const cJSON *events, *e, *next;

		r = call_ok(ws, "POST", "/api/2.1/clusters/events", body);
		free(body);
		body = NULL;
		assert_int_equal(emu_test_int(r.json, "total_count"),
				 (int64_t)n);
		events = emu_test_member(r.json, "events");
		assert_true(cJSON_GetArraySize(events) <= 4);
		cJSON_ArrayForEach(e, events)
		{
			assert_true(got < n);
			assert_string_equal(str_at(e, "type"), expected[got]);
			assert_string_equal(str_at(e, "cluster_id"), id);
			assert_true(emu_test_int(e, "timestamp") >= last);
			last = emu_test_int(e, "timestamp");
			assert_true(
				cJSON_IsObject(emu_test_member(e, "details")));
			got++;
		}
		next = emu_test_member(r.json, "next_page");
		if (next) {
			assert_string_equal(str_at(next, "order"), "ASC");
			assert_int_equal(emu_test_int(next, "limit"), 4);
			body = cJSON_PrintUnformatted(next);
		}
		emu_test_result_dispose(&r);
	}
	assert_int_equal(got, n);

	/* Default DESC, filtered by type, details filled. */
	body = emu_printf("{\"cluster_id\":\"%s\",\"event_types\":"
			  "[\"RUNNING\",\"RESIZING\"]}",
			  id);
	r = call_ok(ws, "POST", "/api/2.1/clusters/events", body);
	assert_int_equal(emu_test_int(r.json, "total_count"), 3);
	i = 0;
	assert_string_equal(
		str_at(cJSON_GetArrayItem(emu_test_member(r.json, "events"),
					  (int)i),
		       "type"),
		"RUNNING");
	assert_int_equal(
		emu_test_int(cJSON_GetArrayItem(
				     emu_test_member(r.json, "events"), 1),
			     "details.target_num_workers"),
		3);
	assert_null(emu_test_member(r.json, "next_page"));
	emu_test_result_dispose(&r);
	free(body);

	/* page_token form and time window. */
	body = emu_printf("{\"cluster_id\":\"%s\",\"page_size\":5}", id);
	r = call_ok(ws, "POST", "/api/2.1/clusters/events", body);
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"page_size\":5,"
			  "\"page_token\":\"%s\"}",
			  id, str_at(r.json, "next_page_token"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "POST", "/api/2.1/clusters/events", body);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(r.json, "events")),
			 4);
	assert_string_equal(
		str_at(cJSON_GetArrayItem(emu_test_member(r.json, "events"), 3),
		       "type"),
		"CREATING");
	emu_test_result_dispose(&r);
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"start_time\":%" PRId64 "}",
			  id, last);
	r = call_ok(ws, "POST", "/api/2.1/clusters/events", body);
	assert_int_equal(emu_test_int(r.json, "total_count"), 1);
	emu_test_result_dispose(&r);
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"order\":\"UP\"}", id);
	invalid(ws, "/api/2.1/clusters/events", body, "order");
	free(body);
	free(id);
}

/* An offset beyond the most events a cluster keeps is refused, so that
 * offset + limit cannot overflow. */
static void test_emu_clusters__events_offset_bounded(void **state)
{
	static const char *const bad[] = {
		"\"offset\":1001",
		"\"offset\":9007199254740991,\"limit\":500",
		"\"page_token\":\"cl-9007199254740991\"",
		"\"page_token\":\"cl-1001\"",
	};
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id = create(ws, SPEC "}"), *body;
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(bad); i++) {
		body = emu_printf("{\"cluster_id\":\"%s\",%s}", id, bad[i]);
		invalid(ws, "/api/2.1/clusters/events", body,
			"must not be more than 1000");
		free(body);
	}
	/* The bound itself is an empty page past the end. */
	body = emu_printf("{\"cluster_id\":\"%s\",\"offset\":1000,"
			  "\"limit\":500}",
			  id);
	r = call_ok(ws, "POST", "/api/2.1/clusters/events", body);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(r.json, "events")),
			 0);
	assert_int_equal(emu_test_int(r.json, "total_count"), 1);
	assert_null(emu_test_member(r.json, "next_page"));
	assert_non_null(str_at(r.json, "prev_page_token"));
	emu_test_result_dispose(&r);
	free(body);
	free(id);
}

/* --- validation and update ------------------------------------------------ */

static void test_emu_clusters__validation(void **state)
{
	struct emu_workspace *ws = *state;
	const char *t = "/api/2.1/clusters/create";
	struct emu_test_result r;
	char *body, *tags;
	char *id;
	int i;

	invalid(ws, t, "{\"node_type_id\":\"i3.xlarge\"}",
		"Missing required field: spark_version");
	invalid(ws, t,
		"{\"spark_version\":\"9.9.x-scala2.12\","
		"\"node_type_id\":\"i3.xlarge\"}",
		"Invalid spark version 9.9.x-scala2.12");
	invalid(ws, t,
		"{\"spark_version\":\"15.4.x-scala2.12\","
		"\"node_type_id\":\"x9.huge\"}",
		"Node type x9.huge is not supported");
	invalid(ws, t, "{\"spark_version\":\"15.4.x-scala2.12\"}",
		"Missing required field: node_type_id");
	invalid(ws, t, SPEC ",\"driver_node_type_id\":\"nope\"}",
		"Driver node type nope");
	invalid(ws, t, SPEC ",\"autotermination_minutes\":5}",
		"autotermination_minutes 5");
	invalid(ws, t, SPEC ",\"autotermination_minutes\":10001}",
		"autotermination_minutes 10001");
	invalid(ws, t, SPEC ",\"num_workers\":-1}", "num_workers -1");
	invalid(ws, t, SPEC ",\"num_workers\":\"two\"}",
		"'num_workers': expected an integer");
	invalid(ws, t, SPEC ",\"num_workers\":1.5}",
		"'num_workers': expected an integer");
	invalid(ws, t, SPEC ",\"num_workers\":9007199254740993}", "2^53");
	/* Nested members are named by their path. */
	invalid(ws, t, SPEC ",\"aws_attributes\":{\"first_on_demand\":\"1\"}}",
		"Invalid value for field 'aws_attributes.first_on_demand': "
		"expected an integer, got a string.");
	invalid(ws, t, SPEC ",\"autoscale\":{\"max_workers\":true}}",
		"Invalid value for field 'autoscale.max_workers': expected an "
		"integer, got a boolean.");
	invalid(ws, t,
		SPEC ",\"num_workers\":2,\"autoscale\":{\"min_workers\":1,"
		     "\"max_workers\":3}}",
		"Only one of num_workers or autoscale");
	invalid(ws, t,
		SPEC ",\"autoscale\":{\"min_workers\":4,\"max_workers\":2}}",
		"max_workers (2)");
	invalid(ws, t, SPEC ",\"autoscale\":{\"min_workers\":1}}",
		"autoscale.max_workers");
	invalid(ws, t, SPEC ",\"runtime_engine\":\"TURBO\"}", "runtime_engine");
	invalid(ws, t, SPEC ",\"spark_conf\":{\"a\":1}}", "spark_conf.a");
	invalid(ws, t, SPEC ",\"aws_attributes\":{\"availability\":\"CHEAP\"}}",
		"availability");
	invalid(ws, t,
		SPEC ",\"ssh_public_keys\":[\"1\",\"2\",\"3\",\"4\","
		     "\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}",
		"at most 10 SSH");
	tags = emu_xstrdup("");
	for (i = 0; i < 46; i++) {
		char *more =
			emu_printf("%s%s\"t%d\":\"v\"", tags, i ? "," : "", i);

		free(tags);
		tags = more;
	}
	body = emu_printf(SPEC ",\"custom_tags\":{%s}}", tags);
	invalid(ws, t, body, "at most 45 custom tags");
	free(body);
	free(tags);

	/* The accepted edges; nulls are "not given". */
	id = create(ws, SPEC ",\"autotermination_minutes\":0}");
	free(id);
	id = create(ws, SPEC ",\"autotermination_minutes\":10,"
			     "\"num_workers\":0,\"autoscale\":{\"min_workers\":"
			     "0,\"max_workers\":2},\"cluster_name\":null}");
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "cluster_name"), "");
	emu_test_result_dispose(&r);
	free(id);
	/* Integers come back exactly. */
	id = create(ws, SPEC ",\"spark_env_vars\":{\"X\":\"1\"},"
			     "\"aws_attributes\":{\"ebs_volume_size\":"
			     "9007199254740991}}");
	r = get(ws, id);
	assert_non_null(strstr(r.text, "\"ebs_volume_size\":9007199254740991"));
	emu_test_result_dispose(&r);
	free(id);
}

/*
 * Integers too large for an exact double (1e19, even infinity) are 400,
 * wherever they are in the spec and whichever call brings them; they were
 * converted to int64_t before the range check (undefined behaviour).
 */
static void test_emu_clusters__huge_integers_refused(void **state)
{
	static const char *const bad[] = {
		SPEC ",\"num_workers\":1e19}",
		SPEC ",\"num_workers\":-1e19}",
		SPEC ",\"num_workers\":1e999}",
		SPEC ",\"aws_attributes\":{\"ebs_volume_size\":1e19}}",
		SPEC ",\"extra\":[1,-9.3e18]}",
		SPEC ",\"extra\":9007199254740992}",
	};
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *body;
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(bad); i++)
		invalid(ws, "/api/2.1/clusters/create", bad[i],
			"magnitude below 2^53");
	id = running(ws, SPEC ",\"extra\":{\"ratio\":0.5,"
			      "\"big\":9007199254740991}}");
	/* Fractions stay doubles, integers below 2^53 come back exact. */
	r = get(ws, id);
	assert_true(cJSON_IsNumber(emu_test_member(r.json, "extra.ratio")));
	assert_true(emu_test_member(r.json, "extra.ratio")->valuedouble == 0.5);
	assert_int_equal(emu_test_int(r.json, "extra.big"), 9007199254740991LL);
	emu_test_result_dispose(&r);
	body = emu_printf("{\"cluster_id\":\"%s\",\"num_workers\":1e19}", id);
	invalid(ws, "/api/2.1/clusters/resize", body, "magnitude below 2^53");
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"update_mask\":"
			  "\"num_workers\",\"cluster\":{\"num_workers\":"
			  "-1e300}}",
			  id);
	invalid(ws, "/api/2.1/clusters/update", body, "magnitude below 2^53");
	free(body);
	expect_state(ws, id, "RUNNING");
	free(id);
}

static void test_emu_clusters__update_mask(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *body;

	id = create(ws, SPEC ",\"cluster_name\":\"a\",\"num_workers\":1,"
			     "\"custom_tags\":{\"x\":\"1\"}}");
	op(ws, "delete", id, NULL);
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	/* Fields named in the mask are replaced, or removed when absent
	 * from cluster; the others stay. */
	op(ws, "update", id,
	   ",\"update_mask\":\"num_workers,custom_tags\","
	   "\"cluster\":{\"num_workers\":7,\"cluster_name\":\"ignored\"}");
	r = get(ws, id);
	assert_string_equal(str_at(r.json, "state"), "TERMINATED");
	assert_int_equal(emu_test_int(r.json, "num_workers"), 7);
	assert_string_equal(str_at(r.json, "cluster_name"), "a");
	assert_null(emu_test_member(r.json, "custom_tags"));
	emu_test_result_dispose(&r);
	body = emu_printf("{\"cluster_id\":\"%s\",\"update_mask\":"
			  "\"autoscale.max_workers\",\"cluster\":{}}",
			  id);
	invalid(ws, "/api/2.1/clusters/update", body, "update_mask");
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"update_mask\":"
			  "\"spark_version\",\"cluster\":{}}",
			  id);
	invalid(ws, "/api/2.1/clusters/update", body,
		"Missing required field: spark_version");
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"cluster\":{}}", id);
	invalid(ws, "/api/2.1/clusters/update", body,
		"Missing required field: update_mask");
	free(body);
	free(id);
}

/* --- libraries ------------------------------------------------------------ */

#define LIBS                                                                   \
	"[{\"pypi\":{\"package\":\"requests==2.31.0\"}},"                      \
	"{\"maven\":{\"coordinates\":\"com.acme:lib:1.0\","                    \
	"\"exclusions\":[\"org.slf4j:slf4j-api\"]}},"                          \
	"{\"jar\":\"/Volumes/main/default/libs/a.jar\"}]"

/* Statuses of id's libraries, joined with commas, in order. */
static char *statuses(struct emu_workspace *ws, const char *id)
{
	char *target = emu_printf(
		"/api/2.0/libraries/cluster-status?cluster_id=%s", id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	const cJSON *s;
	char *out = emu_xstrdup("");

	assert_string_equal(str_at(r.json, "cluster_id"), id);
	cJSON_ArrayForEach(s, emu_test_member(r.json, "library_statuses"))
	{
		char *more = emu_printf("%s%s%s", out, *out ? "," : "",
					str_at(s, "status"));

		assert_false(cJSON_IsTrue(
			emu_test_member(s, "is_library_for_all_clusters")));
		free(out);
		out = more;
	}
	emu_test_result_dispose(&r);
	free(target);
	return out;
}

static void expect_statuses(struct emu_workspace *ws, const char *id,
			    const char *expected)
{
	char *got = statuses(ws, id);

	assert_string_equal(got, expected);
	free(got);
}

static void lib_call(struct emu_workspace *ws, const char *what, const char *id,
		     const char *libs)
{
	char *target = emu_printf("/api/2.0/libraries/%s", what);
	char *body = emu_printf("{\"cluster_id\":\"%s\",\"libraries\":%s}", id,
				libs);

	ok(ws, "POST", target, body);
	free(target);
	free(body);
}

static void test_emu_clusters__libraries_timeline(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *body;

	id = create(ws, SPEC "}");
	expect_statuses(ws, id, "");
	/* On a PENDING cluster they wait. */
	lib_call(ws, "install", id, LIBS);
	expect_statuses(ws, id, "PENDING,PENDING,PENDING");
	emu_workspace_advance_clock(ws, START + MARGIN); /* RUNNING at START */
	expect_statuses(ws, id, "PENDING,PENDING,PENDING");
	emu_workspace_advance_clock(ws, 2 * MARGIN); /* past STEP / 4 */
	expect_statuses(ws, id, "INSTALLING,INSTALLING,INSTALLING");
	emu_workspace_advance_clock(ws, STEP);
	expect_statuses(ws, id, "INSTALLED,INSTALLED,INSTALLED");

	/* Installing again is a no-op; a new one installs on its own. */
	lib_call(ws, "install", id,
		 "[{\"jar\":\"/Volumes/main/default/libs/a.jar\"},"
		 "{\"whl\":\"/Workspace/fail-me.whl\"}]");
	expect_statuses(ws, id, "INSTALLED,INSTALLED,INSTALLED,PENDING");
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	r = call_ok(ws, "GET", "/api/2.0/libraries/all-cluster-statuses", NULL);
	assert_string_equal(
		str_at(cJSON_GetArrayItem(emu_test_member(r.json, "statuses"),
					  0),
		       "cluster_id"),
		id);
	emu_test_result_dispose(&r);
	expect_statuses(ws, id, "INSTALLED,INSTALLED,INSTALLED,FAILED");
	body = emu_printf("/api/2.0/libraries/cluster-status?cluster_id=%s",
			  id);
	r = call_ok(ws, "GET", body, NULL);
	assert_non_null(strstr(r.text, "fail-me.whl"));
	assert_true(cJSON_IsArray(emu_test_member(
		cJSON_GetArrayItem(emu_test_member(r.json, "library_statuses"),
				   3),
		"messages")));
	emu_test_result_dispose(&r);
	free(body);

	/* Uninstall marks for the next restart; unknown ones are ignored;
	 * marked ones are listed last. */
	lib_call(ws, "uninstall", id,
		 "[{\"pypi\":{\"package\":\"requests==2.31.0\"}},"
		 "{\"cran\":{\"package\":\"never-installed\"}}]");
	expect_statuses(ws, id,
			"INSTALLED,INSTALLED,FAILED,UNINSTALL_ON_RESTART");
	op(ws, "restart", id, NULL);
	expect_statuses(ws, id, "PENDING,PENDING,PENDING");
	emu_workspace_advance_clock(ws, START + STEP + MARGIN);
	expect_statuses(ws, id, "INSTALLED,INSTALLED,FAILED");

	/* Kept across terminate and start, installed again after start. */
	lib_call(ws, "uninstall", id, "[{\"whl\":\"/Workspace/fail-me.whl\"}]");
	op(ws, "delete", id, NULL);
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	expect_statuses(ws, id, "PENDING,PENDING,UNINSTALL_ON_RESTART");
	/* Installing a marked library keeps it. */
	lib_call(ws, "install", id, "[{\"whl\":\"/Workspace/fail-me.whl\"}]");
	expect_statuses(ws, id, "PENDING,PENDING,PENDING");
	lib_call(ws, "uninstall", id, "[{\"whl\":\"/Workspace/fail-me.whl\"}]");
	op(ws, "start", id, NULL);
	expect_statuses(ws, id, "PENDING,PENDING");
	emu_workspace_advance_clock(ws, START + STEP + MARGIN);
	expect_statuses(ws, id, "INSTALLED,INSTALLED");

	/* Bad libraries. */
	body = emu_printf("{\"cluster_id\":\"%s\",\"libraries\":"
			  "[{\"jar\":\"a.jar\",\"whl\":\"b.whl\"}]}",
			  id);
	invalid(ws, "/api/2.0/libraries/install", body, "exactly one of");
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"libraries\":[{}]}", id);
	invalid(ws, "/api/2.0/libraries/install", body, "exactly one of");
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"libraries\":"
			  "[{\"pypi\":{\"repo\":\"r\"}}]}",
			  id);
	invalid(ws, "/api/2.0/libraries/install", body, "pypi.package");
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\"}", id);
	invalid(ws, "/api/2.0/libraries/install", body,
		"Missing required field: libraries");
	free(body);

	/* permanent-delete takes them along. */
	op(ws, "permanent-delete", id, NULL);
	r = call_ok(ws, "GET", "/api/2.0/libraries/all-cluster-statuses", NULL);
	assert_null(emu_test_member(r.json, "statuses"));
	emu_test_result_dispose(&r);
	free(id);
}

/* "[{"jar":"/l/<from>.jar"},...]" for n jars numbered from from. */
static char *jars(int from, int n)
{
	char *out = emu_xstrdup("["), *more;
	int i;

	for (i = 0; i < n; i++) {
		more = emu_printf("%s%s{\"jar\":\"/l/%d.jar\"}", out,
				  i ? "," : "", from + i);
		free(out);
		out = more;
	}
	more = emu_printf("%s]", out);
	free(out);
	return more;
}

static int lib_count(struct emu_workspace *ws, const char *id)
{
	char *target = emu_printf(
		"/api/2.0/libraries/cluster-status?cluster_id=%s", id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	int n = cJSON_GetArraySize(emu_test_member(r.json, "library_statuses"));

	emu_test_result_dispose(&r);
	free(target);
	return n;
}

/*
 * An install is all or nothing: one that would pass the library limit,
 * or has a bad library anywhere, changes nothing (not even the mark of a
 * library being uninstalled).
 */
static void test_emu_clusters__libraries_install_atomic(void **state)
{
	struct emu_workspace *ws = *state;
	const char *t = "/api/2.0/libraries/install";
	char *id = create(ws, SPEC "}"), *libs, *body;
	char *limit = emu_printf("Cluster %s would have more than the "
				 "maximum of %d libraries.",
				 id, CLUSTERS_MAX_LIBRARIES);

	libs = jars(0, CLUSTERS_MAX_LIBRARIES - 2);
	lib_call(ws, "install", id, libs);
	free(libs);
	lib_call(ws, "uninstall", id, "[{\"jar\":\"/l/0.jar\"}]");
	assert_int_equal(lib_count(ws, id), CLUSTERS_MAX_LIBRARIES - 2);

	/* Three new ones (one twice) and a marked one: one too many. */
	body = emu_printf("{\"cluster_id\":\"%s\",\"libraries\":["
			  "{\"jar\":\"/l/0.jar\"},{\"jar\":\"/l/x.jar\"},"
			  "{\"jar\":\"/l/y.jar\"},{\"jar\":\"/l/x.jar\"},"
			  "{\"whl\":\"/l/z.whl\"}]}",
			  id);
	fails(ws, "POST", t, body, 400, "RESOURCE_LIMIT_EXCEEDED", limit, NULL);
	free(body);
	assert_int_equal(lib_count(ws, id), CLUSTERS_MAX_LIBRARIES - 2);
	body = statuses(ws, id);
	assert_non_null(strstr(body, "UNINSTALL_ON_RESTART"));
	free(body);

	/* A bad library last: the good ones before it are not added. */
	body = emu_printf("{\"cluster_id\":\"%s\",\"libraries\":["
			  "{\"jar\":\"/l/x.jar\"},{}]}",
			  id);
	invalid(ws, t, body, "libraries[1]");
	free(body);
	assert_int_equal(lib_count(ws, id), CLUSTERS_MAX_LIBRARIES - 2);

	/* Exactly to the limit, a duplicate counted once, is fine. */
	lib_call(ws, "install", id,
		 "[{\"jar\":\"/l/0.jar\"},{\"jar\":\"/l/x.jar\"},"
		 "{\"jar\":\"/l/x.jar\"},{\"jar\":\"/l/y.jar\"}]");
	assert_int_equal(lib_count(ws, id), CLUSTERS_MAX_LIBRARIES);
	body = statuses(ws, id);
	assert_null(strstr(body, "UNINSTALL_ON_RESTART"));
	free(body);
	body = emu_printf("{\"cluster_id\":\"%s\",\"libraries\":"
			  "[{\"jar\":\"/l/1.jar\"},{\"jar\":\"/l/w.jar\"}]}",
			  id);
	fails(ws, "POST", t, body, 400, "RESOURCE_LIMIT_EXCEEDED", limit, NULL);
	free(body);
	lib_call(ws, "install", id, "[{\"jar\":\"/l/1.jar\"}]");
	assert_int_equal(lib_count(ws, id), CLUSTERS_MAX_LIBRARIES);
	free(limit);
	free(id);
}

/* --- controls ------------------------------------------------------------- */

static void control(struct emu_workspace *ws, const char *method,
		    const char *target, const char *body)
{
	/* Controls need no token. */
	emu_test_ok(ws, method, target, body, NULL, NULL);
}

static void test_emu_clusters__fail_next_start(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *a, *b;

	control(ws, "POST", "/_emulator/clusters/fail-next-start",
		"{\"state\":\"TERMINATED\",\"state_message\":\"no capacity\"}");
	r = emu_test_call(ws, "GET", "/_emulator/clusters/settings", NULL,
			  NULL);
	assert_string_equal(str_at(r.json, "fail_next_start.state"),
			    "TERMINATED");
	emu_test_result_dispose(&r);
	a = create(ws, SPEC "}");
	b = create(ws, SPEC "}"); /* only the next launch fails */
	expect_state(ws, a, "PENDING");
	emu_workspace_advance_clock(ws, START + MARGIN);
	r = get(ws, a);
	assert_string_equal(str_at(r.json, "state"), "TERMINATED");
	assert_string_equal(str_at(r.json, "state_message"), "no capacity");
	assert_string_equal(str_at(r.json, "termination_reason.code"),
			    "CLOUD_PROVIDER_LAUNCH_FAILURE");
	assert_string_equal(str_at(r.json, "termination_reason.type"),
			    "CLOUD_FAILURE");
	assert_true(emu_test_int(r.json, "terminated_time") > 0);
	emu_test_result_dispose(&r);
	expect_state(ws, b, "RUNNING");

	/* Scoped to one cluster and ending in ERROR. */
	control(ws, "POST", "/_emulator/clusters/fail-next-start", "{}");
	control(ws, "DELETE", "/_emulator/clusters/fail-next-start", NULL);
	free(b);
	b = create(ws, SPEC "}");
	r = emu_test_call(ws, "POST", "/_emulator/clusters/fail-next-start",
			  "{\"state\":\"RUNNING\"}", NULL);
	assert_int_equal(r.status, 400);
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", "/_emulator/clusters/settings", NULL);
	emu_test_result_dispose(&r);
	{
		char *body = emu_printf("{\"state\":\"ERROR\","
					"\"cluster_id\":\"%s\"}",
					a);

		control(ws, "POST", "/_emulator/clusters/fail-next-start",
			body);
		free(body);
	}
	emu_workspace_advance_clock(ws, START + MARGIN);
	expect_state(ws, b, "RUNNING"); /* not the named cluster */
	op(ws, "start", a, NULL);
	emu_workspace_advance_clock(ws, START + MARGIN);
	r = get(ws, a);
	assert_string_equal(str_at(r.json, "state"), "ERROR");
	assert_non_null(strstr(str_at(r.json, "state_message"),
			       "InsufficientInstanceCapacity"));
	emu_test_result_dispose(&r);
	op_invalid_state(ws, "start", a, NULL, "Error");
	/* As on the real service, an ERROR cluster cannot be edited. */
	op_invalid_state(ws, "edit", a,
			 ",\"spark_version\":\"15.4.x-scala2.12\","
			 "\"node_type_id\":\"i3.xlarge\"",
			 "Error");
	op(ws, "delete", a, NULL);
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	expect_state(ws, a, "TERMINATED");
	op(ws, "start", a, NULL);
	emu_workspace_advance_clock(ws, START + MARGIN);
	expect_state(ws, a, "RUNNING");
	free(a);
	free(b);
}

static void test_emu_clusters__settings_and_reset(void **state)
{
	struct emu_clusters_delays d = {500, 200, 100, 0};
	struct emu_clusters_delays defaults = {
		EMU_CLUSTERS_DEFAULT_START_MS, EMU_CLUSTERS_DEFAULT_RESIZE_MS,
		EMU_CLUSTERS_DEFAULT_TERMINATE_MS,
		EMU_CLUSTERS_DEFAULT_LIBRARY_MS};
	struct emu_workspace *ws;
	struct emu_test_result r;
	char *id;

	(void)state;
	/* The command-line defaults reach new workspaces. */
	emu_clusters_set_defaults(&d);
	ws = emu_workspace_new(NULL);
	emu_clusters_set_defaults(&defaults);
	r = emu_test_call(ws, "GET", "/_emulator/clusters/settings", NULL,
			  NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(emu_test_int(r.json, "start_ms"), 500);
	assert_int_equal(emu_test_int(r.json, "library_install_ms"), 0);
	assert_null(emu_test_member(r.json, "fail_next_start"));
	emu_test_result_dispose(&r);

	/* Zero delays: clusters are RUNNING as soon as they exist. */
	control(ws, "POST", "/_emulator/clusters/settings",
		"{\"start_ms\":0,\"terminate_ms\":0}");
	id = create(ws, SPEC "}");
	expect_state(ws, id, "RUNNING");
	lib_call(ws, "install", id, "[{\"egg\":\"/a.egg\"}]");
	expect_statuses(ws, id, "INSTALLED");
	op(ws, "delete", id, NULL);
	expect_state(ws, id, "TERMINATED");
	free(id);
	r = emu_test_call(ws, "POST", "/_emulator/clusters/settings",
			  "{\"resize_ms\":-1}", NULL);
	assert_int_equal(r.status, 400);
	emu_test_result_dispose(&r);
	r = emu_test_call(ws, "GET", "/_emulator/clusters/settings", NULL,
			  NULL);
	assert_int_equal(emu_test_int(r.json, "resize_ms"), 200);
	emu_test_result_dispose(&r);

	/* Reset: no clusters, settings back to the defaults of the time. */
	control(ws, "POST", "/_emulator/clusters/fail-next-start", "{}");
	control(ws, "POST", "/_emulator/reset", NULL);
	assert_int_equal(list_count(ws, "/api/2.1/clusters/list"), 0);
	r = emu_test_call(ws, "GET", "/_emulator/clusters/settings", NULL,
			  NULL);
	assert_int_equal(emu_test_int(r.json, "start_ms"), 3000);
	assert_null(emu_test_member(r.json, "fail_next_start"));
	emu_test_result_dispose(&r);
	emu_workspace_free(ws);
}

/* --- catalogues ----------------------------------------------------------- */

static void test_emu_clusters__catalogues(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *item;
	int hidden = 0, found = 0;

	r = call_ok(ws, "GET", "/api/2.1/clusters/spark-versions?", NULL);
	assert_true(cJSON_GetArraySize(emu_test_member(r.json, "versions")) >=
		    25);
	cJSON_ArrayForEach(item, emu_test_member(r.json, "versions"))
	{
		if (strcmp(str_at(item, "key"), "15.4.x-scala2.12") == 0) {
			assert_string_equal(str_at(item, "name"),
					    "15.4 LTS (includes Apache Spark "
					    "3.5.0, Scala 2.12)");
			found++;
		}
		if (strcmp(str_at(item, "key"), "15.4.x-gpu-ml-scala2.12") == 0)
			found++;
	}
	assert_int_equal(found, 2);
	emu_test_result_dispose(&r);

	found = 0;
	r = call_ok(ws, "GET", "/api/2.0/clusters/list-node-types", NULL);
	assert_true(cJSON_GetArraySize(emu_test_member(r.json, "node_types")) >=
		    20);
	cJSON_ArrayForEach(item, emu_test_member(r.json, "node_types"))
	{
		const char *id = str_at(item, "node_type_id");

		hidden += cJSON_IsTrue(emu_test_member(item, "is_hidden"));
		if (strcmp(id, "i3.xlarge") == 0) {
			assert_int_equal(emu_test_int(item, "memory_mb"),
					 31232);
			assert_int_equal(emu_test_int(item, "num_cores"), 4);
			assert_int_equal(
				emu_test_int(item, "node_instance_type."
						   "local_nvme_disk_size_gb"),
				950);
			assert_string_equal(str_at(item, "category"),
					    "Storage Optimized");
			assert_true(cJSON_IsTrue(
				emu_test_member(item, "is_io_cache_enabled")));
			found++;
		}
		if (strcmp(id, "g4dn.xlarge") == 0) {
			assert_int_equal(emu_test_int(item, "num_gpus"), 1);
			assert_string_equal(str_at(item, "category"),
					    "GPU Accelerated");
			found++;
		}
		if (strcmp(id, "m6gd.xlarge") == 0) {
			assert_true(cJSON_IsTrue(
				emu_test_member(item, "is_graviton")));
			found++;
		}
	}
	assert_int_equal(found, 3);
	assert_int_equal(hidden, 1);
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET", "/api/2.1/clusters/list-zones", NULL);
	assert_string_equal(str_at(r.json, "default_zone"), "us-west-2a");
	assert_int_equal(cJSON_GetArraySize(emu_test_member(r.json, "zones")),
			 4);
	emu_test_result_dispose(&r);
}

/* --- persistence ---------------------------------------------------------- */

static void same_get(struct emu_workspace *a, struct emu_workspace *b,
		     const char *target, const char *body)
{
	struct emu_test_result r1 =
		call_ok(a, body ? "POST" : "GET", target, body);
	struct emu_test_result r2 =
		call_ok(b, body ? "POST" : "GET", target, body);

	assert_string_equal(r1.text, r2.text);
	emu_test_result_dispose(&r1);
	emu_test_result_dispose(&r2);
}

/*
 * The password of a private Docker registry is kept (an update that
 * leaves docker_image out still has it, --state saves it) but never
 * returned: not by get, not in get's spec, not by list.
 */
static void test_emu_clusters__docker_password_hidden(void **state)
{
	struct emu_workspace *ws = *state, *back = workspace();
	char path[] = "/tmp/test_emu_clusters_XXXXXX";
	char *id, *target, *body, *file;
	struct emu_test_result r;
	FILE *f;
	long n;

	id = create(ws, SPEC ",\"docker_image\":{\"url\":\"r.io/img:1\","
			     "\"basic_auth\":{\"username\":\"bot\","
			     "\"password\":\"hunter2-secret\"}}}");
	body = emu_printf("{\"cluster_id\":\"%s\",\"update_mask\":"
			  "\"num_workers\",\"cluster\":{\"num_workers\":2}}",
			  id);
	emu_workspace_advance_clock(ws, START + MARGIN);
	ok(ws, "POST", "/api/2.1/clusters/update", body);
	free(body);
	target = emu_printf("/api/2.1/clusters/get?cluster_id=%s", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(str_at(r.json, "docker_image.basic_auth.username"),
			    "bot");
	assert_string_equal(
		str_at(r.json, "spec.docker_image.basic_auth.username"), "bot");
	assert_string_equal(str_at(r.json, "spec.docker_image.url"),
			    "r.io/img:1");
	assert_null(strstr(r.text, "password"));
	assert_null(strstr(r.text, "hunter2"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", "/api/2.1/clusters/list", NULL);
	assert_non_null(strstr(r.text, "\"username\":\"bot\""));
	assert_null(strstr(r.text, "hunter2"));
	emu_test_result_dispose(&r);

	/* The 0600 --state file keeps it, and the reply still hides it. */
	emu_test_temp_file(path);
	emu_test_save_load(ws, back, path);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	file = emu_xcalloc(1, (size_t)n + 1);
	assert_int_equal(fread(file, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_non_null(strstr(file, "hunter2-secret"));
	free(file);
	r = call_ok(back, "GET", target, NULL);
	assert_string_equal(str_at(r.json, "docker_image.basic_auth.username"),
			    "bot");
	assert_null(strstr(r.text, "hunter2"));
	emu_test_result_dispose(&r);
	unlink(path);
	emu_workspace_free(back);
	free(target);
	free(id);
}

static void test_emu_clusters__state_round_trip(void **state)
{
	struct emu_workspace *ws = workspace(), *back;
	char path[] = "/tmp/test_emu_clusters_XXXXXX";
	char *a, *b, *c, *target, *body;

	(void)state;
	emu_test_temp_file(path);
	a = running(ws, SPEC ",\"cluster_name\":\"a\",\"num_workers\":2}");
	lib_call(ws, "install", a, LIBS);
	op(ws, "pin", a, NULL);
	b = create(ws, SPEC ",\"cluster_name\":\"b\"}");
	c = running(ws, SPEC ",\"cluster_name\":\"c\"}");
	op(ws, "delete", c, NULL);
	lib_call(ws, "uninstall", a,
		 "[{\"jar\":\"/Volumes/main/default/libs/a.jar\"}]");
	back = workspace();
	emu_test_save_load(ws, back, path);
	/* Same clock on both sides, then the same answers. */
	emu_workspace_advance_clock(back, 2 * (START + MARGIN));
	target = emu_printf("/api/2.1/clusters/get?cluster_id=%s", a);
	same_get(ws, back, target, NULL);
	free(target);
	target = emu_printf("/api/2.1/clusters/get?cluster_id=%s", b);
	same_get(ws, back, target, NULL);
	free(target);
	target = emu_printf("/api/2.0/libraries/cluster-status?cluster_id=%s",
			    a);
	same_get(ws, back, target, NULL);
	free(target);
	body = emu_printf("{\"cluster_id\":\"%s\"}", a);
	same_get(ws, back, "/api/2.1/clusters/events", body);
	free(body);
	same_get(ws, back, "/api/2.1/clusters/list", NULL);
	/* Transitions still happen after loading. */
	emu_workspace_advance_clock(ws, STEP + MARGIN);
	emu_workspace_advance_clock(back, STEP + MARGIN);
	expect_state(back, c, "TERMINATED");
	same_get(ws, back, "/api/2.1/clusters/list", NULL);
	/* A new cluster does not reuse anything. */
	free(b);
	b = create(back, SPEC "}");
	assert_int_equal(list_count(back, "/api/2.1/clusters/list"), 4);
	emu_workspace_free(back);
	emu_workspace_free(ws);
	free(a);
	free(b);
	free(c);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__create_get_defaults, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__idempotency_token, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__idempotency_token_terminated, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__state_machine, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__invalid_state_rules, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__missing_cluster_is_400, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__list_filters_and_pages, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__pin_and_permanent_delete, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_clusters__events_pages,
						setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__events_offset_bounded, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_clusters__validation,
						setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__huge_integers_refused, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_clusters__update_mask,
						setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__libraries_timeline, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__libraries_install_atomic, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__fail_next_start, setup,
			emu_test_teardown),
		cmocka_unit_test(test_emu_clusters__settings_and_reset),
		cmocka_unit_test_setup_teardown(test_emu_clusters__catalogues,
						setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_clusters__docker_password_hidden, setup,
			emu_test_teardown),
		cmocka_unit_test(test_emu_clusters__state_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
