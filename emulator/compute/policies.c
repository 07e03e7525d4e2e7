/*
 * Cluster Policies API 2.0 (/api/2.0/policies/clusters/...): enough of it for
 * clusters to be created under a policy that adds tags and settings.
 *
 *   POST create {name, definition, description}  -> {policy_id}
 *   POST edit   {policy_id, name, definition, description}
 *   POST delete {policy_id}
 *   GET  get?policy_id=                           -> the policy
 *   GET  list                                     -> {policies, total_count}
 *
 * A definition is a JSON object in a string, as on the real service:
 * {"custom_tags.team": {"type": "fixed", "value": "finance"}, ...}. The
 * clusters module asks emu_policies_fixed_maps() for the "fixed" values of
 * custom_tags.*, spark_conf.* and spark_env_vars.*: a cluster created or
 * edited under the policy shows them in its custom_tags / spark_conf /
 * spark_env_vars (a number or boolean as its text), but not in its "spec"
 * (what the user asked for). That is the behaviour behind the official
 * provider's issue #3653 (a policy tag read back as drift), which clients
 * must tolerate. Other rule types are stored and returned but not
 * enforced.
 *
 * Errors: a missing policy is 400 INVALID_PARAMETER_VALUE "Can't find a
 * cluster policy with id: <id>." (our wording), a duplicate name 400
 * INVALID_PARAMETER_VALUE, a definition that is not a JSON object 400
 * INVALID_PARAMETER_VALUE.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "policies.h"
#include "util.h"
#include "workspace.h"

/* Beyond this the workspace is being abused, not used. */
#define POLICIES_MAX 1000
#define POLICY_DEFINITION_MAX (64 * 1024)

struct policy {
	char *id;
	char *name;
	char *definition; /* the JSON text as given */
	char *description;
	int64_t created_ms;
};

struct policies_state {
	struct policy *items;
	size_t n;
	uint64_t next; /* for ids */
};

/* Defined at the end of this file; the cluster handlers reach the
 * policies through it (policies.h). */
extern const struct emu_module emu_module_policies;

static struct policies_state *policies_of(struct emu_workspace *ws)
{
	return emu_workspace_state(ws, &emu_module_policies);
}

static struct policy *policy_find(struct policies_state *s, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < s->n; i++)
		if (strcmp(s->items[i].id, id) == 0)
			return &s->items[i];
	return NULL;
}

static void policy_dispose(struct policy *p)
{
	free(p->id);
	free(p->name);
	free(p->definition);
	free(p->description);
}

/* The definition as an object, or NULL after a 400 in resp. */
static cJSON *policy_parse(const char *text, struct emu_response *resp)
{
	cJSON *def;

	if (strlen(text) > POLICY_DEFINITION_MAX) {
		emu_error_invalid(resp, "The policy definition is longer than "
					"%d bytes.",
				  POLICY_DEFINITION_MAX);
		return NULL;
	}
	def = cJSON_Parse(text);
	if (!cJSON_IsObject(def)) {
		cJSON_Delete(def);
		emu_error_invalid(resp, "The policy definition is not a valid "
					"JSON object.");
		return NULL;
	}
	return def;
}

static cJSON *policy_json(const struct policy *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "policy_id", p->id);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "definition", p->definition);
	if (p->description != NULL)
		cJSON_AddStringToObject(o, "description", p->description);
	emu_json_add_int64(o, "created_at_timestamp", p->created_ms);
	cJSON_AddStringToObject(o, "creator_user_name", "admin@example.com");
	cJSON_AddBoolToObject(o, "is_default", false);
	return o;
}

static bool policy_name_taken(const struct policies_state *s,
			      const char *name, const char *except_id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (emu_strcaseeq(s->items[i].name, name) &&
		    (except_id == NULL ||
		     strcmp(s->items[i].id, except_id) != 0))
			return true;
	return false;
}

/* Reads and checks name, definition and description for create/edit. */
static int policy_args(const char **name, const char **def,
		       const char **desc, struct emu_request *req,
		       struct emu_response *resp, const char *except_id)
{
	struct policies_state *s = policies_of(req->ws);
	cJSON *parsed;

