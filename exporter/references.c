/*
 * Names, references and the Databricks-specific touches of the generated
 * configuration.
 *
 * Names: an object's own name (a job's, a cluster's, "<scope>_<key>"),
 * lower-cased with everything outside [a-z0-9_] turned into '_', runs of
 * '_' collapsed, a leading digit prefixed with '_', after -prefix. Names
 * are unique per type: on a collision the object gets a short suffix from
 * its import ID, so the same workspace always exports the same names
 * (which -incremental relies on).
 *
 * References: an attribute whose value is the ID of an exported object is
 * written as a reference to it (a task's existing_cluster_id as
 * databricks_cluster.<name>.id, a policy_id, an instance pool, a
 * warehouse, a notebook path, a secret scope), so the configuration holds
 * the dependencies and the order of an apply follows them.
 *
 * Values that cannot be read back (a secret's value) become variables.
 */
#include <string.h>
#include "arena.h"
#include "exporter_internal.h"
#include "hcl.h"
#include "value.h"

const char *exp_sanitize(struct exp *e, const char *s)
{
	size_t n = strlen(s);
	char *out = tfp_arena_alloc(e->a, n + 2);
	char *p = out;

	if (*s >= '0' && *s <= '9')
		*p++ = '_';
	for (; *s; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '_';
		if (c == '_' && p > out && p[-1] == '_')
			continue;
		*p++ = c;
	}
	while (p > out && p[-1] == '_')
		p--;
	*p = '\0';
	if (out[0] == '\0' || (out[0] == '_' && out[1] == '\0'))
		return "unnamed";
	/* "_" alone after the digit rule cannot happen; a leading '_' from
	 * a name such as "-x" is kept out. */
	return out[0] == '_' && !(out[1] >= '0' && out[1] <= '9') ? out + 1
								   : out;
}

static bool name_taken(const struct exp *e, size_t upto,
		       const struct exp_obj *o, const char *name)
{
	for (size_t i = 0; i < upto; i++)
		if (e->objs[i].rt == o->rt && e->objs[i].name != NULL &&
		    strcmp(e->objs[i].name, name) == 0)
			return true;
	return false;
}

/* What the workspace never returns: the attribute becomes a sensitive
 * variable, and the resource ignores changes to it (exp_tail) so the
 * workspace keeps its value until the user takes it over. */
static const struct {
	const char *type, *prefix, *attr, *what;
} unreadable[] = {
	{"databricks_secret", "secret", "string_value",
	 "The value of secret"},
	{"databricks_git_credential", "git_token", "personal_access_token",
	 "The Git token of credential"},
};

void exp_assign_names(struct exp *e)
{
	const char **bases = tfp_arena_alloc(e->a, (e->n_objs + 1) *
							   sizeof(*bases));

	for (size_t i = 0; i < e->n_objs; i++)
		bases[i] = exp_sanitize(e, tfp_arena_printf(e->a, "%s%s",
							    e->prefix,
							    e->objs[i].hint));
	for (size_t i = 0; i < e->n_objs; i++) {
		struct exp_obj *o = &e->objs[i];
		const char *base = bases[i];
		const char *name = base;
		bool clash = false;

		/* Any other object of the type with the same base name,
		 * before or after this one, makes both take a suffix, so a
		 * name does not depend on listing order. */
		for (size_t j = 0; j < e->n_objs && !clash; j++)
			clash = j != i && e->objs[j].rt == o->rt &&
				strcmp(bases[j], base) == 0;
		if (clash) {
			const char *id = exp_sanitize(e, o->import_id);
			size_t n = strlen(id);

			/* The ID's last characters tell objects apart best
			 * (job IDs share their first digits). */
			name = tfp_arena_printf(e->a, "%s_%s", base,
						n > 6 ? id + n - 6 : id);
		}
		for (int k = 2; name_taken(e, i, o, name); k++)
			name = tfp_arena_printf(e->a, "%s_%d", base, k);
		o->name = name;
		for (size_t k = 0; k < sizeof(unreadable) / sizeof(*unreadable);
		     k++) {
			if (strcmp(o->rt->res->type_name, unreadable[k].type) != 0)
				continue;
			o->var = tfp_arena_printf(e->a, "%s_%s",
						  unreadable[k].prefix, name);
			o->var_attr = unreadable[k].attr;
			o->var_desc = tfp_arena_printf(
				e->a, "%s %s (the workspace cannot return it)",
				unreadable[k].what, o->import_id);
		}
	}
}

