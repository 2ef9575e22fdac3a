/** @file @brief Overlaps: initiatives of different partners on one theme in the same,
 *  enclosing or neighbouring areas in overlapping periods (issue 7, part 2). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collab/collab_internal.h"
#include "collab/effort_internal.h"

/* One (initiative, theme, area) with its bucket key "year|theme|code" (theme lower-cased). */
typedef struct {
    char *key;
    size_t init;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->init > y->init) - (x->init < y->init);
}

static char *make_key(int year, const char *theme, const char *code)
{
    wb_str s = WB_STR_INIT;
    if (wb_str_printf(&s, "%d|", year) < 0)
        return NULL;
    for (const char *p = theme; *p; p++)
        if (wb_str_putc(&s, (char)tolower((unsigned char)*p)) < 0) {
            wb_str_dispose(&s);
            return NULL;
        }
    if (wb_str_printf(&s, "|%s", code) < 0) {
        wb_str_dispose(&s);
        return NULL;
    }
    return wb_str_detach(&s);
}

/* pair (i, j), i < j -> index into the pairs array */
typedef struct {
    uint64_t *k;
    size_t *v;
    size_t cap, n;
} pairmap;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static int pm_grow(pairmap *m)
{
    size_t cap = m->cap ? 2 * m->cap : 1024;
    uint64_t *k = wb_malloc(cap * sizeof *k);
    size_t *v = wb_malloc(cap * sizeof *v);
    if (!k || !v) {
        wb_free(k);
        wb_free(v);
        return eff_nomem();
    }
    for (size_t i = 0; i < cap; i++)
        k[i] = UINT64_MAX;
    for (size_t i = 0; i < m->cap; i++)
        if (m->k[i] != UINT64_MAX) {
            size_t h = (size_t)mix(m->k[i]) & (cap - 1);
            while (k[h] != UINT64_MAX)
                h = (h + 1) & (cap - 1);
            k[h] = m->k[i];
            v[h] = m->v[i];
        }
    wb_free(m->k);
    wb_free(m->v);
    m->k = k;
    m->v = v;
    m->cap = cap;
    return 0;
}

/* The slot of key (found or empty). */
static size_t pm_slot(const pairmap *m, uint64_t key)
{
    size_t h = (size_t)mix(key) & (m->cap - 1);
    while (m->k[h] != UINT64_MAX && m->k[h] != key)
        h = (h + 1) & (m->cap - 1);
    return h;
}

typedef struct {
    size_t ia, ib;
    wb_overlap_relation rel;
    const char *area_a, *area_b;
} cand;

typedef struct {
    const wb_initiative *in;
    const long *start, *end;
    const wb_overlaps_opts *o;
    long yfirst, ylast;
    pairmap pm;
    cand *c;
    size_t nc, capc;
} ovctx;

static int add_pair(ovctx *x, size_t i, size_t j, wb_overlap_relation rel, const char *ai, const char *aj)
{
    if (i == j)
        return 0;
    const wb_initiative *a = &x->in[i], *b = &x->in[j];
    if (a->lead_partner_id == b->lead_partner_id)
        return 0;
    long s = x->start[i] > x->start[j] ? x->start[i] : x->start[j];
    long e = x->end[i] < x->end[j] ? x->end[i] : x->end[j];
    if (s > e)
        return 0;
    if (x->o->year && (s > x->ylast || e < x->yfirst))
        return 0;
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
        const char *ta = ai;
        ai = aj;
        aj = ta;
    }
    if (2 * (x->pm.n + 1) > x->pm.cap && pm_grow(&x->pm) < 0)
        return WB_ENOMEM;
    uint64_t key = (uint64_t)i << 32 | (uint64_t)j;
    size_t h = pm_slot(&x->pm, key);
    if (x->pm.k[h] == key) {
        cand *c = &x->c[x->pm.v[h]];
        if (rel < c->rel) {
            c->rel = rel;
            c->area_a = ai;
            c->area_b = aj;
        }
        return 0;
    }
    if (x->nc == x->capc) {
        size_t cap = x->capc ? 2 * x->capc : 64;
        cand *nv = wb_realloc(x->c, cap * sizeof *nv);
        if (!nv)
            return eff_nomem();
        x->c = nv;
        x->capc = cap;
    }
    x->pm.k[h] = key;
    x->pm.v[h] = x->nc;
    x->pm.n++;
    x->c[x->nc++] = (cand){i, j, rel, ai, aj};
    return 0;
}

