/*
 * Unit tests of databricks_job's pure functions (resources/job_internal.h):
 * job IDs, the merge of jobs/get pages, run_as rebuilt from the reply, the
 * cross-attribute configuration checks, and the job tables driven through
 * jsonmap.c both ways (request body and state from a reply).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jobs/jobs_internal.h"
#include "jsonmap.h"
#include "path.h"
#include "unit_test.h"

/* --- helpers -------------------------------------------------------------- */

static int setup(void **state)
{
	return tfp_test_setup_resource(state, &tfp_resource_job);
}


/* Appends a new, all-null element to block name of obj and returns it. */
static struct tfp_value *add_block(struct tfp_arena *a, struct tfp_value *obj,
				   const char *name)
{
	int idx = tfp_type_attr_index(obj->type, name);
	const struct tfp_type *t = obj->type->attr_types[idx];
	struct tfp_value *old = tfp_value_get(obj, name);
	size_t n = tfp_value_is_known(old) ? old->u.coll.n : 0, i;
	struct tfp_value *coll = tfp_value_collection(a, t, n + 1);
	struct tfp_value *elem = tfp_value_object(a, t->elem);

	for (i = 0; i < n; i++)
		coll->u.coll.items[i] = old->u.coll.items[i];
	coll->u.coll.items[n] = elem;
	tfp_value_set(obj, name, coll);
	return elem;
}

/* A task with a key and a notebook_task. */
static struct tfp_value *add_task(struct tfp_arena *a, struct tfp_value *job,
				  const char *key)
{
	struct tfp_value *t = add_block(a, job, "task");
	struct tfp_value *nb = add_block(a, t, "notebook_task");

	tfp_value_set_string(a, t, "task_key", key);
	tfp_value_set_string(a, nb, "notebook_path", "/Jobs/x");
	return t;
}

static void add_dep(struct tfp_arena *a, struct tfp_value *task,
		    const char *key)
{
	tfp_value_set_string(a, add_block(a, task, "depends_on"), "task_key",
			     key);
}

static bool diags_mention(const struct tfp_diags *d, const char *text)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->items[i].detail, text) != NULL ||
		    strstr(d->items[i].summary, text) != NULL)
			return true;
	return false;
}

/* The daily-etl-pipeline configuration, valid. */
static struct tfp_value *etl_config(struct fixture *f)
{
	struct tfp_value *job = tfp_value_object(f->a, f->type);
	struct tfp_value *cl = add_block(f->a, job, "job_cluster");
	struct tfp_value *nc = add_block(f->a, cl, "new_cluster");
	struct tfp_value *ingest, *transform, *sched;

	tfp_value_set_string(f->a, job, "name", "daily-etl-pipeline");
	tfp_value_set_string(f->a, cl, "job_cluster_key", "etl-cluster");
	tfp_value_set_string(f->a, nc, "spark_version", "15.4.x-scala2.12");
	tfp_value_set(nc, "num_workers", tfp_value_int(f->a, 2));
	ingest = add_task(f->a, job, "ingest");
	tfp_value_set_string(f->a, ingest, "job_cluster_key", "etl-cluster");
	transform = add_task(f->a, job, "transform");
	tfp_value_set_string(f->a, transform, "job_cluster_key", "etl-cluster");
	add_dep(f->a, transform, "ingest");
	sched = add_block(f->a, job, "schedule");
	tfp_value_set_string(f->a, sched, "quartz_cron_expression",
			     "0 0 6 * * ?");
	tfp_value_set_string(f->a, sched, "timezone_id", "UTC");
	return job;
}

/* --- IDs ------------------------------------------------------------------ */

