/** @file @brief 'overlaps': initiatives of different partners on one theme in the same,
 *  enclosing or neighbouring areas in overlapping periods: candidates to combine. */
#include <stdlib.h>
#include <string.h>

#include "cli/collab_cli.h"
#include "cli/effort_cli.h"

static const wb_optdef overlaps_opts[] = {
    {"year", 1, "only overlaps whose common period touches this year"},
    {"status", 1, "statuses considered (default gepland,lopend)"},
    {"no-neighbours", 0, "only the same and enclosing areas, not neighbouring ones"},
    {"as", 1, "act as this account (its read rights apply)"},
    {"format", 1, "table, csv or json (default: table on a terminal, else csv)"},
    {NULL, 0, NULL}};

static int cmd_overlaps(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    long year;
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 || wb_arg_format(a, &fmt) < 0)
        return 2;
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    int rc = 0;
    wb_actor actor;
    wb_initiative *in = NULL;
    wb_contribution *c = NULL;
    size_t n = 0, nc = 0;
    wb_overlaps ov = WB_OVERLAPS_INIT;
    wb_neighbour_set *ns = NULL;
    if ((rc = wbx_actor(st, a, &actor)) != 0)
        goto done;
    wb_overlaps_opts o = WB_OVERLAPS_OPTS_INIT;
    o.year = (int)year;
    o.statuses = wb_arg(a, "status");
    if (wb_initiative_list(st, &actor, &in, &n, NULL) < 0 || wb_contribution_list(st, &actor, &c, &nc, 0, 0) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    /* neighbouring areas: queen contiguity of the wijken and buurten of the boundary year
     * most initiatives use */
    int nbyear = wb_arg_has(a, "no-neighbours") ? 0 : wbx_common_area_year(in, n);
    if (nbyear && wb_neighbour_set_load(&ns, st, nbyear) < 0) {
        fprintf(stderr, "wijkbeeld: note: %s; only the same and enclosing areas are compared\n",
                wb_error_last()->message);
        ns = NULL;
    }
    o.neighbours = ns ? wb_neighbour_set_get(ns) : NULL;
    if (wb_overlaps_compute(&ov, in, n, c, nc, &o) < 0) {
        rc = wb_cli_fail();
        goto done;
    }
    static const char *const cols[] = {"themes", "relation", "a", "title_a", "lead_a", "area_a", "b", "title_b",
                                       "lead_b", "area_b", "from", "to", "partners"};
    static const int num[] = {0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    wb_table *t = wb_table_new(stdout, fmt, 13, cols, num);
    for (size_t i = 0; i < ov.n; i++) {
        const wb_overlap *x = &ov.pairs[i];
        wb_table_cell(t, x->themes);
        wb_table_cell(t, wb_overlap_relation_name(x->relation));
        wb_table_int(t, x->a);
        wb_table_cell(t, in[x->ia].title);
        wb_table_cell(t, in[x->ia].lead_partner);
        wb_table_cell(t, x->area_a);
        wb_table_int(t, x->b);
        wb_table_cell(t, in[x->ib].title);
        wb_table_cell(t, in[x->ib].lead_partner);
        wb_table_cell(t, x->area_b);
        wb_table_cell(t, x->from[0] ? x->from : NULL);
        wb_table_cell(t, x->to[0] ? x->to : NULL);
        wb_table_cell(t, x->partners);
    }
    wb_table_end(t);
    fprintf(stderr, "wijkbeeld: %zu overlap%s among %zu initiatives with a considered status (%s)%s%s; %s\n", ov.n,
            ov.n == 1 ? "" : "s", ov.nconsidered, o.statuses ? o.statuses : WB_EFFORT_RUNNING, year ? ", touching " : "",
            year ? wb_arg(a, "year") : "",
            ns ? "same, enclosing and neighbouring areas (queen contiguity)" : "same and enclosing areas only");
done:
    wb_neighbour_set_free(ns);
    wb_overlaps_dispose(&ov);
    wb_initiatives_free(in, n);
    wb_contributions_free(c, nc);
    wb_store_free(st);
    return rc;
}

static const wb_cmd overlaps_cmd = {
    "overlaps",
    "initiatives of different partners on one theme in the same (or enclosing) areas in overlapping periods, with the "
    "partners who should talk",
    "[--year Y] [--status S]", overlaps_opts, cmd_overlaps, 0, 0};
WB_COMMAND(overlaps_cmd)
