// onemap page: the one map in MapLibre (vector tiles from /tiles), the layer tree and legend,
// the date (as of), identify. The check and find panels are in panels.js; sign-in and the
// role's rights in session.js; the audit view in audit.js. Layers marked `public = false` are
// not asked for (no tile request) unless the caller's role sees them.
// Every text that comes from data reaches the DOM through textContent (el() below), never HTML.
import { planLayerStyle, legendSwatch, tileUrl, IDEOGRAPH_FONT_FAMILY } from './style.js';
import { setupCheck, setupFind, rerunCheck, clearFind } from './panels.js';
import { setupDiff, endDiff } from './diff.js';
import { setupDraw } from './draw.js';
import { loadSession, onSessionChange, may, whoMay, seesHiddenLayers, withSession, noteRefusal } from './session.js';
import { setupAudit, refreshAudit } from './audit.js';
import { setupSubmissions } from './submissions.js';
import { setupAdmin } from './admin.js';
import { refreshPublicity } from './publicity.js';

const maplibregl = window.maplibregl;

/// A DOM element with attributes and children; strings become text nodes (never parsed as HTML).
export function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'dataset') Object.assign(e.dataset, v);
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
        if (c === undefined || c === null || c === false) continue;
        e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
}

export const state = { info: null, asOf: '', map: null, styleLayers: {} };

export function setStatus(text, isError = false) {
    const s = document.getElementById('status');
    s.textContent = text;
    s.classList.toggle('error', isError);
}

/// fetch() that turns a non-2xx answer into an Error carrying the server's one-line message.
/// Signed in, it sends the CSRF token; a refusal that ends the session signs the page out.
export async function fetchOk(url, options) {
    const r = await fetch(url, withSession(options));
    if (!r.ok) {
        let msg = `${r.status} ${r.statusText}`;
        try { msg = (await r.json()).error || msg; } catch { /* not JSON */ }
        noteRefusal(r.status, msg);
        throw new Error(msg);
    }
    return r;
}

export const fmt = (n, digits = 2) => Number(n).toLocaleString('zh-CN', { maximumFractionDigits: digits });

async function loadInfo(asOf) {
    const q = asOf ? `?as_of=${encodeURIComponent(asOf)}` : '';
    return (await fetchOk(`/api/info${q}`)).json();
}

/// Today's info, from the request index.html made before MapLibre was read (once), else asked now.
async function firstInfo() {
    const early = window.onemapFirstInfo;
    window.onemapFirstInfo = null;
    if (!early) return loadInfo('');
    const r = await early.catch(() => null);
    if (!r || !r.ok) return loadInfo('');  // the error message comes from asking again
    return r.json();
}

/// A layer the caller may not see (`"public": false` in /api/info, signed out or public role).
const withheld = (layer) => layer.public === false && !seesHiddenLayers();

