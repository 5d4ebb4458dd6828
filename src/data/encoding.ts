/**
 * Text that is not UTF-8: decoded as GB18030 (a superset of GBK and GB2312, the encodings of Chinese yearbook
 * exports). The encoding is decided for the whole file, not line by line: the GBK bytes of some names are also
 * valid UTF-8 (太原 is CC AB D4 AD, two Latin/Cyrillic letters in UTF-8), so one such line in a GBK export proves
 * nothing. A file mixes encodings only when one line cannot be GBK and another cannot be UTF-8 (see mixedEncoding).
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
 * Called for a file that is not UTF-8 as a whole. One of its UTF-8 lines "cannot be GBK" when its GBK reading is
 * invalid or needs characters outside GB2312 (UTF-8 Chinese read as GBK pairs bytes like
 * E5 8C or 97 E4, none of them GB2312; yearbook names in GBK are GB2312). With such a line and a line that is not
 * UTF-8, no single decoding reads both: the file is refused, naming one line of each.
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
      if (!isUtf8(seg)) otherLine ||= line;
      else if (!utf8Line && !gb2312Only(seg)) utf8Line = line;
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

/** Every double-byte character of the bytes read as GBK lies in GB2312 (both bytes A1–FE, lead up to F7). */
function gb2312Only(seg: Uint8Array): boolean {
  for (let i = 0; i < seg.length; i++) {
    const b = seg[i];
    if (b < 0x80) continue;
    const t = seg[i + 1];
    if (b < 0xa1 || b > 0xf7 || t === undefined || t < 0xa1 || t > 0xfe) return false;
    i++;
  }
  return true;
}
