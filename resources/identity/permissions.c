/*
 * databricks_permissions: the access control list of one workspace object
 * (a job, cluster, cluster policy, instance pool, notebook, directory,
 * file, repo, pipeline, SQL warehouse, dashboard, query, alert, model,
 * serving endpoint, app..., or the workspace's token and password
 * settings), authoritative: a principal the configuration does not list
 * loses its direct permission.
 *
 * REST: GET|PUT /api/2.0/permissions/{request_object_type}/{object_id}
 * (PUT replaces the direct entries); GET /api/2.0/preview/scim/v2/Me (the
 * caller); GET /api/2.0/workspace/get-status?path= (a path's object id);
 * the object's own GET for its creator (jobs, SQL warehouses).
 *
 * Behaviour that explains the code:
 *  - The ID is "/{request_object_type}/{object_id}", e.g. /jobs/123,
 *    /sql/warehouses/abc, /authorization/tokens, the official import ID.
 *    A path argument (notebook_path, directory_path, workspace_file_path,
 *    repo_path) is resolved to the object's numeric id at create, and
 *    kept as written in the state.
 *  - A GET answers every entry with all its permissions, each marked
 *    inherited (from a parent directory, or the admins' built-in right)
 *    or not. The state holds only direct entries, and never the admins
 *    group (its right cannot be changed, except for passwords), so
 *    neither is drift.
 *  - The caller: for the object types where the official provider adds
 *    the caller with CAN_MANAGE to every PUT (clusters, pools,
 *    warehouses, SQL objects, serving endpoints...), so that an apply
 *    cannot lock its own identity out, so does this one, and the
 *    caller's entry is left out of the state unless the configuration
 *    lists the caller. Giving the caller a level that cannot manage the
 *    object is refused before anything is sent.
 *  - Owners (jobs, pipelines, SQL warehouses have exactly one IS_OWNER):
 *    an IS_OWNER entry in the configuration transfers ownership in the
 *    same PUT. A configuration without one keeps the current owner: the
 *    PUT carries the current owner's entry unchanged, and the state
 *    leaves owners out while the configuration names none, so the
 *    owner never shows as drift, whoever it is (the official provider
 *    makes the applying identity the owner instead, and then shows any
 *    other owner as a diff). An object with no owner yet that needs one
 *    gets the caller, as the service asks.
 *  - User and service principal names compare without regard to case;
 *    the state keeps the configuration's spelling.
 *  - The SQL objects' old CAN_VIEW level is sent as CAN_READ, and a
 *    CAN_READ read back where the configuration says CAN_VIEW stays
 *    CAN_VIEW.
 *  - A GET with no direct entries left (after the filters above) means
 *    the resource is gone, as upstream; so is a missing object (404, and
 *    the clusters' "Cannot access cluster" 400).
 *  - Delete leaves the admins' direct entries (and the caller's
 *    CAN_MANAGE where added on update), and gives ownership back to the
 *    object's creator when it can be read; nothing is done for a gone
 *    object, nor for pipelines (whose reset upstream gives the pipeline
 *    to the wrong identity).
 *  - Levels are checked per object type at plan time, with the allowed
 *    ones in the message; so are the admins group (not configurable but
 *    for passwords), a principal given twice, and an entry naming no
 *    principal or more than one.
 */
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "databricks.h"
#include "diag.h"
#include "identity_internal.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "validate.h"

#define PERMISSIONS_API "/api/2.0/permissions"
#define ME_PATH "/api/2.0/preview/scim/v2/Me"

/* --- object types ----------------------------------------------------------- */

enum {
	/* The caller is added with CAN_MANAGE to every PUT of an update. */
	PERM_ME = 1 << 0,
	/* ... and of a delete. */
	PERM_ME_DELETE = 1 << 1,
	/* The admins group may be configured (passwords). */
	PERM_ADMINS = 1 << 2,
	/* CAN_VIEW is the old name of CAN_READ (SQL objects). */
	PERM_SQL_VIEW = 1 << 3,
	/* The argument is a workspace path, resolved to the object's id. */
	PERM_PATH = 1 << 4,
	/* Delete leaves the list alone (pipelines). */
	PERM_NO_RESET = 1 << 5,
	/* Delete also keeps the admins group on admin_object. */
	PERM_ADMIN_DELETE = 1 << 6,
};

struct perm_type {
	const char *field;	  /* the argument: "job_id" */
	const char *object_type;  /* the state's object_type: "job" */
	const char *request_type; /* in paths and IDs: "jobs" */
	const char *levels;	  /* allowed, space-separated */
	const char *manage;	  /* of those, the ones that can manage */
	unsigned flags;
	/* The argument's path twin, kept in the state instead of the id
	 * (notebook_id's notebook_path). */
	const char *path_variant;
	/* authorization: the argument's value, fixed ("tokens"). */
	const char *fixed;
	/* Another prefix of IDs that means this type ("/warehouses/"). */
	const char *alt_prefix;
	/* An object whose PUTs must keep the admins group in the list
	 * ("Cannot change permissions for group 'admins' to None"). */
	const char *admin_object;
	/* The object's GET and the field naming its creator, for owners. */
	const char *creator_path, *creator_field;
};

#define WS_LEVELS "CAN_READ CAN_RUN CAN_EDIT CAN_MANAGE"
#define SQL_LEVELS "CAN_EDIT CAN_RUN CAN_MANAGE CAN_READ CAN_VIEW"
#define ME_BOTH (PERM_ME | PERM_ME_DELETE)

