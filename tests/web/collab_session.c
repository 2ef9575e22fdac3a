/**
 * @file
 * @brief Sessions over HTTP: CSRF tokens, the origin check, session expiry with the
 * server's clock hook (no sleeping), login rate limiting, cookie flags (HttpOnly,
 * SameSite=Strict, Secure behind HTTPS), logout, password change, and that no password,
 * session token or CSRF token reaches the access log.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test.h"
#include "web/cweb.h"

static const char create_body[] =
    "{\"title\":\"Via de API\",\"lead_partner_id\":1,\"themes\":[\"wonen\"],\"areas\":[\"BU99990102\"],\"area_year\":2016}";

static int status_of(int port, const char *method, const char *target, const cw_session *s, int csrf,
                     const char *body, const char *extra)
{
    wbt_http r = cw_req(port, method, target, s, csrf, body, extra);
    int st = r.status;
    wbt_http_free(&r);
    return st;
}

/* GET /api/me: the user name, or "" when not logged in. */
static void me(int port, const cw_session *s, char *name, size_t n)
{
    wbt_http r = cw_req(port, "GET", "/api/me", s, 0, NULL, NULL);
    ASSERT_EQ_I(r.status, 200);
    json_t *j = cw_json(&r);
    const char *u = json_string_value(json_object_get(json_object_get(j, "user"), "name"));
    snprintf(name, n, "%s", u ? u : "");
    json_decref(j);
    wbt_http_free(&r);
}

TEST(web_collab_session, csrf_token_required_on_every_change)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_server *srv = cw_server(f.db, NULL);
    int port = wb_server_port(srv);
    cw_session admin, other;
    ASSERT_EQ_I(cw_login(port, "beheerder", cw_password("beheerder"), &admin), 200);
    ASSERT_EQ_I(cw_login(port, "editor-a", cw_password("editor-a"), &other), 200);
    ASSERT(strcmp(admin.csrf, other.csrf) != 0); /* one token per session */
    char *before = cw_snapshot(f.db);

    /* missing */
    ASSERT_EQ_I(status_of(port, "POST", "/api/initiatives", &admin, 0, create_body, NULL), 403);
    /* wrong: another session's token, a flipped character, an empty header, a longer one */
    cw_session forged = admin;
    snprintf(forged.csrf, sizeof forged.csrf, "%s", other.csrf);
    ASSERT_EQ_I(status_of(port, "POST", "/api/initiatives", &forged, 1, create_body, NULL), 403);
    forged = admin;
    forged.csrf[5] = forged.csrf[5] == 'A' ? 'B' : 'A';
    ASSERT_EQ_I(status_of(port, "POST", "/api/initiatives", &forged, 1, create_body, NULL), 403);
    ASSERT_EQ_I(status_of(port, "DELETE", "/api/initiatives/1", &admin, 0, NULL, "X-CSRF-Token: \r\n"), 403);
    forged = admin;
    strcat(forged.csrf, "x");
    ASSERT_EQ_I(status_of(port, "POST", "/api/proposals/1/hide", &forged, 1, NULL, NULL), 403);
    /* the right token without the cookie: not logged in */
    cw_session token_only = admin;
    token_only.token[0] = 0;
    wbt_http r = cw_req(port, "POST", "/api/initiatives", &token_only, 1, create_body, NULL);
    ASSERT_EQ_I(r.status, 401);
    wbt_http_free(&r);
    /* every refused request left the store as it was */
    char *after = cw_snapshot(f.db);
    ASSERT_MSG(!strcmp(before, after), "a request without the right CSRF token changed the store");
    wb_free(after);
    /* with the right token it works */
    ASSERT_EQ_I(status_of(port, "POST", "/api/initiatives", &admin, 1, create_body, NULL), 201);
    after = cw_snapshot(f.db);
    ASSERT(strcmp(before, after) != 0);
    wb_free(before);
    wb_free(after);
    wb_server_stop(srv, 2000);
}

