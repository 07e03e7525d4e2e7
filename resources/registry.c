/*
 * Every resource and data source, in the order the schema lists them.
 * Both lists end with NULL; the counts leave it out.
 */
#include "registry.h"

extern const struct tfp_resource tfp_resource_secret_scope;
extern const struct tfp_resource tfp_resource_secret;
extern const struct tfp_resource tfp_resource_secret_acl;
extern const struct tfp_resource tfp_resource_job;
extern const struct tfp_resource tfp_resource_cluster;
extern const struct tfp_resource tfp_resource_cluster_policy;
extern const struct tfp_resource tfp_resource_catalog;
extern const struct tfp_resource tfp_resource_schema;
extern const struct tfp_resource tfp_resource_volume;
extern const struct tfp_resource tfp_resource_sql_table;
extern const struct tfp_resource tfp_resource_system_schema;
extern const struct tfp_resource tfp_resource_workspace_binding;
extern const struct tfp_resource tfp_resource_registered_model;
extern const struct tfp_resource tfp_resource_artifact_allowlist;
extern const struct tfp_resource tfp_resource_connection;
extern const struct tfp_resource tfp_resource_storage_credential;
extern const struct tfp_resource tfp_resource_external_location;
extern const struct tfp_resource tfp_resource_grants;
extern const struct tfp_resource tfp_resource_grant;
extern const struct tfp_resource tfp_resource_mws_credentials;
extern const struct tfp_resource tfp_resource_mws_storage_configurations;
extern const struct tfp_resource tfp_resource_mws_networks;
extern const struct tfp_resource tfp_resource_mws_workspaces;
extern const struct tfp_resource tfp_resource_mws_vpc_endpoint;
extern const struct tfp_resource tfp_resource_mws_private_access_settings;
extern const struct tfp_resource tfp_resource_mws_customer_managed_keys;
extern const struct tfp_resource tfp_resource_mws_log_delivery;
extern const struct tfp_resource tfp_resource_mws_permission_assignment;
extern const struct tfp_resource tfp_resource_service_principal_secret;
extern const struct tfp_resource tfp_resource_metastore;
extern const struct tfp_resource tfp_resource_metastore_assignment;
extern const struct tfp_resource tfp_resource_metastore_data_access;
extern const struct tfp_resource tfp_resource_token;
extern const struct tfp_resource tfp_resource_obo_token;
extern const struct tfp_resource tfp_resource_permissions;
extern const struct tfp_resource tfp_resource_user;
extern const struct tfp_resource tfp_resource_group;
extern const struct tfp_resource tfp_resource_service_principal;
extern const struct tfp_resource tfp_resource_group_member;
extern const struct tfp_resource tfp_resource_entitlements;
extern const struct tfp_resource tfp_resource_user_role;
extern const struct tfp_resource tfp_resource_group_role;
extern const struct tfp_resource tfp_resource_service_principal_role;
extern const struct tfp_resource tfp_resource_dbfs_file;
extern const struct tfp_resource tfp_resource_global_init_script;
extern const struct tfp_resource tfp_resource_directory;
extern const struct tfp_resource tfp_resource_git_credential;
extern const struct tfp_resource tfp_resource_repo;
extern const struct tfp_resource tfp_resource_notebook;
extern const struct tfp_resource tfp_resource_workspace_file;
extern const struct tfp_resource tfp_resource_library;
extern const struct tfp_resource tfp_resource_pipeline;
extern const struct tfp_resource tfp_resource_instance_pool;
extern const struct tfp_resource tfp_resource_instance_profile;
extern const struct tfp_resource tfp_resource_group_instance_profile;
extern const struct tfp_resource tfp_resource_workspace_conf;
extern const struct tfp_resource tfp_resource_ip_access_list;
extern const struct tfp_resource tfp_resource_default_namespace_setting;
extern const struct tfp_resource tfp_resource_restrict_workspace_admins_setting;
extern const struct tfp_resource tfp_resource_disable_legacy_dbfs_setting;
extern const struct tfp_resource tfp_resource_disable_legacy_access_setting;
extern const struct tfp_resource
	tfp_resource_automatic_cluster_update_workspace_setting;
