// What booking for a caller reads once per page: the visit types, clinics, clinicians, each state's zones,
// the SMS consent wording and the change policy (all public answers, read through the staff session). And
// the two clocks: the clinic's first (the desk is there), the caller's beside it when it differs.
import { get } from './staff-api.js';
import { language, t } from './staff-strings.js';
import { timeOf, todayIn, addDays } from './staff-time.js';

let catalog = null;

// The screens' own stylesheet (staff-book.css), added once: a <link> to 'self' is allowed by the CSP.
export function bookStyles() {
  if (!document.querySelector('link[href="/staff/staff-book.css"]')) {
    const link = document.createElement('link');
    Object.assign(link, { rel: 'stylesheet', href: '/staff/staff-book.css' });
    document.head.append(link);
  }
}

export async function loadCatalog() {
  if (catalog) return catalog;
  const paths = ['services', 'locations', 'providers', 'bookings/patient-zones', 'bookings/sms-consent', 'bookings/policy'];
  const [services, locations, providers, zones, consent, policy] = await Promise.all(
    paths.map((path) => get(`/staff/api/${path}`).then((answer) => answer.data)));
  catalog = {
    services: services.services.filter((s) => s.active !== false),
    locations: locations.locations.filter((l) => l.active !== false),
    providers: providers.providers.filter((p) => p.active !== false),
    states: zones.states, consent, policy,
  };
  return catalog;
}

export const cat = () => catalog;
export const isTelehealth = (location) => Boolean(location) && !(location.modalities || []).includes('in_person');
export const locationOf = (id) => catalog.locations.find((l) => l.id === id);
export const serviceOf = (id) => catalog.services.find((s) => s.id === id);
export const providerName = (id) => catalog?.providers.find((p) => p.id === id)?.name || '';
export const stateOf = (code) => catalog.states.find((s) => s.code === code);
export const stateName = (code) => stateOf(code)?.name?.[language()] || stateOf(code)?.name?.en || code;
export const named = (thing) => thing?.translations?.[language()]?.name || thing?.name || '';

// The caller's own zone: the state's only one, or the one they said for a state with several (else none).
export function callerZone(code, chosen) {
  const zones = stateOf(code)?.zones || [];
  if (zones.length === 1) return zones[0].id;
  return zones.some((z) => z.id === chosen) ? chosen : '';
}

// Clinicians who offer the visit type at the place (and, by telehealth, are licensed where the caller is).
export function providersFor(serviceId, location, state, lang) {
  return catalog.providers.filter((p) => (p.service_ids || []).includes(serviceId)
    && (!p.schedules || location.id in p.schedules)
    && (!isTelehealth(location) || !state || (p.licensed_states || []).includes(state))
    && (!lang || (p.languages || []).includes(lang)));
}

const shortZone = (iso, zone) => new Intl.DateTimeFormat(language() === 'es' ? 'es-US' : 'en-US',
  { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value || '';

// "9:00 AM CST", and "(10:00 AM EST for the caller)" beside it when the caller's clock differs.
export function twoClocks(iso, clinicZone, theirs) {
  const clinic = `${timeOf(iso, clinicZone)} ${shortZone(iso, clinicZone)}`;
  if (!theirs || timeOf(iso, theirs) === timeOf(iso, clinicZone) && shortZone(iso, theirs) === shortZone(iso, clinicZone)) {
    return { clinic, caller: '' };
  }
  return { clinic, caller: t('forCaller', { time: `${timeOf(iso, theirs)} ${shortZone(iso, theirs)}` }) };
}

export const clocksText = (iso, clinicZone, theirs) => {
  const { clinic, caller } = twoClocks(iso, clinicZone, theirs);
  return caller ? `${clinic} ${caller}` : clinic;
};

// The days one may book: from today to today + the horizon, on the clinic's calendar.
export const firstDay = (zone) => todayIn(zone);
export const lastDay = (zone) => addDays(todayIn(zone), Math.floor(Number(catalog?.policy?.booking_horizon_days) || 90));

export function newKey() {
  if (window.crypto?.randomUUID) return window.crypto.randomUUID();
  return Array.from(window.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
