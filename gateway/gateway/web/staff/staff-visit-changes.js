// Moving or cancelling a visit from its details (staff and admins). Moving offers that clinician's free times
// for the visit type, a week at a time; cancelling asks a reason. Inside the change policy's cutoff
// (GET /bookings/policy) the desk may still do either: the page says it will be recorded as late, and the
// API records `late: true`, which the details then show.
import { call, explain } from './staff-api.js';
import { $, el, say } from './staff-dom.js';
import { current } from './staff-session.js';
import { addStrings, t } from './staff-strings.js';
import { fullWhen } from './staff-time.js';
import { TEXTS as BOOK_TEXTS } from './staff-book-strings.js';
import { TEXTS } from './staff-visit-changes-strings.js';
import { bookStyles, callerZone, cat, clocksText, loadCatalog, providerName } from './staff-book-data.js';
import { timeParts, weekPicker } from './staff-book-week.js';

addStrings(BOOK_TEXTS);
addStrings(TEXTS);

const ACTIVE = ['requested', 'confirmed'];

// The buttons (and the panel they open) for `booking` in the visit's actions; none when it cannot change.
export function visitChanges(booking, after) {
  if (current()?.role === 'clinician' || !ACTIVE.includes(booking.status)) return [];
  bookStyles();
  const panel = el('div', { class: 'changes', id: 'vc-panel', hidden: true });
  const open = (draw) => async () => {
    say(''); // an earlier change's message is not about this one
    panel.hidden = false;
    panel.replaceChildren(el('p', { class: 'hint', text: t('loading') }));
    try {
      await loadCatalog();
      await draw(booking, panel, after);
    } catch (error) {
      if (error.status !== 401) panel.replaceChildren(el('p', { class: 'notice', role: 'alert', text: explain(error) }));
    }
  };
  return [
    el('button', { type: 'button', class: 'plain', id: 'vc-move', onclick: open(drawMove), text: t('moveVisit') }),
    el('button', { type: 'button', class: 'plain', id: 'vc-cancel', onclick: open(drawCancel), text: t('cancelVisit') }),
    panel,
  ];
}

const zoneOf = (booking) => booking.location?.timezone || 'UTC';
const theirZone = (booking) => (booking.modality === 'telehealth'
  ? callerZone(booking.patient?.state, booking.patient?.timezone) : '');

function isLate(booking) {
  const hours = Number(cat().policy?.cancel_cutoff_hours) || 0;
  return Date.parse(booking.start) - Date.now() < hours * 3600 * 1000;
}

function heading(id, key, booking) {
  const late = isLate(booking) ? [el('p', { class: 'notice late-note', id: 'vc-late',
    text: t('lateWarning', { hours: cat().policy.cancel_cutoff_hours }) })] : [];
  return [el('h2', { id, tabindex: '-1', text: t(key) }), ...late];
}

async function change(booking, path, body, done, after) {
  try {
    const answer = await call('POST', `/staff/api/bookings/${encodeURIComponent(booking.id)}/${path}`, { body });
    say(t(done, { when: fullWhen(answer.data.start, zoneOf(booking)) }) + (answer.data.late ? ` ${t('recordedLate')}` : ''));
    await after();
    return null;
  } catch (error) {
    if (error.status === 401) return null;
    return error;
  }
}

async function drawMove(booking, panel, after) {
  const zone = zoneOf(booking);
  const source = { zone, theirZone: theirZone(booking), start: (slot) => slot.start,
    ask: async (from, to) => {
      const query = new URLSearchParams({ service_id: booking.service_id, location_id: booking.location_id,
        provider_id: booking.provider_id, from, to });
      if (booking.modality === 'telehealth' && booking.patient?.state) query.set('patient_state', booking.patient.state);
      return (await call('GET', `/staff/api/availability?${query}`)).data.slots || [];
    },
    describe: (slot) => timeParts(slot.start, zone, source.theirZone, providerName(slot.provider_id)) };
  const confirm = el('button', { type: 'button', id: 'vc-move-confirm', hidden: true });
  let chosen = null;
  const picker = weekPicker('vc-list', source, (slot) => {
    chosen = slot;
    confirm.textContent = t('moveTo', { when: `${fullWhen(slot.start, zone)}${source.theirZone ? ` (${clocksText(slot.start, zone, source.theirZone)})` : ''}` });
    confirm.hidden = false;
    confirm.focus();
  });
  confirm.addEventListener('click', async () => {
    if (!chosen || confirm.disabled) return;
    confirm.disabled = true;
    const error = await change(booking, 'reschedule', { start: chosen.start, provider_id: chosen.provider_id }, 'moved', after);
    confirm.disabled = false;
    if (!error) return;
    confirm.hidden = true;
    chosen = null;
    await picker.reload(error.status === 409 ? t('moveTaken') : explain(error));
    $('vc-list-note').focus();
  });
  panel.replaceChildren(...heading('vc-title', 'moveTitle', booking),
    el('p', { class: 'hint', text: t('moveHint', { who: providerName(booking.provider_id) || booking.provider?.name || '' }) }),
    picker.root, confirm);
  $('vc-title').focus();
  await picker.load('', true);
}

function drawCancel(booking, panel, after) {
  const reason = el('textarea', { id: 'vc-reason', maxlength: '500', rows: '2' });
  const go = el('button', { type: 'button', id: 'vc-cancel-confirm', text: t('cancelConfirm') });
  const problem = el('p', { class: 'notice', id: 'vc-cancel-problem', role: 'alert', hidden: true });
  go.addEventListener('click', async () => {
    if (go.disabled) return;
    go.disabled = true;
    const error = await change(booking, 'cancel', { reason: reason.value.trim() || null }, 'cancelled', after);
    go.disabled = false;
    if (error) Object.assign(problem, { hidden: false, textContent: explain(error) });
  });
  panel.replaceChildren(...heading('vc-title', 'cancelTitle', booking),
    el('div', { class: 'field' }, el('label', { for: 'vc-reason', text: t('cancelReason') }), reason), problem, go);
  $('vc-title').focus();
}
