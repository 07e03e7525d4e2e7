/*
 * Databricks error responses: {"error_code": "...", "message": "..."} with
 * the status Databricks uses for that code (databricks-rest-api.md §1.3).
 *
 * Every helper replaces the response's status and body and returns -1, so a
 * validation step reads `return emu_error_invalid(resp, "...");` and the
 * emu_arg_* accessors can chain on it. The codes that clients act on are
 * spelled out here once; handlers use the helpers rather than repeating
 * status/code pairs, so a quirk such as the 400 for an existing secret
 * scope is visible where it is raised.
 */
#ifndef EMU_ERRORS_H
#define EMU_ERRORS_H

#include "util.h"

struct emu_response;

/**
 * Sets resp to status with {"error_code": code, "message": <fmt ...>}.
 * code must be a string literal (it is kept as resp->error_code).
 * Returns -1.
 */
int emu_error(struct emu_response *resp, int status, const char *code,
	      const char *fmt, ...) EMU_PRINTF(4, 5);

/** 400 INVALID_PARAMETER_VALUE with the message. */
int emu_error_invalid(struct emu_response *resp, const char *fmt, ...)
	EMU_PRINTF(2, 3);

/** 404 RESOURCE_DOES_NOT_EXIST with the message. */
int emu_error_not_found(struct emu_response *resp, const char *fmt, ...)
	EMU_PRINTF(2, 3);

/** 400 INVALID_PARAMETER_VALUE "Missing required field: <name>". */
int emu_error_missing_field(struct emu_response *resp, const char *name);

/**
 * 400 INVALID_PARAMETER_VALUE naming the field, the expected type and the
 * type received ("Invalid value for field 'scope': expected a string, got a
 * number.").
 */
int emu_error_field_type(struct emu_response *resp, const char *name,
			 const char *expected, const char *got);

/**
 * 400 MALFORMED_REQUEST for a body that is not JSON, as the real service
 * words it: "Invalid JSON given in the body of the request - <detail>".
 */
int emu_error_malformed(struct emu_response *resp, const char *detail);

/**
 * 404 ENDPOINT_NOT_FOUND "No API found for '<METHOD> <path>'". As on the
 * real service, the "/api/<major>.<minor>" prefix is left out of the
 * message, and a known path with the wrong method is answered the same
 * way (there is no 405).
 */
int emu_error_no_api(struct emu_response *resp, const char *method,
		     const char *path);

#endif
