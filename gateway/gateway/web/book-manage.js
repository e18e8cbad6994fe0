/* Managing a booking from its link (#manage=<id>.<token>): show it, cancel it, or move it to another
 * open time. The token travels only as the X-Manage-Token header (book-api.js), never in a URL sent to
 * a server (the fragment stays in the browser). A booking of a series or of a combined visit also lists
 * the whole plan, each entry a link to manage that booking with the same token, and can cancel the
 * series from this visit on, all its remaining visits, or both parts of a visit, after an in-page confirm.
 */

import { cancelBooking, cancelSeries, cancelVisit, getBooking, getSeries, getVisit } from './book-api.js';
import { state } from './book-state.js';
import { dayKey, fmtDay, fmtWhen, providerName, t } from './book-format.js';
import { $, el, focusOn, setBusy, show } from './book-dom.js';
import { say, trouble } from './book-messages.js';
import { ensureProviders } from './book-slot-list.js';
import { loadStates } from './book-zones.js';
import { bookingPatientZone, onMove, renderDisruption, renderMoveSlots } from './book-move.js';
import { detailRows, fillDetails, partLine } from './book-confirmation.js';
import { clearLateChange, isLateChange, showLateChange } from './book-policy.js';

const ACTIVE = ['requested', 'confirmed'];

export function manageFromHash() {
  const match = /^#manage=([0-9A-Za-z]+)\.([0-9A-Za-z_-]+)$/.exec(window.location.hash);
  return match ? { id: match[1], token: match[2] } : null;
}

export async function showManage(link) {
  state.manage = { ...link, booking: null };
  show('booking-flow', false);
  show('manage-view', true);
  show('manage-actions', false);
  closeManagePanels();
  clearLateChange();
  $('manage-details').replaceChildren();
  say('manageLoading');
  const [response] = await Promise.all([getBooking(link.id, link.token), loadStates(), ensureProviders()]);
  if (response.status !== 200) { manageFailed(response); return; }
  state.manage.booking = response.data;
  await loadPlan(response.data, link.token);
  renderManage();
  say(null);
  focusOn('manage-heading');
}

// A booking of a series or of a combined visit: the same token reads the whole plan, listed below it.
async function loadPlan(booking, token) {
  state.manage.plan = null;
  const [kind, read, id] = booking.series_id ? ['series', getSeries, booking.series_id]
    : booking.visit_id ? ['visit', getVisit, booking.visit_id] : [null, null, null];
  if (!kind) return;
  const response = await read(id, token);
  if (response.status === 200) state.manage.plan = { kind, data: response.data };
}

const planZone = (plan) => plan.data.timezone || (state.manage.booking.location || {}).timezone;

// The plan's entries as {id, start, status, text}: a series' occurrences or a visit's parts.
function planEntries(plan) {
  const zone = planZone(plan);
  return plan.kind === 'series'
    ? plan.data.occurrences.map((o) => ({ id: o.booking_id, start: o.start, status: o.status,
      text: fmtWhen(o.start, zone, bookingPatientZone(state.manage.booking)) }))
    : plan.data.bookings.map((b) => ({ id: b.id, start: b.start, status: b.status, text: partLine(b) }));
}

// What each plan-wide cancel would end: the active entries from this visit on, from now on, or both parts.
function cancelScope(plan, kind) {
  const active = planEntries(plan).filter((e) => ACTIVE.includes(e.status));
  if (kind === 'visit') return active;
  const from = new Date(kind === 'later' ? state.manage.booking.start : Date.now());
  return active.filter((e) => new Date(e.start) >= from);
}

function renderPlan() {
  const plan = state.manage && state.manage.plan;
  show('manage-plan', Boolean(plan));
  if (!plan) return;
  const series = plan.kind === 'series';
  const { booking, token } = state.manage;
  $('manage-plan-heading').textContent = t(series ? 'planSeriesTitle' : 'planVisitTitle');
  $('manage-plan-list').replaceChildren(...planEntries(plan).map((e) => {
    const text = `${e.text} · ${t(`status_${e.status}`)}`;
    return e.id === booking.id ? el('li', { 'aria-current': 'true' }, `${text} (${t('planThisOne')})`)
      : el('li', null, el('a', { href: `#manage=${e.id}.${token}` }, text));
  }));
  const later = series && ACTIVE.includes(booking.status) ? cancelScope(plan, 'later') : [];
  const all = series ? cancelScope(plan, 'all') : [];
  const offers = {
    later: later.length > 1 && later.length < all.length,
    all: all.length > 1,  // one visit left: its own link cancels it
    visit: !series && cancelScope(plan, 'visit').length > 1,
  };
  if (state.manage.planCancel && !offers[state.manage.planCancel]) state.manage.planCancel = null;
  show('plan-cancel-later', offers.later);
  show('plan-cancel-all', offers.all);
  show('plan-cancel-visit', offers.visit);
  show('plan-actions', offers.later || offers.all || offers.visit);
  renderPlanConfirm(plan);
}

