/** @file @brief The checks every browser test makes before it starts (see bsetup.h). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "browser/bsetup.h"
#include "test.h"

void wbt_browser_require(wbt_browser_env *e)
{
    e->root = getenv("WB_ROOT");
    e->bin = getenv("WB_BIN");
    e->tmp = getenv("WB_TMP");
    e->chromium = getenv("WB_CHROMIUM") ? getenv("WB_CHROMIUM") : "/usr/bin/chromium";
    if (!e->root || !e->bin || !e->tmp)
        SKIP("WB_ROOT, WB_BIN or WB_TMP not set (run through make test)");
    if (access(e->chromium, X_OK) != 0)
        SKIP("%s not found: install chromium (scripts/install-deps.sh --browser)", e->chromium);
    if (system("command -v node >/dev/null 2>&1") != 0)
        SKIP("node not found: install nodejs (scripts/install-deps.sh --browser)");
    char mod[4096];
    snprintf(mod, sizeof mod, "%s/node_modules/playwright-core/package.json", e->root);
    if (access(mod, R_OK) != 0)
        SKIP("%s/node_modules/playwright-core missing: run 'npm ci' (scripts/install-deps.sh --browser)", e->root);
}
