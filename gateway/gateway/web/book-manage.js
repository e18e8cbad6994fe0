/* Managing a booking from its link (#manage=<id>.<token>): show it, cancel it, or move it to another
 * open time. The token travels only as the X-Manage-Token header (book-api.js), never in a URL.
 */

import { cancelBooking, getBooking, getSeries, getVisit, rescheduleBooking } from './book-api.js';
import { state } from './book-state.js';
import { fmtWhen, providerName, t, zoneNote } from './book-format.js';
import { $, el, focusOn, setBusy, show } from './book-dom.js';
import { say, trouble } from './book-messages.js';
import { fetchSlots, slotList } from './book-slot-list.js';
import { detailRows, fillDetails, partLine } from './book-confirmation.js';

const ACTIVE = ['requested', 'confirmed'];

export function manageFromHash() {
  const match = /^#manage=([0-9A-Za-z]+)\.([0-9A-Za-z_-]+)$/.exec(window.location.hash);
  return match ? { id: match[1], token: match[2] } : null;
}

export async function showManage(link) {
  state.manage = { ...link, booking: null };
  show('booking-flow', false);
  show('manage-view', true);
  show('manage-actions', false);
  closeManagePanels();
  $('manage-details').replaceChildren();
  say('manageLoading');
  const response = await getBooking(link.id, link.token);
  if (response.status !== 200) { manageFailed(response); return; }
  state.manage.booking = response.data;
  await loadPlan(response.data, link.token);
  renderManage();
  say(null);
  focusOn('manage-heading');
}

// A booking of a series or of a combined visit: the same token reads the whole plan, listed below it.
async function loadPlan(booking, token) {
  state.manage.plan = null;
  const [kind, read, id] = booking.series_id ? ['series', getSeries, booking.series_id]
    : booking.visit_id ? ['visit', getVisit, booking.visit_id] : [null, null, null];
  if (!kind) return;
  const response = await read(id, token);
  if (response.status === 200) state.manage.plan = { kind, data: response.data };
}

function renderPlan() {
  const plan = state.manage && state.manage.plan;
  show('manage-plan', Boolean(plan));
  if (!plan) return;
  const zone = plan.data.timezone || (state.manage.booking.location || {}).timezone;
  const series = plan.kind === 'series';
  $('manage-plan-heading').textContent = t(series ? 'planSeriesTitle' : 'planVisitTitle');
  const items = series
    ? plan.data.occurrences.map((o) => `${fmtWhen(o.start, zone)} · ${t(`status_${o.status}`)}`)
    : plan.data.bookings.map((b) => `${partLine(b)} · ${t(`status_${b.status}`)}`);
  $('manage-plan-list').replaceChildren(...items.map((text) => el('li', null, text)));
}

function manageFailed(response) {
  if ([401, 403, 404].includes(response.status)) say('manageNotFound', { error: true });
  else if (response.status === 409) say('cancelRefused', { error: true });
  else say(trouble(response), { error: true, response });
}

export function renderManage() {
  const booking = state.manage && state.manage.booking;
  if (!booking) return;
  const rows = [['dStatus', t(`status_${booking.status}`)], ...detailRows(booking), ['dPatient', booking.patient && booking.patient.name]];
  fillDetails($('manage-details'), rows);
  show('manage-actions', ACTIVE.includes(booking.status));
  $('same-provider-label').textContent = t('sameProvider', { name: providerName(booking.provider_id, booking.provider) });
  if (state.moveSlots) renderMoveSlots();
  renderPlan();
}

export function closeManagePanels() {
  show('cancel-form', false);
  show('reschedule-panel', false);
  show('reschedule-confirm', false);
  state.moveSlots = null;
  state.moveChoice = null;
}

function manageUpdated(booking, key, vars) {
  state.manage.booking = booking;
  closeManagePanels();
  renderManage();
  say(key, { vars });
  focusOn('manage-heading');
}

async function manageChange(change, body, busyButton, busyText) {
  setBusy(busyButton, true);
  say(busyText);
  const { id, token } = state.manage;
  const response = await change(id, body, token);
  setBusy(busyButton, false);
  return response;
}

export async function submitCancel(event) {
  event.preventDefault();
  const reason = $('cancel-reason').value.trim() || null;
  const response = await manageChange(cancelBooking, { reason }, event.submitter || $('cancel-start'), 'cancelling');
  if (response.status === 200) { await loadPlan(response.data, state.manage.token); manageUpdated(response.data, 'cancelled'); }
  else manageFailed(response);
}

export async function loadMoveSlots() {
  const booking = state.manage.booking;
  const params = { service_id: booking.service_id, location_id: booking.location_id,
    patient_state: booking.modality === 'telehealth' ? booking.patient.state : '',
    provider_id: $('same-provider').checked ? booking.provider_id : '' };
  say('searching');
  const response = await fetchSlots(params, booking.location.timezone);
  if (response.status !== 200) { say(trouble(response), { error: true, response }); return; }
  state.moveSlots = response.data.slots || [];
  state.moveChoice = null;
  show('reschedule-confirm', false);
  renderMoveSlots();
  const n = state.moveSlots.length;
  say(n === 1 ? 'slotsFoundOne' : n ? 'slotsFound' : 'noSlotsReschedule', { vars: { n } });
}

function renderMoveSlots() {
  const zone = state.manage.booking.location.timezone;
  $('reschedule-zone').textContent = zoneNote(zone);
  slotList($('reschedule-slots'), state.moveSlots, zone, state.moveChoice, chooseMoveSlot, t('noSlotsReschedule'));
  if (state.moveChoice) {
    const summary = `${fmtWhen(state.moveChoice.start, zone)} · ${providerName(state.moveChoice.provider_id)}`;
    $('reschedule-choice').textContent = t('rescheduleChoice', { summary });
  }
}

function chooseMoveSlot(slot) {
  state.moveChoice = slot;
  renderMoveSlots();
  show('reschedule-confirm', true);
  $('reschedule-submit').focus();
}

export async function submitMove() {
  const slot = state.moveChoice;
  if (!slot) return;
  const response = await manageChange(rescheduleBooking, { start: slot.start, provider_id: slot.provider_id },
    $('reschedule-submit'), 'moving');
  if (response.status === 200) {
    const moved = response.data;
    manageUpdated(moved, 'moved', () => ({ when: fmtWhen(moved.start, moved.location.timezone) }));
  } else if (response.status === 409 || response.status === 422) {
    await loadMoveSlots();
    say(ACTIVE.includes(state.manage.booking.status) ? 'slotTaken' : 'cancelRefused', { error: true });
    focusOn('reschedule-heading');
  } else {
    manageFailed(response);
  }
}
