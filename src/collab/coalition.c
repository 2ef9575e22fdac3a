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

static int collect_contrib(void *payload, const wb_reg_contribution *r)
{
    contrib *c = wbc_vec_push(payload);
    if (!c)
        return WB_ENOMEM;
    c->initiative_id = r->initiative_id;
    c->title = wbc_strdup(r->initiative);
    c->partner = wbc_strdup(r->partner);
    c->kind = wbc_strdup(r->kind);
    c->amount = r->amount;
    c->d0 = wbc_days(r->start);
    c->d1 = wbc_days(r->end);
    c->y0 = atoi(r->start);
    c->y1 = atoi(r->end);
    return 0;
}

static int load_contribs(wb_store *st, contrib **out, size_t *n, int64_t initiative_id)
{
    *out = NULL;
    *n = 0;
    wbc_vec cv = WBC_VEC_INIT(contrib);
    int error = wb_reg__contribution_by_partner(st, initiative_id, collect_contrib, &cv);
    if (error < 0) {
        contribs_free(cv.v, cv.n);
        return error;
    }
    *out = cv.v;
    *n = cv.n;
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
    if (initiative_id && wb_reg__exists(st, WB_REG_INITIATIVE, initiative_id) < 0) {
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

typedef struct {
    wb_str s;
    int first;
} names;

static int add_name(void *payload, const char *name)
{
    names *acc = payload;
    wb_str_printf(&acc->s, "%s%s", acc->first ? "" : ", ", name);
    acc->first = 0;
    return 0;
}

int wb_coalition_at(wb_store *st, const wb_actor *actor, char **out, int64_t initiative_id,
                    const char *date)
{
    *out = NULL;
    char d[11];
    int error;
    if ((error = wbc_authorize(st, actor, WB_ACT_READ_REGISTER, 0, 0)) < 0 ||
        (error = wbc_parse_date(d, "date", date)) < 0)
        return error;
    if (!d[0]) {
        wb_error_set(WB_ERRCLASS_ARG, "field 'date': required");
        return WB_EINVALID;
    }
    if (wb_reg__exists(st, WB_REG_INITIATIVE, initiative_id) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "no initiative with id %lld", (long long)initiative_id);
        return WB_ENOTFOUND;
    }
    names acc = {WB_STR_INIT, 1};
    if ((error = wb_reg__coalition_at(st, initiative_id, d, add_name, &acc)) < 0) {
        wb_str_dispose(&acc.s);
        return error;
    }
    *out = wb_str_detach(&acc.s);
    return *out ? 0 : WB_ENOMEM;
}

/* ---------------------------------------------------------------- matrix */

static int collect_cell(void *payload, const wb_reg_matrix_cell *r)
{
    wb_collab_cell *c = wbc_vec_push(payload);
    if (!c)
        return WB_ENOMEM;
    c->partner_id = r->partner_id;
    c->partner = wbc_strdup(r->partner);
    snprintf(c->code, sizeof c->code, "%s", r->code);
    c->area_year = r->area_year;
    c->theme = wbc_strdup(r->theme);
    c->initiatives = (size_t)r->initiatives;
    c->money_eur = r->money_eur;
    c->hours = r->hours;
    c->in_kind_eur = r->in_kind_eur;
    return 0;
}

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
    wbc_vec cv = WBC_VEC_INIT(wb_collab_cell);
    if ((error = wb_reg__matrix(st, year, collect_cell, &cv)) < 0) {
        wb_collab_cells_free(cv.v, cv.n);
        return error;
    }
    *out = cv.v;
    *n = cv.n;
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
