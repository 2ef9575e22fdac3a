/** @file @brief The score model parser: good models, the shipped models, and malformed
 *  models whose messages must name the file and line. */
#include <stdlib.h>

#include "test.h"

static const char good[] =
    "# a test model\n"
    "[model]\n"
    "name = test\n"
    "title = Test model  # trailing comment\n"
    "transform = z\n"
    "reference = gm0363\n"
    "base_year = 2012\n"
    "aggregate = sum\n"
    "min_coverage = 0.75\n"
    "\n"
    "[dimension wonen]\n"
    "label = wonen\n"
    "weight = 2\n"
    "indicator g_woz direction=+ weight=1.5\n"
    "indicator p_huurw direction=-\n"
    "[dimension veiligheid]\n"
    "indicator g_misdr direction=higher_worse\n"
    "[classes]\n"
    "thresholds = -2, -1.5 -1 -0.5 0 0.5 1 1.5\n"
    "offset 2012 = 0.25\n";

TEST(score_model, parses_a_good_model)
{
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, good, strlen(good), "good.model"));
    ASSERT_EQ_S(wb_model_name(m), "test");
    ASSERT_EQ_S(wb_model_title(m), "Test model");
    ASSERT_EQ_I(wb_model_transform(m), WB_TRANSFORM_Z);
    ASSERT_EQ_I(wb_model_aggregate(m), WB_AGGREGATE_SUM);
    ASSERT_EQ_S(wb_model_reference(m), "GM0363");
    ASSERT_EQ_I(wb_model_base_year(m), 2012);
    ASSERT_CLOSE(wb_model_min_coverage(m), 0.75, 0);
    ASSERT_EQ_I(wb_model_ndims(m), 2);
    ASSERT_EQ_S(wb_model_dim_key(m, 1), "veiligheid");
    ASSERT_EQ_S(wb_model_dim_label(m, 1), "veiligheid"); /* no label: the key */
    ASSERT_CLOSE(wb_model_dim_weight(m, 0), 2, 0);
    ASSERT_CLOSE(wb_model_dim_weight(m, 1), 1, 0);
    ASSERT_EQ_I(wb_model_nindicators(m), 3);
    const wb_model_indicator *i0 = wb_model_indicator_at(m, 0), *i1 = wb_model_indicator_at(m, 1),
                             *i2 = wb_model_indicator_at(m, 2);
    ASSERT_EQ_S(i0->key, "g_woz");
    ASSERT_EQ_I(i0->direction, 1);
    ASSERT_CLOSE(i0->weight, 1.5, 0);
    ASSERT_EQ_I(i0->line, 14);
    ASSERT_EQ_I(i1->direction, -1);
    ASSERT_CLOSE(i1->weight, 1, 0);
    ASSERT_EQ_I(i2->dim, 1);
    ASSERT_EQ_I(i2->direction, -1);
    ASSERT_EQ_S(wb_model_keys(m)[2], "g_misdr");
    ASSERT(wb_model_has_classes(m));
    wb_model_free(m);
}

TEST(score_model, classes_use_thresholds_offsets_and_labels)
{
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, good, strlen(good), "good.model"));
    /* thresholds -2 -1.5 -1 -0.5 0 0.5 1 1.5 on score + 0.25 in 2012 */
    ASSERT_EQ_I(wb_model_classify(m, -3, 2012), 1);
    ASSERT_EQ_I(wb_model_classify(m, -2.25, 2012), 2);  /* -2 exactly: the higher class */
    ASSERT_EQ_I(wb_model_classify(m, -2.2501, 2012), 1);
    ASSERT_EQ_I(wb_model_classify(m, -0.25, 2012), 6);  /* 0 exactly */
    ASSERT_EQ_I(wb_model_classify(m, 0.3, 2012), 7);    /* 0.55 */
    ASSERT_EQ_I(wb_model_classify(m, 5, 2012), 9);
    ASSERT_EQ_I(wb_model_classify(m, 0, 2014), 0);      /* no offset for 2014: no class */
    ASSERT_EQ_I(wb_model_classify(m, NAN, 2012), 0);
    wb_model_free(m);
    ASSERT_EQ_S(wb_class_label(1), "zeer onvoldoende");
    ASSERT_EQ_S(wb_class_label(4), "zwak");
    ASSERT_EQ_S(wb_class_label(6), "ruim voldoende");
    ASSERT_EQ_S(wb_class_label(9), "uitstekend");
    ASSERT(wb_class_label(0) == NULL && wb_class_label(10) == NULL);
}

