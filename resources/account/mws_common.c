/*
 * What the account API's declarative resources (mws_*.c) share: their
 * request bodies never carry the account, which the path names, and the
 * API nests fields the official schemas keep flat.
 */
#include <cjson/cJSON.h>
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
