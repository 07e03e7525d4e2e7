/*
 * databricks_secret: one secret value in a scope.
 *
 * REST: POST /api/2.0/secrets/put, GET /api/2.0/secrets/list?scope=,
 * POST /api/2.0/secrets/delete.
 *
 * Quirks that explain the code:
 *  - Values can be written but never read back, so read keeps the prior
 *    string_value. The list gives last_updated_timestamp (ms) only.
 *  - There is no get: read lists the scope (through the REST client's
 *    cache, so N secrets of one scope cost one list per provider process)
 *    and filters by key.
 *  - put overwrites; every argument forces a new secret, as in the official
 *    provider (update is NULL).
 *  - A value overwritten behind Terraform's back shows as a newer
 *    last_updated_timestamp. The official provider cannot see that; here
 *    read then forgets the stored value (null), so the next plan puts the
 *    configured value back.
 * Import ID: "<scope>|||<key>" (the official provider's form). An imported
 * secret has no known value, so the first apply writes the configured one.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "importid.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "validate.h"

#define SECRET_KEY_MAX 128
#define SECRET_VALUE_MAX (128 * 1024)
#define SECRET_ID_SEP "|||"

/* --- schema --------------------------------------------------------------- */

static int secret_validate_key(struct tfp_diags *d, const struct tfp_path *path,
			       const struct tfp_value *v)
{
	return tfp_validate_name(d, path, v->u.str, "secret key",
				 SECRET_KEY_MAX, "_.-", "'_', '.' and '-'");
}

/* Never echo the value: it is secret even when it is wrong. */
static int secret_validate_value(struct tfp_diags *d,
				 const struct tfp_path *path,
				 const struct tfp_value *v)
{
	size_t n = strlen(v->u.str);

	if (n == 0)
		return tfp_diag_attr_error(d, path, "Empty secret value",
					   "string_value must not be empty.");
	if (n > SECRET_VALUE_MAX)
		return tfp_diag_attr_error(d, path, "Secret value too large",
					   "string_value is %zu bytes; the "
					   "workspace accepts at most %d.",
					   n, SECRET_VALUE_MAX);
	return TFP_OK;
}

