// Dates and times on the clinic's clock. A booking's start comes from the API in the location's zone with
// its offset, so its first ten characters are the clinic's date; Intl shows its time in that same zone.
import { language } from './staff-strings.js';

const locale = () => (language() === 'es' ? 'es-US' : 'en-US');

export function todayIn(zone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

function asUtcDate(day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function addDays(day, count) {
  const date = asUtcDate(day);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

export function weekStart(day) {
  const weekday = (asUtcDate(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -weekday);
}

// The days a view shows, and a query range a day wider on each side: every zone's idea of those dates is
// inside it, and the page keeps the bookings whose clinic date is shown.
export function viewRange(view, day) {
  const first = view === 'week' ? weekStart(day) : day;
  const days = Array.from({ length: view === 'week' ? 7 : 1 }, (_, i) => addDays(first, i));
  return { days, from: `${addDays(first, -1)}T12:00:00Z`, to: `${addDays(days[days.length - 1], 1)}T12:00:00Z` };
}

export const clinicDate = (booking) => booking.start.slice(0, 10);

export function timeOf(iso, zone) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, hour: 'numeric', minute: '2-digit' })
    .format(new Date(iso));
}

export function dayName(day) {
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' })
    .format(asUtcDate(day));
}

export function fullWhen(iso, zone) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric',
    hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

export function zoneName(zone) {
  const parts = new Intl.DateTimeFormat(locale(), { timeZone: zone, timeZoneName: 'long' }).formatToParts(new Date());
  return parts.find((part) => part.type === 'timeZoneName')?.value || zone;
}

export const hasStarted = (booking) => Date.parse(booking.start) <= Date.now();
