/*
 * The services the exporter lists, named as the official exporter names
 * them (-services, -listing): each walks its list endpoints through the
 * REST client (paginated, rate limited; the reads that follow are served
 * from the same lists where the resource batches its reads) and hands
 * every object to exp_found with its official import ID.
 *
 * REST:
 *   jobs      GET /api/2.2/jobs/list                    -> databricks_job
 *   compute   GET /api/2.1/clusters/list                -> databricks_cluster
 *             (with its library blocks; clusters that jobs or pipelines
 *             made are skipped: they are not the workspace's to manage)
 *   policies  GET /api/2.0/policies/clusters/list       -> databricks_cluster_policy
 *   pools     GET /api/2.0/instance-pools/list          -> databricks_instance_pool
 *   secrets   GET /api/2.0/secrets/scopes/list, secrets/list?scope=,
 *             acls/list?scope=     -> databricks_secret_scope, _secret, _secret_acl
 *   notebooks, wsfiles, directories
 *             GET /api/2.0/workspace/list?path= (walked from /, without
 *             /Repos, which the repos service owns), and for notebooks and
 *             files GET /api/2.0/workspace/export?format=SOURCE|AUTO, their
 *             bytes written next to the configuration (notebooks/...,
 *             files/...) and referenced through `source`
 *             -> databricks_notebook, databricks_workspace_file,
 *                databricks_directory (not the workspace's own /Shared,
 *                /Users and the users' home folders)
 *   groups    GET /api/2.0/preview/scim/v2/Groups     -> databricks_group,
 *             databricks_group_member (not the built-in admins and users)
 *   users     GET /api/2.0/preview/scim/v2/Users      -> databricks_user,
 *             GET /api/2.0/preview/scim/v2/ServicePrincipals
 *             -> databricks_service_principal
 *   access    the permissions of every exported job, cluster, policy,
 *             pool, notebook, directory, repo and warehouse
 *             -> databricks_permissions ("/jobs/<id>", ...); an object
 *             with no direct permissions has none to export
 *   uc-catalogs GET /api/2.1/unity-catalog/catalogs    -> databricks_catalog
 *             (not the workspace's own: system, hive_metastore, samples,
 *             internal catalogs)
 *   uc-schemas  GET /api/2.1/unity-catalog/schemas?catalog_name=
 *             -> databricks_schema (not information_schema, nor the
 *             default schema every catalog is made with)
 *   uc-grants the grants of every exported catalog and schema
 *             -> databricks_grants ("catalog/<name>", "schema/<c>.<s>")
 *   repos     GET /api/2.0/repos                        -> databricks_repo;
 *             GET /api/2.0/git-credentials -> databricks_git_credential,
 *             its token a variable
 *   sql-endpoints GET /api/2.0/sql/warehouses           -> databricks_sql_endpoint
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "exporter_internal.h"
#include "rest.h"

static const char *str(const cJSON *o, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* --- jobs ----------------------------------------------------------------- */

static int job_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct exp *e = payload;
	const cJSON *settings = cJSON_GetObjectItemCaseSensitive(item, "settings");
	const char *id = exp_json_id(e, item, "job_id");
	const char *name = str(settings, "name");

	(void)call;
	if (id == NULL)
		return TFP_OK;
	if (name == NULL)
		name = tfp_arena_printf(e->a, "job_%s", id);
	if (exp_matches(e, name))
		exp_found(e, "jobs", "databricks_job", id, name);
	return TFP_OK;
}

static int list_jobs(struct exp *e, struct tfp_call *call)
{
	static const struct tfp_query q[] = {{"limit", "100"}, {NULL, NULL}};
	return tfp_rest_list(call, "/api/2.2/jobs/list", q, "jobs", 0, job_item,
			     e);
}

/* --- compute -------------------------------------------------------------- */

