/*
 * Authentication of emulated API calls: bearer tokens and basic users.
 *
 * Every API route except discovery and the test controls needs
 * "Authorization: Bearer <token>" (databricks-rest-api.md §1.1, §2.4).
 * Without the header, or with another scheme, the answer is 401
 * UNAUTHENTICATED; with a token the emulator does not know, 403
 * PERMISSION_DENIED "Invalid access token.", as the real service answers.
 *
 * "Authorization: Basic base64(user:password)" is accepted too once basic
 * users are configured (--basic-user, emu_auth_add_basic): the user is
 * the principal. A wrong password or an unknown user is 401
 * UNAUTHENTICATED "Invalid username or password." Databricks answers a
 * refused login with 401 (the SDKs map it to UNAUTHENTICATED); no public
 * source quotes its message, so that wording is ours. Without basic users
 * a Basic header is refused as any other unsupported scheme.
 *
 * Tokens come from --token (personal access tokens of the workspace user).
 * With none configured the table is "open": any bearer token is accepted
 * as the workspace user, but the header is still required, so a client
 * that forgets to authenticate fails as it would against Databricks. Later
 * modules (the OAuth token endpoint) add tokens with their own principal
 * and expiry through emu_auth_add_token.
 *
 * Not thread-safe by itself: the workspace lock protects it.
 */
#ifndef EMU_AUTH_H
#define EMU_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct emu_auth;
struct emu_response;

/**
 * A new token table accepting tokens[0..ntokens) as default_principal
 * (copied). ntokens == 0 makes it open (see above). Free with
 * emu_auth_free.
 */
struct emu_auth *emu_auth_new(const char *const *tokens, size_t ntokens,
			      const char *default_principal);
/** Frees the table; NULL is fine. */
void emu_auth_free(struct emu_auth *auth);

/**
 * Accepts token as principal until expires_ms (epoch ms; 0 = never);
 * afterwards it is refused with 401 UNAUTHENTICATED "Token is expired."
 * Both strings are copied. At most 10,000 such tokens are kept (the
 * oldest are forgotten first).
 */
void emu_auth_add_token(struct emu_auth *auth, const char *token,
			const char *principal, int64_t expires_ms);

/** Stops accepting a token added with emu_auth_add_token (a revoked PAT). */
void emu_auth_remove_token(struct emu_auth *auth, const char *token);

/**
 * Accepts "Authorization: Basic base64(user:password)" with user as the
 * principal (both copied). The user may not contain ':' (RFC 7617). A
 * second call for the same user replaces its password. Survives
 * emu_auth_reset.
 */
void emu_auth_add_basic(struct emu_auth *auth, const char *user,
			const char *password);

/** Forgets the tokens added with emu_auth_add_token; keeps --token ones
 * and the basic users. */
void emu_auth_reset(struct emu_auth *auth);

/**
 * Checks an Authorization header value (NULL when absent) at time now_ms.
 * Returns 0 and sets *principal (borrowed from auth) on success; otherwise
 * writes the 401 or 403 error into resp and returns -1.
 */
int emu_auth_check(const char **principal, const struct emu_auth *auth,
		   const char *authorization, int64_t now_ms,
		   struct emu_response *resp);

#endif
