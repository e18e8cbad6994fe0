/* Join the waitlist when no time fits: offered under the times (none in the next 14 days, or the patient
 * says none suits), for the visit type and place chosen in step 1. The patient picks days of the week, a
 * time window and a last date, and gives the details the offer is sent to; POST /waitlist answers with
 * the entry's manage link (#waitlist=<id>.<token>, kept in the fragment like a booking's), shown once.
 */

import { newKey, postWaitlist } from './book-api.js';
import { currentLocation, currentService, isTelehealth, state } from './book-state.js';
import { addDays, dayKey, t } from './book-format.js';
import { $, el, focusOn, setBusy, show } from './book-dom.js';
import { clearError, say, setError, trouble } from './book-messages.js';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DEFAULT_WEEKS = 4;

// Waitlist fields → [input id, error id, message key], as book-step-details.js's FIELDS.
export const WL_FIELDS = {
  days: [null, 'err-wl-days', 'wlChooseDays'], window: ['wl-to', 'err-wl-window', 'wlBadWindow'],
  until: ['wl-until', 'err-wl-until', 'wlBadUntil'], name: ['wl-name', 'err-wl-name', 'invalidName'],
  email: ['wl-email', 'err-wl-email', 'invalidEmail'], phone: ['wl-phone', 'err-wl-phone', 'invalidPhone'],
};

export function bindWaitlist() {
  $('wl-days').replaceChildren(...DAYS.map((day) => el('div', { class: 'check' },
    el('input', { type: 'checkbox', id: `wl-day-${day}`, value: day, checked: !['sat', 'sun'].includes(day),
      onchange: () => clearWl('days') }),
    el('label', { for: `wl-day-${day}`, 'data-i18n': `day_${day}` }, t(`day_${day}`)))));
  $('waitlist-open').addEventListener('click', openWaitlist);
  $('wl-back').addEventListener('click', () => { show('waitlist-section', false); focusOn('slots-heading'); });
  $('waitlist-form').addEventListener('submit', joinWaitlist);
  for (const [name, [input]] of Object.entries(WL_FIELDS)) if (input) $(input).addEventListener('input', () => clearWl(name));
  $('wl-from').addEventListener('input', () => clearWl('window'));
}

function clearWl(name) { if (state.errors[name]) clearError(WL_FIELDS, name); }

export function openWaitlist() {
  const loc = currentLocation();
  if (!loc) return;
  const today = dayKey(new Date(), loc.timezone);
  const until = $('wl-until');
  until.min = addDays(today, 1);
  if (!until.value) until.value = addDays(today, DEFAULT_WEEKS * 7);
  for (const [field, from] of [['wl-name', 'patient-name'], ['wl-email', 'patient-email'], ['wl-phone', 'patient-phone']]) {
    if (!$(field).value) $(field).value = $(from).value;  // typed once is enough
  }
  show('request-section', false);
  show('waitlist-form', true);
  show('wl-done', false);
  show('waitlist-section', true);
  focusOn('waitlist-heading');
}

function readWaitlist() {
  const loc = currentLocation();
  const virtual = isTelehealth(loc);
  const where = virtual ? $('visit-state').value : (loc.address && loc.address.state) || '';
  const phone = $('wl-phone').value.trim().replace(/[\s().-]/g, '');
  const e164 = /^\d{10}$/.test(phone) ? `+1${phone}` : /^1\d{10}$/.test(phone) ? `+${phone}` : phone;
  $('wl-phone').value = e164;
  const patient = { name: $('wl-name').value.trim(), email: $('wl-email').value.trim(), phone: e164, language: state.lang, state: where };
  const body = { patient, service_id: (currentService() || {}).id, modality: virtual ? 'telehealth' : 'in_person',
    location_ids: [loc.id],
    windows: [{ days: DAYS.filter((d) => $(`wl-day-${d}`).checked), from: $('wl-from').value, to: $('wl-to').value }],
    until: $('wl-until').value };
  if (where) body.patient_state = where;  // licensure, for telehealth above all
  if ($('clinician-language').value) body.language = $('clinician-language').value;  // a clinician who speaks it
  return body;
}

function checkWaitlist(body) {
  const bad = [];
  const window = body.windows[0];
  if (!window.days.length) bad.push('days');
  if (!window.from || !window.to || window.from >= window.to) bad.push('window');
  if (!body.until || body.until < $('wl-until').min) bad.push('until');
  if (!body.patient.name) bad.push('name');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.patient.email)) bad.push('email');
  if (!/^\+[1-9]\d{7,14}$/.test(body.patient.phone)) bad.push('phone');
  return bad;
}

function showWlErrors(names, server) {
  for (const name of names) setError(WL_FIELDS, name, server ? server[name] : null);
  say('fixErrors', { error: true });
  const [input, errorId] = WL_FIELDS[names[0]];
  (input ? $(input) : $(errorId).closest('fieldset').querySelector('input')).focus();
}

async function joinWaitlist(event) {
  event.preventDefault();
  if (state.joining) return;
  for (const name of Object.keys(WL_FIELDS)) clearWl(name);
  const body = readWaitlist();
  const bad = checkWaitlist(body);
  if (bad.length) { showWlErrors(bad, null); return; }
  const fingerprint = JSON.stringify(body);
  if (state.wlAttempt.fingerprint !== fingerprint) state.wlAttempt = { fingerprint, key: newKey() };
  state.joining = true;
  setBusy($('wl-submit'), true);
  say('wlJoining');
  const response = await postWaitlist(body, state.wlAttempt.key);
  state.joining = false;
  setBusy($('wl-submit'), false);
  if (response.status === 201 || response.status === 200) { state.wlAttempt = {}; joined(response.data, body.patient.email); return; }
  if (response.status === 422) { invalid(response.data || {}); return; }
  say(trouble(response), { error: true, response });
}

function invalid(data) {
  const errors = data.errors || {};
  const patient = errors.patient && !Array.isArray(errors.patient) ? errors.patient : {};
  const server = { ...patient, ...(errors.windows ? { window: [].concat(...Object.values(errors.windows).map(flat)) } : {}),
    ...(errors.until ? { until: errors.until } : {}) };
  const names = Object.keys(WL_FIELDS).filter((name) => server[name]);
  if (names.length) { showWlErrors(names, server); return; }
  say('waitlistRefused', { error: true, response: { requestId: null } });
}

const flat = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : typeof v === 'object' && v ? [].concat(...Object.values(v).map(flat)) : []);

function joined(entry, email) {
  state.waitlisted = { email };
  const href = `/book#waitlist=${entry.id}.${entry.manage_token}`;
  $('wl-link').value = window.location.origin + href;
  $('wl-open').setAttribute('href', href);
  show('waitlist-form', false);
  show('wl-done', true);
  renderWaitlist();
  say(null);
  focusOn('wl-done-heading');
}

export function renderWaitlist() {
  if (state.waitlisted) $('wl-done-lead').textContent = t('wlDoneLead', { email: state.waitlisted.email });
}
