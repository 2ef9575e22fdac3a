/**
 * @file
 * @brief Working together (issue 6): accounts, sessions, CSRF tokens, authorisation, the
 * audit log, partners, themes, initiatives with milestones and contributions, coalitions,
 * resident proposals and supports, CSV import, demo data, and HTML escaping.
 *
 * ## Who may do what
 * Every change goes through one function, wb_authorize(), used by the library's own
 * functions (and therefore by the CLI and the web API alike). The caller says who acts in
 * a wb_actor: a user from a session (wb_session_validate), the command line
 * (wb_actor_cli: the local machine's admin) or nobody (WB_ACTOR_ANONYMOUS).
 *
 * | action                         | admin | partner editor of P        | resident            | viewer | anonymous |
 * |--------------------------------|-------|----------------------------|---------------------|--------|-----------|
 * | read monitor and register      | yes   | yes                        | yes                 | yes    | while monitor_public = 1 |
 * | create initiative (lead L)     | yes   | L = P                      | no                  | no     | no        |
 * | edit initiative, milestones    | yes   | lead = P                   | no                  | no     | no        |
 * | delete initiative              | yes   | no (set status 'gestopt')  | no                  | no     | no        |
 * | add/edit/delete contribution   | yes   | contribution's partner = P | no                  | no     | no        |
 * | file proposal                  | yes   | no                         | yes                 | no     | no        |
 * | support proposal               | no    | no                         | yes, not own, once  | no     | no        |
 * | adopt proposal (lead L)        | yes   | L = P                      | no                  | no     | no        |
 * | decline proposal               | yes   | yes                        | no                  | no     | no        |
 * | hide proposal, see hidden ones | yes   | no                         | no                  | no     | no        |
 * | manage users/partners/themes/settings, read audit log | yes | no   | no                  | no     | no        |
 * | change own password            | yes   | yes                        | yes                 | yes    | no        |
 *
 * Decisions: a partner that only contributes to an initiative does not edit it (the lead
 * is accountable for it; contributors manage their own contributions, and may add them to
 * any initiative, which is how a coalition forms). Supports are a resident's voice: the
 * admin and partner editors do not support, and nobody supports their own proposal (filing
 * is already support). Deleting an initiative also deletes other partners' contributions,
 * so only the admin deletes.
 *
 * ## Security
 * Passwords: Argon2id (libsodium crypto_pwhash_str) with OPSLIMIT/MEMLIMIT_INTERACTIVE
 * (t=2, 64 MiB): measured 0.08 s per hash and 0.09 s per verify on the 2-core build
 * machine. MODERATE (t=3, 256 MiB) took 0.57 s and 256 MiB per login, which lets a few
 * concurrent logins exhaust a small server's memory, hence INTERACTIVE. Hashes made with
 * other limits are re-hashed at the next successful login. Clear passwords are never
 * stored or logged; sessions store only BLAKE2b-256(token); tokens are 32 bytes from
 * randombytes_buf, written as 43 characters of unpadded base64url.
 *
 * Rate limiting: failed logins are counted per user name and per client key (e.g. the IP
 * address). After max_failures_user (5) failures for a name, or max_failures_client (20)
 * for a client, further attempts are refused without checking the password for
 * lockout_base_s (60 s) x 2^(failures - max), at most lockout_max_s (1 h). A successful
 * login resets the name's count (not the client's). Counts are forgotten after 24 h
 * without failures. Unknown names are counted and verified against a dummy hash, so the
 * answer and its timing do not reveal which names exist.
 */
#ifndef WIJKBEELD_COLLAB_H
#define WIJKBEELD_COLLAB_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ roles and actors */

/** Roles of accounts. WB_ROLE_ANONYMOUS is nobody logged in. */
typedef enum {
    WB_ROLE_ANONYMOUS = 0,
    WB_ROLE_ADMIN,
    WB_ROLE_PARTNER,  /**< partner editor: belongs to one partner organisation */
    WB_ROLE_RESIDENT,
    WB_ROLE_VIEWER,
    WB_ROLE__MAX
} wb_role;

