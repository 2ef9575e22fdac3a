/** @file @brief Web test helpers: the fixture store, a web directory, a raw HTTP client. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "web/webtest.h"

const char *const wbt_fixture_keys[] = {"lbm", "lbm_won", "a_inw", "g_woz", "p_hh_li", "lbm_klasse", NULL};

static const char *const labels_nl[] = {"Leefbaarometer totaal (afwijking)", "Leefbaarometer woningen",
                                        "Inwoners", "Gemiddelde WOZ-waarde", "Huishoudens met laag inkomen",
                                        "Leefbaarometer klasse"};
static const char *const labels_en[] = {"Livability total (deviation)", "Livability dwellings",
                                        "Inhabitants", "Average property value", "Low-income households",
                                        "Livability class"};
static const char *const units[] = {"score", "score", "aantal", "x 1000 euro", "%", "klasse"};
static const int dirs[] = {1, 1, 0, 1, -1, 1};

/* Deterministic, distinct per (indicator, area, year); 2012 lower for the trend charts.
 * Values are exactly representable in binary with few digits so JSON round trips are exact. */
double wbt_fixture_value(int ind, int area, int year)
{
    int t = (year - 2012) / 2; /* 0..4 */
    switch (ind) {
    case 0: return -0.25 + 0.03125 * area + 0.0625 * t - (area == 5 ? 0.25 : 0);
    case 1: return -0.125 + 0.015625 * (area % 5) + 0.03125 * t;
    case 2: return area == 99 ? 17000000 : area == 0 ? 48000 + 500 * t : area <= 3 ? 16000 + 100 * area + 50 * t : 4000 + 25 * area + 10 * t;
    case 3: return 150 + 5 * area + 7.5 * t;
    case 4: return 5 + 0.5 * area - 0.25 * t;
    case 5: {
        int k = 1 + (area * 3 + t) % 9;
        return k;
    }
    default: return NAN;
    }
}

static char codebuf[8][WB_CODE_MAX];
static int codek;

const char *wbt_buurt_code(int w, int b)
{
    char *p = codebuf[codek++ % 8];
    snprintf(p, WB_CODE_MAX, "BU9999%02d%02d", w + 1, b);
    return p;
}

int wbt_area_index_buurt(int w, int b)
{
    return 4 + w * WBT_NBUURT_PER_WIJK + b;
}

static void rect(wb_geom *g, double x0, double y0, double x1, double y1)
{
    g->pts = calloc(5, sizeof *g->pts);
    g->ring_off = calloc(2, sizeof(size_t));
    g->poly_off = calloc(2, sizeof(size_t));
    ASSERT(g->pts && g->ring_off && g->poly_off);
    wb_point p[5] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
    memcpy(g->pts, p, sizeof p);
    g->npts = 5;
    g->ring_off[1] = 5;
    g->nrings = 1;
    g->poly_off[1] = 1;
    g->npolys = 1;
    wb_geom_update_bbox(g);
}

static void free_rect(wb_geom *g)
{
    free(g->pts);
    free(g->ring_off);
    free(g->poly_off);
}

/* The corner of buurt BU99990100 is the RD base point Amersfoort (155000, 463000), whose
 * WGS84 position is published: 52.15517440 N, 5.38720621 E (RDNAPTRANS). */
#define X0 155000.0
#define Y0 463000.0

