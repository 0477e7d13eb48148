// The preview page: encodes reference photos into an identity, starts a job for one or two characters (each with an
// optional strength and region, typed or drawn) or attaches to one, shows each preview as it streams, then plays the
// finished clip in whichever frame format the job has. Talks gRPC-Web (application/grpc-web+proto) through Connect's
// transport: to the generator at this page's origin, and to the encoder where /settings.json says. The messages and
// services are generated from protos/likeness/**/*.proto.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Duration } from '@bufbuild/protobuf/wkt';
import { ConnectError, createClient, type Interceptor } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import { type Box, type Image, ImageFormat } from '../gen/likeness/common/v1/types_pb.js';
import type { CastCharacter, CharacterSchema, ConsistencyReport, JobEvent, Region } from '../gen/likeness/generation/v1/generator_pb.js';
import { FrameFormat, Generator, JobState, PreviewFormat } from '../gen/likeness/generation/v1/generator_pb.js';
import { type EncodeIdentityResponse, IdentityEncoder } from '../gen/likeness/identity/v1/identity_encoder_pb.js';

/** One followed job: its id once the first event names it, the stream's abort, the clip player, its frames and object URLs. */
interface Job {
  jobId: string | null;
  abort: AbortController;
  player: ReturnType<typeof setInterval> | undefined;
  frames: string[];
  fps: number;
  urls: string[];
}

/** A box in 0..1 of the frame, as typed, drawn and sent (likeness.common.v1.Box's fields). */
type BoxValues = Pick<Box, 'x' | 'y' | 'width' | 'height'>;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// ---- Sign-in and the two services --------------------------------------------------------------------------------

// Sign-in: the token the user pastes, kept for this tab only and sent as `authorization: Bearer …` with every call.
const token = $<HTMLInputElement>('token');
token.value = sessionStorage.getItem('likeness-token') ?? '';
token.addEventListener('input', () => sessionStorage.setItem('likeness-token', token.value.trim()));
const signIn: Interceptor = next => request => {
  if (token.value.trim()) {
    request.header.set('authorization', `Bearer ${token.value.trim()}`);
  }
  return next(request);
};
const transport = (baseUrl: string) => createGrpcWebTransport({ baseUrl, useBinaryFormat: true, interceptors: [signIn] });

const generator = createClient(Generator, transport(location.origin));
// The encoder may be another service on another origin (the standalone encoder's browser endpoint, which allows CORS):
// /settings.json says where, read once; empty means it is served here too (the embedded host).
const encoder = fetch('/settings.json')
  .then(response => response.ok ? response.json() as Promise<{ encoderUrl?: string }> : Promise.reject(new Error(`/settings.json: HTTP ${response.status}`)))
  .then(settings => createClient(IdentityEncoder, transport(settings.encoderUrl || location.origin)));

const form = (id: string) => $<HTMLFormElement>(id).elements as HTMLFormControlsCollection & Record<string, HTMLInputElement>;
let current: Job | null = null;

// ---- Status and errors ---------------------------------------------------------------------------------------------

