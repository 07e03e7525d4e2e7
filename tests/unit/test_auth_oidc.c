/*
 * auth.c's OIDC methods and Azure tenant discovery: the pure part (the
 * reader of GitHub's ID token answer, the tenant in an /aad/auth
 * redirect, the token exchange form, the audience rule, the method
 * choice and its errors), with hostile input; then the token sources
 * against a small local server that records what they send: GitHub's
 * request (audience, bearer), the exchange form at the discovered or the
 * account's endpoint, Entra ID's client assertion form, and the tenant
 * learnt from the redirect before a client secret grant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "arena.h"
#include "auth.h"
#include "diag.h"

static int setup(void **state)
{
	*state = tfp_arena_new();
	unsetenv("DATABRICKS_OIDC_TOKEN");
	unsetenv("MY_OIDC_TOKEN");
	return 0;
}

static int teardown(void **state)
{
	tfp_arena_free(*state);
	return 0;
}

static void test_auth_oidc__id_token(void **state)
{
	char *tok = NULL;
	const char *why = NULL;

	(void)state;
	assert_int_equal(tfp_auth_parse_id_token(&tok, &why,
						 "{\"count\": 3, \"value\": "
						 "\"eyJ.a.b\"}"),
			 TFP_OK);
	assert_string_equal(tok, "eyJ.a.b");
	free(tok);
	/* Hostile or empty answers: an error, nothing quoted. */
	assert_int_equal(tfp_auth_parse_id_token(&tok, &why, "{}"), TFP_ERROR);
	assert_null(tok);
	assert_non_null(strstr(why, "value"));
	assert_int_equal(
		tfp_auth_parse_id_token(&tok, &why, "{\"value\": \"\"}"),
		TFP_ERROR);
	assert_int_equal(tfp_auth_parse_id_token(&tok, &why, "{\"value\": 12}"),
			 TFP_ERROR);
	assert_int_equal(tfp_auth_parse_id_token(&tok, &why, "not json"),
			 TFP_ERROR);
	assert_int_equal(tfp_auth_parse_id_token(&tok, &why, NULL), TFP_ERROR);
	assert_int_equal(
		tfp_auth_parse_id_token(&tok, &why,
					"{\"value\": \"a\\r\\nX-Evil: 1\"}"),
		TFP_ERROR);
	assert_non_null(strstr(why, "control"));
	assert_null(strstr(why, "Evil"));
}

static void test_auth_oidc__tenant_location(void **state)
{
	const char *why = NULL, *t;

	t = tfp_auth_tenant_from_location(
		&why, *state,
		"https://login.microsoftonline.com/"
		"72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/"
		"authorize?client_id=x");
	assert_string_equal(t, "72f988bf-86f1-41af-91ab-2d7cd011db47");
	t = tfp_auth_tenant_from_location(&why, *state,
					  "https://login.chinacloudapi.cn/"
					  "contoso.onmicrosoft.com?x=1");
	assert_string_equal(t, "contoso.onmicrosoft.com");
	/* Not a redirect, relative, no path, or a segment that could
	 * change the Entra ID URL it goes into. */
	static const char *const bad[] = {
		NULL,
		"",
		"/72f988bf/oauth2/authorize",
		"https://login.microsoftonline.com",
		"https://login.microsoftonline.com/",
		"https://login.microsoftonline.com//oauth2",
		"https://login.microsoftonline.com/..%2F..%2Fevil/oauth2",
		"https://login.microsoftonline.com/ten ant/oauth2",
		"https://login.microsoftonline.com/.hidden/x",
		"login.microsoftonline.com/a?u=https://x/y",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_null(
			tfp_auth_tenant_from_location(&why, *state, bad[i]));
		assert_non_null(why);
	}
}

