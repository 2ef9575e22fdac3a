/**
 * @file
 * @brief Streaming CSV reader (RFC 4180 with the habits of CBS, Excel and R exports).
 *
 * The file is read in blocks of CSV_BLOCK bytes; the fields of the current record are copied
 * (unquoted, NUL-terminated) into one growing record buffer, so memory is bounded by the
 * longest record. Unquoted runs are scanned with a byte-class table and copied with memcpy;
 * only quotes, line ends, the delimiter and non-ASCII bytes leave the fast path. Non-ASCII
 * bytes are validated as UTF-8 on the way (they are rare in these files).
 */
#include <errno.h>
#include <float.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "io/rows_internal.h"
#include "wijkbeeld/errors.h"
#include "wijkbeeld/io.h"

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CSV_BLOCK 61 /* make fuzz: tiny blocks, so that inputs cross block boundaries */
#else
#define CSV_BLOCK (256 * 1024)
#endif
#define CSV_MAX_RECORD ((size_t)64 << 20) /* a longer record is an unterminated quote */

/* byte classes of the scanning tables */
enum { B_PLAIN = 0, B_DELIM, B_QUOTE, B_LF, B_CR, B_HIGH, B_NUL };

struct wb_csv {
    int fd;                  /* -1: memory input */
    char *name;
    unsigned char *buf;      /* owned block buffer (file input) */
    size_t cap;
    const unsigned char *p, *end, *win; /* current window [win, end), next byte p */
    uint64_t win_off;        /* input offset of win */
    uint64_t total;          /* input size, 0 when unknown */
    int eof;
    char delim;
    int decimal_comma;
    size_t line, col;        /* position of *p: line 1-based, column in characters 1-based */
    unsigned char cls_unq[256], cls_q[256];
    /* the current record */
    char *rec;
    size_t reclen, reccap;
    size_t nf, capf;
    size_t *foff, *flen, *fline, *fcol;
    size_t rec_line;
    /* the header */
    char **hdr;
    size_t nhdr;
    int have_header;
    /* records handed over by another reader (wb_csv__open_rows) instead of CSV text */
    int rows;
    wb_rows_source src;
    const char *rec_unit;    /* WB_ROWS_RECORD: "record", "layer buurten, feature" */
    unsigned char *absent;   /* per field of the record: put with wb_csv__put_absent */
    size_t capabsent;
    uint64_t nrecords;
};

/* ---------------------------------------------------------------- input */

static int io_error(wb_csv *c, const char *what)
{
    wb_error_set(WB_ERRCLASS_OS, "%s: %s: %s", c->name, what, strerror(errno));
    return WB_EIO;
}

/* Make *p available: 1 when a byte is there, 0 at end of input, < 0 on a read error. */
static inline int ensure(wb_csv *c)
{
    if (c->p < c->end)
        return 1;
    if (c->fd < 0 || c->eof)
        return 0;
    ssize_t n;
    do
        n = read(c->fd, c->buf, c->cap);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return io_error(c, "reading");
    c->win_off += (uint64_t)(c->end - c->win);
    c->win = c->p = c->buf;
    c->end = c->buf + n;
    if (n == 0) {
        c->eof = 1;
        return 0;
    }
    return 1;
}

/* At open: read more bytes after the ones already in the buffer (growing it) without
 * discarding any, so that the header can be looked at before it is parsed.
 * Returns 1 when bytes were added, 0 at end of input. */
