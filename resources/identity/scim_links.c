/*
 * databricks_group_member, databricks_user_role, databricks_group_role,
 * databricks_service_principal_role and databricks_group_instance_profile
 * (the older name of a group role that is an instance profile): one value
 * in a multi-valued SCIM attribute of a principal (a group's members; a
 * principal's roles, the AWS instance profiles it may use).
 *
 * REST: PATCH /api/2.0/preview/scim/v2/{Groups|Users|ServicePrincipals}/
 * {id} (add, remove), GET .../{id} (read).
 *
 * Quirks that explain the code:
 *  - A link is added with {"op": "add", "path": "<list>", "value":
 *    [{"value": <x>}]} and removed with {"op": "remove", "path":
 *    "<list>[value eq \"<x>\"]"}, the official provider's operations.
 *  - A read GETs the principal and looks for the value in its list: a
 *    value no longer there, or a principal that is gone, is a link gone
 *    (removed from the state, so the next apply makes it again). A member
 *    deleted from the workspace leaves every group with it.
 *  - Nothing changes in place: both attributes replace the link.
 *  - The id, also the import ID, is "<principal>|<value>" (the official
 *    pair id): group_member "<group_id>|<member_id>", the roles
 *    "<user_id>|<role>", "<group_id>|<role>",
 *    "<service_principal_id>|<role>", and the group instance profile
 *    "<group_id>|<instance_profile_id>".
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "databricks.h"
#include "identity_internal.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "value.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
#define LINK_ID_ATTR(form)                                                     \
	{ .name = "id", .type = &tfp_type_string,                              \
	  .flags = TFP_COMPUTED | TFP_NO_JSON,                                 \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,                              \
	  .desc = form }

#define ROLE_ATTR                                                              \
	{ .name = "role", .type = &tfp_type_string,                            \
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,                               \
	  .desc = "The role: an AWS instance profile ARN, or an account "      \
		  "role such as account_admin." }

static const struct tfp_attr member_attrs[] = {
	{ .name = "group_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the group." },
	{ .name = "member_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the user, service principal or group "
		  "that is the member." },
	LINK_ID_ATTR("<group_id>|<member_id>."),
	TFP_ATTR_END
};

static const struct tfp_attr user_role_attrs[] = {
	{ .name = "user_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the user." },
	ROLE_ATTR,
	LINK_ID_ATTR("<user_id>|<role>."),
	TFP_ATTR_END
};

static const struct tfp_attr group_role_attrs[] = {
	{ .name = "group_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the group." },
	ROLE_ATTR,
	LINK_ID_ATTR("<group_id>|<role>."),
	TFP_ATTR_END
};

static const struct tfp_attr group_profile_attrs[] = {
	{ .name = "group_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the group." },
	{ .name = "instance_profile_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = tfp_validate_instance_profile_arn,
	  .desc = "The ARN of an instance profile registered with the "
		  "workspace (databricks_instance_profile's id)." },
	LINK_ID_ATTR("<group_id>|<instance_profile_id>."),
	TFP_ATTR_END
};

static const struct tfp_attr sp_role_attrs[] = {
	{ .name = "service_principal_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "The SCIM id of the service principal." },
	ROLE_ATTR,
	LINK_ID_ATTR("<service_principal_id>|<role>."),
	TFP_ATTR_END
};
/* clang-format on */

/* --- hooks ---------------------------------------------------------------- */

static const struct tfp_identity_link *link_of(const struct tfp_call *call)
{
	return call->data;
}

/* The create's body: the attributes give way to one add operation. */
static int link_body(cJSON *body, struct tfp_call *call,
		     const struct tfp_value *prior,
		     const struct tfp_value *plan)
{
	const struct tfp_identity_link *l = link_of(call);
	const cJSON *patch = tfp_identity__patch_body(
		call, "add", l->list,
		tfp_identity__values(tfp_value_get_string(plan, l->value)));
	const cJSON *m;

	(void)prior;
	while (body->child != NULL)
		cJSON_Delete(cJSON_DetachItemViaPointer(body, body->child));
	cJSON_ArrayForEach(m, patch)
	{
		cJSON_AddItemToObject(body, m->string,
				      cJSON_Duplicate(m, true));
	}
	return TFP_OK;
}

/* The list's element names neither the principal nor (by our name) the
 * value: both are the ones the id says, which prior holds (the plan, the
 * state, or an import's parsed id). */
static void link_normalize(struct tfp_call *call, struct tfp_value *state,
			   const struct tfp_value *prior)
{
	const struct tfp_identity_link *l = link_of(call);
	const char *const names[] = {l->owner, l->value};
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(names); i++)
		if (tfp_value_is_null(tfp_value_get(state, names[i])))
			tfp_value_set(
				state, names[i],
				tfp_value_copy(call->arena,
					       tfp_value_get(prior, names[i])));
}

/* --- handlers ------------------------------------------------------------- */

