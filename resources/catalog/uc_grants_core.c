/*
 * Unity Catalog grants: what databricks_grants and databricks_grant share
 * (declared in uc_grants_internal.h).
 *
 * REST: GET and PATCH /api/2.1/unity-catalog/permissions/{type}/{name};
 * shares use GET and PATCH /api/2.1/unity-catalog/shares/{name}/permissions.
 *
 * Quirks that explain the code:
 *  - The GET without max_results is the unpaginated variant the SDK calls
 *    deprecated; reads send max_results=0 (the server's page size) and
 *    follow next_page_token.
 *  - The service upper-cases privileges and turns spaces into underscores,
 *    and treats principals without regard to case, keeping one spelling.
 *    Diffs therefore compare normal forms, and the state keeps the
 *    configuration's spelling of anything equivalent.
 *  - A principal whose privileges all go disappears from the list.
 *  - Grants are eventually consistent: after a PATCH the official provider
 *    polls GET for a minute until it sees the result (its comparison is
 *    exact, which fails on case: issues #3654, #4268); so does converge()
 *    here, with normalised comparison.
 *  - The same privilege in "add" and "remove" of one change is a 400, which
 *    a diff never produces.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "log.h"
#include "path.h"
#include "rest.h"
#include "catalog_internal.h"
#include "catalog_internal.h"
#include "wait.h"

#define UCG_CONVERGE_MS	  60000
#define UCG_POLL_FIRST_MS 100
#define UCG_POLL_MAX_MS	  2000

/* --- securables ----------------------------------------------------------- */

/* clang-format off */
const struct tfp_ucg_securable tfp_catalog__grants_securables[] = {
	{ .attr = "catalog", .api_type = "catalog" },
	{ .attr = "schema", .api_type = "schema" },
	{ .attr = "table", .api_type = "table" },
	{ .attr = "volume", .api_type = "volume" },
	{ .attr = "model", .api_type = "function" },
	{ .attr = "function", .api_type = "function" },
	{ .attr = "external_location", .api_type = "external_location" },
	{ .attr = "storage_credential", .api_type = "storage_credential" },
	{ .attr = "credential", .api_type = "credential" },
	{ .attr = "foreign_connection", .api_type = "connection" },
	{ .attr = "metastore", .api_type = "metastore" },
	{ .attr = "share", .api_type = "share", .share = true },
	{ .attr = "recipient", .api_type = "recipient" },
	{ .attr = "pipeline", .api_type = "pipeline" },
};
/* clang-format on */
const size_t tfp_catalog__grants_n_securables =
	TFP_ARRAY_SIZE(tfp_catalog__grants_securables);

const struct tfp_ucg_securable *tfp_catalog__grants_securable(const char *attr)
{
	size_t i;

	for (i = 0; attr != NULL && i < tfp_catalog__grants_n_securables; i++)
		if (strcmp(tfp_catalog__grants_securables[i].attr, attr) == 0)
			return &tfp_catalog__grants_securables[i];
	return NULL;
}

const struct tfp_ucg_securable *
tfp_catalog__grants_target(const char **name, const struct tfp_value *obj)
{
	size_t i;

	*name = NULL;
	for (i = 0; i < tfp_catalog__grants_n_securables; i++) {
		const char *v = tfp_value_get_string(
			obj, tfp_catalog__grants_securables[i].attr);

		if (v != NULL) {
			*name = v;
			return &tfp_catalog__grants_securables[i];
		}
	}
	return NULL;
}

/* "catalog, schema, ... or pipeline", for messages. */
static const char *ucg_attr_list(struct tfp_arena *a)
{
	const char *s = "";
	size_t i, n = tfp_catalog__grants_n_securables;

	for (i = 0; i < n; i++)
		s = tfp_arena_printf(a, "%s%s%s", s,
				     i == 0	  ? ""
				     : i + 1 == n ? " or "
						  : ", ",
				     tfp_catalog__grants_securables[i].attr);
	return s;
}

