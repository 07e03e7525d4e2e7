/*
 * Unit tests for the emulated Jobs API (emulator/jobs*.c), driven through
 * the router with constructed requests (no network): create/get with the
 * server-filled defaults, 2.2 paging of jobs/get and runs/get versus
 * 2.0/2.1, jobs/list paging and filters, reset versus update (merge by
 * key, fields_to_remove), the 400 "Job N does not exist." quirk, settings
 * validation, run-now idempotency, the run clock (--run-duration-ms 0 and
 * a duration driven by emu_workspace_advance_clock), queueing and
 * skipping at max_concurrent_runs, cancel, get-output, delete, runs/submit,
 * exact integers and --state persistence.
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

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

/* The bearer token of call() and call_ok() (emu_test.h). */
#define EMU_TEST_TOKEN "dapi-jobs-test"
#include "emu_test.h"

/* --- helpers ---------------------------------------------------------------
 */

/* call_ok with a body (or target) made by emu_printf, freed here. */
static struct emu_test_result call_ok_owned(struct emu_workspace *ws,
					    const char *method, char *target,
					    char *body)
{
	struct emu_test_result r = call_ok(ws, method, target, body);

	free(target);
	free(body);
	return r;
}

/* Expects 200 with body "{}". */
static void ok(struct emu_workspace *ws, const char *method, const char *target,
	       const char *body)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, "{}");
}

static void fails(struct emu_workspace *ws, const char *method,
		  const char *target, const char *body, int status,
		  const char *code, const char *message)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, status, code,
		       message, NULL);
}

/* Expects 400 INVALID_PARAMETER_VALUE whose message contains part. */
static void invalid(struct emu_workspace *ws, const char *target,
		    const char *body, const char *part)
{
	emu_test_fails(ws, "POST", target, body, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, part);
}

static struct emu_workspace *workspace(int64_t run_ms)
{
	struct emu_workspace *ws = emu_workspace_new(NULL);

	emu_workspace_set_run_duration_ms(ws, run_ms);
	return ws;
}

/* cmocka setup: workspace(0) in *state (emu_test_teardown frees it). */
static int setup(void **state)
{
	*state = workspace(0);
	return 0;
}

/* Creates a job from body through version v; returns its id. */
static int64_t create(struct emu_workspace *ws, const char *v, const char *body)
{
	char *target = emu_printf("/api/%s/jobs/create", v);
	struct emu_test_result r = call_ok(ws, "POST", target, body);
	int64_t id = emu_test_int(r.json, "job_id");

	free(target);
	emu_test_result_dispose(&r);
	return id;
}

static struct emu_test_result get_job(struct emu_workspace *ws, const char *v,
				      int64_t id)
{
	char *target = emu_printf("/api/%s/jobs/get?job_id=%" PRId64, v, id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	free(target);
	return r;
}

/* A settings body with n notebook tasks t0000.. in reverse order and
 * nclusters job clusters. */
static char *many_tasks(const char *name, size_t n, size_t nclusters)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON *tasks = cJSON_AddArrayToObject(obj, "tasks");
	cJSON *clusters = cJSON_AddArrayToObject(obj, "job_clusters");
	char key[32], *text, *out;
	size_t i;

	cJSON_AddStringToObject(obj, "name", name);
	for (i = n; i-- > 0;) {
		cJSON *t = cJSON_CreateObject();
		cJSON *nb = cJSON_AddObjectToObject(t, "notebook_task");

		snprintf(key, sizeof(key), "t%04zu", i);
		cJSON_AddStringToObject(t, "task_key", key);
		cJSON_AddStringToObject(nb, "notebook_path", "/nb");
		cJSON_AddItemToArray(tasks, t);
	}
	for (i = 0; i < nclusters; i++) {
		cJSON *c = cJSON_CreateObject();

		snprintf(key, sizeof(key), "c%04zu", i);
		cJSON_AddStringToObject(c, "job_cluster_key", key);
		cJSON_AddObjectToObject(c, "new_cluster");
		cJSON_AddItemToArray(clusters, c);
	}
	text = cJSON_PrintUnformatted(obj);
	out = emu_xstrdup(text);
	cJSON_free(text);
	cJSON_Delete(obj);
	return out;
}

static const char *task_key_at(const cJSON *settings, int i)
{
	return emu_test_str(
		cJSON_GetArrayItem(cJSON_GetObjectItem(settings, "tasks"), i),
		"task_key");
}

/* --- create and get --------------------------------------------------------
 */

