/** @file @brief Segregation indices (D, xPy, H, M with its between/within decomposition,
 *  location quotients) and the loading of group counts from the store.
 *  Formulas and their sources are in include/wijkbeeld/segregation.h. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/segregation.h"

/* ---------------------------------------------------------------- indices */

/* Relative tolerance for "a group larger than its total": below it the excess is rounding. */
#define EXCESS_RTOL 1e-9

/* Validate the counts; classify each unit: 1 = used (population > 0), 0 = empty,
 * -1 = missing. */
static int check_counts(signed char *cls, const double *counts, size_t nunits, size_t K,
                        const size_t *sub, size_t nsub)
{
    if (K < 2 || K > WB_SEG_GROUPS_MAX) {
        wb_error_set(WB_ERRCLASS_STATS, "segregation needs 2 to %d groups, got %zu",
                     WB_SEG_GROUPS_MAX, K);
        return WB_EINVALID;
    }
    for (size_t j = 0; j < nunits; j++) {
        const double *t = counts + j * K;
        int missing = 0;
        double tj = 0;
        for (size_t m = 0; m < K; m++) {
            if (isnan(t[m])) {
                missing = 1;
                continue;
            }
            if (t[m] < 0 || isinf(t[m])) {
                wb_error_set(WB_ERRCLASS_STATS,
                             "unit %zu, group %zu: count %g is not a finite number >= 0", j + 1,
                             m + 1, t[m]);
                return WB_EINVALID;
            }
            tj += t[m];
        }
        if (sub && sub[j] >= nsub) {
            wb_error_set(WB_ERRCLASS_STATS, "unit %zu: sub-area %zu out of range (%zu sub-areas)",
                         j + 1, sub[j], nsub);
            return WB_EINVALID;
        }
        cls[j] = missing ? -1 : tj > 0 ? 1 : 0;
    }
    return 0;
}

/* x ln(x / y) with the convention 0 ln 0 = 0. */
static double xlogxy(double x, double y)
{
    return x > 0 ? x * log(x / y) : 0.0;
}