static void test_job__parse_id(void **state)
{
	static const struct {
		const char *id;
		int ok;
		int64_t want;
	} rows[] = {
		{"123", 1, 123},
		{"998654886170278", 1, 998654886170278},
		{"9007199254740991", 1, 9007199254740991},
		{"9007199254740992", 0, 0},  /* 2^53 */
		{"99999999999999999", 0, 0}, /* 17 digits */
		{"", 0, 0},
		{"12a", 0, 0},
		{"-1", 0, 0},
		{" 1", 0, 0},
		{"1.0", 0, 0},
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t got = -1;
		size_t before = f->d.n;
		int error = tfp_jobs__parse_id(&got, &f->d, rows[i].id);

		if (rows[i].ok) {
			assert_int_equal(error, TFP_OK);
			assert_true(got == rows[i].want);
			assert_int_equal(f->d.n, before);
		} else {
			assert_int_equal(error, TFP_ERROR);
			assert_int_equal(f->d.n, before + 1);
			assert_non_null(strstr(f->d.items[before].summary,
					       "Invalid job ID"));
		}
	}
	assert_int_equal(tfp_jobs__parse_id(&(int64_t){0}, &f->d, NULL),
			 TFP_ERROR);
}

static void test_job__is_uuid(void **state)
{
	(void)state;
	assert_true(tfp_jobs__is_uuid("0b9e4c2a-1234-4abc-8def-0123456789ab"));
	assert_true(tfp_jobs__is_uuid("0B9E4C2A-1234-4ABC-8DEF-0123456789AB"));
	assert_false(tfp_jobs__is_uuid("someone@example.com"));
	assert_false(tfp_jobs__is_uuid("0b9e4c2a-1234-4abc-8def-0123456789a"));
	assert_false(tfp_jobs__is_uuid("0b9e4c2a11234-4abc-8def-0123456789ab"));
	assert_false(tfp_jobs__is_uuid("0b9e4c2g-1234-4abc-8def-0123456789ab"));
	assert_false(tfp_jobs__is_uuid(""));
	assert_false(tfp_jobs__is_uuid(NULL));
}

/* --- pages ---------------------------------------------------------------- */

/* "k1,k2," from the key field of each element of settings[array]. */
static char *keys_of(cJSON *settings, const char *array, const char *key)
{
	static char buf[256];
	size_t len = 0;
	const cJSON *e;

	buf[0] = '\0';
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(settings, array))
	{
		int n = snprintf(buf + len, sizeof(buf) - len, "%s,",
				 tfp_json_string(e, key));

		assert_true(n > 0 && (size_t)n < sizeof(buf) - len);
		len += (size_t)n;
	}
	return buf;
}

static void test_job__merge_page(void **state)
{
	cJSON *acc = cJSON_Parse(
		"{\"job_id\":1,\"settings\":{\"name\":\"x\","
		"\"tasks\":[{\"task_key\":\"b\"},{\"task_key\":\"a\"}],"
		"\"job_clusters\":[{\"job_cluster_key\":\"c1\"}]},"
		"\"next_page_token\":\"t1\"}");
	cJSON *page2 = cJSON_Parse(
		"{\"job_id\":1,\"settings\":{\"name\":\"x\","
		"\"tasks\":[{\"task_key\":\"z\"}],\"job_clusters\":[],"
		"\"parameters\":[{\"name\":\"p\",\"default\":\"1\"}]},"
		"\"next_page_token\":\"t2\"}");
	cJSON *page3 = cJSON_Parse(
		"{\"job_id\":1,\"settings\":{\"tasks\":[{\"task_key\":\"y\"}],"
		"\"environments\":[{\"environment_key\":\"e\"}]}}");
	cJSON *settings;

	(void)state;
	tfp_jobs__merge_page(acc, page2);
	tfp_jobs__merge_page(acc, page3);
	settings = cJSON_GetObjectItemCaseSensitive(acc, "settings");
	/* Concatenated in page order, nothing sorted. */
	assert_string_equal(keys_of(settings, "tasks", "task_key"), "b,a,z,y,");
	assert_string_equal(
		keys_of(settings, "job_clusters", "job_cluster_key"), "c1,");
	assert_string_equal(keys_of(settings, "parameters", "name"), "p,");
	assert_string_equal(
		keys_of(settings, "environments", "environment_key"), "e,");
	/* The pages gave their elements away (each is freed once). */
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(page2, "settings"),
			"tasks")),
		0);
	/* Only the paged arrays move. */
	assert_string_equal(tfp_json_string(settings, "name"), "x");
	cJSON_Delete(page2);
	cJSON_Delete(page3);
	cJSON_Delete(acc);
}

