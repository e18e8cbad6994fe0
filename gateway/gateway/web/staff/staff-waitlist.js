// The waitlist: who waits for what, longest-waiting first, each entry's live offer and past offers; staff
// remove an entry after a confirmation (DELETE /waitlist/{id}: a live offer goes to the next match).
// Filters by clinic and status. Kept fresh like the schedule: a poll every 20 s with the last answer's ETag.
import { call, changedList, explain } from './staff-api.js';
import { $, el, say, screenSection, show } from './staff-dom.js';
import { addStrings, t } from './staff-strings.js';
import { TEXTS as DAY_TEXTS } from './staff-requests-strings.js';
import { TEXTS } from './staff-waitlist-strings.js';
import { clinics, loadCatalog, locationName } from './staff-requests-catalog.js';
import { entryRow } from './staff-waitlist-rows.js';

addStrings(DAY_TEXTS);
addStrings(TEXTS);
const POLL_MS = 20000;
const STATUSES = ['waiting', 'offered', 'booked', 'expired', 'withdrawn'];
const state = { location: '', status: 'live', entries: [] };
let pollTimer = 0;
let removing = null;

const path = () => {
  const query = new URLSearchParams({ limit: '500' });
  if (state.location) query.set('location_id', state.location);
  if (STATUSES.includes(state.status)) query.set('status', state.status);
  return `/staff/api/waitlist?${query}`;
};
const shown = () => state.entries.filter((e) => state.status !== 'live' || e.status === 'waiting' || e.status === 'offered');

export async function open() {
  clearInterval(pollTimer);
  await loadCatalog();
  const section = screenSection('waitlist', 'wlTitle', t);
  if (!$('wl-filters')) {
    $('waitlist-body').append(filters(), el('p', { class: 'hint', id: 'wl-note' }), el('div', { id: 'wl-list' }), dialog());
  }
  fillFilters();
  show(section.id);
  $('waitlist-title').focus();
  await refresh();
  pollTimer = setInterval(() => { if (!document.hidden && !section.hidden) refresh({ background: true }); }, POLL_MS);
}

export function close() { clearInterval(pollTimer); }

function filters() {
  return el('form', { id: 'wl-filters', class: 'filters', method: 'post', onsubmit: (e) => e.preventDefault() },
    el('div', { class: 'field' }, el('label', { for: 'wl-location', 'data-i18n': 'clinic', text: t('clinic') }),
      el('select', { id: 'wl-location', onchange: (e) => { state.location = e.target.value; refresh(); } })),
    el('div', { class: 'field' }, el('label', { for: 'wl-status', 'data-i18n': 'status', text: t('status') }),
      el('select', { id: 'wl-status', onchange: (e) => { state.status = e.target.value; refresh(); } })));
}

function fillFilters() {
  $('wl-location').replaceChildren(el('option', { value: '', text: t('rqAllClinics') }),
    ...clinics().map((l) => el('option', { value: l.id, text: locationName(l.id) })));
  $('wl-location').value = state.location;
  $('wl-status').replaceChildren(el('option', { value: 'live', text: t('wlLive') }), el('option', { value: '', text: t('wlAll') }),
    ...STATUSES.map((s) => el('option', { value: s, text: t(`wlStatus_${s}`) })));
  $('wl-status').value = state.status;
}

async function refresh({ background = false } = {}) {
  const data = await changedList(path(), { background, drawn: $('wl-list').childElementCount > 0, say });
  if (!data) return;
  state.entries = data.entries;
  render();
}

function render() {
  const focused = document.activeElement?.dataset?.key;
  const entries = shown();
  const count = entries.length === 1 ? t('wlOne') : t('wlCount', { count: entries.length });
  $('wl-note').textContent = `${count}. ${t('wlLongestFirst')}`;
  if (!entries.length) {
    $('wl-list').replaceChildren(el('p', { class: 'hint', text: t('wlNone') }));
    return;
  }
  const head = el('tr', {}, ...['wlJoined', 'patient', 'wlWaitsFor', 'wlWhen', 'status', 'wlOffer', 'wlPast', 'actions']
    .map((key) => el('th', { scope: 'col', text: t(key) })));
  $('wl-list').replaceChildren(el('div', { class: 'scroll' }, el('table', { 'aria-labelledby': 'waitlist-title' },
    el('thead', {}, head), el('tbody', {}, ...entries.map((entry) => entryRow(entry, confirmRemove))))));
  if (focused) document.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

function dialog() {
  return el('dialog', { id: 'wl-dialog', 'aria-labelledby': 'wl-dialog-title', 'aria-describedby': 'wl-dialog-text' },
    el('h2', { id: 'wl-dialog-title' }), el('p', { id: 'wl-dialog-text' }),
    el('div', { class: 'actions' }, el('button', { type: 'button', id: 'wl-dialog-yes', onclick: remove }),
      el('button', { type: 'button', class: 'plain', id: 'wl-dialog-no', onclick: () => $('wl-dialog').close() })));
}

function confirmRemove(entry) {
  removing = entry;
  const name = entry.patient?.name || '';
  $('wl-dialog-title').textContent = t('wlConfirmTitle', { name });
  $('wl-dialog-text').textContent = t('wlConfirmText');
  $('wl-dialog-yes').textContent = t('wlRemove');
  $('wl-dialog-no').textContent = t('wlKeep');
  $('wl-dialog').showModal();
  $('wl-dialog-no').focus(); // the safe choice first
}

async function remove() {
  const entry = removing;
  $('wl-dialog').close();
  try {
    await call('DELETE', `/staff/api/waitlist/${encodeURIComponent(entry.id)}`);
    say(t('wlRemoved', { name: entry.patient?.name || '' }));
  } catch (error) {
    if (error.status === 401) return;
    say(error.status === 409 ? t('wlGone') : explain(error), { error: true });
  }
  await refresh();
  $('waitlist-title').focus();
}

document.querySelectorAll('.lang').forEach((button) => button.addEventListener('click', () => {
  if ($('waitlist') && !$('waitlist').hidden) { fillFilters(); render(); }
}));
