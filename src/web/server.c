/**
 * @file
 * @brief The HTTP server on libmicrohttpd: request lifecycle, limits, the error table,
 * security headers, ETag/304, gzip, the store connection pool and the result cache.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "web/conn.h"
#include "web/json.h"
#include "web/web_internal.h"

/* Bodies at least this long are gzipped for clients that accept it. */
#define GZIP_MIN_BYTES 1024
#define CACHE_SLOTS 64

typedef struct {
    char key[96];
    uint64_t gen;
    uint64_t tick;
    wb_blob *blob;
} cache_slot;

struct wb_server {
    struct MHD_Daemon *d;
    wb_server_opts o;
    char *bind;
    char *store_path;
    char *wal_path;
    char *web_real;       /* realpath of the web directory, or NULL */
    char *models_real;    /* realpath of the models directory, or NULL */
    int port;
    /* store connections: a stack of free ones; read-only ones for reading routes and
     * writable ones (lazily opened) for logins, session use and changes */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    wb_webdb *dbs;
    wb_webdb **free_dbs;
    size_t ndbs, nfree;
    wb_webdb *wdbs;
    wb_webdb **free_wdbs;
    size_t nwdbs, nwfree;
    int writes_disabled;  /* the store could not be opened writable at start */
    /* accounts */
    wb_auth_opts auth;
    _Atomic int64_t clock; /* test hook: 0 = real time */
    char proxy[64];        /* trusted proxy address, normalised; "" none */
    /* results computed from the store, keyed and tagged with the store generation */
    pthread_mutex_t cmu;
    cache_slot cache[CACHE_SLOTS];
    uint64_t tick;
    atomic_int active;    /* requests begun and not completed */
    pthread_t warm;       /* fills the caches after start */
    int warm_started;
    wb_conntrack *conns;  /* request deadlines */
};

/* Per-request state, made by the URI callback (the first thing MHD tells us about a request). */
typedef struct {
    char *uri;            /* raw request target, NULL when too long */
    size_t urilen;
    const char *uri_end;  /* where the target ended in libmicrohttpd's buffer (compared with
                             the version's position to find a NUL inside it; never read) */
    struct timespec t0;
    int started;
    int body_too_big;
    wb_str body;
} reqstate;

/* ---------------------------------------------------------------- the error table */

/* How library error codes become HTTP statuses. Messages of the listed codes describe the
 * client's request ("no area BU..."), so they are sent; anything else is a 500 whose
 * details go to the log only. */
static const struct {
    int code;
    int status;
    int send_message;
} error_table[] = {
    {WB_ENOTFOUND, 404, 1},
    {WB_EINVALID, 400, 1},
    {WB_EPARSE, 400, 1},
    {WB_EDENIED, 403, 1}, /* 401 when nobody is logged in (see dispatch) */
    {WB_ECONFLICT, 409, 1},
};

static int status_of(int code, int *send_message)
{
    for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
        if (error_table[i].code == code) {
            *send_message = error_table[i].send_message;
            return error_table[i].status;
        }
    *send_message = 0;
    return 500;
}

static const char *reason(int status)
{
    switch (status) {
    case 400: return "bad request";
    case 401: return "not logged in";
    case 403: return "forbidden";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 409: return "conflict";
    case 413: return "request body too large";
    case 414: return "request target too long";
    case 415: return "unsupported media type";
    case 429: return "too many requests";
    case 503: return "service unavailable";
    default: return "internal error";
    }
}

/* ---------------------------------------------------------------- blobs */

static void hex_etag(char out[40], const unsigned char *data, size_t len)
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    out[0] = '"';
    sodium_bin2hex(out + 1, 33, h, sizeof h);
    out[33] = '"';
    out[34] = 0;
}

static int gzip(unsigned char **out, size_t *outlen, const unsigned char *in, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    *out = NULL;
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return WB_ENOMEM;
    uLong bound = deflateBound(&z, (uLong)len);
    unsigned char *buf = wb_malloc(bound);
    if (!buf) {
        deflateEnd(&z);
        return WB_ENOMEM;
    }
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        wb_free(buf);
        wb_error_set(WB_ERRCLASS_HTTP, "gzip failed (%d)", rc);
        return WB_ERROR;
    }
    *out = buf;
    *outlen = z.total_out;
    return 0;
}

static int compressible(const char *type)
{
    return type && (!strncmp(type, "text/", 5) || strstr(type, "json") || strstr(type, "svg") ||
                    strstr(type, "javascript"));
}

int wb_blob__new(wb_blob **out, unsigned char *data, size_t len, const char *type)
{
    *out = NULL;
    wb_blob *b = wb_calloc(1, sizeof *b);
    if (!b) {
        wb_free(data);
        return WB_ENOMEM;
    }
    atomic_init(&b->refs, 1);
    b->data = data;
    b->len = len;
    snprintf(b->type, sizeof b->type, "%s", type);
    hex_etag(b->etag, data, len);
    if (len >= GZIP_MIN_BYTES && compressible(type) && gzip(&b->gz, &b->gzlen, data, len) == 0 &&
        b->gzlen >= len) {
        wb_free(b->gz);
        b->gz = NULL;
    }
    *out = b;
    return 0;
}

