/*
 * Fault injection and the rate limit; see faults.h for the grammar and
 * the rules of application.
 *
 * The generator is splitmix64, one draw per request that has any rate
 * rule in effect, so a seeded run is reproducible for a client that sends
 * its requests one at a time. The token bucket counts in thousandths of a
 * request so that refills need no floating point.
 */
#include "faults.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "errors.h"
#include "http.h"
#include "json.h"
#include "util.h"

#define NKINDS		    (EMU_FAULT_RETRY_AFTER + 1)
#define DEFAULT_RETRY_AFTER 1
#define MAX_RETRY_AFTER	    3600
#define MAX_SPEC_LEN	    4096

struct fault_rule {
	char *method; /* NULL: any method */
	char *path;   /* NULL: unscoped */
	bool prefix;  /* path ends in '*': match paths starting with it */
	enum emu_fault_kind kind;
	double rate;	    /* 429 ... drop-create */
	int64_t latency_ms; /* latency */
};

struct emu_faults {
	char *spec;
	struct fault_rule *rules;
	size_t nrules;
	int64_t retry_after;
	uint64_t seed;
	uint64_t rng;
	int64_t injected[NKINDS];

	unsigned rate_limit;
	int64_t bucket_milli; /* thousandths of a request */
	int64_t bucket_ms;    /* when the bucket was last refilled */
	int64_t admitted;
	int64_t throttled;
};

static const char *const kind_names[NKINDS] = {
	[EMU_FAULT_NONE] = "none",
	[EMU_FAULT_429] = "429",
	[EMU_FAULT_503] = "503",
	[EMU_FAULT_500] = "500",
	[EMU_FAULT_403] = "403",
	[EMU_FAULT_RESET] = "reset",
	[EMU_FAULT_DROP_CREATE] = "drop-create",
	[EMU_FAULT_LATENCY] = "latency",
	[EMU_FAULT_RETRY_AFTER] = "retry-after",
};

/* Paths that only explicitly scoped rules reach. */
static const char *const exempt_prefixes[] = {"/_emulator/", "/.well-known/",
					      "/oidc/"};

const char *emu_fault_kind_name(enum emu_fault_kind kind)
{
	return (unsigned)kind < NKINDS ? kind_names[kind] : "none";
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double draw(struct emu_faults *f)
{
	return (double)(splitmix64(&f->rng) >> 11) * 0x1.0p-53;
}

uint64_t emu_faults_random_seed(void)
{
	uint64_t seed = 0;

	if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		seed = (uint64_t)emu_now_ms() ^ ((uint64_t)getpid() << 32);
	return seed & EMU_FAULTS_MAX_SEED;
}

static void rules_free(struct fault_rule *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rules[i].method);
		free(rules[i].path);
	}
	free(rules);
}

struct emu_faults *emu_faults_new(uint64_t seed)
{
	struct emu_faults *f = emu_xcalloc(1, sizeof(*f));

	f->spec = emu_xstrdup("");
	f->retry_after = DEFAULT_RETRY_AFTER;
	emu_faults_set_seed(f, seed);
	return f;
}

void emu_faults_free(struct emu_faults *f)
{
	if (!f)
		return;
	rules_free(f->rules, f->nrules);
	free(f->spec);
	free(f);
}

void emu_faults_set_seed(struct emu_faults *f, uint64_t seed)
{
	f->seed = seed & EMU_FAULTS_MAX_SEED;
	f->rng = f->seed;
}

void emu_faults_clear_counters(struct emu_faults *f)
{
	memset(f->injected, 0, sizeof(f->injected));
}

/* --- parsing -------------------------------------------------------------- */

/* Trims spaces from both ends of s[0..*len). */
static const char *trim(const char *s, size_t *len)
{
	while (*len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*len)--;
	}
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

static bool span_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static int parse_kind(enum emu_fault_kind *out, const char *s, size_t len)
{
	int k;

	for (k = EMU_FAULT_429; k < NKINDS; k++) {
		if (span_eq(s, len, kind_names[k])) {
			*out = (enum emu_fault_kind)k;
			return 0;
		}
	}
	return -1;
}

