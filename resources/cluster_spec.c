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

static const struct tfp_attr spec_autoscale_attrs[] = {
	{.name = "min_workers",
	 .type = &tfp_type_number,
	 .flags = TFP_OPTIONAL,
	 .desc = "The minimum number of workers the cluster scales down "
		 "to."},
	{.name = "max_workers",
	 .type = &tfp_type_number,
	 .flags = TFP_OPTIONAL,
	 .desc = "The maximum number of workers the cluster scales up to."},
	TFP_ATTR_END};

static const struct tfp_attr spec_aws_attrs[] = {
	{.name = "availability",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "SPOT, ON_DEMAND or SPOT_WITH_FALLBACK, for the workers "
		 "after the first_on_demand ones."},
	{.name = "first_on_demand",
	 .type = &tfp_type_number,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "How many nodes, the driver first, are on-demand "
		 "instances."},
	{.name = "zone_id",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "The availability zone, or \"auto\" to let the workspace "
		 "choose."},
	{.name = "instance_profile_arn",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "The instance profile the nodes run with."},
	{.name = "spot_bid_price_percent",
	 .type = &tfp_type_number,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "The maximum spot price, as a percentage of the on-demand "
		 "price."},
	{.name = "ebs_volume_type",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "GENERAL_PURPOSE_SSD or THROUGHPUT_OPTIMIZED_HDD."},
	{.name = "ebs_volume_count",
	 .type = &tfp_type_number,
	 .flags = TFP_OPTIONAL,
	 .desc = "The number of EBS volumes attached to each node."},
	{.name = "ebs_volume_size",
	 .type = &tfp_type_number,
	 .flags = TFP_OPTIONAL,
	 .desc = "The size of each EBS volume, in GiB."},
	TFP_ATTR_END};

static const struct tfp_attr spec_destination_attrs[] = {
	{.name = "destination",
	 .type = &tfp_type_string,
	 .flags = TFP_REQUIRED,
	 .desc = "The path of the file or directory."},
	TFP_ATTR_END};

static const struct tfp_attr spec_s3_attrs[] = {
	{.name = "destination",
	 .type = &tfp_type_string,
	 .flags = TFP_REQUIRED,
	 .desc = "The S3 URI, e.g. s3://bucket/path."},
	{.name = "region",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "The bucket's AWS region."},
	TFP_ATTR_END};

static const struct tfp_block spec_init_script_blocks[] = {
	{.name = "workspace",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_destination_attrs,
	 .desc = "A script stored as a workspace file."},
	{.name = "volumes",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_destination_attrs,
	 .desc = "A script stored in a Unity Catalog volume."},
	{.name = "s3",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_s3_attrs,
	 .desc = "A script stored in S3."},
	{.name = "dbfs",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .flags = TFP_DEPRECATED,
	 .attrs = spec_destination_attrs,
	 .desc = "A script stored in DBFS (deprecated by Databricks)."},
	{.name = "file",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_destination_attrs,
	 .desc = "A script on the nodes' local file system."},
	TFP_BLOCK_END};

static const struct tfp_block spec_log_conf_blocks[] = {
	{.name = "dbfs",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_destination_attrs,
	 .desc = "Deliver logs to DBFS."},
	{.name = "s3",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_s3_attrs,
	 .desc = "Deliver logs to S3."},
	{.name = "volumes",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_destination_attrs,
	 .desc = "Deliver logs to a Unity Catalog volume."},
	TFP_BLOCK_END};

static const struct tfp_attr spec_basic_auth_attrs[] = {
	{.name = "username",
	 .type = &tfp_type_string,
	 .flags = TFP_REQUIRED,
	 .desc = "The registry user name."},
	{.name = "password",
	 .type = &tfp_type_string,
	 .flags = TFP_REQUIRED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	 .desc = "The registry password. The workspace never returns it."},
	TFP_ATTR_END};

static const struct tfp_block spec_docker_blocks[] = {
	{.name = "basic_auth",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_basic_auth_attrs,
	 .desc = "Credentials for a private container registry."},
	TFP_BLOCK_END};

