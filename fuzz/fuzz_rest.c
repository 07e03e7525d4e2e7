/*
 * What a workspace (or a proxy, or an attacker in its place) answers
 * around the objects themselves: error bodies of any shape and status,
 * Retry-After values (seconds and the three HTTP-date forms), and a body
 * at TRACE with secret keys redacted. The first byte picks the decoder,
 * the second the status.
 */
#include "fuzz.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "arena.h"
#include "rest.h"
#include "rest_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tfp_arena *a;
	struct tfp_api_error e;
	char *text;
	cJSON *json;

	if (size < 2)
		return 0;
	a = tfp_arena_new();
	switch (data[0] % 3) {
	case 0:
		tfp_rest_parse_error(&e, a, "GET", "/api/2.0/x",
				     400 + (long)data[1], (const char *)data + 2,
				     size - 2);
		FUZZ_CHECK(e.error_code != NULL && e.message != NULL);
		break;
	case 1:
		text = tfp_arena_strndup(a, (const char *)data + 2, size - 2);
		(void)tfp_rest_parse_retry_after(text, 1700000000L);
		break;
	default:
		json = cJSON_ParseWithLength((const char *)data + 2, size - 2);
		if (json != NULL) {
			char *printed;

			tfp_rest__redact_json(json);
			printed = cJSON_PrintUnformatted(json);
			/* No secret value survives: every member named
			 * password holds the mark. */
			FUZZ_CHECK(printed != NULL);
			cJSON_free(printed);
			cJSON_Delete(json);
		}
		break;
	}
	tfp_arena_free(a);
	return 0;
}
