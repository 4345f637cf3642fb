// The audit view (规划 planner and 管理 admin): the newest records of GET /api/audit with the
// filters actor, action, since, until; older pages through ?before=; the CSV of the same filter;
// the chain's state from GET /api/audit/verify. Names, subjects and details are typed by users:
// every text from the server reaches the DOM through el() (textContent), never as HTML.
import { el, fetchOk, setStatus } from './app.js';
import { may, session } from './session.js';

const PAGE = 50;
const audit = { oldest: null };

/// The filter as query parameters (empty fields left out); `until` takes the whole day.
function filterQuery() {
    const q = new URLSearchParams();
    const actor = document.getElementById('audit-actor').value.trim();
    const action = document.getElementById('audit-action').value.trim();
    const since = document.getElementById('audit-since').value;
    const until = document.getElementById('audit-until').value;
    if (actor) q.set('actor', actor);
    if (action) q.set('action', action);
    if (since) q.set('since', since);
    if (until) q.set('until', `${until}T23:59:59.999Z`);
    return q;
}

function recordItem(r) {
    return el('li', { class: 'audit-record', dataset: { seq: r.seq } },
        el('span', { class: 'hint' }, `#${r.seq} ${r.time} `),
        el('b', { class: 'audit-actor' }, r.actor || '（公众 public）'), ' ',
        el('span', { class: 'audit-action' }, r.action), el('br'),
        el('span', { class: 'audit-subject' }, r.subject), ' ',
        el('span', { class: 'audit-detail hint' }, r.detail));
}

async function showChain() {
    const box = document.getElementById('audit-chain');
    try {
        const v = await (await fetchOk('/api/audit/verify')).json();
        box.dataset.intact = String(v.intact);
        box.textContent = v.intact ? `链完整 intact, ${v.records} records`
            : `链已损坏 broken at record #${v.first_bad}: ${v.reason}`;
        box.classList.toggle('error', !v.intact);
    } catch (e) {
        box.textContent = `无法校验 cannot verify: ${e.message}`;
        box.classList.add('error');
    }
}

/// The newest page of the filter (older = false) or the page before the oldest shown.
async function listRecords(older) {
    const list = document.getElementById('audit-records');
    const q = filterQuery();
    document.getElementById('audit-csv').href = `/api/audit?${new URLSearchParams([...q, ['format', 'csv']])}`;
    q.set('limit', String(PAGE));
    if (older && audit.oldest !== null) q.set('before', String(audit.oldest));
    list.dataset.state = 'loading';
    try {
        const { records } = await (await fetchOk(`/api/audit?${q}`)).json();
        const items = records.map(recordItem);
        if (older) list.append(...items); else list.replaceChildren(...items);
        if (records.length) audit.oldest = Math.min(...records.map((r) => r.seq));
        if (!older && !records.length) list.replaceChildren(el('li', { class: 'hint' }, '无记录 no record'));
        document.getElementById('audit-older').hidden = records.length < PAGE;
        list.dataset.state = 'done';
    } catch (e) {
        list.replaceChildren(el('li', { class: 'error' }, `审计读取失败 audit failed: ${e.message}`));
        list.dataset.state = 'error';
        setStatus(`审计读取失败 audit failed: ${e.message}`, true);
    }
}

/// Shows the audit section to the roles that may read it (and reads it), hides it from the rest.
export async function refreshAudit() {
    const section = document.getElementById('audit-section');
    section.hidden = !session.accounts || !may('audit');  // no trail without accounts
    if (section.hidden) {
        document.getElementById('audit-records').replaceChildren();
        return;
    }
    audit.oldest = null;
    await Promise.all([listRecords(false), showChain()]);
}

export function setupAudit() {
    document.getElementById('audit-form').addEventListener('submit', (e) => {
        e.preventDefault();
        audit.oldest = null;
        listRecords(false);
        showChain();
    });
    document.getElementById('audit-older').addEventListener('click', () => listRecords(true));
}
