/**
 * @file
 * @brief Fuzz target: the theme map, the configuration file models/themes.map
 * (wb_theme_map_parse, src/collab/themes_map.c).
 *
 * Input: the file's text.
 * Invariants:
 *  - an error is WB_EPARSE with "input:LINE: ..." (UTF-8), and no map;
 *  - a map has themes of 1..100 bytes of UTF-8, unique ignoring case; each is found again by
 *    wb_theme_map_dims (also in another case) against a small model, which sets flags only
 *    for that model's dimensions; a name that is not a theme is not found and sets none;
 *    wb_theme_map_lists of a key implies the theme is in the map.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "wijkbeeld.h"

static wb_model *model;

static const char model_text[] = "[model]\nname = fuzz\ntransform = none\naggregate = sum\n\n"
                                 "[dimension veiligheid]\nindicator lbm_onv direction=+ weight=1\n\n"
                                 "[dimension wonen]\nindicator g_woz direction=+ weight=1\n"
                                 "indicator lbm_won direction=+ weight=1\n";

WBF_TARGET(themes)
{
    if (!model)
        WBF_CHECK(wb_model_parse(&model, model_text, sizeof model_text - 1, "fuzz.model") == 0, "model");
    wb_theme_map *tm = (wb_theme_map *)(uintptr_t)1;
    int r = wb_theme_map_parse(&tm, (const char *)data, size, "input");
    wbf_note(r);
    if (r < 0) {
        WBF_CHECK(r == WB_EPARSE, "unexpected error %d", r);
        WBF_CHECK(tm == NULL, "a map after an error");
        WBF_CHECK_ERROR(r, "input", 1);
        wb_error_clear();
        return 0;
    }
    size_t n = wb_theme_map_count(tm), nd = wb_model_ndims(model);
    unsigned char hit[16];
    WBF_CHECK(nd <= sizeof hit, "model too big");
    for (size_t i = 0; i < n; i++) {
        const char *t = wb_theme_map_theme(tm, i);
        size_t len = strlen(t);
        WBF_CHECK(len >= 1 && len <= 100, "theme %zu of %zu bytes", i, len);
        WBF_CHECK(wbf_utf8_valid(t, len), "theme %zu not UTF-8", i);
        for (size_t k = 0; k < i; k++)
            WBF_CHECK(strcasecmp(t, wb_theme_map_theme(tm, k)), "theme '%s' twice", t);
        memset(hit, 0xAA, sizeof hit);
        WBF_CHECK(wb_theme_map_dims(tm, t, model, hit) == 1, "theme '%s' not found", t);
        for (size_t d = 0; d < nd; d++)
            WBF_CHECK(hit[d] == 0 || hit[d] == 1, "flag %zu is %d", d, hit[d]);
        char *upper = wb_strdup(t);
        WBF_CHECK(upper, "out of memory");
        for (char *p = upper; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        WBF_CHECK(wb_theme_map_dims(tm, upper, model, hit) == 1, "theme '%s' not found in upper case", upper);
        wb_free(upper);
    }
    /* a name no theme can have (themes hold no control bytes) */
    memset(hit, 0xAA, sizeof hit);
    WBF_CHECK(wb_theme_map_dims(tm, "\x01", model, hit) == 0, "a theme '\\x01'");
    for (size_t d = 0; d < nd; d++)
        WBF_CHECK(hit[d] == 0, "flags set for a theme not in the map");
    WBF_CHECK(!wb_theme_map_lists(tm, "\x01", "lbm_onv"), "a theme '\\x01' lists a key");
    wb_theme_map_free(tm);
    return 0;
}
