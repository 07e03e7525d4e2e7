/*
 * The metastore data sources: databricks_current_metastore (the metastore
 * of the provider's workspace), databricks_metastore (one metastore of the
 * account, by ID, name or region) and databricks_metastores (the account's
 * metastores, name to ID).
 *
 * REST: GET /api/2.1/unity-catalog/metastore_summary (workspace level);
 * GET /api/2.0/accounts/{account_id}/metastores and
 * GET .../metastores/{metastore_id} ({"metastore_info": {...}}) (account
 * level).
 *
 * Quirks that explain the code:
 *  - A workspace with no metastore answers metastore_summary with 404
 *    METASTORE_DOES_NOT_EXIST "No metastore assigned for the current
 *    workspace."; databricks_current_metastore then reads id
 *    "no_metastore" and no metastore_info, as the official provider does.
 *  - databricks_metastore and databricks_metastores are account-level only
 *    in the official provider, and here.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "value.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

#define INFO_STRING(n, d)                                                      \
	{                                                                      \
		.name = n, .type = &tfp_type_string, .flags = TFP_COMPUTED,    \
		.desc = d                                                      \
	}
#define INFO_NUMBER(n, d)                                                      \
	{                                                                      \
		.name = n, .type = &tfp_type_number, .flags = TFP_COMPUTED,    \
		.desc = d                                                      \
	}

/* clang-format off */
static const struct tfp_attr info_attrs[] = {
	INFO_STRING("metastore_id", "The metastore's ID."),
	INFO_STRING("name", "The metastore's name."),
	INFO_STRING("cloud", "aws, azure or gcp."),
	INFO_STRING("region", "The metastore's region."),
	INFO_STRING("global_metastore_id", "<cloud>:<region>:<metastore_id>."),
	INFO_STRING("storage_root", "The metastore's root storage."),
	INFO_STRING("storage_root_credential_id",
		    "The credential used for storage_root."),
	INFO_STRING("storage_root_credential_name",
		    "That credential's name."),
	INFO_STRING("default_data_access_config_id",
		    "Deprecated: storage_root_credential_id."),
	INFO_STRING("owner", "The metastore's owner."),
	INFO_STRING("privilege_model_version",
		    "The privilege model, e.g. 1.0."),
	INFO_STRING("delta_sharing_scope", "INTERNAL or INTERNAL_AND_EXTERNAL."),
	INFO_NUMBER("delta_sharing_recipient_token_lifetime_in_seconds",
		    "How long recipients' tokens last (0: forever)."),
	INFO_STRING("delta_sharing_organization_name",
		    "The Delta Sharing organisation name."),
	{ .name = "external_access_enabled", .type = &tfp_type_bool,
	  .flags = TFP_COMPUTED,
	  .desc = "Whether engines outside Databricks may read the "
		  "metastore." },
	INFO_NUMBER("created_at", "When it was created, in epoch ms."),
	INFO_STRING("created_by", "Who created it."),
	INFO_NUMBER("updated_at", "When it last changed, in epoch ms."),
	INFO_STRING("updated_by", "Who changed it last."),
	TFP_ATTR_END
};

static const struct tfp_block info_blocks[] = {
	{ .name = "metastore_info", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = info_attrs, .desc = "The metastore, filled by the read." },
	TFP_BLOCK_END
};

static const struct tfp_attr provider_config_attrs[] = {
	{ .name = "workspace_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The workspace whose metastore an account-level provider "
		  "reads." },
	TFP_ATTR_END
};

static const struct tfp_block current_blocks[] = {
	{ .name = "metastore_info", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = info_attrs, .desc = "The metastore, filled by the read." },
	{ .name = "provider_config", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .attrs = provider_config_attrs,
	  .desc = "For an account-level provider: the workspace to read." },
	TFP_BLOCK_END
};

static const struct tfp_attr current_attrs[] = {
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The metastore's ID, or no_metastore when the workspace "
		  "has none." },
	TFP_ATTR_END
};

