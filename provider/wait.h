/*
 * Polling waits that StopProvider can interrupt: a cluster starting, a
 * library installing, grants becoming visible after a write.
 *
 * The REST client never sleeps for a resource; resources that must wait
 * for the workspace to reach a state poll through tfp_wait_for, which
 * bounds the wait, spaces the polls out (fast at first, since most waits
 * end quickly, then no more often than max_ms so a 20-minute start does
 * not spend the rate limit), and returns within ~50 ms of StopProvider.
 */
#ifndef TFP_WAIT_H
#define TFP_WAIT_H

#include <stdint.h>
#include "call.h"

/** A check's answer meaning "not yet": poll again after the interval. */
#define TFP_WAIT_AGAIN 1

/**
 * One poll: TFP_WAIT_AGAIN to keep waiting, TFP_OK when done, or a
 * negative code (with its diagnostic) to stop with that error.
 */
typedef int (*tfp_wait_check_fn)(struct tfp_call *call, void *payload);

struct tfp_wait {
	const char *what; /* "cluster 0101-... to start", for diagnostics */
	long timeout_ms;  /* total; the first check always runs */
	long first_ms;    /* first interval; 0 = 500 */
	long max_ms;      /* longest interval; 0 = 10000 */
};

/**
 * Calls check at once, then after intervals growing by half from first_ms
 * up to max_ms, until it returns anything but TFP_WAIT_AGAIN (returned as
 * is). After timeout_ms: TFP_ERROR with a diagnostic naming w->what. When
 * *call->stop is set: TFP_ECANCELED with an "Interrupted" diagnostic.
 */
int tfp_wait_for(struct tfp_call *call, const struct tfp_wait *w,
		 tfp_wait_check_fn check, void *payload);

/**
 * Sleeps ms, waking early when *call->stop is set: TFP_OK, or
 * TFP_ECANCELED without a diagnostic.
 */
int tfp_wait_sleep(const struct tfp_call *call, long ms);

/** Milliseconds of a monotonic clock. */
int64_t tfp_wait_now_ms(void);

#endif
