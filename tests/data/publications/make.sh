#!/usr/bin/env bash
# Regenerates the fixtures of tests/data/publications (see README.md there): small files in the
# layouts CBS, the police and the Leefbaarometer publish, with the values of one fictional
# gemeente (GM0999 Proefstad). The files are committed; make check does not run this.
#
# Needs ogr2ogr (gdal-bin) for the .xlsx and .gpkg files and Perl's Spreadsheet::WriteExcel
# for the .xls file (BIFF, which GDAL cannot write): scripts/install-deps.sh --fixtures.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OGR_XLSX_FIELD_TYPES=AUTO

# ---------------------------------------------------------------- kwb-2023.xlsx
# The yearly table as CBS publishes it: one sheet, the short names in the first row, a row per
# gemeente, wijk and buurt. Numbers are number cells; g_wozbag is a text column in which '.'
# marks a missing figure; an empty cell is missing too (p_koopw of BU09990201).
cat >"$tmp/kwb-2023.csv" <<'EOF'
gwb_code_10,gwb_code_8,regio,gm_naam,recs,gwb_code,ind_wbi,a_inw,a_man,a_vrouw,g_wozbag,p_koopw,a_bedv,pst_mvp,pst_dekp
GM0999,0999,Proefstad,Proefstad,Gemeente,GM0999,.,12000,5950,6050,310,55.5,640,.,.
WK099901,099901,Wijk 01 Centrum,Proefstad,Wijk,WK099901,1,7000,3480,3520,280,40.2,410,.,.
BU09990101,09990101,Oude Kern,Proefstad,Buurt,BU09990101,1,3000,1490,1510,250,35,260,9991,1
BU09990102,09990102,Havenkwartier,Proefstad,Buurt,BU09990102,1,4000,1990,2010,300,44.1,150,9992,1
WK099902,099902,Wijk 02 Noord,Proefstad,Wijk,WK099902,1,5000,2470,2530,.,76.1,230,.,.
BU09990201,09990201,Noorderpark,Proefstad,Buurt,BU09990201,1,5000,2470,2530,.,,230,9993,2
EOF
printf '%s\n' '"String","String","String","String","String","String","String","Integer","Integer","Integer","String","Real","Integer","String","String"' >"$tmp/kwb-2023.csvt"
rm -f kwb-2023.xlsx
ogr2ogr -f XLSX -nln kwb-2023 kwb-2023.xlsx "$tmp/kwb-2023.csv"

# A bad one: the text 'vijf' in a number column (a_inw of BU09990102, sheet row 5, column H).
sed 's/^BU09990102,09990102,Havenkwartier,Proefstad,Buurt,BU09990102,1,4000,/BU09990102,09990102,Havenkwartier,Proefstad,Buurt,BU09990102,1,vijf,/' \
  "$tmp/kwb-2023.csv" >"$tmp/kwb-2023-bad.csv"
printf '%s\n' '"String","String","String","String","String","String","String","String","Integer","Integer","String","Real","Integer","String","String"' >"$tmp/kwb-2023-bad.csvt"
rm -f kwb-2023-bad.xlsx
ogr2ogr -f XLSX -nln kwb-2023 kwb-2023-bad.xlsx "$tmp/kwb-2023-bad.csv"

