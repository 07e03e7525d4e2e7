/*
 * Unit tests for databricks_mws_workspaces' pure parts
 * (resources/account/mws_workspaces.c): the workspace URL, which the
 * account API does not return and the provider derives from the host it
 * was configured with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "account/account_internal.h"
#include "arena.h"
#include "unit_test.h"

static void test_mws_workspaces__url(void **state)
{
	static const struct {
		const char *host, *url;
	} rows[] = {
		/* The account console's first label becomes the
		 * deployment's, in every cloud and partition. */
		{"https://accounts.cloud.databricks.com",
		 "https://dep-1.cloud.databricks.com"},
		{"https://accounts.gcp.databricks.com",
		 "https://dep-1.gcp.databricks.com"},
		{"https://accounts-dod.cloud.databricks.us",
		 "https://dep-1.cloud.databricks.us"},
		/* Scheme and port are kept: the emulator's account console
		 * name gives the URL it serves the workspace at. */
		{"http://accounts.localhost:40513",
		 "http://dep-1.localhost:40513"},
		{"https://accounts.example.com:8443",
		 "https://dep-1.example.com:8443"},
		/* No label to replace: the AWS default. */
		{"http://127.0.0.1:40513", "https://dep-1.cloud.databricks.com"},
		{"http://[::1]:8080", "https://dep-1.cloud.databricks.com"},
		{"http://localhost:8080", "https://dep-1.cloud.databricks.com"},
		{"accounts.cloud.databricks.com",
		 "https://dep-1.cloud.databricks.com"},
		{NULL, "https://dep-1.cloud.databricks.com"},
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *url =
			tfp_account__workspace_url(f->a, rows[i].host, "dep-1");

		if (strcmp(url, rows[i].url) != 0)
			fail_msg("%s: %s", rows[i].host ? rows[i].host : "NULL",
				 url);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mws_workspaces__url,
						tfp_test_setup,
						tfp_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
