// The page on a server with accounts (`onemap serve --data DIR`), in Debian's Chromium driven by
// playwright-core: the sign-in form, the role's rights, the audit view, a layer marked
// `public = false` never asked for while signed out, and hostile text (a user and a site named
// `<img src=x onerror=alert(1)>`) shown as text everywhere. Users are made with the CLI
// (`onemap user add … --password-stdin`); the expected records come from the server's own
// GET /api/audit, fetched apart from the page.
//
//   node tests/web_page/bureau_test.mjs --onemap build/cli/onemap [--plan P] [--artifacts DIR]
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
const USERS = [['planner1', 'planner', 'pw-planner-1'], [EVIL, 'planner', 'pw-evil-1']];

// The sample plan with the red line kept from the public; the map read from the sample, the
// register a copy (nothing here approves, but a server may write it).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-page-bureau-'));
const sampleDir = path.dirname(o.plan);
let planText = fs.readFileSync(o.plan, 'utf8').replaceAll('source = "g60.gpkg"', `source = ${JSON.stringify(path.join(sampleDir, 'g60.gpkg'))}`);
assert.ok(planText.includes('id = "redline"\n'), 'the sample plan has a redline layer');
planText = planText.replace('id = "redline"\n', 'id = "redline"\npublic = false\n');
fs.writeFileSync(path.join(work, 'g60.toml'), planText);
fs.copyFileSync(path.join(sampleDir, 'register.gpkg'), path.join(work, 'register.gpkg'));
const data = path.join(work, 'data');
for (const [name, role, password] of USERS) {
    execFileSync(o.onemap, ['user', 'add', name, '--role', role, '--data', data, '--password-stdin'],
        { env, input: `${password}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
}

const t0 = Date.now();
const server = await startServer(o, env, ['--data', data], path.join(work, 'g60.toml'));
const browser = await launchChromium(o, { width: 1280, height: 800 });
const page = browser.context.pages()[0] || await browser.context.newPage();
const requests = [];
page.on('request', (r) => requests.push(r.url()));
const dialogs = [];
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const redlineTiles = () => requests.filter((u) => u.includes('/tiles/redline/'));

async function signIn(user, password) {
    if (await page.locator('#login-form').isHidden()) await page.click('#login-open');
    await page.fill('#login-user', user);
    await page.fill('#login-password', password);
    await page.click('#login-go');
}

/// The audit view's records after asking it again (the 查询 button), as [actor, action, subject].
async function auditRows(actor = '', action = '') {
    await page.fill('#audit-actor', actor);
    await page.fill('#audit-action', action);
    await page.evaluate(() => { document.getElementById('audit-records').dataset.state = ''; });
    await page.click('#audit-go');
    await page.waitForSelector('#audit-records[data-state="done"]', { timeout: 10000 });
    return page.$$eval('#audit-records li.audit-record', (lis) => lis.map((li) => [
        li.querySelector('.audit-actor').textContent, li.querySelector('.audit-action').textContent,
        li.querySelector('.audit-subject').textContent]));
}

const noImages = () => page.evaluate(() => document.querySelectorAll('img').length);

const failed = await runChecks([
    ['a public visitor: 登录 in the header, no audit view, find and diff disabled saying who may, the hidden layer\'s tiles never asked for', async () => {
        await page.goto(`${server.url}/`);
        await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
        await mapSettled(page);
        assert.equal(await page.locator('#account').isVisible(), true);
        assert.match(await page.textContent('#login-open'), /登录/);
        assert.equal(await page.textContent('#account'), '登录 Sign in登录 Sign in', 'the button and the form\'s, nothing else');
        assert.equal(await page.locator('#audit-section').isHidden(), true);
        assert.equal(await page.locator('#find-go').isDisabled(), true);
        assert.match(await page.getAttribute('#find-go', 'title'), /规划 planner/);
        assert.equal(await page.locator('#diff-go').isDisabled(), true);
        assert.match(await page.textContent('#layer-tree li[data-layer="redline"]'), /未公开/);
        assert.ok(requests.some((u) => u.includes('/tiles/farmland/')), 'the public layers\' tiles were asked for');
        assert.deepEqual(redlineTiles(), []);
    }],
    ['a wrong password is said in words; the planner signs in through the form and the red line is drawn', async () => {
        await signIn('planner1', 'not-the-password');
        await page.waitForFunction(() => document.getElementById('login-error').textContent.includes('错误'));
        await signIn('planner1', 'pw-planner-1');
        await page.waitForSelector('#account[data-state="signed-in"]');
        assert.equal(await page.textContent('#account-name'), 'planner1 · 规划 planner');
        assert.equal(await page.locator('#find-go').isDisabled(), false);
        await page.waitForSelector('#audit-records[data-state="done"]', { timeout: 10000 });
        await mapSettled(page);
        assert.ok(redlineTiles().length > 0, 'signed in as a planner, the red line\'s tiles are asked for');
    }],
    ['a site named <img …> is checked (with the CSRF token) and shown as text in the results and the audit view', async () => {
        const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'X-1', name: EVIL },
            geometry: { type: 'Polygon', coordinates: [[[120.6, 31.3], [120.601, 31.3], [120.601, 31.301], [120.6, 31.301], [120.6, 31.3]]] } }] };
        const bytes = Buffer.from(JSON.stringify(fc)).toString('base64');
        await page.evaluate(() => { document.getElementById('check-result').dataset.state = ''; });
        const dt = await page.evaluateHandle(({ bytes, name }) => {
            const t = new DataTransfer();
            t.items.add(new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], name));
            return t;
        }, { bytes, name: `${EVIL}.geojson` });
        await page.dispatchEvent('#map', 'drop', { dataTransfer: dt });
        await page.waitForSelector('#check-result[data-state="done"]', { timeout: 20000 });
        assert.ok((await page.textContent('#check-result .site h3')).includes(EVIL));
        assert.equal(await page.locator('#report-pdf').isDisabled(), false);
        const rows = await auditRows('planner1');
        const check = rows.find(([actor, action]) => actor === 'planner1' && action === 'check');
        assert.ok(check, `the check is in the audit view: ${JSON.stringify(rows)}`);
        assert.ok(check[2].includes(EVIL), `its subject names the file as text: ${check[2]}`);
        assert.match(await page.textContent('#audit-chain'), /intact, \d+ records/);
        assert.equal(await noImages(), 0);
    }],
    ['the CSV link gives the same filter\'s records as CSV', async () => {
        const href = await page.getAttribute('#audit-csv', 'href');
        assert.match(href, /actor=planner1/);
        assert.match(href, /format=csv/);
        const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
        assert.ok(csv.replace(/^\uFEFF/, '').startsWith('seq,time,actor,action'), csv.slice(0, 80));
        assert.ok(csv.includes(',planner1,check,'));
    }],
    ['since and until filter by day, as the server filters the same bounds', async () => {
        const today = new Date().toISOString().slice(0, 10);
        const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
        await page.fill('#audit-since', tomorrow);
        assert.equal((await auditRows('planner1')).length, 0);
        assert.match(await page.textContent('#audit-records'), /无记录/);
        await page.fill('#audit-since', today);
        await page.fill('#audit-until', today);
        const rows = await auditRows('planner1');
        const server = await page.evaluate(async (d) => (await (await fetch(
            `/api/audit?actor=planner1&since=${d}&until=${d}T23:59:59.999Z`)).json()).records.length, today);
        assert.equal(rows.length, server);
        assert.match(await page.getAttribute('#audit-csv', 'href'), new RegExp(`since=${today}&until=${today}`));
        await page.fill('#audit-since', '');
        await page.fill('#audit-until', '');
    }],
    ['更早 Older pages back with ?before=: the pages together are the server\'s list of that filter', async () => {
        const site = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'P' },
            geometry: { type: 'Polygon', coordinates: [[[120.6, 31.3], [120.601, 31.3], [120.601, 31.301], [120.6, 31.301], [120.6, 31.3]]] } }] });
        for (let i = 0; i < 55; i++) {  // public checks, more than one page of the view (50)
            const r = await fetch(`${server.url}/api/check?filename=page-${i}.geojson`, { method: 'POST', body: site });
            assert.equal(r.status, 200);
        }
        const first = await auditRows('', 'check');
        assert.equal(first.length, 50);
        assert.equal(await page.locator('#audit-older').isVisible(), true);
        await page.evaluate(() => { document.getElementById('audit-records').dataset.state = ''; });
        await page.click('#audit-older');
        await page.waitForSelector('#audit-records[data-state="done"]');
        const shown = await page.$$eval('#audit-records li.audit-record', (lis) => lis.map((li) => Number(li.dataset.seq)));
        const all = await page.evaluate(async () => (await (await fetch('/api/audit?action=check&limit=1000')).json()).records.map((r) => r.seq));
        assert.ok(all.length > 55 && all.length < 100, `${all.length} check records`);
        assert.deepEqual(shown, all);
        assert.equal(await page.locator('#audit-older').isHidden(), true);
    }],
    ['signing out hides the audit view and takes the red line off the map', async () => {
        await page.click('#logout');
        await page.waitForSelector('#account[data-state="signed-out"]');
        assert.equal(await page.locator('#audit-section').isHidden(), true);
        assert.equal(await page.locator('#find-go').isDisabled(), true);
        assert.equal(await page.evaluate(() => Boolean(window.onemapPage.map.getSource('redline'))), false);
        const session = await page.evaluate(async () => (await fetch('/api/session')).json());
        assert.equal(session.signed_in, false);
        const before = redlineTiles().length;
        await page.evaluate(() => window.onemapPage.map.zoomIn({ duration: 0 }));
        await mapSettled(page);
        assert.equal(redlineTiles().length, before, 'no red line tile asked for after signing out');
    }],
    ['a user named <img …> signs in: the name is text in the header and in the audit view, nothing ran', async () => {
        await signIn(EVIL, 'pw-evil-1');
        await page.waitForSelector('#account[data-state="signed-in"]');
        assert.equal(await page.textContent('#account-name'), `${EVIL} · 规划 planner`);
        const rows = await auditRows(EVIL);
        assert.ok(rows.some(([actor, action]) => actor === EVIL && action === 'login'), JSON.stringify(rows));
        await page.screenshot({ path: path.join(o.artifacts, 'web-bureau-audit.png') });
        assert.equal(await noImages(), 0);
        assert.deepEqual(dialogs, []);
    }],
    ['a session ended elsewhere (logout everywhere): the next refusal puts the page back to signed out', async () => {
        const login = await fetch(`${server.url}/api/login`, { method: 'POST', body: JSON.stringify({ user: EVIL, password: 'pw-evil-1' }) });
        assert.equal(login.status, 200);
        const { csrf_token: token } = await login.json();
        const cookie = login.headers.get('set-cookie').split(';')[0];
        const out = await fetch(`${server.url}/api/logout?everywhere=true`,
            { method: 'POST', headers: { cookie, 'X-CSRF-Token': token } });
        assert.equal(out.status, 200);
        await page.click('#find-go');  // find needs a session: 401 now
        await page.waitForSelector('#account[data-state="signed-out"]', { timeout: 10000 });
        assert.match(await page.textContent('#account-note'), /会话已结束.*sign in again/);
        assert.equal(await page.locator('#audit-section').isHidden(), true);
    }],
    ['too many attempts: the form says so with the wait the server gives', async () => {
        let said = '';
        for (let i = 0; i < 10 && !said.includes('too many'); i++) {  // the account's burst is 5
            await page.evaluate(() => { document.getElementById('login-error').textContent = ''; });
            await signIn('nobody', 'wrong');
            await page.waitForFunction(() => document.getElementById('login-error').textContent !== '');
            said = await page.textContent('#login-error');
        }
        assert.match(said, /尝试次数过多.*\d+ 秒.*too many attempts: try again in \d+ s/);
    }],
    ['a record edited in the store (its trigger dropped): the audit view says the chain is broken and where', async () => {
        execFileSync('sqlite3', ['-cmd', '.timeout 10000', path.join(data, 'bureau.sqlite'),
            "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'edited' WHERE seq = 3"], { stdio: ['ignore', 'ignore', 'inherit'] });
        await signIn('planner1', 'pw-planner-1');
        await page.waitForSelector('#audit-chain[data-intact="false"]', { timeout: 10000 });
        assert.match(await page.textContent('#audit-chain'), /broken at record #3: /);
    }],
    ['no dialog, no <img>, no page error', async () => {
        assert.deepEqual(dialogs, []);
        assert.equal(await noImages(), 0);
        assert.deepEqual(pageErrors, []);
    }],
]);

await browser.close();
await server.stop();
fs.rmSync(work, { recursive: true, force: true });
console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
