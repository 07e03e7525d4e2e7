/*
 * The workspace object and --state persistence; see workspace.h.
 *
 * State file format (version 1):
 *
 *	{"format": "brickform-emulator-state", "version": 1,
 *	 "modules": {"secrets": <secrets state>, ...}}
 *
 * Each module reads and writes its own member; a module missing from the
 * file starts empty, and a member for an unknown module is ignored, so
 * files survive modules being added.
 */
#include "workspace.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "auth.h"
#include "errors.h"
#include "http.h"
#include "faults.h"
#include "json.h"
#include "module.h"
#include "reqlog.h"
#include "util.h"

#define STATE_FORMAT  "brickform-emulator-state"
#define STATE_VERSION 1
/* A state file is read whole; refuse anything absurd before reading it. */
#define STATE_MAX_BYTES ((off_t)1024 * 1024 * 1024)

struct emu_workspace {
	/* The root's own lock; hosted workspaces use the root's. */
	pthread_mutex_t own_lock;
	pthread_mutex_t *lock;
	struct emu_workspace *root; /* NULL for the root itself */
	char *workspace_id;
	char *deployment; /* hosted: its name; root: NULL */
	char *account_id; /* root only */
	enum emu_cloud cloud; /* root only */
	bool cloud_strict;    /* root only */
	/* Root only: the workspaces it hosts. */
	struct emu_workspace **hosted;
	size_t nhosted;
	void **states; /* one per emu_modules[] entry */
	size_t nmodules;
	struct emu_reqlog *reqlog;
	struct emu_auth *auth;
	struct emu_faults *faults;
	char **oauth_ids; /* parallel to oauth_secrets */
	char **oauth_secrets;
	size_t noauth;
	int64_t oauth_ttl_s;
	char *user_name;
	char *base_url;
	int64_t clock_offset_ms; /* emu_workspace_advance_clock */
	int64_t run_duration_ms;
};

/* The workspace whose shared parts (tokens, OAuth clients, faults, clock)
 * serve ws. */
#define SHARED(ws) ((ws)->root ? (ws)->root : (ws))

static void states_new(struct emu_workspace *ws)
{
	size_t i;

	for (i = 0; i < ws->nmodules; i++)
		ws->states[i] = emu_modules[i]->state_new
					? emu_modules[i]->state_new()
					: NULL;
}

static void states_free(struct emu_workspace *ws)
{
	size_t i;

	for (i = 0; i < ws->nmodules; i++) {
		if (emu_modules[i]->state_free)
			emu_modules[i]->state_free(ws->states[i]);
		ws->states[i] = NULL;
	}
}

/* The parts every workspace has of its own: module states, request log. */
static struct emu_workspace *workspace_alloc(void)
{
	struct emu_workspace *ws = emu_xcalloc(1, sizeof(*ws));

	while (emu_modules[ws->nmodules])
		ws->nmodules++;
	ws->states = emu_xcalloc(ws->nmodules, sizeof(*ws->states));
	states_new(ws);
	ws->reqlog = emu_reqlog_new();
	return ws;
}

/* --basic-user USER:PASSWORD pairs into the auth table; the user ends at
 * the first ':' (RFC 7617: a user id has none). */
static void add_basic_users(struct emu_auth *auth,
			    const struct emu_workspace_options *opts)
{
	size_t i;

	for (i = 0; i < opts->nbasic_users; i++) {
		const char *pair = opts->basic_users[i];
		const char *colon = strchr(pair, ':');
		char *user;

		if (!colon)
			continue; /* main.c checks the form */
		user = emu_xmemdup0(pair, (size_t)(colon - pair));
		emu_auth_add_basic(auth, user, colon + 1);
		free(user);
	}
}

