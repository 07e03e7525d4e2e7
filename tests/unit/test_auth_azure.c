/*
 * auth.c's Azure part, without a network: the readers of `az account
 * get-access-token` output, of Entra ID / IMDS token answers and of the
 * Resource Manager's workspace, each with hostile input (no crash, no
 * overflow, nothing quoted back); the resolution of the azure_* settings
 * (ARM_* names in errors, the Go SDK's detection order, profile keys);
 * and the az token source through a stub az on PATH. Then
 * google-credentials' pure part: the service account key reader and the
 * RS256 JWT (verified here with OpenSSL), and the exp reader of ID
 * tokens, with hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include "arena.h"
#include "auth.h"
#include "diag.h"

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

static void test_auth_azure__az_output(void **state)
{
	char *h = NULL;
	time_t exp;
	const char *why;

	(void)state;
	/* az 2.54+: expires_on (epoch) wins over the local-time text. */
	assert_int_equal(
		tfp_auth_parse_az_token(
			&h, &exp, &why,
			"{\"accessToken\": \"eyJabc.def\", \"expiresOn\": "
			"\"2030-01-01 00:00:00.000000\", \"expires_on\": "
			"1900000000, \"tokenType\": \"Bearer\"}"),
		0);
	assert_string_equal(h, "Authorization: Bearer eyJabc.def");
	assert_int_equal((long long)exp, 1900000000LL);
	free(h);
	/* Older az: expiresOn only, in local time. */
	assert_int_equal(tfp_auth_parse_az_token(
				 &h, &exp, &why,
				 "{\"accessToken\": \"t\", \"expiresOn\": "
				 "\"2030-06-01 12:30:00.123456\"}"),
			 0);
	{
		struct tm tm = {.tm_year = 130,
				.tm_mon = 5,
				.tm_mday = 1,
				.tm_hour = 12,
				.tm_min = 30,
				.tm_isdst = -1};

		assert_int_equal((long long)exp, (long long)mktime(&tm));
	}
	free(h);
	/* expires_on as a numeric string (some az versions). */
	assert_int_equal(
		tfp_auth_parse_az_token(&h, &exp, &why,
					"{\"accessToken\": \"t\", "
					"\"expires_on\": \"1900000001\"}"),
		0);
	assert_int_equal((long long)exp, 1900000001LL);
	free(h);
}

static void test_auth_azure__az_output_hostile(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[1,2,3]",
		"null",
		"{}",
		"{\"accessToken\": 42, \"expires_on\": 1900000000}",
		"{\"accessToken\": \"\", \"expires_on\": 1900000000}",
		"{\"accessToken\": \"a b\", \"expires_on\": 1900000000}",
		"{\"accessToken\": \"a\\r\\nX-Evil: 1\", \"expires_on\": 1}",
		"{\"accessToken\": \"t\"}",
		"{\"accessToken\": \"t\", \"expires_on\": 1e300}",
		"{\"accessToken\": \"t\", \"expires_on\": -5}",
		"{\"accessToken\": \"t\", \"expires_on\": \"NaN\"}",
		"{\"accessToken\": \"t\", \"expiresOn\": \"yesterday\"}",
		"{\"accessToken\": \"t\", \"expiresOn\": \"99999-99-99 "
		"99:99:99\"}",
		"{\"accessToken\": \"t\", \"expiresOn\": \"2030-13-01 "
		"00:00:00\"}",
		"{\"accessToken\": \"t\", \"expiresOn\": 7}",
		"{\"accessToken\": \"t\", \"expires_on\": 1900000000",
	};
	char *h;
	time_t exp;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		h = (char *)1;
		assert_int_equal(
			tfp_auth_parse_az_token(&h, &exp, &why, bad[i]),
			TFP_ERROR);
		assert_null(h);
		assert_non_null(why);
		/* The reason never quotes the input. */
		assert_null(strstr(why, "X-Evil"));
	}
	/* NULL input, and a token type that would inject a header. */
	assert_int_equal(tfp_auth_parse_az_token(&h, &exp, &why, NULL),
			 TFP_ERROR);
	assert_int_equal(tfp_auth_parse_az_token(
				 &h, &exp, &why,
				 "{\"accessToken\": \"t\", \"tokenType\": "
				 "\"Bearer\\r\\nX: y\", \"expires_on\": "
				 "1900000000}"),
			 0);
	assert_string_equal(h, "Authorization: Bearer t");
	free(h);
}

