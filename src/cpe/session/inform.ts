/**
 * The Inform a device opens its session with (TR-069 A.3.3.1, cwmp-spec.md §7.4): DeviceId from DeviceInfo, the
 * events, MaxEnvelopes 1, CurrentTime, RetryCount, and the ParameterList — forced-inform parameters, then those
 * changed outside the ACS with notification on. The headers offer the device's CWMP versions (1.4:
 * SupportedCWMPVersions in the cwmp-1-2 namespace) and its SessionTimeout (1.3 and later).
 */
import {
  CWMP_VERSIONS,
  type CwmpHeader,
  type CwmpVersion,
  formatDateTime,
  type Inform,
  namespaceForVersion,
} from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { informParameterList } from '../model/inform-parameters.ts';
import type { InformEvent } from './event-queue.ts';
import { MAX_INFORM_EVENTS } from './event-rules.ts';

export interface InformInput {
  model: DeviceModel;
  /** In Inform order; at most 64 are sent (the rest wait for the next session). */
  events: readonly InformEvent[];
  retryCount: number;
  /** ms since the epoch. */
  now: number;
}

/** Manufacturer, OUI, ProductClass and SerialNumber, as DeviceInfo holds them ('' for one the model lacks). */
export function deviceIdOf(model: DeviceModel): Inform['DeviceId'] {
  const read = (name: string) => {
    const path = `${model.root}DeviceInfo.${name}`;
    return model.resolve(path)?.kind === 'parameter' ? model.getValue(path) : '';
  };
  return {
    Manufacturer: read('Manufacturer'),
    OUI: read('ManufacturerOUI'),
    ProductClass: read('ProductClass'),
    SerialNumber: read('SerialNumber'),
  };
}

export function buildInform(input: InformInput): Inform {
  return {
    method: 'Inform',
    DeviceId: deviceIdOf(input.model),
    Event: input.events
      .slice(0, MAX_INFORM_EVENTS)
      .map((e) => ({ EventCode: e.code, CommandKey: e.commandKey })),
    MaxEnvelopes: 1,
    CurrentTime: formatDateTime(new Date(input.now)),
    RetryCount: input.retryCount,
    ParameterList: informParameterList(input.model),
  };
}

/** The versions a device of version `max` supports: every one up to it. */
export function versionsUpTo(max: CwmpVersion): CwmpVersion[] {
  return CWMP_VERSIONS.slice(0, CWMP_VERSIONS.indexOf(max) + 1);
}

/** The namespace and headers of the Inform of a device whose highest version is `max`. */
export function informHeader(
  max: CwmpVersion,
  id: string,
  sessionTimeoutSeconds: number,
): { cwmpNamespace: string; header: CwmpHeader } {
  const header: CwmpHeader = { ID: id };
  if (max === '1.3' || max === '1.4') header.SessionTimeout = sessionTimeoutSeconds;
  if (max === '1.4') header.SupportedCWMPVersions = versionsUpTo(max).join(',');
  return { cwmpNamespace: namespaceForVersion(max), header };
}
