/*
 * Request and response objects and target decoding; see http.h. Nothing
 * here knows libmicrohttpd, routes, the workspace, or Databricks errors.
 *
 * Invariant: every string reachable from a request is valid UTF-8 without
 * NUL bytes, or the request is flagged bad_target; the router rejects those
 * before any handler or log sees them. That keeps every echo of the path or
 * a query value in a JSON response well formed.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* --- requests ------------------------------------------------------------- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int emu_percent_decode(char **out, const char *s, size_t n, bool plus_is_space)
{
	char *buf = emu_xmalloc(n + 1);
	size_t i, o = 0;

	*out = NULL;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3)
				goto fail;
			hi = hex_value(s[i + 1]);
			lo = hex_value(s[i + 2]);
			if (hi < 0 || lo < 0)
				goto fail;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			goto fail;
		buf[o++] = c;
	}
	buf[o] = '\0';
	if (!emu_utf8_valid(buf, o))
		goto fail;
	*out = buf;
	return 0;

fail:
	free(buf);
	return -1;
}

static void add_kv(struct emu_kv **list, size_t *n, char *name, char *value)
{
	*list = emu_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[*n].name = name;
	(*list)[*n].value = value;
	(*n)++;
}

static void parse_query(struct emu_request *req)
{
	const char *p = req->query_string;

	while (*p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		char *key = NULL, *value = NULL;

		/* Empty pieces ("a=1&&b=2", a trailing '&') carry nothing. */
		if (len > 0) {
			if (emu_percent_decode(&key, p, klen, true) < 0 ||
			    emu_percent_decode(&value, eq ? eq + 1 : p + len,
					       eq ? len - klen - 1 : 0,
					       true) < 0) {
				free(key);
				req->bad_target = true;
				return;
			}
			add_kv(&req->query, &req->nquery, key, value);
		}
		if (!amp)
			break;
		p = amp + 1;
	}
}

/* A printable-ASCII copy of s ('?' for anything else), for logging a
 * target that failed to decode. */
static char *printable(const char *s)
{
	char *copy = emu_xstrdup(s), *p;

	for (p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
			*p = '?';
	return copy;
}

static void mark_bad_target(struct emu_request *req)
{
	char *s;

	req->bad_target = true;
	s = printable(req->method);
	free(req->method);
	req->method = s;
	s = printable(req->raw_path);
	free(req->path);
	req->path = s;
	s = printable(req->query_string);
	free(req->query_string);
	req->query_string = s;
}

void emu_request_init(struct emu_request *req, const char *method,
		      const char *target, const char *body, size_t body_len)
{
	const char *q;
	size_t path_len;

	memset(req, 0, sizeof(*req));
	req->method = emu_xstrdup(method);
	q = strchr(target, '?');
	path_len = q ? (size_t)(q - target) : strlen(target);
	req->raw_path = emu_xmemdup0(target, path_len);
	req->query_string = emu_xstrdup(q ? q + 1 : "");
	if (body) {
		req->body = emu_xmemdup0(body, body_len);
		req->body_len = body_len;
	}

	/* Paths are decoded without the '+' rule: it only applies to
	 * form-encoded query strings. */
	if (emu_percent_decode(&req->path, req->raw_path, path_len, false) <
		    0 ||
	    !emu_utf8_valid(req->method, strlen(req->method)) ||
	    !emu_utf8_valid(req->query_string, strlen(req->query_string))) {
		mark_bad_target(req);
		return;
	}
	parse_query(req);
	if (req->bad_target)
		mark_bad_target(req);
}

void emu_request_add_header(struct emu_request *req, const char *name,
			    const char *value)
{
	add_kv(&req->headers, &req->nheaders, emu_xstrdup(name),
	       emu_xstrdup(value));
}

static void free_kvs(struct emu_kv *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].value);
	}
	free(list);
}