static int read_more(wb_csv *c)
{
    if (c->fd < 0 || c->eof)
        return 0;
    size_t used = (size_t)(c->end - c->buf), at = (size_t)(c->p - c->buf);
    if (used == c->cap) {
        if (c->cap >= CSV_MAX_RECORD) {
            wb_error_set(WB_ERRCLASS_CSV, "%s:1: header line longer than %zu MiB: expected a CSV header",
                         c->name, CSV_MAX_RECORD >> 20);
            return WB_EPARSE;
        }
        unsigned char *nb = wb_realloc(c->buf, c->cap * 2);
        if (!nb)
            return WB_ENOMEM;
        c->buf = nb;
        c->cap *= 2;
    }
    ssize_t n;
    do
        n = read(c->fd, c->buf + used, c->cap - used);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return io_error(c, "reading");
    c->win = c->buf;
    c->p = c->buf + at;
    c->end = c->buf + used + n;
    if (n == 0) {
        c->eof = 1;
        return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- record buffer */

static int rec_reserve(wb_csv *c, size_t extra)
{
    size_t need = c->reclen + extra + 1;
    if (need <= c->reccap)
        return 0;
    if (need > CSV_MAX_RECORD) {
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:%zu: record longer than %zu MiB: expected a closing quote (is a quote "
                     "left open?)",
                     c->name, c->rec_line, CSV_MAX_RECORD >> 20);
        return WB_EPARSE;
    }
    size_t cap = c->reccap ? c->reccap : 4096;
    while (cap < need)
        cap *= 2;
    char *nr = wb_realloc(c->rec, cap);
    if (!nr)
        return WB_ENOMEM;
    c->rec = nr;
    c->reccap = cap;
    return 0;
}

static inline int rec_put(wb_csv *c, const void *src, size_t n)
{
    if (c->reclen + n + 1 > c->reccap) {
        int e = rec_reserve(c, n);
        if (e < 0)
            return e;
    }
    memcpy(c->rec + c->reclen, src, n);
    c->reclen += n;
    return 0;
}

static int field_start(wb_csv *c)
{
    if (c->nf == c->capf) {
        size_t cap = c->capf ? c->capf * 2 : 32;
        size_t *a = wb_realloc(c->foff, cap * sizeof *a);
        if (!a)
            return WB_ENOMEM;
        c->foff = a;
        a = wb_realloc(c->flen, cap * sizeof *a);
        if (!a)
            return WB_ENOMEM;
        c->flen = a;
        a = wb_realloc(c->fline, cap * sizeof *a);
        if (!a)
            return WB_ENOMEM;
        c->fline = a;
        a = wb_realloc(c->fcol, cap * sizeof *a);
        if (!a)
            return WB_ENOMEM;
        c->fcol = a;
        c->capf = cap;
    }
    c->foff[c->nf] = c->reclen;
    c->fline[c->nf] = c->line;
    c->fcol[c->nf] = c->col;
    return 0;
}

static inline int field_end(wb_csv *c)
{
    if (c->reclen + 1 > c->reccap) {
        int e = rec_reserve(c, 1);
        if (e < 0)
            return e;
    }
    c->flen[c->nf] = c->reclen - c->foff[c->nf];
    c->rec[c->reclen++] = 0;
    c->nf++;
    return 0;
}

/* ---------------------------------------------------------------- UTF-8 */

static int bad_byte(wb_csv *c, unsigned char b, size_t line, size_t col)
{
    if (b == 0)
        wb_error_set(WB_ERRCLASS_CSV, "%s:%zu:%zu: expected text, got a NUL byte (a binary file?)",
                     c->name, line, col);
    else
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:%zu:%zu: expected UTF-8 text, got byte 0x%02X (convert the file to UTF-8 "
                     "first, e.g. iconv -f WINDOWS-1252 -t UTF-8)",
                     c->name, line, col, b);
    return WB_EPARSE;
}

/* Copy one UTF-8 sequence starting at *p (>= 0x80) into the record, validating it. */
static int utf8_seq(wb_csv *c)
{
    unsigned char b0 = *c->p, seq[4];
    unsigned char lo, hi;
    int lead = wb__utf8_lead(b0, &lo, &hi);
    if (lead < 0)
        return bad_byte(c, b0, c->line, c->col);
    size_t n = (size_t)lead;
    seq[0] = b0;
    c->p++;
    for (size_t k = 1; k <= n; k++) {
        int r = ensure(c);
        if (r < 0)
            return r;
        unsigned char b = r ? *c->p : 0;
        if (!r || b < lo || b > hi) /* report the sequence's first byte, at its column */
            return bad_byte(c, b0, c->line, c->col);
        seq[k] = b;
        c->p++;
        lo = 0x80;
        hi = 0xBF;
    }
    c->col++;
    return rec_put(c, seq, n + 1);
}

/* ---------------------------------------------------------------- records */

static int end_record(wb_csv *c)
{
    if (c->have_header && c->nf != c->nhdr) {
        wb_error_set(WB_ERRCLASS_CSV,
                     "%s:%zu: expected %zu fields as in the header (delimiter '%s'), got %zu",
                     c->name, c->rec_line, c->nhdr, c->delim == '\t' ? "\\t" : (char[]){c->delim, 0},
                     c->nf);
        return WB_EPARSE;
    }
    return 1;
}

/* After a line end byte at *p (LF or CR): consume it (and the LF of CRLF). */
static int eat_newline(wb_csv *c)
{
    unsigned char b = *c->p++;
    c->line++;
    c->col = 1;
    if (b == '\r') {
        int r = ensure(c);
        if (r < 0)
            return r;
        if (r && *c->p == '\n')
            c->p++;
    }
    return 0;
}

static int read_quoted(wb_csv *c)
{
    size_t qline = c->line, qcol = c->col;
    c->p++; /* the opening quote */
    c->col++;
    for (;;) {
        int r = ensure(c);
        if (r < 0)
            return r;
        if (r == 0) {
            wb_error_set(WB_ERRCLASS_CSV,
                         "%s:%zu:%zu: expected a closing quote for the field opened at line %zu, "
                         "column %zu, got the end of the file (truncated file?)",
                         c->name, c->line, c->col, qline, qcol);
            return WB_EPARSE;
        }
        const unsigned char *s = c->p, *e = c->end;
        while (s < e && c->cls_q[*s] == B_PLAIN)
            s++;
        if (s > c->p) {
            size_t n = (size_t)(s - c->p);
            if ((r = rec_put(c, c->p, n)) < 0)
                return r;
            c->col += n;
            c->p = s;
            continue;
        }
        switch (c->cls_q[*s]) {
        case B_QUOTE:
            c->p++;
            c->col++;
            if ((r = ensure(c)) < 0)
                return r;
            if (r && *c->p == '"') { /* a doubled quote */
                c->p++;
                c->col++;
                if ((r = rec_put(c, "\"", 1)) < 0)
                    return r;
                break;
            }
            return 0; /* closing quote */
        case B_LF:
            if ((r = rec_put(c, "\n", 1)) < 0)
                return r;
            c->p++;
            c->line++;
            c->col = 1;
            break;
        case B_CR:
            if ((r = rec_put(c, "\r", 1)) < 0)
                return r;
            c->p++;
            break;
        case B_HIGH:
            if ((r = utf8_seq(c)) < 0)
                return r;
            break;
        default:
            return bad_byte(c, *s, c->line, c->col);
        }
    }
}

/* Read one record into the record buffer: 1 = a record, 0 = end of input, < 0 = error. */
static int read_record(wb_csv *c)
{
    int r;
    for (;;) { /* skip completely empty lines */
        c->nf = 0;
        c->reclen = 0;
        c->rec_line = c->line;
        if ((r = ensure(c)) <= 0)
            return r;
        if (*c->p != '\n' && *c->p != '\r')
            break;
        if ((r = eat_newline(c)) < 0)
            return r;
    }
    for (;;) { /* fields */
        if ((r = field_start(c)) < 0)
            return r;
        if ((r = ensure(c)) < 0)
            return r;
        if (r && *c->p == '"') {
            if ((r = read_quoted(c)) < 0)
                return r;
            if ((r = ensure(c)) < 0)
                return r;
            if (r == 0) {
                if ((r = field_end(c)) < 0)
                    return r;
                return end_record(c);
            }
            unsigned char b = *c->p;
            if (b == (unsigned char)c->delim) {
                c->p++;
                c->col++;
                if ((r = field_end(c)) < 0)
                    return r;
                continue;
            }
            if (b == '\n' || b == '\r') {
                if ((r = field_end(c)) < 0 || (r = eat_newline(c)) < 0)
                    return r;
                return end_record(c);
            }
            wb_error_set(WB_ERRCLASS_CSV,
                         "%s:%zu:%zu: expected the delimiter '%s' or the end of the line after a "
                         "closing quote, got '%c'",
                         c->name, c->line, c->col, c->delim == '\t' ? "\\t" : (char[]){c->delim, 0},
                         b >= 0x20 && b < 0x7F ? b : '?');
            return WB_EPARSE;
        }
        /* unquoted field */
        for (;;) {
            if ((r = ensure(c)) < 0)
                return r;
            if (r == 0) {
                if ((r = field_end(c)) < 0)
                    return r;
                return end_record(c);
            }
            const unsigned char *s = c->p, *e = c->end;
            while (s < e && c->cls_unq[*s] == B_PLAIN)
                s++;
            if (s > c->p) {
                size_t n = (size_t)(s - c->p);
                if ((r = rec_put(c, c->p, n)) < 0)
                    return r;
                c->col += n;
                c->p = s;
                if (s == e)
                    continue;
            }
            int k = c->cls_unq[*s];
            if (k == B_DELIM) {
                c->p++;
                c->col++;
                if ((r = field_end(c)) < 0)
                    return r;
                break; /* next field */
            }
            if (k == B_LF || k == B_CR) {
                if ((r = field_end(c)) < 0 || (r = eat_newline(c)) < 0)
                    return r;
                return end_record(c);
            }
            if (k == B_HIGH) {
                if ((r = utf8_seq(c)) < 0)
                    return r;
                continue;
            }
            return bad_byte(c, *s, c->line, c->col);
        }
    }
}

/* ---------------------------------------------------------------- open */

static void set_classes(wb_csv *c)
{
    memset(c->cls_unq, B_PLAIN, sizeof c->cls_unq);
    memset(c->cls_q, B_PLAIN, sizeof c->cls_q);
    for (int b = 0x80; b < 0x100; b++)
        c->cls_unq[b] = c->cls_q[b] = B_HIGH;
    c->cls_unq[0] = c->cls_q[0] = B_NUL;
    c->cls_unq['\n'] = c->cls_q['\n'] = B_LF;
    c->cls_unq['\r'] = c->cls_q['\r'] = B_CR;
    c->cls_q['"'] = B_QUOTE;
    c->cls_unq[(unsigned char)c->delim] = B_DELIM;
}

/* Count candidate delimiters outside quotes on the first line; needs the whole line in the
 * buffer, so it reads ahead (growing the buffer) until a line end outside quotes. */
static int sniff(wb_csv *c)
{
    static const char cand[3] = {';', '\t', ','};
    size_t count[3] = {0, 0, 0};
    int inq = 0;
    size_t i = (size_t)(c->p - c->buf);
    if (c->fd < 0)
        i = 0;
    const unsigned char *base = c->fd < 0 ? c->p : c->buf;
    for (;;) {
        if (c->fd >= 0)
            base = c->buf;
        const unsigned char *end = c->end;
        const unsigned char *q = base + i;
        for (; q < end; q++) {
            unsigned char b = *q;
            if (b == '"')
                inq = !inq;
            else if (!inq && (b == '\n' || b == '\r'))
                goto done;
            else if (!inq)
                for (int k = 0; k < 3; k++)
                    count[k] += b == (unsigned char)cand[k];
        }
        i = (size_t)(q - base);
        int r = read_more(c);
        if (r < 0)
            return r;
        if (r == 0)
            break;
    }
done:;
    int best = 2; /* ',' when there is no candidate at all */
    size_t bestn = 0;
    for (int k = 0; k < 3; k++)
        if (count[k] > bestn) {
            bestn = count[k];
            best = k;
        }
    c->delim = cand[best];
    return 0;
}

static int setup(wb_csv *c, const wb_csv_opts *o)
{
    int r;
    /* at least 3 bytes (or the whole input) for the byte order mark */
    while (c->fd >= 0 && (size_t)(c->end - c->p) < 3) {
        if ((r = read_more(c)) < 0)
            return r;
        if (r == 0)
            break;
    }
    size_t avail = (size_t)(c->end - c->p);
    if (avail >= 2 && ((c->p[0] == 0xFF && c->p[1] == 0xFE) || (c->p[0] == 0xFE && c->p[1] == 0xFF))) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1:1: expected UTF-8 text, got a UTF-16 file (convert it, "
                     "e.g. iconv -f UTF-16 -t UTF-8)", c->name);
        return WB_EPARSE;
    }
    if (avail >= 3 && c->p[0] == 0xEF && c->p[1] == 0xBB && c->p[2] == 0xBF)
        c->p += 3;
    if (o->delimiter) {
        if (o->delimiter == '"' || o->delimiter == '\n' || o->delimiter == '\r') {
            wb_error_set(WB_ERRCLASS_ARG, "delimiter cannot be a quote or a line end");
            return WB_EINVALID;
        }
        c->delim = o->delimiter;
    } else if ((r = sniff(c)) < 0)
        return r;
    c->decimal_comma = o->decimal_comma;
    set_classes(c);
    r = read_record(c);
    if (r < 0)
        return r;
    if (r == 0) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: expected a header line, got an empty file", c->name);
        return WB_EPARSE;
    }
    if (c->nf > WB_CSV_MAX_COLUMNS) {
        wb_error_set(WB_ERRCLASS_CSV, "%s:1: %zu columns: expected at most %d", c->name, c->nf,
                     WB_CSV_MAX_COLUMNS);
        return WB_EPARSE;
    }
    for (size_t i = 0; i < c->nf; i++) {
        if (c->flen[i] > WB_CSV_MAX_HEADER_BYTES) { /* blanks around it count: it is absurd either way */
            wb_error_set(WB_ERRCLASS_CSV,
                         "%s:%zu:%zu: column %zu: a header cell of %zu bytes: expected a column name of at "
                         "most %d bytes",
                         c->name, c->fline[i], c->fcol[i], i + 1, c->flen[i], WB_CSV_MAX_HEADER_BYTES);
            return WB_EPARSE;
        }
    }
    c->hdr = wb_calloc(c->nf, sizeof *c->hdr);
    if (!c->hdr)
        return WB_ENOMEM;
    c->nhdr = c->nf;
    for (size_t i = 0; i < c->nf; i++) {
        const char *s = c->rec + c->foff[i];
        size_t n = c->flen[i];
        while (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        }
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (!(c->hdr[i] = wb_strndup(s, n)))
            return WB_ENOMEM;
    }
    c->have_header = 1;
    return 0;
}

