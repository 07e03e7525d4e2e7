/*
 * Jobs API 2.0, 2.1 and 2.2 (databricks-rest-api.md §3): jobs and their
 * runs, served from one implementation for the three versions.
 *
 *   POST /api/{v}/jobs/create          JobSettings -> {job_id}
 *   GET  /api/{v}/jobs/get             ?job_id=&page_token= -> Job
 *   GET  /api/{v}/jobs/list            ?limit&offset&page_token&name&
 *                                       expand_tasks -> {jobs, has_more,
 *                                       next_page_token}
 *   POST /api/{v}/jobs/reset           {job_id, new_settings} -> {}
 *   POST /api/{v}/jobs/update          {job_id, new_settings,
 *                                       fields_to_remove} -> {}
 *   POST /api/{v}/jobs/delete          {job_id} -> {}
 *   POST /api/{v}/jobs/run-now         ... -> {run_id, number_in_job}
 *   POST /api/{v}/jobs/runs/submit     ... -> {run_id}
 *   GET  /api/{v}/jobs/runs/get        ?run_id=&page_token= -> Run
 *   GET  /api/{v}/jobs/runs/list       ... -> {runs, has_more, ...}
 *   POST /api/{v}/jobs/runs/cancel     {run_id} -> {}
 *   POST /api/{v}/jobs/runs/cancel-all {job_id | all_queued_runs} -> {}
 *   GET  /api/{v}/jobs/runs/get-output ?run_id= -> RunOutput
 *   POST /api/{v}/jobs/runs/delete     {run_id} -> {}
 *
 * This file holds the jobs themselves, the id index, page tokens, --state
 * and the route table; JobSettings are in jobs_settings.c and runs in
 * jobs_runs.c (jobs_internal.h ties them together).
 *
 * Quirks kept on purpose, because clients depend on them:
 * - a missing job is 400 INVALID_PARAMETER_VALUE "Job <id> does not
 *   exist." (not 404) on every endpoint that takes a job_id, as jobs/get
 *   answers on the real service;
 * - 2.2 jobs/get returns at most 100 elements of each of tasks,
 *   job_clusters, parameters and environments, with next_page_token for
 *   the rest; later pages leave out the arrays already exhausted; 2.0 and
 *   2.1 return everything at once but refuse jobs with more than 100
 *   tasks, as the real 2.1 does;
 * - jobs created (or reset) through 2.2 get queue {enabled: true}; through
 *   2.0/2.1 they get no queue;
 * - tasks come back sorted by task_key, whatever order they were sent in;
 * - run_as is write-only: it sets run_as_user_name, and a reset without
 *   run_as keeps the previous one; a job whose run_as was never given runs
 *   as its owner, so run_as_user_name follows an ownership transfer made
 *   with the Permissions API (the Jobs API reference: "set to ... the user
 *   with the is_owner permission if job access control is enabled");
 * - jobs/list omits tasks and job_clusters unless expand_tasks, and then
 *   shows at most 100 of each with a per-job has_more.
 *
 * Job ids are random-looking 13-16 digit integers below 2^53, written as
 * exact JSON integers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "jobs.h"
#include "jobs_internal.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

#define ID_MIN 1000000000000LL /* 13 digits */

/* --- state -----------------------------------------------------------------
 */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void *jobs_state_new(void)
{
	struct jobs_state *st = emu_xcalloc(1, sizeof(*st));

	st->rng = (uint64_t)emu_now_ms() ^ ((uint64_t)getpid() << 32) ^
		  (uint64_t)(uintptr_t)st;
	st->next_seq = 1;
	return st;
}

static void job_free(struct jobs_job *job)
{
	if (!job)
		return;
	free(job->creator);
	free(job->run_as);
	cJSON_Delete(job->settings);
	free(job);
}

static void jobs_state_free(void *p)
{
	struct jobs_state *st = p;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->njobs; i++)
		job_free(st->jobs[i]);
	for (i = 0; i < st->nruns; i++)
		jobs_run_free(st->runs[i]);
	free(st->jobs);
	free(st->runs);
	free(st->index);
	free(st);
}

uint64_t jobs_next_seq(struct jobs_state *st)
{
	return st->next_seq++;
}

