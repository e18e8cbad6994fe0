// One appointment request (#requests=<id>): everything the patient asked for and how to reach them (reading it
// is a read of patient data, audited by the API under the signed-in person's name); while it is open, a time
// to book it into (staff-requests-book.js) and closing it without a booking, with a reason.
import { explain, get, post } from './staff-api.js';
import { $, el, say, screenSection, show } from './staff-dom.js';
import { t } from './staff-strings.js';
import { locationName, preferred, receivedAt, serviceName } from './staff-requests-catalog.js';
import { bookingPart } from './staff-requests-book.js';

let shown = null; // the request on show, redrawn when the language changes

export async function showRequest(id) {
  const section = screenSection('request', 'rqDetailTitle', t);
  if (!$('rq-back')) {
    section.prepend(el('p', {}, el('a', { href: '#requests', id: 'rq-back', 'data-i18n': 'rqBack', text: t('rqBack') })));
  }
  show('request');
  $('request-body').replaceChildren(el('p', { class: 'hint', text: t('loading') }));
  shown = null;
  try {
    shown = (await get(`/staff/api/appointment-requests/${encodeURIComponent(id)}`)).data;
  } catch (error) {
    if (error.status === 401) return;
    $('request-title').textContent = t('rqDetailTitle');
    $('request-body').replaceChildren(el('p', { class: 'notice', role: 'alert',
      text: error.status === 404 ? t('rqNotFound') : explain(error) }));
    $('request-title').focus();
    return;
  }
  render(shown);
  $('request-title').focus();
}

const fact = (label, ...value) => [el('dt', { text: t(label) }), el('dd', {}, ...value)];

function render(r) {
  const patient = r.patient || {};
  $('request-title').textContent = `${t('rqDetailTitle')}: ${patient.name || '—'}`;
  const facts = el('dl', { class: 'facts' },
    ...fact('rqReceived', receivedAt(r)),
    ...fact('status', el('span', { class: `badge rq-${r.status}`, text: t(`rqStatus_${r.status}`) })),
    ...fact('patient', patient.name || '—'),
    ...fact('contact', [patient.email, patient.phone].filter(Boolean).join(' · ') || '—'),
    ...fact('patientLanguage', patient.language ? t(`language_${patient.language}`) : '—'),
    ...fact('rqState', patient.state || '—'),
    ...fact('visitType', serviceName(r.service_id)),
    ...fact('how', t(r.modality)),
    ...fact('rqWhere', r.location_ids.map(locationName).join(', ')),
    ...fact('rqPreferred', preferred(r)),
    ...(r.notes ? fact('notes', r.notes) : []),
    ...(r.close_reason ? fact('rqCloseReason', r.close_reason) : []),
    ...(r.booking_id ? fact('rqBooking', el('a', { href: `#visit=${encodeURIComponent(r.booking_id)}`, text: t('rqSeeVisit') })) : []));
  const after = () => showRequest(r.id);
  $('request-body').replaceChildren(facts, ...(r.status === 'open' ? [bookingPart(r, after), closeForm(r, after)] : []));
}

function closeForm(r, after) {
  const reason = el('textarea', { id: 'rq-reason', rows: '2', maxlength: '500', 'aria-describedby': 'rq-reason-hint' });
  const submit = async (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      reason.setAttribute('aria-invalid', 'true');
      say(t('rqReasonNeeded'), { error: true });
      reason.focus();
      return;
    }
    event.submitter?.setAttribute('disabled', '');
    try {
      await post(`/staff/api/appointment-requests/${encodeURIComponent(r.id)}/close`, { reason: text });
      say(t('rqClosed', { name: r.patient?.name || '' }));
    } catch (error) {
      if (error.status === 401) return;
      say(error.status === 409 ? t('rqNotOpen') : explain(error), { error: true });
    }
    await after();
  };
  return el('form', { id: 'rq-close', class: 'card', method: 'post', novalidate: true, 'aria-labelledby': 'rq-close-title', onsubmit: submit },
    el('h2', { id: 'rq-close-title', text: t('rqCloseTitle') }),
    el('div', { class: 'field' }, el('label', { for: 'rq-reason', text: t('rqReason') }),
      el('span', { class: 'hint', id: 'rq-reason-hint', text: t('rqReasonHint') }), reason),
    el('button', { type: 'submit', text: t('rqCloseButton') }));
}

document.querySelectorAll('.lang').forEach((button) => button.addEventListener('click', () => {
  if (shown && $('request') && !$('request').hidden) render(shown);
}));
