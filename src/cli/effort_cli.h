/** @file @brief Helpers shared by the issue-7 commands: gaps, overlaps, effort, effect. */
#ifndef WB_CLI_EFFORT_CLI_H
#define WB_CLI_EFFORT_CLI_H

#include "cli/cmd.h"

/**
 * The theme map: --themes FILE, else themes.map in the directory of the model file (so
 * models/themes.map goes with models/lbm.model), else themes.map where models are looked up
 * (score_cli.h: $WIJKBEELD_MODELS, ./models, the source tree's models/, share directories).
 * Without --themes a missing map is a note on stderr and NULL is returned in *out (themes
 * then reach no dimension); with --themes it is an error.
 * @param m may be NULL (then only --themes and ./models are tried)
 * @return 0, or an exit code after printing the error.
 */
int wbx_themes(const wb_args *a, const wb_model *m, wb_theme_map **out);

/** Everything a gaps/effort command works on. Free with wbx_effort_done. */
typedef struct {
    wb_store *st;
    wb_model *m;
    wb_theme_map *tm;
    wb_effort_data *d;
    const wb_effort_input *in;
} wbx_effort;

/**
 * Open the store, find the model (--model, default lbm), the theme map, and load the data
 * for --level (default buurt) and --boundary-year (default: the latest with data).
 * @return 0, or an exit code after printing the error (everything freed).
 */
int wbx_effort_load(wb_ctx *ctx, const wb_args *a, wbx_effort *e);
void wbx_effort_done(wbx_effort *e);

/** The boundary year most initiatives with areas use (0 when none has areas). */
int wbx_common_area_year(const wb_initiative *in, size_t n);

#endif
