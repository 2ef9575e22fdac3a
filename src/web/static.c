/** @file @brief Static files of the dashboard, with strict path handling. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/web_internal.h"

/* The dashboard's files are small; anything bigger is not served. */
#define STATIC_MAX_BYTES (16u << 20)

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".geojson", "application/geo+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (!strcasecmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

static int fail(wb_resp *resp, int status, const char *msg)
{
    wb_str_clear(&resp->body);
    wb_str_puts(&resp->body, msg);
    resp->type = "text/plain; charset=utf-8";
    resp->status = status;
    return status;
}

int wb_web__static(wb_resp *resp, const char *root_real, const char *path, size_t path_len)
{
    char rel[PATH_MAX];
    size_t rlen = 0;
    if (path_len == 0 || path[0] != '/')
        return fail(resp, 400, "bad path\n");
    if (path_len == 1) {
        strcpy(rel, "index.html");
        rlen = strlen(rel);
    }
    /* decode segment by segment, so that an encoded '/' can never make a new segment */
    for (size_t i = 1; i < path_len;) {
        size_t j = i;
        while (j < path_len && path[j] != '/')
            j++;
        char seg[256];
        long n = wb_web__unescape(seg, sizeof seg, path + i, j - i, 0);
        if (n < 0 || memchr(seg, '/', (size_t)n) || memchr(seg, '\\', (size_t)n))
            return fail(resp, 400, "bad path\n");
        if (!strcmp(seg, ".") || !strcmp(seg, ".."))
            return fail(resp, 400, "bad path\n");
        if (n == 0 || seg[0] == '.')
            return fail(resp, 404, "not found\n"); /* empty segments, hidden files */
        if (rlen + (size_t)n + 2 >= sizeof rel)
            return fail(resp, 414, "path too long\n");
        if (rlen)
            rel[rlen++] = '/';
        memcpy(rel + rlen, seg, (size_t)n);
        rlen += (size_t)n;
        rel[rlen] = 0;
        i = j + 1;
        if (j == path_len - 1) /* a trailing slash: directories are not listed */
            return fail(resp, 404, "not found\n");
    }
    char full[PATH_MAX * 2], real[PATH_MAX];
    snprintf(full, sizeof full, "%s/%s", root_real, rel);
    /* resolve symlinks and make sure the file is still inside the root */
    if (!realpath(full, real))
        return fail(resp, 404, "not found\n");
    size_t rootlen = strlen(root_real);
    if (strncmp(real, root_real, rootlen) != 0 || real[rootlen] != '/')
        return fail(resp, 404, "not found\n");
    int fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return fail(resp, 404, "not found\n");
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)STATIC_MAX_BYTES) {
        close(fd);
        return fail(resp, 404, "not found\n");
    }
    wb_str_clear(&resp->body);
    char buf[65536];
    ssize_t got;
    int status = 200;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        if (wb_str_put(&resp->body, buf, (size_t)got) < 0) {
            status = 500;
            break;
        }
    }
    if (got < 0)
        status = 500;
    close(fd);
    if (status != 200)
        return fail(resp, 500, "internal error\n");
    resp->type = type_of(real);
    resp->status = 200;
    return 200;
}
