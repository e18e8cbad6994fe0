/* Holds: when the patient picks a time, the page holds it (POST /holds) while the form is filled in,
 * and says until when ("Held for you until 10:42 AM (10 minutes)"). The countdown beside the form is
 * plain text, refreshed every few seconds and never announced; the live region speaks only when the
 * hold is taken, when two minutes are left and when it has run out. Picking another time, choosing
 * again, repeating the visit or leaving the page lets the hold go (DELETE, best effort); booking uses
 * it (hold_id + X-Hold-Token, book-step-details.js). A hold that cannot be taken is never a dead end:
 * the time was just taken (409: the times are listed again), too many holds from this device (429:
 * explained, the time can still be booked), or holds are not offered (any other answer: booked as before).
 */

import { postHold, releaseHold as deleteHold } from './book-api.js';
import { currentLocation, isTelehealth, state } from './book-state.js';
import { fmtTime, t } from './book-format.js';
import { $, show } from './book-dom.js';
import { say } from './book-messages.js';

const TICK_MS = 5000;
const WARN_MS = 2 * 60 * 1000;
let ticker = null;
let seq = 0;
let handlers = { taken: () => {}, gone: () => {} };

// What to do when the time turns out to be taken (409) or not bookable (422): set by book.js.
export function onHoldLost(taken, gone) { handlers = { taken, gone }; }

const sameAs = (hold, slot) => Boolean(hold && slot) && hold.slot.start === slot.start && hold.slot.provider_id === slot.provider_id;

// The hold to book with: alive, and of the time chosen.
export function liveHold() {
  const hold = state.hold;
  return hold && !hold.expired && sameAs(hold, state.chosen) && Date.parse(hold.expiresAt) > Date.now() ? hold : null;
}

export async function holdSlot(slot) {
  const mine = ++seq;
  if (sameAs(state.hold, slot) && !state.hold.expired) { renderHold(); return; }
  await releaseHold();
  if (mine !== seq) return;
  const loc = currentLocation();
  const body = { service_id: state.serviceId, provider_id: slot.provider_id, location_id: slot.location_id, start: slot.start };
  if (loc && isTelehealth(loc)) body.patient_state = $('visit-state').value;
  state.holdNote = null;
  renderHold();
  const response = await postHold(body);
  if (mine !== seq || !sameAs({ slot }, state.chosen)) {  // another time was picked meanwhile
    if (response.status === 201) deleteHold(response.data.id, response.data.hold_token);
    return;
  }
  if (response.status === 201) {
    const data = response.data;
    state.hold = { id: data.id, token: data.hold_token, expiresAt: data.expires_at, slot, warned: false, expired: false };
    renderHold();
    say('holdTaken', { vars: holdVars });
    startTicker();
  } else if (response.status === 409) {
    handlers.taken();
  } else if (response.status === 422) {
    handlers.gone();
  } else if (response.status === 429) {
    state.holdNote = 'holdTooMany';
    renderHold();
    say('holdTooMany', { error: true });
  }
  // Anything else (holds not offered, the service away): the time is booked as before, unheld.
}

// Let the current hold go (another time, another search, a series); quietly, best effort.
export async function releaseHold(leaving) {
  const hold = state.hold;
  state.hold = null;
  state.holdNote = null;
  stopTicker();
  renderHold();
  if (hold) await deleteHold(hold.id, hold.token, leaving);  // ran out here: maybe not yet there
}

// A booking made with the hold used it up: nothing to let go.
export function holdUsed() {
  seq += 1;
  state.hold = null;
  state.holdNote = null;
  stopTicker();
  renderHold();
}

export function forgetChoice() {
  seq += 1;
  return releaseHold();
}

function minutesLeft(hold) { return Math.max(0, Math.ceil((Date.parse(hold.expiresAt) - Date.now()) / 60000)); }

function holdVars() {
  const hold = state.hold;
  if (!hold) return {};
  const loc = currentLocation() || {};
  // Until when, on the patient's own clock where the page knows it (telehealth from another zone).
  const zone = (isTelehealth(loc) && state.patientZone) || loc.timezone || 'UTC';
  return { until: fmtTime(hold.expiresAt, zone), n: minutesLeft(hold) };
}

function startTicker() {
  stopTicker();
  ticker = setInterval(tick, TICK_MS);
}

function stopTicker() { clearInterval(ticker); ticker = null; }

function tick() {
  const hold = state.hold;
  if (!hold) { stopTicker(); return; }
  const left = Date.parse(hold.expiresAt) - Date.now();
  if (left <= 0) {
    hold.expired = true;
    stopTicker();
    renderHold();
    say('holdExpired', { error: true });
    return;
  }
  if (left <= WARN_MS && !hold.warned) {
    hold.warned = true;
    say('holdEnding', { vars: holdVars });
  }
  renderHold();
}

// The hold's box above the form: until when, minutes left, or that it ran out (with "pick again").
export function renderHold() {
  const hold = state.hold;
  const box = $('hold-box');
  if (!box) return;
  const key = hold ? (hold.expired ? 'holdExpired' : minutesLeft(hold) <= 1 ? 'holdUntilLast' : 'holdUntil') : state.holdNote;
  show('hold-box', Boolean(key));
  box.classList.toggle('is-error', Boolean(hold && hold.expired) || key === 'holdTooMany');
  $('hold-text').textContent = key ? t(key, holdVars()) : '';
  show('hold-again', Boolean(hold && hold.expired));
}

// Leaving the page: the hold goes at once rather than at its expiry (keepalive outlives the page).
export function bindHold(pickAgain) {
  $('hold-again').addEventListener('click', pickAgain);
  window.addEventListener('pagehide', () => { if (state.hold) releaseHold(true); });
}
