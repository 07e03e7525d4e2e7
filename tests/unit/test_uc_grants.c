/*
 * Unit tests of the Unity Catalog grant resources' pure functions
 * (resources/uc_grants_internal.h): privilege normalisation, principals
 * without regard to case, the diff and its PATCH body, reply parsing, the
 * state's spelling, the "exactly one securable" rule, import IDs and API
 * paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "path.h"
#include "catalog/catalog_internal.h"
#include "databricks.h"
#include "validate.h"
#include "unit_test.h"

extern const struct tfp_resource tfp_resource_grants;
extern const struct tfp_resource tfp_resource_grant;

/* --- helpers -------------------------------------------------------------- */


/*
 * Grants from a compact text: "principal:P1,P2;principal2:P3" (a principal
 * with no privileges is "p:").
 */
static struct tfp_ucg_grants grants(struct tfp_arena *a, const char *text)
{
	struct tfp_ucg_grants g = {0};
	char *s = tfp_arena_strdup(a, text), *entry, *next;

	for (entry = s; entry != NULL && *entry != '\0'; entry = next) {
		char *colon, *priv, *pnext;

		next = strchr(entry, ';');
		if (next != NULL)
			*next++ = '\0';
		colon = strchr(entry, ':');
		assert_non_null(colon);
		*colon = '\0';
		tfp_catalog__grants_add(&g, a, entry, NULL);
		for (priv = colon + 1; *priv != '\0'; priv = pnext) {
			pnext = strchr(priv, ',');
			if (pnext != NULL)
				*pnext++ = '\0';
			else
				pnext = priv + strlen(priv);
			tfp_catalog__grants_add(&g, a, entry, priv);
		}
	}
	return g;
}

/* The changes as text: "p:+A,+B,-C;q:-D", for one-line comparisons. */
static const char *changes_text(struct tfp_arena *a,
				const struct tfp_ucg_change *c, size_t n)
{
	const char *s = "";
	size_t i, j;

	for (i = 0; i < n; i++) {
		s = tfp_arena_printf(a, "%s%s%s:", s, i ? ";" : "",
				     c[i].principal);
		for (j = 0; j < c[i].n_add; j++)
			s = tfp_arena_printf(a, "%s%s+%s", s, j ? "," : "",
					     c[i].add[j]);
		for (j = 0; j < c[i].n_remove; j++)
			s = tfp_arena_printf(a, "%s%s-%s", s,
					     j || c[i].n_add ? "," : "",
					     c[i].remove[j]);
	}
	return s;
}

static const char *diff_text(struct tfp_arena *a, const char *desired,
			     const char *current, const char *only)
{
	struct tfp_ucg_grants d = grants(a, desired), c = grants(a, current);
	struct tfp_ucg_change *ch;
	size_t n = tfp_catalog__grants_diff(&ch, a, &d, &c, only);

	if (n == 0)
		assert_null(ch);
	return changes_text(a, ch, n);
}

static struct tfp_value *string_set(struct tfp_arena *a, size_t n,
				    const char *const *s)
{
	struct tfp_value *v = tfp_value_collection(a, &tfp_type_set_string, n);
	size_t i;

	for (i = 0; i < n; i++)
		v->u.coll.items[i] = tfp_value_string(a, s[i]);
	return v;
}

static bool set_has(const struct tfp_value *set, const char *s)
{
	size_t i;

	for (i = 0; i < set->u.coll.n; i++)
		if (strcmp(set->u.coll.items[i]->u.str, s) == 0)
			return true;
	return false;
}

/* --- normalisation -------------------------------------------------------- */

static void test_uc_grants__normalize(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"USE_CATALOG", "USE_CATALOG"},
		{"use catalog", "USE_CATALOG"},
		{"Use_Schema", "USE_SCHEMA"},
		{"all privileges", "ALL_PRIVILEGES"},
		{"select", "SELECT"},
		{"", ""},
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++)
		assert_string_equal(tfp_catalog__grants_normalize(f->a, rows[i].in),
				    rows[i].want);
}

