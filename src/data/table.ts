import type * as aq from 'arquero';

/** An arquero table: the interface at the edges of every layer. */
export type Table = ReturnType<typeof aq.table>;
