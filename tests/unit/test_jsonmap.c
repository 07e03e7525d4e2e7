/*
 * jsonmap.c in both directions, and the keyed-collection rules of
 * lifecycle.c, on a miniature job-like schema: a keyed set of tasks with a
 * server default (run_if), a write-only attribute, a one-element block
 * that is an object in JSON (notebook_task), a block the server fills in
 * (queue), a block the server adds with values of its own (cloud), a map,
 * a list and an exact integer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "lifecycle.h"
#include "path.h"

static const struct tfp_attr nb_attrs[] = {
	{ .name = "notebook_path", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "p" },
	{ .name = "source", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "s" },
	TFP_ATTR_END
};

static const struct tfp_attr dep_attrs[] = {
	{ .name = "task_key", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "k" },
	TFP_ATTR_END
};

static const struct tfp_block task_blocks[] = {
	{ .name = "notebook_task", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = nb_attrs, .desc = "n" },
	{ .name = "depends_on", .nesting = TFP_NEST_SET, .key = "task_key",
	  .attrs = dep_attrs, .desc = "d" },
	TFP_BLOCK_END
};

static const struct tfp_attr task_attrs[] = {
	{ .name = "task_key", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "k" },
	{ .name = "run_if", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "ALL_SUCCESS",
	  .desc = "r" },
	{ .name = "timeout_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "t" },
	TFP_ATTR_END
};

static const struct tfp_attr queue_attrs[] = {
	{ .name = "enabled", .type = &tfp_type_bool, .flags = TFP_REQUIRED,
	  .desc = "e" },
	TFP_ATTR_END
};

static const struct tfp_attr run_as_attrs[] = {
	{ .name = "user_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR, .desc = "u" },
	TFP_ATTR_END
};

static const struct tfp_attr cloud_attrs[] = {
	{ .name = "zone", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "z" },
	TFP_ATTR_END
};

static const struct tfp_block job_blocks[] = {
	{ .name = "task", .json = "tasks", .nesting = TFP_NEST_SET,
	  .key = "task_key", .attrs = task_attrs, .blocks = task_blocks,
	  .desc = "t" },
	{ .name = "queue", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = queue_attrs, .server_default = "{\"enabled\":true}",
	  .desc = "q" },
	{ .name = "run_as", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_KEEP_PRIOR, .attrs = run_as_attrs, .desc = "r" },
	{ .name = "cloud", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_SERVER_FILLED, .attrs = cloud_attrs, .desc = "c" },
	TFP_BLOCK_END
};

static const struct tfp_attr job_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "n" },
	{ .name = "tags", .type = &tfp_type_map_string, .flags = TFP_OPTIONAL,
	  .desc = "t" },
	{ .name = "max_concurrent_runs", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = "m" },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .desc = "i" },
	TFP_ATTR_END
};

static struct tfp_arena *A;
static struct tfp_diags D;
static const struct tfp_type *JOB;

static int setup(void **state)
{
	(void)state;
	A = tfp_arena_new();
	tfp_diags_init(&D, A);
	JOB = tfp_schema_type(A, job_attrs, job_blocks);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tfp_arena_free(A);
	return 0;
}

static struct tfp_value *from_json(const char *text,
				   const struct tfp_value *prior)
{
	cJSON *j = cJSON_Parse(text);
	struct tfp_value *v = NULL;

	assert_non_null(j);
	tfp_arena_defer_json(A, j);
	assert_int_equal(tfp_jsonmap_to_value(&v, A, JOB, job_attrs, job_blocks,
					      j, prior, &D),
			 TFP_OK);
	return v;
}

static char *to_json(const struct tfp_value *v)
{
	cJSON *j = NULL;
	char *text, *copy;

	assert_int_equal(tfp_jsonmap_from_value(&j, A, job_attrs, job_blocks,
						v, &D),
			 TFP_OK);
	text = cJSON_PrintUnformatted(j);
	copy = tfp_arena_strdup(A, text);
	cJSON_free(text);
	return copy;
}

static const struct tfp_value *task(const struct tfp_value *job,
				    const char *key)
{
	const struct tfp_value *tasks = tfp_value_get(job, "task");
	size_t i;

	for (i = 0; i < tasks->u.coll.n; i++)
		if (strcmp(tfp_value_get_string(tasks->u.coll.items[i],
						"task_key"),
			   key) == 0)
			return tasks->u.coll.items[i];
	fail_msg("no task %s", key);
	return NULL;
}

#define API_JOB                                                                \
	"{\"name\":\"etl\",\"max_concurrent_runs\":1,"                        \
	"\"tags\":{\"env\":\"prod\"},\"queue\":{\"enabled\":true},"            \
	"\"email_notifications\":{},"                                          \
	"\"tasks\":[{\"task_key\":\"transform\",\"run_if\":\"ALL_SUCCESS\","   \
	"\"timeout_seconds\":0,\"depends_on\":[{\"task_key\":\"ingest\"}],"    \
	"\"notebook_task\":{\"notebook_path\":\"/t\",\"source\":"             \
	"\"WORKSPACE\"}},{\"task_key\":\"ingest\",\"run_if\":\"ALL_SUCCESS\"," \
	"\"timeout_seconds\":0,\"notebook_task\":{\"notebook_path\":\"/i\","   \
	"\"source\":\"WORKSPACE\"}}]}"

static void test_jsonmap__read_api_job(void **state)
{
	struct tfp_value *v = from_json(API_JOB, NULL);
	const struct tfp_value *t;
	int64_t n = 0;

	(void)state;
	assert_string_equal(tfp_value_get_string(v, "name"), "etl");
	assert_true(tfp_value_get_int(v, "max_concurrent_runs", &n));
	assert_int_equal(n, 1);
	assert_string_equal(
		tfp_value_map_get(tfp_value_get(v, "tags"), "env")->u.str,
		"prod");
	/* The server's default queue reads as "no block". */
	assert_int_equal(tfp_value_get(v, "queue")->u.coll.n, 0);
	assert_int_equal(tfp_value_get(v, "task")->u.coll.n, 2);
	t = task(v, "transform");
	assert_string_equal(
		tfp_value_get_string(
			tfp_value_get(t, "notebook_task")->u.coll.items[0],
			"notebook_path"),
		"/t");
	assert_int_equal(tfp_value_get(t, "depends_on")->u.coll.n, 1);
	/* NO_JSON fields are the resource's business. */
	assert_true(tfp_value_is_null(tfp_value_get(v, "id")));
}

