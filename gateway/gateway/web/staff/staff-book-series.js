// A series from the picked first visit: its dates previewed (POST /series/preview), each free or in conflict
// with its reason and the clinician's other free times that week; booked all together when every date is
// free (a date taken meanwhile: 409, previewed again), else only the free ones.
import { post } from './staff-api.js';
import { $, el } from './staff-dom.js';
import { t } from './staff-strings.js';
import { clocksText } from './staff-book-data.js';
import { fullWhen } from './staff-time.js';

let preview = null;

export function seriesRequest(search, slot) {
  const body = { service_id: search.serviceId, provider_id: slot.provider_id, location_id: search.location.id,
    start: slot.start, every_weeks: search.everyWeeks, count: search.count };
  if (search.tele) body.patient_state = search.state;
  return body;
}

export async function previewSeries(search, slot) {
  preview = null;
  $('bk-plan').replaceChildren(el('p', { class: 'hint', text: t('loading') }));
  preview = (await post('/staff/api/series/preview', seriesRequest(search, slot))).data;
  const when = (iso) => `${fullWhen(iso, search.zone)}${search.theirZone ? ` (${clocksText(iso, search.zone, search.theirZone)})` : ''}`;
  const rows = preview.occurrences.map((o) => el('li', { class: o.status === 'free' ? 'free' : 'conflict' },
    el('span', { text: when(o.start) }), ' ',
    el('strong', { text: o.status === 'free' ? t('dateFree') : t(`reason_${o.reason || 'booked'}`) }),
    o.alternatives?.length ? el('span', { class: 'hint', text: ` ${t('alternatives', { times: o.alternatives
      .map((a) => fullWhen(a.start, search.zone)).join('; ') })}` }) : null));
  const free = freeCount();
  $('bk-plan').replaceChildren(el('h3', { text: t('seriesDates') }), el('ul', { id: 'bk-dates' }, ...rows),
    el('p', { class: free < preview.occurrences.length ? 'notice' : 'hint', id: 'bk-plan-note', tabindex: '-1',
      text: free === 0 ? t('noFreeDates') : free < preview.occurrences.length ? t('someConflicts', { n: free }) : t('allFree', { n: free }) }));
  $('bk-confirm').disabled = free === 0;
  $('bk-confirm').textContent = free < preview.occurrences.length ? t('confirmFree', { n: free }) : t('confirmAll', { n: free });
}

const freeCount = () => (preview?.occurrences || []).filter((o) => o.status === 'free').length;

export function clearPlan() {
  preview = null;
  $('bk-plan').replaceChildren();
  $('bk-confirm').disabled = false;
  $('bk-confirm').textContent = t('confirm');
}

export function seriesBody(search, slot, patient) {
  const all = freeCount() === (preview?.occurrences || []).length;
  return { ...seriesRequest(search, slot), patient, accept: all ? 'all' : 'available' };
}
