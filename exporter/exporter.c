/*
 * The exporter's driver: flags, the provider's own configure, the
 * services' listings, each object's state through its resource's import
 * and read handlers (the same lifecycle Terraform drives), and the files.
 *
 * Flags, as the official exporter's where they exist:
 *   -directory DIR     where the files go (default: the current directory)
 *   -services LIST     services to export (comma list; default: all)
 *   -listing LIST      services to list (default: all)
 *   -match TEXT        only objects whose name contains TEXT (any case)
 *   -prefix TEXT       put before every resource name
 *   -skip-interactive  never ask for host and token
 *   -incremental       keep the resources of earlier runs this run did not
 *                      export, and rewrite only files that change; needs
 *   -updated-since T   (RFC 3339)
 *   -noformat          accepted: the output is already formatted
 *   -debug             debug logs on stderr
 *
 * Configuration: the provider's configure with an all-null provider block,
 * so DATABRICKS_HOST, DATABRICKS_TOKEN, DATABRICKS_CONFIG_PROFILE,
 * ~/.databrickscfg and every other auth method apply as they do for the
 * provider.
 *
 * Files: <service>.tf per service, import.tf (an import block per object
 * with its official import ID), vars.tf and terraform.tfvars.example for
 * values the workspace cannot return, provider.tf, README.md. Secrets
 * (tokens, secret values) are never written anywhere.
 */
#include "exporter.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "arena.h"
#include "auth.h"
#include "databricks.h"
#include "diag.h"
#include "exporter_internal.h"
#include "hcl.h"
#include "log.h"
#include "rest.h"
#include "value.h"
#include "workspace_internal.h"

/* --- objects -------------------------------------------------------------- */

static struct tfp_call *call_on(struct exp *e, struct tfp_arena *a,
				 const char *type)
{
	struct tfp_call *call = tfp_arena_alloc(a, sizeof(*call));
	struct tfp_diags *d = tfp_arena_alloc(a, sizeof(*d));

	tfp_diags_init(d, a);
	tfp_provider_call_init(call, e->p, a, d, type);
	call->op = "read";
	return call;
}

struct tfp_call *exp_call(struct exp *e, const char *type)
{
	return call_on(e, e->a, type);
}

const char *exp_json_id(struct exp *e, const cJSON *item, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, field);

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v))
		return tfp_arena_printf(e->a, "%.0f", v->valuedouble);
	return NULL;
}

bool exp_matches(const struct exp *e, const char *name)
{
	size_t n;

	if (e->match == NULL || e->match[0] == '\0')
		return true;
	n = strlen(e->match);
	for (const char *p = name; *p; p++)
		if (strncasecmp(p, e->match, n) == 0)
			return true;
	return false;
}

void exp_skip(struct exp *e, const char *fmt, ...)
{
	va_list ap;

	if (e->n_skipped == e->cap_skipped) {
		size_t cap = e->cap_skipped ? e->cap_skipped * 2 : 16;
		const char **n = tfp_arena_alloc(e->a, cap * sizeof(*n));

		if (e->n_skipped)
			memcpy(n, e->skipped, e->n_skipped * sizeof(*n));
		e->skipped = n;
		e->cap_skipped = cap;
	}
	va_start(ap, fmt);
	e->skipped[e->n_skipped++] = tfp_arena_vprintf(e->a, fmt, ap);
	va_end(ap);
}

void exp_progress(struct exp *e)
{
	struct tfp_call *call;

	if (!e->progress)
		return;
	call = exp_call(e, NULL);
	fprintf(stderr,
		"\rexporter: found %lu, read %lu, written %lu, throttled %lu ",
		e->found, e->read, e->written,
		call->client ? tfp_rest_throttled_count(tfp_rest_of(call)) : 0);
	fflush(stderr);
}

static void print_diags(const struct tfp_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "  %s: %s\n", d->items[i].summary,
			d->items[i].detail ? d->items[i].detail : "");
}

