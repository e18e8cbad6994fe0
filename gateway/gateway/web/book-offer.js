/* A place on the waitlist, from one of two links, both kept in the fragment (never sent to a server):
 * - the offer link sent by email and SMS, #offer=<entry id>.<offer id>.<mac>: "A time opened up for you",
 *   the offered time and until when it is held, Book this time (one step) or No thanks;
 * - the entry's manage link from joining, #waitlist=<entry id>.<manage token>: its status, days and
 *   times, an offer if one is open (the same two buttons), and Leave the waitlist.
 * The offer's credential travels as X-Offer-Token (the whole <entry id>.<offer id>.<mac>), the manage
 * token as X-Manage-Token. GET /waitlist/{id} shows the entry with its live offer (docs/waitlist.md).
 */

import { acceptOffer, declineOffer, getWaitlist, leaveWaitlist, newKey } from './book-api.js';
import { state } from './book-state.js';
import { fmtTime, fmtWhen, providerName, t } from './book-format.js';
import { $, el, focusOn, setBusy, show } from './book-dom.js';
import { say, trouble } from './book-messages.js';
import { fillDetails, showConfirmation } from './book-confirmation.js';
import { DAYS } from './book-waitlist.js';

const LIVE = ['waiting', 'offered'];

export function entryFromHash() {
  const offer = /^#offer=([0-9A-Za-z_-]+)\.([0-9A-Za-z_-]+)\.([0-9A-Za-z_-]+)$/.exec(window.location.hash);
  if (offer) return { id: offer[1], offerId: offer[2], auth: { offerToken: `${offer[1]}.${offer[2]}.${offer[3]}` } };
  const manage = /^#waitlist=([0-9A-Za-z_-]+)\.([0-9A-Za-z_-]+)$/.exec(window.location.hash);
  return manage ? { id: manage[1], offerId: null, auth: { manageToken: manage[2] } } : null;
}

export async function showEntry(link) {
  state.entry = { ...link, data: null, ended: false, key: newKey() };
  show('booking-flow', false);
  show('manage-view', false);
  show('offer-view', true);
  show('offer-actions', false);
  show('wl-leave-actions', false);
  $('offer-details').replaceChildren();
  renderEntry();
  say(link.offerId ? 'offerLoading' : 'wlLoading');
  const response = await getWaitlist(link.id, link.auth);
  if (response.status !== 200) { entryFailed(response); return; }
  state.entry.data = response.data;
  renderEntry();
  say(null);
  focusOn('offer-heading');
}

// The open offer of the entry: the one the link names, or (manage link) whichever is open.
function openOffer() {
  const { data, offerId, ended } = state.entry || {};
  if (!data || ended) return null;
  const offers = [data.offer, ...(data.offers || [])].filter(Boolean);
  const offer = offers.find((o) => (offerId ? o.id === offerId : !o.status || o.status === 'open' || o.status === 'offered'));
  if (!offer || (offer.status && !['open', 'offered'].includes(offer.status))) return null;
  return Date.parse(offer.expires_at) > Date.now() ? offer : null;
}

const zoneOf = (data, offer) => ((offer || {}).location || {}).timezone || (offer || {}).timezone || data.timezone || 'America/Chicago';

export function renderEntry() {
  const entry = state.entry;
  if (!entry) return;
  const offer = openOffer();
  const asOffer = Boolean(entry.offerId);
  $('offer-heading').textContent = t(asOffer ? 'offerTitle' : 'entryTitle');
  const data = entry.data;
  if (!data) { $('offer-lead').textContent = ''; return; }
  const slot = offer && (offer.slot || offer);
  const zone = zoneOf(data, offer);
  $('offer-lead').textContent = offer ? t('offerLead', { until: fmtTime(offer.expires_at, zone) })
    : asOffer ? t('offerGone') : '';
  const rows = [];
  if (offer) {
    const where = offer.modality === 'telehealth' ? t('telehealth') : (offer.location || {}).name;
    rows.push(['dWhen', fmtWhen(slot.start, zone)], ['dVisit', (offer.service || {}).name],
      ['dWith', providerName(slot.provider_id, offer.provider)], ['dWhere', where], ['dHeldUntil', fmtTime(offer.expires_at, zone)]);
  }
  if (!asOffer || !offer) {
    rows.push(['dStatus', t(`wl_status_${data.status}`)], ['dWindows', windowsText(data.windows || [])], ['dUntil', data.until]);
  }
  fillDetails($('offer-details'), rows);
  show('offer-actions', Boolean(offer));
  show('wl-leave-actions', !asOffer && LIVE.includes(data.status));
}

function windowsText(windows) {
  return windows.map((w) => `${(w.days || []).filter((d) => DAYS.includes(d)).map((d) => t(`day_${d}`)).join(', ')}: ${w.from}–${w.to}`).join('; ');
}

export async function acceptThis() {
  const offer = openOffer();
  if (!offer) return;
  const { id, auth, key } = state.entry;
  setBusy($('offer-accept'), true);
  say('offerBooking');
  const response = await acceptOffer(id, offer.id, auth, key);
  setBusy($('offer-accept'), false);
  if (response.status === 201 || response.status === 200) {
    const booking = response.data.booking || response.data;
    show('offer-view', false);
    show('booking-flow', true);
    showConfirmation({ ...booking, manage_token: booking.manage_token || response.data.manage_token }, 'one');
    return;
  }
  if ([404, 409, 410, 422].includes(response.status)) { offerEnded(); return; }
  say(trouble(response), { error: true, response });
}

export async function declineThis() {
  const offer = openOffer();
  if (!offer) return;
  setBusy($('offer-decline'), true);
  const response = await declineOffer(state.entry.id, offer.id, state.entry.auth);
  setBusy($('offer-decline'), false);
  if (response.status >= 200 && response.status < 300) {
    state.entry.ended = true;
    renderEntry();
    $('offer-lead').textContent = '';
    say('offerDeclined');
    focusOn('offer-heading');
    return;
  }
  if ([404, 409, 410, 422].includes(response.status)) { offerEnded(); return; }
  say(trouble(response), { error: true, response });
}

export async function leaveThis() {
  const { id, auth } = state.entry;
  setBusy($('wl-leave'), true);
  const response = await leaveWaitlist(id, auth);
  setBusy($('wl-leave'), false);
  if (response.status >= 200 && response.status < 300) {
    const fresh = await getWaitlist(id, auth);
    state.entry.data = fresh.status === 200 ? fresh.data : { ...state.entry.data, status: 'withdrawn' };
    renderEntry();
    say('wlLeft');
    focusOn('offer-heading');
    return;
  }
  entryFailed(response);
}

function offerEnded() {
  state.entry.ended = true;
  renderEntry();
  say('offerGone', { error: true });
  focusOn('offer-heading');
}

function entryFailed(response) {
  if ([401, 403, 404].includes(response.status)) {
    if (state.entry.offerId) { state.entry.data = state.entry.data || { status: 'expired' }; offerEnded(); return; }
    say('wlNotFound', { error: true });
    return;
  }
  say(trouble(response), { error: true, response });
}

export function bindOffer() {
  $('offer-accept').addEventListener('click', acceptThis);
  $('offer-decline').addEventListener('click', declineThis);
  $('wl-leave').addEventListener('click', leaveThis);
}