	if (emu_arg_string(name, req, resp, "name", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(def, req, resp, "definition", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_string(desc, req, resp, "description", EMU_ARG_OPTIONAL) <
		    0)
		return -1;
	if ((*name)[0] == '\0' || strlen(*name) > 100)
		return emu_error_invalid(resp, "The policy name must have 1 to "
					       "100 characters.");
	if (policy_name_taken(s, *name, except_id))
		return emu_error_invalid(resp,
					 "Cluster policy with name '%s' "
					 "already exists.",
					 *name);
	if (*def == NULL)
		*def = "{}";
	parsed = policy_parse(*def, resp);
	if (parsed == NULL)
		return -1;
	cJSON_Delete(parsed);
	return 0;
}

static void policies_create(struct emu_request *req, struct emu_response *resp)
{
	struct policies_state *s = policies_of(req->ws);
	const char *name, *def, *desc;
	struct policy *p;
	cJSON *body;

	if (policy_args(&name, &def, &desc, req, resp, NULL) < 0)
		return;
	if (s->n >= POLICIES_MAX) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "A workspace has at most %d cluster policies.",
			  POLICIES_MAX);
		return;
	}
	s->items = emu_xrealloc(s->items, (s->n + 1) * sizeof(*s->items));
	p = &s->items[s->n++];
	/* Real ids are 16 upper-case hex digits. */
	p->id = emu_printf("E0%014" PRIX64, ++s->next);
	p->name = emu_xstrdup(name);
	p->definition = emu_xstrdup(def);
	p->description = desc != NULL ? emu_xstrdup(desc) : NULL;
	p->created_ms = emu_workspace_now_ms(req->ws);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "policy_id", p->id);
	emu_response_json(resp, 200, body);
}

/* The policy named by argument policy_id, or NULL after an error. */
static struct policy *policy_arg(struct emu_request *req,
				 struct emu_response *resp)
{
	const char *id;
	struct policy *p;

	if (emu_arg_string(&id, req, resp, "policy_id", EMU_ARG_REQUIRED) < 0)
		return NULL;
	p = policy_find(policies_of(req->ws), id);
	if (p == NULL)
		emu_error_invalid(resp, "Can't find a cluster policy with id: "
					"%s.",
				  id);
	return p;
}

static void policies_edit(struct emu_request *req, struct emu_response *resp)
{
	struct policy *p = policy_arg(req, resp);
	const char *name, *def, *desc;

	if (p == NULL || policy_args(&name, &def, &desc, req, resp, p->id) < 0)
		return;
	free(p->name);
	free(p->definition);
	free(p->description);
	p->name = emu_xstrdup(name);
	p->definition = emu_xstrdup(def);
	p->description = desc != NULL ? emu_xstrdup(desc) : NULL;
}

static void policies_delete(struct emu_request *req, struct emu_response *resp)
{
	struct policies_state *s = policies_of(req->ws);
	struct policy *p = policy_arg(req, resp);
	size_t i;

	if (p == NULL)
		return;
	i = (size_t)(p - s->items);
	policy_dispose(p);
	memmove(&s->items[i], &s->items[i + 1],
		(s->n - i - 1) * sizeof(*s->items));
	s->n--;
}

static void policies_get(struct emu_request *req, struct emu_response *resp)
{
	struct policy *p = policy_arg(req, resp);

	if (p != NULL)
		emu_response_json(resp, 200, policy_json(p));
}

static void policies_list(struct emu_request *req, struct emu_response *resp)
{
	struct policies_state *s = policies_of(req->ws);
	cJSON *body = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(body, "policies");
	size_t i;

	for (i = 0; i < s->n; i++)
		cJSON_AddItemToArray(arr, policy_json(&s->items[i]));
	emu_json_add_int64(body, "total_count", (int64_t)s->n);
	emu_response_json(resp, 200, body);
}

/* --- what clusters use ---------------------------------------------------- */

bool emu_policies_exists(struct emu_workspace *ws, const char *policy_id)
{
	return policy_find(policies_of(ws), policy_id) != NULL;
}

/*
 * A fixed rule's value as the string a cluster's map shows (malloc'd), or
 * NULL for a value no map can hold. Policies may fix a number or boolean
 * ("spark_conf.x": {"type": "fixed", "value": 2}); the workspace shows it
 * as text, an exact integer without a fraction ("2", not "2.0").
 */
static char *fixed_text(const cJSON *value)
{
	int64_t v;
	char *text;

	if (cJSON_IsString(value))
		return emu_xstrdup(value->valuestring);
	if (cJSON_IsBool(value))
		return emu_xstrdup(cJSON_IsTrue(value) ? "true" : "false");
	if (!cJSON_IsNumber(value))
		return NULL;
	if (emu_json_get_int64(&v, value) == 0)
		return emu_printf("%" PRId64, v);
	/* Other numbers: 15 significant digits when they read back as the
	 * same double (0.1 stays "0.1"), else 17, which always do. */
	text = emu_printf("%.15g", value->valuedouble);
	if (strtod(text, NULL) != value->valuedouble) {
		free(text);
		text = emu_printf("%.17g", value->valuedouble);
	}
	return text;
}