static void test_job__merge_page_without_settings(void **state)
{
	cJSON *acc = cJSON_Parse("{\"job_id\":1}");
	cJSON *page = cJSON_Parse(
		"{\"settings\":{\"tasks\":[{\"task_key\":\"a\"}]}}");
	cJSON *empty = cJSON_Parse("{\"job_id\":1}");

	(void)state;
	tfp_jobs__merge_page(acc, empty);
	tfp_jobs__merge_page(acc, page);
	assert_string_equal(
		keys_of(cJSON_GetObjectItemCaseSensitive(acc, "settings"),
			"tasks", "task_key"),
		"a,");
	cJSON_Delete(acc);
	cJSON_Delete(page);
	cJSON_Delete(empty);
}

/* --- run_as --------------------------------------------------------------- */

static void test_job__run_as_from_reply(void **state)
{
	static const struct {
		const char *prior_field; /* NULL: no run_as block in prior */
		const char *settings;
		const char *who;
		const char *want; /* settings.run_as as JSON, or NULL */
	} rows[] = {
		{"user_name", "{}", "alice@example.com",
		 "{\"user_name\":\"alice@example.com\"}"},
		{"service_principal_name", "{}",
		 "0b9e4c2a-1234-4abc-8def-0123456789ab",
		 "{\"service_principal_name\":"
		 "\"0b9e4c2a-1234-4abc-8def-0123456789ab\"}"},
		/* A user the workspace now names instead is drift, shown. */
		{"service_principal_name", "{}", "bob@example.com",
		 "{\"user_name\":\"bob@example.com\"}"},
		{"group_name", "{}", "alice@example.com",
		 "{\"group_name\":\"prior\"}"},
		/* The reply's own run_as wins. */
		{"user_name", "{\"run_as\":{\"user_name\":\"x\"}}",
		 "alice@example.com", "{\"user_name\":\"x\"}"},
		/* No run_as configured: nothing is made up. */
		{NULL, "{}", "alice@example.com", NULL},
		{"user_name", "{}", NULL, NULL},
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tfp_value *prior = tfp_value_object(f->a, f->type);
		cJSON *settings = cJSON_Parse(rows[i].settings);
		cJSON *job = cJSON_CreateObject();
		cJSON *got;

		tfp_value_set(prior, "run_as",
			      tfp_value_collection(
				      f->a,
				      f->type->attr_types[tfp_type_attr_index(
					      f->type, "run_as")],
				      0));
		if (rows[i].prior_field != NULL)
			tfp_value_set_string(f->a,
					     add_block(f->a, prior, "run_as"),
					     rows[i].prior_field, "prior");
		if (rows[i].who != NULL)
			cJSON_AddStringToObject(job, "run_as_user_name",
						rows[i].who);
		tfp_jobs__run_as_from_reply(settings, job, prior);
		got = cJSON_GetObjectItemCaseSensitive(settings, "run_as");
		if (rows[i].want == NULL) {
			assert_null(got);
		} else {
			char *text = cJSON_PrintUnformatted(got);

			assert_string_equal(text, rows[i].want);
			cJSON_free(text);
		}
		cJSON_Delete(settings);
		cJSON_Delete(job);
	}
	/* No prior at all (import). */
	{
		cJSON *settings = cJSON_CreateObject();
		cJSON *job = cJSON_Parse("{\"run_as_user_name\":\"a\"}");

		tfp_jobs__run_as_from_reply(settings, job, NULL);
		assert_null(
			cJSON_GetObjectItemCaseSensitive(settings, "run_as"));
		cJSON_Delete(settings);
		cJSON_Delete(job);
	}
}

/* --- validation -------------------------------------------------------------
 */

static void test_job__validate_accepts_valid_config(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, etl_config(f)),
			 TFP_OK);
	assert_int_equal(f->d.n, 0);
	/* An empty job is valid too. */
	assert_int_equal(tfp_jobs__validate_config(
				 &f->d, f->a, tfp_value_object(f->a, f->type)),
			 TFP_OK);
	assert_int_equal(f->d.n, 0);
}

