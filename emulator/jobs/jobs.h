/*
 * The Jobs family's interface to the other emulator families: whether a
 * job exists, who created it, and who owns it now. The Permissions API
 * (permissions.c in identity/) asks, as a job's ACL lives and dies with
 * the job, its creator is its first owner and its owner is whom a job
 * without run_as runs as.
 *
 * Expects the workspace lock held (module.h: handlers run under it).
 */
#ifndef EMU_JOBS_H
#define EMU_JOBS_H

struct emu_workspace;

/**
 * The creator_user_name of the job whose id is the decimal text job_id in
 * ws, borrowed until the next write to the Jobs API; NULL when ws has no
 * such job (or job_id is not a job id).
 */
const char *emu_jobs_creator(struct emu_workspace *ws, const char *job_id);

/**
 * The job's new IS_OWNER (a user name or an application id), set through
 * the Permissions API: a job whose run_as was never given runs as its
 * owner, so its run_as_user_name becomes owner. Unknown jobs are ignored.
 */
void emu_jobs_owner_set(struct emu_workspace *ws, const char *job_id,
			const char *owner);

#endif
