/*
 * Job runs for the emulated Jobs API (databricks-rest-api.md §3.2, §3.4):
 * run-now, runs/submit, runs/get, runs/list, runs/cancel, runs/cancel-all,
 * runs/get-output and runs/delete.
 *
 * The run clock. There is no background thread: a run's state is computed
 * from the workspace clock whenever it is read. A run that starts at B and
 * lasts D (--run-duration-ms, fixed when the run is created) is
 *
 *	PENDING      [B, B + D/4)
 *	RUNNING      [B + D/4, B + D - D/4)
 *	TERMINATING  [B + D - D/4, B + D)
 *	TERMINATED   from B + D, result_state SUCCESS
 *
 * so with D = 0 a run is TERMINATED as soon as it exists. runs/cancel ends
 * an active run at once: TERMINATED, result_state CANCELED,
 * user_cancelled_or_timedout true.
 *
 * Concurrency. When run-now finds max_concurrent_runs runs of the job
 * active (or runs already queued), the new run is QUEUED if queueing is on
 * (the job's queue.enabled, or the run-now queue override), else SKIPPED
 * with result_state MAXIMUM_CONCURRENT_RUNS_REACHED; max_concurrent_runs
 * 0 skips every run. Queued runs leave the queue in order, each at the
 * moment a slot frees: jobs_runs_tick() replays those moments lazily, up
 * to "now", at the start of every runs request, so the result is the same
 * as if a scheduler had been running all along.
 *
 * Runs keep a snapshot of the job's tasks (sorted by task_key) taken when
 * they start, each task with its own run_id, as on the real service. A run
 * id, a task run id and a job id never collide. runs/get in 2.2 returns
 * tasks 100 at a time with next_page_token; 2.0/2.1 refuse runs with more
 * than 100 tasks. At most JOBS_MAX_RUNS runs are kept: the oldest finished
 * ones are forgotten first.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "jobs_internal.h"
#include "json.h"
#include "util.h"
#include "workspace.h"

enum phase {
	PH_QUEUED,
	PH_PENDING,
	PH_RUNNING,
	PH_TERMINATING,
	PH_TERMINATED,
	PH_SKIPPED,
};

static const char *const phase_names[] = {
	"QUEUED", "PENDING", "RUNNING", "TERMINATING", "TERMINATED", "SKIPPED",
};

static const char *const outcome_names[] = {"SUCCESS", "CANCELED", "SKIPPED",
					    "QUEUE_FULL"};

/* Legacy per-run parameter overrides, echoed as overriding_parameters. */
static const struct {
	const char *name;
	int type; /* cJSON_Object or cJSON_Array */
} run_params[] = {
	{"notebook_params", cJSON_Object},
	{"python_params", cJSON_Array},
	{"jar_params", cJSON_Array},
	{"spark_submit_params", cJSON_Array},
	{"python_named_params", cJSON_Object},
	{"sql_params", cJSON_Object},
	{"dbt_commands", cJSON_Array},
	{"pipeline_params", cJSON_Object},
};

/* --- the clock -------------------------------------------------------------
 */

static bool skipped(const struct jobs_run *r)
{
	return r->outcome == JOBS_OUTCOME_SKIPPED ||
	       r->outcome == JOBS_OUTCOME_QUEUE_FULL;
}

static bool queued(const struct jobs_run *r)
{
	return r->begin < 0 && r->outcome == JOBS_OUTCOME_SUCCESS &&
	       !r->deleted;
}

static enum phase run_phase(const struct jobs_run *r, int64_t now)
{
	int64_t d;

	if (skipped(r))
		return PH_SKIPPED;
	if (r->outcome == JOBS_OUTCOME_CANCELED)
		return PH_TERMINATED;
	if (r->begin < 0)
		return PH_QUEUED;
	if (now >= r->end)
		return PH_TERMINATED;
	d = r->end - r->begin;
	if (now < r->begin + d / 4)
		return PH_PENDING;
	if (now < r->end - d / 4)
		return PH_RUNNING;
	return PH_TERMINATING;
}

static bool active(enum phase ph)
{
	return ph < PH_TERMINATED;
}

/* Does r hold one of its job's concurrency slots at time t? */
static bool occupies(const struct jobs_run *r, int64_t t)
{
	return !skipped(r) && r->begin >= 0 && r->begin <= t && t < r->end;
}

