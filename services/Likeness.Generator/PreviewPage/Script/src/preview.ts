// The preview page: starts or attaches to a job, shows each preview as it streams, then plays the finished clip.
// Talks gRPC-Web (application/grpc-web+proto) to the generator through Connect's transport; the messages and the
// Generator service are generated from protos/likeness/generation/v1/generator.proto.
import type { Duration } from '@bufbuild/protobuf/wkt';
import { ConnectError, createClient, type Interceptor } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import type { Image } from '../gen/likeness/common/v1/types_pb.js';
import type { ConsistencyReport, JobEvent } from '../gen/likeness/generation/v1/generator_pb.js';
import { FrameFormat, Generator, JobState, PreviewFormat } from '../gen/likeness/generation/v1/generator_pb.js';

/** One followed job: its id once the first event names it, the stream's abort, the clip player and its frames. */
interface Job {
  jobId: string | null;
  abort: AbortController;
  player: ReturnType<typeof setInterval> | undefined;
  frames: string[];
  fps: number;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

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

const generator = createClient(
  Generator,
  createGrpcWebTransport({ baseUrl: location.origin, useBinaryFormat: true, interceptors: [signIn] }),
);
const form = (id: string) => $<HTMLFormElement>(id).elements as HTMLFormControlsCollection & Record<string, HTMLInputElement>;
let current: Job | null = null;

function show(state: string, text: string, error = false) {
  $('status').dataset.state = state;
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

/** 'queued', 'running', 'completed', 'cancelled', 'failed'; undefined for an unspecified state. */
const stateName = (state: JobState) => state === JobState.UNSPECIFIED ? undefined : JobState[state]?.toLowerCase();
const seconds = (duration?: Duration) => duration ? Number(duration.seconds) + duration.nanos / 1e9 : 0;
// Decoded bytes view the response's own ArrayBuffer, never a shared one.
const pngUrl = (image?: Image) => URL.createObjectURL(new Blob([(image?.data ?? new Uint8Array()) as Uint8Array<ArrayBuffer>], { type: 'image/png' }));

/** Follows one job's event stream (Generate or WatchJob) to its end. */
async function follow(events: (signal: AbortSignal) => AsyncIterable<JobEvent>) {
  current?.abort.abort();
  clearInterval(current?.player);
  const job: Job = { jobId: null, abort: new AbortController(), player: undefined, frames: [], fps: 8 };
  current = job;
  $('preview').removeAttribute('src');
  $('preview').dataset.count = '0';
  $('clip').removeAttribute('src');
  $('clip').dataset.frame = '-1';
  $('report').textContent = '';
  $<HTMLProgressElement>('progress').value = 0;
  show('connecting', 'connecting…');
  try {
    for await (const event of events(job.abort.signal)) onEvent(job, event);
  } catch (error) {
    if (job.abort.signal.aborted) return;
    const ended = $('status').dataset.state;
    if (ended !== 'cancelled' && ended !== 'failed') {
      show('error', error instanceof ConnectError ? `error ${error.code}: ${error.rawMessage}` : String(error), true);
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
      const rerun = s.attempt > 1 ? `; attempt ${s.attempt}, run again from the start: ${s.restartReason}` : '';
      show('running', `${event.jobId}: ${s.numFrames} frames of ${s.width}×${s.height}, ${s.steps} steps, seed ${s.seed}${s.model?.untrained ? ' (UNTRAINED model)' : ''}${where}${rerun}`);
      break;
    }
    case 'step': {
      const s = e.value;
      $<HTMLProgressElement>('progress').value = s.step / s.totalSteps;
      show('running', `${event.jobId}: step ${s.step}/${s.totalSteps}, ${(seconds(s.stepTime) * 1000).toFixed(0)} ms/step, ETA ${seconds(s.eta).toFixed(1)} s`);
      break;
    }
    case 'preview':
      if (!e.value.images.length) break;
      $<HTMLImageElement>('preview').src = pngUrl(e.value.images[0]);
      $('preview').dataset.count = String(Number($('preview').dataset.count) + 1);
      $('preview-step').textContent = `(step ${e.value.step})`;
      break;
    case 'frame':
      job.frames[e.value.index] = pngUrl(e.value.image);
      break;
    case 'completed':
      job.fps = e.value.fps || 8;
      $<HTMLProgressElement>('progress').value = 1;
      show('completed', `${event.jobId}: completed, seed ${e.value.seed}`);
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
  const lines = (consistency?.characters ?? []).map(c =>
    `${c.identityId.slice(0, 8)}…  FaceSim ${c.meanSimilarity.toFixed(3)}  drift ${c.drift.toFixed(3)}`);
  if (consistency?.untrained) lines.push('(untrained models: not meaningful)');
  $('report').textContent = lines.join('\n');
}

/** Loops the finished frames at the clip's frame rate. */
function play(job: Job) {
  const frames = job.frames.filter(Boolean);
  if (!frames.length) return;
  let index = 0;
  const next = () => {
    $<HTMLImageElement>('clip').src = frames[index];
    $('clip').dataset.frame = String(index);
    index = (index + 1) % frames.length;
  };
  next();
  job.player = setInterval(next, 1000 / job.fps);
}

const watch = (jobId: string) => follow(signal => generator.watchJob({ jobId, afterSequence: 0n }, { signal }));

$('start').addEventListener('submit', event => {
  event.preventDefault();
  const fields = form('start');
  const steps = Number(fields.steps.value);
  // PNG frames and a contact-sheet preview about ten times a run.
  follow(signal => generator.generate({
    prompt: fields.prompt.value,
    characters: [{ identityId: fields.identity.value.trim(), identityStrength: Number(fields.strength.value) }],
    steps,
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
    show('error', `cancel failed: ${error instanceof ConnectError ? error.rawMessage : String(error)}`, true);
  }
});

// ?job=… attaches straight away, so a link to the page can be shared while a job runs.
const linked = new URLSearchParams(location.search).get('job');
if (linked) {
  form('attach').job.value = linked;
  watch(linked);
}
