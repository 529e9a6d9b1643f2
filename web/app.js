// exportgate's page: plain JavaScript, no build step. Every text from the
// server is put in the page as text (textContent), never as HTML.
'use strict';

const KEY = 'exportgate.key';
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

function show(target, ...nodes) { const t = $(target); t.replaceChildren(...nodes); return t; }

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  const key = sessionStorage.getItem(KEY);
  if (key) headers['Authorization'] = 'Bearer ' + key;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method: opts.method || 'GET', headers,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined });
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || res.statusText);
    err.status = res.status;
    err.field = data && data.error && data.error.field;
    if (res.status === 401) askKey('That key is not accepted: ' + err.message);
    throw err;
  }
  return data;
}

function errorBox(e) {
  return el('p', { class: 'error', role: 'alert' }, 'Error', e.status ? ' ' + e.status : '', ': ',
    e.message, e.field ? ` (field ${e.field})` : '');
}

function table(headers, rows, opts = {}) {
  return el('div', { class: 'table-wrap' }, el('table', { class: opts.class },
    opts.caption ? el('caption', { class: 'note' }, opts.caption) : null,
    el('thead', {}, el('tr', {}, headers.map((h) =>
      el('th', { scope: 'col', class: h.cls }, h.label || h)))),
    el('tbody', {}, rows)));
}

// --- the key -----------------------------------------------------------------
function askKey(msg) {
  $('key-error').textContent = msg || '';
  $('key-input').value = '';
  if (!$('key-dialog').open) $('key-dialog').showModal();
  $('key-input').focus();
}

async function whoami() {
  try {
    const w = await api('/v1/whoami');
    $('who').textContent = w.auth ? `${w.name} (${w.roles.join(', ')})` : 'no keys needed (--no-auth)';
    return true;
  } catch (e) {
    $('who').textContent = 'no key';
    return false;
  }
}

// --- tabs --------------------------------------------------------------------
const loaders = {};
function selectTab(btn) {
  for (const b of document.querySelectorAll('[role=tab]')) {
    const on = b === btn;
    b.setAttribute('aria-selected', on ? 'true' : 'false');
    b.tabIndex = on ? 0 : -1;
    $(b.getAttribute('aria-controls')).hidden = !on;
  }
  const id = btn.getAttribute('aria-controls');
  if (loaders[id]) loaders[id]();
}

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  tabs.forEach((b, i) => {
    b.tabIndex = i === 0 ? 0 : -1;
    b.addEventListener('click', () => selectTab(b));
    b.addEventListener('keydown', (ev) => {
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % tabs.length;
      if (ev.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
      if (ev.key === 'Home') j = 0;
      if (ev.key === 'End') j = tabs.length - 1;
      if (j !== null) { ev.preventDefault(); tabs[j].focus(); selectTab(tabs[j]); }
    });
  });
}

// --- screening ---------------------------------------------------------------
function scoreCell(s) {
  const bar = el('span', { class: 'bar' });
  bar.style.width = (s * 3).toFixed(2) + 'rem'; // CSSOM: allowed by the CSP, unlike style=""
  return el('td', { class: 'num' }, el('span', { class: 'score' }, s.toFixed(3)), bar);
}

function explanation(hit) {
  const rows = (hit.explanation || []).map((t) => el('tr', {},
    el('td', { class: 'mono' }, t.query_token), el('td', { class: 'mono' }, t.name_token || '—'),
    el('td', { class: 'num' }, t.similarity.toFixed(3)), el('td', { class: 'num' }, t.weight.toFixed(2))));
  const facts = [];
  const add = (k, v) => { if (v && (!Array.isArray(v) || v.length)) facts.push(el('div', {}, el('strong', {}, k + ': '), Array.isArray(v) ? v.join('; ') : v)); };
  add('Source', `${hit.source} version ${hit.version_id}${hit.published ? ' (published ' + hit.published + ')' : ''}`);
  add('Entry id', hit.uid); add('List', hit.list); add('Listed on', hit.listed_on);
  add('Delisted on', hit.delisted_on); add('Citation', hit.citation);
  add('Licence policy', hit.licence_policy); add('Programs', hit.programs);
  add('Countries', hit.countries); add('All names', hit.names);
  add('Also listed by', (hit.also_in || []).map((a) => `${a.source} as ${a.uid}` +
    (a.list ? ` (${a.list})` : '') + `, score ${Number(a.score).toFixed(3)}`));
  return el('div', { class: 'explain card' },
    el('h2', {}, 'Why “', hit.matched_name, '” matched'),
    table(['Query token', 'Name token', { label: 'Similarity', cls: 'num' }, { label: 'Weight', cls: 'num' }], rows,
      { class: 'tokens' }),
    facts);
}

