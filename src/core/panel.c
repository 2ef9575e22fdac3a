/** @file @brief The columnar panel (area x year x indicator) and its bulk loader. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/store_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/panel.h"

struct wb_panel {
    wb_level level;
    int boundary_year;
    size_t na, ny, nk;
    char (*codes)[WB_CODE_MAX];
    char **names;     /* NULL or per area (entries may be NULL) */
    int *years;
    char **keys;
    double *data;     /* [(k * ny + t) * na + a] */
    size_t *by_code;  /* area indices sorted by code */
    long *gm;         /* per area: index in parents, or -1 */
    wb_panel *parents;
};

/* ---------------------------------------------------------------- accessors */

size_t wb_panel_nareas(const wb_panel *p) { return p->na; }
size_t wb_panel_nyears(const wb_panel *p) { return p->ny; }
size_t wb_panel_nkeys(const wb_panel *p) { return p->nk; }
wb_level wb_panel_level(const wb_panel *p) { return p->level; }
int wb_panel_boundary_year(const wb_panel *p) { return p->boundary_year; }
const char *wb_panel_code(const wb_panel *p, size_t a) { return p->codes[a]; }
const char *wb_panel_name(const wb_panel *p, size_t a) { return p->names ? p->names[a] : NULL; }
int wb_panel_year(const wb_panel *p, size_t t) { return p->years[t]; }
const char *wb_panel_key(const wb_panel *p, size_t k) { return p->keys[k]; }
const wb_panel *wb_panel_parents(const wb_panel *p) { return p->parents; }
long wb_panel_gemeente(const wb_panel *p, size_t a) { return p->gm ? p->gm[a] : -1; }

double *wb_panel_column(wb_panel *p, size_t k, size_t t)
{
    return p->data + (k * p->ny + t) * p->na;
}

const double *wb_panel_ccolumn(const wb_panel *p, size_t k, size_t t)
{
    return p->data + (k * p->ny + t) * p->na;
}

double wb_panel_get(const wb_panel *p, size_t a, size_t t, size_t k)
{
    return p->data[(k * p->ny + t) * p->na + a];
}

void wb_panel_set(wb_panel *p, size_t a, size_t t, size_t k, double v)
{
    p->data[(k * p->ny + t) * p->na + a] = v;
}

long wb_panel_find_area(const wb_panel *p, const char *code)
{
    size_t lo = 0, hi = p->na;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->codes[p->by_code[mid]], code);
        if (c == 0)
            return (long)p->by_code[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

long wb_panel_find_year(const wb_panel *p, int year)
{
    for (size_t t = 0; t < p->ny; t++)
        if (p->years[t] == year)
            return (long)t;
    return -1;
}

long wb_panel_find_key(const wb_panel *p, const char *key)
{
    for (size_t k = 0; k < p->nk; k++)
        if (!strcasecmp(p->keys[k], key))
            return (long)k;
    return -1;
}

void wb_panel_free(wb_panel *p)
{
    if (!p)
        return;
    if (p->names)
        for (size_t a = 0; a < p->na; a++)
            wb_free(p->names[a]);
    for (size_t k = 0; p->keys && k < p->nk; k++)
        wb_free(p->keys[k]);
    wb_free(p->names);
    wb_free(p->keys);
    wb_free(p->codes);
    wb_free(p->years);
    wb_free(p->data);
    wb_free(p->by_code);
    wb_free(p->gm);
    wb_panel_free(p->parents);
    wb_free(p);
}

/* ---------------------------------------------------------------- construction */

static const char (*sort_codes)[WB_CODE_MAX]; /* qsort has no payload; set just before use */

static int cmp_by_code(const void *x, const void *y)
{
    return strcmp(sort_codes[*(const size_t *)x], sort_codes[*(const size_t *)y]);
}

/* Allocate a panel of the given shape with all values NaN; codes/keys filled by the caller. */
static int alloc_panel(wb_panel **out, size_t na, size_t ny, size_t nk)
{
    wb_panel *p = wb_calloc(1, sizeof *p);
    if (!p)
        return WB_ENOMEM;
    p->na = na;
    p->ny = ny;
    p->nk = nk;
    size_t ncell = na * ny * nk;
    p->codes = wb_calloc(na ? na : 1, sizeof *p->codes);
    p->years = wb_calloc(ny ? ny : 1, sizeof *p->years);
    p->keys = wb_calloc(nk ? nk : 1, sizeof *p->keys);
    p->data = wb_malloc((ncell ? ncell : 1) * sizeof *p->data);
    p->by_code = wb_calloc(na ? na : 1, sizeof *p->by_code);
    if (!p->codes || !p->years || !p->keys || !p->data || !p->by_code) {
        wb_panel_free(p);
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory for a panel of %zu areas x %zu years x %zu indicators",
                     na, ny, nk);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < ncell; i++)
        p->data[i] = NAN;
    *out = p;
    return 0;
}

