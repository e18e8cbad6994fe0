// The search as the caller says it: what kind of booking (one visit, a series, therapy with a medication
// check the same day), the visit type(s), where (a clinic or telehealth, which then asks the caller's state
// and, for a state with several zones, which one), optionally the clinician and the language.
import { $, el } from './staff-dom.js';
import { t } from './staff-strings.js';
import { callerZone, cat, isTelehealth, locationOf, named, providersFor, serviceOf, stateName } from './staff-book-data.js';

const KINDS = ['one', 'series', 'combined'];

function field(id, labelKey, control, hidden = false) {
  return el('div', { class: 'field', id: `${id}-field`, hidden }, el('label', { for: id, 'data-i18n': labelKey, text: t(labelKey) }), control);
}

const options = (pairs) => pairs.map(([value, text, key]) => el('option', { value, text, 'data-i18n': key }));
const keyed = (pairs) => pairs.map(([value, key]) => [value, t(key), key]); // options the page retranslates

export function searchForm(onSearch) {
  const { services, locations, states } = cat();
  const kinds = el('fieldset', { class: 'kinds', id: 'bk-kind' }, el('legend', { 'data-i18n': 'kindLegend', text: t('kindLegend') }),
    ...KINDS.map((kind) => el('label', {}, el('input', { type: 'radio', name: 'bk-kind', value: kind, checked: kind === 'one' }),
      ' ', el('span', { 'data-i18n': `kind_${kind}`, text: t(`kind_${kind}`) }))));
  const form = el('form', { id: 'bk-search', class: 'filters book-search', method: 'post', novalidate: true }, kinds,
    field('bk-service', 'visitType', el('select', { id: 'bk-service' }, ...options(services.map((s) => [s.id, named(s)])))),
    field('bk-companion', 'companion', el('select', { id: 'bk-companion' }), true),
    field('bk-location', 'where', el('select', { id: 'bk-location' }, ...options(locations.map((l) => [l.id, named(l)])))),
    field('bk-state', 'callerState', el('select', { id: 'bk-state' },
      ...options([['', t('chooseState'), 'chooseState'], ...states.map((s) => [s.code, stateName(s.code)])])), true),
    field('bk-zone', 'callerZone', el('select', { id: 'bk-zone' }), true),
    field('bk-provider', 'provider', el('select', { id: 'bk-provider' })),
    field('bk-lang', 'speaks', el('select', { id: 'bk-lang' },
      ...options(keyed([['', 'anyLanguage'], ['en', 'language_en'], ['es', 'language_es']])))),
    field('bk-every', 'repeat', el('select', { id: 'bk-every' },
      ...options(keyed([['1', 'every1'], ['2', 'every2'], ['4', 'every4']]))), true),
    field('bk-count', 'howMany', el('input', { id: 'bk-count', type: 'number', min: '2', max: '26', value: '6' }), true),
    el('div', { class: 'field' }, el('button', { type: 'submit', id: 'bk-find', 'data-i18n': 'findTimes', text: t('findTimes') })));
  form.addEventListener('change', (event) => { if (event.target.id !== 'bk-provider') adapt(); });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSearch();
  });
  return form;
}

const kind = () => document.querySelector('input[name="bk-kind"]:checked')?.value || 'one';

// Names from the catalog in the page's language again (after a language switch); the choices stay.
export function renameOptions() {
  refill($('bk-service'), cat().services.map((s) => [s.id, named(s)]));
  refill($('bk-location'), cat().locations.map((l) => [l.id, named(l)]));
  refill($('bk-state'), [['', t('chooseState'), 'chooseState'], ...cat().states.map((s) => [s.code, stateName(s.code)])]);
  adapt();
}

// The form follows what was chosen: which fields ask, which clinicians and second visit types are offered.
export function adapt() {
  const location = locationOf($('bk-location').value);
  const tele = isTelehealth(location);
  const service = serviceOf($('bk-service').value);
  $('bk-state-field').hidden = !tele;
  const zones = tele ? (cat().states.find((s) => s.code === $('bk-state').value)?.zones || []) : [];
  $('bk-zone-field').hidden = zones.length < 2;
  refill($('bk-zone'), [['', t('chooseZone'), 'chooseZone'], ...zones.map((z) => [z.id, z.label?.[document.documentElement.lang] || z.label?.en || z.id])]);
  const combined = kind() === 'combined';
  $('bk-companion-field').hidden = !combined;
  refill($('bk-companion'), cat().services.filter((s) => s.provider_role !== service?.provider_role && s.active !== false)
    .map((s) => [s.id, named(s)]));
  $('bk-provider-field').hidden = combined;
  const offering = service && location ? providersFor(service.id, location, tele ? $('bk-state').value : '', $('bk-lang').value) : [];
  refill($('bk-provider'), [['', t('anyProvider'), 'anyProvider'], ...offering.map((p) => [p.id, p.name])]);
  $('bk-every-field').hidden = kind() !== 'series';
  $('bk-count-field').hidden = kind() !== 'series';
}

function refill(select, pairs) {
  const keep = select.value;
  select.replaceChildren(...options(pairs));
  if (pairs.some(([value]) => value === keep)) select.value = keep;
}

// The search, or {problem: <text key>, field} when something the search needs is missing.
export function readSearch() {
  const location = locationOf($('bk-location').value);
  const tele = isTelehealth(location);
  const state = tele ? $('bk-state').value : (location?.address?.state || '');
  const count = Number($('bk-count').value);
  if (tele && !state) return { problem: 'needState', field: 'bk-state' };
  if (kind() === 'series' && !(count >= 2 && count <= 26)) return { problem: 'needCount', field: 'bk-count' };
  return {
    kind: kind(), serviceId: $('bk-service').value, companionId: $('bk-companion').value, location, tele, state,
    zone: location?.timezone || 'UTC', theirZone: tele ? callerZone(state, $('bk-zone').value) : '',
    chosenZone: tele ? $('bk-zone').value : '', providerId: kind() === 'combined' ? '' : $('bk-provider').value,
    language: $('bk-lang').value, everyWeeks: Number($('bk-every').value), count,
  };
}
