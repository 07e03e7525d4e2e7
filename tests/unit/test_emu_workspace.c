/*
 * Unit tests for the emulated workspace tree, Repos API and Git
 * credentials (emulator/workspace/workspace.c), through the router
 * without a network: mkdirs, import in each format and its errors,
 * export's notebook header, get-status and list, delete with and without
 * recursive, home folders only for users of the directory, repos (the
 * provider from the URL, checkout of a branch or tag, the tree entry,
 * paging), Git credentials (one per provider, the token never answered),
 * and --state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "json.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

#define EMU_TEST_TOKEN "dapi-ws-test"
#include "emu_test.h"

#define WS "/api/2.0/workspace/"

static void ok(struct emu_workspace *ws, const char *method, const char *target,
	       const char *body)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, NULL);
}

static void fails(struct emu_workspace *ws, const char *method,
		  const char *target, const char *body, int status,
		  const char *code, const char *message)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, status, code,
		       message, NULL);
}

/* A member of get-status for path, as text ("" when absent). */
static char *status_of(struct emu_workspace *ws, const char *path,
		       const char *field)
{
	char *target = emu_printf(WS "get-status?path=%s", path);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r.json, field);
	char *out = cJSON_IsString(v)   ? emu_xstrdup(v->valuestring)
		    : v != NULL		? cJSON_PrintUnformatted(v)
					: emu_xstrdup("");

	emu_test_result_dispose(&r);
	free(target);
	return out;
}

static void expect_status(struct emu_workspace *ws, const char *path,
			  const char *field, const char *want)
{
	char *got = status_of(ws, path, field);

	assert_string_equal(got, want);
	free(got);
}

/* The decoded export of path in format. */
static char *export_of(struct emu_workspace *ws, const char *path,
		       const char *format)
{
	char *target = emu_printf(WS "export?path=%s&format=%s", path, format);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	const char *b64 = emu_test_str(r.json, "content");
	unsigned char *data = NULL;
	size_t n = 0;

	assert_non_null(b64);
	assert_int_equal(emu_base64_decode(&data, &n, b64, strlen(b64)), 0);
	emu_test_result_dispose(&r);
	free(target);
	return (char *)data;
}

/* --- the tree ------------------------------------------------------------- */

