/*
 * Unit tests for the object store (emulator/core/store.c), driven through
 * its handlers with requests built as the router builds them: create, get,
 * patch, update and delete; the field table's errors with their codes and
 * messages; each list style; each id kind; and the --state round trip.
 * The Cluster Policies tests (test_emu_policies.c) cover a real family
 * declared on it.
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
#include "store.h"
#include "util.h"

#include "emu_test.h"

typedef void (*store_fn)(struct emu_store *st, struct emu_request *req,
			 struct emu_response *resp);

/* --- declarations under test ------------------------------------------- */

static const char *const kinds[] = {"A", "B", NULL};

/* clang-format off */
static const struct emu_store_field thing_fields[] = {
	{.name = "name", .type = EMU_JSON_STRING, .flags = EMU_STORE_REQUIRED},
	{.name = "kind", .type = EMU_JSON_STRING, .values = kinds, .default_json = "\"A\""},
	{.name = "size", .type = EMU_JSON_INT},
	{.name = "region", .type = EMU_JSON_STRING, .flags = EMU_STORE_IMMUTABLE},
	{.name = "tags", .type = EMU_JSON_OBJECT},
	{.name = "state", .type = EMU_JSON_STRING, .flags = EMU_STORE_READ_ONLY,
	 .default_json = "\"READY\""},
};
/* clang-format on */

static const struct emu_store_decl thing_decl = {
	.name = "things",
	.id_kind = EMU_STORE_ID_SEQUENCE,
	.id_field = "thing_id",
	.fields = thing_fields,
	.nfields = EMU_ARRAY_SIZE(thing_fields),
	.missing = {.before = "Thing ", .after = " does not exist."},
	.unique_field = "name",
	.duplicate = {.before = "Thing '", .after = "' already exists."},
	.max_items = 3,
	.limit = {.before = "At most ", .after = " things."},
	.list_style = EMU_STORE_LIST_ALL,
	.items_field = "things",
	.omit_empty_list = true,
};

static const struct emu_store_field page_fields[] = {
	{.name = "name", .type = EMU_JSON_STRING},
};

static const struct emu_store_decl page_decl = {
	.name = "pages",
	.id_kind = EMU_STORE_ID_UUID,
	.id_field = "id",
	.fields = page_fields,
	.nfields = 1,
	.missing = {.before = "Page ", .after = " does not exist."},
	.list_style = EMU_STORE_LIST_OFFSET,
	.items_field = "pages",
	.total_field = "total_count",
	.page_default = 2,
	.page_max = 3,
};

static const struct emu_store_field named_fields[] = {
	{.name = "name", .type = EMU_JSON_STRING},
	{.name = "comment", .type = EMU_JSON_STRING},
};

static const struct emu_store_decl named_decl = {
	.name = "named",
	.id_kind = EMU_STORE_ID_FIELD,
	.id_field = "name",
	.fields = named_fields,
	.nfields = 2,
	.missing = {.status = 400,
		    .code = "INVALID_PARAMETER_VALUE",
		    .before = "No object named ",
		    .after = "."},
	.duplicate = {.status = 400, .before = "", .after = " exists."},
	.list_style = EMU_STORE_LIST_TOKEN,
	.items_field = "objects",
	.page_default = 2,
	.page_max = 3,
	.update_reply = EMU_STORE_REPLY_OBJECT,
};

/* --- plumbing ------------------------------------------------------------ */

/* One handler call on a request built as the router builds it: a JSON
 * body for POST/PATCH, path parameter name=param when param is given. */
static struct emu_test_result run_param(struct emu_store *st, store_fn fn,
					const char *method, const char *target,
					const char *body, const char *param)
{
	struct emu_request req;
	struct emu_response resp;
	struct emu_test_result r;

	emu_request_init(&req, method, target, body, body ? strlen(body) : 0);
	if (emu_request_has_json_body(&req))
		req.json = body ? cJSON_Parse(body) : cJSON_CreateObject();
	if (param) {
		req.params[0].name = emu_xstrdup("name");
		req.params[0].value = emu_xstrdup(param);
		req.nparams = 1;
	}
	emu_response_init(&resp);
	fn(st, &req, &resp);
	r.status = resp.status;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	assert_non_null(r.json);
	return r;
}

