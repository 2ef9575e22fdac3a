/**
 * @file
 * @brief The built-in indicator catalogue: keys, Dutch and English labels, units, direction,
 * dimension, source, and the names under which CBS and the Leefbaarometer published them.
 *
 * Sources of the aliases: the CBS kwb-YYYY tables (short names such as a_inw, g_woz,
 * g_ink_pi, older ones such as aant_inw, woz, ink_inw, p_00_14_jr, and g_wozbag, the name of
 * g_woz in the tables since the WOZ came from the BAG), the attribute names of the CBS Wijk- en
 * Buurtkaart (AANT_INW, BEV_DICHTH, G_GAS_WON, G_ELEK_WON, STED, OAD ... in upper case), the
 * StatLine keys of
 * the typed data sets without their numeric suffix (AantalInwoners_5 -> AantalInwoners; the
 * suffix changes from year to year, so resolution strips it), the StatLine titles as they
 * appear in CSV downloads ("Aantal inwoners", "Particuliere huishoudens (Aantal)", the
 * SES-WOA titles of 85163NED) and the Leefbaarometer 2.0 column names (RLBRMTR ...). The
 * Leefbaarometer 3.0 short names (afw, won, ...) are too generic for a global alias and are
 * mapped by the LBM importer only.
 *
 * Not verified against every yearly table: CBS published some of these (age groups,
 * migration background) as percentages in older years under the same StatLine key. With a
 * codebook the KWB importer compares units and keeps such a column apart (see kwb.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "wijkbeeld/errors.h"
#include "wijkbeeld/io.h"
#include "wijkbeeld/store.h"

#define KWB "CBS Kerncijfers Wijken en Buurten"
#define LBM2 "Leefbaarometer (BZK/RIGO)"
#define SES "CBS SES-WOA (85163NED)"
#define POL "Politie / CBS (47018NED)"

/* The dimensions: one vocabulary for the catalogue, the demo and the score models
 * (the models in models/ name their [dimension ...] sections with these keys). */
#define WON "wonen"
#define BEW "bewoners"
#define VRZ "voorzieningen"
#define VEI "veiligheid"
#define FYS "fysiek"
#define DUU "duurzaamheid"

static const wb_catalog_dimension dimensions[] = {
    {WON, "wonen (woningvoorraad)", "housing"},
    {BEW, "bewoners (sociale samenhang, inkomen, opleiding)", "residents"},
    {VRZ, "voorzieningen", "amenities"},
    {VEI, "veiligheid (overlast en onveiligheid)", "safety"},
    {FYS, "fysieke omgeving", "physical environment"},
    {DUU, "duurzaamheid (energie)", "sustainability"},
};

