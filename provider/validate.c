/*
 * Shared value checks. Messages say what is wrong and what would be right,
 * and point at the attribute, so `terraform validate` is enough to fix it.
 */
#include "validate.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
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

int tfp_validate_principal(struct tfp_diags *d, const struct tfp_path *path,
			   const struct tfp_value *v)
{
	if (v->u.str[0] != '\0')
		return TFP_OK;
	return tfp_diag_attr_error(d, path, "Empty principal",
				   "principal must name a user, a group or a "
				   "service principal.");
}
