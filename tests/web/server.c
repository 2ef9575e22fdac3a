/**
 * @file
 * @brief Server robustness: many connections at once, connection limits, clean shutdown
 * with connections open, the `serve` command with signals; unit tests of the JSON writer
 * and the strict percent-decoder.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "web/json.h"
#include "web/web_internal.h"
#include "web/webtest.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int connect_loopback(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_MSG(connect(fd, (struct sockaddr *)&a, sizeof a) == 0, "connect: %s", strerror(errno));
    return fd;
}

/* Open n sockets at once, send one request on each, read every answer until the server
 * closes it. Returns how many got a 200; *closed counts those closed without any reply. */
static int storm(int port, int n, int *closed, double *took_ms)
{
    static const char *const targets[] = {"/api/areas/BU99990101", "/api/values?indicator=lbm&level=buurt&year=2016",
                                          "/api/areas?level=buurt", "/api/geojson?level=wijk&year=2016"};
    int *fds = calloc((size_t)n, sizeof *fds);
    char **bufs = calloc((size_t)n, sizeof *bufs);
    size_t *got = calloc((size_t)n, sizeof *got);
    ASSERT(fds && bufs && got);
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
        fds[i] = connect_loopback(port);
        bufs[i] = malloc(1 << 16);
        char req[256];
        int len = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                           targets[i % 4]);
        /* a refused connection may already be closed: ignore send errors */
        (void)send(fds[i], req, (size_t)len, MSG_NOSIGNAL);
    }
    int open = n;
    double deadline = now_ms() + 30000;
    struct pollfd *pfd = calloc((size_t)n, sizeof *pfd);
    while (open > 0 && now_ms() < deadline) {
        for (int i = 0; i < n; i++) {
            pfd[i].fd = fds[i];
            pfd[i].events = POLLIN;
        }
        if (poll(pfd, (nfds_t)n, 1000) < 0)
            break;
        for (int i = 0; i < n; i++) {
            if (fds[i] < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char tmp[65536];
            ssize_t r = recv(fds[i], tmp, sizeof tmp, 0);
            if (r > 0) {
                size_t keep = got[i] < 4096 ? (size_t)r < 4096 - got[i] ? (size_t)r : 4096 - got[i] : 0;
                memcpy(bufs[i] + got[i], tmp, keep);
                got[i] += keep;
                continue;
            }
            close(fds[i]);
            fds[i] = -1;
            open--;
        }
    }
    *took_ms = now_ms() - t0;
    int ok = 0;
    *closed = 0;
    for (int i = 0; i < n; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        if (got[i] >= 12 && !memcmp(bufs[i], "HTTP/1.1 200", 12))
            ok++;
        else if (got[i] == 0)
            (*closed)++;
        free(bufs[i]);
    }
    ASSERT_MSG(open == 0, "%d connections still open after 30 s", open);
    free(pfd);
    free(fds);
    free(bufs);
    free(got);
    return ok;
}

static wb_server *fixture_server(int threads, unsigned max_conn, char *dbpath, size_t n)
{
    snprintf(dbpath, n, "%s", wbt_tmp("fx.db"));
    wbt_fixture_db(dbpath);
    /* these connections stand for many clients, but all come from 127.0.0.1: lift the
     * per-address limit (tests/web/abuse.c tests it) */
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.threads = threads;
    if (max_conn)
        o.max_connections = max_conn;
    o.max_connections_per_ip = 100000;
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, dbpath, &o));
    return srv;
}

TEST(web_server, two_hundred_connections_at_once)
{
    char db[4096];
    wb_server *srv = fixture_server(2, 256, db, sizeof db);
    int closed;
    double ms;
    int ok = storm(wb_server_port(srv), 200, &closed, &ms);
    ASSERT_MSG(ok == 200, "%d of 200 requests answered 200 (%d closed) in %.0f ms", ok, closed, ms);
    wbt_http r = wbt_http_req(wb_server_port(srv), "GET", "/api/areas?level=gemeente", NULL);
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    wb_server_stop(srv, 1000);
}

TEST(web_server, connection_limit_refuses_without_hanging)
{
    char db[4096];
    wb_server *srv = fixture_server(2, 16, db, sizeof db);
    int closed;
    double ms;
    int ok = storm(wb_server_port(srv), 200, &closed, &ms);
    /* at least the first 16 are served; the rest are served or closed at once, none hangs */
    ASSERT_MSG(ok >= 16 && ok + closed == 200, "%d answered, %d closed of 200", ok, closed);
    wbt_http r = wbt_http_req(wb_server_port(srv), "GET", "/api/areas?level=gemeente", NULL);
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    wb_server_stop(srv, 1000);
}

