/**
 * Read a CSV file into a frame: UTF-8 in 4 MB blocks (csv-stream.ts), in two parts on two threads when the file is
 * large (csv-parallel.ts), or, when the file is not UTF-8 but is valid GB18030, decoded in memory first. An Excel
 * `sep=;` first line sets the delimiter (noted in the frame); bytes already read from a pipe are parsed in memory.
 */
import { fstatSync, openSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { NqpError } from '../errors';
import { fileSource, memorySource, type Source } from './byte-source';
import { sepLine } from './csv-header';
import { readCsvParallel } from './csv-parallel';
import { NotUtf8, parse, toFrame } from './csv-stream';
import { decodeNonUtf8 } from './encoding';
import type { BuildOptions, Frame } from './frame';

/** Files up to this size may be decoded from GB18030 (in memory). */
const MAX_DECODE = 1 << 30;
/** Files from this size are read in two parts on two threads (when the machine has two cores). */
export const PARALLEL_MIN_BYTES = 32 << 20;

/**
 * Read a CSV file (or `data`, its bytes already read from a pipe) into a frame. `delimiter` undefined means ',' or
 * what a `sep=` first line declares; a given delimiter that the line contradicts is an error.
 */
export function readCsvFrame(
  path: string,
  where: string,
  delimiter: string | undefined,
  options: BuildOptions = {},
  data?: Uint8Array,
): Frame {
  const fd = data ? -1 : openSync(path, 'r');
  const total = data ? data.length : fstatSync(fd).size;
  let src: Source = data ? memorySource(data) : fileSource(fd);
  try {
    const head = new Uint8Array(Math.min(total, 16));
    src.read(head, 0, head.length);
    const sep = sepLine(head);
    const delim = chooseDelimiter(delimiter, sep?.delimiter, where);
    const skip = sep?.bytes ?? 0;
    src = data ? memorySource(data.subarray(skip)) : fileSource(fd, skip);
    const size = total - skip;
    const opts: BuildOptions = { ...options, decimalComma: delim === ';', firstLine: sep ? 2 : 1 };
    const note = (f: Frame) => {
      if (sep) f.notes = [`the first line "sep=${delim}" set the delimiter to "${delim}"`, ...(f.notes ?? [])];
      return f;
    };
    try {
      if (!data && !sep && size >= PARALLEL_MIN_BYTES && availableParallelism() >= 2) {
        const frame = readCsvParallel(path, fd, size, where, delim, opts);
        if (frame) return frame;
      }
      return note(toFrame(parse(src, where, delim, opts, 'utf-8', size), where, 'utf-8'));
    } catch (e) {
      if (!(e instanceof NotUtf8)) throw e;
    }
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
    return note(toFrame(parse(memorySource(utf8), where, delim, opts, 'gb18030', utf8.length), where, 'gb18030'));
  } finally {
    src.close();
  }
}

function chooseDelimiter(given: string | undefined, declared: string | undefined, where: string): string {
  if (given !== undefined && declared !== undefined && given !== declared) {
    throw new NqpError(
      'BAD_DELIMITER',
      `${where}, line 1`,
      `${where}: its first line "sep=${declared}" declares "${declared}" as the delimiter, but "${given}" was given. ` +
        'Give the same one, or none.',
    );
  }
  const d = given ?? declared ?? ',';
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new NqpError('BAD_DELIMITER', 'delimiter', `The delimiter must be one character (not a quote or newline).`);
  }
  return d;
}
