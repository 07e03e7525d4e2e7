/*
 * Service principal OAuth secrets (databricks-sdk-go service/oauth2,
 * ServicePrincipalSecrets and its workspace proxy):
 *
 *   POST
 * /api/2.0/accounts/{account_id}/servicePrincipals/{sp}/credentials/secrets GET
 * /api/2.0/accounts/{account_id}/servicePrincipals/{sp}/credentials/secrets
 *   DELETE
 * /api/2.0/accounts/{account_id}/servicePrincipals/{sp}/credentials/secrets/{secret_id}
 *   (the same under /api/2.0/accounts/servicePrincipals/{sp}/..., the
 *   workspace's proxy of the account API, without the account id)
 *
 * {sp} is the service principal's SCIM id in the directory (scim.c; the
 * emulator's account and workspace share one directory). A create takes
 * an optional {"lifetime": "<seconds>s"} (default 730 days) and answers
 * {id, secret, secret_hash, status: "ACTIVE", create_time, update_time,
 * expire_time} (RFC 3339 UTC on the workspace clock); the secret's value
 * is shown there only: the list answers {"secrets": [...]} without it.
 * Expired secrets are not listed, as the official provider observes of
 * the service. An unknown service principal or secret is 404
 * RESOURCE_DOES_NOT_EXIST; another account id than the emulated one is
 * the account API's 404 for an account the caller does not belong to.
 *
 * A secret is the OAuth client secret of its service principal:
 * emu_sp_secret_valid (identity.h) lets the token endpoint
 * (oauth.c) accept it with the principal's application id as client id
 * while it exists, has not expired and the principal is still in the
 * directory. Deleting it stops that. Secret values never reach the
 * request log: the create route is EMU_ROUTE_SECRET_ARGS.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "errors.h"
#include "http.h"
#include "identity.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

/* 730 days, the service's default lifetime. */
#define SECRET_DEFAULT_LIFETIME_S (730LL * 24 * 3600)
/* Random bytes in a secret (shown as hex after "dose"). */
#define SECRET_BYTES 32
/* A bound on memory for a hostile client, far above what a test makes. */
#define SECRETS_MAX 1000

struct secrets_state {
	cJSON *secrets; /* [{id, ..., "_sp": scim id, "_value": secret}] */
	uint64_t next;
};

extern const struct emu_module emu_module_sp_secrets;

static struct secrets_state *secrets_of(struct emu_workspace *ws)
{
	return emu_workspace_state(ws, &emu_module_sp_secrets);
}

