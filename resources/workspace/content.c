/*
 * The content of file-like resources (workspace_internal.h): where it
 * comes from (a local file or content_base64), its MD5 and size, moved in
 * blocks so that a 50 MB file never sits in memory whole, and the private
 * state that lets a refresh skip hashing remote content that did not
 * change.
 *
 * MD5 is what the official provider records (its `md5` attribute), so a
 * state it wrote compares equal; OpenSSL's EVP gives it in blocks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "arena.h"
#include "diag.h"
#include "jsonmap.h"
#include "path.h"
#include "value.h"
#include "workspace_internal.h"

/* --- MD5 and base64 ------------------------------------------------------- */

bool tfp_workspace__md5_init(struct tfp_md5 *m)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx != NULL && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	m->ctx = ctx;
	return ctx != NULL;
}

void tfp_workspace__md5_update(struct tfp_md5 *m, const void *p, size_t n)
{
	if (m->ctx != NULL && n > 0 && EVP_DigestUpdate(m->ctx, p, n) != 1) {
		EVP_MD_CTX_free(m->ctx);
		m->ctx = NULL;
	}
}

const char *tfp_workspace__md5_hex(struct tfp_md5 *m, struct tfp_arena *a)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	char *hex;

	if (m->ctx == NULL)
		return NULL;
	if (EVP_DigestFinal_ex(m->ctx, d, &n) != 1)
		n = 0;
	EVP_MD_CTX_free(m->ctx);
	m->ctx = NULL;
	if (n == 0)
		return NULL;
	hex = tfp_arena_alloc(a, 2 * n + 1);
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return hex;
}

void tfp_workspace__md5_abort(struct tfp_md5 *m)
{
	EVP_MD_CTX_free(m->ctx);
	m->ctx = NULL;
}