static void test_job__validate_task_type(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = tfp_value_object(f->a, f->type);
	struct tfp_value *t = add_block(f->a, job, "task");
	struct tfp_value *two = add_task(f->a, job, "two");

	tfp_value_set_string(f->a, t, "task_key", "none");
	tfp_value_set_string(f->a, add_block(f->a, two, "spark_python_task"),
			     "python_file", "/x.py");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_int_equal(f->d.n, 2);
	assert_true(diags_mention(&f->d, "Task \"none\" needs exactly one"));
	assert_true(diags_mention(&f->d, "notebook_task and "
					 "spark_python_task"));
	/* Diagnostics point at the task block. */
	assert_string_equal(tfp_path_string(f->a, f->d.items[0].path), "task");
}

static void test_job__validate_unknown_type_is_skipped(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = tfp_value_object(f->a, f->type);
	struct tfp_value *t = add_block(f->a, job, "task");
	int idx = tfp_type_attr_index(t->type, "sql_task");

	tfp_value_set_string(f->a, t, "task_key", "dyn");
	/* A dynamic block whose for_each is not known yet. */
	tfp_value_set(t, "sql_task",
		      tfp_value_unknown(f->a, t->type->attr_types[idx]));
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_OK);
	assert_int_equal(f->d.n, 0);
}

static void test_job__validate_compute(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);
	struct tfp_value *t = add_task(f->a, job, "both");

	tfp_value_set_string(f->a, t, "job_cluster_key", "etl-cluster");
	tfp_value_set_string(f->a, t, "existing_cluster_id", "0101-abc");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_int_equal(f->d.n, 1);
	assert_true(diags_mention(&f->d, "existing_cluster_id and "
					 "job_cluster_key"));

	/* An unknown cluster id may still be null: no claim. */
	tfp_value_set(t, "existing_cluster_id",
		      tfp_value_unknown(f->a, &tfp_type_string));
	f->d.n = 0;
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_OK);
}

static void test_job__validate_references(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);
	struct tfp_value *t = add_task(f->a, job, "load");

	add_dep(f->a, t, "missing");
	add_dep(f->a, t, "load");
	add_dep(f->a, t, "transform");
	tfp_value_set_string(f->a, t, "job_cluster_key", "nope");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_int_equal(f->d.n, 3);
	assert_true(diags_mention(&f->d, "depends on \"missing\""));
	assert_true(diags_mention(&f->d, "lists itself"));
	assert_true(diags_mention(&f->d, "job_cluster_key \"nope\""));
}

static void test_job__validate_references_with_unknown_keys(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);
	struct tfp_value *t = add_task(f->a, job, "load");
	struct tfp_value *u = add_task(f->a, job, "later");
	struct tfp_value *c = add_block(f->a, job, "job_cluster");

	/* A task and a job cluster whose keys come from elsewhere: a
	 * reference may name them, so nothing is reported. */
	tfp_value_set(u, "task_key", tfp_value_unknown(f->a, &tfp_type_string));
	tfp_value_set(c, "job_cluster_key",
		      tfp_value_unknown(f->a, &tfp_type_string));
	add_dep(f->a, t, "computed-name");
	tfp_value_set_string(f->a, t, "job_cluster_key", "computed-cluster");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_OK);
	assert_int_equal(f->d.n, 0);
}

static void test_job__validate_triggers(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);

	add_block(f->a, job, "continuous");
	add_block(f->a, job, "trigger");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_int_equal(f->d.n, 2);
	assert_true(diags_mention(&f->d, "both schedule and continuous"));
	assert_true(diags_mention(&f->d, "both schedule and trigger"));
	assert_string_equal(tfp_path_string(f->a, f->d.items[0].path),
			    "continuous");
}

static void test_job__validate_control_run_state(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);

	tfp_value_set(job, "control_run_state", tfp_value_bool(f->a, true));
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_string_equal(tfp_path_string(f->a, f->d.items[0].path),
			    "control_run_state");

	job = tfp_value_object(f->a, f->type);
	tfp_value_set(job, "control_run_state", tfp_value_bool(f->a, true));
	add_block(f->a, job, "continuous");
	f->d.n = 0;
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_OK);
}

static void test_job__validate_always_running(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = tfp_value_object(f->a, f->type);

	tfp_value_set(job, "always_running", tfp_value_bool(f->a, true));
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_OK);
	add_block(f->a, job, "continuous");
	tfp_value_set(job, "max_concurrent_runs", tfp_value_int(f->a, 2));
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_int_equal(f->d.n, 2);
	assert_true(diags_mention(&f->d, "one of always_running, continuous"));
	assert_true(diags_mention(&f->d, "max_concurrent_runs must be 1"));
	assert_string_equal(tfp_path_string(f->a, f->d.items[0].path),
			    "always_running");
}