static int cluster_item(struct tfp_call *call, const cJSON *item,
			void *payload)
{
	struct exp *e = payload;
	const char *id = str(item, "cluster_id");
	const char *name = str(item, "cluster_name");
	const char *source = str(item, "cluster_source");

	(void)call;
	if (id == NULL)
		return TFP_OK;
	if (name == NULL)
		name = id;
	if (!exp_matches(e, name))
		return TFP_OK;
	if (source != NULL && (strcmp(source, "JOB") == 0 ||
			       strcmp(source, "PIPELINE") == 0 ||
			       strcmp(source, "PIPELINE_MAINTENANCE") == 0 ||
			       strcmp(source, "SQL") == 0)) {
		exp_skip(e, "compute: cluster \"%s\" (%s) was made by a %s "
			    "run, not by a person; its job or pipeline "
			    "describes it", name, id, source);
		return TFP_OK;
	}
	exp_found(e, "compute", "databricks_cluster", id, name);
	return TFP_OK;
}

static int list_clusters(struct exp *e, struct tfp_call *call)
{
	static const struct tfp_query q[] = {{"page_size", "100"},
					     {NULL, NULL}};
	return tfp_rest_list(call, "/api/2.1/clusters/list", q, "clusters", 0,
			     cluster_item, e);
}

static int policy_item(struct tfp_call *call, const cJSON *item,
		       void *payload)
{
	struct exp *e = payload;
	const char *id = str(item, "policy_id");
	const char *name = str(item, "name");
	const cJSON *is_default = cJSON_GetObjectItemCaseSensitive(item,
								   "is_default");

	(void)call;
	if (id == NULL)
		return TFP_OK;
	if (name == NULL)
		name = id;
	if (!exp_matches(e, name))
		return TFP_OK;
	if (cJSON_IsTrue(is_default)) {
		exp_skip(e, "policies: \"%s\" is a built-in default policy",
			 name);
		return TFP_OK;
	}
	exp_found(e, "policies", "databricks_cluster_policy", id, name);
	return TFP_OK;
}

static int list_policies(struct exp *e, struct tfp_call *call)
{
	return tfp_rest_list(call, "/api/2.0/policies/clusters/list", NULL,
			     "policies", 0, policy_item, e);
}

static int pool_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct exp *e = payload;
	const char *id = str(item, "instance_pool_id");
	const char *name = str(item, "instance_pool_name");

	(void)call;
	if (id == NULL)
		return TFP_OK;
	if (name == NULL)
		name = id;
	if (exp_matches(e, name))
		exp_found(e, "pools", "databricks_instance_pool", id, name);
	return TFP_OK;
}

static int list_pools(struct exp *e, struct tfp_call *call)
{
	return tfp_rest_list(call, "/api/2.0/instance-pools/list", NULL,
			     "instance_pools", 0, pool_item, e);
}

/* --- secrets -------------------------------------------------------------- */

struct scope_walk {
	struct exp *e;
	const char *scope;
};

static int secret_item(struct tfp_call *call, const cJSON *item,
		       void *payload)
{
	struct scope_walk *w = payload;
	const char *key = str(item, "key");

	(void)call;
	if (key != NULL)
		exp_found(w->e, "secrets", "databricks_secret",
			  tfp_arena_printf(w->e->a, "%s|||%s", w->scope, key),
			  tfp_arena_printf(w->e->a, "%s_%s", w->scope, key));
	return TFP_OK;
}

static int acl_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct scope_walk *w = payload;
	const char *principal = str(item, "principal");

	(void)call;
	if (principal != NULL)
		exp_found(w->e, "secrets", "databricks_secret_acl",
			  tfp_arena_printf(w->e->a, "%s|||%s", w->scope,
					   principal),
			  tfp_arena_printf(w->e->a, "%s_%s", w->scope,
					   principal));
	return TFP_OK;
}

static int scope_item(struct tfp_call *call, const cJSON *item,
		      void *payload)
{
	struct exp *e = payload;
	const char *name = str(item, "name");
	struct scope_walk w = {e, name};
	const struct tfp_query q[] = {{"scope", name}, {NULL, NULL}};
	struct tfp_call *sub;
	int error;

	(void)call;
	if (name == NULL || !exp_matches(e, name))
		return TFP_OK;
	exp_found(e, "secrets", "databricks_secret_scope", name, name);
	sub = exp_call(e, "databricks_secret");
	error = tfp_rest_list(sub, "/api/2.0/secrets/list", q, "secrets", 0,
			      secret_item, &w);
	if (error == TFP_OK) {
		sub = exp_call(e, "databricks_secret_acl");
		error = tfp_rest_list(sub, "/api/2.0/secrets/acls/list", q,
				      "items", 0, acl_item, &w);
	}
	if (error < 0)
		exp_skip(e, "secrets: the keys or ACLs of scope \"%s\" could "
			    "not be listed (HTTP %ld)", name,
			 sub->last_error.status);
	return TFP_OK;
}

