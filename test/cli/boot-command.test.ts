/** The `driverlab boot` subcommand: boot log plus device list for the default board and a user's tree; errors as file:line:col. */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBoot } from '../../src/cli/boot-command.js';
import { buildProgram } from '../../src/cli/main.js';
import { corpusDts } from '../board/assembly/helpers.js';

describe('driverlab boot', () => {
  it('boots the default board when no file is given and lists its devices', () => {
    const r = runBoot(undefined);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Using driverlab e500v2 router (non-coherent) machine description');
    expect(r.stdout).toMatch(/^ffe24000\.ethernet +gianfar +etsec +fsl-gianfar$/m); // the project's reference driver binds
    expect(runBoot(undefined, { drivers: false }).stdout).toMatch(/^ffe24000\.ethernet +gianfar +etsec +\(no driver\)$/m);
    expect(r.stdout).toMatch(/^ffe40000\.pic +fsl,mpic +mpic +\(no driver\)$/m);
  });

  it('boots a user\'s tree with include dirs; knobs for RAM and coherence', () => {
    const C = corpusDts();
    const r = runBoot(path.join(C, 'fsl/p1020rdb.dts'), { includes: [path.join(C, 'fsl'), path.join(C, 'include')], ramMiB: 512, coherent: true });
    expect(r.stdout).toContain('assuming 512 MiB at 0x0');
    expect(r.stdout).toContain('DMA coherence forced on');
    expect(r.stdout).toMatch(/40 devices: 3 bound, 0 deferred, 0 failed, 37 without a driver/); // three fsl,etsec2 Ethernets
  });

  it('reports a bad file as error: file:line:col and exit code 1', () => {
    expect(runBoot('does-not-exist.dts')).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^error: does-not-exist\.dts:1:1: cannot read /) });
    let out = '';
    const p = buildProgram().exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: () => {} });
    p.commands.forEach((c) => c.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: () => {} }));
    p.parse(['node', 'driverlab', 'boot', '--seed', '3'], { from: 'node' });
    expect(out).toContain('devices:');
  });
});
