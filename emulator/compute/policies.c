/*
 * Cluster Policies API 2.0 (/api/2.0/policies/clusters/...) and policy
 * families (/api/2.0/policy-families), declared on the object store
 * (core/store.h): the store does create, get, list, edit, delete, field
 * checks and --state; this file says what a policy looks like and adds
 * what only policies do.
 *
 *   POST create {name, definition, description, max_clusters_per_user,
 *                policy_family_id, policy_family_definition_overrides,
 *                libraries}                        -> {policy_id}
 *   POST edit   {policy_id, name, ...}             full replace
 *   POST delete {policy_id}
 *   GET  get?policy_id=                            -> the policy
 *   GET  list                                      -> {policies, total_count}
 *   GET  /api/2.0/policy-families                  -> {policy_families,
 *                                                      next_page_token}
 *   GET  /api/2.0/policy-families/{policy_family_id}
 *
 * A definition is a JSON object in a string, as on the real service:
 * {"custom_tags.team": {"type": "fixed", "value": "finance"}, ...}. A
 * policy made from a family (policy_family_id) takes the family's
 * definition with policy_family_definition_overrides merged over it (rule
 * by rule), and may then not give a definition of its own. The clusters
 * module asks emu_policies_fixed_maps() for the "fixed" values of
 * custom_tags.*, spark_conf.* and spark_env_vars.*: a cluster created or
 * edited under the policy shows them in its custom_tags / spark_conf /
 * spark_env_vars (a number or boolean as its text), but not in its "spec"
 * (what the user asked for). That is the behaviour behind the official
 * provider's issue #3653 (a policy tag read back as drift), which clients
 * must tolerate. Other rule types are stored and returned but not
 * enforced.
 *
 * Errors: a missing policy is 404 RESOURCE_DOES_NOT_EXIST "Can't find a
 * cluster policy with id: <id>." from get (as a workspace answers it), 400
 * INVALID_PARAMETER_VALUE with the same words from edit and delete and for
 * a cluster that names it (not checked against a workspace), a duplicate
 * name 400
 * INVALID_PARAMETER_VALUE, a definition that is not a JSON object 400
 * INVALID_PARAMETER_VALUE; a missing family is 404 RESOURCE_DOES_NOT_EXIST.
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
#include "store.h"
#include "util.h"
#include "workspace.h"

#define POLICY_DEFINITION_MAX (64 * 1024)

/* The policies (saved with --state) and the built-in family catalogue. */
struct policies_state {
	struct emu_store *policies;
	struct emu_store *families;
};

/* Defined at the end of this file; the cluster handlers reach the
 * policies through it (policies.h). */
extern const struct emu_module emu_module_policies;

static struct policies_state *policies_of(struct emu_workspace *ws)
{
	return emu_workspace_state(ws, &emu_module_policies);
}

/* --- definitions -------------------------------------------------------- */

/* text as a definition object, or NULL after a 400 in resp. */
static cJSON *definition_parse(const char *text, const char *what,
			       struct emu_response *resp)
{
	cJSON *def;

	if (strlen(text) > POLICY_DEFINITION_MAX) {
		emu_error_invalid(resp, "The %s is longer than %d bytes.", what,
				  POLICY_DEFINITION_MAX);
		return NULL;
	}
	def = cJSON_Parse(text);
	if (!cJSON_IsObject(def)) {
		cJSON_Delete(def);
		emu_error_invalid(resp, "The %s is not a valid JSON object.",
				  what);
		return NULL;
	}
	return def;
}

/* Sets the definition of a family policy: the family's, with the
 * overrides' rules replacing or adding rules of the same name. */
static int definition_from_family(cJSON *rec, const cJSON *family,
				  struct emu_response *resp)
{
	const char *overrides =
		emu_json_str(rec, "policy_family_definition_overrides");
	cJSON *def, *over = NULL, *rule;
	char *text;