static void test_jsonmap__round_trip(void **state)
{
	struct tfp_value *v = from_json(API_JOB, NULL), *back;
	char *text;

	(void)state;
	text = to_json(v);
	/* One-element blocks are objects; sets are arrays; ints exact. */
	assert_non_null(strstr(text, "\"notebook_task\":{\"notebook_path\""));
	assert_non_null(strstr(text, "\"max_concurrent_runs\":1"));
	assert_null(strstr(text, "\"queue\""));
	assert_null(strstr(text, "\"id\""));
	back = from_json(text, v);
	assert_true(tfp_value_equal(v, back));
}

static void test_jsonmap__exact_integers(void **state)
{
	cJSON *j = cJSON_Parse("{\"max_concurrent_runs\":9007199254740993}");
	struct tfp_value *v = NULL, *obj;
	char *text;

	(void)state;
	tfp_arena_defer_json(A, j);
	assert_int_equal(tfp_jsonmap_to_value(&v, A, JOB, job_attrs, job_blocks,
					      j, NULL, &D),
			 TFP_ERROR);
	assert_non_null(strstr(D.items[D.n - 1].detail, "max_concurrent_runs"));

	obj = from_json("{}", NULL);
	tfp_value_set(obj, "max_concurrent_runs",
		      tfp_value_int(A, 9007199254740991LL));
	text = to_json(obj);
	assert_non_null(strstr(text, "9007199254740991"));
}

/* A fraction in a reply reads as the text the service wrote (0.1 stays
 * "0.1", not the double nearest it), and a configuration's 0.1, which
 * Terraform sends as text, goes to the service as that text. */
static void test_jsonmap__fractions(void **state)
{
	struct tfp_value *v = from_json("{\"max_concurrent_runs\":0.1}", NULL);
	const struct tfp_value *n = tfp_value_get(v, "max_concurrent_runs");
	struct tfp_number text;
	char *json;

	(void)state;
	assert_int_equal(n->u.num.kind, TFP_NUM_TEXT);
	assert_string_equal(n->u.num.text, "0.1");
	v = from_json("{\"max_concurrent_runs\":0.5}", NULL);
	n = tfp_value_get(v, "max_concurrent_runs");
	assert_int_equal(n->u.num.kind, TFP_NUM_FLOAT);
	assert_true(tfp_value_parse_number(&text, A, "0.1", 3));
	tfp_value_set(v, "max_concurrent_runs", tfp_value_number(A, &text));
	json = to_json(v);
	assert_non_null(strstr(json, "\"max_concurrent_runs\":0.1"));
}