/* Sort the code index; fail on a duplicate code. */
static int index_codes(wb_panel *p)
{
    for (size_t a = 0; a < p->na; a++)
        p->by_code[a] = a;
    sort_codes = (const char (*)[WB_CODE_MAX])p->codes;
    qsort(p->by_code, p->na, sizeof *p->by_code, cmp_by_code);
    for (size_t i = 1; i < p->na; i++) {
        if (!strcmp(p->codes[p->by_code[i - 1]], p->codes[p->by_code[i]])) {
            wb_error_set(WB_ERRCLASS_ARG, "area code %s occurs twice in the panel", p->codes[p->by_code[i]]);
            return WB_EINVALID;
        }
    }
    return 0;
}

/* The gemeente code of an area: by the CBS code hierarchy, else the stored parent when it is
 * a gemeente. "" when unknown. */
static void gemeente_of(char out[WB_CODE_MAX], const char *code, const char *stored_parent)
{
    char cur[WB_CODE_MAX];
    out[0] = 0;
    snprintf(cur, sizeof cur, "%s", code);
    if (!strncmp(cur, "GM", 2)) {
        snprintf(out, WB_CODE_MAX, "%s", cur);
        return;
    }
    for (int depth = 0; depth < 3; depth++) {
        char up[WB_CODE_MAX];
        if (wb_code_parent(up, cur) < 0)
            break;
        if (!strncmp(up, "GM", 2)) {
            snprintf(out, WB_CODE_MAX, "%s", up);
            return;
        }
        snprintf(cur, sizeof cur, "%s", up);
    }
    wb_error_clear();
    if (stored_parent && !strncmp(stored_parent, "GM", 2))
        snprintf(out, WB_CODE_MAX, "%s", stored_parent);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Build the parents panel (gemeenten of the areas + NL00, all NaN) and the area -> gemeente map.
 * @p parents_of gives each area's stored parent (may be NULL). */
static int build_parents(wb_panel *p, const char *const *parents_of)
{
    int error = 0;
    char (*gmc)[WB_CODE_MAX] = wb_calloc(p->na ? p->na : 1, sizeof *gmc);
    char **uniq = wb_calloc(p->na + 1, sizeof *uniq);
    size_t nu = 0;
    wb_panel *q = NULL;
    p->gm = wb_malloc((p->na ? p->na : 1) * sizeof *p->gm);
    if (!gmc || !uniq || !p->gm) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t a = 0; a < p->na; a++) {
        gemeente_of(gmc[a], p->codes[a], parents_of ? parents_of[a] : NULL);
        if (gmc[a][0])
            uniq[nu++] = gmc[a];
    }
    qsort(uniq, nu, sizeof *uniq, cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < nu; i++)
        if (w == 0 || strcmp(uniq[w - 1], uniq[i]))
            uniq[w++] = uniq[i];
    nu = w;
    if ((error = alloc_panel(&q, nu + 1, p->ny, p->nk)) < 0)
        goto done;
    q->level = WB_LEVEL_GEMEENTE;
    q->boundary_year = p->boundary_year;
    for (size_t i = 0; i < nu; i++)
        snprintf(q->codes[i], WB_CODE_MAX, "%s", uniq[i]);
    snprintf(q->codes[nu], WB_CODE_MAX, "NL00");
    memcpy(q->years, p->years, p->ny * sizeof *p->years);
    for (size_t k = 0; k < p->nk; k++) {
        if (!(q->keys[k] = wb_strdup(p->keys[k]))) {
            error = WB_ENOMEM;
            goto done;
        }
    }
    if ((error = index_codes(q)) < 0)
        goto done;
    for (size_t a = 0; a < p->na; a++)
        p->gm[a] = gmc[a][0] ? wb_panel_find_area(q, gmc[a]) : -1;
    p->parents = q;
    q = NULL;
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    wb_panel_free(q);
    wb_free(gmc);
    wb_free(uniq);
    return error;
}

