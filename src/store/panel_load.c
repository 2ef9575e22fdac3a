/**
 * @file
 * @brief Loading a panel (wijkbeeld/panel.h) out of the store: the areas of a level and
 * boundary year, the data years with values, and the values straight from the stored
 * observation rows (obs.c), chunk by chunk into the panel's columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/panel_internal.h"
#include "store/store_internal.h"
#include "wijkbeeld/errors.h"

/* The latest boundary year among the areas of @p level that have a value (or a stored
 * missing value) of one of the indicators: a presence bitmap over area ids from the stored
 * rows, then one pass over the areas of the level. */
static int pick_boundary_year(wb_store *st, int *out, wb_level level, const int64_t *ids, size_t n)
{
    sqlite3_stmt *s = NULL;
    uint64_t *seen = NULL;
    int error = wb_store__prepare(st, &s, "SELECT max(id) FROM area");
    if (error < 0)
        return error;
    int64_t max_id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    s = NULL;
    size_t nbits = (size_t)(max_id > 0 ? max_id : 0) + 1;
    if (!(seen = wb_calloc((nbits + 63) / 64, sizeof *seen))) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < n; k++)
        if ((error = wb_obs__presence(wb_store__obs(st), ids[k], seen, nbits)) < 0)
            goto done;
    if ((error = wb_store__prepare(st, &s, "SELECT id, year FROM area WHERE level = ?1")) < 0)
        goto done;
    sqlite3_bind_text(s, 1, wb_level_name(level), -1, SQLITE_STATIC);
    int best = 0, found = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        int y = sqlite3_column_int(s, 1);
        if (id >= 0 && (size_t)id < nbits && (seen[id / 64] >> (id % 64) & 1) && (!found || y > best)) {
            best = y;
            found = 1;
        }
    }
    if (rc != SQLITE_DONE) {
        error = wb_store__error(st, "choosing the boundary year");
        goto done;
    }
    if (!found) {
        wb_error_set(WB_ERRCLASS_STORE, "no %s has values of the requested indicators", wb_level_name(level));
        error = WB_ENOTFOUND;
        goto done;
    }
    *out = best;
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    sqlite3_finalize(s);
    wb_free(seen);
    return error;
}

/* Distinct data years of the indicators within [from, to] (0: open), ascending. */
static int candidate_years(wb_store *st, int **out, size_t *n, const int64_t *ids, size_t nids, int from,
                           int to)
{
    int *ys = NULL;
    size_t ny = 0, cap = 0;
    int error = 0;
    for (size_t k = 0; k < nids && error == 0; k++) {
        int *got = NULL;
        size_t ng = 0;
        if ((error = wb_obs__years(wb_store__obs(st), ids[k], from > 0 ? from : 1, to > 0 ? to : 4095, &got,
                                   &ng)) < 0)
            break;
        for (size_t g = 0; g < ng; g++) {
            int y = got[g];
            size_t i = 0;
            while (i < ny && ys[i] < y)
                i++;
            if (i < ny && ys[i] == y)
                continue;
            if (ny == cap) {
                cap = cap ? 2 * cap : 32;
                int *nys = wb_realloc(ys, cap * sizeof *nys);
                if (!nys) {
                    error = WB_ENOMEM;
                    break;
                }
                ys = nys;
            }
            memmove(ys + i + 1, ys + i, (ny - i) * sizeof *ys);
            ys[i] = y;
            ny++;
        }
        wb_free(got);
    }
    if (error < 0) {
        wb_free(ys);
        return error;
    }
    *out = ys;
    *n = ny;
    return 0;
}

/* Where the values of a stored row go: per chunk of area ids that holds areas of the panel,
 * the panel index of each of its WB_OBS_CHUNK slots (-1: not in the panel). */