TEST(web_collab_session, cross_origin_changes_are_refused)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_server *srv = cw_server(f.db, NULL);
    int port = wb_server_port(srv);
    cw_session admin;
    ASSERT_EQ_I(cw_login(port, "beheerder", cw_password("beheerder"), &admin), 200);
    char *before = cw_snapshot(f.db);
    ASSERT_EQ_I(status_of(port, "POST", "/api/initiatives", &admin, 1, create_body,
                          "Origin: https://evil.example\r\n"), 403);
    ASSERT_EQ_I(status_of(port, "POST", "/api/initiatives", &admin, 1, create_body, "Sec-Fetch-Site: cross-site\r\n"),
                403);
    /* a login from another site is refused too (login CSRF) */
    ASSERT_EQ_I(status_of(port, "POST", "/api/login", NULL, 0, "{\"user\":\"kijker\",\"password\":\"x\"}",
                          "Origin: http://evil.example\r\n"), 403);
    char *after = cw_snapshot(f.db);
    ASSERT(!strcmp(before, after));
    /* our own origin passes */
    ASSERT_EQ_I(status_of(port, "POST", "/api/initiatives", &admin, 1, create_body,
                          "Origin: http://127.0.0.1\r\nSec-Fetch-Site: same-origin\r\n"), 201);
    /* a login body must be JSON */
    static const char form[] = "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\n"
                               "user=x&p=y";
    wbt_http r = wbt_http_raw(port, form, sizeof form - 1, 10000);
    ASSERT_EQ_I(r.status, 415);
    wbt_http_free(&r);
    wb_free(before);
    wb_free(after);
    wb_server_stop(srv, 2000);
}

TEST(web_collab_session, sessions_expire_when_idle_and_after_twelve_hours)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_server *srv = cw_server(f.db, NULL);
    int port = wb_server_port(srv);
    const int64_t t0 = 1700000000; /* 2023-11-14 */
    wb_server_set_clock(srv, t0);
    cw_session s;
    char who[64];
    ASSERT_EQ_I(cw_login(port, "editor-a", cw_password("editor-a"), &s), 200);
    me(port, &s, who, sizeof who);
    ASSERT_EQ_S(who, "editor-a");

    /* idle for 2 hours (the default idle limit): expired, and a change is refused with 401 */
    wb_server_set_clock(srv, t0 + 2 * 3600);
    me(port, &s, who, sizeof who);
    ASSERT_EQ_S(who, "");
    wbt_http r = cw_req(port, "GET", "/api/me", &s, 0, NULL, NULL);
    ASSERT_MSG(strstr(r.body, "idle"), "no reason given: %s", r.body);
    char cookie[256];
    ASSERT(wbt_http_header(&r, "Set-Cookie", cookie, sizeof cookie) && strstr(cookie, "Max-Age=0"));
    wbt_http_free(&r);
    r = cw_req(port, "PATCH", "/api/initiatives/1", &s, 1, "{\"title\":\"Te laat\"}", NULL);
    ASSERT_EQ_I(r.status, 401);
    ASSERT_MSG(strstr(r.body, "expired"), "body %s", r.body);
    wbt_http_free(&r);

    /* a session in use stays alive (each use is recorded, at most once a minute) ... */
    const int64_t t1 = t0 + 3 * 3600;
    wb_server_set_clock(srv, t1);
    ASSERT_EQ_I(cw_login(port, "editor-a", cw_password("editor-a"), &s), 200);
    for (int k = 1; k <= 6; k++) { /* a use every 1 h 50 min, up to 11 h after the login */
        wb_server_set_clock(srv, t1 + k * 110 * 60);
        me(port, &s, who, sizeof who);
        ASSERT_MSG(!strcmp(who, "editor-a"), "used every 110 minutes, the session ended at use %d", k);
    }
    /* ... but not beyond 12 hours after the login */
    wb_server_set_clock(srv, t1 + 12 * 3600);
    me(port, &s, who, sizeof who);
    ASSERT_EQ_S(who, "");
    wb_server_stop(srv, 2000);
}

