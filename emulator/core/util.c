/*
 * Helpers shared by every emulator module; see util.h for the contract.
 *
 * The base64 decoder is strict on purpose: secrets/put must reject a
 * bytes_value that is not base64 (databricks-rest-api.md §5), so anything
 * outside the standard alphabet, misplaced padding, or a length that cannot
 * come from an encoder is an error rather than silently skipped.
 */
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <ctype.h>

static void oom(size_t n)
{
	fprintf(stderr, "brickform-emulator: out of memory (%zu bytes)\n", n);
	abort();
}

void *emu_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *emu_xcalloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *emu_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *emu_xstrdup(const char *s)
{
	if (!s)
		return NULL;
	return emu_xmemdup0(s, strlen(s));
}

char *emu_xmemdup0(const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		oom(n);
	p = emu_xmalloc(n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* cJSON's hooks only take malloc and free; it falls back to malloc + copy
 * where it would have used realloc. */
static void *json_malloc(size_t n)
{
	return emu_xmalloc(n);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_hooks(void)
{
	cJSON_Hooks hooks = {.malloc_fn = json_malloc, .free_fn = free};

	cJSON_InitHooks(&hooks);
}

void emu_util_init(void)
{
	pthread_once(&init_once, init_hooks);
}

char *emu_vprintf(const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *s;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		/* Only an invalid format can get here; keep going with a
		 * marker rather than crash on untrusted data. */
		return emu_xstrdup("(unformattable message)");
	}
	s = emu_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *emu_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = emu_vprintf(fmt, ap);
	va_end(ap);
	return s;
}

bool emu_host_usable(const char *host)
{
	const char *p;

	if (!host || !*host || strlen(host) > 255)
		return false;
	for (p = host; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == ':' || c == '[' || c == ']'))
			return false;
	}
	return true;
}

int64_t emu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

bool emu_strcaseeq(const char *a, const char *b)
{
	while (*a && *b) {
		if (ascii_lower((unsigned char)*a) !=
		    ascii_lower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

bool emu_strcaseprefix(const char *s, const char *prefix)
{
	while (*prefix) {
		if (ascii_lower((unsigned char)*s) !=
		    ascii_lower((unsigned char)*prefix))
			return false;
		s++;
		prefix++;
	}
	return true;
}

bool emu_utf8_valid(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, UTF-16 surrogates, beyond Unicode. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += n + 1;
	}
	return true;
}

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *emu_base64_encode(const unsigned char *data, size_t len)
{
	size_t out_len = (len + 2) / 3 * 4;
	char *out = emu_xmalloc(out_len + 1);
	size_t i, o = 0;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 |
			     (uint32_t)data[i + 1] << 8 | data[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)data[i] << 16;
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1]
							       << 8;
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

static int b64_value(char c)
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

int emu_base64_decode(unsigned char **out, size_t *out_len, const char *text,
		      size_t text_len)
{
	unsigned char *buf = NULL;
	size_t pad = 0, data_len, i, o = 0;
	uint32_t acc = 0;
	int bits = 0;

	*out = NULL;
	*out_len = 0;

	/* Padding: at most two '=', only at the end, and only on a length
	 * that is a multiple of four. */
	while (pad < 2 && text_len > pad && text[text_len - 1 - pad] == '=')
		pad++;
	if (pad && text_len % 4 != 0)
		return -1;
	data_len = text_len - pad;
	/* One leftover character cannot encode a whole byte. */
	if (data_len % 4 == 1)
		return -1;

	buf = emu_xmalloc(data_len / 4 * 3 + 3);
	for (i = 0; i < data_len; i++) {
		int v = b64_value(text[i]);

		if (v < 0) {
			free(buf);
			return -1;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[o++] = (unsigned char)((acc >> bits) & 0xFF);
		}
	}
	buf[o] = '\0';
	*out = buf;
	*out_len = o;
	return 0;
}

int emu_buf_append(struct emu_buf *b, const void *data, size_t n)
{
	size_t need;

	if (n > b->max || b->len > b->max - n)
		return -1;
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;

		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		b->data = emu_xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

void emu_buf_dispose(struct emu_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

char *emu_random_token(const char *prefix, size_t nbytes)
{
	unsigned char *bytes = emu_xmalloc(nbytes);
	size_t plen = strlen(prefix), got = 0, i;
	char *token = emu_xmalloc(plen + 2 * nbytes + 1);

	while (got < nbytes) {
		ssize_t n = getrandom(bytes + got, nbytes - got, 0);

		if (n <= 0) {
			/* Only before the pool is seeded, or EINTR: give up
			 * rather than spin. */
			fprintf(stderr, "brickform-emulator: getrandom failed\n");
			abort();
		}
		got += (size_t)n;
	}
	memcpy(token, prefix, plen);
	for (i = 0; i < nbytes; i++)
		snprintf(token + plen + 2 * i, 3, "%02x", bytes[i]);
	free(bytes);
	return token;
}

bool emu_is_uuid(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}
