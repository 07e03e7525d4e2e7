/*
 * Data sources over the workspace's SCIM 2.0 directory: databricks_group
 * (one group, its members and entitlements), databricks_user (one user),
 * databricks_service_principal (one service principal),
 * databricks_service_principals (the application ids of several) and
 * databricks_users (users that match a SCIM filter).
 *
 * REST (SCIM, camelCase; /api/2.0/preview/scim/v2):
 *   GET /Users?filter=&attributes=&startIndex=&count=   paged list
 *   GET /Users/{id}
 *   GET /Groups?filter=displayName eq "<name>"
 *   GET /Groups/{id}?attributes=...
 *   GET /ServicePrincipals?filter=...                  paged list
 *   GET /ServicePrincipals/{id}
 *
 * Quirks that explain the code:
 *  - Lists page by startIndex and count (client/rest_page.c,
 *    tfp_rest_list_scim): the client asks for the Go SDK's 10000, and a
 *    service may answer fewer; every list here walks all pages.
 *  - A group's GET carries its direct members inline, each with a $ref
 *    ("Users/<id>", "ServicePrincipals/<id>", "Groups/<id>"): the $ref is
 *    what tells a user from a service principal from a child group, as
 *    the official provider reads it. The service returns every member in
 *    the one object; no member list is paged.
 *  - recursive (the default) also walks child groups, breadth first and
 *    each once, so a membership cycle (A in B in A) ends: their members
 *    join users, service_principals and child_groups, and their roles
 *    join instance_profiles. groups lists the groups the named group is
 *    itself a direct member of; entitlements are the group's own.
 *  - Filters quote values with double quotes; a quote or backslash in a
 *    name is escaped as JSON strings are (RFC 7644 §3.4.2.2).
 *  - The group's lookup filter and displayName comparison are exact; the
 *    service compares displayName eq without regard to case, so the
 *    group found is the first of the filter's answer.
 *  - A service principal's home and repos are /Users/<application id>
 *    and /Repos/<application id>; its acl_principal_id is
 *    servicePrincipals/<application id>, a group's groups/<display name>,
 *    a user's users/<user name>.
 *  - databricks_users asks only for id, userName, displayName and
 *    externalId unless extra_attributes names more (the official default),
 *    so the rest of each user is null unless asked for.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "identity_internal.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"

#define SCIM_USERS  TFP_IDENTITY_SCIM "/Users"
#define SCIM_GROUPS TFP_IDENTITY_SCIM "/Groups"
#define SCIM_SPS    TFP_IDENTITY_SCIM "/ServicePrincipals"

/* What the group data source asks of each group it reads. */
#define GROUP_ATTRIBUTES                                                       \
	"displayName,members,roles,entitlements,externalId,groups"
/* What databricks_users always asks for (the official default). */
#define USERS_ATTRIBUTES "id,userName,displayName,externalId"

/* --- schema: databricks_group --------------------------------------------- */

/* clang-format off */
#define GROUP_SET(n, d)                                                        \
	{ .name = n, .type = &tfp_type_set_string,                             \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = d }
#define GROUP_FLAG(n, d)                                                       \
	{ .name = n, .type = &tfp_type_bool,                                   \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = d }

