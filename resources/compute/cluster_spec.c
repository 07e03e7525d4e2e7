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
	TFP_ATTR_END
};

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

const struct tfp_block tfp_compute_cluster_spec_blocks[] = {
	TFP_CLUSTER_SPEC_BLOCKS,
	TFP_BLOCK_END
};

const struct tfp_attr tfp_compute_cluster_spec_attrs[] = {
	TFP_CLUSTER_SPEC_ATTRS(TFP_OPTIONAL, TFP_OPTIONAL, TFP_PLAN_DEFAULT),
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

static const struct tfp_attr library_maven_attrs[] = {
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
	{ .name = "jar", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The URI of a jar." },
	{ .name = "whl", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The URI of a Python wheel." },
	{ .name = "egg", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The URI of a Python egg (deprecated by Databricks)." },
	{ .name = "requirements", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The path of a requirements.txt file." },
	TFP_ATTR_END
};

#define LIBRARY_KINDS                                                          \
	{ .name = "pypi", .nesting = TFP_NEST_LIST, .max_items = 1,            \
	  .attrs = library_pypi_attrs, .desc = "A package from PyPI." },       \
	{ .name = "maven", .nesting = TFP_NEST_LIST, .max_items = 1,           \
	  .attrs = library_maven_attrs, .desc = "A Maven artifact." },         \
	{ .name = "cran", .nesting = TFP_NEST_LIST, .max_items = 1,            \
	  .attrs = library_cran_attrs, .desc = "A CRAN package." }

const struct tfp_block tfp_compute_library_blocks[] = {
	LIBRARY_KINDS,
	TFP_BLOCK_END
};

static const struct tfp_attr library_provider_config_attrs[] = {
	{ .name = "workspace_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The workspace the library belongs to (account-level "
		  "providers)." },
	TFP_ATTR_END
};

/* The official provider's policy libraries take provider_config, which no
 * API sees; the policy keeps it from its configuration. */
const struct tfp_block tfp_compute_policy_library_blocks[] = {
	LIBRARY_KINDS,
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_NO_JSON, .attrs = library_provider_config_attrs,
	  .desc = "Which workspace the library is for, when an account-level "
		  "provider manages the policy. Not sent to the workspace." },
	TFP_BLOCK_END
};

/* clang-format on */
