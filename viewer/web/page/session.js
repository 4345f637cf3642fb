// Sign-in on a server with accounts (`onemap serve --data DIR`): the header's 登录 form or the
// signed-in user with 退出, the role's rights (which controls are usable), and the CSRF token
// every POST made while signed in carries. A server without accounts answers 404 to
// /api/session: the page then shows no sign-in and everything works as before.
// The token is kept in sessionStorage (this tab only); the session itself is an HttpOnly cookie.
// Text from the server (the user's name) reaches the DOM through el() (textContent) only.
import { el, setStatus } from './app.js';

const ROLE_LABELS = { public: '公众', enterprise: '企业', planner: '规划', approver: '审批', admin: '管理' };
// Who may use what (the server's route table, tests/web/test_web_bureau.cpp expectedMatrix).
const ROLES_MAY = {
    report: ['enterprise', 'planner', 'approver'],
    find: ['planner', 'approver'],
    diff: ['planner', 'approver'],
    audit: ['planner', 'admin'],
    comments: ['planner', 'approver', 'admin'],
};
const TOKEN_KEY = 'onemap.csrf';

/// accounts: the server has accounts; signedIn: this tab holds a session and its CSRF token.
export const session = { accounts: false, signedIn: false, user: '', role: 'public', roleLabel: '公众', csrf: '' };
const listeners = [];
let signedOutBecause = '';  // said beside 登录 until the next sign-in (the status line moves on)

/// fn() runs after every sign-in and sign-out (and once the session is known at start).
export function onSessionChange(fn) { listeners.push(fn); }

/// Whether the caller may use `what` (report, find, diff, audit); always on a server without accounts.
export function may(what) {
    return !session.accounts || ROLES_MAY[what].includes(session.role);
}

/// The roles that may use `what`, Chinese first: "规划 planner、审批 approver".
export function whoMay(what) {
    return ROLES_MAY[what].map((r) => `${ROLE_LABELS[r]} ${r}`).join('、');
}

/// Whether layers marked `public = false` are drawn for the caller (every signed-in role but public).
export function seesHiddenLayers() {
    return !session.accounts || (session.signedIn && session.role !== 'public');
}

/// fetch options for the API: signed in, the CSRF token as a header; otherwise no cookie at all,
/// so a session this tab holds no token for (another tab's) never makes a POST fail with 403.
export function withSession(options = {}) {
    if (!session.accounts) return options;
    if (session.signedIn) return { ...options, headers: { ...(options.headers || {}), 'X-CSRF-Token': session.csrf } };
    return { ...options, credentials: 'omit' };
}

function changed() {
    renderAccount();
    for (const fn of listeners) fn();
}

function signOutHere(note) {
    sessionStorage.removeItem(TOKEN_KEY);
    Object.assign(session, { signedIn: false, user: '', role: 'public', roleLabel: '公众', csrf: '' });
    signedOutBecause = note || '';
    if (note) setStatus(note, true);
    changed();
}

/// An API refusal seen by fetchOk: a session that ended (401) or a token the server no longer
/// takes (403 naming the CSRF header) puts the page back to signed out.
export function noteRefusal(status, message) {
    if (!session.signedIn) return;
    if (status === 401 || (status === 403 && /CSRF/i.test(message))) {
        signOutHere(`会话已结束，请重新登录 the session ended: sign in again (${message})`);
    }
}

function signedIn(j, csrf) {
    signedOutBecause = '';
    Object.assign(session, { signedIn: true, user: j.user, role: j.role, roleLabel: j.role_label || ROLE_LABELS[j.role] || '', csrf });
}

async function signIn(e) {
    e.preventDefault();
    const error = document.getElementById('login-error');
    error.textContent = '';
    const body = JSON.stringify({ user: document.getElementById('login-user').value,
        password: document.getElementById('login-password').value });
    let r;
    try {
        r = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    } catch (err) {
        error.textContent = `无法连接 cannot reach the server: ${err.message}`;
        return;
    }
    if (r.status === 401) {
        error.textContent = '用户名或密码错误 wrong user name or password';
    } else if (r.status === 429) {
        const wait = r.headers.get('Retry-After') || '?';
        error.textContent = `尝试次数过多，请 ${wait} 秒后再试 too many attempts: try again in ${wait} s`;
    } else if (!r.ok) {
        let msg = `${r.status} ${r.statusText}`;
        try { msg = (await r.json()).error || msg; } catch { /* not JSON */ }
        error.textContent = `登录失败 sign-in failed: ${msg}`;
    } else {
        const j = await r.json();
        sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token: j.csrf_token, user: j.user }));
        signedIn(j, j.csrf_token);
        document.getElementById('login-password').value = '';
        setStatus(`已登录 signed in: ${j.user} · ${session.roleLabel} ${j.role}`);
        changed();
    }
}

async function signOut() {
    if (session.signedIn) {
        await fetch('/api/logout', { method: 'POST', headers: { 'X-CSRF-Token': session.csrf } }).catch(() => null);
    }
    signOutHere();
    setStatus('已退出 signed out');
}

function renderAccount() {
    const box = document.getElementById('account');
    if (!session.accounts) { box.hidden = true; return; }
    box.hidden = false;
    if (session.signedIn) {
        box.dataset.state = 'signed-in';
        box.replaceChildren(el('span', { id: 'account-name' }, `${session.user} · ${session.roleLabel} ${session.role}`),
            el('button', { type: 'button', id: 'logout', onclick: signOut }, '退出 Sign out'));
        return;
    }
    box.dataset.state = 'signed-out';
    const form = el('form', { id: 'login-form', hidden: true, onsubmit: signIn },
        el('input', { type: 'text', id: 'login-user', autocomplete: 'username', placeholder: '用户名 user', 'aria-label': '用户名 user', required: true }),
        el('input', { type: 'password', id: 'login-password', autocomplete: 'current-password', placeholder: '密码 password', 'aria-label': '密码 password', required: true }),
        el('button', { type: 'submit', id: 'login-go' }, '登录 Sign in'),
        el('span', { id: 'login-error', role: 'alert' }));
    const open = el('button', { type: 'button', id: 'login-open', onclick: () => {
        form.hidden = !form.hidden;
        if (!form.hidden) document.getElementById('login-user').focus();
    } }, '登录 Sign in');
    box.replaceChildren(open, form, ...(signedOutBecause ? [el('span', { id: 'account-note' }, signedOutBecause)] : []));
}

/// Asks the server who this tab is (GET /api/session); a 404 means a server without accounts.
export async function loadSession() {
    let j = null;
    try {
        const r = await fetch('/api/session');
        if (r.ok) j = await r.json();
    } catch { /* no answer: treated as no accounts */ }
    session.accounts = Boolean(j);
    let kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || 'null'); } catch { /* damaged: none */ }
    // Signed in with a token of this tab for this user; a cookie without one counts as signed out.
    if (j && j.signed_in && kept && kept.user === j.user && kept.token) signedIn(j, kept.token);
    else sessionStorage.removeItem(TOKEN_KEY);
    changed();
}
