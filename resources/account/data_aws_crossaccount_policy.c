/*
 * Data source databricks_aws_crossaccount_policy: the IAM policy a
 * workspace's cross-account role needs, so that Databricks can launch and
 * manage clusters in the customer's AWS account.
 *
 * No REST endpoint: the document comes from the arguments alone (the
 * provider needs no client for it, .local).
 *
 * Quirks that explain the code:
 *  - policy_type chooses how much EC2 is granted: "customer" (the
 *    customer's VPC) adds the instance and volume actions to the read-only
 *    base, "managed" (the default; Databricks makes the VPC) also the
 *    network ones, and "restricted" grants the instance and volume
 *    actions only on the resources of one account, region, VPC and
 *    security group, in statements of their own.
 *  - "restricted" requires aws_account_id (12 digits), vpc_id ("vpc-..."),
 *    region and security_group_id ("sg-..."); the official provider checks
 *    them when it reads, so do we (each reported at its attribute).
 *  - The id is "_", as the official provider sets for a data source that
 *    has no id of its own.
 */
#include <ctype.h>
#include <string.h>
#include "account_internal.h"
#include "arena.h"
#include "diag.h"
#include "path.h"
#include "schema.h"

/* --- schema --------------------------------------------------------------- */

static int xa_validate_type(struct tfp_diags *d, const struct tfp_path *path,
			    const struct tfp_value *v);

