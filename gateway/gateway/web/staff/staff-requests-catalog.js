// The practice's catalog as the requests and waitlist screens name it: visit types, clinics and clinicians by
// id, in the page's language where the catalog has a translation (people's names never are). Loaded once.
import { get } from './staff-api.js';
import { language, t } from './staff-strings.js';
import { fullWhen } from './staff-time.js';

const catalog = { services: new Map(), locations: new Map(), providers: new Map(), loaded: false };

export async function loadCatalog() {
  if (catalog.loaded) return catalog;
  const [services, locations, providers] = await Promise.all(
    ['services', 'locations', 'providers'].map((name) => get(`/staff/api/${name}`)));
  services.data.services.forEach((s) => catalog.services.set(s.id, s));
  locations.data.locations.forEach((l) => catalog.locations.set(l.id, l));
  providers.data.providers.forEach((p) => catalog.providers.set(p.id, p));
  catalog.loaded = true;
  return catalog;
}

const translated = (item) => (language() === 'es' && item?.translations?.es?.name) || item?.name;

export const serviceName = (id) => translated(catalog.services.get(id)) || id || '—';
export const locationName = (id) => translated(catalog.locations.get(id)) || id || '—';
export const providerName = (id) => catalog.providers.get(id)?.name || id || '—';
export const zoneOf = (locationId) => catalog.locations.get(locationId)?.timezone || 'UTC';
export const clinics = () => [...catalog.locations.values()];

// What a request asked for, in words: its days and times of day, or any.
export const preferred = (r) => {
  const days = r.preferred_days.map((d) => t(`rqDay_${d}`)).join(', ');
  const times = r.preferred_times.map((p) => t(`rqTime_${p}`)).join(', ');
  return [days, times].filter(Boolean).join(' · ') || t('rqAnyTime');
};
export const receivedAt = (r) => fullWhen(r.created_at, zoneOf(r.location_ids[0]));
