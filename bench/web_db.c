/**
 * @file
 * @brief Builds a synthetic store of national size for the web benchmark when the real
 * Leefbaarometer data cannot be imported: 390 gemeenten, 8 wijken each (3,120), 4 buurten
 * per wijk (12,480), 12 indicators x 5 data years for every area (about 1 million values),
 * square polygons for every area. Usage: web_db OUT.db
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkbeeld.h"

static const char *const keys[] = {"lbm", "lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv",
                                   "lbm_klasse", "a_inw", "g_woz", "g_ink_pi", "p_hh_li", "p_wcorpw"};
#define NKEYS (sizeof keys / sizeof keys[0])

static int fail(const char *what)
{
    fprintf(stderr, "web_db: %s: %s\n", what, wb_error_last()->message);
    return 1;
}

static void square(wb_geom *g, wb_point *pts, size_t *ro, size_t *po, double x, double y, double s)
{
    wb_point p[5] = {{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}};
    memcpy(pts, p, sizeof p);
    ro[0] = 0, ro[1] = 5, po[0] = 0, po[1] = 1;
    g->pts = pts, g->npts = 5, g->ring_off = ro, g->nrings = 1, g->poly_off = po, g->npolys = 1;
    wb_geom_update_bbox(g);
}

/* a deterministic pseudo-random value in [0, 1) */
static double hash01(unsigned a, unsigned b, unsigned c)
{
    unsigned h = a * 2654435761u ^ b * 2246822519u ^ c * 3266489917u;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    return (double)(h & 0xffffff) / 16777216.0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: web_db OUT.db\n");
        return 2;
    }
    wb_store *st = NULL;
    remove(argv[1]);
    if (wb_store_open(&st, argv[1], WB_STORE_CREATE) < 0 || wb_store_begin(st) < 0)
        return fail(argv[1]);
    int64_t ind[NKEYS];
    for (size_t k = 0; k < NKEYS; k++) {
        wb_indicator d;
        memset(&d, 0, sizeof d);
        d.key = (char *)keys[k];
        d.label_nl = (char *)keys[k];
        d.unit = k < 6 ? "score" : k == 6 ? "klasse" : k == 7 ? "aantal" : "%";
        d.direction = k == 10 ? -1 : 1;
        d.source = "synthetic (bench/web_db.c)";
        if (wb_store_indicator_put(st, &ind[k], &d) < 0)
            return fail("indicator");
    }
    wb_point pts[5];
    size_t ro[2], po[2];
    wb_geom g = WB_GEOM_INIT;
    unsigned n = 0;
    for (int gm = 1; gm <= 390; gm++) {
        char code[WB_CODE_MAX], name[64];
        int64_t id;
        double gx = 13000 + (gm % 20) * 12000, gy = 306000 + (gm / 20) * 12000;
        snprintf(code, sizeof code, "GM%04d", gm);
        snprintf(name, sizeof name, "Gemeente %d", gm);
        if (wb_store_area_put(st, &id, code, 2016, WB_LEVEL_GEMEENTE, name, NULL) < 0)
            return fail("area");
        square(&g, pts, ro, po, gx, gy, 11000);
        if (wb_store_geom_put(st, id, &g) < 0)
            return fail("geometry");
        for (size_t k = 0; k < NKEYS; k++)
            for (int y = 2012; y <= 2020; y += 2)
                if (wb_store_obs_put(st, ind[k], id, y, hash01(n, (unsigned)k, (unsigned)y)) < 0)
                    return fail("value");
        n++;
        for (int wk = 0; wk < 8; wk++) {
            int64_t wid;
            snprintf(code, sizeof code, "WK%04d%02d", gm, wk);
            snprintf(name, sizeof name, "Wijk %d-%d", gm, wk);
            if (wb_store_area_put(st, &wid, code, 2016, WB_LEVEL_WIJK, name, NULL) < 0)
                return fail("area");
            double wx = gx + (wk % 4) * 2750, wy = gy + (wk / 4) * 5500;
            square(&g, pts, ro, po, wx, wy, 2700);
            if (wb_store_geom_put(st, wid, &g) < 0)
                return fail("geometry");
            for (size_t k = 0; k < NKEYS; k++)
                for (int y = 2012; y <= 2020; y += 2)
                    if (wb_store_obs_put(st, ind[k], wid, y, hash01(n, (unsigned)k, (unsigned)y)) < 0)
                        return fail("value");
            n++;
            for (int bu = 0; bu < 4; bu++) {
                int64_t bid;
                snprintf(code, sizeof code, "BU%04d%02d%02d", gm, wk, bu);
                snprintf(name, sizeof name, "Buurt %d-%d-%d", gm, wk, bu);
                if (wb_store_area_put(st, &bid, code, 2016, WB_LEVEL_BUURT, name, NULL) < 0)
                    return fail("area");
                square(&g, pts, ro, po, wx + (bu % 2) * 1350, wy + (bu / 2) * 1350, 1300);
                if (wb_store_geom_put(st, bid, &g) < 0)
                    return fail("geometry");
                for (size_t k = 0; k < NKEYS; k++)
                    for (int y = 2012; y <= 2020; y += 2)
                        if (wb_store_obs_put(st, ind[k], bid, y, hash01(n, (unsigned)k, (unsigned)y)) < 0)
                            return fail("value");
                n++;
            }
        }
    }
    if (wb_store_commit(st) < 0)
        return fail("commit");
    wb_store_free(st);
    printf("web_db: %u areas, %zu indicators x 5 years\n", n, NKEYS);
    return 0;
}
