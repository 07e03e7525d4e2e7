/*
 * libcurl, loaded on first use (TFP_LAZY_CURL, on by default).
 *
 * Terraform starts the provider for every command and waits for the
 * go-plugin handshake line before it does anything else, and the
 * handshake needs no HTTP. Linked normally, libcurl.so.4 brings ~27
 * shared libraries (GnuTLS, Kerberos, LDAP, libssh2, librtmp, libpsl,
 * brotli, zstd, ...) that the dynamic loader maps and relocates before
 * main(): about half of the time to the handshake (README "Performance").
 *
 * So the binary is not linked against libcurl. This file defines the
 * libcurl functions client/ calls, with curl's own prototypes (the
 * compiler checks them against <curl/curl.h>), and each one forwards to
 * the real function resolved with dlsym from libcurl.so.4, dlopen()ed
 * once under pthread_once by whichever thread needs it first. The rest
 * of client/ is unchanged and keeps curl's compile-time option checks.
 *
 * A failure to load (no libcurl.so.4, or one without a function we call)
 * never crashes: curl_global_init returns CURLE_FAILED_INIT, and
 * curl_easy_strerror then says what dlopen or dlsym reported, which
 * tfp_rest_new and rest_fetch already turn into their "libcurl failed to
 * initialise" diagnostics. The other functions return NULL or an error
 * code if called anyway, and the cleanups do nothing.
 *
 * The variadic setters are forwarded by the type the option number
 * encodes, exactly as curl.h defines the ranges: CURLOPTTYPE_LONG below
 * 10000 (a long), CURLOPTTYPE_OBJECTPOINT from 10000 (a data pointer),
 * CURLOPTTYPE_FUNCTIONPOINT from 20000 (a function pointer),
 * CURLOPTTYPE_OFF_T from 30000 (a curl_off_t), CURLOPTTYPE_BLOB from 40000
 * (a struct curl_blob pointer). curl_easy_getinfo always takes a pointer;
 * curl_share_setopt's arguments are listed per option (lib/share.c reads
 * an int for SHARE and UNSHARE).
 *
 * Only client/ contains curl code (scripts/check-layers.sh). dlsym on
 * libcurl's own handle returns libcurl's definitions, never these, so a
 * forward cannot loop even in a program that exports its symbols.
 */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

#define CURL_LAZY_SONAME "libcurl.so.4"

/* A function pointer type for forwarding CURLOPTTYPE_FUNCTIONPOINT. */
typedef void (*curl_lazy_fn)(void);

/* X(name, return type, parameters): every function resolved by dlsym. */
#define CURL_LAZY_FUNCTIONS(X)                                                 \
	X(curl_global_init, CURLcode, (long))                                  \
	X(curl_easy_strerror, const char *, (CURLcode))                        \
	X(curl_easy_init, CURL *, (void))                                      \
	X(curl_easy_cleanup, void, (CURL *))                                   \
	X(curl_easy_reset, void, (CURL *))                                     \
	X(curl_easy_perform, CURLcode, (CURL *))                               \
	X(curl_easy_setopt, CURLcode, (CURL *, CURLoption, ...))               \
	X(curl_easy_getinfo, CURLcode, (CURL *, CURLINFO, ...))                \
	X(curl_free, void, (void *))                                           \
	X(curl_slist_append, struct curl_slist *,                              \
	  (struct curl_slist *, const char *))                                 \
	X(curl_slist_free_all, void, (struct curl_slist *))                    \
	X(curl_share_init, CURLSH *, (void))                                   \
	X(curl_share_setopt, CURLSHcode, (CURLSH *, CURLSHoption, ...))        \
	X(curl_share_cleanup, CURLSHcode, (CURLSH *))                          \
	X(curl_url, CURLU *, (void))                                           \
	X(curl_url_cleanup, void, (CURLU *))                                   \
	X(curl_url_get, CURLUcode,                                             \
	  (CURLU *, CURLUPart, char **, unsigned int))                         \
	X(curl_url_set, CURLUcode,                                             \
	  (CURLU *, CURLUPart, const char *, unsigned int))

static struct {
#define CURL_LAZY_FIELD(name, ret, params) ret(*name) params;
	CURL_LAZY_FUNCTIONS(CURL_LAZY_FIELD)
#undef CURL_LAZY_FIELD
} real;

static pthread_once_t curl_lazy_once = PTHREAD_ONCE_INIT;
static void *curl_lazy_handle;
/* Why loading failed; empty when it did not (or has not been tried). */
static char curl_lazy_error[320];

