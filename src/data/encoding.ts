/**
 * Text that is not UTF-8: decoded as GB18030 (a superset of GBK and GB2312, the encodings of Chinese yearbook
 * exports) when every byte is valid GB18030 and the file does not mix encodings; refused otherwise.
 */
import { isUtf8 } from 'node:buffer';
import { NqpError } from '../errors';

/** The UTF-8 bytes of a GB18030 file, or an error naming the problem. */
export function decodeNonUtf8(bytes: Uint8Array, where: string): Buffer {
  mixedEncoding(bytes, where);
  let text: string;
  try {
    text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
  } catch {
    throw new NqpError(
      'BAD_ENCODING',
      where,
      `${where} is neither UTF-8 nor GB18030/GBK text. Save it as UTF-8 (in Excel: "CSV UTF-8").`,
    );
  }
  return Buffer.from(text, 'utf8');
}

/**
 * A file some of whose lines are UTF-8 with non-ASCII text and others not UTF-8 mixes two encodings (a GBK
 * extract pasted into a UTF-8 file): no single decoding reads both, so it is refused, naming one line of each.
 */
function mixedEncoding(bytes: Uint8Array, where: string): void {
  let utf8Line = 0;
  let otherLine = 0;
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length && !(utf8Line && otherLine); i++) {
    if (i < bytes.length && bytes[i] !== 10) continue;
    const seg = bytes.subarray(start, i);
    if (seg.some((b) => b >= 0x80)) {
      if (isUtf8(seg)) utf8Line ||= line;
      else otherLine ||= line;
    }
    line++;
    start = i + 1;
  }
  if (utf8Line && otherLine) {
    throw new NqpError(
      'BAD_ENCODING',
      `${where}, lines ${utf8Line} and ${otherLine}`,
      `${where} mixes encodings: line ${utf8Line} is UTF-8 but line ${otherLine} is not (GBK?). Save the whole file ` +
        'in one encoding, preferably UTF-8.',
    );
  }
}
