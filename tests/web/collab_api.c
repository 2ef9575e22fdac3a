/**
 * @file
 * @brief The register's JSON API: strict bodies (400 naming the field, nothing stored),
 * bad input, 404 and 409, SQL and HTML injection stored verbatim and sent escaped, the
 * monitor closed by the admin, the reading routes (filters, area register, coalitions,
 * matrix, partner page, proposals), and audit entries written by the library.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "web/cweb.h"

typedef struct {
    cw_fixture f;
    wb_server *srv;
    int port;
    cw_session admin, edA, edB, res1, res2, viewer;
} env;

static void setup(env *e)
{
    memset(e, 0, sizeof *e);
    cw_fixture_make(&e->f, wbt_tmp("reg.db"));
    e->srv = cw_server(e->f.db, NULL);
    e->port = wb_server_port(e->srv);
    cw_session *s[] = {&e->admin, &e->edA, &e->edB, &e->res1, &e->res2, &e->viewer};
    for (int r = 0; r < CW_ANON; r++)
        ASSERT_EQ_I(cw_login(e->port, cw_user[r], cw_password(cw_user[r]), s[r]), 200);
}

/* A request expected to fail with @p status and a JSON error naming @p field (NULL: none
 * expected), leaving the store unchanged. */
static void refused(env *e, const char *method, const char *target, const cw_session *s, const char *body,
                    int status, const char *field)
{
    char *before = cw_snapshot(e->f.db);
    wbt_http r = cw_req(e->port, method, target, s, 1, body, NULL);
    ASSERT_MSG(r.status == status, "%s %s %s: %d, expected %d; %s", method, target, body ? body : "", r.status,
               status, r.body);
    json_t *j = cw_json(&r);
    const char *err = json_string_value(json_object_get(j, "error"));
    const char *got = json_string_value(json_object_get(j, "field"));
    ASSERT_MSG(err && *err, "no error message: %s", r.body);
    if (field)
        ASSERT_MSG(got && !strcmp(got, field), "%s %s: field %s, expected %s (%s)", method, target,
                   got ? got : "(none)", field, err);
    json_decref(j);
    wbt_http_free(&r);
    char *after = cw_snapshot(e->f.db);
    ASSERT_MSG(!strcmp(before, after), "%s %s %s: refused with %d, but the store changed", method, target,
               body ? body : "", status);
    wb_free(before);
    wb_free(after);
}

static json_t *ok_json(env *e, const char *method, const char *target, const cw_session *s, const char *body,
                       int status)
{
    wbt_http r = cw_req(e->port, method, target, s, 1, body, NULL);
    ASSERT_MSG(r.status == status, "%s %s: %d, expected %d; %s", method, target, r.status, status, r.body);
    json_t *j = cw_json(&r);
    wbt_http_free(&r);
    return j;
}