static int link_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct tfp_identity_link *l = link_of(call);
	const char *path =
		tfp_rres_expand(call, l->rres.create.path, prior, NULL, true);
	const char *value = tfp_value_get_string(prior, l->value);
	const char *filter;
	char *q, *o;

	if (path == NULL || value == NULL)
		return tfp_call_fail(call,
				     "The state does not say which %s "
				     "to remove.",
				     l->rres.what);
	/* The value in a filter string: '"' and '\' escaped. */
	q = tfp_arena_alloc(call->arena, 2 * strlen(value) + 1);
	for (o = q; *value != '\0'; value++) {
		if (*value == '"' || *value == '\\')
			*o++ = '\\';
		*o++ = *value;
	}
	*o = '\0';
	filter = tfp_arena_printf(call->arena, "%s[value eq \"%s\"]", l->list,
				  q);
	return tfp_identity__patch(
		call, path,
		tfp_identity__patch_body(call, "remove", filter, NULL));
}

/* --- the resources -------------------------------------------------------- */

/* clang-format off */
#define LINK_RRES(what_, attrs_, kind_, owner_, value_, list_)                 \
	{                                                                      \
		.what = what_,                                                 \
		.attrs = attrs_,                                               \
		.id = "{" owner_ "}|{" value_ "}",                             \
		.import_form = "<" owner_ ">|<" value_ ">",                    \
		.create = { .method = "PATCH",                                 \
			    .path = TFP_IDENTITY_SCIM "/" kind_ "/{" owner_    \
				    "}" },                                     \
		.read = { .path = TFP_IDENTITY_SCIM "/" kind_ "/{" owner_      \
				  "}",                                         \
			  .items = list_, .key = "value",                      \
			  .match = "{" value_ "}" },                           \
		.body = link_body,                                             \
		.normalize = link_normalize,                                   \
	}

static const struct tfp_identity_link member_link = {
	.rres = LINK_RRES("group member", member_attrs, "Groups", "group_id",
			  "member_id", "members"),
	.list = "members", .owner = "group_id", .value = "member_id",
};

static const struct tfp_identity_link user_role_link = {
	.rres = LINK_RRES("user role", user_role_attrs, "Users", "user_id",
			  "role", "roles"),
	.list = "roles", .owner = "user_id", .value = "role",
};

static const struct tfp_identity_link group_role_link = {
	.rres = LINK_RRES("group role", group_role_attrs, "Groups", "group_id",
			  "role", "roles"),
	.list = "roles", .owner = "group_id", .value = "role",
};

static const struct tfp_identity_link group_profile_link = {
	.rres = LINK_RRES("group instance profile", group_profile_attrs,
			  "Groups", "group_id", "instance_profile_id",
			  "roles"),
	.list = "roles", .owner = "group_id", .value = "instance_profile_id",
};

static const struct tfp_identity_link sp_role_link = {
	.rres = LINK_RRES("service principal role", sp_role_attrs,
			  "ServicePrincipals", "service_principal_id", "role",
			  "roles"),
	.list = "roles", .owner = "service_principal_id", .value = "role",
};
/* clang-format on */

#define LINK_HANDLERS                                                          \
	.create = tfp_rres_create, .read = tfp_rres_read,                      \
	.delete = link_delete, .import = tfp_rres_import,                      \
	.modify_plan = tfp_rres_modify_plan

const struct tfp_resource tfp_resource_group_member = {
	.type_name = "databricks_group_member",
	.attrs = member_attrs,
	.desc = "A user, service principal or group as a member of a group. "
		"Any change replaces it.",
	LINK_HANDLERS,
	.data = &member_link.rres,
};

const struct tfp_resource tfp_resource_user_role = {
	.type_name = "databricks_user_role",
	.attrs = user_role_attrs,
	.desc = "A role (an AWS instance profile) given to a user. Any change "
		"replaces it.",
	LINK_HANDLERS,
	.data = &user_role_link.rres,
};

const struct tfp_resource tfp_resource_group_role = {
	.type_name = "databricks_group_role",
	.attrs = group_role_attrs,
	.desc = "A role (an AWS instance profile) given to a group. Any "
		"change replaces it.",
	LINK_HANDLERS,
	.data = &group_role_link.rres,
};

const struct tfp_resource tfp_resource_service_principal_role = {
	.type_name = "databricks_service_principal_role",
	.attrs = sp_role_attrs,
	.desc = "A role (an AWS instance profile) given to a service "
		"principal. Any change replaces it.",
	LINK_HANDLERS,
	.data = &sp_role_link.rres,
};

const struct tfp_resource tfp_resource_group_instance_profile = {
	.type_name = "databricks_group_instance_profile",
	.attrs = group_profile_attrs,
	.desc = "An AWS instance profile a group may use (a group role; "
		"databricks_group_role is the newer name). Any change replaces "
		"it.",
	LINK_HANDLERS,
	.data = &group_profile_link.rres,
};