/* clang-format off */
static const struct perm_type perm_types[] = {
	{ "cluster_policy_id", "cluster-policy", "cluster-policies",
	  "CAN_USE", "CAN_USE", 0, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "instance_pool_id", "instance-pool", "instance-pools",
	  "CAN_ATTACH_TO CAN_MANAGE", "CAN_MANAGE", ME_BOTH,
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "cluster_id", "cluster", "clusters",
	  "CAN_ATTACH_TO CAN_RESTART CAN_MANAGE", "CAN_MANAGE", ME_BOTH,
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "pipeline_id", "pipelines", "pipelines",
	  "CAN_VIEW CAN_RUN CAN_MANAGE IS_OWNER", "CAN_MANAGE IS_OWNER",
	  PERM_NO_RESET, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "job_id", "job", "jobs",
	  "CAN_VIEW CAN_MANAGE_RUN IS_OWNER CAN_MANAGE", "IS_OWNER CAN_MANAGE",
	  0, NULL, NULL, NULL, NULL,
	  "/api/2.1/jobs/get?job_id={id}", "creator_user_name" },
	{ "notebook_id", "notebook", "notebooks", WS_LEVELS, "CAN_MANAGE", 0,
	  "notebook_path", NULL, NULL, NULL, NULL, NULL },
	{ "notebook_path", "notebook", "notebooks", WS_LEVELS, "CAN_MANAGE",
	  PERM_PATH, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "directory_id", "directory", "directories", WS_LEVELS, "CAN_MANAGE",
	  PERM_ADMIN_DELETE, "directory_path", NULL, NULL, "/directories/0", NULL, NULL },
	{ "directory_path", "directory", "directories", WS_LEVELS,
	  "CAN_MANAGE", PERM_PATH | PERM_ADMIN_DELETE, NULL, NULL, NULL,
	  "/directories/0",
	  NULL, NULL },
	{ "workspace_file_id", "file", "files", WS_LEVELS, "CAN_MANAGE", 0,
	  "workspace_file_path", NULL, NULL, NULL, NULL, NULL },
	{ "workspace_file_path", "file", "files", WS_LEVELS, "CAN_MANAGE",
	  PERM_PATH, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "repo_id", "repo", "repos", WS_LEVELS, "CAN_MANAGE", 0,
	  "repo_path", NULL, NULL, NULL, NULL, NULL },
	{ "repo_path", "repo", "repos", WS_LEVELS, "CAN_MANAGE", PERM_PATH,
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "authorization", "tokens", "authorization", "CAN_USE CAN_MANAGE",
	  "CAN_USE CAN_MANAGE", 0, NULL, "tokens", NULL,
	  "/authorization/tokens", NULL, NULL },
	{ "authorization", "passwords", "authorization", "CAN_USE", "CAN_USE",
	  PERM_ADMINS, NULL, "passwords", NULL, NULL, NULL, NULL },
	{ "sql_endpoint_id", "warehouses", "sql/warehouses",
	  "CAN_USE CAN_MANAGE CAN_MONITOR CAN_VIEW IS_OWNER",
	  "CAN_MANAGE IS_OWNER", ME_BOTH, NULL, NULL, "/warehouses/", NULL,
	  "/api/2.0/sql/warehouses/{id}", "creator_name" },
	{ "sql_dashboard_id", "dashboard", "dbsql-dashboards", SQL_LEVELS,
	  "CAN_MANAGE", ME_BOTH | PERM_SQL_VIEW, NULL, NULL,
	  "/sql/dashboards/", NULL, NULL, NULL },
	{ "sql_alert_id", "alert", "sql/alerts", SQL_LEVELS, "CAN_MANAGE",
	  ME_BOTH | PERM_SQL_VIEW, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "sql_query_id", "query", "sql/queries", SQL_LEVELS, "CAN_MANAGE",
	  ME_BOTH | PERM_SQL_VIEW, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "dashboard_id", "dashboard", "dashboards",
	  "CAN_EDIT CAN_RUN CAN_MANAGE CAN_READ", "CAN_MANAGE", 0,
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "experiment_id", "mlflowExperiment", "experiments",
	  "CAN_READ CAN_EDIT CAN_MANAGE", "CAN_MANAGE", 0,
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "registered_model_id", "registered-model", "registered-models",
	  "CAN_READ CAN_EDIT CAN_MANAGE_STAGING_VERSIONS "
	  "CAN_MANAGE_PRODUCTION_VERSIONS CAN_MANAGE", "CAN_MANAGE", ME_BOTH,
	  NULL, NULL, NULL, "/registered-models/root", NULL, NULL },
	{ "serving_endpoint_id", "serving-endpoint", "serving-endpoints",
	  "CAN_VIEW CAN_QUERY CAN_MANAGE", "CAN_MANAGE", ME_BOTH,
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "vector_search_endpoint_id", "vector-search-endpoints",
	  "vector-search-endpoints", "CAN_USE CAN_MANAGE", "CAN_MANAGE",
	  ME_BOTH, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "app_name", "apps", "apps", "CAN_USE CAN_MANAGE", "CAN_MANAGE",
	  ME_BOTH, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "database_instance_name", "database-instances", "database-instances",
	  "CAN_USE CAN_MANAGE", "CAN_MANAGE", ME_BOTH,
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "database_project_name", "database-projects", "database-projects",
	  "CAN_USE CAN_MANAGE", "CAN_MANAGE", ME_BOTH,
	  NULL, NULL, NULL, NULL, NULL, NULL },
	{ "alert_v2_id", "alertv2", "alertsv2", WS_LEVELS, "CAN_MANAGE",
	  ME_BOTH, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "knowledge_assistant_id", "knowledge-assistants",
	  "knowledge-assistants", "CAN_QUERY CAN_MANAGE", "CAN_MANAGE",
	  ME_BOTH, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "supervisor_agent_id", "supervisor-agents", "supervisor-agents",
	  "CAN_QUERY CAN_MANAGE", "CAN_MANAGE", ME_BOTH,
	  NULL, NULL, NULL, NULL, NULL, NULL },
};
/* clang-format on */
#define N_PERM_TYPES (sizeof(perm_types) / sizeof(perm_types[0]))

