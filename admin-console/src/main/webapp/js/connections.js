// Client connections and the consumers open on each.
import {get} from './api.js';
import {h, fill, num, table, link, destinationHref, badge} from './dom.js';

export function connectionsPage(main) {
  const list = h('div', {});
  main.append(h('div', {class: 'page-head'}, h('h1', {}, 'Connections')), h('section', {class: 'card'}, list));

  function draw(connections) {
    const rows = [];
    for (const c of connections) {
      rows.push({c, k: null});
      for (const k of c.consumers) rows.push({c, k});
    }
    fill(list, table([
      {label: 'Address', value: r => r.k ? '' : r.c.remoteAddress},
      {label: 'Client id', value: r => r.k ? '' : (r.c.clientId || '–')},
      {label: 'User', value: r => r.k ? '' : (r.c.user || 'anonymous')},
      {label: 'Consumer', value: r => r.k ? badge(r.k.kind.toLowerCase().replace('_', ' '), 'kind') : num(r.c.consumers.length) + ' consumers'},
      {label: 'Destination', value: r => r.k ? link(destinationHref(r.k.type, r.k.destination), r.k.type + ' ' + r.k.destination) : ''},
      {label: 'Subscription', value: r => r.k ? (r.k.subscription || '') : ''},
      {label: 'Credit', cls: 'num', value: r => r.k ? num(r.k.credit) : ''},
    ], rows, {id: 'connections', rowClass: r => r.k ? 'sub' : null, empty: 'No client is connected'}));
  }

  return {
    async refresh() { draw(await get('connections')); },
    dispose() {},
  };
}
