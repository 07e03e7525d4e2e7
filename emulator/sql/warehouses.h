/*
 * What other emulated APIs may ask about SQL warehouses (warehouses.c):
 * the Permissions API checks that a sql/warehouses object exists and
 * learns its creator, who holds IS_OWNER on it; the Statement Execution
 * API runs statements on one.
 */
#ifndef EMU_SQL_WAREHOUSES_H
#define EMU_SQL_WAREHOUSES_H

#include <stdbool.h>
#include <stdint.h>

struct emu_workspace;

/**
 * True when the workspace has a warehouse with this id that is not being
 * deleted; *creator (when creator is not NULL) is then its creator_name,
 * borrowed until the next request. Call with the workspace lock held.
 */
bool emu_sql_warehouse_lookup(struct emu_workspace *ws, const char *id,
			      const char **creator);

/**
 * Readies warehouse id for a statement (sql/statements.c), as the
 * Statement Execution API does: a stopped or stopping warehouse is
 * started. When it would be RUNNING within wait_ms (the statement's
 * wait_timeout), it is RUNNING now, since the caller would have waited
 * that long. Returns -1 when there is no such live warehouse, else 0 with
 * *ready_ms the workspace time at which it runs (now when it does).
 * Call with the workspace lock held.
 */
int emu_sql_warehouse_ready(struct emu_workspace *ws, const char *id,
			    int64_t wait_ms, int64_t *ready_ms);

#endif
