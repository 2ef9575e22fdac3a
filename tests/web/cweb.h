/**
 * @file
 * @brief Helpers of the register's HTTP tests (tests/web/collab_*.c): the web fixture store
 * with a small register and one account per role, a server with cheap password hashing,
 * login, JSON requests with cookie and CSRF token, and a snapshot of the store.
 */
#ifndef WB_TESTS_CWEB_H
#define WB_TESTS_CWEB_H

#include <jansson.h>

#include "web/webtest.h"

/* Roles of the matrix, in its column order. */
enum { CW_ADMIN, CW_EDA, CW_EDB, CW_RES1, CW_RES2, CW_VIEWER, CW_ANON, CW__MAX };

extern const char *const cw_role_label[CW__MAX];
/** Account name of a role (NULL for CW_ANON). */
extern const char *const cw_user[CW__MAX];

/** What the fixture made. */
typedef struct {
    char db[4096];
    int64_t pA, pB;             /* partner A (woningcorporatie) and B (politie) */
    int64_t iniA, iniB;         /* initiatives led by A and by B, in BU99990101 (2016) */
    int64_t contribA, contribB; /* contributions of A and of B to iniA */
    int64_t prop;               /* an open proposal of bewoner1 in BU99990101 */
} cw_fixture;

/** Password of a fixture account. */
const char *cw_password(const char *user);

/** Argon2id at its minimum cost (the tests log in many times). */
wb_auth_opts cw_fast_opts(void);

/** The web fixture store (wbt_fixture_db) with the register, at @p path. */
void cw_fixture_make(cw_fixture *f, const char *path);

/** Start a server on the store (no web dir) with cheap hashing and optional extra options
 *  (secure cookies, trusted proxy, log); @p o NULL: defaults. */
wb_server *cw_server(const char *db, const wb_server_opts *o);

/** A logged-in client: cookie token and CSRF token. */
typedef struct {
    char token[64];
    char csrf[64];
    char set_cookie[512]; /* the Set-Cookie header of the login */
} cw_session;

/** POST /api/login; returns the status and fills @p s on 200. */
int cw_login(int port, const char *user, const char *password, cw_session *s);

/**
 * A request with optional session (cookie and, when @p csrf, its CSRF token) and JSON body
 * (NULL: none). Extra header lines may be given in @p extra ("Name: v\r\n").
 */
wbt_http cw_req(int port, const char *method, const char *target, const cw_session *s, int csrf,
                const char *body, const char *extra);

/** Parse a response body as JSON (fails the test when it is not). */
json_t *cw_json(const wbt_http *r);

/** Every row of every table but `session` (whose last use may be recorded) as sorted
 *  lines: equal snapshots mean nothing changed. Caller frees. */
char *cw_snapshot(const char *db);

/** An integer from the first row of @p sql on the store at @p db (-1 without a row). */
long long cw_int(const char *db, const char *sql);

#endif
