/*
 * Exact JSON integers for the emulator; see json.h for the rule and why
 * cJSON's own number printer is not used for integers. Also the type checks
 * of request members.
 */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "errors.h"
#include "util.h"

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

static bool type_ok(const cJSON *item, enum emu_json_type t)
{
	int64_t v;

	switch (t) {
	case EMU_JSON_STRING:
		return cJSON_IsString(item);
	case EMU_JSON_INT:
		/* Raw items are exact integer text the emulator made. */
		if (cJSON_IsRaw(item) && item->valuestring)
			return emu_json_parse_int64_text(
				       &v, item->valuestring) == 0;
		return emu_json_get_int64(&v, item) == 0;
	case EMU_JSON_BOOL:
		return cJSON_IsBool(item);
	case EMU_JSON_OBJECT:
		return cJSON_IsObject(item);
	case EMU_JSON_ARRAY:
		return cJSON_IsArray(item);
	}
	return false;
}

static const char *type_word(enum emu_json_type t)
{
	switch (t) {
	case EMU_JSON_STRING:
		return "a string";
	case EMU_JSON_INT:
		return "an integer";
	case EMU_JSON_BOOL:
		return "a boolean";
	case EMU_JSON_OBJECT:
		return "an object";
	case EMU_JSON_ARRAY:
		return "an array";
	}
	return "a value";
}

int emu_json_check_fields(const cJSON *obj, const struct emu_json_field *fields,
			  size_t n, const char *prefix,
			  struct emu_response *resp)
{
	size_t i;

	if (!cJSON_IsObject(obj))
		return 0;
	for (i = 0; i < n; i++) {
		const cJSON *item =
			cJSON_GetObjectItemCaseSensitive(obj, fields[i].name);
		char *name;

		if (!item || cJSON_IsNull(item) ||
		    type_ok(item, fields[i].type))
			continue;
		name = prefix && *prefix
			       ? emu_printf("%s.%s", prefix, fields[i].name)
			       : emu_xstrdup(fields[i].name);
		emu_error_field_type(resp, name, type_word(fields[i].type),
				     emu_json_type_name(item));
		free(name);
		return -1;
	}
	return 0;
}
