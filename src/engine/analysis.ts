/**
 * The bridge to the streaming archive analysis (src/image/): `docker save` piped straight into
 * `analyzeImageArchive`, so the archive never lands on disk. The module is loaded on demand, and its
 * absence (a build without src/image/analyze) is reported as a missing analysis, not a failure.
 */
import type { Readable } from 'node:stream';
import type { ImageAnalysis } from '../image/types.js';
import { saveImage, type Engine } from './docker.js';

type Analyze = (input: Readable) => Promise<ImageAnalysis>;

async function loadAnalyzer(): Promise<Analyze | null> {
  // A variable specifier keeps the type checker from requiring the module at compile time.
  const specifier = '../image/analyze.js';
  try {
    const module = (await import(specifier)) as { analyzeImageArchive?: Analyze };
    return module.analyzeImageArchive ?? null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url/.test(String(error))) {
      return null;
    }
    throw error;
  }
}

/** Streams `docker save REFERENCE` through the archive analysis. */
export async function analyzeImage(engine: Engine, reference: string): Promise<{ analysis: ImageAnalysis | null; error: string | null }> {
  const analyze = await loadAnalyzer();
  if (!analyze) {
    return { analysis: null, error: 'image archive analysis is not available in this build' };
  }
  const save = saveImage(engine, reference);
  const stderr: Buffer[] = [];
  save.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  try {
    const [analysis, exit] = await Promise.all([analyze(save.stdout), save.done]);
    if (exit.code !== 0) {
      return { analysis: null, error: `docker save failed: ${Buffer.concat(stderr).toString('utf8').trim()}` };
    }
    return { analysis, error: null };
  } catch (error) {
    save.kill('SIGKILL');
    await save.done.catch(() => undefined);
    return { analysis: null, error: `image analysis failed: ${(error as Error).message}` };
  }
}
