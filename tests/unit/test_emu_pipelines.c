/*
 * Unit tests for the emulated Lakeflow Declarative Pipelines API 2.0
 * (emulator/pipelines/pipelines.c), through the router without a network:
 * create with the filled defaults and get, dry_run keeps nothing, the
 * spec checks (storage with catalog, target with schema, duplicate names,
 * serverless sizes), edit with expected_last_modified, list with a name
 * filter and pages, an update's states on the workspace clock, stop,
 * delete, the lookups other modules use, and --state.
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
#include "pipelines/pipelines.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-pipelines-test"
#include "emu_test.h"

#define PL "/api/2.0/pipelines"

/* Creates a pipeline from a body; returns its id (malloc'd). */
static char *create(struct emu_workspace *ws, const char *body)
{
	struct emu_test_result r = call_ok(ws, "POST", PL, body);
	char *id = emu_xstrdup(emu_test_str(r.json, "pipeline_id"));

	assert_true(emu_is_uuid(id));
	emu_test_result_dispose(&r);
	return id;
}

/* GET of the pipeline's "state" and latest update's state, as "A/B". */
static char *states(struct emu_workspace *ws, const char *id)
{
	char *url = emu_printf(PL "/%s", id), *out;
	struct emu_test_result r = call_ok(ws, "GET", url, NULL);
	const cJSON *lu = cJSON_GetObjectItemCaseSensitive(r.json,
							   "latest_updates");

	out = emu_printf("%s/%s", emu_test_str(r.json, "state"),
			 cJSON_GetArraySize(lu) > 0
				 ? emu_test_str(cJSON_GetArrayItem(lu, 0),
						"state")
				 : "-");
	emu_test_result_dispose(&r);
	free(url);
	return out;
}

static void test_emu_pipelines__create_get(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "{\"name\":\"p1\",\"catalog\":\"Main\","
			      "\"schema\":\"s\",\"libraries\":[{\"notebook\":"
			      "{\"path\":\"/x\"}}],\"x_unknown\":1}");
	char *url = emu_printf(PL "/%s", id);
	struct emu_test_result r = call_ok(ws, "GET", url, NULL);
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(r.json, "spec");

	assert_string_equal(emu_test_str(r.json, "pipeline_id"), id);
	assert_string_equal(emu_test_str(r.json, "name"), "p1");
	assert_string_equal(emu_test_str(r.json, "state"), "IDLE");
	assert_non_null(emu_test_str(r.json, "creator_user_name"));
	assert_string_equal(emu_test_str(spec, "id"), id);
	/* Not filled by the service: the provider defaults them. */
	assert_null(emu_test_str(spec, "edition"));
	assert_null(emu_test_str(spec, "channel"));
	/* A Unity Catalog pipeline gets no storage. */
	assert_null(emu_test_str(spec, "storage"));
	/* Folded to lower case on create. */
	assert_string_equal(emu_test_str(spec, "catalog"), "main");
	assert_non_null(cJSON_GetObjectItemCaseSensitive(spec, "x_unknown"));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(r.json,
							 "last_modified"));
	emu_test_result_dispose(&r);
	assert_true(emu_pipelines_exists(ws, id));
	assert_non_null(emu_pipelines_creator(ws, id));
	assert_false(emu_pipelines_exists(ws, "nope"));

	/* dry_run: effective settings, nothing created. */
	r = call_ok(ws, "POST", PL, "{\"name\":\"dry\",\"dry_run\":true}");
	assert_null(emu_test_str(r.json, "pipeline_id"));
	/* A Hive metastore pipeline gets a storage location. */
	assert_true(emu_strcaseprefix(
		emu_test_str(cJSON_GetObjectItemCaseSensitive(
				     r.json, "effective_settings"),
			     "storage"),
		"dbfs:/pipelines/"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", PL, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				 r.json, "statuses")),
			 1);
	emu_test_result_dispose(&r);

	emu_test_ok(ws, "DELETE", url, NULL, EMU_TEST_TOKEN, "{}");
	emu_test_fails(ws, "GET", url, NULL, EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, id);
	emu_test_fails(ws, "GET", PL "/nope/updates/u1", NULL,
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST",
		       "The specified pipeline nope was not found.", NULL);
	emu_test_fails(ws, "POST", PL "/nope/stop", "{}", EMU_TEST_TOKEN, 404,
		       "RESOURCE_DOES_NOT_EXIST", NULL, NULL);
	free(url);
	free(id);
}

static void test_emu_pipelines__run_as(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "{\"name\":\"r\",\"catalog\":\"c\",\"run_as\":"
			      "{\"service_principal_name\":\"sp-1\"}}");
	char *url = emu_printf(PL "/%s", id);
	struct emu_test_result r = call_ok(ws, "GET", url, NULL);

	assert_string_equal(emu_test_str(r.json, "run_as_user_name"), "sp-1");
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItemCaseSensitive(r.json, "run_as"),
			     "service_principal_name"),
		"sp-1");
	emu_test_result_dispose(&r);
	free(url);
	free(id);
}

