/* After booking: the confirmation, the booking's details, and its manage link, shown this once only.
 * detailRows and fillDetails also serve the manage view, which shows the same rows.
 *
 * A series lists the dates booked (and those not booked); a combined visit lists both parts. Either
 * has one manage link: its first booking's id with the series' (or the visit's) token, which works for
 * each of its bookings; the manage view then reads the series (or the visit) with it.
 */

import { currentLocation, state } from './book-state.js';
import { addressLine, fmtWhen, localName, phoneText, providerName, t } from './book-format.js';
import { $, el, focusOn, show } from './book-dom.js';
import { say } from './book-messages.js';
import { patientZone } from './book-zones.js';
import { renderCalendarLink } from './book-calendar.js';

// The patient's own zone for a booking (shared decision 2), shown beside the clinic's when it differs.
const theirZone = (booking) => patientZone((booking.patient || {}).state, (booking.patient || {}).timezone);

function manageHref(id, token) { return `/book#manage=${id}.${token}`; }

export function detailRows(booking) {
  const loc = booking.location || {};
  const zone = loc.timezone || (currentLocation() || {}).timezone || 'UTC';
  const virtual = booking.modality === 'telehealth';
  const rows = [['dWhen', fmtWhen(booking.start, zone, theirZone(booking))], ['dVisit', localName(booking.service)],
    ['dWith', providerName(booking.provider_id, booking.provider)],
    ['dWhere', virtual ? t('telehealth') : [localName(loc), addressLine(loc.address)].filter(Boolean).join(', ')]];
  if (loc.phone) rows.push(['dPhone', el('a', { href: `tel:${loc.phone}` }, phoneText(loc))]);
  return rows;
}

export function fillDetails(list, rows) {
  list.replaceChildren(...rows.filter(([, value]) => value).flatMap(([key, value]) => [el('dt', null, t(key)), el('dd', null, value)]));
}

const zoneOf = (booking) => (booking.location || {}).timezone || (currentLocation() || {}).timezone || 'UTC';

export function dateList(bookings, className) {
  return el('ul', { class: className || 'date-list' }, ...bookings.map((b) => el('li', null, fmtWhen(b.start, zoneOf(b), theirZone(b)))));
}

// The rows of a part of a visit: when, what and with whom, on one line.
export function partLine(b) {
  return `${fmtWhen(b.start, zoneOf(b), theirZone(b))}: ${localName(b.service)}, ${t('withName', { name: providerName(b.provider_id, b.provider) })}`;
}

export function planRows(kind, bookings, skipped) {
  const first = bookings[0];
  const place = detailRows(first).filter(([key]) => key === 'dWhere' || key === 'dPhone');
  if (kind === 'visit') {
    return [['dFirst', partLine(bookings[0])], ['dThen', partLine(bookings[1])], ...place];
  }
  const rows = [['dDates', dateList(bookings)]];
  if (skipped && skipped.length) rows.push(['dNotBooked', dateList(skipped, 'date-list not-booked')]);
  return [...rows, ...detailRows(first).filter(([key]) => key !== 'dWhen')];
}

export function showConfirmation(data, kind) {
  state.booked = { ...data, kind: kind || 'one' };
  show('visit-form', false);
  show('slots-section', false);
  show('details-section', false);
  show('confirmation', true);
  renderConfirmation();
  say(null);
  focusOn('confirmation-heading');
}

export function renderConfirmation() {
  const booking = state.booked;
  if (!booking) return;
  const plan = booking.kind !== 'one';
  const parts = plan ? booking.bookings : [booking];
  const requested = parts.some((b) => b.status === 'requested');
  const title = plan && !requested ? (booking.kind === 'series' ? 'seriesBookedTitle' : 'visitBookedTitle') : null;
  $('confirmation-heading').textContent = t(title || (requested ? 'requestedTitle' : 'confirmedTitle'));
  $('confirmation-lead').textContent = t(requested ? 'requestedLead' : 'confirmedLead', { email: booking.patient.email });
  fillDetails($('confirmation-details'), plan ? planRows(booking.kind, parts, booking.skipped) : detailRows(booking));
  if (plan) $('manage-link-help').textContent = t('manageLinkHelpPlan');
  const href = manageHref(parts[0].id, booking.manage_token);
  $('manage-link').value = window.location.origin + href;
  $('manage-open').setAttribute('href', href);
  renderCalendarLink(parts);
}

export async function copyLink() {
  const field = $('manage-link');
  try {
    await navigator.clipboard.writeText(field.value);
    say('copied');
  } catch (_) {
    field.focus();
    field.select();
    say('copyFailed');
  }
}
