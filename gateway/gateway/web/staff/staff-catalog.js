// The administrator's catalog (#catalog): clinicians, visit types and clinics, each listed (deactivated ones
// too) with Edit, and Add; one form open at a time (staff-catalog-form.js). A change that may disrupt
// bookings says how many it disrupted. Front-desk staff do not see this screen, and the gateway refuses
// their catalog writes (gateway/staff/catalog_guard.py).
import { explain, get } from './staff-api.js';
import { $, el, say, screenSection, show } from './staff-dom.js';
import { addStrings, t } from './staff-strings.js';
import { KINDS } from './staff-catalog-fields.js';
import { recordForm } from './staff-catalog-form.js';
import { TEXTS } from './staff-catalog-strings.js';

addStrings(TEXTS);
const ORDER = ['providers', 'services', 'locations'];
let lists = { providers: [], services: [], locations: [] };

export async function open() {
  screenSection('catalog', 'catalogTitle', t);
  show('catalog');
  $('catalog-title').focus();
  await redraw();
}

async function load() {
  const answers = await Promise.all(ORDER.map((kind) => get(`/staff/api/${kind}?include_inactive=true`)));
  lists = Object.fromEntries(ORDER.map((kind, i) => [kind, answers[i].data[kind]]));
}

async function redraw() {
  try {
    await load();
  } catch (error) {
    if (error.status !== 401) say(explain(error), { error: true });
    return;
  }
  draw();
}

// The lists in the page's language; an open form is kept as it is (what was typed stays), moved into place.
function draw() {
  const form = document.querySelector('.catalog-form');
  $('catalog-body').replaceChildren(el('p', { class: 'hint', text: t('catHint') }),
    ...ORDER.map((kind) => kindSection(kind)));
  if (form) $(`cat-${form.dataset.kind}-editor`).append(form);
}

new MutationObserver(() => { if ($('catalog') && !$('catalog').hidden) draw(); })
  .observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

function cellText(value) {
  if (value === true) return t('catYes');
  if (value === false) return t('catNo');
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

function kindSection(kindId) {
  const kind = KINDS[kindId];
  const head = el('tr', {}, ...kind.columns.map((key) => el('th', { scope: 'col', text: t(key) })),
    el('th', { scope: 'col', text: t('actions') }));
  const rows = lists[kindId].map((record) => el('tr', { 'data-record': record.id },
    ...kind.cells(record).map((value) => el('td', { text: cellText(value) })),
    el('td', {}, el('button', { type: 'button', class: 'plain', 'data-key': `edit:${kindId}:${record.id}`,
      'aria-label': `${t('catEdit')}: ${record.name}`, onclick: () => edit(kindId, record) }, t('catEdit')))));
  return el('section', { id: `cat-${kindId}`, class: 'card', 'aria-labelledby': `cat-${kindId}-title` },
    el('h2', { id: `cat-${kindId}-title`, tabindex: '-1', text: t(kind.title) }),
    el('div', { class: 'actions' }, el('button', { type: 'button', 'data-key': `add:${kindId}`,
      onclick: () => edit(kindId, null) }, t('catAdd', { what: t(kind.one) }))),
    el('div', { id: `cat-${kindId}-editor` }),
    el('div', { class: 'scroll' }, el('table', { 'aria-labelledby': `cat-${kindId}-title` },
      el('thead', {}, head), el('tbody', {}, ...rows))));
}

function edit(kindId, record) {
  document.querySelectorAll('.catalog-form').forEach((form) => form.remove());
  const editor = $(`cat-${kindId}-editor`);
  const form = recordForm(kindId, record, lists, {
    saved: async (answer) => {
      form.remove();
      await redraw();
      say(savedText(answer));
      $(`cat-${kindId}-title`).focus();
    },
    cancelled: () => { form.remove(); $(`cat-${kindId}-title`).focus(); },
  });
  editor.append(form);
  form.querySelector('input, select, textarea')?.focus();
}

function savedText(answer) {
  const saved = t('catSaved', { name: answer.name });
  if (!('disrupted_bookings' in answer)) return saved;
  if (answer.disrupted_bookings === null) return `${saved} ${t('catDisruptedUnknown')}`;
  return `${saved} ${t('catDisrupted', { count: answer.disrupted_bookings })}`;
}
