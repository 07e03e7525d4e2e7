/*
 * Unit tests for the emulated DBFS API 2.0 (emulator/dbfs/dbfs.c), through
 * the router without a network: put and its limits, streamed uploads of
 * 20 MB in 1 MiB blocks read back block by block, read's defaults and
 * limits, get-status and list (a file lists itself, an empty directory
 * answers {}), mkdirs, move, delete, the service's error codes and
 * messages, handles that expire, paths with and without "dbfs:", put as
 * a multipart/form-data post, --state, /_emulator/reset, and hosted
 * workspaces that each have their own files.
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

#define EMU_TEST_TOKEN "dapi-dbfs-test"
#include "emu_test.h"

#define DBFS "/api/2.0/dbfs/"
#define MIB  (1024 * 1024)

/* --- helpers -------------------------------------------------------------- */

static void ok(struct emu_workspace *ws, const char *method, const char *target,
	       const char *body)
{
	emu_test_ok(ws, method, target, body, EMU_TEST_TOKEN, "{}");
}

static void fails(struct emu_workspace *ws, const char *method,
		  const char *target, const char *body, int status,
		  const char *code, const char *message)
{
	emu_test_fails(ws, method, target, body, EMU_TEST_TOKEN, status, code,
		       message, NULL);
}

/* n bytes of a pattern that differs from block to block. */
static unsigned char *pattern(size_t n, unsigned seed)
{
	unsigned char *b = emu_xmalloc(n ? n : 1);
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)((i * 31 + seed * 7 + (i >> 12)) & 0xFF);
	return b;
}

/* POST put of n bytes of data at path. */
static struct emu_test_result put(struct emu_workspace *ws, const char *path,
				  const unsigned char *data, size_t n,
				  bool overwrite)
{
	char *b64 = emu_base64_encode(data, n);
	char *body = emu_printf("{\"path\":\"%s\",\"contents\":\"%s\","
				"\"overwrite\":%s}",
				path, b64, overwrite ? "true" : "false");
	struct emu_test_result r = call(ws, "POST", DBFS "put", body);

	free(b64);
	free(body);
	return r;
}

static void put_text(struct emu_workspace *ws, const char *path,
		     const char *text)
{
	struct emu_test_result r =
		put(ws, path, (const unsigned char *)text, strlen(text), true);

	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
}

/* GET read; returns the decoded bytes (caller frees) and their count. */
static unsigned char *read_at(struct emu_workspace *ws, const char *path,
			      int64_t offset, int64_t length, size_t *n)
{
	char *target = length >= 0
			       ? emu_printf(DBFS "read?path=%s&offset=%" PRId64
						 "&length=%" PRId64,
					    path, offset, length)
			       : emu_printf(DBFS "read?path=%s&offset=%" PRId64,
					    path, offset);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	const char *data = emu_test_str(r.json, "data");
	unsigned char *out = NULL;

	assert_non_null(data);
	assert_int_equal(emu_base64_decode(&out, n, data, strlen(data)), 0);
	assert_int_equal(emu_test_int(r.json, "bytes_read"), (int64_t)*n);
	emu_test_result_dispose(&r);
	free(target);
	return out;
}

/* The text of a whole small file. */
static char *read_text(struct emu_workspace *ws, const char *path)
{
	size_t n = 0;

	return (char *)read_at(ws, path, 0, -1, &n);
}

static int64_t status_size(struct emu_workspace *ws, const char *path,
			   bool *is_dir)
{
	char *target = emu_printf(DBFS "get-status?path=%s", path);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	int64_t size = emu_test_int(r.json, "file_size");

	*is_dir = cJSON_IsTrue(cJSON_GetObjectItem(r.json, "is_dir"));
	assert_true(emu_test_int(r.json, "modification_time") > 0 ||
		    strcmp(path, "/") == 0);
	emu_test_result_dispose(&r);
	free(target);
	return size;
}

