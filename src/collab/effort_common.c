/** @file @brief Shared pieces of the issue-7 analyses: a string hash map, which panel areas
 *  an initiative's area reaches, statuses, dates, and loading the input from a store. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collab/collab_internal.h"
#include "collab/effort_internal.h"

int eff_nomem(void)
{
    wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    return WB_ENOMEM;
}

/* ---------------------------------------------------------------- hash map */

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int eff_map_init(eff_map *m, size_t expected)
{
    size_t cap = 16;
    while (cap < 2 * expected + 1)
        cap *= 2;
    m->keys = wb_calloc(cap, sizeof *m->keys);
    m->vals = wb_calloc(cap, sizeof *m->vals);
    m->cap = cap;
    m->n = 0;
    if (!m->keys || !m->vals) {
        eff_map_dispose(m);
        return eff_nomem();
    }
    return 0;
}

void eff_map_dispose(eff_map *m)
{
    wb_free(m->keys);
    wb_free(m->vals);
    memset(m, 0, sizeof *m);
}

static int grow(eff_map *m)
{
    eff_map bigger;
    if (eff_map_init(&bigger, m->cap) < 0)
        return WB_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            eff_map_put(&bigger, m->keys[i], m->vals[i]);
    eff_map_dispose(m);
    *m = bigger;
    return 0;
}

int eff_map_put(eff_map *m, const char *key, size_t val)
{
    if (2 * (m->n + 1) > m->cap && grow(m) < 0)
        return WB_ENOMEM;
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key))
            return 0;
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return 0;
}

size_t eff_map_get(const eff_map *m, const char *key)
{
    if (!m->cap)
        return (size_t)-1;
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key))
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return (size_t)-1;
}

/* ---------------------------------------------------------------- area index */

static int cmp_anc(const void *a, const void *b)
{
    const eff_anc *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->area > y->area) - (x->area < y->area);
}

int eff_index_init(eff_index *x, const wb_panel *p)
{
    memset(x, 0, sizeof *x);
    x->p = p;
    size_t na = wb_panel_nareas(p);
    int error = eff_map_init(&x->codes, na);
    if (error < 0)
        return error;
    for (size_t a = 0; a < na; a++)
        if ((error = eff_map_put(&x->codes, wb_panel_code(p, a), a)) < 0)
            goto done;
    /* every CBS ancestor of every area (buurt -> wijk -> gemeente; NL00 is left out) */
    size_t cap = 0;
    for (size_t a = 0; a < na; a++) {
        char cur[WB_CODE_MAX], up[WB_CODE_MAX];
        snprintf(cur, sizeof cur, "%s", wb_panel_code(p, a));
        while (wb_code_parent(up, cur) == 0 && strcmp(up, "NL00")) {
            if (x->nanc == cap) {
                cap = cap ? 2 * cap : 64;
                eff_anc *nv = wb_realloc(x->anc, cap * sizeof *nv);
                if (!nv) {
                    error = eff_nomem();
                    goto done;
                }
                x->anc = nv;
            }
            snprintf(x->anc[x->nanc].code, WB_CODE_MAX, "%s", up);
            x->anc[x->nanc++].area = a;
            snprintf(cur, sizeof cur, "%s", up);
        }
        wb_error_clear();
    }
    if (x->nanc)
        qsort(x->anc, x->nanc, sizeof *x->anc, cmp_anc);
    if ((error = eff_map_init(&x->ancmap, x->nanc / 4 + 1)) < 0)
        goto done;
    for (size_t i = 0; i < x->nanc; i++)
        if ((i == 0 || strcmp(x->anc[i].code, x->anc[i - 1].code)) &&
            (error = eff_map_put(&x->ancmap, x->anc[i].code, i)) < 0)
            goto done;
done:
    if (error < 0)
        eff_index_dispose(x);
    return error;
}

void eff_index_dispose(eff_index *x)
{
    eff_map_dispose(&x->codes);
    eff_map_dispose(&x->ancmap);
    wb_free(x->anc);
    memset(x, 0, sizeof *x);
}

