/*
 * Provider authentication: which credentials to use and how to turn them
 * into an Authorization header.
 *
 * Settings come from the provider block, then the environment (filling
 * what is unset), then a profile of the config file (~/.databrickscfg by
 * default), as in the official provider. The profile is skipped when no
 * profile was named and host or any credential is already set. The method
 * is auth_type when given, else the first whose settings are present in
 * the Go SDK's order pat, basic, oauth-m2m, databricks-cli,
 * metadata-service; two of these with settings present and no auth_type
 * is an error naming both. Without any of them the OIDC methods follow
 * (workload identity federation: an ID token exchanged at the
 * workspace's or account's token endpoint), then the cloud methods, first
 * match wins as in the Go SDK's chain (config/auth_default.go):
 * github-oidc (GitHub Actions' ID token request URL and token are set,
 * and a client_id, or neither an Azure host nor Azure credentials, where
 * the SDK's trial of github-oidc would fail and fall through), env-oidc
 * (the variable oidc_token_env names, default DATABRICKS_OIDC_TOKEN, is
 * set), file-oidc (databricks_id_token_filepath), github-oidc-azure
 * (GitHub's variables with azure_client_id, and neither a Databricks
 * client_id nor an Azure secret), azure-msi (azure_use_msi),
 * azure-client-secret (azure_client_secret), azure-cli (an Azure
 * workspace host, or azure_workspace_resource_id), then
 * google-credentials (a service account key: ID tokens for Databricks,
 * signed JWTs exchanged at the key's token_uri) and google-id
 * (google_service_account impersonated with the machine's application
 * default credentials through the IAM Credentials API). The SDK tries each method and moves on when one
 * fails; brickform decides from the settings alone, so a misconfigured
 * method gives its own error rather than a generic one.
 *
 * github-oidc-azure exchanges GitHub's ID token (audience
 * api://AzureADTokenExchange) at Entra ID as a client assertion of
 * azure_client_id. azure-client-secret and azure-cli without
 * azure_tenant_id learn the tenant from the workspace, as the Go SDK's
 * loadAzureTenantId: GET {host}/aad/auth, not followed, names the tenant
 * as the first path segment of its Location.
 *
 * Azure methods ask Microsoft Entra ID (azure-client-secret), the Azure
 * CLI (azure-cli) or the instance metadata service (azure-msi) for a token
 * for the Azure Databricks application (2ff814a6-..., or
 * azure_login_app_id), and with azure_workspace_resource_id and no host,
 * first a management token to resolve the workspace URL through the Azure
 * Resource Manager. The endpoints follow azure_environment (public,
 * usgovernment, china); the caller may override them (tests point them at
 * the emulator).
 *
 * The pure part (parser, resolver) takes its inputs explicitly and is
 * unit-tested; tfp_auth_new makes the token source the REST client calls
 * before each request. Secrets (password, client secret, tokens) never
 * reach a log or a diagnostic.
 *
 * The caller says whether the provider talks to the account console (the
 * client layer does not decide what a Databricks host is): oauth-m2m then
 * asks the account's token endpoint {host}/oidc/accounts/{account_id}/
 * v1/token, as the Go SDK does, instead of discovering a workspace's.
 */
#ifndef TFP_AUTH_H
#define TFP_AUTH_H

#include <stdbool.h>
#include <time.h>
#include "call.h"

struct tfp_arena;
struct tfp_diags;

