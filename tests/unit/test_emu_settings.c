/*
 * Unit tests for the emulated workspace settings (emulator/settings/
 * settings.c), through the router without a network: workspace-conf keys
 * (known keys only, values as written, defaults), IP access lists (the
 * entry and type checks, the create/get/patch/put/delete answers, the
 * caller rule while enableIpAccessLists is on, the address quota), and
 * the typed settings (defaults, 404 before the default namespace is set,
 * field_mask writes, the etag rule with the fresh etag in a 409's
 * details, delete, and the bump-etag control).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-settings-test"
#include "emu_test.h"

#define CONF   "/api/2.0/workspace-conf"
#define IPACL  "/api/2.0/ip-access-lists"
#define NS     "/api/2.0/settings/types/default_namespace_ws/names/default"
#define ADMINS "/api/2.0/settings/types/restrict_workspace_admins/names/default"

static int settings_setup(void **state)
{
	const char *tokens[] = {EMU_TEST_TOKEN};
	struct emu_workspace_options opts = {.tokens = tokens, .ntokens = 1};

	*state = emu_workspace_new(&opts);
	return *state ? 0 : -1;
}

static void fails(struct emu_workspace *ws, const char *method,
		  const char *target, const char *body, int status,
		  const char *code, const char *part)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, status, code,
		       NULL, part);
}

static void test_emu_settings__workspace_conf(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	r = call_ok(ws, "GET",
		    CONF "?keys=enableIpAccessLists,"
			 "maxTokenLifetimeDays",
		    NULL);
	assert_string_equal(r.text, "{\"enableIpAccessLists\":\"false\","
				    "\"maxTokenLifetimeDays\":null}");
	emu_test_result_dispose(&r);
	r = call(ws, "PATCH", CONF,
		 "{\"enableIpAccessLists\": \"true\", "
		 "\"maxTokenLifetimeDays\": \"90\"}");
	assert_int_equal(r.status, 204);
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET",
		    CONF "?keys=maxTokenLifetimeDays,"
			 "enableIpAccessLists",
		    NULL);
	assert_string_equal(r.text, "{\"maxTokenLifetimeDays\":\"90\","
				    "\"enableIpAccessLists\":\"true\"}");
	emu_test_result_dispose(&r);
	/* An unknown key is refused, and a refused PATCH changes nothing. */
	fails(ws, "GET", CONF "?keys=enableFoo", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Invalid keys: [\"enableFoo\"]");
	fails(ws, "PATCH", CONF,
	      "{\"maxTokenLifetimeDays\": \"1\", \"enableFoo\": \"true\"}", 400,
	      "INVALID_PARAMETER_VALUE", "enableFoo");
	fails(ws, "PATCH", CONF, "{\"enableWebTerminal\": true}", 400,
	      "INVALID_PARAMETER_VALUE", "expected a string");
	r = call_ok(ws, "GET", CONF "?keys=maxTokenLifetimeDays", NULL);
	assert_string_equal(r.text, "{\"maxTokenLifetimeDays\":\"90\"}");
	emu_test_result_dispose(&r);
	fails(ws, "GET", CONF, NULL, 400, "INVALID_PARAMETER_VALUE",
	      "Missing required field: keys");
}

/* Makes a list and returns its id (caller frees). */
static char *make_list(struct emu_workspace *ws, const char *body)
{
	struct emu_test_result r = call_ok(ws, "POST", IPACL, body);
	const cJSON *l =
		cJSON_GetObjectItemCaseSensitive(r.json, "ip_access_list");
	char *id = emu_xstrdup(emu_test_str(l, "list_id"));

	assert_true(
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(l, "enabled")));
	emu_test_result_dispose(&r);
	return id;
}