int tfp_catalog__grants_validate_target(struct tfp_diags *d, struct tfp_arena *a,
				  const struct tfp_value *config)
{
	const char *first = NULL;
	bool unknown = false;
	int error = TFP_OK;
	size_t i;

	for (i = 0; i < tfp_catalog__grants_n_securables; i++) {
		const char *attr = tfp_catalog__grants_securables[i].attr;
		const struct tfp_value *v = tfp_value_get(config, attr);

		if (tfp_value_is_unknown(v))
			unknown = true;
		if (!tfp_value_is_known(v))
			continue;
		if (first == NULL) {
			first = attr;
			continue;
		}
		error = tfp_diag_attr_error(
			d, tfp_path_attr(a, NULL, attr),
			"Conflicting securables",
			"Only one of %s can be set; %s and %s are both set. "
			"Use one resource per securable.",
			ucg_attr_list(a), first, attr);
	}
	if (first == NULL && !unknown)
		error = tfp_diag_error(d, "Missing securable",
				       "Exactly one of %s must be set.",
				       ucg_attr_list(a));
	return error;
}

/* --- privileges and principals -------------------------------------------- */

const char *tfp_catalog__grants_normalize(struct tfp_arena *a, const char *privilege)
{
	char *s = tfp_arena_strdup(a, privilege);
	char *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == ' ')
			*p = '_';
		else if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	}
	return s;
}

bool tfp_catalog__grants_same_principal(const char *x, const char *y)
{
	return x != NULL && y != NULL && strcasecmp(x, y) == 0;
}

int tfp_catalog__grants_validate_privileges(struct tfp_diags *d,
				      const struct tfp_path *path,
				      const struct tfp_value *privileges)
{
	struct tfp_arena *a = d->arena;
	const char **norm;
	size_t i, j, n = privileges->u.coll.n;
	int error = TFP_OK;

	if (n == 0)
		return tfp_diag_attr_error(
			d, path, "No privileges",
			"privileges must list at least one privilege. To "
			"take every privilege away from a principal, remove "
			"its grant.");
	norm = tfp_arena_alloc(a, n * sizeof(*norm));
	for (i = 0; i < n; i++) {
		const struct tfp_value *p = privileges->u.coll.items[i];

		norm[i] = NULL;
		if (!tfp_value_is_known(p))
			continue;
		if (p->u.str[0] == '\0') {
			error = tfp_diag_attr_error(
				d, path, "Empty privilege",
				"A privilege cannot be empty.");
			continue;
		}
		norm[i] = tfp_catalog__grants_normalize(a, p->u.str);
		for (j = 0; j < i; j++) {
			if (norm[j] == NULL || strcmp(norm[i], norm[j]) != 0)
				continue;
			error = tfp_diag_attr_error(
				d, path, "Duplicate privilege",
				"\"%s\" and \"%s\" are the same privilege "
				"(%s): Unity Catalog ignores case and reads "
				"spaces as underscores. List it once.",
				privileges->u.coll.items[j]->u.str, p->u.str,
				norm[i]);
			break;
		}
	}
	return error;
}

/* --- grants and their diff ------------------------------------------------ */

static struct tfp_ucg_assignment *ucg_find(const struct tfp_ucg_grants *g,
					   const char *principal)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (tfp_catalog__grants_same_principal(g->items[i].principal,
						 principal))
			return &g->items[i];
	return NULL;
}

const struct tfp_ucg_assignment *
tfp_catalog__grants_find(const struct tfp_ucg_grants *g, const char *principal)
{
	return ucg_find(g, principal);
}

static bool ucg_has(const struct tfp_ucg_assignment *as, const char *norm)
{
	size_t i;

	for (i = 0; as != NULL && i < as->n; i++)
		if (strcmp(as->privileges[i], norm) == 0)
			return true;
	return false;
}