const char *exp_value_text(struct exp *e, const struct tfp_value *v)
{
	if (!tfp_value_is_known(v))
		return NULL;
	if (v->type->kind == TFP_KIND_STRING)
		return v->u.str;
	if (v->type->kind == TFP_KIND_NUMBER)
		return tfp_number_exact_text(e->a, &v->u.num);
	return NULL;
}

static void found(struct exp *e, const char *service, const char *type,
		  const char *import_id, const char *hint, bool quiet);

void exp_found(struct exp *e, const char *service, const char *type,
	       const char *import_id, const char *hint)
{
	found(e, service, type, import_id, hint, false);
}

void exp_found_quiet(struct exp *e, const char *service, const char *type,
		     const char *import_id, const char *hint)
{
	found(e, service, type, import_id, hint, true);
}

static void found_on(struct exp *e, struct tfp_arena *a, const char *service,
		     const char *type, const char *import_id, const char *hint,
		     bool quiet);

struct exp_obj *exp_obj_add(struct exp *e)
{
	struct exp_obj *o;

	if (e->n_objs == e->cap_objs) {
		size_t cap = e->cap_objs ? e->cap_objs * 2 : 64;
		struct exp_obj *n = tfp_arena_alloc(e->a, cap * sizeof(*n));

		if (e->n_objs)
			memcpy(n, e->objs, e->n_objs * sizeof(*n));
		e->objs = n;
		e->cap_objs = cap;
	}
	o = &e->objs[e->n_objs++];
	memset(o, 0, sizeof(*o));
	return o;
}

/*
 * Each object is imported and read on an arena of its own, freed once its
 * state is copied out: the replies, trees and scratch of a read are gone
 * before the next, so memory grows with the states kept, not with every
 * byte the workspace sent.
 */
static void found(struct exp *e, const char *service, const char *type,
		  const char *import_id, const char *hint, bool quiet)
{
	struct tfp_arena *a = tfp_arena_new();

	found_on(e, a, service, type, import_id, hint, quiet);
	tfp_arena_free(a);
}

static void found_on(struct exp *e, struct tfp_arena *a, const char *service,
		     const char *type, const char *import_id, const char *hint,
		     bool quiet)
{
	const struct tfp_rt_resource *rt = tfp_provider_find_resource(e->p, type);
	struct tfp_call *call = call_on(e, a, type);
	struct tfp_value *skeleton = NULL, *state = NULL;
	struct exp_obj *o;

	e->found++;
	exp_progress(e);
	if (rt == NULL) {
		exp_skip(e, "%s: %s %s: this provider has no such resource",
			 service, type, import_id);
		return;
	}
	call->data = rt->res->data;
	if (tfp_lifecycle_import(&skeleton, call, rt, import_id) < 0) {
		fprintf(stderr, "exporter: cannot import %s %s\n", type,
			import_id);
		print_diags(call->diags);
		exp_skip(e, "%s: %s \"%s\" could not be imported", service,
			 type, import_id);
		return;
	}
	/* What the import leaves for the read (a marker in the private
	 * state), as Terraform hands it over. */
	if (call->private_set) {
		call->private_in = call->private_out;
		call->private_set = false;
	}
	call->op = "read";
	if (tfp_lifecycle_read(&state, call, rt, skeleton) == TFP_OK &&
	    state == NULL) {
		/* Gone between the listing and the read, or nothing to
		 * manage (an object with no direct permissions). */
		if (!quiet)
			exp_skip(e, "%s: %s \"%s\" is gone", service, type,
				 import_id);
		return;
	}
	if (state == NULL) {
		fprintf(stderr, "exporter: cannot read %s %s\n", type,
			import_id);
		print_diags(call->diags);
		exp_skip(e, "%s: %s \"%s\" could not be read", service, type,
			 import_id);
		return;
	}
	/* A block the schema needs at least once, empty in the state (an
	 * object with no direct permissions): nothing a configuration could
	 * say, and nothing to manage. */
	for (const struct tfp_block *b = rt->res->blocks; b && b->name; b++) {
		const struct tfp_value *v = tfp_value_get(state, b->name);

		if (b->min_items > 0 &&
		    (!tfp_value_is_known(v) ||
		     (b->nesting != TFP_NEST_SINGLE && v->u.coll.n == 0))) {
			if (!quiet)
				exp_skip(e, "%s: %s \"%s\" has no %s", service,
					 type, import_id, b->name);
			return;
		}
	}
	/* Derived objects (grants) with nothing in any block: nothing was
	 * granted, so there is nothing to manage. */
	if (quiet && rt->res->blocks != NULL) {
		bool any = false;

		for (const struct tfp_block *b = rt->res->blocks; b->name; b++) {
			const struct tfp_value *v = tfp_value_get(state, b->name);

			if (b->flags & TFP_NO_JSON)
				continue;
			if (tfp_value_is_known(v) &&
			    (b->nesting == TFP_NEST_SINGLE || v->u.coll.n > 0))
				any = true;
		}
		if (!any)
			return;
	}
	e->read++;
	o = exp_obj_add(e);
	o->service = service;
	o->rt = rt;
	o->import_id = tfp_arena_strdup(e->a, import_id);
	o->hint = tfp_arena_strdup(e->a, hint);
	o->state = tfp_value_copy(e->a, state);
	exp_progress(e);
}

