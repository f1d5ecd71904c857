#!/usr/bin/env node
/**
 * `npm run bench:image`: throughput and peak memory of the streaming image-archive analysis.
 *
 * Generates a synthetic docker-archive of at least 2 GB in os.tmpdir() (about 150,000 small
 * files, a few 250 MB files, some overwritten and some deleted by later layers, one opaque
 * directory), then measures in the same run:
 *   cat        `cat ARCHIVE > /dev/null`, the speed of just reading the bytes;
 *   node read  the same file read by fs.createReadStream and dropped: the floor for any Node reader;
 *   analysis   `analyzeImageArchive` over a file stream, in a child process whose peak RSS
 *              (process.resourceUsage().maxRSS) is reported.
 * Both read the archive after one warm-up read, so both come from the page cache. Targets: the
 * analysis at >= 70 % of cat's throughput, peak RSS < 300 MB. Figures, not assertions.
 * The archive is removed afterwards; the run stops early when the disk lacks room for it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

if (process.argv[2] === '--read') {
  // The floor for any Node reader: the same file stream, bytes dropped.
  const start = process.hrtime.bigint();
  await new Promise((resolve, reject) => {
    const stream = createReadStream(process.argv[3], { highWaterMark: 1024 * 1024 });
    stream.on('data', () => undefined);
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6 }));
  process.exit(0);
}

if (process.argv[2] === '--child') {
  const { analyzeImageArchive } = await import(join(root, 'dist', 'image', 'analyze.js'));
  const start = process.hrtime.bigint();
  const analysis = await analyzeImageArchive(createReadStream(process.argv[3], { highWaterMark: 1024 * 1024 }));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS, layers: analysis.layers.length, finalBytes: analysis.finalBytes, wastedBytes: analysis.wastedBytes, efficiency: analysis.efficiency, files: analysis.layers.reduce((sum, layer) => sum + layer.files, 0) }));
  process.exit(0);
}

const MB = 1024 * 1024;
const SMALL = Number(process.env.SMALL_FILES ?? 150_000);
const LARGE = 250 * MB;

/** A ustar header (sizes here stay under 8 GiB, so octal is enough). */
function header(name, size, type = '0') {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  block.fill(' ', 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i += 1) {
    sum += block[i];
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

const padded = (size) => Math.ceil(size / 512) * 512;
const smallSize = (i) => 512 + ((i * 2654435761) % 7680);

/** Layer specs: lists of [name, size] (size -1 = whiteout, -2 = opaque marker). */
function layers() {
  const base = [];
  for (let i = 0; i < SMALL; i += 1) {
    base.push([`usr/lib/pkg${i % 500}/file${i}.py`, smallSize(i)]);
  }
  return [
    base,
    [['opt/big/a.bin', LARGE], ['opt/big/b.bin', LARGE], ['opt/big/c.bin', LARGE], ['opt/models/m.bin', LARGE]],
    [
      ...Array.from({ length: 20_000 }, (_, i) => [`usr/lib/pkg${i % 500}/file${i}.py`, smallSize(i)]),
      ['opt/big/a.bin', LARGE],
      ['tmp/build/objects.o', 100 * MB],
    ],
    [['opt/big/.wh.b.bin', -1], ['tmp/.wh.build', -1], ['usr/lib/pkg7/.wh..wh..opq', -2], ['usr/lib/pkg7/new.py', 1000]],
  ];
}

const layerBytes = (files) => files.reduce((sum, [, size]) => sum + 512 + (size > 0 ? padded(size) : 0), 0) + 1024;

function writeArchive(path) {
  const fd = openSync(path, 'w');
  const zero = Buffer.alloc(4 * MB, 0x61);
  const write = (buffer) => writeSync(fd, buffer);
  const writeBody = (size) => {
    for (let left = size; left > 0; left -= zero.length) {
      write(zero.subarray(0, Math.min(left, zero.length)));
    }
    write(Buffer.alloc(padded(size) - size));
  };
  const specs = layers();
  const names = specs.map((_, i) => `${String(i).padStart(64, '0')}/layer.tar`);
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: specs.map((_, i) => `sha256:${String(i).padStart(64, 'f')}`) }, history: specs.map((_, i) => ({ created_by: `RUN step ${i}` })) });
  specs.forEach((files, i) => {
    write(header(names[i], layerBytes(files)));
    let batch = [];
    for (const [name, size] of files) {
      batch.push(header(name, Math.max(size, 0)));
      if (size > 0) {
        if (size > MB) {
          write(Buffer.concat(batch));
          batch = [];
          writeBody(size);
        } else {
          batch.push(zero.subarray(0, size), Buffer.alloc(padded(size) - size));
        }
      }
      if (batch.length > 4096) {
        write(Buffer.concat(batch));
        batch = [];
      }
    }
    write(Buffer.concat([...batch, Buffer.alloc(1024)]));
  });
  const manifest = JSON.stringify([{ Config: 'config.json', RepoTags: ['bench/image:1'], Layers: names }]);
  for (const [name, text] of [['config.json', config], ['manifest.json', manifest]]) {
    write(header(name, Buffer.byteLength(text)));
    write(Buffer.from(text));
    write(Buffer.alloc(padded(Buffer.byteLength(text)) - Buffer.byteLength(text)));
  }
  write(Buffer.alloc(1024));
  closeSync(fd);
}

