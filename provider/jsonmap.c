/*
 * Exact JSON accessors; see jsonmap.h for the integer rule and why.
 */
#include "jsonmap.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include "diag.h"

/* 2^53: the first integer a double cannot tell from its successor. */
#define JSON_EXACT_LIMIT 9007199254740992.0

const char *tfp_json_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int tfp_json_int(int64_t *out, const cJSON *obj, const char *name,
		 struct tfp_diags *d)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	double x;

	if (v == NULL || cJSON_IsNull(v))
		return TFP_ENOTFOUND;
	if (!cJSON_IsNumber(v))
		return tfp_diag_error(d, "Unexpected reply from the workspace",
				      "Field \"%s\" should be a number.", name);
	x = v->valuedouble;
	if (x != floor(x) || fabs(x) >= JSON_EXACT_LIMIT)
		return tfp_diag_error(
			d, "Unexpected reply from the workspace",
			"Field \"%s\" is %.17g, which is not an integer that "
			"brickform can keep exactly (|n| < 2^53).",
			name, x);
	*out = (int64_t)x;
	return TFP_OK;
}

void tfp_json_add_int(cJSON *obj, const char *name, int64_t v)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRId64, v);
	cJSON_AddItemToObject(obj, name, cJSON_CreateRaw(text));
}