static struct emu_test_result run(struct emu_store *st, store_fn fn,
				  const char *method, const char *target,
				  const char *body)
{
	return run_param(st, fn, method, target, body, NULL);
}

/* Expects 200 and, when text is given, exactly that reply. */
static void ok(struct emu_store *st, store_fn fn, const char *method,
	       const char *target, const char *body, const char *text)
{
	struct emu_test_result r = run(st, fn, method, target, body);

	if (r.status != 200 || (text && strcmp(r.text, text) != 0))
		fprintf(stderr, "%s %s -> %d %s\n", method, target, r.status,
			r.text);
	assert_int_equal(r.status, 200);
	if (text)
		assert_string_equal(r.text, text);
	emu_test_result_dispose(&r);
}

static void fails(struct emu_store *st, store_fn fn, const char *body,
		  int status, const char *code, const char *message)
{
	struct emu_test_result r = run(st, fn, "POST", "/x", body);

	if (r.status != status)
		fprintf(stderr, "%s -> %d %s\n", body, r.status, r.text);
	assert_int_equal(r.status, status);
	assert_string_equal(emu_test_str(r.json, "error_code"), code);
	assert_string_equal(emu_test_str(r.json, "message"), message);
	emu_test_result_dispose(&r);
}

/* --- tests ---------------------------------------------------------------- */

static void test_emu_store__crud(void **state)
{
	struct emu_store *st = emu_store_new(&thing_decl);
	struct emu_test_result r;

	(void)state;
	ok(st, emu_store_create, "POST", "/x",
	   "{\"name\":\"a\",\"size\":9007199254740991,\"region\":\"eu\","
	   "\"state\":\"GONE\",\"unknown\":1}",
	   "{\"thing_id\":\"1\"}");
	/* Defaults filled, read-only input ignored, unknown fields dropped,
	 * and the integer exact. */
	ok(st, emu_store_get, "GET", "/x?thing_id=1", NULL,
	   "{\"thing_id\":\"1\",\"name\":\"a\",\"kind\":\"A\","
	   "\"size\":9007199254740991,\"region\":\"eu\",\"state\":\"READY\"}");
	/* Patch changes only what it is given. */
	ok(st, emu_store_patch, "POST", "/x",
	   "{\"thing_id\":\"1\",\"kind\":\"B\"}", "{}");
	r = run(st, emu_store_get, "GET", "/x?thing_id=1", NULL);
	assert_string_equal(emu_test_str(r.json, "kind"), "B");
	assert_int_equal(emu_test_int(r.json, "size"), 9007199254740991LL);
	emu_test_result_dispose(&r);
	/* Update replaces: size goes, kind is defaulted again, the
	 * immutable region and the server's state stay. */
	ok(st, emu_store_update, "POST", "/x",
	   "{\"thing_id\":\"1\",\"name\":\"a2\"}", "{}");
	ok(st, emu_store_get, "GET", "/x?thing_id=1", NULL,
	   "{\"thing_id\":\"1\",\"name\":\"a2\",\"kind\":\"A\","
	   "\"region\":\"eu\",\"state\":\"READY\"}");
	ok(st, emu_store_delete, "POST", "/x", "{\"thing_id\":\"1\"}", "{}");
	r = run(st, emu_store_get, "GET", "/x?thing_id=1", NULL);
	assert_int_equal(r.status, 404);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "RESOURCE_DOES_NOT_EXIST");
	assert_string_equal(emu_test_str(r.json, "message"),
			    "Thing 1 does not exist.");
	emu_test_result_dispose(&r);
	/* Ids are not reused. */
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"b\"}",
	   "{\"thing_id\":\"2\"}");
	emu_store_free(st);
}

