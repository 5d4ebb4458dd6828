/** Bytes from a file descriptor or from memory, read block by block (the CSV reader's input). */
import { closeSync, readSync } from 'node:fs';

export interface Source {
  /** Fill `buf` from `offset`; returns the bytes read (0 at the end). */
  read(buf: Uint8Array, offset: number, length: number): number;
  rewind(): void;
  close(): void;
}

/** A file from byte `start` (after an Excel `sep=` line) to its end. */
export function fileSource(fd: number, start = 0): Source {
  let pos = start;
  return {
    read(buf, offset, length) {
      const got = readSync(fd, buf, offset, length, pos);
      pos += got;
      return got;
    },
    rewind() {
      pos = start;
    },
    close() {
      closeSync(fd);
    },
  };
}

/** The bytes [start, end) of a file (a part read by one thread). */
export function rangeSource(fd: number, start: number, end: number): Source {
  let pos = start;
  return {
    read(buf, offset, length) {
      const got = readSync(fd, buf, offset, Math.min(length, end - pos), pos);
      pos += got;
      return got;
    },
    rewind() {
      pos = start;
    },
    close() {
      closeSync(fd);
    },
  };
}

export function memorySource(data: Uint8Array): Source {
  let pos = 0;
  return {
    read(buf, offset, length) {
      const got = Math.min(length, data.length - pos);
      buf.set(data.subarray(pos, pos + got), offset);
      pos += got;
      return got;
    },
    rewind() {
      pos = 0;
    },
    close() {},
  };
}
