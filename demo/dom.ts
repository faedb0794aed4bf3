/** The element with this id, of the expected kind; a missing one is a bug in index.html. */
export function byId<T extends HTMLElement>(id: string, kind: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) throw new Error(`index.html lacks #${id} (${kind.name})`);
  return el;
}

/** Creates an element with a class and text, the only way the page builds markup (no innerHTML of user data). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