int wb_seg_compute(wb_seg_result *out, const double *counts, size_t nunits, size_t K,
                   const size_t *sub, size_t nsub, double *sub_weight, double *sub_M)
{
    memset(out, 0, sizeof *out);
    out->ngroups = K;
    out->entropy = out->simpson = out->D = out->H = out->M = NAN;
    out->M_between = out->M_within = NAN;
    out->note = "";
    for (size_t x = 0; x < WB_SEG_GROUPS_MAX; x++) {
        out->group_share[x] = NAN;
        for (size_t y = 0; y < WB_SEG_GROUPS_MAX; y++)
            out->exposure[x][y] = NAN;
    }
    for (size_t s = 0; s < nsub; s++) {
        if (sub_weight)
            sub_weight[s] = 0;
        if (sub_M)
            sub_M[s] = NAN;
    }
    int error = 0;
    signed char *cls = NULL;
    double *Ts = NULL, *Tsm = NULL, *Ms = NULL;
    if (nunits && !(cls = wb_malloc(nunits))) {
        error = WB_ENOMEM;
        goto done;
    }
    if ((error = check_counts(cls, counts, nunits, K, sub, nsub)) < 0)
        goto done;

    /* Totals over the units used. */
    double T = 0, *Tm = out->group_total;
    for (size_t j = 0; j < nunits; j++) {
        if (cls[j] < 0) {
            out->n_missing++;
            continue;
        }
        if (cls[j] == 0) {
            out->n_empty++;
            continue;
        }
        out->n_units++;
        for (size_t m = 0; m < K; m++)
            Tm[m] += counts[j * K + m];
    }
    for (size_t m = 0; m < K; m++)
        T += Tm[m];
    out->population = T;
    if (out->n_units == 0 || !(T > 0)) {
        out->note = "no unit with a population: every index is undefined";
        goto done;
    }
    size_t present[WB_SEG_GROUPS_MAX], np = 0;
    double E = 0, I = 0;
    for (size_t m = 0; m < K; m++) {
        out->group_share[m] = Tm[m] / T;
        if (Tm[m] > 0) {
            present[np++] = m;
            E -= out->group_share[m] * log(out->group_share[m]);
            I += out->group_share[m] * (1 - out->group_share[m]);
        }
    }
    out->n_groups_present = np;
    out->entropy = E;
    out->simpson = I;

    /* M = sum_j sum_m (t_jm/T) ln(t_jm T / (t_j T_m)) (Theil & Finizza 1971). Each unit's
     * inner sum is T times a Kullback-Leibler divergence, so M >= 0; the max() only removes
     * rounding below zero (perfect evenness). */
    double M = 0;
    for (size_t j = 0; j < nunits; j++) {
        if (cls[j] <= 0)
            continue;
        const double *t = counts + j * K;
        double tj = 0;
        for (size_t m = 0; m < K; m++)
            tj += t[m];
        for (size_t m = 0; m < K; m++)
            M += xlogxy(t[m] / T, (tj / T) * (Tm[m] / T));
    }
    out->M = fmax(M, 0.0);

    /* Exposure xPy = sum_j (t_jx/T_x)(t_jy/t_j) (Massey & Denton 1988). */
    for (size_t a = 0; a < np; a++) {
        size_t x = present[a];
        for (size_t y = 0; y < K; y++)
            out->exposure[x][y] = 0;
        for (size_t j = 0; j < nunits; j++) {
            if (cls[j] <= 0)
                continue;
            const double *t = counts + j * K;
            double tj = 0;
            for (size_t m = 0; m < K; m++)
                tj += t[m];
            for (size_t y = 0; y < K; y++)
                out->exposure[x][y] += (t[x] / Tm[x]) * (t[y] / tj);
        }
    }

    if (np < 2) {
        out->note = "only one group present: D and H are undefined, M = 0";
    } else {
        out->H = out->M / E; /* Theil's H = M / E (Reardon & Firebaugh 2002, eq. 8) */
        if (out->H > 1)
            out->H = 1; /* rounding only: M <= E */
        double D = 0;
        if (np == 2) {
            /* Duncan & Duncan (1955): D = 1/2 sum_j |t_j1/T_1 - t_j2/T_2| */
            size_t g1 = present[0], g2 = present[1];
            for (size_t j = 0; j < nunits; j++)
                if (cls[j] > 0)
                    D += fabs(counts[j * K + g1] / Tm[g1] - counts[j * K + g2] / Tm[g2]);
            D /= 2;
        } else {
            /* Multigroup D = sum_m sum_j t_j |p_jm - pi_m| / (2 T I) (Morgan 1975; Sakoda
             * 1981; Reardon & Firebaugh 2002, eq. 5). */
            for (size_t j = 0; j < nunits; j++) {
                if (cls[j] <= 0)
                    continue;
                const double *t = counts + j * K;
                double tj = 0;
                for (size_t m = 0; m < K; m++)
                    tj += t[m];
                for (size_t a = 0; a < np; a++) {
                    size_t m = present[a];
                    D += tj * fabs(t[m] / tj - out->group_share[m]);
                }
            }
            D /= 2 * T * I;
        }
        out->D = fmin(D, 1.0);
        if (np < K)
            out->note = "a group has total 0: its isolation and exposure are undefined";
    }

    /* Between/within decomposition: M = M(sub-area table) + sum_s (T_s/T) M_s. */
    if (sub) {
        Ts = wb_calloc(nsub ? nsub : 1, sizeof *Ts);
        Tsm = wb_calloc(nsub ? nsub * K : 1, sizeof *Tsm);
        Ms = wb_calloc(nsub ? nsub : 1, sizeof *Ms);
        if (!Ts || !Tsm || !Ms) {
            error = WB_ENOMEM;
            goto done;
        }
        for (size_t j = 0; j < nunits; j++) {
            if (cls[j] <= 0)
                continue;
            for (size_t m = 0; m < K; m++) {
                Tsm[sub[j] * K + m] += counts[j * K + m];
                Ts[sub[j]] += counts[j * K + m];
            }
        }
        double Mb = 0;
        for (size_t s = 0; s < nsub; s++) {
            if (!(Ts[s] > 0))
                continue;
            out->n_sub++;
            for (size_t m = 0; m < K; m++)
                Mb += xlogxy(Tsm[s * K + m] / T, (Ts[s] / T) * (Tm[m] / T));
        }
        for (size_t j = 0; j < nunits; j++) {
            if (cls[j] <= 0)
                continue;
            const double *t = counts + j * K;
            size_t s = sub[j];
            double tj = 0;
            for (size_t m = 0; m < K; m++)
                tj += t[m];
            for (size_t m = 0; m < K; m++)
                Ms[s] += xlogxy(t[m] / Ts[s], (tj / Ts[s]) * (Tsm[s * K + m] / Ts[s]));
        }
        double Mw = 0;
        for (size_t s = 0; s < nsub; s++) {
            if (!(Ts[s] > 0))
                continue;
            Ms[s] = fmax(Ms[s], 0.0);
            Mw += (Ts[s] / T) * Ms[s];
            if (sub_weight)
                sub_weight[s] = Ts[s] / T;
            if (sub_M)
                sub_M[s] = Ms[s];
        }
        out->M_between = fmax(Mb, 0.0);
        out->M_within = Mw;
    }
done:
    wb_free(cls);
    wb_free(Ts);
    wb_free(Tsm);
    wb_free(Ms);
    return error;
}

