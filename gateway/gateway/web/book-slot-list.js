/* Open times: fetched for the next DAYS_AHEAD days (from today in the clinic's zone) and listed by day.
 * Shared by step 2 of booking and by rescheduling from the manage link.
 */

import { call, ROUTES } from './book-api.js';
import { addDays, dayKey, fmtDay, fmtTime, providerName, t } from './book-format.js';
import { el } from './book-dom.js';

const DAYS_AHEAD = 14;

export const sameSlot = (a, b) => Boolean(a && b) && a.start === b.start && a.provider_id === b.provider_id;

export async function fetchSlots(params, zone) {
  const from = dayKey(new Date(), zone);
  return call('GET', ROUTES.availability({ ...params, from, to: addDays(from, DAYS_AHEAD - 1) }));
}

export function slotList(container, slots, zone, chosen, onChoose, emptyText) {
  if (!slots.length) { container.replaceChildren(el('p', null, emptyText)); return; }
  const days = new Map();
  for (const slot of slots) {
    const key = dayKey(new Date(slot.start), zone);
    if (!days.has(key)) days.set(key, []);
    days.get(key).push(slot);
  }
  let first = true;
  container.replaceChildren(...[...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, daySlots]) => {
    const open = first || daySlots.some((s) => sameSlot(s, chosen));
    first = false;
    const day = fmtDay(key);
    const count = daySlots.length === 1 ? t('timesOne') : t('timesMany', { n: daySlots.length });
    return el('details', { class: 'day', open },
      el('summary', null, `${day} `, el('span', { class: 'count' }, `(${count})`)),
      el('ul', { class: 'slot-list' }, ...daySlots.map((slot) => {
        const time = fmtTime(slot.start, zone);
        const who = providerName(slot.provider_id);
        return el('li', null, el('button', { type: 'button', class: 'slot', 'aria-pressed': String(sameSlot(slot, chosen)),
          'aria-label': `${day}, ${time}, ${who}`, onclick: () => onChoose(slot) },
        el('span', { class: 'time' }, time), el('span', { class: 'who' }, who)));
      })));
  }));
}
