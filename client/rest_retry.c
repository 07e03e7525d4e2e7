/*
 * When the REST client tries again: the retry facet.
 *
 * tfp_rest__exchange makes the attempts of one call. Before each it takes
 * a token from the client's rate limiter (a token bucket shared by every
 * thread, waited for in arrival order); after each it decides whether the
 * answer is final. Throttling (429, 503, REQUEST_LIMIT_EXCEEDED ...) is
 * retried for every method, since the server refused the request; 500,
 * 502, 504, resets and timeouts only for idempotent calls; a refused
 * connection, or a timeout before anything was sent, for every method. A
 * write that is not safe to repeat and may have reached the server ends
 * TFP_EUNCERTAIN instead. The wait is Retry-After (delta-seconds or any of
 * the three HTTP-date forms, parsed here) or exponential backoff with full
 * jitter, never past the retry budget, and every wait watches the stop
 * flag. Nothing here logs a header or a body.
 */
#include "rest.h"

#include <ctype.h>
#include <curl/curl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include "arena.h"
#include "diag.h"
#include "log.h"
#include "rest_internal.h"

/* --- Retry-After and HTTP dates ------------------------------------------ */

/* Reads min..max digits, not followed by another digit. */
static bool date_number(const char **p, int min_digits, int max_digits,
                        int *out)
{
	int n = 0, v = 0;

	while (n < max_digits && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n >= min_digits && !isdigit((unsigned char)**p);
}

static bool date_month(const char **p, int *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	for (i = 0; i < 12; i++) {
		if (strncmp(*p, months + 3 * i, 3) == 0) {
			*p += 3;
			*out = i + 1;
			return true;
		}
	}
	return false;
}

static bool date_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

static bool date_clock(const char **p, int *h, int *m, int *s)
{
	return date_number(p, 2, 2, h) && date_lit(p, ":") &&
	       date_number(p, 2, 2, m) && date_lit(p, ":") &&
	       date_number(p, 2, 2, s) && *h < 24 && *m < 60 && *s <= 60;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The three HTTP-date forms (RFC 9110 §5.6.7): IMF-fixdate
 * "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT"
 * and asctime "Sun Nov  6 08:49:37 1994".
 */
static bool rest_parse_http_date(const char *s, long *out)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	const char *p = s;
	int day, month, year, h, m, sec, i;
	bool ok = false;

	for (i = 0; i < 7 && !ok; i++)
		ok = strncmp(p, days + 3 * i, 3) == 0;
	if (!ok)
		return false;
	while (isalpha((unsigned char)*p))
		p++;
	if (*p == ',') {
		p++;
		if (!date_lit(&p, " ") || !date_number(&p, 1, 2, &day))
			return false;
		if (*p == ' ' || *p == '-') {
			char sep = *p++;
			const char *y;

			if (!date_month(&p, &month) || *p++ != sep)
				return false;
			y = p;
			if (!date_number(&p, 2, 4, &year) || p - y == 3 ||
			    !date_lit(&p, " ") ||
			    !date_clock(&p, &h, &m, &sec) ||
			    !date_lit(&p, " GMT"))
				return false;
		} else {
			return false;
		}
		/* RFC 850's two-digit year: the nearest century. */
		if (year < 100)
			year += year < 70 ? 2000 : 1900;
	} else {
		if (!date_lit(&p, " ") || !date_month(&p, &month))
			return false;
		while (*p == ' ')
			p++;
		if (!date_number(&p, 1, 2, &day) || !date_lit(&p, " ") ||
		    !date_clock(&p, &h, &m, &sec) || !date_lit(&p, " ") ||
		    !date_number(&p, 4, 4, &year))
			return false;
	}
	if (*p != '\0' || day < 1 || day > 31 || year < 1970)
		return false;
	*out = days_from_civil(year, month, day) * 86400L + h * 3600L +
	       m * 60L + sec;
	return true;
}

long tfp_rest_parse_retry_after(const char *value, long now_epoch)
{
	char buf[64];
	size_t n;
	const char *s;
	long v = 0, when;

	if (value == NULL)
		return -1;
	n = strlen(value);
	s = tfp_rest__trim(value, &n);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (isdigit((unsigned char)buf[0])) {
		for (s = buf; isdigit((unsigned char)*s); s++) {
			if (v > (LONG_MAX - 9) / 10)
				return -1;
			v = v * 10 + (*s - '0');
		}
		return *s == '\0' ? v : -1;
	}
	if (!rest_parse_http_date(buf, &when))
		return -1;
	return when > now_epoch ? when - now_epoch : 0;
}

/* --- what to retry ------------------------------------------------------- */

/*
 * Transport failures worth another attempt. A refused connection, or a
 * timeout before any byte of the request went out, sent nothing, so any
 * method may retry. Other failures may strike after the server acted, so
 * only idempotent calls retry them. DNS failures are not retried: a typo
 * in host should fail at once, not after the whole budget.
 */
static bool rest_transport_retryable(const struct tfp_rest__req *q,
                                     const struct tfp_rest__reply *rep)
{
	CURLcode rc = rep->result;

	if (rc == CURLE_COULDNT_CONNECT)
		return true;
	if (rc == CURLE_OPERATION_TIMEDOUT && rep->sent == 0)
		return true;
	if (!q->idempotent)
		return false;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* HTTP answers worth another attempt: throttling and unavailability for
 * every method (the server refused the request), and for idempotent calls
 * the gateway and server errors 500, 502 and 504. */
static bool rest_status_retryable(const struct tfp_rest__req *q,
                                  const struct tfp_api_error *e)
{
	if (tfp_rest_is_retryable(e))
		return true;
	return q->idempotent &&
	       (e->status == 500 || e->status == 502 || e->status == 504);
}

/*
 * A failed write that is not safe to repeat whose request may have reached
 * the server: the connection died or timed out after the request went out,
 * or the reply was empty or cut short. Refused connections, DNS and TLS
 * handshake failures and timeouts before anything was sent are certain
 * failures. Idempotent calls are never uncertain: they were retried.
 */
static bool rest_transport_uncertain(const struct tfp_rest__req *q,
                                     const struct tfp_rest__reply *rep)
{
	if (q->idempotent)
		return false;
	switch (rep->result) {
	case CURLE_OPERATION_TIMEDOUT:
		return rep->sent != 0;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static int rest_transport_error(struct tfp_rest__req *q,
                                struct tfp_rest__reply *rep)
{
	const char *what =
	        rep->errbuf[0] ? rep->errbuf : curl_easy_strerror(rep->result);
	const char *hint = "";

	switch (rep->result) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
		hint = " Check that the host's TLS certificate is valid and "
		       "trusted by this machine.";
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		hint = " Check the host name.";
		break;
	default:
		break;
	}
	what = tfp_rest__redact(q->call->arena, what, q->r->token);
	tfp_rest__set_last_error(q->call, q->method, q->path, rep->status, "",
	                         what);
	if (rest_transport_uncertain(q, rep)) {
		q->call->last_error.uncertain = true;
		tfp_diag_error(
		        q->call->diags, tfp_rest__summary(q->call),
		        "%s %s failed after the request was sent: %s "
		        "(curl error %d)%s. The workspace may or may not "
		        "have carried it out: the outcome is unknown.",
		        q->method, q->path, what, (int)rep->result,
		        tfp_rest__attempts_note(q));
		return TFP_EUNCERTAIN;
	}
	return tfp_diag_error(q->call->diags, tfp_rest__summary(q->call),
	                      "%s %s failed: could not reach %s: %s (curl "
	                      "error %d)%s.%s",
	                      q->method, q->path, q->r->host, what,
	                      (int)rep->result, tfp_rest__attempts_note(q),
	                      hint);
}

static int rest_too_big(struct tfp_rest__req *q, struct tfp_rest__reply *rep)
{
	tfp_rest__set_last_error(q->call, q->method, q->path, rep->status, "",
	                         "reply too large");
	return tfp_diag_error(q->call->diags, tfp_rest__summary(q->call),
	                      "%s %s returned a reply larger than %zu MiB; it "
	                      "was not read.",
	                      q->method, q->path, REST_MAX_REPLY >> 20);
}

int tfp_rest__interrupted(struct tfp_rest__req *q, const char *while_doing)
{
	tfp_diag_error(q->call->diags, "Interrupted",
	               "Terraform asked the provider to stop while %s %s was "
	               "%s.",
	               q->method, q->path, while_doing);
	return TFP_ECANCELED;
}

/* --- waits: backoff, the rate limit -------------------------------------- */

/* Waits ms, checking the stop flag every slice; true when stopped. */
static bool rest_sleep(const atomic_bool *stop, long ms)
{
	long end = tfp_rest__now_ms() + ms, left;
	struct timespec ts;

	for (;;) {
		if (stop != NULL && atomic_load(stop))
			return true;
		left = end - tfp_rest__now_ms();
		if (left <= 0)
			return false;
		if (left > REST_STOP_SLICE_MS)
			left = REST_STOP_SLICE_MS;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
}

long tfp_rest_backoff_ms(unsigned attempt, uint64_t random)
{
	long ceiling = REST_BACKOFF_FIRST_MS;

	while (attempt-- > 1 && ceiling < REST_BACKOFF_MAX_MS)
		ceiling *= 2;
	if (ceiling > REST_BACKOFF_MAX_MS)
		ceiling = REST_BACKOFF_MAX_MS;
	/* Full jitter: callers throttled together spread over the whole
	 * window instead of coming back in lockstep. */
	return REST_BACKOFF_MIN_MS +
	       (long)(random % (uint64_t)(ceiling - REST_BACKOFF_MIN_MS + 1));
}

/* splitmix64 over a shared atomic counter: thread-safe, no lock. */
static long rest_backoff(struct tfp_rest *r, unsigned attempt)
{
	uint_fast64_t z;

	z = atomic_fetch_add(&r->jitter_state, 0x9e3779b97f4a7c15u);
	z += 0x9e3779b97f4a7c15u;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	return tfp_rest_backoff_ms(attempt, (uint64_t)z);
}

void tfp_rest__limit_init(struct tfp_rest *r, double rate_limit)
{
	/* NaN and negative rates mean unlimited; 0 the default. */
	if (rate_limit == 0)
		r->rate = REST_DEFAULT_RATE_LIMIT;
	else if (rate_limit > 0)
		r->rate = rate_limit;
	else
		r->rate = 0;
	r->pace = r->rate;
	r->tokens = r->rate > 1 ? r->rate : 1;
	r->limit_ms = tfp_rest__now_ms();
	r->cut_ms = r->limit_ms - REST_PACE_CUT_MS;
	pthread_mutex_init(&r->limit_lock, NULL);
}

/*
 * Takes one token from the client's bucket, waiting (stop permitting) for
 * it when the bucket is empty; true when stopped. A waiter reserves its
 * token at once (the count goes negative), so waiters are served in
 * arrival order and the rate holds however many threads call.
 */
static bool rest_rate_wait(struct tfp_rest *r, const atomic_bool *stop)
{
	long now, wait_ms = 0;
	double burst;

	if (r->rate <= 0)
		return false;
	pthread_mutex_lock(&r->limit_lock);
	burst = r->pace > 1 ? r->pace : 1;
	now = tfp_rest__now_ms();
	r->tokens += (double)(now - r->limit_ms) * r->pace / 1000.0;
	if (r->tokens > burst)
		r->tokens = burst;
	r->limit_ms = now;
	r->tokens -= 1;
	if (r->tokens < 0)
		wait_ms = (long)(-r->tokens * 1000.0 / r->pace + 0.999);
	pthread_mutex_unlock(&r->limit_lock);
	if (wait_ms <= 0)
		return false;
	tfp_log(TFP_LOG_TRACE, REST_LOG, "rate limit: waiting %ld ms", wait_ms);
	if (!rest_sleep(stop, wait_ms))
		return false;
	/* Not sent: hand the token back. */
	pthread_mutex_lock(&r->limit_lock);
	r->tokens += 1;
	pthread_mutex_unlock(&r->limit_lock);
	return true;
}

/*
 * The pace follows the workspace's answers, as TCP's window follows
 * losses: a 429 cuts it by REST_PACE_CUT (once per REST_PACE_CUT_MS, since
 * the requests in flight when the limit is hit come back 429 together and
 * are one signal), each success adds 1/pace, about one request a second
 * per second, up to the configured rate. bench/ratelimit.py measured the
 * fixed rate against a workspace allowing 5 req/s: 107 refused requests
 * for 65 admitted; the 429's Retry-After still decides when the refused
 * request itself goes again.
 */
static void rest_pace(struct tfp_rest *r, bool throttled)
{
	long now;

	if (r->rate <= 0)
		return;
	pthread_mutex_lock(&r->limit_lock);
	if (throttled) {
		now = tfp_rest__now_ms();
		if (now - r->cut_ms >= REST_PACE_CUT_MS) {
			r->pace *= REST_PACE_CUT;
			if (r->pace < 1)
				r->pace = 1;
			r->cut_ms = now;
			tfp_log(TFP_LOG_DEBUG, REST_LOG,
			        "throttled: pacing at %.1f requests a second",
			        r->pace);
		}
	} else if (r->pace < r->rate) {
		r->pace += 1.0 / r->pace;
		if (r->pace > r->rate)
			r->pace = r->rate;
	}
	pthread_mutex_unlock(&r->limit_lock);
}

double tfp_rest_pace(struct tfp_rest *r)
{
	double pace;

	pthread_mutex_lock(&r->limit_lock);
	pace = r->rate > 0 ? r->pace : 0;
	pthread_mutex_unlock(&r->limit_lock);
	return pace;
}

/* --- the attempts of one call -------------------------------------------- */

/*
 * A 401 with a token source: the token may have expired or been revoked
 * early, so the source drops it and the request goes again once (the
 * server refused it, so even a write is safe to repeat).
 */
static bool rest_auth_refresh(struct tfp_rest__req *q,
                              struct tfp_rest__reply *rep)
{
	if (rep->status != 401 || q->r->auth_fn == NULL || q->auth == NULL ||
	    q->auth_stale != NULL)
		return false;
	/* The next attempt asks the source for a token other than this. */
	q->auth_stale = q->auth;
	tfp_log(TFP_LOG_DEBUG, REST_LOG,
	        "%s %s -> 401: fetching a fresh token and retrying once",
	        q->method, q->path);
	return true;
}

/*
 * Sends the request until it gets a final answer: TFP_OK with the answer
 * (any status) in *rep, or a negative code with a diagnostic for a
 * transport failure, an oversized reply or an interrupted wait.
 */
int tfp_rest__exchange(struct tfp_rest__req *q, struct tfp_rest__reply *rep)
{
	struct tfp_rest *r = q->r;
	long budget_ms = r->retry_timeout_seconds > LONG_MAX / 1000
	                         ? LONG_MAX
	                         : r->retry_timeout_seconds * 1000;
	struct tfp_api_error e;
	const char *reason = "";
	long t0, delay, ra;

	for (q->attempts = 1;; q->attempts++) {
		if (rest_rate_wait(r, q->call->stop)) {
			if (q->attempts > 1)
				tfp_rest__set_last_error(q->call, q->method,
				                         q->path, rep->status,
				                         "", reason);
			return tfp_rest__interrupted(q, "waiting for the rate "
			                                "limit");
		}
		if (q->attempts > 1)
			tfp_rest__buf_dispose(&rep->body);
		if (r->auth_fn != NULL &&
		    r->auth_fn(&q->auth, q->call, q->auth_stale,
		               r->auth_payload) < 0)
			return TFP_ERROR;
		t0 = tfp_rest__now_ms();
		tfp_rest__perform(q, rep);
		tfp_rest__trace_bodies(q, rep);
		if (rep->result != CURLE_OK) {
			tfp_log(TFP_LOG_DEBUG, REST_LOG, "%s %s -> %s (%ld ms)",
			        q->method, q->path,
			        curl_easy_strerror(rep->result),
			        tfp_rest__now_ms() - t0);
			if (rep->body.too_big)
				return rest_too_big(q, rep);
			if (rep->result == CURLE_ABORTED_BY_CALLBACK)
				return tfp_rest__interrupted(q, "in flight");
			if (!rest_transport_retryable(q, rep))
				return rest_transport_error(q, rep);
			reason = tfp_arena_printf(
			        q->call->arena, "%s (curl error %d)",
			        curl_easy_strerror(rep->result),
			        (int)rep->result);
			delay = rest_backoff(r, q->attempts);
		} else {
			tfp_log(TFP_LOG_DEBUG, REST_LOG,
			        "%s %s -> %ld (%ld ms)", q->method, q->path,
			        rep->status, tfp_rest__now_ms() - t0);
			rest_pace(r, rep->status == 429);
			if (rep->status >= 200 && rep->status < 300)
				return TFP_OK;
			if (rest_auth_refresh(q, rep))
				continue;
			tfp_rest_parse_error(&e, q->call->arena, q->method,
			                     q->path, rep->status,
			                     rep->body.data, rep->body.len);
			if (!rest_status_retryable(q, &e))
				return TFP_OK;
			atomic_fetch_add(&r->throttled, 1);
			reason = tfp_arena_printf(
			        q->call->arena, "HTTP %ld%s%s", rep->status,
			        e.error_code[0] ? " " : "", e.error_code);
			ra = tfp_rest_parse_retry_after(rep->retry_after,
			                                (long)time(NULL));
			if (ra < 0)
				delay = rest_backoff(r, q->attempts);
			else if (ra > REST_RETRY_AFTER_MAX)
				delay = REST_RETRY_AFTER_MAX * 1000;
			else
				/* Retry-After: 0 from a confused server must
				 * not turn into a busy loop. */
				delay = ra > 0 ? ra * 1000 : REST_STOP_SLICE_MS;
		}
		/* Give up now rather than sleep past the budget: a wait the
		 * budget cannot cover would only delay the same error. */
		if (r->retry_timeout_seconds >= 0 &&
		    (delay > budget_ms ||
		     tfp_rest__now_ms() + delay - q->started_ms > budget_ms)) {
			tfp_log(TFP_LOG_DEBUG, REST_LOG,
			        "not retrying %s %s (%s): the %ld s retry "
			        "budget would run out",
			        q->method, q->path, reason,
			        r->retry_timeout_seconds);
			if (rep->result != CURLE_OK)
				return rest_transport_error(q, rep);
			return TFP_OK;
		}
		tfp_log(TFP_LOG_DEBUG, REST_LOG,
		        "retrying %s %s in %ld ms (attempt %u failed: %s)",
		        q->method, q->path, delay, q->attempts, reason);
		if (rest_sleep(q->call->stop, delay)) {
			tfp_rest__set_last_error(q->call, q->method, q->path,
			                         rep->status, "", reason);
			return tfp_rest__interrupted(q,
			                             "waiting to be retried");
		}
	}
}
