// The staff app's entry: the language, who is signed in, and which screen the address asks for
// (#visit=<id> a visit's details, #<screen>[=<param>] a screen of staff-screens.js, anything else the
// schedule; #signin-error=<code> from the sign-in). A new screen is a module and one line in staff-screens.js.
import { $, el, say, show } from './staff-dom.js';
import { bindFilters, redraw, startSchedule, stopSchedule } from './staff-schedule.js';
import { bindSignIn, current, loadSession, onEnded, showSignIn } from './staff-session.js';
import { setLanguage, t, translatePage } from './staff-strings.js';
import { showVisit } from './staff-visit.js';
import { SCREENS } from './staff-screens.js';

const LANGUAGE_KEY = 'staff-language'; // a preference, not a credential: nothing secret is ever stored

function chooseLanguage(lang) {
  setLanguage(lang);
  try { localStorage.setItem(LANGUAGE_KEY, lang); } catch { /* private mode: this visit only */ }
  document.querySelectorAll('.lang').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
  translatePage();
  const me = current();
  if (me) {
    $('who-role').textContent = t(`role_${me.role}`);
    drawNav(me, decodeURIComponent(location.hash.slice(1)).split('=')[0]);
  }
  redraw();
}

let openScreen = null; // the loaded module of the screen on show, if not the schedule

function screensFor(me) {
  return SCREENS.filter((screen) => screen.roles.includes(me.role));
}

// The navigation: the schedule and each screen the signed-in role may use; the current one marked.
function drawNav(me, currentId) {
  const nav = $('screens');
  nav.replaceChildren(el('ul', {}, [{ id: '', label: 'scheduleTitle' }, ...screensFor(me)].map((screen) =>
    el('li', {}, el('a', { href: `#${screen.id}`, 'aria-current': screen.id === currentId ? 'page' : null,
      text: t(screen.label) })))));
  nav.setAttribute('aria-label', t('screensNav'));
  nav.hidden = false;
}

async function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  const me = current();
  if (!me) return;
  const [id, param = ''] = hash.split(/=(.*)/s);
  const screen = screensFor(me).find((s) => s.id === id);
  openScreen?.close?.();
  openScreen = null;
  drawNav(me, screen ? screen.id : '');
  if (screen) {
    stopSchedule();
    openScreen = await screen.load();
    await openScreen.open(param, me).catch((error) => say(error.message, { error: true }));
  } else if (hash.startsWith('visit=')) {
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
onEnded(() => {
  stopSchedule();
  openScreen?.close?.();
  openScreen = null;
  $('screens').hidden = true;
});
$('back').addEventListener('click', (event) => { event.preventDefault(); location.hash = ''; });
window.addEventListener('hashchange', route);
start();