	def = cJSON_Parse(emu_json_str(family, "definition"));
	if (overrides) {
		over = definition_parse(
			overrides, "policy family definition override", resp);
		if (!over) {
			cJSON_Delete(def);
			return -1;
		}
	}
	cJSON_ArrayForEach(rule, over)
	{
		cJSON_DeleteItemFromObjectCaseSensitive(def, rule->string);
		cJSON_AddItemToObject(def, rule->string,
				      cJSON_Duplicate(rule, true));
	}
	text = cJSON_PrintUnformatted(def);
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "definition");
	cJSON_AddStringToObject(rec, "definition", text);
	cJSON_free(text);
	cJSON_Delete(over);
	cJSON_Delete(def);
	return 0;
}

/* --- the policy collection ---------------------------------------------- */

/* Real ids are 16 upper-case hex digits. */
static char *policy_make_id(uint64_t n)
{
	return emu_printf("E0%014" PRIX64, n);
}

static int policy_validate(struct emu_store *st, struct emu_request *req,
			   cJSON *rec, const cJSON *existing,
			   struct emu_response *resp)
{
	const char *name = emu_json_str(rec, "name");
	const char *family_id = emu_json_str(rec, "policy_family_id");
	const cJSON *family, *lib;
	cJSON *def;

	(void)st;
	(void)existing;
	if (name[0] == '\0' || strlen(name) > 100)
		return emu_error_invalid(resp, "The policy name must have 1 to "
					       "100 characters.");
	cJSON_ArrayForEach(lib, emu_json_member(rec, "libraries"))
	{
		if (!cJSON_IsObject(lib))
			return emu_error_field_type(resp, "libraries[]",
						    "an object",
						    emu_json_type_name(lib));
	}
	if (family_id) {
		family = emu_store_find(policies_of(req->ws)->families,
					family_id);
		if (!family)
			return emu_error_invalid(resp,
						 "Policy family %s does not "
						 "exist.",
						 family_id);
		if (emu_json_member(rec, "definition"))
			return emu_error_invalid(
				resp, "A policy with a policy_family_id takes "
				      "its definition from the family; "
				      "definition cannot be set.");
		return definition_from_family(rec, family, resp);
	}
	if (emu_json_member(rec, "policy_family_definition_overrides"))
		return emu_error_invalid(resp,
					 "policy_family_definition_overrides "
					 "needs a policy_family_id.");
	if (!emu_json_member(rec, "definition"))
		cJSON_AddStringToObject(rec, "definition", "{}");
	def = definition_parse(emu_json_str(rec, "definition"),
			       "policy definition", resp);
	cJSON_Delete(def);
	return def ? 0 : -1;
}

static void policy_on_create(struct emu_store *st, struct emu_request *req,
			     cJSON *rec)
{
	(void)st;
	emu_json_add_int64(rec, "created_at_timestamp",
			   emu_workspace_now_ms(req->ws));
}

