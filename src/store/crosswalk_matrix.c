/** @file @brief Crosswalks in memory: building the two compressed-row sides, turning around,
 *  moving values, classifying what changed (wijkbeeld/crosswalk.h). No SQL here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "wijkbeeld/crosswalk.h"
#include "wijkbeeld/errors.h"

static const char *const weight_names[WB_XW_WEIGHT__MAX] = {"addresses", "area", "inhabitants", "share",
                                                             "indicator"};

const char *wb_xw_weight_name(wb_xw_weight w)
{
    return (unsigned)w < WB_XW_WEIGHT__MAX ? weight_names[w] : NULL;
}

int wb_xw_weight_parse(wb_xw_weight *out, const char *name)
{
    for (int i = 0; i < WB_XW_WEIGHT__MAX; i++)
        if (name && !strcmp(name, weight_names[i])) {
            *out = (wb_xw_weight)i;
            return 0;
        }
    wb_error_set(WB_ERRCLASS_ARG, "unknown crosswalk weight '%s' (expected addresses, area, inhabitants, "
                 "share or indicator)", name ? name : "");
    return WB_EINVALID;
}

static const char *const class_names[WB_XW_CLASS__MAX] = {"unchanged", "recoded", "reshaped",
                                                           "split", "merged", "unmatched"};

const char *wb_xw_class_name(wb_xw_class c)
{
    return (unsigned)c < WB_XW_CLASS__MAX ? class_names[c] : NULL;
}

static void side_dispose(wb_xw_side *s)
{
    wb_free(s->id);
    wb_free(s->code);
    wb_free(s->total);
    wb_free(s->off);
    wb_free(s->other);
    wb_free(s->w);
    wb_free(s->implied);
    memset(s, 0, sizeof *s);
}

void wb_crosswalk_free(wb_crosswalk *xw)
{
    if (!xw)
        return;
    side_dispose(&xw->from);
    side_dispose(&xw->to);
    wb_free(xw);
}

/* Sorting the areas of a side by code: qsort of indices with the codes as context. */
typedef struct {
    const char (*code)[WB_CODE_MAX];
    size_t i;
} code_ref;

static int cmp_code_ref(const void *pa, const void *pb)
{
    const code_ref *a = pa, *b = pb;
    return strcmp(a->code[a->i], b->code[b->i]);
}

/* Copy n areas into @p s in code order; newpos[old index] = new index. */
static int side_init(wb_xw_side *s, size_t n, const int64_t *id, const char (*code)[WB_CODE_MAX],
                     size_t *newpos, const char *which)
{
    s->n = n;
    code_ref *refs = wb_malloc((n ? n : 1) * sizeof *refs);
    s->id = wb_calloc(n ? n : 1, sizeof *s->id);
    s->code = wb_malloc((n ? n : 1) * sizeof *s->code);
    s->total = wb_calloc(n ? n : 1, sizeof *s->total);
    s->off = wb_calloc(n + 1, sizeof *s->off);
    if (!refs || !s->id || !s->code || !s->total || !s->off) {
        wb_free(refs);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        refs[i].code = code;
        refs[i].i = i;
    }
    qsort(refs, n, sizeof *refs, cmp_code_ref);
    int error = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = refs[k].i;
        newpos[i] = k;
        memcpy(s->code[k], code[i], WB_CODE_MAX);
        s->code[k][WB_CODE_MAX - 1] = 0;
        s->id[k] = id ? id[i] : 0;
        if (k > 0 && !strcmp(s->code[k], s->code[k - 1])) {
            wb_error_set(WB_ERRCLASS_ARG, "crosswalk: %s-area %s is listed twice", which, s->code[k]);
            error = WB_EINVALID;
            break;
        }
    }
    wb_free(refs);
    return error;
}

typedef struct {
    size_t from, to;
    double w;
    unsigned char implied;
} xpair;

static int cmp_xpair(const void *pa, const void *pb)
{
    const xpair *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return (a->to > b->to) - (a->to < b->to);
}