function renderPlanConfirm(plan) {
  const kind = state.manage.planCancel;
  show('plan-confirm', Boolean(kind));
  if (!kind) return;
  const scope = cancelScope(plan, kind);
  const n = scope.length;
  const keepsEarlier = kind === 'later' && cancelScope(plan, 'all').length > n;
  $('plan-confirm-title').textContent = kind === 'later' ? t('planConfirmLater', { n })
    : kind === 'all' ? t('planConfirmAll', { n }) : t('planConfirmVisit');
  $('plan-confirm-list').replaceChildren(...scope.map((e) => el('li', null, e.text)));
  $('plan-confirm-note').textContent = `${keepsEarlier ? `${t('planKeepEarlier')} ` : ''}${t('planConfirmNote')}`;
}

export function startPlanCancel(kind) {
  closeManagePanels();
  state.manage.planCancel = kind;
  renderPlan();
  focusOn('plan-confirm-title');
}

export function stopPlanCancel() {
  const kind = state.manage.planCancel;
  state.manage.planCancel = null;
  renderPlan();
  if (kind) $(`plan-cancel-${kind}`).focus();
}

// Cancel the series from this visit on ({from}), all its remaining visits ({}), or both parts of a visit.
export async function submitPlanCancel() {
  const { plan, planCancel: kind, booking, token } = state.manage;
  if (!plan || !kind) return;
  const [change, body] = kind === 'visit' ? [cancelVisit, {}] : [cancelSeries, kind === 'later' ? { from: booking.start } : {}];
  const button = $('plan-confirm-yes');
  const response = await manageChange((_, b, tok) => change(plan.data.id, b, tok), body, button, 'cancelling');
  if (response.status === 200 || (response.status === 409 && !isLateChange(response))) {
    const zone = planZone(plan);
    const vars = () => ({ date: fmtDay(dayKey(new Date(booking.start), zone)) });
    const done = kind === 'visit' ? 'visitCancelled' : kind === 'later' ? 'seriesCancelledFrom' : 'seriesCancelledAll';
    const fresh = await getBooking(booking.id, token);  // the list as it is now, whatever the answer
    if (fresh.status === 200) state.manage.booking = fresh.data;
    await loadPlan(state.manage.booking, token);
    if (response.status === 200) { manageUpdated(state.manage.booking, done, vars); return; }
    manageUpdated(state.manage.booking, null);
    say('planCancelRefused', { error: true });  // a 409: nothing left to cancel, or it changed meanwhile
  } else {
    manageFailed(response);
  }
}

export function manageFailed(response) {
  if (isLateChange(response)) { closeManagePanels(); showLateChange(response, state.manage.booking); focusOn('manage-late'); }
  else if ([401, 403, 404].includes(response.status)) say('manageNotFound', { error: true });
  else if (response.status === 409) say('cancelRefused', { error: true });
  else say(trouble(response), { error: true, response });
}

export function renderManage() {
  const booking = state.manage && state.manage.booking;
  if (!booking) return;
  const rows = [['dStatus', t(`status_${booking.status}`)], ...detailRows(booking), ['dPatient', booking.patient && booking.patient.name]];
  fillDetails($('manage-details'), rows);
  renderDisruption(booking);
  show('manage-actions', ACTIVE.includes(booking.status));
  $('same-provider-label').textContent = t('sameProvider', { name: providerName(booking.provider_id, booking.provider) });
  if (state.moveSlots) renderMoveSlots();
  renderPlan();
}

export function closeManagePanels() {
  if (state.manage && state.manage.planCancel) { state.manage.planCancel = null; show('plan-confirm', false); }
  show('cancel-form', false);
  show('reschedule-panel', false);
  show('reschedule-confirm', false);
  state.moveSlots = null;
  state.moveChoice = null;
  state.moveNote = null;
}

export function manageUpdated(booking, key, vars) {
  state.manage.booking = booking;
  closeManagePanels();
  renderManage();
  say(key, { vars });
  focusOn('manage-heading');
}

export async function manageChange(change, body, busyButton, busyText) {
  setBusy(busyButton, true);
  say(busyText);
  const { id, token } = state.manage;
  const response = await change(id, body, token);
  setBusy(busyButton, false);
  return response;
}

export async function submitCancel(event) {
  event.preventDefault();
  const reason = $('cancel-reason').value.trim() || null;
  const response = await manageChange(cancelBooking, { reason }, event.submitter || $('cancel-start'), 'cancelling');
  if (response.status === 200) { await loadPlan(response.data, state.manage.token); manageUpdated(response.data, 'cancelled'); }
  else manageFailed(response);
}

onMove({ change: manageChange, updated: manageUpdated, failed: manageFailed });
