// A disrupted visit's ways out, each confirmed before it happens and said when done: another time with the
// same clinician (a reschedule: the patient gets the change-of-time message), the same time by telehealth
// (offered only when the API says it is bookable: disruption.options.telehealth), or a cancel whose reason
// the patient's cancellation message carries ("Reason given: ...").
import { explain, get, post } from './staff-api.js';
import { $, el, say } from './staff-dom.js';
import { patientName } from './staff-rows.js';
import { STRINGS, t } from './staff-strings.js';
import { addDays, fullWhen, todayIn } from './staff-time.js';

const bookingPath = (booking, action) => `/staff/api/bookings/${encodeURIComponent(booking.id)}/${action}`;

export function actionsFor(booking, zone, after) {
  const options = booking.disruption?.options || {};
  const name = patientName(booking);
  const button = (key, open) => el('button', { type: 'button', class: 'plain', 'data-key': `${key}:${booking.id}`,
    'aria-label': t('actionOn', { action: t(key), name, time: fullWhen(booking.start, zone) }),
    onclick: () => open(booking, zone, after) }, t(key));
  return [button('offerTime', offerTime), options.telehealth ? button('toTelehealth', toTelehealth) : null,
    button('cancelWithMessage', cancelWithMessage)].filter(Boolean);
}

// The panel under the visit: what will happen, the choice if any, Confirm and Keep as is.
function panel(booking, willDo, fields, confirm) {
  const box = $(`panel-${booking.id}`);
  const confirmButton = el('button', { type: 'button', 'data-key': `confirm:${booking.id}`, onclick: async () => {
    confirmButton.disabled = true;
    await confirm().finally(() => { confirmButton.disabled = false; });
  } }, t('confirm'));
  box.replaceChildren(el('p', { id: `will-${booking.id}`, text: willDo }), ...fields,
    el('div', { class: 'actions' }, confirmButton,
      el('button', { type: 'button', class: 'plain', onclick: () => { box.hidden = true; box.replaceChildren(); } }, t('keep'))));
  box.setAttribute('role', 'group');
  box.setAttribute('aria-labelledby', `will-${booking.id}`);
  box.hidden = false;
  (box.querySelector('select, textarea') || confirmButton).focus();
}

async function act(path, body, done, after) {
  try {
    const changed = (await post(path, body)).data;
    say(done(changed));
    await after();
    $('disruptions-title').focus();
  } catch (error) {
    say(error.status === 409 && body.start && !body.modality ? t('errTaken') : explain(error), { error: true });
  }
}

async function offerTime(booking, zone, after) {
  const state = booking.patient_state || booking.patient?.state;
  const from = todayIn(zone);
  const query = new URLSearchParams({ service_id: booking.service_id, location_id: booking.location_id,
    provider_id: booking.provider_id, from, to: addDays(from, 27) });
  if (booking.modality === 'telehealth' && state) query.set('patient_state', state);
  let slots;
  try {
    slots = (await get(`/staff/api/availability?${query}`)).data.slots
      .filter((slot) => slot.provider_id === booking.provider_id).slice(0, 60);
  } catch (error) {
    say(explain(error), { error: true });
    return;
  }
  const name = patientName(booking);
  if (!slots.length) {
    panel(booking, t('noFreeTimes'), [], async () => {});
    return;
  }
  const selectId = `time-${booking.id}`;
  const select = el('select', { id: selectId }, ...slots.map((slot) => el('option', { value: slot.start, text: fullWhen(slot.start, zone) })));
  panel(booking, t('offerWillDo', { name }), [el('div', { class: 'field' },
    el('label', { for: selectId, text: t('pickTime', { provider: booking.provider?.name || '' }) }), select)],
  () => act(bookingPath(booking, 'reschedule'), { start: select.value },
    (moved) => t('movedDone', { name, time: fullWhen(moved.start, zone) }), after));
}

async function toTelehealth(booking, zone, after) {
  const state = booking.patient?.state;
  const name = patientName(booking);
  const time = fullWhen(booking.start, zone);
  panel(booking, t('telehealthWillDo', { name, time, state }), [],
    () => act(bookingPath(booking, 'reschedule'), { start: booking.start, modality: 'telehealth', patient_state: state },
      (moved) => t('telehealthDone', { name, time: fullWhen(moved.start, moved.location?.timezone || zone) }), after));
}

async function cancelWithMessage(booking, zone, after) {
  const name = patientName(booking);
  const areaId = `message-${booking.id}`;
  // The message goes to the patient as written: offered in the patient's own language.
  const wording = (STRINGS[booking.patient?.language] || STRINGS.en).cancelDefault;
  const area = el('textarea', { id: areaId, rows: '3', maxlength: '500' });
  area.value = wording;
  panel(booking, t('cancelWillDo', { name, time: fullWhen(booking.start, zone) }), [el('div', { class: 'field' },
    el('label', { for: areaId, text: t('cancelMessage') }), area)],
  () => act(bookingPath(booking, 'cancel'), { reason: area.value.trim() || null },
    () => t('cancelledDone', { name }), after));
}
