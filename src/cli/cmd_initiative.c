/** @file @brief initiative add|update|delete|list|show, milestone add, contribution add|list|delete,
 *  coalitions, import initiatives, export initiatives. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/collab_cli.h"

/* ---------------------------------------------------------------- shared option parsing */

/* The lists that an initiative built from options points into. */
typedef struct {
    char **themes, **areas;
    size_t nthemes, nareas;
    wb_initiative_target *targets;
    size_t ntargets;
} opt_lists;

static void opt_lists_free(opt_lists *l)
{
    wbx_list_free(l->themes, l->nthemes);
    wbx_list_free(l->areas, l->nareas);
    free(l->targets);
}

static int parse_targets(const char *s, opt_lists *l)
{
    char **items = NULL;
    size_t n = 0;
    wbx_split(s, ",;", &items, &n);
    l->targets = calloc(n + 1, sizeof *l->targets);
    if (!l->targets)
        abort();
    for (size_t i = 0; i < n; i++) {
        char *c = strrchr(items[i], ':');
        int d = c && !strcmp(c + 1, "up") ? 1 : c && !strcmp(c + 1, "down") ? -1 : 0;
        if (!d || c == items[i] || (size_t)(c - items[i]) >= sizeof l->targets[0].indicator) {
            wb_cli_usage("--target: expected KEY:up or KEY:down (comma-separated), got '%s'", items[i]);
            wbx_list_free(items, n);
            return -1;
        }
        *c = 0;
        snprintf(l->targets[i].indicator, sizeof l->targets[i].indicator, "%s", items[i]);
        l->targets[i].direction = d;
    }
    l->ntargets = n;
    wbx_list_free(items, n);
    return 0;
}

/* Fill @p in from the options that were given (others are left alone). @return 0 or an exit code. */
static int apply_opts(wb_store *st, const wb_args *a, wb_initiative *in, opt_lists *l)
{
    const char *v;
    if ((v = wb_arg(a, "title")))
        in->title = (char *)v;
    if ((v = wb_arg(a, "description")))
        in->description = (char *)v;
    if ((v = wb_arg(a, "status")))
        in->status = (char *)v;
    if ((v = wb_arg(a, "start")))
        in->start = (char *)v;
    if ((v = wb_arg(a, "end")))
        in->end = (char *)v;
    if ((v = wb_arg(a, "lead")) && wbx_partner(st, v, &in->lead_partner_id) < 0)
        return 1;
    if ((v = wb_arg(a, "theme"))) {
        wbx_split(v, ",;|", &l->themes, &l->nthemes);
        in->themes = l->themes;
        in->nthemes = l->nthemes;
    }
    if ((v = wb_arg(a, "area"))) {
        wbx_split(v, ",;| ", &l->areas, &l->nareas);
        in->areas = l->areas;
        in->nareas = l->nareas;
    }
    if (wb_arg(a, "year")) {
        long y;
        if (wb_arg_int(a, "year", 0, 1800, 2200, &y) < 0)
            return 2;
        in->area_year = (int)y;
    }
    if ((v = wb_arg(a, "target"))) {
        if (parse_targets(v, l) < 0)
            return 2;
        in->targets = l->targets;
        in->ntargets = l->ntargets;
    }
    return 0;
}

#define INITIATIVE_OPTS                                                                            \
    {"description", 1, "text (up to 10000 characters)"},                                           \
    {"status", 1, "idee, gepland, lopend, afgerond or gestopt (default idee)"},                     \
    {"start", 1, "first day, YYYY-MM-DD"},                                                          \
    {"end", 1, "last day, YYYY-MM-DD (not before the start)"},                                      \
    {"lead", 1, "lead partner: id or name"},                                                        \
    {"theme", 1, "themes, comma-separated (see 'theme list')"},                                     \
    {"area", 1, "target areas: buurt/wijk/gemeente codes, comma-separated"},                        \
    {"year", 1, "boundary year of the --area codes"},                                               \
    {"target", 1, "indicators to move: KEY:up or KEY:down, comma-separated"},                       \
    {"as", 1, "act as this account (its role and partner decide what is allowed)"}

/* ---------------------------------------------------------------- initiative add */

static const wb_optdef add_opts[] = {INITIATIVE_OPTS, {NULL, 0, NULL}};

