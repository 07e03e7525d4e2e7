/*
 * databricks_mws_networks: a customer-managed VPC (AWS) or VPC network
 * (GCP) registered with the Databricks account, for workspaces that run in
 * the customer's own network.
 *
 * REST (account API): POST|GET /api/2.0/accounts/{account_id}/networks,
 * GET|DELETE .../networks/{network_id}.
 *
 * Quirks that explain the code:
 *  - A network cannot change: every argument replaces it (no update).
 *  - vpc_status, workspace_id and error_messages are the service's: a
 *    network shows UNATTACHED until a workspace uses it, then VALID (or
 *    BROKEN with error_messages saying why).
 *  - vpc_endpoints is filled by the service when left out; a read keeps
 *    it absent while the configuration has none (TFP_SERVER_FILLED).
 *  - The Terraform ID is "<account_id>/<network_id>", also the import ID.
 */
#include <string.h>
#include "databricks.h"
#include "diag.h"
#include "path.h"
#include "rest_resource.h"
#include "schema.h"
#include "account_internal.h"

#define NETWORKS_API "/api/2.0/accounts/{account_id}/networks"

/* --- schema --------------------------------------------------------------- */

/* The official provider's rule: 4 to 256 characters. */
static int network_validate_name(struct tfp_diags *d,
				 const struct tfp_path *path,
				 const struct tfp_value *v)
{
	size_t n = strlen(v->u.str);

	if (n >= 4 && n <= 256)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid network name",
				   "network_name has 4 to 256 characters; "
				   "this one has %zu.",
				   n);
}

/* clang-format off */
static const struct tfp_attr network_endpoint_attrs[] = {
	{ .name = "rest_api", .type = &tfp_type_set_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The VPC endpoint (databricks_mws_vpc_endpoint) for the "
		  "REST API." },
	{ .name = "dataplane_relay", .type = &tfp_type_set_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The VPC endpoint for the secure cluster connectivity "
		  "relay." },
	TFP_ATTR_END
};

static const struct tfp_attr network_gcp_attrs[] = {
	{ .name = "network_project_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The Google Cloud project of the VPC network." },
	{ .name = "vpc_id", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The VPC network's name." },
	{ .name = "subnet_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The subnet the workspace's compute runs in." },
	{ .name = "subnet_region", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The subnet's region." },
	{ .name = "pod_ip_range_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "The secondary range for GKE pods (deprecated with GKE "
		  "clusters)." },
	{ .name = "service_ip_range_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_DEPRECATED,
	  .desc = "The secondary range for GKE services (deprecated with "
		  "GKE clusters)." },
	TFP_ATTR_END
};

static const struct tfp_attr network_error_attrs[] = {
	{ .name = "error_type", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "What is wrong: credentials, vpc, subnet, securityGroup or "
		  "networkAcl." },
	{ .name = "error_message", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The service's description of the problem." },
	TFP_ATTR_END
};

static const struct tfp_attr network_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE,
	  .desc = "The Databricks account ID." },
	{ .name = "network_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .validate = network_validate_name,
	  .desc = "The network's name in the account: 4 to 256 "
		  "characters." },
	{ .name = "vpc_id", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The AWS VPC (AWS only)." },
	{ .name = "subnet_ids", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "At least two private subnets of the VPC, in different "
		  "availability zones (AWS only)." },
	{ .name = "security_group_ids", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "One to five security groups of the VPC (AWS only)." },
	{ .name = "network_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The network's ID, for databricks_mws_workspaces." },
	{ .name = "vpc_status", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "UNATTACHED, VALID, BROKEN or WARNED." },
	{ .name = "workspace_id", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "The workspace that uses the network, if any." },
	{ .name = "creation_time", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the network was registered, in epoch milliseconds." },
	{ .name = "error_messages", .nested = network_error_attrs,
	  .nesting = TFP_NEST_LIST, .flags = TFP_COMPUTED,
	  .desc = "What the service found wrong with the network." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<account_id>/<network_id>." },
	TFP_ATTR_END
};

static const struct tfp_block network_blocks[] = {
	{ .name = "vpc_endpoints", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_SERVER_FILLED, .attrs = network_endpoint_attrs,
	  .desc = "The VPC endpoints for private connectivity (AWS "
		  "PrivateLink)." },
	{ .name = "gcp_network_info", .nesting = TFP_NEST_LIST,
	  .max_items = 1, .attrs = network_gcp_attrs,
	  .desc = "The customer-managed VPC network (GCP only)." },
	TFP_BLOCK_END
};
/* clang-format on */

/* --- hooks ---------------------------------------------------------------- */

/* vpc_id, subnets and security groups (AWS) or gcp_network_info (GCP). */
static int network_validate(struct tfp_call *call,
			    const struct tfp_value *config)
{
	static const char *const aws[] = {"vpc_id", "subnet_ids",
					  "security_group_ids", NULL};

	return tfp_account__cloud_args(call, config, "gcp_network_info", aws,
				       3, "network");
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres network_rres = {
	.what = "network configuration",
	.attrs = network_attrs,
	.blocks = network_blocks,
	.id = "{account_id}/{network_id}",
	.id_field = "network_id",
	.import_form = "<account_id>/<network_id>",
	.create = { .path = NETWORKS_API },
	.read = { .path = NETWORKS_API "/{network_id}" },
	.del = { .path = NETWORKS_API "/{network_id}" },
	.list = { .path = NETWORKS_API, .id_field = "network_id" },
	.create_answers_object = true,
	.body = tfp_account__body_without_account,
};
/* clang-format on */

const struct tfp_resource tfp_resource_mws_networks = {
	.type_name = "databricks_mws_networks",
	.attrs = network_attrs,
	.blocks = network_blocks,
	.desc = "A customer-managed VPC registered with the Databricks "
		"account, for workspaces in the customer's own network. Any "
		"change replaces it.",
	TFP_RRES_HANDLERS,
	.validate = network_validate,
	.data = &network_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
