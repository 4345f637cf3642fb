// The admin view (管理 admin only; issue 36): the accounts of GET /api/users in a table (name,
// role, cities, enabled), a form to add one, and for the account chosen in the table: change its
// role and cities, reset its password, disable it, log it out everywhere (POST /api/users/…).
// User names and cities are typed by users: every text reaches the DOM through el()
// (textContent), never as HTML. Passwords are sent once and the fields emptied; no confirm() or
// prompt() (a dialog would hide a script's).
import { el, setStatus } from './app.js';
import { session, withSession, noteRefusal, onSessionChange } from './session.js';

const ROLES = [['enterprise', '企业'], ['planner', '规划'], ['approver', '审批'], ['admin', '管理'], ['public', '公众']];
const view = { chosen: '' };

const isAdmin = () => session.accounts && session.signedIn && session.role === 'admin';

/// "合肥市、芜湖市" or "合肥市, 芜湖市" → ["合肥市", "芜湖市"].
function cityList(text) {
    return text.split(/[,，、;；]+/).map((s) => s.trim()).filter(Boolean);
}

function roleSelect(id) {
    return el('select', { id, 'aria-label': '角色 role' }, ROLES.map(([r, zh]) => el('option', { value: r }, `${zh} ${r}`)));
}

async function post(url, body) {
    const r = await fetch(url, withSession({ method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? '' : JSON.stringify(body) }));
    let j = null;
    try { j = await r.json(); } catch { /* not JSON */ }
    if (!r.ok) noteRefusal(r.status, (j && j.error) || '');
    return { ok: r.ok, status: r.status, j, error: r.ok ? '' : (j && j.error) || `${r.status} ${r.statusText}` };
}

/// Says how a change went under the form (an error in red, with its status).
function report(text, status = 0) {
    const out = document.getElementById('admin-result');
    out.textContent = text;
    out.classList.toggle('error', status !== 0);
    out.dataset.status = String(status);
    if (!status) setStatus(text);
}

function userRow(u) {
    const row = el('tr', { class: 'user-row', dataset: { user: u.name, enabled: String(u.enabled) } },
        el('td', { class: 'user-name' }, u.name),
        el('td', { class: 'user-role' }, `${u.role_label} ${u.role}`),
        el('td', { class: 'user-cities' }, (u.cities || []).join('、')),
        el('td', { class: 'user-state' }, u.enabled ? '启用 enabled' : '停用 disabled'),
        el('td', {}, el('button', { type: 'button', class: 'user-choose', onclick: () => choose(u) }, '编辑 Edit')));
    if (u.name === view.chosen) row.classList.add('chosen');
    return row;
}

/// Fills the edit form with the account `u`.
function choose(u) {
    view.chosen = u.name;
    document.getElementById('user-edit').hidden = false;
    document.getElementById('user-edit-name').textContent = u.name;
    document.getElementById('user-edit-role').value = u.role;
    document.getElementById('user-edit-cities').value = (u.cities || []).join('、');
    document.getElementById('user-edit-password').value = '';
    for (const tr of document.querySelectorAll('#users-table tr.user-row')) {
        tr.classList.toggle('chosen', tr.dataset.user === u.name);
    }
}

async function listUsers() {
    const body = document.querySelector('#users-table tbody');
    body.dataset.state = 'loading';
    const r = await fetch('/api/users', withSession());
    let j = null;
    try { j = await r.json(); } catch { /* not JSON */ }
    if (!r.ok) {
        noteRefusal(r.status, (j && j.error) || '');
        body.replaceChildren(el('tr', {}, el('td', { class: 'error', colspan: 5 }, `读取失败 cannot list: ${(j && j.error) || r.status}`)));
        body.dataset.state = 'error';
        return;
    }
    body.replaceChildren(...j.users.map(userRow));
    body.dataset.state = 'done';
}