/** "anonymous", "admin", "partner", "resident", "viewer"; NULL when invalid. Static. */
const char *wb_role_name(wb_role role);
/** Parse "admin", "partner", "resident" or "viewer". @return 0 or WB_EINVALID. */
int wb_role_parse(wb_role *out, const char *name);

/** Longest name recorded for an actor, with its NUL. */
#define WB_ACTOR_NAME_MAX 96

/** Who acts. Plain value; build it with wb_actor_cli, wb_auth_verify or wb_session_validate. */
typedef struct {
    int64_t user_id;                /**< the account; 0 for the command line and anonymous */
    wb_role role;
    int64_t partner_id;             /**< partner editors: their partner; otherwise 0 */
    char name[WB_ACTOR_NAME_MAX];   /**< recorded in the audit log */
} wb_actor;

/** Nobody logged in. */
#define WB_ACTOR_ANONYMOUS {0, WB_ROLE_ANONYMOUS, 0, "anonymous"}

/**
 * The command line: the admin of the local machine (whoever can write the database file
 * can change it anyway). Audit entries record "cli:<unix_user>".
 */
void wb_actor_cli(wb_actor *out, const char *unix_user);

/**
 * Act as an existing account (role and partner read from the store), e.g. for the command
 * line's `--as NAME`; @p via ("cli:root") is recorded in the audit log as "via as NAME".
 * @return 0, WB_ENOTFOUND for an unknown name, WB_EDENIED for a disabled account.
 */
int wb_actor_of_user(wb_store *st, wb_actor *out, const char *name, const char *via);

/* ================================================================ authorisation */

/** What an actor wants to do. */
typedef enum {
    WB_ACT_READ_MONITOR = 0,   /**< scores, maps, profiles */
    WB_ACT_READ_REGISTER,      /**< partners, initiatives, contributions, visible proposals */
    WB_ACT_INITIATIVE_CREATE,  /**< owner.partner_id: the lead partner */
    WB_ACT_INITIATIVE_EDIT,    /**< also milestones; owner.partner_id: the current lead */
    WB_ACT_INITIATIVE_DELETE,
    WB_ACT_CONTRIBUTION_EDIT,  /**< add, change, delete; owner.partner_id: its partner */
    WB_ACT_PROPOSAL_FILE,
    WB_ACT_PROPOSAL_SUPPORT,   /**< owner.user_id: the proposal's author */
    WB_ACT_PROPOSAL_ADOPT,     /**< owner.partner_id: lead partner of the new initiative */
    WB_ACT_PROPOSAL_DECLINE,
    WB_ACT_PROPOSAL_HIDE,      /**< moderation; also reading hidden proposals */
    WB_ACT_USER_MANAGE,
    WB_ACT_PARTNER_MANAGE,
    WB_ACT_THEME_MANAGE,
    WB_ACT_SETTINGS_MANAGE,
    WB_ACT_AUDIT_READ,
    WB_ACT_OWN_PASSWORD,       /**< owner.user_id: the account whose password changes */
    WB_ACT__MAX
} wb_action;

/** A short name, e.g. "initiative_edit". Static; NULL when invalid. */
const char *wb_action_name(wb_action act);

/** The owners of the object acted on (0 when not applicable). */
typedef struct {
    int64_t partner_id;
    int64_t user_id;
} wb_owner;

/** Site-wide settings that authorisation depends on. */
typedef struct {
    int monitor_public; /**< 1: the monitor and register are readable without an account */
} wb_policy;

/** Read the policy from the store's settings. */
int wb_policy_load(wb_store *st, wb_policy *out);

/**
 * The authorisation rules (see the table at the top of this header): pure, no store.
 * @param policy NULL: the default policy (monitor public)
 * @param owner  NULL: no owner known (owner-dependent rules then refuse partner editors)
 * @return 0 (allowed) or WB_EDENIED with a message saying why.
 */
int wb_authorize(const wb_policy *policy, const wb_actor *actor, wb_action act,
                 const wb_owner *owner);

/** wb_authorize with the policy loaded from @p st (for routes that only read). */
int wb_authorize_in(wb_store *st, const wb_actor *actor, wb_action act, const wb_owner *owner);

/* ================================================================ accounts */