/* One layer of settings; NULL = unset. Strings are borrowed. */
struct tfp_auth_settings {
	const char *host;
	const char *token;
	const char *username;
	const char *password;
	const char *client_id;
	const char *client_secret;
	const char *profile;
	const char *config_file;
	const char *auth_type;
	const char *account_id;
	const char *databricks_cli_path;
	const char *metadata_service_url;
	/* Azure and Google Cloud, named as the official provider names them
	 * (profile keys too). azure_use_msi is "true"/"1" or unset. */
	const char *azure_workspace_resource_id;
	const char *azure_client_id;
	const char *azure_client_secret;
	const char *azure_tenant_id;
	const char *azure_environment;
	const char *azure_login_app_id;
	const char *azure_use_msi;
	const char *google_service_account;
	const char *google_credentials;
	/* The OIDC methods: GitHub Actions' ID token request (github-oidc,
	 * github-oidc-azure), the variable holding a token (env-oidc), a
	 * token file (file-oidc), the audience of GitHub's token. */
	const char *actions_id_token_request_url;
	const char *actions_id_token_request_token;
	const char *oidc_token_env;
	const char *databricks_id_token_filepath;
	const char *audience;
	/* Endpoint overrides, never from a profile (the caller sets them
	 * after tfp_auth_resolve): the Entra ID login host
	 * ("https://login.microsoftonline.com/"), the Resource Manager
	 * ("https://management.azure.com/") and the managed identity token
	 * URL ("http://169.254.169.254/metadata/identity/oauth2/token"). */
	const char *azure_login_endpoint;
	const char *azure_management_endpoint;
	const char *azure_msi_endpoint;
	/* google-id: the application default credentials file
	 * (GOOGLE_APPLICATION_CREDENTIALS), the GCE metadata server's
	 * host[:port] (GCE_METADATA_HOST, as Google's libraries read it;
	 * default metadata.google.internal) and the IAM Credentials API
	 * ("https://iamcredentials.googleapis.com/"; brickform's
	 * GOOGLE_IAM_CREDENTIALS_ENDPOINT, for tests). */
	const char *google_application_credentials;
	const char *google_metadata_host;
	const char *google_iam_endpoint;
};

enum tfp_auth_method {
	TFP_AUTH_NONE = 0,
	TFP_AUTH_PAT,
	TFP_AUTH_BASIC,
	TFP_AUTH_OAUTH_M2M,
	TFP_AUTH_DATABRICKS_CLI,
	TFP_AUTH_METADATA_SERVICE,
	TFP_AUTH_AZURE_MSI,
	TFP_AUTH_AZURE_CLIENT_SECRET,
	TFP_AUTH_AZURE_CLI,
	TFP_AUTH_GOOGLE_CREDENTIALS,
	TFP_AUTH_GOOGLE_ID,
	TFP_AUTH_GITHUB_OIDC,
	TFP_AUTH_ENV_OIDC,
	TFP_AUTH_FILE_OIDC,
	TFP_AUTH_GITHUB_OIDC_AZURE,
};

/** The audience of GitHub's ID token for Entra ID (github-oidc-azure). */
#define TFP_AUTH_AZURE_EXCHANGE_AUDIENCE "api://AzureADTokenExchange"
/** env-oidc's variable when oidc_token_env does not name one. */
#define TFP_AUTH_OIDC_TOKEN_ENV_DEFAULT "DATABRICKS_OIDC_TOKEN"

/** The Azure Databricks application, the resource of its Entra tokens. */
#define TFP_AUTH_AZURE_DATABRICKS_APP "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"

/** "pat", "oauth-m2m", ... ; "none" for TFP_AUTH_NONE. */
const char *tfp_auth_method_name(enum tfp_auth_method m);
/** The method named s, or TFP_AUTH_NONE for an unknown name. */
enum tfp_auth_method tfp_auth_method_from_name(const char *s);
/** "pat, basic, oauth-m2m, ...": every method's name, for messages. */
const char *tfp_auth_method_list(void);

/**
 * Reads section profile of a .databrickscfg text into *out (strings in a):
 * keys of the section, and keys it lacks from [DEFAULT]. Comments start
 * with '#' or ';'; unknown keys are ignored. *found says whether the
 * section (or, for "DEFAULT", the default section) exists.
 */
void tfp_auth_parse_profile(struct tfp_auth_settings *out, bool *found,
			    struct tfp_arena *a, const char *text,
			    const char *profile);