void wb_blob__ref(wb_blob *b)
{
    atomic_fetch_add(&b->refs, 1);
}

void wb_blob__unref(wb_blob *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        wb_free(b->data);
        wb_free(b->gz);
        wb_free(b);
    }
}

static void blob_free_cb(void *cls)
{
    wb_blob__unref(cls);
}

static void buf_free_cb(void *cls)
{
    wb_free(cls);
}

/* ---------------------------------------------------------------- cache */

const char *wb_web__models_dir(const wb_server *srv)
{
    return srv->models_real;
}

uint64_t wb_web__generation(wb_server *srv)
{
    uint64_t g = 1469598103934665603ULL;
    const char *paths[2] = {srv->store_path, srv->wal_path};
    for (int i = 0; i < 2; i++) {
        struct stat sb;
        uint64_t parts[4] = {0, 0, 0, 0};
        if (stat(paths[i], &sb) == 0) {
            parts[0] = (uint64_t)sb.st_size;
            parts[1] = (uint64_t)sb.st_mtim.tv_sec;
            parts[2] = (uint64_t)sb.st_mtim.tv_nsec;
            parts[3] = (uint64_t)sb.st_ino;
        }
        for (int k = 0; k < 4; k++)
            g = (g ^ parts[k]) * 1099511628211ULL;
    }
    return g;
}

wb_blob *wb_web__cache_get(wb_server *srv, const char *key, uint64_t gen)
{
    wb_blob *b = NULL;
    pthread_mutex_lock(&srv->cmu);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        cache_slot *c = &srv->cache[i];
        if (c->blob && c->gen == gen && !strcmp(c->key, key)) {
            c->tick = ++srv->tick;
            b = c->blob;
            wb_blob__ref(b);
            break;
        }
    }
    pthread_mutex_unlock(&srv->cmu);
    return b;
}

void wb_web__cache_put(wb_server *srv, const char *key, uint64_t gen, wb_blob *b)
{
    pthread_mutex_lock(&srv->cmu);
    cache_slot *victim = &srv->cache[0];
    for (int i = 0; i < CACHE_SLOTS; i++) {
        cache_slot *c = &srv->cache[i];
        if (c->blob && !strcmp(c->key, key)) { /* same key, older generation: replace */
            victim = c;
            break;
        }
        if (!c->blob || c->tick < victim->tick)
            victim = c;
        if (!c->blob)
            break;
    }
    wb_blob__unref(victim->blob);
    snprintf(victim->key, sizeof victim->key, "%s", key);
    victim->gen = gen;
    victim->tick = ++srv->tick;
    wb_blob__ref(b);
    victim->blob = b;
    pthread_mutex_unlock(&srv->cmu);
}

/* ---------------------------------------------------------------- store connections */

static wb_webdb *db_acquire(wb_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    while (srv->nfree == 0)
        pthread_cond_wait(&srv->cv, &srv->mu);
    wb_webdb *db = srv->free_dbs[--srv->nfree];
    pthread_mutex_unlock(&srv->mu);
    return db;
}

/* A writable connection. There are as many as worker threads, and a thread holds at most
 * one, so this waits only while the warm-up or a test holds one. Writers on different
 * connections are serialised by SQLite (BEGIN IMMEDIATE with a 5 s busy timeout); in WAL
 * mode they never block the readers. */
static wb_webdb *wdb_acquire(wb_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    while (srv->nwfree == 0)
        pthread_cond_wait(&srv->cv, &srv->mu);
    wb_webdb *db = srv->free_wdbs[--srv->nwfree];
    pthread_mutex_unlock(&srv->mu);
    return db;
}

static void db_release(wb_server *srv, wb_webdb *db)
{
    pthread_mutex_lock(&srv->mu);
    if (db >= srv->wdbs && db < srv->wdbs + srv->nwdbs)
        srv->free_wdbs[srv->nwfree++] = db;
    else
        srv->free_dbs[srv->nfree++] = db;
    pthread_cond_broadcast(&srv->cv);
    pthread_mutex_unlock(&srv->mu);
}

static void db_close(wb_webdb *db)
{
    wb_store_free(db->st);
    db->st = NULL;
}

static int db_open(wb_server *srv, wb_webdb *db)
{
    if (db->st)
        return 0;
    int writable = db >= srv->wdbs && db < srv->wdbs + srv->nwdbs;
    return wb_store_open(&db->st, srv->store_path, writable ? 0 : WB_STORE_READONLY);
}

void wb_server_set_clock(wb_server *srv, int64_t now)
{
    atomic_store(&srv->clock, now);
}

/* The warm-up thread: one store connection from the pool, one read transaction. Errors are
 * not fatal (the request that needs the result computes it again and reports them). */
static void *warm_main(void *arg)
{
    wb_server *srv = arg;
    wb_webdb *db = db_acquire(srv);
    if (db_open(srv, db) == 0 && wb_store_snapshot_begin(db->st) == 0) {
        wb_web__warm(srv, db);
        wb_store_snapshot_end(db->st);
    }
    db_release(srv, db);
    return NULL;
}

