/* The patient booking page: choose a visit, a time and book it; or manage a booking from its link.
 *
 * Everything goes through the gateway's public API under /api/v1 (same origin). Patient details
 * travel only in request bodies, never in a URL (query strings reach logs) and never in storage.
 * The manage link carries the booking id and its token in the fragment (#manage=<id>.<token>),
 * which browsers never send to a server. Text is set with textContent only: no HTML from data.
 *
 * This is the entry module: it picks the language, wires the controls and shows the booking flow or
 * the manage view. The other book-*.js modules are plain ES modules (no build step), each saying at
 * its top what it holds; the page's import map sends every import to the imported file's
 * content-hashed URL (gateway/pages.py), so a changed module is never served from a stale cache.
 */

import { STATES } from './book-strings.js';
import { state } from './book-state.js';
import { t } from './book-format.js';
import { $, el, focusOn, show } from './book-dom.js';
import { clearError, formMessage, renderError, renderStatus, say } from './book-messages.js';
import { renderSlots } from './book-step-time.js';
import { clearVisitError, companionChanged, findTimes, loadCatalog, renderServices, renderZones, visitChanged } from './book-step-visit.js';
import { bindWeekNav } from './book-slot-list.js';
import { loadStates, stateName } from './book-zones.js';
import { bindRequest, renderRequest } from './book-request.js';
import { loadMoveSlots, MOVE_WEEK_IDS, moveToTelehealth, submitMove } from './book-move.js';
import { bindSeries, renderRepeat } from './book-series.js';
import { FIELDS, loadSmsConsent, renderSmsConsent, slotLost, submitBooking } from './book-step-details.js';
import { bindHold, onHoldLost, releaseHold, renderHold } from './book-hold.js';
import { loadPolicy, renderLateChange, renderPolicy } from './book-policy.js';
import { bindWaitlist, renderWaitlist } from './book-waitlist.js';
import { bindOffer, entryFromHash, renderEntry, showEntry } from './book-offer.js';
import { copyLink, renderConfirmation } from './book-confirmation.js';
import { closeManagePanels, manageFromHash, renderManage, showManage, startPlanCancel, stopPlanCancel, submitCancel,
  submitPlanCancel } from './book-manage.js';

function pickLanguage() {
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return preferred.toLowerCase().startsWith('es') ? 'es' : 'en';
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const button of document.querySelectorAll('.lang')) button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang));
  if (!state.messageLanguageTouched) $('patient-language').value = state.lang;
  fillStates();
  renderZones();
  renderServices();
  renderSlots();
  renderRepeat();
  renderConfirmation();
  renderManage();
  renderHold();
  renderPolicy();
  renderLateChange();
  renderWaitlist();
  renderEntry();
  renderRequest();
  renderSmsConsent();
  for (const name of Object.keys(state.errors)) renderError(name);
  formMessage(state.formMessage && state.formMessage.key, state.formMessage || {});
  renderStatus();
}

// The state pickers, named in the page's language (the API's names once read); the choice is kept.
function fillStates() {
  for (const select of document.querySelectorAll('.state-select')) {
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '' }, t('chooseState')),
      ...STATES.map(([code]) => el('option', { value: code }, `${code} · ${stateName(code)}`)));
    select.value = chosen;
  }
}

function bind() {
  for (const button of document.querySelectorAll('.lang')) {
    button.addEventListener('click', () => { state.lang = button.dataset.lang; applyLanguage(); });
  }
  $('visit-form').addEventListener('submit', findTimes);
  $('visit-state').addEventListener('change', () => { clearVisitError('visitState'); visitChanged(); renderZones(); });
  $('visit-zone').addEventListener('change', () => { renderZones(); renderSlots(); });
  bindWeekNav({ prev: 'week-prev', next: 'week-next', label: 'week-label', date: 'week-date' }, () => state.weekStart,
    (first) => findTimes(null, first));
  bindWeekNav(MOVE_WEEK_IDS, () => state.moveWeekStart, (first) => loadMoveSlots(first));
  bindRequest();
  $('clinician-language').addEventListener('change', visitChanged);
  $('companion-add').addEventListener('change', companionChanged);
  $('companion-service').addEventListener('change', companionChanged);
  bindSeries();
  $('patient-form').addEventListener('submit', submitBooking);
  $('patient-language').addEventListener('change', () => { state.messageLanguageTouched = true; });
  for (const name of Object.keys(FIELDS)) {
    $(FIELDS[name][0]).addEventListener('input', () => { if (state.errors[name]) clearError(FIELDS, name); });
  }
  $('copy-link').addEventListener('click', copyLink);
  $('cancel-start').addEventListener('click', () => { closeManagePanels(); show('cancel-form', true); $('cancel-reason').focus(); });
  $('cancel-back').addEventListener('click', () => { show('cancel-form', false); $('cancel-start').focus(); });
  $('cancel-form').addEventListener('submit', submitCancel);
  $('reschedule-start').addEventListener('click', () => { closeManagePanels(); show('reschedule-panel', true); focusOn('reschedule-heading'); loadMoveSlots(); });
  $('same-provider').addEventListener('change', () => loadMoveSlots());
  $('disruption-move').addEventListener('click', () => {
    // Their clinician no longer sees patients here: offer every clinician's times, not only theirs.
    const disruption = (state.manage && state.manage.booking && state.manage.booking.disruption) || {};
    if (disruption.reason === 'provider_inactive') $('same-provider').checked = false;
    $('reschedule-start').click();
  });
  $('disruption-cancel').addEventListener('click', () => $('cancel-start').click());
  $('disruption-telehealth').addEventListener('click', moveToTelehealth);
  $('reschedule-submit').addEventListener('click', submitMove);
  $('reschedule-back').addEventListener('click', () => { closeManagePanels(); $('reschedule-start').focus(); });
  for (const kind of ['later', 'all', 'visit']) $(`plan-cancel-${kind}`).addEventListener('click', () => startPlanCancel(kind));
  $('plan-confirm-yes').addEventListener('click', submitPlanCancel);
  $('plan-confirm-no').addEventListener('click', stopPlanCancel);
  onHoldLost(() => slotLost('slotTaken'), () => slotLost('slotGone'));
  bindHold(pickAgain);
  bindWaitlist();
  bindOffer();
  window.addEventListener('hashchange', route);
}

// The hold ran out: the times are listed afresh (the patient's details stay) and picked again.
async function pickAgain() {
  state.chosen = null;
  await releaseHold();
  show('details-section', false);
  await findTimes(null, state.weekStart);
  focusOn('slots-heading');
}

function route() {
  const entry = entryFromHash();
  if (entry) { showEntry(entry); return; }
  show('offer-view', false);
  const link = manageFromHash();
  if (link) { showManage(link); return; }
  if (/^#(manage|offer|waitlist)=/.test(window.location.hash)) {
    show('booking-flow', false);
    show('manage-view', true);
    say('manageNotFound', { error: true });
    return;
  }
  show('manage-view', false);
  show('booking-flow', true);
  if (!state.catalogLoaded) loadCatalog();
}

state.lang = pickLanguage();
bind();
applyLanguage();
route();
loadPolicy();  // shown before booking, and the hours a late change is explained with; the horizon
loadStates().then(() => { fillStates(); renderZones(); });  // the states' names and zones
loadSmsConsent();  // the exact wording beside the phone
