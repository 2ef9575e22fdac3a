/** @file @brief Resident proposals: proposal add|list|support|adopt|decline|hide, demo register. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/collab_cli.h"

static const wb_optdef add_opts[] = {
    {"as", 1, "the resident filing it (required: proposals have an author account)"},
    {"area", 1, "buurt or wijk code (required)"},
    {"year", 1, "boundary year of the area (required)"},
    {"title", 1, "title, up to 200 characters (required)"},
    {"text", 1, "the proposal, up to 5000 characters (required)"},
    {"theme", 1, "one theme (required; see 'theme list')"},
    {"cost", 1, "estimated cost in euros"},
    {NULL, 0, NULL}};

static int do_proposal_add(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    int64_t id;
    if (wb_proposal_add(st, &id, actor, data) < 0)
        return wb_cli_fail();
    printf("filed proposal %lld\n", (long long)id);
    return 0;
}

static int cmd_proposal_add(wb_ctx *ctx, wb_args *a)
{
    static const char *const req[] = {"as", "area", "year", "title", "text", "theme"};
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
        if (!wb_arg(a, req[i]))
            return wb_cli_usage("proposal add: --%s is required", req[i]);
    wb_proposal p;
    memset(&p, 0, sizeof p);
    long year;
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0 || wb_arg_double(a, "cost", NAN, &p.est_cost_eur) < 0)
        return 2;
    p.area = (char *)wb_arg(a, "area");
    p.area_year = (int)year;
    p.title = (char *)wb_arg(a, "title");
    p.text = (char *)wb_arg(a, "text");
    p.theme = (char *)wb_arg(a, "theme");
    return wbx_run(ctx, a, 0, do_proposal_add, &p);
}

static const wb_cmd proposal_add_cmd = {
    "proposal add", "file a resident proposal for a buurt",
    "--as RESIDENT --area CODE --year Y --title T --text X --theme T [--cost EUR]", add_opts, cmd_proposal_add, 0, 0};
WB_COMMAND(proposal_add_cmd)

static const wb_optdef list_opts[] = {
    {"status", 1, "open, adopted, declined or hidden"},
    {"area", 1, "only this area (or buurten of this wijk)"},
    {"year", 1, "boundary year of the area"},
    {"theme", 1, "only this theme"},
    {"format", 1, "table, csv or json"},
    {"as", 1, "read as this account (hidden proposals only for the admin)"},
    {NULL, 0, NULL}};

typedef struct {
    wb_format fmt;
    wb_proposal_query q;
} list_call;

static int do_proposal_list(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const list_call *c = data;
    wb_proposal *p = NULL;
    size_t n = 0;
    int rc = 0;
    if (wb_proposal_list(st, actor, &p, &n, &c->q) < 0)
        rc = wb_cli_fail();
    if (rc == 0) {
        static const char *const cols[] = {"id", "title", "author", "area", "area_year", "theme", "est_cost_eur",
                                           "status", "supports", "initiative_id", "decline_reason", "text"};
        static const int num[] = {1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0};
        wb_table *t = wb_table_new(stdout, c->fmt, 12, cols, num);
        for (size_t i = 0; i < n; i++) {
            wb_table_int(t, p[i].id);
            wb_table_cell(t, p[i].title);
            wb_table_cell(t, p[i].author);
            wb_table_cell(t, p[i].area);
            wb_table_int(t, p[i].area_year);
            wb_table_cell(t, p[i].theme);
            wb_table_num(t, p[i].est_cost_eur);
            wb_table_cell(t, p[i].status);
            wb_table_int(t, p[i].supports);
            if (p[i].initiative_id)
                wb_table_int(t, p[i].initiative_id);
            else
                wb_table_cell(t, NULL);
            wb_table_cell(t, p[i].decline_reason);
            wb_table_cell(t, p[i].text);
        }
        wb_table_end(t);
    }
    wb_proposals_free(p, n);
    return rc;
}

static int cmd_proposal_list(wb_ctx *ctx, wb_args *a)
{
    list_call c = {.q = WB_PROPOSAL_QUERY_INIT};
    long year;
    if (wb_arg_format(a, &c.fmt) < 0 || wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0)
        return 2;
    c.q.status = wb_arg(a, "status");
    c.q.area = wb_arg(a, "area");
    c.q.area_year = (int)year;
    c.q.theme = wb_arg(a, "theme");
    return wbx_run(ctx, a, 0, do_proposal_list, &c);
}

static const wb_cmd proposal_list_cmd = {"proposal list", "list resident proposals with their support",
                                         "[--status S] [--area CODE] [--theme T]", list_opts, cmd_proposal_list, 0, 0};
WB_COMMAND(proposal_list_cmd)

static const wb_optdef support_opts[] = {{"as", 1, "the resident who supports (required)"}, {NULL, 0, NULL}};

static int do_proposal_support(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    int64_t id = *(const int64_t *)data;
    if (wb_proposal_support(st, actor, id) < 0)
        return wb_cli_fail();
    printf("%s supports proposal %lld\n", wb_arg(a, "as"), (long long)id);
    return 0;
}

static int cmd_proposal_support(wb_ctx *ctx, wb_args *a)
{
    int64_t id;
    if (wbx_id(a->pos[0], "proposal support", &id) < 0)
        return 2;
    if (!wb_arg(a, "as"))
        return wb_cli_usage("proposal support: --as RESIDENT is required (supports are a resident's)");
    return wbx_run(ctx, a, 0, do_proposal_support, &id);
}

static const wb_cmd proposal_support_cmd = {"proposal support", "support a proposal (once per resident)",
                                            "ID --as RESIDENT", support_opts, cmd_proposal_support, 1, 1};
WB_COMMAND(proposal_support_cmd)

static const wb_optdef adopt_opts[] = {
    {"lead", 1, "lead partner of the new initiative (id or name; partner editors: their own)"},
    {"status", 1, "status of the new initiative (default gepland)"},
    {"as", 1, "act as this account"},
    {NULL, 0, NULL}};

static int do_proposal_adopt(wb_store *st, const wb_actor *actor, const wb_args *a, int64_t id)
{
    int64_t lead = 0, ini = 0;
    if (wb_arg(a, "lead") && wbx_partner(st, wb_arg(a, "lead"), &lead) < 0)
        return 1;
    if (wb_proposal_adopt(st, &ini, actor, id, lead, wb_arg(a, "status")) < 0)
        return wb_cli_fail();
    printf("proposal %lld adopted as initiative %lld\n", (long long)id, (long long)ini);
    return 0;
}

static int cmd_proposal_adopt(wb_ctx *ctx, wb_args *a)
{
    return wbx_run_id(ctx, a, "proposal adopt", do_proposal_adopt);
}

static const wb_cmd proposal_adopt_cmd = {"proposal adopt",
                                          "turn a proposal into an initiative that remembers where it came from",
                                          "ID [--lead PARTNER] [--status S]", adopt_opts, cmd_proposal_adopt, 1, 1};
WB_COMMAND(proposal_adopt_cmd)

static const wb_optdef decline_opts[] = {
    {"reason", 1, "why (required; shown to the residents)"},
    {"as", 1, "act as this account"},
    {NULL, 0, NULL}};

static int do_proposal_decline(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    int64_t id = *(const int64_t *)data;
    if (wb_proposal_decline(st, actor, id, wb_arg(a, "reason")) < 0)
        return wb_cli_fail();
    printf("proposal %lld declined\n", (long long)id);
    return 0;
}

static int cmd_proposal_decline(wb_ctx *ctx, wb_args *a)
{
    int64_t id;
    if (wbx_id(a->pos[0], "proposal decline", &id) < 0)
        return 2;
    if (!wb_arg(a, "reason"))
        return wb_cli_usage("proposal decline: --reason TEXT is required");
    return wbx_run(ctx, a, 0, do_proposal_decline, &id);
}

static const wb_cmd proposal_decline_cmd = {"proposal decline", "decline a proposal with a reason",
                                            "ID --reason TEXT", decline_opts, cmd_proposal_decline, 1, 1};
WB_COMMAND(proposal_decline_cmd)

static const wb_optdef hide_opts[] = {{"as", 1, "act as this account"}, {NULL, 0, NULL}};

static int do_proposal_hide(wb_store *st, const wb_actor *actor, const wb_args *a, int64_t id)
{
    if (wb_proposal_hide(st, actor, id) < 0)
        return wb_cli_fail();
    printf("proposal %lld hidden\n", (long long)id);
    return 0;
}

static int cmd_proposal_hide(wb_ctx *ctx, wb_args *a)
{
    return wbx_run_id(ctx, a, "proposal hide", do_proposal_hide);
}

static const wb_cmd proposal_hide_cmd = {"proposal hide", "hide a proposal (moderation by the admin)", "ID",
                                         hide_opts, cmd_proposal_hide, 1, 1};
WB_COMMAND(proposal_hide_cmd)

/* ---------------------------------------------------------------- demo register */

