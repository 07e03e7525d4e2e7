/*
 * Unit tests of databricks_cluster's pure parts (resources/cluster_internal.h)
 * and of the interruptible waits it relies on (provider/wait.h): the state
 * object built from a clusters/get reply (policy-added maps, autoscale),
 * access-mode aliases, the cluster table through jsonmap.c both ways, and
 * tfp_wait_for's timeout and StopProvider behaviour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <string.h>
#include "arena.h"
#include "compute/compute_internal.h"
#include "diag.h"
#include "jsonmap.h"
#include "schema.h"
#include "wait.h"
#include "unit_test.h"
#include "validate.h"

extern const struct tfp_resource tfp_resource_cluster;

/* A reply as a real AWS workspace gives it: the policy added a tag and a
 * Spark setting, the workspace filled aws_attributes and default_tags. */
static const char *const REPLY =
	"{\"cluster_id\":\"1121-080000-abcdefgh\",\"cluster_name\":\"etl\","
	"\"spark_version\":\"15.4.x-scala2.12\",\"node_type_id\":\"i3.xlarge\","
	"\"driver_node_type_id\":\"i3.xlarge\",\"num_workers\":2,"
	"\"autotermination_minutes\":60,\"state\":\"RUNNING\","
	"\"custom_tags\":{\"team\":\"data\",\"cost-center\":\"from-policy\"},"
	"\"spark_conf\":{\"spark.x\":\"1\",\"spark.policy\":\"on\"},"
	"\"default_tags\":{\"Vendor\":\"Databricks\",\"ClusterId\":"
	"\"1121-080000-abcdefgh\"},"
	"\"aws_attributes\":{\"zone_id\":\"us-west-2a\",\"availability\":"
	"\"SPOT_WITH_FALLBACK\",\"first_on_demand\":1},"
	"\"data_security_mode\":\"DATA_SECURITY_MODE_DEDICATED\","
	"\"spec\":{\"cluster_name\":\"etl\",\"spark_version\":"
	"\"15.4.x-scala2.12\",\"num_workers\":2,\"custom_tags\":{\"team\":"
	"\"data\"},\"spark_conf\":{\"spark.x\":\"1\"}}}";


static int setup(void **state)
{
	return tfp_test_setup_resource(state, &tfp_resource_cluster);
}

static cJSON *parse(struct tfp_arena *a, const char *text)
{
	cJSON *j = cJSON_Parse(text);

	assert_non_null(j);
	tfp_arena_defer_json(a, j);
	return j;
}

static cJSON *state_json(struct tfp_arena *a, const char *text)
{
	cJSON *j = tfp_compute__cluster_state_json(parse(a, text));

	assert_non_null(j);
	tfp_arena_defer_json(a, j);
	return j;
}

/* Maps a policy adds are in the reply but not in its spec: not drift. */
static void test_cluster__policy_maps_come_from_spec(void **state)
{
	struct fixture *f = *state;
	cJSON *j = state_json(f->a, REPLY);
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(j, "custom_tags");

	assert_int_equal(cJSON_GetArraySize(tags), 1);
	assert_string_equal(tfp_json_string(tags, "team"), "data");
	assert_null(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "spark_conf"),
		"spark.policy"));
	/* default_tags are the workspace's and stay. */
	assert_non_null(cJSON_GetObjectItemCaseSensitive(j, "default_tags"));
	/* Without a spec, the reply's maps are all there is. */
	j = state_json(f->a, "{\"cluster_id\":\"c\",\"custom_tags\":{\"a\":"
			     "\"1\",\"b\":\"2\"}}");
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
			j, "custom_tags")),
		2);
	/* A spec without tags means the user set none. */
	j = state_json(f->a, "{\"cluster_id\":\"c\",\"custom_tags\":{\"a\":"
			     "\"1\"},\"spec\":{\"num_workers\":1}}");
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "custom_tags"));
}

