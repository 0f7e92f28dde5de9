// `npm run lint:firefox` (and the last step of `npm run zip`): see scripts/firefox-lint.ts.
import { checkFirefoxLint } from './firefox-lint';

const { report, unexplained } = await checkFirefoxLint();
for (const m of report.errors) console.error(`error   ${m.code} ${m.file ?? ''}: ${m.message}`);
for (const m of report.warnings) console.log(`warning ${m.code} ${m.file ?? ''}: ${m.message}${unexplained.includes(m) ? '  (NOT EXPLAINED in store-assets/firefox-lint.md)' : ''}`);
console.log(`web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings (${unexplained.length} unexplained), ${report.notices.length} notices`);
if (report.errors.length > 0 || unexplained.length > 0) process.exit(1);
