/**
 * @file
 * @brief The command table of the wijkbeeld program and the helpers every command shares:
 * option parsing, output of tables (terminal, CSV, JSON), and error reporting.
 *
 * A command lives in its own src/cli/cmd_<name>.c and registers itself with WB_COMMAND, so
 * adding a command touches no shared file. `wijkbeeld help` lists the table.
 */
#ifndef WB_CLI_CMD_H
#define WB_CLI_CMD_H

#include <stdio.h>

#include "wijkbeeld.h"

/** An option a command accepts. */
typedef struct {
    const char *name;  /**< long name without dashes, e.g. "year" */
    int takes_value;   /**< 1: --name VALUE (or --name=VALUE); 0: a flag */
    const char *help;  /**< one line, shown by 'help CMD' */
} wb_optdef;

/** Parsed arguments of one command. */
typedef struct {
    const wb_optdef *defs;
    size_t ndefs;
    const char *values[48]; /**< per def: the value, "" for a present flag, NULL if absent */
    const char *pos[16];    /**< positional arguments */
    size_t npos;
} wb_args;

/** Global context handed to every command. */
typedef struct {
    const char *db_path;   /**< --db, default wijkbeeld.db */
    const char *prog;      /**< argv[0] */
    int quiet;             /**< --quiet: no progress */
} wb_ctx;

typedef int (*wb_cmd_fn)(wb_ctx *ctx, wb_args *args);

/** One subcommand. Its name may have a space ("import csv"). */
typedef struct {
    const char *name;
    const char *summary;   /**< one line */
    const char *usage;     /**< arguments after the name, e.g. "FILE [--year Y]" */
    const wb_optdef *opts; /**< terminated by {NULL} */
    wb_cmd_fn fn;
    int min_pos, max_pos;  /**< positional argument counts */
} wb_cmd;

void wb_cmd_register(const wb_cmd *cmd);

/** Register a command from a file-scope wb_cmd variable. */
#define WB_COMMAND(var)                                                                      \
    __attribute__((constructor)) static void wb_register_##var(void)                         \
    {                                                                                        \
        wb_cmd_register(&var);                                                               \
    }

/* ---- arguments ---- */

/** The value of an option, or NULL when absent. "" for a present flag. */
const char *wb_arg(const wb_args *a, const char *name);
/** 1 when a flag or option was given. */
int wb_arg_has(const wb_args *a, const char *name);
/** Integer option with a default; prints an error and returns -1 when not an integer in range. */
int wb_arg_int(const wb_args *a, const char *name, long def, long min, long max, long *out);
/** Double option with a default (finite only). */
int wb_arg_double(const wb_args *a, const char *name, double def, double *out);
/** Level option (required when @p required). @return 0 or -1 after printing the error. */
int wb_arg_level(const wb_args *a, const char *name, int required, wb_level *out);

/* ---- output ---- */

typedef enum { WB_FMT_TABLE, WB_FMT_CSV, WB_FMT_JSON, WB_FMT_MARKDOWN } wb_format;

/** The --format option (table, csv, json or markdown): table on a terminal, otherwise csv;
 *  -1 after an error. */
int wb_arg_format(const wb_args *a, wb_format *out);

/** The global option --digits: numbers of wb_table_num with this many decimals (rounded);
 *  -1 (the default): exact, shortest round-trip form. */
void wb_table_set_digits(int digits);

/**
 * A table being written row by row. Columns are named once; cells are strings (NULL =
 * empty/missing; JSON null). Columns flagged numeric are written as JSON numbers.
 * Table output is buffered to align columns; CSV, JSON and Markdown (a GitHub table, '|'
 * in cells escaped) stream.
 */
typedef struct wb_table wb_table;
wb_table *wb_table_new(FILE *out, wb_format fmt, size_t ncols, const char *const *names,
                       const int *numeric);
void wb_table_cell(wb_table *t, const char *text);
void wb_table_cellf(wb_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** A number cell: NaN becomes missing; shortest round-trip output (CSV, JSON, Markdown), or
 *  --digits decimals; in the terminal table format 6 significant digits unless --digits. */
void wb_table_num(wb_table *t, double v);
void wb_table_int(wb_table *t, long long v);
/** Finish the table and free it. */
void wb_table_end(wb_table *t);

/** Format a double so that it reads back exactly (shortest of %.15g/%.17g). */
void wb_fmt_double(char *buf, size_t n, double v);

/* ---- spatial weights options (src/cli/cmd_spatial.c) ---- */

/** The weights options every spatial command accepts (besides the type option itself). */
#define WB_CLI_WEIGHT_OPTS                                                                       \
    {"k", 1, "knn: number of neighbours (default 4)"},                                           \
        {"band", 1, "distance: UPPER or LOWER,UPPER in metres (lower <= d <= upper)"},           \
        {"band-lower-exclusive", 0, "distance: lower < d instead of lower <= d"},                \
        {"snap", 1, "contiguity: points closer than this many metres coincide (default 1.5e-8)"}, \
        {"style", 1, "W (row-standardised, default) or B (binary)"}

/** Parse the weights options into @p o (type from option @p type_opt). -1 after a message. */
int wb_cli_weights(const wb_args *a, const char *type_opt, wb_weights_opts *o);
/** "queen snap 1.5e-08 m style W", "knn k=4 style W", ... */
void wb_cli_weights_desc(char *buf, size_t n, const wb_weights_opts *o);

/** Load the data of a spatial statistic (and of --bivariate when the command has it); prints
 *  the error; returns 0, -1 (failure) or -2 (usage error). */
int wb_cli_spatial_load(wb_ctx *ctx, wb_args *a, wb_store **st, wb_spatial_data *d, wb_spatial_query *q);
/** Say on stderr what was analysed, what was left out and why, and which areas are islands. */
void wb_cli_spatial_report(wb_ctx *ctx, const char *cmd, const wb_spatial_data *d, const wb_spatial_query *q);
/** `moran --bivariate` and `lisa --bivariate` (src/cli/cmd_bivariate.c). */
int wb_cli_moran_bv(wb_ctx *ctx, wb_args *a);
int wb_cli_lisa_bv(wb_ctx *ctx, wb_args *a);

/* ---- errors and progress ---- */

/** Print "wijkbeeld: <message of wb_error_last()>" on stderr; returns the exit code 1. */
int wb_cli_fail(void);
/** Print "wijkbeeld: <formatted>" on stderr; returns the exit code 2 (usage error). */
int wb_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Open the store of ctx (create when @p create); prints the error and returns NULL on failure. */
wb_store *wb_cli_open(wb_ctx *ctx, int create);

/**
 * A progress callback for long work: prints "\r<what>: <done>/<total>" on stderr when
 * stderr is a terminal and not --quiet (at most ten times a second), nothing otherwise.
 */
void wb_cli_progress(void *payload, const char *what, size_t done, size_t total);

#endif
