import { describe, expect, it } from 'vitest';
import { TarFormatError, TarParser, type TarHeader } from '../../src/image/tar-parser.js';
import { tarOf, ustarHeader } from './archives.js';

function parse(data: Buffer, chunk = 100): { headers: TarHeader[]; bodies: Map<string, string> } {
  const headers: TarHeader[] = [];
  const bodies = new Map<string, string>();
  const parser = new TarParser((header) => {
    headers.push(header);
    const parts: Buffer[] = [];
    return { data: (part) => parts.push(Buffer.from(part)), end: () => bodies.set(header.name, Buffer.concat(parts).toString()) };
  });
  for (let offset = 0; offset < data.length; offset += chunk) {
    parser.write(data.subarray(offset, offset + chunk));
  }
  parser.finish();
  return { headers, bodies };
}

describe('layer tar parser', () => {
  it('reads long names and link targets through pax headers, in any chunking', async () => {
    const deep = `${'d'.repeat(120)}/${'e'.repeat(120)}/file-${'f'.repeat(150)}`;
    const data = await tarOf([
      { path: deep, content: 'hello' },
      { path: 'short', type: 'symlink', linkname: `/${'t'.repeat(200)}` },
      { path: 'dir/', type: 'directory' },
    ]);
    for (const chunk of [1, 7, 512, 100_000]) {
      const { headers, bodies } = parse(data, chunk);
      expect(headers.map((header) => [header.name, header.type, header.size])).toEqual([[deep, '0', 5], ['short', '2', 0], ['dir/', '5', 0]]);
      expect(headers[1]?.linkname).toBe(`/${'t'.repeat(200)}`);
      expect(bodies.get(deep)).toBe('hello');
    }
  });

  it('reads GNU long names and base-256 sizes', () => {
    const longName = `${'g'.repeat(180)}/name`;
    const body = Buffer.from(`${longName}\0`);
    const data = Buffer.concat([ustarHeader('././@LongLink', body.length, 'L'), body, Buffer.alloc(512 - body.length), ustarHeader('ignored', 3), Buffer.from('abc'), Buffer.alloc(509), Buffer.alloc(1024)]);
    expect(parse(data).headers).toEqual([{ name: longName, size: 3, type: '0', linkname: '' }]);
    const big = ustarHeader('big', 2 ** 40);
    const headers: TarHeader[] = [];
    new TarParser((header) => {
      headers.push(header);
      return null;
    }).write(big);
    expect(headers[0]?.size).toBe(2 ** 40);
  });

  it('refuses a corrupt header and a stream that stops inside a member', () => {
    const header = ustarHeader('x', 10);
    header[0] = 0x79;
    expect(() => parse(Buffer.concat([header, Buffer.alloc(512)]))).toThrow(TarFormatError);
    expect(() => parse(Buffer.concat([ustarHeader('x', 1000), Buffer.alloc(100)]))).toThrow(/truncated/);
  });
});
