/**
 * @file
 * @brief The server under abuse: a connection flood from one address, requests whose head
 * never completes, malformed request lines and headers, control bytes that must not reach
 * the access log.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "web/webtest.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void nap_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* A TCP connection to 127.0.0.1:port from the local address @p from (another address of the
 * loopback network is another client as far as the server can tell). -1 when refused. */
static int connect_from(const char *from, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT(fd >= 0);
    struct sockaddr_in src;
    memset(&src, 0, sizeof src);
    src.sin_family = AF_INET;
    ASSERT(inet_pton(AF_INET, from, &src.sin_addr) == 1);
    ASSERT_MSG(bind(fd, (struct sockaddr *)&src, sizeof src) == 0, "bind %s: %s", from, strerror(errno));
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Has the server closed @p fd (EOF or reset, after any bytes it sent)? Waits up to @p ms. */
static int closed_by_server(int fd, int ms)
{
    double end = now_ms() + ms;
    for (;;) {
        double left = end - now_ms();
        struct pollfd p = {fd, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return 0;
        char buf[4096];
        ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            return 1;
    }
}

/* GET a route on a fresh connection from @p from; the status, or -1 when refused or closed. */
static int get_from(const char *from, int port, const char *target, int timeout_ms)
{
    int fd = connect_from(from, port);
    if (fd < 0)
        return -1;
    char req[512];
    int len = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", target);
    if (send(fd, req, (size_t)len, MSG_NOSIGNAL) != len) {
        close(fd);
        return -1;
    }
    char buf[64] = "";
    size_t got = 0;
    double end = now_ms() + timeout_ms;
    while (got < 12) {
        double left = end - now_ms();
        struct pollfd p = {fd, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t r = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    return got >= 12 && !memcmp(buf, "HTTP/1.1 ", 9) ? atoi(buf + 9) : -1;
}

static wb_server *start(const char *db, unsigned max_conn, unsigned per_ip, unsigned request_s)
{
    wbt_fixture_db(db);
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.max_connections = max_conn;
    o.max_connections_per_ip = per_ip;
    o.request_timeout_s = request_s;
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, db, &o));
    return srv;
}

/* 300 connections from one address, each sending a request line and then one header line
 * every 400 ms (the idle timeout restarts on every byte): another client is still served,
 * and the server closes every trickling connection once its request deadline has passed. */
TEST(web_abuse, trickling_flood_from_one_address_leaves_others_served)
{
    const char *db = wbt_tmp("fx.db");
    wb_server *srv = start(db, 256, 0, 2); /* default per-address limit */
    int port = wb_server_port(srv);
    enum { N = 300 };
    int fds[N];
    int open = 0;
    for (int i = 0; i < N; i++) {
        fds[i] = connect_from("127.0.0.1", port);
        if (fds[i] >= 0 &&
            send(fds[i], "GET /api/areas?level=gemeente HTTP/1.1\r\n", 40, MSG_NOSIGNAL) == 40)
            open++;
    }
    ASSERT(open > 0);
    /* trickle for a second: every connection sends another header line every 400 ms */
    double t0 = now_ms();
    for (int round = 0; round < 3; round++) {
        nap_ms(400);
        for (int i = 0; i < N; i++)
            if (fds[i] >= 0 && send(fds[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) < 0) {
                close(fds[i]);
                fds[i] = -1;
            }
    }
    /* another client, from another address, is answered at once */
    double t1 = now_ms();
    int st = get_from("127.0.0.2", port, "/api/areas?level=gemeente", 3000);
    ASSERT_MSG(st == 200, "a second client got %d while one address trickled %d connections", st, N);
    ASSERT_MSG(now_ms() - t1 < 3000, "a second client waited %.0f ms", now_ms() - t1);
    /* the same address cannot take more than its share: most of the 300 were refused */
    int alive = 0;
    for (int i = 0; i < N; i++)
        if (fds[i] >= 0 && !closed_by_server(fds[i], 0))
            alive++;
    ASSERT_MSG(alive <= 64, "%d trickling connections from one address are still open", alive);
    /* keep trickling: the request deadline (2 s) closes every one of them all the same */
    while (now_ms() - t0 < 3500) {
        nap_ms(400);
        for (int i = 0; i < N; i++)
            if (fds[i] >= 0)
                (void)send(fds[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL);
    }
    int still = 0;
    for (int i = 0; i < N; i++) {
        if (fds[i] >= 0 && !closed_by_server(fds[i], 1500))
            still++;
        if (fds[i] >= 0)
            close(fds[i]);
    }
    ASSERT_MSG(still == 0, "%d trickling connections outlived the 2 s request deadline", still);
    /* and the flooding address is served again once it behaves */
    ASSERT_EQ_I(get_from("127.0.0.1", port, "/api/areas?level=gemeente", 3000), 200);
    wb_server_stop(srv, 1000);
}

/* The idle timeout restarts on every byte; the request deadline does not. */
TEST(web_abuse, request_head_deadline_closes_a_byte_a_second_client)
{
    const char *db = wbt_tmp("fx.db");
    wb_server *srv = start(db, 16, 0, 1);
    int port = wb_server_port(srv);
    int fd = connect_from("127.0.0.1", port);
    ASSERT(fd >= 0);
    static const char req[] = "GET /api/areas?level=gemeente HTTP/1.1\r\nHost: x\r\n";
    double t0 = now_ms();
    int closed = 0;
    for (size_t i = 0; i < sizeof req - 1 && !closed; i++) {
        if (send(fd, req + i, 1, MSG_NOSIGNAL) != 1)
            break;
        closed = closed_by_server(fd, 250);
    }
    if (!closed)
        closed = closed_by_server(fd, 2000);
    double took = now_ms() - t0;
    close(fd);
    ASSERT_MSG(closed, "a request head trickled over %.0f ms was never cut off", took);
    ASSERT_MSG(took >= 900 && took < 3000, "closed after %.0f ms, expected about 1 s", took);
    /* a keep-alive client that sends its requests promptly is not affected */
    fd = connect_from("127.0.0.1", port);
    ASSERT(fd >= 0);
    for (int k = 0; k < 3; k++) {
        static const char ka[] = "GET /api/areas?level=gemeente HTTP/1.1\r\nHost: x\r\n\r\n";
        ASSERT(send(fd, ka, sizeof ka - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof ka - 1));
        char buf[8192];
        struct pollfd p = {fd, POLLIN, 0};
        ASSERT(poll(&p, 1, 3000) == 1);
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        ASSERT(r > 12 && !memcmp(buf, "HTTP/1.1 200", 12));
        nap_ms(600); /* 3 x 600 ms: longer than the deadline in total, but never per request */
    }
    close(fd);
    wb_server_stop(srv, 1000);
}

/* ---------------------------------------------------------------- request checks */

static wbt_http raw(int port, const char *req, size_t len)
{
    return wbt_http_raw(port, req, len, 10000);
}

#define RAW(port, lit) raw(port, lit, sizeof lit - 1)

TEST(web_abuse, raw_nul_in_the_target_is_refused)
{
    const char *db = wbt_tmp("fx.db");
    wbt_fixture_db(db);
    wb_server *srv = wbt_server(db, wbt_web_dir(), 1, 0);
    int port = wb_server_port(srv);
    /* libmicrohttpd cuts the target at the NUL: without the check this served index.html */
    wbt_http r = RAW(port, "GET /index.html\0.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_EQ_I(r.status, 400);
    wbt_http_free(&r);
    r = RAW(port, "GET /api/areas\0/x?level=gemeente HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_EQ_I(r.status, 400);
    wbt_http_free(&r);
    /* the same requests without the NUL are fine */
    r = RAW(port, "GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    r = RAW(port, "GET /api/areas?level=gemeente HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    wb_server_stop(srv, 1000);
}

TEST(web_abuse, http11_without_host_and_conflicting_lengths_are_refused)
{
    const char *db = wbt_tmp("fx.db");
    wbt_fixture_db(db);
    wb_server *srv = wbt_server(db, NULL, 1, 0);
    int port = wb_server_port(srv);
    wbt_http r = RAW(port, "GET /api/areas?level=gemeente HTTP/1.1\r\nConnection: close\r\n\r\n");
    ASSERT_EQ_I(r.status, 400);
    wbt_http_free(&r);
    /* HTTP/1.0 has no Host requirement */
    r = RAW(port, "GET /api/areas?level=gemeente HTTP/1.0\r\n\r\n");
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    /* two different Content-Length headers: the length is unknowable (request smuggling) */
    r = RAW(port, "GET /api/areas?level=gemeente HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello");
    ASSERT_EQ_I(r.status, 400);
    wbt_http_free(&r);
    /* the same value twice is one length (RFC 9112 6.3) */
    r = RAW(port, "GET /api/areas?level=gemeente HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  "Content-Length: 0\r\nContent-Length: 0\r\n\r\n");
    ASSERT_EQ_I(r.status, 200);
    wbt_http_free(&r);
    wb_server_stop(srv, 1000);
}

/* A login from a page of another scheme is another origin. */
static int login_refused_as_cross_origin(int port, const char *extra)
{
    char req[1024];
    static const char body[] = "{\"user\":\"nobody\",\"password\":\"x\"}";
    int len = snprintf(req, sizeof req,
                       "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
                       "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                       extra, sizeof body - 1, body);
    wbt_http r = wbt_http_raw(port, req, (size_t)len, 10000);
    ASSERT(r.status > 0);
    int refused = r.status == 403 && r.body && strstr(r.body, "cross-origin");
    wbt_http_free(&r);
    return refused;
}

TEST(web_abuse, origin_check_compares_the_scheme)
{
    const char *db = wbt_tmp("fx.db");
    wbt_fixture_db(db);
    wb_server *srv = wbt_server(db, NULL, 1, 0);
    int port = wb_server_port(srv);
    ASSERT(!login_refused_as_cross_origin(port, "Origin: http://127.0.0.1\r\n"));
    ASSERT(login_refused_as_cross_origin(port, "Origin: https://127.0.0.1\r\n"));
    ASSERT(login_refused_as_cross_origin(port, "Origin: http://127.0.0.1:1\r\n"));
    ASSERT(login_refused_as_cross_origin(port, "Origin: http://evil.example\r\n"));
    wb_server_stop(srv, 1000);
    /* behind a TLS proxy the request is https: an http page is the other origin */
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.trusted_proxy = "127.0.0.1";
    WB_PASS(wb_server_start(&srv, db, &o));
    port = wb_server_port(srv);
    ASSERT(!login_refused_as_cross_origin(port, "X-Forwarded-Proto: https\r\nOrigin: https://127.0.0.1\r\n"));
    ASSERT(login_refused_as_cross_origin(port, "X-Forwarded-Proto: https\r\nOrigin: http://127.0.0.1\r\n"));
    wb_server_stop(srv, 1000);
}

/* ---------------------------------------------------------------- the access log */

typedef struct {
    pthread_mutex_t mu;
    char text[16384];
    size_t len;
} logbuf;

static void collect_log(void *payload, const wb_server_log_entry *e)
{
    logbuf *l = payload;
    pthread_mutex_lock(&l->mu);
    int n = snprintf(l->text + l->len, sizeof l->text - l->len, "%s %s %d %s\n", e->method, e->path,
                     e->status, e->detail ? e->detail : "-");
    if (n > 0 && (size_t)n < sizeof l->text - l->len)
        l->len += (size_t)n;
    pthread_mutex_unlock(&l->mu);
}

TEST(web_abuse, control_bytes_never_reach_the_access_log)
{
    const char *db = wbt_tmp("fx.db");
    wbt_fixture_db(db);
    static logbuf lb = {PTHREAD_MUTEX_INITIALIZER, "", 0};
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.log = collect_log;
    o.log_payload = &lb;
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, db, &o));
    int port = wb_server_port(srv);
    /* a terminal escape that clears the screen, a bell, a DEL, a backslash */
    wbt_http r = RAW(port, "GET /api/\x1b[2J\x07x\x7f\\y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_EQ_I(r.status, 404);
    wbt_http_free(&r);
    /* control bytes in the method */
    r = RAW(port, "G\x1b[1mET /api/areas HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    wbt_http_free(&r);
    wb_server_stop(srv, 1000);
    ASSERT_MSG(strstr(lb.text, "/api/\\x1b[2J\\x07x\\x7f\\\\y 404"), "log: %s", lb.text);
    for (size_t i = 0; i < lb.len; i++) {
        unsigned char c = (unsigned char)lb.text[i];
        ASSERT_MSG(c == '\n' || (c >= 0x20 && c != 0x7f), "a raw byte 0x%02x in the log: %s", c, lb.text);
    }
}
