/**
 * @file
 * @brief `overview [CODE]`: a readable picture of one municipality — its wijken and
 * buurten, inhabitants, the latest livability score (lbm) with the class distribution, the
 * best and worst areas, the change since 2012 and the labelled sets within it. This is what
 * `make demo` prints until the dashboard exists. Uses only the public API.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

/* A change in lbm smaller than this (about a third of a class width) counts as "about the
 * same" in the overview's sentence on the trend. */
#define SAME_BAND 0.03
#define BASE_YEAR 2012

static const wb_optdef overview_opts[] = {
    {"year", 1, "boundary year of the areas (default: the latest of CODE)"},
    {NULL, 0, NULL}};

typedef struct {
    const wb_area *area;
    double lbm_last, lbm_base; /* NaN when missing */
    int klasse;                /* stored lbm_klasse in the last year, 0 if none */
    char *labels;              /* comma-separated label sets, or NULL */
} sub;

static void fmt_count(char *buf, size_t n, double v)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.0f", v);
    size_t len = strlen(raw), o = 0;
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = 0;
}

/* The latest value of an indicator for one area (code, boundary year); *year gets its year. */
static double latest(wb_store *st, const char *key, const wb_area *a, int *year)
{
    wb_value_query q = WB_VALUE_QUERY_INIT;
    q.indicator = key;
    q.code = a->code;
    q.boundary_year = a->year;
    wb_value *v = NULL;
    size_t n = 0;
    double out = NAN;
    *year = 0;
    if (wb_store_values(st, &v, &n, NULL, &q) == 0 && n > 0) {
        out = v[n - 1].value;
        *year = v[n - 1].year;
    }
    wb_free(v);
    return out;
}

static double value_in(const wb_value *v, size_t n, int64_t area_id, int year)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].area_id == area_id && v[i].year == year)
            return v[i].value;
    return NAN;
}

static int cmp_lbm_desc(const void *a, const void *b)
{
    const sub *x = *(const sub *const *)a, *y = *(const sub *const *)b;
    if (x->lbm_last != y->lbm_last)
        return x->lbm_last < y->lbm_last ? 1 : -1;
    return strcmp(x->area->code, y->area->code);
}

static void print_area(const sub *s)
{
    printf("    %+.3f  ", s->lbm_last);
    if (s->klasse)
        printf("class %d  ", s->klasse);
    printf("%s %s\n", s->area->code, s->area->name ? s->area->name : "");
}