static int cmp_job_then_seq(const void *a, const void *b)
{
	const struct jobs_run *x = *(const struct jobs_run *const *)a;
	const struct jobs_run *y = *(const struct jobs_run *const *)b;

	if (x->job_id != y->job_id)
		return x->job_id < y->job_id ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int64_t job_max_concurrent(const struct jobs_job *job)
{
	int64_t v;

	if (emu_json_member_int(&v, job->settings, "max_concurrent_runs") < 0)
		return 1;
	return v;
}

/*
 * runs[0..n) are one job's runs in creation order. Starts the queued ones,
 * first in first out, each at the earliest moment (up to now) when fewer
 * than max_concurrent_runs runs hold a slot.
 */
static void tick_job(struct jobs_state *st, struct jobs_run **runs, size_t n,
		     int64_t now)
{
	const struct jobs_job *job = jobs_find_job(st, runs[0]->job_id);
	int64_t max, last_start = INT64_MIN, *ends;
	size_t i, k, nends = 0, lo = 0;

	if (!job)
		return;
	max = job_max_concurrent(job);
	if (max <= 0)
		return;
	ends = emu_xcalloc(n, sizeof(*ends));
	for (i = 0; i < n; i++) {
		if (skipped(runs[i]) || runs[i]->begin < 0)
			continue;
		ends[nends++] = runs[i]->end;
		if (runs[i]->begin > last_start)
			last_start = runs[i]->begin;
	}
	qsort(ends, nends, sizeof(*ends), cmp_int64);
	for (i = 0; i < n; i++) {
		struct jobs_run *r = runs[i];
		int64_t t;

		if (!queued(r))
			continue;
		t = r->created > last_start ? r->created : last_start;
		while (lo < nends && ends[lo] <= t)
			lo++;
		while (nends - lo >= (size_t)max) {
			if (ends[lo] > t)
				t = ends[lo];
			while (lo < nends && ends[lo] <= t)
				lo++;
		}
		if (t > now)
			break;
		r->begin = t;
		r->end = t + r->duration;
		last_start = t;
		/* Keep ends[lo..nends) sorted. */
		for (k = nends; k > lo && ends[k - 1] > r->end; k--)
			ends[k] = ends[k - 1];
		ends[k] = r->end;
		nends++;
	}
	free(ends);
}

void jobs_runs_tick(struct jobs_state *st, int64_t now)
{
	struct jobs_run **v;
	size_t i, j, n = 0;

	for (i = 0; i < st->nruns; i++)
		if (queued(st->runs[i]))
			break;
	if (i == st->nruns)
		return;
	v = emu_xcalloc(st->nruns, sizeof(*v));
	for (i = 0; i < st->nruns; i++)
		if (!st->runs[i]->submit && !st->runs[i]->deleted)
			v[n++] = st->runs[i];
	qsort(v, n, sizeof(*v), cmp_job_then_seq);
	for (i = 0; i < n; i = j) {
		bool any = false;

		for (j = i; j < n && v[j]->job_id == v[i]->job_id; j++)
			any = any || queued(v[j]);
		if (any)
			tick_job(st, v + i, j - i, now);
	}
	free(v);
}

/* --- storage ---------------------------------------------------------------
 */

void jobs_run_free(struct jobs_run *run)
{
	if (!run)
		return;
	free(run->run_name);
	free(run->creator);
	free(run->token);
	cJSON_Delete(run->tasks);
	cJSON_Delete(run->extra);
	free(run->task_run_ids);
	free(run);
}

static size_t run_bytes(const struct jobs_run *r)
{
	return sizeof(*r) + jobs_json_bytes(r->tasks) +
	       jobs_json_bytes(r->extra) + r->ntasks * sizeof(int64_t) +
	       (r->run_name ? strlen(r->run_name) : 0) +
	       (r->creator ? strlen(r->creator) : 0) +
	       (r->token ? strlen(r->token) : 0);
}

static void index_run(struct jobs_state *st, struct jobs_run *r)
{
	size_t i;

	jobs_index_put(st, r->run_id, JOBS_ID_RUN, r, 0);
	for (i = 0; i < r->ntasks; i++)
		jobs_index_put(st, r->task_run_ids[i], JOBS_ID_TASK_RUN, r,
			       (uint32_t)i);
}

static void unindex_tasks(struct jobs_state *st, const struct jobs_run *r)
{
	size_t i;

	for (i = 0; i < r->ntasks; i++)
		jobs_index_remove(st, r->task_run_ids[i]);
}

static void append_run(struct jobs_state *st, struct jobs_run *r)
{
	r->seq = jobs_next_seq(st);
	r->bytes = run_bytes(r);
	st->run_bytes += r->bytes;
	st->runs = emu_xrealloc(st->runs, (st->nruns + 1) * sizeof(*st->runs));
	st->runs[st->nruns++] = r;
	index_run(st, r);
}

static void remove_run_at(struct jobs_state *st, size_t i)
{
	struct jobs_run *r = st->runs[i];

	unindex_tasks(st, r);
	jobs_index_remove(st, r->run_id);
	st->run_bytes -= r->bytes;
	memmove(&st->runs[i], &st->runs[i + 1],
		(st->nruns - i - 1) * sizeof(*st->runs));
	st->nruns--;
	jobs_run_free(r);
}

void jobs_runs_drop_job(struct jobs_state *st, int64_t job_id)
{
	size_t i = st->nruns;

	while (i-- > 0)
		if (!st->runs[i]->submit && st->runs[i]->job_id == job_id)
			remove_run_at(st, i);
}

/* Forgets the oldest finished runs until one of need bytes fits. */
static int make_room(struct jobs_state *st, size_t need, int64_t now)
{
	while (st->nruns >= JOBS_MAX_RUNS ||
	       st->run_bytes + need > JOBS_MAX_RUN_BYTES) {
		size_t i;

		for (i = 0; i < st->nruns; i++)
			if (st->runs[i]->deleted ||
			    !active(run_phase(st->runs[i], now)))
				break;
		if (i == st->nruns)
			return -1;
		remove_run_at(st, i);
	}
	return 0;
}

/* Gives the run and each of its tasks a fresh id and stores the run. */
static void add_new_run(struct jobs_state *st, struct jobs_run *r)
{
	size_t i;

	r->run_id = jobs_new_id(st);
	jobs_index_put(st, r->run_id, JOBS_ID_RUN, r, 0);
	r->task_run_ids = emu_xcalloc(r->ntasks, sizeof(*r->task_run_ids));
	for (i = 0; i < r->ntasks; i++) {
		r->task_run_ids[i] = jobs_new_id(st);
		jobs_index_put(st, r->task_run_ids[i], JOBS_ID_TASK_RUN, r,
			       (uint32_t)i);
	}
	append_run(st, r);
}

static struct jobs_run *find_token(const struct jobs_state *st,
				   const char *token)
{
	size_t i;

	for (i = 0; i < st->nruns; i++)
		if (st->runs[i]->token &&
		    strcmp(st->runs[i]->token, token) == 0)
			return st->runs[i];
	return NULL;
}

/*
 * Looks up run_id: a run, or a task run (*task set to its index, else
 * SIZE_MAX). NULL for unknown and deleted runs.
 */
static struct jobs_run *run_lookup(const struct jobs_state *st, int64_t id,
				   size_t *task)
{
	const struct jobs_id_slot *s = jobs_index_get(st, id);
	struct jobs_run *r;

	*task = SIZE_MAX;
	if (!s || (s->kind != JOBS_ID_RUN && s->kind != JOBS_ID_TASK_RUN))
		return NULL;
	r = s->ptr;
	if (r->deleted)
		return NULL;
	if (s->kind == JOBS_ID_TASK_RUN)
		*task = s->task;
	return r;
}

/* Reads run_id and finds the run (400 "Run N does not exist." if not). */
static struct jobs_run *run_arg(struct emu_request *req,
				struct emu_response *resp, size_t *task)
{
	struct jobs_run *r;
	int64_t id;

	*task = SIZE_MAX;
	if (emu_arg_int64(&id, NULL, req, resp, "run_id", EMU_ARG_REQUIRED) < 0)
		return NULL;
	r = run_lookup(req->state, id, task);
	if (!r)
		jobs_error_no_run(resp, id);
	return r;
}

/* --- JSON views ------------------------------------------------------------
 */

static const char *result_state(const struct jobs_run *r)
{
	switch (r->outcome) {
	case JOBS_OUTCOME_CANCELED:
		return "CANCELED";
	case JOBS_OUTCOME_SKIPPED:
	case JOBS_OUTCOME_QUEUE_FULL:
		return "MAXIMUM_CONCURRENT_RUNS_REACHED";
	default:
		return "SUCCESS";
	}
}

static char *state_message(const struct jobs_run *r, enum phase ph)
{
	if (r->outcome == JOBS_OUTCOME_SKIPPED)
		return emu_printf("Skipping this run because the limit of "
				  "%" PRId64 " maximum concurrent runs has "
				  "been reached.",
				  r->max_concurrent);
	if (r->outcome == JOBS_OUTCOME_QUEUE_FULL)
		return emu_printf("Skipping this run because the queue of "
				  "the job is full (%d runs).",
				  JOBS_MAX_QUEUED);
	if (r->outcome == JOBS_OUTCOME_CANCELED)
		return emu_xstrdup("Run cancelled.");
	if (ph == PH_PENDING)
		return emu_xstrdup("Waiting for cluster");
	if (ph == PH_RUNNING)
		return emu_xstrdup("In run");
	return emu_xstrdup("");
}

static char *queue_message(const struct jobs_run *r)
{
	return emu_printf("Queued due to reaching maximum concurrent runs of "
			  "%" PRId64 ".",
			  r->max_concurrent);
}

static void add_state(cJSON *obj, const struct jobs_run *r, enum phase ph)
{
	cJSON *state = cJSON_AddObjectToObject(obj, "state");
	cJSON *status = cJSON_AddObjectToObject(obj, "status");
	char *msg = state_message(r, ph);
	bool terminal = !active(ph);

	cJSON_AddStringToObject(state, "life_cycle_state", phase_names[ph]);
	if (terminal)
		cJSON_AddStringToObject(state, "result_state", result_state(r));
	cJSON_AddStringToObject(state, "state_message", msg);
	if (terminal)
		cJSON_AddBoolToObject(state, "user_cancelled_or_timedout",
				      r->outcome == JOBS_OUTCOME_CANCELED);

	cJSON_AddStringToObject(status, "state",
				ph == PH_SKIPPED ? "TERMINATED"
						 : phase_names[ph]);
	if (ph == PH_QUEUED) {
		char *q = queue_message(r);
		cJSON *qd = cJSON_AddObjectToObject(status, "queue_details");

		cJSON_AddStringToObject(state, "queue_reason", q);
		cJSON_AddStringToObject(qd, "code",
					"MAX_CONCURRENT_RUNS_REACHED");
		cJSON_AddStringToObject(qd, "message", q);
		free(q);
	}
	if (terminal) {
		cJSON *td =
			cJSON_AddObjectToObject(status, "termination_details");
		const char *code = "SUCCESS", *type = "SUCCESS";

		if (r->outcome == JOBS_OUTCOME_CANCELED) {
			code = "USER_CANCELED";
		} else if (r->outcome == JOBS_OUTCOME_SKIPPED) {
			code = "MAX_CONCURRENT_RUNS_EXCEEDED";
			type = "CLIENT_ERROR";
		} else if (r->outcome == JOBS_OUTCOME_QUEUE_FULL) {
			code = "MAX_JOB_QUEUE_SIZE_EXCEEDED";
			type = "CLIENT_ERROR";
		}
		cJSON_AddStringToObject(td, "code", code);
		cJSON_AddStringToObject(td, "type", type);
		cJSON_AddStringToObject(td, "message", msg);
	}
	free(msg);
}

static int64_t overlap(int64_t a, int64_t b, int64_t lo, int64_t hi)
{
	int64_t s = a > lo ? a : lo, e = b < hi ? b : hi;

	return e > s ? e - s : 0;
}

/* start/end times and durations; with phases, setup/execution/cleanup. */
static void add_times(cJSON *obj, const struct jobs_run *r, enum phase ph,
		      int64_t now, bool phases)
{
	bool terminal = !active(ph);
	int64_t setup = 0, exec = 0, cleanup = 0, upto, d, queue_end;

	if (phases && r->begin >= 0) {
		d = r->duration;
		upto = terminal ? r->end : now;
		setup = overlap(r->begin, r->begin + d / 4, r->begin, upto);
		exec = overlap(r->begin + d / 4, r->begin + d - d / 4, r->begin,
			       upto);
		cleanup = overlap(r->begin + d - d / 4, r->begin + d, r->begin,
				  upto);
	}
	emu_json_add_int64(obj, "start_time", r->created);
	emu_json_add_int64(obj, "end_time", terminal ? r->end : 0);
	emu_json_add_int64(obj, "setup_duration", setup);
	emu_json_add_int64(obj, "execution_duration", exec);
	emu_json_add_int64(obj, "cleanup_duration", cleanup);
	if (terminal)
		emu_json_add_int64(obj, "run_duration", r->end - r->created);
	queue_end = r->begin >= 0 ? r->begin : (terminal ? r->end : now);
	if (queue_end > r->created && !skipped(r))
		emu_json_add_int64(obj, "queue_duration",
				   queue_end - r->created);
}

static void add_page_url(cJSON *obj, const char *base, const struct jobs_run *r,
			 int64_t id)
{
	char *url;

	if (r->submit)
		url = emu_printf("%s#run/%" PRId64, base, id);
	else
		url = emu_printf("%s#job/%" PRId64 "/run/%" PRId64, base,
				 r->job_id, id);
	cJSON_AddStringToObject(obj, "run_page_url", url);
	free(url);
}

/* The identity fields every Run has, for run or task run id. */
static void add_run_ids(cJSON *obj, const struct jobs_run *r, int64_t id)
{
	if (!r->submit)
		emu_json_add_int64(obj, "job_id", r->job_id);
	emu_json_add_int64(obj, "run_id", id);
	emu_json_add_int64(obj, "number_in_job", id);
	emu_json_add_int64(obj, "original_attempt_run_id", id);
	emu_json_add_int64(obj, "attempt_number", 0);
	cJSON_AddStringToObject(obj, "creator_user_name", r->creator);
	cJSON_AddStringToObject(obj, "run_name", r->run_name);
	cJSON_AddStringToObject(obj, "run_type",
				r->submit ? "SUBMIT_RUN" : "JOB_RUN");
	cJSON_AddStringToObject(obj, "trigger", "ONE_TIME");
}

/*
 * Task i of run r as a RunTask: the task's definition plus its run_id,
 * state, status and times. as_run adds the Run identity fields (runs/get
 * of a task run id, get-output metadata).
 */
static cJSON *task_json(const char *base, const struct jobs_run *r, size_t i,
			const cJSON *def, int64_t now, bool as_run)
{
	enum phase ph = run_phase(r, now);
	int64_t id = r->task_run_ids[i];
	const char *cluster = emu_json_str(def, "existing_cluster_id");
	cJSON *obj;

	if (as_run) {
		obj = cJSON_CreateObject();
		add_run_ids(obj, r, id);
		cJSON_AddStringToObject(obj, "task_key",
					emu_json_str(def, "task_key"));
	} else {
		obj = cJSON_Duplicate(def, true);
		emu_json_add_int64(obj, "run_id", id);
		emu_json_add_int64(obj, "attempt_number", 0);
	}
	add_state(obj, r, ph);
	add_times(obj, r, ph, now, true);
	add_page_url(obj, base, r, id);
	if (cluster) {
		cJSON *ci = cJSON_AddObjectToObject(obj, "cluster_instance");

		cJSON_AddStringToObject(ci, "cluster_id", cluster);
	}
	if (as_run) {
		cJSON *copy = cJSON_Duplicate(def, true);
		cJSON *item;

		/* The definition, without repeating task_key. */
		while ((item = copy->child) != NULL) {
			cJSON_DetachItemViaPointer(copy, item);
			if (strcmp(item->string, "task_key") == 0)
				cJSON_Delete(item);
			else
				cJSON_AddItemToObject(obj, item->string, item);
		}
		cJSON_Delete(copy);
	}
	return obj;
}

struct run_view {
	bool tasks; /* include tasks and job_clusters */
	bool paged; /* only page `page` of the tasks, 100 at a time */
	size_t page;
	size_t limit; /* at most this many tasks (list: 100) */
};

/* The Run object; *more says whether tasks were cut short. */
static cJSON *run_json(const char *base, const struct jobs_run *r, int64_t now,
		       const struct run_view *v, bool *more)
{
	enum phase ph = run_phase(r, now);
	cJSON *obj = cJSON_CreateObject(), *tasks;
	const cJSON *item;
	size_t i, from = 0, to = r->ntasks;

	*more = false;
	add_run_ids(obj, r, r->run_id);
	add_state(obj, r, ph);
	add_times(obj, r, ph, now, r->single_task);
	add_page_url(obj, base, r, r->run_id);
	cJSON_AddStringToObject(obj, "format",
				r->single_task ? "SINGLE_TASK" : "MULTI_TASK");
	if (v->tasks && r->ntasks > 0) {
		if (v->paged) {
			from = v->page * JOBS_PAGE_SIZE;
			to = from + JOBS_PAGE_SIZE;
		}
		if (to - from > v->limit)
			to = from + v->limit;
		if (to < r->ntasks)
			*more = true;
		if (to > r->ntasks)
			to = r->ntasks;
		if (from < to || from == 0) {
			tasks = cJSON_AddArrayToObject(obj, "tasks");
			i = 0;
			cJSON_ArrayForEach(item, r->tasks)
			{
				if (i >= from && i < to)
					cJSON_AddItemToArray(
						tasks,
						task_json(base, r, i, item, now,
							  false));
				if (++i >= to)
					break;
			}
		}
	}
	for (item = r->extra ? r->extra->child : NULL; item;
	     item = item->next) {
		if (!v->tasks && strcmp(item->string, "job_clusters") == 0)
			continue;
		/* Later pages carry only the rest of the tasks. */
		if (v->paged && v->page > 0 && cJSON_IsArray(item))
			continue;
		cJSON_AddItemToObject(obj, item->string,
				      cJSON_Duplicate(item, true));
	}
	return obj;
}

/* --- creating runs ---------------------------------------------------------
 */

static int check_token(const char *token, struct emu_response *resp)
{
	if (token && strlen(token) > 64)
		return emu_error_invalid(resp,
					 "Invalid idempotency_token: it must "
					 "be at most 64 characters.");
	return 0;
}

/* A run started with this token already exists: answer with it. */
static void answer_existing(struct emu_response *resp, const struct jobs_run *r,
			    bool number)
{
	cJSON *body;

	if (r->deleted) {
		emu_error_invalid(resp,
				  "The run started with this idempotency "
				  "token (%" PRId64 ") has been deleted.",
				  r->run_id);
		return;
	}
	body = cJSON_CreateObject();
	emu_json_add_int64(body, "run_id", r->run_id);
	if (number)
		emu_json_add_int64(body, "number_in_job", r->run_id);
	emu_response_json(resp, 200, body);
}

static int too_many_runs(struct emu_response *resp)
{
	return emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			 "Too many active runs in the workspace: the emulator "
			 "keeps at most %d runs.",
			 JOBS_MAX_RUNS);
}

