/** @file @brief Helpers shared by the collaboration commands (user, partner, initiative ...). */
#ifndef WB_CLI_COLLAB_H
#define WB_CLI_COLLAB_H

#include "cli/cmd.h"

/**
 * Who acts: the command line is the admin of the local machine ("cli:<unix user>" in the
 * audit log); with --as NAME it acts as that account, under that account's rules.
 * @return 0, or an exit code after printing the error.
 */
int wbx_actor(wb_store *st, const wb_args *a, wb_actor *out);

/**
 * What a command does once the store is open and the actor is known: call the library,
 * print the result (or wb_cli_fail()) and free what it allocated.
 * @return 0, or an exit code after printing the error.
 */
typedef int (*wbx_fn)(wb_store *st, const wb_actor *actor, const wb_args *a, void *data);

/**
 * Open the store (@p create as for wb_cli_open), resolve the actor (--as) and run @p fn
 * with @p data; the store is freed afterwards. @return 0 or the exit code.
 */
int wbx_run(wb_ctx *ctx, const wb_args *a, int create, wbx_fn fn, void *data);

/** Like wbx_fn, with the id parsed from the first positional argument. */
typedef int (*wbx_id_fn)(wb_store *st, const wb_actor *actor, const wb_args *a, int64_t id);

/**
 * Parse the first positional argument as an id (usage error naming @p what, exit 2), then
 * wbx_run() @p fn with it on the existing store. @return 0 or the exit code.
 */
int wbx_run_id(wb_ctx *ctx, const wb_args *a, const char *what, wbx_id_fn fn);

/** Parse a positive id; prints a usage error and returns -1 when it is not one. */
int wbx_id(const char *s, const char *what, int64_t *out);

/** A partner by id or name; prints the error and returns -1 when unknown. */
int wbx_partner(wb_store *st, const char *ref, int64_t *out);

/** Split a copy of @p s on any of @p seps into trimmed non-empty items (free with wbx_list_free). */
int wbx_split(const char *s, const char *seps, char ***out, size_t *n);
void wbx_list_free(char **items, size_t n);

/**
 * Read a password from stdin: one line (trailing newline removed), echo off on a
 * terminal. @return 0, or an exit code after printing the error. Wipe @p buf after use.
 */
int wbx_read_password(char *buf, size_t cap);

/** Overwrite a buffer in a way the compiler does not drop. */
void wbx_wipe(void *p, size_t n);

/** Today's date as YYYY-MM-DD (UTC). */
void wbx_today(char out[11]);

#endif
