/** @file @brief `backup FILE`: a consistent copy of the store while it is in use. */
#include <stdio.h>
#include <sys/stat.h>

#include "cli/cmd.h"

static const wb_optdef backup_opts[] = {{NULL, 0, NULL}};

static int cmd_backup(wb_ctx *ctx, wb_args *a)
{
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    const char *dest = a->pos[0];
    int error = wb_store_backup(st, dest);
    wb_store_free(st);
    if (error < 0)
        return wb_cli_fail();
    struct stat sb;
    double mb = stat(dest, &sb) == 0 ? (double)sb.st_size / (1024.0 * 1024.0) : 0;
    printf("wijkbeeld: backed up %s to %s (%.1f MiB)\n", ctx->db_path, dest, mb);
    return 0;
}

static const wb_cmd backup_cmd = {
    "backup", "copy the store to FILE while it is in use (consistent; safe while serving)", "FILE",
    backup_opts, cmd_backup, 1, 1};
WB_COMMAND(backup_cmd)
