/*
 * Data source databricks_current_user: the user or service principal the
 * provider authenticates as, and the paths and names derived from it.
 *
 * REST: GET /api/2.0/preview/scim/v2/Me (SCIM, camelCase: id, userName,
 * externalId).
 *
 * Quirks that explain the code:
 *  - A service principal's userName is its application id, a UUID; that
 *    is how it is told from a user (acl_principal_id "servicePrincipals/
 *    <uuid>" rather than "users/<name>"), as the official provider does.
 *  - alphanumeric is the part of userName before the first "@", lower
 *    case, with every character other than ASCII letters, digits and "_"
 *    replaced by one "_" (a multi-byte UTF-8 character is one character).
 *  - home and repos are /Users/<userName> and /Repos/<userName> for
 *    service principals too.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "identity_internal.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr cu_attrs[] = {
	{ .name = "id", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The SCIM id of the user or service principal." },
	{ .name = "user_name", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The user name (an e-mail address), or a service "
		  "principal's application id." },
	{ .name = "home", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The home folder, /Users/<user_name>." },
	{ .name = "repos", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "The personal Repos folder, /Repos/<user_name>." },
	{ .name = "alphanumeric", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "user_name before the \"@\", in lower case, with other "
		  "characters than letters, digits and \"_\" replaced by "
		  "\"_\"." },
	{ .name = "external_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The id in the external identity provider, if any." },
	{ .name = "workspace_url", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The URL of the workspace the provider talks to." },
	{ .name = "acl_principal_id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "users/<user_name>, or servicePrincipals/<application id> "
		  "for a service principal." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions (identity_internal.h) --------------------------------- */

bool tfp_identity__is_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

char *tfp_identity__alphanumeric(struct tfp_arena *a, const char *user)
{
	size_t n = strcspn(user, "@"), i, o = 0;
	char *out = tfp_arena_alloc(a, n + 1);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)user[i];

		if (isalnum(c) || c == '_') {
			out[o++] = (char)tolower(c);
			continue;
		}
		/* One "_" per character: skip a UTF-8 sequence's
		 * continuation bytes. */
		out[o++] = '_';
		if (c >= 0xC0)
			while (i + 1 < n &&
			       ((unsigned char)user[i + 1] & 0xC0) == 0x80)
				i++;
	}
	out[o] = '\0';
	return out;
}

/* --- handler -------------------------------------------------------------- */

static int cu_read(struct tfp_value **out, struct tfp_call *call,
		   const struct tfp_value *config)
{
	struct tfp_arena *a = call->arena;
	const char *id, *user, *ext;
	struct tfp_value *v;
	cJSON *me = NULL;
	int error;

	/* One /Me per provider process, shared with whatever else asks. */
	error = tfp_rest_call(&me, call, "GET", "/api/2.0/preview/scim/v2/Me",
			      NULL, NULL, TFP_REST_CACHE);
	if (error < 0)
		return error;
	id = tfp_json_string(me, "id");
	user = tfp_json_string(me, "userName");
	ext = tfp_json_string(me, "externalId");
	if (id == NULL || user == NULL || user[0] == '\0')
		return tfp_diag_error(
			call->diags, "Unexpected reply from the workspace",
			"GET /api/2.0/preview/scim/v2/Me returned "
			"no id or no userName.");
	v = tfp_value_copy(a, config);
	tfp_value_set_string(a, v, "id", id);
	tfp_value_set_string(a, v, "user_name", user);
	tfp_value_set_string(a, v, "home",
			     tfp_arena_printf(a, "/Users/%s", user));
	tfp_value_set_string(a, v, "repos",
			     tfp_arena_printf(a, "/Repos/%s", user));
	tfp_value_set_string(a, v, "alphanumeric",
			     tfp_identity__alphanumeric(a, user));
	tfp_value_set_string(a, v, "external_id", ext ? ext : "");
	tfp_value_set_string(a, v, "workspace_url",
			     tfp_rest_host(tfp_rest_of(call)));
	tfp_value_set_string(a, v, "acl_principal_id",
			     tfp_arena_printf(a, "%s/%s",
					      tfp_identity__is_uuid(user)
						      ? "servicePrincipals"
						      : "users",
					      user));
	*out = v;
	return TFP_OK;
}

const struct tfp_data_source tfp_data_source_current_user = {
	.type_name = "databricks_current_user",
	.attrs = cu_attrs,
	.desc = "The user or service principal the provider acts as.",
	.read = cu_read,
};
