/**
 * @file
 * @brief The dashboard in headless Chromium: runs tests/browser/map.test.mjs (node +
 * playwright-core driving Debian's /usr/bin/chromium) against `wijkbeeld serve` on the
 * fixture store. SKIPs with a clear message when chromium, node or node_modules are missing
 * (install them with scripts/install-deps.sh --browser).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "browser/bsetup.h"
#include "test.h"
#include "web/webtest.h"

TEST(browser, map_hover_click_profile_print)
{
    wbt_browser_env env;
    wbt_browser_require(&env);
    const char *root = env.root, *bin = env.bin, *tmp = env.tmp, *chromium = env.chromium;

    char db[4096];
    snprintf(db, sizeof db, "%s", wbt_tmp("dashboard.db"));
    wbt_fixture_db(db);
    wbt_fixture_add_groups(db);
    /* a gemeente without any data that sorts first: the segregation page must not open on it */
    wb_store *store = NULL;
    int64_t id;
    WB_PASS(wb_store_open(&store, db, 0));
    WB_PASS(wb_store_area_put(store, &id, "GM0001", WBT_BYEAR, WB_LEVEL_GEMEENTE, "Aaadorp", NULL));
    wb_store_free(store);
    /* screenshots next to the test temp dir: build/<mode>/screenshots */
    char shots[4096];
    snprintf(shots, sizeof shots, "%s/../screenshots", tmp);
    mkdir(shots, 0755);
    char *real = realpath(shots, NULL);
    ASSERT(real);
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && WB_BIN='%s' WB_DB='%s' WB_WEB='%s/web' WB_SHOTS='%s' WB_CHROMIUM='%s' "
             "timeout 150 node tests/browser/map.test.mjs > '%s' 2>&1",
             root, bin, db, root, real, chromium, wbt_tmp("browser.log"));
    int st = system(cmd);
    char *out = wbt_slurp(wbt_tmp("browser.log"), NULL);
    if (st != 0)
        fprintf(stderr, "%s", out ? out : "(no output)\n");
    else
        fprintf(stderr, "    screenshots: %s/{map,map-hover,profile,profile-print}.png\n", real);
    free(out);
    free(real);
    ASSERT_MSG(st == 0, "the browser test failed (status %d), output above", st);
}