/* The newer task types count as task types, in tasks and iterations. */
static void test_job__validate_new_task_types(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);
	struct tfp_value *t = add_block(f->a, job, "task");

	tfp_value_set_string(f->a, t, "task_key", "bi");
	tfp_value_set_string(f->a, add_block(f->a, t, "power_bi_task"),
			     "warehouse_id", "w");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_OK);
	tfp_value_set_string(f->a, add_block(f->a, t, "dashboard_task"),
			     "dashboard_id", "d");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_true(diags_mention(&f->d, "both dashboard_task and "
					 "power_bi_task"));
}

static void test_job__validate_too_many_tasks(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = tfp_value_object(f->a, f->type);
	const struct tfp_type *t =
		f->type->attr_types[tfp_type_attr_index(f->type, "task")];
	struct tfp_value *tasks = tfp_value_collection(f->a, t, 1001);
	size_t i;

	for (i = 0; i < 1001; i++) {
		struct tfp_value *task = tfp_value_object(f->a, t->elem);

		tfp_value_set_string(f->a, task, "task_key",
				     tfp_arena_printf(f->a, "t%zu", i));
		tfp_value_set_string(f->a,
				     add_block(f->a, task, "notebook_task"),
				     "notebook_path", "/x");
		if (i > 0)
			add_dep(f->a, task,
				tfp_arena_printf(f->a, "t%zu", i - 1));
		tasks->u.coll.items[i] = task;
	}
	tfp_value_set(job, "task", tasks);
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_int_equal(f->d.n, 1);
	assert_true(diags_mention(&f->d, "at most 1000 tasks; this one has "
					 "1001"));

	/* 1000 is fine. */
	tasks->u.coll.n = 1000;
	f->d.n = 0;
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_OK);
}

static void test_job__validate_for_each_task(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);
	struct tfp_value *t = add_block(f->a, job, "task");
	struct tfp_value *fe = add_block(f->a, t, "for_each_task");
	struct tfp_value *inner = add_block(f->a, fe, "task");

	tfp_value_set_string(f->a, t, "task_key", "loop");
	tfp_value_set_string(f->a, fe, "inputs", "[1,2]");
	tfp_value_set_string(f->a, inner, "task_key", "body");
	tfp_value_set_string(f->a, inner, "job_cluster_key", "nope");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_ERROR);
	assert_int_equal(f->d.n, 2);
	assert_true(diags_mention(&f->d, "Task \"body\" needs exactly one"));
	assert_true(diags_mention(&f->d, "job_cluster_key \"nope\""));
	assert_string_equal(tfp_path_string(f->a, f->d.items[0].path),
			    "task.for_each_task[0].task[0]");

	f->d.n = 0;
	tfp_value_set_string(f->a, add_block(f->a, inner, "notebook_task"),
			     "notebook_path", "/x");
	tfp_value_set_string(f->a, inner, "job_cluster_key", "etl-cluster");
	assert_int_equal(tfp_jobs__validate_config(&f->d, f->a, job), TFP_OK);
}

/* --- unknowns ------------------------------------------------------------- */

static void test_job__unknowns_to_null(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);
	struct tfp_value *task;
	struct tfp_value *got;

	tfp_value_set(job, "id", tfp_value_unknown(f->a, &tfp_type_string));
	task = tfp_value_get(job, "task")->u.coll.items[0];
	tfp_value_set(task, "timeout_seconds",
		      tfp_value_unknown(f->a, &tfp_type_number));
	got = tfp_value_unknowns_to_null(f->a, job);
	assert_true(tfp_value_wholly_known(got));
	assert_true(tfp_value_is_null(tfp_value_get(got, "id")));
	assert_true(tfp_value_is_null(
		tfp_value_get(tfp_value_get(got, "task")->u.coll.items[0],
			      "timeout_seconds")));
	/* The input is left alone. */
	assert_true(tfp_value_is_unknown(tfp_value_get(job, "id")));
	assert_string_equal(tfp_value_get_string(got, "name"),
			    "daily-etl-pipeline");
	assert_true(tfp_value_is_null(tfp_value_unknowns_to_null(
		f->a, tfp_value_unknown(f->a, f->type))));
}