static void test_emu_jobs__create_get_defaults(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *s, *t;
	int64_t id;

	id = create(ws, "2.2",
		    "{\"name\":\"nightly\",\"format\":\"SINGLE_TASK\","
		    "\"access_control_list\":[],\"tasks\":["
		    "{\"task_key\":\"zeta\",\"notebook_task\":"
		    "{\"notebook_path\":\"/a\"},\"depends_on\":[{\"task_key\":"
		    "\"beta\"},{\"task_key\":\"alpha\"}]},"
		    "{\"task_key\":\"alpha\",\"spark_python_task\":"
		    "{\"python_file\":\"x.py\"},\"run_if\":\"ALL_DONE\","
		    "\"timeout_seconds\":30},"
		    "{\"task_key\":\"beta\",\"sql_task\":{\"warehouse_id\":"
		    "\"w\"},\"description\":null}]}");
	assert_true(id >= 1000000000000LL && id <= EMU_JSON_MAX_INT);

	r = get_job(ws, "2.2", id);
	assert_int_equal(emu_test_int(r.json, "job_id"), id);
	assert_string_equal(emu_test_str(r.json, "creator_user_name"),
			    "admin@example.com");
	assert_string_equal(emu_test_str(r.json, "run_as_user_name"),
			    "admin@example.com");
	assert_true(emu_test_int(r.json, "created_time") > 1600000000000LL);
	assert_null(cJSON_GetObjectItem(r.json, "next_page_token"));
	s = cJSON_GetObjectItem(r.json, "settings");
	assert_string_equal(emu_test_str(s, "name"), "nightly");
	/* format is output-only: the request's value is ignored. */
	assert_string_equal(emu_test_str(s, "format"), "MULTI_TASK");
	assert_int_equal(emu_test_int(s, "max_concurrent_runs"), 1);
	assert_int_equal(emu_test_int(s, "timeout_seconds"), 0);
	assert_true(cJSON_IsObject(emu_test_member(s, "email_notifications")));
	assert_null(emu_test_member(s, "email_notifications")->child);
	assert_true(
		cJSON_IsObject(emu_test_member(s, "webhook_notifications")));
	assert_true(cJSON_IsTrue(emu_test_member(s, "queue.enabled")));
	assert_null(cJSON_GetObjectItem(s, "access_control_list"));
	/* Tasks sorted by task_key, with their defaults. */
	assert_string_equal(task_key_at(s, 0), "alpha");
	assert_string_equal(task_key_at(s, 1), "beta");
	assert_string_equal(task_key_at(s, 2), "zeta");
	t = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "tasks"), 0);
	assert_string_equal(emu_test_str(t, "run_if"), "ALL_DONE");
	assert_int_equal(emu_test_int(t, "timeout_seconds"), 30);
	t = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "tasks"), 1);
	assert_string_equal(emu_test_str(t, "run_if"), "ALL_SUCCESS");
	assert_int_equal(emu_test_int(t, "timeout_seconds"), 0);
	assert_true(cJSON_IsObject(emu_test_member(t, "email_notifications")));
	assert_null(cJSON_GetObjectItem(t, "description"));
	t = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "tasks"), 2);
	assert_string_equal(
		emu_test_str(emu_test_member(t, "notebook_task"), "source"),
		"WORKSPACE");
	/* depends_on sorted too. */
	assert_string_equal(
		emu_test_str(
			cJSON_GetArrayItem(emu_test_member(t, "depends_on"), 0),
			"task_key"),
		"alpha");
	emu_test_result_dispose(&r);

	/* git_source makes GIT the default notebook source; 2.1 adds no
	 * queue; run_as sets run_as_user_name and is not echoed. */
	id = create(ws, "2.1",
		    "{\"git_source\":{\"git_url\":\"https://github.com/a/b\","
		    "\"git_provider\":\"gitHub\",\"git_branch\":\"main\"},"
		    "\"run_as\":{\"service_principal_name\":\"sp-1\"},"
		    "\"tasks\":[{\"task_key\":\"t\",\"notebook_task\":"
		    "{\"notebook_path\":\"nb\"}},{\"task_key\":\"u\","
		    "\"notebook_task\":{\"notebook_path\":\"nb\","
		    "\"source\":\"WORKSPACE\"}}]}");
	r = get_job(ws, "2.1", id);
	s = cJSON_GetObjectItem(r.json, "settings");
	assert_string_equal(emu_test_str(r.json, "run_as_user_name"), "sp-1");
	assert_null(cJSON_GetObjectItem(s, "run_as"));
	assert_null(cJSON_GetObjectItem(s, "queue"));
	assert_string_equal(
		emu_test_str(
			emu_test_member(cJSON_GetArrayItem(
						emu_test_member(s, "tasks"), 0),
					"notebook_task"),
			"source"),
		"GIT");
	assert_string_equal(
		emu_test_str(
			emu_test_member(cJSON_GetArrayItem(
						emu_test_member(s, "tasks"), 1),
					"notebook_task"),
			"source"),
		"WORKSPACE");
	emu_test_result_dispose(&r);

	/* A reset without run_as keeps it (cloud quirk); 2.2 reset adds the
	 * queue default. */
	r = call_ok_owned(ws, "POST", emu_xstrdup("/api/2.2/jobs/reset"),
			  emu_printf("{\"job_id\":%" PRId64 ",\"new_settings\":"
				     "{\"name\":\"r\"}}",
				     id));
	emu_test_result_dispose(&r);
	r = get_job(ws, "2.2", id);
	assert_string_equal(emu_test_str(r.json, "run_as_user_name"), "sp-1");
	assert_true(cJSON_IsTrue(
		emu_test_member(r.json, "settings.queue.enabled")));
	assert_null(emu_test_member(r.json, "settings.tasks"));
	emu_test_result_dispose(&r);

	/* A job without a name is "Untitled". */
	id = create(ws, "2.2", "{}");
	r = get_job(ws, "2.2", id);
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "settings"), "name"),
		"Untitled");
	emu_test_result_dispose(&r);

	/* A legacy 2.0 single-task job. */
	id = create(ws, "2.0",
		    "{\"name\":\"old\",\"existing_cluster_id\":\"c-1\","
		    "\"notebook_task\":{\"notebook_path\":\"/o\"}}");
	r = get_job(ws, "2.0", id);
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "settings"), "format"),
		"SINGLE_TASK");
	assert_null(emu_test_member(r.json, "settings.queue"));
	emu_test_result_dispose(&r);
}

/* --- paging ----------------------------------------------------------------
 */

static void test_emu_jobs__get_pages_in_2_2(void **state)
{
	struct emu_workspace *ws = *state;
	char *body = many_tasks("big", 150, 30), *token = NULL, *target;
	bool seen[150] = {false};
	size_t pages = 0, total = 0, clusters = 0;
	int64_t id;

	id = create(ws, "2.2", body);
	free(body);
	do {
		struct emu_test_result r;
		const cJSON *tasks, *t;

		target = token ? emu_printf("/api/2.2/jobs/get?job_id=%" PRId64
					    "&page_token=%s",
					    id, token)
			       : emu_printf("/api/2.2/jobs/get?job_id=%" PRId64,
					    id);
		r = call_ok(ws, "GET", target, NULL);
		free(target);
		free(token);
		token = NULL;
		tasks = emu_test_member(r.json, "settings.tasks");
		assert_true(cJSON_IsArray(tasks));
		cJSON_ArrayForEach(t, tasks)
		{
			long i = strtol(emu_test_str(t, "task_key") + 1, NULL,
					10);

			assert_true(i >= 0 && i < 150);

			assert_false(seen[i]);
			seen[i] = true;
			total++;
		}
		assert_true(cJSON_GetArraySize(tasks) <= 100);
		clusters += (size_t)cJSON_GetArraySize(
			emu_test_member(r.json, "settings.job_clusters"));
		if (pages == 0) {
			assert_int_equal(cJSON_GetArraySize(tasks), 100);
			assert_string_equal(
				task_key_at(emu_test_member(r.json, "settings"),
					    0),
				"t0000");
		} else {
			/* Exhausted arrays are left out on later pages. */
			assert_null(emu_test_member(r.json,
						    "settings.job_clusters"));
			assert_string_equal(
				emu_test_str(
					emu_test_member(r.json, "settings"),
					"name"),
				"big");
		}
		if (emu_test_str(r.json, "next_page_token"))
			token = emu_xstrdup(
				emu_test_str(r.json, "next_page_token"));
		pages++;
		emu_test_result_dispose(&r);
	} while (token);
	assert_int_equal(pages, 2);
	assert_int_equal(total, 150);
	assert_int_equal(clusters, 30);

	/* A token from another job, or garbage, is refused. */
	fails(ws, "GET", "/api/2.2/jobs/get?job_id=1000000000001&page_token=x",
	      NULL, 400, "INVALID_PARAMETER_VALUE",
	      "Job 1000000000001 does not exist.");
	target = emu_printf(
		"/api/2.2/jobs/get?job_id=%" PRId64 "&page_token=bm9wZQ", id);
	fails(ws, "GET", target, NULL, 400, "INVALID_PARAMETER_VALUE", NULL);
	free(target);

	/* 2.1 refuses more than 100 tasks, as the real service does. */
	target = emu_printf("/api/2.1/jobs/get?job_id=%" PRId64, id);
	fails(ws, "GET", target, NULL, 400, "INVALID_PARAMETER_VALUE",
	      "Resources with more than 100 tasks can only be handled by API "
	      "2.2 and above. Your resource has 150 tasks");
	free(target);
}

