/*
 * Protocol tests: the built provider binary against tfp_client, which
 * plays Terraform's side of go-plugin (terraform-plugin-protocol.md §4, §9).
 *
 * These cover the transport only: the cookie and protocol checks, the
 * handshake line, AutoMTLS (and that it really refuses other clients),
 * plaintext mode, go-plugin's services, UNIMPLEMENTED for unknown methods,
 * and a prompt, clean exit after Shutdown or SIGTERM. The tfplugin6
 * lifecycle tests live in their own files and reuse tfp_client.
 *
 * Every test that starts a provider keeps the client in *state, so the
 * teardown kills the process even when an assertion fails midway.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <protobuf-c/protobuf-c.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "health.pb-c.h"
#include "tfp_client.h"

/* Terraform waits 2 s before it kills a provider; we demand much less. */
#define SHUTDOWN_TIMEOUT_MS 1000
#define EXEC_TIMEOUT_MS	    20000

static int teardown_client(void **state)
{
	tfp_client_free(*state);
	*state = NULL;
	return 0;
}

static struct tfp_client *start(void **state, bool mtls)
{
	struct tfp_client *c = tfp_client_start(mtls);

	assert_non_null(c);
	*state = c;
	return c;
}

static void shutdown_ok(void **state)
{
	struct tfp_client *c = *state;
	int exit_status = -1;

	*state = NULL; /* tfp_client_shutdown frees it either way */
	assert_int_equal(
		tfp_client_shutdown(c, SHUTDOWN_TIMEOUT_MS, &exit_status), 0);
	assert_int_equal(exit_status, 0);
}

/* Calls Health/Check for service; returns the gRPC status. */
static int health_check(struct tfp_client *c, const char *service,
			int *serving_status)
{
	Grpc__Health__V1__HealthCheckRequest req =
		GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;
	ProtobufCMessage *resp = NULL;
	int status = -1;

	req.service = (char *)service;
	assert_int_equal(
		tfp_client_call_pb(
			c, "/grpc.health.v1.Health/Check", &req.base,
			&grpc__health__v1__health_check_response__descriptor,
			&resp, &status),
		0);
	*serving_status = -1;
	if (resp != NULL) {
		*serving_status =
			((Grpc__Health__V1__HealthCheckResponse *)resp)->status;
		protobuf_c_message_free_unpacked(resp, NULL);
	}
	return status;
}

/* --- run by hand ---------------------------------------------------------- */

static void test_protocol__no_cookie(void **state)
{
	struct tfp_exec_result r;

	(void)state;
	assert_int_equal(tfp_client_exec(NULL, NULL, EXEC_TIMEOUT_MS, &r), 0);
	assert_int_equal(r.exit_status, 1);
	assert_int_equal(r.out_len, 0);
	assert_non_null(strstr(r.err, "This binary is a plugin for Terraform"));
	assert_non_null(strstr(r.err, "terraform init"));
	tfp_exec_result_dispose(&r);
}

static void test_protocol__wrong_cookie(void **state)
{
	const char *env[] = {"TF_PLUGIN_MAGIC_COOKIE=nope", NULL};
	struct tfp_exec_result r;

	(void)state;
	assert_int_equal(tfp_client_exec(NULL, env, EXEC_TIMEOUT_MS, &r), 0);
	assert_int_equal(r.exit_status, 1);
	assert_int_equal(r.out_len, 0);
	assert_non_null(strstr(r.err, "This binary is a plugin"));
	tfp_exec_result_dispose(&r);
}

static void test_protocol__version_flag(void **state)
{
	const char *args[] = {"--version", NULL};
	struct tfp_exec_result r;

	(void)state;
	assert_int_equal(tfp_client_exec(args, NULL, EXEC_TIMEOUT_MS, &r), 0);
	assert_int_equal(r.exit_status, 0);
	assert_string_equal(r.out,
			    "terraform-provider-databricks " TFP_VERSION "\n");
	tfp_exec_result_dispose(&r);
}

static void test_protocol__protocol_5_only(void **state)
{
	const char *env[] = {TFP_CLIENT_COOKIE_ENV,
			     "PLUGIN_PROTOCOL_VERSIONS=5", NULL};
	struct tfp_exec_result r;

	(void)state;
	assert_int_equal(tfp_client_exec(NULL, env, EXEC_TIMEOUT_MS, &r), 0);
	assert_int_equal(r.exit_status, 1);
	assert_int_equal(r.out_len, 0);
	assert_non_null(strstr(r.err, "protocol 6"));
	tfp_exec_result_dispose(&r);
}

/* --- handshake ------------------------------------------------------------ */