static int list_secrets(struct exp *e, struct tfp_call *call)
{
	return tfp_rest_list(call, "/api/2.0/secrets/scopes/list", NULL,
			     "scopes", 0, scope_item, e);
}

/* --- the workspace tree --------------------------------------------------- */

static const char *notebook_ext(const char *language)
{
	if (language == NULL)
		return "";
	if (strcmp(language, "PYTHON") == 0)
		return ".py";
	if (strcmp(language, "SCALA") == 0)
		return ".scala";
	if (strcmp(language, "SQL") == 0)
		return ".sql";
	if (strcmp(language, "R") == 0)
		return ".r";
	return "";
}

/* Downloads a notebook or file into DIR/rel; false (with a skip) if not. */
static bool download(struct exp *e, const char *service, const char *path,
		     const char *format, const char *rel, long long modified)
{
	const struct tfp_query q[] = {{"format", format}, {"path", path},
				      {NULL, NULL}};
	struct tfp_call *call = exp_call(e, NULL);
	cJSON *reply = NULL;
	const char *content;

	/* -incremental: an object not modified since -updated-since keeps
	 * the bytes an earlier run downloaded. */
	if (e->incremental && modified > 0 && modified < e->updated_since_ms &&
	    exp_file_exists(e, rel))
		return true;
	if (tfp_rest_get(&reply, call, "/api/2.0/workspace/export", q) < 0) {
		exp_skip(e, "%s: %s could not be downloaded (HTTP %ld)",
			 service, path, call->last_error.status);
		return false;
	}
	content = str(reply, "content");
	if (content == NULL || exp_write_base64(e, rel, content) < 0) {
		exp_skip(e, "%s: %s could not be saved", service, path);
		return false;
	}
	return true;
}

static bool is_service(const struct exp *e, const char *name)
{
	return exp_service_on(e, name);
}

static int walk(struct exp *e, struct tfp_call *call, const char *dir);

/* Deeper than any workspace a person clicks together; a listing that
 * names a folder inside itself ends here instead of recursing forever. */
#define EXP_MAX_DEPTH 64

bool exp_safe_path(const char *path)
{
	const char *seg = path;

	if (path[0] != '/')
		return false;
	while (*seg == '/') {
		size_t n = strcspn(seg + 1, "/");

		if (n == 0 || (n == 1 && seg[1] == '.') ||
		    (n == 2 && seg[1] == '.' && seg[2] == '.'))
			return false;
		seg += 1 + n;
	}
	return *seg == '\0';
}

static int tree_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct exp *e = payload;
	const char *path = str(item, "path");
	const char *type = str(item, "object_type");
	const cJSON *mod = cJSON_GetObjectItemCaseSensitive(item, "modified_at");
	long long modified = cJSON_IsNumber(mod) ? (long long)mod->valuedouble : 0;
	const char *rel;
	int depth = 0;

	(void)call;
	if (path == NULL || type == NULL)
		return TFP_OK;
	if (!exp_safe_path(path)) {
		exp_skip(e, "workspace: %s is not a path this export can "
			    "write", path);
		return TFP_OK;
	}
	for (const char *p = path; *p; p++)
		depth += *p == '/';
	if (strcmp(type, "DIRECTORY") == 0) {
		int error;

		if (strcmp(path, "/Repos") == 0)
			return TFP_OK;
		if (is_service(e, "directories") && exp_matches(e, path)) {
			if (strcmp(path, "/Shared") == 0 ||
			    strcmp(path, "/Users") == 0 ||
			    (strncmp(path, "/Users/", 7) == 0 && depth == 2))
				exp_skip(e, "directories: %s belongs to the "
					    "workspace", path);
			else
				exp_found(e, "directories",
					  "databricks_directory", path,
					  path + 1);
		}
		if (e->walk_depth >= EXP_MAX_DEPTH) {
			exp_skip(e, "directories: %s is more than %d folders "
				    "deep",
				 path, EXP_MAX_DEPTH);
			return TFP_OK;
		}
		e->walk_depth++;
		error = walk(e, exp_call(e, NULL), path);
		e->walk_depth--;
		if (error < 0)
			exp_skip(e, "directories: %s could not be listed", path);
		return TFP_OK;
	}
	if (!exp_matches(e, path))
		return TFP_OK;
	if (strcmp(type, "NOTEBOOK") == 0 && is_service(e, "notebooks")) {
		rel = tfp_arena_printf(e->a, "notebooks%s%s", path,
				       notebook_ext(str(item, "language")));
		if (download(e, "notebooks", path, "SOURCE", rel, modified))
			exp_found_source(e, "notebooks", "databricks_notebook",
					 path, path + 1, rel);
	} else if (strcmp(type, "FILE") == 0 && is_service(e, "wsfiles")) {
		rel = tfp_arena_printf(e->a, "files%s", path);
		if (download(e, "wsfiles", path, "AUTO", rel, modified))
			exp_found_source(e, "wsfiles",
					 "databricks_workspace_file", path,
					 path + 1, rel);
	}
	return TFP_OK;
}