static void test_emu_jobs__get_all_at_once_in_2_1(void **state)
{
	struct emu_workspace *ws = *state;
	char *body = many_tasks("wide", 100, 150);
	struct emu_test_result r;
	int64_t id;

	id = create(ws, "2.1", body);
	free(body);
	r = get_job(ws, "2.1", id);
	assert_int_equal(
		cJSON_GetArraySize(emu_test_member(r.json, "settings.tasks")),
		100);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(
				 r.json, "settings.job_clusters")),
			 150);
	assert_null(cJSON_GetObjectItem(r.json, "next_page_token"));
	emu_test_result_dispose(&r);

	/* The same job in 2.2: the 150 clusters take two pages. */
	r = get_job(ws, "2.2", id);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(
				 r.json, "settings.job_clusters")),
			 100);
	assert_non_null(emu_test_str(r.json, "next_page_token"));
	emu_test_result_dispose(&r);

	/* Creating more than 100 tasks through 2.1 is refused. */
	body = many_tasks("big", 101, 0);
	invalid(ws, "/api/2.1/jobs/create", body, "Your resource has 101");
	free(body);
}

/* --- list ------------------------------------------------------------------
 */

static void test_emu_jobs__list(void **state)
{
	struct emu_workspace *ws = *state;
	static const char *const names[] = {"a", "b", "Shared", "c", "shared"};
	struct emu_test_result r;
	const cJSON *jobs, *j;
	char *token = NULL, *target;
	int64_t ids[5];
	size_t i, n = 0;

	r = call_ok(ws, "GET", "/api/2.2/jobs/list?", NULL);
	assert_string_equal(r.text, "{\"has_more\":false}");
	emu_test_result_dispose(&r);
	for (i = 0; i < 5; i++) {
		char *body = emu_printf(
			"{\"name\":\"%s\",\"tasks\":[{\"task_key\":\"t\","
			"\"notebook_task\":{\"notebook_path\":\"/x\"}}],"
			"\"job_clusters\":[{\"job_cluster_key\":\"k\"}]}",
			names[i]);

		ids[i] = create(ws, "2.2", body);
		free(body);
	}

	/* Pages of 2 by page_token, in creation order, each job once. */
	do {
		target = token ? emu_printf("/api/2.2/jobs/list?limit=2&"
					    "page_token=%s",
					    token)
			       : emu_xstrdup("/api/2.2/jobs/list?limit=2");
		free(token);
		token = NULL;
		r = call_ok(ws, "GET", target, NULL);
		free(target);
		jobs = cJSON_GetObjectItem(r.json, "jobs");
		assert_true(cJSON_GetArraySize(jobs) <= 2);
		cJSON_ArrayForEach(j, jobs)
		{
			assert_int_equal(emu_test_int(j, "job_id"), ids[n++]);
			/* No tasks or job_clusters without expand_tasks. */
			assert_null(emu_test_member(j, "settings.tasks"));
			assert_null(
				emu_test_member(j, "settings.job_clusters"));
			assert_null(cJSON_GetObjectItem(j, "run_as_user_name"));
			assert_non_null(emu_test_member(j, "settings.name"));
		}
		if (cJSON_IsTrue(cJSON_GetObjectItem(r.json, "has_more")))
			token = emu_xstrdup(
				emu_test_str(r.json, "next_page_token"));
		else
			assert_null(
				cJSON_GetObjectItem(r.json, "next_page_token"));
		emu_test_result_dispose(&r);
	} while (token);
	assert_int_equal(n, 5);

	/* offset, name (exact, case-insensitive), expand_tasks. */
	r = call_ok(ws, "GET", "/api/2.1/jobs/list?offset=3&limit=1", NULL);
	jobs = cJSON_GetObjectItem(r.json, "jobs");
	assert_int_equal(cJSON_GetArraySize(jobs), 1);
	assert_int_equal(emu_test_int(jobs->child, "job_id"), ids[3]);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "has_more")));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET",
		    "/api/2.2/jobs/list?name=SHARED&expand_tasks=true", NULL);
	jobs = cJSON_GetObjectItem(r.json, "jobs");
	assert_int_equal(cJSON_GetArraySize(jobs), 2);
	assert_int_equal(emu_test_int(jobs->child, "job_id"), ids[2]);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(jobs->child,
							    "settings.tasks")),
			 1);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(
				 jobs->child, "settings.job_clusters")),
			 1);
	assert_null(cJSON_GetObjectItem(jobs->child, "has_more"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", "/api/2.2/jobs/list?name=shar", NULL);
	assert_null(cJSON_GetObjectItem(r.json, "jobs"));
	emu_test_result_dispose(&r);
	/* limit 0 means the maximum (100); above 100 is refused. */
	r = call_ok(ws, "GET", "/api/2.2/jobs/list?limit=0", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "jobs")), 5);
	emu_test_result_dispose(&r);
	fails(ws, "GET", "/api/2.2/jobs/list?limit=101", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "GET", "/api/2.2/jobs/list?page_token=zzz", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL);

	/* expand_tasks shows 100 tasks at most and flags the rest. */
	target = many_tasks("big", 120, 0);
	create(ws, "2.2", target);
	free(target);
	r = call_ok(ws, "GET", "/api/2.2/jobs/list?name=big&expand_tasks=true",
		    NULL);
	jobs = cJSON_GetObjectItem(r.json, "jobs");
	assert_int_equal(cJSON_GetArraySize(emu_test_member(jobs->child,
							    "settings.tasks")),
			 100);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(jobs->child, "has_more")));
	emu_test_result_dispose(&r);
}

/* --- reset and update ------------------------------------------------------
 */

/* tmpl with its one "%s" replaced by id. */
static char *with_id(const char *tmpl, int64_t id)
{
	const char *at = strstr(tmpl, "%s");
	char idtext[32];

	assert_non_null(at);
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	return emu_printf("%.*s%s%s", (int)(at - tmpl), tmpl, idtext, at + 2);
}

static void post_ok(struct emu_workspace *ws, const char *target, char *body)
{
	ok(ws, "POST", target, body);
	free(body);
}

