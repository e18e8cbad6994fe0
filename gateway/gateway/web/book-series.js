/* Repeat a visit (a series): once, every week, every other week or every 4 weeks, for a number of
 * visits or up to a date. After a time is picked the dates are previewed (POST /series/preview), each
 * free or in conflict with its reason in plain words and, for a conflict, other times that week. A
 * series is booked at one weekly time, so an alternative is only noted as a preference (it goes into
 * the notes); the patient books the free dates only or picks another time, and is told which dates
 * will and will not be booked.
 */

import { previewSeries } from './book-api.js';
import { currentLocation, isTelehealth, state } from './book-state.js';
import { dayKey, fmtDay, fmtTime, fmtWhen, t } from './book-format.js';
import { $, el, focusOn, show } from './book-dom.js';
import { say, trouble } from './book-messages.js';
import { holdSlot, releaseHold } from './book-hold.js';

const EVERY = [0, 1, 2, 4];
const MAX_VISITS = 26;
const REASONS = ['closed', 'booked', 'outside_hours', 'not_licensed', 'beyond_horizon'];
let previewSeq = 0;

export const seriesActive = () => state.repeat.every > 0 && !state.companionId;

const free = () => (state.preview || []).filter((o) => o.status === 'free');
const conflicts = () => (state.preview || []).filter((o) => o.status !== 'free');
const zone = () => (currentLocation() || {}).timezone || 'UTC';

export function resetSeries() {
  state.preview = null;
  state.preferences = {};
  previewSeq += 1;
  if (state.repeat.every) loadPreview();
  renderRepeat();
}

export function bindSeries() {
  const box = $('repeat-options');
  box.replaceChildren(...EVERY.map((every) => el('label', { class: 'option option-inline' },
    el('input', { type: 'radio', name: 'repeat', value: String(every), checked: every === state.repeat.every,
      onchange: () => { state.repeat.every = every; repeatChanged(); } }),
    el('span', { class: 'name', 'data-repeat': String(every) }, t(`repeat${every}`)))));
  for (const input of document.querySelectorAll('input[name="repeat-end"]')) {
    input.addEventListener('change', () => { state.repeat.end = input.value; repeatChanged(); });
  }
  $('repeat-count').addEventListener('change', () => { state.repeat.count = Number($('repeat-count').value); repeatChanged(); });
  $('repeat-until').addEventListener('change', () => { state.repeat.until = $('repeat-until').value; repeatChanged(); });
  $('series-other-time').addEventListener('click', pickAnotherTime);
}

function pickAnotherTime() {
  say('pickAnotherTimeHint');
  focusOn('slots-heading');
}

function repeatChanged() {
  state.preview = null;
  state.preferences = {};
  previewSeq += 1;
  renderRepeat();
  // Repeating: the first date is booked with the others, so its hold goes first (or it would conflict).
  if (state.repeat.every) releaseHold().then(() => loadPreview());
  else if (state.chosen && !state.companionId) holdSlot(state.chosen);
}

function endError() {
  const { end, count, until } = state.repeat;
  if (end === 'count') return Number.isInteger(count) && count >= 2 && count <= MAX_VISITS ? null : 'invalidCount';
  if (!until || !state.chosen || until <= dayKey(new Date(state.chosen.start), zone())) return 'invalidUntil';
  return null;
}

export function previewBody() {
  const slot = state.chosen;
  const loc = currentLocation();
  const body = { service_id: state.serviceId, provider_id: slot.provider_id, location_id: slot.location_id,
    start: slot.start, every_weeks: state.repeat.every };
  if (state.repeat.end === 'count') body.count = state.repeat.count;
  else body.until = state.repeat.until;
  if (loc && isTelehealth(loc)) body.patient_state = $('visit-state').value;
  return body;
}

export async function loadPreview() {
  if (!seriesActive() || !state.chosen) return;
  const problem = endError();
  showEndError(problem);
  if (problem) { renderRepeat(); return; }
  const seq = ++previewSeq;
  say('previewing');
  const response = await previewSeries(previewBody());
  if (seq !== previewSeq) return;  // a newer choice was made meanwhile
  if (response.status !== 200) {
    const errors = (response.data && response.data.errors) || {};
    if (response.status === 422 && (errors.until || errors.count)) showEndError(errors.until ? 'invalidUntil' : 'invalidCount');
    else say(response.status === 422 ? 'previewRefused' : trouble(response), { error: true, response });
    return;
  }
  state.preview = response.data.occurrences || [];
  renderRepeat();
  const n = free().length;
  say(conflicts().length ? 'previewSomeTaken' : 'previewAllFree', { vars: () => ({ n, total: state.preview.length }) });
}