static int walk(struct exp *e, struct tfp_call *call, const char *dir)
{
	const struct tfp_query q[] = {{"path", dir}, {NULL, NULL}};

	return tfp_rest_list(call, "/api/2.0/workspace/list", q, "objects", 0,
			     tree_item, e);
}

/* One walk serves the three services: the first of them that is on. */
static int list_tree(struct exp *e, struct tfp_call *call)
{
	if (e->tree_walked)
		return TFP_OK;
	e->tree_walked = true;
	return walk(e, call, "/");
}

/* --- groups, users, permissions ------------------------------------------- */

static int group_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct exp *e = payload;
	const char *id = str(item, "id");
	const char *name = str(item, "displayName");
	const cJSON *m;

	(void)call;
	if (id == NULL || name == NULL || !exp_matches(e, name))
		return TFP_OK;
	if (strcmp(name, "admins") == 0 || strcmp(name, "users") == 0) {
		exp_skip(e, "groups: \"%s\" is built into the workspace", name);
		return TFP_OK;
	}
	exp_found(e, "groups", "databricks_group", id, name);
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(item, "members"))
	{
		const char *member = str(m, "value");
		const char *display = str(m, "display");

		if (member != NULL)
			exp_found(e, "groups", "databricks_group_member",
				  tfp_arena_printf(e->a, "%s|%s", id, member),
				  tfp_arena_printf(e->a, "%s_%s", name,
						   display ? display : member));
	}
	return TFP_OK;
}

static int list_groups(struct exp *e, struct tfp_call *call)
{
	return tfp_rest_list_scim(call, "/api/2.0/preview/scim/v2/Groups",
				  NULL, 0, group_item, e);
}

static int user_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct exp *e = payload;
	const char *id = str(item, "id");
	const char *name = str(item, "userName");

	(void)call;
	if (id != NULL && name != NULL && exp_matches(e, name))
		exp_found(e, "users", "databricks_user", id, name);
	return TFP_OK;
}

static int sp_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct exp *e = payload;
	const char *id = str(item, "id");
	const char *name = str(item, "displayName");

	(void)call;
	if (name == NULL)
		name = str(item, "applicationId");
	if (id != NULL && name != NULL && exp_matches(e, name))
		exp_found(e, "users", "databricks_service_principal", id, name);
	return TFP_OK;
}

static int list_users(struct exp *e, struct tfp_call *call)
{
	int error = tfp_rest_list_scim(call, "/api/2.0/preview/scim/v2/Users",
				       NULL, 0, user_item, e);

	if (error < 0)
		return error;
	return tfp_rest_list_scim(call,
				  "/api/2.0/preview/scim/v2/ServicePrincipals",
				  NULL, 0, sp_item, e);
}