static bool param_defined(const cJSON *defs, const char *name)
{
	const cJSON *def;

	cJSON_ArrayForEach(def, defs)
	{
		const char *n = emu_json_str(def, "name");

		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

/* job_parameters of a run: each job parameter with its value. */
static cJSON *resolve_params(const cJSON *defs, const cJSON *overrides)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *def, *ov;

	cJSON_ArrayForEach(def, defs)
	{
		const char *name = emu_json_str(def, "name");
		const cJSON *dflt = emu_json_member(def, "default");
		const cJSON *value =
			name ? emu_json_member(overrides, name) : NULL;
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "name", name ? name : "");
		if (dflt)
			cJSON_AddItemToObject(p, "default",
					      cJSON_Duplicate(dflt, true));
		if (value || dflt)
			cJSON_AddItemToObject(
				p, "value",
				cJSON_Duplicate(value ? value : dflt, true));
		cJSON_AddItemToArray(out, p);
	}
	/* Values for parameters the job does not define are kept too. */
	cJSON_ArrayForEach(ov, overrides)
	{
		cJSON *p;

		if (param_defined(defs, ov->string))
			continue;
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "name", ov->string);
		cJSON_AddItemToObject(p, "value", cJSON_Duplicate(ov, true));
		cJSON_AddItemToArray(out, p);
	}
	if (!out->child) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

