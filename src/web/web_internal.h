/**
 * @file
 * @brief Library-internal pieces of the HTTP server: the route table and its typed
 * parameters, requests and responses, the per-thread store connections, shared caches.
 *
 * Adding a route: write a handler `static int h_x(wb_req *req, wb_resp *resp)` and add one
 * line to the table in routes_api.c declaring its method, path pattern and parameters.
 * The router has parsed and validated every parameter before the handler runs, so handlers
 * read typed values (wb_req_int, wb_req_text, ...) and never see raw strings.
 *
 * Accounts (issue 6) plug in through the route's `auth` and `flags` fields: the dispatcher
 * reads the session cookie, checks `auth` (who may call the route) and, for state-changing
 * routes, the origin and the X-CSRF-Token header before the handler runs. Routes with
 * WB_ROUTE_WRITE run on a writable store connection inside one write transaction that is
 * rolled back when the handler fails, so a refused or invalid request changes nothing.
 * Handlers act as req->actor; the library (wijkbeeld/collab.h) decides what that actor may
 * do, so routes stay thin: parse, call one library function, write JSON.
 */
#ifndef WB_WEB_INTERNAL_H
#define WB_WEB_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "web/json.h"
#include "wijkbeeld/collab.h"
#include "wijkbeeld/core.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/score.h"
#include "wijkbeeld/store.h"
#include "wijkbeeld/web.h"

/* ---------------------------------------------------------------- parameters */

typedef enum {
    WB_PARAM_INT,       /**< whole number in [min, max] */
    WB_PARAM_YEAR,      /**< a year 1900..2100 */
    WB_PARAM_LEVEL,     /**< gemeente, wijk, buurt, land (any accepted by wb_level_parse) */
    WB_PARAM_INDICATOR, /**< an indicator key or alias: [A-Za-z][A-Za-z0-9_]{0,62} */
    WB_PARAM_CODE,      /**< an area code, normalised by wb_code_normalize */
    WB_PARAM_ENUM,      /**< one of choices[] (exact); the value is the index */
    WB_PARAM_KEYLIST,   /**< 1..max comma-separated indicator keys; i = their number */
    WB_PARAM_NAME,      /**< a name (label set): 1..max bytes of UTF-8 text without controls */
    WB_PARAM__MAX
} wb_param_kind;

enum {
    WB_P_REQUIRED = 1, /**< 400 when absent */
    WB_P_PATH = 2      /**< taken from a {name} segment of the path, not the query */
};

/** A declared parameter. */
typedef struct {
    const char *name;
    wb_param_kind kind;
    unsigned flags;
    long min, max;              /**< WB_PARAM_INT range; KEYLIST: max = most keys */
    const char *const *choices; /**< WB_PARAM_ENUM: NULL-terminated */
} wb_param_def;

#define WB_MAX_PARAMS 16

/** A parsed parameter value. */
typedef struct {
    int present;
    long i;          /**< INT, YEAR; ENUM: index into choices */
    wb_level level;  /**< LEVEL; CODE: the level implied by the code */
    char text[256];  /**< CODE (normalised), INDICATOR and KEYLIST (as given), ENUM (the choice) */
} wb_param_val;

/* ---------------------------------------------------------------- routes */

typedef struct wb_req wb_req;
typedef struct wb_resp wb_resp;

/** A handler returns 0 or a negative wb_error_code (mapped to a status by the server). */
typedef int (*wb_handler)(wb_req *req, wb_resp *resp);

enum {
    WB_ROUTE_WRITE = 1,     /**< changes state: a writable connection, one transaction
                                 (committed when the handler returns 0, else rolled back) */
    WB_ROUTE_CSRF = 2,      /**< needs a session (else 401) and its X-CSRF-Token (else 403) */
    WB_ROUTE_BODY_JSON = 4, /**< takes an application/json body, parsed into req->json (an
                                 object; no body is {}) */
    WB_ROUTE_OWN_TX = 8     /**< with WRITE: no request transaction; the library calls commit
                                 on their own (login: a failed attempt must stay recorded) */
};