static void test_auth_oidc__form_and_audience(void **state)
{
	char *f;

	(void)state;
	f = tfp_auth_oidc_form("a+b/c=", "sp 1");
	assert_string_equal(
		f, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3A"
		   "token-exchange&subject_token_type=urn%3Aietf%3Aparams%3A"
		   "oauth%3Atoken-type%3Ajwt&subject_token=a%2Bb%2Fc%3D"
		   "&scope=all-apis&client_id=sp%201");
	free(f);
	/* Account-wide federation: no client_id at all. */
	f = tfp_auth_oidc_form("t", NULL);
	assert_null(strstr(f, "client_id"));
	free(f);
	/* The Go SDK's determineAudience. */
	assert_string_equal(tfp_auth_oidc_audience("aud", true, "acc", "te"),
			    "aud");
	assert_string_equal(tfp_auth_oidc_audience(NULL, true, "acc", "te"),
			    "acc");
	assert_string_equal(tfp_auth_oidc_audience("", false, "acc", "te"),
			    "te");
}

static void test_auth_oidc__resolution(void **state)
{
	struct tfp_auth_settings blk = {0}, env = {0}, out;
	enum tfp_auth_method m;
	const char *err;

#define RESOLVE()                                                              \
	tfp_auth_resolve(&out, &m, &err, *state, &blk, &env, NULL, NULL)
	env.host = "https://dbc-1.cloud.databricks.com";
	env.actions_id_token_request_url = "https://gh.example/idtoken?v=2";
	env.actions_id_token_request_token = "req-token-value";
	/* GitHub's variables: github-oidc, a client_id alone is the
	 * federated service principal, not half of oauth-m2m. */
	assert_int_equal(RESOLVE(), TFP_OK);
	assert_int_equal(m, TFP_AUTH_GITHUB_OIDC);
	env.client_id = "sp";
	assert_int_equal(RESOLVE(), TFP_OK);
	assert_int_equal(m, TFP_AUTH_GITHUB_OIDC);
	env.client_id = NULL;
	/* An Entra application: github-oidc-azure. */
	env.azure_client_id = "app";
	env.azure_tenant_id = "ten";
	assert_int_equal(RESOLVE(), TFP_OK);
	assert_int_equal(m, TFP_AUTH_GITHUB_OIDC_AZURE);
	/* env-oidc comes before github-oidc-azure in the SDK's chain. */
	setenv("DATABRICKS_OIDC_TOKEN", "a.b.c", 1);
	assert_int_equal(RESOLVE(), TFP_OK);
	assert_int_equal(m, TFP_AUTH_ENV_OIDC);
	unsetenv("DATABRICKS_OIDC_TOKEN");
	/* With its secret the Azure app signs in with azure-client-secret. */
	env.azure_client_secret = "s";
	assert_int_equal(RESOLVE(), TFP_OK);
	assert_int_equal(m, TFP_AUTH_AZURE_CLIENT_SECRET);
	env.azure_client_secret = NULL;
	env.azure_client_id = NULL;
	env.azure_tenant_id = NULL;
	/* An Azure host without a client_id: Azure sign-in, not
	 * federation (the SDK's github-oidc trial would fail there). */
	env.host = "https://adb-1.2.azuredatabricks.net";
	assert_int_equal(RESOLVE(), TFP_OK);
	assert_int_equal(m, TFP_AUTH_AZURE_CLI);
	env.host = "https://dbc-1.cloud.databricks.com";
	/* Pinned, with a part missing: the setting and its variable. */
	env.actions_id_token_request_token = NULL;
	blk.auth_type = "github-oidc";
	assert_int_equal(RESOLVE(), TFP_ERROR);
	assert_non_null(strstr(err, "github-oidc"));
	assert_non_null(strstr(err, "ACTIONS_ID_TOKEN_REQUEST_TOKEN"));
	env.actions_id_token_request_token = "req-token-value";
	blk.auth_type = "github-oidc-azure";
	env.azure_client_id = "app";
	assert_int_equal(RESOLVE(), TFP_ERROR);
	assert_non_null(strstr(err, "ARM_TENANT_ID"));
	assert_null(strstr(err, "req-token-value"));
	env.azure_client_id = NULL;
	env.actions_id_token_request_url = NULL;
	env.actions_id_token_request_token = NULL;
	/* env-oidc: the default variable, or the one named. */
	blk.auth_type = "env-oidc";
	assert_int_equal(RESOLVE(), TFP_ERROR);
	assert_non_null(strstr(err, "DATABRICKS_OIDC_TOKEN"));
	blk.auth_type = NULL;
	setenv("DATABRICKS_OIDC_TOKEN", "a.b.c", 1);
	assert_int_equal(RESOLVE(), TFP_OK);
	assert_int_equal(m, TFP_AUTH_ENV_OIDC);
	unsetenv("DATABRICKS_OIDC_TOKEN");
	env.oidc_token_env = "MY_OIDC_TOKEN";
	blk.auth_type = "env-oidc";
	assert_int_equal(RESOLVE(), TFP_ERROR);
	assert_non_null(strstr(err, "MY_OIDC_TOKEN"));
	setenv("MY_OIDC_TOKEN", "a.b.c", 1);
	assert_int_equal(RESOLVE(), TFP_OK);
	unsetenv("MY_OIDC_TOKEN");
	env.oidc_token_env = NULL;
	/* file-oidc. */
	blk.auth_type = "file-oidc";
	assert_int_equal(RESOLVE(), TFP_ERROR);
	assert_non_null(strstr(err, "DATABRICKS_OIDC_TOKEN_FILEPATH"));
	blk.auth_type = NULL;
	env.databricks_id_token_filepath = "/run/token";
	assert_int_equal(RESOLVE(), TFP_OK);
	assert_int_equal(m, TFP_AUTH_FILE_OIDC);
	/* A host is needed to exchange anything. */
	env.host = NULL;
	assert_int_equal(RESOLVE(), TFP_ERROR);
	assert_non_null(strstr(err, "DATABRICKS_HOST"));
	env.host = "https://dbc-1.cloud.databricks.com";
	env.databricks_id_token_filepath = NULL;
	/* Without an OIDC source, a client_id alone is still oauth-m2m
	 * missing its secret. */
	env.client_id = "sp";
	assert_int_equal(RESOLVE(), TFP_ERROR);
	assert_non_null(strstr(err, "client_secret"));
	/* What brickform still lacks is refused by name. */
	blk.auth_type = "azure-devops-oidc";
	assert_int_equal(RESOLVE(), TFP_ERROR);
	assert_non_null(strstr(err, "does not support yet"));
#undef RESOLVE
}