static void test_emu_jobs__reset_and_update(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	const cJSON *s, *tasks;
	char *body;
	int64_t id;

	id = create(ws, "2.2",
		    "{\"name\":\"j\",\"max_concurrent_runs\":3,"
		    "\"schedule\":{\"quartz_cron_expression\":\"0 0 * * * ?\","
		    "\"timezone_id\":\"UTC\"},"
		    "\"tags\":{\"team\":\"x\"},"
		    "\"job_clusters\":[{\"job_cluster_key\":\"small\","
		    "\"new_cluster\":{\"num_workers\":1,"
		    "\"apply_policy_default_values\":true}},"
		    "{\"job_cluster_key\":\"big\",\"new_cluster\":"
		    "{\"num_workers\":8}}],"
		    "\"tasks\":[{\"task_key\":\"a\",\"notebook_task\":"
		    "{\"notebook_path\":\"/a\"},\"job_cluster_key\":\"small\"},"
		    "{\"task_key\":\"b\",\"notebook_task\":{\"notebook_path\":"
		    "\"/b\"},\"depends_on\":[{\"task_key\":\"a\"}]},"
		    "{\"task_key\":\"c\",\"notebook_task\":{\"notebook_path\":"
		    "\"/c\"},\"job_cluster_key\":\"big\"}]}");
	r = get_job(ws, "2.2", id);
	/* apply_policy_default_values is consumed, not echoed. */
	assert_null(emu_test_member(
		cJSON_GetArrayItem(
			emu_test_member(r.json, "settings.job_clusters"), 0),
		"new_cluster.apply_policy_default_values"));
	emu_test_result_dispose(&r);

	/* update: top-level fields replace, tasks and job_clusters merge by
	 * key (a task is replaced whole), fields_to_remove drops top-level
	 * fields and tasks/<key>, job_clusters/<key>. */
	post_ok(ws, "/api/2.2/jobs/update",
		with_id("{\"job_id\":%s,\"new_settings\":{"
			"\"name\":\"renamed\",\"tags\":{\"env\":\"prod\"},"
			"\"tasks\":[{\"task_key\":\"b\",\"spark_python_task\":"
			"{\"python_file\":\"b.py\"}},{\"task_key\":\"aa\","
			"\"notebook_task\":{\"notebook_path\":\"/aa\"}}]},"
			"\"fields_to_remove\":[\"schedule\",\"tasks/c\","
			"\"job_clusters/big\"]}",
			id));
	r = get_job(ws, "2.2", id);
	s = cJSON_GetObjectItem(r.json, "settings");
	assert_string_equal(emu_test_str(s, "name"), "renamed");
	assert_int_equal(emu_test_int(s, "max_concurrent_runs"), 3);
	assert_null(cJSON_GetObjectItem(s, "schedule"));
	assert_string_equal(emu_test_str(emu_test_member(s, "tags"), "env"),
			    "prod");
	assert_null(emu_test_member(s, "tags.team"));
	tasks = cJSON_GetObjectItem(s, "tasks");
	assert_int_equal(cJSON_GetArraySize(tasks), 3);
	assert_string_equal(task_key_at(s, 0), "a");
	assert_string_equal(task_key_at(s, 1), "aa");
	assert_string_equal(task_key_at(s, 2), "b");
	assert_non_null(emu_test_member(cJSON_GetArrayItem(tasks, 2),
					"spark_python_task"));
	assert_null(
		emu_test_member(cJSON_GetArrayItem(tasks, 2), "notebook_task"));
	assert_null(
		emu_test_member(cJSON_GetArrayItem(tasks, 2), "depends_on"));
	assert_string_equal(
		emu_test_str(cJSON_GetArrayItem(tasks, 0), "job_cluster_key"),
		"small");
	assert_int_equal(cJSON_GetArraySize(emu_test_member(s, "job_clusters")),
			 1);
	/* A 2.2 update without queue keeps what is there. */
	assert_true(cJSON_IsTrue(emu_test_member(s, "queue.enabled")));
	emu_test_result_dispose(&r);

	/* An update that would break the job is refused and changes
	 * nothing. */
	body = with_id("{\"job_id\":%s,\"fields_to_remove\":"
		       "[\"job_clusters/small\"]}",
		       id);
	invalid(ws, "/api/2.2/jobs/update", body,
		"references job cluster small");
	free(body);
	body = with_id("{\"job_id\":%s,\"fields_to_remove\":[\"tasks/a/x\"]}",
		       id);
	invalid(ws, "/api/2.2/jobs/update", body, "nested");
	free(body);
	r = get_job(ws, "2.2", id);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(
				 r.json, "settings.job_clusters")),
			 1);
	emu_test_result_dispose(&r);

	/* reset replaces everything: tasks gone, defaults back. */
	post_ok(ws, "/api/2.2/jobs/reset",
		with_id("{\"job_id\":%s,\"new_settings\":{\"name\":\"n\","
			"\"queue\":{\"enabled\":false}}}",
			id));
	r = get_job(ws, "2.2", id);
	s = cJSON_GetObjectItem(r.json, "settings");
	assert_null(cJSON_GetObjectItem(s, "tasks"));
	assert_null(cJSON_GetObjectItem(s, "job_clusters"));
	assert_null(cJSON_GetObjectItem(s, "tags"));
	assert_int_equal(emu_test_int(s, "max_concurrent_runs"), 1);
	assert_false(cJSON_IsTrue(emu_test_member(s, "queue.enabled")));
	assert_string_equal(emu_test_str(s, "format"), "MULTI_TASK");
	emu_test_result_dispose(&r);

	/* reset needs new_settings. */
	body = with_id("{\"job_id\":%s}", id);
	invalid(ws, "/api/2.2/jobs/reset", body,
		"Missing required field: new_settings");
	free(body);
}

/* --- errors ----------------------------------------------------------------
 */