/* --- the id index (open addressing, linear probing) ------------------------
 */

static size_t slot_home(int64_t id, size_t cap)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ULL;

	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static size_t slot_find(const struct jobs_state *st, int64_t id)
{
	size_t i;

	if (st->index_cap == 0)
		return SIZE_MAX;
	for (i = slot_home(id, st->index_cap); st->index[i].id != 0;
	     i = (i + 1) & (st->index_cap - 1))
		if (st->index[i].id == id)
			return i;
	return SIZE_MAX;
}

static void index_grow(struct jobs_state *st)
{
	struct jobs_id_slot *old = st->index;
	size_t old_cap = st->index_cap, i;

	st->index_cap = old_cap ? old_cap * 2 : 1024;
	st->index = emu_xcalloc(st->index_cap, sizeof(*st->index));
	for (i = 0; i < old_cap; i++) {
		size_t j;

		if (old[i].id == 0)
			continue;
		for (j = slot_home(old[i].id, st->index_cap);
		     st->index[j].id != 0; j = (j + 1) & (st->index_cap - 1))
			;
		st->index[j] = old[i];
	}
	free(old);
}

void jobs_index_put(struct jobs_state *st, int64_t id, int kind, void *ptr,
		    uint32_t task)
{
	size_t i = slot_find(st, id);

	if (i == SIZE_MAX) {
		if ((st->index_used + 1) * 2 > st->index_cap)
			index_grow(st);
		for (i = slot_home(id, st->index_cap); st->index[i].id != 0;
		     i = (i + 1) & (st->index_cap - 1))
			;
		st->index_used++;
	}
	st->index[i].id = id;
	st->index[i].ptr = ptr;
	st->index[i].task = task;
	st->index[i].kind = (uint8_t)kind;
}

void jobs_index_remove(struct jobs_state *st, int64_t id)
{
	size_t i = slot_find(st, id), j, k, mask;

	if (i == SIZE_MAX)
		return;
	mask = st->index_cap - 1;
	/* Backward-shift deletion keeps every probe chain unbroken. */
	for (j = (i + 1) & mask; st->index[j].id != 0; j = (j + 1) & mask) {
		k = slot_home(st->index[j].id, st->index_cap);
		if ((j > i && (k <= i || k > j)) ||
		    (j < i && k <= i && k > j)) {
			st->index[i] = st->index[j];
			i = j;
		}
	}
	memset(&st->index[i], 0, sizeof(st->index[i]));
	st->index_used--;
}

const struct jobs_id_slot *jobs_index_get(const struct jobs_state *st,
					  int64_t id)
{
	size_t i = slot_find(st, id);

	return i == SIZE_MAX ? NULL : &st->index[i];
}

int64_t jobs_new_id(struct jobs_state *st)
{
	const uint64_t span = (uint64_t)(EMU_JSON_MAX_INT - ID_MIN) + 1;
	int64_t id;

	do
		id = ID_MIN + (int64_t)(splitmix64(&st->rng) % span);
	while (jobs_index_get(st, id));
	return id;
}

struct jobs_job *jobs_find_job(const struct jobs_state *st, int64_t id)
{
	const struct jobs_id_slot *s = jobs_index_get(st, id);

	return s && s->kind == JOBS_ID_JOB ? s->ptr : NULL;
}

extern const struct emu_module emu_module_jobs;

const char *emu_jobs_creator(struct emu_workspace *ws, const char *job_id)
{
	const struct jobs_state *st = emu_workspace_state(ws, &emu_module_jobs);
	const struct jobs_job *job;
	int64_t id;

	if (emu_json_parse_int64_text(&id, job_id) < 0 || id <= 0)
		return NULL;
	job = jobs_find_job(st, id);
	return job ? job->creator : NULL;
}

void emu_jobs_owner_set(struct emu_workspace *ws, const char *job_id,
			const char *owner)
{
	const struct jobs_state *st = emu_workspace_state(ws, &emu_module_jobs);
	struct jobs_job *job;
	int64_t id;

	if (emu_json_parse_int64_text(&id, job_id) < 0 || id <= 0)
		return;
	job = jobs_find_job(st, id);
	if (!job || job->run_as_set || strcmp(job->run_as, owner) == 0)
		return;
	free(job->run_as);
	job->run_as = emu_xstrdup(owner);
}

