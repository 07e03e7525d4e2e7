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
 * metadata-service; two methods with settings present and no auth_type is
 * an error naming both.
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
};

enum tfp_auth_method {
	TFP_AUTH_NONE = 0,
	TFP_AUTH_PAT,
	TFP_AUTH_BASIC,
	TFP_AUTH_OAUTH_M2M,
	TFP_AUTH_DATABRICKS_CLI,
	TFP_AUTH_METADATA_SERVICE,
};

/** "pat", "oauth-m2m", ... ; "none" for TFP_AUTH_NONE. */
const char *tfp_auth_method_name(enum tfp_auth_method m);
/** The method named s, or TFP_AUTH_NONE for an unknown name. */
enum tfp_auth_method tfp_auth_method_from_name(const char *s);
/** "pat, basic, oauth-m2m, databricks-cli, metadata-service": for
 * messages. */
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
 * from expiry_key ("expires_in": a lifetime, else an epoch), capped to a
 * year. TFP_ERROR with *why (static text) when there is no usable token.
 */
int tfp_auth__token_from_json(char **header, time_t *expiry, const char **why,
			      struct tfp_arena *a, const char *body,
			      const char *expiry_key);

#endif