static wb_csv *alloc_csv(const char *name)
{
    wb_csv *c = wb_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = -1;
    c->line = c->col = 1;
    c->name = wb_strdup(name);
    if (!c->name) {
        wb_free(c);
        return NULL;
    }
    return c;
}

int wb_csv_open(wb_csv **out, const char *path, const wb_csv_opts *o)
{
    static const wb_csv_opts def = WB_CSV_OPTS_INIT;
    if (!o)
        o = &def;
    *out = NULL;
    wb_csv *c = alloc_csv(o->name ? o->name : path);
    if (!c)
        return WB_ENOMEM;
    int error = 0;
    if (!strcmp(path, "-")) {
        c->fd = dup(STDIN_FILENO);
    } else {
        c->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (c->fd < 0) {
            int e = errno;
            wb_error_set(WB_ERRCLASS_OS, "%s: %s", c->name,
                         e == ENOENT ? "no such file: expected a CSV file" : strerror(e));
            error = e == ENOENT ? WB_ENOTFOUND : WB_EIO;
            goto done;
        }
    }
    if (c->fd < 0) {
        error = io_error(c, "opening");
        goto done;
    }
    struct stat sb;
    if (fstat(c->fd, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            wb_error_set(WB_ERRCLASS_OS, "%s: is a directory, expected a CSV file", c->name);
            error = WB_EIO;
            goto done;
        }
        if (S_ISREG(sb.st_mode))
            c->total = (uint64_t)sb.st_size;
    }
    c->cap = CSV_BLOCK;
    c->buf = wb_malloc(c->cap);
    if (!c->buf) {
        error = WB_ENOMEM;
        goto done;
    }
    c->win = c->p = c->end = c->buf;
    error = setup(c, o);
done:
    if (error < 0) {
        wb_csv_free(c);
        return error;
    }
    *out = c;
    return 0;
}