static void test_cluster__workers_follow_autoscale(void **state)
{
	struct fixture *f = *state;
	cJSON *j;
	int64_t n = -1;

	j = state_json(f->a, "{\"cluster_id\":\"c\",\"num_workers\":5,"
			     "\"autoscale\":{\"min_workers\":1,"
			     "\"max_workers\":8}}");
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "num_workers"));
	/* A single-node cluster's reply may leave num_workers out. */
	j = state_json(f->a, "{\"cluster_id\":\"c\"}");
	assert_int_equal(tfp_json_int(&n, j, "num_workers", &f->d), TFP_OK);
	assert_int_equal(n, 0);
}

static void test_cluster__access_mode_aliases(void **state)
{
	(void)state;
	assert_true(tfp_compute__cluster_same_access_mode(
		"SINGLE_USER", "DATA_SECURITY_MODE_DEDICATED"));
	assert_true(tfp_compute__cluster_same_access_mode(
		"DATA_SECURITY_MODE_STANDARD", "USER_ISOLATION"));
	assert_true(tfp_compute__cluster_same_access_mode("DATA_SECURITY_MODE_AUTO",
						  "SINGLE_USER"));
	assert_true(tfp_compute__cluster_same_access_mode("NONE", "NONE"));
	assert_false(tfp_compute__cluster_same_access_mode("SINGLE_USER",
						   "USER_ISOLATION"));
	assert_false(tfp_compute__cluster_same_access_mode("DATA_SECURITY_MODE_AUTO",
						   "NONE"));
	assert_false(tfp_compute__cluster_same_access_mode("NONE", "SINGLE_USER"));
}

static void test_cluster__transitional_states(void **state)
{
	(void)state;
	assert_true(tfp_compute__cluster_transitional("PENDING"));
	assert_true(tfp_compute__cluster_transitional("RESTARTING"));
	assert_true(tfp_compute__cluster_transitional("RESIZING"));
	assert_true(tfp_compute__cluster_transitional("TERMINATING"));
	assert_false(tfp_compute__cluster_transitional("RUNNING"));
	assert_false(tfp_compute__cluster_transitional("TERMINATED"));
	assert_false(tfp_compute__cluster_transitional("ERROR"));
	assert_false(tfp_compute__cluster_transitional(NULL));
}

/* The cluster table both ways: the reply reads into a state, and the
 * state writes back to a spec without the workspace's own fields. */
static void test_cluster__table_round_trip(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *v = NULL, *prior = NULL;
	cJSON *body = NULL;

	/* With a prior state that had no aws_attributes (the config left it
	 * out), the workspace's filled-in block is not drift. */
	assert_int_equal(tfp_jsonmap_to_value(&prior, f->a, f->type,
					      tfp_resource_cluster.attrs,
					      tfp_resource_cluster.blocks,
					      parse(f->a, "{}"), NULL, &f->d),
			 TFP_OK);
	assert_int_equal(tfp_jsonmap_to_value(&v, f->a, f->type,
					      tfp_resource_cluster.attrs,
					      tfp_resource_cluster.blocks,
					      state_json(f->a, REPLY), prior,
					      &f->d),
			 TFP_OK);
	assert_int_equal(tfp_value_get(v, "aws_attributes")->u.coll.n, 0);
	assert_string_equal(tfp_value_get_string(v, "cluster_id"),
			    "1121-080000-abcdefgh");
	/* An import (no prior) reads the block. */
	assert_int_equal(tfp_jsonmap_to_value(&v, f->a, f->type,
					      tfp_resource_cluster.attrs,
					      tfp_resource_cluster.blocks,
					      state_json(f->a, REPLY), NULL,
					      &f->d),
			 TFP_OK);
	assert_int_equal(tfp_value_get(v, "aws_attributes")->u.coll.n, 1);
	assert_int_equal(tfp_jsonmap_from_value(&body, f->a,
						tfp_resource_cluster.attrs,
						tfp_resource_cluster.blocks, v,
						&f->d),
			 TFP_OK);
	assert_string_equal(tfp_json_string(body, "spark_version"),
			    "15.4.x-scala2.12");
	/* Never sent: libraries go to their own API, state/url/pins are
	 * ours. */
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "libraries"));
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "library"));
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "state"));
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "is_pinned"));
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "url"));
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "no_wait"));
}

/* --- waits ---------------------------------------------------------------- */

