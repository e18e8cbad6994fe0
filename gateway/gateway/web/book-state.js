/* The page's one shared state, and the catalog lookups every step needs.
 *
 * One mutable object rather than a variable per module: a language switch re-renders every step from
 * it, and an imported binding cannot be reassigned by the module that imports it.
 */

export const state = {
  lang: 'en', services: [], locations: [], providers: {}, catalogLoaded: false,
  serviceId: null, locationId: null, slots: null, chosen: null, prefilledState: '',
  errors: {}, status: null, formMessage: null, attempt: {}, submitting: false, booked: null, messageLanguageTouched: false,
  manage: null, moveSlots: null, moveChoice: null,
  // Care plans: the repeat chosen after a time (every 0 = once), its preview and the alternatives noted
  // as preferences; or a same-day companion visit (its service), its options and the chosen one.
  repeat: { every: 0, end: 'count', count: 4, until: '' }, preview: null, preferences: {},
  companionId: '', options: null, chosenOption: null,
  // Care journeys: the hold on the chosen time (or why there is none), the change policy's hours and a
  // late change refused; the waitlist being joined (its attempt's key) and the entry or offer shown.
  hold: null, holdNote: null, cutoffHours: null, lateChange: null,
  wlAttempt: {}, joining: false, waitlisted: null, entry: null,
  // Issue 12: the horizon (days, from the policy) and the first day of the week shown, when booking and
  // when moving; what the times area says (an empty week, none in the horizon and why, a time just taken);
  // the states' zones and names, the patient's zone; a request sent; the SMS consent wording served.
  horizonDays: null, weekStart: null, moveWeekStart: null, slotsInfo: null, slotsNote: null, moveNote: null,
  stateInfo: null, patientZone: null, rqAttempt: {}, requesting: false, requested: null, smsConsent: null,
};

export const isTelehealth = (loc) => Array.isArray(loc.modalities) && loc.modalities.length === 1 && loc.modalities[0] === 'telehealth';

export const currentService = () => state.services.find((s) => s.id === state.serviceId) || null;

export const currentLocation = () => state.locations.find((l) => l.id === state.locationId) || null;
