/*
 * Shared value checks. Messages say what is wrong and what would be right,
 * and point at the attribute, so `terraform validate` is enough to fix it.
 */
#include "validate.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "value.h"

int tfp_validate_name(struct tfp_diags *d, const struct tfp_path *path,
		      const char *s, const char *what, size_t max,
		      const char *punct, const char *punct_desc)
{
	char summary[96];
	size_t n = strlen(s), i;

	snprintf(summary, sizeof(summary), "Invalid %s", what);
	if (n == 0 || n > max)
		return tfp_diag_attr_error(
			d, path, summary,
			"A %s must be 1 to %zu characters long; this one has "
			"%zu.",
			what, max, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(punct, c) != NULL)
			continue;
		return tfp_diag_attr_error(
			d, path, summary,
			"\"%s\" contains '%c' at position %zu. A %s may contain "
			"letters, digits, %s.",
			s, c, i + 1, what, punct_desc);
	}
	return TFP_OK;
}

bool tfp_contains_fold(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n && hay[i] != '\0'; i++)
			if (tolower((unsigned char)hay[i]) !=
			    tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return true;
	}
	return n == 0;
}

/* 30 days: longer is surely a typo, and it keeps the sum in range. */
#define DURATION_MAX_MS (30LL * 24 * 3600 * 1000)

int tfp_parse_duration_ms(int64_t *ms, const char *s)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = {{"ns", 1e-6}, {"us", 1e-3}, {"\xc2\xb5s", 1e-3},
		     {"ms", 1},    {"s", 1e3},   {"m", 60e3},
		     {"h", 3600e3}};
	double total = 0;

	if (s == NULL || *s == '\0')
		return TFP_ERROR;
	if (strcmp(s, "0") == 0) {
		*ms = 0;
		return TFP_OK;
	}
	while (*s != '\0') {
		double n = 0, scale = 1;
		size_t i, len = 0, best = TFP_ARRAY_SIZE(units);
		bool digits = false;

		/* digits[.digits] by hand: strtod would also take "0x10",
		 * "1e3" and signs, which Go's durations do not. */
		for (; isdigit((unsigned char)*s); s++, digits = true)
			n = n * 10 + (*s - '0');
		if (*s == '.')
			for (s++; isdigit((unsigned char)*s); s++, digits = true)
				n += (*s - '0') * (scale /= 10);
		if (!digits)
			return TFP_ERROR;
		/* The longest unit that matches: "ms" before "m". */
		for (i = 0; i < TFP_ARRAY_SIZE(units); i++) {
			size_t l = strlen(units[i].unit);

			if (l > len && strncmp(s, units[i].unit, l) == 0) {
				len = l;
				best = i;
			}
		}
		if (best == TFP_ARRAY_SIZE(units))
			return TFP_ERROR;
		total += n * units[best].ms;
		if (total > (double)DURATION_MAX_MS)
			return TFP_ERROR;
		s += len;
	}
	*ms = (int64_t)total;
	return TFP_OK;
}

int tfp_validate_enum(struct tfp_diags *d, const struct tfp_path *path,
		      const struct tfp_value *v, const char *what,
		      const char *const *allowed, bool fold, const char *list)
{
	size_t i;

	for (i = 0; allowed[i] != NULL; i++)
		if ((fold ? strcasecmp(v->u.str, allowed[i])
			  : strcmp(v->u.str, allowed[i])) == 0)
			return TFP_OK;
	return tfp_diag_attr_error(d, path,
				   tfp_arena_printf(d->arena, "Invalid %s",
						    what),
				   "%s must be one of %s, not \"%s\".", what,
				   list, v->u.str);
}

int tfp_validate_duration(struct tfp_diags *d, const struct tfp_path *path,
			  const struct tfp_value *v)
{
	int64_t ms;

	if (tfp_parse_duration_ms(&ms, v->u.str) == TFP_OK)
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Invalid duration",
				   "Expected a duration such as \"30m\", "
				   "\"1h30m\" or \"90s\" (units h, m, s, "
				   "ms), at most 30 days; got \"%s\".",
				   v->u.str);
}
