// The staff app's entry: the language, who is signed in, and which screen the address asks for
// (#visit=<id> a visit's details, anything else the schedule; #signin-error=<code> from the sign-in).
// Later screens add a route here and a module beside the others.
import { $, say, show } from './staff-dom.js';
import { bindFilters, redraw, startSchedule, stopSchedule } from './staff-schedule.js';
import { bindSignIn, current, loadSession, onEnded, showSignIn } from './staff-session.js';
import { setLanguage, t, translatePage } from './staff-strings.js';
import { showVisit } from './staff-visit.js';

const LANGUAGE_KEY = 'staff-language'; // a preference, not a credential: nothing secret is ever stored

function chooseLanguage(lang) {
  setLanguage(lang);
  try { localStorage.setItem(LANGUAGE_KEY, lang); } catch { /* private mode: this visit only */ }
  document.querySelectorAll('.lang').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
  translatePage();
  const me = current();
  if (me) $('who-role').textContent = t(`role_${me.role}`);
  redraw();
}

async function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  const me = current();
  if (!me) return;
  if (hash.startsWith('visit=')) {
    await showVisit(hash.slice('visit='.length));
  } else {
    const fromVisit = !$('visit').hidden;
    show('schedule');
    await startSchedule().catch((error) => say(error.message, { error: true }));
    if (fromVisit) $('schedule-title').focus();
  }
}

async function start() {
  const hash = location.hash.slice(1);
  const signinError = hash.startsWith('signin-error=') ? hash.slice('signin-error='.length) : '';
  if (signinError) history.replaceState(null, '', '/staff');
  const me = await loadSession().catch(() => null);
  if (!me) {
    await showSignIn(signinError ? t(`signin-${signinError}`) : '');
    return;
  }
  $('who-name').textContent = me.name;
  $('who-role').textContent = t(`role_${me.role}`);
  $('who').hidden = false;
  say('');
  await route();
}

document.querySelectorAll('.lang').forEach((b) => b.addEventListener('click', () => chooseLanguage(b.dataset.lang)));
let saved = 'en';
try { saved = localStorage.getItem(LANGUAGE_KEY) || (navigator.language?.startsWith('es') ? 'es' : 'en'); } catch { /* en */ }
chooseLanguage(saved);
bindSignIn(start);
bindFilters();
onEnded(stopSchedule);
$('back').addEventListener('click', (event) => { event.preventDefault(); location.hash = ''; });
window.addEventListener('hashchange', route);
start();
