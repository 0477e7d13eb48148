// gRPC-Web for the preview page: the wire format of the few Likeness messages the page uses, and calls over fetch.
// Written against protos/likeness/generation/v1/generator.proto; field numbers below are that contract's.
// Server-streaming responses are read frame by frame as they arrive (application/grpc-web+proto).

const WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_BYTES = 2, WIRE_FIXED32 = 5;

/** Appends protobuf fields to a growing byte array. */
class Writer {
  constructor() { this.bytes = []; }
  varint(value) {
    let v = BigInt(value);
    while (v > 0x7fn) { this.bytes.push(Number(v & 0x7fn) | 0x80); v >>= 7n; }
    this.bytes.push(Number(v));
    return this;
  }
  tag(field, wire) { return this.varint((field << 3) | wire); }
  uint(field, value) { return value ? this.tag(field, WIRE_VARINT).varint(value) : this; }
  float(field, value) {
    const buffer = new DataView(new ArrayBuffer(4));
    buffer.setFloat32(0, value, true);
    this.tag(field, WIRE_FIXED32);
    for (let i = 0; i < 4; i++) this.bytes.push(buffer.getUint8(i));
    return this;
  }
  raw(field, bytes) {
    this.tag(field, WIRE_BYTES).varint(bytes.length);
    for (const b of bytes) this.bytes.push(b);
    return this;
  }
  string(field, text) { return text ? this.raw(field, new TextEncoder().encode(text)) : this; }
  message(field, writer) { return this.raw(field, writer.bytes); }
  finish() { return Uint8Array.from(this.bytes); }
}

/** Decodes a message into an object, following a schema of { fieldNumber: [name, type, schema?, repeated?] }. */
function decode(bytes, schema) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result = {};
  let at = 0;
  const varint = () => {
    let value = 0n, shift = 0n, b;
    do { b = bytes[at++]; value |= BigInt(b & 0x7f) << shift; shift += 7n; } while (b & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const field = key >> 3, wire = key & 7;
    const spec = schema[field];
    let values;
    if (wire === WIRE_VARINT) values = [varint()];
    else if (wire === WIRE_FIXED32) { values = [view.getFloat32(at, true)]; at += 4; }
    else if (wire === WIRE_FIXED64) { values = [view.getBigUint64(at, true)]; at += 8; }
    else if (wire === WIRE_BYTES) {
      const length = Number(varint());
      const chunk = bytes.subarray(at, at + length);
      at += length;
      if (spec && spec[1] === 'float') {  // packed repeated float
        const packed = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        values = Array.from({ length: length / 4 }, (_, i) => packed.getFloat32(i * 4, true));
      } else values = [chunk];
    } else throw new Error(`unsupported wire type ${wire}`);
    if (!spec) continue;  // a field this page does not read
    const [name, type, inner, repeated] = spec;
    const converted = values.map(v => convert(v, type, inner));
    if (repeated) result[name] = (result[name] || []).concat(converted);
    else result[name] = converted[converted.length - 1];
  }
  return result;
}

function convert(value, type, inner) {
  switch (type) {
    case 'string': return new TextDecoder().decode(value);
    case 'bytes': return value;
    case 'uint': return Number(value);
    case 'uint64': return value.toString();  // seeds need all 64 bits
    case 'bool': return value !== 0n;
    case 'float': return value;
    case 'message': return decode(value, inner);
    default: throw new Error(`unknown type ${type}`);
  }
}

const Duration = { 1: ['seconds', 'uint'], 2: ['nanos', 'uint'] };
const Image = { 1: ['data', 'bytes'], 2: ['format', 'uint'], 3: ['width', 'uint'], 4: ['height', 'uint'] };
const ModelRef = { 1: ['modelId', 'string'], 2: ['untrained', 'bool'] };
const CharacterConsistency = {
  1: ['identityId', 'string'], 2: ['frameSimilarity', 'float', null, true], 3: ['meanSimilarity', 'float'],
  4: ['drift', 'float'], 7: ['identityLoss', 'float'], 8: ['leakage', 'float', null, true],
};

