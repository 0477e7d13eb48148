// Builds the preview page's script: generates the messages and the Generator service from protos/likeness/**/*.proto
// (protoc with protoc-gen-es, into gen/), type-checks the page against them (tsc) and bundles src/preview.ts with
// its libraries into ../Site/preview.js (esbuild), the one script the page loads.
//
//   npm run build    rewrites ../Site/preview.js (commit it: the generator embeds it and needs no Node to build)
//   npm run check    builds into a temporary folder and fails if ../Site/preview.js differs (the tests run this)
//
// Needs protoc with the well-known types (Debian: protobuf-compiler, libprotobuf-dev) and `npm ci` here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const protos = join(here, '../../../../protos');
const gen = join(here, 'gen');
const served = join(here, '../Site/preview.js');
const check = process.argv.includes('--check');

const protoFiles = readdirSync(protos, { recursive: true }).filter(f => f.endsWith('.proto')).map(f => f.split('\\').join('/')).sort();
/** Runs a build step with its output shown; a failing step ends the build with its exit code and no stack. */
function run(command, args) {
  try {
    execFileSync(command, args, { stdio: 'inherit' });
  } catch (error) {
    console.error(`${command === process.execPath ? args[0] : command} failed${error.status ? ` (exit ${error.status})` : `: ${error.message}`}`);
    process.exit(1);
  }
}

rmSync(gen, { recursive: true, force: true });
mkdirSync(gen);
run('protoc', [
  `--proto_path=${protos}`,
  `--plugin=protoc-gen-es=${join(here, 'node_modules/.bin/protoc-gen-es')}`,
  `--es_out=${gen}`, '--es_opt=target=ts,import_extension=js',
  ...protoFiles,
]);

run(process.execPath, [join(here, 'node_modules/typescript/bin/tsc'), '--project', here]);

const outDir = check ? mkdtempSync(join(tmpdir(), 'preview-page-')) : dirname(served);
const outFile = join(outDir, 'preview.js');
try {
  await esbuild.build({
    entryPoints: [join(here, 'src/preview.ts')],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    banner: {
      js: '// The live preview page\'s script, built by PreviewPage/Script (npm run build) from src/preview.ts and the\n'
        + '// protos; do not edit. Bundles @connectrpc/connect, @connectrpc/connect-web and @bufbuild/protobuf (Apache-2.0).',
    },
    logLevel: 'warning',
  });
  if (check) {
    if (!readFileSync(outFile).equals(readFileSync(served))) {
      console.error(`${relative(process.cwd(), served)} is not what the protos and src/ build; run npm run build in ${relative(process.cwd(), here) || '.'} and commit it.`);
      process.exitCode = 1;
    } else {
      console.log(`${relative(process.cwd(), served)} matches the protos and src/ (${readFileSync(served).length} bytes)`);
    }
  }
} finally {
  if (check) rmSync(outDir, { recursive: true, force: true });
}
