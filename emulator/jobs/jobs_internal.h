/*
 * Internals of the emulated Jobs API, shared by its three files and used
 * nowhere else:
 *
 *   jobs.c           jobs (create, get, list, reset, update, delete), the id
 *                    index, paging tokens, --state, the route table
 *   jobs_settings.c  JobSettings: type checks, validation, server-filled
 *                    defaults, the jobs/update merge, the paged views
 *   jobs_runs.c      runs: run-now, runs/submit, runs/get, runs/list,
 *                    cancel, cancel-all, get-output, delete, the run clock
 *
 * All of it runs with the workspace lock held (module.h).
 *
 * JSON integers: every integral number a client sends inside settings is
 * stored as an exact cJSON raw node (jobs_json_exactify), so a 16-digit
 * run_job_task.job_id comes back digit for digit; emu_json_int() (json.h) reads
 * both raw and plain number nodes. Nothing here reads valueint.
 */
#ifndef EMU_JOBS_INTERNAL_H
#define EMU_JOBS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct emu_request;
struct emu_response;
struct emu_workspace;

/* Documented platform limits (databricks-rest-api.md §1.4, §3.3). */
#define JOBS_MAX_TASKS	    1000
#define JOBS_MAX_JOBS	    12000
#define JOBS_PAGE_SIZE	    100 /* array elements per 2.2 get page */
#define JOBS_MAX_CONCURRENT 1000
/* Emulator-only caps, so a long-running emulator keeps bounded memory:
 * terminal runs beyond these are forgotten oldest first (the real service
 * purges runs after 60 days). */
#define JOBS_MAX_RUNS	   10000
#define JOBS_MAX_JOB_BYTES ((size_t)256 * 1024 * 1024)
#define JOBS_MAX_RUN_BYTES ((size_t)256 * 1024 * 1024)

struct jobs_job {
	int64_t job_id;
	uint64_t seq; /* creation order, for list paging */
	int64_t created_time;
	char *creator;	 /* creator_user_name */
	char *run_as;	 /* run_as_user_name */
	bool run_as_set; /* run_as was given: it no longer follows the owner */
	cJSON *settings; /* normalised JobSettings (tasks sorted) */
	size_t bytes;	 /* jobs_json_bytes(settings) */
};

enum jobs_outcome {
	JOBS_OUTCOME_SUCCESS = 0, /* runs to completion */
	JOBS_OUTCOME_CANCELED,	  /* runs/cancel */
	JOBS_OUTCOME_SKIPPED,	  /* max_concurrent_runs reached, no queue */
	JOBS_OUTCOME_QUEUE_FULL,  /* skipped: the job's queue is full */
};

/* Most runs one job may have waiting in its queue. */
#define JOBS_MAX_QUEUED 1000

struct jobs_run {
	int64_t run_id;
	int64_t job_id;	  /* 0 for a one-time run (runs/submit) */
	uint64_t seq;	  /* creation order */
	bool submit;	  /* run_type SUBMIT_RUN rather than JOB_RUN */
	bool single_task; /* a legacy format SINGLE_TASK job's run */
	bool deleted;	  /* runs/delete: kept only for idempotency */
	int outcome;	  /* enum jobs_outcome */
	char *run_name;
	char *creator;
	char *token;		/* idempotency_token, or NULL */
	int64_t created;	/* start_time */
	int64_t begin;		/* left the queue (PENDING); -1 while QUEUED */
	int64_t end;		/* TERMINATED/SKIPPED at; -1 while QUEUED */
	int64_t duration;	/* --run-duration-ms when the run was created */
	int64_t max_concurrent; /* the job's limit when it was created */
	cJSON *tasks;	       /* array: task definitions, sorted by task_key */
	int64_t *task_run_ids; /* one per element of tasks */
	size_t ntasks;
	cJSON *extra; /* object: other Run fields (job_parameters, ...) */
	size_t bytes;
};

struct jobs_id_slot {
	int64_t id;    /* 0 = empty */
	void *ptr;     /* struct jobs_job or struct jobs_run */
	uint32_t task; /* task index for JOBS_ID_TASK_RUN */
	uint8_t kind;  /* enum jobs_id_kind */
};

enum jobs_id_kind {
	JOBS_ID_JOB = 1,
	JOBS_ID_RUN,
	JOBS_ID_TASK_RUN,
};

struct jobs_state {
	struct jobs_job **jobs; /* creation order */
	size_t njobs;
	struct jobs_run **runs; /* creation order */
	size_t nruns;
	struct jobs_id_slot *index; /* open addressing over every id */
	size_t index_cap, index_used;
	uint64_t next_seq;
	uint64_t rng;
	size_t job_bytes, run_bytes;
};

/* --- jobs.c: ids, lookups, shared helpers ----------------------------------
 */

/** A new random id (13-16 digits, below 2^53) used by no job or run. */
int64_t jobs_new_id(struct jobs_state *st);
/** Records id -> ptr (kind, task) in the index. */
void jobs_index_put(struct jobs_state *st, int64_t id, int kind, void *ptr,
		    uint32_t task);
/** Forgets id. */
void jobs_index_remove(struct jobs_state *st, int64_t id);
/** The index entry of id, or NULL. */
const struct jobs_id_slot *jobs_index_get(const struct jobs_state *st,
					  int64_t id);
/** The job with this id, or NULL. */
struct jobs_job *jobs_find_job(const struct jobs_state *st, int64_t id);
/** Next value of the creation-order counter. */
uint64_t jobs_next_seq(struct jobs_state *st);

