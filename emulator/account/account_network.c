/*
 * Private connectivity of the Account API: VPC endpoint registrations and
 * private access settings, under /api/2.0/accounts/{account_id}/.
 *
 *   POST   vpc-endpoints              {vpc_endpoint_name, aws_vpc_endpoint_id,
 *                                      region} or {vpc_endpoint_name,
 *                                      gcp_vpc_endpoint_info: {project_id,
 *                                      psc_endpoint_name, endpoint_region}}
 *                                      -> VpcEndpoint
 *   GET    vpc-endpoints              -> [VpcEndpoint, ...] (a bare array)
 *   GET    vpc-endpoints/{id}         -> VpcEndpoint
 *   DELETE vpc-endpoints/{id}         -> the deleted VpcEndpoint
 *   POST   private-access-settings    {private_access_settings_name, region,
 *                                      public_access_enabled,
 *                                      private_access_level,
 *                                      allowed_vpc_endpoint_ids}
 *                                      -> PrivateAccessSettings
 *   GET, GET {id}, DELETE {id}        as for VPC endpoints
 *   PUT    private-access-settings/{id}  the whole object again (settable
 *                                      fields left out return to their
 *                                      defaults) -> PrivateAccessSettings
 *
 * Fields follow service/provisioning of databricks-sdk-go (VpcEndpoint,
 * PrivateAccessSettings; Replace sends the settings flat). What the real
 * service learns from AWS when it registers an endpoint, the emulator
 * makes up, stably per endpoint: the endpoint is "available" at once,
 * connects to the workspace (front-end and REST API) service, so its
 * use_case is GENERAL_ACCESS, and aws_account_id and
 * aws_endpoint_service_id are derived from the AWS id and the region. A
 * GCP endpoint gets a psc_connection_id and a service_attachment_id the
 * same way. An AWS endpoint id can be registered once; the wording of that
 * refusal and of the validation errors is ours.
 *
 * An endpoint is in use while a network that a workspace uses names it
 * (vpc_endpoints.rest_api or .dataplane_relay); private access settings
 * while a workspace names them; neither can then be deleted.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "account_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "store.h"
#include "util.h"
#include "workspace.h"

/* --- VPC endpoints ---------------------------------------------------- */

/* FNV-1a of s, for the stable made-up AWS and GCP facts. */
static uint64_t hash_text(const char *s, uint64_t h)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

#define HASH_SEED 1469598103934665603ULL

static char *vpce_make_id(uint64_t n)
{
	return account_uuid(n, 0x7CE0ULL << 48);
}

