/**
 * A push parser for the outer archive and the tar streams inside layers. tar-stream makes a
 * stream object and several callbacks per member, about 20 µs each: a layer of a million small
 * files then takes longer than reading its bytes. The analysis needs only each member's header
 * and, for a few members (JSON documents, layer blobs, package databases), its content, so this
 * parser walks 512-byte blocks in place, hands bodies on as views of the input chunk and skips
 * the rest by arithmetic. It reads ustar, pax (`x` records for path, linkpath and size; `g` is
 * ignored) and GNU long names (`L`, `K`), and base-256 sizes, which is what Docker, BuildKit,
 * containerd, skopeo and Go's archive/tar write. A sink gets views of the written chunk, valid
 * for as long as the writer does not reuse that memory (Node streams never do).
 */

/** A member header, after pax and GNU long-name overrides. */
export interface TarHeader {
  name: string;
  size: number;
  /** The typeflag character ('0' for a regular file, '5' a directory, '2' a symlink, '1' a hard link, ...). */
  type: string;
  linkname: string;
}

/** Receives the body of a member the entry callback asked for. */
export interface BodySink {
  data(chunk: Buffer): void;
  end(): void;
}

/** Meta bodies (pax records, long names) larger than this are refused. */
const MAX_META_BYTES = 1024 * 1024;

export class TarFormatError extends Error {}

export class TarParser {
  private readonly header = Buffer.alloc(512);
  private headerFill = 0;
  private remaining = 0;
  private padding = 0;
  private sink: BodySink | null = null;
  private meta: { kind: string; chunks: Buffer[]; length: number } | null = null;
  private paxPath: string | null = null;
  private paxLinkpath: string | null = null;
  private paxSize: number | null = null;
  private gnuName: string | null = null;
  private gnuLink: string | null = null;
  private viewOf: Buffer | null = null;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** `onEntry` returns a sink to receive the member's body, or null to skip it. */
  constructor(private readonly onEntry: (header: TarHeader) => BodySink | null) {}