/**
 * Resolves block over env over the config file. file_text is the file's
 * contents, NULL when it does not exist; file_name is for messages. Fills
 * *out (the merged settings) and *method. Returns TFP_OK, or TFP_ERROR
 * with *err (in a) saying why: an unknown auth_type, a profile that was
 * asked for but is missing, two methods at once, a method without all of
 * its settings (username without password names password and
 * DATABRICKS_PASSWORD), a metadata URL that is not on localhost. No method
 * at all is TFP_OK with TFP_AUTH_NONE.
 */
int tfp_auth_resolve(struct tfp_auth_settings *out,
		     enum tfp_auth_method *method, const char **err,
		     struct tfp_arena *a, const struct tfp_auth_settings *block,
		     const struct tfp_auth_settings *env, const char *file_text,
		     const char *file_name);

/** True when auth_type s names a method of the official provider that
 * brickform does not implement (azure-devops-oidc, oauth-u2m, ...). */
bool tfp_auth_method_unsupported(const char *s);

/**
 * Reads the JSON of `az account get-access-token --output json`: the
 * header "Authorization: <tokenType> <accessToken>" (malloc'd, a secret)
 * and the expiry, from expires_on (epoch seconds, az 2.54 and later) or
 * else expiresOn ("2024-01-02 03:04:05.123456", local time). Returns
 * TFP_OK, or TFP_ERROR with *why (static text, no value quoted).
 */
int tfp_auth_parse_az_token(char **header, time_t *expiry, const char **why,
			    const char *json);

/**
 * Reads a token endpoint's JSON answer (OAuth, Entra ID, Azure IMDS):
 * the header from access_token and token_type (malloc'd, a secret) and
 * the expiry from expiry_key: "expires_in" (seconds from now) or
 * "expires_on" (epoch seconds); numbers or numeric strings, as Entra ID
 * and IMDS send them. Returns TFP_OK, or TFP_ERROR with *why.
 */
int tfp_auth_parse_token_json(char **header, time_t *expiry, const char **why,
			      const char *body, const char *expiry_key);

/**
 * Reads the Resource Manager's answer for a workspace into the
 * workspace's URL: "<scheme>://" + properties.workspaceUrl, scheme taken
 * from the management endpoint (https in Azure). NULL, with *why, when
 * the answer has no usable host name. The result is in a.
 */
const char *tfp_auth_parse_workspace_url(const char **why, struct tfp_arena *a,
					 const char *body,
					 const char *management_endpoint);

/* A Google service account key (auth_google.c); strings in an arena. */
struct tfp_google_key {
	const char *client_email;
	const char *private_key; /* PEM: a secret */
	const char *key_id;	 /* NULL when the key has none */
	const char *token_uri; /* default https://oauth2.googleapis.com/token */
};

/**
 * Reads a service account key's JSON into *k (strings in a). Returns
 * TFP_OK, or TFP_ERROR with *why (static, quoting nothing of the key).
 */
int tfp_auth_google_key_parse(struct tfp_google_key *k, const char **why,
			      struct tfp_arena *a, const char *json);

/**
 * A signed JWT "header.claims.signature" (RS256, kid when not NULL) over
 * claims (a JSON object's text), malloc'd (a secret); NULL with *why when
 * pem is not an RSA private key or signing fails.
 */
char *tfp_auth_jwt_rs256(const char **why, const char *pem, const char *kid,
			 const char *claims);

/** The exp claim of a JWT (epoch seconds), or -1 when it has none. */
long long tfp_auth_jwt_exp(const char *jwt);

/**
 * The answer of GitHub Actions' ID token request ({"value": "<JWT>"}):
 * *token the token (malloc'd, a secret). TFP_ERROR with *why (static
 * text, quoting nothing) when there is none or it has characters a token
 * cannot have.
 */
int tfp_auth_parse_id_token(char **token, const char **why, const char *json);

/**
 * The tenant in the Location of a workspace's /aad/auth redirect
 * ("https://login.microsoftonline.com/<tenant>/oauth2/authorize?..."):
 * its first path segment, in a. NULL with *why when location is not an
 * absolute URL or the segment is not a tenant (a GUID or a domain name).
 */
