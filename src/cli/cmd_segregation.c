/** @file @brief `wijkbeeld segregation`: D, H, M (between/within), isolation/exposure per
 *  parent area and year, or location quotients per unit (--lq). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

static const wb_optdef seg_opts[] = {
    {"groups", 1, "group indicators, comma-separated: counts (a_w_all,a_nw_all) or shares in % "
                  "(p_opl_laag,p_opl_mid,p_opl_hoog)"},
    {"total", 1, "total indicator: shares are multiplied by it (shares x total); with --other the "
                 "remainder total - sum is a group"},
    {"other", 0, "add the group 'other' = total - sum of the groups (needs --total)"},
    {"input", 1, "auto (default: unit % or key p_* means shares), counts or shares"},
    {"unit", 1, "level of the units (default buurt)"},
    {"by", 1, "one result per area of this level (default gemeente)"},
    {"within-level", 1, "sub-areas for M = M_between + M_within (default: the level just above "
                        "the units, e.g. wijk; 'none' for no decomposition)"},
    {"in", 1, "only units within this area code (e.g. GM0363)"},
    {"year", 1, "data year"},
    {"years", 1, "data years A-B (one row per year)"},
    {"boundary-year", 1, "boundary year of the units (needed when a data year has several)"},
    {"excess", 1, "a group larger than its total: error (default), drop (leave the unit out) or "
                  "clamp (cap at the total)"},
    {"lq", 0, "location quotients per unit and group instead of the indices"},
    {"format", 1, "table, csv or json (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

static int parse_years(const char *s, int *from, int *to)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || *end != '-')
        return -1;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (errno || end == p || *end || a < 1800 || b > 2200 || a > b)
        return -1;
    *from = (int)a;
    *to = (int)b;
    return 0;
}

/* Split "a,b,c" into q->groups (pointers into buf). */
static int split_groups(wb_seg_query *q, char *buf)
{
    q->ngroups = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        size_t n = strlen(tok);
        while (n && tok[n - 1] == ' ')
            tok[--n] = 0;
        if (!*tok)
            continue;
        if (q->ngroups == WB_SEG_GROUPS_MAX)
            return -1;
        q->groups[q->ngroups++] = tok;
    }
    return 0;
}

static void note_add(char *buf, size_t n, const char *what)
{
    if (!what || !*what)
        return;
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%s", len ? "; " : "", what);
}

/* "p_opl_laag 5, a_hh 2" for the indicators that were missing. */
static void missing_text(char *buf, size_t n, const wb_seg_data *d, const size_t *by)
{
    buf[0] = 0;
    for (size_t i = 0; i <= d->ninputs; i++) {
        const char *key = i < d->ninputs ? d->group_keys[i] : d->total_key;
        if (!by[i] || !*key)
            continue;
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%s %zu", len ? ", " : "", key, by[i]);
    }
}

