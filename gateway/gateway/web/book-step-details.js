/* Step 3: the patient's details, checked here first and by the server after, and the booking itself.
 *
 * A retry of the very same booking reuses its Idempotency-Key, so a lost response can never book twice.
 * If the slot was taken or has gone, the patient is sent back to the list with the details kept.
 * A time held for the patient (book-hold.js) is booked as held: hold_id in the body, X-Hold-Token.
 */

import { call, newKey, postBooking, postSeries, postVisit, ROUTES } from './book-api.js';
import { state } from './book-state.js';
import { $, focusOn, setBusy, show } from './book-dom.js';
import { clearError, formMessage, say, setError, trouble } from './book-messages.js';
import { chosenZone, findTimes } from './book-step-visit.js';
import { noteOnTimes } from './book-step-time.js';
import { showConfirmation } from './book-confirmation.js';
import { loadPreview, previewReady, seriesActive, seriesBody } from './book-series.js';
import { visitParts } from './book-combined.js';
import { currentLocation, isTelehealth } from './book-state.js';
import { forgetChoice, holdUsed, liveHold } from './book-hold.js';

// Booking-form fields: the key in the API's patient (or body) → [input id, error id, message key].
export const FIELDS = {
  name: ['patient-name', 'err-name', 'invalidName'], email: ['patient-email', 'err-email', 'invalidEmail'],
  phone: ['patient-phone', 'err-phone', 'invalidPhone'], language: ['patient-language', 'err-language', 'invalidLanguage'],
  state: ['patient-state', 'err-state', 'invalidState'], notes: ['patient-notes', 'err-notes', 'invalidNotes'],
};

function normalizePhone(raw) {
  const compact = raw.trim().replace(/[\s().-]/g, '');
  if (/^\d{10}$/.test(compact)) return '+1' + compact;  // a US number typed the usual way
  if (/^1\d{10}$/.test(compact)) return '+' + compact;
  return compact;
}

// SMS consent (shared decision 4): the box shows exactly the wording bookings serves, unticked; ticked, the
// booking carries patient.sms_consent: true and bookings records that wording's version. No wording served
// (an older API, or trouble): no box, and nothing sent about it.
export async function loadSmsConsent() {
  const response = await call('GET', ROUTES.smsConsent());
  const texts = response.status === 200 && response.data && response.data.texts;
  state.smsConsent = texts && texts.en ? texts : null;
  renderSmsConsent();
}

export function renderSmsConsent() {
  const texts = state.smsConsent;
  show('sms-consent-field', Boolean(texts));
  $('sms-consent-label').textContent = texts ? texts[state.lang] || texts.en : '';
}

function readPatient() {
  $('patient-phone').value = normalizePhone($('patient-phone').value);
  const patient = { name: $('patient-name').value.trim(), email: $('patient-email').value.trim(),
    phone: $('patient-phone').value, language: $('patient-language').value, state: $('patient-state').value };
  const zone = chosenZone();  // only asked where the state has several zones
  if (zone && patient.state === $('visit-state').value) patient.timezone = zone;
  if (state.smsConsent && $('sms-consent').checked) patient.sms_consent = true;
  return patient;
}

function checkPatient(patient) {
  const bad = [];
  if (!patient.name) bad.push('name');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(patient.email)) bad.push('email');
  if (!/^\+[1-9]\d{7,14}$/.test(patient.phone)) bad.push('phone');
  if (!patient.state) bad.push('state');
  return bad;
}

function clearPatientErrors() {
  for (const name of Object.keys(FIELDS)) clearError(FIELDS, name);
  formMessage(null);
}

function showPatientErrors(names, serverErrors) {
  for (const name of names) setError(FIELDS, name, serverErrors ? serverErrors[name] : null);
  formMessage('fixErrors');
  say('fixErrors', { error: true });
  $(FIELDS[names[0]][0]).focus();
}

