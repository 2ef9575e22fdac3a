/**
 * @file
 * @brief The demo municipality Wierhaven (GM9999, fictional): its map, its yearly values
 * and its label set, generated from a seed. See include/wijkbeeld/demo.h and docs/demo.md.
 *
 * How the map is made (all on a grid of 25 m cells, 360 x 300 cells = 9 x 7.5 km):
 *  1. the municipality is a noisy ellipse of cells (value noise, no holes, one piece);
 *  2. 80 buurt seeds are spread by Mitchell's best-candidate sampling, denser in the centre;
 *  3. every cell goes to the nearest seed after a smooth domain warp (a perturbed Voronoi
 *     rule), which gives organic borders; stray pieces are merged into a neighbour, and
 *     cells are adjusted until no region touches itself only diagonally and no four
 *     regions meet in one grid corner;
 *  4. the buurten are grouped into 8 connected wijken (k-means on the seeds, then a
 *     multi-source shortest-path assignment over the buurt adjacency graph);
 *  5. each region's boundary is traced along cell edges into rings (counter-clockwise
 *     exteriors, clockwise holes). Corners are cut through the edge midpoints, keeping the
 *     grid vertices where three regions meet, and collinear midpoints are dropped. Both
 *     decisions depend only on the shared boundary itself, never on which side traces it,
 *     so neighbours share exactly the same vertices and the polygons tile the municipality
 *     without gaps or overlaps; wijk and gemeente rings are made of the same vertices.
 *
 * Floating point: only + - * / sqrt and floor, so values are identical on every IEEE 754
 * machine (see demo.h); the PRNG is integer-only.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/demo_internal.h"
#include "wijkbeeld/demo.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/geo.h"
#include "wijkbeeld/io.h"

/* No fused multiply-add: a*b+c must round twice on every machine. GCC does not contract in
 * ISO C mode (-std=c11); clang does by default where the CPU has FMA, so tell it not to. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* ================================================================ PRNG */

double wb_demo__rng_normal(wb_demo_rng *r)
{
    double s = 0;
    for (int i = 0; i < 12; i++)
        s += wb__rng_uniform(r);
    return s - 6.0;
}

/* An integer in [0, n). The bias of the multiply-shift is below 2^-50 for small n. */
static int rng_int(wb_demo_rng *r, int n)
{
    return (int)(wb__rng_uniform(r) * (double)n);
}

/* ================================================================ small helpers */

static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Round to @p digits decimals (0, 1 or 2) the same way everywhere: floor(x*10^d + 0.5)/10^d. */
static double roundd(double x, int digits)
{
    if (isnan(x))
        return x;
    double f = digits == 2 ? 100.0 : digits == 1 ? 10.0 : 1.0;
    return floor(x * f + 0.5) / f;
}

/* x^n for a whole n >= 0 by repeated multiplication (pow() is not guaranteed identical). */
static double ipow(double x, int n)
{
    double r = 1;
    for (int i = 0; i < n; i++)
        r *= x;
    return r;
}

/* Biweight kernel (1 - q^2)^2 for q < 1: a smooth bump without exp(). */
static double bump(double dist, double radius)
{
    double q = dist / radius;
    if (q >= 1)
        return 0;
    double w = 1 - q * q;
    return w * w;
}

/* Value noise: pseudo-random lattice values in [-1, 1], smoothstep-interpolated. */
static double lattice(uint64_t seed, int ch, long ix, long iy)
{
    uint64_t x = seed ^ ((uint64_t)(ch + 1) * 0x9e3779b97f4a7c15u) ^
                 ((uint64_t)(ix + 1000000) * 0xc2b2ae3d27d4eb4fu) ^
                 ((uint64_t)(iy + 1000000) * 0x165667b19e3779f9u);
    uint64_t h = wb__splitmix64(&x);
    return (double)(h >> 11) * 0x1.0p-53 * 2.0 - 1.0;
}

static double vnoise1(uint64_t seed, int ch, double x, double y)
{
    double fx0 = floor(x), fy0 = floor(y);
    long ix = (long)fx0, iy = (long)fy0;
    double fx = x - fx0, fy = y - fy0;
    double sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    double v00 = lattice(seed, ch, ix, iy), v10 = lattice(seed, ch, ix + 1, iy);
    double v01 = lattice(seed, ch, ix, iy + 1), v11 = lattice(seed, ch, ix + 1, iy + 1);
    double a = v00 + sx * (v10 - v00), b = v01 + sx * (v11 - v01);
    return a + sy * (b - a);
}

/* Two octaves; roughly within [-1.5, 1.5]. @p scale is the feature size in the units of x, y. */
static double noise(uint64_t seed, int ch, double x, double y, double scale)
{
    return vnoise1(seed, ch, x / scale, y / scale) +
           0.5 * vnoise1(seed, ch + 100, 2 * x / scale + 17.25, 2 * y / scale + 5.5);
}

/* ================================================================ the map */

#define GW 360           /* grid width in cells */
#define GH 300           /* grid height in cells */
#define CELL_M 25.0      /* cell size in metres */
#define ORIGIN_X 48000.0 /* RD New x of the grid's south-west corner (North Sea, ~45 km W of IJmuiden) */
#define ORIGIN_Y 484000.0
#define NB 80            /* buurten */
#define NW 8             /* wijken */
#define NSET 11          /* attention buurten (label set) */
#define WIJK_CAP 13      /* most buurten in one wijk */
#define NV ((GW + 1) * (GH + 1))
#define CENTRE_X (GW / 2.0)
#define CENTRE_Y (GH / 2.0)
#define SEMI_A (0.42 * GW)
#define SEMI_B (0.42 * GH)

enum { W_CENTRE, W_AFFLUENT, W_AANDACHT, W_WARNING, W_VINEX, W_REGULAR };
enum { B_NORMAL, B_BUSINESS, B_RURAL };
enum { TR_STABLE, TR_RENEW, TR_GENTRIFY, TR_STAGNATE, TR_RELAPSE, TR_WARNING, TR__MAX };

typedef struct {
    double sx, sy;    /* seed, cell units */
    int cells;
    double cx, cy;    /* mean of cell centres */
    int wijk;         /* final wijk index (code order) */
    int bb;           /* number within the wijk */
    char code[WB_CODE_MAX];
    char name[64];
    int kind;         /* B_* */
    int trend;        /* TR_* */
    int in_set;
    double rn;        /* normalised distance from the centre (1 ~ edge) */
    double u;         /* urbanity 0..1 */
    double d;         /* latent disadvantage (0 ~ average; ~2.5 in the cluster; <0 affluent) */
    double aff;       /* affluence bump 0..1 */
    double cluster;   /* disadvantage bump 0..1 */
    double sb, sa;    /* planted lbm slopes per year before / after the break */
    wb_geom geom;
    double area_km2;
    double px, py;    /* polygon centroid, RD metres */
} buurt;

typedef struct {
    int role;
    char code[WB_CODE_MAX];
    char name[64];
    int theme;        /* row of buurt_names */
    int core;         /* buurt index of the core (bb 00) */
    int nb;
    double cx, cy;    /* cell-weighted centroid, cell units */
    int cells;
    wb_geom geom;
} wijk;

typedef struct {
    const wb_demo_opts *o;
    uint64_t seed;
    int *lab;          /* GW*GH: buurt index, or -1 outside */
    int *tmp;          /* GW*GH scratch */
    int *queue;        /* GW*GH scratch */
    unsigned char *junction; /* NV: 1 where >= 3 boundary edges meet */
    int *nextv;        /* NV scratch for tracing */
    buurt b[NB];
    wijk w[NW];
    int adj[NB][NB];   /* number of shared cell edges */
    wb_geom gem;
} demo;

static int at(const int *lab, int i, int j)
{
    return (i < 0 || j < 0 || i >= GW || j >= GH) ? -1 : lab[j * GW + i];
}

static double radial(double x, double y)
{
    double dx = (x - CENTRE_X) / SEMI_A, dy = (y - CENTRE_Y) / SEMI_B;
    return sqrt(dx * dx + dy * dy);
}

/* Label the 4-connected components of cells equal to their label; comp[] gets component
 * ids, sizes[] their sizes (both caller-sized GW*GH). Returns the number of components. */
static int components(const int *lab, int *comp, int *sizes, int *queue)
{
    int nc = 0;
    for (int c = 0; c < GW * GH; c++)
        comp[c] = -1;
    for (int c = 0; c < GW * GH; c++) {
        if (comp[c] >= 0)
            continue;
        int head = 0, tail = 0, l = lab[c];
        queue[tail++] = c;
        comp[c] = nc;
        while (head < tail) {
            int k = queue[head++], i = k % GW, j = k / GW;
            const int nb[4][2] = {{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}};
            for (int e = 0; e < 4; e++) {
                int ni = nb[e][0], nj = nb[e][1];
                if (ni < 0 || nj < 0 || ni >= GW || nj >= GH)
                    continue;
                int kk = nj * GW + ni;
                if (comp[kk] < 0 && lab[kk] == l) {
                    comp[kk] = nc;
                    queue[tail++] = kk;
                }
            }
        }
        sizes[nc++] = tail;
    }
    return nc;
}

/* 1. The municipality: a noisy ellipse, one 4-connected piece without holes and without
 * cells touching only diagonally. lab = 0 inside, -1 outside. */
static int make_mask(demo *D)
{
    int *lab = D->lab;
    for (int j = 0; j < GH; j++)
        for (int i = 0; i < GW; i++) {
            double x = i + 0.5, y = j + 0.5;
            double r = radial(x, y) + 0.16 * noise(D->seed, 1, x, y, 70.0) + 0.03 * noise(D->seed, 4, x, y, 15.0);
            int margin = i < 3 || j < 3 || i >= GW - 3 || j >= GH - 3;
            lab[j * GW + i] = (!margin && r < 1.0) ? 0 : -1;
        }
    int *comp = D->tmp, *sizes = wb_malloc(sizeof(int) * GW * GH);
    if (!sizes)
        return WB_ENOMEM;
    for (int iter = 0; iter < 50; iter++) {
        components(lab, comp, sizes, D->queue);
        int cc = comp[(int)CENTRE_Y * GW + (int)CENTRE_X], outside = comp[0];
        int changed = 0;
        for (int c = 0; c < GW * GH; c++) {
            int v = (comp[c] == cc) ? 0 : (comp[c] == outside) ? -1 : (lab[c] == 0 ? -1 : 0);
            /* inside pieces other than the centre's go; outside pockets (holes) are filled */
            if (v != lab[c]) {
                lab[c] = v;
                changed++;
            }
        }
        /* diagonal-only contacts: fill one of the two outside cells */
        for (int j = 1; j < GH; j++)
            for (int i = 1; i < GW; i++) {
                int a = lab[(j - 1) * GW + i - 1], b = lab[(j - 1) * GW + i];
                int c = lab[j * GW + i - 1], d = lab[j * GW + i];
                if (a == d && b == c && a != b) {
                    if (b < 0)
                        lab[(j - 1) * GW + i] = 0;
                    else
                        lab[(j - 1) * GW + i - 1] = 0;
                    changed++;
                }
            }
        if (!changed) {
            wb_free(sizes);
            return 0;
        }
    }
    wb_free(sizes);
    wb_error_set(WB_ERRCLASS_ARG, "demo: could not shape the municipality for seed %llu",
                 (unsigned long long)D->o->seed);
    return WB_ERROR;
}

