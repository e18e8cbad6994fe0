// Who is signed in, signing in and out, and the idle sign-out. The server decides expiry (STAFF_IDLE_MINUTES
// since the last action of a person); the page follows its own clock of the same actions, asks the server
// when the limit has passed, and then says the person was signed out and why.
import { ApiError, call, forgetAnswers, get, onPersonAction, onSessionEnd, post, setCsrf } from './staff-api.js';
import { $, el, say, show } from './staff-dom.js';
import { t } from './staff-strings.js';

let session = null;
let lastAction = Date.now();
let idleTimer = 0;
let ended = () => {};

export const current = () => session;

export function onEnded(handler) { ended = handler; }

export async function loadSession() {
  try {
    session = (await get('/staff/session')).data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
  setCsrf(session.csrf_token);
  lastAction = Date.now();
  watchIdle();
  return session;
}

function watchIdle() {
  clearInterval(idleTimer);
  idleTimer = setInterval(async () => {
    if (!session || Date.now() - lastAction < session.idle_seconds * 1000) return;
    try { await get('/staff/session', { background: true }); } catch { /* a 401 ends the session below */ }
  }, 1000);
}

onPersonAction(() => { lastAction = Date.now(); });
onSessionEnd((problem) => {
  if (!session) return;
  const minutes = Math.round((session.idle_seconds / 60) * 100) / 100;
  const idle = problem?.type === '/problems/session-expired';
  endSession(idle ? t('signedOutIdle', { minutes }) : t('signedOut'));
});

function endSession(message) {
  session = null;
  setCsrf('');
  forgetAnswers();
  clearInterval(idleTimer);
  $('who').hidden = true;
  ended();
  showSignIn(message);
}

export async function signOut() {
  try { await call('POST', '/staff/signout'); } catch { /* signed out either way */ }
  endSession(t('signedOut'));
}

export async function showSignIn(message = '') {
  show('signin');
  // Focus goes to the heading now, not after the answers below: a keyboard user who has already tabbed on
  // to the sign-in link must not have focus taken back from under them when the providers' list arrives.
  $('signin-title').focus?.();
  say('');
  const notice = $('signin-message');
  notice.hidden = !message;
  notice.textContent = message;
  let options = { oidc: false, development: false };
  try { options = (await get('/staff/signin', { background: true })).data; } catch { /* said below */ }
  $('signin-oidc-block').hidden = !options.oidc;
  $('signin-dev').hidden = !options.development;
  if (!options.oidc && !options.development) say(t('noSignIn'), { error: true });
  if (options.development) await fillProviders();
}

async function fillProviders() {
  const select = $('dev-provider');
  if (select.options.length) return;
  try {
    const { data } = await get('/api/v1/providers', { background: true });
    for (const provider of data.providers || data) select.append(el('option', { value: provider.id, text: provider.name }));
  } catch { /* a clinician cannot be picked; the other roles still can */ }
}

export function bindSignIn(afterSignIn) {
  const role = $('dev-role');
  role.addEventListener('change', () => { $('dev-provider-field').hidden = role.value !== 'clinician'; });
  $('signin-dev').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { role: role.value, name: $('dev-name').value.trim() || undefined };
    if (role.value === 'clinician') body.provider_id = $('dev-provider').value;
    try {
      await post('/staff/signin/dev', body);
      await afterSignIn();
    } catch (error) {
      say(error.problem?.detail || t('errNetwork'), { error: true });
    }
  });
  $('signout').addEventListener('click', signOut);
}