function showEndError(key) {
  const input = state.repeat.end === 'count' ? $('repeat-count') : $('repeat-until');
  for (const id of ['repeat-count', 'repeat-until']) $(id).removeAttribute('aria-invalid');
  $('err-repeat').hidden = !key;
  $('err-repeat').dataset.key = key || '';
  $('err-repeat').textContent = key ? t(key) : '';
  if (key) input.setAttribute('aria-invalid', 'true');
}

function dateLine(o) {
  return `${fmtDay(dayKey(new Date(o.start), zone()))}, ${fmtTime(o.start, zone())}`;
}

function notePreference(o, alt) {
  const key = o.start;
  if (state.preferences[key] && state.preferences[key].start === alt.start) delete state.preferences[key];
  else state.preferences[key] = alt;
  renderRepeat();
  const chosen = state.preferences[key];
  say(chosen ? 'preferenceNoted' : 'preferenceRemoved',
    { vars: () => ({ when: fmtWhen(alt.start, zone()), date: fmtDay(dayKey(new Date(o.start), zone())) }) });
}

function occurrenceItem(o) {
  const ok = o.status === 'free';
  const reason = REASONS.includes(o.reason) ? t(`reason_${o.reason}`) : t('reason_other');
  const item = el('li', { class: ok ? 'occ free' : 'occ conflict' },
    el('span', { class: 'occ-when' }, dateLine(o)), ' ',
    el('span', { class: 'occ-status' }, ok ? t('occFree') : `${t('occConflict')} ${reason}`));
  const alts = o.alternatives || [];
  if (!ok && alts.length) {
    const chosen = state.preferences[o.start];
    item.append(el('p', { class: 'help' }, t('alternativesLead')),
      el('div', { class: 'alts' }, ...alts.map((alt) => el('button', { type: 'button', class: 'alt',
        'aria-pressed': String(Boolean(chosen && chosen.start === alt.start)),
        'aria-label': t('alternativeLabel', { when: fmtWhen(alt.start, zone()) }),
        onclick: () => notePreference(o, alt) }, fmtWhen(alt.start, zone())))));
  }
  return item;
}

export function renderRepeat() {
  for (const span of document.querySelectorAll('[data-repeat]')) span.textContent = t(`repeat${span.dataset.repeat}`);
  const key = $('err-repeat').dataset.key;
  if (key) $('err-repeat').textContent = t(key);
  show('repeat-fieldset', !state.companionId);
  show('repeat-fields', seriesActive());
  show('repeat-count-field', state.repeat.end === 'count');
  show('repeat-until-field', state.repeat.end === 'until');
  const preview = seriesActive() ? state.preview : null;
  show('series-preview', Boolean(preview));
  renderBookButton();
  if (!preview) return;
  const bad = conflicts();
  $('series-summary').textContent = t(bad.length ? 'previewSomeTaken' : 'previewAllFree', { n: free().length, total: preview.length });
  $('series-dates').replaceChildren(...preview.map(occurrenceItem));
  show('series-choice', bad.length > 0);
  $('series-will').textContent = free().length ? t('willBook', { dates: free().map(dateLine).join('; ') }) : t('noneFree');
  $('series-wont').textContent = t('wontBook', { dates: bad.map(dateLine).join('; ') });
  const prefs = Object.values(state.preferences);
  $('series-prefs').hidden = !prefs.length;
  $('series-prefs').textContent = prefs.length ? t('preferencesNote', { times: prefs.map((a) => fmtWhen(a.start, zone())).join('; ') }) : '';
}

export function renderBookButton() {
  const button = $('book-button');
  if (state.companionId) { button.textContent = t('bookBoth'); button.disabled = false; return; }
  if (!seriesActive()) { button.textContent = t('bookButton'); button.disabled = false; return; }
  const n = free().length;
  button.textContent = !state.preview ? t('bookSeries') : conflicts().length ? t('bookFreeOnly', { n }) : t('bookAll', { n });
  button.disabled = Boolean(state.preview) && n === 0;
}

// What POST /series needs beyond the preview: "all" when every date was free (a 409 if one went
// meanwhile), else "available", which books exactly the free dates listed.
export function seriesBody(patient, notes) {
  const prefs = Object.entries(state.preferences).map(([date, alt]) =>
    t('preferenceNoteLine', { date: fmtWhen(date, zone()), when: fmtWhen(alt.start, zone()) }));
  const allNotes = [notes, ...prefs].filter(Boolean).join('\n') || null;
  const body = { ...previewBody(), patient, notes: allNotes, accept: conflicts().length ? 'available' : 'all' };
  if ('patient_state' in body) body.patient_state = patient.state;
  return body;
}

export const previewReady = () => Boolean(state.preview) && free().length > 0;