/* The paths GET list answers for path, as "a,b" (malloc'd). */
static char *listed(struct emu_workspace *ws, const char *path)
{
	char *target = emu_printf(DBFS "list?path=%s", path);
	struct emu_test_result r = call_ok(ws, "GET", target, NULL);
	char *out = emu_xstrdup("");
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(r.json, "files"))
	{
		char *next = emu_printf(
			"%s%s%s%s", out, *out ? "," : "",
			emu_test_str(f, "path"),
			cJSON_IsTrue(cJSON_GetObjectItem(f, "is_dir")) ? "/"
								       : "");

		free(out);
		out = next;
	}
	emu_test_result_dispose(&r);
	free(target);
	return out;
}

static void expect_listed(struct emu_workspace *ws, const char *path,
			  const char *expected)
{
	char *got = listed(ws, path);

	assert_string_equal(got, expected);
	free(got);
}

static int64_t open_handle(struct emu_workspace *ws, const char *path,
			   bool overwrite)
{
	char *body = emu_printf("{\"path\":\"%s\",\"overwrite\":%s}", path,
				overwrite ? "true" : "false");
	struct emu_test_result r = call_ok(ws, "POST", DBFS "create", body);
	int64_t h = emu_test_int(r.json, "handle");

	emu_test_result_dispose(&r);
	free(body);
	return h;
}

static struct emu_test_result add_block(struct emu_workspace *ws, int64_t h,
					const unsigned char *data, size_t n)
{
	char *b64 = emu_base64_encode(data, n);
	char *body =
		emu_printf("{\"handle\":%" PRId64 ",\"data\":\"%s\"}", h, b64);
	struct emu_test_result r = call(ws, "POST", DBFS "add-block", body);

	free(b64);
	free(body);
	return r;
}

static void close_handle(struct emu_workspace *ws, int64_t h)
{
	char *body = emu_printf("{\"handle\":%" PRId64 "}", h);

	ok(ws, "POST", DBFS "close", body);
	free(body);
}

/* --- put, read, get-status --------------------------------------------------
 */

static void test_emu_dbfs__put_read_status(void **state)
{
	struct emu_workspace *ws = *state;
	unsigned char *big = pattern(MIB + 1, 1), *got;
	struct emu_test_result r;
	bool is_dir = false;
	char *text;
	size_t n = 0;

	/* "dbfs:/" and "/" name the same file; parents are made. */
	put_text(ws, "dbfs:/FileStore/conf/app.json", "{\"a\": 1}");
	text = read_text(ws, "/FileStore/conf/app.json");
	assert_string_equal(text, "{\"a\": 1}");
	free(text);
	assert_int_equal(status_size(ws, "/FileStore/conf/app.json", &is_dir),
			 8);
	assert_false(is_dir);
	assert_int_equal(status_size(ws, "/FileStore/conf", &is_dir), 0);
	assert_true(is_dir);
	status_size(ws, "/", &is_dir);
	assert_true(is_dir);
	r = call_ok(ws, "GET", DBFS "get-status?path=dbfs:/FileStore//conf/",
		    NULL);
	assert_string_equal(emu_test_str(r.json, "path"), "/FileStore/conf");
	emu_test_result_dispose(&r);

	/* Without overwrite an existing file stays. */
	r = put(ws, "/FileStore/conf/app.json", (const unsigned char *)"x", 1,
		false);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "RESOURCE_ALREADY_EXISTS");
	assert_string_equal(emu_test_str(r.json, "message"),
			    "A file or directory already exists at the input "
			    "path /FileStore/conf/app.json.");
	emu_test_result_dispose(&r);
	/* A directory is never overwritten by a file. */
	r = put(ws, "/FileStore/conf", (const unsigned char *)"x", 1, true);
	assert_int_equal(r.status, 400);
	emu_test_result_dispose(&r);
	/* Nor is a file made below a file. */
	r = put(ws, "/FileStore/conf/app.json/x", (const unsigned char *)"x", 1,
		true);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "RESOURCE_ALREADY_EXISTS");
	emu_test_result_dispose(&r);

	/* 1 MiB is the most put takes inline. */
	r = put(ws, "/big", big, MIB + 1, true);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "MAX_BLOCK_SIZE_EXCEEDED");
	assert_string_equal(emu_test_str(r.json, "message"),
			    "The 'contents' data cannot exceed 1048576 bytes. "
			    "Found: 1048577 bytes. You might want to use "
			    "streaming upload instead.");
	emu_test_result_dispose(&r);
	r = put(ws, "/big", big, MIB, true);
	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
	assert_int_equal(status_size(ws, "/big", &is_dir), MIB);
	/* Reads default to 0.5 MiB; offset + length past the end stops
	 * at the end; an offset past the end reads nothing. */
	got = read_at(ws, "/big", 0, -1, &n);
	assert_int_equal(n, 512 * 1024);
	assert_memory_equal(got, big, n);
	free(got);
	got = read_at(ws, "/big", MIB - 10, MIB, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(got, big + MIB - 10, 10);
	free(got);
	got = read_at(ws, "/big", MIB + 5, 100, &n);
	assert_int_equal(n, 0);
	free(got);

	/* Without contents: an empty file. */
	ok(ws, "POST", DBFS "put", "{\"path\":\"/empty\"}");
	assert_int_equal(status_size(ws, "/empty", &is_dir), 0);
	free(big);
}

