/*
 * Unit tests for the emulated Global Init Scripts API 2.0
 * (emulator/dbfs/init_scripts.c), through the router without a network:
 * create with its defaults and get with the content, list without it in
 * position order, the position rules (append, clamp, insert shifts the
 * others, update moves, delete closes the gap), updates of only some
 * fields, the name rule, the 64 KB limit, unknown ids, and --state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-init-scripts-test"
#include "emu_test.h"

#define GIS "/api/2.0/global-init-scripts"
/* base64 of "echo hello" */
#define HELLO "ZWNobyBoZWxsbw=="

/* --- helpers -------------------------------------------------------------- */

/* Creates a script from extra members ("" or ",\"position\":0"); returns
 * its id (malloc'd). */
static char *create(struct emu_workspace *ws, const char *name,
		    const char *extra)
{
	char *body = emu_printf("{\"name\":\"%s\",\"script\":\"" HELLO "\"%s}",
				name, extra);
	struct emu_test_result r = call_ok(ws, "POST", GIS, body);
	char *id = emu_xstrdup(emu_test_str(r.json, "script_id"));

	assert_int_equal(strlen(id), 16);
	emu_test_result_dispose(&r);
	free(body);
	return id;
}

/* The names GET list answers, in order, as "a,b" (malloc'd); checks that
 * positions are 0, 1, 2... and that no content is listed. */
static char *order(struct emu_workspace *ws)
{
	struct emu_test_result r = call_ok(ws, "GET", GIS, NULL);
	char *out = emu_xstrdup("");
	const cJSON *s;
	int64_t i = 0;

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(r.json, "scripts"))
	{
		char *next = emu_printf("%s%s%s", out, *out ? "," : "",
					emu_test_str(s, "name"));

		assert_int_equal(emu_test_int(s, "position"), i++);
		assert_null(cJSON_GetObjectItem(s, "script"));
		free(out);
		out = next;
	}
	emu_test_result_dispose(&r);
	return out;
}

static void expect_order(struct emu_workspace *ws, const char *expected)
{
	char *got = order(ws);

	assert_string_equal(got, expected);
	free(got);
}

static void patch(struct emu_workspace *ws, const char *id, const char *body)
{
	char *target = emu_printf(GIS "/%s", id);

	emu_test_ok(ws, "PATCH", target, body, EMU_TEST_TOKEN, "{}");
	free(target);
}

/* --- tests ---------------------------------------------------------------- */

static void test_emu_init_scripts__create_get(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "datadog agent", ""), *target;
	struct emu_test_result r;

	target = emu_printf(GIS "/%s", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "script_id"), id);
	assert_string_equal(emu_test_str(r.json, "name"), "datadog agent");
	assert_string_equal(emu_test_str(r.json, "script"), HELLO);
	assert_int_equal(emu_test_int(r.json, "position"), 0);
	/* enabled defaults to false. */
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "enabled")));
	assert_string_equal(emu_test_str(r.json, "created_by"),
			    "admin@example.com");
	assert_string_equal(emu_test_str(r.json, "updated_by"),
			    "admin@example.com");
	assert_true(emu_test_int(r.json, "created_at") > 0);
	assert_int_equal(emu_test_int(r.json, "updated_at"),
			 emu_test_int(r.json, "created_at"));
	emu_test_result_dispose(&r);

	/* Unpadded base64 comes back in the standard padded form. */
	free(id);
	r = call_ok(ws, "POST", GIS,
		    "{\"name\":\"unpadded\",\"script\":\"YWI\","
		    "\"enabled\":true}");
	id = emu_xstrdup(emu_test_str(r.json, "script_id"));
	emu_test_result_dispose(&r);
	free(target);
	target = emu_printf(GIS "/%s", id);
	r = call_ok(ws, "GET", target, NULL);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "enabled")));
	assert_string_equal(emu_test_str(r.json, "script"), "YWI=");
	assert_int_equal(emu_test_int(r.json, "position"), 1);
	emu_test_result_dispose(&r);

	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, "{}");
	emu_test_fails(ws, "GET", target, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, "does not exist.");
	emu_test_fails(ws, "GET", GIS "/1234", NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST",
		       "The global unit script with ID 1234 does not exist.",
		       NULL);
	emu_test_fails(ws, "DELETE", GIS "/1234", NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, NULL);
	emu_test_fails(ws, "PATCH", GIS "/1234",
		       "{\"name\":\"x\",\"script\":\"" HELLO "\"}",
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST", NULL,
		       NULL);
	free(id);
	free(target);
}

