/**
 * @file
 * @brief The register's storage: partners, themes, accounts, failed logins, sessions,
 * settings, initiatives (themes, areas, targets), milestones, contributions, proposals,
 * supports and the audit log. Library-internal API of the store for the collaboration
 * module, which keeps validation, authorisation and the composition of audit entries.
 *
 * No SQL and no SQLite type crosses this header, so that another backend can implement it:
 * every function says what it reads or changes, never how.
 *
 * Conventions:
 * - Return 0 on success; WB_ENOTFOUND when a looked-up row does not exist (without a
 *   message: the caller words it); WB_ECONFLICT when a write would repeat a unique value
 *   ("<what>: already exists"); WB_EINVALID when the database refuses a write on another
 *   constraint; WB_ESTORE or WB_ENOMEM otherwise, with a message.
 * - Text arguments: NULL is stored as NULL; those marked "optional" also store "" as NULL.
 * - Rows are handed to a callback as views: the strings are borrowed and valid only during
 *   the call. A callback returns 0 to go on, or a negative error that stops the walk and is
 *   returned. A callback must not call the store.
 */
#ifndef WB_STORE_REGISTER_H
#define WB_STORE_REGISTER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "wijkbeeld/store.h"

/* ================================================================ units of work */

/** A unit of work of the register: a transaction of its own, or nested in the caller's. */
typedef struct {
    int own; /* 1: began the transaction; 0: a savepoint inside the caller's */
} wb_reg_tx;

/** Begin a transaction (BEGIN IMMEDIATE), or a savepoint when one is already open. */
int wb_reg__begin(wb_store *st, wb_reg_tx *tx);
/** Commit (@p error >= 0) or roll back, keeping the error message. @return @p error or a
 *  commit error. */
int wb_reg__end(wb_store *st, wb_reg_tx *tx, int error);

/* ================================================================ entities and audit log */

/** The register's entities that have an id. */
typedef enum {
    WB_REG_USER,
    WB_REG_PARTNER,
    WB_REG_THEME,
    WB_REG_INITIATIVE,
    WB_REG_MILESTONE,
    WB_REG_CONTRIBUTION,
    WB_REG_PROPOSAL,
    WB_REG__MAX
} wb_reg_entity;

/** 0 when the entity with id @p id exists, else WB_ENOTFOUND. */
int wb_reg__exists(wb_store *st, wb_reg_entity e, int64_t id);

/**
 * The stored row of an entity as a JSON object of its columns (for the audit log; an
 * account without its password hash, an initiative without its lists).
 * @param out OUT: a new object, or NULL when there is no such row
 */
int wb_reg__row_json(wb_store *st, json_t **out, wb_reg_entity e, int64_t id);

/** The lists kept with an initiative, as recorded in the audit log. */
typedef enum {
    WB_REG_INITIATIVE_THEMES,        /**< theme names, in order of creation */
    WB_REG_INITIATIVE_AREAS,         /**< "code@boundary year", by code */
    WB_REG_INITIATIVE_TARGETS,       /**< "indicator:up" or "indicator:down", by indicator */
    WB_REG_INITIATIVE_CONTRIBUTIONS, /**< each a JSON object text (id, partner_id, kind, amount,
                                          start, end), by id */
    WB_REG_LIST__MAX
} wb_reg_list;

/** @param out OUT: a new JSON array of strings (empty when the initiative has none). */
int wb_reg__list_json(wb_store *st, json_t **out, wb_reg_list l, int64_t initiative_id);

/** Append to the audit log. @p user_id and @p entity_id 0 store none; @p before and
 *  @p after are JSON texts or NULL. */
int wb_reg__audit_add(wb_store *st, int64_t user_id, const char *actor, const char *action,
                      const char *entity, int64_t entity_id, const char *before,
                      const char *after);