/* ---------------------------------------------------------------- responses */

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int accepts_gzip(struct MHD_Connection *c)
{
    return wb_http__accepts_gzip(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
}

static int etag_matches(struct MHD_Connection *c, const char *etag)
{
    return wb_http__etag_matches(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH), etag);
}

static void add_common_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Permissions-Policy", "geolocation=(), camera=(), microphone=()");
}

static void log_entry(wb_server *srv, reqstate *rs, const char *method, int status, size_t bytes,
                      const char *detail)
{
    if (!srv->o.log)
        return;
    /* everything from the client is escaped: a control byte must not reach a terminal or
     * forge a log line */
    char path[256], meth[40], det[600];
    if (rs->uri)
        wb_http__log_escape(path, sizeof path, rs->uri, strcspn(rs->uri, "?"));
    else
        snprintf(path, sizeof path, "(request target over %zu bytes)", srv->o.max_url_bytes);
    wb_http__log_escape(meth, sizeof meth, method, strlen(method));
    if (detail)
        wb_http__log_escape(det, sizeof det, detail, strlen(detail));
    wb_server_log_entry e = {meth, path, status, ms_since(&rs->t0), bytes, detail ? det : NULL};
    srv->o.log(srv->o.log_payload, &e);
}

/* Turn a wb_resp into an MHD response: ETag and 304, gzip, headers; queue it. */
static enum MHD_Result send_resp(wb_server *srv, struct MHD_Connection *c, reqstate *rs,
                                 const char *method, wb_resp *resp, const char *detail)
{
    int status = resp->status ? resp->status : 200;
    const char *type = resp->type ? resp->type : "application/json";
    wb_conntrack__busy(srv->conns, c); /* the request is complete: no deadline while answering */
    const unsigned char *data;
    size_t len;
    char etag[48] = "";
    unsigned char *gz = NULL, *gz_owned = NULL;
    size_t gzlen = 0;
    if (resp->blob) {
        data = resp->blob->data;
        len = resp->blob->len;
        type = resp->blob->type;
    } else {
        data = (const unsigned char *)resp->body.ptr;
        len = resp->body.len;
    }
    int use_gz = 0, vary = 0;
    if (status == 200) {
        vary = compressible(type) && len >= GZIP_MIN_BYTES;
        use_gz = vary && accepts_gzip(c);
        if (resp->blob)
            snprintf(etag, sizeof etag, "%s", resp->blob->etag);
        else
            hex_etag(etag, data ? data : (const unsigned char *)"", len);
        if (use_gz) {
            if (resp->blob) {
                gz = resp->blob->gz;
                gzlen = resp->blob->gzlen;
            } else if (gzip(&gz_owned, &gzlen, data, len) == 0 && gzlen < len) {
                gz = gz_owned;
            }
            if (!gz)
                use_gz = 0;
            else /* a different representation needs a different strong tag */
                memcpy(etag + strlen(etag) - 1, "-gz\"", 5);
        }
        if (etag_matches(c, etag))
            status = 304;
    }

    struct MHD_Response *r;
    size_t sent = 0;
    if (status == 304) {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else if (use_gz && gz_owned) {
        r = MHD_create_response_from_buffer_with_free_callback_cls(gzlen, gz_owned, buf_free_cb, gz_owned);
        gz_owned = NULL;
        sent = gzlen;
    } else if (resp->blob) {
        const unsigned char *p = use_gz ? gz : data;
        sent = use_gz ? gzlen : len;
        wb_blob__ref(resp->blob);
        r = MHD_create_response_from_buffer_with_free_callback_cls(sent, (void *)p, blob_free_cb, resp->blob);
    } else if (len > 0) {
        char *owned = wb_str_detach(&resp->body);
        r = MHD_create_response_from_buffer_with_free_callback_cls(len, owned, buf_free_cb, owned);
        sent = len;
    } else {
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    wb_free(gz_owned);
    if (!r) {
        log_entry(srv, rs, method, 500, 0, "cannot create a response");
        return MHD_NO;
    }
    add_common_headers(r);
    if (status != 304)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (etag[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    if ((status == 200 || status == 304) && !resp->no_store) /* revalidate with the ETag every time: data change on import */
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, resp->private_cache ? "private, no-cache" : "no-cache");
    else
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (resp->set_cookie[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, resp->set_cookie);
    if (resp->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%ld", resp->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    if (vary)
        MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (use_gz && status == 200)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (resp->allow[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, resp->allow);
    if (resp->boundary_year[0])
        MHD_add_response_header(r, "X-Boundary-Year", resp->boundary_year);
    if (resp->cache)
        MHD_add_response_header(r, "X-Cache", resp->cache);
    if (resp->filename[0] && status == 200) {
        char cd[160];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", resp->filename);
        MHD_add_response_header(r, "Content-Disposition", cd);
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    log_entry(srv, rs, method, status, sent, detail);
    return ok;
}

static enum MHD_Result send_error(wb_server *srv, struct MHD_Connection *c, reqstate *rs,
                                  const char *method, int status, const char *allow)
{
    wb_resp resp;
    memset(&resp, 0, sizeof resp);
    wb_resp_error(&resp, status, NULL, "%s", reason(status));
    if (allow)
        snprintf(resp.allow, sizeof resp.allow, "%s", allow);
    enum MHD_Result ok = send_resp(srv, c, rs, method, &resp, NULL);
    wb_str_dispose(&resp.body);
    return ok;
}

/* ---------------------------------------------------------------- accounts */

void wb_web__cookie(const wb_req *req, wb_resp *resp, const char *token, long max_age)
{
    /* the token is 43 base64url characters: nothing in it needs quoting */
    snprintf(resp->set_cookie, sizeof resp->set_cookie,
             "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s", WB_SESSION_COOKIE,
             token ? token : "", token ? max_age : 0L, req->https ? "; Secure" : "");
}

/* The peer's address as text ("" when unknown). */
static void peer_address(struct MHD_Connection *c, char *out, size_t n)
{
    out[0] = 0;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

/* Who asks and how: the client key, HTTPS, the session cookie, the clock. */
static void request_context(wb_server *srv, struct MHD_Connection *c, wb_req *req)
{
    static const wb_actor nobody = WB_ACTOR_ANONYMOUS;
    req->actor = nobody;
    req->auth = srv->auth;
    req->auth.now = atomic_load(&srv->clock);
    peer_address(c, req->client, sizeof req->client);
    req->https = srv->o.secure_cookies;
    if (srv->proxy[0] && !strcmp(req->client, srv->proxy)) {
        const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
        if (proto && !strcasecmp(proto, "https"))
            req->https = 1;
        const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
        if (xff) { /* the last entry is the address the proxy saw; earlier ones are hearsay */
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            char ip[64];
            if (wb_http__normalise_ip(ip, sizeof ip, last, strlen(last)) == 0)
                snprintf(req->client, sizeof req->client, "%s", ip);
        }
    }
    req->host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    req->token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, WB_SESSION_COOKIE);
    if (req->token && !*req->token)
        req->token = NULL;
}

/* Validate the session cookie on @p db. A refused token leaves the request anonymous (with
 * the reason kept for a 401); other errors are returned. A session last used over a
 * minute ago is touched on a writable connection, so that reading keeps it alive. */
static int load_session(wb_server *srv, wb_req *req, wb_webdb *db, int writable)
{
    if (!req->token)
        return 0;
    wb_auth_opts o = req->auth;
    o.touch = writable;
    int rc = wb_session_validate(db->st, &req->sess, req->token, &o);
    if (rc == WB_EDENIED) {
        snprintf(req->session_error, sizeof req->session_error, "%s", wb_error_last()->message);
        wb_error_clear();
        return 0;
    }
    if (rc < 0)
        return rc;
    req->logged_in = 1;
    req->actor = req->sess.actor;
    int64_t now = o.now ? o.now : (int64_t)time(NULL);
    if (!writable && !srv->writes_disabled && now - req->sess.last_seen >= 60) {
        wb_webdb *w = wdb_acquire(srv);
        wb_session tmp;
        o.touch = 1;
        if (db_open(srv, w) == 0)
            wb_session_validate(w->st, &tmp, req->token, &o); /* best effort */
        wb_error_clear();
        db_release(srv, w);
    }
    return 0;
}

/* A state-changing request must come from our own pages: a browser sends Origin (and
 * Sec-Fetch-Site) with it; a different origin (scheme, host or port) is refused. Requests
 * without these headers (curl, tests) pass: the session cookie is SameSite=Strict and the
 * CSRF token is checked as well, so this is a second line of defence. */
static int same_origin(struct MHD_Connection *c, const wb_req *req)
{
    return wb_http__same_origin(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site"),
                                MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"),
                                MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST),
                                req->https);
}

/* Authorisation of a route for this request, before its handler: 0; 1 with @p resp
 * filled (401 nobody logged in, 403 refused); or an error of the store. */
static int authorize(wb_server *srv, struct MHD_Connection *c, wb_req *req, wb_resp *resp)
{
    (void)srv;
    const wb_route *route = req->route;
    if ((route->flags & (WB_ROUTE_WRITE | WB_ROUTE_CSRF)) && !same_origin(c, req)) {
        wb_resp_error(resp, 403, NULL, "cross-origin request refused");
        return 1;
    }
    if (route->auth == WB_AUTH_LOGIN || (route->flags & WB_ROUTE_CSRF)) {
        if (!req->logged_in) {
            wb_resp_error(resp, 401, NULL, "%s", req->session_error[0] ? req->session_error : "not logged in");
            return 1;
        }
    } else if (route->auth == WB_AUTH_MONITOR || route->auth == WB_AUTH_REGISTER) {
        wb_action act = route->auth == WB_AUTH_MONITOR ? WB_ACT_READ_MONITOR : WB_ACT_READ_REGISTER;
        int rc = wb_authorize_in(req->db->st, &req->actor, act, NULL);
        if (rc < 0) {
            if (rc == WB_EDENIED && !req->logged_in)
                wb_resp_error(resp, 401, NULL, "not logged in: the administrator has closed the monitor to visitors without an account");
            else if (rc == WB_EDENIED)
                wb_resp_error(resp, 403, NULL, "%s", wb_error_last()->message);
            else
                return rc;
            return 1;
        }
    }
    if (route->flags & WB_ROUTE_CSRF) {
        const char *sent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
        if (wb_csrf_check(&req->sess, sent) < 0) {
            wb_resp_error(resp, 403, NULL, "%s", wb_error_last()->message);
            return 1;
        }
    }
    return 0;
}

/* application/json, optionally with parameters (charset=utf-8). */
static int is_json_type(const char *ct)
{
    if (!ct)
        return 0;
    size_t n = strcspn(ct, "; ");
    return n == 16 && !strncasecmp(ct, "application/json", 16);
}

int wb_web__body_json(wb_req *req, wb_resp *resp, const char *body, size_t len)
{
    if (len == 0) {
        req->json = json_object();
        if (!req->json) {
            wb_resp_error(resp, 500, NULL, "out of memory");
            return -1;
        }
        return 0;
    }
    json_error_t err;
    req->json = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (!req->json) {
        wb_resp_error(resp, 400, NULL, "the request body is not valid JSON: line %d, column %d: %s",
                      err.line, err.column, err.text);
        return -1;
    }
    if (!json_is_object(req->json)) {
        json_decref(req->json);
        req->json = NULL;
        wb_resp_error(resp, 400, NULL, "the request body must be a JSON object");
        return -1;
    }
    return 0;
}

/* Parse the body of a JSON route strictly into req->json (wb_web__body_json) after checking
 * its Content-Type. 0, or -1 with a 400/415 in @p resp. */
static int parse_body(struct MHD_Connection *c, reqstate *rs, wb_req *req, wb_resp *resp)
{
    if (rs->body.len > 0 &&
        !is_json_type(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE))) {
        wb_resp_error(resp, 415, NULL, "the request body must be JSON (Content-Type: application/json)");
        return -1;
    }
    return wb_web__body_json(req, resp, rs->body.ptr, rs->body.len);
}

/* The routed paths: the JSON API under /api and the OGC API Features under /ogc
 * (routes_ogc.c); everything else is a static file. */
static int is_prefix(const char *path, size_t len, const char *prefix, size_t n)
{
    return (len == n && !memcmp(path, prefix, n)) || (len > n && !memcmp(path, prefix, n) && path[n] == '/');
}

static int is_api(const char *path, size_t len)
{
    return is_prefix(path, len, "/api", 4) || is_prefix(path, len, "/ogc", 4);
}

/* Run an API route whose parameters are valid: session, authorisation, transaction,
 * handler. Returns the handler's code; resp is filled when the route was refused. */
static int run_route(wb_server *srv, struct MHD_Connection *c, reqstate *rs, wb_req *req, wb_resp *resp,
                     int *broken)
{
    const wb_route *route = req->route;
    int write = (route->flags & WB_ROUTE_WRITE) != 0;
    int rc = 0;
    if ((route->flags & WB_ROUTE_BODY_JSON) && parse_body(c, rs, req, resp) < 0)
        return 0;
    if (write && srv->writes_disabled) {
        wb_resp_error(resp, 503, NULL, "the store is open read-only: no changes are possible");
        return 0;
    }
    req->body = rs->body.ptr;
    req->body_len = rs->body.len;
    req->db = write ? wdb_acquire(srv) : db_acquire(srv);
    if ((rc = db_open(srv, req->db)) < 0 || (rc = load_session(srv, req, req->db, write)) < 0)
        goto done;
    if (write) {
        if ((rc = authorize(srv, c, req, resp)) != 0) {
            rc = rc > 0 ? 0 : rc;
            goto done;
        }
        if (route->flags & WB_ROUTE_OWN_TX) {
            rc = route->fn(req, resp);
        } else if ((rc = wb_store_begin(req->db->st)) == 0) {
            /* one write transaction: a refused or failed request changes nothing */
            rc = route->fn(req, resp);
            if (rc < 0 || resp->status >= 400)
                wb_store_rollback(req->db->st);
            else
                rc = wb_store_commit(req->db->st);
        }
    } else {
        /* one read transaction: every query of a request sees the same snapshot */
        if ((rc = wb_store_snapshot_begin(req->db->st)) < 0)
            goto done;
        rc = authorize(srv, c, req, resp);
        if (rc == 0)
            rc = route->fn(req, resp);
        else if (rc > 0)
            rc = 0;
        wb_store_snapshot_end(req->db->st);
    }
done:
    if (rc < 0 && rc != WB_EDENIED && rc != WB_EINVALID && rc != WB_ENOTFOUND && rc != WB_ECONFLICT &&
        rc != WB_EPARSE)
        *broken = 1;
    return rc;
}

static enum MHD_Result dispatch(wb_server *srv, struct MHD_Connection *c, reqstate *rs, const char *method)
{
    wb_conntrack__busy(srv->conns, c); /* complete: a slow answer is not the client's fault */
    const char *uri = rs->uri;
    size_t path_len = strcspn(uri, "?#");
    const char *query = uri[path_len] == '?' ? uri + path_len + 1 : NULL;
    char *qcopy = NULL;
    if (query && strchr(query, '#')) { /* a fragment is never sent by browsers; drop it */
        qcopy = wb_strndup(query, strcspn(query, "#"));
        query = qcopy;
    }
    wb_resp resp;
    memset(&resp, 0, sizeof resp);
    wb_req req;
    memset(&req, 0, sizeof req);
    req.srv = srv;
    req.method = method;
    const char *detail = NULL;
    char detail_buf[512];

    if (path_len == 0 || uri[0] != '/') {
        wb_resp_error(&resp, 400, NULL, "bad request target");
    } else if (is_api(uri, path_len)) {
        wb_match m = wb_web__route(&req, &resp, method, uri, path_len, query);
        if (m == WB_MATCH_NOTFOUND) {
            wb_resp_error(&resp, 404, NULL, "no such API route");
        } else if (m == WB_MATCH_METHOD) {
            char allow[64];
            snprintf(allow, sizeof allow, "%s", resp.allow);
            wb_resp_error(&resp, 405, NULL, "method %s not allowed here", method);
            snprintf(resp.allow, sizeof resp.allow, "%s", allow);
        } else if (m == WB_MATCH_OK) {
            /* register and account answers depend on who asks: never stored by caches */
            resp.no_store = req.route->auth != WB_AUTH_MONITOR;
            if (rs->body.len > 0 && !(req.route->flags & WB_ROUTE_BODY_JSON)) {
                wb_resp_error(&resp, 400, NULL, "this route takes no request body");
            } else {
                request_context(srv, c, &req);
                int broken = 0;
                int rc = run_route(srv, c, rs, &req, &resp, &broken);
                resp.private_cache = req.logged_in;
                if (rc < 0 && resp.status < 400) {
                    int send_msg;
                    int status = status_of(rc, &send_msg);
                    if (status == 403 && !req.logged_in)
                        status = 401; /* nobody logged in: logging in may help */
                    snprintf(detail_buf, sizeof detail_buf, "%s", wb_error_last()->message);
                    if (resp.blob) {
                        wb_blob__unref(resp.blob);
                        resp.blob = NULL;
                    }
                    resp.set_cookie[0] = 0;
                    if (status == 400)
                        wb_resp_error_field(&resp, status, NULL, detail_buf);
                    else
                        wb_resp_error(&resp, status, NULL, "%s", send_msg ? detail_buf : reason(status));
                    if (status >= 500)
                        detail = detail_buf;
                }
                if (req.db) {
                    if (broken) /* a connection that failed may be broken: reopen it next time */
                        db_close(req.db);
                    db_release(srv, req.db);
                }
                json_decref(req.json);
                sodium_memzero(&req.sess, sizeof req.sess);
            }
        }
    } else if (!srv->web_real) {
        wb_resp_error(&resp, 404, NULL, "no such route (the server runs without --web)");
    } else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        wb_resp_error(&resp, 405, NULL, "method %s not allowed here", method);
        snprintf(resp.allow, sizeof resp.allow, "GET, HEAD");
    } else if (rs->body.len > 0) {
        wb_resp_error(&resp, 400, NULL, "this route takes no request body");
    } else {
        wb_web__static(&resp, srv->web_real, uri, path_len);
    }
    enum MHD_Result ok = send_resp(srv, c, rs, method, &resp, detail);
    wb_str_dispose(&resp.body);
    wb_blob__unref(resp.blob);
    wb_free(qcopy);
    return ok;
}

/* ---------------------------------------------------------------- MHD callbacks */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    wb_server *srv = cls;
    (void)c;
    reqstate *rs = wb_calloc(1, sizeof *rs);
    if (!rs)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &rs->t0);
    size_t n = strlen(uri);
    rs->urilen = n;
    rs->uri_end = uri + n;
    if (n <= srv->o.max_url_bytes)
        rs->uri = wb_strndup(uri, n);
    atomic_fetch_add(&srv->active, 1);
    return rs;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    wb_server *srv = cls;
    (void)toe;
    reqstate *rs = *con_cls;
    wb_conntrack__idle(srv->conns, c); /* the next request on this connection has a deadline */
    if (rs) {
        wb_free(rs->uri);
        if (rs->body.ptr) /* it may hold a password */
            sodium_memzero(rs->body.ptr, rs->body.len);
        wb_str_dispose(&rs->body);
        wb_free(rs);
        *con_cls = NULL;
    }
    atomic_fetch_sub(&srv->active, 1);
}

/* Content-Length headers, collected for wb_http__check_content_length. */
typedef struct {
    const char *v[8];
    size_t n;
} header_list;

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    header_list *l = cls;
    (void)kind;
    if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
        if (l->n == sizeof l->v / sizeof l->v[0])
            return MHD_NO;
        l->v[l->n++] = value;
    }
    return MHD_YES;
}

