/*
 * Unit tests for the emulated SCIM 2.0 API (emulator/identity/scim.c and
 * scim_filter.c): the filter parser on valid, malformed and hostile input;
 * create, get, PUT, PATCH and DELETE with the service's error bodies;
 * paging over 1,500 users and a group of 1,500 members; the built-in
 * groups and user, /Me, the family's principal checks, hosted workspaces
 * and --state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "identity/identity.h"
#include "identity/scim_filter.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-scim-test"
#include "emu_test.h"

#define SCIM "/api/2.0/preview/scim/v2/"

/* --- helpers -------------------------------------------------------------- */

/* A request expecting status; returns the parsed reply. */
static struct emu_test_result expect(struct emu_workspace *ws,
				     const char *method, const char *target,
				     const char *body, int status)
{
	struct emu_test_result r = call(ws, method, target, body);

	if (r.status != status)
		fprintf(stderr, "%s %s -> %d %s\n", method, target, r.status,
			r.text);
	assert_int_equal(r.status, status);
	return r;
}

/* Creates a principal and returns its id (malloc'd). */
static char *create(struct emu_workspace *ws, const char *kind,
		    const char *body)
{
	char *target = emu_printf(SCIM "%s", kind);
	struct emu_test_result r = expect(ws, "POST", target, body, 201);
	char *id = emu_xstrdup(emu_test_str(r.json, "id"));

	emu_test_result_dispose(&r);
	free(target);
	return id;
}

/* Expects a SCIM error body with this status, scimType (NULL: none) and
 * detail. */
static void scim_fails(struct emu_workspace *ws, const char *method,
		       const char *target, const char *body, int status,
		       const char *scim_type, const char *detail)
{
	struct emu_test_result r = expect(ws, method, target, body, status);
	char code[8];
	const cJSON *schemas = cJSON_GetObjectItem(r.json, "schemas");

	snprintf(code, sizeof(code), "%d", status);
	assert_string_equal(cJSON_GetArrayItem(schemas, 0)->valuestring,
			    "urn:ietf:params:scim:api:messages:2.0:Error");
	assert_string_equal(emu_test_str(r.json, "status"), code);
	if (scim_type)
		assert_string_equal(emu_test_str(r.json, "scimType"),
				    scim_type);
	else
		assert_null(cJSON_GetObjectItem(r.json, "scimType"));
	if (detail)
		assert_string_equal(emu_test_str(r.json, "detail"), detail);
	emu_test_result_dispose(&r);
}

/* totalResults of a list, with its page's item count in *page. */
static int64_t list_total(struct emu_workspace *ws, const char *target,
			  int64_t *page)
{
	struct emu_test_result r = expect(ws, "GET", target, NULL, 200);
	int64_t total = emu_test_int(r.json, "totalResults");

	if (page)
		*page = cJSON_GetArraySize(
			cJSON_GetObjectItem(r.json, "Resources"));
	assert_int_equal(emu_test_int(r.json, "itemsPerPage"),
			 page ? *page : emu_test_int(r.json, "itemsPerPage"));
	emu_test_result_dispose(&r);
	return total;
}

/* Does rendered object obj list value in its array attr? */
static bool has_value(const cJSON *obj, const char *attr, const char *value)
{
	const cJSON *el;

	cJSON_ArrayForEach(el, cJSON_GetObjectItem(obj, attr))
	{
		if (strcmp(emu_test_str(el, "value"), value) == 0)
			return true;
	}
	return false;
}

static bool match(const char *filter, const char *json)
{
	const char *err = NULL;
	struct scim_filter *f = scim_filter_parse(filter, &err);
	cJSON *obj = cJSON_Parse(json);
	bool ok;

	if (!f)
		fprintf(stderr, "%s: %s\n", filter, err);
	assert_non_null(f);
	assert_non_null(obj);
	ok = scim_filter_match(f, obj);
	scim_filter_free(f);
	cJSON_Delete(obj);
	return ok;
}