static int output_indices(const wb_seg_data *d, wb_format fmt, const wb_seg_query *q)
{
    size_t K = d->ngroups;
    enum { FIXED = 20 };
    size_t ncols = FIXED + K + K * (K - 1) + 2;
    const char **names = calloc(ncols, sizeof *names);
    int *num = calloc(ncols, sizeof *num);
    char **owned = calloc(ncols, sizeof *owned);
    if (!names || !num || !owned)
        abort();
    static const char *const fixed[FIXED] = {
        "parent", "name",   "year",     "boundary_year", "areas",     "units",    "empty",
        "missing", "excess", "population", "groups",      "D",         "H",        "M",
        "M_between", "M_within", "between_share", "within_level", "n_sub", "entropy"};
    static const int fixed_num[FIXED] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1};
    size_t c = 0;
    for (; c < FIXED; c++) {
        names[c] = fixed[c];
        num[c] = fixed_num[c];
    }
    for (size_t x = 0; x < K; x++) {
        owned[c] = malloc(160);
        snprintf(owned[c], 160, "xPx:%s", d->group_keys[x]);
        names[c] = owned[c];
        num[c++] = 1;
    }
    for (size_t x = 0; x < K; x++)
        for (size_t y = 0; y < K; y++) {
            if (x == y)
                continue;
            owned[c] = malloc(160);
            snprintf(owned[c], 160, "xPy:%s:%s", d->group_keys[x], d->group_keys[y]);
            names[c] = owned[c];
            num[c++] = 1;
        }
    names[c++] = "source";
    names[c++] = "note";

    char groups[WB_SEG_GROUPS_MAX * 66] = "";
    for (size_t x = 0, len = 0; x < K; x++)
        len += (size_t)snprintf(groups + len, sizeof groups - len, "%s%s", x ? "," : "",
                                d->group_keys[x]);

    int rc = 0;
    wb_table *t = wb_table_new(stdout, fmt, ncols, names, num);
    for (size_t i = 0; i < d->nblocks; i++) {
        const wb_seg_block *b = &d->blocks[i];
        wb_seg_result r;
        if (wb_seg_compute(&r, b->counts, b->nunits, K, b->sub, b->nsub, NULL, NULL) < 0) {
            rc = wb_cli_fail();
            break;
        }
        char note[1024] = "";
        if (b->nunits == 0 && b->n_missing) {
            char m[512];
            missing_text(m, sizeof m, d, b->missing_by);
            char s[700];
            snprintf(s, sizeof s, "every %s has a missing value (%s)", wb_level_name(q->unit_level), m);
            note_add(note, sizeof note, s);
        } else {
            note_add(note, sizeof note, r.note);
        }
        if (!b->sub && r.n_units)
            note_add(note, sizeof note, "no decomposition (--within-level none)");
        double share = NAN;
        if (b->sub && r.M > 0)
            share = r.M_between / r.M;
        else if (b->sub && r.M == 0)
            note_add(note, sizeof note, "M = 0: between share undefined");
        wb_table_cell(t, b->parent);
        wb_table_cell(t, b->parent_name);
        wb_table_int(t, b->year);
        wb_table_int(t, b->boundary_year);
        wb_table_int(t, (long long)b->n_areas);
        wb_table_int(t, (long long)r.n_units);
        wb_table_int(t, (long long)r.n_empty);
        wb_table_int(t, (long long)b->n_missing);
        wb_table_int(t, (long long)b->n_excess);
        wb_table_num(t, r.population);
        wb_table_cell(t, groups);
        wb_table_num(t, r.D);
        wb_table_num(t, r.H);
        wb_table_num(t, r.n_units ? r.M : NAN);
        wb_table_num(t, r.M_between);
        wb_table_num(t, r.M_within);
        wb_table_num(t, share);
        wb_table_cell(t, b->sub ? wb_level_name(q->within_level) : NULL);
        if (b->sub)
            wb_table_int(t, (long long)r.n_sub);
        else
            wb_table_cell(t, NULL);
        wb_table_num(t, r.entropy);
        for (size_t x = 0; x < K; x++)
            wb_table_num(t, r.exposure[x][x]);
        for (size_t x = 0; x < K; x++)
            for (size_t y = 0; y < K; y++)
                if (x != y)
                    wb_table_num(t, r.exposure[x][y]);
        wb_table_cell(t, d->source);
        wb_table_cell(t, note[0] ? note : NULL);
    }
    wb_table_end(t);
    for (size_t k = 0; k < ncols; k++)
        free(owned[k]);
    free(owned);
    free(names);
    free(num);
    return rc;
}