/* --- the tables through jsonmap ----------------------------------------------
 */

static void test_job__request_body(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *job = etl_config(f);
	cJSON *body = NULL, *tasks, *t;
	int error;

	tfp_value_set(job, "id", tfp_value_string(f->a, "1"));
	tfp_value_set(job, "control_run_state", tfp_value_bool(f->a, false));
	error = tfp_jsonmap_from_value(&body, f->a, tfp_resource_job.attrs,
				       tfp_resource_job.blocks, job, &f->d);
	assert_int_equal(error, TFP_OK);
	/* API names; resource-only fields stay out. */
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "task"));
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "id"));
	assert_null(
		cJSON_GetObjectItemCaseSensitive(body, "control_run_state"));
	assert_null(cJSON_GetObjectItemCaseSensitive(body, "queue"));
	tasks = cJSON_GetObjectItemCaseSensitive(body, "tasks");
	assert_int_equal(cJSON_GetArraySize(tasks), 2);
	t = cJSON_GetArrayItem(tasks, 1);
	assert_string_equal(tfp_json_string(t, "task_key"), "transform");
	assert_true(cJSON_IsObject(
		cJSON_GetObjectItemCaseSensitive(t, "notebook_task")));
	assert_true(cJSON_IsArray(
		cJSON_GetObjectItemCaseSensitive(t, "depends_on")));
	assert_true(cJSON_IsObject(
		cJSON_GetObjectItemCaseSensitive(body, "schedule")));
	assert_string_equal(
		tfp_json_string(
			cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
						   body, "job_clusters"),
					   0),
			"job_cluster_key"),
		"etl-cluster");
}

static void test_job__state_from_reply(void **state)
{
	struct fixture *f = *state;
	/* As the workspace answers: server defaults filled in, tasks in its
	 * own order, the notifications as {}. */
	cJSON *settings = cJSON_Parse(
		"{\"name\":\"etl\",\"format\":\"MULTI_TASK\","
		"\"max_concurrent_runs\":1,\"timeout_seconds\":0,"
		"\"email_notifications\":{},\"webhook_notifications\":{},"
		"\"queue\":{\"enabled\":true},"
		"\"git_source\":{\"git_url\":\"https://github.com/a/b\","
		"\"git_provider\":\"gitHub\",\"git_branch\":\"main\"},"
		"\"tasks\":[{\"task_key\":\"b\",\"run_if\":\"ALL_SUCCESS\","
		"\"depends_on\":[{\"task_key\":\"a\"}],"
		"\"notebook_task\":{\"notebook_path\":\"/n\","
		"\"source\":\"GIT\"},\"email_notifications\":{}},"
		"{\"task_key\":\"a\",\"run_job_task\":{\"job_id\":"
		"998654886170278}}]}");
	struct tfp_value *v = NULL, *tasks, *git;
	int error;
	size_t i;

	error = tfp_jsonmap_to_value(&v, f->a, f->type, tfp_resource_job.attrs,
				     tfp_resource_job.blocks, settings, NULL,
				     &f->d);
	assert_int_equal(error, TFP_OK);
	assert_string_equal(tfp_value_get_string(v, "name"), "etl");
	assert_int_equal(tfp_value_get(v, "queue")->u.coll.n, 0);
	assert_int_equal(tfp_value_get(v, "email_notifications")->u.coll.n, 0);
	git = tfp_value_get(v, "git_source")->u.coll.items[0];
	assert_string_equal(tfp_value_get_string(git, "url"),
			    "https://github.com/a/b");
	assert_string_equal(tfp_value_get_string(git, "branch"), "main");
	tasks = tfp_value_get(v, "task");
	assert_int_equal(tasks->u.coll.n, 2);
	for (i = 0; i < 2; i++) {
		const struct tfp_value *t = tasks->u.coll.items[i];
		int64_t id = 0;

		if (strcmp(tfp_value_get_string(t, "task_key"), "a") != 0)
			continue;
		assert_true(tfp_value_get_int(
			tfp_value_get(t, "run_job_task")->u.coll.items[0],
			"job_id", &id));
		assert_true(id == 998654886170278);
	}
	cJSON_Delete(settings);
}