static const wb_catalog_entry catalog[] = {
    /* ---- Leefbaarometer (fixed keys, used by the score and trend modules) */
    {"lbm", "Leefbaarometer: totaalscore (afwijking van het landelijk gemiddelde)",
     "Leefbaarometer: total score (deviation from the national mean)", "score", 1, NULL, LBM2,
     "RLBRMTR"},
    {"lbm_won", "Leefbaarometer: woningvoorraad", "Leefbaarometer: housing stock", "score", 1, WON, LBM2,
     "RLBWON"},
    {"lbm_soc", "Leefbaarometer: bewoners / sociale samenhang",
     "Leefbaarometer: residents / social cohesion", "score", 1, BEW, LBM2, "RLBBEV"},
    {"lbm_vrz", "Leefbaarometer: voorzieningen", "Leefbaarometer: amenities", "score", 1, VRZ,
     LBM2, "RLBVRZ"},
    {"lbm_onv", "Leefbaarometer: veiligheid / overlast en onveiligheid",
     "Leefbaarometer: safety / nuisance and insecurity", "score", 1, VEI, LBM2, "RLBVEI"},
    {"lbm_fys", "Leefbaarometer: fysieke omgeving", "Leefbaarometer: physical environment",
     "score", 1, FYS, LBM2, "RLBFYS"},
    {"lbm_klasse", "Leefbaarometer: klasse (1 zeer onvoldoende .. 9 uitstekend)",
     "Leefbaarometer: class (1 very insufficient .. 9 excellent)", "klasse 1-9", 1, NULL, LBM2,
     NULL},
    {"lbm_abs", "Leefbaarometer 3.0: totaalscore (absoluut)",
     "Leefbaarometer 3.0: total score (absolute)", "score", 1, NULL, LBM2, NULL},
    {"lbm_won_klasse", "Leefbaarometer: klasse woningen", "Leefbaarometer: class housing",
     "klasse 1-9", 1, WON, LBM2, NULL},
    {"lbm_soc_klasse", "Leefbaarometer: klasse sociale samenhang",
     "Leefbaarometer: class social cohesion", "klasse 1-9", 1, BEW, LBM2, NULL},
    {"lbm_vrz_klasse", "Leefbaarometer: klasse voorzieningen", "Leefbaarometer: class amenities",
     "klasse 1-9", 1, VRZ, LBM2, NULL},
    {"lbm_onv_klasse", "Leefbaarometer: klasse overlast en onveiligheid",
     "Leefbaarometer: class nuisance and insecurity", "klasse 1-9", 1, VEI, LBM2, NULL},
    {"lbm_fys_klasse", "Leefbaarometer: klasse fysieke omgeving",
     "Leefbaarometer: class physical environment", "klasse 1-9", 1, FYS, LBM2, NULL},

    /* ---- population */
    {"a_inw", "Aantal inwoners", "Inhabitants", "aantal", 0, BEW, KWB,
     "aant_inw|AantalInwoners|Aantal inwoners|Bevolking/Aantal inwoners|inwoners"},
    {"a_man", "Mannen", "Men", "aantal", 0, BEW, KWB, "aant_man|Mannen"},
    {"a_vrouw", "Vrouwen", "Women", "aantal", 0, BEW, KWB, "aant_vrouw|Vrouwen"},
    {"a_00_14", "Inwoners 0 tot 15 jaar", "Inhabitants aged 0-14", "aantal", 0, BEW, KWB,
     "k_0Tot15Jaar|0 tot 15 jaar"},
    {"a_15_24", "Inwoners 15 tot 25 jaar", "Inhabitants aged 15-24", "aantal", 0, BEW, KWB,
     "k_15Tot25Jaar|15 tot 25 jaar"},
    {"a_25_44", "Inwoners 25 tot 45 jaar", "Inhabitants aged 25-44", "aantal", 0, BEW, KWB,
     "k_25Tot45Jaar|25 tot 45 jaar"},
    {"a_45_64", "Inwoners 45 tot 65 jaar", "Inhabitants aged 45-64", "aantal", 0, BEW, KWB,
     "k_45Tot65Jaar|45 tot 65 jaar"},
    {"a_65_oo", "Inwoners 65 jaar of ouder", "Inhabitants aged 65 or older", "aantal", 0, BEW,
     KWB, "k_65JaarOfOuder|65 jaar of ouder"},
    {"p_00_14", "Inwoners 0 tot 15 jaar (%)", "Inhabitants aged 0-14 (%)", "%", 0, BEW, KWB,
     "p_00_14_jr"},
    {"p_15_24", "Inwoners 15 tot 25 jaar (%)", "Inhabitants aged 15-24 (%)", "%", 0, BEW, KWB,
     "p_15_24_jr"},
    {"p_25_44", "Inwoners 25 tot 45 jaar (%)", "Inhabitants aged 25-44 (%)", "%", 0, BEW, KWB,
     "p_25_44_jr"},
    {"p_45_64", "Inwoners 45 tot 65 jaar (%)", "Inhabitants aged 45-64 (%)", "%", 0, BEW, KWB,
     "p_45_64_jr"},
    {"p_65_oo", "Inwoners 65 jaar of ouder (%)", "Inhabitants aged 65 or older (%)", "%", 0, BEW,
     KWB, "p_65_eo_jr"},
    {"a_w_all", "Westerse migratieachtergrond", "Western migration background", "aantal", 0, BEW,
     KWB, "WestersTotaal|a_west"},
    {"a_nw_all", "Niet-westerse migratieachtergrond", "Non-western migration background",
     "aantal", 0, BEW, KWB, "NietWestersTotaal|a_nwest"},
    {"p_w_all", "Westerse migratieachtergrond (%)", "Western migration background (%)", "%", 0,
     BEW, KWB, "P_WEST_AL"},
    {"p_nw_all", "Niet-westerse migratieachtergrond (%)", "Non-western migration background (%)",
     "%", 0, BEW, KWB, "P_N_W_AL"},
    {"bev_dich", "Bevolkingsdichtheid", "Population density", "inwoners per km2", 0, FYS, KWB,
     "BEV_DICHTH|BevolkingsdichtheidInwonersPerKm2|Bevolkingsdichtheid"},

    /* ---- households */
    {"a_hh", "Particuliere huishoudens", "Private households", "aantal", 0, BEW, KWB,
     "aantal_hh|HuishoudensTotaal|Huishoudens totaal|Particuliere huishoudens|"
     "ParticuliereHuishoudens"},
    {"g_hhgro", "Gemiddelde huishoudensgrootte", "Average household size", "personen", 0, BEW,
     KWB, "GEM_HH_GR|GemiddeldeHuishoudensgrootte|Gemiddelde huishoudensgrootte"},

    /* ---- housing */
    {"a_woning", "Woningvoorraad", "Dwellings", "aantal", 0, WON, KWB,
     "woningen|Woningvoorraad|a_won"},
    {"g_woz", "Gemiddelde WOZ-waarde van woningen", "Average property value (WOZ)",
     "x 1000 euro", 1, WON, KWB,
     "woz|g_wozbag|GemiddeldeWOZWaardeVanWoningen|GemiddeldeWoningwaarde|"
     "Gemiddelde WOZ-waarde van woningen|Gemiddelde woningwaarde"},
    {"p_koopw", "Koopwoningen", "Owner-occupied dwellings", "%", 0, WON, KWB,
     "P_KOOPWON|Koopwoningen"},
    {"p_huurw", "Huurwoningen", "Rented dwellings", "%", 0, WON, KWB,
     "P_HUURWON|HuurwoningenTotaal|Huurwoningen totaal"},
    {"p_wcorpw", "Huurwoningen in bezit van woningcorporaties", "Social rented dwellings "
     "(housing associations)", "%", 0, WON, KWB,
     "InBezitWoningcorporatie|In bezit woningcorporatie|p_wcorp"},
    {"p_ov_hw", "Huurwoningen in bezit van overige verhuurders", "Dwellings rented by other "
     "landlords", "%", 0, WON, KWB, "InBezitOverigeVerhuurders|In bezit overige verhuurders"},
    {"p_1gezw", "Eengezinswoningen", "Single-family dwellings", "%", 0, WON, KWB,
     "PercentageEengezinswoning|Percentage eengezinswoning"},
    {"p_mgezw", "Meergezinswoningen", "Multi-family dwellings", "%", 0, WON, KWB,
     "PercentageMeergezinswoning|Percentage meergezinswoning"},
    {"p_leegsw", "Onbewoonde woningen", "Unoccupied dwellings", "%", -1, WON, KWB,
     "OnbewoondeWoningen|Onbewoonde woningen"},

    /* ---- income and social security */
    {"g_ink_pi", "Gemiddeld inkomen per inwoner", "Average income per inhabitant",
     "x 1000 euro", 1, BEW, KWB,
     "ink_inw|GemiddeldInkomenPerInwoner|Gemiddeld inkomen per inwoner"},
    {"g_ink_po", "Gemiddeld inkomen per inkomensontvanger", "Average income per income "
     "recipient", "x 1000 euro", 1, BEW, KWB,
     "ink_ontv|GemiddeldInkomenPerInkomensontvanger|"
     "Gemiddeld inkomen per inkomensontvanger"},
    {"p_hh_li", "Huishoudens met een laag inkomen", "Households with a low income", "%", -1, BEW,
     KWB, "HuishoudensMetEenLaagInkomen|Huishoudens met een laag inkomen"},
    {"p_hh_osm", "Huishoudens onder of rond het sociaal minimum", "Households at or below the "
     "social minimum", "%", -1, BEW, KWB,
     "HuishOnderOfRondSociaalMinimum|Huish. onder of rond sociaal minimum"},
    {"a_soz_wb", "Personen met een bijstandsuitkering", "Persons on social assistance",
     "aantal", 0, BEW, KWB,
     "PersonenPerSoortUitkeringBijstand|Personen per soort uitkering; Bijstand|a_bijstand"},
    {"p_soz_wb", "Bijstandsuitkeringen per 100 inwoners (afgeleid)", "Social assistance per "
     "100 inhabitants (derived)", "per 100 inwoners", -1, BEW, "afgeleid: a_soz_wb / a_inw",
     NULL},
    {"p_arb_pp", "Netto arbeidsparticipatie", "Net labour participation", "%", 1, BEW, KWB,
     "Nettoarbeidsparticipatie"},

    /* ---- education and SES (SES-WOA, 85163NED) */
    {"p_opl_laag", "Opleidingsniveau laag", "Low education level", "%", 0, BEW, SES,
     "Opleidingsniveau/Laag/Waarde|Opleidingsniveau laag"},
    {"p_opl_mid", "Opleidingsniveau middelbaar", "Intermediate education level", "%", 0, BEW,
     SES, "Opleidingsniveau/Middelbaar/Waarde|Opleidingsniveau middelbaar"},
    {"p_opl_hoog", "Opleidingsniveau hoog", "High education level", "%", 0, BEW, SES,
     "Opleidingsniveau/Hoog/Waarde|Opleidingsniveau hoog"},
    {"ses_woa", "SES-WOA totaalscore (gemiddelde)", "SES-WOA total score (mean)", "score", 1,
     BEW, SES, "SES-WOA/Totaalscore/Gemiddelde score|SES-WOA totaalscore"},
    {"ses_woa_spreiding", "SES-WOA spreiding", "SES-WOA spread", "score", 0, BEW, SES,
     "Spreiding/Spreiding totaal/Waarde|SES-WOA spreiding"},

    /* ---- safety */
    {"g_misdr", "Geregistreerde misdrijven per 1000 inwoners", "Registered crimes per 1000 "
     "inhabitants", "per 1000 inwoners", -1, VEI, KWB, "misdrijven_per_1000"},
    /* registered crime by family (import crime; the SoortMisdrijf codes per family are in
     * src/io/crime.c and docs/import.md) and per 1,000 inhabitants of the same area and year */
    {"misdr_totaal", "Geregistreerde misdrijven: totaal", "Registered crimes: total", "aantal", -1,
     VEI, POL, NULL},
    {"misdr_vermogen", "Geregistreerde misdrijven: vermogen (diefstal, inbraak)",
     "Registered crimes: property (theft, burglary)", "aantal", -1, VEI, POL, NULL},
    {"misdr_geweld", "Geregistreerde misdrijven: geweld (incl. straatroof, overval)",
     "Registered crimes: violence (incl. street robbery, hold-up)", "aantal", -1, VEI, POL, NULL},
    {"misdr_vernieling", "Geregistreerde misdrijven: vernieling en openbare orde",
     "Registered crimes: vandalism and public order", "aantal", -1, VEI, POL, NULL},
    {"misdr_totaal_p1000", "Geregistreerde misdrijven per 1.000 inwoners (afgeleid)",
     "Registered crimes per 1,000 inhabitants (derived)", "per 1000 inwoners", -1, VEI,
     "afgeleid: misdr_totaal / a_inw x 1000", NULL},
    {"misdr_vermogen_p1000", "Vermogensmisdrijven per 1.000 inwoners (afgeleid)",
     "Property crimes per 1,000 inhabitants (derived)", "per 1000 inwoners", -1, VEI,
     "afgeleid: misdr_vermogen / a_inw x 1000", NULL},
    {"misdr_geweld_p1000", "Geweldsmisdrijven per 1.000 inwoners (afgeleid)",
     "Violent crimes per 1,000 inhabitants (derived)", "per 1000 inwoners", -1, VEI,
     "afgeleid: misdr_geweld / a_inw x 1000", NULL},
    {"misdr_vernieling_p1000", "Vernieling en openbare orde per 1.000 inwoners (afgeleid)",
     "Vandalism and public order per 1,000 inhabitants (derived)", "per 1000 inwoners", -1, VEI,
     "afgeleid: misdr_vernieling / a_inw x 1000", NULL},

    /* ---- energy and sustainability */
    {"g_ele", "Gemiddeld elektriciteitsverbruik per woning", "Average electricity use per "
     "dwelling", "kWh", -1, DUU, KWB,
     "g_elek_won|GemiddeldElektriciteitsverbruikTotaal|GemiddeldeElektriciteitsleveringTotaal|"
     "Gemiddeld elektriciteitsverbruik totaal|Gemiddelde elektriciteitslevering totaal"},
    {"g_gas", "Gemiddeld aardgasverbruik per woning", "Average natural gas use per dwelling",
     "m3", -1, DUU, KWB,
     "g_gas_won|GemiddeldAardgasverbruikTotaal|Gemiddeld aardgasverbruik totaal"},
    {"p_stadsv", "Woningen met stadsverwarming", "Dwellings with district heating", "%", 0, DUU,
     KWB, "PercentageWoningenMetStadsverwarming|Percentage woningen met stadsverwarming"},

    /* ---- amenities */
    {"g_afs_hp", "Afstand tot huisartsenpraktijk", "Distance to a general practitioner", "km",
     -1, VRZ, KWB, "AfstandTotHuisartsenpraktijk|Afstand tot huisartsenpraktijk|AF_ARTSPR"},
    {"g_afs_gs", "Afstand tot grote supermarkt", "Distance to a large supermarket", "km", -1,
     VRZ, KWB, "AfstandTotGroteSupermarkt|Afstand tot grote supermarkt"},
    {"g_afs_kv", "Afstand tot kinderdagverblijf", "Distance to a day nursery", "km", -1, VRZ, KWB,
     "AfstandTotKinderdagverblijf|Afstand tot kinderdagverblijf"},
    {"g_afs_sc", "Afstand tot school", "Distance to a primary school", "km", -1, VRZ, KWB,
     "AfstandTotSchool|Afstand tot school"},

    /* ---- area and urbanity */
    {"a_opp_ha", "Oppervlakte totaal", "Total area", "ha", 0, NULL, KWB,
     "OPP_TOT|OppervlakteTotaal|Oppervlakte totaal"},
    {"a_lan_ha", "Oppervlakte land", "Land area", "ha", 0, NULL, KWB,
     "OPP_LAND|OppervlakteLand|Oppervlakte land"},
    {"a_wat_ha", "Oppervlakte water", "Water area", "ha", 0, NULL, KWB,
     "OPP_WATER|OppervlakteWater|Oppervlakte water"},
    {"ste_mvs", "Mate van stedelijkheid (1 zeer sterk .. 5 niet stedelijk)", "Degree of "
     "urbanisation (1 very strong .. 5 not urban)", "klasse 1-5", 0, FYS, KWB,
     "sted|MateVanStedelijkheid|Mate van stedelijkheid"},
    {"ste_oad", "Omgevingsadressendichtheid", "Address density of the surroundings", "per km2",
     0, FYS, KWB, "oad|Omgevingsadressendichtheid"},
};

