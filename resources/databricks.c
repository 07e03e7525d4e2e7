/*
 * The Databricks provider's definition (tfp_provider_def): the provider
 * block, how it becomes the shared REST client, and the registry of
 * resources and data sources. main.c hands it to the framework.
 *
 * Configuration follows the official provider: a value in the provider
 * block wins, then the environment (DATABRICKS_HOST, DATABRICKS_TOKEN,
 * DATABRICKS_CLIENT_ID, ...), then a profile of the config file; auth.c
 * resolves the credentials and picks the authentication method.
 * A value that is unknown at configure time (a host computed by another
 * resource) is not an error: Terraform configures again with known values
 * before apply, and any call that needs the workspace in between reports
 * that the provider could not be configured yet.
 */
#include "databricks.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include "arena.h"
#include "auth.h"
#include "compute/compute_internal.h"
#include "diag.h"
#include "identity/identity_internal.h"
#include "jobs/jobs_internal.h"
#include "log.h"
#include "provider.h"
#include "registry.h"
#include "rest.h"

int tfp_validate_principal(struct tfp_diags *d, const struct tfp_path *path,
			   const struct tfp_value *v)
{
	if (v->u.str[0] != '\0')
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Empty principal",
				   "principal must name a user, a group or a "
				   "service principal.");
}

/* s is "arn:<partition>:<service>:<region>:<account>:<kind>...". */
static int validate_arn(struct tfp_diags *d, const struct tfp_path *path,
			const char *s, const char *kind)
{
	const char *p = s;
	int colons = 0;

	if (strncmp(s, "arn:", 4) == 0)
		for (; *p != '\0' && colons < 5; p++)
			colons += *p == ':';
	if (colons == 5 && strncmp(p, kind, strlen(kind)) == 0)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid ARN",
				   "\"%s\" is not an AWS %s ARN "
				   "(arn:aws:iam::<account>:%s/<name>).",
				   s, kind, kind);
}

int tfp_validate_instance_profile_arn(struct tfp_diags *d,
				      const struct tfp_path *path,
				      const struct tfp_value *v)
{
	return validate_arn(d, path, v->u.str, "instance-profile");
}

int tfp_validate_iam_role_arn(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	if (v->u.str[0] == '\0')
		return TFP_OK;
	return validate_arn(d, path, v->u.str, "role");
}

static void dbx_auth_free(void *auth)
{
	tfp_auth_free(auth);
}

static int validate_host(struct tfp_diags *d, const struct tfp_path *path,
			 const struct tfp_value *v)
{
	const char *s = v->u.str;

	if (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0)
		return TFP_OK;
	if (strchr(s, ':') == NULL && strchr(s, '/') == NULL && s[0] != '\0')
		return TFP_OK; /* a bare host name: https:// is implied */
	return tfp_diag_attr_error(
		d, path, "Invalid workspace host",
		"\"%s\" is not a workspace URL. Use the form "
		"https://<workspace>.cloud.databricks.com.",
		s);
}

static int validate_auth_type(struct tfp_diags *d, const struct tfp_path *path,
			      const struct tfp_value *v)
{
	if (tfp_auth_method_from_name(v->u.str) != TFP_AUTH_NONE)
		return TFP_OK;
	if (tfp_auth_method_unsupported(v->u.str))
		return tfp_diag_attr_error(
			d, path, "Unsupported authentication method",
			"auth_type \"%s\" is a method of the official provider "
			"that brickform does not support yet; use one of %s.",
			v->u.str, tfp_auth_method_list());
	return tfp_diag_attr_error(d, path, "Invalid provider setting",
				   "auth_type \"%s\" is not one of %s.",
				   v->u.str, tfp_auth_method_list());
}

/* A number setting as a double; false for TEXT numbers too large for the
 * checks below to matter (they are reported as out of range). */
static bool number_value(const struct tfp_value *v, double *out)
{
	switch (v->u.num.kind) {
	case TFP_NUM_INT:
		*out = (double)v->u.num.i;
		return true;
	case TFP_NUM_FLOAT:
		*out = v->u.num.f;
		return true;
	case TFP_NUM_TEXT:
		break;
	}
	return false;
}

/* Limits of one numeric provider setting. */
struct number_rule {
	const char *name;
	double min, max;
	bool integer;
	const char *what; /* "a number of requests per second, 0 or more" */
};

