/** @file @brief The collaboration test fixture. */
#include <sodium.h>
#include <stdlib.h>

#include "collab/cfix.h"
#include "store/store_internal.h"

static void add_areas(wb_store *st)
{
    static const struct {
        const char *code;
        int year;
        wb_level level;
    } areas[] = {
        {"GM0999", 2020, WB_LEVEL_GEMEENTE}, {"WK099900", 2020, WB_LEVEL_WIJK},
        {"WK099901", 2020, WB_LEVEL_WIJK},   {"BU09990001", 2020, WB_LEVEL_BUURT},
        {"BU09990002", 2020, WB_LEVEL_BUURT}, {"BU09990003", 2020, WB_LEVEL_BUURT},
        {"BU09990004", 2020, WB_LEVEL_BUURT}, {"BU09990101", 2020, WB_LEVEL_BUURT},
        {"GM0999", 2019, WB_LEVEL_GEMEENTE}, {"BU09990099", 2019, WB_LEVEL_BUURT},
    };
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
        WB_PASS(wb_store_area_put(st, NULL, areas[i].code, areas[i].year, areas[i].level, "Buurt", NULL));
    wb_indicator ind = {0};
    ind.key = "eigen_indicator";
    ind.label_nl = "Een eigen indicator";
    WB_PASS(wb_store_indicator_put(st, NULL, &ind));
}

wb_store *cfix_areas_store(const char *path)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path ? path : ":memory:", WB_STORE_CREATE));
    add_areas(st);
    return st;
}

const char *cfix_password(const char *name)
{
    static char buf[8][96];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 96, "geheim-%s-wachtwoord", name);
    return p;
}

static void user(cfix *f, wb_actor *out, const char *name, wb_role role, int64_t partner)
{
    WB_PASS(wb_auth_user_add(f->st, NULL, &f->cli, name, role, partner, cfix_password(name), &f->fast));
    WB_PASS(wb_actor_of_user(f->st, out, name, NULL));
}

void cfix_open(cfix *f, const char *path)
{
    memset(f, 0, sizeof *f);
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    o.opslimit = crypto_pwhash_OPSLIMIT_MIN;
    o.memlimit = crypto_pwhash_MEMLIMIT_MIN;
    f->fast = o;
    f->st = cfix_areas_store(path);
    wb_actor_cli(&f->cli, "tester");
    wb_actor anon = WB_ACTOR_ANONYMOUS;
    f->anon = anon;
    WB_PASS(wb_partner_add(f->st, &f->pA, &f->cli, "Woonstichting A", "woningcorporatie", "a@example.org"));
    WB_PASS(wb_partner_add(f->st, &f->pB, &f->cli, "Politie B", "politie", NULL));
    user(f, &f->admin, "beheerder", WB_ROLE_ADMIN, 0);
    user(f, &f->edA, "editor-a", WB_ROLE_PARTNER, f->pA);
    user(f, &f->edB, "editor-b", WB_ROLE_PARTNER, f->pB);
    user(f, &f->res1, "bewoner1", WB_ROLE_RESIDENT, 0);
    user(f, &f->res2, "bewoner2", WB_ROLE_RESIDENT, 0);
    user(f, &f->viewer, "kijker", WB_ROLE_VIEWER, 0);

    char *themes[] = {"veiligheid"};
    char *areas[] = {"BU09990001"};
    wb_initiative in;
    memset(&in, 0, sizeof in);
    in.title = "Initiatief van A";
    in.status = "lopend";
    in.start = "2021-01-01";
    in.end = "2023-12-31";
    in.lead_partner_id = f->pA;
    in.themes = themes;
    in.nthemes = 1;
    in.areas = areas;
    in.nareas = 1;
    in.area_year = 2020;
    WB_PASS(wb_initiative_add(f->st, &f->iniA, &f->cli, &in));
    in.title = "Initiatief van B";
    in.lead_partner_id = f->pB;
    WB_PASS(wb_initiative_add(f->st, &f->iniB, &f->cli, &in));

    wb_contribution c;
    memset(&c, 0, sizeof c);
    c.initiative_id = f->iniA;
    c.partner_id = f->pA;
    c.kind = "money_eur";
    c.amount = 1000;
    c.start = "2021-01-01";
    c.end = "2021-12-31";
    WB_PASS(wb_contribution_add(f->st, &f->contribA, &f->cli, &c));
    c.partner_id = f->pB;
    c.kind = "hours";
    c.amount = 40;
    WB_PASS(wb_contribution_add(f->st, &f->contribB, &f->cli, &c));

    wb_proposal p;
    memset(&p, 0, sizeof p);
    p.area = "BU09990001";
    p.area_year = 2020;
    p.title = "Bankjes op het plein";
    p.text = "Er is nergens een plek om te zitten.";
    p.theme = "openbare ruimte";
    p.est_cost_eur = NAN;
    WB_PASS(wb_proposal_add(f->st, &f->prop, &f->res1, &p));
}

void cfix_close(cfix *f)
{
    wb_store_free(f->st);
    f->st = NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *cfix_snapshot_except(wb_store *st, const char *skip)
{
    sqlite3 *db = wb_store__db(st);
    sqlite3_stmt *tables = NULL;
    ASSERT(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                  " AND (?1 IS NULL OR name <> ?1) ORDER BY name", -1, &tables, NULL) == SQLITE_OK);
    ASSERT(sqlite3_bind_text(tables, 1, skip, -1, SQLITE_STATIC) == SQLITE_OK);
    wb_str out = WB_STR_INIT;
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
        sqlite3_stmt *s = NULL;
        ASSERT(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK);
        char **lines = NULL;
        size_t n = 0, cap = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            wb_str line = WB_STR_INIT;
            wb_str_printf(&line, "%s:", name);
            for (int i = 0; i < sqlite3_column_count(s); i++) {
                if (sqlite3_column_type(s, i) == SQLITE_BLOB) {
                    const unsigned char *b = sqlite3_column_blob(s, i);
                    for (int k = 0; k < sqlite3_column_bytes(s, i); k++)
                        wb_str_printf(&line, "%02x", b[k]);
                    wb_str_putc(&line, '|');
                } else {
                    const unsigned char *t = sqlite3_column_text(s, i);
                    wb_str_printf(&line, "%s|", t ? (const char *)t : "NULL");
                }
            }
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                lines = realloc(lines, cap * sizeof *lines);
                ASSERT(lines);
            }
            lines[n++] = wb_str_detach(&line);
        }
        sqlite3_finalize(s);
        if (n)
            qsort(lines, n, sizeof *lines, cmp_str);
        for (size_t i = 0; i < n; i++) {
            wb_str_printf(&out, "%s\n", lines[i]);
            wb_free(lines[i]);
        }
        free(lines);
    }
    sqlite3_finalize(tables);
    return wb_str_detach(&out);
}

char *cfix_snapshot(wb_store *st)
{
    return cfix_snapshot_except(st, NULL);
}

long long cfix_int(wb_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    ASSERT_MSG(sqlite3_prepare_v2(wb_store__db(st), sql, -1, &s, NULL) == SQLITE_OK, "bad SQL: %s", sql);
    long long v = -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}