/* Grows an arena array of elem-sized items to hold one more. */
static void *ucg_grow(struct tfp_arena *a, void *items, size_t n, size_t *cap,
		      size_t elem)
{
	void *bigger;

	if (n < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 4;
	bigger = tfp_arena_alloc(a, *cap * elem);
	if (n > 0)
		memcpy(bigger, items, n * elem);
	return bigger;
}

void tfp_catalog__grants_add(struct tfp_ucg_grants *g, struct tfp_arena *a,
		       const char *principal, const char *privilege)
{
	struct tfp_ucg_assignment *as = ucg_find(g, principal);
	const char *norm;

	if (as == NULL) {
		g->items =
			ucg_grow(a, g->items, g->n, &g->cap, sizeof(*g->items));
		as = &g->items[g->n++];
		memset(as, 0, sizeof(*as));
		as->principal = tfp_arena_strdup(a, principal);
	}
	if (privilege == NULL)
		return;
	norm = tfp_catalog__grants_normalize(a, privilege);
	if (ucg_has(as, norm))
		return;
	as->privileges = ucg_grow(a, as->privileges, as->n, &as->cap,
				  sizeof(*as->privileges));
	as->privileges[as->n++] = norm;
}

/* The privileges of from that to lacks, as a new array in a. */
static size_t ucg_minus(const char ***out, struct tfp_arena *a,
			const struct tfp_ucg_assignment *from,
			const struct tfp_ucg_assignment *to)
{
	size_t i, n = 0;

	*out = NULL;
	if (from == NULL || from->n == 0)
		return 0;
	*out = tfp_arena_alloc(a, from->n * sizeof(**out));
	for (i = 0; i < from->n; i++)
		if (!ucg_has(to, from->privileges[i]))
			(*out)[n++] = from->privileges[i];
	return n;
}

static bool ucg_managed(const char *principal, const char *only)
{
	return only == NULL || tfp_catalog__grants_same_principal(principal, only);
}

size_t tfp_catalog__grants_diff(struct tfp_ucg_change **out, struct tfp_arena *a,
			  const struct tfp_ucg_grants *desired,
			  const struct tfp_ucg_grants *current,
			  const char *only)
{
	struct tfp_ucg_change *c;
	size_t i, n = 0;

	*out = NULL;
	if (desired->n + current->n == 0)
		return 0;
	c = tfp_arena_alloc(a, (desired->n + current->n) * sizeof(*c));
	for (i = 0; i < desired->n; i++) {
		const struct tfp_ucg_assignment *want = &desired->items[i];
		const struct tfp_ucg_assignment *have;

		if (!ucg_managed(want->principal, only))
			continue;
		have = ucg_find(current, want->principal);
		c[n].principal = have ? have->principal : want->principal;
		c[n].n_add = ucg_minus(&c[n].add, a, want, have);
		c[n].n_remove = ucg_minus(&c[n].remove, a, have, want);
		if (c[n].n_add + c[n].n_remove > 0)
			n++;
	}
	for (i = 0; i < current->n; i++) {
		const struct tfp_ucg_assignment *have = &current->items[i];

		if (!ucg_managed(have->principal, only) ||
		    ucg_find(desired, have->principal) != NULL)
			continue;
		c[n].principal = have->principal;
		c[n].n_add = 0;
		c[n].add = NULL;
		c[n].n_remove = ucg_minus(&c[n].remove, a, have, NULL);
		if (c[n].n_remove > 0)
			n++;
	}
	if (n > 0)
		*out = c;
	return n;
}

static void ucg_add_strings(cJSON *obj, const char *name, const char **s,
			    size_t n)
{
	cJSON *arr;
	size_t i;

	if (n == 0)
		return;
	arr = cJSON_AddArrayToObject(obj, name);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(s[i]));
}

cJSON *tfp_catalog__grants_patch_body(const struct tfp_ucg_change *c, size_t n)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *changes = cJSON_AddArrayToObject(body, "changes");
	size_t i;

	for (i = 0; i < n; i++) {
		cJSON *ch = cJSON_CreateObject();

		cJSON_AddStringToObject(ch, "principal", c[i].principal);
		ucg_add_strings(ch, "add", c[i].add, c[i].n_add);
		ucg_add_strings(ch, "remove", c[i].remove, c[i].n_remove);
		cJSON_AddItemToArray(changes, ch);
	}
	return body;
}

