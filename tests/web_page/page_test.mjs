// The page in a real browser (Debian's Chromium, headless, driven by playwright-core) against a
// real `onemap serve` on a loopback port. Every expected answer is computed another way: the
// colours from the plan's style (/api/info), the verdicts and overlaps from the CLI's
// `onemap check --format json` on the same file, the candidates from POST /api/find, the
// parcels from a tile decoded with @mapbox/vector-tile. Screenshots: <artifacts>/web-*.png.
//
//   node tests/web_page/page_test.mjs --onemap build/cli/onemap [--plan P] [--artifacts DIR]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
    options, importPackage, startServer, cliCheck, cliConflicts, cliDiff, launchChromium, mapSettled, pixelAt,
    colourDistance, hexRgb, tileOf, pointInRing, interiorPoint, runChecks,
} from './lib.mjs';
import { parseSiteFile, bbox } from '../../viewer/web/page/sites.js';


const o = options();
const env = { ...process.env };
if (!env.XDG_CACHE_HOME) env.XDG_CACHE_HOME = path.join(o.artifacts, '..', 'web-page-cache');
const surveys = path.join(path.dirname(o.plan), 'surveys');
const P012 = path.join(surveys, 'P-012.txt');
const P017 = path.join(surveys, 'P-017.kml');
const shot = (name) => path.join(o.artifacts, `web-${name}.png`);
const TOLERANCE = 10;  // per channel: antialiasing and rounding in the software rasteriser

const { VectorTile } = await importPackage(o, '@mapbox/vector-tile', 'index.js');
const { PbfReader } = await importPackage(o, 'pbf', 'index.js');

const t0 = Date.now();
const server = await startServer(o, env);
const browser = await launchChromium(o, { width: 1280, height: 800 });
const page = browser.context.pages()[0] || await browser.context.newPage();
const offsite = [];
page.on('request', (r) => { if (!r.url().startsWith(server.url) && !/^(data|blob):/.test(r.url())) offsite.push(r.url()); });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
// A server without accounts answers GET /api/session with 404, by design (the page then shows
// no sign-in): Chromium logs that as a failed load.
page.on('console', (m) => {
    if (m.type() === 'error' && !/\/api\/session$/.test(m.location().url || '')) pageErrors.push(`console: ${m.text()}`);
});

const info = await (await fetch(`${server.url}/api/info`)).json();
const farmland = info.layers.find((l) => l.id === 'farmland');
const farmRgb = hexRgb(farmland.style.fill);
const cityRgb = hexRgb(info.layers.find((l) => l.role === 'admin').style.fill);
const cli012 = cliCheck(o, env, P012);
const farmRule012 = cli012.sites[0].rules.find((r) => r.layer === 'farmland' && r.kind === 'must_not_overlap');
let parcel = null;  // { id, point: [lon, lat] }: a farmland parcel P-012 overlaps, and a point inside it

async function mapPixel(lonlat, file) {
    await mapSettled(page);
    const { x, y } = await page.evaluate((ll) => {
        const m = window.onemapPage.map;
        const p = m.project(ll);
        const r = m.getContainer().getBoundingClientRect();
        return { x: r.left + p.x, y: r.top + p.y };
    }, lonlat);
    const png = await page.screenshot({ path: file });
    return pixelAt(page, png, x, y);
}

async function dropFile(file) {
    await page.evaluate(() => { document.getElementById('check-result').dataset.state = ''; });
    const data = fs.readFileSync(file).toString('base64');
    const dt = await page.evaluateHandle(({ data, name }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name));
        return dt;
    }, { data, name: path.basename(file) });
    await page.dispatchEvent('#map', 'drop', { dataTransfer: dt });
    await page.waitForSelector('#check-result[data-state="done"]', { timeout: 20000 });
}

const siteChip = (id) => page.locator(`#check-result .site[data-site="${id}"] h3 .verdict`);
const VERDICT_ZH = { pass: '合规', warn: '警示', fail: '不合规' };