function buildStyle(info) {
    const style = { version: 8, sources: {}, layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#eef0f2' } }] };
    const images = [];
    for (const layer of info.layers) {
        const s = planLayerStyle(layer, '');
        if (!s) continue;
        images.push(...s.images);  // every layer's patterns: a layer shown after sign-in needs its own
        if (withheld(layer)) continue;
        Object.assign(style.sources, s.sources);
        state.styleLayers[layer.id] = s.layers.map((l) => l.id);
        style.layers.push(...s.layers.filter((l) => l.type !== 'symbol'));
    }
    // Labels above every layer's geometry.
    for (const layer of info.layers) {
        const s = planLayerStyle(layer, '');
        if (s && !withheld(layer)) style.layers.push(...s.layers.filter((l) => l.type === 'symbol'));
    }
    return { style, images };
}

/// After a sign-in or sign-out: the layers kept from the public added to the map or taken off
/// (with their sources, so no tile of theirs is asked for while signed out).
function syncWithheldLayers() {
    const map = state.map;
    for (const layer of state.info.layers) {
        if (layer.public !== false) continue;
        const shown = Boolean(state.styleLayers[layer.id]);
        if (withheld(layer) && shown) {
            const owned = [...state.styleLayers[layer.id], `conflict:${layer.id}`];
            for (const id of owned) if (map.getLayer(id)) map.removeLayer(id);
            for (const id of [layer.id, `${layer.id}:labels`]) if (map.getSource(id)) map.removeSource(id);
            delete state.styleLayers[layer.id];
        } else if (!withheld(layer) && !shown) {
            const s = planLayerStyle(layer, state.asOf === state.info.as_of ? '' : state.asOf);
            if (!s) continue;
            for (const [id, src] of Object.entries(s.sources)) if (!map.getSource(id)) map.addSource(id, src);
            // Its geometry under the next plan layer's drawn (as the plan orders them), else under
            // the labels; its labels on top.
            const later = state.info.layers.slice(state.info.layers.indexOf(layer) + 1)
                .map((l) => state.styleLayers[l.id]).find(Boolean);
            const firstLabel = map.getStyle().layers.find((l) => l.type === 'symbol');
            const before = later ? later[0] : firstLabel && firstLabel.id;
            for (const l of s.layers) map.addLayer(l, l.type === 'symbol' ? undefined : before);
            state.styleLayers[layer.id] = s.layers.map((l) => l.id);
        }
    }
}

/// The controls the role may not use are disabled, saying which roles may.
function applyRights() {
    for (const [id, what] of [['find-go', 'find'], ['diff-go', 'diff'], ['report-pdf', 'report']]) {
        const button = document.getElementById(id);
        if (!button) continue;
        button.disabled = !may(what);
        button.title = may(what) ? '' : `需登录 sign in as ${whoMay(what)}`;
    }
}

function sessionChanged() {
    if (!seesHiddenLayers()) endDiff();  // its sources may draw a withheld layer
    syncWithheldLayers();
    renderLayerTree(state.info);
    applyRights();
    refreshAudit();
    refreshPublicity();
    rerunCheck();  // a check shown is asked again: the conflict areas the new role may see
}

function renderLayerTree(info) {
    const ul = document.getElementById('layer-tree');
    ul.replaceChildren();
    for (const layer of info.layers) {
        const drawable = Boolean(state.styleLayers[layer.id]);
        const hidden = withheld(layer);
        const visible = drawable && state.map.getLayoutProperty(state.styleLayers[layer.id][0], 'visibility') !== 'none';
        const box = el('input', { type: 'checkbox', id: `layer-${layer.id}`, checked: visible, disabled: !drawable,
            onchange: (e) => setLayerVisible(layer.id, e.target.checked) });
        const title = el('label', { for: `layer-${layer.id}` }, layer.title || layer.id);
        const count = el('span', { class: 'count', title: '当日有效要素数 features in force' }, fmt(layer.count, 0));
        ul.append(el('li', { class: layer.count ? '' : 'empty', dataset: { layer: layer.id } },
            box, legendSwatch(layer), title, drawable ? null : el('span', { class: hidden ? 'hint withheld' : 'hint' }, hidden ? '未公开 (sign in)' : '表 table'), count));
    }
}

export function setLayerVisible(layerId, visible) {
    for (const id of state.styleLayers[layerId] || []) {
        state.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
}

async function setAsOf(asOf) {
    state.asOf = asOf;
    document.body.dataset.state = 'loading';
    for (const layer of state.info.layers) {
        for (const id of [layer.id, `${layer.id}:labels`]) {
            const src = state.map.getSource(id);
            if (src) src.setTiles([tileUrl(layer.id, asOf)]);
        }
    }
    try {
        state.info = await loadInfo(asOf);
        renderLayerTree(state.info);
        const notes = (state.info.notes || []).join('；');
        setStatus(`${asOf} 的一张图 the one map as of ${asOf}${notes ? ` — ${notes}` : ''}`);
        clearFind(`日期已改为 ${asOf}，请重新查找。The day changed: find again.`);
        await rerunCheck();
    } catch (e) {
        setStatus(`日期无效 bad date: ${e.message}`, true);
    }
    document.body.dataset.state = 'ready';
}

function identify(e) {
    if (state.drawing) return;  // a click of draw mode adds a corner
    const ids = Object.values(state.styleLayers).flat().filter((id) => state.map.getLayer(id)
        && state.map.getLayoutProperty(id, 'visibility') !== 'none' && !id.endsWith(':label'));
    const feats = state.map.queryRenderedFeatures(e.point, { layers: ids });
    const seen = new Set();
    const box = document.getElementById('identify');
    box.replaceChildren();
    for (const f of feats) {
        const key = `${f.source}/${f.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const layer = state.info.layers.find((l) => l.id === f.source);
        const rows = Object.entries(f.properties).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v)));
        box.append(el('h3', {}, layer ? layer.title : f.source, el('span', { class: 'hint' }, ` ${f.source} #${f.id ?? ''}`)),
            el('table', { class: 'props' }, rows));
    }
    if (!seen.size) box.append(el('p', { class: 'hint' }, '此处无要素。No feature here.'));
}

async function main() {
    let info;
    const sessionKnown = loadSession();  // asked beside the plan
    performance.mark('onemap:script');  // the page's modules ran (bench/page_first_draw.mjs)
    // MapLibre's workers start (each reads MapLibre's code again) while the plan is on its way.
    // At least two: MapLibre takes half the cores, one on a 2-core machine, and the first view's
    // ~40 tiles are parsed there (measured: ~10% off the first draw; bench/page_first_draw.mjs).
    maplibregl.setWorkerCount(Math.max(2, maplibregl.getWorkerCount()));
    maplibregl.prewarm();
    try {
        info = await firstInfo();
    } catch (e) {
        setStatus(`无法读取图层 cannot read /api/info: ${e.message}`, true);
        return;
    }
    await sessionKnown;
    performance.mark('onemap:info');
    state.info = info;
    state.asOf = info.as_of;
    document.getElementById('plan-title').textContent = `${info.plan} · onemap 一张图`;
    document.title = `${info.plan} · onemap`;
    const dateInput = document.getElementById('as-of');
    dateInput.value = info.as_of;
    dateInput.addEventListener('change', () => { if (dateInput.value) setAsOf(dateInput.value); });

    const { style, images } = buildStyle(info);
    const map = new maplibregl.Map({
        container: 'map', style, bounds: info.extent_wgs84, fitBoundsOptions: { padding: 20 },
        localIdeographFontFamily: IDEOGRAPH_FONT_FAMILY, attributionControl: false, maxZoom: 19,
        fadeDuration: 0,  // labels appear at once: the first draw is not held 300 ms for a fade
        canvasContextAttributes: { preserveDrawingBuffer: false },
    });
    state.map = map;
    window.onemapPage = { map, state };
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
    // Hatch patterns are made here (style.js) and given to MapLibre when a layer asks for them.
    map.on('styleimagemissing', (e) => {
        const img = images.find((i) => i.name === e.id);
        if (img && !map.hasImage(e.id)) map.addImage(e.id, img.image);
    });
    map.on('click', identify);
    // The first idle: every tile of the first view loaded and drawn (the page's first draw).
    map.once('idle', () => performance.mark('onemap:first-idle'));
    map.on('load', () => {
        performance.mark('onemap:load');
        renderLayerTree(info);
        setupCheck();
        setupFind();
        setupDiff();
        setupDraw();
        setupAudit();
        sessionChanged();
        onSessionChange(sessionChanged);
        setupSubmissions();
        setupAdmin();
        setStatus(`${info.as_of} · ${info.layers.length} 个图层 layers · ${info.crs}`);
        document.body.dataset.state = 'ready';
    });
    map.on('error', (e) => {
        const msg = e.error ? e.error.message : String(e);
        console.error(`onemap page: map error: ${msg}`);
        setStatus(`地图错误 map error: ${msg}`, true);
    });
}

main();
