/*
 * The provider's logger: one hclog JSON object per line on stderr.
 *
 * Every line has "@level", "@message", "@module" and "@timestamp" as JSON
 * strings (a non-string @message crashes terraform 1.11.4) and stays under
 * 64 KiB. The level comes from TF_LOG_PROVIDER, else TF_LOG, so lines that
 * Terraform would drop are never formatted. Never pass a secret to it.
 * Thread-safe: each line is written with one write(2).
 */
#ifndef TFP_LOG_H
#define TFP_LOG_H

#include <stdarg.h>
#include "common.h"

enum tfp_log_level {
	TFP_LOG_TRACE = 0,
	TFP_LOG_DEBUG,
	TFP_LOG_INFO,
	TFP_LOG_WARN,
	TFP_LOG_ERROR,
	TFP_LOG_OFF,
};

/** Reads TF_LOG_PROVIDER / TF_LOG once; call before any thread starts. */
void tfp_log_init(void);
/** Sets the level directly (tests). */
void tfp_log_set_level(enum tfp_log_level level);
/** True when a line at this level would be written. */
int tfp_log_enabled(enum tfp_log_level level);

/**
 * Writes one line. Extra fields come as NULL-terminated key/value string
 * pairs in kv (may be NULL), e.g. {"tf_rpc", "ReadResource", NULL}.
 */
void tfp_log_kv(enum tfp_log_level level, const char *module,
		const char *const *kv, const char *fmt, ...) TFP_PRINTF(4, 5);

#define tfp_log(level, module, ...) tfp_log_kv(level, module, NULL, __VA_ARGS__)

#endif
