/** @file @brief Shared helpers of the commands: options, output tables, errors, progress. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"

static int find(const wb_args *a, const char *name)
{
    for (size_t k = 0; k < a->ndefs; k++)
        if (!strcmp(a->defs[k].name, name))
            return (int)k;
    return -1;
}

const char *wb_arg(const wb_args *a, const char *name)
{
    int k = find(a, name);
    return k < 0 ? NULL : a->values[k];
}

int wb_arg_has(const wb_args *a, const char *name)
{
    return wb_arg(a, name) != NULL;
}

int wb_arg_int(const wb_args *a, const char *name, long def, long min, long max, long *out)
{
    const char *s = wb_arg(a, name);
    if (!s) {
        *out = def;
        return 0;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        wb_cli_usage("--%s: expected a whole number from %ld to %ld, got '%s'", name, min, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

int wb_arg_double(const wb_args *a, const char *name, double def, double *out)
{
    const char *s = wb_arg(a, name);
    if (!s) {
        *out = def;
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v)) {
        wb_cli_usage("--%s: expected a number, got '%s'", name, s);
        return -1;
    }
    *out = v;
    return 0;
}

int wb_arg_level(const wb_args *a, const char *name, int required, wb_level *out)
{
    const char *s = wb_arg(a, name);
    if (!s) {
        *out = WB_LEVEL__MAX;
        if (required) {
            wb_cli_usage("--%s is required (gemeente, wijk or buurt)", name);
            return -1;
        }
        return 0;
    }
    if (wb_level_parse(out, s) < 0) {
        wb_cli_usage("--%s: %s", name, wb_error_last()->message);
        return -1;
    }
    return 0;
}

int wb_arg_format(const wb_args *a, wb_format *out)
{
    const char *s = wb_arg(a, "format");
    if (!s)
        *out = isatty(STDOUT_FILENO) ? WB_FMT_TABLE : WB_FMT_CSV;
    else if (!strcmp(s, "table"))
        *out = WB_FMT_TABLE;
    else if (!strcmp(s, "csv"))
        *out = WB_FMT_CSV;
    else if (!strcmp(s, "json"))
        *out = WB_FMT_JSON;
    else if (!strcmp(s, "markdown") || !strcmp(s, "md"))
        *out = WB_FMT_MARKDOWN;
    else {
        wb_cli_usage("--format: expected table, csv, json or markdown, got '%s'", s);
        return -1;
    }
    return 0;
}

int wb_cli_fail(void)
{
    fprintf(stderr, "wijkbeeld: %s\n", wb_error_last()->message);
    return 1;
}

int wb_cli_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("wijkbeeld: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 2;
}

wb_store *wb_cli_open(wb_ctx *ctx, int create)
{
    wb_store *st = NULL;
    if (wb_store_open(&st, ctx->db_path, create ? WB_STORE_CREATE : 0) < 0) {
        wb_cli_fail();
        return NULL;
    }
    return st;
}

void wb_cli_progress(void *payload, const char *what, size_t done, size_t total)
{
    const wb_ctx *ctx = payload;
    static struct timespec last;
    if ((ctx && ctx->quiet) || !isatty(STDERR_FILENO))
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9;
    int final = total && done >= total;
    if (dt < 0.1 && !final)
        return;
    last = now;
    if (total)
        fprintf(stderr, "\r%s: %zu/%zu (%.0f%%)%s", what, done, total, 100.0 * (double)done / (double)total,
                final ? "\n" : "");
    else
        fprintf(stderr, "\r%s: %zu", what, done);
    fflush(stderr);
}

void wb_fmt_double(char *buf, size_t n, double v)
{
    if (isnan(v)) {
        buf[0] = 0;
        return;
    }
    snprintf(buf, n, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, n, "%.17g", v);
}

/* ---------------------------------------------------------------- tables */

struct wb_table {
    FILE *out;
    wb_format fmt;
    size_t ncols, col;
    const char *const *names;
    int *numeric;
    size_t nrows;
    /* table format: buffered cells */
    char **cells;
    size_t ncells, capcells;
};

/* A CSV field; text (@p guard: a text column) that a spreadsheet would run as a formula gets
 * an apostrophe before it (wb_csv_formula). */
static void csv_field(FILE *f, const char *s, int guard)
{
    if (!s)
        return;
    int formula = guard && wb_csv_formula(s);
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        if (formula)
            fputc('\'', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        if (formula)
            fputc('\'', f);
        fputs(s, f);
    }
}

/* A Markdown table cell: '|' escaped, line breaks as spaces. */
static void md_field(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
    }
    fputc('"', f);
}

wb_table *wb_table_new(FILE *out, wb_format fmt, size_t ncols, const char *const *names,
                       const int *numeric)
{
    wb_table *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->out = out;
    t->fmt = fmt;
    t->ncols = ncols;
    t->names = names;
    t->numeric = calloc(ncols ? ncols : 1, sizeof(int));
    if (!t->numeric)
        abort();
    if (numeric)
        memcpy(t->numeric, numeric, ncols * sizeof(int));
    if (fmt == WB_FMT_CSV) {
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                fputc(',', out);
            csv_field(out, names[i], 1);
        }
        fputc('\n', out);
    } else if (fmt == WB_FMT_JSON) {
        fputc('[', out);
    } else if (fmt == WB_FMT_MARKDOWN) {
        for (size_t i = 0; i < ncols; i++) {
            fputs("| ", out);
            md_field(out, names[i]);
            fputc(' ', out);
        }
        fputs("|\n", out);
        for (size_t i = 0; i < ncols; i++)
            fputs(t->numeric[i] ? "|---:" : "|---", out);
        fputs("|\n", out);
    }
    return t;
}