TEST(web_collab_session, login_is_rate_limited)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_server *srv = cw_server(f.db, NULL);
    int port = wb_server_port(srv);
    const int64_t t0 = 1700000000;
    wb_server_set_clock(srv, t0);
    cw_session s;
    char first_msg[256] = "";
    for (int i = 0; i < 5; i++) {
        wbt_http r = cw_req(port, "POST", "/api/login", NULL, 0,
                            "{\"user\":\"bewoner1\",\"password\":\"niet-het-wachtwoord\"}", NULL);
        ASSERT_EQ_I(r.status, 401);
        ASSERT(!wbt_http_header(&r, "Set-Cookie", first_msg, sizeof first_msg));
        json_t *j = cw_json(&r);
        snprintf(first_msg, sizeof first_msg, "%s", json_string_value(json_object_get(j, "error")));
        json_decref(j);
        wbt_http_free(&r);
    }
    /* an unknown name gets the same answer (no account enumeration) */
    wbt_http r = cw_req(port, "POST", "/api/login", NULL, 0, "{\"user\":\"niemand\",\"password\":\"iets-anders\"}", NULL);
    ASSERT_EQ_I(r.status, 401);
    json_t *j = cw_json(&r);
    ASSERT_EQ_S(json_string_value(json_object_get(j, "error")), first_msg);
    json_decref(j);
    wbt_http_free(&r);

    /* locked: even the right password is refused, with Retry-After */
    json_t *b = json_pack("{s:s,s:s}", "user", "bewoner1", "password", cw_password("bewoner1"));
    char *right = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    r = cw_req(port, "POST", "/api/login", NULL, 0, right, NULL);
    ASSERT_EQ_I(r.status, 429);
    char ra[32];
    ASSERT(wbt_http_header(&r, "Retry-After", ra, sizeof ra));
    ASSERT_EQ_I(atoi(ra), 60);
    wbt_http_free(&r);
    /* another account is not affected */
    ASSERT_EQ_I(cw_login(port, "bewoner2", cw_password("bewoner2"), &s), 200);
    /* after the lockout the right password works */
    wb_server_set_clock(srv, t0 + 61);
    r = cw_req(port, "POST", "/api/login", NULL, 0, right, NULL);
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    free(right);
    wb_server_stop(srv, 2000);
}

