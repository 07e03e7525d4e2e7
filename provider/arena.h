/*
 * Per-call arena: one per RPC, freed after the response is packed.
 *
 * Everything request-scoped lives here: unpacked protobuf, values, paths,
 * diagnostic strings. Handlers never free what they take from an arena.
 * Third-party objects (cJSON trees) are tied to the arena with
 * tfp_arena_defer(), which runs their destructor when the arena is freed.
 * An arena is used by one thread at a time.
 *
 * With TFP_ARENA_DEBUG every allocation is a separate malloc, so ASan and
 * valgrind see each one.
 */
#ifndef TFP_ARENA_H
#define TFP_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include "common.h"

struct tfp_arena;
struct ProtobufCAllocator;

/** Creates an empty arena; never returns NULL. */
struct tfp_arena *tfp_arena_new(void);
/** Runs the deferred destructors (last first) and frees every allocation. */
void tfp_arena_free(struct tfp_arena *a);

/** Zeroed, max_align_t-aligned memory owned by the arena. */
void *tfp_arena_alloc(struct tfp_arena *a, size_t n);
/** Copy of s in the arena; NULL gives NULL. */
char *tfp_arena_strdup(struct tfp_arena *a, const char *s);
/** Copy of the first n bytes of s, NUL-terminated. */
char *tfp_arena_strndup(struct tfp_arena *a, const char *s, size_t n);
/** Copy of n bytes (not terminated). */
void *tfp_arena_memdup(struct tfp_arena *a, const void *p, size_t n);
/** printf into the arena. */
char *tfp_arena_printf(struct tfp_arena *a, const char *fmt, ...)
	TFP_PRINTF(2, 3);
char *tfp_arena_vprintf(struct tfp_arena *a, const char *fmt, va_list ap)
	TFP_PRINTF(2, 0);

/** Calls fn(p) when the arena is freed (e.g. cJSON_Delete on a reply). */
void tfp_arena_defer(struct tfp_arena *a, void (*fn)(void *), void *p);

/**
 * Fills *out with a protobuf-c allocator whose memory belongs to the arena
 * (its free is a no-op).
 */
void tfp_arena_protobuf_allocator(struct tfp_arena *a,
				  struct ProtobufCAllocator *out);

#endif