/* --- schema --------------------------------------------------------------- */

static int perm_validate_authorization(struct tfp_diags *d,
				       const struct tfp_path *path,
				       const struct tfp_value *v)
{
	if (strcmp(v->u.str, "tokens") == 0 ||
	    strcmp(v->u.str, "passwords") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid authorization",
				   "authorization is \"tokens\" or "
				   "\"passwords\", not \"%s\".",
				   v->u.str);
}

#define PERM_OBJECT(n, d)                                                      \
	{ .name = n, .type = &tfp_type_string,                                 \
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW, .desc = d }

/* clang-format off */
static const struct tfp_attr perm_ac_attrs[] = {
	{ .name = "user_name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "A user, by user name (email); case does not matter." },
	{ .name = "group_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .desc = "A group, by display name." },
	{ .name = "service_principal_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A service principal, by application ID." },
	{ .name = "permission_level", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "The level, among those the object type allows (a job: "
		  "CAN_VIEW, CAN_MANAGE_RUN, IS_OWNER, CAN_MANAGE)." },
	TFP_ATTR_END
};
static const struct tfp_block perm_blocks[] = {
	{ .name = "access_control", .nesting = TFP_NEST_SET, .min_items = 1,
	  .attrs = perm_ac_attrs,
	  .desc = "One principal's level. Principals not listed lose their "
		  "direct permissions on the object." },
	TFP_BLOCK_END
};

static const struct tfp_attr perm_attrs[] = {
	PERM_OBJECT("cluster_id", "The cluster's ID."),
	PERM_OBJECT("cluster_policy_id", "The cluster policy's ID."),
	PERM_OBJECT("instance_pool_id", "The instance pool's ID."),
	PERM_OBJECT("job_id", "The job's ID."),
	PERM_OBJECT("pipeline_id", "The pipeline's ID."),
	PERM_OBJECT("notebook_id", "The notebook's numeric object ID."),
	PERM_OBJECT("notebook_path", "The notebook's workspace path."),
	PERM_OBJECT("directory_id", "The directory's numeric object ID."),
	PERM_OBJECT("directory_path", "The directory's workspace path."),
	PERM_OBJECT("workspace_file_id", "The workspace file's object ID."),
	PERM_OBJECT("workspace_file_path", "The workspace file's path."),
	PERM_OBJECT("repo_id", "The repo's ID."),
	PERM_OBJECT("repo_path", "The repo's workspace path."),
	{ .name = "authorization", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .validate = perm_validate_authorization,
	  .desc = "\"tokens\" (who may create personal access tokens) or "
		  "\"passwords\" (who may sign in with a password)." },
	PERM_OBJECT("sql_endpoint_id", "The SQL warehouse's ID."),
	PERM_OBJECT("sql_dashboard_id", "The legacy SQL dashboard's ID."),
	PERM_OBJECT("sql_alert_id", "The SQL alert's ID."),
	PERM_OBJECT("sql_query_id", "The SQL query's ID."),
	PERM_OBJECT("dashboard_id", "The AI/BI (Lakeview) dashboard's ID."),
	PERM_OBJECT("experiment_id", "The MLflow experiment's ID."),
	PERM_OBJECT("registered_model_id",
		    "The MLflow registered model's ID (\"root\": all)."),
	PERM_OBJECT("serving_endpoint_id", "The serving endpoint's ID."),
	PERM_OBJECT("vector_search_endpoint_id",
		    "The vector search endpoint's ID."),
	PERM_OBJECT("app_name", "The Databricks app's name."),
	PERM_OBJECT("database_instance_name",
		    "The database instance's name."),
	PERM_OBJECT("database_project_name", "The database project's name."),
	PERM_OBJECT("alert_v2_id", "The alert's ID (alerts v2)."),
	PERM_OBJECT("knowledge_assistant_id",
		    "The knowledge assistant's ID."),
	PERM_OBJECT("supervisor_agent_id", "The supervisor agent's ID."),
	{ .name = "object_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The Permissions API's type of the object (job, cluster, "
		  "notebook...)." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "/<request type>/<object id>, e.g. /jobs/123: the import "
		  "ID." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* Whether word is one of the space-separated words of list. */
static bool perm_word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* The list as "A, B, C" for messages. */
static const char *perm_list_text(struct tfp_arena *a, const char *list)
{
	char *s = tfp_arena_strdup(a, list), *out, *q;
	size_t n = 0;

	for (q = s; *q != '\0'; q++)
		n += *q == ' ';
	out = tfp_arena_alloc(a, strlen(s) + n + 1);
	for (q = out; *s != '\0'; s++) {
		if (*s == ' ') {
			*q++ = ',';
			*q++ = ' ';
		} else {
			*q++ = *s;
		}
	}
	*q = '\0';
	return out;
}

static bool perm_has_owner(const struct perm_type *t)
{
	return perm_word_in(t->levels, "IS_OWNER");
}

/*
 * The type an object (config, plan or state) names through its one set
 * argument, and that argument's value into *value (NULL when unknown).
 * NULL when no argument is set.
 */
static const struct perm_type *perm_type_of(const struct tfp_value *obj,
					    const char **value)
{
	size_t i;

	for (i = 0; i < N_PERM_TYPES; i++) {
		const struct perm_type *t = &perm_types[i];
		const struct tfp_value *v = tfp_value_get(obj, t->field);

		if (tfp_value_is_null(v))
			continue;
		*value = tfp_value_is_known(v) ? v->u.str : NULL;
		/* authorization picks its row by value; unknown: the first. */
		if (t->fixed != NULL && *value != NULL &&
		    strcmp(*value, t->fixed) != 0)
			continue;
		return t;
	}
	*value = NULL;
	return NULL;
}

/* The type an ID ("/jobs/123", "/authorization/tokens") belongs to. */
static const struct perm_type *perm_type_of_id(const char *id,
					       const char **object_id)
{
	const char *last = strrchr(id, '/');
	size_t i;

	if (id[0] != '/' || last == NULL || last == id || last[1] == '\0')
		return NULL;
	*object_id = last + 1;
	for (i = 0; i < N_PERM_TYPES; i++) {
		const struct perm_type *t = &perm_types[i];
		size_t n = strlen(t->request_type);

		if (t->flags & PERM_PATH)
			continue;
		if (t->fixed != NULL) {
			if (strncmp(id + 1, t->request_type, n) == 0 &&
			    id[n + 1] == '/' && strcmp(last + 1, t->fixed) == 0)
				return t;
			continue;
		}
		if (strncmp(id + 1, t->request_type, n) == 0 &&
		    id + n + 1 == last)
			return t;
		if (t->alt_prefix != NULL &&
		    strncmp(id, t->alt_prefix, strlen(t->alt_prefix)) == 0 &&
		    id + strlen(t->alt_prefix) - 1 == last)
			return t;
	}
	return NULL;
}

/* The principal an entry names (JSON or config element), and its kind. */
struct perm_entry {
	const char *kind; /* "user_name", "group_name", "service_principal_name" */
	const char *name;
	const char *level;
};

static const char *const perm_kinds[] = {"user_name", "group_name",
					 "service_principal_name"};

static bool perm_same(const struct perm_entry *x, const char *kind,
		      const char *name)
{
	/* Group names are exact; user names and application IDs are not
	 * case-sensitive (#5183 upstream). */
	if (strcmp(x->kind, kind) != 0)
		return false;
	if (strcmp(kind, "group_name") == 0)
		return strcmp(x->name, name) == 0;
	return strcasecmp(x->name, name) == 0;
}

/* A dynamic array of entries in an arena. */
struct perm_acl {
	struct perm_entry *items;
	size_t n, cap;
};

static void perm_acl_add(struct tfp_arena *a, struct perm_acl *acl,
			 const char *kind, const char *name, const char *level)
{
	if (acl->n == acl->cap) {
		size_t cap = acl->cap ? acl->cap * 2 : 8;
		struct perm_entry *items =
			tfp_arena_alloc(a, cap * sizeof(*items));

		if (acl->n)
			memcpy(items, acl->items, acl->n * sizeof(*items));
		acl->items = items;
		acl->cap = cap;
	}
	acl->items[acl->n++] =
		(struct perm_entry){.kind = kind, .name = name, .level = level};
}

static bool perm_acl_names(const struct perm_acl *acl, const char *kind,
			   const char *name)
{
	size_t i;

	for (i = 0; i < acl->n; i++)
		if (perm_same(&acl->items[i], kind, name))
			return true;
	return false;
}

static bool perm_acl_has_level(const struct perm_acl *acl, const char *level)
{
	size_t i;

	for (i = 0; i < acl->n; i++)
		if (strcmp(acl->items[i].level, level) == 0)
			return true;
	return false;
}

/* The caller is a user or a service principal: either kind matches. */
static bool perm_acl_names_me(const struct perm_acl *acl, const char *me)
{
	return perm_acl_names(acl, "user_name", me) ||
	       perm_acl_names(acl, "service_principal_name", me);
}

/* An element's principal: the one name set, else kind NULL. */
static void perm_element(struct perm_entry *e, const struct tfp_value *el)
{
	size_t k;

	memset(e, 0, sizeof(*e));
	e->level = tfp_value_get_string(el, "permission_level");
	for (k = 0; k < 3; k++) {
		const char *name = tfp_value_get_string(el, perm_kinds[k]);

		if (name != NULL && *name != '\0') {
			e->kind = perm_kinds[k];
			e->name = name;
			return;
		}
	}
}

/* The entries of an access_control set (known elements with a principal). */
static void perm_acl_of(struct tfp_arena *a, struct perm_acl *acl,
			const struct tfp_value *obj)
{
	const struct tfp_value *set = tfp_value_get(obj, "access_control");
	size_t i;

	memset(acl, 0, sizeof(*acl));
	for (i = 0; tfp_value_is_known(set) && i < set->u.coll.n; i++) {
		struct perm_entry e;

		perm_element(&e, set->u.coll.items[i]);
		if (e.kind != NULL && e.level != NULL)
			perm_acl_add(a, acl, e.kind, e.name, e.level);
	}
}

/* --- validation ----------------------------------------------------------- */

static int perm_validate_access(struct tfp_call *call,
				const struct perm_type *t,
				const struct tfp_value *set)
{
	const struct tfp_path *path =
		tfp_path_attr(call->arena, NULL, "access_control");
	struct perm_acl seen = {0};
	int error = TFP_OK;
	size_t i, k;

	for (i = 0; tfp_value_is_known(set) && i < set->u.coll.n; i++) {
		const struct tfp_value *el = set->u.coll.items[i];
		struct perm_entry e;
		int named = 0;
		bool unknown = false;

		for (k = 0; k < 3; k++) {
			const struct tfp_value *v =
				tfp_value_get(el, perm_kinds[k]);

			unknown |= tfp_value_is_unknown(v);
			named += tfp_value_is_known(v);
		}
		perm_element(&e, el);
		if (named != 1 && !unknown) {
			error = tfp_diag_attr_error(
				call->diags, path, "Invalid access_control",
				"Each access_control block names exactly one "
				"of user_name, group_name and "
				"service_principal_name; one names %d.",
				named);
			continue;
		}
		if (t != NULL && e.level != NULL &&
		    !perm_word_in(t->levels, e.level))
			error = tfp_diag_attr_error(
				call->diags, path, "Invalid permission level",
				"permission_level %s is not supported with %s "
				"objects; allowed levels: %s.",
				e.level, t->field,
				perm_list_text(call->arena, t->levels));
		if (e.kind == NULL || unknown)
			continue;
		if (t != NULL && strcmp(e.kind, "group_name") == 0 &&
		    strcmp(e.name, "admins") == 0 && !(t->flags & PERM_ADMINS))
			error = tfp_diag_attr_error(
				call->diags, path, "The admins group is not "
				"configurable",
				"The admins group always manages %s objects; "
				"its permission cannot be changed. Remove its "
				"access_control block.",
				t->object_type);
		if (perm_acl_names(&seen, e.kind, e.name))
			error = tfp_diag_attr_error(
				call->diags, path, "Duplicate principal",
				"%s \"%s\" appears in more than one "
				"access_control block (user names and "
				"application IDs ignore case). A principal has "
				"one level: keep one block.",
				e.kind, e.name);
		perm_acl_add(call->arena, &seen, e.kind, e.name, "");
	}
	if (t != NULL && perm_has_owner(t)) {
		size_t owners = 0;

		for (i = 0; tfp_value_is_known(set) && i < set->u.coll.n; i++) {
			const char *l = tfp_value_get_string(
				set->u.coll.items[i], "permission_level");

			owners += l != NULL && strcmp(l, "IS_OWNER") == 0;
		}
		if (owners > 1)
			error = tfp_diag_attr_error(
				call->diags, path, "More than one owner",
				"A %s has exactly one owner; %zu "
				"access_control blocks say IS_OWNER.",
				t->object_type, owners);
	}
	return error;
}

static int perm_validate(struct tfp_call *call, const struct tfp_value *config)
{
	const char *first = NULL, *value;
	const struct perm_type *t;
	bool unknown = false;
	int error = TFP_OK;
	size_t i;

	/* One object argument, as upstream's ConflictsWith. */
	for (i = 0; i < N_PERM_TYPES; i++) {
		const char *f = perm_types[i].field;
		const struct tfp_value *v = tfp_value_get(config, f);

		if (i > 0 && strcmp(f, perm_types[i - 1].field) == 0)
			continue; /* authorization's second row */
		unknown |= tfp_value_is_unknown(v);
		if (tfp_value_is_null(v))
			continue;
		if (first == NULL) {
			first = f;
			continue;
		}
		error = tfp_diag_attr_error(
			call->diags, tfp_path_attr(call->arena, NULL, f),
			"Conflicting objects",
			"%s and %s are both set; one databricks_permissions "
			"resource manages one object.",
			first, f);
	}
	if (first == NULL && !unknown)
		return tfp_diag_error(
			call->diags, "Missing object",
			"One object argument must be set: cluster_id, job_id, "
			"notebook_path, authorization, sql_endpoint_id...");
	t = perm_type_of(config, &value);
	if (perm_validate_access(call, t, tfp_value_get(config,
							"access_control")) < 0)
		error = TFP_ERROR;
	return error;
}

/* The ID and object_type follow from a known object id. */
static int perm_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			    const struct tfp_value *config,
			    struct tfp_value *plan)
{
	const struct perm_type *t;
	const char *value;

	(void)prior;
	(void)config;
	if (tfp_value_is_null(plan))
		return TFP_OK;
	t = perm_type_of(plan, &value);
	if (t == NULL)
		return TFP_OK;
	if (value != NULL)
		tfp_value_set_string(call->arena, plan, "object_type",
				     t->object_type);
	if (value != NULL && !(t->flags & PERM_PATH))
		tfp_value_set_string(
			call->arena, plan, "id",
			tfp_arena_printf(call->arena, "/%s/%s",
					 t->request_type, value));
	return TFP_OK;
}

/* --- REST ----------------------------------------------------------------- */

static int perm_fail_last(struct tfp_call *call)
{
	return tfp_call_fail(call, "%s %s: %s", call->last_error.method,
			     call->last_error.path, call->last_error.message);
}

/* The caller's user name (or application ID), cached per client. */
static int perm_me(const char **out, struct tfp_call *call)
{
	cJSON *me = NULL;
	int error = tfp_rest_call(&me, call, "GET", ME_PATH, NULL, NULL,
				  TFP_REST_CACHE);

	if (error == TFP_ENOTFOUND)
		return perm_fail_last(call);
	if (error < 0)
		return error;
	*out = tfp_json_string(me, "userName");
	if (*out == NULL)
		return tfp_call_fail(call, "GET %s answered without a userName.",
				     ME_PATH);
	return TFP_OK;
}

static const char *perm_api_path(struct tfp_call *call, const char *id)
{
	/* The id is "/<request type>/<object id>": only the object id can
	 * hold characters to escape (an app's name). */
	const char *last = strrchr(id, '/');

	return tfp_arena_printf(call->arena, "%s%.*s%s", PERMISSIONS_API,
				(int)(last - id + 1), id,
				tfp_rest_escape(call->arena, last + 1));
}

/*
 * The object's ID: "/{request type}/{id}", the id being a path's object
 * id for path arguments.
 */
static int perm_object_id(const char **out, struct tfp_call *call,
			  const struct perm_type *t, const char *value)
{
	struct tfp_query q[] = {{"path", value}, {NULL, NULL}};
	cJSON *status = NULL;
	int64_t object_id;
	int error;

	if (!(t->flags & PERM_PATH)) {
		*out = tfp_arena_printf(call->arena, "/%s/%s",
					t->request_type, value);
		return TFP_OK;
	}
	error = tfp_rest_get(&status, call, "/api/2.0/workspace/get-status",
			     q);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call,
				     "Cannot find %s \"%s\" in the workspace: %s",
				     t->field, value,
				     call->last_error.message);
	if (error < 0)
		return error;
	if (tfp_json_int(&object_id, status, "object_id", NULL) != TFP_OK)
		return tfp_call_fail(call,
				     "GET /api/2.0/workspace/get-status for "
				     "\"%s\" answered without an object_id.",
				     value);
	*out = tfp_arena_printf(call->arena, "/%s/%lld", t->request_type,
				(long long)object_id);
	return TFP_OK;
}

/* The object's ACL as the service answers it: entries with their direct
 * levels (inherited ones are never set by a PUT). */
static int perm_get(struct perm_acl *direct, cJSON **raw,
		    struct tfp_call *call, const char *id)
{
	const cJSON *list, *ac;
	int error;

	memset(direct, 0, sizeof(*direct));
	error = tfp_rest_call(raw, call, "GET", perm_api_path(call, id), NULL,
			      NULL, 0);
	if (error < 0)
		return error;
	list = cJSON_GetObjectItemCaseSensitive(*raw, "access_control_list");
	cJSON_ArrayForEach(ac, list)
	{
		const cJSON *all = cJSON_GetObjectItemCaseSensitive(
			ac, "all_permissions");
		const cJSON *p;
		const char *kind = NULL, *name = NULL;
		size_t k;

		for (k = 0; k < 3 && name == NULL; k++) {
			name = tfp_json_string(ac, perm_kinds[k]);
			kind = perm_kinds[k];
		}
		if (name == NULL)
			continue;
		cJSON_ArrayForEach(p, all)
		{
			const char *level =
				tfp_json_string(p, "permission_level");

			if (level == NULL ||
			    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				    p, "inherited")))
				continue;
			perm_acl_add(call->arena, direct, kind, name, level);
		}
	}
	return TFP_OK;
}

