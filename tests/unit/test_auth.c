/*
 * auth.c's pure part: the .databrickscfg parser, the resolution of block,
 * environment and profile, the method choice and its errors; then the
 * token sources against a small local server: OAuth (one refresh for many
 * callers, a fresh token after a 401, the account console's endpoint) and
 * basic's fixed header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "arena.h"
#include "auth.h"
#include "diag.h"
#include "rest.h"

static const char cfg_text[] = "# a comment\n"
			       "; another comment\n"
			       "[DEFAULT]\n"
			       "host = https://default.cloud.databricks.com\n"
			       "token = dapi-default\n"
			       "\n"
			       "[dev]\n"
			       "  host=https://dev.cloud.databricks.com  \n"
			       "client_id = dev-sp\n"
			       "client_secret = dev-secret\n"
			       "unknown_key = ignored\n"
			       "\n"
			       "[partial]\n"
			       "host = https://partial.cloud.databricks.com\n"
			       "# token = not-this\n"
			       "\n"
			       "[basic]\n"
			       "host = https://accounts.cloud.databricks.com\n"
			       "username = ops@example.com\n"
			       "password = pw-from-file\n";

static int setup(void **state)
{
	*state = tfp_arena_new();
	return 0;
}

static int teardown(void **state)
{
	tfp_arena_free(*state);
	return 0;
}

static void test_auth__parse_named_profile(void **state)
{
	struct tfp_auth_settings s;
	bool found;

	tfp_auth_parse_profile(&s, &found, *state, cfg_text, "dev");
	assert_true(found);
	assert_string_equal(s.host, "https://dev.cloud.databricks.com");
	assert_string_equal(s.client_id, "dev-sp");
	assert_string_equal(s.client_secret, "dev-secret");
	/* Missing keys come from DEFAULT. */
	assert_string_equal(s.token, "dapi-default");
}

static void test_auth__parse_default_and_comments(void **state)
{
	struct tfp_auth_settings s;
	bool found;

	tfp_auth_parse_profile(&s, &found, *state, cfg_text, "DEFAULT");
	assert_true(found);
	assert_string_equal(s.host, "https://default.cloud.databricks.com");
	assert_null(s.client_id);
	tfp_auth_parse_profile(&s, &found, *state, cfg_text, "partial");
	assert_true(found);
	/* The commented token is not read; DEFAULT's fills in. */
	assert_string_equal(s.token, "dapi-default");
	tfp_auth_parse_profile(&s, &found, *state, cfg_text, "nope");
	assert_false(found);
	tfp_auth_parse_profile(&s, &found, *state, "[x]\nhost=h\n", "DEFAULT");
	assert_false(found);
}

static void test_auth__block_over_env_over_profile(void **state)
{
	struct tfp_auth_settings blk = {0}, env = {0}, out;
	enum tfp_auth_method m;
	const char *err;

	env.profile = "partial";
	env.host = "https://env.cloud.databricks.com";
	blk.host = "https://block.cloud.databricks.com";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 0);
	assert_string_equal(out.host, "https://block.cloud.databricks.com");
	/* The profile fills what block and env leave unset. */
	assert_string_equal(out.token, "dapi-default");
	assert_int_equal(m, TFP_AUTH_PAT);

	blk.host = NULL;
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 0);
	assert_string_equal(out.host, "https://env.cloud.databricks.com");
	env.host = NULL;
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 0);
	assert_string_equal(out.host, "https://partial.cloud.databricks.com");

	/* The block's token wins over the profile's. */
	blk.token = "dapi-block";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 0);
	assert_string_equal(out.token, "dapi-block");

	/* dev has OAuth credentials and inherits DEFAULT's token: two
	 * methods, unless auth_type chooses. */
	blk.token = NULL;
	env.profile = "dev";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 -1);
	assert_non_null(strstr(err, "pat and oauth-m2m"));
	blk.auth_type = "oauth-m2m";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 0);
	assert_int_equal(m, TFP_AUTH_OAUTH_M2M);
	assert_string_equal(out.client_id, "dev-sp");
}

