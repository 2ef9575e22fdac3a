/** @file @brief The indicator catalogue: consistency, seeding, resolving column names. */
#include <strings.h>

#include "store/store_internal.h"
#include "test.h"

/* The dimensions of issue 4 (housing, residents, amenities, safety, physical environment,
 * sustainability), in Dutch, one word each so that they can name model dimensions. */
TEST(io_catalog, dimension_vocabulary)
{
    static const char *const want[] = {"wonen", "bewoners", "voorzieningen", "veiligheid", "fysiek",
                                       "duurzaamheid"};
    size_t n;
    const wb_catalog_dimension *d = wb_catalog_dimensions(&n);
    ASSERT_EQ_I(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        ASSERT_EQ_S(d[i].key, want[i]);
        ASSERT(d[i].label_nl && *d[i].label_nl && d[i].label_en && *d[i].label_en);
    }
}

static int is_dimension(const char *key)
{
    size_t n;
    const wb_catalog_dimension *d = wb_catalog_dimensions(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(d[i].key, key))
            return 1;
    return 0;
}

TEST(io_catalog, entries_are_complete_and_aliases_unique)
{
    size_t n;
    const wb_catalog_entry *cat = wb_catalog(&n);
    ASSERT(n > 40);
    /* every alias and key, to check that no name is used twice (case-insensitively) */
    const char *names[1024];
    size_t nn = 0;
    for (size_t i = 0; i < n; i++) {
        const wb_catalog_entry *e = &cat[i];
        ASSERT(e->key && e->label_nl && e->label_en && e->unit && e->source);
        char sk[64];
        WB_PASS(wb_key_sanitize(sk, e->key));
        ASSERT_EQ_S(sk, e->key); /* keys are already in their sanitised form */
        ASSERT(e->direction >= -1 && e->direction <= 1);
        if (e->dimension)
            ASSERT_MSG(is_dimension(e->dimension), "%s: unknown dimension '%s'", e->key, e->dimension);
        ASSERT(wb_catalog_find(e->key) == e);
        /* aliases are listed comma-separated by 'indicators': none may contain a comma */
        ASSERT_MSG(!e->aliases || !strchr(e->aliases, ','), "%s: an alias with a comma", e->key);
        names[nn++] = e->key;
    }
    static char aliasbuf[16384];
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        for (const char *a = cat[i].aliases; a && *a;) {
            const char *bar = strchr(a, '|');
            size_t len = bar ? (size_t)(bar - a) : strlen(a);
            ASSERT(len > 0 && used + len + 1 < sizeof aliasbuf && nn < 1024);
            memcpy(aliasbuf + used, a, len);
            aliasbuf[used + len] = 0;
            names[nn++] = aliasbuf + used;
            used += len + 1;
            a += len + (bar ? 1 : 0);
        }
    }
    for (size_t i = 0; i < nn; i++)
        for (size_t k = i + 1; k < nn; k++)
            ASSERT_MSG(strcasecmp(names[i], names[k]) != 0, "'%s' is used twice", names[i]);
    /* the shared vocabulary of BRIEF.md is there */
    static const char *const brief[] = {
        "lbm", "lbm_won", "lbm_fys", "lbm_vrz", "lbm_soc", "lbm_onv", "lbm_klasse", "a_inw",
        "a_hh", "a_woning", "bev_dich", "g_woz", "p_koopw", "p_huurw", "p_wcorpw", "g_ink_pi",
        "p_hh_li", "a_soz_wb", "p_soz_wb", "g_misdr", "g_ele", "g_gas", "p_stadsv", "g_afs_hp",
        "g_afs_gs", "a_w_all", "a_nw_all", "p_opl_laag", "p_opl_mid", "p_opl_hoog", "ses_woa"};
    for (size_t b = 0; b < sizeof brief / sizeof brief[0]; b++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found |= !strcmp(cat[i].key, brief[b]);
        ASSERT_MSG(found, "key %s missing from the catalogue", brief[b]);
    }
}

TEST(io_catalog, seeding_is_idempotent)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_catalog_seed(st));
    WB_PASS(wb_store_commit(st));
    size_t n, ncat;
    wb_catalog(&ncat);
    wb_indicator *inds = NULL;
    WB_PASS(wb_store_indicators(st, &inds, &n));
    ASSERT_EQ_I(n, ncat);
    wb_indicators_free(inds, n);
    /* a second seeding changes no row at all */
    sqlite3 *db = wb_store__db(st);
    int before = sqlite3_total_changes(db);
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_catalog_seed(st));
    WB_PASS(wb_store_commit(st));
    ASSERT_EQ_I(sqlite3_total_changes(db), before);
    wb_store_free(st);
}

/* wb_catalog_ensure: a built-in entry is added with its aliases when missing, an existing
 * entry is left as it is, a key that is not built in is refused. */