static const char *ucg_join(struct tfp_arena *a, const char **s, size_t n)
{
	const char *out = "";
	size_t i;

	for (i = 0; i < n; i++)
		out = tfp_arena_printf(a, "%s%s%s", out, i ? ", " : "", s[i]);
	return out;
}

const char *tfp_catalog__grants_describe(struct tfp_arena *a,
				   const struct tfp_ucg_change *c, size_t n)
{
	const char *out = "";
	size_t i;

	for (i = 0; i < n; i++) {
		const char *sep = out[0] ? "; " : "";

		if (c[i].n_add > 0) {
			out = tfp_arena_printf(
				a, "%s%s%s lacks %s", out, sep, c[i].principal,
				ucg_join(a, c[i].add, c[i].n_add));
			sep = "; ";
		}
		if (c[i].n_remove > 0)
			out = tfp_arena_printf(
				a, "%s%s%s still has %s", out, sep,
				c[i].principal,
				ucg_join(a, c[i].remove, c[i].n_remove));
	}
	return out;
}

int tfp_catalog__grants_parse_item(struct tfp_ucg_grants *g, struct tfp_arena *a,
			     const cJSON *item, struct tfp_diags *d)
{
	const char *principal = tfp_json_string(item, "principal");
	const cJSON *privs, *p;

	if (!cJSON_IsObject(item) || principal == NULL)
		return tfp_diag_error(
			d, "Unexpected reply from the workspace",
			"An entry of privilege_assignments has no principal "
			"string.");
	privs = cJSON_GetObjectItemCaseSensitive(item, "privileges");
	if (privs == NULL || cJSON_IsNull(privs))
		return TFP_OK;
	if (!cJSON_IsArray(privs))
		return tfp_diag_error(
			d, "Unexpected reply from the workspace",
			"privilege_assignments[].privileges of %s is not an "
			"array.",
			principal);
	cJSON_ArrayForEach(p, privs)
	{
		if (!cJSON_IsString(p) || p->valuestring == NULL)
			return tfp_diag_error(
				d, "Unexpected reply from the workspace",
				"privilege_assignments[].privileges of %s "
				"holds something other than a string.",
				principal);
		tfp_catalog__grants_add(g, a, principal, p->valuestring);
	}
	return TFP_OK;
}

/* --- values --------------------------------------------------------------- */

void tfp_catalog__grants_add_value(struct tfp_ucg_grants *g, struct tfp_arena *a,
			     const char *principal,
			     const struct tfp_value *privileges)
{
	size_t i;

	if (!tfp_value_is_known(privileges))
		return;
	for (i = 0; i < privileges->u.coll.n; i++) {
		const struct tfp_value *p = privileges->u.coll.items[i];

		if (tfp_value_is_known(p))
			tfp_catalog__grants_add(g, a, principal, p->u.str);
	}
}

/* prior's spelling of the privilege whose normal form is norm, or NULL. */
static const char *ucg_prior_spelling(struct tfp_arena *a,
				      const struct tfp_value *prior,
				      const char *norm)
{
	size_t i;

	for (i = 0; tfp_value_is_known(prior) && i < prior->u.coll.n; i++) {
		const struct tfp_value *p = prior->u.coll.items[i];

		if (tfp_value_is_known(p) &&
		    strcmp(tfp_catalog__grants_normalize(a, p->u.str), norm) == 0)
			return p->u.str;
	}
	return NULL;
}

struct tfp_value *
tfp_catalog__grants_privileges_value(struct tfp_arena *a,
			       const struct tfp_ucg_assignment *as,
			       const struct tfp_value *prior)
{
	struct tfp_value *set =
		tfp_value_collection(a, &tfp_type_set_string, as->n);
	size_t i;

	for (i = 0; i < as->n; i++) {
		const char *s = ucg_prior_spelling(a, prior, as->privileges[i]);

		set->u.coll.items[i] =
			tfp_value_string(a, s ? s : as->privileges[i]);
	}
	return set;
}