static void test_emu_jobs__missing_job_is_400(void **state)
{
	struct emu_workspace *ws = *state;
	static const char *const posts[] = {
		"/api/2.2/jobs/reset",	"/api/2.2/jobs/update",
		"/api/2.2/jobs/delete", "/api/2.2/jobs/run-now",
		"/api/2.0/jobs/delete",
	};
	const char *msg = "Job 998654886170278 does not exist.";
	size_t i;
	int64_t id;
	char *body;

	fails(ws, "GET", "/api/2.2/jobs/get?job_id=998654886170278", NULL, 400,
	      "INVALID_PARAMETER_VALUE", msg);
	fails(ws, "GET", "/api/2.1/jobs/get?job_id=998654886170278", NULL, 400,
	      "INVALID_PARAMETER_VALUE", msg);
	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++)
		fails(ws, "POST", posts[i],
		      "{\"job_id\":998654886170278,\"new_settings\":{}}", 400,
		      "INVALID_PARAMETER_VALUE", msg);
	fails(ws, "GET", "/api/2.2/jobs/runs/list?job_id=998654886170278", NULL,
	      400, "INVALID_PARAMETER_VALUE", msg);
	fails(ws, "GET", "/api/2.2/jobs/runs/get?run_id=777", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Run 777 does not exist.");
	fails(ws, "GET", "/api/2.2/jobs/runs/get-output?run_id=777", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Run 777 does not exist.");
	fails(ws, "POST", "/api/2.2/jobs/runs/cancel", "{\"run_id\":777}", 400,
	      "INVALID_PARAMETER_VALUE", "Run 777 does not exist.");
	fails(ws, "GET", "/api/2.2/jobs/get", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: job_id");
	fails(ws, "GET", "/api/2.2/jobs/get?job_id=1.5", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", "/api/2.2/jobs/delete", "{\"job_id\":\"12\"}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Invalid value for field 'job_id': expected an integer, got a "
	      "string.");
	fails(ws, "POST", "/api/2.2/jobs/create", "[1]", 400,
	      "MALFORMED_REQUEST", NULL);
	fails(ws, "POST", "/api/2.3/jobs/create", "{}", 404,
	      "ENDPOINT_NOT_FOUND", NULL);
	fails(ws, "GET", "/api/2.2/jobs/create", NULL, 404,
	      "ENDPOINT_NOT_FOUND", NULL);

	/* Deleted jobs are gone. */
	id = create(ws, "2.2", "{\"name\":\"x\"}");
	body = with_id("{\"job_id\":%s}", id);
	ok(ws, "POST", "/api/2.2/jobs/delete", body);
	fails(ws, "POST", "/api/2.2/jobs/delete", body, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	free(body);
}

static void test_emu_jobs__validation(void **state)
{
	struct emu_workspace *ws = *state;
	const char *c = "/api/2.2/jobs/create";
	char *body;

	invalid(ws, c,
		"{\"tasks\":[{\"task_key\":\"a\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"}},{\"task_key\":\"a\","
		"\"notebook_task\":{\"notebook_path\":\"/b\"}}]}",
		"Task key a is not unique.");
	invalid(ws, c,
		"{\"tasks\":[{\"task_key\":\"a\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"},\"depends_on\":[{\"task_key\":"
		"\"ghost\"}]}]}",
		"Task a depends on task ghost, which does not exist");
	invalid(ws, c,
		"{\"tasks\":[{\"task_key\":\"a\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"},\"depends_on\":[{\"task_key\":"
		"\"b\"}]},{\"task_key\":\"b\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"},\"depends_on\":[{\"task_key\":"
		"\"c\"}]},{\"task_key\":\"c\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"},\"depends_on\":[{\"task_key\":"
		"\"a\"}]}]}",
		"contain a cycle: a -> b -> c -> a.");
	invalid(ws, c,
		"{\"tasks\":[{\"task_key\":\"self\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"},\"depends_on\":[{\"task_key\":"
		"\"self\"}]}]}",
		"cycle: self -> self.");
	invalid(ws, c,
		"{\"tasks\":[{\"task_key\":\"a\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"},\"job_cluster_key\":\"nope\"}]}",
		"Task a references job cluster nope, which is not defined");
	invalid(ws, c, "{\"tasks\":[{\"task_key\":\"a\"}]}",
		"Task a does not specify a task type");
	invalid(ws, c,
		"{\"tasks\":[{\"task_key\":\"a\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"},\"sql_task\":{}}]}",
		"exactly one task type");
	invalid(ws, c, "{\"tasks\":[{\"notebook_task\":{}}]}",
		"Missing required field: task_key");
	invalid(ws, c,
		"{\"tasks\":[{\"task_key\":\"has space\",\"notebook_task\":"
		"{\"notebook_path\":\"/a\"}}]}",
		"Invalid task_key");
	invalid(ws, c, "{\"tasks\":{}}",
		"Invalid value for field 'tasks': expected an array, got an "
		"object.");
	invalid(ws, c, "{\"tasks\":[{\"task_key\":1}]}",
		"Invalid value for field 'tasks[0].task_key': expected a "
		"string, got a number.");
	invalid(ws, c, "{\"max_concurrent_runs\":1001}", "max_concurrent_runs");
	invalid(ws, c, "{\"max_concurrent_runs\":1.5}",
		"'max_concurrent_runs': expected an integer");
	invalid(ws, c,
		"{\"job_clusters\":[{\"job_cluster_key\":\"k\"},"
		"{\"job_cluster_key\":\"k\"}]}",
		"Job cluster key k is not unique.");
	invalid(ws, c, "{\"queue\":{}}", "queue.enabled");
	invalid(ws, c, "{\"git_source\":{\"git_url\":\"u\"}}",
		"git_source.git_provider must be one of");
	invalid(ws, c,
		"{\"notebook_task\":{\"notebook_path\":\"/a\"},"
		"\"job_clusters\":[{\"job_cluster_key\":\"k\"}]}",
		"Shared job cluster feature is only supported in multi-task "
		"jobs.");
	invalid(ws, c,
		"{\"tasks\":[{\"task_key\":\"a\",\"run_job_task\":"
		"{\"job_id\":9007199254740993}}]}",
		"'tasks[0].run_job_task.job_id': integers must have a "
		"magnitude below 2^53.");
	invalid(ws, c,
		"{\"run_as\":{\"user_name\":\"a\",\"group_name\":\"b\"}}",
		"run_as");

	body = many_tasks("too-big", 1001, 0);
	invalid(ws, c, body, "at most 1000 tasks; this one has 1001");
	free(body);
	/* 1000 is fine. */
	body = many_tasks("max", 1000, 0);
	create(ws, "2.2", body);
	free(body);
}

/* --- runs ------------------------------------------------------------------
 */

static int64_t run_now(struct emu_workspace *ws, int64_t job_id,
		       const char *extra)
{
	char *body = emu_printf("{\"job_id\":%" PRId64 "%s}", job_id,
				extra ? extra : "");
	struct emu_test_result r =
		call_ok(ws, "POST", "/api/2.2/jobs/run-now", body);
	int64_t id = emu_test_int(r.json, "run_id");

	assert_int_equal(emu_test_int(r.json, "number_in_job"), id);
	free(body);
	emu_test_result_dispose(&r);
	return id;
}

static struct emu_test_result get_run(struct emu_workspace *ws, int64_t run_id)
{
	char *target =
		emu_printf("/api/2.2/jobs/runs/get?run_id=%" PRId64, run_id);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);

	free(target);
	return r;
}

/* life_cycle_state of a run, copied into buf. */
static const char *lcs(struct emu_workspace *ws, int64_t run_id, char *buf,
		       size_t len)
{
	struct emu_test_result r = get_run(ws, run_id);

	snprintf(buf, len, "%s",
		 emu_test_str(emu_test_member(r.json, "state"),
			      "life_cycle_state"));
	emu_test_result_dispose(&r);
	return buf;
}

static const char *two_tasks =
	"{\"name\":\"pipeline\",\"tasks\":[{\"task_key\":\"load\","
	"\"notebook_task\":{\"notebook_path\":\"/l\"},"
	"\"existing_cluster_id\":\"0101-x\"},{\"task_key\":\"extract\","
	"\"spark_python_task\":{\"python_file\":\"e.py\"}}],"
	"\"parameters\":[{\"name\":\"env\",\"default\":\"dev\"}]}";