// What is booked: one visit, a series (its dates as previewed) or a visit of two parts.
function booking(patient) {
  const notes = $('patient-notes').value.trim() || null;
  if (state.companionId) {
    const body = { patient, parts: visitParts(state.chosenOption), location_id: state.locationId, notes };
    if (isTelehealth(currentLocation())) body.patient_state = patient.state;
    return { kind: 'visit', body, send: postVisit };
  }
  if (seriesActive()) return { kind: 'series', body: seriesBody(patient, notes), send: postSeries };
  const slot = state.chosen;
  const hold = liveHold();
  return { kind: 'one', send: postBooking, holdToken: hold && hold.token, body: { service_id: state.serviceId,
    provider_id: slot.provider_id, location_id: slot.location_id, start: slot.start, patient, notes, ...(hold ? { hold_id: hold.id } : {}) } };
}

export async function submitBooking(event) {
  event.preventDefault();
  if (state.submitting || !(state.companionId ? state.chosenOption : state.chosen)) return;
  clearPatientErrors();
  if (seriesActive() && !previewReady()) { say('previewFirst', { error: true }); $('repeat-fieldset').querySelector('input:checked').focus(); return; }
  const patient = readPatient();
  const bad = checkPatient(patient);
  if (bad.length) { showPatientErrors(bad, null); return; }
  const { kind, body, send, holdToken } = booking(patient);
  const fingerprint = JSON.stringify(body);
  // One key per submission: a retry of the very same booking reuses it, so it can never book twice.
  if (state.attempt.fingerprint !== fingerprint) state.attempt = { fingerprint, key: newKey() };
  state.submitting = true;
  setBusy($('book-button'), true);
  say('booking');
  const response = await send(body, state.attempt.key, holdToken);
  state.submitting = false;
  setBusy($('book-button'), false);
  handleBookingAnswer(response, kind);
}

function handleBookingAnswer(response, kind) {
  const detail = (response.data && response.data.detail) || '';
  if (response.status === 201 || response.status === 200) { state.attempt = {}; holdUsed(); showConfirmation(response.data, kind); return; }
  if (response.status === 409 && kind === 'series') { state.attempt = {}; seriesChanged(); return; }
  if (response.status === 409 && !detail.includes('Idempotency-Key')) { state.attempt = {}; slotLost('slotTaken'); return; }
  if (response.status === 422) { handleInvalid(response); return; }
  if (response.status === 404) { state.attempt = {}; slotLost('slotGone'); return; }
  formMessage(trouble(response), { response });
  say(trouble(response), { error: true, response });
}

function handleInvalid(response) {
  const errors = (response.data && response.data.errors) || {};
  const patientErrors = errors.patient && !Array.isArray(errors.patient) ? errors.patient : {};
  const serverErrors = { ...patientErrors, ...(errors.notes ? { notes: errors.notes } : {}) };
  const names = Object.keys(FIELDS).filter((name) => serverErrors[name]);
  if (names.length) { showPatientErrors(names, serverErrors); return; }
  state.attempt = {};
  if (errors.start || errors.provider_id || errors.location_id || errors.service_id || errors.parts) { slotLost('slotGone'); return; }
  formMessage('unavailable', { response });
  say('unavailable', { error: true, response });
}

// A date of the series went meanwhile: the preview is asked again, and says what is free now.
async function seriesChanged() {
  await loadPreview();
  say('seriesChanged', { error: true });
  focusOn('series-preview-heading');
}

// The time went (taken meanwhile, or no longer bookable): the week is listed again as it is now, and the
// message is put beside it, in view and focused (on a phone the status line is far above the list).
export async function slotLost(key) {
  state.chosen = null;
  forgetChoice();
  state.chosenOption = null;
  show('details-section', false);
  if (await findTimes(null, state.weekStart || undefined)) {
    say(key, { error: true });
    noteOnTimes(key);
    return;
  }
  focusOn('slots-heading');
}