static void refused(const char *filter)
{
	const char *err = NULL;

	assert_null(scim_filter_parse(filter, &err));
	assert_non_null(err);
}

/* --- the filter parser -----------------------------------------------------
 */

static void test_emu_scim__filter_grammar(void **state)
{
	const char *u = "{\"userName\":\"Ann@Example.com\",\"displayName\":"
			"\"Ann\",\"active\":true,\"externalId\":\"e1\","
			"\"members\":[{\"value\":\"12\"},{\"value\":\"34\"}]}";

	(void)state;
	/* Names and eq/co/sw values ignore case. */
	assert_true(match("userName eq \"ann@example.com\"", u));
	assert_true(match("USERNAME EQ 'ANN@EXAMPLE.COM'", u));
	assert_true(match("userName co \"example\"", u));
	assert_true(match("userName sw \"ann@\"", u));
	assert_true(match("userName ew \".COM\"", u));
	assert_false(match("userName sw \"example\"", u));
	assert_true(match("userName ne \"bob@example.com\"", u));
	assert_true(match("externalId pr", u));
	assert_false(match("applicationId pr", u));
	assert_true(match("active eq true", u));
	assert_false(match("active eq false", u));
	assert_true(match("members.value eq \"34\"", u));
	assert_false(match("members.value eq \"56\"", u));
	assert_true(match("members[value eq \"12\"]", u));
	assert_true(
		match("displayName eq \"x\" or members.value eq \"12\"", u));
	assert_false(match("displayName eq \"x\" and externalId pr", u));
	/* and binds tighter than or; parentheses and not group. */
	assert_true(match("displayName eq \"x\" and externalId pr or "
			  "active eq true",
			  u));
	assert_false(match("displayName eq \"x\" and (externalId pr or "
			   "active eq true)",
			   u));
	assert_true(match("not (displayName eq \"x\")", u));
	assert_true(match("  ( ( userName  eq  \"ann@example.com\" ) ) ", u));
	assert_true(match("displayName eq \"A\\u006en\"", u));
}

static void test_emu_scim__filter_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"userName",
		"userName eq",
		"userName zz \"a\"",
		"userName eq \"unterminated",
		"userName eq 'unterminated",
		"userName eq \"a\\",
		"userName eq \"\\u00\"",
		"(userName pr",
		"userName pr)",
		"userName pr and",
		"or userName pr",
		"members[value eq \"1\"",
		"userName eq abc",
		"userName pr userName pr",
		"\"a\" eq userName",
	};
	size_t i;

	(void)state;
	for (i = 0; i < EMU_ARRAY_SIZE(bad); i++)
		refused(bad[i]);
}

static void test_emu_scim__filter_hostile(void **state)
{
	char *deep = emu_xmalloc(2 * 1000 + 32);
	char *wide = emu_xmalloc(SCIM_FILTER_MAX_LEN + 2);
	char *chain = emu_xmalloc(SCIM_FILTER_MAX_LEN + 1);
	size_t i, n = 0;
	const char *err = NULL;
	struct scim_filter *f;

	(void)state;
	/* 1,000 nested parentheses: refused by the depth limit. */
	for (i = 0; i < 1000; i++)
		deep[n++] = '(';
	memcpy(deep + n, "a pr", 5);
	n += 4;
	for (i = 0; i < 1000; i++)
		deep[n++] = ')';
	deep[n] = '\0';
	refused(deep);
	/* 1,000 open brackets and nots, unterminated. */
	for (i = 0; i < 1000; i++)
		memcpy(deep + 2 * i, "a[", 2);
	deep[2000] = '\0';
	refused(deep);
	/* A string longer than the limit. */
	memset(wide, 'x', SCIM_FILTER_MAX_LEN + 1);
	wide[SCIM_FILTER_MAX_LEN + 1] = '\0';
	memcpy(wide, "a eq \"", 6);
	refused(wide);
	/* A long and-chain within the limit parses, without deep recursion
	 * in the parser. */
	n = 0;
	while (n + 12 < SCIM_FILTER_MAX_LEN) {
		memcpy(chain + n, "a pr and ", 9);
		n += 9;
	}
	memcpy(chain + n, "a pr", 5);
	f = scim_filter_parse(chain, &err);
	assert_non_null(f);
	scim_filter_free(f);
	/* Every prefix of a valid filter fails cleanly or parses. */
	{
		const char *full = "members[value eq \"1\\\"2\"] and not "
				   "(userName sw 'x' or active eq true)";
		char buf[128];

		for (i = 0; i <= strlen(full); i++) {
			memcpy(buf, full, i);
			buf[i] = '\0';
			f = scim_filter_parse(buf, &err);
			scim_filter_free(f);
		}
	}
	free(deep);
	free(wide);
	free(chain);
}