static void test_emu_workspace__import_export(void **state)
{
	struct emu_workspace *ws = *state;
	char *text;

	ok(ws, "POST", WS "mkdirs", "{\"path\":\"/Shared/etl/sub\"}");
	expect_status(ws, "/Shared/etl", "object_type", "DIRECTORY");
	/* "print(1)" */
	ok(ws, "POST", WS "import",
	   "{\"path\":\"/Shared/etl/nb\",\"format\":\"SOURCE\","
	   "\"language\":\"PYTHON\",\"content\":\"cHJpbnQoMSk=\"}");
	expect_status(ws, "/Shared/etl/nb", "object_type", "NOTEBOOK");
	expect_status(ws, "/Workspace/Shared/etl/nb", "language", "PYTHON");
	text = export_of(ws, "/Shared/etl/nb", "SOURCE");
	assert_string_equal(text, "# Databricks notebook source\nprint(1)");
	free(text);
	/* SQL's header is a SQL comment. */
	ok(ws, "POST", WS "import",
	   "{\"path\":\"/Shared/etl/q\",\"language\":\"SQL\","
	   "\"content\":\"U0VMRUNUIDE=\"}");
	text = export_of(ws, "/Shared/etl/q", "SOURCE");
	assert_string_equal(text, "-- Databricks notebook source\nSELECT 1");
	free(text);
	/* RAW is a file, exported as it is. */
	ok(ws, "POST", WS "import",
	   "{\"path\":\"/Shared/etl/a.py\",\"format\":\"RAW\","
	   "\"content\":\"cHJpbnQoMSk=\"}");
	expect_status(ws, "/Shared/etl/a.py", "object_type", "FILE");
	expect_status(ws, "/Shared/etl/a.py", "size", "8");
	text = export_of(ws, "/Shared/etl/a.py", "AUTO");
	assert_string_equal(text, "print(1)");
	free(text);
	/* Errors as the service words them. */
	fails(ws, "POST", WS "import",
	      "{\"path\":\"/Shared/etl/nb\",\"language\":\"PYTHON\","
	      "\"content\":\"\"}",
	      400, "RESOURCE_ALREADY_EXISTS", "/Shared/etl/nb already exists.");
	fails(ws, "POST", WS "import",
	      "{\"path\":\"/Shared/none/nb\",\"language\":\"PYTHON\","
	      "\"content\":\"\"}",
	      404, "RESOURCE_DOES_NOT_EXIST",
	      "The parent folder (/Shared/none) does not exist.");
	fails(ws, "POST", WS "import",
	      "{\"path\":\"/Shared/x\",\"content\":\"\"}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Language must be specified for SOURCE format.");
	fails(ws, "GET", WS "get-status?path=/Shared/none", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST", "Path (/Shared/none) doesn't exist.");
	fails(ws, "POST", WS "mkdirs", "{\"path\":\"/Shared/etl/nb\"}", 400,
	      "RESOURCE_ALREADY_EXISTS", "Node named 'nb' already exists");
	fails(ws, "POST", WS "mkdirs", "{\"path\":\"relative\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	/* A home folder is only for a user of the directory. */
	ok(ws, "POST", WS "mkdirs", "{\"path\":\"/Users/admin@example.com/x\"}");
	fails(ws, "POST", WS "mkdirs",
	      "{\"path\":\"/Users/nobody@example.com/x\"}", 404,
	      "RESOURCE_DOES_NOT_EXIST", "User nobody@example.com does not "
					 "exist.");
}

static void test_emu_workspace__list_delete(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	ok(ws, "POST", WS "mkdirs", "{\"path\":\"/Shared/d/e\"}");
	ok(ws, "POST", WS "import",
	   "{\"path\":\"/Shared/d/f\",\"format\":\"RAW\",\"content\":\"\"}");
	r = call_ok(ws, "GET", WS "list?path=/Shared/d", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "objects")), 2);
	emu_test_result_dispose(&r);
	/* An empty folder lists as {}. */
	emu_test_ok(ws, "GET", WS "list?path=/Shared/d/e", NULL,
		    EMU_TEST_TOKEN, "{}");
	fails(ws, "POST", WS "delete", "{\"path\":\"/Shared/d\"}", 400,
	      "DIRECTORY_NOT_EMPTY", "Folder (/Shared/d) is not empty.");
	ok(ws, "POST", WS "delete", "{\"path\":\"/Shared/d/f\"}");
	ok(ws, "POST", WS "delete",
	   "{\"path\":\"/Shared/d\",\"recursive\":true}");
	fails(ws, "GET", WS "get-status?path=/Shared/d/e", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST", NULL);
	fails(ws, "POST", WS "delete", "{\"path\":\"/Shared/d\"}", 404,
	      "RESOURCE_DOES_NOT_EXIST", "Path (/Shared/d) doesn't exist.");
}

/* --- repos ---------------------------------------------------------------- */

static void test_emu_workspace__repos(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *target, *commit;
	int64_t id;

	r = call_ok(ws, "POST", "/api/2.0/repos",
		    "{\"url\":\"https://github.com/example/etl.git\"}");
	assert_string_equal(emu_test_str(r.json, "provider"), "gitHub");
	assert_string_equal(emu_test_str(r.json, "path"),
			    "/Repos/admin@example.com/etl");
	assert_string_equal(emu_test_str(r.json, "branch"), "main");
	assert_int_equal(strlen(emu_test_str(r.json, "head_commit_id")), 40);
	commit = emu_xstrdup(emu_test_str(r.json, "head_commit_id"));
	assert_int_equal(emu_json_member_int(&id, r.json, "id"), 0);
	emu_test_result_dispose(&r);
	expect_status(ws, "/Repos/admin@example.com/etl", "object_type", "REPO");
	target = emu_printf("/api/2.0/repos/%lld", (long long)id);
	ok(ws, "PATCH", target, "{\"tag\":\"v1\"}");
	r = call_ok(ws, "GET", target, NULL);
	assert_null(emu_test_str(r.json, "branch"));
	assert_string_not_equal(emu_test_str(r.json, "head_commit_id"), commit);
	emu_test_result_dispose(&r);
	ok(ws, "PATCH", target, "{\"branch\":\"main\"}");
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "head_commit_id"), commit);
	emu_test_result_dispose(&r);
	fails(ws, "PATCH", target, "{\"branch\":\"a\",\"tag\":\"b\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", "/api/2.0/repos",
	      "{\"url\":\"https://git.example.com/x.git\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", "/api/2.0/repos",
	      "{\"url\":\"https://github.com/example/etl.git\"}", 400,
	      "RESOURCE_ALREADY_EXISTS", NULL);
	fails(ws, "POST", "/api/2.0/repos",
	      "{\"url\":\"https://github.com/e/x.git\",\"path\":"
	      "\"/Repos/none/x\"}",
	      404, "RESOURCE_DOES_NOT_EXIST", NULL);
	r = call_ok(ws, "GET", "/api/2.0/repos?path_prefix=/Repos/admin", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "repos")), 1);
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", target, NULL);
	fails(ws, "GET", target, NULL, 404, "RESOURCE_DOES_NOT_EXIST", NULL);
	fails(ws, "GET", WS "get-status?path=/Repos/admin@example.com/etl", NULL,
	      404, "RESOURCE_DOES_NOT_EXIST", NULL);
	free(target);
	free(commit);
}

