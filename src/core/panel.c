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

/* Open-addressing map from area row id to panel index. */
typedef struct {
    int64_t *ids;
    long *idx;
    size_t mask;
} id_map;

static size_t hash_id(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return (size_t)(x ^ (x >> 29));
}

static int id_map_init(id_map *m, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 1)
        cap <<= 1;
    m->ids = wb_malloc(cap * sizeof *m->ids);
    m->idx = wb_malloc(cap * sizeof *m->idx);
    m->mask = cap - 1;
    if (!m->ids || !m->idx)
        return WB_ENOMEM;
    for (size_t i = 0; i < cap; i++)
        m->ids[i] = -1;
    return 0;
}

static void id_map_put(id_map *m, int64_t id, long idx)
{
    size_t h = hash_id(id) & m->mask;
    while (m->ids[h] != -1 && m->ids[h] != id)
        h = (h + 1) & m->mask;
    m->ids[h] = id;
    m->idx[h] = idx;
}

static long id_map_get(const id_map *m, int64_t id)
{
    size_t h = hash_id(id) & m->mask;
    while (m->ids[h] != -1) {
        if (m->ids[h] == id)
            return m->idx[h];
        h = (h + 1) & m->mask;
    }
    return -1;
}

static void id_map_dispose(id_map *m)
{
    wb_free(m->ids);
    wb_free(m->idx);
}

/* "1,5,7": the indicator row ids for an IN list (they come from the database, so inlining
 * them is safe). */
static int id_list(wb_str *s, const int64_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (wb_str_printf(s, "%s%lld", i ? "," : "", (long long)ids[i]) < 0)
            return WB_ENOMEM;
    return 0;
}

static int pick_boundary_year(wb_store *st, int *out, wb_level level, const int64_t *ids, size_t n)
{
    wb_str sql = WB_STR_INIT;
    sqlite3_stmt *s = NULL;
    int error = 0;
    if (wb_str_puts(&sql, "SELECT max(a.year) FROM area a WHERE a.level = ?1 AND EXISTS (SELECT 1 "
                          "FROM observation o WHERE o.area_id = a.id AND o.indicator_id IN (") < 0 ||
        id_list(&sql, ids, n) < 0 || wb_str_puts(&sql, "))") < 0) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = wb_store__prepare(st, &s, sql.ptr)) < 0)
        goto done;
    sqlite3_bind_text(s, 1, wb_level_name(level), -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        error = wb_store__error(st, "choosing the boundary year");
        goto done;
    }
    if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
        wb_error_set(WB_ERRCLASS_STORE, "no %s has values of the requested indicators", wb_level_name(level));
        error = WB_ENOTFOUND;
        goto done;
    }
    *out = sqlite3_column_int(s, 0);
done:
    sqlite3_finalize(s);
    wb_str_dispose(&sql);
    return error;
}

/* Distinct data years of the indicators within [from, to], ascending. */
static int candidate_years(wb_store *st, int **out, size_t *n, const int64_t *ids, size_t nids, int from,
                           int to)
{
    sqlite3_stmt *s = NULL;
    /* distinct years by skipping through the primary key (indicator, year, area): one index
     * probe per year instead of a scan over every observation */
    int error = wb_store__prepare(
        st, &s,
        "WITH RECURSIVE y(v) AS (SELECT min(year) FROM observation WHERE indicator_id = ?1 AND year >= ?2 "
        "UNION ALL SELECT (SELECT min(year) FROM observation WHERE indicator_id = ?1 AND year > v) FROM y "
        "WHERE v IS NOT NULL AND (?3 = 0 OR v < ?3)) "
        "SELECT v FROM y WHERE v IS NOT NULL AND (?3 = 0 OR v <= ?3)");
    int *ys = NULL;
    size_t ny = 0, cap = 0;
    if (error < 0)
        return error;
    for (size_t k = 0; k < nids && error == 0; k++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, ids[k]);
        sqlite3_bind_int(s, 2, from);
        sqlite3_bind_int(s, 3, to);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            int y = sqlite3_column_int(s, 0);
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
        if (error == 0 && rc != SQLITE_DONE)
            error = wb_store__error(st, "listing data years");
    }
    sqlite3_finalize(s);
    if (error < 0) {
        wb_free(ys);
        return error;
    }
    *out = ys;
    *n = ny;
    return 0;
}