/** One entry of the audit log (user_id and entity_id 0 when none). */
typedef struct {
    int64_t id;
    const char *at;
    int64_t user_id;
    const char *actor, *action, *entity;
    int64_t entity_id;
    const char *before, *after;
} wb_reg_audit;

typedef int (*wb_reg_audit_fn)(void *payload, const wb_reg_audit *row);

/** Entries newest first. @p entity NULL: all; @p entity_id 0: all; @p limit 0: all. */
int wb_reg__audit_list(wb_store *st, const char *entity, int64_t entity_id, size_t limit,
                       wb_reg_audit_fn fn, void *payload);

/* ================================================================ settings */

/** @param value OUT: a copy of the setting (free with wb_free), NULL when it is not set. */
int wb_reg__setting_get(wb_store *st, char **value, const char *key);
/** Set (insert or replace) a setting. */
int wb_reg__setting_put(wb_store *st, const char *key, const char *value);

/* ================================================================ partners and themes */

/** A partner organisation. */
typedef struct {
    int64_t id;
    const char *name, *type, *contact;
} wb_reg_partner;

typedef int (*wb_reg_partner_fn)(void *payload, const wb_reg_partner *row);
/** Called with one text per row. */
typedef int (*wb_reg_text_fn)(void *payload, const char *text);

/** Insert a partner (contact optional). @param id OUT: its id. */
int wb_reg__partner_insert(wb_store *st, int64_t *id, const char *name, const char *type,
                           const char *contact);
/** Change name, type and contact (optional) of partner @p id. */
int wb_reg__partner_update(wb_store *st, int64_t id, const char *name, const char *type,
                           const char *contact);
/** Every partner, by name. */
int wb_reg__partner_list(wb_store *st, wb_reg_partner_fn fn, void *payload);
/** The partner named exactly @p name; WB_ENOTFOUND when none. */
int wb_reg__partner_by_name(wb_store *st, int64_t *id, const char *name);
/** The number of partners. */
int wb_reg__partner_count(wb_store *st, int64_t *n);

/** Insert a theme. @param id OUT: its id. */
int wb_reg__theme_insert(wb_store *st, int64_t *id, const char *name);
/** The theme named exactly @p name (NULL: ""); WB_ENOTFOUND when none. */
int wb_reg__theme_by_name(wb_store *st, int64_t *id, const char *name);
/** Theme names in order of creation. */
int wb_reg__theme_list(wb_store *st, wb_reg_text_fn fn, void *payload);

/* ================================================================ accounts and sessions */

/** An account. Lookups by name fill id, name, role, partner_id, disabled and hash; the
 *  list fills id, name, role, partner_id, partner (its name), created and disabled. */
typedef struct {
    int64_t id;
    const char *name;
    const char *role;      /**< admin, partner, resident, viewer */
    int64_t partner_id;    /**< 0 when none */
    const char *partner;
    const char *created;
    int disabled;
    const char *hash;      /**< the password hash */
} wb_reg_user;

typedef int (*wb_reg_user_fn)(void *payload, const wb_reg_user *row);

/** Insert an account (@p partner_id 0: none). @param id OUT: its id. */
int wb_reg__user_insert(wb_store *st, int64_t *id, const char *name, const char *role,
                        int64_t partner_id, const char *hash);
/** The account named exactly @p name (NULL: ""), to @p fn; WB_ENOTFOUND when none. */
int wb_reg__user_by_name(wb_store *st, const char *name, wb_reg_user_fn fn, void *payload);
/** Every account, by name. */
int wb_reg__user_list(wb_store *st, wb_reg_user_fn fn, void *payload);
/** Replace the password hash of account @p id. */
int wb_reg__user_set_hash(wb_store *st, int64_t id, const char *hash);
/** Disable (1) or enable (0) account @p id. */
int wb_reg__user_set_disabled(wb_store *st, int64_t id, int disabled);
/** The number of enabled admin accounts. */
int wb_reg__admin_count(wb_store *st, int64_t *n);

