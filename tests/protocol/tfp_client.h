/*
 * A test client that plays Terraform against the built provider binary.
 *
 * It does what go-plugin's client does for Terraform 1.11.4
 * (terraform-plugin-protocol.md §4): it starts the binary named by
 * $TFP_PROVIDER with the magic cookie, PLUGIN_PROTOCOL_VERSIONS=5,6 and,
 * for AutoMTLS, a fresh client certificate in PLUGIN_CLIENT_CERT; reads
 * and checks the handshake line; dials the unix socket over gRPC, pinning
 * the certificate from the handshake and naming the server "localhost";
 * and ends with GRPCController/Shutdown. Calls carry raw bytes, or
 * protobuf-c messages through tfp_client_call_pb(), so lifecycle tests can
 * build tfplugin6 requests with the generated code.
 *
 * The client certificate is ECDSA P-521 by default, like go-plugin's, so
 * the tests cover the curve that only works over TLS 1.3 (§9.7).
 *
 * A client is used by one test. tfp_client_call() may be called from
 * several threads at once (each call has its own completion queue); the
 * other functions may not. Failures are reported on stderr with the step
 * that failed, so a cmocka assertion on the return value is enough.
 */
#ifndef TFP_TEST_CLIENT_H
#define TFP_TEST_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tfp_client;
struct ProtobufCMessage;
struct ProtobufCMessageDescriptor;

/* gRPC status codes the tests compare with (grpc/status.h). */
#define TFP_GRPC_OK	       0
#define TFP_GRPC_NOT_FOUND     5
#define TFP_GRPC_UNIMPLEMENTED 12
#define TFP_GRPC_UNAVAILABLE   14

struct tfp_client_opts {
	bool mtls;		  /* send PLUGIN_CLIENT_CERT (AutoMTLS) */
	const char *client_curve; /* client key curve; NULL = "P-521" */
	/* Extra environment for the provider, NULL-terminated: "KEY=VALUE"
	 * sets or overrides, "KEY" removes. May be NULL. */
	const char *const *env;
	const char *provider; /* binary; NULL = $TFP_PROVIDER */
	int call_timeout_ms;  /* deadline of each call; 0 = 30 s */
	int start_timeout_ms; /* wait for the handshake; 0 = 20 s */
};

/**
 * Starts the provider and connects to it, with default options and mtls as
 * given. Returns NULL (after printing why) if the binary cannot start, the
 * handshake line is missing or malformed, or the channel cannot be made.
 */
struct tfp_client *tfp_client_start(bool mtls);

/** The same with every option. */
struct tfp_client *tfp_client_start_opts(const struct tfp_client_opts *opts);

/**
 * One unary call. method is the full path ("/tfplugin6.Provider/
 * GetProviderSchema"). On return *grpc_status holds the call's status,
 * and *resp a malloc'd copy of the response message (NULL with
 * *resp_len 0 when the server sent none); the caller frees it.
 * Returns 0 when the call completed (whatever its status), -1 when it
 * could not be made at all.
 */
int tfp_client_call(struct tfp_client *c, const char *method,
		    const uint8_t *req, size_t len, uint8_t **resp,
		    size_t *resp_len, int *grpc_status);

/**
 * tfp_client_call() with protobuf-c messages: packs req, and on status OK
 * unpacks the response with resp_desc into *resp (free it with
 * protobuf_c_message_free_unpacked(*resp, NULL)). *resp is NULL on any
 * other status. Returns 0, or -1 when the call failed or the response does
 * not unpack.
 */
int tfp_client_call_pb(struct tfp_client *c, const char *method,
		       const struct ProtobufCMessage *req,
		       const struct ProtobufCMessageDescriptor *resp_desc,
		       struct ProtobufCMessage **resp, int *grpc_status);

/** The status message of the last call that completed, or "". */
const char *tfp_client_last_status_message(struct tfp_client *c);

/** The handshake line as printed, without its newline. */
const char *tfp_client_handshake_line(const struct tfp_client *c);
/** The socket path from the handshake line. */
const char *tfp_client_socket_path(const struct tfp_client *c);
/** The certificate field of the handshake line ("" in plaintext). */
const char *tfp_client_server_cert_b64(const struct tfp_client *c);
/** The provider's process id. */
pid_t tfp_client_pid(const struct tfp_client *c);

enum tfp_client_probe {
	TFP_PROBE_NO_CLIENT_CERT,    /* TLS, server pinned, no client cert */
	TFP_PROBE_WRONG_CLIENT_CERT, /* TLS with a cert the server never saw */
	TFP_PROBE_PLAINTEXT,	     /* no TLS at all */
};

/**
 * Dials the provider again on a separate channel with the credentials
 * described by probe and calls Health/Check once (5 s deadline). Returns 0
 * with *grpc_status set, or -1 if the probe could not run.
 */
int tfp_client_probe(struct tfp_client *c, enum tfp_client_probe probe,
		     int *grpc_status);

/**
 * Opens go-plugin's two streams the way go-plugin's client does on every
 * connection: GRPCStdio/StreamStdio and GRPCBroker/StartStream. They stay
 * open until the provider ends them or the client is freed. Returns 0, or
 * -1 if they could not be started (or were already open).
 */
int tfp_client_open_streams(struct tfp_client *c);

/** How many of the streams opened above have not ended yet. */
int tfp_client_streams_pending(struct tfp_client *c);

/**
 * Waits up to timeout_ms for the provider to exit on its own (after a
 * signal, say), then checks that its socket file and directory are gone.
 * Returns 0 when both held, with the exit status in *exit_status (-1 for
 * death by a signal); -1 otherwise, after printing why.
 */
int tfp_client_wait_exit(struct tfp_client *c, int timeout_ms,
			 int *exit_status);

/**
 * Ends the session as Terraform does: calls GRPCController/Shutdown,
 * checks that it answered an empty message, closes the channel, and calls
 * tfp_client_wait_exit(). Frees c in every case (killing the process if it
 * is still running). Returns 0 when all of that held, with the exit status
 * in *exit_status; -1 otherwise, after printing which step failed.
 */
int tfp_client_shutdown(struct tfp_client *c, int timeout_ms, int *exit_status);

/** Kills the process if it still runs, and frees everything. NULL is ok. */
void tfp_client_free(struct tfp_client *c);

/* --- running the binary without the protocol ------------------------------ */

struct tfp_exec_result {
	int exit_status; /* exit code, or -1 if killed by a signal/timeout */
	char *out;	 /* stdout, NUL-terminated */
	size_t out_len;
	char *err; /* stderr, NUL-terminated */
	size_t err_len;
};

/**
 * Runs the provider binary ($TFP_PROVIDER) with the extra arguments args
 * (NULL-terminated, may be NULL) and the environment changes env (as in
 * tfp_client_opts; the inherited environment never carries the cookie or
 * the PLUGIN_* variables), stdin on /dev/null, and collects its output.
 * The process is killed after timeout_ms. Returns 0 when it could run it.
 */
int tfp_client_exec(const char *const *args, const char *const *env,
		    int timeout_ms, struct tfp_exec_result *r);

void tfp_exec_result_dispose(struct tfp_exec_result *r);

/** The magic cookie environment entry Terraform sets. */
#define TFP_CLIENT_COOKIE_ENV                                                  \
	"TF_PLUGIN_MAGIC_COOKIE="                                              \
	"d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

#endif
