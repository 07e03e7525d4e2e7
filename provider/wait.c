/*
 * Interruptible polling (wait.h). Sleeps are cut into 50 ms slices so a
 * StopProvider is noticed quickly; a condition variable would wake sooner
 * but StopProvider only sets an atomic flag, and 50 ms is well inside the
 * two seconds Terraform users expect an interrupt to take.
 */
#include <time.h>
#include "diag.h"
#include "wait.h"

#define WAIT_SLICE_MS 50

int64_t tfp_wait_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool wait_stopped(const struct tfp_call *call)
{
	return call->stop != NULL && atomic_load(call->stop);
}

int tfp_wait_sleep(const struct tfp_call *call, long ms)
{
	int64_t end = tfp_wait_now_ms() + ms;

	for (;;) {
		int64_t left = end - tfp_wait_now_ms();
		long slice;
		struct timespec ts;

		if (wait_stopped(call))
			return TFP_ECANCELED;
		if (left <= 0)
			return TFP_OK;
		slice = left < WAIT_SLICE_MS ? (long)left : WAIT_SLICE_MS;
		ts.tv_sec = 0;
		ts.tv_nsec = slice * 1000000L;
		nanosleep(&ts, NULL);
	}
}

int tfp_wait_for(struct tfp_call *call, const struct tfp_wait *w,
		 tfp_wait_check_fn check, void *payload)
{
	long interval = w->first_ms > 0 ? w->first_ms : 500;
	long max = w->max_ms > 0 ? w->max_ms : 10000;
	int64_t start = tfp_wait_now_ms();

	for (;;) {
		int64_t left;
		int rc = check(call, payload);

		if (rc != TFP_WAIT_AGAIN)
			return rc;
		left = start + w->timeout_ms - tfp_wait_now_ms();
		if (left <= 0)
			return tfp_diag_error(
				call->diags, "Timed out",
				"Gave up waiting for %s after %ld seconds.",
				w->what, (w->timeout_ms + 999) / 1000);
		if (tfp_wait_sleep(call, interval < left ? interval
							 : (long)left) < 0) {
			tfp_diag_error(call->diags, "Interrupted",
				       "Stopped waiting for %s: Terraform "
				       "asked the provider to stop.",
				       w->what);
			return TFP_ECANCELED;
		}
		interval += interval / 2;
		if (interval > max)
			interval = max;
	}
}