async function addUser(e) {
    e.preventDefault();
    const password = document.getElementById('user-add-password');
    const name = document.getElementById('user-add-name').value;
    const r = await post('/api/users', { name, role: document.getElementById('user-add-role').value,
        cities: cityList(document.getElementById('user-add-cities').value), password: password.value });
    password.value = '';
    if (!r.ok) return report(`添加失败 not added: ${r.error}`, r.status);
    document.getElementById('user-add-form').reset();
    report(`已添加 added: ${r.j.name} · ${r.j.role_label} ${r.j.role}`);
    await listUsers();
}

/// Runs one change on the chosen account and lists the accounts again.
async function change(what, body, done) {
    if (!view.chosen) return;
    const r = await post(`/api/users/${encodeURIComponent(view.chosen)}/${what}`, body);
    if (!r.ok) return report(`${done[1]}: ${r.error}`, r.status);
    report(`${done[0]}: ${view.chosen}${r.j.sessions_closed !== undefined ? ` (${r.j.sessions_closed} 个会话 sessions closed)` : ''}`);
    await listUsers();
}

function build(section) {
    const addForm = el('form', { id: 'user-add-form', onsubmit: addUser },
        el('h3', {}, '添加用户 Add a user'),
        el('label', {}, '用户名 Name ', el('input', { type: 'text', id: 'user-add-name', required: true, autocomplete: 'off' })),
        el('label', {}, '角色 Role ', roleSelect('user-add-role')),
        el('label', {}, '城市 Cities ', el('input', { type: 'text', id: 'user-add-cities', placeholder: '合肥市、芜湖市（审批 approvers）' })),
        el('label', {}, '初始密码 Password ', el('input', { type: 'password', id: 'user-add-password', required: true, minlength: 8, autocomplete: 'new-password' })),
        el('button', { type: 'submit', id: 'user-add-go' }, '添加 Add'));
    const password = el('input', { type: 'password', id: 'user-edit-password', minlength: 8, autocomplete: 'new-password', 'aria-label': '新密码 new password' });
    const edit = el('form', { id: 'user-edit', hidden: true, onsubmit: (e) => e.preventDefault() },
        el('h3', {}, '修改 Change: ', el('span', { id: 'user-edit-name' })),
        el('label', {}, '角色 Role ', roleSelect('user-edit-role')),
        el('label', {}, '城市 Cities ', el('input', { type: 'text', id: 'user-edit-cities' })),
        el('button', { type: 'button', id: 'user-role-go', onclick: () => change('role', {
            role: document.getElementById('user-edit-role').value,
            cities: cityList(document.getElementById('user-edit-cities').value) }, ['已修改角色 role changed', '修改失败 not changed']) },
        '保存角色与城市 Save role and cities'),
        el('label', {}, '新密码 New password ', password),
        el('button', { type: 'button', id: 'user-password-go', onclick: () => {
            const body = { password: password.value };
            password.value = '';
            change('password', body, ['已重置密码 password reset', '重置失败 not reset']);
        } }, '重置密码 Reset password'),
        el('p', {},
            el('button', { type: 'button', id: 'user-disable-go', onclick: () => change('disable', undefined, ['已停用 disabled', '停用失败 not disabled']) }, '停用 Disable'), ' ',
            el('button', { type: 'button', id: 'user-logout-go', onclick: () => change('logout-all', undefined, ['已全部退出 logged out everywhere', '退出失败 not logged out']) }, '全部退出 Log out everywhere')));
    section.replaceChildren(
        el('h2', {}, '用户管理 Users'),
        el('table', { id: 'users-table' },
            el('thead', {}, el('tr', {}, ['用户 Name', '角色 Role', '城市 Cities', '状态 State', ''].map((h) => el('th', {}, h)))),
            el('tbody')),
        edit,
        el('p', { id: 'admin-result', role: 'status' }),
        addForm);
}

/// Shows the view to an admin (and reads the accounts), empties and hides it for anyone else.
export async function refreshAdmin() {
    const section = document.getElementById('admin-section');
    section.hidden = !isAdmin();
    view.chosen = '';
    if (section.hidden) {
        section.replaceChildren();
        return;
    }
    build(section);
    await listUsers();
}

export function setupAdmin() {
    refreshAdmin();
    onSessionChange(refreshAdmin);
}
