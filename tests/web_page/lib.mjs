// Helpers of the page tests: options, a real `onemap serve` on a free loopback port, Debian's
// Chromium through playwright-core (never a downloaded browser), the CLI, tiles and pixels.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/// --onemap BIN (required: the program, for `serve` and `check`), --plan, --web-root,
/// --artifacts (screenshots), --node-modules (viewer/web/node_modules by default).
export function options(argv = process.argv.slice(2)) {
    const o = {
        onemap: process.env.ONEMAP_BINARY || '',
        plan: path.join(REPO, 'sample-data/g60.toml'),
        webRoot: path.join(REPO, 'viewer/web/page'),
        artifacts: path.join(REPO, 'build/tests/artifacts'),
        nodeModules: path.join(REPO, 'viewer/web/node_modules'),
        chromium: process.env.ONEMAP_CHROMIUM || '/usr/bin/chromium',
    };
    const keys = { '--onemap': 'onemap', '--plan': 'plan', '--web-root': 'webRoot', '--artifacts': 'artifacts',
        '--node-modules': 'nodeModules', '--chromium': 'chromium' };
    for (let i = 0; i < argv.length; i += 2) {
        if (!keys[argv[i]] || argv[i + 1] === undefined) throw new Error(`unknown or incomplete option ${argv[i]}`);
        o[keys[argv[i]]] = path.resolve(argv[i + 1]);
    }
    if (!o.onemap) throw new Error('give the onemap program: --onemap BIN (or ONEMAP_BINARY)');
    if (!fs.existsSync(path.join(o.webRoot, 'vendor/maplibre-gl.js'))) {
        throw new Error(`${o.webRoot}/vendor/maplibre-gl.js is missing: run scripts/web-deps.sh`);
    }
    fs.mkdirSync(o.artifacts, { recursive: true });
    return o;
}

/// A package of viewer/web/node_modules (the test folder has none of its own).
export async function importPackage(o, name, file) {
    return import(pathToFileURL(path.join(o.nodeModules, name, file)).href);
}

function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    });
}

/// `onemap serve PLAN --listen 127.0.0.1:PORT --web-root ROOT [EXTRA…]` (PLAN: o.plan unless
/// given), resolved once it prints its URL.
export async function startServer(o, env, extra = [], plan = o.plan) {
    const port = await freePort();
    const child = spawn(o.onemap, ['serve', plan, '--listen', `127.0.0.1:${port}`, '--web-root', o.webRoot, ...extra],
        { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let running = true;
    child.once('exit', () => { running = false; });
    // However this process ends (a failed check, an exception, a signal), the server goes too.
    process.on('exit', () => { if (running) child.kill('SIGKILL'); });
    for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(1));
    const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not start in 90 s: ${out}`)); }, 90000);
        const take = (d) => {
            out += d;
            const m = /onemap serve: (http:\/\/\S+?)\/? /.exec(out);
            if (m) { clearTimeout(timer); resolve(m[1]); }
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${out}`)); });
    });
    return { url, child, stop: () => new Promise((r) => { if (!running) return r(); child.once('exit', r); child.kill('SIGTERM'); }) };
}

/// `onemap check PLAN FILE --format json [--as-of D]`: the CLI's answer the page must show.
export function cliCheck(o, env, file, asOf) {
    const args = ['check', o.plan, file, '--format', 'json'];
    if (asOf) args.push('--as-of', asOf);
    let out;
    try {
        out = execFileSync(o.onemap, args, { env, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
        if (e.status !== 1) throw e;  // 1: a site fails, the JSON is still the answer
        out = e.stdout;
    }
    return JSON.parse(out);
}

/// `onemap check PLAN FILE --conflicts OUT.geojson`: the conflict areas (RFC 7946) the page draws.
export function cliConflicts(o, env, file, out) {
    try {
        execFileSync(o.onemap, ['check', o.plan, file, '--conflicts', out], { env, stdio: 'ignore' });
    } catch (e) {
        if (e.status !== 1) throw e;  // 1: a site fails, the file is still written
    }
    return JSON.parse(fs.readFileSync(out, 'utf8'));
}

/// `onemap diff PLAN --layer L --from D --format json`.
export function cliDiff(o, env, layer, from) {
    const out = execFileSync(o.onemap, ['diff', o.plan, '--layer', layer, '--from', from, '--format', 'json'],
        { env, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out);
}

/// Debian's Chromium with the flags this machine needs and a fresh profile.
export async function launchChromium(o, viewport) {
    const { chromium } = await importPackage(o, 'playwright-core', 'index.mjs');
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-page-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: o.chromium, headless: true, viewport, deviceScaleFactor: 1,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--enable-unsafe-swiftshader'],
    });
    return { context, close: async () => { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); } };
}

/// Waits until the map has drawn every tile it asked for (and two more frames).
export async function mapSettled(page, timeout = 20000) {
    await page.waitForFunction(() => {
        const m = window.onemapPage && window.onemapPage.map;
        return m && m.loaded() && m.areTilesLoaded() && !m.isMoving();
    }, null, { timeout, polling: 100 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/// The [r, g, b] of a screenshot (PNG bytes) at page pixel (x, y), decoded by the browser.
export async function pixelAt(page, png, x, y) {
    return page.evaluate(async ({ b64, x, y }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const g = c.getContext('2d');
        g.drawImage(bmp, 0, 0);
        return Array.from(g.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3));
    }, { b64: png.toString('base64'), x, y });
}

export const colourDistance = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

export function hexRgb(hex) {
    const n = parseInt(hex.slice(1, 7), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/// The XYZ tile holding (lon, lat) at zoom z (Web Mercator).
export function tileOf(lon, lat, z) {
    const n = 2 ** z;
    const x = Math.floor(((lon + 180) / 360) * n);
    const r = (lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
    return [x, y];
}

export function pointInRing(p, ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
}

/// A point well inside a polygon (lon/lat rings): the interior point farthest from the edges
/// on a 24 × 24 grid over its box (enough for a parcel a few dozen pixels wide).
export function interiorPoint(rings) {
    const outer = rings[0];
    const xs = outer.map((p) => p[0]), ys = outer.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    let best = null, bestD = -1;
    const segDist = (p, a, b) => {
        const dx = b[0] - a[0], dy = b[1] - a[1];
        const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy || 1)));
        return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
    };
    for (let i = 1; i < 24; i++) {
        for (let j = 1; j < 24; j++) {
            const p = [x0 + ((x1 - x0) * i) / 24, y0 + ((y1 - y0) * j) / 24];
            if (!pointInRing(p, outer) || rings.slice(1).some((h) => pointInRing(p, h))) continue;
            let d = Infinity;
            for (const r of rings) for (let k = 1; k < r.length; k++) d = Math.min(d, segDist(p, r[k - 1], r[k]));
            if (d > bestD) { bestD = d; best = p; }
        }
    }
    return best;
}

/// Runs named async checks in order; prints one line each and the closing count line.
export async function runChecks(checks) {
    let passed = 0, failed = 0;
    for (const [name, fn] of checks) {
        const t0 = Date.now();
        try {
            await fn();
            passed++;
            console.log(`ok - ${name} (${Date.now() - t0} ms)`);
        } catch (e) {
            failed++;
            console.log(`not ok - ${name}: ${e && e.stack ? e.stack : e}`);
        }
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed;
}
