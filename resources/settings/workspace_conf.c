/*
 * databricks_workspace_conf: workspace configuration keys
 * (enableIpAccessLists, enableTokensConfig, maxTokenLifetimeDays, ...).
 *
 * REST: GET /api/2.0/workspace-conf?keys=a,b; PATCH /api/2.0/workspace-conf
 * {"a": "true"}.
 *
 * Quirks that explain the code:
 *  - The configuration is a bag of keys the workspace always has: only the
 *    keys custom_config names are managed. Read asks for those alone (a
 *    key the configuration does not name is never read into the state,
 *    nor written), and keeps the values as the workspace keeps them:
 *    strings, "true"/"false" for flags.
 *  - A key the workspace does not know is refused (400) at apply; the
 *    diagnostic quotes the workspace's message.
 *  - Create and update are the same PATCH. A key removed from the
 *    configuration is set back as the official provider does: "false"
 *    when its value was a boolean, else "". Delete does the same for the
 *    keys whose names start with "enable" or "enforce" and leaves the
 *    others as they are.
 *  - The id is "_". The official resource cannot be imported, so neither
 *    can this one: there is no way to know which keys to manage.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "rest.h"
#include "schema.h"
#include "settings_internal.h"

#define CONF_API "/api/2.0/workspace-conf"

/* --- schema --------------------------------------------------------------- */

/* clang-format off */
static const struct tfp_attr conf_attrs[] = {
	{ .name = "custom_config", .type = &tfp_type_map_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The keys to manage and their values, as strings: "
		  "\"true\"/\"false\" for flags." },
	{ .name = "id", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED | TFP_NO_JSON,
	  .plan = TFP_PLAN_USE_STATE_FOR_UNKNOWN,
	  .desc = "Always \"_\"." },
	TFP_ATTR_END
};
/* clang-format on */

/* --- pure functions ------------------------------------------------------- */

