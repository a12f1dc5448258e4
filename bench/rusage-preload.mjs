// Loaded with `node --import` only when /usr/bin/time is missing: writes this process's CPU time and
// peak memory to BENCH_RUSAGE_FILE when it exits, so the benchmark can still report them for node.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    const r = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userS: r.userCPUTime / 1e6, sysS: r.systemCPUTime / 1e6, maxRssKiB: r.maxRSS }));
  });
}
