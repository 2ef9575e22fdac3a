/** @file @brief The streaming CSV reader: quoting, line ends, sniffing, encoding, numbers. */
#include <stdint.h>
#include <stdlib.h>

#include "test.h"

static wb_csv *open_str(const char *text, char delim)
{
    wb_csv_opts o = WB_CSV_OPTS_INIT;
    o.delimiter = delim;
    o.name = "t.csv";
    wb_csv *c = NULL;
    WB_PASS(wb_csv_open_buffer(&c, text, strlen(text), &o));
    return c;
}

static int open_fails(const char *text, size_t len, const char *needle)
{
    wb_csv_opts o = WB_CSV_OPTS_INIT;
    o.name = "t.csv";
    wb_csv *c = NULL;
    int r = wb_csv_open_buffer(&c, text, len, &o);
    if (r >= 0) {
        wb_csv_free(c);
        return 0;
    }
    return strstr(wb_error_last()->message, needle) != NULL;
}

/* Read all records; the first failure's message must contain @p needle. */
static int read_fails(const char *text, const char *needle)
{
    wb_csv *c = open_str(text, 0);
    int r;
    while ((r = wb_csv_next(c)) > 0)
        ;
    wb_csv_free(c);
    if (r == 0)
        return 0;
    if (!strstr(wb_error_last()->message, needle)) {
        fprintf(stderr, "    message: %s\n", wb_error_last()->message);
        return 0;
    }
    return 1;
}

TEST(io_csv, header_bom_and_fields)
{
    wb_csv *c = open_str("\xEF\xBB\xBF"
                         "code, naam ,x\nGM0363,Amsterdam,1\n",
                         0);
    ASSERT_EQ_I(wb_csv_ncols(c), 3);
    ASSERT_EQ_S(wb_csv_header(c, 0), "code"); /* the BOM is not part of the first name */
    ASSERT_EQ_S(wb_csv_header(c, 1), "naam"); /* header names are trimmed */
    ASSERT_EQ_I(wb_csv_find(c, "NAAM"), 1);
    ASSERT_EQ_I(wb_csv_find(c, "nope"), -1);
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_I(wb_csv_line(c), 2);
    ASSERT_EQ_S(wb_csv_field(c, 1, NULL), "Amsterdam");
    ASSERT_EQ_I(wb_csv_next(c), 0);
    ASSERT_EQ_I(wb_csv_next(c), 0); /* stays at the end */
    wb_csv_free(c);
}

TEST(io_csv, quotes_doubled_quotes_and_quoted_newlines)
{
    wb_csv *c = open_str("a,b,c\n"
                         "\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\n"
                         "\"\",3,\"\"\"\"\n"
                         "last,row,here\n",
                         0);
    size_t len, line, col;
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_S(wb_csv_field(c, 0, &len), "x, y");
    ASSERT_EQ_I(len, 4);
    ASSERT_EQ_S(wb_csv_field(c, 1, NULL), "he said \"hi\"");
    ASSERT_EQ_S(wb_csv_field(c, 2, NULL), "two\nlines");
    wb_csv_pos(c, 2, &line, &col);
    ASSERT_EQ_I(line, 2);
    ASSERT_EQ_I(col, 25); /* "x, y" in quotes: 6 characters, a comma, 16 more, a comma: column 25 */
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_I(wb_csv_line(c), 4); /* the quoted newline counted as a line */
    ASSERT_EQ_S(wb_csv_field(c, 0, &len), "");
    ASSERT_EQ_I(len, 0);
    ASSERT_EQ_S(wb_csv_field(c, 2, NULL), "\"");
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_I(wb_csv_line(c), 5);
    ASSERT_EQ_I(wb_csv_next(c), 0);
    wb_csv_free(c);
}

