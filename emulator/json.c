/*
 * Exact JSON integers for the emulator; see json.h for the rule and why
 * cJSON's own number printer is not used for integers.
 */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

cJSON *emu_json_int64(int64_t v)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRId64, v);
	return cJSON_CreateRaw(text);
}

void emu_json_add_int64(cJSON *obj, const char *name, int64_t v)
{
	cJSON_AddItemToObject(obj, name, emu_json_int64(v));
}

int emu_json_get_int64(int64_t *out, const cJSON *item)
{
	double d;

	if (!cJSON_IsNumber(item))
		return -1;
	d = item->valuedouble;
	if (!isfinite(d) || floor(d) != d || fabs(d) > (double)EMU_JSON_MAX_INT)
		return -1;
	*out = (int64_t)d;
	return 0;
}

int emu_json_parse_int64_text(int64_t *out, const char *text)
{
	const char *p = text;
	char *end = NULL;
	long long v;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0' || v > EMU_JSON_MAX_INT ||
	    v < -EMU_JSON_MAX_INT)
		return -1;
	*out = (int64_t)v;
	return 0;
}

const char *emu_json_type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item) || cJSON_IsRaw(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsObject(item))
		return "an object";
	if (cJSON_IsNull(item))
		return "null";
	return "an unknown value";
}
