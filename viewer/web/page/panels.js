// The check panel (drop a site file → POST /api/check → verdicts rule by rule, the site and
// its conflict areas on the map, the PDF report) and the find panel (POST /api/find →
// candidates on the map). Text from data goes into the DOM through el() (textContent) only.
import { el, state, setStatus, fetchOk, fmt } from './app.js';
import { parseSiteFile, bbox } from './sites.js';
import { may, whoMay } from './session.js';

const maplibregl = window.maplibregl;

// The verdict words of the reports (core/src/check/phrases.cpp): Chinese first.
const VERDICT_WORDS = {
    pass: ['合规', 'pass', 'pass'],
    'pass (partial)': ['合规（部分审查）', 'pass (partial)', 'pass'],
    warn: ['警示', 'warn', 'warn'],
    fail: ['不合规', 'fail', 'fail'],
    unchecked: ['未能审查', 'unchecked', 'unchecked'],
    'not checked': ['未审查', 'not checked', 'not-checked'],
};
const SITE_COLOUR = { pass: '#1a9641', warn: '#e6a100', fail: '#d7191c' };
const CONFLICT_COLOUR = '#e7298a';  // the viewer's conflict colour (viewer/render/src/style.cpp)

function verdictChip(v) {
    const [zh, en, cls] = VERDICT_WORDS[v] || [v, '', 'unchecked'];
    return el('span', { class: `verdict ${cls}`, dataset: { verdict: v } }, en && en !== zh ? `${zh} ${en}` : zh);
}

const check = { site: null, result: null, idFields: {}, conflicts: null };
const NO_FEATURES = { type: 'FeatureCollection', features: [] };

function ruleDetail(r) {
    if (r.reason) return r.reason;
    const parts = [];
    if (r.overlap_m2 !== undefined) {
        parts.push(`占用 overlap ${fmt(r.overlap_m2)} m²（${fmt(r.overlap_mu)} 亩）`);
        if (r.by_m2) parts.push(Object.entries(r.by_m2).map(([k, v]) => `${k} ${fmt(v)} m²`).join('、'));
    }
    if (r.inside_fraction !== undefined) parts.push(`范围内 inside ${fmt(r.inside_fraction * 100, 1)}%，范围外 outside ${fmt(r.outside_m2)} m²`);
    if (r.distance_m !== undefined) parts.push(`距 ${r.nearest || ''} ${fmt(r.distance_m, 0)} m（限 limit ${fmt(r.limit, 0)} m）`);
    if (r.remaining_mu !== undefined) parts.push(`${r.unit || ''} 剩余指标 remaining ${fmt(r.remaining_mu)} 亩`);
    if (r.features && r.features.length) parts.push(`涉及 ${r.features.slice(0, 8).join('、')}${r.features.length > 8 ? `…（另 ${r.features.length - 8} 个）` : ''}`);
    return parts.join('；');
}

function renderCheck(result) {
    const box = document.getElementById('check-result');
    const s = result.summary;
    const head = el('p', { class: 'summary' },
        `${check.site.name}：${s.sites} 个项目 sites — ${s.pass} 合规，${s.warn} 警示，${s.fail} 不合规` +
        (s.unchecked ? `，${s.unchecked} 未能审查` : '') + `（${result.as_of}）`);
    const sites = result.sites.map((site) => el('div', { class: 'site', dataset: { site: site.id } },
        el('h3', {}, verdictChip(site.verdict), ' ', site.id, ' ', site.name || ''),
        el('p', { class: 'hint' }, `${fmt(site.area_m2)} m²（${fmt(site.area_mu)} 亩）· ${(site.admin || []).join('、')}`),
        el('table', { class: 'rules' }, site.rules.map((r) => el('tr', { dataset: { rule: r.id } },
            el('td', {}, verdictChip(r.verdict)),
            el('td', {}, el('b', {}, r.title), el('br'), el('span', { class: 'hint' }, ruleDetail(r))))))));
    const warnings = (result.warnings || []).map((w) => el('p', { class: 'hint' }, `⚠ ${w}`));
    const report = el('button', { type: 'button', id: 'report-pdf', onclick: downloadReport, disabled: !may('report'),
        title: may('report') ? null : `需登录 sign in as ${whoMay('report')}` }, '下载 PDF 报告 Download the PDF report');
    box.replaceChildren(head, ...sites, ...warnings, report);
}