static int do_initiative_add(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    wb_initiative in;
    memset(&in, 0, sizeof in);
    opt_lists l;
    memset(&l, 0, sizeof l);
    in.title = (char *)a->pos[0];
    int64_t id;
    int rc = apply_opts(st, a, &in, &l);
    if (rc == 0 && wb_initiative_add(st, &id, actor, &in) < 0)
        rc = wb_cli_fail();
    else if (rc == 0)
        printf("added initiative %lld\n", (long long)id);
    opt_lists_free(&l);
    return rc;
}

static int cmd_initiative_add(wb_ctx *ctx, wb_args *a)
{
    if (!wb_arg(a, "lead"))
        return wb_cli_usage("initiative add: --lead PARTNER is required");
    return wbx_run(ctx, a, 0, do_initiative_add, NULL);
}

static const wb_cmd initiative_add_cmd = {
    "initiative add", "add an initiative",
    "TITLE --lead PARTNER [--status S] [--start D] [--end D] [--theme T,..] [--area CODES --year Y] "
    "[--target KEY:up|down,..]",
    add_opts, cmd_initiative_add, 1, 1};
WB_COMMAND(initiative_add_cmd)

/* ---------------------------------------------------------------- initiative update */

static const wb_optdef update_opts[] = {{"title", 1, "new title"}, INITIATIVE_OPTS, {NULL, 0, NULL}};

static int do_initiative_update(wb_store *st, const wb_actor *actor, const wb_args *a, int64_t id)
{
    wb_initiative *cur = NULL;
    opt_lists l;
    memset(&l, 0, sizeof l);
    int rc = 0;
    if (wb_initiative_get(st, actor, &cur, id) < 0)
        rc = wb_cli_fail();
    if (rc == 0) {
        wb_initiative in = *cur; /* the current values, overridden by the options given */
        if ((rc = apply_opts(st, a, &in, &l)) == 0) {
            if (wb_initiative_update(st, actor, &in) < 0)
                rc = wb_cli_fail();
            else
                printf("updated initiative %lld\n", (long long)id);
        }
    }
    opt_lists_free(&l);
    wb_initiative_free(cur);
    return rc;
}

static int cmd_initiative_update(wb_ctx *ctx, wb_args *a)
{
    return wbx_run_id(ctx, a, "initiative update", do_initiative_update);
}

static const wb_cmd initiative_update_cmd = {
    "initiative update", "change an initiative: the options given replace the current values",
    "ID [--title T] [--status S] [...same options as add]", update_opts, cmd_initiative_update, 1, 1};
WB_COMMAND(initiative_update_cmd)

/* ---------------------------------------------------------------- initiative delete */

static const wb_optdef as_opts[] = {{"as", 1, "act as this account"}, {NULL, 0, NULL}};

static int do_initiative_delete(wb_store *st, const wb_actor *actor, const wb_args *a, int64_t id)
{
    if (wb_initiative_delete(st, actor, id) < 0)
        return wb_cli_fail();
    printf("deleted initiative %lld with its milestones and contributions\n", (long long)id);
    return 0;
}

static int cmd_initiative_delete(wb_ctx *ctx, wb_args *a)
{
    return wbx_run_id(ctx, a, "initiative delete", do_initiative_delete);
}

static const wb_cmd initiative_delete_cmd = {"initiative delete",
                                             "delete an initiative (admin; partners set status gestopt)",
                                             "ID", as_opts, cmd_initiative_delete, 1, 1};
WB_COMMAND(initiative_delete_cmd)

/* ---------------------------------------------------------------- list / export */

static char *join_list(char *const *items, size_t n, const char *sep)
{
    wb_str s = WB_STR_INIT;
    for (size_t i = 0; i < n; i++)
        wb_str_printf(&s, "%s%s", i ? sep : "", items[i]);
    return wb_str_detach(&s);
}

static char *join_targets(const wb_initiative *in, const char *sep)
{
    wb_str s = WB_STR_INIT;
    for (size_t i = 0; i < in->ntargets; i++)
        wb_str_printf(&s, "%s%s:%s", i ? sep : "", in->targets[i].indicator,
                      in->targets[i].direction > 0 ? "up" : "down");
    return wb_str_detach(&s);
}

static const wb_optdef list_opts[] = {
    {"theme", 1, "only initiatives with this theme"},
    {"partner", 1, "only initiatives this partner leads or contributes to (id or name)"},
    {"status", 1, "only this status"},
    {"area", 1, "only initiatives in this area (or its wijk/gemeente, or buurten within it)"},
    {"year", 1, "boundary year of --area"},
    {"format", 1, "table, csv or json"},
    {"as", 1, "read as this account"},
    {NULL, 0, NULL}};

