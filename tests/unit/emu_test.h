/*
 * Helpers shared by the emulator's unit tests (tests/unit/test_emu_*.c).
 * Include after <cmocka.h>. Functions are static inline so each test
 * takes only what it uses.
 */
#ifndef EMU_TEST_H
#define EMU_TEST_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "http.h"
#include "router.h"
#include "util.h"

/* A router answer, parsed: the tests read status and JSON. */
struct emu_test_result {
	int status;
	cJSON *json;
	char *text;
};

/*
 * One request through the router, as the HTTP server would make it, with
 * bearer as the token; the reply must be JSON.
 */
static inline struct emu_test_result
emu_test_call(struct emu_workspace *ws, const char *method, const char *target,
	      const char *body, const char *bearer)
{
	struct emu_response resp;
	struct emu_test_result r;

	emu_response_init(&resp);
	emu_router_call(ws, method, target, body, bearer, &resp);
	r.status = resp.status;
	r.text = emu_response_text(&resp);
	r.json = cJSON_Parse(r.text);
	emu_response_dispose(&resp);
	assert_non_null(r.json);
	return r;
}

static inline void emu_test_result_dispose(struct emu_test_result *r)
{
	cJSON_Delete(r->json);
	free(r->text);
}

/* A string member, or NULL. */
static inline const char *emu_test_str(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/*
 * Sends request_len bytes of a raw HTTP request to 127.0.0.1:port and
 * returns everything the server wrote before closing (malloc'd; "" when it
 * closed without a byte, as a dropped response does). A server that
 * closes early (413) ends the sending quietly.
 */
static inline char *emu_test_raw_http(unsigned port, const char *request,
				      size_t request_len)
{
	struct sockaddr_in sin;
	struct emu_buf out = EMU_BUF_INIT(64 * 1024 * 1024);
	char chunk[4096];
	size_t sent = 0;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	while (sent < request_len) {
		ssize_t n = send(fd, request + sent, request_len - sent,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	for (;;) {
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		assert_int_equal(emu_buf_append(&out, chunk, (size_t)n), 0);
	}
	close(fd);
	return out.data ? out.data : emu_xstrdup("");
}

#endif
