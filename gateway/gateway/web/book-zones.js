/* The patient's clock (shared decision 2): each state's IANA zones and its name in English and Spanish,
 * read once from the public API (GET /bookings/patient-zones); the patient's zone is the one they chose when it is one of their
 * state's, else the state's only zone, else none (a state with several zones and no choice: only the
 * clinic's clock is shown, rather than a guess an hour wrong). The page asks which zone, with a select,
 * only for a state with several. Without the list (an older API, or trouble) the page shows the clinic's
 * clock alone and the states' English names.
 */

import { call, ROUTES } from './book-api.js';
import { state } from './book-state.js';
import { STATES } from './book-strings.js';

const FALLBACK = Object.fromEntries(STATES.map(([code, name]) => [code, { zones: [], names: { en: name } }]));

let loading = null;

// Read once (every caller awaits the same answer).
export function loadStates() {
  if (!loading) loading = readStates();
  return loading;
}

// GET /bookings/patient-zones: {states: [{code, name: {en, es}, zones: [{id, label: {en, es}}]}]}.
async function readStates() {
  const response = await call('GET', ROUTES.states());
  const listed = (response.status === 200 && response.data && response.data.states) || [];
  state.stateInfo = { ...FALLBACK };
  for (const s of Array.isArray(listed) ? listed : []) {
    if (!s || !s.code) continue;
    const zones = (s.zones || []).filter((z) => z && z.id);
    state.stateInfo[s.code] = { zones: zones.map((z) => z.id), labels: Object.fromEntries(zones.map((z) => [z.id, z.label || {}])),
      names: s.name || {} };
  }
  return state.stateInfo;
}

const info = (code) => (state.stateInfo || FALLBACK)[(code || '').toUpperCase()] || { zones: [], names: {} };

export const zonesOf = (code) => info(code).zones || [];

export function stateName(code) {
  const names = info(code).names || {};
  return names[state.lang] || names.en || (FALLBACK[code] || { names: {} }).names.en || code || '';
}

export function patientZone(code, chosen) {
  const zones = zonesOf(code);
  if (chosen && zones.includes(chosen)) return chosen;
  return zones.length === 1 ? zones[0] : null;
}

// A zone's name as the API words it ("Central (Chicago)"), else as the browser does.
export function zoneLabel(zone, code) {
  const label = (info(code).labels || {})[zone] || {};
  if (label[state.lang] || label.en) return label[state.lang] || label.en;
  try {
    const parts = new Intl.DateTimeFormat(state.lang === 'es' ? 'es-US' : 'en-US', { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date());
    const name = (parts.find((p) => p.type === 'timeZoneName') || {}).value;
    return name ? `${name} (${zone.split('/').pop().replace(/_/g, ' ')})` : zone;
  } catch (_) {
    return zone;
  }
}
