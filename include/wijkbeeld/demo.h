/**
 * @file
 * @brief The demo municipality: a realistic but entirely FICTIONAL gemeente that wijkbeeld
 * generates itself, so that every analysis can be tried on a fresh machine without data.
 *
 * The demo is "Wierhaven" (code GM9999; no real gemeente has that code or name). It has
 * 8 wijken (WK999900 .. WK999907) and 80 buurten (BU9999wwbb), with polygons in RD New metres
 * (EPSG:28992) that tile the municipality without gaps or overlaps: neighbouring polygons
 * share exactly identical vertices. The town lies in the North Sea, about 45 km west of
 * IJmuiden, so that it never overlaps or touches a real municipality when real data are
 * loaded into the same database.
 *
 * For every year from first_year to last_year (default 2002-2022) it stores, per buurt,
 * wijk and gemeente, the indicators that score models use (CBS KWB short names: a_inw,
 * a_hh, a_woning, bev_dich, g_ink_pi, p_hh_li, a_soz_wb, p_soz_wb, p_huurw, p_koopw, p_wcorpw,
 * g_woz, g_misdr, g_ele, g_gas, p_stadsv, g_afs_hp, g_afs_gs, a_w_all, a_nw_all, p_opl_laag,
 * p_opl_mid, p_opl_hoog) and Leefbaarometer-style scores (lbm, its five dimensions lbm_won,
 * lbm_fys, lbm_vrz, lbm_soc, lbm_onv, and lbm_klasse), plus a stylised national reference
 * row NL00 and the label set "aandachtswijken". All areas use boundary year last_year (a
 * back-series on current boundaries, as the Leefbaarometer publishes). docs/demo.md describes
 * the planted patterns (a low-livability cluster, improving / stagnating-from-2012 /
 * declining buurten, missing values).
 *
 * Determinism: the generator uses its own PRNG (xoshiro256** seeded through splitmix64) and
 * only +, -, *, / and sqrt in floating point (all correctly rounded in IEEE 754), never the
 * clock or the environment; built without floating-point contraction (the Makefile's
 * -std=c11 implies -ffp-contract=off with GCC) the same seed gives bit-identical values and
 * geometries on every machine.
 */
#ifndef WIJKBEELD_DEMO_H
#define WIJKBEELD_DEMO_H

#include <stdint.h>

#include "core.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Code of the demo gemeente. */
#define WB_DEMO_GEMEENTE "GM9999"
/** Name of the demo gemeente (fictional). */
#define WB_DEMO_NAME "Wierhaven"
/** Name of the label set of the demo's attention buurten. */
#define WB_DEMO_LABEL_SET "aandachtswijken"
/** The default seed (any value works; this one gives the documented picture). */
#define WB_DEMO_SEED 20070522u
/** The year from which planted stagnation and decline start. */
#define WB_DEMO_BREAK_YEAR 2012

/** Options of wb_demo_build. Initialise with WB_DEMO_OPTS_INIT. */
typedef struct {
    int version;             /**< 1 */
    uint64_t seed;           /**< PRNG seed; WB_DEMO_SEED by default */
    int first_year;          /**< first data year (1995..2035), default 2002 */
    int last_year;           /**< last data year, >= first_year; also the boundary year; default 2022 */
    int replace;             /**< 1: remove an existing demo municipality first; 0: refuse */
    wb_progress_fn progress; /**< progress callback, or NULL */
    void *payload;           /**< passed to @p progress */
} wb_demo_opts;

#define WB_DEMO_OPTS_INIT {1, WB_DEMO_SEED, 2002, 2022, 0, NULL, NULL}

/**
 * Build the demo municipality into @p st, in one transaction (on any error nothing is
 * written). Must not be called while a transaction of @p st is open.
 *
 * With opts->replace, an existing demo is removed first (inside the same transaction):
 * every area GM9999, WK9999xx, BU9999xxxx of any year with its values, geometry and label
 * memberships, and the values of the demo's indicators that NL00 has in the boundary year
 * last_year and in the boundary year of the demo being replaced. The indicators are those of
 * the built-in catalogue (wb_catalog_ensure: keys, labels, units, directions and dimensions
 * of src/io/catalog.c); an entry the store already has is left as it is.
 *
 * @param st   an open, writable store
 * @param opts options, or NULL for WB_DEMO_OPTS_INIT
 * @return 0; WB_ECONFLICT when the demo exists and replace is 0; WB_EINVALID for bad
 *         options; WB_ESTORE, WB_ENOMEM, or WB_ERROR if the generator could not lay out
 *         the map for this seed (the message says so; try another seed).
 */
int wb_demo_build(wb_store *st, const wb_demo_opts *opts);

/**
 * Whether the demo gemeente (WB_DEMO_GEMEENTE, any boundary year) exists in @p st.
 * @param out OUT: 1 or 0
 * @param year OUT: its latest boundary year, or 0 (may be NULL)
 * @return 0 or a store error.
 */
int wb_demo_exists(int *out, int *year, wb_store *st);

/**
 * The Leefbaarometer class (1..9) of a total score @p lbm: class k+1 for the largest k with
 * lbm >= t[k-1], where t = {-0.72, -0.59, -0.46, -0.2571, -0.1575, 0.03795, 0.150, 0.238}.
 * These are the LBM 2.0 class boundaries read off the published 2012 wijk scores (they
 * reproduce KL12 from RLBRMTR for all 2,823 wijken that have both; the lowest boundary,
 * with no class-1 wijk observed, is extrapolated). See docs/demo.md.
 * @return 1..9, or 0 for NaN.
 */
int wb_demo_lbm_class(double lbm);

/** Dutch label of a class 1..9 ("zeer onvoldoende" .. "uitstekend"); NULL otherwise. Static. */
const char *wb_demo_class_label(int klasse);

#ifdef __cplusplus
}
#endif
#endif
