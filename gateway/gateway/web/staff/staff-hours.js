// Hours: per clinic, its weekly hours, its closures and special hours ahead (list, add after seeing which
// booked visits the change would disrupt, delete: staff-hours-closures.js) and its clinicians' weekly
// schedules there (staff-hours-schedules.js), all through locations' staff routes.
import { explain, get } from './staff-api.js';
import { $, el, say, screenSection, show } from './staff-dom.js';
import { drawClosures } from './staff-hours-closures.js';
import { drawSchedules } from './staff-hours-schedules.js';
import { TEXTS } from './staff-hours-strings.js';
import { addStrings, t } from './staff-strings.js';

addStrings(TEXTS);

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const listed = (intervals) => (intervals || []).map((i) => `${i.open}–${i.close}`).join(', ');

let locations = [];
let listening = false; // the language buttons: this screen's texts are drawn, so draw it again

export async function open(param) {
  screenSection('hours', 'hoursTitle', t);
  if (!listening) {
    listening = true;
    document.querySelectorAll('.lang').forEach((b) => b.addEventListener('click', () => {
      if (!$('hours').hidden) open($('hours-clinic')?.value);
    }));
  }
  show('hours');
  const body = $('hours-body');
  try {
    locations = (await get('/staff/api/locations')).data.locations;
  } catch (error) {
    if (error.status !== 401) body.replaceChildren(el('p', { class: 'notice', role: 'alert', text: explain(error) }));
    return;
  }
  const chosen = locations.find((l) => l.id === param) || locations[0];
  const select = el('select', { id: 'hours-clinic', onchange: () => { location.hash = `hours=${select.value}`; } },
    ...locations.map((l) => el('option', { value: l.id, text: l.name, selected: l.id === chosen?.id })));
  body.replaceChildren(el('div', { class: 'filters' }, el('div', { class: 'field' },
    el('label', { for: 'hours-clinic', text: t('clinic') }), select)),
  el('div', { id: 'hours-clinic-body' }));
  $('hours-title').focus();
  if (chosen) await drawClinic(chosen.id);
}

// The chosen clinic afresh (after any change: its closures and the schedules come from locations again).
export async function drawClinic(id, outcome = null) {
  let place;
  try {
    place = (await get(`/staff/api/locations/${encodeURIComponent(id)}`)).data;
  } catch (error) {
    say(explain(error), { error: true });
    return;
  }
  const weekly = el('section', { class: 'card', 'aria-labelledby': 'weekly-title' },
    el('h2', { id: 'weekly-title', text: t('weeklyHours') }),
    el('p', { class: 'hint', text: t('timesIn', { zone: place.timezone }) }),
    el('dl', { class: 'facts' }, ...WEEKDAYS.flatMap((day) => [el('dt', { text: t(`day_${day}`) }),
      el('dd', { text: listed(place.hours?.[day]) || t('closedDay') })])));
  // Each section is made with the heading that names it: its contents (which bring the heading again) come
  // after locations answers, and a section named by a heading not there yet is no region at all.
  const closures = el('section', { class: 'card', id: 'closures', 'aria-labelledby': 'closures-title' },
    el('h2', { id: 'closures-title', text: t('closuresTitle') }), el('p', { class: 'hint', text: t('loading') }));
  const schedules = el('section', { class: 'card', id: 'schedules', 'aria-labelledby': 'schedules-title' },
    el('h2', { id: 'schedules-title', text: t('schedulesTitle') }), el('p', { class: 'hint', text: t('loading') }));
  $('hours-clinic-body').replaceChildren(weekly, closures, schedules);
  const providers = await get(`/staff/api/providers?location_id=${encodeURIComponent(id)}`)
    .then((answer) => answer.data.providers).catch(() => []);
  await drawClosures(closures, place, providers, (done) => drawClinic(id, done), outcome);
  drawSchedules(schedules, place, providers, () => drawClinic(id));
}

// A problem in plain words, with the service's field errors (which day, which interval) when it names them.
export function problemText(error) {
  const errors = error.problem?.errors;
  const flat = [];
  const walk = (value) => {
    if (typeof value === 'string') flat.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(errors);
  return flat.length ? `${explain(error)} ${flat.join(' ')}` : explain(error);
}