static void test_uc_grants__principals_ignore_case(void **state)
{
	struct fixture *f = *state;
	struct tfp_ucg_grants g;

	assert_true(tfp_catalog__grants_same_principal("Data Engineers",
						 "data engineers"));
	assert_false(tfp_catalog__grants_same_principal("data-engineers",
						  "data engineers"));
	assert_false(tfp_catalog__grants_same_principal(NULL, "x"));

	/* The first spelling is kept; privileges merge in normal form. */
	g = grants(f->a, "Data Engineers:use catalog;data engineers:"
			 "USE_CATALOG,select;analysts:");
	assert_int_equal(g.n, 2);
	assert_string_equal(g.items[0].principal, "Data Engineers");
	assert_int_equal(g.items[0].n, 2);
	assert_string_equal(g.items[0].privileges[0], "USE_CATALOG");
	assert_string_equal(g.items[0].privileges[1], "SELECT");
	assert_string_equal(g.items[1].principal, "analysts");
	assert_int_equal(g.items[1].n, 0);
	assert_ptr_equal(tfp_catalog__grants_find(&g, "ANALYSTS"), &g.items[1]);
	assert_null(tfp_catalog__grants_find(&g, "nobody"));
}

/* --- diff ----------------------------------------------------------------- */

static void test_uc_grants__diff(void **state)
{
	static const struct {
		const char *desired, *current, *only, *want;
	} rows[] = {
		/* Nothing to do. */
		{"", "", NULL, ""},
		{"a:USE_CATALOG", "a:USE_CATALOG", NULL, ""},
		/* Add and remove per principal. */
		{"a:USE_CATALOG,SELECT", "a:USE_CATALOG,MODIFY", NULL,
		 "a:+SELECT,-MODIFY"},
		{"a:USE_CATALOG", "", NULL, "a:+USE_CATALOG"},
		/* A principal the configuration leaves out loses all. */
		{"a:USE_CATALOG", "a:USE_CATALOG;b:SELECT,MODIFY", NULL,
		 "b:-SELECT,-MODIFY"},
		{"", "a:USE_CATALOG;b:SELECT", NULL,
		 "a:-USE_CATALOG;b:-SELECT"},
		/* Case and spaces are not differences. */
		{"Data Engineers:use catalog,select",
		 "data engineers:USE_CATALOG,SELECT", NULL, ""},
		/* The change names the principal as the workspace spells
		 * it. */
		{"Data Engineers:use catalog,modify",
		 "data engineers:USE_CATALOG,SELECT", NULL,
		 "data engineers:+MODIFY,-SELECT"},
		/* Desired order first, then principals only current has. */
		{"b:SELECT;a:SELECT", "c:MODIFY;a:MODIFY", NULL,
		 "b:+SELECT;a:+SELECT,-MODIFY;c:-MODIFY"},
		/* databricks_grant: only its principal is looked at. */
		{"a:SELECT", "a:MODIFY;b:SELECT", "a", "a:+SELECT,-MODIFY"},
		{"", "a:MODIFY;b:SELECT", "A", "a:-MODIFY"},
		{"", "b:SELECT", "a", ""},
		{"A:select", "a:SELECT;b:MODIFY", "a", ""},
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(rows); i++) {
		const char *got = diff_text(f->a, rows[i].desired,
					    rows[i].current, rows[i].only);

		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: got \"%s\", want \"%s\"", i, got,
				 rows[i].want);
	}
}