/* A rate: a decimal number from 0 to 1, or a percentage ("5%"). */
static int parse_rate(double *out, const char *text)
{
	char *end = NULL;
	double v;

	if (!((*text >= '0' && *text <= '9') || *text == '.'))
		return -1;
	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end != '\0' || !isfinite(v) || v < 0 || v > 1)
		return -1;
	*out = v;
	return 0;
}

/* Non-negative decimal digits only, at most max. */
static int parse_uint(int64_t *out, const char *text, size_t len, int64_t max)
{
	int64_t v = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (text[i] - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

/* A duration: N or Nms (milliseconds) or Ns (seconds). */
static int parse_latency(int64_t *out, const char *text)
{
	size_t len = strlen(text);
	int64_t scale = 1, v;

	if (len > 2 && strcmp(text + len - 2, "ms") == 0) {
		len -= 2;
	} else if (len > 1 && text[len - 1] == 's') {
		len -= 1;
		scale = 1000;
	}
	if (parse_uint(&v, text, len, EMU_FAULTS_MAX_LATENCY_MS) < 0 ||
	    v * scale > EMU_FAULTS_MAX_LATENCY_MS)
		return -1;
	*out = v * scale;
	return 0;
}

/* The scope before the last ':' of a rule: "[METHOD ]PATH". */
static int parse_scope(struct fault_rule *r, const char *s, size_t len,
		       char *why, size_t whylen)
{
	const char *sp = memchr(s, ' ', len);
	size_t plen = len;
	size_t i;

	if (sp) {
		size_t mlen = (size_t)(sp - s);

		for (i = 0; i < mlen; i++) {
			if (s[i] < 'A' || s[i] > 'Z') {
				snprintf(why, whylen,
					 "the method must be upper case, as "
					 "in 'POST /api/2.0/...'");
				return -1;
			}
		}
		r->method = emu_xmemdup0(s, mlen);
		plen = len - mlen;
		s = sp;
		s = trim(s, &plen);
	}
	if (plen == 0 || s[0] != '/') {
		snprintf(why, whylen,
			 "the scope must be a path starting with '/', "
			 "optionally after a method");
		return -1;
	}
	for (i = 0; i < plen; i++) {
		if (s[i] == ' ' || s[i] == '\t' ||
		    (s[i] == '*' && i != plen - 1)) {
			snprintf(why, whylen,
				 "the path may contain no spaces, and '*' only "
				 "at its end");
			return -1;
		}
	}
	if (s[plen - 1] == '*') {
		r->prefix = true;
		plen--;
	}
	r->path = emu_xmemdup0(s, plen);
	return 0;
}

static int parse_rule(struct fault_rule *r, int64_t *retry_after, const char *s,
		      size_t len, char *why, size_t whylen)
{
	const char *eq = memchr(s, '=', len), *colon = NULL, *k;
	size_t klen, i;
	char *value;
	int error = -1;

	memset(r, 0, sizeof(*r));
	if (!eq || memchr(eq + 1, '=', len - (size_t)(eq - s) - 1)) {
		snprintf(why, whylen, "expected [scope:]kind=value");
		return -1;
	}
	for (i = 0; s + i < eq; i++)
		if (s[i] == ':')
			colon = s + i;
	k = colon ? colon + 1 : s;
	klen = (size_t)(eq - k);
	k = trim(k, &klen);
	if (parse_kind(&r->kind, k, klen) < 0) {
		snprintf(why, whylen,
			 "unknown kind '%.*s' (expected 429, 503, 500, 403, reset, "
			 "drop-create, latency or retry-after)",
			 (int)klen, k);
		return -1;
	}
	if (colon) {
		size_t slen = (size_t)(colon - s);
		const char *scope = trim(s, &slen);

		if (r->kind == EMU_FAULT_RETRY_AFTER) {
			snprintf(why, whylen, "retry-after cannot be scoped");
			return -1;
		}
		if (parse_scope(r, scope, slen, why, whylen) < 0)
			return -1;
	}
	klen = len - (size_t)(eq + 1 - s);
	k = trim(eq + 1, &klen);
	value = emu_xmemdup0(k, klen);
	switch (r->kind) {
	case EMU_FAULT_LATENCY:
		if (parse_latency(&r->latency_ms, value) < 0) {
			snprintf(why, whylen,
				 "latency must be N, Nms or Ns, at most %d ms",
				 EMU_FAULTS_MAX_LATENCY_MS);
			goto done;
		}
		break;
	case EMU_FAULT_RETRY_AFTER:
		if (parse_uint(retry_after, value, strlen(value),
			       MAX_RETRY_AFTER) < 0) {
			snprintf(why, whylen,
				 "retry-after must be whole seconds, 0-%d",
				 MAX_RETRY_AFTER);
			goto done;
		}
		break;
	default:
		if (parse_rate(&r->rate, value) < 0) {
			snprintf(why, whylen,
				 "the rate '%s' must be a number from 0 to 1 "
				 "(or a percentage such as 5%%)",
				 value);
			goto done;
		}
		break;
	}
	error = 0;

done:
	free(value);
	return error;
}

static bool same_scope(const struct fault_rule *a, const struct fault_rule *b)
{
	if (!a->path || !b->path)
		return !a->path && !b->path;
	return a->prefix == b->prefix && strcmp(a->path, b->path) == 0 &&
	       ((!a->method && !b->method) ||
		(a->method && b->method && strcmp(a->method, b->method) == 0));
}

static bool is_rate_kind(enum emu_fault_kind k)
{
	return k >= EMU_FAULT_429 && k <= EMU_FAULT_DROP_CREATE;
}

/* The rates of one scope may add up to at most 1. */
static int check_sums(const struct fault_rule *rules, size_t n, char *err,
		      size_t errlen)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		double sum = 0;

		for (j = 0; j < n; j++)
			if (is_rate_kind(rules[j].kind) &&
			    same_scope(&rules[i], &rules[j]))
				sum += rules[j].rate;
		if (sum > 1 + 1e-9) {
			snprintf(err, errlen,
				 "the fault rates for %s add up to %g, more "
				 "than 1",
				 rules[i].path ? rules[i].path : "all paths",
				 sum);
			return -1;
		}
	}
	return 0;
}

