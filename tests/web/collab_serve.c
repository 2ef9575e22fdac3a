/**
 * @file
 * @brief First start of `wijkbeeld serve` on a database without an administrator: it
 * creates one with a random password, writes it to DB.admin-password (mode 0600) and says
 * where on stderr (a journal keeps stderr: the password itself is printed only with
 * --print-admin-password), never a fixed default; later starts create nothing. The
 * password works for a login over HTTP and appears nowhere in the server's output.
 */
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"
#include "web/cweb.h"

typedef struct {
    pid_t pid;
    int out, err;
    int port;
    char errtext[16384];
    size_t errlen;
} served;

static void drain(int fd, char *buf, size_t *len, size_t cap, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    while (*len < cap - 1 && poll(&p, 1, ms) == 1) {
        ssize_t r = read(fd, buf + *len, cap - 1 - *len);
        if (r <= 0)
            break;
        *len += (size_t)r;
        buf[*len] = 0;
        ms = 50;
    }
}

static void serve_start_with(served *s, const char *db, const char *flag)
{
    const char *bin = getenv("WB_BIN");
    if (!bin)
        SKIP("WB_BIN is not set");
    memset(s, 0, sizeof *s);
    int out[2], err[2];
    ASSERT(pipe(out) == 0 && pipe(err) == 0);
    s->pid = fork();
    ASSERT(s->pid >= 0);
    if (s->pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        execl(bin, bin, "--db", db, "serve", "--port", "0", "--threads", "2", flag, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    s->out = out[0];
    s->err = err[0];
    char line[512] = "";
    size_t n = 0;
    drain(s->out, line, &n, sizeof line, 20000);
    const char *url = strstr(line, "http://127.0.0.1:");
    ASSERT_MSG(url, "no URL printed: '%s'", line);
    s->port = atoi(url + strlen("http://127.0.0.1:"));
    drain(s->err, s->errtext, &s->errlen, sizeof s->errtext, 200);
}

static void serve_start(served *s, const char *db)
{
    serve_start_with(s, db, NULL);
}

static void serve_stop(served *s)
{
    ASSERT(kill(s->pid, SIGTERM) == 0);
    int st = 0;
    ASSERT(waitpid(s->pid, &st, 0) == s->pid);
    drain(s->err, s->errtext, &s->errlen, sizeof s->errtext, 200);
    close(s->out);
    close(s->err);
    ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "serve exited with %d: %s", st, s->errtext);
}

/* The password in DB.admin-password, a file for the owner only; stderr says where it is. */
static void password_file(const served *s, const char *db, char *out, size_t n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.admin-password", db);
    ASSERT_MSG(strstr(s->errtext, path), "stderr does not say where the password is: %s", s->errtext);
    struct stat sb;
    ASSERT_MSG(stat(path, &sb) == 0, "no %s", path);
    ASSERT_MSG((sb.st_mode & 0777) == 0600, "%s has mode %03o", path, (unsigned)(sb.st_mode & 0777));
    char *text = wbt_slurp(path, NULL);
    ASSERT(text);
    snprintf(out, n, "%.*s", (int)strcspn(text, "\n"), text);
    free(text);
}

/* The password printed on the line after "with the password" (--print-admin-password). */
static void printed_password(const served *s, char *out, size_t n)
{
    const char *p = strstr(s->errtext, "with the password\n");
    ASSERT_MSG(p, "no new administrator announced: %s", s->errtext);
    p += strlen("with the password\n");
    while (*p == ' ')
        p++;
    snprintf(out, n, "%.*s", (int)strcspn(p, "\n"), p);
}

static int count(const char *hay, const char *needle)
{
    int k = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}

TEST(web_collab_serve, first_start_creates_an_admin_with_a_random_password)
{
    char db1[4096], db2[4096];
    snprintf(db1, sizeof db1, "%s", wbt_tmp("one.db"));
    snprintf(db2, sizeof db2, "%s", wbt_tmp("two.db"));
    wbt_fixture_db(db1);
    wbt_fixture_db(db2);
    ASSERT_EQ_I(cw_int(db1, "SELECT count(*) FROM users"), 0);

    served s;
    serve_start(&s, db1);
    char pw1[64];
    password_file(&s, db1, pw1, sizeof pw1);
    ASSERT_MSG(strlen(pw1) == 20, "password '%s' is not 20 characters", pw1);
    ASSERT_MSG(!strstr(s.errtext, pw1), "the password is on stderr: %s", s.errtext);
    ASSERT_MSG(strstr(s.errtext, "user passwd admin --password-stdin"), "no hint how to change it: %s", s.errtext);
    cw_session sess;
    ASSERT_EQ_I(cw_login(s.port, "admin", pw1, &sess), 200);
    wbt_http r = cw_req(s.port, "GET", "/api/me", &sess, 0, NULL, NULL);
    json_t *j = cw_json(&r);
    ASSERT_EQ_S(json_string_value(json_object_get(json_object_get(j, "user"), "role")), "admin");
    json_decref(j);
    wbt_http_free(&r);
    serve_stop(&s);
    /* never shown: the access log of the login does not have it either */
    ASSERT_EQ_I(count(s.errtext, pw1), 0);
    ASSERT(strstr(s.errtext, "POST /api/login 200"));
    ASSERT_EQ_I(cw_int(db1, "SELECT count(*) FROM users WHERE role = 'admin'"), 1);
    ASSERT_EQ_I(cw_int(db1, "SELECT count(*) FROM audit_log WHERE entity = 'user' AND action = 'create'"), 1);

    /* a second start creates nothing */
    serve_start(&s, db1);
    serve_stop(&s);
    ASSERT_MSG(!strstr(s.errtext, "no administrator"), "second start: %s", s.errtext);
    ASSERT_EQ_I(cw_int(db1, "SELECT count(*) FROM users"), 1);

    /* another new database gets another password: there is no fixed default; asked for,
     * it is printed once on stderr (and no file is written) */
    serve_start_with(&s, db2, "--print-admin-password");
    char pw2[64];
    printed_password(&s, pw2, sizeof pw2);
    serve_stop(&s);
    ASSERT(strcmp(pw1, pw2) != 0);
    ASSERT_EQ_I(count(s.errtext, pw2), 1);
    char pwfile[4200];
    snprintf(pwfile, sizeof pwfile, "%s.admin-password", db2);
    struct stat sb;
    ASSERT_MSG(stat(pwfile, &sb) != 0, "%s written although the password was printed", pwfile);
    /* a database whose admin is disabled counts as without one; the name admin is taken */
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, db2, 0));
    wb_actor cli;
    wb_actor_cli(&cli, "tester");
    WB_PASS(wb_auth_user_disable(st, &cli, "admin", 1));
    wb_store_free(st);
    serve_start(&s, db2);
    serve_stop(&s);
    ASSERT_MSG(strstr(s.errtext, "'admin2'"), "expected a new account admin2: %s", s.errtext);
}

TEST(web_collab_serve, ensure_admin_keeps_an_existing_one)
{
    cw_fixture f;
    cw_fixture_make(&f, wbt_tmp("reg.db"));
    wb_store *st = NULL;
    WB_PASS(wb_store_open(&st, f.db, 0));
    wb_actor cli;
    wb_actor_cli(&cli, "tester");
    int created = 1;
    char name[64], pw[WB_GENERATED_PASSWORD_MAX];
    WB_PASS(wb_auth_ensure_admin(st, &created, name, pw, &cli, NULL));
    ASSERT_EQ_I(created, 0);
    ASSERT_EQ_S(name, "");
    ASSERT_EQ_S(pw, "");
    /* only the admin of the machine (or an admin) may create one */
    wb_actor res;
    WB_PASS(wb_actor_of_user(st, &res, "bewoner1", NULL));
    WB_FAILS(WB_EDENIED, wb_auth_ensure_admin(st, &created, name, pw, &res, NULL));
    wb_store_free(st);
}
