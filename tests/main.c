/** @file @brief Test runner: runs registered tests, each in a forked child for isolation. */
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    const char *suite, *name;
    wbt_fn fn;
} wbt_case;

static wbt_case *cases;
static size_t ncases, capcases;
static char tmp_root[4096];
static char test_tmp[4096];

void wbt_register(const char *suite, const char *name, wbt_fn fn)
{
    if (ncases == capcases) {
        capcases = capcases ? 2 * capcases : 256;
        cases = realloc(cases, capcases * sizeof *cases);
        if (!cases)
            abort();
    }
    cases[ncases++] = (wbt_case){suite, name, fn};
}

/* Exit codes of a test child: 0 pass, 1 fail, 77 skip. */
void wbt_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "    %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    _exit(1);
}

void wbt_skip(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "    skipped: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    fflush(stdout);
    exit(77);
}

#define NBUF 8
static const char *rotate(const char *a, const char *b)
{
    static char bufs[NBUF][4096];
    static int k;
    char *p = bufs[k++ % NBUF];
    snprintf(p, 4096, "%s/%s", a, b);
    return p;
}

const char *wbt_fixture(const char *rel)
{
    const char *root = getenv("WB_ROOT");
    char base[4096];
    snprintf(base, sizeof base, "%s/tests/data", root ? root : ".");
    return rotate(base, rel);
}

const char *wbt_shared(const char *rel)
{
    const char *dir = getenv("WB_SHARED");
    if (!dir || !*dir)
        dir = "../shared/data";
    const char *p = rotate(dir, rel);
    if (access(p, R_OK) != 0)
        wbt_skip("shared data set %s not found (needs ../shared/data next to the project)", p);
    return p;
}

static void rm_rf(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_rf(sub);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

const char *wbt_tmpdir(void)
{
    if (!test_tmp[0]) {
        fprintf(stderr, "wbt_tmpdir outside a test\n");
        _exit(1);
    }
    mkdir(test_tmp, 0700);
    return test_tmp;
}

const char *wbt_tmp(const char *name)
{
    return rotate(wbt_tmpdir(), name);
}

char *wbt_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

void wbt_write(const char *path, const char *contents)
{
    FILE *f = fopen(path, "wb");
    if (!f || fputs(contents, f) < 0 || fclose(f) != 0)
        wbt_fail(__FILE__, __LINE__, "cannot write %s", path);
}

size_t wbt_count_lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

int wbt_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    line[strcspn(line, "\r\n")] = 0;
    while (n < max) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = 0;
        p = c + 1;
    }
    return n;
}

int wbt_same_bytes(const char *a, const char *b)
{
    size_t la, lb;
    char *x = wbt_slurp(a, &la), *y = wbt_slurp(b, &lb);
    int same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

wbt_run_result wbt_run(const char *stdin_text, const char *fmt, ...)
{
    wbt_run_result r = {-1, NULL, NULL};
    char args[8192], cmd[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    const char *bin = getenv("WB_BIN");
    if (!bin)
        wbt_fail(__FILE__, __LINE__, "WB_BIN is not set (run the tests with make check)");
    const char *in = wbt_tmp("stdin.txt"), *out = wbt_tmp("stdout.txt"), *err = wbt_tmp("stderr.txt");
    char inb[4096], outb[4096], errb[4096];
    snprintf(inb, sizeof inb, "%s", in);
    snprintf(outb, sizeof outb, "%s", out);
    snprintf(errb, sizeof errb, "%s", err);
    wbt_write(inb, stdin_text ? stdin_text : "");
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s <'%s' >'%s' 2>'%s'", wbt_tmpdir(), bin, args,
             inb, outb, errb);
    int st = system(cmd);
    if (st == -1)
        wbt_fail(__FILE__, __LINE__, "cannot run %s", cmd);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = wbt_slurp(outb, NULL);
    r.err = wbt_slurp(errb, NULL);
    if (!r.out)
        r.out = strdup("");
    if (!r.err)
        r.err = strdup("");
    return r;
}

void wbt_run_free(wbt_run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

static int cmp_case(const void *a, const void *b)
{
    const wbt_case *x = a, *y = b;
    int c = strcmp(x->suite, y->suite);
    return c ? c : strcmp(x->name, y->name);
}

static int selected(const wbt_case *c, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    char full[512];
    snprintf(full, sizeof full, "%s::%s", c->suite, c->name);
    for (int i = 1; i < argc; i++)
        if (!strncmp(full, argv[i], strlen(argv[i])))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    qsort(cases, ncases, sizeof *cases, cmp_case);
    const char *t = getenv("WB_TMP");
    snprintf(tmp_root, sizeof tmp_root, "%s", t ? t : "/tmp/wbtest");
    rm_rf(tmp_root);
    mkdir(tmp_root, 0700);
    size_t pass = 0, fail = 0, skip = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < ncases; i++) {
        const wbt_case *c = &cases[i];
        if (!selected(c, argc, argv))
            continue;
        snprintf(test_tmp, sizeof test_tmp, "%s/%s__%s", tmp_root, c->suite, c->name);
        fflush(stdout);
        fflush(stderr);
        struct timespec s0, s1;
        clock_gettime(CLOCK_MONOTONIC, &s0);
        pid_t pid = fork();
        if (pid == 0) {
            c->fn();
            fflush(stdout);
            exit(0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        clock_gettime(CLOCK_MONOTONIC, &s1);
        double ms = (double)(s1.tv_sec - s0.tv_sec) * 1e3 + (double)(s1.tv_nsec - s0.tv_nsec) / 1e6;
        const char *verdict;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            pass++;
            verdict = "ok  ";
            rm_rf(test_tmp);
        } else if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
            skip++;
            verdict = "skip";
        } else {
            fail++;
            verdict = "FAIL";
            if (WIFSIGNALED(st))
                fprintf(stderr, "    killed by signal %d\n", WTERMSIG(st));
            else if (WEXITSTATUS(st) != 1)
                fprintf(stderr, "    exited with status %d\n", WEXITSTATUS(st));
        }
        printf("%s %s::%s (%.0f ms)\n", verdict, c->suite, c->name, ms);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("\n%.1f s\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    printf("%zu passed, %zu failed, %zu skipped\n", pass, fail, skip);
    free(cases);
    return fail ? 1 : 0;
}