/** Options of the account and session functions. Initialise with WB_AUTH_OPTS_INIT. */
typedef struct {
    int version;                  /**< 1 */
    int64_t now;                  /**< clock in unix seconds; 0: the current time */
    unsigned long long opslimit;  /**< Argon2id passes; 0: crypto_pwhash_OPSLIMIT_INTERACTIVE */
    size_t memlimit;              /**< Argon2id bytes; 0: crypto_pwhash_MEMLIMIT_INTERACTIVE */
    int max_failures_user;        /**< failed logins per user name before a lockout */
    int max_failures_client;      /**< failed logins per client key before a lockout */
    int lockout_base_s;           /**< first lockout; doubles with each further failure */
    int lockout_max_s;            /**< longest lockout */
    int session_ttl_s;            /**< absolute session lifetime */
    int session_idle_s;           /**< a session unused this long has expired */
    int touch;                    /**< 1: validation records last use (needs a writable store) */
    size_t min_password;          /**< shortest password in characters */
} wb_auth_opts;

#define WB_AUTH_OPTS_INIT {1, 0, 0, 0, 5, 20, 60, 3600, 12 * 3600, 2 * 3600, 1, 10}

/** Longest password accepted, in bytes. */
#define WB_PASSWORD_MAX 1024

/** An account as listed (never with its hash). */
typedef struct {
    int64_t id;
    char *name;
    wb_role role;
    int64_t partner_id;  /**< 0 unless a partner editor */
    char *partner;       /**< the partner's name, or NULL */
    char *created;       /**< ISO 8601 UTC */
    int disabled;
} wb_user;

/**
 * Add an account. Names: 1-64 characters of letters, digits and ". _ - @". Passwords: at
 * least opts->min_password characters, at most WB_PASSWORD_MAX bytes, valid UTF-8, not
 * equal to the name. A partner editor needs @p partner_id; other roles must pass 0.
 * Needs WB_ACT_USER_MANAGE. Audited (without the hash).
 * @param id OUT: the new account's id (may be NULL)
 * @return 0, WB_EDENIED, WB_EINVALID (message names the field), WB_ECONFLICT (name taken).
 */
int wb_auth_user_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name,
                     wb_role role, int64_t partner_id, const char *password,
                     const wb_auth_opts *opts);

/**
 * Set a new password (the admin for anyone, or a user for their own account; a web route
 * should verify the old password first). Ends every session of the account.
 */
int wb_auth_user_passwd(wb_store *st, const wb_actor *actor, const char *name,
                        const char *password, const wb_auth_opts *opts);

/** Disable (1) or enable (0) an account; disabling ends its sessions. WB_ACT_USER_MANAGE. */
int wb_auth_user_disable(wb_store *st, const wb_actor *actor, const char *name, int disabled);

/** List accounts by name. WB_ACT_USER_MANAGE. Free with wb_users_free. */
int wb_auth_user_list(wb_store *st, const wb_actor *actor, wb_user **out, size_t *n);

/** Free an array of accounts. Accepts NULL. */
void wb_users_free(wb_user *users, size_t n);

/**
 * Check a user name and password, with rate limiting (see the top of this header).
 * @param out        OUT: the actor on success
 * @param client_key who is asking (an IP address), or NULL
 * @return 0; WB_EDENIED "wrong user name or password" (also for unknown and disabled
 *         accounts) or "too many failed login attempts: try again in N s".
 */
int wb_auth_verify(wb_store *st, wb_actor *out, const char *name, const char *password,
                   const char *client_key, const wb_auth_opts *opts);

/** Forget old failed-login counts and expired sessions. @param purged OUT: rows removed. */
int wb_auth_purge(wb_store *st, const wb_auth_opts *opts, size_t *purged);

/** Longest generated password (20 base64url characters) with its NUL, rounded up. */
#define WB_GENERATED_PASSWORD_MAX 32

