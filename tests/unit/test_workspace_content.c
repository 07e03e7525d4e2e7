/*
 * Unit tests for the workspace family's content pieces
 * (resources/workspace/content.c): base64 both ways against RFC 4648's
 * vectors, rejection of what is not base64 (the remote data a refresh
 * decodes is untrusted), a round trip of every byte value and of random
 * lengths, MD5 against RFC 1321's vectors in one piece and in blocks, and
 * the private state's round trip and its tolerance of other providers'
 * private data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "call.h"
#include "workspace/workspace_internal.h"

static void test_workspace_content__base64_vectors(void **state)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob",
					    "fooba", "foobar"};
	static const char *const coded[] = {"",	    "Zg==",	"Zm8=",
					    "Zm9v",	    "Zm9vYg==", "Zm9vYmE=",
					    "Zm9vYmFy"};
	struct tfp_arena *a = tfp_arena_new();
	unsigned char *out;
	size_t i, n;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_string_equal(
			tfp_workspace__b64_encode(a, plain[i], strlen(plain[i])),
			coded[i]);
		assert_true(tfp_workspace__b64_decode(&out, &n, a, coded[i]));
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(out, plain[i], n);
	}
	/* Padding may be left out. */
	assert_true(tfp_workspace__b64_decode(&out, &n, a, "Zg"));
	assert_int_equal(n, 1);
	tfp_arena_free(a);
}

static void test_workspace_content__base64_rejects(void **state)
{
	static const char *const bad[] = {"Z",	   "Zg=",  "Zg===", "Z===",
					  "Zm9v!", "Zm 9", "=Zg=", "Zm9v\n",
					  "Zg==Zg=="};
	struct tfp_arena *a = tfp_arena_new();
	unsigned char *out;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(tfp_workspace__b64_decode(&out, &n, a, bad[i]));
	tfp_arena_free(a);
}

static void test_workspace_content__base64_round_trip(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	unsigned char all[256], *buf, *out;
	size_t i, len, n;

	(void)state;
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	assert_true(tfp_workspace__b64_decode(
		&out, &n, a, tfp_workspace__b64_encode(a, all, 256)));
	assert_int_equal(n, 256);
	assert_memory_equal(out, all, 256);
	srand(7);
	for (len = 0; len < 300; len++) {
		buf = tfp_arena_alloc(a, len + 1);
		for (i = 0; i < len; i++)
			buf[i] = (unsigned char)rand();
		assert_true(tfp_workspace__b64_decode(
			&out, &n, a, tfp_workspace__b64_encode(a, buf, len)));
		assert_int_equal(n, len);
		assert_memory_equal(out, buf, len);
	}
	tfp_arena_free(a);
}

static const char *md5_of(struct tfp_arena *a, const char *s, size_t block)
{
	struct tfp_md5 m;
	size_t i, n = strlen(s);

	assert_true(tfp_workspace__md5_init(&m));
	for (i = 0; i < n; i += block)
		tfp_workspace__md5_update(&m, s + i, n - i < block ? n - i
								   : block);
	return tfp_workspace__md5_hex(&m, a);
}

static void test_workspace_content__md5(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	const char *abc = "abcdefghijklmnopqrstuvwxyz";

	(void)state;
	assert_string_equal(md5_of(a, "", 1),
			    "d41d8cd98f00b204e9800998ecf8427e");
	assert_string_equal(md5_of(a, "abc", 64),
			    "900150983cd24fb0d6963f7d28e17f72");
	/* The same digest fed in blocks of 1, 7 and all at once. */
	assert_string_equal(md5_of(a, abc, 1),
			    "c3fcd3d76192e4007dfb496cca67e13b");
	assert_string_equal(md5_of(a, abc, 7),
			    "c3fcd3d76192e4007dfb496cca67e13b");
	assert_string_equal(md5_of(a, abc, 26),
			    "c3fcd3d76192e4007dfb496cca67e13b");
	tfp_arena_free(a);
}

static void test_workspace_content__private_state(void **state)
{
	struct tfp_arena *a = tfp_arena_new();
	struct tfp_call call = {.arena = a};
	const char *digest;
	int64_t modified, size;
	static const char sdk[] =
		"{\"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0\":{\"create\":1},"
		"\"schema_version\":\"1\"}";

	(void)state;
	assert_false(tfp_workspace__private_get(&call, &modified, &size,
						&digest));
	tfp_workspace__private_set(&call, 1700000000123, 42, "abc");
	assert_true(call.private_set);
	call.private_in = call.private_out;
	assert_true(tfp_workspace__private_get(&call, &modified, &size,
					       &digest));
	assert_int_equal(modified, 1700000000123);
	assert_int_equal(size, 42);
	assert_string_equal(digest, "abc");
	/* The official provider's private data, or bytes that are not
	 * JSON: no record, so the content is hashed again. */
	call.private_in.data = (const uint8_t *)sdk;
	call.private_in.len = sizeof(sdk) - 1;
	assert_false(tfp_workspace__private_get(&call, &modified, &size,
						&digest));
	call.private_in.data = (const uint8_t *)"\xff{";
	call.private_in.len = 2;
	assert_false(tfp_workspace__private_get(&call, &modified, &size,
						NULL));
	tfp_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workspace_content__base64_vectors),
		cmocka_unit_test(test_workspace_content__base64_rejects),
		cmocka_unit_test(test_workspace_content__base64_round_trip),
		cmocka_unit_test(test_workspace_content__md5),
		cmocka_unit_test(test_workspace_content__private_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
