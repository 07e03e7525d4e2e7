/*
 * JWT-shaped tokens of the identity stand-ins; see jwt.h.
 */
#include "jwt.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

static char *b64url_encode(const unsigned char *p, size_t n)
{
	char *s = emu_base64_encode(p, n);
	size_t i, m = strlen(s);

	while (m > 0 && s[m - 1] == '=')
		s[--m] = '\0';
	for (i = 0; i < m; i++)
		s[i] = s[i] == '+' ? '-' : s[i] == '/' ? '_' : s[i];
	return s;
}

char *emu_jwt_make(const cJSON *claims)
{
	static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\","
				     "\"kid\":\"brickform-emulator\"}";
	char *text = cJSON_PrintUnformatted(claims);
	char *h = b64url_encode((const unsigned char *)header, strlen(header));
	char *p = b64url_encode((const unsigned char *)text, strlen(text));
	char *sig = emu_random_token("", 32);
	char *out = emu_printf("%s.%s.%s", h, p, sig);

	cJSON_free(text);
	free(h);
	free(p);
	free(sig);
	return out;
}

cJSON *emu_jwt_claims(const char *jwt)
{
	const char *dot1, *dot2;
	unsigned char *raw = NULL;
	size_t n, i, len = 0;
	char *std;
	cJSON *out = NULL;

	if (jwt == NULL || strnlen(jwt, EMU_JWT_MAX + 1) > EMU_JWT_MAX)
		return NULL;
	dot1 = strchr(jwt, '.');
	dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (dot1 == NULL || dot2 == NULL || strchr(dot2 + 1, '.') != NULL ||
	    dot1 == jwt || dot2 == dot1 + 1 || dot2[1] == '\0')
		return NULL;
	/* Base64url into the standard alphabet, padded, for the decoder. */
	n = (size_t)(dot2 - dot1 - 1);
	std = emu_xmalloc(n + 4);
	for (i = 0; i < n; i++) {
		char c = dot1[1 + i];

		if (c == '+' || c == '/' || c == '=') {
			free(std);
			return NULL;
		}
		std[i] = c == '-' ? '+' : c == '_' ? '/' : c;
	}
	while (i % 4 != 0)
		std[i++] = '=';
	std[i] = '\0';
	if (emu_base64_decode(&raw, &len, std, i) == 0 &&
	    memchr(raw, '\0', len) == NULL)
		out = cJSON_Parse((const char *)raw);
	free(std);
	free(raw);
	if (out != NULL && !cJSON_IsObject(out)) {
		cJSON_Delete(out);
		out = NULL;
	}
	return out;
}

static bool audience_has(const cJSON *aud, const char *audience)
{
	const cJSON *it;

	if (cJSON_IsString(aud))
		return strcmp(aud->valuestring, audience) == 0;
	if (!cJSON_IsArray(aud))
		return false;
	cJSON_ArrayForEach(it, aud)
	{
		if (cJSON_IsString(it) &&
		    strcmp(it->valuestring, audience) == 0)
			return true;
	}
	return false;
}

const char *emu_jwt_mismatch(const cJSON *claims, const char *issuer,
			     const char *subject, const char *audience,
			     int64_t now_s)
{
	const char *iss = emu_json_str(claims, "iss");
	const char *sub = emu_json_str(claims, "sub");
	const cJSON *exp = emu_json_member(claims, "exp");

	if (iss == NULL || issuer == NULL || strcmp(iss, issuer) != 0)
		return "the token's issuer (iss) is not the policy's";
	if (subject != NULL && (sub == NULL || strcmp(sub, subject) != 0))
		return "the token's subject (sub) is not the policy's";
	if (audience != NULL &&
	    !audience_has(emu_json_member(claims, "aud"), audience))
		return "the token's audience (aud) is not the policy's";
	if (!cJSON_IsNumber(exp) || exp->valuedouble <= (double)now_s)
		return "the token has expired (exp)";
	return NULL;
}