static int load_list(wb_ctx *ctx, wb_args *a, wb_store **stp, wb_initiative **v, size_t *n)
{
    wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
    long year;
    if (wb_arg_int(a, "year", 0, 1800, 2200, &year) < 0)
        return 2;
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    *stp = st;
    q.theme = wb_arg(a, "theme");
    q.status = wb_arg(a, "status");
    q.area = wb_arg(a, "area");
    q.area_year = (int)year;
    wb_actor actor;
    int rc = wbx_actor(st, a, &actor);
    if (rc == 0 && wb_arg(a, "partner") && wbx_partner(st, wb_arg(a, "partner"), &q.partner_id) < 0)
        rc = 1;
    if (rc == 0 && wb_initiative_list(st, &actor, v, n, &q) < 0)
        rc = wb_cli_fail();
    return rc;
}

static int cmd_initiative_list(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    if (wb_arg_format(a, &fmt) < 0)
        return 2;
    wb_store *st = NULL;
    wb_initiative *v = NULL;
    size_t n = 0;
    int rc = load_list(ctx, a, &st, &v, &n);
    if (rc == 0) {
        static const char *const cols[] = {"id", "title", "status", "start", "end", "lead", "themes", "areas",
                                           "area_year"};
        static const int num[] = {1, 0, 0, 0, 0, 0, 0, 0, 1};
        wb_table *t = wb_table_new(stdout, fmt, 9, cols, num);
        for (size_t i = 0; i < n; i++) {
            char *th = join_list(v[i].themes, v[i].nthemes, "; ");
            char *ar = join_list(v[i].areas, v[i].nareas, " ");
            wb_table_int(t, v[i].id);
            wb_table_cell(t, v[i].title);
            wb_table_cell(t, v[i].status);
            wb_table_cell(t, v[i].start);
            wb_table_cell(t, v[i].end);
            wb_table_cell(t, v[i].lead_partner);
            wb_table_cell(t, th);
            wb_table_cell(t, ar);
            if (v[i].nareas)
                wb_table_int(t, v[i].area_year);
            else
                wb_table_cell(t, NULL);
            wb_free(th);
            wb_free(ar);
        }
        wb_table_end(t);
    }
    wb_initiatives_free(v, n);
    wb_store_free(st);
    return rc;
}

static const wb_cmd initiative_list_cmd = {
    "initiative list", "list initiatives (filter by theme, partner, status, area)",
    "[--theme T] [--partner P] [--status S] [--area CODE [--year Y]]", list_opts, cmd_initiative_list, 0, 0};
WB_COMMAND(initiative_list_cmd)

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *strings_json(char *const *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(items[i]));
    return arr;
}

static json_t *initiative_json(const wb_initiative *in)
{
    json_t *tg = json_array();
    for (size_t i = 0; i < in->ntargets; i++)
        json_array_append_new(tg, json_pack("{s:s,s:s}", "indicator", in->targets[i].indicator, "direction",
                                            in->targets[i].direction > 0 ? "up" : "down"));
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(in->id));
    json_object_set_new(o, "title", jstr(in->title));
    json_object_set_new(o, "description", jstr(in->description));
    json_object_set_new(o, "status", jstr(in->status));
    json_object_set_new(o, "start", jstr(in->start));
    json_object_set_new(o, "end", jstr(in->end));
    json_object_set_new(o, "lead", jstr(in->lead_partner));
    json_object_set_new(o, "lead_partner_id", json_integer(in->lead_partner_id));
    json_object_set_new(o, "themes", strings_json(in->themes, in->nthemes));
    json_object_set_new(o, "areas", strings_json(in->areas, in->nareas));
    json_object_set_new(o, "area_year", in->nareas ? json_integer(in->area_year) : json_null());
    json_object_set_new(o, "targets", tg);
    json_object_set_new(o, "proposal_id", in->proposal_id ? json_integer(in->proposal_id) : json_null());
    json_object_set_new(o, "created", jstr(in->created));
    json_object_set_new(o, "updated", jstr(in->updated));
    return o;
}

static const wb_optdef export_opts[] = {
    {"theme", 1, "only initiatives with this theme"},
    {"partner", 1, "only initiatives this partner leads or contributes to"},
    {"status", 1, "only this status"},
    {"area", 1, "only initiatives in this area"},
    {"year", 1, "boundary year of --area"},
    {"format", 1, "csv (default; the columns of 'import initiatives') or json"},
    {NULL, 0, NULL}};

