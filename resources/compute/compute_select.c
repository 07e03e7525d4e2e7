/*
 * Selection of a runtime version and of a node type from the workspace's
 * catalogues (compute_select.h). Pure: cJSON in, a borrowed string or a
 * diagnostic out.
 *
 * The catalogues come from the network, so every field is checked before
 * use: entries that are not objects or have no string key/id are left
 * out, a missing or non-numeric number counts as 0, a missing boolean as
 * false, and numbers are clamped before they become integers.
 *
 * The order of node types is the official SDK's (ext_node_type.go), with
 * the node type id added as a last key: its sort is not stable, so ties
 * there came out in no particular order. Runtime versions with the same
 * major.minor are likewise put in key order ("-scala2.12" before
 * "-scala2.13") instead of the SDK's unstable order.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "arena.h"
#include "compute_internal.h"
#include "diag.h"

/* How many matching keys an error lists before "and N more". */
#define SELECT_LIST_MAX 10

/* --- helpers -------------------------------------------------------------- */

static const char *sel_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool sel_bool(const cJSON *obj, const char *name)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

/*
 * A non-negative whole number from a JSON number: truncated like the SDK's
 * int conversions, negative and absent values as 0, and clamped so that
 * sums and products of a few of them cannot overflow.
 */
static int64_t sel_whole(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 1))
		return 0;
	if (v->valuedouble > 1e12)
		return (int64_t)1e12;
	return (int64_t)v->valuedouble;
}

static bool sel_contains(const char *s, const char *needle)
{
	return s != NULL && strstr(s, needle) != NULL;
}

static const char *sel_bool_text(bool b)
{
	return b ? "true" : "false";
}

/* --- runtime versions ----------------------------------------------------- */

struct sv_match {
	const char *key;
	bool valid; /* the key starts with "<major>[.<minor>].x-" */
	int64_t major, minor;
};

/*
 * Digits at *s into *out (at most 9, so no overflow); advances *s. False
 * when there is no digit.
 */
static bool sv_digits(int64_t *out, const char **s)
{
	int64_t v = 0;
	int n = 0;

	while (**s >= '0' && **s <= '9') {
		if (n++ == 9)
			return false;
		v = v * 10 + (**s - '0');
		(*s)++;
	}
	*out = v;
	return n > 0;
}

/* The runtime version of a key such as "15.4.x-scala2.12" (15, 4). */
static void sv_parse(struct sv_match *m)
{
	const char *s = m->key;

	m->valid = false;
	m->major = m->minor = 0;
	if (!sv_digits(&m->major, &s))
		return;
	if (s[0] == '.' && s[1] >= '0' && s[1] <= '9') {
		s++;
		if (!sv_digits(&m->minor, &s))
			return;
	}
	m->valid = strncmp(s, ".x-", 3) == 0;
}