TEST(web_server, stop_with_idle_and_half_sent_requests)
{
    char db[4096];
    wb_server *srv = fixture_server(2, 0, db, sizeof db);
    int port = wb_server_port(srv);
    int fds[40];
    for (int i = 0; i < 40; i++) {
        fds[i] = connect_loopback(port);
        if (i % 2) /* half a request line, never finished */
            (void)send(fds[i], "GET /api/areas?lev", 18, MSG_NOSIGNAL);
    }
    /* a finished keep-alive request on one more connection, left open */
    int ka = connect_loopback(port);
    static const char req[] = "GET /api/areas?level=wijk HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT(send(ka, req, sizeof req - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof req - 1));
    char buf[4096];
    struct pollfd p = {ka, POLLIN, 0};
    ASSERT(poll(&p, 1, 5000) == 1 && recv(ka, buf, sizeof buf, 0) > 12);
    ASSERT(!memcmp(buf, "HTTP/1.1 200", 12));
    double t0 = now_ms();
    wb_server_stop(srv, 300);
    double took = now_ms() - t0;
    ASSERT_MSG(took < 3000, "stop took %.0f ms", took);
    /* every connection was closed by the server */
    for (int i = 0; i < 40; i++) {
        struct pollfd q = {fds[i], POLLIN, 0};
        ASSERT(poll(&q, 1, 2000) == 1);
        ASSERT(recv(fds[i], buf, sizeof buf, 0) <= 0);
        close(fds[i]);
    }
    close(ka);
    /* LeakSanitizer checks at exit that the server freed everything */
}

TEST(web_server, bad_options_and_missing_store)
{
    wb_server *srv = NULL;
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    WB_FAILS(WB_ENOTFOUND, wb_server_start(&srv, wbt_tmp("missing.db"), &o));
    ASSERT(srv == NULL);
    char db[4096];
    snprintf(db, sizeof db, "%s", wbt_tmp("fx.db"));
    wbt_fixture_db(db);
    o.bind = "not-an-address";
    WB_FAILS(WB_EINVALID, wb_server_start(&srv, db, &o));
    o.bind = "127.0.0.1";
    o.threads = 0;
    WB_FAILS(WB_EINVALID, wb_server_start(&srv, db, &o));
    o.threads = 2;
    o.web_dir = wbt_tmp("no-such-dir");
    WB_FAILS(WB_ENOTFOUND, wb_server_start(&srv, db, &o));
    /* a port in use */
    o.web_dir = NULL;
    wb_server *a = wbt_server(db, NULL, 1, 0);
    o.port = wb_server_port(a);
    WB_FAILS(WB_EIO, wb_server_start(&srv, db, &o));
    wb_server_stop(a, 100);
    /* a file that is not a store */
    const char *junk = wbt_tmp("junk.db");
    wbt_write(junk, "this is not sqlite\n");
    o.port = 0;
    WB_FAILS(WB_ESTORE, wb_server_start(&srv, junk, &o));
}

/* ---------------------------------------------------------------- the serve command */

