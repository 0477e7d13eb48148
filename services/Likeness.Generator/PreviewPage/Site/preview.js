// The preview page: starts or attaches to a job, shows each preview as it streams, then plays the finished clip.
import { CancelJobResponse, GrpcError, JobEvent, JobState, generateRequest, jobIdRequest, serverStream, unary, watchJobRequest } from './grpc-web.js';

const service = '/likeness.generation.v1.Generator/';
const $ = id => document.getElementById(id);
let current = null;  // { jobId, abort, player }

function show(state, text, error = false) {
  $('status').dataset.state = state;
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

// Sign-in: the token the user pastes, kept for this tab only and sent as `authorization: Bearer …` with every call.
$('token').value = sessionStorage.getItem('likeness-token') ?? '';
$('token').addEventListener('input', () => sessionStorage.setItem('likeness-token', $('token').value.trim()));
const metadata = () => ($('token').value.trim() ? { authorization: `Bearer ${$('token').value.trim()}` } : {});

const seconds = duration => duration ? (duration.seconds || 0) + (duration.nanos || 0) / 1e9 : 0;
const pngUrl = image => URL.createObjectURL(new Blob([image.data], { type: 'image/png' }));

/** Follows one job's event stream (Generate or WatchJob) to its end. */
async function follow(method, request) {
  current?.abort.abort();
  clearInterval(current?.player);
  const job = { jobId: null, abort: new AbortController(), player: null, frames: [], fps: 8 };
  current = job;
  $('preview').removeAttribute('src');
  $('preview').dataset.count = '0';
  $('clip').removeAttribute('src');
  $('clip').dataset.frame = '-1';
  $('report').textContent = '';
  $('progress').value = 0;
  show('connecting', 'connecting…');
  try {
    await serverStream(service + method, request, JobEvent, event => onEvent(job, event), job.abort.signal, metadata());
  } catch (error) {
    if (error.name === 'AbortError') return;
    const ended = $('status').dataset.state;
    if (ended !== 'cancelled' && ended !== 'failed') {
      show('error', error instanceof GrpcError ? `error ${error.code}: ${error.message}` : String(error), true);
    }
  } finally {
    $('cancel-button').disabled = true;
  }
}

function onEvent(job, event) {
  if (!job.jobId) {
    job.jobId = event.jobId;
    $('attach').elements.job.value = event.jobId;
    $('cancel-button').disabled = false;
    history.replaceState(null, '', `?job=${event.jobId}`);
  }
  if (event.queued) {
    show('queued', `${event.jobId}: queued, ${event.queued.position ? `${event.queued.position} job(s) ahead` : 'next in line'}`);
  } else if (event.started) {
    const s = event.started;
    show('running', `${event.jobId}: ${s.numFrames} frames of ${s.width}×${s.height}, ${s.steps} steps, seed ${s.seed}${s.model?.untrained ? ' (UNTRAINED model)' : ''}`);
  } else if (event.step) {
    const s = event.step;
    $('progress').value = s.step / s.totalSteps;
    show('running', `${event.jobId}: step ${s.step}/${s.totalSteps}, ${(seconds(s.stepTime) * 1000).toFixed(0)} ms/step, ETA ${seconds(s.eta).toFixed(1)} s`);
  } else if (event.preview && event.preview.images?.length) {
    $('preview').src = pngUrl(event.preview.images[0]);
    $('preview').dataset.count = String(Number($('preview').dataset.count) + 1);
    $('preview-step').textContent = `(step ${event.preview.step})`;
  } else if (event.frame) {
    job.frames[event.frame.index] = pngUrl(event.frame.image);
  } else if (event.completed) {
    job.fps = event.completed.fps || 8;
    $('progress').value = 1;
    show('completed', `${event.jobId}: completed, seed ${event.completed.seed}`);
    report(event.completed.report);
    play(job);
  } else if (event.ended) {
    show(JobState[event.ended.state] ?? 'ended', `${event.jobId}: ${JobState[event.ended.state] ?? 'ended'} — ${event.ended.reason}`, event.ended.state === 5);
  }
}

function report(consistency) {
  const lines = (consistency?.characters ?? []).map(c =>
    `${c.identityId.slice(0, 8)}…  FaceSim ${c.meanSimilarity?.toFixed(3) ?? '–'}  drift ${c.drift?.toFixed(3) ?? '–'}`);
  if (consistency?.untrained) lines.push('(untrained models: not meaningful)');
  $('report').textContent = lines.join('\n');
}

/** Loops the finished frames at the clip's frame rate. */
function play(job) {
  const frames = job.frames.filter(Boolean);
  if (!frames.length) return;
  let index = 0;
  const next = () => {
    $('clip').src = frames[index];
    $('clip').dataset.frame = String(index);
    index = (index + 1) % frames.length;
  };
  next();
  job.player = setInterval(next, 1000 / job.fps);
}

$('start').addEventListener('submit', event => {
  event.preventDefault();
  const form = event.target.elements;
  const steps = Number(form.steps.value);
  follow('Generate', generateRequest({
    identityId: form.identity.value.trim(),
    prompt: form.prompt.value,
    strength: Number(form.strength.value),
    steps,
    previewEvery: Math.max(1, Math.round(steps / 10)),
    previewSide: 256,
  }));
});

$('attach').addEventListener('submit', event => {
  event.preventDefault();
  follow('WatchJob', watchJobRequest(event.target.elements.job.value.trim(), 0));
});

$('cancel-button').addEventListener('click', async () => {
  if (!current?.jobId) return;
  try {
    const response = await unary(service + 'CancelJob', jobIdRequest(current.jobId), CancelJobResponse, metadata());
    show(JobState[response.state] ?? 'cancelled', `${current.jobId}: ${JobState[response.state] ?? 'cancelled'}`);
  } catch (error) {
    show('error', `cancel failed: ${error.message}`, true);
  }
});

// ?job=… attaches straight away, so a link to the page can be shared while a job runs.
const linked = new URLSearchParams(location.search).get('job');
if (linked) {
  $('attach').elements.job.value = linked;
  follow('WatchJob', watchJobRequest(linked, 0));
}