cJSON *emu_policies_fixed_maps(struct emu_workspace *ws,
			       const char *policy_id)
{
	static const char *const maps[] = {"custom_tags", "spark_conf",
					   "spark_env_vars"};
	struct policy *p = policy_find(policies_of(ws), policy_id);
	cJSON *def, *out, *rule;
	size_t i;

	if (p == NULL)
		return NULL;
	def = cJSON_Parse(p->definition);
	out = cJSON_CreateObject();
	cJSON_ArrayForEach(rule, def)
	{
		const char *type = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(rule, "type"));
		const cJSON *value = cJSON_GetObjectItemCaseSensitive(rule,
								      "value");
		char *text;

		if (type == NULL || strcmp(type, "fixed") != 0)
			continue;
		text = fixed_text(value);
		if (text == NULL)
			continue;
		for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
			size_t n = strlen(maps[i]);
			cJSON *m;

			if (strncmp(rule->string, maps[i], n) != 0 ||
			    rule->string[n] != '.' || rule->string[n + 1] == '\0')
				continue;
			m = cJSON_GetObjectItemCaseSensitive(out, maps[i]);
			if (m == NULL)
				m = cJSON_AddObjectToObject(out, maps[i]);
			cJSON_DeleteItemFromObjectCaseSensitive(
				m, rule->string + n + 1);
			cJSON_AddStringToObject(m, rule->string + n + 1, text);
		}
		free(text);
	}
	cJSON_Delete(def);
	return out;
}

/* --- state ---------------------------------------------------------------- */

static void *policies_state_new(void)
{
	return emu_xcalloc(1, sizeof(struct policies_state));
}

static void policies_state_free(void *state)
{
	struct policies_state *s = state;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		policy_dispose(&s->items[i]);
	free(s->items);
	free(s);
}

static cJSON *policies_state_save(const void *state)
{
	const struct policies_state *s = state;
	cJSON *o = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(o, "policies");
	size_t i;

	emu_json_add_int64(o, "next", (int64_t)s->next);
	for (i = 0; i < s->n; i++)
		cJSON_AddItemToArray(arr, policy_json(&s->items[i]));
	return o;
}

static int policies_state_load(void *state, const cJSON *json, char *err,
			       size_t errlen)
{
	struct policies_state *s = state;
	const cJSON *item;
	int64_t next = 0;

	if (emu_json_get_int64(&next, cJSON_GetObjectItemCaseSensitive(
					      json, "next")) < 0 ||
	    next < 0) {
		snprintf(err, errlen, "policies: bad \"next\"");
		return -1;
	}
	s->next = (uint64_t)next;
	cJSON_ArrayForEach(item,
			   cJSON_GetObjectItemCaseSensitive(json, "policies"))
	{
		const char *id = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(item, "policy_id"));
		const char *name = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(item, "name"));
		const char *def = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(item, "definition"));
		const char *desc = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(item, "description"));
		int64_t created = 0;
		struct policy *p;

		if (id == NULL || name == NULL || def == NULL ||
		    s->n >= POLICIES_MAX ||
		    emu_json_get_int64(&created,
				       cJSON_GetObjectItemCaseSensitive(
					       item, "created_at_timestamp")) <
			    0) {
			snprintf(err, errlen, "policies: a malformed policy");
			return -1;
		}
		s->items = emu_xrealloc(s->items,
					(s->n + 1) * sizeof(*s->items));
		p = &s->items[s->n++];
		p->id = emu_xstrdup(id);
		p->name = emu_xstrdup(name);
		p->definition = emu_xstrdup(def);
		p->description = desc != NULL ? emu_xstrdup(desc) : NULL;
		p->created_ms = created;
	}
	return 0;
}

#define POLICIES_API "/api/2.0/policies/clusters/"

/* clang-format off */
static const struct emu_route policies_routes[] = {
	{.method = "POST", .pattern = POLICIES_API "create", .handler = policies_create},
	{.method = "POST", .pattern = POLICIES_API "edit", .handler = policies_edit},
	{.method = "POST", .pattern = POLICIES_API "delete", .handler = policies_delete},
	{.method = "GET", .pattern = POLICIES_API "get", .handler = policies_get},
	{.method = "GET", .pattern = POLICIES_API "list", .handler = policies_list},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_policies = {
	.name = "policies",
	.routes = policies_routes,
	.state_new = policies_state_new,
	.state_free = policies_state_free,
	.state_save = policies_state_save,
	.state_load = policies_state_load,
};