static void test_emu_jobs__run_now_idempotency(void **state)
{
	struct emu_workspace *ws = workspace(1000);
	int64_t job, a, b, c;
	struct emu_test_result r;
	char *target;

	(void)state;
	job = create(ws, "2.2",
		     "{\"name\":\"j\",\"max_concurrent_runs\":5,\"tasks\":"
		     "[{\"task_key\":\"t\",\"notebook_task\":"
		     "{\"notebook_path\":\"/t\"}}]}");
	a = run_now(ws, job, ",\"idempotency_token\":\"tok-1\"");
	b = run_now(ws, job, ",\"idempotency_token\":\"tok-1\"");
	c = run_now(ws, job, ",\"idempotency_token\":\"tok-2\"");
	assert_int_equal(a, b);
	assert_true(a != c);
	target = emu_printf("/api/2.2/jobs/runs/list?job_id=%" PRId64, job);
	r = call_ok(ws, "GET", target, NULL);
	free(target);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "runs")), 2);
	/* Most recent first. */
	assert_int_equal(
		emu_test_int(cJSON_GetObjectItem(r.json, "runs")->child,
			     "run_id"),
		c);
	emu_test_result_dispose(&r);
	target = emu_printf("{\"job_id\":%" PRId64 ",\"idempotency_token\":"
			    "\"%065d\"}",
			    job, 0);
	invalid(ws, "/api/2.2/jobs/run-now", target, "idempotency_token");
	free(target);
	emu_workspace_free(ws);
}

static void test_emu_jobs__run_finishes_at_once_with_zero_duration(void **state)
{
	struct emu_workspace *ws = *state;
	const cJSON *tasks, *t, *params;
	struct emu_test_result r;
	int64_t job, run;
	char *target;

	job = create(ws, "2.2", two_tasks);
	run = run_now(ws, job,
		      ",\"job_parameters\":{\"env\":\"prod\"},"
		      "\"notebook_params\":{\"x\":\"1\"}");
	r = get_run(ws, run);
	assert_int_equal(emu_test_int(r.json, "job_id"), job);
	assert_int_equal(emu_test_int(r.json, "run_id"), run);
	assert_string_equal(emu_test_str(r.json, "run_type"), "JOB_RUN");
	assert_string_equal(emu_test_str(r.json, "run_name"), "pipeline");
	assert_string_equal(emu_test_str(r.json, "trigger"), "ONE_TIME");
	assert_string_equal(emu_test_str(r.json, "creator_user_name"),
			    "admin@example.com");
	assert_string_equal(emu_test_str(emu_test_member(r.json, "state"),
					 "life_cycle_state"),
			    "TERMINATED");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "state"), "result_state"),
		"SUCCESS");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "status"), "state"),
		"TERMINATED");
	assert_string_equal(
		emu_test_str(
			emu_test_member(r.json, "status.termination_details"),
			"code"),
		"SUCCESS");
	assert_true(emu_test_int(r.json, "end_time") >=
		    emu_test_int(r.json, "start_time"));
	target = emu_printf("http://127.0.0.1/?o=900800700600#job/%" PRId64
			    "/run/%" PRId64,
			    job, run);
	assert_string_equal(emu_test_str(r.json, "run_page_url"), target);
	free(target);
	/* Tasks sorted, each with its own run id and state. */
	tasks = cJSON_GetObjectItem(r.json, "tasks");
	assert_int_equal(cJSON_GetArraySize(tasks), 2);
	assert_string_equal(emu_test_str(tasks->child, "task_key"), "extract");
	cJSON_ArrayForEach(t, tasks)
	{
		assert_true(emu_test_int(t, "run_id") != run);
		assert_string_equal(emu_test_str(emu_test_member(t, "state"),
						 "life_cycle_state"),
				    "TERMINATED");
		assert_string_equal(emu_test_str(emu_test_member(t, "state"),
						 "result_state"),
				    "SUCCESS");
	}
	assert_string_equal(emu_test_str(emu_test_member(tasks->child->next,
							 "cluster_instance"),
					 "cluster_id"),
			    "0101-x");
	params = cJSON_GetObjectItem(r.json, "job_parameters");
	assert_string_equal(emu_test_str(params->child, "name"), "env");
	assert_string_equal(emu_test_str(params->child, "default"), "dev");
	assert_string_equal(emu_test_str(params->child, "value"), "prod");
	assert_string_equal(
		emu_test_str(emu_test_member(
				     r.json,
				     "overriding_parameters.notebook_params"),
			     "x"),
		"1");

	/* get-output: refused for a run with several tasks, fine for a task
	 * run. */
	target = emu_printf("/api/2.2/jobs/runs/get-output?run_id=%" PRId64,
			    run);
	fails(ws, "GET", target, NULL, 400, "INVALID_PARAMETER_VALUE",
	      "Retrieving the output of runs with multiple tasks is not "
	      "supported. Please retrieve the output of each individual task "
	      "run instead.");
	free(target);
	{
		int64_t task_run = emu_test_int(tasks->child->next, "run_id");
		struct emu_test_result o;

		target = emu_printf(
			"/api/2.2/jobs/runs/get-output?run_id=%" PRId64,
			task_run);
		o = call_ok(ws, "GET", target, NULL);
		free(target);
		assert_int_equal(
			emu_test_int(emu_test_member(o.json, "metadata"),
				     "run_id"),
			task_run);
		assert_int_equal(
			emu_test_int(emu_test_member(o.json, "metadata"),
				     "job_id"),
			job);
		assert_string_equal(
			emu_test_str(emu_test_member(o.json, "metadata"),
				     "task_key"),
			"load");
		assert_true(cJSON_IsObject(
			emu_test_member(o.json, "notebook_output")));
		emu_test_result_dispose(&o);
	}
	emu_test_result_dispose(&r);

	/* runs/list filters. */
	target = emu_printf("/api/2.2/jobs/runs/list?job_id=%" PRId64
			    "&active_only=true",
			    job);
	r = call_ok(ws, "GET", target, NULL);
	free(target);
	assert_null(cJSON_GetObjectItem(r.json, "runs"));
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "has_more")));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", "/api/2.2/jobs/runs/list?completed_only=true",
		    NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "runs")), 1);
	/* No tasks without expand_tasks. */
	assert_null(emu_test_member(cJSON_GetObjectItem(r.json, "runs")->child,
				    "tasks"));
	emu_test_result_dispose(&r);
	fails(ws, "GET",
	      "/api/2.2/jobs/runs/list?active_only=true&completed_only=true",
	      NULL, 400, "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "GET", "/api/2.2/jobs/runs/list?limit=26", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL);

	/* A finished run can be deleted; then it is gone. */
	target = emu_printf("{\"run_id\":%" PRId64 "}", run);
	ok(ws, "POST", "/api/2.2/jobs/runs/delete", target);
	free(target);
	target = emu_printf("/api/2.2/jobs/runs/get?run_id=%" PRId64, run);
	fails(ws, "GET", target, NULL, 400, "INVALID_PARAMETER_VALUE", NULL);
	free(target);
}