/** The failed-login count under @p key; all 0 when there is none. */
int wb_reg__failure_get(wb_store *st, const char *key, int *failures, int64_t *last_at,
                        int64_t *locked_until);
/** Set the failed-login count under @p key. */
int wb_reg__failure_put(wb_store *st, const char *key, int failures, int64_t last_at,
                        int64_t locked_until);
/**
 * A successful login: forget the failed logins under @p key, and when @p new_hash is
 * given (not NULL or ""), store it as the password hash of account @p user_id.
 */
int wb_reg__login_ok(wb_store *st, const char *key, int64_t user_id, const char *new_hash);
/**
 * Forget failed logins without a lockout at @p now and older than @p failure_memory_s, and
 * sessions expired at @p now or idle for @p session_idle_s. @param removed OUT: rows removed.
 */
int wb_reg__purge(wb_store *st, int64_t now, int64_t failure_memory_s, int64_t session_idle_s,
                  size_t *removed);

/** Bytes of the stored hash of a session token. */
#define WB_REG_TOKEN_HASH 32

/** A session with its account. */
typedef struct {
    int64_t id, created, expires, last_seen; /**< unix seconds */
    int64_t user_id;
    const char *name, *role;
    int64_t partner_id;                      /**< 0 when none */
    int disabled;
} wb_reg_session;

typedef int (*wb_reg_session_fn)(void *payload, const wb_reg_session *row);

/** Store a session of account @p user_id under the hash of its token; last used at
 *  @p created. */
int wb_reg__session_insert(wb_store *st, const unsigned char hash[WB_REG_TOKEN_HASH],
                           int64_t user_id, int64_t created, int64_t expires);
/** The session with this token hash, to @p fn; WB_ENOTFOUND when none. */
int wb_reg__session_get(wb_store *st, const unsigned char hash[WB_REG_TOKEN_HASH],
                        wb_reg_session_fn fn, void *payload);
/** Record that session @p id was used at @p now. */
int wb_reg__session_touch(wb_store *st, int64_t id, int64_t now);
/** End the session with this token hash (none is fine). */
int wb_reg__session_end(wb_store *st, const unsigned char hash[WB_REG_TOKEN_HASH]);
/** End every session of account @p user_id. */
int wb_reg__user_sessions_end(wb_store *st, int64_t user_id);

/* ================================================================ initiatives */

/** An initiative. As input: title, description (optional), status, start and end
 *  (optional), lead_partner_id, and proposal_id (insert only; 0: none). */
typedef struct {
    int64_t id;
    const char *title, *description, *status, *start, *end;
    int64_t lead_partner_id;
    const char *lead_partner; /**< its name */
    int64_t proposal_id;      /**< 0 when none */
    const char *created, *updated;
} wb_reg_initiative;

/** Insert an initiative. @param id OUT: its id. */
int wb_reg__initiative_insert(wb_store *st, int64_t *id, const wb_reg_initiative *in);
/** Change an initiative (all but its proposal) and set its update time to now. */
int wb_reg__initiative_update(wb_store *st, int64_t id, const wb_reg_initiative *in);
/** The lead partner of initiative @p id; WB_ENOTFOUND when none. */
int wb_reg__initiative_lead(wb_store *st, int64_t *lead, int64_t id);
/** Delete an initiative with its lists, milestones and contributions; proposals adopted into
 *  it stay, without the link. */
int wb_reg__initiative_delete(wb_store *st, int64_t id);

/** Remove every theme, area and target of an initiative. */
int wb_reg__initiative_links_clear(wb_store *st, int64_t id);
/** Add a theme to an initiative (again: nothing). */
int wb_reg__initiative_theme_add(wb_store *st, int64_t id, int64_t theme_id);
/** Add an area to an initiative (again: nothing). */
int wb_reg__initiative_area_add(wb_store *st, int64_t id, int64_t area_id);
/** Add a target (indicator, +1 up or -1 down) to an initiative. */
int wb_reg__initiative_target_add(wb_store *st, int64_t id, const char *indicator,
                                  int direction);

