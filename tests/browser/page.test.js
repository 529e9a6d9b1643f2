// page.test.js - the web page in Debian's chromium (playwright-core, no
// browser download): enter the key, screen a name, open an explanation,
// decide a deal, open a diff and the decision log with a proof, at 1280 px
// and 390 px; screenshots into $OUT. Run by run.sh.
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');
const fs = require('fs');

const { BASE, KEY, OUT, CHROMIUM, PROFILE } = process.env;
let checks = 0;
function check(cond, msg) { checks++; if (!cond) throw new Error('FAIL: ' + msg); }

async function run(width, height, tag) {
  const dir = `${PROFILE}-${tag}`;
  fs.rmSync(dir, { recursive: true, force: true });
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, viewport: { width, height },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name) => page.screenshot({ path: path.join(OUT, `${tag}-${name}.png`), fullPage: true });
  try {
    await page.goto(BASE + '/');
    // The key, once per browser session.
    await page.waitForSelector('#key-dialog[open]');
    await page.fill('#key-input', KEY);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('who').textContent.includes('browser'));
    check(!(await page.isVisible('#key-dialog[open]')), 'the key dialog closes');
    problems.length = 0; // the first, keyless call was refused (401), as it should be

    // Screen a name and open its explanation, by keyboard.
    await page.fill('#s-name', 'NSO Group');
    await page.press('#s-name', 'Enter');
    await page.waitForSelector('#hits tbody tr');
    const first = await page.textContent('#hits tbody tr:first-child');
    check(first.includes('NSO Group') && first.includes('1.000'), 'NSO Group ranks first: ' + first);
    await page.focus('#hits tbody tr:first-child');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#explain-out table.tokens');
    const expl = await page.textContent('#explain-out');
    check(expl.includes('nso') && expl.includes('86 FR 60760') && expl.includes('Presumption of denial'), 'the explanation');
    await shot('screen');

    // Decide the deal of the form (NSO Group on 2021-11-04).
    await page.click('#tab-decide');
    await page.click('#d-go');
    await page.waitForSelector('#decision-outcome');
    check((await page.textContent('#decision-outcome')).trim() === 'deny', 'the decision is deny');
    const reasons = await page.textContent('#deal-out');
    check(reasons.includes('NSO Group') && reasons.includes('Cites'), 'the reasons are cited');
    await shot('deal');

    // List versions and a diff.
    await page.click('#tab-lists');
    await page.waitForSelector('#lists-out table');
    await page.selectOption('#f-source', 'us-ofac-sdn');
    await page.click('#f-go');
    await page.waitForSelector('#diff-summary');
    check((await page.textContent('#diff-summary')).includes('6870 added, 881 removed, 749 changed'), 'the SDN diff');
    await shot('diff');

    // Country lists on a date.
    await page.click('#tab-countries');
    await page.waitForFunction(() => document.getElementById('c-list').options.length > 0);
    await page.selectOption('#c-list', 'il-cyber-exempt');
    await page.fill('#c-asof', '2021-12-01');
    await page.click('#c-go');
    await page.waitForSelector('#c-out .chip');
    check((await page.textContent('#c-out')).includes('37 in'), 'the 37 countries');

    // The log: verify, then a proof of a record.
    await page.click('#tab-log');
    await page.waitForSelector('#log-out table tbody tr');
    await page.click('#log-verify');
    await page.waitForSelector('#verify-status');
    check((await page.getAttribute('#verify-status', 'class')) === 'ok', 'the log verifies');
    await page.click('#log-out tbody tr:first-child button');
    await page.waitForSelector('#proof');
    check((await page.textContent('#proof')).includes('Inclusion proof'), 'the proof');
    await shot('log');

    // Nothing wider than the window.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `no horizontal scroll at ${width} px (overflow ${overflow})`);
    check(problems.length === 0, 'no console errors (CSP included): ' + problems.join(' | '));
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  await run(1280, 900, 'w1280');
  await run(390, 844, 'w390');
  console.log(`browser: ${checks} checks passed at 1280 px and 390 px; screenshots in ${OUT}`);
})().catch((e) => { console.error(e.message || e); process.exit(1); });