const wb_catalog_entry *wb_catalog(size_t *n)
{
    *n = sizeof catalog / sizeof catalog[0];
    return catalog;
}

const wb_catalog_dimension *wb_catalog_dimensions(size_t *n)
{
    *n = sizeof dimensions / sizeof dimensions[0];
    return dimensions;
}

const wb_catalog_entry *wb_catalog_find(const char *key)
{
    for (size_t i = 0; key && i < sizeof catalog / sizeof catalog[0]; i++)
        if (!strcmp(catalog[i].key, key))
            return &catalog[i];
    return NULL;
}

/* Write one entry (insert, or update where it differs) and its aliases. */
static int seed_entry(wb_store *st, const wb_catalog_entry *e)
{
    wb_indicator ind = {0};
    ind.key = (char *)e->key;
    ind.label_nl = (char *)e->label_nl;
    ind.label_en = (char *)e->label_en;
    ind.unit = (char *)e->unit;
    ind.direction = e->direction;
    ind.dimension = (char *)e->dimension;
    ind.source = (char *)e->source;
    return wb_store_indicator_define(st, &ind, e->aliases);
}

int wb_catalog_seed(wb_store *st)
{
    int error = 0;
    for (size_t i = 0; error == 0 && i < sizeof catalog / sizeof catalog[0]; i++)
        error = seed_entry(st, &catalog[i]);
    return error;
}

