/* Small DOM helpers. Nodes are built with el(), and text goes in as text, never as HTML: nothing the
 * server returns can become markup. Handlers are attached by script because the CSP forbids on* attributes.
 */

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function show(id, visible) { $(id).hidden = !visible; }

export function focusOn(id) {
  const node = $(id);
  node.focus({ preventScroll: true });
  node.scrollIntoView({ block: 'start' });
}

export function setBusy(button, busy) {
  button.disabled = busy;
  button.setAttribute('aria-busy', String(busy));
}
