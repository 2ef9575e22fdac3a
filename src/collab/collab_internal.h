/** @file @brief Helpers shared by the collaboration module (library-internal). */
#ifndef WB_COLLAB_INTERNAL_H
#define WB_COLLAB_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>

#include "store/store_internal.h"
#include "wijkbeeld/collab.h"
#include "wijkbeeld/errors.h"

/* ---- transactions: own one (BEGIN IMMEDIATE) or nest as a savepoint ---- */

typedef struct {
    int own; /* 1: began the transaction; 0: a savepoint inside the caller's */
} wbc_tx;

int wbc_tx_begin(wb_store *st, wbc_tx *tx);
/** Commit (error >= 0) or roll back; keeps the error message. @return error or a commit error. */
int wbc_tx_end(wb_store *st, wbc_tx *tx, int error);

/* ---- audit ---- */

/** Append an audit entry; takes ownership of @p before and @p after (either may be NULL). */
int wbc_audit(wb_store *st, const wb_actor *a, const char *action, const char *entity,
              int64_t entity_id, json_t *before, json_t *after);

/** One row (?1 = id) as a JSON object of its columns; *out NULL when there is no row. */
int wbc_row_json(wb_store *st, json_t **out, const char *sql, int64_t id);

/** Append a one-column result (?1 = id) as a JSON array to obj[key]. */
int wbc_list_json(wb_store *st, json_t *obj, const char *key, const char *sql, int64_t id);

/* ---- authorisation with the store's policy ---- */

int wbc_authorize(wb_store *st, const wb_actor *a, wb_action act, int64_t owner_partner,
                  int64_t owner_user);

/* ---- validation: WB_EINVALID with "field 'X': ..." ---- */

/**
 * Text of @p min..@p max characters (code points), valid UTF-8, no control characters
 * (newlines and tabs allowed when @p multiline). NULL counts as empty.
 */
int wbc_check_text(const char *field, const char *s, size_t min, size_t max, int multiline);

/** @p s must be one of the NULL-terminated @p allowed (exact). */
int wbc_check_oneof(const char *field, const char *s, const char *const *allowed);

/**
 * Parse a date YYYY-MM-DD (or DD-MM-YYYY) into ISO form; NULL or "" give "" (no date).
 * Impossible dates (2021-02-30) are refused.
 */
int wbc_parse_date(char out[11], const char *field, const char *s);

/** Days since 1970-01-01 of a valid ISO date. */
long wbc_days(const char *iso);

/** Code points of valid UTF-8, or (size_t)-1. */
size_t wbc_utf8_len(const char *s);

/* ---- SQLite helpers ---- */

/** Bind text; NULL or "" bind SQL NULL. */
void wbc_bind_opt(sqlite3_stmt *s, int i, const char *t);
/** Bind text as is (NULL binds NULL). */
void wbc_bind_text(sqlite3_stmt *s, int i, const char *t);
/** A copy of a text column (wb_strdup), NULL for SQL NULL. */
char *wbc_col_dup(sqlite3_stmt *s, int i);
/**
 * Step a statement that changes data: 0 when done; constraint violations become
 * WB_ECONFLICT (unique) or WB_EINVALID (others), with @p what in the message.
 */
int wbc_step_change(wb_store *st, sqlite3_stmt *s, const char *what);
/** Run SQL without results, ?1 = id. */
int wbc_exec_id(wb_store *st, const char *sql, int64_t id);
/** First column of the first row as an integer (?1 = id); WB_ENOTFOUND without a row. */
int wbc_query_int(wb_store *st, int64_t *out, const char *sql, int64_t id);

/** Area row id for (code, year) restricted to @p levels (e.g. "buurt,wijk"). */
int wbc_area_id(wb_store *st, int64_t *id, const char *field, const char *code, int year,
                int allow_gemeente);
/** Theme id by name (any case). WB_EINVALID naming the field when unknown. */
int wbc_theme_id(wb_store *st, int64_t *id, const char *field, const char *name);

/** Current time in unix seconds (opts->now when set). */
int64_t wbc_now(const wb_auth_opts *o);

/* ---- internal entry points shared between files ---- */

/** wb_initiative_add/update without their own transaction (caller holds one). */
int wbc_initiative_put(wb_store *st, int64_t *id, const wb_actor *actor, const wb_initiative *in,
                       int64_t proposal_id, const char *audit_action);

/** The initiative as JSON for the audit log (row, themes, areas, targets); NULL when absent. */
int wbc_initiative_json(wb_store *st, json_t **out, int64_t id);

/** Add an account without authorisation (demo, inside a transaction). */
int wbc_user_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name,
                 wb_role role, int64_t partner_id, const char *password, const wb_auth_opts *o);

/** Accepted target keys without a catalogue entry (the shared vocabulary). */
int wbc_known_target(const char *key);

#endif
