// Confirmation and form dialogs for every change: nothing changes on the broker without an explicit OK,
// and destructive changes ask for the name to be typed.
import {h, clear} from './dom.js';

const dialog = () => document.getElementById('dialog');

/**
 * Shows a dialog and runs submit(values) on OK; the dialog stays open with the error when submit throws.
 * fields: [{name, label, type, value, options:[[value,label]], min, placeholder, required, hint}]
 * confirmWord: text the user must type before OK is enabled.
 * Resolves with submit's result, or null when cancelled.
 */
export function ask({title, message, fields = [], confirmWord, okLabel = 'OK', danger = false, submit}) {
  const d = dialog();
  const body = clear(document.getElementById('dialog-body'));
  const error = document.getElementById('dialog-error');
  const ok = document.getElementById('dialog-ok');
  const cancel = document.getElementById('dialog-cancel');
  document.getElementById('dialog-title').textContent = title;
  error.hidden = true;
  ok.textContent = okLabel;
  ok.className = danger ? 'danger' : 'primary';
  ok.disabled = false;

  if (message) body.append(h('p', {}, message));
  const inputs = {};
  for (const f of fields) {
    let input;
    if (f.options) {
      input = h('select', {name: f.name, id: 'field-' + f.name},
        f.options.map(([value, label]) => h('option', {value, selected: value === f.value}, label)));
    } else {
      input = h('input', {name: f.name, id: 'field-' + f.name, type: f.type || 'text', min: f.min,
        placeholder: f.placeholder, required: f.required, value: f.value === undefined ? null : f.value});
    }
    inputs[f.name] = input;
    body.append(h('label', {}, f.label, input, f.hint ? h('span', {class: 'hint'}, f.hint) : null));
  }
  let typed = null;
  if (confirmWord) {
    typed = h('input', {id: 'field-confirm', autocomplete: 'off'});
    body.append(h('label', {}, 'Type ', h('code', {}, confirmWord), ' to confirm', typed));
    ok.disabled = true;
    typed.addEventListener('input', () => { ok.disabled = typed.value !== confirmWord; });
  }

  return new Promise(resolve => {
    const finish = result => {
      ok.removeEventListener('click', onOk);
      cancel.removeEventListener('click', onCancel);
      d.removeEventListener('cancel', onCancel);
      d.close();
      resolve(result);
    };
    const onCancel = event => { event.preventDefault(); finish(null); };
    const onOk = async event => {
      event.preventDefault();
      const values = {};
      for (const [name, input] of Object.entries(inputs)) {
        if (input.required && !input.value) { input.focus(); return; }
        values[name] = input.value;
      }
      ok.disabled = true;
      try {
        finish(await submit(values));
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
        ok.disabled = false;
      }
    };
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    d.addEventListener('cancel', onCancel);
    d.showModal();
    const first = Object.values(inputs)[0] || typed;
    if (first) first.focus();
  });
}

/** Shows a short message at the top that disappears by itself. */
export function notify(text, kind = 'ok') {
  const notice = document.getElementById('notice');
  notice.textContent = text;
  notice.className = 'notice ' + kind;
  notice.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { notice.hidden = true; }, kind === 'error' ? 8000 : 4000);
}

/** The rewind fields shared by queues and subscriptions: to an offset or to a time, one partition or all. */
export function rewindFields(partitions) {
  return [
    {name: 'partition', label: 'Partition', value: '-1',
      options: [['-1', 'All partitions'], ...partitions.map(p => [String(p), 'Partition ' + p])]},
    {name: 'to', label: 'Move to', value: 'time', options: [['time', 'a time'], ['offset', 'an offset']]},
    {name: 'time', label: 'Time (your local time)', type: 'datetime-local',
      hint: 'the first message written at or after it'},
    {name: 'offset', label: 'Offset', type: 'number', min: 0, hint: 'used when moving to an offset'},
  ];
}

/** The API body of a rewind from the fields above. */
export function rewindBody(values) {
  const body = {};
  if (values.partition !== '-1') body.partition = Number(values.partition);
  if (values.to === 'offset') {
    if (values.offset === '') throw new Error('give the offset to move to');
    body.offset = Number(values.offset);
  } else {
    if (!values.time) throw new Error('give the time to move to');
    body.timeMs = new Date(values.time).getTime();
  }
  return body;
}
