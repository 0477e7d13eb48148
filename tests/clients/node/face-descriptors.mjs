// Face descriptors from @vladmandic/face-api's own recogniser (TF.js, wasm backend), for checking Likeness's port.
//   node face-descriptors.mjs chip1.png [chip2.png ...]
// Each PNG is a 150×150 face chip; prints {"backend": ..., "descriptors": {"<path>": [128 floats], ...}} on stdout.
// Everything loads from node_modules: the wasm binaries and the model files ship in the npm packages.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const { PNG } = require('pngjs');

const chipSize = 150;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node face-descriptors.mjs chip.png [...]');
  process.exit(2);
}

// The package's demo points setWasmPaths at a CDN; these machines reach npm only, so use the installed binaries
// (read from disk by the Emscripten loader: Node's fetch cannot read files).
const wasmFolder = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep);
wasm.setWasmPaths(wasmFolder);
await tf.setBackend('wasm');
await tf.ready();
const modelFolder = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
await faceapi.nets.faceRecognitionNet.loadFromDisk(modelFolder);

const descriptors = {};
for (const file of files) {
  const png = PNG.sync.read(fs.readFileSync(file));
  if (png.width !== chipSize || png.height !== chipSize) {
    throw new Error(`${file} is ${png.width}×${png.height}; chips are ${chipSize}×${chipSize}`);
  }
  const rgb = new Float32Array(chipSize * chipSize * 3);
  for (let i = 0; i < chipSize * chipSize; i += 1) {
    rgb[i * 3] = png.data[i * 4];
    rgb[i * 3 + 1] = png.data[i * 4 + 1];
    rgb[i * 3 + 2] = png.data[i * 4 + 2];
  }
  const input = tf.tensor3d(rgb, [chipSize, chipSize, 3], 'float32');
  const descriptor = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input);
  input.dispose();
  descriptors[file] = Array.from(descriptor);
}

console.log(JSON.stringify({ backend: tf.getBackend(), faceApi: faceapi.version, descriptors }));
