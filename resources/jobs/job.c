/*
 * databricks_job: a Databricks job (workflow) of keyed tasks.
 *
 * REST: POST /api/2.2/jobs/create, GET /api/2.2/jobs/get?job_id=
 * (&page_token=), POST /api/2.2/jobs/reset, POST /api/2.2/jobs/delete,
 * POST /api/2.2/jobs/run-now (control_run_state only).
 *
 * The schema is the official provider's (attribute names, nesting), with
 * one deliberate difference: task, job_cluster, parameter, environment and
 * a task's depends_on are set blocks with a key (.key), not lists. Terraform
 * matches set elements by value, so reordering tasks in the configuration
 * or in the workspace is not a change, and an edit to one task never shows
 * as edits to its neighbours (the official provider's positional list
 * drifts unless tasks are sorted by task_key: #3126, #4159, #4011). Nothing
 * here sorts anything.
 *
 * The request bodies and the state come from the tables through jsonmap.c;
 * what is left here is what the tables cannot say.
 *
 * Quirks that explain the code:
 *  - Update is jobs/reset with the full settings (jobs/update merges, so a
 *    task removed from the configuration would survive it).
 *  - Jobs 2.2 get returns at most 100 elements of tasks, job_clusters,
 *    parameters and environments per page, with next_page_token; read
 *    follows the tokens and concatenates (tfp_jobs__merge_page).
 *  - jobs/get of a missing job is 400 INVALID_PARAMETER_VALUE "Job N does
 *    not exist." (and jobs/delete answers the same); tfp_jobs_not_found
 *    tells the REST client that this means TFP_ENOTFOUND.
 *  - The workspace fills defaults: run_if ALL_SUCCESS, notebook source
 *    WORKSPACE (GIT with git_source), format, max_concurrent_runs,
 *    timeout_seconds, queue {enabled: true} in 2.2, {} for the
 *    notifications. Those attributes are optional and computed, queue has
 *    a server_default, and jsonmap reads {} as absent.
 *  - run_as is write-only: the reply has run_as_user_name at the top level
 *    instead, from which read rebuilds the block when the state has one
 *    (tfp_jobs__run_as_from_reply), as the official provider does.
 *  - Job IDs are integers below 2^53 in JSON and strings in the state.
 *  - Create safety: jobs/create is not safe to repeat and has no
 *    idempotency token. When its answer is lost (TFP_EUNCERTAIN), create
 *    lists the jobs of that exact name (jobs/list?name=) and adopts the one
 *    created by the caller (scim/v2/Me userName) no earlier than
 *    JOB_CREATE_SKEW_MS before the first try began
 *    (tfp_jobs__pick_created); none means nothing was made and the create
 *    is sent again (JOB_CREATE_TRIES in all); more than one is an error
 *    listing their IDs rather than a guess. A job without a name is not
 *    looked for (nothing tells it apart) and its uncertain error stands.
 *  - A legacy single-task job has one task's fields at the top level of
 *    the settings (notebook_task, new_cluster, libraries, max_retries,
 *    ...) and no tasks; the workspace gives it format SINGLE_TASK. The
 *    official provider still writes such jobs, so the top level takes
 *    them (JOB_RUN_ATTRS, JOB_COMPUTE_BLOCKS, JOB_LEGACY_TYPE_BLOCKS are
 *    shared with the task tables) and they go through the same 2.2
 *    endpoints, which accept and return the flat format.
 *  - provider_config (the job's, a library's, a job cluster's) belongs to
 *    the official provider's unified configurations: never sent, kept
 *    from the prior state (TFP_NO_JSON | TFP_KEEP_PRIOR). Job clusters
 *    also take the official provider's standing-cluster fields (library,
 *    cluster_id, idempotency_token, ...), sent and kept when not echoed.
 *  - always_running (deprecated): run-now after create, and after an
 *    update runs/cancel-all then run-now (job_keep_running).
 * Import ID: the job ID.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "arena.h"
#include "compute/cluster_spec.h"
#include "diag.h"
#include "jobs_internal.h"
#include "jsonmap.h"
#include "log.h"
#include "path.h"
#include "rest.h"
#include "schema.h"

#define JOB_MAX_TASKS	  1000
#define JOB_MAX_PAGES	  1000
#define JOB_ID_MAX_DIGITS 16
#define JOB_CREATE_TRIES  3
/* How much earlier than this machine's clock at the first try the
 * workspace's created_time of a job made by a lost create may be. */
#define JOB_CREATE_SKEW_MS 60000

/* The tables are aligned by hand, a few fields a line, like every table. */
/* clang-format off */

/* --- validators ----------------------------------------------------------- */

static int job_check_enum(struct tfp_diags *d, const struct tfp_path *path,
			  const struct tfp_value *v, const char *what,
			  const char *const *allowed, const char *list)
{
	size_t i;

	for (i = 0; allowed[i] != NULL; i++)
		if (strcmp(v->u.str, allowed[i]) == 0)
			return TFP_OK;
	return tfp_diag_attr_error(d, path,
				   tfp_arena_printf(d->arena, "Invalid %s",
						    what),
				   "%s must be one of %s, not \"%s\".", what,
				   list, v->u.str);
}

static int job_validate_pause(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	static const char *const allowed[] = { "PAUSED", "UNPAUSED", NULL };

	return job_check_enum(d, path, v, "pause_status", allowed,
			      "PAUSED and UNPAUSED");
}

static int job_validate_run_if(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	static const char *const allowed[] = {
		"ALL_SUCCESS", "AT_LEAST_ONE_SUCCESS", "NONE_FAILED",
		"ALL_DONE",    "AT_LEAST_ONE_FAILED",  "ALL_FAILED",
		NULL
	};

	return job_check_enum(d, path, v, "run_if", allowed,
			      "ALL_SUCCESS, AT_LEAST_ONE_SUCCESS, NONE_FAILED, "
			      "ALL_DONE, AT_LEAST_ONE_FAILED and ALL_FAILED");
}

static int job_validate_source(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	static const char *const allowed[] = { "WORKSPACE", "GIT", NULL };

	return job_check_enum(d, path, v, "source", allowed,
			      "WORKSPACE and GIT");
}

static int job_validate_condition_op(struct tfp_diags *d,
				     const struct tfp_path *path,
				     const struct tfp_value *v)
{
	static const char *const allowed[] = {
		"EQUAL_TO",  "NOT_EQUAL",          "GREATER_THAN",
		"LESS_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL",
		NULL
	};

	return job_check_enum(d, path, v, "op", allowed,
			      "EQUAL_TO, NOT_EQUAL, GREATER_THAN, LESS_THAN, "
			      "GREATER_THAN_OR_EQUAL and LESS_THAN_OR_EQUAL");
}

/* --- schema: notifications, health ---------------------------------------- */

