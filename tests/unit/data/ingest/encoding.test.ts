import { describe, expect, it } from 'vitest';
import { decodeBytes, detectEncoding } from '../../../../src/data/ingest/encoding.ts';
import { IngestError } from '../../../../src/data/ingest/errors.ts';
import { fixtureBytes, utf8 } from './fixtures.ts';

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(2 * i, text.charCodeAt(i), littleEndian);
  return bytes;
}

describe('detectEncoding', () => {
  it('trusts a byte-order mark', () => {
    expect(detectEncoding(utf8('\uFEFFtext\n'))).toEqual({ name: 'utf-8', evidence: 'byte-order-mark' });
    expect(detectEncoding(fixtureBytes('utf16le-excel.txt'))).toEqual({
      name: 'utf-16le',
      evidence: 'byte-order-mark',
    });
    expect(detectEncoding(utf16('\uFEFFtext,label\n', false)).name).toBe('utf-16be');
  });

  it('recognises UTF-16 without a BOM by its zero bytes', () => {
    const text = 'text,label\nWhy did the chicken cross the road?,1\n';
    expect(detectEncoding(utf16(text, true))).toEqual({ name: 'utf-16le', evidence: 'utf-16-zero-bytes' });
    expect(detectEncoding(utf16(text, false))).toEqual({ name: 'utf-16be', evidence: 'utf-16-zero-bytes' });
  });

  it('takes valid UTF-8 as UTF-8, Chinese included', () => {
    expect(detectEncoding(utf8('内容,标签\n今天天气很好。,否\n'))).toEqual({
      name: 'utf-8',
      evidence: 'valid-utf-8',
    });
  });

  it('keeps UTF-8 when only a few bytes are damaged', () => {
    const good = utf8('内容,标签\n今天天气很好。,否\n我问同事为什么总是迟到,是\n');
    const damaged = new Uint8Array([...good, 0xff, 0x0a]);
    expect(detectEncoding(damaged)).toEqual({ name: 'utf-8', evidence: 'mostly-utf-8' });
  });

  it('tells GBK from Big5 by where their double-byte pairs fall', () => {
    expect(detectEncoding(fixtureBytes('gbk-zh.csv')).name).toBe('gb18030');
    expect(detectEncoding(fixtureBytes('big5-zh.csv')).name).toBe('big5');
  });

  it('falls back to Windows-1252 for Western single-byte text', () => {
    expect(detectEncoding(fixtureBytes('windows-1252.csv'))).toEqual({
      name: 'windows-1252',
      evidence: 'single-byte-fallback',
    });
  });
});

describe('decodeBytes', () => {
  it('strips the BOM and counts replaced bytes', () => {
    const decoded = decodeBytes(new Uint8Array([...utf8('\uFEFF你好,1\n好的,0\n今天,1\n'), 0xff]), undefined);
    expect(decoded.text.startsWith('你好')).toBe(true);
    expect(decoded.encoding).toEqual({ name: 'utf-8', evidence: 'byte-order-mark', replacementCount: 1 });
    expect(decoded.warnings.join(' ')).toContain('could not be decoded');
  });

  it('accepts a user choice that decodes cleanly and records it', () => {
    const decoded = decodeBytes(fixtureBytes('gbk-zh.csv'), 'gb18030');
    expect(decoded.encoding.evidence).toBe('chosen-by-user');
    expect(decoded.text.startsWith('内容,标签')).toBe(true);
  });

  it('warns when the user decodes valid UTF-8 as something else that still decodes', () => {
    const decoded = decodeBytes(utf8('text,label\nLe café est très bon,1\n'), 'gb18030');
    expect(decoded.text).not.toContain('café');
    expect(decoded.warnings[0]).toMatch(/valid UTF-8/);
  });

  it('refuses valid UTF-8 Chinese forced to GB18030 when it garbles', () => {
    expect(() => decodeBytes(utf8('内容,标签\n今天天气很好。,否\n'), 'gb18030')).toThrow(/looks like UTF-8/);
  });

  it('refuses UTF-16 read as a single-byte encoding', () => {
    expect(() => decodeBytes(fixtureBytes('utf16le-excel.txt'), 'utf-8')).toThrow(IngestError);
    expect(() => decodeBytes(fixtureBytes('utf16le-excel.txt'), 'windows-1252')).toThrow(/UTF-16 LE/);
  });
});

describe('damaged Chinese files', () => {
  it('keeps GB18030 for a GBK file with one broken byte, and flags the row', async () => {
    const { ingestFile } = await import('../../../../src/data/ingest/index.ts');
    const gbk = fixtureBytes('gbk-zh.csv');
    const damaged = new Uint8Array([...gbk.slice(0, -2), 0xff, 0x0d, 0x0a]);
    expect(detectEncoding(damaged)).toEqual({ name: 'gb18030', evidence: 'chinese-double-byte' });
    const result = await ingestFile(damaged);
    expect(result.encoding.replacementCount).toBe(1);
    expect(result.flagged.map((f) => [f.line, f.reasons[0]?.code])).toEqual([[5, 'undecodable-bytes']]);
  });
});
