/**
 * @file
 * @brief The space-time views of the dashboard in headless Chromium: runs
 * tests/browser/spacetime.test.mjs against `wijkbeeld serve` on the demo database. SKIPs like
 * the other browser tests when chromium, node or node_modules are missing. Screenshots in
 * build/<mode>/screenshots/{ehsa,bivariate,transitions,profile-mobility}.png.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "browser/bsetup.h"
#include "test.h"

TEST(browser, spacetime_views)
{
    wbt_browser_env env;
    wbt_browser_require(&env);
    const char *root = env.root, *bin = env.bin, *tmp = env.tmp, *chromium = env.chromium;
    char db[4096];
    snprintf(db, sizeof db, "%s", wbt_tmp("demo.db"));
    wbt_run_result r = wbt_run(NULL, "--quiet --db '%s' demo", db);
    ASSERT_MSG(r.status == 0, "demo: %s", r.err);
    wbt_run_free(&r);
    char shots[4096];
    snprintf(shots, sizeof shots, "%s/../screenshots", tmp);
    mkdir(shots, 0755);
    char *real = realpath(shots, NULL);
    ASSERT(real);
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && WB_BIN='%s' WB_DB='%s' WB_WEB='%s/web' WB_SHOTS='%s' WB_CHROMIUM='%s' "
             "timeout 240 node tests/browser/spacetime.test.mjs > '%s' 2>&1",
             root, bin, db, root, real, chromium, wbt_tmp("browser.log"));
    int st = system(cmd);
    char *out = wbt_slurp(wbt_tmp("browser.log"), NULL);
    if (st != 0)
        fprintf(stderr, "%s", out ? out : "(no output)\n");
    free(out);
    free(real);
    ASSERT_MSG(st == 0, "the browser test failed (status %d), output above", st);
}
