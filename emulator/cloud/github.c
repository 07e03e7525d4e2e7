/*
 * A stand-in for GitHub Actions' OIDC ID token service, served on the
 * emulator's own port, so that a test sets ACTIONS_ID_TOKEN_REQUEST_URL
 * to it as a runner with the id-token: write permission does:
 *
 *   GET  /github-actions/idtoken?api-version=2.0[&audience=A]
 *                                  an ID token for audience A
 *   GET|POST /_emulator/github     test control (below)
 *
 * The request needs "Authorization: Bearer <request token>" (the
 * runner's ACTIONS_ID_TOKEN_REQUEST_TOKEN), else 401. The answer is
 * {"value": "<JWT>"}, GitHub's shape: a JWT-shaped token (jwt.h) whose
 * claims are GitHub's: iss https://token.actions.githubusercontent.com,
 * sub the configured subject (repo:OWNER/REPO:ref:refs/heads/BRANCH by
 * default), aud the asked audience (without one, GitHub's default, the
 * URL of the repository's owner), repository, iat, nbf, exp. Entra ID's
 * stand-in (azure.c) and the workspace's token exchange (oauth.c) take
 * these tokens when their federation settings name the issuer and
 * subject.
 *
 * The control sets the request token and the subject (every field
 * optional; the token is never shown back):
 *   POST /_emulator/github {"request_token", "subject",
 *        "token_ttl_seconds"}
 * Without a request token every request is refused. The ID tokens are
 * not kept: they prove nothing but their claims.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "http.h"
#include "json.h"
#include "jwt.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

#define GH_ISSUER	   "https://token.actions.githubusercontent.com"
#define GH_DEFAULT_SUBJECT "repo:brickform/e2e:ref:refs/heads/main"

struct github_state {
	char *request_token;
	char *subject;
	int64_t ttl_s;
};

static void *github_state_new(void)
{
	struct github_state *st = emu_xcalloc(1, sizeof(*st));

	st->subject = emu_xstrdup(GH_DEFAULT_SUBJECT);
	st->ttl_s = 300; /* GitHub's tokens live minutes */
	return st;
}

static void github_state_free(void *p)
{
	struct github_state *st = p;

	if (!st)
		return;
	if (st->request_token)
		memset(st->request_token, 0, strlen(st->request_token));
	free(st->request_token);
	free(st->subject);
	free(st);
}

static void github_error(struct emu_response *resp, int status,
			 const char *message)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "message", message);
	emu_response_json(resp, status, body);
	resp->error_code = status == 401 ? "Unauthorized" : "BadRequest";
}

static void id_token(struct emu_request *req, struct emu_response *resp)
{
	struct github_state *st = req->state;
	const char *auth = emu_request_header(req, "Authorization");
	const char *audience = emu_request_query(req, "audience");
	int64_t now = emu_workspace_now_ms(req->ws) / 1000;
	const char *colon;
	char *owner, *repo, *jwt;
	cJSON *claims, *body;

	if (!auth || !emu_strcaseprefix(auth, "Bearer ") ||
	    !st->request_token ||
	    !emu_secret_equal(st->request_token, auth + strlen("Bearer "))) {
		github_error(resp, 401,
			     "The request token is missing, expired or not "
			     "valid for this run.");
		return;
	}
	if (!emu_request_query(req, "api-version")) {
		github_error(resp, 400, "api-version is required.");
		return;
	}
	/* repo:OWNER/REPO:...: the repository and its owner's URL. */
	colon = strncmp(st->subject, "repo:", 5) == 0
			? strchr(st->subject + 5, ':')
			: NULL;
	repo = colon ? emu_printf("%.*s", (int)(colon - st->subject - 5),
				  st->subject + 5)
		     : emu_xstrdup("brickform/e2e");
	owner = emu_printf("https://github.com/%.*s", (int)strcspn(repo, "/"),
			   repo);
	claims = cJSON_CreateObject();
	cJSON_AddStringToObject(claims, "iss", GH_ISSUER);
	cJSON_AddStringToObject(claims, "sub", st->subject);
	cJSON_AddStringToObject(claims, "aud",
				audience && audience[0] ? audience : owner);
	cJSON_AddStringToObject(claims, "repository", repo);
	emu_json_add_int64(claims, "iat", now);
	emu_json_add_int64(claims, "nbf", now - 5);
	emu_json_add_int64(claims, "exp", now + st->ttl_s);
	jwt = emu_jwt_make(claims);
	cJSON_Delete(claims);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "value", jwt);
	emu_response_json(resp, 200, body);
	memset(jwt, 0, strlen(jwt));
	free(jwt);
	free(repo);
	free(owner);
}

static cJSON *control_view(const struct github_state *st)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddBoolToObject(body, "request_token_set",
			      st->request_token != NULL);
	cJSON_AddStringToObject(body, "subject", st->subject);
	cJSON_AddStringToObject(body, "issuer", GH_ISSUER);
	emu_json_add_int64(body, "token_ttl_seconds", st->ttl_s);
	return body;
}

static void control_get(struct emu_request *req, struct emu_response *resp)
{
	emu_response_json(resp, 200, control_view(req->state));
}

static void control_set(struct emu_request *req, struct emu_response *resp)
{
	struct github_state *st = req->state;
	const cJSON *ttl = emu_json_member(req->json, "token_ttl_seconds");
	const char *tok = emu_json_str(req->json, "request_token");
	const char *sub = emu_json_str(req->json, "subject");
	int64_t v = 0;

	if (ttl && (emu_json_int(&v, ttl) < 0 || v < 1 || v > 86400)) {
		emu_error_invalid(resp, "token_ttl_seconds must be a whole "
					"number of seconds from 1 to 86400.");
		return;
	}
	if (sub && sub[0] == '\0') {
		emu_error_invalid(resp, "subject must not be empty.");
		return;
	}
	if (tok) {
		if (st->request_token)
			memset(st->request_token, 0, strlen(st->request_token));
		free(st->request_token);
		st->request_token = tok[0] ? emu_xstrdup(tok) : NULL;
	}
	if (sub) {
		free(st->subject);
		st->subject = emu_xstrdup(sub);
	}
	if (ttl)
		st->ttl_s = v;
	emu_response_json(resp, 200, control_view(st));
}

static const struct emu_route github_routes[] = {
	{.method = "GET",
	 .pattern = "/github-actions/idtoken",
	 .handler = id_token,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_SECRET_ARGS},
	{.method = "GET",
	 .pattern = "/_emulator/github",
	 .handler = control_get,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG},
	{.method = "POST",
	 .pattern = "/_emulator/github",
	 .handler = control_set,
	 .flags = EMU_ROUTE_NO_AUTH | EMU_ROUTE_NO_LOG | EMU_ROUTE_SECRET_ARGS},
	EMU_ROUTE_END,
};

const struct emu_module emu_module_github = {
	.name = "github",
	.routes = github_routes,
	.state_new = github_state_new,
	.state_free = github_state_free,
};
