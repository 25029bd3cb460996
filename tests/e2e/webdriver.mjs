// A small W3C WebDriver client, so that one scenario runs in Chromium (chromedriver), Firefox
// ESR (geckodriver) and WebKitGTK (WebKitWebDriver under xvfb-run): Playwright's own Firefox and
// WebKit builds are downloads, which fail here. Every browser sends whatever is not for
// 127.0.0.1 to a dead proxy, so no request leaves the machine.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

const DEAD_PROXY = '127.0.0.1:9';
const freePort = () => new Promise((resolve, reject) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  }).on('error', reject);
});
const geckodriver = () => process.env.GECKODRIVER ?? [`${homedir()}/.cargo/bin/geckodriver`, '/usr/local/bin/geckodriver'].find(existsSync) ?? 'geckodriver';

/** The three engines: how to start each one's driver and what to ask it for. */
export const ENGINES = {
  chromium: {
    command: (port) => [process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver', [`--port=${port}`]],
    capabilities: {
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: process.env.CHROMIUM ?? '/usr/bin/chromium',
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          `--proxy-server=http://${DEAD_PROXY}`, '--proxy-bypass-list=127.0.0.1'],
      },
    },
  },
  firefox: {
    command: (port) => [geckodriver(), ['--port', String(port)]],
    capabilities: {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: '/usr/bin/firefox-esr',
        args: ['-headless'],
        prefs: {
          'network.proxy.type': 1, 'network.proxy.http': '127.0.0.1', 'network.proxy.http_port': 9,
          'network.proxy.ssl': '127.0.0.1', 'network.proxy.ssl_port': 9, 'network.proxy.no_proxies_on': '127.0.0.1',
          'network.proxy.allow_hijacking_localhost': false,
        },
      },
    },
  },
  webkit: {
    command: (port) => ['xvfb-run', ['-a', process.env.SAFARIDRIVER ?? '/usr/bin/WebKitWebDriver', `--port=${port}`]],
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {
        binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation', `--proxy=http://${DEAD_PROXY}`, '--ignore-host=127.0.0.1'],
      },
    },
  },
};

/** Starts `engine`'s driver and a session: `{ goto, url, click, type, run, until, waitFor, newTab, tab, handles, switchTo, closeWindow, quit }`. */
export async function openBrowser(engine) {
  const { command, capabilities } = ENGINES[engine];
  const port = await freePort();
  const [file, args] = command(port);
  const driver = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  driver.stderr.on('data', (d) => { stderr = (stderr + d).slice(-2000); });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const json = await response.json();
    if (!response.ok) throw new Error(`${engine} WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
  };
  let session;
  for (let tries = 0; !session; tries += 1) {
    try {
      session = (await call('POST', '/session', { capabilities: { alwaysMatch: capabilities } })).sessionId;
    } catch (e) {
      if (tries > 100 || !/fetch failed|ECONNREFUSED/.test(String(e.cause ?? e))) {
        process.kill(-driver.pid);
        throw new Error(`${engine}: no WebDriver session (${e.message}); driver said: ${stderr}`);
      }
      await sleep(200);
    }
  }
  const s = (path) => `/session/${session}${path}`;
  const element = async (css) => Object.values(await call('POST', s('/element'), { using: 'css selector', value: css }))[0];
  const browser = {
    engine,
    goto: (url) => call('POST', s('/url'), { url }),
    url: () => call('GET', s('/url')),
    /** Runs `body` (an async function body) in the page with `args`; its result. */
    run: (body, ...args) => call('POST', s('/execute/async'), {
      script: `const done = arguments[arguments.length - 1]; (async (...args) => { ${body} })(...Array.from(arguments).slice(0, -1)).then((value) => done({ value }), (e) => done({ error: String(e?.code ?? '') + ' ' + String(e?.message ?? e) }));`,
      args,
    }).then((r) => { if (r.error) throw new Error(`in the page: ${r.error}`); return r.value; }),
    /** Waits until `fn` (in Node, async) gives something truthy; that value. */
    async until(fn, what, timeout = 20_000) {
      for (const end = Date.now() + timeout; ;) {
        const value = await fn();
        if (value) return value;
        if (Date.now() > end) throw new Error(`${engine}: timed out waiting for ${what} (at ${await browser.url().catch(() => '?')})`);
        await sleep(100);
      }
    },
    /** Waits until `body` (a function body) returns something truthy in the page; that value. */
    waitFor: (body, what, timeout) => browser.until(() => call('POST', s('/execute/sync'), { script: body, args: [] }).catch(() => undefined), what, timeout),
    async click(css) {
      await browser.waitFor(`return !!document.querySelector(${JSON.stringify(css)})`, css);
      await call('POST', s(`/element/${await element(css)}/click`), {});
    },
    async type(css, text) {
      await browser.waitFor(`return !!document.querySelector(${JSON.stringify(css)})`, css);
      await call('POST', s(`/element/${await element(css)}/value`), { text });
    },
    /** Opens a new tab and switches to it; its handle. */
    async newTab() {
      const { handle } = await call('POST', s('/window/new'), { type: 'tab' });
      await browser.switchTo(handle);
      return handle;
    },
    /** The current tab's handle. */
    tab: () => call('GET', s('/window')),
    /** Every open window's (tab's) handle. */
    handles: () => call('GET', s('/window/handles')),
    switchTo: (handle) => call('POST', s('/window'), { handle }),
    /** Closes the current window (tab), as its user would. */
    closeWindow: () => call('DELETE', s('/window')),
    async quit() {
      await call('DELETE', s('')).catch(() => {});
      try { process.kill(-driver.pid); } catch {}
    },
  };
  return browser;
}
