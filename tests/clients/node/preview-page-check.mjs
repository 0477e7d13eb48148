// Drives the live preview page in real headless Chromium: starts a job and watches its previews stream, checks the
// finished clip plays, attaches to the same job from a link, cancels a long job from the page and shows a refused call's
// status. With --token, the page is first refused without it (UNAUTHENTICATED), then signs in by pasting it.
//
//   node preview-page-check.mjs --url http://127.0.0.1:5082/ --identity ID [--token TOKEN] --screenshot preview-page.png \
//     [--running-screenshot preview-page-running.png]
//
// Chromium is Debian's (/usr/bin/chromium; CHROMIUM overrides). Exits 0 when the page behaved, 1 otherwise.
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    identity: { type: 'string' },
    token: { type: 'string' },
    screenshot: { type: 'string', default: 'preview-page.png' },
    'running-screenshot': { type: 'string' },
  },
});
assert.ok(args.url && args.identity, '--url and --identity are required');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // As root and on a closed network: no sandbox, and none of Chromium's own background connections.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
const timeout = 120_000;

async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('console', message => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  await page.goto(url);
  return page;
}

const state = page => page.locator('#status').getAttribute('data-state');
const waitForState = (page, wanted) =>
  page.waitForFunction(s => document.getElementById('status').dataset.state === s, wanted, { timeout });

try {
  const page = await open(args.url);
  await page.fill('input[name=identity]', args.identity);
  if (args.token) {
    // 0. Without the token the server refuses, and the page says why; then the token is pasted (kept for this tab).
    await page.fill('input[name=steps]', '8');
    await page.click('#start-button');
    await waitForState(page, 'error');
    const refusal = await page.locator('#status').innerText();
    assert.match(refusal, /^error 16: .*authorization: Bearer/);
    console.log(`signed out: UNAUTHENTICATED (${refusal})`);
    await page.fill('#token', args.token);
  }

  // 1. Start a job from the form and watch it stream.
  await page.fill('input[name=steps]', '8');
  await page.click('#start-button');
  await page.waitForFunction(() => Number(document.getElementById('preview').dataset.count) > 0, null, { timeout });
  await waitForState(page, 'completed');
  const previews = Number(await page.locator('#preview').getAttribute('data-count'));
  const jobId = await page.inputValue('input[name=job]');
  assert.match(jobId, /^job_[0-9a-f]+$/);
  assert.ok(previews >= 2, `several previews were shown, not ${previews}`);
  assert.match(await page.locator('#report').innerText(), /FaceSim/);

  // 2. The clip plays: its shown frame moves on.
  const first = await page.locator('#clip').getAttribute('data-frame');
  await page.waitForFunction(f => document.getElementById('clip').dataset.frame !== f, first, { timeout: 5_000 });
  const clipWidth = await page.locator('#clip').evaluate(img => img.naturalWidth);
  assert.ok(clipWidth > 0, 'the clip shows a decoded frame');
  await page.screenshot({ path: args.screenshot, fullPage: true });
  console.log(`started ${jobId}: ${previews} previews, clip playing (${clipWidth} px frames); screenshot ${args.screenshot}`);

  // 3. A link to the job attaches to it and replays it (in the same tab, which keeps the token).
  await page.goto(`${args.url}?job=${jobId}`);
  await waitForState(page, 'completed');
  assert.ok(Number(await page.locator('#preview').getAttribute('data-count')) > 0, 'attaching replays the previews');
  console.log(`attached to ${jobId} from a link`);

  // 4. A long job, cancelled from the page. It must outlast the mid-run screenshot on a slow machine: 1000 steps (the
  // test's server allows them) take half a minute or more.
  await page.fill('input[name=identity]', args.identity);
  await page.fill('input[name=steps]', '1000');
  await page.click('#start-button');
  await waitForState(page, 'running');
  if (args['running-screenshot']) {
    // Mid-run: a preview has streamed in and the status line counts steps.
    await page.waitForFunction(() => Number(document.getElementById('preview').dataset.count) > 0
      && /step \d+\/1000/.test(document.getElementById('status').textContent), null, { timeout });
    await page.screenshot({ path: args['running-screenshot'], fullPage: true });
    console.log(`running: ${await page.locator('#status').innerText()}; screenshot ${args['running-screenshot']}`);
  }
  await page.click('#cancel-button');
  await waitForState(page, 'cancelled');
  console.log(`cancelled ${await page.inputValue('input[name=job]')} from the page (state ${await state(page)})`);

  // 5. An identity the store does not hold: the call's gRPC status is shown.
  await page.fill('input[name=identity]', '0'.repeat(32));
  await page.click('#start-button');
  await waitForState(page, 'error');
  console.log(`unknown identity: ${await page.locator('#status').innerText()}`);

  assert.deepEqual(problems, [], 'no errors in the page');
} finally {
  await browser.close();
}
