/*
 * What other emulated APIs may ask about SQL warehouses (warehouses.c):
 * the Permissions API checks that a sql/warehouses object exists and
 * learns its creator, who holds IS_OWNER on it.
 */
#ifndef EMU_SQL_WAREHOUSES_H
#define EMU_SQL_WAREHOUSES_H

#include <stdbool.h>

struct emu_workspace;

/**
 * True when the workspace has a warehouse with this id that is not being
 * deleted; *creator (when creator is not NULL) is then its creator_name,
 * borrowed until the next request. Call with the workspace lock held.
 */
bool emu_sql_warehouse_lookup(struct emu_workspace *ws, const char *id,
			      const char **creator);

#endif
