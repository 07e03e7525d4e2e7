/*
 * Small helpers shared by every emulator module: allocation that aborts on
 * failure, formatted strings, the wall clock, UTF-8 validation, base64 and
 * ASCII case-insensitive comparison.
 *
 * Out of memory: like the provider (style-guide.md §2.6), the emulator is an
 * application, so emu_xmalloc and friends print a message on stderr and
 * abort instead of returning NULL. emu_util_init() installs the same
 * behaviour as cJSON's allocator, so cJSON constructors never return NULL
 * either; cJSON_Parse* still returns NULL for input that is not JSON.
 *
 * Nothing here touches global state except emu_util_init() (idempotent and
 * thread-safe).
 */
#ifndef EMU_UTIL_H
#define EMU_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define EMU_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define EMU_PRINTF(fmt, args)
#endif

#define EMU_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** Installs the aborting allocator into cJSON. Safe to call many times. */
void emu_util_init(void);

/** malloc that aborts instead of returning NULL. */
void *emu_xmalloc(size_t n);
/** calloc that aborts instead of returning NULL (also on n * size overflow). */
void *emu_xcalloc(size_t n, size_t size);
/** realloc that aborts instead of returning NULL. */
void *emu_xrealloc(void *p, size_t n);
/** strdup that aborts instead of returning NULL; NULL in gives NULL out. */
char *emu_xstrdup(const char *s);
/** Copies n bytes of s and a terminating NUL; aborts on failure. */
char *emu_xmemdup0(const char *s, size_t n);

/**
 * Formats like printf into a new string, which the caller frees.
 * Aborts on allocation failure.
 */
char *emu_printf(const char *fmt, ...) EMU_PRINTF(1, 2);
/** va_list version of emu_printf. */
char *emu_vprintf(const char *fmt, va_list ap) EMU_PRINTF(1, 0);

/** Milliseconds since the Unix epoch, from the real-time clock. */
int64_t emu_now_ms(void);

/** ASCII case-insensitive equality (locale-independent). */
bool emu_strcaseeq(const char *a, const char *b);
/** ASCII case-insensitive prefix test: does s start with prefix? */
bool emu_strcaseprefix(const char *s, const char *prefix);

/**
 * True when buf[0..len) is well-formed UTF-8: no overlong forms, no
 * surrogates, nothing above U+10FFFF. NUL bytes are valid UTF-8 here;
 * callers that cannot carry them check separately.
 */
bool emu_utf8_valid(const char *buf, size_t len);

/**
 * True when a Host header value looks like host[:port] (letters, digits,
 * '.', '-', ':', '[' and ']', at most 255 characters), so it can be echoed
 * into a URL such as a run_page_url or the OIDC endpoint.
 */
bool emu_host_usable(const char *host);

/** Base64 (RFC 4648 standard alphabet, padded) of len bytes; caller frees. */
char *emu_base64_encode(const unsigned char *data, size_t len);

/** prefix and 2 * nbytes random hex digits (a new secret; malloc'd). */
char *emu_random_token(const char *prefix, size_t nbytes);

/** True when s is a UUID in its textual form (8-4-4-4-12 hex digits, of
 * any case and version), as the service checks ids it takes. */
bool emu_is_uuid(const char *s);

/**
 * Decodes standard base64 text (padding optional, no whitespace) into a new
 * buffer stored in *out (caller frees; always NUL-terminated for
 * convenience) with its length in *out_len. Returns 0, or -1 (and leaves
 * *out NULL) when text is not valid base64.
 */
int emu_base64_decode(unsigned char **out, size_t *out_len, const char *text,
		      size_t text_len);

/**
 * Growable byte buffer with a hard cap; used for request bodies. A failed
 * append (over the cap) leaves the buffer as it was.
 */
struct emu_buf {
	char *data; /* NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max; /* appends beyond this many bytes fail */
};

#define EMU_BUF_INIT(max_)                                                     \
	{                                                                      \
		NULL, 0, 0, (max_)                                             \
	}

/** Appends n bytes; returns 0, or -1 when the result would exceed b->max. */
int emu_buf_append(struct emu_buf *b, const void *data, size_t n);
/** Frees the contents; the buffer can be reused afterwards. */
void emu_buf_dispose(struct emu_buf *b);

#endif