static int perm_put(struct tfp_call *call, const char *id,
		    const struct perm_acl *acl)
{
	cJSON *body = cJSON_CreateObject(), *list, *reply = NULL;
	size_t i;
	int error;

	list = cJSON_AddArrayToObject(body, "access_control_list");
	for (i = 0; i < acl->n; i++) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, acl->items[i].kind,
					acl->items[i].name);
		cJSON_AddStringToObject(e, "permission_level",
					acl->items[i].level);
		cJSON_AddItemToArray(list, e);
	}
	error = tfp_rest_call(&reply, call, "PUT", perm_api_path(call, id),
			      NULL, body, TFP_REST_IDEMPOTENT);
	cJSON_Delete(body);
	return error;
}

/*
 * PUTs acl, which has no owner: when the object has one, its current
 * owner is kept; when it has none and the service wants one, the caller
 * becomes it (as upstream does on every PUT).
 */
static int perm_put_keeping_owner(struct tfp_call *call,
				  const struct perm_type *t, const char *id,
				  struct perm_acl *acl, const char *me)
{
	struct perm_acl current;
	cJSON *raw = NULL;
	size_t i;
	int error;

	if (perm_has_owner(t) && !perm_acl_has_level(acl, "IS_OWNER")) {
		error = perm_get(&current, &raw, call, id);
		if (error < 0)
			return error;
		for (i = 0; i < current.n; i++)
			if (strcmp(current.items[i].level, "IS_OWNER") == 0) {
				perm_acl_add(call->arena, acl,
					     current.items[i].kind,
					     current.items[i].name, "IS_OWNER");
				break;
			}
	}
	error = perm_put(call, id, acl);
	if (error < 0 && call->last_error.message != NULL &&
	    strstr(call->last_error.message,
		   "no existing owner must provide a new owner") != NULL &&
	    me != NULL) {
		perm_acl_add(call->arena, acl, "user_name", me, "IS_OWNER");
		/* The first answer's error is replaced by the retry's. */
		tfp_diags_drop_last(call->diags);
		error = perm_put(call, id, acl);
	}
	return error;
}

