/** @file @brief `wijkbeeld serve`: the dashboard and JSON API over HTTP. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/collab_cli.h"

static const wb_optdef serve_opts[] = {
    {"port", 1, "TCP port (default 8080; 0 picks a free one)"},
    {"bind", 1, "address to listen on (default 127.0.0.1; use 0.0.0.0 only behind a proxy)"},
    {"threads", 1, "worker threads (default 2)"},
    {"web", 1, "directory of the dashboard files (default ./web when it exists)"},
    {"max-connections", 1, "open connections at most (default 256)"},
    {"max-connections-per-ip", 1, "open connections from one client address at most (default 32; not applied with --trusted-proxy)"},
    {"request-timeout", 1, "seconds a client has to send a whole request, however slowly it trickles (default 10)"},
    {"models", 1, "directory of score models (default ./models when it exists)"},
    {"secure-cookies", 0, "mark the session cookie Secure: the dashboard is reached over HTTPS"},
    {"trusted-proxy", 1, "IP address of a reverse proxy whose X-Forwarded-Proto and X-Forwarded-For are believed"},
    {"print-admin-password", 0, "on a first start, print the new administrator's password on stderr instead of writing DB.admin-password"},
    {NULL, 0, NULL}};

/* Write the first administrator's password to @p path for the owner only (0600, a new
 * file: an old one is replaced, a symlink there is not followed). 0 or -1 with errno. */
static int write_secret(const char *path, const char *secret)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t len = strlen(secret);
    int ok = write(fd, secret, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
    int saved = errno;
    if (close(fd) != 0 && ok) {
        saved = errno;
        ok = 0;
    }
    if (!ok) {
        unlink(path);
        errno = saved;
        return -1;
    }
    return 0;
}

/* First start on a store without an administrator: create one with a random password
 * (never a fixed default). The password goes to DB.admin-password, readable only by the
 * owner, and stderr says where; stderr ends up in journals and terminal scrollback, so the
 * password is printed there only when asked (--print-admin-password). 0, or an exit code
 * after printing the error. */
static int ensure_admin(wb_ctx *ctx, int print)
{
    wb_store *st = wb_cli_open(ctx, 0);
    if (!st)
        return 1;
    struct passwd *pw = getpwuid(geteuid());
    wb_actor cli;
    wb_actor_cli(&cli, pw && pw->pw_name ? pw->pw_name : "serve");
    int created = 0;
    char name[64], password[WB_GENERATED_PASSWORD_MAX];
    int rc = wb_auth_ensure_admin(st, &created, name, password, &cli, NULL);
    wb_store_free(st);
    if (rc < 0)
        return wb_cli_fail();
    char file[4200];
    snprintf(file, sizeof file, "%s.admin-password", ctx->db_path);
    if (created && print) {
        fprintf(stderr,
                "wijkbeeld: %s had no administrator: created the account '%s' with the password\n"
                "    %s\n"
                "wijkbeeld: it is shown only this once and stored only as an Argon2id hash; log in and\n"
                "    change it with: wijkbeeld --db %s user passwd %s --password-stdin\n",
                ctx->db_path, name, password, ctx->db_path, name);
    } else if (created) {
        if (write_secret(file, password) != 0) {
            fprintf(stderr,
                    "wijkbeeld: %s had no administrator and the account '%s' was created, but its password\n"
                    "    cannot be written to %s: %s; set one with: wijkbeeld --db %s user passwd %s --password-stdin\n",
                    ctx->db_path, name, file, strerror(errno), ctx->db_path, name);
        } else {
            fprintf(stderr,
                    "wijkbeeld: %s had no administrator: created the account '%s'; its password is in\n"
                    "    %s (readable only by you). Log in, change it with\n"
                    "    wijkbeeld --db %s user passwd %s --password-stdin\n"
                    "    and delete the file.\n",
                    ctx->db_path, name, file, ctx->db_path, name);
        }
    } else if (access(file, F_OK) == 0) {
        fprintf(stderr, "wijkbeeld: %s still holds the first administrator password: delete it once the "
                        "password is changed\n", file);
    }
    fflush(stderr);
    wbx_wipe(password, sizeof password);
    return 0;
}

static void access_log(void *payload, const wb_server_log_entry *e)
{
    const wb_ctx *ctx = payload;
    if (e->status >= 500 && e->detail) /* errors are always reported, with their detail */
        fprintf(stderr, "%s %s %d %.1f ms: %s\n", e->method, e->path, e->status, e->ms, e->detail);
    else if (!ctx->quiet)
        fprintf(stderr, "%s %s %d %.1f ms\n", e->method, e->path, e->status, e->ms);
}

static int cmd_serve(wb_ctx *ctx, wb_args *a)
{
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    long port, threads, maxconn, perip, reqto;
    if (wb_arg_int(a, "port", 8080, 0, 65535, &port) < 0 ||
        wb_arg_int(a, "threads", 2, 1, 64, &threads) < 0 ||
        wb_arg_int(a, "max-connections", 256, 1, 100000, &maxconn) < 0 ||
        wb_arg_int(a, "max-connections-per-ip", 32, 1, 100000, &perip) < 0 ||
        wb_arg_int(a, "request-timeout", 10, 1, 3600, &reqto) < 0)
        return 2;
    o.max_connections_per_ip = (unsigned)perip;
    o.request_timeout_s = (unsigned)reqto;
    o.port = (int)port;
    o.threads = (int)threads;
    o.max_connections = (unsigned)maxconn;
    if (wb_arg(a, "bind"))
        o.bind = wb_arg(a, "bind");
    struct stat sb;
    if (wb_arg(a, "web"))
        o.web_dir = wb_arg(a, "web");
    else if (stat("web/index.html", &sb) == 0)
        o.web_dir = "web";
    if (wb_arg(a, "models"))
        o.models_dir = wb_arg(a, "models");
    else if (stat("models", &sb) == 0 && S_ISDIR(sb.st_mode))
        o.models_dir = "models";
    o.log = access_log;
    o.log_payload = ctx;
    o.secure_cookies = wb_arg_has(a, "secure-cookies");
    o.trusted_proxy = wb_arg(a, "trusted-proxy");
    int rc = ensure_admin(ctx, wb_arg_has(a, "print-admin-password"));
    if (rc)
        return rc;

    /* SIGINT and SIGTERM are taken by sigwait below: block them before the server's threads
     * start (they inherit the mask), so no worker is interrupted by them */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    wb_server *srv = NULL;
    if (wb_server_start(&srv, ctx->db_path, &o) < 0)
        return wb_cli_fail();
    int v6 = strchr(o.bind, ':') != NULL;
    printf("wijkbeeld: serving %s at http://%s%s%s:%d/%s\n", ctx->db_path, v6 ? "[" : "", o.bind,
           v6 ? "]" : "", wb_server_port(srv), o.web_dir ? "" : " (API only: no --web directory)");
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    if (!ctx->quiet)
        fprintf(stderr, "wijkbeeld: %s received, finishing requests in flight\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
    wb_server_stop(srv, 5000);
    if (!ctx->quiet)
        fprintf(stderr, "wijkbeeld: stopped\n");
    return 0;
}

static const wb_cmd serve_cmd = {"serve", "serve the dashboard and JSON API over HTTP",
                                 "[--port 8080] [--bind 127.0.0.1] [--threads N] [--web DIR] "
                                 "[--secure-cookies] [--trusted-proxy ADDR] [--print-admin-password]",
                                 serve_opts, cmd_serve, 0, 0};
WB_COMMAND(serve_cmd)
