/*
 * The cluster specification shared by every resource that describes a
 * cluster: a job's job_cluster.new_cluster and task.new_cluster, and
 * databricks_cluster. It is the Clusters API's ClusterSpec with the
 * official provider's attribute names (official-provider-behaviour.md
 * §1.2). A job cluster's spec adds what the official provider's job
 * clusters accept (library, cluster_id, idempotency_token, ...; see
 * cluster_spec.c); databricks_cluster adds a standing cluster's fields.
 *
 * The tables are plain data for jsonmap.c: every field maps to the JSON
 * field of the same name, single objects (autoscale, aws_attributes,
 * docker_image, ...) are list blocks with max_items 1.
 *
 * The attributes are also a macro, because the two users differ in three
 * flags: a job cluster may leave spark_version to its policy while
 * databricks_cluster requires it (as the official provider does), and a
 * standing cluster keeps what the workspace chose for its computed fields
 * (node types, access mode, ...) across edits, so an edit resends them
 * instead of letting the workspace choose again.
 */
#ifndef TFP_CLUSTER_SPEC_H
#define TFP_CLUSTER_SPEC_H

#include "schema.h"

/*
 * The attribute entries of a cluster spec, for a table that adds its own:
 * spark_version and num_workers get the given flags, the optional+computed
 * attributes the given plan flags (enum tfp_plan_flag).
 */
/* clang-format off */
#define TFP_CLUSTER_SPEC_ATTRS(spark_version_flags, num_workers_flags,         \
			       computed_plan)                                  \
	{ .name = "cluster_name", .type = &tfp_type_string,                    \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "The cluster's name." },                                     \
	{ .name = "spark_version", .type = &tfp_type_string,                   \
	  .flags = (spark_version_flags),                                      \
	  .desc = "The Databricks Runtime version, e.g. "                      \
		  "\"15.4.x-scala2.12\"." },                                   \
	{ .name = "node_type_id", .type = &tfp_type_string,                    \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .plan = (computed_plan),       \
	  .desc = "The instance type of the workers (and of the driver, "      \
		  "unless driver_node_type_id is set), e.g. \"i3.xlarge\"." }, \
	{ .name = "driver_node_type_id", .type = &tfp_type_string,             \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .plan = (computed_plan),       \
	  .desc = "The instance type of the driver; node_type_id by "          \
		  "default." },                                                \
	{ .name = "num_workers", .type = &tfp_type_number,                     \
	  .flags = (num_workers_flags),                                        \
	  .desc = "The number of workers (0 for a single-node cluster). "      \
		  "Leave it out with autoscale." },                            \
	{ .name = "spark_conf", .type = &tfp_type_map_string,                  \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "Spark configuration key-value pairs." },                    \
	{ .name = "spark_env_vars", .type = &tfp_type_map_string,              \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "Environment variables set on every node." },                \
	{ .name = "custom_tags", .type = &tfp_type_map_string,                 \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "Tags added to the cloud resources of the cluster." },       \
	{ .name = "instance_pool_id", .type = &tfp_type_string,                \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "The instance pool the workers (and the driver, unless "     \
		  "driver_instance_pool_id is set) come from." },              \
	{ .name = "driver_instance_pool_id", .type = &tfp_type_string,         \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .plan = (computed_plan),       \
	  .desc = "The instance pool the driver comes from; "                  \
		  "instance_pool_id by default." },                            \
	{ .name = "policy_id", .type = &tfp_type_string,                       \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "The cluster policy the spec must satisfy." },               \
	{ .name = "apply_policy_default_values", .type = &tfp_type_bool,       \
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,                              \
	  .desc = "Take the policy's default values for the fields left "      \
		  "out. The workspace does not return it." },                  \
	{ .name = "data_security_mode", .type = &tfp_type_string,              \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .plan = (computed_plan),       \
	  .desc = "The access mode, e.g. SINGLE_USER, USER_ISOLATION, "        \
		  "NONE." },                                                   \
	{ .name = "single_user_name", .type = &tfp_type_string,                \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "The user (or group) allowed to use a SINGLE_USER "          \
		  "cluster." },                                                \
	{ .name = "runtime_engine", .type = &tfp_type_string,                  \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .plan = (computed_plan),       \
	  .desc = "STANDARD or PHOTON." },                                     \
	{ .name = "enable_elastic_disk", .type = &tfp_type_bool,               \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .plan = (computed_plan),       \
	  .desc = "Add disk space to the nodes when they run low." },          \
	{ .name = "enable_local_disk_encryption", .type = &tfp_type_bool,      \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .plan = (computed_plan),       \
	  .desc = "Encrypt the nodes' local disks." },                         \
	{ .name = "ssh_public_keys", .type = &tfp_type_list_string,            \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "Up to 10 SSH public keys for user ubuntu on every "         \
		  "node." },                                                   \
	{ .name = "remote_disk_throughput", .type = &tfp_type_number,          \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "The remote disks' throughput, in MiB/s (GCP)." },           \
	{ .name = "total_initial_remote_disk_size", .type = &tfp_type_number,  \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "The remote disks' total initial size, in GB (GCP)." }       \