/* --- read ----------------------------------------------------------------- */

/*
 * The state's access_control from the direct entries: without the admins
 * group (but for passwords), the caller unless prior lists it, owners
 * unless prior has one (or there is no prior: an import); in prior's
 * spelling where it names the same principal.
 */
static struct tfp_value *perm_state_set(struct tfp_call *call,
					const struct perm_type *t,
					const struct tfp_type *set_type,
					const struct perm_acl *direct,
					const struct tfp_value *prior,
					const char *me)
{
	const struct tfp_value *pset = tfp_value_get(prior, "access_control");
	struct perm_acl pacl;
	struct tfp_value *set;
	bool imported = !tfp_value_is_known(pset);
	bool keep_owner;
	size_t i, n = 0;

	perm_acl_of(call->arena, &pacl, prior);
	keep_owner = imported || perm_acl_has_level(&pacl, "IS_OWNER");
	set = tfp_value_collection(call->arena, set_type, direct->n);
	for (i = 0; i < direct->n; i++) {
		const struct perm_entry *e = &direct->items[i];
		const char *name = e->name, *level = e->level;
		struct tfp_value *el;
		size_t j, k;

		if (strcmp(e->kind, "group_name") == 0 &&
		    strcmp(e->name, "admins") == 0 && !(t->flags & PERM_ADMINS))
			continue;
		if (me != NULL && strcmp(e->kind, "group_name") != 0 &&
		    strcasecmp(e->name, me) == 0 &&
		    !perm_acl_names_me(&pacl, me))
			continue;
		if (strcmp(level, "IS_OWNER") == 0 && !keep_owner)
			continue;
		for (j = 0; j < pacl.n; j++) {
			if (!perm_same(&pacl.items[j], e->kind, e->name))
				continue;
			name = pacl.items[j].name;
			if ((t->flags & PERM_SQL_VIEW) &&
			    strcmp(level, "CAN_READ") == 0 &&
			    strcmp(pacl.items[j].level, "CAN_VIEW") == 0)
				level = "CAN_VIEW";
			break;
		}
		el = tfp_value_object(call->arena, set_type->elem);
		for (k = 0; k < 3; k++)
			tfp_value_set_string(call->arena, el, perm_kinds[k],
					     strcmp(perm_kinds[k], e->kind) == 0
						     ? name
						     : NULL);
		tfp_value_set_string(call->arena, el, "permission_level",
				     level);
		set->u.coll.items[n++] = el;
	}
	set->u.coll.n = n;
	return set;
}

