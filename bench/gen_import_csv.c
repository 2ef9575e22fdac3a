/**
 * @file
 * @brief Writes a realistic area-keyed CSV for the import benchmark (bench/import.sh):
 * buurt codes BUggggwwbb of 350 gemeenten x 12 wijken x 12 buurten (50,400 buurten) for the
 * years 2003-2022, one row per buurt and year, with four indicator columns (a_inw, g_woz,
 * p_koopw, lbm) and about 2% CBS missing markers ('.'). A fixed-seed generator (xorshift)
 * makes the file identical on every machine.
 *
 * usage: gen_import_csv ROWS > file.csv   (default 1000000 rows)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static double unif(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (double)(state >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    enum { NGM = 350, NWK = 12, NBU = 12, Y0 = 2003, NY = 20 };
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    printf("code,jaar,a_inw,g_woz,p_koopw,lbm\n");
    long n = 0;
    for (int y = 0; y < NY && n < rows; y++)
        for (int g = 0; g < NGM && n < rows; g++)
            for (int w = 0; w < NWK && n < rows; w++)
                for (int b = 0; b < NBU && n < rows; b++, n++) {
                    /* gemeente numbers spread like the real ones (0003 .. 1987) */
                    int gm = 3 + g * 5 + (g % 3);
                    printf("BU%04d%02d%02d,%d,", gm, w, b, Y0 + y);
                    if (unif() < 0.02)
                        printf(".,");
                    else
                        printf("%d,", (int)(200 + unif() * 4800));
                    if (unif() < 0.02)
                        printf(".,");
                    else
                        printf("%.0f,", 120 + unif() * 600);
                    printf("%.1f,", unif() * 100);
                    if (unif() < 0.02)
                        printf(".\n");
                    else
                        printf("%.4f\n", unif() - 0.5);
                }
    return fflush(stdout) == 0 ? 0 : 1;
}