TEST(io_csv, crlf_lone_cr_blank_lines_and_no_final_newline)
{
    wb_csv *c = open_str("a;b\r\n1;2\r\n\r\n\n3;\"x\r\ny\"\r4;5", 0);
    ASSERT_EQ_I(wb_csv_delimiter(c), ';');
    ASSERT_EQ_S(wb_csv_header(c, 1), "b");
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_S(wb_csv_field(c, 1, NULL), "2"); /* no stray CR */
    ASSERT_EQ_I(wb_csv_next(c), 1);             /* blank lines skipped */
    ASSERT_EQ_I(wb_csv_line(c), 5);
    ASSERT_EQ_S(wb_csv_field(c, 1, NULL), "x\r\ny"); /* kept inside quotes */
    ASSERT_EQ_I(wb_csv_next(c), 1);                  /* a lone CR ends a record */
    ASSERT_EQ_S(wb_csv_field(c, 0, NULL), "4");
    ASSERT_EQ_S(wb_csv_field(c, 1, NULL), "5");
    ASSERT_EQ_I(wb_csv_next(c), 0);
    wb_csv_free(c);
}

TEST(io_csv, delimiter_is_sniffed_outside_quotes)
{
    /* the StatLine header: commas inside quotes, semicolons between fields */
    wb_csv *c = open_str("\"Perioden\";\"Regiocode (gemeente, wijk, buurt) (code)\";\"a, b, c\"\n"
                         "\"2019\";\"GM0363    \";\"  1\"\n",
                         0);
    ASSERT_EQ_I(wb_csv_delimiter(c), ';');
    ASSERT_EQ_I(wb_csv_ncols(c), 3);
    ASSERT_EQ_S(wb_csv_header(c, 1), "Regiocode (gemeente, wijk, buurt) (code)");
    wb_csv_free(c);
    c = open_str("a\tb,c\tx\n", 0);
    ASSERT_EQ_I(wb_csv_delimiter(c), '\t');
    ASSERT_EQ_I(wb_csv_ncols(c), 3);
    wb_csv_free(c);
    c = open_str("just_one_column\nx\n", 0);
    ASSERT_EQ_I(wb_csv_delimiter(c), ',');
    ASSERT_EQ_I(wb_csv_ncols(c), 1);
    wb_csv_free(c);
    /* a given delimiter wins */
    c = open_str("a;b,c\n1;2,3\n", ',');
    ASSERT_EQ_I(wb_csv_ncols(c), 2);
    ASSERT_EQ_S(wb_csv_header(c, 0), "a;b");
    wb_csv_free(c);
}

TEST(io_csv, padded_codes_are_trimmed)
{
    wb_csv *c = open_str("code;n\n\"WK036300  \";1\n\"  363\";2\nBU03630000  ;3\n", 0);
    char code[WB_CODE_MAX];
    wb_level l;
    ASSERT_EQ_I(wb_csv_next(c), 1);
    WB_PASS(wb_csv_code(c, 0, code, &l, WB_LEVEL__MAX));
    ASSERT_EQ_S(code, "WK036300");
    ASSERT_EQ_I(l, WB_LEVEL_WIJK);
    ASSERT_EQ_I(wb_csv_next(c), 1);
    WB_PASS(wb_csv_code(c, 0, code, &l, WB_LEVEL_GEMEENTE));
    ASSERT_EQ_S(code, "GM0363");
    ASSERT_EQ_I(wb_csv_next(c), 1);
    WB_PASS(wb_csv_code(c, 0, code, &l, WB_LEVEL__MAX));
    ASSERT_EQ_S(code, "BU03630000");
    wb_csv_free(c);
    c = open_str("code\nWK12345\n", 0);
    ASSERT_EQ_I(wb_csv_next(c), 1);
    WB_FAILS(WB_EPARSE, wb_csv_code(c, 0, code, &l, WB_LEVEL__MAX));
    ASSERT(strstr(wb_error_last()->message, "t.csv:2:1: column 'code': malformed area code") != NULL);
    wb_csv_free(c);
}

TEST(io_csv, cbs_missing_markers_become_nan_never_zero)
{
    static const char *const missing[] = {"", ".", "   .  ", "x", "X", "-", "?", "#N/A",
                                          " #N/A ", "NA", "n/a", "  "};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        double v = 0;
        ASSERT_EQ_I(wb_parse_number(&v, missing[i], strlen(missing[i]), 0), 1);
        ASSERT(isnan(v));
    }
    wb_csv *c = open_str("a,b,c\n.,,  457400\n", 0);
    double v;
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_I(wb_csv_number(c, 0, &v), 1);
    ASSERT(isnan(v));
    ASSERT_EQ_I(wb_csv_number(c, 1, &v), 1);
    ASSERT_EQ_I(wb_csv_number(c, 2, &v), 0); /* left-padded number, as in StatLine */
    ASSERT_CLOSE(v, 457400, 0);
    wb_csv_free(c);
}

