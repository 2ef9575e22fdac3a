/**
 * @file
 * @brief Benchmark of issue 7: gaps and overlaps for a national-size register, generated.
 *
 * 342 gemeenten x 5 wijken x 7 buurten = 11,970 buurten, data years 2012..2022, the five
 * Leefbaarometer dimensions (lbm model: sum, no standardisation) with trends, 200 partners and
 * 10,000 initiatives (1-3 themes of the nine, 1-3 areas: 88% buurten, 10% wijken, 2%
 * gemeenten; statuses and periods 2018-2026 at random) with two contributions each.
 *
 * The buurten are 500 m squares on a grid of 110 columns (queen neighbours: up to 8).
 *
 * Default: everything in memory; prints the wall time of scoring, of gaps (trends of 11,970
 * score series since 2012, weak dimensions, matching of the initiatives), of the spatial
 * context (queen weights, LISA of the score with 999 permutations), of overlaps with and
 * without neighbours and of effort per inhabitant, and the peak resident memory.
 * With --store FILE it writes the same data into a new store instead (for timing the CLI,
 * bench/effort.sh).
 *
 * usage: effort [--store FILE] [--initiatives N] [--seed S]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "wijkbeeld.h"
#include "wijkbeeld/spatial.h"

#define NGM 342
#define NWK 5
#define NBU 7
#define Y0 2012
#define NY 11

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static uint64_t rs = 88172645463325252ull;
static uint64_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}
static double unif(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}
static double norm(void)
{
    return sqrt(-2 * log(unif() + 1e-300)) * cos(6.283185307179586 * unif());
}

static const char *const themes[] = {"veiligheid", "sociale menging en segregatie", "verduurzaming en energie",
                                     "armoede en schulden", "jeugd", "gezondheid", "wonen", "openbare ruimte",
                                     "meedoen en participatie"};
static const char *const statuses[] = {"idee", "gepland", "lopend", "lopend", "lopend", "afgerond", "gestopt"};
static const char *const dims[] = {"lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv"};

/* Buurt k as a 500 m square on a grid of 110 columns (RD-like metres). */
static void square(wb_geom *g, size_t k)
{
    static wb_point pts[5];
    static size_t ring[2] = {0, 5}, poly[2] = {0, 1};
    double x = 100000 + 500.0 * (double)(k % 110), y = 400000 + 500.0 * (double)(k / 110);
    pts[0] = (wb_point){x, y};
    pts[1] = (wb_point){x + 500, y};
    pts[2] = (wb_point){x + 500, y + 500};
    pts[3] = (wb_point){x, y + 500};
    pts[4] = pts[0];
    g->pts = pts;
    g->npts = 5;
    g->ring_off = ring;
    g->nrings = 1;
    g->poly_off = poly;
    g->npolys = 1;
    wb_geom_update_bbox(g);
}

static void die(const char *what)
{
    fprintf(stderr, "effort bench: %s: %s\n", what, wb_error_last()->message);
    exit(1);
}

/* Generated initiatives: strings live in static pools. */
typedef struct {
    wb_initiative *in;
    size_t n;
    wb_contribution *c;
    size_t nc;
    char (*codes)[12];
    char (*dates)[2][11];
    char (*cdates)[2][11];
    char (*areas)[3][12];
    char *(*ap)[3];
    const char *(*tp)[3];
    wb_initiative_target (*tg)[1];
    char (*pname)[32];
} reg;

