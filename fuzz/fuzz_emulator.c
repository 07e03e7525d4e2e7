/*
 * brickform-emulator's request dispatch, as a hostile client reaches it:
 * the first byte picks the method, the text up to the first newline is
 * the request target (path and query, still percent-encoded), the rest
 * the body; every API family's routes, argument checks and handlers run
 * against a fresh workspace per input (see below).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "router.h"
#include "util.h"
#include "workspace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TOKEN "dapi-fuzz"

static bool initialised;

/* One request: the first byte picks the method (its high bit adds the
 * token and a JSON content type), the target runs to the first newline,
 * the body is the rest. */
static void one_request(struct emu_workspace *w, const uint8_t *data,
			size_t size)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "PATCH",
					      "DELETE", "HEAD"};
	struct emu_request req;
	struct emu_response resp;
	const uint8_t *nl;
	char *target;
	size_t tlen;

	if (size < 2)
		return;
	nl = memchr(data + 1, '\n', size - 1);
	tlen = nl ? (size_t)(nl - (data + 1)) : size - 1;
	target = malloc(tlen + 2);
	target[0] = '/';
	memcpy(target + 1, data + 1, tlen);
	target[tlen + 1] = '\0';
	/* A NUL cannot be in a request line; fault rules would only make
	 * the fuzzer sleep (latency) or drop its own answers. */
	if (memchr(target, '\0', tlen + 1) != NULL ||
	    strncmp(target, "/_emulator/faults", 17) == 0) {
		free(target);
		return;
	}
	emu_request_init(&req, methods[data[0] % 6], target,
			 nl ? (const char *)nl + 1 : NULL,
			 nl ? size - (size_t)(nl + 1 - data) : 0);
	if (data[0] & 0x80) {
		emu_request_add_header(&req, "Authorization",
				       "Bearer " FUZZ_TOKEN);
		emu_request_add_header(&req, "Content-Type",
				       "application/json");
	}
	emu_response_init(&resp);
	emu_router_handle(w, &req, &resp);
	emu_response_dispose(&resp);
	emu_request_dispose(&req);
	free(target);
}

/* The next "\n--\n" in [p, end), or NULL. */
static const uint8_t *find_sep(const uint8_t *p, const uint8_t *end)
{
	for (; end - p >= 4; p++)
		if (memcmp(p, "\n--\n", 4) == 0)
			return p;
	return NULL;
}

/* An input is up to 8 requests separated by "\n--\n", against a fresh
 * workspace that is freed afterwards, so that sequences (create, then
 * get, edit, delete) are reached and anything kept past the workspace is
 * a leak LeakSanitizer reports. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *tokens[] = {FUZZ_TOKEN};
	struct emu_workspace_options o;
	struct emu_workspace *w;
	const uint8_t *p = data, *end = data + size;
	int k;

	if (!initialised) {
		emu_util_init();
		initialised = true;
	}
	memset(&o, 0, sizeof(o));
	o.tokens = tokens;
	o.ntokens = 1;
	w = emu_workspace_new(&o);
	for (k = 0; k < 8 && p < end; k++) {
		const uint8_t *sep = find_sep(p, end);
		const uint8_t *stop = sep ? sep : end;

		one_request(w, p, (size_t)(stop - p));
		p = sep ? sep + 4 : end;
	}
	emu_workspace_free(w);
	return 0;
}