static int side_alloc_pairs(wb_xw_side *s, size_t np)
{
    s->other = wb_malloc((np ? np : 1) * sizeof *s->other);
    s->w = wb_malloc((np ? np : 1) * sizeof *s->w);
    s->implied = wb_malloc(np ? np : 1);
    return s->other && s->w && s->implied ? 0 : WB_ENOMEM;
}

/* Totals: the given ones (finite, >= 0), else the sums of each area's pairs. A given total
 * may be smaller than the sum of its pairs: areas of the other year that overlap each other
 * (polygons that do not form a clean partition) share the same part of this area. */
static int side_totals(wb_xw_side *s, const double *given, const size_t *newpos, const char *which)
{
    for (size_t k = 0; k < s->n; k++) {
        double sum = 0;
        for (size_t p = s->off[k]; p < s->off[k + 1]; p++)
            sum += s->w[p];
        s->total[k] = sum;
    }
    if (!given)
        return 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t k = newpos[i];
        double t = given[i];
        if (!(t >= 0) || !isfinite(t)) {
            wb_error_set(WB_ERRCLASS_ARG, "crosswalk: the total weight of %s-area %s is %g, expected a finite "
                         "number >= 0", which, s->code[k], t);
            return WB_EINVALID;
        }
        s->total[k] = t;
    }
    return 0;
}

int wb_crosswalk_new(wb_crosswalk **out, const wb_crosswalk_info *info, size_t nfrom,
                     const int64_t *from_id, const char (*from_code)[WB_CODE_MAX],
                     const double *from_total, size_t nto, const int64_t *to_id,
                     const char (*to_code)[WB_CODE_MAX], const double *to_total,
                     const wb_xw_pair *pairs, size_t npairs)
{
    *out = NULL;
    wb_crosswalk *xw = wb_calloc(1, sizeof *xw);
    size_t *fpos = wb_malloc((nfrom ? nfrom : 1) * sizeof *fpos);
    size_t *tpos = wb_malloc((nto ? nto : 1) * sizeof *tpos);
    xpair *xp = wb_malloc((npairs ? npairs : 1) * sizeof *xp);
    int error = 0;
    if (!xw || !fpos || !tpos || !xp) {
        error = WB_ENOMEM;
        goto done;
    }
    xw->info = *info;
    xw->info.nfrom = nfrom;
    xw->info.nto = nto;
    xw->info.npairs = npairs;
    xw->npairs = npairs;
    if ((error = side_init(&xw->from, nfrom, from_id, from_code, fpos, "from")) < 0 ||
        (error = side_init(&xw->to, nto, to_id, to_code, tpos, "to")) < 0)
        goto done;
    for (size_t p = 0; p < npairs; p++) {
        const wb_xw_pair *q = &pairs[p];
        if (q->from >= nfrom || q->to >= nto) {
            wb_error_set(WB_ERRCLASS_ARG, "crosswalk: pair %zu refers to area %zu -> %zu of %zu -> %zu", p,
                         q->from, q->to, nfrom, nto);
            error = WB_EINVALID;
            goto done;
        }
        if (!(q->weight >= 0) || !isfinite(q->weight)) {
            wb_error_set(WB_ERRCLASS_ARG, "crosswalk: the weight of %s -> %s is %g, expected a finite "
                         "number >= 0", from_code[q->from], to_code[q->to], q->weight);
            error = WB_EINVALID;
            goto done;
        }
        xp[p].from = fpos[q->from];
        xp[p].to = tpos[q->to];
        xp[p].w = q->weight;
        xp[p].implied = q->implied ? 1 : 0;
    }
    qsort(xp, npairs, sizeof *xp, cmp_xpair);
    if ((error = side_alloc_pairs(&xw->from, npairs)) < 0 || (error = side_alloc_pairs(&xw->to, npairs)) < 0)
        goto done;
    for (size_t p = 0; p < npairs; p++) {
        if (p > 0 && xp[p].from == xp[p - 1].from && xp[p].to == xp[p - 1].to) {
            wb_error_set(WB_ERRCLASS_ARG, "crosswalk: the pair %s -> %s is listed twice",
                         xw->from.code[xp[p].from], xw->to.code[xp[p].to]);
            error = WB_EINVALID;
            goto done;
        }
        xw->from.off[xp[p].from + 1]++;
        xw->to.off[xp[p].to + 1]++;
        xw->from.other[p] = xp[p].to;
        xw->from.w[p] = xp[p].w;
        xw->from.implied[p] = xp[p].implied;
    }
    for (size_t k = 0; k < nfrom; k++)
        xw->from.off[k + 1] += xw->from.off[k];
    for (size_t k = 0; k < nto; k++)
        xw->to.off[k + 1] += xw->to.off[k];
    /* the transpose, filled in from order: within a to-area the sources stay ascending */
    {
        size_t *next = wb_malloc((nto ? nto : 1) * sizeof *next);
        if (!next) {
            error = WB_ENOMEM;
            goto done;
        }
        memcpy(next, xw->to.off, nto * sizeof *next);
        for (size_t p = 0; p < npairs; p++) {
            size_t q = next[xp[p].to]++;
            xw->to.other[q] = xp[p].from;
            xw->to.w[q] = xp[p].w;
            xw->to.implied[q] = xp[p].implied;
        }
        wb_free(next);
    }
    if ((error = side_totals(&xw->from, from_total, fpos, "from")) < 0 ||
        (error = side_totals(&xw->to, to_total, tpos, "to")) < 0)
        goto done;
done:
    wb_free(fpos);
    wb_free(tpos);
    wb_free(xp);
    if (error < 0) {
        wb_crosswalk_free(xw);
        return error;
    }
    *out = xw;
    return 0;
}