size_t eff_reach(const eff_index *x, const char *code, void (*fn)(void *ctx, size_t area, int rel), void *ctx)
{
    size_t a = eff_map_get(&x->codes, code);
    if (a != (size_t)-1) {
        fn(ctx, a, EFF_SAME);
        return 1;
    }
    size_t i = eff_map_get(&x->ancmap, code);
    if (i != (size_t)-1) {
        size_t k = 0;
        for (; i < x->nanc && !strcmp(x->anc[i].code, code); i++, k++)
            fn(ctx, x->anc[i].area, EFF_WITHIN);
        return k;
    }
    /* a smaller area: the panel area that encloses it */
    char cur[WB_CODE_MAX], up[WB_CODE_MAX];
    snprintf(cur, sizeof cur, "%s", code);
    while (wb_code_parent(up, cur) == 0) {
        if ((a = eff_map_get(&x->codes, up)) != (size_t)-1) {
            fn(ctx, a, EFF_PART);
            return 1;
        }
        snprintf(cur, sizeof cur, "%s", up);
    }
    wb_error_clear();
    return 0;
}

/* ---------------------------------------------------------------- statuses, dates */

static const char *const statuses[] = {"idee", "gepland", "lopend", "afgerond", "gestopt", NULL};

unsigned eff_status_bit(const char *status)
{
    for (int i = 0; status && statuses[i]; i++)
        if (!strcasecmp(statuses[i], status))
            return 1u << i;
    return 0;
}

int eff_statuses(unsigned *out, const char *list, const char *dflt)
{
    *out = 0;
    if (!list)
        list = dflt;
    if (!list) {
        *out = 0x1f;
        return 0;
    }
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p)
            break;
        const char *q = p;
        while (*q && *q != ',')
            q++;
        size_t n = (size_t)(q - p);
        while (n > 0 && p[n - 1] == ' ')
            n--;
        char name[32];
        unsigned bit = 0;
        if (n < sizeof name) {
            memcpy(name, p, n);
            name[n] = 0;
            bit = eff_status_bit(name);
        }
        if (!bit) {
            wb_error_set(WB_ERRCLASS_ARG, "statuses: expected some of %s, got '%.*s'", WB_INITIATIVE_STATUSES,
                         (int)(n > 40 ? 40 : n), p);
            return WB_EINVALID;
        }
        *out |= bit;
        p = q;
    }
    if (!*out) {
        wb_error_set(WB_ERRCLASS_ARG, "statuses: expected some of %s, got nothing", WB_INITIATIVE_STATUSES);
        return WB_EINVALID;
    }
    return 0;
}

long eff_day(const char *iso, long open)
{
    if (!iso || strlen(iso) < 10)
        return open;
    return wbc_days(iso);
}

void eff_year_days(int y, long *first, long *last)
{
    char b[16];
    snprintf(b, sizeof b, "%04d-01-01", y);
    *first = wbc_days(b);
    snprintf(b, sizeof b, "%04d-12-31", y);
    *last = wbc_days(b);
}

int eff_ids_push(eff_ids *a, int64_t id)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        int64_t *nv = wb_realloc(a->v, cap * sizeof *nv);
        if (!nv)
            return eff_nomem();
        a->v = nv;
        a->cap = cap;
    }
    a->v[a->n++] = id;
    return 0;
}

void eff_ids_dispose(eff_ids *a)
{
    wb_free(a->v);
    memset(a, 0, sizeof *a);
}

/* ---------------------------------------------------------------- names */

const char *wb_need_name(unsigned flag)
{
    switch (flag) {
    case WB_NEED_LOW_CLASS: return "low_class";
    case WB_NEED_DECLINING: return "declining";
    case WB_NEED_STAGNATING: return "stagnating";
    case WB_NEED_LISA_LL: return "lisa_ll";
    case WB_NEED_LISA_LH: return "lisa_lh";
    default: return NULL;
    }
}

