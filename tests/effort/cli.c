/** @file @brief The issue-7 commands on the demo municipality: `gaps` shows the gap and
 *  `overlaps` the overlap that `demo register` plants (read from its own output, not
 *  hard-coded), `effort` and `effect` run, and bad input gives one clear line. */
#include <jansson.h>
#include <stdlib.h>

#include "effort/efix.h"

#define RUN_OK(r, in, ...)                                                                   \
    do {                                                                                     \
        r = wbt_run(in, __VA_ARGS__);                                                        \
        ASSERT_MSG(r.status == 0, "exit %d: %s", r.status, r.err);                           \
    } while (0)

typedef struct {
    char gap[32], gap_dim[64], overlap_area[32], overlap_theme[64];
    long a, b;
} planted;

/* A demo database with its register; what was planted, from the command's output. */
static const char *demo_db(planted *pl)
{
    static char db[4096]; /* wbt_tmp's buffers rotate */
    snprintf(db, sizeof db, "%s", wbt_tmp("demo.db"));
    wbt_run_result r;
    RUN_OK(r, NULL, "--db '%s' demo", db);
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' demo register GM9999", db);
    const char *g = strstr(r.out, "planted gap: "), *o = strstr(r.out, "planted overlap: ");
    ASSERT_MSG(g && o, "%s", r.out);
    ASSERT(sscanf(g, "planted gap: %31s (%63[^)])", pl->gap, pl->gap_dim) == 2);
    ASSERT(sscanf(o, "planted overlap: initiatives %ld and %ld (%63[^)]) in %31s", &pl->a, &pl->b, pl->overlap_theme,
                  pl->overlap_area) == 4);
    wbt_run_free(&r);
    return db;
}

/* The line of CSV output @p out whose first field is @p code (a copy), or NULL. */
static char *csv_line(const char *out, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, code, n) && p[n] == ',') {
            const char *e = strchr(p, '\n');
            return strndup(p, e ? (size_t)(e - p) : strlen(p));
        }
    return NULL;
}

/* Split a CSV line without quoted commas into fields (in place). */
static size_t fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
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

/* The dimension key of the lbm model that holds indicator @p key. */
static void dim_of(char *out, size_t n, const char *key)
{
    const char *root = getenv("WB_ROOT");
    if (!root)
        SKIP("WB_ROOT not set (run through make test)");
    char path[4096];
    snprintf(path, sizeof path, "%s/models/lbm.model", root);
    wb_model *m = NULL;
    WB_PASS(wb_model_load(&m, path));
    out[0] = 0;
    for (size_t i = 0; i < wb_model_nindicators(m); i++)
        if (!strcmp(wb_model_indicator_at(m, i)->key, key))
            snprintf(out, n, "%s", wb_model_dim_key(m, wb_model_indicator_at(m, i)->dim));
    wb_model_free(m);
    ASSERT_MSG(out[0], "indicator %s not in the lbm model", key);
}

