// A visit's history for staff (staff-visit.js calls showHistory): the delivery log of the messages sent about
// it, each with a Resend that asks first and then shows the new record, and the audit trail
// (staff-visit-audit.js). Both are staff's: a clinician sees neither (the API refuses them anyway).
import { ApiError, explain, get, post } from './staff-api.js';
import { $, el, say } from './staff-dom.js';
import { current } from './staff-session.js';
import { addStrings, t } from './staff-strings.js';
import { fullWhen } from './staff-time.js';
import { redrawAudit, showAudit } from './staff-visit-audit.js';
import { TEXTS } from './staff-visit-history-strings.js';

addStrings(TEXTS);
// A series' or combined visit's one message (booking_id null) is not resent from one of its visits.
const SETTLED = ['sent', 'failed', 'skipped'];

export async function showHistory(booking) {
  const audit = $('visit-audit');
  if (audit) audit.hidden = true;
  shown = null;
  if (current()?.role === 'clinician') return;
  const zone = booking.location?.timezone || 'UTC';
  await Promise.all([showDeliveries(booking.id, zone), showAudit(booking.id, zone)]);
}

let shown = null; // { id, zone, records } of the log on show: worded again when the language changes

async function showDeliveries(id, zone) {
  let records;
  try {
    records = (await get(`/staff/api/notifications?booking_id=${encodeURIComponent(id)}`)).data.notifications;
  } catch (error) {
    if (error.status !== 401) say(explain(error), { error: true });
    return;
  }
  shown = { id, zone, records };
  drawDeliveries();
}

function drawDeliveries() {
  const { id, zone, records } = shown;
  $('deliveries').hidden = false;
  if (!records.length) {
    $('deliveries-body').replaceChildren(el('p', { class: 'hint', text: t('noMessages') }));
    return;
  }
  const head = el('tr', {}, ...['kind', 'channel', 'recipient', 'status', 'attempts', 'sentAt', 'messageActions']
    .map((key) => el('th', { scope: 'col', text: t(key) })));
  const after = () => showDeliveries(id, zone);
  const rows = records.map((n) => el('tr', { 'data-message': n.id },
    el('td', { text: kindOf(n) + (n.resent_from ? ` ${t('resentMark')}` : '') }),
    el('td', { text: t(n.channel) }), el('td', { text: n.recipient || '' }),
    el('td', { text: t(`msg_${n.status}`) + (n.last_error ? ` (${n.last_error})` : '') }),
    el('td', { text: String(n.attempts ?? 0) }),
    el('td', { text: n.sent_at ? fullWhen(n.sent_at, zone) : '—' }),
    el('td', {}, SETTLED.includes(n.status) && n.booking_id ? resendButton(n, after) : '')));
  $('deliveries-body').replaceChildren(el('div', { class: 'scroll' },
    el('table', { 'aria-labelledby': 'deliveries-title' }, el('thead', {}, head), el('tbody', {}, ...rows))));
}

// The page's language switch rewords [data-i18n] texts only: the log and the trail are drawn again in it.
new MutationObserver(() => {
  if (shown && !$('visit').hidden) drawDeliveries();
  redrawAudit();
}).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

const kindOf = (n) => { const key = `kind_${n.kind}`; return t(key) === key ? n.kind.replaceAll('_', ' ') : t(key); };

function resendButton(note, after) {
  const label = t('resendFor', { kind: kindOf(note), channel: t(note.channel), to: note.recipient || '' });
  const button = el('button', { type: 'button', class: 'plain', 'aria-label': label, 'data-key': `resend:${note.id}`,
    onclick: () => ask(cell, note, after) }, t('resend'));
  const cell = el('div', { class: 'row-actions' }, button);
  return cell;
}

// The confirmation in place of the button: focus on "Send again", Escape or "Keep as is" puts the button back.
function ask(cell, note, after) {
  const restore = () => {
    const fresh = resendButton(note, after);
    cell.replaceWith(fresh);
    fresh.querySelector('button').focus();
  };
  const yes = el('button', { type: 'button', 'data-key': `resend-yes:${note.id}`,
    onclick: () => resend(note, yes, after) }, t('resendYes'));
  const no = el('button', { type: 'button', class: 'plain', onclick: restore }, t('resendNo'));
  cell.replaceChildren(el('span', { id: `ask-${note.id}`, text: t('resendAsk') }), yes, no);
  cell.setAttribute('role', 'group');
  cell.setAttribute('aria-labelledby', `ask-${note.id}`);
  cell.addEventListener('keydown', (event) => { if (event.key === 'Escape') restore(); });
  yes.focus();
}

async function resend(note, button, after) {
  button.disabled = true;
  try {
    await post(`/staff/api/notifications/${encodeURIComponent(note.id)}/resend`);
    say(t('resendDone'));
  } catch (error) {
    say(refusal(error), { error: true });
  }
  await after();
  $('deliveries-title').setAttribute('tabindex', '-1');
  $('deliveries-title').focus();
}

function refusal(error) {
  const type = error instanceof ApiError ? error.problem?.type || '' : '';
  return type.startsWith('/problems/resend-') ? t(type.slice('/problems/'.length)) : explain(error);
}