void wbt_fixture_db(const char *path)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, WB_STORE_CREATE));
    WB_PASS(wb_store_begin(st));
    int64_t ind[8];
    for (int i = 0; wbt_fixture_keys[i]; i++) {
        wb_indicator d = {0};
        d.key = (char *)wbt_fixture_keys[i];
        d.label_nl = (char *)labels_nl[i];
        d.label_en = (char *)labels_en[i];
        d.unit = (char *)units[i];
        d.direction = dirs[i];
        d.source = i == 2 || i == 3 || i == 4 ? "CBS KWB (fixture)" : "Leefbaarometer (fixture)";
        WB_PASS(wb_store_indicator_put(st, &ind[i], &d));
    }
    WB_PASS(wb_store_alias_put(st, "aant_inw", "a_inw"));
    int64_t nl, gm, wk[WBT_NWIJK], bu[WBT_NWIJK][WBT_NBUURT_PER_WIJK];
    WB_PASS(wb_store_area_put(st, &nl, "NL00", WBT_BYEAR, WB_LEVEL_LAND, "Nederland", NULL));
    WB_PASS(wb_store_area_put(st, &gm, WBT_GM, WBT_BYEAR, WB_LEVEL_GEMEENTE, "Voorbeeldstad", NULL));
    wb_geom g = WB_GEOM_INIT;
    rect(&g, X0, Y0, X0 + 6000, Y0 + 4000);
    WB_PASS(wb_store_geom_put(st, gm, &g));
    free_rect(&g);
    static const char *const wnames[] = {"Centrum", "Noord & Oost", "De \"Haven\""};
    for (int w = 0; w < WBT_NWIJK; w++) {
        char code[WB_CODE_MAX];
        snprintf(code, sizeof code, "WK9999%02d", w + 1);
        WB_PASS(wb_store_area_put(st, &wk[w], code, WBT_BYEAR, WB_LEVEL_WIJK, wnames[w], NULL));
        rect(&g, X0 + 2000 * w, Y0, X0 + 2000 * (w + 1), Y0 + 4000);
        WB_PASS(wb_store_geom_put(st, wk[w], &g));
        free_rect(&g);
        for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++) {
            char name[64];
            snprintf(name, sizeof name, "%s %c", wnames[w], 'A' + b);
            WB_PASS(wb_store_area_put(st, &bu[w][b], wbt_buurt_code(w, b), WBT_BYEAR, WB_LEVEL_BUURT,
                                      name, NULL));
            double x = X0 + 2000 * w + 1000 * (b % 2), y = Y0 + 2000 * (b / 2);
            rect(&g, x, y, x + 1000, y + 2000);
            WB_PASS(wb_store_geom_put(st, bu[w][b], &g));
            free_rect(&g);
        }
    }
    for (int year = 2012; year <= 2020; year += 2)
        for (int i = 0; wbt_fixture_keys[i]; i++) {
            if (i == 2) /* inhabitants are known nationally too */
                WB_PASS(wb_store_obs_put(st, ind[i], nl, year, wbt_fixture_value(i, 99, year)));
            WB_PASS(wb_store_obs_put(st, ind[i], gm, year, wbt_fixture_value(i, 0, year)));
            for (int w = 0; w < WBT_NWIJK; w++) {
                WB_PASS(wb_store_obs_put(st, ind[i], wk[w], year, wbt_fixture_value(i, 1 + w, year)));
                for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++) {
                    /* one missing value: BU99990203 has no WOZ in 2020 */
                    double v = (i == 3 && w == 1 && b == 3 && year == 2020) ? NAN
                                                                           : wbt_fixture_value(i, wbt_area_index_buurt(w, b), year);
                    WB_PASS(wb_store_obs_put(st, ind[i], bu[w][b], year, v));
                }
            }
        }
    int64_t set;
    WB_PASS(wb_store_label_set_put(st, &set, "aandachtswijk", "fixture focus areas"));
    WB_PASS(wb_store_label_add(st, set, bu[0][1]));
    WB_PASS(wb_store_label_add(st, set, bu[1][0]));
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
}

void wbt_fixture_add_groups(const char *path)
{
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, path, 0));
    WB_PASS(wb_store_begin(st));
    int64_t w, nw;
    wb_indicator d = {0};
    d.key = "a_w_all";
    d.label_nl = "Westerse migratieachtergrond";
    d.label_en = "Western migration background";
    d.unit = "aantal";
    WB_PASS(wb_store_indicator_put(st, &w, &d));
    d.key = "a_nw_all";
    d.label_nl = "Niet-westerse migratieachtergrond";
    d.label_en = "Non-western migration background";
    WB_PASS(wb_store_indicator_put(st, &nw, &d));
    for (int year = 2012; year <= 2020; year += 2)
        for (int wk = 0, i = 0; wk < WBT_NWIJK; wk++)
            for (int b = 0; b < WBT_NBUURT_PER_WIJK; b++, i++) {
                int64_t area;
                int t = (year - 2012) / 2;
                WB_PASS(wb_store_area_find(st, &area, wbt_buurt_code(wk, b), WBT_BYEAR));
                WB_PASS(wb_store_obs_put(st, w, area, year, 400 + 30 * i + 5 * t));
                WB_PASS(wb_store_obs_put(st, nw, area, year, 200 + 80 * (11 - i) + 20 * t * (i % 3)));
            }
    WB_PASS(wb_store_commit(st));
    wb_store_free(st);
}

