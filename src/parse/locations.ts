/** Positions are 1-based lines and columns, as editors, SARIF and the text renderer show them. */
export interface Position {
  line: number;
  column: number;
}

/** A span in one file; `end` is exclusive (the column just past the last character). */
export interface Range {
  start: Position;
  end: Position;
}

/** A range that starts and ends on one line, for findings that point at a whole line. */
export function lineRange(line: number, startColumn = 1, endColumn = startColumn): Range {
  return { start: { line, column: startColumn }, end: { line, column: endColumn } };
}

/** Compares positions: negative when `a` comes first. */
export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.column - b.column;
}

/** Maps string offsets to positions and back; built once per file. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        this.starts.push(i + 1);
      }
    }
  }

  /** The number of lines (a trailing newline does not open a new line). */
  get lineCount(): number {
    const last = this.starts[this.starts.length - 1] ?? 0;
    return last === this.text.length && this.starts.length > 1 ? this.starts.length - 1 : this.starts.length;
  }

  positionAt(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }

  offsetAt(position: Position): number {
    const start = this.starts[Math.min(Math.max(position.line - 1, 0), this.starts.length - 1)] ?? 0;
    return Math.min(start + position.column - 1, this.text.length);
  }

  /** The text of one line without its line ending (CR or LF). */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) {
      return '';
    }
    const next = this.starts[line] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$/, '');
  }
}