TEST(web_server, serve_command_prints_url_logs_and_stops_on_sigterm)
{
    const char *bin = getenv("WB_BIN");
    if (!bin)
        SKIP("WB_BIN is not set");
    char db[4096];
    snprintf(db, sizeof db, "%s", wbt_tmp("fx.db"));
    wbt_fixture_db(db);
    int out[2], err[2];
    ASSERT(pipe(out) == 0 && pipe(err) == 0);
    pid_t pid = fork();
    ASSERT(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        execl(bin, bin, "--db", db, "serve", "--port", "0", "--threads", "2", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    char line[512] = "";
    size_t n = 0;
    struct pollfd p = {out[0], POLLIN, 0};
    while (n < sizeof line - 1 && !strchr(line, '\n') && poll(&p, 1, 10000) == 1) {
        ssize_t r = read(out[0], line + n, sizeof line - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        line[n] = 0;
    }
    const char *url = strstr(line, "http://127.0.0.1:");
    ASSERT_MSG(url, "no URL printed: '%s'", line);
    int port = atoi(url + strlen("http://127.0.0.1:"));
    ASSERT(port > 0);
    wbt_http r = wbt_http_req(port, "GET", "/api/areas?level=wijk&year=2016", NULL);
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    r = wbt_http_req(port, "GET", "/api/areas/BU00000000", NULL);
    ASSERT_EQ_I(r.status, 404);
    wbt_http_free(&r);
    ASSERT(kill(pid, SIGTERM) == 0);
    int st = 0;
    double t0 = now_ms();
    while (waitpid(pid, &st, WNOHANG) == 0) {
        ASSERT_MSG(now_ms() - t0 < 10000, "serve did not stop within 10 s of SIGTERM");
        struct timespec nap = {0, 20 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    char errbuf[8192];
    ssize_t e = read(err[0], errbuf, sizeof errbuf - 1);
    errbuf[e > 0 ? e : 0] = 0;
    close(out[0]);
    close(err[0]);
    ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "serve exited with %d; stderr: %s", st, errbuf);
    ASSERT_MSG(strstr(errbuf, "GET /api/areas 200 "), "no access log line: %s", errbuf);
    ASSERT_MSG(strstr(errbuf, "GET /api/areas/BU00000000 404 "), "no access log line: %s", errbuf);
    ASSERT(strstr(errbuf, "SIGTERM"));
}

TEST(web_server, serve_command_fails_cleanly)
{
    wbt_run_result r = wbt_run(NULL, "--db missing.db serve --port 0");
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "missing.db"));
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    wbt_run_free(&r);
    r = wbt_run(NULL, "serve --port 70000");
    ASSERT_EQ_I(r.status, 2);
    ASSERT(strstr(r.err, "--port"));
    wbt_run_free(&r);
}

/* ---------------------------------------------------------------- unit: JSON writer */

TEST(web_json, escapes_and_numbers)
{
    wb_str s = WB_STR_INIT;
    wb_json j;
    wb_json_init(&j, &s);
    wb_json_obj_open(&j);
    wb_json_kstr(&j, "q", "a\"b\\c\n\t\x01</script>&");
    wb_json_kstr(&j, "u", "line\xe2\x80\xa8sep caf\xc3\xa9");
    wb_json_knum(&j, "half", 0.5);
    wb_json_knum(&j, "third", 1.0 / 3.0);
    wb_json_knum(&j, "big", 1e300);
    wb_json_knum(&j, "int", 12345678);
    wb_json_knum(&j, "nan", NAN);
    wb_json_knum(&j, "inf", INFINITY);
    wb_json_key(&j, "arr");
    wb_json_arr_open(&j);
    wb_json_fixed(&j, 5.387206, 5);
    wb_json_fixed(&j, -0.000001, 5);
    wb_json_fixed(&j, 52.1, 5);
    wb_json_str(&j, NULL);
    wb_json_bool(&j, 1);
    wb_json_arr_close(&j);
    wb_json_obj_close(&j);
    WB_PASS(wb_json_finish(&j));
    ASSERT_EQ_S(s.ptr, "{\"q\":\"a\\\"b\\\\c\\n\\t\\u0001\\u003c/script\\u003e\\u0026\","
                       "\"u\":\"line\\u2028sep caf\xc3\xa9\",\"half\":0.5,\"third\":0.33333333333333331,"
                       "\"big\":1e+300,\"int\":12345678,\"nan\":null,\"inf\":null,"
                       "\"arr\":[5.38721,0,52.1,null,true]}");
    /* misuse is reported, not written silently */
    wb_str_clear(&s);
    wb_json_init(&j, &s);
    wb_json_arr_open(&j);
    wb_json_obj_close(&j);
    WB_FAILS(WB_EINVALID, wb_json_finish(&j));
    wb_str_clear(&s);
    wb_json_init(&j, &s);
    wb_json_obj_open(&j);
    WB_FAILS(WB_EINVALID, wb_json_finish(&j));
    wb_str_dispose(&s);
}

TEST(web_router, strict_unescape)
{
    char out[64];
    ASSERT_EQ_I(wb_web__unescape(out, sizeof out, "a%2Fb+c", 7, 0), 5);
    ASSERT_EQ_S(out, "a/b+c");
    ASSERT_EQ_I(wb_web__unescape(out, sizeof out, "a+b%20c", 7, 1), 5);
    ASSERT_EQ_S(out, "a b c");
    ASSERT_EQ_I(wb_web__unescape(out, sizeof out, "%", 1, 0), -1);
    ASSERT_EQ_I(wb_web__unescape(out, sizeof out, "%4", 2, 0), -1);
    ASSERT_EQ_I(wb_web__unescape(out, sizeof out, "%g0", 3, 0), -1);
    ASSERT_EQ_I(wb_web__unescape(out, sizeof out, "a%00b", 5, 0), -1);
    ASSERT_EQ_I(wb_web__unescape(out, 4, "abcd", 4, 0), -1); /* does not fit with its NUL */
    ASSERT_EQ_I(wb_web__unescape(out, sizeof out, "", 0, 0), 0);
}
