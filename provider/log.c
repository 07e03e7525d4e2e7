/*
 * hclog-JSON logging on stderr.
 *
 * go-plugin parses each stderr line as JSON and asserts that "@message" and
 * "@level" are strings; a number there panics terraform 1.11.4 even with
 * logging off (terraform-plugin-protocol.md §5.3). So every line is built
 * with cJSON from strings only, "@timestamp" uses the exact layout go-plugin
 * parses (6 fractional digits, Z), and the message is capped so a line stays
 * far below go-plugin's 64 KiB line buffer. The level is read once from
 * TF_LOG_PROVIDER, else TF_LOG; with neither set, Terraform drops provider
 * lines, so nothing is formatted at all.
 */
#include "log.h"

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LOG_MESSAGE_MAX 8192

static atomic_int log_level = TFP_LOG_OFF;

static const char *const level_names[] = {
	[TFP_LOG_TRACE] = "trace", [TFP_LOG_DEBUG] = "debug",
	[TFP_LOG_INFO] = "info",   [TFP_LOG_WARN] = "warn",
	[TFP_LOG_ERROR] = "error",
};

static int level_from_string(const char *s, int dflt)
{
	if (s == NULL || *s == '\0')
		return dflt;
	if (strcasecmp(s, "trace") == 0 || strcasecmp(s, "json") == 0)
		return TFP_LOG_TRACE;
	if (strcasecmp(s, "debug") == 0)
		return TFP_LOG_DEBUG;
	if (strcasecmp(s, "info") == 0)
		return TFP_LOG_INFO;
	if (strcasecmp(s, "warn") == 0)
		return TFP_LOG_WARN;
	if (strcasecmp(s, "error") == 0)
		return TFP_LOG_ERROR;
	if (strcasecmp(s, "off") == 0)
		return TFP_LOG_OFF;
	/* Terraform treats any other non-empty TF_LOG as TRACE. */
	return TFP_LOG_TRACE;
}

void tfp_log_init(void)
{
	int level = level_from_string(getenv("TF_LOG"), TFP_LOG_OFF);

	level = level_from_string(getenv("TF_LOG_PROVIDER"), level);
	atomic_store(&log_level, level);
}

void tfp_log_set_level(enum tfp_log_level level)
{
	atomic_store(&log_level, (int)level);
}

int tfp_log_enabled(enum tfp_log_level level)
{
	return level != TFP_LOG_OFF && (int)level >= atomic_load(&log_level);
}

static void format_timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%.20s.%06dZ", base, (int)(ts.tv_nsec / 1000));
}

void tfp_log_kv(enum tfp_log_level level, const char *module,
		const char *const *kv, const char *fmt, ...)
{
	char message[LOG_MESSAGE_MAX], ts[64];
	cJSON *line = NULL;
	char *text = NULL;
	va_list ap;
	size_t n;

	if (!tfp_log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	format_timestamp(ts, sizeof(ts));

	line = cJSON_CreateObject();
	cJSON_AddStringToObject(line, "@level", level_names[level]);
	cJSON_AddStringToObject(line, "@message", message);
	cJSON_AddStringToObject(line, "@module",
				module ? module : "provider");
	cJSON_AddStringToObject(line, "@timestamp", ts);
	for (; kv != NULL && kv[0] != NULL && kv[1] != NULL; kv += 2)
		cJSON_AddStringToObject(line, kv[0], kv[1]);
	text = cJSON_PrintUnformatted(line);
	if (text == NULL)
		goto done;
	n = strlen(text);
	text[n] = '\n';
	/* One write per line keeps concurrent threads' lines whole. */
	if (write(STDERR_FILENO, text, n + 1) < 0)
		goto done;
done:
	cJSON_free(text);
	cJSON_Delete(line);
}
