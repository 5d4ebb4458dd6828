import { test } from 'node:test';
import assert from 'node:assert/strict';
import { densityByGroup, linesByGroup, shareBars, weightBars } from '../../src/charts';

// A category keeps its colour in every language: the colour domain lists categories in the order of their raw
// values, shown by their display names, so position k (colour k) is the same category in English and Chinese.
const ZH: Record<string, string> = { east: '东部', central: '中部', west: '西部', northeast: '东北' };
const EN: Record<string, string> = { east: 'East', central: 'Central', west: 'West', northeast: 'Northeast' };
const regions = ['west', 'east', 'northeast', 'central'];
const data = {
  year: regions.flatMap(() => [2010, 2011]),
  region: regions.flatMap((r) => [r, r]),
  v: regions.flatMap((_, i) => [i, i + 1]),
};
const cols = { array: (n: string) => data[n as keyof typeof data], columnNames: () => Object.keys(data) };
const domain = (s: Record<string, unknown>) =>
  ((s.encoding as { color: { scale: { domain: string[] } } }).color.scale.domain as string[]) ?? [];

test('colour domains follow the raw categories, not the translated names', () => {
  const key = (labels: Record<string, string>) => (d: string[]) =>
    d.map((x) => Object.keys(labels).find((k) => labels[k] === x));
  for (const make of [
    (labels: Record<string, string>) => linesByGroup(cols, { y: 'v', group: 'region', labels }),
    (labels: Record<string, string>) => densityByGroup(cols, { value: 'v', by: 'region', labels }),
  ]) {
    const en = key(EN)(domain(make(EN)));
    const zh = key(ZH)(domain(make(ZH)));
    assert.deepEqual(en, ['central', 'east', 'northeast', 'west']);
    assert.deepEqual(zh, en);
  }
  const dims = ['objects', 'labourers', 'means'];
  const L = { labourers: '劳动者', means: '劳动资料', objects: '劳动对象' };
  const w = weightBars(
    dims.map((d, i) => ({ label: `x${i}`, dimension: d, weight: 0.3 })),
    { labels: L },
  );
  assert.deepEqual(domain(w), ['劳动者', '劳动资料', '劳动对象']);
  const s = shareBars(
    dims.map((d) => ({ year: 2010, dimension: d, share: 0.3 })),
    { labels: L },
  );
  assert.deepEqual(domain(s), ['劳动者', '劳动资料', '劳动对象']);
});