struct tfp_value *tfp_catalog__grants_grant_set_value(struct tfp_arena *a,
						const struct tfp_type *set_type,
						const struct tfp_ucg_grants *g,
						const struct tfp_value *prior)
{
	struct tfp_value *set = tfp_value_collection(a, set_type, g->n);
	size_t i, j;

	for (i = 0; i < g->n; i++) {
		const struct tfp_ucg_assignment *as = &g->items[i];
		const struct tfp_value *pe = NULL;
		struct tfp_value *e = tfp_value_object(a, set_type->elem);

		for (j = 0; tfp_value_is_known(prior) && j < prior->u.coll.n;
		     j++) {
			const char *pp = tfp_value_get_string(
				prior->u.coll.items[j], "principal");

			if (tfp_catalog__grants_same_principal(pp, as->principal)) {
				pe = prior->u.coll.items[j];
				break;
			}
		}
		tfp_value_set_string(a, e, "principal",
				     pe ? tfp_value_get_string(pe, "principal")
					: as->principal);
		tfp_value_set(
			e, "privileges",
			tfp_catalog__grants_privileges_value(
				a, as,
				pe ? tfp_value_get(pe, "privileges") : NULL));
		set->u.coll.items[i] = e;
	}
	return set;
}

struct tfp_value *tfp_catalog__grants_read_state(struct tfp_arena *a,
					   const struct tfp_value *prior,
					   const char *id)
{
	struct tfp_value *state = tfp_value_object(a, prior->type);
	size_t i;

	for (i = 0; i < tfp_catalog__grants_n_securables; i++) {
		const char *attr = tfp_catalog__grants_securables[i].attr;

		tfp_value_set(state, attr,
			      tfp_value_copy(a, tfp_value_get(prior, attr)));
	}
	tfp_value_set_string(a, state, "id", id);
	return state;
}

/* --- identifiers and paths ------------------------------------------------ */

const char *tfp_catalog__grants_grants_id(struct tfp_arena *a,
				    const struct tfp_ucg_securable *sec,
				    const char *name)
{
	return tfp_arena_printf(a, "%s/%s", sec->attr, name);
}

static int ucg_bad_type(struct tfp_arena *a, struct tfp_diags *d,
			const char *type, const char *form)
{
	return tfp_diag_error(d, "Invalid import ID",
			      "Expected %s, where <type> is one of %s; got "
			      "type \"%s\".",
			      form, ucg_attr_list(a), type);
}

int tfp_catalog__grants_parse_grants_id(const struct tfp_ucg_securable **sec,
				  const char **name, struct tfp_arena *a,
				  struct tfp_diags *d, const char *id)
{
	const char *form = "<type>/<name> (e.g. catalog/main)";
	const char *slash = strchr(id, '/');
	const char *type;

	if (slash == NULL || slash == id || slash[1] == '\0')
		return tfp_diag_error(d, "Invalid import ID",
				      "Expected %s, got \"%s\".", form, id);
	type = tfp_arena_strndup(a, id, (size_t)(slash - id));
	*sec = tfp_catalog__grants_securable(type);
	if (*sec == NULL)
		return ucg_bad_type(a, d, type, form);
	*name = tfp_arena_strdup(a, slash + 1);
	return TFP_OK;
}

