// The form for a closure or special hours (dates, reason, closed all day or one or two intervals, who works
// them in full) and what it reads into the body POST /locations/{id}/closures takes. Submitting it checks
// first (staff-hours-closures.js); editing it afterwards hides the check, so what is saved is what was checked.
import { el } from './staff-dom.js';
import { t } from './staff-strings.js';

const field = (id, label, input) => el('div', { class: 'field' }, el('label', { for: id, text: t(label) }), input);

export function closureForm(providers, onCheck) {
  const box = el('div', { id: 'closure-preview', class: 'card', hidden: true, 'aria-live': 'polite' });
  const radio = (value, label, checked) => el('label', { class: 'inline' },
    el('input', { type: 'radio', name: 'closure-kind', value, checked }), ` ${t(label)}`);
  const special = el('div', { id: 'special-fields', class: 'filters', hidden: true },
    field('closure-open', 'opens', el('input', { id: 'closure-open', type: 'time', value: '09:00' })),
    field('closure-close', 'closes', el('input', { id: 'closure-close', type: 'time', value: '12:00' })),
    field('closure-open2', 'opens2', el('input', { id: 'closure-open2', type: 'time' })),
    field('closure-close2', 'closes2', el('input', { id: 'closure-close2', type: 'time' })),
    providers.length ? el('fieldset', { class: 'staffed' }, el('legend', { text: t('whoStaffs') }),
      el('p', { class: 'hint', text: t('whoStaffsHint') }),
      ...providers.map((p) => el('label', { class: 'inline' },
        el('input', { type: 'checkbox', name: 'closure-provider', value: p.id }), ` ${p.name}`))) : null);
  const form = el('form', { id: 'closure-form', method: 'post', novalidate: true },
    el('div', { class: 'filters' },
      field('closure-from', 'fromDate', el('input', { id: 'closure-from', type: 'date', required: true })),
      field('closure-to', 'toDate', el('input', { id: 'closure-to', type: 'date', required: true })),
      field('closure-reason', 'closureReason', el('input', { id: 'closure-reason', type: 'text', maxlength: '200', required: true }))),
    el('fieldset', { class: 'views' }, el('legend', { text: t('kind') }),
      radio('closed', 'kindClosed', true), radio('special', 'kindSpecial', false)),
    special,
    el('button', { type: 'submit', id: 'closure-check' }, t('checkFirst')), box);
  form.addEventListener('change', (event) => {
    if (event.target.name === 'closure-kind') special.hidden = event.target.value !== 'special';
  });
  form.addEventListener('input', () => {
    if (!box.hidden) box.replaceChildren(el('p', { class: 'hint', text: t('changedSinceCheck') }));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onCheck(form, box);
  });
  return form;
}

export function readForm(form) {
  const value = (id) => form.querySelector(`#${id}`).value;
  const from = value('closure-from');
  const body = { from, to: value('closure-to') || from, reason: value('closure-reason').trim() };
  if (form.querySelector('input[name="closure-kind"]:checked').value === 'special') {
    body.intervals = [[value('closure-open'), value('closure-close')], [value('closure-open2'), value('closure-close2')]]
      .filter(([open, close]) => open || close).map(([open, close]) => ({ open, close }));
    body.provider_ids = [...form.querySelectorAll('input[name="closure-provider"]:checked')].map((box) => box.value);
  }
  return body;
}
