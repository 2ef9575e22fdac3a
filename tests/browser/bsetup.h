/** @file @brief What every browser test needs before it starts (tests/browser/bsetup.c). */
#ifndef WBT_BROWSER_BSETUP_H
#define WBT_BROWSER_BSETUP_H

/** The environment of a browser test. */
typedef struct {
    const char *root;     /**< WB_ROOT: the source tree */
    const char *bin;      /**< WB_BIN: the wijkbeeld binary */
    const char *tmp;      /**< WB_TMP: the tests' temporary directory */
    const char *chromium; /**< WB_CHROMIUM, default /usr/bin/chromium */
} wbt_browser_env;

/** Fill @p e, or SKIP the test with a clear message when a variable is not set or chromium,
 *  node or node_modules/playwright-core is missing. */
void wbt_browser_require(wbt_browser_env *e);

#endif