/**
 * First start of a server on a store without an admin: when no enabled admin account
 * exists, create one named "admin" (or "admin2", "admin3" ... when that name is taken)
 * with a random password of 20 base64url characters (120 bits from randombytes_buf),
 * returned once in @p password and never stored in clear. There is no fixed default.
 * Checked and created in one write transaction, so two servers starting at once create at
 * most one. Audited as @p actor (the command line: wb_actor_cli).
 * @param created  OUT: 1 when an account was made, 0 when an enabled admin exists
 * @param name     OUT: the new account's name ("" when none was made)
 * @param password OUT: its password ("" when none was made); wipe it after showing it
 * @return 0 or an error (the store is unchanged then).
 */
int wb_auth_ensure_admin(wb_store *st, int *created, char name[64],
                         char password[WB_GENERATED_PASSWORD_MAX], const wb_actor *actor,
                         const wb_auth_opts *opts);

/* ================================================================ sessions and CSRF */

/** Size of a token buffer: 43 characters of base64url and a NUL, rounded up. */
#define WB_TOKEN_MAX 48

/** A valid session. */
typedef struct {
    wb_actor actor;
    int64_t created, expires, last_seen;  /**< unix seconds */
    char csrf[WB_TOKEN_MAX];              /**< the CSRF token of this session */
} wb_session;

/**
 * Start a session for an actor with an account (from wb_auth_verify).
 * @param token OUT: the raw session token: give it to the client (cookie) and forget it;
 *              only its hash is stored
 * @param out   OUT: the session, with its CSRF token (may be NULL)
 */
int wb_session_create(wb_store *st, char token[WB_TOKEN_MAX], wb_session *out,
                      const wb_actor *actor, const wb_auth_opts *opts);

/** wb_auth_verify followed by wb_session_create: what POST /api/login does. */
int wb_auth_login(wb_store *st, char token[WB_TOKEN_MAX], wb_session *out, const char *name,
                  const char *password, const char *client_key, const wb_auth_opts *opts);

/**
 * Look up a session by its raw token. Expired (absolute lifetime or idle time), unknown,
 * malformed tokens and disabled accounts give WB_EDENIED. The role and partner come from
 * the account as it is now.
 */
int wb_session_validate(wb_store *st, wb_session *out, const char *token,
                        const wb_auth_opts *opts);

/** End a session (logout). Unknown tokens are fine. */
int wb_session_logout(wb_store *st, const char *token);

/**
 * Check the CSRF token sent with a state-changing request (header X-CSRF-Token) against
 * the session's, in constant time. @return 0 or WB_EDENIED (missing or wrong token).
 */
int wb_csrf_check(const wb_session *session, const char *sent);

/* ================================================================ settings and audit */

/** Set a setting. Known keys: "monitor_public" ("0" or "1"). WB_ACT_SETTINGS_MANAGE. */
int wb_setting_set(wb_store *st, const wb_actor *actor, const char *key, const char *value);

/** One entry of the audit log. */
typedef struct {
    int64_t id;
    char *at;          /**< ISO 8601 UTC with milliseconds */
    int64_t user_id;   /**< 0 for the command line */
    char *actor;
    char *action;      /**< create, update, delete, support, adopt, decline, hide, passwd ... */
    char *entity;      /**< partner, user, theme, initiative, milestone, contribution ... */
    int64_t entity_id;
    char *before;      /**< JSON object, or NULL */
    char *after;       /**< JSON object, or NULL */
} wb_audit_entry;

/**
 * Newest entries first. WB_ACT_AUDIT_READ.
 * @param entity NULL: all; @param entity_id 0: all; @param limit 0: all
 */
int wb_audit_list(wb_store *st, const wb_actor *actor, wb_audit_entry **out, size_t *n,
                  const char *entity, int64_t entity_id, size_t limit);
void wb_audit_free(wb_audit_entry *e, size_t n);

/* ================================================================ partners and themes */

/** A partner organisation. */
typedef struct {
    int64_t id;
    char *name;
    char *type;     /**< gemeente, woningcorporatie, zorg en welzijn, politie, onderwijs,
                         bewonersorganisatie, ondernemers, overig */
    char *contact;  /**< may be NULL */
} wb_partner;

/** Add a partner. WB_ACT_PARTNER_MANAGE. WB_ECONFLICT when the name exists. */
int wb_partner_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name,
                   const char *type, const char *contact);