static void test_emu_jobs__run_progresses_with_the_clock(void **state)
{
	struct emu_workspace *ws = workspace(1000);
	struct emu_test_result r;
	int64_t job, run;
	char buf[32], *body;

	(void)state;
	job = create(ws, "2.2", two_tasks);
	run = run_now(ws, job, NULL);
	assert_string_equal(lcs(ws, run, buf, sizeof(buf)), "PENDING");
	r = get_run(ws, run);
	assert_int_equal(emu_test_int(r.json, "end_time"), 0);
	assert_null(emu_test_member(r.json, "state.result_state"));
	assert_string_equal(
		emu_test_str(
			emu_test_member(
				cJSON_GetArrayItem(
					emu_test_member(r.json, "tasks"), 0),
				"state"),
			"life_cycle_state"),
		"PENDING");
	emu_test_result_dispose(&r);

	/* A running run cannot be deleted. */
	body = emu_printf("{\"run_id\":%" PRId64 "}", run);
	fails(ws, "POST", "/api/2.2/jobs/runs/delete", body, 400,
	      "INVALID_STATE", NULL);

	emu_workspace_advance_clock(ws, 300);
	assert_string_equal(lcs(ws, run, buf, sizeof(buf)), "RUNNING");
	emu_workspace_advance_clock(ws, 500);
	assert_string_equal(lcs(ws, run, buf, sizeof(buf)), "TERMINATING");
	emu_workspace_advance_clock(ws, 250);
	assert_string_equal(lcs(ws, run, buf, sizeof(buf)), "TERMINATED");
	r = get_run(ws, run);
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "state"), "result_state"),
		"SUCCESS");
	assert_true(emu_test_int(r.json, "end_time") -
			    emu_test_int(r.json, "start_time") ==
		    1000);
	assert_int_equal(emu_test_int(r.json, "run_duration"), 1000);
	emu_test_result_dispose(&r);
	ok(ws, "POST", "/api/2.2/jobs/runs/delete", body);
	free(body);
	emu_workspace_free(ws);
}

static void test_emu_jobs__concurrency_queue_and_skip(void **state)
{
	struct emu_workspace *ws = workspace(1000);
	int64_t queued_job, plain_job, a, b, c, s1, s2;
	struct emu_test_result r;
	char buf[32];

	(void)state;
	/* 2.2 jobs queue by default. */
	queued_job = create(ws, "2.2",
			    "{\"name\":\"q\",\"tasks\":[{\"task_key\":\"t\","
			    "\"notebook_task\":{\"notebook_path\":\"/t\"}}]}");
	a = run_now(ws, queued_job, NULL);
	b = run_now(ws, queued_job, NULL);
	c = run_now(ws, queued_job, NULL);
	assert_string_equal(lcs(ws, a, buf, sizeof(buf)), "PENDING");
	assert_string_equal(lcs(ws, b, buf, sizeof(buf)), "QUEUED");
	r = get_run(ws, c);
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "status"), "state"),
		"QUEUED");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "status.queue_details"),
			     "code"),
		"MAX_CONCURRENT_RUNS_REACHED");
	assert_non_null(
		emu_test_str(emu_test_member(r.json, "state"), "queue_reason"));
	emu_test_result_dispose(&r);

	/* a ends at +1000, then b starts; c waits for b. */
	emu_workspace_advance_clock(ws, 1100);
	assert_string_equal(lcs(ws, a, buf, sizeof(buf)), "TERMINATED");
	assert_string_equal(lcs(ws, b, buf, sizeof(buf)), "PENDING");
	assert_string_equal(lcs(ws, c, buf, sizeof(buf)), "QUEUED");
	/* Cancelling b lets c start at once. */
	r = call_ok_owned(ws, "POST", emu_xstrdup("/api/2.2/jobs/runs/cancel"),
			  emu_printf("{\"run_id\":%" PRId64 "}", b));
	emu_test_result_dispose(&r);
	r = get_run(ws, b);
	assert_string_equal(emu_test_str(emu_test_member(r.json, "state"),
					 "life_cycle_state"),
			    "TERMINATED");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "state"), "result_state"),
		"CANCELED");
	assert_true(cJSON_IsTrue(
		emu_test_member(r.json, "state.user_cancelled_or_timedout")));
	assert_string_equal(
		emu_test_str(
			emu_test_member(r.json, "status.termination_details"),
			"code"),
		"USER_CANCELED");
	emu_test_result_dispose(&r);
	assert_string_equal(lcs(ws, c, buf, sizeof(buf)), "PENDING");
	r = get_run(ws, c);
	assert_true(emu_test_int(r.json, "queue_duration") >= 1100);
	emu_test_result_dispose(&r);
	/* Cancelling a finished run changes nothing. */
	r = call_ok_owned(ws, "POST", emu_xstrdup("/api/2.2/jobs/runs/cancel"),
			  emu_printf("{\"run_id\":%" PRId64 "}", a));
	emu_test_result_dispose(&r);
	r = get_run(ws, a);
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "state"), "result_state"),
		"SUCCESS");
	emu_test_result_dispose(&r);

	/* 2.1 jobs do not queue: the extra run is skipped... */
	plain_job = create(ws, "2.1",
			   "{\"name\":\"p\",\"tasks\":[{\"task_key\":\"t\","
			   "\"notebook_task\":{\"notebook_path\":\"/t\"}}]}");
	s1 = run_now(ws, plain_job, NULL);
	s2 = run_now(ws, plain_job, NULL);
	assert_string_equal(lcs(ws, s1, buf, sizeof(buf)), "PENDING");
	r = get_run(ws, s2);
	assert_string_equal(emu_test_str(emu_test_member(r.json, "state"),
					 "life_cycle_state"),
			    "SKIPPED");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "state"), "result_state"),
		"MAXIMUM_CONCURRENT_RUNS_REACHED");
	assert_string_equal(
		emu_test_str(
			emu_test_member(r.json, "status.termination_details"),
			"code"),
		"MAX_CONCURRENT_RUNS_EXCEEDED");
	emu_test_result_dispose(&r);
	/* ...unless run-now asks for the queue. */
	s2 = run_now(ws, plain_job, ",\"queue\":{\"enabled\":true}");
	assert_string_equal(lcs(ws, s2, buf, sizeof(buf)), "QUEUED");
	/* cancel-all cancels every active run of the job. */
	r = call_ok_owned(ws, "POST",
			  emu_xstrdup("/api/2.2/jobs/runs/cancel-all"),
			  emu_printf("{\"job_id\":%" PRId64 "}", plain_job));
	emu_test_result_dispose(&r);
	r = get_run(ws, s1);
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "state"), "result_state"),
		"CANCELED");
	emu_test_result_dispose(&r);
	r = get_run(ws, s2);
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "state"), "result_state"),
		"CANCELED");
	assert_null(emu_test_member(r.json, "queue_details"));
	emu_test_result_dispose(&r);
	emu_workspace_free(ws);
}

