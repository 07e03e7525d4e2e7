/*
 * Data sources databricks_aws_unity_catalog_policy and
 * databricks_aws_unity_catalog_assume_role_policy: the permissions policy
 * and the trust policy of the IAM role a Unity Catalog storage credential
 * (or a metastore) uses to reach an S3 bucket.
 *
 * No REST endpoint: the documents come from the arguments alone (.local).
 *
 * Quirks that explain the code:
 *  - The permissions policy grants the bucket's object actions, lets the
 *    role assume itself, uses kms_name when the bucket is encrypted, and
 *    lets Databricks manage the SQS queues and SNS topics of file events
 *    (named "csms-*") in the role's account.
 *  - kms_name is a key ARN, or anything else, which is put after
 *    "arn:<ns>:kms:". Whether it is an ARN is decided, as in the official
 *    provider, by the prefix "arn:<aws_partition>": for "aws-us-gov-dod"
 *    no real ARN has it, so a full ARN gets the prefix again. We keep
 *    that, because the point is the same document.
 *  - The trust policy trusts the Unity Catalog master role of the
 *    partition (or unity_catalog_iam_arn), and the role itself (the
 *    "self-assuming" statement AWS requires since 2023), both with the
 *    external id.
 *  - The ids join bucket, account and role, or account, role and external
 *    id, with "-", as the official provider does.
 */
#include <string.h>
#include "account_internal.h"
#include "arena.h"
#include "schema.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr ucp_attrs[] = {
	{ .name = "aws_account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The id of the AWS account of the role and the bucket "
		  "(not your Databricks account id)." },
	{ .name = "bucket_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = tfp_account__validate_bucket,
	  .desc = "The name of the S3 bucket Unity Catalog stores data in; "
		  "it must follow the S3 bucket naming rules." },
	{ .name = "role_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The name of the IAM role the policy is attached to." },
	{ .name = "kms_name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The ARN of the KMS key that encrypts the bucket, if it is "
		  "encrypted (a value that is not an ARN is put after "
		  "\"arn:<partition>:kms:\")." },
	{ .name = "aws_partition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "aws",
	  .validate = tfp_account__validate_partition,
	  .desc = "The AWS partition: \"aws\" (the default), \"aws-us-gov\" "
		  "or \"aws-us-gov-dod\"." },
	{ .name = "json", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The IAM policy document, as JSON text." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "<bucket_name>-<aws_account_id>-<role_name>." },
	TFP_ATTR_END
};

