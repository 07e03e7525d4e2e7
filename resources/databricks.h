/*
 * The Databricks provider as the framework sees it: one definition
 * (provider.h) with the provider block, its configure and every resource
 * and data source. main.c serves it; tests build providers from it.
 */
#ifndef TFP_DATABRICKS_H
#define TFP_DATABRICKS_H

#include "provider.h"

extern const struct tfp_provider_def tfp_databricks_provider;

/* provider_flags of the Databricks types. */
enum {
	/* Managed through the account API (mws_*, account-level Unity
	 * Catalog): needs a provider whose host is the account console. */
	TFP_DATABRICKS_ACCOUNT = 1 << 0,
	/* Managed through either API, picked by the provider's level (Unity
	 * Catalog metastores: tfp_rres.account); an account-level provider
	 * needs its account_id. */
	TFP_DATABRICKS_ANY_LEVEL = 1 << 1,
};

/** The provider block's schema table (tfp_databricks_provider's). */
#define tfp_databricks_config_attrs (tfp_databricks_provider.config_attrs)

struct tfp_diags;
struct tfp_path;
struct tfp_rest_not_found;
struct tfp_value;

/**
 * The families' not-found tables (tfp_rest_config.not_found): a list of
 * tables, each ending with .path NULL, the list ending with NULL. Static;
 * dbx_configure gives it to every client it makes, and tests that need the
 * workspace's quirks give it to theirs.
 */
extern const struct tfp_rest_not_found *const tfp_databricks_not_found[];

/**
 * A tfp_validate_fn for principal arguments (ACLs, grants): a non-empty
 * user, group or service principal name.
 */
int tfp_validate_principal(struct tfp_diags *d, const struct tfp_path *path,
			   const struct tfp_value *v);

/**
 * tfp_validate_fns for AWS ARNs, as the official provider checks them: six
 * ':'-separated sections, the first "arn", the last starting with
 * "instance-profile" (an instance profile) or "role" (an IAM role; ""
 * also passes, for "no role").
 */
int tfp_validate_instance_profile_arn(struct tfp_diags *d,
				      const struct tfp_path *path,
				      const struct tfp_value *v);
int tfp_validate_iam_role_arn(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v);

#endif
