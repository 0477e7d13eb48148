// Drives the live preview page in real headless Chromium: encodes a reference photo from the page (at the encoder's own
// origin), starts a job with two characters (one region drawn on the frame, one left to the server's default framing,
// a given seed) and watches its previews stream, checks the finished clip plays and the page shows the strength, region
// and seed each was run with, makes a long clip whose status counts chunks and which plays while it grows, attaches to the same job from a link, attaches by id to a job whose frames are raw RGB8,
// cancels a long job from the page and shows a refused call's status name. With --token, both services first refuse
// the page without it (UNAUTHENTICATED), then it signs in by pasting it.
//
//   node preview-page-check.mjs --url http://127.0.0.1:5082/ --identity ID --reference face.png [--rgb8-job JOB_ID] \
//     [--token TOKEN] --screenshot preview-page.png [--running-screenshot preview-page-running.png]
//
// Chromium is Debian's (/usr/bin/chromium; CHROMIUM overrides). Exits 0 when the page behaved, 1 otherwise.
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    identity: { type: 'string' },
    reference: { type: 'string' },
    'rgb8-job': { type: 'string' },
    token: { type: 'string' },
    screenshot: { type: 'string', default: 'preview-page.png' },
    'running-screenshot': { type: 'string' },
  },
});
assert.ok(args.url && args.identity && args.reference, '--url, --identity and --reference are required');

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

/** A field of character 0 or 1 (identity, strength, region). */
const character = (index, name) => `#character-${index} [name=${name}]`;
const state = page => page.locator('#status').getAttribute('data-state');
const waitForState = (page, wanted, id = 'status') =>
  page.waitForFunction(([id, s]) => document.getElementById(id).dataset.state === s, [id, wanted], { timeout });
/** Waits for the encoding to end, either way. */
const waitForEncoding = page =>
  page.waitForFunction(() => ['encoded', 'error'].includes(document.getElementById('encoded').dataset.state), null, { timeout });

/** Checks the clip's shown frame moves on and decodes; returns its natural width in pixels. */
async function checkClipPlays(page) {
  const first = await page.locator('#clip').getAttribute('data-frame');
  await page.waitForFunction(f => document.getElementById('clip').dataset.frame !== f, first, { timeout: 5_000 });
  // The <img> may still be decoding the frame just set.
  await page.waitForFunction(() => document.getElementById('clip').naturalWidth > 0, null, { timeout: 5_000 });
  return page.locator('#clip').evaluate(img => img.naturalWidth);
}

/** Drags on the region canvas from one corner to the other, given in 0..1 of the frame. */
async function drawRegion(page, [x0, y0], [x1, y1]) {
  const box = await page.locator('#region-canvas').boundingBox();
  await page.mouse.move(box.x + x0 * box.width, box.y + y0 * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + x1 * box.width, box.y + y1 * box.height, { steps: 8 });
  await page.mouse.up();
}

