/** @file @brief `demo`: build the fictional demo municipality into the database. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

static const wb_optdef demo_opts[] = {
    {"seed", 1, "seed of the generator (default 20070522; the same seed gives the same town)"},
    {"force", 0, "replace the demo municipality when it exists"},
    {NULL, 0, NULL}};

static int count_areas(wb_store *st, wb_level level, int year)
{
    wb_area_query q = WB_AREA_QUERY_INIT;
    q.level = level;
    q.year = year;
    q.within = WB_DEMO_GEMEENTE;
    wb_area *a = NULL;
    size_t n = 0;
    if (wb_store_areas(st, &a, &n, &q) < 0)
        return -1;
    wb_areas_free(a, n);
    return (int)n;
}

static int cmd_demo(wb_ctx *ctx, wb_args *a)
{
    wb_demo_opts o = WB_DEMO_OPTS_INIT;
    const char *seed = wb_arg(a, "seed");
    if (seed) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(seed, &end, 10);
        if (errno || end == seed || *end || seed[0] == '-')
            return wb_cli_usage("--seed: expected a whole number from 0 to 18446744073709551615, got '%s'", seed);
        o.seed = v;
    }
    o.replace = wb_arg_has(a, "force");
    o.progress = wb_cli_progress;
    o.payload = ctx;
    wb_store *st = wb_cli_open(ctx, 1);
    if (!st)
        return 1;
    int exists = 0, year = 0;
    if (wb_demo_exists(&exists, &year, st) < 0) {
        wb_store_free(st);
        return wb_cli_fail();
    }
    if (exists && !o.replace) {
        wb_store_free(st);
        fprintf(stderr,
                "wijkbeeld: %s already holds the demo municipality %s %s (boundaries %d); "
                "use 'demo --force' to replace it\n",
                ctx->db_path, WB_DEMO_GEMEENTE, WB_DEMO_NAME, year);
        return 1;
    }
    if (wb_demo_build(st, &o) < 0) {
        wb_store_free(st);
        return wb_cli_fail();
    }
    int nw = count_areas(st, WB_LEVEL_WIJK, o.last_year), nb = count_areas(st, WB_LEVEL_BUURT, o.last_year);
    wb_area *set = NULL;
    size_t nset = 0;
    if (nw < 0 || nb < 0 || wb_store_label_members(st, &set, &nset, WB_DEMO_LABEL_SET) < 0) {
        wb_store_free(st);
        return wb_cli_fail();
    }
    size_t ndemo = 0;
    for (size_t i = 0; i < nset; i++)
        ndemo += !strncmp(set[i].code, "BU9999", 6);
    wb_areas_free(set, nset);
    printf("%s the demo municipality %s %s in %s (fictional; seed %llu)\n", exists ? "Replaced" : "Built",
           WB_DEMO_GEMEENTE, WB_DEMO_NAME, ctx->db_path, (unsigned long long)o.seed);
    printf("  %d wijken, %d buurten with polygons (RD New, boundaries %d)\n", nw, nb, o.last_year);
    printf("  yearly values %d-%d of %s, Leefbaarometer-style scores and KWB indicators\n", o.first_year,
           o.last_year, WB_DEMO_GEMEENTE);
    printf("  label set '%s': %zu attention buurten\n", WB_DEMO_LABEL_SET, ndemo);
    printf("Next: wijkbeeld%s%s overview\n", strcmp(ctx->db_path, "wijkbeeld.db") ? " --db " : "",
           strcmp(ctx->db_path, "wijkbeeld.db") ? ctx->db_path : "");
    wb_store_free(st);
    return 0;
}

static const wb_cmd demo_cmd = {"demo",
                                "build the fictional demo municipality Wierhaven (GM9999) into the database",
                                "[--seed N] [--force]",
                                demo_opts,
                                cmd_demo,
                                0,
                                0};
WB_COMMAND(demo_cmd)
