/*
 * SCIM 2.0 filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2), parsed
 * from untrusted query strings and request bodies.
 *
 * The parser is a recursive-descent one over a bounded token stream: input
 * longer than SCIM_FILTER_MAX_LEN, nesting deeper than SCIM_FILTER_MAX_DEPTH
 * and unterminated strings are refused with a message, never read past.
 * Attribute names compare without regard to ASCII case, as SCIM requires,
 * and so do string values under eq, ne, co, sw and ew: the attributes a
 * Databricks filter names (userName, displayName, applicationId,
 * externalId, members.value) are all caseExact=false on the service.
 *
 * Grammar (the subset Databricks serves, plus grouping and not):
 *
 *	filter    = or
 *	or        = and *("or" and)
 *	and       = unary *("and" unary)
 *	unary     = "not" "(" filter ")" / "(" filter ")" / attrexp
 *	attrexp   = path "pr" / path op value / path "[" filter "]"
 *	op        = eq / ne / co / sw / ew / gt / ge / lt / le
 *	value     = "string" / 'string' / true / false / null / number
 *
 * Keywords are case-insensitive; strings use JSON escapes.
 */
#ifndef EMU_SCIM_FILTER_H
#define EMU_SCIM_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define SCIM_FILTER_MAX_LEN   4096
#define SCIM_FILTER_MAX_DEPTH 32

struct scim_filter;

/**
 * Parses text (NUL-terminated). Returns the filter (free it with
 * scim_filter_free), or NULL with a static one-line reason in *err.
 */
struct scim_filter *scim_filter_parse(const char *text, const char **err);
void scim_filter_free(struct scim_filter *f);

/** Does obj (a rendered SCIM resource or a multi-valued element) match? */
bool scim_filter_match(const struct scim_filter *f, const cJSON *obj);

/** A PATCH path: attr, an optional [filter] and an optional .sub. */
struct scim_path {
	char *attr;		    /* "members" */
	struct scim_filter *filter; /* NULL: no [..] */
	char *sub; /* "value" in "members[..].value"; or NULL */
};

/**
 * Parses a PATCH path into out. Returns 0, or -1 with a static reason in
 * *err (out is then empty).
 */
int scim_path_parse(struct scim_path *out, const char *text, const char **err);
void scim_path_dispose(struct scim_path *p);

/**
 * The member of obj named name (ASCII case ignored), or NULL; the lookup
 * SCIM attribute names need everywhere.
 */
cJSON *scim_member(const cJSON *obj, const char *name);

#endif
