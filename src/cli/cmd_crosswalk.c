/** @file @brief Crosswalk commands: import crosswalk, crosswalk derive, list, show, remove
 *  (thin wrappers over crosswalk.h and crosswalkio.h; docs/crosswalk.md). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "wijkbeeld/crosswalk.h"
#include "wijkbeeld/crosswalkio.h"

/* Defaults of the classification thresholds (docs/crosswalk.md). */
#define DEFAULT_SLIVER 0.01
#define DEFAULT_TOLERANCE 0.01

static int arg_share(const wb_args *a, const char *name, double def, double *out)
{
    if (wb_arg_double(a, name, def, out) < 0)
        return -1;
    if (!(*out >= 0 && *out < 1)) {
        wb_cli_usage("--%s: expected a share from 0 to below 1, got %s", name, wb_arg(a, name));
        return -1;
    }
    return 0;
}

static double share(double w, double total)
{
    return total > 0 ? w / total : NAN;
}

/* "2,738 from-areas: 27 unchanged, ..." on stderr */
static void print_counts(const wb_crosswalk *xw, const wb_xw_counts *c, double sliver, double tol)
{
    fprintf(stderr, "  %zu pairs, %zu of them slivers (both shares below %g)\n", xw->npairs, c->slivers, sliver);
    fprintf(stderr, "  from-areas (%d): %zu unchanged, %zu recoded, %zu reshaped, %zu split, %zu merged, %zu unmatched"
                    " (unchanged and recoded: both shares >= %g)\n",
            xw->info.from_year, c->from[WB_XW_UNCHANGED], c->from[WB_XW_RECODED], c->from[WB_XW_RESHAPED],
            c->from[WB_XW_SPLIT], c->from[WB_XW_MERGED], c->from[WB_XW_UNMATCHED], 1 - tol);
    fprintf(stderr, "  to-areas (%d): %zu unchanged, %zu recoded, %zu reshaped, %zu from a split, %zu merged, "
                    "%zu unmatched (new)\n",
            xw->info.to_year, c->to[WB_XW_UNCHANGED], c->to[WB_XW_RECODED], c->to[WB_XW_RESHAPED], c->to[WB_XW_SPLIT],
            c->to[WB_XW_MERGED], c->to[WB_XW_UNMATCHED]);
}

static json_t *counts_json(const wb_xw_counts *c)
{
    json_t *j = json_object(), *f = json_object(), *t = json_object();
    for (int k = 0; k < WB_XW_CLASS__MAX; k++) {
        json_object_set_new(f, wb_xw_class_name((wb_xw_class)k), json_integer((json_int_t)c->from[k]));
        json_object_set_new(t, wb_xw_class_name((wb_xw_class)k), json_integer((json_int_t)c->to[k]));
    }
    json_object_set_new(j, "from", f);
    json_object_set_new(j, "to", t);
    json_object_set_new(j, "slivers", json_integer((json_int_t)c->slivers));
    return j;
}

static json_t *info_json(const wb_crosswalk_info *in)
{
    json_t *j = json_object();
    json_object_set_new(j, "name", json_string(in->name));
    json_object_set_new(j, "level", json_string(wb_level_name(in->level)));
    json_object_set_new(j, "from_year", json_integer(in->from_year));
    json_object_set_new(j, "to_year", json_integer(in->to_year));
    json_object_set_new(j, "weight", json_string(in->weight == WB_XW_INDICATOR ? in->indicator
                                                                                : wb_xw_weight_name(in->weight)));
    json_object_set_new(j, "source", json_string(in->source));
    if (in->created[0])
        json_object_set_new(j, "created", json_string(in->created));
    return j;
}