static int cmp_overlap(const void *a, const void *b)
{
    const wb_overlap *x = a, *y = b;
    if (x->relation != y->relation)
        return x->relation < y->relation ? -1 : 1;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_contrib(const void *a, const void *b)
{
    const wb_contribution *x = *(const wb_contribution *const *)a, *y = *(const wb_contribution *const *)b;
    return (x->initiative_id > y->initiative_id) - (x->initiative_id < y->initiative_id);
}

static void iso_of_day(char out[11], long day, long open)
{
    out[0] = 0;
    if (day == open)
        return;
    /* civil from days (H. Hinnant) */
    long z = day + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    snprintf(out, 11, "%04ld-%02ld-%02ld", y, m, d);
}

void wb_overlaps_dispose(wb_overlaps *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++) {
        wb_free(o->pairs[i].themes);
        wb_free(o->pairs[i].partners);
    }
    wb_free(o->pairs);
    wb_overlaps init = WB_OVERLAPS_INIT;
    *o = init;
}

/* Partners of initiatives a and b: leads and contributors, sorted, unique. */
static char *partners_of(const wb_initiative *a, const wb_initiative *b, const wb_contribution *const *cs, size_t nc)
{
    const char *names[256];
    size_t n = 0;
    const wb_initiative *two[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        if (two[k]->lead_partner && n < 256)
            names[n++] = two[k]->lead_partner;
        /* contributions of this initiative: binary search for the first */
        size_t lo = 0, hi = nc;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (cs[mid]->initiative_id < two[k]->id)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < nc && cs[lo]->initiative_id == two[k]->id && n < 256; lo++)
            if (cs[lo]->partner)
                names[n++] = cs[lo]->partner;
    }
    qsort(names, n, sizeof names[0], cmp_str);
    wb_str s = WB_STR_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i && !strcasecmp(names[i], names[i - 1]))
            continue;
        if (wb_str_printf(&s, "%s%s", s.len ? ", " : "", names[i]) < 0) {
            wb_str_dispose(&s);
            return NULL;
        }
    }
    return s.len ? wb_str_detach(&s) : wb_strdup("");
}

static char *shared_themes(const wb_initiative *a, const wb_initiative *b)
{
    wb_str s = WB_STR_INIT;
    for (size_t i = 0; i < a->nthemes; i++)
        for (size_t j = 0; j < b->nthemes; j++)
            if (!strcasecmp(a->themes[i], b->themes[j])) {
                if (wb_str_printf(&s, "%s%s", s.len ? ", " : "", a->themes[i]) < 0) {
                    wb_str_dispose(&s);
                    return NULL;
                }
                break;
            }
    return s.len ? wb_str_detach(&s) : wb_strdup("");
}

