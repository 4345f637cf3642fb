// Draw a site (绘制场地): click the corners on the map, double-click (or 完成 Finish) to close
// it; the polygon is checked as a GeoJSON file (EPSG:4326), exactly as a dropped one.
import { el, state, setStatus } from './app.js';
import { checkSite } from './panels.js';

const draw = { points: [], active: false };

/// The drawing's source and layers, added when a drawing starts: added with the page, they held
/// its first draw for one more frame (a source to load, a circle program to build).
function ensureDrawLayers() {
    const map = state.map;
    if (map.getSource('draw')) return;
    map.addSource('draw', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'draw:line', type: 'line', source: 'draw', paint: { 'line-color': '#2b83ba', 'line-width': 2, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'draw:point', type: 'circle', source: 'draw', filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 4, 'circle-color': '#2b83ba', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } });
}

function preview() {
    const map = state.map;
    ensureDrawLayers();
    const pts = draw.points;
    const features = pts.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } }));
    if (pts.length > 1) {
        features.push({ type: 'Feature', properties: {},
            geometry: { type: 'LineString', coordinates: pts.length > 2 ? [...pts, pts[0]] : pts } });
    }
    map.getSource('draw').setData({ type: 'FeatureCollection', features });
}

function setActive(active) {
    draw.active = active;
    state.drawing = active;
    document.getElementById('draw-site').hidden = active;
    document.getElementById('draw-finish').hidden = !active;
    document.getElementById('draw-cancel').hidden = !active;
    state.map.getCanvas().style.cursor = active ? 'crosshair' : '';
    if (active) state.map.doubleClickZoom.disable(); else state.map.doubleClickZoom.enable();
}

async function finish() {
    const pts = draw.points;
    setActive(false);
    draw.points = [];
    preview();
    if (pts.length < 3) { setStatus('至少三个点 a site needs three corners or more', true); return; }
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature',
        properties: { id: 'DRAWN-1', name: '绘制场地 drawn site' },
        geometry: { type: 'Polygon', coordinates: [[...pts, pts[0]]] } }] };
    await checkSite('drawn-site.geojson', new TextEncoder().encode(JSON.stringify(fc)), false);
}

export function setupDraw() {
    const map = state.map;
    const box = document.getElementById('draw-controls');
    box.append(
        el('button', { type: 'button', id: 'draw-site', onclick: () => { draw.points = []; preview(); setActive(true); } }, '绘制场地 Draw a site'),
        el('button', { type: 'button', id: 'draw-finish', hidden: true, onclick: finish }, '完成 Finish'),
        el('button', { type: 'button', id: 'draw-cancel', hidden: true,
            onclick: () => { draw.points = []; preview(); setActive(false); } }, '取消 Cancel'));
    map.on('click', (e) => {
        if (!draw.active) return;
        draw.points.push([e.lngLat.lng, e.lngLat.lat]);
        preview();
    });
    map.on('dblclick', (e) => {
        if (!draw.active) return;
        e.preventDefault();
        draw.points.pop();  // the double-click's second click added the last corner twice
        finish();
    });
}