static void test_emu_store__validation(void **state)
{
	struct emu_store *st = emu_store_new(&thing_decl);

	(void)state;
	fails(st, emu_store_create, "{}", 400, "INVALID_PARAMETER_VALUE",
	      "Missing required field: name");
	fails(st, emu_store_create, "{\"name\":\"a\",\"size\":\"1\"}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Invalid value for field 'size': expected an integer, got a "
	      "string.");
	fails(st, emu_store_create, "{\"name\":\"a\",\"size\":1.5}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Invalid value for field 'size': expected an integer, got a "
	      "number.");
	fails(st, emu_store_create, "{\"name\":\"a\",\"kind\":\"C\"}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Invalid kind 'C': expected one of A, B.");
	fails(st, emu_store_create, "{\"name\":\"a\",\"tags\":[]}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Invalid value for field 'tags': expected an object, got an "
	      "array.");
	ok(st, emu_store_create, "POST", "/x",
	   "{\"name\":\"a\",\"region\":\"eu\"}", NULL);
	fails(st, emu_store_create, "{\"name\":\"a\"}", 409,
	      "RESOURCE_ALREADY_EXISTS", "Thing 'a' already exists.");
	fails(st, emu_store_patch, "{\"thing_id\":\"1\",\"region\":\"us\"}",
	      400, "INVALID_PARAMETER_VALUE",
	      "Field 'region' cannot be changed after creation.");
	fails(st, emu_store_update, "{\"thing_id\":\"1\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: name");
	fails(st, emu_store_update, "{\"name\":\"x\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: thing_id");
	fails(st, emu_store_delete, "{\"thing_id\":\"9\"}", 404,
	      "RESOURCE_DOES_NOT_EXIST", "Thing 9 does not exist.");
	/* The same region is no change. */
	ok(st, emu_store_patch, "POST", "/x",
	   "{\"thing_id\":\"1\",\"region\":\"eu\"}", "{}");
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"b\"}", NULL);
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"c\"}", NULL);
	fails(st, emu_store_create, "{\"name\":\"d\"}", 400,
	      "RESOURCE_LIMIT_EXCEEDED", "At most 3 things.");
	/* A failed request changed nothing. */
	assert_int_equal(emu_store_count(st), 3);
	assert_string_equal(emu_json_str(emu_store_at(st, 0), "region"), "eu");
	emu_store_free(st);
}

static void test_emu_store__list_all(void **state)
{
	struct emu_store *st = emu_store_new(&thing_decl);
	struct emu_test_result r;

	(void)state;
	/* omit_empty_list: no array at all when there is nothing. */
	ok(st, emu_store_list, "GET", "/x", NULL, "{}");
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"a\"}", NULL);
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"b\"}", NULL);
	r = run(st, emu_store_list, "GET", "/x", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "things")), 2);
	assert_null(cJSON_GetObjectItem(r.json, "has_more"));
	emu_test_result_dispose(&r);
	emu_store_free(st);
}

static void test_emu_store__list_offset_and_uuid(void **state)
{
	struct emu_store *st = emu_store_new(&page_decl);
	struct emu_test_result r;
	const char *id;
	int i;

	(void)state;
	for (i = 0; i < 5; i++)
		ok(st, emu_store_create, "POST", "/x", "{\"name\":\"p\"}",
		   NULL);
	id = emu_json_str(emu_store_at(st, 0), "id");
	assert_int_equal(strlen(id), 36);
	assert_int_equal(id[14], '4');
	assert_true(strchr("89ab", id[19]) != NULL);
	assert_string_not_equal(id, emu_json_str(emu_store_at(st, 1), "id"));
	r = run(st, emu_store_list, "GET", "/x", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "pages")), 2);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "has_more")));
	assert_int_equal(emu_test_int(r.json, "total_count"), 5);
	emu_test_result_dispose(&r);
	/* limit above the maximum is clamped; the last page ends it. */
	r = run(st, emu_store_list, "GET", "/x?offset=3&limit=50", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "pages")), 2);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "has_more")));
	emu_test_result_dispose(&r);
	r = run(st, emu_store_list, "GET", "/x?offset=-1", NULL);
	assert_int_equal(r.status, 400);
	emu_test_result_dispose(&r);
	emu_store_free(st);
}