static void test_jsonmap__keep_prior_and_defaults(void **state)
{
	struct tfp_value *prior = from_json(
		"{\"run_as\":{\"user_name\":\"sp@x\"},\"queue\":{\"enabled\":"
		"false}}",
		NULL);
	struct tfp_value *v;

	(void)state;
	/* run_as is write-only: the API omits it, the prior value stays. */
	v = from_json("{\"queue\":{\"enabled\":false}}", prior);
	assert_string_equal(
		tfp_value_get_string(tfp_value_get(v, "run_as")->u.coll.items[0],
				     "user_name"),
		"sp@x");
	/* A configured queue is kept even when it equals the default. */
	prior = from_json("{\"queue\":{\"enabled\":true}}", NULL);
	assert_int_equal(tfp_value_get(prior, "queue")->u.coll.n, 0);
	v = from_json("{\"queue\":{\"enabled\":true}}",
		      from_json("{\"queue\":{\"enabled\":false}}", NULL));
	assert_int_equal(tfp_value_get(v, "queue")->u.coll.n, 1);
}

/* A block the workspace adds by itself is not drift, but is imported. */
static void test_jsonmap__server_filled_block(void **state)
{
	const char *api = "{\"cloud\":{\"zone\":\"us-west-2a\"}}";
	struct tfp_value *absent = from_json("{}", NULL), *v;

	(void)state;
	assert_int_equal(tfp_value_get(absent, "cloud")->u.coll.n, 0);
	/* Prior state without the block: it stays absent. */
	v = from_json(api, absent);
	assert_int_equal(tfp_value_get(v, "cloud")->u.coll.n, 0);
	/* No prior state (an import): read as the workspace has it. */
	v = from_json(api, NULL);
	assert_int_equal(tfp_value_get(v, "cloud")->u.coll.n, 1);
	/* Configured: the workspace's values fill it. */
	v = from_json(api, from_json("{\"cloud\":{\"zone\":\"a\"}}", NULL));
	assert_int_equal(tfp_value_get(v, "cloud")->u.coll.n, 1);
	assert_string_equal(
		tfp_value_get_string(tfp_value_get(v, "cloud")->u.coll.items[0],
				     "zone"),
		"us-west-2a");
}

static void test_jsonmap__type_errors_name_the_field(void **state)
{
	cJSON *j = cJSON_Parse("{\"tasks\":[{\"task_key\":\"a\","
			       "\"timeout_seconds\":\"soon\"}]}");
	struct tfp_value *v = NULL;

	(void)state;
	tfp_arena_defer_json(A, j);
	assert_int_equal(tfp_jsonmap_to_value(&v, A, JOB, job_attrs, job_blocks,
					      j, NULL, &D),
			 TFP_ERROR);
	assert_non_null(
		strstr(D.items[D.n - 1].detail, "tasks[0].timeout_seconds"));
}

/* --- keyed planning ------------------------------------------------------- */

static struct tfp_resource fake = {
	.type_name = "fake_job",
	.attrs = job_attrs,
	.blocks = job_blocks,
	.desc = "d",
};

static struct tfp_call CALL;

static void call_init(void)
{
	memset(&CALL, 0, sizeof(CALL));
	CALL.arena = A;
	CALL.diags = &D;
	CALL.type_name = "fake_job";
	fake.update = (void *)1; /* updatable in place */
}

/* Reverses a known set's element order, as a reordered config would. */
static struct tfp_value *reversed_tasks(const struct tfp_value *v)
{
	struct tfp_value *c = tfp_value_copy(A, v);
	struct tfp_value *t = tfp_value_get(c, "task");
	size_t i, n = t->u.coll.n;

	for (i = 0; i < n / 2; i++) {
		struct tfp_value *x = t->u.coll.items[i];

		t->u.coll.items[i] = t->u.coll.items[n - 1 - i];
		t->u.coll.items[n - 1 - i] = x;
	}
	return c;
}

static void test_jsonmap__reorder_is_no_change(void **state)
{
	struct tfp_rt_resource rt = { .res = &fake, .type = JOB };
	struct tfp_value *prior = from_json(API_JOB, NULL);
	struct tfp_value *proposed;
	struct tfp_plan_result plan;

	(void)state;
	call_init();
	tfp_value_set_string(A, prior, "id", "42");
	proposed = reversed_tasks(prior);
	assert_int_equal(tfp_lifecycle_plan(&plan, &CALL, &rt, prior, proposed,
					    proposed),
			 TFP_OK);
	assert_true(tfp_value_equal(plan.planned, prior));
	assert_true(tfp_value_wholly_known(plan.planned));
}

