/**
 * @file
 * @brief Fuzz target: CBS area codes (wb_code_normalize, wb_code_parent, wb_level_parse).
 *
 * Input: byte 0 chooses the level hint (mod 6: land, gemeente, wijk, buurt, other, none), the
 * rest is the code text (any bytes, not NUL-terminated).
 * Invariants:
 *  - an error is WB_EINVALID with a message (valid UTF-8), and leaves no code behind;
 *  - a result is a NUL-terminated string shorter than WB_CODE_MAX, of letters, digits and
 *    '_' '-' '.'; a GM/WK/BU/NL prefix (any case) only with that level and the right number
 *    of digits; level other keeps the text as given;
 *  - normalising the result again (with no hint) gives the same code and level;
 *  - the parent of a buurt is a wijk, of a wijk a gemeente, of a gemeente NL00, and each is a
 *    prefix of the child's digits; other codes have no parent.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "wijkbeeld.h"

WBF_TARGET(code)
{
    if (size < 1)
        return 0;
    wb_level hint = (wb_level)(data[0] % (WB_LEVEL__MAX + 1)); /* __MAX: no hint */
    const char *in = (const char *)data + 1;
    size_t len = size - 1;

    char out[WB_CODE_MAX + 8];
    memset(out, 0x55, sizeof out);
    wb_level lv = WB_LEVEL__MAX;
    wb_error_clear();
    int r = wb_code_normalize(out, &lv, in, len, hint);
    wbf_note(r);
    if (r < 0) {
        WBF_CHECK(r == WB_EINVALID, "returned %d", r);
        WBF_CHECK_ERROR(r, NULL, 0);
        return 0;
    }
    WBF_CHECK(r == 0, "returned %d", r);
    size_t n = strnlen(out, WB_CODE_MAX);
    WBF_CHECK(n > 0 && n < WB_CODE_MAX, "code of length %zu", n);
    WBF_CHECK(lv < WB_LEVEL__MAX, "level %d", (int)lv);
    for (size_t i = 0; i < n; i++)
        WBF_CHECK(isalnum((unsigned char)out[i]) || out[i] == '_' || out[i] == '-' || out[i] == '.',
                  "character 0x%02x in '%s'", (unsigned char)out[i], out);

    static const struct {
        const char *prefix;
        wb_level level;
        size_t len;
    } cbs[] = {{"NL", WB_LEVEL_LAND, 4},
               {"GM", WB_LEVEL_GEMEENTE, 6},
               {"WK", WB_LEVEL_WIJK, 8},
               {"BU", WB_LEVEL_BUURT, 10}};
    int prefixed = 0;
    for (size_t k = 0; k < 4; k++) {
        if (!strncasecmp(out, cbs[k].prefix, 2) && (k > 0 || !strcmp(out, "NL00"))) {
            prefixed = 1;
            WBF_CHECK(lv == cbs[k].level && n == cbs[k].len && !strncmp(out, cbs[k].prefix, 2),
                      "'%s' has level %s", out, wb_level_name(lv));
            for (size_t i = 2; i < 6 && i < n; i++)
                WBF_CHECK(isdigit((unsigned char)out[i]), "'%s': gemeente digits", out);
        }
    }
    if (!prefixed) {
        WBF_CHECK(lv == WB_LEVEL_OTHER, "'%s' without a prefix has level %s", out,
                  wb_level_name(lv));
        WBF_CHECK(strncasecmp(out, "GM", 2) && strncasecmp(out, "WK", 2) &&
                      strncasecmp(out, "BU", 2),
                  "'%s' looks like a CBS code but has level other", out);
    }
    if (hint != WB_LEVEL__MAX && hint != WB_LEVEL_OTHER && lv != WB_LEVEL_OTHER) {
        /* a bare number became a code of the hinted level; a prefixed code keeps its own */
        int bare = 1;
        for (size_t i = 0; i < len; i++)
            if (isalpha((unsigned char)in[i]))
                bare = 0;
        if (bare)
            WBF_CHECK(lv == hint, "bare number '%.*s' with hint %s became %s", (int)len, in,
                      wb_level_name(hint), out);
    }

    char again[WB_CODE_MAX];
    wb_level lv2;
    WBF_CHECK(wb_code_normalize(again, &lv2, out, n, WB_LEVEL__MAX) == 0, "'%s' does not normalise",
              out);
    WBF_CHECK(!strcmp(again, out) && lv2 == lv, "'%s' normalises to '%s'", out, again);
    /* with its own level as the hint too */
    WBF_CHECK(wb_code_normalize(again, &lv2, out, n, lv) == 0 && !strcmp(again, out) && lv2 == lv,
              "'%s' with hint %s", out, wb_level_name(lv));

    char parent[WB_CODE_MAX];
    int pr = wb_code_parent(parent, out);
    if (lv == WB_LEVEL_BUURT || lv == WB_LEVEL_WIJK || lv == WB_LEVEL_GEMEENTE) {
        WBF_CHECK(pr == 0, "'%s' has no parent", out);
        wb_level pl;
        WBF_CHECK(wb_code_normalize(again, &pl, parent, strlen(parent), WB_LEVEL__MAX) == 0 &&
                      !strcmp(again, parent) && pl == lv - 1,
                  "parent '%s' of '%s'", parent, out);
        if (lv != WB_LEVEL_GEMEENTE)
            WBF_CHECK(!strncmp(parent + 2, out + 2, strlen(parent) - 2), "parent '%s' of '%s'",
                      parent, out);
    } else {
        WBF_CHECK(pr == WB_ENOTFOUND && parent[0] == 0, "'%s' (%s) has parent '%s'", out,
                  wb_level_name(lv), parent);
    }

    /* the level names round-trip */
    wb_level back;
    WBF_CHECK(wb_level_parse(&back, wb_level_name(lv)) == 0 && back == lv, "level name");
    return 0;
}
