// Booking an open request: free times of the visit type the patient asked for, at one of the clinics they
// named, a week at a time on the clinic's clock (by default only their days and times of day), then one
// confirmation. The API's book route makes the booking (every booking rule applies; the patient is told
// through the usual confirmation) and marks the request booked. A time taken meanwhile is said plainly.
import { explain, get, post } from './staff-api.js';
import { $, el, say } from './staff-dom.js';
import { t } from './staff-strings.js';
import { locationName, providerName, serviceName, zoneOf } from './staff-requests-catalog.js';
import { addDays, dayName, fullWhen, timeOf, todayIn } from './staff-time.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// The slot's weekday and time of day on the clinic's clock, as a request names them.
function partsOf(iso, zone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' })
    .formatToParts(new Date(iso));
  const hour = Number(parts.find((p) => p.type === 'hour').value);
  const day = parts.find((p) => p.type === 'weekday').value.slice(0, 3).toLowerCase();
  return { day, time: hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening' };
}

const suits = (r, slot, zone) => {
  const { day, time } = partsOf(slot.start, zone);
  return (!r.preferred_days.length || r.preferred_days.includes(day))
    && (!r.preferred_times.length || r.preferred_times.includes(time));
};

export function bookingPart(r, after) {
  const zone = () => zoneOf($('rq-where').value);
  const form = el('form', { id: 'rq-find', class: 'filters', method: 'post', onsubmit: (e) => { e.preventDefault(); find(r, zone(), after); } },
    el('div', { class: 'field' }, el('label', { for: 'rq-where', text: t('clinic') }),
      el('select', { id: 'rq-where' }, ...r.location_ids.map((id) => el('option', { value: id, text: locationName(id) })))),
    el('div', { class: 'field' }, el('label', { for: 'rq-week', text: t('rqWeekOf') }),
      el('input', { id: 'rq-week', type: 'date', value: addDays(todayIn(zoneOf(r.location_ids[0])), 1) })),
    el('div', { class: 'field' }, el('label', {}, el('input', { type: 'checkbox', id: 'rq-preferred',
      checked: Boolean(r.preferred_days.length || r.preferred_times.length) }), ` ${t('rqOnlyPreferred')}`)),
    el('button', { type: 'submit', text: t('rqFind') }),
    el('button', { type: 'button', class: 'plain', text: t('rqNextWeek'), onclick: () => {
      $('rq-week').value = addDays($('rq-week').value || todayIn(zone()), 7);
      find(r, zone(), after);
    } }));
  return el('section', { class: 'card', 'aria-labelledby': 'rq-book-title' },
    el('h2', { id: 'rq-book-title', text: t('rqBookTitle') }),
    r.patient?.language === 'es' ? el('p', { class: 'hint', text: t('rqSpanishOnly') }) : null,
    form, el('p', { class: 'hint', id: 'rq-slots-note', role: 'status' }), el('div', { id: 'rq-slots' }),
    el('div', { id: 'rq-confirm', class: 'notice', hidden: true }));
}

async function find(r, zone, after) {
  const from = $('rq-week').value || todayIn(zone);
  const query = new URLSearchParams({ service_id: r.service_id, location_id: $('rq-where').value, from, to: addDays(from, 6) });
  if (r.modality === 'telehealth' && r.patient?.state) query.set('patient_state', r.patient.state);
  if (r.patient?.language === 'es') query.set('language', 'es');
  $('rq-confirm').hidden = true;
  let slots;
  try {
    slots = (await get(`/staff/api/availability?${query}`)).data.slots;
  } catch (error) {
    if (error.status !== 401) say(explain(error), { error: true });
    return;
  }
  if ($('rq-preferred').checked) slots = slots.filter((slot) => suits(r, slot, zone));
  slots = slots.filter((slot) => slot.modality === r.modality);
  $('rq-slots-note').textContent = slots.length ? t('rqSlotsFound', { count: slots.length }) : t('rqNoSlots');
  const byDay = new Map();
  slots.forEach((slot) => byDay.set(slot.start.slice(0, 10), [...(byDay.get(slot.start.slice(0, 10)) || []), slot]));
  $('rq-slots').replaceChildren(...[...byDay].map(([day, daySlots]) => el('div', { class: 'slot-day' },
    el('h3', { text: dayName(day) }),
    el('div', { class: 'row-actions' }, ...daySlots.map((slot) => el('button', { type: 'button', class: 'plain',
      'data-start': slot.start, 'aria-label': `${dayName(day)}, ${t('rqSlotLabel', { time: timeOf(slot.start, zone), provider: providerName(slot.provider_id) })}`,
      onclick: () => confirmPanel(r, slot, zone, after) }, t('rqSlotLabel', { time: timeOf(slot.start, zone), provider: providerName(slot.provider_id) })))))));
}

function confirmPanel(r, slot, zone, after) {
  const panel = $('rq-confirm');
  const when = fullWhen(slot.start, zone);
  const question = t('rqConfirmQ', { service: serviceName(r.service_id), name: r.patient?.name || '',
    provider: providerName(slot.provider_id), when });
  panel.replaceChildren(el('p', { id: 'rq-confirm-q', text: question }), el('div', { class: 'actions' },
    el('button', { type: 'button', id: 'rq-confirm-yes', onclick: (e) => book(r, slot, zone, when, after, e.currentTarget) }, t('rqConfirm')),
    el('button', { type: 'button', class: 'plain', onclick: () => { panel.hidden = true; document.querySelector('#rq-slots button')?.focus(); } }, t('rqChooseOther'))));
  panel.hidden = false;
  $('rq-confirm-yes').focus();
}

async function book(r, slot, zone, when, after, button) {
  button.disabled = true;
  try {
    const answer = (await post(`/staff/api/appointment-requests/${encodeURIComponent(r.id)}/book`,
      { provider_id: slot.provider_id, location_id: slot.location_id, start: slot.start })).data;
    say([t('rqBooked', { name: r.patient?.name || '', when }), answer.warning].filter(Boolean).join(' '));
    await after();
  } catch (error) {
    if (error.status === 401) return;
    if (error.status !== 409) { say(explain(error), { error: true }); button.disabled = false; return; }
    const now = await get(`/staff/api/appointment-requests/${encodeURIComponent(r.id)}`).catch(() => null);
    if (now && now.data.status !== 'open') { say(t('rqNotOpen'), { error: true }); await after(); return; }
    say(t('rqTaken'), { error: true });
    await find(r, zone, after);
  }
}