static void test_jsonmap__changed_task_only(void **state)
{
	struct tfp_rt_resource rt = { .res = &fake, .type = JOB };
	struct tfp_value *prior = from_json(API_JOB, NULL);
	struct tfp_value *proposed = reversed_tasks(prior);
	struct tfp_value *t, *nb;
	struct tfp_plan_result plan;
	const struct tfp_value *pt;

	(void)state;
	call_init();
	tfp_value_set_string(A, prior, "id", "42");
	proposed = reversed_tasks(prior);
	/* The config changes one task's path and leaves its server-filled
	 * values out, as a user's config does. */
	t = (struct tfp_value *)task(proposed, "transform");
	nb = tfp_value_get(t, "notebook_task")->u.coll.items[0];
	tfp_value_set_string(A, nb, "notebook_path", "/t2");
	tfp_value_set(nb, "source", NULL);
	tfp_value_set(t, "run_if", NULL);
	tfp_value_set(t, "timeout_seconds", NULL);
	assert_int_equal(tfp_lifecycle_plan(&plan, &CALL, &rt, prior, proposed,
					    proposed),
			 TFP_OK);
	assert_int_equal(plan.n_requires_replace, 0);
	/* The other task is untouched; the job keeps its id. */
	assert_true(tfp_value_equal(task(plan.planned, "ingest"),
				    task(prior, "ingest")));
	assert_string_equal(tfp_value_get_string(plan.planned, "id"), "42");
	pt = task(plan.planned, "transform");
	/* A default is known; other server-filled values will be known
	 * after apply. */
	assert_string_equal(tfp_value_get_string(pt, "run_if"), "ALL_SUCCESS");
	assert_true(tfp_value_is_unknown(tfp_value_get(pt, "timeout_seconds")));
	assert_true(tfp_value_is_unknown(tfp_value_get(
		tfp_value_get(pt, "notebook_task")->u.coll.items[0], "source")));
}

static void test_jsonmap__default_undoes_drift(void **state)
{
	struct tfp_rt_resource rt = { .res = &fake, .type = JOB };
	struct tfp_value *prior = from_json(API_JOB, NULL);
	struct tfp_value *config, *proposed;
	struct tfp_plan_result plan;

	(void)state;
	call_init();
	/* Someone set run_if in the UI; Terraform carries the refreshed
	 * value into its proposal because the config leaves it out. */
	tfp_value_set_string(A, (struct tfp_value *)task(prior, "ingest"),
			     "run_if", "ALL_DONE");
	proposed = reversed_tasks(prior);
	config = tfp_value_copy(A, proposed);
	tfp_value_set((struct tfp_value *)task(config, "ingest"), "run_if",
		      NULL);
	assert_int_equal(tfp_lifecycle_plan(&plan, &CALL, &rt, prior, proposed,
					    config),
			 TFP_OK);
	assert_string_equal(tfp_value_get_string(task(plan.planned, "ingest"),
						 "run_if"),
			    "ALL_SUCCESS");
	/* The untouched task keeps what it had. */
	assert_true(tfp_value_equal(task(plan.planned, "transform"),
				    task(prior, "transform")));
}

static void test_jsonmap__unknown_is_left_to_the_server(void **state)
{
	struct tfp_value *v = from_json(API_JOB, NULL);
	char *text;

	(void)state;
	tfp_value_set(v, "max_concurrent_runs",
		      tfp_value_unknown(A, &tfp_type_number));
	tfp_value_set((struct tfp_value *)task(v, "ingest"), "timeout_seconds",
		      tfp_value_unknown(A, &tfp_type_number));
	text = to_json(v);
	assert_null(strstr(text, "max_concurrent_runs"));
	assert_non_null(strstr(text, "\"task_key\":\"ingest\",\"run_if\""));
	assert_null(strstr(text, "\"task_key\":\"ingest\",\"run_if\":"
				 "\"ALL_SUCCESS\",\"timeout_seconds\""));
}