void wb_table_cell(wb_table *t, const char *text)
{
    size_t c = t->col;
    if (t->fmt == WB_FMT_CSV) {
        if (c)
            fputc(',', t->out);
        csv_field(t->out, text, !t->numeric[c]);
    } else if (t->fmt == WB_FMT_JSON) {
        fputs(c ? ", " : (t->nrows ? ",\n {" : "\n {"), t->out);
        json_string(t->out, t->names[c]);
        fputs(": ", t->out);
        if (!text || (t->numeric[c] && !*text))
            fputs("null", t->out);
        else if (t->numeric[c])
            fputs(text, t->out);
        else
            json_string(t->out, text);
    } else if (t->fmt == WB_FMT_MARKDOWN) {
        fputs("| ", t->out);
        md_field(t->out, text);
        fputc(' ', t->out);
    } else {
        if (t->ncells == t->capcells) {
            t->capcells = t->capcells ? 2 * t->capcells : 256;
            t->cells = realloc(t->cells, t->capcells * sizeof(char *));
            if (!t->cells)
                abort();
        }
        t->cells[t->ncells++] = strdup(text ? text : "");
    }
    if (++t->col == t->ncols) {
        t->col = 0;
        t->nrows++;
        if (t->fmt == WB_FMT_CSV)
            fputc('\n', t->out);
        else if (t->fmt == WB_FMT_MARKDOWN)
            fputs("|\n", t->out);
        else if (t->fmt == WB_FMT_JSON)
            fputc('}', t->out);
    }
}

void wb_table_cellf(wb_table *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    wb_table_cell(t, buf);
}

static int table_digits = -1;

void wb_table_set_digits(int digits)
{
    table_digits = digits;
}

/* A number for people on a terminal: whole numbers as they are, others to 6 significant
 * digits in fixed notation without trailing zeros (0.435258, 297.5, 13433.4), very small
 * ones in exponent notation (6.28e-32). CSV and JSON keep every digit. */
static void display_number(char *buf, size_t n, double v)
{
    double a = fabs(v);
    if (a < 1e15 && v == floor(v)) {
        snprintf(buf, n, "%.0f", v == 0 ? 0.0 : v);
        return;
    }
    if (a < 1e-4 || a >= 1e15) {
        snprintf(buf, n, "%.3g", v);
        return;
    }
    int decimals = 5 - (int)floor(log10(a));
    if (decimals < 0)
        decimals = 0;
    snprintf(buf, n, "%.*f", decimals, v);
    if (strchr(buf, '.')) {
        size_t k = strlen(buf);
        while (k && buf[k - 1] == '0')
            buf[--k] = 0;
        if (k && buf[k - 1] == '.')
            buf[--k] = 0;
    }
    if (!strcmp(buf, "-0"))
        snprintf(buf, n, "0");
}

void wb_table_num(wb_table *t, double v)
{
    char buf[512];
    if (table_digits < 0 && t->fmt == WB_FMT_TABLE && isfinite(v)) {
        display_number(buf, sizeof buf, v);
    } else if (table_digits >= 0 && isfinite(v)) {
        snprintf(buf, sizeof buf, "%.*f", table_digits, v);
        /* no "-0.000": a value that rounds to zero is written without a sign */
        if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
            memmove(buf, buf + 1, strlen(buf));
    } else {
        wb_fmt_double(buf, sizeof buf, v);
    }
    wb_table_cell(t, isnan(v) ? NULL : buf);
}

void wb_table_int(wb_table *t, long long v)
{
    wb_table_cellf(t, "%lld", v);
}

/* Display width of UTF-8 text: count code points, not bytes. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

void wb_table_end(wb_table *t)
{
    if (t->fmt == WB_FMT_JSON) {
        fputs(t->nrows ? "\n]\n" : "]\n", t->out);
    } else if (t->fmt == WB_FMT_TABLE) {
        size_t *w = calloc(t->ncols, sizeof *w);
        if (!w)
            abort();
        for (size_t c = 0; c < t->ncols; c++)
            w[c] = width(t->names[c]);
        for (size_t i = 0; i < t->ncells; i++) {
            size_t c = i % t->ncols, cw = width(t->cells[i]);
            if (cw > w[c])
                w[c] = cw > 60 ? 60 : cw;
        }
        for (size_t c = 0; c < t->ncols; c++)
            fprintf(t->out, "%s%-*s", c ? "  " : "", (int)w[c], t->names[c]);
        fputc('\n', t->out);
        for (size_t c = 0; c < t->ncols; c++) {
            fprintf(t->out, "%s", c ? "  " : "");
            for (size_t k = 0; k < w[c]; k++)
                fputc('-', t->out);
        }
        fputc('\n', t->out);
        for (size_t i = 0; i < t->ncells; i++) {
            size_t c = i % t->ncols;
            const char *s = t->cells[i];
            size_t pad = w[c] > width(s) ? w[c] - width(s) : 0;
            if (c)
                fputs("  ", t->out);
            if (t->numeric[c])
                fprintf(t->out, "%*s%s", (int)pad, "", s);
            else if (c + 1 < t->ncols)
                fprintf(t->out, "%s%*s", s, (int)pad, "");
            else
                fputs(s, t->out);
            if (c + 1 == t->ncols)
                fputc('\n', t->out);
            free(t->cells[i]);
        }
        fprintf(t->out, "(%zu rows)\n", t->nrows);
        free(w);
        free(t->cells);
    }
    fflush(t->out);
    free(t->numeric);
    free(t);
}
