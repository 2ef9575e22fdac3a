/** @file @brief The command-line program: help, usage errors, empty database. */
#include <stdlib.h>

#include "test.h"

TEST(cli, help_lists_commands)
{
    wbt_run_result r = wbt_run(NULL, "help");
    ASSERT_EQ_I(r.status, 0);
    ASSERT(strstr(r.out, "export values") != NULL);
    wbt_run_free(&r);
}

TEST(cli, unknown_command_and_option_fail_with_one_line)
{
    wbt_run_result r = wbt_run(NULL, "frobnicate");
    ASSERT(r.status != 0);
    ASSERT_EQ_I(wbt_count_lines(r.err), 1);
    ASSERT(strstr(r.err, "unknown command 'frobnicate'") != NULL);
    wbt_run_free(&r);
    r = wbt_run(NULL, "areas --bogus 1");
    ASSERT(r.status != 0);
    ASSERT(strstr(r.err, "unknown option '--bogus'") != NULL);
    wbt_run_free(&r);
}

TEST(cli, missing_database_is_a_clear_error)
{
    wbt_run_result r = wbt_run(NULL, "--db nothere.db areas");
    ASSERT_EQ_I(r.status, 1);
    ASSERT(strstr(r.err, "nothere.db: no such database") != NULL);
    wbt_run_free(&r);
}
