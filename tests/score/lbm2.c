/** @file @brief The score module on real data: the lbm model against the published LBM 2.0
 *  totals and classes, the aandachtswijken match file against the 2016 wijk layer, and the
 *  compare command on the aandachtswijken (needs ../shared/data; SKIPs without it). The data
 *  come in through the importers (wb_import_lbm, wb_import_labels), as 'import lbm' and
 *  'import labels' would load them. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>

#include "cli/doc_tables.h"

#define LBM2 "leefbaarometer2_minorproject/"

static const char *root_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("WB_ROOT");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}

/* The LBM 2.0 wijk scores (2012/2014/2016 on 2016 wijken), optionally the gemeente scores and
 * the wijk classes 2002-2016, through the LBM importer. */
static void import_lbm2(wb_store *st, int with_gemeenten, int with_classes)
{
    const char *files[3] = {LBM2 "lbm2_wijk2016_dimensions_2012_2014_2016.csv",
                            with_gemeenten ? LBM2 "lbm2_gemeente2016_dimensions_2012_2014_2016.csv" : NULL,
                            with_classes ? LBM2 "lbm2_wijk2016_classes_2002_2016.csv" : NULL};
    for (int i = 0; i < 3; i++) {
        if (!files[i])
            continue;
        wb_import_stats s;
        WB_PASS(wb_import_lbm(st, &s, wbt_shared(files[i]), NULL));
        ASSERT_EQ_I(s.boundary_year, 2016);
    }
}

/* The 40 aandachtswijken of 2007 through 'import labels' with the hand-made match file:
 * "aandachtswijken" (exact and approximate matches) and "aandachtswijken_ruim" (also the
 * coarse ones). @return the members of the first. */
static size_t import_aandachtswijken(wb_store *st)
{
    char policy[4096], match[4096];
    snprintf(policy, sizeof policy, "%s", wbt_shared("policy_areas/aandachtswijken_40_bcfv_2007.csv"));
    snprintf(match, sizeof match, "%s", root_path("data/aandachtswijken_2007_wijk2016.csv"));
    wb_label_opts o = WB_LABEL_OPTS_INIT;
    o.year = 2016;
    o.match_file = match;
    wb_label_result res = WB_LABEL_RESULT_INIT;
    WB_PASS(wb_import_labels(st, &res, policy, "aandachtswijken_ruim", &o));
    ASSERT_EQ_I(res.matched, 40);
    wb_label_result_dispose(&res);
    o.match_quality = "exact,approx";
    WB_PASS(wb_import_labels(st, &res, policy, "aandachtswijken", &o));
    size_t n = res.members;
    wb_label_result_dispose(&res);
    return n;
}

static wb_model *lbm_model(wb_store *st)
{
    wb_model *m = NULL;
    WB_PASS(wb_model_load(&m, root_path("models/lbm.model")));
    WB_PASS(wb_model_resolve(m, st));
    return m;
}

/* Load the wijk panel of the lbm model's indicators plus the published total (and classes). */
static wb_panel *lbm_panel(wb_store *st, const wb_model *m, int with_classes)
{
    const char *keys[8];
    size_t n = wb_model_nindicators(m);
    memcpy(keys, wb_model_keys(m), n * sizeof *keys);
    keys[n++] = "lbm";
    if (with_classes)
        keys[n++] = "lbm_klasse";
    wb_panel_opts o = WB_PANEL_OPTS_INIT;
    o.level = WB_LEVEL_WIJK;
    wb_panel *p = NULL;
    WB_PASS(wb_panel_load(&p, st, keys, n, &o));
    return p;
}

/* Issue #4: the lbm model must reproduce RLBRMTR for every wijk and year within 1e-9.
 * (In the file the sum of the five dimensions differs from RLBRMTR by at most 7.4e-14.) */
