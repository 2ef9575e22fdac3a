/**
 * @file
 * @brief The HTTP server of the dashboard: a JSON API under /api/, OGC API - Features under
 * /ogc (the monitor's layers for QGIS and GDAL, docs/ogc.md) and static files.
 *
 * The server runs on libmicrohttpd with an internal thread pool. Each worker thread gets
 * a read-only connection to the store from a small pool, so requests are answered in
 * parallel (SQLite in WAL mode allows concurrent readers). Routes are declared in one
 * table; every query parameter has a typed validator, and anything not declared is
 * refused with 400 and a JSON body {"error": "...", "param": "..."}.
 *
 * The library never prints: the access log and server-side error details go to the
 * log callback of wb_server_opts. The log never carries request bodies, query strings,
 * cookies or headers, so passwords, session tokens and CSRF tokens never reach it.
 *
 * Accounts (issue 6, wijkbeeld/collab.h): POST /api/login sets a session cookie (HttpOnly,
 * SameSite=Strict, Path=/, Max-Age; Secure when served over HTTPS: see secure_cookies and
 * trusted_proxy); every state-changing request needs that session and its CSRF token in
 * the X-CSRF-Token header, and runs on a writable store connection in one transaction.
 */
#ifndef WIJKBEELD_WEB_H
#define WIJKBEELD_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "collab.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A running server. Opaque. */
typedef struct wb_server wb_server;

/** One finished request, handed to the log callback. */
typedef struct {
    const char *method;  /**< "GET", ... */
    const char *path;    /**< the request path as sent (percent-encoded, no query) */
    int status;          /**< HTTP status sent */
    double ms;           /**< time from the first byte parsed to the response queued */
    size_t bytes;        /**< body bytes queued (after compression) */
    const char *detail;  /**< server-side error detail for 5xx (not sent to the client), or NULL */
} wb_server_log_entry;

/** Receives log entries, from any worker thread (the callback must be thread-safe). */
typedef void (*wb_server_log_fn)(void *payload, const wb_server_log_entry *entry);

/** Options of wb_server_start. Initialise with WB_SERVER_OPTS_INIT. */
typedef struct {
    int version;               /**< 1 */
    const char *bind;          /**< IPv4 or IPv6 address to listen on; default "127.0.0.1" */
    int port;                  /**< TCP port; 0 picks a free one (see wb_server_port) */
    int threads;               /**< worker threads (and store connections); default 2 */
    unsigned max_connections;  /**< open connections at most; more are closed at once */
    unsigned timeout_s;        /**< idle connection timeout in seconds */
    size_t max_url_bytes;      /**< longer request targets get 414 */
    size_t max_body_bytes;     /**< longer request bodies get 413 */
    const char *web_dir;       /**< directory of the dashboard files, or NULL: API only */
    wb_server_log_fn log;      /**< access log and error details, or NULL */
    void *log_payload;
    const char *models_dir;    /**< directory of score models (NAME.model), or NULL: no scores */
    const wb_auth_opts *auth;  /**< password hashing cost, lockouts, session lifetimes; NULL:
                                    WB_AUTH_OPTS_INIT (copied at start) */
    int secure_cookies;        /**< 1: the session cookie always carries Secure (the server
                                    is reached over HTTPS, e.g. behind a TLS proxy) */
    const char *trusted_proxy; /**< IP address of a reverse proxy, or NULL: requests from that
                                    peer are HTTPS when they carry X-Forwarded-Proto: https,
                                    and their client address for login rate limiting is the
                                    last X-Forwarded-For entry. From any other peer both
                                    headers are ignored. */
    unsigned max_connections_per_ip; /**< open connections from one client address at most;
                                    0: the default (32). Not applied when trusted_proxy is
                                    set: every client then arrives from the proxy, which
                                    limits them per address itself. */
    unsigned request_timeout_s; /**< a request (line, headers and body) must arrive within
                                    this many seconds of the connection opening or of the
                                    previous response on it, however steadily it trickles;
                                    the connection is closed otherwise. 0: the default (10). */
} wb_server_opts;

#define WB_SERVER_OPTS_INIT {1, "127.0.0.1", 8080, 2, 256, 15, 4096, 64 * 1024, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, 0}

/**
 * Start serving the store at @p store_path: one read-only connection per worker thread
 * for reading routes, and as many writable ones for logins and changes (the file must
 * exist and have the current schema; when it cannot be opened writable the monitor is
 * still served and changes answer 503).
 * @param out OUT: the server; stop and free it with wb_server_stop
 * @return 0; WB_ENOTFOUND for a missing store or web directory; WB_ESTORE for a store that
 *         cannot be opened; WB_EINVALID for bad options (unparseable address, threads < 1);
 *         WB_EIO when the address cannot be bound (message says why).
 */
int wb_server_start(wb_server **out, const char *store_path, const wb_server_opts *opts);

/** The port the server listens on (useful after port 0). */
int wb_server_port(const wb_server *srv);

/**
 * Test hook: the clock of logins and sessions (unix seconds; 0: the real time), so tests
 * move time to expire sessions and lockouts instead of sleeping. Thread-safe.
 */
void wb_server_set_clock(wb_server *srv, int64_t now);

/**
 * Stop accepting connections, let requests in flight finish (waiting at most
 * @p grace_ms milliseconds), then close every connection and the store and free the
 * server. Accepts NULL.
 */
void wb_server_stop(wb_server *srv, int grace_ms);

#ifdef __cplusplus
}
#endif
#endif
