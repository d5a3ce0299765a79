import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEVICE2_GATEWAY, IGD_GATEWAY } from '../../datamodel/profiles/index.ts';
import { setParameterValues } from '../methods/set-parameter-values.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { FileServer } from '../testing/file-server.ts';
import { requestedDiagnostics, runDiagnostic, startRequestedDiagnostics } from './diagnostics.ts';
import { findTool } from './system-tool.ts';

let files: FileServer;
before(async () => {
  files = await new FileServer().start();
});
after(() => files.close());

const D = 'Device.IP.Diagnostics.';
const options = { now: () => Date.UTC(2026, 0, 1) };
const noTools =
  findTool(['ping']) === undefined || findTool(['traceroute']) === undefined
    ? 'no ping or traceroute binary (Debian: apt-get install iputils-ping traceroute)'
    : false;
if (noTools !== false) console.log(`# skipping the real IPPing/TraceRoute tests: ${noTools}`);

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

  it('an input the ACS writes without DiagnosticsState sets it back to None; with Requested it stays', () => {
    const m = new DeviceModel(templateFor(DEVICE2_GATEWAY));
    const state = `${D}IPPing.DiagnosticsState`;
    const spv = (list: [string, string, string][]) =>
      setParameterValues(m, {
        method: 'SetParameterValues',
        ParameterList: list.map(([name, value, type]) => ({ name, value, type })),
        ParameterKey: '',
      });
    m.setLocalValue(state, 'Complete');
    spv([[`${D}IPPing.NumberOfRepetitions`, '2', 'unsignedInt']]);
    assert.equal(m.getValue(state), 'None');
    spv([
      [`${D}IPPing.Host`, '127.0.0.1', 'string'],
      [state, 'Requested', 'string'],
    ]);
    assert.equal(m.getValue(state), 'Requested');
    // Another object's input leaves this one alone.
    m.setLocalValue(state, 'Complete');
    spv([[`${D}TraceRoute.Host`, '127.0.0.1', 'string']]);
    assert.equal(m.getValue(state), 'Complete');
    assert.equal(m.getValue(`${D}TraceRoute.DiagnosticsState`), 'None');
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

  it('IPPing and TraceRoute against 127.0.0.1 write their results, hops replaced on a rerun', {
    skip: noTools,
  }, async () => {
    const m = new DeviceModel(templateFor(DEVICE2_GATEWAY));
    m.setLocalValue(`${D}IPPing.Host`, '127.0.0.1');
    m.setLocalValue(`${D}IPPing.NumberOfRepetitions`, '2');
    m.setLocalValue(`${D}TraceRoute.Host`, 'localhost');
    m.setLocalValue(`${D}TraceRoute.ProtocolVersion`, 'IPv4');
    m.setLocalValue(`${D}TraceRoute.NumberOfTries`, '2');
    m.setLocalValue(`${D}TraceRoute.MaxHopCount`, '4');
    m.setLocalValue(`${D}TraceRoute.DiagnosticsState`, 'Requested');
    assert.deepEqual(requestedDiagnostics(m), [{ kind: 'traceroute', path: `${D}TraceRoute.` }]);
    await runDiagnostic(m, 'ping', `${D}IPPing.`, options);
    const p = (n: string) => m.getValue(`${D}IPPing.${n}`);
    assert.equal(p('DiagnosticsState'), 'Complete');
    assert.equal(p('SuccessCount'), '2');
    assert.equal(p('FailureCount'), '0');
    assert.ok(Number(p('MaximumResponseTime')) < 1000);

    for (let run = 0; run < 2; run++) {
      await runDiagnostic(m, 'traceroute', `${D}TraceRoute.`, options);
      const t = (n: string) => m.getValue(`${D}TraceRoute.${n}`);
      assert.equal(t('DiagnosticsState'), 'Complete');
      assert.equal(t('IPAddressUsed'), '127.0.0.1');
      assert.equal(t('RouteHopsNumberOfEntries'), '1');
      const [hop] = m.instances(`${D}TraceRoute.RouteHops.`);
      assert.equal(hop, run + 1);
      const h = (n: string) => m.getValue(`${D}TraceRoute.RouteHops.${hop}.${n}`);
      assert.equal(h('HostAddress'), '127.0.0.1');
      assert.equal(h('ErrorCode'), '0');
      assert.equal(h('RTTimes').split(',').length, 2);
    }
    m.setLocalValue(`${D}TraceRoute.Host`, 'no-such-host.invalid');
    await runDiagnostic(m, 'traceroute', `${D}TraceRoute.`, options);
    assert.equal(m.getValue(`${D}TraceRoute.DiagnosticsState`), 'Error_CannotResolveHostName');
    assert.deepEqual(m.instances(`${D}TraceRoute.RouteHops.`), []);
  });
});