static void test_job__pick_created(void **state)
{
	struct fixture *f = *state;
	cJSON *jobs = cJSON_Parse(
		"["
		/* the one: same name, same creator (other case), recent */
		"{\"job_id\":11,\"creator_user_name\":\"Me@x.com\","
		"\"created_time\":5000,\"settings\":{\"name\":\"etl\"}},"
		/* older than the first try */
		"{\"job_id\":12,\"creator_user_name\":\"me@x.com\","
		"\"created_time\":3999,\"settings\":{\"name\":\"etl\"}},"
		/* someone else's */
		"{\"job_id\":13,\"creator_user_name\":\"you@x.com\","
		"\"created_time\":6000,\"settings\":{\"name\":\"etl\"}},"
		/* jobs/list?name= matches without regard to case: not it */
		"{\"job_id\":14,\"creator_user_name\":\"me@x.com\","
		"\"created_time\":6000,\"settings\":{\"name\":\"ETL\"}},"
		/* incomplete entries are skipped */
		"{\"job_id\":15,\"settings\":{\"name\":\"etl\"}},"
		"{\"creator_user_name\":\"me@x.com\",\"created_time\":6000,"
		"\"settings\":{\"name\":\"etl\"}}"
		"]");
	cJSON *two, *none = cJSON_CreateArray();
	const char *ids;
	int64_t id;

	assert_int_equal(tfp_jobs__pick_created(&id, &ids, f->a, jobs, "etl",
					       "me@x.com", 4000),
			 1);
	assert_int_equal(id, 11);
	assert_string_equal(ids, "11");

	/* A wider window also takes the older job: ambiguous, both listed. */
	assert_int_equal(tfp_jobs__pick_created(&id, &ids, f->a, jobs, "etl",
					       "me@x.com", 0),
			 2);
	assert_string_equal(ids, "11, 12");

	/* Nothing of that name: none, so the create may be sent again. */
	assert_int_equal(tfp_jobs__pick_created(&id, &ids, f->a, jobs, "other",
					       "me@x.com", 0),
			 0);
	assert_int_equal(id, 0);
	assert_string_equal(ids, "");
	assert_int_equal(tfp_jobs__pick_created(&id, &ids, f->a, none, "etl",
					       "me@x.com", 0),
			 0);

	/* A duplicate made by a retried create shows as two. */
	two = cJSON_Parse(
		"[{\"job_id\":21,\"creator_user_name\":\"me@x.com\","
		"\"created_time\":9000,\"settings\":{\"name\":\"etl\"}},"
		"{\"job_id\":22,\"creator_user_name\":\"me@x.com\","
		"\"created_time\":9001,\"settings\":{\"name\":\"etl\"}}]");
	assert_int_equal(tfp_jobs__pick_created(&id, &ids, f->a, two, "etl",
					       "me@x.com", 8000),
			 2);
	assert_int_equal(id, 21);
	assert_string_equal(ids, "21, 22");
	cJSON_Delete(two);
	cJSON_Delete(none);
	cJSON_Delete(jobs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_job__parse_id, setup,
						tfp_test_teardown),
		cmocka_unit_test(test_job__is_uuid),
		cmocka_unit_test(test_job__merge_page),
		cmocka_unit_test(test_job__merge_page_without_settings),
		cmocka_unit_test_setup_teardown(test_job__run_as_from_reply,
						setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_job__validate_accepts_valid_config, setup,
			tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_job__validate_task_type,
						setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_job__validate_unknown_type_is_skipped, setup,
			tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_job__validate_compute,
						setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_job__validate_references,
						setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_job__validate_references_with_unknown_keys, setup,
			tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_job__validate_triggers,
						setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_job__validate_control_run_state, setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_job__validate_always_running, setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_job__validate_new_task_types, setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_job__validate_too_many_tasks, setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_job__validate_for_each_task, setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_job__unknowns_to_null,
						setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_job__request_body, setup,
						tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_job__state_from_reply,
						setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_job__pick_created, setup,
						tfp_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
