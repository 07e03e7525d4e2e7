/*
 * Fault injection and rate limiting: test controls that make the emulator
 * misbehave the way a busy Databricks workspace does, so clients can be
 * tested for retries, backoff and idempotency (docs/emulator.md, "Faults"
 * and "Rate limit").
 *
 * A fault spec (--faults, POST /_emulator/faults) is a comma-separated
 * list of rules:
 *
 *	rule  = [scope ":"] kind "=" value
 *	scope = [METHOD " "] PATH       PATH is exact, or a prefix ending in '*'
 *	kind  = 429 | 503 | 500 | 403 | reset | drop-create    value: a rate, 0..1
 *	      | latency                                  value: N, Nms or Ns
 *	      | retry-after                              value: seconds (429)
 *
 * For each request the router asks emu_faults_decide: for every kind, a
 * scoped rule matching the request overrides the unscoped one (the last
 * matching scoped rule wins). Unscoped rules never apply to /_emulator/,
 * /.well-known/ and /oidc/; a scoped rule does when its path names that
 * prefix itself. One uniform draw from a seeded generator picks at most
 * one of 429, 503, 500, 403, reset, drop-create, in that order (drop-create
 * only counts for POST/PUT/PATCH); latency applies to every matching
 * request. With the same seed and the same sequence of requests, the same
 * requests fail.
 *
 * The rate limit is a global token bucket of N requests per second with a
 * burst of N, on the workspace clock, applied to the requests unscoped
 * faults apply to.
 *
 * Not thread-safe by itself: the workspace lock protects it.
 */
#ifndef EMU_FAULTS_H
#define EMU_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct emu_faults;
struct emu_response;

enum emu_fault_kind {
	EMU_FAULT_NONE = 0,
	EMU_FAULT_429,
	EMU_FAULT_503,
	EMU_FAULT_500,
	EMU_FAULT_403, /* PERMISSION_DENIED: a service the caller may not use */
	EMU_FAULT_RESET,
	EMU_FAULT_DROP_CREATE,
	EMU_FAULT_LATENCY,
	EMU_FAULT_RETRY_AFTER,
};

/* Largest --seed: seeds are shown as exact JSON integers. */
#define EMU_FAULTS_MAX_SEED 9007199254740991ULL
/* Largest latency a rule may add, in milliseconds. */
#define EMU_FAULTS_MAX_LATENCY_MS 60000
/* Most rules in one spec. */
#define EMU_FAULTS_MAX_RULES 64

struct emu_fault_decision {
	enum emu_fault_kind kind; /* NONE, 429, 503, 500, 403, RESET, DROP_CREATE */
	int64_t latency_ms;	  /* delay to add first, 0 for none */
};

/** No faults, no rate limit, generator seeded with seed. Never NULL. */
struct emu_faults *emu_faults_new(uint64_t seed);
/** Frees f; NULL is fine. */
void emu_faults_free(struct emu_faults *f);

/** A seed from the system's random source, at most EMU_FAULTS_MAX_SEED. */
uint64_t emu_faults_random_seed(void);

/**
 * Replaces the rules with those of spec (NULL or blank: none) and zeroes
 * the injected-fault counters. Returns 0, or -1 with a one-line reason
 * naming the bad rule in err (errlen bytes); the rules are then unchanged.
 */
int emu_faults_set_spec(struct emu_faults *f, const char *spec, char *err,
			size_t errlen);

/** Restarts the generator from seed (masked to EMU_FAULTS_MAX_SEED). */
void emu_faults_set_seed(struct emu_faults *f, uint64_t seed);

/**
 * What to do with a routed request for method and decoded path; counts
 * the faults it picks.
 */
void emu_faults_decide(struct emu_fault_decision *out, struct emu_faults *f,
		       const char *method, const char *path);

/**
 * Writes the error response of a 429, 503 or 500 fault into resp (429
 * carries Retry-After); other kinds leave resp alone.
 */
void emu_faults_respond(const struct emu_faults *f, enum emu_fault_kind kind,
			struct emu_response *resp);

/** The kind's name as in a spec ("429", "reset", ...). */
const char *emu_fault_kind_name(enum emu_fault_kind kind);

/** Zeroes the injected-fault counters (the rules stay). */
void emu_faults_clear_counters(struct emu_faults *f);

/**
 * {"spec", "seed", "retry_after", "rules": [...], "injected": {kind: n}}
 * for GET /_emulator/faults; caller frees.
 */
cJSON *emu_faults_json(const struct emu_faults *f);

/* --- rate limit ----------------------------------------------------------- */

/** Requests per second, burst the same; 0 turns the limit off. */
void emu_faults_set_rate_limit(struct emu_faults *f, unsigned per_second);
unsigned emu_faults_rate_limit(const struct emu_faults *f);

/** Is a request for path subject to the rate limit (and unscoped faults)? */
bool emu_faults_path_exempt(const char *path);

/**
 * Takes one token from the bucket at time now_ms. Returns true when the
 * request is admitted; false when it must be throttled (then resp holds
 * 429 REQUEST_LIMIT_EXCEEDED with Retry-After: 1). Counts both.
 */
bool emu_faults_rate_admit(struct emu_faults *f, int64_t now_ms,
			   struct emu_response *resp);

/** Adds "rate_limit", "admitted" and "throttled" to obj. */
void emu_faults_rate_json(const struct emu_faults *f, cJSON *obj);

/** Zeroes the admitted and throttled counters. */
void emu_faults_clear_rate_counters(struct emu_faults *f);

#endif
