/*
 * The cluster spec tables (cluster_spec.h): ClusterSpec of the Clusters
 * API, as the jobs API takes it in new_cluster.
 *
 * Quirks that explain the flags:
 *  - The workspace fills node_type_id, driver_node_type_id,
 *    driver_instance_pool_id, data_security_mode, runtime_engine,
 *    enable_elastic_disk, enable_local_disk_encryption and parts of
 *    aws_attributes when they are left out, so they are optional and
 *    computed: what it chose is not drift.
 *  - apply_policy_default_values and docker_image's password are accepted
 *    but never returned, so reads keep the prior value.
 *  - num_workers is optional only: a cluster with autoscale has none.
 */
#include "cluster_spec.h"

/* The tables are aligned by hand, a few fields a line, like every table. */
/* clang-format off */

/* --- nested blocks -------------------------------------------------------- */

const struct tfp_attr tfp_compute_cluster_autoscale_attrs[] = {
	{ .name = "min_workers", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The minimum number of workers the cluster scales down "
		  "to." },
	{ .name = "max_workers", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The maximum number of workers the cluster scales up to." },
	TFP_ATTR_END
};

const struct tfp_attr tfp_compute_cluster_aws_attrs[] = {
	{ .name = "availability", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "SPOT, ON_DEMAND or SPOT_WITH_FALLBACK, for the workers "
		  "after the first_on_demand ones." },
	{ .name = "first_on_demand", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "How many nodes, the driver first, are on-demand "
		  "instances." },
	{ .name = "zone_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The availability zone, or \"auto\" to let the workspace "
		  "choose." },
	{ .name = "instance_profile_arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The instance profile the nodes run with." },
	{ .name = "spot_bid_price_percent", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The maximum spot price, as a percentage of the on-demand "
		  "price." },
	{ .name = "ebs_volume_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "GENERAL_PURPOSE_SSD or THROUGHPUT_OPTIMIZED_HDD." },
	{ .name = "ebs_volume_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The number of EBS volumes attached to each node." },
	{ .name = "ebs_volume_size", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The size of each EBS volume, in GiB." },
	{ .name = "ebs_volume_iops", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The IOPS of each gp3 EBS volume." },
	{ .name = "ebs_volume_throughput", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The throughput of each gp3 EBS volume, in MiB/s." },
	TFP_ATTR_END
};

static const struct tfp_attr spec_log_analytics_attrs[] = {
	{ .name = "log_analytics_primary_key", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_SENSITIVE,
	  .desc = "The Log Analytics workspace's primary key." },
	{ .name = "log_analytics_workspace_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Log Analytics workspace's ID." },
	TFP_ATTR_END
};

const struct tfp_block tfp_compute_cluster_azure_blocks[] = {
	{ .name = "log_analytics_info", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = spec_log_analytics_attrs,
	  .desc = "Send the cluster's logs to Azure Log Analytics." },
	TFP_BLOCK_END
};

const struct tfp_attr tfp_compute_cluster_azure_attrs[] = {
	{ .name = "availability", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "SPOT_AZURE, ON_DEMAND_AZURE or "
		  "SPOT_WITH_FALLBACK_AZURE." },
	{ .name = "first_on_demand", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "How many nodes, the driver first, are on-demand." },
	{ .name = "spot_bid_max_price", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The maximum spot price in US dollars; -1: the on-demand "
		  "price." },
	TFP_ATTR_END
};

const struct tfp_attr tfp_compute_cluster_gcp_attrs[] = {
	{ .name = "availability", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "PREEMPTIBLE_GCP, ON_DEMAND_GCP or "
		  "PREEMPTIBLE_WITH_FALLBACK_GCP." },
	{ .name = "boot_disk_size", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The boot disk size of each node, in GB." },
	{ .name = "first_on_demand", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "How many nodes, the driver first, are on-demand." },
	{ .name = "google_service_account", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Google service account the nodes run as." },
	{ .name = "local_ssd_count", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The number of local SSDs attached to each node." },
	{ .name = "use_preemptible_executors", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_DEPRECATED,
	  .desc = "Preemptible workers (deprecated: use availability)." },
	{ .name = "zone_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The zone, HA or AUTO." },
	TFP_ATTR_END
};

static const struct tfp_attr spec_nfs_attrs[] = {
	{ .name = "server_address", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The NFS server's address." },
	{ .name = "mount_options", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Options passed to mount." },
	TFP_ATTR_END
};

const struct tfp_block tfp_compute_cluster_mount_blocks[] = {
	{ .name = "network_filesystem_info", .nesting = TFP_NEST_LIST,
	  .min_items = 1, .max_items = 1, .attrs = spec_nfs_attrs,
	  .desc = "The network file system to mount." },
	TFP_BLOCK_END
};

const struct tfp_attr tfp_compute_cluster_mount_attrs[] = {
	{ .name = "local_mount_dir_path", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "Where it is mounted on the nodes." },
	{ .name = "remote_mount_dir_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The directory of the file system to mount." },
	TFP_ATTR_END
};

static const struct tfp_attr spec_workload_clients_attrs[] = {
	{ .name = "jobs", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Jobs may run on the cluster." },
	{ .name = "notebooks", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Notebooks may attach to the cluster." },
	TFP_ATTR_END
};

const struct tfp_block tfp_compute_cluster_workload_blocks[] = {
	{ .name = "clients", .nesting = TFP_NEST_LIST, .min_items = 1,
	  .max_items = 1, .attrs = spec_workload_clients_attrs,
	  .desc = "Which clients may use the cluster." },
	TFP_BLOCK_END
};

const struct tfp_attr tfp_compute_cluster_no_attrs[] = { TFP_ATTR_END };

static const struct tfp_attr spec_destination_attrs[] = {
	{ .name = "destination", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The path of the file or directory." },
	TFP_ATTR_END
};

static const struct tfp_attr spec_s3_attrs[] = {
	{ .name = "destination", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The S3 URI, e.g. s3://bucket/path." },
	{ .name = "region", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The bucket's AWS region." },
	{ .name = "endpoint", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The S3 endpoint, instead of the region's." },
	{ .name = "enable_encryption", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Encrypt what is written (server-side)." },
	{ .name = "encryption_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "sse-s3 or sse-kms." },
	{ .name = "kms_key", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The KMS key of sse-kms." },
	{ .name = "canned_acl", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The canned ACL of written objects, e.g. "
		  "bucket-owner-full-control." },
	TFP_ATTR_END
};

const struct tfp_block tfp_compute_cluster_init_script_blocks[] = {
	{ .name = "workspace", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_destination_attrs,
	  .desc = "A script stored as a workspace file." },
	{ .name = "volumes", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_destination_attrs,
	  .desc = "A script stored in a Unity Catalog volume." },
	{ .name = "s3", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_s3_attrs,
	  .desc = "A script stored in S3." },
	{ .name = "dbfs", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_DEPRECATED, .attrs = spec_destination_attrs,
	  .desc = "A script stored in DBFS (deprecated by Databricks)." },
	{ .name = "file", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_destination_attrs,
	  .desc = "A script on the nodes' local file system." },
	{ .name = "abfss", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_destination_attrs,
	  .desc = "A script in Azure Data Lake Storage (abfss://...)." },
	{ .name = "gcs", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_destination_attrs,
	  .desc = "A script in Google Cloud Storage (gs://...)." },
	TFP_BLOCK_END
};

const struct tfp_block tfp_compute_cluster_log_conf_blocks[] = {
	{ .name = "dbfs", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_destination_attrs,
	  .desc = "Deliver logs to DBFS." },
	{ .name = "s3", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_s3_attrs,
	  .desc = "Deliver logs to S3." },
	{ .name = "volumes", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_destination_attrs,
	  .desc = "Deliver logs to a Unity Catalog volume." },
	TFP_BLOCK_END
};

static const struct tfp_attr spec_basic_auth_attrs[] = {
	{ .name = "username", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The registry user name." },
	{ .name = "password", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .desc = "The registry password. The workspace never returns it." },
	TFP_ATTR_END
};

const struct tfp_block tfp_compute_cluster_docker_blocks[] = {
	{ .name = "basic_auth", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = spec_basic_auth_attrs,
	  .desc = "Credentials for a private container registry." },
	TFP_BLOCK_END
};

const struct tfp_attr tfp_compute_cluster_docker_attrs[] = {
	{ .name = "url", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The image URL, e.g. myrepo/image:tag." },
	TFP_ATTR_END
};

/* --- the spec ------------------------------------------------------------- */

/*
 * A job cluster's spec: ClusterSpec, plus what the official provider takes
 * because its job clusters are its standing cluster's structure: libraries,
 * cluster_id, idempotency_token and the policy allow-list are sent as it
 * sends them, and kept from the prior state when the workspace does not
 * echo them (the Jobs API's ClusterSpec has none of them); provider_config
 * is the provider's own and never sent.
 */
const struct tfp_block tfp_compute_cluster_spec_blocks[] = {
	TFP_CLUSTER_SPEC_BLOCKS,
	{ .name = "library", .nesting = TFP_NEST_SET, .json = "libraries",
	  .flags = TFP_KEEP_PRIOR, .attrs = tfp_compute_library_attrs,
	  .blocks = tfp_compute_policy_library_blocks,
	  .desc = "A library for the cluster, as the official provider's job "
		  "clusters take it; task libraries are the task's library "
		  "blocks." },
	TFP_PROVIDER_CONFIG_BLOCK("cluster"),
	TFP_BLOCK_END
};

const struct tfp_attr tfp_compute_cluster_spec_attrs[] = {
	TFP_CLUSTER_SPEC_ATTRS(TFP_OPTIONAL, TFP_OPTIONAL, TFP_PLAN_DEFAULT),
	TFP_CLUSTER_KIND_ATTRS,
	{ .name = "cluster_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .desc = "Accepted as the official provider does; a job cluster is "
		  "made for each run and has no ID of its own beforehand." },
	{ .name = "idempotency_token", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .desc = "Accepted as the official provider does; each run makes "
		  "its own cluster." },
	{ .name = "__apply_policy_default_values_allow_list",
	  .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .desc = "The fields that take the policy's default values "
		  "(apply_policy_default_values restricted to them)." },
	TFP_ATTR_END
};

/* --- libraries ------------------------------------------------------------ */

static const struct tfp_attr library_pypi_attrs[] = {
	{ .name = "package", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The package, with an optional version spec." },
	{ .name = "repo", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The index URL; PyPI by default." },
	TFP_ATTR_END
};

const struct tfp_attr tfp_compute_library_maven_attrs[] = {
	{ .name = "coordinates", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "groupId:artifactId:version." },
	{ .name = "repo", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The repository URL; Maven Central by default." },
	{ .name = "exclusions", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Dependencies to leave out, as groupId:artifactId." },
	TFP_ATTR_END
};

static const struct tfp_attr library_cran_attrs[] = {
	{ .name = "package", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The CRAN package." },
	{ .name = "repo", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The repository URL; the default mirror by default." },
	TFP_ATTR_END
};

const struct tfp_attr tfp_compute_library_attrs[] = {
	TFP_LIBRARY_FILE_ATTRS,
	TFP_ATTR_END
};

#define LIBRARY_KINDS                                                          \
	{ .name = "pypi", .nesting = TFP_NEST_LIST, .max_items = 1,            \
	  .attrs = library_pypi_attrs, .desc = "A package from PyPI." },       \
	{ .name = "maven", .nesting = TFP_NEST_LIST, .max_items = 1,           \
	  .attrs = tfp_compute_library_maven_attrs, .desc = "A Maven artifact." },         \
	{ .name = "cran", .nesting = TFP_NEST_LIST, .max_items = 1,            \
	  .attrs = library_cran_attrs, .desc = "A CRAN package." }

const struct tfp_block tfp_compute_library_blocks[] = {
	LIBRARY_KINDS,
	TFP_BLOCK_END
};

const struct tfp_attr tfp_compute_provider_config_attrs[] = {
	{ .name = "workspace_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The workspace the library belongs to (account-level "
		  "providers)." },
	TFP_ATTR_END
};

/* The official provider's policy and job task libraries take
 * provider_config, which no API sees; reads keep it from the prior state
 * (a policy also from its configuration). */
const struct tfp_block tfp_compute_policy_library_blocks[] = {
	LIBRARY_KINDS,
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_NO_JSON | TFP_KEEP_PRIOR,
	  .attrs = tfp_compute_provider_config_attrs,
	  .desc = "Which workspace the library is for, when an account-level "
		  "provider manages the policy. Not sent to the workspace." },
	TFP_BLOCK_END
};

/* clang-format on */