/* clang-format on */

/* The compute kind and what it enables: a standing cluster's and a job
 * cluster's. */
/* clang-format off */
#define TFP_CLUSTER_KIND_ATTRS                                                 \
	{ .name = "kind", .type = &tfp_type_string, .flags = TFP_OPTIONAL,     \
	  .desc = "The kind of compute, e.g. CLASSIC_PREVIEW, which enables "  \
		  "is_single_node and use_ml_runtime." },                      \
	{ .name = "is_single_node", .type = &tfp_type_bool,                    \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "A single-node cluster (with kind = CLASSIC_PREVIEW)." },    \
	{ .name = "use_ml_runtime", .type = &tfp_type_bool,                    \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "Use the ML runtime of spark_version (with kind = "          \
		  "CLASSIC_PREVIEW)." }
/* clang-format on */

/** The attributes of a job cluster's spec; ends with TFP_ATTR_END. */
extern const struct tfp_attr tfp_compute_cluster_spec_attrs[];
/* The tables the spec's blocks are made of. */
extern const struct tfp_attr tfp_compute_cluster_autoscale_attrs[];
extern const struct tfp_attr tfp_compute_cluster_aws_attrs[];
extern const struct tfp_block tfp_compute_cluster_init_script_blocks[];
extern const struct tfp_block tfp_compute_cluster_log_conf_blocks[];
extern const struct tfp_attr tfp_compute_cluster_docker_attrs[];
extern const struct tfp_block tfp_compute_cluster_docker_blocks[];
extern const struct tfp_attr tfp_compute_cluster_azure_attrs[];
extern const struct tfp_block tfp_compute_cluster_azure_blocks[];
extern const struct tfp_attr tfp_compute_cluster_gcp_attrs[];
extern const struct tfp_attr tfp_compute_cluster_mount_attrs[];
extern const struct tfp_block tfp_compute_cluster_mount_blocks[];
extern const struct tfp_block tfp_compute_cluster_workload_blocks[];
extern const struct tfp_attr tfp_compute_cluster_no_attrs[];
/* provider_config's attributes (workspace_id): kept, never sent. */
extern const struct tfp_attr tfp_compute_provider_config_attrs[];