int wb_csv_open_buffer(wb_csv **out, const char *data, size_t len, const wb_csv_opts *o)
{
    static const wb_csv_opts def = WB_CSV_OPTS_INIT;
    if (!o)
        o = &def;
    *out = NULL;
    wb_csv *c = alloc_csv(o->name ? o->name : "input");
    if (!c)
        return WB_ENOMEM;
    c->win = c->p = (const unsigned char *)data;
    c->end = c->p + len;
    c->total = len;
    c->eof = 1;
    int error = setup(c, o);
    if (error < 0) {
        wb_csv_free(c);
        return error;
    }
    *out = c;
    return 0;
}

void wb_csv_free(wb_csv *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    if (c->rows && c->src.free)
        c->src.free(c->src.payload);
    wb_free(c->absent);
    for (size_t i = 0; i < c->nhdr; i++)
        wb_free(c->hdr[i]);
    wb_free(c->hdr);
    wb_free(c->buf);
    wb_free(c->rec);
    wb_free(c->foff);
    wb_free(c->flen);
    wb_free(c->fline);
    wb_free(c->fcol);
    wb_free(c->name);
    wb_free(c);
}

/* ---------------------------------------------------------------- access */

size_t wb_csv_ncols(const wb_csv *c)
{
    return c->nhdr;
}

