// The message browser: messages of one partition, consumed or not, from the newest, the oldest kept,
// an offset or a time; one message's headers, properties and body preview. Browsing consumes nothing.
import {get, destinationPath} from './api.js';
import {h, clear, fill, num, bytes, time, table, section} from './dom.js';

export function messagesPage(main, ctx) {
  const destination = h('select', {id: 'browse-destination'});
  const partition = h('select', {id: 'browse-partition'});
  const from = h('select', {id: 'browse-from'},
    h('option', {value: 'newest'}, 'the newest'), h('option', {value: 'oldest'}, 'the oldest kept'),
    h('option', {value: 'offset'}, 'an offset'), h('option', {value: 'time'}, 'a time'));
  const offset = h('input', {id: 'browse-offset', type: 'number', min: 0, placeholder: 'offset', hidden: true});
  const when = h('input', {id: 'browse-time', type: 'datetime-local', hidden: true});
  const count = h('input', {id: 'browse-count', type: 'number', min: 1, max: 1000, value: '50'});
  const show = h('button', {class: 'primary', id: 'browse-show', type: 'submit'}, 'Show');
  const bounds = h('p', {class: 'muted', id: 'browse-bounds'});
  const results = h('div', {id: 'browse-results'});
  const detail = h('div', {id: 'message-detail'});

  const form = h('form', {class: 'toolbar', onsubmit: e => { e.preventDefault(); browse(); }},
    h('label', {}, 'Destination', destination), h('label', {}, 'Partition', partition),
    h('label', {}, 'From', from), offset, when, h('label', {}, 'Messages', count), show);
  main.append(h('div', {class: 'page-head'}, h('h1', {}, 'Messages')),
    h('section', {class: 'card'}, form, bounds, results), detail);

  from.addEventListener('change', () => {
    offset.hidden = from.value !== 'offset';
    when.hidden = from.value !== 'time';
  });
  destination.addEventListener('change', () => loadPartitions().then(browse));

  async function loadDestinations() {
    const overview = await get('overview');
    fill(destination, overview.destinations.map(d => h('option', {value: d.type + '/' + d.name,
      selected: ctx.params.type === d.type && ctx.params.name === d.name}, d.type + ' ' + d.name)));
    if (ctx.params.name && !overview.destinations.some(d => d.type === ctx.params.type && d.name === ctx.params.name)) {
      destination.append(h('option', {value: ctx.params.type + '/' + ctx.params.name, selected: true},
        ctx.params.type + ' ' + ctx.params.name));
    }
  }

  async function loadPartitions() {
    if (!destination.value) return;
    const [type, ...rest] = destination.value.split('/');
    const d = await get(destinationPath(type, rest.join('/')));
    fill(partition, d.partitions.map(p => h('option', {value: p.partition},
      p.partition + ' (' + num(p.messages) + ' messages)')));
  }

  async function browse() {
    if (!destination.value) {
      fill(results, h('p', {class: 'empty'}, 'No destinations yet.'));
      return;
    }
    const [type, ...rest] = destination.value.split('/');
    const name = rest.join('/');
    const query = new URLSearchParams({partition: partition.value || '0', max: count.value || '50'});
    if (from.value === 'oldest') query.set('newest', 'false');
    if (from.value === 'offset' && offset.value !== '') query.set('fromOffset', offset.value);
    if (from.value === 'time' && when.value) query.set('fromTime', String(new Date(when.value).getTime()));
    const page = await get(destinationPath(type, name) + '/messages?' + query);
    bounds.textContent = type + ' ' + name + ', partition ' + page.partition + ': offsets ' + num(page.logStartOffset)
      + ' to ' + num(page.highWatermark - 1) + ' kept; showing ' + page.messages.length + '.';
    clear(detail);
    fill(results, table([
      {label: 'Offset', cls: 'num', value: m => num(m.offset)},
      {label: 'Written', value: m => time(m.timestamp)},
      {label: 'Message id', value: m => m.messageId || ''},
      {label: 'Body', value: m => m.bodyKind.toLowerCase()},
      {label: 'Size', cls: 'num', value: m => bytes(m.bodyBytes)},
      {label: 'Preview', cls: 'preview', value: m => m.bodyPreview.length > 80 ? m.bodyPreview.slice(0, 80) + '…' : m.bodyPreview},
    ], page.messages, {id: 'messages', empty: 'No messages from there', onRow: m => showMessage(m)}));
  }

  function showMessage(m) {
    const headers = [
      ['Partition / offset', m.partition + ' / ' + m.offset], ['Written', time(m.timestamp)],
      ['JMSMessageID', m.messageId], ['JMSCorrelationID', m.correlationId], ['JMSType', m.jmsType],
      ['JMSDeliveryMode', m.deliveryMode], ['JMSPriority', m.priority],
      ['JMSExpiration', m.expiration ? time(m.expiration) : 'never'], ['Body', m.bodyKind + ', ' + bytes(m.bodyBytes)],
    ];
    const properties = Object.entries(m.properties || {});
    fill(detail, section('Message at offset ' + m.offset,
      h('div', {class: 'columns'},
        h('div', {}, h('h3', {}, 'Headers'), h('dl', {class: 'facts', id: 'message-headers'},
          headers.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === undefined || v === null ? '–' : String(v))]))),
        h('div', {}, h('h3', {}, 'Properties'), properties.length === 0 ? h('p', {class: 'muted'}, 'none')
          : h('dl', {class: 'facts', id: 'message-properties'},
            properties.map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])))),
      h('h3', {}, 'Body preview'), h('pre', {class: 'body', id: 'message-body'}, m.bodyPreview)));
    detail.scrollIntoView({behavior: 'smooth', block: 'start'});
  }

  let loaded = false;
  return {
    async refresh() {
      // The browser shows a snapshot: it loads once, and again when asked, so that a row being read stays put.
      if (loaded) return;
      loaded = true;
      await loadDestinations();
      await loadPartitions();
      await browse();
    },
    dispose() {},
  };
}