static void test_emu_jobs__runs_get_pages_tasks(void **state)
{
	struct emu_workspace *ws = *state;
	char *body = many_tasks("big", 230, 0), *target;
	struct emu_test_result r;
	int64_t job, run;

	job = create(ws, "2.2", body);
	free(body);
	run = run_now(ws, job, NULL);
	r = get_run(ws, run);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(r.json, "tasks")),
			 100);
	assert_non_null(emu_test_str(r.json, "next_page_token"));
	target = emu_printf("/api/2.2/jobs/runs/get?run_id=%" PRId64
			    "&page_token=%s",
			    run, emu_test_str(r.json, "next_page_token"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", target, NULL);
	free(target);
	assert_int_equal(cJSON_GetArraySize(emu_test_member(r.json, "tasks")),
			 100);
	assert_string_equal(
		emu_test_str(
			cJSON_GetArrayItem(emu_test_member(r.json, "tasks"), 0),
			"task_key"),
		"t0100");
	emu_test_result_dispose(&r);
	target = emu_printf("/api/2.1/jobs/runs/get?run_id=%" PRId64, run);
	fails(ws, "GET", target, NULL, 400, "INVALID_PARAMETER_VALUE",
	      "Resources with more than 100 tasks can only be handled by API "
	      "2.2 and above. Your resource has 230 tasks");
	free(target);
}

static void test_emu_jobs__submit(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	int64_t a, b;

	r = call_ok(ws, "POST", "/api/2.1/jobs/runs/submit",
		    "{\"idempotency_token\":\"s-1\",\"tasks\":[{\"task_key\":"
		    "\"only\",\"notebook_task\":{\"notebook_path\":\"/n\"}}]}");
	a = emu_test_int(r.json, "run_id");
	assert_null(cJSON_GetObjectItem(r.json, "number_in_job"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "POST", "/api/2.2/jobs/runs/submit",
		    "{\"idempotency_token\":\"s-1\",\"tasks\":[]}");
	b = emu_test_int(r.json, "run_id");
	emu_test_result_dispose(&r);
	assert_int_equal(a, b);
	r = get_run(ws, a);
	assert_null(cJSON_GetObjectItem(r.json, "job_id"));
	assert_string_equal(emu_test_str(r.json, "run_type"), "SUBMIT_RUN");
	assert_string_equal(emu_test_str(r.json, "run_name"), "Untitled");
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "state"), "result_state"),
		"SUCCESS");
	emu_test_result_dispose(&r);
	/* A one-task run's output is that task's. */
	r = call_ok_owned(
		ws, "GET",
		emu_printf("/api/2.2/jobs/runs/get-output?run_id=%" PRId64, a),
		NULL);
	assert_string_equal(
		emu_test_str(emu_test_member(r.json, "metadata"), "task_key"),
		"only");
	emu_test_result_dispose(&r);
	invalid(ws, "/api/2.2/jobs/runs/submit", "{\"run_name\":\"x\"}",
		"at least one task");
}

/* --- integers --------------------------------------------------------------
 */

/* True when every number in text is a plain integer (no '.', no 'e'). */
static bool digits_only(const char *key_in, const char *text)
{
	const char *p = text;
	size_t n = strlen(key_in);

	while ((p = strstr(p, key_in)) != NULL) {
		p += n;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.' || *p == 'e' || *p == 'E')
			return false;
	}
	return true;
}

static void test_emu_jobs__integers_are_exact(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	int64_t id, parsed;
	char *expect;
	size_t i;

	for (i = 0; i < 50; i++) {
		id = create(ws, "2.2",
			    "{\"tasks\":[{\"task_key\":\"t\",\"run_job_task\":"
			    "{\"job_id\":9007199254740991}}]}");
		r = get_job(ws, "2.2", id);
		assert_true(digits_only("\"job_id\":", r.text));
		assert_true(digits_only("\"created_time\":", r.text));
		expect = emu_printf("{\"job_id\":%" PRId64 ",", id);
		assert_memory_equal(r.text, expect, strlen(expect));
		free(expect);
		/* 2^53 - 1 inside the settings survives digit for digit. */
		assert_non_null(strstr(r.text, "\"job_id\":9007199254740991}"));
		parsed = emu_test_int(r.json, "job_id");
		assert_int_equal(parsed, id);
		emu_test_result_dispose(&r);
	}
	/* Run ids too. */
	id = run_now(ws, id, NULL);
	r = get_run(ws, id);
	assert_true(digits_only("\"run_id\":", r.text));
	assert_true(digits_only("\"start_time\":", r.text));
	emu_test_result_dispose(&r);
}

/* --- persistence -----------------------------------------------------------
 */

static void test_emu_jobs__state_round_trip(void **state)
{
	struct emu_workspace *ws = workspace(0), *back;
	char path[] = "/tmp/test_emu_jobs_XXXXXX";
	struct emu_test_result r1, r2;
	int64_t job, run;

	(void)state;
	emu_test_temp_file(path);
	job = create(ws, "2.2", two_tasks);
	run = run_now(ws, job, ",\"idempotency_token\":\"keep\"");
	back = workspace(0);
	emu_test_save_load(ws, back, path);
	r1 = get_job(ws, "2.2", job);
	r2 = get_job(back, "2.2", job);
	assert_string_equal(r1.text, r2.text);
	emu_test_result_dispose(&r1);
	emu_test_result_dispose(&r2);
	r1 = get_run(ws, run);
	r2 = get_run(back, run);
	assert_string_equal(r1.text, r2.text);
	emu_test_result_dispose(&r1);
	emu_test_result_dispose(&r2);
	/* The idempotency token still finds the run. */
	assert_int_equal(run_now(back, job, ",\"idempotency_token\":\"keep\""),
			 run);
	/* Reset empties jobs and runs. */
	r1 = call_ok(back, "POST", "/_emulator/reset", NULL);
	emu_test_result_dispose(&r1);
	r1 = call_ok(back, "GET", "/api/2.2/jobs/list", NULL);
	assert_null(cJSON_GetObjectItem(r1.json, "jobs"));
	emu_test_result_dispose(&r1);
	emu_workspace_free(back);
	emu_workspace_free(ws);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_emu_jobs__create_get_defaults, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_jobs__get_pages_in_2_2,
						setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_jobs__get_all_at_once_in_2_1, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_jobs__list, setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_jobs__reset_and_update,
						setup, emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_jobs__missing_job_is_400, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_jobs__validation,
						setup, emu_test_teardown),
		cmocka_unit_test(test_emu_jobs__run_now_idempotency),
		cmocka_unit_test_setup_teardown(
			test_emu_jobs__run_finishes_at_once_with_zero_duration,
			setup, emu_test_teardown),
		cmocka_unit_test(test_emu_jobs__run_progresses_with_the_clock),
		cmocka_unit_test(test_emu_jobs__concurrency_queue_and_skip),
		cmocka_unit_test_setup_teardown(
			test_emu_jobs__runs_get_pages_tasks, setup,
			emu_test_teardown),
		cmocka_unit_test_setup_teardown(test_emu_jobs__submit, setup,
						emu_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_emu_jobs__integers_are_exact, setup,
			emu_test_teardown),
		cmocka_unit_test(test_emu_jobs__state_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