function renderHits(data) {
  const nodes = [];
  nodes.push(el('p', { class: 'note' }, `${data.hits.length} hit(s) at or above ${data.threshold} for “${data.query}”` +
    (data.as_of ? ` as of ${data.as_of}` : '') + ` — ${data.candidates} names scored.`));
  for (const w of data.warnings || []) nodes.push(el('div', { class: 'warn' }, w));
  const detail = el('div', { id: 'explain-out', 'aria-live': 'polite' });
  const rows = data.hits.map((h, i) => {
    const open = () => {
      for (const r of document.querySelectorAll('#hits tr[aria-expanded]')) r.setAttribute('aria-expanded', 'false');
      tr.setAttribute('aria-expanded', 'true');
      detail.replaceChildren(explanation(h));
    };
    const tr = el('tr', { class: 'clickable', tabindex: 0, 'aria-expanded': 'false', 'data-hit': i,
      onclick: open, onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } } },
      el('td', { class: 'num' }, i + 1),
      el('td', {}, el('strong', {}, h.primary_name), h.matched_name !== h.primary_name ? el('div', { class: 'note' }, 'as ', h.matched_name) : null),
      el('td', {}, h.type), el('td', { class: 'hide-narrow' }, h.source,
        (h.also_in || []).length ? el('div', { class: 'note' }, 'also ', h.also_in.map((a) => a.source).join(', ')) : null),
      el('td', { class: 'hide-narrow' }, (h.country_codes || []).join(' ')),
      el('td', { class: 'hide-narrow' }, h.listed_on || ''),
      scoreCell(h.score));
    return tr;
  });
  if (rows.length) {
    const t = table(['#', 'Listed name', 'Type', { label: 'Source', cls: 'hide-narrow' },
      { label: 'Countries', cls: 'hide-narrow' }, { label: 'Listed', cls: 'hide-narrow' }, { label: 'Score', cls: 'num' }], rows,
      { caption: 'Click a row (or press Enter on it) for the per-token explanation.' });
    t.querySelector('table').id = 'hits';
    nodes.push(t);
  }
  const cons = (data.consulted || []).map((c) => `${c.source} v${c.version_id} (${c.published || c.imported})${c.reconstructed ? ' reconstructed' : ''}`);
  nodes.push(el('p', { class: 'note' }, 'Screened: ', cons.join(', ') || 'none'));
  for (const s of data.skipped || []) nodes.push(el('p', { class: 'note' }, 'Not screened: ', s.source, ': ', s.reason));
  nodes.push(detail);
  return nodes;
}

async function doScreen(ev) {
  ev.preventDefault();
  const p = new URLSearchParams({ name: $('s-name').value, explain: '1', limit: '20' });
  if ($('s-type').value) p.set('type', $('s-type').value);
  if ($('s-country').value) p.set('country', $('s-country').value);
  if ($('s-asof').value) p.set('as_of', $('s-asof').value);
  if ($('s-min').value) p.set('min_score', $('s-min').value);
  show('screen-out', el('p', { class: 'note' }, 'Screening…'));
  try { show('screen-out', ...renderHits(await api('/v1/screen?' + p))); }
  catch (e) { show('screen-out', errorBox(e)); }
}

