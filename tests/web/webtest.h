/**
 * @file
 * @brief Helpers of the web tests: a demo-like store built through the store API, and a
 * small HTTP/1.1 client on raw loopback sockets (so malformed requests can be sent as-is).
 */
#ifndef WB_TESTS_WEBTEST_H
#define WB_TESTS_WEBTEST_H

#include <stddef.h>

#include "wijkbeeld.h"

/* The fixture municipality: GM9999 "Voorbeeldstad" with 3 wijken of 4 buurten each, on 2016
 * boundaries, in RD New around Amersfoort; values for 2012..2020 every two years. */
#define WBT_GM "GM9999"
#define WBT_NWIJK 3
#define WBT_NBUURT_PER_WIJK 4
#define WBT_BYEAR 2016

/** The value the fixture stores for (indicator index, area index, data year). */
double wbt_fixture_value(int ind, int area, int year);

/** Indicator keys of the fixture, in index order (NULL-terminated). */
extern const char *const wbt_fixture_keys[];

/** Build the fixture store at @p path (fails the test on any error). */
void wbt_fixture_db(const char *path);

/** Add migration-background counts a_w_all and a_nw_all (buurten, 2012..2020) to a fixture
 * store, below each buurt's a_inw, for the segregation views. */
void wbt_fixture_add_groups(const char *path);

/** Buurt code of wijk w (0..2), buurt b (0..3): BU9999wwbb. Static buffer per call slot. */
const char *wbt_buurt_code(int w, int b);

/** Area index used by wbt_fixture_value: 0 gemeente, 1..3 wijken, 4.. buurten, 99 NL00. */
int wbt_area_index_buurt(int w, int b);

/** A web directory for tests with index.html, app.css, js/app.js, a hidden file and a symlink
 * pointing outside it. @return its path (in the test's temp dir). */
const char *wbt_web_dir(void);

/** Start a server on 127.0.0.1, port 0, on the store @p db; fails the test on error. */
wb_server *wbt_server(const char *db, const char *web_dir, int threads, unsigned max_conn);

/** An HTTP response. */
typedef struct {
    int status;    /**< -1 when no status line arrived (connection closed or timed out) */
    char *head;    /**< status line and headers, NUL-terminated */
    char *body;    /**< NUL-terminated */
    size_t body_len;
} wbt_http;

/** Send raw bytes to 127.0.0.1:port, read until the server closes (or @p timeout_ms). */
wbt_http wbt_http_raw(int port, const char *req, size_t len, int timeout_ms);

/** GET (or another method) @p target with "Connection: close" and optional extra header lines
 * ("Name: value\r\n..."). */
wbt_http wbt_http_req(int port, const char *method, const char *target, const char *extra);

/** The value of a response header (case-insensitive name) into buf, or NULL. */
const char *wbt_http_header(const wbt_http *r, const char *name, char *buf, size_t n);

void wbt_http_free(wbt_http *r);

#endif