int emu_faults_set_spec(struct emu_faults *f, const char *spec, char *err,
			size_t errlen)
{
	struct fault_rule *rules = NULL;
	size_t n = 0, index = 0;
	int64_t retry_after = DEFAULT_RETRY_AFTER;
	const char *p = spec ? spec : "";
	size_t total = strlen(p);

	if (total > MAX_SPEC_LEN) {
		snprintf(err, errlen, "the fault spec is longer than %d bytes",
			 MAX_SPEC_LEN);
		return -1;
	}
	if (!emu_utf8_valid(p, total)) {
		snprintf(err, errlen, "the fault spec is not valid UTF-8");
		return -1;
	}
	trim(p, &total);
	if (total == 0)
		p = "";
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *rule = trim(p, &len);
		char why[200] = "";

		index++;
		if (len == 0) {
			snprintf(err, errlen, "fault rule %zu is empty", index);
			goto fail;
		}
		if (n == EMU_FAULTS_MAX_RULES) {
			snprintf(err, errlen, "more than %d fault rules",
				 EMU_FAULTS_MAX_RULES);
			goto fail;
		}
		rules = emu_xrealloc(rules, (n + 1) * sizeof(*rules));
		if (parse_rule(&rules[n], &retry_after, rule, len, why,
			       sizeof(why)) < 0) {
			n++;
			snprintf(err, errlen, "fault rule %zu ('%.*s'): %s",
				 index, (int)len, rule, why);
			goto fail;
		}
		n++;
		if (!comma)
			break;
		p = comma + 1;
		if (*p == '\0') {
			snprintf(err, errlen, "fault rule %zu is empty",
				 index + 1);
			goto fail;
		}
	}
	if (check_sums(rules, n, err, errlen) < 0)
		goto fail;

	rules_free(f->rules, f->nrules);
	f->rules = rules;
	f->nrules = n;
	f->retry_after = retry_after;
	free(f->spec);
	total = strlen(spec ? spec : "");
	p = trim(spec ? spec : "", &total);
	f->spec = emu_xmemdup0(p, total);
	emu_faults_clear_counters(f);
	return 0;

