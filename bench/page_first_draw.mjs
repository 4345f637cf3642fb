// The page's first draw: navigation start → the map's first `idle` (every tile of the first view
// loaded and drawn), in Debian's Chromium (headless, SwiftShader WebGL, a fresh profile each
// run) against a real `onemap serve` on a loopback port. Prints each run's breakdown and the
// median of N runs, for three cases:
//   cold  — a server started for each run, the page opened as soon as it prints its URL
//           (what a planner sees first after `onemap serve`);
//   warm  — one server, the page opened again in a fresh browser (server caches warm);
//   floor — a blank MapLibre page with one GeoJSON polygon, from the same server and browser:
//           what this Chromium cannot go below.
//
//   node bench/page_first_draw.mjs --onemap build/cli/onemap [--runs 5] [--cases cold,warm,floor]
//        [--plan sample-data/g60.toml]
// Needs scripts/web-deps.sh (viewer/web/node_modules and viewer/web/page/vendor).
import { options, startServer, launchChromium } from '../tests/web_page/lib.mjs';

const argv = process.argv.slice(2);
let runs = 5;
let cases = ['cold', 'warm', 'floor'];
const rest = [];
for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--cases') cases = argv[++i].split(',');
    else rest.push(argv[i]);
}
const o = options(rest);
const env = { ...process.env };

const FLOOR_PAGE = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/vendor/maplibre-gl.css"><script src="/vendor/maplibre-gl.js"></script>
<style>html,body,#map{margin:0;width:100%;height:100%}</style></head><body><div id="map"></div><script>
performance.mark('onemap:script');
const map = new maplibregl.Map({ container: 'map', bounds: [119.0, 30.4, 121.9, 32.1], attributionControl: false,
  style: { version: 8, sources: { p: { type: 'geojson', data: { type: 'Polygon',
    coordinates: [[[120, 31], [121, 31], [121, 31.5], [120, 31.5], [120, 31]]] } } },
    layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eef0f2' } },
             { id: 'p', type: 'fill', source: 'p', paint: { 'fill-color': '#e7298a' } }] } });
map.once('load', () => performance.mark('onemap:load'));
map.once('idle', () => performance.mark('onemap:first-idle'));
</script></body></html>`;

/// One page load in a fresh browser: the times (ms after navigation start) of its stages.
async function measure(url, path) {
    const browser = await launchChromium(o, { width: 1280, height: 800 });
    try {
        const page = browser.context.pages()[0] || await browser.context.newPage();
        await page.route(`${url}/__floor.html`, (r) => r.fulfill({ contentType: 'text/html', body: FLOOR_PAGE }));
        // Tiles are fetched by MapLibre's workers: the page's resource timing does not list them.
        const tiles = [];
        page.on('requestfinished', async (q) => {
            if (!q.url().includes('/tiles/')) return;
            const t = q.timing();
            const size = await q.sizes().catch(() => ({ responseBodySize: 0 }));
            tiles.push({ url: q.url(), start: t.startTime, end: t.startTime + t.responseEnd,
                wait: t.responseStart - t.requestStart, bytes: size.responseBodySize });
        });
        await page.goto(`${url}${path}`);
        await page.waitForFunction(() => performance.getEntriesByName('onemap:first-idle').length > 0, null,
            { timeout: 60000, polling: 20 });
        const r = await page.evaluate(() => {
            const mark = (n) => { const e = performance.getEntriesByName(n)[0]; return e ? e.startTime : NaN; };
            const res = performance.getEntriesByType('resource');
            const end = (part) => { const e = res.find((r) => r.name.includes(part)); return e ? e.responseEnd : NaN; };
            const nav = performance.getEntriesByType('navigation')[0];
            return {
                html: nav ? nav.responseEnd : NaN,
                maplibre_js: end('maplibre-gl.js'),
                script: mark('onemap:script'),
                info: mark('onemap:info'),
                load: mark('onemap:load'),
                first_idle: mark('onemap:first-idle'),
                origin: performance.timeOrigin,
            };
        });
        const origin = r.origin;
        const at = (epochMs) => epochMs - origin;
        delete r.origin;
        const farm = tiles.filter((t) => t.url.includes('/tiles/farmland/'));
        const starts = tiles.map((t) => t.start).filter(Number.isFinite);
        const ends = tiles.map((t) => t.end).filter(Number.isFinite);
        Object.assign(r, {
            first_tile_asked: starts.length ? at(Math.min(...starts)) : NaN,
            last_tile_in: ends.length ? at(Math.max(...ends)) : NaN,
            slowest_tile_wait: tiles.length ? Math.max(...tiles.map((t) => t.wait)) : NaN,
            tiles: tiles.length,
            farmland_tiles: farm.length,
            farmland_kb: farm.reduce((s, t) => s + t.bytes, 0) / 1024,
        });
        // first_idle last, as the line's total.
        const idle = r.first_idle;
        delete r.first_idle;
        r.first_idle = idle;
        return r;
    } finally {
        await browser.close();
    }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const show = (r) => Object.entries(r).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : Math.round(v)}`).join(' · ');

const summary = {};
for (const kind of cases) {
    const results = [];
    let warm = null;
    if (kind !== 'cold') {
        warm = await startServer(o, env);
        await measure(warm.url, '/');  // the server's first page: tile indexes built, caches filled
    }
    for (let i = 0; i < runs; i++) {
        const server = warm || await startServer(o, env);
        const r = await measure(server.url, kind === 'floor' ? '/__floor.html' : '/');
        if (!warm) await server.stop();
        results.push(r);
        console.log(`${kind} ${i + 1}: ${show(r)}`);
    }
    if (warm) await warm.stop();
    const med = {};
    for (const k of Object.keys(results[0])) med[k] = median(results.map((r) => r[k]));
    summary[kind] = med;
    console.log(`${kind} median of ${runs}: first draw ${Math.round(med.first_idle)} ms — ${show(med)}`);
}
console.log(JSON.stringify({ runs, cores: (await import('node:os')).cpus().length, summary }));
process.exit(0);
