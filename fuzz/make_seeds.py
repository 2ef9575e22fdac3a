#!/usr/bin/env python3
"""Write the handmade seed inputs of the fuzz targets into fuzz/corpora/<target>/seed-*.

The first byte of most inputs selects options (see the comment at the top of each
fuzz/<target>.c); the rest is the file as an importer would read it. Seeds are small
(a few hundred bytes) and modelled on tests/data and the formats in ../shared/data/SOURCES.md,
never copied from the shared data. Run from the project root; existing seed files are
overwritten, files found by the fuzzers (named by their SHA-1) are left alone.
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpora")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- code: hint byte + text
# hint: 0 land, 1 gemeente, 2 wijk, 3 buurt, 4 other, 5 none
for name, hint, text in [
    ("gm", 5, "GM0363"), ("gm-lower", 5, " gm0363 "), ("wk", 5, "WK036300"),
    ("bu", 5, "BU03630000"), ("bu-letters", 5, "BU0363AA01"), ("wk-letters", 5, "WK0363AA"),
    ("nl", 5, "NL00"), ("bare-gm", 1, "363"), ("bare-wk", 2, "36300"), ("bare-bu", 3, "3630000"),
    ("bare8", 5, "03630000"), ("quoted", 5, "\"GM0014\""), ("other", 5, "grid_100m-12.5"),
    ("bad-gm", 5, "GM036"), ("bad-char", 5, "GM 0363"), ("space", 4, "a b"),
    ("long", 5, "X" * 40), ("utf8", 5, "Caf\u00e9"), ("hint-other-number", 4, "1234"),
]:
    put("code", name, bytes([hint]) + text.encode("utf-8"))

# ---------------------------------------------------------------- csv: option byte + text
# bits 0-2 delimiter: 0 sniff, 1 ',', 2 ';', 3 tab, 4 '|'; bit 3 decimal comma; bit 4 also file
CSV = {
    "bom-spaces": (0x10, "\ufeffcode, naam ,x\nGM0363,Amsterdam,1\n"),
    "quotes": (0x10, "a,b,c\n\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\n\"\",3,\"\"\"\"\nlast,row,here\n"),
    "crlf": (0x10, "a;b\r\n1;2\r\n\r\n\n3;\"x\r\ny\"\r4;5"),
    "statline": (0x10, "\"Perioden\";\"Regiocode (gemeente, wijk, buurt) (code)\";\"a, b, c\"\n\"2019JJ00\";\"GM0363    \";\"  1\"\n"),
    "tabs": (0x13, "code\tv\tw\nWK036300\t1.5e3\t-0.5\nBU03630000\t.\t#N/A\n"),
    "missing": (0x01, "a,b,c,d,e,f,g\n.,,  x,-,?,NA,n/a\n"),
    "decimal-comma": (0x1A, "code;v\nGM0363;12,5\nGM0362;-0,25\nGM0361;1.5\n"),
    "numbers": (0x11, "v\n12\n-0.5\n+3\n.25\n1.5e3\n1e-320\n0\nabc\n1e400\n0x10\n1..2\n"),
    "field-count": (0x10, "a,b,c\n1,2,3\n1,2\n"),
    "open-quote": (0x10, "a,b\n1,\"abc\n2,3\n"),
    "after-quote": (0x10, "a,b\n1,\"x\"y\n"),
    "latin1": (0x10, b"a,b\nx,Caf\xe9,\n".decode("latin-1")),
    "utf8": (0x10, "naam;v\n\u2018s-Gravenhage;1\nZ\u00fcrich \U0001F600;2\n"),
    "pipe": (0x14, "code|jaar|v\nGM0363|2019|1\n"),
    "one-column": (0x10, "just_one_column\nx\n"),
    "empty-header": (0x10, "\n\n"),
}
for name, (opt, text) in CSV.items():
    data = bytes([opt]) + (text.encode("latin-1") if name == "latin1" else text.encode("utf-8"))
    put("csv", name, data)
put("csv", "nul", bytes([0x10]) + b"a\nx\0y\n")
put("csv", "utf16", bytes([0x10]) + "a,b\n1,2\n".encode("utf-16"))
put("csv", "bad-utf8", bytes([0x10]) + b"a\n\xc0\x80\n\xed\xa0\x80\n\xf4\x90\x80\x80\n\x80\nx\xe2\x82\n")

# ---------------------------------------------------------------- import: option byte + file
# bits 0-1: csv, kwb, lbm, csv --long; bit 2 --year 2019; bit 3 --decimal-comma;
# bit 4 --boundary-year 2016; bits 5-6 level none/gm/wk/bu; bit 7 file name kwb-2018.csv
IMPORT = {
    "csv-wide": (0x00, "code;naam;jaar;a_inw;g_woz;nieuw\nGM0363;Amsterdam;2019;1;.;2\nWK036300;Burgwallen;2019;x;3,5;\n"),
    "csv-dc": (0x08, "code;naam;jaar;a_inw;g_woz\nGM0363;Amsterdam;2019;862965;400,5\nBU03630000;Kop Zeedijk;2019;.;-\n"),
    "csv-year-opt": (0x04, "code,v\n363,5\nGM0362,#N/A\n"),
    "csv-level": (0x24, "code,v\n363,5\nGM0362,6\nWK036300,7\n"),
    "csv-long": (0x03, "code,indicator,value,year\nGM0363,a_inw,100,2019\nGM0363,g_woz,.,2019\nWK036300,Nieuwe variabele,3,2019\n"),
    "csv-dup": (0x00, "code,year,v\nWK036300,2019,1\nWK036300,2019,2\n"),
    "csv-long-dup": (0x03, "code,indicator,value,year\nGM0363,a_inw,100,2019\nGM0363,a_inw,101,2019\n"),
    "csv-badnum": (0x00, "code,year,v,w\nGM0362,2019,1,2\nGM0361,2019,2,abc\n"),
    "csv-nokey": (0x00, "x,y\n1,2\n"),
    "csv-crosswalk": (0x00, "van_jaar,naar_jaar,wijk_van,wijk_naar,n_adressen\n2014,2016,WK036300,WK036301,10\n"),
    "csv-name-update": (0x00, "code;naam;jaar;v\nGM0363;Amsterdam-Nieuw;2016;1\nGM0363;Amsterdam;2016;2\n"),
    "csv-level-col": (0x00, "code,level,year,v\nGM0363,gemeente,2019,1\nWK036300,buurt,2019,2\n"),
    "csv-no-year": (0x00, "code,v\nGM0363,1\n"),
    "csv-padded": (0x04, "\"Regiocode (gemeente, wijk, buurt) (code)\";\"Wijken en buurten\";\"Aantal inwoners (aantal)\"\n\"GM0363    \";\"Amsterdam\";\"  862965\"\n"),
    "kwb-statline": (0x01, "\"Perioden\";\"Wijken en buurten\";\"Regiocode (gemeente, wijk, buurt) (code)\";\"Aantal inwoners (aantal)\";\"Gemiddelde woningwaarde (x 1 000 euro)\"\n\"2019JJ00\";\"Amsterdam\";\"GM0363    \";\"862965\";\"400\"\n\"2019JJ00\";\"Burgwallen\";\"WK036300  \";\".\";\"515\"\n"),
    "kwb-typed": (0x81, "gwb_code,level,AantalInwoners_5,k_0Tot15Jaar_8,NieuwbouwWoningen_36\nGM0363,Gemeente,862965,120000,.\nWK036300,Wijk,4060,300,x\n"),
    "kwb-yearly": (0x81, "gwb_code_10,gwb_code,regio,gm_naam,recs,a_inw,a_00_14,p_00_14,g_woz\nGM0363,GM0363,Amsterdam,Amsterdam,Gemeente,862965,120000,14,400\nWK036300,WK036300,Burgwallen,Amsterdam,Wijk,4060,.,7,515\n"),
    "kwb-recs-mismatch": (0x81, "gwb_code,recs,a_inw\nGM0363,Gemeente,1\nWK036300,Buurt,2\n"),
    "lbm2": (0x02, "GBD,JAAR,RLBRMTR,RLBWON,RLBBEV,RLBVRZ,RLBVEI,RLBFYS\nWK036300,2014,0.12,0.01,-0.02,0.1,.,0.03\nWK036300,2016,,0.02,-0.01,0.1,-0.1,0.02\n"),
    "lbm2-wk": (0x12, "WK_CODE,JAAR,RLBRMTR\nWK036300,2016,0.1\nWK036301,2016,x\n"),
    "lbm2-classes": (0x12, "WK_CODE,KL02,KL12,KL16,VKL0816\nWK036300,5,6,7,4\nWK036301,.,3,,5\n"),
    "lbm2-dev": (0x02, "GBD,BEGIN,EINDE,DLBRMTR,DLBBEV\nWK000300,2012,2014,0.5,0.1\nWK000300,2014,2016,.,0.2\n"),
    "lbm2-dev-dup": (0x02, "GBD,BEGIN,EINDE,DLBRMTR\nWK000300,2012,2016,1\nWK000300,2012,2016,2\n"),
    "lbm2-other": (0x02, "GBD,JAAR,RLBRMTR,inkomen\nWK000300,2016,0.1,30\n"),
    "lbm3": (0x02, ",id,jaar,lbm,afw,won,fys,vrz,soc,onv,kscore,kwon\n0,BU03630000,2020,4.1,0.05,0.01,.,0.02,0.0,-0.01,6,5\n1,BU03630000,2022,4.2,0.06,0.01,0.0,0.02,0.0,-0.01,7,5\n"),
    "lbm3-level": (0x62, "bu_code,year,afw\nBU03630000,2020,0.05\nWK036300,2020,0.01\n"),
}
for name, (opt, text) in IMPORT.items():
    put("import", name, bytes([opt]) + text.encode("utf-8"))

# ---------------------------------------------------------------- model: the text
MODELS = {
    "lbm": "[model]\nname = lbm\ntitle = Leefbaarometer 2.0\ntransform = none\naggregate = sum\nmin_coverage = 1\n\n"
           "[dimension won]\nlabel = woningvoorraad\nindicator lbm_won direction=+ weight=1\n\n"
           "[dimension onv]\nlabel = veiligheid\nindicator lbm_onv direction=+ weight=1\n\n"
           "[classes]\nthresholds = -0.25 -0.15 -0.05 0 0.05 0.1 0.15 0.25\noffset 2012 = 4.0\noffset 2014 = 4.01\n",
    "kwb": "# comment\n[model]\nname = kwb-2\ntransform = z\nreference = GM0363\nbase_year = 2016\n"
           "aggregate = mean ; trailing comment\nmin_coverage = 0.6\n\n"
           "[dimension welvaart]\nweight = 2\nindicator g_ink_pi direction=+ weight=1.5\n"
           "indicator p_hh_li direction=- \n\n[dimension wonen]\nindicator g_woz direction=higher_better\n"
           "[classes]\nthresholds = -2,-1.5,-1,-0.5,0,0.5,1,1.5\n",
    "rank": "[model]\ntransform = rank_exp\nbase_year = 2019\nreference = nation\n[dimension a]\nindicator x.y-z direction=-1\n",
    "bad-threshold": "[model]\n[dimension a]\nindicator x direction=+\n[classes]\nthresholds = 1 2 3 4 5 6 7 7\n",
    "bad-section": "[model\n",
    "no-dims": "[model]\nname = x\n",
    "dup-ind": "[dimension a]\nindicator X direction=+\n[dimension b]\nindicator x direction=-\n",
    "offset-no-classes": "[dimension a]\nindicator x direction=+\n[classes]\noffset 2019 = 1\n",
    "long-line": "[model]\ntitle = " + "t" * 2100 + "\n",
    "crlf": "[model]\r\nname = a\r\n[dimension a]\r\nindicator x direction=+ weight=2\r\n",
}
for name, text in MODELS.items():
    put("model", name, text)
put("model", "nul", b"[model]\nname = a\0b\n")

# ---------------------------------------------------------------- wkb: the bytes
def ring(pts):
    return struct.pack("<I", len(pts)) + b"".join(struct.pack("<dd", x, y) for x, y in pts)

def polygon(rings, le=True, typ=3):
    if le:
        return b"\x01" + struct.pack("<I", typ) + struct.pack("<I", len(rings)) + b"".join(ring(r) for r in rings)
    out = b"\x00" + struct.pack(">I", typ) + struct.pack(">I", len(rings))
    for r in rings:
        out += struct.pack(">I", len(r)) + b"".join(struct.pack(">dd", x, y) for x, y in r)
    return out

sq = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
hole = [(2, 2), (2, 4), (4, 4), (4, 2), (2, 2)]
put("wkb", "polygon", polygon([sq]))
put("wkb", "polygon-hole", polygon([sq, hole]))
put("wkb", "polygon-be", polygon([sq], le=False))
put("wkb", "multi", b"\x01" + struct.pack("<II", 6, 2) + polygon([sq]) + polygon([[(20, 0), (30, 0), (30, 5), (20, 0)]]))
put("wkb", "polygon-z", b"\x01" + struct.pack("<II", 1003, 1) + struct.pack("<I", 4) +
    b"".join(struct.pack("<ddd", x, y, 1.0) for x, y in [(0, 0), (1, 0), (0, 1), (0, 0)]))
put("wkb", "ewkb-m", b"\x01" + struct.pack("<II", 0x40000003, 1) + struct.pack("<I", 4) +
    b"".join(struct.pack("<ddd", x, y, 1.0) for x, y in [(0, 0), (1, 0), (0, 1), (0, 0)]))
put("wkb", "open-ring", polygon([[(0, 0), (5, 0), (5, 5)]]))
put("wkb", "degenerate", polygon([[(0, 0), (5, 0), (0, 0), (5, 0)], hole]))
put("wkb", "empty", polygon([]))
put("wkb", "rd", polygon([[(121000.5, 487000.25), (121100, 487000), (121100, 487100), (121000.5, 487000.25)]]))
put("wkb", "truncated", polygon([sq])[:-5])
put("wkb", "trailing", polygon([sq]) + b"\x00")
put("wkb", "point", b"\x01" + struct.pack("<Idd", 1, 1.0, 2.0))

# ---------------------------------------------------------------- topojson / geojson
# byte 0: bits 0-1 --crs none/EPSG:28992/EPSG:4326; bits 2-4 level; bit 5 code field "id";
# bit 6 object "a"
def topo(objects, arcs, transform=None, extra=None, topology_last=False):
    d = {}
    if not topology_last:
        d["type"] = "Topology"
    if transform:
        d["transform"] = transform
    d["arcs"] = arcs
    d["objects"] = objects
    if extra:
        d.update(extra)
    if topology_last:
        d["type"] = "Topology"
    return json.dumps(d, separators=(",", ":"))

def feat(arcs, code, name=None, typ="Polygon", key="statcode"):
    props = {key: code}
    if name:
        props["statnaam"] = name
    return {"type": typ, "arcs": arcs, "id": code, "properties": props}

arcs_q = [[[10, 0], [0, 10]], [[10, 10], [-10, 0], [0, -10], [10, 0]], [[10, 10], [10, 0], [0, -10], [-10, 0]],
          [[3, 3], [0, 3], [3, 0], [0, -3], [-3, 0]], [[50, 0], [2, 0], [-2, 0]]]
tr = {"scale": [0.001, 0.001], "translate": [4.8, 52.3]}
TOPO = {
    "quantised": (0, topo({"buurten": {"type": "GeometryCollection", "geometries": [
        feat([[1, 0], [3]], "BU09990001", "Aa"), feat([[-1, -3]], "BU09990002", "Bee"),
        {"type": None, "id": "BU09990004", "properties": {"statcode": "BU09990004"}},
        feat([[4]], "BU09990005", "Streep"),
        feat([[[1, 0]], [[-1, -3]]], "BU09990001", "Dubbel", typ="MultiPolygon")]}}, arcs_q, tr)),
    "rd-plain": (1, topo({"ab": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[1, 0]], "id": "BU09990001", "properties": {"naam": "Aa"}},
        {"type": "Polygon", "arcs": [[-1, -3]], "id": "BU09990002", "properties": {"naam": "Bee"}}]}},
        [[[100100, 400000], [100100, 400100]], [[100100, 400100], [100000, 400100], [100000, 400000], [100100, 400000]],
         [[100100, 400100], [100200, 400100], [100200, 400000], [100100, 400000]]])),
    "type-last": (0, topo({"gem": {"type": "GeometryCollection", "geometries": [
        feat([[0]], "GM0363", key="GM_CODE")]}}, [[[4.8, 52.3], [4.9, 52.3], [4.9, 52.4], [4.8, 52.3]]],
        topology_last=True)),
    "bad-arc": (0, topo({"a": {"type": "GeometryCollection", "geometries": [feat([[7]], "BU09990001")]}}, arcs_q, tr)),
    "linestring": (0, topo({"a": {"type": "GeometryCollection", "geometries": [
        {"type": "LineString", "arcs": [0], "id": "x"}]}}, arcs_q, tr)),
    "crs-member": (0x20, topo({"a": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0]], "id": 363}]}}, [[[120000, 480000], [121000, 480000], [121000, 481000], [120000, 480000]]],
        extra={"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}})),
    "level-wijk": (0x08 | 0x40, topo({"a": {"type": "GeometryCollection", "geometries": [
        {"type": "MultiPolygon", "arcs": [[[0]]], "properties": {"wk_code": "36300", "wk_naam": "Burgwallen"}}]},
        "b": {"type": "Polygon", "arcs": [[0]]}}, [[[0, 0], [1000, 0], [0, 1000], [0, 0]]], tr)),
    "nested": (0, topo({"a": {"type": "GeometryCollection", "geometries": [
        {"type": "GeometryCollection", "id": "BU09990001", "properties": {"code": "BU09990001"},
         "geometries": [{"type": "Polygon", "arcs": [[1, 0]]}, {"type": None}]}]}}, arcs_q, tr)),
}
for name, (opt, text) in TOPO.items():
    put("topojson", name, bytes([opt]) + text.encode("utf-8"))
put("topojson", "invalid-json", bytes([0]) + b'{"type": "Topology", "arcs": [[[0,0],[1,')

def gj(features, crs=None):
    d = {"type": "FeatureCollection", "features": features}
    if crs:
        d["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(d, separators=(",", ":"))

def gfeat(coords, props, typ="Polygon"):
    return {"type": "Feature", "properties": props, "geometry": {"type": typ, "coordinates": coords} if coords is not None else None}

sq_rd = [[[100100, 400100], [100000, 400100], [100000, 400000], [100100, 400000], [100100, 400100]]]
sq_ll = [[[5.38, 52.15], [5.39, 52.15], [5.39, 52.16], [5.38, 52.16], [5.38, 52.15]]]
GEO = {
    "rd": (0, gj([gfeat(sq_rd, {"BU_CODE": "BU09990001", "BU_NAAM": "Aa", "WK_CODE": "WK099900"}),
                  gfeat(None, {"BU_CODE": "BU09990002", "BU_NAAM": "Leeg"})], "urn:ogc:def:crs:EPSG::28992")),
    "wgs84": (0, gj([gfeat(sq_ll, {"statcode": "GM0307", "statnaam": "Amersfoort"}),
                     gfeat([sq_ll], {"statcode": "GM0307", "statnaam": "Amersfoort"}, "MultiPolygon")])),
    "crs-option": (1, gj([gfeat(sq_rd, {"code": "WK099900"})])),
    "open-ring": (1, gj([gfeat([[[0, 0], [1000, 0], [1000, 1000]]], {"code": "a1"})])),
    "point": (0, gj([gfeat([5.3, 52.1], {"code": "GM0307"}, "Point")])),
    "no-code": (0, gj([gfeat(sq_ll, {"naam": "x"})])),
    "single-feature": (0, json.dumps({"type": "Feature", "id": "GM0307", "properties": {}, "geometry": {"type": "Polygon", "coordinates": sq_ll}})),
    "collection": (0, json.dumps({"type": "Feature", "properties": {"gm_code": "GM0307"}, "geometry": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "coordinates": sq_ll}]}})),
    "not-geojson": (0, json.dumps({"type": "Other"})),
    "empty-rings": (1, gj([gfeat([[], []], {"code": "GM0363"}),
                           gfeat([[[]], [[[0, 0], [1000, 0], [1000, 1000], [0, 0]]]], {"code": "GM0362"}, "MultiPolygon")])),
}
for name, (opt, text) in GEO.items():
    put("geojson", name, bytes([opt]) + text.encode("utf-8"))

# ---------------------------------------------------------------- http_headers: absent-bits byte + 9 fields
# fields: Accept-Encoding, If-None-Match, Sec-Fetch-Site, Origin, Host, X-Forwarded-For,
# session cookie, X-CSRF-Token, log text; bit k of byte 0 = field k absent, bit 7 = https
HDR = {
    "browser": (0, ["gzip, deflate, br", '"0123456789abcdef0123456789abcdef"', "same-origin",
                    "http://127.0.0.1:8080", "127.0.0.1:8080", "203.0.113.7", "", "", "/api/areas"]),
    "https-proxy": (0x80, ["gzip;q=0, *;q=0.5", 'W/"x", "0123456789abcdef0123456789abcdef-gz"', "none",
                           "https://wijkbeeld.example.nl", "wijkbeeld.example.nl", "10.0.0.1, 2001:db8::1 ",
                           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "csrf", "/api/\x1b[2J\r\nGET /forged 200"]),
    "cross-site": (0, ["identity", "*", "cross-site", "http://evil.example", "127.0.0.1", "::ffff:1.2.3.4",
                       "not a token!", "", "\\x41 \x7f"]),
    "absent": (0x7f, ["", "", "", "", "", "", "", "", ""]),
    "scheme-only": (0, ["GZIP", "", "same-origin", "https://127.0.0.1", "127.0.0.1", "1.2.3.4.5", "=", "x", ""]),
}
for name, (flags, fields) in HDR.items():
    put("http_headers", name, bytes([flags]) + "\n".join(fields).encode("utf-8"))

# ---------------------------------------------------------------- labels: option byte + file [NUL + match file]
# bits 0-1 level (none, gemeente, wijk, buurt), bit 2 --year 2016, bit 3 --match-quality exact,
# bit 4 delimiter ';'
LAB = {
    "codes": (0, "code\nWK036300\nBU03630000\nGM0599\nWK9999\n"),
    "names": (0, "gm_code,wijk_naam\nGM0363,Burgwallen-Oude Zijde\nGM0599,stadsdriehoek\nGM0363,Onbekend\n"),
    "names-buurt": (3 | 4, "gemeentecode;naam\n363;Kop  Zeedijk\n0599;Cool-Zuid een\n"),
    "ambiguous": (0, "gm_code,naam\nGM0599,Stadsdriehoek\nGM0363,Nieuwmarkt\n"),
    "match": (8, "gm_code,naam\nGM0363,Oude Kerk\nGM0599,Centrum\n\0"
                 "gm_code,name,codes,match\nGM0363,Oude Kerk,BU03630001,exact\nGM0599,Centrum,WK059901;BU05990110,approx\n"),
    "semicolon": (16, "code;x\nGM0363;1\n"),
    "none": (0, "code\nBU00000000\n"),
    "no-column": (0, "foo,bar\n1,2\n"),
    "bad-utf8": (0, "naam,gm_code\nCaf\xe9,GM0363\n"),
}
for name, (opt, text) in LAB.items():
    put("labels", name, bytes([opt]) + text.encode("latin-1" if name == "bad-utf8" else "utf-8"))

# ---------------------------------------------------------------- themes: the theme map text
THEMES = {
    "real": "# comment\nveiligheid = veiligheid lbm_onv g_misdr\nWonen = wonen, g_woz lbm:wonen\n\n"
            "groen = fysiek  # trailing comment\n",
    "missing-eq": "veiligheid veiligheid\n",
    "twice": "a = wonen\nA = fysiek\n",
    "bad-token": "a = won!en\n",
    "two-colons": "a = lbm:wonen:x\n",
    "empty-theme": " = wonen\n",
    "no-tokens": "a =\n",
    "long": "x" * 101 + " = wonen\n",
    "crlf": "a = wonen\r\nb = fysiek\r\n",
    "utf8": "\u00e9\u00e9n = wonen\n",
}
for name, text in THEMES.items():
    put("themes", name, text)
