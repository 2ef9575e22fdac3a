/** @file @brief Coalitions over time and the partners x areas x themes matrix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collab/collab_internal.h"

typedef struct {
    int64_t initiative_id;
    char *title, *partner, *kind;
    double amount;
    long d0, d1;   /* days since 1970 of the period's first and last day */
    int y0, y1;    /* its first and last calendar year */
} contrib;

static void contribs_free(contrib *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        wb_free(c[i].title);
        wb_free(c[i].partner);
        wb_free(c[i].kind);
    }
    wb_free(c);
}

static int load_contribs(wb_store *st, contrib **out, size_t *n, int64_t initiative_id)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s,
                                  "SELECT c.initiative_id, i.title, p.name, c.kind, c.amount, c.start_date,"
                                  " c.end_date FROM contribution c JOIN initiative i ON i.id = c.initiative_id"
                                  " JOIN partner p ON p.id = c.partner_id WHERE (?1 = 0 OR c.initiative_id = ?1)"
                                  " ORDER BY c.initiative_id, p.name COLLATE NOCASE, p.name");
    if (error < 0)
        return error;
    sqlite3_bind_int64(s, 1, initiative_id);
    contrib *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 32;
            contrib *nv = wb_realloc(v, cap * sizeof *v);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            v = nv;
        }
        contrib *c = &v[cnt++];
        c->initiative_id = sqlite3_column_int64(s, 0);
        c->title = wbc_col_dup(s, 1);
        c->partner = wbc_col_dup(s, 2);
        c->kind = wbc_col_dup(s, 3);
        c->amount = sqlite3_column_double(s, 4);
        const char *a = (const char *)sqlite3_column_text(s, 5), *b = (const char *)sqlite3_column_text(s, 6);
        c->d0 = wbc_days(a);
        c->d1 = wbc_days(b);
        c->y0 = atoi(a);
        c->y1 = atoi(b);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "reading contributions");
    sqlite3_finalize(s);
    if (error < 0) {
        contribs_free(v, cnt);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

/* Does the comma-joined sorted list @p set contain @p name? Names are compared whole. */
static int set_has(char *const *set, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(set[i], name))
            return 1;
    return 0;
}

static char *join(char *const *names, size_t n)
{
    wb_str s = WB_STR_INIT;
    for (size_t i = 0; i < n; i++)
        if (wb_str_printf(&s, "%s%s", i ? ", " : "", names[i]) < 0) {
            wb_str_dispose(&s);
            return NULL;
        }
    return wb_str_detach(&s);
}

static char *join_diff(char *const *a, size_t na, char *const *b, size_t nb)
{
    /* names in a that are not in b */
    wb_str s = WB_STR_INIT;
    int first = 1;
    for (size_t i = 0; i < na; i++) {
        if (set_has(b, nb, a[i]))
            continue;
        if (wb_str_printf(&s, "%s%s", first ? "" : ", ", a[i]) < 0) {
            wb_str_dispose(&s);
            return NULL;
        }
        first = 0;
    }
    return wb_str_detach(&s);
}