static const struct tfp_attr group_attrs[] = {
	{ .name = "display_name", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The group's display name." },
	{ .name = "recursive", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Also collect the members of child groups, at any depth "
		  "(default true)." },
	{ .name = "members", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_DEPRECATED,
	  .desc = "The ids of every member. Deprecated: use users, "
		  "service_principals and child_groups." },
	GROUP_SET("users", "The ids of the member users."),
	GROUP_SET("service_principals",
		  "The ids of the member service principals."),
	GROUP_SET("child_groups", "The ids of the member groups."),
	GROUP_SET("groups", "The ids of the groups this group is a direct "
			    "member of."),
	GROUP_SET("instance_profiles",
		  "The instance profiles (roles) of the group."),
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The group's id in the identity provider, if any." },
	{ .name = "acl_principal_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "groups/<display_name>, for access control rules." },
	GROUP_FLAG("allow_cluster_create",
		   "The group's members may create clusters."),
	GROUP_FLAG("allow_instance_pool_create",
		   "The group's members may create instance pools."),
	GROUP_FLAG("databricks_sql_access",
		   "The group's members may use Databricks SQL."),
	GROUP_FLAG("workspace_access",
		   "The group's members may use the workspace."),
	GROUP_FLAG("workspace_consume",
		   "The group's members may consume the workspace."),
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The group's SCIM id." },
	TFP_ATTR_END
};

#undef GROUP_SET
#undef GROUP_FLAG

/* --- schema: databricks_user ---------------------------------------------- */

#define COMPUTED_STRING(n, d)                                                  \
	{ .name = n, .type = &tfp_type_string, .flags = TFP_COMPUTED,          \
	  .desc = d }

static const struct tfp_attr user_attrs[] = {
	{ .name = "user_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The user name (an e-mail address) to look up; set "
		  "exactly one of user_name and user_id." },
	{ .name = "user_id", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The SCIM id of the user to look up." },
	COMPUTED_STRING("display_name", "The user's display name."),
	COMPUTED_STRING("home", "The home folder, /Users/<user_name>."),
	COMPUTED_STRING("repos", "The Repos folder, /Repos/<user_name>."),
	COMPUTED_STRING("alphanumeric",
			"user_name before the \"@\", in lower case, with "
			"other characters than letters, digits and \"_\" "
			"replaced by \"_\"."),
	COMPUTED_STRING("external_id",
			"The user's id in the identity provider, if any."),
	COMPUTED_STRING("application_id",
			"The application id, for a service principal."),
	COMPUTED_STRING("acl_principal_id", "users/<user_name>."),
	{ .name = "active", .type = &tfp_type_bool, .flags = TFP_COMPUTED,
	  .desc = "Whether the user is active." },
	COMPUTED_STRING("id", "The user's SCIM id."),
	TFP_ATTR_END
};

/* --- schema: databricks_service_principal(s) ------------------------------ */

#define SP_STRING(n, d)                                                        \
	{ .name = n, .type = &tfp_type_string,                                 \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .desc = d }

static const struct tfp_attr sp_attrs[] = {
	SP_STRING("application_id", "The application id to look up, or the "
				    "one found."),
	SP_STRING("display_name", "The exact display name to look up (it "
				  "must be the only one), or the one found."),
	SP_STRING("sp_id", "The SCIM id to look up, or the one found."),
	SP_STRING("scim_id", "The SCIM id."),
	SP_STRING("home", "/Users/<application_id>."),
	SP_STRING("repos", "/Repos/<application_id>."),
	SP_STRING("external_id", "The id in the identity provider, if any."),
	SP_STRING("acl_principal_id", "servicePrincipals/<application_id>."),
	{ .name = "active", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Whether the service principal is active." },
	SP_STRING("id", "The SCIM id."),
	TFP_ATTR_END
};

/* One element of databricks_service_principals' service_principals. */
static const struct tfp_attr sps_item_attrs[] = {
	COMPUTED_STRING("application_id", "The application id."),
	COMPUTED_STRING("display_name", "The display name."),
	COMPUTED_STRING("sp_id", "The SCIM id."),
	COMPUTED_STRING("scim_id", "The SCIM id."),
	COMPUTED_STRING("id", "The SCIM id."),
	COMPUTED_STRING("home", "/Users/<application_id>."),
	COMPUTED_STRING("repos", "/Repos/<application_id>."),
	COMPUTED_STRING("external_id", "The id in the identity provider."),
	COMPUTED_STRING("acl_principal_id",
			"servicePrincipals/<application_id>."),
	{ .name = "active", .type = &tfp_type_bool, .flags = TFP_COMPUTED,
	  .desc = "Whether the service principal is active." },
	TFP_ATTR_END
};

static const struct tfp_attr sps_attrs[] = {
	{ .name = "display_name_contains", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Only service principals whose display name contains "
		  "this text." },
	{ .name = "application_ids", .type = &tfp_type_set_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The application ids found." },
	{ .name = "service_principals", .nested = sps_item_attrs,
	  .nesting = TFP_NEST_LIST, .flags = TFP_COMPUTED,
	  .desc = "The service principals found, by application id." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "Always \"_\"." },
	TFP_ATTR_END
};

/* --- schema: databricks_users --------------------------------------------- */

/* A SCIM multi-valued attribute's element (emails, groups, roles...). */
static const struct tfp_attr users_multi_attrs[] = {
	COMPUTED_STRING("value", "The value (an address, a group id, an "
				 "entitlement or role name)."),
	COMPUTED_STRING("display", "A name to show."),
	{ .name = "primary", .type = &tfp_type_bool, .flags = TFP_COMPUTED,
	  .desc = "Whether it is the primary one." },
	COMPUTED_STRING("type", "Its type, e.g. work or direct."),
	{ .name = "ref", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .json = "$ref", .desc = "The SCIM reference, e.g. Groups/<id>." },
	TFP_ATTR_END
};

static const struct tfp_attr users_name_attrs[] = {
	{ .name = "given_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .json = "givenName",
	  .desc = "The given name." },
	{ .name = "family_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .json = "familyName",
	  .desc = "The family name." },
	TFP_ATTR_END
};

#define USERS_MULTI(n, d)                                                      \
	{ .name = n, .nested = users_multi_attrs, .nesting = TFP_NEST_LIST,    \
	  .flags = TFP_COMPUTED, .desc = d }

static const struct tfp_attr users_item_attrs[] = {
	COMPUTED_STRING("id", "The user's SCIM id."),
	{ .name = "user_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .json = "userName",
	  .desc = "The user name." },
	{ .name = "display_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .json = "displayName",
	  .desc = "The display name." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .json = "externalId",
	  .desc = "The id in the identity provider." },
	{ .name = "active", .type = &tfp_type_bool, .flags = TFP_COMPUTED,
	  .desc = "Whether the user is active (extra_attributes)." },
	{ .name = "name", .nested = users_name_attrs,
	  .nesting = TFP_NEST_SINGLE, .flags = TFP_COMPUTED,
	  .desc = "The user's names (extra_attributes)." },
	USERS_MULTI("emails", "The e-mail addresses (extra_attributes)."),
	USERS_MULTI("groups", "The groups the user is a direct member of "
			      "(extra_attributes)."),
	USERS_MULTI("entitlements", "The entitlements (extra_attributes)."),
	USERS_MULTI("roles", "The roles (extra_attributes)."),
	{ .name = "schemas", .type = &tfp_type_list_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The SCIM schemas of the user." },
	TFP_ATTR_END
};

#undef USERS_MULTI

static const struct tfp_attr users_attrs[] = {
	{ .name = "filter", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "A SCIM filter (RFC 7644 §3.4.2.2), e.g. "
		  "userName co \"@example.com\"; none: every user." },
	{ .name = "extra_attributes", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "More attributes to ask for, comma-separated (emails, "
		  "name, groups, entitlements, roles, active...)." },
	{ .name = "users", .nested = users_item_attrs,
	  .nesting = TFP_NEST_LIST, .flags = TFP_COMPUTED,
	  .desc = "The users that match, in the service's order." },
	TFP_ATTR_END
};

#undef COMPUTED_STRING
#undef SP_STRING
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* identity_internal.h */

const char *tfp_identity__scim_filter(struct tfp_arena *a, const char *attr,
				      const char *op, const char *value)
{
	cJSON *s = cJSON_CreateString(value);
	char *quoted = cJSON_PrintUnformatted(s);
	const char *out = tfp_arena_printf(a, "%s %s %s", attr, op, quoted);

	free(quoted);
	cJSON_Delete(s);
	return out;
}

/* A growing list of strings in the arena. */
struct strs {
	const char **v;
	size_t n, cap;
};

static void strs_push(struct tfp_arena *a, struct strs *s, const char *x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		const char **v = tfp_arena_alloc(a, cap * sizeof(*v));

		if (s->n > 0)
			memcpy(v, s->v, s->n * sizeof(*v));
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
}

static int strs_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* s as a set (sorted, duplicates out: a member of two walked groups is
 * one member). */
static struct tfp_value *strs_set(struct tfp_arena *a, struct strs *s)
{
	struct tfp_value *v;
	size_t i, n = 0;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), strs_cmp);
	for (i = 0; i < s->n; i++)
		if (n == 0 || strcmp(s->v[n - 1], s->v[i]) != 0)
			s->v[n++] = s->v[i];
	s->n = n;
	v = tfp_value_collection(a, &tfp_type_set_string, n);
	for (i = 0; i < n; i++)
		v->u.coll.items[i] = tfp_value_string(a, s->v[i]);
	return v;
}

static bool strs_has(const struct strs *s, const char *x)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return true;
	return false;
}

/* The "value" of every element of array name of obj, pushed to s. */
static void push_values(struct tfp_arena *a, struct strs *s, const cJSON *obj,
			const char *name)
{
	const cJSON *el;

	cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(obj, name))
	{
		const char *v = tfp_json_string(el, "value");

		if (v != NULL)
			strs_push(a, s, v);
	}
}

/* Whether a SCIM object's entitlements list value. */
static bool has_entitlement(const cJSON *obj, const char *value)
{
	const cJSON *el;

	cJSON_ArrayForEach(
		el, cJSON_GetObjectItemCaseSensitive(obj, "entitlements"))
	{
		const char *v = tfp_json_string(el, "value");

		if (v != NULL && strcmp(v, value) == 0)
			return true;
	}
	return false;
}

/* Whether a SCIM boolean is true (absent: def). */
static bool json_bool(const cJSON *obj, const char *name, bool def)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsBool(b) ? cJSON_IsTrue(b) : def;
}

/* --- shared handlers ------------------------------------------------------ */

/* A list walk that keeps every item. */
struct items {
	const cJSON **v;
	size_t n, cap;
};

static int items_keep(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct items *it = payload;

	if (it->n == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 64;
		const cJSON **v =
			tfp_arena_alloc(call->arena, cap * sizeof(*v));

		if (it->n > 0)
			memcpy(v, it->v, it->n * sizeof(*v));
		it->v = v;
		it->cap = cap;
	}
	it->v[it->n++] = item;
	return TFP_OK;
}

/* Every object of a SCIM list that matches filter (may be NULL), with
 * attributes (may be NULL). */
static int scim_list(struct items *out, struct tfp_call *call, const char *path,
		     const char *filter, const char *attributes)
{
	struct tfp_query q[3];
	size_t n = 0;

	if (filter != NULL)
		q[n++] = (struct tfp_query){"filter", filter};
	if (attributes != NULL)
		q[n++] = (struct tfp_query){"attributes", attributes};
	q[n] = (struct tfp_query){NULL, NULL};
	memset(out, 0, sizeof(*out));
	return tfp_rest_list_scim(call, path, q, 0, items_keep, out);
}

static int unexpected(struct tfp_call *call, const char *what)
{
	return tfp_diag_error(call->diags,
			      "Unexpected reply from the workspace",
			      "A SCIM %s has no id.", what);
}

/* --- databricks_group ----------------------------------------------------- */

/* What the walk over a group and its child groups collects. */
struct group_walk {
	struct strs members, users, sps, children, roles, visited;
};

/* Adds group's members and roles to w; child groups go to queue. */
static void group_collect(struct tfp_arena *a, struct group_walk *w,
			  const cJSON *group, struct strs *queue)
{
	const cJSON *m;

	cJSON_ArrayForEach(m,
			   cJSON_GetObjectItemCaseSensitive(group, "members"))
	{
		const char *id = tfp_json_string(m, "value");
		const char *ref = tfp_json_string(m, "$ref");

		if (id == NULL)
			continue;
		strs_push(a, &w->members, id);
		if (ref == NULL)
			continue;
		if (strncmp(ref, "Users/", 6) == 0)
			strs_push(a, &w->users, id);
		else if (strncmp(ref, "ServicePrincipals/", 18) == 0)
			strs_push(a, &w->sps, id);
		else if (strncmp(ref, "Groups/", 7) == 0) {
			strs_push(a, &w->children, id);
			if (queue != NULL && !strs_has(&w->visited, id)) {
				strs_push(a, &w->visited, id);
				strs_push(a, queue, id);
			}
		}
	}
	push_values(a, &w->roles, group, "roles");
}

static int group_read(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const char *name = tfp_value_get_string(config, "display_name");
	bool recursive = tfp_value_get_bool(config, "recursive", true);
	const struct tfp_query gq[] = {{"attributes", GROUP_ATTRIBUTES},
				       {NULL, NULL}};
	struct group_walk w = {0};
	struct strs queue = {0}, parents = {0};
	struct items found;
	const cJSON *group;
	const char *id, *ext;
	struct tfp_value *v;
	size_t next = 0;
	int error;

	if (name == NULL || name[0] == '\0')
		return tfp_diag_error(call->diags, "Missing display_name",
				      "Name the group to look up.");
	error = scim_list(
		&found, call, SCIM_GROUPS,
		tfp_identity__scim_filter(a, "displayName", "eq", name),
		GROUP_ATTRIBUTES);
	if (error < 0)
		return error;
	if (found.n == 0)
		return tfp_diag_error(call->diags, "Group not found",
				      "The workspace has no group named "
				      "\"%s\".",
				      name);
	group = found.v[0];
	id = tfp_json_string(group, "id");
	if (id == NULL)
		return unexpected(call, "group");
	strs_push(a, &w.visited, id);
	group_collect(a, &w, group, recursive ? &queue : NULL);
	push_values(a, &parents, group, "groups");
	/* Breadth first over child groups, each read once (visited), so a
	 * membership cycle ends. */
	while (next < queue.n) {
		const char *path =
			tfp_arena_printf(a, "%s/%s", SCIM_GROUPS,
					 tfp_rest_escape(a, queue.v[next++]));
		cJSON *child = NULL;

		error = tfp_rest_get(&child, call, path, gq);
		/* A child deleted since the parent was read has no members
		 * to add. */
		if (error == TFP_ENOTFOUND)
			continue;
		if (error < 0)
			return error;
		group_collect(a, &w, child, &queue);
	}
	ext = tfp_json_string(group, "externalId");
	v = tfp_value_copy(a, config);
	tfp_value_set(v, "recursive", tfp_value_bool(a, recursive));
	tfp_value_set(v, "members", strs_set(a, &w.members));
	tfp_value_set(v, "users", strs_set(a, &w.users));
	tfp_value_set(v, "service_principals", strs_set(a, &w.sps));
	tfp_value_set(v, "child_groups", strs_set(a, &w.children));
	tfp_value_set(v, "groups", strs_set(a, &parents));
	tfp_value_set(v, "instance_profiles", strs_set(a, &w.roles));
	tfp_value_set_string(a, v, "external_id", ext ? ext : "");
	tfp_value_set_string(
		a, v, "acl_principal_id",
		tfp_arena_printf(a, "groups/%s",
				 tfp_json_string(group, "displayName")
					 ? tfp_json_string(group, "displayName")
					 : name));
	tfp_value_set(
		v, "allow_cluster_create",
		tfp_value_bool(a,
			       has_entitlement(group, "allow-cluster-create")));
	tfp_value_set(v, "allow_instance_pool_create",
		      tfp_value_bool(
			      a, has_entitlement(
					 group, "allow-instance-pool-create")));
	tfp_value_set(
		v, "databricks_sql_access",
		tfp_value_bool(
			a, has_entitlement(group, "databricks-sql-access")));
	tfp_value_set(
		v, "workspace_access",
		tfp_value_bool(a, has_entitlement(group, "workspace-access")));
	tfp_value_set(
		v, "workspace_consume",
		tfp_value_bool(a, has_entitlement(group, "workspace-consume")));
	tfp_value_set_string(a, v, "id", id);
	*out = v;
	return TFP_OK;
}

/* --- databricks_user ------------------------------------------------------ */

static int user_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const char *name = tfp_value_get_string(config, "user_name");
	const char *uid = tfp_value_get_string(config, "user_id");
	const cJSON *user;
	const char *id, *user_name, *s;
	struct tfp_value *v;
	int error;

	if ((name == NULL) == (uid == NULL))
		return tfp_diag_error(call->diags,
				      name ? "Both user_name and user_id"
					   : "Missing user_name or user_id",
				      "Set exactly one of user_name and "
				      "user_id.");
	if (uid != NULL) {
		cJSON *reply = NULL;

		error = tfp_rest_get(&reply, call,
				     tfp_arena_printf(a, "%s/%s", SCIM_USERS,
						      tfp_rest_escape(a, uid)),
				     NULL);
		if (error == TFP_ENOTFOUND)
			return tfp_diag_error(call->diags, "User not found",
					      "The workspace has no user with "
					      "id %s.",
					      uid);
		if (error < 0)
			return error;
		user = reply;
	} else {
		struct items found;

		error = scim_list(
			&found, call, SCIM_USERS,
			tfp_identity__scim_filter(a, "userName", "eq", name),
			NULL);
		if (error < 0)
			return error;
		if (found.n == 0)
			return tfp_diag_error(call->diags, "User not found",
					      "The workspace has no user "
					      "named \"%s\".",
					      name);
		user = found.v[0];
	}
	id = tfp_json_string(user, "id");
	if (id == NULL)
		return unexpected(call, "user");
	user_name = tfp_json_string(user, "userName");
	if (user_name == NULL)
		user_name = "";
	v = tfp_value_copy(a, config);
	tfp_value_set_string(a, v, "user_name", user_name);
	s = tfp_json_string(user, "displayName");
	tfp_value_set_string(a, v, "display_name", s ? s : "");
	tfp_value_set_string(a, v, "home",
			     tfp_arena_printf(a, "/Users/%s", user_name));
	tfp_value_set_string(a, v, "repos",
			     tfp_arena_printf(a, "/Repos/%s", user_name));
	tfp_value_set_string(a, v, "alphanumeric",
			     tfp_identity__alphanumeric(a, user_name));
	s = tfp_json_string(user, "externalId");
	tfp_value_set_string(a, v, "external_id", s ? s : "");
	s = tfp_json_string(user, "applicationId");
	tfp_value_set_string(a, v, "application_id", s ? s : "");
	tfp_value_set_string(a, v, "acl_principal_id",
			     tfp_arena_printf(a, "users/%s", user_name));
	tfp_value_set(v, "active",
		      tfp_value_bool(a, json_bool(user, "active", true)));
	tfp_value_set_string(a, v, "id", id);
	*out = v;
	return TFP_OK;
}