TEST(effort_cli, demo_shows_the_planted_gap_and_overlap)
{
    planted pl;
    const char *db = demo_db(&pl);
    wbt_run_result r;

    /* gaps: the planted buurt needs attention, nothing addresses it, and its weakest lbm
     * dimension (the one the demo planted) leads the list of gaps */
    RUN_OK(r, NULL, "--db '%s' gaps --model lbm --level buurt --break 2012 --format csv", db);
    ASSERT(!strncmp(r.out, "code,name,year,score,class,trend,group,need,weak,weak_z,initiatives,addressed,gaps,status\n",
                    88));
    char *line = csv_line(r.out, pl.gap);
    ASSERT_MSG(line, "gap %s not listed:\n%s", pl.gap, r.out);
    char *f[16];
    ASSERT_EQ_I(fields(line, f, 16), 14);
    char dim[64];
    dim_of(dim, sizeof dim, pl.gap_dim);
    ASSERT_MSG(strstr(f[7], "declining") || strstr(f[7], "low_class"), "need '%s'", f[7]);
    ASSERT_MSG(!strncmp(f[8], dim, strlen(dim)), "weak '%s' does not start with %s", f[8], dim);
    ASSERT_EQ_S(f[10], ""); /* no running initiative there */
    ASSERT_MSG(!strncmp(f[12], dim, strlen(dim)), "gaps '%s'", f[12]);
    ASSERT_EQ_S(f[13], "gap");
    free(line);
    ASSERT(strstr(r.err, "need attention") && strstr(r.err, "with a gap"));
    /* the overlap buurt has running initiatives: it is either without need or they show */
    line = csv_line(r.out, pl.overlap_area);
    if (line) {
        ASSERT(fields(line, f, 16) == 14);
        ASSERT(strstr(f[10], "1") && strstr(f[10], "2"));
        free(line);
    }
    wbt_run_free(&r);
    /* --all lists every scored buurt (the business park has no score) */
    RUN_OK(r, NULL, "--db '%s' gaps --all --format csv", db);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 79);
    wbt_run_free(&r);
    /* the kwb model has classes for the demo's years */
    RUN_OK(r, NULL, "--db '%s' gaps --model kwb --in WK999901 --format csv", db);
    ASSERT(strstr(r.out, "code,name,year"));
    wbt_run_free(&r);

    /* overlaps: the planted pair, with both leads among the partners to bring together */
    RUN_OK(r, NULL, "--db '%s' overlaps --format csv", db);
    char want[128];
    snprintf(want, sizeof want, "%s,same_area,%ld,", pl.overlap_theme, pl.a);
    ASSERT_MSG(strstr(r.out, want), "no line with '%s':\n%s", want, r.out);
    snprintf(want, sizeof want, ",%ld,", pl.b);
    ASSERT(strstr(strstr(r.out, "same_area"), want));
    ASSERT(strstr(r.out, pl.overlap_area));
    ASSERT(strstr(r.out, "Politie basisteam Centrum") && strstr(r.out, "Woonstichting De Linden"));
    wbt_run_free(&r);
    RUN_OK(r, NULL, "--db '%s' overlaps --year 2019 --format csv", db);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1); /* the pair starts in 2022 */
    wbt_run_free(&r);

    /* effort: one row per buurt and the rank correlation */
    RUN_OK(r, NULL, "--db '%s' effort --year 2022 --format csv", db);
    ASSERT_EQ_I(wbt_count_lines(r.out), 1 + 80);
    line = csv_line(r.out, pl.overlap_area);
    ASSERT(line);
    ASSERT(fields(line, f, 16) == 13);
    ASSERT(atof(f[4]) > 0 && atof(f[6]) > 0 && atoi(f[12]) >= 2);
    free(line);
    ASSERT_MSG(strstr(r.err, "rank correlation (Spearman)") && strstr(r.err, "rho = "), "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' effort --format csv", db);
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "--year"));
    wbt_run_free(&r);
}

