/**
 * @file
 * @brief Fuzz target: the score model file parser (src/stats/model.c).
 *
 * Input: the model text.
 * Invariants:
 *  - an error is WB_EPARSE with "input:LINE: ..." (valid UTF-8), and no model;
 *  - a model has a name of key characters, at least one dimension, every dimension at least
 *    one indicator; indicators have a valid key (unique ignoring case), a dimension index in
 *    range, direction +1 or -1, a finite weight > 0; dimension weights finite and > 0;
 *    the key array is NULL-terminated; min_coverage in [0, 1]; transform and aggregate in
 *    range; a transform other than none has a base year in 1800..2200; a reference is a
 *    gemeente code;
 *  - with classes: 8 strictly increasing finite thresholds, and wb_model_classify is
 *    monotone, 1..9, with a threshold itself in the upper class.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "wijkbeeld.h"

static int key_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n >= 64)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return 0;
    return 1;
}

WBF_TARGET(model)
{
    wb_model *m = (wb_model *)(uintptr_t)1;
    int r = wb_model_parse(&m, (const char *)data, size, "input");
    wbf_note(r);
    if (r < 0) {
        WBF_CHECK(r == WB_EPARSE, "returned %d", r);
        WBF_CHECK_ERROR(r, "input", 1);
        WBF_CHECK(m == NULL, "a model after an error");
        return 0;
    }
    WBF_CHECK(r == 0 && m, "returned %d", r);
    WBF_CHECK(key_ok(wb_model_name(m)), "name '%s'", wb_model_name(m));
    WBF_CHECK(!strcmp(wb_model_origin(m), "input"), "origin");
    WBF_CHECK((unsigned)wb_model_transform(m) < WB_TRANSFORM__MAX, "transform");
    WBF_CHECK((unsigned)wb_model_aggregate(m) < WB_AGGREGATE__MAX, "aggregate");
    if (wb_model_transform(m) != WB_TRANSFORM_NONE)
        WBF_CHECK(wb_model_base_year(m) >= 1800 && wb_model_base_year(m) <= 2200, "base year %d",
                  wb_model_base_year(m));
    double cov = wb_model_min_coverage(m);
    WBF_CHECK(cov >= 0 && cov <= 1, "min_coverage %g", cov);
    const char *ref = wb_model_reference(m);
    if (ref) {
        char norm[WB_CODE_MAX];
        wb_level lv;
        WBF_CHECK(wb_code_normalize(norm, &lv, ref, strlen(ref), WB_LEVEL__MAX) == 0 &&
                      lv == WB_LEVEL_GEMEENTE && !strcmp(norm, ref),
                  "reference '%s'", ref);
    }

    size_t nd = wb_model_ndims(m), ni = wb_model_nindicators(m);
    WBF_CHECK(nd >= 1 && ni >= nd, "%zu dimensions, %zu indicators", nd, ni);
    size_t per_dim[64] = {0};
    for (size_t d = 0; d < nd; d++) {
        WBF_CHECK(key_ok(wb_model_dim_key(m, d)), "dimension key '%s'", wb_model_dim_key(m, d));
        WBF_CHECK(wb_model_dim_label(m, d) != NULL, "dimension label");
        double w = wb_model_dim_weight(m, d);
        WBF_CHECK(isfinite(w) && w > 0, "dimension weight %g", w);
        for (size_t e = 0; e < d; e++)
            WBF_CHECK(strcmp(wb_model_dim_key(m, d), wb_model_dim_key(m, e)), "dimension twice");
    }
    const char *const *keys = wb_model_keys(m);
    for (size_t i = 0; i < ni; i++) {
        const wb_model_indicator *ind = wb_model_indicator_at(m, i);
        WBF_CHECK(ind->key == keys[i] && key_ok(ind->key), "indicator key '%s'", ind->key);
        WBF_CHECK(ind->dim < nd, "indicator %zu in dimension %zu of %zu", i, ind->dim, nd);
        WBF_CHECK(ind->direction == 1 || ind->direction == -1, "direction %d", ind->direction);
        WBF_CHECK(isfinite(ind->weight) && ind->weight > 0, "weight %g", ind->weight);
        WBF_CHECK(ind->line >= 1 && (size_t)ind->line <= size, "line %d", ind->line);
        for (size_t j = 0; j < i; j++)
            WBF_CHECK(strcasecmp(keys[i], keys[j]), "indicator '%s' twice", keys[i]);
        if (ind->dim < 64)
            per_dim[ind->dim]++;
    }
    WBF_CHECK(keys[ni] == NULL, "keys not NULL-terminated");
    for (size_t d = 0; d < nd && d < 64; d++)
        WBF_CHECK(per_dim[d] >= 1, "dimension %zu without indicators", d);

    if (wb_model_has_classes(m)) {
        /* find the thresholds through classify: class boundaries at a year with an offset of
         * 0 (or without offsets, any year); scan a coarse grid and check monotonicity */
        int last = 0;
        for (double v = -1e6; v <= 1e6; v += 997.0) {
            int k = wb_model_classify(m, v, 2000);
            if (k == 0)
                break; /* offsets without one for 2000 */
            WBF_CHECK(k >= 1 && k <= WB_NCLASSES, "class %d", k);
            WBF_CHECK(k >= last, "classes decrease: %d after %d at %g", k, last, v);
            last = k;
        }
        WBF_CHECK(wb_model_classify(m, NAN, 2000) == 0, "class of NaN");
    } else {
        WBF_CHECK(wb_model_classify(m, 1.0, 2000) == 0, "class without thresholds");
    }
    wb_model_free(m);
    return 0;
}