int wb_coalitions_by_year(wb_store *st, const wb_actor *actor, wb_coalition_year **out,
                          size_t *n, int64_t initiative_id)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    int64_t x;
    if (initiative_id && wbc_query_int(st, &x, "SELECT id FROM initiative WHERE id = ?1", initiative_id) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "no initiative with id %lld", (long long)initiative_id);
        return WB_ENOTFOUND;
    }
    contrib *c = NULL;
    size_t nc = 0;
    if ((error = load_contribs(st, &c, &nc, initiative_id)) < 0)
        return error;
    wb_coalition_year *v = NULL;
    size_t cnt = 0, cap = 0;
    char **prev = NULL, **cur = NULL;
    size_t nprev = 0, ncur = 0;
    prev = wb_calloc(nc + 1, sizeof *prev);
    cur = wb_calloc(nc + 1, sizeof *cur);
    if (!prev || !cur) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t lo = 0; lo < nc;) {
        size_t hi = lo;
        int y0 = c[lo].y0, y1 = c[lo].y1;
        while (hi < nc && c[hi].initiative_id == c[lo].initiative_id) {
            if (c[hi].y0 < y0)
                y0 = c[hi].y0;
            if (c[hi].y1 > y1)
                y1 = c[hi].y1;
            hi++;
        }
        nprev = 0;
        for (int y = y0; y <= y1; y++) {
            char ys[11], ye[11];
            snprintf(ys, sizeof ys, "%04d-01-01", y);
            snprintf(ye, sizeof ye, "%04d-12-31", y);
            long d0 = wbc_days(ys), d1 = wbc_days(ye);
            if (cnt == cap) {
                cap = cap ? 2 * cap : 32;
                wb_coalition_year *nv = wb_realloc(v, cap * sizeof *v);
                if (!nv) {
                    error = WB_ENOMEM;
                    goto done;
                }
                v = nv;
            }
            wb_coalition_year *r = &v[cnt++];
            memset(r, 0, sizeof *r);
            r->initiative_id = c[lo].initiative_id;
            r->year = y;
            r->title = wb_strdup(c[lo].title);
            ncur = 0;
            for (size_t k = lo; k < hi; k++) {
                long a = c[k].d0 > d0 ? c[k].d0 : d0, b = c[k].d1 < d1 ? c[k].d1 : d1;
                if (b < a)
                    continue;
                /* the amount is spread evenly over the days of its period */
                double share = c[k].amount * (double)(b - a + 1) / (double)(c[k].d1 - c[k].d0 + 1);
                if (!strcmp(c[k].kind, "money_eur"))
                    r->money_eur += share;
                else if (!strcmp(c[k].kind, "hours"))
                    r->hours += share;
                else
                    r->in_kind_eur += share;
                if (!ncur || strcmp(cur[ncur - 1], c[k].partner))
                    cur[ncur++] = c[k].partner; /* sorted by name: duplicates are adjacent */
            }
            r->npartners = ncur;
            r->partners = join(cur, ncur);
            r->joined = join_diff(cur, ncur, prev, nprev);
            r->left = join_diff(prev, nprev, cur, ncur);
            if (!r->title || !r->partners || !r->joined || !r->left) {
                error = WB_ENOMEM;
                goto done;
            }
            memcpy(prev, cur, ncur * sizeof *cur);
            nprev = ncur;
        }
        lo = hi;
    }
done:
    wb_free(prev);
    wb_free(cur);
    contribs_free(c, nc);
    if (error < 0) {
        wb_coalitions_free(v, cnt);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

void wb_coalitions_free(wb_coalition_year *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(c[i].title);
        wb_free(c[i].partners);
        wb_free(c[i].joined);
        wb_free(c[i].left);
    }
    wb_free(c);
}

int wb_coalition_at(wb_store *st, const wb_actor *actor, char **out, int64_t initiative_id,
                    const char *date)
{
    *out = NULL;
    char d[11];
    int64_t x;
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0)) < 0 ||
        (error = wbc_parse_date(d, "date", date)) < 0)
        return error;
    if (!d[0]) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'date': required");
        return WB_EINVALID;
    }
    if (wbc_query_int(st, &x, "SELECT id FROM initiative WHERE id = ?1", initiative_id) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "no initiative with id %lld", (long long)initiative_id);
        return WB_ENOTFOUND;
    }
    sqlite3_stmt *s = NULL;
    if ((error = wb_store__prepare(st, &s, "SELECT DISTINCT p.name FROM contribution c JOIN partner p"
                                           " ON p.id = c.partner_id WHERE c.initiative_id = ?1"
                                           " AND c.start_date <= ?2 AND c.end_date >= ?2"
                                           " ORDER BY p.name COLLATE NOCASE, p.name")) < 0)
        return error;
    sqlite3_bind_int64(s, 1, initiative_id);
    wbc_bind_text(s, 2, d);
    wb_str acc = WB_STR_INIT;
    int rc, first = 1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        wb_str_printf(&acc, "%s%s", first ? "" : ", ", sqlite3_column_text(s, 0));
        first = 0;
    }
    if (rc != SQLITE_DONE)
        error = wb_store__error(st, "reading a coalition");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_str_dispose(&acc);
        return error;
    }
    *out = wb_str_detach(&acc);
    return *out ? 0 : WB_ENOMEM;
}

/* ---------------------------------------------------------------- matrix */

