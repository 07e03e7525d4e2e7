/*
 * databricks_user, databricks_group and databricks_service_principal: the
 * workspace's SCIM principals, with their entitlements as flags.
 *
 * REST: POST /api/2.0/preview/scim/v2/{Users|Groups|ServicePrincipals};
 * GET|PUT|PATCH|DELETE .../{kind}/{id}; GET .../{kind}?filter=... (force);
 * POST /api/2.0/workspace/delete (force_delete_repos,
 * force_delete_home_dir).
 *
 * Quirks that explain the code:
 *  - An update is a PUT of the whole principal, as the official provider
 *    sends it. SCIM's PUT replaces, so what Terraform does not manage is
 *    read first and sent back: a principal's groups and roles, a group's
 *    members (and roles, which the official provider loses).
 *  - `force` adopts a principal that exists: the create's duplicate error
 *    ("User with username <x> already exists.", "Group with name <x>
 *    already exists.", "Service principal with application ID <x> already
 *    exists.", or the account's "User with email <x> already exists in
 *    this account", compared without regard to case) is answered by a
 *    filter on the key, and the principal found is PUT as configured.
 *  - The service lower-cases user names, and application ids are UUIDs
 *    in either case: both are compared without regard to case, and the
 *    configuration's spelling stays in the state.
 *  - A user or service principal is deleted, or with
 *    disable_as_user_deletion only deactivated (PATCH active false, in
 *    the official form [{"value": "false"}]); at workspace level that is
 *    off unless set. force_delete_repos / force_delete_home_dir then
 *    delete /Repos/<name> and /Users/<name> through the Workspace API,
 *    where a 404 (nothing there, or no Workspace API, as in the emulator)
 *    is no error. Deactivation cannot go with them.
 *  - home, repos, acl_principal_id and a group's url are made from the
 *    answer, as the official provider makes them.
 *  - active is true and every entitlement false unless configured (the
 *    official defaults), so a user deactivated behind Terraform's back is
 *    drift and the next apply reactivates it.
 *  - Import is by the SCIM id.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "identity_internal.h"
#include "jsonmap.h"
#include "log.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "value.h"

#define WORKSPACE_DELETE "/api/2.0/workspace/delete"

/* A principal type: its descriptor first (call->data is both). */
struct principal {
	struct tfp_rres rres;
	const char *kind;     /* "Users": the path segment */
	const char *schema;   /* the core schema's URN */
	const char *key;      /* the unique attribute: "user_name" */
	const char *key_json; /* its SCIM name: "userName" */
	/* What a duplicate error says before the key, NULL-terminated. */
	const char *const *dup;
	/* The attribute home and repos are named after (NULL: a group). */
	const char *name_attr;
};

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
#define PRINCIPAL_FORCE_ATTRS(what)                                            \
	{ .name = "force", .type = &tfp_type_bool,                             \
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,                                 \
	  .desc = "Adopt a " what " that already exists instead of failing, "  \
		  "and set it as configured." }

#define PRINCIPAL_DELETE_ATTRS                                                 \
	{ .name = "home", .type = &tfp_type_string,                            \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "The home folder, /Users/<name>." },                         \
	{ .name = "repos", .type = &tfp_type_string,                           \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = "The personal Repos folder, /Repos/<name>." },               \
	{ .name = "force_delete_repos", .type = &tfp_type_bool,                \
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,                                 \
	  .desc = "Also delete the Repos folder when deleting." },             \
	{ .name = "force_delete_home_dir", .type = &tfp_type_bool,             \
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,                                 \
	  .desc = "Also delete the home folder when deleting." }

