/* Ask the clinic to arrange a visit (POST /appointment-requests): offered under the times beside the
 * waitlist, and the way forward when nothing fits in the whole horizon. For the visit type and place
 * chosen in step 1, the patient may name days and times of day that suit them, and gives the details
 * the clinic calls or emails; staff turn the request into a booking. Retried with its Idempotency-Key.
 */

import { newKey, postRequest } from './book-api.js';
import { currentLocation, currentService, isTelehealth, state } from './book-state.js';
import { t } from './book-format.js';
import { $, el, focusOn, setBusy, show } from './book-dom.js';
import { clearError, say, setError, trouble } from './book-messages.js';
import { DAYS } from './book-waitlist.js';

const TIMES = ['morning', 'afternoon', 'evening'];

// Request fields → [input id, error id, message key], as book-step-details.js's FIELDS.
export const RQ_FIELDS = {
  rqName: ['rq-name', 'err-rq-name', 'invalidName'], rqEmail: ['rq-email', 'err-rq-email', 'invalidEmail'],
  rqPhone: ['rq-phone', 'err-rq-phone', 'invalidPhone'],
};
const SERVER_NAMES = { name: 'rqName', email: 'rqEmail', phone: 'rqPhone' };

const box = (name, value, key) => el('div', { class: 'check' },
  el('input', { type: 'checkbox', id: `rq-${name}-${value}`, value }),
  el('label', { for: `rq-${name}-${value}`, 'data-i18n': key }, t(key)));

export function bindRequest() {
  $('rq-days').replaceChildren(...DAYS.map((day) => box('day', day, `day_${day}`)));
  $('rq-times').replaceChildren(...TIMES.map((time) => box('time', time, `time_${time}`)));
  $('request-open').addEventListener('click', openRequest);
  $('rq-back').addEventListener('click', () => { show('request-section', false); focusOn('slots-heading'); });
  $('request-form').addEventListener('submit', sendRequest);
  for (const [name, [input]] of Object.entries(RQ_FIELDS)) $(input).addEventListener('input', () => clearRq(name));
}

function clearRq(name) { if (state.errors[name]) clearError(RQ_FIELDS, name); }

export function openRequest() {
  if (!currentLocation()) return;
  for (const [field, from] of [['rq-name', 'patient-name'], ['rq-email', 'patient-email'], ['rq-phone', 'patient-phone']]) {
    if (!$(field).value) $(field).value = $(from).value;  // typed once is enough
  }
  show('waitlist-section', false);
  show('request-form', true);
  show('rq-done', false);
  show('request-section', true);
  focusOn('request-heading');
}

function readRequest() {
  const loc = currentLocation();
  const virtual = isTelehealth(loc);
  const where = virtual ? $('visit-state').value : (loc.address && loc.address.state) || '';
  const phone = $('rq-phone').value.trim().replace(/[\s().-]/g, '');
  const e164 = /^\d{10}$/.test(phone) ? `+1${phone}` : /^1\d{10}$/.test(phone) ? `+${phone}` : phone;
  $('rq-phone').value = e164;
  const checked = (name, values) => values.filter((v) => $(`rq-${name}-${v}`).checked);
  return { patient: { name: $('rq-name').value.trim(), email: $('rq-email').value.trim(), phone: e164, language: state.lang, state: where },
    service_id: (currentService() || {}).id, modality: virtual ? 'telehealth' : 'in_person', location_ids: [loc.id],
    preferred_days: checked('day', DAYS), preferred_times: checked('time', TIMES), notes: $('rq-notes').value.trim() || null };
}

function checkRequest(body) {
  const bad = [];
  if (!body.patient.name) bad.push('rqName');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.patient.email)) bad.push('rqEmail');
  if (!/^\+[1-9]\d{7,14}$/.test(body.patient.phone)) bad.push('rqPhone');
  return bad;
}

function showRqErrors(names, server) {
  for (const name of names) setError(RQ_FIELDS, name, server ? server[name] : null);
  say('fixErrors', { error: true });
  $(RQ_FIELDS[names[0]][0]).focus();
}

async function sendRequest(event) {
  event.preventDefault();
  if (state.requesting) return;
  for (const name of Object.keys(RQ_FIELDS)) clearRq(name);
  const body = readRequest();
  const bad = checkRequest(body);
  if (bad.length) { showRqErrors(bad, null); return; }
  const fingerprint = JSON.stringify(body);
  if (state.rqAttempt.fingerprint !== fingerprint) state.rqAttempt = { fingerprint, key: newKey() };
  state.requesting = true;
  setBusy($('rq-submit'), true);
  say('rqSending');
  const response = await postRequest(body, state.rqAttempt.key);
  state.requesting = false;
  setBusy($('rq-submit'), false);
  if (response.status === 201 || response.status === 200) { state.rqAttempt = {}; sent(body.patient.email); return; }
  if (response.status === 422) {
    const patient = ((response.data || {}).errors || {}).patient;
    const server = {};
    for (const [field, name] of Object.entries(SERVER_NAMES)) if (patient && patient[field]) server[name] = patient[field];
    if (Object.keys(server).length) { showRqErrors(Object.keys(server), server); return; }
    say('rqRefused', { error: true });
    return;
  }
  say(trouble(response), { error: true, response });
}

function sent(email) {
  state.requested = { email };
  show('request-form', false);
  show('rq-done', true);
  renderRequest();
  say(null);
  focusOn('rq-done-heading');
}

export function renderRequest() {
  if (state.requested) $('rq-done-lead').textContent = t('rqDoneLead', { email: state.requested.email });
}
