/*
 * databricks_connection: a Unity Catalog connection to an external
 * database (Lakehouse Federation), with its options and credentials.
 *
 * REST: GET /api/2.1/unity-catalog/metastore_summary (the metastore, part
 * of the id), POST /api/2.1/unity-catalog/connections,
 * GET|PATCH|DELETE /api/2.1/unity-catalog/connections/{name}.
 *
 * Quirks that explain the code:
 *  - The id is <metastore_id>|<name>, as in the official provider; the
 *    metastore is the workspace's, read while planning a create so that
 *    the id is known when the create is read back.
 *  - The workspace never answers secret options (user, password,
 *    personalAccessToken, access_token, client_secret, OAuthPvtKey,
 *    GoogleServiceAccountKeyJson): read keeps them from the prior state.
 *    An import therefore has none, and the next plan sets them again, as
 *    with the official provider. options is sensitive as a whole.
 *  - PATCH needs options every time (it replaces them); owner goes last
 *    and alone. comment, properties, read_only and the type force a new
 *    connection, as in the official provider; a new name is a rename.
 *  - A missing connection is 404 CONNECTION_DOES_NOT_EXIST: gone.
 * Import ID: <metastore_id>|<name>.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "rest_resource.h"
#include "schema.h"
#include "value.h"
#include "catalog_internal.h"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr conn_attrs[] = {
	{ .name = "name", .type = &tfp_type_string, .flags = TFP_REQUIRED,
	  .validate = tfp_catalog__validate_name,
	  .desc = "The connection's name (stored lower-case); a new one "
		  "renames it." },
	{ .name = "connection_type", .type = &tfp_type_string,
	  .flags = TFP_REQUIRED | TFP_FORCE_NEW,
	  .desc = "MYSQL, POSTGRESQL, SNOWFLAKE, REDSHIFT, SQLDW, SQLSERVER, "
		  "DATABRICKS, BIGQUERY..." },
	{ .name = "options", .type = &tfp_type_map_string,
	  .flags = TFP_REQUIRED | TFP_SENSITIVE,
	  .desc = "How to reach the database: host, port, user, password..." },
	{ .name = "properties", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "Free-form properties." },
	{ .name = "comment", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_FORCE_NEW,
	  .desc = "Free-form text." },
	{ .name = "read_only", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED | TFP_FORCE_NEW,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Whether the connection only reads." },
	{ .name = "owner", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The user, group or service principal (application ID) that "
		  "owns the connection; the creator when left out." },
	{ .name = "metastore_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "The workspace's metastore." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "<metastore_id>|<name>." },
	TFP_ATTR_END
};
/* clang-format on */

static const char *const conn_create_fields[] = {
	"name", "connection_type", "options", "properties", "comment",
	"read_only", NULL};
static const char *const conn_update_fields[] = {"options", NULL};
static const char *const conn_folded[] = {"name", NULL};

/* The options the workspace never answers. */
static const char *const conn_secrets[] = {
	"user",		"password",	 "personalAccessToken",
	"access_token", "client_secret", "OAuthPvtKey",
	"GoogleServiceAccountKeyJson", NULL};

/* --- hooks ---------------------------------------------------------------- */

static bool conn_is_secret(const char *key)
{
	const char *const *s;

	for (s = conn_secrets; *s; s++)
		if (strcmp(*s, key) == 0)
			return true;
	return false;
}

/* The read's options plus the prior state's secrets it does not answer. */
static void conn_normalize(struct tfp_call *call, struct tfp_value *state,
			   const struct tfp_value *prior)
{
	const struct tfp_value *got = tfp_value_get(state, "options");
	const struct tfp_value *had =
		prior ? tfp_value_get(prior, "options") : NULL;
	struct tfp_value *merged;
	size_t n = 0, i, extra = 0;

	if (!had || !tfp_value_is_known(had))
		return;
	for (i = 0; i < had->u.coll.n; i++)
		if (conn_is_secret(had->u.coll.keys[i]) &&
		    !tfp_value_map_has(got, had->u.coll.keys[i]))
			extra++;
	if (extra == 0)
		return;
	merged = tfp_value_collection(
		call->arena, &tfp_type_map_string,
		(tfp_value_is_known(got) ? got->u.coll.n : 0) + extra);
	if (got && tfp_value_is_known(got))
		for (i = 0; i < got->u.coll.n; i++, n++) {
			merged->u.coll.keys[n] = got->u.coll.keys[i];
			merged->u.coll.items[n] = got->u.coll.items[i];
		}
	for (i = 0; i < had->u.coll.n; i++)
		if (conn_is_secret(had->u.coll.keys[i]) &&
		    !tfp_value_map_has(got, had->u.coll.keys[i])) {
			merged->u.coll.keys[n] = had->u.coll.keys[i];
			merged->u.coll.items[n] = had->u.coll.items[i];
			n++;
		}
	merged->u.coll.n = n;
	tfp_value_set(state, "options", merged);
}

/* A create's metastore: the workspace's, so that the id is known. */
static int conn_modify_plan(struct tfp_call *call,
			    const struct tfp_value *prior,
			    const struct tfp_value *config,
			    struct tfp_value *plan)
{
	const struct tfp_value *ms;
	cJSON *reply = NULL;
	const char *id, *name;
	int error;

	(void)config;
	if (!plan || !tfp_value_is_known(plan) ||
	    (prior && tfp_value_is_known(prior)))
		return TFP_OK;
	ms = tfp_value_get(plan, "metastore_id");
	if (tfp_value_is_known(ms))
		return TFP_OK;
	error = tfp_rest_call(&reply, call, "GET",
			      TFP_UC_API "/metastore_summary", NULL, NULL,
			      TFP_REST_CACHE);
	if (error < 0)
		return error;
	id = tfp_json_string(reply, "metastore_id");
	if (!id)
		return TFP_OK;
	tfp_value_set_string(call->arena, plan, "metastore_id", id);
	name = tfp_value_get_string(plan, "name");
	if (name)
		tfp_value_set_string(call->arena, plan, "id",
				     tfp_arena_printf(call->arena, "%s|%s", id,
						      name));
	return TFP_OK;
}

/* --- the resource --------------------------------------------------------- */

/* clang-format off */
static const struct tfp_rres conn_rres = {
	.what = "connection",
	.attrs = conn_attrs,
	.id = "{metastore_id}|{name}",
	.import_form = "<metastore_id>|<name>",
	.create = { .path = TFP_UC_API "/connections" },
	.read = { .path = TFP_UC_API "/connections/{name}" },
	.update = { .path = TFP_UC_API "/connections/{name}" },
	.del = { .path = TFP_UC_API "/connections/{name}" },
	.create_fields = conn_create_fields,
	.update_mode = TFP_RRES_PATCH,
	.update_fields = conn_update_fields,
	.owner_field = "owner",
	.folded = conn_folded,
	.create_answers_object = true,
	.normalize = conn_normalize,
	.modify_plan = conn_modify_plan,
};
/* clang-format on */

const struct tfp_resource tfp_resource_connection = {
	.type_name = "databricks_connection",
	.attrs = conn_attrs,
	.desc = "A Unity Catalog connection to an external database "
		"(Lakehouse Federation). Options and owner change in place.",
	TFP_RRES_HANDLERS,
	.update = tfp_rres_update,
	.data = &conn_rres,
};
