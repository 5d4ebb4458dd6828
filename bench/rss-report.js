// Preloaded into a child process by bench/run.ts (`node -r bench/rss-report.js …`): prints the process's peak
// resident memory on exit, so the command line is measured as users run it.
'use strict';
process.on('exit', () => {
  process.stderr.write(`\nNQP_PEAK_RSS_MB ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`);
});
