import {
  type CwmpEnvelope,
  type CwmpVersion,
  FaultCode,
  type Inform,
  negotiateVersion,
  parseVersionList,
  versionOfNamespace,
} from '../../cwmp/index.ts';
import { encodeDeviceId } from '../../store/device-id.ts';
import { SessionProvisioning } from '../provisioning/session-provisioning.ts';
import { reportedValue } from '../secret-parameters.ts';
import type { SessionDeps } from './deps.ts';
import { holdDevice } from './device-hold.ts';
import { closeSession, endSession } from './end.ts';
import type { MessageContext } from './engine.ts';
import { acsFault, envelopeReply, type SessionReply, tryLater } from './reply.ts';
import { CwmpSession, type SessionAuth } from './session.ts';
import { traceRequest, traceResponse } from './trace.ts';

/** The device id an Inform names (OUI-ProductClass-SerialNumber, URL-safe). */
export function deviceIdOf(inform: Inform): string {
  const id = inform.DeviceId;
  return encodeDeviceId({
    oui: id.OUI,
    productClass: id.ProductClass,
    serialNumber: id.SerialNumber,
  });
}

/** Another node's session has the device: it ends within its idle timeout, usually in seconds. */
const HELD_ELSEWHERE_RETRY_SECONDS = 5;

/**
 * Start a session (TR-069 §3.7.1): negotiate the version, admit the session (one per device, within the ACS's
 * capacity), record the Inform, answer InformResponse in the CPE's own namespace. The CPE has been authenticated.
 */
export async function startSession(
  deps: SessionDeps,
  envelope: CwmpEnvelope<Inform>,
  auth: SessionAuth,
  context: MessageContext,
): Promise<{ reply: SessionReply; session?: CwmpSession }> {
  const { header, body: inform, cwmpNamespace } = envelope;
  const version = chooseVersion(
    header.SupportedCWMPVersions,
    cwmpNamespace,
    header.SessionTimeout,
    deps.acsVersions,
  );
  if (version === undefined) {
    return { reply: acsFault(cwmpNamespace, header.ID, FaultCode.AcsVersionIncompatible) };
  }
  const deviceId = deviceIdOf(inform);
  // The authenticated device started over (it lost our answer, rebooted, or gave up on a session): the session
  // it left ends now and its tasks are released at once, so this one gets its work.
  const stale = deps.registry.forDevice(deviceId);
  if (stale !== undefined)
    await endSession(deps, stale, 'session-abort', 'superseded by a new Inform', 'superseded');
  const now = deps.clock();

  const timeoutMs = header.SessionTimeout
    ? header.SessionTimeout * 1000
    : deps.defaultSessionTimeoutMs;
  const session = new CwmpSession(
    deviceId,
    cwmpNamespace,
    version,
    rootOf(inform),
    timeoutMs,
    context.remoteAddress,
    auth,
    now,
  );
  const admitted = deps.registry.open(session, context.socket, now);
  if (!admitted.ok) {
    deps.log('inform-refused', { deviceId, reason: admitted.reason });
    deps.metrics.cwmpRefusal(503, admitted.reason);
    const why = {
      'device-busy': 'a session for this device is in progress',
      overloaded: 'too many sessions',
      'shutting-down': 'the ACS is shutting down',
    }[admitted.reason];
    return { reply: tryLater(admitted.retryAfterSeconds, why) };
  }
  let held = false;
  try {
    held = await holdDevice(deps, session);
  } finally {
    if (!held) deps.registry.close(session);
  }
  if (!held) {
    deps.log('inform-refused', { deviceId, reason: 'device-busy-elsewhere' });
    deps.metrics.cwmpRefusal(503, 'device-busy');
    return {
      reply: tryLater(
        HELD_ELSEWHERE_RETRY_SECONDS,
        'a session for this device is in progress on another node',
      ),
    };
  }
  try {
    const outcome = await deps.store.devices.recordInform({
      device: {
        manufacturer: inform.DeviceId.Manufacturer,
        oui: inform.DeviceId.OUI,
        productClass: inform.DeviceId.ProductClass,
        serialNumber: inform.DeviceId.SerialNumber,
      },
      events: inform.Event.map((e) => ({ code: e.EventCode, commandKey: e.CommandKey })),
      parameters: inform.ParameterList.map((p) => reportedValue(p.name, p.value, p.type)),
      remoteAddress: context.remoteAddress,
      at: now,
    });
    deps.log('inform', {
      deviceId,
      sessionId: session.id,
      events: inform.Event.map((e) => e.EventCode),
      created: outcome.created,
      changes: outcome.changes.length,
      version,
    });
    deps.metrics.sessionStarted();
    deps.metrics.inform(inform.Event.map((e) => e.EventCode));
  } catch (error) {
    await closeSession(deps, session);
    throw error;
  }
  session.provisioning = new SessionProvisioning(
    deps,
    deviceId,
    session.root,
    inform.Event.map((e) => e.EventCode),
  );
  await traceRequest(deps, session, envelope, context.raw);
  const responseHeader = {
    ...(header.ID !== undefined ? { ID: header.ID } : {}),
    ...(header.SupportedCWMPVersions !== undefined ? { UseCWMPVersion: version } : {}),
  };
  const reply = envelopeReply(
    cwmpNamespace,
    responseHeader,
    { method: 'InformResponse', MaxEnvelopes: 1 },
    session.cookie,
  );
  await traceResponse(deps, session, reply);
  return { reply, session };
}

/**
 * TR-069 A6 §3.7.4: with SupportedCWMPVersions, the highest version both sides speak (none: fault 8006);
 * without, what the namespace says (1.3 when a 1.2-namespace CPE sends SessionTimeout).
 */
export function chooseVersion(
  supported: string | undefined,
  cwmpNamespace: string,
  sessionTimeout: number | undefined,
  acsVersions: readonly CwmpVersion[],
): CwmpVersion | undefined {
  if (supported !== undefined) return negotiateVersion(parseVersionList(supported), acsVersions);
  const fromNamespace = versionOfNamespace(cwmpNamespace) ?? '1.0';
  return fromNamespace === '1.2' && sessionTimeout !== undefined ? '1.3' : fromNamespace;
}

function rootOf(inform: Inform): string {
  const first = inform.ParameterList[0]?.name ?? '';
  return first.startsWith('InternetGatewayDevice.') ? 'InternetGatewayDevice.' : 'Device.';
}