const char *wb_csv_header(const wb_csv *c, size_t i)
{
    return i < c->nhdr ? c->hdr[i] : NULL;
}

long wb_csv_find(const wb_csv *c, const char *name)
{
    for (size_t i = 0; i < c->nhdr; i++)
        if (!strcasecmp(c->hdr[i], name))
            return (long)i;
    return -1;
}

char wb_csv_delimiter(const wb_csv *c)
{
    return c->delim;
}

const char *wb_csv_name(const wb_csv *c)
{
    return c->name;
}

static int next_rows(wb_csv *c);

int wb_csv_next(wb_csv *c)
{
    return c->rows ? next_rows(c) : read_record(c);
}

const char *wb_csv_field(const wb_csv *c, size_t i, size_t *len)
{
    if (i >= c->nf) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = c->flen[i];
    return c->rec + c->foff[i];
}

size_t wb_csv_line(const wb_csv *c)
{
    return c->rec_line;
}

void wb_csv_pos(const wb_csv *c, size_t i, size_t *line, size_t *col)
{
    if (i < c->nf) {
        *line = c->fline[i];
        *col = c->fcol[i];
    } else {
        *line = c->rec_line;
        *col = 0;
    }
}

void wb_csv_progress(const wb_csv *c, uint64_t *done, uint64_t *total)
{
    if (c->rows) {
        *done = c->nrecords;
        *total = c->src.total;
        return;
    }
    *done = c->win_off + (uint64_t)(c->p - c->win);
    *total = c->total;
}