/* Distance in cell steps to the nearest outside cell (multi-source BFS). */
static void boundary_distance(demo *D, int *dist)
{
    int head = 0, tail = 0;
    for (int c = 0; c < GW * GH; c++) {
        dist[c] = D->lab[c] < 0 ? 0 : -1;
        if (dist[c] == 0)
            D->queue[tail++] = c;
    }
    while (head < tail) {
        int k = D->queue[head++], i = k % GW, j = k / GW;
        const int nb[4][2] = {{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}};
        for (int e = 0; e < 4; e++) {
            int ni = nb[e][0], nj = nb[e][1];
            if (ni < 0 || nj < 0 || ni >= GW || nj >= GH)
                continue;
            int kk = nj * GW + ni;
            if (dist[kk] < 0) {
                dist[kk] = dist[k] + 1;
                D->queue[tail++] = kk;
            }
        }
    }
}

/* 2. Seeds by Mitchell's best-candidate algorithm: of 30 random candidates take the one
 * farthest from the seeds so far (and from the edge), relative to a spacing that grows
 * from the centre outwards, so central buurten are small and outer ones large. */
static void place_seeds(demo *D, wb_demo_rng *r)
{
    int *dist = D->tmp;
    boundary_distance(D, dist);
    /* the first seed: the inside cell nearest the centre */
    D->b[0].sx = (int)CENTRE_X + 0.5;
    D->b[0].sy = (int)CENTRE_Y + 0.5;
    for (int k = 1; k < NB; k++) {
        double best = -1, bx = 0, by = 0;
        for (int cand = 0; cand < 30; cand++) {
            int i, j;
            do {
                i = rng_int(r, GW);
                j = rng_int(r, GH);
            } while (D->lab[j * GW + i] < 0);
            double x = i + 0.5, y = j + 0.5;
            double dmin2 = 1e300;
            for (int s = 0; s < k; s++) {
                double dx = x - D->b[s].sx, dy = y - D->b[s].sy;
                double d2 = dx * dx + dy * dy;
                if (d2 < dmin2)
                    dmin2 = d2;
            }
            double dmin = sqrt(dmin2), db = 1.7 * dist[j * GW + i];
            double spacing = 0.5 + 1.0 * clampd(radial(x, y), 0, 1.1);
            double score = (dmin < db ? dmin : db) / spacing;
            if (score > best) {
                best = score;
                bx = x;
                by = y;
            }
        }
        D->b[k].sx = bx;
        D->b[k].sy = by;
    }
}

/* 3. Nearest seed after a smooth domain warp. */
static void assign_cells(demo *D)
{
    for (int j = 0; j < GH; j++)
        for (int i = 0; i < GW; i++) {
            int c = j * GW + i;
            if (D->lab[c] < 0)
                continue;
            double x = i + 0.5, y = j + 0.5;
            double amp = 5.0 + 8.0 * clampd(radial(x, y), 0, 1);
            double qx = x + amp * noise(D->seed, 2, x, y, 40.0);
            double qy = y + amp * noise(D->seed, 3, x, y, 40.0);
            int best = 0;
            double bd = 1e300;
            for (int s = 0; s < NB; s++) {
                double dx = qx - D->b[s].sx, dy = qy - D->b[s].sy;
                double d2 = dx * dx + dy * dy;
                if (d2 < bd) {
                    bd = d2;
                    best = s;
                }
            }
            D->lab[c] = best;
        }
}

/* Keep each buurt's largest 4-connected piece; give the cells of other pieces to the most
 * common neighbouring buurt. Returns the number of cells changed. */
static int fix_pieces(demo *D, int *sizes)
{
    int *lab = D->lab, *comp = D->tmp;
    int nc = components(lab, comp, sizes, D->queue);
    int bestc[NB];
    for (int s = 0; s < NB; s++)
        bestc[s] = -1;
    /* component -> label: find via a representative cell */
    int *rep = wb_malloc(sizeof(int) * (size_t)nc);
    if (!rep)
        return -1;
    for (int c = 0; c < nc; c++)
        rep[c] = -1;
    for (int c = 0; c < GW * GH; c++)
        if (rep[comp[c]] < 0)
            rep[comp[c]] = c;
    for (int c = 0; c < nc; c++) {
        int l = lab[rep[c]];
        if (l >= 0 && (bestc[l] < 0 || sizes[c] > sizes[bestc[l]]))
            bestc[l] = c;
    }
    wb_free(rep);
    int changed = 0;
    for (int c = 0; c < GW * GH; c++)
        if (lab[c] >= 0 && comp[c] != bestc[lab[c]]) {
            lab[c] = -2;
            changed++;
        }
    while (changed) {
        int left = 0;
        for (int j = 0; j < GH; j++)
            for (int i = 0; i < GW; i++) {
                int c = j * GW + i;
                if (lab[c] != -2)
                    continue;
                int cnt[4] = {0}, lb[4], n = 0;
                const int nb[4] = {at(lab, i - 1, j), at(lab, i + 1, j), at(lab, i, j - 1), at(lab, i, j + 1)};
                for (int e = 0; e < 4; e++) {
                    if (nb[e] < 0)
                        continue;
                    int k;
                    for (k = 0; k < n && lb[k] != nb[e]; k++)
                        ;
                    if (k == n)
                        lb[n++] = nb[e];
                    cnt[k]++;
                }
                if (!n) {
                    left++;
                    continue;
                }
                int bk = 0;
                for (int k = 1; k < n; k++)
                    if (cnt[k] > cnt[bk] || (cnt[k] == cnt[bk] && lb[k] < lb[bk]))
                        bk = k;
                lab[c] = lb[bk];
            }
        if (!left)
            break;
    }
    return changed;
}

/* Remove diagonal-only contacts of a buurt with itself and corners where four different
 * regions (the outside counts as one) meet: afterwards every grid vertex has 0, 2 or 3
 * boundary edges, so rings are simple at every level (buurt, wijk, gemeente). Outside
 * cells are never changed. Returns the number of cells changed. */
static int fix_corners(demo *D)
{
    int *lab = D->lab, changed = 0;
    for (int j = 1; j < GH; j++)
        for (int i = 1; i < GW; i++) {
            int ia = (j - 1) * GW + i - 1, ib = (j - 1) * GW + i, ic = j * GW + i - 1, id = j * GW + i;
            int a = lab[ia], b = lab[ib], c = lab[ic], d = lab[id];
            if (a == d && b != a && c != a) {
                if (a < 0)
                    continue; /* cannot happen: the mask has no diagonal contacts */
                if (b >= 0)
                    lab[ib] = a;
                else if (c >= 0)
                    lab[ic] = a;
                else
                    continue;
                changed++;
            } else if (b == c && a != b && d != b) {
                if (b < 0)
                    continue;
                if (a >= 0)
                    lab[ia] = b;
                else if (d >= 0)
                    lab[id] = b;
                else
                    continue;
                changed++;
            } else if (a != b && a != c && a != d && b != c && b != d && c != d) {
                /* four regions: extend a neighbour into one corner cell */
                if (a >= 0 && b >= 0)
                    lab[ia] = b;
                else if (a >= 0 && c >= 0)
                    lab[ia] = c;
                else if (d >= 0 && b >= 0)
                    lab[id] = b;
                else if (d >= 0 && c >= 0)
                    lab[id] = c;
                else
                    continue;
                changed++;
            }
        }
    return changed;
}

static int clean_layout(demo *D)
{
    int *sizes = wb_malloc(sizeof(int) * GW * GH);
    if (!sizes)
        return WB_ENOMEM;
    int error = 0;
    for (int iter = 0;; iter++) {
        int a = fix_pieces(D, sizes);
        if (a < 0) {
            error = WB_ENOMEM;
            break;
        }
        int b = fix_corners(D);
        if (!a && !b)
            break;
        if (iter == 200) {
            wb_error_set(WB_ERRCLASS_ARG, "demo: could not lay out the buurten for seed %llu",
                         (unsigned long long)D->o->seed);
            error = WB_ERROR;
            break;
        }
    }
    wb_free(sizes);
    if (error)
        return error;
    for (int s = 0; s < NB; s++)
        D->b[s].cells = 0;
    for (int c = 0; c < GW * GH; c++)
        if (D->lab[c] >= 0)
            D->b[D->lab[c]].cells++;
    for (int s = 0; s < NB; s++)
        if (D->b[s].cells < 16) {
            wb_error_set(WB_ERRCLASS_ARG, "demo: buurt %d got only %d cells for seed %llu", s,
                         D->b[s].cells, (unsigned long long)D->o->seed);
            return WB_ERROR;
        }
    return 0;
}

/* Centroids (cell units) and shared-edge counts. */
static void measure(demo *D)
{
    double sx[NB] = {0}, sy[NB] = {0};
    memset(D->adj, 0, sizeof D->adj);
    for (int j = 0; j < GH; j++)
        for (int i = 0; i < GW; i++) {
            int l = D->lab[j * GW + i];
            if (l < 0)
                continue;
            sx[l] += i + 0.5;
            sy[l] += j + 0.5;
            int r = at(D->lab, i + 1, j), u = at(D->lab, i, j + 1);
            if (r >= 0 && r != l) {
                D->adj[l][r]++;
                D->adj[r][l]++;
            }
            if (u >= 0 && u != l) {
                D->adj[l][u]++;
                D->adj[u][l]++;
            }
        }
    for (int s = 0; s < NB; s++) {
        D->b[s].cx = sx[s] / D->b[s].cells;
        D->b[s].cy = sy[s] / D->b[s].cells;
        D->b[s].rn = radial(D->b[s].cx, D->b[s].cy);
    }
}

/* Pseudo-angle of (dx, dy) clockwise from north in [0, 4): monotone in the true angle,
 * without atan2. */
static double pseudo_angle(double dx, double dy)
{
    if (dx >= 0 && dy > 0)
        return dx / (dx + dy);
    if (dx > 0 && dy <= 0)
        return 1 + (-dy) / (dx - dy);
    if (dx <= 0 && dy < 0)
        return 2 + (-dx) / (-dx - dy);
    if (dx < 0 && dy >= 0)
        return 3 + dy / (dy - dx);
    return 0;
}

static const char *const wijk_names[] = {
    [W_CENTRE] = "Centrum",     [W_AFFLUENT] = "Duinzicht", [W_AANDACHT] = "Sluiskwartier",
    [W_WARNING] = "Bloemhof",   [W_VINEX] = "Havenweide",
};
static const char *const regular_names[] = {"Molenakker", "Kerkpolder", "Wierdijk"};