extern const struct tfp_resource tfp_resource_sql_endpoint;
extern const struct tfp_resource tfp_resource_sql_global_config;

const struct tfp_resource *const tfp_registry_resources[] = {
	&tfp_resource_secret_scope,
	&tfp_resource_secret,
	&tfp_resource_secret_acl,
	&tfp_resource_job,
	&tfp_resource_cluster,
	&tfp_resource_cluster_policy,
	&tfp_resource_catalog,
	&tfp_resource_schema,
	&tfp_resource_volume,
	&tfp_resource_sql_table,
	&tfp_resource_system_schema,
	&tfp_resource_workspace_binding,
	&tfp_resource_registered_model,
	&tfp_resource_artifact_allowlist,
	&tfp_resource_connection,
	&tfp_resource_storage_credential,
	&tfp_resource_external_location,
	&tfp_resource_grants,
	&tfp_resource_grant,
	&tfp_resource_mws_credentials,
	&tfp_resource_mws_storage_configurations,
	&tfp_resource_mws_networks,
	&tfp_resource_mws_workspaces,
	&tfp_resource_mws_vpc_endpoint,
	&tfp_resource_mws_private_access_settings,
	&tfp_resource_mws_customer_managed_keys,
	&tfp_resource_mws_log_delivery,
	&tfp_resource_mws_permission_assignment,
	&tfp_resource_service_principal_secret,
	&tfp_resource_metastore,
	&tfp_resource_metastore_assignment,
	&tfp_resource_metastore_data_access,
	&tfp_resource_token,
	&tfp_resource_obo_token,
	&tfp_resource_permissions,
	&tfp_resource_user,
	&tfp_resource_group,
	&tfp_resource_service_principal,
	&tfp_resource_group_member,
	&tfp_resource_entitlements,
	&tfp_resource_user_role,
	&tfp_resource_group_role,
	&tfp_resource_service_principal_role,
	&tfp_resource_dbfs_file,
	&tfp_resource_global_init_script,
	&tfp_resource_directory,
	&tfp_resource_git_credential,
	&tfp_resource_repo,
	&tfp_resource_notebook,
	&tfp_resource_workspace_file,
	&tfp_resource_library,
	&tfp_resource_pipeline,
	&tfp_resource_instance_pool,
	&tfp_resource_instance_profile,
	&tfp_resource_group_instance_profile,
	&tfp_resource_workspace_conf,
	&tfp_resource_ip_access_list,
	&tfp_resource_default_namespace_setting,
	&tfp_resource_restrict_workspace_admins_setting,
	&tfp_resource_disable_legacy_dbfs_setting,
	&tfp_resource_disable_legacy_access_setting,
	&tfp_resource_automatic_cluster_update_workspace_setting,
	&tfp_resource_sql_endpoint,
	&tfp_resource_sql_global_config,
	NULL,
};
const size_t tfp_registry_n_resources =
	TFP_ARRAY_SIZE(tfp_registry_resources) - 1;