/* --- shared helpers --------------------------------------------------------
 */

int jobs_api_minor(const struct emu_request *req)
{
	const char *v = emu_request_param(req, "v");

	return v && v[0] == '2' && v[1] == '.' ? v[2] - '0' : 2;
}

int jobs_error_no_job(struct emu_response *resp, int64_t job_id)
{
	return emu_error_invalid(resp, "Job %" PRId64 " does not exist.",
				 job_id);
}

int jobs_error_no_run(struct emu_response *resp, int64_t run_id)
{
	return emu_error_invalid(resp, "Run %" PRId64 " does not exist.",
				 run_id);
}

int jobs_error_too_many_for_version(struct emu_response *resp, size_t n)
{
	return emu_error_invalid(resp,
				 "Resources with more than 100 tasks can only "
				 "be handled by API 2.2 and above. Your "
				 "resource has %zu tasks",
				 n);
}

char *jobs_token_make(char kind, int64_t a, uint64_t b)
{
	char *text = emu_printf("%c.%" PRId64 ".%" PRIu64, kind, a, b);
	char *token =
		emu_base64_encode((const unsigned char *)text, strlen(text));

	free(text);
	return token;
}

static int parse_u64(const char *s, char stop, uint64_t *out, const char **end)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s != stop)
		return -1;
	*out = v;
	*end = s;
	return 0;
}

int jobs_token_parse(const char *text, char kind, int64_t *a, uint64_t *b)
{
	unsigned char *raw = NULL;
	const char *p, *end;
	uint64_t ua;
	size_t len;
	int error = -1;

	if (emu_base64_decode(&raw, &len, text, strlen(text)) < 0)
		return -1;
	p = (const char *)raw;
	if (len < 2 || strlen(p) != len || p[0] != kind || p[1] != '.')
		goto done;
	if (parse_u64(p + 2, '.', &ua, &end) < 0 ||
	    ua > (uint64_t)EMU_JSON_MAX_INT ||
	    parse_u64(end + 1, '\0', b, &end) < 0)
		goto done;
	*a = (int64_t)ua;
	error = 0;

done:
	free(raw);
	return error;
}

char *jobs_base_url(const struct emu_request *req)
{
	const char *host = emu_request_header(req, "Host");

	if (emu_host_usable(host))
		return emu_printf("http://%s", host);
	return emu_xstrdup(emu_workspace_base_url(req->ws));
}

char *jobs_page_base(const struct emu_request *req)
{
	char *base = jobs_base_url(req);
	char *page = emu_printf("%s/?o=%s", base, emu_workspace_id(req->ws));

	free(base);
	return page;
}

/* --- jobs ------------------------------------------------------------------
 */

static int too_many_jobs(struct emu_response *resp)
{
	return emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			 "The workspace already has the maximum of %d jobs.",
			 JOBS_MAX_JOBS);
}

static int jobs_full(struct emu_response *resp)
{
	return emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			 "The emulator's storage for job settings (256 MiB "
			 "in total) is full.");
}

/* Reads the required job_id and finds the job (400 if it is missing). */
static struct jobs_job *job_arg(struct emu_request *req,
				struct emu_response *resp)
{
	struct jobs_job *job;
	int64_t id;

	if (emu_arg_int64(&id, NULL, req, resp, "job_id", EMU_ARG_REQUIRED) < 0)
		return NULL;
	job = jobs_find_job(req->state, id);
	if (!job)
		jobs_error_no_job(resp, id);
	return job;
}