/* --- Git credentials ------------------------------------------------------ */

static void test_emu_workspace__git_credentials(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;
	char *target;
	int64_t id;

	r = call_ok(ws, "POST", "/api/2.0/git-credentials",
		    "{\"git_provider\":\"gitHub\",\"git_username\":\"bot\","
		    "\"personal_access_token\":\"ghp_secret\"}");
	assert_null(strstr(r.text, "ghp_secret"));
	assert_int_equal(emu_json_member_int(&id, r.json, "credential_id"), 0);
	emu_test_result_dispose(&r);
	fails(ws, "POST", "/api/2.0/git-credentials",
	      "{\"git_provider\":\"GitHub\"}", 400, "INVALID_STATE",
	      "Only one Git credential is supported at this time. If you "
	      "would like to update your credential, please use the PATCH "
	      "endpoint.");
	ok(ws, "POST", "/api/2.0/git-credentials", "{\"git_provider\":\"gitLab\"}");
	target = emu_printf("/api/2.0/git-credentials/%lld", (long long)id);
	fails(ws, "PATCH", target, "{\"git_username\":\"x\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	ok(ws, "PATCH", target,
	   "{\"git_provider\":\"gitHub\",\"git_username\":\"other\"}");
	r = call_ok(ws, "GET", target, NULL);
	assert_string_equal(emu_test_str(r.json, "git_username"), "other");
	assert_null(strstr(r.text, "ghp_secret"));
	emu_test_result_dispose(&r);
	r = call_ok(ws, "GET", "/api/2.0/git-credentials", NULL);
	assert_int_equal(
		cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "credentials")),
		2);
	emu_test_result_dispose(&r);
	ok(ws, "DELETE", target, NULL);
	fails(ws, "GET", target, NULL, 404, "RESOURCE_DOES_NOT_EXIST", NULL);
	free(target);
}

/* --- --state -------------------------------------------------------------- */

static void test_emu_workspace__state(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_workspace *fresh = emu_workspace_new(NULL);
	char path[] = "/tmp/emu-ws-XXXXXX";
	char *text;

	ok(ws, "POST", WS "import",
	   "{\"path\":\"/Shared/kept\",\"language\":\"PYTHON\","
	   "\"content\":\"cHJpbnQoMSk=\"}");
	ok(ws, "POST", "/api/2.0/git-credentials",
	   "{\"git_provider\":\"gitHub\",\"personal_access_token\":"
	   "\"ghp_not_saved\"}");
	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	text = export_of(fresh, "/Shared/kept", "SOURCE");
	assert_string_equal(text, "# Databricks notebook source\nprint(1)");
	free(text);
	{
		FILE *f = fopen(path, "r");
		char buf[65536];
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		buf[n] = '\0';
		if (f)
			fclose(f);
		assert_null(strstr(buf, "ghp_not_saved"));
	}
	emu_workspace_free(fresh);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, emu_test_setup, emu_test_teardown)
		T(test_emu_workspace__import_export),
		T(test_emu_workspace__list_delete),
		T(test_emu_workspace__repos),
		T(test_emu_workspace__git_credentials),
		T(test_emu_workspace__state),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
