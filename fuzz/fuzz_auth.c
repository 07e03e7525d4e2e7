/*
 * What authentication reads from other programs and files: a
 * .databrickscfg (any profile name from the input), the JSON of a token
 * endpoint, the metadata service or `databricks auth token`, the
 * RFC 3339 expiry times in them, GitHub Actions' ID token answer and the
 * Location of a workspace's /aad/auth redirect. The first byte picks the
 * decoder (its high bits among the last three).
 */
#include "fuzz.h"

#include <string.h>

#include "arena.h"
#include "auth.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tfp_auth_settings s;
	struct tfp_arena *a;
	const char *why = NULL;
	char *text, *header = NULL;
	time_t expiry = 0;
	bool found = false;

	if (size < 1)
		return 0;
	a = tfp_arena_new();
	text = tfp_arena_strndup(a, (const char *)data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		memset(&s, 0, sizeof(s));
		tfp_auth_parse_profile(&s, &found, a, text, "DEFAULT");
		break;
	case 1:
		memset(&s, 0, sizeof(s));
		/* The profile name is the text's first line. */
		tfp_auth_parse_profile(&s, &found, a, text,
				       strchr(text, '\n') ? text : "x");
		break;
	case 2:
		if (tfp_auth__token_from_json(&header, &expiry, &why, a, text,
					      data[0] & 4 ? "expires_in"
							  : "expires_on") ==
		    TFP_OK) {
			FUZZ_CHECK(header != NULL);
			FUZZ_CHECK(strncmp(header, "Authorization: ", 15) == 0);
		} else {
			FUZZ_CHECK(why != NULL);
		}
		free(header);
		break;
	default:
		if ((data[0] >> 4) % 3 == 1) {
			if (tfp_auth_parse_id_token(&header, &why, text) ==
			    TFP_OK)
				FUZZ_CHECK(header != NULL && header[0] != '\0');
			else
				FUZZ_CHECK(why != NULL);
			free(header);
		} else if ((data[0] >> 4) % 3 == 2) {
			const char *t =
				tfp_auth_tenant_from_location(&why, a, text);

			/* A tenant never carries a path or query into the
			 * Entra ID URL it is put in. */
			FUZZ_CHECK(t != NULL || why != NULL);
			FUZZ_CHECK(t == NULL ||
				   strcspn(t, "/?#%") == strlen(t));
		} else {
			(void)tfp_auth__parse_rfc3339(text);
		}
		break;
	}
	tfp_arena_free(a);
	return 0;
}
