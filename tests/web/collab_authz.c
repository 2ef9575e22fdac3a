/**
 * @file
 * @brief The authorisation matrix over HTTP: every role (admin, partner editor of A, of B,
 * resident 1 who filed the proposal, resident 2, viewer, logged out) x every state-changing
 * action, each on a fresh copy of the register behind a fresh server. An allowed action
 * answers 2xx, changes the store and adds an audit entry; a refused one answers 401 (logged
 * out) or 403 (409 for a second support) with a JSON error, and every table of the store
 * (all but `session`, whose last use may be recorded) is byte-for-byte what it was.
 *
 * The expected outcome of each cell is the policy of issue 6 (docs/collab.md), not a
 * computed result.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "web/cweb.h"
#include "web/web_internal.h"

typedef struct {
    const char *name;
    const char *method;
    const char *target; /* printf format: one %lld, the fixture id named by `which` */
    char which;         /* 'A' iniA, 'B' iniB, 'P' proposal, 0 none */
    const char *body;   /* printf format: at most one %lld, the partner named by `partner` */
    char partner;       /* 'A' or 'B' */
    int prior_support;  /* the role supports the proposal (through the library) first */
    const char *expect; /* per role: Y allowed (2xx), 3 forbidden (403), 1 not logged in (401),
                           9 conflict (409) */
} action;

/* Columns: admin, editor A, editor B, resident 1, resident 2, viewer, logged out. */
static const action actions[] = {
    {"create initiative led by A", "POST", "/api/initiatives", 0,
     "{\"title\":\"Nieuw\",\"lead_partner_id\":%lld,\"themes\":[\"jeugd\"],\"areas\":[\"BU99990102\"],"
     "\"area_year\":2016,\"start\":\"2024-01-01\",\"end\":\"2024-12-31\",\"status\":\"gepland\"}",
     'A', 0, "YY33331"},
    {"edit initiative of A", "PATCH", "/api/initiatives/%lld", 'A', "{\"title\":\"Nieuwe titel\"}", 0, 0, "YY33331"},
    {"edit initiative of B", "PATCH", "/api/initiatives/%lld", 'B', "{\"title\":\"Nieuwe titel\"}", 0, 0, "Y3Y3331"},
    {"replace initiative of A (PUT)", "PUT", "/api/initiatives/%lld", 'A',
     "{\"title\":\"Vervangen\",\"lead_partner_id\":%lld,\"status\":\"lopend\"}", 'A', 0, "YY33331"},
    {"delete initiative of A", "DELETE", "/api/initiatives/%lld", 'A', NULL, 0, 0, "Y333331"},
    {"add milestone to A's initiative", "POST", "/api/initiatives/%lld/milestones", 'A',
     "{\"title\":\"Eerste lampen\",\"progress\":40,\"due\":\"2022-06-30\"}", 0, 0, "YY33331"},
    {"add contribution of A", "POST", "/api/initiatives/%lld/contributions", 'B',
     "{\"partner_id\":%lld,\"kind\":\"money_eur\",\"amount\":500,\"start\":\"2023-01-01\",\"end\":\"2023-12-31\"}",
     'A', 0, "YY33331"},
    {"add contribution of B", "POST", "/api/initiatives/%lld/contributions", 'A',
     "{\"partner_id\":%lld,\"kind\":\"hours\",\"amount\":12,\"start\":\"2023-01-01\",\"end\":\"2023-03-31\"}",
     'B', 0, "Y3Y3331"},
    {"file proposal", "POST", "/api/proposals", 0,
     "{\"area\":\"BU99990102\",\"area_year\":2016,\"title\":\"Speeltuin\",\"text\":\"Voor de kinderen.\","
     "\"theme\":\"jeugd\"}",
     0, 0, "Y33YY31"},
    {"support resident 1's proposal", "POST", "/api/proposals/%lld/support", 'P', NULL, 0, 0, "3333Y31"},
    {"support it a second time", "POST", "/api/proposals/%lld/support", 'P', NULL, 0, 1, "3333931"},
    {"adopt proposal (lead A)", "POST", "/api/proposals/%lld/adopt", 'P', "{\"lead_partner_id\":%lld}", 'A', 0,
     "YY33331"},
    {"decline proposal", "POST", "/api/proposals/%lld/decline", 'P', "{\"reason\":\"Geen budget dit jaar.\"}", 0, 0,
     "YYY3331"},
    {"hide proposal (moderation)", "POST", "/api/proposals/%lld/hide", 'P', NULL, 0, 0, "Y333331"},
    {"add user", "POST", "/api/users", 0,
     "{\"name\":\"nieuwe-kijker\",\"role\":\"viewer\",\"password\":\"een-lang-wachtwoord\"}", 0, 0, "Y333331"},
    {"close the monitor (settings)", "PUT", "/api/settings", 0, "{\"monitor_public\":false}", 0, 0, "Y333331"},
    {"add partner", "POST", "/api/partners", 0, "{\"name\":\"Buurthuis C\",\"type\":\"zorg en welzijn\"}", 0, 0,
     "Y333331"},
    {"add theme", "POST", "/api/themes", 0, "{\"name\":\"cultuur\"}", 0, 0, "Y333331"},
};