static int cmd_export_initiatives(wb_ctx *ctx, wb_args *a)
{
    const char *f = wb_arg(a, "format");
    if (f && strcmp(f, "csv") && strcmp(f, "json"))
        return wb_cli_usage("export initiatives: --format: expected csv or json, got '%s'", f);
    int json = f && !strcmp(f, "json");
    wb_store *st = NULL;
    wb_initiative *v = NULL;
    size_t n = 0;
    int rc = load_list(ctx, a, &st, &v, &n);
    if (rc == 0 && json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, initiative_json(&v[i]));
        json_dumpf(arr, stdout, JSON_INDENT(1));
        fputc('\n', stdout);
        json_decref(arr);
    } else if (rc == 0) {
        /* the columns 'import initiatives' reads back (lists separated by ';') */
        static const char *const cols[] = {"id", "title", "description", "status", "start", "end", "lead",
                                           "lead_partner_id", "themes", "areas", "area_year", "targets",
                                           "proposal_id", "created", "updated"};
        wb_table *t = wb_table_new(stdout, WB_FMT_CSV, 15, cols, NULL);
        for (size_t i = 0; i < n; i++) {
            char *th = join_list(v[i].themes, v[i].nthemes, ";");
            char *ar = join_list(v[i].areas, v[i].nareas, ";");
            char *tg = join_targets(&v[i], ";");
            wb_table_int(t, v[i].id);
            wb_table_cell(t, v[i].title);
            wb_table_cell(t, v[i].description);
            wb_table_cell(t, v[i].status);
            wb_table_cell(t, v[i].start);
            wb_table_cell(t, v[i].end);
            wb_table_cell(t, v[i].lead_partner);
            wb_table_int(t, v[i].lead_partner_id);
            wb_table_cell(t, th);
            wb_table_cell(t, ar);
            if (v[i].nareas)
                wb_table_int(t, v[i].area_year);
            else
                wb_table_cell(t, NULL);
            wb_table_cell(t, tg);
            if (v[i].proposal_id)
                wb_table_int(t, v[i].proposal_id);
            else
                wb_table_cell(t, NULL);
            wb_table_cell(t, v[i].created);
            wb_table_cell(t, v[i].updated);
            wb_free(th);
            wb_free(ar);
            wb_free(tg);
        }
        wb_table_end(t);
    }
    wb_initiatives_free(v, n);
    wb_store_free(st);
    return rc;
}

static const wb_cmd export_initiatives_cmd = {
    "export initiatives", "all initiatives as CSV (re-importable) or JSON", "[--format csv|json]", export_opts,
    cmd_export_initiatives, 0, 0};
WB_COMMAND(export_initiatives_cmd)

/* ---------------------------------------------------------------- initiative show */

static const wb_optdef show_opts[] = {{"format", 1, "text (default) or json"}, {"as", 1, "read as this account"},
                                      {NULL, 0, NULL}};

typedef struct {
    int64_t id;
    const char *f;
} show_call;

