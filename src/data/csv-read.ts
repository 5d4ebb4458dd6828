/**
 * Read a CSV file into a frame: UTF-8 in 4 MB blocks (csv-stream.ts), in two parts on two threads when the file is
 * large (csv-parallel.ts), or, when the file is not UTF-8 but is valid GB18030, decoded in memory first.
 */
import { fstatSync, openSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { NqpError } from '../errors';
import { fileSource, memorySource } from './byte-source';
import { readCsvParallel } from './csv-parallel';
import { NotUtf8, parse, toFrame } from './csv-stream';
import { decodeNonUtf8 } from './encoding';
import type { BuildOptions, Frame } from './frame';

/** Files up to this size may be decoded from GB18030 (in memory). */
const MAX_DECODE = 1 << 30;
/** Files from this size are read in two parts on two threads (when the machine has two cores). */
export const PARALLEL_MIN_BYTES = 32 << 20;

/** Read a CSV file into a frame. */
export function readCsvFrame(path: string, where: string, delimiter: string, options: BuildOptions = {}): Frame {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new NqpError('BAD_OPTION', 'delimiter', `The delimiter must be one character (not a quote or newline).`);
  }
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const src = fileSource(fd);
  try {
    if (size >= PARALLEL_MIN_BYTES && availableParallelism() >= 2) {
      const frame = readCsvParallel(path, fd, size, where, delimiter, options);
      if (frame) return frame;
    }
    return toFrame(parse(src, where, delimiter, options, 'utf-8', size), where, 'utf-8');
  } catch (e) {
    if (!(e instanceof NotUtf8)) throw e;
    if (size > MAX_DECODE) {
      throw new NqpError(
        'BAD_ENCODING',
        where,
        `${where} is not UTF-8, and at ${(size / 2 ** 30).toFixed(1)} GB it is too large to decode otherwise. Save ` +
          'it as UTF-8.',
      );
    }
    const bytes = new Uint8Array(size);
    src.rewind();
    let got = 0;
    while (got < size) {
      const k = src.read(bytes, got, size - got);
      if (k === 0) break;
      got += k;
    }
    const utf8 = decodeNonUtf8(bytes, where);
    return toFrame(parse(memorySource(utf8), where, delimiter, options, 'gb18030', utf8.length), where, 'gb18030');
  } finally {
    src.close();
  }
}