const char *wbt_web_dir(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s", wbt_tmp("www"));
    mkdir(dir, 0700);
    char p[4200];
    snprintf(p, sizeof p, "%s/index.html", dir);
    wbt_write(p, "<!doctype html><title>t</title><p>index</p>\n");
    snprintf(p, sizeof p, "%s/app.css", dir);
    wbt_write(p, "body { color: black }\n");
    snprintf(p, sizeof p, "%s/js", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/js/app.js", dir);
    wbt_write(p, "export const x = 1;\n");
    snprintf(p, sizeof p, "%s/.secret", dir);
    wbt_write(p, "hidden\n");
    /* a file outside the root and a symlink to it inside */
    snprintf(p, sizeof p, "%s/outside.txt", wbt_tmpdir());
    wbt_write(p, "outside the web root\n");
    char link[4200];
    snprintf(link, sizeof link, "%s/escape.txt", dir);
    ASSERT(symlink(p, link) == 0);
    snprintf(link, sizeof link, "%s/updir", dir);
    ASSERT(symlink("..", link) == 0);
    return dir;
}

wb_server *wbt_server(const char *db, const char *web_dir, int threads, unsigned max_conn)
{
    wb_server_opts o = WB_SERVER_OPTS_INIT;
    o.port = 0;
    o.threads = threads;
    o.web_dir = web_dir;
    if (max_conn)
        o.max_connections = max_conn;
    wb_server *srv = NULL;
    WB_PASS(wb_server_start(&srv, db, &o));
    ASSERT(wb_server_port(srv) > 0);
    return srv;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

wbt_http wbt_http_raw(int port, const char *req, size_t len, int timeout_ms)
{
    wbt_http r = {-1, NULL, NULL, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_MSG(connect(fd, (struct sockaddr *)&a, sizeof a) == 0, "connect: %s", strerror(errno));
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may answer and close before reading everything */
        off += (size_t)n;
    }
    size_t cap = 1 << 16, got = 0;
    char *buf = malloc(cap + 1);
    ASSERT(buf);
    double deadline = now_ms() + timeout_ms;
    for (;;) {
        double left = deadline - now_ms();
        if (left <= 0)
            break;
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, (int)left) <= 0)
            break;
        if (got == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            ASSERT(buf);
        }
        ssize_t n = recv(fd, buf + got, cap - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = 0;
    char *sep = strstr(buf, "\r\n\r\n");
    if (got >= 12 && !strncmp(buf, "HTTP/1.", 7) && sep) {
        r.status = atoi(buf + 9);
        r.head = strndup(buf, (size_t)(sep - buf) + 2);
        r.body_len = got - (size_t)(sep + 4 - buf);
        r.body = malloc(r.body_len + 1);
        memcpy(r.body, sep + 4, r.body_len);
        r.body[r.body_len] = 0;
    } else {
        r.head = strdup("");
        r.body = strdup("");
    }
    free(buf);
    return r;
}

wbt_http wbt_http_req(int port, const char *method, const char *target, const char *extra)
{
    size_t n = strlen(target) + (extra ? strlen(extra) : 0) + 256;
    char *req = malloc(n);
    ASSERT(req);
    int len = snprintf(req, n, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n", method,
                       target, extra ? extra : "");
    wbt_http r = wbt_http_raw(port, req, (size_t)len, 20000);
    free(req);
    return r;
}

const char *wbt_http_header(const wbt_http *r, const char *name, char *buf, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = r->head ? strstr(r->head, "\r\n") : NULL; p && p[2]; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (!strncasecmp(line, name, nl) && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ')
                v++;
            size_t vl = strcspn(v, "\r\n");
            snprintf(buf, n, "%.*s", (int)vl, v);
            return buf;
        }
    }
    return NULL;
}

void wbt_http_free(wbt_http *r)
{
    free(r->head);
    free(r->body);
    r->head = r->body = NULL;
}