/* Read the observations of every indicator for the areas of @p p whose row ids are in @p m.
 * The query walks the observation primary key (indicator, year, area) without a join: rows of
 * areas on other boundaries or levels are skipped by the id map, which is cheaper than looking
 * every row's area up in SQLite. */
static int fill_values(wb_store *st, wb_panel *p, const id_map *m, const int64_t *ids)
{
    sqlite3_stmt *s = NULL;
    int error = wb_store__prepare(st, &s, "SELECT year, area_id, value FROM observation WHERE indicator_id = ?1 "
                                          "AND year >= ?2 AND year <= ?3");
    if (error < 0)
        return error;
    for (size_t k = 0; k < p->nk && error == 0; k++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, ids[k]);
        sqlite3_bind_int(s, 2, p->ny ? p->years[0] : 0);
        sqlite3_bind_int(s, 3, p->ny ? p->years[p->ny - 1] : -1);
        int rc, last_year = INT_MIN;
        long t = -1;
        double *block = p->data + k * p->ny * p->na;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            int y = sqlite3_column_int(s, 0);
            if (y != last_year) {
                t = wb_panel_find_year(p, y);
                last_year = y;
            }
            if (t < 0 || sqlite3_column_type(s, 2) == SQLITE_NULL)
                continue;
            long a = id_map_get(m, sqlite3_column_int64(s, 1));
            if (a >= 0)
                block[(size_t)t * p->na + (size_t)a] = sqlite3_column_double(s, 2);
        }
        if (rc != SQLITE_DONE)
            error = wb_store__error(st, "reading values");
    }
    sqlite3_finalize(s);
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
    id_map m = {0};
    sqlite3_stmt *s = NULL;
    int error = id_map_init(&m, q->na);
    if (error < 0)
        goto done;
    if ((error = wb_store__prepare(st, &s, "SELECT id, name FROM area WHERE code = ?1 AND year = ?2")) < 0)
        goto done;
    q->names = wb_calloc(q->na, sizeof *q->names);
    if (!q->names) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < q->na; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, q->codes[i], -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, p->boundary_year);
        if (sqlite3_step(s) == SQLITE_ROW) {
            id_map_put(&m, sqlite3_column_int64(s, 0), (long)i);
            const unsigned char *nm = sqlite3_column_text(s, 1);
            if (nm && !(q->names[i] = wb_strdup((const char *)nm))) {
                error = WB_ENOMEM;
                goto done;
            }
        }
    }
    error = fill_values(st, q, &m, ids);
done:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    sqlite3_finalize(s);
    id_map_dispose(&m);
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
    id_map m = {0};

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
    if (!p->names || !parents_of || id_map_init(&m, nareas) < 0) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t a = 0; a < nareas; a++) {
        memcpy(p->codes[a], areas[a].code, WB_CODE_MAX);
        p->names[a] = areas[a].name; /* take ownership */
        areas[a].name = NULL;
        parents_of[a] = areas[a].parent;
        id_map_put(&m, areas[a].id, (long)a);
    }
    for (size_t k = 0; k < nkeys; k++) {
        if (!(p->keys[k] = wb_strdup(canon[k]))) {
            error = WB_ENOMEM;
            goto done;
        }
    }
    if ((error = index_codes(p)) < 0)
        goto done;
    if ((error = fill_values(st, p, &m, ids)) < 0)
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
    id_map_dispose(&m);
    wb_panel_free(p);
    wb_free(parents_of);
    wb_areas_free(areas, nareas);
    wb_free(years);
    wb_free(canon);
    wb_free(ids);
    return error;
}