int wb_seg_lq(double *out, const double *counts, size_t nunits, size_t K)
{
    int error = 0;
    signed char *cls = NULL;
    if (nunits && !(cls = wb_malloc(nunits)))
        return WB_ENOMEM;
    if ((error = check_counts(cls, counts, nunits, K, NULL, 0)) < 0)
        goto done;
    double Tm[WB_SEG_GROUPS_MAX] = {0}, T = 0;
    for (size_t j = 0; j < nunits; j++)
        if (cls[j] > 0)
            for (size_t m = 0; m < K; m++)
                Tm[m] += counts[j * K + m];
    for (size_t m = 0; m < K; m++)
        T += Tm[m];
    for (size_t j = 0; j < nunits; j++) {
        const double *t = counts + j * K;
        double tj = 0;
        for (size_t m = 0; m < K; m++)
            tj += cls[j] > 0 ? t[m] : 0;
        for (size_t m = 0; m < K; m++)
            out[j * K + m] = (cls[j] > 0 && Tm[m] > 0) ? (t[m] / tj) / (Tm[m] / T) : NAN;
    }
done:
    wb_free(cls);
    return error;
}

/* ---------------------------------------------------------------- policies */

static const char *const excess_names[WB_SEG_EXCESS__MAX] = {"error", "drop", "clamp"};

const char *wb_seg_excess_name(wb_seg_excess e)
{
    return (unsigned)e < WB_SEG_EXCESS__MAX ? excess_names[e] : NULL;
}

int wb_seg_excess_parse(wb_seg_excess *out, const char *name)
{
    for (int i = 0; i < WB_SEG_EXCESS__MAX; i++)
        if (name && !strcasecmp(name, excess_names[i])) {
            *out = (wb_seg_excess)i;
            return 0;
        }
    wb_error_set(WB_ERRCLASS_ARG, "unknown excess policy '%s' (expected error, drop or clamp)",
                 name ? name : "");
    return WB_EINVALID;
}

/* ---------------------------------------------------------------- a small hash index */

/* (code, a, b) -> index; open addressing, grows at half load. */
typedef struct {
    char code[WB_CODE_MAX];
    int a, b;
    size_t idx;
    int used;
} slot;

typedef struct {
    slot *s;
    size_t cap, n;
} hindex;

static uint64_t hkey(const char *code, int a, int b)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)code; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ (uint32_t)a) * 1099511628211ULL;
    h = (h ^ (uint32_t)b) * 1099511628211ULL;
    return h;
}

static slot *hfind(const hindex *h, const char *code, int a, int b)
{
    if (!h->cap)
        return NULL;
    for (size_t i = hkey(code, a, b) & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
        slot *s = &h->s[i];
        if (!s->used)
            return NULL;
        if (s->a == a && s->b == b && !strcmp(s->code, code))
            return s;
    }
}

static int hput(hindex *h, const char *code, int a, int b, size_t idx)
{
    if ((h->n + 1) * 2 > h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 1024;
        slot *ns = wb_calloc(ncap, sizeof *ns);
        if (!ns)
            return WB_ENOMEM;
        for (size_t i = 0; i < h->cap; i++) {
            if (!h->s[i].used)
                continue;
            size_t k = hkey(h->s[i].code, h->s[i].a, h->s[i].b) & (ncap - 1);
            while (ns[k].used)
                k = (k + 1) & (ncap - 1);
            ns[k] = h->s[i];
        }
        wb_free(h->s);
        h->s = ns;
        h->cap = ncap;
    }
    size_t i = hkey(code, a, b) & (h->cap - 1);
    while (h->s[i].used)
        i = (i + 1) & (h->cap - 1);
    snprintf(h->s[i].code, WB_CODE_MAX, "%s", code);
    h->s[i].a = a;
    h->s[i].b = b;
    h->s[i].idx = idx;
    h->s[i].used = 1;
    h->n++;
    return 0;
}

static void hfree(hindex *h)
{
    wb_free(h->s);
    h->s = NULL;
    h->cap = h->n = 0;
}

/* ---------------------------------------------------------------- loading */

#define NIN_MAX (WB_SEG_GROUPS_MAX + 1) /* group indicators plus the total */

/* One (unit, boundary year, data year) with the values of every input indicator. */
typedef struct {
    char code[WB_CODE_MAX];
    int byear, year;
    double v[NIN_MAX];
    unsigned char seen[NIN_MAX];
} rec;

/* The areas of one boundary year, by code. */
typedef struct {
    int byear;
    wb_area *areas;
    size_t n;
    hindex idx;
} area_year;

static const wb_area *area_get(const area_year *ay, const char *code)
{
    const slot *s = hfind(&ay->idx, code, 0, 0);
    return s ? &ay->areas[s->idx] : NULL;
}