static int cmd_overview(wb_ctx *ctx, wb_args *a)
{
    long year;
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0)
        return 2;
    const char *given = a->npos ? a->pos[0] : WB_DEMO_GEMEENTE;
    char code[WB_CODE_MAX];
    if (wb_code_normalize(code, NULL, given, strlen(given), WB_LEVEL_GEMEENTE) < 0)
        return wb_cli_usage("overview: %s", wb_error_last()->message);
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int rc = 0;
    wb_area *area = NULL, *subs_b = NULL, *subs_w = NULL;
    size_t nb = 0, nw = 0, nlv = 0, nkl = 0;
    wb_value *lv = NULL, *kl = NULL;
    sub *subs = NULL;
    sub **sorted = NULL;
    size_t nsubs = 0;
    int last = 0, base = 0;
    if (wb_store_area_get(st, &area, code, (int)year) < 0) {
        if (!a->npos)
            fprintf(stderr,
                    "wijkbeeld: %s has no demo municipality %s; run 'wijkbeeld demo' first or give a "
                    "gemeente code\n",
                    ctx->db_path, WB_DEMO_GEMEENTE);
        else
            wb_cli_fail();
        rc = 1;
        goto done;
    }
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.year = area->year;
    q.within = area->code;
    q.level = WB_LEVEL_BUURT;
    if (wb_store_areas(st, &subs_b, &nb, &q) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    q.level = WB_LEVEL_WIJK;
    if (wb_store_areas(st, &subs_w, &nw, &q) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    int fictional = !strcmp(area->code, WB_DEMO_GEMEENTE);
    printf("%s (%s)%s, boundaries %d\n", area->name ? area->name : area->code, area->code,
           fictional ? " — a fictional demo municipality" : "", area->year);
    printf("  %zu wijken, %zu buurten", nw, nb);
    int yinw = 0, yhh = 0;
    double inw = latest(st, "a_inw", area, &yinw), hh = latest(st, "a_hh", area, &yhh);
    if (!isnan(inw)) {
        char buf[64];
        fmt_count(buf, sizeof buf, inw);
        printf("; %s inhabitants (%d)", buf, yinw);
        if (!isnan(hh) && yhh == yinw) {
            fmt_count(buf, sizeof buf, hh);
            printf(", %s households", buf);
        }
    }
    printf("\n");

    /* livability: buurten if they have scores, else wijken */
    wb_value_query vq = WB_VALUE_QUERY_INIT;
    vq.indicator = "lbm";
    vq.within = area->code;
    vq.boundary_year = area->year;
    const char *levelname = "buurten";
    vq.level = WB_LEVEL_BUURT;
    int verr = wb_store_values(st, &lv, &nlv, NULL, &vq);
    if (verr < 0 && verr != WB_ENOTFOUND) { /* WB_ENOTFOUND: no lbm in the catalogue */
        rc = wb_cli_fail();
        goto done;
    }
    wb_area *level_areas = subs_b;
    size_t nlevel = nb;
    if (nlv == 0) {
        wb_free(lv);
        lv = NULL;
        vq.level = WB_LEVEL_WIJK;
        levelname = "wijken";
        level_areas = subs_w;
        nlevel = nw;
        if (wb_store_values(st, &lv, &nlv, NULL, &vq) < 0)
            nlv = 0;
    }
    if (nlv == 0) {
        printf("\nNo livability scores (lbm) are stored for the wijken or buurten of %s on the %d boundaries.\n",
               area->code, area->year);
        goto labels_only;
    }
    last = lv[nlv - 1].year;
    for (size_t i = 0; i < nlv; i++)
        if (lv[i].year >= BASE_YEAR && lv[i].year < last) {
            base = lv[i].year;
            break;
        }
    vq.indicator = "lbm_klasse";
    vq.year = last;
    if (wb_store_values(st, &kl, &nkl, NULL, &vq) < 0)
        nkl = 0;
    subs = calloc(nlevel ? nlevel : 1, sizeof *subs);
    sorted = calloc(nlevel ? nlevel : 1, sizeof *sorted);
    if (!subs || !sorted) {
        fprintf(stderr, "wijkbeeld: out of memory\n");
        rc = 1;
        goto done;
    }
    nsubs = nlevel;
    size_t nscored = 0;
    for (size_t i = 0; i < nlevel; i++) {
        subs[i].area = &level_areas[i];
        subs[i].lbm_last = value_in(lv, nlv, level_areas[i].id, last);
        subs[i].lbm_base = base ? value_in(lv, nlv, level_areas[i].id, base) : NAN;
        double k = value_in(kl, nkl, level_areas[i].id, last);
        subs[i].klasse = isnan(k) ? 0 : (int)k;
        if (!isnan(subs[i].lbm_last))
            sorted[nscored++] = &subs[i];
    }
    qsort(sorted, nscored, sizeof *sorted, cmp_lbm_desc);
    int ylbm = 0, ykl = 0;
    double own = latest(st, "lbm", area, &ylbm), ownk = latest(st, "lbm_klasse", area, &ykl);
    printf("\nLivability (Leefbaarometer-style score lbm, deviation from the national reference), %d:\n", last);
    if (!isnan(own) && ylbm == last) {
        printf("  %s as a whole: %+.3f", area->code, own);
        if (!isnan(ownk) && ykl == last && wb_demo_class_label((int)ownk))
            printf(", class %d (%s)", (int)ownk, wb_demo_class_label((int)ownk));
        printf("\n");
    }
    if (nkl) {
        int cnt[10] = {0}, tot = 0;
        for (size_t i = 0; i < nsubs; i++)
            if (subs[i].klasse >= 1 && subs[i].klasse <= 9) {
                cnt[subs[i].klasse]++;
                tot++;
            }
        printf("  classes of the %d %s with a class:\n", tot, levelname);
        for (int k = 1; k <= 9; k++) {
            printf("    %d %-17s %4d  ", k, wb_demo_class_label(k), cnt[k]);
            for (int b = 0; b < cnt[k] && b < 60; b++)
                putchar('#');
            printf("\n");
        }
    }
    if (nscored < nlevel)
        printf("  %zu of %zu %s have no score in %d\n", nlevel - nscored, nlevel, levelname, last);
    size_t show = nscored < 6 ? nscored / 2 : 3;
    if (show) {
        printf("  best %s:\n", levelname);
        for (size_t i = 0; i < show; i++)
            print_area(sorted[i]);
        printf("  worst %s:\n", levelname);
        for (size_t i = 0; i < show; i++)
            print_area(sorted[nscored - 1 - i]);
    }
    if (base) {
        int up = 0, same = 0, down = 0;
        for (size_t i = 0; i < nsubs; i++) {
            if (isnan(subs[i].lbm_last) || isnan(subs[i].lbm_base))
                continue;
            double d = subs[i].lbm_last - subs[i].lbm_base;
            if (d > SAME_BAND)
                up++;
            else if (d < -SAME_BAND)
                down++;
            else
                same++;
        }
        int yb = 0;
        double ownb = NAN;
        {
            wb_value_query oq = WB_VALUE_QUERY_INIT;
            oq.indicator = "lbm";
            oq.code = area->code;
            oq.boundary_year = area->year;
            oq.year = base;
            wb_value *ov = NULL;
            size_t on = 0;
            if (wb_store_values(st, &ov, &on, NULL, &oq) == 0 && on) {
                ownb = ov[0].value;
                yb = base;
            }
            wb_free(ov);
        }
        printf("\nSince %d: ", base);
        if (yb && !isnan(own) && ylbm == last)
            printf("the score of %s went from %+.3f to %+.3f (%+.3f).", area->code, ownb, own, own - ownb);
        printf("\n  Of the %d %s with a score in both years, %d improved, %d stayed about the same\n"
               "  and %d declined (a change of more than %.2f either way).\n",
               up + same + down, levelname, up, same, down, SAME_BAND);
    }

labels_only:;
    /* label sets with members among the wijken and buurten of the area */
    typedef struct {
        char name[128];
        int n, nscored;
        double sum_last, sum_change;
        int nchange;
        char members[512];
    } setinfo;
    setinfo sets[16];
    int nsets = 0;
    wb_area *lists[2] = {subs_w, subs_b};
    size_t counts[2] = {nw, nb};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            char *labels = NULL;
            if (wb_store_area_labels(st, &labels, lists[l][i].id) < 0 || !labels || !*labels) {
                wb_free(labels);
                continue;
            }
            const sub *s = NULL;
            for (size_t k = 0; k < nsubs; k++)
                if (subs[k].area->id == lists[l][i].id)
                    s = &subs[k];
            for (char *tok = labels, *next; tok && *tok; tok = next) {
                next = strchr(tok, ',');
                if (next)
                    *next++ = 0;
                int k;
                for (k = 0; k < nsets && strcmp(sets[k].name, tok); k++)
                    ;
                if (k == nsets) {
                    if (nsets == 16)
                        continue;
                    memset(&sets[k], 0, sizeof sets[k]);
                    snprintf(sets[k].name, sizeof sets[k].name, "%s", tok);
                    nsets++;
                }
                setinfo *si = &sets[k];
                si->n++;
                size_t ml = strlen(si->members);
                if (ml < sizeof si->members - 80)
                    snprintf(si->members + ml, sizeof si->members - ml, "%s%s", ml ? ", " : "",
                             lists[l][i].name ? lists[l][i].name : lists[l][i].code);
                if (s && !isnan(s->lbm_last)) {
                    si->nscored++;
                    si->sum_last += s->lbm_last;
                    if (!isnan(s->lbm_base)) {
                        si->sum_change += s->lbm_last - s->lbm_base;
                        si->nchange++;
                    }
                }
            }
            wb_free(labels);
        }
    if (nsets) {
        printf("\nLabelled sets here:\n");
        for (int k = 0; k < nsets; k++) {
            setinfo *si = &sets[k];
            printf("  '%s': %d areas (%s)\n", si->name, si->n, si->members);
            if (si->nscored && nsubs) {
                double rs = 0, rc2 = 0;
                int rn = 0, rcn = 0;
                for (size_t i = 0; i < nsubs; i++) {
                    if (isnan(subs[i].lbm_last))
                        continue;
                    char *lb = NULL;
                    int member = 0;
                    if (wb_store_area_labels(st, &lb, subs[i].area->id) == 0 && lb) {
                        for (char *tok = lb, *next; tok && *tok && !member; tok = next) {
                            next = strchr(tok, ',');
                            if (next)
                                *next++ = 0;
                            member = !strcmp(tok, si->name);
                        }
                    }
                    wb_free(lb);
                    if (member)
                        continue;
                    rs += subs[i].lbm_last;
                    rn++;
                    if (!isnan(subs[i].lbm_base)) {
                        rc2 += subs[i].lbm_last - subs[i].lbm_base;
                        rcn++;
                    }
                }
                printf("    mean score %+.3f in %d", si->sum_last / si->nscored, last);
                if (rn)
                    printf(" against %+.3f for the other %s", rs / rn, levelname);
                if (si->nchange && rcn && base)
                    printf("; change since %d %+.3f against %+.3f", base, si->sum_change / si->nchange, rc2 / rcn);
                printf("\n");
            }
        }
    } else {
        printf("\nNo labelled sets have areas in %s.\n", area->code);
    }
done:
    free(subs);
    free(sorted);
    wb_free(lv);
    wb_free(kl);
    wb_areas_free(area, area ? 1 : 0);
    wb_areas_free(subs_b, nb);
    wb_areas_free(subs_w, nw);
    wb_store_free(st);
    return rc;
}

static const wb_cmd overview_cmd = {
    "overview",
    "a readable overview of a municipality (default: the demo municipality GM9999)",
    "[CODE] [--year Y]",
    overview_opts,
    cmd_overview,
    0,
    1};
WB_COMMAND(overview_cmd)
