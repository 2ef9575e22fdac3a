/** @file @brief Test-only loaders for LBM 2.0 data and the aandachtswijken (see lbm2.h). */
#include <stdlib.h>

#include "score/lbm2.h"

int wbt_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    line[strcspn(line, "\r\n")] = 0;
    while (n < max) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = 0;
        p = c + 1;
    }
    return n;
}

static const char *const lbm_keys[] = {"lbm", "lbm_won", "lbm_soc", "lbm_vrz", "lbm_onv", "lbm_fys"};

void wbt_lbm2_catalogue(wb_store *st)
{
    static const char *const labels[] = {"Leefbaarometer totaal (afwijking)", "woningvoorraad", "bewoners",
                                         "voorzieningen", "veiligheid", "fysieke omgeving"};
    for (int i = 0; i < 6; i++) {
        wb_indicator ind = {0};
        ind.key = (char *)lbm_keys[i];
        ind.label_nl = (char *)labels[i];
        ind.direction = WB_DIR_HIGHER_BETTER;
        ind.source = "Leefbaarometer 2.0";
        WB_PASS(wb_store_indicator_put(st, NULL, &ind));
    }
    wb_indicator k = {0};
    k.key = "lbm_klasse";
    k.direction = WB_DIR_HIGHER_BETTER;
    WB_PASS(wb_store_indicator_put(st, NULL, &k));
}

/* GBD,JAAR,RLBRMTR,RLBWON,RLBBEV,RLBVRZ,RLBVEI,RLBFYS: the column order of lbm_keys */
static size_t load_dims(wb_store *st, const char *path, wb_level level, const int64_t *ids)
{
    FILE *f = fopen(path, "r");
    ASSERT(f);
    char line[1024];
    char *fl[16];
    size_t n = 0;
    ASSERT(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        ASSERT_EQ_I(wbt_split(line, fl, 16), 8);
        int64_t aid;
        WB_PASS(wb_store_area_put(st, &aid, fl[0], 2016, level, NULL, NULL));
        int year = atoi(fl[1]);
        for (int i = 0; i < 6; i++) {
            double v = fl[2 + i][0] ? strtod(fl[2 + i], NULL) : NAN;
            WB_PASS(wb_store_obs_put(st, ids[i], aid, year, v));
            n++;
        }
    }
    fclose(f);
    return n;
}

size_t wbt_lbm2_load(wb_store *st, int with_gemeenten, int with_classes)
{
    const char *wijk = wbt_shared("leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv");
    const char *gem = wbt_shared("leefbaarometer2_minorproject/lbm2_gemeente2016_dimensions_2012_2014_2016.csv");
    const char *cls = wbt_shared("leefbaarometer2_minorproject/lbm2_wijk2016_classes_2002_2016.csv");
    wbt_lbm2_catalogue(st);
    int64_t ids[6], kid;
    for (int i = 0; i < 6; i++)
        WB_PASS(wb_store_indicator_resolve(st, &ids[i], NULL, lbm_keys[i]));
    WB_PASS(wb_store_indicator_resolve(st, &kid, NULL, "lbm_klasse"));
    WB_PASS(wb_store_begin(st));
    size_t n = load_dims(st, wijk, WB_LEVEL_WIJK, ids);
    if (with_gemeenten)
        n += load_dims(st, gem, WB_LEVEL_GEMEENTE, ids);
    if (with_classes) {
        FILE *f = fopen(cls, "r");
        ASSERT(f);
        char line[1024];
        char *fl[20];
        static const int years[] = {2002, 2008, 2012, 2014, 2016};
        ASSERT(fgets(line, sizeof line, f));
        while (fgets(line, sizeof line, f)) {
            ASSERT_EQ_I(wbt_split(line, fl, 20), 16);
            int64_t aid;
            WB_PASS(wb_store_area_put(st, &aid, fl[0], 2016, WB_LEVEL_WIJK, NULL, NULL));
            for (int i = 0; i < 5; i++) {
                char *end;
                double v = strtod(fl[1 + i], &end);
                if (end == fl[1 + i] || *end) /* "#N/A" */
                    v = NAN;
                WB_PASS(wb_store_obs_put(st, kid, aid, years[i], v));
                n++;
            }
        }
        fclose(f);
    }
    WB_PASS(wb_store_commit(st));
    return n;
}

size_t wbt_aandachtswijken_load(wb_store *st)
{
    char path[4096];
    const char *root = getenv("WB_ROOT");
    snprintf(path, sizeof path, "%s/data/aandachtswijken_2007_wijk2016.csv", root ? root : ".");
    FILE *f = fopen(path, "r");
    ASSERT_MSG(f, "cannot open %s", path);
    int64_t core, wide;
    WB_PASS(wb_store_label_set_put(st, &core, "aandachtswijken",
                                   "the 40 aandachtswijken of 2007 on 2016 wijken (exact and approximate matches)"));
    WB_PASS(wb_store_label_set_put(st, &wide, "aandachtswijken_ruim",
                                   "as aandachtswijken, plus the wijken that contain an aandachtswijk but are much larger"));
    char line[2048];
    size_t n = 0;
    ASSERT(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        /* nr,gemeente,gm_code,wijk_naam,wk_codes,match,note: the first six fields have no quotes */
        char *fl[7];
        ASSERT(wbt_split(line, fl, 7) >= 6);
        const char *match = fl[5];
        int in_core = !strcmp(match, "exact") || !strcmp(match, "approx");
        ASSERT(in_core || !strcmp(match, "coarse") || !strcmp(match, "none"));
        if (!strcmp(match, "none"))
            continue;
        for (char *c = strtok(fl[4], ";"); c; c = strtok(NULL, ";")) {
            int64_t aid;
            WB_PASS(wb_store_area_put(st, &aid, c, 2016, WB_LEVEL_WIJK, NULL, NULL));
            WB_PASS(wb_store_label_add(st, wide, aid));
            if (in_core)
                WB_PASS(wb_store_label_add(st, core, aid));
        }
    }
    fclose(f);
    wb_area *m = NULL;
    size_t nm = 0;
    WB_PASS(wb_store_label_members(st, &m, &nm, "aandachtswijken"));
    n = nm;
    wb_areas_free(m, nm);
    return n;
}
