/*
 * JobSettings for the emulated Jobs API (databricks-rest-api.md §3.3):
 * type checks, validation with Databricks' 400 INVALID_PARAMETER_VALUE,
 * the defaults the service fills in, the jobs/update merge and the paged
 * views of jobs/get (2.2) and jobs/list (expand_tasks).
 *
 * Settings are kept as the JSON the client sent, plus defaults, as the
 * real service echoes them: unknown fields survive, JSON nulls are
 * dropped, integral numbers become exact raw integers (jobs_internal.h),
 * "format" is output-only and recomputed, tasks are sorted by task_key and
 * each depends_on by task_key (the real API returns both in that order,
 * whatever order they were sent in).
 *
 * Validation covers what clients trip over: more than 1000 tasks,
 * duplicate or malformed task keys, a task with no task type or with two,
 * depends_on naming an unknown task, dependency cycles, a job_cluster_key
 * or environment_key that is not defined, duplicate job cluster,
 * environment and parameter keys, and the value ranges of the top-level
 * fields. The exact wording of these messages is not confirmed against a
 * live workspace; the codes are.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "compute/clusters.h"
#include "errors.h"
#include "http.h"
#include "jobs_internal.h"
#include "json.h"
#include "util.h"

/* --- JSON helpers ----------------------------------------------------------
 */

size_t jobs_json_bytes(const cJSON *item)
{
	size_t n = 0;

	for (; item; item = item->next) {
		n += sizeof(cJSON);
		if (item->string)
			n += strlen(item->string) + 1;
		if (item->valuestring)
			n += strlen(item->valuestring) + 1;
		if (item->child)
			n += jobs_json_bytes(item->child);
	}
	return n;
}

/* Turns number node item into an exact raw integer, in place. */
static void make_raw(cJSON *item, int64_t v)
{
	char text[32];
	cJSON *tmp;

	snprintf(text, sizeof(text), "%" PRId64, v);
	tmp = cJSON_CreateRaw(text);
	item->type = cJSON_Raw;
	item->valuestring = tmp->valuestring;
	tmp->valuestring = NULL;
	cJSON_Delete(tmp);
}

/*
 * Returns NULL on success, or the path below item of the first integer out
 * of range ("" for item itself, ".a[2].b" below it), which the caller
 * frees. Null object members are removed on the way.
 */
static char *exactify(cJSON *item)
{
	cJSON *child, *next;
	size_t i = 0;
	char *bad, *path;

	if (cJSON_IsNumber(item)) {
		double d = item->valuedouble;

		if (!isfinite(d) || floor(d) != d)
			return NULL;
		if (fabs(d) > (double)EMU_JSON_MAX_INT)
			return emu_xstrdup("");
		make_raw(item, (int64_t)d);
		return NULL;
	}
	if (!cJSON_IsArray(item) && !cJSON_IsObject(item))
		return NULL;
	for (child = item->child; child; child = next, i++) {
		next = child->next;
		if (cJSON_IsObject(item) && cJSON_IsNull(child)) {
			cJSON_Delete(cJSON_DetachItemViaPointer(item, child));
			continue;
		}
		bad = exactify(child);
		if (!bad)
			continue;
		if (cJSON_IsArray(item))
			path = emu_printf("[%zu]%s", i, bad);
		else
			path = emu_printf(".%s%s", child->string, bad);
		free(bad);
		return path;
	}
	return NULL;
}

int jobs_json_exactify(cJSON *item, const char *what, struct emu_response *resp)
{
	char *bad = exactify(item);
	const char *rest;

	if (!bad)
		return 0;
	rest = bad;
	if (!*what && *rest == '.')
		rest++;
	if (resp)
		emu_error_invalid(resp,
				  "Invalid value for field '%s%s': integers "
				  "must have a magnitude below 2^53.",
				  what, rest);
	free(bad);
	return -1;
}

/* --- type checks -----------------------------------------------------------
 */

/* The task types; a task has exactly one of them (GO jobs.Task). */
static const char *const task_types[] = {
	"notebook_task",
	"spark_jar_task",
	"spark_python_task",
	"spark_submit_task",
	"pipeline_task",
	"python_wheel_task",
	"dbt_task",
	"dbt_cloud_task",
	"dbt_platform_task",
	"sql_task",
	"run_job_task",
	"condition_task",
	"for_each_task",
	"dashboard_task",
	"power_bi_task",
	"clean_rooms_notebook_task",
	"gen_ai_compute_task",
};