/* Checks run-now's parameter fields and copies the legacy ones. */
static int run_now_params(struct emu_request *req, struct emu_response *resp,
			  cJSON **overriding)
{
	const cJSON *jp = emu_arg_json(req, "job_parameters"), *item;
	size_t i;

	*overriding = NULL;
	if (jp && !cJSON_IsObject(jp))
		return emu_error_field_type(resp, "job_parameters", "an object",
					    emu_json_type_name(jp));
	cJSON_ArrayForEach(item, jp)
	{
		if (!cJSON_IsString(item))
			return emu_error_invalid(resp,
						 "Invalid value for job "
						 "parameter '%s': expected a "
						 "string.",
						 item->string);
	}
	for (i = 0; i < EMU_ARRAY_SIZE(run_params); i++) {
		const cJSON *p = emu_arg_json(req, run_params[i].name);

		if (!p)
			continue;
		if ((p->type & 0xFF) != run_params[i].type) {
			cJSON_Delete(*overriding);
			*overriding = NULL;
			return emu_error_field_type(
				resp, run_params[i].name,
				run_params[i].type == cJSON_Object ? "an object"
								   : "an array",
				emu_json_type_name(p));
		}
		if (!*overriding)
			*overriding = cJSON_CreateObject();
		cJSON_AddItemToObject(*overriding, run_params[i].name,
				      cJSON_Duplicate(p, true));
	}
	return 0;
}

