/*
 * Where the REST client sends requests: the URL facet.
 *
 * tfp_rest__check_host turns the configured host into "scheme://authority"
 * (a bare name gets https://, any path is dropped, as in the Go SDK) and
 * refuses what would leak the token: plain http:// to anything but a
 * loopback address, and user names or passwords in the host.
 * tfp_rest__target builds the request target, path + '?' + the query
 * sorted by key and percent-encoded, so that one request always has one
 * URL (which is also its cache key). tfp_rest_escape is the encoding
 * callers use for ids in paths. No I/O.
 */
#include "rest.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "diag.h"
#include "rest_internal.h"

/* --- the host ------------------------------------------------------------ */

bool tfp_rest__is_loopback(const char *name)
{
	struct in_addr v4;
	struct in6_addr v6;

	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	/* RFC 6761 6.3: "localhost" and every name under it are loopback,
	 * and libcurl resolves them so without asking DNS; the emulator
	 * serves each workspace it provisions at <deployment>.localhost. */
	if ((n == 9 && strncasecmp(name, "localhost", 9) == 0) ||
	    (n > 10 && strncasecmp(name + n - 10, ".localhost", 10) == 0))
		return true;
	if (inet_pton(AF_INET, name, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, name, &v6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&v6) ||
		       (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
	return false;
}

bool tfp_rest__is_metadata_service(const char *name)
{
	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	return (n == 15 && strncmp(name, "169.254.169.254", 15) == 0) ||
	       (n == 24 &&
		strncasecmp(name, "metadata.google.internal", 24) == 0);
}

/* host NULL: not quoted, because it holds a password. */
static int rest_bad_host(struct tfp_diags *d, const char *host, const char *why)
{
	return tfp_diag_error(
	        d, "Invalid Databricks host",
	        "The host%s%s%s %s. Set host in the provider block or the "
	        "DATABRICKS_HOST environment variable to the workspace URL, "
	        "for example https://<workspace>.cloud.databricks.com.",
	        host ? " \"" : "", host ? host : "", host ? "\"" : "", why);
}

/*
 * Checks the configured host and returns "scheme://authority" in *out
 * (malloc'd). Like the Go SDK, a bare name gets https:// and any path is
 * dropped. Plain http:// would send the token in clear text, so it is
 * allowed only for loopback addresses (a local brickform-emulator).
 */
int tfp_rest__check_host(char **out, const char *host, struct tfp_diags *d)
{
	char name[256];
	const char *s, *auth, *end, *colon = NULL, *sep;
	size_t n = strlen(host), namelen;
	struct in6_addr v6;
	struct tfp_rest__buf b;
	bool https = true;
	char *shown;

	s = tfp_rest__trim(host, &n);
	shown = tfp_arena_strndup(d->arena, s, n);
	s = shown;
	sep = strstr(s, "://");
	if (sep == NULL) {
		auth = s;
	} else if ((size_t)(sep - s) == 5 && strncasecmp(s, "https", 5) == 0) {
		auth = sep + 3;
	} else if ((size_t)(sep - s) == 4 && strncasecmp(s, "http", 4) == 0) {
		auth = sep + 3;
		https = false;
	} else {
		return rest_bad_host(d, shown,
		                     "uses a scheme other than https://");
	}
	end = auth + strcspn(auth, "/?#");
	if (end == auth)
		return rest_bad_host(d, shown, "has no host name");
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL)
		return rest_bad_host(
		        d, NULL, "must not contain a user name or password");
	if (auth[0] == '[') {
		const char *close = memchr(auth, ']', (size_t)(end - auth));

		if (close == NULL)
			return rest_bad_host(
			        d, shown, "has an unterminated IPv6 address");
		namelen = (size_t)(close - auth - 1);
		if (namelen >= sizeof(name))
			return rest_bad_host(d, shown, "is too long");
		memcpy(name, auth + 1, namelen);
		name[namelen] = '\0';
		if (close + 1 < end && close[1] != ':')
			return rest_bad_host(d, shown,
			                     "has text after the IPv6 address");
		if (close + 1 < end)
			colon = close + 1;
		if (inet_pton(AF_INET6, name, &v6) != 1)
			return rest_bad_host(d, shown,
			                     "has an invalid IPv6 address");
	} else {
		const char *p;

		colon = memchr(auth, ':', (size_t)(end - auth));
		namelen = (size_t)((colon ? colon : end) - auth);
		if (namelen == 0 || namelen >= sizeof(name))
			return rest_bad_host(d, shown,
			                     "has an invalid host name");
		for (p = auth; p < auth + namelen; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' &&
			    *p != '.' && *p != '_')
				return rest_bad_host(
				        d, shown,
				        "has a character not allowed in a "
				        "host name");
		memcpy(name, auth, namelen);
		name[namelen] = '\0';
	}
	if (colon != NULL) {
		const char *p = colon + 1;
		long port = 0;

		if (p == end)
			return rest_bad_host(d, shown, "has an empty port");
		for (; p < end; p++) {
			if (!isdigit((unsigned char)*p) || port > 65535)
				return rest_bad_host(d, shown,
				                     "has an invalid port");
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535)
			return rest_bad_host(d, shown, "has an invalid port");
	}
	if (!https && !tfp_rest__is_loopback(name))
		return rest_bad_host(
		        d, shown,
		        "uses plain http://, which would send the token "
		        "unencrypted; use https://. Plain http:// is accepted "
		        "only for a loopback address (127.0.0.1, localhost, "
		        "[::1]) such as a local brickform-emulator");
	tfp_rest__buf_init(&b, SIZE_MAX);
	tfp_rest__buf_puts(&b, https ? "https://" : "http://");
	tfp_rest__buf_append(&b, auth, (size_t)(end - auth));
	*out = tfp_rest__buf_take(&b, &n);
	return TFP_OK;
}

/* --- escaping and request targets ---------------------------------------- */

char *tfp_rest_escape_to(char *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		/* Not isalnum(): it depends on the locale. */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			*out++ = (char)c;
		} else {
			*out++ = '%';
			*out++ = hex[c >> 4];
			*out++ = hex[c & 15];
		}
	}
	*out = '\0';
	return out;
}

