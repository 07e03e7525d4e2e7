/*
 * Bearer-token and basic checks; see auth.h. Tokens and passwords are
 * compared in constant time for the length of the candidate so that even
 * a test double does not teach bad habits; no token or password is ever
 * logged or echoed in an error.
 */
#include "auth.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "util.h"

/* Issued (OAuth) tokens kept at most; the oldest are forgotten first, so
 * an emulator left running issues tokens in constant memory. */
#define MAX_ISSUED_TOKENS 10000

struct auth_token {
	char *token;
	char *principal;
	int64_t expires_ms; /* 0 = never */
	bool from_config;   /* --token: survives emu_auth_reset */
};

struct basic_user {
	char *user;
	char *password;
};

struct emu_auth {
	struct auth_token *tokens;
	size_t ntokens;
	struct basic_user *basic;
	size_t nbasic;
	bool open; /* no --token: any bearer token is the default principal */
	char *default_principal;
};

static void add_token(struct emu_auth *auth, const char *token,
		      const char *principal, int64_t expires_ms,
		      bool from_config)
{
	struct auth_token *t;

	auth->tokens =
		emu_xrealloc(auth->tokens, (auth->ntokens + 1) * sizeof(*t));
	t = &auth->tokens[auth->ntokens++];
	t->token = emu_xstrdup(token);
	t->principal = emu_xstrdup(principal);
	t->expires_ms = expires_ms;
	t->from_config = from_config;
}

struct emu_auth *emu_auth_new(const char *const *tokens, size_t ntokens,
			      const char *default_principal)
{
	struct emu_auth *auth = emu_xcalloc(1, sizeof(*auth));
	size_t i;

	auth->open = ntokens == 0;
	auth->default_principal = emu_xstrdup(default_principal);
	for (i = 0; i < ntokens; i++)
		add_token(auth, tokens[i], default_principal, 0, true);
	return auth;
}

static void free_token(struct auth_token *t)
{
	free(t->token);
	free(t->principal);
}

void emu_auth_free(struct emu_auth *auth)
{
	size_t i;

	if (!auth)
		return;
	for (i = 0; i < auth->ntokens; i++)
		free_token(&auth->tokens[i]);
	free(auth->tokens);
	for (i = 0; i < auth->nbasic; i++) {
		free(auth->basic[i].user);
		free(auth->basic[i].password);
	}
	free(auth->basic);
	free(auth->default_principal);
	free(auth);
}

void emu_auth_add_token(struct emu_auth *auth, const char *token,
			const char *principal, int64_t expires_ms)
{
	size_t i, issued = 0;

	for (i = 0; i < auth->ntokens; i++)
		issued += !auth->tokens[i].from_config;
	if (issued >= MAX_ISSUED_TOKENS) {
		for (i = 0; auth->tokens[i].from_config; i++)
			;
		free_token(&auth->tokens[i]);
		memmove(&auth->tokens[i], &auth->tokens[i + 1],
			(auth->ntokens - i - 1) * sizeof(auth->tokens[0]));
		auth->ntokens--;
	}
	add_token(auth, token, principal, expires_ms, false);
}

void emu_auth_remove_token(struct emu_auth *auth, const char *token)
{
	size_t i;

	for (i = 0; i < auth->ntokens; i++) {
		if (auth->tokens[i].from_config ||
		    strcmp(auth->tokens[i].token, token) != 0)
			continue;
		free_token(&auth->tokens[i]);
		memmove(&auth->tokens[i], &auth->tokens[i + 1],
			(auth->ntokens - i - 1) * sizeof(auth->tokens[0]));
		auth->ntokens--;
		return;
	}
}

