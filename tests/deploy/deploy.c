/**
 * @file
 * @brief The deployment in contrib/ (docs/deploy.md): the systemd units pass
 * `systemd-analyze verify` and are hardened (`systemd-analyze security`), the backup script
 * keeps dated copies and drops old ones, and the nginx TLS front passes `nginx -t` and, run in
 * front of a server with --trusted-proxy, passes the scheme and host the Origin check needs.
 * Each part SKIPs when its tool is missing (scripts/install-deps.sh --deploy installs nginx).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "web/webtest.h"

/* The nginx test listens on these (the range of this test suite). */
#define NGINX_HTTP_PORT 18450
#define NGINX_HTTPS_PORT 18451

static const char *root_dir(void)
{
    const char *root = getenv("WB_ROOT");
    if (!root)
        SKIP("WB_ROOT is not set (run through make test)");
    return root;
}

/* Run a shell command; its exit status, and its stdout and stderr together in @p out. */
static int sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sh(char **out, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char full[8400];
    snprintf(full, sizeof full, "( %s ) > '%s' 2>&1", cmd, wbt_tmp("sh.out"));
    int st = system(full);
    if (out)
        *out = wbt_slurp(wbt_tmp("sh.out"), NULL);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Copy a contrib file into the test directory, replacing the installed paths. */
static const char *staged(const char *rel, const char *name)
{
    const char *bin = getenv("WB_BIN");
    if (!bin)
        SKIP("WB_BIN is not set");
    char *text = wbt_slurp(rel, NULL);
    ASSERT_MSG(text, "cannot read %s", rel);
    wb_str s = WB_STR_INIT;
    const char *from[] = {"/usr/local/bin/wijkbeeld", "/usr/local/lib/wijkbeeld/wijkbeeld-backup"};
    char backup[4096];
    snprintf(backup, sizeof backup, "%s/contrib/wijkbeeld-backup", root_dir());
    const char *to[] = {bin, backup};
    for (const char *p = text; *p;) {
        int hit = -1;
        for (int k = 0; k < 2 && hit < 0; k++)
            if (!strncmp(p, from[k], strlen(from[k])))
                hit = k;
        if (hit >= 0) {
            wb_str_puts(&s, to[hit]);
            p += strlen(from[hit]);
        } else {
            wb_str_putc(&s, *p++);
        }
    }
    free(text);
    const char *path = wbt_tmp(name);
    wbt_write(path, wb_str_cstr(&s));
    wb_str_dispose(&s);
    return path;
}

TEST(deploy, systemd_units_verify_and_are_hardened)
{
    if (sh(NULL, "command -v systemd-analyze") != 0)
        SKIP("systemd-analyze not found (the units are checked where systemd is installed)");
    char rel[4096];
    const char *units[] = {"wijkbeeld.service", "wijkbeeld-backup.service", "wijkbeeld-backup.timer"};
    char paths[3][4096];
    for (int i = 0; i < 3; i++) {
        snprintf(rel, sizeof rel, "%s/contrib/systemd/%s", root_dir(), units[i]);
        snprintf(paths[i], sizeof paths[i], "%s", staged(rel, units[i]));
    }
    for (int i = 0; i < 3; i++) {
        char *out = NULL;
        int st = sh(&out, "cd '%s' && systemd-analyze verify '%s'", wbt_tmpdir(), paths[i]);
        /* an unknown or misspelt directive is only a warning: no output at all is the bar */
        ASSERT_MSG(st == 0 && out && !*out, "systemd-analyze verify %s: status %d:\n%s", units[i], st, out);
        free(out);
    }
    for (int i = 0; i < 2; i++) {
        char *out = NULL;
        int st = sh(&out, "systemd-analyze security --offline=yes '%s'", paths[i]);
        ASSERT_MSG(st == 0 && out, "systemd-analyze security %s: status %d:\n%s", units[i], st, out);
        const char *p = strstr(out, "Overall exposure level for ");
        ASSERT_MSG(p, "no exposure level:\n%s", out);
        p = strchr(p, ':');
        double level = p ? strtod(p + 1, NULL) : 99;
        /* 0 = fully confined .. 10 = fully exposed; systemd calls up to 2 "OK" */
        ASSERT_MSG(level <= 2.0, "%s: exposure %.1f, expected at most 2.0:\n%s", units[i], level, out);
        fprintf(stderr, "    %s: exposure %.1f\n", units[i], level);
        free(out);
    }
}

TEST(deploy, backup_script_keeps_dated_copies)
{
    const char *bin = getenv("WB_BIN");
    if (!bin)
        SKIP("WB_BIN is not set");
    wbt_write(wbt_tmp("good.csv"), "code,year,a_inw\nGM0363,2019,862965\n");
    wbt_run_result r = wbt_run(NULL, "--db live.db import csv good.csv");
    ASSERT_MSG(r.status == 0, "%s", r.err);
    wbt_run_free(&r);
    char *out = NULL;
    /* an old copy that must go, one of today that must stay */
    ASSERT(sh(NULL, "mkdir -p '%s/bk' && touch -d '30 days ago' '%s/bk/wijkbeeld-2000-01-01T0000.db'",
              wbt_tmpdir(), wbt_tmpdir()) == 0);
    int st = sh(&out, "cd '%s' && WIJKBEELD='%s' '%s/contrib/wijkbeeld-backup' live.db bk 14 && ls bk", wbt_tmpdir(),
                bin, root_dir());
    ASSERT_MSG(st == 0, "status %d: %s", st, out);
    ASSERT_MSG(!strstr(out, "wijkbeeld-2000-01-01T0000.db"), "the old copy was kept: %s", out);
    ASSERT_MSG(strstr(out, "backed up live.db to bk/wijkbeeld-"), "%s", out);
    free(out);
    st = sh(&out, "cd '%s' && '%s' --db bk/wijkbeeld-*.db export values --indicator a_inw --year 2019 "
                  "--level gemeente --format csv", wbt_tmpdir(), bin);
    ASSERT_MSG(st == 0 && strstr(out, "GM0363,2019,862965"), "the copy does not read back: %s", out);
    free(out);
}

/* The nginx site with the test's ports, certificate and upstream. */
static void write_site(const char *path, int upstream)
{
    char rel[4096];
    snprintf(rel, sizeof rel, "%s/contrib/nginx/wijkbeeld.conf", root_dir());
    char *text = wbt_slurp(rel, NULL);
    ASSERT(text);
    char ports[4][64], cert[4096], key[4096], up[64];
    snprintf(ports[0], sizeof ports[0], "listen 127.0.0.1:%d;", NGINX_HTTP_PORT);
    snprintf(ports[1], sizeof ports[1], "listen 127.0.0.1:%d ssl http2;", NGINX_HTTPS_PORT);
    snprintf(cert, sizeof cert, "%s", wbt_tmp("cert.pem"));
    snprintf(key, sizeof key, "%s", wbt_tmp("key.pem"));
    snprintf(up, sizeof up, "http://127.0.0.1:%d", upstream);
    const struct {
        const char *from, *to;
    } subst[] = {
        {"listen 80;", ports[0]},
        {"listen [::]:80;", ""},
        {"listen 443 ssl http2;", ports[1]},
        {"listen [::]:443 ssl http2;", ""},
        {"/etc/letsencrypt/live/wijkbeeld.example.nl/fullchain.pem", cert},
        {"/etc/letsencrypt/live/wijkbeeld.example.nl/privkey.pem", key},
        {"http://127.0.0.1:8080", up},
        {"/var/www/letsencrypt", wbt_tmpdir()},
    };
    wb_str s = WB_STR_INIT;
    for (const char *p = text; *p;) {
        size_t k = 0;
        for (; k < sizeof subst / sizeof *subst; k++)
            if (!strncmp(p, subst[k].from, strlen(subst[k].from)))
                break;
        if (k < sizeof subst / sizeof *subst) {
            wb_str_puts(&s, subst[k].to);
            p += strlen(subst[k].from);
        } else {
            wb_str_putc(&s, *p++);
        }
    }
    free(text);
    wbt_write(path, wb_str_cstr(&s));
    wb_str_dispose(&s);
}

static int curl_status(char **headers, const char *args)
{
    char *out = NULL;
    int st = sh(&out, "curl -sk -o /dev/null -D - --max-time 10 %s", args);
    int code = -1;
    if (st == 0 && out && !strncmp(out, "HTTP/", 5)) {
        const char *sp = strchr(out, ' ');
        code = sp ? atoi(sp + 1) : -1;
    }
    if (headers)
        *headers = out;
    else
        free(out);
    return code;
}

TEST(deploy, nginx_front)
{
    if (access("/usr/sbin/nginx", X_OK) != 0)
        SKIP("nginx not found: install it with scripts/install-deps.sh --deploy");
    if (sh(NULL, "command -v openssl && command -v curl") != 0)
        SKIP("openssl or curl not found");
    const char *db = wbt_tmp("fx.db");
    wbt_fixture_db(db);
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.trusted_proxy = "127.0.0.1";
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, db, &o));
    char *out = NULL;
    int st = sh(&out, "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout '%s' -out '%s'",
                wbt_tmp("key.pem"), wbt_tmp("cert.pem"));
    ASSERT_MSG(st == 0, "openssl: %s", out);
    free(out);
    write_site(wbt_tmp("site.conf"), wb_server_port(srv));
    char conf[8192];
    const char *t = wbt_tmpdir();
    snprintf(conf, sizeof conf,
             "%s"
             "pid %s/nginx.pid;\nerror_log %s/error.log;\nevents { worker_connections 256; }\n"
             "http {\n access_log off;\n client_body_temp_path %s/body;\n proxy_temp_path %s/proxy;\n"
             " fastcgi_temp_path %s/fastcgi;\n uwsgi_temp_path %s/uwsgi;\n scgi_temp_path %s/scgi;\n"
             " include %s/site.conf;\n}\n",
             geteuid() == 0 ? "user root root;\n" : "", t, t, t, t, t, t, t, t);
    wbt_write(wbt_tmp("nginx.conf"), conf);
    st = sh(&out, "/usr/sbin/nginx -t -p '%s' -e '%s/error.log' -c '%s'", t, t, wbt_tmp("nginx.conf"));
    ASSERT_MSG(st == 0, "nginx -t: %s", out);
    free(out);
    /* run it in front of the server */
    st = sh(&out, "/usr/sbin/nginx -p '%s' -e '%s/error.log' -c '%s'", t, t, wbt_tmp("nginx.conf"));
    ASSERT_MSG(st == 0, "nginx: %s", out);
    free(out);
    char url[128], args[512];
    snprintf(url, sizeof url, "https://127.0.0.1:%d", NGINX_HTTPS_PORT);
    int code = -1;
    for (int k = 0; k < 50 && code < 0; k++) { /* until it listens */
        snprintf(args, sizeof args, "'%s/api/areas?level=gemeente'", url);
        code = curl_status(NULL, args);
        if (code < 0)
            usleep(100 * 1000);
    }
    int ok_get = code == 200;
    /* http redirects to https */
    snprintf(args, sizeof args, "'http://127.0.0.1:%d/api/areas'", NGINX_HTTP_PORT);
    int redirect = curl_status(NULL, args);
    /* the page's own https origin passes the Origin check; an http one is another origin:
     * so nginx passed X-Forwarded-Proto and the Host with its port */
    char *h1 = NULL, *h2 = NULL;
    snprintf(args, sizeof args,
             "-X POST -H 'Content-Type: application/json' -H 'Origin: %s' --data '{\"user\":\"x\",\"password\":\"y\"}' "
             "'%s/api/login'", url, url);
    int same = curl_status(&h1, args);
    snprintf(args, sizeof args,
             "-X POST -H 'Content-Type: application/json' -H 'Origin: http://127.0.0.1:%d' "
             "--data '{\"user\":\"x\",\"password\":\"y\"}' '%s/api/login'", NGINX_HTTPS_PORT, url);
    int cross = curl_status(&h2, args);
    /* a body over the limit stops at nginx */
    char big[70000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    wbt_write(wbt_tmp("big.json"), big);
    snprintf(args, sizeof args, "-X POST -H 'Content-Type: application/json' --data-binary @'%s' '%s/api/login'",
             wbt_tmp("big.json"), url);
    int too_big = curl_status(NULL, args);
    sh(NULL, "kill $(cat '%s/nginx.pid')", t);
    for (int k = 0; k < 50 && access(wbt_tmp("nginx.pid"), F_OK) == 0; k++)
        usleep(100 * 1000);
    wb_server_stop(srv, 1000);
    ASSERT_MSG(ok_get, "GET through nginx answered %d", code);
    ASSERT_EQ_I(redirect, 301);
    ASSERT_MSG(same == 401, "login with the https origin answered %d:\n%s", same, h1);
    ASSERT_MSG(cross == 403, "login with an http origin answered %d:\n%s", cross, h2);
    ASSERT_EQ_I(too_big, 413);
    free(h1);
    free(h2);
}
