// Building the page from data: text always goes in as text (patients' names are data, never markup).
export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

export function say(message, { error = false } = {}) {
  const region = $('status');
  region.classList.toggle('is-error', error);
  region.textContent = message || '';
}

// One screen at a time: every section directly under <main> (the page's own and those a screen module adds).
export function show(sectionId) {
  document.querySelectorAll('main > section').forEach((section) => { section.hidden = section.id !== sectionId; });
}

// A screen module's section, made once under <main> with its heading (focusable, for moving focus on arrival).
export function screenSection(id, titleKey, t) {
  let section = $(id);
  if (!section) {
    section = el('section', { id, 'aria-labelledby': `${id}-title`, hidden: true },
      el('h1', { id: `${id}-title`, tabindex: '-1', 'data-i18n': titleKey, text: t(titleKey) }),
      el('div', { id: `${id}-body` }));
    $('main').append(section);
  }
  return section;
}
