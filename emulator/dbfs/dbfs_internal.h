/*
 * What the DBFS family's modules share: DBFS 2.0 (dbfs.c) and Global Init
 * Scripts 2.0 (init_scripts.c) both take file contents as base64 text in a
 * JSON field with a size limit in decoded bytes, and both answer a body
 * that is not base64 and a body over the limit the same way.
 */
#ifndef EMU_DBFS_INTERNAL_H
#define EMU_DBFS_INTERNAL_H

#include <stddef.h>

struct emu_response;

/** The largest block DBFS takes or gives in one request: 1 MiB. */
#define EMU_DBFS_MAX_BLOCK (1024 * 1024)

/**
 * Decodes the base64 text of request field (its name for messages) into
 * *out (caller frees; NUL-terminated) and its length into *out_len.
 * Returns 0, or -1 after answering 400 INVALID_PARAMETER_VALUE naming the
 * field when text is not standard base64.
 */
int emu_dbfs_decode(unsigned char **out, size_t *out_len,
		    struct emu_response *resp, const char *field,
		    const char *text);

#endif
