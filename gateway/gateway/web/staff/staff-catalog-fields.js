// What the catalog screen edits of each kind of record: one entry per field, with where it lives in the API's
// record (`path`) so a 422's field errors land beside the right input. Types: text, textarea, number,
// checkbox (a boolean), checks (several of `options`), select, list (comma-separated, e.g. state codes).
import { t } from './staff-strings.js';

const ES_NAME = { key: 'es_name', type: 'text', path: ['translations', 'es', 'name'], label: 'fEsName' };
const ES_DESCRIPTION = { key: 'es_description', type: 'textarea', path: ['translations', 'es', 'description'],
  label: 'fEsDescription' };
const ACTIVE = { key: 'active', type: 'checkbox', path: ['active'], label: 'fActive', initial: true };
const MODALITIES = { key: 'modalities', type: 'checks', path: ['modalities'], label: 'fModalities',
  options: [['in_person', 'in_person'], ['telehealth', 'telehealth']] };
export const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix',
  'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];

export const KINDS = {
  providers: {
    title: 'catProviders', one: 'catProvider', columns: ['fName', 'fRole', 'fLanguages', 'fStates', 'fActive'],
    cells: (r) => [r.name, t(`role_${r.role}`), (r.languages || []).map((l) => t(`language_${l}`)).join(', '),
      (r.licensed_states || []).join(', '), r.active],
    fields: (lists) => [
      { key: 'name', type: 'text', path: ['name'], label: 'fName', required: true },
      { key: 'credentials', type: 'text', path: ['credentials'], label: 'fCredentials', required: true },
      { key: 'role', type: 'select', path: ['role'], label: 'fRole',
        options: [['therapist', 'role_therapist'], ['prescriber', 'role_prescriber']] },
      { key: 'languages', type: 'checks', path: ['languages'], label: 'fLanguages',
        options: [['en', 'language_en'], ['es', 'language_es']] },
      { key: 'licensed_states', type: 'list', path: ['licensed_states'], label: 'fStates', hint: 'fStatesHint' },
      { key: 'service_ids', type: 'checks', path: ['service_ids'], label: 'fServices',
        options: lists.services.map((s) => [s.id, null, s.name]) },
      ACTIVE,
    ],
  },
  services: {
    title: 'catServices', one: 'catService', columns: ['fName', 'fDuration', 'fBuffer', 'fModalities', 'fEsName', 'fActive'],
    cells: (r) => [r.name, r.duration_minutes, r.buffer_minutes, (r.modalities || []).map((m) => t(m)).join(', '),
      r.translations?.es?.name || '—', r.active],
    fields: () => [
      { key: 'name', type: 'text', path: ['name'], label: 'fName', required: true },
      { key: 'description', type: 'textarea', path: ['description'], label: 'fDescription' },
      { key: 'duration_minutes', type: 'number', path: ['duration_minutes'], label: 'fDuration', initial: 50 },
      { key: 'buffer_minutes', type: 'number', path: ['buffer_minutes'], label: 'fBuffer', initial: 10 },
      MODALITIES,
      { key: 'provider_role', type: 'select', path: ['provider_role'], label: 'fProviderRole',
        options: [['therapist', 'role_therapist'], ['prescriber', 'role_prescriber']] },
      ES_NAME, ES_DESCRIPTION, ACTIVE,
    ],
  },
  locations: {
    title: 'catLocations', one: 'catLocation', columns: ['fName', 'fCity', 'fPhone', 'fZone', 'fActive'],
    cells: (r) => [r.name, r.address?.city || '—', r.phone_display || r.phone || '—', r.timezone, r.active],
    fields: () => [
      { key: 'name', type: 'text', path: ['name'], label: 'fName', required: true },
      { key: 'line1', type: 'text', path: ['address', 'line1'], label: 'fLine1' },
      { key: 'city', type: 'text', path: ['address', 'city'], label: 'fCity' },
      { key: 'state', type: 'text', path: ['address', 'state'], label: 'fState', hint: 'fStateHint' },
      { key: 'postal_code', type: 'text', path: ['address', 'postal_code'], label: 'fPostal' },
      { key: 'phone', type: 'text', path: ['phone'], label: 'fPhone', hint: 'fPhoneHint' },
      { key: 'timezone', type: 'select', path: ['timezone'], label: 'fZone', options: ZONES.map((z) => [z, null, z]) },
      MODALITIES, ES_NAME, ES_DESCRIPTION, ACTIVE,
    ],
  },
};

// A clinic needs weekly hours to exist; a new one opens weekdays 9 to 5 until the Hours screen says otherwise.
export const NEW_CLINIC_HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  .map((day, i) => [day, i < 5 ? [{ open: '09:00', close: '17:00' }] : []]));
