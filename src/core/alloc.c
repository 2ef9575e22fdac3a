/** @file @brief Allocation wrappers with a failure-injection hook for tests (H3 alloc.h). */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "wijkbeeld/core.h"
#include "wijkbeeld/errors.h"

static long fail_after = -1;

void wb_alloc_fail_after(long n)
{
    fail_after = n;
}

static int should_fail(void)
{
    if (fail_after < 0)
        return 0;
    if (fail_after == 0)
        return 1;
    fail_after--;
    return 0;
}

static void *nomem(void)
{
    wb_error_set(WB_ERRCLASS_NOMEM, "out of memory");
    return NULL;
}

void *wb_malloc(size_t n)
{
    void *p = should_fail() ? NULL : malloc(n ? n : 1);
    return p ? p : nomem();
}

void *wb_calloc(size_t n, size_t size)
{
    void *p = should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
    return p ? p : nomem();
}

void *wb_realloc(void *ptr, size_t n)
{
    void *p = should_fail() ? NULL : realloc(ptr, n ? n : 1);
    return p ? p : nomem();
}

void wb_free(void *p)
{
    free(p);
}

char *wb_strndup(const char *s, size_t n)
{
    char *p = wb_malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *wb_strdup(const char *s)
{
    return s ? wb_strndup(s, strlen(s)) : NULL;
}

const char *wb_version(void)
{
    return "0.1.0";
}

int wb__grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    void *p = wb_realloc(*arr, nc * elem);
    if (!p)
        return WB_ENOMEM;
    *arr = p;
    *cap = nc;
    return 0;
}