/** Who may call a route (checked before the handler; the library checks again). */
enum {
    WB_AUTH_PUBLIC = 0,   /**< anyone (login, logout, /api/me) */
    WB_AUTH_MONITOR,      /**< WB_ACT_READ_MONITOR: anyone while the monitor is public */
    WB_AUTH_REGISTER,     /**< WB_ACT_READ_REGISTER: likewise for the register */
    WB_AUTH_LOGIN         /**< any logged-in account (401 otherwise) */
};

/** Name of the session cookie. */
#define WB_SESSION_COOKIE "wb_session"

typedef struct {
    const char *method;    /**< "GET", "POST", ... (HEAD is served by GET routes) */
    const char *pattern;   /**< "/api/areas/{code}": literal segments and {param} segments */
    wb_handler fn;
    unsigned flags;        /**< WB_ROUTE_* */
    int auth;              /**< WB_AUTH_* */
    wb_param_def params[WB_MAX_PARAMS]; /**< terminated by an entry with name NULL */
} wb_route;

extern const wb_route wb_web__routes[];
extern const size_t wb_web__nroutes;

/* ---------------------------------------------------------------- store connections */

/** One store connection (the store keeps its statements prepared); used by one request at a
 *  time. */
typedef struct {
    wb_store *st;
} wb_webdb;

/* ---------------------------------------------------------------- shared blobs */

/**
 * An immutable response body shared between requests (a cached GeoJSON layer), with its
 * gzip form and ETag computed once. Reference counted: wb_blob__unref frees it.
 */
typedef struct {
    atomic_int refs;
    unsigned char *data;
    size_t len;
    unsigned char *gz; /**< NULL when not worth compressing */
    size_t gzlen;
    char etag[40];     /**< quoted strong ETag of data */
    char type[64];     /**< Content-Type */
    int aux;           /**< a number the producer keeps with it (values: the boundary year) */
} wb_blob;

/** Make a blob from a buffer (takes ownership of @p data, allocated with wb_malloc). */
int wb_blob__new(wb_blob **out, unsigned char *data, size_t len, const char *type);
void wb_blob__ref(wb_blob *b);
void wb_blob__unref(wb_blob *b);

/* ---------------------------------------------------------------- requests and responses */

struct wb_req {
    wb_server *srv;
    const wb_route *route;
    const char *method;
    wb_webdb *db;            /**< the store of this request (NULL for static files) */
    wb_param_val p[WB_MAX_PARAMS];
    const char *body;        /**< request body (routes with WB_ROUTE_BODY_JSON), or NULL */
    size_t body_len;
    json_t *json;            /**< the parsed body (routes with WB_ROUTE_BODY_JSON), an object */
    /* who asks (issue 6) */
    const char *token;       /**< raw session token from the cookie, or NULL; never logged */
    int logged_in;           /**< 1 when the token names a valid session */
    wb_session sess;         /**< that session (with its CSRF token) when logged_in */
    wb_actor actor;          /**< sess.actor, or WB_ACTOR_ANONYMOUS */
    char session_error[128]; /**< why a sent token was refused (expired ...), or "" */
    char client[64];         /**< client key for login rate limiting: the peer address, or
                                  X-Forwarded-For from the trusted proxy */
    int https;               /**< served over HTTPS: cookies get the Secure flag */
    const char *host;        /**< the Host header as sent, or NULL (links of the OGC API) */
    wb_auth_opts auth;       /**< the server's account options with its clock */
};

struct wb_resp {
    int status;              /**< 0: 200 */
    wb_str body;
    const char *type;        /**< Content-Type; default application/json */
    wb_blob *blob;           /**< instead of body: a shared body (reference owned by resp) */
    const char *error_param; /**< for 400: the offending parameter (points to param_buf) */
    char param_buf[64];      /**< storage for error_param (valid UTF-8, cut to 63 bytes) */
    char filename[96];       /**< Content-Disposition: attachment; filename=... when set */
    char allow[64];          /**< Allow header (405) */
    char boundary_year[8];   /**< X-Boundary-Year header when set */
    const char *cache;       /**< X-Cache header when set: "hit" or "miss" (cached results) */
    char set_cookie[256];    /**< Set-Cookie header when set */
    long retry_after;        /**< Retry-After header (seconds) when > 0 */
    const char *error_field; /**< for 400 on a body: the offending field ("field" member) */
    char field_buf[64];      /**< storage for error_field */
    int no_store;            /**< Cache-Control: no-store (register and account answers) */
    int private_cache;       /**< Cache-Control: private (answers to a logged-in request) */
};