static void test_emu_dbfs__errors(void **state)
{
	struct emu_workspace *ws = *state;

	put_text(ws, "/f", "x");
	ok(ws, "POST", DBFS "mkdirs", "{\"path\":\"/d\"}");
	fails(ws, "GET", DBFS "get-status?path=/nope", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST",
	      "No file or directory exists on path /nope.");
	fails(ws, "GET", DBFS "read?path=dbfs:/nope", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST",
	      "No file or directory exists on path dbfs:/nope.");
	fails(ws, "GET", DBFS "list?path=/nope/deeper", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST",
	      "No file or directory exists on path /nope/deeper.");
	fails(ws, "GET", DBFS "get-status?path=relative/x", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Path must be absolute: relative/x");
	fails(ws, "GET", DBFS "get-status", NULL, 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: path");
	/* Reading a directory, negative or too long reads. */
	fails(ws, "GET", DBFS "read?path=/d", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "GET", DBFS "read?path=/f&offset=-1", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "GET", DBFS "read?path=/f&length=-1", NULL, 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "GET", DBFS "read?path=/f&length=1048577", NULL, 400,
	      "MAX_READ_SIZE_EXCEEDED", NULL);
	fails(ws, "POST", DBFS "put",
	      "{\"path\":\"/g\",\"contents\":\"not base64!\"}", 400,
	      "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", DBFS "put", "{\"path\":\"/g\",\"overwrite\":\"yes\"}",
	      400, "INVALID_PARAMETER_VALUE", NULL);
	{
		char *longp = emu_xmalloc(5002), *body;

		memset(longp, 'a', 5001);
		longp[0] = '/';
		longp[5001] = '\0';
		body = emu_printf("{\"path\":\"%s\"}", longp);
		fails(ws, "POST", DBFS "mkdirs", body, 400,
		      "INVALID_PARAMETER_VALUE",
		      "The path is longer than 4096 characters.");
		free(body);
		free(longp);
	}
	/* Nothing of the refused puts was made. */
	fails(ws, "GET", DBFS "get-status?path=/g", NULL, 404,
	      "RESOURCE_DOES_NOT_EXIST", NULL);
}

/* --- streams ------------------------------------------------------------- */

static void test_emu_dbfs__stream_20mb(void **state)
{
	struct emu_workspace *ws = *state;
	const size_t total = 20 * MIB + 12345;
	unsigned char *all = pattern(total, 3), *got;
	struct emu_test_result r;
	size_t off, n = 0;
	bool is_dir;
	int64_t h;

	h = open_handle(ws, "/FileStore/jars/app.jar", false);
	/* Open: the file is there, empty. */
	assert_int_equal(status_size(ws, "/FileStore/jars/app.jar", &is_dir),
			 0);
	for (off = 0; off < total; off += MIB) {
		size_t len = total - off < MIB ? total - off : MIB;

		r = add_block(ws, h, all + off, len);
		assert_int_equal(r.status, 200);
		emu_test_result_dispose(&r);
	}
	close_handle(ws, h);
	assert_int_equal(status_size(ws, "/FileStore/jars/app.jar", &is_dir),
			 (int64_t)total);
	/* Read back in 1 MiB blocks, as the official provider does. */
	for (off = 0; off < total; off += n) {
		got = read_at(ws, "/FileStore/jars/app.jar", (int64_t)off, MIB,
			      &n);
		assert_true(n > 0);
		assert_memory_equal(got, all + off, n);
		free(got);
	}
	assert_int_equal(off, total);

	/* create without overwrite on an existing file. */
	fails(ws, "POST", DBFS "create",
	      "{\"path\":\"/FileStore/jars/app.jar\"}", 400,
	      "RESOURCE_ALREADY_EXISTS",
	      "A file or directory already exists at the input path "
	      "/FileStore/jars/app.jar.");
	/* With overwrite the file is emptied until close. */
	h = open_handle(ws, "dbfs:/FileStore/jars/app.jar", true);
	assert_int_equal(status_size(ws, "/FileStore/jars/app.jar", &is_dir),
			 0);
	r = add_block(ws, h, all, MIB + 1);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "MAX_BLOCK_SIZE_EXCEEDED");
	emu_test_result_dispose(&r);
	r = add_block(ws, h, all, 3);
	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
	close_handle(ws, h);
	assert_int_equal(status_size(ws, "/FileStore/jars/app.jar", &is_dir),
			 3);
	/* A closed handle is gone. */
	fails(ws, "POST", DBFS "close", "{\"handle\": 1}", 404,
	      "RESOURCE_DOES_NOT_EXIST", "The handle 1 does not exist.");
	r = add_block(ws, h, all, 1);
	assert_int_equal(r.status, 404);
	emu_test_result_dispose(&r);
	fails(ws, "POST", DBFS "add-block", "{\"data\":\"\"}", 400,
	      "INVALID_PARAMETER_VALUE", "Missing required field: handle");
	free(all);
}

static void test_emu_dbfs__handle_expires(void **state)
{
	struct emu_workspace *ws = *state;
	int64_t h = open_handle(ws, "/slow", false), h2;
	struct emu_test_result r;

	/* Each request keeps the stream alive for another 10 minutes. */
	emu_workspace_advance_clock(ws, 9 * 60 * 1000);
	r = add_block(ws, h, (const unsigned char *)"ab", 2);
	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
	emu_workspace_advance_clock(ws, 9 * 60 * 1000);
	close_handle(ws, h);

	h2 = open_handle(ws, "/slower", false);
	assert_true(h2 != h);
	emu_workspace_advance_clock(ws, 11 * 60 * 1000);
	r = add_block(ws, h2, (const unsigned char *)"ab", 2);
	assert_int_equal(r.status, 404);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "RESOURCE_DOES_NOT_EXIST");
	emu_test_result_dispose(&r);
}

