/*
 * The Jobs family's interface to the other emulator families: whether a
 * job exists and who created it. The Permissions API (identity/
 * permissions.c) asks, as a job's ACL lives and dies with the job and its
 * creator is its first owner.
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

#endif
