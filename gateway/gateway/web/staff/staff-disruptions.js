// Disruptions: the active visits that no longer fit the clinic's schedule (a closure, special hours, changed
// hours or a clinician's schedule), by clinic and day, each with why, when it was found, whether the patient
// was told (the booking_disrupted message in its delivery log) and the one-click ways out
// (staff-disruptions-actions.js). Times are each clinic's own.
import { explain, get } from './staff-api.js';
import { $, el, say, screenSection, show } from './staff-dom.js';
import { actionsFor } from './staff-disruptions-actions.js';
import { TEXTS } from './staff-disruptions-strings.js';
import { patientName } from './staff-rows.js';
import { addStrings, t } from './staff-strings.js';
import { clinicDate, dayName, fullWhen, timeOf } from './staff-time.js';

addStrings(TEXTS);

// The page's language buttons translate what carries data-i18n; this screen's texts are drawn: draw again.
let listening = false;

export async function open() {
  screenSection('disruptions', 'disruptionsTitle', t);
  if (!listening) {
    listening = true;
    document.querySelectorAll('.lang').forEach((b) => b.addEventListener('click', () => { if (!$('disruptions').hidden) draw(); }));
  }
  show('disruptions');
  $('disruptions-title').focus();
  await draw();
}

export async function draw() {
  const body = $('disruptions-body');
  let bookings;
  try {
    bookings = (await get('/staff/api/bookings?disrupted=true&limit=500')).data.bookings;
  } catch (error) {
    if (error.status !== 401) body.replaceChildren(el('p', { class: 'notice', role: 'alert', text: explain(error) }));
    return;
  }
  const told = await toldAbout(bookings);
  const count = bookings.length === 1 ? t('oneDisrupted') : t('disruptedCount', { count: bookings.length });
  body.replaceChildren(el('p', { class: 'hint', text: t('disruptionsHint') }),
    el('p', { id: 'disruptions-count', text: bookings.length ? count : t('noDisruptions') }),
    ...groups(bookings).map(([clinic, days]) => el('section', { class: 'card', 'aria-label': clinic },
      el('h2', { text: clinic }),
      ...days.map(([day, list]) => el('div', { class: 'day' },
        el('h3', { text: dayName(day) }),
        ...list.map((booking) => item(booking, told.get(booking.id))))))));
}

// clinic name -> clinic date -> bookings, in the order the API gives (soonest first).
function groups(bookings) {
  const clinics = new Map();
  for (const booking of bookings) {
    const clinic = booking.location?.name || booking.location_id;
    if (!clinics.has(clinic)) clinics.set(clinic, new Map());
    const days = clinics.get(clinic);
    if (!days.has(clinicDate(booking))) days.set(clinicDate(booking), []);
    days.get(clinicDate(booking)).push(booking);
  }
  return [...clinics].map(([clinic, days]) => [clinic, [...days]]);
}

// Each booking's booking_disrupted message, from its delivery log (the newest, if there were several).
async function toldAbout(bookings) {
  const told = new Map();
  await Promise.all(bookings.map(async (booking) => {
    try {
      const records = (await get(`/staff/api/notifications?booking_id=${encodeURIComponent(booking.id)}`)).data.notifications;
      told.set(booking.id, records.filter((n) => n.kind === 'booking_disrupted'));
    } catch (error) {
      told.set(booking.id, null);
    }
  }));
  return told;
}

function toldText(records, zone) {
  if (records === null || records === undefined) return t('toldUnknown');
  if (!records.length) return t('toldNot');
  const sent = records.find((n) => n.status === 'sent');
  if (sent) return t('toldYes', { channel: t(sent.channel), when: sent.sent_at ? fullWhen(sent.sent_at, zone) : '' });
  const last = records[records.length - 1];
  if (last.status === 'pending') return t('toldPending');
  return t(last.status === 'failed' ? 'toldFailed' : 'toldSkipped', { detail: last.last_error || t(`msg_${last.status}`) });
}

function item(booking, told) {
  const zone = booking.location?.timezone || 'UTC';
  const disruption = booking.disruption || {};
  const fact = (key, value, id) => [el('dt', { text: t(key) }), el('dd', { id }, value)];
  const when = `${timeOf(booking.start, zone)} – ${timeOf(booking.end, zone)}`;
  return el('article', { class: 'disrupted-visit', 'data-booking': booking.id, 'aria-labelledby': `dv-${booking.id}` },
    el('h4', { id: `dv-${booking.id}`, text: `${when} · ${patientName(booking)}` }),
    el('dl', { class: 'facts' },
      ...fact('visitType', `${booking.service?.name || ''} · ${booking.provider?.name || ''} · ${t(booking.modality || 'in_person')}`),
      ...fact('why', `${t(`reason_${disruption.reason}`)}. ${disruption.detail || ''}`),
      ...fact('detectedAt', disruption.detected_at ? fullWhen(disruption.detected_at, zone) : '—'),
      ...fact('patientTold', toldText(told, zone), `told-${booking.id}`)),
    el('div', { class: 'actions' }, ...actionsFor(booking, zone, draw)),
    el('div', { class: 'confirm-panel', id: `panel-${booking.id}`, hidden: true }));
}

export function close() { say(''); }
