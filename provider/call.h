/*
 * The context every resource handler and REST call receives.
 *
 * One tfp_call is built per RPC by lifecycle.c, lives in the call's arena and
 * is used by one thread. It carries no Terraform or gRPC types, so resources
 * and the client can take it without crossing a layer.
 */
#ifndef TFP_CALL_H
#define TFP_CALL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"

struct tfp_arena;
struct tfp_diags;

/** The last error the remote service answered, kept for TFP_ENOTFOUND returns. */
struct tfp_api_error {
	long status;            /* HTTP status; 0 = transport failure */
	const char *error_code; /* "RESOURCE_DOES_NOT_EXIST", or "" */
	const char *message;    /* the workspace's message, or "" */
	const char *method;     /* "GET" */
	const char *path;       /* "/api/2.0/secrets/list" */
	/* True when the request may have been carried out although it
	 * failed (the call returned TFP_EUNCERTAIN): a write that is not
	 * safe to repeat lost its connection, timed out or got an empty
	 * reply after the request was sent. False for every other error. */
	bool uncertain;
};

/** Bytes borrowed from elsewhere (the request, or the call's arena). */
struct tfp_bytes {
	const uint8_t *data;
	size_t len;
};

struct tfp_call {
	struct tfp_arena *arena;   /* owns everything request-scoped */
	struct tfp_diags *diags;   /* handlers report here */
	/* The provider's client, opaque to the framework: shared,
	 * thread-safe, NULL before configure (tfp_provider_def). */
	void *client;
	const char *type_name;     /* "databricks_secret_scope" */
	const char *op;            /* "create", "read", "update", "delete", "import" */
	const atomic_bool *stop;   /* set by StopProvider; long waits check it */
	/* The .data of the resource or data source called: the descriptor
	 * that handlers shared by many types (declarative REST resources)
	 * work from. NULL for provider-level calls. */
	const void *data;
	struct tfp_api_error last_error; /* filled by the client on every API error */
	/*
	 * The resource instance's private state: bytes Terraform keeps beside
	 * the state for the provider alone, never shown in a plan (the
	 * remote object's version or modification time, which tells a read
	 * whether content must be fetched again). private_in is what
	 * Terraform sent (read: the state's; apply: the plan's, which is
	 * the prior state's); a handler that sets private_set replaces it
	 * with private_out (in the arena). Untouched, it passes through.
	 * An import handler may set it too: Terraform hands it to the read
	 * that follows.
	 */
	struct tfp_bytes private_in, private_out;
	bool private_set;
};

/**
 * Adds the error diagnostic a handler reports when the workspace's answer
 * does not let it finish: summary "Failed to <op> <type_name>" (as the REST
 * client's own errors), detail from fmt. Returns TFP_ERROR.
 */
int tfp_call_fail(struct tfp_call *call, const char *fmt, ...)
	TFP_PRINTF(2, 3);

#endif
