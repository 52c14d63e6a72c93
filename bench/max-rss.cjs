// Preloaded (node --require) into a measured child: at exit it writes its own
// peak resident set (process.resourceUsage().maxRSS, in KB) to MAX_RSS_FILE,
// so the benches need no GNU time on the machine.
'use strict';
process.on('exit', () => {
  if (process.env.MAX_RSS_FILE) require('node:fs').writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS));
});