int wb_catalog_ensure(wb_store *st, int64_t *id, const char *key)
{
    int r = wb_store_indicator_resolve(st, id, NULL, key);
    if (r != WB_ENOTFOUND)
        return r; /* there already (left as it is), or a store error */
    wb_error_clear();
    const wb_catalog_entry *e = wb_catalog_find(key);
    if (!e) {
        wb_error_set(WB_ERRCLASS_ARG, "indicator '%s' is not in the built-in catalogue (src/io/catalog.c)", key);
        return WB_ENOTFOUND;
    }
    if ((r = seed_entry(st, e)) < 0)
        return r;
    return wb_store_indicator_resolve(st, id, NULL, key);
}

/* ---------------------------------------------------------------- resolving headers */

static int lookup(wb_store *st, int64_t *id, char key[64], const char *name)
{
    if (!*name)
        return WB_ENOTFOUND;
    int r = wb_store_indicator_resolve(st, id, key, name);
    if (r == WB_ENOTFOUND)
        wb_error_clear();
    return r;
}

/* "Aantal inwoners (aantal)" -> "Aantal inwoners" (a trailing parenthesised unit). */
static int strip_unit(char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n < 3 || s[n - 1] != ')')
        return 0;
    size_t open = n - 1;
    while (open > 0 && s[open] != '(')
        open--;
    if (s[open] != '(' || open == 0)
        return 0;
    while (open > 0 && s[open - 1] == ' ')
        open--;
    s[open] = 0;
    return open > 0;
}

