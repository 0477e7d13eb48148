// Likeness from Node.js: encode a reference, run a generation to completion receiving previews and frames, cancel
// another, and see how bad input is answered. Uses @grpc/grpc-js with the repository's protos loaded at run time.
//
//   node likeness-client.mjs --image face.png [--encoder 127.0.0.1:5000] [--generator 127.0.0.1:5000] [--out DIR]
//       [--token TOKEN]
//
// --token (or LIKENESS_TOKEN) sends an API key or a JWT with every call as `authorization: Bearer TOKEN` metadata.
//
// Exits 0 when every step behaved as the contract says, 1 otherwise.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const { values: args } = parseArgs({
  options: {
    image: { type: 'string' },
    encoder: { type: 'string', default: '127.0.0.1:5000' },
    generator: { type: 'string', default: '127.0.0.1:5000' },
    out: { type: 'string' },
    token: { type: 'string', default: process.env.LIKENESS_TOKEN ?? '' },
  },
});
assert.ok(args.image, '--image PATH is required');

const protos = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../protos');
const definition = protoLoader.loadSync(
  ['likeness/identity/v1/identity_encoder.proto', 'likeness/generation/v1/generator.proto'],
  { includeDirs: [protos], longs: String, enums: String, defaults: true, oneofs: true },
);
const likeness = grpc.loadPackageDefinition(definition).likeness;
// Metadata rather than call credentials, which gRPC refuses on cleartext channels.
const signIn = (options, nextCall) => new grpc.InterceptingCall(nextCall(options), {
  start(metadata, listener, next) {
    metadata.set('authorization', `Bearer ${args.token}`);
    next(metadata, listener);
  },
});
const clientOptions = args.token ? { interceptors: [signIn] } : {};
const encoder = new likeness.identity.v1.IdentityEncoder(args.encoder, grpc.credentials.createInsecure(), clientOptions);
const generator = new likeness.generation.v1.Generator(args.generator, grpc.credentials.createInsecure(), clientOptions);

const unary = (client, method, request) => new Promise((resolve, reject) =>
  client[method](request, { deadline: Date.now() + 60_000 }, (error, response) => (error ? reject(error) : resolve(response))));

/** Reads a job's stream to its end; returns its events and the status the stream closed with. */
async function readJob(call, onEvent = () => {}) {
  const events = [];
  try {
    for await (const event of call) {
      events.push(event);
      await onEvent(event);
    }
    return { events, code: grpc.status.OK };
  } catch (error) {
    return { events, code: error.code, details: error.details };
  }
}

// 1. The generator's model and defaults.
const model = await unary(generator, 'DescribeModel', {});
console.log(`generator: ${model.model.modelId} on ${model.device}, sizes ${model.sizes.map(s => `${s.width}x${s.height}`).join(', ')}; trained as ${model.objective}, samples with ${model.scheduler}`);

// 2. Encode one reference into an identity.
const encoded = await unary(encoder, 'EncodeIdentity', { references: [{ data: fs.readFileSync(args.image) }] });
const identityId = encoded.identity.identityId;
assert.match(identityId, /^[0-9a-f]{32}$/);
console.log(`encoded ${identityId} (score ${encoded.quality[0].score.toFixed(2)}, cache hit ${encoded.cacheHit})`);

// 3. A generation to completion, receiving previews and frames.
const steps = 4;
const { events, code } = await readJob(generator.Generate({
  prompt: 'a character smiles',
  // Only what this client chooses: strength and region unset, so the server's defaults apply (and say so).
  characters: [{ identityId }],
  steps,
  seed: '7',
  preview: { everyNSteps: 1, maxSide: 64, format: 'PREVIEW_FORMAT_CONTACT_SHEET' },
}));
assert.equal(code, grpc.status.OK, 'the generation stream closes with OK');
// A job run again after its generator stopped starts again (attempt 2, same seed): the last `started` is the attempt
// that completed, and its frames replace the earlier ones by index.
const started = events.filter(e => e.event === 'started').at(-1).started;
const previews = events.filter(e => e.event === 'preview');
const frames = [...new Map(events.filter(e => e.event === 'frame').map(e => [e.frame.index, e.frame])).values()];
const completed = events.find(e => e.event === 'completed')?.completed;
assert.equal(previews.length, steps, 'one preview per step');
assert.equal(frames.length, started.numFrames, 'every frame arrives');
assert.ok(completed, 'the stream ends with Completed');
assert.equal(completed.seed, '7');
const [cast] = started.characters;
assert.ok(Math.abs(cast.identityStrength - model.defaults.identityStrength) < 1e-6, "an unset strength is the server's default");
assert.ok(cast.defaultRegion && cast.region.box.width > 0 && cast.region.box.width < 1, 'a character without a region is framed by default');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
assert.ok(frames.every(f => f.image.data.subarray(0, 4).equals(png)), 'frames are PNG');
if (args.out) {
  fs.mkdirSync(args.out, { recursive: true });
  frames.forEach(f => fs.writeFileSync(path.join(args.out, `frame-${String(f.index).padStart(3, '0')}.png`), f.image.data));
}
const faceSim = completed.report.characters[0].meanSimilarity;
console.log(`generated ${events[0].jobId}: ${previews.length} previews, ${frames.length} frames of ${started.width}x${started.height}, FaceSim ${faceSim.toFixed(3)} (attempt ${started.attempt}${started.generator ? `, on ${started.generator}` : ''})`);