# ---------------------------------------------------------------- kwb-2013.xls
# The older BIFF table with the names of 2013 (g_woz, not g_wozbag), numbers as number cells,
# '.' as a text cell, and an empty row in the middle (row 5) as Excel users leave them.
perl - <<'EOF'
use strict;
use Spreadsheet::WriteExcel;
my $wb = Spreadsheet::WriteExcel->new('kwb-2013.xls') or die;
my $ws = $wb->add_worksheet('kwb-2013');
my @rows = (
  [qw(gwb_code_10 gwb_code_8 regio gm_naam recs gwb_code ind_wbi a_inw a_man a_vrouw g_woz p_koopw)],
  ['GM0999', '0999', 'Proefstad', 'Proefstad', 'Gemeente', 'GM0999', '.', 11500, 5700, 5800, 290, 53.5],
  ['WK099901', '099901', 'Wijk 01 Centrum', 'Proefstad', 'Wijk', 'WK099901', 1, 6800, 3380, 3420, 265, 39.8],
  ['BU09990101', '09990101', 'Oude Kern', 'Proefstad', 'Buurt', 'BU09990101', 1, 2900, 1440, 1460, 241, 34.2],
  [],
  ['BU09990102', '09990102', 'Havenkwartier', 'Proefstad', 'Buurt', 'BU09990102', 1, 3900, 1940, 1960, 285, 43.6],
  ['WK099902', '099902', 'Wijk 02 Noord', 'Proefstad', 'Wijk', 'WK099902', 1, 4700, 2320, 2380, '.', 75.25],
);
for my $r (0 .. $#rows) {
  for my $c (0 .. $#{ $rows[$r] }) {
    my $v = $rows[$r][$c];
    # codes stay text (write_string), numbers become number cells
    if ($r > 0 && $c >= 7 && $v ne '.') { $ws->write_number($r, $c, $v) }
    else { $ws->write_string($r, $c, $v) }
  }
}
$wb->close or die;
EOF

# ---------------------------------------------------------------- kwb-2021.csv
# The CSV variant: semicolons, headers with a trailing space, NaN (padded) for an empty cell.
printf '%s\r\n' \
  'gwb_code_10;gwb_code_8;regio;gm_naam;recs;gwb_code;ind_wbi;a_inw;a_man ;a_vrouw;g_wozbag;p_koopw' \
  'GM0999;0999;Proefstad;Proefstad;Gemeente;GM0999;.;11800;5850;5950;300;54.8' \
  'WK099901;099901;Wijk 01 Centrum;Proefstad;Wijk;WK099901;1;6900;3430;3470;273;40' \
  'BU09990101;09990101;Oude Kern;Proefstad;Buurt;BU09990101;1;2950;1465;1485;       NaN;34.5' \
  >kwb-2021.csv

# ---------------------------------------------------------------- wijkenbuurten_2023_v1.gpkg
# The Wijk- en Buurtkaart: layers gemeenten, wijken, buurten in RD New with BU_CODE ... WATER
# and kerncijfers under the short names. CBS's codes for missing figures: -99999999 (a_man of
# WK099902, Integer field) and -99997 (p_koopw of BU09990201, Real field). Squares of whole
# kilometres, so areas are known: buurten 1, 1 and 2 km2, wijken 2 and 2, the gemeente's land
# 4 km2. A water buurt (BU09990299) and the gemeente's water part are features with WATER = JA.
sq() { # x0 y0 x1 y1 in km from (100000, 400000)
  local a=$((100000 + $1 * 1000)) b=$((400000 + $2 * 1000)) c=$((100000 + $3 * 1000)) d=$((400000 + $4 * 1000))
  echo "\"POLYGON (($a $b,$c $b,$c $d,$a $d,$a $b))\""
}
{
  echo 'WKT,GM_CODE,GM_NAAM,WATER,JRSTATCODE,a_inw,a_man,g_wozbag,p_koopw'
  echo "$(sq 0 0 2 2),GM0999,Proefstad,NEE,2023GM0999,12000,5950,310,55.5"
  echo "$(sq 2 0 3 2),GM0999,Proefstad,JA,2023GM0999,0,0,-99999999,-99997"
} >"$tmp/gemeenten.csv"
{
  echo 'WKT,WK_CODE,WK_NAAM,GM_CODE,GM_NAAM,WATER,a_inw,a_man,g_wozbag,p_koopw'
  echo "$(sq 0 0 2 1),WK099901,Wijk 01 Centrum,GM0999,Proefstad,NEE,7000,3480,280,40.2"
  echo "$(sq 0 1 2 2),WK099902,Wijk 02 Noord,GM0999,Proefstad,NEE,5000,-99999999,-99999999,76.1"
} >"$tmp/wijken.csv"
{
  echo 'WKT,BU_CODE,BU_NAAM,WK_CODE,WK_NAAM,GM_CODE,GM_NAAM,WATER,POSTCODE,a_inw,a_man,g_wozbag,p_koopw'
  echo "$(sq 0 0 1 1),BU09990101,Oude Kern,WK099901,Wijk 01 Centrum,GM0999,Proefstad,NEE,9991,3000,1490,250,35"
  echo "$(sq 1 0 2 1),BU09990102,Havenkwartier,WK099901,Wijk 01 Centrum,GM0999,Proefstad,NEE,9992,4000,1990,300,44.1"
  echo "$(sq 0 1 2 2),BU09990201,Noorderpark,WK099902,Wijk 02 Noord,GM0999,Proefstad,NEE,9993,5000,2470,-99999999,-99997"
  echo "$(sq 2 0 3 2),BU09990299,Proefmeer,WK099902,Wijk 02 Noord,GM0999,Proefstad,JA,,0,0,-99999999,-99997"
} >"$tmp/buurten.csv"
types_gm='"String","String","String","String","String","Integer","Integer","Integer","Real"'
types_wk='"String","String","String","String","String","String","Integer","Integer","Integer","Real"'
types_bu='"String","String","String","String","String","String","String","String","String","Integer","Integer","Integer","Real"'
echo "$types_gm" >"$tmp/gemeenten.csvt"
echo "$types_wk" >"$tmp/wijken.csvt"
echo "$types_bu" >"$tmp/buurten.csvt"
rm -f wijkenbuurten_2023_v1.gpkg
for l in gemeenten wijken buurten; do
  upd=()
  [ -e wijkenbuurten_2023_v1.gpkg ] && upd=(-update)
  ogr2ogr -f GPKG "${upd[@]}" -nln "$l" -a_srs EPSG:28992 -nlt MULTIPOLYGON \
    -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO \
    wijkenbuurten_2023_v1.gpkg "$tmp/$l.csv"