static void test_emu_store__list_token_and_name_ids(void **state)
{
	struct emu_store *st = emu_store_new(&named_decl);
	struct emu_test_result r;
	char *target, *token = NULL;
	int pages = 0, total = 0;

	(void)state;
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"a\"}",
	   "{\"name\":\"a\"}");
	fails(st, emu_store_create, "{\"name\":\"a\"}", 400,
	      "RESOURCE_ALREADY_EXISTS", "a exists.");
	fails(st, emu_store_create, "{\"comment\":\"c\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: name");
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"b\"}", NULL);
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"c\"}", NULL);
	/* The id from a path parameter; update answers the object. */
	r = run_param(st, emu_store_update, "PATCH", "/x/a",
		      "{\"comment\":\"hi\"}", "a");
	assert_int_equal(r.status, 200);
	assert_string_equal(emu_test_str(r.json, "comment"), "hi");
	emu_test_result_dispose(&r);
	r = run_param(st, emu_store_get, "GET", "/x/zz", NULL, "zz");
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "message"),
			    "No object named zz.");
	emu_test_result_dispose(&r);
	/* max_results=0 is the default page size (2): two pages. */
	do {
		target = token ? emu_printf("/x?max_results=0&page_token=%s",
					    token)
			       : emu_xstrdup("/x?max_results=0");
		r = run(st, emu_store_list, "GET", target, NULL);
		assert_int_equal(r.status, 200);
		total += cJSON_GetArraySize(
			cJSON_GetObjectItem(r.json, "objects"));
		free(token);
		token = emu_test_str(r.json, "next_page_token")
				? emu_xstrdup(emu_test_str(r.json,
							   "next_page_token"))
				: NULL;
		emu_test_result_dispose(&r);
		free(target);
		pages++;
	} while (token && pages < 10);
	assert_int_equal(pages, 2);
	assert_int_equal(total, 3);
	r = run(st, emu_store_list, "GET", "/x?page_token=garbage!", NULL);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "message"),
			    "Invalid page_token 'garbage!'.");
	emu_test_result_dispose(&r);
	emu_store_free(st);
}

static void test_emu_store__state_round_trip(void **state)
{
	struct emu_store *st = emu_store_new(&thing_decl);
	struct emu_store *fresh = emu_store_new(&thing_decl);
	char err[128];
	cJSON *saved, *bad;
	char *text;

	(void)state;
	ok(st, emu_store_create, "POST", "/x",
	   "{\"name\":\"a\",\"size\":9007199254740991}", NULL);
	ok(st, emu_store_create, "POST", "/x", "{\"name\":\"b\"}", NULL);
	ok(st, emu_store_delete, "POST", "/x", "{\"thing_id\":\"2\"}", NULL);
	/* Through text, as the --state file goes. */
	saved = emu_store_save(st);
	text = cJSON_PrintUnformatted(saved);
	cJSON_Delete(saved);
	saved = cJSON_Parse(text);
	cJSON_free(text);
	assert_int_equal(emu_store_load(fresh, saved, err, sizeof(err)), 0);
	cJSON_Delete(saved);
	ok(fresh, emu_store_get, "GET", "/x?thing_id=1", NULL,
	   "{\"thing_id\":\"1\",\"name\":\"a\",\"kind\":\"A\","
	   "\"size\":9007199254740991,\"state\":\"READY\"}");
	/* The sequence goes on where it was: id 2 is not issued again. */
	ok(fresh, emu_store_create, "POST", "/x", "{\"name\":\"c\"}",
	   "{\"thing_id\":\"3\"}");
	emu_store_free(fresh);

	/* A record that breaks the table is refused, with the reason. */
	fresh = emu_store_new(&thing_decl);
	bad = cJSON_Parse("{\"next\":1,\"things\":[{\"thing_id\":\"1\","
			  "\"name\":\"a\",\"kind\":\"Z\"}]}");
	assert_int_equal(emu_store_load(fresh, bad, err, sizeof(err)), -1);
	assert_string_equal(err, "things: a field of the wrong type or value");
	cJSON_Delete(bad);
	emu_store_free(fresh);
	emu_store_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_store__crud),
		cmocka_unit_test(test_emu_store__validation),
		cmocka_unit_test(test_emu_store__list_all),
		cmocka_unit_test(test_emu_store__list_offset_and_uuid),
		cmocka_unit_test(test_emu_store__list_token_and_name_ids),
		cmocka_unit_test(test_emu_store__state_round_trip),
	};

	emu_util_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