static void test_uc_grants__patch_body(void **state)
{
	struct fixture *f = *state;
	struct tfp_ucg_grants d = grants(f->a, "a:SELECT;b:USE_CATALOG");
	struct tfp_ucg_grants c = grants(f->a, "a:MODIFY;c:SELECT");
	struct tfp_ucg_change *ch;
	size_t n = tfp_catalog__grants_diff(&ch, f->a, &d, &c, NULL);
	cJSON *body = tfp_catalog__grants_patch_body(ch, n);
	char *text = cJSON_PrintUnformatted(body);

	assert_string_equal(text,
			    "{\"changes\":["
			    "{\"principal\":\"a\",\"add\":[\"SELECT\"],"
			    "\"remove\":[\"MODIFY\"]},"
			    "{\"principal\":\"b\",\"add\":[\"USE_CATALOG\"]},"
			    "{\"principal\":\"c\",\"remove\":[\"SELECT\"]}]}");
	assert_string_equal(tfp_catalog__grants_describe(f->a, ch, n),
			    "a lacks SELECT; a still has MODIFY; b lacks "
			    "USE_CATALOG; c still has SELECT");
	free(text);
	cJSON_Delete(body);
}

/* --- replies -------------------------------------------------------------- */

static void test_uc_grants__parse_item(void **state)
{
	static const char *const bad[] = {
		"[]",
		"{\"privileges\":[\"SELECT\"]}",
		"{\"principal\":7,\"privileges\":[\"SELECT\"]}",
		"{\"principal\":\"a\",\"privileges\":\"SELECT\"}",
		"{\"principal\":\"a\",\"privileges\":[\"SELECT\",3]}",
		"{\"principal\":\"a\",\"privileges\":[{\"privilege\":\"X\"}]}",
	};
	struct fixture *f = *state;
	struct tfp_ucg_grants g = {0};
	cJSON *item;
	size_t i;

	item = cJSON_Parse("{\"principal\":\"Analysts\",\"privileges\":"
			   "[\"SELECT\",\"use schema\",\"SELECT\"]}");
	assert_int_equal(tfp_catalog__grants_parse_item(&g, f->a, item, &f->d),
			 TFP_OK);
	cJSON_Delete(item);
	/* No privileges: nothing to add, not an error. */
	item = cJSON_Parse("{\"principal\":\"empty\"}");
	assert_int_equal(tfp_catalog__grants_parse_item(&g, f->a, item, &f->d),
			 TFP_OK);
	cJSON_Delete(item);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.items[0].principal, "Analysts");
	assert_int_equal(g.items[0].n, 2);
	assert_string_equal(g.items[0].privileges[1], "USE_SCHEMA");
	assert_int_equal(f->d.n, 0);

	for (i = 0; i < TFP_ARRAY_SIZE(bad); i++) {
		item = cJSON_Parse(bad[i]);
		assert_non_null(item);
		assert_int_equal(
			tfp_catalog__grants_parse_item(&g, f->a, item, &f->d),
			TFP_ERROR);
		cJSON_Delete(item);
	}
	assert_int_equal(f->d.n, TFP_ARRAY_SIZE(bad));
}

/* --- state values --------------------------------------------------------- */

static void test_uc_grants__state_keeps_prior_spelling(void **state)
{
	static const char *const prior_privs[] = {"use catalog", "Select"};
	struct fixture *f = *state;
	const struct tfp_type *t = tfp_schema_type(
		f->a, tfp_resource_grants.attrs, tfp_resource_grants.blocks);
	const struct tfp_type *set_t =
		t->attr_types[tfp_type_attr_index(t, "grant")];
	struct tfp_value *prior = tfp_value_collection(f->a, set_t, 1);
	struct tfp_value *pe = tfp_value_object(f->a, set_t->elem);
	struct tfp_ucg_grants g = grants(
		f->a, "data engineers:USE_CATALOG,SELECT,MODIFY;bob:SELECT");
	struct tfp_value *v, *privs;
	size_t i;

	tfp_value_set_string(f->a, pe, "principal", "Data Engineers");
	tfp_value_set(pe, "privileges", string_set(f->a, 2, prior_privs));
	prior->u.coll.items[0] = pe;

	v = tfp_catalog__grants_grant_set_value(f->a, set_t, &g, prior);
	assert_int_equal(v->u.coll.n, 2);
	for (i = 0; i < 2; i++) {
		const struct tfp_value *e = v->u.coll.items[i];
		const char *p = tfp_value_get_string(e, "principal");

		privs = tfp_value_get(e, "privileges");
		if (strcmp(p, "Data Engineers") == 0) {
			assert_int_equal(privs->u.coll.n, 3);
			assert_true(set_has(privs, "use catalog"));
			assert_true(set_has(privs, "Select"));
			assert_true(set_has(privs, "MODIFY"));
		} else {
			assert_string_equal(p, "bob");
			assert_int_equal(privs->u.coll.n, 1);
			assert_true(set_has(privs, "SELECT"));
		}
	}
	/* The state equals the configuration it came from. */
	g = grants(f->a, "DATA ENGINEERS:USE_CATALOG,SELECT");
	assert_true(tfp_value_equal(
		tfp_catalog__grants_grant_set_value(f->a, set_t, &g, prior), prior));
	/* No prior: the workspace's spelling. */
	privs = tfp_catalog__grants_privileges_value(f->a, &g.items[0], NULL);
	assert_true(set_has(privs, "USE_CATALOG"));
	assert_true(set_has(privs, "SELECT"));
	/* Empty grants are an empty set, not null. */
	memset(&g, 0, sizeof(g));
	v = tfp_catalog__grants_grant_set_value(f->a, set_t, &g, prior);
	assert_true(tfp_value_is_known(v));
	assert_int_equal(v->u.coll.n, 0);
}

