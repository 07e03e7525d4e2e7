/*
 * databricks_service_principal_secret: an OAuth secret of a service
 * principal, its client secret for OAuth machine-to-machine
 * authentication.
 *
 * REST (service/oauth2 ServicePrincipalSecrets): at the account level
 *   POST
 * /api/2.0/accounts/{account_id}/servicePrincipals/{sp}/credentials/secrets GET
 * the same                                   {"secrets": [...]} DELETE the same
 * + /{secret_id} and at the workspace level the same under
 * /api/2.0/accounts/servicePrincipals/{sp}/... (the workspace's proxy of
 * the account API; the Go SDK's ServicePrincipalSecretsProxy).
 *
 * Quirks that explain the code:
 *  - The create answers {id, secret, secret_hash, status, create_time,
 *    update_time, expire_time}; the secret is shown once and never again,
 *    so it is kept from the prior state on every read (TFP_KEEP_PRIOR),
 *    as is lifetime, which no answer repeats.
 *  - There is no get: a secret is found in its principal's list, and one
 *    no longer listed (deleted, or expired: the service does not list
 *    expired secrets) is gone, so the next apply makes a new one.
 *  - A secret cannot change: every argument replaces it (no update).
 *    time_rotating is never sent: it is a value (a time_rotating
 *    resource's id, say) whose change replaces the secret, to rotate it.
 *  - service_principal_id is the principal's numeric SCIM id (the SDK's
 *    int64), checked before anything is sent, as the official provider
 *    does.
 *  - The id is the secret's id alone, as the official provider has it,
 *    while every path names the service principal: create and read are
 *    handlers of their own that fill the paths from the plan or the prior
 *    state (the generic ones fill them from the id).
 *  - No import, as with the official provider: a secret's id does not say
 *    whose it is, and its value cannot be learnt.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <string.h>
#include "databricks.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"

#define SECRETS_PATH                                                           \
	"servicePrincipals/{service_principal_id}/credentials/secrets"

/* --- schema --------------------------------------------------------------- */

static int secret_validate_sp(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	const char *s = v->u.str;
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			break;
	if (n > 0 && n <= 18 && i == n)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid service principal ID",
				   "service_principal_id is the numeric SCIM "
				   "id of a service principal (its id, not "
				   "its application id); \"%s\" is not one.",
				   s);
}

/* clang-format off */
#define SECRET_TIME(n, d)                                                      \
	{ .name = n, .type = &tfp_type_string, .flags = TFP_COMPUTED,          \
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN, .desc = d }

static const struct tfp_attr secret_attrs[] = {
	{ .name = "service_principal_id", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW | TFP_NO_JSON,
	  .validate = secret_validate_sp,
	  .desc = "The SCIM id of the service principal (the id of "
		  "databricks_service_principal)." },
	{ .name = "lifetime", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW | TFP_KEEP_PRIOR,
	  .desc = "How long the secret is valid, in seconds, e.g. "
		  "\"7776000s\"; none: 730 days." },
	{ .name = "time_rotating", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW | TFP_NO_JSON,
	  .desc = "Any value whose change replaces the secret, e.g. the id "
		  "of a time_rotating resource." },
	{ .name = "secret", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_SENSITIVE | TFP_KEEP_PRIOR,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The secret, the OAuth client secret of the service "
		  "principal." },
	SECRET_TIME("secret_hash", "A hash of the secret."),
	SECRET_TIME("status", "The secret's status, e.g. ACTIVE."),
	SECRET_TIME("create_time", "When the secret was made (RFC 3339)."),
	SECRET_TIME("update_time", "When it last changed (RFC 3339)."),
	SECRET_TIME("expire_time", "When it expires (RFC 3339)."),
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The secret's id." },
	TFP_ATTR_END
};

#undef SECRET_TIME
/* clang-format on */

static const char *const secret_create_fields[] = {"lifetime", NULL};

/* --- handlers ------------------------------------------------------------- */

static const struct tfp_rres secret_rres;