// 4. Another generation, cancelled from a second call once it runs.
let cancelledState = null;
const long = await readJob(
  generator.Generate({ prompt: 'a character talks', characters: [{ identityId }], steps: 100 }),
  async event => {
    if (event.event === 'step' && cancelledState === null) {
      cancelledState = (await unary(generator, 'CancelJob', { jobId: event.jobId })).state;
    }
  },
);
const last = long.events.at(-1);
assert.equal(cancelledState, 'JOB_STATE_CANCELLED');
assert.equal(long.code, grpc.status.CANCELLED, 'a cancelled job\'s stream closes with CANCELLED');
assert.equal(last.ended?.state, 'JOB_STATE_CANCELLED', 'the last event says the job was cancelled');
console.log(`cancelled ${last.jobId} after ${long.events.filter(e => e.event === 'step').length} step(s): ${last.ended.reason}`);

// 5. A long clip, made chunk by chunk, whose connection drops after its first chunk: sent again with the same
//    clientRequestId, the request attaches to the same job (which waited for it) and replays its events; the client
//    reads on after the last sequence number it saw.
const longClip = { prompt: 'a character talks', characters: [{ identityId }], seconds: 3, fps: 8, steps: 2, clientRequestId: `long-clip-${process.pid}` };
const call = generator.Generate(longClip);
const seen = [];
for await (const event of call) {
  seen.push(event);
  if (event.event === 'chunkFinished') break;
}
call.cancel();
const again = await readJob(generator.Generate(longClip));
const rest = again.events.filter(e => Number(e.sequence) > Number(seen.at(-1).sequence));
const all = [...seen, ...rest];
assert.equal(again.events[0].jobId, seen[0].jobId, 'the same request, sent again, attaches to the same job');
assert.equal(again.code, grpc.status.OK, 'the job completes');
assert.ok(rest.at(-1).completed, 'and its last event is Completed');
assert.deepEqual(all.map(e => Number(e.sequence)), all.map((_, i) => i + 1), 'no event is lost or repeated');
const longStarted = all.find(e => e.event === 'started').started;
const longFrames = new Set(all.filter(e => e.event === 'frame').map(e => e.frame.index));
assert.equal(longFrames.size, longStarted.numFrames, 'every frame of the long clip arrives once');
assert.ok(longStarted.totalChunks > 1 && all.filter(e => e.event === 'chunkFinished').length === longStarted.totalChunks, 'a chunk_finished event per chunk');
const perChunk = rest.at(-1).completed.report.characters[0].chunks.map(c => c.faceSim.toFixed(3)).join(', ');
console.log(`long clip ${seen[0].jobId}: ${longStarted.numFrames} frames in ${longStarted.totalChunks} chunks, resumed after sequence ${seen.at(-1).sequence}; FaceSim per chunk ${perChunk}`);

// 6. Bad input is refused with the status and the field named.
const bad = await readJob(generator.Generate({ characters: [{ identityId, identityStrength: 3 }] }));
assert.equal(bad.code, grpc.status.INVALID_ARGUMENT);
assert.match(bad.details, /characters\[0\]\.identity_strength/);
console.log(`bad input: INVALID_ARGUMENT ${bad.details}`);
const missing = await unary(encoder, 'GetIdentity', { identityId: '0'.repeat(32) }).catch(error => error);
assert.equal(missing.code, grpc.status.NOT_FOUND);
console.log(`unknown identity: NOT_FOUND ${missing.details}`);

encoder.close();
generator.close();
