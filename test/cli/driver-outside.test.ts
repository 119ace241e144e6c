/** `--driver FILE` with a driver written outside this package, and drivers that do not come up as eth0. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadDriver, main } from '../../src/cli/main.js';
import { nicRig, RigBindError } from '../../src/testing/nic-rig.js';
import type { PlatformDriver } from '../../src/kernel/driver/platform-device.js';

const dir = mkdtempSync(join(tmpdir(), 'driverlab-drivers-'));
function driverFile(name: string, body: string): string {
  const f = join(dir, name);
  writeFileSync(f, body);
  return f;
}
const toy = (name: string, probe: string, compatible = 'gianfar') => `{ probe: ${probe}, driver: { name: '${name}', of_match_table: [{ compatible: '${compatible}' }] } }`;

describe('a driver module outside the package (no "type": "module" around it)', () => {
  it('loads as .mts, by a `driver` export, a default export, or its one platform_driver', async () => {
    expect((await loadDriver(driverFile('named.mts', `export const driver = ${toy('named', '() => 0')};\n`))).driver.name).toBe('named');
    expect((await loadDriver(driverFile('default.mts', `const d = ${toy('dflt', '() => 0')};\nexport default d;\n`))).driver.name).toBe('dflt');
    expect((await loadDriver(driverFile('own-name.mts', `export const my_driver = ${toy('own', '() => 0')};\nexport const RING = 64;\n`))).driver.name).toBe('own');
  });

  it('as a plain .ts file (taken for CommonJS there), each way of exporting it, through the installed `driverlab` command', () => {
    const named = driverFile('plain.ts', `export const driver = ${toy('plain', '() => -12')};\n`);
    const dflt = driverFile('plain-default.ts', `const d = ${toy('plaindflt', '() => -12')};\nexport default d;\n`);
    const own = driverFile('plain-own.ts', `export const my_driver = ${toy('plainown', '() => -12')};\nexport const RING = 64;\n`);
    for (const [f, name] of [[named, 'plain'], [dflt, 'plaindflt'], [own, 'plainown']] as const) {
      const r = spawnSync(process.execPath, ['bin/driverlab.mjs', 'run', '--frames', '1', '--driver', f], { encoding: 'utf8' });
      expect(r.stderr.split('\n')[0]).toBe(`error: ${name} did not bind ffe24000.ethernet as eth0: probe returned -ENOMEM`);
      expect(r.status).toBe(1);
    }
  });
});

describe('a driver that does not come up as eth0 is told why', () => {
  const rigWith = (driver: PlatformDriver): string => {
    try {
      nicRig({ driver });
    } catch (e) {
      expect(e).toBeInstanceOf(RigBindError);
      expect((e as RigBindError).dmesg).toContain('Linux version');
      return (e as Error).message;
    }
    throw new Error('nicRig bound it');
  };
  const drv = (name: string, probe: NonNullable<PlatformDriver['probe']>, compatible = 'gianfar'): PlatformDriver => ({ probe, driver: { name, of_match_table: [{ compatible }] } });

  it('no match, a failing probe, a probe that registers no net_device', () => {
    expect(rigWith(drv('nomatch', () => 0, 'acme,nic'))).toBe('nomatch did not bind ffe24000.ethernet as eth0: its of_match_table (acme,nic) does not match the device (compatible: gianfar)');
    expect(rigWith(drv('failer', () => -12))).toBe('failer did not bind ffe24000.ethernet as eth0: probe returned -ENOMEM');
    expect(rigWith(drv('lazy', () => 0))).toBe('lazy did not bind ffe24000.ethernet as eth0: probe returned 0 but registered no net_device named eth0 (alloc_etherdev + register_netdev)');
  });

  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = 0;
  });

  it('the CLI prints the reason and the end of the kernel log, and exits 1 (no JavaScript stack)', async () => {
    const err: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((s: unknown) => void err.push(String(s)));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    await main(['node', 'driverlab', 'run', '--frames', '1', '--driver', driverFile('failer.mts', `export const driver = ${toy('failer', '() => -12')};\n`)]);
    expect(process.exitCode).toBe(1);
    expect(err[0]).toBe('error: failer did not bind ffe24000.ethernet as eth0: probe returned -ENOMEM');
    expect(err[1]).toBe('last kernel messages:');
    expect(err.join('\n')).toContain('failer ffe24000.ethernet: probe with driver failer failed with error -12');
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });
});