static void test_emu_pipelines__checks(void **state)
{
	struct emu_workspace *ws = *state;
	char *id;

	emu_test_fails(ws, "POST", PL,
		       "{\"name\":\"a\",\"storage\":\"/s\",\"catalog\":\"c\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "storage");
	emu_test_fails(ws, "POST", PL,
		       "{\"name\":\"a\",\"target\":\"t\",\"schema\":\"s\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "target");
	emu_test_fails(ws, "POST", PL,
		       "{\"name\":\"a\",\"serverless\":true,\"clusters\":"
		       "[{\"label\":\"default\",\"num_workers\":2}]}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "Serverless");
	emu_test_fails(ws, "POST", PL,
		       "{\"name\":\"a\",\"target\":\"main.s\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "target_schema_name \"main.s\" is not a valid name");
	emu_test_fails(ws, "POST", PL, "{\"name\":1}", EMU_TEST_TOKEN, 400,
		       "INVALID_PARAMETER_VALUE", NULL, "name");
	emu_test_fails(ws, "POST", PL, "{\"name\":\"a\",\"edition\":\"GOLD\"}",
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       "edition");
	id = create(ws, "{\"name\":\"dup\"}");
	emu_test_fails(ws, "POST", PL, "{\"name\":\"dup\"}", EMU_TEST_TOKEN,
		       400, "RESOURCE_CONFLICT", NULL, "dup");
	free(create(ws, "{\"name\":\"dup\",\"allow_duplicate_names\":true}"));
	free(id);
}

static void test_emu_pipelines__edit(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "{\"name\":\"e\",\"development\":true}");
	char *url = emu_printf(PL "/%s", id), *body, *s;
	struct emu_test_result r = call_ok(ws, "GET", url, NULL);
	int64_t lm = 0;

	assert_int_equal(emu_json_member_int(&lm, r.json, "last_modified"), 0);
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "PUT", url,
		       "{\"name\":\"e2\",\"expected_last_modified\":1}",
		       EMU_TEST_TOKEN, 409, "ABORTED", NULL, NULL);
	body = emu_printf("{\"name\":\"e2\",\"edition\":\"core\","
			  "\"expected_last_modified\":%" PRId64 "}",
			  lm);
	emu_test_ok(ws, "PUT", url, body, EMU_TEST_TOKEN, "{}");
	r = call_ok(ws, "GET", url, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "e2");
	/* Full replace: development is gone; the edition kept as given. */
	assert_null(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(r.json, "spec"),
		"development"));
	assert_string_equal(
		emu_test_str(cJSON_GetObjectItemCaseSensitive(r.json, "spec"),
			     "edition"),
		"core");
	emu_test_result_dispose(&r);
	/* An edit starts no update. */
	s = states(ws, id);
	assert_string_equal(s, "IDLE/-");
	free(s);
	emu_test_fails(ws, "PUT", PL "/missing", "{\"name\":\"x\"}",
		       EMU_TEST_TOKEN, 404, "RESOURCE_DOES_NOT_EXIST", NULL,
		       NULL);
	free(body);
	free(url);
	free(id);
}

static void test_emu_pipelines__list(void **state)
{
	struct emu_workspace *ws = *state;
	const char *names[] = {"alpha", "beta", "alphabet", "gamma"};
	struct emu_test_result r;
	const cJSON *st;
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(names); i++) {
		char *body = emu_printf("{\"name\":\"%s\"}", names[i]);

		free(create(ws, body));
		free(body);
	}
	r = call_ok(ws, "GET",
		    PL "?filter=name%20LIKE%20%27%25alpha%25%27", NULL);
	st = cJSON_GetObjectItemCaseSensitive(r.json, "statuses");
	assert_int_equal(cJSON_GetArraySize(st), 2);
	assert_string_equal(emu_test_str(cJSON_GetArrayItem(st, 1), "name"),
			    "alphabet");
	assert_string_equal(emu_test_str(cJSON_GetArrayItem(st, 0), "state"),
			    "IDLE");
	emu_test_result_dispose(&r);
	/* _ is one character; a pattern without % matches the whole name. */
	r = call_ok(ws, "GET", PL "?filter=name%20like%20%27b_ta%27", NULL);
	st = cJSON_GetObjectItemCaseSensitive(r.json, "statuses");
	assert_int_equal(cJSON_GetArraySize(st), 1);
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", PL "?filter=name%20LIKE%20%27alpha%27", NULL);
	st = cJSON_GetObjectItemCaseSensitive(r.json, "statuses");
	assert_int_equal(cJSON_GetArraySize(st), 1);
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", PL "?filter=name%20LIKE%20%27%25a%25a%25%27",
		    NULL);
	st = cJSON_GetObjectItemCaseSensitive(r.json, "statuses");
	assert_int_equal(cJSON_GetArraySize(st), 3); /* alpha, alphabet, gamma */
	emu_test_result_dispose(&r);

	r = call_ok(ws, "GET", PL "?max_results=3", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				 r.json, "statuses")),
			 3);
	assert_string_equal(emu_test_str(r.json, "next_page_token"), "3");
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", PL "?max_results=3&page_token=3", NULL);
	st = cJSON_GetObjectItemCaseSensitive(r.json, "statuses");
	assert_int_equal(cJSON_GetArraySize(st), 1);
	assert_string_equal(emu_test_str(cJSON_GetArrayItem(st, 0), "name"),
			    "gamma");
	assert_null(emu_test_str(r.json, "next_page_token"));
	emu_test_result_dispose(&r);
	emu_test_fails(ws, "GET", PL "?max_results=1000", NULL,
		       EMU_TEST_TOKEN, 400, "INVALID_PARAMETER_VALUE", NULL,
		       NULL);
	emu_test_fails(ws, "GET", PL "?filter=bogus", NULL, EMU_TEST_TOKEN,
		       400, "INVALID_PARAMETER_VALUE", NULL, NULL);
}