/* --- list, mkdirs, move, delete ------------------------------------------ */

static void test_emu_dbfs__list_mkdirs(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	ok(ws, "POST", DBFS "mkdirs", "{\"path\":\"/a/b/c\"}");
	/* Again: nothing to do. */
	ok(ws, "POST", DBFS "mkdirs", "{\"path\":\"dbfs:/a/b/c/\"}");
	put_text(ws, "/a/z.txt", "z");
	put_text(ws, "/a/b/y.txt", "y");
	expect_listed(ws, "/", "/a/");
	expect_listed(ws, "/a", "/a/b/,/a/z.txt");
	expect_listed(ws, "dbfs:/a/b", "/a/b/c/,/a/b/y.txt");
	/* A file lists itself. */
	expect_listed(ws, "/a/z.txt", "/a/z.txt");
	/* An empty directory answers {}. */
	r = call_ok(ws, "GET", DBFS "list?path=/a/b/c", NULL);
	assert_string_equal(r.text, "{}");
	emu_test_result_dispose(&r);
	/* Each entry has the four fields. */
	r = call_ok(ws, "GET", DBFS "list?path=/a", NULL);
	{
		const cJSON *f = cJSON_GetArrayItem(
			cJSON_GetObjectItem(r.json, "files"), 1);

		assert_int_equal(emu_test_int(f, "file_size"), 1);
		assert_true(emu_test_int(f, "modification_time") > 0);
		assert_true(cJSON_IsFalse(cJSON_GetObjectItem(f, "is_dir")));
	}
	emu_test_result_dispose(&r);

	/* A file where mkdirs needs a directory. */
	fails(ws, "POST", DBFS "mkdirs", "{\"path\":\"/a/z.txt/sub\"}", 400,
	      "RESOURCE_ALREADY_EXISTS",
	      "A file or directory already exists at the input path "
	      "/a/z.txt/sub.");
	fails(ws, "POST", DBFS "mkdirs", "{\"path\":\"/a/z.txt\"}", 400,
	      "RESOURCE_ALREADY_EXISTS", NULL);
	expect_listed(ws, "/a/z.txt", "/a/z.txt");
}

