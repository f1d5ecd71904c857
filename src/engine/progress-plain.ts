/**
 * BuildKit's `--progress=plain` stream, read line by line as it arrives (moby/buildkit
 * util/progress/progressui/printer.go). `#N` is a display counter, not an identity, so steps are
 * keyed by it only within one build. Docker 20.10's embedded BuildKit also prints the vertex digest
 * on the line after the name. Durations come from `DONE <s>s`; start and end times are the client's
 * clock when the lines arrived, since plain output carries no timestamps.
 */
import { newStep, type BuildStep } from './steps.js';

const LINE = /^#(\d+) (.*)$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Folds plain progress lines into steps. */
export class PlainProgressParser {
  private readonly byNumber = new Map<number, BuildStep>();
  private readonly order: BuildStep[] = [];
  private readonly trailing: string[] = [];

  /** Feeds one line (without its newline); `at` is when it arrived. */
  push(line: string, at: Date = new Date()): BuildStep | null {
    const match = LINE.exec(line.trimEnd());
    if (!match) {
      if (line.trim() !== '' && line.trim() !== '------') {
        this.trailing.push(line.trim());
        if (this.trailing.length > 20) {
          this.trailing.shift();
        }
      }
      return null;
    }
    const number = Number(match[1]);
    const text = match[2] ?? '';
    let step = this.byNumber.get(number);
    if (!step) {
      step = newStep(text);
      step.startedAt = at.toISOString();
      this.byNumber.set(number, step);
      this.order.push(step);
      return step;
    }
    if (step.digest === null && DIGEST.test(text)) {
      step.digest = text;
      return step;
    }
    const done = /^DONE (\d+(?:\.\d+)?)s$/.exec(text);
    if (done) {
      step.status = 'done';
      step.durationSeconds = Number(done[1]);
      step.completedAt = at.toISOString();
    } else if (text === 'CACHED') {
      step.status = 'cached';
      step.durationSeconds = 0;
      step.completedAt = at.toISOString();
    } else if (text.startsWith('ERROR:')) {
      step.status = 'error';
      step.error = text.slice('ERROR:'.length).trim();
      step.completedAt = at.toISOString();
    } else if (text === 'CANCELED') {
      step.status = 'canceled';
      step.completedAt = at.toISOString();
    }
    return step;
  }

  /** The steps in the order they were first printed. */
  steps(): BuildStep[] {
    return this.order;
  }

  /** The last lines outside any step (the CLI's own error message on failure). */
  trailingLines(): string[] {
    return [...this.trailing];
  }
}

/** Parses a whole captured plain stream. */
export function parsePlainProgress(text: string): BuildStep[] {
  const parser = new PlainProgressParser();
  for (const line of text.split('\n')) {
    parser.push(line);
  }
  return parser.steps();
}
