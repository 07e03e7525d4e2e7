/*
 * The Permissions API 2.0: access control lists of workspace objects
 * (databricks-sdk-go service/iam: ObjectPermissions, AccessControlRequest,
 * AccessControlResponse, Permission, GetPermissionLevelsResponse).
 *
 *   GET   /api/2.0/permissions/{type}/{id}       -> ObjectPermissions
 *   PUT   /api/2.0/permissions/{type}/{id}       {access_control_list}:
 *                  replaces the direct ACL      -> ObjectPermissions
 *   PATCH /api/2.0/permissions/{type}/{id}       {access_control_list}:
 *                  adds or re-levels principals -> ObjectPermissions
 *   GET   /api/2.0/permissions/{type}/{id}/permissionLevels
 *                  -> {permission_levels: [{permission_level, description}]}
 *
 * {type} is jobs, clusters, cluster-policies, instance-pools, notebooks,
 * directories, files, repos, pipelines or sql/warehouses (two segments;
 * warehouses/{id}, the path the SDK's Warehouses API uses, names the same
 * ACL); authorization/tokens and authorization/passwords have no {id}.
 * ObjectPermissions is {"object_id": "/jobs/123", "object_type": "job",
 * "access_control_list": [{"user_name" | "group_name" |
 * "service_principal_name", "display_name" (users and service principals
 * the directory holds), "all_permissions": [{"permission_level",
 * "inherited", "inherited_from_object" (inherited only)}]}]}; object_type
 * is job, cluster, cluster-policy, instance-pool, notebook, directory,
 * file, repo, pipelines, warehouses, tokens, passwords, and object_id is
 * "/<request path>" ("/sql/warehouses/x", "/authorization/tokens"), as
 * the official provider's permission_definitions.go and its recorded
 * responses (exporter/test-data) show them. Entries come users first,
 * then service principals, then groups, each by name, as those responses
 * order them.
 *
 * Rules, as the service applies them:
 *
 * - Levels per type are those of permission_definitions.go; another is
 *   400 INVALID_PARAMETER_VALUE. Only admins may hold CAN_MANAGE on
 *   tokens (the provider's docs).
 * - A principal named twice in one request keeps its last level (the
 *   databricks CLI's acceptance "factcheck", recorded against a real
 *   workspace: CAN_MANAGE then IS_OWNER gives IS_OWNER; IS_OWNER then
 *   CAN_MANAGE leaves no owner). A user_name that is a service
 *   principal's application id names the service principal (the official
 *   provider sends its caller as user_name IS_OWNER, service principal or
 *   not); the same principal through two fields at two levels is 400
 *   INVALID_PARAMETER_VALUE "Permissions being set for UserName(x) are
 *   ambiguous" (seen by the CLI, bundle/config/mutator/resourcemutator/
 *   fix_permissions.go).
 * - Jobs and pipelines have exactly one IS_OWNER after every write, else
 *   400 INVALID_PARAMETER_VALUE "The job must have exactly one owner."
 *   (the wording of the CLI's issues #3849, #4466, #5682 and the
 *   provider's #303). So a PUT without an owner is refused: it does NOT
 *   keep the previous owner (the official provider never sends one
 *   without, as it adds the caller as IS_OWNER when the configuration has
 *   none); a PUT naming a new owner transfers ownership; a PATCH naming a
 *   new owner must also re-level the old one. A job's first owner is its
 *   creator. A warehouse keeps its owner when a write names none, and a
 *   PUT on a warehouse without any owner must name one: "PUT requests for
 *   warehouse <id> with no existing owner must provide a new owner." (the
 *   provider's issue #2678). A group cannot own anything (the jobs ACL
 *   documentation).
 * - The admins group holds CAN_MANAGE (CAN_USE on cluster policies),
 *   inherited from the type's root ("/jobs/", "/clusters/",
 *   "/cluster-policies/cluster-policies", "/directories/" for workspace
 *   objects...), on every object: always shown, never removed by a PUT.
 *   Naming admins at that level adds a direct entry beside it; at another
 *   level it is refused, "Cannot change permissions for group 'admins' to
 *   CAN_VIEW.". On tokens and on the root folder (/directories/0) the
 *   admins' CAN_MANAGE is direct and a PUT must keep it: "Cannot change
 *   permissions for group 'admins' to None." (quoted by the provider's
 *   update/customizers.go) and "Cannot remove admins's CAN_MANAGE
 *   permission on 0" (its issue #2134). Passwords have no built-in entry.
 * - A job whose run_as was never given runs as its owner: a transfer
 *   changes its run_as_user_name (emu_jobs_owner_set, jobs/jobs.h).
 * - A cluster's creator holds CAN_MANAGE and a job's creator IS_OWNER as
 *   direct entries (the recorded responses) until a PUT replaces them (the
 *   provider's issue #2165 shows a PUT dropping a creator's CAN_MANAGE).
 * - Jobs, clusters, cluster policies, instance pools, pipelines and SQL
 *   warehouses exist in the emulator, so their ids are checked: an unknown job is 404 RESOURCE_DOES_NOT_EXIST "Job
 *   <id> does not exist.", an unknown policy 404 RESOURCE_DOES_NOT_EXIST
 *   "Can't find a cluster policy with id: <id>." (what policies/get
 *   answers), an unknown or permanently deleted cluster 400 INVALID_STATE
 *   "Cannot access cluster <id> that was terminated or unpinned more than
 *   30 days ago." (the provider's issues #1197 and #1227; it reads that as
 *   gone), an unknown instance pool 404 RESOURCE_DOES_NOT_EXIST "Can't
 *   find an instance pool with id: <id>." (what instance-pools/get
 *   answers), an unknown pipeline or warehouse 404 RESOURCE_DOES_NOT_EXIST
 *   as pipelines/get and warehouses/get word it. A pipeline's and a
 *   warehouse's creator is its IS_OWNER until a write names another.
 *   Workspace objects are not checked: any id is accepted and starts
 *   with the admins' entry only (no parent folders to inherit from
 *   either). The ACL of a deleted job, cluster, policy, pool, pipeline or
 *   warehouse is forgotten: every request first drops the
 *   ACLs whose object is gone, which no client can tell from deleting
 *   them with the object.
 * - A principal must be in the workspace's SCIM directory (or be the
 *   caller): else 404 RESOURCE_DOES_NOT_EXIST "Principal: UserName(x) does
 *   not exist" (GroupName, ServicePrincipalName), as quoted in public
 *   deployment notes and the CLI's factcheck. User names and application
 *   ids match ignoring case and are answered in the directory's spelling;
 *   group names match exactly.
 *
 * Where no public source quotes the service, the wording is the
 * emulator's: an invalid level ("Invalid permission level CAN_USE for
 * job. Valid permission levels are: ..."), a group as owner, an entry
 * without exactly one principal or without a level, CAN_MANAGE on tokens
 * for a non-admin, and the permissionLevels descriptions. Callers are not
 * checked for CAN_MANAGE themselves: every emulated caller is an admin.
 *
 * State: {"/jobs/123": [{"user_name": "...", "permission_level": "..."}]},
 * the direct entries of each object written to, in AccessControlRequest
 * form; an object never written to shows its defaults (above). Saved
 * with --state; each hosted workspace has its own. The token API asks
 * emu_permissions_may_use_tokens() (identity_internal.h) before a
 * non-admin makes a token.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "compute/clusters.h"
#include "compute/policies.h"
#include "pipelines/pipelines.h"
#include "sql/warehouses.h"
#include "compute/pools.h"
#include "errors.h"
#include "http.h"
#include "identity.h"
#include "identity_internal.h"
#include "jobs/jobs.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

/* Emulator-only caps, so a long-running emulator keeps bounded memory. */
#define PERMS_MAX_OBJECTS 10000
#define PERMS_MAX_ENTRIES 1000