/** The API minor version of the request's path: 0, 1 or 2 (2.x). */
int jobs_api_minor(const struct emu_request *req);
/** 400 INVALID_PARAMETER_VALUE "Job <id> does not exist." */
int jobs_error_no_job(struct emu_response *resp, int64_t job_id);
/** 400 INVALID_PARAMETER_VALUE "Run <id> does not exist." */
int jobs_error_no_run(struct emu_response *resp, int64_t run_id);
/** The 2.0/2.1 refusal of resources with more than 100 tasks. */
int jobs_error_too_many_for_version(struct emu_response *resp, size_t n);

/**
 * Page tokens: opaque text for (kind, a, b), and back. Returns 0, or -1
 * when text is not a token of that kind.
 */
char *jobs_token_make(char kind, int64_t a, uint64_t b);
int jobs_token_parse(const char *text, char kind, int64_t *a, uint64_t *b);

/**
 * Reads limit (absent: 20; 0: max_limit), offset and page_token (of kind)
 * as jobs/list and runs/list take them. *start is the sequence number the
 * page starts at when a token was given, else 0 (and offset applies).
 * Returns 0 or -1 (error in resp).
 */
int jobs_list_args(struct emu_request *req, struct emu_response *resp,
		   int64_t max_limit, char kind, int64_t *limit,
		   int64_t *offset, uint64_t *start);

/** "http://host" the client used (Host header) or the listening URL. */
char *jobs_base_url(const struct emu_request *req);
/* "<base url>/?o=<workspace id>": what the UI's page URLs start with. */
char *jobs_page_base(const struct emu_request *req);

/* --- JSON helpers (jobs_settings.c) ----------------------------------------
 */

/** Approximate heap bytes held by item (for the memory caps). */
size_t jobs_json_bytes(const cJSON *item);

/**
 * Rewrites every integral number under item as an exact raw integer.
 * Returns 0, or -1 after writing 400 INVALID_PARAMETER_VALUE into resp
 * (when resp is not NULL) for an integer of magnitude 2^53 or more; what
 * names the field in the message.
 */
int jobs_json_exactify(cJSON *item, const char *what,
		       struct emu_response *resp);

/* --- JobSettings (jobs_settings.c) -----------------------------------------
 */

struct jobs_norm {
	int minor;	    /* API minor version of the request */
	bool default_queue; /* add queue {enabled: true} when absent (2.2) */
	bool submit;	    /* runs/submit: no job-level defaults */
	/* The workspace whose --cloud decides which *_attributes blocks
	 * job clusters may carry (emu_clusters_check_cloud); NULL: any. */
	struct emu_workspace *ws;
};

/**
 * Validates settings (a detached object the caller owns) and fills the
 * server defaults in place: drops the output-only "format" and sets it,
 * sorts tasks by task_key and each depends_on, adds run_if,
 * timeout_seconds, email_notifications, notebook_task.source, job-level
 * name ("Untitled"), max_concurrent_runs, timeout_seconds, email and
 * webhook notifications and (default_queue) queue. Returns 0, or -1 after
 * writing the Databricks error into resp; settings may then be half-normalised.
 */
int jobs_settings_normalize(cJSON *settings, const struct jobs_norm *n,
			    struct emu_response *resp);

/**
 * Reads and validates run_as ({user_name | service_principal_name |
 * group_name}) from settings, detaching it (it is write-only). *out is the
 * new run_as_user_name, or NULL when run_as was absent. Returns 0 or -1
 * (error in resp).
 */
int jobs_settings_take_run_as(cJSON *settings, char **out,
			      struct emu_response *resp);

/**
 * jobs/update: applies fields_to_remove (may be NULL) and then new_settings
 * (may be NULL; top-level fields replace, keyed arrays merge by key) to
 * merged, a copy of the current settings. Returns 0 or -1 (error in resp).
 */
int jobs_settings_merge(cJSON *merged, const cJSON *new_settings,
			const cJSON *fields_to_remove,
			struct emu_response *resp);

/**
 * A copy of settings for a response. With paged, only page `page` of the
 * 100-element windows of tasks, job_clusters, parameters and environments
 * is included (arrays exhausted before this page are left out) and *more
 * says whether a later page has elements. Without include_tasks, tasks
 * and job_clusters are left out (jobs/list without expand_tasks).
 */
cJSON *jobs_settings_view(const cJSON *settings, bool paged, size_t page,
			  bool include_tasks, bool *more);

/**
 * Appends a copy of elements [from, from + n) of array src to a new array
 * member name of dst (nothing when src is NULL).
 */
void jobs_add_slice(cJSON *dst, const char *name, const cJSON *src, size_t from,
		    size_t n);

/* --- runs (jobs_runs.c) ----------------------------------------------------
 */

/** Starts queued runs whose turn has come by now (see jobs_runs.c). */
void jobs_runs_tick(struct jobs_state *st, int64_t now);
/** Removes every run of job_id (jobs/delete). */
void jobs_runs_drop_job(struct jobs_state *st, int64_t job_id);
/** Frees a run (not its index entries). */
void jobs_run_free(struct jobs_run *run);
/** --state: one run as JSON, and back (0, or -1 with err). */
cJSON *jobs_run_save(const struct jobs_run *run);
int jobs_run_load(struct jobs_state *st, const cJSON *json, char *err,
		  size_t errlen);

void jobs_run_now(struct emu_request *req, struct emu_response *resp);
void jobs_runs_submit(struct emu_request *req, struct emu_response *resp);
void jobs_runs_get(struct emu_request *req, struct emu_response *resp);
void jobs_runs_list(struct emu_request *req, struct emu_response *resp);
void jobs_runs_cancel(struct emu_request *req, struct emu_response *resp);
void jobs_runs_cancel_all(struct emu_request *req, struct emu_response *resp);
void jobs_runs_get_output(struct emu_request *req, struct emu_response *resp);
void jobs_runs_delete(struct emu_request *req, struct emu_response *resp);

#endif