static const wb_optdef demo_opts[] = {
    {"year", 1, "boundary year of the buurten (default: the latest)"},
    {NULL, 0, NULL}};

static int cmd_demo_register(wb_ctx *ctx, wb_args *a)
{
    long year;
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0)
        return 2;
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    wb_collab_demo_result r;
    int rc = 0;
    if (wb_collab_demo(st, &r, a->pos[0], (int)year, NULL) < 0) {
        rc = wb_cli_fail();
    } else {
        printf("demo register: %zu partners, %zu initiatives, %zu contributions, %zu proposals, %zu supports\n",
               r.partners, r.initiatives, r.contributions, r.proposals, r.supports);
        printf("planted gap: %s (%s)\n", r.gap_area,
               r.gap_from_scores ? r.gap_dimension : "no lbm scores yet: chosen by code");
        printf("planted overlap: initiatives %lld and %lld (%s) in %s\n", (long long)r.overlap[0],
               (long long)r.overlap[1], r.overlap_theme, r.overlap_area);
        printf("\ndemo accounts (passwords are random and shown only now):\n");
        for (size_t i = 0; i < r.naccounts; i++)
            printf("  %-16s %-9s %s\n", r.accounts[i].name, wb_role_name(r.accounts[i].role), r.accounts[i].password);
        wbx_wipe(&r, sizeof r);
    }
    wb_store_free(st);
    return rc;
}

static const wb_cmd demo_register_cmd = {
    "demo register", "fill an empty register with demo partners, initiatives, proposals and accounts",
    "GEMEENTE_CODE [--year Y]", demo_opts, cmd_demo_register, 1, 1};
WB_COMMAND(demo_register_cmd)