/* Principal kinds, in the order the service lists them. */
enum perms_kind { PK_USER = 0, PK_SP, PK_GROUP, PK_COUNT };

static const char *const kind_field[PK_COUNT] = {
	"user_name", "service_principal_name", "group_name"};
/* How "Principal: UserName(x) does not exist" names each kind. */
static const char *const kind_word[PK_COUNT] = {
	"UserName", "ServicePrincipalName", "GroupName"};

struct perms_level {
	const char *name;
	const char *text; /* its description, before " the <noun>" */
};

enum perms_exists {
	EX_ANY = 0,
	EX_JOB,
	EX_CLUSTER,
	EX_POLICY,
	EX_POOL,
	EX_PIPELINE,
	EX_WAREHOUSE,
};
enum perms_owner { OWN_NONE = 0, OWN_EXACTLY_ONE, OWN_KEEP };

struct perms_type {
	const char *request;	 /* the path after /permissions/ */
	const char *object_type; /* as ObjectPermissions names it */
	const char *noun;	 /* in messages and descriptions */
	const struct perms_level *levels;
	size_t nlevels;
	const char *admins_level;  /* the admins' level; NULL: none */
	const char *admins_from;   /* inherited from; NULL: direct */
	const char *creator_level; /* the creator's first level, or NULL */
	enum perms_owner owner;
	enum perms_exists exists;
	bool whole_noun; /* descriptions are the text alone */
};

/* clang-format off */
static const struct perms_level job_levels[] = {
	{"CAN_VIEW", "Can view"},
	{"CAN_MANAGE_RUN", "Can view, trigger and cancel runs of"},
	{"IS_OWNER", "Owns, and can view, run, edit, delete and change permissions of"},
	{"CAN_MANAGE", "Can view, run, edit, delete and change permissions of"},
};
static const struct perms_level cluster_levels[] = {
	{"CAN_ATTACH_TO", "Can attach notebooks to"},
	{"CAN_RESTART", "Can attach to, start, restart and terminate"},
	{"CAN_MANAGE", "Can attach to, restart, edit, resize, delete and change permissions of"},
};
static const struct perms_level policy_levels[] = {
	{"CAN_USE", "Can create clusters with"},
};
static const struct perms_level pool_levels[] = {
	{"CAN_ATTACH_TO", "Can attach clusters to"},
	{"CAN_MANAGE", "Can attach to, edit, delete and change permissions of"},
};
static const struct perms_level workspace_levels[] = {
	{"CAN_READ", "Can view"},
	{"CAN_RUN", "Can view and run"},
	{"CAN_EDIT", "Can view, run and edit"},
	{"CAN_MANAGE", "Can view, run, edit, delete and change permissions of"},
};
static const struct perms_level pipeline_levels[] = {
	{"CAN_VIEW", "Can view"},
	{"CAN_RUN", "Can view, start and stop"},
	{"CAN_MANAGE", "Can view, run, edit, delete and change permissions of"},
	{"IS_OWNER", "Owns, and can view, run, edit, delete and change permissions of"},
};
static const struct perms_level warehouse_levels[] = {
	{"CAN_USE", "Can run queries on"},
	{"CAN_MANAGE", "Can use, edit, delete and change permissions of"},
	{"CAN_MONITOR", "Can view the queries and the load of"},
	{"CAN_VIEW", "Can view"},
	{"IS_OWNER", "Owns, and can use, edit, delete and change permissions of"},
};
static const struct perms_level token_levels[] = {
	{"CAN_USE", "Can create and use personal access tokens"},
	{"CAN_MANAGE", "Can create, use and revoke every personal access token"},
};
static const struct perms_level password_levels[] = {
	{"CAN_USE", "Can sign in and call the API with a password"},
};