/** Which initiatives to list. Zero and NULL fields select everything. */
typedef struct {
    int64_t only_id;
    const char *theme;   /**< with this theme */
    int64_t partner_id;  /**< led by this partner or with a contribution of it */
    const char *status;
    const char *area;    /**< a normalised area code: initiatives in it, in an area it contains,
                              or in its enclosing wijk or gemeente */
    int area_year;       /**< with area: only areas of this boundary year */
} wb_reg_initiative_query;

/** The lists of an initiative, as handed to wb_reg_initiative_sink.link. */
typedef enum {
    WB_REG_LINK_THEME,  /**< text: the theme's name (in order of creation) */
    WB_REG_LINK_AREA,   /**< text: the area code, num: its boundary year (by code) */
    WB_REG_LINK_TARGET  /**< text: the indicator, num: +1 up or -1 down (by indicator) */
} wb_reg_link;

/** Receives each initiative, then its themes, areas and targets. */
typedef struct {
    int (*row)(void *payload, const wb_reg_initiative *row);
    int (*link)(void *payload, wb_reg_link kind, const char *text, int num);
    void *payload;
} wb_reg_initiative_sink;

/** Initiatives by id. */
int wb_reg__initiative_list(wb_store *st, const wb_reg_initiative_query *q,
                            const wb_reg_initiative_sink *sink);

/* ================================================================ milestones */

/** A milestone; due and note are optional. */
typedef struct {
    int64_t id, initiative_id;
    const char *title, *due;
    int progress;
    const char *note;
} wb_reg_milestone;

typedef int (*wb_reg_milestone_fn)(void *payload, const wb_reg_milestone *row);

/** Insert a milestone (m->id is ignored). @param id OUT: its id. */
int wb_reg__milestone_insert(wb_store *st, int64_t *id, const wb_reg_milestone *m);
/** Change title, due, progress and note of milestone m->id. */
int wb_reg__milestone_update(wb_store *st, const wb_reg_milestone *m);
/** The initiative of milestone @p id; WB_ENOTFOUND when none. */
int wb_reg__milestone_initiative(wb_store *st, int64_t *initiative_id, int64_t id);
/** The milestones of an initiative by due date (none last), then id. */
int wb_reg__milestone_list(wb_store *st, int64_t initiative_id, wb_reg_milestone_fn fn,
                           void *payload);

/* ================================================================ contributions */

/** A contribution; note optional. The lists fill partner (its name); the list by partner
 *  also the initiative's title. */
typedef struct {
    int64_t id, initiative_id;
    const char *initiative;
    int64_t partner_id;
    const char *partner;
    const char *kind;
    double amount;
    const char *start, *end, *note;
} wb_reg_contribution;

typedef int (*wb_reg_contribution_fn)(void *payload, const wb_reg_contribution *row);

/** Insert a contribution (c->id is ignored). @param id OUT: its id. */
int wb_reg__contribution_insert(wb_store *st, int64_t *id, const wb_reg_contribution *c);
/** Change kind, amount, period and note of contribution c->id. */
int wb_reg__contribution_update(wb_store *st, const wb_reg_contribution *c);
/** Partner and initiative of contribution @p id; WB_ENOTFOUND when none. */
int wb_reg__contribution_owner(wb_store *st, int64_t id, int64_t *partner_id,
                               int64_t *initiative_id);
/** Delete contribution @p id. */
int wb_reg__contribution_delete(wb_store *st, int64_t id);
/** Contributions (0: any initiative, any partner) by initiative, start date and id. */
int wb_reg__contribution_list(wb_store *st, int64_t initiative_id, int64_t partner_id,
                              wb_reg_contribution_fn fn, void *payload);