char *tfp_rest_escape(struct tfp_arena *a, const char *s)
{
	char *out = tfp_arena_alloc(a, 3 * strlen(s) + 1);

	tfp_rest_escape_to(out, s);
	return out;
}

struct rest_qitem {
	const struct tfp_query *q;
	size_t index;
};

/* By key, then by position: repeated keys keep their order, like Go's
 * url.Values.Encode, so the URL and the cache key are canonical. */
static int rest_qitem_cmp(const void *pa, const void *pb)
{
	const struct rest_qitem *a = pa, *b = pb;
	int c = strcmp(a->q->key, b->q->key);

	if (c != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* path + '?' + the sorted, escaped query (pairs with a NULL value are
 * left out), in the arena. */
char *tfp_rest__target(struct tfp_arena *a, const char *path,
                       const struct tfp_query *query)
{
	struct rest_qitem *items;
	struct tfp_rest__buf b;
	size_t n = 0, i, m = 0;
	const char *sep = strchr(path, '?') ? "&" : "?";
	char *out;

	tfp_rest__buf_init(&b, SIZE_MAX);
	tfp_rest__buf_puts(&b, path);
	for (i = 0; query != NULL && query[i].key != NULL; i++)
		n++;
	if (n > 0) {
		items = tfp_arena_alloc(a, n * sizeof(*items));
		for (i = 0; i < n; i++) {
			if (query[i].value == NULL)
				continue;
			items[m].q = &query[i];
			items[m].index = i;
			m++;
		}
		qsort(items, m, sizeof(*items), rest_qitem_cmp);
		for (i = 0; i < m; i++) {
			tfp_rest__buf_puts(&b, i > 0 ? "&" : sep);
			tfp_rest__buf_puts(&b,
			                   tfp_rest_escape(a, items[i].q->key));
			tfp_rest__buf_puts(&b, "=");
			tfp_rest__buf_puts(
			        &b, tfp_rest_escape(a, items[i].q->value));
		}
	}
	out = tfp_arena_strndup(a, b.data, b.len);
	tfp_rest__buf_dispose(&b);
	return out;
}
