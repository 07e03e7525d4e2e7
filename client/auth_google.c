/*
 * The pure part of google-credentials (see auth.h): reading a Google
 * service account key (the JSON file `gcloud iam service-accounts keys
 * create` writes: type "service_account", client_email, private_key (PEM),
 * private_key_id, token_uri) and signing the JWT bearer assertion (RFC
 * 7523) that Google's token endpoint exchanges for an ID token
 * (target_audience: the workspace URL, as the Go SDK's idtoken package
 * asks) or an access token (scope: cloud-platform). RS256 with OpenSSL.
 * Nothing here logs; the key and the assertion are secrets the caller
 * wipes.
 */
#include "auth.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"

#define GOOGLE_TOKEN_URI "https://oauth2.googleapis.com/token"

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Base64url without padding (RFC 7515 §2), malloc'd. */
static char *b64url_encode(const unsigned char *p, size_t n)
{
	return tfp_auth__base64(p, n, true);
}

static int b64url_value(char c)
{
	const char *p = c ? strchr(b64url, c) : NULL;

	return p ? (int)(p - b64url) : -1;
}

/* Base64url (padding tolerated) into a malloc'd NUL-terminated buffer;
 * NULL when it is not base64url. */
static char *b64url_decode(const char *s, size_t n)
{
	char *out = tfp_xmalloc(n / 4 * 3 + 4);
	size_t i, o = 0;
	unsigned acc = 0;
	int bits = 0, v;

	while (n > 0 && s[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		v = b64url_value(s[i]);
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

int tfp_auth_google_key_parse(struct tfp_google_key *k, const char **why,
			      struct tfp_arena *a, const char *json)
{
	cJSON *tree = cJSON_Parse(json ? json : "");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(tree, "type");
	const cJSON *email =
		cJSON_GetObjectItemCaseSensitive(tree, "client_email");
	const cJSON *key =
		cJSON_GetObjectItemCaseSensitive(tree, "private_key");
	const cJSON *kid =
		cJSON_GetObjectItemCaseSensitive(tree, "private_key_id");
	const cJSON *uri = cJSON_GetObjectItemCaseSensitive(tree, "token_uri");
	int error = TFP_ERROR;

	memset(k, 0, sizeof(*k));
	if (!cJSON_IsObject(tree))
		*why = "google_credentials is neither a readable file nor "
		       "JSON";
	else if (!cJSON_IsString(type) ||
		 strcmp(type->valuestring, "service_account") != 0)
		*why = "google_credentials is not a service account key "
		       "(\"type\": \"service_account\")";
	else if (!cJSON_IsString(email) || email->valuestring[0] == '\0')
		*why = "the service account key has no client_email";
	else if (!cJSON_IsString(key) ||
		 strstr(key->valuestring, "PRIVATE KEY") == NULL)
		*why = "the service account key has no PEM private_key";
	else if (cJSON_IsString(uri) &&
		 strncmp(uri->valuestring, "https://", 8) != 0 &&
		 !tfp_auth_url_is_localhost(uri->valuestring))
		*why = "the service account key's token_uri is not an "
		       "https:// URL";
	else {
		k->client_email = tfp_arena_strdup(a, email->valuestring);
		k->private_key = tfp_arena_strdup(a, key->valuestring);
		k->key_id = cJSON_IsString(kid) && kid->valuestring[0] != '\0'
				    ? tfp_arena_strdup(a, kid->valuestring)
				    : NULL;
		k->token_uri = tfp_arena_strdup(a, cJSON_IsString(uri)
							   ? uri->valuestring
							   : GOOGLE_TOKEN_URI);
		error = TFP_OK;
	}
	if (cJSON_IsString(key))
		memset(key->valuestring, 0, strlen(key->valuestring));
	cJSON_Delete(tree);
	return error;
}

char *tfp_auth_jwt_rs256(const char **why, const char *pem, const char *kid,
			 const char *claims)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *pkey =
		bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	EVP_MD_CTX *md = NULL;
	cJSON *hdr = cJSON_CreateObject();
	char *htext, *h64, *c64, *input = NULL, *s64, *out = NULL;
	unsigned char *sig = NULL;
	size_t siglen = 0, n;

	BIO_free(bio);
	cJSON_AddStringToObject(hdr, "alg", "RS256");
	cJSON_AddStringToObject(hdr, "typ", "JWT");
	if (kid != NULL)
		cJSON_AddStringToObject(hdr, "kid", kid);
	htext = cJSON_PrintUnformatted(hdr);
	cJSON_Delete(hdr);
	h64 = b64url_encode((const unsigned char *)htext, strlen(htext));
	c64 = b64url_encode((const unsigned char *)claims, strlen(claims));
	cJSON_free(htext);
	if (pkey == NULL || EVP_PKEY_base_id(pkey) != EVP_PKEY_RSA) {
		*why = "the service account key's private_key is not an RSA "
		       "key in PEM";
		goto done;
	}
	n = strlen(h64) + 1 + strlen(c64) + 1;
	input = tfp_xmalloc(n);
	snprintf(input, n, "%s.%s", h64, c64);
	md = EVP_MD_CTX_new();
	if (md == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, (const unsigned char *)input,
			   strlen(input)) != 1) {
		*why = "signing the JWT failed";
		goto done;
	}
	sig = tfp_xmalloc(siglen);
	if (EVP_DigestSign(md, sig, &siglen, (const unsigned char *)input,
			   strlen(input)) != 1) {
		*why = "signing the JWT failed";
		goto done;
	}
	s64 = b64url_encode(sig, siglen);
	n = strlen(input) + 1 + strlen(s64) + 1;
	out = tfp_xmalloc(n);
	snprintf(out, n, "%s.%s", input, s64);
	free(s64);
done:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pkey);
	free(sig);
	free(input);
	free(h64);
	free(c64);
	return out;
}

long long tfp_auth_jwt_exp(const char *jwt)
{
	const char *p = jwt ? strchr(jwt, '.') : NULL, *q;
	char *payload;
	cJSON *tree;
	const cJSON *exp;
	long long out = -1;

	if (p == NULL)
		return -1;
	q = strchr(p + 1, '.');
	if (q == NULL || (size_t)(q - p - 1) > 65536)
		return -1;
	payload = b64url_decode(p + 1, (size_t)(q - p - 1));
	if (payload == NULL)
		return -1;
	tree = cJSON_Parse(payload);
	exp = cJSON_GetObjectItemCaseSensitive(tree, "exp");
	if (cJSON_IsNumber(exp) && exp->valuedouble > 0 &&
	    exp->valuedouble < 1e11)
		out = (long long)exp->valuedouble;
	cJSON_Delete(tree);
	free(payload);
	return out;
}