static void test_emu_scim__paths(void **state)
{
	struct scim_path p;
	const char *err;

	(void)state;
	assert_int_equal(scim_path_parse(&p, "members[value eq \"9\"]", &err),
			 0);
	assert_string_equal(p.attr, "members");
	assert_non_null(p.filter);
	scim_path_dispose(&p);
	assert_int_equal(scim_path_parse(&p, "name.givenName", &err), 0);
	assert_string_equal(p.attr, "name");
	assert_string_equal(p.sub, "givenName");
	scim_path_dispose(&p);
	assert_int_equal(scim_path_parse(&p, "members[value eq", &err), -1);
	assert_int_equal(scim_path_parse(&p, "", &err), -1);
	assert_int_equal(scim_path_parse(&p, "a b", &err), -1);
}

/* --- the API ----------------------------------------------------------------
 */

static void test_emu_scim__builtins_and_me(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = expect(ws, "GET", SCIM "Groups/" EMU_SCIM_ADMINS_ID, NULL, 200);
	assert_string_equal(emu_test_str(r.json, "displayName"), "admins");
	assert_true(has_value(r.json, "members", EMU_DEFAULT_USER_ID));
	emu_test_result_dispose(&r);
	r = expect(ws, "GET", SCIM "Me", NULL, 200);
	assert_string_equal(emu_test_str(r.json, "id"), EMU_DEFAULT_USER_ID);
	assert_string_equal(emu_test_str(r.json, "userName"),
			    EMU_DEFAULT_USER_NAME);
	assert_true(has_value(r.json, "groups", EMU_SCIM_ADMINS_ID));
	assert_true(has_value(r.json, "groups", EMU_SCIM_USERS_ID));
	assert_true(has_value(r.json, "entitlements", "workspace-access"));
	emu_test_result_dispose(&r);
	assert_true(emu_scim_user_exists(ws, "ADMIN@example.com"));
	assert_true(emu_scim_group_exists(ws, "users"));
	assert_true(emu_scim_is_admin(ws, EMU_DEFAULT_USER_NAME));
	assert_false(emu_scim_is_admin(ws, "nobody@example.com"));
	/* The built-in groups stay. */
	scim_fails(ws, "DELETE", SCIM "Groups/" EMU_SCIM_USERS_ID, NULL, 400,
		   "mutability", NULL);
}