/* Top-level task types of a legacy (API 2.0, format SINGLE_TASK) job. */
static const char *const legacy_task_types[] = {
	"notebook_task",     "spark_jar_task",	  "spark_python_task",
	"spark_submit_task", "python_wheel_task", "pipeline_task",
	"run_job_task",
};

static const struct emu_json_field job_fields[] = {
	{"name", EMU_JSON_STRING},
	{"description", EMU_JSON_STRING},
	{"tasks", EMU_JSON_ARRAY},
	{"job_clusters", EMU_JSON_ARRAY},
	{"environments", EMU_JSON_ARRAY},
	{"parameters", EMU_JSON_ARRAY},
	{"max_concurrent_runs", EMU_JSON_INT},
	{"timeout_seconds", EMU_JSON_INT},
	{"schedule", EMU_JSON_OBJECT},
	{"continuous", EMU_JSON_OBJECT},
	{"trigger", EMU_JSON_OBJECT},
	{"queue", EMU_JSON_OBJECT},
	{"email_notifications", EMU_JSON_OBJECT},
	{"webhook_notifications", EMU_JSON_OBJECT},
	{"notification_settings", EMU_JSON_OBJECT},
	{"health", EMU_JSON_OBJECT},
	{"git_source", EMU_JSON_OBJECT},
	{"tags", EMU_JSON_OBJECT},
	{"edit_mode", EMU_JSON_STRING},
	{"deployment", EMU_JSON_OBJECT},
	{"budget_policy_id", EMU_JSON_STRING},
	{"usage_policy_id", EMU_JSON_STRING},
	{"performance_target", EMU_JSON_STRING},
	{"parent_path", EMU_JSON_STRING},
	/* Legacy single-task fields (API 2.0). */
	{"notebook_task", EMU_JSON_OBJECT},
	{"spark_jar_task", EMU_JSON_OBJECT},
	{"spark_python_task", EMU_JSON_OBJECT},
	{"spark_submit_task", EMU_JSON_OBJECT},
	{"python_wheel_task", EMU_JSON_OBJECT},
	{"pipeline_task", EMU_JSON_OBJECT},
	{"run_job_task", EMU_JSON_OBJECT},
	{"new_cluster", EMU_JSON_OBJECT},
	{"existing_cluster_id", EMU_JSON_STRING},
	{"libraries", EMU_JSON_ARRAY},
	{"max_retries", EMU_JSON_INT},
	{"min_retry_interval_millis", EMU_JSON_INT},
	{"retry_on_timeout", EMU_JSON_BOOL},
};

static const struct emu_json_field task_fields[] = {
	{"task_key", EMU_JSON_STRING},
	{"description", EMU_JSON_STRING},
	{"depends_on", EMU_JSON_ARRAY},
	{"run_if", EMU_JSON_STRING},
	{"existing_cluster_id", EMU_JSON_STRING},
	{"new_cluster", EMU_JSON_OBJECT},
	{"job_cluster_key", EMU_JSON_STRING},
	{"environment_key", EMU_JSON_STRING},
	{"libraries", EMU_JSON_ARRAY},
	{"max_retries", EMU_JSON_INT},
	{"min_retry_interval_millis", EMU_JSON_INT},
	{"retry_on_timeout", EMU_JSON_BOOL},
	{"timeout_seconds", EMU_JSON_INT},
	{"email_notifications", EMU_JSON_OBJECT},
	{"webhook_notifications", EMU_JSON_OBJECT},
	{"notification_settings", EMU_JSON_OBJECT},
	{"health", EMU_JSON_OBJECT},
	{"disabled", EMU_JSON_BOOL},
	{"disable_auto_optimization", EMU_JSON_BOOL},
};

static const char *const run_ifs[] = {
	"ALL_SUCCESS",		"ALL_DONE",
	"NONE_FAILED",		"ALL_FAILED",
	"AT_LEAST_ONE_SUCCESS", "AT_LEAST_ONE_FAILED",
};

/* Accepted git providers, as the real error message lists them. */
static const char *const git_providers[] = {
	"github",	    "gitlab",
	"bitbucketcloud",   "gitlabenterpriseedition",
	"bitbucketserver",  "azuredevopsservices",
	"githubenterprise", "awscodecommit",
};