static void test_jsonmap__duplicate_keys_rejected(void **state)
{
	struct tfp_value *v = from_json(
		"{\"tasks\":[{\"task_key\":\"a\"},{\"task_key\":\"b\"},"
		"{\"task_key\":\"a\"}]}",
		NULL);
	size_t before = D.n;

	(void)state;
	call_init();
	assert_int_equal(tfp_lifecycle_validate(&CALL, job_attrs, job_blocks,
						v),
			 TFP_ERROR);
	assert_int_equal(D.n, before + 1);
	assert_string_equal(tfp_path_string(A, D.items[before].path), "task");
	assert_non_null(strstr(D.items[before].detail, "task_key = \"a\""));
}

/* An unkeyed set whose elements have a write-only field, and a setting
 * of the provider's own: reads keep both from the prior state. */
static const struct tfp_attr lib_attrs[] = {
	{ .name = "whl", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "w" },
	{ .name = "pin", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR, .desc = "p" },
	TFP_ATTR_END
};

static const struct tfp_block kept_blocks[] = {
	{ .name = "lib", .nesting = TFP_NEST_SET, .attrs = lib_attrs,
	  .desc = "l" },
	TFP_BLOCK_END
};

static const struct tfp_attr kept_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "n" },
	{ .name = "local", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON | TFP_KEEP_PRIOR, .desc = "o" },
	TFP_ATTR_END
};

static struct tfp_value *kept_from_json(const struct tfp_type *t,
					const char *text,
					const struct tfp_value *prior)
{
	cJSON *j = cJSON_Parse(text);
	struct tfp_value *v = NULL;

	assert_non_null(j);
	tfp_arena_defer_json(A, j);
	assert_int_equal(tfp_jsonmap_to_value(&v, A, t, kept_attrs,
					      kept_blocks, j, prior, &D),
			 TFP_OK);
	return v;
}

static const char *pin_of(const struct tfp_value *v, const char *whl)
{
	const struct tfp_value *libs = tfp_value_get(v, "lib");
	size_t i;

	for (i = 0; i < libs->u.coll.n; i++)
		if (strcmp(tfp_value_get_string(libs->u.coll.items[i], "whl"),
			   whl) == 0)
			return tfp_value_get_string(libs->u.coll.items[i],
						    "pin");
	fail_msg("no lib %s", whl);
	return NULL;
}

static void test_jsonmap__keep_prior_in_sets_and_no_json(void **state)
{
	const struct tfp_type *t = tfp_schema_type(A, kept_attrs, kept_blocks);
	struct tfp_value *prior = kept_from_json(
		t,
		"{\"name\":\"n\",\"lib\":[{\"whl\":\"a\",\"pin\":\"1\"},"
		"{\"whl\":\"b\",\"pin\":\"2\"}]}",
		NULL);
	struct tfp_value *v;
	cJSON *j = NULL;

	(void)state;
	tfp_value_set_string(A, prior, "local", "kept");
	/* Never sent. */
	assert_int_equal(tfp_jsonmap_from_value(&j, A, kept_attrs, kept_blocks,
						prior, &D),
			 TFP_OK);
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "local"));
	/* The reply has the set in another order and without pin: each
	 * element finds its own prior one by what was sent. */
	v = kept_from_json(t,
			   "{\"name\":\"n\",\"lib\":[{\"whl\":\"b\"},"
			   "{\"whl\":\"a\"}]}",
			   prior);
	assert_string_equal(pin_of(v, "a"), "1");
	assert_string_equal(pin_of(v, "b"), "2");
	assert_string_equal(tfp_value_get_string(v, "local"), "kept");
	/* A new element has nothing to keep; an import has no prior. */
	v = kept_from_json(t, "{\"lib\":[{\"whl\":\"c\"}]}", prior);
	assert_null(pin_of(v, "c"));
	v = kept_from_json(t, "{\"name\":\"n\"}", NULL);
	assert_null(tfp_value_get_string(v, "local"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_jsonmap__read_api_job),
		T(test_jsonmap__round_trip),
		T(test_jsonmap__exact_integers),
	T(test_jsonmap__fractions),
		T(test_jsonmap__keep_prior_and_defaults),
		T(test_jsonmap__type_errors_name_the_field),
		T(test_jsonmap__server_filled_block),
		T(test_jsonmap__reorder_is_no_change),
		T(test_jsonmap__changed_task_only),
		T(test_jsonmap__default_undoes_drift),
		T(test_jsonmap__unknown_is_left_to_the_server),
		T(test_jsonmap__duplicate_keys_rejected),
		T(test_jsonmap__keep_prior_in_sets_and_no_json),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