/* The Permissions API's object path of an exported object, or NULL. */
static const char *permissions_id(struct exp *e, const struct exp_obj *o)
{
	static const struct {
		const char *type, *prefix, *id;
	} map[] = {
		{"databricks_job", "/jobs/", "id"},
		{"databricks_cluster", "/clusters/", "id"},
		{"databricks_cluster_policy", "/cluster-policies/", "id"},
		{"databricks_instance_pool", "/instance-pools/", "id"},
		{"databricks_notebook", "/notebooks/", "object_id"},
		{"databricks_directory", "/directories/", "object_id"},
		{"databricks_repo", "/repos/", "id"},
		{"databricks_sql_endpoint", "/sql/warehouses/", "id"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const char *id;

		if (strcmp(o->rt->res->type_name, map[i].type) != 0)
			continue;
		id = exp_value_text(e, tfp_value_get(o->state, map[i].id));
		return id ? tfp_arena_printf(e->a, "%s%s", map[i].prefix, id)
			  : NULL;
	}
	return NULL;
}

static int list_access(struct exp *e, struct tfp_call *call)
{
	size_t n = e->n_objs;

	(void)call;
	/* Only the objects found before this service: its own are not. */
	for (size_t i = 0; i < n; i++) {
		const char *id = permissions_id(e, &e->objs[i]);

		if (id != NULL)
			exp_found_quiet(e, "access", "databricks_permissions",
					id,
					tfp_arena_printf(e->a, "%s_%s",
							 e->objs[i].rt->res->type_name + 11,
							 e->objs[i].hint));
	}
	return TFP_OK;
}

/* --- Unity Catalog --------------------------------------------------------- */

static int schema_item(struct tfp_call *call, const cJSON *item,
		       void *payload)
{
	struct exp *e = payload;
	const char *name = str(item, "name");
	const char *full = str(item, "full_name");

	(void)call;
	if (name == NULL || full == NULL || !exp_matches(e, full))
		return TFP_OK;
	if (strcmp(name, "information_schema") == 0 ||
	    strcmp(name, "default") == 0) {
		exp_skip(e, "uc-schemas: %s is made with its catalog", full);
		return TFP_OK;
	}
	exp_found(e, "uc-schemas", "databricks_schema", full, full);
	return TFP_OK;
}

static int catalog_item(struct tfp_call *call, const cJSON *item,
			void *payload)
{
	struct exp *e = payload;
	const char *name = str(item, "name");
	const char *type = str(item, "catalog_type");

	(void)call;
	if (name == NULL || !exp_matches(e, name))
		return TFP_OK;
	if (strcmp(name, "system") == 0 || strcmp(name, "hive_metastore") == 0 ||
	    strcmp(name, "samples") == 0 || strncmp(name, "__", 2) == 0 ||
	    (type != NULL && (strcmp(type, "SYSTEM_CATALOG") == 0 ||
			      strcmp(type, "INTERNAL_CATALOG") == 0))) {
		exp_skip(e, "uc-catalogs: %s belongs to the workspace", name);
		return TFP_OK;
	}
	exp_found(e, "uc-catalogs", "databricks_catalog", name, name);
	if (exp_service_on(e, "uc-schemas")) {
		const struct tfp_query q[] = {{"catalog_name", name},
					      {NULL, NULL}};
		struct tfp_call *sub = exp_call(e, "databricks_schema");

		if (tfp_rest_list(sub, "/api/2.1/unity-catalog/schemas", q,
				  "schemas", 0, schema_item, e) < 0)
			exp_skip(e, "uc-schemas: the schemas of %s could not "
				    "be listed (HTTP %ld)",
				 name, sub->last_error.status);
	}
	return TFP_OK;
}

static int list_catalogs(struct exp *e, struct tfp_call *call)
{
	return tfp_rest_list(call, "/api/2.1/unity-catalog/catalogs", NULL,
			     "catalogs", 0, catalog_item, e);
}

/* Schemas come with their catalogs (uc-catalogs); alone, this lists the
 * catalogs only to walk their schemas. */
static int list_schemas(struct exp *e, struct tfp_call *call)
{
	(void)e;
	(void)call;
	return TFP_OK;
}

static int list_uc_grants(struct exp *e, struct tfp_call *call)
{
	size_t n = e->n_objs;

	(void)call;
	for (size_t i = 0; i < n; i++) {
		const struct exp_obj *o = &e->objs[i];
		const char *kind = NULL;

		if (strcmp(o->rt->res->type_name, "databricks_catalog") == 0)
			kind = "catalog";
		else if (strcmp(o->rt->res->type_name, "databricks_schema") == 0)
			kind = "schema";
		if (kind != NULL)
			exp_found_quiet(e, "uc-grants", "databricks_grants",
					tfp_arena_printf(e->a, "%s/%s", kind,
							 o->import_id),
					tfp_arena_printf(e->a, "%s_%s", kind,
							 o->hint));
	}
	return TFP_OK;
}

/* --- repos and warehouses ---------------------------------------------------- */

static int repo_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct exp *e = payload;
	const char *id = exp_json_id(e, item, "id");
	const char *path = str(item, "path");

	(void)call;
	if (id != NULL && path != NULL && exp_matches(e, path))
		exp_found(e, "repos", "databricks_repo", id,
			  path[0] == '/' ? path + 1 : path);
	return TFP_OK;
}