/* --- validation ----------------------------------------------------------- */

static struct tfp_value *grant_config(struct tfp_arena *a, const char *attr1,
				      const char *attr2, bool unknown2)
{
	const struct tfp_type *t = tfp_schema_type(a, tfp_resource_grant.attrs,
						   tfp_resource_grant.blocks);
	struct tfp_value *v = tfp_value_object(a, t);

	if (attr1 != NULL)
		tfp_value_set_string(a, v, attr1, "x");
	if (attr2 != NULL && unknown2)
		tfp_value_set(v, attr2, tfp_value_unknown(a, &tfp_type_string));
	else if (attr2 != NULL)
		tfp_value_set_string(a, v, attr2, "y");
	return v;
}

static void test_uc_grants__exactly_one_securable(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(tfp_catalog__grants_validate_target(
				 &f->d, f->a,
				 grant_config(f->a, "catalog", NULL, false)),
			 TFP_OK);
	assert_int_equal(
		tfp_catalog__grants_validate_target(
			&f->d, f->a, grant_config(f->a, NULL, "schema", true)),
		TFP_OK);
	assert_int_equal(f->d.n, 0);

	assert_int_equal(
		tfp_catalog__grants_validate_target(
			&f->d, f->a, grant_config(f->a, NULL, NULL, false)),
		TFP_ERROR);
	assert_int_equal(f->d.n, 1);
	assert_null(f->d.items[0].path);
	assert_non_null(strstr(f->d.items[0].detail, "catalog"));
	assert_non_null(strstr(f->d.items[0].detail, "foreign_connection"));

	assert_int_equal(tfp_catalog__grants_validate_target(
				 &f->d, f->a,
				 grant_config(f->a, "catalog",
					      "external_location", false)),
			 TFP_ERROR);
	assert_int_equal(f->d.n, 2);
	assert_string_equal(tfp_path_string(f->a, f->d.items[1].path),
			    "external_location");

	/* The securable found is the one set. */
	{
		const char *name;
		const struct tfp_ucg_securable *sec = tfp_catalog__grants_target(
			&name, grant_config(f->a, "model", NULL, false));

		assert_string_equal(sec->attr, "model");
		assert_string_equal(sec->api_type, "function");
		assert_string_equal(name, "x");
	}
}

