/* Step 2: choose one of the open times (or, with a same-day companion visit, one of the paired
 * options), a week at a time across the booking horizon (book-slot-list.js). The choice is summarised
 * above the details form, and the state field there is suggested from it (the telehealth state, or the
 * clinic's). Choosing a time previews its repeat, if one is set, or else holds it for the patient
 * (book-hold.js). Under the times, the waitlist and an appointment request are always offered; when
 * nothing fits in the whole horizon the page says so, and why when no clinician is licensed in the state.
 */

import { currentLocation, currentService, isTelehealth, state } from './book-state.js';
import { addressLine, dayKey, fmtShortDay, fmtWhen, localName, providerName, t, zoneNote } from './book-format.js';
import { $, focusOn, show } from './book-dom.js';
import { formMessage, say } from './book-messages.js';
import { loadWeek, openTimes, renderWeekNav, sameSlot, slotList, today, weekEnd } from './book-slot-list.js';
import { optionList, optionSummary, pairedTimes } from './book-combined.js';
import { renderRepeat, resetSeries, seriesActive } from './book-series.js';
import { forgetChoice, holdSlot, renderHold } from './book-hold.js';
import { renderPolicy } from './book-policy.js';
import { stateName } from './book-zones.js';

const WEEK_IDS = { prev: 'week-prev', next: 'week-next', label: 'week-label', date: 'week-date' };

// No time in the whole horizon: for telehealth, is it that nobody offering the visit is licensed there?
function nobodyLicensed(serviceId, where) {
  const providers = Object.values(state.providers);
  if (!providers.length || !where) return false;
  return !providers.some((p) => (p.service_ids || []).includes(serviceId) && (p.licensed_states || []).includes(where)
    && p.active !== false);
}

// The messages of a week of single times, or of same-day pairs.
const WORDS = {
  slots: { one: 'slotsWeekOne', many: 'slotsWeek', none: 'noSlotsWeek', horizon: 'noSlotsHorizon' },
  options: { one: 'optionsWeekOne', many: 'optionsWeek', none: 'noOptionsWeek', horizon: 'noOptionsHorizon' },
};

// Lists one week's times, or a same-day pair's options (searching ahead from a new search's empty first
// week); answers the API's response.
export async function listWeek(params, first, searchAhead) {
  const loc = currentLocation();
  const zone = loc.timezone;
  const kind = state.companionId ? 'options' : 'slots';
  const source = kind === 'options' ? pairedTimes(params) : openTimes(params);
  const { response, items, first: shown, jumped } = await loadWeek(source, zone, first || today(zone), searchAhead);
  if (response.status !== 200) return response;
  state.weekStart = shown;
  const end = weekEnd(shown, zone);
  if (kind === 'options') {
    state.options = items;
    state.chosenOption = null;  // a fresh list: the pair is picked again
  } else {
    state.slots = items;
    const inWeek = (slot) => { const day = dayKey(new Date(slot.start), zone); return day >= shown && day <= end; };
    if (state.chosen && inWeek(state.chosen) && !items.some((s) => sameSlot(s, state.chosen))) state.chosen = null;
  }
  const n = items.length;
  const words = WORDS[kind];
  // Functions: the dates are worded again in the language the patient switches to.
  const range = () => ({ n, from: fmtShortDay(shown), to: fmtShortDay(end) });
  if (jumped) state.slotsInfo = { key: 'slotsJumped', vars: () => ({ n, date: fmtShortDay(shown) }) };
  else if (n) state.slotsInfo = { key: n === 1 ? words.one : words.many, vars: range };
  else if (!searchAhead) state.slotsInfo = { key: words.none, vars: range };
  else if (kind === 'slots' && isTelehealth(loc) && nobodyLicensed(params.service_id, params.patient_state)) {
    state.slotsInfo = { key: 'notLicensed', vars: () => ({ state: stateName(params.patient_state) }), why: true };
  } else state.slotsInfo = { key: words.horizon, vars: { days: Math.round(Number(state.horizonDays) || 90) }, why: true };
  state.slotsNote = null;
  renderSlots();
  say(state.slotsInfo.key, { vars: state.slotsInfo.vars });
  return response;
}

const infoText = (info) => (info ? t(info.key, typeof info.vars === 'function' ? info.vars() : info.vars) : '');

// A message about the times (one just taken) shown beside them, in view and focused: the live region at
// the top of the page is far above the list on a phone.
export function noteOnTimes(key) {
  state.slotsNote = key;
  renderSlots();
  focusOn('slots-message');
}

export function renderSlots() {
  const loc = currentLocation();
  if (!loc) return;
  const zone = loc.timezone;
  const info = state.slotsInfo;
  if (state.companionId && state.options) {
    $('slots-zone').textContent = zoneNote(zone);
    optionList($('slots'), state.options, zone, chooseOption, infoText(info));
  } else if (!state.companionId && state.slots) {
    const theirs = isTelehealth(loc) ? state.patientZone : null;
    $('slots-zone').textContent = zoneNote(zone, theirs);
    slotList($('slots'), state.slots, zone, state.chosen, chooseSlot, infoText(info), theirs);
    show('waitlist-offer', true);
  } else {
    return;
  }
  renderWeekNav(WEEK_IDS, state.weekStart || today(zone), zone);
  show('slots-why', Boolean(info && info.why));
  $('slots-why').textContent = info && info.why ? infoText(info) : '';
  show('slots-message', Boolean(state.slotsNote));
  $('slots-message').textContent = state.slotsNote ? t(state.slotsNote) : '';
  renderChosen();
}

function placeText(loc) {
  return isTelehealth(loc) ? t('telehealth') : `${localName(loc)}, ${addressLine(loc.address)}`;
}

function renderChosen() {
  const loc = currentLocation();
  if (!loc) return;
  if (state.companionId && state.chosenOption) {
    $('chosen-slot').textContent = `${optionSummary(state.chosenOption, loc.timezone)} · ${placeText(loc)}`;
  } else if (!state.companionId && state.chosen) {
    const theirs = isTelehealth(loc) ? state.patientZone : null;
    $('chosen-slot').textContent = [fmtWhen(state.chosen.start, loc.timezone, theirs), providerName(state.chosen.provider_id),
      localName(currentService()), placeText(loc)].filter(Boolean).join(' · ');
  }
  renderRepeat();
  renderHold();
  renderPolicy();
}

function chosen() {
  const loc = currentLocation();
  const suggested = isTelehealth(loc) ? $('visit-state').value : (loc.address && loc.address.state) || '';
  const field = $('patient-state');
  if (!field.value || field.value === state.prefilledState) field.value = suggested;
  state.prefilledState = suggested;
  formMessage(null);
  show('details-section', true);
  focusOn('details-heading');
}

function chooseSlot(slot) {
  state.chosen = slot;
  state.slotsNote = null;
  renderSlots();
  resetSeries();
  chosen();
  if (seriesActive()) forgetChoice();  // a series is booked date by date: its first date is not held
  else holdSlot(slot);
}

function chooseOption(option) {
  state.chosenOption = option;
  renderSlots();
  chosen();
}
