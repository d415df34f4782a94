// Small DOM and formatting helpers. Every text goes in through textContent, never as HTML:
// message bodies and names come from clients and must not become markup.

/** Creates an element: h('td', {class: 'num'}, '12'); attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replaces an element's children; arrays are flattened and null, undefined and false left out. */
export function fill(el, ...children) {
  clear(el).append(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false));
  return el;
}

const NUMBER = new Intl.NumberFormat('en-US');

export function num(n) {
  return n === undefined || n === null ? '–' : NUMBER.format(n);
}

export function rate(r) {
  if (r === undefined || r === null) return '–';
  return r >= 100 ? NUMBER.format(Math.round(r)) : r.toFixed(1);
}

export function bytes(n) {
  if (n === undefined || n === null || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

/** An age in milliseconds as "4 s", "3 min", "2 h 5 min"; -1 (nothing waiting) as a dash. */
export function age(ms) {
  if (ms === undefined || ms === null || ms < 0) return '–';
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min';
  const hours = Math.floor(m / 60);
  if (hours < 48) return hours + ' h ' + (m % 60) + ' min';
  return Math.floor(hours / 24) + ' d';
}

export function time(ms) {
  if (!ms || ms < 0) return '–';
  const d = new Date(ms);
  return d.toLocaleString(undefined, {hour12: false});
}

export function retention(value, unit) {
  if (value === undefined || value === null || value < 0) return unit === 'ms' ? 'forever' : 'no limit';
  return unit === 'ms' ? age(value) : bytes(value);
}

/** A table from column definitions {label, value(row), cls}; rows may add a class through rowClass. */
export function table(columns, rows, options = {}) {
  const head = h('tr', {}, columns.map(c => h('th', {class: c.cls}, c.label)));
  const body = h('tbody', {});
  if (rows.length === 0) {
    body.append(h('tr', {}, h('td', {colspan: columns.length, class: 'empty'}, options.empty || 'Nothing yet')));
  }
  for (const row of rows) {
    const tr = h('tr', {class: options.rowClass ? options.rowClass(row) : null, dataset: options.rowData ? options.rowData(row) : undefined},
      columns.map(c => h('td', {class: c.cls}, c.value(row))));
    if (options.onRow) { tr.classList.add('clickable'); tr.addEventListener('click', () => options.onRow(row, tr)); }
    body.append(tr);
  }
  return h('table', {class: 'grid' + (options.compact ? ' compact' : ''), id: options.id}, h('thead', {}, head), body);
}

/** A figure card: a label and a big value. */
export function metric(label, value, key, hint) {
  return h('div', {class: 'metric', dataset: {metric: key}},
    h('div', {class: 'metric-label'}, label),
    h('div', {class: 'metric-value'}, value),
    hint ? h('div', {class: 'metric-hint'}, hint) : null);
}

export function badge(text, kind) {
  return h('span', {class: 'badge ' + (kind || text)}, text);
}

export function link(href, text) {
  return h('a', {href}, text);
}

export function destinationHref(type, name) {
  return '#/destination/' + type + '/' + encodeURIComponent(name);
}

export function section(title, ...children) {
  return h('section', {class: 'card'}, h('h2', {}, title), ...children);
}