done
# small pages keep the file small (tens of KB, not 140)
sqlite3 wijkenbuurten_2023_v1.gpkg 'PRAGMA page_size = 1024; VACUUM;'
# The first version of a year's map: polygons and names only, no kerncijfers (one layer).
{
  echo 'WKT,BU_CODE,BU_NAAM,WK_CODE,GM_CODE,WATER'
  echo "$(sq 0 0 1 1),BU09990101,Oude Kern,WK099901,GM0999,NEE"
  echo "$(sq 1 0 2 1),BU09990102,Havenkwartier,WK099901,GM0999,NEE"
} >"$tmp/buurten_v0.csv"
echo '"String","String","String","String","String","String"' >"$tmp/buurten_v0.csvt"
rm -f wijkenbuurten_2024_v0.gpkg
ogr2ogr -f GPKG -nln buurten -a_srs EPSG:28992 -nlt MULTIPOLYGON -oo GEOM_POSSIBLE_NAMES=WKT \
  -oo KEEP_GEOM_COLUMNS=NO wijkenbuurten_2024_v0.gpkg "$tmp/buurten_v0.csv"
sqlite3 wijkenbuurten_2024_v0.gpkg 'PRAGMA page_size = 1024; VACUUM;'
# A bad map: the second buurt carries the code of the first (BU09990101 twice, land both).
cp wijkenbuurten_2023_v1.gpkg wijkenbuurten_2023_bad.gpkg
ogrinfo -q wijkenbuurten_2023_bad.gpkg \
  -sql "UPDATE buurten SET BU_CODE = 'BU09990101' WHERE BU_CODE = 'BU09990102'" >/dev/null
sqlite3 wijkenbuurten_2023_bad.gpkg 'VACUUM;'
n=$(sqlite3 wijkenbuurten_2023_bad.gpkg "SELECT count(*) FROM buurten WHERE BU_CODE = 'BU09990101'")
[ "$n" = 2 ] || { echo "make.sh: the bad map was not made" >&2; exit 1; }