const failed = await runChecks([
    ['a z12 farmland tile, decoded with @mapbox/vector-tile, holds the parcels the CLI reports under P-012', async () => {
        assert.ok(farmRule012 && farmRule012.features.length > 0, 'the CLI reports farmland under P-012');
        const site = parseSiteFile('P-012.txt', fs.readFileSync(P012));
        const b = bbox(site);
        const [xa, ya] = tileOf(b[0], b[3], 12), [xb, yb] = tileOf(b[2], b[1], 12);
        const seen = new Map();
        for (let x = xa; x <= xb; x++) {
            for (let y = ya; y <= yb; y++) {
                const r = await fetch(`${server.url}/tiles/farmland/12/${x}/${y}.mvt`);
                assert.ok(r.status === 200 || r.status === 204, `tile 12/${x}/${y}: ${r.status}`);
                if (r.status === 204) continue;
                const tile = new VectorTile(new PbfReader(new Uint8Array(await r.arrayBuffer())));
                const layer = tile.layers.farmland;
                assert.ok(layer, 'the tile has a layer named farmland');
                for (let i = 0; i < layer.length; i++) {
                    const f = layer.feature(i);
                    const id = String(f.properties.parcel_id);
                    if (farmRule012.features.includes(id) && !seen.has(id)) seen.set(id, f.toGeoJSON(x, y, 12));
                }
            }
        }
        for (const id of farmRule012.features) assert.ok(seen.has(id), `parcel ${id} is in the tiles over P-012`);
        // The largest of them, and a point deep inside it, for the pixel checks.
        const area = (g) => { const r = g.geometry.coordinates[0]; let s = 0; for (let k = 1; k < r.length; k++) s += r[k - 1][0] * r[k][1] - r[k][0] * r[k - 1][1]; return Math.abs(s); };
        const polys = [...seen.entries()].filter(([, g]) => g.geometry.type === 'Polygon').sort((a, b) => area(b[1]) - area(a[1]));
        // Outside the site, so the site's outline does not cover it later.
        for (const [id, g] of polys) {
            const p = interiorPoint(g.geometry.coordinates);
            if (p && !site.features.some((f) => pointInRing(p, f.geometry.coordinates[0]))) { parcel = { id, point: p }; break; }
        }
        if (!parcel) parcel = { id: polys[0][0], point: interiorPoint(polys[0][1].geometry.coordinates) };
        assert.ok(parcel.point, 'a point inside the parcel');
    }],
    ['the map draws: a farmland parcel\'s pixel has the plan\'s farmland colour', async () => {
        const t = Date.now();
        await page.goto(`${server.url}/`);
        await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 20000 });
        await mapSettled(page);
        console.log(`#   first map drawn ${Date.now() - t} ms after navigation`);
        await page.screenshot({ path: shot('overview') });
        await page.evaluate((c) => window.onemapPage.map.jumpTo({ center: c, zoom: 16 }), parcel.point);
        await mapSettled(page);
        const on = await page.evaluate((c) => {
            const m = window.onemapPage.map;
            return [...new Set(m.queryRenderedFeatures(m.project(c)).map((f) => f.layer.id))];
        }, parcel.point);
        assert.ok(on.includes('farmland:fill'), `farmland drawn at the parcel ${parcel.id}: ${on}`);
        const px = await mapPixel(parcel.point, shot('map'));
        assert.ok(colourDistance(px, farmRgb) <= TOLERANCE, `pixel ${px} is the farmland fill ${farmRgb} (layers there: ${on})`);
    }],
    ['the layer tree hides and shows farmland (the pixel turns to the city fill beneath, then back)', async () => {
        await page.click('#layer-farmland');
        const off = await mapPixel(parcel.point, shot('layer-off'));
        assert.ok(colourDistance(off, farmRgb) > 30, `pixel ${off} is no longer farmland ${farmRgb}`);
        assert.ok(colourDistance(off, cityRgb) <= TOLERANCE, `pixel ${off} is the city fill ${cityRgb}`);
        await page.click('#layer-farmland');
        const on = await mapPixel(parcel.point, shot('layer-on'));
        assert.ok(colourDistance(on, farmRgb) <= TOLERANCE, `pixel ${on} is farmland again`);
    }],
    ['identify: clicking the parcel lists its attributes', async () => {
        await page.evaluate((c) => window.onemapPage.map.jumpTo({ center: c, zoom: 16 }), parcel.point);
        await mapSettled(page);
        const { x, y } = await page.evaluate((ll) => {
            const m = window.onemapPage.map, p = m.project(ll), r = m.getContainer().getBoundingClientRect();
            return { x: r.left + p.x, y: r.top + p.y };
        }, parcel.point);
        await page.mouse.click(x, y);
        await page.waitForFunction((id) => document.getElementById('identify').textContent.includes(id), parcel.id, { timeout: 5000 });
    }],
    ['dropping P-012 as a 国土 TXT shows the CLI\'s verdict and farmland overlap, the overlap drawn as the CLI\'s conflict area', async () => {
        await dropFile(P012);
        const site = cli012.sites[0];
        assert.equal(await siteChip(site.id).getAttribute('data-verdict'), site.verdict);
        assert.equal(site.verdict, 'fail', 'the sample\'s P-012 fails (the issue\'s case)');
        assert.match(await siteChip(site.id).textContent(), /^不合规/);
        const row = page.locator(`#check-result .site[data-site="${site.id}"] tr[data-rule="${farmRule012.id}"]`);
        assert.equal(await row.locator('.verdict').getAttribute('data-verdict'), farmRule012.verdict);
        const text = await row.textContent();
        const m2 = farmRule012.overlap_m2.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
        assert.ok(text.includes(m2), `the row "${text}" shows the CLI's overlap ${m2} m²`);
        for (const id of farmRule012.features.slice(0, 8)) assert.ok(text.includes(id), `the row names ${id}`);
        for (const r of site.rules) {
            const v = await page.locator(`#check-result .site[data-site="${site.id}"] tr[data-rule="${r.id}"] .verdict`).getAttribute('data-verdict');
            assert.equal(v, r.verdict, `rule ${r.id}`);
        }
        // The report document of the same file, downloaded as the button does it.
        const probe = await fetch(`${server.url}/api/report?format=pdf&filename=P-012.txt`, { method: 'POST', body: fs.readFileSync(P012) });
        if (probe.status === 501) {  // a build without Qt: the page says so
            await page.click('#report-pdf');
            await page.waitForSelector('#status.error', { timeout: 10000 });
        } else {
            const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.click('#report-pdf')]);
            const pdf = path.join(o.artifacts, 'web-report-P-012.pdf');
            await download.saveAs(pdf);
            assert.equal(fs.readFileSync(pdf).subarray(0, 5).toString(), '%PDF-', 'the download is a PDF');
        }
        // The conflict areas on the map are the CLI's (`check --conflicts x.geojson`): the same
        // rules, features and areas; the farmland one has the check's overlap.
        await page.waitForSelector('#check-result[data-conflicts]', { timeout: 10000 });
        const cliAreas = cliConflicts(o, env, P012, path.join(o.artifacts, 'web-conflicts-P-012.geojson'));
        const drawn = await page.evaluate(async () => window.onemapPage.map.getSource('conflicts').getData());
        const key = (f) => `${f.properties.site_id} ${f.properties.rule_id} ${f.properties.area_m2} ${f.properties.features.join(';')}`;
        assert.deepEqual(drawn.features.map(key), cliAreas.features.map(key));
        const farmArea = drawn.features.find((f) => f.properties.rule_id === farmRule012.id);
        assert.ok(farmArea, 'the farmland overlap is drawn');
        assert.equal(farmArea.properties.area_m2, farmRule012.overlap_m2);
        // A pixel deep inside its largest piece has the conflict colour (an 0.85 fill: within
        // 15% of each channel whatever lies beneath).
        const polys = farmArea.geometry.type === 'Polygon' ? [farmArea.geometry.coordinates] : farmArea.geometry.coordinates;
        const extent = (rings) => { const xs = rings[0].map((q) => q[0]), ys = rings[0].map((q) => q[1]); return (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys)); };
        const largest = polys.reduce((a, b) => (extent(b) > extent(a) ? b : a));
        const inside = interiorPoint(largest);
        await page.evaluate((c) => window.onemapPage.map.jumpTo({ center: c, zoom: 17 }), inside);
        const px = await mapPixel(inside, shot('check-P-012'));
        const magenta = [0xe7, 0x29, 0x8a];
        assert.ok(colourDistance(px, magenta) <= 0.15 * 255 + TOLERANCE, `pixel ${px} has the conflict colour ${magenta}`);
        // The area taken is filled, not the whole parcel: the parcel's land outside the site
        // keeps the farmland colour.
        await page.evaluate((c) => window.onemapPage.map.jumpTo({ center: c, zoom: 16 }), parcel.point);
        const rest = await mapPixel(parcel.point, shot('check-P-012-parcel'));
        assert.ok(colourDistance(rest, farmRgb) <= TOLERANCE, `pixel ${rest} outside the site is still farmland ${farmRgb}`);
        // The parcels involved are found in the tiles by the ids the check reports (outlined).
        await page.waitForFunction(() => { const m = window.onemapPage.map; return m.getLayer('conflict:farmland') && m.getFilter('conflict:farmland')[0] === 'in'; }, null, { timeout: 10000 });
    }],
    ['P-017 (KML) is 不合规 today and 警示 as of 2022, as the CLI says', async () => {
        const today = cliCheck(o, env, P017, info.as_of).sites[0];
        const then = cliCheck(o, env, P017, '2022-06-01').sites[0];
        await dropFile(P017);
        assert.equal(await siteChip(today.id).getAttribute('data-verdict'), today.verdict);
        await page.evaluate(() => { document.getElementById('check-result').dataset.state = ''; });
        await page.fill('#as-of', '2022-06-01');
        await page.dispatchEvent('#as-of', 'change');
        await page.waitForSelector('#check-result[data-state="done"]', { timeout: 20000 });
        assert.equal(then.verdict, 'warn', 'the sample\'s P-017 warns in 2022 (the issue\'s case)');
        assert.equal(await siteChip(then.id).getAttribute('data-verdict'), then.verdict);
        assert.match(await siteChip(then.id).textContent(), new RegExp(`^${VERDICT_ZH[then.verdict]}`));
        await mapSettled(page);
        await page.screenshot({ path: shot('check-P-017-2022') });
        // Back to today (the find below asks the plan as it stands).
        await page.evaluate(() => { document.getElementById('check-result').dataset.state = ''; });
        await page.fill('#as-of', info.as_of);
        await page.dispatchEvent('#as-of', 'change');
        await page.waitForSelector('#check-result[data-state="done"]', { timeout: 20000 });
        assert.equal(await siteChip(today.id).getAttribute('data-verdict'), today.verdict);
    }],
    ['diff mode: the devbound revision\'s land gained and lost, as `onemap diff` measures it', async () => {
        const cli = cliDiff(o, env, 'devbound', '2022-06-01');
        await page.selectOption('#diff-layer', 'devbound');
        await page.fill('#diff-from', '2022-06-01');
        await page.fill('#diff-to', cli.to);
        await page.click('#diff-go');
        await page.waitForSelector('#diff-result[data-state="done"]', { timeout: 20000 });
        const zh = (n) => n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
        assert.ok(cli.gained_m2 > 0 && cli.lost_m2 > 0, 'the sample revision gains and loses land');
        assert.ok((await page.textContent('#diff-result .gained')).includes(zh(cli.gained_m2)), `gained ${zh(cli.gained_m2)} m²`);
        assert.ok((await page.textContent('#diff-result .lost')).includes(zh(cli.lost_m2)), `lost ${zh(cli.lost_m2)} m²`);
        await page.evaluate(() => window.onemapPage.map.fitBounds(window.onemapPage.state.info.extent_wgs84, { duration: 0 }));
        await mapSettled(page);
        await page.screenshot({ path: shot('diff') });
        await page.click('#diff-end');
        assert.equal(await page.evaluate(() => Boolean(window.onemapPage.map.getLayer('diff:to:fill'))), false);
    }],
    ['the find panel shows the candidates POST /api/find answers, on the map', async () => {
        const brief = { area_mu: 150, industry: 'ic', cities: ['苏州市'] };
        const asOf = await page.inputValue('#as-of');
        const api = await (await fetch(`${server.url}/api/find?as_of=${asOf}`, { method: 'POST', body: JSON.stringify(brief) })).json();
        assert.ok(api.candidates.length > 0, 'the API finds candidates');
        await page.fill('#find-area', String(brief.area_mu));
        await page.fill('#find-industry', brief.industry);
        await page.fill('#find-cities', brief.cities.join('、'));
        await page.click('#find-go');
        await page.waitForSelector('#find-results[data-state="done"]', { timeout: 20000 });
        const ids = await page.locator('#find-results li.candidate').evaluateAll((els) => els.map((e) => e.dataset.id));
        assert.deepEqual(ids, api.candidates.map((c) => c.id));
        assert.equal(await page.locator('.candidate-marker').count(), api.candidates.length);
        await mapSettled(page);
        await page.screenshot({ path: shot('find') });
    }],
    ['draw a site: four corners clicked on the map get the verdicts the CLI gives that polygon', async () => {
        await page.evaluate((c) => window.onemapPage.map.jumpTo({ center: c, zoom: 15 }), parcel.point);
        await mapSettled(page);
        const { x, y } = await page.evaluate((ll) => {
            const m = window.onemapPage.map, p = m.project(ll), r = m.getContainer().getBoundingClientRect();
            return { x: r.left + p.x, y: r.top + p.y };
        }, parcel.point);
        await page.click('#draw-site');
        const posted = page.waitForRequest((r) => r.url().includes('/api/check') && r.method() === 'POST');
        await page.evaluate(() => { document.getElementById('check-result').dataset.state = ''; });
        for (const [dx, dy] of [[-70, -50], [70, -50], [70, 50]]) await page.mouse.click(x + dx, y + dy);
        await page.mouse.dblclick(x - 70, y + 50);
        const body = (await posted).postDataBuffer();
        const file = path.join(o.artifacts, 'web-drawn-site.geojson');
        fs.writeFileSync(file, body);
        const drawn = JSON.parse(body.toString());
        assert.equal(drawn.features[0].geometry.coordinates[0].length, 5, 'four corners and the closing one');
        await page.waitForSelector('#check-result[data-state="done"]', { timeout: 20000 });
        const cli = cliCheck(o, env, file, await page.inputValue('#as-of')).sites[0];
        assert.equal(await siteChip(cli.id).getAttribute('data-verdict'), cli.verdict);
        for (const r of cli.rules) {
            const v = await page.locator(`#check-result .site[data-site="${cli.id}"] tr[data-rule="${r.id}"] .verdict`).getAttribute('data-verdict');
            assert.equal(v, r.verdict, `rule ${r.id}`);
        }
        await mapSettled(page);
        await page.screenshot({ path: shot('drawn-site') });
    }],
    ['text from a site file is shown as text, never run as HTML', async () => {
        const evil = '<img src=x onerror="window.__pwned=1">';
        const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: '<b>X-1</b>', name: evil },
            geometry: { type: 'Polygon', coordinates: [[[120.6, 31.3], [120.601, 31.3], [120.601, 31.301], [120.6, 31.301], [120.6, 31.3]]] } }] };
        const file = path.join(o.artifacts, 'web-hostile-site.geojson');
        fs.writeFileSync(file, JSON.stringify(fc));
        await dropFile(file);
        const text = await page.textContent('#check-result .site h3');
        assert.ok(text.includes('<b>X-1</b>') && text.includes(evil), `shown literally: ${text}`);
        assert.equal(await page.locator('#check-result img, #check-result b:text("X-1")').count(), 0);
        assert.equal(await page.evaluate(() => window.__pwned), undefined);
    }],
    ['a server without accounts: no sign-in, no audit view, every control usable, every layer drawn', async () => {
        assert.equal(await page.locator('#account').isHidden(), true);
        assert.equal(await page.locator('#audit-section').isHidden(), true);
        for (const id of ['#find-go', '#diff-go', '#report-pdf']) assert.equal(await page.locator(id).isDisabled(), false, id);
        assert.equal(await page.locator('#layer-tree .withheld:text("未公开")').count(), 0);
    }],
    ['the page asked nothing of any other host and threw no error', async () => {
        assert.deepEqual(offsite, []);
        assert.deepEqual(pageErrors, []);
        assert.equal(await page.locator('#status.error').count(), 0, await page.textContent('#status'));
    }],
]);

await browser.close();
await server.stop();
console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${o.artifacts}`);
process.exit(failed ? 1 : 0);