static void test_auth__profile_skipped_when_configured(void **state)
{
	struct tfp_auth_settings blk = {0}, env = {0}, out;
	enum tfp_auth_method m;
	const char *err;

	env.host = "https://env.cloud.databricks.com";
	env.token = "dapi-env";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 0);
	assert_string_equal(out.host, "https://env.cloud.databricks.com");
	assert_string_equal(out.token, "dapi-env");
	assert_int_equal(m, TFP_AUTH_PAT);

	/* Nothing set: the DEFAULT section is used. */
	memset(&env, 0, sizeof(env));
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 0);
	assert_string_equal(out.token, "dapi-default");
	assert_int_equal(m, TFP_AUTH_PAT);

	/* Nothing set and no file: no method, no error. */
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, "/x/cfg"),
			 0);
	assert_int_equal(m, TFP_AUTH_NONE);
}

static void test_auth__missing_profile_is_an_error(void **state)
{
	struct tfp_auth_settings blk = {0}, env = {0}, out;
	enum tfp_auth_method m;
	const char *err;

	blk.profile = "staging";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  cfg_text, "/x/cfg"),
			 -1);
	assert_non_null(strstr(err, "staging"));
	assert_non_null(strstr(err, "/x/cfg"));
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, "/x/missing"),
			 -1);
	assert_non_null(strstr(err, "staging"));
	assert_non_null(strstr(err, "/x/missing"));
	assert_non_null(strstr(err, "does not exist"));
}

static void test_auth__conflict_names_both(void **state)
{
	struct tfp_auth_settings blk = {0}, env = {0}, out;
	enum tfp_auth_method m;
	const char *err;

	env.host = "https://h.cloud.databricks.com";
	env.token = "dapi-x";
	env.client_id = "sp";
	env.client_secret = "very-secret";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 -1);
	assert_non_null(strstr(err, "pat"));
	assert_non_null(strstr(err, "oauth-m2m"));
	assert_null(strstr(err, "very-secret"));
	assert_null(strstr(err, "dapi-x"));

	/* auth_type pins one of them. */
	blk.auth_type = "oauth-m2m";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_OAUTH_M2M);
	blk.auth_type = "pat";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_PAT);
}

static void test_auth__auth_type_pinning(void **state)
{
	struct tfp_auth_settings blk = {0}, env = {0}, out;
	enum tfp_auth_method m;
	const char *err;

	env.host = "https://h.cloud.databricks.com";
	env.auth_type = "kerberos";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 -1);
	assert_non_null(strstr(err, "kerberos"));
	env.auth_type = "databricks-cli";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_DATABRICKS_CLI);
	env.auth_type = "oauth-m2m";
	env.client_id = "sp";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 -1);
	assert_non_null(strstr(err, "client_secret"));
	env.auth_type = "pat";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 -1);
	/* The CLI path alone selects databricks-cli. */
	memset(&env, 0, sizeof(env));
	env.host = "https://h.cloud.databricks.com";
	env.databricks_cli_path = "/opt/databricks";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_DATABRICKS_CLI);
	assert_string_equal(tfp_auth_method_name(m), "databricks-cli");
	assert_int_equal(tfp_auth_method_from_name("metadata-service"),
			 TFP_AUTH_METADATA_SERVICE);
}

static void test_auth__metadata_url_must_be_localhost(void **state)
{
	struct tfp_auth_settings blk = {0}, env = {0}, out;
	enum tfp_auth_method m;
	const char *err;

	assert_true(tfp_auth_url_is_localhost("http://localhost:8080/token"));
	assert_true(tfp_auth_url_is_localhost("http://127.0.0.1:1/x"));
	assert_true(tfp_auth_url_is_localhost("http://[::1]:9/x"));
	assert_true(tfp_auth_url_is_localhost("https://LOCALHOST"));
	assert_false(tfp_auth_url_is_localhost("http://localhost.evil.com/"));
	assert_false(tfp_auth_url_is_localhost("http://evil.com/localhost"));
	assert_false(tfp_auth_url_is_localhost("http://localhost@evil.com/"));
	assert_false(tfp_auth_url_is_localhost("ftp://localhost/"));
	assert_false(tfp_auth_url_is_localhost("http://10.0.0.1/"));

	env.host = "https://h.cloud.databricks.com";
	env.metadata_service_url = "http://169.254.169.254/token?key=abc";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 -1);
	assert_non_null(strstr(err, "localhost"));
	assert_null(strstr(err, "key=abc"));
	env.metadata_service_url = "http://localhost:1234/token";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_METADATA_SERVICE);
	/* With a token as well: a conflict. */
	env.token = "dapi-x";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 -1);
	assert_non_null(strstr(err, "metadata-service"));
}