fail:
	rules_free(rules, n);
	return -1;
}

/* --- per request ---------------------------------------------------------- */

bool emu_faults_path_exempt(const char *path)
{
	size_t i;

	for (i = 0; i < EMU_ARRAY_SIZE(exempt_prefixes); i++)
		if (strncmp(path, exempt_prefixes[i],
			    strlen(exempt_prefixes[i])) == 0)
			return true;
	return false;
}

static bool rule_matches(const struct fault_rule *r, const char *method,
			 const char *path, bool exempt)
{
	if (!r->path)
		return !exempt;
	if (r->method && strcmp(r->method, method) != 0)
		return false;
	if (r->prefix) {
		if (strncmp(path, r->path, strlen(r->path)) != 0)
			return false;
		/* A wildcard such as "/x*" reaches an exempt path only when
		 * its own path starts with that prefix. */
		return !exempt || emu_faults_path_exempt(r->path);
	}
	return strcmp(path, r->path) == 0;
}

static bool is_write(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	       strcmp(method, "PATCH") == 0;
}

void emu_faults_decide(struct emu_fault_decision *out, struct emu_faults *f,
		       const char *method, const char *path)
{
	const struct fault_rule *effective[NKINDS] = {NULL};
	bool exempt = emu_faults_path_exempt(path), any_rate = false;
	double u, acc = 0;
	size_t i;
	int k;

	out->kind = EMU_FAULT_NONE;
	out->latency_ms = 0;
	/* Unscoped rules first, then scoped ones override them. */
	for (i = 0; i < f->nrules; i++)
		if (!f->rules[i].path &&
		    rule_matches(&f->rules[i], method, path, exempt))
			effective[f->rules[i].kind] = &f->rules[i];
	for (i = 0; i < f->nrules; i++)
		if (f->rules[i].path &&
		    rule_matches(&f->rules[i], method, path, exempt))
			effective[f->rules[i].kind] = &f->rules[i];

	if (effective[EMU_FAULT_LATENCY] &&
	    effective[EMU_FAULT_LATENCY]->latency_ms > 0) {
		out->latency_ms = effective[EMU_FAULT_LATENCY]->latency_ms;
		f->injected[EMU_FAULT_LATENCY]++;
	}
	/* Only a write can be executed and then lost. */
	if (!is_write(method))
		effective[EMU_FAULT_DROP_CREATE] = NULL;
	for (k = EMU_FAULT_429; k <= EMU_FAULT_DROP_CREATE; k++)
		if (effective[k] && effective[k]->rate > 0)
			any_rate = true;
	if (!any_rate)
		return;
	u = draw(f);
	for (k = EMU_FAULT_429; k <= EMU_FAULT_DROP_CREATE; k++) {
		if (!effective[k])
			continue;
		acc += effective[k]->rate;
		if (u < acc) {
			out->kind = (enum emu_fault_kind)k;
			f->injected[k]++;
			return;
		}
	}
}

void emu_faults_respond(const struct emu_faults *f, enum emu_fault_kind kind,
			struct emu_response *resp)
{
	char value[24];

	switch (kind) {
	case EMU_FAULT_429:
		emu_error(resp, 429, "REQUEST_LIMIT_EXCEEDED",
			  "The request was throttled: too many requests. "
			  "Please try again later.");
		snprintf(value, sizeof(value), "%lld",
			 (long long)f->retry_after);
		emu_response_set_header(resp, "Retry-After", value);
		break;
	case EMU_FAULT_503:
		emu_error(resp, 503, "TEMPORARILY_UNAVAILABLE",
			  "The service is temporarily unavailable. Please try "
			  "again later.");
		break;
	case EMU_FAULT_500:
		emu_error(resp, 500, "INTERNAL_ERROR",
			  "An internal error occurred while processing the "
			  "request.");
		break;
	case EMU_FAULT_403:
		emu_error(resp, 403, "PERMISSION_DENIED",
			  "You do not have permission to use this API.");
		break;
	default:
		break;
	}
}

