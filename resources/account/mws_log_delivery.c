/*
 * databricks_mws_log_delivery: delivery of billable usage (CSV) or audit
 * logs (JSON) to the S3 bucket of a storage configuration, with the role
 * of a credential configuration.
 *
 * REST (account API): POST|GET /api/2.0/accounts/{account_id}/log-delivery,
 * GET|PATCH .../log-delivery/{config_id}.
 *
 * Quirks that explain the code:
 *  - The create body and the create's and get's answers wrap the object
 *    in "log_delivery_configuration" (.wrapper).
 *  - Only the status changes in place (PATCH {"status": ...}); every other
 *    argument replaces the configuration.
 *  - The service never deletes a configuration: destroy disables it
 *    (PATCH {"status": "DISABLED"}), as the official provider does, and
 *    the account keeps it.
 *  - The service fills status (ENABLED) and delivery_start_time (the
 *    current month) when they are left out: both are optional and
 *    computed.
 *  - The Terraform ID is "<account_id>|<config_id>" (the official pair's
 *    separator), also the import ID.
 */
#include <string.h>
#include "databricks.h"
#include "diag.h"
#include "rest_resource.h"
#include "schema.h"
#include "account_internal.h"

#define LOG_API "/api/2.0/accounts/{account_id}/log-delivery"

/* --- schema --------------------------------------------------------------- */

/* The official provider's rule: at most 255 characters. */
static int log_validate_name(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	size_t n = strlen(v->u.str);

	if (n <= 255)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid configuration name",
				   "config_name has at most 255 characters; "
				   "this one has %zu.",
				   n);
}

static const struct tfp_type log_list_number = {.kind = TFP_KIND_LIST,
						.elem = &tfp_type_number};

#define LOG_ARG (TFP_FORCE_NEW)

/* clang-format off */
static const struct tfp_attr log_attrs[] = {
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | LOG_ARG,
	  .desc = "The Databricks account ID." },
	{ .name = "config_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | LOG_ARG, .validate = log_validate_name,
	  .desc = "The configuration's name: at most 255 characters." },
	{ .name = "credentials_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | LOG_ARG,
	  .desc = "The databricks_mws_credentials whose role writes the "
		  "logs." },
	{ .name = "storage_configuration_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | LOG_ARG,
	  .desc = "The databricks_mws_storage_configurations whose bucket "
		  "receives the logs." },
	{ .name = "log_type", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | LOG_ARG,
	  .desc = "BILLABLE_USAGE or AUDIT_LOGS." },
	{ .name = "output_format", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | LOG_ARG,
	  .desc = "CSV for billable usage, JSON for audit logs." },
	{ .name = "delivery_path_prefix", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | LOG_ARG,
	  .desc = "The folder in the bucket; neither starts nor ends with "
		  "'/'." },
	{ .name = "delivery_start_time", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | LOG_ARG,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The first month delivered, YYYY-MM (default: the month "
		  "of the create)." },
	{ .name = "workspace_ids_filter", .type = &log_list_number,
	  .flags = TFP_OPTIONAL | LOG_ARG,
	  .desc = "Deliver only these workspaces' logs (default: the whole "
		  "account's)." },
	{ .name = "status", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "ENABLED or DISABLED; the only argument that changes in "
		  "place." },
	{ .name = "config_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | LOG_ARG,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The configuration's ID." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<account_id>|<config_id>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres log_rres = {
	.what = "log delivery configuration",
	.attrs = log_attrs,
	.id = "{account_id}|{config_id}",
	.id_field = "config_id",
	.import_form = "<account_id>|<config_id>",
	.wrapper = "log_delivery_configuration",
	.create = { .path = LOG_API },
	.read = { .path = LOG_API "/{config_id}" },
	.update = { .path = LOG_API "/{config_id}", .bare = true },
	/* Destroy disables: the service keeps every configuration. */
	.del = { .method = "PATCH", .path = LOG_API "/{config_id}",
		 .body = "{\"status\": \"DISABLED\"}" },
	.list = { .path = LOG_API, .items = "log_delivery_configurations",
		  .id_field = "config_id" },
	.update_mode = TFP_RRES_PATCH,
	.update_fields = (const char *const[]){ "status", NULL },
	.create_answers_object = true,
	.body = tfp_account__body_without_account,
};
/* clang-format on */

const struct tfp_resource tfp_resource_mws_log_delivery = {
	.type_name = "databricks_mws_log_delivery",
	.attrs = log_attrs,
	.desc = "Delivery of billable usage or audit logs to an S3 bucket. "
		"Only status changes in place; destroy disables the "
		"configuration, which the account keeps.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &log_rres,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
