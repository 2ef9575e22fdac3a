/** @file @brief The theme map: format, errors with file and line, matching to dimensions, and
 *  the shipped models/themes.map against the shipped models. */
#include <stdlib.h>

#include "effort/efix.h"

static wb_model *model_text(const char *name)
{
    char text[512];
    snprintf(text, sizeof text,
             "[model]\nname = %s\ntransform = none\n[dimension won]\nindicator lbm_won direction=+\n"
             "[dimension onv]\nindicator lbm_onv direction=+\nindicator g_misdr direction=-\n"
             "[dimension soc]\nindicator lbm_soc direction=+\n",
             name);
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "x.model"));
    return m;
}

TEST(effort_themes, parse_and_match)
{
    const char *text = "\xEF\xBB\xBF# comment\n\n"
                       "Veiligheid = g_misdr   # an indicator of dimension onv\n"
                       "wonen=won,x:soc\n"
                       "meedoen en participatie = lbm:soc\n"
                       "jeugd = p_opl_laag\n";
    wb_theme_map *tm = NULL;
    WB_PASS(wb_theme_map_parse(&tm, text, strlen(text), "t.map"));
    ASSERT_EQ_I(wb_theme_map_count(tm), 4);
    ASSERT_EQ_S(wb_theme_map_theme(tm, 2), "meedoen en participatie");
    wb_model *lbm = model_text("lbm"), *x = model_text("x");
    unsigned char hit[3];
    ASSERT_EQ_I(wb_theme_map_dims(tm, "veiligheid", lbm, hit), 1); /* any case */
    ASSERT(!hit[0] && hit[1] && !hit[2]);
    ASSERT_EQ_I(wb_theme_map_dims(tm, "wonen", lbm, hit), 1); /* dimension key; x:soc is another model's */
    ASSERT(hit[0] && !hit[1] && !hit[2]);
    ASSERT_EQ_I(wb_theme_map_dims(tm, "wonen", x, hit), 1);
    ASSERT(hit[0] && !hit[1] && hit[2]);
    ASSERT_EQ_I(wb_theme_map_dims(tm, "meedoen en participatie", x, hit), 1);
    ASSERT(!hit[0] && !hit[1] && !hit[2]);
    ASSERT_EQ_I(wb_theme_map_dims(tm, "jeugd", lbm, hit), 1); /* listed, reaches nothing here */
    ASSERT(!hit[0] && !hit[1] && !hit[2]);
    ASSERT_EQ_I(wb_theme_map_dims(tm, "armoede en schulden", lbm, hit), 0);
    ASSERT_EQ_I(wb_theme_map_lists(tm, "VEILIGHEID", "G_MISDR"), 1);
    ASSERT_EQ_I(wb_theme_map_lists(tm, "veiligheid", "lbm_onv"), 0);
    wb_model_free(lbm);
    wb_model_free(x);
    wb_theme_map_free(tm);
}

static void fails(const char *text, const char *want)
{
    wb_theme_map *tm = NULL;
    WB_FAILS(WB_EPARSE, wb_theme_map_parse(&tm, text, strlen(text), "bad.map"));
    ASSERT(tm == NULL);
    ASSERT_MSG(strstr(wb_error_last()->message, want), "message '%s' lacks '%s'", wb_error_last()->message, want);
}

TEST(effort_themes, errors_name_file_and_line)
{
    fails("veiligheid = g_misdr\nwonen g_woz\n", "bad.map:2: expected 'THEME = TOKEN ...', got 'wonen g_woz'");
    fails("# x\n = g_misdr\n", "bad.map:2: expected a theme name before '='");
    fails("jeugd =   # nothing\n", "bad.map:1: theme 'jeugd': expected at least one");
    fails("jeugd = p_opl$laag\n", "bad.map:1:14: expected an indicator key");
    fails("jeugd = a:b:c\n", "bad.map:1:9: expected KEY or MODEL:DIMENSION, got 'a:b:c'");
    fails("jeugd = :soc\n", "expected KEY or MODEL:DIMENSION");
    fails("jeugd = x\nwonen = y\nJeugd = z\n", "bad.map:3: theme 'Jeugd' is already listed on line 1");
    fails("a\tb = x\n", "bad.map:1:2: expected a theme name without control characters");
    char nul[] = "jeugd = x\nwo\0nen = y\n";
    wb_theme_map *tm = NULL;
    WB_FAILS(WB_EPARSE, wb_theme_map_parse(&tm, nul, sizeof nul - 1, "bad.map"));
    ASSERT(strstr(wb_error_last()->message, "bad.map:2: expected text, got a NUL byte"));
    WB_FAILS(WB_ENOTFOUND, wb_theme_map_load(&tm, wbt_tmp("missing.map")));
}

/* The shipped map: parses, lists every built-in theme of the register (and nothing else), and
 * each theme reaches a dimension of the shipped lbm or kwb model. */
TEST(effort_themes, shipped_map_fits_the_shipped_models)
{
    const char *root = getenv("WB_ROOT");
    if (!root)
        SKIP("WB_ROOT not set (run through make test)");
    char path[4096];
    snprintf(path, sizeof path, "%s/models/themes.map", root);
    wb_theme_map *tm = NULL;
    WB_PASS(wb_theme_map_load(&tm, path));
    static const char *const builtin[] = {"veiligheid", "sociale menging en segregatie", "verduurzaming en energie",
                                          "armoede en schulden", "jeugd", "gezondheid", "wonen", "openbare ruimte",
                                          "meedoen en participatie"};
    wb_model *m[2] = {NULL, NULL};
    const char *names[2] = {"lbm", "kwb"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/models/%s.model", root, names[k]);
        WB_PASS(wb_model_load(&m[k], path));
    }
    unsigned char hit[16];
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
        ASSERT_MSG(wb_theme_map_dims(tm, builtin[i], m[0], hit) == 1, "theme '%s' missing from themes.map", builtin[i]);
        /* every theme reaches a dimension in at least one shipped model */
        int any = 0;
        for (int k = 0; k < 2; k++) {
            wb_theme_map_dims(tm, builtin[i], m[k], hit);
            for (size_t d = 0; d < wb_model_ndims(m[k]); d++)
                any |= hit[d];
        }
        ASSERT_MSG(any, "theme '%s' reaches no dimension of lbm or kwb", builtin[i]);
    }
    ASSERT_EQ_I(wb_theme_map_count(tm), sizeof builtin / sizeof builtin[0]);
    /* the lbm dimension of the demo's planted gap (lbm_soc, dimension bewoners) is reached by
     * the theme the demo's residents ask for (meedoen en participatie) */
    wb_theme_map_dims(tm, "meedoen en participatie", m[0], hit);
    for (size_t d = 0; d < wb_model_ndims(m[0]); d++)
        ASSERT_EQ_I(hit[d], !strcmp(wb_model_dim_key(m[0], d), "bewoners"));
    wb_model_free(m[0]);
    wb_model_free(m[1]);
    wb_theme_map_free(tm);
}
