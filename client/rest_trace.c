/*
 * What the REST client shows of its traffic: the trace facet.
 *
 * Redaction first: any echo of the token in text from the workspace
 * becomes "<redacted>" (tfp_rest__redact), and so do the values of secret
 * keys (string_value, client_secret, access_token ...) at any depth of a
 * JSON body, and the values of the Authorization, Cookie and Set-Cookie
 * headers. Then TRACE logging: curl's verbose output goes only through
 * tfp_rest__debug_cb, which logs headers redacted and curl's body chunks
 * by size only; with debug_headers each attempt's request and reply bodies
 * are logged, redacted, then cut to debug_truncate_bytes. Nothing here
 * decides anything about a call.
 */
#include "rest.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "log.h"
#include "rest_internal.h"

/* --- redaction ----------------------------------------------------------- */

/* Blanks out any echo of the token in text from the workspace. */
const char *tfp_rest__redact(struct tfp_arena *a, const char *s,
                             const char *secret)
{
	struct tfp_rest__buf b;
	const char *p, *hit;
	size_t n;
	char *out;

	if (s == NULL || secret == NULL || secret[0] == '\0' ||
	    strstr(s, secret) == NULL)
		return s;
	n = strlen(secret);
	tfp_rest__buf_init(&b, SIZE_MAX);
	p = s;
	hit = strstr(p, secret);
	while (hit != NULL) {
		tfp_rest__buf_append(&b, p, (size_t)(hit - p));
		tfp_rest__buf_puts(&b, "<redacted>");
		p = hit + n;
		hit = strstr(p, secret);
	}
	tfp_rest__buf_puts(&b, p);
	out = tfp_arena_strndup(a, b.data, b.len);
	tfp_rest__buf_dispose(&b);
	return out;
}

/* --- TRACE logging ------------------------------------------------------- */

/* Logs one header block line by line, blanking credentials. */
static void rest_trace_headers(char dir, const char *data, size_t size)
{
	/* The Azure and Google secondary tokens are credentials too. */
	static const char *const hidden[] = {
	        "authorization:", "cookie:", "set-cookie:",
	        "x-databricks-azure-sp-management-token:",
	        "x-databricks-gcp-sa-access-token:"};
	const char *p = data, *end = data + size;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((eol ? eol : end) - p), i, name = 0;

		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
			n--;
		for (i = 0; i < TFP_ARRAY_SIZE(hidden); i++)
			if (n >= strlen(hidden[i]) &&
			    strncasecmp(p, hidden[i], strlen(hidden[i])) == 0)
				name = strlen(hidden[i]);
		if (name > 0)
			tfp_log(TFP_LOG_TRACE, REST_LOG, "%c %.*s <redacted>",
			        dir, (int)name, p);
		else if (n > 0)
			tfp_log(TFP_LOG_TRACE, REST_LOG, "%c %.*s", dir, (int)n,
			        p);
		p = eol ? eol + 1 : end;
	}
}

int tfp_rest__debug_cb(CURL *h, curl_infotype type, char *data, size_t size,
                       void *userp)
{
	size_t n = size;

	(void)h;
	(void)userp;
	switch (type) {
	case CURLINFO_TEXT:
		tfp_rest__trim(data, &n);
		tfp_log(TFP_LOG_TRACE, REST_LOG, "* %.*s", (int)n, data);
		break;
	case CURLINFO_HEADER_OUT:
		rest_trace_headers('>', data, size);
		break;
	case CURLINFO_HEADER_IN:
		rest_trace_headers('<', data, size);
		break;
	case CURLINFO_DATA_OUT:
		/* Bodies carry sensitive attribute values: sizes only. */
		tfp_log(TFP_LOG_TRACE, REST_LOG, "> [%zu bytes of body]", size);
		break;
	case CURLINFO_DATA_IN:
		tfp_log(TFP_LOG_TRACE, REST_LOG, "< [%zu bytes of body]", size);
		break;
	default:
		break;
	}
	return 0;
}

/* Keys whose values never reach a log, wherever they are in a body. */
static bool rest_secret_key(const char *k)
{
	static const char *const keys[] = {
	        "string_value", "bytes_value",   "client_secret",
	        "access_token", "refresh_token", "id_token",
	        "token_value",  "password",      "private_key",
	        "personal_access_token",
	        "secret",       "secret_access_key",
	        /* Unity Catalog connection options the workspace never
	         * answers either (databricks_connection). */
	        "personalAccessToken", "OAuthPvtKey",
	        "GoogleServiceAccountKeyJson",
	};
	size_t i;

	for (i = 0; k != NULL && i < TFP_ARRAY_SIZE(keys); i++)
		if (strcasecmp(k, keys[i]) == 0)
			return true;
	return false;
}

/* Replaces the values of secret keys in a JSON tree with "<redacted>". */
void tfp_rest__redact_json(cJSON *node)
{
	cJSON *item;

	cJSON_ArrayForEach(item, node)
	{
		if (rest_secret_key(item->string) && !cJSON_IsObject(item) &&
		    !cJSON_IsArray(item)) {
			cJSON *blank = cJSON_CreateString("<redacted>");

			if (blank == NULL) {
				fprintf(stderr,
				        "brickform: out of memory (cJSON)\n");
				abort();
			}
			/* Through the pointer, so a body that repeats the key
			 * ({"password":"a","password":"b"}) has each member
			 * replaced in turn (a replace by key would find the
			 * first one again, forever); the name is copied so it
			 * stays in the log. */
			blank->string = cJSON_malloc(strlen(item->string) + 1);
			if (blank->string == NULL) {
				fprintf(stderr,
				        "brickform: out of memory (cJSON)\n");
				abort();
			}
			memcpy(blank->string, item->string,
			       strlen(item->string) + 1);
			cJSON_ReplaceItemViaPointer(node, item, blank);
			item = blank;
		} else {
			tfp_rest__redact_json(item);
		}
	}
}

/* One body at TRACE: JSON with secret values redacted, cut to the
 * configured size; any other text only cleaned, token echoes blanked. */
static void rest_trace_body(struct tfp_rest__req *q, char dir, const char *text,
                            size_t len)
{
	struct tfp_arena *a = q->call->arena;
	const char *shown;
	cJSON *tree;
	char *printed = NULL;

	if (text == NULL || len == 0)
		return;
	tree = cJSON_ParseWithLength(text, len);
	if (tree != NULL) {
		tfp_rest__redact_json(tree);
		printed = cJSON_PrintUnformatted(tree);
		cJSON_Delete(tree);
	}
	if (printed != NULL)
		shown = tfp_rest__clean(a, printed, strlen(printed),
		                        (size_t)q->r->debug_truncate_bytes);
	else
		shown = tfp_rest__clean(a, text, len,
		                        (size_t)q->r->debug_truncate_bytes);
	cJSON_free(printed);
	shown = tfp_rest__redact(a, shown, q->r->token);
	tfp_log(TFP_LOG_TRACE, REST_LOG, "%c %s %s body (%zu bytes): %s", dir,
	        q->method, q->path, len, shown);
}

/* With debug_headers, TRACE shows the bodies of each attempt. */
void tfp_rest__trace_bodies(struct tfp_rest__req *q,
                            struct tfp_rest__reply *rep)
{
	if (!q->r->debug_headers || !tfp_log_enabled(TFP_LOG_TRACE))
		return;
	rest_trace_body(q, '>', q->body, q->body_len);
	if (rep->result == CURLE_OK)
		rest_trace_body(q, '<', rep->body.data, rep->body.len);
}
