import { NqpError } from '../errors';
export async function cmdData(_flags: Map<string, string | true>): Promise<number> {
  throw new NqpError('BAD_OPTION', 'data', 'not yet');
}
