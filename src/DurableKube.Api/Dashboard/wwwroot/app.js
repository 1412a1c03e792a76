// The dashboard's entry: sign-in, theme, and a hash router over the views. No build step: plain ES modules.
import { get, token, setToken, takeTokenFromAddress, ApiError } from './api.js';
import { h, explain } from './ui.js';
import { parseRoute } from './router.js';
import { overview } from './views/overview.js';
import { pods } from './views/pods.js';
import { podPage } from './views/pod.js';
import { controllers, controllerPage } from './views/controllers.js';

const main = document.getElementById('main');
let current = new AbortController();

function applyTheme(theme) {
  if (theme) document.documentElement.setAttribute('data-theme', theme);
  else document.documentElement.removeAttribute('data-theme');
  const dark = theme ? theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  const button = document.getElementById('theme');
  button.textContent = dark ? 'Light theme' : 'Dark theme';
  button.setAttribute('aria-pressed', String(dark));
}

document.getElementById('theme').addEventListener('click', () => {
  const dark = document.documentElement.getAttribute('data-theme') === 'dark'
    || (!document.documentElement.hasAttribute('data-theme') && matchMedia('(prefers-color-scheme: dark)').matches);
  const next = dark ? 'light' : 'dark';
  localStorage.setItem('durablekube.theme', next);
  applyTheme(next);
});
applyTheme(localStorage.getItem('durablekube.theme'));

document.getElementById('signout').addEventListener('click', () => {
  setToken(null);
  route(true);
});

// "Skip to content" moves the focus to the main region; the address (the route) stays as it is.
document.querySelector('a.skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

function signIn(message) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'token-help' });
  main.replaceChildren(h('h1', {}, 'Sign in'),
    message ? h('p', { className: 'error', role: 'alert' }, message) : null,
    h('form', { className: 'signin', onsubmit: (e) => { e.preventDefault(); setToken(input.value.trim()); route(true); } },
      h('label', { for: 'token' }, 'Bearer token'), input,
      h('p', { id: 'token-help' }, 'The token kubectl uses (the kubeconfig has it). scripts/up.sh prints a link that signs you in (on its terminal; it is also in .run/dashboard.url), and writes the admin token to .run/tokens/admin. The token stays in this tab (sessionStorage) only.'),
      h('button', { type: 'submit' }, 'Sign in')));
  input.focus();
}

let shown = false;

/**
 * Shows the page of the address's route. A fragment that is not a route (`#main`) leaves the page shown as it is,
 * unless `force` (sign-in, sign-out) or nothing is shown yet (then the overview).
 */
async function route(force = false) {
  const parsed = parseRoute(location.hash);
  if (parsed === null && shown && !force) return;
  const { path, parts, params, error } = parsed ?? parseRoute('#/');
  shown = true;
  current.abort();
  current = new AbortController();
  const signal = current.signal;
  document.querySelectorAll('nav a').forEach((a) => {
    const target = a.getAttribute('href').replace(/^#/, '');
    const active = !error && (target === '/' ? parts.length === 0 : path.startsWith(target));
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  if (error) {
    document.title = 'Not found · DurableKube';
    main.replaceChildren(h('h1', {}, 'Not found'), h('p', { role: 'alert' }, error));
    return;
  }
  document.getElementById('signout').hidden = !token();
  try {
    // Whoever this is must be able to read: a 401 asks for a token.
    await get('/api', { signal });
    main.replaceChildren(h('p', {}, 'Loading…'));
    switch (parts[0]) {
      case undefined: document.title = 'Overview · DurableKube'; await overview(main, signal); break;
      case 'pods':
        if (parts.length === 3) { document.title = `Pod ${parts[2]} · DurableKube`; await podPage(main, signal, parts[1], parts[2]); }
        else { document.title = 'Pods · DurableKube'; await pods(main, signal, params); }
        break;
      case 'controllers':
        if (parts.length === 4) { document.title = `${parts[3]} · DurableKube`; await controllerPage(main, signal, parts[1], parts[2], parts[3]); }
        else { document.title = 'Controllers · DurableKube'; await controllers(main, signal, params); }
        break;
      default: main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, 'No such page.'));
    }
  } catch (e) {
    if (signal.aborted) return;
    if (e instanceof ApiError && e.code === 401) {
      signIn(token() ? 'That token was not accepted.' : null);
      return;
    }
    main.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { role: 'alert' }, e.message));
    explain(e, 'Loading the page');
  }
}

takeTokenFromAddress();
window.addEventListener('hashchange', () => {
  // up.sh's sign-in link opened in a tab that shows the dashboard already (its sign-in box, say).
  if (takeTokenFromAddress()) {
    route(true);
    return;
  }
  if (parseRoute(location.hash) === null) {
    // A place in the page, not a page: focus it if it is there.
    document.getElementById(location.hash.slice(1))?.focus();
    return;
  }
  route();
  main.focus({ preventScroll: true });
});
route();
