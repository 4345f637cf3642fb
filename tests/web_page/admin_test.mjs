// The submissions and admin views on a server with accounts (`onemap serve --data DIR`), in
// Debian's Chromium driven by playwright-core. An enterprise submits sites named
// `<img src=x onerror=alert(1)>` and `<img src=x onerror="window.__xss=1">` (the name field and
// the upload's file name); then the enterprise, a planner, an approver (who approves one and
// is refused the other, then rejects it with a hostile reason) and an admin visit every view:
// the text is shown literally, no dialog opened, no payload ran (window.__xss stays unset), no
// <img> was made. The server's HTML report escapes the name. The admin adds a user through the
// page, the user signs in, the admin disables them, and their next request gets 401.
//
//   node tests/web_page/admin_test.mjs --onemap build/cli/onemap [--plan P] [--artifacts DIR]
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { options, startServer, launchChromium, runChecks, cliCheck } from './lib.mjs';

const o = options();
const env = { ...process.env };
if (!env.XDG_CACHE_HOME) env.XDG_CACHE_HOME = path.join(o.artifacts, '..', 'web-page-cache');
const EVIL = '<img src=x onerror=alert(1)>';
const EVIL2 = '<img src=x onerror="window.__xss=1">';
const CITY = '合肥市';
const USERS = [['admin1', 'admin', 'pw-admin-1', ''], ['ent1', 'enterprise', 'pw-ent-1', ''],
    ['planner1', 'planner', 'pw-planner-1', ''], ['appr1', 'approver', 'pw-appr-1', CITY]];

