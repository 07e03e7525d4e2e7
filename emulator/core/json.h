/*
 * JSON integer handling for the emulator: the one place that turns int64
 * values into JSON text and JSON numbers back into int64.
 *
 * The project's rule (style-guide.md §2.7): integers round-trip exactly up
 * to 2^53 and anything larger, or anything non-integral where an integer is
 * expected, is rejected, never rounded. cJSON 1.7.15 keeps only a double and
 * prints about one integer in five in [2^52, 2^53) rounded, so every integer
 * the emulator sends is emitted as exact decimal text (cJSON_CreateRaw with
 * PRId64), and valueint is never read.
 *
 * It also checks the JSON types of request members (emu_json_check_fields),
 * so the clusters and jobs APIs word a wrong type the same way.
 */
#ifndef EMU_JSON_H
#define EMU_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/** Largest magnitude accepted on input: 2^53 - 1. */
#define EMU_JSON_MAX_INT 9007199254740991LL

/** A new cJSON node whose text is exactly v in decimal. */
cJSON *emu_json_int64(int64_t v);

/** Adds name: v to obj as exact decimal text. */
void emu_json_add_int64(cJSON *obj, const char *name, int64_t v);

/**
 * Reads an integral JSON number into *out. Returns 0, or -1 when item is not
 * a number, is not integral, or its magnitude is 2^53 or more (after
 * parsing, 2^53 and 2^53 + 1 cannot be told apart, so both are refused).
 */
int emu_json_get_int64(int64_t *out, const cJSON *item);

/**
 * Parses decimal integer text (an optional '-' and digits, nothing else) into
 * *out with the same range rule. Returns 0 or -1.
 */
int emu_json_parse_int64_text(int64_t *out, const char *text);

/** The JSON type of item as a word for messages: "a string", "a number"... */
const char *emu_json_type_name(const cJSON *item);

/* --- field type checks ---------------------------------------------------- */

struct emu_response;

/** The types a request member can be required to have. */
enum emu_json_type {
	EMU_JSON_STRING,
	EMU_JSON_INT, /* an exact integer, as emu_json_get_int64 takes it */
	EMU_JSON_BOOL,
	EMU_JSON_OBJECT,
	EMU_JSON_ARRAY,
};

/** A member name and the type it must have when present. */
struct emu_json_field {
	const char *name;
	enum emu_json_type type;
};

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