/* Buurt names per wijk theme; index bb. */
static const char *const buurt_names[6 + 2][20] = {
    {"Binnenstad", "Vismarkt", "Kerkplein", "Marktkwartier", "Oude Haven", "Stationsbuurt",
     "Lange Dijk", "Waagplein", "Hoogstraat", "Kaaipoort", "Zoutkeetbuurt", "Schippersgracht",
     "Turfmarkt", "Nieuwe Kade", "Brouwersbuurt", "Lindenhof", "Raadhuisbuurt", "Sint-Janskwartier",
     "Wallen", "Havenfront"},
    {"Duinrand", "Helmgras", "Villapark", "Boslaan", "Zeereep", "Duindoorn", "Strandwal",
     "Meeuwenduin", "Parnassia", "Vuurtorenbuurt", "Kruidberg", "Zonnehoek", "Dennenrode",
     "Hazenduin", "Wildrust", "Koningshof", "Oranjepark", "Slingerbos", "Duinkant", "Zandpad"},
    {"Zeeheldenbuurt", "Schildersbuurt", "Vogelbuurt", "Staatsliedenbuurt", "Sluisbuurt",
     "Kanaalbuurt", "Tuinstad", "Rembrandtbuurt", "Piet Heinbuurt", "Trompbuurt", "De Ruyterbuurt",
     "Evertsenbuurt", "Van Speijkbuurt", "Kortenaerbuurt", "Banckertbuurt", "Van Galenbuurt",
     "Witte de Withbuurt", "Heemskerckbuurt", "Van Nesbuurt", "Karel Doormanbuurt"},
    {"Tulpenhof", "Narcissenhof", "Krokushof", "Irishof", "Rozenhof", "Anjerhof", "Dahliahof",
     "Lelieveld", "Hyacinthof", "Asterhof", "Goudsbloemhof", "Seringenhof", "Primulahof",
     "Klaproosveld", "Fresiahof", "Orchideehof", "Zonnebloemhof", "Madeliefhof", "Violierhof",
     "Lavendelhof"},
    {"Kadewerf", "Dokeiland", "Scheepswerf", "Ankerplaats", "Boeienveld", "Zeilmakers",
     "Touwslagerij", "Loodsenhof", "Kraanbuurt", "Steigerhof", "Jachthaven", "Baggerwerf",
     "Dukdalf", "Havenhoofd", "Golfbreker", "Kaapstander", "Sloepenhof", "Trossenbuurt",
     "Roerhof", "Kompasbuurt"},
    {"Molenakker", "Korenbuurt", "Graanhof", "Maalderij", "Wiekenbuurt", "Molensloot",
     "Bakkersveld", "Zaagmolen", "Oliemolen", "Stellingmolen", "Molenweg", "Schuurbuurt", "Meelhof",
     "Kapberg", "Spilbuurt", "Watermolen", "Rosmolen", "Pelmolen", "Volmolen", "Molenerf"},
    {"Kerkpolder", "Pastoriebuurt", "Klokkenveld", "Kosterij", "Kapelhof", "Abdijbuurt",
     "Kloosterhof", "Torenbuurt", "Begijnhof", "Pelgrimsbuurt", "Kerkeland", "Priorij", "Vicarie",
     "Kanunnikhof", "Kruisbuurt", "Dekenij", "Kerkweide", "Proosdij", "Broedershof", "Zusterhof"},
    {"Wierdijk", "Slikken", "Kwelder", "Zeedijk", "Dijkhuizen", "Schorrebuurt", "Gorsbuurt",
     "Zeewering", "Kreekbuurt", "Polderhof", "Gemaalbuurt", "Sluiswachter", "Dijkgraaf", "Heemraad",
     "Waterschap", "Inlaag", "Zomerdijk", "Kade-Oost", "Buitendijks", "Wierhof"},
};

/* 4. Wijken: k-means on the seeds (farthest-point start), then each buurt joins the wijk
 * whose core is nearest along the adjacency graph (so every wijk is connected). */
static int group_wijken(demo *D)
{
    double mx[NW], my[NW];
    int cl[NB];
    /* farthest-point initialisation from the central buurt */
    mx[0] = D->b[0].sx;
    my[0] = D->b[0].sy;
    for (int k = 1; k < NW; k++) {
        double best = -1;
        for (int s = 0; s < NB; s++) {
            double dmin = 1e300;
            for (int q = 0; q < k; q++) {
                double dx = D->b[s].sx - mx[q], dy = D->b[s].sy - my[q];
                double d2 = dx * dx + dy * dy;
                if (d2 < dmin)
                    dmin = d2;
            }
            if (dmin > best) {
                best = dmin;
                mx[k] = D->b[s].sx;
                my[k] = D->b[s].sy;
            }
        }
    }
    for (int iter = 0; iter < 15; iter++) {
        double ax[NW] = {0}, ay[NW] = {0};
        int n[NW] = {0};
        for (int s = 0; s < NB; s++) {
            double bd = 1e300;
            for (int k = 0; k < NW; k++) {
                double dx = D->b[s].sx - mx[k], dy = D->b[s].sy - my[k];
                if (dx * dx + dy * dy < bd) {
                    bd = dx * dx + dy * dy;
                    cl[s] = k;
                }
            }
            ax[cl[s]] += D->b[s].sx;
            ay[cl[s]] += D->b[s].sy;
            n[cl[s]]++;
        }
        for (int k = 0; k < NW; k++)
            if (n[k]) {
                mx[k] = ax[k] / n[k];
                my[k] = ay[k] / n[k];
            }
    }
    /* cores: the buurt nearest each mean, all different; the central buurt is a core */
    int core[NW], taken[NB] = {0};
    for (int k = 0; k < NW; k++) {
        int best = -1;
        double bd = 1e300;
        for (int s = 0; s < NB; s++) {
            double dx = D->b[s].cx - mx[k], dy = D->b[s].cy - my[k];
            if (!taken[s] && dx * dx + dy * dy < bd) {
                bd = dx * dx + dy * dy;
                best = s;
            }
        }
        core[k] = best;
        taken[best] = 1;
    }
    int has0 = 0;
    for (int k = 0; k < NW; k++)
        has0 |= core[k] == 0;
    if (!has0) { /* replace the core nearest the central buurt */
        int bk = 0;
        double bd = 1e300;
        for (int k = 0; k < NW; k++) {
            double dx = D->b[core[k]].cx - D->b[0].cx, dy = D->b[core[k]].cy - D->b[0].cy;
            if (dx * dx + dy * dy < bd) {
                bd = dx * dx + dy * dy;
                bk = k;
            }
        }
        core[bk] = 0;
    }
    /* Grow the wijken from their cores over the adjacency graph, cheapest step first (a
     * multi-source Dijkstra on centroid distances), but a wijk takes at most WIJK_CAP
     * buurten, so the dense centre does not swallow a quarter of the town. Buurten that only
     * full wijken can reach join their smallest neighbouring wijk. Every wijk stays
     * connected: a buurt only ever joins a wijk it touches. n = 80, so O(n^3) is fine. */
    double dist[NB];
    int src[NB], size[NW] = {0};
    for (int s = 0; s < NB; s++) {
        dist[s] = 0;
        src[s] = -1;
    }
    for (int k = 0; k < NW; k++) {
        src[core[k]] = k;
        size[k] = 1;
    }
    for (;;) {
        int bv = -1, bk = -1;
        double bd = 1e300;
        for (int v = 0; v < NB; v++) {
            if (src[v] >= 0)
                continue;
            for (int m = 0; m < NB; m++) {
                if (src[m] < 0 || !D->adj[v][m] || size[src[m]] >= WIJK_CAP)
                    continue;
                double dx = D->b[v].cx - D->b[m].cx, dy = D->b[v].cy - D->b[m].cy;
                double nd = dist[m] + sqrt(dx * dx + dy * dy);
                if (nd < bd) {
                    bd = nd;
                    bv = v;
                    bk = src[m];
                }
            }
        }
        if (bv < 0)
            break;
        src[bv] = bk;
        dist[bv] = bd;
        size[bk]++;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (int v = 0; v < NB; v++) {
            if (src[v] >= 0)
                continue;
            int bk = -1;
            for (int m = 0; m < NB; m++)
                if (src[m] >= 0 && D->adj[v][m] && (bk < 0 || size[src[m]] < size[bk]))
                    bk = src[m];
            if (bk >= 0) {
                src[v] = bk;
                size[bk]++;
                changed = 1;
            }
        }
    }
    for (int s = 0; s < NB; s++)
        if (src[s] < 0) {
            wb_error_set(WB_ERRCLASS_ARG, "demo: buurt %d is not connected (seed %llu)", s,
                         (unsigned long long)D->o->seed);
            return WB_ERROR;
        }
    /* order: the wijk of the central buurt first, then clockwise from the north */
    double ang[NW];
    int kcells[NW] = {0};
    double kx[NW] = {0}, ky[NW] = {0};
    for (int s = 0; s < NB; s++) {
        kcells[src[s]] += D->b[s].cells;
        kx[src[s]] += D->b[s].cx * D->b[s].cells;
        ky[src[s]] += D->b[s].cy * D->b[s].cells;
    }
    for (int k = 0; k < NW; k++) {
        kx[k] /= kcells[k];
        ky[k] /= kcells[k];
        ang[k] = core[k] == 0 ? -1 : pseudo_angle(kx[k] - CENTRE_X, ky[k] - CENTRE_Y);
    }
    int order[NW];
    for (int k = 0; k < NW; k++)
        order[k] = k;
    for (int a = 1; a < NW; a++) /* insertion sort by angle */
        for (int c = a; c > 0 && ang[order[c]] < ang[order[c - 1]]; c--) {
            int t = order[c];
            order[c] = order[c - 1];
            order[c - 1] = t;
        }
    int rank[NW];
    for (int k = 0; k < NW; k++)
        rank[order[k]] = k;
    for (int k = 0; k < NW; k++) {
        wijk *w = &D->w[rank[k]];
        w->core = core[k];
        w->cx = kx[k];
        w->cy = ky[k];
        w->cells = kcells[k];
        w->nb = 0;
    }
    for (int s = 0; s < NB; s++) {
        D->b[s].wijk = rank[src[s]];
        D->w[D->b[s].wijk].nb++;
    }
    return 0;
}

