/** @file @brief Helpers shared by the collaboration commands. */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/collab_cli.h"

static void unix_user(char *out, size_t n)
{
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name)
        snprintf(out, n, "%s", pw->pw_name);
    else
        snprintf(out, n, "uid%ld", (long)geteuid());
}

int wbx_actor(wb_store *st, const wb_args *a, wb_actor *out)
{
    char who[64];
    unix_user(who, sizeof who);
    wb_actor_cli(out, who);
    const char *as = wb_arg(a, "as");
    if (as) {
        char via[WB_ACTOR_NAME_MAX];
        snprintf(via, sizeof via, "%s", out->name);
        if (wb_actor_of_user(st, out, as, via) < 0)
            return wb_cli_fail();
    }
    return 0;
}

int wbx_run(wb_ctx *ctx, const wb_args *a, int create, wbx_fn fn, void *data)
{
    wb_store *st = wb_cli_open(ctx, create);
    if (!st)
        return 1;
    wb_actor actor;
    int rc = wbx_actor(st, a, &actor);
    if (rc == 0)
        rc = fn(st, &actor, a, data);
    wb_store_free(st);
    return rc;
}

typedef struct {
    wbx_id_fn fn;
    int64_t id;
} id_call;

static int run_with_id(wb_store *st, const wb_actor *actor, const wb_args *a, void *data)
{
    const id_call *c = data;
    return c->fn(st, actor, a, c->id);
}

int wbx_run_id(wb_ctx *ctx, const wb_args *a, const char *what, wbx_id_fn fn)
{
    id_call c = {fn, 0};
    if (wbx_id(a->pos[0], what, &c.id) < 0)
        return 2;
    return wbx_run(ctx, a, 0, run_with_id, &c);
}

int wbx_id(const char *s, const char *what, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || errno || end == s || *end || v <= 0) {
        wb_cli_usage("%s: expected a positive whole number, got '%s'", what, s ? s : "");
        return -1;
    }
    *out = v;
    return 0;
}

int wbx_partner(wb_store *st, const char *ref, int64_t *out)
{
    if (wb_partner_find(st, out, ref) < 0) {
        wb_cli_fail();
        return -1;
    }
    return 0;
}

void wbx_list_free(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}

int wbx_split(const char *s, const char *seps, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!s)
        return 0;
    char *copy = strdup(s);
    if (!copy)
        abort();
    size_t cap = 0;
    for (char *tok = copy; tok;) {
        char *next = strpbrk(tok, seps);
        if (next)
            *next++ = 0;
        while (isspace((unsigned char)*tok))
            tok++;
        size_t len = strlen(tok);
        while (len && isspace((unsigned char)tok[len - 1]))
            tok[--len] = 0;
        if (len) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 8;
                *out = realloc(*out, cap * sizeof **out);
                if (!*out)
                    abort();
            }
            (*out)[(*n)++] = strdup(tok);
        }
        tok = next;
    }
    free(copy);
    return 0;
}

void wbx_wipe(void *p, size_t n)
{
    explicit_bzero(p, n);
}

int wbx_read_password(char *buf, size_t cap)
{
    int tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fputs("Password: ", stderr);
        fflush(stderr);
        if (tcgetattr(STDIN_FILENO, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        } else {
            tty = 0;
        }
    }
    /* read everything (a pipe) or one line (a terminal), at most cap - 1 bytes */
    size_t n = 0;
    int c, overflow = 0, nul = 0;
    while ((c = getchar()) != EOF) {
        if (tty && c == '\n')
            break; /* a terminal gives one line */
        if (c == 0)
            nul = 1;
        if (n < cap - 1)
            buf[n++] = (char)c;
        else
            overflow = 1;
    }
    buf[n] = 0;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (overflow)
        return wb_cli_usage("--password-stdin: the password is too long (at most %d bytes)", WB_PASSWORD_MAX);
    if (nul)
        return wb_cli_usage("--password-stdin: the password contains a NUL byte");
    if (n && buf[n - 1] == '\n')
        buf[--n] = 0;
    if (n && buf[n - 1] == '\r')
        buf[--n] = 0;
    if (strchr(buf, '\n') || strchr(buf, '\r'))
        return wb_cli_usage("--password-stdin: expected the password on one line");
    if (!n)
        return wb_cli_usage("--password-stdin: no password on stdin (e.g. printf '%%s' \"$PW\" | wijkbeeld user add ...)");
    return 0;
}

void wbx_today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}