static void test_emu_dbfs__move(void **state)
{
	struct emu_workspace *ws = *state;
	char *text;

	put_text(ws, "/src/one.txt", "1");
	put_text(ws, "/src/sub/two.txt", "2");
	put_text(ws, "/other.txt", "o");
	ok(ws, "POST", DBFS "move",
	   "{\"source_path\":\"/src\",\"destination_path\":\"/dst/moved\"}");
	expect_listed(ws, "/", "/dst/,/other.txt");
	expect_listed(ws, "/dst/moved", "/dst/moved/one.txt,/dst/moved/sub/");
	text = read_text(ws, "/dst/moved/sub/two.txt");
	assert_string_equal(text, "2");
	free(text);
	ok(ws, "POST", DBFS "move",
	   "{\"source_path\":\"dbfs:/other.txt\",\"destination_path\":"
	   "\"/dst/o.txt\"}");
	fails(ws, "POST", DBFS "move",
	      "{\"source_path\":\"/other.txt\",\"destination_path\":\"/x\"}",
	      404, "RESOURCE_DOES_NOT_EXIST",
	      "No file or directory exists on path /other.txt.");
	fails(ws, "POST", DBFS "move",
	      "{\"source_path\":\"/dst/o.txt\",\"destination_path\":"
	      "\"/dst/moved/one.txt\"}",
	      400, "RESOURCE_ALREADY_EXISTS",
	      "A file or directory already exists at the input path "
	      "/dst/moved/one.txt.");
	fails(ws, "POST", DBFS "move",
	      "{\"source_path\":\"/dst\",\"destination_path\":\"/dst/in\"}",
	      400, "INVALID_PARAMETER_VALUE", NULL);
	fails(ws, "POST", DBFS "move", "{\"source_path\":\"/dst\"}", 400,
	      "INVALID_PARAMETER_VALUE",
	      "Missing required field: destination_path");
}

static void test_emu_dbfs__delete(void **state)
{
	struct emu_workspace *ws = *state;

	put_text(ws, "/dir/a.txt", "a");
	put_text(ws, "/dir/sub/b.txt", "b");
	fails(ws, "POST", DBFS "delete", "{\"path\":\"/dir\"}", 400, "IO_ERROR",
	      "Path is a folder: /dir and it is not an empty directory");
	fails(ws, "POST", DBFS "delete",
	      "{\"path\":\"dbfs:/dir\",\"recursive\":false}", 400, "IO_ERROR",
	      "Path is a folder: dbfs:/dir and it is not an empty directory");
	ok(ws, "POST", DBFS "delete", "{\"path\":\"/dir/a.txt\"}");
	expect_listed(ws, "/dir", "/dir/sub/");
	ok(ws, "POST", DBFS "delete", "{\"path\":\"/dir\",\"recursive\":true}");
	expect_listed(ws, "/", "");
	/* What is not there deletes fine. */
	ok(ws, "POST", DBFS "delete", "{\"path\":\"/dir\"}");
	ok(ws, "POST", DBFS "mkdirs", "{\"path\":\"/empty\"}");
	ok(ws, "POST", DBFS "delete", "{\"path\":\"/empty\"}");
	expect_listed(ws, "/", "");
	/* A name that only shares a prefix is not below. */
	put_text(ws, "/ab", "x");
	ok(ws, "POST", DBFS "mkdirs", "{\"path\":\"/a\"}");
	ok(ws, "POST", DBFS "delete", "{\"path\":\"/a\",\"recursive\":true}");
	expect_listed(ws, "/", "/ab");
}