static void test_emu_scim__lifecycle_and_errors(void **state)
{
	struct emu_workspace *ws = *state;
	char *user = create(ws, "Users",
			    "{\"userName\":\"ann@example.com\","
			    "\"entitlements\":[{\"value\":"
			    "\"allow-cluster-create\"}]}");
	char *sp = create(ws, "ServicePrincipals",
			  "{\"displayName\":\"etl\",\"active\":false}");
	char *target, *body;
	struct emu_test_result r;
	const char *app;

	/* User names are kept in lower case, so this one is a duplicate. */
	scim_fails(ws, "POST", SCIM "Users",
		   "{\"userName\":\"ANN@example.com\"}", 409, "uniqueness",
		   "User with username ann@example.com already exists.");
	target = create(ws, "Users", "{\"userName\":\"Cy@Example.COM\"}");
	body = emu_printf(SCIM "Users/%s", target);
	r = expect(ws, "GET", body, NULL, 200);
	assert_string_equal(emu_test_str(r.json, "userName"), "cy@example.com");
	emu_test_result_dispose(&r);
	free(body);
	free(target);
	scim_fails(ws, "POST", SCIM "Users", "{\"displayName\":\"x\"}", 400,
		   "invalidValue", NULL);
	scim_fails(ws, "POST", SCIM "Users",
		   "{\"userName\":\"b\",\"active\":1}", 400, "invalidValue",
		   NULL);
	scim_fails(ws, "GET", SCIM "Users/99", NULL, 404, NULL,
		   "User with id 99 not found.");
	scim_fails(ws, "POST", SCIM "Groups",
		   "{\"displayName\":\"g\",\"members\":[{\"value\":\"77\"}]}",
		   404, NULL, NULL);
	scim_fails(ws, "GET", SCIM "Users?filter=userName%20eq", NULL, 400,
		   "invalidFilter", NULL);
	scim_fails(ws, "GET", SCIM "Users?count=x", NULL, 400, "invalidValue",
		   NULL);

	/* A service principal gets an applicationId; a duplicate one is 409. */
	target = emu_printf(SCIM "ServicePrincipals/%s", sp);
	r = expect(ws, "GET", target, NULL, 200);
	app = emu_test_str(r.json, "applicationId");
	assert_int_equal(strlen(app), 36);
	assert_true(emu_scim_sp_exists(ws, app));
	body = emu_printf("{\"applicationId\":\"%s\"}", app);
	{
		char *detail = emu_printf("Service principal with application "
					  "ID %s already exists.",
					  app);

		scim_fails(ws, "POST", SCIM "ServicePrincipals", body, 409,
			   "uniqueness", detail);
		free(detail);
	}
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "active")));
	emu_test_result_dispose(&r);
	free(body);
	free(target);

	/* PUT replaces: the entitlement not given is gone. */
	target = emu_printf(SCIM "Users/%s", user);
	r = expect(ws, "PUT", target,
		   "{\"userName\":\"ann@example.com\",\"displayName\":\"Ann\"}",
		   200);
	assert_null(cJSON_GetObjectItem(r.json, "entitlements"));
	assert_string_equal(emu_test_str(r.json, "displayName"), "Ann");
	/* Still in users: memberships are not the user's to replace. */
	assert_true(has_value(r.json, "groups", EMU_SCIM_USERS_ID));
	emu_test_result_dispose(&r);
	/* attributes / excludedAttributes. */
	free(target);
	target = emu_printf(SCIM "Users/%s?attributes=userName,groups", user);
	r = expect(ws, "GET", target, NULL, 200);
	assert_non_null(cJSON_GetObjectItem(r.json, "id"));
	assert_non_null(cJSON_GetObjectItem(r.json, "groups"));
	assert_null(cJSON_GetObjectItem(r.json, "displayName"));
	emu_test_result_dispose(&r);
	free(target);
	target = emu_printf(SCIM "Users/%s?excludedAttributes=groups", user);
	r = expect(ws, "GET", target, NULL, 200);
	assert_null(cJSON_GetObjectItem(r.json, "groups"));
	assert_non_null(cJSON_GetObjectItem(r.json, "userName"));
	emu_test_result_dispose(&r);
	free(target);

	/* DELETE, then 404. */
	target = emu_printf(SCIM "Users/%s", user);
	r = expect(ws, "DELETE", target, NULL, 204);
	emu_test_result_dispose(&r);
	scim_fails(ws, "DELETE", target, NULL, 404, NULL, NULL);
	assert_false(emu_scim_user_exists(ws, "ann@example.com"));
	r = expect(ws, "GET", SCIM "Groups/" EMU_SCIM_USERS_ID, NULL, 200);
	assert_false(has_value(r.json, "members", user));
	emu_test_result_dispose(&r);
	free(target);
	free(user);
	free(sp);
}