static const char *root_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("WB_ROOT");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}

TEST(score_model, shipped_models_parse)
{
    wb_model *m = NULL;
    WB_PASS(wb_model_load(&m, root_path("models/lbm.model")));
    ASSERT_EQ_S(wb_model_name(m), "lbm");
    ASSERT_EQ_I(wb_model_ndims(m), 5);
    ASSERT_EQ_I(wb_model_nindicators(m), 5);
    ASSERT_EQ_I(wb_model_transform(m), WB_TRANSFORM_NONE);
    ASSERT_EQ_I(wb_model_aggregate(m), WB_AGGREGATE_SUM);
    wb_model_free(m);
    WB_PASS(wb_model_load(&m, root_path("models/kwb.model")));
    ASSERT_EQ_S(wb_model_name(m), "kwb");
    ASSERT_EQ_I(wb_model_ndims(m), 6);
    ASSERT_EQ_I(wb_model_transform(m), WB_TRANSFORM_Z);
    ASSERT(wb_model_reference(m) == NULL); /* the nation */
    wb_model_free(m);
}

/* One dimension vocabulary: every [dimension NAME] of a shipped model is a catalogue
 * dimension, and each indicator sits in the dimension the catalogue gives it. */
TEST(score_model, shipped_models_use_the_catalogue_dimensions)
{
    static const char *const models[] = {"models/lbm.model", "models/kwb.model"};
    size_t nd;
    const wb_catalog_dimension *dims = wb_catalog_dimensions(&nd);
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
        wb_model *m = NULL;
        WB_PASS(wb_model_load(&m, root_path(models[k])));
        for (size_t d = 0; d < wb_model_ndims(m); d++) {
            int known = 0;
            for (size_t v = 0; v < nd; v++)
                known |= !strcmp(wb_model_dim_key(m, d), dims[v].key);
            ASSERT_MSG(known, "%s: dimension '%s' is not in the catalogue's vocabulary", models[k],
                       wb_model_dim_key(m, d));
        }
        for (size_t i = 0; i < wb_model_nindicators(m); i++) {
            const wb_model_indicator *mi = wb_model_indicator_at(m, i);
            const wb_catalog_entry *e = wb_catalog_find(mi->key);
            ASSERT_MSG(e != NULL, "%s: %s is not a built-in indicator", models[k], mi->key);
            ASSERT_MSG(e->dimension && !strcmp(e->dimension, wb_model_dim_key(m, mi->dim)),
                       "%s: %s is in dimension '%s', the catalogue says '%s'", models[k], mi->key,
                       wb_model_dim_key(m, mi->dim), e->dimension ? e->dimension : "(none)");
        }
        wb_model_free(m);
    }
}