static const struct tfp_attr one_attrs[] = {
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The metastore's ID: give it, name or region." },
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The metastore's name." },
	{ .name = "region", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The metastore's region (one metastore in it)." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The metastore's ID." },
	TFP_ATTR_END
};

static const struct tfp_attr all_attrs[] = {
	{ .name = "ids", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The account's metastores: name to ID." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "Always \"_\"." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- helpers -------------------------------------------------------------- */

/* v (a copy of config) with metastore_info set from info (may be NULL). */
static int set_info(struct tfp_call *call, struct tfp_value *v,
		    const cJSON *info)
{
	const struct tfp_type *list_t = v->type->attr_types[tfp_type_attr_index(
		v->type, "metastore_info")];
	struct tfp_value *item = NULL, *list;
	int error;

	if (info == NULL) {
		tfp_value_set(v, "metastore_info",
			      tfp_value_collection(call->arena, list_t, 0));
		return TFP_OK;
	}
	error = tfp_jsonmap_to_value(&item, call->arena, list_t->elem,
				     info_attrs, NULL, info, NULL, call->diags);
	if (error < 0)
		return error;
	list = tfp_value_collection(call->arena, list_t, 1);
	list->u.coll.items[0] = item;
	tfp_value_set(v, "metastore_info", list);
	return TFP_OK;
}

/* The account's metastores ({"metastores": [...]}). */
static int list_metastores(const cJSON **out, struct tfp_call *call)
{
	cJSON *reply = NULL;
	int error = tfp_rest_call(&reply, call, "GET",
				  tfp_catalog__account_metastore(call, NULL),
				  NULL, NULL, TFP_REST_CACHE);

	if (error < 0)
		return error;
	*out = cJSON_GetObjectItemCaseSensitive(reply, "metastores");
	return TFP_OK;
}

/* --- databricks_current_metastore ----------------------------------------- */

/* provider_config's workspace_id, or NULL. */
static const char *current_workspace(const struct tfp_value *config)
{
	const struct tfp_value *pc = tfp_value_get(config, "provider_config");

	if (!tfp_value_is_known(pc) || pc->u.coll.n == 0)
		return NULL;
	return tfp_value_get_string(pc->u.coll.items[0], "workspace_id");
}

/*
 * The account's view of a workspace's metastore: its assignment, then the
 * metastore. *out NULL (TFP_OK) when the workspace has none.
 */
static int current_from_account(cJSON **out, struct tfp_call *call,
				const char *workspace_id)
{
	const char *acc = tfp_rest_escape(
		call->arena, tfp_rest_account_id(tfp_rest_of(call)));
	cJSON *reply = NULL;
	const char *id;
	int error;

	*out = NULL;
	error = tfp_rest_get(
		&reply, call,
		tfp_arena_printf(call->arena,
				 "/api/2.0/accounts/%s/workspaces/%s/metastore",
				 acc, tfp_rest_escape(call->arena,
						      workspace_id)),
		NULL);
	if (error == TFP_ENOTFOUND)
		return TFP_OK;
	if (error < 0)
		return error;
	id = tfp_json_string(
		cJSON_GetObjectItemCaseSensitive(reply, "metastore_assignment"),
		"metastore_id");
	if (id == NULL)
		return TFP_OK;
	error = tfp_rest_get(
		&reply, call,
		tfp_arena_printf(call->arena,
				 "/api/2.0/accounts/%s/metastores/%s", acc,
				 tfp_rest_escape(call->arena, id)),
		NULL);
	if (error < 0)
		return error;
	*out = cJSON_GetObjectItemCaseSensitive(reply, "metastore_info");
	return TFP_OK;
}

static int current_read(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *config)
{
	struct tfp_value *v = tfp_value_copy(call->arena, config);
	const char *workspace = current_workspace(config);
	cJSON *summary = NULL;
	const char *id;
	int error;

	if (tfp_rest_is_account(tfp_rest_of(call))) {
		/* The official provider's way to read it through the
		 * account: provider_config names the workspace. */
		if (workspace == NULL)
			return tfp_diag_error(
				call->diags, "Missing provider_config",
				"With an account-level provider, "
				"databricks_current_metastore needs "
				"provider_config { workspace_id = ... } to "
				"say which workspace's metastore to read.");
		error = current_from_account(&summary, call, workspace);
		if (error == TFP_OK && summary == NULL)
			error = TFP_ENOTFOUND;
	} else {
		error = tfp_rest_call(&summary, call, "GET",
				      TFP_UC_API "/metastore_summary", NULL,
				      NULL, 0);
	}
	if (error == TFP_ENOTFOUND) {
		tfp_value_set_string(call->arena, v, "id", "no_metastore");
		error = set_info(call, v, NULL);
	} else if (error == TFP_OK) {
		id = tfp_json_string(summary, "metastore_id");
		if (id == NULL)
			return tfp_call_fail(
				call, "The workspace's metastore summary "
				      "has no metastore_id.");
		tfp_value_set_string(call->arena, v, "id", id);
		error = set_info(call, v, summary);
	}
	if (error == TFP_OK)
		*out = v;
	return error;
}

/* --- databricks_metastore ------------------------------------------------- */

/* The one metastore of list whose name and region (each when not NULL)
 * match; an error when none or several do. */
static int one_match(const cJSON **out, struct tfp_call *call,
		     const cJSON *list, const char *name, const char *region)
{
	const cJSON *m, *found = NULL;
	int n = 0;

	cJSON_ArrayForEach(m, list)
	{
		const char *mn = tfp_json_string(m, "name");
		const char *mr = tfp_json_string(m, "region");

		if ((name != NULL && (mn == NULL || strcmp(mn, name) != 0)) ||
		    (region != NULL && (mr == NULL || strcmp(mr, region) != 0)))
			continue;
		found = m;
		n++;
	}
	if (n == 1) {
		*out = found;
		return TFP_OK;
	}
	return tfp_diag_error(
		call->diags,
		n == 0 ? "Metastore not found" : "More than one metastore",
		"The account has %s metastore%s%s%s%s%s.",
		n == 0 ? "no" : "several", n == 0 ? "" : "s",
		name != NULL ? " named " : "", name != NULL ? name : "",
		region != NULL ? " in region " : "",
		region != NULL ? region : "");
}

static int one_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	const char *id = tfp_value_get_string(config, "metastore_id");
	const char *name = tfp_value_get_string(config, "name");
	const char *region = tfp_value_get_string(config, "region");
	struct tfp_value *v = tfp_value_copy(call->arena, config);
	const cJSON *info = NULL, *list = NULL;
	cJSON *reply = NULL;
	int error;

	if (id == NULL)
		id = tfp_value_get_string(config, "id");
	if (id == NULL && name == NULL && region == NULL)
		return tfp_diag_error(
			call->diags, "Missing argument",
			"databricks_metastore needs metastore_id, "
			"name or region to find a metastore.");
	if (id != NULL) {
		error = tfp_rest_call(&reply, call, "GET",
				      tfp_catalog__account_metastore(call, id),
				      NULL, NULL, 0);
		if (error == TFP_ENOTFOUND)
			return tfp_diag_error(call->diags,
					      "Metastore not found",
					      "The account has no metastore "
					      "%s.",
					      id);
		info = cJSON_GetObjectItemCaseSensitive(reply,
							"metastore_info");
	} else {
		error = list_metastores(&list, call);
		if (error == TFP_OK)
			error = one_match(&info, call, list, name, region);
	}
	if (error < 0)
		return error;
	id = tfp_json_string(info, "metastore_id");
	if (id == NULL)
		return tfp_call_fail(call, "The account answered with a "
					   "metastore without metastore_id.");
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, "metastore_id", id);
	tfp_value_set_string(call->arena, v, "name",
			     tfp_json_string(info, "name"));
	tfp_value_set_string(call->arena, v, "region",
			     tfp_json_string(info, "region"));
	error = set_info(call, v, info);
	if (error == TFP_OK)
		*out = v;
	return error;
}

/* --- databricks_metastores ------------------------------------------------ */

static int all_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	struct tfp_value *v = tfp_value_copy(call->arena, config), *ids;
	const cJSON *list = NULL, *m;
	size_t n = 0, i;
	int error;

	error = list_metastores(&list, call);
	if (error < 0)
		return error;
	ids = tfp_value_collection(call->arena, &tfp_type_map_string,
				   (size_t)cJSON_GetArraySize(list));
	cJSON_ArrayForEach(m, list)
	{
		const char *name = tfp_json_string(m, "name");
		const char *id = tfp_json_string(m, "metastore_id");

		if (name == NULL || id == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(ids->u.coll.keys[i], name) == 0)
				return tfp_diag_error(
					call->diags, "Duplicate metastore name",
					"The account has two metastores named "
					"\"%s\"; databricks_metastores maps "
					"names to IDs.",
					name);
		ids->u.coll.keys[n] = tfp_arena_strdup(call->arena, name);
		ids->u.coll.items[n] = tfp_value_string(call->arena, id);
		n++;
	}
	ids->u.coll.n = n;
	tfp_value_set(v, "ids", ids);
	tfp_value_set_string(call->arena, v, "id", "_");
	*out = v;
	return TFP_OK;
}

/* --- descriptors ---------------------------------------------------------- */

const struct tfp_data_source tfp_data_source_current_metastore = {
	.type_name = "databricks_current_metastore",
	.attrs = current_attrs,
	.blocks = current_blocks,
	.provider_flags = TFP_DATABRICKS_ANY_LEVEL,
	.desc = "The Unity Catalog metastore assigned to the provider's "
		"workspace; id no_metastore when there is none.",
	.read = current_read,
};

const struct tfp_data_source tfp_data_source_metastore = {
	.type_name = "databricks_metastore",
	.attrs = one_attrs,
	.blocks = info_blocks,
	.desc = "One Unity Catalog metastore of the account, by ID, name or "
		"region (account-level provider).",
	.read = one_read,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};

const struct tfp_data_source tfp_data_source_metastores = {
	.type_name = "databricks_metastores",
	.attrs = all_attrs,
	.desc = "The account's Unity Catalog metastores, name to ID "
		"(account-level provider).",
	.read = all_read,
	.provider_flags = TFP_DATABRICKS_ACCOUNT,
};