/* --- databricks_service_principal(s) -------------------------------------- */

/* Sets the attributes of sp_attrs / sps_item_attrs that v has from sp. */
static int sp_fill(struct tfp_call *call, struct tfp_value *v, const cJSON *sp)
{
	struct tfp_arena *a = call->arena;
	const char *id = tfp_json_string(sp, "id");
	const char *app = tfp_json_string(sp, "applicationId");
	const char *s;

	if (id == NULL)
		return unexpected(call, "service principal");
	if (app == NULL)
		app = "";
	tfp_value_set_string(a, v, "application_id", app);
	s = tfp_json_string(sp, "displayName");
	tfp_value_set_string(a, v, "display_name", s ? s : "");
	tfp_value_set_string(a, v, "sp_id", id);
	tfp_value_set_string(a, v, "scim_id", id);
	tfp_value_set_string(a, v, "id", id);
	tfp_value_set_string(a, v, "home",
			     tfp_arena_printf(a, "/Users/%s", app));
	tfp_value_set_string(a, v, "repos",
			     tfp_arena_printf(a, "/Repos/%s", app));
	s = tfp_json_string(sp, "externalId");
	tfp_value_set_string(a, v, "external_id", s ? s : "");
	tfp_value_set_string(a, v, "acl_principal_id",
			     tfp_arena_printf(a, "servicePrincipals/%s", app));
	tfp_value_set(v, "active",
		      tfp_value_bool(a, json_bool(sp, "active", true)));
	return TFP_OK;
}

