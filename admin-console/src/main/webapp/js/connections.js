// Client connections by client id (an application's, such as each MDB's pool of sessions), each connection's
// sessions and the consumers open in them, with their delivery rate, messages in flight and lag.
import {get} from './api.js';
import {h, fill, num, rate, age, table, link, destinationHref, badge} from './dom.js';

export function connectionsPage(main) {
  const list = h('div', {});
  main.append(h('div', {class: 'page-head'}, h('h1', {}, 'Connections')),
    h('section', {class: 'card'},
      h('p', {class: 'muted'}, 'Connections are grouped by JMS client id. Each consumer shows the messages per second'
        + ' the broker sent it over its last seconds, the messages it holds unacknowledged (in flight), and the lag:'
        + ' messages waiting to be sent from what it reads, and the age of the oldest.'),
      list));

  function draw(groups) {
    const rows = [];
    for (const g of groups) {
      rows.push({g});
      for (const c of g.connections) {
        rows.push({g, c});
        for (const s of c.sessions) {
          for (const k of s.consumers) rows.push({g, c, s, k});
        }
      }
    }
    fill(list, table([
      {label: 'Client id', value: r => r.c ? '' : h('strong', {}, r.g.clientId || 'no client id')},
      {label: 'Connection', value: r => r.k ? '' : r.c ? r.c.remoteAddress + ' · ' + (r.c.user || 'anonymous')
        : num(r.g.connections.length) + ' connection' + (r.g.connections.length === 1 ? '' : 's')},
      {label: 'Session', value: r => r.k ? (r.s.id == null ? '?' : String(r.s.id)) : r.c ? num(r.c.sessions.length) + ' with consumers' : ''},
      {label: 'Consumer', value: r => r.k ? badge(r.k.kind.replace('-', ' '), 'kind') : r.c ? '' : num(r.g.consumers) + ' consumers'},
      {label: 'Destination', value: r => r.k ? link(destinationHref(r.k.type, r.k.destination), r.k.type + ' ' + r.k.destination) : ''},
      {label: 'Subscription', value: r => r.k ? (r.k.subscription || '') : ''},
      {label: 'Selector', value: r => r.k ? (r.k.selector || '') : ''},
      {label: 'Rate (msg/s)', cls: 'num', value: r => r.k ? rate(r.k.deliveryRate) : r.c ? '' : rate(r.g.deliveryRate)},
      {label: 'In flight', cls: 'num', value: r => r.k ? num(r.k.inFlight) : r.c ? '' : num(r.g.inFlight)},
      {label: 'Lag', cls: 'num', value: r => r.k ? num(r.k.lag) : ''},
      {label: 'Oldest waiting', cls: 'num', value: r => r.k ? age(r.k.oldestAgeMs) : ''},
    ], rows, {id: 'connections', rowClass: r => r.c ? 'sub' : null,
      rowData: r => r.k ? {consumer: r.k.id, session: r.s.id == null ? '' : r.s.id} : undefined,
      empty: 'No client is connected'}));
  }

  return {
    async refresh() { draw(await get('connections')); },
    dispose() {},
  };
}