static wb_level level_of(const area_year *ay, const char *code)
{
    const wb_area *a = area_get(ay, code);
    if (a)
        return a->level;
    char buf[WB_CODE_MAX];
    wb_level l = WB_LEVEL_OTHER;
    if (wb_code_normalize(buf, &l, code, strlen(code), WB_LEVEL__MAX) < 0)
        l = WB_LEVEL_OTHER;
    return l;
}

/* The enclosing area of @p level: CBS codes by their code hierarchy (as the store's
 * WITHIN_SQL), other codes by their stored parent. -1 when there is none. */
static int ancestor_at(char out[WB_CODE_MAX], const area_year *ay, const char *code, wb_level level)
{
    char cur[WB_CODE_MAX], up[WB_CODE_MAX];
    snprintf(cur, sizeof cur, "%s", code);
    for (int step = 0; step < 16; step++) {
        wb_level l = level_of(ay, cur);
        if (l == level) {
            memcpy(out, cur, WB_CODE_MAX);
            return 0;
        }
        if (l == WB_LEVEL_OTHER || wb_code_parent(up, cur) < 0) {
            const wb_area *a = area_get(ay, cur);
            if (!a || !a->parent[0])
                return -1;
            snprintf(up, sizeof up, "%s", a->parent);
        }
        if (!strcmp(up, cur))
            return -1;
        memcpy(cur, up, WB_CODE_MAX);
    }
    return -1;
}

void wb_seg_data_dispose(wb_seg_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nblocks; i++) {
        wb_seg_block *b = &d->blocks[i];
        wb_free(b->parent_name);
        wb_free(b->codes);
        wb_free(b->counts);
        wb_free(b->sub);
        wb_free(b->sub_codes);
    }
    wb_free(d->blocks);
    memset(d, 0, sizeof *d);
}

static int is_share_indicator(const char *key, const char *unit)
{
    if (unit && *unit)
        return !strcmp(unit, "%");
    return (key[0] == 'p' || key[0] == 'P') && key[1] == '_';
}

/* "in 2019", "in 2015-2019", "from 2015", "" */
static void years_text(char *buf, size_t n, int from, int to)
{
    if (from && to && from == to)
        snprintf(buf, n, " in %d", from);
    else if (from && to)
        snprintf(buf, n, " in %d-%d", from, to);
    else if (from)
        snprintf(buf, n, " from %d", from);
    else if (to)
        snprintf(buf, n, " up to %d", to);
    else
        buf[0] = 0;
}

/* Growable arrays of one block under construction. */
typedef struct {
    size_t cap_units, cap_sub;
} block_caps;

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

typedef struct {
    int year, byear;
} yb;

static int cmp_yb(const void *a, const void *b)
{
    const yb *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return x->byear < y->byear ? -1 : x->byear > y->byear;
}

static int check_query(const wb_seg_query *q)
{
    if (q->version != 1) {
        wb_error_set(WB_ERRCLASS_ARG, "wb_seg_query version %d not supported (expected 1)",
                     q->version);
        return WB_EINVALID;
    }
    size_t k = q->ngroups + (q->other ? 1 : 0);
    if (q->ngroups < 1 || k < 2 || k > WB_SEG_GROUPS_MAX) {
        wb_error_set(WB_ERRCLASS_ARG,
                     "segregation needs 2 to %d groups (counting 'other'), got %zu", WB_SEG_GROUPS_MAX,
                     k);
        return WB_EINVALID;
    }
    for (size_t i = 0; i < q->ngroups; i++)
        if (!q->groups[i] || !*q->groups[i]) {
            wb_error_set(WB_ERRCLASS_ARG, "group %zu has no indicator key", i + 1);
            return WB_EINVALID;
        }
    if ((unsigned)q->input >= WB_SEG_INPUT__MAX || (unsigned)q->excess >= WB_SEG_EXCESS__MAX) {
        wb_error_set(WB_ERRCLASS_ARG, "invalid input or excess policy");
        return WB_EINVALID;
    }
    if (!wb_level_name(q->unit_level) || !wb_level_name(q->by_level) || q->unit_level == q->by_level) {
        wb_error_set(WB_ERRCLASS_ARG, "the unit level and the --by level must be two different levels");
        return WB_EINVALID;
    }
    /* CBS levels nest land > gemeente > wijk > buurt (enum order); 'other' may sit anywhere. */
    if (q->unit_level != WB_LEVEL_OTHER && q->by_level != WB_LEVEL_OTHER &&
        q->unit_level < q->by_level) {
        wb_error_set(WB_ERRCLASS_ARG, "units (%s) must lie within the --by level (%s)",
                     wb_level_name(q->unit_level), wb_level_name(q->by_level));
        return WB_EINVALID;
    }
    if (q->within_level != WB_LEVEL__MAX) {
        if (!wb_level_name(q->within_level) || q->within_level == q->unit_level ||
            q->within_level == q->by_level ||
            (q->within_level != WB_LEVEL_OTHER && q->unit_level != WB_LEVEL_OTHER &&
             q->by_level != WB_LEVEL_OTHER &&
             !(q->within_level > q->by_level && q->within_level < q->unit_level))) {
            wb_error_set(WB_ERRCLASS_ARG,
                         "the decomposition level must lie between the units (%s) and the --by "
                         "level (%s)",
                         wb_level_name(q->unit_level), wb_level_name(q->by_level));
            return WB_EINVALID;
        }
    }
    if (q->year_from && q->year_to && q->year_from > q->year_to) {
        wb_error_set(WB_ERRCLASS_ARG, "year range %d-%d is empty", q->year_from, q->year_to);
        return WB_EINVALID;
    }
    if ((q->other || q->input == WB_SEG_INPUT_SHARES) && !(q->total && *q->total)) {
        wb_error_set(WB_ERRCLASS_ARG, "%s needs a total indicator (--total KEY)",
                     q->other ? "the remainder group 'other'" : "shares");
        return WB_EINVALID;
    }
    return 0;
}