/* Roles of the wijken, codes and names of wijken and buurten, special buurten. */
static void name_areas(demo *D)
{
    int role_taken[NW] = {0};
    D->w[0].role = W_CENTRE;
    role_taken[0] = 1;
    /* the dune side: the westernmost wijk is the affluent one */
    int aff = -1;
    for (int k = 1; k < NW; k++)
        if (aff < 0 || D->w[k].cx < D->w[aff].cx)
            aff = k;
    D->w[aff].role = W_AFFLUENT;
    role_taken[aff] = 1;
    /* the post-war ring: the remaining wijk nearest the centre */
    int aan = -1;
    double bd = 1e300;
    for (int k = 1; k < NW; k++) {
        if (role_taken[k])
            continue;
        double dx = D->w[k].cx - CENTRE_X, dy = D->w[k].cy - CENTRE_Y;
        if (dx * dx + dy * dy < bd) {
            bd = dx * dx + dy * dy;
            aan = k;
        }
    }
    D->w[aan].role = W_AANDACHT;
    role_taken[aan] = 1;
    /* the 1970s wijk next to it (longest shared border) slides after 2012 */
    int warn = -1, bestlen = -1;
    for (int k = 1; k < NW; k++) {
        if (role_taken[k])
            continue;
        int len = 0;
        for (int s = 0; s < NB; s++)
            for (int q = 0; q < NB; q++)
                if (D->b[s].wijk == k && D->b[q].wijk == aan)
                    len += D->adj[s][q];
        if (len > bestlen) {
            bestlen = len;
            warn = k;
        }
    }
    D->w[warn].role = W_WARNING;
    role_taken[warn] = 1;
    /* the new-build (Vinex) wijk: the remaining one farthest out */
    int vin = -1;
    bd = -1;
    for (int k = 1; k < NW; k++) {
        if (role_taken[k])
            continue;
        double dx = D->w[k].cx - CENTRE_X, dy = D->w[k].cy - CENTRE_Y;
        if (dx * dx + dy * dy > bd) {
            bd = dx * dx + dy * dy;
            vin = k;
        }
    }
    D->w[vin].role = W_VINEX;
    role_taken[vin] = 1;
    int nreg = 0;
    for (int k = 0; k < NW; k++) {
        wijk *w = &D->w[k];
        if (!role_taken[k])
            w->role = W_REGULAR;
        w->theme = w->role == W_REGULAR ? W_REGULAR + nreg : w->role;
        snprintf(w->code, sizeof w->code, "WK9999%02d", k);
        snprintf(w->name, sizeof w->name, "%s",
                 w->role == W_REGULAR ? regular_names[nreg++] : wijk_names[w->role]);
    }
    /* buurt numbers: by distance from the wijk's core */
    for (int k = 0; k < NW; k++) {
        int members[NB], n = 0;
        for (int s = 0; s < NB; s++)
            if (D->b[s].wijk == k)
                members[n++] = s;
        double dd[NB];
        for (int m = 0; m < n; m++) {
            double dx = D->b[members[m]].cx - D->b[D->w[k].core].cx;
            double dy = D->b[members[m]].cy - D->b[D->w[k].core].cy;
            dd[m] = dx * dx + dy * dy;
        }
        for (int a = 1; a < n; a++)
            for (int c = a; c > 0 && (dd[c] < dd[c - 1] || (dd[c] == dd[c - 1] && members[c] < members[c - 1])); c--) {
                double t = dd[c];
                dd[c] = dd[c - 1];
                dd[c - 1] = t;
                int ti = members[c];
                members[c] = members[c - 1];
                members[c - 1] = ti;
            }
        for (int m = 0; m < n; m++)
            D->b[members[m]].bb = m;
    }
    /* special buurten: a business park and two rural buurten at the edge */
    for (int s = 0; s < NB; s++)
        D->b[s].kind = B_NORMAL;
    int biz = -1;
    for (int s = 0; s < NB; s++) {
        int role = D->w[D->b[s].wijk].role;
        if ((role == W_VINEX || role == W_REGULAR || role == W_WARNING) && D->b[s].rn > 0.6 &&
            (biz < 0 || D->b[s].cells > D->b[biz].cells))
            biz = s;
    }
    if (biz >= 0)
        D->b[biz].kind = B_BUSINESS;
    for (int r = 0; r < 2; r++) {
        int best = -1;
        for (int s = 0; s < NB; s++) {
            int role = D->w[D->b[s].wijk].role;
            if (D->b[s].kind == B_NORMAL && (role == W_REGULAR || role == W_AFFLUENT) &&
                D->b[s].rn > 0.6 && (best < 0 || D->b[s].cells > D->b[best].cells))
                best = s;
        }
        if (best >= 0)
            D->b[best].kind = B_RURAL;
    }
    for (int s = 0; s < NB; s++) {
        buurt *b = &D->b[s];
        const wijk *w = &D->w[b->wijk];
        char wname[64];
        memcpy(wname, w->name, sizeof wname);
        snprintf(b->code, sizeof b->code, "BU9999%02d%02d", b->wijk, b->bb);
        if (b->kind == B_BUSINESS)
            snprintf(b->name, sizeof b->name, "Bedrijventerrein De Kreek");
        else if (b->kind == B_RURAL) {
            /* two rural buurten in one wijk: tell them apart by north and south */
            const char *suffix = "";
            for (int q = 0; q < NB; q++)
                if (q != s && D->b[q].kind == B_RURAL && D->b[q].wijk == b->wijk)
                    suffix = b->cy > D->b[q].cy ? "-Noord" : "-Zuid";
            snprintf(b->name, sizeof b->name, "%s %s%s", w->role == W_AFFLUENT ? "Duingebied" : "Buitengebied",
                     wname, suffix);
        }
        else if (b->bb < 20)
            snprintf(b->name, sizeof b->name, "%s", buurt_names[w->theme][b->bb]);
        else
            snprintf(b->name, sizeof b->name, "%s %d", wname, b->bb);
    }
}

/* ---------------------------------------------------------------- tracing */

static int vid(int i, int j)
{
    return j * (GW + 1) + i;
}

/* Grid vertices where three or more boundary edges meet (the outside counts as a region). */
static void find_junctions(demo *D)
{
    const int *lab = D->lab;
    for (int j = 0; j <= GH; j++)
        for (int i = 0; i <= GW; i++) {
            int deg = 0;
            deg += at(lab, i, j - 1) != at(lab, i, j);         /* edge to the east */
            deg += at(lab, i - 1, j - 1) != at(lab, i - 1, j); /* to the west */
            deg += at(lab, i - 1, j) != at(lab, i, j);         /* to the north */
            deg += at(lab, i - 1, j - 1) != at(lab, i, j - 1); /* to the south */
            D->junction[vid(i, j)] = deg >= 3;
        }
}

typedef struct {
    long *x, *y;     /* half-cell units */
    size_t n, cap;
} ptbuf;

static int ptbuf_push(ptbuf *p, long x, long y)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 256;
        long *nx = wb_realloc(p->x, nc * sizeof *nx);
        if (!nx)
            return WB_ENOMEM;
        p->x = nx;
        long *ny = wb_realloc(p->y, nc * sizeof *ny);
        if (!ny)
            return WB_ENOMEM;
        p->y = ny;
        p->cap = nc;
    }
    p->x[p->n] = x;
    p->y[p->n] = y;
    p->n++;
    return 0;
}

typedef struct {
    wb_point *pts;
    size_t npts, cap;
    size_t *roff;    /* ring offsets */
    size_t nrings, rcap;
    double *area2;   /* signed doubled area per ring */
} ringset;

/* Trace the region of cells with rid[c] == r into @p out (one polygon: exterior + holes). */
static int trace_region(demo *D, wb_geom *out, const int *rid, int r)
{
    int error = 0;
    int *nextv = D->nextv;
    int *starts = NULL;
    size_t nstarts = 0, capstarts = 0;
    ptbuf ring = {0}, kept = {0};
    ringset rs = {0};
    /* directed boundary edges with the region on the left */
    for (int j = 0; j < GH; j++)
        for (int i = 0; i < GW; i++) {
            if (rid[j * GW + i] != r)
                continue;
            int e[4][3] = {
                {at(rid, i, j - 1) != r, vid(i, j), vid(i + 1, j)},                 /* bottom: east */
                {at(rid, i + 1, j) != r, vid(i + 1, j), vid(i + 1, j + 1)},         /* right: north */
                {at(rid, i, j + 1) != r, vid(i + 1, j + 1), vid(i, j + 1)},         /* top: west */
                {at(rid, i - 1, j) != r, vid(i, j + 1), vid(i, j)},                 /* left: south */
            };
            for (int k = 0; k < 4; k++) {
                if (!e[k][0])
                    continue;
                if (nextv[e[k][1]] >= 0) {
                    wb_error_set(WB_ERRCLASS_GEO, "demo: region %d touches itself at a corner", r);
                    error = WB_ERROR;
                    goto done;
                }
                nextv[e[k][1]] = e[k][2];
                if (nstarts == capstarts) {
                    capstarts = capstarts ? capstarts * 2 : 256;
                    int *ns = wb_realloc(starts, capstarts * sizeof *ns);
                    if (!ns) {
                        error = WB_ENOMEM;
                        goto done;
                    }
                    starts = ns;
                }
                starts[nstarts++] = e[k][1];
            }
        }
    for (size_t s = 0; s < nstarts; s++) {
        int v0 = starts[s];
        if (nextv[v0] < 0)
            continue;
        /* corner-cut ring: junction vertices and edge midpoints */
        ring.n = 0;
        unsigned char *isjunc = NULL;
        size_t nj = 0, capj = 0;
        int v = v0;
        do {
            int w = nextv[v];
            nextv[v] = -1;
            long xi = v % (GW + 1), yi = v / (GW + 1), xw = w % (GW + 1), yw = w / (GW + 1);
            for (int pass = 0; pass < 2; pass++) {
                int junc = pass == 0;
                if (junc && !D->junction[v])
                    continue;
                long px = junc ? 2 * xi : xi + xw, py = junc ? 2 * yi : yi + yw;
                if ((error = ptbuf_push(&ring, px, py)) < 0)
                    break;
                if (nj == capj) {
                    capj = capj ? capj * 2 : 256;
                    unsigned char *nj2 = wb_realloc(isjunc, capj);
                    if (!nj2) {
                        error = WB_ENOMEM;
                        break;
                    }
                    isjunc = nj2;
                }
                isjunc[nj++] = (unsigned char)junc;
            }
            if (error < 0)
                break;
            v = w;
        } while (v != v0);
        if (error < 0) {
            wb_free(isjunc);
            goto done;
        }
        /* drop midpoints that lie on the straight line between their neighbours */
        kept.n = 0;
        size_t n = ring.n;
        for (size_t k = 0; k < n && error == 0; k++) {
            size_t p = (k + n - 1) % n, q = (k + 1) % n;
            if (!isjunc[k]) {
                long ax = ring.x[k] - ring.x[p], ay = ring.y[k] - ring.y[p];
                long bx = ring.x[q] - ring.x[k], by = ring.y[q] - ring.y[k];
                if (ax * by - ay * bx == 0 && ax * bx + ay * by > 0)
                    continue;
            }
            error = ptbuf_push(&kept, ring.x[k], ring.y[k]);
        }
        wb_free(isjunc);
        if (error < 0)
            goto done;
        if (kept.n < 3) {
            wb_error_set(WB_ERRCLASS_GEO, "demo: degenerate ring in region %d", r);
            error = WB_ERROR;
            goto done;
        }
        /* append as a closed ring */
        if (rs.nrings + 1 >= rs.rcap) {
            rs.rcap = rs.rcap ? rs.rcap * 2 : 8;
            size_t *no = wb_realloc(rs.roff, (rs.rcap + 1) * sizeof *no);
            double *na = no ? wb_realloc(rs.area2, rs.rcap * sizeof *na) : NULL;
            if (no)
                rs.roff = no;
            if (!na) {
                error = WB_ENOMEM;
                goto done;
            }
            rs.area2 = na;
        }
        if (rs.npts + kept.n + 1 > rs.cap) {
            size_t nc = (rs.cap + kept.n + 1) * 2;
            wb_point *np = wb_realloc(rs.pts, nc * sizeof *np);
            if (!np) {
                error = WB_ENOMEM;
                goto done;
            }
            rs.pts = np;
            rs.cap = nc;
        }
        rs.roff[rs.nrings] = rs.npts;
        long a2 = 0;
        for (size_t k = 0; k <= kept.n; k++) {
            size_t kk = k % kept.n, k1 = (k + 1) % kept.n;
            rs.pts[rs.npts].x = ORIGIN_X + (double)kept.x[kk] * (CELL_M / 2);
            rs.pts[rs.npts].y = ORIGIN_Y + (double)kept.y[kk] * (CELL_M / 2);
            rs.npts++;
            if (k < kept.n)
                a2 += kept.x[kk] * kept.y[k1] - kept.x[k1] * kept.y[kk];
        }
        rs.area2[rs.nrings] = (double)a2;
        rs.nrings++;
        rs.roff[rs.nrings] = rs.npts;
    }
    {
        /* exactly one exterior (counter-clockwise, positive area); the rest are holes */
        int ext = -1, next = 0;
        for (size_t k = 0; k < rs.nrings; k++)
            if (rs.area2[k] > 0) {
                ext = (int)k;
                next++;
            }
        if (next != 1) {
            wb_error_set(WB_ERRCLASS_GEO, "demo: region %d has %d outer rings", r, next);
            error = WB_ERROR;
            goto done;
        }
        wb_geom g = WB_GEOM_INIT;
        g.pts = wb_malloc(rs.npts * sizeof *g.pts);
        g.ring_off = wb_malloc((rs.nrings + 1) * sizeof *g.ring_off);
        g.poly_off = wb_malloc(2 * sizeof *g.poly_off);
        if (!g.pts || !g.ring_off || !g.poly_off) {
            wb_geom_dispose(&g);
            error = WB_ENOMEM;
            goto done;
        }
        size_t order[64], no = 0;
        order[no++] = (size_t)ext;
        for (size_t k = 0; k < rs.nrings; k++)
            if ((int)k != ext) {
                if (no == 64) {
                    wb_geom_dispose(&g);
                    wb_error_set(WB_ERRCLASS_GEO, "demo: region %d has too many holes", r);
                    error = WB_ERROR;
                    goto done;
                }
                order[no++] = k;
            }
        for (size_t k = 0; k < no; k++) {
            size_t a = rs.roff[order[k]], b = rs.roff[order[k] + 1];
            g.ring_off[k] = g.npts;
            memcpy(g.pts + g.npts, rs.pts + a, (b - a) * sizeof *g.pts);
            g.npts += b - a;
        }
        g.nrings = no;
        g.ring_off[no] = g.npts;
        g.npolys = 1;
        g.poly_off[0] = 0;
        g.poly_off[1] = no;
        wb_geom_update_bbox(&g);
        *out = g;
    }
done:
    for (size_t s = 0; s < nstarts; s++)
        nextv[starts[s]] = -1;
    wb_free(starts);
    wb_free(ring.x);
    wb_free(ring.y);
    wb_free(kept.x);
    wb_free(kept.y);
    wb_free(rs.pts);
    wb_free(rs.roff);
    wb_free(rs.area2);
    return error;
}