struct emu_workspace *
emu_workspace_new(const struct emu_workspace_options *opts)
{
	struct emu_workspace *ws;

	emu_util_init();
	ws = workspace_alloc();
	pthread_mutex_init(&ws->own_lock, NULL);
	ws->lock = &ws->own_lock;
	ws->workspace_id = emu_xstrdup(EMU_WORKSPACE_ID);
	ws->account_id = emu_xstrdup(opts && opts->account_id
					     ? opts->account_id
					     : EMU_DEFAULT_ACCOUNT_ID);
	ws->cloud = opts ? opts->cloud : EMU_CLOUD_AWS;
	ws->cloud_strict =
		ws->cloud != EMU_CLOUD_AWS || (opts && opts->cloud_strict);
	ws->user_name =
		emu_xstrdup(opts && opts->user_name ? opts->user_name
						    : EMU_DEFAULT_USER_NAME);
	ws->auth = emu_auth_new(opts ? opts->tokens : NULL,
				opts ? opts->ntokens : 0, ws->user_name);
	if (opts)
		add_basic_users(ws->auth, opts);
	ws->base_url = emu_xstrdup("http://127.0.0.1");
	ws->run_duration_ms = EMU_DEFAULT_RUN_DURATION_MS;
	ws->faults = emu_faults_new(emu_faults_random_seed());
	ws->oauth_ttl_s = opts && opts->oauth_token_ttl_s > 0
				  ? opts->oauth_token_ttl_s
				  : EMU_DEFAULT_OAUTH_TOKEN_TTL_S;
	if (opts && opts->noauth_clients > 0) {
		size_t i;

		ws->oauth_ids =
			emu_xcalloc(opts->noauth_clients, sizeof(char *));
		ws->oauth_secrets =
			emu_xcalloc(opts->noauth_clients, sizeof(char *));
		for (i = 0; i < opts->noauth_clients; i++) {
			const char *pair = opts->oauth_clients[i];
			const char *colon = strchr(pair, ':');

			if (!colon)
				continue; /* main.c checks the form */
			ws->oauth_ids[ws->noauth] =
				emu_xmemdup0(pair, (size_t)(colon - pair));
			ws->oauth_secrets[ws->noauth] = emu_xstrdup(colon + 1);
			ws->noauth++;
		}
	}
	return ws;
}

/* Frees what workspace_alloc made, and the hosted workspace's names. */
static void workspace_dispose(struct emu_workspace *ws)
{
	states_free(ws);
	free(ws->states);
	emu_reqlog_free(ws->reqlog);
	free(ws->workspace_id);
	free(ws->deployment);
	free(ws->user_name);
	free(ws->base_url);
}

static void unhost_all(struct emu_workspace *root)
{
	while (root->nhosted > 0) {
		struct emu_workspace *h = root->hosted[--root->nhosted];

		workspace_dispose(h);
		free(h);
	}
}

void emu_workspace_free(struct emu_workspace *ws)
{
	if (!ws)
		return;
	unhost_all(ws);
	free(ws->hosted);
	free(ws->account_id);
	workspace_dispose(ws);
	emu_auth_free(ws->auth);
	emu_faults_free(ws->faults);
	while (ws->noauth > 0) {
		ws->noauth--;
		free(ws->oauth_ids[ws->noauth]);
		free(ws->oauth_secrets[ws->noauth]);
	}
	free(ws->oauth_ids);
	free(ws->oauth_secrets);
	pthread_mutex_destroy(&ws->own_lock);
	free(ws);
}

void emu_workspace_lock(struct emu_workspace *ws)
{
	pthread_mutex_lock(ws->lock);
}

void emu_workspace_unlock(struct emu_workspace *ws)
{
	pthread_mutex_unlock(ws->lock);
}

/* --- the account and hosted workspaces ------------------------------------ */

static const char *const cloud_names[] = {
	[EMU_CLOUD_AWS] = "aws",
	[EMU_CLOUD_AZURE] = "azure",
	[EMU_CLOUD_GCP] = "gcp",
};

const char *emu_cloud_name(enum emu_cloud cloud)
{
	if ((size_t)cloud >= EMU_ARRAY_SIZE(cloud_names))
		return cloud_names[EMU_CLOUD_AWS];
	return cloud_names[cloud];
}

int emu_cloud_parse(enum emu_cloud *out, const char *name)
{
	size_t i;

	for (i = 0; name && i < EMU_ARRAY_SIZE(cloud_names); i++) {
		if (strcmp(name, cloud_names[i]) == 0) {
			*out = (enum emu_cloud)i;
			return 0;
		}
	}
	return -1;
}

enum emu_cloud emu_workspace_cloud(const struct emu_workspace *ws)
{
	return SHARED(ws)->cloud;
}

bool emu_workspace_cloud_strict(const struct emu_workspace *ws)
{
	return SHARED(ws)->cloud_strict;
}

const char *emu_workspace_account_id(const struct emu_workspace *ws)
{
	return SHARED(ws)->account_id;
}

int emu_account_check(struct emu_request *req, struct emu_response *resp)
{
	const char *id = emu_request_param(req, "account_id");

	if (id && strcmp(id, emu_workspace_account_id(req->ws)) == 0)
		return 0;
	return emu_error(resp, 404, "RESOURCE_DOES_NOT_EXIST",
			 "The account does not exist or the user does not "
			 "belong to this account");
}

struct emu_workspace *emu_workspace_root(struct emu_workspace *ws)
{
	return SHARED(ws);
}

const char *emu_workspace_id(const struct emu_workspace *ws)
{
	return ws->workspace_id;
}