static void test_auth_azure__token_answers(void **state)
{
	char *h;
	time_t exp, now = time(NULL);
	const char *why;

	(void)state;
	/* Entra ID v1: numbers as strings. */
	assert_int_equal(tfp_auth_parse_token_json(
				 &h, &exp, &why,
				 "{\"token_type\": \"Bearer\", \"expires_in\": "
				 "\"3599\", \"expires_on\": \"1900000000\", "
				 "\"access_token\": \"eyJ.x.y\"}",
				 "expires_in"),
			 0);
	assert_string_equal(h, "Authorization: Bearer eyJ.x.y");
	assert_true(exp >= now + 3599 && exp <= now + 3600 + 5);
	free(h);
	/* IMDS: expires_on, epoch seconds as a string. */
	assert_int_equal(
		tfp_auth_parse_token_json(
			&h, &exp, &why,
			"{\"access_token\": \"i\", \"client_id\": \"c\", "
			"\"expires_on\": \"1900000000\", "
			"\"token_type\": \"Bearer\"}",
			"expires_on"),
		0);
	assert_int_equal((long long)exp, 1900000000LL);
	free(h);
	/* Hostile: absurd expiries fall back, never overflow. */
	assert_int_equal(
		tfp_auth_parse_token_json(
			&h, &exp, &why,
			"{\"access_token\": \"i\", \"expires_on\": 1e308}",
			"expires_on"),
		0);
	assert_true(exp > now && exp < now + 3600);
	free(h);
	assert_int_equal(tfp_auth_parse_token_json(
				 &h, &exp, &why,
				 "{\"access_token\": \"i\", \"expires_in\": "
				 "\"-1e400\"}",
				 "expires_in"),
			 0);
	assert_true(exp > now && exp <= now + 3600 + 5);
	free(h);
	assert_int_equal(
		tfp_auth_parse_token_json(&h, &exp, &why,
					  "{\"error\": \"invalid_request\"}",
					  "expires_on"),
		TFP_ERROR);
	assert_int_equal(
		tfp_auth_parse_token_json(&h, &exp, &why,
					  "{\"access_token\": \"a\\u0001b\"}",
					  "expires_on"),
		TFP_ERROR);
	assert_int_equal(tfp_auth_parse_token_json(&h, &exp, &why, "\xff\xfe",
						   "expires_on"),
			 TFP_ERROR);
}

static void test_auth_azure__workspace_url(void **state)
{
	const char *why, *u;

	u = tfp_auth_parse_workspace_url(&why, *state,
					 "{\"properties\": {\"workspaceUrl\": "
					 "\"adb-123.4.azuredatabricks.net\"}}",
					 "https://management.azure.com/");
	assert_string_equal(u, "https://adb-123.4.azuredatabricks.net");
	/* A stand-in on http keeps http. */
	u = tfp_auth_parse_workspace_url(
		&why, *state,
		"{\"properties\": {\"workspaceUrl\": \"127.0.0.1:8080\"}}",
		"http://127.0.0.1:8080/");
	assert_string_equal(u, "http://127.0.0.1:8080");
	/* Anything that could send requests elsewhere is refused. */
	assert_null(tfp_auth_parse_workspace_url(
		&why, *state,
		"{\"properties\": {\"workspaceUrl\": \"evil.com/x@y\"}}",
		"https://management.azure.com/"));
	assert_null(tfp_auth_parse_workspace_url(
		&why, *state, "{\"properties\": {\"workspaceUrl\": \"a b\"}}",
		NULL));
	assert_null(tfp_auth_parse_workspace_url(&why, *state, "{}", NULL));
	assert_null(tfp_auth_parse_workspace_url(&why, *state, "nope", NULL));
	assert_null(tfp_auth_parse_workspace_url(
		&why, *state, "{\"properties\": {\"workspaceUrl\": 1}}", NULL));
	assert_null(tfp_auth_parse_workspace_url(&why, *state, NULL, NULL));
	assert_non_null(why);
}