static void gen_register(reg *r, size_t n, const char (*bu)[12], size_t nbu)
{
    r->n = n;
    r->in = calloc(n, sizeof *r->in);
    r->nc = 2 * n;
    r->c = calloc(r->nc, sizeof *r->c);
    r->dates = calloc(n, sizeof *r->dates);
    r->cdates = calloc(r->nc, sizeof *r->cdates);
    r->areas = calloc(n, sizeof *r->areas);
    r->ap = calloc(n, sizeof *r->ap);
    r->tp = calloc(n, sizeof *r->tp);
    r->tg = calloc(n, sizeof *r->tg);
    r->pname = calloc(200, sizeof *r->pname);
    for (int p = 0; p < 200; p++)
        snprintf(r->pname[p], sizeof r->pname[p], "Partner %03d", p);
    for (size_t i = 0; i < n; i++) {
        wb_initiative *x = &r->in[i];
        x->id = (int64_t)i + 1;
        x->title = "initiatief";
        x->status = (char *)statuses[rnd() % 7];
        int sy = 2018 + (int)(rnd() % 7), ey = sy + 1 + (int)(rnd() % 4);
        snprintf(r->dates[i][0], 11, "%04d-%02d-01", sy, 1 + (int)(rnd() % 12));
        snprintf(r->dates[i][1], 11, "%04d-12-31", ey);
        int dated = strcmp(x->status, "idee") != 0;
        x->start = dated ? r->dates[i][0] : NULL;
        x->end = dated ? r->dates[i][1] : NULL;
        x->lead_partner_id = 1 + (int64_t)(rnd() % 200);
        x->lead_partner = r->pname[x->lead_partner_id - 1];
        x->nthemes = 1 + rnd() % 3;
        for (size_t k = 0; k < x->nthemes; k++)
            r->tp[i][k] = themes[(rnd() + k * 3) % 9];
        if (x->nthemes > 1 && r->tp[i][0] == r->tp[i][1])
            x->nthemes = 1;
        if (x->nthemes > 2 && (r->tp[i][2] == r->tp[i][0] || r->tp[i][2] == r->tp[i][1]))
            x->nthemes = 2;
        x->themes = (char **)r->tp[i];
        x->area_year = 2022;
        /* areas near each other: a random buurt and its neighbours by code */
        size_t b0 = rnd() % nbu;
        double u = unif();
        x->nareas = u < 0.02 ? 1 : 1 + rnd() % 3;
        for (size_t k = 0; k < x->nareas; k++) {
            const char *b = bu[(b0 + k) % nbu];
            if (u < 0.02)
                snprintf(r->areas[i][k], 12, "GM%.4s", b + 2);
            else if (u < 0.12)
                snprintf(r->areas[i][k], 12, "WK%.6s", b + 2);
            else
                snprintf(r->areas[i][k], 12, "%s", b);
            r->ap[i][k] = r->areas[i][k];
        }
        if (x->nareas == 2 && !strcmp(r->areas[i][0], r->areas[i][1]))
            x->nareas = 1;
        if (x->nareas == 3 && (!strcmp(r->areas[i][2], r->areas[i][0]) || !strcmp(r->areas[i][2], r->areas[i][1])))
            x->nareas = 2;
        x->areas = r->ap[i];
        snprintf(r->tg[i][0].indicator, sizeof r->tg[i][0].indicator, "%s", dims[rnd() % 5]);
        r->tg[i][0].direction = 1;
        x->targets = r->tg[i];
        x->ntargets = 1;
        for (int k = 0; k < 2; k++) {
            wb_contribution *c = &r->c[2 * i + (size_t)k];
            c->initiative_id = x->id;
            c->partner_id = k ? 1 + (int64_t)(rnd() % 200) : x->lead_partner_id;
            c->partner = r->pname[c->partner_id - 1];
            c->kind = k ? "hours" : "money_eur";
            c->amount = k ? 100 + (double)(rnd() % 2000) : 1000 + (double)(rnd() % 100000);
            snprintf(r->cdates[2 * i + (size_t)k][0], 11, "%04d-01-01", sy);
            snprintf(r->cdates[2 * i + (size_t)k][1], 11, "%04d-12-31", ey);
            c->start = r->cdates[2 * i + (size_t)k][0];
            c->end = r->cdates[2 * i + (size_t)k][1];
        }
    }
}