#define LEVELS(a) (a), EMU_ARRAY_SIZE(a)

static const struct perms_type perms_types[] = {
	{"jobs", "job", "job", LEVELS(job_levels), "CAN_MANAGE", "/jobs/",
	 "IS_OWNER", OWN_EXACTLY_ONE, EX_JOB, false},
	{"clusters", "cluster", "cluster", LEVELS(cluster_levels), "CAN_MANAGE",
	 "/clusters/", "CAN_MANAGE", OWN_NONE, EX_CLUSTER, false},
	{"cluster-policies", "cluster-policy", "cluster policy",
	 LEVELS(policy_levels), "CAN_USE", "/cluster-policies/cluster-policies",
	 NULL, OWN_NONE, EX_POLICY, false},
	{"instance-pools", "instance-pool", "instance pool", LEVELS(pool_levels),
	 "CAN_MANAGE", "/instance-pools/", NULL, OWN_NONE, EX_POOL, false},
	{"notebooks", "notebook", "notebook", LEVELS(workspace_levels),
	 "CAN_MANAGE", "/directories/", NULL, OWN_NONE, EX_ANY, false},
	{"directories", "directory", "directory", LEVELS(workspace_levels),
	 "CAN_MANAGE", "/directories/", NULL, OWN_NONE, EX_ANY, false},
	{"files", "file", "file", LEVELS(workspace_levels), "CAN_MANAGE",
	 "/directories/", NULL, OWN_NONE, EX_ANY, false},
	{"repos", "repo", "repo", LEVELS(workspace_levels), "CAN_MANAGE",
	 "/directories/", NULL, OWN_NONE, EX_ANY, false},
	{"pipelines", "pipelines", "pipeline", LEVELS(pipeline_levels),
	 "CAN_MANAGE", "/pipelines/", "IS_OWNER", OWN_EXACTLY_ONE, EX_PIPELINE,
	 false},
	{"sql/warehouses", "warehouses", "warehouse", LEVELS(warehouse_levels),
	 "CAN_MANAGE", "/sql/warehouses/", "IS_OWNER", OWN_KEEP, EX_WAREHOUSE,
	 false},
	{"authorization", "tokens", "tokens", LEVELS(token_levels),
	 "CAN_MANAGE", NULL, NULL, OWN_NONE, EX_ANY, true},
	{"authorization", "passwords", "passwords", LEVELS(password_levels),
	 NULL, NULL, NULL, OWN_NONE, EX_ANY, true},
};
/* clang-format on */

struct perms_state {
	cJSON *acls; /* object: object_id -> [AccessControlRequest] */
};

extern const struct emu_module emu_module_permissions;

/* --- pure functions ------------------------------------------------------- */

/* The type a request's path names, or NULL. */
static const struct perms_type *type_of(const char *request, const char *id)
{
	size_t i;

	if (strcmp(request, "warehouses") == 0)
		request = "sql/warehouses";
	for (i = 0; i < EMU_ARRAY_SIZE(perms_types); i++) {
		const struct perms_type *t = &perms_types[i];

		if (strcmp(t->request, request) == 0 &&
		    (strcmp(request, "authorization") != 0 ||
		     strcmp(t->object_type, id) == 0))
			return t;
	}
	return NULL;
}

static const struct perms_level *level_of(const struct perms_type *t,
					  const char *name)
{
	size_t i;

	for (i = 0; i < t->nlevels; i++)
		if (strcmp(t->levels[i].name, name) == 0)
			return &t->levels[i];
	return NULL;
}

/* Are admins' CAN_MANAGE direct on this object, and required on a PUT?
 * On tokens and on the workspace's root folder. */
static bool admins_direct(const struct perms_type *t, const char *id)
{
	return (t->admins_level && !t->admins_from) ||
	       (strcmp(t->request, "directories") == 0 && strcmp(id, "0") == 0);
}

/* The kind of a stored or requested entry, from its principal field, or
 * PK_COUNT when it names none; *name gets the principal. */
static enum perms_kind entry_kind(const cJSON *e, const char **name)
{
	int k;

	for (k = 0; k < PK_COUNT; k++) {
		*name = emu_json_str(e, kind_field[k]);
		if (*name)
			return (enum perms_kind)k;
	}
	*name = NULL;
	return PK_COUNT;
}

static bool same_principal(enum perms_kind ka, const char *a,
			   enum perms_kind kb, const char *b)
{
	if (ka != kb)
		return false;
	/* User names and application ids ignore case; group names do not. */
	return ka == PK_GROUP ? strcmp(a, b) == 0 : emu_strcaseeq(a, b);
}

static cJSON *entry_new(enum perms_kind k, const char *name, const char *level)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, kind_field[k], name);
	cJSON_AddStringToObject(e, "permission_level", level);
	return e;
}