static bool in_list(const char *s, const char *const *list, size_t n,
		    bool nocase)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (nocase ? emu_strcaseeq(s, list[i])
			   : strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static int64_t int_member_or(const cJSON *obj, const char *name, int64_t dflt)
{
	int64_t v;

	if (emu_json_member_int(&v, obj, name) < 0)
		return dflt;
	return v;
}

/* --- ordering --------------------------------------------------------------
 */

static const char *key_of(const cJSON *item, const char *key_field)
{
	const char *k = emu_json_str(item, key_field);

	return k ? k : "";
}

static int cmp_by_task_key(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a;
	const cJSON *y = *(const cJSON *const *)b;

	return strcmp(key_of(x, "task_key"), key_of(y, "task_key"));
}

/* Sorts an array of objects (tasks, depends_on) by their task_key. */
static void sort_by_task_key(cJSON *array)
{
	size_t n = emu_json_array_len(array), i;
	cJSON **items;

	if (n < 2)
		return;
	items = emu_xcalloc(n, sizeof(*items));
	for (i = 0; i < n; i++)
		items[i] = cJSON_DetachItemViaPointer(array, array->child);
	qsort(items, n, sizeof(*items), cmp_by_task_key);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(array, items[i]);
	free(items);
}

/* --- parts of JobSettings --------------------------------------------------
 */

static bool task_key_valid(const char *k)
{
	size_t n = strlen(k), i;

	if (n == 0 || n > 100)
		return false;
	for (i = 0; i < n; i++) {
		char c = k[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Checks one task; prefix is "tasks[i]". */
static int check_task(cJSON *task, const char *prefix,
		      struct emu_response *resp)
{
	const cJSON *deps, *dep, *nb;
	const char *key, *run_if, *found = NULL;
	size_t i, ntypes = 0;

	if (!cJSON_IsObject(task)) {
		char *name = emu_xstrdup(prefix);

		emu_error_field_type(resp, name, "an object",
				     emu_json_type_name(task));
		free(name);
		return -1;
	}
	if (emu_json_check_fields(task, task_fields,
				  EMU_ARRAY_SIZE(task_fields), prefix,
				  resp) < 0)
		return -1;
	key = emu_json_str(task, "task_key");
	if (!key)
		return emu_error_missing_field(resp, "task_key");
	if (!task_key_valid(key))
		return emu_error_invalid(
			resp,
			"Invalid task_key '%s': a task key is 1-100 "
			"characters of letters, digits, '_' and '-'.",
			key);
	for (i = 0; i < EMU_ARRAY_SIZE(task_types); i++) {
		const cJSON *t = emu_json_member(task, task_types[i]);

		if (!t)
			continue;
		if (!cJSON_IsObject(t)) {
			char *name = emu_printf("%s.%s", prefix, task_types[i]);

			emu_error_field_type(resp, name, "an object",
					     emu_json_type_name(t));
			free(name);
			return -1;
		}
		if (ntypes++ == 0)
			found = task_types[i];
		else
			return emu_error_invalid(
				resp,
				"Task %s specifies both %s and %s: a task "
				"must have exactly one task type.",
				key, found, task_types[i]);
	}
	if (ntypes == 0)
		return emu_error_invalid(
			resp,
			"Task %s does not specify a task type: one of "
			"notebook_task, spark_jar_task, spark_python_task, "
			"spark_submit_task, pipeline_task, python_wheel_task, "
			"dbt_task, sql_task, run_job_task, condition_task, "
			"for_each_task, dashboard_task, ... is required.",
			key);
	run_if = emu_json_str(task, "run_if");
	if (run_if && !in_list(run_if, run_ifs, EMU_ARRAY_SIZE(run_ifs), false))
		return emu_error_invalid(
			resp, "Invalid run_if '%s' for task %s.", run_if, key);
	if (int_member_or(task, "timeout_seconds", 0) < 0)
		return emu_error_invalid(resp,
					 "Invalid timeout_seconds for task %s: "
					 "it must not be negative.",
					 key);
	nb = emu_json_member(task, "notebook_task");
	if (nb && !emu_json_str(nb, "notebook_path"))
		return emu_error_missing_field(resp,
					       "notebook_task.notebook_path");
	deps = emu_json_member(task, "depends_on");
	i = 0;
	cJSON_ArrayForEach(dep, deps)
	{
		if (!cJSON_IsObject(dep) || !emu_json_str(dep, "task_key"))
			return emu_error_invalid(
				resp,
				"Invalid value for field "
				"'%s.depends_on[%zu]': expected an object "
				"with a task_key.",
				prefix, i);
		i++;
	}
	return 0;
}

/*
 * Checks an array of keyed objects (job_clusters, environments,
 * parameters): each an object with a string key_field, no key twice.
 * These arrays keep the client's order; each holds at most 1000 elements
 * (an emulator bound, like the task limit).
 */
static int check_keyed(const cJSON *array, const char *name,
		       const char *key_field, const char *what,
		       struct emu_response *resp)
{
	const cJSON *item, *other;
	size_t i = 0;

	if (emu_json_array_len(array) > JOBS_MAX_TASKS)
		return emu_error_invalid(resp,
					 "A job can have at most %d %s; this "
					 "one has %zu.",
					 JOBS_MAX_TASKS, name,
					 emu_json_array_len(array));
	cJSON_ArrayForEach(item, array)
	{
		const char *k;

		if (!cJSON_IsObject(item)) {
			char *n = emu_printf("%s[%zu]", name, i);

			emu_error_field_type(resp, n, "an object",
					     emu_json_type_name(item));
			free(n);
			return -1;
		}
		k = emu_json_str(item, key_field);
		if (!k || !*k) {
			char *n = emu_printf("%s.%s", name, key_field);

			emu_error_missing_field(resp, n);
			free(n);
			return -1;
		}
		for (other = array->child; other != item; other = other->next)
			if (strcmp(key_of(other, key_field), k) == 0)
				return emu_error_invalid(
					resp, "%s %s is not unique.", what, k);
		i++;
	}
	return 0;
}

static bool keyed_has(const cJSON *array, const char *key_field, const char *k)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, array)
	{
		if (strcmp(key_of(item, key_field), k) == 0)
			return true;
	}
	return false;
}

/* apply_policy_default_values is consumed, not echoed (§3.3). */
static void strip_cluster(cJSON *holder)
{
	cJSON *nc = emu_json_member(holder, "new_cluster");

	if (cJSON_IsObject(nc))
		cJSON_DeleteItemFromObjectCaseSensitive(
			nc, "apply_policy_default_values");
}

static int check_top_values(const cJSON *s, struct emu_response *resp)
{
	const char *name = emu_json_str(s, "name");
	const cJSON *tags = emu_json_member(s, "tags"), *item;
	const cJSON *queue = emu_json_member(s, "queue");
	const cJSON *sched = emu_json_member(s, "schedule");
	const cJSON *git = emu_json_member(s, "git_source");
	int64_t mcr = int_member_or(s, "max_concurrent_runs", 1);
	size_t ntags = 0;

	if (name && strlen(name) > 4096)
		return emu_error_invalid(resp, "The job name must not exceed "
					       "4096 bytes.");
	if (mcr < 0 || mcr > JOBS_MAX_CONCURRENT)
		return emu_error_invalid(resp,
					 "Invalid max_concurrent_runs %" PRId64
					 ": it must be between 0 and %d.",
					 mcr, JOBS_MAX_CONCURRENT);
	if (int_member_or(s, "timeout_seconds", 0) < 0)
		return emu_error_invalid(resp, "Invalid timeout_seconds: it "
					       "must not be negative.");
	cJSON_ArrayForEach(item, tags)
	{
		if (!cJSON_IsString(item))
			return emu_error_invalid(resp,
						 "Invalid value for tag '%s': "
						 "expected a string.",
						 item->string);
		ntags++;
	}
	if (ntags > 25)
		return emu_error_invalid(resp,
					 "A job can have at most 25 tags; this "
					 "one has %zu.",
					 ntags);
	if (queue && !cJSON_IsBool(emu_json_member(queue, "enabled")))
		return emu_error_missing_field(resp, "queue.enabled");
	if (sched) {
		const char *ps = emu_json_str(sched, "pause_status");

		if (!emu_json_str(sched, "quartz_cron_expression"))
			return emu_error_missing_field(
				resp, "schedule.quartz_cron_expression");
		if (!emu_json_str(sched, "timezone_id"))
			return emu_error_missing_field(resp,
						       "schedule.timezone_id");
		if (ps && strcmp(ps, "PAUSED") != 0 &&
		    strcmp(ps, "UNPAUSED") != 0)
			return emu_error_invalid(
				resp,
				"Invalid schedule.pause_status "
				"'%s': expected PAUSED or "
				"UNPAUSED.",
				ps);
	}
	if (git) {
		const char *provider = emu_json_str(git, "git_provider");

		if (!emu_json_str(git, "git_url"))
			return emu_error_missing_field(resp,
						       "git_source.git_url");
		if (!provider || !in_list(provider, git_providers,
					  EMU_ARRAY_SIZE(git_providers), true))
			return emu_error_invalid(
				resp, "git_source.git_provider must be one of: "
				      "github,gitlab,bitbucketcloud,"
				      "gitlabenterpriseedition,bitbucketserver,"
				      "azuredevopsservices,githubenterprise,"
				      "awscodecommit");
	}
	return 0;
}

/* --- dependency graph ------------------------------------------------------
 */

static size_t find_task(cJSON *const *tasks, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key_of(tasks[mid], "task_key"), key);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* Writes the cycle error: stack[from..top] then stack[from] again. */
static int cycle_error(cJSON *const *tasks, const size_t *stack, size_t from,
		       size_t top, struct emu_response *resp)
{
	char *path = emu_xstrdup(""), *next;
	size_t i, shown = 0;

	for (i = from; i <= top; i++) {
		if (shown++ == 20) {
			next = emu_printf("%s -> ...", path);
			free(path);
			path = next;
			break;
		}
		next = emu_printf("%s%s -> ", path,
				  key_of(tasks[stack[i]], "task_key"));
		free(path);
		path = next;
	}
	emu_error_invalid(resp,
			  "The task dependencies of the job contain a cycle: "
			  "%s%s.",
			  path, key_of(tasks[stack[from]], "task_key"));
	free(path);
	return -1;
}

/*
 * tasks[0..n) are sorted by key and unique. Checks that every depends_on
 * names a task and that the graph has no cycle (iterative DFS).
 */
static int check_graph(cJSON *const *tasks, size_t n, struct emu_response *resp)
{
	size_t *off = emu_xcalloc(n + 1, sizeof(*off));
	size_t *adj = NULL, nedges = 0, i, sp;
	size_t *stack = NULL, *pos = NULL, *where = NULL;
	unsigned char *color = NULL;
	int error = -1;

	for (i = 0; i < n; i++) {
		off[i] = nedges;
		nedges += emu_json_array_len(
			emu_json_member(tasks[i], "depends_on"));
	}
	off[n] = nedges;
	adj = emu_xcalloc(nedges, sizeof(*adj));
	for (i = 0; i < n; i++) {
		const cJSON *dep;
		size_t e = off[i];

		cJSON_ArrayForEach(dep, emu_json_member(tasks[i], "depends_on"))
		{
			const char *k = key_of(dep, "task_key");
			size_t j = find_task(tasks, n, k);

			if (j == SIZE_MAX) {
				emu_error_invalid(
					resp,
					"Task %s depends on task %s, which "
					"does not exist in the job.",
					key_of(tasks[i], "task_key"), k);
				goto done;
			}
			adj[e++] = j;
		}
	}

	stack = emu_xcalloc(n, sizeof(*stack));
	pos = emu_xcalloc(n, sizeof(*pos));
	where = emu_xcalloc(n, sizeof(*where));
	color = emu_xcalloc(n, 1); /* 0 new, 1 on the stack, 2 done */
	for (i = 0; i < n; i++) {
		if (color[i])
			continue;
		sp = 0;
		stack[sp] = i;
		where[i] = sp++;
		color[i] = 1;
		while (sp > 0) {
			size_t u = stack[sp - 1], v;

			if (pos[u] == off[u + 1] - off[u]) {
				color[u] = 2;
				sp--;
				continue;
			}
			v = adj[off[u] + pos[u]++];
			if (color[v] == 1) {
				cycle_error(tasks, stack, where[v], sp - 1,
					    resp);
				goto done;
			}
			if (color[v] == 0) {
				color[v] = 1;
				where[v] = sp;
				stack[sp++] = v;
			}
		}
	}
	error = 0;

done:
	free(off);
	free(adj);
	free(stack);
	free(pos);
	free(where);
	free(color);
	return error;
}

/* --- normalisation ---------------------------------------------------------
 */

static void add_default(cJSON *obj, const char *name, cJSON *value)
{
	if (emu_json_member(obj, name)) {
		cJSON_Delete(value);
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
	cJSON_AddItemToObject(obj, name, value);
}

static void task_defaults(cJSON *task, bool has_git)
{
	cJSON *nb = emu_json_member(task, "notebook_task");

	add_default(task, "run_if", cJSON_CreateString("ALL_SUCCESS"));
	add_default(task, "timeout_seconds", emu_json_int64(0));
	add_default(task, "email_notifications", cJSON_CreateObject());
	if (nb)
		add_default(nb, "source",
			    cJSON_CreateString(has_git ? "GIT" : "WORKSPACE"));
	sort_by_task_key(emu_json_member(task, "depends_on"));
	strip_cluster(task);
}

static bool is_legacy(const cJSON *s)
{
	size_t i;

	if (emu_json_member(s, "tasks"))
		return false;
	for (i = 0; i < EMU_ARRAY_SIZE(legacy_task_types); i++)
		if (emu_json_member(s, legacy_task_types[i]))
			return true;
	return false;
}

static int check_tasks(cJSON *s, struct emu_response *resp)
{
	cJSON *tasks = emu_json_member(s, "tasks"), *task;
	const cJSON *clusters = emu_json_member(s, "job_clusters");
	const cJSON *envs = emu_json_member(s, "environments");
	size_t n = emu_json_array_len(tasks), i = 0;
	cJSON **sorted;
	int error = -1;

	if (n > JOBS_MAX_TASKS)
		return emu_error_invalid(resp,
					 "A job can have at most %d tasks; "
					 "this one has %zu.",
					 JOBS_MAX_TASKS, n);
	cJSON_ArrayForEach(task, tasks)
	{
		char *prefix = emu_printf("tasks[%zu]", i++);
		int rc = check_task(task, prefix, resp);

		free(prefix);
		if (rc < 0)
			return -1;
	}
	sort_by_task_key(tasks);
	if (n == 0)
		return 0;
	sorted = emu_xcalloc(n, sizeof(*sorted));
	i = 0;
	cJSON_ArrayForEach(task, tasks)
	{
		sorted[i++] = task;
	}
	for (i = 0; i < n; i++) {
		const char *key = key_of(sorted[i], "task_key");
		const char *jck = emu_json_str(sorted[i], "job_cluster_key");
		const char *env = emu_json_str(sorted[i], "environment_key");

		if (i > 0 &&
		    strcmp(key, key_of(sorted[i - 1], "task_key")) == 0) {
			emu_error_invalid(resp, "Task key %s is not unique.",
					  key);
			goto done;
		}
		if (jck && !keyed_has(clusters, "job_cluster_key", jck)) {
			emu_error_invalid(resp,
					  "Task %s references job cluster %s, "
					  "which is not defined in "
					  "job_clusters.",
					  key, jck);
			goto done;
		}
		if (env && !keyed_has(envs, "environment_key", env)) {
			emu_error_invalid(resp,
					  "Task %s references environment %s, "
					  "which is not defined in "
					  "environments.",
					  key, env);
			goto done;
		}
	}
	error = check_graph(sorted, n, resp);

done:
	free(sorted);
	return error;
}

/*
 * The real Jobs API refuses another cloud's attributes block in a job
 * cluster at create ("cannot create job: aws_attributes can only be
 * specified for clusters running in AWS", terraform-provider-databricks
 * #3394), as clusters/create does; node types are left to run time.
 */
static int check_clouds(const cJSON *s, struct emu_workspace *ws,
			struct emu_response *resp)
{
	const cJSON *item;

	if (!ws)
		return 0;
	if (emu_clusters_check_cloud(ws, emu_json_member(s, "new_cluster"),
				     resp) < 0)
		return -1;
	cJSON_ArrayForEach(item, emu_json_member(s, "job_clusters"))
	{
		if (emu_clusters_check_cloud(
			    ws, emu_json_member(item, "new_cluster"), resp) < 0)
			return -1;
	}
	cJSON_ArrayForEach(item, emu_json_member(s, "tasks"))
	{
		if (emu_clusters_check_cloud(
			    ws, emu_json_member(item, "new_cluster"), resp) < 0)
			return -1;
	}
	return 0;
}

int jobs_settings_normalize(cJSON *s, const struct jobs_norm *n,
			    struct emu_response *resp)
{
	cJSON *clusters, *item;
	bool legacy, has_git;

	cJSON_DeleteItemFromObjectCaseSensitive(s, "format");
	if (jobs_json_exactify(s, "", resp) < 0 ||
	    emu_json_check_fields(s, job_fields, EMU_ARRAY_SIZE(job_fields),
				  NULL, resp) < 0 ||
	    check_top_values(s, resp) < 0)
		return -1;
	clusters = emu_json_member(s, "job_clusters");
	if (check_keyed(clusters, "job_clusters", "job_cluster_key",
			"Job cluster key", resp) < 0 ||
	    check_keyed(emu_json_member(s, "environments"), "environments",
			"environment_key", "Environment key", resp) < 0 ||
	    check_keyed(emu_json_member(s, "parameters"), "parameters", "name",
			"Job parameter", resp) < 0)
		return -1;
	cJSON_ArrayForEach(item, emu_json_member(s, "parameters"))
	{
		if (!emu_json_member(item, "default"))
			return emu_error_missing_field(resp,
						       "parameters.default");
	}
	legacy = is_legacy(s);
	if (legacy && emu_json_array_len(clusters) > 0)
		return emu_error_invalid(resp, "Shared job cluster feature is "
					       "only supported in multi-task "
					       "jobs.");
	if (check_tasks(s, resp) < 0 || check_clouds(s, n->ws, resp) < 0)
		return -1;
	if (n->submit && !legacy &&
	    emu_json_array_len(emu_json_member(s, "tasks")) == 0)
		return emu_error_invalid(resp, "A one-time run needs at least "
					       "one task.");

	has_git = emu_json_member(s, "git_source") != NULL;
	cJSON_ArrayForEach(item, emu_json_member(s, "tasks"))
	{
		task_defaults(item, has_git);
	}
	cJSON_ArrayForEach(item, clusters)
	{
		strip_cluster(item);
	}
	strip_cluster(s);
	if (n->submit)
		return 0;
	add_default(s, "name", cJSON_CreateString("Untitled"));
	add_default(s, "email_notifications", cJSON_CreateObject());
	add_default(s, "webhook_notifications", cJSON_CreateObject());
	add_default(s, "timeout_seconds", emu_json_int64(0));
	add_default(s, "max_concurrent_runs", emu_json_int64(1));
	/* Schedules and triggers read back with their pause state even
	 * when it was never sent; UNPAUSED is the API's default. */
	{
		static const char *const paused[] = { "schedule", "continuous",
						      "trigger" };
		size_t i;

		for (i = 0; i < EMU_ARRAY_SIZE(paused); i++) {
			cJSON *b = emu_json_member(s, paused[i]);

			if (cJSON_IsObject(b))
				add_default(b, "pause_status",
					    cJSON_CreateString("UNPAUSED"));
		}
	}
	if (n->default_queue) {
		cJSON *q = cJSON_CreateObject();

		cJSON_AddBoolToObject(q, "enabled", true);
		add_default(s, "queue", q);
	}
	cJSON_AddStringToObject(s, "format",
				legacy ? "SINGLE_TASK" : "MULTI_TASK");
	return 0;
}

int jobs_settings_take_run_as(cJSON *s, char **out, struct emu_response *resp)
{
	static const char *const kinds[] = {
		"user_name", "service_principal_name", "group_name"};
	cJSON *run_as = cJSON_DetachItemFromObjectCaseSensitive(s, "run_as");
	const char *who = NULL;
	size_t i, given = 0;
	int error = -1;

	*out = NULL;
	if (!run_as || cJSON_IsNull(run_as)) {
		cJSON_Delete(run_as);
		return 0;
	}
	if (!cJSON_IsObject(run_as)) {
		emu_error_field_type(resp, "run_as", "an object",
				     emu_json_type_name(run_as));
		goto done;
	}
	for (i = 0; i < EMU_ARRAY_SIZE(kinds); i++) {
		const cJSON *v = emu_json_member(run_as, kinds[i]);

		if (!v)
			continue;
		if (!cJSON_IsString(v)) {
			char *name = emu_printf("run_as.%s", kinds[i]);

			emu_error_field_type(resp, name, "a string",
					     emu_json_type_name(v));
			free(name);
			goto done;
		}
		if (!*v->valuestring)
			continue;
		who = v->valuestring;
		given++;
	}
	if (given > 1) {
		emu_error_invalid(resp, "run_as must set exactly one of "
					"user_name, service_principal_name "
					"or group_name.");
		goto done;
	}
	if (who)
		*out = emu_xstrdup(who);
	error = 0;

done:
	cJSON_Delete(run_as);
	return error;
}

/* --- jobs/update -----------------------------------------------------------
 */

/* Keyed arrays merged element by element on update. */
static const struct {
	const char *name;
	const char *key;
} merged_arrays[] = {
	{"tasks", "task_key"},
	{"job_clusters", "job_cluster_key"},
	{"environments", "environment_key"},
	{"parameters", "name"},
};

static cJSON *keyed_find(cJSON *array, const char *key_field, const char *k)
{
	cJSON *item;

	cJSON_ArrayForEach(item, array)
	{
		if (strcmp(key_of(item, key_field), k) == 0)
			return item;
	}
	return NULL;
}

/* Removes "tasks/<key>" or "job_clusters/<key>"; false if not such. */
static bool remove_nested(cJSON *merged, const char *f)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		size_t len = strlen(merged_arrays[i].name);
		cJSON *array, *item;

		if (strncmp(f, merged_arrays[i].name, len) != 0 ||
		    f[len] != '/' || strchr(f + len + 1, '/'))
			continue;
		array = emu_json_member(merged, merged_arrays[i].name);
		item = keyed_find(array, merged_arrays[i].key, f + len + 1);
		if (item)
			cJSON_Delete(cJSON_DetachItemViaPointer(array, item));
		return true;
	}
	return false;
}

static void merge_array(cJSON *dst, const cJSON *src, const char *key_field)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, src)
	{
		const char *k = emu_json_str(item, key_field);
		cJSON *old = k ? keyed_find(dst, key_field, k) : NULL;
		cJSON *copy = cJSON_Duplicate(item, true);

		if (old)
			cJSON_ReplaceItemViaPointer(dst, old, copy);
		else
			cJSON_AddItemToArray(dst, copy);
	}
}