const char *emu_workspace_deployment(const struct emu_workspace *ws)
{
	return ws->deployment;
}

struct emu_workspace *emu_workspace_hosted(struct emu_workspace *root,
					   const char *deployment)
{
	size_t i;

	root = SHARED(root);
	for (i = 0; deployment && i < root->nhosted; i++)
		if (strcasecmp(root->hosted[i]->deployment, deployment) == 0)
			return root->hosted[i];
	return NULL;
}

struct emu_workspace *emu_workspace_by_id(struct emu_workspace *root,
					  const char *workspace_id)
{
	size_t i;

	root = SHARED(root);
	if (!workspace_id)
		return NULL;
	if (strcmp(root->workspace_id, workspace_id) == 0)
		return root;
	for (i = 0; i < root->nhosted; i++)
		if (strcmp(root->hosted[i]->workspace_id, workspace_id) == 0)
			return root->hosted[i];
	return NULL;
}

struct emu_workspace *emu_workspace_host(struct emu_workspace *root,
					 const char *deployment,
					 const char *workspace_id)
{
	struct emu_workspace *h;

	root = SHARED(root);
	if (emu_workspace_hosted(root, deployment))
		return NULL;
	h = workspace_alloc();
	h->root = root;
	h->lock = root->lock;
	h->workspace_id = emu_xstrdup(workspace_id);
	h->deployment = emu_xstrdup(deployment);
	h->user_name = emu_xstrdup(root->user_name);
	h->base_url = emu_workspace_host_url(root, deployment);
	h->run_duration_ms = root->run_duration_ms;
	root->hosted = emu_xrealloc(root->hosted, (root->nhosted + 1) *
							  sizeof(*root->hosted));
	root->hosted[root->nhosted++] = h;
	return h;
}

void emu_workspace_unhost(struct emu_workspace *root, const char *deployment)
{
	struct emu_workspace *h;
	size_t i;

	root = SHARED(root);
	h = emu_workspace_hosted(root, deployment);
	if (!h)
		return;
	for (i = 0; root->hosted[i] != h; i++)
		;
	root->hosted[i] = root->hosted[--root->nhosted];
	workspace_dispose(h);
	free(h);
}

char *emu_workspace_host_url(const struct emu_workspace *root,
			     const char *deployment)
{
	const char *url = SHARED(root)->base_url;
	const char *auth = strstr(url, "://");
	const char *port;
	size_t scheme;

	scheme = auth ? (size_t)(auth - url) : 0;
	auth = auth ? auth + 3 : url;
	/* The port follows the last ':' after any "]" of an IPv6 literal. */
	port = strrchr(auth, ']');
	port = strchr(port ? port : auth, ':');
	/* No scheme in the base URL: the server's is plain http. */
	return emu_printf("%.*s://%s.localhost%s", scheme ? (int)scheme : 4,
			  scheme ? url : "http", deployment,
			  port ? port : "");
}

struct emu_workspace *emu_workspace_for_host(struct emu_workspace *root,
					     const char *host, bool *unknown)
{
	static const char suffix[] = ".localhost";
	const size_t slen = sizeof(suffix) - 1;
	struct emu_workspace *h;
	const char *colon;
	char *name;
	size_t n;

	*unknown = false;
	root = SHARED(root);
	if (!host || host[0] == '[')
		return root;
	colon = strchr(host, ':');
	n = colon ? (size_t)(colon - host) : strlen(host);
	if (n > 0 && host[n - 1] == '.')
		n--;
	if (n <= slen || strncasecmp(host + n - slen, suffix, slen) != 0)
		return root;
	name = emu_xmemdup0(host, n - slen);
	/* accounts.localhost is the account console's name for the root,
	 * so that clients derive <deployment>.localhost from it as they
	 * derive <deployment>.cloud.databricks.com from
	 * accounts.cloud.databricks.com. */
	if (strcasecmp(name, "accounts") == 0) {
		free(name);
		return root;
	}
	h = strchr(name, '.') ? NULL : emu_workspace_hosted(root, name);
	free(name);
	if (!h)
		*unknown = true;
	return h ? h : root;
}

void *emu_workspace_state(struct emu_workspace *ws, const struct emu_module *m)
{
	size_t i;

	for (i = 0; i < ws->nmodules; i++)
		if (emu_modules[i] == m)
			return ws->states[i];
	return NULL;
}

