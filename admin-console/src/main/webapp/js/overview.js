// The overview: the broker's figures, its throughput, its brokers and every destination with rates and lag.
import {get, post} from './api.js';
import {h, fill, num, rate, bytes, age, table, metric, badge, link, destinationHref, section} from './dom.js';
import {ask, notify} from './dialogs.js';
import {throughputChart} from './throughput.js';

export function overviewPage(main, ctx) {
  const metrics = h('div', {class: 'metrics', id: 'overview-metrics'});
  const canvas = h('canvas', {id: 'overview-chart'});
  const brokers = h('div', {});
  const destinations = h('div', {});
  const showTemporary = h('input', {type: 'checkbox', id: 'show-temporary'});
  const actions = h('div', {class: 'actions'},
    h('label', {class: 'inline'}, showTemporary, 'temporary destinations'),
    ctx.access.admin ? h('button', {class: 'primary', id: 'new-destination', onclick: () => create(ctx)},
      'New destination') : null);

  main.append(
    h('div', {class: 'page-head'}, h('h1', {}, 'Overview'), h('span', {class: 'muted', id: 'broker-url'})),
    metrics,
    h('div', {class: 'columns'},
      section('Throughput', h('div', {class: 'chart'}, canvas)),
      section('Brokers', brokers)),
    h('section', {class: 'card'}, h('div', {class: 'card-head'}, h('h2', {}, 'Destinations'), actions), destinations));

  const chart = throughputChart(canvas);
  let last = null;
  showTemporary.addEventListener('change', () => last && draw(last));

  function draw(o) {
    document.getElementById('broker-url').textContent = o.brokerUrl;
    const t = o.totals;
    fill(metrics, 
      metric('Destinations', num(t.destinations), 'destinations', num(t.partitions) + ' partitions'),
      metric('Messages', num(t.messages), 'messages', bytes(t.sizeBytes) + ' on disk'),
      metric('In', rate(t.inPerSecond), 'in', 'messages per second'),
      metric('Out', rate(t.outPerSecond), 'out', 'consumed from queues per second'),
      metric('Consumer lag', num(t.lag), 'lag', 'messages not yet consumed'),
      metric('Connections', num(t.connections), 'connections', num(t.consumers) + ' consumers'),
      metric('Under-replicated', num(o.destinations.reduce((n, d) => n + d.underReplicatedPartitions, 0)),
        'under-replicated', 'partitions with a replica out of sync'));
    chart.update(o.throughput);
    fill(brokers, table([
      {label: 'Broker', value: b => String(b.id)},
      {label: 'Address', value: b => b.host + (b.port >= 0 ? ':' + b.port : '')},
      {label: 'Role', value: b => b.controller ? badge('controller') : badge('broker')},
      {label: 'Leads', cls: 'num', value: b => num(b.partitionsLed)},
      {label: 'Replicas', cls: 'num', value: b => num(b.replicasHeld)},
    ], o.brokers, {compact: true, id: 'brokers'}));
    const rows = o.destinations.filter(d => showTemporary.checked || !d.temporary);
    fill(destinations, table([
      {label: 'Type', value: d => badge(d.type)},
      {label: 'Name', value: d => link(destinationHref(d.type, d.name), d.name)},
      {label: 'Partitions', cls: 'num', value: d => d.underReplicatedPartitions > 0
        ? [num(d.partitions) + ' ', badge(num(d.underReplicatedPartitions) + ' under-replicated')] : num(d.partitions)},
      {label: 'Messages', cls: 'num', value: d => num(d.messages)},
      {label: 'Size', cls: 'num', value: d => bytes(d.sizeBytes)},
      {label: 'In/s', cls: 'num', value: d => rate(d.inPerSecond)},
      {label: 'Out/s', cls: 'num', value: d => rate(d.outPerSecond)},
      {label: 'Lag', cls: 'num', value: d => num(d.lag)},
      {label: 'Oldest', cls: 'num', value: d => age(d.oldestAgeMs)},
      {label: 'Consumers', cls: 'num', value: d => num(d.consumers)},
      {label: 'Dead letters', cls: 'num', value: d => d.type === 'queue' ? num(d.deadLetters) : ''},
    ], rows, {id: 'destinations', empty: 'No destinations yet: create one, or send to one from a client',
      rowData: d => ({destination: d.type + ':' + d.name})}));
  }

  return {
    async refresh() {
      last = await get('overview');
      draw(last);
    },
    dispose() { chart.destroy(); },
  };
}

function create(ctx) {
  return ask({
    title: 'New destination',
    okLabel: 'Create',
    fields: [
      {name: 'type', label: 'Type', value: 'queue', options: [['queue', 'Queue'], ['topic', 'Topic']]},
      {name: 'name', label: 'Name', required: true, placeholder: 'orders', hint: '1 to 200 of A-Z a-z 0-9 . _ -'},
      {name: 'partitions', label: 'Partitions', type: 'number', min: 1, value: '1'},
    ],
    submit: async v => {
      const created = await post('destinations', {type: v.type, name: v.name.trim(),
        partitions: v.partitions ? Number(v.partitions) : 0});
      notify('Created ' + created.type + ' ' + created.name);
      location.hash = destinationHref(created.type, created.name);
      return created;
    },
  });
}