TEST(score_lbm2, lbm_model_equals_rlbrmtr_for_every_wijk_and_year)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    import_lbm2(st, 0, 0);
    wb_model *m = lbm_model(st);
    wb_panel *p = lbm_panel(st, m, 0);
    ASSERT_EQ_I(wb_panel_nareas(p), 2962);
    ASSERT_EQ_I(wb_panel_nyears(p), 3);
    wb_scorer *s = NULL;
    wb_scores r = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    WB_PASS(wb_scorer_run(&r, s, 0));
    long klbm = wb_panel_find_key(p, "lbm");
    size_t compared = 0, missing = 0;
    double worst = 0;
    for (size_t t = 0; t < r.nyears; t++) {
        for (size_t a = 0; a < r.nareas; a++) {
            double pub = wb_panel_get(p, a, t, (size_t)klbm), sc = r.score[t * r.nareas + a];
            if (isnan(pub)) {
                ASSERT_MSG(isnan(sc), "%s %d: score %g without a published total", wb_panel_code(p, a),
                           wb_panel_year(p, t), sc);
                missing++;
                continue;
            }
            ASSERT_MSG(!isnan(sc), "%s %d: no score", wb_panel_code(p, a), wb_panel_year(p, t));
            double d = fabs(sc - pub);
            if (d > worst)
                worst = d;
            ASSERT_MSG(d <= 1e-9, "%s %d: score %.17g, RLBRMTR %.17g", wb_panel_code(p, a), wb_panel_year(p, t), sc, pub);
            ASSERT_CLOSE(r.coverage[t * r.nareas + a], 1, 0);
            compared++;
        }
    }
    ASSERT_EQ_I(compared, 8483); /* 8,886 rows minus the 403 empty ones (SOURCES.md) */
    ASSERT_EQ_I(missing, 403);
    ASSERT(worst <= 1e-9);
    wb_scores_dispose(&r);
    wb_scorer_free(s);
    wb_panel_free(p);
    wb_model_free(m);
    wb_store_free(st);
}

/* The model's classes (thresholds on national level + deviation, docs/models.md) against the
 * published KL12/KL14/KL16. Tolerance: at least 99.5% the same class, and never more than
 * one class apart (the national levels are published to 4 decimals, so wijken within
 * 0.0001 of a boundary can fall either way). */
TEST(score_lbm2, lbm_classes_agree_with_the_published_classes)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, ":memory:", WB_STORE_CREATE));
    import_lbm2(st, 0, 1);
    wb_model *m = lbm_model(st);
    wb_panel *p = lbm_panel(st, m, 1);
    wb_scorer *s = NULL;
    wb_scores r = WB_SCORES_INIT;
    WB_PASS(wb_scorer_new(&s, m, p));
    WB_PASS(wb_scorer_run(&r, s, 0));
    long kk = wb_panel_find_key(p, "lbm_klasse");
    size_t same = 0, total = 0;
    for (size_t t = 0; t < r.nyears; t++) {
        size_t ys = 0, yt = 0;
        for (size_t a = 0; a < r.nareas; a++) {
            double pub = wb_panel_get(p, a, t, (size_t)kk);
            int k = r.klass[t * r.nareas + a];
            if (isnan(pub) || k == 0)
                continue;
            ASSERT_MSG(abs(k - (int)pub) <= 1, "%s %d: class %d, published %g", wb_panel_code(p, a),
                       wb_panel_year(p, t), k, pub);
            ys += k == (int)pub;
            yt++;
        }
        if (yt)
            fprintf(stderr, "    lbm classes %d: %zu of %zu wijken as published\n", wb_panel_year(p, t), ys, yt);
        same += ys;
        total += yt;
    }
    ASSERT(total > 8000);
    ASSERT_MSG(same >= total * 0.995, "%zu of %zu classes as published", same, total);
    wb_scores_dispose(&r);
    wb_scorer_free(s);
    wb_panel_free(p);
    wb_model_free(m);
    wb_store_free(st);
}

/* ---------------------------------------------------------------- aandachtswijken */

/* Lower case, letters and digits only, words separated by one space; without a leading
 * "wijk NN " (CBS numbering) or article. */
static void norm_name(char *out, size_t n, const char *in)
{
    size_t w = 0;
    int space = 1;
    for (const unsigned char *p = (const unsigned char *)in; *p && w + 2 < n; p++) {
        if (isalnum(*p)) {
            out[w++] = (char)tolower(*p);
            space = 0;
        } else if (!space) {
            out[w++] = ' ';
            space = 1;
        }
    }
    while (w && out[w - 1] == ' ')
        w--;
    out[w] = 0;
    if (!strncmp(out, "wijk ", 5) && isdigit((unsigned char)out[5])) {
        char *q = out + 5;
        while (isdigit((unsigned char)*q))
            q++;
        memmove(out, q + (*q == ' '), strlen(q + (*q == ' ')) + 1);
    }
    for (const char *const *art = (const char *const[]){"het ", "de ", NULL}; *art; art++)
        if (!strncmp(out, *art, strlen(*art)))
            memmove(out, out + strlen(*art), strlen(out + strlen(*art)) + 1);
}

/* The automatic match by name and municipality: a 2016 wijk of the same gemeente whose
 * normalised name equals a part of the aandachtswijk's name (split on '/'), or starts with
 * it followed by a space ("presikhaaf oost"). */