static void test_auth_azure__resolution(void **state)
{
	struct tfp_auth_settings blk = {0}, env = {0}, out;
	enum tfp_auth_method m;
	const char *err;

	/* A client secret chooses azure-client-secret; a missing tenant,
	 * with no host to learn it from, is named with its ARM_ variable,
	 * never the secret. */
	env.azure_workspace_resource_id = "/subscriptions/s/resourceGroups/g/"
					  "providers/Microsoft.Databricks/"
					  "workspaces/w";
	env.azure_client_id = "app";
	env.azure_client_secret = "s3cret-value";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 TFP_ERROR);
	assert_non_null(strstr(err, "azure_tenant_id"));
	assert_non_null(strstr(err, "ARM_TENANT_ID"));
	assert_null(strstr(err, "s3cret-value"));
	env.azure_workspace_resource_id = NULL;
	/* With a host, the workspace tells the tenant (Go SDK's
	 * loadAzureTenantId), so the method resolves without one. */
	env.host = "https://adb-1.2.azuredatabricks.net";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_AZURE_CLIENT_SECRET);
	env.azure_tenant_id = "t";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_AZURE_CLIENT_SECRET);
	/* azure_use_msi comes first in the Go SDK's chain. */
	env.azure_use_msi = "true";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_AZURE_MSI);
	/* A PAT comes before any of them. */
	blk.token = "dapi";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_PAT);
	/* An Azure host alone: the Azure CLI. */
	memset(&blk, 0, sizeof(blk));
	memset(&env, 0, sizeof(env));
	env.host = "https://adb-1.2.azuredatabricks.net/";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_AZURE_CLI);
	/* ... but not another cloud's host. */
	env.host = "https://dbc-1.cloud.databricks.com";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_NONE);
	/* An unknown Azure cloud. */
	env.azure_environment = "mars";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 TFP_ERROR);
	assert_non_null(strstr(err, "public, usgovernment, china"));
	env.azure_environment = "USGOVERNMENT";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	/* Official methods brickform lacks are named, not ignored. */
	blk.auth_type = "azure-devops-oidc";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 TFP_ERROR);
	assert_non_null(strstr(err, "does not support yet"));
	blk.auth_type = NULL;
	env.azure_environment = NULL;
	/* A Google key chooses google-credentials; a service account to
	 * impersonate alone chooses google-id. */
	env.host = "https://1234.5.gcp.databricks.com";
	env.google_credentials = "{\"type\": \"service_account\"}";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_GOOGLE_CREDENTIALS);
	env.google_credentials = NULL;
	env.google_service_account = "sa@p.iam.gserviceaccount.com";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 0);
	assert_int_equal(m, TFP_AUTH_GOOGLE_ID);
	/* google-id asked for by name needs the account to impersonate. */
	env.google_service_account = NULL;
	blk.auth_type = "google-id";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 TFP_ERROR);
	assert_non_null(strstr(err, "google_service_account is not set"));
	blk.auth_type = NULL;
	/* A resource id without host needs an Azure method. */
	memset(&env, 0, sizeof(env));
	env.azure_workspace_resource_id = "/subscriptions/s/resourceGroups/g/"
					  "providers/Microsoft.Databricks/"
					  "workspaces/w";
	env.client_id = "sp";
	env.client_secret = "x";
	assert_int_equal(tfp_auth_resolve(&out, &m, &err, *state, &blk, &env,
					  NULL, NULL),
			 TFP_ERROR);
	assert_non_null(strstr(err, "azure_workspace_resource_id"));
}

