/** @file @brief The issue-7 dashboard views in headless Chromium (tests/browser/effort.test.mjs)
 *  on the demo municipality with its register. SKIPs like browser::map_hover_click_profile_print
 *  when chromium, node or node_modules are missing. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "browser/bsetup.h"
#include "effort/efix.h"

TEST(effort_browser, gaps_map_overlaps_scatter_profile_effect)
{
    wbt_browser_env env;
    wbt_browser_require(&env);
    const char *root = env.root, *bin = env.bin, *tmp = env.tmp, *chromium = env.chromium;
    char db[4096], gap[32] = "";
    long a = 0, b = 0;
    snprintf(db, sizeof db, "%s", wbt_tmp("effort.db"));
    wbt_run_result r = wbt_run(NULL, "--quiet --db '%s' demo", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    r = wbt_run(NULL, "--db '%s' demo register GM9999", db);
    ASSERT_MSG(r.status == 0, "%s", r.err);
    ASSERT(sscanf(strstr(r.out, "planted gap: "), "planted gap: %31s", gap) == 1);
    ASSERT(sscanf(strstr(r.out, "planted overlap: "), "planted overlap: initiatives %ld and %ld", &a, &b) == 2);
    wbt_run_free(&r);
    /* an initiative without a start date */
    wb_store *store = NULL;
    WB_PASS(wb_store_open(&store, db, 0));
    wb_actor anon = WB_ACTOR_ANONYMOUS;
    wb_initiative *v = NULL;
    size_t n = 0;
    WB_PASS(wb_initiative_list(store, &anon, &v, &n, NULL));
    long nodate = 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i].start)
            nodate = (long)v[i].id;
    wb_initiatives_free(v, n);
    wb_store_free(store);
    ASSERT(nodate > 0);
    char shots[4096];
    snprintf(shots, sizeof shots, "%s/../screenshots", tmp);
    mkdir(shots, 0755);
    char *real = realpath(shots, NULL);
    ASSERT(real);
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && WB_BIN='%s' WB_DB='%s' WB_WEB='%s/web' WB_MODELS='%s/models' WB_SHOTS='%s' WB_CHROMIUM='%s' "
             "WB_GAP='%s' WB_OVERLAP='%ld,%ld' WB_NODATE='%ld' timeout 150 node tests/browser/effort.test.mjs > '%s' 2>&1",
             root, bin, db, root, root, real, chromium, gap, a, b, nodate, wbt_tmp("effort-browser.log"));
    int st = system(cmd);
    char *out = wbt_slurp(wbt_tmp("effort-browser.log"), NULL);
    if (st != 0)
        fprintf(stderr, "%s", out ? out : "(no output)\n");
    else
        fprintf(stderr, "    screenshots: %s/{effort,effort-profile,effect,initiative-effect}.png\n", real);
    free(out);
    free(real);
    ASSERT_MSG(st == 0, "the browser test failed (status %d), output above", st);
}
