// The console's shell: the login, the header, the hash router and the refresh loop of the page shown.
import {api, get, ApiError} from './api.js';
import {h, clear, fill, badge} from './dom.js';
import {notify} from './dialogs.js';
import {overviewPage} from './overview.js';
import {destinationPage} from './destination.js';
import {messagesPage} from './messages.js';
import {deadLettersPage} from './deadletters.js';
import {connectionsPage} from './connections.js';

const REFRESH_MS = 2000;
const main = document.getElementById('main');
let access = null;
let brokerUrl = '';
let page = null;
let timer = null;

const routes = [
  [/^#?\/?$/, 'overview', () => ({}), overviewPage],
  [/^#\/destination\/(queue|topic)\/(.+)$/, 'overview', m => ({type: m[1], name: decodeURIComponent(m[2])}), destinationPage],
  [/^#\/messages(?:\/(queue|topic)\/(.+))?$/, 'messages',
    m => ({type: m[1], name: m[2] && decodeURIComponent(m[2])}), messagesPage],
  [/^#\/dead-letters$/, 'dead-letters', () => ({}), deadLettersPage],
  [/^#\/connections$/, 'connections', () => ({}), connectionsPage],
];

async function start() {
  window.addEventListener('strand:login', e => showLogin(e.detail));
  window.addEventListener('hashchange', () => access && show());
  document.getElementById('login-form').addEventListener('submit', login);
  try {
    access = await get('session');
    brokerUrl = access.broker;
  } catch (e) {
    fatal(e.message);
    return;
  }
  if (access.mode === 'login') showLogin();
  else enter();
}

function enter() {
  document.getElementById('login').hidden = true;
  document.getElementById('nav').hidden = false;
  const who = clear(document.getElementById('who'));
  const banner = document.getElementById('banner');
  if (access.mode === 'open') {
    who.append(badge('open access', 'warning'));
    banner.textContent = 'This broker has no users, so the console asks for no login and anyone who reaches it may'
      + ' change the broker. Give the broker auth.users (and auth.admins) to require one.';
    banner.className = 'banner warning';
    banner.hidden = false;
  } else {
    banner.hidden = true;
    who.append(h('span', {id: 'user'}, access.user), ' ', access.admin ? badge('admin') : badge('read-only', 'readonly'),
      h('button', {class: 'small', id: 'logout', onclick: logout}, 'Log out'));
  }
  show();
}

function show() {
  stop();
  const hash = location.hash || '#/';
  const route = routes.find(([pattern]) => pattern.test(hash)) || routes[0];
  const match = hash.match(route[0]) || [];
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('current', a.dataset.page === route[1]);
  clear(main);
  page = route[3](main, {access, params: route[2](match)});
  refresh();
}

async function refresh() {
  const current = page;
  try {
    await current.refresh();
    document.body.classList.remove('stale');
  } catch (e) {
    if (current !== page) return;
    if (e instanceof ApiError && e.status === 401) return;
    document.body.classList.add('stale');
    notify(e.message, 'error');
  }
  if (current === page) timer = setTimeout(refresh, REFRESH_MS);
}

function stop() {
  clearTimeout(timer);
  if (page) page.dispose();
  page = null;
}

function showLogin(reason) {
  stop();
  access = null;
  clear(main);
  document.getElementById('nav').hidden = true;
  clear(document.getElementById('who'));
  document.getElementById('banner').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-broker').textContent = 'Broker ' + brokerUrl;
  const error = document.getElementById('login-error');
  error.hidden = !reason;
  error.textContent = reason || '';
  document.getElementById('login-user').focus();
}

async function login(event) {
  event.preventDefault();
  const user = document.getElementById('login-user');
  const password = document.getElementById('login-password');
  const error = document.getElementById('login-error');
  try {
    access = await api('POST', 'session', {user: user.value, password: password.value});
    error.hidden = true;
    enter();
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  } finally {
    // The password lives in the page only while it is typed: the session, not the browser, stays logged in.
    password.value = '';
  }
}

async function logout() {
  await api('DELETE', 'session');
  location.hash = '#/';
  showLogin();
}

function fatal(message) {
  fill(main, h('section', {class: 'card'}, h('h2', {}, 'The console cannot reach the broker'),
    h('p', {class: 'error'}, message), h('p', {}, 'Start the broker (./strand), then reload this page.')));
}

start();
