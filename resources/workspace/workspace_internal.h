/*
 * What the workspace family shares (content.c): the content arguments of
 * the file-like types (databricks_dbfs_file, databricks_global_init_script,
 * and later notebooks and workspace files) and the pieces that move that
 * content without holding more than a block of it at a time: a streaming
 * MD5, base64, a reader over a local file or content_base64, and the
 * private state that remembers the remote object's modification time.
 *
 * Content: exactly one of `source` (a local file, read when planning and
 * applying) and `content_base64`; `md5` is the MD5 of those bytes, planned
 * from the configuration. A read puts the remote content's MD5 in the
 * state only when the remote object changed since this provider last
 * wrote or hashed it (its modification time or size, kept in the private
 * state, differ), so refreshing a large file does not download it; a
 * changed MD5 is the drift the plan shows and the next apply rewrites.
 */
#ifndef TFP_WORKSPACE_INTERNAL_H
#define TFP_WORKSPACE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "call.h"
#include "schema.h"

struct tfp_arena;
struct tfp_call;
struct tfp_value;

/* The three content attributes, for a schema table. */
/* clang-format off */
#define TFP_WORKSPACE_CONTENT_ATTRS                                            \
	{ .name = "source", .type = &tfp_type_string, .flags = TFP_OPTIONAL,  \
	  .desc = "A local file whose bytes are the content (read when "       \
		  "planning, so an edit plans an update). Conflicts with "     \
		  "content_base64." },                                         \
	{ .name = "content_base64", .type = &tfp_type_string,                 \
	  .flags = TFP_OPTIONAL,                                               \
	  .desc = "The content, base64-encoded. Conflicts with source." },     \
	{ .name = "md5", .type = &tfp_type_string,                             \
	  .flags = TFP_OPTIONAL | TFP_COMPUTED,                                \
	  .desc = "The MD5 of the content, from the configuration; a "        \
		  "different value after a refresh means the remote content "  \
		  "was changed." }
/* clang-format on */

/* --- MD5 and base64 ------------------------------------------------------- */

struct tfp_md5 {
	void *ctx; /* EVP_MD_CTX */
};

bool tfp_workspace__md5_init(struct tfp_md5 *m);
void tfp_workspace__md5_update(struct tfp_md5 *m, const void *p, size_t n);
/** The hex digest in a; frees the context (NULL after a failed init). */
const char *tfp_workspace__md5_hex(struct tfp_md5 *m, struct tfp_arena *a);
/** Frees the context without a digest (an abandoned stream). */
void tfp_workspace__md5_abort(struct tfp_md5 *m);

/* The length of n bytes in base64 (without the NUL). */
#define TFP_B64_LEN(n) (4 * (((size_t)(n) + 2) / 3))

/** data as standard base64 with padding into out (TFP_B64_LEN(n) + 1
 * bytes); the length written. */
size_t tfp_workspace__b64_encode_to(char *out, const void *data, size_t n);
/** data as standard base64 with padding, in a. */
char *tfp_workspace__b64_encode(struct tfp_arena *a, const void *data,
				size_t n);
/** Decodes text (standard alphabet, padding optional, no white space)
 * into *out (in a); false when it is not base64. */
bool tfp_workspace__b64_decode(unsigned char **out, size_t *n,
			       struct tfp_arena *a, const char *text);

/* --- content -------------------------------------------------------------- */

/* The configured content, read in blocks: a local file (streamed), or
 * content_base64 (decoded once). MD5 and size are counted as it goes. */
struct tfp_content {
	FILE *file;
	const char *source;
	const unsigned char *mem;
	size_t mem_len, mem_off;
	struct tfp_md5 md5;
	int64_t size;
};

/** Opens obj's content (a plan); a diagnostic names the attribute. */
int tfp_workspace__content_open(struct tfp_content *c, struct tfp_call *call,
				const struct tfp_value *obj);
/** Up to n bytes into buf: the count, 0 at the end, TFP_ERROR. */
long tfp_workspace__content_read(struct tfp_content *c, struct tfp_call *call,
				 unsigned char *buf, size_t n);
/** Closes c; the MD5 of what was read (NULL if the MD5 failed). */
const char *tfp_workspace__content_close(struct tfp_content *c,
					 struct tfp_arena *a);
/**
 * The whole content (at most max bytes, else a diagnostic naming what
 * and the limit) into *data and *len in call's arena, and its MD5.
 */
int tfp_workspace__content_load(unsigned char **data, size_t *len,
				const char **md5, struct tfp_call *call,
				const struct tfp_value *obj, size_t max,
				const char *what);

/** validate: one of source and content_base64 (required: at least one),
 * a source that exists, a content_base64 that is base64. */
int tfp_workspace__content_validate(struct tfp_call *call,
				    const struct tfp_value *config,
				    bool required);
/** modify_plan: md5 from the configured content when the configuration
 * leaves it unset and the content is known; *size (may be NULL) is the
 * content's size, -1 when it is not known yet. */
int tfp_workspace__content_plan(struct tfp_call *call,
				const struct tfp_value *config,
				struct tfp_value *plan, int64_t *size);

/* --- scratch calls -------------------------------------------------------- */

/*
 * A copy of call whose arena is its own, for the REST calls of a block
 * transfer: each block's request and reply are freed with it, so a 50 MB
 * file never piles up in the call's arena. Diagnostics still go to call's
 * list; end copies last_error into call.
 */
void tfp_workspace__scratch_begin(struct tfp_call *sub, struct tfp_call *call);
void tfp_workspace__scratch_end(struct tfp_call *sub, struct tfp_call *call);

/* --- private state -------------------------------------------------------- */

/** The remote modification time and size this provider last saw (from
 * call->private_in), and the digest it recorded with them (NULL when
 * none; digest may be NULL); false when there are none. */
bool tfp_workspace__private_get(const struct tfp_call *call, int64_t *modified,
				int64_t *size, const char **digest);
/** Replaces the private state with them (digest may be NULL). */
void tfp_workspace__private_set(struct tfp_call *call, int64_t modified,
				int64_t size, const char *digest);

/* --- DBFS ------------------------------------------------------------------ */

struct cJSON;

/** GET /api/2.0/dbfs/get-status of path into *status (dbfs_file.c). */
int tfp_workspace__dbfs_status(struct cJSON **status, struct tfp_call *call,
			       const char *path);

/* A consumer of a file's blocks; a negative return stops the read. */
typedef int (*tfp_workspace_block_fn)(void *payload, const unsigned char *b,
				      size_t n);

/**
 * Reads DBFS file path (size bytes, from get-status) in 1 MiB blocks,
 * each handed to fn and freed before the next is asked (dbfs_file.c).
 */
int tfp_workspace__dbfs_read(struct tfp_call *call, const char *path,
			     int64_t size, tfp_workspace_block_fn fn,
			     void *payload);

/* --- listings ------------------------------------------------------------ */

/* The elements of a computed set of objects a listing data source fills
 * (path_list, notebook_path_list), grown as entries are found. */
struct tfp_workspace_list {
	const struct tfp_type *set_type;
	struct tfp_value **items;
	size_t n, cap;
};

/** A new object of the set's element type, appended to l. */
struct tfp_value *tfp_workspace__list_add(struct tfp_workspace_list *l,
					  struct tfp_arena *a);
/**
 * config (the data source's) with id = path and attribute attr = the set
 * of l's elements: the data source's result.
 */
struct tfp_value *tfp_workspace__list_result(struct tfp_workspace_list *l,
					     struct tfp_arena *a,
					     const struct tfp_value *config,
					     const char *attr,
					     const char *path);

#endif
