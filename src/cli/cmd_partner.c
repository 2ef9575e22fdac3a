/** @file @brief partner add|list, theme add|list, setting set, audit. */
#include <stdlib.h>
#include <string.h>

#include "cli/collab_cli.h"

/* ---------------------------------------------------------------- partner add */

static const wb_optdef padd_opts[] = {
    {"type", 1, "gemeente, woningcorporatie, zorg en welzijn, politie, onderwijs, bewonersorganisatie, "
                "ondernemers or overig (required)"},
    {"contact", 1, "contact person, e-mail or phone"},
    {NULL, 0, NULL}};

static int do_partner_add(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    int64_t id;
    if (wb_partner_add(st, &id, actor, a->pos[0], wb_arg(a, "type"), wb_arg(a, "contact")) < 0)
        return wb_cli_fail();
    printf("added partner '%s' (id %lld)\n", a->pos[0], (long long)id);
    return 0;
}

static int cmd_partner_add(wb_ctx *ctx, wb_args *a)
{
    if (!wb_arg(a, "type"))
        return wb_cli_usage("partner add: --type is required (gemeente, woningcorporatie, zorg en welzijn, "
                            "politie, onderwijs, bewonersorganisatie, ondernemers, overig)");
    return wbx_run(ctx, a, 1, do_partner_add, NULL);
}

static const wb_cmd partner_add_cmd = {"partner add", "add a partner organisation",
                                       "NAME --type TYPE [--contact TEXT]", padd_opts, cmd_partner_add, 1, 1};
WB_COMMAND(partner_add_cmd)

/* ---------------------------------------------------------------- partner list */

static const wb_optdef fmt_opts[] = {{"format", 1, "table, csv or json"}, {NULL, 0, NULL}};

static int do_partner_list(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const wb_format fmt = *(const wb_format *)data;
    wb_partner *p = NULL;
    size_t n = 0;
    int rc = 0;
    if (wb_partner_list(st, actor, &p, &n) < 0)
        rc = wb_cli_fail();
    if (rc == 0) {
        static const char *const cols[] = {"id", "name", "type", "contact"};
        static const int num[] = {1, 0, 0, 0};
        wb_table *t = wb_table_new(stdout, fmt, 4, cols, num);
        for (size_t i = 0; i < n; i++) {
            wb_table_int(t, p[i].id);
            wb_table_cell(t, p[i].name);
            wb_table_cell(t, p[i].type);
            wb_table_cell(t, p[i].contact);
        }
        wb_table_end(t);
    }
    wb_partners_free(p, n);
    return rc;
}

static int cmd_partner_list(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    if (wb_arg_format(a, &fmt) < 0)
        return 2;
    return wbx_run(ctx, a, 0, do_partner_list, &fmt);
}

static const wb_cmd partner_list_cmd = {"partner list", "list partner organisations (id,name,type,contact)",
                                        "[--format F]", fmt_opts, cmd_partner_list, 0, 0};
WB_COMMAND(partner_list_cmd)

/* ---------------------------------------------------------------- themes */

static const wb_optdef none_opts[] = {{NULL, 0, NULL}};

static int do_theme_add(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    if (wb_theme_add(st, NULL, actor, a->pos[0]) < 0)
        return wb_cli_fail();
    printf("added theme '%s'\n", a->pos[0]);
    return 0;
}

static int cmd_theme_add(wb_ctx *ctx, wb_args *a)
{
    return wbx_run(ctx, a, 1, do_theme_add, NULL);
}

static const wb_cmd theme_add_cmd = {"theme add", "extend the list of themes", "NAME", none_opts,
                                     cmd_theme_add, 1, 1};
WB_COMMAND(theme_add_cmd)

static int cmd_theme_list(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    if (wb_arg_format(a, &fmt) < 0)
        return 2;
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    if (wb_theme_list(st, &names, &n) < 0) {
        rc = wb_cli_fail();
    } else {
        static const char *const cols[] = {"theme"};
        wb_table *t = wb_table_new(stdout, fmt, 1, cols, NULL);
        for (size_t i = 0; i < n; i++)
            wb_table_cell(t, names[i]);
        wb_table_end(t);
    }
    wb_strings_free(names, n);
    wb_store_free(st);
    return rc;
}

static const wb_cmd theme_list_cmd = {"theme list", "list the themes", "[--format F]", fmt_opts,
                                      cmd_theme_list, 0, 0};
WB_COMMAND(theme_list_cmd)

/* ---------------------------------------------------------------- settings */

static int do_setting_set(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    if (wb_setting_set(st, actor, a->pos[0], a->pos[1]) < 0)
        return wb_cli_fail();
    printf("%s = %s\n", a->pos[0], a->pos[1]);
    return 0;
}

static int cmd_setting_set(wb_ctx *ctx, wb_args *a)
{
    return wbx_run(ctx, a, 0, do_setting_set, NULL);
}

static const wb_cmd setting_set_cmd = {
    "setting set", "change a setting: monitor_public 1 (readable without account) or 0 (closed)",
    "KEY VALUE", none_opts, cmd_setting_set, 2, 2};
WB_COMMAND(setting_set_cmd)

/* ---------------------------------------------------------------- audit */

static const wb_optdef audit_opts[] = {
    {"entity", 1, "only this kind: user, partner, theme, initiative, milestone, contribution, proposal, setting"},
    {"id", 1, "only this entity id"},
    {"limit", 1, "at most this many entries (newest first; default 100, 0: all)"},
    {"format", 1, "table, csv or json"},
    {NULL, 0, NULL}};

typedef struct {
    wb_format fmt;
    long id, limit;
} audit_call;

static int do_audit(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const audit_call *c = data;
    const wb_format fmt = c->fmt;
    const long id = c->id, limit = c->limit;
    wb_audit_entry *e = NULL;
    size_t n = 0;
    int rc = 0;
    if (wb_audit_list(st, actor, &e, &n, wb_arg(a, "entity"), id, (size_t)limit) < 0)
        rc = wb_cli_fail();
    if (rc == 0) {
        static const char *const cols[] = {"id", "at", "actor", "action", "entity", "entity_id", "before", "after"};
        static const int num[] = {1, 0, 0, 0, 0, 1, 0, 0};
        wb_table *t = wb_table_new(stdout, fmt, 8, cols, num);
        for (size_t i = 0; i < n; i++) {
            wb_table_int(t, e[i].id);
            wb_table_cell(t, e[i].at);
            wb_table_cell(t, e[i].actor);
            wb_table_cell(t, e[i].action);
            wb_table_cell(t, e[i].entity);
            if (e[i].entity_id)
                wb_table_int(t, e[i].entity_id);
            else
                wb_table_cell(t, NULL);
            wb_table_cell(t, e[i].before);
            wb_table_cell(t, e[i].after);
        }
        wb_table_end(t);
    }
    wb_audit_free(e, n);
    return rc;
}

static int cmd_audit(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    long id, limit;
    if (wb_arg_format(a, &fmt) < 0 || wb_arg_int(a, "id", 0, 0, 1L << 62, &id) < 0 ||
        wb_arg_int(a, "limit", 100, 0, 1L << 30, &limit) < 0)
        return 2;
    return wbx_run(ctx, a, 0, do_audit, &(audit_call){fmt, id, limit});
}

static const wb_cmd audit_cmd = {"audit", "the audit log: who changed what, when, before and after",
                                 "[--entity E] [--id N] [--limit N]", audit_opts, cmd_audit, 0, 0};
WB_COMMAND(audit_cmd)
