/*
 * Helpers for resource handlers that work on a tfp_call (call.h).
 */
#include <stdarg.h>
#include "arena.h"
#include "call.h"
#include "diag.h"

int tfp_call_fail(struct tfp_call *call, const char *fmt, ...)
{
	va_list ap;
	char *detail;

	va_start(ap, fmt);
	detail = tfp_arena_vprintf(call->arena, fmt, ap);
	va_end(ap);
	return tfp_diag_error(call->diags,
			      tfp_arena_printf(call->arena, "Failed to %s %s",
					       call->op, call->type_name),
			      "%s", detail);
}
