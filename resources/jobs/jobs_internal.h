/*
 * The pure functions of job.c, exposed for tests/unit/test_job.c only,
 * and the family's not-found rules, which databricks.c gives the client.
 *
 * The double underscore marks them semi-private (libgit2's convention):
 * nothing but job.c and its unit test may call them. They do no I/O.
 */
#ifndef TFP_JOB_INTERNAL_H
#define TFP_JOB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "rest.h"
#include "schema.h"

struct cJSON;
struct tfp_arena;
struct tfp_diags;

/** The databricks_job descriptor (its tables are what the tests walk). */
extern const struct tfp_resource tfp_resource_job;

/**
 * The Jobs API's "no such job or run" answers beyond the REST client's
 * generic rules: the 400 INVALID_PARAMETER_VALUE "... does not exist" of
 * jobs/get, jobs/runs/get(-output) and jobs/delete. Ends with .path NULL.
 */
extern const struct tfp_rest_not_found tfp_jobs_not_found[];

/**
 * Parses a job ID (the state's "id", an import ID) into *out: decimal
 * digits only, below 2^53. Returns TFP_OK, or TFP_ERROR with a diagnostic
 * in d naming the ID (and *out set to 0).
 */
int tfp_jobs__parse_id(int64_t *out, struct tfp_diags *d, const char *id);

/**
 * Moves the paged arrays of a later jobs/get page (settings.tasks,
 * settings.job_clusters, settings.parameters, settings.environments) to
 * the end of the same arrays in acc, the first page, creating them there
 * when the first page had none. page loses those elements; both trees
 * keep their owners. Other fields of page are ignored.
 */
void tfp_jobs__merge_page(struct cJSON *acc, struct cJSON *page);

/** True when s is a UUID (8-4-4-4-12 hexadecimal digits). */
bool tfp_jobs__is_uuid(const char *s);

/**
 * The workspace never returns run_as: jobs/get has run_as_user_name at the
 * top level instead. When prior had a run_as block and settings has no
 * run_as, this adds one to settings built from job's run_as_user_name: a
 * UUID is a service principal's application ID, anything else a user
 * (prior's group_name, which the reply cannot show, is kept as it is).
 */
void tfp_jobs__run_as_from_reply(struct cJSON *settings, const struct cJSON *job,
				const struct tfp_value *prior);

/**
 * The configuration checks that span attributes, with attribute paths:
 * schedule, continuous and trigger exclude each other; at most 1000 tasks;
 * each task (and a for_each_task's task) has exactly one task type and at
 * most one of existing_cluster_id, job_cluster_key, new_cluster and
 * environment_key; depends_on names another task of the job; a task's
 * job_cluster_key names a job_cluster; control_run_state needs continuous.
 * Unknown values are skipped. Strings of diagnostics go into a. Returns
 * TFP_OK or TFP_ERROR after adding every problem to d.
 */
int tfp_jobs__validate_config(struct tfp_diags *d, struct tfp_arena *a,
			     const struct tfp_value *config);

/**
 * Which job a jobs/create whose answer was lost made, from the "jobs" array
 * of jobs/list replies: the jobs whose settings.name is exactly name, whose
 * creator_user_name is creator (without regard to case) and whose
 * created_time (ms since the epoch) is at least since_ms. Returns how many
 * there are; *out is the first one's ID (0: none) and *ids lists every
 * one's ID, ", "-separated, in a ("" when none).
 */
int tfp_jobs__pick_created(int64_t *out, const char **ids, struct tfp_arena *a,
			  const struct cJSON *jobs, const char *name,
			  const char *creator, int64_t since_ms);

#endif
