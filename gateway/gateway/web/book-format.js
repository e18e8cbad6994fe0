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

export function fmtShortDay(key) {
  const [y, m, d] = key.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' })
    .format(new Date(Date.UTC(y, m - 1, d, 12)));
}

// A time in the patient's zone next to the clinic's, when they differ ("9:00 AM EST (8:00 AM CST at the
// clinic)"); the clinic's alone when the patient's zone is unknown or shows the same time.
export function timeParts(iso, zone, patientZone) {
  const clinic = fmtTime(iso, zone);
  if (!patientZone || patientZone === zone) return [clinic, null];
  const theirs = fmtTime(iso, patientZone);
  return theirs === clinic ? [clinic, null] : [theirs, t('atClinic', { time: clinic })];
}

export function timeLine(iso, zone, patientZone) { return timeParts(iso, zone, patientZone).filter(Boolean).join(' '); }

export function fmtWhen(iso, zone, patientZone) {
  const shown = patientZone || zone;
  return `${fmtDay(dayKey(new Date(iso), shown))}, ${timeLine(iso, zone, patientZone)}`;
}

// A catalog item's name (visit type, clinic, provider) in the page's language, when the catalog has one.
export function localName(item) {
  if (!item) return '';
  const translated = item.translations && item.translations[state.lang];
  return (translated && translated.name) || item.name || '';
}

// A clinic's phone as people write it: the catalog's phone_display, else a US number in national form.
export function phoneText(loc) {
  if (!loc) return '';
  if (loc.phone_display) return loc.phone_display;
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(loc.phone || '');
  return us ? `(${us[1]}) ${us[2]}-${us[3]}` : loc.phone || '';
}

function zoneName(zone) {
  try {
    const parts = new Intl.DateTimeFormat(locale(), { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(new Date());
    return (parts.find((p) => p.type === 'timeZoneName') || {}).value || zone;
  } catch (_) {
    return zone;
  }
}

export function zoneNote(zone, patientZone) {
  if (patientZone && patientZone !== zone) return t('zoneBoth', { zone: zoneName(patientZone), clinic: zoneName(zone) });
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
  const name = localName(p);
  return p.credentials ? `${name}, ${p.credentials}` : name;
}

export function addressLine(address) {
  if (!address) return '';
  return `${address.line1}, ${address.city}, ${address.state} ${address.postal_code}`;
}
