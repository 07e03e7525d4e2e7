/*
 * DBFS API 2.0 (/api/2.0/dbfs/...): the workspace's file system as the
 * REST API shows it, kept in memory per workspace.
 *
 *   POST put        {path, contents (base64, <= 1 MiB), overwrite}  -> {}
 *   POST create     {path, overwrite}                      -> {handle}
 *   POST add-block  {handle, data (base64, <= 1 MiB)}      -> {}
 *   POST close      {handle}                               -> {}
 *   GET  read       ?path=&offset=&length=   -> {bytes_read, data}
 *   GET  get-status ?path=      -> {path, is_dir, file_size,
 *                                   modification_time}
 *   GET  list       ?path=      -> {files: [file info...]}
 *   POST mkdirs     {path}                                 -> {}
 *   POST move       {source_path, destination_path}        -> {}
 *   POST delete     {path, recursive}                      -> {}
 *
 * Paths are absolute, with or without the "dbfs:" scheme ("dbfs:/a" and
 * "/a" are the same file); answers name files by their plain absolute
 * path ("/a/b"), and error messages quote the path as the client sent it,
 * as the service does. Writing a file makes its missing parent
 * directories, as on the service (a Hadoop file system underneath).
 *
 * Streams: create opens a handle (the file exists, empty, from then on),
 * add-block appends up to 1 MiB a request, close makes the written bytes
 * the file's contents. A handle left idle for 10 minutes (the service's
 * timeout) is forgotten, as is every handle across a restart.
 *
 * Errors as the service words them: a missing path is 404
 * RESOURCE_DOES_NOT_EXIST "No file or directory exists on path <p>."; a
 * path taken (put or create without overwrite, a directory in the way,
 * a file where mkdirs needs a directory, an existing move destination)
 * is 400 RESOURCE_ALREADY_EXISTS "A file or directory already exists at
 * the input path <p>."; contents over 1 MiB are 400
 * MAX_BLOCK_SIZE_EXCEEDED "The 'contents' data cannot exceed 1048576
 * bytes. Found: <n> bytes. You might want to use streaming upload
 * instead."; a read over 1 MiB is 400 MAX_READ_SIZE_EXCEEDED; deleting a
 * non-empty directory without recursive is 400 IO_ERROR "Path is a
 * folder: <p> and it is not an empty directory". Deleting a path that is
 * not there succeeds, as it does on the service. The wording of the
 * unknown-handle, block-size and read-size messages is the emulator's: no
 * public source quotes the service's.
 *
 * put takes a JSON body (contents in base64, at most 1 MiB; none makes an
 * empty file) or a multipart/form-data post (fields path, overwrite and
 * contents, the file's raw bytes), which the service has for uploads
 * beyond the inline limit; the emulator holds those to its 16 MiB body
 * cap.
 *
 * Memory: contents are kept as bytes (never as base64 text), in buffers
 * that grow geometrically, so a 50 MB file streamed in 1 MB blocks costs
 * amortised O(1) per byte. Everything the workspace's DBFS holds (files
 * and open streams) is capped at EMU_DBFS_MAX_BYTES; beyond it writes are
 * refused with 400 QUOTA_EXCEEDED. --state saves files with their
 * contents as base64.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "dbfs_internal.h"
#include "errors.h"
#include "http.h"
#include "json.h"
#include "module.h"
#include "util.h"
#include "workspace.h"

/* What one workspace's DBFS may hold in all, and how many entries. */
#define EMU_DBFS_MAX_BYTES ((size_t)1024 * 1024 * 1024)
#define DBFS_MAX_NODES	   100000
#define DBFS_MAX_HANDLES   1000
#define DBFS_MAX_PATH	   4096
/* read's length when none (or 0) is given: 0.5 MiB. */
#define DBFS_READ_DEFAULT (512 * 1024)
/* The service forgets a stream after 10 minutes without a request. */
#define DBFS_HANDLE_IDLE_MS (10LL * 60 * 1000)
/* Handles are numbers like the service's (e.g. 7904256). */
#define DBFS_FIRST_HANDLE 7904256

/* A growing byte buffer; capacity doubles so appends are amortised. */
struct dbfs_bytes {
	unsigned char *data;
	size_t len, cap;
};

/* A file or directory; the root "/" is implicit and never stored. */
struct dbfs_node {
	char *path; /* normalised: "/a/b" */
	bool is_dir;
	int64_t mtime;
	struct dbfs_bytes bytes; /* files only */
};

/* An open stream from create. */
struct dbfs_handle {
	int64_t id;
	char *path; /* normalised */
	int64_t last_used;
	struct dbfs_bytes bytes;
};

struct dbfs_state {
	struct dbfs_node *nodes; /* unordered; lists sort */
	size_t nnodes, capnodes;
	struct dbfs_handle *handles;
	size_t nhandles, caphandles;
	int64_t next_handle;
	size_t bytes; /* files and open streams */
};

extern const struct emu_module emu_module_dbfs;