/* An attribute (the last part of a path) whose value names another object. */
struct ref_rule {
	const char *attr;
	const char *type; /* the object it names */
	const char *key;  /* that object's attribute holding the value */
	const char *out;  /* the attribute the reference reads */
};

static const struct ref_rule ref_rules[] = {
	{"existing_cluster_id", "databricks_cluster", "id", "id"},
	{"cluster_id", "databricks_cluster", "id", "id"},
	{"policy_id", "databricks_cluster_policy", "id", "id"},
	{"instance_pool_id", "databricks_instance_pool", "id", "id"},
	{"driver_instance_pool_id", "databricks_instance_pool", "id", "id"},
	{"warehouse_id", "databricks_sql_endpoint", "id", "id"},
	{"notebook_path", "databricks_notebook", "path", "path"},
	{"scope", "databricks_secret_scope", "name", "name"},
	{"job_id", "databricks_job", "id", "id"},
	{"cluster_policy_id", "databricks_cluster_policy", "id", "id"},
	{"notebook_id", "databricks_notebook", "object_id", "object_id"},
	{"directory_id", "databricks_directory", "object_id", "object_id"},
	{"directory_path", "databricks_directory", "path", "path"},
	{"repo_id", "databricks_repo", "id", "id"},
	{"sql_endpoint_id", "databricks_sql_endpoint", "id", "id"},
	{"group_id", "databricks_group", "id", "id"},
	{"catalog_name", "databricks_catalog", "name", "name"},
	{"catalog", "databricks_catalog", "name", "name"},
	{"schema", "databricks_schema", "id", "id"},
	{"principal", "databricks_group", "display_name", "display_name"},
	{"principal", "databricks_user", "user_name", "user_name"},
	{"principal", "databricks_service_principal", "application_id",
	 "application_id"},
	{"member_id", "databricks_user", "id", "id"},
	{"member_id", "databricks_group", "id", "id"},
	{"member_id", "databricks_service_principal", "id", "id"},
	{"group_name", "databricks_group", "display_name", "display_name"},
	{"user_name", "databricks_user", "user_name", "user_name"},
	{"service_principal_name", "databricks_service_principal",
	 "application_id", "application_id"},
	{NULL, NULL, NULL, NULL},
};

const char *exp_expr(void *ctx, const char *path, const struct tfp_value *v)
{
	struct exp *e = ctx;
	const struct exp_obj *self = e->current;
	const char *last = strrchr(path, '.');

	last = last ? last + 1 : path;
	if (self != NULL && self->var != NULL && strcmp(path, self->var_attr) == 0)
		return tfp_arena_printf(e->a, "var.%s", self->var);
	if (v->type->kind != TFP_KIND_STRING)
		return NULL;
	if (self != NULL && self->source != NULL && strcmp(path, "source") == 0)
		/* Relative to the configuration, wherever it is applied. */
		return tfp_arena_printf(e->a, "\"${path.module}/%s",
					tfp_hcl_quote(e->a, self->source) + 1);
	for (const struct ref_rule *r = ref_rules; r->attr; r++) {
		if (strcmp(r->attr, last) != 0)
			continue;
		for (size_t i = 0; i < e->n_objs; i++) {
			const struct exp_obj *o = &e->objs[i];
			const char *k;

			if (o == self ||
			    strcmp(o->rt->res->type_name, r->type) != 0)
				continue;
			k = exp_value_text(e, tfp_value_get(o->state, r->key));
			if (k != NULL && strcmp(k, v->u.str) == 0)
				return tfp_arena_printf(e->a, "%s.%s.%s",
							r->type, o->name,
							r->out);
		}
	}
	return NULL;
}

/*
 * Optional and computed attributes a person chooses, which the writer
 * would leave out (the state keeps them either way): "type:path", or
 * "type:*.last" for an attribute at any depth.
 */