static int output_lq(const wb_seg_data *d, wb_format fmt, const wb_seg_query *q)
{
    size_t K = d->ngroups;
    static const char *const cols[] = {"parent", "year", "boundary_year", "unit", "sub",
                                       "population", "group", "count", "share", "lq", "note"};
    static const int num[] = {0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0};
    wb_table *t = wb_table_new(stdout, fmt, 11, cols, num);
    int rc = 0;
    for (size_t i = 0; i < d->nblocks && rc == 0; i++) {
        const wb_seg_block *b = &d->blocks[i];
        double *lq = malloc((b->nunits ? b->nunits : 1) * K * sizeof *lq);
        if (!lq)
            abort();
        if (wb_seg_lq(lq, b->counts, b->nunits, K) < 0) {
            rc = wb_cli_fail();
            free(lq);
            break;
        }
        for (size_t j = 0; j < b->nunits; j++) {
            const double *cnt = b->counts + j * K;
            double tj = 0;
            for (size_t m = 0; m < K; m++)
                tj += cnt[m];
            if (!(tj > 0))
                continue; /* empty units: counted on stderr */
            for (size_t m = 0; m < K; m++) {
                wb_table_cell(t, b->parent);
                wb_table_int(t, b->year);
                wb_table_int(t, b->boundary_year);
                wb_table_cell(t, b->codes[j]);
                wb_table_cell(t, b->sub && b->sub_codes[b->sub[j]][0] ? b->sub_codes[b->sub[j]] : NULL);
                wb_table_num(t, tj);
                wb_table_cell(t, d->group_keys[m]);
                wb_table_num(t, cnt[m]);
                wb_table_num(t, cnt[m] / tj);
                wb_table_num(t, lq[j * K + m]);
                wb_table_cell(t, isnan(lq[j * K + m]) ? "group absent in the parent area: LQ undefined"
                                                       : NULL);
            }
        }
        free(lq);
    }
    wb_table_end(t);
    (void)q;
    return rc;
}

/* One line on stderr: how many units were left out and why. */
static void report_left_out(const wb_seg_data *d, const wb_seg_query *q)
{
    size_t areas = 0, empty = 0, missing = 0, excess = 0, by[WB_SEG_GROUPS_MAX + 1] = {0};
    for (size_t i = 0; i < d->nblocks; i++) {
        const wb_seg_block *b = &d->blocks[i];
        areas += b->n_areas;
        missing += b->n_missing;
        excess += b->n_excess;
        for (size_t k = 0; k <= d->ninputs; k++)
            by[k] += b->missing_by[k];
        for (size_t j = 0; j < b->nunits; j++) {
            double tj = 0;
            for (size_t m = 0; m < d->ngroups; m++)
                tj += b->counts[j * d->ngroups + m];
            empty += !(tj > 0);
        }
    }
    size_t dropped = q->excess == WB_SEG_EXCESS_DROP ? excess : 0;
    if (!empty && !missing && !excess)
        return;
    char line[1024];
    int n = snprintf(line, sizeof line, "%zu of %zu %s areas left out", empty + missing + dropped,
                     areas, wb_level_name(q->unit_level));
    const char *sep = ": ";
    if (empty) {
        n += snprintf(line + n, sizeof line - (size_t)n, "%s%zu with zero population", sep, empty);
        sep = ", ";
    }
    if (missing) {
        char m[512];
        missing_text(m, sizeof m, d, by);
        n += snprintf(line + n, sizeof line - (size_t)n, "%s%zu with a missing value (%s)", sep,
                      missing, m);
        sep = ", ";
    }
    if (dropped)
        n += snprintf(line + n, sizeof line - (size_t)n,
                      "%s%zu with a group larger than its total (--excess drop)", sep, dropped);
    if (excess && q->excess == WB_SEG_EXCESS_CLAMP)
        n += snprintf(line + n, sizeof line - (size_t)n,
                      "; %zu kept with a group capped at its total (--excess clamp)", excess);
    if (d->nblocks > 1)
        snprintf(line + n, sizeof line - (size_t)n, " (per row: columns empty, missing, excess)");
    fprintf(stderr, "wijkbeeld: %s\n", line);
}

