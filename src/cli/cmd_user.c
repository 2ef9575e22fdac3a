/** @file @brief Accounts on the command line: user add|passwd|list|disable|enable. */
#include <stdlib.h>
#include <string.h>

#include "cli/collab_cli.h"

/* ---------------------------------------------------------------- user add */

static const wb_optdef add_opts[] = {
    {"role", 1, "admin, partner, resident or viewer (required)"},
    {"partner", 1, "partner id or name (required for role partner)"},
    {"password-stdin", 0, "read the password from stdin (required; never give it as an argument)"},
    {NULL, 0, NULL}};

typedef struct {
    wb_role role;
    const char *pw;
} add_call;

static int do_user_add(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const add_call *c = data;
    int64_t partner = 0, id = 0;
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    if (c->role == WB_ROLE_PARTNER && wbx_partner(st, wb_arg(a, "partner"), &partner) < 0)
        return 1;
    if (wb_auth_user_add(st, &id, actor, a->pos[0], c->role, partner, c->pw, &o) < 0)
        return wb_cli_fail();
    printf("added %s account '%s' (id %lld)\n", wb_role_name(c->role), a->pos[0], (long long)id);
    return 0;
}

static int cmd_user_add(wb_ctx *ctx, wb_args *a)
{
    wb_role role;
    if (!wb_arg(a, "role"))
        return wb_cli_usage("user add: --role admin|partner|resident|viewer is required");
    if (wb_role_parse(&role, wb_arg(a, "role")) < 0)
        return wb_cli_usage("user add: --role: %s", wb_error_last()->message);
    if (!wb_arg_has(a, "password-stdin"))
        return wb_cli_usage("user add: give the password on stdin with --password-stdin (never on the command line)");
    if (role == WB_ROLE_PARTNER && !wb_arg(a, "partner"))
        return wb_cli_usage("user add: a partner editor needs --partner ID");
    if (role != WB_ROLE_PARTNER && wb_arg(a, "partner"))
        return wb_cli_usage("user add: --partner is only for --role partner");
    char pw[WB_PASSWORD_MAX + 2];
    int rc = wbx_read_password(pw, sizeof pw);
    if (rc == 0)
        rc = wbx_run(ctx, a, 1, do_user_add, &(add_call){role, pw});
    wbx_wipe(pw, sizeof pw);
    return rc;
}

static const wb_cmd user_add_cmd = {
    "user add", "add an account; the password is read from stdin and stored as an Argon2id hash",
    "NAME --role admin|partner|resident|viewer [--partner ID] --password-stdin", add_opts,
    cmd_user_add, 1, 1};
WB_COMMAND(user_add_cmd)

/* ---------------------------------------------------------------- user passwd */

static const wb_optdef passwd_opts[] = {
    {"password-stdin", 0, "read the new password from stdin (required)"},
    {NULL, 0, NULL}};

static int do_user_passwd(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    wb_auth_opts o = WB_AUTH_OPTS_INIT;
    if (wb_auth_user_passwd(st, actor, a->pos[0], data, &o) < 0)
        return wb_cli_fail();
    printf("password of '%s' changed; its sessions were ended\n", a->pos[0]);
    return 0;
}

static int cmd_user_passwd(wb_ctx *ctx, wb_args *a)
{
    if (!wb_arg_has(a, "password-stdin"))
        return wb_cli_usage("user passwd: give the password on stdin with --password-stdin (never on the command line)");
    char pw[WB_PASSWORD_MAX + 2];
    int rc = wbx_read_password(pw, sizeof pw);
    if (rc == 0)
        rc = wbx_run(ctx, a, 0, do_user_passwd, pw);
    wbx_wipe(pw, sizeof pw);
    return rc;
}

static const wb_cmd user_passwd_cmd = {"user passwd", "set a new password (read from stdin)",
                                       "NAME --password-stdin", passwd_opts, cmd_user_passwd, 1, 1};
WB_COMMAND(user_passwd_cmd)

/* ---------------------------------------------------------------- user list */

static const wb_optdef list_opts[] = {{"format", 1, "table, csv or json"}, {NULL, 0, NULL}};

static int do_user_list(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const wb_format fmt = *(const wb_format *)data;
    wb_user *u = NULL;
    size_t n = 0;
    int rc = 0;
    if (wb_auth_user_list(st, actor, &u, &n) < 0)
        rc = wb_cli_fail();
    if (rc == 0) {
        static const char *const cols[] = {"id", "name", "role", "partner_id", "partner", "created", "disabled"};
        static const int num[] = {1, 0, 0, 1, 0, 0, 1};
        wb_table *t = wb_table_new(stdout, fmt, 7, cols, num);
        for (size_t i = 0; i < n; i++) {
            wb_table_int(t, u[i].id);
            wb_table_cell(t, u[i].name);
            wb_table_cell(t, wb_role_name(u[i].role));
            if (u[i].partner_id)
                wb_table_int(t, u[i].partner_id);
            else
                wb_table_cell(t, NULL);
            wb_table_cell(t, u[i].partner);
            wb_table_cell(t, u[i].created);
            wb_table_int(t, u[i].disabled);
        }
        wb_table_end(t);
    }
    wb_users_free(u, n);
    return rc;
}

static int cmd_user_list(wb_ctx *ctx, wb_args *a)
{
    wb_format fmt;
    if (wb_arg_format(a, &fmt) < 0)
        return 2;
    return wbx_run(ctx, a, 0, do_user_list, &fmt);
}

static const wb_cmd user_list_cmd = {"user list", "list accounts (never their passwords or hashes)",
                                     "[--format F]", list_opts, cmd_user_list, 0, 0};
WB_COMMAND(user_list_cmd)

/* ---------------------------------------------------------------- user disable / enable */

static const wb_optdef none_opts[] = {{NULL, 0, NULL}};

static int do_set_disabled(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    int disabled = *(const int *)data;
    if (wb_auth_user_disable(st, actor, a->pos[0], disabled) < 0)
        return wb_cli_fail();
    printf("account '%s' %s\n", a->pos[0], disabled ? "disabled; its sessions were ended" : "enabled");
    return 0;
}

static int set_disabled(wb_ctx *ctx, wb_args *a, int disabled)
{
    return wbx_run(ctx, a, 0, do_set_disabled, &disabled);
}

static int cmd_user_disable(wb_ctx *ctx, wb_args *a)
{
    return set_disabled(ctx, a, 1);
}

static int cmd_user_enable(wb_ctx *ctx, wb_args *a)
{
    return set_disabled(ctx, a, 0);
}

static const wb_cmd user_disable_cmd = {"user disable", "disable an account and end its sessions", "NAME",
                                        none_opts, cmd_user_disable, 1, 1};
WB_COMMAND(user_disable_cmd)
static const wb_cmd user_enable_cmd = {"user enable", "enable a disabled account", "NAME", none_opts,
                                       cmd_user_enable, 1, 1};
WB_COMMAND(user_enable_cmd)