static const char *const keep_rules[] = {
	"databricks_cluster:node_type_id",
	"databricks_cluster:driver_node_type_id",
	"databricks_cluster:autotermination_minutes",
	"databricks_cluster:num_workers",
	"databricks_cluster:data_security_mode",
	"databricks_cluster_policy:definition",
	"databricks_instance_pool:node_type_id",
	"databricks_instance_pool:min_idle_instances",
	"databricks_instance_pool:max_capacity",
	"databricks_job:max_concurrent_runs",
	"databricks_job:timeout_seconds",
	"databricks_job:*.new_cluster.node_type_id",
	"databricks_repo:path",
	"databricks_repo:branch",
	"databricks_sql_endpoint:auto_stop_mins",
	"databricks_sql_endpoint:min_num_clusters",
	"databricks_sql_endpoint:max_num_clusters",
	"databricks_sql_endpoint:enable_photon",
	"databricks_sql_endpoint:enable_serverless_compute",
	"databricks_sql_endpoint:warehouse_type",
	"databricks_user:display_name",
	"databricks_service_principal:application_id",
	"databricks_service_principal:display_name",
	/* Entitlements read true plan false when left out. */
	"databricks_user:allow_cluster_create",
	"databricks_user:allow_instance_pool_create",
	"databricks_user:databricks_sql_access",
	"databricks_user:workspace_access",
	"databricks_user:workspace_consume",
	"databricks_group:allow_cluster_create",
	"databricks_group:allow_instance_pool_create",
	"databricks_group:databricks_sql_access",
	"databricks_group:workspace_access",
	"databricks_group:workspace_consume",
	"databricks_service_principal:allow_cluster_create",
	"databricks_service_principal:allow_instance_pool_create",
	"databricks_service_principal:databricks_sql_access",
	"databricks_service_principal:workspace_access",
	"databricks_service_principal:workspace_consume",
	NULL,
};

bool exp_keep(void *ctx, const char *path, const struct tfp_value *v)
{
	struct exp *e = ctx;
	const char *type = e->current ? e->current->rt->res->type_name : "";
	size_t n = strlen(type);

	if (e->current && e->current->var_attr &&
	    strcmp(path, e->current->var_attr) == 0)
		return true;

	/* 0 and false are what these mean when left out (no workers, no
	 * timeout, no entitlement); elsewhere a 0 or false left out would
	 * plan the default (a warehouse's auto_stop_mins, photon). */
	if (v->type->kind == TFP_KIND_NUMBER && v->u.num.kind == TFP_NUM_INT &&
	    v->u.num.i == 0 &&
	    (strcmp(path, "num_workers") == 0 ||
	     strcmp(path, "timeout_seconds") == 0 ||
	     strcmp(path, "min_idle_instances") == 0))
		return false;
	if (v->type->kind == TFP_KIND_BOOL && !v->u.b &&
	    (strcmp(type, "databricks_user") == 0 ||
	     strcmp(type, "databricks_group") == 0 ||
	     strcmp(type, "databricks_service_principal") == 0))
		return false;
	if (strcmp(type, "databricks_cluster_policy") == 0 &&
	    strcmp(path, "definition") == 0 &&
	    tfp_value_get_string(e->current->state, "policy_family_id") != NULL)
		return false;
	for (const char *const *r = keep_rules; *r; r++) {
		const char *rest = *r + n + 1;

		if (strncmp(*r, type, n) != 0 || (*r)[n] != ':')
			continue;
		if (strcmp(rest, path) == 0)
			return true;
		if (rest[0] == '*') {
			size_t lp = strlen(path), lr = strlen(rest + 1);

			if (lp >= lr && strcmp(path + lp - lr, rest + 1) == 0)
				return true;
		}
	}
	return false;
}

const char *const *exp_tail(struct exp *e, const struct exp_obj *o)
{
	/* A notebook's or file's source is a path on the user's disk, which
	 * no import can know: without this the first plan would record it
	 * as an in-place change of every one (writing nothing, the bytes
	 * being the workspace's own). The download is the workspace's
	 * content, so the first plan only imports; removing the block hands
	 * the content to the file in Git. */
	static const char *const source_tail[] = {
		"lifecycle {", "  ignore_changes = [source]", "}", NULL};
	const char **tail;

	if (strcmp(o->rt->res->type_name, "databricks_notebook") == 0 ||
	    strcmp(o->rt->res->type_name, "databricks_workspace_file") == 0)
		return source_tail;
	if (o->var_attr == NULL)
		return NULL;
	/* The imported state has no value for the variable's attribute:
	 * the first plan would otherwise write every one. */
	tail = tfp_arena_alloc(e->a, 4 * sizeof(*tail));
	tail[0] = "lifecycle {";
	tail[1] = tfp_arena_printf(e->a, "  ignore_changes = [%s]",
				   o->var_attr);
	tail[2] = "}";
	tail[3] = NULL;
	return tail;
}
