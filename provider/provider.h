/*
 * The provider object: the registered resources with their types, the
 * provider configuration, the REST client, and the stop flag.
 *
 * One exists per process. It is built before the server starts and is
 * read-only afterwards except for two things: ConfigureProvider installs
 * the REST client once (under a mutex), and StopProvider sets the atomic
 * stop flag that long waits poll.
 */
#ifndef TFP_PROVIDER_H
#define TFP_PROVIDER_H

#include <stddef.h>
#include "call.h"
#include "lifecycle.h"

struct tfp_arena;
struct tfp_diags;
struct tfp_provider;

/** Builds the provider and every resource's type; never returns NULL. */
struct tfp_provider *tfp_provider_new(void);
void tfp_provider_free(struct tfp_provider *p);

/** The provider block's schema table and type. */
const struct tfp_attr *tfp_provider_config_attrs(void);
const struct tfp_type *tfp_provider_config_type(const struct tfp_provider *p);

size_t tfp_provider_n_resources(const struct tfp_provider *p);
const struct tfp_rt_resource *tfp_provider_resource_at(
	const struct tfp_provider *p, size_t i);
/** The resource named type_name, or NULL. */
const struct tfp_rt_resource *tfp_provider_find_resource(
	const struct tfp_provider *p, const char *type_name);

size_t tfp_provider_n_data_sources(const struct tfp_provider *p);
const struct tfp_rt_data_source *tfp_provider_data_source_at(
	const struct tfp_provider *p, size_t i);
const struct tfp_rt_data_source *tfp_provider_find_data_source(
	const struct tfp_provider *p, const char *type_name);

/**
 * Prepares a call for one RPC: arena, diagnostics, the REST client (NULL
 * before configure), the stop flag, and the type name for messages.
 */
void tfp_provider_call_init(struct tfp_call *call, struct tfp_provider *p,
			    struct tfp_arena *a, struct tfp_diags *d,
			    const char *type_name);

/** Checks the provider block (known values only). */
int tfp_provider_validate(struct tfp_call *call, const struct tfp_value *config);

/**
 * Resolves the workspace and the authentication method (provider block,
 * then DATABRICKS_* environment variables, then a ~/.databrickscfg
 * profile; see auth.h) and creates the REST client. When a value is
 * unknown the client is not made; calls that need it then fail with a
 * diagnostic (tfp_provider_require_client).
 */
int tfp_provider_configure(struct tfp_provider *p, struct tfp_call *call,
			   const struct tfp_value *config,
			   const char *terraform_version);

/**
 * Fails with a diagnostic when the provider has no REST client yet, which
 * happens when its host or token were unknown at configure time.
 */
int tfp_provider_require_client(struct tfp_call *call);

/** Sets the stop flag (StopProvider). */
void tfp_provider_stop(struct tfp_provider *p);

#endif