TEST(io_catalog, ensure_adds_only_what_is_missing)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    wb_indicator own = {0};
    own.key = "lbm";
    own.label_nl = "eigen label";
    int64_t own_id, id;
    WB_PASS(wb_store_indicator_put(st, &own_id, &own));
    WB_PASS(wb_catalog_ensure(st, &id, "lbm"));
    ASSERT_EQ_I(id, own_id);
    WB_PASS(wb_catalog_ensure(st, &id, "g_woz"));
    int64_t via_alias;
    WB_PASS(wb_store_indicator_resolve(st, &via_alias, NULL, "GemiddeldeWOZWaardeVanWoningen"));
    ASSERT_EQ_I(via_alias, id);
    WB_FAILS(WB_ENOTFOUND, wb_catalog_ensure(st, &id, "no_such_key"));
    ASSERT(strstr(wb_error_last()->message, "no_such_key") != NULL);
    wb_indicator *inds = NULL;
    size_t n;
    WB_PASS(wb_store_indicators(st, &inds, &n));
    ASSERT_EQ_I(n, 2);
    const wb_catalog_entry *e = wb_catalog_find("g_woz");
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(inds[i].key, "lbm")) {
            ASSERT_EQ_S(inds[i].label_nl, "eigen label");
            continue;
        }
        ASSERT_EQ_S(inds[i].key, "g_woz");
        ASSERT_EQ_S(inds[i].label_nl, e->label_nl);
        ASSERT_EQ_S(inds[i].unit, e->unit);
        ASSERT_EQ_S(inds[i].dimension, e->dimension);
        ASSERT_EQ_I(inds[i].direction, e->direction);
    }
    wb_indicators_free(inds, n);
    wb_store_free(st);
}

TEST(io_catalog, column_names_of_different_years_resolve_to_one_key)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    WB_PASS(wb_catalog_seed(st));
    static const struct {
        const char *header, *key;
    } cases[] = {
        {"a_inw", "a_inw"},
        {"aant_inw", "a_inw"},
        {"AANT_INW", "a_inw"},
        {"AantalInwoners_5", "a_inw"},
        {"Aantal inwoners (aantal)", "a_inw"},
        {"Bevolking/Aantal inwoners (aantal)", "a_inw"},
        {"woz", "g_woz"},
        {"GemiddeldeWOZWaardeVanWoningen_35", "g_woz"},
        {"GemiddeldeWOZWaardeVanWoningen_39", "g_woz"},
        {"GemiddeldeWoningwaarde_35", "g_woz"},
        {"ink_inw", "g_ink_pi"},
        {"GemiddeldInkomenPerInwoner_83", "g_ink_pi"},
        {"p_00_14_jr", "p_00_14"},
        {"BevolkingsdichtheidInwonersPerKm2", "bev_dich"},
        {"Bevolkingsdichtheid_34", "bev_dich"},
        {"Woningvoorraad_35", "a_woning"},
        {"Particuliere huishoudens (Aantal)", "a_hh"},
        {"Opleidingsniveau/Laag/Waarde (%)", "p_opl_laag"},
        {"SES-WOA/Totaalscore/Gemiddelde score (Getal)", "ses_woa"},
        {"Spreiding/Spreiding totaal/Waarde (Getal)", "ses_woa_spreiding"},
        {"RLBRMTR", "lbm"},
        {"RLBBEV", "lbm_soc"},
        {"RLBVEI", "lbm_onv"},
        {"InBezitWoningcorporatie_49", "p_wcorpw"},
        {"A-INW", "a_inw"}, /* through its sanitised form */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t id;
        char key[64];
        int r = wb_catalog_resolve(st, &id, key, cases[i].header);
        ASSERT_MSG(r == 0, "'%s' did not resolve", cases[i].header);
        ASSERT_EQ_S(key, cases[i].key);
    }
    int64_t id;
    WB_FAILS(WB_ENOTFOUND, wb_catalog_resolve(st, &id, NULL, "NieuwbouwWoningen_36"));
    WB_FAILS(WB_ENOTFOUND, wb_catalog_resolve(st, &id, NULL, "p_00"));
    wb_store_free(st);
}

TEST(io_catalog, keys_for_new_columns_are_sanitised)
{
    static const struct {
        const char *header, *key;
    } cases[] = {
        {"NieuwbouwWoningen_36", "nieuwbouw_woningen"},
        {"Opleidingsniveau/Laag/Waarde (%)", "opleidingsniveau_laag_waarde"},
        {"\xC3\x89\xC3\xA9n caf\xC3\xA9!", "een_cafe"},
        {"2019 score", "c_2019_score"},
        {"  a  b  ", "a_b"},
        {"p_00_14", "p_00_14"},
        {"k_0Tot15Jaar_8", "k_0_tot15_jaar"},
    };
    char key[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WB_PASS(wb_key_sanitize(key, cases[i].header));
        ASSERT_EQ_S(key, cases[i].key);
    }
    WB_FAILS(WB_EINVALID, wb_key_sanitize(key, "%%% (x)"));
    char longname[300];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    WB_PASS(wb_key_sanitize(key, longname));
    ASSERT_EQ_I(strlen(key), 63);
}