void exp_found_source(struct exp *e, const char *service, const char *type,
		      const char *import_id, const char *hint, const char *rel)
{
	size_t n = e->n_objs;

	exp_found(e, service, type, import_id, hint);
	if (e->n_objs > n)
		e->objs[n].source = tfp_arena_strdup(e->a, rel);
}

bool exp_file_exists(struct exp *e, const char *rel)
{
	struct stat st;

	return stat(tfp_arena_printf(e->a, "%s/%s", e->directory, rel), &st) ==
		       0 &&
	       S_ISREG(st.st_mode);
}

/* mkdir -p of the folders of path (not path itself). */
static int make_parents(const char *path)
{
	char *p = strdup(path);
	int status = 0;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			status = -1;
		*s = '/';
	}
	free(p);
	return status;
}

/* The export's base64 decoded by the workspace family's own decoder
 * (strict: a damaged export is reported, not written), on an arena that
 * lives as long as this one file. */
int exp_write_base64(struct exp *e, const char *rel, const char *b64)
{
	const char *path = tfp_arena_printf(e->a, "%s/%s", e->directory, rel);
	struct tfp_arena *a = tfp_arena_new();
	unsigned char *out;
	size_t o;
	int status = 0;
	FILE *f;

	if (!tfp_workspace__b64_decode(&out, &o, a, b64)) {
		fprintf(stderr, "exporter: %s: the export is not base64\n",
			rel);
		tfp_arena_free(a);
		return -1;
	}
	if (make_parents(path) < 0 || (f = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "exporter: cannot write %s: %s\n", path,
			strerror(errno));
		tfp_arena_free(a);
		return -1;
	}
	if (fwrite(out, 1, o, f) != o)
		status = -1;
	if (fclose(f) != 0)
		status = -1;
	tfp_arena_free(a);
	return status;
}

