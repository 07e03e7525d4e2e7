/*
 * Every resource and data source, in the order the schema lists them.
 */
#include "registry.h"

extern const struct tfp_resource tfp_resource_secret_scope;
extern const struct tfp_resource tfp_resource_secret;
extern const struct tfp_resource tfp_resource_secret_acl;
extern const struct tfp_resource tfp_resource_job;

const struct tfp_resource *const tfp_registry_resources[] = {
	&tfp_resource_secret_scope,
	&tfp_resource_secret,
	&tfp_resource_secret_acl,
	&tfp_resource_job,
};
const size_t tfp_registry_n_resources = TFP_ARRAY_SIZE(tfp_registry_resources);

extern const struct tfp_data_source tfp_data_source_job;
extern const struct tfp_data_source tfp_data_source_jobs;

const struct tfp_data_source *const tfp_registry_data_sources[] = {
	&tfp_data_source_job,
	&tfp_data_source_jobs,
};
const size_t tfp_registry_n_data_sources =
	TFP_ARRAY_SIZE(tfp_registry_data_sources);