static int do_initiative_show(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const show_call *sc = data;
    const int64_t id = sc->id;
    const char *f = sc->f;
    wb_initiative *in = NULL;
    wb_coalition_year *cy = NULL;
    size_t ncy = 0;
    int rc = 0;
    if ((wb_initiative_get(st, actor, &in, id) < 0 ||
                    wb_coalitions_by_year(st, actor, &cy, &ncy, id) < 0))
        rc = wb_cli_fail();
    if (rc == 0 && f && !strcmp(f, "json")) {
        json_t *o = initiative_json(in);
        json_t *ms = json_array(), *cs = json_array(), *co = json_array();
        for (size_t i = 0; i < in->nmilestones; i++) {
            const wb_milestone *m = &in->milestones[i];
            json_t *j = json_object();
            json_object_set_new(j, "id", json_integer(m->id));
            json_object_set_new(j, "title", jstr(m->title));
            json_object_set_new(j, "due", jstr(m->due));
            json_object_set_new(j, "progress", json_integer(m->progress));
            json_object_set_new(j, "note", jstr(m->note));
            json_array_append_new(ms, j);
        }
        for (size_t i = 0; i < in->ncontributions; i++) {
            const wb_contribution *c = &in->contributions[i];
            json_t *j = json_object();
            json_object_set_new(j, "id", json_integer(c->id));
            json_object_set_new(j, "partner", jstr(c->partner));
            json_object_set_new(j, "kind", jstr(c->kind));
            json_object_set_new(j, "amount", json_real(c->amount));
            json_object_set_new(j, "start", jstr(c->start));
            json_object_set_new(j, "end", jstr(c->end));
            json_object_set_new(j, "note", jstr(c->note));
            json_array_append_new(cs, j);
        }
        for (size_t i = 0; i < ncy; i++)
            json_array_append_new(co, json_pack("{s:i,s:s,s:s,s:s,s:f,s:f,s:f}", "year", cy[i].year, "partners",
                                                cy[i].partners, "joined", cy[i].joined, "left", cy[i].left,
                                                "money_eur", cy[i].money_eur, "hours", cy[i].hours,
                                                "in_kind_eur", cy[i].in_kind_eur));
        json_object_set_new(o, "milestones", ms);
        json_object_set_new(o, "contributions", cs);
        json_object_set_new(o, "coalitions", co);
        json_dumpf(o, stdout, JSON_INDENT(1));
        fputc('\n', stdout);
        json_decref(o);
    } else if (rc == 0) {
        char *th = join_list(in->themes, in->nthemes, ", ");
        char *ar = join_list(in->areas, in->nareas, ", ");
        char *tg = join_targets(in, ", ");
        printf("initiative %lld: %s\n", (long long)in->id, in->title);
        printf("status:   %s\nperiod:   %s .. %s\nlead:     %s\n", in->status, in->start ? in->start : "?",
               in->end ? in->end : "?", in->lead_partner);
        printf("themes:   %s\nareas:    %s", th, ar);
        if (in->nareas)
            printf(" (boundaries %d)", in->area_year);
        printf("\ntargets:  %s\n", tg);
        if (in->proposal_id)
            printf("from resident proposal %lld\n", (long long)in->proposal_id);
        if (in->description)
            printf("\n%s\n", in->description);
        printf("\nmilestones:\n");
        for (size_t i = 0; i < in->nmilestones; i++)
            printf("  %3d%%  %s  %s%s%s\n", in->milestones[i].progress,
                   in->milestones[i].due ? in->milestones[i].due : "          ", in->milestones[i].title,
                   in->milestones[i].note ? " - " : "", in->milestones[i].note ? in->milestones[i].note : "");
        printf("\ncontributions:\n");
        for (size_t i = 0; i < in->ncontributions; i++) {
            const wb_contribution *c = &in->contributions[i];
            printf("  %-36s %-9s %12.2f  %s .. %s%s%s\n", c->partner, c->kind, c->amount, c->start, c->end,
                   c->note ? "  " : "", c->note ? c->note : "");
        }
        printf("\ncoalition by year:\n");
        for (size_t i = 0; i < ncy; i++) {
            printf("  %d  %s", cy[i].year, *cy[i].partners ? cy[i].partners : "(none)");
            if (*cy[i].joined)
                printf("  [joined: %s]", cy[i].joined);
            if (*cy[i].left)
                printf("  [left: %s]", cy[i].left);
            putchar('\n');
        }
        wb_free(th);
        wb_free(ar);
        wb_free(tg);
    }
    wb_coalitions_free(cy, ncy);
    wb_initiative_free(in);
    return rc;
}

static int cmd_initiative_show(wb_ctx *ctx, wb_args *a)
{
    int64_t id;
    const char *f = wb_arg(a, "format");
    if (wbx_id(a->pos[0], "initiative show", &id) < 0)
        return 2;
    if (f && strcmp(f, "text") && strcmp(f, "json"))
        return wb_cli_usage("initiative show: --format: expected text or json, got '%s'", f);
    return wbx_run(ctx, a, 0, do_initiative_show, &(show_call){id, f});
}

static const wb_cmd initiative_show_cmd = {"initiative show",
                                           "an initiative with milestones, contributions and its coalition by year",
                                           "ID [--format text|json]", show_opts, cmd_initiative_show, 1, 1};
WB_COMMAND(initiative_show_cmd)

/* ---------------------------------------------------------------- milestone add */

static const wb_optdef ms_opts[] = {
    {"due", 1, "due date YYYY-MM-DD"},
    {"progress", 1, "per cent done, 0-100 (default 0)"},
    {"note", 1, "a note"},
    {"as", 1, "act as this account"},
    {NULL, 0, NULL}};

static int do_milestone_add(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    int64_t id;
    if (wb_milestone_add(st, &id, actor, data) < 0)
        return wb_cli_fail();
    printf("added milestone %lld\n", (long long)id);
    return 0;
}