void emu_request_dispose(struct emu_request *req)
{
	size_t i;

	free(req->method);
	free(req->raw_path);
	free(req->path);
	free(req->query_string);
	free_kvs(req->query, req->nquery);
	free_kvs(req->headers, req->nheaders);
	free(req->body);
	cJSON_Delete(req->json);
	for (i = 0; i < req->nparams; i++) {
		free(req->params[i].name);
		free(req->params[i].value);
	}
	memset(req, 0, sizeof(*req));
}

const char *emu_request_header(const struct emu_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (emu_strcaseeq(req->headers[i].name, name))
			return req->headers[i].value;
	return NULL;
}

const char *emu_request_query(const struct emu_request *req, const char *key)
{
	return emu_request_query_nth(req, key, 0);
}

size_t emu_request_query_count(const struct emu_request *req, const char *key)
{
	size_t i, n = 0;

	for (i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].name, key) == 0)
			n++;
	return n;
}

const char *emu_request_query_nth(const struct emu_request *req,
				  const char *key, size_t nth)
{
	size_t i;

	for (i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].name, key) == 0 && nth-- == 0)
			return req->query[i].value;
	return NULL;
}

const char *emu_request_param(const struct emu_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}

bool emu_request_has_json_body(const struct emu_request *req)
{
	return strcmp(req->method, "POST") == 0 ||
	       strcmp(req->method, "PUT") == 0 ||
	       strcmp(req->method, "PATCH") == 0;
}

/* --- responses ------------------------------------------------------------ */

void emu_response_init(struct emu_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
}

void emu_response_dispose(struct emu_response *resp)
{
	cJSON_Delete(resp->body);
	free_kvs(resp->headers, resp->nheaders);
	memset(resp, 0, sizeof(*resp));
}

void emu_response_json(struct emu_response *resp, int status, cJSON *body)
{
	if (resp->body != body)
		cJSON_Delete(resp->body);
	resp->status = status;
	resp->body = body;
	resp->error_code = NULL;
}

void emu_response_set_header(struct emu_response *resp, const char *name,
			     const char *value)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++) {
		if (emu_strcaseeq(resp->headers[i].name, name)) {
			free(resp->headers[i].value);
			resp->headers[i].value = emu_xstrdup(value);
			return;
		}
	}
	add_kv(&resp->headers, &resp->nheaders, emu_xstrdup(name),
	       emu_xstrdup(value));
}

const char *emu_response_header(const struct emu_response *resp,
				const char *name)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++)
		if (emu_strcaseeq(resp->headers[i].name, name))
			return resp->headers[i].value;
	return NULL;
}

char *emu_response_text(const struct emu_response *resp)
{
	char *printed, *text;

	if (!resp->body)
		return emu_xstrdup("{}");
	printed = cJSON_PrintUnformatted(resp->body);
	if (!printed)
		return emu_xstrdup("{}");
	/* Hand back memory from our allocator so callers use plain free(). */
	text = emu_xstrdup(printed);
	cJSON_free(printed);
	return text;
}

char *emu_form_value(const char *body, size_t len, const char *name)
{
	const char *p = body, *end = body + len;
	size_t n = strlen(name);

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		char *key = NULL, *value = NULL;

		if (eq &&
		    emu_percent_decode(&key, p, (size_t)(eq - p), true) == 0) {
			bool match =
				strlen(key) == n && memcmp(key, name, n) == 0;

			free(key);
			if (match) {
				if (emu_percent_decode(&value, eq + 1,
						       (size_t)(stop - eq - 1),
						       true) < 0)
					return NULL;
				return value;
			}
		}
		p = stop + 1;
	}
	return NULL;
}

bool emu_secret_equal(const char *known, const char *given)
{
	size_t n = strlen(known), m = strlen(given), i;
	unsigned char diff = n != m;

	for (i = 0; i < m; i++)
		diff |= (unsigned char)(given[i] ^ known[i < n ? i : 0]);
	return diff == 0;
}