static int sp_read(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const char *app = tfp_value_get_string(config, "application_id");
	const char *name = tfp_value_get_string(config, "display_name");
	const char *sp_id = tfp_value_get_string(config, "sp_id");
	const cJSON *sp;
	struct tfp_value *v;
	int error;

	if (app == NULL && name == NULL && sp_id == NULL)
		return tfp_diag_error(call->diags,
				      "Missing application_id, display_name "
				      "or sp_id",
				      "Set one of application_id, "
				      "display_name and sp_id.");
	if (app != NULL || name != NULL) {
		struct items found;

		error = scim_list(&found, call, SCIM_SPS,
				  app ? tfp_identity__scim_filter(
						a, "applicationId", "eq", app)
				      : tfp_identity__scim_filter(
						a, "displayName", "eq", name),
				  NULL);
		if (error < 0)
			return error;
		if (found.n == 0)
			return tfp_diag_error(
				call->diags, "Service principal not found",
				app ? "The workspace has no service principal "
				      "with application id %s."
				    : "The workspace has no service principal "
				      "named \"%s\".",
				app ? app : name);
		if (found.n > 1)
			return tfp_diag_error(
				call->diags, "Ambiguous service principal",
				"%zu service principals are named \"%s\"; "
				"look it up by application_id instead.",
				found.n, app ? app : name);
		sp = found.v[0];
	} else {
		cJSON *reply = NULL;

		error = tfp_rest_get(
			&reply, call,
			tfp_arena_printf(a, "%s/%s", SCIM_SPS,
					 tfp_rest_escape(a, sp_id)),
			NULL);
		if (error == TFP_ENOTFOUND)
			return tfp_diag_error(call->diags,
					      "Service principal not found",
					      "The workspace has no service "
					      "principal with id %s.",
					      sp_id);
		if (error < 0)
			return error;
		sp = reply;
	}
	v = tfp_value_copy(a, config);
	error = sp_fill(call, v, sp);
	if (error < 0)
		return error;
	*out = v;
	return TFP_OK;
}

