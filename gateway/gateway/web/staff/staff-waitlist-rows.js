// One waitlist entry as a row: who, what they wait for (visit type, how, where, clinician, language), their
// weekly windows and last date, their status, the live offer (the slot and how long it is held, on the
// clinic's clock) and the offers made before and how each ended.
import { el } from './staff-dom.js';
import { t } from './staff-strings.js';
import { locationName, providerName, serviceName, zoneOf } from './staff-requests-catalog.js';
import { dayName, fullWhen, timeOf } from './staff-time.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const lines = (...items) => items.filter(Boolean).map((item) => el('div', { text: item }));

function waitsFor(entry) {
  return lines(`${serviceName(entry.service_id)} · ${t(entry.modality)}`, entry.location_ids.map(locationName).join(', '),
    entry.provider_id ? t('wlWith', { name: providerName(entry.provider_id) }) : '',
    entry.language ? t('wlSpeaks', { language: t(`language_${entry.language}`) }) : '');
}

function windows(entry) {
  const shown = (entry.windows || []).map((w) => {
    const days = [...w.days].sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b)).map((d) => t(`rqDay_${d}`)).join(', ');
    return `${days} ${w.from}–${w.to}`;
  });
  return lines(...(shown.length ? shown : [t('wlAnyTime')]), t('wlUntil', { date: dayName(entry.until) }));
}

// A slot an offer named, on its clinic's clock, with the clinician.
const slotText = (offer) => `${fullWhen(offer.start, zoneOf(offer.location_id))}, ${offer.provider?.name || providerName(offer.provider_id)}`;

function liveOffer(entry) {
  const offer = entry.status === 'offered' ? entry.offer : null;
  if (!offer) return t('wlNoOffer');
  return el('div', { class: 'wl-offer' }, ...lines(slotText(offer),
    t('wlExpires', { time: timeOf(offer.expires_at, zoneOf(offer.location_id)) })));
}

function pastOffers(entry) {
  const past = entry.past_offers || [];
  if (!past.length) return t('wlNoPast');
  return el('ul', { class: 'wl-past' }, ...past.map((offer) => el('li', {
    text: `${slotText(offer)}: ${t(`wlOutcome_${offer.outcome}`)}` })));
}

export function entryRow(entry, remove) {
  const name = entry.patient?.name || '—';
  const live = entry.status === 'waiting' || entry.status === 'offered';
  const action = live ? el('button', { type: 'button', class: 'plain', 'data-key': `remove:${entry.id}`,
    'aria-label': t('wlRemoveFor', { name }), onclick: () => remove(entry) }, t('wlRemove')) : null;
  const visit = entry.booking_id ? el('a', { href: `#visit=${encodeURIComponent(entry.booking_id)}`, text: t('wlBookedVisit') }) : null;
  return el('tr', { 'data-entry': entry.id },
    el('td', { text: fullWhen(entry.joined_at, zoneOf(entry.location_ids[0])) }), el('td', { text: name }),
    el('td', {}, ...waitsFor(entry)), el('td', {}, ...windows(entry)),
    el('td', {}, el('span', { class: `badge wl-${entry.status}`, text: t(`wlStatus_${entry.status}`) })),
    el('td', {}, liveOffer(entry)), el('td', {}, pastOffers(entry)),
    el('td', {}, el('div', { class: 'row-actions' }, action, visit)));
}