static const struct number_rule number_rules[] = {
	{ "rate_limit", 0, 1e9, false,
	  "a number of requests per second, 0 (no limit) or more" },
	{ "http_timeout_seconds", 0, 86400 * 7, true,
	  "a whole number of seconds, 0 (the default 60) or more" },
	{ "retry_timeout_seconds", -1e15, 1e15, true,
	  "a whole number of seconds (negative: retry without limit)" },
	{ "debug_truncate_bytes", 0, 1 << 30, true,
	  "a whole number of bytes, 0 (the default 96) or more" },
};

static const struct number_rule *number_rule_for(const char *name)
{
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(number_rules); i++)
		if (strcmp(number_rules[i].name, name) == 0)
			return &number_rules[i];
	return NULL;
}

static bool number_ok(const struct number_rule *rule, double f)
{
	return isfinite(f) && f >= rule->min && f <= rule->max &&
	       (!rule->integer || f == floor(f));
}

static int validate_number(struct tfp_diags *d, const struct tfp_path *path,
			   const struct tfp_value *v)
{
	const char *name = path != NULL && path->n > 0
				   ? path->steps[path->n - 1].name
				   : NULL;
	const struct number_rule *rule = number_rule_for(name ? name : "");
	double f = 0;

	if (rule == NULL || (number_value(v, &f) && number_ok(rule, f)))
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid provider setting",
				   "%s must be %s.", rule->name, rule->what);
}