int wb_panel_new(wb_panel **out, size_t nareas, const char *const *codes, size_t nyears,
                 const int *years, size_t nkeys, const char *const *keys, int boundary_year)
{
    *out = NULL;
    wb_panel *p = NULL;
    int error;
    for (size_t t = 1; t < nyears; t++) {
        if (years[t] <= years[t - 1]) {
            wb_error_set(WB_ERRCLASS_ARG, "panel years must be strictly increasing (%d after %d)",
                         years[t], years[t - 1]);
            return WB_EINVALID;
        }
    }
    for (size_t k = 0; k < nkeys; k++) {
        for (size_t j = 0; j < k; j++) {
            if (!strcasecmp(keys[j], keys[k])) {
                wb_error_set(WB_ERRCLASS_ARG, "indicator %s occurs twice in the panel", keys[k]);
                return WB_EINVALID;
            }
        }
    }
    if ((error = alloc_panel(&p, nareas, nyears, nkeys)) < 0)
        return error;
    p->level = WB_LEVEL_OTHER;
    p->boundary_year = boundary_year;
    for (size_t a = 0; a < nareas; a++) {
        if (strlen(codes[a]) >= WB_CODE_MAX) {
            wb_error_set(WB_ERRCLASS_ARG, "area code '%s' is too long", codes[a]);
            error = WB_EINVALID;
            goto fail;
        }
        snprintf(p->codes[a], WB_CODE_MAX, "%s", codes[a]);
    }
    memcpy(p->years, years, nyears * sizeof *years);
    for (size_t k = 0; k < nkeys; k++) {
        if (!(p->keys[k] = wb_strdup(keys[k]))) {
            error = WB_ENOMEM;
            goto fail;
        }
    }
    if ((error = index_codes(p)) < 0 || (error = build_parents(p, NULL)) < 0)
        goto fail;
    *out = p;
    return 0;
fail:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    wb_panel_free(p);
    return error;
}

/* ---------------------------------------------------------------- loading from the store */

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

/* Drop years in which no indicator has a value for any area. */
static void drop_empty_years(wb_panel *p)
{
    size_t w = 0;
    for (size_t t = 0; t < p->ny; t++) {
        int any = 0;
        for (size_t k = 0; k < p->nk && !any; k++) {
            const double *c = wb_panel_ccolumn(p, k, t);
            for (size_t a = 0; a < p->na; a++)
                if (!isnan(c[a])) {
                    any = 1;
                    break;
                }
        }
        if (!any)
            continue;
        if (w != t) {
            for (size_t k = 0; k < p->nk; k++)
                memmove(p->data + (k * p->ny + w) * p->na, p->data + (k * p->ny + t) * p->na,
                        p->na * sizeof *p->data);
            p->years[w] = p->years[t];
        }
        w++;
    }
    if (w == p->ny)
        return;
    /* repack the indicator blocks to the new year count */
    for (size_t k = 0; k < p->nk; k++)
        memmove(p->data + k * w * p->na, p->data + k * p->ny * p->na, w * p->na * sizeof *p->data);
    p->ny = w;
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
    if ((error = alloc_panel(&p, nareas, ny, nkeys)) < 0)
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
    if ((error = index_codes(p)) < 0)
        goto done;
    if ((error = fill_values(st, p, area_ids, ids)) < 0)
        goto done;
    drop_empty_years(p);
    if (o->with_parents) {
        if ((error = build_parents(p, parents_of)) < 0 || (error = load_parents(st, p, ids)) < 0)
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
