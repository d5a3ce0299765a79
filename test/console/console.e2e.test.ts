/**
 * The console in a real browser: Debian's chromium driven by playwright-core against a real `corral serve` (a
 * child process on free loopback ports, a temp data directory) with simulated devices, and the console built from
 * the current source. Each scenario is what an operator does; every page is screenshotted into
 * test/console/screenshots/ (git-ignored). Without /usr/bin/chromium the suite skips saying why — except under
 * CI=true, where it fails.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { Fleet } from '../../src/cpe/fleet/fleet.ts';
import { DEVICE2_GATEWAY } from '../../src/datamodel/profiles/index.ts';
import { encodeDeviceId } from '../../src/store/device-id.ts';

const CHROMIUM = '/usr/bin/chromium';
const repo = fileURLToPath(new URL('../../', import.meta.url));
const shots = join(repo, 'test/console/screenshots');
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true') {
  throw new Error(
    `${CHROMIUM} is missing: the console's browser tests cannot run (CI installs chromium)`,
  );
}
const skip = missing
  ? `${CHROMIUM} is missing (apt-get install chromium); skipping the browser tests`
  : false;
if (skip) process.stderr.write(`console e2e: ${skip}\n`);

const ADMIN_KEY = 'console-e2e-admin-key-long-enough';
const ADMIN_PASSWORD = 'first-admin-password-1';
const SECOND_PASSWORD = 'second-admin-password-2';
const XSS = '<img src=x onerror=window.__xss=1>';
const XSS_VERSION = '9.9.9-xss';

const dir = mkdtempSync(join(tmpdir(), 'corral-console-e2e-'));
let serve: ChildProcess | undefined;
let stderr = '';
let api = '';
const fleets: Fleet[] = [];
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

function device(serial: string, productClass = 'HG2100'): string {
  return encodeDeviceId({ oui: '02C0A1', productClass, serialNumber: serial });
}
const WEB1 = device('WEB00000001');
const XSS_ID = device('XSS00000001', XSS);

// biome-ignore lint/suspicious/noExplicitAny: API replies are probed as untyped JSON
type Json = any;

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : JSON.parse(text) };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${stderr.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function login(name: string, password: string): Promise<void> {
  await page.goto(`${api}/`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

async function logout(): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
}

async function nav(label: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { name: heading, exact: true, level: 1 }).waitFor();
}

async function expand(path: string): Promise<void> {
  const button = page.getByRole('button', { name: `Expand ${path}`, exact: true });
  await button.click();
  await page.getByRole('button', { name: `Collapse ${path}`, exact: true }).waitFor();
}

describe('the console in a browser', { skip }, () => {
  before(async () => {
    mkdirSync(shots, { recursive: true });
    // The console as the current source builds it, where corral serve looks for it (dist/ui).
    const { build } = await import('vite');
    await build({ configFile: join(repo, 'src/ui/vite.config.ts'), logLevel: 'error' });

    serve = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repo, 'src/cli/corral.ts'),
        'serve',
        '--data-dir',
        join(dir, 'data'),
        '--api-port',
        '0',
        '--cwmp-port',
        '0',
        '--file-port',
        '0',
        '--cwmp-host',
        '127.0.0.1',
        '--file-host',
        '127.0.0.1',
        '--accept-any-cpe',
        // No STUN server: its default UDP port (3478) is one machine-wide, and these tests need no NAT traversal.
        '--stun-port',
        '0',
        '--periodic-inform-interval',
        '10',
      ],
      {
        env: {
          ...process.env,
          CORRAL_API_KEY: ADMIN_KEY,
          CORRAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
          CORRAL_LOG_FORMAT: 'json',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    serve.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    api = await until('corral serve', async () => /REST API listening on (\S+)/.exec(stderr)?.[1]);
    const cwmpPort = /CWMP endpoint listening on [^:]+:(\d+)/.exec(stderr)![1];
    const acsUrl = `http://127.0.0.1:${cwmpPort}/`;

    fleets.push(
      await Fleet.start({
        devices: 3,
        acsUrl,
        profile: DEVICE2_GATEWAY,
        serialPrefix: 'WEB',
        rate: 50,
      }),
      // A device that says its ProductClass and SSID are markup: the console must show them as text.
      await Fleet.start({
        devices: 1,
        acsUrl,
        serialPrefix: 'XSS',
        profile: {
          ...DEVICE2_GATEWAY,
          values: {
            ...DEVICE2_GATEWAY.values,
            'Device.DeviceInfo.ProductClass': XSS,
            'Device.DeviceInfo.SoftwareVersion': XSS_VERSION,
            'Device.WiFi.SSID.1.SSID': XSS,
          },
        },
      }),
    );
    await until('four devices', async () => {
      const r = await call('GET', '/api/v1/devices');
      return r.json.total === 4 ? true : undefined;
    });
    // The XSS device's whole tree, read now (the console reads the others' when asked).
    const refresh = await call(
      'POST',
      `/api/v1/devices/${encodeURIComponent(XSS_ID)}/tasks?connectionRequest=true&wait=20`,
      {
        type: 'refresh',
        path: 'Device.',
      },
    );
    assert.equal(refresh.json.task.state, 'done', JSON.stringify(refresh.json));

    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('dialog', (d) => void d.accept());
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
        problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  });

  after(async () => {
    // Each step bounded: a shutdown that hangs must not hold the suite (it says which step it was).
    const bounded = async (what: string, step: () => Promise<unknown>, ms = 15_000) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), ms);
      });
      const outcome = await Promise.race([step().then(() => 'done'), late]).catch((e) => String(e));
      clearTimeout(timer);
      if (outcome !== 'done') process.stderr.write(`console e2e: ${what}: ${outcome}\n`);
    };
    await bounded('closing chromium', async () => context?.close());
    for (const f of fleets) await bounded('stopping simulated devices', () => f.stop());
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve!.once('exit', resolve));
      serve.kill('SIGTERM');
      await bounded('corral serve on SIGTERM', () => exited, 5000);
      if (serve.exitCode === null && serve.signalCode === null) {
        serve.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in (a wrong password is refused, saying so) and out', async () => {
    await page.goto(`${api}/`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await shot('login');
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong user name or password' }).waitFor();

    await login('admin', ADMIN_PASSWORD);
    await page.getByText('● live').waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await shot('dashboard');
    assert.equal(await page.locator('.figure-value').first().textContent(), '4');

    await logout();
    // Logged out: the API refuses the page's session, and a reload shows the login form.
    await page.reload();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await login('admin', ADMIN_PASSWORD);
  });

  it('finds a device by a parameter value, and tags a selection in bulk', async () => {
    await nav('Devices', 'Devices');
    const form = page.getByRole('form', { name: 'Search devices' });
    await form.getByLabel('Parameter path').fill('Device.DeviceInfo.SoftwareVersion');
    await form.getByLabel('Value').fill(XSS_VERSION);
    await form.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1–1 of 1').waitFor();
    await page.getByRole('link', { name: XSS_ID }).waitFor();
    await shot('devices-found');

    await form.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('1–4 of 4').waitFor();
    await page.getByLabel(`Select ${WEB1}`).check();
    await page.getByLabel(`Select ${device('WEB00000002')}`).check();
    await page.getByLabel('Tag', { exact: true }).fill('web');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByText('Tag "web" added to 2 device(s).').waitFor();
    await until('the tags', async () => {
      const r = await call('GET', `/api/v1/devices?tag=web`);
      return r.json.total === 2 ? true : undefined;
    });
    await page.getByRole('button', { name: 'Devices tagged web' }).click();
    await page.getByText('1–2 of 2').waitFor();
    await shot('devices');
  });

  it('changes a writable parameter with a connection request and sees the value arrive', async () => {
    await page.goto(`${api}/devices/${encodeURIComponent(WEB1)}`);
    await page.getByRole('heading', { name: WEB1 }).waitFor();
    await page.getByText('HG2100').first().waitFor();
    await shot('device-summary');
    await page.getByRole('tab', { name: 'Parameters' }).click();
    await page.getByRole('button', { name: 'Re-read from device' }).click();
    await page
      .getByText(/Task \d+ \(refresh\) done\.|refresh: task \d+ done/i)
      .waitFor({ timeout: 30_000 });
    await expand('Device.WiFi.');
    await expand('Device.WiFi.SSID.');
    await expand('Device.WiFi.SSID.1.');
    await page.getByRole('button', { name: 'Edit Device.WiFi.SSID.1.SSID' }).click();
    await page.getByLabel('New value for Device.WiFi.SSID.1.SSID').fill('Corral-from-console');
    await page.getByRole('button', { name: 'Set', exact: true }).click();
    await page.getByText(/Task \d+ \(setParameterValues\) done\./).waitFor({ timeout: 30_000 });
    await page.locator('.leaf .value', { hasText: 'Corral-from-console' }).waitFor();
    await shot('device-parameters');
    const fleet = fleets[0]!;
    const simulated = fleet.devices[0]!;
    assert.equal(simulated.model.getValue('Device.WiFi.SSID.1.SSID'), 'Corral-from-console');
  });

  it('opens a session trace: each SOAP message in order, pretty-printed, with its timing and HTTP status', async () => {
    await page.getByRole('tab', { name: 'Session traces' }).click();
    await page
      .getByRole('button', { name: /^Open session / })
      .first()
      .click();
    const trace = page.locator('section.trace');
    await trace.waitFor();
    await trace.getByText(/1\. CPE → ACS Inform/).waitFor();
    const first = await trace.locator('pre.xml').first().textContent();
    assert.match(first ?? '', /\n\s+<cwmp:Inform>|\n\s+<[\w-]+:Inform>/);
    const heads = await trace.locator('.message-head').allTextContents();
    assert.match(heads[0] ?? '', /\+0 ms/);
    assert.doesNotMatch(heads[0] ?? '', /HTTP/, 'a CPE request has no status of its own');
    assert.match(heads[1] ?? '', /ACS → CPE InformResponse.*HTTP 200/);
    assert.match(heads.at(-1) ?? '', /ACS → CPE .*HTTP 204/, 'the session ends with 204');
    await shot('device-trace');
  });

  it('creates a preset and dry-runs it against a device', async () => {
    await nav('Presets', 'Presets');
    await page.locator('.cm-editor').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('web-guest-5g');
    await page.getByLabel('Channel').fill('wifi');
    await page.getByLabel('Precondition (JSON; empty: every device)').fill('{ "tag": "web" }');
    await page
      .getByLabel('Declarations (JSON)')
      .fill(JSON.stringify({ values: [{ path: 'Device.WiFi.SSID.2.SSID', value: 'Preset-5G' }] }));
    await page.getByLabel('Device', { exact: true }).fill(WEB1);
    await page.getByRole('button', { name: 'Dry run' }).click();
    const result = page.locator('.dry-run');
    await result.waitFor();
    await result.getByText(`Plan for ${WEB1}`).waitFor();
    await result.getByText(/Matched presets: web-guest-5g/).waitFor();
    assert.match(
      (await result.locator('.summary-text').textContent()) ?? '',
      /SSID\.2\.SSID|Preset-5G/,
    );
    await page.getByRole('button', { name: 'Save preset' }).click();
    await page.getByText('Preset web-guest-5g saved.').waitFor();
    await page.getByRole('cell', { name: 'web-guest-5g' }).waitFor();
    await shot('presets');
  });

  it('uploads a firmware file with a progress bar', async () => {
    await nav('Files', 'Files');
    const image = Buffer.concat([
      Buffer.from('CORRAL-FIRMWARE version=4.3.0\n'),
      Buffer.alloc(3 << 20, 0x5a),
    ]);
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'hg2100-4.3.0.bin',
      mimeType: 'application/octet-stream',
      buffer: image,
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText(/Stored hg2100-4\.3\.0\.bin/).waitFor();
    await page.getByRole('cell', { name: 'hg2100-4.3.0.bin' }).waitFor();
    await shot('files');
  });

  it('creates a campaign, has a second admin approve it (four eyes), and watches it finish', async () => {
    // A second admin, made on the users page.
    await nav('Users & API keys', 'Users & API keys');
    const add = page.getByRole('form', { name: 'Add a user' });
    await add.getByLabel('User name').fill('second');
    await add.getByLabel('Role').selectOption('admin');
    await add.getByLabel('Password').fill(SECOND_PASSWORD);
    await add.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: 'second', exact: true }).waitFor();
    await shot('users');

    await nav('Audit log', 'Audit log');
    await page.getByRole('cell', { name: 'POST /api/v1/users' }).first().waitFor();
    await shot('audit');

    await nav('Campaigns', 'Campaigns');
    await page.getByLabel('Name', { exact: true }).fill('HG2100 to 4.3.0');
    await page.getByLabel('Firmware file').selectOption({ label: 'hg2100-4.3.0.bin' });
    await page.getByLabel('Target software version').fill('4.3.0');
    await page
      .getByLabel(/Devices: filter conditions/)
      .fill(JSON.stringify([{ kind: 'field', field: 'productClass', op: 'eq', value: 'HG2100' }]));
    await page.getByLabel(/^Stages/).fill('[{ "percent": 100 }]');
    await page.getByLabel('Timeout (seconds)').fill('120');
    await page.getByRole('button', { name: 'Create campaign (draft)' }).click();
    await page.getByRole('heading', { name: /HG2100 to 4\.3\.0/ }).waitFor();
    await page.locator('h1 .badge', { hasText: 'draft' }).waitFor();
    // Its creator may not approve it.
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('alert').filter({ hasText: 'someone other than its creator' }).waitFor();
    const url = page.url();

    await logout();
    await login('second', SECOND_PASSWORD);
    await page.goto(url);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('h1 .badge', { hasText: 'approved' }).waitFor();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('h1 .badge', { hasText: /running|completed/ }).waitFor();
    await page.locator('.chart canvas').waitFor();
    await shot('campaign-running');
    // Pushed by the server as it goes: no reload.
    await page.locator('h1 .badge', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    await page.getByText('3 of 3 devices finished').waitFor();
    assert.equal(await page.locator('td .badge', { hasText: 'succeeded' }).count(), 3);
    await shot('campaign-completed');
    await nav('Campaigns', 'Campaigns');
    await shot('campaigns');
  });

  it('shows what a device says as text: an <img onerror> ProductClass and SSID stay text', async () => {
    await page.goto(`${api}/devices`);
    // The page keeps the last search (the tag "web", above) for the session: back to every device.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('link', { name: XSS_ID }).waitFor();
    await page.getByRole('cell', { name: XSS, exact: true }).waitFor();
    await page.getByRole('link', { name: XSS_ID }).click();
    await page.getByRole('heading', { name: XSS_ID }).waitFor();
    await page.locator('dd', { hasText: XSS }).first().waitFor();
    await page.getByRole('tab', { name: 'Parameters' }).click();
    await expand('Device.WiFi.');
    await expand('Device.WiFi.SSID.');
    await expand('Device.WiFi.SSID.1.');
    await page.locator('.leaf .value', { hasText: XSS }).waitFor();
    await shot('device-xss');
    assert.equal(await page.locator('img').count(), 0, 'no <img> element in the page');
    assert.equal(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss), undefined);
  });

  it('shows what a device gets wrong of its data model', async () => {
    const web2 = device('WEB00000002');
    await page.goto(`${api}/devices/${encodeURIComponent(web2)}?tab=datamodel`);
    await page.getByRole('heading', { name: 'Data model' }).waitFor();
    await page.getByText(/^Device:2\.17 · \d+ stored paths checked/).waitFor();
    // The simulated gateway is faithful to TR-181: nothing to report.
    await page.getByText('Nothing found wrong.').waitFor();
    await shot('device-datamodel');
  });

  it('runs any task from a device page (an Upload) and lists what the device uploaded', async () => {
    const web3 = device('WEB00000003');
    await page.goto(`${api}/devices/${encodeURIComponent(web3)}?tab=tasks`);
    await page.getByRole('heading', { name: 'Run a task' }).waitFor();
    await page.getByLabel('Task type').selectOption('upload');
    assert.match(
      await page.getByLabel('Arguments (JSON)').inputValue(),
      /1 Vendor Configuration File/,
    );
    await page.getByRole('button', { name: 'Run task' }).click();
    await page.getByText(/^Task \d+ done\.$/).waitFor({ timeout: 30_000 });
    await shot('device-tasks');
    await page.getByRole('tab', { name: 'Uploads' }).click();
    await page.getByRole('cell', { name: '1 Vendor Configuration File' }).waitFor();
    await shot('device-uploads');
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByRole('cell', { name: 'TRANSFER COMPLETE', exact: false }).first().waitFor();
    await shot('device-events');
  });

  it('says so when a device is deleted while its page is open, keeping what was shown', async () => {
    await page.goto(`${api}/devices/${encodeURIComponent(XSS_ID)}`);
    // (Opened by its address: an id with dots in it is still the app's route.)
    await page.locator('dd', { hasText: XSS }).first().waitFor();
    assert.equal(
      (await call('DELETE', `/api/v1/devices/${encodeURIComponent(XSS_ID)}`)).status,
      204,
    );
    await page.getByRole('alert').filter({ hasText: 'This device was deleted' }).waitFor();
    await shot('device-deleted');
    await page.locator('dd', { hasText: XSS }).first().waitFor();
    await shot('device-deleted');
  });

  it('is usable from the keyboard, with the focus visible', async () => {
    await page.goto(`${api}/`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.keyboard.press('Tab');
    // (In the page: the DOM, which this file's Node types do not describe.)
    const skip = await page.evaluate(() => {
      const g = globalThis as Json;
      const el = g.document.activeElement;
      return { text: el.textContent, outline: g.getComputedStyle(el).outlineStyle };
    });
    assert.deepEqual(skip, { text: 'Skip to content', outline: 'solid' });
    // The main navigation is next: Enter on a link opens its page.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Devices', level: 1 }).waitFor();
  });

  it('brings back the login form, saying so, when the session is gone (a lost or forged cookie)', async () => {
    await context.clearCookies();
    await context.addCookies([{ name: 'corral_session', value: 'forged', url: api }]);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Presets' })
      .click();
    await page.getByText('Your session has ended: log in again.').waitFor();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await shot('session-ended');
  });

  it('met no script error and no Content-Security-Policy violation on any page', () => {
    assert.deepEqual(problems, []);
  });
});