/* clang-format off */
static const struct tfp_attr provider_attrs[] = {
	{ .name = "host", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .validate = validate_host,
	  .desc = "The workspace URL, e.g. "
		  "https://dbc-1234.cloud.databricks.com. Defaults to the "
		  "DATABRICKS_HOST environment variable." },
	{ .name = "token", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_SENSITIVE,
	  .desc = "A personal access token. Defaults to the "
		  "DATABRICKS_TOKEN environment variable." },
	{ .name = "username", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The user name for basic authentication (with password; "
		  "deprecated by Databricks in favour of OAuth). Defaults to "
		  "the DATABRICKS_USERNAME environment variable." },
	{ .name = "password", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_SENSITIVE,
	  .desc = "The password of username, for basic authentication. "
		  "Defaults to the DATABRICKS_PASSWORD environment "
		  "variable." },
	{ .name = "client_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The application ID of a service principal, for OAuth "
		  "machine-to-machine (oauth-m2m) authentication. Defaults "
		  "to the DATABRICKS_CLIENT_ID environment variable." },
	{ .name = "client_secret", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_SENSITIVE,
	  .desc = "The OAuth secret of the service principal client_id. "
		  "Defaults to the DATABRICKS_CLIENT_SECRET environment "
		  "variable." },
	{ .name = "profile", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The profile (section) of the config file to read host and "
		  "credentials from. Defaults to the DATABRICKS_CONFIG_PROFILE "
		  "environment variable; without one, the DEFAULT section is "
		  "used when neither host nor credentials are set." },
	{ .name = "config_file", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The config file with profiles. Defaults to the "
		  "DATABRICKS_CONFIG_FILE environment variable, else "
		  "~/.databrickscfg." },
	{ .name = "auth_type", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL, .validate = validate_auth_type,
	  .desc = "The authentication method to use when settings for "
		  "several are present: pat, basic, oauth-m2m, "
		  "databricks-cli, metadata-service, azure-msi, "
		  "azure-client-secret, azure-cli or google-credentials. "
		  "Defaults to the "
		  "DATABRICKS_AUTH_TYPE environment variable." },
	{ .name = "account_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Databricks account ID (account-level APIs). Defaults "
		  "to the DATABRICKS_ACCOUNT_ID environment variable." },
	{ .name = "databricks_cli_path", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Databricks CLI used by databricks-cli authentication "
		  "(databricks auth token). Defaults to the "
		  "DATABRICKS_CLI_PATH environment variable, else databricks "
		  "on PATH." },
	{ .name = "metadata_service_url", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_SENSITIVE,
	  .desc = "A localhost URL that serves access tokens, for "
		  "metadata-service authentication. Defaults to the "
		  "DATABRICKS_METADATA_SERVICE_URL environment variable." },
	{ .name = "azure_workspace_resource_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Azure resource id of the workspace (/subscriptions/"
		  ".../providers/Microsoft.Databricks/workspaces/<name>). "
		  "Without host, the workspace URL is resolved through the "
		  "Azure Resource Manager. Defaults to the "
		  "DATABRICKS_AZURE_RESOURCE_ID environment variable." },
	{ .name = "azure_client_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The application (client) id of a Microsoft Entra ID "
		  "service principal (azure-client-secret), or of a "
		  "user-assigned managed identity (azure-msi). Defaults to "
		  "the ARM_CLIENT_ID environment variable." },
	{ .name = "azure_client_secret", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_SENSITIVE,
	  .desc = "The client secret of azure_client_id "
		  "(azure-client-secret). Defaults to the ARM_CLIENT_SECRET "
		  "environment variable." },
	{ .name = "azure_tenant_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Microsoft Entra ID tenant of the service principal "
		  "(azure-client-secret, github-oidc-azure), or the tenant "
		  "the Azure CLI asks a token of (azure-cli). Defaults to the "
		  "ARM_TENANT_ID environment variable; without it, "
		  "azure-client-secret and azure-cli learn the workspace's "
		  "tenant from the workspace." },
	{ .name = "azure_environment", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Azure cloud: public (default), usgovernment or china; "
		  "it chooses the Entra ID and Resource Manager endpoints. "
		  "Defaults to the ARM_ENVIRONMENT environment variable." },
	{ .name = "azure_login_app_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The application id whose Entra ID tokens the workspace "
		  "takes, for non-production workspaces only. Defaults to "
		  "the DATABRICKS_AZURE_LOGIN_APP_ID environment variable, "
		  "else Azure Databricks' 2ff814a6-3304-4ab8-85cb-"
		  "cd0e6f879c1d." },
	{ .name = "azure_use_msi", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Authenticate with the Azure managed identity of the "
		  "machine (azure-msi). Defaults to the ARM_USE_MSI "
		  "environment variable." },
	{ .name = "google_service_account", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The Google service account to impersonate (google-id; "
		  "not supported by brickform yet). Defaults to the "
		  "DATABRICKS_GOOGLE_SERVICE_ACCOUNT environment variable." },
	{ .name = "google_credentials", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_SENSITIVE,
	  .desc = "A Google service account key, as JSON or a file path "
		  "(google-credentials). Defaults to the GOOGLE_CREDENTIALS "
		  "environment variable." },
	{ .name = "actions_id_token_request_url", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "GitHub Actions' ID token request URL (github-oidc, "
		  "github-oidc-azure). Defaults to the "
		  "ACTIONS_ID_TOKEN_REQUEST_URL environment variable, which "
		  "GitHub sets in a job with the id-token: write "
		  "permission." },
	{ .name = "actions_id_token_request_token", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL | TFP_SENSITIVE,
	  .desc = "GitHub Actions' ID token request token (github-oidc, "
		  "github-oidc-azure). Defaults to the "
		  "ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable." },
	{ .name = "oidc_token_env", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The name of the environment variable holding an OIDC "
		  "token (env-oidc; default DATABRICKS_OIDC_TOKEN). Defaults "
		  "to the DATABRICKS_OIDC_TOKEN_ENV environment variable." },
	{ .name = "databricks_id_token_filepath", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A file holding an OIDC token (file-oidc). Defaults to the "
		  "DATABRICKS_OIDC_TOKEN_FILEPATH environment variable." },
	{ .name = "audience", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "The audience of the ID token GitHub issues for "
		  "github-oidc; default the account id on the account "
		  "console, else the workspace's token endpoint. Defaults to "
		  "the DATABRICKS_TOKEN_AUDIENCE environment variable." },
	{ .name = "cluster_id", .type = &tfp_type_string, .flags = TFP_OPTIONAL,
	  .desc = "A default cluster for tools of the Databricks SDK; "
		  "accepted for compatibility, unused by the provider." },
	{ .name = "warehouse_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "A default SQL warehouse for tools of the Databricks SDK; "
		  "accepted for compatibility, unused by the provider." },
	{ .name = "serverless_compute_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "Serverless compute for tools of the Databricks SDK; "
		  "accepted for compatibility, unused by the provider." },
	{ .name = "workspace_id", .type = &tfp_type_string,
	  .flags = TFP_OPTIONAL,
	  .desc = "The workspace's numeric id, for unified hosts; accepted "
		  "for compatibility, unused by the provider." },
	{ .name = "experimental_is_unified_host", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Experimental unified hosts of the official provider; "
		  "accepted for compatibility, unused by the provider." },
	{ .name = "oauth_callback_port", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL,
	  .desc = "The local port of browser-based OAuth (external-browser; "
		  "not supported by brickform); accepted for compatibility." },
	{ .name = "rate_limit", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .validate = validate_number,
	  .desc = "Most API requests per second the provider sends (all "
		  "resources together); 0 means no limit. Defaults to the "
		  "DATABRICKS_RATE_LIMIT environment variable, else 15." },
	{ .name = "http_timeout_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .validate = validate_number,
	  .desc = "Seconds a request may go without any progress before it "
		  "fails (connecting, or no data). Defaults to 60." },
	{ .name = "retry_timeout_seconds", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .validate = validate_number,
	  .desc = "Seconds a call keeps retrying throttled or failed "
		  "requests, in total; negative retries without limit. "
		  "Defaults to 300." },
	{ .name = "skip_verify", .type = &tfp_type_bool, .flags = TFP_OPTIONAL,
	  .desc = "Skip the verification of the workspace's TLS "
		  "certificate. Insecure: for testing only." },
	{ .name = "debug_truncate_bytes", .type = &tfp_type_number,
	  .flags = TFP_OPTIONAL, .validate = validate_number,
	  .desc = "Bytes of each request and reply body shown in TRACE logs "
		  "when debug_headers is on. Defaults to the "
		  "DATABRICKS_DEBUG_TRUNCATE_BYTES environment variable, else "
		  "96." },
	{ .name = "debug_headers", .type = &tfp_type_bool,
	  .flags = TFP_OPTIONAL,
	  .desc = "Also log request and reply bodies at TRACE (secret values "
		  "and credentials are always redacted). Defaults to the "
		  "DATABRICKS_DEBUG_HEADERS environment variable, else false." },
	TFP_ATTR_END
};
/* clang-format on */

/*
 * A numeric setting from the block, else from env (NULL: block only).
 * Returns TFP_OK with *set false when neither has one; TFP_ERROR with a
 * diagnostic for an invalid value; sets *unknown for an unknown one.
 */
static int number_setting(struct tfp_call *call, const struct tfp_value *config,
			  const char *name, const char *env, double *out,
			  bool *set, bool *unknown)
{
	const struct tfp_value *v = tfp_value_get(config, name);
	const struct number_rule *rule = number_rule_for(name);
	struct tfp_number n;
	const char *s;
	double f = 0;

	*set = false;
	if (tfp_value_is_unknown(v)) {
		*unknown = true;
		return TFP_OK;
	}
	if (tfp_value_is_known(v)) {
		if (!number_value(v, &f) || !number_ok(rule, f))
			return tfp_diag_attr_error(
				call->diags,
				tfp_path_attr(call->arena, NULL, name),
				"Invalid provider setting", "%s must be %s.",
				name, rule->what);
		*out = f;
		*set = true;
		return TFP_OK;
	}
	s = env != NULL ? getenv(env) : NULL;
	if (s == NULL || s[0] == '\0')
		return TFP_OK;
	if (!tfp_value_parse_number(&n, call->arena, s, strlen(s)) ||
	    n.kind == TFP_NUM_TEXT ||
	    !number_ok(rule, n.kind == TFP_NUM_INT ? (double)n.i : n.f))
		return tfp_diag_error(call->diags, "Invalid provider setting",
				      "The %s environment variable (\"%s\") "
				      "must be %s, as %s.",
				      env, s, rule->what, name);
	*out = n.kind == TFP_NUM_INT ? (double)n.i : n.f;
	*set = true;
	return TFP_OK;
}

/* A bool setting from the block, else env ("true"/"1"/"false"/"0"). */
static int bool_setting(struct tfp_call *call, const struct tfp_value *config,
			const char *name, const char *env, bool *out,
			bool *unknown)
{
	const struct tfp_value *v = tfp_value_get(config, name);
	const char *s;

	*out = false;
	if (tfp_value_is_unknown(v)) {
		*unknown = true;
		return TFP_OK;
	}
	if (tfp_value_is_known(v)) {
		*out = v->u.b;
		return TFP_OK;
	}
	s = env != NULL ? getenv(env) : NULL;
	if (s == NULL || s[0] == '\0')
		return TFP_OK;
	if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0) {
		*out = true;
		return TFP_OK;
	}
	if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0)
		return TFP_OK;
	return tfp_diag_error(call->diags, "Invalid provider setting",
			      "The %s environment variable (\"%s\") must be "
			      "true or false, as %s.",
			      env, s, name);
}