/* The entry of (k, name) in a list of entries, or NULL. */
static cJSON *entry_find(const cJSON *list, enum perms_kind k, const char *name)
{
	cJSON *e;

	cJSON_ArrayForEach(e, list)
	{
		const char *n;
		enum perms_kind ek = entry_kind(e, &n);

		if (ek != PK_COUNT && same_principal(ek, n, k, name))
			return e;
	}
	return NULL;
}

/* Sets (k, name) to level in list, replacing its previous entry. */
static void entry_set(cJSON *list, enum perms_kind k, const char *name,
		      const char *level)
{
	cJSON *old = entry_find(list, k, name);

	if (old)
		cJSON_Delete(cJSON_DetachItemViaPointer(list, old));
	cJSON_AddItemToArray(list, entry_new(k, name, level));
}

static size_t count_level(const cJSON *list, const char *level)
{
	const cJSON *e;
	size_t n = 0;

	cJSON_ArrayForEach(e, list)
	{
		const char *l = emu_json_str(e, "permission_level");

		n += l && strcmp(l, level) == 0;
	}
	return n;
}

/* --- the objects ---------------------------------------------------------- */

static struct perms_state *state_of(struct emu_workspace *ws)
{
	return emu_workspace_state(ws, &emu_module_permissions);
}

/* Is the object of type t with id there? Unknown types of object are. */
static bool object_exists(struct emu_workspace *ws, const struct perms_type *t,
			  const char *id)
{
	switch (t->exists) {
	case EX_JOB:
		return emu_jobs_creator(ws, id) != NULL;
	case EX_CLUSTER:
		return emu_clusters_creator(ws, id) != NULL;
	case EX_POLICY:
		return emu_policies_exists(ws, id);
	case EX_POOL:
		return emu_pools_node_type(ws, id) != NULL;
	case EX_PIPELINE:
		return emu_pipelines_exists(ws, id);
	case EX_WAREHOUSE:
		return emu_sql_warehouse_lookup(ws, id, NULL);
	default:
		return true;
	}
}

/* Answers the service's error for a missing object; returns -1. */
static int object_missing(struct emu_response *resp, const struct perms_type *t,
			  const char *id)
{
	switch (t->exists) {
	case EX_JOB:
		return emu_error_not_found(resp, "Job %s does not exist.", id);
	case EX_CLUSTER:
		return emu_error(resp, 400, "INVALID_STATE",
				 "Cannot access cluster %s that was terminated "
				 "or unpinned more than 30 days ago.",
				 id);
	case EX_POOL:
		return emu_error_not_found(
			resp, "Can't find an instance pool with id: %s.", id);
	case EX_PIPELINE:
		/* What pipelines/get answers. */
		return emu_error_not_found(
			resp, "The specified pipeline %s was not found.", id);
	case EX_WAREHOUSE:
		return emu_error_not_found(
			resp, "SQL warehouse %s does not exist.", id);
	default:
		return emu_error_not_found(
			resp, "Can't find a cluster policy with id: %s.", id);
	}
}

/* The type and id of a stored object id ("/jobs/123"), or NULL. An id
 * may hold a '/' (a path segment can carry an encoded one), so the type
 * is matched as a prefix. */
static const struct perms_type *split_object_id(const char *object_id,
						const char **id)
{
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(perms_types); i++) {
		const struct perms_type *t = &perms_types[i];
		size_t n = strlen(t->request);

		if (object_id[0] != '/' ||
		    strncmp(object_id + 1, t->request, n) != 0 ||
		    object_id[n + 1] != '/' || !object_id[n + 2])
			continue;
		*id = object_id + n + 2;
		if (type_of(t->request, *id) == t)
			return t;
	}
	return NULL;
}

/* Drops the ACLs of jobs, clusters, policies and pools that are gone. */
static void sweep(struct emu_workspace *ws)
{
	struct perms_state *st = state_of(ws);
	cJSON *acl = st->acls->child, *next;

	for (; acl != NULL; acl = next) {
		const char *id = NULL;
		const struct perms_type *t = split_object_id(acl->string, &id);

		next = acl->next;
		if (!t || !object_exists(ws, t, id))
			cJSON_Delete(cJSON_DetachItemViaPointer(st->acls, acl));
	}
}

/* The kind a creator name stands for: a service principal's application
 * id, or a user. */
static enum perms_kind creator_kind(struct emu_workspace *ws,
				    const char *creator)
{
	const char *display;

	return emu_scim_sp_name(ws, creator, &display) || emu_is_uuid(creator)
		       ? PK_SP
		       : PK_USER;
}

/* The direct entries of an object never written to, as a new array. */
static cJSON *default_acl(struct emu_workspace *ws, const struct perms_type *t,
			  const char *id)
{
	cJSON *list = cJSON_CreateArray();
	const char *creator = NULL;

	if (admins_direct(t, id))
		cJSON_AddItemToArray(
			list, entry_new(PK_GROUP, "admins", "CAN_MANAGE"));
	if (t->exists == EX_JOB)
		creator = emu_jobs_creator(ws, id);
	else if (t->exists == EX_CLUSTER)
		creator = emu_clusters_creator(ws, id);
	else if (t->exists == EX_PIPELINE)
		creator = emu_pipelines_creator(ws, id);
	else if (t->exists == EX_WAREHOUSE)
		(void)emu_sql_warehouse_lookup(ws, id, &creator);
	if (creator && *creator && t->creator_level)
		cJSON_AddItemToArray(list,
				     entry_new(creator_kind(ws, creator),
					       creator, t->creator_level));
	return list;
}

