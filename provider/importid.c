/*
 * Compound import IDs.
 */
#include "importid.h"

#include <string.h>
#include "arena.h"
#include "diag.h"

int tfp_importid_split(const char **parts, size_t n, struct tfp_arena *a,
		       struct tfp_diags *d, const char *id, const char *sep,
		       const char *form)
{
	const char *p = id;
	size_t i, seplen = strlen(sep);

	for (i = 0; i + 1 < n; i++) {
		const char *end = strstr(p, sep);

		if (end == NULL || end == p)
			goto malformed;
		parts[i] = tfp_arena_strndup(a, p, (size_t)(end - p));
		p = end + seplen;
	}
	if (*p == '\0')
		goto malformed;
	parts[n - 1] = tfp_arena_strdup(a, p);
	return TFP_OK;
malformed:
	return tfp_diag_error(d, "Invalid import ID",
			      "\"%s\" is not of the form %s.", id, form);
}
