/** @file @brief The issue-7 API routes on the demo municipality with its register: real HTTP
 *  requests to a server on 127.0.0.1 (ephemeral port). */
#include <jansson.h>
#include <stdlib.h>

#include "effort/efix.h"
#include "web/webtest.h"

static json_t *get(int port, const char *target, int want)
{
    wbt_http r = wbt_http_req(port, "GET", target, NULL);
    ASSERT_MSG(r.status == want, "GET %s: status %d, expected %d; body %.300s", target, r.status, want, r.body);
    json_error_t err;
    json_t *j = json_loadb(r.body, r.body_len, 0, &err);
    ASSERT_MSG(j, "GET %s: invalid JSON (%s): %.200s", target, err.text, r.body);
    wbt_http_free(&r);
    return j;
}

static json_t *area_of(json_t *areas, const char *code)
{
    size_t i;
    json_t *a;
    json_array_foreach(areas, i, a) if (!strcmp(json_string_value(json_object_get(a, "code")), code)) return a;
    return NULL;
}

TEST(effort_web, gaps_overlaps_effort_and_effect_routes)
{
    const char *root = getenv("WB_ROOT");
    if (!root)
        SKIP("WB_ROOT not set (run through make test)");
    char db[4096], models[4096], gap[32] = "";
    long a = 0, b = 0;
    snprintf(db, sizeof db, "%s", wbt_tmp("demo.db"));
    wbt_run_result r = wbt_run(NULL, "--quiet --db '%s' demo", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' demo register GM9999", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(sscanf(strstr(r.out, "planted gap: "), "planted gap: %31s", gap) == 1);
    ASSERT(sscanf(strstr(r.out, "planted overlap: "), "planted overlap: initiatives %ld and %ld", &a, &b) == 2);
    char viewer_pw[64] = "";
    ASSERT(sscanf(strstr(r.out, "demo-kijker"), "demo-kijker %*s %63s", viewer_pw) == 1);
    wbt_run_free(&r);
    snprintf(models, sizeof models, "%s/models", root);
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.models_dir = models;
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, db, &o));
    int port = wb_server_port(srv);

    /* gaps: the planted one, without initiatives; all=1 lists every scored buurt */
    json_t *j = get(port, "/api/gaps?model=lbm&level=buurt", 200);
    ASSERT_EQ_S(json_string_value(json_object_get(j, "model")), "lbm");
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "break_year")), 2012);
    ASSERT(json_is_true(json_object_get(j, "themes_map")));
    ASSERT(json_is_true(json_object_get(j, "lisa"))); /* the demo has geometry */
    json_t *g = area_of(json_object_get(j, "areas"), gap);
    ASSERT_MSG(g, "gap %s missing", gap);
    ASSERT_EQ_S(json_string_value(json_object_get(g, "status")), "gap");
    ASSERT_EQ_I(json_array_size(json_object_get(g, "initiatives")), 0);
    ASSERT(json_array_size(json_object_get(g, "gaps")) >= 1);
    size_t nneed = (size_t)json_integer_value(json_object_get(json_object_get(j, "summary"), "need"));
    ASSERT_EQ_I(json_array_size(json_object_get(j, "areas")), nneed);
    json_decref(j);
    j = get(port, "/api/gaps?all=1", 200);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "areas")), 79);
    size_t nll = 0, i;
    json_t *ar;
    json_array_foreach(json_object_get(j, "areas"), i, ar) nll += json_is_string(json_object_get(ar, "cluster")) &&
                                                               !strcmp(json_string_value(json_object_get(ar, "cluster")), "LL");
    ASSERT(nll >= 5);
    json_decref(j);
    j = get(port, "/api/gaps?all=1&lisa=0", 200);
    ASSERT(json_is_false(json_object_get(j, "lisa")));
    json_decref(j);
    char target[256];
    snprintf(target, sizeof target, "/api/gaps?code=%s", gap);
    j = get(port, target, 200);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "areas")), 1);
    json_decref(j);
    j = get(port, "/api/gaps?code=WK999901&all=1", 200); /* a wijk: its buurten */
    ASSERT(json_array_size(json_object_get(j, "areas")) >= 5);
    json_decref(j);

    /* overlaps: the planted pair */
    j = get(port, "/api/overlaps", 200);
    ASSERT(json_integer_value(json_object_get(j, "count")) >= 1);
    json_t *p0 = json_array_get(json_object_get(j, "pairs"), 0);
    ASSERT_EQ_I(json_integer_value(json_object_get(json_object_get(p0, "a"), "id")), a);
    ASSERT_EQ_I(json_integer_value(json_object_get(json_object_get(p0, "b"), "id")), b);
    ASSERT_EQ_S(json_string_value(json_object_get(p0, "relation")), "same_area");
    ASSERT(strstr(json_string_value(json_object_get(p0, "partners")), "Politie"));
    ASSERT(json_is_true(json_object_get(j, "neighbours")));
    json_decref(j);
    j = get(port, "/api/overlaps?year=2019", 200);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "count")), 0);
    json_decref(j);

    /* effort against need */
    j = get(port, "/api/effort?year=2022", 200);
    ASSERT_EQ_I(json_array_size(json_object_get(j, "areas")), 80);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "score_year")), 2022);
    json_t *rank = json_object_get(j, "rank");
    ASSERT_EQ_I(json_integer_value(json_object_get(rank, "n")), 79);
    ASSERT(json_is_number(json_object_get(rank, "rho_eur")));
    ASSERT(json_number_value(json_object_get(json_object_get(j, "totals"), "money_eur")) > 0);
    json_decref(j);
    j = get(port, "/api/effort?year=2022&split=even", 200);
    ASSERT_EQ_S(json_string_value(json_object_get(j, "split")), "even");
    json_decref(j);

    /* the effect of the first planted initiative */
    snprintf(target, sizeof target, "/api/initiatives/%ld/effect?draws=199&seed=3", a);
    j = get(port, target, 200);
    ASSERT_EQ_I(json_integer_value(json_object_get(j, "id")), a);
    ASSERT(json_array_size(json_object_get(j, "results")) >= 1);
    ASSERT(strstr(json_string_value(json_object_get(j, "words")), "cannot show"));
    ASSERT(json_is_true(json_object_get(j, "measurable")));
    json_decref(j);
    /* an idea without a start date: nothing to measure, said as an answer */
    j = get(port, "/api/initiatives/8/effect", 200);
    ASSERT(json_is_false(json_object_get(j, "measurable")));
    ASSERT(strstr(json_string_value(json_object_get(j, "reason")), "no start date"));
    json_decref(j);

    /* bad and unknown requests */
    json_decref(get(port, "/api/initiatives/9999/effect", 404));
    json_decref(get(port, "/api/effort", 400));
    json_decref(get(port, "/api/effort?year=2022&split=odd", 400));
    json_decref(get(port, "/api/gaps?all=2", 400));
    json_decref(get(port, "/api/gaps?model=nope", 404));
    json_decref(get(port, "/api/gaps?level=land", 400));
    json_decref(get(port, "/api/overlaps?status=bezig", 400));
    json_decref(get(port, "/api/initiatives/1/effect?draws=100000", 400));
    json_decref(get(port, "/api/initiatives/0/effect", 400));
    wb_server_stop(srv, 1000);

    /* a closed register: anonymous requests are refused */
    r = wbt_run(NULL, "--db '%s' setting set monitor_public 0", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    WB_PASS(wb_server_start(&srv, db, &o));
    port = wb_server_port(srv);
    json_decref(get(port, "/api/overlaps", 401));
    json_decref(get(port, "/api/gaps", 401));
    /* ... while a logged-in account reads them, as itself */
    char body[256];
    snprintf(body, sizeof body, "{\"user\": \"demo-kijker\", \"password\": \"%s\"}", viewer_pw);
    char login[1024];
    snprintf(login, sizeof login,
             "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
             strlen(body), body);
    wbt_http lr = wbt_http_raw(port, login, strlen(login), 10000);
    ASSERT_MSG(lr.status == 200, "login: %d %s", lr.status, lr.body);
    char cookie[256], header[320];
    ASSERT(wbt_http_header(&lr, "Set-Cookie", cookie, sizeof cookie));
    *strchr(cookie, ';') = 0;
    wbt_http_free(&lr);
    snprintf(header, sizeof header, "Cookie: %s\r\n", cookie);
    wbt_http gr = wbt_http_req(port, "GET", "/api/overlaps", header);
    ASSERT_MSG(gr.status == 200, "overlaps as the viewer: %d %s", gr.status, gr.body);
    ASSERT(strstr(gr.body, "\"count\":1"));
    wbt_http_free(&gr);
    wb_server_stop(srv, 1000);
}