/* One resolution: the layers in, what must come out. */
struct resolve_case {
	const char *name;
	struct tfp_auth_settings blk, env;
	bool with_file; /* cfg_text as the config file */
	int rc;
	enum tfp_auth_method method; /* when rc is 0 */
	const char *password;	     /* resolved, when rc is 0 (or NULL) */
	const char *err_has;	     /* in err when rc is -1 */
	const char *secret;	     /* never in err (or NULL) */
};

#define H "https://h.cloud.databricks.com"
/* clang-format off */
static const struct resolve_case basic_cases[] = {
	{ .name = "username and password from env; DEFAULT's token stays out",
	  .env = { .username = "ops@example.com", .password = "pw-env" },
	  .with_file = true, .rc = 0, .method = TFP_AUTH_BASIC,
	  .password = "pw-env" },
	{ .name = "the block wins over env",
	  .blk = { .password = "pw-block" },
	  .env = { .username = "ops@example.com", .password = "pw-env" },
	  .rc = 0, .method = TFP_AUTH_BASIC, .password = "pw-block" },
	{ .name = "a profile with a password inherits DEFAULT's token: two methods",
	  .env = { .profile = "basic" }, .with_file = true, .rc = -1,
	  .err_has = "pat and basic", .secret = "pw-from-file" },
	{ .name = "auth_type chooses basic from the profile",
	  .env = { .profile = "basic", .auth_type = "basic" },
	  .with_file = true, .rc = 0, .method = TFP_AUTH_BASIC,
	  .password = "pw-from-file" },
	{ .name = "username without password names password and its variable",
	  .env = { .host = H, .username = "ops@example.com" }, .rc = -1,
	  .err_has = "basic needs both username and password, but password "
		     "is not set (password or DATABRICKS_PASSWORD)." },
	{ .name = "password without username",
	  .env = { .host = H, .password = "pw-alone" }, .rc = -1,
	  .err_has = "username is not set (username or DATABRICKS_USERNAME)",
	  .secret = "pw-alone" },
	{ .name = "basic pinned without its settings",
	  .env = { .host = H, .auth_type = "basic" }, .rc = -1,
	  .err_has = "DATABRICKS_USERNAME" },
	{ .name = "oauth-m2m's message has the same form",
	  .env = { .host = H, .client_secret = "cs" }, .rc = -1,
	  .err_has = "oauth-m2m needs both client_id and client_secret, but "
		     "client_id is not set (client_id or "
		     "DATABRICKS_CLIENT_ID)." },
	{ .name = "token and password: named in the SDK's order",
	  .env = { .host = H, .token = "dapi-x", .username = "u",
		   .password = "pw-secret" }, .rc = -1,
	  .err_has = "pat and basic", .secret = "pw-secret" },
	{ .name = "password and client credentials",
	  .env = { .host = H, .username = "u", .password = "pw-secret",
		   .client_id = "sp", .client_secret = "cs" }, .rc = -1,
	  .err_has = "basic and oauth-m2m", .secret = "pw-secret" },
	{ .name = "auth_type chooses between them",
	  .blk = { .auth_type = "basic" },
	  .env = { .host = H, .username = "u", .password = "pw-secret",
		   .client_id = "sp", .client_secret = "cs" },
	  .rc = 0, .method = TFP_AUTH_BASIC, .password = "pw-secret" },
};
/* clang-format on */
#undef H