static const char *sget(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static long long iget(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

TEST(web_collab_api, json_bodies_are_strict)
{
    env e;
    setup(&e);
    const char *t = "/api/initiatives";
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":1,\"colour\":\"red\"}", 400, "colour");
    refused(&e, "POST", t, &e.admin, "{\"title\":5,\"lead_partner_id\":1}", 400, "title");
    refused(&e, "POST", t, &e.admin, "{\"lead_partner_id\":1}", 400, "title");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":\"1\"}", 400, "lead_partner_id");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":1.5}", 400, "lead_partner_id");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":1,\"themes\":\"jeugd\"}", 400, "themes");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":1,\"themes\":[\"jeugd\",3]}", 400, "themes");
    refused(&e, "POST", t, &e.admin,
            "{\"title\":\"X\",\"lead_partner_id\":1,\"targets\":[{\"indicator\":\"lbm\",\"direction\":\"up\",\"x\":1}]}",
            400, "targets");
    refused(&e, "POST", t, &e.admin,
            "{\"title\":\"X\",\"lead_partner_id\":1,\"targets\":[{\"indicator\":\"lbm\",\"direction\":\"sideways\"}]}",
            400, "targets");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"title\":\"Y\",\"lead_partner_id\":1}", 400, NULL);
    refused(&e, "POST", t, &e.admin, "[1,2]", 400, NULL);
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",", 400, NULL);
    refused(&e, "POST", t, &e.admin, "{\"title\":\"a\\u0000b\",\"lead_partner_id\":1}", 400, NULL);
    refused(&e, "POST", t, &e.admin, "{\"title\":\"\xff\xfe\",\"lead_partner_id\":1}", 400, NULL);
    refused(&e, "POST", "/api/proposals/1/decline", &e.admin, "{}", 400, "reason");
    refused(&e, "POST", "/api/proposals/1/decline", &e.admin, "{\"reason\":true}", 400, "reason");
    refused(&e, "PUT", "/api/settings", &e.admin, "{\"monitor_public\":1}", 400, "monitor_public");
    refused(&e, "POST", "/api/login", NULL, "{\"user\":\"beheerder\"}", 400, "password");
    refused(&e, "POST", "/api/login", NULL, "{\"user\":\"beheerder\",\"password\":\"x\",\"remember\":true}", 400,
            "remember");
    /* not JSON at all, and too big */
    char *before = cw_snapshot(e.f.db);
    char req[512];
    int n = snprintf(req, sizeof req,
                     "POST /api/initiatives HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: wb_session=%s\r\n"
                     "X-CSRF-Token: %s\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}",
                     e.admin.token, e.admin.csrf);
    wbt_http r = wbt_http_raw(e.port, req, (size_t)n, 10000);
    ASSERT_EQ_I(r.status, 415);
    wbt_http_free(&r);
    size_t big = 70 * 1024;
    char *huge = malloc(big + 64);
    int k = sprintf(huge, "{\"title\":\"");
    memset(huge + k, 'x', big);
    strcpy(huge + k + big, "\",\"lead_partner_id\":1}");
    r = cw_req(e.port, "POST", "/api/initiatives", &e.admin, 1, huge, NULL);
    ASSERT_EQ_I(r.status, 413);
    wbt_http_free(&r);
    free(huge);
    char *after = cw_snapshot(e.f.db);
    ASSERT(!strcmp(before, after));
    wb_free(before);
    wb_free(after);
    wb_server_stop(e.srv, 2000);
}

TEST(web_collab_api, bad_input_names_the_field_and_stores_nothing)
{
    env e;
    setup(&e);
    const char *t = "/api/initiatives";
    refused(&e, "POST", t, &e.admin,
            "{\"title\":\"X\",\"lead_partner_id\":1,\"areas\":[\"BU09990099\"],\"area_year\":2016}", 400, "areas");
    refused(&e, "POST", t, &e.admin,
            "{\"title\":\"X\",\"lead_partner_id\":1,\"start\":\"2022-05-01\",\"end\":\"2021-01-01\"}", 400, "end");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":1,\"start\":\"2021-02-30\"}", 400, "start");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":99}", 400, "lead_partner_id");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":1,\"status\":\"bezig\"}", 400, "status");
    refused(&e, "POST", t, &e.admin, "{\"title\":\"X\",\"lead_partner_id\":1,\"themes\":[\"ruimtevaart\"]}", 400, "themes");
    char title[400];
    memset(title, 'a', 201);
    title[201] = 0;
    char body[600];
    snprintf(body, sizeof body, "{\"title\":\"%s\",\"lead_partner_id\":1}", title);
    refused(&e, "POST", t, &e.admin, body, 400, "title");
    refused(&e, "POST", "/api/initiatives/1/contributions", &e.admin,
            "{\"partner_id\":1,\"kind\":\"money_eur\",\"amount\":-5,\"start\":\"2021-01-01\",\"end\":\"2021-02-01\"}",
            400, "amount");
    refused(&e, "POST", "/api/initiatives/1/contributions", &e.admin,
            "{\"partner_id\":1,\"kind\":\"gold\",\"amount\":5,\"start\":\"2021-01-01\",\"end\":\"2021-02-01\"}", 400,
            "kind");
    refused(&e, "POST", "/api/initiatives/1/milestones", &e.admin, "{\"title\":\"M\",\"progress\":101}", 400,
            "progress");
    refused(&e, "POST", "/api/proposals", &e.res2,
            "{\"area\":\"BU99990101\",\"area_year\":2016,\"title\":\"T\",\"text\":\"x\",\"theme\":\"jeugd\","
            "\"est_cost_eur\":-1}",
            400, "est_cost_eur");
    refused(&e, "POST", "/api/proposals", &e.res2,
            "{\"area\":\"GM9999\",\"area_year\":2016,\"title\":\"T\",\"text\":\"x\",\"theme\":\"jeugd\"}", 400, "area");
    refused(&e, "POST", "/api/users", &e.admin,
            "{\"name\":\"x y\",\"role\":\"viewer\",\"password\":\"lang-genoeg-wachtwoord\"}", 400, "name");
    refused(&e, "POST", "/api/users", &e.admin, "{\"name\":\"xy\",\"role\":\"god\",\"password\":\"lang-genoeg-ww\"}", 400,
            "role");
    /* bad query parameters name the parameter */
    wbt_http r = cw_req(e.port, "GET", "/api/initiatives?status=bezig", NULL, 0, NULL, NULL);
    ASSERT_EQ_I(r.status, 400);
    ASSERT(strstr(r.body, "\"param\":\"status\""));
    wbt_http_free(&r);
    r = cw_req(e.port, "GET", "/api/initiatives?colour=red", NULL, 0, NULL, NULL);
    ASSERT_EQ_I(r.status, 400);
    wbt_http_free(&r);
    wb_server_stop(e.srv, 2000);
}

