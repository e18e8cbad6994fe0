/* Step 1: the visit type, in person or telehealth (then the state the patient will be in, as clinicians
 * must be licensed there, and, for a state with several time zones, which one) and an optional clinician
 * language; then the search for open times. Names come in the page's language where the catalog has them.
 */

import { call, ROUTES } from './book-api.js';
import { currentLocation, currentService, isTelehealth, state } from './book-state.js';
import { addressLine, localName, t } from './book-format.js';
import { $, el, focusOn, setBusy, show } from './book-dom.js';
import { clearError, messageText, say, setError, trouble } from './book-messages.js';
import { listWeek, renderSlots } from './book-step-time.js';
import { patientZone, zoneLabel, zonesOf } from './book-zones.js';
import { renderCompanion } from './book-combined.js';
import { forgetChoice } from './book-hold.js';

const VISIT_FIELDS = {
  service: [null, 'err-service', 'chooseService'], location: [null, 'err-location', 'chooseLocation'],
  visitState: ['visit-state', 'err-visit-state', 'chooseVisitState'],
};

export async function loadCatalog() {
  const [services, locations, providers] = await Promise.all([
    call('GET', ROUTES.services()), call('GET', ROUTES.locations()), call('GET', ROUTES.providers())]);
  if (services.status !== 200 || locations.status !== 200) {
    const box = $('service-options');
    box.replaceChildren(el('p', { class: 'form-error' }, messageText({ key: 'loadFailed', response: services.status !== 200 ? services : locations })),
      el('button', { type: 'button', onclick: () => { box.replaceChildren(el('p', { class: 'help' }, t('loading'))); loadCatalog(); } }, t('retry')));
    return;
  }
  state.services = (services.data.services || []).filter((s) => s.active !== false);
  state.locations = (locations.data.locations || []).filter((l) => l.active !== false);
  // Names only: without them a slot still shows, with "a clinician".
  for (const p of (providers.status === 200 && providers.data.providers) || []) state.providers[p.id] = p;
  state.catalogLoaded = true;
  renderServices();
}

function option(name, value, checked, title, sub, onchange) {
  return el('label', { class: 'option' },
    el('input', { type: 'radio', name, value, checked, onchange }),
    el('span', null, el('span', { class: 'name' }, title), ...sub.filter(Boolean).map((s) => el('span', { class: 'sub-text' }, s))));
}

export function renderServices() {
  if (!state.catalogLoaded) return;
  const box = $('service-options');
  if (!state.services.length) { box.replaceChildren(el('p', null, t('noServices'))); return; }
  box.replaceChildren(...state.services.map((s) => option('service', s.id, s.id === state.serviceId, localName(s),
    [t('minutes', { n: s.duration_minutes }), s.requires_confirmation ? t('needsConfirmation') : null],
    () => { state.serviceId = s.id; clearVisitError('service'); visitChanged(); renderLocations(); })));
  renderLocations();
}

function locationsFor(service) {
  const offered = service.modalities || [];
  const fits = (loc) => (isTelehealth(loc) ? offered.includes('telehealth')
    : offered.includes('in_person') && (loc.modalities || []).includes('in_person'));
  return state.locations.filter(fits).sort((a, b) => Number(isTelehealth(a)) - Number(isTelehealth(b)));
}

function renderLocations() {
  const service = currentService();
  show('location-fieldset', Boolean(service));
  show('clinician-language-field', Boolean(service));
  if (!service) return;
  const places = locationsFor(service);
  if (!places.some((l) => l.id === state.locationId)) state.locationId = null;
  const virtualCount = places.filter(isTelehealth).length;
  $('location-options').replaceChildren(...places.map((loc) => {
    const virtual = isTelehealth(loc);
    const title = virtual ? (virtualCount > 1 ? `${t('telehealth')}: ${localName(loc)}` : t('telehealth')) : localName(loc);
    const sub = virtual ? [t('telehealthSub')] : [t('inPerson'), addressLine(loc.address)];
    return option('location', loc.id, loc.id === state.locationId, title, sub,
      () => { state.locationId = loc.id; clearVisitError('location'); visitChanged(); showTelehealthFields(); });
  }));
  showTelehealthFields();
}