static void test_uc_grants__validate_privileges(void **state)
{
	static const char *const good[] = {"USE_CATALOG", "select"};
	static const char *const dup[] = {"use catalog", "USE_CATALOG"};
	static const char *const empty[] = {""};
	struct fixture *f = *state;
	const struct tfp_path *p = tfp_path_attr(f->a, NULL, "privileges");

	assert_int_equal(tfp_catalog__grants_validate_privileges(
				 &f->d, p, string_set(f->a, 2, good)),
			 TFP_OK);
	assert_int_equal(tfp_catalog__grants_validate_privileges(
				 &f->d, p, string_set(f->a, 2, dup)),
			 TFP_ERROR);
	assert_non_null(strstr(f->d.items[0].detail, "USE_CATALOG"));
	assert_int_equal(tfp_catalog__grants_validate_privileges(
				 &f->d, p, string_set(f->a, 0, NULL)),
			 TFP_ERROR);
	assert_int_equal(tfp_catalog__grants_validate_privileges(
				 &f->d, p, string_set(f->a, 1, empty)),
			 TFP_ERROR);
	assert_int_equal(f->d.n, 3);
}

/* Both resources check principals with one validator: empty is wrong. */
static void test_uc_grants__validate_principal(void **state)
{
	struct fixture *f = *state;
	const struct tfp_path *p = tfp_path_attr(f->a, NULL, "principal");

	assert_int_equal(tfp_validate_principal(
				 &f->d, p, tfp_value_string(f->a, "analysts")),
			 TFP_OK);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(tfp_validate_principal(
				 &f->d, p, tfp_value_string(f->a, "")),
			 TFP_ERROR);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.items[0].summary, "Empty principal");
	assert_string_equal(tfp_path_string(f->a, f->d.items[0].path),
			    "principal");
}

/* A read starts from the prior securable arguments and the id alone. */
static void test_uc_grants__read_state(void **state)
{
	struct fixture *f = *state;
	struct tfp_value *prior = grant_config(f->a, "catalog", NULL, false);
	struct tfp_value *v;

	tfp_value_set_string(f->a, prior, "principal", "Analysts");
	tfp_value_set_string(f->a, prior, "id", "stale");
	v = tfp_catalog__grants_read_state(f->a, prior, "catalog/x/Analysts");
	assert_ptr_equal(v->type, prior->type);
	assert_string_equal(tfp_value_get_string(v, "catalog"), "x");
	assert_null(tfp_value_get_string(v, "schema"));
	assert_null(tfp_value_get_string(v, "principal"));
	assert_string_equal(tfp_value_get_string(v, "id"),
			    "catalog/x/Analysts");
}

/* --- import IDs and paths ------------------------------------------------- */

static void test_uc_grants__grants_id(void **state)
{
	static const struct {
		const char *id, *type, *name;
	} good[] = {
		{"catalog/main", "catalog", "main"},
		{"schema/main.default", "schema", "main.default"},
		{"foreign_connection/pg", "foreign_connection", "pg"},
		{"model/c.s.m", "model", "c.s.m"},
		{"metastore/11111111-2222-3333-4444-555555555555", "metastore",
		 "11111111-2222-3333-4444-555555555555"},
		{"external_location/a/b", "external_location", "a/b"},
	};
	static const char *const bad[] = {
		"main", "catalog/", "/main", "connection/pg", "Catalog/main",
	};
	struct fixture *f = *state;
	const struct tfp_ucg_securable *sec;
	const char *name;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(good); i++) {
		assert_int_equal(tfp_catalog__grants_parse_grants_id(
					 &sec, &name, f->a, &f->d, good[i].id),
				 TFP_OK);
		assert_string_equal(sec->attr, good[i].type);
		assert_string_equal(name, good[i].name);
		assert_string_equal(tfp_catalog__grants_grants_id(f->a, sec, name),
				    good[i].id);
	}
	assert_int_equal(f->d.n, 0);
	for (i = 0; i < TFP_ARRAY_SIZE(bad); i++)
		assert_int_equal(tfp_catalog__grants_parse_grants_id(
					 &sec, &name, f->a, &f->d, bad[i]),
				 TFP_ERROR);
	assert_int_equal(f->d.n, TFP_ARRAY_SIZE(bad));
	assert_non_null(strstr(f->d.items[3].detail, "\"connection\""));
	assert_non_null(strstr(f->d.items[3].detail, "foreign_connection"));
}

