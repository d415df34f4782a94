// Dead-letter queues: what waits in each, which queues and shared subscriptions feed it, and a redrive back to them.
import {get, post} from './api.js';
import {h, fill, num, table, link, destinationHref, badge} from './dom.js';
import {ask, notify} from './dialogs.js';

export function deadLettersPage(main, ctx) {
  const list = h('div', {});
  main.append(h('div', {class: 'page-head'}, h('h1', {}, 'Dead letters')),
    h('section', {class: 'card'},
      h('p', {class: 'muted'}, 'A message goes to the dead-letter queue of its queue, or of the topic of its shared'
        + ' subscription, after too many delivery attempts (max.delivery.attempts). A redrive moves dead letters back'
        + ' to the queue or the shared subscription each came from, without the properties dead-lettering added.'),
      list));

  function draw(queues) {
    fill(list, table([
      {label: 'Dead-letter queue', value: q => q.exists ? link(destinationHref('queue', q.name), q.name) : q.name},
      {label: 'State', value: q => q.exists ? badge('exists', 'active') : badge('not created yet', 'idle')},
      {label: 'Waiting', cls: 'num', value: q => num(q.messages)},
      {label: 'Fed by', value: q => sources(q).join(', ')},
      {label: '', value: q => h('span', {class: 'row-actions'},
        q.exists ? h('a', {class: 'button small', href: '#/messages/queue/' + encodeURIComponent(q.name)}, 'Browse') : null,
        ctx.access.admin && q.messages > 0 ? h('button', {class: 'small primary', onclick: () => redrive(q)}, 'Redrive') : null)},
    ], queues, {id: 'dead-letter-queues', empty: 'No dead letters: no queue has given up on a message'}));
  }

  const sources = q => q.sourceQueues.map(name => 'queue ' + name)
    .concat(q.sourceSubscriptions.map(s => 'subscription ' + s.subscription + ' of topic ' + s.topic));

  const redrive = q => ask({
    title: 'Redrive ' + q.name,
    message: num(q.messages) + ' dead letters wait. They go back to the queue named by their JMS_Strand_OriginalQueue'
      + ' property, or to the shared subscription named by JMS_Strand_OriginalTopic and JMS_Strand_OriginalSubscription'
      + ' (' + sources(q).join(', ') + ').',
    fields: [{name: 'max', label: 'At most', type: 'number', min: 1, value: String(Math.min(q.messages, 100000))}],
    okLabel: 'Redrive',
    submit: async v => {
      const done = await post('dead-letters/' + encodeURIComponent(q.name) + '/redrive', {max: Number(v.max)});
      notify('Moved ' + num(done.moved) + ' messages back' + (done.skipped ? ', ' + num(done.skipped) + ' skipped' : ''));
      await page.refresh();
      return done;
    },
  });

  const page = {
    async refresh() { draw(await get('dead-letters')); },
    dispose() {},
  };
  return page;
}