static int perm_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *prior)
{
	const char *id = tfp_value_get_string(prior, "id"), *object_id, *me;
	const struct perm_type *t;
	struct perm_acl direct;
	struct tfp_value *state, *set;
	cJSON *raw = NULL;
	int error, idx;
	const char *value;

	t = id ? perm_type_of_id(id, &object_id) : NULL;
	/* A path argument's row (same request type) when the state has it. */
	if (t != NULL && t->path_variant != NULL &&
	    tfp_value_get_string(prior, t->path_variant) != NULL)
		t = perm_type_of(prior, &value);
	if (t == NULL)
		return tfp_call_fail(call,
				     "\"%s\" is not a permissions ID such as "
				     "/jobs/123 or /authorization/tokens.",
				     id ? id : "");
	error = perm_me(&me, call);
	if (error < 0)
		return error;
	error = perm_get(&direct, &raw, call, id);
	if (error < 0)
		return error;
	idx = tfp_type_attr_index(prior->type, "access_control");
	set = perm_state_set(call, t, prior->type->attr_types[idx], &direct,
			     prior, me);
	if (set->u.coll.n == 0) {
		/* Nothing this resource could have set: gone, as upstream. */
		call->last_error.message = "no direct permissions are left";
		return TFP_ENOTFOUND;
	}
	state = tfp_value_copy(call->arena, prior);
	tfp_value_set(state, "access_control", set);
	tfp_value_set_string(call->arena, state, "object_type", t->object_type);
	if (!(t->flags & PERM_PATH))
		tfp_value_set_string(call->arena, state, t->field,
				     t->fixed ? t->fixed : object_id);
	*out = state;
	return TFP_OK;
}