static void test_auth_azure__profile_keys(void **state)
{
	struct tfp_auth_settings s;
	bool found;

	tfp_auth_parse_profile(
		&s, &found, *state,
		"[az]\n"
		"azure_workspace_resource_id = /subscriptions/x\n"
		"azure_client_id = app\n"
		"azure_client_secret = sec\n"
		"azure_tenant_id = ten\n"
		"azure_use_msi = true\n"
		"azure_environment = china\n"
		"google_service_account = sa@p.iam\n",
		"az");
	assert_true(found);
	assert_string_equal(s.azure_workspace_resource_id, "/subscriptions/x");
	assert_string_equal(s.azure_client_id, "app");
	assert_string_equal(s.azure_client_secret, "sec");
	assert_string_equal(s.azure_tenant_id, "ten");
	assert_string_equal(s.azure_use_msi, "true");
	assert_string_equal(s.azure_environment, "china");
	assert_string_equal(s.google_service_account, "sa@p.iam");
}

/* The az token source through a stub az: its arguments, its token, and a
 * failing az quoted without crashing. */
static void test_auth_azure__cli_source(void **state)
{
	char dir[] = "/tmp/tfp-az-XXXXXX", path[256], args[512], *old;
	struct tfp_auth_settings s = {0};
	struct tfp_diags d;
	struct tfp_call call = {0};
	struct tfp_auth *au;
	const char *value = NULL;
	FILE *f;
	size_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/az", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"#!/bin/sh\n"
		"echo \"$*\" >> %s/args\n"
		"echo '{\"accessToken\": \"az-tok\", \"expires_on\": "
		"4000000000, \"tokenType\": \"Bearer\"}'\n",
		dir);
	fclose(f);
	chmod(path, 0700);
	old = getenv("PATH") ? strdup(getenv("PATH")) : strdup("/usr/bin:/bin");
	snprintf(args, sizeof(args), "%s:%s", dir, old);
	setenv("PATH", args, 1);

	tfp_diags_init(&d, *state);
	call.arena = *state;
	call.diags = &d;
	s.host = "https://adb-1.2.azuredatabricks.net";
	s.azure_tenant_id = "ten";
	au = tfp_auth_new(TFP_AUTH_AZURE_CLI, &s, false, 10, false);
	assert_int_equal(tfp_auth_header(&value, &call, NULL, au), 0);
	/* With the management token, as the Go SDK sends it. */
	assert_string_equal(value,
			    "Authorization: Bearer az-tok\n"
			    "X-Databricks-Azure-SP-Management-Token: az-tok");
	snprintf(path, sizeof(path), "%s/args", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(args, 1, sizeof(args) - 1, f);
	fclose(f);
	args[n] = '\0';
	assert_string_equal(args,
			    "account get-access-token --resource "
			    "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d --output "
			    "json --tenant ten\n"
			    "account get-access-token --resource "
			    "https://management.core.windows.net/ --output "
			    "json --tenant ten\n");
	tfp_auth_free(au);

	/* A failing az: one diagnostic naming the method and its output. */
	snprintf(path, sizeof(path), "%s/az", dir);
	f = fopen(path, "w");
	fprintf(f, "#!/bin/sh\necho 'ERROR: Please run az login.' >&2\n"
		   "exit 1\n");
	fclose(f);
	au = tfp_auth_new(TFP_AUTH_AZURE_CLI, &s, false, 10, false);
	assert_int_equal(tfp_auth_header(&value, &call, NULL, au), TFP_ERROR);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.items[0].detail, "azure-cli"));
	assert_non_null(strstr(d.items[0].detail, "az login"));
	tfp_auth_free(au);

	/* az missing. */
	setenv("PATH", "/nonexistent", 1);
	au = tfp_auth_new(TFP_AUTH_AZURE_CLI, &s, false, 10, false);
	assert_int_equal(tfp_auth_header(&value, &call, NULL, au), TFP_ERROR);
	assert_int_equal(d.n, 2);
	assert_non_null(strstr(d.items[1].detail, "could not be run"));
	tfp_auth_free(au);

	setenv("PATH", old, 1);
	free(old);
	snprintf(path, sizeof(path), "%s/az", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/args", dir);
	unlink(path);
	rmdir(dir);
}