/* The direct entries of the object (borrowed from the state, or a new
 * default array that *made says the caller must delete). */
static cJSON *direct_acl(struct emu_workspace *ws, const struct perms_type *t,
			 const char *id, const char *object_id, bool *made)
{
	cJSON *acl =
		cJSON_GetObjectItemCaseSensitive(state_of(ws)->acls, object_id);

	*made = acl == NULL;
	return acl ? acl : default_acl(ws, t, id);
}

/* --- rendering ------------------------------------------------------------ */

/* One principal's line of the answer while it is built. */
struct perms_line {
	enum perms_kind kind;
	const char *name;
	const char *direct;    /* its direct level, or NULL */
	const char *inherited; /* an inherited level, or NULL */
	const char *from;      /* where that comes from */
};

static int line_cmp(const void *a, const void *b)
{
	const struct perms_line *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name, y->name);
}

static cJSON *permission_json(const char *level, const char *from)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "permission_level", level);
	cJSON_AddBoolToObject(p, "inherited", from != NULL);
	if (from) {
		cJSON *objs =
			cJSON_AddArrayToObject(p, "inherited_from_object");

		cJSON_AddItemToArray(objs, cJSON_CreateString(from));
	}
	return p;
}

static cJSON *line_json(struct emu_workspace *ws, const struct perms_line *l)
{
	cJSON *e = cJSON_CreateObject();
	cJSON *all;
	const char *display = NULL;

	cJSON_AddStringToObject(e, kind_field[l->kind], l->name);
	if (l->kind == PK_USER)
		emu_scim_user_name(ws, l->name, &display);
	else if (l->kind == PK_SP)
		emu_scim_sp_name(ws, l->name, &display);
	if (display)
		cJSON_AddStringToObject(e, "display_name", display);
	all = cJSON_AddArrayToObject(e, "all_permissions");
	if (l->direct)
		cJSON_AddItemToArray(all, permission_json(l->direct, NULL));
	if (l->inherited)
		cJSON_AddItemToArray(all,
				     permission_json(l->inherited, l->from));
	return e;
}

/* ObjectPermissions of the object whose direct entries are direct. */
static cJSON *render(struct emu_workspace *ws, const struct perms_type *t,
		     const char *id, const char *object_id, const cJSON *direct)
{
	size_t n = emu_json_array_len(direct), i = 0, j;
	struct perms_line *lines = emu_xcalloc(n + 1, sizeof(*lines));
	const cJSON *e;
	cJSON *body = cJSON_CreateObject(), *list;
	bool admins_seen = false;

	cJSON_ArrayForEach(e, direct)
	{
		struct perms_line *l = &lines[i];

		memset(l, 0, sizeof(*l));
		l->kind = entry_kind(e, &l->name);
		l->direct = emu_json_str(e, "permission_level");
		if (l->kind == PK_COUNT || !l->direct)
			continue;
		if (l->kind == PK_GROUP && strcmp(l->name, "admins") == 0 &&
		    t->admins_level && !admins_direct(t, id)) {
			l->inherited = t->admins_level;
			l->from = t->admins_from;
			admins_seen = true;
		}
		i++;
	}
	if (t->admins_level && !admins_direct(t, id) && !admins_seen) {
		memset(&lines[i], 0, sizeof(lines[i]));
		lines[i].kind = PK_GROUP;
		lines[i].name = "admins";
		lines[i].inherited = t->admins_level;
		lines[i].from = t->admins_from;
		i++;
	}
	qsort(lines, i, sizeof(*lines), line_cmp);
	cJSON_AddStringToObject(body, "object_id", object_id);
	cJSON_AddStringToObject(body, "object_type", t->object_type);
	list = cJSON_AddArrayToObject(body, "access_control_list");
	for (j = 0; j < i; j++)
		cJSON_AddItemToArray(list, line_json(ws, &lines[j]));
	free(lines);
	return body;
}

/* --- requests ------------------------------------------------------------- */

/* What a request names: its type, id and object id (owned). */
struct perms_target {
	const struct perms_type *type;
	const char *id;
	char *object_id;
};

/*
 * Reads the request's object and checks that it exists; returns 0, or -1
 * after answering. Sweeps the ACLs of deleted objects first.
 */
static int target_get(struct emu_request *req, struct emu_response *resp,
		      struct perms_target *tg)
{
	const char *request = emu_request_param(req, "type");
	const char *id = emu_request_param(req, "id");

	sweep(req->ws);
	if (!request)
		request = strstr(req->path, "/permissions/sql/")
				  ? "sql/warehouses"
				  : "authorization";
	tg->type = type_of(request, id);
	tg->id = id;
	tg->object_id = NULL;
	if (!tg->type) /* the route patterns admit only known types */
		return emu_error_no_api(resp, req->method, req->path);
	if (!object_exists(req->ws, tg->type, id))
		return object_missing(resp, tg->type, id);
	tg->object_id = emu_printf("/%s/%s", tg->type->request, id);
	return 0;
}

static void perms_get(struct emu_request *req, struct emu_response *resp)
{
	struct perms_target tg;
	cJSON *direct;
	bool made;

	if (target_get(req, resp, &tg) < 0)
		return;
	direct = direct_acl(req->ws, tg.type, tg.id, tg.object_id, &made);
	emu_response_json(
		resp, 200,
		render(req->ws, tg.type, tg.id, tg.object_id, direct));
	if (made)
		cJSON_Delete(direct);
	free(tg.object_id);
}