/* --- flags ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: terraform-provider-databricks exporter [flags]\n"
		"  -directory DIR       where to write the files (default .)\n"
		"  -services LIST       services to export, comma-separated\n"
		"  -listing LIST        services to list, comma-separated\n"
		"  -match TEXT          only objects whose name contains TEXT\n"
		"  -prefix TEXT         prefix for every resource name\n"
		"  -skip-interactive    do not ask for host and token\n"
		"  -incremental         keep earlier runs' resources (needs "
		"-updated-since)\n"
		"  -updated-since TIME  RFC 3339, e.g. 2026-01-02T15:04:05Z\n"
		"  -noformat            do not format (the output is "
		"formatted as written)\n"
		"  -debug               debug logs on stderr\n"
		"Services:");
	for (const struct exp_service *s = exp_services; s->name; s++)
		fprintf(f, " %s", s->name);
	fprintf(f, "\nHost and credentials come from the environment "
		   "(DATABRICKS_HOST, DATABRICKS_TOKEN, ...) or\n"
		   "~/.databrickscfg (DATABRICKS_CONFIG_PROFILE), as for the "
		   "provider.\n");
}

/* -name=value, -name value, --name... into *out; true when argv[*i] is it. */
static bool flag_value(int argc, char **argv, int *i, const char *name,
		       const char **out)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (a[0] == '-' && a[1] == '-')
		a++;
	if (a[0] != '-' || strncmp(a + 1, name, n) != 0)
		return false;
	if (a[1 + n] == '=') {
		*out = a + 2 + n;
		return true;
	}
	if (a[1 + n] != '\0')
		return false;
	if (*i + 1 >= argc) {
		fprintf(stderr, "exporter: -%s needs a value\n", name);
		exit(2);
	}
	*out = argv[++*i];
	return true;
}

