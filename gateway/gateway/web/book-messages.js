/* What the page says to the patient: the status line (a polite live region), the booking form's message
 * and each field's error. They are kept in state as keys, not text, so a language switch can say them again.
 */

import { state } from './book-state.js';
import { t } from './book-format.js';
import { $ } from './book-dom.js';

// A message is {key, vars, error, response}. vars may be a function, so that text made from data (a new
// appointment time) is formatted again in the new language too.
export function messageText(m) {
  if (!m) return '';
  return withReference(t(m.key, typeof m.vars === 'function' ? m.vars() : m.vars), m.response);
}

let sayTimer = null;

export function say(key, options) {
  state.status = key ? { key, ...options } : null;
  renderStatus();
}

export function renderStatus() {
  const status = $('status');
  const text = messageText(state.status);
  clearTimeout(sayTimer);
  status.classList.toggle('is-error', Boolean(state.status && state.status.error));
  status.textContent = '';
  // Set after a tick: screen readers announce a message even when it repeats the last one.
  if (text) sayTimer = setTimeout(() => { status.textContent = text; }, 50);
}

export function formMessage(key, options) {
  state.formMessage = key ? { key, ...options } : null;
  $('form-error').textContent = messageText(state.formMessage);
  $('form-error').hidden = !state.formMessage;
}

export const trouble = (response) => (response.status === 429 ? 'busy' : 'unavailable');

function withReference(message, response) {
  return response && response.requestId ? `${message} ${t('reference', { id: response.requestId })}` : message;
}

export function setError(fields, name, serverMessages) {
  state.errors[name] = { fields, server: serverMessages };
  renderError(name);
}

export function renderError(name) {
  const entry = state.errors[name];
  const [inputId, errorId, key] = entry.fields[name];
  const message = state.lang === 'en' && entry.server && entry.server.length ? entry.server.join(' ') : t(key);
  $(errorId).textContent = message;
  $(errorId).hidden = false;
  if (inputId) $(inputId).setAttribute('aria-invalid', 'true');
}

export function clearError(fields, name) {
  const [inputId, errorId] = fields[name];
  delete state.errors[name];
  $(errorId).hidden = true;
  $(errorId).textContent = '';
  if (inputId) $(inputId).removeAttribute('aria-invalid');
}