int wb_overlaps_compute(wb_overlaps *out, const wb_initiative *in, size_t n, const wb_contribution *contributions,
                        size_t ncontributions, const wb_overlaps_opts *opts)
{
    wb_overlaps init = WB_OVERLAPS_INIT;
    *out = init;
    wb_overlaps_opts defaults = WB_OVERLAPS_OPTS_INIT;
    const wb_overlaps_opts *o = opts ? opts : &defaults;
    unsigned bits;
    int error = eff_statuses(&bits, o->statuses, WB_EFFORT_RUNNING);
    if (error < 0)
        return error;
    if (o->year && (o->year < 1800 || o->year > 2200)) {
        wb_error_set(WB_ERRCLASS_ARG, "overlaps: expected a year between 1800 and 2200, got %d", o->year);
        return WB_EINVALID;
    }
    const wb_neighbours *nb = o->neighbours;
    entry *e = NULL;
    size_t ne = 0, cap = 0;
    long *start = wb_malloc((n + 1) * sizeof *start), *end = wb_malloc((n + 1) * sizeof *end);
    const wb_contribution **cs = wb_malloc((ncontributions + 1) * sizeof *cs);
    eff_map buckets = {0}, ncodes = {0};
    ovctx x;
    memset(&x, 0, sizeof x);
    if (!start || !end || !cs) {
        error = eff_nomem();
        goto done;
    }
    for (size_t i = 0; i < ncontributions; i++)
        cs[i] = &contributions[i];
    if (ncontributions)
        qsort(cs, ncontributions, sizeof *cs, cmp_contrib);
    /* ---- entries of the considered initiatives */
    for (size_t i = 0; i < n; i++) {
        const wb_initiative *a = &in[i];
        start[i] = eff_day(a->start, EFF_OPEN_START);
        end[i] = eff_day(a->end, EFF_OPEN_END);
        if (!(eff_status_bit(a->status) & bits) || !a->nareas || !a->nthemes)
            continue;
        out->nconsidered++;
        for (size_t t = 0; t < a->nthemes; t++)
            for (size_t k = 0; k < a->nareas; k++) {
                if (ne == cap) {
                    cap = cap ? 2 * cap : 256;
                    entry *nv = wb_realloc(e, cap * sizeof *nv);
                    if (!nv) {
                        error = eff_nomem();
                        goto done;
                    }
                    e = nv;
                }
                if (!(e[ne].key = make_key(a->area_year, a->themes[t], a->areas[k]))) {
                    error = eff_nomem();
                    goto done;
                }
                e[ne++].init = i;
            }
    }
    if (ne)
        qsort(e, ne, sizeof *e, cmp_entry);
    if ((error = eff_map_init(&buckets, ne)) < 0)
        goto done;
    for (size_t i = 0; i < ne; i++)
        if ((i == 0 || strcmp(e[i].key, e[i - 1].key)) && (error = eff_map_put(&buckets, e[i].key, i)) < 0)
            goto done;
    if (nb) {
        if ((error = eff_map_init(&ncodes, nb->n)) < 0)
            goto done;
        for (size_t i = 0; i < nb->n; i++)
            if ((error = eff_map_put(&ncodes, nb->codes[i], i)) < 0)
                goto done;
    }
    x.in = in;
    x.start = start;
    x.end = end;
    x.o = o;
    if (o->year) {
        eff_year_days(o->year, &x.yfirst, &x.ylast);
    }
    /* ---- candidates: for each entry, the buckets of its area, its ancestors, its neighbours */
    for (size_t q = 0; q < ne; q++) {
        size_t i = e[q].init;
        const wb_initiative *a = &in[i];
        /* the theme and area of this entry, recovered from the key */
        const char *bar1 = strchr(e[q].key, '|'), *bar2 = strrchr(e[q].key, '|');
        const char *code = bar2 + 1;
        size_t tl = (size_t)(bar2 - bar1 - 1);
        char theme[128];
        if (tl >= sizeof theme)
            tl = sizeof theme - 1;
        memcpy(theme, bar1 + 1, tl);
        theme[tl] = 0;
        const char *acode = NULL;
        for (size_t k = 0; k < a->nareas && !acode; k++)
            if (!strcmp(a->areas[k], code))
                acode = a->areas[k];
        /* same area: later entries of the same bucket */
        for (size_t r = q + 1; r < ne && !strcmp(e[r].key, e[q].key); r++) {
            const char *bcode = NULL;
            for (size_t k = 0; k < in[e[r].init].nareas && !bcode; k++)
                if (!strcmp(in[e[r].init].areas[k], code))
                    bcode = in[e[r].init].areas[k];
            if ((error = add_pair(&x, i, e[r].init, WB_OVERLAP_SAME, acode, bcode)) < 0)
                goto done;
        }
        /* enclosing areas */
        char cur[WB_CODE_MAX], up[WB_CODE_MAX];
        snprintf(cur, sizeof cur, "%s", code);
        while (wb_code_parent(up, cur) == 0 && strcmp(up, "NL00")) {
            char *k = make_key(a->area_year, theme, up);
            if (!k) {
                error = eff_nomem();
                goto done;
            }
            size_t b = eff_map_get(&buckets, k);
            for (; b != (size_t)-1 && b < ne && !strcmp(e[b].key, k); b++) {
                const wb_initiative *o2 = &in[e[b].init];
                const char *bcode = NULL;
                for (size_t kk = 0; kk < o2->nareas && !bcode; kk++)
                    if (!strcmp(o2->areas[kk], up))
                        bcode = o2->areas[kk];
                if ((error = add_pair(&x, i, e[b].init, WB_OVERLAP_WITHIN, acode, bcode)) < 0) {
                    wb_free(k);
                    goto done;
                }
            }
            wb_free(k);
            snprintf(cur, sizeof cur, "%s", up);
        }
        wb_error_clear();
        /* neighbours */
        size_t ai = nb && nb->year == a->area_year ? eff_map_get(&ncodes, code) : (size_t)-1;
        if (ai != (size_t)-1) {
            for (size_t l = nb->row[ai]; l < nb->row[ai + 1]; l++) {
                const char *ncode = nb->codes[nb->col[l]];
                char *k = make_key(a->area_year, theme, ncode);
                if (!k) {
                    error = eff_nomem();
                    goto done;
                }
                size_t b = eff_map_get(&buckets, k);
                for (; b != (size_t)-1 && b < ne && !strcmp(e[b].key, k); b++) {
                    const wb_initiative *o2 = &in[e[b].init];
                    const char *bcode = NULL;
                    for (size_t kk = 0; kk < o2->nareas && !bcode; kk++)
                        if (!strcmp(o2->areas[kk], ncode))
                            bcode = o2->areas[kk];
                    if ((error = add_pair(&x, i, e[b].init, WB_OVERLAP_NEIGHBOUR, acode, bcode)) < 0) {
                        wb_free(k);
                        goto done;
                    }
                }
                wb_free(k);
            }
        }
    }
    /* ---- the pairs */
    if (x.nc) {
        out->pairs = wb_calloc(x.nc, sizeof *out->pairs);
        if (!out->pairs) {
            error = eff_nomem();
            goto done;
        }
    }
    for (size_t k = 0; k < x.nc; k++) {
        const cand *c = &x.c[k];
        wb_overlap *ov = &out->pairs[out->n++];
        int swap = in[c->ia].id > in[c->ib].id;
        ov->ia = swap ? c->ib : c->ia;
        ov->ib = swap ? c->ia : c->ib;
        ov->a = in[ov->ia].id;
        ov->b = in[ov->ib].id;
        ov->relation = c->rel;
        snprintf(ov->area_a, sizeof ov->area_a, "%s", (swap ? c->area_b : c->area_a) ? (swap ? c->area_b : c->area_a) : "");
        snprintf(ov->area_b, sizeof ov->area_b, "%s", (swap ? c->area_a : c->area_b) ? (swap ? c->area_a : c->area_b) : "");
        long s = start[c->ia] > start[c->ib] ? start[c->ia] : start[c->ib];
        long en = end[c->ia] < end[c->ib] ? end[c->ia] : end[c->ib];
        iso_of_day(ov->from, s, EFF_OPEN_START);
        iso_of_day(ov->to, en, EFF_OPEN_END);
        if (!(ov->themes = shared_themes(&in[ov->ia], &in[ov->ib])) || !(ov->partners = partners_of(&in[ov->ia], &in[ov->ib], cs, ncontributions))) {
            error = eff_nomem();
            goto done;
        }
    }
    if (out->n)
        qsort(out->pairs, out->n, sizeof *out->pairs, cmp_overlap);
done:
    for (size_t i = 0; i < ne; i++)
        wb_free(e[i].key);
    wb_free(e);
    wb_free(start);
    wb_free(end);
    wb_free(cs);
    eff_map_dispose(&buckets);
    eff_map_dispose(&ncodes);
    wb_free(x.pm.k);
    wb_free(x.pm.v);
    wb_free(x.c);
    if (error < 0)
        wb_overlaps_dispose(out);
    return error;
}
