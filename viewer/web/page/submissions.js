// The submissions view (issue 36) on a server with accounts: an enterprise (企业) submits a site
// file (POST /api/submissions) and sees its own submissions with their check and state; a planner
// (规划) sees all and may submit; an approver (审批) sees the queue of their cities, each with its
// check summary, and approves or rejects with a reason (a refusal's 409 reasons are shown). The
// register (GET /api/register) is listed for planners and approvers. Names, file names, reasons
// and check texts are typed by users: every text reaches the DOM through el() (textContent),
// never as HTML; no confirm() or prompt() (a dialog would hide a script's).
import { el, setStatus } from './app.js';
import { session, withSession, noteRefusal, onSessionChange } from './session.js';

// Who sees what (the server's route table, tests/web/test_web_bureau.cpp expectedMatrix).
const MAY = {
    submit: ['enterprise', 'planner'],
    list: ['enterprise', 'planner', 'approver'],
    decide: ['approver'],
    register: ['planner', 'approver'],
};
const STATE_WORDS = { pending: '待审 pending', approved: '已批准 approved', rejected: '已驳回 rejected' };

const may = (what) => session.accounts && session.signedIn && MAY[what].includes(session.role);

/// A request with the session's CSRF token; the answer's JSON (or null) beside the response.
async function call(url, options) {
    const r = await fetch(url, withSession(options));
    let j = null;
    try { j = await r.json(); } catch { /* not JSON */ }
    if (!r.ok) noteRefusal(r.status, (j && j.error) || '');
    return { r, j, error: r.ok ? '' : (j && j.error) || `${r.status} ${r.statusText}` };
}

/// "3 个项目 sites — 2 合规 pass，1 警示 warn，0 不合规 fail" from a check's summary.
function checkSummary(check) {
    if (!check || !check.summary) return '';
    const s = check.summary;
    return `${s.sites} 个项目 sites — ${s.pass} 合规 pass，${s.warn} 警示 warn，${s.fail} 不合规 fail` +
        (s.unchecked ? `，${s.unchecked} 未能审查 unchecked` : '');
}

/// The sites of a check as a list: verdict, id, name.
function siteList(check) {
    const sites = (check && check.sites) || [];
    return el('ul', { class: 'submission-sites' }, sites.map((s) => el('li', { dataset: { verdict: s.verdict } },
        el('span', { class: `verdict ${String(s.verdict).replace(/\W+/g, '-')}` }, s.verdict), ' ',
        el('span', { class: 'site-id' }, s.id), ' ', el('span', { class: 'site-name' }, s.name || ''),
        (s.admin && s.admin.length) ? el('span', { class: 'hint' }, ` · ${s.admin.join('、')}`) : null)));
}

function decisionControls(s, item) {
    const reason = el('input', { type: 'text', class: 'decision-reason', placeholder: '理由 reason', 'aria-label': '理由 reason' });
    const out = el('div', { class: 'decision-result', role: 'status' });
    const decide = async (what) => {
        out.replaceChildren();
        out.classList.remove('error');
        if (what === 'reject' && !reason.value.trim()) {
            out.classList.add('error');
            out.textContent = '驳回需填写理由 a rejection gives its reason';
            return;
        }
        item.dataset.deciding = what;
        const { r, j, error } = await call(`/api/submissions/${encodeURIComponent(s.id)}/${what}`, {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: reason.value }) });
        delete item.dataset.deciding;
        if (r.ok) {
            setStatus(`${what === 'approve' ? '已批准 approved' : '已驳回 rejected'} #${s.id}`);
            refreshSubmissions();
            return;
        }
        out.classList.add('error');
        out.dataset.status = String(r.status);
        out.append(el('p', {}, `${what === 'approve' ? '未批准 not approved' : '未驳回 not rejected'}: ${error}`));
        if (j && Array.isArray(j.refusals)) {
            out.append(el('ul', { class: 'refusals' }, j.refusals.map((line) => el('li', {}, line))));
        }
    };
    return el('div', { class: 'decision' }, reason,
        el('button', { type: 'button', class: 'approve', onclick: () => decide('approve') }, '批准 Approve'), ' ',
        el('button', { type: 'button', class: 'reject', onclick: () => decide('reject') }, '驳回 Reject'), out);
}

function submissionItem(s) {
    const item = el('li', { class: 'submission', dataset: { id: s.id, state: s.state } },
        el('b', {}, `#${s.id} `), el('span', { class: 'submission-file' }, s.file_name), ' ',
        el('span', { class: `state ${s.state}` }, STATE_WORDS[s.state] || s.state), el('br'),
        el('span', { class: 'hint' }, `${s.created} · 提交人 by `), el('span', { class: 'submitter' }, s.submitter),
        el('span', { class: 'hint' }, ` · ${(s.cities || []).join('、') || '（无城市 no city）'}`),
        el('p', { class: 'check-summary' }, checkSummary(s.check)), siteList(s.check));
    if (s.state !== 'pending') {
        item.append(el('p', { class: 'decided hint' }, `${s.decided || ''} · ${s.decided_by || ''}: `),
            el('span', { class: 'decision-reason-text' }, s.reason || ''));
    }
    if (s.state === 'pending' && may('decide')) item.append(decisionControls(s, item));
    return item;
}