static const struct tfp_attr spec_docker_attrs[] = {
	{.name = "url",
	 .type = &tfp_type_string,
	 .flags = TFP_REQUIRED,
	 .desc = "The image URL, e.g. myrepo/image:tag."},
	TFP_ATTR_END};

/* --- the spec ------------------------------------------------------------- */

const struct tfp_block tfp_cluster_spec_blocks[] = {
	{.name = "autoscale",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_autoscale_attrs,
	 .desc = "Scale the number of workers between min_workers and "
		 "max_workers with the load, instead of num_workers."},
	{.name = "aws_attributes",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_aws_attrs,
	 .desc = "AWS settings: spot or on-demand instances, zone, instance "
		 "profile, EBS volumes."},
	{.name = "init_scripts",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 10,
	 .blocks = spec_init_script_blocks,
	 .desc = "Scripts run on every node at start-up, in order; each "
		 "block names one script by exactly one of its locations."},
	{.name = "cluster_log_conf",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .blocks = spec_log_conf_blocks,
	 .desc = "Where to deliver driver and worker logs."},
	{.name = "docker_image",
	 .nesting = TFP_NEST_LIST,
	 .max_items = 1,
	 .attrs = spec_docker_attrs,
	 .blocks = spec_docker_blocks,
	 .desc = "A custom container image for Databricks Container "
		 "Services."},
	TFP_BLOCK_END};

const struct tfp_attr tfp_cluster_spec_attrs[] = {
	{.name = "cluster_name",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "The cluster's name."},
	{.name = "spark_version",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "The Databricks Runtime version, e.g. "
		 "\"15.4.x-scala2.12\"."},
	{.name = "node_type_id",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "The instance type of the workers (and of the driver, "
		 "unless driver_node_type_id is set), e.g. \"i3.xlarge\"."},
	{.name = "driver_node_type_id",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "The instance type of the driver; node_type_id by "
		 "default."},
	{.name = "num_workers",
	 .type = &tfp_type_number,
	 .flags = TFP_OPTIONAL,
	 .desc = "The number of workers (0 for a single-node cluster). "
		 "Leave it out with autoscale."},
	{.name = "spark_conf",
	 .type = &tfp_type_map_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "Spark configuration key-value pairs."},
	{.name = "spark_env_vars",
	 .type = &tfp_type_map_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "Environment variables set on every node."},
	{.name = "custom_tags",
	 .type = &tfp_type_map_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "Tags added to the cloud resources of the cluster."},
	{.name = "instance_pool_id",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "The instance pool the workers (and the driver, unless "
		 "driver_instance_pool_id is set) come from."},
	{.name = "driver_instance_pool_id",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "The instance pool the driver comes from; "
		 "instance_pool_id by default."},
	{.name = "policy_id",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "The cluster policy the spec must satisfy."},
	{.name = "apply_policy_default_values",
	 .type = &tfp_type_bool,
	 .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	 .desc = "Take the policy's default values for the fields left "
		 "out. The workspace does not return it."},
	{.name = "data_security_mode",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "The access mode, e.g. SINGLE_USER, USER_ISOLATION, "
		 "NONE."},
	{.name = "single_user_name",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "The user (or group) allowed to use a SINGLE_USER "
		 "cluster."},
	{.name = "runtime_engine",
	 .type = &tfp_type_string,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "STANDARD or PHOTON."},
	{.name = "enable_elastic_disk",
	 .type = &tfp_type_bool,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "Add disk space to the nodes when they run low."},
	{.name = "enable_local_disk_encryption",
	 .type = &tfp_type_bool,
	 .flags = TFP_OPTIONAL | TFP_COMPUTED,
	 .desc = "Encrypt the nodes' local disks."},
	{.name = "ssh_public_keys",
	 .type = &tfp_type_list_string,
	 .flags = TFP_OPTIONAL,
	 .desc = "Up to 10 SSH public keys for user ubuntu on every "
		 "node."},
	TFP_ATTR_END};

/* clang-format on */