static void test_emu_init_scripts__positions(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *a, *b, *c, *d, *e, *target;

	r = call_ok(ws, "GET", GIS, NULL);
	assert_string_equal(r.text, "{}");
	emu_test_result_dispose(&r);
	/* Without a position: last. */
	a = create(ws, "a", "");
	b = create(ws, "b", "");
	expect_order(ws, "a,b");
	/* A taken position pushes that script and the later ones down. */
	c = create(ws, "c", ",\"position\":0");
	expect_order(ws, "c,a,b");
	d = create(ws, "d", ",\"position\":1");
	expect_order(ws, "c,d,a,b");
	/* Past the last: the last. */
	e = create(ws, "e", ",\"position\":99");
	expect_order(ws, "c,d,a,b,e");

	/* An update moves the script among the others. */
	patch(ws, e,
	      "{\"name\":\"e\",\"script\":\"" HELLO "\",\"position\":0}");
	expect_order(ws, "e,c,d,a,b");
	patch(ws, c,
	      "{\"name\":\"c\",\"script\":\"" HELLO "\",\"position\":4}");
	expect_order(ws, "e,d,a,b,c");
	patch(ws, d,
	      "{\"name\":\"d\",\"script\":\"" HELLO "\",\"position\":100}");
	expect_order(ws, "e,a,b,c,d");
	/* Without a position it stays where it is. */
	patch(ws, a, "{\"name\":\"a2\",\"script\":\"" HELLO "\"}");
	expect_order(ws, "e,a2,b,c,d");

	/* A delete closes the gap. */
	target = emu_printf(GIS "/%s", b);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, "{}");
	expect_order(ws, "e,a2,c,d");
	free(target);
	emu_test_fails(ws, "POST", GIS,
		       "{\"name\":\"n\",\"script\":\"" HELLO
		       "\",\"position\":-1}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "position");
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
}

static void test_emu_init_scripts__update(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "s", ",\"enabled\":true"), *target;
	struct emu_test_result r;
	int64_t created;

	target = emu_printf(GIS "/%s", id);
	r = call_ok(ws, "GET", target, NULL);
	created = emu_test_int(r.json, "created_at");
	emu_test_result_dispose(&r);
	emu_workspace_advance_clock(ws, 5000);
	/* enabled is kept when not given... */
	patch(ws, id, "{\"name\":\"renamed\",\"script\":\"YWJj\"}");
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "renamed");
	assert_string_equal(emu_test_str(r.json, "script"), "YWJj");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "enabled")));
	assert_int_equal(emu_test_int(r.json, "created_at"), created);
	assert_true(emu_test_int(r.json, "updated_at") >= created + 5000);
	emu_test_result_dispose(&r);
	/* ...and changed when given. */
	patch(ws, id,
	      "{\"name\":\"renamed\",\"script\":\"YWJj\",\"enabled\":false}");
	r = call_ok(ws, "GET", target, NULL);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "enabled")));
	emu_test_result_dispose(&r);

	/* Every field of an update is optional: the rest keeps its value. */
	patch(ws, id, "{\"position\":0}");
	patch(ws, id, "{\"name\":\"only the name\"}");
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "only the name");
	assert_string_equal(emu_test_str(r.json, "script"), "YWJj");
	emu_test_result_dispose(&r);
	patch(ws, id, "{\"name\":\"renamed\"}");
	emu_test_fails(ws, "PATCH", target,
		       "{\"name\":\"x\",\"script\":\"***\"}", EMU_TEST_TOKEN,
		       400, "INVALID_PARAMETER_VALUE", NULL, "base64");
	emu_test_fails(ws, "PATCH", target, "{\"name\":\"no/slashes\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Invalid name");
	emu_test_fails(ws, "PATCH", target, "{\"name\":\"\"}", EMU_TEST_TOKEN,
		       400, "INVALID_PARAMETER_VALUE", NULL, "Invalid name");
	/* The refused updates changed nothing. */
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "renamed");
	emu_test_result_dispose(&r);
	free(target);
	free(id);
}

