/**
 * @file
 * @brief Connection-level defences of the HTTP server: request deadlines (conn.c) and the
 * checks of client-sent header text (headers.c), kept apart from the request lifecycle in
 * server.c. The header functions take plain strings, so the fuzz target fuzz/http_headers.c
 * runs them without a socket.
 */
#ifndef WB_WEB_CONN_H
#define WB_WEB_CONN_H

#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- request deadlines (conn.c) */

typedef struct wb_conntrack wb_conntrack;

/** Told, from the watchdog thread, that @p n connections were closed because no complete
 *  request arrived within @p deadline_s seconds. */
typedef void (*wb_conntrack_log_fn)(void *payload, size_t n, int64_t deadline_s);

/** Start the watchdog. 0, WB_ENOMEM or WB_ERROR (thread). */
int wb_conntrack__new(wb_conntrack **out, unsigned deadline_s, wb_conntrack_log_fn log, void *payload);
/** Stop the watchdog and free; after MHD_stop_daemon. Accepts NULL. */
void wb_conntrack__free(wb_conntrack *t);
/** The MHD_OPTION_NOTIFY_CONNECTION callback (cls: the tracker). */
void wb_conntrack__notify(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code);
/** A complete request arrived on @p connection: no deadline while it is answered. */
void wb_conntrack__busy(wb_conntrack *t, struct MHD_Connection *connection);
/** Its response is done: the next request has the deadline, counted from now. */
void wb_conntrack__idle(wb_conntrack *t, struct MHD_Connection *connection);

/* ---------------------------------------------------------------- header text (headers.c) */

/** Accept-Encoding: does it accept gzip (gzip or *, with q > 0)? */
int wb_http__accepts_gzip(const char *accept_encoding);

/** If-None-Match ("*" or a list of entity tags, compared weakly, RFC 9110 13.1.2) against
 *  the strong tag @p etag (with its quotes). */
int wb_http__etag_matches(const char *if_none_match, const char *etag);

/**
 * May a state-changing request with these headers (each NULL when absent) go on? Refused
 * when Sec-Fetch-Site names another site, or when Origin is not exactly the scheme the
 * request came in with (https when @p https) and the Host header. No Origin: allowed (curl,
 * tests; the SameSite cookie and the CSRF token still apply).
 */
int wb_http__same_origin(const char *sec_fetch_site, const char *origin, const char *host, int https);

/** An IP address in canonical text form, or -1 (surrounding blanks are ignored). */
int wb_http__normalise_ip(char *out, size_t n, const char *in, size_t len);

/**
 * Copy client-controlled text for a log line: bytes below 0x20, 0x7f and backslash become
 * \xHH (\\ for the backslash), so a terminal escape or a CR cannot forge or hide a line;
 * the result is cut at @p n - 1 bytes (never inside an escape) and always terminated.
 */
void wb_http__log_escape(char *out, size_t n, const char *in, size_t len);

/**
 * The request head's own consistency, beyond what libmicrohttpd checks: @p values are the
 * @p count values of the Content-Length headers. 0 when acceptable, else an HTTP status
 * (400: two different Content-Length values).
 */
int wb_http__check_content_length(const char *const *values, size_t count);

#endif