void emu_auth_add_basic(struct emu_auth *auth, const char *user,
			const char *password)
{
	struct basic_user *b = NULL;
	size_t i;

	for (i = 0; i < auth->nbasic && !b; i++)
		if (strcmp(auth->basic[i].user, user) == 0)
			b = &auth->basic[i];
	if (!b) {
		auth->basic = emu_xrealloc(auth->basic,
					   (auth->nbasic + 1) * sizeof(*b));
		b = &auth->basic[auth->nbasic++];
		b->user = emu_xstrdup(user);
	} else {
		free(b->password);
	}
	b->password = emu_xstrdup(password);
}

void emu_auth_reset(struct emu_auth *auth)
{
	size_t i, kept = 0;

	for (i = 0; i < auth->ntokens; i++) {
		if (auth->tokens[i].from_config)
			auth->tokens[kept++] = auth->tokens[i];
		else
			free_token(&auth->tokens[i]);
	}
	auth->ntokens = kept;
}

static bool token_equal(const char *known, const char *given)
{
	size_t n = strlen(known), m = strlen(given), i;
	unsigned char diff = n != m;

	for (i = 0; i < m; i++)
		diff |= (unsigned char)(given[i] ^ known[i < n ? i : 0]);
	return diff == 0;
}

/*
 * A Basic header (text after "Basic ") against the basic users: 0 with
 * *principal set, or -1 with the 401 in resp. The password is compared
 * even for an unknown user, so the time does not tell which was wrong.
 */
static int basic_check(const char **principal, const struct emu_auth *auth,
		       const char *text, struct emu_response *resp)
{
	const struct basic_user *found = NULL;
	unsigned char *raw = NULL;
	size_t raw_len = 0, i;
	char *colon = NULL;
	bool ok = false;

	while (*text == ' ')
		text++;
	/* The decoded text ends with a NUL (emu_base64_decode). */
	if (emu_base64_decode(&raw, &raw_len, text, strlen(text)) == 0 &&
	    !memchr(raw, '\0', raw_len))
		colon = strchr((char *)raw, ':');
	if (colon) {
		*colon = '\0';
		for (i = 0; i < auth->nbasic && !found; i++)
			if (strcmp(auth->basic[i].user, (char *)raw) == 0)
				found = &auth->basic[i];
		ok = token_equal(found ? found->password : "", colon + 1) &&
		     found;
	}
	free(raw);
	if (ok) {
		*principal = found->user;
		return 0;
	}
	return emu_error(resp, 401, "UNAUTHENTICATED",
			 "Invalid username or password.");
}

int emu_auth_check(const char **principal, const struct emu_auth *auth,
		   const char *authorization, int64_t now_ms,
		   struct emu_response *resp)
{
	const char *token;
	size_t i;

	*principal = NULL;
	if (authorization && auth->nbasic > 0 &&
	    emu_strcaseprefix(authorization, "Basic "))
		return basic_check(principal, auth,
				   authorization + strlen("Basic "), resp);
	if (!authorization || !emu_strcaseprefix(authorization, "Bearer "))
		goto unauthenticated;
	token = authorization + strlen("Bearer ");
	while (*token == ' ')
		token++;
	if (*token == '\0')
		goto unauthenticated;

	for (i = 0; i < auth->ntokens; i++) {
		const struct auth_token *t = &auth->tokens[i];

		if (!token_equal(t->token, token))
			continue;
		if (t->expires_ms != 0 && now_ms >= t->expires_ms)
			/* Even an open table refuses an expired OAuth token:
			 * the client must fetch a new one. */
			return emu_error(resp, 401, "UNAUTHENTICATED",
					 "Token is expired. Please request a "
					 "new access token.");
		*principal = t->principal;
		return 0;
	}
	if (auth->open) {
		*principal = auth->default_principal;
		return 0;
	}
	return emu_error(resp, 403, "PERMISSION_DENIED",
			 "Invalid access token.");

unauthenticated:
	/* The real service's wording for a missing or non-bearer header. */
	return emu_error(resp, 401, "UNAUTHENTICATED",
			 "Credential was not sent or was of an unsupported "
			 "type for this API.");
}
