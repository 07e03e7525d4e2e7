/*
 * databricks_pipeline: a Lakeflow Declarative Pipeline (DLT), its spec as
 * the official provider writes it (cluster, library and notification
 * blocks for the API's clusters, libraries and notifications arrays).
 *
 * REST (Pipelines API 2.0):
 *   POST   /api/2.0/pipelines                 the spec -> {pipeline_id}
 *   GET    /api/2.0/pipelines/{pipeline_id}  -> {pipeline_id, spec, state,
 *                                               health, cause, cluster_id,
 *                                               creator_user_name,
 *                                               run_as_user_name,
 *                                               last_modified,
 *                                               latest_updates}
 *   PUT    /api/2.0/pipelines/{pipeline_id}  the whole spec
 *   DELETE /api/2.0/pipelines/{pipeline_id}
 *
 * Behaviour that explains the code:
 *  - GET nests the settings under "spec"; the reshape lifts them to the top
 *    so one table maps both the request and the answer.
 *  - cluster blocks are a set keyed by label (default, maintenance,
 *    updates): a configuration that lists them in another order is the
 *    same pipeline. (The official provider keeps them positional, so a
 *    reorder is a diff there.)
 *  - An edit sends the whole spec and never starts an update; the service
 *    starts one only for a continuous pipeline, and then create and edit
 *    wait until it is RUNNING (a FAILED pipeline is an error, and the
 *    pipeline stays in the state so nothing is lost), as the official
 *    provider does. Delete waits until the pipeline is gone.
 *  - The service fills storage ("dbfs:/pipelines/<id>") for a Hive
 *    metastore pipeline left without one, and folds the catalog to lower
 *    case on create: storage is optional+computed, catalog, edition and
 *    channel compare without regard to case. edition and channel default
 *    to ADVANCED and CURRENT, as the official provider sends them.
 *  - state, health, cause, cluster_id and latest_updates describe runs,
 *    not settings: a refresh keeps the values of the last create, edit or
 *    import, so a pipeline that ran (from a job's pipeline_task, say) is
 *    not drift. Settings edited elsewhere are, last_modified included.
 *  - allow_duplicate_names and expected_last_modified are request-only:
 *    kept from the configuration.
 *  - Import by pipeline id.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "compute/cluster_spec.h"
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "validate.h"
#include "wait.h"

#define PIPE_API "/api/2.0/pipelines"
/* The official provider's wait for create, edit and delete. */
#define PIPE_WAIT_MS (20L * 60 * 1000)

/* --- validators ----------------------------------------------------------- */

static int pipe_validate_edition(struct tfp_diags *d,
				 const struct tfp_path *path,
				 const struct tfp_value *v)
{
	static const char *const allowed[] = {"CORE", "PRO", "ADVANCED", NULL};

	return tfp_validate_enum(d, path, v, "edition", allowed, true,
				 "CORE, PRO or ADVANCED");
}

static int pipe_validate_channel(struct tfp_diags *d,
				 const struct tfp_path *path,
				 const struct tfp_value *v)
{
	static const char *const allowed[] = {"CURRENT", "PREVIEW", NULL};

	return tfp_validate_enum(d, path, v, "channel", allowed, true,
				 "CURRENT or PREVIEW");
}

static int pipe_validate_label(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	static const char *const allowed[] = {"default", "maintenance",
					      "updates", NULL};

	return tfp_validate_enum(d, path, v, "label", allowed, false,
				 "default, maintenance or updates");
}

static int pipe_validate_mode(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	static const char *const allowed[] = {"ENHANCED", "LEGACY", NULL};

	return tfp_validate_enum(d, path, v, "autoscale mode", allowed, true,
				 "ENHANCED or LEGACY");
}

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr pipe_autoscale_attrs[] = {
	{ .name = "min_workers", .type = &tfp_type_number,
	  .flags = TFP_REQUIRED, .desc = "The fewest workers." },
	{ .name = "max_workers", .type = &tfp_type_number,
	  .flags = TFP_REQUIRED, .desc = "The most workers." },
	{ .name = "mode", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = pipe_validate_mode,
	  .desc = "ENHANCED (the newer algorithm) or LEGACY." },
	TFP_ATTR_END
};