TEST(effort_cli, effect_of_a_demo_initiative_and_bad_input)
{
    planted pl;
    const char *db = demo_db(&pl);
    wbt_run_result r;
    RUN_OK(r, NULL, "--db '%s' effect %ld --seed 7 --draws 199 --format json", db, pl.a);
    json_error_t je;
    json_t *j = json_loads(r.out, 0, &je);
    ASSERT_MSG(j, "not JSON: %s", je.text);
    json_t *res = json_object_get(j, "results");
    ASSERT(json_array_size(res) >= 1);
    size_t ok = 0;
    for (size_t i = 0; i < json_array_size(res); i++) {
        json_t *x = json_array_get(res, i);
        if (strcmp(json_string_value(json_object_get(x, "status")), "ok"))
            continue;
        ok++;
        double est = json_real_value(json_object_get(x, "estimate"));
        double lo = json_real_value(json_object_get(x, "lo")), hi = json_real_value(json_object_get(x, "hi"));
        ASSERT(lo <= hi);
        ASSERT_EQ_I(json_integer_value(json_object_get(x, "draws")), 199);
        ASSERT_EQ_I(json_integer_value(json_object_get(x, "treated")), 1);
        ASSERT(json_integer_value(json_object_get(x, "pool")) >= 10);
        ASSERT(!isnan(est));
    }
    ASSERT(ok >= 1);
    const char *words = json_string_value(json_object_get(j, "words"));
    ASSERT(words && strstr(words, "cannot show") && strstr(words, "parallel trends"));
    json_decref(j);
    wbt_run_free(&r);
    /* the same seed gives the same output */
    RUN_OK(r, NULL, "--db '%s' effect %ld --seed 7 --draws 199 --format csv", db, pl.a);
    wbt_run_result r2;
    RUN_OK(r2, NULL, "--db '%s' effect %ld --seed 7 --draws 199 --format csv", db, pl.a);
    ASSERT_EQ_S(r.out, r2.out);
    wbt_run_free(&r);
    wbt_run_free(&r2);
    /* an initiative without a start date, an unknown one, a bad id */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db, 0));
    wb_actor anon = WB_ACTOR_ANONYMOUS;
    wb_initiative *v = NULL;
    size_t n = 0;
    WB_PASS(wb_initiative_list(st, &anon, &v, &n, NULL));
    int64_t nodate = 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i].start)
            nodate = v[i].id;
    wb_initiatives_free(v, n);
    wb_store_free(st);
    ASSERT(nodate > 0);
    r = wbt_run(NULL, "--db '%s' effect %lld", db, (long long)nodate);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "has no start date"));
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' effect 999", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' effect x1", db);
    ASSERT_EQ_I(r.status, 2);
    wbt_run_free(&r);
    /* a broken theme map: file and line */
    const char *map = wbt_tmp("bad.map");
    wbt_write(map, "veiligheid = lbm_onv\nwonen lbm_won\n");
    r = wbt_run(NULL, "--db '%s' gaps --themes '%s'", db, map);
    ASSERT_EQ_I(r.status, 1);
    ASSERT_MSG(strstr(r.err, "bad.map:2: expected 'THEME = TOKEN ...'"), "%s", r.err);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' gaps --status bezig", db);
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "bezig"));
    wbt_run_free(&r);
}

/* The spatial context: the LISA need criterion equals the spatial module's own `lisa` of the
 * same score (lbm equals the lbm model's score, sum of its dimensions), the overlaps find an
 * initiative in a neighbouring buurt, and the effect leaves the treated buurt's neighbours out. */
