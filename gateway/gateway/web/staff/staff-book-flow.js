// How each kind of booking asks for times and is booked: one visit (GET /availability, POST /bookings), a
// series (the same times, POST /series), therapy with a medication check (GET /availability/combined,
// POST /visits). The confirm's Idempotency-Key stays while the request is the same one: a second click or a
// retry after a lost answer books nothing twice; any change to the request is a new key.
import { call, explain, get } from './staff-api.js';
import { el } from './staff-dom.js';
import { t } from './staff-strings.js';
import { clocksText, named, newKey, providerName, serviceOf } from './staff-book-data.js';
import { timeParts } from './staff-book-week.js';
import { fullWhen } from './staff-time.js';
import { seriesBody } from './staff-book-series.js';

const last = { body: '', key: '' };

function keyFor(path, body) {
  const said = JSON.stringify([path, body]);
  if (said !== last.body) Object.assign(last, { body: said, key: newKey() });
  return last.key;
}

function query(search, more) {
  const params = new URLSearchParams({ location_id: search.location.id, ...more });
  if (search.tele) params.set('patient_state', search.state);
  if (search.language) params.set('language', search.language);
  return params;
}

// What the week picker lists and how each entry reads.
export function pickSource(search) {
  const base = { zone: search.zone, theirZone: search.theirZone };
  if (search.kind === 'combined') {
    return { ...base, start: (option) => option.parts[0].start,
      ask: async (from, to) => (await get(`/staff/api/availability/combined?${query(search,
        { service_ids: `${search.serviceId},${search.companionId}`, from, to })}`)).data.options || [],
      describe: (option) => option.parts.flatMap((part, i) => [i ? el('span', { class: 'plus', text: ' + ' }) : null,
        ...timeParts(part.start, search.zone, search.theirZone, `${named(serviceOf(part.service_id))} · ${providerName(part.provider_id)}`)]) };
  }
  const more = { service_id: search.serviceId };
  if (search.providerId) more.provider_id = search.providerId;
  return { ...base, start: (slot) => slot.start,
    ask: async (from, to) => (await get(`/staff/api/availability?${query(search, { ...more, from, to })}`)).data.slots || [],
    describe: (slot) => timeParts(slot.start, search.zone, search.theirZone, providerName(slot.provider_id)) };
}

export function summary(search, item) {
  const when = (iso) => `${fullWhen(iso, search.zone)}${search.theirZone ? ` (${clocksText(iso, search.zone, search.theirZone)})` : ''}`;
  if (search.kind === 'combined') {
    return t('chosenPair', { first: `${when(item.parts[0].start)}, ${providerName(item.parts[0].provider_id)}`,
      second: `${when(item.parts[1].start)}, ${providerName(item.parts[1].provider_id)}` });
  }
  return t(search.kind === 'series' ? 'chosenFirst' : 'chosenOne', { when: when(item.start), who: providerName(item.provider_id) });
}

function request(search, pick, patient, notes) {
  if (search.kind === 'combined') {
    const body = { patient, notes, location_id: search.location.id,
      parts: pick.parts.map((p) => ({ service_id: p.service_id, provider_id: p.provider_id, start: p.start })) };
    if (search.tele) body.patient_state = search.state;
    return ['/staff/api/visits', body];
  }
  if (search.kind === 'series') return ['/staff/api/series', { ...seriesBody(search, pick, patient), notes }];
  return ['/staff/api/bookings', { service_id: search.serviceId, provider_id: pick.provider_id,
    location_id: search.location.id, start: pick.start, patient, notes }];
}

// {patient: {phone: ['Use …']}} → "patient phone: Use …" (the API's words for what it refused).
function fieldErrors(errors, path = []) {
  if (Array.isArray(errors)) return `${path.join(' ')}: ${errors.join(' ')}`;
  if (errors && typeof errors === 'object') return Object.entries(errors).map(([k, v]) => fieldErrors(v, [...path, k])).join('; ');
  return `${path.join(' ')}: ${errors}`;
}

// {booked, bookings, skipped}, or {message, again: 'times' | 'preview' | ''} said in plain words.
export async function submit(search, pick, patient, notes) {
  const [path, body] = request(search, pick, patient, notes);
  try {
    const answer = await call('POST', path, { body, headers: { 'Idempotency-Key': keyFor(path, body) } });
    const data = answer.data;
    return { booked: true, bookings: data.bookings || [data], skipped: data.skipped || [] };
  } catch (error) {
    if (error.status === 422 && error.problem?.errors) return { message: t('checkFields', { fields: fieldErrors(error.problem.errors) }), again: '' };
    if (error.status !== 409) return { message: explain(error), again: '' };
    if (search.kind === 'series') return { message: t('seriesTaken'), again: 'preview' };
    return { message: t(search.kind === 'combined' ? 'pairTaken' : 'timeTaken'), again: 'times' };
  }
}
