/*
 * JSON helpers for the emulator: exact integers, member getters and type
 * checks. Every other file reads request and state JSON through these, so
 * "a string member or NULL" or "an exact integer, raw or parsed" means the
 * same thing everywhere.
 *
 * The project's rule (style-guide.md §2.7): integers round-trip exactly up
 * to 2^53 and anything larger, or anything non-integral where an integer is
 * expected, is rejected, never rounded. cJSON 1.7.15 keeps only a double and
 * prints about one integer in five in [2^52, 2^53) rounded, so every integer
 * the emulator sends is emitted as exact decimal text (cJSON_CreateRaw with
 * PRId64), and valueint is never read.
 *
 * This is the bottom of the core above util.h: it knows nothing of
 * requests, responses or errors. The checks that answer a request with a
 * Databricks error (emu_json_check_fields) live in args.h.
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

/**
 * Reads an exact integer that is either a parsed number or a raw node of
 * decimal text (what emu_json_int64 makes, and what state keeps). Returns
 * 0, or -1 as emu_json_get_int64.
 */
int emu_json_int(int64_t *out, const cJSON *item);

/** True for a number or a raw (exact integer) node. */
bool emu_json_is_number(const cJSON *item);

/** The JSON type of item as a word for messages: "a string", "a number"... */
const char *emu_json_type_name(const cJSON *item);

/* --- members -------------------------------------------------------------- */

/**
 * Member name of obj (borrowed), or NULL when obj is not an object, has no
 * such member, or the member is JSON null (null means "not given").
 */
cJSON *emu_json_member(const cJSON *obj, const char *name);

/** The string member name of obj (borrowed), or NULL when absent or not a
 * string. */
const char *emu_json_str(const cJSON *obj, const char *name);

/** emu_json_int on member name of obj; -1 when it is absent. */
int emu_json_member_int(int64_t *out, const cJSON *obj, const char *name);

/** Number of elements of array; 0 for anything that is not an array. */
size_t emu_json_array_len(const cJSON *array);

/* --- types ---------------------------------------------------------------- */

/** The types a request member can be required to have. */
enum emu_json_type {
	EMU_JSON_STRING,
	EMU_JSON_INT, /* an exact integer, as emu_json_int takes it */
	EMU_JSON_BOOL,
	EMU_JSON_OBJECT,
	EMU_JSON_ARRAY,
};

/** A member name and the type it must have when present. */
struct emu_json_field {
	const char *name;
	enum emu_json_type type;
};

/** True when item has type t. */
bool emu_json_type_ok(const cJSON *item, enum emu_json_type t);

/** Type t as a word for messages: "a string", "an integer"... */
const char *emu_json_type_word(enum emu_json_type t);

#endif
