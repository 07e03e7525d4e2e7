/*
 * The SQL DDL that Unity Catalog tables and views are made and changed
 * with (uc_ddl.c), for the Statement Execution API (sql/statements.c):
 * the one entry point other families use, as sql/warehouses.h is for
 * warehouses.
 */
#ifndef EMU_UC_DDL_H
#define EMU_UC_DDL_H

#include <stddef.h>

struct emu_request;

/* Longest statement text the emulator parses (bytes). */
#define UC_DDL_MAX_LEN (1024 * 1024)

/** Why a statement failed: the status.error of a FAILED statement. */
struct uc_ddl_error {
	/* ServiceErrorCode: BAD_REQUEST, NOT_FOUND, ALREADY_EXISTS... */
	const char *code;
	/* "[ERROR_CLASS] text. SQLSTATE: xxxxx"; the caller frees it. */
	char *message;
};

/**
 * Runs one DDL statement (sql, len bytes, no NUL inside) against the
 * workspace of req (its lock held), as req's principal; one- and
 * two-part names resolve in catalog and schema (NULL: main and default).
 * Returns 0, or -1 with *err filled.
 */
int uc_ddl_execute(struct emu_request *req, const char *sql, size_t len,
		   const char *catalog, const char *schema,
		   struct uc_ddl_error *err);

#endif
