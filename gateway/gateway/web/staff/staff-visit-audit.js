// A visit's audit trail (GET /bookings/{id}/audit through the BFF): who opened or changed it, what, when and
// whether it was allowed, newest first, a page at a time. Reading it is itself audited by bookings.
import { explain, get } from './staff-api.js';
import { $, el, say } from './staff-dom.js';
import { t } from './staff-strings.js';
import { fullWhen } from './staff-time.js';

const PAGE = 20;

function section() {
  let part = $('visit-audit');
  if (!part) {
    part = el('section', { id: 'visit-audit', 'aria-labelledby': 'visit-audit-title' },
      el('h2', { id: 'visit-audit-title', 'data-i18n': 'auditTitle', text: t('auditTitle') }),
      el('div', { id: 'visit-audit-body' }));
    $('deliveries').after(part);
  }
  return part;
}

let trail = null; // { id, zone, entries, next } on show: drawn again in another language

export async function showAudit(id, zone) {
  section().hidden = true;
  trail = { id, zone, entries: [], next: null };
  await addPage(null);
}

export function redrawAudit() {
  if (trail && !$('visit').hidden && !section().hidden) draw();
}

async function addPage(before) {
  const { id } = trail;
  let page;
  try {
    const query = `limit=${PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
    page = (await get(`/staff/api/bookings/${encodeURIComponent(id)}/audit?${query}`)).data;
  } catch (error) {
    if (error.status !== 401) say(explain(error), { error: true });
    return;
  }
  if (trail.id !== id) return; // another visit opened meanwhile
  trail.entries.push(...page.entries);
  trail.next = page.next_before;
  section().hidden = false;
  draw();
  if (before) $('visit-audit-body').querySelectorAll('tbody tr')[trail.entries.length - page.entries.length]?.focus();
}

function draw() {
  const { zone, entries, next } = trail;
  const body = $('visit-audit-body');
  if (!entries.length) {
    body.replaceChildren(el('p', { class: 'hint', text: t('auditNone') }));
    return;
  }
  const head = el('tr', {}, ...['auditWhen', 'auditWho', 'auditWhat', 'auditOutcome']
    .map((key) => el('th', { scope: 'col', text: t(key) })));
  const rows = entries.map((entry) => el('tr', { tabindex: '-1' },
    el('td', { text: fullWhen(entry.at, zone) }), el('td', { text: who(entry.actor) }),
    el('td', { text: what(entry.action) }),
    el('td', { text: entry.outcome < 400 ? t('allowed') : t('refused', { status: entry.outcome }) })));
  body.replaceChildren(el('div', { class: 'scroll' },
    el('table', { 'aria-labelledby': 'visit-audit-title' }, el('thead', {}, head), el('tbody', {}, ...rows))),
  next ? el('button', { type: 'button', class: 'plain more', onclick: () => addPage(next) }, t('auditMore')) : '');
}

function who(actor) {
  if (actor.subject) return `${actor.subject} (${t(`role_${actor.kind}`)})`;
  if (actor.kind === 'patient') return t(actor.credential === 'manage_link' ? 'who_patient_link' : 'who_patient_token');
  return t(actor.kind === 'service' ? 'who_service' : 'who_anonymous');
}

function what(action) {
  const key = `act_${action}`;
  return t(key) === key ? action : t(key);
}