async function listSubmissions() {
    const list = document.getElementById('submissions-list');
    const state = document.getElementById('submissions-state').value;
    list.dataset.state = 'loading';
    const { r, j, error } = await call(`/api/submissions${state ? `?state=${state}` : ''}`);
    if (!r.ok) {
        list.replaceChildren(el('li', { class: 'error' }, `读取失败 cannot list: ${error}`));
        list.dataset.state = 'error';
        return;
    }
    const items = j.submissions.map(submissionItem);
    list.replaceChildren(...(items.length ? items : [el('li', { class: 'hint' }, '无 none')]));
    list.dataset.state = 'done';
}

async function listRegister() {
    const list = document.getElementById('register-list');
    list.dataset.state = 'loading';
    const { r, j, error } = await call('/api/register');
    if (!r.ok) {
        list.replaceChildren(el('li', { class: 'error' }, `读取失败 cannot list: ${error}`));
        list.dataset.state = 'error';
        return;
    }
    const items = j.approved.map((s) => el('li', { class: 'register-entry', dataset: { id: s.id } },
        el('b', {}, `#${s.id} `), el('span', { class: 'submission-file' }, s.file_name),
        el('span', { class: 'hint' }, ` · ${s.decided || ''} · ${(s.cities || []).join('、')}`), siteList(s.check)));
    list.replaceChildren(...(items.length ? items : [el('li', { class: 'hint' }, '无 none')]));
    list.dataset.state = 'done';
}

async function submitFile(file) {
    const out = document.getElementById('submit-result');
    out.classList.remove('error');
    out.dataset.state = 'loading';
    out.textContent = `正在提交 submitting ${file.name}…`;
    const bytes = await file.arrayBuffer();
    const { r, j, error } = await call(`/api/submissions?filename=${encodeURIComponent(file.name)}`, { method: 'POST', body: bytes });
    if (!r.ok) {
        out.classList.add('error');
        out.textContent = `提交失败 submission failed: ${error}`;
        out.dataset.state = 'error';
        return;
    }
    out.replaceChildren(el('span', {}, `已提交 submitted #${j.id}: `), el('span', { class: 'submission-file' }, file.name),
        el('br'), checkSummary(j.check));
    out.dataset.state = 'done';
    await listSubmissions();
}

function build(section) {
    const fileInput = el('input', { type: 'file', id: 'submit-file' });
    fileInput.addEventListener('change', () => {
        const file = fileInput.files[0];
        fileInput.value = '';
        if (file) submitFile(file);
    });
    const stateSelect = el('select', { id: 'submissions-state', onchange: listSubmissions },
        el('option', { value: '' }, '全部 all'),
        ...Object.entries(STATE_WORDS).map(([v, words]) => el('option', { value: v }, words)));
    if (may('decide')) stateSelect.value = 'pending';  // an approver's queue
    section.replaceChildren(
        el('h2', {}, '报批 Submissions'),
        el('p', { id: 'submit-box', class: 'hint' }, '提交场地文件审批 Submit a site file for approval: ',
            el('label', { class: 'file' }, '选择文件 choose a file', fileInput)),
        el('p', { id: 'submit-result', class: 'hint', role: 'status' }),
        el('label', {}, '状态 State ', stateSelect),
        el('button', { type: 'button', id: 'submissions-reload', onclick: () => refreshSubmissions() }, '刷新 Reload'),
        el('ol', { id: 'submissions-list' }),
        el('div', { id: 'register-box' }, el('h3', {}, '已批准登记 Register of approvals'), el('ol', { id: 'register-list' })));
    document.getElementById('submit-box').hidden = !may('submit');
    document.getElementById('register-box').hidden = !may('register');
}

/// Shows the view to the roles that may use it (and reads it), hides it from the rest.
export async function refreshSubmissions() {
    const section = document.getElementById('submissions-section');
    section.hidden = !may('list');
    if (section.hidden) {
        section.replaceChildren();  // nothing of the last user's stays
        return;
    }
    if (!section.firstChild) build(section);
    await Promise.all([listSubmissions(), may('register') ? listRegister() : null]);
}

export function setupSubmissions() {
    refreshSubmissions();
    onSessionChange(() => {
        document.getElementById('submissions-section').replaceChildren();  // built for the new role
        refreshSubmissions();
    });
}
