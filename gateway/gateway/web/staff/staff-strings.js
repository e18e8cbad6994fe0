// Every text of the staff app, in English and Spanish. {name} placeholders are filled by t().
export const STRINGS = {
  en: {
    skip: 'Skip to content', brand: 'Front desk', screensNav: 'Screens', bookNav: 'Book for a caller', signOut: 'Sign out', language: 'Language',
    requestsNav: 'Requests', waitlistNav: 'Waitlist',
    disruptionsNav: 'Disruptions', hoursNav: 'Hours',
    catalogNav: 'Catalog',
    signInTitle: 'Sign in', signInOidc: 'Sign in with your practice account', signIn: 'Sign in',
    devTitle: 'Development sign-in', devHint: 'Only on a development stack: pick who you are.',
    role: 'Role', role_staff: 'Front desk staff', role_clinician: 'Clinician', role_admin: 'Administrator',
    provider: 'Clinician', yourName: 'Your name', chooseProvider: 'Choose a clinician.',
    scheduleTitle: 'Today and the week', clinic: 'Clinic', date: 'Date', view: 'View', viewDay: 'Day',
    viewWeek: 'Week', previous: 'Previous', today: 'Today', next: 'Next', allProviders: 'All clinicians',
    timesIn: 'Times are the clinic’s ({zone}).', noVisits: 'No visits.', loading: 'Loading…',
    visitsOn: '{count} visits', oneVisit: '1 visit',
    status_requested: 'Requested', status_confirmed: 'Confirmed', status_checked_in: 'Checked in',
    status_completed: 'Completed', status_cancelled: 'Cancelled', status_no_show: 'No-show',
    checkIn: 'Check in', complete: 'Complete', noShow: 'No-show', details: 'Details', actions: 'Actions',
    actionFor: '{action}: {name}, {time}',
    checkedIn: '{name} is checked in.', completedDone: '{name}’s visit is completed.',
    noShowDone: '{name} is marked a no-show.',
    back: 'Back to the schedule', visitTitle: 'Visit', patient: 'Patient', contact: 'Contact', when: 'When',
    visitType: 'Visit type', status: 'Status', notes: 'Notes', how: 'How', in_person: 'In person',
    telehealth: 'Telehealth', disruption: 'Disrupted', late: 'Changed late', language_en: 'English',
    language_es: 'Spanish', patientLanguage: 'Language',
    deliveries: 'Messages to the patient', noMessages: 'No messages yet.', kind: 'Message', channel: 'Channel',
    attempts: 'Attempts', sentAt: 'Sent', recipient: 'To', email: 'Email', sms: 'Text message',
    msg_pending: 'Waiting', msg_sent: 'Sent', msg_failed: 'Failed', msg_skipped: 'Not sent',
    signedOut: 'You are signed out.',
    signedOutIdle: 'You were signed out after {minutes} minutes without activity. Sign in again.',
    'signin-no-role': 'Your account has no role at the clinic. Ask an administrator.',
    'signin-no-provider': 'Your clinician account names no provider. Ask an administrator.',
    'signin-denied': 'Sign-in was cancelled.',
    'signin-flow': 'The sign-in took too long or came from another window. Try again.',
    'signin-token': 'The practice’s sign-in service did not confirm who you are. Try again.',
    'signin-provider': 'The practice’s sign-in service cannot be reached. Try again later.',
    noSignIn: 'No sign-in is configured for this gateway.',
    errNetwork: 'The clinic’s system cannot be reached. Check the connection and try again.',
    errForbidden: 'Your role may not do this.', errNotFound: 'No visit with that id is available to you.',
    errCsrf: 'This page is out of date. Reload it and try again.', errGeneric: 'That did not work: {detail}',
    errNotVisitDay: 'A patient is checked in only on the day of the visit.',
    errTooEarly: 'A visit is completed or marked a no-show only once it has started.',
    errConflict: 'This visit changed meanwhile (its status no longer allows that). The schedule is up to date now.',
    errUnavailable: 'Part of the clinic’s system is not answering. Try again in a minute.',
  },
  es: {
    skip: 'Ir al contenido', brand: 'Recepción', screensNav: 'Pantallas', bookNav: 'Reservar para quien llama', signOut: 'Cerrar sesión', language: 'Idioma',
    requestsNav: 'Solicitudes', waitlistNav: 'Lista de espera',
    disruptionsNav: 'Citas afectadas', hoursNav: 'Horarios',
    catalogNav: 'Catálogo',
    signInTitle: 'Iniciar sesión', signInOidc: 'Iniciar sesión con su cuenta de la práctica',
    signIn: 'Iniciar sesión', devTitle: 'Inicio de sesión de desarrollo',
    devHint: 'Solo en un entorno de desarrollo: elija quién es.', role: 'Función',
    role_staff: 'Personal de recepción', role_clinician: 'Profesional clínico', role_admin: 'Administrador',
    provider: 'Profesional', yourName: 'Su nombre', chooseProvider: 'Elija un profesional.',
    scheduleTitle: 'Hoy y la semana', clinic: 'Clínica', date: 'Fecha', view: 'Vista', viewDay: 'Día',
    viewWeek: 'Semana', previous: 'Anterior', today: 'Hoy', next: 'Siguiente',
    allProviders: 'Todos los profesionales', timesIn: 'Horas de la clínica ({zone}).', noVisits: 'No hay citas.',
    loading: 'Cargando…', visitsOn: '{count} citas', oneVisit: '1 cita',
    status_requested: 'Solicitada', status_confirmed: 'Confirmada', status_checked_in: 'Registrada',
    status_completed: 'Completada', status_cancelled: 'Cancelada', status_no_show: 'No se presentó',
    checkIn: 'Registrar llegada', complete: 'Completar', noShow: 'No se presentó', details: 'Detalles',
    actions: 'Acciones',
    actionFor: '{action}: {name}, {time}',
    checkedIn: 'Se registró la llegada de {name}.', completedDone: 'La cita de {name} está completada.',
    noShowDone: '{name} quedó marcado como no presentado.',
    back: 'Volver a la agenda', visitTitle: 'Cita', patient: 'Paciente', contact: 'Contacto', when: 'Cuándo',
    visitType: 'Tipo de cita', status: 'Estado', notes: 'Notas', how: 'Modalidad', in_person: 'En persona',
    telehealth: 'Telesalud', disruption: 'Afectada', late: 'Cambio tardío', language_en: 'Inglés',
    language_es: 'Español', patientLanguage: 'Idioma',
    deliveries: 'Mensajes al paciente', noMessages: 'Aún no hay mensajes.', kind: 'Mensaje', channel: 'Canal',
    attempts: 'Intentos', sentAt: 'Enviado', recipient: 'Para', email: 'Correo', sms: 'Mensaje de texto',
    msg_pending: 'En espera', msg_sent: 'Enviado', msg_failed: 'Falló', msg_skipped: 'No enviado',
    signedOut: 'Cerró la sesión.',
    signedOutIdle: 'Se cerró la sesión tras {minutes} minutos sin actividad. Vuelva a iniciar sesión.',
    'signin-no-role': 'Su cuenta no tiene una función en la clínica. Consulte a un administrador.',
    'signin-no-provider': 'Su cuenta de profesional no indica a qué profesional corresponde. Consulte a un administrador.',
    'signin-denied': 'Se canceló el inicio de sesión.',
    'signin-flow': 'El inicio de sesión tardó demasiado o vino de otra ventana. Inténtelo de nuevo.',
    'signin-token': 'El servicio de inicio de sesión no confirmó quién es usted. Inténtelo de nuevo.',
    'signin-provider': 'No se puede contactar el servicio de inicio de sesión. Inténtelo más tarde.',
    noSignIn: 'Este servidor no tiene ningún inicio de sesión configurado.',
    errNetwork: 'No se puede contactar el sistema de la clínica. Revise la conexión e inténtelo de nuevo.',
    errForbidden: 'Su función no permite hacer esto.', errNotFound: 'No hay ninguna cita con ese identificador disponible para usted.',
    errCsrf: 'Esta página está desactualizada. Vuelva a cargarla e inténtelo de nuevo.',
    errGeneric: 'No se pudo: {detail}',
    errNotVisitDay: 'La llegada de un paciente se registra solo el día de la cita.',
    errTooEarly: 'Una cita se completa o se marca como no presentada solo después de que empiece.',
    errConflict: 'Esta cita cambió mientras tanto (su estado ya no lo permite). La agenda ya está actualizada.',
    errUnavailable: 'Una parte del sistema de la clínica no responde. Inténtelo de nuevo en un minuto.',
  },
};

// A screen brings its own texts rather than growing this file: staff-<screen>-strings.js exports TEXTS laid
// out as STRINGS is ({en: {...}, es: {...}}, the same keys in both; gateway/tests/test_staff_page.py reads
// every *-strings.js file), and the screen's module calls addStrings(TEXTS).
export function addStrings(more) {
  for (const [lang, texts] of Object.entries(more)) STRINGS[lang] = { ...(STRINGS[lang] || {}), ...texts };
}

let current = 'en';

export function setLanguage(lang) { current = STRINGS[lang] ? lang : 'en'; }
export function language() { return current; }

export function t(key, values = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

// Every leaf marked data-i18n gets its text in the current language.
export function translatePage(root = document) {
  document.documentElement.lang = current;
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.getElementById('langs')?.setAttribute('aria-label', t('language'));
}