TEST(io_csv, numbers_are_parsed_strictly)
{
    static const struct {
        const char *s;
        double v;
    } ok[] = {{"12", 12},       {"-0.5", -0.5},     {"+3", 3},   {".25", 0.25},
              {"1.5e3", 1500},  {"-5.80372218154657e-05", -5.80372218154657e-05},
              {" 20.8 ", 20.8}, {"1e-320", 1e-320}, {"0", 0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v;
        ASSERT_EQ_I(wb_parse_number(&v, ok[i].s, strlen(ok[i].s), 0), 0);
        ASSERT_CLOSE(v, ok[i].v, 0);
    }
    static const char *const bad[] = {"abc", "12abc", "1e",  "1e+", "nan",  "NaN",  "inf",
                                      "-Infinity", "0x10", "1e400", "1..2", "1 2", "--1", "+",
                                      "1,5", "1.2.3", "€5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 7;
        if (wb_parse_number(&v, bad[i], strlen(bad[i]), 0) != WB_EINVALID)
            wbt_fail(__FILE__, __LINE__, "'%s' was accepted as %g", bad[i], v);
        ASSERT(strstr(wb_error_last()->message, "expected a number") != NULL);
    }
    double v;
    WB_FAILS(WB_EINVALID, wb_parse_number(&v, "1,5", 3, 0));
    ASSERT(strstr(wb_error_last()->message, "--decimal-comma") != NULL);
}

/* The parser's shortcut for plain decimals must give exactly strtod's double: 200,000
 * random numbers of 1 to 19 digits, with and without a point, sign and exponent (the
 * shortcut covers up to 16 significant digits and powers of ten up to 22; the rest goes to
 * strtod), compared bit for bit. */
TEST(io_csv, decimals_match_strtod_bit_for_bit)
{
    uint64_t x = 0x2545F4914F6CDD1DULL;
    char buf[64];
    for (int n = 0; n < 200000; n++) {
        size_t len = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (x % 3 == 0)
            buf[len++] = '-';
        int ndig = 1 + (int)((x >> 8) % 19), point = (int)((x >> 16) % (unsigned)(ndig + 2)) - 1;
        int zeros = (int)((x >> 24) % 4); /* leading zeros, as in 0.000273 */
        for (int i = 0; i < zeros; i++)
            buf[len++] = '0';
        for (int i = 0; i < ndig; i++) {
            if (i == point)
                buf[len++] = '.';
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            buf[len++] = (char)('0' + x % 10);
        }
        if ((x >> 32) % 5 == 0)
            len += (size_t)sprintf(buf + len, "e%d", (int)((x >> 40) % 61) - 30);
        buf[len] = 0;
        double got, want = strtod(buf, NULL);
        ASSERT_MSG(wb_parse_number(&got, buf, len, 0) == 0, "'%s' refused: %s", buf, wb_error_last()->message);
        ASSERT_MSG(memcmp(&got, &want, sizeof got) == 0, "'%s': %.17g, strtod %.17g", buf, got, want);
        for (size_t i = 0; i < len; i++)
            if (buf[i] == '.')
                buf[i] = ',';
        ASSERT(wb_parse_number(&got, buf, len, 1) == 0 && memcmp(&got, &want, sizeof got) == 0);
    }
}

TEST(io_csv, decimal_comma)
{
    wb_csv_opts o = WB_CSV_OPTS_INIT;
    o.decimal_comma = 1;
    o.name = "dc.csv";
    const char *text = "code;v\nGM0363;12,5\nGM0362;-0,25\nGM0361;1.5\n";
    wb_csv *c = NULL;
    WB_PASS(wb_csv_open_buffer(&c, text, strlen(text), &o));
    double v;
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_I(wb_csv_number(c, 1, &v), 0);
    ASSERT_CLOSE(v, 12.5, 0);
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_I(wb_csv_number(c, 1, &v), 0);
    ASSERT_CLOSE(v, -0.25, 0);
    ASSERT_EQ_I(wb_csv_next(c), 1);
    WB_FAILS(WB_EPARSE, wb_csv_number(c, 1, &v));
    ASSERT(strstr(wb_error_last()->message, "dc.csv:4:8: column 'v': expected a number with a decimal comma") != NULL);
    wb_csv_free(c);
}

TEST(io_csv, years_and_statline_periods)
{
    int y;
    WB_PASS(wb_parse_year(&y, "2019JJ00", 8));
    ASSERT_EQ_I(y, 2019);
    WB_PASS(wb_parse_year(&y, " 2014 ", 6));
    ASSERT_EQ_I(y, 2014);
    WB_FAILS(WB_EINVALID, wb_parse_year(&y, "2019KW01", 8));
    WB_FAILS(WB_EINVALID, wb_parse_year(&y, "1799", 4));
    WB_FAILS(WB_EINVALID, wb_parse_year(&y, "20190", 5));
    WB_FAILS(WB_EINVALID, wb_parse_year(&y, "", 0));
}

TEST(io_csv, field_count_must_match_the_header)
{
    ASSERT(read_fails("a,b,c\n1,2,3\n1,2\n", "t.csv:3: expected 3 fields as in the header (delimiter ','), got 2"));
    ASSERT(read_fails("a,b\n1,2,3\n", "t.csv:2: expected 2 fields"));
    /* a row written with another delimiter */
    ASSERT(read_fails("a,b,c\n1;2;3\n", "t.csv:2: expected 3 fields"));
}

/* A header cell becomes an indicator label and alias: one of 10 MB would be served on every
 * page load. Cells and the number of columns are bounded, with the position of the culprit. */
TEST(io_csv, header_cells_and_columns_are_bounded)
{
    size_t big = 10u << 20;
    char *text = malloc(big + 64);
    ASSERT(text);
    int n = snprintf(text, 64, "code,a_inw,");
    memset(text + n, 'x', big);
    memcpy(text + n + big, "\n1,2,3\n", 8);
    ASSERT(open_fails(text, (size_t)n + big + 7, "t.csv:1:12: column 3: a header cell of 10485760 bytes: expected a column name of at most 256 bytes"));
    /* exactly at the limit is fine */
    n = snprintf(text, 64, "code,");
    memset(text + n, 'y', WB_CSV_MAX_HEADER_BYTES);
    memcpy(text + n + WB_CSV_MAX_HEADER_BYTES, "\nGM0363,1\n", 11);
    wb_csv_opts o = WB_CSV_OPTS_INIT;
    o.name = "t.csv";
    wb_csv *c = NULL;
    WB_PASS(wb_csv_open_buffer(&c, text, (size_t)n + WB_CSV_MAX_HEADER_BYTES + 10, &o));
    ASSERT_EQ_I(strlen(wb_csv_header(c, 1)), WB_CSV_MAX_HEADER_BYTES);
    wb_csv_free(c);
    /* too many columns */
    size_t len = 0;
    for (int i = 0; i <= WB_CSV_MAX_COLUMNS; i++)
        len += (size_t)snprintf(text + len, 32, "%sc%d", i ? "," : "", i);
    text[len++] = '\n';
    char msg[160];
    snprintf(msg, sizeof msg, "t.csv:1: %d columns: expected at most %d", WB_CSV_MAX_COLUMNS + 1, WB_CSV_MAX_COLUMNS);
    ASSERT(open_fails(text, len, msg));
    free(text);
}

TEST(io_csv, truncated_file_unterminated_quote)
{
    ASSERT(read_fails("a,b\n1,\"abc\n2,3\n", "expected a closing quote for the field opened at line 2, column 3, got the end of the file"));
    ASSERT(read_fails("a,b\n1,\"x\"y\n", "t.csv:2:6: expected the delimiter ',' or the end of the line after a closing quote, got 'y'"));
}

TEST(io_csv, input_must_be_utf8)
{
    /* Windows-1252 e-acute in a name: line 2, column 6 */
    ASSERT(read_fails("a,b\nx,Caf\xE9,\n", "t.csv:2:6: expected UTF-8 text, got byte 0xE9"));
    ASSERT(read_fails("a\n\"\xE9\"\n", "t.csv:2:2: expected UTF-8 text, got byte 0xE9"));
    ASSERT(read_fails("a\n\xC0\x80\n", "got byte 0xC0"));         /* overlong NUL */
    ASSERT(read_fails("a\n\xED\xA0\x80\n", "got byte 0xED"));     /* a surrogate */
    ASSERT(read_fails("a\n\xF4\x90\x80\x80\n", "got byte 0xF4")); /* above U+10FFFF */
    ASSERT(read_fails("a\n\x80\n", "got byte 0x80"));             /* stray continuation */
    ASSERT(read_fails("a\nx\xE2\x82\n", "got byte 0xE2"));        /* cut short at the end */
    static const char nul[] = "a\nx\0y\n";
    wb_csv *c = NULL;
    WB_PASS(wb_csv_open_buffer(&c, nul, sizeof nul - 1, NULL));
    WB_FAILS(WB_EPARSE, wb_csv_next(c));
    ASSERT(strstr(wb_error_last()->message, "NUL byte") != NULL);
    wb_csv_free(c);
    ASSERT(open_fails("\xFF\xFE" "a\0,\0", 6, "UTF-16"));
    ASSERT(open_fails("", 0, "expected a header line, got an empty file"));
    /* valid multi-byte text passes, and columns count characters */
    c = open_str("naam,x\n\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80,y\n", 0);
    ASSERT_EQ_I(wb_csv_next(c), 1);
    ASSERT_EQ_S(wb_csv_field(c, 0, NULL), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    size_t line, col;
    wb_csv_pos(c, 1, &line, &col);
    ASSERT_EQ_I(col, 5);
    wb_csv_free(c);
}

/* A file larger than the reader's block (256 KiB), so that fields, quoted line breaks and
 * multi-byte characters straddle block boundaries; the expected values are generated
 * alongside. */
TEST(io_csv, streams_across_block_boundaries)
{
    const char *path = wbt_tmp("big.csv");
    FILE *f = fopen(path, "wb");
    ASSERT(f != NULL);
    fputs("code,naam,v\n", f);
    const size_t nrows = 40000;
    for (size_t i = 0; i < nrows; i++) {
        if (i % 3 == 0)
            fprintf(f, "BU%08zu,\"caf\xC3\xA9 \"\"%zu\"\"\n2e regel\",%zu.5\n", i, i, i);
        else
            fprintf(f, "BU%08zu,naam \xE2\x82\xAC%zu,%zu.5\r\n", i, i, i);
    }
    fclose(f);
    wb_csv *c = NULL;
    WB_PASS(wb_csv_open(&c, path, NULL));
    size_t n = 0, line = 2;
    int r;
    char want[128];
    while ((r = wb_csv_next(c)) > 0) {
        char code[WB_CODE_MAX];
        double v;
        WB_PASS(wb_csv_code(c, 0, code, NULL, WB_LEVEL__MAX));
        snprintf(want, sizeof want, "BU%08zu", n);
        ASSERT_EQ_S(code, want);
        if (n % 3 == 0)
            snprintf(want, sizeof want, "caf\xC3\xA9 \"%zu\"\n2e regel", n);
        else
            snprintf(want, sizeof want, "naam \xE2\x82\xAC%zu", n);
        ASSERT_EQ_S(wb_csv_field(c, 1, NULL), want);
        ASSERT_EQ_I(wb_csv_number(c, 2, &v), 0);
        ASSERT_CLOSE(v, (double)n + 0.5, 0);
        ASSERT_EQ_I(wb_csv_line(c), line);
        line += n % 3 == 0 ? 2 : 1;
        n++;
    }
    WB_PASS(r);
    ASSERT_EQ_I(n, nrows);
    uint64_t done, total;
    wb_csv_progress(c, &done, &total);
    ASSERT(total > 3 * 256 * 1024);
    ASSERT_EQ_I(done, total);
    wb_csv_free(c);
}

TEST(io_csv, a_header_longer_than_a_block_is_sniffed)
{
    const char *path = wbt_tmp("wide.csv");
    FILE *f = fopen(path, "wb");
    ASSERT(f != NULL);
    /* about 400 KiB of header (more than a 256 KiB block) in the columns allowed */
    const size_t ncols = WB_CSV_MAX_COLUMNS - 96;
    static const char pad[] = "met een lange omschrijving van wat deze kolom bevat, in de woorden van het CBS";
    for (size_t i = 0; i < ncols; i++)
        fprintf(f, "%s\"kolom, nummer %zu %s\"", i ? ";" : "", i, pad);
    fputc('\n', f);
    for (size_t i = 0; i < ncols; i++)
        fprintf(f, "%s%zu", i ? ";" : "", i);
    fputc('\n', f);
    fclose(f);
    wb_csv *c = NULL;
    WB_PASS(wb_csv_open(&c, path, NULL));
    ASSERT_EQ_I(wb_csv_delimiter(c), ';');
    ASSERT_EQ_I(wb_csv_ncols(c), ncols);
    char last[256];
    snprintf(last, sizeof last, "kolom, nummer %zu %s", ncols - 1, pad);
    ASSERT_EQ_S(wb_csv_header(c, ncols - 1), last);
    ASSERT_EQ_I(wb_csv_next(c), 1);
    snprintf(last, sizeof last, "%zu", ncols - 1);
    ASSERT_EQ_S(wb_csv_field(c, ncols - 1, NULL), last);
    wb_csv_free(c);
}

TEST(io_csv, missing_file_and_directory)
{
    wb_csv *c = NULL;
    WB_FAILS(WB_ENOTFOUND, wb_csv_open(&c, wbt_tmp("none.csv"), NULL));
    ASSERT(strstr(wb_error_last()->message, "none.csv: no such file") != NULL);
    WB_FAILS(WB_EIO, wb_csv_open(&c, wbt_tmpdir(), NULL));
    ASSERT(strstr(wb_error_last()->message, "is a directory") != NULL);
    ASSERT(c == NULL);
}

TEST(io_csv, every_allocation_failure_is_reported_not_crashed)
{
    const char *text = "a,\"b\"\n\"1\n2\",3\nx,\xC3\xA9\n";
    for (long n = 0; n < 40; n++) {
        wb_alloc_fail_after(n);
        wb_csv *c = NULL;
        int r = wb_csv_open_buffer(&c, text, strlen(text), NULL);
        while (r >= 0 && (r = wb_csv_next(c)) > 0)
            ;
        wb_alloc_fail_after(-1);
        ASSERT(r == 0 || r == WB_ENOMEM);
        wb_csv_free(c);
    }
}

/* Random inputs made of the bytes that matter (quotes, delimiters, line ends, UTF-8 pieces,
 * invalid bytes) with a fixed seed: the reader never crashes or reads out of bounds (ASan),
 * records start on non-decreasing lines, and fields never contain a NUL. */
TEST(io_csv, random_inputs_are_handled)
{
    static const char alphabet[] = "a1.,;\t\"\"\n\r \xC3\xA9\xE2\x82\xAC\xFF\xED\xA0";
    uint64_t state = 42;
    char buf[512];
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = 0, want = 1 + (size_t)(iter % 500);
        while (len < want) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            buf[len++] = alphabet[state % (sizeof alphabet - 1)];
        }
        wb_csv *c = NULL;
        if (wb_csv_open_buffer(&c, buf, len, NULL) < 0)
            continue;
        size_t last = 0;
        int r;
        while ((r = wb_csv_next(c)) > 0) {
            ASSERT(wb_csv_line(c) >= last);
            last = wb_csv_line(c);
            for (size_t i = 0; i < wb_csv_ncols(c); i++) {
                size_t flen;
                const char *f = wb_csv_field(c, i, &flen);
                ASSERT_EQ_I(strlen(f), flen);
            }
        }
        ASSERT(r == 0 || r == WB_EPARSE);
        wb_csv_free(c);
    }
}