/** The value of declared parameter @p name (asserts that the route declares it). */
const wb_param_val *wb_req_param(const wb_req *req, const char *name);
/** Shorthands: present? and typed values (0 / "" when absent). */
int wb_req_has(const wb_req *req, const char *name);
long wb_req_int(const wb_req *req, const char *name);
const char *wb_req_text(const wb_req *req, const char *name);
wb_level wb_req_level(const wb_req *req, const char *name);

/** Set an error body {"error": msg, "param": param} with @p status. @return WB_EINVALID etc. */
void wb_resp_error(wb_resp *resp, int status, const char *param, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/**
 * Set an error body {"error": msg, "field": field} for a field of a JSON request body (400)
 * or a library message naming one ("field 'end': ..."; @p field NULL: taken from it).
 */
void wb_resp_error_field(wb_resp *resp, int status, const char *field, const char *msg);

/* ---------------------------------------------------------------- router (router.c) */

typedef enum {
    WB_MATCH_OK,
    WB_MATCH_NOTFOUND,  /**< no route has this path */
    WB_MATCH_METHOD,    /**< a route has this path, but not this method (allow[] filled) */
    WB_MATCH_BADPARAM   /**< a parameter failed validation (resp filled with 400) */
} wb_match;

/**
 * Find the route of (method, raw path, raw query) and validate every parameter into
 * req->p. Raw means as sent: percent-encoded. Unknown, duplicate or malformed parameters
 * give WB_MATCH_BADPARAM with a 400 body in @p resp.
 */
wb_match wb_web__route(wb_req *req, wb_resp *resp, const char *method, const char *path,
                       size_t path_len, const char *query);

/**
 * Strict percent-decoding of one path segment or query component: "%XX" with two hex digits
 * (else -1), '+' becomes a space when @p plus. A decoded NUL is refused (-1).
 * @return the decoded length, or -1.
 */
long wb_web__unescape(char *out, size_t cap, const char *in, size_t len, int plus);

/* ---------------------------------------------------------------- static files (static.c) */

/**
 * Serve a file under @p root_real (a realpath) for the raw request path: decoded segment by
 * segment; "." / ".." segments, hidden names, encoded slashes or backslashes and NULs are
 * refused with 400, symlinks leading outside the root and non-regular files with 404.
 * Fills resp->body and type; returns the status.
 */
int wb_web__static(wb_resp *resp, const char *root_real, const char *path, size_t path_len);

/* ---------------------------------------------------------------- caches (server.c) */

/**
 * A token that changes whenever the store file changes (size and mtime of the file and its
 * WAL): cached results computed from the store are reused only under the same token.
 */
uint64_t wb_web__generation(wb_server *srv);

/** The models directory (a realpath), or NULL when the server has none. */
const char *wb_web__models_dir(const wb_server *srv);

/** Look up a cached blob by key under the current generation; a new reference or NULL. */
wb_blob *wb_web__cache_get(wb_server *srv, const char *key, uint64_t gen);
/** Remember a blob (the cache takes its own reference). */
void wb_web__cache_put(wb_server *srv, const char *key, uint64_t gen, wb_blob *b);

/**
 * Compute the expensive cached responses (the indicator catalogue with its coverage) so that
 * the first visitor does not wait for them. Run by the server's warm-up thread at start.
 */
int wb_web__warm(wb_server *srv, wb_webdb *db);

/* ---------------------------------------------------------------- accounts (server.c) */

/** Set the session cookie (or clear it with @p token NULL) on @p resp: HttpOnly,
 *  SameSite=Strict, Path=/, Max-Age, and Secure when the request came over HTTPS. */
void wb_web__cookie(const wb_req *req, wb_resp *resp, const char *token, long max_age);

/* ---------------------------------------------------------------- the register (routes_collab.c) */

int wb_web__h_login(wb_req *req, wb_resp *resp);
int wb_web__h_logout(wb_req *req, wb_resp *resp);
int wb_web__h_me(wb_req *req, wb_resp *resp);
int wb_web__h_password(wb_req *req, wb_resp *resp);
int wb_web__h_initiatives(wb_req *req, wb_resp *resp);
int wb_web__h_initiative_add(wb_req *req, wb_resp *resp);
int wb_web__h_initiative_get(wb_req *req, wb_resp *resp);
int wb_web__h_initiative_put(wb_req *req, wb_resp *resp);
int wb_web__h_initiative_delete(wb_req *req, wb_resp *resp);
int wb_web__h_milestones(wb_req *req, wb_resp *resp);
int wb_web__h_milestone_add(wb_req *req, wb_resp *resp);
int wb_web__h_milestone_put(wb_req *req, wb_resp *resp);
int wb_web__h_contributions(wb_req *req, wb_resp *resp);
int wb_web__h_contribution_add(wb_req *req, wb_resp *resp);
int wb_web__h_contribution_put(wb_req *req, wb_resp *resp);
int wb_web__h_contribution_delete(wb_req *req, wb_resp *resp);
int wb_web__h_initiative_coalitions(wb_req *req, wb_resp *resp);
int wb_web__h_partners(wb_req *req, wb_resp *resp);
int wb_web__h_partner_get(wb_req *req, wb_resp *resp);
int wb_web__h_partner_add(wb_req *req, wb_resp *resp);
int wb_web__h_partner_put(wb_req *req, wb_resp *resp);
int wb_web__h_themes(wb_req *req, wb_resp *resp);
int wb_web__h_theme_add(wb_req *req, wb_resp *resp);
int wb_web__h_proposals(wb_req *req, wb_resp *resp);
int wb_web__h_proposal_add(wb_req *req, wb_resp *resp);
int wb_web__h_proposal_get(wb_req *req, wb_resp *resp);
int wb_web__h_proposal_support(wb_req *req, wb_resp *resp);
int wb_web__h_proposal_adopt(wb_req *req, wb_resp *resp);
int wb_web__h_proposal_decline(wb_req *req, wb_resp *resp);
int wb_web__h_proposal_hide(wb_req *req, wb_resp *resp);
int wb_web__h_coalitions(wb_req *req, wb_resp *resp);
int wb_web__h_matrix(wb_req *req, wb_resp *resp);
int wb_web__h_area_register(wb_req *req, wb_resp *resp);
int wb_web__h_users(wb_req *req, wb_resp *resp);
int wb_web__h_user_add(wb_req *req, wb_resp *resp);
int wb_web__h_user_disable(wb_req *req, wb_resp *resp);
int wb_web__h_settings_put(wb_req *req, wb_resp *resp);
int wb_web__h_audit(wb_req *req, wb_resp *resp);

/**
 * Parse a JSON request body into req->json with the dispatcher's rules: no body is {}, else
 * one JSON object, valid UTF-8, no duplicate keys, no NUL in strings. 0, or -1 with a 400
 * (500: out of memory) in @p resp and req->json NULL. The caller json_decref()s req->json.
 */
int wb_web__body_json(wb_req *req, wb_resp *resp, const char *body, size_t len);

/* INTERNAL, for the fuzz target fuzz/json_body.c only (the server does not call it): the
 * body of a collab write route through the code its handler runs before the store. */
typedef enum {
    WB_WEB_BODY_LOGIN,            /**< POST /api/login */
    WB_WEB_BODY_INITIATIVE,       /**< POST /api/initiatives */
    WB_WEB_BODY_INITIATIVE_PATCH, /**< PUT /api/initiatives/{id} (over a base initiative) */
    WB_WEB_BODY_PROPOSAL,         /**< POST /api/proposals */
    WB_WEB_BODY__MAX
} wb_web_body_kind;

/** The typed result; strings point into req->json (or the base initiative). */
typedef struct {
    const char *user, *password; /**< LOGIN */
    wb_initiative initiative;    /**< INITIATIVE, INITIATIVE_PATCH (arrays owned) */
    int has_initiative;
    wb_proposal proposal;        /**< PROPOSAL */
} wb_web_body;

/**
 * Parse @p body (@p len bytes) for route @p kind (@p base: the stored initiative a PATCH
 * changes). @return 0 accepted (out filled), 1 refused with a 400 in @p resp (error_field set
 * when a field is at fault), or a negative wb_error_code (out of memory). Always call
 * wb_web__collab_body_free afterwards.
 */
int wb_web__collab_body(wb_web_body *out, wb_req *req, wb_resp *resp, wb_web_body_kind kind,
                        const wb_initiative *base, const char *body, size_t len);
void wb_web__collab_body_free(wb_web_body *out, wb_req *req);

/* ---------------------------------------------------------------- analyses (routes_stats.c) */

int wb_web__h_segregation(wb_req *req, wb_resp *resp);
int wb_web__h_labels(wb_req *req, wb_resp *resp);
int wb_web__h_compare(wb_req *req, wb_resp *resp);
int wb_web__h_models(wb_req *req, wb_resp *resp);
int wb_web__h_score(wb_req *req, wb_resp *resp);
int wb_web__h_explain(wb_req *req, wb_resp *resp);

/* ---------------------------------------------------------------- issue 7 (routes_effort.c) */

int wb_web__h_gaps(wb_req *req, wb_resp *resp);
int wb_web__h_overlaps(wb_req *req, wb_resp *resp);
int wb_web__h_effort(wb_req *req, wb_resp *resp);
int wb_web__h_effect(wb_req *req, wb_resp *resp);

/* ---------------------------------------------------------------- OGC API Features (routes_ogc.c) */

int wb_web__h_ogc_landing(wb_req *req, wb_resp *resp);
int wb_web__h_ogc_api(wb_req *req, wb_resp *resp);
int wb_web__h_ogc_conformance(wb_req *req, wb_resp *resp);
int wb_web__h_ogc_collections(wb_req *req, wb_resp *resp);
int wb_web__h_ogc_collection(wb_req *req, wb_resp *resp);
int wb_web__h_ogc_schema(wb_req *req, wb_resp *resp);
int wb_web__h_ogc_items(wb_req *req, wb_resp *resp);
int wb_web__h_ogc_item(wb_req *req, wb_resp *resp);
/** The enumeration of the f= parameter of the OGC routes. */
extern const char *const wb_web__ogc_formats[];

/* ---------------------------------------------------------------- scores for other routes */

/** A model of the server's models directory scored on one level and boundary year. */
typedef struct {
    wb_model *m;
    wb_panel *p;
    wb_scorer *sc;
    wb_scores res;
} wb_web_scoring;

/**
 * Load the model named by the request's "model" parameter, resolve it against the store and
 * score every area of @p level on boundary year @p byear (0: the panel's default) in every
 * data year. Free with wb_web__score_done, also after an error.
 */
int wb_web__score_run(wb_web_scoring *s, wb_req *req, wb_level level, int byear);
void wb_web__score_done(wb_web_scoring *s);

/* ---------------------------------------------------------------- spatial and trend routes */

/* routes_spatial.c: map classes, LISA, global Moran, Getis-Ord */
int wb_web__h_classes(wb_req *req, wb_resp *resp);
int wb_web__h_lisa(wb_req *req, wb_resp *resp);
int wb_web__h_moran(wb_req *req, wb_resp *resp);
int wb_web__h_getis(wb_req *req, wb_resp *resp);
/* routes_spacetime.c: class mobility, emerging hot spots, bivariate Moran (lisa/moran with bivariate=) */
int wb_web__h_markov(wb_req *req, wb_resp *resp);
int wb_web__h_hotspots(wb_req *req, wb_resp *resp);
int wb_web__h_lisa_bv(wb_req *req, wb_resp *resp);
int wb_web__h_moran_bv(wb_req *req, wb_resp *resp);
/* routes_trend.c: trends with a break year and RIGO groups; the score card of the profile */
int wb_web__h_trend(wb_req *req, wb_resp *resp);
int wb_web__h_scorecard(wb_req *req, wb_resp *resp);

/**
 * The "trend" member of the profile of one indicator series: the class since @p break_year
 * (hinge model, or Theil-Sen and Mann-Kendall on the years from the break when the hinge
 * cannot be fitted), slopes before and after, the whole-series Mann-Kendall p. Writes null
 * when the series has fewer than 3 points.
 */
void wb_web__trend_member(wb_json *j, const double *years, const double *values, size_t n,
                          int direction, int break_year);

#endif
