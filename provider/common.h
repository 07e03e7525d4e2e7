/*
 * Return codes and allocation wrappers shared by every module.
 *
 * A function that can fail returns int: TFP_OK, or a negative code. A
 * negative return means the function added an error diagnostic, or passes a
 * callee's code on unchanged; only TFP_ENOTFOUND may arrive without one
 * (lifecycle.c turns it into "removed from state" or a diagnostic).
 *
 * Allocation never fails from the caller's point of view: tfp_xmalloc and
 * friends abort with a message on stderr when memory runs out. A provider is
 * a short-lived application, so this drops a whole class of error paths.
 */
#ifndef TFP_COMMON_H
#define TFP_COMMON_H

#include <stddef.h>

enum {
	TFP_OK = 0,
	TFP_ERROR = -1,     /* a diagnostic says why */
	TFP_ENOTFOUND = -2, /* the remote object does not exist */
	TFP_ECANCELED = -3, /* StopProvider interrupted a wait */
	/*
	 * A write that is not safe to repeat failed after the request may have
	 * reached the workspace (the connection died, a timeout, an empty
	 * reply): it may or may not have been carried out. As with TFP_ERROR a
	 * diagnostic says so (the outcome is unknown); a create handler that
	 * finds the object did get made drops it (tfp_diags_drop_last).
	 */
	TFP_EUNCERTAIN = -4,
};

#define TFP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define TFP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define TFP_PRINTF(fmt, args)
#endif

/** malloc that aborts instead of returning NULL. */
void *tfp_xmalloc(size_t n);
/** calloc that aborts instead of returning NULL. */
void *tfp_xcalloc(size_t n, size_t size);
/** realloc that aborts instead of returning NULL. */
void *tfp_xrealloc(void *p, size_t n);
/** strdup that aborts instead of returning NULL; NULL in gives NULL out. */
char *tfp_xstrdup(const char *s);

#endif
