// "Book for a caller": the front desk on the phone finds a time (one visit, a series, or therapy with a
// medication check the same day; at a clinic or by telehealth from the caller's state), enters the patient,
// confirms. Each confirm carries an Idempotency-Key kept while the request is the same, so a double click or
// a retry books once. A time taken meanwhile (409) is said in plain words and the times are asked again.
import { $, el, say, screenSection, show } from './staff-dom.js';
import { addStrings, t } from './staff-strings.js';
import { TEXTS } from './staff-book-strings.js';
import { bookStyles, loadCatalog } from './staff-book-data.js';
import { adapt, readSearch, renameOptions, searchForm } from './staff-book-form.js';
import { patientForm, preparePatient, readPatient, resetPatient, resultView } from './staff-book-patient.js';
import { clearPlan, previewSeries } from './staff-book-series.js';
import { pickSource, submit, summary } from './staff-book-flow.js';
import { weekPicker } from './staff-book-week.js';

addStrings(TEXTS);

const state = { search: null, pick: null, picker: null };
let built = false;

export async function open() {
  bookStyles();
  screenSection('book', 'bookTitle', t);
  show('book');
  if (!built) {
    $('book-body').replaceChildren(el('p', { class: 'hint', text: t('loading') }));
    await loadCatalog();
    build();
    built = true;
    // After staff.js has translated the page's marked texts: what this screen made from data, worded again.
    document.querySelectorAll('.lang').forEach((b) => b.addEventListener('click', relanguage));
  }
  $('book-title').focus();
}

function build() {
  $('book-body').replaceChildren(
    el('p', { class: 'hint', 'data-i18n': 'bookIntro', text: t('bookIntro') }),
    searchForm(search),
    el('section', { id: 'bk-times', 'aria-labelledby': 'bk-times-title', hidden: true },
      el('h2', { id: 'bk-times-title', tabindex: '-1', 'data-i18n': 'freeTimes', text: t('freeTimes') }),
      el('div', { id: 'bk-week' })),
    patientForm(confirm),
    el('div', { id: 'bk-done' }));
  adapt();
}

function relanguage() {
  renameOptions();
  state.picker?.redraw();
  if (state.pick) $('bk-summary').textContent = summary(state.search, state.pick);
}

function refuse(problem, field) {
  say(t(problem), { error: true });
  $(field)?.focus();
}

async function search() {
  const found = readSearch();
  if (found.problem) return refuse(found.problem, found.field);
  say('');
  state.search = found;
  state.pick = null;
  $('bk-patient').hidden = true;
  state.picker = weekPicker('bk-list', pickSource(found), pick);
  $('bk-week').replaceChildren(state.picker.root);
  $('bk-times').hidden = false;
  await state.picker.load('', true);
  $('bk-times-title').focus();
}

async function pick(item) {
  state.pick = item;
  const search = state.search;
  $('bk-summary').textContent = summary(search, item);
  preparePatient(search);
  clearPlan();
  $('bk-patient').hidden = false;
  $('bk-patient-title').focus();
  if (search.kind === 'series') {
    try {
      await previewSeries(search, item);
    } catch (error) {
      $('bk-plan').replaceChildren(el('p', { class: 'notice', role: 'alert', text: error.message }));
    }
  }
}

async function confirm() {
  if (!state.pick) return refuse('needTime', 'bk-times-title');
  const read = readPatient(state.search);
  if (read.problem) return refuse(read.problem, read.field);
  const button = $('bk-confirm');
  if (button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  try {
    const outcome = await submit(state.search, state.pick, read.patient, read.notes);
    if (outcome.booked) return done(outcome, read.patient);
    say(outcome.message, { error: true });
    if (outcome.again === 'preview') {
      await previewSeries(state.search, state.pick).catch(() => {});
      $('bk-plan-note')?.focus();
    } else if (outcome.again === 'times') {
      state.pick = null;
      $('bk-patient').hidden = true;
      await state.picker.reload(outcome.message);
      $('bk-list-note').focus();
    }
  } finally {
    button.removeAttribute('aria-busy');
  }
}

function done(outcome, patient) {
  say(t('bookedSaid', { name: patient.name }));
  $('bk-search').hidden = true;
  $('bk-times').hidden = true;
  $('bk-patient').hidden = true;
  $('bk-done').replaceChildren(resultView(outcome.bookings, outcome.skipped, patient, state.search, again));
  $('bk-result-title').focus();
}

function again() {
  state.pick = null;
  resetPatient();
  $('bk-done').replaceChildren();
  $('bk-search').hidden = false;
  say('');
  $('book-title').focus();
}
