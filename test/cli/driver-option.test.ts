/** `driverlab run --driver FILE`: the main job with a user's own driver module. */
import { describe, expect, it } from 'vitest';
import { loadDriver } from '../../src/cli/main.js';
import { runNic } from '../../src/cli/nic-run.js';

describe('run --driver', () => {
  it('loads a module exporting a platform_driver and runs the main job with it', async () => {
    const driver = await loadDriver('test/fixtures/renamed-gianfar.ts');
    expect(driver.driver.name).toBe('my-gianfar');
    const r = runNic({ frames: 20, seed: 1, coherent: false, driver });
    expect(r.lines[1]).toBe('Driver: my-gianfar bound to ffe24000.ethernet as eth0 (02:00:5e:10:00:01), 192.168.1.1');
    expect(r.replies).toBe(20);
    expect(r.board.reports).toEqual([]);
  });

  it('says clearly what is wrong with a module that cannot be used', async () => {
    await expect(loadDriver('test/fixtures/does-not-exist.ts')).rejects.toThrow(/--driver test\/fixtures\/does-not-exist\.ts: cannot load it/);
    await expect(loadDriver('test/fixtures/not-a-driver.ts')).rejects.toThrow(/--driver test\/fixtures\/not-a-driver\.ts: its `driver` export is not a platform_driver/);
    await expect(loadDriver('test/fixtures/no-driver.ts')).rejects.toThrow(/exports no platform_driver .*; export one as `driver` or as the default export/);
    await expect(loadDriver('test/fixtures/two-drivers.ts')).rejects.toThrow(/exports several platform_drivers \(first_driver, second_driver\); export the one to run as `driver`/);
  });

  it('takes the one platform_driver a module exports under its own name, as the reference gianfar does', async () => {
    const driver = await loadDriver('drivers/gianfar/gianfar.ts');
    expect(driver.driver.name).toBe('fsl-gianfar');
  });
});