static void test_auth__basic_resolution(void **state)
{
	struct tfp_auth_settings out;
	enum tfp_auth_method m;
	const char *err;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(basic_cases); i++) {
		const struct resolve_case *c = &basic_cases[i];
		int rc = tfp_auth_resolve(
			&out, &m, &err, *state, &c->blk, &c->env,
			c->with_file ? cfg_text : NULL, "/x/cfg");

		if (rc != c->rc)
			fprintf(stderr, "case \"%s\": %d (%s)\n", c->name, rc,
				err ? err : "no error");
		assert_int_equal(rc, c->rc);
		if (rc == 0) {
			assert_int_equal(m, c->method);
			if (c->password)
				assert_string_equal(out.password, c->password);
			continue;
		}
		assert_int_equal(m, TFP_AUTH_NONE);
		assert_non_null(strstr(err, c->err_has));
		if (c->secret)
			assert_null(strstr(err, c->secret));
	}
	assert_string_equal(tfp_auth_method_name(TFP_AUTH_BASIC), "basic");
	assert_int_equal(tfp_auth_method_from_name("basic"), TFP_AUTH_BASIC);
	assert_non_null(strstr(tfp_auth_method_list(), "pat, basic, "));
}

/* --- the token source against a small OAuth server ------------------------ */

struct oauth_srv {
	struct MHD_Daemon *daemon;
	char base[64];
	atomic_uint token_requests;
	atomic_uint discoveries;
	atomic_uint api_401;
	atomic_uint bad_basic;
	bool wrong_secret;
};

static enum MHD_Result oauth_handler(void *cls, struct MHD_Connection *c,
				     const char *url, const char *method,
				     const char *version, const char *upload,
				     size_t *upload_size, void **con_cls)
{
	struct oauth_srv *s = cls;
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Authorization");
	char body[512];
	unsigned status = 200, n;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	(void)method;
	(void)version;
	(void)upload;
	if (*con_cls == NULL) {
		*con_cls = s;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		*upload_size = 0; /* the form is not checked */
		return MHD_YES;
	}
	if (strcmp(url, "/oidc/.well-known/oauth-authorization-server") == 0) {
		atomic_fetch_add(&s->discoveries, 1);
		snprintf(body, sizeof(body),
			 "{\"token_endpoint\":\"%s/token\"}", s->base);
	} else if (strcmp(url, "/token") == 0 ||
		   strcmp(url, "/oidc/accounts/acc-1/v1/token") == 0) {
		/* "sp-id:s%3Acret", form-encoded first, then base64. */
		if (auth == NULL ||
		    strcmp(auth, "Basic c3AtaWQ6cyUzQWNyZXQ=") != 0) {
			atomic_fetch_add(&s->bad_basic, 1);
			status = 401;
			snprintf(body, sizeof(body),
				 "{\"error\":\"invalid_client\","
				 "\"error_description\":\"Client "
				 "authentication failed\"}");
		} else {
			struct timespec ts = {0, 150 * 1000000L};

			nanosleep(&ts, NULL); /* let callers pile up */
			n = atomic_fetch_add(&s->token_requests, 1) + 1;
			snprintf(body, sizeof(body),
				 "{\"access_token\":\"tok-%u\","
				 "\"token_type\":\"Bearer\","
				 "\"expires_in\":3600}",
				 n);
		}
	} else if (auth != NULL && strcmp(auth, "Bearer tok-1") == 0) {
		/* The first token is refused, as if revoked early. */
		atomic_fetch_add(&s->api_401, 1);
		status = 401;
		snprintf(body, sizeof(body),
			 "{\"error_code\":\"UNAUTHENTICATED\"}");
	} else {
		snprintf(body, sizeof(body), "{\"auth\":\"%s\"}",
			 auth ? auth : "");
	}
	resp = MHD_create_response_from_buffer(strlen(body), body,
					       MHD_RESPMEM_MUST_COPY);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void oauth_srv_start(struct oauth_srv *s)
{
	const union MHD_DaemonInfo *info;

	memset(s, 0, sizeof(*s));
	s->daemon = MHD_start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
		0, NULL, NULL, oauth_handler, s, MHD_OPTION_END);
	assert_non_null(s->daemon);
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%u",
		 (unsigned)info->port);
}

struct caller {
	struct tfp_auth *auth;
	const char *value;
	int error;
	struct tfp_arena *arena;
};

static void *caller_main(void *p)
{
	struct caller *c = p;
	struct tfp_diags d;
	struct tfp_call call = {0};

	c->arena = tfp_arena_new();
	tfp_diags_init(&d, c->arena);
	call.arena = c->arena;
	call.diags = &d;
	c->error = tfp_auth_header(&c->value, &call, NULL, c->auth);
	return NULL;
}

