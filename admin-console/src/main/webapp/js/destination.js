// A destination's page: its figures, live throughput, partitions (per broker: leader and replicas),
// the queue's consumers or the topic's durable and shared subscriptions with lag, and the changes an admin may make.
import {get, post, del, destinationPath} from './api.js';
import {h, fill, num, rate, bytes, age, retention, table, metric, badge, link, destinationHref, section} from './dom.js';
import {ask, notify, rewindFields, rewindBody} from './dialogs.js';
import {throughputChart} from './throughput.js';

export function destinationPage(main, ctx) {
  const {type, name} = ctx.params;
  const path = destinationPath(type, name);
  const metrics = h('div', {class: 'metrics', id: 'destination-metrics'});
  const canvas = h('canvas', {id: 'destination-chart'});
  const settings = h('dl', {class: 'facts'});
  const partitions = h('div', {});
  const consumers = h('div', {});
  const consumersTitle = h('h2', {}, type === 'queue' ? 'Consumers per partition' : 'Subscriptions');
  let last = null;

  const buttons = [
    h('a', {class: 'button', id: 'browse-messages', href: '#/messages/' + type + '/' + encodeURIComponent(name)},
      'Browse messages'),
  ];
  if (ctx.access.admin) {
    if (type === 'queue') {
      buttons.push(h('button', {id: 'rewind-queue', onclick: () => rewindQueue()}, 'Rewind'));
      buttons.push(h('button', {id: 'purge-queue', onclick: () => purge()}, 'Purge'));
    }
    buttons.push(h('button', {id: 'alter-destination', onclick: () => alter()}, 'Settings'));
    buttons.push(h('button', {class: 'danger', id: 'delete-destination', onclick: () => remove()}, 'Delete'));
  }

  main.append(
    h('div', {class: 'page-head'},
      h('div', {}, h('a', {href: '#/', class: 'muted small'}, '← Overview'),
        h('h1', {}, badge(type), ' ', h('span', {id: 'destination-name'}, name))),
      h('div', {class: 'actions'}, buttons)),
    metrics,
    h('div', {class: 'columns'},
      section('Throughput', h('div', {class: 'chart'}, canvas)),
      section('Settings', settings)),
    section('Partitions', partitions),
    h('section', {class: 'card'}, consumersTitle, consumers));
  const chart = throughputChart(canvas);

  function draw(d) {
    last = d;
    const q = d.queue;
    const lag = q ? q.lag : d.subscriptions.reduce((s, x) => s + x.lag, 0);
    const oldest = q ? q.oldestAgeMs : Math.max(-1, ...d.subscriptions.map(x => x.oldestAgeMs));
    const latest = d.throughput.length ? d.throughput[d.throughput.length - 1] : null;
    fill(metrics, 
      metric('Messages', num(d.messages), 'messages', bytes(d.sizeBytes) + ' on disk'),
      metric('Lag', num(lag), 'lag', q ? 'not yet consumed' : 'over ' + d.subscriptions.length + ' subscriptions'),
      metric('Oldest waiting', age(oldest), 'oldest', 'age of the oldest unconsumed'),
      metric('In', rate(latest && latest.inPerSecond), 'in', 'messages per second'),
      q ? metric('Out', rate(latest && latest.outPerSecond), 'out', 'consumed per second')
        : metric('Active', num(d.subscriptions.filter(s => s.active).length), 'active', 'subscriptions with a consumer'
          + ' (' + num(d.subscriptions.reduce((n, s) => n + s.members.length, 0)) + ' consumers)'),
      q ? metric('Consumers', num(q.consumers), 'consumers', num(q.inFlight) + ' in flight')
        : metric('Partitions', num(d.partitions.length), 'partitions', ''));
    chart.update(d.throughput);

    fill(settings, 
      h('dt', {}, 'Partitions'), h('dd', {}, num(d.partitions.length)),
      h('dt', {}, 'Retention (time)'), h('dd', {}, retention(d.retentionMs, 'ms')),
      h('dt', {}, 'Retention (size)'), h('dd', {}, retention(d.retentionBytes, 'bytes') + (d.retentionBytes >= 0 ? ' per partition' : '')),
      d.replicationFactor == null ? null : [h('dt', {}, 'Replication factor'), h('dd', {}, num(d.replicationFactor))],
      d.minInsyncReplicas == null ? null : [h('dt', {}, 'Min in-sync replicas'), h('dd', {}, num(d.minInsyncReplicas))],
      d.temporary ? [h('dt', {}, 'Temporary'), h('dd', {}, 'lives as long as its connection')] : null,
      q ? [h('dt', {}, 'Dead-letter queue'), h('dd', {}, link(destinationHref('queue', q.deadLetterQueue), q.deadLetterQueue),
        ' — ' + num(q.deadLetters) + ' waiting')] : null);

    const queueBy = new Map((q ? q.partitions : []).map(p => [p.partition, p]));
    fill(partitions, table([
      {label: 'Partition', value: p => String(p.partition)},
      {label: 'Leader', value: p => 'broker ' + p.leader},
      {label: 'Replicas', value: p => p.replicas.join(', ')},
      {label: 'In sync', value: p => p.underReplicated
        ? [p.isr.join(', ') + ' ', badge('under-replicated')] : p.isr.join(', ')},
      {label: 'Log start', cls: 'num', value: p => num(p.logStartOffset)},
      {label: 'Log end', cls: 'num', value: p => num(p.logEndOffset)},
      {label: 'High watermark', cls: 'num', value: p => num(p.highWatermark)},
      {label: 'Messages', cls: 'num', value: p => num(p.messages)},
      {label: 'Size', cls: 'num', value: p => bytes(p.sizeBytes)},
      {label: 'Segments', cls: 'num', value: p => num(p.segments)},
    ], d.partitions, {id: 'partitions'}));

    if (q) {
      fill(consumers, table([
        {label: 'Partition', value: p => String(p.partition)},
        {label: 'Consumed below', cls: 'num', value: p => num(p.startOffset)},
        {label: 'High watermark', cls: 'num', value: p => num(p.highWatermark)},
        {label: 'Lag', cls: 'num', value: p => num(p.lag)},
        {label: 'In flight', cls: 'num', value: p => num(p.inFlight)},
        {label: 'Delayed', cls: 'num', value: p => num(p.delayed)},
        {label: 'Oldest waiting', cls: 'num', value: p => age(p.oldestAgeMs)},
      ], [...queueBy.values()], {id: 'queue-partitions'}));
    } else {
      drawSubscriptions(d.subscriptions);
    }
  }

  function drawSubscriptions(subscriptions) {
    const rows = [];
    for (const s of subscriptions) {
      rows.push({s, p: null});
      for (const p of s.partitions) rows.push({s, p});
    }
    fill(consumers, table([
      {label: 'Client id', value: r => r.p ? '' : (r.s.clientId || '–')},
      {label: 'Subscription', value: r => r.p ? 'partition ' + r.p.partition : r.s.name},
      {label: 'Kind', value: r => r.p ? '' : badge(r.s.kind.replace('-', ' '), 'kind')},
      {label: 'Selector', value: r => r.p ? '' : (r.s.selector || '')},
      {label: 'State', value: r => r.p ? '' : (r.s.active ? badge('active') : badge('idle'))},
      {label: 'Consumers', cls: 'num', value: r => r.p ? '' : num(r.s.members.length)},
      {label: 'Position', cls: 'num', value: r => r.p ? num(r.p.position) : ''},
      {label: 'Lag', cls: 'num', value: r => num(r.p ? r.p.lag : r.s.lag)},
      {label: 'In flight', cls: 'num', value: r => num(r.p ? r.p.inFlight : r.s.inFlight)},
      {label: 'Oldest waiting', cls: 'num', value: r => age(r.p ? r.p.oldestAgeMs : r.s.oldestAgeMs)},
      {label: 'Dead letters', value: r => r.p || !r.s.deadLetterQueue ? ''
        : [link(destinationHref('queue', r.s.deadLetterQueue), r.s.deadLetterQueue), ' ', num(r.s.deadLetters)]},
      {label: '', value: r => r.p || !ctx.access.admin ? '' : h('span', {class: 'row-actions'},
        r.s.kind === 'durable' ? h('button', {class: 'small', onclick: () => rewindSubscription(r.s)}, 'Rewind') : null,
        r.s.kind !== 'shared' ? h('button', {class: 'small danger', onclick: () => deleteSubscription(r.s)}, 'Delete') : null)},
    ], rows, {id: 'subscriptions', rowClass: r => r.p ? 'sub' : null,
      empty: 'No durable or shared subscriptions on this topic'}));
  }

  const partitionNumbers = () => (last ? last.partitions : []).map(p => p.partition);

  const rewindQueue = () => ask({
    title: 'Rewind queue ' + name,
    message: 'Messages from there on are delivered again (or skipped, moving forward). The queue must have no open receivers.',
    fields: rewindFields(partitionNumbers()), okLabel: 'Rewind',
    submit: async v => {
      const moved = await post(path + '/rewind', rewindBody(v));
      notify('Moved ' + moved.map(p => 'partition ' + p.partition + ' to ' + p.offset).join(', '));
      await page.refresh();
      return moved;
    },
  });

  const purge = () => ask({
    title: 'Purge queue ' + name, danger: true, okLabel: 'Purge', confirmWord: name,
    message: 'Marks every message of the queue consumed. The log keeps them until retention removes them, so a rewind can bring them back.',
    submit: async () => {
      const purged = await post(path + '/purge', {});
      notify('Purged ' + num(purged.messages) + ' messages');
      await page.refresh();
      return purged;
    },
  });

  const alter = () => ask({
    title: 'Settings of ' + type + ' ' + name, okLabel: 'Save',
    message: 'Partitions can be added, never removed. Retention: -1 keeps forever.',
    fields: [
      {name: 'partitions', label: 'Partitions', type: 'number', min: 1, value: String(last.partitions.length)},
      {name: 'retentionMs', label: 'Retention (ms)', type: 'number', value: String(last.retentionMs)},
      {name: 'retentionBytes', label: 'Retention (bytes per partition)', type: 'number', value: String(last.retentionBytes)},
    ],
    submit: async v => {
      const altered = await post(path + '/settings', {partitions: Number(v.partitions),
        retentionMs: Number(v.retentionMs), retentionBytes: Number(v.retentionBytes)});
      notify('Saved the settings of ' + name);
      draw(altered);
      return altered;
    },
  });

  const remove = () => ask({
    title: 'Delete ' + type + ' ' + name, danger: true, okLabel: 'Delete', confirmWord: name,
    message: 'Deletes the ' + type + ' with all its messages. This cannot be undone.',
    submit: async () => {
      await del(path);
      notify('Deleted ' + type + ' ' + name);
      location.hash = '#/';
      return true;
    },
  });

  const rewindSubscription = s => ask({
    title: 'Rewind subscription ' + s.name + ' of ' + s.clientId,
    message: 'Messages from there on are delivered again. The subscription must have no active consumer.',
    fields: rewindFields(s.partitions.map(p => p.partition)), okLabel: 'Rewind',
    submit: async v => {
      const moved = await post('subscriptions/' + encodeURIComponent(s.clientId) + '/' + encodeURIComponent(s.name)
        + '/rewind', rewindBody(v));
      notify('Moved ' + moved.map(p => 'partition ' + p.partition + ' to ' + p.offset).join(', '));
      await page.refresh();
      return moved;
    },
  });

  const deleteSubscription = s => ask({
    title: 'Delete subscription ' + s.name, danger: true, okLabel: 'Delete', confirmWord: s.name,
    message: 'Deletes the ' + s.kind.replace('-', ' ') + ' subscription ' + s.name
      + (s.clientId ? ' of client ' + s.clientId : ' (no client id)') + ' and its position.',
    submit: async () => {
      // A shared subscription opened without a client id has '-' in its path.
      await del('subscriptions/' + encodeURIComponent(s.clientId || '-') + '/' + encodeURIComponent(s.name));
      notify('Deleted subscription ' + s.name);
      await page.refresh();
      return true;
    },
  });

  const page = {
    async refresh() { draw(await get(path)); },
    dispose() { chart.destroy(); },
  };
  return page;
}
