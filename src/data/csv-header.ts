/** The CSV reader's small parts: the header check and the growth of its per-row field bounds. */
import { NqpError } from '../errors';
import { checkNames } from './names';

export function growBounds(
  starts: Int32Array,
  ends: Int32Array,
  quoted: Uint8Array,
): [Int32Array, Int32Array, Uint8Array] {
  const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const b = make(a.length * 2);
    b.set(a);
    return b;
  };
  return [
    grow(starts, (n) => new Int32Array(n)),
    grow(ends, (n) => new Int32Array(n)),
    grow(quoted, (n) => new Uint8Array(n)),
  ];
}

/** The header: names present, distinct (checked in linear time), and the delimiter plausible. */
export function checkHeader(names: string[], where: string, delimiter: string): void {
  if (names.length === 1) {
    for (const [d, label] of [
      [';', 'semicolons'],
      ['\t', 'tabs'],
      ['|', 'vertical bars'],
      [',', 'commas'],
    ] as const) {
      if (d !== delimiter && names[0].includes(d)) {
        throw new NqpError(
          'BAD_DELIMITER',
          `${where}, line 1`,
          `${where} looks separated by ${label}, not "${delimiter === '\t' ? '\\t' : delimiter}": its header is ` +
            `one column "${names[0].slice(0, 60)}". Save it as comma-separated, or give the delimiter ` +
            (d === '\t' ? "(nqp fit: --delimiter tab; in code: { delimiter: '\\t' })." : `(--delimiter '${d}').`),
        );
      }
    }
  }
  checkNames(names, where, (c) => `column ${c + 1}`);
}
