/*
 * The go-plugin side of a provider process: what Terraform expects before
 * and around the tfplugin6 service.
 *
 * It checks the magic cookie (a person who runs the binary gets a clear
 * message), picks protocol 6 from PLUGIN_PROTOCOL_VERSIONS, makes a unix
 * socket, generates a fresh self-signed certificate for AutoMTLS when
 * PLUGIN_CLIENT_CERT is set, prints the handshake line first on stdout,
 * and serves go-plugin's own services: grpc.health.v1 ("plugin" SERVING),
 * GRPCController/Shutdown, and the held-open GRPCStdio and GRPCBroker
 * streams. Nothing else in the provider writes to stdout.
 */
#ifndef TFP_PLUGIN_H
#define TFP_PLUGIN_H

struct tfp_provider_def;

/**
 * Serves the provider def describes until Terraform shuts it down;
 * returns the process exit status. def must outlive the call.
 */
int tfp_plugin_serve(const struct tfp_provider_def *def, int argc,
		     char **argv);

#endif