int wb_collab_matrix(wb_store *st, const wb_actor *actor, wb_collab_cell **out, size_t *n,
                     int year)
{
    *out = NULL;
    *n = 0;
    int error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0);
    if (error < 0)
        return error;
    if (year && (year < 1900 || year > 2200)) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'year': expected 1900 to 2200, got %d", year);
        return WB_EINVALID;
    }
    sqlite3_stmt *s = NULL;
    error = wb_store__prepare(
        st, &s,
        "WITH yr(y, ys, ye) AS (SELECT ?1, printf('%04d-01-01', ?1), printf('%04d-12-31', ?1)),"
        " act(id, lead) AS (SELECT i.id, i.lead_partner_id FROM initiative i, yr WHERE yr.y = 0"
        "   OR ((i.start_date IS NULL OR i.start_date <= yr.ye)"
        "   AND (i.end_date IS NULL OR i.end_date >= yr.ys))),"
        " cf AS (SELECT c.initiative_id, c.partner_id, c.kind, c.amount * (CASE WHEN yr.y = 0 THEN 1.0"
        "   ELSE max(0.0, julianday(min(c.end_date, yr.ye)) - julianday(max(c.start_date, yr.ys)) + 1)"
        "   / (julianday(c.end_date) - julianday(c.start_date) + 1) END) AS share,"
        "   (yr.y = 0 OR (c.start_date <= yr.ye AND c.end_date >= yr.ys)) AS inyear"
        "   FROM contribution c, yr),"
        " pm(initiative_id, partner_id, money, hours, inkind) AS (SELECT initiative_id, partner_id,"
        "   sum(CASE kind WHEN 'money_eur' THEN share ELSE 0 END),"
        "   sum(CASE kind WHEN 'hours' THEN share ELSE 0 END),"
        "   sum(CASE kind WHEN 'in_kind' THEN share ELSE 0 END)"
        "   FROM cf WHERE inyear GROUP BY initiative_id, partner_id),"
        " inv(initiative_id, partner_id) AS (SELECT id, lead FROM act"
        "   UNION SELECT pm.initiative_id, pm.partner_id FROM pm JOIN act ON act.id = pm.initiative_id)"
        " SELECT p.id, p.name, a.code, a.year, t.name, count(*), sum(coalesce(pm.money, 0)),"
        "   sum(coalesce(pm.hours, 0)), sum(coalesce(pm.inkind, 0))"
        " FROM inv JOIN partner p ON p.id = inv.partner_id"
        " JOIN initiative_area ia ON ia.initiative_id = inv.initiative_id"
        " JOIN area a ON a.id = ia.area_id"
        " JOIN initiative_theme it ON it.initiative_id = inv.initiative_id"
        " JOIN theme t ON t.id = it.theme_id"
        " LEFT JOIN pm ON pm.initiative_id = inv.initiative_id AND pm.partner_id = inv.partner_id"
        " GROUP BY p.id, a.id, t.id ORDER BY p.name, a.code, t.id");
    if (error < 0)
        return error;
    sqlite3_bind_int(s, 1, year);
    wb_collab_cell *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            cap = cap ? 2 * cap : 32;
            wb_collab_cell *nv = wb_realloc(v, cap * sizeof *v);
            if (!nv) {
                error = WB_ENOMEM;
                break;
            }
            v = nv;
        }
        wb_collab_cell *c = &v[cnt++];
        memset(c, 0, sizeof *c);
        c->partner_id = sqlite3_column_int64(s, 0);
        c->partner = wbc_col_dup(s, 1);
        snprintf(c->code, sizeof c->code, "%s", sqlite3_column_text(s, 2));
        c->area_year = sqlite3_column_int(s, 3);
        c->theme = wbc_col_dup(s, 4);
        c->initiatives = (size_t)sqlite3_column_int64(s, 5);
        c->money_eur = sqlite3_column_double(s, 6);
        c->hours = sqlite3_column_double(s, 7);
        c->in_kind_eur = sqlite3_column_double(s, 8);
    }
    if (error == 0 && rc != SQLITE_DONE)
        error = wb_store__error(st, "computing partners x areas x themes");
    sqlite3_finalize(s);
    if (error < 0) {
        wb_collab_cells_free(v, cnt);
        return error;
    }
    *out = v;
    *n = cnt;
    return 0;
}

void wb_collab_cells_free(wb_collab_cell *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        wb_free(c[i].partner);
        wb_free(c[i].theme);
    }
    wb_free(c);
}
