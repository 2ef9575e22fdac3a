/** @file @brief Raw counts of the SES-WOA 2019 Amsterdam file (see the header). */
#include <math.h>
#include <string.h>

#include "stats/ses_woa_raw.h"
#include "test.h"

void wbt_ses_woa_raw(const char *path, wbt_ses_stats *st)
{
    memset(st, 0, sizeof *st);
    wb_csv *c = NULL;
    WB_PASS(wb_csv_open(&c, path, NULL));
    ASSERT_EQ_I(wb_csv_ncols(c), 9);
    ASSERT(strstr(wb_csv_header(c, 2), "Regiocode") != NULL);
    ASSERT_EQ_S(wb_csv_header(c, 3), "Particuliere huishoudens (Aantal)");
    ASSERT_EQ_S(wb_csv_header(c, 4), "Opleidingsniveau/Laag/Waarde (%)");
    ASSERT_EQ_S(wb_csv_header(c, 6), "Opleidingsniveau/Hoog/Waarde (%)");
    int r;
    while ((r = wb_csv_next(c)) > 0) {
        st->rows++;
        const char *code = wb_csv_field(c, 2, NULL);
        code += strspn(code, " ");
        if (strncmp(code, "BU", 2))
            continue;
        st->buurten++;
        double v[4]; /* households, laag, middelbaar, hoog; NaN for '.' */
        for (int i = 0; i < 4; i++)
            ASSERT(wb_csv_number(c, (size_t)(3 + i), &v[i]) >= 0);
        if (v[0] == 0)
            st->bu_empty++;
        else if (isnan(v[0]) || isnan(v[1]) || isnan(v[2]) || isnan(v[3]))
            st->bu_missing++;
        else
            st->bu_pop += v[0] * (v[1] + v[2] + v[3]) / 100.0;
    }
    WB_PASS(r);
    wb_csv_free(c);
}
