// A clinic's closures and special hours ahead: the list (each deletable), and the form to add one. Saving
// comes after a check: the bookings service names the booked visits the change would disrupt
// (POST /bookings/disruptions/preview, the same rule its scan applies), and any edit of the form asks for
// the check again. The save's answer says how many visits it disrupted and warns of special hours nobody works.
import { call, explain, get, post } from './staff-api.js';
import { el, say } from './staff-dom.js';
import { closureForm, readForm } from './staff-hours-form.js';
import { listed, problemText } from './staff-hours.js';
import { patientName } from './staff-rows.js';
import { t } from './staff-strings.js';
import { addDays, clinicDate, dayName, fullWhen } from './staff-time.js';

const path = (place, rest = '') => `/staff/api/locations/${encodeURIComponent(place.id)}/closures${rest}`;

export async function drawClosures(section, place, providers, redraw, outcome) {
  let closures = [];
  try {
    closures = (await get(path(place))).data.closures;
  } catch (error) {
    say(explain(error), { error: true });
  }
  const names = new Map(providers.map((p) => [p.id, p.name]));
  section.replaceChildren(...[el('h2', { id: 'closures-title', text: t('closuresTitle') }),
    outcome ? outcomeBox(outcome) : null,
    closures.length ? el('ul', { class: 'closures' }, ...closures.map((c) => closureItem(place, c, names, redraw)))
      : el('p', { class: 'hint', text: t('noClosures') }),
    el('h3', { text: t('addClosure') }),
    closureForm(providers, (form, previewBox) => check(place, form, previewBox, redraw))].filter(Boolean));
  if (outcome) section.querySelector('.outcome')?.focus();
}

function describe(closure, names) {
  const when = closure.from === closure.to ? dayName(closure.from) : `${dayName(closure.from)} – ${dayName(closure.to)}`;
  const what = closure.intervals ? `${t('specialHours')} ${listed(closure.intervals)}` : t('closedAllDay');
  const who = closure.provider_ids?.length ? ` · ${t('staffedBy', { names: closure.provider_ids.map((id) => names.get(id) || id).join(', ') })}` : '';
  return `${when}: ${what} (${closure.reason})${who}`;
}

function closureItem(place, closure, names, redraw) {
  const what = describe(closure, names);
  const item = el('li', { 'data-closure': closure.id });
  const ask = () => {
    const keep = el('button', { type: 'button', class: 'plain', onclick: () => { item.replaceChildren(...plain()); } }, t('keep'));
    item.replaceChildren(el('span', { text: t('deleteConfirm', { what }) }), ' ',
      el('button', { type: 'button', 'data-key': `delete:${closure.id}`, onclick: async () => {
        try {
          await call('DELETE', path(place, `/${encodeURIComponent(closure.id)}`));
          say(t('deleted', { what }));
          await redraw(null);
        } catch (error) {
          say(problemText(error), { error: true });
        }
      } }, t('confirm')), ' ', keep);
    keep.focus();
  };
  const plain = () => [el('span', { text: what }), ' ',
    el('button', { type: 'button', class: 'plain', 'aria-label': t('deleteFor', { what }), onclick: ask }, t('deleteClosure'))];
  item.replaceChildren(...plain());
  return item;
}

// The check: what the change would disrupt, then the Save button for exactly what was checked.
async function check(place, form, box, redraw) {
  const closure = readForm(form);
  let preview;
  try {
    preview = (await post('/staff/api/bookings/disruptions/preview', { location_id: place.id, closure })).data;
  } catch (error) {
    say(problemText(error), { error: true });
    return;
  }
  const zone = place.timezone;
  const count = preview.disrupted_bookings;
  const heading = count === 0 ? t('previewNone') : count === 1 ? t('previewOne') : t('previewSome', { count });
  const save = el('button', { type: 'button', id: 'closure-save', onclick: async () => {
    save.disabled = true;
    try {
      const answer = (await post(path(place), closure)).data;
      await redraw({ ...answer, marked: await markedOn(place, closure) });
    } catch (error) {
      save.disabled = false;
      say(problemText(error), { error: true });
    }
  } }, t('saveClosure'));
  box.replaceChildren(...[el('p', { id: 'preview-heading', tabindex: '-1', text: heading }),
    count ? el('ul', { id: 'preview-list' }, ...preview.bookings.map(({ booking, detail }) => el('li', {
      'data-booking': booking.id,
      text: `${fullWhen(booking.start, zone)} · ${patientName(booking)} · ${booking.service?.name || ''} · ${booking.provider?.name || ''} — ${detail}` }))) : null,
    save].filter(Boolean));
  box.hidden = false;
  box.querySelector('#preview-heading').focus();
}

// The visits on the closure's dates now marked disrupted. The save's own count says how many its own check
// marked; the bookings worker, reacting to the same change's event, may have marked them a moment before
// (README: Disruptions, "whichever comes second finds nothing new"), so the list is read after saving.
async function markedOn(place, closure) {
  const query = new URLSearchParams({ disrupted: 'true', location_id: place.id, limit: '500',
    from: `${addDays(closure.from, -1)}T00:00:00Z`, to: `${addDays(closure.to, 2)}T00:00:00Z` });
  try {
    const listed = (await get(`/staff/api/bookings?${query}`)).data.bookings;
    return listed.filter((b) => clinicDate(b) >= closure.from && clinicDate(b) <= closure.to).length;
  } catch {
    return null;
  }
}

function outcomeBox(outcome) {
  const answered = outcome.disrupted_bookings;
  const count = answered === null || answered === undefined ? null : Math.max(answered, outcome.marked ?? 0);
  const text = count === null ? t('savedUnknown')
    : count === 0 ? t('savedNone') : count === 1 ? t('savedOne') : t('saved', { count });
  say(text);
  return el('div', { class: 'notice outcome', tabindex: '-1' }, el('p', { id: 'closure-outcome', text }),
    ...(outcome.warnings || []).map((warning) => el('p', { class: 'warning', text: t('warning', { text: warning }) })),
    count ? el('a', { href: '#disruptions', text: t('seeDisruptions') }) : null);
}