static void test_emu_init_scripts__limits(void **state)
{
	struct emu_workspace *ws = *state;
	unsigned char *big = emu_xcalloc(64 * 1024 + 1, 1);
	char *b64 = emu_base64_encode(big, 64 * 1024 + 1);
	char *body = emu_printf("{\"name\":\"big\",\"script\":\"%s\"}", b64);
	struct emu_test_result r;

	emu_test_fails(ws, "POST", GIS, body, EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, "65537 bytes");
	free(body);
	free(b64);
	/* 64 KB exactly is fine. */
	b64 = emu_base64_encode(big, 64 * 1024);
	body = emu_printf("{\"name\":\"big\",\"script\":\"%s\"}", b64);
	r = call_ok(ws, "POST", GIS, body);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "POST", GIS, "{\"script\":\"" HELLO "\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE",
		       "Missing required field: name", NULL);
	emu_test_fails(ws, "POST", GIS, "{\"name\":\"n\"}", EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE",
		       "Missing required field: script", NULL);
	emu_test_fails(ws, "POST", GIS,
		       "{\"name\":\"n\",\"script\":\"" HELLO
		       "\",\"enabled\":\"yes\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "enabled");
	{
		char name[102];

		memset(name, 'n', 101);
		name[101] = '\0';
		free(body);
		body = emu_printf("{\"name\":\"%s\",\"script\":\"" HELLO "\"}",
				  name);
		emu_test_fails(ws, "POST", GIS, body, EMU_TEST_TOKEN, 400,
			       "INVALID_PARAMETER_VALUE", NULL, "Invalid name");
		name[100] = '\0';
		free(body);
		body = emu_printf("{\"name\":\"%s\",\"script\":\"" HELLO "\"}",
				  name);
		r = call_ok(ws, "POST", GIS, body);
		emu_test_result_dispose(&r);
		free(body);
		body = emu_printf("big,%s", name);
		expect_order(ws, body);
	}
	free(body);
	free(b64);
	free(big);
}

static void test_emu_init_scripts__state(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_workspace *fresh = emu_workspace_new(NULL);
	char path[] = "/tmp/emu-gis-XXXXXX", err[256];
	char *a = create(ws, "a", ""), *b = create(ws, "b", ",\"position\":0");
	char *target = emu_printf(GIS "/%s", a);
	struct emu_test_result r;

	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	expect_order(fresh, "b,a");
	r = call_ok(fresh, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "script"), HELLO);
	emu_test_result_dispose(&r);
	emu_workspace_free(fresh);

	/* A script the module cannot read. */
	fresh = emu_workspace_new(NULL);
	assert_int_equal(emu_test_load_text(
				 fresh, path,
				 "{\"format\":\"brickform-emulator-state\","
				 "\"version\":1,\"modules\":{\"init_scripts\":"
				 "[{\"script_id\":\"A\",\"name\":\"n\"}]}}",
				 err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "init_scripts"));
	emu_workspace_free(fresh);
	unlink(path);
	free(target);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, emu_test_setup, emu_test_teardown)
		T(test_emu_init_scripts__create_get),
		T(test_emu_init_scripts__positions),
		T(test_emu_init_scripts__update),
		T(test_emu_init_scripts__limits),
		T(test_emu_init_scripts__state),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
