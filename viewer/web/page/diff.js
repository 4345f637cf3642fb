// Diff mode (对比): a layer that changes over time (versions, or dated records) on two days.
// The figures are GET /api/diff's (the JSON of `onemap diff`); on the map the layer is drawn as
// it stood on each day from the tiles (`?as_of=`): the earlier day plum and dashed, the later
// day teal (the viewer's lost/gained colours). /api/diff answers figures, not geometries, so
// the gained and lost land itself is not painted apart from the unchanged land here.
import { el, state, setStatus, fetchOk, fmt } from './app.js';
import { tileUrl } from './style.js';

const LOST = '#40004b', GAINED = '#01a0a0';  // viewer/render/src/style.cpp
const DIFF_LAYERS = ['diff:to:fill', 'diff:to:line', 'diff:from:fill', 'diff:from:line'];

export function endDiff() {
    const map = state.map;
    for (const id of DIFF_LAYERS) if (map.getLayer(id)) map.removeLayer(id);
    for (const id of ['diff:from', 'diff:to']) if (map.getSource(id)) map.removeSource(id);
    const box = document.getElementById('diff-result');
    box.replaceChildren();
    delete box.dataset.state;
}

function drawDiff(layerId, from, to) {
    endDiff();
    const map = state.map;
    for (const [key, day, colour] of [['to', to, GAINED], ['from', from, LOST]]) {
        const src = `diff:${key}`;
        map.addSource(src, { type: 'vector', tiles: [tileUrl(layerId, day)], maxzoom: 14 });
        const common = { source: src, 'source-layer': layerId };
        map.addLayer({ ...common, id: `${src}:fill`, type: 'fill', filter: ['==', ['geometry-type'], 'Polygon'],
            paint: { 'fill-color': colour, 'fill-opacity': 0.3 } });
        map.addLayer({ ...common, id: `${src}:line`, type: 'line',
            paint: { 'line-color': colour, 'line-width': 2, ...(key === 'from' ? { 'line-dasharray': [3, 2] } : {}) } });
    }
}

function renderDiff(d) {
    const title = (state.info.layers.find((l) => l.id === d.layer) || {}).title || d.layer;
    const v = (x) => (x ? `${x.from} ${x.doc || ''}` : '—');
    const rows = (d.by_admin || []).map((a) => el('tr', {}, el('td', {}, a.name),
        el('td', {}, fmt(a.gained_m2 / (10000 / 15))), el('td', {}, fmt(a.lost_m2 / (10000 / 15)))));
    const box = document.getElementById('diff-result');
    box.replaceChildren(
        el('p', {}, `${title}：${d.from} → ${d.to}`),
        el('p', { class: 'gained' }, el('span', { class: 'swatch', style: `background:${GAINED}` }),
            ` 增加 gained ${fmt(d.gained_m2)} m²（${fmt(d.gained_mu)} 亩）`),
        el('p', { class: 'lost' }, el('span', { class: 'swatch', style: `background:${LOST}` }),
            ` 减少 lost ${fmt(d.lost_m2)} m²（${fmt(d.lost_mu)} 亩）`),
        el('p', { class: 'hint' }, `${d.from}：${v(d.from_version)}`),
        el('p', { class: 'hint' }, `${d.to}：${v(d.to_version)}`),
        el('table', { class: 'props' }, el('tr', {}, el('td', {}, '行政区 unit'), el('td', {}, '增加 亩'), el('td', {}, '减少 亩')), rows),
        el('button', { type: 'button', id: 'diff-end', onclick: endDiff }, '退出对比 End diff'));
    box.dataset.state = 'done';
}

async function runDiff(e) {
    e.preventDefault();
    const layer = document.getElementById('diff-layer').value;
    const from = document.getElementById('diff-from').value;
    const to = document.getElementById('diff-to').value || state.asOf;
    const q = new URLSearchParams({ layer, from });
    if (to) q.set('to', to);
    try {
        const d = await (await fetchOk(`/api/diff?${q}`)).json();
        drawDiff(layer, d.from, d.to);
        renderDiff(d);
        setStatus(`对比 diff ${layer} ${d.from} → ${d.to}`);
    } catch (err) {
        setStatus(`对比失败 diff failed: ${err.message}`, true);
    }
}

export function setupDiff() {
    const select = document.getElementById('diff-layer');
    const changing = state.info.layers.filter((l) => (l.versions && l.versions.length > 1) || l.date_field);
    select.replaceChildren(...changing.map((l) => el('option', { value: l.id }, `${l.title} ${l.id}`)));
    const first = changing.find((l) => l.versions && l.versions.length > 1);
    if (first) document.getElementById('diff-from').value = first.versions[0].from;
    document.getElementById('diff-to').value = state.asOf;
    document.getElementById('diff-form').addEventListener('submit', runDiff);
    document.getElementById('diff-section').hidden = changing.length === 0;
}
