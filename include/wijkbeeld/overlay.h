/**
 * @file
 * @brief Overlay of two layers of polygons: the area of every non-empty intersection of a
 * polygon of one layer with a polygon of the other (the basis of crosswalks derived from
 * geometry, docs/crosswalk.md).
 *
 * Method. Candidate pairs come from a uniform grid over the bounding boxes of the second
 * layer, so the work grows with the number of overlapping pairs, not with na x nb. The
 * area of A ∩ B is computed exactly (up to rounding), without building the intersection,
 * by the trapezoid decomposition of the two indicator functions: with w_A(x, y) the winding
 * number of A, written as the signed sum over A's edges e of the half-strips below them,
 * area(A ∩ B) = ∫∫ w_A w_B = Σ_e Σ_f s_e s_f ∫ (min(y_e(x), y_f(x)) - y0) dx over the
 * common x-range of the edges e of A and f of B. This needs no classification of points
 * and no noding, so shared and collinear borders need no special case; it costs
 * O(edges of A x edges of B) per pair (only edges within the pair's common x-range, swept
 * in x order). On the national buurt layers of 2014 and 2015 (85,000 candidate pairs) it
 * takes ~0.07 s where the same areas through GEOS (OGR_G_Intersection, OGR_G_Area) take
 * ~2.8 s; the tests check it against GEOS on real data.
 *
 * Validity. The formula gives ∫∫ w_A w_B, which is the area of the point-set intersection
 * whenever every point is covered at most once (w in {0, 1}). A geometry where that fails
 * (a ring crossing itself into a bow-tie, overlapping parts of a multipolygon, a hole
 * outside its shell; found exactly by ∫ w² != ∫ w) is first repaired with GEOS MakeValid
 * through GDAL/OGR (the linework method, the same as sf::st_make_valid), in memory only.
 * Other OGC-invalid forms common in quantised TopoJSON (a ring touching itself in a point,
 * zero-width spikes) already cover every point at most once and are used as they are.
 */
#ifndef WIJKBEELD_OVERLAY_H
#define WIJKBEELD_OVERLAY_H

#include <stddef.h>

#include "geo.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The part of a[a] that lies in b[b]. */
typedef struct {
    size_t a;       /**< index into the first layer */
    size_t b;       /**< index into the second layer */
    double area_m2; /**< area of the intersection, in squared coordinate units (m2 in RD New) */
} wb_overlay_piece;

/** What an overlay did. */
typedef struct {
    size_t candidates; /**< pairs whose bounding boxes overlap */
    size_t pieces;     /**< pairs with an intersection of positive area (returned) */
    size_t repaired_a; /**< geometries of the first layer repaired with GEOS MakeValid */
    size_t repaired_b; /**< same, second layer */
} wb_overlay_stats;

/**
 * Smallest intersection returned, in squared coordinate units: rounding in the sums leaves
 * pairs that merely touch with |area| of about 1e-9 m2; 1e-6 m2 (one square millimetre)
 * lies far above that noise and far below anything a share would notice.
 */
#define WB_OVERLAY_MIN_AREA 1e-6

/**
 * Intersect every geometry of @p a with every geometry of @p b (both in the same projected
 * CRS; empty geometries, npolys == 0, are allowed and intersect nothing).
 * @param out     OUT: the pieces ordered by a, then b; free with wb_free (NULL when none)
 * @param npieces OUT: their number
 * @param area_a  OUT (may be NULL): na areas of the geometries of @p a as used (after any
 *                repair), so that a piece's share of its geometry is area_m2 / area_a[a]
 * @param area_b  OUT (may be NULL): the same for @p b
 * @param stats   OUT (may be NULL)
 * @return 0, WB_ENOMEM, WB_ERROR when GEOS cannot repair a geometry (the message names its
 *         index and says why).
 */
int wb_overlay(wb_overlay_piece **out, size_t *npieces, double *area_a, double *area_b,
               const wb_geom *a, size_t na, const wb_geom *b, size_t nb, wb_overlay_stats *stats);

/**
 * Make @p g cover every point at most once, as the overlay does before intersecting: when
 * ∫ w² differs from ∫ w (see the file comment), replace it by GEOS MakeValid of it (polygons
 * only; lines and points that MakeValid keeps from collapsed parts are dropped); otherwise
 * leave it untouched.
 * @param repaired OUT (may be NULL): 1 when @p g was replaced
 * @return 0, WB_ENOMEM, WB_ERROR when GEOS fails.
 */
int wb_geom_repair(wb_geom *g, int *repaired);

#ifdef __cplusplus
}
#endif
#endif
