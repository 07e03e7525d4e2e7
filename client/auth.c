/*
 * Provider authentication: settings resolution and token sources. See
 * auth.h. Only rest.c talks HTTP; this file builds the requests and reads
 * the answers, and never logs or reports a secret (password, client
 * secret, tokens, token endpoint answers). Its own copies of secrets are
 * wiped before they are freed (free_secret).
 */
#include "auth.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "arena.h"
#include "diag.h"
#include "log.h"
#include "rest.h"

#define AUTH_LOG	"auth"
#define AUTH_SUMMARY	"Cannot authenticate to Databricks"
#define AUTH_CLI_MAX	((size_t)1 << 20)
#define AUTH_MARGIN_MAX 60 /* seconds before expiry a token is replaced */

static const char *const method_names[] = {
	[TFP_AUTH_NONE] = "none",
	[TFP_AUTH_PAT] = "pat",
	[TFP_AUTH_BASIC] = "basic",
	[TFP_AUTH_OAUTH_M2M] = "oauth-m2m",
	[TFP_AUTH_DATABRICKS_CLI] = "databricks-cli",
	[TFP_AUTH_METADATA_SERVICE] = "metadata-service",
	[TFP_AUTH_AZURE_MSI] = "azure-msi",
	[TFP_AUTH_AZURE_CLIENT_SECRET] = "azure-client-secret",
	[TFP_AUTH_AZURE_CLI] = "azure-cli",
	[TFP_AUTH_GOOGLE_CREDENTIALS] = "google-credentials",
	[TFP_AUTH_GOOGLE_ID] = "google-id",
	[TFP_AUTH_GITHUB_OIDC] = "github-oidc",
	[TFP_AUTH_ENV_OIDC] = "env-oidc",
	[TFP_AUTH_FILE_OIDC] = "file-oidc",
	[TFP_AUTH_GITHUB_OIDC_AZURE] = "github-oidc-azure",
};

/* auth_type names of the official provider (Go SDK credential strategies)
 * that brickform does not implement: refused with a message saying so. */
static const char *const unsupported_names[] = {
	"azure-devops-oidc",
	"external-browser",
	"oauth-u2m",
};

const char *tfp_auth_method_name(enum tfp_auth_method m)
{
	return (size_t)m < TFP_ARRAY_SIZE(method_names) ? method_names[m]
							: "none";
}

enum tfp_auth_method tfp_auth_method_from_name(const char *s)
{
	size_t i;

	for (i = 1; s != NULL && i < TFP_ARRAY_SIZE(method_names); i++)
		if (strcmp(s, method_names[i]) == 0)
			return (enum tfp_auth_method)i;
	return TFP_AUTH_NONE;
}

const char *tfp_auth_method_list(void)
{
	return "pat, basic, oauth-m2m, databricks-cli, metadata-service, "
	       "github-oidc, env-oidc, file-oidc, github-oidc-azure, "
	       "azure-msi, azure-client-secret, azure-cli, google-credentials, "
	       "google-id";
}

bool tfp_auth_method_unsupported(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < TFP_ARRAY_SIZE(unsupported_names); i++)
		if (strcmp(s, unsupported_names[i]) == 0)
			return true;
	return false;
}

/* --- settings ------------------------------------------------------------ */

static const struct {
	const char *key;
	size_t off;
} setting_keys[] = {
	{"host", offsetof(struct tfp_auth_settings, host)},
	{"token", offsetof(struct tfp_auth_settings, token)},
	{"username", offsetof(struct tfp_auth_settings, username)},
	{"password", offsetof(struct tfp_auth_settings, password)},
	{"client_id", offsetof(struct tfp_auth_settings, client_id)},
	{"client_secret", offsetof(struct tfp_auth_settings, client_secret)},
	{"profile", offsetof(struct tfp_auth_settings, profile)},
	{"config_file", offsetof(struct tfp_auth_settings, config_file)},
	{"auth_type", offsetof(struct tfp_auth_settings, auth_type)},
	{"account_id", offsetof(struct tfp_auth_settings, account_id)},
	{"databricks_cli_path",
	 offsetof(struct tfp_auth_settings, databricks_cli_path)},
	{"metadata_service_url",
	 offsetof(struct tfp_auth_settings, metadata_service_url)},
#define AUTH_KEY(n)                                                            \
	{                                                                      \
#n, offsetof(struct tfp_auth_settings, n)                      \
	}
	AUTH_KEY(azure_workspace_resource_id),
	AUTH_KEY(azure_client_id),
	AUTH_KEY(azure_client_secret),
	AUTH_KEY(azure_tenant_id),
	AUTH_KEY(azure_environment),
	AUTH_KEY(azure_login_app_id),
	AUTH_KEY(azure_use_msi),
	AUTH_KEY(google_service_account),
	AUTH_KEY(google_credentials),
	AUTH_KEY(actions_id_token_request_url),
	AUTH_KEY(actions_id_token_request_token),
	AUTH_KEY(oidc_token_env),
	AUTH_KEY(databricks_id_token_filepath),
	AUTH_KEY(audience),
#undef AUTH_KEY
};

static const char **setting_at(struct tfp_auth_settings *s, size_t i)
{
	return (const char **)(void *)((char *)s + setting_keys[i].off);
}

static const char *const *setting_at_c(const struct tfp_auth_settings *s,
				       size_t i)
{
	return (const char *const *)(const void *)((const char *)s +
						   setting_keys[i].off);
}

static bool set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* Fills dst's unset settings from src (a profile cannot name a profile or
 * a config file). */
static void fill_unset(struct tfp_auth_settings *dst,
		       const struct tfp_auth_settings *src, bool from_file)
{
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(setting_keys); i++) {
		const char **d = setting_at(dst, i);
		const char *v = *setting_at_c(src, i);

		if (from_file &&
		    (strcmp(setting_keys[i].key, "profile") == 0 ||
		     strcmp(setting_keys[i].key, "config_file") == 0))
			continue;
		if (!set(*d) && set(v))
			*d = v;
	}
}

static bool ini_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

