/*
 * Exact decimal numbers (see decimal.h): parsing, conversion from int64
 * and double, conversion back to int64, equality.
 *
 * Everything works on the normal form, so equality is a comparison of
 * fields and no arithmetic beyond digit shuffling is needed. The digits
 * are malloc'd rather than arena-allocated because value comparison
 * (tfp_value_equal) has no arena; each function that fills a tfp_decimal
 * leaves nothing allocated when it fails.
 */
#include "decimal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
/* Exponents beyond this are refused rather than risking overflow. */
#define DEC_MAX_EXP 1000000000

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Parses [+-]digits[.digits][(e|E)[+-]digits], also ".5" and "5.", which is
 * what cty's ParseNumberVal accepts in practice, less "Inf". Returns false
 * (with nothing to dispose) when s is not such a number.
 */
bool tfp_decimal_parse(struct tfp_decimal *out, const char *s, size_t len)
{
	size_t i = 0, n_int = 0, n_frac = 0, start, k;
	int64_t e = 0, frac_shift;
	bool eneg = false;
	char *digits;
	size_t nd = 0, lead;

	memset(out, 0, sizeof(*out));
	if (i < len && (s[i] == '+' || s[i] == '-')) {
		out->neg = s[i] == '-';
		i++;
	}
	start = i;
	while (i < len && is_digit(s[i]))
		i++;
	n_int = i - start;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && is_digit(s[i])) {
			i++;
			n_frac++;
		}
	}
	if (n_int + n_frac == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t estart;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-')) {
			eneg = s[i] == '-';
			i++;
		}
		estart = i;
		while (i < len && is_digit(s[i])) {
			if (e > DEC_MAX_EXP)
				return false;
			e = e * 10 + (s[i] - '0');
			i++;
		}
		if (i == estart || e > DEC_MAX_EXP)
			return false;
		if (eneg)
			e = -e;
	}
	if (i != len)
		return false;

	digits = tfp_xmalloc(n_int + n_frac + 1);
	for (k = start; k < start + n_int + n_frac + (n_frac ? 1 : 0); k++)
		if (is_digit(s[k]))
			digits[nd++] = s[k];
	/* A "5." has a point but no fraction digits: nothing more to copy. */
	frac_shift = (int64_t)n_frac;

	for (lead = 0; lead < nd && digits[lead] == '0'; lead++)
		;
	memmove(digits, digits + lead, nd - lead);
	nd -= lead;
	while (nd > 0 && digits[nd - 1] == '0') {
		nd--;
		e++;
	}
	out->digits = digits;
	out->n = nd;
	out->exp = nd ? e - frac_shift : 0;
	if (nd == 0)
		out->neg = false;
	return true;
}

char *tfp_decimal_text(const struct tfp_decimal *d)
{
	/* Positional ("0.5", "1500") within a few dozen zeros, as people
	 * write numbers; an exponent beyond that. */
	size_t cap = d->n + 64, len = 0;
	char *t = tfp_xmalloc(cap);
	int64_t k;

	if (d->n == 0) {
		memcpy(t, "0", 2);
		return t;
	}
	if (d->neg)
		t[len++] = '-';
	if (d->exp >= 0 && d->exp <= 30) {
		memcpy(t + len, d->digits, d->n);
		len += d->n;
		for (k = 0; k < d->exp; k++)
			t[len++] = '0';
	} else if (d->exp < 0 && -d->exp < (int64_t)d->n) {
		size_t whole = d->n - (size_t)(-d->exp);

		memcpy(t + len, d->digits, whole);
		len += whole;
		t[len++] = '.';
		memcpy(t + len, d->digits + whole, d->n - whole);
		len += d->n - whole;
	} else if (d->exp < 0 && -d->exp <= (int64_t)d->n + 30) {
		t[len++] = '0';
		t[len++] = '.';
		for (k = 0; k < -d->exp - (int64_t)d->n; k++)
			t[len++] = '0';
		memcpy(t + len, d->digits, d->n);
		len += d->n;
	} else {
		memcpy(t + len, d->digits, d->n);
		len += d->n;
		len += (size_t)snprintf(t + len, cap - len, "e%" PRId64,
					d->exp);
	}
	t[len] = '\0';
	return t;
}

void tfp_decimal_dispose(struct tfp_decimal *d)
{
	free(d->digits);
	d->digits = NULL;
}

bool tfp_decimal_equal(const struct tfp_decimal *x, const struct tfp_decimal *y)
{
	return x->neg == y->neg && x->n == y->n && x->exp == y->exp &&
	       memcmp(x->digits, y->digits, x->n) == 0;
}

/* The decimal form of an int64 (always succeeds). */
void tfp_decimal_from_int(struct tfp_decimal *out, int64_t i)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, i);

	(void)tfp_decimal_parse(out, buf, (size_t)n);
}

/*
 * The exact decimal form of a finite double. Every double is a dyadic
 * rational with at most 767 significant decimal digits, and glibc's printf
 * prints exact digits at any precision, so 800 digits after the point lose
 * nothing (trailing zeros are stripped by tfp_decimal_parse).
 */
bool tfp_decimal_from_double(struct tfp_decimal *out, double f)
{
	char buf[840];
	int n;

	if (!isfinite(f))
		return false;
	n = snprintf(buf, sizeof(buf), "%.800e", f);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return false;
	return tfp_decimal_parse(out, buf, (size_t)n);
}

/* Value of a decimal form when it is an integer within int64. */
bool tfp_decimal_to_int(int64_t *out, const struct tfp_decimal *d)
{
	uint64_t v = 0, limit;
	size_t i;
	int64_t k;

	if (d->n == 0) {
		*out = 0;
		return true;
	}
	if (d->exp < 0 || (int64_t)d->n + d->exp > 19)
		return false;
	/* 19 digits are below 10^19 < 2^64, so v cannot wrap. */
	for (i = 0; i < d->n; i++)
		v = v * 10 + (uint64_t)(d->digits[i] - '0');
	for (k = 0; k < d->exp; k++) {
		if (v > UINT64_MAX / 10)
			return false;
		v *= 10;
	}
	limit = d->neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (v > limit)
		return false;
	if (d->neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return true;
}
