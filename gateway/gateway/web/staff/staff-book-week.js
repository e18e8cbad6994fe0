// Free times a week at a time, from today to the end of the horizon, grouped by the clinic's day: Previous /
// Next (aria-disabled at the ends, so focus stays), and a new search whose first week is empty looks ahead
// and says so. Used for a new booking and for moving a visit. Each time is a button named by its content
// (a visually hidden day, the clinic's time, the caller's beside it, the clinician).
import { explain } from './staff-api.js';
import { el } from './staff-dom.js';
import { t } from './staff-strings.js';
import { addDays, dayName, zoneName } from './staff-time.js';
import { firstDay, lastDay, twoClocks } from './staff-book-data.js';

const WEEK = 7;

// One time as a button shows it: the clinic's clock (bold), the caller's beneath when it differs, then who;
// a hidden comma keeps the accessible name readable where lines break.
export function timeParts(iso, zone, theirZone, who) {
  const { clinic, caller } = twoClocks(iso, zone, theirZone);
  return [el('span', { class: 'clinic-time', text: clinic }), caller ? el('span', { class: 'caller-time', text: ` ${caller}` }) : null,
    el('span', { class: 'who' }, el('span', { class: 'visually-hidden', text: ', ' }), who)];
}
const PIECE = 28; // availability answers up to a month per ask

// source: { ask(from, to) → items, start(item), describe(item) → [text nodes], zone, theirZone }
export function weekPicker(prefix, source, onPick) {
  const state = { first: '', items: [] };
  const prev = el('button', { type: 'button', class: 'plain', id: `${prefix}-prev`, 'data-i18n': 'prevWeek', text: t('prevWeek') });
  const next = el('button', { type: 'button', class: 'plain', id: `${prefix}-next`, 'data-i18n': 'nextWeek', text: t('nextWeek') });
  const label = el('p', { class: 'week-label', id: `${prefix}-label` });
  const zones = el('p', { class: 'hint', id: `${prefix}-zones` });
  const note = el('p', { class: 'notice', id: `${prefix}-note`, tabindex: '-1', hidden: true });
  const days = el('div', { id: `${prefix}-days`, class: 'week-days' });
  const root = el('div', { class: 'week', id: prefix }, el('div', { class: 'week-nav' }, prev, label, next), zones, note, days);

  const end = (first) => (addDays(first, WEEK - 1) > lastDay(source.zone) ? lastDay(source.zone) : addDays(first, WEEK - 1));
  const move = (days) => (event) => {
    if (event.currentTarget.getAttribute('aria-disabled') === 'true') return;
    load(addDays(state.first, days), false);
  };
  prev.addEventListener('click', move(-WEEK));
  next.addEventListener('click', move(WEEK));

  function say(text) {
    note.textContent = text || '';
    note.hidden = !text;
  }

  async function firstOpen(after) {
    for (let from = addDays(after, 1); from <= lastDay(source.zone); from = addDays(from, PIECE)) {
      const to = addDays(from, PIECE - 1) > lastDay(source.zone) ? lastDay(source.zone) : addDays(from, PIECE - 1);
      const items = await source.ask(from, to);
      if (items.length) return source.start(items[0]).slice(0, 10);
    }
    return '';
  }

  async function load(first, searchAhead, message = '') {
    state.first = first < firstDay(source.zone) ? firstDay(source.zone) : first;
    days.replaceChildren(el('p', { class: 'hint', text: t('loading') }));
    say(message);
    try {
      state.items = await source.ask(state.first, end(state.first));
      if (!state.items.length && searchAhead) {
        const open = await firstOpen(end(state.first));
        if (open) {
          state.first = open;
          state.items = await source.ask(open, end(open));
          say([message, t('jumped')].filter(Boolean).join(' '));
        } else {
          say([message, t('noneInHorizon')].filter(Boolean).join(' '));
        }
      }
    } catch (error) {
      state.items = [];
      say(explain(error));
    }
    draw();
  }

  function draw() {
    label.textContent = t('weekOf', { from: dayName(state.first), to: dayName(end(state.first)) });
    prev.setAttribute('aria-disabled', String(state.first <= firstDay(source.zone)));
    next.setAttribute('aria-disabled', String(addDays(state.first, WEEK) > lastDay(source.zone)));
    zones.textContent = source.theirZone && source.theirZone !== source.zone
      ? t('zonesBoth', { clinic: zoneName(source.zone), caller: zoneName(source.theirZone) })
      : t('zonesClinic', { clinic: zoneName(source.zone) });
    const byDay = new Map();
    for (const item of state.items) {
      const day = source.start(item).slice(0, 10); // the API's times carry the clinic's offset: its date is theirs
      byDay.set(day, [...(byDay.get(day) || []), item]);
    }
    if (!byDay.size) {
      days.replaceChildren(el('p', { class: 'hint', text: t('noneThisWeek') }));
      return;
    }
    days.replaceChildren(...[...byDay].map(([day, items]) => el('section', { class: 'week-day', 'aria-label': dayName(day) },
      el('h3', { text: dayName(day) }),
      el('ul', { class: 'times' }, ...items.map((item) => el('li', {}, el('button', {
        type: 'button', class: 'time', 'aria-pressed': 'false',
        onclick: (event) => {
          days.querySelectorAll('button.time').forEach((b) => b.setAttribute('aria-pressed', 'false'));
          event.currentTarget.setAttribute('aria-pressed', 'true');
          onPick(item);
        },
      }, el('span', { class: 'visually-hidden', text: `${dayName(day)}, ` }), ...source.describe(item))))))));
  }

  return { root, load, say, redraw: draw, reload: (message) => load(state.first, false, message), first: () => state.first };
}
