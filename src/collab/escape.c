/** @file @brief HTML escaping for the output layer. */
#include <string.h>

#include "wijkbeeld/collab.h"
#include "wijkbeeld/errors.h"

int wb_html_escape_str(wb_str *out, const char *s)
{
    if (!s)
        return 0;
    const char *run = s;
    for (const char *p = s;; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\0': break;
        default: continue;
        }
        if (p > run && wb_str_put(out, run, (size_t)(p - run)) < 0)
            return WB_ENOMEM;
        if (!*p)
            return 0;
        if (wb_str_puts(out, rep) < 0)
            return WB_ENOMEM;
        run = p + 1;
    }
}

char *wb_html_escape(const char *s)
{
    wb_str out = WB_STR_INIT;
    if (wb_html_escape_str(&out, s ? s : "") < 0) {
        wb_str_dispose(&out);
        return NULL;
    }
    return wb_str_detach(&out);
}