// The sample plan, its map read from the sample, the register a copy (approvals write to it).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-page-admin-'));
const sampleDir = path.dirname(o.plan);
const planText = fs.readFileSync(o.plan, 'utf8').replaceAll('source = "g60.gpkg"', `source = ${JSON.stringify(path.join(sampleDir, 'g60.gpkg'))}`);
fs.writeFileSync(path.join(work, 'g60.toml'), planText);
fs.copyFileSync(path.join(sampleDir, 'register.gpkg'), path.join(work, 'register.gpkg'));
const data = path.join(work, 'data');
for (const [name, role, password, city] of USERS) {
    execFileSync(o.onemap, ['user', 'add', name, '--role', role, '--data', data, '--password-stdin', ...(city ? ['--city', city] : [])],
        { env, input: `${password}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
}

// Two sites of the sample in the approver's city, as the CLI judges them today: one that
// passes (approved in the page) and one that fails (refused, then rejected); each as a GeoJSON
// file of its own (ogr2ogr), named by the hostile texts.
const verdicts = cliCheck(o, env, path.join(sampleDir, 'sites.gpkg'));
const inCity = (v) => verdicts.sites.find((s) => s.verdict === v && s.admin && s.admin.length === 1 && s.admin[0] === CITY);
const passing = inCity('pass');
const failing = inCity('fail');
assert.ok(passing && failing, `the sample has a passing and a failing site in ${CITY}`);
function siteFile(id, name) {
    const out = path.join(work, `${id}.geojson`);
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', out, path.join(sampleDir, 'sites.gpkg'), '-where', `id = '${id}'`]);
    const fc = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(fc.features.length, 1);
    fc.features[0].properties.name = name;
    return Buffer.from(JSON.stringify(fc));
}
const evilSite = siteFile(passing.id, EVIL);
const evilSite2 = siteFile(failing.id, EVIL2);

const t0 = Date.now();
const server = await startServer(o, env, ['--data', data], path.join(work, 'g60.toml'));
const browser = await launchChromium(o, { width: 1280, height: 900 });
const page = browser.context.pages()[0] || await browser.context.newPage();
const dialogs = [];
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));

/// Nothing ran: no dialog, the payload's flag unset, no <img> in the document.
async function nothingRan(where) {
    assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
    assert.equal(await page.evaluate(() => window.__xss), undefined, `${where}: the onerror payload ran`);
    assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0, `${where}: an <img> was made`);
}

async function signInAs(user, password) {
    if (await page.locator('#logout').count()) {
        await page.click('#logout');
        await page.waitForSelector('#account[data-state="signed-out"]');
    }
    if (await page.locator('#login-form').isHidden()) await page.click('#login-open');
    await page.fill('#login-user', user);
    await page.fill('#login-password', password);
    await page.click('#login-go');
    await page.waitForSelector('#account[data-state="signed-in"]');
}

const listDone = () => page.waitForSelector('#submissions-list[data-state="done"]', { timeout: 20000 });
const texts = (sel) => page.$$eval(sel, (es) => es.map((e) => e.textContent));

async function submit(name, bytes) {
    await page.evaluate(() => { document.getElementById('submit-result').dataset.state = ''; });
    await page.setInputFiles('#submit-file', { name, mimeType: 'application/geo+json', buffer: bytes });
    await page.waitForSelector('#submit-result[data-state="done"]', { timeout: 30000 });
    assert.ok((await page.textContent('#submit-result')).includes(name));
}

/// A session of `user` for requests made apart from the page (Node's fetch).
async function apiSession(user, password) {
    const r = await fetch(`${server.url}/api/login`, { method: 'POST', body: JSON.stringify({ user, password }) });
    assert.equal(r.status, 200);
    const { csrf_token: csrf } = await r.json();
    return { cookie: r.headers.get('set-cookie').split(';')[0], 'X-CSRF-Token': csrf };
}

const failed = await runChecks([
    ['an enterprise submits two sites named <img …> (name field and file name): shown as text with their checks', async () => {
        await page.goto(`${server.url}/`);
        await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
        assert.equal(await page.locator('#submissions-section').isHidden(), true, 'hidden from the public');
        assert.equal(await page.locator('#admin-section').isHidden(), true);
        await signInAs('ent1', 'pw-ent-1');
        await listDone();
        assert.equal(await page.locator('#submit-box').isVisible(), true);
        assert.equal(await page.locator('#register-box').isHidden(), true);
        assert.equal(await page.locator('#admin-section').isHidden(), true);
        await submit(`${EVIL}.geojson`, evilSite);
        await submit(`${EVIL2}.geojson`, evilSite2);
        await listDone();
        const files = await texts('#submissions-list .submission-file');
        assert.deepEqual(files, [`${EVIL2}.geojson`, `${EVIL}.geojson`], 'newest first, names as text');
        const names = await texts('#submissions-list .site-name');
        assert.deepEqual(names, [EVIL2, EVIL]);
        assert.match(await page.textContent('#submissions-list'), /1 个项目 sites — 0 合规 pass，0 警示 warn，1 不合规 fail/);
        assert.equal(await page.locator('#submissions-list button.approve').count(), 0, 'an enterprise decides nothing');
        await nothingRan('enterprise');
    }],
    ['a planner sees every submission, the register, and the audit view with the names as text', async () => {
        await signInAs('planner1', 'pw-planner-1');
        await listDone();
        assert.deepEqual(await texts('#submissions-list .site-name'), [EVIL2, EVIL]);
        assert.deepEqual(await texts('#submissions-list .submitter'), ['ent1', 'ent1']);
        await page.waitForSelector('#register-list[data-state="done"]');
        await page.waitForSelector('#audit-records[data-state="done"]', { timeout: 10000 });
        const audit = await texts('#audit-records .audit-detail');
        assert.ok(audit.some((d) => d.startsWith(`${EVIL}.geojson: `)), JSON.stringify(audit.slice(0, 5)));
        assert.ok(audit.some((d) => d.startsWith(`${EVIL2}.geojson: `)));
        await nothingRan('planner');
    }],
    ['an approver: the queue of their city; one approved into the register, the other refused with its reasons, then rejected', async () => {
        await signInAs('appr1', 'pw-appr-1');
        await listDone();
        assert.equal(await page.inputValue('#submissions-state'), 'pending', 'the queue');
        assert.deepEqual(await texts('#submissions-list .site-name'), [EVIL2, EVIL]);
        const good = page.locator('#submissions-list li.submission', { hasText: `${EVIL}.geojson` });
        const bad = page.locator('#submissions-list li.submission', { hasText: `${EVIL2}.geojson` });
        await bad.locator('button.approve').click();
        await bad.locator('.decision-result[data-status="409"]').waitFor({ timeout: 30000 });
        const refusals = await bad.locator('.refusals li').allTextContents();
        assert.ok(refusals.length > 0, 'the refusal says why');
        assert.match(await bad.locator('.decision-result').textContent(), /未批准 not approved/);
        await nothingRan('approver, refused');
        await page.evaluate(() => { document.getElementById('submissions-list').dataset.state = ''; });
        await good.locator('button.approve').click();
        await listDone();
        assert.deepEqual(await texts('#submissions-list .site-name'), [EVIL2], 'the approved one left the queue');
        await page.waitForSelector('#register-list[data-state="done"]');
        assert.ok((await texts('#register-list .site-name')).includes(EVIL), 'the approved site is in the register');
        await page.evaluate(() => { document.getElementById('submissions-list').dataset.state = ''; });
        await bad.locator('input.decision-reason').fill(EVIL2);
        await bad.locator('button.reject').click();
        await listDone();
        assert.match(await page.textContent('#submissions-list'), /无 none/);
        await page.selectOption('#submissions-state', '');
        await listDone();
        assert.deepEqual(await texts('#submissions-list .decision-reason-text'), [EVIL2, '']);
        await nothingRan('approver');
    }],
    ['the enterprise sees the states; the server\'s HTML report shows the name escaped', async () => {
        await signInAs('ent1', 'pw-ent-1');
        await listDone();
        assert.deepEqual(await page.$$eval('#submissions-list li.submission', (lis) => lis.map((li) => li.dataset.state)),
            ['rejected', 'approved']);
        const h = await apiSession('ent1', 'pw-ent-1');
        const r = await fetch(`${server.url}/api/report?format=html&filename=${encodeURIComponent(`${EVIL}.geojson`)}`,
            { method: 'POST', headers: h, body: evilSite });
        assert.equal(r.status, 200);
        const html = await r.text();
        assert.ok(!html.includes(EVIL), 'the name never appears raw in the report');
        assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the name appears escaped');
        await nothingRan('enterprise again');
    }],
    ['an admin: the users table, no submissions view, the audit view with the hostile texts as text', async () => {
        await signInAs('admin1', 'pw-admin-1');
        await page.waitForSelector('#users-table tbody[data-state="done"]');
        assert.equal(await page.locator('#submissions-section').isHidden(), true, 'an admin approves nothing');
        assert.deepEqual(await texts('#users-table .user-name'), ['admin1', 'appr1', 'ent1', 'planner1']);
        const appr = page.locator('#users-table tr[data-user="appr1"]');
        assert.equal(await appr.locator('.user-cities').textContent(), CITY);
        assert.equal(await appr.locator('.user-role').textContent(), '审批 approver');
        await page.waitForSelector('#audit-records[data-state="done"]', { timeout: 10000 });
        const audit = await texts('#audit-records .audit-detail');
        assert.ok(audit.includes(EVIL2), 'the rejection\'s reason, as text');
        await nothingRan('admin');
    }],
    ['the admin adds a user through the page, the user signs in; disabled, their next request gets 401', async () => {
        await page.fill('#user-add-name', 'newent');
        await page.selectOption('#user-add-role', 'enterprise');
        await page.fill('#user-add-password', 'pw-newent-1');
        await page.evaluate(() => { document.querySelector('#users-table tbody').dataset.state = ''; });
        await page.click('#user-add-go');
        await page.waitForSelector('#users-table tbody[data-state="done"]');
        assert.match(await page.textContent('#admin-result'), /已添加 added: newent · 企业 enterprise/);
        assert.equal(await page.inputValue('#user-add-password'), '', 'the password field is emptied');
        const h = await apiSession('newent', 'pw-newent-1');
        assert.equal((await fetch(`${server.url}/api/submissions`, { headers: h })).status, 200);

        // A city the plan does not have, and the admin's own account: refused, said in words.
        const row = page.locator('#users-table tr[data-user="newent"]');
        await row.locator('button.user-choose').click();
        await page.selectOption('#user-edit-role', 'approver');
        await page.fill('#user-edit-cities', 'Atlantis');
        await page.click('#user-role-go');
        await page.waitForSelector('#admin-result[data-status="400"]');
        assert.match(await page.textContent('#admin-result'), /Atlantis: not a city of the plan/);
        await page.locator('#users-table tr[data-user="admin1"] button.user-choose').click();
        await page.click('#user-disable-go');
        await page.waitForSelector('#admin-result[data-status="409"]');
        assert.match(await page.textContent('#admin-result'), /cannot disable their own account/);

        await page.locator('#users-table tr[data-user="newent"] button.user-choose').click();
        await page.evaluate(() => { document.querySelector('#users-table tbody').dataset.state = ''; });
        await page.click('#user-disable-go');
        await page.waitForSelector('#users-table tbody[data-state="done"]');
        assert.equal(await page.locator('#users-table tr[data-user="newent"]').getAttribute('data-enabled'), 'false');
        assert.equal((await fetch(`${server.url}/api/submissions`, { headers: h })).status, 401);
        const again = await fetch(`${server.url}/api/login`, { method: 'POST', body: JSON.stringify({ user: 'newent', password: 'pw-newent-1' }) });
        assert.equal(again.status, 401);
        await page.screenshot({ path: path.join(o.artifacts, 'web-admin-users.png') });
    }],
    ['no dialog, no payload ran, no <img>, no page error', async () => {
        await nothingRan('the end');
        assert.deepEqual(pageErrors, []);
    }],
]);

await browser.close();
await server.stop();
fs.rmSync(work, { recursive: true, force: true });
console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