/* s with '%' and '/' percent-encoded (the only bytes the ID splits on). */
static const char *ucg_id_escape(struct tfp_arena *a, const char *s)
{
	size_t n = 0;
	const char *p;
	char *out, *o;

	for (p = s; *p != '\0'; p++)
		n += (*p == '%' || *p == '/') ? 3 : 1;
	out = tfp_arena_alloc(a, n + 1);
	for (p = s, o = out; *p != '\0'; p++) {
		if (*p == '%' || *p == '/') {
			memcpy(o, *p == '%' ? "%25" : "%2F", 3);
			o += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* The inverse of ucg_id_escape; any other '%' stays as it is. */
static const char *ucg_id_unescape(struct tfp_arena *a, const char *s,
				   size_t len)
{
	char *out = tfp_arena_alloc(a, len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && s[i + 1] == '2' &&
		    (s[i + 2] == 'F' || s[i + 2] == 'f' || s[i + 2] == '5')) {
			*o++ = s[i + 2] == '5' ? '%' : '/';
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

const char *tfp_catalog__grants_grant_id(struct tfp_arena *a,
				   const struct tfp_ucg_securable *sec,
				   const char *name, const char *principal)
{
	return tfp_arena_printf(a, "%s/%s/%s", sec->attr,
				ucg_id_escape(a, name),
				ucg_id_escape(a, principal));
}

int tfp_catalog__grants_parse_grant_id(const struct tfp_ucg_securable **sec,
				 const char **name, const char **principal,
				 struct tfp_arena *a, struct tfp_diags *d,
				 const char *id)
{
	const char *form = "<type>/<name>/<principal> (e.g. "
			   "catalog/main/data-engineers)";
	const char *s1 = strchr(id, '/'), *s2;
	const char *type;

	s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	if (s1 == NULL || s2 == NULL || s1 == id || s2 == s1 + 1 ||
	    s2[1] == '\0')
		return tfp_diag_error(d, "Invalid import ID",
				      "Expected %s, got \"%s\". Write a '/' "
				      "inside the name as %%2F.",
				      form, id);
	type = tfp_arena_strndup(a, id, (size_t)(s1 - id));
	*sec = tfp_catalog__grants_securable(type);
	if (*sec == NULL)
		return ucg_bad_type(a, d, type, form);
	*name = ucg_id_unescape(a, s1 + 1, (size_t)(s2 - s1 - 1));
	*principal = ucg_id_unescape(a, s2 + 1, strlen(s2 + 1));
	return TFP_OK;
}

const char *tfp_catalog__grants_path(struct tfp_arena *a,
			       const struct tfp_ucg_securable *sec,
			       const char *name)
{
	if (sec->share)
		return tfp_arena_printf(a, TFP_UC_API "/shares/%s/permissions",
					tfp_rest_escape(a, name));
	return tfp_arena_printf(a, TFP_UC_API "/permissions/%s/%s",
				sec->api_type, tfp_rest_escape(a, name));
}

/* --- REST ----------------------------------------------------------------- */

struct ucg_fetch {
	struct tfp_ucg_grants *out;
	const char *principal;
};

static int ucg_fetch_item(struct tfp_call *call, const cJSON *item,
			  void *payload)
{
	struct ucg_fetch *f = payload;

	/* The filter is the server's; checking it again costs nothing and
	 * keeps a server that ignores it (or a share, which has none) from
	 * handing one principal's resource everybody's grants. */
	if (f->principal != NULL &&
	    !tfp_catalog__grants_same_principal(tfp_json_string(item, "principal"),
					  f->principal))
		return TFP_OK;
	return tfp_catalog__grants_parse_item(f->out, call->arena, item, call->diags);
}

static int ucg_list(struct tfp_ucg_grants *out, struct tfp_call *call,
		    const char *path, const char *principal, bool filter)
{
	const struct tfp_query q[] = {
		{"max_results", "0"},
		{"principal", filter ? principal : NULL},
		{NULL, NULL},
	};
	struct ucg_fetch f = {.out = out, .principal = principal};

	memset(out, 0, sizeof(*out));
	return tfp_rest_list(call, path, q, "privilege_assignments", 0,
			     ucg_fetch_item, &f);
}

int tfp_catalog__grants_fetch(struct tfp_ucg_grants *out, struct tfp_call *call,
			const struct tfp_ucg_securable *sec, const char *name,
			const char *principal)
{
	/* The service's principal filter ignores case, as its principals
	 * do, so an empty filtered answer means the principal has nothing:
	 * no second, unfiltered read is needed to rule out another spelling.
	 * Shares take no filter. */
	return ucg_list(out, call, tfp_catalog__grants_path(call->arena, sec, name),
			principal, principal != NULL && !sec->share);
}

/* --- converge ------------------------------------------------------------- */

struct ucg_poll {
	const struct tfp_ucg_securable *sec;
	const char *name;
	const struct tfp_ucg_grants *desired;
	const char *only;
	const char *left;  /* what the last poll still found different */
	bool fetch_failed; /* the wait ended with the read's own error */
};

/* One poll of tfp_wait_for: done when the workspace shows desired. */
static int ucg_poll(struct tfp_call *call, void *payload)
{
	struct ucg_poll *p = payload;
	struct tfp_ucg_grants current;
	struct tfp_ucg_change *changes;
	size_t n;
	int error;

	error = tfp_catalog__grants_fetch(&current, call, p->sec, p->name, p->only);
	if (error < 0) {
		p->fetch_failed = true;
		return error;
	}
	n = tfp_catalog__grants_diff(&changes, call->arena, p->desired, &current,
			       p->only);
	if (n == 0)
		return TFP_OK;
	p->left = tfp_catalog__grants_describe(call->arena, changes, n);
	tfp_log(TFP_LOG_DEBUG, "uc_grants", "grants on %s %s not there yet: %s",
		p->sec->api_type, p->name, p->left);
	return TFP_WAIT_AGAIN;
}

int tfp_catalog__grants_converge(struct tfp_call *call,
			   const struct tfp_ucg_securable *sec,
			   const char *name,
			   const struct tfp_ucg_grants *desired,
			   const char *only)
{
	struct tfp_ucg_grants current;
	struct tfp_ucg_change *changes;
	struct ucg_poll p = {
		.sec = sec, .name = name, .desired = desired, .only = only};
	struct tfp_wait w = {
		.timeout_ms = UCG_CONVERGE_MS,
		.first_ms = UCG_POLL_FIRST_MS,
		.max_ms = UCG_POLL_MAX_MS,
	};
	cJSON *body;
	size_t n;
	int error;

	error = tfp_catalog__grants_fetch(&current, call, sec, name, only);
	if (error < 0)
		return error;
	n = tfp_catalog__grants_diff(&changes, call->arena, desired, &current, only);
	if (n == 0)
		return TFP_OK;

	body = tfp_catalog__grants_patch_body(changes, n);
	tfp_arena_defer_json(call->arena, body);
	cJSON_AddBoolToObject(body, "omit_permissions_in_response", true);
	/* Adding what is there and removing what is not change nothing, so
	 * the same PATCH twice is harmless: it may be retried. */
	error = tfp_rest_call(NULL, call, "PATCH",
			      tfp_catalog__grants_path(call->arena, sec, name), NULL,
			      body, TFP_REST_IDEMPOTENT);
	if (error < 0)
		return error;

	w.what = tfp_arena_printf(call->arena,
				  "the grants on %s %s to take effect",
				  sec->attr, name);
	error = tfp_wait_for(call, &w, ucg_poll, &p);
	if (error == TFP_ERROR && !p.fetch_failed && p.left != NULL)
		/* The wait's own diagnostic says only that time ran out;
		 * this one says what the workspace still shows instead. */
		return tfp_call_fail(call,
				     "The grants on %s %s were changed, but a "
				     "minute later the workspace still shows "
				     "something else: %s.",
				     sec->attr, name, p.left);
	return error;
}

int tfp_catalog__grants_apply(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *plan,
			const struct tfp_ucg_securable *sec, const char *name,
			const struct tfp_ucg_grants *desired, const char *only,
			const char *id)
{
	struct tfp_value *state;
	int error;

	error = tfp_catalog__grants_converge(call, sec, name, desired, only);
	if (error < 0)
		return error;
	/* The workspace now holds exactly the plan (converge checked it). */
	state = tfp_value_copy(call->arena, plan);
	tfp_value_set_string(call->arena, state, "id", id);
	*out = state;
	return TFP_OK;
}
