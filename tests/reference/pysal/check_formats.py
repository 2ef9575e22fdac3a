"""Check that PySAL (libpysal) reads the GAL and GWT files wijkbeeld writes.

Run from the repository root with Debian's python3 (python3-libpysal:
scripts/install-deps.sh --reference), on the files described in
tests/reference/spdep/check_formats.R:
    /usr/bin/python3 tests/reference/pysal/check_formats.py \
        tests/data/spdep/nc_queen_wijkbeeld.gal tests/data/spdep/nc_knn4_wijkbeeld.gwt
The GAL must hold spdep's queen list (tests/data/spdep/nc_nb_queen.csv) and the GWT the
kNN(4) list (nc_nb_knn4.csv) with weight 1/4 per link (style W).
"""
import csv
import sys

import libpysal


def spdep_links(name):
    codes = [r["code"] for r in csv.DictReader(open("tests/data/spdep/nc_values.csv"))]
    links = {c: set() for c in codes}
    for r in csv.DictReader(open("tests/data/spdep/nc_nb_%s.csv" % name)):
        links[codes[int(r["i"]) - 1]].add(codes[int(r["j"]) - 1])
    return links


gal = libpysal.io.open(sys.argv[1]).read()
q = spdep_links("queen")
assert gal.n == 100, gal.n
for c, nb in q.items():
    assert set(str(x) for x in gal.neighbors[c]) == nb, c
print("GAL: libpysal reads spdep's queen list (%d links)" % gal.s0)

gwt = libpysal.io.open(sys.argv[2]).read()
k = spdep_links("knn4")
assert gwt.n == 100, gwt.n
for c, nb in k.items():
    assert set(str(x) for x in gwt.neighbors[c]) == nb, c
    assert all(abs(w - 0.25) < 1e-15 for w in gwt.weights[c]), c
print("GWT: libpysal reads spdep's kNN(4) list with weights 1/4 (%d links)" % sum(len(v) for v in gwt.neighbors.values()))