TEST(web_collab_api, not_found_and_conflicts)
{
    env e;
    setup(&e);
    refused(&e, "GET", "/api/initiatives/999", NULL, NULL, 404, NULL);
    refused(&e, "PATCH", "/api/initiatives/999", &e.admin, "{\"title\":\"X\"}", 404, NULL);
    refused(&e, "DELETE", "/api/initiatives/999", &e.admin, NULL, 404, NULL);
    refused(&e, "POST", "/api/initiatives/999/milestones", &e.admin, "{\"title\":\"M\"}", 404, NULL);
    refused(&e, "POST", "/api/initiatives/999/contributions", &e.admin,
            "{\"partner_id\":1,\"kind\":\"hours\",\"amount\":1,\"start\":\"2021-01-01\",\"end\":\"2021-01-02\"}", 404, NULL);
    refused(&e, "GET", "/api/proposals/999", NULL, NULL, 404, NULL);
    refused(&e, "POST", "/api/proposals/999/support", &e.res2, NULL, 404, NULL);
    refused(&e, "GET", "/api/partners/999", NULL, NULL, 404, NULL);
    refused(&e, "POST", "/api/users/niemand/disable", &e.admin, "{\"disabled\":true}", 404, NULL);
    refused(&e, "GET", "/api/initiatives/0", NULL, NULL, 400, NULL);
    /* conflicts: a partner name taken, a proposal no longer open, a second support */
    refused(&e, "POST", "/api/partners", &e.admin, "{\"name\":\"politie b\",\"type\":\"politie\"}", 409, NULL);
    json_t *j = ok_json(&e, "POST", "/api/proposals/1/decline", &e.edB, "{\"reason\":\"Past niet in het plan.\"}", 200);
    ASSERT_EQ_S(sget(j, "status"), "declined");
    ASSERT_EQ_S(sget(j, "decline_reason"), "Past niet in het plan.");
    json_decref(j);
    refused(&e, "POST", "/api/proposals/1/adopt", &e.edA, "{}", 409, NULL);
    refused(&e, "POST", "/api/proposals/1/support", &e.res2, NULL, 409, NULL);
    /* a hidden proposal does not exist for anyone but the admin */
    j = ok_json(&e, "POST", "/api/proposals/1/hide", &e.admin, NULL, 200);
    json_decref(j);
    refused(&e, "GET", "/api/proposals/1", &e.res1, NULL, 404, NULL);
    j = ok_json(&e, "GET", "/api/proposals/1", &e.admin, NULL, 200);
    ASSERT_EQ_S(sget(j, "status"), "hidden");
    json_decref(j);
    j = ok_json(&e, "GET", "/api/proposals", &e.res1, NULL, 200);
    ASSERT_EQ_I(json_array_size(j), 0);
    json_decref(j);
    wb_server_stop(e.srv, 2000);
}

/* SQL and script in every text field: stored exactly as sent, sent back in JSON whose
 * strings can never close an HTML context (< > & as \u escapes), and the tables intact. */