function checkQuery(extra = {}) {
    const q = new URLSearchParams({ filename: check.site.name, ...extra });
    if (state.asOf) q.set('as_of', state.asOf);
    return q.toString();
}

async function downloadReport() {
    setStatus('正在生成报告… painting the report…');
    try {
        const r = await fetchOk(`/api/report?format=pdf&${checkQuery()}`, { method: 'POST', body: check.site.bytes });
        const blob = await r.blob();
        const cd = r.headers.get('Content-Disposition') || '';
        const m = /filename="?([^";]+)"?/.exec(cd);
        const a = el('a', { href: URL.createObjectURL(blob), download: m ? m[1] : 'report.pdf' });
        document.body.append(a);
        a.click();
        a.remove();
        setStatus('报告已下载 report downloaded');
    } catch (e) {
        setStatus(`报告失败 report failed: ${e.message}`, true);
    }
}

function ensureOverlayLayers() {
    const map = state.map;
    if (map.getSource('site')) return;
    map.addSource('site', { type: 'geojson', data: NO_FEATURES });
    map.addLayer({ id: 'site:fill', type: 'fill', source: 'site', paint: { 'fill-color': ['coalesce', ['get', '_colour'], '#555555'], 'fill-opacity': 0.25 } });
    // The conflict areas themselves (POST /api/conflicts), over the site's fill and under its
    // outline: an overlap filled; the part of a site outside where it must lie, dashed.
    map.addSource('conflicts', { type: 'geojson', data: NO_FEATURES });
    const overlap = ['!=', ['get', '_outside'], true];
    map.addLayer({ id: 'conflicts:fill', type: 'fill', source: 'conflicts', filter: overlap, paint: { 'fill-color': CONFLICT_COLOUR, 'fill-opacity': 0.85 } });
    map.addLayer({ id: 'conflicts:outline', type: 'line', source: 'conflicts', filter: overlap, paint: { 'line-color': CONFLICT_COLOUR, 'line-width': 1.5 } });
    map.addLayer({ id: 'conflicts:outside', type: 'line', source: 'conflicts', filter: ['==', ['get', '_outside'], true],
        paint: { 'line-color': CONFLICT_COLOUR, 'line-width': 2.5, 'line-dasharray': [2, 2] } });
    map.addLayer({ id: 'site:outline', type: 'line', source: 'site', paint: { 'line-color': ['coalesce', ['get', '_colour'], '#555555'], 'line-width': 3 } });
}

/// The field of a layer's tiles that holds the ids the check reports (the layer's id_field),
/// found by looking for one of the ids among the loaded tiles' attributes.
function idFieldOf(layerId, ids) {
    if (check.idFields[layerId]) return check.idFields[layerId];
    for (const f of state.map.querySourceFeatures(layerId, { sourceLayer: layerId })) {
        for (const [k, v] of Object.entries(f.properties)) {
            if (ids.has(String(v))) return (check.idFields[layerId] = k);
        }
    }
    return null;
}