static void curl_lazy_load(void)
{
	const char *err;
	void *h;

	dlerror();
	h = dlopen(CURL_LAZY_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		err = dlerror();
		snprintf(curl_lazy_error, sizeof(curl_lazy_error),
			 "cannot load %s: %s", CURL_LAZY_SONAME,
			 err ? err : "unknown error");
		return;
	}
	/* POSIX: a void * from dlsym converts to a function pointer; the
	 * memcpy keeps -Wpedantic quiet about it. */
#define CURL_LAZY_RESOLVE(name, ret, params)                                   \
	{                                                                      \
		void *sym = dlsym(h, #name);                                   \
		if (sym == NULL) {                                             \
			snprintf(curl_lazy_error, sizeof(curl_lazy_error),     \
				 "%s has no %s", CURL_LAZY_SONAME, #name);     \
			goto fail;                                             \
		}                                                              \
		memcpy(&real.name, &sym, sizeof(sym));                         \
	}
	CURL_LAZY_FUNCTIONS(CURL_LAZY_RESOLVE)
#undef CURL_LAZY_RESOLVE
	curl_lazy_handle = h;
	return;

fail:
	memset(&real, 0, sizeof(real));
	dlclose(h);
}

/* True once libcurl is loaded and every function resolved. */
static bool curl_lazy_ready(void)
{
	pthread_once(&curl_lazy_once, curl_lazy_load);
	return curl_lazy_handle != NULL;
}

/* --- the functions client/ calls ------------------------------------------ */

CURLcode curl_global_init(long flags)
{
	if (!curl_lazy_ready())
		return CURLE_FAILED_INIT;
	return real.curl_global_init(flags);
}

const char *curl_easy_strerror(CURLcode code)
{
	if (!curl_lazy_ready())
		return curl_lazy_error;
	return real.curl_easy_strerror(code);
}

CURL *curl_easy_init(void)
{
	return curl_lazy_ready() ? real.curl_easy_init() : NULL;
}

void curl_easy_cleanup(CURL *h)
{
	if (h != NULL && curl_lazy_ready())
		real.curl_easy_cleanup(h);
}

void curl_easy_reset(CURL *h)
{
	if (h != NULL && curl_lazy_ready())
		real.curl_easy_reset(h);
}

CURLcode curl_easy_perform(CURL *h)
{
	if (!curl_lazy_ready())
		return CURLE_FAILED_INIT;
	return real.curl_easy_perform(h);
}

CURLcode curl_easy_setopt(CURL *h, CURLoption option, ...)
{
	va_list ap;
	CURLcode rc;
	int opt = (int)option;

	if (!curl_lazy_ready())
		return CURLE_FAILED_INIT;
	va_start(ap, option);
	if (opt < CURLOPTTYPE_OBJECTPOINT) {
		long v = va_arg(ap, long);

		rc = real.curl_easy_setopt(h, option, v);
	} else if (opt < CURLOPTTYPE_FUNCTIONPOINT) {
		void *v = va_arg(ap, void *);

		rc = real.curl_easy_setopt(h, option, v);
	} else if (opt < CURLOPTTYPE_OFF_T) {
		curl_lazy_fn v = va_arg(ap, curl_lazy_fn);

		rc = real.curl_easy_setopt(h, option, v);
	} else if (opt < CURLOPTTYPE_BLOB) {
		curl_off_t v = va_arg(ap, curl_off_t);

		rc = real.curl_easy_setopt(h, option, v);
	} else {
		struct curl_blob *v = va_arg(ap, struct curl_blob *);

		rc = real.curl_easy_setopt(h, option, v);
	}
	va_end(ap);
	return rc;
}

CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	va_list ap;
	void *out;

	if (!curl_lazy_ready())
		return CURLE_FAILED_INIT;
	va_start(ap, info);
	out = va_arg(ap, void *);
	va_end(ap);
	return real.curl_easy_getinfo(h, info, out);
}

void curl_free(void *p)
{
	if (p != NULL && curl_lazy_ready())
		real.curl_free(p);
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s)
{
	return curl_lazy_ready() ? real.curl_slist_append(list, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
	if (list != NULL && curl_lazy_ready())
		real.curl_slist_free_all(list);
}

CURLSH *curl_share_init(void)
{
	return curl_lazy_ready() ? real.curl_share_init() : NULL;
}

CURLSHcode curl_share_setopt(CURLSH *sh, CURLSHoption option, ...)
{
	va_list ap;
	CURLSHcode rc;

	if (!curl_lazy_ready())
		return CURLSHE_NOT_BUILT_IN;
	va_start(ap, option);
	switch (option) {
	case CURLSHOPT_SHARE:
	case CURLSHOPT_UNSHARE: {
		int v = va_arg(ap, int);

		rc = real.curl_share_setopt(sh, option, v);
		break;
	}
	case CURLSHOPT_LOCKFUNC:
	case CURLSHOPT_UNLOCKFUNC: {
		curl_lazy_fn v = va_arg(ap, curl_lazy_fn);

		rc = real.curl_share_setopt(sh, option, v);
		break;
	}
	case CURLSHOPT_USERDATA: {
		void *v = va_arg(ap, void *);

		rc = real.curl_share_setopt(sh, option, v);
		break;
	}
	default:
		rc = CURLSHE_BAD_OPTION;
		break;
	}
	va_end(ap);
	return rc;
}

CURLSHcode curl_share_cleanup(CURLSH *sh)
{
	if (sh == NULL || !curl_lazy_ready())
		return CURLSHE_INVALID;
	return real.curl_share_cleanup(sh);
}

CURLU *curl_url(void)
{
	return curl_lazy_ready() ? real.curl_url() : NULL;
}

void curl_url_cleanup(CURLU *u)
{
	if (u != NULL && curl_lazy_ready())
		real.curl_url_cleanup(u);
}

CURLUcode curl_url_get(CURLU *u, CURLUPart what, char **part,
		       unsigned int flags)
{
	if (!curl_lazy_ready())
		return CURLUE_OUT_OF_MEMORY;
	return real.curl_url_get(u, what, part, flags);
}

CURLUcode curl_url_set(CURLU *u, CURLUPart what, const char *part,
		       unsigned int flags)
{
	if (!curl_lazy_ready())
		return CURLUE_OUT_OF_MEMORY;
	return real.curl_url_set(u, what, part, flags);
}
