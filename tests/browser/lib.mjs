// Shared pieces of the browser tests: start and stop `wijkbeeld serve` on a port of its own
// choosing, and the options that launch Debian's chromium with nothing leaving the machine.
import { spawn } from 'node:child_process';

// Start `WB_BIN [pre...] --db DB serve --port 0 --web WB_WEB [extra...] --threads 2` and
// resolve with { srv, url, stderr() } once it prints its URL (15 s at most).
export function startServer(env, db, { pre = [], extra = [] } = {}) {
  return new Promise((resolve, reject) => {
    const srv = spawn(env.WB_BIN, [...pre, '--db', db, 'serve', '--port', '0', '--web', env.WB_WEB, ...extra,
      '--threads', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => reject(new Error('serve printed no URL in 15 s: ' + err)), 15000);
    srv.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve({ srv, url: m[0], stderr: () => err }); }
    });
    srv.stderr.on('data', (d) => { err += d; });
    srv.on('exit', (code) => { clearTimeout(timer); reject(new Error('serve exited with ' + code + ': ' + err)); });
  });
}

// SIGTERM the server and check (through the caller's check) that it exits 0 within 10 s.
export async function stopServer(s, check) {
  s.srv.removeAllListeners('exit');
  const done = new Promise((resolve) => s.srv.on('exit', (code, sig) => resolve({ code, sig })));
  s.srv.kill('SIGTERM');
  const r = await Promise.race([done, new Promise((resolve) => setTimeout(() => resolve(null), 10000))]);
  check(r && r.code === 0, 'serve did not exit 0 after SIGTERM: ' + JSON.stringify(r) + ' ' + s.stderr().slice(-2000));
}

// Options for chromium.launchPersistentContext: Debian's chromium, headless, no background
// networking (the machine has no internet), the given viewport.
export function chromiumOptions(env, viewport) {
  return {
    executablePath: env.WB_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
    timeout: 60000,
  };
}
