/**
 * @file
 * @brief Request deadlines: every connection must deliver a whole request (line, headers
 * and body) within a fixed time of opening or of its previous response.
 *
 * libmicrohttpd's own timeout is an idle timeout: it restarts on every byte, so a client
 * that sends one header line every few seconds holds its connection for ever, and a few
 * hundred such clients hold every connection the server has. libmicrohttpd 0.9.75 (Debian
 * 12) has no deadline of its own, so we keep one: its connection notifications tell us when
 * a connection opens and closes, the request callbacks when a request is complete and when
 * its response is done, and a watchdog thread shuts down the socket of any connection that
 * is still waiting for its request after the deadline. shutdown() wakes libmicrohttpd's
 * event loop, which reads end-of-file and closes the connection through its normal path.
 *
 * The entry of a connection is removed (under our mutex) by the "closed" notification,
 * which libmicrohttpd sends before it closes the socket; so the watchdog, holding the same
 * mutex, never touches a descriptor that may already belong to another connection.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "web/conn.h"
#include "web/web_internal.h"

typedef struct wb_conn wb_conn;
struct wb_conn {
    int fd;
    int64_t since_ms; /* opened, or its last response finished */
    int busy;         /* a complete request is being answered: no deadline */
    int cut;          /* shut down by the watchdog already */
    wb_conn *prev, *next;
};

struct wb_conntrack {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int running, stop;
    int64_t deadline_ms;
    wb_conn *head;
    wb_conntrack_log_fn log;
    void *log_payload;
    size_t cut_total;
};

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *watchdog(void *arg)
{
    wb_conntrack *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        /* four checks per deadline, at least every 250 ms: a connection lives at most a
         * quarter deadline longer than allowed */
        long step_ms = t->deadline_ms / 4 < 250 ? (long)(t->deadline_ms / 4) : 250;
        if (step_ms < 20)
            step_ms = 20;
        until.tv_nsec += step_ms * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&t->cv, &t->mu, &until);
        if (t->stop)
            break;
        int64_t now = mono_ms();
        size_t cut = 0;
        for (wb_conn *c = t->head; c; c = c->next) {
            if (c->busy || c->cut || now - c->since_ms < t->deadline_ms)
                continue;
            c->cut = 1;
            shutdown(c->fd, SHUT_RDWR);
            cut++;
        }
        t->cut_total += cut;
        if (cut && t->log) {
            wb_conntrack_log_fn log = t->log;
            void *payload = t->log_payload;
            int64_t secs = t->deadline_ms / 1000;
            pthread_mutex_unlock(&t->mu);
            log(payload, cut, secs);
            pthread_mutex_lock(&t->mu);
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

int wb_conntrack__new(wb_conntrack **out, unsigned deadline_s, wb_conntrack_log_fn log, void *payload)
{
    *out = NULL;
    wb_conntrack *t = wb_calloc(1, sizeof *t);
    if (!t)
        return WB_ENOMEM;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    t->deadline_ms = (int64_t)deadline_s * 1000;
    t->log = log;
    t->log_payload = payload;
    if (pthread_create(&t->thread, NULL, watchdog, t) != 0) {
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        wb_free(t);
        wb_error_set(WB_ERRCLASS_HTTP, "cannot start the request deadline thread: %s", strerror(errno));
        return WB_ERROR;
    }
    t->running = 1;
    *out = t;
    return 0;
}

void wb_conntrack__free(wb_conntrack *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    t->stop = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    if (t->running)
        pthread_join(t->thread, NULL);
    while (t->head) { /* only when the daemon did not report every close */
        wb_conn *c = t->head;
        t->head = c->next;
        wb_free(c);
    }
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    wb_free(t);
}

void wb_conntrack__notify(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    wb_conntrack *t = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        wb_conn *c = ci ? wb_calloc(1, sizeof *c) : NULL;
        *socket_context = c;
        if (!c) /* out of memory: this connection goes without a deadline */
            return;
        c->fd = ci->connect_fd;
        c->since_ms = mono_ms();
        pthread_mutex_lock(&t->mu);
        c->next = t->head;
        if (t->head)
            t->head->prev = c;
        t->head = c;
        pthread_mutex_unlock(&t->mu);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        wb_conn *c = *socket_context;
        if (!c)
            return;
        pthread_mutex_lock(&t->mu);
        if (c->prev)
            c->prev->next = c->next;
        else
            t->head = c->next;
        if (c->next)
            c->next->prev = c->prev;
        pthread_mutex_unlock(&t->mu);
        wb_free(c);
        *socket_context = NULL;
    }
}

static wb_conn *conn_of(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void wb_conntrack__busy(wb_conntrack *t, struct MHD_Connection *connection)
{
    wb_conn *c = t ? conn_of(connection) : NULL;
    if (!c)
        return;
    pthread_mutex_lock(&t->mu);
    c->busy = 1;
    pthread_mutex_unlock(&t->mu);
}

void wb_conntrack__idle(wb_conntrack *t, struct MHD_Connection *connection)
{
    wb_conn *c = t ? conn_of(connection) : NULL;
    if (!c)
        return;
    pthread_mutex_lock(&t->mu);
    c->busy = 0;
    c->since_ms = mono_ms();
    pthread_mutex_unlock(&t->mu);
}