function show(state: string, text: string, error = false) {
  $('status').dataset.state = state;
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

/** gRPC's canonical status names by code: what the protos and the server's docs say (Connect spells them NotFound, Canceled). */
const statusNames = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL',
  'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];
/** A refused call as `NOT_FOUND: Identity … does not exist`; anything else (the network, a bad frame) as its own text. */
const describe = (error: unknown) =>
  error instanceof ConnectError ? `${statusNames[error.code] ?? `status ${error.code}`}: ${error.rawMessage}` : String(error);

/** 'queued', 'running', 'completed', 'cancelled', 'failed'; undefined for an unspecified state. */
const stateName = (state: JobState) => state === JobState.UNSPECIFIED ? undefined : JobState[state]?.toLowerCase();
const seconds = (duration?: Duration) => duration ? Number(duration.seconds) + duration.nanos / 1e9 : 0;

// ---- The characters: identity, strength and region, up to two -------------------------------------------------------

const characters = [0, 1].map(index => $<HTMLFieldSetElement>(`character-${index}`));
const field = (index: number, name: 'identity' | 'strength' | 'region') => characters[index].elements.namedItem(name) as HTMLInputElement;
const present = () => [0, 1].filter(index => !characters[index].hidden);
/** The character's colour, from the page's stylesheet, so the drawn box matches its fieldset. */
const colour = (index: number) => getComputedStyle(characters[index]).getPropertyValue('--colour').trim();
/** The character that Encode fills and a drag on the frame draws for: the one last clicked or typed in. */
let editing = 0;

function edit(index: number) {
  editing = index;
  characters.forEach((fieldset, i) => fieldset.classList.toggle('editing', i === index));
  $('region-hint').textContent = `Drag on the frame to draw Character ${index + 1}'s region`;
  drawRegions();
}

characters.forEach((fieldset, index) => {
  fieldset.addEventListener('focusin', () => edit(index));
  fieldset.addEventListener('pointerdown', () => edit(index));
});

function showSecond(shown: boolean) {
  // A hidden character is also disabled, so its required identity neither blocks the form nor is sent.
  characters[1].hidden = !shown;
  characters[1].disabled = !shown;
  $('add-character').hidden = shown;
  if (!shown) {
    for (const name of ['identity', 'strength', 'region'] as const) field(1, name).value = '';
  }
  edit(shown ? 1 : 0);
}
$('add-character').addEventListener('click', () => showSecond(true));
$('remove-character').addEventListener('click', () => showSecond(false));

const round = (value: number) => Math.round(value * 1000) / 1000;
/** A box as the region field spells it: x,y,w,h to three decimals (float32 from the server prints the same). */
const formatBox = (box: BoxValues) => [box.x, box.y, box.width, box.height].map(v => String(round(v))).join(',');

/** A typed region: undefined when empty (the server frames the character); throws, saying what is wrong, when malformed. */
function parseBox(text: string): BoxValues | undefined {
  if (!text.trim()) return undefined;
  const parts = text.split(',');
  const values = parts.map(part => part.trim() === '' ? NaN : Number(part));
  if (parts.length !== 4 || values.some(v => !Number.isFinite(v) || v < 0 || v > 1)) {
    throw new RangeError('four numbers x,y,w,h, each 0..1 of the frame');
  }
  const [x, y, width, height] = values;
  // The server's own slack (1e-4): a box drawn to the frame's edge may round a hair past it.
  if (width <= 0 || height <= 0 || x + width > 1 + 1e-4 || y + height > 1 + 1e-4) {
    throw new RangeError('a box inside the frame: w and h above 0, x + w and y + h at most 1');
  }
  return { x, y, width, height };
}
const tryParseBox = (text: string) => { try { return parseBox(text); } catch { return undefined; } };

for (const index of [0, 1]) {
  field(index, 'region').addEventListener('input', event => {
    const input = event.target as HTMLInputElement;
    try {
      parseBox(input.value);
      input.setCustomValidity('');
    } catch (error) {
      input.setCustomValidity(`Region: ${(error as Error).message}`);
    }
    drawRegions();
  });
}

/** The characters to send: only what the user gave, so an empty strength or region leaves the server's default. */
function castRequested(): MessageInitShape<typeof CharacterSchema>[] {
  return present().map(index => {
    const strength = field(index, 'strength').value;
    const box = parseBox(field(index, 'region').value);
    return {
      identityId: field(index, 'identity').value.trim(),
      identityStrength: strength === '' ? undefined : Number(strength),
      region: box && { box },
    };
  });
}

// ---- Drawing a region on the square frame ---------------------------------------------------------------------------

const canvas = $<HTMLCanvasElement>('region-canvas');
/** The box being dragged out, in 0..1 of the frame; null while no drag is under way. */
let drag: { from: { x: number; y: number }; to: { x: number; y: number } } | null = null;

const clamp = (value: number) => Math.min(1, Math.max(0, value));
function pointAt(event: PointerEvent) {
  const bounds = canvas.getBoundingClientRect();
  return { x: clamp((event.clientX - bounds.left) / bounds.width), y: clamp((event.clientY - bounds.top) / bounds.height) };
}
/** The dragged box with its corners rounded as typed, so what is drawn is what the field says. */
function draggedBox({ from, to }: NonNullable<typeof drag>): BoxValues {
  const [left, right] = [round(Math.min(from.x, to.x)), round(Math.max(from.x, to.x))];
  const [top, bottom] = [round(Math.min(from.y, to.y)), round(Math.max(from.y, to.y))];
  return { x: left, y: top, width: round(right - left), height: round(bottom - top) };
}

/** Thirds for orientation, then each present character's region (the one being dragged as it is dragged). */
function drawRegions() {
  const g = canvas.getContext('2d')!;
  const { width, height } = canvas;
  g.clearRect(0, 0, width, height);
  g.strokeStyle = '#ccc';
  g.lineWidth = 1;
  g.beginPath();
  for (const third of [1 / 3, 2 / 3]) {
    g.moveTo(third * width, 0);
    g.lineTo(third * width, height);
    g.moveTo(0, third * height);
    g.lineTo(width, third * height);
  }
  g.stroke();
  for (const index of present()) {
    const box = index === editing && drag ? draggedBox(drag) : tryParseBox(field(index, 'region').value);
    if (!box) continue;
    const [x, y, w, h] = [box.x * width, box.y * height, box.width * width, box.height * height];
    g.fillStyle = `${colour(index)}22`;
    g.fillRect(x, y, w, h);
    g.strokeStyle = colour(index);
    g.lineWidth = index === editing ? 3 : 2;
    g.strokeRect(x, y, w, h);
    g.fillStyle = colour(index);
    g.font = 'bold 12px system-ui, sans-serif';
    g.fillText(String(index + 1), x + 4, y + 14);
  }
}

canvas.addEventListener('pointerdown', event => {
  canvas.setPointerCapture(event.pointerId);
  const at = pointAt(event);
  drag = { from: at, to: at };
  drawRegions();
});
canvas.addEventListener('pointermove', event => {
  if (!drag) return;
  drag.to = pointAt(event);
  drawRegions();
});
canvas.addEventListener('pointerup', event => {
  if (!drag) return;
  drag.to = pointAt(event);
  const box = draggedBox(drag);
  drag = null;
  // A click without a drag draws nothing, rather than a box too small to hold a face.
  if (box.width >= 0.02 && box.height >= 0.02) {
    const region = field(editing, 'region');
    region.value = formatBox(box);
    region.dispatchEvent(new Event('input'));
  }
  drawRegions();
});
canvas.addEventListener('pointercancel', () => {
  drag = null;
  drawRegions();
});

// ---- Encoding reference photos --------------------------------------------------------------------------------------

/** One line of the encoding's outcome, as a div's text and class. */
type Line = { textContent: string; className?: string };

function showEncoded(state: string, lines: Line[]) {
  const out = $('encoded');
  out.dataset.state = state;
  out.replaceChildren(...lines.map(line => Object.assign(document.createElement('div'), line)));
}

/** The identity, and for each reference its size and the quality warnings the encoder gave a person to read. */
function encodedLines(response: EncodeIdentityResponse, files: File[], character: number) {
  const id = response.identity?.identityId ?? '';
  const lines: Line[] = [{ textContent: `identity ${id}${response.cacheHit ? ' (already stored)' : ''} → Character ${character + 1}` }];
  for (const quality of response.quality) {
    const name = files[quality.index]?.name ?? `reference ${quality.index + 1}`;
    lines.push({ textContent: `${name}: ${quality.width}×${quality.height}${quality.warnings.length ? '' : ', no warnings'}` });
    for (const warning of quality.warnings) lines.push({ textContent: `  ⚠ ${warning.message}`, className: 'warning' });
  }
  return lines;
}

$('encode').addEventListener('submit', async event => {
  event.preventDefault();
  const files = [...($<HTMLInputElement>('references').files ?? [])];
  // The character being edited when Encode was pressed receives the identity, even if the user clicks on meanwhile.
  const character = editing;
  showEncoded('encoding', [{ textContent: `encoding ${files.length} reference photo(s)…` }]);
  try {
    const references = await Promise.all(files.map(async file => ({ data: new Uint8Array(await file.arrayBuffer()) })));
    const response = await (await encoder).encodeIdentity({ references });
    field(character, 'identity').value = response.identity?.identityId ?? '';
    showEncoded('encoded', encodedLines(response, files, character));
    $('encoded').dataset.identity = response.identity?.identityId ?? '';
  } catch (error) {
    showEncoded('error', [{ textContent: describe(error), className: 'error' }]);
  }
});

// ---- Following a job ------------------------------------------------------------------------------------------------

const mimeTypes: Partial<Record<ImageFormat, string>> = {
  [ImageFormat.PNG]: 'image/png', [ImageFormat.JPEG]: 'image/jpeg', [ImageFormat.WEBP]: 'image/webp',
};

/** A frame or preview as a URL an <img> shows: encoded formats as they came, raw RGB8 turned into a PNG first. */
function imageUrl(job: Job, image?: Image) {
  if (image?.format === ImageFormat.RGB8) return rgb8Url(image);
  // Decoded bytes view the response's own ArrayBuffer, never a shared one. Unspecified: the browser sniffs the bytes.
  const url = URL.createObjectURL(new Blob([(image?.data ?? new Uint8Array()) as Uint8Array<ArrayBuffer>], { type: mimeTypes[image?.format ?? ImageFormat.UNSPECIFIED] ?? '' }));
  job.urls.push(url);
  return url;
}

/** Raw interleaved RGB (width × height × 3 bytes, as the CLI asks for) drawn into a canvas and read back as a PNG. */
function rgb8Url({ data, width, height }: Image) {
  if (!width || !height || data.length !== width * height * 3) {
    throw new Error(`an RGB8 frame of ${width}×${height} needs ${width * height * 3} bytes, not ${data.length}`);
  }
  const frame = Object.assign(document.createElement('canvas'), { width, height });
  const g = frame.getContext('2d')!;
  const pixels = g.createImageData(width, height);
  for (let pixel = 0; pixel < width * height; pixel++) {
    pixels.data.set(data.subarray(pixel * 3, pixel * 3 + 3), pixel * 4);
    pixels.data[pixel * 4 + 3] = 255;
  }
  g.putImageData(pixels, 0, 0);
  return frame.toDataURL('image/png');
}

/** A region as used: its box (or keyframe count), and whether the server framed the character by default. */
function describeRegion(region: Region | undefined, byDefault: boolean) {
  const where = region?.box ? formatBox(region.box)
    : region?.keyframes.length ? `${region.keyframes.length} keyframes from ${formatBox(region.keyframes[0].box!)}` : 'none';
  return byDefault ? `${where} (default framing)` : where;
}

/** Each character as the job runs it, defaults filled in, coloured as its fieldset. */
function showCast(cast: CastCharacter[]) {
  $('cast').replaceChildren(...cast.map((character, index) => Object.assign(document.createElement('div'), {
    textContent: `${index + 1}. ${character.identityId.slice(0, 8)}…  strength ${character.identityStrength.toFixed(2)}  region ${describeRegion(character.region, character.defaultRegion)}`,
    style: index < characters.length ? `color: ${colour(index)}` : '',
  })));
}

function showSeed(seed: bigint) {
  $('seed-used').textContent = String(seed);
  $('reuse-seed').hidden = false;
}
$('reuse-seed').addEventListener('click', () => form('start').seed.value = $('seed-used').textContent ?? '');

/** Follows one job's event stream (Generate or WatchJob) to its end. */
async function follow(events: (signal: AbortSignal) => AsyncIterable<JobEvent>) {
  current?.abort.abort();
  clearInterval(current?.player);
  current?.urls.forEach(url => URL.revokeObjectURL(url));
  const job: Job = { jobId: null, abort: new AbortController(), player: undefined, frames: [], fps: 8, urls: [] };
  current = job;
  $('preview').removeAttribute('src');
  $('preview').dataset.count = '0';
  $('preview-step').textContent = '';
  $('clip').removeAttribute('src');
  $('clip').dataset.frame = '-1';
  $('report').textContent = '';
  $('cast').textContent = '';
  $('seed-used').textContent = '';
  $('reuse-seed').hidden = true;
  $<HTMLProgressElement>('progress').value = 0;
  show('connecting', 'connecting…');
  try {
    for await (const event of events(job.abort.signal)) onEvent(job, event);
  } catch (error) {
    if (job.abort.signal.aborted) return;
    const ended = $('status').dataset.state;
    if (ended !== 'cancelled' && ended !== 'failed') {
      show('error', describe(error), true);
    }
  } finally {
    $<HTMLButtonElement>('cancel-button').disabled = true;
  }
}

function onEvent(job: Job, event: JobEvent) {
  if (!job.jobId) {
    job.jobId = event.jobId;
    form('attach').job.value = event.jobId;
    $<HTMLButtonElement>('cancel-button').disabled = false;
    history.replaceState(null, '', `?job=${event.jobId}`);
  }
  const e = event.event;
  switch (e.case) {
    case 'queued':
      show('queued', `${event.jobId}: queued, ${e.value.position ? `${e.value.position} job(s) ahead` : 'next in line'}`);
      break;
    case 'started': {
      const s = e.value;
      const where = s.generator ? ` on ${s.generator}` : '';
      const rerun = s.attempt <= 1 ? ''
        : s.firstChunk > 0 ? `; attempt ${s.attempt}, going on from chunk ${s.firstChunk + 1}: ${s.restartReason}`
        : `; attempt ${s.attempt}, run again from the start: ${s.restartReason}`;
      const chunks = s.totalChunks > 1 ? ` in ${s.totalChunks} chunks` : '';
      show('running', `${event.jobId}: ${s.numFrames} frames of ${s.width}×${s.height}${chunks}, ${s.steps} steps, seed ${s.seed}${s.model?.untrained ? ' (UNTRAINED model)' : ''}${where}${rerun}`);
      showSeed(s.seed);
      showCast(s.characters);
      break;
    }
    case 'step': {
      const s = e.value;
      const chunks = Math.max(1, s.totalChunks);
      $<HTMLProgressElement>('progress').value = (s.chunk * s.totalSteps + s.step) / (chunks * s.totalSteps);
      $('progress').dataset.chunk = String(s.chunk);
      const chunk = chunks > 1 ? `chunk ${s.chunk + 1}/${chunks}, ` : '';
      show('running', `${event.jobId}: ${chunk}step ${s.step}/${s.totalSteps}, ${(seconds(s.stepTime) * 1000).toFixed(0)} ms/step, ETA ${seconds(s.eta).toFixed(1)} s`);
      break;
    }
    case 'preview':
      if (!e.value.images.length) break;
      $<HTMLImageElement>('preview').src = imageUrl(job, e.value.images[0]);
      $('preview').dataset.count = String(Number($('preview').dataset.count) + 1);
      $('preview-step').textContent = e.value.chunk > 0 ? `(chunk ${e.value.chunk + 1}, step ${e.value.step})` : `(step ${e.value.step})`;
      break;
    case 'frame':
      job.frames[e.value.index] = imageUrl(job, e.value.image);
      break;
    case 'chunkFinished':
      // A long clip plays as it grows: from its first finished chunk, over every frame received so far.
      play(job);
      break;
    case 'completed':
      if ((e.value.fps || 8) !== job.fps) {
        clearInterval(job.player);
        job.player = undefined;
        job.fps = e.value.fps || 8;
      }
      $<HTMLProgressElement>('progress').value = 1;
      show('completed', `${event.jobId}: completed, seed ${e.value.seed}`);
      showSeed(e.value.seed);
      report(e.value.report);
      play(job);
      break;
    case 'ended': {
      const name = stateName(e.value.state) ?? 'ended';
      show(name, `${event.jobId}: ${name} — ${e.value.reason}`, e.value.state === JobState.FAILED);
      break;
    }
  }
}

function report(consistency?: ConsistencyReport) {
  const lines = (consistency?.characters ?? []).map((c, index) =>
    `${index + 1}. ${c.identityId.slice(0, 8)}…  FaceSim ${c.meanSimilarity.toFixed(3)}  drift ${c.drift.toFixed(3)}\n`
    + `   region ${describeRegion(c.region, c.defaultRegion)}`);
  if (consistency?.untrained) lines.push('(untrained models: not meaningful)');
  $('report').textContent = lines.join('\n');
}

/** Loops the frames received so far at the clip's frame rate; once playing, it takes in frames as they arrive. */
function play(job: Job) {
  if (job.player !== undefined || !job.frames.some(Boolean)) return;
  let index = 0;
  const next = () => {
    const frames = job.frames.filter(Boolean);
    index %= frames.length;
    $<HTMLImageElement>('clip').src = frames[index];
    $('clip').dataset.frame = String(index);
    $('clip').dataset.frames = String(frames.length);
    index += 1;
  };
  next();
  job.player = setInterval(next, 1000 / job.fps);
}

// ---- Starting, attaching, cancelling --------------------------------------------------------------------------------

const watch = (jobId: string) => follow(signal => generator.watchJob({ jobId, afterSequence: 0n }, { signal }));

// The field's pattern admits only digits; a uint64 also has a ceiling the pattern cannot say.
const seedField = form('start').seed;
seedField.addEventListener('input', () => {
  const tooLarge = /^\d+$/.test(seedField.value) && BigInt(seedField.value) > 2n ** 64n - 1n;
  seedField.setCustomValidity(tooLarge ? `Seed: at most ${2n ** 64n - 1n}` : '');
});

$('start').addEventListener('submit', event => {
  event.preventDefault();
  const fields = form('start');
  const steps = Number(fields.steps.value);
  // PNG frames and a contact-sheet preview about ten times a run; the seed only when given (unset: random, echoed back).
  follow(signal => generator.generate({
    prompt: fields.prompt.value,
    characters: castRequested(),
    steps,
    seconds: fields.seconds.value ? Number(fields.seconds.value) : undefined,
    seed: fields.seed.value ? BigInt(fields.seed.value) : undefined,
    preview: { everyNSteps: Math.max(1, Math.round(steps / 10)), maxSide: 256, format: PreviewFormat.CONTACT_SHEET },
    frameFormat: FrameFormat.PNG,
  }, { signal }));
});

$('attach').addEventListener('submit', event => {
  event.preventDefault();
  watch(form('attach').job.value.trim());
});

$('cancel-button').addEventListener('click', async () => {
  const jobId = current?.jobId;
  if (!jobId) return;
  try {
    const response = await generator.cancelJob({ jobId });
    const name = stateName(response.state) ?? 'cancelled';
    show(name, `${jobId}: ${name}`);
  } catch (error) {
    show('error', `cancel failed: ${describe(error)}`, true);
  }
});

drawRegions();
// Without settings there is nowhere to encode: say so where the encoding would show, rather than as a page error.
encoder.catch(error => showEncoded('error', [{ textContent: `encoding is unavailable: ${describe(error)}`, className: 'error' }]));

// ?job=… attaches straight away, so a link to the page can be shared while a job runs.
const linked = new URLSearchParams(location.search).get('job');
if (linked) {
  form('attach').job.value = linked;
  watch(linked);
}
