/** @file @brief Helpers of the register's HTTP tests. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "collab/cfix.h"
#include "test.h"
#include "web/cweb.h"

const char *const cw_role_label[CW__MAX] = {"admin", "editor A", "editor B", "resident 1",
                                            "resident 2", "viewer", "logged out"};
const char *const cw_user[CW__MAX] = {"beheerder", "editor-a", "editor-b", "bewoner1",
                                      "bewoner2", "kijker", NULL};

const char *cw_password(const char *user)
{
    static char buf[8][96];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 96, "Geheim-%s-2024!", user);
    return p;
}

wb_auth_opts cw_fast_opts(void)
{
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    o.opslimit = crypto_pwhash_OPSLIMIT_MIN;
    o.memlimit = crypto_pwhash_MEMLIMIT_MIN;
    return o;
}

void cw_fixture_make(cw_fixture *f, const char *path)
{
    memset(f, 0, sizeof *f);
    snprintf(f->db, sizeof f->db, "%s", path);
    wbt_fixture_db(path);
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, 0));
    wb_actor cli;
    wb_actor_cli(&cli, "tester");
    wb_auth_opts fast = cw_fast_opts();
    WB_PASS(wb_partner_add(st, &f->pA, &cli, "Woonstichting A", "woningcorporatie", "a@example.org"));
    WB_PASS(wb_partner_add(st, &f->pB, &cli, "Politie B", "politie", NULL));
    const wb_role roles[] = {WB_ROLE_ADMIN, WB_ROLE_PARTNER, WB_ROLE_PARTNER, WB_ROLE_RESIDENT,
                             WB_ROLE_RESIDENT, WB_ROLE_VIEWER};
    for (int r = 0; r < CW_ANON; r++)
        WB_PASS(wb_auth_user_add(st, NULL, &cli, cw_user[r], roles[r],
                                 r == CW_EDA ? f->pA : r == CW_EDB ? f->pB : 0, cw_password(cw_user[r]), &fast));

    char *themes[] = {"veiligheid"};
    char *areas[] = {"BU99990101"};
    wb_initiative in;
    memset(&in, 0, sizeof in);
    in.title = "Initiatief van A";
    in.description = "Verlichting in de straten";
    in.status = "lopend";
    in.start = "2021-01-01";
    in.end = "2023-12-31";
    in.lead_partner_id = f->pA;
    in.themes = themes;
    in.nthemes = 1;
    in.areas = areas;
    in.nareas = 1;
    in.area_year = WBT_BYEAR;
    WB_PASS(wb_initiative_add(st, &f->iniA, &cli, &in));
    in.title = "Initiatief van B";
    in.lead_partner_id = f->pB;
    in.status = "gepland";
    WB_PASS(wb_initiative_add(st, &f->iniB, &cli, &in));

    wb_contribution c;
    memset(&c, 0, sizeof c);
    c.initiative_id = f->iniA;
    c.partner_id = f->pA;
    c.kind = "money_eur";
    c.amount = 1000;
    c.start = "2021-01-01";
    c.end = "2021-12-31";
    WB_PASS(wb_contribution_add(st, &f->contribA, &cli, &c));
    c.partner_id = f->pB;
    c.kind = "hours";
    c.amount = 40;
    c.start = "2022-01-01";
    c.end = "2022-12-31";
    WB_PASS(wb_contribution_add(st, &f->contribB, &cli, &c));

    wb_actor res1;
    WB_PASS(wb_actor_of_user(st, &res1, "bewoner1", NULL));
    wb_proposal p;
    memset(&p, 0, sizeof p);
    p.area = "BU99990101";
    p.area_year = WBT_BYEAR;
    p.title = "Bankjes op het plein";
    p.text = "Er is nergens een plek om te zitten.";
    p.theme = "openbare ruimte";
    p.est_cost_eur = 2500;
    WB_PASS(wb_proposal_add(st, &f->prop, &res1, &p));
    wb_store_free(st);
}

wb_server *cw_server(const char *db, const wb_server_opts *o)
{
    wb_server_opts opts = WB_SERVER_OPTS_INIT;
    if (o)
        opts = *o;
    wb_auth_opts fast = cw_fast_opts();
    if (!opts.auth)
        opts.auth = &fast; /* copied by the server */
    opts.port = 0;
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, db, &opts));
    return srv;
}

static void header_value(const wbt_http *r, const char *name, char *out, size_t n)
{
    if (!wbt_http_header(r, name, out, n))
        out[0] = 0;
}

int cw_login(int port, const char *user, const char *password, cw_session *s)
{
    memset(s, 0, sizeof *s);
    json_t *b = json_pack("{s:s,s:s}", "user", user, "password", password);
    char *body = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    wbt_http r = cw_req(port, "POST", "/api/login", NULL, 0, body, NULL);
    free(body);
    int status = r.status;
    if (status == 200) {
        header_value(&r, "Set-Cookie", s->set_cookie, sizeof s->set_cookie);
        const char *v = strstr(s->set_cookie, "wb_session=");
        ASSERT_MSG(v, "login: no session cookie in %s", r.head);
        v += strlen("wb_session=");
        snprintf(s->token, sizeof s->token, "%.*s", (int)strcspn(v, ";"), v);
        json_t *j = cw_json(&r);
        const char *csrf = json_string_value(json_object_get(j, "csrf"));
        ASSERT_MSG(csrf && strlen(csrf) == 43, "login: no CSRF token in %s", r.body);
        snprintf(s->csrf, sizeof s->csrf, "%s", csrf);
        json_decref(j);
    }
    wbt_http_free(&r);
    return status;
}

wbt_http cw_req(int port, const char *method, const char *target, const cw_session *s, int csrf,
                const char *body, const char *extra)
{
    wb_str h = WB_STR_INIT;
    wb_str_printf(&h, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, target);
    if (s && s->token[0])
        wb_str_printf(&h, "Cookie: theme=dark; wb_session=%s\r\n", s->token);
    if (s && csrf)
        wb_str_printf(&h, "X-CSRF-Token: %s\r\n", s->csrf);
    if (extra)
        wb_str_puts(&h, extra);
    if (body)
        wb_str_printf(&h, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", strlen(body), body);
    else
        wb_str_puts(&h, "Content-Length: 0\r\n\r\n");
    wbt_http r = wbt_http_raw(port, h.ptr, h.len, 20000);
    wb_str_dispose(&h);
    return r;
}

json_t *cw_json(const wbt_http *r)
{
    json_error_t err;
    json_t *j = json_loadb(r->body, r->body_len, 0, &err);
    ASSERT_MSG(j, "invalid JSON (%s), status %d: %.300s", err.text, r->status, r->body);
    return j;
}

char *cw_snapshot(const char *path)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, WB_STORE_READONLY));
    char *out = cfix_snapshot_except(st, "session");
    wb_store_free(st);
    return out;
}

long long cw_int(const char *path, const char *sql)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, WB_STORE_READONLY));
    long long v = cfix_int(st, sql);
    wb_store_free(st);
    return v;
}