/* Copies the job's tasks, or only those named in `only`. */
static int select_tasks(const cJSON *tasks, const cJSON *only, cJSON **out,
			struct emu_response *resp)
{
	const cJSON *item, *task;

	*out = cJSON_CreateArray();
	if (only && !cJSON_IsArray(only)) {
		cJSON_Delete(*out);
		*out = NULL;
		return emu_error_field_type(resp, "only", "an array",
					    emu_json_type_name(only));
	}
	if (!only || !only->child) {
		cJSON_ArrayForEach(task, tasks)
		{
			cJSON_AddItemToArray(*out, cJSON_Duplicate(task, true));
		}
		return 0;
	}
	cJSON_ArrayForEach(task, tasks)
	{
		const char *key = emu_json_str(task, "task_key");

		cJSON_ArrayForEach(item, only)
		{
			if (cJSON_IsString(item) && key &&
			    strcmp(item->valuestring, key) == 0)
				break;
		}
		if (item)
			cJSON_AddItemToArray(*out, cJSON_Duplicate(task, true));
	}
	cJSON_ArrayForEach(item, only)
	{
		bool found = false;

		if (!cJSON_IsString(item)) {
			cJSON_Delete(*out);
			*out = NULL;
			return emu_error_invalid(resp,
						 "Invalid value for field "
						 "'only': expected an array "
						 "of task keys.");
		}
		cJSON_ArrayForEach(task, tasks)
		{
			const char *key = emu_json_str(task, "task_key");

			found = found ||
				(key && strcmp(key, item->valuestring) == 0);
		}
		if (!found) {
			cJSON_Delete(*out);
			*out = NULL;
			return emu_error_invalid(resp,
						 "Task %s given in 'only' does "
						 "not exist in the job.",
						 item->valuestring);
		}
	}
	return 0;
}

/* Decides how a new run of job starts: at once, queued or skipped. */
static void admit(const struct jobs_state *st, const struct jobs_job *job,
		  struct jobs_run *r, bool queue_on, int64_t now)
{
	int64_t max = job_max_concurrent(job), busy = 0, waiting = 0;
	size_t i;

	for (i = 0; i < st->nruns; i++) {
		const struct jobs_run *o = st->runs[i];

		if (o->submit || o->job_id != job->job_id || o->deleted)
			continue;
		if (occupies(o, now))
			busy++;
		if (queued(o))
			waiting++;
	}
	r->max_concurrent = max;
	r->begin = -1;
	r->end = -1;
	if (max > 0 && busy < max && waiting == 0) {
		r->begin = now;
		r->end = now + r->duration;
	} else if (max > 0 && queue_on && waiting < JOBS_MAX_QUEUED) {
		/* Stays QUEUED until jobs_runs_tick() starts it. */
	} else {
		r->outcome = queue_on && max > 0 ? JOBS_OUTCOME_QUEUE_FULL
						 : JOBS_OUTCOME_SKIPPED;
		r->end = now;
	}
}

static size_t count_tasks(const cJSON *tasks)
{
	return emu_json_array_len(tasks);
}

void jobs_run_now(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws), job_id;
	const cJSON *queue = emu_arg_json(req, "queue"), *qe;
	const char *token, *fmt;
	struct jobs_job *job;
	struct jobs_run *r;
	cJSON *overriding = NULL, *tasks = NULL, *params, *body;
	bool queue_on;

	if (emu_arg_int64(&job_id, NULL, req, resp, "job_id",
			  EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&token, req, resp, "idempotency_token",
			   EMU_ARG_OPTIONAL) < 0 ||
	    check_token(token, resp) < 0)
		return;
	job = jobs_find_job(st, job_id);
	if (!job) {
		jobs_error_no_job(resp, job_id);
		return;
	}
	jobs_runs_tick(st, now);
	if (token && *token && find_token(st, token)) {
		answer_existing(resp, find_token(st, token), true);
		return;
	}
	if (queue && (!cJSON_IsObject(queue) ||
		      !cJSON_IsBool(emu_json_member(queue, "enabled")))) {
		emu_error_invalid(resp, "Invalid value for field 'queue': "
					"expected an object with a boolean "
					"'enabled'.");
		return;
	}
	if (run_now_params(req, resp, &overriding) < 0 ||
	    select_tasks(emu_json_member(job->settings, "tasks"),
			 emu_arg_json(req, "only"), &tasks, resp) < 0) {
		cJSON_Delete(overriding);
		return;
	}
	qe = emu_json_member(queue ? queue
				   : emu_json_member(job->settings, "queue"),
			     "enabled");
	queue_on = cJSON_IsTrue(qe);

	r = emu_xcalloc(1, sizeof(*r));
	r->job_id = job->job_id;
	r->run_name = emu_xstrdup(emu_json_str(job->settings, "name")
					  ? emu_json_str(job->settings, "name")
					  : "Untitled");
	r->creator = emu_xstrdup(req->principal);
	r->token = token && *token ? emu_xstrdup(token) : NULL;
	r->created = now;
	r->duration = emu_workspace_run_duration_ms(req->ws);
	fmt = emu_json_str(job->settings, "format");
	r->single_task = fmt && strcmp(fmt, "SINGLE_TASK") == 0;
	r->tasks = tasks;
	r->ntasks = count_tasks(tasks);
	r->extra = cJSON_CreateObject();
	if (emu_json_member(job->settings, "job_clusters"))
		cJSON_AddItemToObject(
			r->extra, "job_clusters",
			cJSON_Duplicate(
				emu_json_member(job->settings, "job_clusters"),
				true));
	if (emu_json_member(job->settings, "git_source"))
		cJSON_AddItemToObject(
			r->extra, "git_source",
			cJSON_Duplicate(
				emu_json_member(job->settings, "git_source"),
				true));
	params = resolve_params(emu_json_member(job->settings, "parameters"),
				emu_arg_json(req, "job_parameters"));
	if (params)
		cJSON_AddItemToObject(r->extra, "job_parameters", params);
	if (overriding)
		cJSON_AddItemToObject(r->extra, "overriding_parameters",
				      overriding);
	admit(st, job, r, queue_on, now);

	if (make_room(st, run_bytes(r), now) < 0) {
		jobs_run_free(r);
		too_many_runs(resp);
		return;
	}
	add_new_run(st, r);
	body = cJSON_CreateObject();
	emu_json_add_int64(body, "run_id", r->run_id);
	emu_json_add_int64(body, "number_in_job", r->run_id);
	emu_response_json(resp, 200, body);
}