static int trace_all(demo *D)
{
    int error = 0;
    int *rid = D->tmp;
    for (int k = 0; k < NV; k++)
        D->nextv[k] = -1;
    find_junctions(D);
    for (int s = 0; s < NB && !error; s++)
        error = trace_region(D, &D->b[s].geom, D->lab, s);
    for (int c = 0; c < GW * GH; c++)
        rid[c] = D->lab[c] < 0 ? -1 : D->b[D->lab[c]].wijk;
    for (int k = 0; k < NW && !error; k++)
        error = trace_region(D, &D->w[k].geom, rid, k);
    for (int c = 0; c < GW * GH; c++)
        rid[c] = D->lab[c] < 0 ? -1 : 0;
    if (!error)
        error = trace_region(D, &D->gem, rid, 0);
    if (error)
        return error;
    for (int s = 0; s < NB; s++) {
        buurt *b = &D->b[s];
        b->area_km2 = wb_geom_area(&b->geom) / 1e6;
        wb_point c = wb_geom_centroid(&b->geom);
        b->px = c.x;
        b->py = c.y;
    }
    return 0;
}

/* ================================================================ the values */

enum {
    I_A_INW, I_A_HH, I_A_WONING, I_BEV_DICH, I_G_INK_PI, I_P_HH_LI, I_A_SOZ_WB, I_P_SOZ_WB,
    I_P_HUURW, I_P_KOOPW, I_P_WCORPW, I_G_WOZ, I_G_MISDR, I_G_ELE, I_G_GAS, I_P_STADSV,
    I_G_AFS_HP, I_G_AFS_GS, I_A_W_ALL, I_A_NW_ALL, I_P_OPL_LAAG, I_P_OPL_MID, I_P_OPL_HOOG,
    I_LBM, I_LBM_WON, I_LBM_FYS, I_LBM_VRZ, I_LBM_SOC, I_LBM_ONV, I_LBM_KLASSE, I__MAX
};

/* How a wijk or gemeente value follows from its buurten. */
enum {
    AG_SUM,    /* counts: the sum */
    AG_WINW,   /* mean weighted by inhabitants */
    AG_WHH,    /* mean weighted by households */
    AG_WWON,   /* mean weighted by dwellings */
    AG_DENS,   /* inhabitants / area */
    AG_SOZ,    /* 100 * sum a_soz_wb / sum a_inw */
    AG_KOOP,   /* 100 - p_huurw */
    AG_OPLMID, /* 100 - p_opl_laag - p_opl_hoog */
    AG_LBM,    /* the sum of the aggregated dimensions */
    AG_KLASSE  /* the class of the aggregated lbm */
};

/* Keys, labels, units, directions and dimensions come from the built-in indicator catalogue
 * (src/io/catalog.c, wb_catalog_ensure); this table only says how the demo generates and
 * aggregates each indicator. */
typedef struct {
    const char *key; /* a key of the built-in catalogue */
    int agg;
    int digits;    /* rounding (decimals) of stored values; -1: none */
    int from_year; /* first year the indicator exists (no rows before); 0: always */
} ind_def;

static const ind_def inds[I__MAX] = {
    [I_A_INW] = {"a_inw", AG_SUM, 0, 0},
    [I_A_HH] = {"a_hh", AG_SUM, 0, 0},
    [I_A_WONING] = {"a_woning", AG_SUM, 0, 0},
    [I_BEV_DICH] = {"bev_dich", AG_DENS, 0, 0},
    [I_G_INK_PI] = {"g_ink_pi", AG_WINW, 1, 0},
    [I_P_HH_LI] = {"p_hh_li", AG_WHH, 1, 0},
    [I_A_SOZ_WB] = {"a_soz_wb", AG_SUM, 0, 0},
    [I_P_SOZ_WB] = {"p_soz_wb", AG_SOZ, -1, 0},
    [I_P_HUURW] = {"p_huurw", AG_WWON, 0, 0},
    [I_P_KOOPW] = {"p_koopw", AG_KOOP, 0, 0},
    [I_P_WCORPW] = {"p_wcorpw", AG_WWON, 0, 0},
    [I_G_WOZ] = {"g_woz", AG_WWON, 0, 0},
    [I_G_MISDR] = {"g_misdr", AG_WINW, 0, 0},
    [I_G_ELE] = {"g_ele", AG_WWON, 0, 0},
    [I_G_GAS] = {"g_gas", AG_WWON, 0, 0},
    [I_P_STADSV] = {"p_stadsv", AG_WWON, 0, 2010},
    [I_G_AFS_HP] = {"g_afs_hp", AG_WINW, 1, 0},
    [I_G_AFS_GS] = {"g_afs_gs", AG_WINW, 1, 0},
    [I_A_W_ALL] = {"a_w_all", AG_SUM, 0, 0},
    [I_A_NW_ALL] = {"a_nw_all", AG_SUM, 0, 0},
    [I_P_OPL_LAAG] = {"p_opl_laag", AG_WINW, 1, 2012},
    [I_P_OPL_MID] = {"p_opl_mid", AG_OPLMID, 1, 2012},
    [I_P_OPL_HOOG] = {"p_opl_hoog", AG_WINW, 1, 2012},
    [I_LBM] = {"lbm", AG_LBM, -1, 0},
    [I_LBM_WON] = {"lbm_won", AG_WWON, -1, 0},
    [I_LBM_FYS] = {"lbm_fys", AG_WWON, -1, 0},
    [I_LBM_VRZ] = {"lbm_vrz", AG_WWON, -1, 0},
    [I_LBM_SOC] = {"lbm_soc", AG_WWON, -1, 0},
    [I_LBM_ONV] = {"lbm_onv", AG_WWON, -1, 0},
    [I_LBM_KLASSE] = {"lbm_klasse", AG_KLASSE, 0, 0},
};

static const double class_thresholds[8] = {-0.72, -0.59, -0.46, -0.2571, -0.1575, 0.03795, 0.150, 0.238};

int wb_demo_lbm_class(double lbm)
{
    if (isnan(lbm))
        return 0;
    int k = 1;
    for (int i = 0; i < 8; i++)
        if (lbm >= class_thresholds[i])
            k = i + 2;
    return k;
}

const char *wb_demo_class_label(int klasse)
{
    static const char *const labels[10] = {NULL, "zeer onvoldoende", "ruim onvoldoende", "onvoldoende",
                                           "zwak", "voldoende", "ruim voldoende", "goed", "zeer goed",
                                           "uitstekend"};
    return klasse >= 1 && klasse <= 9 ? labels[klasse] : NULL;
}

/* Planted lbm slopes per year (before, after the break) of each trend group. The national
 * drift is +0.002 a year; "stable" buurten follow it. */
static const double trend_slopes[TR__MAX][2] = {
    [TR_STABLE] = {0.002, 0.002},   [TR_RENEW] = {0.012, 0.009},   [TR_GENTRIFY] = {0.007, 0.008},
    [TR_STAGNATE] = {0.012, 0.000}, [TR_RELAPSE] = {0.010, -0.008}, [TR_WARNING] = {0.002, -0.007},
};
#define NATIONAL_DRIFT 0.002
/* share of the planted trend carried by each lbm dimension (won, fys, vrz, soc, onv) */
static const double trend_share[5] = {0.25, 0.10, 0.05, 0.30, 0.30};

/* x^(t - 2002) for any year t */
static double growth(double rate, int t)
{
    return t >= 2002 ? ipow(rate, t - 2002) : 1.0 / ipow(rate, 2002 - t);
}

/* House-price index, 2002 = 1: +4.5%/yr to 2008, -3.5%/yr to 2013, +6.5%/yr to 2022. */
static double hpi(int t)
{
    double v = 1;
    for (int y = 2002; y < t; y++)
        v *= y < 2008 ? 1.045 : y < 2013 ? 0.965 : y < 2022 ? 1.065 : 1.03;
    for (int y = 2002; y > t; y--)
        v /= 1.08;
    return v;
}

/* Registered crime, 2002 = 1: a peak in 2005, then -3.2%/yr. */
static double crime_index(int t)
{
    double v = 1;
    for (int y = 2002; y < t; y++)
        v *= y < 2005 ? 1.016 : 0.968;
    for (int y = 2002; y > t; y--)
        v /= 1.01;
    return v;
}

static double ramp(int t, int t0, double v0, int t1, double v1)
{
    if (t <= t0)
        return v0;
    if (t >= t1)
        return v1;
    return v0 + (v1 - v0) * (double)(t - t0) / (double)(t1 - t0);
}

/* The economic crisis: more benefits and low incomes from 2009, easing after 2016. */
static double crisis(int t)
{
    return t <= 2016 ? ramp(t, 2008, 1.0, 2014, 1.25) : ramp(t, 2016, 1.25, 2020, 1.1);
}

/* The Vinex wijk is built from 2004 to 2014. */
static double vinex_ramp(int t)
{
    return ramp(t, 2004, 0.12, 2014, 1.0);
}

typedef struct {
    int nyears;
    int first;
    double *v; /* [area][indicator][year]; areas: NB buurten, NW wijken, gemeente, NL */
} panel;

#define A_GEM (NB + NW)
#define A_NL (NB + NW + 1)
#define NAREA (NB + NW + 2)

static double *cell(panel *P, int area, int ind, int t)
{
    return &P->v[((size_t)area * I__MAX + (size_t)ind) * (size_t)P->nyears + (size_t)(t - P->first)];
}

/* Latent structure of each buurt: urbanity, the disadvantaged cluster, the affluent dune
 * side, the attention set, the trend groups. */