static void test_emu_scim__patch(void **state)
{
	struct emu_workspace *ws = *state;
	char *user = create(ws, "Users", "{\"userName\":\"bo@example.com\"}");
	char *sp = create(ws, "ServicePrincipals", "{\"displayName\":\"s\"}");
	char *group = create(ws, "Groups", "{\"displayName\":\"team\"}");
	char *parent = create(ws, "Groups", "{\"displayName\":\"parent\"}");
	char *gt = emu_printf(SCIM "Groups/%s", group);
	char *ut = emu_printf(SCIM "Users/%s", user);
	char *body;
	struct emu_test_result r;

	/* add members: a user, a service principal and a group. */
	body = emu_printf("{\"schemas\":[\"urn:ietf:params:scim:api:messages:"
			  "2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\","
			  "\"value\":{\"members\":[{\"value\":\"%s\"},"
			  "{\"value\":\"%s\"}]}},{\"op\":\"Add\",\"path\":"
			  "\"members\",\"value\":[{\"value\":\"%s\"}]}]}",
			  user, sp, parent);
	r = expect(ws, "PATCH", gt, body, 204);
	emu_test_result_dispose(&r);
	free(body);
	r = expect(ws, "GET", gt, NULL, 200);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "members")), 3);
	emu_test_result_dispose(&r);
	/* The user shows the membership, typed direct. */
	r = expect(ws, "GET", ut, NULL, 200);
	assert_true(has_value(r.json, "groups", group));
	emu_test_result_dispose(&r);
	/* members.value finds the group, and "users", which every service
	 * principal joins. */
	body = emu_printf(
		SCIM "Groups?filter=members.value%%20eq%%20%%22%s%%22", sp);
	assert_int_equal(list_total(ws, body, NULL), 2);
	free(body);

	/* remove with a path filter. */
	body = emu_printf("{\"Operations\":[{\"op\":\"remove\",\"path\":"
			  "\"members[value eq \\\"%s\\\"]\"}]}",
			  user);
	r = expect(ws, "PATCH", gt, body, 204);
	emu_test_result_dispose(&r);
	free(body);
	r = expect(ws, "GET", ut, NULL, 200);
	assert_false(has_value(r.json, "groups", group));
	emu_test_result_dispose(&r);

	/* A user joins and leaves groups through its own "groups". */
	body = emu_printf("{\"Operations\":[{\"op\":\"add\",\"path\":"
			  "\"groups\",\"value\":[{\"value\":\"%s\"}]}]}",
			  EMU_SCIM_ADMINS_ID);
	r = expect(ws, "PATCH", ut, body, 204);
	emu_test_result_dispose(&r);
	free(body);
	assert_true(emu_scim_is_admin(ws, "bo@example.com"));

	/* entitlements, roles and active. */
	r = expect(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"add\",\"path\":\"entitlements\","
		   "\"value\":[{\"value\":\"databricks-sql-access\"}]},"
		   "{\"op\":\"add\",\"path\":\"roles\",\"value\":[{\"value\":"
		   "\"arn:aws:iam::1:instance-profile/x\"}]},"
		   "{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
		   204);
	emu_test_result_dispose(&r);
	r = expect(ws, "GET", ut, NULL, 200);
	assert_true(has_value(r.json, "entitlements", "databricks-sql-access"));
	assert_true(has_value(r.json, "roles",
			      "arn:aws:iam::1:instance-profile/x"));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "active")));
	emu_test_result_dispose(&r);
	r = expect(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"remove\",\"path\":"
		   "\"entitlements[value eq \\\"databricks-sql-access\\\"]\"},"
		   "{\"op\":\"replace\",\"value\":{\"active\":true}}]}",
		   204);
	emu_test_result_dispose(&r);
	r = expect(ws, "GET", ut, NULL, 200);
	assert_false(
		has_value(r.json, "entitlements", "databricks-sql-access"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "active")));
	emu_test_result_dispose(&r);

	/* The official provider's forms: active as a one-element array of
	 * its text (its deactivation), entitlements [{}] for none. */
	r = expect(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\","
		   "\"value\":[{\"value\":\"false\"}]},{\"op\":\"replace\","
		   "\"path\":\"entitlements\",\"value\":[{}]}]}",
		   204);
	emu_test_result_dispose(&r);
	r = expect(ws, "GET", ut, NULL, 200);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "active")));
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "entitlements")),
		0);
	emu_test_result_dispose(&r);
	r = expect(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\","
		   "\"value\":\"true\"}]}",
		   204);
	emu_test_result_dispose(&r);
	scim_fails(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\","
		   "\"value\":\"maybe\"}]}",
		   400, "invalidValue", NULL);

	/* Errors change nothing: the first op applied is rolled back. */
	scim_fails(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\","
		   "\"value\":false},{\"op\":\"remove\"}]}",
		   400, "noTarget", NULL);
	r = expect(ws, "GET", ut, NULL, 200);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "active")));
	emu_test_result_dispose(&r);
	scim_fails(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"move\",\"path\":\"active\"}]}",
		   400, "invalidSyntax", NULL);
	scim_fails(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"add\",\"path\":\"nosuch\","
		   "\"value\":1}]}",
		   400, "invalidPath", NULL);
	scim_fails(ws, "PATCH", ut,
		   "{\"Operations\":[{\"op\":\"add\",\"path\":\"members[\","
		   "\"value\":1}]}",
		   400, "invalidPath", NULL);
	scim_fails(ws, "PATCH", gt,
		   "{\"Operations\":[{\"op\":\"add\",\"path\":\"members\","
		   "\"value\":[{\"value\":\"123\"}]}]}",
		   404, NULL, NULL);
	scim_fails(ws, "PATCH", ut, "{}", 400, "invalidSyntax", NULL);

	free(gt);
	free(ut);
	free(user);
	free(sp);
	free(group);
	free(parent);
}