static void test_auth__one_refresh_for_many_callers(void **state)
{
	struct oauth_srv s;
	struct tfp_auth_settings set = {0};
	struct tfp_auth *auth;
	struct caller callers[8];
	pthread_t t[8];
	size_t i;

	(void)state;
	oauth_srv_start(&s);
	set.host = s.base;
	set.client_id = "sp-id";
	set.client_secret = "s:cret";
	auth = tfp_auth_new(TFP_AUTH_OAUTH_M2M, &set, false, 5, false);
	for (i = 0; i < 8; i++) {
		callers[i].auth = auth;
		assert_int_equal(
			pthread_create(&t[i], NULL, caller_main, &callers[i]),
			0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(callers[i].error, 0);
		assert_string_equal(callers[i].value,
				    "Authorization: Bearer tok-1");
		tfp_arena_free(callers[i].arena);
	}
	assert_int_equal(atomic_load(&s.token_requests), 1);
	assert_int_equal(atomic_load(&s.bad_basic), 0);
	tfp_auth_free(auth);
	MHD_stop_daemon(s.daemon);
}

static void test_auth__401_gets_a_fresh_token(void **state)
{
	struct oauth_srv s;
	struct tfp_auth_settings set = {0};
	struct tfp_rest_config cfg = {0};
	struct tfp_auth *auth;
	struct tfp_rest *rest = NULL;
	struct tfp_diags d;
	struct tfp_call call = {0};
	atomic_bool stop;
	cJSON *out = NULL;
	const cJSON *a;

	oauth_srv_start(&s);
	set.host = s.base;
	set.client_id = "sp-id";
	set.client_secret = "s:cret";
	auth = tfp_auth_new(TFP_AUTH_OAUTH_M2M, &set, false, 5, false);
	tfp_diags_init(&d, *state);
	cfg.host = s.base;
	cfg.auth_header = tfp_auth_header;
	cfg.auth_payload = auth;
	assert_int_equal(tfp_rest_new(&rest, &cfg, &d), 0);
	atomic_init(&stop, false);
	call.arena = *state;
	call.diags = &d;
	call.client = rest;
	call.stop = &stop;
	/* tok-1 is refused with 401: the call gets tok-2 and succeeds. */
	assert_int_equal(
		tfp_rest_call(&out, &call, "POST", "/api/2.0/x", NULL, NULL, 0),
		0);
	a = cJSON_GetObjectItemCaseSensitive(out, "auth");
	assert_string_equal(a->valuestring, "Bearer tok-2");
	assert_int_equal(atomic_load(&s.api_401), 1);
	assert_int_equal(atomic_load(&s.token_requests), 2);
	/* The next call uses the cached tok-2. */
	assert_int_equal(tfp_rest_get(&out, &call, "/api/2.0/y", NULL), 0);
	assert_int_equal(atomic_load(&s.token_requests), 2);
	assert_false(tfp_diags_has_error(&d));
	tfp_rest_free(rest);
	tfp_auth_free(auth);
	MHD_stop_daemon(s.daemon);
}

/* A call whose diagnostics go to d, both in arena a. */
static void call_init(struct tfp_call *call, struct tfp_diags *d,
		      struct tfp_arena *a)
{
	memset(call, 0, sizeof(*call));
	tfp_diags_init(d, a);
	call->arena = a;
	call->diags = d;
}

/* The server's service principal "sp-id" on s, with secret. */
static void sp_settings(struct tfp_auth_settings *set,
			const struct oauth_srv *s, const char *secret)
{
	memset(set, 0, sizeof(*set));
	set->host = s->base;
	set->client_id = "sp-id";
	set->client_secret = secret;
}

static void test_auth__failure_names_method_not_secret(void **state)
{
	struct oauth_srv s;
	struct tfp_auth_settings set;
	struct tfp_auth *auth;
	struct tfp_diags d;
	struct tfp_call call;
	const char *v;

	oauth_srv_start(&s);
	sp_settings(&set, &s, "wrong-secret-value");
	auth = tfp_auth_new(TFP_AUTH_OAUTH_M2M, &set, false, 5, false);
	call_init(&call, &d, *state);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), -1);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.items[0].detail, "oauth-m2m"));
	assert_non_null(strstr(d.items[0].detail, "HTTP 401"));
	assert_non_null(strstr(d.items[0].detail, "invalid_client"));
	assert_non_null(strstr(d.items[0].detail, "Client authentication"));
	assert_null(strstr(d.items[0].detail, "wrong-secret-value"));
	tfp_auth_free(auth);
	MHD_stop_daemon(s.daemon);
}

