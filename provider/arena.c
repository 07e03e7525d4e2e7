/*
 * Per-call arena and the aborting allocation wrappers.
 *
 * Memory comes from chunks that only grow; nothing is freed until the whole
 * arena is. Large requests get a chunk of their own so a 10 MB protobuf does
 * not waste a normal chunk's tail. Deferred destructors run last-in,
 * first-out before the chunks are freed, so a cJSON tree deferred after the
 * string it was parsed from is gone before that string.
 *
 * With TFP_ARENA_DEBUG every allocation is its own malloc kept on a list, so
 * AddressSanitizer and valgrind see overruns of each block.
 */
#include "arena.h"

#include <protobuf-c/protobuf-c.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK_SIZE (16 * 1024)
#define ARENA_ALIGN alignof(max_align_t)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct arena_defer {
	struct arena_defer *next;
	void (*fn)(void *);
	void *p;
};

struct tfp_arena {
	struct arena_chunk *chunks;
	struct arena_defer *defers;
};

static void oom(size_t n)
{
	fprintf(stderr, "brickform: out of memory allocating %zu bytes\n", n);
	abort();
}

void *tfp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *tfp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *tfp_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *tfp_xstrdup(const char *s)
{
	size_t n;
	char *p;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	p = tfp_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

struct tfp_arena *tfp_arena_new(void)
{
	return tfp_xcalloc(1, sizeof(struct tfp_arena));
}

void tfp_arena_free(struct tfp_arena *a)
{
	struct arena_chunk *c, *next;
	struct arena_defer *d;

	if (a == NULL)
		return;
	/* The defer records live in the chunks, so run them first. */
	for (d = a->defers; d != NULL; d = d->next)
		d->fn(d->p);
	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

static struct arena_chunk *chunk_new(size_t size)
{
	struct arena_chunk *c;

	if (size > SIZE_MAX - sizeof(*c))
		oom(size);
	c = tfp_xmalloc(sizeof(*c) + size);
	c->used = 0;
	c->size = size;
	return c;
}

void *tfp_arena_alloc(struct tfp_arena *a, size_t n)
{
	struct arena_chunk *c;
	size_t need;
	void *p;

	if (n > SIZE_MAX - ARENA_ALIGN)
		oom(n);
	need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
#ifdef TFP_ARENA_DEBUG
	c = chunk_new(n ? n : 1);
	c->used = c->size;
	c->next = a->chunks;
	a->chunks = c;
	memset(c->data, 0, c->size);
	return c->data;
#endif
	c = a->chunks;
	if (c == NULL || c->size - c->used < need) {
		if (need > ARENA_CHUNK_SIZE / 4) {
			/* A dedicated chunk, kept behind the current one so
			 * the current chunk's free tail stays usable. */
			struct arena_chunk *big = chunk_new(need);

			big->used = need;
			if (c == NULL) {
				big->next = NULL;
				a->chunks = big;
			} else {
				big->next = c->next;
				c->next = big;
			}
			memset(big->data, 0, need);
			return big->data;
		}
		c = chunk_new(ARENA_CHUNK_SIZE);
		c->next = a->chunks;
		a->chunks = c;
	}
	p = c->data + c->used;
	c->used += need;
	memset(p, 0, need);
	return p;
}

void *tfp_arena_memdup(struct tfp_arena *a, const void *p, size_t n)
{
	void *q = tfp_arena_alloc(a, n);

	if (n > 0)
		memcpy(q, p, n);
	return q;
}

char *tfp_arena_strndup(struct tfp_arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = tfp_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *tfp_arena_strdup(struct tfp_arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return tfp_arena_strndup(a, s, strlen(s));
}

char *tfp_arena_vprintf(struct tfp_arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *p;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return tfp_arena_strdup(a, "");
	p = tfp_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *tfp_arena_printf(struct tfp_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = tfp_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void tfp_arena_defer(struct tfp_arena *a, void (*fn)(void *), void *p)
{
	struct arena_defer *d = tfp_arena_alloc(a, sizeof(*d));

	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
}

static void *arena_pb_alloc(void *data, size_t size)
{
	return tfp_arena_alloc(data, size);
}

static void arena_pb_free(void *data, void *p)
{
	/* The arena frees everything at once. */
	(void)data;
	(void)p;
}

void tfp_arena_protobuf_allocator(struct tfp_arena *a,
				  struct ProtobufCAllocator *out)
{
	out->alloc = arena_pb_alloc;
	out->free = arena_pb_free;
	out->allocator_data = a;
}