int wb_crosswalk_reverse(wb_crosswalk *xw)
{
    if (xw->info.weight == WB_XW_SHARE) {
        wb_error_set(WB_ERRCLASS_ARG, "crosswalk '%s' holds shares of its %d areas: it cannot be used from "
                     "%d to %d", xw->info.name, xw->info.from_year, xw->info.to_year, xw->info.from_year);
        return WB_EINVALID;
    }
    wb_xw_side t = xw->from;
    xw->from = xw->to;
    xw->to = t;
    int y = xw->info.from_year;
    xw->info.from_year = xw->info.to_year;
    xw->info.to_year = y;
    size_t n = xw->info.nfrom;
    xw->info.nfrom = xw->info.nto;
    xw->info.nto = n;
    xw->reversed = !xw->reversed;
    return 0;
}

long wb_crosswalk_find_id(const wb_crosswalk *xw, int side, int64_t area_id)
{
    const wb_xw_side *s = side ? &xw->to : &xw->from;
    for (size_t k = 0; k < s->n; k++)
        if (s->id[k] == area_id)
            return (long)k;
    return -1;
}

long wb_crosswalk_find_code(const wb_crosswalk *xw, int side, const char *code)
{
    const wb_xw_side *s = side ? &xw->to : &xw->from;
    return s->n ? wb__code_find(s->code[0], s->n, WB_CODE_MAX, code) : -1;
}

int wb_crosswalk_move(const wb_crosswalk *xw, wb_xw_move how, const double *in, double *out,
                      double *coverage)
{
    if (how != WB_XW_COUNT && how != WB_XW_MEAN) {
        wb_error_set(WB_ERRCLASS_ARG, "unknown way to move values (%d)", (int)how);
        return WB_EINVALID;
    }
    const wb_xw_side *to = &xw->to, *from = &xw->from;
    /* by to-area: a gather, so each output is one sum in the order of its sources */
    for (size_t t = 0; t < to->n; t++) {
        double sum = 0, wsum = 0;
        int any = 0;
        for (size_t p = to->off[t]; p < to->off[t + 1]; p++) {
            size_t f = to->other[p];
            double v = in[f], tot = from->total[f];
            if (isnan(v) || !(tot > 0))
                continue;
            any = 1;
            wsum += to->w[p];
            sum += how == WB_XW_COUNT ? v * (to->w[p] / tot) : v * to->w[p];
        }
        if (how == WB_XW_MEAN)
            out[t] = wsum > 0 ? sum / wsum : NAN;
        else
            out[t] = any ? sum : NAN;
        if (coverage)
            coverage[t] = to->total[t] > 0 ? wsum / to->total[t] : 0;
    }
    return 0;
}