/** Change a partner's name, type and contact (by p->id). WB_ACT_PARTNER_MANAGE. */
int wb_partner_update(wb_store *st, const wb_actor *actor, const wb_partner *p);
/** Partners by name. WB_ACT_READ_REGISTER. Free with wb_partners_free. */
int wb_partner_list(wb_store *st, const wb_actor *actor, wb_partner **out, size_t *n);
void wb_partners_free(wb_partner *p, size_t n);
/** A partner by id (digits) or name (any case). @return 0 or WB_ENOTFOUND. */
int wb_partner_find(wb_store *st, int64_t *id, const char *ref);

/** Add a theme to the list. WB_ACT_THEME_MANAGE. */
int wb_theme_add(wb_store *st, int64_t *id, const wb_actor *actor, const char *name);
/** Theme names in order of creation. Free with wb_strings_free. */
int wb_theme_list(wb_store *st, char ***out, size_t *n);
/** Free an array of strings. Accepts NULL. */
void wb_strings_free(char **s, size_t n);

/* ================================================================ initiatives */

/** Statuses of an initiative, in order. */
#define WB_INITIATIVE_STATUSES "idee, gepland, lopend, afgerond, gestopt"

/** An indicator or score dimension an initiative aims to move. */
typedef struct {
    char indicator[64];  /**< a key of the catalogue or of the shared vocabulary (lbm_onv ...) */
    int direction;       /**< +1: up, -1: down */
} wb_initiative_target;

/** A milestone (result along the way), as in Decidim's accountability module. */
typedef struct {
    int64_t id;
    int64_t initiative_id;
    char *title;
    char *due;        /**< YYYY-MM-DD or NULL */
    int progress;     /**< 0..100 per cent */
    char *note;       /**< may be NULL */
} wb_milestone;

/** A contribution of a partner to an initiative over a period. */
typedef struct {
    int64_t id;
    int64_t initiative_id;
    int64_t partner_id;
    char *partner;    /**< output: the partner's name */
    char *kind;       /**< money_eur (euros), hours, in_kind (estimated value in euros) */
    double amount;    /**< >= 0, over the whole period */
    char *start;      /**< YYYY-MM-DD, required */
    char *end;        /**< YYYY-MM-DD, required, >= start */
    char *note;       /**< may be NULL */
} wb_contribution;

/**
 * An initiative. As input (add/update) fill the fields marked "in"; strings are copied.
 * As output every field is filled and owned by the structure (wb_initiative_free).
 */
typedef struct {
    int64_t id;                /**< in for update */
    char *title;               /**< in, 1-200 characters */
    char *description;         /**< in, up to 10000 characters, may be NULL */
    char *status;              /**< in, NULL: "idee" */
    char *start, *end;         /**< in, YYYY-MM-DD or NULL (open); end >= start */
    int64_t lead_partner_id;   /**< in */
    char *lead_partner;        /**< out: the lead partner's name */
    int64_t proposal_id;       /**< out: the resident proposal it came from, or 0 */
    char **themes;             /**< in: theme names */
    size_t nthemes;
    int area_year;             /**< in: boundary year of the areas (required with areas) */
    char **areas;              /**< in: area codes (buurt, wijk or gemeente) of area_year */
    size_t nareas;
    wb_initiative_target *targets;  /**< in */
    size_t ntargets;
    wb_milestone *milestones;       /**< out (wb_initiative_get only) */
    size_t nmilestones;
    wb_contribution *contributions; /**< out (wb_initiative_get only) */
    size_t ncontributions;
    char *created, *updated;        /**< out: ISO 8601 UTC */
} wb_initiative;

/**
 * Add an initiative. Validation (WB_EINVALID, message "field 'X': ..."): title length,
 * status, dates and end >= start, lead partner, themes, area codes of area_year, targets.
 * Needs WB_ACT_INITIATIVE_CREATE for the lead partner. Audited.
 */
int wb_initiative_add(wb_store *st, int64_t *id, const wb_actor *actor, const wb_initiative *in);

/**
 * Replace an initiative's fields, themes, areas and targets by those of @p in (by in->id).
 * Needs WB_ACT_INITIATIVE_EDIT for the current lead and, when the lead changes,
 * WB_ACT_INITIATIVE_CREATE for the new one.
 */