/* Newest first; keys that carry no version after all the others. */
static int sv_cmp(const void *x, const void *y)
{
	const struct sv_match *a = x, *b = y;

	if (a->valid != b->valid)
		return a->valid ? -1 : 1;
	if (a->major != b->major)
		return a->major > b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor > b->minor ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* key without any "-scala2.12" or "-scala2.13". */
static char *sv_strip_scala(struct tfp_arena *a, const char *key)
{
	char *out = tfp_arena_strdup(a, key);
	char *p;

	for (p = strstr(out, "-scala2.1"); p != NULL;
	     p = strstr(p, "-scala2.1")) {
		if (p[9] == '2' || p[9] == '3')
			memmove(p, p + 10, strlen(p + 10) + 1);
		else
			p++;
	}
	return out;
}

/*
 * Does a version match? scala is "-scala<req->scala>", spark "Apache Spark
 * <req->spark_version>" or NULL.
 */
static bool sv_matches(const struct tfp_spark_version_req *req,
		       const char *scala, const char *spark, const char *key,
		       const char *name)
{
	if (!sel_contains(key, scala) || sel_contains(key, "apache-spark-"))
		return false;
	if (sel_contains(key, "-ml-") != req->ml ||
	    sel_contains(key, "-hls-") != req->genomics ||
	    sel_contains(key, "-gpu-") != req->gpu ||
	    sel_contains(key, "-photon-") != req->photon ||
	    sel_contains(key, "-aarch64-") != req->graviton ||
	    sel_contains(name, "Beta") != req->beta)
		return false;
	if (req->long_term_support && !sel_contains(name, "LTS") &&
	    !sel_contains(key, "-esr-"))
		return false;
	return spark == NULL || sel_contains(name, spark);
}

static const char *sv_filters(struct tfp_arena *a,
			      const struct tfp_spark_version_req *req)
{
	return tfp_arena_printf(
		a,
		"scala = \"%s\", spark_version = \"%s\", latest = %s, "
		"long_term_support = %s, ml = %s, genomics = %s, gpu = %s, "
		"beta = %s, photon = %s, graviton = %s",
		req->scala, req->spark_version ? req->spark_version : "",
		sel_bool_text(req->latest),
		sel_bool_text(req->long_term_support), sel_bool_text(req->ml),
		sel_bool_text(req->genomics), sel_bool_text(req->gpu),
		sel_bool_text(req->beta), sel_bool_text(req->photon),
		sel_bool_text(req->graviton));
}

/* "a, b, c and 4 more" from the first SELECT_LIST_MAX of n keys. */
static const char *sv_list(struct tfp_arena *a, const struct sv_match *m,
			   size_t n)
{
	const char *s = "";
	size_t i;

	for (i = 0; i < n && i < SELECT_LIST_MAX; i++)
		s = tfp_arena_printf(a, "%s%s%s", s, i ? ", " : "", m[i].key);
	if (n > SELECT_LIST_MAX)
		s = tfp_arena_printf(a, "%s and %zu more", s,
				     n - SELECT_LIST_MAX);
	return s;
}

int tfp_compute__select_spark_version(const char **out, struct tfp_diags *d,
				      struct tfp_arena *a,
				      const struct cJSON *reply,
				      const struct tfp_spark_version_req *req)
{
	const cJSON *versions =
		cJSON_GetObjectItemCaseSensitive(reply, "versions");
	const cJSON *list = cJSON_IsArray(versions) ? versions : NULL;
	const char *scala = tfp_arena_printf(a, "-scala%s", req->scala);
	const char *spark = NULL;
	const cJSON *v;
	struct sv_match *m;
	size_t n = 0, total = 0;

	if (req->spark_version != NULL && req->spark_version[0] != '\0')
		spark = tfp_arena_printf(a, "Apache Spark %s",
					 req->spark_version);

	m = tfp_arena_alloc(a, ((size_t)cJSON_GetArraySize(list) + 1) *
				       sizeof(*m));
	cJSON_ArrayForEach(v, list)
	{
		const char *key = sel_string(v, "key");

		if (key == NULL)
			continue;
		total++;
		if (!sv_matches(req, scala, spark, key, sel_string(v, "name")))
			continue;
		m[n].key = key;
		sv_parse(&m[n]);
		n++;
	}
	if (n == 0)
		return tfp_diag_error(
			d, "No Databricks Runtime version matches",
			"None of the %zu runtime versions the workspace offers "
			"matches %s. Change the arguments (`databricks "
			"clusters spark-versions` lists the versions).",
			total, sv_filters(a, req));
	qsort(m, n, sizeof(*m), sv_cmp);
	/* One runtime built for both Scala versions: the SDK takes 2.12. */
	if (n == 2 && strcmp(sv_strip_scala(a, m[0].key),
			     sv_strip_scala(a, m[1].key)) == 0) {
		*out = strcmp(m[0].key, m[1].key) < 0 ? m[0].key : m[1].key;
		return TFP_OK;
	}
	if (n > 1 && !req->latest)
		return tfp_diag_error(
			d, "Several Databricks Runtime versions match",
			"%zu of the %zu runtime versions the workspace offers "
			"match %s: %s. Set latest = true to take the newest, "
			"or narrow the arguments.",
			n, total, sv_filters(a, req), sv_list(a, m, n));
	*out = m[0].key;
	return TFP_OK;
}

/* --- node types ----------------------------------------------------------- */

struct nt_entry {
	const char *id, *instance_type_id, *category;
	bool deprecated, graviton, io_cache, port_forwarding;
	bool photon_driver, photon_worker;
	bool has_instance; /* node_instance_type is present */
	int64_t cores, memory_mb, gpus;
	int64_t disks, disk_gb, nvme_disks, nvme_gb;
};

static int nt_cmp(const void *x, const void *y)
{
	const struct nt_entry *a = x, *b = y;
	const int64_t ka[] = {a->cores,	     a->memory_mb, a->disks, a->disk_gb,
			      a->nvme_disks, a->nvme_gb,   a->gpus};
	const int64_t kb[] = {b->cores,	     b->memory_mb, b->disks, b->disk_gb,
			      b->nvme_disks, b->nvme_gb,   b->gpus};
	size_t i;
	int c;

	if (a->deprecated != b->deprecated)
		return a->deprecated ? 1 : -1;
	for (i = 0; i < TFP_ARRAY_SIZE(ka); i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	c = strcmp(a->instance_type_id, b->instance_type_id);
	return c != 0 ? c : strcmp(a->id, b->id);
}

/* Hidden, or not offered in this region or subscription. */
static bool nt_unavailable(const cJSON *nt)
{
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(nt, "node_info");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(info, "status");
	const cJSON *list = cJSON_IsArray(status) ? status : NULL;
	const cJSON *s;

	if (sel_bool(nt, "is_hidden"))
		return true;
	cJSON_ArrayForEach(s, list)
	{
		if (cJSON_IsString(s) &&
		    (strcmp(s->valuestring, "NotAvailableInRegion") == 0 ||
		     strcmp(s->valuestring, "NotEnabledOnSubscription") == 0))
			return true;
	}
	return false;
}

static void nt_parse(struct nt_entry *e, const cJSON *nt)
{
	const cJSON *inst =
		cJSON_GetObjectItemCaseSensitive(nt, "node_instance_type");
	const char *itype = sel_string(nt, "instance_type_id");

	e->instance_type_id = itype ? itype : "";
	e->category = sel_string(nt, "category");
	e->deprecated = sel_bool(nt, "is_deprecated");
	e->graviton = sel_bool(nt, "is_graviton");
	e->io_cache = sel_bool(nt, "is_io_cache_enabled");
	e->port_forwarding = sel_bool(nt, "support_port_forwarding");
	e->photon_driver = sel_bool(nt, "photon_driver_capable");
	e->photon_worker = sel_bool(nt, "photon_worker_capable");
	e->cores = sel_whole(nt, "num_cores");
	e->memory_mb = sel_whole(nt, "memory_mb");
	e->gpus = sel_whole(nt, "num_gpus");
	e->has_instance = cJSON_IsObject(inst);
	e->disks = sel_whole(inst, "local_disks");
	e->disk_gb = sel_whole(inst, "local_disk_size_gb");
	e->nvme_disks = sel_whole(inst, "local_nvme_disks");
	e->nvme_gb = sel_whole(inst, "local_nvme_disk_size_gb");
}

static bool nt_admits(const struct tfp_node_type_req *r,
		      const struct nt_entry *e)
{
	int64_t gb = e->memory_mb / 1024;

	if (r->fleet != sel_contains(e->id, "-fleet."))
		return false;
	if (r->min_memory_gb > 0 && gb < r->min_memory_gb)
		return false;
	/* The SDK divides by the core count; a node without cores fails. */
	if (r->gb_per_core > 0 &&
	    (e->cores < 1 || gb / e->cores < r->gb_per_core))
		return false;
	if (r->min_cores > 0 && e->cores < r->min_cores)
		return false;
	if (r->min_gpus > 0 ? e->gpus < r->min_gpus : e->gpus > 0)
		return false;
	/* As in the SDK, a node that does not describe its instance passes
	 * the disk filters. */
	if ((r->local_disk || r->local_disk_min_size > 0) && e->has_instance &&
	    e->disks < 1 && e->nvme_disks < 1)
		return false;
	if (r->local_disk_min_size > 0 && e->has_instance &&
	    e->disk_gb + e->nvme_gb < r->local_disk_min_size)
		return false;
	if (r->category != NULL && r->category[0] != '\0' &&
	    (e->category == NULL || strcasecmp(e->category, r->category) != 0))
		return false;
	if ((r->is_io_cache_enabled && !e->io_cache) ||
	    (r->support_port_forwarding && !e->port_forwarding) ||
	    (r->photon_driver_capable && !e->photon_driver) ||
	    (r->photon_worker_capable && !e->photon_worker))
		return false;
	return e->graviton == r->graviton;
}

/* s with ", name = v" added when v is set. */
static const char *nt_add_int(struct tfp_arena *a, const char *s,
			      const char *name, int64_t v)
{
	if (v <= 0)
		return s;
	return tfp_arena_printf(a, "%s, %s = %lld", s, name, (long long)v);
}

static const char *nt_add_bool(struct tfp_arena *a, const char *s,
			       const char *name, bool v)
{
	return v ? tfp_arena_printf(a, "%s, %s = true", s, name) : s;
}

/* The arguments in force, for an error message. */
static const char *nt_filters(struct tfp_arena *a,
			      const struct tfp_node_type_req *r)
{
	const char *s = "";

	s = nt_add_int(a, s, "min_memory_gb", r->min_memory_gb);
	s = nt_add_int(a, s, "gb_per_core", r->gb_per_core);
	s = nt_add_int(a, s, "min_cores", r->min_cores);
	s = nt_add_int(a, s, "min_gpus", r->min_gpus);
	s = nt_add_bool(a, s, "local_disk", r->local_disk);
	s = nt_add_int(a, s, "local_disk_min_size", r->local_disk_min_size);
	if (r->category != NULL && r->category[0] != '\0')
		s = tfp_arena_printf(a, "%s, category = \"%s\"", s,
				     r->category);
	s = nt_add_bool(a, s, "photon_driver_capable",
			r->photon_driver_capable);
	s = nt_add_bool(a, s, "photon_worker_capable",
			r->photon_worker_capable);
	s = nt_add_bool(a, s, "arm", r->graviton);
	s = nt_add_bool(a, s, "fleet", r->fleet);
	s = nt_add_bool(a, s, "is_io_cache_enabled", r->is_io_cache_enabled);
	s = nt_add_bool(a, s, "support_port_forwarding",
			r->support_port_forwarding);
	return s[0] != '\0' ? s + 2 : "no arguments";
}

int tfp_compute__select_node_type(const char **out, struct tfp_diags *d,
				  struct tfp_arena *a,
				  const struct cJSON *reply,
				  const struct tfp_node_type_req *req)
{
	const cJSON *types =
		cJSON_GetObjectItemCaseSensitive(reply, "node_types");
	const cJSON *list = cJSON_IsArray(types) ? types : NULL;
	const cJSON *nt;
	struct nt_entry *e;
	size_t n = 0, total = 0, i;

	e = tfp_arena_alloc(a, ((size_t)cJSON_GetArraySize(list) + 1) *
				       sizeof(*e));
	cJSON_ArrayForEach(nt, list)
	{
		const char *id = sel_string(nt, "node_type_id");

		if (id == NULL)
			continue;
		total++;
		if (nt_unavailable(nt))
			continue;
		e[n].id = id;
		nt_parse(&e[n], nt);
		n++;
	}
	if (total == 0)
		return tfp_diag_error(d, "No node types",
				      "The workspace lists no node types "
				      "(clusters/list-node-types is empty).");
	qsort(e, n, sizeof(*e), nt_cmp);
	for (i = 0; i < n; i++) {
		if (nt_admits(req, &e[i])) {
			*out = e[i].id;
			return TFP_OK;
		}
	}
	return tfp_diag_error(
		d, "No node type matches",
		"None of the %zu node types the workspace offers (%zu after "
		"leaving out hidden and unavailable ones) matches %s. Node "
		"types with GPUs count only when min_gpus is set, Graviton "
		"(arm) ones only with arm, fleet ones only with fleet. Relax "
		"the arguments. (The official provider would silently "
		"return a default node type here.)",
		total, n, nt_filters(a, req));
}
