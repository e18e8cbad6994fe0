/* Text in the chosen language; dates and times in the clinic's time zone.
 *
 * A slot is shown at the clinic's wall-clock time, not the device's (zoneNote says so when they
 * differ), and is filed under its day in that zone, so a late-evening slot never lands on the next day.
 */

import { TEXT } from './book-strings.js';
import { state } from './book-state.js';

export function t(key, vars) {
  const text = TEXT[state.lang][key] || TEXT.en[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars && name in vars ? String(vars[name]) : ''));
}

function locale() { return state.lang === 'es' ? 'es-US' : 'en-US'; }

function fmt(iso, zone, options) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, ...options }).format(new Date(iso));
}

export function fmtTime(iso, zone) { return fmt(iso, zone, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }); }

export function fmtDay(key) {
  const [y, m, d] = key.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' })
    .format(new Date(Date.UTC(y, m - 1, d, 12)));
}

export function fmtWhen(iso, zone) { return `${fmtDay(dayKey(new Date(iso), zone))}, ${fmtTime(iso, zone)}`; }

function zoneName(zone) {
  try {
    const parts = new Intl.DateTimeFormat(locale(), { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(new Date());
    return (parts.find((p) => p.type === 'timeZoneName') || {}).value || zone;
  } catch (_) {
    return zone;
  }
}

export function zoneNote(zone) {
  const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const note = t('zoneNote', { zone: zoneName(zone) });
  return device && zoneName(device) !== zoneName(zone) ? `${note} ${t('zoneDiffers', { zone: zoneName(device) })}` : note;
}

export function dayKey(date, zone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date);
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function addDays(key, days) {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function providerName(id, snapshot) {
  const p = snapshot || state.providers[id];
  if (!p) return t('aClinician');
  return p.credentials ? `${p.name}, ${p.credentials}` : p.name;
}

export function addressLine(address) {
  if (!address) return '';
  return `${address.line1}, ${address.city}, ${address.state} ${address.postal_code}`;
}