int wb_initiative_update(wb_store *st, const wb_actor *actor, const wb_initiative *in);

/** Delete an initiative with its milestones and contributions. WB_ACT_INITIATIVE_DELETE. */
int wb_initiative_delete(wb_store *st, const wb_actor *actor, int64_t id);

/** One initiative with milestones and contributions. WB_ACT_READ_REGISTER. */
int wb_initiative_get(wb_store *st, const wb_actor *actor, wb_initiative **out, int64_t id);

/** Filter of wb_initiative_list; fields at their WB_INITIATIVE_QUERY_INIT value do not filter. */
typedef struct {
    const char *theme;    /**< theme name */
    int64_t partner_id;   /**< lead or contributing partner */
    const char *status;
    const char *area;     /**< area code (with area_year when given) */
    int area_year;
} wb_initiative_query;

#define WB_INITIATIVE_QUERY_INIT {NULL, 0, NULL, NULL, 0}

/** Initiatives by id (without milestones/contributions). WB_ACT_READ_REGISTER. */
int wb_initiative_list(wb_store *st, const wb_actor *actor, wb_initiative **out, size_t *n,
                       const wb_initiative_query *q);

/** Free one initiative from wb_initiative_get. Accepts NULL. */
void wb_initiative_free(wb_initiative *in);
/** Free an array from wb_initiative_list. Accepts NULL. */
void wb_initiatives_free(wb_initiative *in, size_t n);

/** Add a milestone (progress 0..100). WB_ACT_INITIATIVE_EDIT of its initiative. */
int wb_milestone_add(wb_store *st, int64_t *id, const wb_actor *actor, const wb_milestone *m);
/** Change a milestone's title, due date, progress and note (by m->id). */
int wb_milestone_update(wb_store *st, const wb_actor *actor, const wb_milestone *m);

/** Add a contribution. WB_ACT_CONTRIBUTION_EDIT for its partner. */
int wb_contribution_add(wb_store *st, int64_t *id, const wb_actor *actor,
                        const wb_contribution *c);
/** Change a contribution (by c->id); the partner may not change (delete and add). */
int wb_contribution_update(wb_store *st, const wb_actor *actor, const wb_contribution *c);
/** Delete a contribution. */
int wb_contribution_delete(wb_store *st, const wb_actor *actor, int64_t id);
/**
 * Contributions, by initiative then start. WB_ACT_READ_REGISTER.
 * @param initiative_id 0: all; @param partner_id 0: all. Free with wb_contributions_free.
 */
int wb_contribution_list(wb_store *st, const wb_actor *actor, wb_contribution **out, size_t *n,
                         int64_t initiative_id, int64_t partner_id);
void wb_contributions_free(wb_contribution *c, size_t n);

/** Result of a bulk import. */
typedef struct {
    size_t added;     /**< new initiatives */
    size_t updated;   /**< rows with an id that replaced an initiative */
    char *ignored;    /**< comma-separated unknown column names that were ignored, or NULL */
} wb_import_result;

/**
 * Import initiatives from a municipality's spreadsheet saved as CSV (UTF-8, optional BOM,
 * ',' or ';' separated, detected from the header line; quotes as RFC 4180). Columns
 * (header names in any case; Dutch names in brackets):
 *   title (titel)              required
 *   lead (trekker, penvoerder) required: partner name or id
 *   description (omschrijving), status (default idee), start (begin), end (eind, einde):
 *       dates YYYY-MM-DD or DD-MM-YYYY
 *   themes (thema, thema's, themas): names separated by ';' '|' or ','
 *   areas (gebieden, buurten, wijken) and area_year (jaar, gebiedsjaar): codes of that
 *       boundary year separated by ';' '|' ',' or spaces
 *   targets (doelen): KEY:up or KEY:down, separated like themes
 *   id: empty for a new initiative, or the id of one to replace (round trip of export)
 *   proposal_id, lead_partner_id, created, updated: written by export, ignored on import.
 * Any other column is ignored and reported in result->ignored. Every row is validated;
 * the first error ("FILE:LINE: field 'X': ...") aborts the import and nothing is stored.
 * Each row needs WB_ACT_INITIATIVE_CREATE/EDIT and is audited.
 * @param result OUT: counts (free ignored with wb_free); may be NULL
 */
