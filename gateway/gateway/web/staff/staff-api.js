// Calls to the gateway's /staff endpoints. The session is an HttpOnly cookie the page never sees; the page
// holds only the session's CSRF token (in memory), sent on every change. Background polls say so, so they
// do not keep an idle session alive. A GET asked `conditional` sends the ETag of its last answer and gets
// 304 when nothing changed.
import { t } from './staff-strings.js';

let csrf = '';
let sessionEnded = () => {};
let personActed = () => {};
const lastAnswers = new Map(); // path -> { etag, data }

export function setCsrf(token) { csrf = token || ''; }
export function onSessionEnd(handler) { sessionEnded = handler; }
export function onPersonAction(handler) { personActed = handler; }
export function forgetAnswers() { lastAnswers.clear(); }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || null;
  }
}

async function readJson(response) {
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('json')) return null;
  try { return await response.json(); } catch { return null; }
}

// `headers`: a call's own (an Idempotency-Key, so a confirm clicked twice books once).
export async function call(method, path, { body, background = false, conditional = false, headers: own = {} } = {}) {
  const headers = { Accept: 'application/json', ...own };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (background) headers['X-Staff-Background'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const last = conditional ? lastAnswers.get(path) : undefined;
  if (last) headers['If-None-Match'] = last.etag;
  let response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, null);
  }
  if (!background) personActed();
  if (response.status === 304 && last) return { data: last.data, changed: false };
  const data = await readJson(response);
  if (response.status === 401) {
    sessionEnded(data);
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  const etag = response.headers.get('ETag');
  if (conditional && etag) lastAnswers.set(path, { etag, data });
  return { data, changed: true };
}

export const get = (path, options) => call('GET', path, options);

// A polled list's answer: its data when it changed (or when nothing is drawn yet), else null. A failure is
// said in `say` (not for a background poll, nor a session that ended: the sign-in says that) and gives null.
export async function changedList(path, { background = false, drawn = false, say, words = explain } = {}) {
  try {
    const answer = await get(path, { background, conditional: true });
    return answer.changed || !drawn ? answer.data : null;
  } catch (error) {
    if (!background && error.status !== 401) say(words(error), { error: true });
    return null;
  }
}
export const post = (path, body) => call('POST', path, { body });

const PLAIN = { '/problems/csrf': 'errCsrf', '/problems/not-visit-day': 'errNotVisitDay',
  '/problems/too-early': 'errTooEarly', '/problems/conflict': 'errConflict' };

// A problem in plain words, in the page's language; the service's own detail when nothing plainer fits.
export function explain(error) {
  if (!(error instanceof ApiError) || error.status === 0) return t('errNetwork');
  const plain = PLAIN[error.problem?.type];
  if (plain) return t(plain);
  if (error.status === 403) return t('errForbidden');
  if (error.status === 404) return t('errNotFound');
  if (error.status === 502 || error.status === 503 || error.status === 504) return t('errUnavailable');
  return t('errGeneric', { detail: error.problem?.detail || error.message });
}