/* --- multipart put ---------------------------------------------------------
 */

/* POST put with a raw body of len bytes and its Content-Type. */
static struct emu_test_result post_form(struct emu_workspace *ws,
					const char *type, const char *body,
					size_t len)
{
	struct emu_request req;
	struct emu_response resp;
	struct emu_test_result r;

	emu_request_init(&req, "POST", DBFS "put", body, len);
	emu_request_add_header(&req, "Authorization", "Bearer " EMU_TEST_TOKEN);
	emu_request_add_header(&req, "Content-Type", type);
	emu_response_init(&resp);
	emu_router_handle(ws, &req, &resp);
	r.status = resp.status;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	assert_non_null(r.json);
	return r;
}

/* A form as curl -F makes it: path, overwrite and a 2 MiB binary file
 * (beyond the inline limit, with NUL and CR LF bytes inside). */
static char *form_body(const unsigned char *data, size_t n, bool overwrite,
		       size_t *len)
{
	const char *b = "------------------------d74496d66958873e";
	struct emu_buf buf = EMU_BUF_INIT(64 * MIB);
	char *head = emu_printf(
		"--%s\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n"
		"dbfs:/forms/upload.bin\r\n--%s\r\nContent-Disposition: "
		"form-data; name=\"overwrite\"\r\n\r\n%s\r\n--%s\r\n"
		"Content-Disposition: form-data; name=\"contents\"; "
		"filename=\"upload.bin\"\r\nContent-Type: "
		"application/octet-stream\r\n\r\n",
		b, b, overwrite ? "true" : "false", b);
	char *tail = emu_printf("\r\n--%s--\r\n", b);

	assert_int_equal(emu_buf_append(&buf, head, strlen(head)), 0);
	assert_int_equal(emu_buf_append(&buf, data, n), 0);
	assert_int_equal(emu_buf_append(&buf, tail, strlen(tail)), 0);
	free(head);
	free(tail);
	*len = buf.len;
	return buf.data;
}

static void test_emu_dbfs__multipart_put(void **state)
{
	struct emu_workspace *ws = *state;
	const char *type = "multipart/form-data; boundary=----------------"
			   "--------d74496d66958873e";
	unsigned char *data = pattern(2 * MIB, 5), *got;
	size_t len = 0, n = 0, off;
	char *body;
	struct emu_test_result r;
	bool is_dir;

	/* Bytes a careless parser would stop at. */
	data[100] = '\0';
	memcpy(data + 200, "\r\n--", 4);
	body = form_body(data, 2 * MIB, false, &len);
	r = post_form(ws, type, body, len);
	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
	assert_int_equal(status_size(ws, "/forms/upload.bin", &is_dir),
			 2 * MIB);
	for (off = 0; off < 2 * MIB; off += n) {
		got = read_at(ws, "/forms/upload.bin", (int64_t)off, MIB, &n);
		assert_memory_equal(got, data + off, n);
		free(got);
	}
	/* overwrite is honoured as in the JSON form. */
	r = post_form(ws, type, body, len);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "RESOURCE_ALREADY_EXISTS");
	emu_test_result_dispose(&r);
	free(body);
	body = form_body(data, 10, true, &len);
	r = post_form(ws, type, body, len);
	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
	assert_int_equal(status_size(ws, "/forms/upload.bin", &is_dir), 10);

	/* Not a form, or no boundary. */
	r = post_form(ws, type, "garbage", 7);
	assert_int_equal(r.status, 400);
	assert_string_equal(emu_test_str(r.json, "error_code"),
			    "MALFORMED_REQUEST");
	emu_test_result_dispose(&r);
	r = post_form(ws, "multipart/form-data", body, len);
	assert_int_equal(r.status, 400);
	emu_test_result_dispose(&r);
	/* A JSON body is still JSON. */
	r = post_form(ws, "application/json", "{\"path\":\"/j\"}", 13);
	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
	free(body);
	free(data);
}

/* --- --state and hosted workspaces --------------------------------------- */

