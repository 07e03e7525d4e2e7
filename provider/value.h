/*
 * Terraform's type system and values, as the provider sees them.
 *
 * A tfp_value is null, unknown or known, always with its type. Known
 * collections hold child values; objects hold one child per attribute in
 * the type's order (attribute names sorted, as msgpack wants them). Unknown
 * values may carry the refinement body Terraform sent (ext type 12), which
 * the codec writes back unchanged.
 *
 * Values live in an arena and are never freed one by one. Constructors copy
 * strings into the arena. Setters change a value in place; lifecycle.c copies
 * a value (tfp_value_copy) before it edits one it did not build.
 *
 * Numbers: an exact int64 when integral, else a float64 when exact, else the
 * decimal text Terraform sent (kept as text, never rounded).
 */
#ifndef TFP_VALUE_H
#define TFP_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tfp_arena;

enum tfp_kind {
	TFP_KIND_STRING,
	TFP_KIND_NUMBER,
	TFP_KIND_BOOL,
	TFP_KIND_LIST,
	TFP_KIND_SET,
	TFP_KIND_MAP,
	TFP_KIND_OBJECT,
	TFP_KIND_DYNAMIC,
};

struct tfp_type {
	enum tfp_kind kind;
	const struct tfp_type *elem; /* list, set, map */
	/* object: n_attrs attributes sorted by name (strcmp) */
	size_t n_attrs;
	const char *const *attr_names;
	const struct tfp_type *const *attr_types;
};

extern const struct tfp_type tfp_type_string;
extern const struct tfp_type tfp_type_number;
extern const struct tfp_type tfp_type_bool;
extern const struct tfp_type tfp_type_dynamic;
extern const struct tfp_type tfp_type_list_string;
extern const struct tfp_type tfp_type_set_string;
extern const struct tfp_type tfp_type_map_string;

/** A list/set/map type of elem, allocated in a. */
const struct tfp_type *tfp_type_collection(struct tfp_arena *a,
					   enum tfp_kind kind,
					   const struct tfp_type *elem);
/**
 * An object type from n (name, type) pairs, allocated in a; the names are
 * sorted here, so callers may pass them in any order.
 */
const struct tfp_type *tfp_type_object(struct tfp_arena *a, size_t n,
				       const char *const *names,
				       const struct tfp_type *const *types);
/** Index of an object attribute, or -1. */
int tfp_type_attr_index(const struct tfp_type *t, const char *name);
/** Type equality (structural). */
bool tfp_type_equal(const struct tfp_type *x, const struct tfp_type *y);
/**
 * The cty type as JSON text, as the protocol's Schema.Attribute.type wants
 * it: "string", ["list","string"], ["object",{"a":"bool"}].
 */
char *tfp_type_json(struct tfp_arena *a, const struct tfp_type *t);
/**
 * The type named by cty type JSON (the inverse of tfp_type_json), allocated
 * in a; NULL when the text is not valid type JSON or names a type this
 * model lacks (tuple, an object with optional attributes). Used for dynamic
 * values, which travel as [type-JSON, value].
 */
const struct tfp_type *tfp_type_from_json(struct tfp_arena *a, const char *json,
					  size_t len);

enum tfp_value_state {
	TFP_VALUE_NULL,
	TFP_VALUE_UNKNOWN,
	TFP_VALUE_KNOWN,
};

enum tfp_num_kind {
	TFP_NUM_INT,   /* .i */
	TFP_NUM_FLOAT, /* .f */
	TFP_NUM_TEXT,  /* .text: decimal text too large or too precise */
};

struct tfp_number {
	enum tfp_num_kind kind;
	int64_t i;
	double f;
	const char *text;
};

struct tfp_value {
	const struct tfp_type *type;
	enum tfp_value_state state;
	/* unknown only: the refinement body (msgpack map) or NULL */
	const uint8_t *refinement;
	size_t refinement_len;
	union {
		const char *str;
		struct tfp_number num;
		bool b;
		struct {
			size_t n;
			struct tfp_value **items;
			const char **keys; /* map only */
		} coll; /* list, set, map, object */
	} u;
};

/* --- construction ------------------------------------------------------- */

struct tfp_value *tfp_value_null(struct tfp_arena *a, const struct tfp_type *t);
struct tfp_value *tfp_value_unknown(struct tfp_arena *a,
				    const struct tfp_type *t);