/* ---------------------------------------------------------------- values */

static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    *s = p;
    *len = n;
}

int wb_is_missing(const char *s, size_t len)
{
    trim(&s, &len);
    switch (len) {
    case 0:
        return 1;
    case 1:
        return *s == '.' || *s == 'x' || *s == 'X' || *s == '-' || *s == '?';
    case 2:
        return !strncmp(s, "NA", 2);
    case 3:
        return (*s == 'N' || *s == 'n') && !strncasecmp(s, "N/A", 3);
    case 4:
        return *s == '#' && !strncasecmp(s, "#N/A", 4);
    default:
        return 0;
    }
}

/* Plain decimals ("-12.375", "4807", "-5.8e-05") exactly as strtod reads them, without
 * strtod: when the significant digits form an integer w <= 2^53 and the number is w x 10^p
 * with |p| <= 22, both w and 10^|p| are exact doubles and one IEEE multiplication or division
 * rounds correctly (Clinger's fast path; W. D. Clinger, "How to read floating point numbers
 * accurately", PLDI 1990). Anything else returns 0 and goes the long way. */
static int fast_decimal(double *out, const char *s, size_t len, char sep)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = 0;
    int neg = 0;
    if (len && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    uint64_t w = 0;
    int ndig = 0, nsig = 0, frac = -1, p = 0;
    for (; i < len; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            ndig++;
            if (w || ch != '0') {
                if (++nsig > 16)
                    return 0;
                w = w * 10 + (uint64_t)(ch - '0');
            }
            if (frac >= 0)
                frac++;
        } else if (ch == sep && frac < 0) {
            frac = 0;
        } else if ((ch == 'e' || ch == 'E') && ndig) {
            i++;
            int eneg = 0, ed = 0, e = 0;
            if (i < len && (s[i] == '+' || s[i] == '-'))
                eneg = s[i++] == '-';
            for (; i < len; i++) {
                if (s[i] < '0' || s[i] > '9' || ++ed > 3)
                    return 0;
                e = e * 10 + (s[i] - '0');
            }
            if (!ed)
                return 0;
            p = eneg ? -e : e;
            break;
        } else {
            return 0;
        }
    }
    if (!ndig || w > ((uint64_t)1 << 53))
        return 0;
    p -= frac > 0 ? frac : 0;
    if (p < -22 || p > 22)
        return 0;
    double v = (double)w;
    if (p > 0)
        v *= pow10[p];
    else if (p < 0)
        v /= pow10[-p];
    *out = neg ? -v : v;
    return 1;
#else
    (void)out, (void)s, (void)len, (void)sep;
    return 0;
#endif
}

int wb_parse_number(double *out, const char *s, size_t len, int decimal_comma)
{
    trim(&s, &len);
    if (wb_is_missing(s, len)) {
        *out = NAN;
        return 1;
    }
    if (fast_decimal(out, s, len, decimal_comma ? ',' : '.'))
        return 0;
    char buf[80];
    const char sep = decimal_comma ? ',' : '.', other = decimal_comma ? '.' : ',';
    size_t i = 0, ndig = 0, nsep = 0;
    int exp_seen = 0;
    if (len >= sizeof buf)
        goto bad;
    if (s[0] == '+' || s[0] == '-')
        buf[i] = s[i], i++;
    for (; i < len; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            ndig++;
            buf[i] = ch;
        } else if (ch == sep && !exp_seen && !nsep) {
            nsep++;
            buf[i] = '.';
        } else if ((ch == 'e' || ch == 'E') && ndig && !exp_seen) {
            exp_seen = 1;
            buf[i] = 'e';
            if (i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-')) {
                i++;
                buf[i] = s[i];
            }
            if (i + 1 >= len)
                goto bad;
        } else {
            if (ch == other)
                goto bad_sep;
            goto bad;
        }
    }
    if (!ndig)
        goto bad;
    buf[len] = 0;
    errno = 0;
    char *end;
    double v = strtod(buf, &end);
    if (end != buf + len || (errno == ERANGE && fabs(v) > 1.0) || !isfinite(v))
        goto bad;
    *out = v;
    return 0;
