/*
 * The provider runtime: what the framework knows of the provider it
 * serves, and the one object that holds it for the life of the process.
 *
 * The framework knows nothing of the service behind the provider. The
 * provider hands it a definition (struct tfp_provider_def): the provider
 * block's schema, its resources and data sources, and the hooks that turn
 * a configuration into a client. The client is opaque here: the runtime
 * keeps it, passes it to every call in call->client and frees it with the
 * definition's client_free, as terraform-plugin-framework's
 * providerserver.Serve takes a provider.
 *
 * One tfp_provider exists per process. It is built before the server
 * starts and is read-only afterwards except for two things: configure
 * installs the client once (under a mutex), and StopProvider sets the
 * atomic stop flag that long waits poll.
 */
#ifndef TFP_PROVIDER_H
#define TFP_PROVIDER_H

#include <stddef.h>
#include "call.h"
#include "lifecycle.h"

struct tfp_arena;
struct tfp_diags;
struct tfp_provider;

/** What a provider hands the framework. Every pointer is static data. */
struct tfp_provider_def {
	/* The provider's local name ("databricks"): the binary is
	 * terraform-provider-<name>, the log module is <name>. */
	const char *name;
	/* Its registry source address ("brickform/databricks"), for the
	 * message a person sees who runs the binary by hand. */
	const char *source;
	const char *version;
	const char *desc; /* the provider block's description */
	const struct tfp_attr *config_attrs; /* the provider block */
	/* Both lists end with NULL. */
	const struct tfp_resource *const *resources;
	const struct tfp_data_source *const *data_sources;

	/*
	 * Makes the client from the provider block. *client_out stays NULL
	 * when the configuration cannot make one yet (a value is unknown);
	 * the calls that need it then fail with a diagnostic. A negative
	 * return carries a diagnostic in call->diags.
	 */
	int (*configure)(void **client_out, struct tfp_call *call,
			 const struct tfp_value *config,
			 const char *terraform_version);
	/* Frees a client made by configure (NULL is allowed). */
	void (*client_free)(void *client);
	/*
	 * Optional: whether the configured client can serve a type, from the
	 * type's provider_flags (e.g. an account-level resource against a
	 * workspace). Called before plan, read, apply, import and data reads
	 * once there is a client; a negative return carries a diagnostic.
	 */
	int (*check_type)(struct tfp_call *call, unsigned provider_flags);
	/* Optional: checks of the block beyond its table (known values). */
	int (*validate)(struct tfp_call *call, const struct tfp_value *config);
	/* Optional: what the user should check when a call finds no client
	 * yet ("Make sure host and token are set and known at plan time."). */
	const char *unconfigured_hint;
};

/** Builds the provider and every resource's type; never returns NULL. */
struct tfp_provider *tfp_provider_new(const struct tfp_provider_def *def);
void tfp_provider_free(struct tfp_provider *p);

const struct tfp_provider_def *tfp_provider_def(const struct tfp_provider *p);

/** The provider block's schema table and type. */
const struct tfp_attr *tfp_provider_config_attrs(const struct tfp_provider *p);
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
 * Prepares a call for one RPC: arena, diagnostics, the client (NULL
 * before configure), the stop flag, and the type name for messages.
 */
void tfp_provider_call_init(struct tfp_call *call, struct tfp_provider *p,
			    struct tfp_arena *a, struct tfp_diags *d,
			    const char *type_name);

/** Checks the provider block: its table, then the definition's validate. */
int tfp_provider_validate(struct tfp_provider *p, struct tfp_call *call,
			  const struct tfp_value *config);

/**
 * Runs the definition's configure and installs the client it made.
 * Terraform configures once per process; a second configure replaces the
 * client only if none was made, so no call loses its client.
 */
int tfp_provider_configure(struct tfp_provider *p, struct tfp_call *call,
			   const struct tfp_value *config,
			   const char *terraform_version);

/**
 * True when the provider was configured with settings that are not known
 * yet (plan time, a host or token from a resource to be made or
 * replaced), so call has no client until apply.
 */
bool tfp_provider_deferred(struct tfp_provider *p, const struct tfp_call *call);

/**
 * Fails with a diagnostic when the provider has no client yet, which
 * happens when its settings were unknown at configure time.
 */
int tfp_provider_require_client(struct tfp_provider *p, struct tfp_call *call);

/**
 * Runs the definition's check_type for a type's provider_flags when there
 * is a client; TFP_OK otherwise.
 */
int tfp_provider_check_type(struct tfp_provider *p, struct tfp_call *call,
			    unsigned provider_flags);

/** Sets the stop flag (StopProvider). */
void tfp_provider_stop(struct tfp_provider *p);

#endif
