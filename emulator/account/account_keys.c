/*
 * Customer-managed keys of the Account API, under
 * /api/2.0/accounts/{account_id}/customer-managed-keys: the AWS KMS keys (or
 * GCP Cloud KMS keys) that encrypt a workspace's managed services or its
 * storage.
 *
 *   POST   customer-managed-keys        {aws_key_info: {key_arn, key_alias,
 *                                        key_region,
 *                                        reuse_key_for_cluster_volumes}} or
 *                                        {gcp_key_info: {kms_key_id}}, and
 *                                        use_cases: [MANAGED_SERVICES |
 *                                        STORAGE] -> CustomerManagedKey
 *   GET    customer-managed-keys        -> [CustomerManagedKey, ...]
 *   GET    customer-managed-keys/{id}   -> CustomerManagedKey
 *   DELETE customer-managed-keys/{id}   -> the deleted CustomerManagedKey
 *
 * Fields follow service/provisioning of databricks-sdk-go. The server
 * fills customer_managed_key_id, account_id, creation_time, and an AWS
 * key's key_region from its ARN (arn:aws:kms:<region>:<account>:key/<id>)
 * when none is given. Exactly one of aws_key_info and gcp_key_info, and at
 * least one use case, are required; the wording of those refusals is ours.
 * A key a workspace names (storage_customer_managed_key_id or
 * managed_services_customer_managed_key_id) cannot be deleted.
 */
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

static char *key_make_id(uint64_t n)
{
	return account_uuid(n, 0xC3C0ULL << 48);
}

static const char *const key_use_cases[] = {"MANAGED_SERVICES", "STORAGE"};

/* The region of a KMS key ARN (its fourth field), a new string, or NULL
 * when key_arn is not arn:<partition>:kms:<region>:... */
static char *kms_region(const char *arn)
{
	const char *p = arn, *end;
	int i;

	for (i = 0; i < 3; i++) {
		p = strchr(p, ':');
		if (!p)
			return NULL;
		p++;
	}
	if (strncmp(arn, "arn:", 4) != 0 || strstr(arn, ":kms:") == NULL)
		return NULL;
	end = strchr(p, ':');
	if (!end || end == p)
		return NULL;
	return emu_xmemdup0(p, (size_t)(end - p));
}

static int key_validate_use_cases(const cJSON *rec, struct emu_response *resp)
{
	const cJSON *item;
	size_t i;

	if (account_string_array(rec, "use_cases", 1, 0, resp) < 0)
		return -1;
	if (!emu_json_member(rec, "use_cases"))
		return emu_error_missing_field(resp, "use_cases");
	cJSON_ArrayForEach(item, emu_json_member(rec, "use_cases"))
	{
		for (i = 0; i < EMU_ARRAY_SIZE(key_use_cases); i++)
			if (strcmp(item->valuestring, key_use_cases[i]) == 0)
				break;
		if (i == EMU_ARRAY_SIZE(key_use_cases))
			return emu_error_invalid(resp,
						 "Invalid use_cases '%s': "
						 "expected one of "
						 "MANAGED_SERVICES, STORAGE.",
						 item->valuestring);
	}
	return 0;
}

static int key_validate(struct emu_store *st, struct emu_request *req,
			cJSON *rec, const cJSON *existing,
			struct emu_response *resp)
{
	cJSON *aws = emu_json_member(rec, "aws_key_info");
	const cJSON *gcp = emu_json_member(rec, "gcp_key_info");
	char *region;

	(void)st;
	(void)req;
	(void)existing;
	if (key_validate_use_cases(rec, resp) < 0)
		return -1;
	if ((aws != NULL) == (gcp != NULL))
		return emu_error_invalid(resp,
					 "Give exactly one of aws_key_info "
					 "and gcp_key_info.");
	if (gcp)
		return account_nested_string(gcp, "gcp_key_info.kms_key_id",
					     "kms_key_id", resp);
	if (account_nested_string(aws, "aws_key_info.key_arn", "key_arn",
				  resp) < 0)
		return -1;
	region = kms_region(emu_json_str(aws, "key_arn"));
	if (!region)
		return emu_error_invalid(resp,
					 "Invalid aws_key_info.key_arn '%s': "
					 "expected the ARN of a KMS key, "
					 "arn:aws:kms:<region>:<account>:key/"
					 "<id>.",
					 emu_json_str(aws, "key_arn"));
	if (!emu_json_str(aws, "key_region"))
		cJSON_AddStringToObject(aws, "key_region", region);
	free(region);
	return 0;
}

/* clang-format off */
static const struct emu_store_field key_fields[] = {
	{.name = "aws_key_info", .type = EMU_JSON_OBJECT},
	{.name = "gcp_key_info", .type = EMU_JSON_OBJECT},
	{.name = "use_cases", .type = EMU_JSON_ARRAY, .flags = EMU_STORE_REQUIRED},
	{.name = "account_id", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY},
	{.name = "creation_time", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
};
/* clang-format on */

const struct emu_store_decl account_key_decl = {
	.name = "customer_managed_keys",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "customer_managed_key_id",
	.make_id = key_make_id,
	.fields = key_fields,
	.nfields = EMU_ARRAY_SIZE(key_fields),
	.missing = {.before = "Customer-managed key configuration ",
		    .after = " does not exist."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "customer_managed_keys",
	.limit = {.before = "An account has at most ",
		  .after = " customer-managed key configurations."},
	.create_reply = EMU_STORE_REPLY_OBJECT,
	.hooks = {.validate = key_validate, .on_create = account_stamp},
};

/* A workspace names a key for one or both of its two uses. */
static const char *key_used_by(const struct account_state *a, const char *id)
{
	const char *ws = account_workspace_using(
		a, "storage_customer_managed_key_id", id);

	return ws ? ws
		  : account_workspace_using(
			    a, "managed_services_customer_managed_key_id", id);
}

const struct account_config account_key_config = {
	.store = offsetof(struct account_state, keys),
	.ref = "customer_managed_key_id",
	.words = "customer-managed key configuration",
	.used_by = key_used_by,
};
