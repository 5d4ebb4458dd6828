/**
 * A table's column values for reading. arquero's Table.array() copies a column cell by cell into a new plain array
 * on every call (boxing each number); the study pipeline reads some 150 columns of 2,760 rows that way per call.
 * An unfiltered, unordered table's own column array holds the same values in the same order, so it is used directly.
 * Callers must not write into the result (copy first, as clean.ts does).
 */
import type { Table } from './table';

interface Direct {
  isFiltered(): boolean;
  isOrdered(): boolean;
  column(name: string): unknown;
}

/** The values of column `name` in table order, without a copy where the table allows it. */
export function tableColumn(data: Table, name: string): ArrayLike<unknown> {
  const t = data as unknown as Direct;
  if (!t.isFiltered() && !t.isOrdered()) {
    const c = t.column(name);
    if (Array.isArray(c) || (ArrayBuffer.isView(c) && !(c instanceof DataView))) {
      if ((c as ArrayLike<unknown>).length === data.numRows()) return c as ArrayLike<unknown>;
    }
  }
  return data.array(name);
}
