/* After booking: the confirmation, the booking's details, and its manage link, shown this once only.
 * detailRows and fillDetails also serve the manage view, which shows the same rows.
 */

import { currentLocation, state } from './book-state.js';
import { addressLine, fmtWhen, providerName, t } from './book-format.js';
import { $, el, focusOn, show } from './book-dom.js';
import { say } from './book-messages.js';

function manageHref(id, token) { return `/book#manage=${id}.${token}`; }

export function detailRows(booking) {
  const loc = booking.location || {};
  const zone = loc.timezone || (currentLocation() || {}).timezone || 'UTC';
  const virtual = booking.modality === 'telehealth';
  const rows = [['dWhen', fmtWhen(booking.start, zone)], ['dVisit', (booking.service || {}).name],
    ['dWith', providerName(booking.provider_id, booking.provider)],
    ['dWhere', virtual ? t('telehealth') : [loc.name, addressLine(loc.address)].filter(Boolean).join(', ')]];
  if (loc.phone) rows.push(['dPhone', el('a', { href: `tel:${loc.phone}` }, loc.phone)]);
  return rows;
}

export function fillDetails(list, rows) {
  list.replaceChildren(...rows.filter(([, value]) => value).flatMap(([key, value]) => [el('dt', null, t(key)), el('dd', null, value)]));
}

export function showConfirmation(booking) {
  state.booked = booking;
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
  const requested = booking.status === 'requested';
  $('confirmation-heading').textContent = t(requested ? 'requestedTitle' : 'confirmedTitle');
  $('confirmation-lead').textContent = t(requested ? 'requestedLead' : 'confirmedLead', { email: booking.patient.email });
  fillDetails($('confirmation-details'), detailRows(booking));
  const href = manageHref(booking.id, booking.manage_token);
  $('manage-link').value = window.location.origin + href;
  $('manage-open').setAttribute('href', href);
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