TEST(web_collab_api, injection_is_stored_verbatim_and_sent_escaped)
{
    env e;
    setup(&e);
    const char *title = "Robert'); DROP TABLE initiative;--";
    const char *desc = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"quotes\" \xe2\x80\xa8";
    json_t *b = json_pack("{s:s,s:s,s:I,s:[s],s:[s],s:i}", "title", title, "description", desc, "lead_partner_id",
                          (json_int_t)e.f.pA, "themes", "wonen", "areas", "BU99990102", "area_year", 2016);
    char *body = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    wbt_http r = cw_req(e.port, "POST", "/api/initiatives", &e.edA, 1, body, NULL);
    free(body);
    ASSERT_EQ_I(r.status, 201);
    ASSERT_MSG(!strchr(r.body, '<') && !strchr(r.body, '>') && !strchr(r.body, '&'), "raw markup in JSON: %s", r.body);
    ASSERT(strstr(r.body, "\\u003cscript\\u003e"));
    json_t *j = cw_json(&r);
    long long id = iget(j, "id");
    ASSERT_EQ_S(sget(j, "title"), title);
    ASSERT_EQ_S(sget(j, "description"), desc);
    json_decref(j);
    wbt_http_free(&r);
    ASSERT_EQ_I(cw_int(e.f.db, "SELECT count(*) FROM initiative"), 3);

    /* a filter value with SQL in it finds nothing rather than everything */
    j = ok_json(&e, "GET", "/api/initiatives?theme=x%27%20OR%201%3D1--", NULL, NULL, 200);
    ASSERT_EQ_I(json_array_size(j), 0);
    json_decref(j);
    /* the title comes back verbatim from the list and the area register */
    char target[128];
    snprintf(target, sizeof target, "/api/initiatives/%lld", id);
    j = ok_json(&e, "GET", target, NULL, NULL, 200);
    ASSERT_EQ_S(sget(j, "title"), title);
    json_decref(j);
    /* a resident's proposal likewise */
    j = ok_json(&e, "POST", "/api/proposals", &e.res2,
                "{\"area\":\"BU99990102\",\"area_year\":2016,\"title\":\"<img src=x onerror=alert(3)>\","
                "\"text\":\"'; DELETE FROM proposal; --\",\"theme\":\"jeugd\"}",
                201);
    ASSERT_EQ_S(sget(j, "title"), "<img src=x onerror=alert(3)>");
    ASSERT_EQ_S(sget(j, "text"), "'; DELETE FROM proposal; --");
    json_decref(j);
    ASSERT_EQ_I(cw_int(e.f.db, "SELECT count(*) FROM proposal"), 2);
    /* the audit log (raw JSON from the library) is escaped too */
    r = cw_req(e.port, "GET", "/api/audit?limit=5", &e.admin, 0, NULL, NULL);
    ASSERT_EQ_I(r.status, 200);
    ASSERT_MSG(!strchr(r.body, '<') && !strchr(r.body, '>'), "raw markup in the audit JSON: %.400s", r.body);
    j = cw_json(&r);
    ASSERT(json_array_size(j) >= 2);
    json_decref(j);
    wbt_http_free(&r);
    wb_server_stop(e.srv, 2000);
}

TEST(web_collab_api, monitor_closed_by_the_admin)
{
    env e;
    setup(&e);
    const char *reads[] = {"/api/areas?level=wijk&year=2016", "/api/indicators", "/api/initiatives",
                           "/api/proposals", "/api/partners", "/api/themes", "/api/coalitions/matrix"};
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        wbt_http r = cw_req(e.port, "GET", reads[i], NULL, 0, NULL, NULL);
        ASSERT_MSG(r.status == 200, "GET %s while public: %d", reads[i], r.status);
        wbt_http_free(&r);
    }
    json_t *j = ok_json(&e, "PUT", "/api/settings", &e.admin, "{\"monitor_public\":false}", 200);
    json_decref(j);
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        wbt_http r = cw_req(e.port, "GET", reads[i], NULL, 0, NULL, NULL);
        ASSERT_MSG(r.status == 401, "GET %s while closed, logged out: %d", reads[i], r.status);
        wbt_http_free(&r);
        r = cw_req(e.port, "GET", reads[i], &e.viewer, 0, NULL, NULL);
        ASSERT_MSG(r.status == 200, "GET %s while closed, as a viewer: %d", reads[i], r.status);
        char cc[64];
        ASSERT(wbt_http_header(&r, "Cache-Control", cc, sizeof cc) && (strstr(cc, "private") || strstr(cc, "no-store")));
        wbt_http_free(&r);
    }
    /* the login page and /api/me stay reachable */
    j = ok_json(&e, "GET", "/api/me", NULL, NULL, 200);
    ASSERT(json_is_null(json_object_get(j, "user")));
    ASSERT(json_is_false(json_object_get(j, "monitor_public")));
    json_decref(j);
    cw_session s;
    ASSERT_EQ_I(cw_login(e.port, "bewoner1", cw_password("bewoner1"), &s), 200);
    j = ok_json(&e, "PUT", "/api/settings", &e.admin, "{\"monitor_public\":true}", 200);
    json_decref(j);
    wbt_http r = cw_req(e.port, "GET", reads[0], NULL, 0, NULL, NULL);
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    wb_server_stop(e.srv, 2000);
}