static void test_emu_settings__ip_access_lists(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *id, *path;
	const cJSON *l;

	fails(ws, "POST", IPACL,
	      "{\"label\": \"x\", \"list_type\": \"ALLOW\", "
	      "\"ip_addresses\": [\"10.0.0.0/33\"]}",
	      400, "INVALID_PARAMETER_VALUE", "10.0.0.0/33");
	fails(ws, "POST", IPACL,
	      "{\"label\": \"x\", \"list_type\": \"ALLOW\", "
	      "\"ip_addresses\": [\"1.2.3\"]}",
	      400, "INVALID_PARAMETER_VALUE", "1.2.3");
	fails(ws, "POST", IPACL,
	      "{\"label\": \"x\", \"list_type\": \"DENY\", "
	      "\"ip_addresses\": []}",
	      400, "INVALID_PARAMETER_VALUE", "ALLOW or BLOCK");
	fails(ws, "POST", IPACL, "{\"list_type\": \"ALLOW\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: label");
	/* A create is enabled whatever it says. */
	id = make_list(ws, "{\"label\": \"office\", \"list_type\": \"ALLOW\", "
			   "\"ip_addresses\": [\"10.0.0.0/16\", \"1.2.3.4\"], "
			   "\"enabled\": false}");
	path = emu_printf(IPACL "/%s", id);
	r = call_ok(ws, "GET", path, NULL);
	l = cJSON_GetObjectItemCaseSensitive(r.json, "ip_access_list");
	assert_string_equal(emu_test_str(l, "label"), "office");
	assert_int_equal(emu_json_array_len(cJSON_GetObjectItemCaseSensitive(
				 l, "ip_addresses")),
			 2);
	emu_test_result_dispose(&r);
	emu_test_ok(ws, "PATCH", path, "{\"enabled\": false}", EMU_TEST_TOKEN,
		    "{}");
	r = call_ok(ws, "GET", path, NULL);
	l = cJSON_GetObjectItemCaseSensitive(r.json, "ip_access_list");
	assert_true(
		cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(l, "enabled")));
	assert_string_equal(emu_test_str(l, "list_type"), "ALLOW");
	emu_test_result_dispose(&r);
	fails(ws, "PUT", path, "{\"label\": \"o\", \"list_type\": \"ALLOW\"}",
	      400, "INVALID_PARAMETER_VALUE",
	      "Missing required field: enabled");
	r = call_ok(ws, "GET", IPACL, NULL);
	assert_int_equal(emu_json_array_len(cJSON_GetObjectItemCaseSensitive(
				 r.json, "ip_access_lists")),
			 1);
	emu_test_result_dispose(&r);

	/* While lists are on, the caller (127.0.0.1 in-process) must stay
	 * allowed: an enabled ALLOW list without it blocks it. */
	r = call(ws, "PATCH", CONF, "{\"enableIpAccessLists\": \"true\"}");
	assert_int_equal(r.status, 204);
	emu_test_result_dispose(&r);
	fails(ws, "PATCH", path, "{\"enabled\": true}", 400, "INVALID_STATE",
	      "Your current IP 127.0.0.1 will not be allowed to access the "
	      "workspace under current configuration");
	fails(ws, "POST", IPACL,
	      "{\"label\": \"b\", \"list_type\": \"BLOCK\", "
	      "\"ip_addresses\": [\"127.0.0.0/8\"]}",
	      400, "INVALID_STATE", "127.0.0.1");
	emu_test_ok(ws, "PATCH", path,
		    "{\"ip_addresses\": [\"127.0.0.1\"], \"enabled\": true}",
		    EMU_TEST_TOKEN, "{}");
	emu_test_ok(ws, "DELETE", path, NULL, EMU_TEST_TOKEN, "{}");
	fails(ws, "GET", path, NULL, 404, "RESOURCE_DOES_NOT_EXIST", id);
	free(path);
	free(id);
}

static void test_emu_settings__quota(void **state)
{
	struct emu_workspace *ws = *state;
	cJSON *body = cJSON_CreateObject();
	cJSON *arr;
	char *text, *id;
	int i;

	cJSON_AddStringToObject(body, "label", "many");
	cJSON_AddStringToObject(body, "list_type", "BLOCK");
	arr = cJSON_AddArrayToObject(body, "ip_addresses");
	for (i = 0; i < 1000; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.%d.%d.1", i / 250, i % 250);
		cJSON_AddItemToArray(arr, cJSON_CreateString(ip));
	}
	text = cJSON_PrintUnformatted(body);
	id = make_list(ws, text);
	fails(ws, "POST", IPACL,
	      "{\"label\": \"one more\", \"list_type\": \"BLOCK\", "
	      "\"ip_addresses\": [\"192.0.2.1\"]}",
	      400, "QUOTA_EXCEEDED", "1001");
	free(id);
	free(text);
	cJSON_Delete(body);
}