/* "AantalInwoners_5" -> "AantalInwoners": a StatLine key (CamelCase) with its numeric suffix. */
static int strip_statline_suffix(char *s)
{
    size_t n = strlen(s);
    size_t k = n;
    while (k > 0 && isdigit((unsigned char)s[k - 1]))
        k--;
    if (k == n || k < 2 || s[k - 1] != '_')
        return 0;
    int upper = 0; /* StatLine keys are CamelCase; p_00_14 is a short name, not key + suffix */
    for (size_t i = 0; i + 1 < k; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return 0;
        upper |= isupper((unsigned char)s[i]) != 0;
    }
    if (!upper)
        return 0;
    s[k - 1] = 0;
    return 1;
}

int wb_catalog_resolve(wb_store *st, int64_t *id, char key[64], const char *header)
{
    char buf[512];
    int r = lookup(st, id, key, header);
    if (r != WB_ENOTFOUND)
        return r;
    snprintf(buf, sizeof buf, "%s", header);
    if (strip_unit(buf)) {
        if ((r = lookup(st, id, key, buf)) != WB_ENOTFOUND)
            return r;
        /* "Bevolking/Aantal inwoners" -> "Aantal inwoners": StatLine CSV titles carry the
         * topic groups as a path */
        const char *slash = strrchr(buf, '/');
        if (slash && (r = lookup(st, id, key, slash + 1)) != WB_ENOTFOUND)
            return r;
    }
    snprintf(buf, sizeof buf, "%s", header);
    if (strip_statline_suffix(buf) && (r = lookup(st, id, key, buf)) != WB_ENOTFOUND)
        return r;
    char sk[64];
    if (wb_key_sanitize(sk, header) == 0 && strcmp(sk, header) &&
        (r = lookup(st, id, key, sk)) != WB_ENOTFOUND)
        return r;
    return WB_ENOTFOUND;
}

