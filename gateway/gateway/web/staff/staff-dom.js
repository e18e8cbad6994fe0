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

export function show(sectionId) {
  for (const id of ['signin', 'schedule', 'visit']) $(id).hidden = id !== sectionId;
}