/* --- the token sources against a small server ----------------------------- */

struct srv {
	struct MHD_Daemon *daemon;
	char base[64];
	char form[4096];   /* the last POST body */
	char gh_auth[256]; /* the last Authorization to GitHub */
	char gh_audience[256];
	unsigned redirects;
};

struct upload {
	char buf[4096];
	size_t len;
};

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *data,
			       size_t *size, void **con_cls)
{
	struct srv *s = cls;
	struct upload *up = *con_cls;
	char body[512];
	unsigned status = 200;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	const char *v;

	(void)version;
	if (up == NULL) {
		*con_cls = calloc(1, sizeof(*up));
		return MHD_YES;
	}
	if (*size > 0) {
		size_t n = *size < sizeof(up->buf) - 1 - up->len
				   ? *size
				   : sizeof(up->buf) - 1 - up->len;

		memcpy(up->buf + up->len, data, n);
		up->len += n;
		*size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "POST") == 0)
		snprintf(s->form, sizeof(s->form), "%.*s", (int)up->len,
			 up->buf);
	if (strcmp(url, "/oidc/.well-known/oauth-authorization-server") == 0) {
		snprintf(body, sizeof(body),
			 "{\"token_endpoint\":\"%s/oidc/v1/token\"}", s->base);
	} else if (strcmp(url, "/gh/idtoken") == 0) {
		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						"Authorization");
		snprintf(s->gh_auth, sizeof(s->gh_auth), "%s", v ? v : "");
		v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
						"audience");
		snprintf(s->gh_audience, sizeof(s->gh_audience), "%s",
			 v ? v : "");
		snprintf(body, sizeof(body), "{\"value\":\"gh.id.token\"}");
	} else if (strcmp(url, "/oidc/v1/token") == 0 ||
		   strcmp(url, "/oidc/accounts/acc-1/v1/token") == 0) {
		snprintf(body, sizeof(body),
			 "{\"access_token\":\"wif-1\",\"token_type\":"
			 "\"Bearer\",\"expires_in\":3600}");
	} else if (strcmp(url, "/aad/auth") == 0) {
		s->redirects++;
		resp = MHD_create_response_from_buffer(0, "",
						       MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(resp, "Location",
					"https://login.microsoftonline.com/"
					"ten-42/oauth2/authorize?a=b");
		ret = MHD_queue_response(c, 302, resp);
		MHD_destroy_response(resp);
		return ret;
	} else if (strcmp(url, "/ten-42/oauth2/token") == 0) {
		snprintf(body, sizeof(body),
			 "{\"access_token\":\"aad-1\",\"token_type\":"
			 "\"Bearer\",\"expires_in\":\"3600\","
			 "\"expires_on\":\"%lld\"}",
			 (long long)time(NULL) + 3600);
	} else {
		status = 404;
		snprintf(body, sizeof(body), "{\"error\":\"not_found\"}");
	}
	resp = MHD_create_response_from_buffer(strlen(body), body,
					       MHD_RESPMEM_MUST_COPY);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static void srv_start(struct srv *s)
{
	const union MHD_DaemonInfo *info;

	memset(s, 0, sizeof(*s));
	s->daemon = MHD_start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
		0, NULL, NULL, handler, s, MHD_OPTION_NOTIFY_COMPLETED,
		completed, NULL, MHD_OPTION_END);
	assert_non_null(s->daemon);
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%u",
		 (unsigned)info->port);
}

