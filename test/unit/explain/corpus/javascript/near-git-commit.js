// expect: none
const { execFileSync } = require('node:child_process');

function release(version) {
  execFileSync('git', ['commit', '-am', `release ${version}`]);
  repo.commit(`bump to ${version}`);
  execFileSync('git', ['tag', `v${version}`]);
}