void jobs_runs_submit(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int minor = jobs_api_minor(req);
	struct jobs_norm norm = {.minor = minor, .submit = true, .ws = req->ws};
	int64_t now = emu_workspace_now_ms(req->ws);
	const char *token, *run_name;
	struct jobs_run *r;
	cJSON *settings, *body, *item;
	char *run_as = NULL;

	if (emu_arg_string(&token, req, resp, "idempotency_token",
			   EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&run_name, req, resp, "run_name", EMU_ARG_OPTIONAL) <
		    0 ||
	    check_token(token, resp) < 0)
		return;
	jobs_runs_tick(st, now);
	if (token && *token && find_token(st, token)) {
		answer_existing(resp, find_token(st, token), false);
		return;
	}
	settings = cJSON_Duplicate(req->json, true);
	cJSON_DeleteItemFromObjectCaseSensitive(settings, "run_name");
	cJSON_DeleteItemFromObjectCaseSensitive(settings, "idempotency_token");
	cJSON_DeleteItemFromObjectCaseSensitive(settings,
						"access_control_list");
	if (jobs_settings_take_run_as(settings, &run_as, resp) < 0 ||
	    jobs_settings_normalize(settings, &norm, resp) < 0) {
		cJSON_Delete(settings);
		free(run_as);
		return;
	}
	free(run_as);
	if (minor < 2 &&
	    count_tasks(emu_json_member(settings, "tasks")) > JOBS_PAGE_SIZE) {
		jobs_error_too_many_for_version(
			resp, count_tasks(emu_json_member(settings, "tasks")));
		cJSON_Delete(settings);
		return;
	}

	r = emu_xcalloc(1, sizeof(*r));
	r->submit = true;
	r->run_name =
		emu_xstrdup(run_name && *run_name ? run_name : "Untitled");
	r->creator = emu_xstrdup(req->principal);
	r->token = token && *token ? emu_xstrdup(token) : NULL;
	r->created = now;
	r->begin = now;
	r->duration = emu_workspace_run_duration_ms(req->ws);
	r->end = now + r->duration;
	r->max_concurrent = 1;
	r->tasks = cJSON_DetachItemFromObjectCaseSensitive(settings, "tasks");
	r->single_task = !r->tasks;
	if (!r->tasks)
		r->tasks = cJSON_CreateArray();
	r->ntasks = count_tasks(r->tasks);
	r->extra = cJSON_CreateObject();
	item = cJSON_DetachItemFromObjectCaseSensitive(settings, "git_source");
	if (item)
		cJSON_AddItemToObject(r->extra, "git_source", item);
	cJSON_Delete(settings);

	if (make_room(st, run_bytes(r), now) < 0) {
		jobs_run_free(r);
		too_many_runs(resp);
		return;
	}
	add_new_run(st, r);
	body = cJSON_CreateObject();
	emu_json_add_int64(body, "run_id", r->run_id);
	emu_response_json(resp, 200, body);
}

/* --- reading runs ----------------------------------------------------------
 */

void jobs_runs_get(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws), id;
	struct run_view view = {.tasks = true, .limit = SIZE_MAX};
	const char *token;
	struct jobs_run *r;
	uint64_t page = 0;
	size_t task;
	bool more = false;
	char *base;
	cJSON *body;

	jobs_runs_tick(st, now);
	r = run_arg(req, resp, &task);
	if (!r || emu_arg_string(&token, req, resp, "page_token",
				 EMU_ARG_OPTIONAL) < 0)
		return;
	base = jobs_page_base(req);
	if (task != SIZE_MAX) {
		emu_response_json(
			resp, 200,
			task_json(base, r, task,
				  cJSON_GetArrayItem(r->tasks, (int)task), now,
				  true));
		free(base);
		return;
	}
	if (jobs_api_minor(req) < 2) {
		if (r->ntasks > JOBS_PAGE_SIZE) {
			jobs_error_too_many_for_version(resp, r->ntasks);
			free(base);
			return;
		}
	} else {
		if (token && *token &&
		    (jobs_token_parse(token, 'T', &id, &page) < 0 ||
		     id != r->run_id || page > JOBS_MAX_TASKS)) {
			emu_error_invalid(resp, "Invalid page_token '%s'.",
					  token);
			free(base);
			return;
		}
		view.paged = true;
		view.page = (size_t)page;
	}
	body = run_json(base, r, now, &view, &more);
	if (more && view.paged) {
		char *next = jobs_token_make('T', r->run_id, page + 1);

		cJSON_AddStringToObject(body, "next_page_token", next);
		free(next);
	}
	free(base);
	emu_response_json(resp, 200, body);
}

static int run_type_ok(const char *t)
{
	return !t || !*t || strcmp(t, "JOB_RUN") == 0 ||
	       strcmp(t, "WORKFLOW_RUN") == 0 || strcmp(t, "SUBMIT_RUN") == 0;
}