/* --- bytes and paths --------------------------------------------------- */

/* Makes room for need bytes in all (doubling, from 4 KiB). */
static void bytes_reserve(struct dbfs_bytes *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 4096;

	if (need <= b->cap)
		return;
	while (cap < need)
		cap *= 2;
	b->data = emu_xrealloc(b->data, cap);
	b->cap = cap;
}

static void bytes_append(struct dbfs_bytes *b, const unsigned char *data,
			 size_t n)
{
	if (n == 0)
		return;
	bytes_reserve(b, b->len + n);
	memcpy(b->data + b->len, data, n);
	b->len += n;
}

static void bytes_dispose(struct dbfs_bytes *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/*
 * The normalised form of a client's path: without "dbfs:", repeated and
 * trailing slashes removed ("dbfs://a//b/" is "/a/b"). Returns NULL for a
 * path that is not absolute or is too long.
 */
static char *path_normalise(const char *given)
{
	const char *p = given;
	char *out, *o;

	if (strncmp(p, "dbfs:", 5) == 0)
		p += 5;
	if (p[0] != '/' || strlen(p) > DBFS_MAX_PATH)
		return NULL;
	out = emu_xmalloc(strlen(p) + 1);
	o = out;
	for (; *p; p++) {
		if (*p == '/' && o > out && o[-1] == '/')
			continue;
		*o++ = *p;
	}
	if (o - out > 1 && o[-1] == '/')
		o--;
	*o = '\0';
	return out;
}

static bool is_root(const char *path)
{
	return strcmp(path, "/") == 0;
}

/* True when path lies below directory dir (not dir itself). */
static bool is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (is_root(dir))
		return path[0] == '/' && path[1] != '\0';
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* True when path is a direct child of dir. */
static bool is_child(const char *path, const char *dir)
{
	size_t n = is_root(dir) ? 0 : strlen(dir);

	return is_under(path, dir) && strchr(path + n + 1, '/') == NULL;
}

/* --- nodes -------------------------------------------------------------- */

static struct dbfs_node *node_find(struct dbfs_state *st, const char *path)
{
	size_t i;

	for (i = 0; i < st->nnodes; i++) {
		if (strcmp(st->nodes[i].path, path) == 0)
			return &st->nodes[i];
	}
	return NULL;
}

/* Adds an empty node; the caller has checked that path is free. */
static struct dbfs_node *node_add(struct dbfs_state *st, const char *path,
				  bool is_dir, int64_t now)
{
	struct dbfs_node *n;

	if (st->nnodes == st->capnodes) {
		st->capnodes = st->capnodes ? st->capnodes * 2 : 64;
		st->nodes = emu_xrealloc(st->nodes,
					 st->capnodes * sizeof(*st->nodes));
	}
	n = &st->nodes[st->nnodes++];
	memset(n, 0, sizeof(*n));
	n->path = emu_xstrdup(path);
	n->is_dir = is_dir;
	n->mtime = now;
	return n;
}

static void node_remove(struct dbfs_state *st, struct dbfs_node *n)
{
	st->bytes -= n->bytes.len;
	bytes_dispose(&n->bytes);
	free(n->path);
	*n = st->nodes[--st->nnodes];
}

static bool dir_has_children(const struct dbfs_state *st, const char *dir)
{
	size_t i;

	for (i = 0; i < st->nnodes; i++) {
		if (is_under(st->nodes[i].path, dir))
			return true;
	}
	return false;
}

/* --- errors -------------------------------------------------------------- */

static int err_missing(struct emu_response *resp, const char *given)
{
	return emu_error_not_found(
		resp, "No file or directory exists on path %s.", given);
}

static int err_exists(struct emu_response *resp, const char *given)
{
	return emu_error(resp, 400, "RESOURCE_ALREADY_EXISTS",
			 "A file or directory already exists at the input "
			 "path %s.",
			 given);
}

static int err_quota(struct emu_response *resp)
{
	return emu_error(resp, 400, "QUOTA_EXCEEDED",
			 "The emulated DBFS holds at most %zu bytes.",
			 EMU_DBFS_MAX_BYTES);
}

/* Room for n more bytes under the workspace's cap? */
static int check_quota(const struct dbfs_state *st, size_t n,
		       struct emu_response *resp)
{
	if (n > EMU_DBFS_MAX_BYTES - st->bytes)
		return err_quota(resp);
	return 0;
}

/*
 * Reads the path argument name and normalises it into *out (caller
 * frees); *given is the client's spelling. Returns 0, or -1 with the
 * service's 400 answered.
 */
static int check_path(char **out, const char *given, struct emu_response *resp)
{
	*out = NULL;
	if (strlen(given) - (strncmp(given, "dbfs:", 5) == 0 ? 5 : 0) >
	    DBFS_MAX_PATH)
		return emu_error_invalid(resp,
					 "The path is longer than %d "
					 "characters.",
					 DBFS_MAX_PATH);
	*out = path_normalise(given);
	if (*out == NULL)
		return emu_error_invalid(resp, "Path must be absolute: %s",
					 given);
	return 0;
}

static int arg_path(char **out, const char **given, struct emu_request *req,
		    struct emu_response *resp, const char *name)
{
	*out = NULL;
	if (emu_arg_string(given, req, resp, name, EMU_ARG_REQUIRED) < 0)
		return -1;
	return check_path(out, *given, resp);
}

/*
 * Makes the missing directories above path (not path itself). A file in
 * the way is RESOURCE_ALREADY_EXISTS, as the service answers it, and then
 * nothing was made.
 */
static int make_parents(struct dbfs_state *st, const char *path,
			const char *given, int64_t now,
			struct emu_response *resp)
{
	char *copy = emu_xstrdup(path), *slash;
	size_t missing = 0;
	int pass, rc = 0;

	/* Pass 0 checks and counts, pass 1 makes: a refused request
	 * changes nothing. */
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		for (slash = strchr(copy + 1, '/'); slash;
		     slash = strchr(slash + 1, '/')) {
			struct dbfs_node *n;

			*slash = '\0';
			n = node_find(st, copy);
			if (n && !n->is_dir)
				rc = err_exists(resp, given);
			else if (!n && pass == 0)
				missing++;
			else if (!n)
				node_add(st, copy, true, now);
			*slash = '/';
			if (rc < 0)
				break;
		}
		if (pass == 0 && rc == 0 &&
		    st->nnodes + missing + 1 > DBFS_MAX_NODES)
			rc = emu_error(resp, 400, "QUOTA_EXCEEDED",
				       "The emulated DBFS holds at most %d "
				       "files and directories.",
				       DBFS_MAX_NODES);
	}
	free(copy);
	return rc;
}

