/**
 * @file
 * @brief The register in headless Chromium: runs tests/browser/collab.test.mjs (node +
 * playwright-core driving Debian's /usr/bin/chromium) against `wijkbeeld serve` on the web
 * fixture with a register: a resident files a proposal and supports another's, a partner
 * editor edits an initiative and adds a milestone and a contribution, script in titles is
 * shown as text. SKIPs with a clear message when chromium, node or node_modules are missing
 * (scripts/install-deps.sh --browser).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "browser/bsetup.h"
#include "test.h"
#include "web/cweb.h"

TEST(browser, register_proposal_support_and_edit)
{
    wbt_browser_env env;
    wbt_browser_require(&env);
    const char *root = env.root, *bin = env.bin, *tmp = env.tmp, *chromium = env.chromium;

    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("register.db"));
    char shots[4096];
    snprintf(shots, sizeof shots, "%s/../screenshots", tmp);
    mkdir(shots, 0755);
    char *real = realpath(shots, NULL);
    ASSERT(real);
    /* the accounts' passwords (test fixture values, not defaults of any deployment) */
    char accounts[1024];
    snprintf(accounts, sizeof accounts,
             "{\"bewoner1\":\"%s\",\"bewoner2\":\"%s\",\"editor-a\":\"%s\",\"beheerder\":\"%s\"}",
             cw_password("bewoner1"), cw_password("bewoner2"), cw_password("editor-a"), cw_password("beheerder"));
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && WB_BIN='%s' WB_DB='%s' WB_WEB='%s/web' WB_SHOTS='%s' WB_CHROMIUM='%s' "
             "WB_ACCOUNTS='%s' WB_INI_A=%lld WB_INI_B=%lld WB_PROP=%lld "
             "timeout 170 node tests/browser/collab.test.mjs > '%s' 2>&1",
             root, bin, f.db, root, real, chromium, accounts, (long long)f.iniA, (long long)f.iniB,
             (long long)f.prop, wbt_tmp("browser.log"));
    int st = system(cmd);
    char *out = wbt_slurp(wbt_tmp("browser.log"), NULL);
    if (st != 0)
        fprintf(stderr, "%s", out ? out : "(no output)\n");
    else
        fprintf(stderr, "    screenshots: %s/{register,login,proposal-filed,proposals-support,proposal-keyboard,"
                        "initiative-edit,initiative-edited,profile-register}.png\n", real);
    free(out);
    free(real);
    ASSERT_MSG(st == 0, "the browser test failed (status %d), output above", st);
}