/* A pipeline cluster: the subset of a cluster spec the service takes. */
static const struct tfp_attr pipe_cluster_attrs[] = {
	{ .name = "label", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = pipe_validate_label,
	  .desc = "Which cluster this is: default (the updates' cluster), "
		  "maintenance or updates. Blocks are matched by it." },
	{ .name = "apply_policy_default_values", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Take the policy's default values for the fields left "
		  "out." },
	{ .name = "custom_tags", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Tags added to the cluster's cloud resources." },
	{ .name = "driver_instance_pool_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The instance pool the driver comes from." },
	{ .name = "driver_node_type_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The driver's instance type; node_type_id by default." },
	{ .name = "enable_local_disk_encryption", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Encrypt the nodes' local disks." },
	{ .name = "instance_pool_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The instance pool the nodes come from." },
	{ .name = "node_type_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The workers' instance type; the service picks one when "
		  "left out." },
	{ .name = "num_workers", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "A fixed number of workers (leave out with autoscale)." },
	{ .name = "policy_id", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The cluster policy the cluster must satisfy." },
	{ .name = "spark_conf", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL, .desc = "Spark configuration." },
	{ .name = "spark_env_vars", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Environment variables of every node." },
	{ .name = "ssh_public_keys", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Up to 10 SSH public keys for user ubuntu." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_cluster_blocks[] = {
	{ .name = "autoscale", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_autoscale_attrs,
	  .desc = "Scale between min_workers and max_workers." },
	{ .name = "aws_attributes", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_SERVER_FILLED, .attrs = tfp_compute_cluster_aws_attrs,
	  .desc = "AWS settings." },
	{ .name = "azure_attributes", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .flags = TFP_SERVER_FILLED,
	  .attrs = tfp_compute_cluster_azure_attrs,
	  .blocks = tfp_compute_cluster_azure_blocks,
	  .desc = "Azure settings." },
	{ .name = "gcp_attributes", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_SERVER_FILLED, .attrs = tfp_compute_cluster_gcp_attrs,
	  .desc = "GCP settings." },
	{ .name = "cluster_log_conf", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .blocks = tfp_compute_cluster_log_conf_blocks,
	  .desc = "Where to deliver the cluster's logs." },
	{ .name = "init_scripts", .nesting = TFP_NEST_LIST, .max_items = 10,
	  .blocks = tfp_compute_cluster_init_script_blocks,
	  .desc = "Scripts run on every node at start-up." },
	TFP_BLOCK_END
};

static const struct tfp_attr pipe_path_attrs[] = {
	{ .name = "path", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The workspace path." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_glob_attrs[] = {
	{ .name = "include", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "A notebook, a file, or a folder ending in /** (all it "
		  "holds)." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_library_attrs[] = {
	{ .name = "jar", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The URI of a jar." },
	{ .name = "whl", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "The URI of a wheel (deprecated by Databricks)." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_library_blocks[] = {
	{ .name = "notebook", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_path_attrs, .desc = "A notebook of the pipeline." },
	{ .name = "file", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_path_attrs, .desc = "A workspace file of the "
					    "pipeline." },
	{ .name = "glob", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_glob_attrs,
	  .desc = "Sources by path pattern (not with notebook or file)." },
	{ .name = "maven", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = tfp_compute_library_maven_attrs,
	  .desc = "A Maven artifact." },
	TFP_BLOCK_END
};

static const struct tfp_attr pipe_notification_attrs[] = {
	{ .name = "alerts", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "on-update-success, on-update-failure, "
		  "on-update-fatal-failure, on-flow-failure." },
	{ .name = "email_recipients", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL, .desc = "Who is mailed." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_deployment_attrs[] = {
	{ .name = "kind", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "What deploys the pipeline, e.g. BUNDLE." },
	{ .name = "metadata_file_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The file describing the deployment." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_environment_attrs[] = {
	{ .name = "dependencies", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "pip requirements of a serverless pipeline." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_event_log_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The Unity Catalog table the event log goes to." },
	{ .name = "catalog", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Its catalog; the pipeline's by default." },
	{ .name = "schema", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Its schema; the pipeline's by default." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_filters_attrs[] = {
	{ .name = "include", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL, .desc = "Packages to include." },
	{ .name = "exclude", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL, .desc = "Packages to leave out." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_source_catalog_attrs[] = {
	{ .name = "source_catalog", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The catalog of the source database." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_gateway_attrs[] = {
	{ .name = "connection_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW | TFP_DEPRECATED,
	  .desc = "The connection's id (deprecated: connection_name)." },
	{ .name = "connection_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The Unity Catalog connection to the source." },
	{ .name = "gateway_storage_catalog", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The catalog of the gateway's storage." },
	{ .name = "gateway_storage_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The name of the gateway's storage location." },
	{ .name = "gateway_storage_schema", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The schema of the gateway's storage." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_gateway_blocks[] = {
	{ .name = "connection_parameters", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = pipe_source_catalog_attrs,
	  .desc = "Source-specific connection settings." },
	TFP_BLOCK_END
};

/* --- ingestion_definition: table_configuration appears four times --- */

static const struct tfp_attr pipe_qbc_attrs[] = {
	{ .name = "cursor_columns", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Columns whose growth marks new or changed rows." },
	{ .name = "deletion_condition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A SQL condition that marks deleted rows." },
	{ .name = "hard_deletion_sync_min_interval_in_seconds",
	  .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .desc = "How often hard deletions are synced at most." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_report_param_attrs[] = {
	{ .name = "key", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The parameter's name." },
	{ .name = "value", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "Its value." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_workday_blocks[] = {
	{ .name = "report_parameters", .nesting = TFP_NEST_LIST,
	  .attrs = pipe_report_param_attrs,
	  .desc = "The report's parameters, in order." },
	TFP_BLOCK_END
};

static const struct tfp_attr pipe_workday_attrs[] = {
	{ .name = "incremental", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Fetch the report incrementally." },
	{ .name = "parameters", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL, .desc = "Report parameters as a map." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_table_conf_attrs[] = {
	{ .name = "exclude_columns", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL, .desc = "Columns left out." },
	{ .name = "include_columns", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL, .desc = "Columns taken (all by default)." },
	{ .name = "primary_keys", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL, .desc = "The primary key's columns." },
	{ .name = "salesforce_include_formula_fields",
	  .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Ingest Salesforce formula fields." },
	{ .name = "scd_type", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "SCD_TYPE_1 or SCD_TYPE_2." },
	{ .name = "sequence_by", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Columns ordering the source's events." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_table_conf_blocks[] = {
	{ .name = "query_based_connector_config", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = pipe_qbc_attrs,
	  .desc = "Settings of query-based connectors." },
	{ .name = "workday_report_parameters", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = pipe_workday_attrs,
	  .blocks = pipe_workday_blocks,
	  .desc = "Parameters of a Workday report." },
	TFP_BLOCK_END
};

#define PIPE_TABLE_CONF                                                        \
	{ .name = "table_configuration", .nesting = TFP_NEST_LIST,            \
	  .max_items = 1, .attrs = pipe_table_conf_attrs,                     \
	  .blocks = pipe_table_conf_blocks,                                   \
	  .desc = "How the tables are ingested." }

static const struct tfp_block pipe_table_conf_only[] = {
	PIPE_TABLE_CONF,
	TFP_BLOCK_END
};

#define PIPE_DEST_ATTRS                                                        \
	{ .name = "destination_catalog", .type = &tfp_type_string,            \
	  .flags = TFP_REQUIRED, .desc = "The catalog written to." },         \
	{ .name = "destination_schema", .type = &tfp_type_string,             \
	  .flags = TFP_REQUIRED, .desc = "The schema written to." }

static const struct tfp_attr pipe_report_attrs[] = {
	PIPE_DEST_ATTRS,
	{ .name = "destination_table", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The table written to; named after the source by "
		  "default." },
	{ .name = "source_url", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The report's URL." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_schema_attrs[] = {
	PIPE_DEST_ATTRS,
	{ .name = "source_catalog", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The source's catalog." },
	{ .name = "source_schema", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The source schema." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_table_attrs[] = {
	PIPE_DEST_ATTRS,
	{ .name = "destination_table", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The table written to; the source's name by default." },
	{ .name = "source_catalog", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The source's catalog." },
	{ .name = "source_schema", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The source's schema." },
	{ .name = "source_table", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .desc = "The source table." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_no_attrs[] = { TFP_ATTR_END };

static const struct tfp_block pipe_objects_blocks[] = {
	{ .name = "report", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_report_attrs, .blocks = pipe_table_conf_only,
	  .desc = "A report to ingest." },
	{ .name = "schema", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_schema_attrs, .blocks = pipe_table_conf_only,
	  .desc = "Every table of a source schema." },
	{ .name = "table", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_table_attrs, .blocks = pipe_table_conf_only,
	  .desc = "One source table." },
	TFP_BLOCK_END
};

static const struct tfp_attr pipe_slot_attrs[] = {
	{ .name = "publication_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The Postgres publication." },
	{ .name = "slot_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The replication slot." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_postgres_blocks[] = {
	{ .name = "slot_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_slot_attrs, .desc = "The replication slot." },
	TFP_BLOCK_END
};

static const struct tfp_block pipe_source_catalog_blocks[] = {
	{ .name = "postgres", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_no_attrs, .blocks = pipe_postgres_blocks,
	  .desc = "Postgres settings." },
	TFP_BLOCK_END
};

static const struct tfp_block pipe_source_conf_blocks[] = {
	{ .name = "catalog", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_source_catalog_attrs,
	  .blocks = pipe_source_catalog_blocks,
	  .desc = "Settings of one source catalog." },
	TFP_BLOCK_END
};

static const struct tfp_attr pipe_ingestion_attrs[] = {
	{ .name = "connection_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The Unity Catalog connection to the source (not with "
		  "ingestion_gateway_id)." },
	{ .name = "ingest_from_uc_foreign_catalog", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "Ingest from a Unity Catalog foreign catalog." },
	{ .name = "ingestion_gateway_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "The gateway pipeline that reads the source." },
	{ .name = "netsuite_jar_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The NetSuite JDBC driver." },
	{ .name = "source_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The kind of source." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_ingestion_blocks[] = {
	{ .name = "objects", .nesting = TFP_NEST_LIST,
	  .blocks = pipe_objects_blocks, .attrs = pipe_no_attrs,
	  .desc = "What to ingest: each a report, a schema or a table." },
	{ .name = "source_configurations", .nesting = TFP_NEST_LIST,
	  .attrs = pipe_no_attrs, .blocks = pipe_source_conf_blocks,
	  .desc = "Source-level settings." },
	PIPE_TABLE_CONF,
	TFP_BLOCK_END
};

/* --- the rest of the top level --- */

static const struct tfp_attr pipe_restart_attrs[] = {
	{ .name = "days_of_week", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "MONDAY ... SUNDAY; every day by default." },
	{ .name = "start_hour", .type = &tfp_type_number,
	  .flags = TFP_REQUIRED, .desc = "The hour the window opens, 0-23." },
	{ .name = "time_zone_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "A Java time zone; UTC by default." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_run_as_attrs[] = {
	{ .name = "service_principal_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A service principal's application id." },
	{ .name = "user_name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "An active user's email." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_cron_attrs[] = {
	{ .name = "quartz_cron_schedule", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "A Quartz cron expression." },
	{ .name = "timezone_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "Its Java time zone." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_trigger_blocks[] = {
	{ .name = "cron", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_cron_attrs, .desc = "Run on a schedule." },
	{ .name = "manual", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_no_attrs, .desc = "Run when asked." },
	TFP_BLOCK_END
};

static const struct tfp_attr pipe_update_info_attrs[] = {
	{ .name = "creation_time", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .desc = "When the update started." },
	{ .name = "state", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The update's state." },
	{ .name = "update_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .desc = "The update's id." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_timeouts_attrs[] = {
	{ .name = "default", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = tfp_validate_duration,
	  .desc = "How long create, edit and delete may wait (20m)." },
	TFP_ATTR_END
};

static const struct tfp_attr pipe_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The pipeline's name." },
	{ .name = "allow_duplicate_names", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .desc = "Allow a name another pipeline has. Not returned by the "
		  "service." },
	{ .name = "budget_policy_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The budget policy." },
	{ .name = "usage_policy_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "The usage policy." },
	{ .name = "catalog", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The Unity Catalog catalog the pipeline publishes to "
		  "(not with storage); case does not matter." },
	{ .name = "schema", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The default schema (direct publishing; not with "
		  "target)." },
	{ .name = "target", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The database the output is published to (not with "
		  "schema)." },
	{ .name = "storage", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Where a Hive metastore pipeline keeps its data; the "
		  "service picks dbfs:/pipelines/<id> when left out. A "
		  "change replaces the pipeline." },
	{ .name = "root_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The pipeline's root folder, added to sys.path." },
	{ .name = "configuration", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Settings for the whole pipeline." },
	{ .name = "tags", .type = &tfp_type_map_string, .flags = TFP_OPTIONAL,
	  .desc = "Tags, forwarded to the clusters (25 at most)." },
	{ .name = "continuous", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Run continuously instead of when triggered." },
	{ .name = "development", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Development mode." },
	{ .name = "photon", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Use the Photon engine." },
	{ .name = "serverless", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Serverless compute (needs catalog)." },
	{ .name = "edition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "ADVANCED",
	  .validate = pipe_validate_edition,
	  .desc = "CORE, PRO or ADVANCED (the default), in any case." },
	{ .name = "channel", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "CURRENT",
	  .validate = pipe_validate_channel,
	  .desc = "The runtime channel: CURRENT (the default) or "
		  "PREVIEW." },
	{ .name = "expected_last_modified", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .desc = "An edit fails unless the pipeline was last modified at "
		  "this time (ms)." },
	{ .name = "last_modified", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "When the settings last changed (ms since the epoch)." },
	{ .name = "creator_user_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Who created the pipeline." },
	{ .name = "run_as_user_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "Who the pipeline runs as." },
	{ .name = "state", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "IDLE, RUNNING, FAILED, ... as of the last create, edit or "
		  "import." },
	{ .name = "health", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "HEALTHY or UNHEALTHY, as of the last create, edit or "
		  "import." },
	{ .name = "cause", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "Why the pipeline is in its state." },
	{ .name = "cluster_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The cluster of the running update, if any." },
	{ .name = "latest_updates", .nested = pipe_update_info_attrs,
	  .nesting = TFP_NEST_LIST, .flags = TFP_COMPUTED,
	  .desc = "The latest updates, newest first, as of the last create, "
		  "edit or import." },
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The pipeline's page in the workspace." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "pipeline_id",
	  .desc = "The pipeline's id: the import ID." },
	TFP_ATTR_END
};

static const struct tfp_block pipe_blocks[] = {
	{ .name = "cluster", .nesting = TFP_NEST_SET, .key = "label",
	  .json = "clusters", .attrs = pipe_cluster_attrs,
	  .blocks = pipe_cluster_blocks,
	  .desc = "The pipeline's clusters, matched by label." },
	{ .name = "library", .nesting = TFP_NEST_LIST, .json = "libraries",
	  .attrs = pipe_library_attrs, .blocks = pipe_library_blocks,
	  .desc = "The pipeline's code: each one notebook, file, glob, jar, "
		  "whl or maven." },
	{ .name = "notification", .nesting = TFP_NEST_LIST,
	  .json = "notifications", .attrs = pipe_notification_attrs,
	  .desc = "Who is told of which events." },
	{ .name = "deployment", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_deployment_attrs,
	  .desc = "How the pipeline is deployed." },
	{ .name = "environment", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_environment_attrs,
	  .desc = "Dependencies of a serverless pipeline." },
	{ .name = "event_log", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_event_log_attrs,
	  .desc = "A Unity Catalog table for the event log." },
	{ .name = "filters", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_filters_attrs,
	  .desc = "Which packages make the graph." },
	{ .name = "gateway_definition", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = pipe_gateway_attrs,
	  .blocks = pipe_gateway_blocks,
	  .desc = "A CDC gateway pipeline." },
	{ .name = "ingestion_definition", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = pipe_ingestion_attrs,
	  .blocks = pipe_ingestion_blocks,
	  .desc = "A managed ingestion pipeline." },
	{ .name = "restart_window", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_restart_attrs,
	  .desc = "When a continuous pipeline may be restarted." },
	{ .name = "run_as", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_run_as_attrs,
	  .desc = "Who the pipeline runs as (one of the two); its creator "
		  "by default." },
	{ .name = "trigger", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = pipe_no_attrs, .blocks = pipe_trigger_blocks,
	  .desc = "What starts updates." },
	{ .name = "timeouts", .nesting = TFP_NEST_SINGLE, .flags = TFP_NO_JSON,
	  .attrs = pipe_timeouts_attrs,
	  .desc = "How long to wait for the service." },
	TFP_BLOCK_END
};
/* clang-format on */

/* The arguments: what a create sends and an edit resends in full. */
static const char *const pipe_fields[] = {
	"name",		"allow_duplicate_names",
	"budget_policy_id",
	"usage_policy_id",
	"catalog",	"schema",
	"target",	"storage",
	"root_path",	"configuration",
	"tags",		"continuous",
	"development",	"photon",
	"serverless",	"edition",
	"channel",	"expected_last_modified",
	"cluster",	"library",
	"notification", "deployment",
	"environment",	"event_log",
	"filters",	"gateway_definition",
	"ingestion_definition",
	"restart_window",
	"run_as",	"trigger",
	NULL,
};

static const char *const pipe_folded[] = {"catalog", "edition", "channel",
					  NULL};

/* Values about runs, not settings: kept from the prior state. */
static const char *const pipe_run_fields[] = {
	"state", "health", "cause", "cluster_id", "latest_updates", NULL,
};

/* --- hooks ---------------------------------------------------------------- */

/* GET's {pipeline_id, spec: {...}, state, ...} as one flat object, with the
 * official provider's link. */
static int pipe_reshape(cJSON *json, struct tfp_call *call)
{
	cJSON *spec = cJSON_DetachItemFromObjectCaseSensitive(json, "spec");
	const char *id = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(json, "pipeline_id"));
	const char *host = tfp_rest_host(tfp_rest_of(call));
	cJSON *m;

	if (spec != NULL) {
		tfp_arena_defer_json(call->arena, spec);
		cJSON_ArrayForEach(m, spec)
		{
			if (m->string == NULL || strcmp(m->string, "id") == 0)
				continue;
			cJSON_DeleteItemFromObjectCaseSensitive(json,
								m->string);
			cJSON_AddItemToObject(json, m->string,
					      cJSON_Duplicate(m, true));
		}
	}
	if (id != NULL && host != NULL)
		cJSON_AddStringToObject(
			json, "url",
			tfp_arena_printf(call->arena,
					 "%s/#joblist/pipelines/%s", host, id));
	return TFP_OK;
}

/* Run-time values stay as the prior state has them when it has them. */
static void pipe_normalize(struct tfp_call *call, struct tfp_value *state,
			   const struct tfp_value *prior)
{
	const char *const *f;

	if (prior == NULL || !tfp_value_is_known(prior) ||
	    tfp_value_is_null(prior) ||
	    tfp_value_get_string(prior, "state") == NULL)
		return;
	for (f = pipe_run_fields; *f != NULL; f++) {
		const struct tfp_value *p = tfp_value_get(prior, *f);

		if (tfp_value_is_known(p))
			tfp_value_set(state, *f,
				      tfp_value_copy(call->arena, p));
	}
}

/* --- waits ---------------------------------------------------------------- */

static long pipe_wait_ms(const struct tfp_value *obj)
{
	const char *text =
		tfp_value_get_string(tfp_value_get(obj, "timeouts"), "default");
	int64_t ms = PIPE_WAIT_MS;

	if (text != NULL && tfp_parse_duration_ms(&ms, text) != TFP_OK)
		ms = PIPE_WAIT_MS; /* validate reported it */
	return (long)ms;
}

struct pipe_poll {
	const char *path;
	bool gone; /* wait for a 404 instead of RUNNING */
};

static int pipe_poll(struct tfp_call *call, void *payload)
{
	const struct pipe_poll *p = payload;
	const char *state, *cause;
	cJSON *json = NULL;
	int error;

	error = tfp_rest_get(&json, call, p->path, NULL);
	if (p->gone)
		return error == TFP_ENOTFOUND ? TFP_OK
		       : error < 0	      ? error
					      : TFP_WAIT_AGAIN;
	if (error < 0)
		return error;
	state = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(json, "state"));
	cause = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(json, "cause"));
	if (state != NULL && strcmp(state, "RUNNING") == 0)
		return TFP_OK;
	if (state != NULL && strcmp(state, "FAILED") == 0)
		return tfp_diag_error(
			call->diags, "Pipeline failed",
			"The continuous pipeline did not start: it is FAILED "
			"(%s). It stays in the Terraform state; fix the cause "
			"and apply again.",
			cause && *cause ? cause : "no cause given");
	return TFP_WAIT_AGAIN;
}

static int pipe_wait(struct tfp_call *call, const char *id,
		     const struct tfp_value *obj, bool gone)
{
	struct pipe_poll p = {
		.path = tfp_arena_printf(call->arena, PIPE_API "/%s",
					 tfp_rest_escape(call->arena, id)),
		.gone = gone,
	};
	const struct tfp_wait w = {
		.what = gone ? "the pipeline to be deleted"
			     : "the continuous pipeline to be RUNNING",
		.timeout_ms = pipe_wait_ms(obj),
		.first_ms = 250,
		.max_ms = 10000,
	};

	return tfp_wait_for(call, &w, pipe_poll, &p);
}

/* --- handlers ------------------------------------------------------------- */

/* A continuous pipeline runs once deployed: wait for it, and read it again
 * so the state shows it running. */
static int pipe_settle(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *plan)
{
	const char *id = tfp_value_get_string(*out, "id");
	struct tfp_value *fresh = NULL;
	int error;

	if (id == NULL || !tfp_value_get_bool(plan, "continuous", false))
		return TFP_OK;
	error = pipe_wait(call, id, plan, false);
	if (error < 0)
		return error;
	/* Re-read without the run-time values, so they are the new ones. */
	tfp_value_set(*out, "state",
		      tfp_value_unknown(call->arena, &tfp_type_string));
	error = tfp_rres_read(&fresh, call, *out);
	if (error == TFP_OK && fresh != NULL)
		*out = fresh;
	return error == TFP_ENOTFOUND ? TFP_OK : error;
}

static int pipe_create(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *plan)
{
	int error = tfp_rres_create(out, call, plan);

	if (error < 0 || *out == NULL)
		return error;
	return pipe_settle(out, call, plan);
}

static int pipe_update(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior,
		       const struct tfp_value *plan)
{
	int error = tfp_rres_update(out, call, prior, plan);

	if (error < 0 || *out == NULL)
		return error;
	return pipe_settle(out, call, plan);
}

static int pipe_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const char *id = tfp_value_get_string(prior, "id");
	int error = tfp_rres_delete(call, prior);

	if (error < 0 || id == NULL)
		return error;
	return pipe_wait(call, id, prior, true);
}

/*
 * storage left out: a Unity Catalog pipeline has none and never gets one,
 * and a Hive metastore pipeline keeps the one the service picked, so an
 * edit keeps the prior value, null included (the generic plan only keeps
 * a non-null one, and null -> unknown would replace the pipeline). A
 * pipeline leaving Unity Catalog gets its storage from the service.
 */
static int pipe_modify_plan(struct tfp_call *call,
			    const struct tfp_value *prior,
			    const struct tfp_value *config,
			    struct tfp_value *plan)
{
	const struct tfp_value *ps;

	if (prior == NULL || !tfp_value_is_known(prior) ||
	    tfp_value_is_null(prior) || !tfp_value_is_known(plan) ||
	    !tfp_value_is_null(tfp_value_get(config, "storage")))
		return TFP_OK;
	ps = tfp_value_get(prior, "storage");
	if (tfp_value_is_null(ps) &&
	    tfp_value_is_null(tfp_value_get(plan, "catalog")))
		return TFP_OK;
	tfp_value_set(plan, "storage", tfp_value_copy(call->arena, ps));
	return TFP_OK;
}

/* storage and catalog exclude each other, as target and schema do: said at
 * plan time instead of by the service. */
static int pipe_validate(struct tfp_call *call, const struct tfp_value *config)
{
	static const char *const pairs[][2] = {{"storage", "catalog"},
					       {"target", "schema"}};
	size_t i;
	int error = TFP_OK;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const struct tfp_value *a = tfp_value_get(config, pairs[i][0]);
		const struct tfp_value *b = tfp_value_get(config, pairs[i][1]);

		if (tfp_value_is_null(a) || tfp_value_is_null(b))
			continue;
		error = tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, pairs[i][1]),
			"Conflicting arguments",
			"%s and %s cannot both be set.", pairs[i][0],
			pairs[i][1]);
	}
	return error;
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres pipe_rres = {
	.what = "pipeline",
	.attrs = pipe_attrs,
	.blocks = pipe_blocks,
	.id_field = "pipeline_id",
	.import_form = "<pipeline_id>",
	.create = { .path = PIPE_API },
	.read = { .path = PIPE_API "/{id}" },
	.update = { .method = "PUT", .path = PIPE_API "/{id}",
		    .id_param = "pipeline_id" },
	.del = { .path = PIPE_API "/{id}" },
	.list = { .path = PIPE_API, .items = "statuses",
		  .id_field = "pipeline_id" },
	.create_fields = pipe_fields,
	.update_mode = TFP_RRES_FULL,
	.update_fields = pipe_fields,
	.folded = pipe_folded,
	.reshape = pipe_reshape,
	.normalize = pipe_normalize,
	.modify_plan = pipe_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_pipeline = {
	.type_name = "databricks_pipeline",
	.schema_version = 0,
	.attrs = pipe_attrs,
	.blocks = pipe_blocks,
	.desc = "A Lakeflow Declarative Pipeline (DLT): its code, clusters "
		"matched by label, and settings.",
	.create = pipe_create,
	.read = tfp_rres_read,
	.update = pipe_update,
	.delete = pipe_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.validate = pipe_validate,
	.data = &pipe_rres,
};