/* The etag of a setting now. */
static char *etag_of(struct emu_workspace *ws, const char *path)
{
	struct emu_test_result r = call_ok(ws, "GET", path, NULL);
	char *etag = emu_xstrdup(emu_test_str(r.json, "etag"));

	emu_test_result_dispose(&r);
	return etag;
}

static void test_emu_settings__etags(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *etag, *body, *stale, *target;
	const cJSON *meta;

	/* Defaults, and 404 with an etag for the default namespace. */
	r = call_ok(ws, "GET", ADMINS, NULL);
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItemCaseSensitive(
				     r.json, "restrict_workspace_admins"),
			     "status"),
		"ALLOW_ALL");
	emu_test_result_dispose(&r);
	fails(ws, "GET", NS, NULL, 404, "RESOURCE_DOES_NOT_EXIST", NULL);
	/* The mask is bounded before anything recurses over it. */
	fails(ws, "PATCH", NS,
	      "{\"allow_missing\": true, \"field_mask\": "
	      "\"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q\", \"setting\": {}}",
	      400, "INVALID_PARAMETER_VALUE", "Invalid field_mask");

	/* A first write needs no etag; the mask picks the fields. */
	r = call_ok(ws, "PATCH", NS,
		    "{\"allow_missing\": true, \"field_mask\": "
		    "\"namespace.value\", \"setting\": {\"namespace\": "
		    "{\"value\": \"main\", \"other\": 1}}}");
	assert_string_equal(emu_test_str(cJSON_GetObjectItemCaseSensitive(
						 r.json, "namespace"),
					 "value"),
			    "main");
	assert_null(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(r.json, "namespace"),
		"other"));
	emu_test_result_dispose(&r);
	fails(ws, "PATCH", NS,
	      "{\"allow_missing\": true, \"field_mask\": \"namespace.value\", "
	      "\"setting\": {\"namespace\": {\"value\": \"x\"}}}",
	      409, "RESOURCE_CONFLICT", NULL);

	/* A stale etag is 409 with the fresh one in the details. */
	stale = etag_of(ws, NS);
	emu_test_ok(ws, "POST", "/_emulator/settings/bump-etag",
		    "{\"type\": \"default_namespace_ws\"}", NULL, "{}");
	etag = etag_of(ws, NS);
	assert_string_not_equal(etag, stale);
	body = emu_printf("{\"allow_missing\": true, \"field_mask\": "
			  "\"namespace.value\", \"setting\": {\"etag\": "
			  "\"%s\", \"namespace\": {\"value\": \"x\"}}}",
			  stale);
	r = call(ws, "PATCH", NS, body);
	assert_int_equal(r.status, 409);
	meta = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(
			cJSON_GetObjectItemCaseSensitive(r.json, "details"), 0),
		"metadata");
	assert_string_equal(emu_test_str(meta, "etag"), etag);
	emu_test_result_dispose(&r);
	free(body);
	body = emu_printf("{\"allow_missing\": true, \"field_mask\": "
			  "\"namespace.value\", \"setting\": {\"etag\": "
			  "\"%s\", \"namespace\": {\"value\": \"x\"}}}",
			  etag);
	emu_test_ok(ws, "PATCH", NS, body, EMU_TEST_TOKEN, NULL);
	free(body);

	/* DELETE takes the current etag, and the setting is gone. */
	target = emu_printf(NS "?etag=%s", etag);
	fails(ws, "DELETE", target, NULL, 409, "RESOURCE_CONFLICT", NULL);
	free(target);
	free(etag);
	etag = etag_of(ws, NS);
	target = emu_printf(NS "?etag=%s", etag);
	emu_test_ok(ws, "DELETE", target, NULL, EMU_TEST_TOKEN, NULL);
	fails(ws, "GET", NS, NULL, 404, "RESOURCE_DOES_NOT_EXIST", NULL);
	fails(ws, "GET", "/api/2.0/settings/types/nope/names/default", NULL,
	      404, "ENDPOINT_NOT_FOUND", NULL);
	free(target);
	free(etag);
	free(stale);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, settings_setup, emu_test_teardown)
		T(test_emu_settings__workspace_conf),
		T(test_emu_settings__ip_access_lists),
		T(test_emu_settings__quota),
		T(test_emu_settings__etags),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
