/*
 * gRPC core server: a completion queue, worker threads, one arena per call.
 *
 * It knows method paths and bytes, nothing of Terraform. Unary handlers run
 * on a bounded pool of worker threads, so a slow ApplyResourceChange never
 * blocks StopProvider; cheap ones may run on the queue thread. Streams that
 * the provider does not use (go-plugin's stdio and broker) are held open
 * until the client cancels them. A SHUTDOWN method replies, then stops the
 * server; tfp_server_run returns promptly after that.
 */
#ifndef TFP_SERVER_H
#define TFP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"

struct tfp_arena;

/*
 * A unary handler: the request bytes in, the response bytes out (allocated
 * in a, which the server frees after sending). Returns a gRPC status code:
 * 0 (OK) or e.g. 3 (INVALID_ARGUMENT) for a malformed request; *err_msg may
 * then point at an arena string for the status message.
 */
typedef int (*tfp_server_unary_fn)(struct tfp_arena *a, const uint8_t *req,
				   size_t req_len, uint8_t **resp,
				   size_t *resp_len, const char **err_msg,
				   void *payload);

enum tfp_method_kind {
	TFP_METHOD_UNARY,       /* request -> response on a worker thread */
	TFP_METHOD_UNARY_INLINE,/* the same, on the queue thread (cheap calls) */
	TFP_METHOD_HOLD_STREAM, /* accept, send nothing, end when cancelled */
	TFP_METHOD_SHUTDOWN,    /* reply with an empty message, then stop */
};

struct tfp_method {
	const char *path; /* "/tfplugin6.Provider/ReadResource" */
	enum tfp_method_kind kind;
	tfp_server_unary_fn fn; /* UNARY kinds only */
};

struct tfp_server_config {
	const char *listen_addr;       /* "unix:/abs/path" or "127.0.0.1:0" */
	const struct tfp_method *methods;
	size_t n_methods;
	void *payload;                 /* passed to every handler */
	/* TLS: all three set = mutual TLS requiring a client certificate
	 * signed by client_ca_pem; all NULL = plaintext. */
	const char *client_ca_pem;
	const char *server_cert_pem;
	const char *server_key_pem;
	int n_workers;                 /* 0 = default (16) */
	/* Optional: called once gRPC is initialised and the server made,
	 * before the TLS fields above are read, so the caller can prepare
	 * them (AutoMTLS's key) while gRPC starts. TFP_ERROR: the server
	 * stops without listening and tfp_server_run returns TFP_ERROR. */
	int (*before_listen)(void *arg);
	void *before_listen_arg;
};

/**
 * Listens, calls on_listening(arg) once the port is bound (the go-plugin
 * handshake line is printed there), serves until a SHUTDOWN method or
 * tfp_server_request_stop(), then tears down gRPC. Returns TFP_OK, or
 * TFP_ERROR after logging why it could not listen.
 */
int tfp_server_run(const struct tfp_server_config *cfg,
		   void (*on_listening)(void *arg), void *arg);

/** Asks a running server to stop (async-signal-safe is NOT required). */
void tfp_server_request_stop(void);

#endif