#define NACTIONS (sizeof actions / sizeof actions[0])

static void copy_file(const char *from, const char *to)
{
    size_t n = 0;
    char *data = wbt_slurp(from, &n);
    ASSERT(data);
    FILE *f = fopen(to, "wb");
    ASSERT(f && fwrite(data, 1, n, f) == n && fclose(f) == 0);
    free(data);
}

/* One cell: returns the status; checks the store changed or not as expected. */
static int run_cell(const cw_fixture *tmpl, const action *a, int role, int cell)
{
    char db[4096], name[64];
    snprintf(name, sizeof name, "cell%d.db", cell);
    snprintf(db, sizeof db, "%s", wbt_tmp(name));
    copy_file(tmpl->db, db);

    if (a->prior_support && role != CW_ANON) { /* the first support, as that role */
        wb_store *st = NULL;
        WB_PASS(wb_store_open(&st, db, 0));
        wb_actor who;
        WB_PASS(wb_actor_of_user(st, &who, cw_user[role], NULL));
        wb_proposal_support(st, &who, tmpl->prop); /* refused for most roles: fine */
        wb_error_clear();
        wb_store_free(st);
    }

    wb_server *srv = cw_server(db, NULL);
    int port = wb_server_port(srv);
    cw_session s;
    memset(&s, 0, sizeof s);
    if (role != CW_ANON)
        ASSERT_EQ_I(cw_login(port, cw_user[role], cw_password(cw_user[role]), &s), 200);

    long long id = a->which == 'A' ? tmpl->iniA : a->which == 'B' ? tmpl->iniB : a->which == 'P' ? tmpl->prop : 0;
    char target[256], body[1024];
    snprintf(target, sizeof target, a->target, id);
    if (a->body)
        snprintf(body, sizeof body, a->body, (long long)(a->partner == 'B' ? tmpl->pB : tmpl->pA));

    char *before = cw_snapshot(db);
    long long audit_before = cw_int(db, "SELECT count(*) FROM audit_log");
    wbt_http r = cw_req(port, a->method, target, role == CW_ANON ? NULL : &s, 1, a->body ? body : NULL, NULL);
    char *after = cw_snapshot(db);
    long long audit_after = cw_int(db, "SELECT count(*) FROM audit_log");

    char want = a->expect[role];
    int status = r.status;
    if (want == 'Y') {
        ASSERT_MSG(status >= 200 && status < 300, "%s as %s: status %d, expected 2xx; body %s", a->name,
                   cw_role_label[role], status, r.body);
        ASSERT_MSG(strcmp(before, after) != 0, "%s as %s: allowed, but the store did not change", a->name,
                   cw_role_label[role]);
        ASSERT_MSG(audit_after > audit_before, "%s as %s: allowed, but no audit entry", a->name, cw_role_label[role]);
    } else {
        int want_status = want == '1' ? 401 : want == '9' ? 409 : 403;
        ASSERT_MSG(status == want_status, "%s as %s: status %d, expected %d; body %s", a->name,
                   cw_role_label[role], status, want_status, r.body);
        json_t *j = cw_json(&r);
        ASSERT_MSG(json_is_string(json_object_get(j, "error")), "%s as %s: no JSON error", a->name,
                   cw_role_label[role]);
        json_decref(j);
        ASSERT_MSG(strcmp(before, after) == 0, "%s as %s: refused with %d, but the store changed", a->name,
                   cw_role_label[role], status);
    }
    wb_free(before);
    wb_free(after);
    wbt_http_free(&r);
    wb_server_stop(srv, 2000);
    remove(db);
    return status;
}

