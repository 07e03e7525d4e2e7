/*
 * Databricks-shaped error bodies; see errors.h. Messages are formatted with
 * vsnprintf into the heap and put into cJSON, which escapes them, so
 * untrusted names echoed in a message cannot break the JSON.
 */
#include "errors.h"

#include <stdlib.h>
#include <string.h>

#include "http.h"

static int verror(struct emu_response *resp, int status, const char *code,
		  const char *fmt, va_list ap) EMU_PRINTF(4, 0);

static int verror(struct emu_response *resp, int status, const char *code,
		  const char *fmt, va_list ap)
{
	char *message = emu_vprintf(fmt, ap);
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "error_code", code);
	cJSON_AddStringToObject(body, "message", message);
	free(message);
	emu_response_json(resp, status, body);
	resp->error_code = code;
	return -1;
}

int emu_error(struct emu_response *resp, int status, const char *code,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(resp, status, code, fmt, ap);
	va_end(ap);
	return -1;
}

int emu_error_invalid(struct emu_response *resp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(resp, 400, "INVALID_PARAMETER_VALUE", fmt, ap);
	va_end(ap);
	return -1;
}

int emu_error_not_found(struct emu_response *resp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(resp, 404, "RESOURCE_DOES_NOT_EXIST", fmt, ap);
	va_end(ap);
	return -1;
}

int emu_error_missing_field(struct emu_response *resp, const char *name)
{
	return emu_error_invalid(resp, "Missing required field: %s", name);
}

int emu_error_field_type(struct emu_response *resp, const char *name,
			 const char *expected, const char *got)
{
	return emu_error_invalid(resp,
				 "Invalid value for field '%s': expected %s, "
				 "got %s.",
				 name, expected, got);
}

int emu_error_malformed(struct emu_response *resp, const char *detail)
{
	return emu_error(resp, 400, "MALFORMED_REQUEST",
			 "Invalid JSON given in the body of the request - %s",
			 detail);
}

/* Length of a leading "/api/<digits>.<digits>" followed by '/', or 0. */
static size_t api_version_prefix(const char *path)
{
	const char *p = path;

	if (strncmp(p, "/api/", 5) != 0)
		return 0;
	p += 5;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != '.')
		return 0;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '/' ? (size_t)(p - path) : 0;
}

int emu_error_no_api(struct emu_response *resp, const char *method,
		     const char *path)
{
	return emu_error(resp, 404, "ENDPOINT_NOT_FOUND",
			 "No API found for '%s %s'", method,
			 path + api_version_prefix(path));
}