/* A fresh RSA key as PEM (private) and its public half. */
static void rsa_pair(char **priv, char **pub)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);
	BIO *b1 = BIO_new(BIO_s_mem()), *b2 = BIO_new(BIO_s_mem());
	char *p;
	long n;

	assert_non_null(k);
	assert_int_equal(
		PEM_write_bio_PrivateKey(b1, k, NULL, NULL, 0, NULL, NULL), 1);
	assert_int_equal(PEM_write_bio_PUBKEY(b2, k), 1);
	n = BIO_get_mem_data(b1, &p);
	*priv = strndup(p, (size_t)n);
	n = BIO_get_mem_data(b2, &p);
	*pub = strndup(p, (size_t)n);
	BIO_free(b1);
	BIO_free(b2);
	EVP_PKEY_free(k);
}

static unsigned char *unb64url(const char *s, size_t n, size_t *out_len)
{
	char *std = calloc(1, n + 4);
	unsigned char *out = calloc(1, n + 4);
	size_t i;
	int len;

	for (i = 0; i < n; i++)
		std[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	while (i % 4)
		std[i++] = '=';
	len = EVP_DecodeBlock(out, (unsigned char *)std, (int)i);
	assert_true(len >= 0);
	while (i > 0 && std[--i] == '=')
		len--;
	*out_len = (size_t)len;
	free(std);
	return out;
}

static void test_auth_google__jwt(void **state)
{
	char *priv, *pub, *jwt, *dot1, *dot2;
	unsigned char *sig, *hdr;
	size_t sig_len, hdr_len;
	const char *why = NULL;
	EVP_PKEY *key;
	EVP_MD_CTX *md;
	BIO *b;

	(void)state;
	rsa_pair(&priv, &pub);
	jwt = tfp_auth_jwt_rs256(&why, priv, "kid-1",
				 "{\"iss\":\"sa@p.iam\",\"exp\":1900000000}");
	assert_non_null(jwt);
	dot1 = strchr(jwt, '.');
	dot2 = strchr(dot1 + 1, '.');
	assert_non_null(dot2);
	assert_null(strchr(jwt, '='));
	assert_null(strchr(jwt, '+'));
	hdr = unb64url(jwt, (size_t)(dot1 - jwt), &hdr_len);
	assert_string_equal((char *)hdr,
			    "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":"
			    "\"kid-1\"}");
	free(hdr);
	/* The signature verifies with the public key. */
	sig = unb64url(dot2 + 1, strlen(dot2 + 1), &sig_len);
	assert_int_equal(sig_len, 256);
	b = BIO_new_mem_buf(pub, -1);
	key = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	md = EVP_MD_CTX_new();
	assert_int_equal(
		EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_equal(EVP_DigestVerify(md, sig, sig_len,
					  (unsigned char *)jwt,
					  (size_t)(dot2 - jwt)),
			 1);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	BIO_free(b);
	free(sig);
	assert_int_equal(tfp_auth_jwt_exp(jwt), 1900000000LL);
	free(jwt);
	/* Not a key: an error, no crash. */
	assert_null(tfp_auth_jwt_rs256(&why,
				       "-----BEGIN PRIVATE KEY-----\n"
				       "AAAA\n-----END PRIVATE KEY-----\n",
				       NULL, "{}"));
	assert_non_null(why);
	assert_null(tfp_auth_jwt_rs256(&why, "", NULL, "{}"));
	assert_null(tfp_auth_jwt_rs256(&why, pub, NULL, "{}"));
	free(priv);
	free(pub);
}

static void test_auth_google__exp_hostile(void **state)
{
	(void)state;
	assert_int_equal(tfp_auth_jwt_exp(NULL), -1);
	assert_int_equal(tfp_auth_jwt_exp(""), -1);
	assert_int_equal(tfp_auth_jwt_exp("abc"), -1);
	assert_int_equal(tfp_auth_jwt_exp("a.b"), -1);
	assert_int_equal(tfp_auth_jwt_exp("a.!!!.c"), -1);
	/* {"exp":1e300} and {"exp":"1"} and [1] */
	assert_int_equal(tfp_auth_jwt_exp("x.eyJleHAiOjFlMzAwfQ.s"), -1);
	assert_int_equal(tfp_auth_jwt_exp("x.eyJleHAiOiIxIn0.s"), -1);
	assert_int_equal(tfp_auth_jwt_exp("x.WzFd.s"), -1);
	/* {"exp":1700000000} with and without padding */
	assert_int_equal(tfp_auth_jwt_exp("x.eyJleHAiOjE3MDAwMDAwMDB9.s"),
			 1700000000LL);
	assert_int_equal(tfp_auth_jwt_exp("x.eyJleHAiOjE3MDAwMDAwMDB9==.s"),
			 1700000000LL);
}

static void test_auth_google__key(void **state)
{
	struct tfp_google_key k;
	const char *why;

	assert_int_equal(
		tfp_auth_google_key_parse(
			&k, &why, *state,
			"{\"type\": \"service_account\", "
			"\"client_email\": \"sa@p.iam\", "
			"\"private_key\": \"-----BEGIN PRIVATE "
			"KEY-----\\nX\\n-----END PRIVATE KEY-----\\n\", "
			"\"private_key_id\": \"k1\"}"),
		0);
	assert_string_equal(k.client_email, "sa@p.iam");
	assert_string_equal(k.key_id, "k1");
	assert_string_equal(k.token_uri, "https://oauth2.googleapis.com/token");
	/* Hostile or wrong keys: a reason quoting nothing. */
	assert_int_equal(tfp_auth_google_key_parse(&k, &why, *state, NULL),
			 TFP_ERROR);
	assert_int_equal(tfp_auth_google_key_parse(&k, &why, *state, "[]"),
			 TFP_ERROR);
	assert_int_equal(
		tfp_auth_google_key_parse(&k, &why, *state,
					  "{\"type\": \"authorized_user\", "
					  "\"refresh_token\": \"rt-secret\"}"),
		TFP_ERROR);
	assert_null(strstr(why, "rt-secret"));
	assert_int_equal(
		tfp_auth_google_key_parse(
			&k, &why, *state,
			"{\"type\": \"service_account\", "
			"\"client_email\": \"sa\", \"private_key\": 5}"),
		TFP_ERROR);
	/* A token_uri that would send the assertion in clear text. */
	assert_int_equal(tfp_auth_google_key_parse(
				 &k, &why, *state,
				 "{\"type\": \"service_account\", "
				 "\"client_email\": \"sa\", \"private_key\": "
				 "\"PRIVATE KEY\", \"token_uri\": "
				 "\"http://evil.example.com/token\"}"),
			 TFP_ERROR);
	assert_non_null(strstr(why, "token_uri"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_auth_azure__az_output),
		T(test_auth_azure__az_output_hostile),
		T(test_auth_azure__token_answers),
		T(test_auth_azure__workspace_url),
		T(test_auth_azure__resolution),
		T(test_auth_azure__profile_keys),
		T(test_auth_azure__cli_source),
		T(test_auth_google__jwt),
		T(test_auth_google__exp_hostile),
		T(test_auth_google__key),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
