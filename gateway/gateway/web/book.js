/* The patient booking page: choose a visit, a time and book it; or manage a booking from its link.
 *
 * Everything goes through the gateway's public API under /api/v1 (same origin). Patient details
 * travel only in request bodies, never in a URL (query strings reach logs) and never in storage.
 * The manage link carries the booking id and its token in the fragment (#manage=<id>.<token>),
 * which browsers never send to a server. Text is set with textContent only: no HTML from data.
 */
(function () {
  'use strict';

  const DAYS_AHEAD = 14;
  const TIMEOUT_MS = 20000;
  // The only query parameters this page ever builds (availability's); patient data is not among them.
  const QUERY_KEYS = ['service_id', 'location_id', 'from', 'to', 'provider_id', 'language', 'patient_state'];
  const ACTIVE = ['requested', 'confirmed'];

  const ROUTES = {
    services: () => '/api/v1/services',
    locations: () => '/api/v1/locations',
    providers: () => '/api/v1/providers',
    availability: (params) => '/api/v1/availability' + query(params),
    bookings: () => '/api/v1/bookings',
    booking: (id) => `/api/v1/bookings/${encodeURIComponent(id)}`,
    cancel: (id) => `/api/v1/bookings/${encodeURIComponent(id)}/cancel`,
    reschedule: (id) => `/api/v1/bookings/${encodeURIComponent(id)}/reschedule`,
  };

  const STATES = [
    ['AL', 'Alabama'], ['AK', 'Alaska'], ['AZ', 'Arizona'], ['AR', 'Arkansas'], ['CA', 'California'],
    ['CO', 'Colorado'], ['CT', 'Connecticut'], ['DE', 'Delaware'], ['DC', 'District of Columbia'],
    ['FL', 'Florida'], ['GA', 'Georgia'], ['HI', 'Hawaii'], ['ID', 'Idaho'], ['IL', 'Illinois'],
    ['IN', 'Indiana'], ['IA', 'Iowa'], ['KS', 'Kansas'], ['KY', 'Kentucky'], ['LA', 'Louisiana'],
    ['ME', 'Maine'], ['MD', 'Maryland'], ['MA', 'Massachusetts'], ['MI', 'Michigan'], ['MN', 'Minnesota'],
    ['MS', 'Mississippi'], ['MO', 'Missouri'], ['MT', 'Montana'], ['NE', 'Nebraska'], ['NV', 'Nevada'],
    ['NH', 'New Hampshire'], ['NJ', 'New Jersey'], ['NM', 'New Mexico'], ['NY', 'New York'],
    ['NC', 'North Carolina'], ['ND', 'North Dakota'], ['OH', 'Ohio'], ['OK', 'Oklahoma'], ['OR', 'Oregon'],
    ['PA', 'Pennsylvania'], ['RI', 'Rhode Island'], ['SC', 'South Carolina'], ['SD', 'South Dakota'],
    ['TN', 'Tennessee'], ['TX', 'Texas'], ['UT', 'Utah'], ['VT', 'Vermont'], ['VA', 'Virginia'],
    ['WA', 'Washington'], ['WV', 'West Virginia'], ['WI', 'Wisconsin'], ['WY', 'Wyoming'],
  ];

  const TEXT = {
    en: {
      skip: 'Skip to content', brand: 'Counseling & psychiatry appointments', title: 'Book an appointment',
      crisis: 'If you are in crisis or thinking about harming yourself, call or text 988 now, or call 911. This page is for scheduling only.',
      loading: 'Loading…', step1: '1. Choose a visit', serviceLegend: 'What kind of visit?',
      locationLegend: 'In person or telehealth?', visitStateLabel: 'Which state will you be in during the visit?',
      visitStateHelp: 'Clinicians must be licensed in the state where you are during a telehealth visit.',
      chooseState: 'Choose a state', clinicianLanguageLabel: 'Preferred language of the clinician (optional)',
      noPreference: 'No preference', english: 'English', spanish: 'Spanish', findTimes: 'Show available times',
      step2: '2. Choose a time', step3: '3. Your details', nameLabel: 'Full name', emailLabel: 'Email',
      phoneLabel: 'Mobile phone',
      phoneHelp: 'International format: + and country code, e.g. +15555550123. For texts about this appointment.',
      messageLanguageLabel: 'Language for emails and texts', patientStateLabel: 'State you will be in during the visit',
      notesLabel: 'Anything the clinic should know? (optional)',
      notesHelp: "Please don't include anything urgent; the clinic may not read this before your visit.",
      bookButton: 'Book appointment', manageLinkLabel: 'Your link to view, reschedule or cancel',
      manageLinkHelp: 'Keep this link somewhere safe, such as a bookmark. It is shown only once, and anyone who has it can change this appointment.',
      copy: 'Copy link', copied: 'Link copied.', copyFailed: 'Select the link and copy it.', openManage: 'Open it now',
      bookAnother: 'Book another appointment', manageTitle: 'Your appointment', reschedule: 'Reschedule',
      cancelAppointment: 'Cancel appointment', cancelTitle: 'Cancel this appointment?',
      cancelReasonLabel: 'Reason (optional)', cancelConfirm: 'Yes, cancel it', keepIt: 'No, keep it',
      rescheduleTitle: 'Choose a new time', rescheduleConfirm: 'Move my appointment',
      rescheduleBack: 'Keep the current time', sameProvider: 'Only times with {name}',
      minutes: '{n} minutes', needsConfirmation: 'The clinic confirms this visit type before it is final.',
      telehealth: 'Telehealth (video visit)', telehealthSub: 'From home or another private place, by secure video.',
      inPerson: 'In person', aClinician: 'a clinician',
      noServices: 'No visit types can be booked online right now. Please call the clinic.',
      loadFailed: "We couldn't load the booking options. Please check your connection and try again.",
      retry: 'Try again', chooseService: 'Choose a visit type.', chooseLocation: 'Choose in person or telehealth.',
      chooseVisitState: 'Choose the state you will be in.', searching: 'Looking for open times…',
      slotsFound: '{n} open times in the next 14 days.', slotsFoundOne: '1 open time in the next 14 days.',
      noSlots: 'No open times in the next 14 days for this choice. Try another location, another visit type or no language preference, or call the clinic.',
      zoneNote: "Times are in the clinic's time zone: {zone}.", zoneDiffers: 'Your device is set to {zone}.',
      timesMany: '{n} times', timesOne: '1 time', required: 'This field is required.',
      invalidName: 'Enter your full name.', invalidEmail: 'Enter an email address like name@example.com.',
      invalidPhone: 'Enter the number with + and the country code, e.g. +15555550123.',
      invalidState: 'Choose a state.', invalidLanguage: 'Choose English or Spanish.',
      invalidNotes: 'Notes can be at most 2000 characters.', invalid: 'Check this field.',
      fixErrors: 'Please fix the highlighted fields.', booking: 'Booking your appointment…',
      slotTaken: 'Sorry, someone just booked that time. Here are the times that are still open.',
      slotGone: 'That time can no longer be booked. Please choose another one.',
      busy: "We're getting a lot of requests. Please wait a minute and try again; your details are still here.",
      unavailable: "We couldn't reach the booking system just now. Your details are still here; please try again in a moment.",
      reference: 'Reference: {id}', confirmedTitle: "You're booked", requestedTitle: 'Request received',
      confirmedLead: 'We will email the details to {email}.',
      requestedLead: 'The clinic will review your request and confirm it with you. We will email {email}.',
      dWhen: 'When', dVisit: 'Visit', dWith: 'With', dWhere: 'Where', dPhone: 'Clinic phone', dStatus: 'Status',
      dPatient: 'Patient',
      status_requested: 'Requested: waiting for the clinic to confirm', status_confirmed: 'Confirmed',
      status_checked_in: 'Checked in', status_completed: 'Completed', status_cancelled: 'Cancelled',
      status_no_show: 'Missed',
      manageLoading: 'Loading your appointment…',
      manageNotFound: "We couldn't find this appointment. Check that you opened the whole link, or call the clinic.",
      cancelling: 'Cancelling…', cancelled: 'Your appointment is cancelled.',
      cancelRefused: 'This appointment can no longer be changed online. Please call the clinic.',
      moving: 'Moving your appointment…', moved: 'Your appointment is now {when}.',
      noSlotsReschedule: 'No open times in the next 14 days. Try all clinicians, or call the clinic.',
      rescheduleChoice: 'New time: {summary}',
    },
    es: {
      skip: 'Saltar al contenido', brand: 'Citas de consejería y psiquiatría', title: 'Reservar una cita',
      crisis: 'Si está en crisis o piensa en hacerse daño, llame o envíe un mensaje de texto al 988 ahora, o llame al 911. Esta página es solo para programar citas.',
      loading: 'Cargando…', step1: '1. Elija una consulta', serviceLegend: '¿Qué tipo de consulta?',
      locationLegend: '¿En persona o por telesalud?', visitStateLabel: '¿En qué estado estará durante la consulta?',
      visitStateHelp: 'Los profesionales deben tener licencia en el estado donde usted esté durante una consulta por telesalud.',
      chooseState: 'Elija un estado', clinicianLanguageLabel: 'Idioma preferido del profesional (opcional)',
      noPreference: 'Sin preferencia', english: 'Inglés', spanish: 'Español', findTimes: 'Ver horarios disponibles',
      step2: '2. Elija un horario', step3: '3. Sus datos', nameLabel: 'Nombre completo',
      emailLabel: 'Correo electrónico', phoneLabel: 'Teléfono celular',
      phoneHelp: 'Formato internacional: + y el código de país, p. ej. +15555550123. Para mensajes de texto sobre esta cita.',
      messageLanguageLabel: 'Idioma de los correos y mensajes',
      patientStateLabel: 'Estado en el que estará durante la consulta',
      notesLabel: '¿Algo que la clínica deba saber? (opcional)',
      notesHelp: 'No incluya nada urgente; es posible que la clínica no lo lea antes de su consulta.',
      bookButton: 'Reservar cita', manageLinkLabel: 'Su enlace para ver, cambiar o cancelar la cita',
      manageLinkHelp: 'Guarde este enlace en un lugar seguro, por ejemplo como marcador. Solo se muestra una vez, y cualquier persona que lo tenga puede cambiar esta cita.',
      copy: 'Copiar enlace', copied: 'Enlace copiado.', copyFailed: 'Seleccione el enlace y cópielo.',
      openManage: 'Abrirlo ahora', bookAnother: 'Reservar otra cita', manageTitle: 'Su cita',
      reschedule: 'Cambiar la fecha', cancelAppointment: 'Cancelar la cita', cancelTitle: '¿Cancelar esta cita?',
      cancelReasonLabel: 'Motivo (opcional)', cancelConfirm: 'Sí, cancelarla', keepIt: 'No, mantenerla',
      rescheduleTitle: 'Elija un nuevo horario', rescheduleConfirm: 'Cambiar mi cita',
      rescheduleBack: 'Mantener el horario actual', sameProvider: 'Solo horarios con {name}',
      minutes: '{n} minutos', needsConfirmation: 'La clínica confirma este tipo de consulta antes de que sea definitiva.',
      telehealth: 'Telesalud (consulta por video)', telehealthSub: 'Desde su casa u otro lugar privado, por video seguro.',
      inPerson: 'En persona', aClinician: 'un profesional',
      noServices: 'En este momento no se pueden reservar consultas en línea. Llame a la clínica.',
      loadFailed: 'No pudimos cargar las opciones. Revise su conexión e inténtelo de nuevo.',
      retry: 'Intentar de nuevo', chooseService: 'Elija un tipo de consulta.',
      chooseLocation: 'Elija en persona o telesalud.', chooseVisitState: 'Elija el estado en el que estará.',
      searching: 'Buscando horarios disponibles…', slotsFound: '{n} horarios disponibles en los próximos 14 días.',
      slotsFoundOne: '1 horario disponible en los próximos 14 días.',
      noSlots: 'No hay horarios disponibles en los próximos 14 días para esta opción. Pruebe otro lugar, otro tipo de consulta o sin preferencia de idioma, o llame a la clínica.',
      zoneNote: 'Los horarios están en la zona horaria de la clínica: {zone}.',
      zoneDiffers: 'Su dispositivo está configurado en {zone}.', timesMany: '{n} horarios', timesOne: '1 horario',
      required: 'Este campo es obligatorio.', invalidName: 'Escriba su nombre completo.',
      invalidEmail: 'Escriba un correo como nombre@ejemplo.com.',
      invalidPhone: 'Escriba el número con + y el código de país, p. ej. +15555550123.',
      invalidState: 'Elija un estado.', invalidLanguage: 'Elija inglés o español.',
      invalidNotes: 'Las notas pueden tener como máximo 2000 caracteres.', invalid: 'Revise este campo.',
      fixErrors: 'Corrija los campos marcados.', booking: 'Reservando su cita…',
      slotTaken: 'Lo sentimos, alguien acaba de reservar ese horario. Estos son los horarios que siguen disponibles.',
      slotGone: 'Ese horario ya no se puede reservar. Elija otro.',
      busy: 'Estamos recibiendo muchas solicitudes. Espere un minuto e inténtelo de nuevo; sus datos siguen aquí.',
      unavailable: 'No pudimos comunicarnos con el sistema de citas. Sus datos siguen aquí; inténtelo de nuevo en un momento.',
      reference: 'Referencia: {id}', confirmedTitle: 'Su cita está reservada', requestedTitle: 'Solicitud recibida',
      confirmedLead: 'Enviaremos los detalles a {email}.',
      requestedLead: 'La clínica revisará su solicitud y se la confirmará. Le escribiremos a {email}.',
      dWhen: 'Cuándo', dVisit: 'Consulta', dWith: 'Con', dWhere: 'Dónde', dPhone: 'Teléfono de la clínica',
      dStatus: 'Estado', dPatient: 'Paciente',
      status_requested: 'Solicitada: pendiente de confirmación de la clínica', status_confirmed: 'Confirmada',
      status_checked_in: 'Registrada', status_completed: 'Completada', status_cancelled: 'Cancelada',
      status_no_show: 'No asistió',
      manageLoading: 'Cargando su cita…',
      manageNotFound: 'No encontramos esta cita. Verifique que abrió el enlace completo, o llame a la clínica.',
      cancelling: 'Cancelando…', cancelled: 'Su cita fue cancelada.',
      cancelRefused: 'Esta cita ya no se puede cambiar en línea. Llame a la clínica.',
      moving: 'Cambiando su cita…', moved: 'Su cita se cambió a: {when}.',
      noSlotsReschedule: 'No hay horarios disponibles en los próximos 14 días. Pruebe con todos los profesionales, o llame a la clínica.',
      rescheduleChoice: 'Nuevo horario: {summary}',
    },
  };

  // Booking-form fields: the key in the API's patient (or body) → [input id, error id, message key].
  const FIELDS = {
    name: ['patient-name', 'err-name', 'invalidName'], email: ['patient-email', 'err-email', 'invalidEmail'],
    phone: ['patient-phone', 'err-phone', 'invalidPhone'], language: ['patient-language', 'err-language', 'invalidLanguage'],
    state: ['patient-state', 'err-state', 'invalidState'], notes: ['patient-notes', 'err-notes', 'invalidNotes'],
  };
  const VISIT_FIELDS = {
    service: [null, 'err-service', 'chooseService'], location: [null, 'err-location', 'chooseLocation'],
    visitState: ['visit-state', 'err-visit-state', 'chooseVisitState'],
  };

  const state = {
    lang: 'en', services: [], locations: [], providers: {}, catalogLoaded: false,
    serviceId: null, locationId: null, slots: null, chosen: null, prefilledState: '',
    errors: {}, status: null, formMessage: null, attempt: {}, submitting: false, booked: null, messageLanguageTouched: false,
    manage: null, moveSlots: null, moveChoice: null,
  };

  const $ = (id) => document.getElementById(id);

  // ---- text and formatting ------------------------------------------------------------------

  function t(key, vars) {
    const text = TEXT[state.lang][key] || TEXT.en[key] || key;
    return text.replace(/\{(\w+)\}/g, (_, name) => (vars && name in vars ? String(vars[name]) : ''));
  }

  function locale() { return state.lang === 'es' ? 'es-US' : 'en-US'; }

  function fmt(iso, zone, options) {
    return new Intl.DateTimeFormat(locale(), { timeZone: zone, ...options }).format(new Date(iso));
  }

  function fmtTime(iso, zone) { return fmt(iso, zone, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }); }

  function fmtDay(key) {
    const [y, m, d] = key.split('-').map(Number);
    return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' })
      .format(new Date(Date.UTC(y, m - 1, d, 12)));
  }

  function fmtWhen(iso, zone) { return `${fmtDay(dayKey(new Date(iso), zone))}, ${fmtTime(iso, zone)}`; }

  function zoneName(zone) {
    try {
      const parts = new Intl.DateTimeFormat(locale(), { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(new Date());
      return (parts.find((p) => p.type === 'timeZoneName') || {}).value || zone;
    } catch (_) {
      return zone;
    }
  }

  function dayKey(date, zone) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(date);
    const part = (type) => parts.find((p) => p.type === type).value;
    return `${part('year')}-${part('month')}-${part('day')}`;
  }

  function addDays(key, days) {
    const [y, m, d] = key.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
  }

  function providerName(id, snapshot) {
    const p = snapshot || state.providers[id];
    if (!p) return t('aClinician');
    return p.credentials ? `${p.name}, ${p.credentials}` : p.name;
  }

  function addressLine(address) {
    if (!address) return '';
    return `${address.line1}, ${address.city}, ${address.state} ${address.postal_code}`;
  }

  // ---- DOM helpers ----------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, '');
      else node.setAttribute(name, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function show(id, visible) { $(id).hidden = !visible; }

  function focusOn(id) {
    const node = $(id);
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: 'start' });
  }

  // Messages are kept as {key, vars, error, response}, so a language switch can say them again.
  function messageText(m) {
    if (!m) return '';
    return withReference(t(m.key, typeof m.vars === 'function' ? m.vars() : m.vars), m.response);
  }

  let sayTimer = null;

  function say(key, options) {
    state.status = key ? { key, ...options } : null;
    renderStatus();
  }

  function renderStatus() {
    const status = $('status');
    const text = messageText(state.status);
    clearTimeout(sayTimer);
    status.classList.toggle('is-error', Boolean(state.status && state.status.error));
    status.textContent = '';
    // Set after a tick: screen readers announce a message even when it repeats the last one.
    if (text) sayTimer = setTimeout(() => { status.textContent = text; }, 50);
  }

  function formMessage(key, options) {
    state.formMessage = key ? { key, ...options } : null;
    $('form-error').textContent = messageText(state.formMessage);
    $('form-error').hidden = !state.formMessage;
  }

  const trouble = (response) => (response.status === 429 ? 'busy' : 'unavailable');

  function setBusy(button, busy) {
    button.disabled = busy;
    button.setAttribute('aria-busy', String(busy));
  }

  function withReference(message, response) {
    return response && response.requestId ? `${message} ${t('reference', { id: response.requestId })}` : message;
  }

  // ---- the API --------------------------------------------------------------------------------

  function query(params) {
    const search = new URLSearchParams();
    for (const key of QUERY_KEYS) if (params[key]) search.set(key, params[key]);
    return '?' + search.toString();
  }

  async function call(method, path, body, headers) {
    if (!path.startsWith('/api/v1/')) throw new Error('only the public API');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    const init = { method, headers: { Accept: 'application/json', ...(headers || {}) }, signal: controller.signal,
      credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer' };
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

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    // randomUUID needs a secure context; plain http on a clinic LAN still has getRandomValues.
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  async function fetchSlots(params, zone) {
    const from = dayKey(new Date(), zone);
    return call('GET', ROUTES.availability({ ...params, from, to: addDays(from, DAYS_AHEAD - 1) }));
  }

  // ---- step 1: visit type and place -----------------------------------------------------------

  const isTelehealth = (loc) => Array.isArray(loc.modalities) && loc.modalities.length === 1 && loc.modalities[0] === 'telehealth';
  const currentService = () => state.services.find((s) => s.id === state.serviceId) || null;
  const currentLocation = () => state.locations.find((l) => l.id === state.locationId) || null;

  async function loadCatalog() {
    const [services, locations, providers] = await Promise.all([
      call('GET', ROUTES.services()), call('GET', ROUTES.locations()), call('GET', ROUTES.providers())]);
    if (services.status !== 200 || locations.status !== 200) {
      const box = $('service-options');
      box.replaceChildren(el('p', { class: 'form-error' }, messageText({ key: 'loadFailed', response: services.status !== 200 ? services : locations })),
        el('button', { type: 'button', onclick: () => { box.replaceChildren(el('p', { class: 'help' }, t('loading'))); loadCatalog(); } }, t('retry')));
      return;
    }
    state.services = (services.data.services || []).filter((s) => s.active !== false);
    state.locations = (locations.data.locations || []).filter((l) => l.active !== false);
    // Names only: without them a slot still shows, with "a clinician".
    for (const p of (providers.status === 200 && providers.data.providers) || []) state.providers[p.id] = p;
    state.catalogLoaded = true;
    renderServices();
  }

  function option(name, value, checked, title, sub, onchange) {
    return el('label', { class: 'option' },
      el('input', { type: 'radio', name, value, checked, onchange }),
      el('span', null, el('span', { class: 'name' }, title), ...sub.filter(Boolean).map((s) => el('span', { class: 'sub-text' }, s))));
  }

  function renderServices() {
    if (!state.catalogLoaded) return;
    const box = $('service-options');
    if (!state.services.length) { box.replaceChildren(el('p', null, t('noServices'))); return; }
    box.replaceChildren(...state.services.map((s) => option('service', s.id, s.id === state.serviceId, s.name,
      [t('minutes', { n: s.duration_minutes }), s.requires_confirmation ? t('needsConfirmation') : null],
      () => { state.serviceId = s.id; clearVisitError('service'); visitChanged(); renderLocations(); })));
    renderLocations();
  }

  function locationsFor(service) {
    const offered = service.modalities || [];
    const fits = (loc) => (isTelehealth(loc) ? offered.includes('telehealth')
      : offered.includes('in_person') && (loc.modalities || []).includes('in_person'));
    return state.locations.filter(fits).sort((a, b) => Number(isTelehealth(a)) - Number(isTelehealth(b)));
  }

  function renderLocations() {
    const service = currentService();
    show('location-fieldset', Boolean(service));
    show('clinician-language-field', Boolean(service));
    if (!service) return;
    const places = locationsFor(service);
    if (!places.some((l) => l.id === state.locationId)) state.locationId = null;
    const virtualCount = places.filter(isTelehealth).length;
    $('location-options').replaceChildren(...places.map((loc) => {
      const virtual = isTelehealth(loc);
      const title = virtual ? (virtualCount > 1 ? `${t('telehealth')}: ${loc.name}` : t('telehealth')) : loc.name;
      const sub = virtual ? [t('telehealthSub')] : [t('inPerson'), addressLine(loc.address)];
      return option('location', loc.id, loc.id === state.locationId, title, sub,
        () => { state.locationId = loc.id; clearVisitError('location'); visitChanged(); showTelehealthFields(); });
    }));
    showTelehealthFields();
  }

  function showTelehealthFields() {
    const loc = currentLocation();
    show('telehealth-fields', Boolean(loc && isTelehealth(loc)));
  }

  function visitChanged() {
    // A new choice makes the listed times stale: hide them until asked again. The radios are not
    // rebuilt here: that would take the keyboard focus away from the one just chosen.
    state.slots = null;
    state.chosen = null;
    show('slots-section', false);
    show('details-section', false);
  }

  function validateVisit() {
    const missing = [];
    if (!currentService()) missing.push('service');
    else if (!currentLocation()) missing.push('location');
    else if (isTelehealth(currentLocation()) && !$('visit-state').value) missing.push('visitState');
    for (const name of missing) setError(VISIT_FIELDS, name, null);
    if (missing.length) {
      const [inputId, errorId, key] = VISIT_FIELDS[missing[0]];
      say(key, { error: true });
      const target = inputId ? $(inputId) : $(errorId).closest('fieldset').querySelector('input');
      if (target) target.focus();
    }
    return !missing.length;
  }

  function availabilityParams() {
    const loc = currentLocation();
    return { service_id: state.serviceId, location_id: loc.id, language: $('clinician-language').value,
      patient_state: isTelehealth(loc) ? $('visit-state').value : '' };
  }

  async function findTimes(event) {
    if (event) event.preventDefault();
    if (!validateVisit()) return;
    const button = $('find-times');
    setBusy(button, true);
    say('searching');
    const loc = currentLocation();
    const response = await fetchSlots(availabilityParams(), loc.timezone);
    setBusy(button, false);
    if (response.status !== 200) { say(trouble(response), { error: true, response }); return false; }
    state.slots = response.data.slots || [];
    if (state.chosen && !state.slots.some((s) => sameSlot(s, state.chosen))) state.chosen = null;
    show('slots-section', true);
    show('details-section', Boolean(state.chosen));
    renderSlots();
    const n = state.slots.length;
    say(n === 1 ? 'slotsFoundOne' : n ? 'slotsFound' : 'noSlots', { vars: { n } });
    if (event) focusOn('slots-heading');
    return true;
  }

  // ---- step 2: times, grouped by day in the clinic's zone -------------------------------------

  const sameSlot = (a, b) => Boolean(a && b) && a.start === b.start && a.provider_id === b.provider_id;

  function zoneNote(zone) {
    const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const note = t('zoneNote', { zone: zoneName(zone) });
    return device && zoneName(device) !== zoneName(zone) ? `${note} ${t('zoneDiffers', { zone: zoneName(device) })}` : note;
  }

  function slotList(container, slots, zone, chosen, onChoose, emptyText) {
    if (!slots.length) { container.replaceChildren(el('p', null, emptyText)); return; }
    const days = new Map();
    for (const slot of slots) {
      const key = dayKey(new Date(slot.start), zone);
      if (!days.has(key)) days.set(key, []);
      days.get(key).push(slot);
    }
    let first = true;
    container.replaceChildren(...[...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, daySlots]) => {
      const open = first || daySlots.some((s) => sameSlot(s, chosen));
      first = false;
      const day = fmtDay(key);
      const count = daySlots.length === 1 ? t('timesOne') : t('timesMany', { n: daySlots.length });
      return el('details', { class: 'day', open },
        el('summary', null, `${day} `, el('span', { class: 'count' }, `(${count})`)),
        el('ul', { class: 'slot-list' }, ...daySlots.map((slot) => {
          const time = fmtTime(slot.start, zone);
          const who = providerName(slot.provider_id);
          return el('li', null, el('button', { type: 'button', class: 'slot', 'aria-pressed': String(sameSlot(slot, chosen)),
            'aria-label': `${day}, ${time}, ${who}`, onclick: () => onChoose(slot) },
          el('span', { class: 'time' }, time), el('span', { class: 'who' }, who)));
        })));
    }));
  }

  function renderSlots() {
    const loc = currentLocation();
    if (!state.slots || !loc) return;
    $('slots-zone').textContent = zoneNote(loc.timezone);
    slotList($('slots'), state.slots, loc.timezone, state.chosen, chooseSlot, t('noSlots'));
    renderChosen();
  }

  function placeText(loc) {
    return isTelehealth(loc) ? t('telehealth') : `${loc.name}, ${addressLine(loc.address)}`;
  }

  function renderChosen() {
    const loc = currentLocation();
    const slot = state.chosen;
    if (!slot || !loc) return;
    $('chosen-slot').textContent = [fmtWhen(slot.start, loc.timezone), providerName(slot.provider_id),
      (currentService() || {}).name, placeText(loc)].filter(Boolean).join(' · ');
  }

  function chooseSlot(slot) {
    state.chosen = slot;
    renderSlots();
    const loc = currentLocation();
    const suggested = isTelehealth(loc) ? $('visit-state').value : (loc.address && loc.address.state) || '';
    const field = $('patient-state');
    if (!field.value || field.value === state.prefilledState) field.value = suggested;
    state.prefilledState = suggested;
    formMessage(null);
    show('details-section', true);
    focusOn('details-heading');
  }

  // ---- step 3: the patient's details and the booking -------------------------------------------

  function normalizePhone(raw) {
    const compact = raw.trim().replace(/[\s().-]/g, '');
    if (/^\d{10}$/.test(compact)) return '+1' + compact;  // a US number typed the usual way
    if (/^1\d{10}$/.test(compact)) return '+' + compact;
    return compact;
  }

  function readPatient() {
    $('patient-phone').value = normalizePhone($('patient-phone').value);
    return { name: $('patient-name').value.trim(), email: $('patient-email').value.trim(),
      phone: $('patient-phone').value, language: $('patient-language').value, state: $('patient-state').value };
  }

  function checkPatient(patient) {
    const bad = [];
    if (!patient.name) bad.push('name');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(patient.email)) bad.push('email');
    if (!/^\+[1-9]\d{7,14}$/.test(patient.phone)) bad.push('phone');
    if (!patient.state) bad.push('state');
    return bad;
  }

  function setError(fields, name, serverMessages) {
    state.errors[name] = { fields, server: serverMessages };
    renderError(name);
  }

  function renderError(name) {
    const entry = state.errors[name];
    const [inputId, errorId, key] = entry.fields[name];
    const message = state.lang === 'en' && entry.server && entry.server.length ? entry.server.join(' ') : t(key);
    $(errorId).textContent = message;
    $(errorId).hidden = false;
    if (inputId) $(inputId).setAttribute('aria-invalid', 'true');
  }

  function clearError(fields, name) {
    const [inputId, errorId] = fields[name];
    delete state.errors[name];
    $(errorId).hidden = true;
    $(errorId).textContent = '';
    if (inputId) $(inputId).removeAttribute('aria-invalid');
  }

  function clearVisitError(name) { if (state.errors[name]) clearError(VISIT_FIELDS, name); }

  function clearPatientErrors() {
    for (const name of Object.keys(FIELDS)) clearError(FIELDS, name);
    formMessage(null);
  }

  function showPatientErrors(names, serverErrors) {
    for (const name of names) setError(FIELDS, name, serverErrors ? serverErrors[name] : null);
    formMessage('fixErrors');
    say('fixErrors', { error: true });
    $(FIELDS[names[0]][0]).focus();
  }

  function bookingBody(patient) {
    const slot = state.chosen;
    const notes = $('patient-notes').value.trim();
    return { service_id: state.serviceId, provider_id: slot.provider_id, location_id: slot.location_id,
      start: slot.start, patient, notes: notes || null };
  }

  async function submitBooking(event) {
    event.preventDefault();
    if (state.submitting || !state.chosen) return;
    clearPatientErrors();
    const patient = readPatient();
    const bad = checkPatient(patient);
    if (bad.length) { showPatientErrors(bad, null); return; }
    const body = bookingBody(patient);
    const fingerprint = JSON.stringify(body);
    // One key per submission: a retry of the very same booking reuses it, so it can never book twice.
    if (state.attempt.fingerprint !== fingerprint) state.attempt = { fingerprint, key: newKey() };
    state.submitting = true;
    setBusy($('book-button'), true);
    say('booking');
    const response = await call('POST', ROUTES.bookings(), body, { 'Idempotency-Key': state.attempt.key });
    state.submitting = false;
    setBusy($('book-button'), false);
    handleBookingAnswer(response);
  }

  function handleBookingAnswer(response) {
    const detail = (response.data && response.data.detail) || '';
    if (response.status === 201 || response.status === 200) { state.attempt = {}; showConfirmation(response.data); return; }
    if (response.status === 409 && !detail.includes('Idempotency-Key')) { state.attempt = {}; slotLost('slotTaken'); return; }
    if (response.status === 422) { handleInvalid(response); return; }
    if (response.status === 404) { state.attempt = {}; slotLost('slotGone'); return; }
    formMessage(trouble(response), { response });
    say(trouble(response), { error: true, response });
  }

  function handleInvalid(response) {
    const errors = (response.data && response.data.errors) || {};
    const patientErrors = errors.patient && !Array.isArray(errors.patient) ? errors.patient : {};
    const serverErrors = { ...patientErrors, ...(errors.notes ? { notes: errors.notes } : {}) };
    const names = Object.keys(FIELDS).filter((name) => serverErrors[name]);
    if (names.length) { showPatientErrors(names, serverErrors); return; }
    state.attempt = {};
    if (errors.start || errors.provider_id || errors.location_id || errors.service_id) { slotLost('slotGone'); return; }
    formMessage('unavailable', { response });
    say('unavailable', { error: true, response });
  }

  async function slotLost(key) {
    state.chosen = null;
    show('details-section', false);
    if (await findTimes()) say(key, { error: true });
    focusOn('slots-heading');
  }

  // ---- the confirmation -----------------------------------------------------------------------

  function manageHref(id, token) { return `/book#manage=${id}.${token}`; }

  function detailRows(booking) {
    const loc = booking.location || {};
    const zone = loc.timezone || (currentLocation() || {}).timezone || 'UTC';
    const virtual = booking.modality === 'telehealth';
    const rows = [['dWhen', fmtWhen(booking.start, zone)], ['dVisit', (booking.service || {}).name],
      ['dWith', providerName(booking.provider_id, booking.provider)],
      ['dWhere', virtual ? t('telehealth') : [loc.name, addressLine(loc.address)].filter(Boolean).join(', ')]];
    if (loc.phone) rows.push(['dPhone', el('a', { href: `tel:${loc.phone}` }, loc.phone)]);
    return rows;
  }

  function fillDetails(list, rows) {
    list.replaceChildren(...rows.filter(([, value]) => value).flatMap(([key, value]) => [el('dt', null, t(key)), el('dd', null, value)]));
  }

  function showConfirmation(booking) {
    state.booked = booking;
    show('visit-form', false);
    show('slots-section', false);
    show('details-section', false);
    show('confirmation', true);
    renderConfirmation();
    say(null);
    focusOn('confirmation-heading');
  }

  function renderConfirmation() {
    const booking = state.booked;
    if (!booking) return;
    const requested = booking.status === 'requested';
    $('confirmation-heading').textContent = t(requested ? 'requestedTitle' : 'confirmedTitle');
    $('confirmation-lead').textContent = t(requested ? 'requestedLead' : 'confirmedLead', { email: booking.patient.email });
    fillDetails($('confirmation-details'), detailRows(booking));
    const href = manageHref(booking.id, booking.manage_token);
    $('manage-link').value = window.location.origin + href;
    $('manage-open').setAttribute('href', href);
  }

  async function copyLink() {
    const field = $('manage-link');
    try {
      await navigator.clipboard.writeText(field.value);
      say('copied');
    } catch (_) {
      field.focus();
      field.select();
      say('copyFailed');
    }
  }

  // ---- managing a booking from its link ---------------------------------------------------------

  function manageFromHash() {
    const match = /^#manage=([0-9A-Za-z]+)\.([0-9A-Za-z_-]+)$/.exec(window.location.hash);
    return match ? { id: match[1], token: match[2] } : null;
  }

  async function showManage(link) {
    state.manage = { ...link, booking: null };
    show('booking-flow', false);
    show('manage-view', true);
    show('manage-actions', false);
    closeManagePanels();
    $('manage-details').replaceChildren();
    say('manageLoading');
    const response = await call('GET', ROUTES.booking(link.id), undefined, { 'X-Manage-Token': link.token });
    if (response.status !== 200) { manageFailed(response); return; }
    state.manage.booking = response.data;
    renderManage();
    say(null);
    focusOn('manage-heading');
  }

  function manageFailed(response) {
    if ([401, 403, 404].includes(response.status)) say('manageNotFound', { error: true });
    else if (response.status === 409) say('cancelRefused', { error: true });
    else say(trouble(response), { error: true, response });
  }

  function renderManage() {
    const booking = state.manage && state.manage.booking;
    if (!booking) return;
    const rows = [['dStatus', t(`status_${booking.status}`)], ...detailRows(booking), ['dPatient', booking.patient && booking.patient.name]];
    fillDetails($('manage-details'), rows);
    show('manage-actions', ACTIVE.includes(booking.status));
    $('same-provider-label').textContent = t('sameProvider', { name: providerName(booking.provider_id, booking.provider) });
    if (state.moveSlots) renderMoveSlots();
  }

  function closeManagePanels() {
    show('cancel-form', false);
    show('reschedule-panel', false);
    show('reschedule-confirm', false);
    state.moveSlots = null;
    state.moveChoice = null;
  }

  function manageUpdated(booking, key, vars) {
    state.manage.booking = booking;
    closeManagePanels();
    renderManage();
    say(key, { vars });
    focusOn('manage-heading');
  }

  async function manageChange(route, body, busyButton, busyText) {
    setBusy(busyButton, true);
    say(busyText);
    const { id, token } = state.manage;
    const response = await call('POST', route(id), body, { 'X-Manage-Token': token });
    setBusy(busyButton, false);
    return response;
  }

  async function submitCancel(event) {
    event.preventDefault();
    const reason = $('cancel-reason').value.trim() || null;
    const response = await manageChange(ROUTES.cancel, { reason }, event.submitter || $('cancel-start'), 'cancelling');
    if (response.status === 200) manageUpdated(response.data, 'cancelled');
    else manageFailed(response);
  }

  async function loadMoveSlots() {
    const booking = state.manage.booking;
    const params = { service_id: booking.service_id, location_id: booking.location_id,
      patient_state: booking.modality === 'telehealth' ? booking.patient.state : '',
      provider_id: $('same-provider').checked ? booking.provider_id : '' };
    say('searching');
    const response = await fetchSlots(params, booking.location.timezone);
    if (response.status !== 200) { say(trouble(response), { error: true, response }); return; }
    state.moveSlots = response.data.slots || [];
    state.moveChoice = null;
    show('reschedule-confirm', false);
    renderMoveSlots();
    const n = state.moveSlots.length;
    say(n === 1 ? 'slotsFoundOne' : n ? 'slotsFound' : 'noSlotsReschedule', { vars: { n } });
  }

  function renderMoveSlots() {
    const zone = state.manage.booking.location.timezone;
    $('reschedule-zone').textContent = zoneNote(zone);
    slotList($('reschedule-slots'), state.moveSlots, zone, state.moveChoice, chooseMoveSlot, t('noSlotsReschedule'));
    if (state.moveChoice) {
      const summary = `${fmtWhen(state.moveChoice.start, zone)} · ${providerName(state.moveChoice.provider_id)}`;
      $('reschedule-choice').textContent = t('rescheduleChoice', { summary });
    }
  }

  function chooseMoveSlot(slot) {
    state.moveChoice = slot;
    renderMoveSlots();
    show('reschedule-confirm', true);
    $('reschedule-submit').focus();
  }

  async function submitMove() {
    const slot = state.moveChoice;
    if (!slot) return;
    const response = await manageChange(ROUTES.reschedule, { start: slot.start, provider_id: slot.provider_id },
      $('reschedule-submit'), 'moving');
    if (response.status === 200) {
      const moved = response.data;
      manageUpdated(moved, 'moved', () => ({ when: fmtWhen(moved.start, moved.location.timezone) }));
    } else if (response.status === 409 || response.status === 422) {
      await loadMoveSlots();
      say(ACTIVE.includes(state.manage.booking.status) ? 'slotTaken' : 'cancelRefused', { error: true });
      focusOn('reschedule-heading');
    } else {
      manageFailed(response);
    }
  }

  // ---- language, wiring and start -------------------------------------------------------------

  function pickLanguage() {
    const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
    return preferred.toLowerCase().startsWith('es') ? 'es' : 'en';
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const button of document.querySelectorAll('.lang')) button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang));
    if (!state.messageLanguageTouched) $('patient-language').value = state.lang;
    renderServices();
    renderSlots();
    renderConfirmation();
    renderManage();
    for (const name of Object.keys(state.errors)) renderError(name);
    formMessage(state.formMessage && state.formMessage.key, state.formMessage || {});
    renderStatus();
  }

  function fillStates() {
    for (const select of document.querySelectorAll('.state-select')) {
      select.append(...STATES.map(([code, name]) => el('option', { value: code }, `${code} · ${name}`)));
    }
  }

  function bind() {
    for (const button of document.querySelectorAll('.lang')) {
      button.addEventListener('click', () => { state.lang = button.dataset.lang; applyLanguage(); });
    }
    $('visit-form').addEventListener('submit', findTimes);
    $('visit-state').addEventListener('change', () => { clearVisitError('visitState'); visitChanged(); });
    $('clinician-language').addEventListener('change', visitChanged);
    $('patient-form').addEventListener('submit', submitBooking);
    $('patient-language').addEventListener('change', () => { state.messageLanguageTouched = true; });
    for (const name of Object.keys(FIELDS)) {
      $(FIELDS[name][0]).addEventListener('input', () => { if (state.errors[name]) clearError(FIELDS, name); });
    }
    $('copy-link').addEventListener('click', copyLink);
    $('cancel-start').addEventListener('click', () => { closeManagePanels(); show('cancel-form', true); $('cancel-reason').focus(); });
    $('cancel-back').addEventListener('click', () => { show('cancel-form', false); $('cancel-start').focus(); });
    $('cancel-form').addEventListener('submit', submitCancel);
    $('reschedule-start').addEventListener('click', () => { closeManagePanels(); show('reschedule-panel', true); focusOn('reschedule-heading'); loadMoveSlots(); });
    $('same-provider').addEventListener('change', loadMoveSlots);
    $('reschedule-submit').addEventListener('click', submitMove);
    $('reschedule-back').addEventListener('click', () => { closeManagePanels(); $('reschedule-start').focus(); });
    window.addEventListener('hashchange', route);
  }

  function route() {
    const link = manageFromHash();
    if (link) { showManage(link); return; }
    if (window.location.hash.startsWith('#manage=')) {
      show('booking-flow', false);
      show('manage-view', true);
      say('manageNotFound', { error: true });
      return;
    }
    show('manage-view', false);
    show('booking-flow', true);
    if (!state.catalogLoaded) loadCatalog();
  }

  state.lang = pickLanguage();
  fillStates();
  bind();
  applyLanguage();
  route();
}());