TEST(effort_cli, lisa_neighbours_and_spillover_on_the_demo)
{
    planted pl;
    const char *db = demo_db(&pl);
    wbt_run_result g, l;
    RUN_OK(g, NULL, "--db '%s' gaps --all --format csv", db);
    ASSERT(strstr(g.err, "LISA LL or LH of the score"));
    RUN_OK(l, NULL, "--db '%s' lisa --indicator lbm --level buurt --year 2022 --permutations 999 --seed 1 --format csv",
           db);
    size_t ll = 0, lh = 0, rows = 0;
    for (const char *p = strchr(l.out, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        char code[32], cluster[16], row[512];
        const char *e = strchr(p + 1, '\n');
        size_t len = e ? (size_t)(e - p - 1) : strlen(p + 1);
        ASSERT(len < sizeof row);
        memcpy(row, p + 1, len);
        row[len] = 0;
        const char *c = strrchr(row, ',');
        ASSERT(c && sscanf(row, "%31[^,]", code) == 1 && sscanf(c + 1, "%15[A-Za-z]", cluster) == 1);
        char *line = csv_line(g.out, code);
        if (!line)
            continue; /* no score (the business park) */
        rows++;
        /* only the need column can hold these words (names are quoted when they hold commas) */
        int is_ll = strstr(line, "lisa_ll") != NULL, is_lh = strstr(line, "lisa_lh") != NULL;
        ASSERT_MSG(is_ll == !strcmp(cluster, "LL"), "%s: '%s', lisa cluster %s", code, line, cluster);
        ASSERT_MSG(is_lh == !strcmp(cluster, "LH"), "%s: '%s', lisa cluster %s", code, line, cluster);
        ll += is_ll;
        lh += is_lh;
        free(line);
    }
    ASSERT_EQ_I(rows, 79);
    ASSERT(ll >= 5); /* the planted low-livability cluster */
    wbt_run_free(&g);
    wbt_run_free(&l);
    RUN_OK(g, NULL, "--db '%s' gaps --all --no-lisa --format csv", db);
    ASSERT(!strstr(g.out, "lisa_"));
    wbt_run_free(&g);

    /* the queen neighbours of the overlap buurt */
    RUN_OK(l, NULL, "--db '%s' weights --level buurt --year 2022 --type queen --format csv", db);
    char nb[32] = "";
    size_t nnb = 0;
    char prefix[48];
    snprintf(prefix, sizeof prefix, "\n%s,", pl.overlap_area);
    for (const char *p = strstr(l.out, prefix); p; p = strstr(p + 1, prefix)) {
        if (!nnb)
            ASSERT(sscanf(p + strlen(prefix), "%31[^,]", nb) == 1);
        nnb++;
    }
    ASSERT(nnb >= 2);
    wbt_run_free(&l);

    /* effect: the neighbours are left out of the comparison pool, or kept on request */
    RUN_OK(g, NULL, "--db '%s' effect %ld --draws 99 --format json", db, pl.a);
    RUN_OK(l, NULL, "--db '%s' effect %ld --draws 99 --keep-neighbours --format json", db, pl.a);
    json_error_t je;
    json_t *j1 = json_loads(g.out, 0, &je), *j2 = json_loads(l.out, 0, &je);
    ASSERT(j1 && j2 && json_is_true(json_object_get(j1, "neighbours")));
    json_t *r1 = json_array_get(json_object_get(j1, "results"), 0), *r2 = json_array_get(json_object_get(j2, "results"), 0);
    ASSERT_EQ_I(json_integer_value(json_object_get(r1, "neighbours_left_out")), nnb);
    ASSERT_EQ_I(json_integer_value(json_object_get(r2, "neighbours_left_out")), 0);
    ASSERT_EQ_I(json_integer_value(json_object_get(r2, "pool")) - json_integer_value(json_object_get(r1, "pool")), nnb);
    ASSERT(strstr(json_string_value(json_object_get(j1, "words")), "neighbouring area"));
    json_decref(j1);
    json_decref(j2);
    wbt_run_free(&g);
    wbt_run_free(&l);

    /* overlaps: a third partner on veiligheid in a neighbouring buurt overlaps both planted
     * initiatives as neighbours; without neighbours it does not */
    RUN_OK(g, NULL,
           "--db '%s' initiative add 'Buurtwacht' --lead 'Welzijn Samen' --status lopend --start 2023-01-01 "
           "--end 2024-12-31 --theme veiligheid --area %s --year 2022",
           db, nb);
    wbt_run_free(&g);
    RUN_OK(g, NULL, "--db '%s' overlaps --format csv", db);
    ASSERT_EQ_I(wbt_count_lines(g.out), 1 + 3);
    ASSERT_EQ_I(wbt_count_lines(strstr(g.out, ",neighbours,")), 2); /* two pairs, one line each */
    ASSERT(strstr(g.err, "neighbouring areas (queen contiguity)"));
    wbt_run_free(&g);
    RUN_OK(g, NULL, "--db '%s' overlaps --no-neighbours --format csv", db);
    ASSERT_EQ_I(wbt_count_lines(g.out), 1 + 1);
    wbt_run_free(&g);
}
