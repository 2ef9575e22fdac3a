#!/usr/bin/env python3
"""Independent reference for the polygon importer's counts (tests/cli/geo_import.c).

A separate, deliberately plain TopoJSON decoder in Python (standard library only), written
from the TopoJSON specification, not from the C code: arcs are delta-decoded when there is a
transform, rings concatenate arcs (index ~i = arc i reversed, the joint point once), then
repeated consecutive points are removed and rings closed. A ring is degenerate when it has
fewer than 4 points or zero area (exact integer shoelace on the quantised positions); a
polygon whose exterior is degenerate is dropped ("empty polygon"); a feature left without
polygons is "collapsed". Area in km2 only for the RD New file (no reprojection here).

Usage: python3 tests/reference/geo_counts.py SHARED_DATA_DIR > tests/data/geo/reference_counts.csv
"""
import gzip
import json
import sys

FILES = [
    ("geo_cbs_topojson_2014/Buurt_2014_layer_q1e3.json", 2014),
    ("geo_cbs_topojson_2014/Wijk_2014_layer_q1e3.json", 2014),
    ("geo_cbs_topojson_2014/Gemeente_2015_layer_q1e3.json", 2015),
    ("geo_nlmaps_edwindj/wijk_2016_rd.topojson", 2016),
    ("geo_nlmaps_edwindj/wijk_2016_wgs84.topojson", 2016),
    ("geo_nlmaps_edwindj/gemeente_2016_wgs84.topojson", 2016),
    ("geo_nlmaps_edwindj/buurt_2015_wgs84.topojson.gz", 2015),
]


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def decode(path):
    d = load(path)
    t = d.get("transform")
    arcs = []
    for a in d["arcs"]:
        if t:
            x = y = 0
            pts = []
            for q in a:
                x += q[0]
                y += q[1]
                pts.append((x, y))
        else:
            pts = [(q[0], q[1]) for q in a]
        arcs.append(pts)
    name, obj = next(iter(d["objects"].items()))

    def ring(indices):
        pts = []
        for i in indices:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            if pts:
                pts.pop()
            pts.extend(a)
        out = []
        for p in pts:
            if not out or out[-1] != p:
                out.append(p)
        if out and out[0] != out[-1]:
            out.append(out[0])
        return out

    def area2(r):
        return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(r, r[1:]))

    s = dict(object=name, features=0, null=0, degenerate_rings=0, empty_polygons=0,
             collapsed=0, imported=0, polygons=0, rings=0, area_units=0.0,
             gm0363_features=0, gm0363_imported=0)
    for g in obj["geometries"]:
        s["features"] += 1
        ams = str(g.get("id", ""))[2:6] == "0363"
        s["gm0363_features"] += ams
        if g.get("type") is None:
            s["null"] += 1
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        kept = 0
        for poly in polys:
            rs = [ring(r) for r in poly]
            ok = [len(r) >= 4 and area2(r) != 0 for r in rs]
            s["degenerate_rings"] += ok.count(False)
            if not rs or not ok[0]:
                s["empty_polygons"] += 1
                continue
            kept += 1
            s["rings"] += ok.count(True)
            a = abs(area2(rs[0]))
            for r, k in zip(rs[1:], ok[1:]):
                if k:
                    a -= abs(area2(r))
            s["area_units"] += a / 2
        s["polygons"] += kept
        if kept:
            s["imported"] += 1
            s["gm0363_imported"] += ams
        else:
            s["collapsed"] += 1
    rd = "EPSG::28992" in json.dumps(d.get("crs", ""))
    sx, sy = t["scale"] if t else (1, 1)
    s["area_km2_rd"] = "%.3f" % (s["area_units"] * sx * sy / 1e6) if rd else ""
    return s


def main():
    root = sys.argv[1]
    cols = ["file", "year", "object", "features", "null", "collapsed", "imported",
            "degenerate_rings", "empty_polygons", "polygons", "rings", "gm0363_features",
            "gm0363_imported", "area_km2_rd"]
    print(",".join(cols))
    for rel, year in FILES:
        s = decode(root + "/" + rel)
        s["file"] = rel
        s["year"] = year
        print(",".join(str(s[c]) for c in cols))


if __name__ == "__main__":
    main()