int jobs_settings_merge(cJSON *merged, const cJSON *new_settings,
			const cJSON *fields_to_remove,
			struct emu_response *resp)
{
	const cJSON *item;
	size_t i;

	if (fields_to_remove && !cJSON_IsArray(fields_to_remove))
		return emu_error_field_type(
			resp, "fields_to_remove", "an array",
			emu_json_type_name(fields_to_remove));
	if (new_settings && !cJSON_IsObject(new_settings))
		return emu_error_field_type(resp, "new_settings", "an object",
					    emu_json_type_name(new_settings));
	cJSON_ArrayForEach(item, fields_to_remove)
	{
		if (!cJSON_IsString(item))
			return emu_error_invalid(
				resp, "Invalid value for field "
				      "'fields_to_remove': expected an array "
				      "of strings.");
		if (remove_nested(merged, item->valuestring))
			continue;
		if (strchr(item->valuestring, '/'))
			return emu_error_invalid(
				resp,
				"Cannot remove '%s': removing nested fields "
				"is only supported for tasks/<task_key> and "
				"job_clusters/<job_cluster_key>.",
				item->valuestring);
		cJSON_DeleteItemFromObjectCaseSensitive(merged,
							item->valuestring);
	}
	if (!new_settings)
		return 0;
	for (item = new_settings->child; item; item = item->next) {
		cJSON *old = emu_json_member(merged, item->string);
		bool keyed = false;

		for (i = 0; i < EMU_ARRAY_SIZE(merged_arrays); i++) {
			if (strcmp(item->string, merged_arrays[i].name) != 0 ||
			    !cJSON_IsArray(item) || !cJSON_IsArray(old))
				continue;
			merge_array(old, item, merged_arrays[i].key);
			keyed = true;
		}
		if (keyed)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(merged, item->string);
		cJSON_AddItemToObject(merged, item->string,
				      cJSON_Duplicate(item, true));
	}
	return 0;
}