/* The head as a whole: 0, or the status of its refusal. */
static int head_check(struct MHD_Connection *c)
{
    header_list l = {{NULL}, 0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &l);
    if (l.n == sizeof l.v / sizeof l.v[0])
        return 400; /* eight Content-Length headers are not a mistake */
    return wb_http__check_content_length(l.v, l.n);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    wb_server *srv = cls;
    (void)url;
    reqstate *rs = *con_cls;
    if (!rs)
        return MHD_NO; /* out of memory in on_uri: drop the connection */
    if (!rs->started) {
        rs->started = 1;
        if (!rs->uri)
            return send_error(srv, c, rs, method, rs->urilen > srv->o.max_url_bytes ? 414 : 500, NULL);
        /* libmicrohttpd ends the target at a raw NUL and drops the rest ("/index.html\0.js"
         * would serve index.html): the version then does not follow where the target ended */
        if (version && version != rs->uri_end + 1)
            return send_error(srv, c, rs, method, 400, NULL);
        int st = head_check(c);
        if (st)
            return send_error(srv, c, rs, method, st, NULL);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(cl, &end, 10);
            if (errno || *end || v > srv->o.max_body_bytes)
                return send_error(srv, c, rs, method, 413, NULL);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rs->body_too_big) {
            if (rs->body.len + *upload_size > srv->o.max_body_bytes) {
                rs->body_too_big = 1;
                wb_str_dispose(&rs->body);
            } else if (wb_str_put(&rs->body, upload, *upload_size) < 0) {
                return MHD_NO;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rs->body_too_big)
        return send_error(srv, c, rs, method, 413, NULL);
    return dispatch(srv, c, rs, method);
}

/* ---------------------------------------------------------------- start and stop */

static void log_cut(void *payload, size_t n, int64_t deadline_s)
{
    wb_server *srv = payload;
    if (!srv->o.log)
        return;
    char what[128];
    snprintf(what, sizeof what, "(%zu connection%s sent no complete request within %lld s: closed)", n,
             n == 1 ? "" : "s", (long long)deadline_s);
    wb_server_log_entry e = {"-", what, 408, (double)deadline_s * 1e3, 0, NULL};
    srv->o.log(srv->o.log_payload, &e);
}

static void server_free(wb_server *srv)
{
    if (!srv)
        return;
    for (size_t i = 0; i < srv->ndbs; i++)
        db_close(&srv->dbs[i]);
    for (size_t i = 0; i < srv->nwdbs; i++)
        db_close(&srv->wdbs[i]);
    wb_free(srv->wdbs);
    wb_free(srv->free_wdbs);
    for (int i = 0; i < CACHE_SLOTS; i++)
        wb_blob__unref(srv->cache[i].blob);
    wb_conntrack__free(srv->conns);
    pthread_mutex_destroy(&srv->mu);
    pthread_cond_destroy(&srv->cv);
    pthread_mutex_destroy(&srv->cmu);
    wb_free(srv->dbs);
    wb_free(srv->free_dbs);
    wb_free(srv->bind);
    wb_free(srv->store_path);
    wb_free(srv->wal_path);
    free(srv->web_real); /* from realpath */
    free(srv->models_real);
    wb_free(srv);
}

int wb_server_start(wb_server **out, const char *store_path, const wb_server_opts *opts)
{
    static const wb_server_opts defaults = WB_SERVER_OPTS_INIT;
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (opts->threads < 1 || opts->threads > 256 || opts->port < 0 || opts->port > 65535 ||
        opts->max_connections < 1) {
        wb_error_set(WB_ERRCLASS_ARG, "server options: threads must be 1..256, port 0..65535, "
                                      "max_connections at least 1");
        return WB_EINVALID;
    }
    if (sodium_init() < 0) {
        wb_error_set(WB_ERRCLASS_HTTP, "libsodium failed to initialise");
        return WB_ERROR;
    }
    int error = 0;
    wb_server *srv = wb_calloc(1, sizeof *srv);
    if (!srv)
        return WB_ENOMEM;
    pthread_mutex_init(&srv->mu, NULL);
    pthread_cond_init(&srv->cv, NULL);
    pthread_mutex_init(&srv->cmu, NULL);
    atomic_init(&srv->active, 0);
    srv->o = *opts;
    static const wb_auth_opts auth_defaults = WB_AUTH_OPTS_INIT;
    srv->auth = opts->auth ? *opts->auth : auth_defaults;
    srv->o.auth = NULL;
    atomic_init(&srv->clock, 0);
    if (opts->trusted_proxy && wb_http__normalise_ip(srv->proxy, sizeof srv->proxy, opts->trusted_proxy,
                                            strlen(opts->trusted_proxy)) < 0) {
        wb_error_set(WB_ERRCLASS_ARG, "trusted proxy '%s' is not an IPv4 or IPv6 address", opts->trusted_proxy);
        error = WB_EINVALID;
        goto done;
    }
    srv->o.trusted_proxy = NULL;
    if (!srv->o.max_connections_per_ip)
        srv->o.max_connections_per_ip = 32;
    if (!srv->o.request_timeout_s)
        srv->o.request_timeout_s = 10;
    if (!srv->o.bind)
        srv->o.bind = "127.0.0.1";
    if (!srv->o.max_url_bytes)
        srv->o.max_url_bytes = defaults.max_url_bytes;
    srv->bind = wb_strdup(srv->o.bind);
    srv->store_path = wb_strdup(store_path);
    wb_str wal = WB_STR_INIT;
    if (!srv->bind || !srv->store_path || wb_str_printf(&wal, "%s-wal", store_path) < 0) {
        wb_str_dispose(&wal);
        error = WB_ENOMEM;
        goto done;
    }
    srv->wal_path = wb_str_detach(&wal);
    srv->o.bind = srv->bind;
    srv->o.web_dir = NULL;
    if (opts->web_dir) {
        srv->web_real = realpath(opts->web_dir, NULL);
        struct stat sb;
        if (!srv->web_real || stat(srv->web_real, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            wb_error_set(WB_ERRCLASS_HTTP, "%s: no such directory (the dashboard files)", opts->web_dir);
            error = WB_ENOTFOUND;
            goto done;
        }
    }

    if (opts->models_dir && !(srv->models_real = realpath(opts->models_dir, NULL))) {
        wb_error_set(WB_ERRCLASS_HTTP, "%s: no such directory (the score models)", opts->models_dir);
        error = WB_ENOTFOUND;
        goto done;
    }
    srv->o.models_dir = srv->models_real;

    /* open one connection now: a missing or foreign store fails here, not on the first request */
    srv->ndbs = (size_t)opts->threads;
    srv->dbs = wb_calloc(srv->ndbs, sizeof *srv->dbs);
    srv->free_dbs = wb_calloc(srv->ndbs, sizeof *srv->free_dbs);
    if (!srv->dbs || !srv->free_dbs) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < srv->ndbs; i++)
        srv->free_dbs[srv->nfree++] = &srv->dbs[i];
    if ((error = db_open(srv, &srv->dbs[0])) < 0)
        goto done;
    srv->nwdbs = (size_t)opts->threads;
    srv->wdbs = wb_calloc(srv->nwdbs, sizeof *srv->wdbs);
    srv->free_wdbs = wb_calloc(srv->nwdbs, sizeof *srv->free_wdbs);
    if (!srv->wdbs || !srv->free_wdbs) {
        error = WB_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < srv->nwdbs; i++)
        srv->free_wdbs[srv->nwfree++] = &srv->wdbs[i];
    /* a store that cannot be written (a read-only file) still serves the monitor */
    if (db_open(srv, &srv->wdbs[0]) < 0) {
        srv->writes_disabled = 1;
        wb_error_clear();
    }

    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    const struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC;
#ifdef __linux__
    flags |= MHD_USE_EPOLL;
#else
    flags |= MHD_USE_POLL;
#endif
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    if (inet_pton(AF_INET, srv->bind, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)opts->port);
        sa = (const struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, srv->bind, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)opts->port);
        sa = (const struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        wb_error_set(WB_ERRCLASS_ARG, "bind address '%s' is not an IPv4 or IPv6 address", srv->bind);
        error = WB_EINVALID;
        goto done;
    }
    /* the connection's memory pool holds the request line and headers */
    size_t pool = srv->o.max_url_bytes * 2 + 32 * 1024;
    if ((error = wb_conntrack__new(&srv->conns, srv->o.request_timeout_s, log_cut, srv)) < 0)
        goto done;
    /* one address may hold only its share of the connections; behind a trusted proxy every
     * client has the proxy's address, and the proxy limits them per address itself */
    unsigned per_ip = srv->proxy[0] ? 0 : srv->o.max_connections_per_ip;
    errno = 0;
    srv->d = MHD_start_daemon(
        flags, (uint16_t)opts->port, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, wb_conntrack__notify, srv->conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
        /* HTTP/1.1 without Host and spaces inside the request target get 400 */
        MHD_OPTION_STRICT_FOR_CLIENT, 1,
        MHD_OPTION_CONNECTION_LIMIT, opts->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, opts->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 512u,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(opts->threads > 1 ? opts->threads : 0),
        MHD_OPTION_END);
    if (!srv->d) {
        wb_error_set(WB_ERRCLASS_HTTP, "cannot listen on %s port %d%s%s", srv->bind, opts->port,
                     errno ? ": " : "", errno ? strerror(errno) : "");
        error = WB_EIO;
        goto done;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : opts->port;
    srv->warm_started = pthread_create(&srv->warm, NULL, warm_main, srv) == 0;
done:
    if (error < 0) {
        server_free(srv);
        return error;
    }
    *out = srv;
    return 0;
}

int wb_server_port(const wb_server *srv)
{
    return srv->port;
}

void wb_server_stop(wb_server *srv, int grace_ms)
{
    if (!srv)
        return;
    if (srv->d) {
        /* stop accepting, let requests in flight finish, then close everything */
        MHD_socket ls = MHD_quiesce_daemon(srv->d);
        if (ls != MHD_INVALID_SOCKET)
            close(ls);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (atomic_load(&srv->active) > 0 && ms_since(&t0) < grace_ms) {
            struct timespec nap = {0, 5 * 1000 * 1000};
            nanosleep(&nap, NULL);
        }
        MHD_stop_daemon(srv->d);
    }
    wb_conntrack__free(srv->conns); /* every connection is closed: the watchdog has nothing left */
    srv->conns = NULL;
    if (srv->warm_started) /* at most the time of one coverage scan (~1 s on a national store) */
        pthread_join(srv->warm, NULL);
    server_free(srv);
}