TEST(web_collab_authz, roles_x_actions_over_http)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("template.db"));
    /* the table as tested, printed for the report */
    fprintf(stderr, "    %-34s", "action");
    for (int r = 0; r < CW__MAX; r++)
        fprintf(stderr, " %-11s", cw_role_label[r]);
    fputc('\n', stderr);
    int cell = 0;
    for (size_t i = 0; i < NACTIONS; i++) {
        fprintf(stderr, "    %-34s", actions[i].name);
        for (int r = 0; r < CW__MAX; r++) {
            int st = run_cell(&f, &actions[i], r, cell++);
            fprintf(stderr, " %-11d", st);
        }
        fputc('\n', stderr);
    }
    ASSERT_EQ_I(cell, (int)NACTIONS * CW__MAX);
}

/* Every state-changing route of the route table (read from the table itself, so a new
 * route is covered without editing this test) refuses a visitor without a session with 401,
 * and a viewer with a valid CSRF token is refused (403), or told what is missing from the
 * body (400) or that the object does not exist (404); nothing changes. */
TEST(web_collab_authz, every_write_route_needs_a_session)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_server *srv = cw_server(f.db, NULL);
    int port = wb_server_port(srv);
    char *before = cw_snapshot(f.db);
    cw_session viewer;
    ASSERT_EQ_I(cw_login(port, "kijker", cw_password("kijker"), &viewer), 200);
    int checked = 0;
    for (size_t i = 0; i < wb_web__nroutes; i++) {
        const wb_route *r = &wb_web__routes[i];
        if (!(r->flags & WB_ROUTE_WRITE) || !strcmp(r->pattern, "/api/login"))
            continue;
        ASSERT_MSG(r->flags & WB_ROUTE_CSRF, "%s %s changes state without a CSRF check", r->method, r->pattern);
        char target[256] = "";
        for (const char *p = r->pattern; *p;) { /* fill in the path parameters */
            if (*p == '{') {
                const char *e = strchr(p, '}');
                strcat(target, !strncmp(p, "{name}", 6) ? "kijker" : "1");
                p = e + 1;
            } else {
                strncat(target, p++, 1);
            }
        }
        const char *body = (r->flags & WB_ROUTE_BODY_JSON) ? "{}" : NULL;
        wbt_http h = cw_req(port, r->method, target, NULL, 0, body, NULL);
        ASSERT_MSG(h.status == 401, "%s %s without a session: %d, expected 401", r->method, target, h.status);
        wbt_http_free(&h);
        if (!strcmp(r->pattern, "/api/logout"))
            continue; /* the viewer would just log out */
        h = cw_req(port, r->method, target, &viewer, 1, body, NULL);
        ASSERT_MSG(h.status == 403 || h.status == 400 || h.status == 404, "%s %s as a viewer: %d; body %s",
                   r->method, target, h.status, h.body);
        wbt_http_free(&h);
        checked++;
    }
    ASSERT(checked >= 20);
    char *after = cw_snapshot(f.db);
    ASSERT_MSG(!strcmp(before, after), "refused requests changed the store");
    wb_free(before);
    wb_free(after);
    wb_server_stop(srv, 2000);
}