int wb_initiative_import_csv(wb_store *st, const wb_actor *actor, const char *path,
                             wb_import_result *result);

/* ================================================================ coalitions */

/** The coalition of one initiative in one calendar year. */
typedef struct {
    int64_t initiative_id;
    char *title;
    int year;
    char *partners;   /**< names of contributing partners, sorted, joined by ", " ("" none) */
    size_t npartners;
    char *joined;     /**< partners not in the previous year's coalition ("" none) */
    char *left;       /**< partners of the previous year that are no longer in it */
    double money_eur, hours, in_kind_eur; /**< contributions pro rata to the days in the year */
} wb_coalition_year;

/**
 * Year-by-year coalitions: for each initiative with contributions, each year from the
 * first contribution's start to the last one's end. A partner is in the coalition of a
 * year when one of its contributions overlaps that year; amounts are spread evenly over
 * the days of the contribution's period. WB_ACT_READ_REGISTER.
 * @param initiative_id 0: all. Free with wb_coalitions_free.
 */
int wb_coalitions_by_year(wb_store *st, const wb_actor *actor, wb_coalition_year **out,
                          size_t *n, int64_t initiative_id);
void wb_coalitions_free(wb_coalition_year *c, size_t n);

/**
 * The coalition at one moment: partners with a contribution whose period contains @p date
 * (YYYY-MM-DD), sorted, joined by ", ". Caller frees *out with wb_free.
 */
int wb_coalition_at(wb_store *st, const wb_actor *actor, char **out, int64_t initiative_id,
                    const char *date);

/** Partners x areas x themes: one cell. */
typedef struct {
    int64_t partner_id;
    char *partner;
    char code[WB_CODE_MAX];
    int area_year;
    char *theme;
    size_t initiatives; /**< initiatives here where the partner leads or contributes */
    double money_eur, hours, in_kind_eur; /**< the partner's contributions to them (year: pro rata) */
} wb_collab_cell;

/**
 * Who works where on what. An initiative with several areas and themes counts fully in
 * each cell, so cells do not add up to totals. WB_ACT_READ_REGISTER.
 * @param year 0: all time; otherwise initiatives whose period overlaps the year, the lead
 *             and the partners contributing in that year, amounts pro rata to the year.
 */
int wb_collab_matrix(wb_store *st, const wb_actor *actor, wb_collab_cell **out, size_t *n,
                     int year);
void wb_collab_cells_free(wb_collab_cell *c, size_t n);

/* ================================================================ proposals */

/** A resident proposal. */
typedef struct {
    int64_t id;
    int64_t user_id;       /**< out: the author (0 and NULL author unless the reader is the
                                admin or the author: residents' names are personal data) */
    char *author;          /**< out */
    char *area;            /**< in: buurt or wijk code */
    int area_year;         /**< in: its boundary year */
    char *title;           /**< in, 1-200 characters */
    char *text;            /**< in, 1-5000 characters */
    char *theme;           /**< in */
    double est_cost_eur;   /**< in, >= 0; NaN: none */
    char *status;          /**< out: open, adopted, declined, hidden */
    char *decline_reason;  /**< out */
    int64_t initiative_id; /**< out: when adopted */
    long supports;         /**< out: number of supporters */
    int supported;         /**< out: 1 when the reader supports it */
    char *created;         /**< out */
} wb_proposal;

/** File a proposal; the author is the actor's account. WB_ACT_PROPOSAL_FILE. */
int wb_proposal_add(wb_store *st, int64_t *id, const wb_actor *actor, const wb_proposal *p);
/**
 * Support a proposal: once per person (again: WB_EDENIED), not one's own, only while
 * open (otherwise WB_ECONFLICT). WB_ACT_PROPOSAL_SUPPORT.
 */
