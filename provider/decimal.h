/*
 * Exact decimal numbers: the big-number text arithmetic that lets values
 * compare 3, 3.0 and "3e0" as equal without a bignum library.
 *
 * A tfp_decimal is a finite number in normal form, sign, significant
 * digits and exponent, so two numbers are equal exactly when their forms
 * are. The module parses decimal text, converts from int64 and double
 * (exactly: a double's every binary digit becomes decimal digits) and back
 * to int64 when integral and in range. It knows nothing of Terraform values
 * (value.c applies cty's number rules on top of it) and does no rounding.
 */
#ifndef TFP_DECIMAL_H
#define TFP_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The value is DIGITS x 10^exp, with no leading or trailing zeros in
 * DIGITS; zero has no digits. Caller-owned: initialise with {0}, fill with
 * one of the functions below and release with tfp_decimal_dispose.
 */
struct tfp_decimal {
	bool neg;
	char *digits; /* malloc'd, n bytes, not terminated */
	size_t n;
	int64_t exp;
};

/**
 * Parses the len bytes at s, [+-]digits[.digits][(e|E)[+-]digits] (also
 * ".5" and "5.", as cty's ParseNumberVal accepts; never "Inf"), into *out.
 * Returns false, with nothing to dispose, when s is not such a number or
 * its exponent is beyond a billion.
 */
bool tfp_decimal_parse(struct tfp_decimal *out, const char *s, size_t len);

/** The decimal form of i into *out (always succeeds). */
void tfp_decimal_from_int(struct tfp_decimal *out, int64_t i);

/**
 * The exact decimal form of f into *out. Returns false, with nothing to
 * dispose, when f is not finite.
 */
bool tfp_decimal_from_double(struct tfp_decimal *out, double f);

/** *out = d when d is an integer within int64; false otherwise. */
bool tfp_decimal_to_int(int64_t *out, const struct tfp_decimal *d);

/** True when x and y are the same number. */
bool tfp_decimal_equal(const struct tfp_decimal *x,
		       const struct tfp_decimal *y);

/**
 * d as text that reads back as exactly d, malloc'd: positional ("0.5",
 * "1500", "0.000931...") within 30 zeros, else "[-]<digits>e<exp>". Terraform reads number text at 512 bits, so this keeps
 * every digit of a double (2^-30 is 931322574615478515625e-30).
 */
char *tfp_decimal_text(const struct tfp_decimal *d);

/** Frees d's digits; d may then be filled again. */
void tfp_decimal_dispose(struct tfp_decimal *d);

#endif