static void ini_trim(const char **s, size_t *n)
{
	while (*n > 0 && ini_space((*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ini_space((*s)[*n - 1]))
		(*n)--;
}

void tfp_auth_parse_profile(struct tfp_auth_settings *out, bool *found,
			    struct tfp_arena *a, const char *text,
			    const char *profile)
{
	struct tfp_auth_settings sect = {0}, dflt = {0};
	struct tfp_auth_settings *cur = &dflt;
	bool in_default = true, is_default;
	const char *p = text ? text : "", *eol, *line, *eq;
	size_t n, kn, vn, i;

	memset(out, 0, sizeof(*out));
	*found = false;
	is_default = profile == NULL || strcmp(profile, "DEFAULT") == 0;
	while (*p != '\0') {
		eol = strchr(p, '\n');
		n = eol ? (size_t)(eol - p) : strlen(p);
		line = p;
		p = eol ? eol + 1 : p + n;
		ini_trim(&line, &n);
		if (n == 0 || line[0] == '#' || line[0] == ';')
			continue;
		if (line[0] == '[') {
			const char *name = line + 1;

			kn = n > 1 && line[n - 1] == ']' ? n - 2 : n - 1;
			ini_trim(&name, &kn);
			in_default =
				kn == 7 && strncmp(name, "DEFAULT", 7) == 0;
			if (in_default) {
				cur = &dflt;
				if (is_default)
					*found = true;
			} else if (!is_default && strlen(profile) == kn &&
				   strncmp(name, profile, kn) == 0) {
				cur = &sect;
				*found = true;
			} else {
				cur = NULL;
			}
			continue;
		}
		eq = memchr(line, '=', n);
		if (cur == NULL || eq == NULL)
			continue;
		{
			const char *k = line, *v = eq + 1;

			kn = (size_t)(eq - line);
			vn = n - kn - 1;
			ini_trim(&k, &kn);
			ini_trim(&v, &vn);
			for (i = 0; i < TFP_ARRAY_SIZE(setting_keys); i++) {
				if (strlen(setting_keys[i].key) == kn &&
				    strncmp(setting_keys[i].key, k, kn) == 0)
					*setting_at(cur, i) =
						tfp_arena_strndup(a, v, vn);
			}
		}
		if (in_default && is_default)
			*found = true;
	}
	*out = is_default ? dflt : sect;
	if (!is_default)
		fill_unset(out, &dflt, false);
	out->profile = NULL;
	out->config_file = NULL;
}

bool tfp_auth_url_is_localhost(const char *url)
{
	const char *h, *end;
	size_t n;

	if (url == NULL)
		return false;
	if (strncasecmp(url, "http://", 7) == 0)
		h = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		h = url + 8;
	else
		return false;
	if (strchr(h, '@') != NULL && strchr(h, '@') < h + strcspn(h, "/"))
		return false; /* user info: not a plain local address */
	if (h[0] == '[') {
		end = strchr(h, ']');
		if (end == NULL)
			return false;
		n = (size_t)(end - h) + 1;
		if (!(n == 5 && strncmp(h, "[::1]", 5) == 0))
			return false;
	} else {
		n = strcspn(h, ":/?#");
		if (!((n == 9 && strncasecmp(h, "localhost", 9) == 0) ||
		      (n >= 7 && n <= 15 && strncmp(h, "127.", 4) == 0 &&
		       strspn(h, "0123456789.") == n)))
			return false;
	}
	return h[n] == '\0' || h[n] == ':' || h[n] == '/' || h[n] == '?' ||
	       h[n] == '#';
}

/*
 * Why a method that needs two settings together cannot be used: names the
 * one that is missing and its environment variable (DATABRICKS_ and the
 * setting's name in capitals), never a value.
 */
static const char *pair_missing(struct tfp_arena *a, const char *method,
				const char *first, bool first_set,
				const char *second)
{
	const char *missing = first_set ? second : first;
	char env[64];
	size_t i;

	for (i = 0; missing[i] != '\0' && i + 1 < sizeof(env); i++)
		env[i] = (char)(missing[i] >= 'a' && missing[i] <= 'z'
					? missing[i] - 'a' + 'A'
					: missing[i]);
	env[i] = '\0';
	return tfp_arena_printf(a,
				"%s needs both %s and %s, but %s is not set "
				"(%s or DATABRICKS_%s).",
				method, first, second, missing, missing, env);
}

/* The Azure clouds' endpoints, as in the Go SDK (common/environment/
 * azure.go); index 0 (public) is the default. */
static const struct {
	const char *name, *sdk_name;
	const char *login;	/* Entra ID (ActiveDirectoryEndpoint) */
	const char *manager;	/* Resource Manager (ResourceManagerEndpoint) */
	const char *management; /* resource of management tokens */
} azure_envs[] = {
	{"public", "AzurePublicCloud", "https://login.microsoftonline.com/",
	 "https://management.azure.com/",
	 "https://management.core.windows.net/"},
	{"usgovernment", "AzureUSGovernmentCloud",
	 "https://login.microsoftonline.us/",
	 "https://management.usgovcloudapi.net/",
	 "https://management.core.usgovcloudapi.net/"},
	{"china", "AzureChinaCloud", "https://login.chinacloudapi.cn/",
	 "https://management.chinacloudapi.cn/",
	 "https://management.core.chinacloudapi.cn/"},
};

/* azure_environment's index in azure_envs (unset: public), -1 unknown. */
static int azure_env_index(const char *name)
{
	size_t i;

	if (!set(name))
		return 0;
	for (i = 0; i < TFP_ARRAY_SIZE(azure_envs); i++)
		if (strcasecmp(name, azure_envs[i].name) == 0 ||
		    strcasecmp(name, azure_envs[i].sdk_name) == 0)
			return (int)i;
	return -1;
}

static bool truthy(const char *s)
{
	return set(s) && (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

/* An Azure Databricks workspace host (the Go SDK's IsAzure). */
static bool azure_host(const char *host)
{
	static const char *const suffixes[] = {".azuredatabricks.net",
					       ".databricks.azure.cn",
					       ".databricks.azure.us"};
	size_t i, n, m, k;

	if (!set(host))
		return false;
	n = strlen(host);
	while (n > 0 && host[n - 1] == '/')
		n--;
	for (i = 0; i < TFP_ARRAY_SIZE(suffixes); i++) {
		m = strlen(suffixes[i]);
		k = n >= m ? n - m : 0;
		if (n >= m && strncasecmp(host + k, suffixes[i], m) == 0)
			return true;
	}
	return false;
}

/* Without auth_type and without Databricks credentials: the cloud
 * methods in the order of the Go SDK's chain, first match wins. */
static enum tfp_auth_method cloud_method(const struct tfp_auth_settings *m)
{
	bool azure = set(m->azure_workspace_resource_id) || azure_host(m->host);

	if (truthy(m->azure_use_msi) &&
	    (set(m->host) || set(m->azure_workspace_resource_id)))
		return TFP_AUTH_AZURE_MSI;
	if (set(m->azure_client_secret))
		return TFP_AUTH_AZURE_CLIENT_SECRET;
	if (azure)
		return TFP_AUTH_AZURE_CLI;
	if (set(m->google_credentials))
		return TFP_AUTH_GOOGLE_CREDENTIALS;
	if (set(m->google_service_account))
		return TFP_AUTH_GOOGLE_ID;
	return TFP_AUTH_NONE;
}

/* The variable env-oidc reads its token from. */
static const char *oidc_env_name(const struct tfp_auth_settings *m)
{
	return set(m->oidc_token_env) ? m->oidc_token_env
				      : TFP_AUTH_OIDC_TOKEN_ENV_DEFAULT;
}

/*
 * Without auth_type and Databricks credentials: the OIDC methods in the Go
 * SDK's order (github-oidc, env-oidc, file-oidc, then github-oidc-azure
 * among the Azure ones), from the settings the SDK's strategies need. The
 * SDK tries github-oidc first and falls through when the exchange fails;
 * deciding without a trial, an Entra application (azure_client_id without
 * a secret or a Databricks client_id) means github-oidc-azure, and an
 * Azure host or Azure credentials without a Databricks client_id mean
 * Azure sign-in (azure/login in a workflow), not federation. env-oidc's token
 * is in the environment whatever layer named the variable, so this one check
 * reads it.
 */
static enum tfp_auth_method oidc_method(const struct tfp_auth_settings *m)
{
	bool github = set(m->actions_id_token_request_url) &&
		      set(m->actions_id_token_request_token);
	const char *env_token = getenv(oidc_env_name(m));

	if (github &&
	    (set(m->client_id) ||
	     !(azure_host(m->host) || set(m->azure_client_id) ||
	       set(m->azure_client_secret) || truthy(m->azure_use_msi))))
		return TFP_AUTH_GITHUB_OIDC;
	if (set(m->oidc_token_env) || (env_token != NULL && env_token[0]))
		return TFP_AUTH_ENV_OIDC;
	if (set(m->databricks_id_token_filepath))
		return TFP_AUTH_FILE_OIDC;
	if (github && set(m->azure_client_id) && !set(m->client_id) &&
	    !set(m->azure_client_secret))
		return TFP_AUTH_GITHUB_OIDC_AZURE;
	return TFP_AUTH_NONE;
}

/* Why OIDC method cannot be used with m, or NULL: the missing setting and
 * its environment variable, never a value. */
static const char *oidc_missing(struct tfp_arena *a,
				enum tfp_auth_method method,
				const struct tfp_auth_settings *m)
{
	const char *name = tfp_auth_method_name(method);
	const char *v;

	if (!set(m->host))
		return tfp_arena_printf(a,
					"%s exchanges its token at the "
					"workspace or account, but host is "
					"not set (host or DATABRICKS_HOST).",
					name);
	switch (method) {
	case TFP_AUTH_GITHUB_OIDC:
	case TFP_AUTH_GITHUB_OIDC_AZURE:
		if (!set(m->actions_id_token_request_url) ||
		    !set(m->actions_id_token_request_token))
			return tfp_arena_printf(
				a,
				"%s needs GitHub Actions' ID token request, "
				"but %s is not set (%s). GitHub sets both "
				"in a job with the id-token: write "
				"permission.",
				name,
				!set(m->actions_id_token_request_url)
					? "actions_id_token_request_url"
					: "actions_id_token_request_token",
				!set(m->actions_id_token_request_url)
					? "ACTIONS_ID_TOKEN_REQUEST_URL"
					: "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
		if (method == TFP_AUTH_GITHUB_OIDC_AZURE &&
		    (!set(m->azure_client_id) || !set(m->azure_tenant_id)))
			return tfp_arena_printf(
				a,
				"github-oidc-azure needs azure_client_id and "
				"azure_tenant_id, but %s is not set (%s).",
				!set(m->azure_client_id) ? "azure_client_id"
							 : "azure_tenant_id",
				!set(m->azure_client_id) ? "ARM_CLIENT_ID"
							 : "ARM_TENANT_ID");
		return NULL;
	case TFP_AUTH_ENV_OIDC:
		v = getenv(oidc_env_name(m));
		if (v == NULL || v[0] == '\0')
			return tfp_arena_printf(
				a,
				"env-oidc reads its token from the "
				"environment variable %s, which is not set "
				"(oidc_token_env or DATABRICKS_OIDC_TOKEN_ENV "
				"name another).",
				oidc_env_name(m));
		return NULL;
	case TFP_AUTH_FILE_OIDC:
		if (!set(m->databricks_id_token_filepath))
			return "file-oidc needs databricks_id_token_filepath "
			       "(or DATABRICKS_OIDC_TOKEN_FILEPATH), the file "
			       "holding the token.";
		return NULL;
	default:
		break;
	}
	return NULL;
}

int tfp_auth_resolve(struct tfp_auth_settings *out,
		     enum tfp_auth_method *method, const char **err,
		     struct tfp_arena *a, const struct tfp_auth_settings *block,
		     const struct tfp_auth_settings *env, const char *file_text,
		     const char *file_name)
{
	struct tfp_auth_settings m = {0}, prof;
	enum tfp_auth_method pinned = TFP_AUTH_NONE, present[4];
	const char *fname = file_name ? file_name : "~/.databrickscfg";
	size_t np = 0;
	bool found;

	*method = TFP_AUTH_NONE;
	*err = NULL;
	if (block != NULL)
		fill_unset(&m, block, false);
	if (env != NULL)
		fill_unset(&m, env, false);
	if (set(m.auth_type)) {
		pinned = tfp_auth_method_from_name(m.auth_type);
		if (pinned == TFP_AUTH_NONE &&
		    tfp_auth_method_unsupported(m.auth_type)) {
			*err = tfp_arena_printf(
				a,
				"auth_type \"%s\" is a method of the official "
				"provider that brickform does not support yet; "
				"use one of %s.",
				m.auth_type, tfp_auth_method_list());
			goto fail;
		}
		if (pinned == TFP_AUTH_NONE) {
			*err = tfp_arena_printf(
				a,
				"auth_type \"%s\" is not one of "
				"%s.",
				m.auth_type, tfp_auth_method_list());
			goto fail;
		}
	}
	/* The config file: a named profile always; else DEFAULT, unless the
	 * block or env already say where and how. */
	if (set(m.profile) ||
	    !(set(m.host) || set(m.token) || set(m.username) ||
	      set(m.password) || set(m.client_id) || set(m.client_secret) ||
	      set(m.databricks_cli_path) || set(m.metadata_service_url) ||
	      set(m.azure_workspace_resource_id) || set(m.azure_client_id) ||
	      set(m.azure_client_secret) || set(m.azure_use_msi) ||
	      set(m.google_credentials) || set(m.google_service_account))) {
		if (file_text == NULL && set(m.profile)) {
			*err = tfp_arena_printf(a,
						"profile \"%s\" was asked for, "
						"but the config file %s does "
						"not exist.",
						m.profile, fname);
			goto fail;
		}
		tfp_auth_parse_profile(&prof, &found, a, file_text,
				       set(m.profile) ? m.profile : "DEFAULT");
		if (!found && set(m.profile)) {
			*err = tfp_arena_printf(a,
						"profile \"%s\" is not in the "
						"config file %s.",
						m.profile, fname);
			goto fail;
		}
		if (found) {
			fill_unset(&m, &prof, true);
			if (pinned == TFP_AUTH_NONE && set(m.auth_type)) {
				pinned = tfp_auth_method_from_name(m.auth_type);
				if (pinned == TFP_AUTH_NONE) {
					*err = tfp_arena_printf(
						a,
						"auth_type \"%s\" (from %s) "
						"is %s %s.",
						m.auth_type, fname,
						tfp_auth_method_unsupported(
							m.auth_type)
							? "a method of the "
							  "official provider "
							  "that brickform does "
							  "not support yet; "
							  "use "
							  "one of"
							: "not one of",
						tfp_auth_method_list());
					goto fail;
				}
			}
		}
	}
	*out = m;

	/* In the Go SDK's order (config/auth_default.go), so the message
	 * names the methods as its chain would meet them. A client_id alone
	 * beside an OIDC token source is the service principal of workload
	 * identity federation, not half of oauth-m2m (whose strategy the SDK
	 * skips without a secret). */
	if (set(m.token))
		present[np++] = TFP_AUTH_PAT;
	if (set(m.username) || set(m.password))
		present[np++] = TFP_AUTH_BASIC;
	if (set(m.client_secret) ||
	    (set(m.client_id) && oidc_method(&m) == TFP_AUTH_NONE))
		present[np++] = TFP_AUTH_OAUTH_M2M;
	if (set(m.metadata_service_url))
		present[np++] = TFP_AUTH_METADATA_SERVICE;
	if (pinned == TFP_AUTH_NONE && np > 1) {
		*err = tfp_arena_printf(a,
					"more than one authentication method "
					"is configured: %s and %s. Remove the "
					"settings of one, or set auth_type to "
					"choose.",
					tfp_auth_method_name(present[0]),
					tfp_auth_method_name(present[1]));
		goto fail;
	}
	if (pinned != TFP_AUTH_NONE)
		*method = pinned;
	else if (np == 1)
		*method = present[0];
	else if (set(m.databricks_cli_path))
		*method = TFP_AUTH_DATABRICKS_CLI;
	else if (oidc_method(&m) != TFP_AUTH_NONE)
		*method = oidc_method(&m);
	else
		*method = cloud_method(&m);
	if (set(m.azure_environment) &&
	    azure_env_index(m.azure_environment) < 0) {
		*err = tfp_arena_printf(
			a,
			"azure_environment \"%s\" is not one of "
			"public, usgovernment, china.",
			m.azure_environment);
		goto fail;
	}

	switch (*method) {
	case TFP_AUTH_PAT:
		if (!set(m.token)) {
			*err = "auth_type is pat, but no token is set (token "
			       "or DATABRICKS_TOKEN).";
			goto fail;
		}
		break;
	case TFP_AUTH_BASIC:
		if (!set(m.username) || !set(m.password)) {
			*err = pair_missing(a, "basic", "username",
					    set(m.username), "password");
			goto fail;
		}
		break;
	case TFP_AUTH_OAUTH_M2M:
		if (!set(m.client_id) || !set(m.client_secret)) {
			*err = pair_missing(a, "oauth-m2m", "client_id",
					    set(m.client_id), "client_secret");
			goto fail;
		}
		break;
	case TFP_AUTH_METADATA_SERVICE:
		if (!set(m.metadata_service_url)) {
			*err = "auth_type is metadata-service, but "
			       "metadata_service_url is not set.";
			goto fail;
		}
		if (!tfp_auth_url_is_localhost(m.metadata_service_url)) {
			/* Not quoted: the URL is sensitive. */
			*err = "metadata_service_url must be a localhost URL "
			       "(http://localhost:<port>/..., 127.0.0.1 or "
			       "[::1]).";
			goto fail;
		}
		break;
	case TFP_AUTH_AZURE_CLIENT_SECRET:
		/* Without a tenant, the workspace (host) tells it. */
		if (!set(m.azure_client_id) || !set(m.azure_client_secret) ||
		    (!set(m.azure_tenant_id) && !set(m.host))) {
			*err = tfp_arena_printf(
				a,
				"azure-client-secret needs azure_client_id, "
				"azure_client_secret and azure_tenant_id, but "
				"%s is not set (%s).",
				!set(m.azure_client_id) ? "azure_client_id"
				: !set(m.azure_client_secret)
					? "azure_client_secret"
					: "azure_tenant_id",
				!set(m.azure_client_id) ? "or ARM_CLIENT_ID"
				: !set(m.azure_client_secret)
					? "or ARM_CLIENT_SECRET"
					: "or ARM_TENANT_ID");
			goto fail;
		}
		break;
	case TFP_AUTH_AZURE_MSI:
	case TFP_AUTH_AZURE_CLI:
		break;
	case TFP_AUTH_GOOGLE_CREDENTIALS:
		if (!set(m.google_credentials)) {
			*err = "auth_type is google-credentials, but "
			       "google_credentials is not set (or "
			       "GOOGLE_CREDENTIALS).";
			goto fail;
		}
		break;
	case TFP_AUTH_GOOGLE_ID:
		if (!set(m.google_service_account)) {
			*err = "auth_type is google-id, but "
			       "google_service_account is not set (or "
			       "DATABRICKS_GOOGLE_SERVICE_ACCOUNT).";
			goto fail;
		}
		break;
	case TFP_AUTH_GITHUB_OIDC:
	case TFP_AUTH_GITHUB_OIDC_AZURE:
	case TFP_AUTH_ENV_OIDC:
	case TFP_AUTH_FILE_OIDC:
		*err = oidc_missing(a, *method, &m);
		if (*err != NULL)
			goto fail;
		break;
	case TFP_AUTH_DATABRICKS_CLI:
	case TFP_AUTH_NONE:
		break;
	}
	if (set(m.azure_workspace_resource_id) && !set(m.host) &&
	    *method != TFP_AUTH_AZURE_MSI &&
	    *method != TFP_AUTH_AZURE_CLIENT_SECRET &&
	    *method != TFP_AUTH_AZURE_CLI) {
		*err = tfp_arena_printf(
			a,
			"azure_workspace_resource_id without host needs an "
			"Azure method (azure-client-secret, azure-msi or "
			"azure-cli) to resolve the workspace URL; %s cannot.",
			tfp_auth_method_name(*method));
		goto fail;
	}
	return TFP_OK;

fail:
	*method = TFP_AUTH_NONE;
	return TFP_ERROR;
}

/* --- token sources ------------------------------------------------------- */

struct tfp_auth {
	enum tfp_auth_method method;
	bool account_level; /* host is the account console */
	char *host;
	char *client_id;
	char *client_secret; /* secret */
	char *cli_path;
	char *metadata_url; /* sensitive */
	/* Azure: the application whose tokens the workspace takes, the
	 * endpoints of the chosen cloud (or the caller's overrides), and a
	 * cache of the management token (resolving the workspace URL). */
	char *az_client_id;
	char *az_client_secret; /* secret */
	char *az_tenant_id;
	char *az_resource_id;
	char *az_app_id;
	char *az_login;	     /* ends with '/' */
	char *az_manager;    /* ends with '/' */
	char *az_management; /* resource of management tokens */
	char *az_msi;
	char *google_credentials; /* secret: a key's JSON, or its path */
	char *google_sa;	  /* google-id: the account impersonated */
	char *google_adc;	  /* its credentials file, or NULL */
	char *google_metadata;	  /* GCE metadata server host[:port] */
	char *google_iam;	  /* IAM Credentials API, ends with '/' */
	/* The OIDC methods: GitHub's ID token request (the token a secret),
	 * env-oidc's variable, file-oidc's file, the audience, the account. */
	char *actions_url;
	char *actions_token; /* secret */
	char *oidc_env;
	char *oidc_file;
	char *audience;
	char *account_id;
	long timeout_seconds;
	bool skip_verify;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool refreshing; /* one refresh at a time; others wait */
	/* Known from the start on the account console, else discovered once
	 * (by the refreshing thread only). */
	char *token_endpoint;
	/* "Authorization: Bearer ...", or basic's "Authorization: Basic ..."
	 * made once by tfp_auth_new and never changed: secret. */
	char *header;
	time_t refresh_at;
};

static char *dup_or_null(const char *s)
{
	return set(s) ? tfp_xstrdup(s) : NULL;
}

static void free_secret(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* s, malloc'd, ending with one '/' (endpoints are joined as prefixes). */
static char *with_slash(const char *s)
{
	size_t n = strlen(s);
	char *out = tfp_xmalloc(n + 2);

	memcpy(out, s, n + 1);
	if (n == 0 || s[n - 1] != '/')
		strcat(out, "/");
	return out;
}

/* Base64 of n bytes, malloc'd: RFC 4648 §4 with padding, or with url set
 * §5's alphabet without padding (RFC 7515 §2, for JWTs). */
char *tfp_auth__base64(const unsigned char *p, size_t n, bool url)
{
	const char *b64 = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
				"vwxyz0123456789-_"
			      : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
				"vwxyz0123456789+/";
	char *out = tfp_xmalloc((n + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		*o++ = b64[p[i] >> 2];
		*o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*o++ = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		*o++ = b64[p[i + 2] & 63];
	}
	if (i < n) {
		*o++ = b64[p[i] >> 2];
		if (i + 1 < n) {
			*o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			*o++ = b64[(p[i + 1] & 15) << 2];
		} else {
			*o++ = b64[(p[i] & 3) << 4];
			if (!url)
				*o++ = '=';
		}
		if (!url)
			*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* "Authorization: Basic base64(first:second)", malloc'd (a secret). The
 * joined text is wiped here; the caller wipes the header (free_secret). */
static char *basic_header_line(const char *first, const char *second)
{
	size_t n = strlen(first) + 1 + strlen(second) + 1;
	char *pair = tfp_xmalloc(n), *b, *line;

	snprintf(pair, n, "%s:%s", first, second);
	b = tfp_auth__base64((const unsigned char *)pair, strlen(pair), false);
	free_secret(pair);
	n = strlen("Authorization: Basic ") + strlen(b) + 1;
	line = tfp_xmalloc(n);
	snprintf(line, n, "Authorization: Basic %s", b);
	free_secret(b);
	return line;
}

struct tfp_auth *tfp_auth_new(enum tfp_auth_method method,
			      const struct tfp_auth_settings *s,
			      bool account_level, long timeout_seconds,
			      bool skip_verify)
{
	struct tfp_auth *au = tfp_xcalloc(1, sizeof(*au));
	const char *h = s->host ? s->host : "", *auth;
	size_t n;

	au->method = method;
	/* scheme://authority, as the REST client keeps it. */
	auth = strstr(h, "://");
	auth = auth ? auth + 3 : h;
	n = (size_t)(auth - h) + strcspn(auth, "/?#");
	au->host = tfp_xmalloc(n + 1);
	memcpy(au->host, h, n);
	au->host[n] = '\0';
	au->client_id = dup_or_null(s->client_id);
	au->client_secret = dup_or_null(s->client_secret);
	au->cli_path = dup_or_null(s->databricks_cli_path);
	au->metadata_url = dup_or_null(s->metadata_service_url);
	au->account_level = account_level;
	{
		int e = azure_env_index(s->azure_environment);

		e = e < 0 ? 0 : e;
		au->az_client_id = dup_or_null(s->azure_client_id);
		au->az_client_secret = dup_or_null(s->azure_client_secret);
		au->az_tenant_id = dup_or_null(s->azure_tenant_id);
		au->az_resource_id =
			dup_or_null(s->azure_workspace_resource_id);
		au->az_app_id =
			tfp_xstrdup(set(s->azure_login_app_id)
					    ? s->azure_login_app_id
					    : TFP_AUTH_AZURE_DATABRICKS_APP);
		au->az_login = with_slash(set(s->azure_login_endpoint)
						  ? s->azure_login_endpoint
						  : azure_envs[e].login);
		au->az_manager =
			with_slash(set(s->azure_management_endpoint)
					   ? s->azure_management_endpoint
					   : azure_envs[e].manager);
		au->az_management = tfp_xstrdup(azure_envs[e].management);
		au->google_credentials = dup_or_null(s->google_credentials);
		au->google_sa = dup_or_null(s->google_service_account);
		au->google_adc =
			dup_or_null(s->google_application_credentials);
		au->google_metadata = tfp_xstrdup(
			set(s->google_metadata_host) ? s->google_metadata_host
						     : "metadata.google.internal");
		au->google_iam = with_slash(
			set(s->google_iam_endpoint)
				? s->google_iam_endpoint
				: "https://iamcredentials.googleapis.com/");
		au->az_msi = tfp_xstrdup(
			set(s->azure_msi_endpoint)
				? s->azure_msi_endpoint
				: "http://169.254.169.254/metadata/identity/"
				  "oauth2/token");
	}
	au->actions_url = dup_or_null(s->actions_id_token_request_url);
	au->actions_token = dup_or_null(s->actions_id_token_request_token);
	au->oidc_env = tfp_xstrdup(set(s->oidc_token_env)
					   ? s->oidc_token_env
					   : TFP_AUTH_OIDC_TOKEN_ENV_DEFAULT);
	au->oidc_file = dup_or_null(s->databricks_id_token_filepath);
	au->audience = dup_or_null(s->audience);
	au->account_id = dup_or_null(s->account_id);
	if ((method == TFP_AUTH_OAUTH_M2M || method == TFP_AUTH_GITHUB_OIDC ||
	     method == TFP_AUTH_ENV_OIDC || method == TFP_AUTH_FILE_OIDC) &&
	    account_level && set(s->account_id)) {
		/* The account console has no discovery document: the Go SDK
		 * (GetAccountOAuthEndpoints) builds the account's endpoint. */
		char *id = tfp_xmalloc(3 * strlen(s->account_id) + 1);

		tfp_rest_escape_to(id, s->account_id);
		n = strlen(au->host) + strlen(id) + 64;
		au->token_endpoint = tfp_xmalloc(n);
		snprintf(au->token_endpoint, n, "%s/oidc/accounts/%s/v1/token",
			 au->host, id);
		free(id);
		tfp_log(TFP_LOG_DEBUG, AUTH_LOG,
			"OAuth token endpoint: %s (the account's)",
			au->token_endpoint);
	}
	if (method == TFP_AUTH_BASIC)
		/* Go's BasicCredentials joins them as they are (no form
		 * encoding, unlike OAuth client credentials). */
		au->header = basic_header_line(s->username ? s->username : "",
					       s->password ? s->password : "");
	au->timeout_seconds = timeout_seconds;
	au->skip_verify = skip_verify;
	pthread_mutex_init(&au->lock, NULL);
	pthread_cond_init(&au->cond, NULL);
	return au;
}

void tfp_auth_free(struct tfp_auth *au)
{
	if (au == NULL)
		return;
	pthread_mutex_destroy(&au->lock);
	pthread_cond_destroy(&au->cond);
	free(au->host);
	free(au->client_id);
	free_secret(au->client_secret);
	free(au->cli_path);
	free_secret(au->metadata_url);
	free(au->az_client_id);
	free_secret(au->az_client_secret);
	free(au->az_tenant_id);
	free(au->az_resource_id);
	free(au->az_app_id);
	free(au->az_login);
	free(au->az_manager);
	free(au->az_management);
	free(au->az_msi);
	free_secret(au->google_credentials);
	free(au->google_sa);
	free(au->google_adc);
	free(au->google_metadata);
	free(au->google_iam);
	free(au->actions_url);
	free_secret(au->actions_token);
	free(au->oidc_env);
	free(au->oidc_file);
	free(au->audience);
	free(au->account_id);
	free(au->token_endpoint);
	free_secret(au->header);
	free(au);
}

static int auth_fail(struct tfp_call *call, const struct tfp_auth *au,
		     const char *why)
{
	tfp_log(TFP_LOG_WARN, AUTH_LOG, "%s authentication failed",
		tfp_auth_method_name(au->method));
	return tfp_diag_error(call->diags, AUTH_SUMMARY,
			      "Authentication with %s failed: %s",
			      tfp_auth_method_name(au->method), why);
}

/* An OAuth / metadata error answer as "HTTP 401: invalid_client: text". */
static const char *oauth_error(struct tfp_arena *a, long status,
			       const char *body)
{
	cJSON *tree = cJSON_Parse(body ? body : "");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(tree, "error");
	const cJSON *d =
		cJSON_GetObjectItemCaseSensitive(tree, "error_description");
	const cJSON *code =
		cJSON_GetObjectItemCaseSensitive(tree, "error_code");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(tree, "message");
	const char *out;

	if (cJSON_IsString(e))
		out = tfp_arena_printf(a, "HTTP %ld: %s%s%s", status,
				       e->valuestring,
				       cJSON_IsString(d) ? ": " : "",
				       cJSON_IsString(d) ? d->valuestring : "");
	else if (cJSON_IsString(code))
		out = tfp_arena_printf(
			a, "HTTP %ld: %s%s%s", status, code->valuestring,
			cJSON_IsString(msg) ? ": " : "",
			cJSON_IsString(msg) ? msg->valuestring : "");
	else if (cJSON_IsString(msg))
		/* GitHub's {"message"}. */
		out = tfp_arena_printf(a, "HTTP %ld: %.300s", status,
				       msg->valuestring);
	else
		out = tfp_arena_printf(a, "HTTP %ld", status);
	cJSON_Delete(tree);
	return out;
}

/* A token goes into a header line: printable ASCII and no spaces only, so
 * an answer cannot add a header or end the request. */
static bool token_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f)
			return false;
	return true;
}

/* The token in a JSON answer: *header malloc'd, *expiry epoch seconds. */
int tfp_auth__token_from_json(char **header, time_t *expiry, const char **why,
			   struct tfp_arena *a, const char *body,
			   const char *expiry_key)
{
	cJSON *tree = cJSON_Parse(body ? body : "");
	const cJSON *tok =
		cJSON_GetObjectItemCaseSensitive(tree, "access_token");
	const cJSON *typ = cJSON_GetObjectItemCaseSensitive(tree, "token_type");
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(tree, expiry_key);
	time_t now = time(NULL);
	const char *type;
	size_t n;
	double e = 0;

	*header = NULL;
	if (!cJSON_IsString(tok) || tok->valuestring[0] == '\0') {
		cJSON_Delete(tree);
		*why = "the answer has no access_token";
		return TFP_ERROR;
	}
	if (!token_printable(tok->valuestring)) {
		explicit_bzero(tok->valuestring,
			       strlen(tok->valuestring));
		cJSON_Delete(tree);
		*why = "the access_token has control characters";
		return TFP_ERROR;
	}
	type = cJSON_IsString(typ) && typ->valuestring[0] != '\0' &&
			       strspn(typ->valuestring,
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				      "op"
				      "qrstuvwxyz") == strlen(typ->valuestring)
		       ? typ->valuestring
		       : "Bearer";
	if (strcasecmp(type, "bearer") == 0)
		type = "Bearer";
	n = strlen("Authorization: ") + strlen(type) + 1 +
	    strlen(tok->valuestring) + 1;
	*header = tfp_xmalloc(n);
	snprintf(*header, n, "Authorization: %s %s", type, tok->valuestring);
	explicit_bzero(tok->valuestring, strlen(tok->valuestring));
	if (cJSON_IsNumber(exp))
		e = exp->valuedouble;
	else if (cJSON_IsString(exp))
		e = strtod(exp->valuestring, NULL);
	/* The number is the other side's: NaN, infinity or anything beyond
	 * 1e11 (a lifetime of three thousand years, an epoch in the year
	 * 5138: 6e69 from a hostile endpoint) falls back to the default, so
	 * neither the cast nor now + e can overflow. */
	if (!(e > 0) || e > 1e11)
		e = 0;
	if (strcmp(expiry_key, "expires_in") == 0)
		*expiry = now + (e > 0 ? (time_t)e : 3600);
	else
		*expiry = e > 0 ? (time_t)e : now + 300;
	cJSON_Delete(tree);
	(void)a;
	return TFP_OK;
}

static const char *azure_error(struct tfp_arena *a, long status,
			       const char *body);

/* A token request and how its failures read in the diagnostic. */
struct token_req {
	const char *url;
	const char *const *hdrs;
	const char *form;	/* the POST's body (wiped by the caller); NULL: GET */
	const char *what;	/* the request in messages: "POST <url>", or a
				 * name when the URL may carry a key */
	const char *returned;	/* for "... returned HTTP n" (NULL: what) */
	const char *expiry_key; /* expires_in, or Entra's expires_on */
	bool azure;		/* error answers in Entra's shape */
	bool quiet;		/* no transport detail (it may quote the URL) */
};

/*
 * Every token endpoint the same way: fetch, a non-200 answer's error in
 * its own words, then the token and its expiry from the JSON; the answer
 * is wiped before it goes back to the arena.
 */
static int token_call(char **header, time_t *expiry, struct tfp_auth *au,
		      struct tfp_call *call, const struct token_req *r)
{
	struct tfp_arena *a = call->arena;
	const char *err, *why;
	char *body;
	size_t len;
	long status;
	int error;

	if (tfp_rest_fetch(&status, &body, &len, &err, a, r->url, r->hdrs,
			   r->form, au->timeout_seconds, au->skip_verify) < 0)
		return auth_fail(call, au,
				 r->quiet ? tfp_arena_printf(a,
							     "%s did not "
							     "answer",
							     r->what)
					  : tfp_arena_printf(a, "%s: %s",
							     r->what, err));
	if (status != 200)
		error = auth_fail(
			call, au,
			tfp_arena_printf(a, "%s returned %s",
					 r->returned ? r->returned : r->what,
					 r->azure ? azure_error(a, status, body)
						  : oauth_error(a, status,
								body)));
	else if (tfp_auth__token_from_json(header, expiry, &why, a, body,
					   r->expiry_key) < 0)
		error = auth_fail(call, au,
				  tfp_arena_printf(a, "%s: %s", r->what, why));
	else
		error = TFP_OK;
	explicit_bzero(body, len);
	return error;
}

/* The token endpoint of au: the account's (set by tfp_auth_new), else
 * the workspace's, discovered once (by the refreshing thread only). */
static int token_endpoint(struct tfp_auth *au, struct tfp_call *call)
{
	struct tfp_arena *a = call->arena;
	const char *err;
	char *body;
	size_t len;
	long status;

	if (au->token_endpoint == NULL && au->account_level)
		return auth_fail(call, au,
				 "the account console's token endpoint is "
				 "per account: set account_id (or "
				 "DATABRICKS_ACCOUNT_ID)");
	if (au->token_endpoint == NULL) {
		const char *url = tfp_arena_printf(
			a, "%s/oidc/.well-known/oauth-authorization-server",
			au->host);
		cJSON *tree;
		const cJSON *te;

		if (tfp_rest_fetch(&status, &body, &len, &err, a, url, NULL,
				   NULL, au->timeout_seconds,
				   au->skip_verify) < 0)
			return auth_fail(call, au,
					 tfp_arena_printf(a,
							  "OAuth discovery "
							  "(GET %s): %s",
							  url, err));
		if (status != 200)
			return auth_fail(
				call, au,
				tfp_arena_printf(a,
						 "OAuth discovery (GET %s) "
						 "returned %s",
						 url,
						 oauth_error(a, status, body)));
		tree = cJSON_Parse(body);
		te = cJSON_GetObjectItemCaseSensitive(tree, "token_endpoint");
		if (cJSON_IsString(te) && te->valuestring[0] != '\0')
			au->token_endpoint = tfp_xstrdup(te->valuestring);
		cJSON_Delete(tree);
		if (au->token_endpoint == NULL)
			return auth_fail(call, au,
					 tfp_arena_printf(a,
							  "OAuth discovery "
							  "(GET %s) gave no "
							  "token_endpoint",
							  url));
		tfp_log(TFP_LOG_DEBUG, AUTH_LOG, "OAuth token endpoint: %s",
			au->token_endpoint);
	}
	return TFP_OK;
}

static int fetch_oauth(struct tfp_auth *au, struct tfp_call *call,
		       char **header, time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	const char *hdrs[2] = {NULL, NULL};
	char *id, *secret, *line;
	int error;

	if (token_endpoint(au, call) < 0)
		return TFP_ERROR;
	/* RFC 6749 2.3.1: id and secret are form-encoded before they go
	 * into Basic auth. Encoded outside the arena, so that free_secret
	 * can wipe the secret. */
	id = tfp_xmalloc(3 * strlen(au->client_id) + 1);
	secret = tfp_xmalloc(3 * strlen(au->client_secret) + 1);
	tfp_rest_escape_to(id, au->client_id);
	tfp_rest_escape_to(secret, au->client_secret);
	line = basic_header_line(id, secret);
	free(id);
	free_secret(secret);
	hdrs[0] = line;
	error = token_call(
		header, expiry, au, call,
		&(struct token_req){
			.url = au->token_endpoint,
			.hdrs = hdrs,
			.form = "grant_type=client_credentials&scope=all-apis",
			.what = tfp_arena_printf(a, "POST %s",
						 au->token_endpoint),
			.expiry_key = "expires_in"});
	free_secret(line);
	return error;
}

static int fetch_metadata(struct tfp_auth *au, struct tfp_call *call,
			  char **header, time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	const char *hdrs[3];

	hdrs[0] = "X-Databricks-Metadata-Version: 1";
	hdrs[1] = tfp_arena_printf(a, "X-Databricks-Host: %s", au->host);
	hdrs[2] = NULL;
	/* The URL is sensitive (it may carry a key): never quoted. */
	return token_call(header, expiry, au, call,
			  &(struct token_req){
				  .url = au->metadata_url,
				  .hdrs = hdrs,
				  .what = "the metadata service",
				  .expiry_key = "expires_on",
				  .quiet = true});
}

/* n decimal digits at s as *out; false unless all n are digits. */
static bool fixed_digits(int *out, const char *s, size_t n)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

/*
 * "2024-01-02T03:04:05.678+01:00" (or Z, or no zone) as epoch seconds; -1
 * if not. Every field has its fixed width and every separator is checked
 * before anything past it is read: the text comes from another program
 * (`databricks auth token`) and may end anywhere.
 */
time_t tfp_auth__parse_rfc3339(const char *s)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, sec, off = 0, oh, om;
	const char *p;
	time_t t;

	if (s == NULL || strnlen(s, 19) < 19 || !fixed_digits(&y, s, 4) ||
	    s[4] != '-' || !fixed_digits(&mo, s + 5, 2) || s[7] != '-' ||
	    !fixed_digits(&d, s + 8, 2) || (s[10] != 'T' && s[10] != 't') ||
	    !fixed_digits(&h, s + 11, 2) || s[13] != ':' ||
	    !fixed_digits(&mi, s + 14, 2) || s[16] != ':' ||
	    !fixed_digits(&sec, s + 17, 2))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == '+' || *p == '-') {
		if (strnlen(p, 6) < 6 || !fixed_digits(&oh, p + 1, 2) ||
		    p[3] != ':' || !fixed_digits(&om, p + 4, 2) || p[6] != '\0' ||
		    oh > 23 || om > 59)
			return -1;
		off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
	} else if (!((*p == 'Z' || *p == 'z') && p[1] == '\0') && *p != '\0') {
		return -1;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	return t == (time_t)-1 ? -1 : t - off;
}

/*
 * Runs argv[0] (looked up on PATH) with stdin from /dev/null, capturing
 * stdout and stderr together (at most AUTH_CLI_MAX bytes) into *out
 * (malloc'd, NUL-terminated: it may hold a token, free with free_secret).
 * Returns the wait status, or -1 when no process could be started.
 */
static int run_capture(char *const argv[], char **out, size_t *len)
{
	size_t cap = 0;
	int fds[2], status = 0, devnull;
	ssize_t got;
	pid_t pid;

	*out = NULL;
	*len = 0;
	if (pipe(fds) < 0)
		return -1;
	/* Other threads' children must not inherit the pipe. */
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		if (*len + 4096 + 1 > cap) {
			if (cap >= AUTH_CLI_MAX)
				break;
			cap = cap ? cap * 2 : 8192;
			*out = tfp_xrealloc(*out, cap);
		}
		got = read(fds[0], *out + *len, cap - *len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		*len += (size_t)got;
	}
	close(fds[0]);
	if (*out == NULL)
		*out = tfp_xcalloc(1, 1);
	(*out)[*len] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static int fetch_cli(struct tfp_auth *au, struct tfp_call *call, char **header,
		     time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	const char *path = au->cli_path ? au->cli_path : "databricks";
	char *argv[6], *out = NULL, *why_s;
	const char *why;
	size_t len = 0;
	int status, error;
	cJSON *tree;
	const cJSON *exp;

	argv[0] = (char *)path;
	argv[1] = (char *)"auth";
	argv[2] = (char *)"token";
	argv[3] = (char *)"--host";
	argv[4] = au->host;
	argv[5] = NULL;
	status = run_capture(argv, &out, &len);
	if (status < 0)
		return auth_fail(call, au, "cannot start a process");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* Output of a failed run holds no token: quote some. */
		why_s = tfp_arena_printf(
			a, "%s auth token --host %s %s%s%.300s", path, au->host,
			WIFEXITED(status) && WEXITSTATUS(status) == 127
				? "could not be run (is the Databricks CLI "
				  "installed? set databricks_cli_path)"
				: tfp_arena_printf(a, "exited with status %d",
						   WIFEXITED(status)
							   ? WEXITSTATUS(status)
							   : -1),
			len > 0 ? ": " : "", out);
		free_secret(out);
		return auth_fail(call, au, why_s);
	}
	error = tfp_auth__token_from_json(header, expiry, &why, a, out, "expires_in");
	if (error == TFP_OK) {
		tree = cJSON_Parse(out);
		exp = cJSON_GetObjectItemCaseSensitive(tree, "expiry");
		if (cJSON_IsString(exp) && tfp_auth__parse_rfc3339(exp->valuestring) > 0)
			*expiry = tfp_auth__parse_rfc3339(exp->valuestring);
		else
			*expiry = time(NULL) + 300;
		if (tree != NULL) {
			const cJSON *t = cJSON_GetObjectItemCaseSensitive(
				tree, "access_token");

			if (cJSON_IsString(t))
				explicit_bzero(t->valuestring,
					       strlen(t->valuestring));
		}
		cJSON_Delete(tree);
	} else {
		error = auth_fail(
			call, au,
			tfp_arena_printf(a, "%s auth token: %s", path, why));
	}
	free_secret(out);
	return error;
}

/* --- Azure -----------------------------------------------------------------
 */

int tfp_auth_parse_token_json(char **header, time_t *expiry, const char **why,
			      const char *body, const char *expiry_key)
{
	return tfp_auth__token_from_json(header, expiry, why, NULL, body, expiry_key);
}

/* Wipes the string values of a parsed answer (tokens) before it is freed. */
static void wipe_json(cJSON *tree)
{
	cJSON *it;

	cJSON_ArrayForEach(it, tree)
	{
		if (cJSON_IsString(it))
			explicit_bzero(it->valuestring,
				       strlen(it->valuestring));
	}
	cJSON_Delete(tree);
}

int tfp_auth_parse_az_token(char **header, time_t *expiry, const char **why,
			    const char *json)
{
	cJSON *tree = cJSON_Parse(json ? json : "");
	const cJSON *tok =
		cJSON_GetObjectItemCaseSensitive(tree, "accessToken");
	const cJSON *typ = cJSON_GetObjectItemCaseSensitive(tree, "tokenType");
	const cJSON *on = cJSON_GetObjectItemCaseSensitive(tree, "expires_on");
	const cJSON *on_text =
		cJSON_GetObjectItemCaseSensitive(tree, "expiresOn");
	const char *type = "Bearer";
	double e = 0;
	size_t n;

	*header = NULL;
	*expiry = 0;
	if (!cJSON_IsObject(tree)) {
		cJSON_Delete(tree);
		*why = "the output is not a JSON object";
		return TFP_ERROR;
	}
	if (!cJSON_IsString(tok) || tok->valuestring[0] == '\0') {
		wipe_json(tree);
		*why = "the output has no accessToken";
		return TFP_ERROR;
	}
	if (!token_printable(tok->valuestring)) {
		wipe_json(tree);
		*why = "the accessToken has control characters";
		return TFP_ERROR;
	}
	if (cJSON_IsString(typ) && typ->valuestring[0] != '\0' &&
	    strlen(typ->valuestring) < 32 &&
	    strspn(typ->valuestring,
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
		   "opqrstuvwxyz") == strlen(typ->valuestring) &&
	    strcasecmp(typ->valuestring, "bearer") != 0)
		type = typ->valuestring;
	/* expires_on: epoch seconds (newer az); expiresOn: local time. */
	if (cJSON_IsNumber(on))
		e = on->valuedouble;
	else if (cJSON_IsString(on))
		e = strtod(on->valuestring, NULL);
	if (e > 0 && e < 1e11) {
		*expiry = (time_t)e;
	} else if (cJSON_IsString(on_text)) {
		struct tm tm = {0};
		int y, mo, d, h, mi, sec;

		if (sscanf(on_text->valuestring, "%4d-%2d-%2d %2d:%2d:%2d", &y,
			   &mo, &d, &h, &mi, &sec) == 6 &&
		    y >= 1970 && y < 3000 && mo >= 1 && mo <= 12 && d >= 1 &&
		    d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60 &&
		    sec >= 0 && sec <= 60) {
			tm.tm_year = y - 1900;
			tm.tm_mon = mo - 1;
			tm.tm_mday = d;
			tm.tm_hour = h;
			tm.tm_min = mi;
			tm.tm_sec = sec;
			tm.tm_isdst = -1;
			*expiry = mktime(&tm);
		}
	}
	if (*expiry <= 0) {
		wipe_json(tree);
		*why = "the output has neither expires_on nor a valid "
		       "expiresOn";
		return TFP_ERROR;
	}
	n = strlen("Authorization: ") + strlen(type) + 1 +
	    strlen(tok->valuestring) + 1;
	*header = tfp_xmalloc(n);
	snprintf(*header, n, "Authorization: %s %s", type, tok->valuestring);
	wipe_json(tree);
	return TFP_OK;
}

const char *tfp_auth_parse_workspace_url(const char **why, struct tfp_arena *a,
					 const char *body,
					 const char *management_endpoint)
{
	cJSON *tree = cJSON_Parse(body ? body : "");
	const cJSON *props =
		cJSON_GetObjectItemCaseSensitive(tree, "properties");
	const cJSON *url =
		cJSON_GetObjectItemCaseSensitive(props, "workspaceUrl");
	const char *scheme =
		management_endpoint != NULL && strncasecmp(management_endpoint,
							   "http://", 7) == 0
			? "http"
			: "https";
	const char *out = NULL, *u;
	size_t n;

	if (!cJSON_IsString(url) || url->valuestring[0] == '\0') {
		*why = "the answer has no properties.workspaceUrl";
		goto done;
	}
	u = url->valuestring;
	n = strlen(u);
	/* A host name and maybe a port: nothing that could change where
	 * the provider's requests (and their tokens) go. */
	if (n > 253 + 6 ||
	    strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789.-:") != n ||
	    u[0] == '.' || u[0] == '-' || u[0] == ':') {
		*why = "properties.workspaceUrl is not a host name";
		goto done;
	}
	out = tfp_arena_printf(a, "%s://%s", scheme, u);
done:
	cJSON_Delete(tree);
	return out;
}

/* A form value, escaped into a malloc'd buffer (may be a secret). */
static char *form_escape(const char *v)
{
	char *out = tfp_xmalloc(3 * strlen(v) + 1);

	tfp_rest_escape_to(out, v);
	return out;
}

/* Why an Entra ID or IMDS answer was refused: its error, and for Entra
 * the AADSTS text up to its trace ids (as the Go SDK shortens it). */
static const char *azure_error(struct tfp_arena *a, long status,
			       const char *body)
{
	cJSON *tree = cJSON_Parse(body ? body : "");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(tree, "error");
	const cJSON *d =
		cJSON_GetObjectItemCaseSensitive(tree, "error_description");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");
	const char *out;

	if (cJSON_IsString(e) && cJSON_IsString(d)) {
		const char *t = strstr(d->valuestring, " Trace ID");
		int n = t ? (int)(t - d->valuestring)
			  : (int)strlen(d->valuestring);

		out = tfp_arena_printf(a, "HTTP %ld: %s: %.*s", status,
				       e->valuestring, n > 600 ? 600 : n,
				       d->valuestring);
	} else if (cJSON_IsString(m)) {
		/* Resource Manager: {"error": {"code", "message"}}. */
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");

		out = tfp_arena_printf(a, "HTTP %ld: %s: %.600s", status,
				       cJSON_IsString(c) ? c->valuestring
							 : "error",
				       m->valuestring);
	} else {
		out = oauth_error(a, status, body);
	}
	cJSON_Delete(tree);
	return out;
}

/*
 * Without azure_tenant_id, the workspace's tenant, as the Go SDK's
 * loadAzureTenantId: GET {host}/aad/auth (Azure Databricks' sign-in
 * page), not followed; Entra ID's URL it redirects to has the tenant as
 * its first path segment. Learnt once into au (the refreshing thread or
 * configure is the only writer). Nothing to do without a host (the
 * Resource Manager path resolves it later, with a tenant given). NULL,
 * or why the tenant is unknown.
 */
static const char *azure_tenant(struct tfp_auth *au, struct tfp_call *call)
{
	struct tfp_arena *a = call->arena;
	const char *url, *location = NULL, *err, *why, *tenant;
	long status;

	if (au->az_tenant_id != NULL || au->host[0] == '\0')
		return NULL;
	url = tfp_arena_printf(a, "%s/aad/auth", au->host);
	if (tfp_rest_fetch_redirect(&status, &location, &err, a, url,
				    au->timeout_seconds, au->skip_verify) < 0)
		return tfp_arena_printf(a,
					"azure_tenant_id is not set and "
					"learning it from the workspace (GET "
					"%s) failed: %s",
					url, err);
	tenant = tfp_auth_tenant_from_location(&why, a, location);
	if (tenant == NULL)
		return tfp_arena_printf(a,
					"azure_tenant_id is not set and the "
					"workspace did not tell it (GET %s "
					"returned HTTP %ld: %s); set "
					"azure_tenant_id (or ARM_TENANT_ID)",
					url, status, why);
	au->az_tenant_id = tfp_xstrdup(tenant);
	tfp_log(TFP_LOG_DEBUG, AUTH_LOG, "Azure tenant of %s: %s", au->host,
		tenant);
	return NULL;
}

/* A POST of form (wiped and freed here) to an Entra ID token endpoint. */
static int entra_token(char **header, time_t *expiry, struct tfp_auth *au,
		       struct tfp_call *call, const char *url, char *form,
		       const char *expiry_key)
{
	const char *hdrs[1] = {NULL};
	int error = token_call(
		header, expiry, au, call,
		&(struct token_req){
			.url = url,
			.hdrs = hdrs,
			.form = form,
			.what = tfp_arena_printf(call->arena, "POST %s", url),
			.expiry_key = expiry_key,
			.azure = true});

	free_secret(form);
	return error;
}

/* azure-client-secret: the client credentials grant at Entra ID's v1
 * endpoint {login}{tenant}/oauth2/token for resource, as the Go SDK asks
 * (golang.org/x/oauth2 clientcredentials with a resource parameter). */
static int fetch_azure_secret(struct tfp_auth *au, struct tfp_call *call,
			      const char *resource, char **header,
			      time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	const char *why, *url;
	char *id, *secret, *res, *tenant, *form;
	size_t n;

	why = azure_tenant(au, call);
	if (why != NULL)
		return auth_fail(call, au, why);
	tenant = form_escape(au->az_tenant_id ? au->az_tenant_id : "");
	url = tfp_arena_printf(a, "%s%s/oauth2/token", au->az_login, tenant);
	free(tenant);
	id = form_escape(au->az_client_id ? au->az_client_id : "");
	secret = form_escape(au->az_client_secret ? au->az_client_secret : "");
	res = form_escape(resource);
	n = strlen(id) + strlen(secret) + strlen(res) + 96;
	form = tfp_xmalloc(n);
	snprintf(form, n,
		 "grant_type=client_credentials&client_id=%s&client_secret=%s"
		 "&resource=%s",
		 id, secret, res);
	free(id);
	free_secret(secret);
	free(res);
	return entra_token(header, expiry, au, call, url, form, "expires_in");
}

/* azure-msi: GET the instance metadata service's token URL with
 * "Metadata: true" (api-version 2018-02-01, as the Go SDK). */
static int fetch_azure_msi(struct tfp_auth *au, struct tfp_call *call,
			   const char *resource, char **header, time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	const char *hdrs[2] = {"Metadata: true", NULL}, *url;
	char *res = form_escape(resource), *id = NULL;

	if (au->az_client_id != NULL)
		id = form_escape(au->az_client_id);
	url = tfp_arena_printf(a, "%s%sapi-version=2018-02-01&resource=%s%s%s",
			       au->az_msi,
			       strchr(au->az_msi, '?') != NULL ? "&" : "?", res,
			       id ? "&client_id=" : "", id ? id : "");
	free(res);
	free(id);
	return token_call(
		header, expiry, au, call,
		&(struct token_req){
			.url = url,
			.hdrs = hdrs,
			.what = tfp_arena_printf(a,
						 "the instance metadata service "
						 "(%s)",
						 au->az_msi),
			.expiry_key = "expires_on",
			.azure = true});
}

/* azure-cli: az account get-access-token --resource R --output json
 * [--tenant T], the Go SDK's command. */
static int fetch_azure_cli(struct tfp_auth *au, struct tfp_call *call,
			   const char *resource, char **header, time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	char *argv[10], *out = NULL;
	const char *why;
	size_t len = 0, i = 0;
	int status, error;

	/* az has a default tenant of its own: a workspace that does not
	 * tell its tenant is no reason to fail here. */
	if (azure_tenant(au, call) != NULL)
		tfp_log(TFP_LOG_DEBUG, AUTH_LOG,
			"the workspace did not tell its Azure tenant; az uses "
			"its default");
	argv[i++] = (char *)"az";
	argv[i++] = (char *)"account";
	argv[i++] = (char *)"get-access-token";
	argv[i++] = (char *)"--resource";
	argv[i++] = (char *)resource;
	argv[i++] = (char *)"--output";
	argv[i++] = (char *)"json";
	if (au->az_tenant_id != NULL) {
		argv[i++] = (char *)"--tenant";
		argv[i++] = au->az_tenant_id;
	}
	argv[i] = NULL;
	status = run_capture(argv, &out, &len);
	if (status < 0)
		return auth_fail(call, au, "cannot start a process");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		free_secret(out);
		return auth_fail(call, au,
				 "the Azure CLI (az) could not be run: is it "
				 "installed and on PATH? Sign in with az "
				 "login, or choose another auth_type");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* A failed run prints an error, not a token: quote some. */
		const char *msg = tfp_arena_printf(
			a,
			"az account get-access-token exited with status "
			"%d%s%.300s",
			WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			len > 0 ? ": " : "", out);

		free_secret(out);
		return auth_fail(call, au, msg);
	}
	error = tfp_auth_parse_az_token(header, expiry, &why, out);
	free_secret(out);
	if (error < 0)
		return auth_fail(
			call, au,
			tfp_arena_printf(a,
					 "az account get-access-token: "
					 "%s",
					 why));
	return TFP_OK;
}

/* A token of the Azure method for resource (an application id or the
 * management endpoint). */
static int fetch_azure(struct tfp_auth *au, struct tfp_call *call,
		       const char *resource, char **header, time_t *expiry)
{
	switch (au->method) {
	case TFP_AUTH_AZURE_CLIENT_SECRET:
		return fetch_azure_secret(au, call, resource, header, expiry);
	case TFP_AUTH_AZURE_MSI:
		return fetch_azure_msi(au, call, resource, header, expiry);
	case TFP_AUTH_AZURE_CLI:
		return fetch_azure_cli(au, call, resource, header, expiry);
	default:
		break;
	}
	return auth_fail(call, au, "the method has no Azure token source");
}

/*
 * The Azure header lines: Authorization with a token for the Databricks
 * application, the management token (the Go SDK's serviceToServiceVisitor:
 * required for azure-client-secret and azure-msi, left out for azure-cli
 * when az cannot give one) and the resource id (its azureVisitor). The
 * expiry is the earlier of the two tokens'.
 */
static int fetch_azure_headers(struct tfp_auth *au, struct tfp_call *call,
			       char **header, time_t *expiry)
{
	struct tfp_diags quiet, *saved = call->diags;
	char *mgmt = NULL, *out;
	const char *tok;
	time_t mexp = 0;
	size_t n;
	int error;

	if (fetch_azure(au, call, au->az_app_id, header, expiry) < 0)
		return TFP_ERROR;
	if (au->method == TFP_AUTH_AZURE_CLI) {
		tfp_diags_init(&quiet, call->arena);
		call->diags = &quiet;
	}
	error = fetch_azure(au, call, au->az_management, &mgmt, &mexp);
	call->diags = saved;
	if (error < 0 && au->method != TFP_AUTH_AZURE_CLI) {
		free_secret(*header);
		*header = NULL;
		return TFP_ERROR;
	}
	/* "Authorization: <type> <token>": the token after the type. */
	tok = mgmt != NULL ? strchr(mgmt + strlen("Authorization: "), ' ')
			   : NULL;
	if (error < 0 || tok == NULL) {
		tfp_log(TFP_LOG_DEBUG, AUTH_LOG,
			"no management token from az: the "
			"X-Databricks-Azure-SP-Management-Token header is left "
			"out");
		tok = NULL;
	} else if (mexp < *expiry) {
		*expiry = mexp;
	}
	n = strlen(*header) + (tok ? strlen(tok) : 0) +
	    (au->az_resource_id ? strlen(au->az_resource_id) : 0) + 128;
	out = tfp_xmalloc(n);
	snprintf(out, n, "%s%s%s%s%s", *header,
		 tok ? "\nX-Databricks-Azure-SP-Management-Token: " : "",
		 tok ? tok + 1 : "",
		 au->az_resource_id
			 ? "\nX-Databricks-Azure-Workspace-Resource-Id: "
			 : "",
		 au->az_resource_id ? au->az_resource_id : "");
	free_secret(*header);
	free_secret(mgmt);
	*header = out;
	return TFP_OK;
}

/* --- Google Cloud ------------------------------------------------------------
 */

#define GOOGLE_SCOPE_PLATFORM "https://www.googleapis.com/auth/cloud-platform"
#define GOOGLE_TOKEN_ENDPOINT "https://oauth2.googleapis.com/token"

/* google_credentials: a key file's path (read, at most 1 MiB) or the JSON
 * itself, as the Go SDK's readCredentials. malloc'd, a secret. */
static char *google_key_text(const char *v)
{
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;

	if (v[0] == '{' || stat(v, &st) != 0 || !S_ISREG(st.st_mode))
		return tfp_xstrdup(v);
	f = fopen(v, "r");
	if (f == NULL)
		return tfp_xstrdup(v);
	buf = tfp_xmalloc((1u << 20) + 1);
	n = fread(buf, 1, 1u << 20, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/*
 * One JWT bearer grant at the key's token_uri with these extra claims
 * ("target_audience" or "scope"): the answer's token under key (id_token
 * or access_token), malloc'd, and its expiry.
 */
static int google_grant(char **token, time_t *expiry, const char **why,
			struct tfp_auth *au, struct tfp_call *call,
			const struct tfp_google_key *k, const char *claim,
			const char *value, const char *key)
{
	struct tfp_arena *a = call->arena;
	const char *hdrs[1] = {NULL}, *err;
	time_t now = time(NULL);
	cJSON *claims = cJSON_CreateObject(), *tree;
	const cJSON *tok, *exp;
	char *text, *jwt, *form, *body;
	size_t n, len;
	long status;
	int error = TFP_ERROR;

	*token = NULL;
	cJSON_AddStringToObject(claims, "iss", k->client_email);
	cJSON_AddStringToObject(claims, "sub", k->client_email);
	cJSON_AddStringToObject(claims, "aud", k->token_uri);
	cJSON_AddNumberToObject(claims, "iat", (double)now);
	cJSON_AddNumberToObject(claims, "exp", (double)(now + 3600));
	cJSON_AddStringToObject(claims, claim, value);
	text = cJSON_PrintUnformatted(claims);
	cJSON_Delete(claims);
	jwt = tfp_auth_jwt_rs256(why, k->private_key, k->key_id, text);
	cJSON_free(text);
	if (jwt == NULL)
		return TFP_ERROR;
	n = strlen(jwt) + 96;
	form = tfp_xmalloc(n);
	snprintf(form, n,
		 "grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3Agrant-type%%3A"
		 "jwt-bearer&assertion=%s",
		 jwt);
	free_secret(jwt);
	error = tfp_rest_fetch(&status, &body, &len, &err, a, k->token_uri,
			       hdrs, form, au->timeout_seconds,
			       au->skip_verify);
	free_secret(form);
	if (error < 0) {
		*why = tfp_arena_printf(a, "POST %s: %s", k->token_uri, err);
		return TFP_ERROR;
	}
	if (status != 200) {
		*why = tfp_arena_printf(a, "POST %s returned %s", k->token_uri,
					oauth_error(a, status, body));
		explicit_bzero(body, len);
		return TFP_ERROR;
	}
	tree = cJSON_Parse(body);
	explicit_bzero(body, len);
	tok = cJSON_GetObjectItemCaseSensitive(tree, key);
	exp = cJSON_GetObjectItemCaseSensitive(tree, "expires_in");
	error = TFP_ERROR;
	if (!cJSON_IsString(tok) || tok->valuestring[0] == '\0') {
		*why = tfp_arena_printf(a, "POST %s: the answer has no %s",
					k->token_uri, key);
		goto done;
	}
	if (!token_printable(tok->valuestring)) {
		*why = tfp_arena_printf(a,
					"POST %s: the %s has control "
					"characters",
					k->token_uri, key);
		goto done;
	}
	*token = tfp_xstrdup(tok->valuestring);
	/* An ID token says when it expires in its exp claim; an access
	 * token in expires_in. */
	if (tfp_auth_jwt_exp(*token) > 0)
		*expiry = (time_t)tfp_auth_jwt_exp(*token);
	else if (cJSON_IsNumber(exp) && exp->valuedouble > 0 &&
		 exp->valuedouble < 1e9)
		*expiry = now + (time_t)exp->valuedouble;
	else
		*expiry = now + 300;
	error = TFP_OK;
done:
	wipe_json(tree);
	return error;
}

/* "Authorization: Bearer <id>", with the access token in
 * X-Databricks-GCP-SA-Access-Token when there is one; the header expires
 * with the first of the two. Frees both tokens. */
static void google_header(char **header, time_t *expiry, char *id,
			  char *access, time_t aexp)
{
	size_t n = strlen(id) + (access ? strlen(access) : 0) + 96;

	*header = tfp_xmalloc(n);
	snprintf(*header, n, "Authorization: Bearer %s%s%s", id,
		 access ? "\nX-Databricks-GCP-SA-Access-Token: " : "",
		 access ? access : "");
	if (access != NULL && aexp < *expiry)
		*expiry = aexp;
	free_secret(id);
	free_secret(access);
}

/*
 * google-credentials, as the Go SDK: an ID token for the workspace URL as
 * the bearer token, and an access token (cloud-platform and compute
 * scopes) in X-Databricks-GCP-SA-Access-Token, left out when Google does
 * not give one (the SDK's optional secondary header).
 */
static int fetch_google(struct tfp_auth *au, struct tfp_call *call,
			char **header, time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	struct tfp_google_key k;
	char *text, *id = NULL, *access = NULL;
	const char *why = NULL;
	time_t aexp = 0;
	int error;

	if (au->google_credentials == NULL)
		return auth_fail(call, au, "google_credentials is not set");
	text = google_key_text(au->google_credentials);
	error = tfp_auth_google_key_parse(&k, &why, a, text);
	free_secret(text);
	if (error < 0)
		return auth_fail(call, au, why);
	error = google_grant(&id, expiry, &why, au, call, &k, "target_audience",
			     au->host, "id_token");
	if (error == TFP_OK &&
	    google_grant(&access, &aexp, &why, au, call, &k, "scope",
			 GOOGLE_SCOPE_PLATFORM
			 " https://www.googleapis.com/auth/compute",
			 "access_token") < 0)
		tfp_log(TFP_LOG_DEBUG, AUTH_LOG,
			"no Google access token: the "
			"X-Databricks-GCP-SA-Access-Token header is left out");
	explicit_bzero((char *)k.private_key, strlen(k.private_key));
	if (error < 0)
		return auth_fail(call, au, why);
	google_header(header, expiry, id, access, aexp);
	return TFP_OK;
}

/* --- google-id --------------------------------------------------------- */

/* A Google API's error answer ({"error": {"code", "message", "status"}})
 * as "HTTP 403: PERMISSION_DENIED: text"; OAuth answers as oauth_error. */
static const char *google_api_error(struct tfp_arena *a, long status,
				    const char *body)
{
	cJSON *tree = cJSON_Parse(body ? body : "");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(tree, "error");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
	const char *out;

	if (cJSON_IsString(m))
		out = tfp_arena_printf(a, "HTTP %ld: %s: %.600s", status,
				       cJSON_IsString(st) ? st->valuestring
							  : "error",
				       m->valuestring);
	else
		out = oauth_error(a, status, body);
	cJSON_Delete(tree);
	return out;
}

/*
 * One request for a Google token (GET when body is NULL): the answer's
 * string under key, malloc'd (a secret), and its expiry from exp_key
 * ("expires_in" seconds, or an RFC 3339 "expireTime"), else the token's
 * own exp claim, else five minutes. what names the service in *why.
 */
static int google_token_call(char **token, time_t *expiry, const char **why,
			     struct tfp_auth *au, struct tfp_call *call,
			     const char *what, const char *url,
			     const char *const *hdrs, const char *body,
			     const char *key, const char *exp_key)
{
	struct tfp_arena *a = call->arena;
	const char *err;
	const cJSON *tok, *exp;
	time_t now = time(NULL), t;
	char *answer;
	cJSON *tree;
	size_t len;
	long status;

	*token = NULL;
	if (tfp_rest_fetch(&status, &answer, &len, &err, a, url, hdrs, body,
			   au->timeout_seconds, au->skip_verify) < 0) {
		*why = tfp_arena_printf(a, "%s (%s) did not answer: %s", what,
					url, err);
		return TFP_ERROR;
	}
	if (status != 200) {
		*why = tfp_arena_printf(a, "%s (%s) returned %s", what, url,
					google_api_error(a, status, answer));
		explicit_bzero(answer, len);
		return TFP_ERROR;
	}
	tree = cJSON_Parse(answer);
	explicit_bzero(answer, len);
	tok = cJSON_GetObjectItemCaseSensitive(tree, key);
	exp = cJSON_GetObjectItemCaseSensitive(tree, exp_key ? exp_key : "");
	if (!cJSON_IsString(tok) || tok->valuestring[0] == '\0') {
		*why = tfp_arena_printf(a, "%s (%s): the answer has no %s",
					what, url, key);
		wipe_json(tree);
		return TFP_ERROR;
	}
	if (!token_printable(tok->valuestring)) {
		*why = tfp_arena_printf(a,
					"%s (%s): the %s has control "
					"characters",
					what, url, key);
		wipe_json(tree);
		return TFP_ERROR;
	}
	*token = tfp_xstrdup(tok->valuestring);
	if (cJSON_IsNumber(exp) && exp->valuedouble > 0 &&
	    exp->valuedouble < 1e9)
		*expiry = now + (time_t)exp->valuedouble;
	else if (cJSON_IsString(exp) &&
		 (t = tfp_auth__parse_rfc3339(exp->valuestring)) > 0)
		*expiry = t;
	else if (tfp_auth_jwt_exp(*token) > 0)
		*expiry = (time_t)tfp_auth_jwt_exp(*token);
	else
		*expiry = now + 300;
	wipe_json(tree);
	return TFP_OK;
}

/*
 * The access token of the application default credentials (ADC), as
 * Google's libraries find them: a credentials file (a service account
 * key: a JWT grant for the cloud-platform scope; gcloud's
 * authorized_user: a refresh token grant), else the GCE metadata
 * server's token for the instance's service account.
 */
static int google_adc_token(char **token, const char **why,
			    struct tfp_auth *au, struct tfp_call *call)
{
	struct tfp_arena *a = call->arena;
	const char *md_hdrs[2] = {"Metadata-Flavor: Google", NULL};
	const char *no_hdrs[1] = {NULL};
	struct tfp_google_key k;
	struct stat st;
	time_t expiry;
	const cJSON *type, *id, *secret, *refresh, *uri;
	cJSON *tree;
	char *text, *form = NULL;
	const char *url;
	int error;

	if (au->google_adc == NULL) {
		url = tfp_arena_printf(a,
				       "http://%s/computeMetadata/v1/instance/"
				       "service-accounts/default/token",
				       au->google_metadata);
		return google_token_call(token, &expiry, why, au, call,
					 "the GCE metadata server", url,
					 md_hdrs, NULL, "access_token",
					 "expires_in");
	}
	if (stat(au->google_adc, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = tfp_arena_printf(a,
					"the application default credentials "
					"file %s cannot be read",
					au->google_adc);
		return TFP_ERROR;
	}
	text = google_key_text(au->google_adc);
	tree = cJSON_Parse(text);
	type = cJSON_GetObjectItemCaseSensitive(tree, "type");
	if (cJSON_IsString(type) &&
	    strcmp(type->valuestring, "service_account") == 0) {
		wipe_json(tree);
		error = tfp_auth_google_key_parse(&k, why, a, text);
		free_secret(text);
		if (error < 0)
			return TFP_ERROR;
		error = google_grant(token, &expiry, why, au, call, &k, "scope",
				     GOOGLE_SCOPE_PLATFORM, "access_token");
		explicit_bzero((char *)k.private_key, strlen(k.private_key));
		return error;
	}
	free_secret(text);
	if (!cJSON_IsString(type) ||
	    strcmp(type->valuestring, "authorized_user") != 0) {
		*why = tfp_arena_printf(
			a,
			"the application default credentials (%s) are %s%s%s; "
			"brickform reads a service account key or gcloud's "
			"authorized_user credentials",
			au->google_adc,
			cJSON_IsString(type) ? "of type \"" : "not a credentials "
							       "file",
			cJSON_IsString(type) ? type->valuestring : "",
			cJSON_IsString(type) ? "\"" : "");
		wipe_json(tree);
		return TFP_ERROR;
	}
	id = cJSON_GetObjectItemCaseSensitive(tree, "client_id");
	secret = cJSON_GetObjectItemCaseSensitive(tree, "client_secret");
	refresh = cJSON_GetObjectItemCaseSensitive(tree, "refresh_token");
	uri = cJSON_GetObjectItemCaseSensitive(tree, "token_uri");
	if (!cJSON_IsString(id) || !cJSON_IsString(secret) ||
	    !cJSON_IsString(refresh)) {
		*why = "the authorized_user credentials lack client_id, "
		       "client_secret or refresh_token";
		wipe_json(tree);
		return TFP_ERROR;
	}
	url = tfp_arena_strdup(a, cJSON_IsString(uri) ? uri->valuestring
						       : GOOGLE_TOKEN_ENDPOINT);
	{
		char *eid = form_escape(id->valuestring);
		char *esec = form_escape(secret->valuestring);
		char *eref = form_escape(refresh->valuestring);
		size_t n = strlen(eid) + strlen(esec) + strlen(eref) + 96;

		form = tfp_xmalloc(n);
		snprintf(form, n,
			 "grant_type=refresh_token&client_id=%s"
			 "&client_secret=%s&refresh_token=%s",
			 eid, esec, eref);
		free(eid);
		free_secret(esec);
		free_secret(eref);
	}
	wipe_json(tree);
	error = google_token_call(token, &expiry, why, au, call,
				  "Google's token endpoint", url, no_hdrs,
				  form, "access_token", "expires_in");
	free_secret(form);
	return error;
}

/* An email-shaped service account name: safe to put in a URL path. */
static bool google_sa_valid(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 254 && strchr(s, '@') != NULL &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789@._-") == n;
}

/*
 * google-id, as the Go SDK: with the ADC's access token, the IAM
 * Credentials API makes an ID token of google_service_account for the
 * workspace URL (generateIdToken, includeEmail), sent as the bearer
 * token; on the account console also an access token of that account
 * (generateAccessToken, cloud-platform and compute scopes), sent in
 * X-Databricks-GCP-SA-Access-Token.
 */
static int fetch_google_id(struct tfp_auth *au, struct tfp_call *call,
			   char **header, time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	const char *hdrs[3] = {NULL, "Content-Type: application/json", NULL};
	const char *why = NULL, *url;
	char *adc = NULL, *id = NULL, *access = NULL, *auth_line, *body;
	cJSON *req;
	time_t aexp = 0;
	size_t n;
	int error;

	if (au->google_sa == NULL || !google_sa_valid(au->google_sa))
		return auth_fail(call, au,
				 "google_service_account must be a service "
				 "account's email");
	if (google_adc_token(&adc, &why, au, call) < 0)
		return auth_fail(
			call, au,
			tfp_arena_printf(a,
					 "no Google credentials to impersonate "
					 "%s with: %s",
					 au->google_sa, why));
	n = strlen(adc) + 32;
	auth_line = tfp_xmalloc(n);
	snprintf(auth_line, n, "Authorization: Bearer %s", adc);
	free_secret(adc);
	hdrs[0] = auth_line;

	req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "audience", au->host ? au->host : "");
	cJSON_AddBoolToObject(req, "includeEmail", 1);
	body = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	url = tfp_arena_printf(a, "%sv1/projects/-/serviceAccounts/%s"
				  ":generateIdToken",
			       au->google_iam, au->google_sa);
	error = google_token_call(&id, expiry, &why, au, call,
				  "the IAM Credentials API", url, hdrs, body,
				  "token", NULL);
	cJSON_free(body);
	if (error == TFP_OK && au->account_level) {
		req = cJSON_CreateObject();
		cJSON_AddItemToObject(
			req, "scope",
			cJSON_CreateStringArray(
				(const char *const[]){
					GOOGLE_SCOPE_PLATFORM,
					"https://www.googleapis.com/auth/"
					"compute"},
				2));
		cJSON_AddStringToObject(req, "lifetime", "3600s");
		body = cJSON_PrintUnformatted(req);
		cJSON_Delete(req);
		url = tfp_arena_printf(a,
				       "%sv1/projects/-/serviceAccounts/%s"
				       ":generateAccessToken",
				       au->google_iam, au->google_sa);
		error = google_token_call(&access, &aexp, &why, au, call,
					  "the IAM Credentials API", url, hdrs,
					  body, "accessToken", "expireTime");
		cJSON_free(body);
	}
	free_secret(auth_line);
	if (error < 0) {
		free_secret(id);
		return auth_fail(call, au, why);
	}
	google_header(header, expiry, id, access, aexp);
	return TFP_OK;
}

int tfp_auth_azure_resolve_host(const char **host, struct tfp_auth *au,
				struct tfp_call *call)
{
	struct tfp_arena *a = call->arena;
	const char *hdrs[2] = {NULL, NULL}, *err, *why, *url, *ws;
	char *header = NULL, *body;
	time_t expiry;
	size_t len, n;
	long status;
	int error;

	*host = NULL;
	if (au->az_resource_id == NULL || au->az_resource_id[0] != '/')
		return auth_fail(call, au,
				 "azure_workspace_resource_id must be a "
				 "resource id (/subscriptions/.../providers/"
				 "Microsoft.Databricks/workspaces/<name>)");
	if (strspn(au->az_resource_id,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789/-_.()") != strlen(au->az_resource_id))
		return auth_fail(call, au,
				 "azure_workspace_resource_id has characters "
				 "a resource id cannot have");
	if (fetch_azure(au, call, au->az_management, &header, &expiry) < 0)
		return TFP_ERROR;
	hdrs[0] = header;
	/* The manager ends with '/', the resource id starts with one. */
	url = tfp_arena_printf(a, "%.*s%s?api-version=2018-04-01",
			       (int)strlen(au->az_manager) - 1, au->az_manager,
			       au->az_resource_id);
	error = tfp_rest_fetch(&status, &body, &len, &err, a, url, hdrs, NULL,
			       au->timeout_seconds, au->skip_verify);
	free_secret(header);
	if (error < 0)
		return auth_fail(call, au,
				 tfp_arena_printf(a,
						  "resolving the workspace URL "
						  "(GET %s): %s",
						  url, err));
	if (status != 200)
		return auth_fail(
			call, au,
			tfp_arena_printf(a,
					 "resolving the workspace URL "
					 "(GET %s) returned %s",
					 url, azure_error(a, status, body)));
	ws = tfp_auth_parse_workspace_url(&why, a, body, au->az_manager);
	if (ws == NULL)
		return auth_fail(call, au,
				 tfp_arena_printf(a,
						  "resolving the workspace URL "
						  "(GET %s): %s",
						  url, why));
	n = strlen(ws);
	free(au->host);
	au->host = tfp_xmalloc(n + 1);
	memcpy(au->host, ws, n + 1);
	tfp_log(TFP_LOG_DEBUG, AUTH_LOG, "workspace URL of %s: %s",
		au->az_resource_id, ws);
	*host = ws;
	return TFP_OK;
}

/* --- OIDC: workload identity federation -----------------------------------
 */

int tfp_auth_parse_id_token(char **token, const char **why, const char *json)
{
	cJSON *tree = cJSON_Parse(json ? json : "");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(tree, "value");

	*token = NULL;
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		*why = "the answer has no value (the ID token)";
		wipe_json(tree);
		return TFP_ERROR;
	}
	if (!token_printable(v->valuestring)) {
		*why = "the ID token has control characters";
		wipe_json(tree);
		return TFP_ERROR;
	}
	*token = tfp_xstrdup(v->valuestring);
	wipe_json(tree);
	return TFP_OK;
}

const char *tfp_auth_tenant_from_location(const char **why, struct tfp_arena *a,
					  const char *location)
{
	const char *p, *seg;
	size_t n;

	if (location == NULL || location[0] == '\0') {
		*why = "the answer is not a redirect";
		return NULL;
	}
	p = strstr(location, "://");
	if (p == NULL || strcspn(location, "/?#") < (size_t)(p - location)) {
		*why = "the redirect is not an absolute URL";
		return NULL;
	}
	/* Past the authority, the first path segment. */
	p += 3;
	p += strcspn(p, "/?#");
	if (*p != '/') {
		*why = "the redirect's URL has no path";
		return NULL;
	}
	seg = p + 1;
	n = strcspn(seg, "/?#");
	/* A GUID or a domain name (contoso.onmicrosoft.com): nothing that
	 * could change the Entra ID URL the tenant goes into. */
	if (n == 0 || n > 253 ||
	    strspn(seg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789.-_") < n ||
	    seg[0] == '.' || seg[0] == '-') {
		*why = "the redirect's first path segment is not a tenant";
		return NULL;
	}
	return tfp_arena_strndup(a, seg, n);
}

char *tfp_auth_oidc_form(const char *id_token, const char *client_id)
{
	char *tok = form_escape(id_token), *id = NULL, *form;
	size_t n;

	if (set(client_id))
		id = form_escape(client_id);
	n = strlen(tok) + (id ? strlen(id) : 0) + 256;
	form = tfp_xmalloc(n);
	snprintf(form, n,
		 "grant_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3Agrant-type%%3A"
		 "token-exchange&subject_token_type=urn%%3Aietf%%3Aparams%%3A"
		 "oauth%%3Atoken-type%%3Ajwt&subject_token=%s&scope=all-apis"
		 "%s%s",
		 tok, id ? "&client_id=" : "", id ? id : "");
	free_secret(tok);
	free(id);
	return form;
}

const char *tfp_auth_oidc_audience(const char *audience, bool account_level,
				   const char *account_id,
				   const char *token_endpoint)
{
	if (set(audience))
		return audience;
	if (account_level && set(account_id))
		return account_id;
	return token_endpoint;
}

/* GitHub Actions' ID token for audience: GET the request URL (which has
 * a query already) with &audience=..., bearer the request token, as the
 * Go SDK's githubIDTokenSource. *token malloc'd, a secret. */
static int github_id_token(char **token, struct tfp_auth *au,
			   struct tfp_call *call, const char *audience)
{
	struct tfp_arena *a = call->arena;
	const char *hdrs[2] = {NULL, NULL}, *err, *why, *url;
	char *aud, *line, *body;
	size_t n, len;
	long status;
	int error;

	*token = NULL;
	if (au->actions_url == NULL || au->actions_token == NULL)
		return auth_fail(call, au,
				 "GitHub Actions' ID token request URL and "
				 "token are not set "
				 "(ACTIONS_ID_TOKEN_REQUEST_URL, "
				 "ACTIONS_ID_TOKEN_REQUEST_TOKEN)");
	aud = form_escape(audience);
	url = tfp_arena_printf(a, "%s%saudience=%s", au->actions_url,
			       strchr(au->actions_url, '?') ? "&" : "?", aud);
	free(aud);
	n = strlen(au->actions_token) + 32;
	line = tfp_xmalloc(n);
	snprintf(line, n, "Authorization: Bearer %s", au->actions_token);
	hdrs[0] = line;
	error = tfp_rest_fetch(&status, &body, &len, &err, a, url, hdrs, NULL,
			       au->timeout_seconds, au->skip_verify);
	free_secret(line);
	/* The request URL is not quoted: GitHub's carries ids of the run. */
	if (error < 0)
		return auth_fail(call, au,
				 tfp_arena_printf(a,
						  "requesting GitHub's ID "
						  "token: %s",
						  err));
	if (status != 200)
		error = auth_fail(
			call, au,
			tfp_arena_printf(a,
					 "requesting GitHub's ID token "
					 "returned %s",
					 oauth_error(a, status, body)));
	else if (tfp_auth_parse_id_token(token, &why, body) < 0)
		error = auth_fail(call, au,
				  tfp_arena_printf(a,
						   "requesting GitHub's ID "
						   "token: %s",
						   why));
	explicit_bzero(body, len);
	return error;
}

/* file-oidc: the token file (at most 64 KiB), without the line end an
 * editor or `echo` leaves (a JWT has no white space). malloc'd. */
static int file_id_token(char **token, struct tfp_auth *au,
			 struct tfp_call *call)
{
	struct tfp_arena *a = call->arena;
	FILE *f;
	size_t n;

	*token = NULL;
	if (au->oidc_file == NULL)
		return auth_fail(call, au,
				 "databricks_id_token_filepath is not set");
	f = fopen(au->oidc_file, "r");
	if (f == NULL)
		return auth_fail(call, au,
				 tfp_arena_printf(a, "cannot read %s: %s",
						  au->oidc_file,
						  strerror(errno)));
	*token = tfp_xmalloc(65536 + 1);
	n = fread(*token, 1, 65536, f);
	fclose(f);
	(*token)[n] = '\0';
	while (n > 0 && ini_space((*token)[n - 1]))
		(*token)[--n] = '\0';
	if (n == 0 || strlen(*token) != n) {
		free_secret(*token);
		*token = NULL;
		return auth_fail(call, au,
				 tfp_arena_printf(a,
						  "%s is empty or not a "
						  "token",
						  au->oidc_file));
	}
	return TFP_OK;
}

/*
 * github-oidc, env-oidc, file-oidc: the ID token exchanged at the
 * workspace's (or account's) token endpoint for a Databricks token, as
 * the Go SDK's databricksOIDCTokenSource. A new ID token each time: the
 * SDK reads the variable or file, or asks GitHub, on every refresh.
 */
static int fetch_oidc(struct tfp_auth *au, struct tfp_call *call, char **header,
		      time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	const char *hdrs[1] = {NULL}, *v;
	char *id_token = NULL, *form;
	int error;

	if (token_endpoint(au, call) < 0)
		return TFP_ERROR;
	switch (au->method) {
	case TFP_AUTH_GITHUB_OIDC:
		if (github_id_token(&id_token, au, call,
				    tfp_auth_oidc_audience(
					    au->audience, au->account_level,
					    au->account_id,
					    au->token_endpoint)) < 0)
			return TFP_ERROR;
		break;
	case TFP_AUTH_ENV_OIDC:
		v = getenv(au->oidc_env);
		if (v == NULL || v[0] == '\0')
			return auth_fail(call, au,
					 tfp_arena_printf(a,
							  "the environment "
							  "variable %s is not "
							  "set",
							  au->oidc_env));
		id_token = tfp_xstrdup(v);
		break;
	case TFP_AUTH_FILE_OIDC:
		if (file_id_token(&id_token, au, call) < 0)
			return TFP_ERROR;
		break;
	default:
		return auth_fail(call, au, "the method has no ID token");
	}
	form = tfp_auth_oidc_form(id_token, au->client_id);
	free_secret(id_token);
	error = token_call(
		header, expiry, au, call,
		&(struct token_req){
			.url = au->token_endpoint,
			.hdrs = hdrs,
			.form = form,
			.what = tfp_arena_printf(a, "POST %s",
						 au->token_endpoint),
			.returned = tfp_arena_printf(a,
						     "exchanging the ID token "
						     "(POST %s)",
						     au->token_endpoint),
			.expiry_key = "expires_in"});
	free_secret(form);
	return error;
}

/*
 * github-oidc-azure: GitHub's ID token for api://AzureADTokenExchange as
 * the client assertion of azure_client_id at Entra ID's v1 endpoint, for
 * the Azure Databricks application, as the Go SDK's azureOIDCTokenSource
 * (expiry from expires_on). Only the Authorization header: the SDK sends
 * no management token with this method.
 */
static int fetch_github_azure(struct tfp_auth *au, struct tfp_call *call,
			      char **header, time_t *expiry)
{
	struct tfp_arena *a = call->arena;
	const char *url;
	char *id_token, *assertion, *id, *res, *tenant, *form;
	size_t n;

	if (github_id_token(&id_token, au, call,
			    TFP_AUTH_AZURE_EXCHANGE_AUDIENCE) < 0)
		return TFP_ERROR;
	tenant = form_escape(au->az_tenant_id ? au->az_tenant_id : "");
	url = tfp_arena_printf(a, "%s%s/oauth2/token", au->az_login, tenant);
	free(tenant);
	assertion = form_escape(id_token);
	free_secret(id_token);
	id = form_escape(au->az_client_id ? au->az_client_id : "");
	res = form_escape(au->az_app_id);
	n = strlen(assertion) + strlen(id) + strlen(res) + 256;
	form = tfp_xmalloc(n);
	snprintf(form, n,
		 "grant_type=client_credentials&resource=%s&client_id=%s"
		 "&client_assertion_type=urn%%3Aietf%%3Aparams%%3Aoauth%%3A"
		 "client-assertion-type%%3Ajwt-bearer&client_assertion=%s",
		 res, id, assertion);
	free(res);
	free(id);
	free_secret(assertion);
	return entra_token(header, expiry, au, call, url, form, "expires_on");
}

static int auth_fetch(struct tfp_auth *au, struct tfp_call *call, char **header,
		      time_t *expiry)
{
	switch (au->method) {
	case TFP_AUTH_OAUTH_M2M:
		return fetch_oauth(au, call, header, expiry);
	case TFP_AUTH_METADATA_SERVICE:
		return fetch_metadata(au, call, header, expiry);
	case TFP_AUTH_DATABRICKS_CLI:
		return fetch_cli(au, call, header, expiry);
	case TFP_AUTH_AZURE_MSI:
	case TFP_AUTH_AZURE_CLIENT_SECRET:
	case TFP_AUTH_AZURE_CLI:
		return fetch_azure_headers(au, call, header, expiry);
	case TFP_AUTH_GOOGLE_CREDENTIALS:
		return fetch_google(au, call, header, expiry);
	case TFP_AUTH_GITHUB_OIDC:
	case TFP_AUTH_ENV_OIDC:
	case TFP_AUTH_FILE_OIDC:
		return fetch_oidc(au, call, header, expiry);
	case TFP_AUTH_GITHUB_OIDC_AZURE:
		return fetch_github_azure(au, call, header, expiry);
	case TFP_AUTH_GOOGLE_ID:
		return fetch_google_id(au, call, header, expiry);
	case TFP_AUTH_PAT:
	case TFP_AUTH_BASIC: /* a fixed header: tfp_auth_header */
	case TFP_AUTH_NONE:
		break;
	}
	return auth_fail(call, au, "the method has no token source");
}

int tfp_auth_header(const char **value, struct tfp_call *call,
		    const char *stale, void *payload)
{
	struct tfp_auth *au = payload;
	char *header = NULL;
	time_t expiry = 0, now, life, margin;
	int error;

	*value = NULL;
	if (au->method == TFP_AUTH_BASIC) {
		/* Fixed for the client's life, so no lock: a refused one
		 * stays refused. */
		if (stale != NULL && strcmp(stale, au->header) == 0)
			return auth_fail(call, au,
					 "the service refused the username and "
					 "password (HTTP 401). Check username "
					 "and password (or DATABRICKS_USERNAME "
					 "and DATABRICKS_PASSWORD)");
		*value = tfp_arena_strdup(call->arena, au->header);
		return TFP_OK;
	}
	pthread_mutex_lock(&au->lock);
	for (;;) {
		if (au->header != NULL && time(NULL) < au->refresh_at &&
		    (stale == NULL || strcmp(au->header, stale) != 0)) {
			*value = tfp_arena_strdup(call->arena, au->header);
			pthread_mutex_unlock(&au->lock);
			return TFP_OK;
		}
		if (!au->refreshing)
			break;
		pthread_cond_wait(&au->cond, &au->lock);
	}
	au->refreshing = true;
	pthread_mutex_unlock(&au->lock);

	tfp_log(TFP_LOG_DEBUG, AUTH_LOG, "fetching a %s token%s",
		tfp_auth_method_name(au->method),
		stale != NULL ? " (the last one was refused)" : "");
	error = auth_fetch(au, call, &header, &expiry);

	pthread_mutex_lock(&au->lock);
	au->refreshing = false;
	if (error == TFP_OK) {
		now = time(NULL);
		life = expiry - now;
		margin =
			life > 2 * AUTH_MARGIN_MAX ? AUTH_MARGIN_MAX : life / 2;
		free_secret(au->header);
		au->header = header;
		au->refresh_at = expiry - margin;
		*value = tfp_arena_strdup(call->arena, header);
		tfp_log(TFP_LOG_DEBUG, AUTH_LOG,
			"got a %s token valid for %ld s",
			tfp_auth_method_name(au->method), (long)life);
	}
	pthread_cond_broadcast(&au->cond);
	pthread_mutex_unlock(&au->lock);
	return error;
}
