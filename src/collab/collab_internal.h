/** @file @brief Helpers shared by the collaboration module (library-internal). */
#ifndef WB_COLLAB_INTERNAL_H
#define WB_COLLAB_INTERNAL_H

#include <jansson.h>

#include "core/internal.h"
#include "store/register.h"
#include "wijkbeeld/collab.h"
#include "wijkbeeld/errors.h"

/* Storage goes through the register of the store (store/register.h): wb_reg__begin and
 * wb_reg__end make a unit of work (a transaction, or a savepoint inside the caller's). */

/* ---- audit ---- */

/** Append an audit entry; takes ownership of @p before and @p after (either may be NULL). */
int wbc_audit(wb_store *st, const wb_actor *a, const char *action, const char *entity,
              int64_t entity_id, json_t *before, json_t *after);

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

/* ---- arrays filled from the store's row views (their strings are borrowed) ---- */

/** An array of elements of @p elem bytes, grown with wb__grow. */
typedef struct {
    void *v;
    size_t n, cap, elem;
} wbc_vec;

#define WBC_VEC_INIT(type) {NULL, 0, 0, sizeof(type)}

/** A new zeroed element at the end of @p vec, or NULL when out of memory. */
void *wbc_vec_push(wbc_vec *vec);

/** A copy of @p t (wb_strdup), NULL for NULL. */
char *wbc_strdup(const char *t);

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