struct counter {
	int calls, done_after;
	atomic_bool *stop_at_call; /* set when calls reaches done_after */
};

static int count_check(struct tfp_call *call, void *payload)
{
	struct counter *c = payload;

	(void)call;
	c->calls++;
	if (c->stop_at_call != NULL && c->calls == c->done_after) {
		atomic_store(c->stop_at_call, true);
		return TFP_WAIT_AGAIN;
	}
	return c->calls >= c->done_after ? TFP_OK : TFP_WAIT_AGAIN;
}

static void test_cluster__wait_until_done(void **state)
{
	struct fixture *f = *state;
	atomic_bool stop = false;
	struct tfp_call call = {.arena = f->a, .diags = &f->d, .stop = &stop};
	struct tfp_wait w = {.what = "x", .timeout_ms = 5000, .first_ms = 1,
			     .max_ms = 2};
	struct counter c = {.done_after = 4};

	assert_int_equal(tfp_wait_for(&call, &w, count_check, &c), TFP_OK);
	assert_int_equal(c.calls, 4);
	assert_int_equal(f->d.n, 0);
}

static void test_cluster__wait_times_out(void **state)
{
	struct fixture *f = *state;
	atomic_bool stop = false;
	struct tfp_call call = {.arena = f->a, .diags = &f->d, .stop = &stop};
	struct tfp_wait w = {.what = "cluster c to be RUNNING",
			     .timeout_ms = 30, .first_ms = 5, .max_ms = 5};
	struct counter c = {.done_after = 1000000};

	assert_int_equal(tfp_wait_for(&call, &w, count_check, &c), TFP_ERROR);
	assert_true(c.calls >= 2);
	assert_int_equal(f->d.n, 1);
	assert_non_null(strstr(f->d.items[0].detail, "cluster c to be RUNNING"));
}

/* StopProvider during a long interval ends the wait at once. */
static void test_cluster__wait_stops(void **state)
{
	struct fixture *f = *state;
	atomic_bool stop = false;
	struct tfp_call call = {.arena = f->a, .diags = &f->d, .stop = &stop};
	struct tfp_wait w = {.what = "x", .timeout_ms = 3600 * 1000,
			     .first_ms = 3600 * 1000};
	struct counter c = {.done_after = 1, .stop_at_call = &stop};
	int64_t t0 = tfp_wait_now_ms();

	assert_int_equal(tfp_wait_for(&call, &w, count_check, &c),
			 TFP_ECANCELED);
	assert_true(tfp_wait_now_ms() - t0 < 2000);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.items[0].summary, "Interrupted");
}

/* The timeouts block's durations, as Go (and Terraform) write them. */
static void test_cluster__durations(void **state)
{
	static const struct {
		const char *text;
		int64_t ms; /* -1: refused */
	} rows[] = {
		{"30m", 1800000}, {"1h30m", 5400000}, {"90s", 90000},
		{"1.5h", 5400000}, {"500ms", 500},   {"0", 0},
		{"2h0m0s", 7200000}, {"", -1},       {"30", -1},
		{"m", -1},        {"-5m", -1},       {"5 m", -1},
		{"31d", -1},      {"721h", -1},      {"1x", -1},
		{"0x10s", -1},    {"1e3s", -1},      {"1.5.5h", -1},
		{".5h", 1800000}, {"+5m", -1},       {"5m30", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		int64_t ms = -2;
		int rc = tfp_parse_duration_ms(&ms, rows[i].text);

		if (rows[i].ms < 0 ? rc == TFP_OK
				   : rc != TFP_OK || ms != rows[i].ms)
			fail_msg("\"%s\": rc %d, %lld ms", rows[i].text, rc,
				 (long long)ms);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, tfp_test_teardown)
		T(test_cluster__policy_maps_come_from_spec),
		T(test_cluster__workers_follow_autoscale),
		T(test_cluster__access_mode_aliases),
		T(test_cluster__transitional_states),
		T(test_cluster__table_round_trip),
		T(test_cluster__wait_until_done),
		T(test_cluster__wait_times_out),
		T(test_cluster__wait_stops),
		T(test_cluster__durations),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
