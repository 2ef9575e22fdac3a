/**
 * @file
 * @brief Replays the fuzz corpora (fuzz/corpora/<target>/) through the fuzz targets, one test
 * per target, so that every input the fuzzers kept (seeds, coverage, and every crash that was
 * fixed) stays a regression test in make check. A failed invariant aborts the test with the
 * input's name; a sanitizer report names it too (death callback).
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../fuzz/fuzz.h"
#include "test.h"

extern const char *wbf_current_input;
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void on_death(void)
{
    if (wbf_current_input)
        fprintf(stderr, "    while replaying %s\n", wbf_current_input);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay(const char *target, int (*fn)(const uint8_t *, size_t))
{
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(on_death);
    const char *root = getenv("WB_ROOT");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fuzz/corpora/%s", root ? root : ".", target);
    DIR *d = opendir(dir);
    ASSERT_MSG(d != NULL, "no corpus directory %s", dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        ASSERT(names != NULL);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        char *buf = wbt_slurp(path, &len);
        ASSERT_MSG(buf != NULL, "cannot read %s", path);
        /* an exact-size copy: ASan then sees a read one byte past the input */
        uint8_t *exact = malloc(len ? len : 1);
        ASSERT(exact != NULL);
        memcpy(exact, buf, len);
        free(buf);
        wbf_current_input = path;
        fn(exact, len);
        wbf_current_input = NULL;
        free(exact);
        free(names[i]);
        run++;
    }
    free(names);
    ASSERT_MSG(run > 0, "corpus %s is empty", dir);
}

#define WBF_REPLAY(name) \
    TEST(fuzz, name) { replay(#name, wbfuzz_##name); }
WBF_TARGETS(WBF_REPLAY)