function highlightConflicts() {
    const map = state.map;
    const byLayer = {};
    for (const site of (check.result ? check.result.sites : [])) {
        for (const r of site.rules) {
            if (r.verdict === 'pass' || !r.layer || !r.features || !r.features.length || r.kind === 'quota') continue;
            (byLayer[r.layer] ||= new Set());
            r.features.forEach((f) => byLayer[r.layer].add(String(f)));
        }
    }
    let pending = false;
    for (const layer of state.info.layers) {
        const id = `conflict:${layer.id}`;
        const ids = byLayer[layer.id];
        const field = ids ? idFieldOf(layer.id, ids) : null;
        if (ids && !field) pending = true;
        if (!map.getSource(layer.id) || !/Polygon/.test(layer.geometry || '')) continue;
        const filter = field ? ['in', ['to-string', ['get', field]], ['literal', [...ids]]] : ['boolean', false];
        if (!map.getLayer(id)) {
            // The parcels involved, outlined; the areas taken are filled (conflicts:fill).
            map.addLayer({ id, type: 'line', source: layer.id, 'source-layer': layer.id, filter,
                paint: { 'line-color': CONFLICT_COLOUR, 'line-width': 2 } }, map.getLayer('site:fill') ? 'site:fill' : undefined);
        } else map.setFilter(id, filter);
    }
    if (pending) map.once('idle', highlightConflicts);  // the tiles with the ids are still coming
}

async function runCheck() {
    if (!check.site) return;
    const box = document.getElementById('check-result');
    box.dataset.state = 'checking';
    delete box.dataset.conflicts;
    box.replaceChildren(el('p', { class: 'hint' }, `正在审查 checking ${check.site.name}…`));
    // The conflict areas are asked beside the verdicts; a site without any draws none.
    const areas = fetchOk(`/api/conflicts?${checkQuery()}`, { method: 'POST', body: check.site.bytes })
        .then((r) => r.json()).catch(() => NO_FEATURES);
    try {
        const r = await fetchOk(`/api/check?${checkQuery()}`, { method: 'POST', body: check.site.bytes });
        check.result = await r.json();
        renderCheck(check.result);
        setStatus(`已审查 checked ${check.site.name}（${check.result.as_of}）`);
    } catch (e) {
        check.result = null;
        box.replaceChildren(el('p', { class: 'error' }, `审查失败 check failed: ${e.message}`));
        box.dataset.state = 'error';
        setStatus(`审查失败 check failed: ${e.message}`, true);
    }
    ensureOverlayLayers();
    const verdicts = Object.fromEntries((check.result ? check.result.sites : []).map((s) => [s.id, s.verdict]));
    const fc = check.site.fc || { type: 'FeatureCollection', features: [] };
    const coloured = fc.features.map((f, i) => {
        const id = (f.properties && (f.properties.id || f.properties.name)) || '';
        const v = verdicts[id] || (check.result && check.result.sites[i] ? check.result.sites[i].verdict : '');
        return { ...f, properties: { ...f.properties, _colour: SITE_COLOUR[v] || '#555555' } };
    });
    state.map.getSource('site').setData({ type: 'FeatureCollection', features: coloured });
    check.conflicts = check.result ? await areas : NO_FEATURES;
    // Which areas are a part outside (a rule measuring outside_m2, e.g. within the boundary).
    const outside = new Set();
    for (const s of (check.result ? check.result.sites : [])) {
        for (const r of s.rules) if (r.outside_m2 !== undefined) outside.add(`${s.id}\n${r.id}`);
    }
    state.map.getSource('conflicts').setData({ type: 'FeatureCollection', features: check.conflicts.features.map((f) => (
        { ...f, properties: { ...f.properties, _outside: outside.has(`${f.properties.site_id}\n${f.properties.rule_id}`) } })) });
    highlightConflicts();
    box.dataset.conflicts = String(check.conflicts.features.length);
    if (check.result) box.dataset.state = 'done';  // verdicts listed, site and conflicts drawn
}

export async function rerunCheck() { await runCheck(); }

/// Checks a site file's bytes (a dropped or chosen file, or a drawn site as GeoJSON) and shows
/// it; `fit` moves the map to the site.
export async function checkSite(name, bytes, fit = true) {
    check.site = { name, bytes, fc: parseSiteFile(name, bytes) };
    check.idFields = {};
    const b = check.site.fc && bbox(check.site.fc);
    if (b && fit) state.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 80, maxZoom: 15, duration: 0 });
    await runCheck();
}