// --- deals --------------------------------------------------------------------
function evidenceText(ev) {
  if (ev.kind === 'screening')
    return `party “${ev.party_name}” matched ${ev.source} v${ev.list_version} “${ev.primary_name}” as “${ev.matched_name}”, score ${Number(ev.score).toFixed(3)}` +
      (ev.listed_on ? `, listed ${ev.listed_on}` : '') + (ev.licence_policy ? ` — ${ev.licence_policy}` : '');
  if (ev.kind === 'country_list')
    return `${ev.code} on ${ev.list}: ${ev.answer}` + (ev.effective ? ` (version of ${ev.effective})` : ' (no version in force)') + (ev.note ? ` — ${ev.note}` : '');
  const rest = Object.entries(ev).filter(([k]) => k !== 'kind').map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  return `${ev.kind}: ${rest.join(', ')}`;
}

function renderDecision(d) {
  const nodes = [el('div', { class: 'card', id: 'decision' },
    el('h2', {}, 'Decision: ', el('span', { class: 'badge ' + d.decision, id: 'decision-outcome' }, d.decision.replace('_', ' '))),
    d.audit ? el('p', { class: 'note' }, `Recorded in the decision log as record ${d.audit.index}; leaf `, el('code', { class: 'hash' }, d.audit.leaf_hash)) : null)];
  for (const r of d.reasons || []) {
    const c = r.citation;
    nodes.push(el('div', { class: 'reason ' + r.outcome },
      el('div', {}, el('span', { class: 'badge ' + r.outcome }, r.outcome.replace('_', ' ')), ' ',
        el('strong', {}, r.policy ? `${r.policy} ${r.policy_version || ''} / ${r.rule}` : r.rule),
        r.unverified ? el('span', { class: 'note' }, ' [unverified]') : null,
        r.undecided ? el('span', { class: 'note' }, ' [undecided]') : null),
      el('p', {}, r.message),
      c ? el('p', { class: 'note' }, 'Cites ', [c.instrument, c.article, c.date].filter(Boolean).join(', '),
        c.url ? ' — ' : '', c.url ? el('span', { class: 'mono' }, c.url) : null) : null,
      (r.evidence || []).length ? el('ul', {}, r.evidence.map((e) => el('li', {}, evidenceText(e)))) : null));
  }
  const lists = (d.lists || []).map((l) => `${l.source} v${l.version_id} (${l.published || 'date unknown'})${l.reconstructed ? ' reconstructed' : ''}`);
  nodes.push(el('p', { class: 'note' }, 'Lists screened: ', lists.join(', ')));
  return nodes;
}

async function doDecide(ev) {
  ev.preventDefault();
  const cls = $('d-class').value.trim();
  const item = cls ? { classification: cls } : { classification: null, categories: $('d-cat').value.split(',').map((s) => s.trim()).filter(Boolean) };
  const deal = {
    date: $('d-date').value,
    exporter: { name: $('d-exp').value, country: $('d-expc').value.toUpperCase() },
    items: [item], destination: $('d-dest').value.toUpperCase(),
    parties: [{ role: $('d-role').value, name: $('d-party').value, country: $('d-pc').value.toUpperCase(), type: $('d-pt').value }],
  };
  const pol = $('d-pol').value.split(',').map((s) => s.trim()).filter(Boolean);
  if (pol.length) deal.policies = pol;
  show('deal-out', el('p', { class: 'note' }, 'Deciding…'));
  try { show('deal-out', ...renderDecision(await api('/v1/decide', { method: 'POST', body: deal }))); }
  catch (e) { show('deal-out', errorBox(e)); }
}

// --- lists and diffs -------------------------------------------------------------
let sources = [];
function fillVersions() {
  const s = sources.find((x) => x.source === $('f-source').value);
  const opts = (s ? s.versions : []).map((v) => el('option', { value: String(v.id) }, `v${v.id} — ${v.published || v.imported}`));
  $('f-from').replaceChildren(...opts.map((o) => o.cloneNode(true)));
  $('f-to').replaceChildren(...opts);
  if (opts.length > 1) $('f-from').selectedIndex = 1;
}