static void jobs_create(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int minor = jobs_api_minor(req);
	struct jobs_norm norm = {
		.minor = minor, .default_queue = minor >= 2, .ws = req->ws};
	const cJSON *acl = emu_arg_json(req, "access_control_list");
	cJSON *settings, *body;
	struct jobs_job *job;
	char *run_as = NULL;
	size_t bytes, ntasks;

	if (acl && !cJSON_IsArray(acl)) {
		emu_error_field_type(resp, "access_control_list", "an array",
				     emu_json_type_name(acl));
		return;
	}
	settings = cJSON_Duplicate(req->json, true);
	cJSON_DeleteItemFromObjectCaseSensitive(settings,
						"access_control_list");
	if (jobs_settings_take_run_as(settings, &run_as, resp) < 0 ||
	    jobs_settings_normalize(settings, &norm, resp) < 0)
		goto fail;
	ntasks = emu_json_array_len(emu_json_member(settings, "tasks"));
	if (minor < 2 && ntasks > JOBS_PAGE_SIZE) {
		jobs_error_too_many_for_version(resp, ntasks);
		goto fail;
	}
	if (st->njobs >= JOBS_MAX_JOBS) {
		too_many_jobs(resp);
		goto fail;
	}
	bytes = jobs_json_bytes(settings);
	if (st->job_bytes + bytes > JOBS_MAX_JOB_BYTES) {
		jobs_full(resp);
		goto fail;
	}

	job = emu_xcalloc(1, sizeof(*job));
	job->job_id = jobs_new_id(st);
	job->seq = jobs_next_seq(st);
	job->created_time = emu_workspace_now_ms(req->ws);
	job->creator = emu_xstrdup(req->principal);
	job->run_as_set = run_as != NULL;
	job->run_as = run_as ? run_as : emu_xstrdup(req->principal);
	job->settings = settings;
	job->bytes = bytes;
	st->jobs = emu_xrealloc(st->jobs, (st->njobs + 1) * sizeof(*st->jobs));
	st->jobs[st->njobs++] = job;
	st->job_bytes += bytes;
	jobs_index_put(st, job->job_id, JOBS_ID_JOB, job, 0);

	body = cJSON_CreateObject();
	emu_json_add_int64(body, "job_id", job->job_id);
	emu_response_json(resp, 200, body);
	return;

fail:
	free(run_as);
	cJSON_Delete(settings);
}

static void jobs_get(struct emu_request *req, struct emu_response *resp)
{
	int minor = jobs_api_minor(req);
	const char *token;
	struct jobs_job *job;
	uint64_t page = 0;
	bool more = false;
	cJSON *body, *settings;

	job = job_arg(req, resp);
	if (!job || emu_arg_string(&token, req, resp, "page_token",
				   EMU_ARG_OPTIONAL) < 0)
		return;
	if (minor < 2) {
		size_t n = emu_json_array_len(
			emu_json_member(job->settings, "tasks"));

		if (n > JOBS_PAGE_SIZE) {
			jobs_error_too_many_for_version(resp, n);
			return;
		}
		settings =
			jobs_settings_view(job->settings, false, 0, true, NULL);
	} else {
		int64_t id;

		if (token && *token &&
		    (jobs_token_parse(token, 'G', &id, &page) < 0 ||
		     id != job->job_id || page > JOBS_MAX_TASKS)) {
			emu_error_invalid(resp, "Invalid page_token '%s'.",
					  token);
			return;
		}
		settings = jobs_settings_view(job->settings, true, (size_t)page,
					      true, &more);
	}

	body = cJSON_CreateObject();
	emu_json_add_int64(body, "job_id", job->job_id);
	cJSON_AddStringToObject(body, "creator_user_name", job->creator);
	cJSON_AddStringToObject(body, "run_as_user_name", job->run_as);
	emu_json_add_int64(body, "created_time", job->created_time);
	cJSON_AddItemToObject(body, "settings", settings);
	if (more) {
		char *next = jobs_token_make('G', job->job_id, page + 1);

		cJSON_AddStringToObject(body, "next_page_token", next);
		free(next);
	}
	emu_response_json(resp, 200, body);
}

