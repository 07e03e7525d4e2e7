/*
 * JWT-shaped tokens of the identity stand-ins: GitHub Actions' ID tokens
 * (cloud/github.c), and the ID tokens that Entra ID (cloud/azure.c) and
 * the workspace's token exchange (identity/oauth.c) take as proof of a
 * federated identity. Their signature part is random and never checked:
 * what the exchanges check is the claims (issuer, subject, audience,
 * expiry), as a federation policy or a federated credential names them.
 */
#ifndef EMU_JWT_H
#define EMU_JWT_H

#include <cjson/cJSON.h>
#include <stdint.h>

/* The longest token the parser looks at (real ID tokens are ~1-2 KiB). */
#define EMU_JWT_MAX 16384

/** "header.claims.signature" over claims (RS256 header, a kid, random
 * signature), malloc'd. */
char *emu_jwt_make(const cJSON *claims);

/**
 * The claims of jwt (any text): a JSON object, caller deletes; NULL when
 * jwt is not three base64url segments whose second is a JSON object, or
 * is longer than EMU_JWT_MAX.
 */
cJSON *emu_jwt_claims(const char *jwt);

/**
 * Why claims do not fit, or NULL when they do: iss must equal issuer, sub
 * subject (NULL: any), aud audience (a string, or an array holding it;
 * NULL: any) and exp be a number after now_s. The text is static and
 * names the claim.
 */
const char *emu_jwt_mismatch(const cJSON *claims, const char *issuer,
			     const char *subject, const char *audience,
			     int64_t now_s);

#endif