extern const struct tfp_data_source tfp_data_source_dbfs_file;
extern const struct tfp_data_source tfp_data_source_dbfs_file_paths;
extern const struct tfp_data_source tfp_data_source_notebook;
extern const struct tfp_data_source tfp_data_source_notebook_paths;
extern const struct tfp_data_source tfp_data_source_directory;
extern const struct tfp_data_source tfp_data_source_job;
extern const struct tfp_data_source tfp_data_source_jobs;
extern const struct tfp_data_source tfp_data_source_spark_version;
extern const struct tfp_data_source tfp_data_source_node_type;
extern const struct tfp_data_source tfp_data_source_clusters;
extern const struct tfp_data_source tfp_data_source_cluster;
extern const struct tfp_data_source tfp_data_source_cluster_policy;
extern const struct tfp_data_source tfp_data_source_current_user;
extern const struct tfp_data_source tfp_data_source_group;
extern const struct tfp_data_source tfp_data_source_user;
extern const struct tfp_data_source tfp_data_source_users;
extern const struct tfp_data_source tfp_data_source_service_principal;
extern const struct tfp_data_source tfp_data_source_service_principals;
extern const struct tfp_data_source tfp_data_source_aws_crossaccount_policy;
extern const struct tfp_data_source tfp_data_source_aws_assume_role_policy;
extern const struct tfp_data_source tfp_data_source_aws_bucket_policy;
extern const struct tfp_data_source tfp_data_source_aws_unity_catalog_policy;
extern const struct tfp_data_source tfp_data_source_aws_unity_catalog_assume_role_policy;
extern const struct tfp_data_source tfp_data_source_mws_workspaces;
extern const struct tfp_data_source tfp_data_source_mws_credentials;
extern const struct tfp_data_source tfp_data_source_current_metastore;
extern const struct tfp_data_source tfp_data_source_metastore;
extern const struct tfp_data_source tfp_data_source_metastores;
extern const struct tfp_data_source tfp_data_source_table;
extern const struct tfp_data_source tfp_data_source_tables;
extern const struct tfp_data_source tfp_data_source_views;
extern const struct tfp_data_source tfp_data_source_volume;
extern const struct tfp_data_source tfp_data_source_volumes;
extern const struct tfp_data_source tfp_data_source_catalog;
extern const struct tfp_data_source tfp_data_source_catalogs;
extern const struct tfp_data_source tfp_data_source_schema;
extern const struct tfp_data_source tfp_data_source_schemas;
extern const struct tfp_data_source tfp_data_source_external_location;
extern const struct tfp_data_source tfp_data_source_external_locations;
extern const struct tfp_data_source tfp_data_source_storage_credential;
extern const struct tfp_data_source tfp_data_source_storage_credentials;
extern const struct tfp_data_source tfp_data_source_pipelines;
extern const struct tfp_data_source tfp_data_source_instance_pool;
extern const struct tfp_data_source tfp_data_source_instance_profiles;
extern const struct tfp_data_source tfp_data_source_sql_warehouse;
extern const struct tfp_data_source tfp_data_source_sql_warehouses;

const struct tfp_data_source *const tfp_registry_data_sources[] = {
	&tfp_data_source_job,
	&tfp_data_source_jobs,
	&tfp_data_source_spark_version,
	&tfp_data_source_node_type,
	&tfp_data_source_clusters,
	&tfp_data_source_cluster,
	&tfp_data_source_cluster_policy,
	&tfp_data_source_current_user,
	&tfp_data_source_group,
	&tfp_data_source_user,
	&tfp_data_source_users,
	&tfp_data_source_service_principal,
	&tfp_data_source_service_principals,
	&tfp_data_source_aws_crossaccount_policy,
	&tfp_data_source_aws_assume_role_policy,
	&tfp_data_source_aws_bucket_policy,
	&tfp_data_source_aws_unity_catalog_policy,
	&tfp_data_source_aws_unity_catalog_assume_role_policy,
	&tfp_data_source_mws_workspaces,
	&tfp_data_source_mws_credentials,
	&tfp_data_source_current_metastore,
	&tfp_data_source_metastore,
	&tfp_data_source_metastores,
	&tfp_data_source_table,
	&tfp_data_source_tables,
	&tfp_data_source_views,
	&tfp_data_source_volume,
	&tfp_data_source_volumes,
	&tfp_data_source_catalog,
	&tfp_data_source_catalogs,
	&tfp_data_source_schema,
	&tfp_data_source_schemas,
	&tfp_data_source_external_location,
	&tfp_data_source_external_locations,
	&tfp_data_source_storage_credential,
	&tfp_data_source_storage_credentials,
	&tfp_data_source_dbfs_file,
	&tfp_data_source_dbfs_file_paths,
	&tfp_data_source_notebook,
	&tfp_data_source_notebook_paths,
	&tfp_data_source_directory,
	&tfp_data_source_pipelines,
	&tfp_data_source_instance_pool,
	&tfp_data_source_instance_profiles,
	&tfp_data_source_sql_warehouse,
	&tfp_data_source_sql_warehouses,
	NULL,
};
const size_t tfp_registry_n_data_sources =
	TFP_ARRAY_SIZE(tfp_registry_data_sources) - 1;
