import { NqpError } from '../errors';
export async function cmdFit(_flags: Map<string, string | true>): Promise<number> {
  throw new NqpError('BAD_OPTION', 'fit', 'not yet');
}