static json_t *num_json(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

/* The pairs with their shares, as a table (csv, table, markdown) or inside a JSON document. */
static void print_pairs(const wb_crosswalk *xw, wb_format fmt, double sliver, const wb_xw_counts *counts,
                        double tol, json_t *extra)
{
    const wb_xw_side *F = &xw->from, *T = &xw->to;
    if (fmt == WB_FMT_JSON) {
        json_t *doc = json_object(), *pairs = json_array();
        json_object_set_new(doc, "crosswalk", info_json(&xw->info));
        json_t *th = json_object();
        json_object_set_new(th, "sliver", json_real(sliver));
        json_object_set_new(th, "tolerance", json_real(tol));
        json_object_set_new(doc, "thresholds", th);
        json_object_set_new(doc, "summary", counts_json(counts));
        if (extra)
            json_object_set_new(doc, "derived", extra);
        for (size_t f = 0; f < F->n; f++)
            for (size_t p = F->off[f]; p < F->off[f + 1]; p++) {
                size_t t = F->other[p];
                double sf = share(F->w[p], F->total[f]), sto = share(F->w[p], T->total[t]);
                json_t *r = json_object();
                json_object_set_new(r, "from_code", json_string(F->code[f]));
                json_object_set_new(r, "to_code", json_string(T->code[t]));
                json_object_set_new(r, "weight", json_real(F->w[p]));
                json_object_set_new(r, "share_from", num_json(sf));
                json_object_set_new(r, "share_to", num_json(sto));
                json_object_set_new(r, "sliver", json_boolean(!(sf >= sliver) && !(sto >= sliver)));
                json_object_set_new(r, "implied", json_boolean(F->implied[p]));
                json_array_append_new(pairs, r);
            }
        json_object_set_new(doc, "pairs", pairs);
        json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
        putchar('\n');
        json_decref(doc);
        return;
    }
    static const char *const cols[] = {"from_code", "to_code", "weight", "share_from", "share_to", "sliver", "implied"};
    static const int num[] = {0, 0, 1, 1, 1, 1, 1};
    wb_table *tb = wb_table_new(stdout, fmt, 7, cols, num);
    for (size_t f = 0; f < F->n; f++)
        for (size_t p = F->off[f]; p < F->off[f + 1]; p++) {
            size_t t = F->other[p];
            double sf = share(F->w[p], F->total[f]), sto = share(F->w[p], T->total[t]);
            wb_table_cell(tb, F->code[f]);
            wb_table_cell(tb, T->code[t]);
            wb_table_num(tb, F->w[p]);
            wb_table_num(tb, sf);
            wb_table_num(tb, sto);
            wb_table_int(tb, !(sf >= sliver) && !(sto >= sliver));
            wb_table_int(tb, F->implied[p]);
        }
    wb_table_end(tb);
}

/* ---------------------------------------------------------------- import crosswalk */

static const wb_optdef import_opts[] = {
    {"name", 1, "name of the crosswalk (default: the file name; with several year pairs, NAME_FROM_TO each)"},
    {"weight", 1, "what a column named 'weight' counts: addresses, area, inhabitants or an indicator key"},
    {"create-areas", 0, "create the areas of a year of which no area of that level is stored"},
    {"replace", 0, "replace stored crosswalks of the same name or the same level and years"},
    {"format", 1, "summary as table, csv or json"},
    {NULL, 0, NULL}};

static int cmd_import_crosswalk(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    if (wb_arg_format(a, &fmt) < 0)
        return 2;
    wb_crosswalk_import_opts o = WB_CROSSWALK_IMPORT_OPTS_INIT;
    o.name = wb_arg(a, "name");
    o.weight = wb_arg(a, "weight");
    o.create_areas = wb_arg_has(a, "create-areas");
    o.replace = wb_arg_has(a, "replace");
    wb_store *st = wb_cli_open(ctx, 1);
    if (!st)
        return 1;
    wb_crosswalk_import_summary s;
    int error = wb_crosswalk_import(st, a->pos[0], &o, &s);
    wb_store_free(st);
    if (error < 0)
        return wb_cli_fail();
    static const char *const cols[] = {"name", "level", "from_year", "to_year", "listed", "implied",
                                       "implied_missing", "from_areas", "to_areas", "created"};
    static const int num[] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
    wb_table *t = wb_table_new(stdout, fmt, 10, cols, num);
    for (size_t i = 0; i < s.n; i++) {
        const wb_crosswalk_import_item *it = &s.items[i];
        wb_table_cell(t, it->name);
        wb_table_cell(t, wb_level_name(it->level));
        wb_table_int(t, it->from_year);
        wb_table_int(t, it->to_year);
        wb_table_int(t, (long long)it->listed);
        wb_table_int(t, (long long)it->implied);
        wb_table_int(t, (long long)it->implied_missing);
        wb_table_int(t, (long long)it->from_areas);
        wb_table_int(t, (long long)it->to_areas);
        wb_table_int(t, (long long)it->created);
    }
    wb_table_end(t);
    if (!ctx->quiet)
        for (size_t i = 0; i < s.n; i++)
            if (s.items[i].implied_missing)
                fprintf(stderr, "%s: %zu unchanged %s areas (%s, ...) have no area of that code in %d: not linked\n",
                        s.items[i].name, s.items[i].implied_missing, wb_level_name(s.items[i].level),
                        s.items[i].missing_example, s.items[i].to_year);
    wb_crosswalk_import_summary_dispose(&s);
    return 0;
}

static const wb_cmd import_crosswalk_cmd = {
    "import crosswalk",
    "import a crosswalk between boundary years (VNG grenswijzigen or from_code,from_year,to_code,to_year,weight)",
    "FILE [--name N] [--weight KIND] [--create-areas] [--replace]", import_opts, cmd_import_crosswalk, 1, 1};
WB_COMMAND(import_crosswalk_cmd)

/* ---------------------------------------------------------------- crosswalk derive */

static const wb_optdef derive_opts[] = {
    {"level", 1, "gemeente, wijk or buurt (required)"},
    {"from-year", 1, "boundary year to start from (required)"},
    {"to-year", 1, "boundary year to go to (required)"},
    {"weight", 1, "area (default), or an indicator of the next finer level (buurt a_inw for wijken)"},
    {"data-year", 1, "data year of the indicator (default: the from-year)"},
    {"sliver", 1, "a pair is a sliver when both shares are below this (default 0.01)"},
    {"tolerance", 1, "unchanged and recoded need both shares >= 1 - this (default 0.01)"},
    {"name", 1, "name when stored (default LEVEL_FROM_TO_WEIGHT)"},
    {"store", 0, "store the crosswalk instead of printing its pairs"},
    {"replace", 0, "with --store: replace a stored crosswalk of the same name or level and years"},
    {"format", 1, "pairs as table, csv or json"},
    {NULL, 0, NULL}};

static json_t *derive_json(const wb_crosswalk_derive_summary *s)
{
    json_t *j = json_object();
    json_object_set_new(j, "from_division", json_integer((json_int_t)s->from_division));
    json_object_set_new(j, "to_division", json_integer((json_int_t)s->to_division));
    json_object_set_new(j, "from_areas", json_integer((json_int_t)s->from_areas));
    json_object_set_new(j, "to_areas", json_integer((json_int_t)s->to_areas));
    json_object_set_new(j, "candidates", json_integer((json_int_t)s->overlay.candidates));
    json_object_set_new(j, "repaired_from", json_integer((json_int_t)s->overlay.repaired_a));
    json_object_set_new(j, "repaired_to", json_integer((json_int_t)s->overlay.repaired_b));
    json_object_set_new(j, "overlapped_from", json_integer((json_int_t)s->overlapped_from));
    json_object_set_new(j, "overlapped_to", json_integer((json_int_t)s->overlapped_to));
    if (s->units) {
        json_object_set_new(j, "units", json_integer((json_int_t)s->units));
        json_object_set_new(j, "units_without_value", json_integer((json_int_t)s->units_without_value));
        json_object_set_new(j, "units_without_parent", json_integer((json_int_t)s->units_without_parent));
        json_object_set_new(j, "from_without_weight", json_integer((json_int_t)s->from_without_weight));
    }
    return j;
}

static int cmd_crosswalk_derive(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    long from, to, data_year;
    double sliver, tol;
    wb_crosswalk_derive_opts o = WB_CROSSWALK_DERIVE_OPTS_INIT;
    if (!wb_arg_has(a, "from-year") || !wb_arg_has(a, "to-year"))
        return wb_cli_usage("crosswalk derive: --level L, --from-year A and --to-year B are required");
    if (wb_arg_level(a, "level", 1, &o.level) < 0 || wb_arg_int(a, "from-year", 0, 1800, 2200, &from) < 0 ||
        wb_arg_int(a, "to-year", 0, 1800, 2200, &to) < 0 || wb_arg_int(a, "data-year", 0, 1800, 2200, &data_year) < 0 ||
        arg_share(a, "sliver", DEFAULT_SLIVER, &sliver) < 0 || arg_share(a, "tolerance", DEFAULT_TOLERANCE, &tol) < 0 ||
        wb_arg_format(a, &fmt) < 0)
        return 2;
    if (from == to)
        return wb_cli_usage("crosswalk derive: --from-year and --to-year must differ");
    if (wb_arg_has(a, "replace") && !wb_arg_has(a, "store"))
        return wb_cli_usage("crosswalk derive: --replace needs --store");
    o.from_year = (int)from;
    o.to_year = (int)to;
    o.data_year = (int)data_year;
    o.weight = wb_arg(a, "weight");
    o.name = wb_arg(a, "name");
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_crosswalk *xw = NULL;
    wb_crosswalk_derive_summary s;
    wb_xw_counts c;
    int rc = 0;
    if (wb_crosswalk_derive(&xw, &s, st, &o) < 0 || wb_crosswalk_classify(xw, sliver, tol, NULL, NULL, &c) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    if (wb_arg_has(a, "store")) {
        if (wb_store_begin(st) < 0 || wb_store_crosswalk_put(st, NULL, xw, wb_arg_has(a, "replace") ? WB_XW_REPLACE : 0) < 0 ||
            wb_store_commit(st) < 0) {
            wb_store_rollback(st);
            rc = wb_cli_fail();
            goto done;
        }
    } else {
        print_pairs(xw, fmt, sliver, &c, tol, fmt == WB_FMT_JSON ? derive_json(&s) : NULL);
    }
    if (!ctx->quiet) {
        fprintf(stderr, "%s %d -> %d by %s: %zu of %zu from-areas and %zu of %zu to-areas %s\n",
                wb_level_name(o.level), o.from_year, o.to_year, xw->info.weight == WB_XW_INDICATOR ? xw->info.indicator : "area",
                s.from_areas, s.from_division, s.to_areas, s.to_division,
                s.units ? "hold weighted units" : "have polygons");
        if (wb_arg_has(a, "store"))
            fprintf(stderr, "  stored as crosswalk '%s'\n", xw->info.name);
        if (s.overlay.repaired_a || s.overlay.repaired_b)
            fprintf(stderr, "  repaired with GEOS MakeValid (parts covered twice): %zu from, %zu to\n",
                    s.overlay.repaired_a, s.overlay.repaired_b);
        if (s.overlapped_from || s.overlapped_to)
            fprintf(stderr, "  areas under overlapping polygons of the other year (shares add up to more than 1): "
                            "%zu from, %zu to\n", s.overlapped_from, s.overlapped_to);
        if (s.units)
            fprintf(stderr, "  %zu units: %zu without a value, %zu outside every from-area; %zu from-areas without weight\n",
                    s.units, s.units_without_value, s.units_without_parent, s.from_without_weight);
        print_counts(xw, &c, sliver, tol);
    }
done:
    wb_crosswalk_free(xw);
    wb_store_free(st);
    return rc;
}

static const wb_cmd derive_cmd = {
    "crosswalk derive",
    "derive a crosswalk between two boundary years from the stored polygons (by area or an indicator)",
    "--level L --from-year A --to-year B [--weight area|INDICATOR] [--format csv] [--store]", derive_opts,
    cmd_crosswalk_derive, 0, 0};
WB_COMMAND(derive_cmd)

/* ---------------------------------------------------------------- crosswalk list, show, remove */

static const wb_optdef list_opts[] = {{"format", 1, "table, csv or json"}, {NULL, 0, NULL}};

static int cmd_crosswalk_list(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    if (wb_arg_format(a, &fmt) < 0)
        return 2;
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_crosswalk_info *in = NULL;
    size_t n = 0;
    int error = wb_store_crosswalks(st, &in, &n);
    wb_store_free(st);
    if (error < 0)
        return wb_cli_fail();
    static const char *const cols[] = {"name", "level", "from_year", "to_year", "weight", "source",
                                       "from_areas", "to_areas", "pairs", "created"};
    static const int num[] = {0, 0, 1, 1, 0, 0, 1, 1, 1, 0};
    wb_table *t = wb_table_new(stdout, fmt, 10, cols, num);
    for (size_t i = 0; i < n; i++) {
        wb_table_cell(t, in[i].name);
        wb_table_cell(t, wb_level_name(in[i].level));
        wb_table_int(t, in[i].from_year);
        wb_table_int(t, in[i].to_year);
        wb_table_cell(t, in[i].weight == WB_XW_INDICATOR ? in[i].indicator : wb_xw_weight_name(in[i].weight));
        wb_table_cell(t, in[i].source);
        wb_table_int(t, (long long)in[i].nfrom);
        wb_table_int(t, (long long)in[i].nto);
        wb_table_int(t, (long long)in[i].npairs);
        wb_table_cell(t, in[i].created);
    }
    wb_table_end(t);
    wb_free(in);
    return 0;
}

static const wb_cmd list_cmd = {"crosswalk list", "the stored crosswalks (name, level, years, weight, source, pairs)",
                                "[--format F]", list_opts, cmd_crosswalk_list, 0, 0};
WB_COMMAND(list_cmd)

static const wb_optdef show_opts[] = {
    {"reverse", 0, "show it from the to-year to the from-year"},
    {"sliver", 1, "a pair is a sliver when both shares are below this (default 0.01)"},
    {"tolerance", 1, "unchanged and recoded need both shares >= 1 - this (default 0.01)"},
    {"format", 1, "table, csv or json"},
    {NULL, 0, NULL}};

static int cmd_crosswalk_show(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    double sliver, tol;
    if (wb_arg_format(a, &fmt) < 0 || arg_share(a, "sliver", DEFAULT_SLIVER, &sliver) < 0 ||
        arg_share(a, "tolerance", DEFAULT_TOLERANCE, &tol) < 0)
        return 2;
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_crosswalk *xw = NULL;
    wb_xw_counts c;
    int rc = 0;
    if (wb_store_crosswalk_load(st, &xw, a->pos[0]) < 0 || (wb_arg_has(a, "reverse") && wb_crosswalk_reverse(xw) < 0) ||
        wb_crosswalk_classify(xw, sliver, tol, NULL, NULL, &c) < 0) {
        rc = wb_cli_fail();
    } else {
        print_pairs(xw, fmt, sliver, &c, tol, NULL);
        if (!ctx->quiet) {
            fprintf(stderr, "%s: %s %d -> %d by %s\n", xw->info.name, wb_level_name(xw->info.level), xw->info.from_year,
                    xw->info.to_year,
                    xw->info.weight == WB_XW_INDICATOR ? xw->info.indicator : wb_xw_weight_name(xw->info.weight));
            print_counts(xw, &c, sliver, tol);
        }
    }
    wb_crosswalk_free(xw);
    wb_store_free(st);
    return rc;
}

static const wb_cmd show_cmd = {"crosswalk show", "the pairs of a stored crosswalk with their shares, and what changed",
                                "NAME [--reverse] [--format F]", show_opts, cmd_crosswalk_show, 1, 1};
WB_COMMAND(show_cmd)

static const wb_optdef remove_opts[] = {{NULL, 0, NULL}};

static int cmd_crosswalk_remove(wb_ctx *ctx, wb_args *a)
{
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int error = wb_store_begin(st);
    if (error == 0 && (error = wb_store_crosswalk_remove(st, a->pos[0])) == 0)
        error = wb_store_commit(st);
    if (error < 0)
        wb_store_rollback(st);
    wb_store_free(st);
    if (error < 0)
        return wb_cli_fail();
    if (!ctx->quiet)
        printf("removed crosswalk '%s'\n", a->pos[0]);
    return 0;
}

static const wb_cmd remove_cmd = {"crosswalk remove", "remove a stored crosswalk (its areas stay)", "NAME",
                                  remove_opts, cmd_crosswalk_remove, 1, 1};
WB_COMMAND(remove_cmd)