loaders.lists = async () => {
  try {
    const d = await api('/v1/lists');
    sources = d.sources;
    const rows = [];
    for (const s of d.sources) for (const v of s.versions)
      rows.push(el('tr', {}, el('td', {}, s.source), el('td', { class: 'num' }, v.id), el('td', {}, v.published || '—'),
        el('td', { class: 'hide-narrow' }, v.imported), el('td', { class: 'hide-narrow' }, v.format),
        el('td', { class: 'num' }, v.entities.toLocaleString('en')), el('td', { class: 'num hide-narrow' }, v.names.toLocaleString('en')),
        el('td', { class: 'mono hide-narrow' }, v.sha256.slice(0, 12))));
    show('lists-out', table(['Source', { label: 'Version', cls: 'num' }, 'Published', { label: 'Imported', cls: 'hide-narrow' },
      { label: 'Format', cls: 'hide-narrow' }, { label: 'Entities', cls: 'num' }, { label: 'Names', cls: 'num hide-narrow' },
      { label: 'SHA-256', cls: 'hide-narrow' }], rows));
    const cur = $('f-source').value;
    $('f-source').replaceChildren(...d.sources.filter((s) => s.versions.length > 1).map((s) => el('option', {}, s.source)));
    if (cur) $('f-source').value = cur;
    fillVersions();
  } catch (e) { show('lists-out', errorBox(e)); }
};

async function doDiff(ev) {
  ev.preventDefault();
  const src = $('f-source').value;
  const p = new URLSearchParams({ from: $('f-from').value, to: $('f-to').value, limit: '200' });
  show('diff-out', el('p', { class: 'note' }, 'Comparing…'));
  try {
    const d = await api(`/v1/lists/${encodeURIComponent(src)}/diff?` + p);
    const rows = d.entries.map((e) => el('tr', {},
      el('td', {}, el('span', { class: 'diff-' + (e.kind === 'changed' ? 'x' : e.kind) }, e.kind)),
      el('td', {}, e.name), el('td', { class: 'mono hide-narrow' }, e.uid),
      el('td', {}, e.fields.map((f) => el('div', {}, el('strong', {}, f.field, ': '),
        f.removed.length ? el('span', { class: 'diff-removed' }, '− ', f.removed.join('; '), ' ') : null,
        f.added.length ? el('span', { class: 'diff-added' }, '+ ', f.added.join('; ')) : null)))));
    show('diff-out', el('div', { class: 'card', id: 'diff-summary' },
      el('h2', {}, `${d.source}: v${d.from.id} (${d.from.published || d.from.imported}) → v${d.to.id} (${d.to.published || d.to.imported})`),
      el('p', {}, `${d.added} added, ${d.removed} removed, ${d.changed} changed, ${d.unchanged} unchanged`),
      d.not_compared ? el('div', { class: 'warn' }, 'Not compared (one publication does not carry them): ', d.not_compared) : null,
      d.truncated ? el('p', { class: 'note' }, `Showing the first ${d.entries.length} of ${d.count} entries.`) : null),
    table(['Change', 'Name', { label: 'Id', cls: 'hide-narrow' }, 'Fields'], rows));
  } catch (e) { show('diff-out', errorBox(e)); }
}

// --- country lists -----------------------------------------------------------------
loaders.countries = async () => {
  if ($('c-list').options.length) return;
  try {
    const d = await api('/v1/countries');
    $('c-list').replaceChildren(...d.country_lists.map((c) => el('option', { value: c.name }, `${c.name} — ${c.title || ''}`)));
  } catch (e) { show('c-out', errorBox(e)); }
};

async function doCountries(ev) {
  ev.preventDefault();
  const p = new URLSearchParams();
  if ($('c-asof').value) p.set('as_of', $('c-asof').value);
  try {
    const d = await api(`/v1/countries/${encodeURIComponent($('c-list').value)}?` + p);
    show('c-out', el('div', { class: 'card' },
      el('h2', {}, d.title || d.list),
      el('p', {}, `On ${d.as_of || 'today'}: the version effective ${d.effective}. `,
        el('span', { class: 'badge yes' }, `${d.members.length} in`), ' ',
        el('span', { class: 'badge unknown' }, `${d.unknown.length} unknown`), ' ',
        el('span', { class: 'badge no' }, `${d.non_members} out`)),
      el('h2', {}, 'In the list'), el('div', { class: 'chips' }, d.members.map((c) => el('span', { class: 'chip yes' }, c))),
      d.unknown.length ? [el('h2', {}, 'Unknown (the source does not say)'),
        el('div', { class: 'chips' }, d.unknown.map((c) => el('span', { class: 'chip unknown' }, c)))] : null,
      el('p', { class: 'note' }, 'Every other ISO 3166-1 country is out of the list on that date.')));
  } catch (e) { show('c-out', errorBox(e)); }
}