/* vpce- and 8 to 17 lower-case hex digits: what AWS issues. */
static bool aws_vpce_id_ok(const char *s)
{
	size_t i, n;

	if (strncmp(s, "vpce-", 5) != 0)
		return false;
	n = strlen(s + 5);
	if (n < 8 || n > 17)
		return false;
	for (i = 5; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static int vpce_validate(struct emu_store *st, struct emu_request *req,
			 cJSON *rec, const cJSON *existing,
			 struct emu_response *resp)
{
	const cJSON *gcp = emu_json_member(rec, "gcp_vpc_endpoint_info");
	const char *aws = emu_json_str(rec, "aws_vpc_endpoint_id");
	static const char *const gcp_fields[] = {
		"project_id", "psc_endpoint_name", "endpoint_region"};
	size_t i;

	(void)st;
	(void)req;
	(void)existing;
	if (emu_json_str(rec, "vpc_endpoint_name")[0] == '\0')
		return emu_error_missing_field(resp, "vpc_endpoint_name");
	if (gcp && aws)
		return emu_error_invalid(resp,
					 "Give either aws_vpc_endpoint_id or "
					 "gcp_vpc_endpoint_info, not both.");
	if (gcp) {
		for (i = 0; i < EMU_ARRAY_SIZE(gcp_fields); i++) {
			char *path = emu_printf("gcp_vpc_endpoint_info.%s",
						gcp_fields[i]);
			int rc = account_nested_string(gcp, path, gcp_fields[i],
						       resp);

			free(path);
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	if (!aws)
		return emu_error_missing_field(resp, "aws_vpc_endpoint_id");
	if (!aws_vpce_id_ok(aws))
		return emu_error_invalid(resp,
					 "Invalid aws_vpc_endpoint_id '%s': "
					 "expected vpce- and 8 to 17 hex "
					 "digits.",
					 aws);
	if (!emu_json_str(rec, "region") ||
	    emu_json_str(rec, "region")[0] == '\0')
		return emu_error_missing_field(resp, "region");
	return 0;
}

/* What the service learns from the cloud, made up stably (see above). */
static void vpce_on_create(struct emu_store *st, struct emu_request *req,
			   cJSON *rec)
{
	cJSON *gcp = emu_json_member(rec, "gcp_vpc_endpoint_info");
	const char *aws = emu_json_str(rec, "aws_vpc_endpoint_id");
	uint64_t h = hash_text(aws, HASH_SEED);
	char *text;

	account_stamp(st, req, rec);
	if (gcp) {
		h = hash_text(
			emu_json_str(gcp, "psc_endpoint_name"),
			hash_text(emu_json_str(gcp, "project_id"), HASH_SEED));
		text = emu_printf("%" PRIu64,
				  (uint64_t)(h % 100000000000000000ULL));
		cJSON_AddStringToObject(gcp, "psc_connection_id", text);
		free(text);
		text = emu_printf("projects/prod-gcp-%s/regions/%s/"
				  "serviceAttachments/plproxy-psc-endpoint",
				  emu_json_str(gcp, "endpoint_region"),
				  emu_json_str(gcp, "endpoint_region"));
		cJSON_AddStringToObject(gcp, "service_attachment_id", text);
		free(text);
		return;
	}
	text = emu_printf("%012" PRIu64, (uint64_t)(h % 1000000000000ULL));
	cJSON_AddStringToObject(rec, "aws_account_id", text);
	free(text);
	text = emu_printf(
		"com.amazonaws.vpce.%s.vpce-svc-%017" PRIx64,
		emu_json_str(rec, "region"),
		(uint64_t)(hash_text(emu_json_str(rec, "region"), HASH_SEED) &
			   0xFFFFFFFFFFFFFFFULL));
	cJSON_AddStringToObject(rec, "aws_endpoint_service_id", text);
	free(text);
	cJSON_AddStringToObject(rec, "use_case", "GENERAL_ACCESS");
	cJSON_AddStringToObject(rec, "state", "available");
}

/* clang-format off */
static const struct emu_store_field vpce_fields[] = {
	{.name = "vpc_endpoint_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "aws_vpc_endpoint_id", .type = EMU_JSON_STRING},
	{.name = "region", .type = EMU_JSON_STRING},
	{.name = "gcp_vpc_endpoint_info", .type = EMU_JSON_OBJECT},
	{.name = "account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "aws_account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "aws_endpoint_service_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "use_case", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "state", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "creation_time", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

const struct emu_store_decl account_vpce_decl = {
	.name = "vpc_endpoints",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "vpc_endpoint_id",
	.make_id = vpce_make_id,
	.fields = vpce_fields,
	.nfields = EMU_ARRAY_SIZE(vpce_fields),
	.missing = {.before = "VPC endpoint configuration ",
		    .after = " does not exist."},
	.unique_field = "aws_vpc_endpoint_id",
	.duplicate = {.status = 400,
		      .code = "INVALID_PARAMETER_VALUE",
		      .before = "VPC endpoint ",
		      .after = " is already registered with this account."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "vpc_endpoints",
	.limit = {.before = "An account has at most ",
		  .after = " VPC endpoint configurations."},
	.create_reply = EMU_STORE_REPLY_OBJECT,
	.hooks = {.validate = vpce_validate, .on_create = vpce_on_create},
};

/* True when the array member name of obj holds the string id. */
static bool lists(const cJSON *obj, const char *name, const char *id)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, emu_json_member(obj, name))
	{
		if (cJSON_IsString(item) && strcmp(item->valuestring, id) == 0)
			return true;
	}
	return false;
}

/* The workspace whose network names endpoint id, or NULL. */
static const char *vpce_used_by(const struct account_state *a, const char *id)
{
	size_t i;

	for (i = 0; i < emu_store_count(a->networks); i++) {
		const cJSON *net = emu_store_at(a->networks, i);
		const cJSON *vpce = emu_json_member(net, "vpc_endpoints");
		const char *ws;

		if (!lists(vpce, "rest_api", id) &&
		    !lists(vpce, "dataplane_relay", id))
			continue;
		ws = account_workspace_using(a, "network_id",
					     emu_json_str(net, "network_id"));
		if (ws)
			return ws;
	}
	return NULL;
}

const struct account_config account_vpce_config = {
	.store = offsetof(struct account_state, vpc_endpoints),
	.ref = "vpc_endpoint_id",
	.words = "VPC endpoint configuration",
	.used_by = vpce_used_by,
};

/* --- private access settings ------------------------------------------ */

static char *pas_make_id(uint64_t n)
{
	return account_uuid(n, 0x9A55ULL << 48);
}

static const char *const access_levels[] = {"ACCOUNT", "ENDPOINT", NULL};

/* The allowed endpoints must be registered with the account. */
static int pas_validate(struct emu_store *st, struct emu_request *req,
			cJSON *rec, const cJSON *existing,
			struct emu_response *resp)
{
	const cJSON *item;

	(void)st;
	(void)existing;
	if (emu_json_str(rec, "private_access_settings_name")[0] == '\0')
		return emu_error_missing_field(resp,
					       "private_access_settings_name");
	if (emu_json_str(rec, "region")[0] == '\0')
		return emu_error_missing_field(resp, "region");
	if (account_string_array(rec, "allowed_vpc_endpoint_ids", 0, 0, resp) <
	    0)
		return -1;
	cJSON_ArrayForEach(item,
			   emu_json_member(rec, "allowed_vpc_endpoint_ids"))
	{
		if (!emu_store_find(account_of(req->ws)->vpc_endpoints,
				    item->valuestring))
			return emu_error_invalid(resp,
						 "Invalid VpcEndpointId: %s",
						 item->valuestring);
	}
	return 0;
}

/* The settings have no creation time (PrivateAccessSettings). */
static void pas_on_create(struct emu_store *st, struct emu_request *req,
			  cJSON *rec)
{
	(void)st;
	cJSON_AddStringToObject(rec, "account_id",
				emu_workspace_account_id(req->ws));
}

/* clang-format off */
static const struct emu_store_field pas_fields[] = {
	{.name = "private_access_settings_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "region", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "public_access_enabled", .type = EMU_JSON_BOOL, .default_json = "false"},
	{.name = "private_access_level", .type = EMU_JSON_STRING, .values = access_levels,
	 .default_json = "\"ACCOUNT\""},
	{.name = "allowed_vpc_endpoint_ids", .type = EMU_JSON_ARRAY},
	{.name = "account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

const struct emu_store_decl account_pas_decl = {
	.name = "private_access_settings",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "private_access_settings_id",
	.make_id = pas_make_id,
	.fields = pas_fields,
	.nfields = EMU_ARRAY_SIZE(pas_fields),
	.missing = {.before = "Private access settings ",
		    .after = " does not exist."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "private_access_settings",
	.limit = {.before = "An account has at most ",
		  .after = " private access settings."},
	.create_reply = EMU_STORE_REPLY_OBJECT,
	.update_reply = EMU_STORE_REPLY_OBJECT,
	.hooks = {.validate = pas_validate, .on_create = pas_on_create},
};

const struct account_config account_pas_config = {
	.store = offsetof(struct account_state, private_access),
	.ref = "private_access_settings_id",
	.words = "private access settings",
};

/* PUT: the whole object again; account_id survives as the store keeps
 * read-only fields. */
void account_pas_replace(struct emu_request *req, struct emu_response *resp)
{
	if (emu_account_check(req, resp) < 0)
		return;
	emu_store_update(account_of(req->ws)->private_access, req, resp);
}
