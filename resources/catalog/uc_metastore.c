/*
 * databricks_metastore and databricks_metastore_assignment: a Unity
 * Catalog metastore (the top of the catalog.schema.table namespace, one
 * per region and account, shared by the workspaces assigned to it) and the
 * assignment of a workspace to one.
 *
 * Both are dual-level types: a workspace-level provider and an
 * account-level one manage them through different APIs, picked by the
 * provider's level (tfp_rres.account, TFP_DATABRICKS_ANY_LEVEL).
 *
 * REST, workspace level: POST /api/2.1/unity-catalog/metastores,
 * GET|PATCH|DELETE .../metastores/{id} (?force=true);
 * PUT|PATCH /api/2.1/unity-catalog/workspaces/{workspace_id}/metastore,
 * DELETE the same with ?metastore_id=, and
 * GET /api/2.1/unity-catalog/current-metastore-assignment.
 * REST, account level: POST /api/2.0/accounts/{account_id}/metastores,
 * GET|PUT|DELETE .../metastores/{metastore_id}, objects wrapped as
 * {"metastore_info": {...}}; GET .../workspaces/{workspace_id}/metastore,
 * POST|PUT|DELETE .../workspaces/{workspace_id}/metastores/{metastore_id},
 * wrapped as {"metastore_assignment": {...}}.
 *
 * Quirks that explain the code:
 *  - A metastore's create takes name, storage_root and region only; the
 *    delta sharing settings and the root credential are set by an update
 *    right after it, and the owner last, alone (an owner given away first
 *    could take the right to make the other changes).
 *  - Renaming is new_name in the update. The service wants the recipient
 *    token lifetime beside a delta_sharing_scope, so an update of the scope
 *    carries it (the official provider forces it in).
 *  - The service appends "/<metastore_id>" to storage_root; read keeps the
 *    configured root. storage_root only takes effect at create: changing
 *    it replaces the metastore.
 *  - A workspace provider reads an assignment through its own workspace's
 *    current-metastore-assignment, which knows no other workspace: the
 *    workspace_id stays the one of the ID, as in the official provider.
 *  - default_catalog_name is deprecated (databricks_default_namespace_
 *    setting replaces it) but still accepted and read.
 * Import IDs: the metastore ID; "<workspace_id>|<metastore_id>".
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest_resource.h"
#include "schema.h"
#include "value.h"
#include "catalog_internal.h"

#define ACCOUNT_API "/api/2.0/accounts/{account_id}"

/* --- schema --------------------------------------------------------------- */

static int metastore_validate_scope(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v)
{
	static const char *const allowed[] = {"INTERNAL",
					      "INTERNAL_AND_EXTERNAL", NULL};

	return tfp_catalog__check_enum(d, path, v, "delta_sharing_scope",
				       allowed,
				       "INTERNAL or INTERNAL_AND_EXTERNAL");
}