bool tfp_settings__conf_is_bool(const char *s)
{
	static const char *const words[] = {
		"1", "t", "T",	   "TRUE",  "true",  "True", "0",
		"f", "F", "FALSE", "false", "False", NULL};
	size_t i;

	for (i = 0; s != NULL && words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

/* The value a key is reset to. */
static const char *conf_reset_value(const struct tfp_value *v)
{
	const char *s = tfp_value_is_known(v) ? v->u.str : NULL;

	return tfp_settings__conf_is_bool(s) ? "false" : "";
}

/* The keys of a known map, sorted and comma-joined (in the arena); NULL
 * when there are none. */
static int conf_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *conf_keys(struct tfp_arena *a, const struct tfp_value *map)
{
	const char **keys;
	char *out, *p;
	size_t i, n, len = 0;

	if (!tfp_value_is_known(map) || map->u.coll.n == 0)
		return NULL;
	n = map->u.coll.n;
	keys = tfp_arena_alloc(a, n * sizeof(*keys));
	for (i = 0; i < n; i++) {
		keys[i] = map->u.coll.keys[i];
		len += strlen(keys[i]) + 1;
	}
	qsort(keys, n, sizeof(*keys), conf_cmp);
	out = p = tfp_arena_alloc(a, len);
	for (i = 0; i < n; i++) {
		size_t l = strlen(keys[i]);

		memcpy(p, keys[i], l);
		p += l;
		*p++ = i + 1 < n ? ',' : '\0';
	}
	return out;
}

/* --- handlers ------------------------------------------------------------- */

static int conf_patch(struct tfp_call *call, cJSON *body)
{
	tfp_arena_defer_json(call->arena, body);
	if (body->child == NULL)
		return TFP_OK;
	return tfp_rest_call(NULL, call, "PATCH", CONF_API, NULL, body,
			     TFP_REST_IDEMPOTENT);
}

/* Writes plan's keys, and resets those of prior that plan dropped. */
static int conf_write(struct tfp_value **out, struct tfp_call *call,
		      const struct tfp_value *prior,
		      const struct tfp_value *plan)
{
	const struct tfp_value *old = tfp_value_get(prior, "custom_config");
	const struct tfp_value *new = tfp_value_get(plan, "custom_config");
	cJSON *body = cJSON_CreateObject();
	size_t i;
	int error;

	for (i = 0; tfp_value_is_known(new) && i < new->u.coll.n; i++) {
		const struct tfp_value *v = new->u.coll.items[i];

		cJSON_AddStringToObject(body, new->u.coll.keys[i],
					tfp_value_is_known(v) ? v->u.str : "");
	}
	for (i = 0; tfp_value_is_known(old) && i < old->u.coll.n; i++) {
		const char *key = old->u.coll.keys[i];

		if (!tfp_value_map_has(new, key))
			cJSON_AddStringToObject(
				body, key,
				conf_reset_value(old->u.coll.items[i]));
	}
	error = conf_patch(call, body);
	if (error < 0)
		return error;
	*out = tfp_value_copy(call->arena, plan);
	tfp_value_set_string(call->arena, *out, "id", "_");
	return TFP_OK;
}

static int conf_create(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *plan)
{
	return conf_write(out, call, NULL, plan);
}

static int conf_update(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_value *prior,
		       const struct tfp_value *plan)
{
	return conf_write(out, call, prior, plan);
}

static int conf_read(struct tfp_value **out, struct tfp_call *call,
		     const struct tfp_value *prior)
{
	const struct tfp_value *old = tfp_value_get(prior, "custom_config");
	const char *keys = conf_keys(call->arena, old);
	struct tfp_query q[] = {{"keys", keys}, {NULL, NULL}};
	struct tfp_value *map;
	cJSON *json = NULL;
	size_t i;
	int error;

	*out = tfp_value_copy(call->arena, prior);
	if (keys == NULL)
		return TFP_OK;
	error = tfp_rest_call(&json, call, "GET", CONF_API, q, NULL, 0);
	if (error < 0)
		return error;
	map = tfp_value_collection(call->arena, old->type, old->u.coll.n);
	for (i = 0; i < old->u.coll.n; i++) {
		const char *v = tfp_json_string(json, old->u.coll.keys[i]);

		map->u.coll.keys[i] = old->u.coll.keys[i];
		/* A key the workspace holds no value for reads as "", as
		 * the official provider stores it. */
		map->u.coll.items[i] =
			tfp_value_string(call->arena, v ? v : "");
	}
	tfp_value_set(*out, "custom_config", map);
	return TFP_OK;
}

static int conf_delete(struct tfp_call *call, const struct tfp_value *prior)
{
	const struct tfp_value *old = tfp_value_get(prior, "custom_config");
	cJSON *body = cJSON_CreateObject();
	size_t i;

	for (i = 0; tfp_value_is_known(old) && i < old->u.coll.n; i++) {
		const char *key = old->u.coll.keys[i];

		/* Only flags are reset, as the official provider does: a
		 * value such as maxTokenLifetimeDays stays. */
		if (strncmp(key, "enable", 6) == 0 ||
		    strncmp(key, "enforce", 7) == 0)
			cJSON_AddStringToObject(
				body, key,
				conf_reset_value(old->u.coll.items[i]));
	}
	return conf_patch(call, body);
}

static int conf_import(struct tfp_value **out, struct tfp_call *call,
		       const struct tfp_type *type, const char *id)
{
	(void)out;
	(void)type;
	(void)id;
	return tfp_call_fail(call,
			     "databricks_workspace_conf cannot be imported: "
			     "write the keys to manage in custom_config and "
			     "apply.");
}

/* --- the resource --------------------------------------------------------- */

const struct tfp_resource tfp_resource_workspace_conf = {
	.type_name = "databricks_workspace_conf",
	.attrs = conf_attrs,
	.desc = "Workspace configuration keys such as enableIpAccessLists "
		"and maxTokenLifetimeDays; only the keys of custom_config are "
		"managed.",
	.create = conf_create,
	.read = conf_read,
	.update = conf_update,
	.delete = conf_delete,
	.import = conf_import,
};
