/* Moving a booking from the manage view, and a booking disrupted by a change at the clinic.
 *
 * The new time is picked a week at a time across the booking horizon (book-slot-list.js), each time
 * with the clinician's name (the providers are read here: the manage view has no catalog otherwise) and,
 * when the patient's zone differs from the clinic's, both clocks. A time taken meanwhile is said beside
 * the list, in view and focused. A disrupted booking (shared decision 3: `disruption` with its reason and
 * options) says why and offers another time, the same time by telehealth where that is bookable for the
 * patient (POST /reschedule with modality and patient_state), or cancelling. Nothing is cancelled for them.
 * book-manage.js hands in its helpers (onMove), so this module need not import it.
 */

import { rescheduleBooking } from './book-api.js';
import { state } from './book-state.js';
import { addDays, fmtShortDay, fmtWhen, providerName, t, zoneNote } from './book-format.js';
import { $, focusOn, show } from './book-dom.js';
import { say, trouble } from './book-messages.js';
import { ensureProviders, lastDay, loadWeek, openTimes, renderWeekNav, slotList, today } from './book-slot-list.js';
import { isLateChange } from './book-policy.js';
import { patientZone } from './book-zones.js';

const ACTIVE = ['requested', 'confirmed'];
export const MOVE_WEEK_IDS = { prev: 'move-week-prev', next: 'move-week-next', label: 'move-week-label', date: 'move-week-date' };
let hooks = { change: null, updated: null, failed: null };

// book-manage.js's helpers: change(fn, body, button, busyKey), updated(booking, key, vars), failed(response).
export function onMove(given) { hooks = given; }

// The patient's zone for a booking: the one they chose, else their state's only zone (or none).
export function bookingPatientZone(booking) {
  const patient = (booking && booking.patient) || {};
  return patientZone(patient.state, patient.timezone);
}

export async function loadMoveSlots(first) {
  const booking = state.manage.booking;
  const zone = booking.location.timezone;
  const params = { service_id: booking.service_id, location_id: booking.location_id,
    patient_state: booking.modality === 'telehealth' ? booking.patient.state : '',
    provider_id: $('same-provider').checked ? booking.provider_id : '' };
  say('searching');
  const [, result] = await Promise.all([ensureProviders(), loadWeek(openTimes(params), zone, first || today(zone), !first)]);
  const { response, items, first: shown, jumped } = result;
  if (response.status !== 200) { say(trouble(response), { error: true, response }); return; }
  state.moveWeekStart = shown;
  state.moveSlots = items;
  state.moveChoice = null;
  show('reschedule-confirm', false);
  const n = state.moveSlots.length;
  const end = addDays(shown, 6) > lastDay(zone) ? lastDay(zone) : addDays(shown, 6);
  const range = () => ({ n, from: fmtShortDay(shown), to: fmtShortDay(end) });  // worded again on a language switch
  state.moveInfo = jumped ? { key: 'slotsJumped', vars: () => ({ n, date: fmtShortDay(shown) }) }
    : n ? { key: n === 1 ? 'slotsWeekOne' : 'slotsWeek', vars: range }
      : first ? { key: 'noSlotsWeek', vars: range } : { key: 'noSlotsReschedule', vars: { days: Math.round(Number(state.horizonDays) || 90) } };
  renderMoveSlots();
  say(state.moveInfo.key, { vars: state.moveInfo.vars });
}

export function renderMoveSlots() {
  const booking = state.manage.booking;
  const zone = booking.location.timezone;
  const theirs = bookingPatientZone(booking);
  $('reschedule-zone').textContent = zoneNote(zone, theirs);
  renderWeekNav(MOVE_WEEK_IDS, state.moveWeekStart || today(zone), zone);
  const info = state.moveInfo;
  const vars = info && (typeof info.vars === 'function' ? info.vars() : info.vars);
  slotList($('reschedule-slots'), state.moveSlots, zone, state.moveChoice, chooseMoveSlot, info ? t(info.key, vars) : '', theirs);
  show('reschedule-message', Boolean(state.moveNote));
  $('reschedule-message').textContent = state.moveNote ? t(state.moveNote) : '';
  if (state.moveChoice) {
    const summary = `${fmtWhen(state.moveChoice.start, zone, theirs)} · ${providerName(state.moveChoice.provider_id)}`;
    $('reschedule-choice').textContent = t('rescheduleChoice', { summary });
  }
}

function chooseMoveSlot(slot) {
  state.moveChoice = slot;
  state.moveNote = null;
  renderMoveSlots();
  show('reschedule-confirm', true);
  $('reschedule-submit').focus();
}

export async function submitMove() {
  const slot = state.moveChoice;
  if (!slot) return;
  const response = await hooks.change(rescheduleBooking, { start: slot.start, provider_id: slot.provider_id },
    $('reschedule-submit'), 'moving');
  if (response.status === 200) {
    const moved = response.data;
    hooks.updated(moved, 'moved', () => ({ when: fmtWhen(moved.start, moved.location.timezone, bookingPatientZone(moved)) }));
  } else if ((response.status === 409 && !isLateChange(response)) || response.status === 422) {
    await loadMoveSlots(state.moveWeekStart);
    const key = ACTIVE.includes(state.manage.booking.status) ? 'slotTaken' : 'cancelRefused';
    state.moveNote = key;
    renderMoveSlots();
    say(key, { error: true });
    focusOn('reschedule-message');
  } else {
    hooks.failed(response);
  }
}

// The disruption's box above the details: why, and the patient's options (only while the booking is active).
export function renderDisruption(booking) {
  const disruption = booking && ACTIVE.includes(booking.status) ? booking.disruption : null;
  show('manage-disruption', Boolean(disruption));
  if (!disruption) return;
  const reason = `disruption_${disruption.reason}`;
  $('disruption-reason').textContent = t(reason) === reason ? t('disruption_hours') : t(reason);
  const options = disruption.options || {};
  show('disruption-telehealth', Boolean(options.telehealth) && booking.modality !== 'telehealth');
}

// The same time by telehealth: the booking moves to the telehealth location at its own start.
export async function moveToTelehealth() {
  const booking = state.manage.booking;
  const body = { start: booking.start, provider_id: booking.provider_id, modality: 'telehealth', patient_state: booking.patient.state };
  const response = await hooks.change(rescheduleBooking, body, $('disruption-telehealth'), 'moving');
  if (response.status === 200) {
    const moved = response.data;
    hooks.updated(moved, 'movedTelehealth', () => ({ when: fmtWhen(moved.start, moved.location.timezone, bookingPatientZone(moved)) }));
  } else {
    hooks.failed(response);
  }
}
