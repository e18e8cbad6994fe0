// Each clinician's weekly schedule at the clinic, and a simple edit of it: per weekday, intervals written as
// 09:00-12:00, 13:00-17:00. Saving patches the provider's `schedules` (every clinic's, this one changed); the
// answer says how many booked visits the change disrupted (locations asks bookings, as for a closure).
import { call } from './staff-api.js';
import { el, say } from './staff-dom.js';
import { WEEKDAYS, listed, problemText } from './staff-hours.js';
import { t } from './staff-strings.js';

const INTERVAL = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

export function drawSchedules(section, place, providers, redraw) {
  const working = providers.filter((p) => p.schedules?.[place.id]);
  const head = el('tr', {}, el('th', { scope: 'col', text: t('provider') }),
    ...WEEKDAYS.map((day) => el('th', { scope: 'col', text: t(`day_${day}`) })), el('th', { scope: 'col', text: t('actions') }));
  section.replaceChildren(el('h2', { id: 'schedules-title', text: t('schedulesTitle') }),
    working.length ? el('div', { class: 'scroll' }, el('table', { 'aria-labelledby': 'schedules-title' },
      el('thead', {}, head),
      el('tbody', {}, ...working.map((p) => row(section, place, p, redraw)))))
      : el('p', { class: 'hint', text: t('noProviders') }),
    el('div', { id: 'schedule-editor' }));
}

function row(section, place, provider, redraw) {
  const week = provider.schedules[place.id] || {};
  return el('tr', { 'data-provider': provider.id }, el('th', { scope: 'row', text: provider.name }),
    ...WEEKDAYS.map((day) => el('td', { text: listed(week[day]) || '—' })),
    el('td', {}, el('button', { type: 'button', class: 'plain', 'aria-label': t('editScheduleFor', { name: provider.name }),
      onclick: () => edit(section, place, provider, redraw) }, t('editSchedule'))));
}

function parse(text) {
  const parts = text.split(',').map((part) => part.replace(/\s+/g, '')).filter(Boolean);
  if (!parts.every((part) => INTERVAL.test(part))) return null;
  return parts.map((part) => ({ open: part.slice(0, 5), close: part.slice(6) }));
}

function edit(section, place, provider, redraw) {
  const week = provider.schedules[place.id] || {};
  const inputs = WEEKDAYS.map((day) => el('input', { id: `sched-${day}`, type: 'text', value: listed(week[day]).replaceAll('–', '-'),
    'aria-describedby': 'sched-hint' }));
  const form = el('form', { method: 'post', id: 'schedule-form', 'aria-labelledby': 'schedule-form-title' },
    el('h3', { id: 'schedule-form-title', tabindex: '-1', text: t('editScheduleFor', { name: provider.name }) }),
    el('p', { id: 'sched-hint', class: 'hint', text: t('scheduleHint') }),
    el('div', { class: 'filters' }, ...WEEKDAYS.map((day, i) => el('div', { class: 'field' },
      el('label', { for: `sched-${day}`, text: t(`day_${day}`) }), inputs[i]))),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, t('saveSchedule')),
      el('button', { type: 'button', class: 'plain', onclick: () => form.remove() }, t('cancelEdit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const parsed = inputs.map((input) => parse(input.value));
    const bad = parsed.findIndex((intervals) => intervals === null);
    if (bad >= 0) {
      say(t('badTimes'), { error: true });
      inputs[bad].focus();
      return;
    }
    const here = Object.fromEntries(WEEKDAYS.map((day, i) => [day, parsed[i]]));
    try {
      const answer = (await call('PATCH', `/staff/api/providers/${encodeURIComponent(provider.id)}`,
        { body: { schedules: { ...provider.schedules, [place.id]: here } } })).data;
      await redraw(null);
      say(t('scheduleSaved', { name: provider.name, count: answer.disrupted_bookings ?? '?' }));
    } catch (error) {
      say(problemText(error), { error: true });
    }
  });
  section.querySelector('#schedule-editor').replaceChildren(form);
  form.querySelector('h3').focus();
}