static int cred_item(struct tfp_call *call, const cJSON *item, void *payload)
{
	struct exp *e = payload;
	const char *id = exp_json_id(e, item, "credential_id");
	const char *provider = str(item, "git_provider");

	(void)call;
	if (id != NULL)
		exp_found(e, "repos", "databricks_git_credential", id,
			  provider ? provider : "git");
	return TFP_OK;
}

static int list_repos(struct exp *e, struct tfp_call *call)
{
	int error = tfp_rest_list(call, "/api/2.0/repos", NULL, "repos", 0,
				  repo_item, e);
	struct tfp_call *sub;

	if (error < 0)
		return error;
	sub = exp_call(e, "databricks_git_credential");
	if (tfp_rest_list(sub, "/api/2.0/git-credentials", NULL, "credentials",
			  0, cred_item, e) < 0)
		exp_skip(e, "repos: Git credentials could not be listed "
			    "(HTTP %ld)",
			 sub->last_error.status);
	return TFP_OK;
}

static int warehouse_item(struct tfp_call *call, const cJSON *item,
			  void *payload)
{
	struct exp *e = payload;
	const char *id = str(item, "id");
	const char *name = str(item, "name");

	(void)call;
	if (id != NULL && name != NULL && exp_matches(e, name))
		exp_found(e, "sql-endpoints", "databricks_sql_endpoint", id,
			  name);
	return TFP_OK;
}

static int list_warehouses(struct exp *e, struct tfp_call *call)
{
	return tfp_rest_list(call, "/api/2.0/sql/warehouses", NULL,
			     "warehouses", 0, warehouse_item, e);
}

const struct exp_service exp_services[] = {
	{"jobs", list_jobs, "jobs (databricks_job)"},
	{"compute", list_clusters,
	 "clusters with their libraries (databricks_cluster)"},
	{"policies", list_policies,
	 "cluster policies (databricks_cluster_policy)"},
	{"pools", list_pools, "instance pools (databricks_instance_pool)"},
	{"secrets", list_secrets,
	 "secret scopes, secrets and ACLs (databricks_secret_scope, "
	 "databricks_secret, databricks_secret_acl)"},
	{"directories", list_tree, "folders (databricks_directory)"},
	{"notebooks", list_tree,
	 "notebooks, their source in notebooks/ (databricks_notebook)"},
	{"wsfiles", list_tree,
	 "workspace files, their bytes in files/ "
	 "(databricks_workspace_file)"},
	{"repos", list_repos,
	 "Git folders and credentials (databricks_repo, "
	 "databricks_git_credential)"},
	{"sql-endpoints", list_warehouses,
	 "SQL warehouses (databricks_sql_endpoint)"},
	{"uc-catalogs", list_catalogs, "catalogs (databricks_catalog)"},
	{"uc-schemas", list_schemas, "schemas (databricks_schema)"},
	{"groups", list_groups,
	 "groups and their members (databricks_group, "
	 "databricks_group_member)"},
	{"users", list_users,
	 "users and service principals (databricks_user, "
	 "databricks_service_principal)"},
	/* Last: the permissions of what the services above exported. */
	{"access", list_access,
	 "permissions of the exported objects (databricks_permissions)"},
	{"uc-grants", list_uc_grants,
	 "grants on the exported catalogs and schemas (databricks_grants)"},
	{NULL, NULL, NULL},
};
