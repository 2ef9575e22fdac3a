/** @file @brief The columnar panel (area x year x indicator); the store fills it
 *  (src/store/panel_load.c) through core/panel_internal.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/panel_internal.h"
#include "wijkbeeld/errors.h"

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

int wb_panel__alloc(wb_panel **out, size_t na, size_t ny, size_t nk)
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

int wb_panel__index_codes(wb_panel *p)
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

int wb_panel__build_parents(wb_panel *p, const char *const *parents_of)
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
    if ((error = wb_panel__alloc(&q, nu + 1, p->ny, p->nk)) < 0)
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
    if ((error = wb_panel__index_codes(q)) < 0)
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
    if ((error = wb_panel__alloc(&p, nareas, nyears, nkeys)) < 0)
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
    if ((error = wb_panel__index_codes(p)) < 0 || (error = wb_panel__build_parents(p, NULL)) < 0)
        goto fail;
    *out = p;
    return 0;
fail:
    if (error == WB_ENOMEM)
        wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    wb_panel_free(p);
    return error;
}

void wb_panel__drop_empty_years(wb_panel *p)
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