/* Resolve keys and decide counts or shares. */
static int resolve_inputs(wb_seg_data *d, char keys[NIN_MAX][64], size_t *nin, wb_store *st,
                          const wb_seg_query *q)
{
    int error = 0;
    wb_indicator *cat = NULL;
    size_t ncat = 0;
    *nin = q->ngroups;
    for (size_t i = 0; i < q->ngroups; i++) {
        if ((error = wb_store_indicator_resolve(st, NULL, keys[i], q->groups[i])) < 0)
            goto done;
        for (size_t k = 0; k < i; k++)
            if (!strcasecmp(keys[k], keys[i])) {
                wb_error_set(WB_ERRCLASS_ARG, "group '%s' is given twice", keys[i]);
                error = WB_EINVALID;
                goto done;
            }
    }
    int has_total = q->total && *q->total;
    if (has_total) {
        if ((error = wb_store_indicator_resolve(st, NULL, keys[q->ngroups], q->total)) < 0)
            goto done;
        for (size_t k = 0; k < q->ngroups; k++)
            if (!strcasecmp(keys[k], keys[q->ngroups])) {
                wb_error_set(WB_ERRCLASS_ARG, "'%s' is both a group and the total", keys[k]);
                error = WB_EINVALID;
                goto done;
            }
        snprintf(d->total_key, sizeof d->total_key, "%s", keys[q->ngroups]);
    }
    int shares = q->input == WB_SEG_INPUT_SHARES;
    if (q->input == WB_SEG_INPUT_AUTO) {
        if ((error = wb_store_indicators(st, &cat, &ncat)) < 0)
            goto done;
        int nshare = 0;
        const char *ashare = NULL, *acount = NULL;
        for (size_t i = 0; i < q->ngroups; i++) {
            const char *unit = NULL;
            for (size_t c = 0; c < ncat; c++)
                if (!strcasecmp(cat[c].key, keys[i]))
                    unit = cat[c].unit;
            if (is_share_indicator(keys[i], unit)) {
                nshare++;
                ashare = keys[i];
            } else {
                acount = keys[i];
            }
        }
        if (nshare && (size_t)nshare < q->ngroups) {
            wb_error_set(WB_ERRCLASS_ARG,
                         "'%s' looks like a share (%%) and '%s' like a count: give groups of one "
                         "kind, or say which with --input counts|shares",
                         ashare, acount);
            error = WB_EINVALID;
            goto done;
        }
        shares = nshare > 0;
    }
    if (shares && !has_total) {
        wb_error_set(WB_ERRCLASS_ARG,
                     "the groups are shares (%%): give the total they are shares of with --total "
                     "KEY (e.g. a_hh or a_inw)");
        error = WB_EINVALID;
        goto done;
    }
    d->shares = shares;
    d->ninputs = q->ngroups;
    d->ngroups = q->ngroups + (q->other ? 1 : 0);
    for (size_t i = 0; i < q->ngroups; i++)
        snprintf(d->group_keys[i], sizeof d->group_keys[i], "%s", keys[i]);
    if (q->other)
        snprintf(d->group_keys[q->ngroups], sizeof d->group_keys[0], "other");
    if (shares)
        snprintf(d->source, sizeof d->source, "shares x total %s", d->total_key);
    else
        snprintf(d->source, sizeof d->source, "counts");
    if (q->other) {
        size_t len = strlen(d->source);
        snprintf(d->source + len, sizeof d->source - len, "; other = %s - sum", d->total_key);
    }
done:
    wb_indicators_free(cat, ncat);
    return error;
}