bad_sep:
    wb_error_set(WB_ERRCLASS_CSV, "expected a number with a decimal %s (%s), got '%.*s'",
                 decimal_comma ? "comma" : "point",
                 decimal_comma ? "a '.' is not accepted with --decimal-comma"
                               : "give --decimal-comma for numbers like 12,5",
                 (int)(len > 40 ? 40 : len), s);
    return WB_EINVALID;
bad:
    wb_error_set(WB_ERRCLASS_CSV,
                 "expected a number or a missing-value marker (. x - ? #N/A or empty), got '%.*s'",
                 (int)(len > 40 ? 40 : len), s);
    return WB_EINVALID;
}

int wb_parse_year(int *out, const char *s, size_t len)
{
    trim(&s, &len);
    /* StatLine periods: 2019JJ00 is the whole year (KW = quarter, MM = month are refused) */
    if (len == 8 && (s[4] == 'J' || s[4] == 'j') && (s[5] == 'J' || s[5] == 'j') && s[6] == '0' &&
        s[7] == '0')
        len = 4;
    int y = 0;
    if (len != 4)
        goto bad;
    for (size_t i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            goto bad;
        y = y * 10 + (s[i] - '0');
    }
    if (y < 1800 || y > 2200)
        goto bad;
    *out = y;
    return 0;
bad:
    wb_error_set(WB_ERRCLASS_CSV, "expected a year (like 2019 or 2019JJ00), got '%.*s'",
                 (int)(len > 40 ? 40 : len), s);
    return WB_EINVALID;
}

int wb_csv_number(const wb_csv *c, size_t i, double *out)
{
    size_t len;
    const char *s = wb_csv_field(c, i, &len);
    int r = wb_parse_number(out, s, len, c->decimal_comma);
    if (r < 0) {
        char where[512];
        wb_error_prefix("%s: column '%s'", wb_csv__where(c, (long)i, where, sizeof where),
                        wb_csv_header(c, i));
        return WB_EPARSE;
    }
    return r;
}

int wb_csv_code(const wb_csv *c, size_t i, char out[WB_CODE_MAX], wb_level *level, wb_level hint)
{
    size_t len;
    const char *s = wb_csv_field(c, i, &len);
    if (wb_code_normalize(out, level, s, len, hint) < 0) {
        char where[512];
        wb_error_prefix("%s: column '%s'", wb_csv__where(c, (long)i, where, sizeof where),
                        wb_csv_header(c, i));
        return WB_EPARSE;
    }
    return 0;
}

/* ---------------------------------------------------------------- records of other readers */

int wb_csv__open_rows(wb_csv **out, const char *name, const char *const *headers, size_t n,
                      const wb_rows_source *src)
{
    *out = NULL;
    wb_csv *c = alloc_csv(name);
    if (!c) {
        if (src->free)
            src->free(src->payload);
        return WB_ENOMEM;
    }
    c->rows = 1;
    c->src = *src;
    c->delim = ',';
    if (!(c->hdr = wb_calloc(n ? n : 1, sizeof *c->hdr))) {
        wb_csv_free(c);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < n; i++, c->nhdr++) {
        const char *h = headers[i] ? headers[i] : "";
        size_t len = strlen(h);
        while (len && (*h == ' ' || *h == '\t'))
            h++, len--;
        while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
            len--;
        if (!(c->hdr[i] = wb_strndup(h, len))) {
            wb_csv_free(c);
            return WB_ENOMEM;
        }
    }
    c->have_header = 1;
    *out = c;
    return 0;
}

void wb_csv__set_record(wb_csv *c, size_t number, const char *unit)
{
    c->rec_line = number;
    c->rec_unit = unit;
}