static int sp_cmp_app(const void *x, const void *y)
{
	const char *a =
		tfp_json_string(*(const cJSON *const *)x, "applicationId");
	const char *b =
		tfp_json_string(*(const cJSON *const *)y, "applicationId");

	return strcmp(a ? a : "", b ? b : "");
}

static int sps_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const char *contains =
		tfp_value_get_string(config, "display_name_contains");
	const struct tfp_type *list_t =
		config->type->attr_types[tfp_type_attr_index(
			config->type, "service_principals")];
	struct strs apps = {0};
	struct items found;
	struct tfp_value *v, *list;
	size_t i;
	int error;

	error = scim_list(&found, call, SCIM_SPS,
			  contains && contains[0]
				  ? tfp_identity__scim_filter(a, "displayName",
							      "co", contains)
				  : NULL,
			  NULL);
	if (error < 0)
		return error;
	if (found.n > 1)
		qsort(found.v, found.n, sizeof(*found.v), sp_cmp_app);
	list = tfp_value_collection(a, list_t, found.n);
	for (i = 0; i < found.n; i++) {
		struct tfp_value *item = tfp_value_object(a, list_t->elem);
		const char *app = tfp_json_string(found.v[i], "applicationId");

		error = sp_fill(call, item, found.v[i]);
		if (error < 0)
			return error;
		list->u.coll.items[i] = item;
		if (app != NULL)
			strs_push(a, &apps, app);
	}
	v = tfp_value_copy(a, config);
	if (contains == NULL)
		tfp_value_set_string(a, v, "display_name_contains", "");
	tfp_value_set(v, "application_ids", strs_set(a, &apps));
	tfp_value_set(v, "service_principals", list);
	tfp_value_set_string(a, v, "id", "_");
	*out = v;
	return TFP_OK;
}

