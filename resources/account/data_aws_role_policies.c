/*
 * Data sources databricks_aws_assume_role_policy and
 * databricks_aws_bucket_policy: the trust policy of a workspace's
 * cross-account role (or of the billable usage delivery role), and the S3
 * bucket policy that lets Databricks use a bucket (a workspace's root
 * bucket).
 *
 * No REST endpoint: the documents come from the arguments alone (.local).
 *
 * Quirks that explain the code:
 *  - The assume role policy trusts the root of Databricks' AWS account
 *    for the partition, or with for_log_delivery the usage delivery role;
 *    the deprecated databricks_account_id replaces Databricks' account
 *    (it is an AWS account id, whatever its name says).
 *  - The bucket policy ignores databricks_account_id: the official
 *    provider still accepts it but no longer uses it. Its "Action" list
 *    and "Resource" pair follow the official order; full_access_role
 *    replaces the principal; databricks_e2_account_id adds a condition on
 *    the caller's DatabricksAccountId tag (the "confused deputy" guard).
 *  - The ids are the external_id and the bucket name, as the official
 *    provider sets them.
 */
#include <string.h>
#include "account_internal.h"
#include "arena.h"
#include "schema.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr arp_attrs[] = {
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The external id Databricks presents when it assumes the "
		  "role: your Databricks account id (top right of the "
		  "account console)." },
	{ .name = "aws_partition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "aws",
	  .validate = tfp_account__validate_partition,
	  .desc = "The AWS partition: \"aws\" (the default), \"aws-us-gov\" "
		  "or \"aws-us-gov-dod\"." },
	{ .name = "for_log_delivery", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Trust Databricks' billable usage delivery role instead of "
		  "its whole AWS account (false by default)." },
	{ .name = "databricks_account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "The AWS account to trust instead of Databricks' own. "
		  "Deprecated: it will be removed in the next major "
		  "release." },
	{ .name = "json", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The assume role (trust) policy document, as JSON text." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The external_id." },
	TFP_ATTR_END
};

static const struct tfp_attr bkt_attrs[] = {
	{ .name = "bucket", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_account__validate_bucket,
	  .desc = "The name of the S3 bucket the policy is for; it must "
		  "follow the S3 bucket naming rules." },
	{ .name = "aws_partition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "aws",
	  .validate = tfp_account__validate_partition,
	  .desc = "The AWS partition: \"aws\" (the default), \"aws-us-gov\" "
		  "or \"aws-us-gov-dod\"." },
	{ .name = "full_access_role", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The ARN of a data access role to grant the bucket's "
		  "access to, instead of Databricks' AWS account." },
	{ .name = "databricks_e2_account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Your Databricks account id: when set, only requests made "
		  "for this account are allowed (a condition on the "
		  "DatabricksAccountId principal tag), as a root bucket "
		  "should have." },
	{ .name = "databricks_account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "Ignored. Deprecated: it will be removed in the next major "
		  "release." },
	{ .name = "json", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The bucket policy document, as JSON text." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The bucket name." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const bkt_actions[] = {
	"s3:GetObject",	   "s3:GetObjectVersion", "s3:PutObject",
	"s3:DeleteObject", "s3:ListBucket",	  "s3:GetBucketLocation",
};

/* --- pure functions ------------------------------------------------------- */

/* The partition of a config whose aws_partition passed validation (null
 * means the default, "aws"). */
static const struct tfp_account_partition *
role_partition(const struct tfp_value *config)
{
	const char *name = tfp_value_get_string(config, "aws_partition");

	return tfp_account__partition(name != NULL ? name : "aws");
}

/* --- handlers ------------------------------------------------------------- */

static int arp_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const struct tfp_account_partition *part;
	const char *ext = tfp_value_get_string(config, "external_id");
	const char *account =
		tfp_value_get_string(config, "databricks_account_id");
	bool logs = tfp_value_get_bool(config, "for_log_delivery", false);
	const char *principal;
	struct tfp_value *v;
	cJSON *doc, *st;
	int error;

	error = tfp_account__recheck(call, config, "aws_partition",
				     tfp_account__validate_partition);
	if (error < 0)
		return error;
	part = role_partition(config);
	if (ext == NULL)
		ext = "";
	if (account == NULL || account[0] == '\0')
		account = part->account;
	principal = logs ? part->log_role
			 : tfp_arena_printf(a, "arn:%s:iam::%s:root", part->ns,
					    account);

	doc = tfp_account__policy_new();
	st = tfp_account__statement(doc, NULL);
	cJSON_AddStringToObject(st, "Action", "sts:AssumeRole");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(st, "Principal"), "AWS",
				principal);
	tfp_account__add_condition(st, "StringEquals", "sts:ExternalId", ext);

	error = tfp_account__finish(&v, call, config, doc, ext);
	if (error < 0)
		return error;
	tfp_value_set_string(a, v, "aws_partition", part->name);
	tfp_value_set(v, "for_log_delivery", tfp_value_bool(a, logs));
	*out = v;
	return TFP_OK;
}

static int bkt_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const struct tfp_account_partition *part;
	const char *bucket = tfp_value_get_string(config, "bucket");
	const char *role = tfp_value_get_string(config, "full_access_role");
	const char *e2 =
		tfp_value_get_string(config, "databricks_e2_account_id");
	const char *resources[2];
	struct tfp_value *v;
	cJSON *doc, *st;
	int error;

	error = tfp_account__recheck(call, config, "aws_partition",
				     tfp_account__validate_partition);
	if (tfp_account__recheck(call, config, "bucket",
				 tfp_account__validate_bucket) < 0)
		error = TFP_ERROR;
	if (error < 0)
		return error;
	part = role_partition(config);
	if (bucket == NULL)
		bucket = "";
	/* An empty full_access_role counts as unset, as in the official
	 * provider (Go's GetOk). */
	if (role == NULL || role[0] == '\0')
		role = tfp_arena_printf(a, "arn:%s:iam::%s:root", part->ns,
					part->account);
	resources[0] =
		tfp_arena_printf(a, "arn:%s:s3:::%s/*", part->ns, bucket);
	resources[1] = tfp_arena_printf(a, "arn:%s:s3:::%s", part->ns, bucket);

	doc = tfp_account__policy_new();
	st = tfp_account__statement(doc, NULL);
	tfp_account__add_list(st, "Action", bkt_actions,
			      TFP_ARRAY_SIZE(bkt_actions));
	tfp_account__add_list(st, "Resource", resources, 2);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(st, "Principal"), "AWS",
				role);
	if (e2 != NULL && e2[0] != '\0')
		tfp_account__add_condition(st, "StringEquals",
					   "aws:PrincipalTag/"
					   "DatabricksAccountId",
					   e2);

	error = tfp_account__finish(&v, call, config, doc, bucket);
	if (error < 0)
		return error;
	tfp_value_set_string(a, v, "aws_partition", part->name);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_aws_assume_role_policy = {
	.type_name = "databricks_aws_assume_role_policy",
	.attrs = arp_attrs,
	.desc = "The trust policy of a cross-account (or log delivery) IAM "
		"role: lets Databricks assume it with your external id.",
	.read = arp_read,
	.local = true,
};

const struct tfp_data_source tfp_data_source_aws_bucket_policy = {
	.type_name = "databricks_aws_bucket_policy",
	.attrs = bkt_attrs,
	.desc = "An S3 bucket policy that lets Databricks (or a data access "
		"role) read and write the bucket.",
	.read = bkt_read,
	.local = true,
};