int jobs_list_args(struct emu_request *req, struct emu_response *resp,
		   int64_t max_limit, char kind, int64_t *limit,
		   int64_t *offset, uint64_t *start)
{
	const char *token;
	int64_t ignored;

	*limit = 20;
	*offset = 0;
	*start = 0;
	if (emu_arg_int64(limit, NULL, req, resp, "limit", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_int64(offset, NULL, req, resp, "offset", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(&token, req, resp, "page_token", EMU_ARG_OPTIONAL) <
		    0)
		return -1;
	if (*limit == 0)
		*limit = max_limit;
	if (*limit < 0 || *limit > max_limit)
		return emu_error_invalid(resp,
					 "Invalid limit %" PRId64
					 ": it must be between 1 and %" PRId64
					 ".",
					 *limit, max_limit);
	if (*offset < 0)
		return emu_error_invalid(resp,
					 "Invalid offset %" PRId64
					 ": it must not be negative.",
					 *offset);
	if (token && *token) {
		if (jobs_token_parse(token, kind, &ignored, start) < 0 ||
		    *start == 0)
			return emu_error_invalid(
				resp, "Invalid page_token '%s'.", token);
		*offset = 0;
	}
	return 0;
}

static void jobs_list(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	const char *name;
	int64_t limit, offset;
	uint64_t start;
	bool expand = false;
	cJSON *body, *jobs = NULL;
	size_t i, shown = 0;
	int64_t skipped = 0;

	if (jobs_list_args(req, resp, 100, 'L', &limit, &offset, &start) < 0 ||
	    emu_arg_string(&name, req, resp, "name", EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&expand, NULL, req, resp, "expand_tasks",
			 EMU_ARG_OPTIONAL) < 0)
		return;

	body = cJSON_CreateObject();
	for (i = 0; i < st->njobs; i++) {
		const struct jobs_job *job = st->jobs[i];
		const char *jname;
		cJSON *item;
		bool more = false;

		if (job->seq < start)
			continue;
		jname = emu_json_str(job->settings, "name");
		/* The name filter is exact but case-insensitive. */
		if (name && *name && (!jname || !emu_strcaseeq(jname, name)))
			continue;
		if (skipped < offset) {
			skipped++;
			continue;
		}
		if ((int64_t)shown == limit) {
			char *next = jobs_token_make('L', 0, job->seq);

			cJSON_AddBoolToObject(body, "has_more", true);
			cJSON_AddStringToObject(body, "next_page_token", next);
			free(next);
			break;
		}
		if (!jobs)
			jobs = cJSON_AddArrayToObject(body, "jobs");
		item = cJSON_CreateObject();
		emu_json_add_int64(item, "job_id", job->job_id);
		cJSON_AddStringToObject(item, "creator_user_name",
					job->creator);
		emu_json_add_int64(item, "created_time", job->created_time);
		cJSON_AddItemToObject(item, "settings",
				      jobs_settings_view(job->settings, true, 0,
							 expand, &more));
		if (more)
			cJSON_AddBoolToObject(item, "has_more", true);
		cJSON_AddItemToArray(jobs, item);
		shown++;
	}
	if (!cJSON_GetObjectItemCaseSensitive(body, "has_more"))
		cJSON_AddBoolToObject(body, "has_more", false);
	emu_response_json(resp, 200, body);
}

/* Replaces job's settings with the normalised settings (owned). */
static int job_store(struct jobs_state *st, struct jobs_job *job,
		     cJSON *settings, struct emu_response *resp)
{
	size_t bytes = jobs_json_bytes(settings);

	if (st->job_bytes - job->bytes + bytes > JOBS_MAX_JOB_BYTES) {
		cJSON_Delete(settings);
		return jobs_full(resp);
	}
	st->job_bytes = st->job_bytes - job->bytes + bytes;
	cJSON_Delete(job->settings);
	job->settings = settings;
	job->bytes = bytes;
	return 0;
}

static int check_version_tasks(int minor, const cJSON *settings,
			       struct emu_response *resp)
{
	size_t n = emu_json_array_len(emu_json_member(settings, "tasks"));

	if (minor < 2 && n > JOBS_PAGE_SIZE)
		return jobs_error_too_many_for_version(resp, n);
	return 0;
}

static void jobs_reset(struct emu_request *req, struct emu_response *resp)
{
	int minor = jobs_api_minor(req);
	struct jobs_norm norm = {
		.minor = minor, .default_queue = minor >= 2, .ws = req->ws};
	const cJSON *new_settings;
	struct jobs_job *job;
	cJSON *settings;
	char *run_as = NULL;

	job = job_arg(req, resp);
	if (!job)
		return;
	new_settings = emu_arg_json(req, "new_settings");
	if (!new_settings) {
		emu_error_missing_field(resp, "new_settings");
		return;
	}
	if (!cJSON_IsObject(new_settings)) {
		emu_error_field_type(resp, "new_settings", "an object",
				     emu_json_type_name(new_settings));
		return;
	}
	settings = cJSON_Duplicate(new_settings, true);
	if (jobs_settings_take_run_as(settings, &run_as, resp) < 0 ||
	    jobs_settings_normalize(settings, &norm, resp) < 0 ||
	    check_version_tasks(minor, settings, resp) < 0) {
		cJSON_Delete(settings);
		free(run_as);
		return;
	}
	if (job_store(req->state, job, settings, resp) < 0) {
		free(run_as);
		return;
	}
	/* Cloud quirk: a reset without run_as keeps the previous one. */
	if (run_as) {
		free(job->run_as);
		job->run_as = run_as;
		job->run_as_set = true;
	}
}

static void jobs_update(struct emu_request *req, struct emu_response *resp)
{
	int minor = jobs_api_minor(req);
	struct jobs_norm norm = {.minor = minor, .ws = req->ws};
	struct jobs_job *job;
	cJSON *merged;
	char *run_as = NULL;

	job = job_arg(req, resp);
	if (!job)
		return;
	merged = cJSON_Duplicate(job->settings, true);
	if (jobs_settings_merge(merged, emu_arg_json(req, "new_settings"),
				emu_arg_json(req, "fields_to_remove"),
				resp) < 0 ||
	    jobs_settings_take_run_as(merged, &run_as, resp) < 0 ||
	    jobs_settings_normalize(merged, &norm, resp) < 0 ||
	    check_version_tasks(minor, merged, resp) < 0) {
		cJSON_Delete(merged);
		free(run_as);
		return;
	}
	if (job_store(req->state, job, merged, resp) < 0) {
		free(run_as);
		return;
	}
	if (run_as) {
		free(job->run_as);
		job->run_as = run_as;
		job->run_as_set = true;
	}
}

static void job_remove(struct jobs_state *st, struct jobs_job *job)
{
	size_t i;

	for (i = 0; i < st->njobs; i++)
		if (st->jobs[i] == job)
			break;
	jobs_runs_drop_job(st, job->job_id);
	jobs_index_remove(st, job->job_id);
	st->job_bytes -= job->bytes;
	memmove(&st->jobs[i], &st->jobs[i + 1],
		(st->njobs - i - 1) * sizeof(*st->jobs));
	st->njobs--;
	job_free(job);
}

static void jobs_delete(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_job *job = job_arg(req, resp);

	if (job)
		job_remove(req->state, job);
}

/* --- persistence -----------------------------------------------------------
 */

static cJSON *jobs_state_save(const void *p)
{
	const struct jobs_state *st = p;
	cJSON *root = cJSON_CreateObject();
	cJSON *jobs = cJSON_AddArrayToObject(root, "jobs");
	cJSON *runs = cJSON_AddArrayToObject(root, "runs");
	size_t i;

	for (i = 0; i < st->njobs; i++) {
		const struct jobs_job *job = st->jobs[i];
		cJSON *item = cJSON_CreateObject();

		emu_json_add_int64(item, "job_id", job->job_id);
		emu_json_add_int64(item, "created_time", job->created_time);
		cJSON_AddStringToObject(item, "creator_user_name",
					job->creator);
		cJSON_AddStringToObject(item, "run_as_user_name", job->run_as);
		if (job->run_as_set)
			cJSON_AddBoolToObject(item, "run_as_set", true);
		cJSON_AddItemToObject(item, "settings",
				      cJSON_Duplicate(job->settings, true));
		cJSON_AddItemToArray(jobs, item);
	}
	for (i = 0; i < st->nruns; i++)
		cJSON_AddItemToArray(runs, jobs_run_save(st->runs[i]));
	return root;
}

static int load_job(struct jobs_state *st, const cJSON *item, char *err,
		    size_t errlen)
{
	const char *creator = emu_json_str(item, "creator_user_name");
	const char *run_as = emu_json_str(item, "run_as_user_name");
	cJSON *settings = emu_json_member(item, "settings");
	struct jobs_job *job;
	int64_t id, created;

	if (emu_json_member_int(&id, item, "job_id") < 0 || id <= 0 ||
	    jobs_index_get(st, id) ||
	    emu_json_member_int(&created, item, "created_time") < 0 ||
	    !creator || !run_as || !cJSON_IsObject(settings) ||
	    st->njobs >= JOBS_MAX_JOBS) {
		snprintf(err, errlen, "bad or duplicate job");
		return -1;
	}
	settings = cJSON_Duplicate(settings, true);
	if (jobs_json_exactify(settings, "", NULL) < 0) {
		cJSON_Delete(settings);
		snprintf(err, errlen, "job %" PRId64 ": bad settings", id);
		return -1;
	}
	job = emu_xcalloc(1, sizeof(*job));
	job->job_id = id;
	job->seq = jobs_next_seq(st);
	job->created_time = created;
	job->creator = emu_xstrdup(creator);
	job->run_as = emu_xstrdup(run_as);
	job->run_as_set = cJSON_IsTrue(emu_json_member(item, "run_as_set"));
	job->settings = settings;
	job->bytes = jobs_json_bytes(settings);
	st->job_bytes += job->bytes;
	st->jobs = emu_xrealloc(st->jobs, (st->njobs + 1) * sizeof(*st->jobs));
	st->jobs[st->njobs++] = job;
	jobs_index_put(st, id, JOBS_ID_JOB, job, 0);
	return 0;
}

static int jobs_state_load(void *p, const cJSON *json, char *err, size_t errlen)
{
	struct jobs_state *st = p;
	const cJSON *jobs = emu_json_member(json, "jobs");
	const cJSON *runs = emu_json_member(json, "runs");
	const cJSON *item;

	if ((jobs && !cJSON_IsArray(jobs)) || (runs && !cJSON_IsArray(runs))) {
		snprintf(err, errlen, "\"jobs\" and \"runs\" must be arrays");
		return -1;
	}
	cJSON_ArrayForEach(item, jobs)
	{
		if (load_job(st, item, err, errlen) < 0)
			return -1;
	}
	cJSON_ArrayForEach(item, runs)
	{
		if (jobs_run_load(st, item, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* --- descriptor ------------------------------------------------------------
 */

#define JOBS_PATH(p) "/api/{v:2.0|2.1|2.2}/jobs/" p

static const struct emu_route jobs_routes[] = {
	{.method = "POST",
	 .pattern = JOBS_PATH("create"),
	 .handler = jobs_create},
	{.method = "GET", .pattern = JOBS_PATH("get"), .handler = jobs_get},
	{.method = "GET", .pattern = JOBS_PATH("list"), .handler = jobs_list},
	{.method = "POST",
	 .pattern = JOBS_PATH("reset"),
	 .handler = jobs_reset},
	{.method = "POST",
	 .pattern = JOBS_PATH("update"),
	 .handler = jobs_update},
	{.method = "POST",
	 .pattern = JOBS_PATH("delete"),
	 .handler = jobs_delete},
	{.method = "POST",
	 .pattern = JOBS_PATH("run-now"),
	 .handler = jobs_run_now},
	{.method = "POST",
	 .pattern = JOBS_PATH("runs/submit"),
	 .handler = jobs_runs_submit},
	{.method = "GET",
	 .pattern = JOBS_PATH("runs/get"),
	 .handler = jobs_runs_get},
	{.method = "GET",
	 .pattern = JOBS_PATH("runs/list"),
	 .handler = jobs_runs_list},
	{.method = "POST",
	 .pattern = JOBS_PATH("runs/cancel"),
	 .handler = jobs_runs_cancel},
	{.method = "POST",
	 .pattern = JOBS_PATH("runs/cancel-all"),
	 .handler = jobs_runs_cancel_all},
	{.method = "GET",
	 .pattern = JOBS_PATH("runs/get-output"),
	 .handler = jobs_runs_get_output},
	{.method = "POST",
	 .pattern = JOBS_PATH("runs/delete"),
	 .handler = jobs_runs_delete},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_jobs = {
	.name = "jobs",
	.routes = jobs_routes,
	.state_new = jobs_state_new,
	.state_free = jobs_state_free,
	.state_save = jobs_state_save,
	.state_load = jobs_state_load,
};
