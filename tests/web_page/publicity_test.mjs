// 公示 and 意见征询 in the page, in Debian's Chromium driven by playwright-core, on a server with
// accounts: an enterprise submits a site named `<img src=x onerror=…>` (in a file of that name)
// and an approver approves it through the API; a public visitor sees it under 公示, zooms to it
// and leaves a comment of the same hostile text through the form; a planner sees that comment.
// Every such text is shown as text: no <img>, no dialog, the window flag the payload would set
// never set.
//
//   node tests/web_page/publicity_test.mjs --onemap build/cli/onemap [--plan P] [--artifacts DIR]
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { options, startServer, launchChromium, mapSettled, runChecks } from './lib.mjs';

const o = options();
const env = { ...process.env };
if (!env.XDG_CACHE_HOME) env.XDG_CACHE_HOME = path.join(o.artifacts, '..', 'web-page-cache');
const EVIL = '<img src=x onerror=alert(1)>';
const FLAG = '<img src=x onerror="window.onemapPwned=1">';

// The sample plan; the map read from the sample, the register a copy (the approval writes it).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-page-publicity-'));
const sampleDir = path.dirname(o.plan);
const planText = fs.readFileSync(o.plan, 'utf8').replaceAll('source = "g60.gpkg"', `source = ${JSON.stringify(path.join(sampleDir, 'g60.gpkg'))}`);
fs.writeFileSync(path.join(work, 'g60.toml'), planText);
fs.copyFileSync(path.join(sampleDir, 'register.gpkg'), path.join(work, 'register.gpkg'));
const data = path.join(work, 'data');
const addUser = (name, role, extra = []) => execFileSync(o.onemap,
    ['user', 'add', name, '--role', role, ...extra, '--data', data, '--password-stdin'],
    { env, input: 'pw-publicity-1\n', stdio: ['pipe', 'ignore', 'inherit'] });
addUser('planner1', 'planner');
addUser('ent1', 'enterprise');

// The sample's sites as WGS84 GeoJSON: one that passes alone in one city is the project.
execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', path.join(work, 'sites.geojson'), path.join(sampleDir, 'sites.gpkg')]);
const features = JSON.parse(fs.readFileSync(path.join(work, 'sites.geojson'), 'utf8')).features;

const t0 = Date.now();
const server = await startServer(o, env, ['--data', data], path.join(work, 'g60.toml'));

async function api(method, url, body, who) {
    const headers = { 'Content-Type': 'application/json' };
    if (who) Object.assign(headers, { cookie: who.cookie, 'X-CSRF-Token': who.csrf });
    const r = await fetch(`${server.url}${url}`, { method, headers, body });
    return { status: r.status, json: await r.json().catch(() => null) };
}
async function login(user) {
    const r = await fetch(`${server.url}/api/login`, { method: 'POST', body: JSON.stringify({ user, password: 'pw-publicity-1' }) });
    assert.equal(r.status, 200, `sign-in of ${user}`);
    return { cookie: r.headers.get('set-cookie').split(';')[0], csrf: (await r.json()).csrf_token };
}

let site = null;
let city = '';
for (const f of features) {
    f.properties.name = EVIL;
    const fc = JSON.stringify({ type: 'FeatureCollection', features: [f] });
    const { json } = await api('POST', '/api/check', fc);
    if (json.sites[0].verdict === 'pass' && json.sites[0].admin.length === 1) {
        site = fc;
        city = json.sites[0].admin[0];
        break;
    }
}
assert.ok(site, 'a sample site passes alone');
addUser('appr1', 'approver', ['--city', city]);
const submitted = await api('POST', `/api/submissions?filename=${encodeURIComponent(EVIL + '.geojson')}`, site, await login('ent1'));
assert.equal(submitted.status, 200, JSON.stringify(submitted.json));
const id = submitted.json.id;
const approved = await api('POST', `/api/submissions/${id}/approve`, '{}', await login('appr1'));
assert.equal(approved.status, 200, JSON.stringify(approved.json));

const browser = await launchChromium(o, { width: 1280, height: 800 });
const page = browser.context.pages()[0] || await browser.context.newPage();
const dialogs = [];
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const noImages = () => page.evaluate(() => document.querySelectorAll('img').length);
const project = `#publicity-projects li.publicity-project[data-id="${id}"]`;

const failed = await runChecks([
    ['a public visitor sees the approved project under 公示, its file and site names as text', async () => {
        await page.goto(`${server.url}/`);
        await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
        await page.waitForSelector('#publicity-projects[data-state="done"]', { timeout: 10000 });
        assert.equal(await page.locator('#publicity-section').isVisible(), true);
        assert.equal(await page.textContent(`${project} .file-name`), `${EVIL}.geojson`);
        assert.equal(await page.textContent(`${project} .site-name`), EVIL);
        assert.match(await page.textContent(project), /公示至 until \d{4}-\d\d-\d\d/);
        assert.equal(await page.locator('#comments-section').isHidden(), true);
    }],
    ['a click draws the site and zooms to it', async () => {
        await page.click(`${project} .publicity-zoom`);
        await mapSettled(page);
        const drawn = await page.evaluate(() => window.onemapPage.map.getSource('publicity').serialize().data.features.length);
        assert.equal(drawn, 1);
        assert.ok(await page.evaluate(() => window.onemapPage.map.getZoom()) > 10);
    }],
    ['the public comments through the form: hostile text taken, nothing echoed as markup', async () => {
        for (const text of [EVIL, FLAG]) {
            await page.fill(`${project} textarea`, text);
            await page.click(`${project} .comment-form button`);
            await page.waitForSelector(`${project} .comment-form[data-state="sent"]`, { timeout: 10000 });
            assert.match(await page.textContent(`${project} .comment-note`), /意见已收到/);
            await page.evaluate((p) => { document.querySelector(`${p} .comment-form`).dataset.state = ''; }, project);
        }
        // Too long is said before anything is sent.
        await page.fill(`${project} textarea`, '意'.repeat(1001));
        await page.click(`${project} .comment-form button`);
        assert.match(await page.textContent(`${project} .comment-note`), /1000/);
    }],
    ['a planner signs in and reads the comments as literal text; nothing ran', async () => {
        await page.click('#login-open');
        await page.fill('#login-user', 'planner1');
        await page.fill('#login-password', 'pw-publicity-1');
        await page.click('#login-go');
        await page.waitForSelector('#account[data-state="signed-in"]');
        await page.waitForSelector('#comments-list[data-state="done"]', { timeout: 10000 });
        const texts = await page.$$eval('#comments-list .comment-text', (s) => s.map((x) => x.textContent));
        assert.deepEqual(texts, [FLAG, EVIL]);
        const authors = await page.$$eval('#comments-list .comment-author', (s) => s.map((x) => x.textContent));
        assert.deepEqual(authors, ['公众 public', '公众 public']);
        await page.screenshot({ path: path.join(o.artifacts, 'web-publicity.png') });
    }],
    ['no dialog, no <img>, no window flag, no page error', async () => {
        assert.deepEqual(dialogs, []);
        assert.equal(await noImages(), 0);
        assert.equal(await page.evaluate(() => window.onemapPwned), undefined);
        assert.deepEqual(pageErrors, []);
    }],
]);

await browser.close();
await server.stop();
fs.rmSync(work, { recursive: true, force: true });
console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
