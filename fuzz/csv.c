/**
 * @file
 * @brief Fuzz target: the CSV reader (src/io/csv.c) and the value parsers on its fields.
 *
 * Input: byte 0 chooses the options (bits 0-2: delimiter sniffed, ',', ';', tab or '|';
 * bit 3: decimal comma; bit 4: also read the same bytes from a file and compare), the rest
 * is the CSV text.
 * Invariants:
 *  - an error is WB_EPARSE with a message "input:LINE..." (valid UTF-8);
 *  - headers and fields are valid UTF-8 without NUL bytes, headers without surrounding blanks;
 *    every record has as many fields as the header; record lines increase; positions >= 1;
 *  - wb_csv_number: 0 = a finite number equal to strtod of the text, 1 = NaN exactly when
 *    wb_is_missing says so, else WB_EPARSE naming input:line:col;
 *  - wb_csv_code: a code that normalises to itself with the same level;
 *  - reading from a file gives exactly the records and errors of reading from memory (in the
 *    fuzz build csv.c reads files in 61-byte blocks, so block boundaries are exercised).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "wijkbeeld.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* strtod on a trimmed copy, with ',' as the decimal separator when asked. */
static double reference_number(const char *s, size_t n, int decimal_comma)
{
    while (n && is_blank(*s))
        s++, n--;
    while (n && is_blank(s[n - 1]))
        n--;
    char buf[128];
    if (n >= sizeof buf)
        return NAN;
    memcpy(buf, s, n);
    buf[n] = 0;
    for (size_t i = 0; decimal_comma && i < n; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    return strtod(buf, NULL);
}

static void check_record(wb_csv *c, int decimal_comma)
{
    size_t ncols = wb_csv_ncols(c);
    size_t rline = wb_csv_line(c);
    for (size_t i = 0; i < ncols; i++) {
        size_t len = (size_t)-1;
        const char *f = wb_csv_field(c, i, &len);
        WBF_CHECK(f && strlen(f) == len, "field %zu: length %zu, strlen %zu", i, len, strlen(f));
        WBF_CHECK(wbf_utf8_valid(f, len), "field %zu is not UTF-8", i);
        size_t line = 0, col = 0;
        wb_csv_pos(c, i, &line, &col);
        WBF_CHECK(line >= rline && col >= 1, "field %zu at %zu:%zu, record line %zu", i, line, col,
                  rline);

        double v = 0;
        int r = wb_csv_number(c, i, &v);
        int missing = wb_is_missing(f, len);
        WBF_CHECK((r == 1) == (missing != 0), "number rc %d but wb_is_missing %d for '%s'", r,
                  missing, f);
        if (r == 0) {
            WBF_CHECK(isfinite(v), "non-finite number from '%s'", f);
            double ref = reference_number(f, len, decimal_comma);
            WBF_CHECK(ref == v, "'%s' parsed as %.17g, strtod says %.17g", f, v, ref);
        } else if (r == 1) {
            WBF_CHECK(isnan(v), "missing marker '%s' gave %g, expected NaN", f, v);
        } else {
            WBF_CHECK(r == WB_EPARSE, "wb_csv_number returned %d", r);
            WBF_CHECK_ERROR(r, "input", 1);
        }

        char code[WB_CODE_MAX], again[WB_CODE_MAX];
        wb_level lv, lv2;
        r = wb_csv_code(c, i, code, &lv, WB_LEVEL__MAX);
        if (r == 0) {
            WBF_CHECK(strlen(code) < WB_CODE_MAX && lv < WB_LEVEL__MAX, "bad code result");
            WBF_CHECK(wb_code_normalize(again, &lv2, code, strlen(code), WB_LEVEL__MAX) == 0 &&
                          !strcmp(again, code) && lv2 == lv,
                      "code '%s' does not normalise to itself", code);
        } else {
            WBF_CHECK_ERROR(r, "input", 1);
        }

        int y = 0;
        if (wb_parse_year(&y, f, len) == 0)
            WBF_CHECK(y >= 1800 && y <= 2200, "year %d out of range", y);
    }
    /* a field past the header's count is empty, never out of bounds */
    size_t len = 1;
    const char *f = wb_csv_field(c, ncols, &len);
    WBF_CHECK(f && !*f && len == 0, "field past the end is not empty");
}

/* Compare the current records of two readers. */
static void same_record(const wb_csv *a, const wb_csv *b)
{
    WBF_CHECK(wb_csv_line(a) == wb_csv_line(b), "record line %zu (memory) vs %zu (file)",
              wb_csv_line(a), wb_csv_line(b));
    for (size_t i = 0; i < wb_csv_ncols(a); i++) {
        size_t la, lb, l1, c1, l2, c2;
        const char *fa = wb_csv_field(a, i, &la), *fb = wb_csv_field(b, i, &lb);
        WBF_CHECK(la == lb && !memcmp(fa, fb, la), "field %zu differs between memory and file", i);
        wb_csv_pos(a, i, &l1, &c1);
        wb_csv_pos(b, i, &l2, &c2);
        WBF_CHECK(l1 == l2 && c1 == c2, "field %zu at %zu:%zu (memory) vs %zu:%zu (file)", i, l1,
                  c1, l2, c2);
    }
}

WBF_TARGET(csv)
{
    if (size < 1)
        return 0;
    static const char delims[8] = {0, ',', ';', '\t', '|', 0, ',', ';'};
    unsigned opt = data[0];
    wb_csv_opts o = WB_CSV_OPTS_INIT;
    o.delimiter = delims[opt & 7];
    o.decimal_comma = (opt >> 3) & 1;
    o.name = "input";
    int with_file = (opt >> 4) & 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    wb_csv *c = NULL, *fc = NULL;
    int r = wb_csv_open_buffer(&c, text, len, &o);
    char path[600];
    int rf = 0;
    if (with_file) {
        wbf_write_file(wbf_tmp_path(path, sizeof path, "input.csv"), text, len);
        wb_csv_opts fo = o;
        rf = wb_csv_open(&fc, path, &fo);
        WBF_CHECK((r < 0) == (rf < 0), "open: memory %d, file %d", r, rf);
        if (r < 0)
            WBF_CHECK(r == rf, "open: memory %d, file %d", r, rf);
    }
    if (r < 0) {
        WBF_CHECK(r == WB_EPARSE, "open returned %d", r);
        WBF_CHECK_ERROR(r, "input", 1);
        WBF_CHECK(c == NULL, "output set on error");
        return 0;
    }
    size_t ncols = wb_csv_ncols(c);
    WBF_CHECK(ncols >= 1, "a header without columns");
    char d = wb_csv_delimiter(c);
    WBF_CHECK(d && d != '"' && d != '\n' && d != '\r', "delimiter %d", d);
    if (o.delimiter)
        WBF_CHECK(d == o.delimiter, "delimiter %d, asked %d", d, o.delimiter);
    for (size_t i = 0; i < ncols; i++) {
        const char *h = wb_csv_header(c, i);
        size_t hl = strlen(h);
        WBF_CHECK(wbf_utf8_valid(h, hl), "header %zu is not UTF-8", i);
        WBF_CHECK(!hl || (!is_blank(h[0]) && !is_blank(h[hl - 1])), "header %zu not trimmed", i);
        WBF_CHECK(wb_csv_find(c, h) >= 0 && wb_csv_find(c, h) <= (long)i, "header %zu not found", i);
    }
    WBF_CHECK(wb_csv_header(c, ncols) == NULL, "header past the end");
    if (fc) {
        WBF_CHECK(wb_csv_ncols(fc) == ncols && wb_csv_delimiter(fc) == d,
                  "header differs between memory and file");
        for (size_t i = 0; i < ncols; i++)
            WBF_CHECK(!strcmp(wb_csv_header(c, i), wb_csv_header(fc, i)), "header %zu differs", i);
    }

    size_t last_line = 0;
    uint64_t last_done = 0;
    for (;;) {
        r = wb_csv_next(c);
        if (fc) {
            char saved[1024];
            snprintf(saved, sizeof saved, "%s", wb_error_last()->message);
            rf = wb_csv_next(fc);
            WBF_CHECK(r == rf, "next: memory %d, file %d", r, rf);
            if (r < 0) {
                /* the same message, but for the name */
                WBF_CHECK(!strcmp(saved, wb_error_last()->message),
                          "messages differ: memory '%s', file '%s'", saved, wb_error_last()->message);
            } else if (r > 0) {
                same_record(c, fc);
            }
        }
        if (r <= 0)
            break;
        size_t line = wb_csv_line(c);
        WBF_CHECK(line > last_line && line >= 2, "record line %zu after %zu", line, last_line);
        last_line = line;
        uint64_t done, total;
        wb_csv_progress(c, &done, &total);
        WBF_CHECK(done >= last_done && done <= total && total == len, "progress %llu of %llu",
                  (unsigned long long)done, (unsigned long long)total);
        last_done = done;
        check_record(c, o.decimal_comma);
    }
    if (r < 0) {
        WBF_CHECK(r == WB_EPARSE, "next returned %d", r);
        WBF_CHECK_ERROR(r, "input", 1);
    }
    wb_csv_free(c);
    wb_csv_free(fc);
    return 0;
}