static void test_emu_scim__paging(void **state)
{
	struct emu_workspace *ws = *state;
	char *group = create(ws, "Groups", "{\"displayName\":\"big\"}");
	char *gt = emu_printf(SCIM "Groups/%s", group);
	cJSON *ops = cJSON_CreateObject();
	cJSON *values = cJSON_CreateArray();
	cJSON *op = cJSON_CreateObject();
	char *body, *target;
	int64_t start, page, seen = 0;
	struct emu_test_result r;
	int i;

	for (i = 0; i < 1500; i++) {
		char *b = emu_printf("{\"userName\":\"u%04d@example.com\"}", i);
		char *id = create(ws, "Users", b);
		cJSON *v = cJSON_CreateObject();

		cJSON_AddStringToObject(v, "value", id);
		cJSON_AddItemToArray(values, v);
		free(id);
		free(b);
	}
	cJSON_AddStringToObject(op, "op", "add");
	cJSON_AddStringToObject(op, "path", "members");
	cJSON_AddItemToObject(op, "value", values);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(ops, "Operations"), op);
	body = cJSON_PrintUnformatted(ops);
	r = expect(ws, "PATCH", gt, body, 204);
	emu_test_result_dispose(&r);
	cJSON_free(body);
	cJSON_Delete(ops);

	/* 1,500 created plus the built-in admin, 100 a page. */
	for (start = 1;; start += 100) {
		int64_t total;

		target = emu_printf(SCIM "Users?startIndex=%lld&count=100",
				    (long long)start);
		total = list_total(ws, target, &page);
		free(target);
		assert_int_equal(total, 1501);
		seen += page;
		if (page < 100)
			break;
	}
	assert_int_equal(seen, 1501);
	/* Past the end: an empty page without Resources. */
	r = expect(ws, "GET", SCIM "Users?startIndex=2000", NULL, 200);
	assert_null(cJSON_GetObjectItem(r.json, "Resources"));
	assert_int_equal(emu_test_int(r.json, "itemsPerPage"), 0);
	emu_test_result_dispose(&r);
	/* The default page holds them all; a filter counts only matches. */
	assert_int_equal(list_total(ws, SCIM "Users", &page), 1501);
	assert_int_equal(page, 1501);
	assert_int_equal(
		list_total(ws, SCIM "Users?filter=userName%20sw%20%22U00%22",
			   NULL),
		100);
	/* The group holds all 1,500, and the filter on members finds it. */
	r = expect(ws, "GET", gt, NULL, 200);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "members")),
		1500);
	emu_test_result_dispose(&r);
	free(gt);
	free(group);
}