/* clang-format off */
static const struct tfp_attr xa_attrs[] = {
	{ .name = "policy_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "managed",
	  .validate = xa_validate_type,
	  .desc = "What the policy is for: \"managed\" (the default) for a "
		  "VPC that Databricks manages, \"customer\" for a VPC of "
		  "the customer's, \"restricted\" for a customer VPC with "
		  "the instance and volume actions limited to its "
		  "resources." },
	{ .name = "pass_roles", .type = &tfp_type_list_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "ARNs of IAM roles (data access roles of instance "
		  "profiles) the policy lets Databricks pass with "
		  "iam:PassRole." },
	{ .name = "aws_account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The customer's AWS account id, 12 digits. Required for "
		  "policy_type \"restricted\", ignored otherwise." },
	{ .name = "aws_partition", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .default_string = "aws",
	  .validate = tfp_account__validate_partition,
	  .desc = "The AWS partition: \"aws\" (the default), \"aws-us-gov\" "
		  "or \"aws-us-gov-dod\"." },
	{ .name = "vpc_id", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The id of the VPC the workspace runs in (\"vpc-...\"). "
		  "Required for policy_type \"restricted\"." },
	{ .name = "region", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The AWS region of the VPC, e.g. \"us-west-2\". Required "
		  "for policy_type \"restricted\"." },
	{ .name = "security_group_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The id of the security group of the workspace's "
		  "instances (\"sg-...\"). Required for policy_type "
		  "\"restricted\"; a role restricted to it cannot serve "
		  "other workspaces." },
	{ .name = "json", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The IAM policy document, as JSON text." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Always \"_\"." },
	TFP_ATTR_END
};
/* clang-format on */

/* Read-only actions and the launch template and fleet actions: every
 * policy type grants these on every resource. */
static const char *const xa_base[] = {
	"ec2:AssignPrivateIpAddresses",
	"ec2:CancelSpotInstanceRequests",
	"ec2:DescribeAvailabilityZones",
	"ec2:DescribeIamInstanceProfileAssociations",
	"ec2:DescribeInstanceStatus",
	"ec2:DescribeInstances",
	"ec2:DescribeInternetGateways",
	"ec2:DescribeNatGateways",
	"ec2:DescribeNetworkAcls",
	"ec2:DescribePrefixLists",
	"ec2:DescribeReservedInstancesOfferings",
	"ec2:DescribeRouteTables",
	"ec2:DescribeSecurityGroups",
	"ec2:DescribeSpotInstanceRequests",
	"ec2:DescribeSpotPriceHistory",
	"ec2:DescribeSubnets",
	"ec2:DescribeVolumes",
	"ec2:DescribeVpcAttribute",
	"ec2:DescribeVpcs",
	"ec2:CreateTags",
	"ec2:DeleteTags",
	"ec2:GetSpotPlacementScores",
	"ec2:RequestSpotInstances",
	"ec2:DescribeFleetHistory",
	"ec2:ModifyFleet",
	"ec2:DeleteFleets",
	"ec2:DescribeFleetInstances",
	"ec2:DescribeFleets",
	"ec2:CreateFleet",
	"ec2:DeleteLaunchTemplate",
	"ec2:GetLaunchTemplateData",
	"ec2:CreateLaunchTemplate",
	"ec2:DescribeLaunchTemplates",
	"ec2:DescribeLaunchTemplateVersions",
	"ec2:ModifyLaunchTemplate",
	"ec2:DeleteLaunchTemplateVersions",
	"ec2:CreateLaunchTemplateVersion",
};

/* Instance, volume and security group actions: on every resource unless
 * the policy is restricted (which grants them in scoped statements). */
static const char *const xa_unrestricted[] = {
	"ec2:AssociateIamInstanceProfile",
	"ec2:AttachVolume",
	"ec2:AuthorizeSecurityGroupEgress",
	"ec2:AuthorizeSecurityGroupIngress",
	"ec2:CreateVolume",
	"ec2:DeleteVolume",
	"ec2:DetachVolume",
	"ec2:DisassociateIamInstanceProfile",
	"ec2:ReplaceIamInstanceProfileAssociation",
	"ec2:RevokeSecurityGroupEgress",
	"ec2:RevokeSecurityGroupIngress",
	"ec2:RunInstances",
	"ec2:TerminateInstances",
};

/* Network actions: only when Databricks manages the VPC. */
static const char *const xa_managed[] = {
	"ec2:AttachInternetGateway",
	"ec2:AllocateAddress",
	"ec2:AssociateDhcpOptions",
	"ec2:AssociateRouteTable",
	"ec2:CreateDhcpOptions",
	"ec2:CreateInternetGateway",
	"ec2:CreateNatGateway",
	"ec2:CreateRoute",
	"ec2:CreateRouteTable",
	"ec2:CreateSecurityGroup",
	"ec2:CreateSubnet",
	"ec2:CreateVpc",
	"ec2:CreateVpcEndpoint",
	"ec2:DeleteDhcpOptions",
	"ec2:DeleteInternetGateway",
	"ec2:DeleteNatGateway",
	"ec2:DeleteRoute",
	"ec2:DeleteRouteTable",
	"ec2:DeleteSecurityGroup",
	"ec2:DeleteSubnet",
	"ec2:DeleteVpc",
	"ec2:DeleteVpcEndpoints",
	"ec2:DetachInternetGateway",
	"ec2:DisassociateRouteTable",
	"ec2:ModifyVpcAttribute",
	"ec2:ReleaseAddress",
};

/* --- pure functions ------------------------------------------------------- */

static int xa_validate_type(struct tfp_diags *d, const struct tfp_path *path,
			    const struct tfp_value *v)
{
	const char *s = v->u.str;

	if (strcmp(s, "managed") == 0 || strcmp(s, "customer") == 0 ||
	    strcmp(s, "restricted") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid policy type",
				   "policy_type must be either 'managed', "
				   "'customer' or 'restricted', not \"%s\".",
				   s);
}

static bool xa_twelve_digits(const char *s)
{
	size_t i;

	for (i = 0; i < 12; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return s[12] == '\0';
}

/*
 * The arguments a restricted policy needs, each reported at its attribute.
 * The official provider stops at the first; reporting all saves a round.
 */
static int xa_check_restricted(struct tfp_call *call, const char *account,
			       const char *vpc, const char *region,
			       const char *sg)
{
	struct tfp_arena *a = call->arena;
	int error = TFP_OK;

	if (!xa_twelve_digits(account))
		error = tfp_diag_attr_error(
			call->diags, tfp_path_attr(a, NULL, "aws_account_id"),
			"Invalid AWS account id",
			"A restricted policy needs aws_account_id, the "
			"12-digit AWS account id; got \"%s\".",
			account);
	if (strncmp(vpc, "vpc-", 4) != 0)
		error = tfp_diag_attr_error(
			call->diags, tfp_path_attr(a, NULL, "vpc_id"),
			"Invalid VPC id",
			"A restricted policy needs vpc_id, which must begin "
			"with 'vpc-'; got \"%s\".",
			vpc);
	if (region[0] == '\0')
		error = tfp_diag_attr_error(
			call->diags, tfp_path_attr(a, NULL, "region"),
			"Missing region",
			"A restricted policy needs region, the AWS region of "
			"the VPC (e.g. \"us-west-2\").");
	if (strncmp(sg, "sg-", 3) != 0)
		error = tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(a, NULL, "security_group_id"),
			"Invalid security group id",
			"A restricted policy needs security_group_id, which "
			"must begin with 'sg-'; got \"%s\".",
			sg);
	return error;
}

/* Adds a statement whose Action and Resource are single strings. */
static cJSON *xa_one(cJSON *doc, const char *sid, const char *action,
		     const char *resource)
{
	cJSON *st = tfp_account__statement(doc, sid);

	cJSON_AddStringToObject(st, "Action", action);
	cJSON_AddStringToObject(st, "Resource", resource);
	return st;
}

/*
 * The scoped statements of a restricted policy, on the EC2 resources
 * "arn:<ns>:ec2:<region>:<account>:<kind>/..." of one account and region;
 * the tag conditions keep each action to what Databricks tagged
 * ("Vendor": "Databricks").
 */
static void xa_restricted(struct tfp_arena *a, cJSON *doc, const char *ns,
			  const char *region, const char *account,
			  const char *vpc, const char *sg)
{
	const char *pre =
		tfp_arena_printf(a, "arn:%s:ec2:%s:%s:", ns, region, account);
	const char *instance = tfp_arena_printf(a, "%sinstance/*", pre);
	const char *volume = tfp_arena_printf(a, "%svolume/*", pre);
	const char *image = tfp_arena_printf(a, "%simage/*", pre);
	const char *eni = tfp_arena_printf(a, "%snetwork-interface/*", pre);
	const char *subnet = tfp_arena_printf(a, "%ssubnet/*", pre);
	const char *sgs = tfp_arena_printf(a, "%ssecurity-group/*", pre);
	const char *vpc_arn = tfp_arena_printf(a, "%svpc/%s", pre, vpc);
	const char *const profile_actions[] = {
		"ec2:AssociateIamInstanceProfile",
		"ec2:DisassociateIamInstanceProfile",
		"ec2:ReplaceIamInstanceProfileAssociation",
	};
	const char *const volume_actions[] = {"ec2:AttachVolume",
					      "ec2:DetachVolume"};
	const char *const sg_actions[] = {
		"ec2:AuthorizeSecurityGroupEgress",
		"ec2:AuthorizeSecurityGroupIngress",
		"ec2:RevokeSecurityGroupEgress",
		"ec2:RevokeSecurityGroupIngress",
	};
	const char *const run_tagged[] = {volume, instance};
	const char *const run_vpc[] = {eni, subnet, sgs};
	const char *const run_other[] = {image, eni,	subnet,
					 sgs,	volume, instance};
	const char *const attach[] = {instance, volume};
	cJSON *st;

	st = tfp_account__statement(doc, "InstancePoolsSupport");
	tfp_account__add_list(st, "Action", profile_actions,
			      TFP_ARRAY_SIZE(profile_actions));
	cJSON_AddStringToObject(st, "Resource", instance);
	tfp_account__add_condition(st, "StringEquals", "ec2:ResourceTag/Vendor",
				   "Databricks");

	st = tfp_account__statement(doc, "AllowEc2RunInstancePerTag");
	cJSON_AddStringToObject(st, "Action", "ec2:RunInstances");
	tfp_account__add_list(st, "Resource", run_tagged,
			      TFP_ARRAY_SIZE(run_tagged));
	tfp_account__add_condition(st, "StringEquals", "aws:RequestTag/Vendor",
				   "Databricks");

	st = xa_one(doc, "AllowEc2RunInstanceImagePerTag", "ec2:RunInstances",
		    image);
	tfp_account__add_condition(st, "StringEquals", "aws:ResourceTag/Vendor",
				   "Databricks");

	st = tfp_account__statement(doc, "AllowEc2RunInstancePerVPCid");
	cJSON_AddStringToObject(st, "Action", "ec2:RunInstances");
	tfp_account__add_list(st, "Resource", run_vpc, TFP_ARRAY_SIZE(run_vpc));
	tfp_account__add_condition(st, "StringEquals", "ec2:vpc", vpc_arn);

	st = tfp_account__statement(doc, "AllowEc2RunInstanceOtherResources");
	cJSON_AddStringToObject(st, "Action", "ec2:RunInstances");
	tfp_account__add_list(st, "NotResource", run_other,
			      TFP_ARRAY_SIZE(run_other));

	st = xa_one(doc, "EC2TerminateInstancesTag", "ec2:TerminateInstances",
		    instance);
	tfp_account__add_condition(st, "StringEquals", "ec2:ResourceTag/Vendor",
				   "Databricks");

	st = tfp_account__statement(doc, "EC2AttachDetachVolumeTag");
	tfp_account__add_list(st, "Action", volume_actions,
			      TFP_ARRAY_SIZE(volume_actions));
	tfp_account__add_list(st, "Resource", attach, TFP_ARRAY_SIZE(attach));
	tfp_account__add_condition(st, "StringEquals", "ec2:ResourceTag/Vendor",
				   "Databricks");

	st = xa_one(doc, "EC2CreateVolumeByTag", "ec2:CreateVolume", volume);
	tfp_account__add_condition(st, "StringEquals", "aws:RequestTag/Vendor",
				   "Databricks");

	/* A list of one here, a string in the statement before: the
	 * official document has it so. */
	st = tfp_account__statement(doc, "EC2DeleteVolumeByTag");
	cJSON_AddStringToObject(st, "Action", "ec2:DeleteVolume");
	tfp_account__add_list(st, "Resource", &volume, 1);
	tfp_account__add_condition(st, "StringEquals", "ec2:ResourceTag/Vendor",
				   "Databricks");

	st = tfp_account__statement(doc, "VpcNonresourceSpecificActions");
	tfp_account__add_list(st, "Action", sg_actions,
			      TFP_ARRAY_SIZE(sg_actions));
	cJSON_AddStringToObject(
		st, "Resource",
		tfp_arena_printf(a, "%ssecurity-group/%s", pre, sg));
	tfp_account__add_condition(st, "StringEquals", "ec2:vpc", vpc_arn);
}

/* --- handler -------------------------------------------------------------- */

static const char *xa_arg(const struct tfp_value *config, const char *name)
{
	const char *s = tfp_value_get_string(config, name);

	return s != NULL ? s : "";
}

static int xa_read(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const struct tfp_account_partition *part;
	const char *type = tfp_value_get_string(config, "policy_type");
	const char *account = xa_arg(config, "aws_account_id");
	const char *vpc = xa_arg(config, "vpc_id");
	const char *region = xa_arg(config, "region");
	const char *sg = xa_arg(config, "security_group_id");
	const struct tfp_value *roles = tfp_value_get(config, "pass_roles");
	struct tfp_value *v;
	cJSON *doc, *st, *list;
	size_t i;
	int error;

	error = tfp_account__recheck(call, config, "aws_partition",
				     tfp_account__validate_partition);
	if (tfp_account__recheck(call, config, "policy_type",
				 xa_validate_type) < 0)
		error = TFP_ERROR;
	if (error < 0)
		return error;
	part = tfp_account__partition(
		tfp_value_get_string(config, "aws_partition"));
	if (part == NULL)
		part = tfp_account__partition("aws");
	if (type == NULL)
		type = "managed";
	if (strcmp(type, "restricted") == 0) {
		error = xa_check_restricted(call, account, vpc, region, sg);
		if (error < 0)
			return error;
	}

	doc = tfp_account__policy_new();
	st = tfp_account__statement(doc, NULL);
	list = cJSON_AddArrayToObject(st, "Action");
	for (i = 0; i < TFP_ARRAY_SIZE(xa_base); i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(xa_base[i]));
	for (i = 0; strcmp(type, "restricted") != 0 &&
		    i < TFP_ARRAY_SIZE(xa_unrestricted);
	     i++)
		cJSON_AddItemToArray(list,
				     cJSON_CreateString(xa_unrestricted[i]));
	for (i = 0;
	     strcmp(type, "managed") == 0 && i < TFP_ARRAY_SIZE(xa_managed);
	     i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(xa_managed[i]));
	cJSON_AddStringToObject(st, "Resource", "*");

	st = tfp_account__statement(doc, NULL);
	tfp_account__add_list(
		st, "Action",
		(const char *const[]){"iam:CreateServiceLinkedRole",
				      "iam:PutRolePolicy"},
		2);
	cJSON_AddStringToObject(
		st, "Resource",
		tfp_arena_printf(a,
				 "arn:%s:iam::*:role/aws-service-role/"
				 "spot.amazonaws.com/AWSServiceRoleForEC2Spot",
				 part->ns));
	tfp_account__add_condition(st, "StringLike", "iam:AWSServiceName",
				   "spot.amazonaws.com");

	/* Unknown elements cannot reach read (Terraform reads a data source
	 * once its configuration is known); null ones are skipped. */
	if (tfp_value_is_known(roles) && roles->u.coll.n > 0) {
		st = tfp_account__statement(doc, NULL);
		cJSON_AddStringToObject(st, "Action", "iam:PassRole");
		list = cJSON_AddArrayToObject(st, "Resource");
		for (i = 0; i < roles->u.coll.n; i++)
			if (tfp_value_is_known(roles->u.coll.items[i]))
				cJSON_AddItemToArray(
					list,
					cJSON_CreateString(
						roles->u.coll.items[i]->u.str));
	}

	if (strcmp(type, "restricted") == 0)
		xa_restricted(a, doc, part->ns, region, account, vpc, sg);

	error = tfp_account__finish(&v, call, config, doc, "_");
	if (error < 0)
		return error;
	tfp_value_set_string(a, v, "policy_type", type);
	tfp_value_set_string(a, v, "aws_partition", part->name);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_aws_crossaccount_policy = {
	.type_name = "databricks_aws_crossaccount_policy",
	.attrs = xa_attrs,
	.desc = "The IAM policy of a workspace's cross-account role: what "
		"Databricks may do in the AWS account to run clusters.",
	.read = xa_read,
	.local = true,
};