/* {path, is_dir, file_size, modification_time} of a node (NULL: root). */
static cJSON *file_info(const struct dbfs_node *n)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "path", n ? n->path : "/");
	cJSON_AddBoolToObject(o, "is_dir", n ? n->is_dir : true);
	emu_json_add_int64(o, "file_size",
			   n && !n->is_dir ? (int64_t)n->bytes.len : 0);
	emu_json_add_int64(o, "modification_time", n ? n->mtime : 0);
	return o;
}

/*
 * Checks that a file may be written at path: not a directory, and not an
 * existing file unless overwrite; then makes its parents. Returns the
 * existing file node (or NULL for a new one) in *existing.
 */
static int prepare_write(struct dbfs_node **existing, struct dbfs_state *st,
			 const char *path, const char *given, bool overwrite,
			 int64_t now, struct emu_response *resp)
{
	struct dbfs_node *n = is_root(path) ? NULL : node_find(st, path);

	*existing = NULL;
	if (is_root(path) || (n && (n->is_dir || !overwrite)))
		return err_exists(resp, given);
	if (make_parents(st, path, given, now, resp) < 0)
		return -1;
	/* make_parents may have moved the array. */
	*existing = node_find(st, path);
	return 0;
}

/* Replaces the contents of the file at path (made when missing). */
static void write_file(struct dbfs_state *st, struct dbfs_node *n,
		       const char *path, struct dbfs_bytes *bytes, int64_t now)
{
	if (n == NULL)
		n = node_add(st, path, false, now);
	st->bytes -= n->bytes.len;
	bytes_dispose(&n->bytes);
	n->bytes = *bytes;
	st->bytes += bytes->len;
	memset(bytes, 0, sizeof(*bytes));
	n->mtime = now;
}

/* --- put, streams --------------------------------------------------------- */

int emu_dbfs_decode(unsigned char **out, size_t *out_len,
		    struct emu_response *resp, const char *field,
		    const char *text)
{
	if (emu_base64_decode(out, out_len, text, strlen(text)) < 0)
		return emu_error_invalid(resp,
					 "The '%s' field is not valid "
					 "base64.",
					 field);
	return 0;
}

/* Writes len bytes of data as the file given (put's common part). */
static void put_write(struct emu_request *req, struct emu_response *resp,
		      const char *given, bool overwrite,
		      const unsigned char *data, size_t len)
{
	struct dbfs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	struct dbfs_bytes bytes = {0};
	struct dbfs_node *n;
	char *path = NULL;

	if (check_path(&path, given, resp) < 0 ||
	    check_quota(st, len, resp) < 0 ||
	    prepare_write(&n, st, path, given, overwrite, now, resp) < 0)
		goto done;
	bytes_append(&bytes, data, len);
	write_file(st, n, path, &bytes, now);
done:
	free(path);
}

/* --- multipart put -------------------------------------------------------- */