static int has_id(json_t *arr, long long id)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (iget(v, "id") == id) return 1;
    return 0;
}

TEST(web_collab_api, register_reads_and_filters)
{
    env e;
    setup(&e);
    /* a third initiative: B leads, jeugd, in wijk WK999902, 2025 */
    char body[512];
    snprintf(body, sizeof body,
             "{\"title\":\"Jongerenwerk\",\"lead_partner_id\":%lld,\"themes\":[\"jeugd\",\"veiligheid\"],"
             "\"areas\":[\"WK999902\"],\"area_year\":2016,\"start\":\"2025-01-01\",\"end\":\"2025-12-31\","
             "\"status\":\"idee\",\"targets\":[{\"indicator\":\"lbm_onv\",\"direction\":\"up\"}]}",
             (long long)e.f.pB);
    json_t *j = ok_json(&e, "POST", "/api/initiatives", &e.edB, body, 201);
    long long jw = iget(j, "id");
    ASSERT_EQ_S(sget(json_array_get(json_object_get(j, "targets"), 0), "direction"), "up");
    ASSERT(json_is_true(json_object_get(j, "can_edit")));
    json_decref(j);

    struct {
        const char *q;
        int a, b, w; /* expected membership of iniA, iniB, the new one */
    } cases[] = {
        {"", 1, 1, 1},
        {"?theme=jeugd", 0, 0, 1},
        {"?theme=veiligheid", 1, 1, 1},
        {"?status=lopend", 1, 0, 0},
        {"?partner=1", 1, 0, 0},   /* A leads iniA; it contributes nowhere else */
        {"?partner=2", 1, 1, 1},   /* B contributes to iniA, leads the others */
        {"?area=BU99990101", 1, 1, 0},
        {"?area=BU99990201&year=2016", 0, 0, 1}, /* in wijk WK999902 */
        {"?area=WK999901", 1, 1, 0},             /* buurten of wijk 1 */
        {"?active=2022", 1, 1, 0},
        {"?active=2025", 0, 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char t[128];
        snprintf(t, sizeof t, "/api/initiatives%s", cases[i].q);
        j = ok_json(&e, "GET", t, NULL, NULL, 200);
        ASSERT_MSG(has_id(j, e.f.iniA) == cases[i].a && has_id(j, e.f.iniB) == cases[i].b && has_id(j, jw) == cases[i].w,
                   "GET %s: A %d B %d new %d", t, has_id(j, e.f.iniA), has_id(j, e.f.iniB), has_id(j, jw));
        json_decref(j);
    }

    /* the initiative page: milestones, contributions, coalition over time */
    char t[128];
    snprintf(t, sizeof t, "/api/initiatives/%lld/milestones", (long long)e.f.iniA);
    j = ok_json(&e, "POST", t, &e.edA, "{\"title\":\"Lampen besteld\",\"progress\":60,\"due\":\"2022-03-01\"}", 201);
    long long ms = iget(j, "id");
    ASSERT_EQ_I(iget(j, "progress"), 60);
    json_decref(j);
    snprintf(t, sizeof t, "/api/milestones/%lld", ms);
    j = ok_json(&e, "PUT", t, &e.edA, "{\"title\":\"Lampen geplaatst\",\"progress\":100}", 200);
    ASSERT_EQ_S(sget(j, "title"), "Lampen geplaatst");
    json_decref(j);
    snprintf(t, sizeof t, "/api/initiatives/%lld", (long long)e.f.iniA);
    j = ok_json(&e, "GET", t, &e.edB, NULL, 200);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "milestones")), 1);
    json_t *cs = json_object_get(j, "contributions");
    ASSERT_EQ_I(json_array_size(cs), 2);
    /* editor B may edit B's contribution only, not the initiative */
    ASSERT(json_is_false(json_object_get(j, "can_edit")));
    for (size_t i = 0; i < 2; i++) {
        json_t *c = json_array_get(cs, i);
        ASSERT_EQ_I(json_is_true(json_object_get(c, "can_edit")), iget(c, "partner_id") == e.f.pB);
    }
    json_decref(j);
    snprintf(t, sizeof t, "/api/initiatives/%lld/coalitions", (long long)e.f.iniA);
    j = ok_json(&e, "GET", t, NULL, NULL, 200);
    /* A contributes in 2021, B in 2022: the coalition changes */
    ASSERT_EQ_I(json_array_size(j), 2);
    ASSERT_EQ_I(iget(json_array_get(j, 0), "year"), 2021);
    ASSERT_EQ_S(sget(json_array_get(j, 0), "partners"), "Woonstichting A");
    ASSERT_EQ_S(sget(json_array_get(j, 1), "partners"), "Politie B");
    ASSERT_EQ_S(sget(json_array_get(j, 1), "joined"), "Politie B");
    ASSERT_EQ_S(sget(json_array_get(j, 1), "left"), "Woonstichting A");
    json_decref(j);
    j = ok_json(&e, "GET", "/api/coalitions?year=2022", NULL, NULL, 200);
    ASSERT_EQ_I(json_array_size(j), 1);
    json_decref(j);
    j = ok_json(&e, "GET", "/api/coalitions/matrix?year=2025", NULL, NULL, 200);
    /* 2025: only the new initiative, led by B, one wijk, two themes */
    ASSERT_EQ_I(json_array_size(j), 2);
    ASSERT_EQ_S(sget(json_array_get(j, 0), "code"), "WK999902");
    json_decref(j);

    /* contributions: B edits and deletes its own */
    snprintf(t, sizeof t, "/api/contributions/%lld", (long long)e.f.contribB);
    j = ok_json(&e, "PUT", t, &e.edB, "{\"kind\":\"hours\",\"amount\":80,\"start\":\"2022-01-01\",\"end\":\"2022-12-31\"}",
                200);
    ASSERT_CLOSE(json_number_value(json_object_get(j, "amount")), 80, 0);
    json_decref(j);
    refused(&e, "PUT", t, &e.edA, "{\"kind\":\"hours\",\"amount\":1,\"start\":\"2022-01-01\",\"end\":\"2022-12-31\"}",
            403, NULL);
    j = ok_json(&e, "DELETE", t, &e.edB, NULL, 200);
    json_decref(j);

    /* the partner page */
    snprintf(t, sizeof t, "/api/partners/%lld", (long long)e.f.pB);
    j = ok_json(&e, "GET", t, NULL, NULL, 200);
    ASSERT_EQ_S(sget(j, "name"), "Politie B");
    ASSERT_EQ_I(json_array_size(json_object_get(j, "initiatives")), 2); /* iniB and the new one */
    json_decref(j);
    j = ok_json(&e, "GET", "/api/partners", NULL, NULL, 200);
    ASSERT_EQ_I(json_array_size(j), 2);
    json_decref(j);
    j = ok_json(&e, "GET", "/api/themes", NULL, NULL, 200);
    ASSERT(json_array_size(j) >= 9);
    json_decref(j);

    /* the profile's register: initiatives and proposals of a buurt */
    j = ok_json(&e, "GET", "/api/areas/BU99990101/register?year=2016", NULL, NULL, 200);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "initiatives")), 2);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "proposals")), 1);
    ASSERT(json_is_false(json_object_get(j, "can_file")));
    json_decref(j);
    j = ok_json(&e, "GET", "/api/areas/BU99990101/register", &e.res2, NULL, 200);
    ASSERT(json_is_true(json_object_get(j, "can_file")));
    json_t *p = json_array_get(json_object_get(j, "proposals"), 0);
    ASSERT(json_is_true(json_object_get(p, "can_support")));
    ASSERT(json_is_null(json_object_get(p, "author"))); /* residents' names are personal data */
    json_decref(j);
    wb_server_stop(e.srv, 2000);
}

