/*
 * The tfplugin6.Provider service: protobuf <-> the provider's own types.
 *
 * Every RPC of protocol 6.8 is in the table. Each handler unpacks its
 * request (into the call's arena), converts DynamicValues with the msgpack
 * codec, calls provider.c or lifecycle.c, and packs the response with its
 * diagnostics. Only rpc.c and server.c include *.pb-c.h.
 */
#ifndef TFP_RPC_H
#define TFP_RPC_H

#include <stddef.h>
#include "server.h"

/** The tfplugin6.Provider methods, for the server's table. */
const struct tfp_method *tfp_rpc_methods(size_t *n);

struct ProtobufCMessage;
struct tfp_arena;
struct tfp_attr;
struct tfp_block;

/**
 * Semi-private, for tests: the protocol's Schema.Block for a table, as a
 * Tfplugin6__Schema__Block allocated in a.
 */
struct ProtobufCMessage *tfp_rpc__schema_block(struct tfp_arena *a,
					       const struct tfp_attr *attrs,
					       const struct tfp_block *blocks);

#endif