static const struct tfp_attr ucar_attrs[] = {
	{ .name = "aws_account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The id of the AWS account the role is in (not your "
		  "Databricks account id)." },
	{ .name = "role_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The name of the IAM role the trust policy is for." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The external id of the storage credential that uses the "
		  "role." },
	{ .name = "unity_catalog_iam_arn", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The ARN of the Databricks role that assumes this one. By "
		  "default the Unity Catalog master role of the partition." },
	{ .name = "aws_partition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "aws",
	  .validate = tfp_account__validate_partition,
	  .desc = "The AWS partition: \"aws\" (the default), \"aws-us-gov\" "
		  "or \"aws-us-gov-dod\"." },
	{ .name = "json", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The assume role (trust) policy document, as JSON text." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "<aws_account_id>-<role_name>-<external_id>." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const ucp_bucket_actions[] = {
	"s3:GetObject",
	"s3:PutObject",
	"s3:DeleteObject",
	"s3:ListBucket",
	"s3:GetBucketLocation",
	/* multipart uploads */
	"s3:ListBucketMultipartUploads",
	"s3:ListMultipartUploadParts",
	"s3:AbortMultipartUpload",
};

static const char *const ucp_kms_actions[] = {
	"kms:Decrypt",
	"kms:Encrypt",
	"kms:GenerateDataKey*",
};

/* Setting up file events: the bucket's notifications, and the topics and
 * queues Databricks makes for them. */
static const char *const ucp_events_setup[] = {
	"s3:GetBucketNotification",
	"s3:PutBucketNotification",
	"sns:ListSubscriptionsByTopic",
	"sns:GetTopicAttributes",
	"sns:SetTopicAttributes",
	"sns:CreateTopic",
	"sns:TagResource",
	"sns:Publish",
	"sns:Subscribe",
	"sqs:CreateQueue",
	"sqs:DeleteMessage",
	"sqs:ReceiveMessage",
	"sqs:SendMessage",
	"sqs:GetQueueUrl",
	"sqs:GetQueueAttributes",
	"sqs:SetQueueAttributes",
	"sqs:TagQueue",
	"sqs:ChangeMessageVisibility",
	"sqs:PurgeQueue",
};

static const char *const ucp_events_list[] = {
	"sqs:ListQueues",
	"sqs:ListQueueTags",
	"sns:ListTopics",
};

static const char *const ucp_events_teardown[] = {
	"sns:Unsubscribe",
	"sns:DeleteTopic",
	"sqs:DeleteQueue",
};

/* --- pure functions ------------------------------------------------------- */

static const char *uc_arg(const struct tfp_value *config, const char *name)
{
	const char *s = tfp_value_get_string(config, name);

	return s != NULL ? s : "";
}

/* The partition of a config whose aws_partition passed validation. */
static const struct tfp_account_partition *
uc_partition(const struct tfp_value *config)
{
	const char *name = tfp_value_get_string(config, "aws_partition");

	return tfp_account__partition(name != NULL ? name : "aws");
}

static void uc_add(cJSON *doc, const char *sid, const char *const *actions,
		   size_t n_actions, const char *const *resources,
		   size_t n_resources)
{
	cJSON *st = tfp_account__statement(doc, sid);

	tfp_account__add_list(st, "Action", actions, n_actions);
	tfp_account__add_list(st, "Resource", resources, n_resources);
}

/* --- handlers ------------------------------------------------------------- */

static int ucp_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const struct tfp_account_partition *part;
	const char *bucket = uc_arg(config, "bucket_name");
	const char *account = uc_arg(config, "aws_account_id");
	const char *role = uc_arg(config, "role_name");
	const char *kms = uc_arg(config, "kms_name");
	const char *bucket_res[2], *self, *events[3];
	struct tfp_value *v;
	cJSON *doc;
	int error;

	error = tfp_account__recheck(call, config, "aws_partition",
				     tfp_account__validate_partition);
	if (tfp_account__recheck(call, config, "bucket_name",
				 tfp_account__validate_bucket) < 0)
		error = TFP_ERROR;
	if (error < 0)
		return error;
	part = uc_partition(config);
	bucket_res[0] =
		tfp_arena_printf(a, "arn:%s:s3:::%s/*", part->ns, bucket);
	bucket_res[1] = tfp_arena_printf(a, "arn:%s:s3:::%s", part->ns, bucket);
	self = tfp_arena_printf(a, "arn:%s:iam::%s:role/%s", part->ns, account,
				role);
	events[0] = bucket_res[1];
	events[1] = tfp_arena_printf(a, "arn:%s:sqs:*:%s:csms-*", part->ns,
				     account);
	events[2] = tfp_arena_printf(a, "arn:%s:sns:*:%s:csms-*", part->ns,
				     account);

	doc = tfp_account__policy_new();
	uc_add(doc, NULL, ucp_bucket_actions,
	       TFP_ARRAY_SIZE(ucp_bucket_actions), bucket_res, 2);
	uc_add(doc, NULL, (const char *const[]){"sts:AssumeRole"}, 1, &self, 1);
	if (kms[0] != '\0') {
		const char *prefix = tfp_arena_printf(a, "arn:%s", part->name);
		const char *key = kms;

		/* The prefix test uses the partition's name, not its ARN
		 * namespace (see the header comment). */
		if (strncmp(kms, prefix, strlen(prefix)) != 0)
			key = tfp_arena_printf(a, "arn:%s:kms:%s", part->ns,
					       kms);
		uc_add(doc, NULL, ucp_kms_actions,
		       TFP_ARRAY_SIZE(ucp_kms_actions), &key, 1);
	}
	uc_add(doc, "ManagedFileEventsSetupStatement", ucp_events_setup,
	       TFP_ARRAY_SIZE(ucp_events_setup), events, 3);
	uc_add(doc, "ManagedFileEventsListStatement", ucp_events_list,
	       TFP_ARRAY_SIZE(ucp_events_list), events + 1, 2);
	uc_add(doc, "ManagedFileEventsTeardownStatement", ucp_events_teardown,
	       TFP_ARRAY_SIZE(ucp_events_teardown), events + 1, 2);

	error = tfp_account__finish(
		&v, call, config, doc,
		tfp_arena_printf(a, "%s-%s-%s", bucket, account, role));
	if (error < 0)
		return error;
	tfp_value_set_string(a, v, "aws_partition", part->name);
	*out = v;
	return TFP_OK;
}

