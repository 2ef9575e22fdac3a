// Drawing GeoJSON polygons (WGS84 from /api/geojson) as SVG paths, as the map page does.
const SVGNS = 'http://www.w3.org/2000/svg';

function polygons(geom) {
  if (!geom) return [];
  return geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
}

export function project(features) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of features)
    for (const poly of polygons(f.geometry))
      for (const p of poly[0]) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
  const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);
  const S = 10000;
  return { S, k, minX, maxY, w: (maxX - minX) * k * S, h: (maxY - minY) * S };
}

export function pathData(geom, pr) {
  let d = '';
  for (const poly of polygons(geom))
    for (const ring of poly) {
      for (let i = 0; i < ring.length - 1; i++) {
        const x = (ring[i][0] - pr.minX) * pr.k * pr.S;
        const y = (pr.maxY - ring[i][1]) * pr.S;
        d += (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
      }
      d += 'Z';
    }
  return d;
}

export function svgEl(tag) { return document.createElementNS(SVGNS, tag); }

/** Does an initiative's area @p target (BU/WK/GM code) cover buurt @p buurt? */
export function covers(target, buurt) {
  if (target === buurt) return true;
  if (target.startsWith('WK')) return buurt.startsWith('BU' + target.slice(2));
  if (target.startsWith('GM')) return buurt.startsWith('BU' + target.slice(2));
  return false;
}