static void test_emu_dbfs__state(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_workspace *fresh = emu_workspace_new(NULL);
	unsigned char *bin = pattern(70000, 9), *got;
	char path[] = "/tmp/emu-dbfs-XXXXXX";
	struct emu_test_result r = put(ws, "/bin/data", bin, 70000, false);
	size_t n = 0;
	char err[256];

	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
	ok(ws, "POST", DBFS "mkdirs", "{\"path\":\"/kept/empty\"}");
	emu_test_temp_file(path);
	emu_test_save_load(ws, fresh, path);
	got = read_at(fresh, "/bin/data", 0, MIB, &n);
	assert_int_equal(n, 70000);
	assert_memory_equal(got, bin, n);
	free(got);
	expect_listed(fresh, "/", "/bin/,/kept/");
	expect_listed(fresh, "/kept", "/kept/empty/");
	emu_workspace_free(fresh);

	fresh = emu_workspace_new(NULL);
	assert_int_equal(
		emu_test_load_text(fresh, path,
				   "{\"format\":\"brickform-emulator-state\","
				   "\"version\":1,\"modules\":{\"dbfs\":"
				   "{\"files\":[{\"path\":\"relative\"}]}}}",
				   err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "dbfs"));
	emu_workspace_free(fresh);
	unlink(path);
	free(bin);
}

static void test_emu_dbfs__hosted_workspaces(void **state)
{
	struct emu_workspace *ws = *state;
	struct emu_test_result r;

	assert_non_null(emu_workspace_host(ws, "alpha", "1001"));
	put_text(ws, "/root-only", "r");
	r = emu_test_call_at(ws, "alpha.localhost", "GET",
			     DBFS "get-status?path=/root-only", NULL,
			     EMU_TEST_TOKEN);
	assert_int_equal(r.status, 404);
	emu_test_result_dispose(&r);
	r = emu_test_call_at(ws, "alpha.localhost", "POST", DBFS "mkdirs",
			     "{\"path\":\"/alpha-only\"}", EMU_TEST_TOKEN);
	assert_int_equal(r.status, 200);
	emu_test_result_dispose(&r);
	expect_listed(ws, "/", "/root-only");

	/* --state keeps each workspace's tree with it. */
	{
		struct emu_workspace *fresh = emu_workspace_new(NULL);
		char path[] = "/tmp/emu-dbfs-hosted-XXXXXX";

		emu_test_temp_file(path);
		emu_test_save_load(ws, fresh, path);
		expect_listed(fresh, "/", "/root-only");
		r = emu_test_call_at(fresh, "alpha.localhost", "GET",
				     DBFS "list?path=/", NULL, EMU_TEST_TOKEN);
		assert_int_equal(r.status, 200);
		assert_string_equal(
			emu_test_str(
				cJSON_GetArrayItem(
					cJSON_GetObjectItem(r.json, "files"),
					0),
				"path"),
			"/alpha-only");
		emu_test_result_dispose(&r);
		emu_workspace_free(fresh);
		unlink(path);
	}
}

/* POST /_emulator/reset empties DBFS and forgets open streams. */
static void test_emu_dbfs__reset(void **state)
{
	struct emu_workspace *ws = *state;
	int64_t h;
	char *body;

	put_text(ws, "/before-reset", "x");
	h = open_handle(ws, "/streaming", false);
	emu_test_ok(ws, "POST", "/_emulator/reset", NULL, NULL, NULL);
	expect_listed(ws, "/", "");
	body = emu_printf("{\"handle\":%" PRId64 "}", h);
	fails(ws, "POST", DBFS "close", body, 404, "RESOURCE_DOES_NOT_EXIST",
	      NULL);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, emu_test_setup, emu_test_teardown)
		T(test_emu_dbfs__put_read_status),
		T(test_emu_dbfs__errors),
		T(test_emu_dbfs__stream_20mb),
		T(test_emu_dbfs__handle_expires),
		T(test_emu_dbfs__list_mkdirs),
		T(test_emu_dbfs__move),
		T(test_emu_dbfs__delete),
		T(test_emu_dbfs__multipart_put),
		T(test_emu_dbfs__state),
		T(test_emu_dbfs__hosted_workspaces),
		T(test_emu_dbfs__reset),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