static void perms_levels(struct emu_request *req, struct emu_response *resp)
{
	struct perms_target tg;
	cJSON *body, *list;
	size_t i;

	if (target_get(req, resp, &tg) < 0)
		return;
	body = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(body, "permission_levels");
	for (i = 0; i < tg.type->nlevels; i++) {
		const struct perms_level *l = &tg.type->levels[i];
		cJSON *d = cJSON_CreateObject();
		char *text = tg.type->whole_noun
				     ? emu_xstrdup(l->text)
				     : emu_printf("%s the %s", l->text,
						  tg.type->noun);

		cJSON_AddStringToObject(d, "permission_level", l->name);
		cJSON_AddStringToObject(d, "description", text);
		cJSON_AddItemToArray(list, d);
		free(text);
	}
	emu_response_json(resp, 200, body);
	free(tg.object_id);
}

/* The valid levels of t as "A, B, C" (malloc'd). */
static char *levels_text(const struct perms_type *t)
{
	char *out = emu_xstrdup(""), *next;
	size_t i;

	for (i = 0; i < t->nlevels; i++) {
		next = emu_printf("%s%s%s", out, i ? ", " : "",
				  t->levels[i].name);
		free(out);
		out = next;
	}
	return out;
}

/*
 * The principal a request entry names as (*k, name), in the directory's
 * spelling (borrowed from the directory or the request), or NULL after
 * answering. A user_name that is a service principal's application id
 * names that service principal (*k becomes PK_SP): the official provider
 * sends its caller as user_name IS_OWNER even when the caller is a
 * service principal. The caller is always known, as /Me shows it even
 * when the directory does not hold it (an OAuth client).
 */
static const char *principal_resolve(struct emu_request *req,
				     struct emu_response *resp,
				     enum perms_kind *k, const char *name)
{
	const char *display, *found = NULL;
	enum perms_kind asked = *k;

	if (*k == PK_USER) {
		found = emu_scim_user_name(req->ws, name, &display);
		if (!found) {
			found = emu_scim_sp_name(req->ws, name, &display);
			*k = found ? PK_SP : PK_USER;
		}
	} else if (*k == PK_SP) {
		found = emu_scim_sp_name(req->ws, name, &display);
	} else if (emu_scim_group_exists(req->ws, name)) {
		found = name;
	}
	if (!found && *k != PK_GROUP && req->principal &&
	    emu_strcaseeq(name, req->principal))
		found = req->principal;
	if (!found)
		emu_error_not_found(resp, "Principal: %s(%s) does not exist",
				    kind_word[asked], name);
	return found;
}

/*
 * The request's access_control_list as direct entries (a new array, each
 * principal once with its last level, in the directory's spelling), or
 * NULL after answering.
 */