/* Each malformed model must fail with "bad.model:LINE:" and a message saying what was expected. */
TEST(score_model, malformed_models_name_file_and_line)
{
    static const struct {
        const char *text;
        int line;
        const char *fragment;
    } cases[] = {
        {"[model]\nfoo = 1\n", 2, "unknown key 'foo' in [model]"},
        {"name = x\n", 1, "before any section"},
        {"[model]\n[dimensions a]\n", 2, "unknown section [dimensions a]"},
        {"[model]\n[dimension a\n", 2, "expected ']'"},
        {"[model]\n[dimension a]\nindicator x weight=1\n", 3, "direction=+ or direction=- is required"},
        {"[model]\n[dimension a]\nindicator x direction=up\n", 3, "expected + (higher is better)"},
        {"[model]\n[dimension a]\nindicator x direction=+ weight=-1\n", 3, "weight: expected a number above 0"},
        {"[model]\n[dimension a]\nindicator x direction=+ weight=abc\n", 3, "expected a number, got 'abc'"},
        {"[model]\n[dimension a]\nindicator x direction=+ colour=red\n", 3, "unknown attribute 'colour'"},
        {"[model]\n[dimension a]\nindicator x direction=+\nindicator x direction=-\n", 4,
         "indicator 'x' already used on line 3"},
        {"[model]\n[dimension a]\nindicator x direction=+\n[dimension a]\n", 4, "dimension 'a' already defined on line 2"},
        {"[model]\nindicator x direction=+\n", 2, "'indicator' outside a [dimension NAME] section"},
        {"[model]\ntransform = pca\n", 2, "transform: expected none, z, rank_normal or rank_exp"},
        {"[model]\nreference = Amsterdam\n", 2, "expected 'nation' or a gemeente code"},
        {"[model]\nreference = WK036300\n", 2, "expected 'nation' or a gemeente code"},
        {"[model]\nbase_year = 12\n", 2, "base_year: expected a year from 1800 to 2200"},
        {"[model]\naggregate = max\n", 2, "aggregate: expected mean or sum"},
        {"[model]\nmin_coverage = 1.5\n", 2, "min_coverage: expected a share from 0 to 1"},
        {"[model]\nname = a\nname = b\n", 3, "'name' was already set on line 2"},
        {"[model]\n[dimension a]\nindicator x direction=+\n[classes]\nthresholds = 1 2 3\n", 5, "expected 8 numbers"},
        {"[model]\n[dimension a]\nindicator x direction=+\n[classes]\nthresholds = 1 2 3 4 5 6 8 7\n", 5,
         "expected increasing numbers"},
        {"[model]\n[dimension a]\nindicator x direction=+\n[classes]\noffset 20x = 1\n", 5, "offset: expected a year"},
        {"[model]\n[dimension a]\nindicator x direction=+\n[classes]\nlimits = 1\n", 5, "unknown key 'limits' in [classes]"},
        {"[model]\njust some words\n", 2, "expected 'key = value'"},
        {"[model]\ntitle =\n", 2, "missing value after 'title ='"},
        {"[model]\nname = x\n", 2, "no [dimension NAME] section"},
        {"[model]\n[dimension a]\nlabel = A\n[dimension b]\nindicator x direction=+\n", 2,
         "dimension 'a' has no indicator lines"},
        {"[model]\ntransform = z\n[dimension a]\nindicator x direction=+\n", 2, "set base_year = YEAR"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_model *m = NULL;
        int rc = wb_model_parse(&m, cases[i].text, strlen(cases[i].text), "bad.model");
        ASSERT_MSG(rc == WB_EPARSE, "case %zu: returned %d, expected WB_EPARSE", i, rc);
        ASSERT(m == NULL);
        char want[64];
        snprintf(want, sizeof want, "bad.model:%d: ", cases[i].line);
        const char *msg = wb_error_last()->message;
        ASSERT_MSG(!strncmp(msg, want, strlen(want)), "case %zu: message '%s' does not start with '%s'", i, msg, want);
        ASSERT_MSG(strstr(msg, cases[i].fragment), "case %zu: message '%s' lacks '%s'", i, msg, cases[i].fragment);
    }
}

TEST(score_model, unknown_indicator_names_file_and_line_and_aliases_resolve)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_indicator ind = {0};
    ind.key = "g_woz";
    WB_PASS(wb_store_indicator_put(st, NULL, &ind));
    WB_PASS(wb_store_alias_put(st, "woz", "g_woz"));
    static const char text[] = "[model]\n[dimension a]\nindicator woz direction=+\n\nindicator g_wozz direction=+\n";
    wb_model *m = NULL;
    WB_PASS(wb_model_parse(&m, text, strlen(text), "x.model"));
    WB_FAILS(WB_ENOTFOUND, wb_model_resolve(m, st));
    ASSERT(strstr(wb_error_last()->message, "x.model:5: unknown indicator 'g_wozz'") != NULL);
    wb_model_free(m);
    static const char ok[] = "[model]\n[dimension a]\nindicator WOZ direction=+\n";
    WB_PASS(wb_model_parse(&m, ok, strlen(ok), "y.model"));
    WB_PASS(wb_model_resolve(m, st));
    ASSERT_EQ_S(wb_model_indicator_at(m, 0)->key, "g_woz");
    ASSERT_EQ_S(wb_model_keys(m)[0], "g_woz");
    wb_model_free(m);
    /* an alias and its key are the same indicator */
    static const char dup[] = "[model]\n[dimension a]\nindicator woz direction=+\nindicator g_woz direction=-\n";
    WB_PASS(wb_model_parse(&m, dup, strlen(dup), "z.model"));
    WB_FAILS(WB_EPARSE, wb_model_resolve(m, st));
    ASSERT(strstr(wb_error_last()->message, "z.model:4:") != NULL);
    wb_model_free(m);
    wb_store_free(st);
}

TEST(score_model, missing_file_is_not_found)
{
    wb_model *m = NULL;
    WB_FAILS(WB_ENOTFOUND, wb_model_load(&m, wbt_tmp("nope.model")));
    ASSERT(strstr(wb_error_last()->message, "nope.model") != NULL);
}