static void test_emu_pipelines__updates(void **state)
{
	struct emu_workspace *ws = *state;
	char *id = create(ws, "{\"name\":\"u\"}");
	char *cid = create(ws, "{\"name\":\"c\",\"continuous\":true}");
	char *url = emu_printf(PL "/%s/updates", id);
	char *curl = emu_printf(PL "/%s/updates", cid);
	char *stop = emu_printf(PL "/%s/stop", cid);
	struct emu_test_result r = call_ok(ws, "POST", url,
					   "{\"full_refresh\":true}");
	char *uid = emu_xstrdup(emu_test_str(r.json, "update_id")), *s, *one;

	emu_test_result_dispose(&r);
	s = states(ws, id);
	assert_string_equal(s, "RUNNING/QUEUED");
	free(s);
	emu_test_fails(ws, "POST", url, "{}", EMU_TEST_TOKEN, 409,
		       "RESOURCE_CONFLICT", NULL, NULL);
	emu_workspace_advance_clock(ws, 4500);
	s = states(ws, id);
	assert_string_equal(s, "RUNNING/SETTING_UP_TABLES");
	free(s);
	emu_workspace_advance_clock(ws, 10000);
	s = states(ws, id);
	assert_string_equal(s, "IDLE/COMPLETED");
	free(s);
	one = emu_printf("%s/%s", url, uid);
	r = call_ok(ws, "GET", one, NULL);
	{
		const cJSON *u =
			cJSON_GetObjectItemCaseSensitive(r.json, "update");

		assert_string_equal(emu_test_str(u, "state"), "COMPLETED");
		assert_true(cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(u, "full_refresh")));
	}
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", url, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				 r.json, "updates")),
			 1);
	emu_test_result_dispose(&r);

	/* A continuous pipeline started on create and stays RUNNING until
	 * stopped. */
	emu_test_fails(ws, "POST", curl, "{}", EMU_TEST_TOKEN, 409,
		       "RESOURCE_CONFLICT", NULL, NULL);
	emu_workspace_advance_clock(ws, 60000);
	s = states(ws, cid);
	assert_string_equal(s, "RUNNING/RUNNING");
	free(s);
	emu_test_ok(ws, "POST", stop, "{}", EMU_TEST_TOKEN, "{}");
	s = states(ws, cid);
	assert_string_equal(s, "IDLE/CANCELED");
	free(s);
	/* An edit of a continuous pipeline starts it again. */
	{
		char *edit = emu_printf(PL "/%s", cid);

		emu_test_ok(ws, "PUT", edit,
			    "{\"name\":\"c\",\"continuous\":true}",
			    EMU_TEST_TOKEN, "{}");
		free(edit);
	}
	s = states(ws, cid);
	assert_string_equal(s, "RUNNING/QUEUED");
	free(s);
	free(one);
	free(uid);
	free(stop);
	free(curl);
	free(url);
	free(cid);
	free(id);
}

static void test_emu_pipelines__state(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_workspace *fresh = emu_workspace_new(NULL);
	char path[] = "/tmp/emu-pipelines-XXXXXX";
	char *id = create(ws, "{\"name\":\"kept\"}");
	char *url = emu_printf(PL "/%s", id);
	struct emu_test_result r;

	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	r = call_ok(fresh, "GET", url, NULL);
	assert_string_equal(emu_test_str(r.json, "name"), "kept");
	emu_test_result_dispose(&r);
	/* Ids keep advancing after a load. */
	free(create(fresh, "{\"name\":\"next\"}"));
	r = call_ok(fresh, "GET", PL, NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				 r.json, "statuses")),
			 2);
	emu_test_result_dispose(&r);
	remove(path);
	emu_workspace_free(fresh);
	free(url);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, emu_test_setup, emu_test_teardown)
		T(test_emu_pipelines__create_get),
		T(test_emu_pipelines__run_as),
		T(test_emu_pipelines__checks),
		T(test_emu_pipelines__edit),
		T(test_emu_pipelines__list),
		T(test_emu_pipelines__updates),
		T(test_emu_pipelines__state),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
