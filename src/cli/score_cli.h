/** @file @brief Helpers shared by the score, explain and compare commands. */
#ifndef WB_CLI_SCORE_CLI_H
#define WB_CLI_SCORE_CLI_H

#include "cli/cmd.h"

/**
 * Find a model by path or name, load it and check its indicators against the store.
 * A name (no '/', no ".model" suffix) is looked up as NAME.model in, in order: the
 * directories of $WIJKBEELD_MODELS (colon-separated), ./models, the models/ directory of the
 * source tree the program was built in (two levels above the binary, build/MODE/wijkbeeld),
 * ../share/wijkbeeld/models next to the binary's directory, /usr/local/share/wijkbeeld/models
 * and /usr/share/wijkbeeld/models.
 * Prints the error and returns NULL on failure.
 */
wb_model *wb_cli_model(const char *arg, wb_store *st);

/** 1 when area @p code (of panel @p p, index @p a) lies within area code @p within. */
int wb_cli_within(const wb_panel *p, size_t a, const char *within);

#endif
