// "Today and the week": the visits of one clinic (all its clinicians or one) for a day or a week, on the
// clinic's clock, each with its status and the front desk's actions. Kept fresh by short polling with the
// answer's ETag (README: Staff app): an unchanged schedule costs a 304 and no redraw.
import { changedList, get } from './staff-api.js';
import { $, el, say } from './staff-dom.js';
import { current } from './staff-session.js';
import { t } from './staff-strings.js';
import { addDays, clinicDate, dayName, todayIn, viewRange, zoneName } from './staff-time.js';
import { visitRow } from './staff-rows.js';

const POLL_MS = 20000;
const state = { locations: [], providers: [], location: '', provider: '', day: '', view: 'day', bookings: [] };
let pollTimer = 0;

const zone = () => state.locations.find((l) => l.id === state.location)?.timezone || 'UTC';
const path = () => {
  const { from, to } = viewRange(state.view, state.day);
  const query = new URLSearchParams({ location_id: state.location, from, to, limit: '500' });
  if (state.provider) query.set('provider_id', state.provider);
  return `/staff/api/bookings?${query}`;
};

export async function startSchedule() {
  const [locations, providers] = await Promise.all([get('/staff/api/locations'), get('/staff/api/providers')]);
  state.locations = locations.data.locations;
  state.providers = providers.data.providers;
  state.location = state.location || state.locations[0]?.id || '';
  state.day = state.day || todayIn(zone());
  fillFilters();
  await refresh();
  clearInterval(pollTimer);
  pollTimer = setInterval(() => { if (!document.hidden && !$('schedule').hidden) refresh({ background: true }); }, POLL_MS);
}

export function stopSchedule() { clearInterval(pollTimer); }

function fillFilters() {
  const me = current();
  const location = $('f-location');
  location.replaceChildren(...state.locations.map((l) => el('option', { value: l.id, text: l.name })));
  location.value = state.location;
  const provider = $('f-provider');
  if (me.role === 'clinician') {
    const mine = state.providers.find((p) => p.id === me.provider_id);
    provider.replaceChildren(el('option', { value: me.provider_id, text: mine?.name || me.name }));
    state.provider = me.provider_id; // the API shows a clinician their own visits whatever is asked
  } else {
    const here = state.providers.filter((p) => !p.schedules || state.location in p.schedules);
    provider.replaceChildren(el('option', { value: '', text: t('allProviders') }),
      ...here.map((p) => el('option', { value: p.id, text: p.name })));
    if (!here.some((p) => p.id === state.provider)) state.provider = '';
  }
  provider.value = state.provider;
  $('f-date').value = state.day;
}

export async function refresh({ background = false } = {}) {
  const data = await changedList(path(), { background, drawn: $('days').childElementCount > 0, say,
    words: (error) => error.message });
  if (!data) return;
  state.bookings = data.bookings;
  render();
}

function render() {
  const focused = document.activeElement?.dataset?.key;
  const { days } = viewRange(state.view, state.day);
  $('zone-note').textContent = t('timesIn', { zone: zoneName(zone()) });
  $('days').replaceChildren(...days.map((day) => dayBlock(day)));
  if (focused) document.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

function dayBlock(day) {
  const visits = state.bookings.filter((b) => clinicDate(b) === day);
  const id = `day-${day}`;
  const count = visits.length === 1 ? t('oneVisit') : t('visitsOn', { count: visits.length });
  const heading = el('h2', { id }, `${dayName(day)} `, el('span', { class: 'count', text: `(${count})` }));
  if (!visits.length) return el('section', { class: 'day', 'aria-labelledby': id }, heading, el('p', { class: 'hint', text: t('noVisits') }));
  const head = el('tr', {}, ...['when', 'patient', 'visitType', 'provider', 'status', 'actions']
    .map((key) => el('th', { scope: 'col', text: t(key) })));
  const table = el('table', { 'aria-labelledby': id }, el('thead', {}, head),
    el('tbody', {}, ...visits.map((b) => visitRow(b, zone(), day === todayIn(zone()), refresh))));
  return el('section', { class: 'day', 'aria-labelledby': id }, heading, el('div', { class: 'scroll' }, table));
}

export function bindFilters() {
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('f-location').addEventListener('change', (e) => { state.location = e.target.value; fillFilters(); refresh(); });
  $('f-provider').addEventListener('change', (e) => { state.provider = e.target.value; refresh(); });
  $('f-date').addEventListener('change', (e) => { if (e.target.value) { state.day = e.target.value; refresh(); } });
  document.querySelectorAll('input[name="view"]').forEach((radio) => radio.addEventListener('change', () => {
    state.view = radio.value; refresh();
  }));
  const step = (sign) => { state.day = addDays(state.day, sign * (state.view === 'week' ? 7 : 1)); $('f-date').value = state.day; refresh(); };
  $('prev').addEventListener('click', () => step(-1));
  $('next').addEventListener('click', () => step(1));
  $('today').addEventListener('click', () => { state.day = todayIn(zone()); $('f-date').value = state.day; refresh(); });
}

export function redraw() { if (state.locations.length) { fillFilters(); render(); } }