typedef struct {
    int64_t *chunks; /* sorted */
    int32_t *slots;  /* [i * WB_OBS_CHUNK + slot] */
    size_t n;
    short tyear[4096]; /* data year -> panel year index, -1 */
    double *block;     /* the indicator's values in the panel */
    size_t na;
} fill_ctx;

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static int fill_row(void *payload, const wb_obs_row *r)
{
    fill_ctx *f = payload;
    int t = r->year >= 0 && r->year < 4096 ? f->tyear[r->year] : -1;
    if (t < 0)
        return 0;
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->chunks[mid] < r->chunk)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == f->n || f->chunks[lo] != r->chunk)
        return 0;
    const int32_t *slot = f->slots + lo * WB_OBS_CHUNK;
    double *col = f->block + (size_t)t * f->na;
    int i = 0;
    for (int w = 0; w < 4; w++)
        for (uint64_t m = r->bits[w]; m; m &= m - 1, i++) {
            int32_t a = slot[w * 64 + __builtin_ctzll(m)];
            if (a >= 0)
                col[a] = wb_obs__row_value(r, i); /* NaN (missing) stays NaN */
        }
    return 0;
}

/* Read the observations of every indicator for the areas of @p p (row ids in @p area_ids,
 * by panel index) from the stored rows of each indicator (src/store/obs.c): rows of chunks
 * without panel areas are skipped, the others go slot by slot into the panel. */
static int fill_values(wb_store *st, wb_panel *p, const int64_t *area_ids, const int64_t *ids)
{
    fill_ctx f;
    memset(&f, 0, sizeof f);
    int error = 0;
    int64_t *all = wb_malloc((p->na ? p->na : 1) * sizeof *all);
    f.chunks = wb_malloc((p->na ? p->na : 1) * sizeof *f.chunks);
    if (!all || !f.chunks) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t a = 0; a < p->na; a++)
        all[a] = area_ids[a] / WB_OBS_CHUNK;
    qsort(all, p->na, sizeof *all, cmp_i64);
    for (size_t a = 0; a < p->na; a++)
        if (f.n == 0 || f.chunks[f.n - 1] != all[a])
            f.chunks[f.n++] = all[a];
    if (!(f.slots = wb_malloc((f.n ? f.n : 1) * WB_OBS_CHUNK * sizeof *f.slots))) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < f.n * WB_OBS_CHUNK; i++)
        f.slots[i] = -1;
    for (size_t a = 0; a < p->na; a++) {
        if (area_ids[a] < 0)
            continue;
        int64_t c = area_ids[a] / WB_OBS_CHUNK;
        int64_t *at = bsearch(&c, f.chunks, f.n, sizeof *f.chunks, cmp_i64);
        f.slots[(size_t)(at - f.chunks) * WB_OBS_CHUNK + (size_t)(area_ids[a] % WB_OBS_CHUNK)] = (int32_t)a;
    }
    for (size_t y = 0; y < 4096; y++)
        f.tyear[y] = -1;
    for (size_t t = 0; t < p->ny; t++)
        if (p->years[t] >= 0 && p->years[t] < 4096)
            f.tyear[p->years[t]] = (short)t;
    f.na = p->na;
    for (size_t k = 0; k < p->nk && error == 0 && p->ny; k++) {
        f.block = p->data + k * p->ny * p->na;
        error = wb_obs__rows(wb_store__obs(st), ids[k], p->years[0], p->years[p->ny - 1], fill_row, &f);
    }
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory while loading a panel");
    wb_free(all);
    wb_free(f.chunks);
    wb_free(f.slots);
    return error;
}

static int load_parents(wb_store *st, wb_panel *p, const int64_t *ids)
{
    wb_panel *q = p->parents;
    sqlite3_stmt *s = NULL;
    int error = 0;
    int64_t *area_ids = wb_malloc((q->na ? q->na : 1) * sizeof *area_ids);
    if (!area_ids) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = wb_store__prepare(st, &s, "SELECT id, name FROM area WHERE code = ?1 AND year = ?2")) < 0)
        goto done;
    q->names = wb_calloc(q->na, sizeof *q->names);
    if (!q->names) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < q->na; i++) {
        area_ids[i] = -1;
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, q->codes[i], -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, p->boundary_year);
        if (sqlite3_step(s) == SQLITE_ROW) {
            area_ids[i] = sqlite3_column_int64(s, 0);
            const unsigned char *nm = sqlite3_column_text(s, 1);
            if (nm && !(q->names[i] = wb_strdup((const char *)nm))) {
                error = WB_ENOMEM;
                goto done;
            }
        }
    }
    error = fill_values(st, q, area_ids, ids);
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    sqlite3_finalize(s);
    wb_free(area_ids);
    return error;
}