// --- the decision log ----------------------------------------------------------------
async function showProof(i) {
  try {
    const d = await api('/v1/audit/' + i);
    const r = d.record, p = d.proof;
    show('proof-out', el('div', { class: 'card', id: 'proof' },
      el('h2', {}, `Record ${r.index}`),
      el('p', {}, 'Leaf hash ', el('code', { class: 'hash' }, r.leaf_hash)),
      el('p', {}, `Included in the tree of ${p.tree_size} records with root `, el('code', { class: 'hash' }, p.root)),
      el('p', {}, `Inclusion proof (${p.inclusion_proof.length} hashes):`),
      el('ol', {}, p.inclusion_proof.map((h) => el('li', {}, el('code', { class: 'hash' }, h)))),
      el('details', {}, el('summary', {}, 'The record as logged'), el('pre', { class: 'mono' }, JSON.stringify(r.payload, null, 2)))));
    $('proof').scrollIntoView({ block: 'nearest' });
  } catch (e) { show('proof-out', errorBox(e)); }
}

loaders.log = async () => {
  try {
    const d = await api('/v1/audit?limit=50');
    const rows = d.records.map((r) => {
      const p = r.payload || {}, dec = p.decision || {};
      const outcome = dec.decision || p.outcome || '';
      const deal = p.deal || {};
      return el('tr', {}, el('td', { class: 'num' }, r.index),
        el('td', { class: 'hide-narrow' }, new Date(r.time_ms).toISOString().replace('.000', '')),
        el('td', {}, outcome ? el('span', { class: 'badge ' + outcome }, outcome.replace('_', ' ')) : '—'),
        el('td', {}, (deal.parties || []).map((x) => x.name).join(', ')),
        el('td', { class: 'hide-narrow' }, p.asked_by || ''),
        el('td', {}, el('button', { onclick: () => showProof(r.index), 'data-proof': r.index }, 'Proof')));
    });
    show('log-out', el('p', { class: 'note' }, `${d.size} record(s); the newest first.`),
      table([{ label: '#', cls: 'num' }, { label: 'Time (UTC)', cls: 'hide-narrow' }, 'Decision', 'Parties',
        { label: 'Asked by', cls: 'hide-narrow' }, ''], rows));
  } catch (e) { show('log-out', errorBox(e)); }
};

async function doVerify() {
  show('verify-out', el('p', { class: 'note' }, 'Verifying every record…'));
  try {
    const v = await api('/v1/audit/verify');
    show('verify-out', el('p', { id: 'verify-status', class: v.ok ? 'ok' : 'bad' },
      v.ok ? `Verified: ${v.checked} of ${v.records} records, the tree and the latest signed checkpoint are intact.`
        : `NOT VERIFIED: ${v.problem || 'a problem'}` + (v.first_bad !== undefined ? ` (first bad record ${v.first_bad})` : '')));
  } catch (e) { show('verify-out', errorBox(e)); }
}

// --- start -------------------------------------------------------------------------
document.addEventListener('DOMContentLoaded', async () => {
  setupTabs();
  $('screen-form').addEventListener('submit', doScreen);
  $('deal-form').addEventListener('submit', doDecide);
  $('diff-form').addEventListener('submit', doDiff);
  $('f-source').addEventListener('change', fillVersions);
  $('c-form').addEventListener('submit', doCountries);
  $('log-refresh').addEventListener('click', loaders.log);
  $('log-verify').addEventListener('click', doVerify);
  $('key-change').addEventListener('click', () => askKey(''));
  $('key-cancel').addEventListener('click', () => $('key-dialog').close());
  $('key-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $('key-input').value.trim());
    if (await whoami()) $('key-dialog').close();
    else $('key-error').textContent = 'That key is not accepted.';
  });
  if (!(await whoami())) askKey('');
});