static void plant(demo *D, wb_demo_rng *r)
{
    int aan = -1, aff = -1, warn = -1, centre = 0;
    for (int k = 0; k < NW; k++) {
        if (D->w[k].role == W_AANDACHT)
            aan = k;
        if (D->w[k].role == W_AFFLUENT)
            aff = k;
        if (D->w[k].role == W_WARNING)
            warn = k;
    }
    /* the cluster is centred in the post-war wijk, pulled a little towards its neighbour */
    double kx = 0.75 * D->w[aan].cx + 0.25 * D->w[warn].cx;
    double ky = 0.75 * D->w[aan].cy + 0.25 * D->w[warn].cy;
    double kr = 1.7 * sqrt(D->w[aan].cells / 3.14159265358979);
    double ar = 1.25 * sqrt(D->w[aff].cells / 3.14159265358979);
    for (int s = 0; s < NB; s++) {
        buurt *b = &D->b[s];
        b->u = clampd(1.0 - b->rn / 0.85, 0, 1);
        double dx = b->cx - kx, dy = b->cy - ky;
        double q = sqrt(dx * dx + dy * dy) / kr;
        b->cluster = q < 1 ? 1 - q * q : 0; /* flatter than the biweight: a broad problem area */
        dx = b->cx - D->w[aff].cx;
        dy = b->cy - D->w[aff].cy;
        b->aff = bump(sqrt(dx * dx + dy * dy), ar);
        b->d = 2.4 * b->cluster - 1.1 * b->aff + 0.3 * noise(D->seed, 7, b->cx, b->cy, 90.0) +
               0.15 * wb_demo__rng_normal(r);
        b->in_set = 0;
        b->trend = TR_STABLE;
    }
    /* the attention set: grown from the heart of the cluster, always the neighbour with the
     * strongest disadvantage next, so the set is connected */
    int peak = -1;
    for (int s = 0; s < NB; s++)
        if (D->b[s].kind == B_NORMAL && (peak < 0 || D->b[s].d > D->b[peak].d) && D->b[s].cluster > 0.5)
            peak = s;
    if (peak < 0)
        peak = D->w[aan].core;
    D->b[peak].in_set = 1;
    for (int n = 1; n < NSET; n++) {
        int best = -1;
        for (int s = 0; s < NB; s++) {
            if (D->b[s].in_set || D->b[s].kind != B_NORMAL)
                continue;
            int touches = 0;
            for (int q = 0; q < NB && !touches; q++)
                touches = D->b[q].in_set && D->adj[s][q];
            if (touches && (best < 0 || D->b[s].cluster + 0.2 * D->b[s].d > D->b[best].cluster + 0.2 * D->b[best].d))
                best = s;
        }
        if (best < 0)
            break;
        D->b[best].in_set = 1;
    }
    /* trend groups in the set: 3 renewed (improving), 2 relapsing, the rest stagnating from
     * 2012 — the pattern the RIGO evaluation found in the former aandachtswijken */
    int members[NB], n = 0;
    for (int s = 0; s < NB; s++)
        if (D->b[s].in_set)
            members[n++] = s;
    for (int k = n - 1; k > 0; k--) { /* Fisher-Yates */
        int j = rng_int(r, k + 1), t = members[k];
        members[k] = members[j];
        members[j] = t;
    }
    for (int k = 0; k < n; k++)
        D->b[members[k]].trend = k < 3 ? TR_RENEW : k < 5 ? TR_RELAPSE : TR_STAGNATE;
    /* early warning: the neighbouring 1970s wijk slides from 2012 */
    for (int s = 0; s < NB; s++)
        if (D->b[s].wijk == warn && !D->b[s].in_set && D->b[s].kind == B_NORMAL)
            D->b[s].trend = TR_WARNING;
    /* three central buurten gentrify */
    int cand[NB], nc = 0;
    for (int s = 0; s < NB; s++)
        if (D->b[s].wijk == centre && !D->b[s].in_set && D->b[s].kind == B_NORMAL)
            cand[nc++] = s;
    for (int k = 0; k < 3 && nc > 0; k++) {
        int j = rng_int(r, nc);
        D->b[cand[j]].trend = TR_GENTRIFY;
        cand[j] = cand[--nc];
    }
    for (int s = 0; s < NB; s++) {
        buurt *b = &D->b[s];
        b->sb = trend_slopes[b->trend][0] + 0.0006 * wb_demo__rng_normal(r);
        b->sa = trend_slopes[b->trend][1] + 0.0006 * wb_demo__rng_normal(r);
    }
}

/* Facilities (RD metres) in a year: GP practices and large supermarkets. */
typedef struct {
    double x[16], y[16];
    int n;
} facilities;

static void facilities_in(const demo *D, int t, facilities *gp, facilities *sm)
{
    gp->n = sm->n = 0;
    for (int k = 0; k < NW; k++) {
        const wijk *w = &D->w[k];
        const buurt *c = &D->b[w->core];
        int has_gp = !(w->role == W_VINEX && t < 2008) && !(w->role == W_WARNING && t >= 2016);
        int has_sm = w->role != W_AFFLUENT && !(w->role == W_VINEX && t < 2010);
        if (has_gp) {
            gp->x[gp->n] = c->px;
            gp->y[gp->n++] = c->py;
        }
        if (has_sm) {
            sm->x[sm->n] = c->px;
            sm->y[sm->n++] = c->py;
        }
    }
    /* two more practices in the centre: its buurten 01 and 02 */
    for (int s = 0; s < NB; s++)
        if (D->b[s].wijk == 0 && (D->b[s].bb == 1 || D->b[s].bb == 2)) {
            gp->x[gp->n] = D->b[s].px;
            gp->y[gp->n++] = D->b[s].py;
        }
}

static double nearest_km(const facilities *f, double x, double y)
{
    double best = 1e300;
    for (int k = 0; k < f->n; k++) {
        double dx = f->x[k] - x, dy = f->y[k] - y;
        double d2 = dx * dx + dy * dy;
        if (d2 < best)
            best = d2;
    }
    /* road distance ~ 1.3 x straight, at least 200 m */
    return clampd(1.3 * sqrt(best) / 1000.0, 0.2, 50);
}

/* Groups of indicators that go missing together in the sporadic gaps. */
static const int gap_groups[][6] = {
    {I_G_INK_PI, -1}, {I_P_HH_LI, -1}, {I_P_HUURW, I_P_KOOPW, I_P_WCORPW, -1}, {I_G_WOZ, -1},
    {I_G_MISDR, -1}, {I_G_ELE, -1}, {I_G_GAS, -1}, {I_P_STADSV, -1}, {I_G_AFS_HP, -1},
    {I_G_AFS_GS, -1}, {I_P_OPL_LAAG, I_P_OPL_MID, I_P_OPL_HOOG, -1},
    {I_LBM, I_LBM_WON, I_LBM_FYS, I_LBM_VRZ, -1}, /* with the next one: all of lbm */
};
#define GAP_PROB 0.003

