/*
 * What the exporter's files share: the run (struct exp), the objects found,
 * and the services' listings (services.c) that feed exporter.c's driver.
 *
 * Layer: the exporter sits beside the provider's composition root. It uses
 * the framework (values, lifecycle, the HCL writer), the REST client and
 * the Databricks definition, never gRPC, protobuf or msgpack.
 */
#ifndef TFP_EXPORTER_INTERNAL_H
#define TFP_EXPORTER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "call.h"
#include "diag.h"
#include "lifecycle.h"
#include "provider.h"

struct cJSON;

/** One exported object. */
struct exp_obj {
	const char *service; /* "jobs": its file is jobs.tf */
	const struct tfp_rt_resource *rt;
	const char *import_id;
	const char *hint; /* the object's own name, for the resource name */
	const char *name; /* the resource name, unique per type */
	struct tfp_value *state;
	const char *var; /* a variable for what cannot be read back, or NULL */
	const char *var_attr; /* the attribute the variable stands for */
	const char *var_desc;
	/* The downloaded content, relative to -directory, or NULL. */
	const char *source;
};

struct exp {
	struct tfp_provider *p;
	struct tfp_arena *a;
	/* options */
	const char *directory, *services, *listing, *match, *prefix;
	const char *updated_since;
	long long updated_since_ms; /* 0: none */
	bool incremental, noformat, debug, progress;
	bool tree_walked; /* the workspace tree is listed once */
	int walk_depth;	  /* folders being listed, one inside the other */
	/* results */
	struct exp_obj *objs;
	size_t n_objs, cap_objs;
	const char **skipped; /* README lines */
	size_t n_skipped, cap_skipped;
	unsigned long found, read, written;
	const struct exp_obj *current; /* the object being written */
};

/** A service: its name (-services, -listing) and its listing. */
struct exp_service {
	const char *name;
	/* Lists the service's objects through call, calling exp_found for
	 * each; a negative return is an API error (call->last_error). */
	int (*list)(struct exp *e, struct tfp_call *call);
	const char *desc;
};

extern const struct exp_service exp_services[]; /* ends with .name NULL */

/** True when -match lets an object named name be listed. */
bool exp_matches(const struct exp *e, const char *name);
/**
 * An object found by a listing: imports and reads it with its resource's
 * own handlers and keeps it (or records a skip). hint names it.
 */
void exp_found(struct exp *e, const char *service, const char *type,
	       const char *import_id, const char *hint);
/** exp_found for an object that may be absent (no direct permissions):
 * absent, it is left out without a skip line. */
void exp_found_quiet(struct exp *e, const char *service, const char *type,
		     const char *import_id, const char *hint);
/** A known string or number as text (numbers exactly), else NULL. */
const char *exp_value_text(struct exp *e, const struct tfp_value *v);
/** exp_found for an object whose content was saved at rel (`source`). */
void exp_found_source(struct exp *e, const char *service, const char *type,
		      const char *import_id, const char *hint,
		      const char *rel);
/** True when service is both in -services and in -listing. */
bool exp_service_on(const struct exp *e, const char *service);
/** Whether DIR/rel exists. */
bool exp_file_exists(struct exp *e, const char *rel);
/** Decodes base64 into DIR/rel (folders made as needed); negative on error. */
int exp_write_base64(struct exp *e, const char *rel, const char *b64);
/** Records a README line about something not exported. */
void exp_skip(struct exp *e, const char *fmt, ...) TFP_PRINTF(2, 3);

/* A workspace path as the service gives it becomes a file name under the
 * output directory: only an absolute path of non-empty segments, none of
 * them "." or "..", may, so a listing cannot write outside it. */
bool exp_safe_path(const char *path);
/** Prints the progress line (a terminal only). */
void exp_progress(struct exp *e);

/** A fresh call for type (op "read") with its own diagnostics, in the arena. */
struct tfp_call *exp_call(struct exp *e, const char *type);
/* A new, zeroed entry at the end of e->objs. */
struct exp_obj *exp_obj_add(struct exp *e);
/** A JSON number or string as decimal text in the arena, or NULL. */
const char *exp_json_id(struct exp *e, const struct cJSON *item,
			const char *field);

/* references.c: the expression hook and names */
const char *exp_sanitize(struct exp *e, const char *s);
void exp_assign_names(struct exp *e);
const char *exp_expr(void *ctx, const char *path, const struct tfp_value *v);
bool exp_keep(void *ctx, const char *path, const struct tfp_value *v);
/** The Databricks-specific tail lines of a resource block, or NULL. */
const char *const *exp_tail(struct exp *e, const struct exp_obj *o);

#endif