  write(chunk: Buffer): void {
    let offset = 0;
    const length = chunk.length;
    while (offset < length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, length - offset);
        this.body(chunk.subarray(offset, offset + take));
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) {
          this.endBody();
        }
        continue;
      }
      if (this.padding > 0) {
        const take = Math.min(this.padding, length - offset);
        this.padding -= take;
        offset += take;
        continue;
      }
      if (this.headerFill === 0 && length - offset >= 512) {
        this.parseHeader(chunk, offset);
        offset += 512;
        continue;
      }
      const take = Math.min(512 - this.headerFill, length - offset);
      chunk.copy(this.header, this.headerFill, offset, offset + take);
      this.headerFill += take;
      offset += take;
      if (this.headerFill === 512) {
        this.headerFill = 0;
        this.parseHeader(this.header, 0);
      }
    }
  }

  /** Call at the end of input; throws when the input stopped inside a member. */
  finish(): void {
    if (this.remaining > 0 || this.headerFill > 0 || this.meta) {
      throw new TarFormatError('tar stream ended inside a member (truncated layer)');
    }
  }

  private body(part: Buffer): void {
    if (this.meta) {
      this.meta.chunks.push(Buffer.from(part));
      this.meta.length += part.length;
    } else if (this.sink) {
      this.sink.data(part);
    }
  }

  private endBody(): void {
    if (this.meta) {
      const meta = this.meta;
      this.meta = null;
      this.applyMeta(meta.kind, Buffer.concat(meta.chunks));
    } else if (this.sink) {
      const sink = this.sink;
      this.sink = null;
      sink.end();
    }
  }

  private parseHeader(block: Buffer, at: number): void {
    // Bytes are never negative, so a zero sum means a zero block: end of archive (or the padding after it).
    const sum = this.blockSum(block, at);
    if (sum === 0) {
      return;
    }
    // The checksum is computed with its own eight bytes taken as spaces.
    let checksum = sum + 8 * 32;
    for (let i = at + 148; i < at + 156; i += 1) {
      checksum -= block[i] as number;
    }
    const stored = parseOctal(block, at + 148, 8);
    if (stored !== checksum) {
      throw new TarFormatError(`invalid tar header checksum at member ${this.describe(block, at)}`);
    }
    const type = block[at + 156] === 0 ? '0' : String.fromCharCode(block[at + 156] ?? 48);
    let size = parseSize(block, at + 124);
    // 'ustar' at 257, compared on the bytes.
    const isUstar = block[at + 257] === 0x75 && block[at + 258] === 0x73 && block[at + 259] === 0x74 && block[at + 260] === 0x61 && block[at + 261] === 0x72;
    let name = cString(block, at, 100);
    if (isUstar) {
      const prefix = cString(block, at + 345, 155);
      if (prefix) {
        name = `${prefix}/${name}`;
      }
    }
    if (type === 'x' || type === 'L' || type === 'K' || type === 'g') {
      if (size > MAX_META_BYTES) {
        throw new TarFormatError(`tar ${type === 'x' || type === 'g' ? 'pax' : 'long-name'} record of ${size} bytes is too large`);
      }
      this.meta = { kind: type, chunks: [], length: 0 };
      this.startBody(size);
      return;
    }
    // The link name is decoded only for links, the only members whose link field means anything.
    const header: TarHeader = {
      name: this.paxPath ?? this.gnuName ?? name,
      size: this.paxSize ?? size,
      type,
      linkname: this.paxLinkpath ?? this.gnuLink ?? (type === '1' || type === '2' ? cString(block, at + 157, 100) : ''),
    };
    this.paxPath = null;
    this.paxLinkpath = null;
    this.paxSize = null;
    this.gnuName = null;
    this.gnuLink = null;
    size = header.size;
    // Only regular files carry a body; for the other types the size field is informational.
    const hasBody = type === '0' || type === '7' || type === 'S' || (size > 0 && type !== '1' && type !== '2' && type !== '5');
    this.sink = this.onEntry(header);
    this.startBody(hasBody ? size : 0);
  }

  /**
   * The sum of the 512 bytes at `at`, read four at a time through a DataView over the whole chunk
   * (made once per chunk) and added in two 16-bit lanes: three times faster than a byte loop,
   * and this sum is most of the cost of a header.
   */
  private blockSum(block: Buffer, at: number): number {
    if (this.viewOf !== block) {
      this.viewOf = block;
      this.view = new DataView(block.buffer, block.byteOffset, block.length);
    }
    const view = this.view;
    // Each lane gains at most 2 * 255 a step, 64 steps: no lane overflows 16 bits.
    let even = 0;
    let odd = 0;
    for (let i = at; i < at + 512; i += 8) {
      const first = view.getUint32(i, true);
      const second = view.getUint32(i + 4, true);
      even += (first & 0x00ff00ff) + (second & 0x00ff00ff);
      odd += ((first >>> 8) & 0x00ff00ff) + ((second >>> 8) & 0x00ff00ff);
    }
    const lanes = even + odd;
    return (lanes % 65536) + Math.floor(lanes / 65536);
  }

  private startBody(size: number): void {
    this.remaining = size;
    this.padding = (512 - (size % 512)) % 512;
    if (size === 0) {
      this.endBody();
    }
  }

  private applyMeta(kind: string, data: Buffer): void {
    if (kind === 'L') {
      this.gnuName = cString(data, 0, data.length);
      return;
    }
    if (kind === 'K') {
      this.gnuLink = cString(data, 0, data.length);
      return;
    }
    if (kind === 'g') {
      return;
    }
    // pax records: "<length> <key>=<value>\n", length counting the whole record.
    let offset = 0;
    while (offset < data.length) {
      const space = data.indexOf(0x20, offset);
      const recordLength = Number.parseInt(data.toString('latin1', offset, space), 10);
      if (space < 0 || !Number.isFinite(recordLength) || recordLength <= 0 || offset + recordLength > data.length) {
        throw new TarFormatError('malformed pax header');
      }
      const record = data.toString('utf8', space + 1, offset + recordLength - 1);
      const equals = record.indexOf('=');
      const key = record.slice(0, equals);
      const value = record.slice(equals + 1);
      if (key === 'path') {
        this.paxPath = value;
      } else if (key === 'linkpath') {
        this.paxLinkpath = value;
      } else if (key === 'size') {
        const parsed = Number(value);
        if (!Number.isSafeInteger(parsed) || parsed < 0) {
          throw new TarFormatError(`malformed pax size '${value}'`);
        }
        this.paxSize = parsed;
      }
      offset += recordLength;
    }
  }

  private describe(block: Buffer, at: number): string {
    return JSON.stringify(cString(block, at, 100).slice(0, 60));
  }
}

function cString(block: Buffer, at: number, length: number): string {
  let end = at;
  const limit = Math.min(at + length, block.length);
  while (end < limit && block[end] !== 0) {
    end += 1;
  }
  return block.toString('utf8', at, end);
}

function parseOctal(block: Buffer, at: number, length: number): number {
  let value = 0;
  let seen = false;
  for (let i = at; i < at + length; i += 1) {
    const byte = block[i] ?? 0;
    if (byte >= 48 && byte <= 55) {
      value = value * 8 + (byte - 48);
      seen = true;
    } else if (seen || (byte !== 32 && byte !== 0)) {
      break;
    }
  }
  return value;
}

/** The 12-byte size field: octal, or base-256 when the high bit of the first byte is set (GNU). */
function parseSize(block: Buffer, at: number): number {
  const first = block[at] ?? 0;
  if ((first & 0x80) === 0) {
    return parseOctal(block, at, 12);
  }
  let value = first & 0x7f;
  for (let i = at + 1; i < at + 12; i += 1) {
    value = value * 256 + (block[i] ?? 0);
  }
  return value;
}