static void generate_buurten(demo *D, panel *P, wb_demo_rng *r)
{
    for (int s = 0; s < NB; s++) {
        buurt *b = &D->b[s];
        int role = D->w[b->wijk].role;
        int vinex = role == W_VINEX, biz = b->kind == B_BUSINESS, rural = b->kind == B_RURAL;
        /* persistent differences between buurten */
        double off[5];
        for (int k = 0; k < 5; k++)
            off[k] = 0.012 * wb_demo__rng_normal(r);
        double g = 0.004 + 0.003 * wb_demo__rng_normal(r);
        double f_rho = 1 + 0.12 * wb_demo__rng_normal(r), f_woz = 1 + 0.06 * wb_demo__rng_normal(r);
        double f_inc = 1 + 0.04 * wb_demo__rng_normal(r), li_off = 0.8 * wb_demo__rng_normal(r);
        double huur_off = 4 * wb_demo__rng_normal(r), corp_off = 0.05 * wb_demo__rng_normal(r);
        double f_mis = 1 + 0.15 * wb_demo__rng_normal(r), ele_off = 150 * wb_demo__rng_normal(r);
        double gas_off = 120 * wb_demo__rng_normal(r), w_off = 0.01 * wb_demo__rng_normal(r);
        double nw_off = 0.02 * wb_demo__rng_normal(r), opl1 = 2 * wb_demo__rng_normal(r);
        double opl2 = 2 * wb_demo__rng_normal(r);
        double rho = 1500 + 6500 * b->u * b->u + 3500 * b->cluster;
        rho *= 1 - 0.45 * b->aff;
        if (rural)
            rho = 90;
        if (biz)
            rho = 20;
        for (int t = P->first; t < P->first + P->nyears; t++) {
            int tau = t - 2002;
            double T = b->sb * (double)((t < WB_DEMO_BREAK_YEAR ? t : WB_DEMO_BREAK_YEAR) - 2002) +
                       b->sa * (double)(t > WB_DEMO_BREAK_YEAR ? t - WB_DEMO_BREAK_YEAR : 0);
            double e = b->d - (T - NATIONAL_DRIFT * tau) / 0.3; /* disadvantage now */
            double vin = vinex ? vinex_ramp(t) : 1.0;
            double dip = (b->trend == TR_RENEW && t >= 2008 && t <= 2011) ? 0.82 : 1.0;
            double pop = rho * b->area_km2 * f_rho * growth(1 + g, t) * vin * dip;
            double inw = floor(pop + 0.5);
            if (inw < 15)
                inw = 15;
            double hs = clampd(2.45 - 0.65 * b->u + 0.25 * b->aff + (vinex ? 0.3 : 0) + 0.1 * b->cluster - 0.006 * tau,
                               1.35, 3.1);
            double hh = floor(inw / hs + 0.5);
            if (hh < 5)
                hh = 5;
            double won = floor(hh * (biz ? 1.1 : 1.02 + 0.03 * b->u) + 0.5);
            *cell(P, s, I_A_INW, t) = inw;
            *cell(P, s, I_A_HH, t) = hh;
            *cell(P, s, I_A_WONING, t) = won;
            *cell(P, s, I_BEV_DICH, t) = floor(inw / b->area_km2 + 0.5);
            double inc = 20.5 * (e > 0 ? (1 - 0.11 * e > 0.55 ? 1 - 0.11 * e : 0.55) : 1 - 0.2 * e) *
                         (1 + 0.05 * (1 - b->u)) * f_inc * growth(1.019, t) * (1 + 0.01 * wb_demo__rng_normal(r));
            *cell(P, s, I_G_INK_PI, t) = roundd(inc, 1);
            double li = (8.0 + 4.5 * e + 2.0 * b->u + li_off) * (0.8 + 0.2 * crisis(t)) + 0.3 * wb_demo__rng_normal(r);
            *cell(P, s, I_P_HH_LI, t) = roundd(clampd(li, 1, 45), 1);
            double rate = clampd(0.016 * (1 + 1.4 * (e > -0.6 ? e : -0.6)) * crisis(t) *
                                     (1 + 0.05 * wb_demo__rng_normal(r)),
                                 0.002, 0.14);
            double soz = floor(inw * rate + 0.5);
            *cell(P, s, I_A_SOZ_WB, t) = soz;
            *cell(P, s, I_P_SOZ_WB, t) = 100.0 * soz / inw;
            double huur = floor(clampd(26 + 38 * b->u + 13 * e + huur_off - 0.25 * tau - (vinex ? 10 : 0), 2, 98) + 0.5);
            *cell(P, s, I_P_HUURW, t) = huur;
            *cell(P, s, I_P_KOOPW, t) = 100 - huur;
            *cell(P, s, I_P_WCORPW, t) = floor(huur * clampd(0.45 + 0.2 * e + 0.08 * b->u + corp_off, 0.05, 0.95) + 0.5);
            double woz = 190 * (e > 0 ? (1 - 0.17 * e > 0.5 ? 1 - 0.17 * e : 0.5) : 1 - 0.38 * e) *
                         (1 + 0.12 * (1 - b->u)) * (vinex ? 1.12 : 1) * f_woz * hpi(t) *
                         (1 + 0.015 * wb_demo__rng_normal(r));
            *cell(P, s, I_G_WOZ, t) = floor(woz + 0.5);
            double mis = 58 * (1 + 0.28 * e + 0.7 * b->u) * f_mis * crime_index(t) * (1 + 0.06 * wb_demo__rng_normal(r));
            *cell(P, s, I_G_MISDR, t) = floor(clampd(mis, 8, 400) + 0.5);
            /* district heating: the Vinex wijk from the start, the attention buurten from 2014 */
            double stadsv = vinex ? 78 : b->in_set ? clampd(7.5 * (t - 2013), 0, 45) : role == W_CENTRE ? 6 : 1;
            stadsv = floor(clampd(stadsv + 2 * wb_demo__rng_normal(r), 0, 100) + 0.5);
            *cell(P, s, I_P_STADSV, t) = stadsv;
            double ele = 3400 - 800 * b->u + 350 * b->aff - 10 * tau - (t > 2015 ? 45 * (t - 2015) : 0) + ele_off +
                         40 * wb_demo__rng_normal(r);
            *cell(P, s, I_G_ELE, t) = 10 * floor(ele / 10 + 0.5);
            double gas = (1750 - 550 * b->u + 300 * b->aff - (vinex ? 250 : 0) - 18 * tau + gas_off +
                          30 * wb_demo__rng_normal(r)) * (1 - 0.85 * stadsv / 100);
            *cell(P, s, I_G_GAS, t) = 10 * floor(clampd(gas, 100, 5000) / 10 + 0.5);
            facilities gp, sm;
            facilities_in(D, t, &gp, &sm);
            *cell(P, s, I_G_AFS_HP, t) = roundd(nearest_km(&gp, b->px, b->py), 1);
            *cell(P, s, I_G_AFS_GS, t) = roundd(nearest_km(&sm, b->px, b->py), 1);
            double ws = clampd(0.065 + 0.025 * b->u + 0.015 * b->aff + w_off, 0.02, 0.3);
            double de = 0.5 * (b->d + e);
            double nws = clampd(0.04 + 0.09 * (de > -0.4 ? de : -0.4) + 0.05 * b->u + 0.0025 * tau + nw_off, 0.01, 0.8);
            double aw = floor(inw * ws + 0.5), anw = floor(inw * nws + 0.5);
            if (aw + anw > inw)
                anw = inw - aw;
            *cell(P, s, I_A_W_ALL, t) = aw;
            *cell(P, s, I_A_NW_ALL, t) = anw;
            double laag = clampd(25 + 8.5 * e - 5 * b->u - 0.35 * (t - 2012) + opl1 + 0.5 * wb_demo__rng_normal(r), 5, 70);
            double hoog = clampd(28 - 8 * e + 14 * b->u + 0.5 * (t - 2012) + opl2 + 0.5 * wb_demo__rng_normal(r), 5, 80);
            if (laag + hoog > 90) {
                double f = 90 / (laag + hoog);
                laag *= f;
                hoog *= f;
            }
            laag = roundd(laag, 1);
            hoog = roundd(hoog, 1);
            *cell(P, s, I_P_OPL_LAAG, t) = laag;
            *cell(P, s, I_P_OPL_HOOG, t) = hoog;
            *cell(P, s, I_P_OPL_MID, t) = roundd(100 - laag - hoog, 1);
            /* Leefbaarometer dimensions: structure + planted trend + persistent and yearly noise */
            double dim[5];
            dim[0] = 0.01 - 0.055 * b->d + 0.04 * (1 - b->u);
            dim[1] = 0.0 - 0.02 * b->d + 0.03 * (1 - b->u) - 0.02 * b->u;
            dim[2] = -0.06 + 0.14 * b->u - (vinex ? 0.04 * (1 - vin) : 0);
            dim[3] = 0.0 - 0.07 * b->d;
            dim[4] = 0.02 - 0.06 * b->d - 0.05 * b->u;
            for (int k = 0; k < 5; k++)
                dim[k] += trend_share[k] * T + off[k] + 0.004 * wb_demo__rng_normal(r);
            *cell(P, s, I_LBM_WON, t) = dim[0];
            *cell(P, s, I_LBM_FYS, t) = dim[1];
            *cell(P, s, I_LBM_VRZ, t) = dim[2];
            *cell(P, s, I_LBM_SOC, t) = dim[3];
            *cell(P, s, I_LBM_ONV, t) = dim[4];
            double lbm = (((dim[0] + dim[1]) + dim[2]) + dim[3]) + dim[4];
            *cell(P, s, I_LBM, t) = lbm;
            *cell(P, s, I_LBM_KLASSE, t) = wb_demo_lbm_class(lbm);
            /* missing values: CBS suppresses figures of the business park (too few residents)
             * and the Leefbaarometer gives it no score; elsewhere a few sporadic gaps */
            if (biz) {
                const int sup[] = {I_G_INK_PI, I_P_HH_LI, I_G_WOZ, I_G_MISDR, I_P_OPL_LAAG, I_P_OPL_MID,
                                   I_P_OPL_HOOG, I_LBM, I_LBM_WON, I_LBM_FYS, I_LBM_VRZ, I_LBM_SOC,
                                   I_LBM_ONV, I_LBM_KLASSE};
                for (size_t k = 0; k < sizeof sup / sizeof sup[0]; k++)
                    *cell(P, s, sup[k], t) = NAN;
            }
            size_t ngroups = sizeof gap_groups / sizeof gap_groups[0];
            for (size_t gi = 0; gi < ngroups; gi++) {
                if (wb__rng_uniform(r) >= GAP_PROB)
                    continue;
                for (int k = 0; gap_groups[gi][k] >= 0; k++)
                    *cell(P, s, gap_groups[gi][k], t) = NAN;
                if (gap_groups[gi][0] == I_LBM) {
                    *cell(P, s, I_LBM_SOC, t) = NAN;
                    *cell(P, s, I_LBM_ONV, t) = NAN;
                    *cell(P, s, I_LBM_KLASSE, t) = NAN;
                }
            }
        }
    }
}

/* Wijk (area index NB + k) and gemeente values from the buurten. */
static void aggregate(demo *D, panel *P)
{
    for (int a = NB; a <= A_GEM; a++) {
        int members[NB], n = 0;
        double area = 0;
        for (int s = 0; s < NB; s++)
            if (a == A_GEM || D->b[s].wijk == a - NB) {
                members[n++] = s;
                area += D->b[s].area_km2;
            }
        for (int t = P->first; t < P->first + P->nyears; t++) {
            for (int i = 0; i < I__MAX; i++) {
                const ind_def *d = &inds[i];
                double v = NAN;
                if (d->agg == AG_SUM) {
                    v = 0;
                    for (int m = 0; m < n; m++)
                        v += *cell(P, members[m], i, t);
                } else if (d->agg == AG_WINW || d->agg == AG_WHH || d->agg == AG_WWON) {
                    int w = d->agg == AG_WINW ? I_A_INW : d->agg == AG_WHH ? I_A_HH : I_A_WONING;
                    double sw = 0, swv = 0;
                    for (int m = 0; m < n; m++) {
                        double x = *cell(P, members[m], i, t), wt = *cell(P, members[m], w, t);
                        if (!isnan(x)) {
                            sw += wt;
                            swv += wt * x;
                        }
                    }
                    if (sw > 0)
                        v = swv / sw;
                    if (d->digits >= 0)
                        v = roundd(v, d->digits);
                } else {
                    continue; /* derived below */
                }
                *cell(P, a, i, t) = v;
            }
            double inw = *cell(P, a, I_A_INW, t);
            *cell(P, a, I_BEV_DICH, t) = floor(inw / area + 0.5);
            *cell(P, a, I_P_SOZ_WB, t) = 100.0 * *cell(P, a, I_A_SOZ_WB, t) / inw;
            *cell(P, a, I_P_KOOPW, t) = 100 - *cell(P, a, I_P_HUURW, t);
            *cell(P, a, I_P_OPL_MID, t) = roundd(100 - *cell(P, a, I_P_OPL_LAAG, t) - *cell(P, a, I_P_OPL_HOOG, t), 1);
            double lbm = (((*cell(P, a, I_LBM_WON, t) + *cell(P, a, I_LBM_FYS, t)) + *cell(P, a, I_LBM_VRZ, t)) +
                          *cell(P, a, I_LBM_SOC, t)) + *cell(P, a, I_LBM_ONV, t);
            *cell(P, a, I_LBM, t) = lbm;
            *cell(P, a, I_LBM_KLASSE, t) = isnan(lbm) ? NAN : wb_demo_lbm_class(lbm);
        }
    }
}

/* A stylised national reference (orders of magnitude of the published CBS figures, not
 * official values; see docs/demo.md). */
static void national(panel *P)
{
    const int a = A_NL;
    for (int t = P->first; t < P->first + P->nyears; t++) {
        int tau = t - 2002;
        double inw = floor(16105000 + 74300.0 * tau + 0.5);
        *cell(P, a, I_A_INW, t) = inw;
        *cell(P, a, I_A_HH, t) = floor(7030000 + 54000.0 * tau + 0.5);
        *cell(P, a, I_A_WONING, t) = floor(6710000 + 62000.0 * tau + 0.5);
        *cell(P, a, I_BEV_DICH, t) = floor(inw / 33670.0 + 0.5);
        *cell(P, a, I_G_INK_PI, t) = roundd(20.9 * growth(1.019, t), 1);
        *cell(P, a, I_P_HH_LI, t) = roundd(8.6 * (0.8 + 0.2 * crisis(t)), 1);
        double soz = floor(inw * 0.021 * crisis(t) + 0.5);
        *cell(P, a, I_A_SOZ_WB, t) = soz;
        *cell(P, a, I_P_SOZ_WB, t) = 100.0 * soz / inw;
        double huur = floor(46 - 0.25 * tau + 0.5);
        *cell(P, a, I_P_HUURW, t) = huur;
        *cell(P, a, I_P_KOOPW, t) = 100 - huur;
        *cell(P, a, I_P_WCORPW, t) = floor(34 - 0.3 * tau + 0.5);
        *cell(P, a, I_G_WOZ, t) = floor(187 * hpi(t) + 0.5);
        *cell(P, a, I_G_MISDR, t) = floor(72 * crime_index(t) + 0.5);
        *cell(P, a, I_G_ELE, t) = 10 * floor((3450 - 12.0 * tau - (t > 2015 ? 40.0 * (t - 2015) : 0)) / 10 + 0.5);
        *cell(P, a, I_G_GAS, t) = 10 * floor((1700 - 22.0 * tau) / 10 + 0.5);
        *cell(P, a, I_P_STADSV, t) = floor(5 + 0.2 * (t - 2010) + 0.5);
        *cell(P, a, I_G_AFS_HP, t) = 1.0;
        *cell(P, a, I_G_AFS_GS, t) = 0.9;
        *cell(P, a, I_A_W_ALL, t) = floor(inw * (0.087 + 0.0008 * tau) + 0.5);
        *cell(P, a, I_A_NW_ALL, t) = floor(inw * (0.107 + 0.0018 * tau) + 0.5);
        double laag = roundd(30 - 0.4 * (t - 2012), 1), hoog = roundd(30 + 0.6 * (t - 2012), 1);
        *cell(P, a, I_P_OPL_LAAG, t) = laag;
        *cell(P, a, I_P_OPL_HOOG, t) = hoog;
        *cell(P, a, I_P_OPL_MID, t) = roundd(100 - laag - hoog, 1);
        double dim[5];
        for (int k = 0; k < 5; k++)
            dim[k] = trend_share[k] * NATIONAL_DRIFT * tau;
        *cell(P, a, I_LBM_WON, t) = dim[0];
        *cell(P, a, I_LBM_FYS, t) = dim[1];
        *cell(P, a, I_LBM_VRZ, t) = dim[2];
        *cell(P, a, I_LBM_SOC, t) = dim[3];
        *cell(P, a, I_LBM_ONV, t) = dim[4];
        double lbm = (((dim[0] + dim[1]) + dim[2]) + dim[3]) + dim[4];
        *cell(P, a, I_LBM, t) = lbm;
        *cell(P, a, I_LBM_KLASSE, t) = wb_demo_lbm_class(lbm);
    }
}

