// Site files read in the browser, only to draw the site on the map: the verdicts always come
// from the server (POST /api/check reads the file with the CLI's own code). Drawn here:
// GeoJSON in lon/lat, KML, and 国土 TXT (CGCS2000 Gauss-Krüger, inverted below). Other formats
// (DXF, GeoPackage, zipped shapefiles, point tables) are checked but not drawn (null).
// No DOM use except DOMParser for KML, so node can import this module (the page tests do).

// CGCS2000 ellipsoid (GRS80 axes; the flattening of CGCS2000).
const A = 6378137.0;
const F = 1 / 298.257222101;
const E2 = F * (2 - F);
const EP2 = E2 / (1 - E2);

/// Inverse transverse Mercator (Snyder, USGS PP 1395, eq. 8-12 … 8-18), scale 1, false easting
/// 500 km, on CGCS2000: Gauss-Krüger northing/easting in metres → [lon, lat] in degrees.
/// Millimetre-level inside a 3° or 6° zone, far finer than a screen pixel.
export function gaussKrugerToLonLat(northing, easting, centralMeridianDeg) {
    const e1 = (1 - Math.sqrt(1 - E2)) / (1 + Math.sqrt(1 - E2));
    const m = northing;
    const mu = m / (A * (1 - E2 / 4 - (3 * E2 * E2) / 64 - (5 * E2 * E2 * E2) / 256));
    const phi1 = mu + ((3 * e1) / 2 - (27 * e1 ** 3) / 32) * Math.sin(2 * mu)
        + ((21 * e1 * e1) / 16 - (55 * e1 ** 4) / 32) * Math.sin(4 * mu)
        + ((151 * e1 ** 3) / 96) * Math.sin(6 * mu)
        + ((1097 * e1 ** 4) / 512) * Math.sin(8 * mu);
    const sin1 = Math.sin(phi1), cos1 = Math.cos(phi1), tan1 = Math.tan(phi1);
    const c1 = EP2 * cos1 * cos1;
    const t1 = tan1 * tan1;
    const n1 = A / Math.sqrt(1 - E2 * sin1 * sin1);
    const r1 = (A * (1 - E2)) / Math.pow(1 - E2 * sin1 * sin1, 1.5);
    const d = (easting - 500000) / n1;
    const lat = phi1 - ((n1 * tan1) / r1) * (d * d / 2
        - ((5 + 3 * t1 + 10 * c1 - 4 * c1 * c1 - 9 * EP2) * d ** 4) / 24
        + ((61 + 90 * t1 + 298 * c1 + 45 * t1 * t1 - 252 * EP2 - 3 * c1 * c1) * d ** 6) / 720);
    const lon = (d - ((1 + 2 * t1 + c1) * d ** 3) / 6
        + ((5 - 2 * c1 + 28 * t1 - 3 * c1 * c1 + 8 * EP2 + 24 * t1 * t1) * d ** 5) / 120) / cos1;
    return [centralMeridianDeg + (lon * 180) / Math.PI, (lat * 180) / Math.PI];
}

function decodeText(bytes) {
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        return new TextDecoder('gbk').decode(bytes);  // 国土 files are often GBK
    }
}