static int cmd_milestone_add(wb_ctx *ctx, wb_args *a)
{
    wb_milestone m;
    memset(&m, 0, sizeof m);
    long progress;
    if (wbx_id(a->pos[0], "milestone add", &m.initiative_id) < 0 ||
        wb_arg_int(a, "progress", 0, -1000, 1000, &progress) < 0)
        return 2;
    m.title = (char *)a->pos[1];
    m.due = (char *)wb_arg(a, "due");
    m.note = (char *)wb_arg(a, "note");
    m.progress = (int)progress;
    return wbx_run(ctx, a, 0, do_milestone_add, &m);
}

static const wb_cmd milestone_add_cmd = {"milestone add", "add a milestone (result along the way) to an initiative",
                                         "INITIATIVE_ID TITLE [--due D] [--progress P] [--note N]", ms_opts,
                                         cmd_milestone_add, 2, 2};
WB_COMMAND(milestone_add_cmd)

/* ---------------------------------------------------------------- contributions */

static const wb_optdef cadd_opts[] = {
    {"initiative", 1, "initiative id (required)"},
    {"partner", 1, "contributing partner: id or name (required)"},
    {"kind", 1, "money_eur, hours or in_kind (estimated value in euros) (required)"},
    {"amount", 1, "amount over the whole period, >= 0 (required)"},
    {"start", 1, "first day YYYY-MM-DD (required)"},
    {"end", 1, "last day YYYY-MM-DD (required)"},
    {"note", 1, "a note"},
    {"as", 1, "act as this account"},
    {NULL, 0, NULL}};

static int do_contribution_add(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    wb_contribution *c = data;
    int64_t id;
    if (wbx_partner(st, wb_arg(a, "partner"), &c->partner_id) < 0)
        return 1;
    if (wb_contribution_add(st, &id, actor, c) < 0)
        return wb_cli_fail();
    printf("added contribution %lld\n", (long long)id);
    return 0;
}

static int cmd_contribution_add(wb_ctx *ctx, wb_args *a)
{
    static const char *const req[] = {"initiative", "partner", "kind", "amount", "start", "end"};
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
        if (!wb_arg(a, req[i]))
            return wb_cli_usage("contribution add: --%s is required", req[i]);
    wb_contribution c;
    memset(&c, 0, sizeof c);
    if (wbx_id(wb_arg(a, "initiative"), "--initiative", &c.initiative_id) < 0 ||
        wb_arg_double(a, "amount", 0, &c.amount) < 0)
        return 2;
    c.kind = (char *)wb_arg(a, "kind");
    c.start = (char *)wb_arg(a, "start");
    c.end = (char *)wb_arg(a, "end");
    c.note = (char *)wb_arg(a, "note");
    return wbx_run(ctx, a, 0, do_contribution_add, &c);
}

static const wb_cmd contribution_add_cmd = {
    "contribution add", "record what a partner puts into an initiative over a period",
    "--initiative ID --partner P --kind money_eur|hours|in_kind --amount A --start D --end D", cadd_opts,
    cmd_contribution_add, 0, 0};
WB_COMMAND(contribution_add_cmd)

static const wb_optdef clist_opts[] = {
    {"initiative", 1, "only this initiative"},
    {"partner", 1, "only this partner (id or name)"},
    {"format", 1, "table, csv or json"},
    {NULL, 0, NULL}};

typedef struct {
    wb_format fmt;
    int64_t ini;
} clist_call;

static int do_contribution_list(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const clist_call *cl = data;
    const wb_format fmt = cl->fmt;
    const int64_t ini = cl->ini;
    int64_t partner = 0;
    wb_contribution *c = NULL;
    size_t n = 0;
    int rc = 0;
    if (wb_arg(a, "partner") && wbx_partner(st, wb_arg(a, "partner"), &partner) < 0)
        rc = 1;
    if (rc == 0 && wb_contribution_list(st, actor, &c, &n, ini, partner) < 0)
        rc = wb_cli_fail();
    if (rc == 0) {
        static const char *const cols[] = {"id", "initiative_id", "partner", "kind", "amount", "start", "end", "note"};
        static const int num[] = {1, 1, 0, 0, 1, 0, 0, 0};
        wb_table *t = wb_table_new(stdout, fmt, 8, cols, num);
        for (size_t i = 0; i < n; i++) {
            wb_table_int(t, c[i].id);
            wb_table_int(t, c[i].initiative_id);
            wb_table_cell(t, c[i].partner);
            wb_table_cell(t, c[i].kind);
            wb_table_num(t, c[i].amount);
            wb_table_cell(t, c[i].start);
            wb_table_cell(t, c[i].end);
            wb_table_cell(t, c[i].note);
        }
        wb_table_end(t);
    }
    wb_contributions_free(c, n);
    return rc;
}