cJSON *emu_faults_json(const struct emu_faults *f)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *rules, *injected;
	size_t i;
	int k;

	cJSON_AddStringToObject(root, "spec", f->spec);
	emu_json_add_int64(root, "seed", (int64_t)f->seed);
	emu_json_add_int64(root, "retry_after", f->retry_after);
	rules = cJSON_AddArrayToObject(root, "rules");
	for (i = 0; i < f->nrules; i++) {
		const struct fault_rule *r = &f->rules[i];
		cJSON *item;

		if (r->kind == EMU_FAULT_RETRY_AFTER)
			continue;
		item = cJSON_CreateObject();
		if (r->method)
			cJSON_AddStringToObject(item, "method", r->method);
		if (r->path) {
			char *path = emu_printf("%s%s", r->path,
						r->prefix ? "*" : "");

			cJSON_AddStringToObject(item, "path", path);
			free(path);
		}
		cJSON_AddStringToObject(item, "kind", kind_names[r->kind]);
		if (r->kind == EMU_FAULT_LATENCY)
			emu_json_add_int64(item, "latency_ms", r->latency_ms);
		else
			cJSON_AddNumberToObject(item, "rate", r->rate);
		cJSON_AddItemToArray(rules, item);
	}
	injected = cJSON_AddObjectToObject(root, "injected");
	for (k = EMU_FAULT_429; k <= EMU_FAULT_LATENCY; k++)
		emu_json_add_int64(injected, kind_names[k], f->injected[k]);
	return root;
}

/* --- rate limit ----------------------------------------------------------- */

void emu_faults_set_rate_limit(struct emu_faults *f, unsigned per_second)
{
	f->rate_limit = per_second;
	f->bucket_milli = (int64_t)per_second * 1000;
	f->bucket_ms = 0;
}

unsigned emu_faults_rate_limit(const struct emu_faults *f)
{
	return f->rate_limit;
}

bool emu_faults_rate_admit(struct emu_faults *f, int64_t now_ms,
			   struct emu_response *resp)
{
	int64_t cap = (int64_t)f->rate_limit * 1000;

	if (f->rate_limit == 0)
		return true;
	if (f->bucket_ms == 0 || now_ms < f->bucket_ms) {
		f->bucket_ms = now_ms;
	} else if (now_ms > f->bucket_ms) {
		int64_t elapsed = now_ms - f->bucket_ms;

		/* Elapsed ms times requests per second is thousandths. */
		if (elapsed > 1000)
			elapsed = 1000;
		f->bucket_milli += elapsed * (int64_t)f->rate_limit;
		if (f->bucket_milli > cap)
			f->bucket_milli = cap;
		f->bucket_ms = now_ms;
	}
	if (f->bucket_milli >= 1000) {
		f->bucket_milli -= 1000;
		f->admitted++;
		return true;
	}
	f->throttled++;
	emu_error(resp, 429, "REQUEST_LIMIT_EXCEEDED",
		  "Rate limit exceeded: at most %u requests per second. "
		  "Please retry after the time given in Retry-After.",
		  f->rate_limit);
	emu_response_set_header(resp, "Retry-After", "1");
	return false;
}

void emu_faults_rate_json(const struct emu_faults *f, cJSON *obj)
{
	emu_json_add_int64(obj, "rate_limit", f->rate_limit);
	emu_json_add_int64(obj, "admitted", f->admitted);
	emu_json_add_int64(obj, "throttled", f->throttled);
}

void emu_faults_clear_rate_counters(struct emu_faults *f)
{
	f->admitted = 0;
	f->throttled = 0;
}