/* ms on the workspace clock as RFC 3339 UTC (a new string). */
static char *rfc3339(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	return emu_printf("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			  tm.tm_sec);
}

/* A display digest of a secret (FNV-1a, 64 bits, hex; a new string): it
 * tells secrets apart and cannot be turned back into one. */
static char *secret_hash(const char *value)
{
	uint64_t h = UINT64_C(14695981039346656037);
	const unsigned char *p;

	for (p = (const unsigned char *)value; *p; p++) {
		h ^= *p;
		h *= UINT64_C(1099511628211);
	}
	return emu_printf("%016" PRIx64, h);
}

/* A lifetime "<n>s" or "<n>" in seconds; -1 when it is not one. */
static int64_t parse_lifetime(const char *text)
{
	char *digits = emu_xstrdup(text);
	size_t n = strlen(digits);
	int64_t v = -1;

	if (n > 0 && digits[n - 1] == 's')
		digits[n - 1] = '\0';
	if (emu_json_parse_int64_text(&v, digits) < 0 || v <= 0)
		v = -1;
	free(digits);
	return v;
}

/* The secret as the list shows it: without the members that start with
 * "_" (the value, the principal). */
static cJSON *secret_info(const cJSON *s)
{
	cJSON *info = cJSON_Duplicate(s, true);
	cJSON *m = info->child, *next;

	for (; m != NULL; m = next) {
		next = m->next;
		if (m->string[0] == '_')
			cJSON_Delete(cJSON_DetachItemViaPointer(info, m));
	}
	return info;
}

static bool expired(struct emu_workspace *ws, const cJSON *s)
{
	int64_t at = 0;

	return emu_json_int(&at, cJSON_GetObjectItemCaseSensitive(
					 s, "_expire_ms")) == 0 &&
	       at <= emu_workspace_now_ms(ws);
}

/* Equal strings, compared in time that depends on the given length only
 * (as oauth.c compares --oauth-client secrets). */
static bool same_secret(const char *known, const char *given)
{
	size_t n = strlen(known), m = strlen(given), i;
	unsigned char diff = n != m;

	for (i = 0; i < m; i++)
		diff |= (unsigned char)(given[i] ^ known[i < n ? i : 0]);
	return diff == 0 && n > 0;
}

/* The route's service principal (its SCIM id), or NULL after answering
 * the error. */
static const char *route_sp(struct emu_request *req, struct emu_response *resp)
{
	const char *account = emu_request_param(req, "account_id");
	const char *sp = emu_request_param(req, "sp");

	if (account &&
	    strcmp(account, emu_workspace_account_id(req->ws)) != 0) {
		emu_error_not_found(resp,
				    "The account does not exist or the user "
				    "does not belong to this account");
		return NULL;
	}
	if (!emu_scim_sp_application_id(req->ws, sp)) {
		emu_error_not_found(resp,
				    "Service principal with id %s does not "
				    "exist.",
				    sp);
		return NULL;
	}
	return sp;
}

/* --- handlers ------------------------------------------------------------- */

static void secret_create(struct emu_request *req, struct emu_response *resp)
{
	struct secrets_state *st = req->state;
	const char *sp = route_sp(req, resp);
	const char *lifetime = NULL;
	int64_t life = SECRET_DEFAULT_LIFETIME_S, now;
	char *value, *text;
	cJSON *rec, *out;

	if (!sp)
		return;
	if (emu_arg_string(&lifetime, req, resp, "lifetime", EMU_ARG_OPTIONAL) <
	    0)
		return;
	if (lifetime && *lifetime) {
		life = parse_lifetime(lifetime);
		if (life < 0) {
			emu_error_invalid(resp,
					  "Invalid lifetime: %s. Expected a "
					  "number of seconds such as "
					  "\"3600s\".",
					  lifetime);
			return;
		}
	}
	if (cJSON_GetArraySize(st->secrets) >= SECRETS_MAX) {
		emu_error_invalid(resp, "Too many secrets.");
		return;
	}
	now = emu_workspace_now_ms(req->ws);
	rec = cJSON_CreateObject();
	st->next++;
	text = emu_printf("%016" PRIx64,
			  UINT64_C(0x5ec0000000000000) + st->next);
	cJSON_AddStringToObject(rec, "id", text);
	free(text);
	/* "dose" is how Databricks OAuth secrets start. */
	value = emu_random_token("dose", SECRET_BYTES);
	text = secret_hash(value);
	cJSON_AddStringToObject(rec, "secret_hash", text);
	free(text);
	cJSON_AddStringToObject(rec, "status", "ACTIVE");
	text = rfc3339(now);
	cJSON_AddStringToObject(rec, "create_time", text);
	cJSON_AddStringToObject(rec, "update_time", text);
	free(text);
	text = rfc3339(now + life * 1000);
	cJSON_AddStringToObject(rec, "expire_time", text);
	free(text);
	cJSON_AddStringToObject(rec, "_sp", sp);
	cJSON_AddStringToObject(rec, "_value", value);
	emu_json_add_int64(rec, "_expire_ms", now + life * 1000);
	out = secret_info(rec);
	cJSON_AddStringToObject(out, "secret", value);
	free(value);
	cJSON_AddItemToArray(st->secrets, rec);
	emu_response_json(resp, 200, out);
}

static void secret_list(struct emu_request *req, struct emu_response *resp)
{
	struct secrets_state *st = req->state;
	const char *sp = route_sp(req, resp);
	cJSON *body, *list, *s;

	if (!sp)
		return;
	body = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(body, "secrets");
	cJSON_ArrayForEach(s, st->secrets)
	{
		if (strcmp(emu_json_str(s, "_sp"), sp) == 0 &&
		    !expired(req->ws, s))
			cJSON_AddItemToArray(list, secret_info(s));
	}
	emu_response_json(resp, 200, body);
}

static void secret_delete(struct emu_request *req, struct emu_response *resp)
{
	struct secrets_state *st = req->state;
	const char *sp = route_sp(req, resp);
	const char *id = emu_request_param(req, "secret_id");
	cJSON *s;

	if (!sp)
		return;
	cJSON_ArrayForEach(s, st->secrets)
	{
		if (strcmp(emu_json_str(s, "_sp"), sp) == 0 &&
		    strcmp(emu_json_str(s, "id"), id) == 0) {
			cJSON_Delete(
				cJSON_DetachItemViaPointer(st->secrets, s));
			return;
		}
	}
	emu_error_not_found(resp,
			    "Secret %s of service principal %s does not "
			    "exist.",
			    id, sp);
}

/* --- the interface to oauth.c --------------------------------------------- */

bool emu_sp_secret_valid(struct emu_workspace *ws, const char *application_id,
			 const char *secret)
{
	struct secrets_state *st = secrets_of(ws);
	const cJSON *s;
	bool ok = false;

	cJSON_ArrayForEach(s, st->secrets)
	{
		const char *app =
			emu_scim_sp_application_id(ws, emu_json_str(s, "_sp"));

		/* Every secret is compared, so the time taken does not tell
		 * how far the search went. */
		if (app && strcmp(app, application_id) == 0 &&
		    !expired(ws, s) &&
		    same_secret(emu_json_str(s, "_value"), secret))
			ok = true;
	}
	return ok;
}

/* --- state ---------------------------------------------------------------- */

static void *secrets_state_new(void)
{
	struct secrets_state *st = emu_xcalloc(1, sizeof(*st));

	st->secrets = cJSON_CreateArray();
	return st;
}

static void secrets_state_free(void *state)
{
	struct secrets_state *st = state;

	if (!st)
		return;
	cJSON_Delete(st->secrets);
	free(st);
}

#define SP_SECRETS "servicePrincipals/{sp}/credentials/secrets"
#define ACCOUNT	   "/api/2.0/accounts/{account_id}/"
#define PROXY	   "/api/2.0/accounts/"

/* clang-format off */
static const struct emu_route secrets_routes[] = {
	{.method = "POST", .pattern = ACCOUNT SP_SECRETS, .handler = secret_create, .flags = EMU_ROUTE_SECRET_ARGS},
	{.method = "GET", .pattern = ACCOUNT SP_SECRETS, .handler = secret_list},
	{.method = "DELETE", .pattern = ACCOUNT SP_SECRETS "/{secret_id}", .handler = secret_delete},
	{.method = "POST", .pattern = PROXY SP_SECRETS, .handler = secret_create, .flags = EMU_ROUTE_SECRET_ARGS},
	{.method = "GET", .pattern = PROXY SP_SECRETS, .handler = secret_list},
	{.method = "DELETE", .pattern = PROXY SP_SECRETS "/{secret_id}", .handler = secret_delete},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_sp_secrets = {
	.name = "sp_secrets",
	.routes = secrets_routes,
	.state_new = secrets_state_new,
	.state_free = secrets_state_free,
};