const char *tfp_auth_tenant_from_location(const char **why, struct tfp_arena *a,
					  const char *location);

/**
 * The form of the OIDC token exchange (RFC 8693) for id_token, as the Go
 * SDK sends it: grant_type token-exchange, subject_token_type jwt,
 * subject_token, scope all-apis, and client_id when not NULL. malloc'd
 * (a secret).
 */
char *tfp_auth_oidc_form(const char *id_token, const char *client_id);

/**
 * The audience asked of GitHub for the exchange (the Go SDK's
 * determineAudience): audience when set, else the account id on the
 * account console, else the token endpoint.
 */
const char *tfp_auth_oidc_audience(const char *audience, bool account_level,
				   const char *account_id,
				   const char *token_endpoint);

/** True for http(s)://localhost, 127.x.x.x or [::1] URLs. */
bool tfp_auth_url_is_localhost(const char *url);

/* --- the token source ---------------------------------------------------- */

struct tfp_auth;

/**
 * A token source for method (not pat) with the resolved settings (copied;
 * the caller may wipe its own). host must already be normalised
 * (scheme://authority). account_level says that host is the account
 * console (the caller's decision): oauth-m2m then uses the token endpoint
 * of s->account_id without discovery. basic builds its header here, once.
 */
struct tfp_auth *tfp_auth_new(enum tfp_auth_method method,
			      const struct tfp_auth_settings *s,
			      bool account_level, long timeout_seconds,
			      bool skip_verify);
void tfp_auth_free(struct tfp_auth *auth);

/**
 * The REST client's auth_header callback (payload: struct tfp_auth *):
 * *value = "Authorization: Bearer <token>" in call->arena, from the cache
 * (for azure-client-secret and azure-msi, and azure-cli when it can, a
 * second line "X-Databricks-Azure-SP-Management-Token: <token>", and with
 * azure_workspace_resource_id a third naming it, as the Go SDK sends them
 * so that a service principal that is not yet a workspace member can sign
 * in)
 * unless it expires within a minute (or half its lifetime) or equals
 * stale (a header the workspace refused with 401). One refresh at a time;
 * other callers wait for it. basic has nothing to refresh: its fixed
 * "Authorization: Basic ..." header, and an error once the service has
 * refused it (stale), since sending it again cannot help. On failure a
 * diagnostic names the method and the reason, never a secret.
 */
int tfp_auth_header(const char **value, struct tfp_call *call,
		    const char *stale, void *payload);

/* --- semi-private: the pure parsers, for unit tests and fuzz targets --- */

#include <time.h>

/**
 * "2024-01-02T03:04:05.678+01:00" (Z, or no zone) as epoch seconds; -1
 * for anything else. s may be any NUL-terminated text.
 */
time_t tfp_auth__parse_rfc3339(const char *s);

/**
 * The token of a JSON token answer (body, any text): *header the
 * malloc'd "Authorization: <type> <token>" line, *expiry epoch seconds
 * from expiry_key ("expires_in": a lifetime, else an epoch; beyond 1e11
 * or not a number: the default). TFP_ERROR with *why (static text) when there is no usable token.
 */
/* Base64 (RFC 4648 §4, padded) or, with url, base64url without padding
 * (RFC 7515 §2); malloc'd. */
char *tfp_auth__base64(const unsigned char *p, size_t n, bool url);

int tfp_auth__token_from_json(char **header, time_t *expiry, const char **why,
			      struct tfp_arena *a, const char *body,
			      const char *expiry_key);

/**
 * For an Azure method with azure_workspace_resource_id and no host: asks
 * the Resource Manager for the workspace's URL (with a management token
 * of the method) and makes it the host of auth. *host (in call->arena)
 * is that URL. On failure a diagnostic names the method and the reason.
 */
int tfp_auth_azure_resolve_host(const char **host, struct tfp_auth *auth,
				struct tfp_call *call);

#endif