# ---------------------------------------------------------------- StatLine OData JSON (KWB)
# A TypedDataSet as the CBS OData API v3 gives it (codes padded with spaces, null for missing),
# with its DataProperties (GeoDetail MapYear: the year; Topic keys with their yearly suffix).
cat >kwb2023_TypedDataSet.json <<'EOF'
{"odata.metadata":"https://opendata.cbs.nl/ODataApi/OData/85618NED/$metadata#Cbs.OData.WebAPI.TypedDataSet","value":[
{"ID":0,"WijkenEnBuurten":"GM0999    ","Gemeentenaam_1":"Proefstad                               ","SoortRegio_2":"Gemeente  ","Codering_3":"GM0999    ","IndelingswijzigingWijkenEnBuurten_4":".","AantalInwoners_5":12000,"Mannen_6":5950,"Vrouwen_7":6050,"GemiddeldeWOZWaardeVanWoningen_35":310,"Koopwoningen_40":55.5,"BedrijfsvestigingenTotaal_88":640},
{"ID":1,"WijkenEnBuurten":"WK099901  ","Gemeentenaam_1":"Proefstad                               ","SoortRegio_2":"Wijk      ","Codering_3":"WK099901  ","IndelingswijzigingWijkenEnBuurten_4":"1","AantalInwoners_5":7000,"Mannen_6":3480,"Vrouwen_7":3520,"GemiddeldeWOZWaardeVanWoningen_35":280,"Koopwoningen_40":40.2,"BedrijfsvestigingenTotaal_88":410},
{"ID":2,"WijkenEnBuurten":"BU09990101","Gemeentenaam_1":"Proefstad                               ","SoortRegio_2":"Buurt     ","Codering_3":"BU09990101","IndelingswijzigingWijkenEnBuurten_4":"1","AantalInwoners_5":3000,"Mannen_6":1490,"Vrouwen_7":1510,"GemiddeldeWOZWaardeVanWoningen_35":250,"Koopwoningen_40":35.0,"BedrijfsvestigingenTotaal_88":260},
{"ID":3,"WijkenEnBuurten":"BU09990102","Gemeentenaam_1":"Proefstad                               ","SoortRegio_2":"Buurt     ","Codering_3":"BU09990102","IndelingswijzigingWijkenEnBuurten_4":"1","AantalInwoners_5":4000,"Mannen_6":1990,"Vrouwen_7":2010,"GemiddeldeWOZWaardeVanWoningen_35":300,"Koopwoningen_40":44.1,"BedrijfsvestigingenTotaal_88":150},
{"ID":4,"WijkenEnBuurten":"WK099902  ","Gemeentenaam_1":"Proefstad                               ","SoortRegio_2":"Wijk      ","Codering_3":"WK099902  ","IndelingswijzigingWijkenEnBuurten_4":"1","AantalInwoners_5":5000,"Mannen_6":2470,"Vrouwen_7":2530,"GemiddeldeWOZWaardeVanWoningen_35":null,"Koopwoningen_40":76.1,"BedrijfsvestigingenTotaal_88":230},
{"ID":5,"WijkenEnBuurten":"BU09990201","Gemeentenaam_1":"Proefstad                               ","SoortRegio_2":"Buurt     ","Codering_3":"BU09990201","IndelingswijzigingWijkenEnBuurten_4":"1","AantalInwoners_5":5000,"Mannen_6":2470,"Vrouwen_7":2530,"GemiddeldeWOZWaardeVanWoningen_35":null,"Koopwoningen_40":null,"BedrijfsvestigingenTotaal_88":230}
]}
EOF
cat >kwb2023_DataProperties.json <<'EOF'
{"odata.metadata":"https://opendata.cbs.nl/ODataApi/OData/85618NED/$metadata#Cbs.OData.WebAPI.DataProperties","value":[
{"odata.type":"Cbs.OData.GeoDetail","ID":0,"Position":0,"ParentID":null,"Type":"GeoDetail","Key":"WijkenEnBuurten","Title":"Wijken en buurten","Description":"","MapYear":2023},
{"odata.type":"Cbs.OData.Topic","ID":1,"Position":1,"ParentID":null,"Type":"Topic","Key":"Gemeentenaam_1","Title":"Gemeentenaam","Description":null,"Datatype":"String","Unit":"naam","Decimals":0,"Default":"Impossible","PresentationType":""},
{"odata.type":"Cbs.OData.Topic","ID":2,"Position":2,"ParentID":null,"Type":"Topic","Key":"SoortRegio_2","Title":"Soort regio","Description":null,"Datatype":"String","Unit":"omschrijving","Decimals":0,"Default":"Impossible","PresentationType":""},
{"odata.type":"Cbs.OData.Topic","ID":3,"Position":3,"ParentID":null,"Type":"Topic","Key":"Codering_3","Title":"Codering","Description":null,"Datatype":"String","Unit":"code","Decimals":0,"Default":"Impossible","PresentationType":""},
{"odata.type":"Cbs.OData.Topic","ID":4,"Position":4,"ParentID":null,"Type":"Topic","Key":"IndelingswijzigingWijkenEnBuurten_4","Title":"Indelingswijziging wijken en buurten","Description":null,"Datatype":"String","Unit":"code","Decimals":0,"Default":"Impossible","PresentationType":""},
{"odata.type":"Cbs.OData.Topic","ID":5,"Position":5,"ParentID":null,"Type":"Topic","Key":"AantalInwoners_5","Title":"Aantal inwoners","Description":null,"Datatype":"Long","Unit":"aantal","Decimals":0,"Default":"Impossible","PresentationType":"Absolute"},
{"odata.type":"Cbs.OData.Topic","ID":6,"Position":6,"ParentID":null,"Type":"Topic","Key":"Mannen_6","Title":"Mannen","Description":null,"Datatype":"Long","Unit":"aantal","Decimals":0,"Default":"Impossible","PresentationType":"Absolute"},
{"odata.type":"Cbs.OData.Topic","ID":7,"Position":7,"ParentID":null,"Type":"Topic","Key":"Vrouwen_7","Title":"Vrouwen","Description":null,"Datatype":"Long","Unit":"aantal","Decimals":0,"Default":"Impossible","PresentationType":"Absolute"},
{"odata.type":"Cbs.OData.Topic","ID":8,"Position":8,"ParentID":null,"Type":"Topic","Key":"GemiddeldeWOZWaardeVanWoningen_35","Title":"Gemiddelde WOZ-waarde van woningen","Description":null,"Datatype":"Long","Unit":"x 1 000 euro","Decimals":0,"Default":"Impossible","PresentationType":"Absolute"},
{"odata.type":"Cbs.OData.Topic","ID":9,"Position":9,"ParentID":null,"Type":"Topic","Key":"Koopwoningen_40","Title":"Koopwoningen","Description":null,"Datatype":"Double","Unit":"%","Decimals":1,"Default":"Impossible","PresentationType":"Relative"},
{"odata.type":"Cbs.OData.Topic","ID":10,"Position":10,"ParentID":null,"Type":"Topic","Key":"BedrijfsvestigingenTotaal_88","Title":"Bedrijfsvestigingen totaal","Description":null,"Datatype":"Long","Unit":"aantal","Decimals":0,"Default":"Impossible","PresentationType":"Absolute"}
]}
EOF