/* Fold a 2-byte UTF-8 Latin-1 letter (U+00C0..U+00FF) to ASCII; 0 if it is none. */
static char fold_latin1(unsigned cp)
{
    static const char map[64] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    if (cp < 0xC0 || cp > 0xFF)
        return 0;
    char ch = map[cp - 0xC0];
    return isalpha((unsigned char)ch) ? ch : 0;
}

int wb_key_sanitize(char out[64], const char *header)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", header);
    strip_unit(buf);
    strip_statline_suffix(buf);
    size_t n = 0;
    int pending_sep = 0;
    char prev = 0;
    for (const unsigned char *p = (const unsigned char *)buf; *p && n < 63; p++) {
        char ch = 0;
        if (*p < 0x80) {
            if (isalnum(*p))
                ch = (char)*p;
        } else if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
            ch = fold_latin1(((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F));
            p++;
        } else {
            while ((p[1] & 0xC0) == 0x80)
                p++;
        }
        if (!ch) {
            pending_sep = n > 0;
            prev = 0;
            continue;
        }
        /* CamelCase: a capital after a lower-case letter or digit starts a word */
        if (isupper((unsigned char)ch) && prev && (islower((unsigned char)prev) || isdigit((unsigned char)prev)))
            pending_sep = 1;
        if (pending_sep && n > 0 && n < 62) {
            out[n++] = '_';
        }
        pending_sep = 0;
        prev = ch;
        out[n++] = (char)tolower((unsigned char)ch);
    }
    while (n && out[n - 1] == '_')
        n--;
    out[n] = 0;
    if (n == 0) {
        wb_error_set(WB_ERRCLASS_ARG, "no usable indicator key in column name '%s'", header);
        return WB_EINVALID;
    }
    if (isdigit((unsigned char)out[0])) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "c_%s", out);
        memcpy(out, tmp, 64);
        out[63] = 0;
    }
    return 0;
}