TEST(web_collab_api, proposals_support_adopt_and_audit)
{
    env e;
    setup(&e);
    char t[128];
    snprintf(t, sizeof t, "/api/proposals/%lld", (long long)e.f.prop);
    json_t *j = ok_json(&e, "GET", t, &e.res1, NULL, 200);
    ASSERT(json_is_true(json_object_get(j, "own")));
    ASSERT_EQ_S(sget(j, "author"), "bewoner1");
    ASSERT(json_is_false(json_object_get(j, "can_support")));
    ASSERT_EQ_I(iget(j, "supports"), 0);
    json_decref(j);
    snprintf(t, sizeof t, "/api/proposals/%lld/support", (long long)e.f.prop);
    j = ok_json(&e, "POST", t, &e.res2, NULL, 200);
    ASSERT_EQ_I(iget(j, "supports"), 1);
    ASSERT(json_is_true(json_object_get(j, "supported")));
    ASSERT(json_is_false(json_object_get(j, "can_support")));
    json_decref(j);
    refused(&e, "POST", t, &e.res2, NULL, 409, NULL);
    /* adopted by A: an initiative that remembers where it came from */
    snprintf(t, sizeof t, "/api/proposals/%lld/adopt", (long long)e.f.prop);
    j = ok_json(&e, "POST", t, &e.edA, "{\"status\":\"gepland\"}", 201);
    ASSERT_EQ_I(iget(j, "proposal_id"), e.f.prop);
    ASSERT_EQ_S(sget(j, "title"), "Bankjes op het plein");
    ASSERT_EQ_I(iget(j, "lead_partner_id"), e.f.pA);
    long long ini = iget(j, "id");
    json_decref(j);
    snprintf(t, sizeof t, "/api/proposals/%lld", (long long)e.f.prop);
    j = ok_json(&e, "GET", t, NULL, NULL, 200);
    ASSERT_EQ_S(sget(j, "status"), "adopted");
    ASSERT_EQ_I(iget(j, "initiative_id"), ini);
    json_decref(j);

    /* every change above is in the audit log, with who and before/after */
    j = ok_json(&e, "GET", "/api/audit?entity=proposal", &e.admin, NULL, 200);
    int support = 0, adopt = 0;
    size_t i;
    json_t *v;
    json_array_foreach(j, i, v) {
        if (!strcmp(sget(v, "action"), "support") && !strcmp(sget(v, "actor"), "bewoner2"))
            support++;
        if (!strcmp(sget(v, "action"), "adopt") && !strcmp(sget(v, "actor"), "editor-a")) {
            adopt++;
            ASSERT_EQ_S(sget(json_object_get(v, "before"), "status"), "open");
            ASSERT_EQ_S(sget(json_object_get(v, "after"), "status"), "adopted");
        }
    }
    ASSERT_EQ_I(support, 1);
    ASSERT_EQ_I(adopt, 1);
    json_decref(j);
    snprintf(t, sizeof t, "/api/initiatives/%lld", (long long)e.f.iniA);
    j = ok_json(&e, "PATCH", t, &e.edA, "{\"status\":\"afgerond\"}", 200);
    ASSERT_EQ_S(sget(j, "title"), "Initiatief van A"); /* PATCH keeps what is not sent */
    ASSERT_EQ_S(sget(j, "status"), "afgerond");
    ASSERT_EQ_I(json_array_size(json_object_get(j, "areas")), 1);
    json_decref(j);
    snprintf(t, sizeof t, "/api/audit?entity=initiative&id=%lld", (long long)e.f.iniA);
    j = ok_json(&e, "GET", t, &e.admin, NULL, 200);
    json_t *last = json_array_get(j, 0);
    ASSERT_EQ_S(sget(last, "actor"), "editor-a");
    ASSERT_EQ_S(sget(last, "action"), "update");
    json_decref(j);
    refused(&e, "GET", "/api/audit", &e.edA, NULL, 403, NULL);
    refused(&e, "GET", "/api/users", &e.res1, NULL, 403, NULL);
    refused(&e, "GET", "/api/users", NULL, NULL, 401, NULL);
    j = ok_json(&e, "GET", "/api/users", &e.admin, NULL, 200);
    ASSERT_EQ_I(json_array_size(j), 6);
    json_decref(j);
    wbt_http r = cw_req(e.port, "GET", "/api/users", &e.admin, 0, NULL, NULL);
    ASSERT(!strstr(r.body, "argon2"));
    wbt_http_free(&r);
    /* disabling an account ends its sessions */
    j = ok_json(&e, "POST", "/api/users/bewoner2/disable", &e.admin, "{\"disabled\":true}", 200);
    json_decref(j);
    r = cw_req(e.port, "GET", "/api/me", &e.res2, 0, NULL, NULL);
    j = cw_json(&r);
    ASSERT(json_is_null(json_object_get(j, "user")));
    json_decref(j);
    wbt_http_free(&r);
    wb_server_stop(e.srv, 2000);
}
