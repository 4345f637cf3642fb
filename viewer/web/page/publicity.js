// 公示 and 意见征询 (issue 36): the approved projects under publicity, shown to everyone (GET
// /api/publicity; a click draws the project's sites and zooms to them) with a comment form each
// (POST /api/comments), and the comments for 规划 planners, 审批 approvers and 管理 admins (GET
// /api/comments). Site names, file names and comments are typed by users: every text from the
// server reaches the DOM through el() (textContent), never as HTML.
import { el, fetchOk, setStatus, state } from './app.js';
import { may, session } from './session.js';

const NO_FEATURES = { type: 'FeatureCollection', features: [] };
const MAX_CHARACTERS = 1000;
const VERDICTS = { pass: '通过 pass', warn: '提示 warn', fail: '不通过 fail' };

function ensureLayers() {
    const map = state.map;
    if (map.getSource('publicity')) return;
    map.addSource('publicity', { type: 'geojson', data: NO_FEATURES });
    map.addLayer({ id: 'publicity:fill', type: 'fill', source: 'publicity', paint: { 'fill-color': '#7b3294', 'fill-opacity': 0.2 } });
    map.addLayer({ id: 'publicity:outline', type: 'line', source: 'publicity', paint: { 'line-color': '#7b3294', 'line-width': 2.5 } });
}

/// Draws the project's sites and fits the map to them.
function showProject(p) {
    ensureLayers();
    state.map.getSource('publicity').setData(p.geometry);
    const xs = [];
    const ys = [];
    const walk = (c) => { if (typeof c[0] === 'number') { xs.push(c[0]); ys.push(c[1]); } else c.forEach(walk); };
    for (const f of p.geometry.features) walk(f.geometry.coordinates);
    if (xs.length) {
        state.map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]],
            { padding: 80, maxZoom: 15, duration: 0 });
    }
}

/// Characters as the server counts them (code points).
const characters = (text) => [...text].length;

async function sendComment(p, form) {
    const box = form.querySelector('textarea');
    const note = form.querySelector('.comment-note');
    const text = box.value;
    note.classList.remove('error');
    if (!text.trim() || characters(text) > MAX_CHARACTERS) {
        note.textContent = `请写 1–${MAX_CHARACTERS} 字 write 1 to ${MAX_CHARACTERS} characters`;
        note.classList.add('error');
        return;
    }
    form.dataset.state = 'sending';
    try {
        await fetchOk('/api/comments', { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ submission: p.id, text }) });
        box.value = '';
        note.textContent = '意见已收到 comment received';
        form.dataset.state = 'sent';
        refreshComments();
    } catch (e) {
        note.textContent = `未能提交 not sent: ${e.message}`;
        note.classList.add('error');
        form.dataset.state = 'error';
    }
}

function projectItem(p) {
    const form = el('form', { class: 'comment-form', onsubmit: (e) => { e.preventDefault(); sendComment(p, form); } },
        el('textarea', { maxlength: MAX_CHARACTERS * 2, rows: 2, 'aria-label': '意见 comment', placeholder: '意见征询 your comment' }),
        el('button', { type: 'submit' }, '提交意见 Comment'),
        el('span', { class: 'comment-note hint', role: 'status' }));
    const sites = el('ul', { class: 'publicity-sites' },
        p.sites.map((s) => el('li', {}, el('span', { class: 'site-name' }, s.name || s.id), ' ',
            el('span', { class: `verdict ${s.verdict}` }, VERDICTS[s.verdict] || s.verdict))));
    return el('li', { class: 'publicity-project', dataset: { id: p.id } },
        el('button', { type: 'button', class: 'publicity-zoom', onclick: () => showProject(p) },
            el('b', {}, `#${p.id} `), el('span', { class: 'file-name' }, p.file_name)),
        el('div', { class: 'hint' }, `${p.cities.join('、')} · 批准 ${p.decided} · 公示至 until ${p.publicity_ends}`),
        el('div', { class: 'hint' }, p.summary), sites, form);
}

export async function refreshPublicity() {
    const section = document.getElementById('publicity-section');
    section.hidden = !session.accounts;  // no projects without accounts
    if (section.hidden) return;
    const list = document.getElementById('publicity-projects');
    list.dataset.state = 'loading';
    try {
        const { projects } = await (await fetchOk('/api/publicity')).json();
        list.replaceChildren(...(projects.length ? projects.map(projectItem)
            : [el('li', { class: 'hint' }, '暂无公示项目 no project under publicity')]));
        list.dataset.state = 'done';
    } catch (e) {
        list.replaceChildren(el('li', { class: 'error' }, `公示读取失败 publicity failed: ${e.message}`));
        list.dataset.state = 'error';
    }
    await refreshComments();
}

export async function refreshComments() {
    const section = document.getElementById('comments-section');
    section.hidden = !session.accounts || !session.signedIn || !may('comments');
    const list = document.getElementById('comments-list');
    if (section.hidden) { list.replaceChildren(); return; }
    list.dataset.state = 'loading';
    try {
        const { comments } = await (await fetchOk('/api/comments')).json();
        list.replaceChildren(...(comments.length ? comments.map((c) => el('li', { class: 'comment', dataset: { id: c.id } },
            el('span', { class: 'hint' }, `#${c.submission} · ${c.created} · `),
            el('b', { class: 'comment-author' }, c.author || '公众 public'), el('br'),
            el('span', { class: 'comment-text' }, c.text)))
            : [el('li', { class: 'hint' }, '暂无意见 no comment')]));
        list.dataset.state = 'done';
    } catch (e) {
        list.replaceChildren(el('li', { class: 'error' }, `意见读取失败 comments failed: ${e.message}`));
        list.dataset.state = 'error';
        setStatus(`意见读取失败 comments failed: ${e.message}`, true);
    }
}
