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
 */
#ifndef EMU_JSON_H
#define EMU_JSON_H

#include <stdbool.h>
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

#endif
