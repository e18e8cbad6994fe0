/* Add to calendar: an iCalendar file (.ics, RFC 5545) built here from the booking the API answered, and
 * downloaded from a blob: URL (nothing about the patient goes to a server or into a URL).
 *
 * Times are written in UTC (DTSTART:20261207T150000Z), computed from the API's instants with their
 * offsets: every calendar shows them in its owner's zone, so there is no TZID to get wrong and no
 * VTIMEZONE to ship. One event per booking: a series lists each booked date, a combined visit each part.
 */

import { state } from './book-state.js';
import { addressLine, localName, providerName, t } from './book-format.js';
import { $, show } from './book-dom.js';

const CRLF = '\r\n';
let lastUrl = null;

export function utcStamp(iso) {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11).
export function icsText(value) {
  return String(value || '').replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

// Lines longer than 75 octets fold onto continuation lines that begin with a space (3.1).
function fold(line) {
  const bytes = new TextEncoder();
  const out = [];
  let current = '';
  for (const char of line) {
    if (bytes.encode(current + char).length > (out.length ? 74 : 75)) { out.push(current); current = ''; }
    current += char;
  }
  out.push(current);
  return out.join(`${CRLF} `);
}

function event(booking, stamp) {
  const loc = booking.location || {};
  const virtual = booking.modality === 'telehealth';
  const visit = localName(booking.service) || booking.service_id || '';
  const who = providerName(booking.provider_id, booking.provider);
  const where = virtual ? t('telehealth') : [localName(loc), addressLine(loc.address)].filter(Boolean).join(', ');
  const end = booking.end || new Date(Date.parse(booking.start) + 60 * 60000).toISOString();
  const description = [`${visit}, ${t('withName', { name: who })}`, virtual ? t('icsTelehealth') : '',
    loc.phone ? `${t('dPhone')}: ${loc.phone_display || loc.phone}` : ''].filter(Boolean).join('\n');
  return ['BEGIN:VEVENT', `UID:${booking.id}@clinic-booking`, `DTSTAMP:${stamp}`, `DTSTART:${utcStamp(booking.start)}`,
    `DTEND:${utcStamp(end)}`, `SUMMARY:${icsText(`${visit}: ${who}`)}`, `LOCATION:${icsText(where)}`,
    `DESCRIPTION:${icsText(description)}`, 'STATUS:CONFIRMED', 'END:VEVENT'];
}

export function icsFor(bookings) {
  const stamp = utcStamp(new Date().toISOString());
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Clinic scheduling//Booking page//EN', 'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH', ...bookings.flatMap((b) => event(b, stamp)), 'END:VCALENDAR'];
  return lines.map(fold).join(CRLF) + CRLF;
}

// The confirmation's link: a fresh file for the bookings shown (in the page's language).
export function renderCalendarLink(bookings) {
  const active = (bookings || []).filter((b) => b && b.start && !['cancelled', 'no_show'].includes(b.status));
  show('calendar-row', active.length > 0);
  if (!active.length) return;
  if (lastUrl) URL.revokeObjectURL(lastUrl);
  lastUrl = URL.createObjectURL(new Blob([icsFor(active)], { type: 'text/calendar;charset=utf-8' }));
  const link = $('add-calendar');
  link.setAttribute('href', lastUrl);
  link.setAttribute('download', state.lang === 'es' ? 'cita.ics' : 'appointment.ics');
}
