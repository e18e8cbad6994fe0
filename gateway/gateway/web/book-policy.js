/* The change policy: how long before a visit it can still be cancelled or moved online (the clinic's
 * real value, read once from the public API), shown before booking with the clinic's phone; and, in the
 * manage view, a refusal of a late change (409 /problems/late-change) explained with the phone to call.
 */

import { getPolicy } from './book-api.js';
import { currentLocation, state } from './book-state.js';
import { phoneText, t } from './book-format.js';
import { $, el, show } from './book-dom.js';
import { say } from './book-messages.js';

export async function loadPolicy() {
  const response = await getPolicy();
  const data = (response.status === 200 && response.data) || {};
  const hours = Number(data.cancel_cutoff_hours ?? data.cutoff_hours ?? (data.change_policy || {}).cancel_cutoff_hours);
  state.cutoffHours = Number.isFinite(hours) && hours > 0 ? hours : null;
  const horizon = Number(data.booking_horizon_days);
  state.horizonDays = Number.isFinite(horizon) && horizon > 0 ? horizon : null;  // the weeks the page offers
  renderPolicy();
}

export function spanText(hours) {
  if (hours >= 48 && hours % 24 === 0) return t('daysN', { n: hours / 24 });
  return hours === 1 ? t('hoursOne') : t('hoursN', { n: hours });
}

// Dialled as E.164, shown as people write it (the clinic's phone_display, else national form).
const telLink = (loc) => el('a', { href: `tel:${loc.phone}` }, phoneText(loc));

// Before booking: shown once the policy is known, with the chosen clinic's phone.
export function renderPolicy() {
  const box = $('policy-note');
  const hours = state.cutoffHours;
  show('policy-note', Boolean(hours));
  if (!hours) return;
  const loc = currentLocation() || {};
  if (loc.phone) box.replaceChildren(`${t('policyNote', { hours: spanText(hours) })} `, telLink(loc), '.');
  else box.replaceChildren(t('policyNoteNoPhone', { hours: spanText(hours) }));
}

export const isLateChange = (response) => response.status === 409 && typeof (response.data || {}).type === 'string'
  && response.data.type.endsWith('/problems/late-change');

// A late cancel or move: said in the live region, and kept on the page with a link to call.
export function showLateChange(response, booking) {
  const data = response.data || {};
  const loc = (booking || {}).location || {};
  const phone = data.phone || data.clinic_phone || loc.phone || '';
  const hours = Number(data.cutoff_hours ?? data.cancel_cutoff_hours ?? state.cutoffHours ?? 24);
  state.lateChange = { phone, shown: phoneText(phone === loc.phone ? loc : { phone }), hours };
  renderLateChange();
  say(phone ? 'lateChange' : 'lateChangeNoPhone', { error: true, vars: () => ({ phone: state.lateChange.shown, hours: spanText(hours) }) });
}

export function renderLateChange() {
  const late = state.lateChange;
  show('manage-late', Boolean(late));
  if (!late) return;
  $('manage-late-text').textContent = t(late.phone ? 'lateChange' : 'lateChangeNoPhone', { phone: late.shown, hours: spanText(late.hours) });
  $('manage-late-call').replaceChildren(...(late.phone ? [el('a', { href: `tel:${late.phone}` }, t('callClinic', { phone: late.shown }))] : []));
}

export function clearLateChange() {
  state.lateChange = null;
  renderLateChange();
}