/* The create's answer is the object, secret included: it is the state. */
static int secret_create(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *plan)
{
	const struct tfp_rres *d = tfp_rres_at_level(call, &secret_rres);
	const char *path =
		tfp_rres_expand(call, d->create.path, plan, NULL, true);
	const char *lifetime = tfp_value_get_string(plan, "lifetime");
	cJSON *body = cJSON_CreateObject(), *reply = NULL;
	int error;

	tfp_arena_defer_json(call->arena, body);
	if (path == NULL)
		return tfp_diag_error(call->diags, "Missing service principal",
				      "service_principal_id is not known.");
	if (lifetime != NULL)
		cJSON_AddStringToObject(body, "lifetime", lifetime);
	error = tfp_rest_call(&reply, call, "POST", path, NULL, body, 0);
	if (error < 0)
		return error;
	return tfp_rres_state(out, call, d, plan->type, reply, plan);
}

/* The secret in its principal's list; TFP_ENOTFOUND when it is not
 * there, or the principal is gone. */
static int secret_read(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior)
{
	const struct tfp_rres *d = tfp_rres_at_level(call, &secret_rres);
	const char *id = tfp_value_get_string(prior, "id");
	const char *path = tfp_rres_expand(call, d->read.path, prior, id, true);
	const cJSON *s;
	cJSON *reply = NULL;
	int error;

	if (id == NULL || path == NULL)
		return tfp_diag_error(call->diags, "Incomplete state",
				      "The state has no id or no "
				      "service_principal_id for the secret.");
	error = tfp_rest_call(&reply, call, "GET", path, NULL, NULL,
			      d->read.flags);
	if (error < 0)
		return error;
	cJSON_ArrayForEach(s,
			   cJSON_GetObjectItemCaseSensitive(reply, "secrets"))
	{
		const char *sid = tfp_json_string(s, "id");

		if (sid != NULL && strcmp(sid, id) == 0)
			return tfp_rres_state(out, call, d, prior->type, s,
					      prior);
	}
	return TFP_ENOTFOUND;
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres secret_account_rres = {
	.what = "service principal secret",
	.attrs = secret_attrs,
	.id_field = "id",
	.import_form = "<secret_id>",
	.create = { .path = "/api/2.0/accounts/{account_id}/" SECRETS_PATH },
	.read = { .path = "/api/2.0/accounts/{account_id}/" SECRETS_PATH,
		  .flags = TFP_REST_CACHE, .items = "secrets", .key = "id" },
	.del = { .path = "/api/2.0/accounts/{account_id}/" SECRETS_PATH "/{id}",
		 .flags = TFP_REST_IDEMPOTENT },
	.create_fields = secret_create_fields,
	.create_answers_object = true,
};

static const struct tfp_rres secret_rres = {
	.what = "service principal secret",
	.attrs = secret_attrs,
	.id_field = "id",
	.import_form = "<secret_id>",
	.create = { .path = "/api/2.0/accounts/" SECRETS_PATH },
	.read = { .path = "/api/2.0/accounts/" SECRETS_PATH,
		  .flags = TFP_REST_CACHE, .items = "secrets", .key = "id" },
	.del = { .path = "/api/2.0/accounts/" SECRETS_PATH "/{id}",
		 .flags = TFP_REST_IDEMPOTENT },
	.create_fields = secret_create_fields,
	.create_answers_object = true,
	.account = &secret_account_rres,
};
/* clang-format on */

const struct tfp_resource tfp_resource_service_principal_secret = {
	.type_name = "databricks_service_principal_secret",
	.attrs = secret_attrs,
	.desc = "An OAuth secret of a service principal. Any change replaces "
		"it.",
	.create = secret_create,
	.read = secret_read,
	.delete = tfp_rres_delete,
	.modify_plan = tfp_rres_modify_plan,
	/* .update = NULL: a secret cannot change; .import = NULL: see the
	 * header. */
	.data = &secret_rres,
	.provider_flags = TFP_DATABRICKS_ANY_LEVEL,
};