static void test_emu_scim__hosted(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_workspace *h = emu_workspace_host(ws, "alpha", "1001");
	struct emu_test_result r;
	char *id;

	assert_non_null(h);
	id = create(ws, "Users", "{\"userName\":\"root-only@example.com\"}");
	/* The hosted workspace has its own directory, with the admin. */
	assert_true(emu_scim_user_exists(h, EMU_DEFAULT_USER_NAME));
	assert_false(emu_scim_user_exists(h, "root-only@example.com"));
	r = emu_test_call_at(ws, "alpha.localhost", "GET", SCIM "Me", NULL,
			     EMU_TEST_TOKEN);
	assert_int_equal(r.status, 200);
	assert_string_equal(emu_test_str(r.json, "userName"),
			    EMU_DEFAULT_USER_NAME);
	emu_test_result_dispose(&r);
	free(id);
}

static void test_emu_scim__state(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_workspace *fresh = emu_workspace_new(NULL);
	char path[] = "/tmp/emu-scim-XXXXXX";
	char err[256];
	char *user = create(ws, "Users", "{\"userName\":\"kept@example.com\"}");
	char *group, *body, *next;
	struct emu_test_result r;

	body = emu_printf("{\"displayName\":\"g\",\"members\":[{\"value\":"
			  "\"%s\"}]}",
			  user);
	group = create(ws, "Groups", body);
	free(body);
	r = expect(ws, "DELETE", SCIM "Users/" EMU_DEFAULT_USER_ID, NULL, 204);
	emu_test_result_dispose(&r);

	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	assert_true(emu_scim_user_exists(fresh, "kept@example.com"));
	/* The saved directory replaces the built-ins, deletions included. */
	assert_false(emu_scim_user_exists(fresh, EMU_DEFAULT_USER_NAME));
	body = emu_printf(SCIM "Groups/%s", group);
	r = expect(fresh, "GET", body, NULL, 200);
	assert_true(has_value(r.json, "members", user));
	emu_test_result_dispose(&r);
	free(body);
	/* Ids continue after the saved ones. */
	next = create(fresh, "Users", "{\"userName\":\"new@example.com\"}");
	assert_true(strcmp(next, group) > 0);
	free(next);
	emu_workspace_free(fresh);

	fresh = emu_workspace_new(NULL);
	assert_int_equal(
		emu_test_load_text(fresh, path,
				   "{\"format\":\"brickform-emulator-state\","
				   "\"version\":1,\"modules\":{\"scim\":"
				   "{\"next\":1,\"Users\":[{\"id\":\"x\","
				   "\"userName\":\"a\"}],\"Groups\":[],"
				   "\"ServicePrincipals\":[]}}}",
				   err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "scim"));
	emu_workspace_free(fresh);
	unlink(path);
	free(user);
	free(group);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_scim__filter_grammar),
		cmocka_unit_test(test_emu_scim__filter_malformed),
		cmocka_unit_test(test_emu_scim__filter_hostile),
		cmocka_unit_test(test_emu_scim__paths),
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, emu_test_setup, emu_test_teardown)
		T(test_emu_scim__builtins_and_me),
		T(test_emu_scim__lifecycle_and_errors),
		T(test_emu_scim__patch),
		T(test_emu_scim__paging),
		T(test_emu_scim__hosted),
		T(test_emu_scim__state),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
