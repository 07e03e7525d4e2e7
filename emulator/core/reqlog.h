/*
 * Request capture for tests: the method, path, query, status and JSON body
 * of each API request, plus a count per "METHOD /path", served by GET
 * /_emulator/requests (control.c).
 *
 * Bounded so an emulator left running for hours stays small: the newest
 * EMU_REQLOG_MAX_ENTRIES requests are kept, a body is kept only up to
 * EMU_REQLOG_MAX_BODY bytes, and all kept bodies together stay under
 * EMU_REQLOG_BODY_BUDGET (older entries are dropped first; "dropped" in the
 * JSON says how many). Counts are exact for up to EMU_REQLOG_MAX_KEYS
 * distinct method/path pairs; requests to further new paths are counted in
 * "uncounted" only.
 *
 * Not thread-safe by itself: the workspace lock protects it.
 */
#ifndef EMU_REQLOG_H
#define EMU_REQLOG_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define EMU_REQLOG_MAX_ENTRIES 10000
#define EMU_REQLOG_MAX_BODY    (64 * 1024)
#define EMU_REQLOG_BODY_BUDGET (32 * 1024 * 1024)
#define EMU_REQLOG_MAX_KEYS    10000

struct emu_reqlog;
struct emu_request;

/** A new, empty log. */
struct emu_reqlog *emu_reqlog_new(void);
/** Frees the log; NULL is fine. */
void emu_reqlog_free(struct emu_reqlog *log);
/** Forgets every entry and count. */
void emu_reqlog_clear(struct emu_reqlog *log);

/**
 * Records req (its decoded path, raw query string and parsed JSON body, if
 * any, and req->fault) with the status it was answered with (0 when the
 * connection was reset). A req->log_redacted request is kept without its
 * query and body. Copies what it keeps.
 */
void emu_reqlog_add(struct emu_reqlog *log, const struct emu_request *req,
		    int status);

/**
 * The log as {"requests": [{"method", "path", "query", "status", "body"?,
 * "fault"?}],
 * "counts": {"GET /api/...": n}, "dropped": n, "uncounted": n}; caller
 * frees.
 */
cJSON *emu_reqlog_json(const struct emu_reqlog *log);

#endif