static void test_auth__account_token_endpoint(void **state)
{
	struct oauth_srv s;
	struct tfp_auth_settings set;
	struct tfp_auth *auth;
	struct tfp_diags d;
	struct tfp_call call;
	const char *v;

	oauth_srv_start(&s);
	sp_settings(&set, &s, "s:cret");
	set.account_id = "acc-1";
	call_init(&call, &d, *state);
	/* Account level: the account's endpoint, no discovery. */
	auth = tfp_auth_new(TFP_AUTH_OAUTH_M2M, &set, true, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), 0);
	assert_string_equal(v, "Authorization: Bearer tok-1");
	assert_int_equal(atomic_load(&s.token_requests), 1);
	assert_int_equal(atomic_load(&s.discoveries), 0);
	tfp_auth_free(auth);
	/* Workspace level with an account_id: discovery, as before. */
	auth = tfp_auth_new(TFP_AUTH_OAUTH_M2M, &set, false, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), 0);
	assert_int_equal(atomic_load(&s.discoveries), 1);
	tfp_auth_free(auth);
	/* Account level without an account_id: says what is missing. */
	set.account_id = NULL;
	auth = tfp_auth_new(TFP_AUTH_OAUTH_M2M, &set, true, 5, false);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), -1);
	assert_non_null(strstr(d.items[0].detail, "DATABRICKS_ACCOUNT_ID"));
	assert_int_equal(atomic_load(&s.discoveries), 1);
	tfp_auth_free(auth);
	MHD_stop_daemon(s.daemon);
}

static void test_auth__basic_header(void **state)
{
	struct tfp_auth_settings set = {0};
	struct tfp_auth *auth;
	struct tfp_diags d;
	struct tfp_call call;
	const char *v, *again;

	set.host = "https://accounts.cloud.databricks.com";
	set.username = "ops@example.com";
	set.password = "p:w d"; /* sent as it is, not form-encoded */
	auth = tfp_auth_new(TFP_AUTH_BASIC, &set, true, 5, false);
	call_init(&call, &d, *state);
	assert_int_equal(tfp_auth_header(&v, &call, NULL, auth), 0);
	/* base64("ops@example.com:p:w d") */
	assert_string_equal(v, "Authorization: Basic "
			       "b3BzQGV4YW1wbGUuY29tOnA6dyBk");
	assert_int_equal(tfp_auth_header(&again, &call, NULL, auth), 0);
	assert_string_equal(again, v);
	/* Refused once: an error naming the method and the settings, with
	 * no retry of the same header and no secret. */
	assert_int_equal(tfp_auth_header(&again, &call, v, auth), -1);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.items[0].detail, "basic"));
	assert_non_null(strstr(d.items[0].detail, "DATABRICKS_PASSWORD"));
	assert_null(strstr(d.items[0].detail, "p:w d"));
	assert_null(strstr(d.items[0].detail, "b3BzQGV4YW1w"));
	tfp_auth_free(auth);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_auth__parse_named_profile),
		T(test_auth__parse_default_and_comments),
		T(test_auth__block_over_env_over_profile),
		T(test_auth__profile_skipped_when_configured),
		T(test_auth__missing_profile_is_an_error),
		T(test_auth__conflict_names_both),
		T(test_auth__auth_type_pinning),
		T(test_auth__metadata_url_must_be_localhost),
		T(test_auth__basic_resolution),
		T(test_auth__one_refresh_for_many_callers),
		T(test_auth__401_gets_a_fresh_token),
		T(test_auth__failure_names_method_not_secret),
		T(test_auth__account_token_endpoint),
		T(test_auth__basic_header),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
