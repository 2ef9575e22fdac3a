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

/** As wb_cli_model, without printing: 0, or an error code with wb_error_last() set. */
int wb_cli_model_find(wb_model **out, const char *arg, wb_store *st);

/**
 * The scores of a model (found as by wb_cli_model) for every area of a level and boundary
 * year (0: the latest with data) and every data year, as value rows like wb_store_values
 * gives for an indicator (ordered by year, then code). Does not print.
 * @param out OUT: free with wb_free
 */
int wb_cli_model_values(wb_value **out, size_t *n, wb_store *st, const char *model, wb_level level,
                        int boundary_year);

/**
 * The boundary year to use for area @p code when none was given: the latest boundary year of
 * that code in the store (so that a demo area of 2022 is not looked for among the wijken of a
 * later KWB import); @p given when it is not 0, and 0 (the latest with data) when the code is
 * not in the store.
 */
int wb_cli_area_year(wb_store *st, const char *code, int given);

/** 1 when area @p code (of panel @p p, index @p a) lies within area code @p within. */
int wb_cli_within(const wb_panel *p, size_t a, const char *within);

#endif