static int name_matches(const char *aw, const char *wijk)
{
    char w[256], buf[256];
    norm_name(w, sizeof w, wijk);
    snprintf(buf, sizeof buf, "%s", aw);
    for (char *part = strtok(buf, "/"); part; part = strtok(NULL, "/")) {
        char p[256];
        norm_name(p, sizeof p, part);
        size_t n = strlen(p);
        if (n && (!strcmp(w, p) || (!strncmp(w, p, n) && w[n] == ' ')))
            return 1;
    }
    return 0;
}

TEST(score_lbm2, aandachtswijken_match_file_agrees_with_the_2016_wijken)
{
    const char *topo = wbt_shared("geo_nlmaps_edwindj/wijk_2016_rd.topojson");
    json_error_t jerr;
    json_t *root = json_load_file(topo, 0, &jerr);
    ASSERT_MSG(root, "%s: %s", topo, jerr.text);
    json_t *geoms = json_object_get(json_object_get(json_object_get(root, "objects"), "wijk_2016"), "geometries");
    size_t nw = json_array_size(geoms);
    ASSERT_EQ_I(nw, 2981);
    FILE *f = fopen(root_path("data/aandachtswijken_2007_wijk2016.csv"), "r");
    ASSERT(f);
    char line[2048];
    int rows = 0, by_name = 0;
    ASSERT(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        char *fl[7];
        ASSERT(wbt_split(line, fl, 7) >= 6);
        rows++;
        int nr = atoi(fl[0]);
        const char *gm = fl[2], *aw = fl[3];
        char codes[512];
        snprintf(codes, sizeof codes, ";%s;", fl[4]);
        /* every listed code is a 2016 wijk of the same gemeente */
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s", fl[4]);
        for (char *c = strtok(tmp, ";"); c; c = strtok(NULL, ";")) {
            int found = 0;
            for (size_t i = 0; i < nw && !found; i++)
                found = !strcmp(json_string_value(json_object_get(json_object_get(json_array_get(geoms, i), "properties"),
                                                                  "statcode")), c);
            ASSERT_MSG(found, "nr %d: %s is not a 2016 wijk", nr, c);
            ASSERT_MSG(!strncmp(c + 2, gm + 2, 4), "nr %d: %s is not in %s", nr, c, gm);
        }
        /* every wijk found by name must be in the hand match, except the name trap of nr 26
         * (Maastricht 'Noordoost' is wijk 04 Buitenwijk Oost, not 05 Buitenwijk Noordoost) */
        int hits = 0;
        for (size_t i = 0; i < nw; i++) {
            json_t *pr = json_object_get(json_array_get(geoms, i), "properties");
            const char *code = json_string_value(json_object_get(pr, "statcode"));
            const char *name = json_string_value(json_object_get(pr, "statnaam"));
            if (strncmp(code + 2, gm + 2, 4) || !name_matches(aw, name))
                continue;
            hits++;
            char key[32];
            snprintf(key, sizeof key, ";%s;", code);
            ASSERT_MSG(strstr(codes, key) || nr == 26, "nr %d %s: wijk %s %s matches by name but is not in the "
                       "hand match", nr, aw, code, name);
        }
        by_name += hits > 0;
    }
    fclose(f);
    json_decref(root);
    ASSERT_EQ_I(rows, 40);
    fprintf(stderr, "    %d of 40 aandachtswijken match a 2016 wijk by name automatically\n", by_name);
    ASSERT(by_name >= 10 && by_name < 40);
}

/* Independent means of a value column of the LBM CSV over a set of codes, for one year. */
static double csv_mean(const char *path, int col, const char *year, const char *codes, int in)
{
    FILE *f = fopen(path, "r");
    ASSERT(f);
    char line[1024];
    double sum = 0;
    size_t n = 0;
    ASSERT(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        char *fl[16];
        wbt_split(line, fl, 16);
        char key[32];
        snprintf(key, sizeof key, ";%s;", fl[0]);
        if (strcmp(fl[1], year) || !fl[col][0] || (strstr(codes, key) != NULL) != in)
            continue;
        sum += strtod(fl[col], NULL);
        n++;
    }
    fclose(f);
    return sum / (double)n;
}

/* compare on the LBM 2.0 wijk data and the 40 aandachtswijken: the set means must equal means
 * computed directly from the CSV, and the comparison groups must add up. */