TEST(web_collab_session, cookie_flags_and_logout)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_server *srv = cw_server(f.db, NULL);
    int port = wb_server_port(srv);
    cw_session s;
    ASSERT_EQ_I(cw_login(port, "kijker", cw_password("kijker"), &s), 200);
    const char *c = s.set_cookie;
    ASSERT_MSG(strstr(c, "HttpOnly") && strstr(c, "SameSite=Strict") && strstr(c, "Path=/") &&
                   strstr(c, "Max-Age=43200"),
               "cookie: %s", c);
    ASSERT_MSG(!strstr(c, "Secure"), "Secure on plain HTTP: %s", c);
    ASSERT_EQ_I(strlen(s.token), 43);
    /* the store keeps only a hash of the token */
    char *snap = cw_snapshot(f.db);
    ASSERT(!strstr(snap, s.token));
    wb_free(snap);
    ASSERT_EQ_I(cw_int(f.db, "SELECT count(*) FROM session"), 1);

    /* logout needs the CSRF token, clears the cookie and ends the session */
    ASSERT_EQ_I(status_of(port, "POST", "/api/logout", &s, 0, NULL, NULL), 403);
    wbt_http r = cw_req(port, "POST", "/api/logout", &s, 1, NULL, NULL);
    ASSERT_EQ_I(r.status, 200);
    char cookie[256];
    ASSERT(wbt_http_header(&r, "Set-Cookie", cookie, sizeof cookie));
    ASSERT_MSG(strstr(cookie, "wb_session=;") && strstr(cookie, "Max-Age=0"), "logout cookie: %s", cookie);
    wbt_http_free(&r);
    ASSERT_EQ_I(cw_int(f.db, "SELECT count(*) FROM session"), 0);
    char who[64];
    me(port, &s, who, sizeof who);
    ASSERT_EQ_S(who, "");
    wb_server_stop(srv, 2000);

    /* behind HTTPS: --secure-cookies */
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.secure_cookies = 1;
    srv = cw_server(f.db, &o);
    ASSERT_EQ_I(cw_login(wb_server_port(srv), "kijker", cw_password("kijker"), &s), 200);
    ASSERT_MSG(strstr(s.set_cookie, "; Secure"), "cookie: %s", s.set_cookie);
    wb_server_stop(srv, 2000);

    /* a trusted proxy saying https; the same header from another peer is ignored */
    o = (wb_server_opts)WB_SERVER_OPTS_INIT;
    o.trusted_proxy = "127.0.0.1";
    srv = cw_server(f.db, &o);
    port = wb_server_port(srv);
    r = cw_req(port, "POST", "/api/login", NULL, 0, "{\"user\":\"kijker\",\"password\":\"Geheim-kijker-2024!\"}",
               "X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.9\r\n");
    ASSERT_EQ_I(r.status, 200);
    ASSERT(wbt_http_header(&r, "Set-Cookie", cookie, sizeof cookie) && strstr(cookie, "; Secure"));
    wbt_http_free(&r);
    ASSERT_EQ_I(cw_login(port, "kijker", cw_password("kijker"), &s), 200);
    ASSERT_MSG(!strstr(s.set_cookie, "Secure"), "plain request through the proxy: %s", s.set_cookie);
    wb_server_stop(srv, 2000);
    o.trusted_proxy = "192.0.2.1";
    srv = cw_server(f.db, &o);
    r = cw_req(wb_server_port(srv), "POST", "/api/login", NULL, 0,
               "{\"user\":\"kijker\",\"password\":\"Geheim-kijker-2024!\"}", "X-Forwarded-Proto: https\r\n");
    ASSERT_EQ_I(r.status, 200);
    ASSERT(wbt_http_header(&r, "Set-Cookie", cookie, sizeof cookie) && !strstr(cookie, "Secure"));
    wbt_http_free(&r);
    wb_server_stop(srv, 2000);

    /* the proxy's client address is what rate limiting counts */
    ASSERT(cw_int(f.db, "SELECT count(*) FROM login_failure") == 0);
    o.trusted_proxy = "127.0.0.1";
    srv = cw_server(f.db, &o);
    r = cw_req(wb_server_port(srv), "POST", "/api/login", NULL, 0, "{\"user\":\"kijker\",\"password\":\"fout-fout-fout\"}",
               "X-Forwarded-For: 198.51.100.7, 203.0.113.9\r\n");
    ASSERT_EQ_I(r.status, 401);
    wbt_http_free(&r);
    ASSERT_EQ_I(cw_int(f.db, "SELECT count(*) FROM login_failure WHERE key = 'client:203.0.113.9'"), 1);
    wb_server_stop(srv, 2000);
}