static int cmd_contribution_list(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    int64_t ini = 0;
    if (wb_arg_format(a, &fmt) < 0 || (wb_arg(a, "initiative") && wbx_id(wb_arg(a, "initiative"), "--initiative", &ini) < 0))
        return 2;
    return wbx_run(ctx, a, 0, do_contribution_list, &(clist_call){fmt, ini});
}

static const wb_cmd contribution_list_cmd = {"contribution list", "list contributions",
                                             "[--initiative ID] [--partner P]", clist_opts, cmd_contribution_list, 0, 0};
WB_COMMAND(contribution_list_cmd)

static int do_contribution_delete(wb_store *st, const wb_actor *actor, const wb_args *a, int64_t id)
{
    if (wb_contribution_delete(st, actor, id) < 0)
        return wb_cli_fail();
    printf("deleted contribution %lld\n", (long long)id);
    return 0;
}

static int cmd_contribution_delete(wb_ctx *ctx, wb_args *a)
{
    return wbx_run_id(ctx, a, "contribution delete", do_contribution_delete);
}

static const wb_cmd contribution_delete_cmd = {"contribution delete", "delete a contribution", "ID", as_opts,
                                               cmd_contribution_delete, 1, 1};
WB_COMMAND(contribution_delete_cmd)

/* ---------------------------------------------------------------- coalitions */

static const wb_optdef coal_opts[] = {
    {"initiative", 1, "only this initiative"},
    {"by", 1, "year: the coalition of each year with who joined and who left"},
    {"at", 1, "the coalition on this date (default today)"},
    {"matrix", 0, "partners x areas x themes instead"},
    {"year", 1, "with --matrix: only this calendar year (amounts pro rata)"},
    {"format", 1, "table, csv or json"},
    {NULL, 0, NULL}};

typedef struct {
    wb_format fmt;
    int64_t ini;
    long year;
    const char *by;
} coal_call;

static int do_coalitions(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const coal_call *cc = data;
    const wb_format fmt = cc->fmt;
    const int64_t ini = cc->ini;
    const long year = cc->year;
    const char *by = cc->by;
    int rc = 0;
    if (wb_arg_has(a, "matrix")) {
        wb_collab_cell *c = NULL;
        size_t n = 0;
        if (wb_collab_matrix(st, actor, &c, &n, (int)year) < 0) {
            rc = wb_cli_fail();
        } else {
            static const char *const cols[] = {"partner_id", "partner", "code", "area_year", "theme",
                                               "initiatives", "money_eur", "hours", "in_kind_eur"};
            static const int num[] = {1, 0, 0, 1, 0, 1, 1, 1, 1};
            wb_table *t = wb_table_new(stdout, fmt, 9, cols, num);
            for (size_t i = 0; i < n; i++) {
                wb_table_int(t, c[i].partner_id);
                wb_table_cell(t, c[i].partner);
                wb_table_cell(t, c[i].code);
                wb_table_int(t, c[i].area_year);
                wb_table_cell(t, c[i].theme);
                wb_table_int(t, (long long)c[i].initiatives);
                wb_table_cellf(t, "%.2f", c[i].money_eur);
                wb_table_cellf(t, "%.2f", c[i].hours);
                wb_table_cellf(t, "%.2f", c[i].in_kind_eur);
            }
            wb_table_end(t);
        }
        wb_collab_cells_free(c, n);
    } else if (rc == 0 && by) {
        wb_coalition_year *c = NULL;
        size_t n = 0;
        if (wb_coalitions_by_year(st, actor, &c, &n, ini) < 0) {
            rc = wb_cli_fail();
        } else {
            static const char *const cols[] = {"initiative_id", "title", "year", "npartners", "partners", "joined",
                                               "left", "money_eur", "hours", "in_kind_eur"};
            static const int num[] = {1, 0, 1, 1, 0, 0, 0, 1, 1, 1};
            wb_table *t = wb_table_new(stdout, fmt, 10, cols, num);
            for (size_t i = 0; i < n; i++) {
                wb_table_int(t, c[i].initiative_id);
                wb_table_cell(t, c[i].title);
                wb_table_int(t, c[i].year);
                wb_table_int(t, (long long)c[i].npartners);
                wb_table_cell(t, c[i].partners);
                wb_table_cell(t, c[i].joined);
                wb_table_cell(t, c[i].left);
                wb_table_cellf(t, "%.2f", c[i].money_eur);
                wb_table_cellf(t, "%.2f", c[i].hours);
                wb_table_cellf(t, "%.2f", c[i].in_kind_eur);
            }
            wb_table_end(t);
        }
        wb_coalitions_free(c, n);
    } else if (rc == 0) {
        char today[11];
        wbx_today(today);
        const char *at = wb_arg(a, "at") ? wb_arg(a, "at") : today;
        wb_initiative *v = NULL;
        size_t n = 0;
        wb_initiative_query q = WB_INITIATIVE_QUERY_INIT;
        if (wb_initiative_list(st, actor, &v, &n, &q) < 0) {
            rc = wb_cli_fail();
        } else {
            static const char *const cols[] = {"initiative_id", "title", "lead", "date", "partners"};
            static const int num[] = {1, 0, 0, 0, 0};
            wb_table *t = NULL;
            size_t shown = 0;
            for (size_t i = 0; i < n && rc == 0; i++) {
                if (ini && v[i].id != ini)
                    continue;
                char *partners = NULL;
                if (wb_coalition_at(st, actor, &partners, v[i].id, at) < 0) {
                    rc = wb_cli_fail();
                    break;
                }
                if (!t)
                    t = wb_table_new(stdout, fmt, 5, cols, num);
                wb_table_int(t, v[i].id);
                wb_table_cell(t, v[i].title);
                wb_table_cell(t, v[i].lead_partner);
                wb_table_cell(t, at);
                wb_table_cell(t, partners);
                wb_free(partners);
                shown++;
            }
            if (rc == 0 && ini && !shown)
                rc = wb_cli_usage("coalitions: no initiative %lld", (long long)ini);
            if (t)
                wb_table_end(t);
            else if (rc == 0)
                wb_table_end(wb_table_new(stdout, fmt, 5, cols, num));
        }
        wb_initiatives_free(v, n);
    }
    return rc;
}