/* The first occurrence of needle in hay, or NULL (memmem is not C11). */
static const char *find_bytes(const char *hay, size_t n, const char *needle,
			      size_t m)
{
	const char *p = hay, *end = hay + n;

	while (m && (size_t)(end - p) >= m) {
		p = memchr(p, needle[0], (size_t)(end - p) - m + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, m) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* The boundary parameter of a multipart Content-Type (malloc'd), or
 * NULL. */
static char *form_boundary(const char *type)
{
	const char *b = type ? strstr(type, "boundary=") : NULL;
	size_t n;

	if (b == NULL)
		return NULL;
	b += strlen("boundary=");
	if (*b == '"') {
		b++;
		n = strcspn(b, "\"");
	} else {
		n = strcspn(b, "; \t");
	}
	/* RFC 2046: 1 to 70 characters. */
	if (n == 0 || n > 70)
		return NULL;
	return emu_xmemdup0(b, n);
}

/* The form field name of a part's headers (hdr, n bytes) into name. */
static int form_name(char *name, size_t size, const char *hdr, size_t n)
{
	const char *p = hdr, *end = hdr + n, *q;

	/* name="...", not the end of filename="...". */
	while ((q = find_bytes(p, (size_t)(end - p), "name=\"", 6)) != NULL) {
		const char *v = q + 6, *close;

		p = v;
		if (q > hdr && q[-1] != ' ' && q[-1] != ';')
			continue;
		close = memchr(v, '"', (size_t)(end - v));
		if (close == NULL || (size_t)(close - v) >= size)
			return -1;
		memcpy(name, v, (size_t)(close - v));
		name[close - v] = '\0';
		return 0;
	}
	return -1;
}

/* put's fields from a multipart/form-data body. */
struct put_form {
	const char *path;
	size_t path_len;
	const char *overwrite;
	size_t overwrite_len;
	const unsigned char *contents;
	size_t contents_len;
};

/*
 * Splits a multipart/form-data body (RFC 7578) into put's fields; other
 * fields are ignored. Returns 0, or -1 for a body that is not such a
 * form.
 */
static int form_parse(struct put_form *f, const char *body, size_t len,
		      const char *boundary)
{
	char *delim = emu_printf("\r\n--%s", boundary);
	size_t dlen = strlen(delim);
	const char *end = body + len, *p;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	/* The first delimiter may open the body, without the CRLF. */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = find_bytes(body, len, delim, dlen)) != NULL)
		p += dlen;
	else
		goto done;
	for (;;) {
		const char *hdr_end, *next;
		char name[64];

		if (end - p >= 2 && memcmp(p, "--", 2) == 0)
			break; /* the close delimiter */
		if (end - p < 2 || memcmp(p, "\r\n", 2) != 0)
			goto done;
		p += 2;
		hdr_end = find_bytes(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (hdr_end == NULL ||
		    form_name(name, sizeof(name), p, (size_t)(hdr_end - p)) < 0)
			goto done;
		p = hdr_end + 4;
		next = find_bytes(p, (size_t)(end - p), delim, dlen);
		if (next == NULL)
			goto done;
		if (strcmp(name, "path") == 0) {
			f->path = p;
			f->path_len = (size_t)(next - p);
		} else if (strcmp(name, "overwrite") == 0) {
			f->overwrite = p;
			f->overwrite_len = (size_t)(next - p);
		} else if (strcmp(name, "contents") == 0) {
			f->contents = (const unsigned char *)p;
			f->contents_len = (size_t)(next - p);
		}
		p = next + dlen;
	}
	rc = 0;
done:
	free(delim);
	return rc;
}

/*
 * put as a form post (curl -F contents=@file -F path=/x): the contents
 * are the file's bytes, not base64, and are not held to put's 1 MiB
 * inline limit (only to the 16 MiB body cap).
 */
static void put_multipart(struct emu_request *req, struct emu_response *resp)
{
	char *boundary = form_boundary(emu_request_header(req, "Content-Type"));
	struct put_form f;
	char *path = NULL;
	bool overwrite = false;

	if (boundary == NULL || req->body == NULL ||
	    form_parse(&f, req->body, req->body_len, boundary) < 0) {
		emu_error(resp, 400, "MALFORMED_REQUEST",
			  "The multipart/form-data body could not be read.");
		goto done;
	}
	if (f.path == NULL) {
		emu_error_missing_field(resp, "path");
		goto done;
	}
	if (!emu_utf8_valid(f.path, f.path_len) ||
	    memchr(f.path, '\0', f.path_len)) {
		emu_error_invalid(resp, "The path is not valid UTF-8 text.");
		goto done;
	}
	if (f.overwrite) {
		if (f.overwrite_len == 4 && memcmp(f.overwrite, "true", 4) == 0)
			overwrite = true;
		else if (!(f.overwrite_len == 5 &&
			   memcmp(f.overwrite, "false", 5) == 0)) {
			emu_error_invalid(resp, "Invalid value for field "
						"'overwrite': expected true "
						"or false.");
			goto done;
		}
	}
	path = emu_xmemdup0(f.path, f.path_len);
	put_write(req, resp, path, overwrite, f.contents, f.contents_len);
done:
	free(path);
	free(boundary);
}

static void dbfs_put(struct emu_request *req, struct emu_response *resp)
{
	const char *given = NULL, *contents = NULL;
	unsigned char *data = NULL;
	bool overwrite = false;
	size_t len = 0;

	/* The router leaves a form post unparsed (EMU_ROUTE_MULTIPART). */
	if (req->json == NULL) {
		put_multipart(req, resp);
		return;
	}
	if (emu_arg_string(&given, req, resp, "path", EMU_ARG_REQUIRED) < 0 ||
	    emu_arg_string(&contents, req, resp, "contents", EMU_ARG_OPTIONAL) <
		    0 ||
	    emu_arg_bool(&overwrite, NULL, req, resp, "overwrite",
			 EMU_ARG_OPTIONAL) < 0)
		goto done;
	if (contents &&
	    emu_dbfs_decode(&data, &len, resp, "contents", contents) < 0)
		goto done;
	if (len > EMU_DBFS_MAX_BLOCK) {
		emu_error(resp, 400, "MAX_BLOCK_SIZE_EXCEEDED",
			  "The 'contents' data cannot exceed %d bytes. "
			  "Found: %zu bytes. You might want to use streaming "
			  "upload instead.",
			  EMU_DBFS_MAX_BLOCK, len);
		goto done;
	}
	put_write(req, resp, given, overwrite, data, len);
done:
	free(data);
}

/* Forgets the handles idle for longer than the service keeps them. */
static void handles_expire(struct dbfs_state *st, int64_t now)
{
	size_t i = 0;

	while (i < st->nhandles) {
		struct dbfs_handle *h = &st->handles[i];

		if (now - h->last_used <= DBFS_HANDLE_IDLE_MS) {
			i++;
			continue;
		}
		st->bytes -= h->bytes.len;
		bytes_dispose(&h->bytes);
		free(h->path);
		*h = st->handles[--st->nhandles];
	}
}

/* The open handle of the request's "handle" argument, or NULL answered. */
static struct dbfs_handle *arg_handle(struct emu_request *req,
				      struct emu_response *resp)
{
	struct dbfs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws), id = 0;
	size_t i;

	if (emu_arg_int64(&id, NULL, req, resp, "handle", EMU_ARG_REQUIRED) < 0)
		return NULL;
	handles_expire(st, now);
	for (i = 0; i < st->nhandles; i++) {
		if (st->handles[i].id == id) {
			st->handles[i].last_used = now;
			return &st->handles[i];
		}
	}
	emu_error_not_found(resp, "The handle %" PRId64 " does not exist.", id);
	return NULL;
}

static void dbfs_create(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	struct dbfs_bytes empty = {0};
	struct dbfs_handle *h;
	struct dbfs_node *n;
	const char *given = NULL;
	char *path = NULL;
	bool overwrite = false;
	cJSON *body;

	if (arg_path(&path, &given, req, resp, "path") < 0 ||
	    emu_arg_bool(&overwrite, NULL, req, resp, "overwrite",
			 EMU_ARG_OPTIONAL) < 0)
		goto done;
	handles_expire(st, now);
	if (st->nhandles >= DBFS_MAX_HANDLES) {
		emu_error(resp, 400, "QUOTA_EXCEEDED",
			  "At most %d DBFS streams may be open at once.",
			  DBFS_MAX_HANDLES);
		goto done;
	}
	if (prepare_write(&n, st, path, given, overwrite, now, resp) < 0)
		goto done;
	/* The file exists, empty, while the stream is open. */
	write_file(st, n, path, &empty, now);
	if (st->nhandles == st->caphandles) {
		st->caphandles = st->caphandles ? st->caphandles * 2 : 8;
		st->handles = emu_xrealloc(
			st->handles, st->caphandles * sizeof(*st->handles));
	}
	h = &st->handles[st->nhandles++];
	memset(h, 0, sizeof(*h));
	h->id = st->next_handle++;
	h->path = path;
	path = NULL;
	h->last_used = now;
	body = cJSON_CreateObject();
	emu_json_add_int64(body, "handle", h->id);
	emu_response_json(resp, 200, body);
done:
	free(path);
}

static void dbfs_add_block(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_state *st = req->state;
	struct dbfs_handle *h = arg_handle(req, resp);
	const char *text = NULL;
	unsigned char *data = NULL;
	size_t len = 0;

	if (h == NULL ||
	    emu_arg_string(&text, req, resp, "data", EMU_ARG_REQUIRED) < 0 ||
	    emu_dbfs_decode(&data, &len, resp, "data", text) < 0)
		goto done;
	if (len > EMU_DBFS_MAX_BLOCK) {
		emu_error(resp, 400, "MAX_BLOCK_SIZE_EXCEEDED",
			  "The block of data cannot exceed %d bytes. Found: "
			  "%zu bytes.",
			  EMU_DBFS_MAX_BLOCK, len);
		goto done;
	}
	if (check_quota(st, len, resp) < 0)
		goto done;
	bytes_append(&h->bytes, data, len);
	st->bytes += len;
done:
	free(data);
}

static void dbfs_close(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	struct dbfs_handle *h = arg_handle(req, resp), closed;
	struct dbfs_node *n;

	if (h == NULL)
		return;
	closed = *h;
	*h = st->handles[--st->nhandles];
	/* The stream's bytes move into the file; they stay counted. */
	st->bytes -= closed.bytes.len;
	n = node_find(st, closed.path);
	if (n && n->is_dir) {
		/* A directory took the path while the stream was open. */
		err_exists(resp, closed.path);
	} else if (n != NULL ||
		   make_parents(st, closed.path, closed.path, now, resp) == 0) {
		/* A file deleted while its stream was open comes back, as
		 * closing a Hadoop output stream writes it. */
		st->bytes += closed.bytes.len;
		write_file(st, node_find(st, closed.path), closed.path,
			   &closed.bytes, now);
	}
	bytes_dispose(&closed.bytes);
	free(closed.path);
}

/* --- reading ------------------------------------------------------------ */

/* The node at the request's path (NULL with *root for "/"), or -1. */
static int arg_existing(struct dbfs_node **out, bool *root,
			struct emu_request *req, struct emu_response *resp,
			const char **given)
{
	struct dbfs_state *st = req->state;
	char *path = NULL;
	int rc = 0;

	*out = NULL;
	*root = false;
	if (arg_path(&path, given, req, resp, "path") < 0)
		return -1;
	if (is_root(path))
		*root = true;
	else if ((*out = node_find(st, path)) == NULL)
		rc = err_missing(resp, *given);
	free(path);
	return rc;
}

static void dbfs_read(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_node *n;
	const char *given = NULL;
	int64_t offset = 0, length = 0;
	size_t start, count = 0;
	bool root;
	char *data;
	cJSON *body;

	if (arg_existing(&n, &root, req, resp, &given) < 0 ||
	    emu_arg_int64(&offset, NULL, req, resp, "offset",
			  EMU_ARG_OPTIONAL) < 0 ||
	    emu_arg_int64(&length, NULL, req, resp, "length",
			  EMU_ARG_OPTIONAL) < 0)
		return;
	if (root || n->is_dir) {
		emu_error_invalid(resp, "Cannot read a directory: %s", given);
		return;
	}
	if (offset < 0 || length < 0) {
		emu_error_invalid(resp,
				  "offset and length must not be negative "
				  "(offset %" PRId64 ", length %" PRId64 ").",
				  offset, length);
		return;
	}
	if (length > EMU_DBFS_MAX_BLOCK) {
		emu_error(resp, 400, "MAX_READ_SIZE_EXCEEDED",
			  "Cannot read more than %d bytes at once; requested "
			  "%" PRId64 ".",
			  EMU_DBFS_MAX_BLOCK, length);
		return;
	}
	if (length == 0)
		length = DBFS_READ_DEFAULT;
	/* Past the end reads nothing; across it reads up to the end. */
	if ((uint64_t)offset < n->bytes.len) {
		start = (size_t)offset;
		count = n->bytes.len - start;
		if (count > (size_t)length)
			count = (size_t)length;
	} else {
		start = 0;
	}
	data = emu_base64_encode(count ? n->bytes.data + start : NULL, count);
	body = cJSON_CreateObject();
	emu_json_add_int64(body, "bytes_read", (int64_t)count);
	cJSON_AddStringToObject(body, "data", data);
	free(data);
	emu_response_json(resp, 200, body);
}

static void dbfs_get_status(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_node *n;
	const char *given = NULL;
	bool root;

	if (arg_existing(&n, &root, req, resp, &given) < 0)
		return;
	emu_response_json(resp, 200, file_info(n));
}

static int cmp_info_path(const void *a, const void *b)
{
	const struct dbfs_node *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

static void dbfs_list(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_state *st = req->state;
	struct dbfs_node *n, **kids = NULL;
	const char *given = NULL, *dir;
	size_t i, nkids = 0;
	cJSON *body, *files;
	bool root;

	if (arg_existing(&n, &root, req, resp, &given) < 0)
		return;
	body = cJSON_CreateObject();
	if (n && !n->is_dir) {
		/* A file lists itself. */
		files = cJSON_AddArrayToObject(body, "files");
		cJSON_AddItemToArray(files, file_info(n));
		emu_response_json(resp, 200, body);
		return;
	}
	dir = root ? "/" : n->path;
	kids = emu_xcalloc(st->nnodes ? st->nnodes : 1, sizeof(*kids));
	for (i = 0; i < st->nnodes; i++) {
		if (is_child(st->nodes[i].path, dir))
			kids[nkids++] = &st->nodes[i];
	}
	qsort(kids, nkids, sizeof(*kids), cmp_info_path);
	/* An empty directory answers {}: the service leaves the empty
	 * array out, as its other lists do. */
	if (nkids) {
		files = cJSON_AddArrayToObject(body, "files");
		for (i = 0; i < nkids; i++)
			cJSON_AddItemToArray(files, file_info(kids[i]));
	}
	free(kids);
	emu_response_json(resp, 200, body);
}

/* --- directories, move, delete ------------------------------------------ */

static void dbfs_mkdirs(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	struct dbfs_node *n;
	const char *given = NULL;
	char *path = NULL;

	if (arg_path(&path, &given, req, resp, "path") < 0 || is_root(path))
		goto done;
	n = node_find(st, path);
	if (n && !n->is_dir) {
		err_exists(resp, given);
		goto done;
	}
	if (n == NULL && make_parents(st, path, given, now, resp) == 0)
		node_add(st, path, true, now);
done:
	free(path);
}

/* Renames path from the prefix from to the prefix to (malloc'd). */
static char *rebase(const char *path, const char *from, const char *to)
{
	return emu_printf("%s%s", to, path + strlen(from));
}

static void dbfs_move(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_state *st = req->state;
	int64_t now = emu_workspace_now_ms(req->ws);
	const char *src_given = NULL, *dst_given = NULL;
	char *src = NULL, *dst = NULL;
	struct dbfs_node *n;
	size_t i;

	if (arg_path(&src, &src_given, req, resp, "source_path") < 0 ||
	    arg_path(&dst, &dst_given, req, resp, "destination_path") < 0)
		goto done;
	if (is_root(src)) {
		emu_error_invalid(resp, "Cannot move the root directory.");
		goto done;
	}
	if (node_find(st, src) == NULL) {
		err_missing(resp, src_given);
		goto done;
	}
	if (is_root(dst) || node_find(st, dst) != NULL) {
		err_exists(resp, dst_given);
		goto done;
	}
	if (is_under(dst, src)) {
		emu_error_invalid(resp,
				  "Cannot move %s into itself (destination "
				  "%s).",
				  src_given, dst_given);
		goto done;
	}
	if (make_parents(st, dst, dst_given, now, resp) < 0)
		goto done;
	/* A directory moves with everything below it, and open streams
	 * follow their files. */
	for (i = 0; i < st->nnodes; i++) {
		n = &st->nodes[i];
		if (strcmp(n->path, src) == 0 || is_under(n->path, src)) {
			char *moved = rebase(n->path, src, dst);

			free(n->path);
			n->path = moved;
		}
	}
	for (i = 0; i < st->nhandles; i++) {
		struct dbfs_handle *h = &st->handles[i];

		if (strcmp(h->path, src) == 0 || is_under(h->path, src)) {
			char *moved = rebase(h->path, src, dst);

			free(h->path);
			h->path = moved;
		}
	}
done:
	free(src);
	free(dst);
}

static void dbfs_delete(struct emu_request *req, struct emu_response *resp)
{
	struct dbfs_state *st = req->state;
	const char *given = NULL;
	struct dbfs_node *n;
	bool recursive = false;
	char *path = NULL;
	size_t i;

	if (arg_path(&path, &given, req, resp, "path") < 0 ||
	    emu_arg_bool(&recursive, NULL, req, resp, "recursive",
			 EMU_ARG_OPTIONAL) < 0)
		goto done;
	n = is_root(path) ? NULL : node_find(st, path);
	/* Deleting what is not there succeeds, as on the service. */
	if (n == NULL && !is_root(path))
		goto done;
	if ((is_root(path) || n->is_dir) && !recursive &&
	    dir_has_children(st, path)) {
		emu_error(resp, 400, "IO_ERROR",
			  "Path is a folder: %s and it is not an empty "
			  "directory",
			  given);
		goto done;
	}
	i = 0;
	while (i < st->nnodes) {
		if (strcmp(st->nodes[i].path, path) == 0 ||
		    is_under(st->nodes[i].path, path))
			node_remove(st, &st->nodes[i]);
		else
			i++;
	}
done:
	free(path);
}

/* --- module state and --state --------------------------------------------- */

static void *dbfs_state_new(void)
{
	struct dbfs_state *st = emu_xcalloc(1, sizeof(*st));

	st->next_handle = DBFS_FIRST_HANDLE;
	return st;
}

static void dbfs_state_free(void *state)
{
	struct dbfs_state *st = state;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nnodes; i++) {
		bytes_dispose(&st->nodes[i].bytes);
		free(st->nodes[i].path);
	}
	for (i = 0; i < st->nhandles; i++) {
		bytes_dispose(&st->handles[i].bytes);
		free(st->handles[i].path);
	}
	free(st->nodes);
	free(st->handles);
	free(st);
}

/* {"next_handle": N, "files": [{path, is_dir, modification_time,
 * contents?}]}: open streams are not saved (the service forgets them
 * too). */
static cJSON *dbfs_state_save(const void *state)
{
	const struct dbfs_state *st = state;
	cJSON *out = cJSON_CreateObject(), *files;
	size_t i;

	emu_json_add_int64(out, "next_handle", st->next_handle);
	files = cJSON_AddArrayToObject(out, "files");
	for (i = 0; i < st->nnodes; i++) {
		const struct dbfs_node *n = &st->nodes[i];
		cJSON *f = cJSON_CreateObject();

		cJSON_AddStringToObject(f, "path", n->path);
		cJSON_AddBoolToObject(f, "is_dir", n->is_dir);
		emu_json_add_int64(f, "modification_time", n->mtime);
		if (!n->is_dir) {
			char *b64 =
				emu_base64_encode(n->bytes.data, n->bytes.len);

			cJSON_AddStringToObject(f, "contents", b64);
			free(b64);
		}
		cJSON_AddItemToArray(files, f);
	}
	return out;
}

/* Adds one saved entry; -1 with the reason in err. */
static int load_entry(struct dbfs_state *st, const cJSON *f, char *err,
		      size_t errlen)
{
	const char *path = emu_json_str(f, "path");
	const char *contents = emu_json_str(f, "contents");
	const cJSON *is_dir = cJSON_GetObjectItemCaseSensitive(f, "is_dir");
	int64_t mtime = 0;
	char *norm = path ? path_normalise(path) : NULL;
	struct dbfs_node *n;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = -1;

	if (!norm || strcmp(norm, path) != 0 || is_root(norm) ||
	    !cJSON_IsBool(is_dir) ||
	    emu_json_member_int(&mtime, f, "modification_time") < 0) {
		snprintf(err, errlen,
			 "dbfs: an entry needs a normalised absolute path, "
			 "is_dir and modification_time");
		goto done;
	}
	if (node_find(st, norm) || st->nnodes >= DBFS_MAX_NODES) {
		snprintf(err, errlen, "dbfs: duplicate path or too many");
		goto done;
	}
	if (!cJSON_IsTrue(is_dir) && contents &&
	    emu_base64_decode(&data, &len, contents, strlen(contents)) < 0) {
		snprintf(err, errlen, "dbfs: contents of %s are not base64",
			 norm);
		goto done;
	}
	if (len > EMU_DBFS_MAX_BYTES - st->bytes) {
		snprintf(err, errlen, "dbfs: more than %zu bytes",
			 EMU_DBFS_MAX_BYTES);
		goto done;
	}
	n = node_add(st, norm, cJSON_IsTrue(is_dir), mtime);
	if (len) {
		/* Take the decoded buffer as it is: no second copy. */
		n->bytes.data = data;
		n->bytes.len = n->bytes.cap = len;
		data = NULL;
		st->bytes += len;
	}
	rc = 0;
done:
	free(data);
	free(norm);
	return rc;
}

static int dbfs_state_load(void *state, const cJSON *json, char *err,
			   size_t errlen)
{
	struct dbfs_state *st = state;
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(json, "files");
	const cJSON *f;
	int64_t next = DBFS_FIRST_HANDLE;

	if (!cJSON_IsObject(json) || (files && !cJSON_IsArray(files))) {
		snprintf(err, errlen, "dbfs: expected {\"files\": [...]}");
		return -1;
	}
	/* Handles count up from next_handle: keep them far below 2^53. */
	if (emu_json_member(json, "next_handle") &&
	    (emu_json_member_int(&next, json, "next_handle") < 0 || next < 1 ||
	     next > EMU_JSON_MAX_INT / 2)) {
		snprintf(err, errlen,
			 "dbfs: next_handle is not an integer from 1 to "
			 "2^52");
		return -1;
	}
	st->next_handle = next;
	cJSON_ArrayForEach(f, files)
	{
		if (load_entry(st, f, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* clang-format off */
static const struct emu_route dbfs_routes[] = {
	{.method = "POST", .pattern = "/api/2.0/dbfs/put", .handler = dbfs_put,
	 .flags = EMU_ROUTE_MULTIPART},
	{.method = "POST", .pattern = "/api/2.0/dbfs/create",
	 .handler = dbfs_create},
	{.method = "POST", .pattern = "/api/2.0/dbfs/add-block",
	 .handler = dbfs_add_block},
	{.method = "POST", .pattern = "/api/2.0/dbfs/close",
	 .handler = dbfs_close},
	{.method = "GET", .pattern = "/api/2.0/dbfs/read", .handler = dbfs_read},
	{.method = "GET", .pattern = "/api/2.0/dbfs/get-status",
	 .handler = dbfs_get_status},
	{.method = "GET", .pattern = "/api/2.0/dbfs/list", .handler = dbfs_list},
	{.method = "POST", .pattern = "/api/2.0/dbfs/mkdirs",
	 .handler = dbfs_mkdirs},
	{.method = "POST", .pattern = "/api/2.0/dbfs/move",
	 .handler = dbfs_move},
	{.method = "POST", .pattern = "/api/2.0/dbfs/delete",
	 .handler = dbfs_delete},
	EMU_ROUTE_END,
};
/* clang-format on */

const struct emu_module emu_module_dbfs = {
	.name = "dbfs",
	.routes = dbfs_routes,
	.state_new = dbfs_state_new,
	.state_free = dbfs_state_free,
	.state_save = dbfs_state_save,
	.state_load = dbfs_state_load,
};
