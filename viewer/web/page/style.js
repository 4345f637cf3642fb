// The plan's layer styles (GET /api/info, [layers.style] of the plan file) as MapLibre layers:
// fills, hatches (a pattern image made here), outlines, dashes, lines, points and labels.
// Labels need no glyph server: the style has no `glyphs` URL, so MapLibre draws every glyph
// in the browser with the fonts below (CJK through localIdeographFontFamily), offline.

export const LABEL_FONTS = ['Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'sans-serif'];
export const IDEOGRAPH_FONT_FAMILY = "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif";

/// '#rrggbb' or '#rrggbbaa' (the plan's forms) → { rgb: '#rrggbb', alpha: 0..1 }; null for
/// '', 'none' or anything else (the default: not drawn).
export function parseColour(c) {
    if (typeof c !== 'string') return null;
    const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(c.trim());
    if (!m) return null;
    return { rgb: `#${m[1].toLowerCase()}`, alpha: m[2] ? parseInt(m[2], 16) / 255 : 1 };
}

export function rgbOf(hex) {
    const n = parseInt(hex.slice(1, 7), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function dashArray(dash) {
    if (dash === 'dash') return [4, 2];
    if (dash === 'dot') return [1, 1.5];
    return null;
}

/// A 16×16 RGBA hatch tile: 'diagonal' (///) or 'cross' (xxx) strokes of `colour`.
export function hatchImage(kind, colour) {
    const size = 16;
    const data = new Uint8Array(size * size * 4);
    const [r, g, b] = rgbOf(colour.rgb);
    for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
            const d1 = (x + y) % 8;
            const d2 = (x - y + size) % 8;
            const on = d1 < 1.5 || (kind === 'cross' && d2 < 1.5);
            if (!on) continue;
            const i = (y * size + x) * 4;
            data[i] = r; data[i + 1] = g; data[i + 2] = b; data[i + 3] = Math.round(255 * colour.alpha);
        }
    }
    return { width: size, height: size, data };
}

export function tileUrl(layerId, asOf) {
    const base = `${location.origin}/tiles/${encodeURIComponent(layerId)}/{z}/{x}/{y}.mvt`;
    return asOf ? `${base}?as_of=${encodeURIComponent(asOf)}` : base;
}

/// The MapLibre sources (by id), style layers and images of one plan layer. Style layer ids start with
/// the plan layer id and a colon ('farmland:fill'), so the layer tree can toggle them together.
export function planLayerStyle(layer, asOf) {
    const s = layer.style || {};
    const id = layer.id;
    const src = { type: 'vector', tiles: [tileUrl(id, asOf)], minzoom: 0, maxzoom: 14 };
    const common = { source: id, 'source-layer': id, layout: { visibility: layer.visible ? 'visible' : 'none' } };
    const opacity = typeof s.opacity === 'number' ? s.opacity : 1;
    const fill = parseColour(s.fill);
    const stroke = parseColour(s.stroke);
    const width = typeof s.stroke_width === 'number' ? s.stroke_width : 1;
    const layers = [];
    const images = [];
    const geom = String(layer.geometry || '');
    const poly = /Polygon/.test(geom), line = /LineString/.test(geom), point = /Point/.test(geom);
    if (poly) {
        // A fill's antialiased edge is drawn by one more program and pass over every edge; where
        // the outline layer draws the edge anyway it is left out (measured: ~20% off the first
        // draw on SwiftShader, bench/page_first_draw.mjs).
        const antialias = !stroke;
        if (fill) {
            layers.push({ ...common, id: `${id}:fill`, type: 'fill', filter: ['==', ['geometry-type'], 'Polygon'],
                paint: { 'fill-color': fill.rgb, 'fill-opacity': fill.alpha * opacity, 'fill-antialias': antialias } });
        }
        if (s.hatch === 'diagonal' || s.hatch === 'cross') {
            const name = `hatch:${id}`;
            images.push({ name, image: hatchImage(s.hatch, stroke || { rgb: '#000000', alpha: 1 }) });
            layers.push({ ...common, id: `${id}:hatch`, type: 'fill', filter: ['==', ['geometry-type'], 'Polygon'],
                paint: { 'fill-pattern': name, 'fill-opacity': opacity, 'fill-antialias': antialias } });
        }
        if (stroke) {
            const paint = { 'line-color': stroke.rgb, 'line-opacity': stroke.alpha * opacity, 'line-width': width };
            const dash = dashArray(s.dash);
            if (dash) paint['line-dasharray'] = dash;
            layers.push({ ...common, id: `${id}:outline`, type: 'line', paint });
        }
    } else if (line) {
        const c = stroke || fill || { rgb: '#333333', alpha: 1 };
        const paint = { 'line-color': c.rgb, 'line-opacity': c.alpha * opacity, 'line-width': width };
        const dash = dashArray(s.dash);
        if (dash) paint['line-dasharray'] = dash;
        layers.push({ ...common, id: `${id}:line`, type: 'line', paint, layout: { ...common.layout, 'line-join': 'round' } });
    } else if (point) {
        const c = fill || { rgb: '#ffffff', alpha: 1 };
        const size = typeof s.point_size === 'number' ? s.point_size : 6;
        layers.push({ ...common, id: `${id}:circle`, type: 'circle',
            paint: { 'circle-color': c.rgb, 'circle-opacity': c.alpha * opacity, 'circle-radius': size / 2,
                'circle-stroke-color': (stroke || { rgb: '#333333' }).rgb, 'circle-stroke-width': 1.2,
                'circle-stroke-opacity': opacity } });
    } else {
        return null;  // a table (no geometry): nothing to draw
    }
    const sources = { [id]: src };
    if (layer.label) {
        // A polygon cut by tile edges gets a label in each piece. The admin layer's few large
        // polygons are labelled from one z4 tile (the whole corridor, overzoomed): one label each.
        let labelSource = id;
        if (poly && layer.role === 'admin') {
            labelSource = `${id}:labels`;
            sources[labelSource] = { ...src, maxzoom: 4 };
        }
        layers.push({ ...common, source: labelSource, id: `${id}:label`, type: 'symbol',
            minzoom: layer.role === 'admin' ? 0 : 8,
            layout: { ...common.layout, 'text-field': ['to-string', ['get', layer.label]], 'text-font': LABEL_FONTS,
                'text-size': layer.role === 'admin' ? 14 : 12,
                'text-offset': point ? [0, 1.1] : [0, 0], 'text-anchor': point ? 'top' : 'center',
                'symbol-placement': line ? 'line' : 'point', 'text-max-width': 8 },
            paint: { 'text-color': '#222222', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 } });
    }
    return { sources, layers, images };
}

/// A legend swatch (a small DOM element) for a plan layer's style.
export function legendSwatch(layer, doc = document) {
    const s = layer.style || {};
    const sw = doc.createElement('span');
    sw.className = 'swatch';
    const fill = parseColour(s.fill), stroke = parseColour(s.stroke);
    const geom = String(layer.geometry || '');
    if (/Point/.test(geom)) sw.classList.add('point');
    if (/LineString/.test(geom)) {
        sw.classList.add('line');
        const c = stroke || fill;
        if (c) sw.style.borderTopColor = c.rgb;
    } else {
        if (fill) sw.style.backgroundColor = `rgba(${rgbOf(fill.rgb).join(',')},${fill.alpha})`;
        if (stroke) sw.style.borderColor = stroke.rgb;
        if (s.dash === 'dash' || s.dash === 'dot') sw.style.borderStyle = s.dash === 'dash' ? 'dashed' : 'dotted';
        if (s.hatch) sw.classList.add(`hatch-${s.hatch}`);
    }
    return sw;
}
