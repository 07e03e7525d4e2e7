/*
 * What the account API's declarative resources (mws_*.c) share: their
 * request bodies never carry the account, which the path names, and the
 * API nests fields the official schemas keep flat.
 */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include "arena.h"
#include "diag.h"
#include "path.h"
#include "schema.h"
#include "account_internal.h"

int tfp_account__body_without_account(cJSON *body, struct tfp_call *call,
				      const struct tfp_value *prior,
				      const struct tfp_value *plan)
{
	(void)call;
	(void)prior;
	(void)plan;
	cJSON_DeleteItemFromObjectCaseSensitive(body, "account_id");
	return TFP_OK;
}

/* Moves field name of obj into a chain of objects at path (NULL-ended):
 * {"role_arn": x} becomes {"aws_credentials": {"sts_role": {"role_arn": x}}}.
 */
void tfp_account__nest(cJSON *obj, const char *name, const char *const *path)
{
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(obj, name);
	cJSON *at = obj, *next;

	if (v == NULL)
		return;
	for (; *path != NULL; path++) {
		next = cJSON_GetObjectItemCaseSensitive(at, *path);
		if (!cJSON_IsObject(next))
			next = cJSON_AddObjectToObject(at, *path);
		at = next;
	}
	cJSON_AddItemToObject(at, name, v);
}

void tfp_account__flatten(cJSON *obj, const char *name, const char *const *path)
{
	cJSON *at = obj, *v;

	for (; at != NULL && *path != NULL; path++)
		at = cJSON_GetObjectItemCaseSensitive(at, *path);
	v = at != NULL ? cJSON_DetachItemFromObjectCaseSensitive(at, name)
		       : NULL;
	if (v != NULL)
		cJSON_AddItemToObject(obj, name, v);
}

int tfp_account__cloud_args(struct tfp_call *call,
			    const struct tfp_value *config, const char *gcp_block,
			    const char *const *aws, size_t nrequired,
			    const char *what)
{
	const struct tfp_value *gcp = tfp_value_get(config, gcp_block);
	const char *list = "";
	bool has_gcp;
	size_t i;
	int error = TFP_OK;

	if (!tfp_value_is_known(gcp))
		return TFP_OK;
	has_gcp = gcp->u.coll.n > 0;
	for (i = 0; i < nrequired; i++)
		list = tfp_arena_printf(call->arena, "%s%s%s", list,
					i == 0		       ? ""
					: i + 1 == nrequired ? " and "
							     : ", ",
					aws[i]);
	for (i = 0; aws[i] != NULL; i++) {
		const struct tfp_value *v = tfp_value_get(config, aws[i]);

		if (tfp_value_is_unknown(v))
			continue;
		if (has_gcp && !tfp_value_is_null(v))
			error = tfp_diag_attr_error(
				call->diags,
				tfp_path_attr(call->arena, NULL, aws[i]),
				"Conflicting arguments",
				"%s is for AWS %ss; it cannot be used with "
				"%s.",
				aws[i], what, gcp_block);
		else if (!has_gcp && i < nrequired && tfp_value_is_null(v))
			error = tfp_diag_attr_error(
				call->diags,
				tfp_path_attr(call->arena, NULL, aws[i]),
				"Missing argument",
				"An AWS %s needs %s (or a %s block for GCP); "
				"%s is missing.",
				what, list, gcp_block, aws[i]);
	}
	return error;
}