static void call_init(struct tfp_call *call, struct tfp_diags *d,
		      struct tfp_arena *a)
{
	memset(call, 0, sizeof(*call));
	tfp_diags_init(d, a);
	call->arena = a;
	call->diags = d;
}

static void test_auth_oidc__github_exchange(void **state)
{
	struct srv s;
	struct tfp_auth_settings set = {0};
	struct tfp_auth *auth;
	struct tfp_diags d;
	struct tfp_call call;
	const char *v;
	char want[256];

	srv_start(&s);
	call_init(&call, &d, *state);
	set.host = s.base;
	set.client_id = "sp-1";
	set.actions_id_token_request_url = tfp_arena_printf(
		*state, "%s/gh/idtoken?api-version=2.0", s.base);
	set.actions_id_token_request_token = "req-tok";
	auth = tfp_auth_new(TFP_AUTH_GITHUB_OIDC, &set, false, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_OK);
	assert_string_equal(v, "Authorization: Bearer wif-1");
	/* GitHub was asked with the request token, for the discovered
	 * token endpoint (the SDK's default audience). */
	assert_string_equal(s.gh_auth, "Bearer req-tok");
	snprintf(want, sizeof(want), "%s/oidc/v1/token", s.base);
	assert_string_equal(s.gh_audience, want);
	assert_string_equal(
		s.form, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3A"
			"token-exchange&subject_token_type=urn%3Aietf%3A"
			"params%3Aoauth%3Atoken-type%3Ajwt&subject_token="
			"gh.id.token&scope=all-apis&client_id=sp-1");
	tfp_auth_free(auth);
	/* On the account console: its endpoint, the account as audience;
	 * DATABRICKS_TOKEN_AUDIENCE wins over both. */
	set.account_id = "acc-1";
	auth = tfp_auth_new(TFP_AUTH_GITHUB_OIDC, &set, true, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_OK);
	assert_string_equal(s.gh_audience, "acc-1");
	tfp_auth_free(auth);
	set.audience = "https://aud.example/x?y";
	auth = tfp_auth_new(TFP_AUTH_GITHUB_OIDC, &set, true, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_OK);
	assert_string_equal(s.gh_audience, "https://aud.example/x?y");
	tfp_auth_free(auth);
	/* A refused request token: the method and the status, not the
	 * token. */
	set.actions_id_token_request_url =
		tfp_arena_printf(*state, "%s/nowhere?api-version=2.0", s.base);
	auth = tfp_auth_new(TFP_AUTH_GITHUB_OIDC, &set, false, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_ERROR);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.items[0].detail, "github-oidc"));
	assert_non_null(strstr(d.items[0].detail, "HTTP 404"));
	assert_null(strstr(d.items[0].detail, "req-tok"));
	tfp_auth_free(auth);
	MHD_stop_daemon(s.daemon);
}