static int cmd_coalitions(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    int64_t ini = 0;
    long year;
    const char *by = wb_arg(a, "by");
    if (wb_arg_format(a, &fmt) < 0 || wb_arg_int(a, "year", 0, 1900, 2200, &year) < 0 ||
        (wb_arg(a, "initiative") && wbx_id(wb_arg(a, "initiative"), "--initiative", &ini) < 0))
        return 2;
    if (by && strcmp(by, "year"))
        return wb_cli_usage("coalitions: --by: expected year, got '%s'", by);
    if (wb_arg_has(a, "matrix") && (by || wb_arg(a, "at") || ini))
        return wb_cli_usage("coalitions: --matrix does not combine with --by, --at or --initiative");
    if (wb_arg(a, "year") && !wb_arg_has(a, "matrix"))
        return wb_cli_usage("coalitions: --year goes with --matrix (use --by year for every year)");
    return wbx_run(ctx, a, 0, do_coalitions, &(coal_call){fmt, ini, year, by});
}

static const wb_cmd coalitions_cmd = {
    "coalitions", "which partners contribute to each initiative: at a date, by year, or partners x areas x themes",
    "[--initiative ID] [--by year | --at DATE | --matrix [--year Y]]", coal_opts, cmd_coalitions, 0, 0};
WB_COMMAND(coalitions_cmd)

/* ---------------------------------------------------------------- import initiatives */

static int do_import_initiatives(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const wb_ctx *ctx = data;
    wb_import_result res;
    memset(&res, 0, sizeof res);
    int rc = 0;
    if (wb_initiative_import_csv(st, actor, a->pos[0], &res) < 0) {
        rc = wb_cli_fail();
    } else {
        if (res.ignored && !ctx->quiet)
            fprintf(stderr, "wijkbeeld: ignored unknown columns: %s\n", res.ignored);
        printf("%zu initiatives added, %zu updated\n", res.added, res.updated);
    }
    wb_free(res.ignored);
    return rc;
}

static int cmd_import_initiatives(wb_ctx *ctx, wb_args *a)
{
    return wbx_run(ctx, a, 0, do_import_initiatives, ctx);
}

static const wb_cmd import_initiatives_cmd = {
    "import initiatives", "import a municipality's spreadsheet of initiatives (CSV; all rows or nothing)",
    "FILE.csv", as_opts, cmd_import_initiatives, 1, 1};
WB_COMMAND(import_initiatives_cmd)