if (process.argv[2] === '--generate') {
  // Writes the synthetic archive to the given path and stops: for profiling the analysis
  // (`node --cpu-prof tools/bench-image.mjs --child PATH`) or for BENCH_IMAGE_ARCHIVE.
  writeArchive(process.argv[3]);
  process.exit(0);
}

function seconds(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const dir = mkdtempSync(join(tmpdir(), 'baseimg-bench-image-'));
try {
  const df = spawnSync('df', ['-Pk', dir], { encoding: 'utf8' });
  const freeBytes = Number(df.stdout.trim().split('\n').pop()?.split(/\s+/)[3] ?? 0) * 1024;
  const need = 3 * 1024 * MB;
  if (freeBytes < need && !process.env.BENCH_IMAGE_ARCHIVE) {
    console.log(`bench:image skipped: ${(freeBytes / 1024 ** 3).toFixed(1)} GiB free in ${tmpdir()}, needs ${need / 1024 ** 3} GiB`);
    // process.exit skips the finally below.
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  // BENCH_IMAGE_ARCHIVE=path measures an existing archive (a real `docker save -o` file) instead.
  const given = process.env.BENCH_IMAGE_ARCHIVE;
  const archive = given ?? join(dir, 'image.tar');
  const generate = given ? 0 : seconds(() => writeArchive(archive));
  const size = statSync(archive).size;
  console.log(given ? `archive: ${given}, ${(size / 1024 ** 3).toFixed(2)} GiB` : `archive: ${(size / 1024 ** 3).toFixed(2)} GiB, ${SMALL} small files + 6 large, 4 layers (generated in ${generate.toFixed(1)} s)`);
  const cat = () => {
    const result = spawnSync('sh', ['-c', 'cat "$1" > /dev/null', 'sh', archive]);
    if (result.status !== 0) {
      throw new Error('cat failed');
    }
  };
  cat();
  const catSeconds = Math.min(seconds(cat), seconds(cat));
  const read = JSON.parse(spawnSync(process.execPath, [join(root, 'tools', 'bench-image.mjs'), '--read', archive], { encoding: 'utf8' }).stdout);
  let child;
  const analysisWall = seconds(() => {
    child = spawnSync(process.execPath, [join(root, 'tools', 'bench-image.mjs'), '--child', archive], { encoding: 'utf8' });
  });
  if (child.status !== 0) {
    throw new Error(`analysis failed: ${child.stderr}`);
  }
  const result = JSON.parse(child.stdout);
  const catRate = size / catSeconds / MB;
  const analysisRate = size / (result.ms / 1000) / MB;
  console.log(`cat > /dev/null:  ${catSeconds.toFixed(2)} s  ${catRate.toFixed(0)} MiB/s`);
  console.log(`node read only:   ${(read.ms / 1000).toFixed(2)} s  ${(size / (read.ms / 1000) / MB).toFixed(0)} MiB/s  (fs.createReadStream, bytes dropped)`);
  console.log(`analysis:         ${(result.ms / 1000).toFixed(2)} s  ${analysisRate.toFixed(0)} MiB/s  (child wall ${analysisWall.toFixed(2)} s incl. start-up)`);
  console.log(`ratio:            ${((analysisRate / catRate) * 100).toFixed(0)} % of cat (target >= 70 %)`);
  console.log(`peak RSS:         ${(result.maxRssKiB / 1024).toFixed(0)} MiB (target < 300 MiB)`);
  console.log(`result:           ${result.files} files, final ${(result.finalBytes / MB).toFixed(0)} MiB, wasted ${(result.wastedBytes / MB).toFixed(0)} MiB, efficiency ${result.efficiency.toFixed(3)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