/* clang-format off */
static const struct tfp_attr metastore_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The metastore's name, unique in its region. Changing it "
		  "renames the metastore in place." },
	{ .name = "storage_root", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .validate = tfp_catalog__validate_url,
	  .desc = "Where managed tables are stored when their catalog and "
		  "schema name no location. Changing it replaces the "
		  "metastore." },
	{ .name = "region", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The cloud region of the metastore. Required with an "
		  "account-level provider; a workspace takes its own." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the metastore; the creator when left out." },
	{ .name = "storage_root_credential_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The storage credential used for storage_root; "
		  "databricks_metastore_data_access with is_default sets it." },
	{ .name = "default_data_access_config_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_DEPRECATED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Deprecated: storage_root_credential_id." },
	{ .name = "delta_sharing_scope", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = metastore_validate_scope,
	  .desc = "INTERNAL or INTERNAL_AND_EXTERNAL (Delta Sharing to "
		  "recipients outside the account). Set it with "
		  "delta_sharing_recipient_token_lifetime_in_seconds." },
	{ .name = "delta_sharing_recipient_token_lifetime_in_seconds",
	  .type = &tfp_type_number, .flags = TFP_OPTIONAL,
	  .desc = "How long recipients' tokens last, in seconds (0: "
		  "forever). Set it with delta_sharing_scope." },
	{ .name = "delta_sharing_organization_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The organisation name Databricks-to-Databricks sharing "
		  "shows. Once set it can be changed but not removed." },
	{ .name = "force_destroy", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Delete the metastore on destroy whatever it still holds "
		  "and whichever workspaces it is assigned to." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore's ID (a UUID)." },
	{ .name = "cloud", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The cloud of the metastore: aws, azure or gcp." },
	{ .name = "global_metastore_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<cloud>:<region>:<metastore_id>, the ID Delta Sharing "
		  "recipients use." },
	{ .name = "created_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "When the metastore was created, in epoch milliseconds." },
	{ .name = "created_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Who created the metastore." },
	{ .name = "updated_at", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "When the metastore last changed, in epoch milliseconds." },
	{ .name = "updated_by", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "Who changed the metastore last." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The metastore's ID." },
	TFP_ATTR_END
};

static const struct tfp_attr assign_attrs[] = {
	{ .name = "workspace_id", .type = &tfp_type_number,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The workspace to assign. Changing it replaces the "
		  "assignment." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The metastore assigned to it. Changing it replaces the "
		  "assignment." },
	{ .name = "default_catalog_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_DEPRECATED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Deprecated: use databricks_default_namespace_setting. The "
		  "catalog unqualified names resolve in." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<workspace_id>|<metastore_id>." },
	TFP_ATTR_END
};
/* clang-format on */

/* What a metastore's create takes; the rest goes in the update after it. */
static const char *const metastore_create_fields[] = {"name", "storage_root",
						      "region", NULL};
static const char *const metastore_after_create_fields[] = {
	"storage_root_credential_id", "delta_sharing_scope",
	"delta_sharing_recipient_token_lifetime_in_seconds",
	"delta_sharing_organization_name", NULL};
static const char *const metastore_update_fields[] = {
	"name",
	"storage_root_credential_id",
	"delta_sharing_scope",
	"delta_sharing_recipient_token_lifetime_in_seconds",
	"delta_sharing_organization_name",
	NULL};
static const char *const metastore_slashed[] = {"storage_root", NULL};

/* --- pure functions ------------------------------------------------------- */

/*
 * The root as configured, from the root the service answers: it appends
 * "/<metastore_id>" (with or without a slash before it). NULL when root
 * does not end so.
 */
const char *tfp_catalog__metastore_root(struct tfp_call *call, const char *root,
					const char *metastore_id)
{
	size_t n = root != NULL ? strlen(root) : 0;
	size_t m = metastore_id != NULL ? strlen(metastore_id) : 0;

	if (m == 0 || n <= m + 1 || root[n - m - 1] != '/' ||
	    strcmp(root + n - m, metastore_id) != 0)
		return NULL;
	return tfp_arena_strndup(call->arena, root, n - m - 1);
}

/* --- hooks: metastore ----------------------------------------------------- */

/* A rename goes as new_name; a scope goes with its token lifetime. */
static int metastore_body(cJSON *body, struct tfp_call *call,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan)
{
	cJSON *name;
	int64_t lifetime;

	(void)call;
	if (prior == NULL)
		return TFP_OK;
	name = cJSON_DetachItemFromObjectCaseSensitive(body, "name");
	if (name != NULL)
		cJSON_AddItemToObject(body, "new_name", name);
	if (cJSON_HasObjectItem(body, "delta_sharing_scope") &&
	    !cJSON_HasObjectItem(
		    body,
		    "delta_sharing_recipient_token_lifetime_in_seconds") &&
	    tfp_value_get_int(
		    plan, "delta_sharing_recipient_token_lifetime_in_seconds",
		    &lifetime))
		tfp_json_add_int(body,
				 "delta_sharing_recipient_token_lifetime_in_"
				 "seconds",
				 lifetime);
	return TFP_OK;
}

/* The configured storage_root, not the one with the ID appended, unless
 * the configuration spelt the whole of it. */
static void metastore_normalize(struct tfp_call *call, struct tfp_value *state,
				const struct tfp_value *prior)
{
	const char *full = tfp_value_get_string(state, "storage_root");
	const char *root = tfp_catalog__metastore_root(
		call, full, tfp_value_get_string(state, "metastore_id"));
	const char *prior_root =
		tfp_value_is_known(prior)
			? tfp_value_get_string(prior, "storage_root")
			: NULL;

	if (root != NULL &&
	    (prior_root == NULL || strcmp(prior_root, full) != 0))
		tfp_value_set_string(call->arena, state, "storage_root", root);
}

/* --- hooks: assignment ---------------------------------------------------- */

/* A workspace reads its own assignment: the ID's workspace_id stays. */
static void assign_normalize(struct tfp_call *call, struct tfp_value *state,
			     const struct tfp_value *prior)
{
	const struct tfp_value *ws =
		tfp_value_is_known(prior) ? tfp_value_get(prior, "workspace_id")
					  : NULL;

	if (tfp_value_is_known(ws))
		tfp_value_set(state, "workspace_id",
			      tfp_value_copy(call->arena, ws));
}

/* --- the resources -------------------------------------------------------- */

/* What both levels' declarations share; they differ in paths, the
 * account API's PUT and its wrapper. */
#define METASTORE_IDENTITY                                                     \
	.what = "metastore", .attrs = metastore_attrs,                         \
	.id = "{metastore_id}", .id_field = "metastore_id",                    \
	.import_form = "<metastore_id>"
#define METASTORE_FIELDS                                                       \
	.create_fields = metastore_create_fields,                              \
	.create_patch_fields = metastore_after_create_fields,                  \
	.update_mode = TFP_RRES_PATCH,                                         \
	.update_fields = metastore_update_fields, .owner_field = "owner",      \
	.force_delete = "force_destroy", .slashed = metastore_slashed,         \
	.create_answers_object = true

/* clang-format off */
static const struct tfp_rres metastore_account_rres = {
	METASTORE_IDENTITY,
	.create = { .path = ACCOUNT_API "/metastores" },
	.read = { .path = ACCOUNT_API "/metastores/{id}" },
	.update = { .method = "PUT", .path = ACCOUNT_API "/metastores/{id}" },
	.del = { .path = ACCOUNT_API "/metastores/{id}" },
	.list = { .path = ACCOUNT_API "/metastores", .items = "metastores",
		  .id_field = "metastore_id" },
	METASTORE_FIELDS,
	.wrapper = "metastore_info",
	.body = metastore_body,
	.normalize = metastore_normalize,
};

static const struct tfp_rres metastore_rres = {
	METASTORE_IDENTITY,
	.create = { .path = TFP_UC_API "/metastores" },
	.read = { .path = TFP_UC_API "/metastores/{id}" },
	.update = { .path = TFP_UC_API "/metastores/{id}" },
	.del = { .path = TFP_UC_API "/metastores/{id}" },
	.list = { .path = TFP_UC_API "/metastores", .items = "metastores",
		  .id_field = "metastore_id" },
	METASTORE_FIELDS,
	.account = &metastore_account_rres,
	.body = metastore_body,
	.normalize = metastore_normalize,
};

static const struct tfp_rres assign_account_rres = {
	.what = "metastore assignment",
	.attrs = assign_attrs,
	.id = "{workspace_id}|{metastore_id}",
	.import_form = "<workspace_id>|<metastore_id>",
	.create = { .path = ACCOUNT_API
		    "/workspaces/{workspace_id}/metastores/{metastore_id}" },
	.read = { .path = ACCOUNT_API "/workspaces/{workspace_id}/metastore" },
	.update = { .method = "PUT", .path = ACCOUNT_API
		    "/workspaces/{workspace_id}/metastores/{metastore_id}" },
	.del = { .path = ACCOUNT_API
		 "/workspaces/{workspace_id}/metastores/{metastore_id}" },
	.update_mode = TFP_RRES_PATCH,
	.wrapper = "metastore_assignment",
};

static const struct tfp_rres assign_rres = {
	.what = "metastore assignment",
	.attrs = assign_attrs,
	.id = "{workspace_id}|{metastore_id}",
	.import_form = "<workspace_id>|<metastore_id>",
	.create = { .method = "PUT",
		    .path = TFP_UC_API "/workspaces/{workspace_id}/metastore" },
	.read = { .path = TFP_UC_API "/current-metastore-assignment" },
	.update = { .path = TFP_UC_API "/workspaces/{workspace_id}/metastore" },
	.del = { .path = TFP_UC_API "/workspaces/{workspace_id}/metastore",
		 .query_attr = "metastore_id" },
	.update_mode = TFP_RRES_PATCH,
	.account = &assign_account_rres,
	.normalize = assign_normalize,
};
/* clang-format on */

const struct tfp_resource tfp_resource_metastore = {
	.type_name = "databricks_metastore",
	.attrs = metastore_attrs,
	.desc = "A Unity Catalog metastore, with a workspace-level or an "
		"account-level provider. Renaming, the owner and the Delta "
		"Sharing settings change in place; a new storage_root or "
		"region replaces it.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &metastore_rres,
	.provider_flags = TFP_DATABRICKS_ANY_LEVEL,
};

const struct tfp_resource tfp_resource_metastore_assignment = {
	.type_name = "databricks_metastore_assignment",
	.attrs = assign_attrs,
	.desc = "Assigns a Unity Catalog metastore to a workspace, with a "
		"workspace-level or an account-level provider. A workspace "
		"has at most one metastore.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &assign_rres,
	.provider_flags = TFP_DATABRICKS_ANY_LEVEL,
};