/// 国土 TXT (自然资源部 boundary-point exchange format): [属性描述] key=value lines, then
/// [地块坐标] with one header line per parcel (…,@) and points `name,ring,X(north),Y(east)`.
export function parseGuotuTxt(text) {
    const attrs = {};
    const features = [];
    let section = '';
    let current = null;
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (!line) continue;
        if (line.startsWith('[')) { section = line; continue; }
        if (section.includes('属性描述')) {
            const eq = line.indexOf('=');
            if (eq > 0) attrs[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
            continue;
        }
        const f = line.split(',');
        if (line.endsWith('@')) {
            current = { id: f[2] || '', name: f[3] || '', rings: new Map() };
            features.push(current);
        } else if (current && f.length >= 4) {
            const ring = f[1] || '1';
            const x = Number(f[2]), y = Number(f[3]);
            if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
            if (!current.rings.has(ring)) current.rings.set(ring, []);
            current.rings.get(ring).push([x, y]);
        }
    }
    const width = Number(attrs['几度分带'] || 3);
    let zone = Number(attrs['带号']);
    const toLonLat = ([north, east]) => {
        let e = east, z = zone;
        if (e >= 1e6) { z = Math.floor(e / 1e6); e -= z * 1e6; }  // zone number before the easting
        if (!Number.isFinite(z) || z <= 0) return null;
        const cm = width === 6 ? z * 6 - 3 : z * 3;
        return gaussKrugerToLonLat(north, e, cm);
    };
    const out = [];
    for (const feat of features) {
        const rings = [];
        for (const pts of feat.rings.values()) {
            const ll = pts.map(toLonLat);
            if (ll.some((p) => p === null)) return null;
            rings.push(ll);
        }
        if (rings.length === 0) continue;
        out.push({ type: 'Feature', properties: { id: feat.id, name: feat.name },
            geometry: { type: 'Polygon', coordinates: rings } });
    }
    return { type: 'FeatureCollection', features: out };
}

function kmlCoords(el) {
    const text = el ? el.textContent.trim() : '';
    return text.split(/\s+/).filter(Boolean).map((t) => t.split(',').slice(0, 2).map(Number));
}

export function parseKml(text, DOMParserImpl = globalThis.DOMParser) {
    if (!DOMParserImpl) return null;
    const doc = new DOMParserImpl().parseFromString(text, 'application/xml');
    const out = [];
    for (const pm of Array.from(doc.getElementsByTagName('Placemark'))) {
        const nameEl = pm.getElementsByTagName('name')[0];
        const props = { name: nameEl ? nameEl.textContent : '' };
        const polys = [];
        for (const pg of Array.from(pm.getElementsByTagName('Polygon'))) {
            const outer = pg.getElementsByTagName('outerBoundaryIs')[0];
            const rings = [kmlCoords(outer && outer.getElementsByTagName('coordinates')[0])];
            for (const inner of Array.from(pg.getElementsByTagName('innerBoundaryIs'))) {
                rings.push(kmlCoords(inner.getElementsByTagName('coordinates')[0]));
            }
            polys.push(rings);
        }
        if (polys.length === 1) {
            out.push({ type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: polys[0] } });
        } else if (polys.length > 1) {
            out.push({ type: 'Feature', properties: props, geometry: { type: 'MultiPolygon', coordinates: polys } });
        }
    }
    return { type: 'FeatureCollection', features: out };
}

function looksLonLat(fc) {
    let ok = true;
    const walk = (c) => {
        if (typeof c[0] === 'number') {
            if (!(Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 90)) ok = false;
        } else c.forEach(walk);
    };
    for (const f of fc.features || []) if (f && f.geometry && f.geometry.coordinates) walk(f.geometry.coordinates);
    return ok;
}

/// The sites of a file as a GeoJSON FeatureCollection in lon/lat, or null when this page cannot
/// draw that format (the server still checks it).
export function parseSiteFile(filename, bytes) {
    const ext = filename.toLowerCase().split('.').pop();
    try {
        if (ext === 'geojson' || ext === 'json') {
            const fc = JSON.parse(decodeText(bytes));
            return fc && fc.type === 'FeatureCollection' && looksLonLat(fc) ? fc : null;
        }
        if (ext === 'kml') return parseKml(decodeText(bytes));
        if (ext === 'txt') return parseGuotuTxt(decodeText(bytes));
    } catch {
        return null;
    }
    return null;
}

/// [minLon, minLat, maxLon, maxLat] of a FeatureCollection, or null when it is empty.
export function bbox(fc) {
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    const walk = (c) => {
        if (typeof c[0] === 'number') {
            b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
            b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
        } else c.forEach(walk);
    };
    for (const f of fc.features) if (f.geometry) walk(f.geometry.coordinates);
    return Number.isFinite(b[0]) ? b : null;
}
