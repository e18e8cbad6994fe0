// One visit as a schedule row, and the front desk's actions on it. Which action shows follows the API's own
// rules (check-in on the visit's day from confirmed; complete from checked in and no-show from confirmed,
// both after the start); the API still decides, and a refusal is said in plain words.
import { explain, post } from './staff-api.js';
import { el, say } from './staff-dom.js';
import { current } from './staff-session.js';
import { t } from './staff-strings.js';
import { clinicDate, hasStarted, timeOf, todayIn } from './staff-time.js';

const ACTIONS = [
  { key: 'checkIn', path: 'check-in', done: 'checkedIn',
    when: (b, zone) => b.status === 'confirmed' && clinicDate(b) === todayIn(zone) },
  { key: 'complete', path: 'complete', done: 'completedDone', when: (b) => b.status === 'checked_in' && hasStarted(b) },
  { key: 'noShow', path: 'no-show', done: 'noShowDone', when: (b) => b.status === 'confirmed' && hasStarted(b) },
];

export const patientName = (booking) => booking.patient?.name || '—';

export function statusBadge(booking) {
  return el('span', { class: `badge badge-${booking.status}`, text: t(`status_${booking.status}`) });
}

// The action buttons for `booking`; none for a clinician (the API lets only staff and admins change status).
export function actionButtons(booking, zone, after) {
  if (current()?.role === 'clinician') return [];
  return ACTIONS.filter((action) => action.when(booking, zone)).map((action) => el('button', {
    type: 'button', class: 'action', 'data-key': `${action.path}:${booking.id}`,
    'aria-label': t('actionFor', { action: t(action.key), name: patientName(booking), time: timeOf(booking.start, zone) }),
    onclick: async (event) => {
      event.currentTarget.disabled = true;
      try {
        await post(`/staff/api/bookings/${encodeURIComponent(booking.id)}/${action.path}`);
        say(t(action.done, { name: patientName(booking) }));
      } catch (error) {
        say(explain(error), { error: true });
      }
      await after();
    },
  }, t(action.key)));
}

export function visitRow(booking, zone, _isToday, after) {
  const time = `${timeOf(booking.start, zone)} – ${timeOf(booking.end, zone)}`;
  const details = el('a', { href: `#visit=${encodeURIComponent(booking.id)}`, 'data-key': `details:${booking.id}`,
    'aria-label': `${t('details')}: ${patientName(booking)}, ${timeOf(booking.start, zone)}` }, t('details'));
  return el('tr', { 'data-booking': booking.id, class: booking.disruption ? 'disrupted' : '' },
    el('td', { class: 'time', text: time }),
    el('td', { text: patientName(booking) }),
    el('td', { text: booking.service?.name || '' }),
    el('td', { text: booking.provider?.name || '' }),
    el('td', {}, statusBadge(booking), booking.disruption ? el('span', { class: 'flag', text: ` ${t('disruption')}` }) : null),
    el('td', {}, el('div', { class: 'row-actions' }, details, ...actionButtons(booking, zone, after))));
}