static void test_auth_oidc__env_and_file(void **state)
{
	struct srv s;
	struct tfp_auth_settings set = {0};
	struct tfp_auth *auth;
	struct tfp_diags d;
	struct tfp_call call;
	const char *v;
	char path[] = "/tmp/brickform-oidc-XXXXXX";
	int fd;

	srv_start(&s);
	call_init(&call, &d, *state);
	set.host = s.base;
	set.oidc_token_env = "MY_OIDC_TOKEN";
	setenv("MY_OIDC_TOKEN", "env.id.token", 1);
	auth = tfp_auth_new(TFP_AUTH_ENV_OIDC, &set, false, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_OK);
	assert_non_null(strstr(s.form, "subject_token=env.id.token"));
	/* Account-wide federation: no client_id sent. */
	assert_null(strstr(s.form, "client_id"));
	tfp_auth_free(auth);
	unsetenv("MY_OIDC_TOKEN");
	/* The file's trailing line end is not part of the token. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "file.id.token\n", 14), 14);
	close(fd);
	set.databricks_id_token_filepath = path;
	set.client_id = "sp-2";
	auth = tfp_auth_new(TFP_AUTH_FILE_OIDC, &set, false, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_OK);
	assert_non_null(strstr(s.form, "subject_token=file.id.token&"));
	assert_non_null(strstr(s.form, "client_id=sp-2"));
	tfp_auth_free(auth);
	/* An empty file, then none: the method and the path. */
	fd = open(path, O_WRONLY | O_TRUNC);
	close(fd);
	auth = tfp_auth_new(TFP_AUTH_FILE_OIDC, &set, false, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_ERROR);
	assert_non_null(strstr(d.items[d.n - 1].detail, "file-oidc"));
	assert_non_null(strstr(d.items[d.n - 1].detail, "empty"));
	tfp_auth_free(auth);
	unlink(path);
	auth = tfp_auth_new(TFP_AUTH_FILE_OIDC, &set, false, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_ERROR);
	assert_non_null(strstr(d.items[d.n - 1].detail, path));
	tfp_auth_free(auth);
	MHD_stop_daemon(s.daemon);
}

static void test_auth_oidc__azure(void **state)
{
	struct srv s;
	struct tfp_auth_settings set = {0};
	struct tfp_auth *auth;
	struct tfp_diags d;
	struct tfp_call call;
	const char *v;

	srv_start(&s);
	call_init(&call, &d, *state);
	set.host = s.base;
	set.azure_login_endpoint = s.base;
	set.azure_client_id = "app-1";
	set.azure_tenant_id = "ten-42";
	set.actions_id_token_request_url = tfp_arena_printf(
		*state, "%s/gh/idtoken?api-version=2.0", s.base);
	set.actions_id_token_request_token = "req-tok";
	/* github-oidc-azure: GitHub's token for Entra ID's exchange
	 * audience, as the client assertion; only Authorization. */
	auth = tfp_auth_new(TFP_AUTH_GITHUB_OIDC_AZURE, &set, false, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_OK);
	assert_string_equal(v, "Authorization: Bearer aad-1");
	assert_string_equal(s.gh_audience, "api://AzureADTokenExchange");
	assert_string_equal(
		s.form,
		"grant_type=client_credentials&resource=2ff814a6-3304-4ab8-"
		"85cb-cd0e6f879c1d&client_id=app-1&client_assertion_type="
		"urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3A"
		"jwt-bearer&client_assertion=gh.id.token");
	assert_int_equal(s.redirects, 0);
	tfp_auth_free(auth);
	/* azure-client-secret without a tenant: learnt from /aad/auth,
	 * once, then used for every token. */
	set.azure_tenant_id = NULL;
	set.azure_client_secret = "sec";
	auth = tfp_auth_new(TFP_AUTH_AZURE_CLIENT_SECRET, &set, false, 5,
			    false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), TFP_OK);
	assert_non_null(strstr(v, "Authorization: Bearer aad-1"));
	assert_int_equal(s.redirects, 1);
	assert_int_equal(tfp_auth_header(&v, &call, v, auth), TFP_OK);
	assert_int_equal(s.redirects, 1);
	tfp_auth_free(auth);
	MHD_stop_daemon(s.daemon);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_auth_oidc__id_token),
		T(test_auth_oidc__tenant_location),
		T(test_auth_oidc__form_and_audience),
		T(test_auth_oidc__resolution),
		T(test_auth_oidc__github_exchange),
		T(test_auth_oidc__env_and_file),
		T(test_auth_oidc__azure),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
