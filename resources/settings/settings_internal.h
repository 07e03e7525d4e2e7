/*
 * What the settings family's files (resources/settings/) share with their
 * unit tests (tests/unit/test_settings.c): the pure checks behind the
 * workspace configuration and IP access list resources.
 */
#ifndef TFP_SETTINGS_INTERNAL_H
#define TFP_SETTINGS_INTERNAL_H

#include <stdbool.h>

/**
 * True when s is an IPv4 address, or a CIDR range (IPv4 /0-/32 or IPv6
 * /0-/128): what the official provider accepts in an IP access list.
 */
bool tfp_settings__ip_entry_ok(const char *s);

/**
 * True when s reads as a boolean the way Go's strconv.ParseBool reads it
 * ("true", "F", "1", ...), which decides whether a workspace configuration
 * key is reset to "false" or to "". NULL is not.
 */
bool tfp_settings__conf_is_bool(const char *s);

#endif