int wb_proposal_support(wb_store *st, const wb_actor *actor, int64_t id);
/**
 * Adopt an open proposal: creates an initiative (title, text as description, theme, area,
 * @p status or "gepland") led by @p lead_partner_id (0: the actor's own partner) that
 * remembers the proposal. WB_ACT_PROPOSAL_ADOPT.
 * @param initiative_id OUT: the new initiative (may be NULL)
 */
int wb_proposal_adopt(wb_store *st, int64_t *initiative_id, const wb_actor *actor, int64_t id,
                      int64_t lead_partner_id, const char *status);
/** Decline an open proposal with a reason (1-2000 characters). WB_ACT_PROPOSAL_DECLINE. */
int wb_proposal_decline(wb_store *st, const wb_actor *actor, int64_t id, const char *reason);
/** Hide a proposal that is not adopted (moderation). WB_ACT_PROPOSAL_HIDE. */
int wb_proposal_hide(wb_store *st, const wb_actor *actor, int64_t id);
/** One proposal; hidden ones are WB_ENOTFOUND unless the actor may hide. */
int wb_proposal_get(wb_store *st, const wb_actor *actor, wb_proposal **out, int64_t id);

/** Filter of wb_proposal_list. */
typedef struct {
    const char *status;  /**< NULL: all the actor may see */
    const char *area;    /**< area code, or NULL */
    int area_year;       /**< 0: any */
    const char *theme;   /**< or NULL */
} wb_proposal_query;

#define WB_PROPOSAL_QUERY_INIT {NULL, NULL, 0, NULL}

/** Proposals by id; hidden ones only for actors that may hide. WB_ACT_READ_REGISTER. */
int wb_proposal_list(wb_store *st, const wb_actor *actor, wb_proposal **out, size_t *n,
                     const wb_proposal_query *q);
void wb_proposal_free(wb_proposal *p);
void wb_proposals_free(wb_proposal *p, size_t n);

/* ================================================================ demo */

/** An account created by wb_collab_demo, with its random password (print it once). */
typedef struct {
    char name[64];
    wb_role role;
    char password[32];  /**< 20 random base64url characters; not stored anywhere */
} wb_demo_account;

/** What wb_collab_demo planted, for issue 7's gaps and overlaps. */
typedef struct {
    size_t partners, initiatives, contributions, proposals, supports;
    wb_demo_account accounts[8];
    size_t naccounts;
    char gap_area[WB_CODE_MAX];  /**< buurt without any initiative: of the buurten whose lbm
                                      fell since 2012 (or the first data year), the lowest */
    char gap_dimension[64];      /**< its weakest lbm dimension, or "" without lbm data */
    int gap_from_scores;         /**< 1: chosen by its lbm scores; 0: no scores, chosen by code */
    char overlap_area[WB_CODE_MAX]; /**< buurt of the two overlapping initiatives */
    int64_t overlap[2];          /**< two initiatives, different lead partners, same theme,
                                      same buurt, overlapping periods */
    char overlap_theme[64];
} wb_collab_demo_result;

/**
 * Fill a store that has a gemeente and its buurten with demo partners, accounts (random
 * passwords returned in @p out), initiatives 2019-2026 with changing coalitions,
 * milestones, and resident proposals with supports. Runs in one transaction; refuses a
 * store that already has partners (WB_ECONFLICT).
 * @param gemeente  e.g. "GM0363"; @param year boundary year of its buurten (0: latest)
 * @param hash_opts hashing cost of the demo accounts (NULL: defaults)
 * @return 0; WB_ENOTFOUND when the gemeente has fewer than 4 buurten in that year.
 */
int wb_collab_demo(wb_store *st, wb_collab_demo_result *out, const char *gemeente, int year,
                   const wb_auth_opts *hash_opts);

/* ================================================================ output helper */

/**
 * Escape text for HTML element content and quoted attribute values: & < > " ' become
 * &amp; &lt; &gt; &quot; &#39;. Stored text is kept verbatim; escaping is the output
 * layer's job. @return a new string (wb_free) or NULL when out of memory.
 */
char *wb_html_escape(const char *s);

/** Append the escaped text to @p out. @return 0 or WB_ENOMEM. */
int wb_html_escape_str(wb_str *out, const char *s);

#ifdef __cplusplus
}
#endif
#endif
