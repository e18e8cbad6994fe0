// One catalog record's form (new or existing): its fields from staff-catalog-fields.js, saved through the BFF
// (POST or PATCH on the locations service's routes), a 422's messages shown beside each field, and the
// answer's disrupted_bookings said after saving.
import { ApiError, call, explain } from './staff-api.js';
import { el, say } from './staff-dom.js';
import { t } from './staff-strings.js';
import { KINDS, NEW_CLINIC_HOURS } from './staff-catalog-fields.js';

const at = (record, path) => path.reduce((value, key) => (value == null ? undefined : value[key]), record);
const NULLABLE = new Set(['description', 'phone']);

function control(field, id, value, describedBy) {
  const common = { id, name: field.key, 'aria-describedby': describedBy };
  if (field.type === 'textarea') return el('textarea', { ...common, rows: 2 }, value ?? '');
  if (field.type === 'select') {
    const options = field.options.map(([v, key, text]) => el('option', { value: v, selected: v === value,
      'data-i18n': text ? null : key }, text || t(key)));
    return el('select', common, ...options);
  }
  const shown = field.type === 'list' ? (value || []).join(', ') : value ?? '';
  return el('input', { ...common, type: 'text', value: String(shown),
    inputmode: field.type === 'number' ? 'numeric' : null, required: field.required || null });
}

function fieldBlock(field, record) {
  const id = `cat-${field.key}`;
  const value = record ? at(record, field.path) : field.initial;
  const error = el('p', { id: `${id}-error`, class: 'field-error', hidden: true });
  if (field.type === 'checkbox') {
    return el('div', { class: 'field', 'data-field': field.path.join('.') },
      el('label', {}, el('input', { type: 'checkbox', id, name: field.key, checked: value !== false || null }),
        el('span', { 'data-i18n': field.label, text: t(field.label) })), error);
  }
  if (field.type === 'checks') {
    const chosen = new Set(value || (record ? [] : field.options.map(([v]) => v).slice(0, 1)));
    return el('fieldset', { class: 'field', 'data-field': field.path.join('.'), 'aria-describedby': `${id}-error` },
      el('legend', { 'data-i18n': field.label, text: t(field.label) }),
      ...field.options.map(([v, key, text]) => el('label', { class: 'check' },
        el('input', { type: 'checkbox', name: field.key, value: v, checked: chosen.has(v) || null }),
        el('span', { 'data-i18n': text ? null : key, text: text || t(key) }))), error);
  }
  const hint = field.hint ? el('p', { id: `${id}-hint`, class: 'hint', 'data-i18n': field.hint, text: t(field.hint) }) : null;
  const describedBy = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  return el('div', { class: 'field', 'data-field': field.path.join('.') },
    el('label', { for: id, 'data-i18n': field.label, text: t(field.label) }), hint, control(field, id, value, describedBy),
    error);
}

function read(form, field) {
  if (field.type === 'checks') return [...form.querySelectorAll(`input[name="${field.key}"]:checked`)].map((i) => i.value);
  const input = form.elements[field.key];
  if (field.type === 'checkbox') return input.checked;
  const text = input.value.trim();
  if (field.type === 'number') return /^\d+$/.test(text) ? Number(text) : text;
  if (field.type === 'list') return text.split(/[\s,]+/).filter(Boolean).map((s) => s.toUpperCase());
  return text;
}

function bodyOf(form, fields, kind, isNew) {
  const body = {};
  const es = {};
  const address = {};
  for (const field of fields) {
    const value = read(form, field);
    const [head, sub] = field.path;
    if (head === 'translations') { if (value) es[field.path[2]] = value; } else if (head === 'address') address[sub] = value;
    else body[head] = NULLABLE.has(head) && value === '' ? null : value;
  }
  if (fields.some((f) => f.path[0] === 'translations')) body.translations = Object.keys(es).length ? { es } : {};
  if (fields.some((f) => f.path[0] === 'address')) {
    body.address = Object.values(address).some(Boolean) ? address : null;
  }
  if (kind === 'locations' && isNew) body.hours = NEW_CLINIC_HOURS;
  return body;
}

function flatten(errors, prefix = '', out = []) {
  for (const [key, value] of Object.entries(errors || {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) out.push([path, value.join(' ')]);
    else if (value && typeof value === 'object') flatten(value, path, out);
  }
  return out;
}

// Each message beside the field it is about (the longest field path it starts with); the rest in the summary.
function showErrors(form, problem) {
  const blocks = [...form.querySelectorAll('[data-field]')];
  const unplaced = [];
  let first = null;
  for (const [path, message] of flatten(problem?.errors)) {
    const block = blocks.filter((b) => path === b.dataset.field || path.startsWith(`${b.dataset.field}.`))
      .sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
    if (!block) { unplaced.push(message); continue; }
    const error = block.querySelector('.field-error');
    error.hidden = false;
    error.textContent = error.textContent ? `${error.textContent} ${message}` : message;
    block.querySelectorAll('input, select, textarea').forEach((i) => i.setAttribute('aria-invalid', 'true'));
    first = first || block.querySelector('input, select, textarea');
  }
  say([t('catFix'), ...unplaced].join(' '), { error: true });
  first?.focus();
}

function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => { e.hidden = true; e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
}

export function recordForm(kindId, record, lists, { saved, cancelled }) {
  const kind = KINDS[kindId];
  const fields = kind.fields(lists);
  const heading = record ? t('catEditing', { name: record.name }) : t('catNew', { what: t(kind.one) });
  const form = el('form', { class: 'card catalog-form', method: 'post', 'aria-labelledby': 'cat-form-title',
    novalidate: true, 'data-kind': kindId },
    el('h3', { id: 'cat-form-title', tabindex: '-1', text: heading }),
    ...fields.map((field) => fieldBlock(field, record)),
    el('div', { class: 'actions' }, el('button', { type: 'submit', 'data-i18n': 'catSave' }, t('catSave')),
      el('button', { type: 'button', class: 'plain', 'data-i18n': 'catCancel', onclick: cancelled }, t('catCancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const path = record ? `/staff/api/${kindId}/${encodeURIComponent(record.id)}` : `/staff/api/${kindId}`;
    try {
      const answer = (await call(record ? 'PATCH' : 'POST', path, { body: bodyOf(form, fields, kindId, !record) })).data;
      await saved(answer);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) showErrors(form, error.problem);
      else say(error.status === 403 ? t('catAdminOnly') : explain(error), { error: true });
    }
  });
  return form;
}