static void test_uc_grants__grant_id(void **state)
{
	static const struct {
		const char *id, *type, *name, *principal, *canonical;
	} good[] = {
		{"catalog/main/data-engineers", "catalog", "main",
		 "data-engineers", "catalog/main/data-engineers"},
		{"schema/main.default/Data Engineers", "schema", "main.default",
		 "Data Engineers", "schema/main.default/Data Engineers"},
		/* The official form: the principal takes the rest. */
		{"catalog/main/team/sub", "catalog", "main", "team/sub",
		 "catalog/main/team%2Fsub"},
		/* Escapes, either case. */
		{"external_location/a%2fb/x%252Fy", "external_location", "a/b",
		 "x%2Fy", "external_location/a%2Fb/x%252Fy"},
		/* A stray '%' is a '%'. */
		{"catalog/main/50%", "catalog", "main", "50%",
		 "catalog/main/50%25"},
	};
	static const char *const bad[] = {
		"catalog/main", "catalog//p", "catalog/main/",
		"/main/p",	"volume",     "nope/main/p",
	};
	struct fixture *f = *state;
	const struct tfp_ucg_securable *sec;
	const char *name, *principal;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(good); i++) {
		assert_int_equal(
			tfp_catalog__grants_parse_grant_id(&sec, &name, &principal,
						     f->a, &f->d, good[i].id),
			TFP_OK);
		assert_string_equal(sec->attr, good[i].type);
		assert_string_equal(name, good[i].name);
		assert_string_equal(principal, good[i].principal);
		assert_string_equal(
			tfp_catalog__grants_grant_id(f->a, sec, name, principal),
			good[i].canonical);
		/* The state's ID parses back to the same parts. */
		assert_int_equal(tfp_catalog__grants_parse_grant_id(
					 &sec, &name, &principal, f->a, &f->d,
					 good[i].canonical),
				 TFP_OK);
		assert_string_equal(name, good[i].name);
		assert_string_equal(principal, good[i].principal);
	}
	assert_int_equal(f->d.n, 0);
	for (i = 0; i < TFP_ARRAY_SIZE(bad); i++)
		assert_int_equal(tfp_catalog__grants_parse_grant_id(&sec, &name,
							      &principal, f->a,
							      &f->d, bad[i]),
				 TFP_ERROR);
	assert_int_equal(f->d.n, TFP_ARRAY_SIZE(bad));
}

static void test_uc_grants__path(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(
		tfp_catalog__grants_path(f->a, tfp_catalog__grants_securable("schema"),
				   "main.default"),
		"/api/2.1/unity-catalog/permissions/schema/main.default");
	assert_string_equal(
		tfp_catalog__grants_path(
			f->a, tfp_catalog__grants_securable("foreign_connection"),
			"my conn/x"),
		"/api/2.1/unity-catalog/permissions/connection/my%20conn%2Fx");
	assert_string_equal(
		tfp_catalog__grants_path(f->a, tfp_catalog__grants_securable("model"),
				   "c.s.m"),
		"/api/2.1/unity-catalog/permissions/function/c.s.m");
	assert_string_equal(tfp_catalog__grants_path(f->a,
					       tfp_catalog__grants_securable("share"),
					       "s1"),
			    "/api/2.1/unity-catalog/shares/s1/permissions");
	assert_null(tfp_catalog__grants_securable("connection"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_uc_grants__normalize,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_uc_grants__principals_ignore_case, tfp_test_setup,
			tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_uc_grants__diff, tfp_test_setup,
						tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_uc_grants__patch_body,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_uc_grants__parse_item,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_uc_grants__state_keeps_prior_spelling, tfp_test_setup,
			tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_uc_grants__exactly_one_securable, tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_uc_grants__validate_privileges, tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(
			test_uc_grants__validate_principal, tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_uc_grants__read_state,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_uc_grants__grants_id,
						tfp_test_setup, tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_uc_grants__grant_id, tfp_test_setup,
						tfp_test_teardown),
		cmocka_unit_test_setup_teardown(test_uc_grants__path, tfp_test_setup,
						tfp_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