/* The client's knobs from the block and environment into cfg. */
static int config_knobs(struct tfp_call *call, const struct tfp_value *config,
			struct tfp_rest_config *cfg, bool *unknown)
{
	double f;
	bool set;
	int error = TFP_OK;

	if (number_setting(call, config, "rate_limit", "DATABRICKS_RATE_LIMIT",
			   &f, &set, unknown) < 0)
		error = TFP_ERROR;
	else if (set)
		/* The client's 0 is its default; the setting's 0 is none. */
		cfg->rate_limit = f > 0 ? f : -1;
	if (number_setting(call, config, "http_timeout_seconds", NULL, &f, &set,
			   unknown) < 0)
		error = TFP_ERROR;
	else if (set)
		cfg->timeout_seconds = (long)f;
	if (number_setting(call, config, "retry_timeout_seconds", NULL, &f,
			   &set, unknown) < 0)
		error = TFP_ERROR;
	else if (set)
		/* 0 is the default 300 for both, as in the Go SDK. */
		cfg->retry_timeout_seconds = (long)f;
	if (number_setting(call, config, "debug_truncate_bytes",
			   "DATABRICKS_DEBUG_TRUNCATE_BYTES", &f, &set,
			   unknown) < 0)
		error = TFP_ERROR;
	else if (set)
		cfg->debug_truncate_bytes = (long)f;
	if (bool_setting(call, config, "skip_verify", NULL, &cfg->skip_verify,
			 unknown) < 0)
		error = TFP_ERROR;
	if (bool_setting(call, config, "debug_headers",
			 "DATABRICKS_DEBUG_HEADERS", &cfg->debug_headers,
			 unknown) < 0)
		error = TFP_ERROR;
	return error;
}