/** Contributions (of one initiative, or 0: all) with the initiative's title, by initiative
 *  then partner name (ignoring case first). */
int wb_reg__contribution_by_partner(wb_store *st, int64_t initiative_id,
                                    wb_reg_contribution_fn fn, void *payload);
/** The distinct names of the partners contributing to an initiative on date @p date
 *  (YYYY-MM-DD), by name (ignoring case first). */
int wb_reg__coalition_at(wb_store *st, int64_t initiative_id, const char *date,
                         wb_reg_text_fn fn, void *payload);

/** One cell of partners x areas x themes. */
typedef struct {
    int64_t partner_id;
    const char *partner;
    const char *code;
    int area_year;
    const char *theme;
    int64_t initiatives;
    double money_eur, hours, in_kind_eur;
} wb_reg_matrix_cell;

typedef int (*wb_reg_matrix_fn)(void *payload, const wb_reg_matrix_cell *cell);

/**
 * Partners x areas x themes: per partner (lead or contributor), area and theme of the
 * initiatives active in @p year (0: all years), their number and the contributions in
 * that year (each spread evenly over the days of its period). By partner name, code, theme.
 */
int wb_reg__matrix(wb_store *st, int year, wb_reg_matrix_fn fn, void *payload);

/* ================================================================ proposals */

/** Author and status (at most 15 bytes) of proposal @p id; WB_ENOTFOUND when none. */
int wb_reg__proposal_state(wb_store *st, int64_t id, int64_t *author, char status[16]);
/** Insert an open proposal (@p est_cost_eur NaN: none). @param id OUT: its id. */
int wb_reg__proposal_insert(wb_store *st, int64_t *id, int64_t user_id, int64_t area_id,
                            const char *title, const char *text, int64_t theme_id,
                            double est_cost_eur);

/** The changes of a proposal's status. */
typedef enum {
    WB_REG_PROPOSAL_DECLINED, /**< with a reason */
    WB_REG_PROPOSAL_HIDDEN,
    WB_REG_PROPOSAL_ADOPTED   /**< with the initiative made of it */
} wb_reg_proposal_status;

/** Change the status of proposal @p id (@p reason and @p initiative_id as the status needs). */
int wb_reg__proposal_set_status(wb_store *st, int64_t id, wb_reg_proposal_status status,
                                const char *reason, int64_t initiative_id);

/** @return 1 when @p user_id supports proposal @p proposal_id, 0 when not, or an error. */
int wb_reg__support_exists(wb_store *st, int64_t proposal_id, int64_t user_id);
/** Record a support. */
int wb_reg__support_add(wb_store *st, int64_t proposal_id, int64_t user_id);

/** A proposal. */
typedef struct {
    int64_t id, user_id;
    const char *author;      /**< the author's account name */
    const char *area;        /**< area code */
    int area_year;
    const char *title, *text, *theme;
    double est_cost_eur;     /**< NaN when none */
    const char *status, *decline_reason;
    int64_t initiative_id;   /**< 0 when none */
    long supports;
    const char *created;
    int supported;           /**< 1 when the query's viewer supports it */
} wb_reg_proposal;

typedef int (*wb_reg_proposal_fn)(void *payload, const wb_reg_proposal *row);

/** Which proposals to list. Zero and NULL fields select everything but hidden ones. */
typedef struct {
    int64_t only_id;
    int see_hidden;      /**< 1: hidden ones too */
    const char *status;
    const char *area;    /**< a normalised area code: proposals in it or in an area directly
                              within it */
    int area_year;
    const char *theme;
    int64_t viewer_id;   /**< whose support fills wb_reg_proposal.supported (0: nobody) */
} wb_reg_proposal_query;

/** Proposals by id. */
int wb_reg__proposal_list(wb_store *st, const wb_reg_proposal_query *q, wb_reg_proposal_fn fn,
                          void *payload);

#endif
