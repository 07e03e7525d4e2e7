/*
 * Request arguments and member checks that answer with Databricks errors.
 *
 * Databricks reads GET/DELETE arguments from the query string and
 * POST/PUT/PATCH arguments from the JSON body (databricks-rest-api.md
 * §1.1). The emu_arg_* accessors hide that difference, check the type, and
 * on failure write the Databricks error into the response (400
 * INVALID_PARAMETER_VALUE naming the field), so a handler does
 *
 *	if (emu_arg_string(&scope, req, resp, "scope", EMU_ARG_REQUIRED) < 0)
 *		return;
 *
 * This layer sits on http.h (requests, responses), errors.h and json.h;
 * nothing below it knows it exists.
 */
#ifndef EMU_ARGS_H
#define EMU_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "json.h"

struct emu_request;
struct emu_response;

/* --- arguments ------------------------------------------------------------ */

enum emu_arg_flags {
	EMU_ARG_OPTIONAL = 0,
	EMU_ARG_REQUIRED = 1 << 0, /* absent => 400 "Missing required field" */
};

/**
 * Reads string argument name into *out: from req->json on POST/PUT/PATCH,
 * from the query otherwise. Absent (or JSON null) and optional gives NULL.
 * Returns 0, or -1 after writing a 400 INVALID_PARAMETER_VALUE into resp
 * (missing required field, or not a string). *out is borrowed from req.
 */
int emu_arg_string(const char **out, struct emu_request *req,
		   struct emu_response *resp, const char *name, unsigned flags);

/**
 * Reads an integer argument under the JSON integer rule (json.h): a JSON
 * number in a body, decimal text in a query. *present says whether it was
 * given (pass NULL when flags has EMU_ARG_REQUIRED). Returns 0 or -1 as
 * emu_arg_string.
 */
int emu_arg_int64(int64_t *out, bool *present, struct emu_request *req,
		  struct emu_response *resp, const char *name, unsigned flags);

/**
 * Reads a boolean argument: JSON true/false in a body, "true"/"false" in a
 * query. Absent and optional leaves *out unchanged and *present false.
 */
int emu_arg_bool(bool *out, bool *present, struct emu_request *req,
		 struct emu_response *resp, const char *name, unsigned flags);

/**
 * The raw JSON value of body field name (borrowed), or NULL when absent or
 * null, for handlers that take objects or arrays. Query arguments have no
 * JSON value; this only reads the body.
 */
const cJSON *emu_arg_json(const struct emu_request *req, const char *name);

/**
 * Checks the type of each of the n fields that obj has (null counts as
 * absent; an obj that is not an object has none). The first mismatch is
 * a 400 naming "<prefix>.<name>" (just the name when prefix is NULL or
 * ""), and -1; otherwise 0.
 */
int emu_json_check_fields(const cJSON *obj, const struct emu_json_field *fields,
			  size_t n, const char *prefix,
			  struct emu_response *resp);

#endif
