/*
 * Tests for client/curl_lazy.c: libcurl is loaded on first use, and the
 * variadic setters forward every option type as curl.h defines the ranges
 * (long, object pointer, function pointer, curl_off_t, blob), so libcurl
 * reads back what was set. With -DTFP_LAZY_CURL=OFF the same calls reach
 * libcurl directly, and the test still holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <string.h>

static size_t discard(char *p, size_t size, size_t n, void *data)
{
	(void)p;
	(void)data;
	return size * n;
}

static void lock_fn(CURL *h, curl_lock_data d, curl_lock_access a, void *u)
{
	(void)h;
	(void)d;
	(void)a;
	(void)u;
}

static void unlock_fn(CURL *h, curl_lock_data d, void *u)
{
	(void)h;
	(void)d;
	(void)u;
}

static void test_curl_lazy__forwards_every_option_type(void **state)
{
	char *url = NULL;
	long timeout = 0;
	struct curl_blob blob = {.data = (void *)"x", .len = 1,
				 .flags = CURL_BLOB_COPY};
	CURLcode rc;
	CURL *h;

	(void)state;
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	h = curl_easy_init();
	assert_non_null(h);
	/* long (< 10000) */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_TIMEOUT, 7L), CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L), CURLE_OK);
	/* object pointer (10000..19999), read back through getinfo */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_URL, "http://127.0.0.1:1/x"),
			 CURLE_OK);
	assert_int_equal(curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &url),
			 CURLE_OK);
	assert_string_equal(url, "http://127.0.0.1:1/x");
	/* function pointer (20000..29999) */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard),
			 CURLE_OK);
	/* curl_off_t (30000..39999) */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
					  (curl_off_t)1),
			 CURLE_OK);
	/* blob (40000..): OK, or not built in with this TLS backend */
	rc = curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &blob);
	assert_true(rc == CURLE_OK || rc == CURLE_NOT_BUILT_IN ||
		    rc == CURLE_UNKNOWN_OPTION);
	/* an unknown long option is refused by libcurl, not crashed on */
	assert_int_not_equal(curl_easy_setopt(h, (CURLoption)9999, 0L),
			     CURLE_OK);
	/* a connection refused comes back as curl's own error */
	assert_int_equal(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 2L),
			 CURLE_OK);
	rc = curl_easy_perform(h);
	assert_int_not_equal(rc, CURLE_OK);
	assert_non_null(curl_easy_strerror(rc));
	assert_int_equal(curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &timeout),
			 CURLE_OK);
	assert_int_equal(timeout, 0);
	curl_easy_cleanup(h);
}

static void test_curl_lazy__share_and_lists(void **state)
{
	struct curl_slist *list = NULL;
	CURLSH *sh;
	CURLU *u;
	char *host = NULL;

	(void)state;
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	sh = curl_share_init();
	assert_non_null(sh);
	assert_int_equal(curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, lock_fn),
			 CURLSHE_OK);
	assert_int_equal(curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, unlock_fn),
			 CURLSHE_OK);
	assert_int_equal(curl_share_setopt(sh, CURLSHOPT_USERDATA, NULL),
			 CURLSHE_OK);
	assert_int_equal(curl_share_setopt(sh, CURLSHOPT_SHARE,
					   CURL_LOCK_DATA_DNS),
			 CURLSHE_OK);
	assert_int_equal(curl_share_cleanup(sh), CURLSHE_OK);

	list = curl_slist_append(list, "A: b");
	list = curl_slist_append(list, "C: d");
	assert_non_null(list);
	assert_string_equal(list->next->data, "C: d");
	curl_slist_free_all(list);

	u = curl_url();
	assert_non_null(u);
	assert_int_equal(curl_url_set(u, CURLUPART_URL,
				      "https://example.com/a", 0),
			 CURLUE_OK);
	assert_int_equal(curl_url_get(u, CURLUPART_HOST, &host, 0), CURLUE_OK);
	assert_string_equal(host, "example.com");
	curl_free(host);
	curl_url_cleanup(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curl_lazy__forwards_every_option_type),
		cmocka_unit_test(test_curl_lazy__share_and_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
