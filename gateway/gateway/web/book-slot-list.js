/* Open times, a week at a time across the whole booking horizon, listed by day. Shared by step 2 of
 * booking and by rescheduling from the manage link.
 *
 * A week is seven days from its first day (today for the first one); Previous and Next move by seven
 * days, never before today nor past the last bookable day (today + the horizon GET /bookings/policy
 * reports), and a date field jumps to the week starting on any day in between. When the week asked for
 * is empty, the rest of the horizon is searched (in the 31-day pieces availability answers) and the page
 * moves to the first week with a time, saying so. Each time button's accessible name is its content (a
 * visually hidden day, the time, who): an aria-label that differs from what is seen fails people who
 * speak to their browser ("click 9:00 AM").
 */

import { call, ROUTES } from './book-api.js';
import { state } from './book-state.js';
import { addDays, dayKey, fmtDay, fmtShortDay, providerName, t, timeParts } from './book-format.js';
import { $, el } from './book-dom.js';

const WEEK = 7;
const PIECE = 31;  // the most days one availability answer covers
const DEFAULT_HORIZON_DAYS = 90;

export const sameSlot = (a, b) => Boolean(a && b) && a.start === b.start && a.provider_id === b.provider_id;

export const today = (zone) => dayKey(new Date(), zone);

// The last day a time may be booked on: today + the horizon (the API refuses beyond it).
export function lastDay(zone) {
  const days = Math.floor(Number(state.horizonDays) || DEFAULT_HORIZON_DAYS);
  return addDays(today(zone), days);
}

// A week's first day, kept inside [today, lastDay].
export function clampWeek(first, zone) {
  const low = today(zone);
  const high = lastDay(zone);
  return first < low ? low : first > high ? high : first;
}

export function weekEnd(first, zone) {
  const end = addDays(first, WEEK - 1);
  const high = lastDay(zone);
  return end > high ? high : end;
}

// What a week lists and how it is asked: a visit's open times (GET /availability), or a same-day pair's
// options (book-combined.js). ask(from, to) → the API's answer; items(data) → the list; start(item) → its ISO start.
export const openTimes = (params) => ({
  ask: (from, to) => call('GET', ROUTES.availability({ ...params, from, to })), items: (data) => data.slots || [],
  start: (slot) => slot.start,
});

// The first day with something open after `after`, up to the horizon; null when there is none (or on trouble).
export async function nextOpenDay(source, zone, after) {
  const high = lastDay(zone);
  for (let from = addDays(after, 1); from <= high; from = addDays(from, PIECE)) {
    const to = addDays(from, PIECE - 1) > high ? high : addDays(from, PIECE - 1);
    const response = await source.ask(from, to);
    if (response.status !== 200) return null;
    const items = source.items(response.data || {});
    if (items.length) return dayKey(new Date(source.start(items[0])), zone);
  }
  return null;
}

// One week's list: {response, items, first, jumped}; an empty week moves on to the first week with one.
export async function loadWeek(source, zone, first, searchAhead) {
  let start = clampWeek(first, zone);
  let response = await source.ask(start, weekEnd(start, zone));
  const listed = () => (response.status === 200 ? source.items(response.data || {}) : []);
  if (response.status !== 200 || listed().length || !searchAhead) return { response, items: listed(), first: start, jumped: false };
  const open = await nextOpenDay(source, zone, weekEnd(start, zone));
  if (!open) return { response, items: [], first: start, jumped: false };
  start = open;
  response = await source.ask(start, weekEnd(start, zone));
  return { response, items: listed(), first: start, jumped: true };
}

// The week's navigation: label, Previous / Next (aria-disabled at the ends, so focus stays on them) and
// the date field's bounds. ids: {prev, next, label, date}.
export function renderWeekNav(ids, first, zone) {
  const low = today(zone);
  const high = lastDay(zone);
  $(ids.label).textContent = t('weekOf', { from: fmtShortDay(first), to: fmtShortDay(weekEnd(first, zone)) });
  $(ids.prev).setAttribute('aria-disabled', String(first <= low));
  $(ids.next).setAttribute('aria-disabled', String(addDays(first, WEEK) > high));
  $(ids.date).min = low;
  $(ids.date).max = high;
  $(ids.date).value = first;
}

// Wires Previous / Next / the date field to go(first day of the week to show).
export function bindWeekNav(ids, currentFirst, go) {
  const move = (days) => (event) => {
    if (event.currentTarget.getAttribute('aria-disabled') === 'true') return;
    go(addDays(currentFirst(), days));
  };
  $(ids.prev).addEventListener('click', move(-WEEK));
  $(ids.next).addEventListener('click', move(WEEK));
  $(ids.date).addEventListener('change', () => { if ($(ids.date).value) go($(ids.date).value); });
}

// Providers by id, for the names beside each time (the manage view does not load the catalog otherwise).
export async function ensureProviders() {
  if (Object.keys(state.providers).length) return;
  const response = await call('GET', ROUTES.providers());
  for (const p of (response.status === 200 && response.data.providers) || []) state.providers[p.id] = p;
}

// The time as the patient reads it, and the clinic's beside it (smaller) when their zones differ.
function timeSpans(iso, zone, patientZone) {
  const [main, clinic] = timeParts(iso, zone, patientZone);
  return [el('span', { class: 'time' }, main), clinic ? el('span', { class: 'clinic-time' }, ` ${clinic}`) : null];
}

export function slotList(container, slots, zone, chosen, onChoose, emptyText, patientZone) {
  if (!slots.length) { container.replaceChildren(el('p', null, emptyText)); return; }
  const days = new Map();
  for (const slot of slots) {
    const key = dayKey(new Date(slot.start), zone);
    if (!days.has(key)) days.set(key, []);
    days.get(key).push(slot);
  }
  container.replaceChildren(...[...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, daySlots]) => {
    const day = fmtDay(key);
    const count = daySlots.length === 1 ? t('timesOne') : t('timesMany', { n: daySlots.length });
    return el('details', { class: 'day', open: true },
      el('summary', null, `${day} `, el('span', { class: 'count' }, `(${count})`)),
      el('ul', { class: 'slot-list' }, ...daySlots.map((slot) => el('li', null,
        el('button', { type: 'button', class: 'slot', 'aria-pressed': String(sameSlot(slot, chosen)), onclick: () => onChoose(slot) },
          el('span', { class: 'sr-only' }, `${day}, `),
          ...timeSpans(slot.start, zone, patientZone),
          el('span', { class: 'sr-only' }, ', '),
          el('span', { class: 'who' }, providerName(slot.provider_id)))))));
  }));
}
