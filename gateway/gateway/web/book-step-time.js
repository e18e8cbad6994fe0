/* Step 2: choose one of the open times (or, with a same-day companion visit, one of the paired
 * options). The choice is summarised above the details form, and the state field there is suggested
 * from it (the telehealth state, or the clinic's). Choosing a time previews its repeat, if one is set,
 * or else holds it for the patient (book-hold.js). "None of these times work for you?" opens the waitlist.
 */

import { currentLocation, currentService, isTelehealth, state } from './book-state.js';
import { addressLine, fmtWhen, providerName, t, zoneNote } from './book-format.js';
import { $, focusOn, show } from './book-dom.js';
import { formMessage } from './book-messages.js';
import { slotList } from './book-slot-list.js';
import { optionList, optionSummary } from './book-combined.js';
import { renderRepeat, resetSeries, seriesActive } from './book-series.js';
import { forgetChoice, holdSlot, renderHold } from './book-hold.js';
import { renderPolicy } from './book-policy.js';

export function renderSlots() {
  const loc = currentLocation();
  if (!loc) return;
  if (state.companionId && state.options) {
    $('slots-zone').textContent = zoneNote(loc.timezone);
    optionList($('slots'), state.options, loc.timezone, chooseOption);
  } else if (!state.companionId && state.slots) {
    $('slots-zone').textContent = zoneNote(loc.timezone);
    slotList($('slots'), state.slots, loc.timezone, state.chosen, chooseSlot, t('noSlots'));
    show('waitlist-offer', true);
  } else {
    return;
  }
  renderChosen();
}

function placeText(loc) {
  return isTelehealth(loc) ? t('telehealth') : `${loc.name}, ${addressLine(loc.address)}`;
}

function renderChosen() {
  const loc = currentLocation();
  if (!loc) return;
  if (state.companionId && state.chosenOption) {
    $('chosen-slot').textContent = `${optionSummary(state.chosenOption, loc.timezone)} · ${placeText(loc)}`;
  } else if (!state.companionId && state.chosen) {
    $('chosen-slot').textContent = [fmtWhen(state.chosen.start, loc.timezone), providerName(state.chosen.provider_id),
      (currentService() || {}).name, placeText(loc)].filter(Boolean).join(' · ');
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