static const struct tfp_attr job_email_attrs[] = {
	{ .name = "on_start", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Addresses notified when a run starts." },
	{ .name = "on_success", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Addresses notified when a run succeeds." },
	{ .name = "on_failure", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Addresses notified when a run fails." },
	{ .name = "on_duration_warning_threshold_exceeded",
	  .type = &tfp_type_list_string, .flags = TFP_OPTIONAL,
	  .desc = "Addresses notified when a run exceeds the "
		  "RUN_DURATION_SECONDS health rule." },
	{ .name = "on_streaming_backlog_exceeded",
	  .type = &tfp_type_list_string, .flags = TFP_OPTIONAL,
	  .desc = "Addresses notified when a streaming backlog health rule "
		  "is exceeded." },
	{ .name = "no_alert_for_skipped_runs", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Send nothing for skipped runs." },
	TFP_ATTR_END
};

static const struct tfp_attr job_webhook_id_attrs[] = {
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The ID of a notification destination." },
	TFP_ATTR_END
};

static const struct tfp_block job_webhook_blocks[] = {
	{ .name = "on_start", .nesting = TFP_NEST_SET,
	  .attrs = job_webhook_id_attrs,
	  .desc = "Destinations notified when a run starts." },
	{ .name = "on_success", .nesting = TFP_NEST_SET,
	  .attrs = job_webhook_id_attrs,
	  .desc = "Destinations notified when a run succeeds." },
	{ .name = "on_failure", .nesting = TFP_NEST_SET,
	  .attrs = job_webhook_id_attrs,
	  .desc = "Destinations notified when a run fails." },
	{ .name = "on_duration_warning_threshold_exceeded",
	  .nesting = TFP_NEST_SET, .attrs = job_webhook_id_attrs,
	  .desc = "Destinations notified when a run exceeds the "
		  "RUN_DURATION_SECONDS health rule." },
	{ .name = "on_streaming_backlog_exceeded", .nesting = TFP_NEST_SET,
	  .attrs = job_webhook_id_attrs,
	  .desc = "Destinations notified when a streaming backlog health "
		  "rule is exceeded." },
	TFP_BLOCK_END
};

static const struct tfp_attr job_notification_attrs[] = {
	{ .name = "no_alert_for_skipped_runs", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Send nothing for skipped runs." },
	{ .name = "no_alert_for_canceled_runs", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Send nothing for canceled runs." },
	TFP_ATTR_END
};

static const struct tfp_attr task_notification_attrs[] = {
	{ .name = "no_alert_for_skipped_runs", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Send nothing for skipped runs." },
	{ .name = "no_alert_for_canceled_runs", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Send nothing for canceled runs." },
	{ .name = "alert_on_last_attempt", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Notify about failures only after the last retry." },
	TFP_ATTR_END
};

static const struct tfp_attr job_health_rule_attrs[] = {
	{ .name = "metric", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The metric, e.g. RUN_DURATION_SECONDS or "
		  "STREAMING_BACKLOG_BYTES." },
	{ .name = "op", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The comparison, e.g. GREATER_THAN." },
	{ .name = "value", .type = &tfp_type_number, .flags = TFP_REQUIRED,
	  .desc = "The threshold." },
	TFP_ATTR_END
};

static const struct tfp_block job_health_blocks[] = {
	{ .name = "rules", .nesting = TFP_NEST_SET, .min_items = 1,
	  .attrs = job_health_rule_attrs,
	  .desc = "Health rules: a metric, a comparison and a threshold." },
	TFP_BLOCK_END
};

/* --- schema: task types --------------------------------------------------- */

static const struct tfp_attr task_notebook_attrs[] = {
	{ .name = "notebook_path", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The notebook's workspace path, or its path in the Git "
		  "repository with source GIT." },
	{ .name = "source", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .validate = job_validate_source,
	  .desc = "WORKSPACE or GIT; the workspace picks GIT when the job "
		  "has git_source." },
	{ .name = "base_parameters", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Notebook widget values." },
	{ .name = "warehouse_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Run the notebook on this SQL warehouse." },
	TFP_ATTR_END
};

static const struct tfp_attr task_spark_python_attrs[] = {
	{ .name = "python_file", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Python file: a workspace, volume, DBFS or cloud "
		  "path, or a path in the Git repository." },
	{ .name = "source", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .validate = job_validate_source, .desc = "WORKSPACE or GIT." },
	{ .name = "parameters", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Command-line arguments." },
	TFP_ATTR_END
};

static const struct tfp_attr task_python_wheel_attrs[] = {
	{ .name = "package_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The wheel's package name." },
	{ .name = "entry_point", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The entry point to call (from the package metadata)." },
	{ .name = "parameters", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Command-line arguments." },
	{ .name = "named_parameters", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Named arguments, passed as --key=value." },
	TFP_ATTR_END
};

static const struct tfp_attr task_spark_jar_attrs[] = {
	{ .name = "main_class_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The class with the main method; the jar must be a task "
		  "library." },
	{ .name = "jar_uri", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Deprecated by Databricks: use a library instead." },
	{ .name = "run_as_repl", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Run the main class in the REPL (deprecated by "
		  "Databricks)." },
	{ .name = "parameters", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Arguments of the main method." },
	TFP_ATTR_END
};

static const struct tfp_attr task_spark_submit_attrs[] = {
	{ .name = "parameters", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The spark-submit command line." },
	TFP_ATTR_END
};

static const struct tfp_attr task_sql_query_attrs[] = {
	{ .name = "query_id", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The ID of the SQL query." },
	TFP_ATTR_END
};

static const struct tfp_attr task_sql_file_attrs[] = {
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The path of the .sql file." },
	{ .name = "source", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .validate = job_validate_source, .desc = "WORKSPACE or GIT." },
	TFP_ATTR_END
};

static const struct tfp_attr task_sql_subscription_attrs[] = {
	{ .name = "user_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "A user to notify." },
	{ .name = "destination_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A notification destination to notify." },
	TFP_ATTR_END
};

static const struct tfp_block task_sql_subscription_blocks[] = {
	{ .name = "subscriptions", .nesting = TFP_NEST_SET,
	  .attrs = task_sql_subscription_attrs,
	  .desc = "Who is notified: user_name or destination_id." },
	TFP_BLOCK_END
};

static const struct tfp_attr task_sql_alert_attrs[] = {
	{ .name = "alert_id", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The ID of the SQL alert." },
	{ .name = "pause_subscriptions", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL, .desc = "Notify nobody." },
	TFP_ATTR_END
};

static const struct tfp_attr task_sql_dashboard_attrs[] = {
	{ .name = "dashboard_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The ID of the SQL dashboard." },
	{ .name = "custom_subject", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The subject of the notification e-mail." },
	{ .name = "pause_subscriptions", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL, .desc = "Notify nobody." },
	TFP_ATTR_END
};

static const struct tfp_block task_sql_blocks[] = {
	{ .name = "query", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_sql_query_attrs, .desc = "Run a saved SQL query." },
	{ .name = "file", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_sql_file_attrs, .desc = "Run a .sql file." },
	{ .name = "alert", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_sql_alert_attrs,
	  .blocks = task_sql_subscription_blocks,
	  .desc = "Evaluate a SQL alert." },
	{ .name = "dashboard", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_sql_dashboard_attrs,
	  .blocks = task_sql_subscription_blocks,
	  .desc = "Refresh a SQL dashboard." },
	TFP_BLOCK_END
};

static const struct tfp_attr task_sql_attrs[] = {
	{ .name = "warehouse_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The SQL warehouse to run on." },
	{ .name = "parameters", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL, .desc = "Query parameters." },
	TFP_ATTR_END
};

static const struct tfp_attr task_run_job_attrs[] = {
	{ .name = "job_id", .type = &tfp_type_number, .flags = TFP_REQUIRED,
	  .desc = "The ID of the job to run." },
	{ .name = "job_parameters", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Parameters for the job's parameter blocks." },
	/* The task-parameter forms of the same, for jobs without parameter
	 * blocks (as run-now takes them). */
	{ .name = "notebook_params", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Widget values for the job's notebook tasks." },
	{ .name = "python_named_params", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Named arguments for the job's Python wheel tasks." },
	{ .name = "sql_params", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Parameters for the job's SQL tasks." },
	{ .name = "jar_params", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Arguments for the job's jar tasks." },
	{ .name = "python_params", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Arguments for the job's Python tasks." },
	{ .name = "spark_submit_params", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Arguments for the job's spark-submit tasks." },
	{ .name = "dbt_commands", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Commands for the job's dbt tasks." },
	TFP_ATTR_END
};

static const struct tfp_attr task_run_job_pipeline_attrs[] = {
	{ .name = "full_refresh", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Recompute all tables of the job's pipeline tasks." },
	TFP_ATTR_END
};

static const struct tfp_block task_run_job_blocks[] = {
	{ .name = "pipeline_params", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_run_job_pipeline_attrs,
	  .desc = "Parameters for the job's pipeline tasks." },
	TFP_BLOCK_END
};

static const struct tfp_attr task_pipeline_attrs[] = {
	{ .name = "pipeline_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The ID of the Delta Live Tables pipeline." },
	{ .name = "full_refresh", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL, .desc = "Recompute all tables." },
	TFP_ATTR_END
};

static const struct tfp_attr task_dbt_attrs[] = {
	{ .name = "commands", .type = &tfp_type_list_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The dbt commands to run, in order, e.g. [\"dbt deps\", "
		  "\"dbt run\"]." },
	{ .name = "project_directory", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The directory of dbt_project.yml." },
	{ .name = "profiles_directory", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The directory of profiles.yml." },
	{ .name = "schema", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "default",
	  .desc = "The schema dbt writes to; \"default\" by default." },
	{ .name = "catalog", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The catalog dbt writes to." },
	{ .name = "warehouse_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The SQL warehouse dbt runs on." },
	{ .name = "source", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .validate = job_validate_source, .desc = "WORKSPACE or GIT." },
	TFP_ATTR_END
};

static const struct tfp_attr task_condition_attrs[] = {
	{ .name = "left", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The left operand (text, or a {{...}} reference)." },
	{ .name = "op", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = job_validate_condition_op,
	  .desc = "EQUAL_TO, NOT_EQUAL, GREATER_THAN, LESS_THAN, "
		  "GREATER_THAN_OR_EQUAL or LESS_THAN_OR_EQUAL." },
	{ .name = "right", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The right operand." },
	TFP_ATTR_END
};

static const struct tfp_attr task_for_each_attrs[] = {
	{ .name = "inputs", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "A JSON array (or a reference to one) to iterate over." },
	{ .name = "concurrency", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "How many iterations may run at once." },
	TFP_ATTR_END
};

static const struct tfp_attr task_clean_rooms_attrs[] = {
	{ .name = "clean_room_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The clean room." },
	{ .name = "notebook_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The name of the notebook in the clean room." },
	{ .name = "notebook_base_parameters", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL, .desc = "Notebook widget values." },
	{ .name = "etag", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The notebook revision to run; the latest by default." },
	TFP_ATTR_END
};

static const struct tfp_attr task_subscriber_attrs[] = {
	{ .name = "user_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "A user to send the snapshot to." },
	{ .name = "destination_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A notification destination to send the snapshot to." },
	TFP_ATTR_END
};

static const struct tfp_block task_subscription_blocks[] = {
	{ .name = "subscribers", .nesting = TFP_NEST_LIST,
	  .attrs = task_subscriber_attrs,
	  .desc = "Who gets the snapshot: user_name or destination_id." },
	TFP_BLOCK_END
};

static const struct tfp_attr task_subscription_attrs[] = {
	{ .name = "custom_subject", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The subject of the e-mail." },
	{ .name = "paused", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Send nothing." },
	TFP_ATTR_END
};

static const struct tfp_block task_dashboard_blocks[] = {
	{ .name = "subscription", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_subscription_attrs,
	  .blocks = task_subscription_blocks,
	  .desc = "Who gets a snapshot of the refreshed dashboard." },
	TFP_BLOCK_END
};

static const struct tfp_attr task_dashboard_attrs[] = {
	{ .name = "dashboard_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The ID of the AI/BI dashboard." },
	{ .name = "warehouse_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The SQL warehouse to refresh it with; the dashboard's "
		  "own by default." },
	TFP_ATTR_END
};

static const struct tfp_attr task_power_bi_model_attrs[] = {
	{ .name = "workspace_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The Power BI workspace." },
	{ .name = "model_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The semantic model." },
	{ .name = "storage_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The model's storage mode: IMPORT, DIRECT_QUERY or "
		  "DUAL." },
	{ .name = "authentication_method", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "OAUTH or PAT." },
	{ .name = "overwrite_existing", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL, .desc = "Replace a model of that name." },
	TFP_ATTR_END
};

static const struct tfp_attr task_power_bi_table_attrs[] = {
	{ .name = "catalog", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The table's catalog." },
	{ .name = "schema", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The table's schema." },
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The table's name." },
	{ .name = "storage_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The table's storage mode in the model." },
	TFP_ATTR_END
};

static const struct tfp_block task_power_bi_blocks[] = {
	{ .name = "power_bi_model", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_power_bi_model_attrs,
	  .desc = "The Power BI semantic model to publish to." },
	{ .name = "tables", .nesting = TFP_NEST_LIST,
	  .attrs = task_power_bi_table_attrs,
	  .desc = "The Unity Catalog tables the model holds." },
	TFP_BLOCK_END
};

static const struct tfp_attr task_power_bi_attrs[] = {
	{ .name = "connection_resource_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Unity Catalog connection to Power BI." },
	{ .name = "warehouse_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The SQL warehouse Power BI queries through." },
	{ .name = "refresh_after_update", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Refresh the model after publishing it." },
	TFP_ATTR_END
};

static const struct tfp_attr task_dbt_cloud_attrs[] = {
	{ .name = "connection_resource_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Unity Catalog connection to dbt Cloud." },
	{ .name = "dbt_cloud_job_id", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .desc = "The dbt Cloud job to run." },
	TFP_ATTR_END
};

static const struct tfp_attr task_dbt_platform_attrs[] = {
	{ .name = "connection_resource_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Unity Catalog connection to the dbt platform." },
	{ .name = "dbt_platform_job_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The dbt platform job to run (a string: the IDs exceed "
		  "what JSON numbers hold exactly)." },
	TFP_ATTR_END
};

static const struct tfp_attr task_gen_ai_compute_attrs[] = {
	{ .name = "num_gpus", .type = &tfp_type_number, .flags = TFP_REQUIRED,
	  .desc = "How many GPUs." },
	{ .name = "gpu_type", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The GPU type." },
	{ .name = "gpu_node_pool_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The GPU node pool." },
	TFP_ATTR_END
};

static const struct tfp_block task_gen_ai_blocks[] = {
	{ .name = "compute", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_gen_ai_compute_attrs,
	  .desc = "The GPUs the training runs on." },
	TFP_BLOCK_END
};

static const struct tfp_attr task_gen_ai_attrs[] = {
	{ .name = "dl_runtime_image", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The deep learning runtime image." },
	{ .name = "command", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The command to run." },
	{ .name = "training_script_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The training script." },
	{ .name = "yaml_parameters", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "Parameters, as YAML text." },
	{ .name = "yaml_parameters_file_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "A YAML file of parameters." },
	{ .name = "mlflow_experiment_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The MLflow experiment the run logs to." },
	{ .name = "source", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = job_validate_source, .desc = "WORKSPACE or GIT." },
	TFP_ATTR_END
};

/* --- schema: libraries, dependencies, the task ---------------------------- */

static const struct tfp_attr task_depends_attrs[] = {
	{ .name = "task_key", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The task_key of the task this one waits for." },
	{ .name = "outcome", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "For a condition_task dependency: \"true\" or \"false\", "
		  "the outcome this task runs on." },
	TFP_ATTR_END
};

/*
 * What a task and a legacy single-task job (the task's fields at the top
 * level of the settings, format SINGLE_TASK) both have: the cluster to run
 * on and the retries.
 */
#define JOB_RUN_ATTRS                                                          \
	{ .name = "existing_cluster_id", .type = &tfp_type_string,             \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "Run on this all-purpose cluster." },                        \
	{ .name = "max_retries", .type = &tfp_type_number,                     \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "How often a failed run is retried; -1 retries for "         \
		  "ever." },                                                   \
	{ .name = "min_retry_interval_millis", .type = &tfp_type_number,       \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "The least time between a failure and its retry, in "        \
		  "milliseconds." },                                           \
	{ .name = "retry_on_timeout", .type = &tfp_type_bool,                  \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "Retry a run that timed out." }

static const struct tfp_attr job_task_attrs[] = {
	{ .name = "task_key", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The task's name, unique in the job. Tasks are matched by "
		  "it, never by position." },
	{ .name = "description", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "A description of the task." },
	{ .name = "run_if", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "ALL_SUCCESS",
	  .validate = job_validate_run_if,
	  .desc = "When the task runs, given its dependencies' outcomes: "
		  "ALL_SUCCESS (the default), AT_LEAST_ONE_SUCCESS, "
		  "NONE_FAILED, ALL_DONE, AT_LEAST_ONE_FAILED or "
		  "ALL_FAILED." },
	JOB_RUN_ATTRS,
	{ .name = "job_cluster_key", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Run on the job_cluster with this key." },
	{ .name = "environment_key", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Run on serverless compute with the environment of this "
		  "key." },
	{ .name = "timeout_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The task's time limit in seconds; 0 means none." },
	{ .name = "disabled", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Skip the task in runs." },
	{ .name = "disable_auto_optimization", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Turn off the automatic optimizations of serverless "
		  "compute for this task." },
	TFP_ATTR_END
};

/*
 * The blocks every task has. A for_each_task's task has them all but
 * for_each_task itself (the workspace nests one level), so the list is
 * written once here and used by both tables.
 */
/* The compute blocks of a task and of a legacy single-task job. */
#define JOB_COMPUTE_BLOCKS                                                     \
	{ .name = "new_cluster", .nesting = TFP_NEST_LIST, .max_items = 1,     \
	  .attrs = tfp_compute_cluster_spec_attrs,                             \
	  .blocks = tfp_compute_cluster_spec_blocks,                           \
	  .desc = "A cluster created for the runs only." },                    \
	{ .name = "library", .nesting = TFP_NEST_SET, .json = "libraries",     \
	  .attrs = tfp_compute_library_attrs,                                  \
	  .blocks = tfp_compute_policy_library_blocks,                         \
	  .desc = "A library installed on the cluster: exactly one of jar, "   \
		  "whl, egg, requirements, pypi, maven and cran." }

/* The task types a legacy single-task job may also have at the top. */
#define JOB_LEGACY_TYPE_BLOCKS                                                 \
	{ .name = "notebook_task", .nesting = TFP_NEST_LIST, .max_items = 1,   \
	  .attrs = task_notebook_attrs, .desc = "Run a notebook." },           \
	{ .name = "spark_python_task", .nesting = TFP_NEST_LIST,               \
	  .max_items = 1, .attrs = task_spark_python_attrs,                    \
	  .desc = "Run a Python file." },                                      \
	{ .name = "python_wheel_task", .nesting = TFP_NEST_LIST,               \
	  .max_items = 1, .attrs = task_python_wheel_attrs,                    \
	  .desc = "Run an entry point of a Python wheel." },                   \
	{ .name = "spark_jar_task", .nesting = TFP_NEST_LIST, .max_items = 1,  \
	  .attrs = task_spark_jar_attrs,                                       \
	  .desc = "Run the main class of a jar." },                            \
	{ .name = "spark_submit_task", .nesting = TFP_NEST_LIST,               \
	  .max_items = 1, .attrs = task_spark_submit_attrs,                    \
	  .desc = "Run spark-submit." },                                       \
	{ .name = "run_job_task", .nesting = TFP_NEST_LIST, .max_items = 1,    \
	  .attrs = task_run_job_attrs, .blocks = task_run_job_blocks,          \
	  .desc = "Run another job." },                                        \
	{ .name = "pipeline_task", .nesting = TFP_NEST_LIST, .max_items = 1,   \
	  .attrs = task_pipeline_attrs,                                        \
	  .desc = "Update a Delta Live Tables pipeline." },                    \
	{ .name = "dbt_task", .nesting = TFP_NEST_LIST, .max_items = 1,        \
	  .attrs = task_dbt_attrs, .desc = "Run dbt commands." }

/*
 * The blocks every task has. A for_each_task's task has them all but
 * for_each_task itself (the workspace nests one level), so the list is
 * written once here and used by both tables.
 */
#define JOB_TASK_BLOCKS                                                        \
	{ .name = "depends_on", .nesting = TFP_NEST_SET, .key = "task_key",    \
	  .attrs = task_depends_attrs,                                         \
	  .desc = "A task this one waits for. Order does not matter." },       \
	JOB_COMPUTE_BLOCKS,                                                    \
	{ .name = "email_notifications", .nesting = TFP_NEST_LIST,             \
	  .max_items = 1, .attrs = job_email_attrs,                            \
	  .desc = "E-mail notifications about this task's runs." },            \
	{ .name = "webhook_notifications", .nesting = TFP_NEST_LIST,           \
	  .max_items = 1, .blocks = job_webhook_blocks,                        \
	  .desc = "Notification destinations for this task's runs." },         \
	{ .name = "notification_settings", .nesting = TFP_NEST_LIST,           \
	  .max_items = 1, .attrs = task_notification_attrs,                    \
	  .desc = "Which of this task's notifications are sent." },            \
	{ .name = "health", .nesting = TFP_NEST_LIST, .max_items = 1,          \
	  .blocks = job_health_blocks,                                         \
	  .desc = "Health rules of this task's runs." },                       \
	JOB_LEGACY_TYPE_BLOCKS,                                                \
	{ .name = "sql_task", .nesting = TFP_NEST_LIST, .max_items = 1,        \
	  .attrs = task_sql_attrs, .blocks = task_sql_blocks,                  \
	  .desc = "Run a SQL query, file, alert or dashboard; exactly one "    \
		  "of them." },                                                \
	{ .name = "condition_task", .nesting = TFP_NEST_LIST, .max_items = 1,  \
	  .attrs = task_condition_attrs,                                       \
	  .desc = "Compare two values; dependants choose by outcome." },       \
	{ .name = "clean_rooms_notebook_task", .nesting = TFP_NEST_LIST,       \
	  .max_items = 1, .attrs = task_clean_rooms_attrs,                     \
	  .desc = "Run a notebook of a clean room." },                         \
	{ .name = "dashboard_task", .nesting = TFP_NEST_LIST, .max_items = 1,  \
	  .attrs = task_dashboard_attrs, .blocks = task_dashboard_blocks,      \
	  .desc = "Refresh an AI/BI dashboard." },                             \
	{ .name = "dbt_cloud_task", .nesting = TFP_NEST_LIST, .max_items = 1,  \
	  .attrs = task_dbt_cloud_attrs, .desc = "Run a dbt Cloud job." },     \
	{ .name = "dbt_platform_task", .nesting = TFP_NEST_LIST,               \
	  .max_items = 1, .attrs = task_dbt_platform_attrs,                    \
	  .desc = "Run a dbt platform job." },                                 \
	{ .name = "gen_ai_compute_task", .nesting = TFP_NEST_LIST,             \
	  .max_items = 1, .attrs = task_gen_ai_attrs,                          \
	  .blocks = task_gen_ai_blocks,                                        \
	  .desc = "Run deep learning training on GPUs." },                     \
	{ .name = "power_bi_task", .nesting = TFP_NEST_LIST, .max_items = 1,   \
	  .attrs = task_power_bi_attrs, .blocks = task_power_bi_blocks,        \
	  .desc = "Publish tables to a Power BI semantic model." }

static const struct tfp_block job_inner_task_blocks[] = {
	JOB_TASK_BLOCKS,
	TFP_BLOCK_END
};

static const struct tfp_block task_for_each_blocks[] = {
	{ .name = "task", .nesting = TFP_NEST_LIST, .min_items = 1,
	  .max_items = 1, .attrs = job_task_attrs,
	  .blocks = job_inner_task_blocks,
	  .desc = "The task run for each input; it cannot be a "
		  "for_each_task itself." },
	TFP_BLOCK_END
};

static const struct tfp_block job_task_blocks[] = {
	JOB_TASK_BLOCKS,
	{ .name = "for_each_task", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = task_for_each_attrs, .blocks = task_for_each_blocks,
	  .desc = "Run a task once for each element of inputs." },
	TFP_BLOCK_END
};

/* The task type blocks: a task has exactly one. */
static const char *const job_task_types[] = {
	"notebook_task",	     "spark_python_task",
	"python_wheel_task",	     "spark_jar_task",
	"spark_submit_task",	     "sql_task",
	"run_job_task",		     "pipeline_task",
	"dbt_task",		     "condition_task",
	"clean_rooms_notebook_task", "dashboard_task",
	"dbt_cloud_task",	     "dbt_platform_task",
	"gen_ai_compute_task",	     "power_bi_task",
	"for_each_task",	     NULL
};

/* --- schema: job-level blocks --------------------------------------------- */

static const struct tfp_block job_cluster_blocks[] = {
	{ .name = "new_cluster", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = tfp_compute_cluster_spec_attrs, .blocks = tfp_compute_cluster_spec_blocks,
	  .desc = "The cluster's specification." },
	TFP_BLOCK_END
};

static const struct tfp_attr job_cluster_attrs[] = {
	{ .name = "job_cluster_key", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The cluster's name in the job, used by tasks' "
		  "job_cluster_key." },
	TFP_ATTR_END
};

static const struct tfp_attr job_parameter_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The parameter's name: letters, digits, '_', '-' and "
		  "'.'." },
	{ .name = "default", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The value used when a run does not give one." },
	TFP_ATTR_END
};

static const struct tfp_attr job_env_spec_attrs[] = {
	{ .name = "client", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The environment client version (older form of "
		  "environment_version)." },
	{ .name = "environment_version", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The serverless environment version." },
	{ .name = "dependencies", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "pip requirements, one per element." },
	{ .name = "java_dependencies", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Paths of jars (e.g. in volumes) for the environment." },
	TFP_ATTR_END
};

static const struct tfp_block job_env_blocks[] = {
	{ .name = "spec", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_env_spec_attrs,
	  .desc = "The serverless environment." },
	TFP_BLOCK_END
};

static const struct tfp_attr job_env_attrs[] = {
	{ .name = "environment_key", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The environment's name in the job, used by tasks' "
		  "environment_key." },
	TFP_ATTR_END
};

static const struct tfp_attr job_schedule_attrs[] = {
	{ .name = "quartz_cron_expression", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "A Quartz cron expression, e.g. \"0 0 6 * * ?\"." },
	{ .name = "timezone_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "A Java time zone ID, e.g. \"UTC\" or "
		  "\"Europe/Amsterdam\"." },
	{ .name = "pause_status", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "UNPAUSED",
	  .validate = job_validate_pause,
	  .desc = "PAUSED or UNPAUSED (the default). A pause made in the UI "
		  "while the configuration leaves this out is undone by the "
		  "next apply, as with the official provider." },
	TFP_ATTR_END
};

/* The pause state of continuous and trigger. */
#define JOB_PAUSE_STATUS_ATTR                                                  \
	{ .name = "pause_status", .type = &tfp_type_string,                    \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "UNPAUSED",  \
	  .validate = job_validate_pause,                                      \
	  .desc = "PAUSED or UNPAUSED (the default). A pause made in the UI "  \
		  "while the configuration leaves this out is undone by the "  \
		  "next apply, as with the official provider." }

static const struct tfp_attr job_pause_attrs[] = {
	JOB_PAUSE_STATUS_ATTR,
	TFP_ATTR_END
};

static const struct tfp_attr job_continuous_attrs[] = {
	JOB_PAUSE_STATUS_ATTR,
	{ .name = "task_retry_mode", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "NEVER or ON_FAILURE: whether a failed task of the "
		  "continuous run is retried." },
	TFP_ATTR_END
};

static const struct tfp_attr job_file_arrival_attrs[] = {
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The storage location to watch." },
	{ .name = "min_time_between_triggers_seconds",
	  .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .desc = "The least time between two triggered runs." },
	{ .name = "wait_after_last_change_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "How long the files must stay unchanged before a run." },
	TFP_ATTR_END
};

static const struct tfp_attr job_periodic_attrs[] = {
	{ .name = "interval", .type = &tfp_type_number, .flags = TFP_REQUIRED,
	  .desc = "The time between runs, in units." },
	{ .name = "unit", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "HOURS, DAYS or WEEKS." },
	TFP_ATTR_END
};

static const struct tfp_attr job_table_update_attrs[] = {
	{ .name = "table_names", .type = &tfp_type_list_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The tables to watch, as catalog.schema.table." },
	{ .name = "condition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "ANY_UPDATED or ALL_UPDATED." },
	{ .name = "min_time_between_triggers_seconds",
	  .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .desc = "The least time between two triggered runs." },
	{ .name = "wait_after_last_change_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "How long the tables must stay unchanged before a run." },
	TFP_ATTR_END
};

static const struct tfp_attr job_model_trigger_attrs[] = {
	{ .name = "condition", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "MODEL_CREATED, MODEL_VERSION_READY or "
		  "MODEL_ALIAS_SET." },
	{ .name = "securable_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The model to watch, as catalog.schema.model; every model "
		  "of the schema (or catalog) when shorter." },
	{ .name = "aliases", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "With MODEL_ALIAS_SET: the aliases to watch." },
	{ .name = "min_time_between_triggers_seconds",
	  .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .desc = "The least time between two triggered runs." },
	{ .name = "wait_after_last_change_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "How long the model must stay unchanged before a run." },
	TFP_ATTR_END
};

static const struct tfp_block job_trigger_blocks[] = {
	{ .name = "model", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_model_trigger_attrs,
	  .desc = "Run when a Unity Catalog model changes." },
	{ .name = "file_arrival", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_file_arrival_attrs,
	  .desc = "Run when files arrive in a storage location." },
	{ .name = "periodic", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_periodic_attrs, .desc = "Run at a fixed interval." },
	{ .name = "table_update", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_table_update_attrs,
	  .desc = "Run when tables are updated." },
	TFP_BLOCK_END
};

static const struct tfp_attr job_git_job_source_attrs[] = {
	{ .name = "job_config_path", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The path of the job's definition in the repository." },
	{ .name = "import_from_git_branch", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The branch the definition was imported from." },
	{ .name = "dirty_state", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "NOT_SYNCED or DISCONNECTED." },
	TFP_ATTR_END
};

static const struct tfp_attr job_git_snapshot_attrs[] = {
	{ .name = "used_commit", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The commit the run used (set by the workspace in runs)." },
	TFP_ATTR_END
};

static const struct tfp_block job_git_blocks[] = {
	{ .name = "job_source", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_git_job_source_attrs,
	  .desc = "The job's definition is kept in the repository." },
	{ .name = "git_snapshot", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_git_snapshot_attrs,
	  .desc = "The state of the repository a run used." },
	TFP_BLOCK_END
};

static const struct tfp_attr job_git_attrs[] = {
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .json = "git_url", .desc = "The repository's URL." },
	{ .name = "provider", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .json = "git_provider",
	  .desc = "gitHub, gitLab, bitbucketCloud, azureDevOpsServices, "
		  "..." },
	{ .name = "branch", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .json = "git_branch", .desc = "The branch to check out." },
	{ .name = "tag", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .json = "git_tag", .desc = "The tag to check out." },
	{ .name = "commit", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .json = "git_commit", .desc = "The commit to check out." },
	TFP_ATTR_END
};

static const struct tfp_attr job_deployment_attrs[] = {
	{ .name = "kind", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "BUNDLE: the job is deployed by a Databricks Asset "
		  "Bundle." },
	{ .name = "metadata_file_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The bundle's deployment metadata file." },
	TFP_ATTR_END
};

static const struct tfp_attr job_run_as_attrs[] = {
	{ .name = "user_name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Run as this user." },
	{ .name = "service_principal_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Run as the service principal with this application "
		  "ID." },
	{ .name = "group_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "Run as this group." },
	TFP_ATTR_END
};

static const struct tfp_attr job_queue_attrs[] = {
	{ .name = "enabled", .type = &tfp_type_bool, .flags = TFP_REQUIRED,
	  .desc = "Queue runs that cannot start yet instead of skipping "
		  "them." },
	TFP_ATTR_END
};

static const struct tfp_block job_blocks[] = {
	{ .name = "timeouts", .nesting = TFP_NEST_SINGLE, .flags = TFP_NO_JSON,
	  .attrs = tfp_timeouts_attrs,
	  .desc = "Accepted for compatibility with the official provider: "
		  "changing a job does not wait." },
	{ .name = "task", .nesting = TFP_NEST_SET, .key = "task_key",
	  .json = "tasks", .attrs = job_task_attrs, .blocks = job_task_blocks,
	  .desc = "A task of the job (at most 1000). Tasks are identified by "
		  "task_key: their order does not matter." },
	{ .name = "job_cluster", .nesting = TFP_NEST_SET,
	  .key = "job_cluster_key", .json = "job_clusters",
	  .attrs = job_cluster_attrs, .blocks = job_cluster_blocks,
	  .desc = "A cluster that tasks of the job share, identified by "
		  "job_cluster_key." },
	{ .name = "parameter", .nesting = TFP_NEST_SET, .key = "name",
	  .json = "parameters", .attrs = job_parameter_attrs,
	  .desc = "A job parameter, identified by name." },
	{ .name = "environment", .nesting = TFP_NEST_SET,
	  .key = "environment_key", .json = "environments",
	  .attrs = job_env_attrs, .blocks = job_env_blocks,
	  .desc = "A serverless environment that tasks of the job use, "
		  "identified by environment_key." },
	{ .name = "schedule", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_schedule_attrs,
	  .desc = "Run on a cron schedule. At most one of schedule, "
		  "continuous and trigger." },
	{ .name = "continuous", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_continuous_attrs,
	  .desc = "Keep one run going at all times. At most one of "
		  "schedule, continuous and trigger." },
	{ .name = "trigger", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_pause_attrs, .blocks = job_trigger_blocks,
	  .desc = "Run on file arrival, table updates or a fixed interval. "
		  "At most one of schedule, continuous and trigger." },
	{ .name = "email_notifications", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = job_email_attrs,
	  .desc = "E-mail notifications about the job's runs." },
	{ .name = "webhook_notifications", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .blocks = job_webhook_blocks,
	  .desc = "Notification destinations for the job's runs." },
	{ .name = "notification_settings", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = job_notification_attrs,
	  .desc = "Which of the job's notifications are sent." },
	{ .name = "health", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .blocks = job_health_blocks,
	  .desc = "Health rules of the job's runs." },
	{ .name = "git_source", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_git_attrs, .blocks = job_git_blocks,
	  .desc = "A Git repository that tasks with source GIT read from. "
		  "Set one of branch, tag and commit." },
	{ .name = "run_as", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_run_as_attrs,
	  .desc = "The identity runs use: exactly one of user_name, "
		  "service_principal_name and group_name. The creator by "
		  "default." },
	{ .name = "queue", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_queue_attrs, .server_default = "{\"enabled\":true}",
	  .desc = "Run queueing. Jobs API 2.2 enables it when this block is "
		  "left out." },
	{ .name = "deployment", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = job_deployment_attrs,
	  .desc = "Where the job's definition is deployed from." },
	TFP_PROVIDER_CONFIG_BLOCK("job"),
	/* A legacy single-task job: the task's fields at the top. */
	JOB_COMPUTE_BLOCKS,
	JOB_LEGACY_TYPE_BLOCKS,
	TFP_BLOCK_END
};

static const struct tfp_attr job_attrs[] = {
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "Untitled",
	  .desc = "The job's name; \"Untitled\" by default." },
	{ .name = "description", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "A description of the job." },
	{ .name = "tags", .type = &tfp_type_map_string, .flags = TFP_OPTIONAL,
	  .desc = "Tags of the job (at most 25); they also go to the job's "
		  "clusters." },
	{ .name = "max_concurrent_runs", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "How many runs may be active at once; the workspace's "
		  "default is 1." },
	{ .name = "timeout_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The time limit of a run in seconds; 0 means none." },
	{ .name = "format", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "MULTI_TASK or SINGLE_TASK, set by the workspace." },
	{ .name = "budget_policy_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The budget policy that serverless usage of the job is "
		  "attributed to." },
	{ .name = "usage_policy_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The usage policy of the job's serverless usage." },
	{ .name = "edit_mode", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "UI_LOCKED (edits only through the API, e.g. by "
		  "Terraform) or EDITABLE." },
	{ .name = "performance_target", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "PERFORMANCE_OPTIMIZED or STANDARD, for serverless "
		  "tasks." },
	/* A legacy single-task job: the task's fields at the top. */
	JOB_RUN_ATTRS,
	{ .name = "always_running", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON | TFP_KEEP_PRIOR |
		   TFP_DEPRECATED,
	  .desc = "Deprecated (use continuous): start a run after each "
		  "create and restart the active run after each update." },
	{ .name = "control_run_state", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "For a continuous job: restart the active run after each "
		  "update, so that it uses the new settings." },
	{ .name = "url", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The job's page in the workspace UI." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The job ID." },
	TFP_ATTR_END
};

/* clang-format on */

/* --- pure functions: IDs, pages, run_as ----------------------------------- */

int tfp_jobs__parse_id(int64_t *out, struct tfp_diags *d, const char *id)
{
	size_t n = id != NULL ? strlen(id) : 0, i;
	int64_t v = 0;

	/* Set on every path, errors included: callers test only the code. */
	*out = 0;
	if (n == 0 || n > JOB_ID_MAX_DIGITS)
		goto bad;
	for (i = 0; i < n; i++) {
		if (id[i] < '0' || id[i] > '9')
			goto bad;
		v = v * 10 + (id[i] - '0');
	}
	/* The JSON rule (style guide §2.7): below 2^53, or it is not exact. */
	if (v >= (INT64_C(1) << 53))
		goto bad;
	*out = v;
	return TFP_OK;
bad:
	return tfp_diag_error(d, "Invalid job ID",
			      "A job ID is the job's number, e.g. "
			      "\"123456789\" (the digits in the job's URL "
			      "after #job/); got \"%s\".",
			      id != NULL ? id : "");
}

void tfp_jobs__merge_page(cJSON *acc, cJSON *page)
{
	static const char *const paged[] = {"tasks", "job_clusters",
					    "parameters", "environments", NULL};
	cJSON *from = cJSON_GetObjectItemCaseSensitive(page, "settings");
	cJSON *to = cJSON_GetObjectItemCaseSensitive(acc, "settings");
	size_t i;

	if (!cJSON_IsObject(from))
		return;
	if (!cJSON_IsObject(to)) {
		cJSON_DeleteItemFromObjectCaseSensitive(acc, "settings");
		to = cJSON_AddObjectToObject(acc, "settings");
	}
	for (i = 0; paged[i] != NULL; i++) {
		cJSON *src = cJSON_GetObjectItemCaseSensitive(from, paged[i]);
		cJSON *dst = cJSON_GetObjectItemCaseSensitive(to, paged[i]);

		if (!cJSON_IsArray(src) || src->child == NULL)
			continue;
		if (!cJSON_IsArray(dst)) {
			cJSON_DeleteItemFromObjectCaseSensitive(to, paged[i]);
			dst = cJSON_AddArrayToObject(to, paged[i]);
		}
		while (src->child != NULL)
			cJSON_AddItemToArray(dst, cJSON_DetachItemViaPointer(
							  src, src->child));
	}
}

bool tfp_jobs__is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (s == NULL || strlen(s) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i] != '\0'; i++) {
		char c = s[i];

		if (shape[i] == '-') {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}

void tfp_jobs__run_as_from_reply(cJSON *settings, const cJSON *job,
				const struct tfp_value *prior)
{
	const struct tfp_value *run_as = tfp_value_get(prior, "run_as");
	const char *who = tfp_json_string(job, "run_as_user_name");
	const struct tfp_value *item;
	const char *group;
	cJSON *obj;

	if (cJSON_GetObjectItemCaseSensitive(settings, "run_as") != NULL ||
	    !tfp_value_is_known(run_as) || run_as->u.coll.n == 0 || who == NULL)
		return;
	item = run_as->u.coll.items[0];
	group = tfp_value_get_string(item, "group_name");
	obj = cJSON_AddObjectToObject(settings, "run_as");
	if (group != NULL)
		cJSON_AddStringToObject(obj, "group_name", group);
	else if (tfp_jobs__is_uuid(who))
		cJSON_AddStringToObject(obj, "service_principal_name", who);
	else
		cJSON_AddStringToObject(obj, "user_name", who);
}

/* --- pure functions: validation ------------------------------------------- */

/* 1 when block name of obj has elements, 0 when it has none, -1 unknown. */
static int job_has_block(const struct tfp_value *obj, const char *name)
{
	const struct tfp_value *v = tfp_value_get(obj, name);

	if (tfp_value_is_unknown(v))
		return -1;
	return tfp_value_is_known(v) && v->u.coll.n > 0;
}

/* The same for an attribute: 1 set, 0 null, -1 unknown. */
static int job_has_attr(const struct tfp_value *obj, const char *name)
{
	const struct tfp_value *v = tfp_value_get(obj, name);

	if (tfp_value_is_unknown(v))
		return -1;
	return tfp_value_is_known(v);
}

/* The only element of a known max-1 block, or NULL. */
static const struct tfp_value *job_only_item(const struct tfp_value *obj,
					     const char *name)
{
	const struct tfp_value *v = tfp_value_get(obj, name);

	if (!tfp_value_is_known(v) || v->u.coll.n != 1 ||
	    !tfp_value_is_known(v->u.coll.items[0]))
		return NULL;
	return v->u.coll.items[0];
}

/*
 * The keys of a keyed set block: *complete is false when the set or any
 * key is unknown, so that "no such key" is never claimed on a guess.
 */
static const char **job_keys(size_t *n_out, bool *complete, struct tfp_arena *a,
			     const struct tfp_value *obj, const char *block,
			     const char *key)
{
	const struct tfp_value *set = tfp_value_get(obj, block);
	const char **keys;
	size_t i, n = 0;

	*n_out = 0;
	*complete = !tfp_value_is_unknown(set);
	if (!tfp_value_is_known(set))
		return NULL;
	keys = tfp_arena_alloc(a, (set->u.coll.n + 1) * sizeof(*keys));
	for (i = 0; i < set->u.coll.n; i++) {
		const char *k = tfp_value_get_string(set->u.coll.items[i], key);

		if (k == NULL)
			*complete = false;
		else
			keys[n++] = k;
	}
	*n_out = n;
	return keys;
}

static bool job_key_in(const char *const *keys, size_t n, const char *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i], k) == 0)
			return true;
	return false;
}

/* One task's own rules: its type and its compute. */
static int job_check_task(struct tfp_diags *d, const struct tfp_path *path,
			  const struct tfp_value *task, const char *key,
			  bool nested)
{
	static const char *const computes[] = {"existing_cluster_id",
					       "job_cluster_key", "new_cluster",
					       "environment_key", NULL};
	const char *found[2] = {NULL, NULL};
	size_t n = 0, i;
	bool unsure = false;
	int error = TFP_OK;

	for (i = 0; job_task_types[i] != NULL; i++) {
		int has;

		if (nested && strcmp(job_task_types[i], "for_each_task") == 0)
			continue;
		has = job_has_block(task, job_task_types[i]);
		if (has < 0)
			unsure = true;
		if (has > 0 && n++ < 2)
			found[n - 1] = job_task_types[i];
	}
	if (n == 0 && !unsure)
		error = tfp_diag_attr_error(
			d, path, "Task without a task type",
			"Task \"%s\" needs exactly one of notebook_task, "
			"spark_python_task, python_wheel_task, spark_jar_task, "
			"spark_submit_task, sql_task, run_job_task, "
			"pipeline_task, dbt_task, condition_task, "
			"clean_rooms_notebook_task, dashboard_task, "
			"dbt_cloud_task, dbt_platform_task, "
			"gen_ai_compute_task, power_bi_task%s.",
			key, nested ? "" : " and for_each_task");
	if (n > 1)
		error = tfp_diag_attr_error(
			d, path, "Task with more than one task type",
			"Task \"%s\" has both %s and %s; a task runs exactly "
			"one thing.",
			key, found[0], found[1]);

	n = 0;
	for (i = 0; computes[i] != NULL; i++) {
		int has = strcmp(computes[i], "new_cluster") == 0
				  ? job_has_block(task, computes[i])
				  : job_has_attr(task, computes[i]);

		if (has > 0 && n++ < 2)
			found[n - 1] = computes[i];
	}
	if (n > 1)
		error = tfp_diag_attr_error(
			d, path, "Task with more than one compute",
			"Task \"%s\" sets both %s and %s; a task runs on at "
			"most one of existing_cluster_id, job_cluster_key, "
			"new_cluster and environment_key.",
			key, found[0], found[1]);
	return error;
}

/* A task's references: its dependencies and its job cluster. */
static int job_check_refs(struct tfp_diags *d, const struct tfp_path *path,
			  const struct tfp_value *task, const char *key,
			  const char *const *tasks, size_t n_tasks,
			  bool tasks_complete, const char *const *clusters,
			  size_t n_clusters, bool clusters_complete)
{
	const struct tfp_value *deps = tfp_value_get(task, "depends_on");
	const char *cluster = tfp_value_get_string(task, "job_cluster_key");
	int error = TFP_OK;
	size_t i;

	for (i = 0; tfp_value_is_known(deps) && i < deps->u.coll.n; i++) {
		const char *dk =
			tfp_value_get_string(deps->u.coll.items[i], "task_key");

		if (dk == NULL)
			continue;
		if (strcmp(dk, key) == 0)
			error = tfp_diag_attr_error(
				d, path, "Task depends on itself",
				"Task \"%s\" lists itself in depends_on.", key);
		else if (tasks_complete && !job_key_in(tasks, n_tasks, dk))
			error = tfp_diag_attr_error(
				d, path, "Dependency on an unknown task",
				"Task \"%s\" depends on \"%s\", which is not "
				"the task_key of a task of this job.",
				key, dk);
	}
	if (cluster != NULL && clusters_complete &&
	    !job_key_in(clusters, n_clusters, cluster))
		error = tfp_diag_attr_error(
			d, path, "Unknown job cluster",
			"Task \"%s\" uses job_cluster_key \"%s\", but no "
			"job_cluster block has that key.",
			key, cluster);
	return error;
}

int tfp_jobs__validate_config(struct tfp_diags *d, struct tfp_arena *a,
			     const struct tfp_value *config)
{
	static const char *const triggers[] = {"schedule", "continuous",
					       "trigger", NULL};
	const struct tfp_value *tasks = tfp_value_get(config, "task");
	const struct tfp_path *task_path = tfp_path_attr(a, NULL, "task");
	const char *first = NULL;
	const char **task_keys, **cluster_keys;
	size_t n_tasks, n_clusters, i;
	bool tasks_complete, clusters_complete;
	int error = TFP_OK;

	for (i = 0; triggers[i] != NULL; i++) {
		if (job_has_block(config, triggers[i]) <= 0)
			continue;
		if (first == NULL) {
			first = triggers[i];
			continue;
		}
		error = tfp_diag_attr_error(
			d, tfp_path_attr(a, NULL, triggers[i]),
			"Conflicting triggers",
			"A job has at most one of schedule, continuous and "
			"trigger; this one has both %s and %s.",
			first, triggers[i]);
	}
	if (tfp_value_get_bool(config, "control_run_state", false) &&
	    job_has_block(config, "continuous") == 0)
		error = tfp_diag_attr_error(
			d, tfp_path_attr(a, NULL, "control_run_state"),
			"control_run_state without continuous",
			"control_run_state restarts the run of a continuous "
			"job; add a continuous block or leave it out.");
	if (tfp_value_get_bool(config, "always_running", false)) {
		int64_t mcr = 1;

		if (job_has_block(config, "continuous") > 0 ||
		    tfp_value_get_bool(config, "control_run_state", false))
			error = tfp_diag_attr_error(
				d, tfp_path_attr(a, NULL, "always_running"),
				"always_running with continuous",
				"always_running is the deprecated form of a "
				"continuous block: use one of always_running, "
				"continuous and control_run_state.");
		if (tfp_value_get_int(config, "max_concurrent_runs", &mcr) &&
		    mcr > 1)
			error = tfp_diag_attr_error(
				d, tfp_path_attr(a, NULL, "always_running"),
				"always_running with concurrent runs",
				"always_running keeps exactly one run going; "
				"max_concurrent_runs must be 1.");
	}
	if (!tfp_value_is_known(tasks))
		return error;
	if (tasks->u.coll.n > JOB_MAX_TASKS)
		error = tfp_diag_attr_error(
			d, task_path, "Too many tasks",
			"A job has at most %d tasks; this one has %zu. Split "
			"it into jobs that run each other with run_job_task.",
			JOB_MAX_TASKS, tasks->u.coll.n);

	task_keys = job_keys(&n_tasks, &tasks_complete, a, config, "task",
			     "task_key");
	cluster_keys = job_keys(&n_clusters, &clusters_complete, a, config,
				"job_cluster", "job_cluster_key");
	for (i = 0; i < tasks->u.coll.n; i++) {
		const struct tfp_value *t = tasks->u.coll.items[i];
		const char *key = tfp_value_get_string(t, "task_key");
		const struct tfp_value *fe, *inner;

		if (!tfp_value_is_known(t))
			continue;
		if (key == NULL)
			key = "(unknown)";
		if (job_check_task(d, task_path, t, key, false) < 0)
			error = TFP_ERROR;
		if (job_check_refs(d, task_path, t, key, task_keys, n_tasks,
				   tasks_complete, cluster_keys, n_clusters,
				   clusters_complete) < 0)
			error = TFP_ERROR;

		fe = job_only_item(t, "for_each_task");
		inner = fe != NULL ? job_only_item(fe, "task") : NULL;
		if (inner != NULL) {
			const struct tfp_path *p = tfp_path_index(
				a,
				tfp_path_attr(
					a,
					tfp_path_index(
						a,
						tfp_path_attr(a, task_path,
							      "for_each_task"),
						0),
					"task"),
				0);
			const char *ik =
				tfp_value_get_string(inner, "task_key");

			if (job_check_task(d, p, inner, ik ? ik : key, true) <
			    0)
				error = TFP_ERROR;
			/* The iterated task runs inside its parent, so only
			 * its cluster can be checked, not its dependencies. */
			if (job_check_refs(d, p, inner, ik ? ik : key, NULL, 0,
					   false, cluster_keys, n_clusters,
					   clusters_complete) < 0)
				error = TFP_ERROR;
		}
	}
	return error;
}

/* --- handlers ------------------------------------------------------------- */

/* An error in what the user was doing ("Failed to read databricks_job"). */
/*
 * GETs a job with every page of its arrays merged into the first reply
 * (Jobs 2.2 pages tasks, job_clusters, parameters and environments 100 at
 * a time). *out lives in call->arena.
 */
static int job_fetch(cJSON **out, struct tfp_call *call, const char *id)
{
	const char **seen = NULL;
	const char *token = NULL;
	cJSON *acc = NULL;
	size_t pages = 0, i;
	int error;

	for (;;) {
		const struct tfp_query q[] = {
			{"job_id", id}, {"page_token", token}, {NULL, NULL}};
		cJSON *page = NULL;

		error = tfp_rest_get(&page, call, "/api/2.2/jobs/get", q);
		if (error < 0)
			return error;
		if (acc == NULL)
			acc = page;
		else
			tfp_jobs__merge_page(acc, page);
		token = tfp_json_string(page, "next_page_token");
		if (token == NULL || token[0] == '\0')
			break;
		if (seen == NULL)
			seen = tfp_arena_alloc(call->arena,
					       JOB_MAX_PAGES * sizeof(*seen));
		for (i = 0; i < pages; i++)
			if (strcmp(seen[i], token) == 0)
				return tfp_call_fail(
					call,
					"GET /api/2.2/jobs/get returned "
					"page token \"%s\" twice; "
					"stopped instead of looping.",
					token);
		if (pages == JOB_MAX_PAGES)
			return tfp_call_fail(call,
					"GET /api/2.2/jobs/get of job %s "
					"returned more pages than a job can "
					"have.",
					id);
		seen[pages++] = token;
	}
	*out = acc;
	return TFP_OK;
}

/* The state for a jobs/get reply; prior supplies what the API never says. */
static int job_state(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_type *type, cJSON *job,
		     const struct tfp_value *prior)
{
	cJSON *settings = cJSON_GetObjectItemCaseSensitive(job, "settings");
	struct tfp_value *v = NULL;
	const char *id, *host;
	int64_t job_id = 0;
	int error;

	error = tfp_json_int(&job_id, job, "job_id", call->diags);
	if (error == TFP_ENOTFOUND || !cJSON_IsObject(settings))
		return tfp_diag_error(
			call->diags, "Unexpected reply from the workspace",
			"GET /api/2.2/jobs/get returned a job "
			"without %s.",
			error == TFP_ENOTFOUND ? "job_id" : "settings");
	if (error < 0)
		return error;
	tfp_jobs__run_as_from_reply(settings, job, prior);
	error = tfp_jsonmap_to_value(&v, call->arena, type, job_attrs,
				     job_blocks, settings, prior, call->diags);
	if (error < 0)
		return error;
	id = tfp_arena_printf(call->arena, "%" PRId64, job_id);
	host = tfp_rest_host(tfp_rest_of(call));
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, "url",
			     tfp_arena_printf(call->arena, "%s/#job/%s",
					      host != NULL ? host : "", id));
	tfp_value_set(
		v, "control_run_state",
		tfp_value_copy(call->arena,
			       tfp_value_get(prior, "control_run_state")));
	tfp_value_set(v, "timeouts",
		      tfp_value_copy(call->arena,
				     tfp_value_get(prior, "timeouts")));
	*out = v;
	return TFP_OK;
}

/*
 * Refreshing many jobs: jobs/list with expand_tasks answers 100 jobs a
 * page with the settings jobs/get has (tasks and job clusters included,
 * up to 100 of each; a job with more says has_more and is read with
 * jobs/get). The list has no run_as_user_name, so a job whose state has a
 * run_as block is read with jobs/get too.
 */
static const struct tfp_query job_list_query[] = {{"expand_tasks", "true"},
						  {NULL, NULL}};
static const struct tfp_rest_batch_list job_list = {
	.path = "/api/2.2/jobs/list",
	.query = job_list_query,
	.items = "jobs",
	.id_field = "job_id",
	.size_param = "limit",
	.size_value = "100",
	.partial_field = "has_more",
};

static int job_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *prior)
{
	const char *id = tfp_value_get_string(prior, "id");
	const struct tfp_value *run_as = tfp_value_get(prior, "run_as");
	cJSON *job = NULL;
	int64_t job_id;
	int error;

	error = tfp_jobs__parse_id(&job_id, call->diags, id);
	if (error < 0)
		return error;
	if (tfp_value_is_known(run_as) && run_as->u.coll.n > 0)
		error = TFP_ENOTFOUND;
	else
		error = tfp_rest_batch_find(&job, call, &job_list, id);
	if (error != TFP_OK)
		error = job_fetch(&job, call, id);
	if (error < 0)
		return error;
	return job_state(out, call, prior->type, job, prior);
}

/*
 * After a write: the state as the workspace now has it, read with the plan
 * as prior (write-only values, absent server defaults). If that read
 * fails, the plan stands in, with unknowns as null, so Terraform still
 * records the job that exists.
 */
static int job_read_back(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *plan, const char *id)
{
	struct tfp_value *known = tfp_value_unknowns_to_null(call->arena, plan);
	cJSON *job = NULL;
	int error;

	tfp_value_set_string(call->arena, known, "id", id);
	error = job_fetch(&job, call, id);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call,
				 "The workspace accepted job %s but jobs/get "
				 "says it does not exist.",
				 id);
	if (error == TFP_OK)
		error = job_state(out, call, plan->type, job, known);
	if (error < 0)
		*out = known;
	return error;
}

/*
 * JobSettings for a planned job. The plan still has unknowns where the
 * workspace chooses (computed values the configuration leaves out); they
 * are left out of the request, which is how the workspace is asked to
 * choose.
 */
static cJSON *job_settings(struct tfp_call *call, const struct tfp_value *plan,
			   int *error)
{
	cJSON *settings = NULL;

	*error = tfp_jsonmap_from_value(&settings, call->arena, job_attrs,
					job_blocks, plan, call->diags);
	return settings;
}

int tfp_jobs__pick_created(int64_t *out, const char **ids, struct tfp_arena *a,
			  const cJSON *jobs, const char *name,
			  const char *creator, int64_t since_ms)
{
	const cJSON *job;
	const char *jname, *who;
	int64_t id, created;
	int n = 0;

	*out = 0;
	*ids = "";
	cJSON_ArrayForEach(job, jobs)
	{
		const cJSON *jid =
			cJSON_GetObjectItemCaseSensitive(job, "job_id");
		const cJSON *jct =
			cJSON_GetObjectItemCaseSensitive(job, "created_time");

		jname = tfp_json_string(
			cJSON_GetObjectItemCaseSensitive(job, "settings"),
			"name");
		who = tfp_json_string(job, "creator_user_name");
		if (!cJSON_IsNumber(jid) || !cJSON_IsNumber(jct) ||
		    jname == NULL || who == NULL ||
		    strcmp(jname, name) != 0 || strcasecmp(who, creator) != 0)
			continue;
		id = (int64_t)jid->valuedouble;
		created = (int64_t)jct->valuedouble;
		if (id <= 0 || created < since_ms)
			continue;
		if (n == 0)
			*out = id;
		*ids = tfp_arena_printf(a, "%s%s%" PRId64, *ids,
					n > 0 ? ", " : "", id);
		n++;
	}
	return n;
}

static int64_t job_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* tfp_rest_list callback: keeps a copy of every job in the array. */
static int job_collect(struct tfp_call *call, const cJSON *item,
		       void *payload)
{
	(void)call;
	cJSON_AddItemToArray(payload, cJSON_Duplicate(item, true));
	return TFP_OK;
}

/*
 * After a lost jobs/create answer: the ID of the job that create made into
 * *out and 1, or 0 when there is none. More than one candidate is
 * TFP_ERROR with a diagnostic listing them; API errors pass on.
 */
static int job_find_created(int64_t *out, struct tfp_call *call,
			    const char *name, int64_t started_ms)
{
	struct tfp_query q[] = { { "name", name }, { NULL, NULL } };
	cJSON *me = NULL, *jobs;
	const char *user, *ids;
	int error, n;

	error = tfp_rest_call(&me, call, "GET", "/api/2.0/preview/scim/v2/Me",
			      NULL, NULL, TFP_REST_CACHE);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "%s %s: %s", call->last_error.method,
				call->last_error.path,
				call->last_error.message);
	if (error < 0)
		return error;
	user = tfp_json_string(me, "userName");
	if (user == NULL)
		return tfp_call_fail(call, "%s",
				"GET /api/2.0/preview/scim/v2/Me answered "
				"without a userName.");
	jobs = cJSON_CreateArray();
	tfp_arena_defer_json(call->arena, jobs);
	error = tfp_rest_list(call, "/api/2.2/jobs/list", q, "jobs", 0,
			      job_collect, jobs);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "%s %s: %s", call->last_error.method,
				call->last_error.path,
				call->last_error.message);
	if (error < 0)
		return error;
	n = tfp_jobs__pick_created(out, &ids, call->arena, jobs, name, user,
				  started_ms - JOB_CREATE_SKEW_MS);
	if (n > 1)
		return tfp_call_fail(call,
				"The answer to POST /api/2.2/jobs/create was "
				"lost, and %d jobs named \"%s\" were created "
				"by %s since this create began (job IDs %s); "
				"which one it made cannot be told. Import the "
				"right one with terraform import and delete "
				"the others.",
				n, name, user, ids);
	return n;
}

/*
 * Sends jobs/create so that the job gets made exactly once although
 * answers may be lost (see "Create safety" at the top). The job's ID goes
 * into *job_id on TFP_OK.
 */
static int job_create_once(int64_t *job_id, struct tfp_call *call,
			   const cJSON *settings)
{
	const char *name = tfp_json_string(settings, "name");
	int64_t started_ms = job_now_ms();
	cJSON *reply = NULL;
	int tries, error = TFP_ERROR, n;

	for (tries = 1; tries <= JOB_CREATE_TRIES; tries++) {
		error = tfp_rest_post(&reply, call, "/api/2.2/jobs/create",
				      settings);
		if (error != TFP_EUNCERTAIN)
			break;
		if (name == NULL)
			return error;
		n = job_find_created(job_id, call, name, started_ms);
		if (n < 0)
			return n; /* both diagnostics stand */
		if (n == 1) {
			tfp_log(TFP_LOG_INFO, "job",
				"the answer to creating job \"%s\" was lost; "
				"adopting job %" PRId64 ", made by it",
				name, *job_id);
			tfp_diags_drop_last(call->diags);
			return TFP_OK;
		}
		tfp_log(TFP_LOG_INFO, "job",
			"the answer to creating job \"%s\" was lost and no "
			"such job exists (try %d of %d)",
			name, tries, JOB_CREATE_TRIES);
		if (tries == JOB_CREATE_TRIES)
			return TFP_ERROR; /* the uncertain diagnostic */
		tfp_diags_drop_last(call->diags);
	}
	if (error < 0)
		return error;
	error = tfp_json_int(job_id, reply, "job_id", call->diags);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call, "%s",
				 "POST /api/2.2/jobs/create answered without "
				 "a job_id.");
	return error;
}

/*
 * always_running (deprecated, the official provider's older form of
 * continuous): a run is started after create, and after an update the
 * active runs are cancelled and a new one started, so that it uses the new
 * settings. Neither waits for the run to be RUNNING.
 */
static int job_keep_running(struct tfp_call *call, const struct tfp_value *plan,
			    int64_t job_id, bool restart)
{
	cJSON *body;
	int error;

	if (!tfp_value_get_bool(plan, "always_running", false))
		return TFP_OK;
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	tfp_json_add_int(body, "job_id", job_id);
	if (restart) {
		error = tfp_rest_call(NULL, call, "POST",
				      "/api/2.2/jobs/runs/cancel-all", NULL,
				      body, TFP_REST_IDEMPOTENT);
		if (error < 0)
			return error;
	}
	return tfp_rest_post(NULL, call, "/api/2.2/jobs/run-now", body);
}

static int job_create(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *plan)
{
	cJSON *settings;
	int64_t job_id = 0;
	int error, restart;

	settings = job_settings(call, plan, &error);
	if (error < 0)
		return error;
	error = job_create_once(&job_id, call, settings);
	if (error < 0)
		return error;
	restart = job_keep_running(call, plan, job_id, false);
	error = job_read_back(out, call, plan,
			      tfp_arena_printf(call->arena, "%" PRId64, job_id));
	return restart < 0 ? restart : error;
}

/*
 * control_run_state: a continuous job's active run keeps the settings it
 * started with; run-now on a continuous job cancels it and starts a new
 * one with the new settings. A paused continuous job has no run to
 * restart.
 */
static int job_restart_continuous(struct tfp_call *call,
				  const struct tfp_value *plan, int64_t job_id)
{
	const struct tfp_value *cont = job_only_item(plan, "continuous");
	const char *pause = tfp_value_get_string(cont, "pause_status");
	cJSON *body;

	if (!tfp_value_get_bool(plan, "control_run_state", false) ||
	    cont == NULL || (pause != NULL && strcmp(pause, "PAUSED") == 0))
		return TFP_OK;
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	tfp_json_add_int(body, "job_id", job_id);
	return tfp_rest_post(NULL, call, "/api/2.2/jobs/run-now", body);
}

static int job_update(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *prior,
		      const struct tfp_value *plan)
{
	const char *id = tfp_value_get_string(prior, "id");
	cJSON *settings, *was, *body;
	int64_t job_id;
	int error, restart;

	error = tfp_jobs__parse_id(&job_id, call->diags, id);
	if (error < 0)
		return error;
	settings = job_settings(call, plan, &error);
	if (error < 0)
		return error;
	/* Only what is ours changed (timeouts, control_run_state): the job
	 * already has these settings, so there is nothing to send. */
	was = job_settings(call, prior, &error);
	if (error < 0)
		return error;
	if (cJSON_Compare(was, settings, true))
		return job_read_back(out, call, plan, id);
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	tfp_json_add_int(body, "job_id", job_id);
	/* settings belongs to the arena: the body gets a reference. */
	cJSON_AddItemReferenceToObject(body, "new_settings", settings);
	error = tfp_rest_call(NULL, call, "POST", "/api/2.2/jobs/reset", NULL,
			      body, TFP_REST_IDEMPOTENT);
	if (error < 0)
		return error;
	restart = job_restart_continuous(call, plan, job_id);
	if (restart == TFP_OK)
		restart = job_keep_running(call, plan, job_id, true);
	error = job_read_back(out, call, plan, id);
	return restart < 0 ? restart : error;
}

static int job_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const char *id = tfp_value_get_string(prior, "id");
	cJSON *body;
	int64_t job_id;
	int error;

	error = tfp_jobs__parse_id(&job_id, call->diags, id);
	if (error < 0)
		return error;
	body = cJSON_CreateObject();
	tfp_arena_defer_json(call->arena, body);
	tfp_json_add_int(body, "job_id", job_id);
	return tfp_rest_call(NULL, call, "POST", "/api/2.2/jobs/delete", NULL,
			     body, TFP_REST_IDEMPOTENT);
}

static int job_import(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_type *type, const char *id)
{
	struct tfp_value *v;
	int64_t job_id;
	int error;

	error = tfp_jobs__parse_id(&job_id, call->diags, id);
	if (error < 0)
		return error;
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

static int job_validate(struct tfp_call *call, const struct tfp_value *config)
{
	return tfp_jobs__validate_config(call->diags, call->arena, config);
}

/*
 * The Jobs API's answers that mean "no such job or run", for the REST
 * client (databricks.c hands the table over; databricks-rest-api.md §1.3,
 * the SDK's error overrides): jobs/get and jobs/runs/get (and get-output)
 * answer a missing ID with 400 INVALID_PARAMETER_VALUE "... does not
 * exist" or "... doesn't exist", on GET only; jobs/delete shares jobs/get's
 * answer, and a delete of a job already gone is what the caller wanted.
 */
/* clang-format off */
const struct tfp_rest_not_found tfp_jobs_not_found[] = {
	{ .path = "jobs/get", .method = "GET", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .message = "does not exist" },
	{ .path = "jobs/get", .method = "GET", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .message = "doesn't exist" },
	{ .path = "jobs/runs/get", .method = "GET", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .message = "does not exist" },
	{ .path = "jobs/runs/get", .method = "GET", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .message = "doesn't exist" },
	{ .path = "jobs/delete", .method = "!GET", .status = 400,
	  .error_code = "INVALID_PARAMETER_VALUE", .message = "does not exist" },
	{ .path = NULL }
};
/* clang-format on */

const struct tfp_resource tfp_resource_job = {
	.type_name = "databricks_job",
	/* The official provider's: a state it wrote loads here. */
	.schema_version = 2,
	.attrs = job_attrs,
	.blocks = job_blocks,
	.desc = "A Databricks job: tasks, the clusters they run on, and "
		"when they run. Tasks are identified by task_key, so their "
		"order in the configuration or in the workspace never "
		"matters. Every change is made in place (jobs/reset); the job "
		"ID stays the same.",
	.create = job_create,
	.read = job_read,
	.delete = job_delete,
	.update = job_update,
	.import = job_import,
	.validate = job_validate,
};