// The "add a visit the same day" choice, for the visit type and place chosen (none until both are).
export function companionChanged() {
  state.companionId = $('companion-add').checked ? $('companion-service').value : '';
  visitChanged();
  renderCompanion(currentLocation());
}

function showTelehealthFields() {
  const loc = currentLocation();
  show('telehealth-fields', Boolean(loc && isTelehealth(loc)));
  renderCompanion(loc);
  renderZones();
}

// The zone select, for a telehealth state with several zones; the patient's zone kept in state.
export function renderZones() {
  const loc = currentLocation();
  const where = loc && isTelehealth(loc) ? $('visit-state').value : '';
  const zones = zonesOf(where);
  const select = $('visit-zone');
  const chosen = zones.includes(select.value) ? select.value : '';
  show('visit-zone-field', zones.length > 1);
  select.replaceChildren(el('option', { value: '' }, t('zoneChoose')),
    ...zones.map((zone) => el('option', { value: zone }, zoneLabel(zone, where))));
  select.value = chosen;
  state.patientZone = where ? patientZone(where, chosen) : null;
}

// The zone the patient chose, for the booking's patient.timezone (only asked where a state has several).
export function chosenZone() {
  const loc = currentLocation();
  return loc && isTelehealth(loc) && zonesOf($('visit-state').value).length > 1 ? $('visit-zone').value || null : null;
}

export function visitChanged() {
  // A new choice makes the listed times stale: hide them until asked again. The radios are not
  // rebuilt here: that would take the keyboard focus away from the one just chosen.
  state.slots = null;
  state.chosen = null;
  state.options = null;
  state.chosenOption = null;
  forgetChoice();
  show('slots-section', false);
  show('details-section', false);
  show('waitlist-section', false);
  show('request-section', false);
  show('waitlist-offer', false);
}

// A choice made: its error goes, and so does the status line that asked for it (else "Choose a visit
// type." stays on screen after the patient chose one).
export function clearVisitError(name) {
  if (!state.errors[name]) return;
  clearError(VISIT_FIELDS, name);
  if (state.status && state.status.key === VISIT_FIELDS[name][2]) say(null);
}

function validateVisit() {
  const missing = [];
  if (!currentService()) missing.push('service');
  else if (!currentLocation()) missing.push('location');
  else if (isTelehealth(currentLocation()) && !$('visit-state').value) missing.push('visitState');
  for (const name of missing) setError(VISIT_FIELDS, name, null);
  if (missing.length) {
    const [inputId, errorId, key] = VISIT_FIELDS[missing[0]];
    say(key, { error: true });
    const target = inputId ? $(inputId) : $(errorId).closest('fieldset').querySelector('input');
    if (target) target.focus();
  }
  return !missing.length;
}

function availabilityParams() {
  const loc = currentLocation();
  return { service_id: state.serviceId, location_id: loc.id, language: $('clinician-language').value,
    patient_state: isTelehealth(loc) ? $('visit-state').value : '' };
}

// A new search (the button) lists the first week with a time; `first` (the week's navigation, a time
// just taken, a hold run out) lists the week starting that day as it is now.
export async function findTimes(event, first) {
  if (event) event.preventDefault();
  if (!validateVisit()) return false;
  const button = $('find-times');
  setBusy(button, true);
  say('searching');
  const combined = Boolean(state.companionId);
  const response = await listWeek(availabilityParams(), first, !first);
  setBusy(button, false);
  if (response.status !== 200) { say(trouble(response), { error: true, response }); return false; }
  show('slots-section', true);
  show('details-section', Boolean(combined ? state.chosenOption : state.chosen));
  renderSlots();
  if (event) focusOn('slots-heading');
  return true;
}