/* --- write ---------------------------------------------------------------- */

/*
 * The list a PUT sends for plan: the configured entries (CAN_VIEW as
 * CAN_READ for SQL objects), the caller's CAN_MANAGE where the type adds
 * it, and the admins group where the object needs it.
 */
static int perm_desired(struct perm_acl *acl, struct tfp_call *call,
			const struct perm_type *t, const char *id,
			const struct tfp_value *plan, const char *me)
{
	size_t i;

	perm_acl_of(call->arena, acl, plan);
	for (i = 0; i < acl->n; i++) {
		struct perm_entry *e = &acl->items[i];

		if (strcmp(e->kind, "group_name") != 0 &&
		    strcasecmp(e->name, me) == 0 &&
		    !perm_word_in(t->manage, e->level))
			return tfp_call_fail(
				call,
				"Cannot remove management permissions for "
				"the current user (%s) on this %s: give it "
				"one of %s, or leave it out.",
				me, t->object_type,
				perm_list_text(call->arena, t->manage));
		if ((t->flags & PERM_SQL_VIEW) &&
		    strcmp(e->level, "CAN_VIEW") == 0)
			e->level = "CAN_READ";
	}
	if ((t->flags & PERM_ME) && !perm_acl_names_me(acl, me))
		perm_acl_add(call->arena, acl, "user_name", me, "CAN_MANAGE");
	if (t->admin_object != NULL && strcmp(id, t->admin_object) == 0 &&
	    !perm_acl_names(acl, "group_name", "admins"))
		perm_acl_add(call->arena, acl, "group_name", "admins",
			     "CAN_MANAGE");
	return TFP_OK;
}