TEST(web_collab_session, password_change_checks_the_old_one)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_server *srv = cw_server(f.db, NULL);
    int port = wb_server_port(srv);
    cw_session s, other;
    ASSERT_EQ_I(cw_login(port, "bewoner2", cw_password("bewoner2"), &s), 200);
    ASSERT_EQ_I(cw_login(port, "bewoner2", cw_password("bewoner2"), &other), 200);
    wbt_http r = cw_req(port, "POST", "/api/me/password", &s, 1,
                        "{\"old_password\":\"fout-wachtwoord\",\"new_password\":\"Nieuw-wachtwoord-123\"}", NULL);
    ASSERT_EQ_I(r.status, 403);
    wbt_http_free(&r);
    r = cw_req(port, "POST", "/api/me/password", &s, 1,
               "{\"old_password\":\"Geheim-bewoner2-2024!\",\"new_password\":\"kort\"}", NULL);
    ASSERT_EQ_I(r.status, 400);
    json_t *j = cw_json(&r);
    ASSERT_EQ_S(json_string_value(json_object_get(j, "field")), "new_password");
    json_decref(j);
    wbt_http_free(&r);
    r = cw_req(port, "POST", "/api/me/password", &s, 1,
               "{\"old_password\":\"Geheim-bewoner2-2024!\",\"new_password\":\"Nieuw-wachtwoord-123\"}", NULL);
    ASSERT_EQ_I(r.status, 200);
    char cookie[256];
    ASSERT(wbt_http_header(&r, "Set-Cookie", cookie, sizeof cookie) && strstr(cookie, "HttpOnly"));
    wbt_http_free(&r);
    /* every other session of the account ended */
    char who[64];
    me(port, &other, who, sizeof who);
    ASSERT_EQ_S(who, "");
    ASSERT_EQ_I(cw_login(port, "bewoner2", "Nieuw-wachtwoord-123", &s), 200);
    ASSERT_EQ_I(cw_login(port, "bewoner2", cw_password("bewoner2"), &s), 401);
    wb_server_stop(srv, 2000);
    /* the clear password is nowhere in the database files */
    for (int k = 0; k < 2; k++) {
        char p[4200];
        snprintf(p, sizeof p, "%s%s", f.db, k ? "-wal" : "");
        size_t n = 0;
        char *data = wbt_slurp(p, &n);
        if (!data)
            continue;
        ASSERT_MSG(!memmem(data, n, "Nieuw-wachtwoord-123", 20), "clear password in %s", p);
        free(data);
    }
}

/* ---------------------------------------------------------------- the log */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static wb_str log_text = WB_STR_INIT;

static void capture(void *payload, const wb_server_log_entry *e)
{
    (void)payload;
    pthread_mutex_lock(&log_mu);
    wb_str_printf(&log_text, "%s %s %d %s\n", e->method, e->path, e->status, e->detail ? e->detail : "");
    pthread_mutex_unlock(&log_mu);
}

TEST(web_collab_session, secrets_never_reach_the_log)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.log = capture;
    wb_server *srv = cw_server(f.db, &o);
    int port = wb_server_port(srv);
    cw_session s;
    ASSERT_EQ_I(cw_login(port, "beheerder", "fout-maar-lang-genoeg", &s), 401);
    ASSERT_EQ_I(cw_login(port, "beheerder", cw_password("beheerder"), &s), 200);
    /* requests carrying the cookie and CSRF token, a user with a password, a password
     * change, and a query string (left out of the log) */
    ASSERT_EQ_I(status_of(port, "POST", "/api/users", &s, 1,
                          "{\"name\":\"nieuw\",\"role\":\"viewer\",\"password\":\"Wachtwoord-van-nieuw\"}", NULL), 201);
    ASSERT_EQ_I(status_of(port, "GET", "/api/initiatives?theme=geheim-zoekwoord", &s, 0, NULL, NULL), 200);
    ASSERT_EQ_I(status_of(port, "POST", "/api/me/password", &s, 1,
                          "{\"old_password\":\"Geheim-beheerder-2024!\",\"new_password\":\"Ander-wachtwoord-99\"}", NULL),
                200);
    wb_server_stop(srv, 2000);
    const char *secrets[] = {"fout-maar-lang-genoeg", "Geheim-beheerder-2024!", "Wachtwoord-van-nieuw",
                             "Ander-wachtwoord-99", s.token, s.csrf, "geheim-zoekwoord", "beheerder"};
    ASSERT_MSG(log_text.len > 0 && strstr(log_text.ptr, "POST /api/login 401") && strstr(log_text.ptr, "POST /api/login 200"),
               "log: %s", log_text.ptr ? log_text.ptr : "");
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        ASSERT_MSG(!strstr(log_text.ptr, secrets[i]), "'%s' is in the log:\n%s", secrets[i], log_text.ptr);
    wb_str_dispose(&log_text);
}