int wb_panel_load(wb_panel **out, wb_store *st, const char *const *keys, size_t nkeys,
                  const wb_panel_opts *o)
{
    *out = NULL;
    int error = 0;
    int64_t *ids = NULL;
    char (*canon)[64] = NULL;
    wb_area *areas = NULL;
    size_t nareas = 0, ny = 0;
    int *years = NULL;
    const char **parents_of = NULL;
    wb_panel *p = NULL;
    int64_t *area_ids = NULL;

    if (!o || o->level >= WB_LEVEL__MAX || nkeys == 0) {
        wb_error_set(WB_ERRCLASS_ARG, "panel: a level and at least one indicator are required");
        return WB_EINVALID;
    }
    ids = wb_calloc(nkeys, sizeof *ids);
    canon = wb_calloc(nkeys, sizeof *canon);
    if (!ids || !canon) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < nkeys; k++) {
        if ((error = wb_store_indicator_resolve(st, &ids[k], canon[k], keys[k])) < 0)
            goto done;
        for (size_t j = 0; j < k; j++) {
            if (ids[j] == ids[k]) {
                wb_error_set(WB_ERRCLASS_ARG, "indicator %s is asked for twice (as '%s' and '%s')", canon[k],
                             keys[j], keys[k]);
                error = WB_EINVALID;
                goto done;
            }
        }
    }
    int byear = o->boundary_year;
    if (byear == 0 && (error = pick_boundary_year(st, &byear, o->level, ids, nkeys)) < 0)
        goto done;
    wb_area_query aq = WB_AREA_QUERY_INIT;
    aq.level = o->level;
    aq.year = byear;
    if ((error = wb_store_areas(st, &areas, &nareas, &aq)) < 0)
        goto done;
    if (nareas == 0) {
        wb_error_set(WB_ERRCLASS_STORE, "no %s areas with boundary year %d in the store", wb_level_name(o->level),
                     byear);
        error = WB_ENOTFOUND;
        goto done;
    }
    if ((error = candidate_years(st, &years, &ny, ids, nkeys, o->year_from, o->year_to)) < 0)
        goto done;
    if ((error = wb_panel__alloc(&p, nareas, ny, nkeys)) < 0)
        goto done;
    p->level = o->level;
    p->boundary_year = byear;
    memcpy(p->years, years, ny * sizeof *years);
    p->names = wb_calloc(nareas, sizeof *p->names);
    parents_of = wb_calloc(nareas, sizeof *parents_of);
    area_ids = wb_malloc(nareas * sizeof *area_ids);
    if (!p->names || !parents_of || !area_ids) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t a = 0; a < nareas; a++) {
        memcpy(p->codes[a], areas[a].code, WB_CODE_MAX);
        p->names[a] = areas[a].name; /* take ownership */
        areas[a].name = NULL;
        parents_of[a] = areas[a].parent;
        area_ids[a] = areas[a].id;
    }
    for (size_t k = 0; k < nkeys; k++) {
        if (!(p->keys[k] = wb_strdup(canon[k]))) {
            error = WB_ENOMEM;
            goto done;
        }
    }
    if ((error = wb_panel__index_codes(p)) < 0)
        goto done;
    if ((error = fill_values(st, p, area_ids, ids)) < 0)
        goto done;
    wb_panel__drop_empty_years(p);
    if (o->with_parents) {
        if ((error = wb_panel__build_parents(p, parents_of)) < 0 || (error = load_parents(st, p, ids)) < 0)
            goto done;
    }
    *out = p;
    p = NULL;
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory while loading a panel");
    wb_free(area_ids);
    wb_panel_free(p);
    wb_free(parents_of);
    wb_areas_free(areas, nareas);
    wb_free(years);
    wb_free(canon);
    wb_free(ids);
    return error;
}