void emu_workspace_reset(struct emu_workspace *ws)
{
	states_free(ws);
	states_new(ws);
	emu_reqlog_clear(ws->reqlog);
	/* A reset sent to a hosted workspace's host empties that workspace
	 * only: the router still holds it, and the shared parts (tokens,
	 * faults) are the root's, which it has none of. */
	if (ws->root)
		return;
	unhost_all(ws);
	emu_auth_reset(ws->auth);
	emu_faults_clear_counters(ws->faults);
	emu_faults_clear_rate_counters(ws->faults);
}

struct emu_faults *emu_workspace_faults(struct emu_workspace *ws)
{
	return SHARED(ws)->faults;
}

const char *emu_workspace_oauth_secret(const struct emu_workspace *ws,
				       const char *id)
{
	size_t i;

	ws = SHARED(ws);
	for (i = 0; i < ws->noauth; i++)
		if (strcmp(ws->oauth_ids[i], id) == 0)
			return ws->oauth_secrets[i];
	return NULL;
}

int64_t emu_workspace_oauth_token_ttl_s(const struct emu_workspace *ws)
{
	return SHARED(ws)->oauth_ttl_s;
}

struct emu_reqlog *emu_workspace_reqlog(struct emu_workspace *ws)
{
	return ws->reqlog;
}

struct emu_auth *emu_workspace_auth(struct emu_workspace *ws)
{
	return SHARED(ws)->auth;
}

const char *emu_workspace_user_name(const struct emu_workspace *ws)
{
	return ws->user_name;
}

const char *emu_workspace_user_id(const struct emu_workspace *ws)
{
	(void)ws;
	return EMU_DEFAULT_USER_ID;
}

void emu_workspace_set_base_url(struct emu_workspace *ws, const char *url)
{
	free(ws->base_url);
	ws->base_url = emu_xstrdup(url);
}

const char *emu_workspace_base_url(const struct emu_workspace *ws)
{
	return ws->base_url;
}

int64_t emu_workspace_now_ms(const struct emu_workspace *ws)
{
	return emu_now_ms() + SHARED(ws)->clock_offset_ms;
}

void emu_workspace_advance_clock(struct emu_workspace *ws, int64_t ms)
{
	if (ms > 0)
		SHARED(ws)->clock_offset_ms += ms;
}

void emu_workspace_set_run_duration_ms(struct emu_workspace *ws, int64_t ms)
{
	ws->run_duration_ms = ms < 0 ? 0 : ms;
}

int64_t emu_workspace_run_duration_ms(const struct emu_workspace *ws)
{
	return ws->run_duration_ms;
}

/* --- persistence ---------------------------------------------------------- */