char *wb_need_text(char *buf, size_t n, unsigned flags)
{
    size_t used = 0;
    if (n)
        buf[0] = 0;
    for (unsigned f = 1; f <= WB_NEED_LISA_LH && n; f <<= 1)
        if (flags & f) {
            int k = snprintf(buf + used, n - used, "%s%s", used ? "+" : "", wb_need_name(f));
            if (k < 0 || (size_t)k >= n - used)
                break;
            used += (size_t)k;
        }
    return buf;
}

const char *wb_overlap_relation_name(wb_overlap_relation r)
{
    static const char *const names[] = {"same_area", "within", "neighbours"};
    return r < WB_OVERLAP__MAX ? names[r] : NULL;
}

const char *wb_effect_status_name(wb_effect_status s)
{
    static const char *const names[] = {"ok", "too_early", "no_data", "too_few_controls"};
    return s < WB_EFFECT__MAX ? names[s] : NULL;
}

/* ---------------------------------------------------------------- loading from a store */

struct wb_effort_data {
    wb_panel *p;
    wb_scorer *sc;
    wb_scores res;
    wb_initiative *inits;
    size_t ninits;
    wb_contribution *contribs;
    size_t ncontribs;
    wb_effort_input in;
};

void wb_effort_data_free(wb_effort_data *d)
{
    if (!d)
        return;
    wb_scores_dispose(&d->res);
    wb_scorer_free(d->sc);
    wb_panel_free(d->p);
    wb_initiatives_free(d->inits, d->ninits);
    wb_contributions_free(d->contribs, d->ncontribs);
    wb_free(d);
}

const wb_effort_input *wb_effort_data_input(const wb_effort_data *d)
{
    return &d->in;
}

int wb_effort_data_load(wb_effort_data **out, wb_store *st, const wb_actor *actor, const wb_model *m, wb_level level,
                        int boundary_year, const wb_theme_map *tm)
{
    *out = NULL;
    wb_effort_data *d = wb_calloc(1, sizeof *d);
    if (!d)
        return eff_nomem();
    wb_scores init = WB_SCORES_INIT;
    d->res = init;
    const char **keys = NULL;
    size_t ni = wb_model_nindicators(m), nk = ni;
    int error = 0;
    if (!(keys = wb_calloc(ni + 1, sizeof *keys))) {
        error = eff_nomem();
        goto done;
    }
    memcpy(keys, wb_model_keys(m), ni * sizeof *keys);
    /* inhabitants, for effort per inhabitant, when the catalogue has them */
    char pop[64];
    if (wb_store_indicator_resolve(st, NULL, pop, "a_inw") == 0) {
        int dup = 0;
        for (size_t i = 0; i < ni; i++)
            dup |= !strcasecmp(keys[i], pop);
        if (!dup)
            keys[nk++] = pop;
    }
    wb_error_clear();
    wb_panel_opts po = WB_PANEL_OPTS_INIT;
    po.level = level;
    po.boundary_year = boundary_year;
    if ((error = wb_initiative_list(st, actor, &d->inits, &d->ninits, NULL)) < 0 ||
        (error = wb_contribution_list(st, actor, &d->contribs, &d->ncontribs, 0, 0)) < 0 ||
        (error = wb_panel_load(&d->p, st, keys, nk, &po)) < 0 || (error = wb_scorer_new(&d->sc, m, d->p)) < 0 ||
        (error = wb_scorer_run(&d->res, d->sc, 0)) < 0)
        goto done;
    d->in.model = m;
    d->in.panel = d->p;
    d->in.scores = &d->res;
    d->in.initiatives = d->inits;
    d->in.ninitiatives = d->ninits;
    d->in.contributions = d->contribs;
    d->in.ncontributions = d->ncontribs;
    d->in.themes = tm;
done:
    wb_free(keys);
    if (error < 0) {
        wb_effort_data_free(d);
        return error;
    }
    *out = d;
    return 0;
}