static const struct tfp_attr user_attrs[] = {
	{ .name = "user_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_CASE_INSENSITIVE,
	  .json = "userName",
	  .desc = "The user name, an e-mail address; the service keeps it in "
		  "lower case." },
	{ .name = "display_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "displayName",
	  .desc = "The full name; the user name unless set." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "externalId",
	  .desc = "The user's id in an external identity provider." },
	{ .name = "active", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether the user may log in; true unless set." },
	TFP_IDENTITY_ENTITLEMENT_ATTRS,
	PRINCIPAL_FORCE_ATTRS("user"),
	PRINCIPAL_DELETE_ATTRS,
	{ .name = "disable_as_user_deletion", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_NO_JSON,
	  .desc = "Deactivate the user instead of deleting it; false at "
		  "workspace level unless set." },
	{ .name = "acl_principal_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "users/<user_name>, for access control rule sets." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user's SCIM id." },
	TFP_ATTR_END
};

static int group_validate_name(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v);

static const struct tfp_attr group_attrs[] = {
	{ .name = "display_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED, .json = "displayName",
	  .validate = group_validate_name,
	  .desc = "The group's name; not \"users\" or \"admins\", the "
		  "workspace's own groups." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "externalId",
	  .desc = "The group's id in an external identity provider." },
	{ .name = "url", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The group's page in the workspace's admin settings." },
	TFP_IDENTITY_ENTITLEMENT_ATTRS,
	PRINCIPAL_FORCE_ATTRS("group"),
	{ .name = "acl_principal_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "groups/<display_name>, for access control rule sets." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The group's SCIM id." },
	TFP_ATTR_END
};

static const struct tfp_attr sp_attrs[] = {
	{ .name = "application_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW |
		   TFP_CASE_INSENSITIVE,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "applicationId",
	  .desc = "The application id (a UUID); the workspace issues one "
		  "unless set (on AWS and GCP)." },
	{ .name = "display_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "displayName",
	  .desc = "The service principal's name." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "externalId",
	  .desc = "Its id in an external identity provider." },
	{ .name = "active", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether it may authenticate; true unless set." },
	TFP_IDENTITY_ENTITLEMENT_ATTRS,
	PRINCIPAL_FORCE_ATTRS("service principal"),
	PRINCIPAL_DELETE_ATTRS,
	{ .name = "disable_as_user_deletion", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Deactivate the service principal instead of deleting it; "
		  "false at workspace level unless set." },
	{ .name = "acl_principal_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "servicePrincipals/<application_id>, for access control "
		  "rule sets." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The service principal's SCIM id." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const user_fields[] = {"user_name",
					  "display_name",
					  "external_id",
					  "active",
					  TFP_IDENTITY_ENTITLEMENT_NAMES,
					  NULL};
static const char *const group_fields[] = {
	"display_name", "external_id", TFP_IDENTITY_ENTITLEMENT_NAMES, NULL};
/* The application id cannot change; a PUT without it keeps it. */
static const char *const sp_create_fields[] = {"application_id",
					       "display_name",
					       "external_id",
					       "active",
					       TFP_IDENTITY_ENTITLEMENT_NAMES,
					       NULL};
static const char *const sp_update_fields[] = {
	"display_name", "external_id", "active", TFP_IDENTITY_ENTITLEMENT_NAMES,
	NULL};

/* --- pure functions ------------------------------------------------------- */

static int group_validate_name(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	if (strcmp(v->u.str, "users") == 0 || strcmp(v->u.str, "admins") == 0)
		return tfp_diag_attr_error(
			d, path, "Reserved group name",
			"\"%s\" is a group every workspace has and manages "
			"itself; import it with a data source instead.",
			v->u.str);
	return TFP_OK;
}

/* True when message is p's duplicate error for key. */
static bool principal_is_duplicate(const struct principal *p,
				   const char *message, const char *key)
{
	const char *const *d;

	for (d = p->dup; *d != NULL; d++) {
		size_t n = strlen(*d), k = strlen(key);

		if (strncasecmp(message, *d, n) == 0 &&
		    strncasecmp(message + n, key, k) == 0 &&
		    strncasecmp(message + n + k, " already exists",
				strlen(" already exists")) == 0)
			return true;
	}
	return false;
}

/* s as a SCIM filter string's body: '"' and '\' escaped. */
static const char *filter_quote(struct tfp_call *call, const char *s)
{
	char *out = tfp_arena_alloc(call->arena, 2 * strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* --- hooks ---------------------------------------------------------------- */

static const struct principal *principal_of(const struct tfp_call *call)
{
	return call->data;
}

static const char *json_text(const cJSON *json, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The flags, and home, repos and acl_principal_id named after name_field
 * (the user name, or the application id). */
static void principal_reshape_named(cJSON *json, struct tfp_call *call,
				    const char *acl_kind,
				    const char *name_field)
{
	const char *name = json_text(json, name_field);

	tfp_identity__flags_from(json);
	if (name == NULL)
		return;
	cJSON_AddStringToObject(
		json, "home", tfp_arena_printf(call->arena, "/Users/%s", name));
	cJSON_AddStringToObject(
		json, "repos",
		tfp_arena_printf(call->arena, "/Repos/%s", name));
	cJSON_AddStringToObject(
		json, "acl_principal_id",
		tfp_arena_printf(call->arena, "%s/%s", acl_kind, name));
}

static int user_reshape(cJSON *json, struct tfp_call *call)
{
	principal_reshape_named(json, call, "users", "userName");
	return TFP_OK;
}

static int sp_reshape(cJSON *json, struct tfp_call *call)
{
	principal_reshape_named(json, call, "servicePrincipals",
				"applicationId");
	return TFP_OK;
}

static int group_reshape(cJSON *json, struct tfp_call *call)
{
	const char *name = json_text(json, "displayName");
	const char *id = json_text(json, "id");
	const char *host = tfp_rest_host(tfp_rest_of(call));

	tfp_identity__flags_from(json);
	if (name != NULL)
		cJSON_AddStringToObject(
			json, "acl_principal_id",
			tfp_arena_printf(call->arena, "groups/%s", name));
	/* The official provider's link: the host, "/", then the page. */
	if (id != NULL && host != NULL)
		cJSON_AddStringToObject(
			json, "url",
			tfp_arena_printf(call->arena,
					 "%s/#setting/accounts/groups/%s", host,
					 id));
	return TFP_OK;
}

/*
 * Copies into body what a PUT would otherwise take away and Terraform
 * does not manage: the principal's groups and roles, a group's members,
 * as the service has them now.
 */
static int principal_keep_links(cJSON *body, struct tfp_call *call,
				const struct principal *p, const char *id)
{
	static const char *const kept[] = {"groups", "roles", "members"};
	const char *path =
		tfp_arena_printf(call->arena, "%s/%s/%s", TFP_IDENTITY_SCIM,
				 p->kind, tfp_rest_escape(call->arena, id));
	cJSON *now = NULL;
	size_t i;
	int error;

	error = tfp_rest_get(&now, call, path, NULL);
	if (error < 0)
		return error;
	for (i = 0; i < TFP_ARRAY_SIZE(kept); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(now, kept[i]);

		if (cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0)
			cJSON_AddItemToObject(body, kept[i],
					      cJSON_Duplicate(v, true));
	}
	return TFP_OK;
}

/* A create's or PUT's body: entitlements for the flags, the schema; a
 * PUT (id set) keeps the links. */
static int principal_shape(cJSON *body, struct tfp_call *call,
			   const struct principal *p, const char *id,
			   const struct tfp_value *plan)
{
	cJSON *schemas;

	tfp_identity__drop_flags(body);
	cJSON_AddItemToObject(body, "entitlements",
			      tfp_identity__entitlements(call, plan));
	cJSON_DeleteItemFromObjectCaseSensitive(body, "schemas");
	schemas = cJSON_AddArrayToObject(body, "schemas");
	cJSON_AddItemToArray(schemas, cJSON_CreateString(p->schema));
	return id != NULL ? principal_keep_links(body, call, p, id) : TFP_OK;
}

static int principal_body(cJSON *body, struct tfp_call *call,
			  const struct tfp_value *prior,
			  const struct tfp_value *plan)
{
	return principal_shape(
		body, call, principal_of(call),
		prior != NULL ? tfp_value_get_string(prior, "id") : NULL, plan);
}

static int principal_modify_plan(struct tfp_call *call,
				 const struct tfp_value *prior,
				 const struct tfp_value *config,
				 struct tfp_value *plan)
{
	/* The service's value stays while the configuration says nothing,
	 * null included (USE_STATE_FOR_UNKNOWN keeps only a known one): a
	 * group without an external id would otherwise plan it unknown, and
	 * be replaced for it. */
	static const char *const kept[] = {"external_id", "display_name",
					   "application_id",
					   "disable_as_user_deletion"};
	const struct tfp_attr *at;
	size_t i;

	if (!tfp_value_is_known(plan) || !tfp_value_is_known(config))
		return TFP_OK;
	for (i = 0; i < TFP_ARRAY_SIZE(kept); i++) {
		at = tfp_schema_find_attr(principal_of(call)->rres.attrs,
					  kept[i]);
		/* Computed ones only: a plan may not fill an argument that is
		 * not (a service principal's disable_as_user_deletion). */
		if (at != NULL && (at->flags & TFP_COMPUTED) &&
		    tfp_value_is_known(prior) &&
		    tfp_value_is_null(tfp_value_get(config, kept[i])))
			tfp_value_set(
				plan, kept[i],
				tfp_value_copy(call->arena,
					       tfp_value_get(prior, kept[i])));
	}
	tfp_identity__default_flags(call, config, plan);
	/* A group's acl_principal_id follows its name, known at plan time. */
	if (tfp_type_attr_index(plan->type, "url") >= 0 &&
	    tfp_value_is_null(tfp_value_get(config, "acl_principal_id")) &&
	    tfp_value_get_string(plan, "display_name") != NULL)
		tfp_value_set_string(
			call->arena, plan, "acl_principal_id",
			tfp_arena_printf(
				call->arena, "groups/%s",
				tfp_value_get_string(plan, "display_name")));
	if (tfp_type_attr_index(plan->type, "active") >= 0 &&
	    tfp_value_is_null(tfp_value_get(config, "active")))
		tfp_value_set(plan, "active",
			      tfp_value_bool(call->arena, true));
	return TFP_OK;
}

/* What the read back of a create leaves unknown because no answer holds
 * it (disable_as_user_deletion, unset): its workspace default. */
static void user_normalize(struct tfp_call *call, struct tfp_value *state,
			   const struct tfp_value *prior)
{
	(void)prior;
	if (tfp_value_is_unknown(
		    tfp_value_get(state, "disable_as_user_deletion")))
		tfp_value_set(state, "disable_as_user_deletion",
			      tfp_value_bool(call->arena, false));
}

/* --- handlers ------------------------------------------------------------- */

/* The id of the principal whose key is key (a filter on it), for force. */
static int principal_find(const char **id, struct tfp_call *call,
			  const struct principal *p, const char *key)
{
	const char *path = tfp_arena_printf(call->arena, "%s/%s",
					    TFP_IDENTITY_SCIM, p->kind);
	const char *filter =
		tfp_arena_printf(call->arena, "%s eq \"%s\"", p->key_json,
				 filter_quote(call, key));
	struct tfp_query q[] = {{"filter", filter},
				{"excludedAttributes", "roles"},
				{NULL, NULL}};
	const cJSON *first;
	cJSON *list = NULL;
	int error;

	error = tfp_rest_get(&list, call, path, q);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "GET %s returned HTTP 404.", path);
	if (error < 0)
		return error;
	/* "Resources", which Go's decoder also takes as "resources". */
	first = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "Resources"), 0);
	*id = json_text(first, "id");
	if (*id == NULL)
		return tfp_call_fail(call,
				     "The workspace says %s %s exists, but a "
				     "filter on it finds none to adopt.",
				     p->rres.what, key);
	*id = tfp_arena_strdup(call->arena, *id);
	return TFP_OK;
}

/* PUTs plan over the principal id and reads it back (force). */
static int principal_adopt(struct tfp_value **out, struct tfp_call *call,
			   const struct principal *p, const char *id,
			   const struct tfp_value *plan)
{
	const struct tfp_rres *d = &p->rres;
	const char *path =
		tfp_arena_printf(call->arena, "%s/%s/%s", TFP_IDENTITY_SCIM,
				 p->kind, tfp_rest_escape(call->arena, id));
	cJSON *body = NULL, *json = NULL;
	int error;

	error = tfp_rres__fields_body(&body, call, d, plan, d->update_fields);
	if (error == TFP_OK)
		error = principal_shape(body, call, p, id, plan);
	if (error == TFP_OK)
		error = tfp_rest_call(NULL, call, "PUT", path, NULL, body,
				      TFP_REST_IDEMPOTENT);
	if (error == TFP_OK)
		error = tfp_rres_get(&json, call, d, id, 0);
	if (error == TFP_ENOTFOUND)
		error = tfp_call_fail(call, "The %s %s to adopt is gone.",
				      d->what, id);
	if (error == TFP_OK)
		error = tfp_rres_state(out, call, d, plan->type, json, plan);
	/* Adopted: it is Terraform's from here on, even when the PUT
	 * failed. */
	if (error < 0)
		tfp_rres__keep(out, call, d, json, plan, id);
	return error;
}

static int principal_create(struct tfp_value **out, struct tfp_call *call,
			    const struct tfp_value *plan)
{
	const struct principal *p = principal_of(call);
	const char *key = tfp_value_get_string(plan, p->key);
	const char *id = NULL;
	int error;

	*out = NULL;
	error = tfp_rres_create(out, call, plan);
	if (error != TFP_ERROR || *out != NULL ||
	    !tfp_value_get_bool(plan, "force", false) || key == NULL ||
	    call->last_error.message == NULL ||
	    !principal_is_duplicate(p, call->last_error.message, key))
		return error;
	/* The duplicate is what force is for: it is adopted instead. */
	tfp_diags_drop_last(call->diags);
	error = principal_find(&id, call, p, key);
	if (error < 0)
		return error;
	tfp_log(TFP_LOG_INFO, "scim", "adopting the existing %s %s (id %s)",
		p->rres.what, key, id);
	return principal_adopt(out, call, p, id, plan);
}

/* Deletes path (a folder) in the workspace, recursively; nothing there
 * is no error. */
static int principal_delete_folder(struct tfp_call *call, const char *path)
{
	cJSON *body = cJSON_CreateObject();
	int error;

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "path", path);
	cJSON_AddBoolToObject(body, "recursive", true);
	error = tfp_rest_call(NULL, call, "POST", WORKSPACE_DELETE, NULL, body,
			      TFP_REST_IDEMPOTENT);
	if (error == TFP_ENOTFOUND)
		return TFP_OK;
	/* A 404 of any kind: no such folder, or a workspace (the emulator)
	 * without the Workspace API, where there is none either. */
	if (error == TFP_ERROR && call->last_error.status == 404) {
		tfp_diags_drop_last(call->diags);
		return TFP_OK;
	}
	return error;
}

static int principal_delete(struct tfp_call *call,
			    const struct tfp_value *prior)
{
	const struct principal *p = principal_of(call);
	const char *id = tfp_value_get_string(prior, "id");
	const char *name = tfp_value_get_string(prior, p->name_attr);
	const char *path =
		tfp_arena_printf(call->arena, "%s/%s/%s", TFP_IDENTITY_SCIM,
				 p->kind, tfp_rest_escape(call->arena, id));
	bool disable =
		tfp_value_get_bool(prior, "disable_as_user_deletion", false);
	bool repos = tfp_value_get_bool(prior, "force_delete_repos", false);
	bool home = tfp_value_get_bool(prior, "force_delete_home_dir", false);
	int error;

	if (disable && (repos || home))
		return tfp_call_fail(call,
				     "%s: cannot force delete if "
				     "disable_as_user_deletion is set",
				     repos ? "force_delete_repos"
					   : "force_delete_home_dir");
	if (disable)
		error = tfp_identity__patch(
			call, path,
			tfp_identity__patch_body(
				call, "replace", "active",
				tfp_identity__values("false")));
	else
		error = tfp_rest_call(NULL, call, "DELETE", path, NULL, NULL,
				      0);
	if (error < 0 || disable || name == NULL)
		return error;
	if (repos)
		error = principal_delete_folder(
			call, tfp_arena_printf(call->arena, "/Repos/%s", name));
	if (error == TFP_OK && home)
		error = principal_delete_folder(
			call, tfp_arena_printf(call->arena, "/Users/%s", name));
	return error;
}

static int flags_validate(struct tfp_call *call, const struct tfp_value *config)
{
	return tfp_identity__check_flags(call, config);
}

static int sp_validate(struct tfp_call *call, const struct tfp_value *config)
{
	if (tfp_value_is_null(tfp_value_get(config, "application_id")) &&
	    tfp_value_is_null(tfp_value_get(config, "display_name")))
		return tfp_diag_attr_error(
			call->diags,
			tfp_path_attr(call->arena, NULL, "display_name"),
			"Missing argument",
			"A service principal needs at least one of "
			"application_id and display_name.");
	return tfp_identity__check_flags(call, config);
}

/* --- the resources -------------------------------------------------------- */

static const char *const user_dup[] = {"User with username ",
				       "User with email ", NULL};
static const char *const group_dup[] = {"Group with name ", NULL};
static const char *const sp_dup[] = {"Service principal with application ID ",
				     "User with email ", NULL};

/* clang-format off */
static const struct principal user_principal = {
	.rres = {
		.what = "user",
		.attrs = user_attrs,
		.id_field = "id",
		.import_form = "<id>",
		.create = { .path = TFP_IDENTITY_SCIM "/Users" },
		.read = { .path = TFP_IDENTITY_SCIM "/Users/{id}" },
		.list = { .path = TFP_IDENTITY_SCIM "/Users", .items = "Resources",
			  .id_field = "id", .batch = true, .scim = true },
		.update = { .method = "PUT",
			    .path = TFP_IDENTITY_SCIM "/Users/{id}" },
		.create_fields = user_fields,
		.update_mode = TFP_RRES_FULL,
		.update_fields = user_fields,
		.folded = (const char *const[]){ "user_name", NULL },
		.create_answers_object = true,
		.body = principal_body,
		.reshape = user_reshape,
		.normalize = user_normalize,
		.modify_plan = principal_modify_plan,
	},
	.kind = "Users",
	.schema = "urn:ietf:params:scim:schemas:core:2.0:User",
	.key = "user_name",
	.key_json = "userName",
	.dup = user_dup,
	.name_attr = "user_name",
};

static const struct principal group_principal = {
	.rres = {
		.what = "group",
		.attrs = group_attrs,
		.id_field = "id",
		.import_form = "<id>",
		.create = { .path = TFP_IDENTITY_SCIM "/Groups" },
		.read = { .path = TFP_IDENTITY_SCIM "/Groups/{id}" },
		.list = { .path = TFP_IDENTITY_SCIM "/Groups", .items = "Resources",
			  .id_field = "id", .batch = true, .scim = true },
		.update = { .method = "PUT",
			    .path = TFP_IDENTITY_SCIM "/Groups/{id}" },
		.del = { .path = TFP_IDENTITY_SCIM "/Groups/{id}" },
		.create_fields = group_fields,
		.update_mode = TFP_RRES_FULL,
		.update_fields = group_fields,
		.create_answers_object = true,
		.body = principal_body,
		.reshape = group_reshape,
		.modify_plan = principal_modify_plan,
	},
	.kind = "Groups",
	.schema = "urn:ietf:params:scim:schemas:core:2.0:Group",
	.key = "display_name",
	.key_json = "displayName",
	.dup = group_dup,
};

static const struct principal sp_principal = {
	.rres = {
		.what = "service principal",
		.attrs = sp_attrs,
		.id_field = "id",
		.import_form = "<id>",
		.create = { .path = TFP_IDENTITY_SCIM "/ServicePrincipals" },
		.read = { .path = TFP_IDENTITY_SCIM "/ServicePrincipals/{id}" },
		.list = { .path = TFP_IDENTITY_SCIM "/ServicePrincipals", .items = "Resources",
			  .id_field = "id", .batch = true, .scim = true },
		.update = { .method = "PUT",
			    .path = TFP_IDENTITY_SCIM
				    "/ServicePrincipals/{id}" },
		.create_fields = sp_create_fields,
		.update_mode = TFP_RRES_FULL,
		.update_fields = sp_update_fields,
		.folded = (const char *const[]){ "application_id", NULL },
		.create_answers_object = true,
		.body = principal_body,
		.reshape = sp_reshape,
		.modify_plan = principal_modify_plan,
	},
	.kind = "ServicePrincipals",
	.schema = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal",
	.key = "application_id",
	.key_json = "applicationId",
	.dup = sp_dup,
	.name_attr = "application_id",
};
/* clang-format on */

const struct tfp_resource tfp_resource_user = {
	.type_name = "databricks_user",
	.attrs = user_attrs,
	.desc = "A user of the workspace (SCIM), with its entitlements.",
	.create = principal_create,
	.read = tfp_rres_read,
	.update = tfp_rres_update,
	.delete = principal_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.validate = flags_validate,
	.data = &user_principal.rres,
};

const struct tfp_resource tfp_resource_group = {
	.type_name = "databricks_group",
	.attrs = group_attrs,
	.desc = "A group of the workspace (SCIM), with its entitlements; "
		"members are databricks_group_member resources.",
	.create = principal_create,
	.read = tfp_rres_read,
	.update = tfp_rres_update,
	.delete = tfp_rres_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.validate = flags_validate,
	.data = &group_principal.rres,
};

const struct tfp_resource tfp_resource_service_principal = {
	.type_name = "databricks_service_principal",
	.attrs = sp_attrs,
	.desc = "A service principal of the workspace (SCIM), with its "
		"entitlements.",
	.create = principal_create,
	.read = tfp_rres_read,
	.update = tfp_rres_update,
	.delete = principal_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.validate = sp_validate,
	.data = &sp_principal.rres,
};
