// The caller's details: name, email, phone, language and state, and the SMS consent read to them in exactly
// the words bookings serves (GET /bookings/sms-consent, in the patient's language), ticked only when the
// caller agreed. Then the booked times, and that the patient gets an email with a link to manage them.
import { $, el } from './staff-dom.js';
import { t } from './staff-strings.js';
import { cat, clocksText, providerName, stateName } from './staff-book-data.js';
import { fullWhen } from './staff-time.js';

const input = (id, labelKey, attrs) => el('div', { class: 'field' },
  el('label', { for: id, 'data-i18n': labelKey, text: t(labelKey) }), el('input', { id, ...attrs }));

export function patientForm(onConfirm) {
  const consent = cat().consent;
  const form = el('form', { id: 'bk-patient', class: 'card', method: 'post', novalidate: true, hidden: true },
    el('h2', { id: 'bk-patient-title', tabindex: '-1', 'data-i18n': 'patientTitle', text: t('patientTitle') }),
    el('p', { id: 'bk-summary', class: 'chosen' }),
    el('div', { id: 'bk-plan' }),
    el('div', { class: 'patient-grid' },
      input('bk-name', 'patientName', { autocomplete: 'off', maxlength: '200', required: true }),
      input('bk-email', 'email', { type: 'email', autocomplete: 'off', maxlength: '254', required: true }),
      input('bk-phone', 'phone', { type: 'tel', autocomplete: 'off', required: true }),
      el('div', { class: 'field' }, el('label', { for: 'bk-plang', 'data-i18n': 'patientLanguage', text: t('patientLanguage') }),
        el('select', { id: 'bk-plang' }, el('option', { value: 'en', 'data-i18n': 'language_en', text: t('language_en') }),
          el('option', { value: 'es', 'data-i18n': 'language_es', text: t('language_es') }))),
      el('div', { class: 'field' }, el('label', { for: 'bk-pstate', 'data-i18n': 'patientState', text: t('patientState') }),
        el('select', { id: 'bk-pstate' }, ...cat().states.map((s) => el('option', { value: s.code, text: stateName(s.code) }))))),
    el('div', { class: 'field' }, el('label', { for: 'bk-notes', 'data-i18n': 'notesLabel', text: t('notesLabel') }),
      el('textarea', { id: 'bk-notes', maxlength: '2000', rows: '2' })),
    consent?.texts ? el('div', { class: 'consent', id: 'bk-consent-block' },
      el('p', { class: 'hint', 'data-i18n': 'consentRead', text: t('consentRead') }),
      el('blockquote', { id: 'bk-consent-text' }),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', id: 'bk-consent' }), ' ',
        el('span', { 'data-i18n': 'consentAgreed', text: t('consentAgreed') }))) : null,
    el('button', { type: 'submit', id: 'bk-confirm', 'data-i18n': 'confirm', text: t('confirm') }));
  form.addEventListener('submit', (event) => { event.preventDefault(); onConfirm(); });
  form.addEventListener('change', (event) => { if (event.target.id === 'bk-plang') wording(); });
  return form;
}

// The consent in the language the patient will get their texts in.
function wording() {
  const texts = cat().consent?.texts;
  if (texts && $('bk-consent-text')) $('bk-consent-text').textContent = texts[$('bk-plang').value] || texts.en;
}

export function preparePatient(search) {
  $('bk-pstate').value = search.state || 'AR';
  if (search.language) $('bk-plang').value = search.language;
  wording();
}

function invalid(id, problem) {
  $(id).setAttribute('aria-invalid', 'true');
  return { problem, field: id };
}

// A US number as people say it (501-555-0142, (501) 555 0142, 1 501…) in the E.164 form the API takes;
// one written with + is left to the API.
function asE164(text) {
  const digits = text.replace(/\D/g, '');
  if (text.startsWith('+')) return digits.length >= 8 ? `+${digits}` : '';
  if (digits.length === 10) return `+1${digits}`;
  return digits.length === 11 && digits.startsWith('1') ? `+${digits}` : '';
}

// The patient as the API takes it, or {problem, field} for the first thing missing.
export function readPatient(search) {
  document.querySelectorAll('#bk-patient [aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
  const name = $('bk-name').value.trim();
  const email = $('bk-email').value.trim();
  const phone = $('bk-phone').value.trim();
  if (!name) return invalid('bk-name', 'needName');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return invalid('bk-email', 'needEmail');
  const dialled = asE164(phone);
  if (!dialled) return invalid('bk-phone', 'needPhone');
  const patient = { name, email, phone: dialled, language: $('bk-plang').value, state: $('bk-pstate').value };
  if (search.tele && search.theirZone && search.chosenZone) patient.timezone = search.theirZone;
  if ($('bk-consent')?.checked) patient.sms_consent = true;
  return { patient, notes: $('bk-notes').value.trim() || null };
}

export function resetPatient() {
  ['bk-name', 'bk-email', 'bk-phone', 'bk-notes'].forEach((id) => { $(id).value = ''; });
  if ($('bk-consent')) $('bk-consent').checked = false;
}

// What was booked: each visit on the clinic's clock (and the caller's), its clinician, a link to its details.
export function resultView(bookings, skipped, patient, search, onAgain) {
  const items = bookings.map((b) => el('li', {},
    el('a', { href: `#visit=${encodeURIComponent(b.id)}`, text: fullWhen(b.start, search.zone) }),
    search.theirZone ? ` (${clocksText(b.start, search.zone, search.theirZone)})` : '',
    ` · ${b.service?.name || ''} · ${b.provider?.name || providerName(b.provider_id)}`));
  return el('section', { id: 'bk-result', class: 'card', 'aria-labelledby': 'bk-result-title' },
    el('h2', { id: 'bk-result-title', tabindex: '-1', text: t(bookings.length > 1 ? 'bookedMany' : 'bookedOne', { n: bookings.length }) }),
    el('ul', { id: 'bk-booked' }, ...items),
    skipped?.length ? el('p', { class: 'notice', text: t('skippedDates', { n: skipped.length }) }) : null,
    el('p', { id: 'bk-email-note', text: t('emailNote', { name: patient.name, email: patient.email }) }),
    el('button', { type: 'button', id: 'bk-again', onclick: onAgain, text: t('bookAnother') }));
}