static int perm_write(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *prior,
		      const struct tfp_value *plan)
{
	const char *value, *id, *me;
	const struct perm_type *t = perm_type_of(plan, &value);
	struct tfp_value *written;
	struct perm_acl acl;
	int error;

	if (t == NULL || value == NULL)
		return tfp_call_fail(call, "%s", "No object argument is set.");
	error = perm_me(&me, call);
	if (error < 0)
		return error;
	id = prior ? tfp_value_get_string(prior, "id") : NULL;
	if (id == NULL) {
		error = perm_object_id(&id, call, t, value);
		if (error < 0)
			return error;
	}
	error = perm_desired(&acl, call, t, id, plan, me);
	if (error < 0)
		return error;
	error = perm_put_keeping_owner(call, t, id, &acl, me);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "%s %s: %s", call->last_error.method,
				     call->last_error.path,
				     call->last_error.message);
	if (error < 0)
		return error;
	/* Read back what the service made of it: the state is its view. */
	written = tfp_value_copy(call->arena, plan);
	tfp_value_set_string(call->arena, written, "id", id);
	tfp_value_set_string(call->arena, written, "object_type",
			     t->object_type);
	error = perm_read(out, call, written);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call,
				     "The permissions of %s read back empty "
				     "after they were set.",
				     id);
	return error;
}

static int perm_create(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *plan)
{
	return perm_write(out, call, NULL, plan);
}

static int perm_update(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior,
		       const struct tfp_value *plan)
{
	return perm_write(out, call, prior, plan);
}

/* The object's creator, "" when it cannot be told; TFP_ENOTFOUND: gone. */
static int perm_creator(const char **out, struct tfp_call *call,
			const struct perm_type *t, const char *object_id)
{
	const char *path;
	cJSON *obj = NULL;
	int error;

	*out = "";
	if (t->creator_path == NULL)
		return TFP_OK;
	path = tfp_arena_printf(call->arena, "%s", t->creator_path);
	{
		/* "{id}" is the template's one placeholder. */
		const char *at = strstr(path, "{id}");

		path = tfp_arena_printf(call->arena, "%.*s%s%s",
					(int)(at - path), path,
					tfp_rest_escape(call->arena, object_id),
					at + 4);
	}
	error = tfp_rest_call(&obj, call, "GET", path, NULL, NULL, 0);
	if (error < 0)
		return error;
	*out = tfp_json_string(obj, t->creator_field);
	if (*out == NULL)
		*out = "";
	return TFP_OK;
}

static int perm_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const char *id = tfp_value_get_string(prior, "id"), *object_id, *me;
	const char *creator;
	const struct perm_type *t;
	struct perm_acl direct, keep = {0};
	cJSON *raw = NULL;
	bool special;
	size_t i;
	int error;

	t = id ? perm_type_of_id(id, &object_id) : NULL;
	if (t == NULL || (t->flags & PERM_NO_RESET))
		return TFP_OK;
	error = perm_get(&direct, &raw, call, id);
	if (error < 0)
		return error; /* TFP_ENOTFOUND: gone, which is success */
	for (i = 0; i < direct.n; i++)
		if (strcmp(direct.items[i].kind, "group_name") == 0 &&
		    strcmp(direct.items[i].name, "admins") == 0) {
			perm_acl_add(call->arena, &keep, "group_name",
				     "admins", direct.items[i].level);
			break;
		}
	error = perm_me(&me, call);
	if (error < 0)
		return error;
	special = t->admin_object != NULL && strcmp(id, t->admin_object) == 0;
	if ((t->flags & PERM_ME_DELETE) && !special &&
	    !perm_acl_names_me(&keep, me))
		perm_acl_add(call->arena, &keep, "user_name", me, "CAN_MANAGE");
	if (special && (t->flags & PERM_ADMIN_DELETE) &&
	    !perm_acl_names(&keep, "group_name", "admins"))
		perm_acl_add(call->arena, &keep, "group_name", "admins",
			     "CAN_MANAGE");
	if (perm_has_owner(t)) {
		error = perm_creator(&creator, call, t, object_id);
		if (error < 0)
			return error; /* the object is gone: nothing to reset */
		if (*creator != '\0')
			perm_acl_add(call->arena, &keep, "user_name", creator,
				     "IS_OWNER");
	}
	return perm_put_keeping_owner(call, t, id, &keep, me);
}

static int perm_import(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_type *type, const char *id)
{
	const struct perm_type *t;
	const char *object_id;
	struct tfp_value *v;

	t = perm_type_of_id(id, &object_id);
	if (t == NULL)
		return tfp_diag_error(
			call->diags, "Invalid import ID",
			"\"%s\" is not a permissions ID. The form is "
			"/<object type>/<object id>, e.g. /jobs/123, "
			"/clusters/0123-456789-abcdef, /notebooks/4242, "
			"/sql/warehouses/abc, /authorization/tokens.",
			id);
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, t->field,
			     t->fixed ? t->fixed : object_id);
	*out = v;
	return TFP_OK;
}

/* clang-format off */
const struct tfp_rest_not_found tfp_identity_not_found[] = {
	/* A cluster deleted (or purged) answers the Permissions API with
	 * 400 INVALID_STATE "Cannot access cluster <id> that was
	 * terminated or unpinned more than 30 days ago.": it is gone. */
	{ .path = "permissions/clusters/", .status = 400,
	  .message = "Cannot access cluster" },
	{ .path = NULL }
};
/* clang-format on */

const struct tfp_resource tfp_resource_permissions = {
	.type_name = "databricks_permissions",
	.attrs = perm_attrs,
	.blocks = perm_blocks,
	.desc = "The access control list of one workspace object (a job, "
		"cluster, policy, pool, notebook, directory, file, repo, "
		"pipeline, SQL warehouse...) or of tokens and passwords. "
		"Principals not listed lose their direct permissions; the "
		"admins group and inherited permissions are left alone.",
	.create = perm_create,
	.read = perm_read,
	.update = perm_update,
	.delete = perm_delete,
	.import = perm_import,
	.modify_plan = perm_modify_plan,
	.validate = perm_validate,
};
