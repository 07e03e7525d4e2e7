/*
 * databricks_repo: a Git folder (repo) of the workspace, checked out at a
 * branch or a tag.
 *
 * REST (Repos API 2.0): POST /api/2.0/repos {url, provider, path,
 * sparse_checkout, git_credential_id} -> the repo {id, url, provider,
 * path, branch, head_commit_id, sparse_checkout}; GET|PATCH|DELETE
 * /api/2.0/repos/{id} (PATCH {branch} or {tag} checks one out); POST
 * /api/2.0/workspace/mkdirs for the parent folder.
 *
 * Quirks that explain the code:
 *  - The schema's git_provider and commit_hash are the API's provider and
 *    head_commit_id. A missing provider is inferred from the URL's host
 *    (github.com, gitlab.com, dev.azure.com, bitbucket.org, AWS
 *    CodeCommit), as upstream; the name is compared without regard to
 *    case.
 *  - The create clones the default branch: a configured tag, or a branch
 *    other than the one cloned, is checked out right after (after_create),
 *    so a failure there keeps the repo in the state.
 *  - The parent folder of a configured path is made first (mkdirs makes
 *    it and its parents, and an existing one is fine), as upstream.
 *  - A tag is not answered back (the checkout is then detached, with no
 *    branch): it is kept from the configuration. Checking out a branch
 *    sends {branch}, a tag {tag}; a branch changed by someone else shows as
 *    drift and the next apply checks the configured one out again.
 *  - url, provider, path and sparse checkout patterns replace the repo.
 *  - Import by the repo's ID.
 */
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "workspace_internal.h"

#define REPOS_API "/api/2.0/repos"

/* --- schema --------------------------------------------------------------- */

static int repo_validate_url(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	const char *u = v->u.str;

	if ((strncmp(u, "https://", 8) == 0 && u[8] != '\0') ||
	    (strncmp(u, "http://", 7) == 0 && u[7] != '\0'))
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid repository URL",
				   "url must be an http:// or https:// URL, "
				   "not \"%s\".",
				   u);
}

/* Under /Repos, exactly /Repos/<folder>/<repo>, as upstream checks. */
static int repo_validate_path(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	const char *p = v->u.str, *s;
	size_t n = strlen(p), parts = 0;

	if (strncmp(p, "/Repos/", 7) != 0)
		return TFP_OK;
	if (n > 0 && p[n - 1] == '/')
		n--;
	for (s = p; s < p + n; s++)
		parts += *s == '/';
	if (parts == 3)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid repo path",
				   "A path under /Repos has 3 components "
				   "(/Repos/<folder>/<repo>); \"%s\" has %zu.",
				   p, parts);
}

