/*
 * Data sources databricks_jobs (name -> id map) and databricks_job (one job
 * by id or name).
 *
 * REST: GET /api/2.2/jobs/list (paginated by next_page_token; ?name= is an
 * exact, case-insensitive match), GET /api/2.2/jobs/get?job_id=.
 *
 * Quirks that explain the code:
 *  - jobs/list has no "contains" filter, so job_name_contains lists every
 *    job and filters here, without regard to case (as the official
 *    provider does).
 *  - Job names are not unique. A map keyed by name cannot hold two jobs of
 *    one name, and a lookup by name cannot choose between them: both are
 *    errors that name the jobs, never a silent pick.
 *  - A job id is an int64 below 2^53 (the JSON rule); ids are strings in
 *    state, as in the official provider.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "validate.h"

#define JOBS_PAGE "100"

/* --- schema --------------------------------------------------------------- */

static int jobs_validate_key(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	if (strcmp(v->u.str, "name") == 0 || strcmp(v->u.str, "id") == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid key",
				   "key must be \"name\" or \"id\", not "
				   "\"%s\".",
				   v->u.str);
}

/* clang-format off */
static const struct tfp_attr jobs_attrs[] = {
	{ .name = "job_name_contains", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Only jobs whose name contains this text, without regard "
		  "to case." },
	{ .name = "key", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .validate = jobs_validate_key,
	  .desc = "What the map is keyed by: \"name\" (the default) or "
		  "\"id\"." },
	{ .name = "ids", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "Job ids by job name (or job names by id when key = "
		  "\"id\")." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "Always \"_\"." },
	TFP_ATTR_END
};
/* clang-format on */

