/*
 * Every tfplugin6 request message through its real RPC handler, without
 * a network: the first byte picks the method, the rest is the protobuf
 * request as Terraform would send it (DynamicValues in msgpack or JSON,
 * raw state, import ids, ...). The provider is not configured, so nothing
 * leaves the process: what runs is the protobuf and value decoding,
 * validation, planning, state upgrades and the diagnostics on the way
 * back, all of which must hold for any bytes.
 */
#include "fuzz.h"

#include <string.h>

#include "arena.h"
#include "databricks.h"
#include "provider.h"
#include "rpc.h"
#include "server.h"

static struct tfp_provider *provider;
static const struct tfp_method *methods;
static size_t n_unary;
static const struct tfp_method *unary[64];

static void fuzz_rpc_init(void)
{
	size_t n, i;

	provider = tfp_provider_new(&tfp_databricks_provider);
	methods = tfp_rpc_methods(&n);
	for (i = 0; i < n && n_unary < sizeof(unary) / sizeof(unary[0]); i++)
		if ((methods[i].kind == TFP_METHOD_UNARY ||
		     methods[i].kind == TFP_METHOD_UNARY_INLINE) &&
		    methods[i].fn != NULL &&
		    strstr(methods[i].path, "StopProvider") == NULL)
			unary[n_unary++] = &methods[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tfp_arena *a;
	const char *err = NULL;
	uint8_t *resp = NULL;
	size_t resp_len = 0;

	if (provider == NULL)
		fuzz_rpc_init();
	if (size < 1 || n_unary == 0)
		return 0;
	a = tfp_arena_new();
	(void)unary[data[0] % n_unary]->fn(a, data + 1, size - 1, &resp,
					   &resp_len, &err, provider);
	tfp_arena_free(a);
	return 0;
}