# ---------------------------------------------------------------- 47018NED (registered crime)
# Every crime type of the four families (docs/import.md), the total 0.0.0 and one type of no
# family (3.9.1 horizontal fraud), for three areas and two years. Counts follow a formula so
# that no two are alike: 3 * (code position) + 11 * (area position) + 5 * (year - 2022) + 1;
# the total is the sum of the others. One count is missing: 2.2.1 of BU09990101 in 2023.
codes=(1.1.1 1.1.2 1.2.1 1.2.2 1.2.3 1.2.4 1.2.5 1.5.2 1.6.2 2.5.1 2.5.2
       1.4.1 1.4.2 1.4.3 1.4.4 1.4.5 1.4.6 1.4.7
       1.6.1 2.1.1 2.2.1 2.4.2 2.7.3 3.6.4 3.9.1)
areas=(GM0999 WK099901 BU09990101)
csv=47018NED_TypedDataSet.csv
json=47018NED_TypedDataSet.json
echo '"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"' >"$csv"
printf '{"odata.metadata":"https://dataderden.cbs.nl/ODataApi/OData/47018NED/$metadata#Cbs.OData.WebAPI.TypedDataSet","value":[\n' >"$json"
id=0
for y in 2022 2023; do
  for ai in "${!areas[@]}"; do
    a=${areas[$ai]}
    total=0
    for ci in "${!codes[@]}"; do total=$((total + 3 * ci + 11 * ai + 5 * (y - 2022) + 1)); done
    for ci in -1 "${!codes[@]}"; do
      if [ "$ci" = -1 ]; then c=0.0.0 v=$total; else
        c=${codes[$ci]} v=$((3 * ci + 11 * ai + 5 * (y - 2022) + 1)); fi
      csvv=$(printf '%10s' "$v") jv=$v
      if [ "$c" = 2.2.1 ] && [ "$a" = BU09990101 ] && [ "$y" = 2023 ]; then csvv='         .' jv=null; fi
      printf '%d;"%-8s";"%-10s";"%sJJ00";"%s"\r\n' "$id" "$c" "$a" "$y" "$csvv" >>"$csv"
      [ "$id" -gt 0 ] && printf ',\n' >>"$json"
      printf '{"ID":%d,"SoortMisdrijf":"%-8s","WijkenEnBuurten":"%-10s","Perioden":"%sJJ00","GeregistreerdeMisdrijven_1":%s}' \
        "$id" "$c" "$a" "$y" "$jv" >>"$json"
      id=$((id + 1))
    done
  done
