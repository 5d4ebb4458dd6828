/**
 * Writes data/cities.csv from data/src/candidates.csv (prefecture-level cities with codes, names, coordinates)
 * by adding the classifications below and applying the sample rule documented in data/README.md.
 * Run: npx tsx scripts/build-cities.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

// Resource-based prefecture-level cities by type, as classified in the State Council's
// National Plan for the Sustainable Development of Resource-based Cities (2013-2020), Guofa [2013] No. 45, annex.
const RESOURCE: Record<string, string> = {
  growing: '朔州 呼伦贝尔 鄂尔多斯 松原 贺州 南充 六盘水 毕节 延安 咸阳 榆林 武威 庆阳 陇南 昭通',
  mature:
    '张家口 承德 邢台 邯郸 大同 阳泉 长治 晋城 忻州 晋中 临汾 运城 吕梁 赤峰 本溪 吉林 黑河 大庆 鸡西 牡丹江 湖州 宿州 亳州 淮南 滁州 池州 宣城 南平 三明 龙岩 赣州 宜春 东营 济宁 泰安 ' +
    '三门峡 鹤壁 平顶山 鄂州 衡阳 郴州 邵阳 娄底 云浮 百色 河池 广元 广安 自贡 攀枝花 达州 雅安 安顺 曲靖 保山 普洱 临沧 渭南 宝鸡 金昌 平凉 克拉玛依',
  declining:
    '乌海 阜新 抚顺 辽源 白山 伊春 鹤岗 双鸭山 七台河 淮北 铜陵 景德镇 新余 萍乡 枣庄 焦作 濮阳 黄石 韶关 泸州 铜川 白银 石嘴山',
  regenerating: '唐山 包头 鞍山 盘锦 葫芦岛 通化 徐州 宿迁 马鞍山 淄博 临沂 洛阳 南阳 丽江 张掖',
};
const SUB_PROVINCIAL = '广州 深圳 南京 杭州 济南 青岛 武汉 成都 西安 沈阳 大连 长春 哈尔滨 宁波 厦门'.split(' ');
const CAPITALS =
  '石家庄 太原 呼和浩特 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 济南 郑州 武汉 长沙 广州 南宁 海口 成都 贵阳 昆明 拉萨 西安 兰州 西宁 银川 乌鲁木齐'.split(
    ' ',
  );
const MUNICIPALITIES = ['北京', '天津', '上海', '重庆'];
const REGION: Record<string, string> = {
  北京: 'east',
  天津: 'east',
  河北: 'east',
  上海: 'east',
  江苏: 'east',
  浙江: 'east',
  福建: 'east',
  山东: 'east',
  广东: 'east',
  海南: 'east',
  山西: 'central',
  安徽: 'central',
  江西: 'central',
  河南: 'central',
  湖北: 'central',
  湖南: 'central',
  内蒙古: 'west',
  广西: 'west',
  重庆: 'west',
  四川: 'west',
  贵州: 'west',
  云南: 'west',
  西藏: 'west',
  陕西: 'west',
  甘肃: 'west',
  青海: 'west',
  宁夏: 'west',
  新疆: 'west',
  辽宁: 'northeast',
  吉林: 'northeast',
  黑龙江: 'northeast',
};
// Not in the sample: Bijie and Tongren became prefecture-level cities only in 2011 (no 2010 city series);
// the rest are smaller prefecture-level cities left out to reach the paper's 230 (see data/README.md).
export const EXCLUDED = (
  '毕节 铜仁 嘉峪关 金昌 武威 张掖 平凉 酒泉 庆阳 定西 陇南 吴忠 固原 中卫 克拉玛依 保山 昭通 丽江 普洱 临沧 ' +
  '巴中 资阳 雅安 眉山 来宾 崇左 贺州 河池 防城港 商洛 安康 乌兰察布 巴彦淖尔 呼伦贝尔 黑河 绥化 七台河 白城 三亚 ' +
  '随州 张家界 汕尾 潮州 鹰潭 黄山 舟山 河源 梅州 揭阳 贵港 钦州 北海 丽水 衢州 朝阳 铁岭 四平'
).split(' ');

const resourceType = new Map<string, string>();
for (const [t, names] of Object.entries(RESOURCE)) for (const n of names.split(' ')) resourceType.set(n, t);

const lines = readFileSync(join(root, 'data/src/candidates.csv'), 'utf8').trim().split('\n');
const header = lines[0].split(',');
const out = ['city_code,name_zh,name_en,province_zh,province,region,admin_level,resource_type,resource_based,lat,lon'];
for (const line of lines.slice(1)) {
  const f = Object.fromEntries(line.split(',').map((v, i) => [header[i], v]));
  if (EXCLUDED.includes(f.name_zh)) continue;
  const level = MUNICIPALITIES.includes(f.name_zh)
    ? 'municipality'
    : SUB_PROVINCIAL.includes(f.name_zh)
      ? 'sub-provincial city'
      : CAPITALS.includes(f.name_zh)
        ? 'provincial capital'
        : 'prefecture-level city';
  const rt = resourceType.get(f.name_zh) ?? 'non-resource';
  const en = f.name_en.includes(',') ? `"${f.name_en}"` : f.name_en;
  out.push(
    [
      f.code,
      f.name_zh,
      en,
      f.province_zh,
      f.province,
      REGION[f.province_zh],
      level,
      rt,
      rt === 'non-resource' ? 0 : 1,
      f.lat,
      f.lon,
    ].join(','),
  );
}
writeFileSync(join(root, 'data/cities.csv'), out.join('\n') + '\n');
console.log(`data/cities.csv: ${out.length - 1} cities`);