/* --- views -----------------------------------------------------------------
 */

void jobs_add_slice(cJSON *dst, const char *name, const cJSON *src, size_t from,
		    size_t n)
{
	const cJSON *item;
	cJSON *out;
	size_t i = 0;

	if (!src)
		return;
	out = cJSON_AddArrayToObject(dst, name);
	cJSON_ArrayForEach(item, src)
	{
		if (i >= from && i - from < n)
			cJSON_AddItemToArray(out, cJSON_Duplicate(item, true));
		if (++i >= from + n)
			break;
	}
}

static bool is_paged_array(const char *name)
{
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(merged_arrays); i++)
		if (strcmp(name, merged_arrays[i].name) == 0)
			return true;
	return false;
}

cJSON *jobs_settings_view(const cJSON *settings, bool paged, size_t page,
			  bool include_tasks, bool *more)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *item;

	if (more)
		*more = false;
	for (item = settings ? settings->child : NULL; item;
	     item = item->next) {
		size_t len;

		if (!is_paged_array(item->string) || !cJSON_IsArray(item)) {
			cJSON_AddItemToObject(out, item->string,
					      cJSON_Duplicate(item, true));
			continue;
		}
		if (!include_tasks &&
		    (strcmp(item->string, "tasks") == 0 ||
		     strcmp(item->string, "job_clusters") == 0))
			continue;
		len = emu_json_array_len(item);
		if (!paged) {
			jobs_add_slice(out, item->string, item, 0, len);
			continue;
		}
		if (page == 0 || len > page * JOBS_PAGE_SIZE)
			jobs_add_slice(out, item->string, item,
				       page * JOBS_PAGE_SIZE, JOBS_PAGE_SIZE);
		if (more && len > (page + 1) * JOBS_PAGE_SIZE)
			*more = true;
	}
	return out;
}