done
printf '\n]}\n' >>"$json"
# The SoortMisdrijf dimension as the API lists it (titles begin with the code).
cat >47018NED_SoortMisdrijf.json <<'EOF'
{"odata.metadata":"https://dataderden.cbs.nl/ODataApi/OData/47018NED/$metadata#Cbs.OData.WebAPI.SoortMisdrijf","value":[
{"Key":"0.0.0   ","Title":"Totaal misdrijven","Description":null,"CategoryGroupID":null},
{"Key":"1.1.1   ","Title":"1.1.1 Diefstal/inbraak woning","Description":null,"CategoryGroupID":null},
{"Key":"2.2.1   ","Title":"2.2.1 Vernieling cq. zaakbeschadiging","Description":null,"CategoryGroupID":null},
{"Key":"3.9.1   ","Title":"3.9.1 Horizontale fraude","Description":null,"CategoryGroupID":null}
]}
EOF

# ---------------------------------------------------------------- Leefbaarometer 3.0
# "Leefbaarometer-scores buurten 2002-2024.csv": bu_code, jaar, lbm (the absolute score) and
# the five dimensions as deviations; no afw. And a WFS-style wijk layer export with the class
# fields (kscore ...) and afw.
cat >lbm3_buurt_2002_2024.csv <<'EOF'
bu_code,jaar,lbm,fys,onv,soc,vrz,won
BU09990101,2002,3.9876,-0.0123,0.0456,-0.0789,0.1011,-0.0222
BU09990101,2024,4.2345,0.0111,0.0222,0.0333,0.0444,0.0555
BU09990102,2002,4.0123,0.0101,-0.0202,0.0303,-0.0404,0.0505
BU09990102,2024,4.1001,,,,,
EOF
cat >lbm3_wijkscore24.csv <<'EOF'
wk_code,wk_naam,jaar,lbm,afw,kscore,fys,kfys,onv,konv,soc,ksoc,vrz,kvrz,won,kwon
WK099901,Wijk 01 Centrum,2024,4.2001,0.0978,6,0.0101,5,0.0202,5,0.0303,6,0.0152,5,0.0220,6
WK099902,Wijk 02 Noord,2024,3.9002,-0.2021,3,-0.0501,4,-0.0702,3,-0.0403,4,-0.0215,4,-0.0200,4
EOF
echo "make.sh: fixtures written to $(pwd)"
ls -la