/** A known string; s is copied. */
struct tfp_value *tfp_value_string(struct tfp_arena *a, const char *s);
struct tfp_value *tfp_value_int(struct tfp_arena *a, int64_t i);
struct tfp_value *tfp_value_float(struct tfp_arena *a, double f);
struct tfp_value *tfp_value_bool(struct tfp_arena *a, bool b);
/**
 * The number a JSON document most likely meant by f (cJSON keeps numbers
 * as doubles): the shortest decimal text that reads back as f ("0.1", not
 * the double's exact 0.1000000000000000055...), parsed by the rule of
 * tfp_value_parse_number, so 0.1 is TEXT "0.1" and 0.5 FLOAT. false for
 * infinities and NaN.
 */
bool tfp_number_from_json_double(struct tfp_number *out, struct tfp_arena *a,
				 double f);
/**
 * n as decimal text that reads back as exactly n (a double's every digit,
 * a TEXT as it is), in a.
 */
const char *tfp_number_exact_text(struct tfp_arena *a,
				  const struct tfp_number *n);
/** A known number from n; TEXT is copied. */
struct tfp_value *tfp_value_number(struct tfp_arena *a,
				   const struct tfp_number *n);
/**
 * Parses the len bytes of decimal text at s ("42", "-0.5", "1e30", "+7")
 * into *out by the rule above: INT when integral and within int64 (so
 * "1.0" is INT 1), else FLOAT when a double holds the value exactly, else
 * TEXT holding a copy of s in a. Returns false, leaving *out unchanged,
 * when s is not a finite decimal number (empty, "Inf", "0x10", "1e").
 */
bool tfp_value_parse_number(struct tfp_number *out, struct tfp_arena *a,
			    const char *s, size_t len);
/** A known object of type t whose attributes are all null. */
struct tfp_value *tfp_value_object(struct tfp_arena *a,
				   const struct tfp_type *t);
/**
 * A known list, set or map with n slots (items NULL until filled; maps also
 * get n NULL keys).
 */
struct tfp_value *tfp_value_collection(struct tfp_arena *a,
				       const struct tfp_type *t, size_t n);
/**
 * Deep copy into a: strings, numbers' text, refinements and children are
 * copied; types are shared (they are immutable). NULL gives NULL.
 */
struct tfp_value *tfp_value_copy(struct tfp_arena *a,
				 const struct tfp_value *v);

/* --- inspection --------------------------------------------------------- */

static inline bool tfp_value_is_null(const struct tfp_value *v)
{
	return v == NULL || v->state == TFP_VALUE_NULL;
}
static inline bool tfp_value_is_unknown(const struct tfp_value *v)
{
	return v != NULL && v->state == TFP_VALUE_UNKNOWN;
}
static inline bool tfp_value_is_known(const struct tfp_value *v)
{
	return v != NULL && v->state == TFP_VALUE_KNOWN;
}
/** True when v and everything in it is known (null counts as known). */
bool tfp_value_wholly_known(const struct tfp_value *v);
/**
 * Deep equality; sets compare without order (as multisets), maps by key;
 * numbers by exact value whatever their kind (INT 3 == FLOAT 3.0); unknown
 * equals unknown whatever the refinement; a NULL pointer equals null.
 */
bool tfp_value_equal(const struct tfp_value *x, const struct tfp_value *y);

/**
 * Attribute of a known object; NULL when obj is null/unknown. Asserts that
 * the attribute exists (a misspelt name is a programming error).
 */
struct tfp_value *tfp_value_get(const struct tfp_value *obj, const char *name);
/**
 * Replaces an attribute of a known object with v (not copied). v may be
 * NULL, which every function here reads as null. Asserts that the attribute
 * exists and that a known v has the attribute's kind.
 */
void tfp_value_set(struct tfp_value *obj, const char *name,
		   struct tfp_value *v);
/** The string of a known string attribute, else NULL. */
const char *tfp_value_get_string(const struct tfp_value *obj,
				 const char *name);
/** A known bool attribute, else dflt. */
bool tfp_value_get_bool(const struct tfp_value *obj, const char *name,
			bool dflt);
/** A known integral number attribute into *out; false if null/unknown/not int. */
bool tfp_value_get_int(const struct tfp_value *obj, const char *name,
		       int64_t *out);
/** Map value for key, or NULL (also when map is null or unknown). */
struct tfp_value *tfp_value_map_get(const struct tfp_value *map,
				    const char *key);
/** True when a known map has key (its value may still be null). */
bool tfp_value_map_has(const struct tfp_value *map, const char *key);

/** Sets attribute name of obj to a known string (copied), or null for NULL. */
void tfp_value_set_string(struct tfp_arena *a, struct tfp_value *obj,
			  const char *name, const char *s);

/**
 * A deep copy of v in a with every unknown value replaced by null: a plan
 * standing in for the state when reading back after a write failed.
 */
struct tfp_value *tfp_value_unknowns_to_null(struct tfp_arena *a,
					      const struct tfp_value *v);

#endif