static cJSON *request_entries(struct emu_request *req,
			      struct emu_response *resp,
			      const struct perms_type *t, const char *id)
{
	static const struct emu_json_field fields[] = {
		{"user_name", EMU_JSON_STRING},
		{"group_name", EMU_JSON_STRING},
		{"service_principal_name", EMU_JSON_STRING},
		{"permission_level", EMU_JSON_STRING},
	};
	const cJSON *acl = emu_arg_json(req, "access_control_list");
	const cJSON *e;
	cJSON *out = cJSON_CreateArray(), *item;

	if (acl && !cJSON_IsArray(acl)) {
		emu_error_field_type(resp, "access_control_list", "an array",
				     emu_json_type_name(acl));
		goto fail;
	}
	if (emu_json_array_len(acl) > PERMS_MAX_ENTRIES) {
		emu_error_invalid(resp,
				  "An access control list has at most %d "
				  "entries.",
				  PERMS_MAX_ENTRIES);
		goto fail;
	}
	cJSON_ArrayForEach(e, acl)
	{
		const char *name = NULL, *level, *who;
		enum perms_kind k = PK_COUNT, asked;
		const cJSON *prev;
		int64_t via;
		int named = 0, i;

		if (!cJSON_IsObject(e)) {
			emu_error_field_type(resp, "access_control_list",
					     "an array of objects",
					     emu_json_type_name(e));
			goto fail;
		}
		if (emu_json_check_fields(e, fields, EMU_ARRAY_SIZE(fields),
					  "access_control_list", resp) < 0)
			goto fail;
		for (i = 0; i < PK_COUNT; i++) {
			const char *n = emu_json_str(e, kind_field[i]);

			if (n && *n) {
				named++;
				k = (enum perms_kind)i;
				name = n;
			}
		}
		if (named != 1) {
			emu_error_invalid(resp,
					  "Exactly one of user_name, "
					  "group_name and "
					  "service_principal_name must be "
					  "given in an access control entry.");
			goto fail;
		}
		level = emu_json_str(e, "permission_level");
		if (!level || !*level) {
			emu_error_missing_field(resp, "permission_level");
			goto fail;
		}
		if (!level_of(t, level)) {
			char *valid = levels_text(t);

			emu_error_invalid(resp,
					  "Invalid permission level %s for "
					  "%s. Valid permission levels are: "
					  "%s.",
					  level, t->noun, valid);
			free(valid);
			goto fail;
		}
		if (k == PK_GROUP && strcmp(name, "admins") == 0 &&
		    t->admins_level && strcmp(level, t->admins_level) != 0) {
			if (admins_direct(t, id) &&
			    strcmp(t->request, "directories") == 0)
				emu_error_invalid(resp,
						  "Cannot remove admins's "
						  "CAN_MANAGE permission on "
						  "%s",
						  id);
			else
				emu_error_invalid(resp,
						  "Cannot change permissions "
						  "for group 'admins' to %s.",
						  level);
			goto fail;
		}
		asked = k;
		who = principal_resolve(req, resp, &k, name);
		if (!who)
			goto fail;
		/* The same principal through two fields at two levels (a
		 * service principal as service_principal_name and as
		 * user_name) is refused; through one field the last level
		 * counts. */
		prev = entry_find(out, k, who);
		if (prev && emu_json_member_int(&via, prev, "_via") == 0 &&
		    via != (int64_t)asked &&
		    strcmp(emu_json_str(prev, "permission_level"), level) !=
			    0) {
			emu_error_invalid(resp,
					  "Permissions being set for %s(%s) "
					  "are ambiguous",
					  kind_word[asked], name);
			goto fail;
		}
		entry_set(out, k, who, level);
		emu_json_add_int64(entry_find(out, k, who), "_via",
				   (int64_t)asked);
	}
	/* _via only served the check above. */
	cJSON_ArrayForEach(item, out)
		cJSON_DeleteItemFromObjectCaseSensitive(item, "_via");
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

/*
 * Checks the direct entries an object is about to have (after a PUT or a
 * PATCH; old is what it had) against the owner, admins and token rules;
 * adds the kept owner of a warehouse. Returns 0, or -1 after answering.
 */
static int entries_check(struct emu_response *resp, const struct perms_type *t,
			 const char *id, cJSON *next, const cJSON *old,
			 bool put)
{
	const cJSON *e;
	size_t owners;

	cJSON_ArrayForEach(e, next)
	{
		const char *name, *level = emu_json_str(e, "permission_level");
		enum perms_kind k = entry_kind(e, &name);

		if (k == PK_GROUP && strcmp(level, "IS_OWNER") == 0)
			return emu_error_invalid(resp,
						 "A group cannot be the owner "
						 "of a %s.",
						 t->noun);
		/* Only admins manage every token (the provider's docs). */
		if (strcmp(t->object_type, "tokens") == 0 &&
		    strcmp(level, "CAN_MANAGE") == 0 &&
		    !(k == PK_GROUP && strcmp(name, "admins") == 0))
			return emu_error_invalid(resp,
						 "Only the admins group can "
						 "have CAN_MANAGE on tokens.");
	}
	if (admins_direct(t, id) && !entry_find(next, PK_GROUP, "admins")) {
		if (strcmp(t->request, "directories") == 0)
			return emu_error_invalid(resp,
						 "Cannot remove admins's "
						 "CAN_MANAGE permission on %s",
						 id);
		return emu_error_invalid(resp,
					 "Cannot change permissions for group "
					 "'admins' to None.");
	}
	owners = count_level(next, "IS_OWNER");
	if (t->owner == OWN_EXACTLY_ONE && owners != 1)
		return emu_error_invalid(resp,
					 "The %s must have exactly one "
					 "owner.",
					 t->noun);
	if (t->owner == OWN_KEEP && owners > 1)
		return emu_error_invalid(resp,
					 "The %s must have exactly one "
					 "owner.",
					 t->noun);
	if (t->owner == OWN_KEEP && owners == 0) {
		cJSON_ArrayForEach(e, old)
		{
			const char *l = emu_json_str(e, "permission_level");

			const char *name;
			enum perms_kind k = entry_kind(e, &name);

			if (!l || strcmp(l, "IS_OWNER") != 0)
				continue;
			/* Re-levelling the owner leaves the object without
			 * one. */
			if (entry_find(next, k, name))
				return emu_error_invalid(
					resp,
					"The %s must have exactly one owner.",
					t->noun);
			cJSON_AddItemToArray(next, cJSON_Duplicate(e, true));
			return 0;
		}
		if (put)
			return emu_error_invalid(resp,
						 "PUT requests for warehouse "
						 "%s with no existing owner "
						 "must provide a new owner.",
						 id);
	}
	return 0;
}

/* Tells the Jobs API who owns job id now: run_as_user_name follows the
 * owner of a job whose run_as was never given. */
static void job_owner_follow(struct emu_workspace *ws, const char *id,
			     const cJSON *entries)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, entries)
	{
		const char *name, *level = emu_json_str(e, "permission_level");

		if (entry_kind(e, &name) != PK_COUNT && level &&
		    strcmp(level, "IS_OWNER") == 0)
			emu_jobs_owner_set(ws, id, name);
	}
}