int main(int argc, char **argv)
{
    const char *store = NULL;
    size_t ninit = 10000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--store") && i + 1 < argc)
            store = argv[++i];
        else if (!strcmp(argv[i], "--initiatives") && i + 1 < argc)
            ninit = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            rs = (uint64_t)atoll(argv[++i]) * 2654435761u + 1;
        else {
            fprintf(stderr, "usage: effort [--store FILE] [--initiatives N] [--seed S]\n");
            return 2;
        }
    }
    size_t nbu = (size_t)NGM * NWK * NBU;
    char(*bu)[12] = calloc(nbu, sizeof *bu);
    const char **codes = calloc(nbu, sizeof *codes);
    for (size_t g = 0, k = 0; g < NGM; g++)
        for (size_t w = 0; w < NWK; w++)
            for (size_t b = 0; b < NBU; b++, k++) {
                snprintf(bu[k], sizeof bu[k], "BU%04zu%02zu%02zu", g + 1, w, b);
                codes[k] = bu[k];
            }
    /* values: the five dimensions, level by area, a slope change at 2012 for a fifth */
    int years[NY];
    for (int t = 0; t < NY; t++)
        years[t] = Y0 + t;
    const char *keys[] = {"lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv", "a_inw"};
    wb_panel *p = NULL;
    if (wb_panel_new(&p, nbu, codes, NY, years, 6, keys, 2022) < 0)
        die("panel");
    for (size_t a = 0; a < nbu; a++) {
        double lev = 0.05 * norm(), slope = rnd() % 5 == 0 ? -0.004 : 0.002;
        double pop = 300 + (double)(rnd() % 3000);
        for (int t = 0; t < NY; t++) {
            for (int d = 0; d < 5; d++)
                wb_panel_set(p, a, (size_t)t, (size_t)d, lev / 5 + 0.02 * norm() / 3 + slope * t / 5 + 0.004 * norm());
            wb_panel_set(p, a, (size_t)t, 5, pop);
        }
    }
    reg r;
    memset(&r, 0, sizeof r);
    gen_register(&r, ninit, (const char(*)[12])bu, nbu);

    if (store) {
        /* write the same data into a store, for timing the command line */
        double t0 = now();
        wb_store *st = NULL;
        if (wb_store_open(&st, store, WB_STORE_CREATE) < 0 || wb_store_begin(st) < 0)
            die("store");
        int64_t ind[6];
        for (int k = 0; k < 6; k++) {
            wb_indicator x = {0};
            x.key = (char *)keys[k];
            x.direction = k < 5 ? 1 : 0;
            if (wb_store_indicator_put(st, &ind[k], &x) < 0)
                die("indicator");
        }
        for (size_t g = 0; g < NGM; g++) {
            char gm[12];
            snprintf(gm, sizeof gm, "GM%04zu", g + 1);
            if (wb_store_area_put(st, NULL, gm, 2022, WB_LEVEL_GEMEENTE, NULL, NULL) < 0)
                die("gemeente");
            for (size_t w = 0; w < NWK; w++) {
                char wk[12];
                snprintf(wk, sizeof wk, "WK%04zu%02zu", g + 1, w);
                if (wb_store_area_put(st, NULL, wk, 2022, WB_LEVEL_WIJK, NULL, NULL) < 0)
                    die("wijk");
            }
        }
        for (size_t a = 0; a < nbu; a++) {
            int64_t id;
            if (wb_store_area_put(st, &id, bu[a], 2022, WB_LEVEL_BUURT, NULL, NULL) < 0)
                die("buurt");
            wb_geom sq;
            square(&sq, a);
            if (wb_store_geom_put(st, id, &sq) < 0)
                die("geometry");
            for (int t = 0; t < NY; t++)
                for (int k = 0; k < 6; k++)
                    if (wb_store_obs_put(st, ind[k], id, years[t], wb_panel_get(p, a, (size_t)t, (size_t)k)) < 0)
                        die("observation");
        }
        wb_actor admin;
        wb_actor_cli(&admin, "bench");
        for (int k = 0; k < 200; k++)
            if (wb_partner_add(st, NULL, &admin, r.pname[k], "overig", NULL) < 0)
                die("partner");
        for (size_t i = 0; i < r.n; i++) {
            int64_t id;
            if (wb_initiative_add(st, &id, &admin, &r.in[i]) < 0)
                die("initiative");
        }
        for (size_t i = 0; i < r.nc; i++)
            if (wb_contribution_add(st, NULL, &admin, &r.c[i]) < 0)
                die("contribution");
        if (wb_store_commit(st) < 0)
            die("commit");
        wb_store_free(st);
        printf("effort bench: wrote %s: %zu buurten x %d years, %zu initiatives, %zu contributions in %.1f s\n", store,
               nbu, NY, r.n, r.nc, now() - t0);
        return 0;
    }

    const char *text = "[model]\nname = lbm\ntransform = none\naggregate = sum\nmin_coverage = 1\n"
                       "[dimension won]\nindicator lbm_won direction=+\n[dimension fys]\nindicator lbm_fys direction=+\n"
                       "[dimension vrz]\nindicator lbm_vrz direction=+\n[dimension soc]\nindicator lbm_soc direction=+\n"
                       "[dimension onv]\nindicator lbm_onv direction=+\n";
    const char *map = "veiligheid = lbm_onv\nwonen = lbm_won\nopenbare ruimte = lbm_fys\narmoede en schulden = lbm_soc\n"
                      "sociale menging en segregatie = lbm_soc\nmeedoen en participatie = lbm_soc\njeugd = lbm_soc\n"
                      "gezondheid = lbm_vrz\nverduurzaming en energie = g_gas\n";
    wb_model *m = NULL;
    wb_theme_map *tm = NULL;
    wb_scorer *sc = NULL;
    wb_scores res = WB_SCORES_INIT;
    if (wb_model_parse(&m, text, strlen(text), "bench.model") < 0 || wb_theme_map_parse(&tm, map, strlen(map), "bench.map") < 0)
        die("model");
    double t0 = now();
    if (wb_scorer_new(&sc, m, p) < 0 || wb_scorer_run(&res, sc, 0) < 0)
        die("score");
    double t_score = now() - t0;
    wb_effort_input in = {m, p, &res, r.in, r.n, r.c, r.nc, tm};
    wb_gaps g = WB_GAPS_INIT;
    wb_gaps_opts go = WB_GAPS_OPTS_INIT;
    go.nthreads = 1;
    t0 = now();
    if (wb_gaps_compute(&g, &in, &go) < 0)
        die("gaps");
    double t_gaps1 = now() - t0;
    wb_gaps_dispose(&g);
    go.nthreads = 2;
    t0 = now();
    if (wb_gaps_compute(&g, &in, &go) < 0)
        die("gaps");
    double t_gaps2 = now() - t0;
    wb_overlaps ov = WB_OVERLAPS_INIT;
    t0 = now();
    if (wb_overlaps_compute(&ov, r.in, r.n, r.c, r.nc, NULL) < 0)
        die("overlaps");
    double t_ov = now() - t0;
    /* the spatial context: queen weights of the squares, LISA of the 2022 score */
    wb_geom *geoms = calloc(nbu, sizeof *geoms);
    static wb_point gp[NGM * NWK * NBU][5];
    static size_t gring[2] = {0, 5}, gpoly[2] = {0, 1};
    for (size_t a = 0; a < nbu; a++) {
        wb_geom sq;
        square(&sq, a);
        memcpy(gp[a], sq.pts, sizeof gp[a]);
        geoms[a] = sq;
        geoms[a].pts = gp[a];
        geoms[a].ring_off = gring;
        geoms[a].poly_off = gpoly;
    }
    wb_weights w = WB_WEIGHTS_INIT;
    wb_weights_opts wo = WB_WEIGHTS_OPTS_INIT;
    t0 = now();
    if (wb_weights_from_geoms(&w, geoms, nbu, &wo) < 0)
        die("weights");
    double t_w = now() - t0;
    double *x = malloc(nbu * sizeof *x);
    int *cl = malloc(nbu * sizeof *cl);
    for (size_t a = 0; a < nbu; a++)
        x[a] = res.score[(NY - 1) * nbu + a];
    wb_lisa_opts lo = WB_LISA_OPTS_INIT;
    lo.permutations = 999;
    wb_lisa_out lout;
    memset(&lout, 0, sizeof lout);
    lout.cluster = cl;
    t0 = now();
    if (wb_lisa_local_moran(&lout, &w, x, &lo) < 0)
        die("lisa");
    double t_lisa = now() - t0;
    const char **lisa = malloc(nbu * sizeof *lisa);
    for (size_t a = 0; a < nbu; a++)
        lisa[a] = wb_lisa_cluster_name((wb_lisa_cluster)cl[a]);
    wb_gaps g2 = WB_GAPS_INIT;
    go.lisa = lisa;
    t0 = now();
    if (wb_gaps_compute(&g2, &in, &go) < 0)
        die("gaps with lisa");
    double t_gaps3 = now() - t0;
    wb_neighbours nb = {nbu, codes, 2022, w.row, w.col};
    wb_overlaps_opts oo = WB_OVERLAPS_OPTS_INIT;
    oo.neighbours = &nb;
    wb_overlaps ov2 = WB_OVERLAPS_INIT;
    t0 = now();
    if (wb_overlaps_compute(&ov2, r.in, r.n, r.c, r.nc, &oo) < 0)
        die("overlaps with neighbours");
    double t_ov2 = now() - t0;
    wb_effort e = WB_EFFORT_INIT;
    wb_effort_opts eo = WB_EFFORT_OPTS_INIT;
    eo.year = 2022;
    t0 = now();
    if (wb_effort_compute(&e, &in, &eo) < 0)
        die("effort");
    double t_eff = now() - t0;
    printf("effort bench: %zu buurten x %d years, %zu initiatives (%zu considered as running by gaps), "
           "%zu contributions\n",
           nbu, NY, r.n, g.nconsidered, r.nc);
    printf("  scores (5 dimensions, all years, 2 threads)   %8.1f ms\n", 1e3 * t_score);
    printf("  gaps   (trends since 2012 + matching), 1 thread %6.1f ms  (%zu need attention, %zu with a gap)\n",
           1e3 * t_gaps1, g.nneed, g.ngap);
    printf("  gaps   (same), 2 threads                      %8.1f ms\n", 1e3 * t_gaps2);
    printf("  queen weights of the buurten (spatial.h)      %8.1f ms  (%zu links)\n", 1e3 * t_w, w.nlinks);
    printf("  LISA of the 2022 score, 999 permutations      %8.1f ms\n", 1e3 * t_lisa);
    printf("  gaps with the LISA criterion, 2 threads       %8.1f ms  (%zu need attention)\n", 1e3 * t_gaps3, g2.nneed);
    printf("  overlaps (same and enclosing areas)           %8.1f ms  (%zu pairs)\n", 1e3 * t_ov, ov.n);
    printf("  overlaps (also neighbouring buurten)          %8.1f ms  (%zu pairs)\n", 1e3 * t_ov2, ov2.n);
    printf("  effort per inhabitant 2022 + Spearman         %8.1f ms  (rho %.3f)\n", 1e3 * t_eff, e.rho_eur);
    printf("  peak resident memory                          %8ld MB\n", peak_mb());
    wb_effort_dispose(&e);
    wb_overlaps_dispose(&ov);
    wb_overlaps_dispose(&ov2);
    wb_gaps_dispose(&g2);
    wb_weights_dispose(&w);
    free(geoms);
    free(x);
    free(cl);
    free(lisa);
    wb_gaps_dispose(&g);
    wb_scores_dispose(&res);
    wb_scorer_free(sc);
    wb_theme_map_free(tm);
    wb_model_free(m);
    wb_panel_free(p);
    return 0;
}