int wb_crosswalk_classify(const wb_crosswalk *xw, double sliver, double tolerance,
                          unsigned char *from_class, unsigned char *to_class, wb_xw_counts *counts)
{
    if (!(sliver >= 0 && sliver < 1) || !(tolerance >= 0 && tolerance < 1)) {
        wb_error_set(WB_ERRCLASS_ARG, "sliver and tolerance must lie in [0, 1), got %g and %g", sliver, tolerance);
        return WB_EINVALID;
    }
    const wb_xw_side *F = &xw->from, *T = &xw->to;
    wb_xw_counts c;
    memset(&c, 0, sizeof c);
    size_t *nsig_to = wb_calloc(T->n ? T->n : 1, sizeof *nsig_to);
    size_t *only_from = wb_malloc((T->n ? T->n : 1) * sizeof *only_from);
    unsigned char *fc = wb_malloc(F->n ? F->n : 1);
    if (!nsig_to || !only_from || !fc) {
        wb_free(nsig_to);
        wb_free(only_from);
        wb_free(fc);
        return WB_ENOMEM;
    }
#define SHARE(w, tot) ((tot) > 0 ? (w) / (tot) : 0.0)
    /* significant sources of each to-area */
    for (size_t f = 0; f < F->n; f++)
        for (size_t p = F->off[f]; p < F->off[f + 1]; p++) {
            size_t t = F->other[p];
            double sf = SHARE(F->w[p], F->total[f]), st = SHARE(F->w[p], T->total[t]);
            if (sf < sliver && st < sliver) {
                c.slivers++;
                continue;
            }
            if (nsig_to[t]++ == 0)
                only_from[t] = f;
        }
    for (size_t f = 0; f < F->n; f++) {
        size_t nsig = 0, last = 0;
        double sf = 0, st = 0;
        for (size_t p = F->off[f]; p < F->off[f + 1]; p++) {
            size_t t = F->other[p];
            double a = SHARE(F->w[p], F->total[f]), b = SHARE(F->w[p], T->total[t]);
            if (a < sliver && b < sliver)
                continue;
            nsig++;
            last = t;
            sf = a;
            st = b;
        }
        wb_xw_class k;
        if (nsig == 0)
            k = WB_XW_UNMATCHED;
        else if (nsig >= 2)
            k = WB_XW_SPLIT;
        else if (nsig_to[last] >= 2)
            k = WB_XW_MERGED;
        else if (sf >= 1 - tolerance && st >= 1 - tolerance)
            k = strcmp(F->code[f], T->code[last]) ? WB_XW_RECODED : WB_XW_UNCHANGED;
        else
            k = WB_XW_RESHAPED;
        fc[f] = (unsigned char)k;
        c.from[k]++;
    }
    for (size_t t = 0; t < T->n; t++) {
        wb_xw_class k;
        if (nsig_to[t] == 0)
            k = WB_XW_UNMATCHED;
        else if (nsig_to[t] >= 2)
            k = WB_XW_MERGED;
        else
            k = (wb_xw_class)fc[only_from[t]]; /* the partner of a 1:1, or a part of a split */
        if (to_class)
            to_class[t] = (unsigned char)k;
        c.to[k]++;
    }
#undef SHARE
    if (from_class)
        memcpy(from_class, fc, F->n);
    if (counts)
        *counts = c;
    wb_free(nsig_to);
    wb_free(only_from);
    wb_free(fc);
    return 0;
}