static bool flag_bool(const char *arg, const char *name, bool *out)
{
	size_t n = strlen(name);

	if (arg[0] == '-' && arg[1] == '-')
		arg++;
	if (arg[0] != '-' || strncmp(arg + 1, name, n) != 0)
		return false;
	if (arg[1 + n] == '\0' || strcmp(arg + 1 + n, "=true") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(arg + 1 + n, "=false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (list == NULL || list[0] == '\0')
		return true;
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

bool exp_service_on(const struct exp *e, const char *service)
{
	return in_list(e->services, service) && in_list(e->listing, service);
}

static bool known_service(const char *name)
{
	for (const struct exp_service *s = exp_services; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return true;
	return false;
}

/* Warns about names in a -services or -listing list this exporter lacks. */
static void check_list(const char *flag, const char *list)
{
	char *copy, *save = NULL;

	if (list == NULL)
		return;
	copy = strdup(list);
	for (char *t = strtok_r(copy, ", ", &save); t;
	     t = strtok_r(NULL, ", ", &save))
		if (!known_service(t))
			fprintf(stderr,
				"exporter: %s: service \"%s\" is not supported "
				"by this exporter; skipped\n",
				flag, t);
	free(copy);
}

/* --- interactive ---------------------------------------------------------- */

static char *ask(const char *prompt, bool secret)
{
	char buf[4096];
	struct termios old, quiet;
	bool hidden = false;
	size_t n;

	fprintf(stderr, "%s: ", prompt);
	fflush(stderr);
	if (secret && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		hidden = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
	}
	if (fgets(buf, sizeof(buf), stdin) == NULL)
		buf[0] = '\0';
	if (hidden) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return n ? strdup(buf) : NULL;
}

static void interactive(void)
{
	const char *host = getenv("DATABRICKS_HOST");
	char *prompt = NULL, *v;

	if (host != NULL && host[0] != '\0') {
		size_t n = strlen(host) + 64;

		prompt = malloc(n);
		snprintf(prompt, n, "Databricks Workspace URL [%s]", host);
	}
	v = ask(prompt ? prompt : "Databricks Workspace URL", false);
	free(prompt);
	if (v != NULL) {
		setenv("DATABRICKS_HOST", v, 1);
		free(v);
	}
	v = ask("Databricks Workspace PAT (empty: keep the configured "
		"credentials)",
		true);
	if (v != NULL) {
		setenv("DATABRICKS_TOKEN", v, 1);
		/* The token is in the environment now; wipe the copy. */
		memset(v, 0, strlen(v));
		free(v);
	}
}

/* --- files ---------------------------------------------------------------- */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Writes text to DIR/name unless it already holds exactly that. */
static int write_file(struct exp *e, const char *name, const char *text)
{
	const char *path = tfp_arena_printf(e->a, "%s/%s", e->directory, name);
	char *old = read_file(path);
	FILE *f;
	size_t n = strlen(text);

	if (old != NULL && strcmp(old, text) == 0) {
		free(old);
		return 0;
	}
	free(old);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(text, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "exporter: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (e->debug)
		fprintf(stderr, "exporter: wrote %s\n", path);
	return 0;
}

/*
 * The top-level blocks of an earlier run's file, for -incremental: each
 * from a line `resource "T" "N" {` or `import {` to the next line "}"; the
 * address ("T.N", or the import's `to`) and the text.
 */
struct old_block {
	const char *address;
	const char *text;
};

static size_t old_blocks(struct exp *e, const char *file,
			 struct old_block **out)
{
	char *text = read_file(tfp_arena_printf(e->a, "%s/%s", e->directory,
						file));
	struct old_block *b = NULL;
	size_t n = 0, cap = 0;
	char *p;

	*out = NULL;
	if (text == NULL)
		return 0;
	for (p = text; *p;) {
		char *end = strstr(p, "\n}\n");
		char t[256], nm[256];
		const char *addr = NULL;
		char *to;

		if (strncmp(p, "resource \"", 10) == 0 &&
		    sscanf(p, "resource \"%255[^\"]\" \"%255[^\"]\"", t, nm) == 2)
			addr = tfp_arena_printf(e->a, "%s.%s", t, nm);
		else if (strncmp(p, "import {", 8) == 0 && end != NULL &&
			 (to = strstr(p, "to = ")) != NULL && to < end &&
			 sscanf(to, "to = %255[^ \n]", t) == 1)
			addr = tfp_arena_printf(e->a, "import:%s", t);
		if (addr != NULL && end != NULL) {
			if (n == cap) {
				size_t c = cap ? cap * 2 : 16;
				struct old_block *nb =
					tfp_arena_alloc(e->a, c * sizeof(*nb));

				if (n)
					memcpy(nb, b, n * sizeof(*nb));
				b = nb;
				cap = c;
			}
			b[n].address = addr;
			b[n].text = tfp_arena_strndup(e->a, p,
						      (size_t)(end - p) + 3);
			n++;
			p = end + 3;
			continue;
		}
		/* Not a block start: the next line. */
		p = strchr(p, '\n');
		if (p == NULL)
			break;
		p++;
	}
	free(text);
	*out = b;
	return n;
}

static bool exported(const struct exp *e, const char *address)
{
	for (size_t i = 0; i < e->n_objs; i++) {
		const char *t = e->objs[i].rt->res->type_name;
		size_t n = strlen(t);

		if (strncmp(address, t, n) == 0 && address[n] == '.' &&
		    strcmp(address + n + 1, e->objs[i].name) == 0)
			return true;
	}
	return false;
}

/* -incremental: the blocks of file from earlier runs that this run did not
 * produce, appended to h. */
static void keep_old(struct exp *e, struct tfp_hcl *h, const char *file,
		     bool imports)
{
	struct old_block *b;
	size_t n;

	if (!e->incremental)
		return;
	n = old_blocks(e, file, &b);
	for (size_t i = 0; i < n; i++) {
		bool is_import = strncmp(b[i].address, "import:", 7) == 0;
		const char *addr = is_import ? b[i].address + 7 : b[i].address;

		if (is_import != imports || exported(e, addr))
			continue;
		tfp_hcl_line(h, 0, "");
		tfp_hcl_line(h, 0, tfp_arena_strndup(e->a, b[i].text,
						     strlen(b[i].text) - 1));
	}
}

static int write_service(struct exp *e, const char *service)
{
	struct tfp_hcl h;
	const char *text;
	bool any = false;
	const char *file = tfp_arena_printf(e->a, "%s.tf", service);

	tfp_hcl_init(&h, e->a);
	for (size_t i = 0; i < e->n_objs; i++) {
		struct exp_obj *o = &e->objs[i];
		struct tfp_hcl_opts opts = {exp_expr, e, exp_tail(e, o), exp_keep};
		struct tfp_value *state = o->state;

		if (strcmp(o->service, service) != 0)
			continue;
		if (o->var != NULL) {
			/* Not in the state: the variable stands for it. */
			state = tfp_value_copy(e->a, state);
			tfp_value_set_string(e->a, state, o->var_attr, "");
		}
		if (o->source != NULL) {
			/* An import cannot know the local file; the hook
			 * writes the path of the downloaded one. */
			state = tfp_value_copy(e->a, state);
			tfp_value_set_string(e->a, state, "source", o->source);
		}
		if (any)
			tfp_hcl_line(&h, 0, "");
		e->current = o;
		tfp_hcl_resource(&h, o->rt->res->type_name, o->name,
				 o->rt->res->attrs, o->rt->res->blocks, state,
				 &opts);
		e->current = NULL;
		any = true;
		e->written++;
		exp_progress(e);
	}
	keep_old(e, &h, file, false);
	text = tfp_hcl_text(&h);
	if (*text == '\0')
		return 0;
	if (!any && text[0] == '\n')
		text++;
	return write_file(e, file, text);
}

static int write_imports(struct exp *e)
{
	struct tfp_hcl h;
	const char *text;

	tfp_hcl_init(&h, e->a);
	for (size_t i = 0; i < e->n_objs; i++) {
		const struct exp_obj *o = &e->objs[i];

		if (i)
			tfp_hcl_line(&h, 0, "");
		tfp_hcl_open(&h, 0, "import");
		tfp_hcl_attr(&h, 1, "to",
			     tfp_arena_printf(e->a, "%s.%s",
					      o->rt->res->type_name, o->name));
		tfp_hcl_attr(&h, 1, "id", tfp_hcl_quote(e->a, o->import_id));
		tfp_hcl_close(&h, 0);
	}
	keep_old(e, &h, "import.tf", true);
	text = tfp_hcl_text(&h);
	if (text[0] == '\n')
		text++;
	return write_file(e, "import.tf", text);
}

static int write_vars(struct exp *e)
{
	struct tfp_hcl h, ex;

	tfp_hcl_init(&h, e->a);
	tfp_hcl_init(&ex, e->a);
	tfp_hcl_line(&ex, 0,
		     "# Fill in the values the workspace cannot return, then");
	tfp_hcl_line(&ex, 0, "# copy this file to terraform.tfvars (keep it "
			     "out of Git).");
	for (size_t i = 0; i < e->n_objs; i++) {
		const struct exp_obj *o = &e->objs[i];

		if (o->var == NULL)
			continue;
		if (h.len)
			tfp_hcl_line(&h, 0, "");
		tfp_hcl_open(&h, 0,
			     tfp_arena_printf(e->a, "variable %s",
					      tfp_hcl_quote(e->a, o->var)));
		tfp_hcl_attr(&h, 1, "description",
			     tfp_hcl_quote(e->a, o->var_desc));
		tfp_hcl_attr(&h, 1, "type", "string");
		tfp_hcl_attr(&h, 1, "sensitive", "true");
		tfp_hcl_close(&h, 0);
		tfp_hcl_attr(&ex, 0, o->var, "\"\"");
	}
	if (write_file(e, "vars.tf", tfp_hcl_text(&h)) < 0)
		return -1;
	return write_file(e, "terraform.tfvars.example", tfp_hcl_text(&ex));
}

static int write_provider(struct exp *e)
{
	static const char text[] =
		"terraform {\n"
		"  required_providers {\n"
		"    databricks = {\n"
		"      source = \"brickform/databricks\"\n"
		"    }\n"
		"  }\n"
		"}\n"
		"\n"
		"provider \"databricks\" {\n"
		"}\n";

	return write_file(e, "provider.tf", text);
}

static int write_readme(struct exp *e, const char *const *skipped_services,
			size_t n_skipped_services)
{
	struct tfp_hcl h;
	size_t n_vars = 0;

	tfp_hcl_init(&h, e->a);
	tfp_hcl_line(&h, 0, "# Exported Databricks workspace");
	tfp_hcl_line(&h, 0, "");
	tfp_hcl_line(&h, 0,
		     "Written by `terraform-provider-databricks exporter`. "
		     "Every object has an");
	tfp_hcl_line(&h, 0,
		     "`import` block in import.tf, so the first `terraform "
		     "plan` only imports;");
	tfp_hcl_line(&h, 0,
		     "`terraform apply` records them in the state and changes "
		     "nothing.");
	tfp_hcl_line(&h, 0, "");
	tfp_hcl_line(&h, 0, "## Exported");
	tfp_hcl_line(&h, 0, "");
	for (const struct exp_service *s = exp_services; s->name; s++) {
		size_t n = 0;

		for (size_t i = 0; i < e->n_objs; i++)
			if (strcmp(e->objs[i].service, s->name) == 0)
				n++;
		if (n)
			tfp_hcl_line(&h, 0,
				     tfp_arena_printf(e->a,
						      "- %s.tf, %s: %zu",
						      s->name, s->desc, n));
	}
	for (size_t i = 0; i < e->n_objs; i++)
		if (e->objs[i].var)
			n_vars++;
	if (n_vars) {
		tfp_hcl_line(&h, 0, "");
		tfp_hcl_line(&h, 0, "## Values to fill in");
		tfp_hcl_line(&h, 0, "");
		tfp_hcl_line(&h, 0,
			     tfp_arena_printf(
				     e->a,
				     "The workspace cannot return secret values "
				     "nor Git tokens: vars.tf declares %zu",
				     n_vars));
		tfp_hcl_line(&h, 0,
			     "sensitive variables; copy "
			     "terraform.tfvars.example to terraform.tfvars");
		tfp_hcl_line(&h, 0,
			     "and fill them in. Each databricks_secret and "
			     "databricks_git_credential");
		tfp_hcl_line(&h, 0,
			     "ignores changes to its value (lifecycle), so "
			     "that the workspace keeps the");
		tfp_hcl_line(&h, 0,
			     "one it has; remove that block to manage it "
			     "from the variable.");
	}
	tfp_hcl_line(&h, 0, "");
	tfp_hcl_line(&h, 0,
		     "Notebooks and workspace files are downloaded under "
		     "notebooks/ and files/, and each");
	tfp_hcl_line(&h, 0,
		     "ignores changes to its source (lifecycle) so that the "
		     "first plan only imports;");
	tfp_hcl_line(&h, 0,
		     "remove that block to manage the content from the file "
		     "in Git.");
	tfp_hcl_line(&h, 0, "");
	tfp_hcl_line(&h, 0, "## Skipped");
	tfp_hcl_line(&h, 0, "");
	if (e->n_skipped == 0 && n_skipped_services == 0)
		tfp_hcl_line(&h, 0, "Nothing.");
	for (size_t i = 0; i < n_skipped_services; i++)
		tfp_hcl_line(&h, 0, tfp_arena_printf(e->a, "- %s",
						     skipped_services[i]));
	for (size_t i = 0; i < e->n_skipped; i++)
		tfp_hcl_line(&h, 0,
			     tfp_arena_printf(e->a, "- %s", e->skipped[i]));
	return write_file(e, "README.md", tfp_hcl_text(&h));
}

/* --- main ----------------------------------------------------------------- */

static int configure(struct exp *e)
{
	struct tfp_call *call = exp_call(e, NULL);
	struct tfp_value *config =
		tfp_value_object(e->a, tfp_provider_config_type(e->p));

	call->op = "configure";
	if (tfp_provider_configure(e->p, call, config, "1.9.0") < 0 ||
	    exp_call(e, NULL)->client == NULL) {
		fprintf(stderr, "exporter: cannot configure the provider\n");
		print_diags(call->diags);
		return -1;
	}
	return 0;
}

int tfp_exporter_main(int argc, char **argv)
{
	struct exp e;
	bool skip_interactive = false, help = false;
	const char *skipped_services[64];
	size_t n_skipped_services = 0;
	int status = 0;

	memset(&e, 0, sizeof(e));
	e.directory = ".";
	e.prefix = "";
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (flag_value(argc, argv, &i, "directory", &e.directory) ||
		    flag_value(argc, argv, &i, "services", &e.services) ||
		    flag_value(argc, argv, &i, "listing", &e.listing) ||
		    flag_value(argc, argv, &i, "match", &e.match) ||
		    flag_value(argc, argv, &i, "prefix", &e.prefix) ||
		    flag_value(argc, argv, &i, "updated-since",
			       &e.updated_since) ||
		    flag_bool(a, "skip-interactive", &skip_interactive) ||
		    flag_bool(a, "incremental", &e.incremental) ||
		    flag_bool(a, "noformat", &e.noformat) ||
		    flag_bool(a, "debug", &e.debug) ||
		    flag_bool(a, "help", &help) || flag_bool(a, "h", &help))
			continue;
		fprintf(stderr, "exporter: unknown argument %s\n", a);
		usage(stderr);
		return 2;
	}
	if (help) {
		usage(stderr);
		return 0;
	}
	if (e.incremental && e.updated_since == NULL) {
		fprintf(stderr, "exporter: -incremental needs -updated-since "
				"(RFC 3339)\n");
		return 2;
	}
	if (e.updated_since != NULL &&
	    (e.updated_since_ms =
		     (long long)tfp_auth__parse_rfc3339(e.updated_since) *
		     1000) < 0) {
		fprintf(stderr, "exporter: -updated-since %s is not RFC 3339 "
				"(2026-01-02T15:04:05Z)\n",
			e.updated_since);
		return 2;
	}
	check_list("-services", e.services);
	check_list("-listing", e.listing);
	if (mkdir(e.directory, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "exporter: cannot make %s: %s\n", e.directory,
			strerror(errno));
		return 1;
	}
	if (e.debug)
		tfp_log_set_level(TFP_LOG_DEBUG);
	else
		tfp_log_init();
	if (!skip_interactive && isatty(STDIN_FILENO))
		interactive();
	e.progress = isatty(STDERR_FILENO);

	e.a = tfp_arena_new();
	e.p = tfp_provider_new(&tfp_databricks_provider);
	if (configure(&e) < 0) {
		status = 1;
		goto out;
	}
	for (const struct exp_service *s = exp_services; s->name; s++) {
		struct tfp_call *call;

		if (!exp_service_on(&e, s->name))
			continue;
		call = exp_call(&e, NULL);
		if (s->list(&e, call) < 0) {
			const struct tfp_api_error *le = &call->last_error;
			const char *why =
				le->status == 403
					? "permission denied"
					: "its API failed";
			const char *line = tfp_arena_printf(
				e.a,
				"%s: skipped, %s (%s %s answered HTTP %ld%s%s)",
				s->name, why, le->method ? le->method : "",
				le->path ? le->path : "", le->status,
				le->error_code && le->error_code[0] ? " " : "",
				le->error_code ? le->error_code : "");

			if (e.progress)
				fputc('\n', stderr);
			fprintf(stderr, "exporter: service %s\n", line);
			if (n_skipped_services < 64)
				skipped_services[n_skipped_services++] = line;
			if (le->status != 403)
				status = 1;
		}
	}
	exp_assign_names(&e);
	for (const struct exp_service *s = exp_services; s->name; s++)
		if (write_service(&e, s->name) < 0)
			status = 1;
	if (write_imports(&e) < 0 || write_vars(&e) < 0 ||
	    write_provider(&e) < 0 ||
	    write_readme(&e, skipped_services, n_skipped_services) < 0)
		status = 1;
	exp_progress(&e);
	if (e.progress)
		fputc('\n', stderr);
	fprintf(stderr, "exporter: %zu objects written to %s (%zu skipped)\n",
		e.n_objs, e.directory, e.n_skipped + n_skipped_services);
out:
	tfp_provider_free(e.p);
	tfp_arena_free(e.a);
	return status;
}