/* PUT (replace the direct entries) and PATCH (merge into them). */
static void perms_write(struct emu_request *req, struct emu_response *resp)
{
	struct perms_state *st = req->state;
	bool put = strcmp(req->method, "PUT") == 0, made;
	struct perms_target tg;
	cJSON *old, *entries, *next, *e;

	if (target_get(req, resp, &tg) < 0)
		return;
	entries = request_entries(req, resp, tg.type, tg.id);
	if (!entries)
		goto done;
	old = direct_acl(req->ws, tg.type, tg.id, tg.object_id, &made);
	if (put) {
		next = entries;
	} else {
		next = cJSON_Duplicate(old, true);
		cJSON_ArrayForEach(e, entries)
		{
			const char *name;
			enum perms_kind k = entry_kind(e, &name);

			entry_set(next, k, name,
				  emu_json_str(e, "permission_level"));
		}
		cJSON_Delete(entries);
	}
	if (entries_check(resp, tg.type, tg.id, next, old, put) < 0) {
		cJSON_Delete(next);
	} else if (!cJSON_GetObjectItemCaseSensitive(st->acls, tg.object_id) &&
		   cJSON_GetArraySize(st->acls) >= PERMS_MAX_OBJECTS) {
		emu_error(resp, 400, "RESOURCE_LIMIT_EXCEEDED",
			  "The emulator keeps at most %d access control "
			  "lists.",
			  PERMS_MAX_OBJECTS);
		cJSON_Delete(next);
	} else {
		if (cJSON_GetObjectItemCaseSensitive(st->acls, tg.object_id))
			cJSON_ReplaceItemInObjectCaseSensitive(
				st->acls, tg.object_id, next);
		else
			cJSON_AddItemToObject(st->acls, tg.object_id, next);
		if (tg.type->exists == EX_JOB)
			job_owner_follow(req->ws, tg.id, next);
		emu_response_json(
			resp, 200,
			render(req->ws, tg.type, tg.id, tg.object_id, next));
	}
	if (made)
		cJSON_Delete(old);
done:
	free(tg.object_id);
}

/* --- the token API's question --------------------------------------------- */

bool emu_permissions_may_use_tokens(struct emu_workspace *ws,
				    const char *principal)
{
	const cJSON *acl = cJSON_GetObjectItemCaseSensitive(
		state_of(ws)->acls, "/authorization/tokens");
	const cJSON *e;
	const char *display;

	/* Until token permissions are set, every user may use tokens; a
	 * caller the directory does not hold (an OAuth client, a
	 * --basic-user) is an admin, as /Me shows it. */
	if (!acl || emu_scim_is_admin(ws, principal) ||
	    (!emu_scim_user_name(ws, principal, &display) &&
	     !emu_scim_sp_name(ws, principal, &display)))
		return true;
	cJSON_ArrayForEach(e, acl)
	{
		const char *name;
		enum perms_kind k = entry_kind(e, &name);

		if (k == PK_GROUP ? emu_scim_in_group(ws, principal, name)
				  : emu_strcaseeq(name, principal))
			return true;
	}
	return false;
}

/* --- state ---------------------------------------------------------------- */

static void *perms_new(void)
{
	struct perms_state *st = emu_xcalloc(1, sizeof(*st));

	st->acls = cJSON_CreateObject();
	return st;
}

static void perms_free(void *state)
{
	struct perms_state *st = state;

	if (!st)
		return;
	cJSON_Delete(st->acls);
	free(st);
}

static cJSON *perms_save(const void *state)
{
	const struct perms_state *st = state;

	return cJSON_Duplicate(st->acls, true);
}

static int perms_load(void *state, const cJSON *json, char *err, size_t errlen)
{
	struct perms_state *st = state;
	const cJSON *acl, *e;

	if (!cJSON_IsObject(json)) {
		snprintf(err, errlen, "permissions must be an object");
		return -1;
	}
	cJSON_ArrayForEach(acl, json)
	{
		const char *id, *name;

		if (!split_object_id(acl->string, &id) || !cJSON_IsArray(acl)) {
			snprintf(err, errlen,
				 "permissions: %s is not an object's access "
				 "control list",
				 acl->string);
			return -1;
		}
		cJSON_ArrayForEach(e, acl)
		{
			if (entry_kind(e, &name) == PK_COUNT ||
			    !emu_json_str(e, "permission_level")) {
				snprintf(err, errlen,
					 "permissions: an entry of %s needs "
					 "a principal and a permission_level",
					 acl->string);
				return -1;
			}
		}
	}
	cJSON_Delete(st->acls);
	st->acls = cJSON_Duplicate(json, true);
	return 0;
}

/* clang-format off */
#define PERMS "/api/2.0/permissions/"
#define TYPES "{type:jobs|clusters|cluster-policies|instance-pools|notebooks|" \
	"directories|files|repos|pipelines|warehouses}"

static const struct emu_route perms_routes[] = {
	{.method = "GET", .pattern = PERMS TYPES "/{id}", .handler = perms_get},
	{.method = "PUT", .pattern = PERMS TYPES "/{id}", .handler = perms_write},
	{.method = "PATCH", .pattern = PERMS TYPES "/{id}", .handler = perms_write},
	{.method = "GET", .pattern = PERMS TYPES "/{id}/permissionLevels", .handler = perms_levels},
	{.method = "GET", .pattern = PERMS "sql/warehouses/{id}", .handler = perms_get},
	{.method = "PUT", .pattern = PERMS "sql/warehouses/{id}", .handler = perms_write},
	{.method = "PATCH", .pattern = PERMS "sql/warehouses/{id}", .handler = perms_write},
	{.method = "GET", .pattern = PERMS "sql/warehouses/{id}/permissionLevels", .handler = perms_levels},
	{.method = "GET", .pattern = PERMS "authorization/{id:tokens|passwords}", .handler = perms_get},
	{.method = "PUT", .pattern = PERMS "authorization/{id:tokens|passwords}", .handler = perms_write},
	{.method = "PATCH", .pattern = PERMS "authorization/{id:tokens|passwords}", .handler = perms_write},
	{.method = "GET", .pattern = PERMS "authorization/{id:tokens|passwords}/permissionLevels", .handler = perms_levels},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_permissions = {
	.name = "permissions",
	.routes = perms_routes,
	.state_new = perms_new,
	.state_free = perms_free,
	.state_save = perms_save,
	.state_load = perms_load,
};
