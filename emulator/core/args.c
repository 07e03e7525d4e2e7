/*
 * Argument accessors and member type checks; see args.h. Errors are
 * written with errors.h, so every wrong type or missing field is worded
 * the same way across the APIs.
 */
#include "args.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "http.h"
#include "json.h"
#include "util.h"

/* The body value of name, or NULL when absent or JSON null (Go clients
 * omit empty fields, and null means the same as absent to the service). */
const cJSON *emu_arg_json(const struct emu_request *req, const char *name)
{
	return emu_json_member(req->json, name);
}

int emu_arg_string(const char **out, struct emu_request *req,
		   struct emu_response *resp, const char *name, unsigned flags)
{
	*out = NULL;
	if (emu_request_has_json_body(req)) {
		const cJSON *item = emu_arg_json(req, name);

		if (item && !cJSON_IsString(item))
			return emu_error_field_type(resp, name, "a string",
						    emu_json_type_name(item));
		if (item)
			*out = item->valuestring;
	} else {
		*out = emu_request_query(req, name);
	}
	if (!*out && (flags & EMU_ARG_REQUIRED))
		return emu_error_missing_field(resp, name);
	return 0;
}

int emu_arg_int64(int64_t *out, bool *present, struct emu_request *req,
		  struct emu_response *resp, const char *name, unsigned flags)
{
	bool found = false;

	if (emu_request_has_json_body(req)) {
		const cJSON *item = emu_arg_json(req, name);

		if (item) {
			if (!cJSON_IsNumber(item))
				return emu_error_field_type(
					resp, name, "an integer",
					emu_json_type_name(item));
			if (emu_json_get_int64(out, item) < 0)
				return emu_error_invalid(
					resp,
					"Invalid value for field '%s': "
					"expected an integer with magnitude "
					"below 2^53.",
					name);
			found = true;
		}
	} else {
		const char *text = emu_request_query(req, name);

		if (text) {
			if (emu_json_parse_int64_text(out, text) < 0)
				return emu_error_invalid(
					resp,
					"Invalid value for field '%s': '%s' "
					"is not an integer below 2^53.",
					name, text);
			found = true;
		}
	}
	if (present)
		*present = found;
	if (!found && (flags & EMU_ARG_REQUIRED))
		return emu_error_missing_field(resp, name);
	return 0;
}

int emu_arg_bool(bool *out, bool *present, struct emu_request *req,
		 struct emu_response *resp, const char *name, unsigned flags)
{
	bool found = false;

	if (emu_request_has_json_body(req)) {
		const cJSON *item = emu_arg_json(req, name);

		if (item) {
			if (!cJSON_IsBool(item))
				return emu_error_field_type(
					resp, name, "a boolean",
					emu_json_type_name(item));
			*out = cJSON_IsTrue(item);
			found = true;
		}
	} else {
		const char *text = emu_request_query(req, name);

		if (text) {
			if (strcmp(text, "true") == 0)
				*out = true;
			else if (strcmp(text, "false") == 0)
				*out = false;
			else
				return emu_error_invalid(
					resp,
					"Invalid value for field '%s': '%s' "
					"is not true or false.",
					name, text);
			found = true;
		}
	}
	if (present)
		*present = found;
	if (!found && (flags & EMU_ARG_REQUIRED))
		return emu_error_missing_field(resp, name);
	return 0;
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
		    emu_json_type_ok(item, fields[i].type))
			continue;
		name = prefix && *prefix
			       ? emu_printf("%s.%s", prefix, fields[i].name)
			       : emu_xstrdup(fields[i].name);
		emu_error_field_type(resp, name,
				     emu_json_type_word(fields[i].type),
				     emu_json_type_name(item));
		free(name);
		return -1;
	}
	return 0;
}