/* Turn one unit's values into counts. @return 1 used, 0 left out (missing or dropped), <0 error. */
static int unit_counts(double *c, wb_seg_block *b, const wb_seg_data *d, const rec *r, int has_total,
                       const wb_seg_query *q)
{
    size_t nin = d->ninputs, K = d->ngroups;
    double tot = NAN;
    int tot_ok = 0;
    if (has_total && r && r->seen[nin] && !isnan(r->v[nin])) {
        tot = r->v[nin];
        tot_ok = 1;
    }
    int missing = 0;
    for (size_t i = 0; i < nin; i++)
        if (!r || !r->seen[i] || isnan(r->v[i]))
            missing = 1;
    /* A zero total makes the unit empty: CBS suppresses shares of empty areas. */
    if (tot_ok && tot == 0) {
        int any = 0;
        for (size_t i = 0; i < nin && !d->shares; i++)
            if (r->seen[i] && !isnan(r->v[i]) && r->v[i] > 0)
                any = 1;
        if (!any) {
            for (size_t m = 0; m < K; m++)
                c[m] = 0;
            return 1;
        }
    }
    if (missing || (has_total && !tot_ok)) {
        for (size_t i = 0; i < nin; i++)
            if (!r || !r->seen[i] || isnan(r->v[i]))
                b->missing_by[i]++;
        if (has_total && !tot_ok)
            b->missing_by[nin]++;
        b->n_missing++;
        return 0;
    }
    for (size_t i = 0; i < nin + (has_total ? 1 : 0); i++)
        if (r->v[i] < 0) {
            wb_error_set(WB_ERRCLASS_STATS, "%s (%d): %s = %g in %d is negative", r->code, r->byear,
                         i < nin ? d->group_keys[i] : d->total_key, r->v[i], r->year);
            return WB_EINVALID;
        }
    double sum = 0;
    for (size_t i = 0; i < nin; i++) {
        c[i] = d->shares ? r->v[i] / 100.0 * tot : r->v[i];
        sum += c[i];
    }
    if (has_total) {
        double lim = tot + EXCESS_RTOL * fmax(tot, 1.0);
        size_t worst = nin;
        for (size_t i = 0; i < nin; i++)
            if (c[i] > lim && (worst == nin || c[i] > c[worst]))
                worst = i;
        int sum_over = q->other && sum > lim;
        if (worst < nin || sum_over) {
            if (q->excess == WB_SEG_EXCESS_ERROR) {
                if (worst < nin)
                    wb_error_set(WB_ERRCLASS_STATS,
                                 "%s (%d): %s = %g%s is larger than its total %s = %g in %d "
                                 "(--excess drop leaves such units out, --excess clamp caps them)",
                                 r->code, r->byear, d->group_keys[worst], r->v[worst],
                                 d->shares ? "%" : "", d->total_key, tot, r->year);
                else
                    wb_error_set(WB_ERRCLASS_STATS,
                                 "%s (%d): the groups add up to %g, more than the total %s = %g in "
                                 "%d, so 'other' would be negative (--excess drop leaves such units "
                                 "out, --excess clamp sets 'other' to 0)",
                                 r->code, r->byear, sum, d->total_key, tot, r->year);
                return WB_EINVALID;
            }
            b->n_excess++;
            if (q->excess == WB_SEG_EXCESS_DROP)
                return 0;
            sum = 0;
            for (size_t i = 0; i < nin; i++) {
                c[i] = fmin(c[i], tot);
                sum += c[i];
            }
        }
    }
    if (q->other)
        c[nin] = fmax(tot - sum, 0.0); /* within rounding of 0 when negative */
    return 1;
}