TEST(score_lbm2, compare_aandachtswijken_on_lbm2)
{
    char db[4096]; /* wbt_tmp's buffers rotate: keep a copy */
    snprintf(db, sizeof db, "%s", wbt_tmp("lbm2.db"));
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, WB_STORE_CREATE));
    import_lbm2(st, 0, 1); /* the files of docs/aandachtswijken.md, "Reproduce" */
    size_t nset = import_aandachtswijken(st);
    ASSERT_EQ_I(nset, 63);
    wb_area *mem = NULL;
    size_t nm = 0;
    WB_PASS(wb_store_label_members(st, &mem, &nm, "aandachtswijken"));
    wb_str codes = WB_STR_INIT;
    wb_str_puts(&codes, ";");
    for (size_t i = 0; i < nm; i++)
        wb_str_printf(&codes, "%s;", mem[i].code);
    wb_areas_free(mem, nm);
    wb_store_free(st);

    wbt_run_result r = wbt_run(NULL, "--db %s compare --set aandachtswijken --indicator lbm --format csv", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT_EQ_I(wbt_count_lines(r.out), 4); /* header + 2012, 2014, 2016 */
    const char *dims = wbt_shared("leefbaarometer2_minorproject/lbm2_wijk2016_dimensions_2012_2014_2016.csv");
    char *line = strchr(r.out, '\n') + 1;
    static const char *const years[] = {"2012", "2014", "2016"};
    for (int y = 0; y < 3; y++) {
        char *fl[20];
        char *next = strchr(line, '\n');
        *next = 0;
        ASSERT_EQ_I(wbt_split(line, fl, 20), 17);
        ASSERT_EQ_S(fl[0], years[y]);
        double set_mean = strtod(fl[2], NULL), rest_mean = strtod(fl[8], NULL);
        ASSERT_CLOSE(set_mean, csv_mean(dims, 2, years[y], wb_str_cstr(&codes), 1), 1e-12);
        ASSERT_CLOSE(rest_mean, csv_mean(dims, 2, years[y], wb_str_cstr(&codes), 0), 1e-12);
        size_t n_set = strtoul(fl[1], NULL, 10), n_rest = strtoul(fl[7], NULL, 10), n_nl = strtoul(fl[10], NULL, 10);
        ASSERT_EQ_I(n_set + n_rest, n_nl);
        ASSERT(n_set >= 60 && n_set <= 63);
        /* nation mean = weighted mean of set and rest */
        double nl_mean = strtod(fl[11], NULL);
        ASSERT_CLOSE(nl_mean, (set_mean * (double)n_set + rest_mean * (double)n_rest) / (double)n_nl, 1e-12);
        ASSERT_CLOSE(strtod(fl[13], NULL), set_mean - nl_mean, 1e-12);
        ASSERT(set_mean < strtod(fl[5], NULL)); /* below the rest of their gemeenten */
        line = next + 1;
    }
    wbt_run_free(&r);
    /* the lbm model gives the same table as the published total (to 1e-6; the two differ
     * by at most 7.4e-14, the file's rounding) */
    wbt_run_result r1 = wbt_run(NULL, "--db %s --digits 6 compare --set aandachtswijken --indicator lbm --format csv", db);
    wbt_run_result r2 = wbt_run(NULL, "--db %s --digits 6 compare --set aandachtswijken --model lbm --format csv", db);
    ASSERT_MSG(r2.status == 0, "%s", r2.err);
    ASSERT_EQ_I(wbt_count_lines(r2.out), 4);
    ASSERT_EQ_S(r2.out, r1.out);
    wbt_run_free(&r1);
    wbt_run_free(&r2);
    /* classes 2002..2016 */
    wbt_run_result r3 = wbt_run(NULL, "--db %s compare --set aandachtswijken --indicator lbm_klasse --break 2012 "
                                      "--periods --format csv", db);
    ASSERT_MSG(r3.status == 0, "%s", r3.err);
    ASSERT(strstr(r3.out, "before,2002,2012,") != NULL);
    ASSERT(strstr(r3.out, "after,2012,2016,") != NULL);
    wbt_run_free(&r3);
    /* trend classes since 2012 of the classes 2002-2016: the set's counts add up to its 63 wijken */
    wbt_run_result r4 = wbt_run(NULL, "--db %s compare --set aandachtswijken --indicator lbm_klasse --break 2012 "
                                      "--trend-classes --no-significance --format csv", db);
    ASSERT_MSG(r4.status == 0, "%s", r4.err);
    size_t nset_tc = 0, ngroup = 0;
    char *save = NULL;
    for (char *ln = strtok_r(r4.out, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        char *f[8];
        if (wbt_split(ln, f, 8) != 6 || !strcmp(f[0], "kind"))
            continue;
        if (!strcmp(f[0], "trend"))
            nset_tc += strtoul(f[2], NULL, 10);
        else
            ngroup += strtoul(f[2], NULL, 10);
    }
    ASSERT_EQ_I(nset_tc, 63);
    ASSERT_EQ_I(ngroup, 63);
    wbt_run_free(&r4);
    /* every table of docs/aandachtswijken.md is what its command prints on this database */
    ASSERT_EQ_I(wbt_doc_check("docs/aandachtswijken.md", db), 11);
    wb_str_dispose(&codes);
}