/* clang-format off */
static const struct tfp_attr job_attrs[] = {
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The job id to look up, or the id found." },
	{ .name = "job_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The same as id." },
	{ .name = "name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The job name to look up (exact, without regard to case), "
		  "or the name found." },
	{ .name = "job_name", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .desc = "The same as name." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* A job's name and id from a list item or a get reply. */
static int jobs_item(const char **name, const char **id,
		     struct tfp_call *call, const cJSON *job)
{
	int64_t job_id = 0;
	int error;

	/* Set on every path, errors included: callers test only the code. */
	*name = NULL;
	*id = NULL;
	error = tfp_json_int(&job_id, job, "job_id", call->diags);
	if (error == TFP_ENOTFOUND)
		return tfp_diag_error(call->diags,
				      "Unexpected reply from the workspace",
				      "A job in the list has no job_id.");
	if (error < 0)
		return error;
	*id = tfp_arena_printf(call->arena, "%" PRId64, job_id);
	*name = tfp_json_string(
		cJSON_GetObjectItemCaseSensitive(job, "settings"), "name");
	if (*name == NULL)
		*name = "Untitled";
	return TFP_OK;
}

/* --- databricks_jobs ------------------------------------------------------ */

struct jobs_acc {
	const char *contains, *key;
	size_t n, cap;
	const char **keys, **values;
};

static int jobs_collect(struct tfp_call *call, const cJSON *job, void *payload)
{
	struct jobs_acc *acc = payload;
	const char *name, *id, *k, *v;
	size_t i;
	int error;

	error = jobs_item(&name, &id, call, job);
	if (error < 0)
		return error;
	if (acc->contains != NULL && !tfp_contains_fold(name, acc->contains))
		return TFP_OK;
	k = strcmp(acc->key, "id") == 0 ? id : name;
	v = strcmp(acc->key, "id") == 0 ? name : id;
	for (i = 0; i < acc->n; i++)
		if (strcmp(acc->keys[i], k) == 0)
			return tfp_diag_error(
				call->diags, "Duplicate job name",
				"Jobs %s and %s are both named \"%s\", so a "
				"map by name cannot hold both. Narrow "
				"job_name_contains, or use key = \"id\".",
				acc->values[i], v, k);
	if (acc->n == acc->cap) {
		size_t cap = acc->cap ? acc->cap * 2 : 16;
		const char **nk = tfp_arena_alloc(call->arena, cap * sizeof(*nk));
		const char **nv = tfp_arena_alloc(call->arena, cap * sizeof(*nv));

		if (acc->n > 0) {
			memcpy(nk, acc->keys, acc->n * sizeof(*nk));
			memcpy(nv, acc->values, acc->n * sizeof(*nv));
		}
		acc->keys = nk;
		acc->values = nv;
		acc->cap = cap;
	}
	acc->keys[acc->n] = k;
	acc->values[acc->n++] = v;
	return TFP_OK;
}

static int jobs_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *config)
{
	const struct tfp_query q[] = { { "limit", JOBS_PAGE }, { NULL, NULL } };
	struct jobs_acc acc = { 0 };
	struct tfp_value *v, *ids;
	size_t i;
	int error;

	acc.contains = tfp_value_get_string(config, "job_name_contains");
	acc.key = tfp_value_get_string(config, "key");
	if (acc.key == NULL)
		acc.key = "name";
	error = tfp_rest_list(call, "/api/2.2/jobs/list", q, "jobs", 0,
			      jobs_collect, &acc);
	if (error < 0)
		return error;
	v = tfp_value_copy(call->arena, config);
	ids = tfp_value_collection(call->arena, &tfp_type_map_string, acc.n);
	for (i = 0; i < acc.n; i++) {
		ids->u.coll.keys[i] = acc.keys[i];
		ids->u.coll.items[i] = tfp_value_string(call->arena,
							acc.values[i]);
	}
	tfp_value_set(v, "ids", ids);
	tfp_value_set_string(call->arena, v, "id", "_");
	tfp_value_set_string(call->arena, v, "key", acc.key);
	*out = v;
	return TFP_OK;
}

/* --- databricks_job ------------------------------------------------------- */

struct job_find {
	const char *name;
	const char *id, *found_name, *other_id;
};

static int job_match(struct tfp_call *call, const cJSON *job, void *payload)
{
	struct job_find *f = payload;
	const char *name, *id;
	int error;

	error = jobs_item(&name, &id, call, job);
	if (error < 0)
		return error;
	if (strcasecmp(name, f->name) != 0)
		return TFP_OK;
	if (f->id != NULL) {
		f->other_id = id;
		return TFP_OK;
	}
	f->id = id;
	f->found_name = name;
	return TFP_OK;
}

static int job_read(struct tfp_value **out, struct tfp_call *call,
		    const struct tfp_value *config)
{
	const char *id = tfp_value_get_string(config, "id");
	const char *name = tfp_value_get_string(config, "name");
	struct tfp_value *v;
	int error;

	if (id == NULL)
		id = tfp_value_get_string(config, "job_id");
	if (name == NULL)
		name = tfp_value_get_string(config, "job_name");
	if (id != NULL) {
		const struct tfp_query q[] = { { "job_id", id }, { NULL, NULL } };
		cJSON *job = NULL;

		if (strspn(id, "0123456789") != strlen(id) || id[0] == '\0')
			return tfp_diag_error(call->diags, "Invalid job id",
					      "\"%s\" is not a job id (digits "
					      "only).",
					      id);
		error = tfp_rest_get(&job, call, "/api/2.2/jobs/get", q);
		if (error == TFP_ENOTFOUND)
			return tfp_diag_error(call->diags, "Job not found",
					      "The workspace has no job %s.",
					      id);
		if (error < 0)
			return error;
		error = jobs_item(&name, &id, call, job);
		if (error < 0)
			return error;
	} else if (name != NULL) {
		const struct tfp_query q[] = { { "name", name },
					       { "limit", JOBS_PAGE },
					       { NULL, NULL } };
		struct job_find f = { .name = name };

		error = tfp_rest_list(call, "/api/2.2/jobs/list", q, "jobs", 0,
				      job_match, &f);
		if (error < 0)
			return error;
		if (f.id == NULL)
			return tfp_diag_error(call->diags, "Job not found",
					      "The workspace has no job named "
					      "\"%s\".",
					      name);
		if (f.other_id != NULL)
			return tfp_diag_error(
				call->diags, "Ambiguous job name",
				"Jobs %s and %s are both named \"%s\". Look "
				"the job up by id instead.",
				f.id, f.other_id, name);
		id = f.id;
		name = f.found_name;
	} else {
		return tfp_diag_error(call->diags, "Missing job id or name",
				      "Set one of id, job_id, name or "
				      "job_name.");
	}
	v = tfp_value_copy(call->arena, config);
	tfp_value_set_string(call->arena, v, "id", id);
	tfp_value_set_string(call->arena, v, "job_id", id);
	tfp_value_set_string(call->arena, v, "name", name);
	tfp_value_set_string(call->arena, v, "job_name", name);
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_jobs = {
	.type_name = "databricks_jobs",
	.attrs = jobs_attrs,
	.desc = "The ids of the workspace's jobs by name (or their names by "
		"id), optionally filtered by part of the name.",
	.read = jobs_read,
};

const struct tfp_data_source tfp_data_source_job = {
	.type_name = "databricks_job",
	.attrs = job_attrs,
	.desc = "One job, found by id or by exact name.",
	.read = job_read,
};
