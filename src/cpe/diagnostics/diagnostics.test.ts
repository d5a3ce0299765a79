import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEVICE2_GATEWAY, IGD_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { FileServer } from '../testing/file-server.ts';
import { requestedDiagnostics, runDiagnostic, startRequestedDiagnostics } from './diagnostics.ts';

let files: FileServer;
before(async () => {
  files = await new FileServer().start();
});
after(() => files.close());

const D = 'Device.IP.Diagnostics.';
const options = { now: () => Date.UTC(2026, 0, 1) };

describe('TR-143 diagnostics', () => {
  it('finds the requested tests, under Device:2 or IGD:1', () => {
    const m = new DeviceModel(templateFor(DEVICE2_GATEWAY));
    assert.deepEqual(requestedDiagnostics(m), []);
    m.setLocalValue(`${D}IPPing.DiagnosticsState`, 'Requested');
    assert.deepEqual(requestedDiagnostics(m), [{ kind: 'ping', path: `${D}IPPing.` }]);
    const igd = new DeviceModel(templateFor(IGD_GATEWAY));
    igd.setLocalValue('InternetGatewayDevice.IPPingDiagnostics.DiagnosticsState', 'Requested');
    assert.deepEqual(requestedDiagnostics(igd), [
      { kind: 'ping', path: 'InternetGatewayDevice.IPPingDiagnostics.' },
    ]);
  });

  it('ends in the TR-143 error states: no host, refused connection, missing file', async () => {
    const m = new DeviceModel(templateFor(DEVICE2_GATEWAY));
    m.setLocalValue(`${D}IPPing.Host`, '');
    await runDiagnostic(m, 'ping', `${D}IPPing.`, options);
    assert.equal(m.getValue(`${D}IPPing.DiagnosticsState`), 'Error_CannotResolveHostName');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    m.setLocalValue(`${D}DownloadDiagnostics.DownloadURL`, `http://127.0.0.1:${port}/x`);
    await runDiagnostic(m, 'download', `${D}DownloadDiagnostics.`, options);
    assert.equal(
      m.getValue(`${D}DownloadDiagnostics.DiagnosticsState`),
      'Error_InitConnectionFailed',
    );

    m.setLocalValue(`${D}DownloadDiagnostics.DownloadURL`, `${files.base}/files/missing`);
    await runDiagnostic(m, 'download', `${D}DownloadDiagnostics.`, options);
    assert.equal(m.getValue(`${D}DownloadDiagnostics.DiagnosticsState`), 'Error_TransferFailed');
  });

  it('times a download: TCP open, ROM, BOM, EOM in order, bytes counted', async () => {
    const m = new DeviceModel(templateFor(DEVICE2_GATEWAY));
    m.setLocalValue(
      `${D}DownloadDiagnostics.DownloadURL`,
      files.put('t.bin', Buffer.alloc(50_000)),
    );
    m.setLocalValue(`${D}DownloadDiagnostics.DiagnosticsState`, 'Requested');
    let completed = 0;
    const done = new Promise<void>((resolve) => {
      assert.equal(
        startRequestedDiagnostics(m, options, () => {
          completed++;
          resolve();
        }),
        1,
      );
    });
    // Already running: not started twice.
    assert.equal(
      startRequestedDiagnostics(m, options, () => {}),
      0,
    );
    await done;
    assert.equal(completed, 1);
    const v = (n: string) => m.getValue(`${D}DownloadDiagnostics.${n}`);
    assert.equal(v('DiagnosticsState'), 'Complete');
    assert.equal(v('TestBytesReceived'), '50000');
    assert.ok(Number(v('TotalBytesReceived')) > 50_000);
    const order = [
      'TCPOpenRequestTime',
      'TCPOpenResponseTime',
      'ROMTime',
      'BOMTime',
      'EOMTime',
    ].map(v);
    assert.deepEqual([...order].sort(), order);
    assert.ok(order.every((t) => t.startsWith('2026-01-01T00:00:00.')));
  });
});