/* ================================================================ the store */

int wb_demo_exists(int *out, int *year, wb_store *st)
{
    *out = 0;
    if (year)
        *year = 0;
    wb_area *a = NULL;
    int error = wb_store_area_get(st, &a, WB_DEMO_GEMEENTE, 0); /* its latest boundary year */
    if (error == 0) {
        *out = 1;
        if (year)
            *year = a->year;
    } else if (error == WB_ENOTFOUND) {
        wb_error_clear();
        error = 0;
    } else {
        wb_error_prefix("looking for the demo municipality");
    }
    wb_areas_free(a, a ? 1 : 0);
    return error;
}

/* A code of the demo: GM9999, WK9999 and two digits, BU9999 and four digits. */
static int demo_code(const char *code)
{
    size_t n = strlen(code), digits = !strncmp(code, "WK9999", 6) ? 2 : !strncmp(code, "BU9999", 6) ? 4 : 0;
    if (!strcmp(code, WB_DEMO_GEMEENTE))
        return 1;
    if (!digits || n != 6 + digits)
        return 0;
    for (size_t i = 6; i < n; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    return 1;
}

/* Remove a previous demo: its areas of every boundary year (with their values, geometry and
 * labels) and the demo indicators' values of NL00 in the boundary year. */
static int remove_demo(wb_store *st, int byear, int old_byear)
{
    wb_area *areas = NULL;
    size_t n = 0;
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.within = WB_DEMO_GEMEENTE; /* a superset: the demo's codes nest in it */
    int error = wb_store_areas(st, &areas, &n, &q);
    for (size_t i = 0; i < n && error == 0; i++)
        if (demo_code(areas[i].code) && (error = wb_store_area_delete(st, areas[i].id)) < 0)
            wb_error_prefix("removing the previous demo");
    wb_areas_free(areas, n);
    for (int k = 0; k < 2 && !error; k++) {
        int64_t nl, ind;
        if ((error = wb_store_area_find(st, &nl, "NL00", k ? old_byear : byear)) == WB_ENOTFOUND) {
            wb_error_clear();
            error = 0;
            continue;
        }
        for (int i = 0; i < I__MAX && !error; i++) {
            if ((error = wb_store_indicator_find(st, &ind, inds[i].key)) == WB_ENOTFOUND) {
                wb_error_clear();
                error = 0;
            } else if (error == 0 && (error = wb_store_obs_delete(st, ind, nl)) < 0) {
                wb_error_prefix("removing the previous demo's national values");
            }
        }
    }
    return error;
}

typedef struct {
    demo *D;
    panel *P;
    const wb_demo_opts *o;
} build_ctx;

static void progress(const wb_demo_opts *o, const char *what, size_t done, size_t total)
{
    if (o->progress)
        o->progress(o->payload, what, done, total);
}

static int store_all(wb_store *st, void *payload)
{
    build_ctx *ctx = payload;
    demo *D = ctx->D;
    panel *P = ctx->P;
    const wb_demo_opts *o = ctx->o;
    int byear = o->last_year, error = 0, exists = 0, old_byear = 0;
    if ((error = wb_demo_exists(&exists, &old_byear, st)) < 0)
        return error;
    if (exists) {
        if (!o->replace) {
            wb_error_set(WB_ERRCLASS_ARG, "the demo municipality %s (%s) already exists",
                         WB_DEMO_GEMEENTE, WB_DEMO_NAME);
            return WB_ECONFLICT;
        }
        if ((error = remove_demo(st, byear, old_byear)) < 0)
            return error;
    }
    /* catalogue: add the built-in entries that are missing, leave existing entries alone */
    int64_t ind_id[I__MAX];
    for (int i = 0; i < I__MAX; i++)
        if ((error = wb_catalog_ensure(st, &ind_id[i], inds[i].key)) < 0)
            return error;
    /* areas and geometries */
    int64_t area_id[NAREA];
    if ((error = wb_store_area_put(st, &area_id[A_NL], "NL00", byear, WB_LEVEL_LAND, "Nederland", "")) < 0 ||
        (error = wb_store_area_put(st, &area_id[A_GEM], WB_DEMO_GEMEENTE, byear, WB_LEVEL_GEMEENTE,
                                   WB_DEMO_NAME, "NL00")) < 0 ||
        (error = wb_store_geom_put(st, area_id[A_GEM], &D->gem)) < 0)
        return error;
    for (int k = 0; k < NW; k++)
        if ((error = wb_store_area_put(st, &area_id[NB + k], D->w[k].code, byear, WB_LEVEL_WIJK, D->w[k].name,
                                       WB_DEMO_GEMEENTE)) < 0 ||
            (error = wb_store_geom_put(st, area_id[NB + k], &D->w[k].geom)) < 0)
            return error;
    for (int s = 0; s < NB; s++) {
        if ((error = wb_store_area_put(st, &area_id[s], D->b[s].code, byear, WB_LEVEL_BUURT, D->b[s].name,
                                       D->w[D->b[s].wijk].code)) < 0 ||
            (error = wb_store_geom_put(st, area_id[s], &D->b[s].geom)) < 0)
            return error;
    }
    progress(o, "demo: values", 0, NAREA);
    size_t nvalues = 0;
    for (int a = 0; a < NAREA; a++) {
        for (int i = 0; i < I__MAX; i++)
            for (int t = P->first; t < P->first + P->nyears; t++) {
                if (inds[i].from_year && t < inds[i].from_year)
                    continue; /* not published yet: no row at all */
                if ((error = wb_store_obs_put(st, ind_id[i], area_id[a], t, *cell(P, a, i, t))) < 0)
                    return error;
                nvalues++;
            }
        progress(o, "demo: values", (size_t)a + 1, NAREA);
    }
    /* the attention buurten */
    wb_area *members = NULL;
    size_t nm = 0;
    error = wb_store_label_members(st, &members, &nm, WB_DEMO_LABEL_SET);
    wb_areas_free(members, nm);
    int set_exists = error == 0;
    if (error < 0 && error != WB_ENOTFOUND)
        return error;
    int64_t set_id;
    if ((error = wb_store_label_set_put(st, &set_id, WB_DEMO_LABEL_SET,
                                        set_exists ? NULL
                                                   : "Aandachtsbuurten van de fictieve demogemeente Wierhaven "
                                                     "(GM9999): het gebied met de laagste leefbaarheid")) < 0)
        return error;
    int nset = 0;
    for (int s = 0; s < NB; s++)
        if (D->b[s].in_set) {
            if ((error = wb_store_label_add(st, set_id, area_id[s])) < 0)
                return error;
            nset++;
        }
    char summary[256];
    snprintf(summary, sizeof summary,
             "demo %s %s (fictional), seed %llu, years %d-%d: %d wijken, %d buurten, %zu values, "
             "label set %s with %d buurten",
             WB_DEMO_GEMEENTE, WB_DEMO_NAME, (unsigned long long)o->seed, o->first_year, o->last_year, NW, NB,
             nvalues, WB_DEMO_LABEL_SET, nset);
    return wb_store_log_import(st, "demo", NULL, summary);
}

static void demo_dispose(demo *D)
{
    wb_free(D->lab);
    wb_free(D->tmp);
    wb_free(D->queue);
    wb_free(D->junction);
    wb_free(D->nextv);
    for (int s = 0; s < NB; s++)
        wb_geom_dispose(&D->b[s].geom);
    for (int k = 0; k < NW; k++)
        wb_geom_dispose(&D->w[k].geom);
    wb_geom_dispose(&D->gem);
}

int wb_demo_build(wb_store *st, const wb_demo_opts *opts)
{
    wb_demo_opts def = WB_DEMO_OPTS_INIT;
    const wb_demo_opts *o = opts ? opts : &def;
    if (o->version != 1) {
        wb_error_set(WB_ERRCLASS_ARG, "wb_demo_opts: unknown version %d (initialise with WB_DEMO_OPTS_INIT)",
                     o->version);
        return WB_EINVALID;
    }
    if (o->first_year < 1995 || o->last_year > 2035 || o->first_year > o->last_year) {
        wb_error_set(WB_ERRCLASS_ARG, "demo: years must satisfy 1995 <= first <= last <= 2035, got %d-%d",
                     o->first_year, o->last_year);
        return WB_EINVALID;
    }
    if (wb_store_in_transaction(st)) {
        wb_error_set(WB_ERRCLASS_STORE, "demo: a transaction is already open");
        return WB_ESTORE;
    }
    int exists = 0, error = wb_demo_exists(&exists, NULL, st);
    if (error < 0)
        return error;
    if (exists && !o->replace) {
        wb_error_set(WB_ERRCLASS_ARG, "the demo municipality %s (%s) already exists", WB_DEMO_GEMEENTE,
                     WB_DEMO_NAME);
        return WB_ECONFLICT;
    }
    demo *D = wb_calloc(1, sizeof *D);
    panel P = {o->last_year - o->first_year + 1, o->first_year, NULL};
    if (!D)
        return WB_ENOMEM;
    D->o = o;
    uint64_t sm = o->seed;
    D->seed = wb__splitmix64(&sm);
    D->lab = wb_malloc(sizeof(int) * GW * GH);
    D->tmp = wb_malloc(sizeof(int) * GW * GH);
    D->queue = wb_malloc(sizeof(int) * GW * GH);
    D->junction = wb_malloc(NV);
    D->nextv = wb_malloc(sizeof(int) * NV);
    P.v = wb_malloc(sizeof(double) * NAREA * I__MAX * (size_t)P.nyears);
    if (!D->lab || !D->tmp || !D->queue || !D->junction || !D->nextv || !P.v) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < (size_t)NAREA * I__MAX * (size_t)P.nyears; k++)
        P.v[k] = NAN;
    /* separate streams for the map and the values, so either can change alone */
    wb_demo_rng rmap, rval;
    wb__rng_seed(&rmap, o->seed ^ 0x6d61702d73656564u);
    wb__rng_seed(&rval, o->seed ^ 0x76616c7565732121u);
    progress(o, "demo: map", 0, 5);
    if ((error = make_mask(D)) < 0)
        goto done;
    place_seeds(D, &rmap);
    assign_cells(D);
    progress(o, "demo: map", 1, 5);
    if ((error = clean_layout(D)) < 0)
        goto done;
    measure(D);
    progress(o, "demo: map", 2, 5);
    if ((error = group_wijken(D)) < 0)
        goto done;
    name_areas(D);
    progress(o, "demo: map", 3, 5);
    if ((error = trace_all(D)) < 0)
        goto done;
    progress(o, "demo: map", 5, 5);
    plant(D, &rval);
    generate_buurten(D, &P, &rval);
    aggregate(D, &P);
    national(&P);
    build_ctx ctx = {D, &P, o};
    error = wb_store_transact(st, store_all, &ctx);
done:
    demo_dispose(D);
    wb_free(D);
    wb_free(P.v);
    return error;
}