static void test_protocol__handshake_line(void **state)
{
	struct tfp_client *c = start(state, true);
	char line[4096], *fields[7], *p;
	const char *cert;
	struct stat st;
	size_t n = 0, i;

	snprintf(line, sizeof(line), "%s", tfp_client_handshake_line(c));
	fields[n++] = line;
	for (p = line; *p != '\0'; p++) {
		if (*p == '|') {
			assert_true(n < 7);
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	assert_int_equal(n, 6);
	assert_string_equal(fields[0], "1");
	assert_string_equal(fields[1], "6");
	assert_string_equal(fields[2], "unix");
	assert_string_equal(fields[4], "grpc");

	/* An absolute path to a live socket, short enough for sun_path. */
	assert_int_equal(fields[3][0], '/');
	assert_true(strlen(fields[3]) < 108);
	assert_int_equal(stat(fields[3], &st), 0);
	assert_true(S_ISSOCK(st.st_mode));

	/* go-plugin parses the field only if it is longer than 50 characters
	 * and decodes it with RawStdEncoding: no padding, no newlines. */
	cert = fields[5];
	assert_true(strlen(cert) > 50);
	assert_null(strchr(cert, '='));
	for (i = 0; cert[i] != '\0'; i++)
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz0123456789+/",
				       cert[i]));
	shutdown_ok(state);
}

static void test_protocol__socket_dir_env(void **state)
{
	char dir[] = "/tmp/tfp-sockdir-XXXXXX", entry[64];
	const char *env[2] = {entry, NULL};
	struct tfp_client_opts o;
	struct tfp_client *c;

	assert_non_null(mkdtemp(dir));
	snprintf(entry, sizeof(entry), "PLUGIN_UNIX_SOCKET_DIR=%s", dir);
	memset(&o, 0, sizeof(o));
	o.mtls = true;
	o.env = env;
	c = tfp_client_start_opts(&o);
	assert_non_null(c);
	*state = c;
	assert_memory_equal(tfp_client_socket_path(c), dir, strlen(dir));
	assert_int_equal(tfp_client_socket_path(c)[strlen(dir)], '/');
	shutdown_ok(state);
	assert_int_equal(rmdir(dir), 0); /* the provider left it empty */
}

static void test_protocol__socket_dir_too_long(void **state)
{
	char base[] = "/tmp/tfp-long-XXXXXX", dir[200], entry[256];
	const char *env[3] = {entry, "TMPDIR=/tmp", NULL};
	struct tfp_client_opts o;
	struct tfp_client *c;
	int n;

	/* An existing directory whose path leaves no room in sun_path: the
	 * provider falls back to $TMPDIR. */
	assert_non_null(mkdtemp(base));
	n = snprintf(dir, sizeof(dir), "%s/%0*d", base, 120, 0);
	assert_true(n > 0 && (size_t)n < sizeof(dir));
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(entry, sizeof(entry), "PLUGIN_UNIX_SOCKET_DIR=%s", dir);
	memset(&o, 0, sizeof(o));
	o.env = env;
	c = tfp_client_start_opts(&o);
	rmdir(dir); /* the provider made nothing under it */
	rmdir(base);
	assert_non_null(c);
	*state = c;
	assert_memory_equal(tfp_client_socket_path(c), "/tmp/brickform-", 15);
	assert_true(strlen(tfp_client_socket_path(c)) < 108);
	shutdown_ok(state);
}

/* --- transport security --------------------------------------------------- */

