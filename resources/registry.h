/*
 * The table of every resource and data source the provider serves, like
 * curl's table of protocol handlers. Adding a resource = one line here and
 * one file next to this one.
 */
#ifndef TFP_REGISTRY_H
#define TFP_REGISTRY_H

#include <stddef.h>
#include "schema.h"

/* Both end with NULL; the counts leave it out. */
extern const struct tfp_resource *const tfp_registry_resources[];
extern const size_t tfp_registry_n_resources;
extern const struct tfp_data_source *const tfp_registry_data_sources[];
extern const size_t tfp_registry_n_data_sources;

#endif