/* clang-format off */
static const struct emu_store_field policy_fields[] = {
	{.name = "name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "definition", .type = EMU_JSON_STRING},
	{.name = "description", .type = EMU_JSON_STRING},
	{.name = "max_clusters_per_user", .type = EMU_JSON_INT},
	{.name = "policy_family_id", .type = EMU_JSON_STRING},
	{.name = "policy_family_definition_overrides", .type = EMU_JSON_STRING},
	{.name = "libraries", .type = EMU_JSON_ARRAY},
	{.name = "created_at_timestamp", .type = EMU_JSON_INT, .flags = EMU_STORE_READ_ONLY},
	{.name = "creator_user_name", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY,
	 .default_json = "\"" EMU_DEFAULT_USER_NAME "\""},
	{.name = "is_default", .type = EMU_JSON_BOOL, .flags = EMU_STORE_READ_ONLY,
	 .default_json = "false"},
};
/* clang-format on */

static const struct emu_store_decl policy_decl = {
	.name = "policies",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "policy_id",
	.make_id = policy_make_id,
	.fields = policy_fields,
	.nfields = EMU_ARRAY_SIZE(policy_fields),
	.missing = {.status = 400,
		    .code = "INVALID_PARAMETER_VALUE",
		    .before = "Can't find a cluster policy with id: ",
		    .after = "."},
	.unique_field = "name",
	.unique_nocase = true,
	.duplicate = {.status = 400,
		      .code = "INVALID_PARAMETER_VALUE",
		      .before = "Cluster policy with name '",
		      .after = "' already exists."},
	.max_items = 1000,
	.limit = {.status = 400,
		  .code = "QUOTA_EXCEEDED",
		  .before = "A workspace has at most ",
		  .after = " cluster policies."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "policies",
	.total_field = "total_count",
	.hooks = {.validate = policy_validate, .on_create = policy_on_create},
};

/* --- the family catalogue ----------------------------------------------- */

/* clang-format off */
static const struct emu_store_field family_fields[] = {
	{.name = "name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "description", .type = EMU_JSON_STRING},
	{.name = "definition", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
};
/* clang-format on */

static const struct emu_store_decl family_decl = {
	.name = "policy_families",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "policy_family_id",
	.fields = family_fields,
	.nfields = EMU_ARRAY_SIZE(family_fields),
	.missing = {.before = "Policy family ", .after = " does not exist."},
	.list_style = EMU_STORE_LIST_TOKEN,
	.items_field = "policy_families",
	.page_default = 20,
	.page_max = 100,
};

/*
 * The families a workspace offers, after the real catalogue's ids and
 * purposes; the definitions are shortened to the rules clients look at.
 */
static const struct {
	const char *id, *name, *description, *definition;
} families[] = {
	{"personal-vm", "Personal Compute",
	 "Use with small-to-medium data or libraries like pandas and "
	 "scikit-learn.",
	 "{\"spark_conf.spark.databricks.cluster.profile\":{\"type\":"
	 "\"fixed\",\"value\":\"singleNode\",\"hidden\":true},"
	 "\"num_workers\":{\"type\":\"fixed\",\"value\":0,\"hidden\":true},"
	 "\"data_security_mode\":{\"type\":\"allowlist\",\"values\":"
	 "[\"SINGLE_USER\",\"LEGACY_SINGLE_USER\"]}}"},
	{"shared-compute", "Shared Compute",
	 "Share compute between users in isolated sessions.",
	 "{\"data_security_mode\":{\"type\":\"fixed\",\"value\":"
	 "\"USER_ISOLATION\",\"hidden\":true},"
	 "\"autotermination_minutes\":{\"type\":\"range\",\"maxValue\":120,"
	 "\"defaultValue\":60}}"},
	{"job-cluster", "Job Compute", "Compute for jobs.",
	 "{\"cluster_type\":{\"type\":\"fixed\",\"value\":\"job\"},"
	 "\"spark_version\":{\"type\":\"unlimited\",\"defaultValue\":"
	 "\"auto:latest-lts\"}}"},
	{"power-user", "Power User Compute",
	 "Multi-node compute for data scientists and engineers.",
	 "{\"cluster_type\":{\"type\":\"fixed\",\"value\":\"all-purpose\"},"
	 "\"autotermination_minutes\":{\"type\":\"range\",\"maxValue\":240,"
	 "\"defaultValue\":120},\"data_security_mode\":{\"type\":"
	 "\"allowlist\",\"values\":[\"SINGLE_USER\",\"USER_ISOLATION\"]}}"},
};

/* --- handlers ----------------------------------------------------------- */

static void policies_create(struct emu_request *req, struct emu_response *resp)
{
	emu_store_create(policies_of(req->ws)->policies, req, resp);
}

static void policies_edit(struct emu_request *req, struct emu_response *resp)
{
	emu_store_update(policies_of(req->ws)->policies, req, resp);
}

static void policies_delete(struct emu_request *req, struct emu_response *resp)
{
	emu_store_delete(policies_of(req->ws)->policies, req, resp);
}

/* A workspace answers a get of a missing policy with 404
 * RESOURCE_DOES_NOT_EXIST (the Databricks SDK's logs in databrickslabs/ucx
 * issue 502); edit and delete keep the store's 400. */
static void policies_get(struct emu_request *req, struct emu_response *resp)
{
	struct emu_store *st = policies_of(req->ws)->policies;
	const char *id;

	if (emu_arg_string(&id, req, resp, "policy_id", EMU_ARG_REQUIRED) < 0)
		return;
	if (emu_store_find(st, id) == NULL) {
		emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
			  "Can't find a cluster policy with id: %s.", id);
		return;
	}
	emu_store_get(st, req, resp);
}

static void policies_list(struct emu_request *req, struct emu_response *resp)
{
	emu_store_list(policies_of(req->ws)->policies, req, resp);
}

static void families_list(struct emu_request *req, struct emu_response *resp)
{
	emu_store_list(policies_of(req->ws)->families, req, resp);
}

static void families_get(struct emu_request *req, struct emu_response *resp)
{
	emu_store_get(policies_of(req->ws)->families, req, resp);
}

/* --- what clusters use -------------------------------------------------- */

bool emu_policies_exists(struct emu_workspace *ws, const char *policy_id)
{
	return emu_store_find(policies_of(ws)->policies, policy_id) != NULL;
}

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

cJSON *emu_policies_fixed_maps(struct emu_workspace *ws, const char *policy_id)
{
	static const char *const maps[] = {"custom_tags", "spark_conf",
					   "spark_env_vars"};
	const cJSON *p = emu_store_find(policies_of(ws)->policies, policy_id);
	cJSON *def, *out, *rule;
	size_t i;

	if (p == NULL)
		return NULL;
	def = cJSON_Parse(emu_json_str(p, "definition"));
	out = cJSON_CreateObject();
	cJSON_ArrayForEach(rule, def)
	{
		const char *type = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(rule, "type"));
		const cJSON *value =
			cJSON_GetObjectItemCaseSensitive(rule, "value");
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
			    rule->string[n] != '.' ||
			    rule->string[n + 1] == '\0')
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

/* --- state -------------------------------------------------------------- */

static void *policies_state_new(void)
{
	struct policies_state *s = emu_xcalloc(1, sizeof(*s));
	size_t i;

	s->policies = emu_store_new(&policy_decl);
	s->families = emu_store_new(&family_decl);
	for (i = 0; i < EMU_ARRAY_SIZE(families); i++) {
		cJSON *f = cJSON_CreateObject();

		cJSON_AddStringToObject(f, "policy_family_id", families[i].id);
		cJSON_AddStringToObject(f, "name", families[i].name);
		cJSON_AddStringToObject(f, "description",
					families[i].description);
		cJSON_AddStringToObject(f, "definition",
					families[i].definition);
		emu_store_insert(s->families, f);
	}
	return s;
}

static void policies_state_free(void *state)
{
	struct policies_state *s = state;

	if (s == NULL)
		return;
	emu_store_free(s->policies);
	emu_store_free(s->families);
	free(s);
}

/* Only the policies are saved: the families are built in. */
static cJSON *policies_state_save(const void *state)
{
	const struct policies_state *s = state;

	return emu_store_save(s->policies);
}

static int policies_state_load(void *state, const cJSON *json, char *err,
			       size_t errlen)
{
	struct policies_state *s = state;

	return emu_store_load(s->policies, json, err, errlen);
}

#define POLICIES_API "/api/2.0/policies/clusters/"

/* clang-format off */
static const struct emu_route policies_routes[] = {
	{.method = "POST", .pattern = POLICIES_API "create", .handler = policies_create},
	{.method = "POST", .pattern = POLICIES_API "edit", .handler = policies_edit},
	{.method = "POST", .pattern = POLICIES_API "delete", .handler = policies_delete},
	{.method = "GET", .pattern = POLICIES_API "get", .handler = policies_get},
	{.method = "GET", .pattern = POLICIES_API "list", .handler = policies_list},
	{.method = "GET", .pattern = "/api/2.0/policy-families", .handler = families_list},
	{.method = "GET", .pattern = "/api/2.0/policy-families/{policy_family_id}", .handler = families_get},
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
