/* The page's only way to the server: one fetch wrapper, held to the gateway's public API under /api/v1.
 *
 * The booking routes' two headers are set here and nowhere else: the Idempotency-Key that makes a
 * retried booking safe, and the X-Manage-Token that proves the caller holds the manage link. Both are
 * headers because a URL reaches logs; for the same reason the only query string is availability's.
 */

const TIMEOUT_MS = 20000;

// The only query parameters this page ever builds (availability's, and combined availability's
// service_ids); patient data is not among them.
const QUERY_KEYS = ['service_id', 'service_ids', 'location_id', 'from', 'to', 'provider_id', 'language', 'patient_state'];

export const ROUTES = {
  services: () => '/api/v1/services',
  locations: () => '/api/v1/locations',
  providers: () => '/api/v1/providers',
  availability: (params) => '/api/v1/availability' + query(params),
  combined: (params) => '/api/v1/availability/combined' + query(params),
  seriesPreview: () => '/api/v1/series/preview',
  series: () => '/api/v1/series',
  seriesOne: (id) => `/api/v1/series/${encodeURIComponent(id)}`,
  seriesCancel: (id) => `/api/v1/series/${encodeURIComponent(id)}/cancel`,
  visits: () => '/api/v1/visits',
  visit: (id) => `/api/v1/visits/${encodeURIComponent(id)}`,
  visitCancel: (id) => `/api/v1/visits/${encodeURIComponent(id)}/cancel`,
  bookings: () => '/api/v1/bookings',
  booking: (id) => `/api/v1/bookings/${encodeURIComponent(id)}`,
  cancel: (id) => `/api/v1/bookings/${encodeURIComponent(id)}/cancel`,
  reschedule: (id) => `/api/v1/bookings/${encodeURIComponent(id)}/reschedule`,
  // Care journeys: holds, the change policy and the waitlist (its offers accepted or declined).
  holds: () => '/api/v1/holds',
  hold: (id) => `/api/v1/holds/${encodeURIComponent(id)}`,
  policy: () => '/api/v1/bookings/policy',
  waitlist: () => '/api/v1/waitlist',
  waitlistOne: (id) => `/api/v1/waitlist/${encodeURIComponent(id)}`,
  waitlistAccept: (id) => `/api/v1/waitlist/${encodeURIComponent(id)}/accept`,
  waitlistDecline: (id) => `/api/v1/waitlist/${encodeURIComponent(id)}/decline`,
  // Issue 12: a request when no time fits, each state's zones and names, the SMS consent wording.
  requests: () => '/api/v1/appointment-requests',
  states: () => '/api/v1/bookings/patient-zones',
  smsConsent: () => '/api/v1/bookings/sms-consent',
};

function query(params) {
  const search = new URLSearchParams();
  for (const key of QUERY_KEYS) if (params[key]) search.set(key, params[key]);
  return '?' + search.toString();
}

// keepalive: the request outlives the page (a hold let go as the patient leaves).
export async function call(method, path, body, headers, keepalive) {
  if (!path.startsWith('/api/v1/')) throw new Error('only the public API');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const init = { method, headers: { Accept: 'application/json', ...(headers || {}) }, signal: controller.signal,
    credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer', keepalive: Boolean(keepalive) };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    const response = await fetch(path, init);
    const data = await response.json().catch(() => null);
    return { status: response.status, data, requestId: response.headers.get('X-Request-ID') };
  } catch (_) {
    return { status: 0, data: null, requestId: null };  // offline, timed out or refused
  } finally {
    clearTimeout(timer);
  }
}

export function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  // randomUUID needs a secure context; plain http on a clinic LAN still has getRandomValues.
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// The booking routes, each with the header it needs.

// holdToken: the booking of a held slot (body hold_id) proves it holds it.
export function postBooking(body, idempotencyKey, holdToken) {
  const headers = { 'Idempotency-Key': idempotencyKey };
  if (holdToken) headers['X-Hold-Token'] = holdToken;
  return call('POST', ROUTES.bookings(), body, headers);
}

export function getBooking(id, manageToken) {
  return call('GET', ROUTES.booking(id), undefined, { 'X-Manage-Token': manageToken });
}

export function cancelBooking(id, body, manageToken) {
  return call('POST', ROUTES.cancel(id), body, { 'X-Manage-Token': manageToken });
}

export function rescheduleBooking(id, body, manageToken) {
  return call('POST', ROUTES.reschedule(id), body, { 'X-Manage-Token': manageToken });
}

// Care plans: a weekly series (one weekly time, one request for every date) and a combined visit
// (two parts on one trip, booked together or not at all); each retried safely with its Idempotency-Key.

export function previewSeries(body) {
  return call('POST', ROUTES.seriesPreview(), body);
}

export function postSeries(body, idempotencyKey) {
  return call('POST', ROUTES.series(), body, { 'Idempotency-Key': idempotencyKey });
}

export function getSeries(id, manageToken) {
  return call('GET', ROUTES.seriesOne(id), undefined, { 'X-Manage-Token': manageToken });
}

// body {from}: this visit and the later ones; {}: every remaining visit of the series.
export function cancelSeries(id, body, manageToken) {
  return call('POST', ROUTES.seriesCancel(id), body, { 'X-Manage-Token': manageToken });
}

export function postVisit(body, idempotencyKey) {
  return call('POST', ROUTES.visits(), body, { 'Idempotency-Key': idempotencyKey });
}

export function getVisit(id, manageToken) {
  return call('GET', ROUTES.visit(id), undefined, { 'X-Manage-Token': manageToken });
}

export function cancelVisit(id, body, manageToken) {
  return call('POST', ROUTES.visitCancel(id), body, { 'X-Manage-Token': manageToken });
}

// Holds: a picked time kept for this patient while the form is filled in; let go when another is picked.

export function postHold(body) {
  return call('POST', ROUTES.holds(), body);
}

export function releaseHold(id, holdToken, leaving) {
  return call('DELETE', ROUTES.hold(id), undefined, { 'X-Hold-Token': holdToken }, leaving);
}

export function getPolicy() {
  return call('GET', ROUTES.policy());
}

// The waitlist: joined with the patient's windows; read or left with its manage token; an offer is
// accepted or declined with the manage token or with the offer link's own credential.

export function postWaitlist(body, idempotencyKey) {
  return call('POST', ROUTES.waitlist(), body, { 'Idempotency-Key': idempotencyKey });
}

const entryAuth = (auth) => (auth.offerToken ? { 'X-Offer-Token': auth.offerToken } : { 'X-Manage-Token': auth.manageToken });

export function getWaitlist(id, auth) {
  return call('GET', ROUTES.waitlistOne(id), undefined, entryAuth(auth));
}

export function leaveWaitlist(id, auth) {
  return call('DELETE', ROUTES.waitlistOne(id), undefined, entryAuth(auth));
}

export function acceptOffer(id, offerId, auth, idempotencyKey) {
  return call('POST', ROUTES.waitlistAccept(id), { offer_id: offerId }, { ...entryAuth(auth), 'Idempotency-Key': idempotencyKey });
}

// An appointment request ("call me to arrange a visit"), retried safely with its Idempotency-Key.
export function postRequest(body, idempotencyKey) {
  return call('POST', ROUTES.requests(), body, { 'Idempotency-Key': idempotencyKey });
}

export function declineOffer(id, offerId, auth) {
  return call('POST', ROUTES.waitlistDecline(id), { offer_id: offerId }, entryAuth(auth));
}
