/** @file @brief wijkbeeld: the command-line program. Global options, then a subcommand. */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"

#define MAX_CMDS 128
static const wb_cmd *cmds[MAX_CMDS];
static size_t ncmds;

void wb_cmd_register(const wb_cmd *cmd)
{
    if (ncmds < MAX_CMDS)
        cmds[ncmds++] = cmd;
}

static int cmp_cmd(const void *a, const void *b)
{
    return strcmp((*(const wb_cmd *const *)a)->name, (*(const wb_cmd *const *)b)->name);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: wijkbeeld [--db FILE] [--quiet] [--digits N] <command> [arguments]\n\n"
               "wijkbeeld %s — how Dutch neighbourhoods are doing.\n\ncommands:\n",
            wb_version());
    for (size_t i = 0; i < ncmds; i++)
        fprintf(f, "  %-20s %s\n", cmds[i]->name, cmds[i]->summary);
    fprintf(f, "\nglobal options:\n  --db FILE            the database (default wijkbeeld.db)\n"
               "  --quiet              no progress output\n"
               "  --digits N           numbers in output tables rounded to N decimals\n"
               "\n'wijkbeeld help COMMAND' shows a command's options.\n");
}

static void cmd_help_text(FILE *f, const wb_cmd *c)
{
    fprintf(f, "usage: wijkbeeld [--db FILE] %s %s\n\n%s\n", c->name, c->usage ? c->usage : "",
            c->summary);
    if (c->opts && c->opts[0].name) {
        fprintf(f, "\noptions:\n");
        for (const wb_optdef *o = c->opts; o->name; o++) {
            char lhs[64];
            snprintf(lhs, sizeof lhs, "--%s%s", o->name, o->takes_value ? " VALUE" : "");
            fprintf(f, "  %-22s %s\n", lhs, o->help ? o->help : "");
        }
    }
}

/* Find the longest command name made of argv words ("import csv" before "import"). */
static const wb_cmd *find_cmd(int argc, char **argv, int *used)
{
    const wb_cmd *best = NULL;
    size_t best_words = 0;
    for (size_t i = 0; i < ncmds; i++) {
        const char *name = cmds[i]->name;
        size_t words = 0;
        const char *p = name;
        int k = 0, ok = 1;
        while (*p) {
            const char *sp = strchr(p, ' ');
            size_t len = sp ? (size_t)(sp - p) : strlen(p);
            if (k >= argc || strlen(argv[k]) != len || strncmp(argv[k], p, len)) {
                ok = 0;
                break;
            }
            k++;
            words++;
            p += len;
            if (*p == ' ')
                p++;
        }
        if (ok && words > best_words) {
            best = cmds[i];
            best_words = words;
        }
    }
    *used = (int)best_words;
    return best;
}

static int parse_args(const wb_cmd *c, wb_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->defs = c->opts;
    for (const wb_optdef *o = c->opts; o && o->name; o++)
        a->ndefs++;
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (!only_pos && !strcmp(s, "--")) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && s[0] == '-' && s[1] == '-' && s[2]) {
            const char *name = s + 2, *eq = strchr(name, '=');
            size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
            size_t k;
            for (k = 0; k < a->ndefs; k++)
                if (strlen(a->defs[k].name) == nlen && !strncmp(a->defs[k].name, name, nlen))
                    break;
            if (k == a->ndefs)
                return wb_cli_usage("%s: unknown option '--%.*s' (see 'wijkbeeld help %s')",
                                    c->name, (int)nlen, name, c->name);
            if (a->defs[k].takes_value) {
                if (eq)
                    a->values[k] = eq + 1;
                else if (i + 1 < argc)
                    a->values[k] = argv[++i];
                else
                    return wb_cli_usage("%s: option '--%s' needs a value", c->name, a->defs[k].name);
            } else {
                if (eq)
                    return wb_cli_usage("%s: option '--%s' takes no value", c->name, a->defs[k].name);
                a->values[k] = "";
            }
            continue;
        }
        if (a->npos == sizeof a->pos / sizeof a->pos[0])
            return wb_cli_usage("%s: too many arguments", c->name);
        a->pos[a->npos++] = s;
    }
    if ((int)a->npos < c->min_pos)
        return wb_cli_usage("%s: missing argument (usage: wijkbeeld %s %s)", c->name, c->name,
                            c->usage ? c->usage : "");
    if ((int)a->npos > c->max_pos)
        return wb_cli_usage("%s: unexpected argument '%s' (usage: wijkbeeld %s %s)", c->name,
                            a->pos[c->max_pos], c->name, c->usage ? c->usage : "");
    return 0;
}

int main(int argc, char **argv)
{
    qsort(cmds, ncmds, sizeof cmds[0], cmp_cmd);
    wb_ctx ctx = {"wijkbeeld.db", argv[0], 0};
    int i = 1;
    const char *envdb = getenv("WIJKBEELD_DB");
    if (envdb && *envdb)
        ctx.db_path = envdb;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            ctx.db_path = argv[++i];
        else if (!strncmp(argv[i], "--db=", 5))
            ctx.db_path = argv[i] + 5;
        else if (!strcmp(argv[i], "--quiet"))
            ctx.quiet = 1;
        else if (!strcmp(argv[i], "--digits") || !strncmp(argv[i], "--digits=", 9)) {
            const char *v = argv[i][8] == '=' ? argv[i] + 9 : i + 1 < argc ? argv[++i] : "";
            char *end;
            long d = strtol(v, &end, 10);
            if (!*v || *end || d < 0 || d > 17)
                return wb_cli_usage("option '--digits' needs a whole number from 0 to 17, got '%s'", v);
            wb_table_set_digits((int)d);
        } else if (!strcmp(argv[i], "--version")) {
            printf("wijkbeeld %s\n", wb_version());
            return 0;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--db")) {
            return wb_cli_usage("option '--db' needs a file name");
        } else
            break;
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[i], "help")) {
        if (i + 1 >= argc) {
            usage(stdout);
            return 0;
        }
        int used = 0;
        const wb_cmd *c = find_cmd(argc - i - 1, argv + i + 1, &used);
        if (!c)
            return wb_cli_usage("no command '%s' (see 'wijkbeeld help')", argv[i + 1]);
        cmd_help_text(stdout, c);
        return 0;
    }
    int used = 0;
    const wb_cmd *c = find_cmd(argc - i, argv + i, &used);
    if (!c)
        return wb_cli_usage("unknown command '%s' (see 'wijkbeeld help')", argv[i]);
    for (int k = i + used; k < argc; k++) {
        if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
            cmd_help_text(stdout, c);
            return 0;
        }
    }
    wb_args args;
    if (parse_args(c, &args, argc - i - used, argv + i + used) != 0)
        return 2;
    return c->fn(&ctx, &args);
}