try {
  const page = await open(args.url);
  await page.fill(character(0, 'identity'), args.identity);
  if (args.token) {
    // 0. Without the token both services refuse, and the page says why by status name; then the token is pasted (kept
    // for this tab). The encoder's refusal crosses origins: its CORS policy must expose grpc-status to the page.
    await page.setInputFiles('#references', args.reference);
    await page.click('#encode-button');
    await waitForEncoding(page);
    const encodeRefusal = await page.locator('#encoded').innerText();
    assert.match(encodeRefusal, /^UNAUTHENTICATED: /);
    console.log(`encode signed out: ${encodeRefusal}`);
    await page.fill('input[name=steps]', '8');
    await page.click('#start-button');
    await waitForState(page, 'error');
    const refusal = await page.locator('#status').innerText();
    assert.match(refusal, /^UNAUTHENTICATED: .*authorization: Bearer/);
    console.log(`signed out: UNAUTHENTICATED (${refusal})`);
    await page.fill('#token', args.token);
  }

  // 1. A second character, its identity encoded from a reference photo uploaded on the page.
  await page.click('#add-character');
  await page.setInputFiles('#references', args.reference);
  await page.click('#encode-button');
  await waitForEncoding(page);
  const encodedText = await page.locator('#encoded').innerText();
  assert.equal(await page.locator('#encoded').getAttribute('data-state'), 'encoded', encodedText);
  const encoded = await page.inputValue(character(1, 'identity'));
  assert.match(encoded, /^[0-9a-f]{32}$/, 'Encode fills the identity of the character being edited');
  assert.equal(await page.inputValue(character(0, 'identity')), args.identity, 'the other character keeps its identity');
  assert.match(encodedText, new RegExp(`${basename(args.reference).replace(/\./g, '\\.')}: \\d+×\\d+`));
  console.log(`encoded ${encoded} from the page: ${encodedText.replace(/\n/g, ' | ')}`);
  await page.fill(character(1, 'strength'), '0.7');

  // 2. The first character's region: a malformed one is refused by the field, then one is drawn on the frame.
  await page.fill(character(0, 'region'), '0.5,0.5,0.7,0.2');
  assert.equal(await page.locator(character(0, 'region')).evaluate(input => input.validity.valid), false, 'x + w > 1 is refused');
  await page.click('#character-0 legend');
  await drawRegion(page, [0.25, 0.2], [0.75, 0.8]);
  const drawn = await page.inputValue(character(0, 'region'));
  const [x, y, w, h] = drawn.split(',').map(Number);
  assert.ok([x - 0.25, y - 0.2, w - 0.5, h - 0.6].every(d => Math.abs(d) < 0.02), `the drawn region fills the field: ${drawn}`);
  assert.equal(await page.locator(character(0, 'region')).evaluate(input => input.validity.valid), true);
  console.log(`drew region ${drawn} for character 1`);

  // 3. Start the job from the form with a seed, and watch it stream.
  await page.fill('input[name=steps]', '8');
  await page.fill('input[name=seed]', '1234');
  await page.click('#start-button');
  await page.waitForFunction(() => Number(document.getElementById('preview').dataset.count) > 0, null, { timeout });
  await waitForState(page, 'completed');
  const previews = Number(await page.locator('#preview').getAttribute('data-count'));
  const jobId = await page.inputValue('input[name=job]');
  assert.match(jobId, /^job_[0-9a-f]+$/);
  assert.ok(previews >= 2, `several previews were shown, not ${previews}`);
  assert.equal(await page.locator('#seed-used').innerText(), '1234');
  assert.match(await page.locator('#status').innerText(), /seed 1234/);
  const cast = (await page.locator('#cast').innerText()).split('\n');
  assert.equal(cast.length, 2, cast.join('\n'));
  assert.ok(cast[0].includes(`region ${drawn}`) && !cast[0].includes('default framing') && cast[0].includes('strength 0.80'), cast[0]);
  assert.ok(cast[1].includes('(default framing)') && cast[1].includes('strength 0.70') && cast[1].includes(encoded.slice(0, 8)), cast[1]);
  const report = await page.locator('#report').innerText();
  assert.match(report, /FaceSim/);
  assert.ok(report.includes(`region ${drawn}`) && report.includes('(default framing)'), report);
  console.log(`cast as run: ${cast.join(' | ')}`);

  // 4. The clip plays: its shown frame moves on.
  const clipWidth = await checkClipPlays(page);
  await page.screenshot({ path: args.screenshot, fullPage: true });
  console.log(`started ${jobId}: ${previews} previews, clip playing (${clipWidth} px frames); screenshot ${args.screenshot}`);

  // 4b. A long clip, made chunk by chunk: the status counts chunks, and the clip plays while later chunks are still made.
  await page.fill('input[name=seconds]', '6');
  await page.click('#start-button');
  await page.waitForFunction(() => /chunk 2\/4, step/.test(document.getElementById('status').textContent), null, { timeout });
  await page.waitForFunction(() => document.getElementById('status').dataset.state === 'running'
    && Number(document.getElementById('clip').dataset.frames) >= 16, null, { timeout });
  const growing = Number(await page.locator('#clip').getAttribute('data-frames'));
  await waitForState(page, 'completed');
  await page.waitForFunction(() => document.getElementById('clip').dataset.frames === '48', null, { timeout: 5_000 });
  console.log(`long clip ${await page.inputValue('input[name=job]')}: playing with ${growing} frames while running, then all 48`);
  await page.fill('input[name=seconds]', '');

  // 5. A link to the job attaches to it and replays it (in the same tab, which keeps the token), cast included.
  await page.goto(`${args.url}?job=${jobId}`);
  await waitForState(page, 'completed');
  assert.ok(Number(await page.locator('#preview').getAttribute('data-count')) > 0, 'attaching replays the previews');
  assert.match(await page.locator('#cast').innerText(), /default framing/);
  console.log(`attached to ${jobId} from a link`);

  // 6. A job whose frames are raw RGB8 (as the command line asks for), attached by its id: they play as images.
  if (args['rgb8-job']) {
    await page.fill('input[name=job]', args['rgb8-job']);
    await page.click('#attach-button');
    await waitForState(page, 'completed');
    const rgb8Width = await checkClipPlays(page);
    assert.match(await page.locator('#clip').getAttribute('src'), /^data:image\/png;base64,/);
    console.log(`rgb8 ${args['rgb8-job']}: clip playing (${rgb8Width} px frames drawn from raw RGB)`);
  }

  // 7. A long job, cancelled from the page. It must outlast the mid-run screenshot on a slow machine: 1000 steps (the
  // test's server allows them) take half a minute or more.
  await page.fill(character(0, 'identity'), args.identity);
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

  // 8. An identity the store does not hold: the call's gRPC status is shown by name.
  await page.fill(character(0, 'identity'), '0'.repeat(32));
  await page.click('#start-button');
  await waitForState(page, 'error');
  const unknown = await page.locator('#status').innerText();
  assert.match(unknown, /^NOT_FOUND: Identity 0{32} does not exist/);
  console.log(`unknown identity: ${unknown}`);

  assert.deepEqual(problems, [], 'no errors in the page');
} finally {
  await browser.close();
}