/* A known, non-empty string of the block; *unknown for an unknown one. */
static const char *block_string(const struct tfp_value *config,
				const char *name, bool *unknown)
{
	const struct tfp_value *v = tfp_value_get(config, name);

	if (tfp_value_is_unknown(v)) {
		*unknown = true;
		return NULL;
	}
	return tfp_value_is_known(v) && v->u.str[0] != '\0' ? v->u.str : NULL;
}

static const char *env_string(const char *name)
{
	const char *s = getenv(name);

	return s != NULL && s[0] != '\0' ? s : NULL;
}

/*
 * google-id's application default credentials file, where Google's
 * libraries look: GOOGLE_APPLICATION_CREDENTIALS, else gcloud's
 * application_default_credentials.json in $CLOUDSDK_CONFIG or
 * ~/.config/gcloud when it exists; NULL: the GCE metadata server.
 */
static const char *google_adc_file(struct tfp_arena *a)
{
	const char *set = env_string("GOOGLE_APPLICATION_CREDENTIALS");
	const char *dir = env_string("CLOUDSDK_CONFIG");
	const char *home = env_string("HOME"), *path;
	struct stat st;

	if (set != NULL)
		return set;
	if (dir != NULL)
		path = tfp_arena_printf(a, "%s/application_default_"
					   "credentials.json",
					dir);
	else if (home != NULL)
		path = tfp_arena_printf(a, "%s/.config/gcloud/application_"
					   "default_credentials.json",
					home);
	else
		return NULL;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? path : NULL;
}

/* The config file's path: as set (a leading ~/ is the home directory),
 * else ~/.databrickscfg; NULL without a home directory. */
static const char *config_file_path(struct tfp_arena *a, const char *set)
{
	const char *home = getenv("HOME");

	if (set != NULL && strncmp(set, "~/", 2) != 0)
		return set;
	if (home == NULL || home[0] == '\0')
		return set;
	return tfp_arena_printf(a, "%s/%s", home,
				set != NULL ? set + 2 : ".databrickscfg");
}

