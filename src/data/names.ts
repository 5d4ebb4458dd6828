/** Column names, for every format: each present and distinct, checked in linear time. */
import { NqpError } from '../errors';

/** `place(c)` says where column c's name is ("column 3", "cell C1"). */
export function checkNames(names: string[], where: string, place: (c: number) => string): void {
  const seen = new Map<string, number>();
  for (let c = 0; c < names.length; c++) {
    const nm = names[c];
    if (nm === '') {
      throw new NqpError(
        'BAD_FILE',
        `${where}, ${place(c)}`,
        `${where}: ${place(c)} has no name. Every column needs one.`,
      );
    }
    const prev = seen.get(nm);
    if (prev !== undefined) {
      throw new NqpError(
        'BAD_FILE',
        `${where}, column "${nm}"`,
        `${where}: column "${nm}" appears twice in the header (${place(prev)} and ${place(c)}). Rename or drop one.`,
      );
    }
    seen.set(nm, c);
  }
}
