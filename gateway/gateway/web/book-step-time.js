/* Step 2: choose one of the open times. The choice is summarised above the details form, and the state
 * field there is suggested from it (the telehealth state, or the clinic's).
 */

import { currentLocation, currentService, isTelehealth, state } from './book-state.js';
import { addressLine, fmtWhen, providerName, t, zoneNote } from './book-format.js';
import { $, focusOn, show } from './book-dom.js';
import { formMessage } from './book-messages.js';
import { slotList } from './book-slot-list.js';

export function renderSlots() {
  const loc = currentLocation();
  if (!state.slots || !loc) return;
  $('slots-zone').textContent = zoneNote(loc.timezone);
  slotList($('slots'), state.slots, loc.timezone, state.chosen, chooseSlot, t('noSlots'));
  renderChosen();
}

function placeText(loc) {
  return isTelehealth(loc) ? t('telehealth') : `${loc.name}, ${addressLine(loc.address)}`;
}

function renderChosen() {
  const loc = currentLocation();
  const slot = state.chosen;
  if (!slot || !loc) return;
  $('chosen-slot').textContent = [fmtWhen(slot.start, loc.timezone), providerName(slot.provider_id),
    (currentService() || {}).name, placeText(loc)].filter(Boolean).join(' · ');
}

function chooseSlot(slot) {
  state.chosen = slot;
  renderSlots();
  const loc = currentLocation();
  const suggested = isTelehealth(loc) ? $('visit-state').value : (loc.address && loc.address.state) || '';
  const field = $('patient-state');
  if (!field.value || field.value === state.prefilledState) field.value = suggested;
  state.prefilledState = suggested;
  formMessage(null);
  show('details-section', true);
  focusOn('details-heading');
}
