/*
 * What the identity family's types share: the names Databricks derives
 * from a principal's user name (data_current_user.c, data_scim.c), and
 * SCIM filters.
 */
#ifndef TFP_IDENTITY_INTERNAL_H
#define TFP_IDENTITY_INTERNAL_H

#include <stdbool.h>

struct tfp_arena;

/** The SCIM API's root, before /Users, /Groups, /ServicePrincipals, /Me. */
#define TFP_IDENTITY_SCIM "/api/2.0/preview/scim/v2"

/** True when s is a UUID: 8-4-4-4-12 hexadecimal digits. */
bool tfp_identity__is_uuid(const char *s);

/**
 * The alphanumeric form of a user name, in a: the part before the first
 * "@", lower case, with every character other than ASCII letters, digits
 * and "_" replaced by one "_" (a multi-byte UTF-8 character is one
 * character).
 */
char *tfp_identity__alphanumeric(struct tfp_arena *a, const char *user);

/**
 * The SCIM filter "<attr> <op> <value>" in a, value quoted as a JSON
 * string (RFC 7644 §3.4.2.2 takes JSON's escapes), op "eq", "co"...
 */
const char *tfp_identity__scim_filter(struct tfp_arena *a, const char *attr,
				      const char *op, const char *value);

#endif
