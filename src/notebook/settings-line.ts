/** The one writer of a notebook's settings lines (`nqp reproduce --data`, `--lang`, and the teacher kit). */
import { NqpError } from '../errors';
import { cellSource, type Notebook } from './html';

/**
 * Rewrite one settings line of a notebook (`const DATA …`, `const LANG …`), as a reader would edit it; a notebook
 * without that line is refused, naming the line and the flag that needed it.
 */
export function setSettingLine(nb: Notebook, name: string, pattern: RegExp, line: string, flag: string): void {
  const cell = nb.cells.find((c) => c.cell_type === 'code' && pattern.test(cellSource(c)));
  const setting = line.replace(/ = .*$/, ' = ...;');
  if (!cell) {
    throw new NqpError(
      'NOTEBOOK_FAILED',
      name,
      `Notebook ${name} has no settings line "${setting}", so ${flag} cannot be applied. Restore the settings ` +
        `cell, or set ${setting.split(' ')[1].replace(':', '')} in the notebook yourself.`,
    );
  }
  cell.source = cellSource(cell)
    .replace(pattern, line)
    .split(/(?<=\n)/);
}