/* The block entries of a cluster spec, for a table that adds its own. */
/* clang-format off */
#define TFP_CLUSTER_SPEC_BLOCKS                                                \
	{ .name = "autoscale", .nesting = TFP_NEST_LIST, .max_items = 1,       \
	  .attrs = tfp_compute_cluster_autoscale_attrs,                        \
	  .desc = "Scale the number of workers between min_workers and "       \
		  "max_workers with the load, instead of num_workers." },      \
	{ .name = "aws_attributes", .nesting = TFP_NEST_LIST, .max_items = 1,  \
	  .flags = TFP_SERVER_FILLED, .attrs = tfp_compute_cluster_aws_attrs,  \
	  .desc = "AWS settings: spot or on-demand instances, zone, instance " \
		  "profile, EBS volumes." },                                   \
	{ .name = "init_scripts", .nesting = TFP_NEST_LIST, .max_items = 10,   \
	  .blocks = tfp_compute_cluster_init_script_blocks,                    \
	  .desc = "Scripts run on every node at start-up, in order; each "     \
		  "block names one script by exactly one of its locations." }, \
	{ .name = "cluster_log_conf", .nesting = TFP_NEST_LIST,                \
	  .max_items = 1, .blocks = tfp_compute_cluster_log_conf_blocks,       \
	  .desc = "Where to deliver driver and worker logs." },                \
	{ .name = "docker_image", .nesting = TFP_NEST_LIST, .max_items = 1,    \
	  .attrs = tfp_compute_cluster_docker_attrs,                           \
	  .blocks = tfp_compute_cluster_docker_blocks,                         \
	  .desc = "A custom container image for Databricks Container "         \
		  "Services." },                                               \
	{ .name = "azure_attributes", .nesting = TFP_NEST_LIST,                \
	  .max_items = 1, .flags = TFP_SERVER_FILLED,                          \
	  .attrs = tfp_compute_cluster_azure_attrs,                            \
	  .blocks = tfp_compute_cluster_azure_blocks,                          \
	  .desc = "Azure settings: spot or on-demand VMs, Log Analytics." },   \
	{ .name = "gcp_attributes", .nesting = TFP_NEST_LIST, .max_items = 1,  \
	  .flags = TFP_SERVER_FILLED, .attrs = tfp_compute_cluster_gcp_attrs,  \
	  .desc = "GCP settings: preemptible or on-demand VMs, zone, "        \
		  "service account, disks." },                                 \
	{ .name = "cluster_mount_info", .nesting = TFP_NEST_LIST,              \
	  .attrs = tfp_compute_cluster_mount_attrs,                            \
	  .blocks = tfp_compute_cluster_mount_blocks,                          \
	  .desc = "Network file systems mounted on the nodes." },             \
	{ .name = "workload_type", .nesting = TFP_NEST_LIST, .max_items = 1,   \
	  .attrs = tfp_compute_cluster_no_attrs,                               \
	  .blocks = tfp_compute_cluster_workload_blocks,                       \
	  .desc = "Which kinds of workloads may use the cluster." }
/* clang-format on */

/*
 * provider_config of the official provider's unified configurations: which
 * workspace the object (what, a string literal) is in. This provider
 * manages its own host's; the block is kept from the prior state and never
 * sent.
 */
/* clang-format off */
#define TFP_PROVIDER_CONFIG_BLOCK(what)                                        \
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1, \
	  .flags = TFP_NO_JSON | TFP_KEEP_PRIOR,                               \
	  .attrs = tfp_compute_provider_config_attrs,                          \
	  .desc = "Which workspace the " what " is in, for the official "      \
		  "provider's unified configurations. Not sent to the "        \
		  "workspace." }
/* clang-format on */

/** The nested blocks of a cluster spec; ends with TFP_BLOCK_END. */
extern const struct tfp_block tfp_compute_cluster_spec_blocks[];

/*
 * A library to install on a cluster (the Libraries API's Library, also a
 * job task's library): exactly one of jar, whl, egg, requirements, pypi,
 * maven and cran.
 */
extern const struct tfp_attr tfp_compute_library_attrs[];
/* Its attributes (the libraries given by a path), for a table that adds
 * its own (databricks_library's). */
/* clang-format off */
#define TFP_LIBRARY_FILE_ATTRS                                                 \
	{ .name = "jar", .type = &tfp_type_string, .flags = TFP_OPTIONAL,      \
	  .desc = "The URI of a jar." },                                       \
	{ .name = "whl", .type = &tfp_type_string, .flags = TFP_OPTIONAL,      \
	  .desc = "The URI of a Python wheel." },                              \
	{ .name = "egg", .type = &tfp_type_string, .flags = TFP_OPTIONAL,      \
	  .desc = "The URI of a Python egg (deprecated by Databricks)." },     \
	{ .name = "requirements", .type = &tfp_type_string,                    \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "The path of a requirements.txt file." }
/* clang-format on */
extern const struct tfp_block tfp_compute_library_blocks[];
/* A Maven artifact's attributes (coordinates, repo, exclusions): also a
 * pipeline library's. */
extern const struct tfp_attr tfp_compute_library_maven_attrs[];
/* The same, plus provider_config (TFP_NO_JSON): a cluster policy's. */
extern const struct tfp_block tfp_compute_policy_library_blocks[];

#endif