static int ucar_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const struct tfp_account_partition *part;
	const char *account = uc_arg(config, "aws_account_id");
	const char *role = uc_arg(config, "role_name");
	const char *ext = uc_arg(config, "external_id");
	const char *uc_role = uc_arg(config, "unity_catalog_iam_arn");
	struct tfp_value *v;
	cJSON *doc, *st;
	int error;

	error = tfp_account__recheck(call, config, "aws_partition",
				     tfp_account__validate_partition);
	if (error < 0)
		return error;
	part = uc_partition(config);
	if (uc_role[0] == '\0')
		uc_role = part->uc_role;

	doc = tfp_account__policy_new();
	st = tfp_account__statement(doc, "UnityCatalogAssumeRole");
	cJSON_AddStringToObject(st, "Action", "sts:AssumeRole");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(st, "Principal"), "AWS",
				uc_role);
	tfp_account__add_condition(st, "StringEquals", "sts:ExternalId", ext);

	st = tfp_account__statement(doc, "ExplicitSelfRoleAssumption");
	cJSON_AddStringToObject(st, "Action", "sts:AssumeRole");
	cJSON_AddStringToObject(
		cJSON_AddObjectToObject(st, "Principal"), "AWS",
		tfp_arena_printf(a, "arn:%s:iam::%s:root", part->ns, account));
	/* "ArnLike" before "StringEquals": Go prints map keys sorted. */
	tfp_account__add_condition(st, "ArnLike", "aws:PrincipalArn",
				   tfp_arena_printf(a, "arn:%s:iam::%s:role/%s",
						    part->ns, account, role));
	tfp_account__add_condition(st, "StringEquals", "sts:ExternalId", ext);

	error = tfp_account__finish(
		&v, call, config, doc,
		tfp_arena_printf(a, "%s-%s-%s", account, role, ext));
	if (error < 0)
		return error;
	tfp_value_set_string(a, v, "aws_partition", part->name);
	tfp_value_set_string(a, v, "unity_catalog_iam_arn", uc_role);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_aws_unity_catalog_policy = {
	.type_name = "databricks_aws_unity_catalog_policy",
	.attrs = ucp_attrs,
	.desc = "The IAM policy of the role Unity Catalog uses for an S3 "
		"bucket: the bucket's objects, its KMS key, and the queues "
		"and topics of file events.",
	.read = ucp_read,
	.local = true,
};

const struct tfp_data_source
	tfp_data_source_aws_unity_catalog_assume_role_policy = {
		.type_name = "databricks_aws_unity_catalog_assume_role_policy",
		.attrs = ucar_attrs,
		.desc = "The trust policy of the role Unity Catalog uses: lets "
			"the Unity Catalog master role, and the role itself, "
			"assume it with the storage credential's external id.",
		.read = ucar_read,
		.local = true,
};