/* clang-format off */
static const struct tfp_attr secret_attrs[] = {
	{ .name = "scope", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .desc = "The name of the secret scope." },
	{ .name = "key", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = secret_validate_key,
	  .desc = "The secret's key: 1 to 128 letters, digits, '_', '.' or "
		  "'-'." },
	{ .name = "string_value", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE,
	  .validate = secret_validate_value,
	  .desc = "The secret value (at most 128 KiB). It is stored in the "
		  "state but never shown; the workspace cannot return it." },
	{ .name = "last_updated_timestamp", .type = &tfp_type_number,
	  .flags = TFP_COMPUTED,
	  .desc = "When the value was last written, in milliseconds since the "
		  "epoch." },
	{ .name = "config_reference", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED, .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The reference to use in Spark configuration and "
		  "environment variables: {{secrets/<scope>/<key>}}." },
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<scope>|||<key>." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

/* The entry for key in a secrets/list reply, or NULL. */
static const cJSON *secret_find(const cJSON *list, const char *key)
{
	const cJSON *secrets = cJSON_GetObjectItemCaseSensitive(list, "secrets");
	const cJSON *s;

	cJSON_ArrayForEach(s, secrets)
	{
		const char *k = tfp_json_string(s, "key");

		if (k != NULL && strcmp(k, key) == 0)
			return s;
	}
	return NULL;
}

/*
 * The state for a listed secret, taking the value from prior. On refresh
 * (check_rewrite) the value is forgotten when the workspace says it was
 * rewritten after prior's timestamp: someone else wrote it.
 */
static int secret_state(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *prior, const char *scope,
			const char *key, const cJSON *entry, bool check_rewrite)
{
	struct tfp_value *v = tfp_value_object(call->arena, prior->type);
	int64_t ts = 0, prior_ts = 0;
	bool rewritten;
	int error;

	error = tfp_json_int(&ts, entry, "last_updated_timestamp", call->diags);
	if (error == TFP_ERROR)
		return error;
	tfp_value_set_string(call->arena, v, "scope", scope);
	tfp_value_set_string(call->arena, v, "key", key);
	tfp_value_set_string(call->arena, v, "id",
			     tfp_arena_printf(call->arena, "%s" SECRET_ID_SEP "%s",
					      scope, key));
	tfp_value_set_string(call->arena, v, "config_reference",
			     tfp_arena_printf(call->arena,
					      "{{secrets/%s/%s}}", scope, key));
	tfp_value_set(v, "last_updated_timestamp",
		      tfp_value_int(call->arena, ts));
	rewritten = check_rewrite &&
		    tfp_value_get_int(prior, "last_updated_timestamp",
				      &prior_ts) &&
		    ts > prior_ts;
	if (!rewritten)
		tfp_value_set(v, "string_value",
			      tfp_value_get(prior, "string_value"));
	*out = v;
	return TFP_OK;
}

/* --- handlers ------------------------------------------------------------- */

static int secret_fetch(const cJSON **out, struct tfp_call *call,
			const char *scope, const char *key)
{
	const struct tfp_query q[] = { { "scope", scope }, { NULL, NULL } };
	cJSON *list = NULL;
	int error;

	error = tfp_rest_call(&list, call, "GET", "/api/2.0/secrets/list", q,
			      NULL, TFP_REST_CACHE);
	if (error < 0)
		return error;
	*out = secret_find(list, key);
	if (*out != NULL)
		return TFP_OK;
	call->last_error = (struct tfp_api_error){
		.status = 404,
		.error_code = "RESOURCE_DOES_NOT_EXIST",
		.message = tfp_arena_printf(call->arena,
					    "Secret %s is not in scope %s.",
					    key, scope),
		.method = "GET",
		.path = "/api/2.0/secrets/list",
	};
	return TFP_ENOTFOUND;
}

static int secret_read(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior)
{
	const char *scope = tfp_value_get_string(prior, "scope");
	const char *key = tfp_value_get_string(prior, "key");
	const cJSON *entry = NULL;
	int error;

	error = secret_fetch(&entry, call, scope, key);
	if (error < 0)
		return error;
	return secret_state(out, call, prior, scope, key, entry, true);
}

static int secret_create(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_value *plan)
{
	const char *scope = tfp_value_get_string(plan, "scope");
	const char *key = tfp_value_get_string(plan, "key");
	cJSON *body = cJSON_CreateObject();
	const cJSON *entry = NULL;
	struct tfp_value *written;
	int error;

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "scope", scope);
	cJSON_AddStringToObject(body, "key", key);
	cJSON_AddStringToObject(body, "string_value",
				tfp_value_get_string(plan, "string_value"));
	error = tfp_rest_call(NULL, call, "POST", "/api/2.0/secrets/put", NULL,
			      body, TFP_REST_IDEMPOTENT);
	if (error < 0)
		return error;
	/* The put succeeded; reading back gives the timestamp. */
	written = tfp_value_copy(call->arena, plan);
	tfp_value_set(written, "last_updated_timestamp",
		      tfp_value_int(call->arena, 0));
	error = secret_fetch(&entry, call, scope, key);
	if (error == TFP_OK)
		error = secret_state(out, call, written, scope, key, entry,
				     false);
	if (error == TFP_ENOTFOUND)
		error = tfp_diag_error(call->diags,
				       "Failed to create databricks_secret",
				       "The workspace accepted secret %s in "
				       "scope %s but does not list it.",
				       key, scope);
	if (error < 0) {
		tfp_value_set_string(call->arena, written, "id",
				     tfp_arena_printf(call->arena,
						      "%s" SECRET_ID_SEP "%s",
						      scope, key));
		tfp_value_set_string(call->arena, written, "config_reference",
				     tfp_arena_printf(call->arena,
						      "{{secrets/%s/%s}}",
						      scope, key));
		*out = written;
	}
	return error;
}

static int secret_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	cJSON *body = cJSON_CreateObject();

	tfp_arena_defer_json(call->arena, body);
	cJSON_AddStringToObject(body, "scope",
				tfp_value_get_string(prior, "scope"));
	cJSON_AddStringToObject(body, "key", tfp_value_get_string(prior, "key"));
	return tfp_rest_call(NULL, call, "POST", "/api/2.0/secrets/delete",
			     NULL, body, TFP_REST_IDEMPOTENT);
}

static int secret_import(struct tfp_value **out, struct tfp_call *call,
			 const struct tfp_type *type, const char *id)
{
	const char *parts[2];
	struct tfp_value *v;
	int error;

	error = tfp_importid_split(parts, 2, call->arena, call->diags, id,
				   SECRET_ID_SEP, "<scope>|||<key>");
	if (error < 0)
		return error;
	v = tfp_value_object(call->arena, type);
	tfp_value_set_string(call->arena, v, "scope", parts[0]);
	tfp_value_set_string(call->arena, v, "key", parts[1]);
	tfp_value_set_string(call->arena, v, "id", id);
	*out = v;
	return TFP_OK;
}

const struct tfp_resource tfp_resource_secret = {
	.type_name = "databricks_secret",
	.attrs = secret_attrs,
	.desc = "A secret in a secret scope. The value is write-only in the "
		"workspace: brickform detects a value rewritten outside "
		"Terraform by its timestamp and writes the configured value "
		"back.",
	.create = secret_create,
	.read = secret_read,
	.delete = secret_delete,
	.import = secret_import,
	/* .update = NULL: every change writes a new secret. */
};
