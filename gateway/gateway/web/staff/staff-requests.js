// The appointment-request queue: patients' "please call me" forms, oldest first, with what each asked for
// (visit type, how, where, days and times, language, state, notes); contact details only in a request's
// details (#requests=<id>). Filters by clinic and status. Kept fresh like the schedule: a poll every 20 s
// with the last answer's ETag, redrawn only when the list changed.
import { changedList } from './staff-api.js';
import { $, el, say, screenSection, show } from './staff-dom.js';
import { addStrings, t } from './staff-strings.js';
import { TEXTS } from './staff-requests-strings.js';
import { clinics, loadCatalog, locationName, preferred, receivedAt, serviceName } from './staff-requests-catalog.js';
import { showRequest } from './staff-requests-detail.js';

addStrings(TEXTS);
const POLL_MS = 20000;
const state = { location: '', status: 'open', requests: [] };
let pollTimer = 0;

const path = () => {
  const query = new URLSearchParams({ limit: '200' });
  if (state.status) query.set('status', state.status);
  if (state.location) query.set('location_id', state.location);
  return `/staff/api/appointment-requests?${query}`;
};

export async function open(param) {
  clearInterval(pollTimer);
  await loadCatalog();
  if (param) {
    await showRequest(param);
    return;
  }
  const section = screenSection('requests', 'rqTitle', t);
  if (!$('rq-filters')) $('requests-body').append(filters(), el('p', { class: 'hint', id: 'rq-note' }), el('div', { id: 'rq-list' }));
  fillFilters();
  show(section.id);
  $('requests-title').focus();
  await refresh();
  pollTimer = setInterval(() => { if (!document.hidden && !section.hidden) refresh({ background: true }); }, POLL_MS);
}

export function close() { clearInterval(pollTimer); }

function filters() {
  const form = el('form', { id: 'rq-filters', class: 'filters', method: 'post', onsubmit: (e) => e.preventDefault() },
    el('div', { class: 'field' }, el('label', { for: 'rq-location', 'data-i18n': 'clinic', text: t('clinic') }),
      el('select', { id: 'rq-location', onchange: (e) => { state.location = e.target.value; refresh(); } })),
    el('div', { class: 'field' }, el('label', { for: 'rq-status', 'data-i18n': 'status', text: t('status') }),
      el('select', { id: 'rq-status', onchange: (e) => { state.status = e.target.value; refresh(); } })));
  return form;
}

function fillFilters() {
  $('rq-location').replaceChildren(el('option', { value: '', text: t('rqAllClinics') }),
    ...clinics().map((l) => el('option', { value: l.id, text: locationName(l.id) })));
  $('rq-location').value = state.location;
  $('rq-status').replaceChildren(...['open', 'booked', 'closed'].map((s) => el('option', { value: s, text: t(`rqStatus_${s}`) })));
  $('rq-status').value = state.status;
}

async function refresh({ background = false } = {}) {
  const data = await changedList(path(), { background, drawn: $('rq-list').childElementCount > 0, say });
  if (!data) return;
  state.requests = data.appointment_requests;
  render();
}

function render() {
  const focused = document.activeElement?.dataset?.key;
  const count = state.requests.length;
  $('rq-note').textContent = `${count === 1 ? t('rqOne') : t('rqCount', { count })}. ${t('rqOldestFirst')}`;
  if (!count) {
    $('rq-list').replaceChildren(el('p', { class: 'hint', text: t('rqNone') }));
    return;
  }
  const head = el('tr', {}, ...['rqReceived', 'patient', 'visitType', 'how', 'rqWhere', 'rqPreferred', 'patientLanguage',
    'rqState', 'notes', 'status', 'actions'].map((key) => el('th', { scope: 'col', text: t(key) })));
  $('rq-list').replaceChildren(el('div', { class: 'scroll' }, el('table', { 'aria-labelledby': 'requests-title' },
    el('thead', {}, head), el('tbody', {}, ...state.requests.map(row)))));
  if (focused) document.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

function row(r) {
  const name = r.patient?.name || '—';
  return el('tr', { 'data-request': r.id },
    el('td', { text: receivedAt(r) }), el('td', { text: name }), el('td', { text: serviceName(r.service_id) }),
    el('td', { text: t(r.modality) }), el('td', { text: r.location_ids.map(locationName).join(', ') }),
    el('td', { text: preferred(r) }),
    el('td', { text: r.patient?.language ? t(`language_${r.patient.language}`) : '—' }),
    el('td', { text: r.patient?.state || '—' }), el('td', { class: 'notes', text: r.notes || '' }),
    el('td', {}, el('span', { class: `badge rq-${r.status}`, text: t(`rqStatus_${r.status}`) })),
    el('td', {}, el('a', { href: `#requests=${encodeURIComponent(r.id)}`, 'data-key': `request:${r.id}`,
      'aria-label': t('rqOpenFor', { name }), text: t('details') })));
}

// A language switch redraws what this screen wrote from data (staff.js translates the data-i18n texts).
document.querySelectorAll('.lang').forEach((button) => button.addEventListener('click', () => {
  if ($('requests') && !$('requests').hidden) { fillFilters(); render(); }
}));