static int read_file(char **out, const char *path, char *err, size_t errlen)
{
	struct stat st;
	char *text = NULL;
	size_t got = 0;
	int fd, error = -1;

	*out = NULL;
	/* O_NONBLOCK: a FIFO (or a device) given as the state file must not
	 * block start-up, where no signal can end the wait; fstat below
	 * refuses it. Reads of a regular file ignore the flag. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, errlen, "cannot open %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > STATE_MAX_BYTES) {
		snprintf(err, errlen, "%s is not a regular file under 1 GiB",
			 path);
		goto done;
	}
	text = emu_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, text + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "cannot read %s: %s", path,
				 n < 0 ? strerror(errno) : "short read");
			goto done;
		}
		got += (size_t)n;
	}
	text[got] = '\0';
	*out = text;
	text = NULL;
	error = 0;

done:
	free(text);
	close(fd);
	return error;
}

static int modules_load(struct emu_workspace *ws, const cJSON *modules,
			const char *path, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < ws->nmodules; i++) {
		const struct emu_module *m = emu_modules[i];
		const cJSON *member =
			cJSON_GetObjectItemCaseSensitive(modules, m->name);
		char why[256] = "";

		if (!member || !m->state_load)
			continue;
		if (m->state_load(ws->states[i], member, why, sizeof(why)) <
		    0) {
			snprintf(err, errlen, "%s: module %s: %s", path,
				 m->name, why);
			return -1;
		}
	}
	return 0;
}

/* "hosted": [{"deployment", "workspace_id", "modules"}...]; absent in
 * files written before workspaces were hosted. */
static int hosted_load(struct emu_workspace *root, const cJSON *hosted,
		       const char *path, char *err, size_t errlen)
{
	const cJSON *h;

	if (!hosted)
		return 0;
	if (!cJSON_IsArray(hosted)) {
		snprintf(err, errlen, "%s: \"hosted\" must be an array", path);
		return -1;
	}
	cJSON_ArrayForEach(h, hosted)
	{
		const cJSON *dep = cJSON_GetObjectItemCaseSensitive(
			h, "deployment");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(
			h, "workspace_id");
		const cJSON *mods = cJSON_GetObjectItemCaseSensitive(
			h, "modules");
		struct emu_workspace *w;

		if (!cJSON_IsString(dep) || !cJSON_IsString(id) ||
		    !cJSON_IsObject(mods) ||
		    !(w = emu_workspace_host(root, dep->valuestring,
					     id->valuestring))) {
			snprintf(err, errlen,
				 "%s: a hosted workspace needs a unique "
				 "deployment, a workspace_id and modules",
				 path);
			return -1;
		}
		if (modules_load(w, mods, path, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static cJSON *modules_save(const struct emu_workspace *ws)
{
	cJSON *modules = cJSON_CreateObject();
	size_t i;

	for (i = 0; i < ws->nmodules; i++)
		if (emu_modules[i]->state_save)
			cJSON_AddItemToObject(
				modules, emu_modules[i]->name,
				emu_modules[i]->state_save(ws->states[i]));
	return modules;
}

int emu_workspace_load_file(struct emu_workspace *ws, const char *path,
			    char *err, size_t errlen)
{
	char *text = NULL;
	cJSON *root = NULL;
	const cJSON *format, *modules;
	int64_t version;
	int error;

	error = read_file(&text, path, err, errlen);
	if (error != 0)
		return error;

	emu_workspace_lock(ws);
	error = -1;
	root = cJSON_Parse(text);
	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "%s is not a JSON object", path);
		goto done;
	}
	format = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsString(format) ||
	    strcmp(format->valuestring, STATE_FORMAT) != 0) {
		snprintf(err, errlen,
			 "%s is not a brickform-emulator state file", path);
		goto done;
	}
	if (emu_json_get_int64(&version, cJSON_GetObjectItemCaseSensitive(
						 root, "version")) < 0 ||
	    version != STATE_VERSION) {
		snprintf(err, errlen,
			 "%s has an unsupported state version (this emulator "
			 "reads version %d)",
			 path, STATE_VERSION);
		goto done;
	}
	modules = cJSON_GetObjectItemCaseSensitive(root, "modules");
	if (!cJSON_IsObject(modules)) {
		snprintf(err, errlen, "%s: \"modules\" must be an object",
			 path);
		goto done;
	}
	if (modules_load(ws, modules, path, err, errlen) < 0 ||
	    hosted_load(ws, cJSON_GetObjectItemCaseSensitive(root, "hosted"),
			path, err, errlen) < 0)
		goto done;
	error = 0;

done:
	if (error < 0) {
		/* Leave nothing half-loaded behind. */
		unhost_all(ws);
		states_free(ws);
		states_new(ws);
	}
	emu_workspace_unlock(ws);
	cJSON_Delete(root);
	free(text);
	return error;
}

static int write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int emu_workspace_save_file(struct emu_workspace *ws, const char *path,
			    char *err, size_t errlen)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *hosted;
	char *text = NULL, *tmp = NULL;
	size_t i;
	int fd = -1, error = -1;

	emu_workspace_lock(ws);
	cJSON_AddStringToObject(root, "format", STATE_FORMAT);
	emu_json_add_int64(root, "version", STATE_VERSION);
	cJSON_AddItemToObject(root, "modules", modules_save(ws));
	hosted = cJSON_AddArrayToObject(root, "hosted");
	for (i = 0; i < ws->nhosted; i++) {
		cJSON *h = cJSON_CreateObject();

		cJSON_AddStringToObject(h, "deployment",
					ws->hosted[i]->deployment);
		cJSON_AddStringToObject(h, "workspace_id",
					ws->hosted[i]->workspace_id);
		cJSON_AddItemToObject(h, "modules",
				      modules_save(ws->hosted[i]));
		cJSON_AddItemToArray(hosted, h);
	}
	emu_workspace_unlock(ws);

	text = cJSON_Print(root);
	tmp = emu_printf("%s.tmp", path);
	/* A fresh file, never whatever is at FILE.tmp: a symlink planted
	 * there would otherwise have its target overwritten. unlink removes
	 * a link itself, and O_EXCL | O_NOFOLLOW refuse anything that
	 * appears in between. */
	if (unlink(tmp) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot replace %s: %s", tmp,
			 strerror(errno));
		goto done;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
			 strerror(errno));
		goto done;
	}
	if (write_all(fd, text, strlen(text)) < 0 ||
	    write_all(fd, "\n", 1) < 0 || fsync(fd) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		snprintf(err, errlen, "cannot write %s: %s", tmp,
			 strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path,
			 strerror(errno));
		goto done;
	}
	error = 0;

done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp)
		unlink(tmp);
	free(tmp);
	cJSON_free(text);
	cJSON_Delete(root);
	return error;
}
