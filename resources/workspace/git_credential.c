/*
 * databricks_git_credential: the Git provider credential (user name and
 * personal access token) with which the workspace's Git folders reach
 * Git, of the caller or of a service principal (principal_id).
 *
 * REST (Git Credentials API): POST /api/2.0/git-credentials {git_provider,
 * git_username, git_email, personal_access_token, is_default_for_provider,
 * name, principal_id} -> {credential_id, ...}; GET|PATCH|DELETE
 * /api/2.0/git-credentials/{credential_id} (?principal_id= for a service
 * principal's); GET /api/2.0/git-credentials -> {credentials: [...]}.
 *
 * Quirks that explain the code:
 *  - The token is write-only: never answered, it is kept from the
 *    configuration (TFP_KEEP_PRIOR), and it is sensitive; the request
 *    logs redact it. Left out, it comes from GITHUB_TOKEN, GITLAB_TOKEN
 *    or AZDO_PERSONAL_ACCESS_TOKEN, as upstream.
 *  - A user may have one credential per provider (older workspaces: one
 *    in all). With force, a create refused for that ("Only one Git
 *    credential is supported ... at this time", or 409) takes over the
 *    existing credential: it is updated to the configuration and adopted.
 *  - Every update carries git_provider: the API requires it.
 *  - The provider's name is compared without regard to case (gitHub).
 *  - Import by the credential's ID; the token is then unknown to the
 *    state, and a configuration that sets one plans an update.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "workspace_internal.h"

#define GC_API "/api/2.0/git-credentials"

/* clang-format off */
static const struct tfp_attr gc_attrs[] = {
	{ .name = "git_provider", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED,
	  .desc = "gitHub, gitHubEnterprise, bitbucketCloud, "
		  "bitbucketServer, azureDevOpsServices, gitLab, "
		  "gitLabEnterpriseEdition or awsCodeCommit; case does not "
		  "matter." },
	{ .name = "git_username", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The user name at the Git provider." },
	{ .name = "git_email", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The email address commits are made with." },
	{ .name = "personal_access_token", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .desc = "The Git provider's token; default: $GITHUB_TOKEN, "
		  "$GITLAB_TOKEN or $AZDO_PERSONAL_ACCESS_TOKEN." },
	{ .name = "is_default_for_provider", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "The credential Git folders of this provider use by "
		  "default." },
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "A name for the credential." },
	{ .name = "principal_id", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "A service principal's ID, to manage its credential "
		  "instead of the caller's." },
	{ .name = "force", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_NO_JSON,
	  .desc = "Take over the existing credential when the workspace "
		  "allows no second one." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .json = "credential_id",
	  .desc = "The credential's ID: the import ID." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const gc_token_env[] = {"GITHUB_TOKEN", "GITLAB_TOKEN",
					   "AZDO_PERSONAL_ACCESS_TOKEN"};

/* --- hooks ---------------------------------------------------------------- */

static int gc_body(cJSON *body, struct tfp_call *call,
		   const struct tfp_value *prior, const struct tfp_value *plan)
{
	(void)call;
	(void)prior;
	if (!cJSON_HasObjectItem(body, "git_provider"))
		cJSON_AddStringToObject(body, "git_provider",
					tfp_value_get_string(plan,
							     "git_provider"));
	return TFP_OK;
}

/* The token from the environment when the configuration has none. */
static int gc_modify_plan(struct tfp_call *call, const struct tfp_value *prior,
			  const struct tfp_value *config,
			  struct tfp_value *plan)
{
	const struct tfp_value *token;
	size_t i;

	(void)prior;
	if (tfp_value_is_null(plan))
		return TFP_OK;
	token = tfp_value_get(config, "personal_access_token");
	if (!tfp_value_is_null(token))
		return TFP_OK;
	for (i = 0; i < sizeof(gc_token_env) / sizeof(gc_token_env[0]); i++) {
		const char *v = getenv(gc_token_env[i]);

		if (v != NULL && *v != '\0') {
			tfp_value_set_string(call->arena, plan,
					     "personal_access_token", v);
			return TFP_OK;
		}
	}
	/* None: nothing is sent, and the state has none. */
	tfp_value_set_string(call->arena, plan, "personal_access_token", NULL);
	return TFP_OK;
}

/* clang-format off */
static const struct tfp_rres gc_rres = {
	.what = "Git credential",
	.attrs = gc_attrs,
	.id_field = "credential_id",
	.import_form = "<credential_id>",
	.create = { .path = GC_API },
	.read = { .path = GC_API "/{id}", .query_attr = "principal_id" },
	.update = { .path = GC_API "/{id}", .query_attr = "principal_id" },
	.del = { .path = GC_API "/{id}", .query_attr = "principal_id" },
	.create_fields = (const char *const[]){ "git_provider", "git_username",
		"git_email", "personal_access_token",
		"is_default_for_provider", "name", "principal_id", NULL },
	.update_mode = TFP_RRES_PATCH,
	.update_fields = (const char *const[]){ "git_provider",
		"git_username", "git_email", "personal_access_token",
		"is_default_for_provider", "name", NULL },
	.folded = (const char *const[]){ "git_provider", NULL },
	.body = gc_body,
	.modify_plan = gc_modify_plan,
};
/* clang-format on */

/* --- force ---------------------------------------------------------------- */

static bool gc_only_one(const struct tfp_api_error *e)
{
	const char *m = e->message != NULL ? e->message : "";

	return e->status == 409 ||
	       (e->error_code != NULL &&
		(strcmp(e->error_code, "RESOURCE_CONFLICT") == 0 ||
		 strcmp(e->error_code, "RESOURCE_ALREADY_EXISTS") == 0)) ||
	       (strstr(m, "Only one Git credential is supported") != NULL &&
		strstr(m, " at this time") != NULL);
}

/* The one existing credential's ID, or a diagnostic. */
static int gc_existing(const char **id, struct tfp_call *call,
		       const struct tfp_value *plan)
{
	struct tfp_query q[] = {{"principal_id", NULL}, {NULL, NULL}};
	const cJSON *list, *c;
	cJSON *reply = NULL;
	int64_t pid, cid, n = 0;
	int error;

	if (tfp_value_get_int(plan, "principal_id", &pid))
		q[0].value = tfp_arena_printf(call->arena, "%lld",
					      (long long)pid);
	error = tfp_rest_get(&reply, call, GC_API, q[0].value ? q : NULL);
	if (error == TFP_ENOTFOUND)
		return tfp_call_fail(call, "%s %s: %s", call->last_error.method,
				     call->last_error.path,
				     call->last_error.message);
	if (error < 0)
		return error;
	list = cJSON_GetObjectItemCaseSensitive(reply, "credentials");
	cJSON_ArrayForEach(c, list)
	{
		n++;
		if (tfp_json_int(&cid, c, "credential_id", NULL) == TFP_OK)
			*id = tfp_arena_printf(call->arena, "%lld",
					       (long long)cid);
	}
	if (n != 1 || *id == NULL)
		return tfp_call_fail(call,
				     "force: the workspace refused a second "
				     "Git credential, and lists %lld; one is "
				     "needed to take it over.",
				     (long long)n);
	return TFP_OK;
}

static int gc_create(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *plan)
{
	struct tfp_value *prior;
	const char *id = NULL;
	int error;

	*out = NULL;
	error = tfp_rres_create(out, call, plan);

	if (error >= 0 || *out != NULL ||
	    !tfp_value_get_bool(plan, "force", false) ||
	    !gc_only_one(&call->last_error))
		return error;
	tfp_diags_drop_last(call->diags);
	error = gc_existing(&id, call, plan);
	if (error < 0)
		return error;
	/* An update from nothing: every configured field is sent. */
	prior = tfp_value_object(call->arena, plan->type);
	tfp_value_set_string(call->arena, prior, "id", id);
	return tfp_rres_update(out, call, prior, plan);
}

const struct tfp_resource tfp_resource_git_credential = {
	.type_name = "databricks_git_credential",
	.schema_version = 1,
	.attrs = gc_attrs,
	.desc = "The Git credential Git folders use (of the caller or of a "
		"service principal).",
	.create = gc_create,
	.read = tfp_rres_read,
	.update = tfp_rres_update,
	.delete = tfp_rres_delete,
	.import = tfp_rres_import,
	.modify_plan = tfp_rres_modify_plan,
	.data = &gc_rres,
};