static void test_protocol__mtls_health(void **state)
{
	struct tfp_client *c = start(state, true);
	int serving = -1;

	assert_int_equal(health_check(c, "plugin", &serving), TFP_GRPC_OK);
	assert_int_equal(
		serving,
		GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
	assert_int_equal(health_check(c, "", &serving), TFP_GRPC_OK);
	assert_int_equal(
		serving,
		GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
	assert_int_equal(health_check(c, "tfplugin6.Nope", &serving),
			 TFP_GRPC_NOT_FOUND);
	shutdown_ok(state);
}

/* P-256 client key as well as go-plugin's P-521 (the default). */
static void test_protocol__mtls_p256_client(void **state)
{
	struct tfp_client_opts o;
	struct tfp_client *c;
	int serving = -1;

	memset(&o, 0, sizeof(o));
	o.mtls = true;
	o.client_curve = "P-256";
	c = tfp_client_start_opts(&o);
	assert_non_null(c);
	*state = c;
	assert_int_equal(health_check(c, "plugin", &serving), TFP_GRPC_OK);
	shutdown_ok(state);
}

static void test_protocol__mtls_refuses_other_clients(void **state)
{
	struct tfp_client *c = start(state, true);
	int status = -1, serving = -1;

	assert_int_equal(tfp_client_probe(c, TFP_PROBE_NO_CLIENT_CERT, &status),
			 0);
	assert_int_equal(status, TFP_GRPC_UNAVAILABLE);
	assert_int_equal(
		tfp_client_probe(c, TFP_PROBE_WRONG_CLIENT_CERT, &status), 0);
	assert_int_equal(status, TFP_GRPC_UNAVAILABLE);
	assert_int_equal(tfp_client_probe(c, TFP_PROBE_PLAINTEXT, &status), 0);
	assert_int_equal(status, TFP_GRPC_UNAVAILABLE);

	/* The refused handshakes did not hurt the real connection. */
	assert_int_equal(health_check(c, "plugin", &serving), TFP_GRPC_OK);
	shutdown_ok(state);
}

static void test_protocol__plaintext(void **state)
{
	struct tfp_client *c = start(state, false);
	int serving = -1;

	assert_string_equal(tfp_client_server_cert_b64(c), "");
	assert_int_equal(health_check(c, "plugin", &serving), TFP_GRPC_OK);
	assert_int_equal(
		serving,
		GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
	shutdown_ok(state);
}

/* --- methods -------------------------------------------------------------- */

static void test_protocol__unknown_method(void **state)
{
	static const char *const methods[] = {
		/* protocol 6.9+, which newer Terraform calls */
		"/tfplugin6.Provider/GetResourceIdentitySchemas",
		"/no.Such/Method",
		"/grpc.health.v1.Health/Watch",
	};
	struct tfp_client *c = start(state, true);
	uint8_t *resp = NULL;
	size_t resp_len = 0, i;
	int status = -1;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		assert_int_equal(tfp_client_call(c, methods[i],
						 (const uint8_t *)"", 0, &resp,
						 &resp_len, &status),
				 0);
		assert_int_equal(status, TFP_GRPC_UNIMPLEMENTED);
		assert_null(resp);
	}
	shutdown_ok(state);
}

static void test_protocol__malformed_request(void **state)
{
	/* Field 1 claims 100 bytes that are not there. */
	static const uint8_t junk[] = {0x0a, 100, 'x'};
	struct tfp_client *c = start(state, true);
	uint8_t *resp = NULL;
	size_t resp_len = 0;
	int status = -1;

	assert_int_equal(tfp_client_call(c, "/grpc.health.v1.Health/Check",
					 junk, sizeof(junk), &resp, &resp_len,
					 &status),
			 0);
	assert_int_equal(status, 3); /* INVALID_ARGUMENT */
	assert_null(resp);
	shutdown_ok(state);
}

/* --- shutdown ------------------------------------------------------------- */

/*
 * Terraform's client opens StreamStdio and StartStream on every connection
 * and leaves them open; the provider must hold them without answering,
 * and they must not delay the exit after Shutdown.
 */
static void test_protocol__shutdown_with_open_streams(void **state)
{
	struct tfp_client *c = start(state, true);
	int serving = -1;

	assert_int_equal(tfp_client_open_streams(c), 0);
	/* A round trip on the same connection: the streams have arrived. */
	assert_int_equal(health_check(c, "plugin", &serving), TFP_GRPC_OK);
	assert_int_equal(tfp_client_streams_pending(c), 2);
	shutdown_ok(state);
}

static void test_protocol__shutdown_plaintext(void **state)
{
	start(state, false);
	shutdown_ok(state);
}

static void test_protocol__sigterm(void **state)
{
	struct tfp_client *c = start(state, true);
	int exit_status = -1;

	assert_int_equal(kill(tfp_client_pid(c), SIGTERM), 0);
	assert_int_equal(tfp_client_wait_exit(c, 5000, &exit_status), 0);
	assert_int_equal(exit_status, 0);
}

static void test_protocol__sigint_ignored(void **state)
{
	struct tfp_client *c = start(state, true);
	int serving = -1;

	/* Ctrl-C reaches the whole process group; Terraform then sends
	 * StopProvider, so the provider itself must survive SIGINT. */
	assert_int_equal(kill(tfp_client_pid(c), SIGINT), 0);
	assert_int_equal(health_check(c, "plugin", &serving), TFP_GRPC_OK);
	shutdown_ok(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocol__no_cookie),
		cmocka_unit_test(test_protocol__wrong_cookie),
		cmocka_unit_test(test_protocol__version_flag),
		cmocka_unit_test(test_protocol__protocol_5_only),
		cmocka_unit_test_teardown(test_protocol__handshake_line,
					  teardown_client),
		cmocka_unit_test_teardown(test_protocol__socket_dir_env,
					  teardown_client),
		cmocka_unit_test_teardown(test_protocol__socket_dir_too_long,
					  teardown_client),
		cmocka_unit_test_teardown(test_protocol__mtls_health,
					  teardown_client),
		cmocka_unit_test_teardown(test_protocol__mtls_p256_client,
					  teardown_client),
		cmocka_unit_test_teardown(
			test_protocol__mtls_refuses_other_clients,
			teardown_client),
		cmocka_unit_test_teardown(test_protocol__plaintext,
					  teardown_client),
		cmocka_unit_test_teardown(test_protocol__unknown_method,
					  teardown_client),
		cmocka_unit_test_teardown(test_protocol__malformed_request,
					  teardown_client),
		cmocka_unit_test_teardown(
			test_protocol__shutdown_with_open_streams,
			teardown_client),
		cmocka_unit_test_teardown(test_protocol__shutdown_plaintext,
					  teardown_client),
		cmocka_unit_test_teardown(test_protocol__sigterm,
					  teardown_client),
		cmocka_unit_test_teardown(test_protocol__sigint_ignored,
					  teardown_client),
	};

	return cmocka_run_group_tests_name("protocol", tests, NULL, NULL);
}