/** likeness.generation.v1.JobEvent. */
export const JobEvent = {
  1: ['jobId', 'string'], 2: ['sequence', 'uint'],
  10: ['queued', 'message', { 1: ['position', 'uint'] }],
  11: ['started', 'message', { 1: ['seed', 'uint64'], 2: ['model', 'message', ModelRef], 3: ['numFrames', 'uint'], 4: ['width', 'uint'], 5: ['height', 'uint'], 6: ['steps', 'uint'] }],
  12: ['step', 'message', { 1: ['step', 'uint'], 2: ['totalSteps', 'uint'], 3: ['stepTime', 'message', Duration], 4: ['eta', 'message', Duration] }],
  13: ['preview', 'message', { 1: ['step', 'uint'], 2: ['images', 'message', Image, true] }],
  14: ['frame', 'message', { 1: ['index', 'uint'], 2: ['image', 'message', Image] }],
  15: ['completed', 'message', { 1: ['seed', 'uint64'], 3: ['report', 'message', { 1: ['characters', 'message', CharacterConsistency, true], 2: ['untrained', 'bool'] }], 4: ['fps', 'uint'] }],
  16: ['ended', 'message', { 1: ['state', 'uint'], 2: ['reason', 'string'] }],
};

/** likeness.generation.v1.CancelJobResponse. */
export const CancelJobResponse = { 1: ['state', 'uint'] };

export const JobState = { 1: 'queued', 2: 'running', 3: 'completed', 4: 'cancelled', 5: 'failed' };

/** likeness.generation.v1.GenerateRequest, with PNG frames and a contact-sheet preview every `previewEvery` steps. */
export function generateRequest({ identityId, prompt, strength, steps, frames, previewEvery, previewSide }) {
  const character = new Writer().string(1, identityId);
  if (strength !== undefined) character.float(2, strength);
  return new Writer()
    .string(1, prompt)
    .message(2, character)
    .uint(3, frames)
    .uint(7, steps)
    .message(11, new Writer().uint(1, previewEvery).uint(2, previewSide).uint(3, 2))
    .uint(12, 1)
    .finish();
}

export const watchJobRequest = (jobId, afterSequence) => new Writer().string(1, jobId).uint(2, afterSequence).finish();
export const jobIdRequest = jobId => new Writer().string(1, jobId).finish();

/** A gRPC error: `code` is the numeric status, `message` the server's detail. */
export class GrpcError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

const headers = { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', 'accept': 'application/grpc-web+proto' };

function frame(message) {
  const body = new Uint8Array(5 + message.length);
  new DataView(body.buffer).setUint32(1, message.length);
  body.set(message, 5);
  return body;
}

function statusOf(fields) {
  const code = Number(fields.get('grpc-status') ?? 2);
  return code === 0 ? null : new GrpcError(code, decodeURIComponent(fields.get('grpc-message') ?? 'unknown error'));
}

/**
 * Calls a server-streaming method; `onMessage` gets each decoded response. Resolves when the stream ends with OK.
 * `metadata` is sent as request headers, e.g. `{ authorization: 'Bearer …' }`.
 */
export async function serverStream(method, request, responseSchema, onMessage, signal, metadata = {}) {
  const response = await fetch(method, { method: 'POST', headers: { ...metadata, ...headers }, body: frame(request), signal });
  if (!response.ok) throw new GrpcError(14, `HTTP ${response.status} from ${method}`);  // UNAVAILABLE: not a gRPC-Web answer
  const trailersOnly = response.headers.get('grpc-status');
  if (trailersOnly !== null) {
    const error = statusOf(new Map([['grpc-status', trailersOnly], ['grpc-message', response.headers.get('grpc-message')]]));
    if (error) throw error;
  }
  const reader = response.body.getReader();
  let buffered = new Uint8Array(0);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const joined = new Uint8Array(buffered.length + value.length);
    joined.set(buffered);
    joined.set(value, buffered.length);
    buffered = joined;
    while (buffered.length >= 5) {
      const length = new DataView(buffered.buffer, buffered.byteOffset).getUint32(1);
      if (buffered.length < 5 + length) break;
      const flags = buffered[0], payload = buffered.subarray(5, 5 + length);
      buffered = buffered.subarray(5 + length);
      if (flags & 0x80) {  // trailers: "name:value" lines
        const fields = new Map(new TextDecoder().decode(payload).split('\r\n').filter(Boolean)
          .map(line => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        const error = statusOf(fields);
        if (error) throw error;
        return;
      }
      onMessage(decode(payload, responseSchema));
    }
  }
}

/** Calls a unary method. */
export async function unary(method, request, responseSchema, metadata = {}) {
  let result = null;
  await serverStream(method, request, responseSchema, message => { result = message; }, undefined, metadata);
  return result;
}