size_t tfp_workspace__b64_encode_to(char *out, const void *data, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 |
			     p[i + 2];

		out[o++] = tab[v >> 18];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = tab[(v >> 6) & 63];
		out[o++] = tab[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)p[i] << 16 |
			     (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);

		out[o++] = tab[v >> 18];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

char *tfp_workspace__b64_encode(struct tfp_arena *a, const void *data,
				size_t n)
{
	char *out = tfp_arena_alloc(a, TFP_B64_LEN(n) + 1);

	tfp_workspace__b64_encode_to(out, data, n);
	return out;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool tfp_workspace__b64_decode(unsigned char **out, size_t *n,
			       struct tfp_arena *a, const char *text)
{
	size_t total = strlen(text), len = total, pad = 0, i, o = 0;
	uint32_t acc = 0;
	int bits = 0;
	unsigned char *buf;

	/* At most two '=', only at the end of a whole quantum. */
	while (len > 0 && text[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	if ((pad > 0 && total % 4 != 0) || len % 4 == 1)
		return false;
	buf = tfp_arena_alloc(a, len * 3 / 4 + 1);
	for (i = 0; i < len; i++) {
		int v = b64_value((unsigned char)text[i]);

		if (v < 0)
			return false;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (unsigned char)(acc >> bits);
		}
	}
	*out = buf;
	*n = o;
	return true;
}

/* --- content -------------------------------------------------------------- */

static const struct tfp_path *attr_path(struct tfp_call *call, const char *n)
{
	return tfp_path_attr(call->arena, NULL, n);
}

int tfp_workspace__content_open(struct tfp_content *c, struct tfp_call *call,
				const struct tfp_value *obj)
{
	const char *source = tfp_value_get_string(obj, "source");
	const char *b64 = tfp_value_get_string(obj, "content_base64");

	memset(c, 0, sizeof(*c));
	if (source != NULL) {
		c->source = source;
		c->file = fopen(source, "rb");
		if (c->file == NULL)
			return tfp_diag_attr_error(
				call->diags, attr_path(call, "source"),
				"Cannot read the source file",
				"%s: %s.", source, strerror(errno));
	} else if (b64 != NULL) {
		unsigned char *data;
		size_t n;

		if (!tfp_workspace__b64_decode(&data, &n, call->arena, b64))
			return tfp_diag_attr_error(
				call->diags, attr_path(call, "content_base64"),
				"Invalid base64",
				"content_base64 is not base64 text.");
		c->mem = data;
		c->mem_len = n;
	} else {
		return tfp_diag_error(call->diags, "No content",
				      "Set source or content_base64.");
	}
	if (!tfp_workspace__md5_init(&c->md5)) {
		if (c->file != NULL)
			fclose(c->file);
		c->file = NULL;
		return tfp_diag_error(call->diags, "Cannot hash the content",
				      "OpenSSL could not start an MD5.");
	}
	return TFP_OK;
}

long tfp_workspace__content_read(struct tfp_content *c, struct tfp_call *call,
				 unsigned char *buf, size_t n)
{
	size_t got;

	if (c->file != NULL) {
		got = fread(buf, 1, n, c->file);
		if (got < n && ferror(c->file))
			return tfp_diag_attr_error(
				call->diags, attr_path(call, "source"),
				"Cannot read the source file", "%s: %s.",
				c->source, strerror(errno));
	} else {
		got = c->mem_len - c->mem_off < n ? c->mem_len - c->mem_off : n;
		if (got > 0)
			memcpy(buf, c->mem + c->mem_off, got);
		c->mem_off += got;
	}
	tfp_workspace__md5_update(&c->md5, buf, got);
	c->size += (int64_t)got;
	return (long)got;
}

const char *tfp_workspace__content_close(struct tfp_content *c,
					 struct tfp_arena *a)
{
	if (c->file != NULL)
		fclose(c->file);
	c->file = NULL;
	return tfp_workspace__md5_hex(&c->md5, a);
}

int tfp_workspace__content_load(unsigned char **data, size_t *len,
				const char **md5, struct tfp_call *call,
				const struct tfp_value *obj, size_t max,
				const char *what)
{
	struct tfp_content c;
	unsigned char *buf = tfp_arena_alloc(call->arena, max + 1);
	size_t n = 0;
	long got;
	int error = tfp_workspace__content_open(&c, call, obj);

	if (error < 0)
		return error;
	/* One byte more than allowed tells "too large" from "exactly max". */
	while (n <= max &&
	       (got = tfp_workspace__content_read(&c, call, buf + n,
						  max + 1 - n)) > 0)
		n += (size_t)got;
	*md5 = tfp_workspace__content_close(&c, call->arena);
	if (tfp_diags_has_error(call->diags))
		return TFP_ERROR;
	if (n > max)
		return tfp_diag_error(call->diags, "Content too large",
				      "The %s is larger than %zu bytes, the "
				      "most the workspace accepts.",
				      what, max);
	if (*md5 == NULL)
		return tfp_diag_error(call->diags, "Cannot hash the content",
				      "OpenSSL's MD5 failed.");
	*data = buf;
	*len = n;
	return TFP_OK;
}

int tfp_workspace__content_validate(struct tfp_call *call,
				    const struct tfp_value *config,
				    bool required)
{
	const struct tfp_value *source = tfp_value_get(config, "source");
	const struct tfp_value *b64 = tfp_value_get(config, "content_base64");
	unsigned char *data;
	struct stat st;
	size_t n;

	if (!tfp_value_is_null(source) && !tfp_value_is_null(b64))
		return tfp_diag_attr_error(
			call->diags, attr_path(call, "content_base64"),
			"Conflicting content",
			"source and content_base64 are both set; set one.");
	if (required && tfp_value_is_null(source) && tfp_value_is_null(b64))
		return tfp_diag_error(call->diags, "Missing content",
				      "One of source and content_base64 must "
				      "be set.");
	if (tfp_value_is_known(source) && stat(source->u.str, &st) != 0)
		return tfp_diag_attr_error(call->diags,
					   attr_path(call, "source"),
					   "Source file not found",
					   "File %s does not exist.",
					   source->u.str);
	if (tfp_value_is_known(b64) &&
	    !tfp_workspace__b64_decode(&data, &n, call->arena, b64->u.str))
		return tfp_diag_attr_error(
			call->diags, attr_path(call, "content_base64"),
			"Invalid base64", "content_base64 is not base64 text.");
	return TFP_OK;
}

int tfp_workspace__content_plan(struct tfp_call *call,
				const struct tfp_value *config,
				struct tfp_value *plan, int64_t *size)
{
	const struct tfp_value *source = tfp_value_get(config, "source");
	const struct tfp_value *b64 = tfp_value_get(config, "content_base64");
	unsigned char buf[65536];
	struct tfp_content c;
	const char *md5;
	long got;

	if (size != NULL)
		*size = -1;
	if (tfp_value_is_null(plan))
		return TFP_OK;
	if (tfp_value_is_unknown(source) || tfp_value_is_unknown(b64) ||
	    (tfp_value_is_null(source) && tfp_value_is_null(b64)))
		return TFP_OK; /* md5 stays unknown: known after apply */
	if (tfp_workspace__content_open(&c, call, plan) < 0)
		return TFP_ERROR;
	while ((got = tfp_workspace__content_read(&c, call, buf,
						  sizeof(buf))) > 0)
		;
	md5 = tfp_workspace__content_close(&c, call->arena);
	if (got < 0)
		return TFP_ERROR;
	if (size != NULL)
		*size = c.size;
	/* An md5 the configuration sets is its own (upstream allows it). */
	if (md5 != NULL && tfp_value_is_null(tfp_value_get(config, "md5")))
		tfp_value_set_string(call->arena, plan, "md5", md5);
	return TFP_OK;
}

/* --- scratch calls --------------------------------------------------------- */

void tfp_workspace__scratch_begin(struct tfp_call *sub, struct tfp_call *call)
{
	*sub = *call;
	sub->arena = tfp_arena_new();
}

void tfp_workspace__scratch_end(struct tfp_call *sub, struct tfp_call *call)
{
	struct tfp_api_error *e = &call->last_error;

	/* The error strings live in the scratch arena: keep copies. */
	*e = sub->last_error;
	e->error_code = tfp_arena_strdup(call->arena, e->error_code);
	e->message = tfp_arena_strdup(call->arena, e->message);
	e->method = tfp_arena_strdup(call->arena, e->method);
	e->path = tfp_arena_strdup(call->arena, e->path);
	tfp_arena_free(sub->arena);
	sub->arena = NULL;
}

/* --- listings ------------------------------------------------------------ */

struct tfp_value *tfp_workspace__list_add(struct tfp_workspace_list *l,
					  struct tfp_arena *a)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct tfp_value **items =
			tfp_arena_alloc(a, cap * sizeof(*items));

		if (l->n)
			memcpy(items, l->items, l->n * sizeof(*items));
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n] = tfp_value_object(a, l->set_type->elem);
	return l->items[l->n++];
}

struct tfp_value *tfp_workspace__list_result(struct tfp_workspace_list *l,
					     struct tfp_arena *a,
					     const struct tfp_value *config,
					     const char *attr,
					     const char *path)
{
	struct tfp_value *set = tfp_value_collection(a, l->set_type, l->n);
	struct tfp_value *v = tfp_value_copy(a, config);

	if (l->n)
		memcpy(set->u.coll.items, l->items, l->n * sizeof(*l->items));
	tfp_value_set_string(a, v, "id", path);
	tfp_value_set(v, attr, set);
	return v;
}

/* --- private state -------------------------------------------------------- */

bool tfp_workspace__private_get(const struct tfp_call *call, int64_t *modified,
				int64_t *size, const char **digest)
{
	const char *d;
	cJSON *j;
	bool ok;

	if (digest != NULL)
		*digest = NULL;
	if (call->private_in.data == NULL || call->private_in.len == 0)
		return false;
	j = cJSON_ParseWithLength((const char *)call->private_in.data,
				  call->private_in.len);
	ok = j != NULL && tfp_json_int(modified, j, "modified", NULL) == TFP_OK &&
	     tfp_json_int(size, j, "size", NULL) == TFP_OK;
	d = tfp_json_string(j, "digest");
	if (ok && digest != NULL && d != NULL)
		*digest = tfp_arena_strdup(call->arena, d);
	cJSON_Delete(j);
	return ok;
}

void tfp_workspace__private_set(struct tfp_call *call, int64_t modified,
				int64_t size, const char *digest)
{
	cJSON *j = cJSON_CreateObject();
	char *text;

	tfp_json_add_int(j, "modified", modified);
	tfp_json_add_int(j, "size", size);
	if (digest != NULL)
		cJSON_AddStringToObject(j, "digest", digest);
	text = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	call->private_out.data =
		(const uint8_t *)tfp_arena_strdup(call->arena, text ? text : "");
	call->private_out.len = text ? strlen(text) : 0;
	call->private_set = text != NULL;
	cJSON_free(text);
}
