/*
 * What other emulator modules may ask of Lakeflow Declarative Pipelines
 * (pipelines.c): whether a pipeline exists and who created it, for the
 * Permissions API (its owner) and for a job's pipeline_task.
 */
#ifndef EMU_PIPELINES_H
#define EMU_PIPELINES_H

#include <stdbool.h>

struct emu_workspace;

/** True when the workspace has a pipeline with this id. */
bool emu_pipelines_exists(struct emu_workspace *ws, const char *pipeline_id);

/** The creator's user name of the pipeline (borrowed; valid until the next
 * request), or NULL when there is no such pipeline. */
const char *emu_pipelines_creator(struct emu_workspace *ws,
				  const char *pipeline_id);

#endif