int wb_seg_load(wb_seg_data *out, wb_store *st, const wb_seg_query *q)
{
    memset(out, 0, sizeof *out);
    int error = check_query(q);
    if (error < 0)
        return error;
    char keys[NIN_MAX][64];
    size_t nin = 0;
    rec *recs = NULL;
    size_t nrecs = 0, caprecs = 0;
    hindex ridx = {0};
    area_year *ays = NULL;
    size_t nays = 0;
    wb_area *units = NULL;
    size_t nunits_area = 0;
    yb *ybs = NULL;
    size_t nyb = 0, capyb = 0;
    char (*parents)[WB_CODE_MAX] = NULL;
    size_t nparents = 0, capparents = 0;
    block_caps *caps = NULL;
    double c[WB_SEG_GROUPS_MAX];
    char ytext[64];
    years_text(ytext, sizeof ytext, q->year_from, q->year_to);

    if ((error = resolve_inputs(out, keys, &nin, st, q)) < 0)
        goto done;
    int has_total = out->total_key[0] != 0;
    size_t ninds = nin + (has_total ? 1 : 0);

    /* 1. Values of every input indicator at the unit level, by (code, boundary year, year). */
    for (size_t i = 0; i < ninds; i++) {
        wb_value_query vq = WB_VALUE_QUERY_INIT;
        vq.indicator = keys[i];
        vq.level = q->unit_level;
        vq.boundary_year = q->boundary_year;
        vq.within = q->in;
        vq.with_missing = 1;
        if (q->year_from && q->year_from == q->year_to)
            vq.year = q->year_from;
        wb_value *v = NULL;
        size_t n = 0, used = 0;
        if ((error = wb_store_values(st, &v, &n, NULL, &vq)) < 0)
            goto done;
        for (size_t k = 0; k < n; k++) {
            if ((q->year_from && v[k].year < q->year_from) || (q->year_to && v[k].year > q->year_to))
                continue;
            used++;
            slot *s = hfind(&ridx, v[k].code, v[k].boundary_year, v[k].year);
            size_t at;
            if (s) {
                at = s->idx;
            } else {
                if ((error = wb__grow((void **)&recs, &caprecs, nrecs + 1, sizeof *recs)) < 0 ||
                    (error = hput(&ridx, v[k].code, v[k].boundary_year, v[k].year, nrecs)) < 0) {
                    wb_free(v);
                    goto done;
                }
                at = nrecs++;
                memset(&recs[at], 0, sizeof recs[at]);
                snprintf(recs[at].code, WB_CODE_MAX, "%s", v[k].code);
                recs[at].byear = v[k].boundary_year;
                recs[at].year = v[k].year;
                for (size_t m = 0; m < NIN_MAX; m++)
                    recs[at].v[m] = NAN;
            }
            recs[at].v[i] = v[k].value;
            recs[at].seen[i] = 1;
        }
        wb_free(v);
        if (used == 0) {
            char by[32] = "";
            if (q->boundary_year)
                snprintf(by, sizeof by, " (boundaries of %d)", q->boundary_year);
            wb_error_set(WB_ERRCLASS_STATS, "no %s values of %s%s%s%s%s", wb_level_name(q->unit_level),
                         keys[i], q->in ? " within " : "", q->in ? q->in : "", ytext, by);
            error = WB_ENOTFOUND;
            goto done;
        }
    }

    /* 2. The (data year, boundary year) pairs; one boundary year per data year. */
    for (size_t r = 0; r < nrecs; r++) {
        int found = 0;
        for (size_t k = 0; k < nyb && !found; k++)
            found = ybs[k].year == recs[r].year && ybs[k].byear == recs[r].byear;
        if (found)
            continue;
        if ((error = wb__grow((void **)&ybs, &capyb, nyb + 1, sizeof *ybs)) < 0)
            goto done;
        ybs[nyb].year = recs[r].year;
        ybs[nyb].byear = recs[r].byear;
        nyb++;
    }
    qsort(ybs, nyb, sizeof *ybs, cmp_yb);
    for (size_t k = 1; k < nyb; k++)
        if (ybs[k].year == ybs[k - 1].year) {
            wb_error_set(WB_ERRCLASS_ARG,
                         "data year %d has %s values on the boundaries of %d and of %d: choose one "
                         "with --boundary-year",
                         ybs[k].year, wb_level_name(q->unit_level), ybs[k - 1].byear, ybs[k].byear);
            error = WB_EINVALID;
            goto done;
        }

    /* 3. Per (year, boundary year): parents with data, then every unit area in them. */
    for (size_t k = 0; k < nyb; k++) {
        int year = ybs[k].year, byear = ybs[k].byear;
        area_year *ay = NULL;
        for (size_t a = 0; a < nays; a++)
            if (ays[a].byear == byear)
                ay = &ays[a];
        if (!ay) {
            area_year *na = wb_realloc(ays, (nays + 1) * sizeof *na);
            if (!na) {
                error = WB_ENOMEM;
                goto done;
            }
            ays = na;
            ay = &ays[nays++];
            memset(ay, 0, sizeof *ay);
            ay->byear = byear;
            wb_area_query aq = WB_AREA_QUERY_INIT;
            aq.year = byear;
            if ((error = wb_store_areas(st, &ay->areas, &ay->n, &aq)) < 0)
                goto done;
            for (size_t i = 0; i < ay->n; i++)
                if ((error = hput(&ay->idx, ay->areas[i].code, 0, 0, i)) < 0)
                    goto done;
        }
        wb_areas_free(units, nunits_area);
        units = NULL;
        nunits_area = 0;
        wb_area_query uq = WB_AREA_QUERY_INIT;
        uq.year = byear;
        uq.level = q->unit_level;
        uq.within = q->in;
        if ((error = wb_store_areas(st, &units, &nunits_area, &uq)) < 0)
            goto done;

        nparents = 0;
        for (size_t r = 0; r < nrecs; r++) {
            if (recs[r].year != year || recs[r].byear != byear)
                continue;
            char p[WB_CODE_MAX];
            if (ancestor_at(p, ay, recs[r].code, q->by_level) < 0)
                continue;
            if ((error = wb__grow((void **)&parents, &capparents, nparents + 1, sizeof *parents)) < 0)
                goto done;
            memcpy(parents[nparents++], p, WB_CODE_MAX);
        }
        if (!nparents)
            continue;
        qsort(parents, nparents, sizeof *parents, cmp_str);
        size_t np = 1;
        for (size_t i = 1; i < nparents; i++)
            if (strcmp(parents[i], parents[np - 1]))
                memcpy(parents[np++], parents[i], WB_CODE_MAX);
        nparents = np;

        size_t first = out->nblocks;
        wb_seg_block *nb = wb_realloc(out->blocks, (out->nblocks + np) * sizeof *nb);
        block_caps *nc = wb_realloc(caps, (out->nblocks + np) * sizeof *nc);
        if (nb)
            out->blocks = nb;
        if (nc)
            caps = nc;
        if (!nb || !nc) {
            error = WB_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < np; i++) {
            wb_seg_block *b = &out->blocks[first + i];
            memset(b, 0, sizeof *b);
            memset(&caps[first + i], 0, sizeof caps[0]);
            memcpy(b->parent, parents[i], WB_CODE_MAX);
            b->year = year;
            b->boundary_year = byear;
            const wb_area *pa = area_get(ay, b->parent);
            if (pa && pa->name && !(b->parent_name = wb_strdup(pa->name))) {
                out->nblocks = first + i + 1;
                error = WB_ENOMEM;
                goto done;
            }
        }
        out->nblocks = first + np;

        size_t K = out->ngroups;
        for (size_t u = 0; u < nunits_area; u++) {
            char p[WB_CODE_MAX];
            if (ancestor_at(p, ay, units[u].code, q->by_level) < 0)
                continue;
            char(*hit)[WB_CODE_MAX] = bsearch(p, parents, np, sizeof *parents, cmp_str);
            if (!hit)
                continue;
            size_t bi = first + (size_t)(hit - parents);
            wb_seg_block *b = &out->blocks[bi];
            block_caps *bc = &caps[bi];
            b->n_areas++;
            const slot *s = hfind(&ridx, units[u].code, byear, year);
            const rec *r = s ? &recs[s->idx] : NULL;
            int rc = unit_counts(c, b, out, r, has_total, q);
            if (rc < 0) {
                error = rc;
                goto done;
            }
            if (rc == 0)
                continue;
            size_t cap_before = bc->cap_units;
            if ((error = wb__grow((void **)&b->codes, &bc->cap_units, b->nunits + 1, sizeof *b->codes)) < 0)
                goto done;
            if (bc->cap_units != cap_before) {
                size_t cap = bc->cap_units;
                double *ncnt = wb_realloc(b->counts, cap * K * sizeof *ncnt);
                if (ncnt)
                    b->counts = ncnt;
                size_t *ns = ncnt && q->within_level != WB_LEVEL__MAX
                                 ? wb_realloc(b->sub, cap * sizeof *ns)
                                 : NULL;
                if (ns)
                    b->sub = ns;
                if (!ncnt || (q->within_level != WB_LEVEL__MAX && !ns)) {
                    error = WB_ENOMEM;
                    goto done;
                }
            }
            size_t j = b->nunits++;
            memcpy(b->codes[j], units[u].code, WB_CODE_MAX);
            memcpy(b->counts + j * K, c, K * sizeof *c);
            if (q->within_level != WB_LEVEL__MAX) {
                char sc[WB_CODE_MAX] = "";
                if (ancestor_at(sc, ay, units[u].code, q->within_level) < 0)
                    sc[0] = 0; /* no enclosing sub-area: one bucket "" */
                size_t si = 0;
                while (si < b->nsub && strcmp(b->sub_codes[si], sc))
                    si++;
                if (si == b->nsub) {
                    if ((error = wb__grow((void **)&b->sub_codes, &bc->cap_sub, b->nsub + 1,
                                      sizeof *b->sub_codes)) < 0)
                        goto done;
                    memcpy(b->sub_codes[b->nsub++], sc, WB_CODE_MAX);
                }
                b->sub[j] = si;
            }
        }
    }
    if (out->nblocks == 0) {
        wb_error_set(WB_ERRCLASS_STATS, "no %s with values lies within a %s%s%s%s",
                     wb_level_name(q->unit_level), wb_level_name(q->by_level),
                     q->in ? " within " : "", q->in ? q->in : "", ytext);
        error = WB_ENOTFOUND;
        goto done;
    }
    wb_error_clear();
done:
    if (error < 0)
        wb_seg_data_dispose(out);
    wb_free(recs);
    hfree(&ridx);
    for (size_t a = 0; a < nays; a++) {
        wb_areas_free(ays[a].areas, ays[a].n);
        hfree(&ays[a].idx);
    }
    wb_free(ays);
    wb_areas_free(units, nunits_area);
    wb_free(ybs);
    wb_free(parents);
    wb_free(caps);
    return error;
}
