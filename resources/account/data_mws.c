/*
 * databricks_mws_workspaces and databricks_mws_credentials: the account's
 * workspaces (name -> workspace_id) and credential configurations (name ->
 * credentials_id), from one GET of each list, as the official provider's
 * data sources give them.
 *
 * REST (account API): GET /api/2.0/accounts/{account_id}/workspaces and
 * .../credentials, both answering a bare JSON array.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <string.h>
#include "arena.h"
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"

/* map(number): workspace ids are numbers in the official schema. */
static const struct tfp_type map_number = {.kind = TFP_KIND_MAP,
					   .elem = &tfp_type_number};

/* clang-format off */
static const struct tfp_attr workspaces_attrs[] = {
	{ .name = "ids", .type = &map_number, .flags = TFP_COMPUTED,
	  .desc = "Each workspace's workspace_id, by workspace_name." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The account ID." },
	TFP_ATTR_END
};

static const struct tfp_attr credentials_attrs[] = {
	{ .name = "ids", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Each credential configuration's credentials_id, by "
		  "credentials_name." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The account ID." },
	TFP_ATTR_END
};
/* clang-format on */

/* What a list data source reads: its path, and each item's key and id. */
struct mws_list {
	const char *what; /* "workspaces", for messages */
	const char *path; /* after /api/2.0/accounts/<id>/ */
	const char *name_field, *id_field;
	const struct tfp_type *type; /* of ids */
};

static int mws_list_read(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *config)
{
	const struct mws_list *l = call->data;
	const char *account = tfp_rest_account_id(tfp_rest_of(call));
	struct tfp_value *v, *ids;
	const cJSON *item;
	cJSON *list = NULL;
	size_t n = 0;
	int error;

	if (account == NULL)
		return tfp_diag_error(call->diags, "Missing account_id",
				      "databricks_mws_%s lists an account's "
				      "%s: set account_id in the provider "
				      "block (or DATABRICKS_ACCOUNT_ID).",
				      l->what, l->what);
	error = tfp_rest_get(&list, call,
			     tfp_arena_printf(call->arena,
					      "/api/2.0/accounts/%s/%s",
					      tfp_rest_escape(call->arena,
							      account),
					      l->path),
			     NULL);
	if (error < 0)
		return error;
	ids = tfp_value_collection(call->arena, l->type,
				   (size_t)cJSON_GetArraySize(list));
	cJSON_ArrayForEach(item, list)
	{
		const char *name = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(item, l->name_field));
		const cJSON *id =
			cJSON_GetObjectItemCaseSensitive(item, l->id_field);
		int64_t num;

		if (name == NULL)
			continue;
		if (cJSON_IsString(id))
			ids->u.coll.items[n] =
				tfp_value_string(call->arena, id->valuestring);
		else if (tfp_json_int(&num, item, l->id_field, call->diags) ==
			 TFP_OK)
			ids->u.coll.items[n] = tfp_value_int(call->arena, num);
		else
			return TFP_ERROR;
		ids->u.coll.keys[n++] = tfp_arena_strdup(call->arena, name);
	}
	ids->u.coll.n = n;
	v = tfp_value_copy(call->arena, config);
	tfp_value_set(v, "ids", ids);
	tfp_value_set_string(call->arena, v, "id", account);
	*out = v;
	return TFP_OK;
}

static const struct mws_list workspaces_list = {
	.what = "workspaces",
	.path = "workspaces",
	.name_field = "workspace_name",
	.id_field = "workspace_id",
	.type = &map_number,
};

static const struct mws_list credentials_list = {
	.what = "credentials",
	.path = "credentials",
	.name_field = "credentials_name",
	.id_field = "credentials_id",
	.type = &tfp_type_map_string,
};

const struct tfp_data_source tfp_data_source_mws_workspaces = {
	.type_name = "databricks_mws_workspaces",
	.attrs = workspaces_attrs,
	.desc = "The account's workspaces: workspace_id by workspace_name.",
	.read = mws_list_read,
	.data = &workspaces_list,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};

const struct tfp_data_source tfp_data_source_mws_credentials = {
	.type_name = "databricks_mws_credentials",
	.attrs = credentials_attrs,
	.desc = "The account's credential configurations: credentials_id by "
		"credentials_name.",
	.read = mws_list_read,
	.data = &credentials_list,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
