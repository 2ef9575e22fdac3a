/** @file @brief Tests of CBS area code handling and levels. */
#include "test.h"

static const char *norm(const char *in, wb_level hint, wb_level *lvl)
{
    static char out[WB_CODE_MAX];
    if (wb_code_normalize(out, lvl, in, strlen(in), hint) < 0)
        return NULL;
    return out;
}

TEST(core_codes, padded_and_lowercase_codes)
{
    wb_level l;
    ASSERT_EQ_S(norm("GM0363    ", WB_LEVEL__MAX, &l), "GM0363");
    ASSERT_EQ_I(l, WB_LEVEL_GEMEENTE);
    ASSERT_EQ_S(norm("  wk036300", WB_LEVEL__MAX, &l), "WK036300");
    ASSERT_EQ_I(l, WB_LEVEL_WIJK);
    ASSERT_EQ_S(norm("\"BU03630000\"", WB_LEVEL__MAX, &l), "BU03630000");
    ASSERT_EQ_I(l, WB_LEVEL_BUURT);
    ASSERT_EQ_S(norm("NL00", WB_LEVEL__MAX, &l), "NL00");
    ASSERT_EQ_I(l, WB_LEVEL_LAND);
}

TEST(core_codes, bare_numbers_need_a_level_unless_full_length)
{
    wb_level l;
    ASSERT_EQ_S(norm("363", WB_LEVEL_GEMEENTE, &l), "GM0363");
    ASSERT_EQ_S(norm("36300", WB_LEVEL_WIJK, &l), "WK036300");
    ASSERT_EQ_S(norm("03630000", WB_LEVEL__MAX, &l), "BU03630000");
    ASSERT_EQ_I(l, WB_LEVEL_BUURT);
    ASSERT(norm("363", WB_LEVEL__MAX, &l) == NULL);
    ASSERT(strstr(wb_error_last()->message, "give the level") != NULL);
}

TEST(core_codes, malformed_codes_are_rejected_with_reason)
{
    wb_level l;
    ASSERT(norm("GM363", WB_LEVEL__MAX, &l) == NULL);
    ASSERT(strstr(wb_error_last()->message, "GM followed by 4 digits") != NULL);
    ASSERT(norm("WK036A00", WB_LEVEL__MAX, &l) == NULL);
    ASSERT(norm("WK0363a-", WB_LEVEL__MAX, &l) == NULL);
    /* since 2022 CBS uses letters after the gemeente number (KWB 2024: WK0363AA) */
    ASSERT_EQ_S(norm("wk0363aa", WB_LEVEL__MAX, &l), "WK0363AA");
    ASSERT_EQ_I(l, WB_LEVEL_WIJK);
    ASSERT_EQ_S(norm("BU0363AA01", WB_LEVEL__MAX, &l), "BU0363AA01");
    ASSERT(norm("BU0363000", WB_LEVEL__MAX, &l) == NULL);
    ASSERT(norm("   ", WB_LEVEL__MAX, &l) == NULL);
    ASSERT(norm("a b", WB_LEVEL__MAX, &l) == NULL);
    ASSERT_EQ_S(norm("grid_E1234N5678", WB_LEVEL__MAX, &l), "grid_E1234N5678");
    ASSERT_EQ_I(l, WB_LEVEL_OTHER);
}

TEST(core_codes, parents_follow_the_cbs_hierarchy)
{
    char p[WB_CODE_MAX];
    WB_PASS(wb_code_parent(p, "BU03630001"));
    ASSERT_EQ_S(p, "WK036300");
    WB_PASS(wb_code_parent(p, "WK036300"));
    ASSERT_EQ_S(p, "GM0363");
    WB_PASS(wb_code_parent(p, "GM0363"));
    ASSERT_EQ_S(p, "NL00");
    WB_PASS(wb_code_parent(p, "BU0363AA01"));
    ASSERT_EQ_S(p, "WK0363AA");
    WB_FAILS(WB_ENOTFOUND, wb_code_parent(p, "NL00"));
    WB_FAILS(WB_ENOTFOUND, wb_code_parent(p, "grid1"));
}

TEST(core_codes, levels_parse_in_dutch_and_english)
{
    wb_level l;
    WB_PASS(wb_level_parse(&l, "Buurt"));
    ASSERT_EQ_I(l, WB_LEVEL_BUURT);
    WB_PASS(wb_level_parse(&l, "municipality"));
    ASSERT_EQ_I(l, WB_LEVEL_GEMEENTE);
    WB_FAILS(WB_EINVALID, wb_level_parse(&l, "provincie"));
    ASSERT_EQ_S(wb_level_name(WB_LEVEL_WIJK), "wijk");
}

TEST(core_str, grows_and_formats)
{
    wb_str s = WB_STR_INIT;
    ASSERT_EQ_S(wb_str_cstr(&s), "");
    for (int i = 0; i < 1000; i++)
        WB_PASS(wb_str_printf(&s, "%d,", i));
    ASSERT(s.len > 3000);
    ASSERT(!strncmp(s.ptr, "0,1,2,", 6));
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    wb_str_clear(&s);
    WB_PASS(wb_str_printf(&s, "[%s]", big));
    ASSERT_EQ_I(s.len, 601);
    char *d = wb_str_detach(&s);
    ASSERT(d[0] == '[' && d[600] == ']');
    wb_free(d);
    ASSERT(s.ptr == NULL);
}

TEST(core_alloc, injected_failure_reports_enomem)
{
    wb_str s = WB_STR_INIT;
    wb_alloc_fail_after(0);
    WB_FAILS(WB_ENOMEM, wb_str_puts(&s, "x"));
    ASSERT_EQ_I(wb_error_last()->klass, WB_ERRCLASS_NOMEM);
    wb_alloc_fail_after(-1);
    WB_PASS(wb_str_puts(&s, "x"));
    wb_str_dispose(&s);
}
