/** @file @brief Test helper: the SES-WOA 2019 Amsterdam file into a store (see the header). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/ses_woa_loader.h"

enum { F_PERIOD, F_NAME, F_CODE, F_HH, F_LAAG, F_MID, F_HOOG, F_SES, F_SPREAD, NF };

/* Split one line of "a";"b";... into fields (quotes removed, in place). */
static int split(char *line, char *f[NF])
{
    int n = 0;
    char *p = line;
    while (*p && n < NF) {
        if (*p == '"') {
            char *q = strchr(p + 1, '"');
            if (!q)
                return -1;
            *q = 0;
            f[n++] = p + 1;
            p = q + 1;
        } else {
            f[n++] = p;
            p += strcspn(p, ";");
            if (*p == ';')
                *p++ = 0;
            continue;
        }
        if (*p == ';')
            p++;
    }
    return n;
}

/* A CBS number: spaces around, '.' (or empty) = missing. */
static int number(double *out, const char *s)
{
    while (*s == ' ')
        s++;
    if (!*s || !strcmp(s, ".") || (s[0] == '.' && s[strspn(s, ". ")] == 0)) {
        *out = NAN;
        return 0;
    }
    char *end;
    *out = strtod(s, &end);
    while (*end == ' ')
        end++;
    return *end ? -1 : 0;
}

typedef struct {
    const char *path;
    wbt_ses_stats *stats;
} ctx;

static int load(wb_store *st, void *payload)
{
    ctx *c = payload;
    static const char *const keys[] = {"a_hh", "p_opl_laag", "p_opl_mid", "p_opl_hoog", "ses_woa"};
    static const char *const units[] = {"aantal", "%", "%", "%", "score"};
    int64_t ind[5];
    for (int i = 0; i < 5; i++) {
        wb_indicator d = {0};
        d.key = (char *)keys[i];
        d.unit = (char *)units[i];
        d.source = (char *)"CBS SES-WOA (85163NED)";
        int rc = wb_store_indicator_put(st, &ind[i], &d);
        if (rc < 0)
            return rc;
    }
    FILE *f = fopen(c->path, "r");
    if (!f) {
        wb_error_set(WB_ERRCLASS_OS, "%s: cannot open", c->path);
        return WB_EIO;
    }
    char line[4096];
    size_t lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line;
        if (lineno == 1) /* header (after the BOM) */
            continue;
        s[strcspn(s, "\r\n")] = 0;
        if (!*s)
            continue;
        char *fld[NF];
        if (split(s, fld) != NF) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: expected %d fields", c->path, lineno, NF);
            rc = WB_EPARSE;
            break;
        }
        char code[WB_CODE_MAX];
        wb_level level;
        if ((rc = wb_code_normalize(code, &level, fld[F_CODE], strlen(fld[F_CODE]), WB_LEVEL__MAX)) < 0) {
            wb_error_prefix("%s:%zu", c->path, lineno);
            break;
        }
        double v[5];
        const int col[5] = {F_HH, F_LAAG, F_MID, F_HOOG, F_SES};
        for (int i = 0; i < 5; i++)
            if (number(&v[i], fld[col[i]]) < 0) {
                wb_error_set(WB_ERRCLASS_CSV, "%s:%zu: expected a number, got '%s'", c->path, lineno,
                             fld[col[i]]);
                rc = WB_EPARSE;
                goto done;
            }
        int64_t area;
        if ((rc = wb_store_area_put(st, &area, code, 2019, level, fld[F_NAME], NULL)) < 0)
            break;
        for (int i = 0; i < 5; i++)
            if ((rc = wb_store_obs_put(st, ind[i], area, 2019, v[i])) < 0)
                goto done;
        c->stats->rows++;
        if (level == WB_LEVEL_BUURT) {
            c->stats->buurten++;
            if (v[0] == 0)
                c->stats->bu_empty++;
            else if (isnan(v[0]) || isnan(v[1]) || isnan(v[2]) || isnan(v[3]))
                c->stats->bu_missing++;
            else
                c->stats->bu_pop += v[0] * (v[1] + v[2] + v[3]) / 100.0;
        }
    }
done:
    fclose(f);
    return rc;
}

int wbt_load_ses_woa(wb_store *st, const char *path, wbt_ses_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    ctx c = {path, stats};
    return wb_store_transact(st, load, &c);
}