async function checkFile(file) {
    await checkSite(file.name, new Uint8Array(await file.arrayBuffer()));
}

export function setupCheck() {
    const overlay = document.getElementById('drop-overlay');
    const mapEl = document.getElementById('map');
    mapEl.addEventListener('dragover', (e) => { e.preventDefault(); overlay.hidden = false; });
    mapEl.addEventListener('dragleave', () => { overlay.hidden = true; });
    mapEl.addEventListener('drop', (e) => {
        e.preventDefault();
        overlay.hidden = true;
        const file = e.dataTransfer && e.dataTransfer.files[0];
        if (file) checkFile(file);
    });
    document.getElementById('site-file').addEventListener('change', (e) => {
        if (e.target.files[0]) checkFile(e.target.files[0]);
    });
}

// ---- find -----------------------------------------------------------------------------------

const found = { markers: [] };

function splitList(text) {
    return text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean);
}

/// Drops the candidates (found on another day's map) and says why.
export function clearFind(note) {
    found.markers.forEach((m) => m.remove());
    found.markers = [];
    const list = document.getElementById('find-results');
    if (!list.children.length) return;
    list.replaceChildren(el('li', { class: 'hint' }, note));
    delete list.dataset.state;
    delete list.dataset.count;
}

export function findBrief() {
    const brief = { area_mu: Number(document.getElementById('find-area').value) };
    const industry = document.getElementById('find-industry').value.trim();
    if (industry) brief.industry = industry; else brief.any_park = true;
    const cities = splitList(document.getElementById('find-cities').value);
    if (cities.length) brief.cities = cities;
    return brief;
}

async function runFind(e) {
    e.preventDefault();
    const list = document.getElementById('find-results');
    list.dataset.state = 'finding';
    list.replaceChildren(el('li', { class: 'hint' }, '正在查找 searching…'));
    found.markers.forEach((m) => m.remove());
    found.markers = [];
    try {
        const q = state.asOf ? `?as_of=${encodeURIComponent(state.asOf)}` : '';
        const r = await fetchOk(`/api/find${q}`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(findBrief()) });
        const res = await r.json();
        const items = res.candidates.map((c) => {
            const [lon, lat] = c.center_lonlat;
            const marker = new maplibregl.Marker({ element: el('div', { class: 'candidate-marker' }, c.id) })
                .setLngLat([lon, lat]).addTo(state.map);
            found.markers.push(marker);
            return el('li', { class: 'candidate', dataset: { id: c.id },
                onclick: () => state.map.flyTo({ center: [lon, lat], zoom: 14 }) },
            el('b', {}, c.id), ` ${fmt(c.score, 3)} `, verdictChip(c.check ? c.check.verdict : ''), el('br'),
            el('span', { class: 'hint' }, `${c.admin || ''} · ${c.park || '园区外 no park'} · ${c.nearest_station || ''} ${fmt(c.nearest_station_m, 0)} m`));
        });
        const free = res.free_land ? `可用地 free land ${fmt(res.free_land.total_mu, 0)} 亩；` : '';
        list.replaceChildren(...items);
        if (!items.length) {
            list.append(el('li', { class: 'hint' }, `无候选地块 no candidate${res.binding ? `：${res.binding}` : ''}`));
        }
        list.dataset.count = String(items.length);
        list.dataset.state = 'done';
        setStatus(`${free}${items.length} 个候选地块 candidates`);
        if (items.length) {
            const lons = res.candidates.map((c) => c.center_lonlat[0]), lats = res.candidates.map((c) => c.center_lonlat[1]);
            state.map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
                { padding: 80, maxZoom: 13, duration: 0 });
        }
    } catch (err) {
        list.replaceChildren(el('li', { class: 'error' }, `查找失败 find failed: ${err.message}`));
        list.dataset.state = 'error';
    }
}

export function setupFind() {
    document.getElementById('find-form').addEventListener('submit', runFind);
}
