/* A same-day companion visit: a medication check with a therapy visit, or a therapy session with a
 * medication visit. The options (GET /availability/combined) pair two free times at one place on one
 * day, with two clinicians and a short gap, each part naming its service (service_id); the patient
 * picks one and both are booked together (POST /visits), or neither.
 */

import { call, ROUTES } from './book-api.js';
import { currentService, state } from './book-state.js';
import { dayKey, fmtDay, fmtTime, localName, providerName, t } from './book-format.js';
import { $, el, show } from './book-dom.js';

const PARTNER_ROLE = { therapist: 'prescriber', prescriber: 'therapist' };

const serviceOf = (id) => state.services.find((s) => s.id === id) || null;

// The services that can join this one the same day: the other role's, offered in the same way
// (in person or telehealth), shortest first (a medication check is a follow-up, not an evaluation).
export function companionServices(service, location) {
  const role = service && PARTNER_ROLE[service.provider_role];
  if (!role) return [];
  const modality = location && (location.modalities || []).includes('in_person') ? 'in_person' : 'telehealth';
  return state.services.filter((s) => s.provider_role === role && !s.requires_confirmation
    && (s.modalities || []).includes(modality)).sort((a, b) => a.duration_minutes - b.duration_minutes);
}

export function renderCompanion(location) {
  const service = currentService();
  const choices = location ? companionServices(service, location) : [];
  if (!choices.some((s) => s.id === state.companionId)) state.companionId = '';
  show('companion-fieldset', choices.length > 0);
  if (!choices.length) return;
  $('companion-add-label').textContent = t(service.provider_role === 'therapist' ? 'addMedication' : 'addTherapy');
  $('companion-add').checked = Boolean(state.companionId);
  show('companion-field', Boolean(state.companionId));
  const select = $('companion-service');
  const picked = state.companionId || choices[0].id;
  select.replaceChildren(...choices.map((s) => el('option', { value: s.id, selected: s.id === picked },
    `${localName(s)} (${t('minutes', { n: s.duration_minutes })})`)));
}

// A week's same-day pairs, as book-slot-list.js's loadWeek asks a week's times.
export const pairedTimes = (params) => ({
  ask: (from, to) => call('GET', ROUTES.combined({ ...params, service_id: '', service_ids: `${state.serviceId},${state.companionId}`,
    from, to })),
  items: (data) => data.options || [], start: (option) => option.parts[0].start,
});

const sameOption = (a, b) => Boolean(a && b) && a.parts.every((p, i) => p.start === b.parts[i].start
  && p.provider_id === b.parts[i].provider_id);

export function gapMinutes(option) {
  return Math.round((new Date(option.parts[1].start) - new Date(option.parts[0].end)) / 60000);
}

export function partText(part, zone) {
  return `${fmtTime(part.start, zone)}–${fmtTime(part.end, zone)} ${localName(serviceOf(part.service_id))}, `
    + `${t('withName', { name: providerName(part.provider_id) })}`;
}

export function gapText(option) {
  const gap = gapMinutes(option);
  return gap ? t('gapMinutes', { n: gap }) : t('gapNone');
}

export function optionSummary(option, zone) {
  const [first, second] = option.parts;
  return `${fmtDay(dayKey(new Date(first.start), zone))}: ${partText(first, zone)}; ${t('then')} ${partText(second, zone)} (${gapText(option)})`;
}

export function optionList(container, options, zone, onChoose, emptyText) {
  if (!options.length) { container.replaceChildren(el('p', null, emptyText || t('noOptions'))); return; }
  const days = new Map();
  for (const option of options) {
    const key = dayKey(new Date(option.parts[0].start), zone);
    if (!days.has(key)) days.set(key, []);
    days.get(key).push(option);
  }
  let first = true;
  container.replaceChildren(...[...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, dayOptions]) => {
    const open = first || dayOptions.some((o) => sameOption(o, state.chosenOption));
    first = false;
    const count = dayOptions.length === 1 ? t('optionsOne') : t('optionsMany', { n: dayOptions.length });
    return el('details', { class: 'day', open },
      el('summary', null, `${fmtDay(key)} `, el('span', { class: 'count' }, `(${count})`)),
      el('ul', { class: 'option-list' }, ...dayOptions.map((option) => el('li', null,
        el('button', { type: 'button', class: 'slot combo', 'aria-pressed': String(sameOption(option, state.chosenOption)),
          onclick: () => onChoose(option) },  // named by its content (no aria-label that differs from what is seen)
        el('span', { class: 'sr-only' }, `${fmtDay(key)}: `),
        ...option.parts.map((part) => el('span', { class: 'part' }, el('span', { class: 'time' }, fmtTime(part.start, zone)),
          ' ', el('span', { class: 'who' }, `${localName(serviceOf(part.service_id))} · ${providerName(part.provider_id)}`), el('span', { class: 'sr-only' }, '; '))),
        el('span', { class: 'gap' }, gapText(option)))))));
  }));
}

export function visitParts(option) {
  return option.parts.map((part) => ({ service_id: part.service_id, provider_id: part.provider_id, start: part.start }));
}