/* The text of the config file (at most 1 MiB), NULL when unreadable. */
static const char *config_file_text(struct tfp_arena *a, const char *path)
{
	FILE *f = path != NULL ? fopen(path, "r") : NULL;
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = tfp_arena_alloc(a, (1u << 20) + 1);
	n = fread(buf, 1, 1u << 20, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The authentication settings of the block and of the environment. */
static void auth_layers(const struct tfp_value *config,
			struct tfp_auth_settings *blk,
			struct tfp_auth_settings *env, bool *unknown)
{
	static const struct {
		const char *name, *env;
		size_t off;
	} map[] = {
#define AUTH_SETTING(n, e) { #n, e, offsetof(struct tfp_auth_settings, n) }
		AUTH_SETTING(host, "DATABRICKS_HOST"),
		AUTH_SETTING(token, "DATABRICKS_TOKEN"),
		AUTH_SETTING(username, "DATABRICKS_USERNAME"),
		AUTH_SETTING(password, "DATABRICKS_PASSWORD"),
		AUTH_SETTING(client_id, "DATABRICKS_CLIENT_ID"),
		AUTH_SETTING(client_secret, "DATABRICKS_CLIENT_SECRET"),
		AUTH_SETTING(profile, "DATABRICKS_CONFIG_PROFILE"),
		AUTH_SETTING(config_file, "DATABRICKS_CONFIG_FILE"),
		AUTH_SETTING(auth_type, "DATABRICKS_AUTH_TYPE"),
		AUTH_SETTING(account_id, "DATABRICKS_ACCOUNT_ID"),
		AUTH_SETTING(databricks_cli_path, "DATABRICKS_CLI_PATH"),
		AUTH_SETTING(metadata_service_url,
			     "DATABRICKS_METADATA_SERVICE_URL"),
		AUTH_SETTING(azure_workspace_resource_id,
			     "DATABRICKS_AZURE_RESOURCE_ID"),
		AUTH_SETTING(azure_client_id, "ARM_CLIENT_ID"),
		AUTH_SETTING(azure_client_secret, "ARM_CLIENT_SECRET"),
		AUTH_SETTING(azure_tenant_id, "ARM_TENANT_ID"),
		AUTH_SETTING(azure_environment, "ARM_ENVIRONMENT"),
		AUTH_SETTING(azure_login_app_id,
			     "DATABRICKS_AZURE_LOGIN_APP_ID"),
		AUTH_SETTING(google_service_account,
			     "DATABRICKS_GOOGLE_SERVICE_ACCOUNT"),
		AUTH_SETTING(google_credentials, "GOOGLE_CREDENTIALS"),
		AUTH_SETTING(actions_id_token_request_url,
			     "ACTIONS_ID_TOKEN_REQUEST_URL"),
		AUTH_SETTING(actions_id_token_request_token,
			     "ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
		AUTH_SETTING(oidc_token_env, "DATABRICKS_OIDC_TOKEN_ENV"),
		AUTH_SETTING(databricks_id_token_filepath,
			     "DATABRICKS_OIDC_TOKEN_FILEPATH"),
		AUTH_SETTING(audience, "DATABRICKS_TOKEN_AUDIENCE"),
#undef AUTH_SETTING
	};
	const struct tfp_value *msi = tfp_value_get(config, "azure_use_msi");
	size_t i;

	/* Not every setting is in map (azure_use_msi, the endpoints). */
	memset(blk, 0, sizeof(*blk));
	memset(env, 0, sizeof(*env));
	for (i = 0; i < TFP_ARRAY_SIZE(map); i++) {
		*(const char **)(void *)((char *)blk + map[i].off) =
			block_string(config, map[i].name, unknown);
		*(const char **)(void *)((char *)env + map[i].off) =
			env_string(map[i].env);
	}
	/* A bool in the block, a string in the environment and profiles. */
	if (tfp_value_is_unknown(msi))
		*unknown = true;
	else if (tfp_value_is_known(msi))
		blk->azure_use_msi = msi->u.b ? "true" : "false";
	env->azure_use_msi = env_string("ARM_USE_MSI");
}

/*
 * The answers that mean "the object is gone" beyond the client's generic
 * rules (404, *_DOES_NOT_EXIST, ...): each family declares the quirks of
 * its APIs in a table of its own, and this list is every table, given to
 * the client at configure. A family with such a quirk adds its table here.
 */
/* clang-format off */
const struct tfp_rest_not_found *const tfp_databricks_not_found[] = {
	tfp_jobs_not_found,    /* jobs/get, jobs/runs/get, jobs/delete */
	tfp_compute_not_found, /* clusters/..., libraries/... */
	tfp_identity_not_found, /* permissions/clusters/... */
	NULL
};
/* clang-format on */

/* True when host (scheme://authority) ends with suffix. */
static bool dbx_host_ends(const char *host, const char *suffix)
{
	size_t n = strlen(host), m = strlen(suffix);

	return n >= m && strcasecmp(host + n - m, suffix) == 0;
}

/*
 * Whether the provider talks to the account API rather than a workspace:
 * the account console's hosts (accounts., accounts-dod.), or any other
 * host given with an account_id (a local emulator, a proxy). On a
 * workspace's own domain an account_id is only an extra setting, so a
 * DATABRICKS_ACCOUNT_ID left in the environment does not turn a workspace
 * provider into an account one.
 */
static bool dbx_is_account(const char *host, const char *account_id)
{
	static const char *const workspace_domains[] = {
		".cloud.databricks.com", ".azuredatabricks.net",
		".gcp.databricks.com", ".databricks.azure.cn",
		".databricks.azure.us", ".cloud.databricks.us",
		".cloud.databricks.mil"};
	const char *authority;
	size_t i;

	if (host == NULL)
		return false;
	authority = strstr(host, "://");
	authority = authority != NULL ? authority + 3 : host;
	if (strncasecmp(authority, "accounts.", 9) == 0 ||
	    strncasecmp(authority, "accounts-dod.", 13) == 0)
		return true;
	if (account_id == NULL || account_id[0] == '\0')
		return false;
	for (i = 0; i < TFP_ARRAY_SIZE(workspace_domains); i++)
		if (dbx_host_ends(host, workspace_domains[i]))
			return false;
	return true;
}

static int dbx_configure(void **client_out, struct tfp_call *call,
			 const struct tfp_value *config,
			 const char *terraform_version)
{
	struct tfp_rest_config cfg = { 0 };
	struct tfp_rest *rest = NULL;
	struct tfp_auth_settings blk, env, s;
	enum tfp_auth_method method;
	struct tfp_auth *auth = NULL;
	bool unknown = false;
	const char *host, *fname, *err;
	int error;

	auth_layers(config, &blk, &env, &unknown);
	if (config_knobs(call, config, &cfg, &unknown) < 0)
		return TFP_ERROR;
	cfg.not_found = tfp_databricks_not_found;
	if (unknown) {
		tfp_log(TFP_LOG_INFO, "databricks",
			"provider configuration has unknown values; the "
			"workspace client is made when they are known");
		return TFP_OK;
	}
	fname = config_file_path(call->arena, blk.config_file ? blk.config_file
							      : env.config_file);
	if (tfp_auth_resolve(&s, &method, &err, call->arena, &blk, &env,
			     config_file_text(call->arena, fname),
			     fname) < 0)
		return tfp_diag_error(call->diags,
				      "Invalid provider authentication", "%s",
				      err);
	host = s.host;
	if (host != NULL && strstr(host, "://") == NULL)
		host = tfp_arena_printf(call->arena, "https://%s", host);
	/* Where Entra ID, the Resource Manager and the instance metadata
	 * service are: not settings of the official provider, but how tests
	 * point them at a stand-in (the emulator). */
	s.azure_login_endpoint = env_string("ARM_LOGIN_ENDPOINT");
	s.azure_management_endpoint = env_string("ARM_MANAGEMENT_ENDPOINT");
	s.azure_msi_endpoint = env_string("ARM_MSI_ENDPOINT");
	s.google_application_credentials = google_adc_file(call->arena);
	s.google_metadata_host = env_string("GCE_METADATA_HOST");
	s.google_iam_endpoint = env_string("GOOGLE_IAM_CREDENTIALS_ENDPOINT");
	if (host == NULL && s.azure_workspace_resource_id != NULL &&
	    (method == TFP_AUTH_AZURE_MSI ||
	     method == TFP_AUTH_AZURE_CLIENT_SECRET ||
	     method == TFP_AUTH_AZURE_CLI)) {
		/* The Go SDK resolves the workspace before its first call. */
		auth = tfp_auth_new(method, &s, false, cfg.timeout_seconds,
				    cfg.skip_verify);
		if (tfp_auth_azure_resolve_host(&host, auth, call) < 0) {
			tfp_auth_free(auth);
			return TFP_ERROR;
		}
	}
	cfg.host = host;
	s.host = host;
	cfg.account_id = s.account_id;
	cfg.account_level = dbx_is_account(host, s.account_id);
	if (method == TFP_AUTH_PAT || method == TFP_AUTH_NONE) {
		cfg.token = s.token;
	} else {
		/* Without a host tfp_rest_new fails before any call. */
		if (host != NULL && auth == NULL)
			auth = tfp_auth_new(method, &s, cfg.account_level,
					    cfg.timeout_seconds,
					    cfg.skip_verify);
		cfg.auth_header = tfp_auth_header;
		cfg.auth_payload = auth;
		cfg.auth_free = dbx_auth_free;
	}
	tfp_log(TFP_LOG_DEBUG, "databricks", "authentication method: %s",
		tfp_auth_method_name(method == TFP_AUTH_NONE ? TFP_AUTH_PAT
							     : method));
	/* The SDKs' auth/<method> tag, so workspace logs show how the
	 * provider signed in. */
	cfg.user_agent = tfp_arena_printf(
		call->arena, "brickform/%s terraform/%s auth/%s", TFP_VERSION,
		terraform_version && terraform_version[0] ? terraform_version
							  : "unknown",
		tfp_auth_method_name(method == TFP_AUTH_NONE ? TFP_AUTH_PAT
							     : method));
	error = tfp_rest_new(&rest, &cfg, call->diags);
	if (error < 0) {
		tfp_auth_free(auth);
		return error;
	}
	tfp_log(TFP_LOG_DEBUG, "databricks", "configured workspace client for %s",
		cfg.host);
	*client_out = rest;
	return TFP_OK;
}

/* Account-level types need an account provider, the others a workspace's;
 * dual-level types take either, an account one with its account_id. */
static int dbx_check_type(struct tfp_call *call, unsigned provider_flags)
{
	bool account = tfp_rest_is_account(tfp_rest_of(call));

	if ((provider_flags & TFP_DATABRICKS_ANY_LEVEL) && !account)
		return TFP_OK;
	if (provider_flags &
	    (TFP_DATABRICKS_ACCOUNT | TFP_DATABRICKS_ANY_LEVEL)) {
		if (account && tfp_rest_account_id(tfp_rest_of(call)) != NULL)
			return TFP_OK;
		return tfp_diag_error(
			call->diags, "Account-level resource",
			"%s is managed through the account API. Configure its "
			"provider with host = "
			"\"https://accounts.cloud.databricks.com\" and "
			"account_id (or DATABRICKS_ACCOUNT_ID); this one points "
			"at %s%s.",
			call->type_name, tfp_rest_host(tfp_rest_of(call)),
			account ? " without an account_id" : ", a workspace");
	}
	if (!account)
		return TFP_OK;
	return tfp_diag_error(
		call->diags, "Workspace-level resource",
		"%s is managed inside a workspace, but this provider points at "
		"the account API (%s). Give it a provider block whose host is "
		"the workspace's URL, e.g. host = "
		"databricks_mws_workspaces.this.workspace_url.",
		call->type_name, tfp_rest_host(tfp_rest_of(call)));
}

static void dbx_client_free(void *client)
{
	tfp_rest_free(client);
}

/*
 * Every resource and data source, in the order the schema lists them
 * (registry.c), with the provider block and its configure.
 */
const struct tfp_provider_def tfp_databricks_provider = {
	.name = "databricks",
	.source = "brickform/databricks",
	.version = TFP_VERSION,
	.desc = "The Databricks provider (brickform).",
	.config_attrs = provider_attrs,
	.resources = tfp_registry_resources,
	.data_sources = tfp_registry_data_sources,
	.configure = dbx_configure,
	.client_free = dbx_client_free,
	.check_type = dbx_check_type,
	.unconfigured_hint = "Make sure host and token (or DATABRICKS_HOST "
			     "and DATABRICKS_TOKEN) are set and known at plan "
			     "time.",
};