static int cmd_segregation(wb_ctx *ctx, wb_args *a)
{
    wb_seg_query q = WB_SEG_QUERY_INIT;
    wb_format fmt;
    long year, byear;
    if (!wb_arg_has(a, "groups"))
        return wb_cli_usage("segregation: --groups KEY1,KEY2[,...] is required");
    char gbuf[1024];
    snprintf(gbuf, sizeof gbuf, "%s", wb_arg(a, "groups"));
    if (split_groups(&q, gbuf) < 0)
        return wb_cli_usage("segregation: at most %d groups", WB_SEG_GROUPS_MAX);
    q.total = wb_arg(a, "total");
    q.other = wb_arg_has(a, "other");
    if (q.ngroups + (q.other ? 1 : 0) < 2)
        return wb_cli_usage("segregation: --groups needs at least two indicators (or one with --other)");
    if (wb_arg_level(a, "unit", 0, &q.unit_level) < 0 || wb_arg_level(a, "by", 0, &q.by_level) < 0 ||
        wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 ||
        wb_arg_int(a, "boundary-year", 0, 1800, 2200, &byear) < 0 || wb_arg_format(a, &fmt) < 0)
        return 2;
    if (!wb_arg_has(a, "unit"))
        q.unit_level = WB_LEVEL_BUURT;
    if (!wb_arg_has(a, "by"))
        q.by_level = WB_LEVEL_GEMEENTE;
    const char *in = wb_arg(a, "input");
    if (in) {
        if (!strcmp(in, "auto"))
            q.input = WB_SEG_INPUT_AUTO;
        else if (!strcmp(in, "counts"))
            q.input = WB_SEG_INPUT_COUNTS;
        else if (!strcmp(in, "shares"))
            q.input = WB_SEG_INPUT_SHARES;
        else
            return wb_cli_usage("segregation: --input must be auto, counts or shares, not '%s'", in);
    }
    const char *wl = wb_arg(a, "within-level");
    if (wl && !strcmp(wl, "none")) {
        q.within_level = WB_LEVEL__MAX;
    } else if (wl) {
        if (wb_arg_level(a, "within-level", 0, &q.within_level) < 0)
            return 2;
    } else if (q.unit_level > WB_LEVEL_GEMEENTE && q.unit_level < WB_LEVEL_OTHER &&
               q.by_level < q.unit_level - 1) {
        q.within_level = (wb_level)(q.unit_level - 1); /* buurt by gemeente: wijk */
    }
    if (wb_arg_has(a, "year") && wb_arg_has(a, "years"))
        return wb_cli_usage("segregation: give --year or --years, not both");
    if (wb_arg_has(a, "year"))
        q.year_from = q.year_to = (int)year;
    if (wb_arg_has(a, "years") && parse_years(wb_arg(a, "years"), &q.year_from, &q.year_to) < 0)
        return wb_cli_usage("segregation: --years expects A-B with A <= B (e.g. 2015-2019), got '%s'",
                            wb_arg(a, "years"));
    q.boundary_year = (int)byear;
    if (wb_arg_has(a, "excess") && wb_seg_excess_parse(&q.excess, wb_arg(a, "excess")) < 0)
        return wb_cli_usage("segregation: %s", wb_error_last()->message);
    char incode[WB_CODE_MAX];
    if (wb_arg_has(a, "in")) {
        const char *raw = wb_arg(a, "in");
        if (wb_code_normalize(incode, NULL, raw, strlen(raw), WB_LEVEL__MAX) < 0)
            return wb_cli_usage("segregation: --in: %s", wb_error_last()->message);
        q.in = incode;
    }

    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_seg_data d;
    int rc = 0;
    if (wb_seg_load(&d, st, &q) < 0) {
        rc = wb_cli_fail();
        wb_store_free(st);
        return rc;
    }
    rc = wb_arg_has(a, "lq") ? output_lq(&d, fmt, &q) : output_indices(&d, fmt, &q);
    if (rc == 0 && !ctx->quiet)
        report_left_out(&d, &q);
    wb_seg_data_dispose(&d);
    wb_store_free(st);
    return rc;
}

static const wb_cmd segregation_cmd = {
    "segregation",
    "segregation per area and year: D, H, M (between/within), isolation/exposure; --lq: location "
    "quotients",
    "--groups KEY1,KEY2[,...] [--total KEY] [--unit buurt] [--by gemeente] [--within-level wijk] "
    "[--year Y | --years A-B] [--lq]",
    seg_opts, cmd_segregation, 0, 0};
WB_COMMAND(segregation_cmd)
