/**
 * @file
 * @brief Standalone driver: runs files through a fuzz target without libFuzzer, so a crash
 * found by `make fuzz` can be replayed (and debugged) in the ordinary gcc + ASan/UBSan build.
 *
 *   build/asan/fuzz/standalone TARGET FILE_OR_DIR...   run the files (a directory: its files)
 *   build/asan/fuzz/standalone all [ROOT]              every target on ROOT/fuzz/corpora/<t>/
 *
 * Prints one line per target with the number of inputs run; a failed invariant or a
 * sanitizer report names the input and ends the process with a non-zero status.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

extern const char *wbf_current_input;

typedef int (*target_fn)(const uint8_t *, size_t);

static const struct {
    const char *name;
    target_fn fn;
} targets[] = {
#define WBF_ENTRY(name) {#name, wbfuzz_##name},
    WBF_TARGETS(WBF_ENTRY)
#undef WBF_ENTRY
};

/* Called by the sanitizers before they end the process (weak: absent without them). */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void on_death(void)
{
    if (wbf_current_input)
        fprintf(stderr, "wbfuzz: while running %s\n", wbf_current_input);
}

static int run_file(target_fn fn, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0, got;
    uint8_t *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    if (!buf)
        return -1;
    wbf_current_input = path;
    fn(buf, n);
    wbf_current_input = NULL;
    free(buf);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run a file, or every regular file of a directory in name order. @return inputs run, or -1. */
static long run_path(target_fn fn, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode))
        return run_file(fn, path) < 0 ? -1 : 1;
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    long count = 0;
    for (size_t i = 0; i < n; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", path, names[i]);
        if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (run_file(fn, p) < 0)
                count = -1;
            else if (count >= 0)
                count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(on_death);
    size_t nt = sizeof targets / sizeof targets[0];
    if (argc >= 2 && !strcmp(argv[1], "all")) {
        const char *root = argc >= 3 ? argv[2] : ".";
        int status = 0;
        for (size_t t = 0; t < nt; t++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/fuzz/corpora/%s", root, targets[t].name);
            long n = run_path(targets[t].fn, dir);
            printf("%-10s %ld inputs ok\n", targets[t].name, n < 0 ? 0 : n);
            if (n <= 0)
                status = 1;
        }
        return status;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: %s TARGET FILE_OR_DIR... | %s all [ROOT]\ntargets:", argv[0], argv[0]);
        for (size_t t = 0; t < nt; t++)
            fprintf(stderr, " %s", targets[t].name);
        fputc('\n', stderr);
        return 2;
    }
    for (size_t t = 0; t < nt; t++) {
        if (strcmp(argv[1], targets[t].name))
            continue;
        long total = 0;
        for (int i = 2; i < argc; i++) {
            long n = run_path(targets[t].fn, argv[i]);
            if (n < 0)
                return 1;
            total += n;
        }
        printf("%s: %ld inputs ok\n", targets[t].name, total);
        return 0;
    }
    fprintf(stderr, "%s: unknown target '%s'\n", argv[0], argv[1]);
    return 2;
}