/* --- databricks_users ----------------------------------------------------- */

static int users_read(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const char *filter = tfp_value_get_string(config, "filter");
	const char *extra = tfp_value_get_string(config, "extra_attributes");
	const struct tfp_type *list_t =
		config->type->attr_types[tfp_type_attr_index(config->type,
							     "users")];
	struct items found;
	struct tfp_value *v, *list;
	size_t i;
	int error;

	error = scim_list(
		&found, call, SCIM_USERS, filter && filter[0] ? filter : NULL,
		extra && extra[0]
			? tfp_arena_printf(a, "%s,%s", USERS_ATTRIBUTES, extra)
			: USERS_ATTRIBUTES);
	if (error < 0)
		return error;
	list = tfp_value_collection(a, list_t, found.n);
	for (i = 0; i < found.n; i++) {
		error = tfp_jsonmap_to_value(
			&list->u.coll.items[i], a, list_t->elem,
			users_item_attrs, NULL, found.v[i], NULL, call->diags);
		if (error < 0)
			return error;
	}
	v = tfp_value_copy(a, config);
	tfp_value_set(v, "users", list);
	*out = v;
	return TFP_OK;
}

/* --- descriptors ---------------------------------------------------------- */

const struct tfp_data_source tfp_data_source_group = {
	.type_name = "databricks_group",
	.attrs = group_attrs,
	.desc = "A workspace group found by display name: its members (of "
		"child groups too unless recursive = false), instance "
		"profiles and entitlements.",
	.read = group_read,
};

const struct tfp_data_source tfp_data_source_user = {
	.type_name = "databricks_user",
	.attrs = user_attrs,
	.desc = "A workspace user found by user name or SCIM id.",
	.read = user_read,
};

const struct tfp_data_source tfp_data_source_service_principal = {
	.type_name = "databricks_service_principal",
	.attrs = sp_attrs,
	.desc = "A service principal found by application id, display name "
		"or SCIM id.",
	.read = sp_read,
};

const struct tfp_data_source tfp_data_source_service_principals = {
	.type_name = "databricks_service_principals",
	.attrs = sps_attrs,
	.desc = "The application ids and details of the service principals "
		"whose display name contains some text (all by default).",
	.read = sps_read,
};

const struct tfp_data_source tfp_data_source_users = {
	.type_name = "databricks_users",
	.attrs = users_attrs,
	.desc = "The workspace users that match a SCIM filter (all by "
		"default).",
	.read = users_read,
};