static int next_rows(wb_csv *c)
{
    c->nf = 0;
    c->reclen = 0;
    int r = c->src.next(c->src.payload, c);
    if (r <= 0)
        return r;
    if (c->nf != c->nhdr) { /* a reader's bug, not the file's */
        char where[512];
        wb_error_set(WB_ERRCLASS_CSV, "%s: the reader gave %zu fields, expected %zu",
                     wb_csv__where(c, -1, where, sizeof where), c->nf, c->nhdr);
        return WB_ERROR;
    }
    c->nrecords++;
    return 1;
}

/* Offset of the first byte of @p s that is not part of valid UTF-8 (or is NUL), or n. */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b && b < 0x80) {
            i++;
            continue;
        }
        unsigned char lo, hi;
        int lead = b ? wb__utf8_lead(b, &lo, &hi) : -1;
        if (lead < 0)
            return i;
        size_t k = (size_t)lead;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || s[i + j] < lo || s[i + j] > hi)
                return i;
            lo = 0x80;
            hi = 0xBF;
        }
        i += k + 1;
    }
    return n;
}

static int put_field(wb_csv *c, const char *s, size_t len, int absent)
{
    c->line = c->rec_line;
    c->col = c->nf + 1;
    if (c->nf == c->capabsent) {
        size_t cap = c->capabsent ? c->capabsent * 2 : 32;
        unsigned char *a = wb_realloc(c->absent, cap);
        if (!a)
            return WB_ENOMEM;
        c->absent = a;
        c->capabsent = cap;
    }
    size_t ok = utf8_valid_prefix((const unsigned char *)s, len);
    if (ok < len) {
        char where[512];
        wb_csv__where(c, (long)c->nf, where, sizeof where);
        if (!s[ok])
            wb_error_set(WB_ERRCLASS_CSV, "%s: expected text, got a NUL byte", where);
        else
            wb_error_set(WB_ERRCLASS_CSV, "%s: expected UTF-8 text, got byte 0x%02X", where,
                         (unsigned char)s[ok]);
        return WB_EPARSE;
    }
    int r;
    if ((r = field_start(c)) < 0 || (r = rec_put(c, s, len)) < 0 || (r = field_end(c)) < 0)
        return r;
    c->absent[c->nf - 1] = (unsigned char)absent;
    return 0;
}

int wb_csv__put(wb_csv *c, const char *s, size_t len)
{
    return put_field(c, s, len, 0);
}

int wb_csv__put_absent(wb_csv *c)
{
    return put_field(c, "", 0, 1);
}

int wb_csv__absent(const wb_csv *c, size_t i)
{
    return c->rows && i < c->nf && c->absent[i];
}

const char *wb_csv__number_text(char *buf, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

int wb_csv__text_column(const wb_csv *c, size_t i)
{
    return c->rows && c->src.text_cols && i < c->nhdr && c->src.text_cols[i];
}

/* Column number as spreadsheet letters: 1 -> A, 27 -> AA. */
static void column_letters(char out[8], size_t col)
{
    char tmp[8];
    size_t n = 0;
    while (col > 0 && n < sizeof tmp - 1) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

const char *wb_csv__where(const wb_csv *c, long field, char *buf, size_t n)
{
    size_t line = c->rec_line, col = 0;
    if (field >= 0)
        wb_csv_pos(c, (size_t)field, &line, &col);
    wb_rows_kind kind = c->rows ? c->src.kind : WB_ROWS_CSV;
    if (kind == WB_ROWS_RECORD)
        snprintf(buf, n, "%s: %s %zu", c->name, c->rec_unit ? c->rec_unit : "record", line);
    else if (field < 0 || !col)
        snprintf(buf, n, "%s:%zu", c->name, line);
    else if (kind == WB_ROWS_SHEET) {
        char letters[8];
        column_letters(letters, col);
        snprintf(buf, n, "%s:%zu:%zu (cell %s%zu)", c->name, line, col, letters, line);
    } else
        snprintf(buf, n, "%s:%zu:%zu", c->name, line, col);
    return buf;
}

const char *wb_csv__record_name(const wb_csv *c, char *buf, size_t n)
{
    wb_rows_kind kind = c->rows ? c->src.kind : WB_ROWS_CSV;
    const char *unit = kind == WB_ROWS_CSV     ? "line"
                       : kind == WB_ROWS_SHEET ? "row"
                       : c->rec_unit           ? c->rec_unit
                                               : "record";
    snprintf(buf, n, "%s %zu", unit, c->rec_line);
    return buf;
}