void jobs_runs_list(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	int64_t job_id = 0, limit, offset, from = 0, to = 0, skipped_n = 0;
	bool has_job = false, active_only = false, completed_only = false;
	bool expand = false;
	const char *run_type;
	uint64_t start;
	struct run_view view = {.limit = JOBS_PAGE_SIZE};
	cJSON *body, *runs = NULL, *item;
	size_t i, shown = 0;
	char *base;

	if (emu_arg_int64(&job_id, &has_job, req, resp, "job_id",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&active_only, NULL, req, resp, "active_only",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&completed_only, NULL, req, resp, "completed_only",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&expand, NULL, req, resp, "expand_tasks",
			 EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_string(&run_type, req, resp, "run_type", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_int64(&from, NULL, req, resp, "start_time_from",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_int64(&to, NULL, req, resp, "start_time_to",
			  EMU_ARG_OPTIONAL) < 0 ||
	    jobs_list_args(req, resp, 25, 'R', &limit, &offset, &start) < 0)
		return;
	if (active_only && completed_only) {
		emu_error_invalid(resp, "active_only and completed_only cannot "
					"both be true.");
		return;
	}
	if (!run_type_ok(run_type)) {
		emu_error_invalid(resp,
				  "Invalid run_type '%s': expected JOB_RUN, "
				  "WORKFLOW_RUN or SUBMIT_RUN.",
				  run_type);
		return;
	}
	if (has_job && job_id != 0 && !jobs_find_job(st, job_id)) {
		jobs_error_no_job(resp, job_id);
		return;
	}
	jobs_runs_tick(st, now);
	view.tasks = expand;
	base = jobs_page_base(req);
	body = cJSON_CreateObject();
	/* Most recent first. */
	for (i = st->nruns; i-- > 0;) {
		const struct jobs_run *r = st->runs[i];
		enum phase ph;
		bool more;

		if (r->deleted || (start && r->seq > start))
			continue;
		if (has_job && job_id != 0 &&
		    (r->submit || r->job_id != job_id))
			continue;
		if (run_type && *run_type &&
		    strcmp(run_type, r->submit ? "SUBMIT_RUN" : "JOB_RUN") != 0)
			continue;
		if ((from && r->created < from) || (to && r->created > to))
			continue;
		ph = run_phase(r, now);
		if ((active_only && !active(ph)) ||
		    (completed_only && active(ph)))
			continue;
		if (skipped_n < offset) {
			skipped_n++;
			continue;
		}
		if ((int64_t)shown == limit) {
			char *next = jobs_token_make('R', 0, r->seq);

			cJSON_AddBoolToObject(body, "has_more", true);
			cJSON_AddStringToObject(body, "next_page_token", next);
			free(next);
			break;
		}
		if (!runs)
			runs = cJSON_AddArrayToObject(body, "runs");
		item = run_json(base, r, now, &view, &more);
		if (more)
			cJSON_AddBoolToObject(item, "has_more", true);
		cJSON_AddItemToArray(runs, item);
		shown++;
	}
	if (!cJSON_GetObjectItemCaseSensitive(body, "has_more"))
		cJSON_AddBoolToObject(body, "has_more", false);
	free(base);
	emu_response_json(resp, 200, body);
}

void jobs_runs_get_output(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	struct run_view view = {.tasks = true, .limit = SIZE_MAX};
	struct jobs_run *r;
	const cJSON *def = NULL;
	size_t task;
	bool more;
	char *base;
	cJSON *body;

	jobs_runs_tick(st, now);
	r = run_arg(req, resp, &task);
	if (!r)
		return;
	if (task == SIZE_MAX && r->ntasks > 1) {
		emu_error_invalid(resp,
				  "Retrieving the output of runs with multiple "
				  "tasks is not supported. Please retrieve the "
				  "output of each individual task run "
				  "instead.");
		return;
	}
	if (task == SIZE_MAX && r->ntasks == 1)
		task = 0;
	base = jobs_page_base(req);
	body = cJSON_CreateObject();
	if (task == SIZE_MAX) {
		cJSON_AddItemToObject(body, "metadata",
				      run_json(base, r, now, &view, &more));
	} else {
		def = cJSON_GetArrayItem(r->tasks, (int)task);
		cJSON_AddItemToObject(body, "metadata",
				      task_json(base, r, task, def, now, true));
	}
	if (run_phase(r, now) == PH_TERMINATED &&
	    r->outcome == JOBS_OUTCOME_SUCCESS && def &&
	    emu_json_member(def, "notebook_task"))
		cJSON_AddObjectToObject(body, "notebook_output");
	free(base);
	emu_response_json(resp, 200, body);
}

/* --- changing runs ---------------------------------------------------------
 */

static void cancel(struct jobs_run *r, int64_t now)
{
	if (!active(run_phase(r, now)))
		return;
	r->outcome = JOBS_OUTCOME_CANCELED;
	r->end = now;
}

void jobs_runs_cancel(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	struct jobs_run *r;
	size_t task;

	jobs_runs_tick(st, now);
	/* A task run id cancels the run it belongs to. */
	r = run_arg(req, resp, &task);
	if (r)
		cancel(r, now);
}

void jobs_runs_cancel_all(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws), job_id = 0;
	bool has_job = false, all_queued = false;
	size_t i;

	if (emu_arg_int64(&job_id, &has_job, req, resp, "job_id",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_bool(&all_queued, NULL, req, resp, "all_queued_runs",
			 EMU_ARG_OPTIONAL) < 0)
		return;
	if (has_job && !jobs_find_job(st, job_id)) {
		jobs_error_no_job(resp, job_id);
		return;
	}
	if (!has_job && !all_queued) {
		emu_error_invalid(resp, "Either job_id or all_queued_runs must "
					"be given.");
		return;
	}
	jobs_runs_tick(st, now);
	for (i = 0; i < st->nruns; i++) {
		struct jobs_run *r = st->runs[i];

		if (r->deleted)
			continue;
		if (has_job ? (!r->submit && r->job_id == job_id) : queued(r))
			cancel(r, now);
	}
}

void jobs_runs_delete(struct emu_request *req, struct emu_response *resp)
{
	struct jobs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	struct jobs_run *r;
	size_t task;

	jobs_runs_tick(st, now);
	r = run_arg(req, resp, &task);
	if (!r)
		return;
	if (task != SIZE_MAX) {
		jobs_error_no_run(resp, r->task_run_ids[task]);
		return;
	}
	if (active(run_phase(r, now))) {
		emu_error(resp, 400, "INVALID_STATE",
			  "Run %" PRId64 " is still active; cancel it before "
			  "deleting it.",
			  r->run_id);
		return;
	}
	/* Keep a tombstone for idempotency tokens; drop everything else. */
	unindex_tasks(st, r);
	st->run_bytes -= r->bytes;
	cJSON_Delete(r->tasks);
	cJSON_Delete(r->extra);
	free(r->task_run_ids);
	r->tasks = NULL;
	r->extra = NULL;
	r->task_run_ids = NULL;
	r->ntasks = 0;
	r->deleted = true;
	r->bytes = run_bytes(r);
	st->run_bytes += r->bytes;
}

/* --- persistence -----------------------------------------------------------
 */

cJSON *jobs_run_save(const struct jobs_run *r)
{
	cJSON *obj = cJSON_CreateObject(), *ids;
	size_t i;

	emu_json_add_int64(obj, "run_id", r->run_id);
	if (!r->submit)
		emu_json_add_int64(obj, "job_id", r->job_id);
	cJSON_AddBoolToObject(obj, "submit", r->submit);
	cJSON_AddBoolToObject(obj, "single_task", r->single_task);
	cJSON_AddBoolToObject(obj, "deleted", r->deleted);
	cJSON_AddStringToObject(obj, "outcome", outcome_names[r->outcome]);
	cJSON_AddStringToObject(obj, "run_name", r->run_name);
	cJSON_AddStringToObject(obj, "creator_user_name", r->creator);
	if (r->token)
		cJSON_AddStringToObject(obj, "idempotency_token", r->token);
	emu_json_add_int64(obj, "created", r->created);
	emu_json_add_int64(obj, "begin", r->begin);
	emu_json_add_int64(obj, "end", r->end);
	emu_json_add_int64(obj, "duration", r->duration);
	emu_json_add_int64(obj, "max_concurrent", r->max_concurrent);
	cJSON_AddItemToObject(obj, "tasks",
			      r->tasks ? cJSON_Duplicate(r->tasks, true)
				       : cJSON_CreateArray());
	ids = cJSON_AddArrayToObject(obj, "task_run_ids");
	for (i = 0; i < r->ntasks; i++)
		cJSON_AddItemToArray(ids, emu_json_int64(r->task_run_ids[i]));
	cJSON_AddItemToObject(obj, "extra",
			      r->extra ? cJSON_Duplicate(r->extra, true)
				       : cJSON_CreateObject());
	return obj;
}

static int load_int(const cJSON *obj, const char *name, int64_t *out)
{
	return emu_json_member_int(out, obj, name);
}

static bool id_ok(const struct jobs_state *st, int64_t id)
{
	return id > 0 && !jobs_index_get(st, id);
}

int jobs_run_load(struct jobs_state *st, const cJSON *json, char *err,
		  size_t errlen)
{
	const char *outcome = emu_json_str(json, "outcome");
	const char *name = emu_json_str(json, "run_name");
	const char *creator = emu_json_str(json, "creator_user_name");
	const char *token = emu_json_str(json, "idempotency_token");
	const cJSON *tasks = emu_json_member(json, "tasks");
	const cJSON *ids = emu_json_member(json, "task_run_ids");
	const cJSON *extra = emu_json_member(json, "extra"), *item;
	struct jobs_run *r = emu_xcalloc(1, sizeof(*r));
	size_t i;

	r->submit = cJSON_IsTrue(emu_json_member(json, "submit"));
	r->single_task = cJSON_IsTrue(emu_json_member(json, "single_task"));
	r->deleted = cJSON_IsTrue(emu_json_member(json, "deleted"));
	r->outcome = -1;
	for (i = 0; outcome && i < EMU_ARRAY_SIZE(outcome_names); i++)
		if (strcmp(outcome, outcome_names[i]) == 0)
			r->outcome = (int)i;
	if (load_int(json, "run_id", &r->run_id) < 0 || !id_ok(st, r->run_id) ||
	    r->outcome < 0 || !name || !creator ||
	    load_int(json, "created", &r->created) < 0 ||
	    load_int(json, "begin", &r->begin) < 0 ||
	    load_int(json, "end", &r->end) < 0 ||
	    load_int(json, "duration", &r->duration) < 0 ||
	    load_int(json, "max_concurrent", &r->max_concurrent) < 0 ||
	    r->duration < 0 || !cJSON_IsArray(tasks) || !cJSON_IsArray(ids) ||
	    !cJSON_IsObject(extra) ||
	    emu_json_array_len(tasks) != emu_json_array_len(ids) ||
	    emu_json_array_len(tasks) > JOBS_MAX_TASKS ||
	    st->nruns >= JOBS_MAX_RUNS) {
		snprintf(err, errlen, "bad or duplicate run");
		goto fail;
	}
	if (!r->submit && (load_int(json, "job_id", &r->job_id) < 0 ||
			   !jobs_find_job(st, r->job_id))) {
		snprintf(err, errlen, "run %" PRId64 " belongs to no saved job",
			 r->run_id);
		goto fail;
	}
	r->run_name = emu_xstrdup(name);
	r->creator = emu_xstrdup(creator);
	r->token = token ? emu_xstrdup(token) : NULL;
	r->tasks = cJSON_Duplicate(tasks, true);
	r->extra = cJSON_Duplicate(extra, true);
	r->ntasks = emu_json_array_len(tasks);
	r->task_run_ids = emu_xcalloc(r->ntasks, sizeof(*r->task_run_ids));
	i = 0;
	cJSON_ArrayForEach(item, ids)
	{
		int64_t id;
		size_t k;

		if (emu_json_int(&id, item) < 0 || !id_ok(st, id) ||
		    id == r->run_id) {
			snprintf(err, errlen,
				 "run %" PRId64 ": bad task run id", r->run_id);
			goto fail;
		}
		for (k = 0; k < i; k++)
			if (r->task_run_ids[k] == id) {
				snprintf(err, errlen,
					 "run %" PRId64 ": duplicate task "
					 "run id",
					 r->run_id);
				goto fail;
			}
		r->task_run_ids[i++] = id;
	}
	if (jobs_json_exactify(r->tasks, "", NULL) < 0 ||
	    jobs_json_exactify(r->extra, "", NULL) < 0 ||
	    st->run_bytes + run_bytes(r) > JOBS_MAX_RUN_BYTES) {
		snprintf(err, errlen, "run %" PRId64 ": bad or too large",
			 r->run_id);
		goto fail;
	}
	append_run(st, r);
	return 0;

fail:
	jobs_run_free(r);
	return -1;
}