static int repo_validate_ref(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	const char *p;

	for (p = v->u.str; *p != '\0'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n')
			return TFP_OK;
	return tfp_diag_attr_error(d, path, "Empty branch or tag",
				   "A branch or tag name is not blank.");
}

/* clang-format off */
static const struct tfp_attr repo_sparse_attrs[] = {
	{ .name = "patterns", .type = &tfp_type_list_string,
	  .flags = TFP_REQUIRED,
	  .desc = "Cone patterns: the folders checked out." },
	TFP_ATTR_END
};
static const struct tfp_block repo_blocks[] = {
	{ .name = "sparse_checkout", .nesting = TFP_NEST_LIST, .max_items = 1,
	  .flags = TFP_FORCE_NEW, .attrs = repo_sparse_attrs,
	  .desc = "Check out only some folders (sparse checkout)." },
	TFP_BLOCK_END
};
static const struct tfp_attr repo_attrs[] = {
	{ .name = "url", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .validate = repo_validate_url,
	  .desc = "The Git repository's URL." },
	{ .name = "git_provider", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "provider",
	  .desc = "gitHub, gitLab, azureDevOpsServices, bitbucketCloud, "
		  "awsCodeCommit...; inferred from the URL when left out." },
	{ .name = "path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .validate = repo_validate_path,
	  .desc = "Where the repo goes (/Repos/<folder>/<repo>, or a "
		  "/Workspace folder); default: the caller's /Repos folder." },
	{ .name = "branch", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .validate = repo_validate_ref,
	  .desc = "The branch checked out; default: the repository's "
		  "default branch. Conflicts with tag." },
	{ .name = "tag", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .validate = repo_validate_ref,
	  .desc = "A tag to check out (detached). Conflicts with branch." },
	{ .name = "commit_hash", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED, .json = "head_commit_id",
	  .desc = "The commit checked out." },
	{ .name = "git_credential_id", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_KEEP_PRIOR,
	  .desc = "The Git credential to clone and check out with." },
	{ .name = "workspace_path", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .desc = "The path under /Workspace." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The repo's ID: the import ID." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* The provider a URL's host names, or NULL (upstream's table). */
static const char *repo_provider_of(struct tfp_arena *a, const char *url)
{
	static const struct {
		const char *host, *provider;
	} hosts[] = {{"github.com", "gitHub"},
		     {"dev.azure.com", "azureDevOpsServices"},
		     {"gitlab.com", "gitLab"},
		     {"bitbucket.org", "bitbucketCloud"}};
	const char *h = strstr(url, "://"), *end;
	char *host;
	size_t i, n;

	if (h == NULL)
		return NULL;
	h += 3;
	end = h + strcspn(h, "/?#");
	/* user@host:port */
	if (memchr(h, '@', (size_t)(end - h)) != NULL)
		h = (const char *)memchr(h, '@', (size_t)(end - h)) + 1;
	n = strcspn(h, ":/?#");
	host = tfp_arena_strndup(a, h, n);
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strcasecmp(host, hosts[i].host) == 0)
			return hosts[i].provider;
	if (strncasecmp(host, "git-codecommit.", 15) == 0 && n > 29 &&
	    strcasecmp(host + n - 14, ".amazonaws.com") == 0 &&
	    memchr(host + 15, '.', n - 29) == NULL)
		return "awsCodeCommit";
	return NULL;
}

/* --- hooks ---------------------------------------------------------------- */

static int repo_mkdirs_parent(struct tfp_call *call, const char *path)
{
	const char *slash = NULL;
	size_t n = strlen(path), i;
	cJSON *body, *reply = NULL;
	int error;

	/* (A trailing '/' names the same repo.) */
	while (n > 1 && path[n - 1] == '/')
		n--;
	for (i = 0; i < n; i++)
		if (path[i] == '/')
			slash = path + i;
	if (slash == NULL || slash == path)
		return TFP_OK;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(
		body, "path",
		tfp_arena_strndup(call->arena, path, (size_t)(slash - path)));
	error = tfp_rest_post(&reply, call, "/api/2.0/workspace/mkdirs", body);
	cJSON_Delete(body);
	return error;
}

static int repo_body(cJSON *body, struct tfp_call *call,
		     const struct tfp_value *prior, const struct tfp_value *plan)
{
	int64_t cred;

	(void)prior;
	if (strcmp(call->op, "create") == 0) {
		const char *path = tfp_value_get_string(plan, "path");
		int error;

		if (!cJSON_HasObjectItem(body, "provider")) {
			const char *p = repo_provider_of(
				call->arena, tfp_value_get_string(plan, "url"));

			if (p == NULL)
				return tfp_diag_attr_error(
					call->diags,
					tfp_path_attr(call->arena, NULL,
						      "git_provider"),
					"Unknown Git provider",
					"git_provider is not set and cannot "
					"be told from the URL's host; set it.");
			cJSON_AddStringToObject(body, "provider", p);
		}
		/* The parent folder first: the create needs it. */
		if (path != NULL) {
			error = repo_mkdirs_parent(call, path);
			if (error < 0)
				return error;
		}
		return TFP_OK;
	}
	/* An update checks out one ref: the tag when one is configured,
	 * else the branch. */
	if (tfp_value_get_string(plan, "tag") != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(body, "branch");
		if (!cJSON_HasObjectItem(body, "tag"))
			cJSON_AddStringToObject(
				body, "tag", tfp_value_get_string(plan, "tag"));
	} else {
		cJSON_DeleteItemFromObjectCaseSensitive(body, "tag");
		if (!cJSON_HasObjectItem(body, "branch") &&
		    tfp_value_get_string(plan, "branch") != NULL)
			cJSON_AddStringToObject(
				body, "branch",
				tfp_value_get_string(plan, "branch"));
	}
	if (tfp_value_get_int(plan, "git_credential_id", &cred) &&
	    !cJSON_HasObjectItem(body, "git_credential_id"))
		tfp_json_add_int(body, "git_credential_id", cred);
	return TFP_OK;
}

/* The configured tag, or a branch other than the one cloned. */
static int repo_after_create(struct tfp_call *call, const char *id,
			     const struct tfp_value *plan)
{
	const char *tag = tfp_value_get_string(plan, "tag");
	const char *branch = tfp_value_get_string(plan, "branch");
	cJSON *body, *reply = NULL, *repo = NULL;
	int64_t cred;
	int error;

	if (tag == NULL && branch == NULL)
		return TFP_OK;
	if (tag == NULL) {
		error = tfp_rest_get(&repo, call,
				     tfp_arena_printf(call->arena, "%s/%s",
						      REPOS_API, id),
				     NULL);
		if (error < 0)
			return error;
		if (tfp_json_string(repo, "branch") != NULL &&
		    strcmp(tfp_json_string(repo, "branch"), branch) == 0)
			return TFP_OK;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, tag ? "tag" : "branch",
				tag ? tag : branch);
	if (tfp_value_get_int(plan, "git_credential_id", &cred))
		tfp_json_add_int(body, "git_credential_id", cred);
	error = tfp_rest_call(&reply, call, "PATCH",
			      tfp_arena_printf(call->arena, "%s/%s", REPOS_API,
					       id),
			      NULL, body, TFP_REST_IDEMPOTENT);
	cJSON_Delete(body);
	return error;
}

static void repo_normalize(struct tfp_call *call, struct tfp_value *state,
			   const struct tfp_value *prior)
{
	const char *path = tfp_value_get_string(state, "path");

	(void)prior;
	if (path != NULL)
		tfp_value_set_string(
			call->arena, state, "workspace_path",
			tfp_arena_printf(call->arena, "/Workspace%s", path));
	/* On a tag the checkout is detached: no branch is answered, and
	 * none is wanted. */
	if (tfp_value_get_string(state, "tag") != NULL &&
	    tfp_value_get_string(state, "branch") == NULL)
		tfp_value_set_string(call->arena, state, "branch", NULL);
}

static int repo_modify_plan(struct tfp_call *call,
			    const struct tfp_value *prior,
			    const struct tfp_value *config,
			    struct tfp_value *plan)
{
	const struct tfp_value *branch = tfp_value_get(config, "branch");
	const struct tfp_value *tag = tfp_value_get(config, "tag");

	if (tfp_value_is_null(plan))
		return TFP_OK;
	if (!tfp_value_is_null(branch) && !tfp_value_is_null(tag))
		return tfp_diag_attr_error(
			call->diags, tfp_path_attr(call->arena, NULL, "tag"),
			"Conflicting checkout",
			"branch and tag are both set; set one.");
	/* A new ref moves the commit; a tag leaves no branch. */
	if (prior != NULL &&
	    (!tfp_value_equal(tfp_value_get(prior, "branch"), branch) ||
	     !tfp_value_equal(tfp_value_get(prior, "tag"), tag)) &&
	    (!tfp_value_is_null(branch) || !tfp_value_is_null(tag)))
		tfp_value_set(plan, "commit_hash",
			      tfp_value_unknown(call->arena, &tfp_type_string));
	if (!tfp_value_is_null(tag))
		tfp_value_set_string(call->arena, plan, "branch", NULL);
	return TFP_OK;
}

/* clang-format off */
static const struct tfp_rres repo_rres = {
	.what = "repo",
	.attrs = repo_attrs,
	.blocks = repo_blocks,
	.id_field = "id",
	.import_form = "<repo id>",
	.create = { .path = REPOS_API },
	.read = { .path = REPOS_API "/{id}" },
	.update = { .path = REPOS_API "/{id}", .flags = TFP_REST_IDEMPOTENT },
	.del = { .path = REPOS_API "/{id}" },
	.create_fields = (const char *const[]){ "url", "git_provider", "path",
		"sparse_checkout", "git_credential_id", NULL },
	.update_mode = TFP_RRES_PATCH,
	.update_fields = (const char *const[]){ "branch", "tag", NULL },
	.folded = (const char *const[]){ "git_provider", NULL },
	.create_answers_object = true,
	.body = repo_body,
	.after_create = repo_after_create,
	.normalize = repo_normalize,
	.modify_plan = repo_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_repo = {
	.type_name = "databricks_repo",
	.schema_version = 1,
	.attrs = repo_attrs,
	.blocks = repo_blocks,
	.desc = "A Git folder of the workspace, checked out at a branch or a "
		"tag; a checkout changed elsewhere is drift.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &repo_rres,
};
