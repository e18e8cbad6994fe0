// One visit's details, its actions and the delivery log of the messages sent about it. Reading it is a read
// of patient data: the API audits it under the signed-in person's name. A clinician opening another
// provider's visit gets the API's 404, said in plain words.
import { explain, get } from './staff-api.js';
import { $, el, say, show } from './staff-dom.js';
import { current } from './staff-session.js';
import { t } from './staff-strings.js';
import { fullWhen } from './staff-time.js';
import { actionButtons, patientName, statusBadge } from './staff-rows.js';

let shownId = '';

export async function showVisit(id) {
  shownId = id;
  show('visit');
  $('visit-title').textContent = t('visitTitle');
  $('visit-body').replaceChildren(el('p', { class: 'hint', text: t('loading') }));
  $('visit-actions').replaceChildren();
  $('deliveries').hidden = true;
  let booking;
  try {
    booking = (await get(`/staff/api/bookings/${encodeURIComponent(id)}`)).data;
  } catch (error) {
    if (error.status === 401) return;
    $('visit-body').replaceChildren(el('p', { class: 'notice', role: 'alert', text: explain(error) }));
    $('visit-title').focus();
    return;
  }
  render(booking);
  $('visit-title').focus();
  if (current()?.role !== 'clinician') await showDeliveries(id, booking.location?.timezone || 'UTC'); // the delivery log is staff's (the API says so)
}

function row(label, ...value) {
  return [el('dt', { text: t(label) }), el('dd', {}, ...value)];
}

function render(booking) {
  const zone = booking.location?.timezone || 'UTC';
  $('visit-title').textContent = `${t('visitTitle')}: ${patientName(booking)}`;
  const patient = booking.patient || {};
  const contact = [patient.email, patient.phone].filter(Boolean).join(' · ');
  $('visit-body').replaceChildren(el('dl', { class: 'facts' },
    ...row('when', fullWhen(booking.start, zone)),
    ...row('status', statusBadge(booking), booking.late ? ` ${t('late')}` : ''),
    ...row('patient', patientName(booking)),
    ...row('contact', contact || '—'),
    ...row('patientLanguage', patient.language ? t(`language_${patient.language}`) : '—'),
    ...row('visitType', booking.service?.name || ''),
    ...row('provider', booking.provider?.name || ''),
    ...row('clinic', booking.location?.name || ''),
    ...row('how', t(booking.modality || 'in_person')),
    ...(booking.notes ? row('notes', booking.notes) : []),
    ...(booking.disruption ? row('disruption', booking.disruption.detail || booking.disruption.reason) : [])));
  $('visit-actions').replaceChildren(...actionButtons(booking, zone, () => reload(booking.id)));
}

async function reload(id) { if (shownId === id) await showVisit(id); }

async function showDeliveries(id, zone) {
  let records;
  try {
    records = (await get(`/staff/api/notifications?booking_id=${encodeURIComponent(id)}`)).data.notifications;
  } catch (error) {
    if (error.status !== 401) say(explain(error), { error: true });
    return;
  }
  $('deliveries').hidden = false;
  if (!records.length) {
    $('deliveries-body').replaceChildren(el('p', { class: 'hint', text: t('noMessages') }));
    return;
  }
  const head = el('tr', {}, ...['kind', 'channel', 'recipient', 'status', 'attempts', 'sentAt']
    .map((key) => el('th', { scope: 'col', text: t(key) })));
  const rows = records.map((n) => el('tr', {},
    el('td', { text: n.kind.replaceAll('_', ' ') }), el('td', { text: t(n.channel) }), el('td', { text: n.recipient || '' }),
    el('td', { text: t(`msg_${n.status}`) + (n.last_error ? ` (${n.last_error})` : '') }),
    el('td', { text: String(n.attempts ?? 0) }),
    el('td', { text: n.sent_at ? fullWhen(n.sent_at, zone) : '—' })));
  $('deliveries-body').replaceChildren(el('div', { class: 'scroll' },
    el('table', { 'aria-labelledby': 'deliveries-title' }, el('thead', {}, head), el('tbody', {}, ...rows))));
}
