/*
 * Exact JSON integers, member getters and type checks; see json.h for the
 * integer rule and why cJSON's own number printer is not used for
 * integers. Depends on util.h and cJSON only.
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

int emu_json_int(int64_t *out, const cJSON *item)
{
	/* Raw nodes are exact integer text the emulator made. */
	if (cJSON_IsRaw(item) && item->valuestring)
		return emu_json_parse_int64_text(out, item->valuestring);
	return emu_json_get_int64(out, item);
}

bool emu_json_is_number(const cJSON *item)
{
	return cJSON_IsNumber(item) || cJSON_IsRaw(item);
}

/* --- members -------------------------------------------------------------- */

cJSON *emu_json_member(const cJSON *obj, const char *name)
{
	cJSON *item;

	if (!cJSON_IsObject(obj))
		return NULL;
	item = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsNull(item) ? NULL : item;
}

const char *emu_json_str(const cJSON *obj, const char *name)
{
	const cJSON *item = emu_json_member(obj, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

int emu_json_member_int(int64_t *out, const cJSON *obj, const char *name)
{
	return emu_json_int(out, emu_json_member(obj, name));
}

size_t emu_json_array_len(const cJSON *array)
{
	const cJSON *item;
	size_t n = 0;

	if (!cJSON_IsArray(array))
		return 0;
	for (item = array->child; item; item = item->next)
		n++;
	return n;
}

/* --- types ---------------------------------------------------------------- */

bool emu_json_type_ok(const cJSON *item, enum emu_json_type t)
{
	int64_t v;

	switch (t) {
	case EMU_JSON_STRING:
		return cJSON_IsString(item);
	case EMU_JSON_INT:
		return emu_json_int(&v, item) == 0;
	case EMU_JSON_BOOL:
		return cJSON_IsBool(item);
	case EMU_JSON_OBJECT:
		return cJSON_IsObject(item);
	case EMU_JSON_ARRAY:
		return cJSON_IsArray(item);
	}
	return false;
}

const char *emu_json_type_word(enum emu_json_type t)
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
