// One visit's details, its actions and the delivery log of the messages sent about it. Reading it is a read
// of patient data: the API audits it under the signed-in person's name. A clinician opening another
// provider's visit gets the API's 404, said in plain words.
import { explain, get } from './staff-api.js';
import { $, el, show } from './staff-dom.js';
import { t } from './staff-strings.js';
import { fullWhen } from './staff-time.js';
import { actionButtons, patientName, statusBadge } from './staff-rows.js';
import { showHistory } from './staff-visit-history.js';
import { visitChanges } from './staff-visit-changes.js';

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
  await showHistory(booking); // its delivery log (with resend) and audit trail, for staff: staff-visit-history.js
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
  $('visit-actions').replaceChildren(...actionButtons(booking, zone, () => reload(booking.id)),
    ...visitChanges(booking, () => reload(booking.id)));
}

async function reload(id) { if (shownId === id) await showVisit(id); }
