/**
 * SetParameterAttributes (TR-069 A.3.2.4, cwmp-spec.md §2.3, §7.3), all or nothing like SetParameterValues:
 * - NotificationChange / AccessListChange false: that field is ignored;
 * - a partial path (or '') applies the change to every parameter below it;
 * - Notification must be 0-6; the lightweight values 3-6 (CWMP 1.4, UDP) are refused with 9009, since this
 *   device does not implement them; any other number is 9003;
 * - active notification (2) on a parameter whose activeNotify is canDeny is refused with 9009, also when a
 *   partial path reaches it;
 * - a forceEnabled parameter stays active: asking otherwise is accepted and changes nothing;
 * - AccessList may hold only "Subscriber" (9003 otherwise);
 * - an unknown name is 9005; an empty ParameterList 9003.
 */
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import type { SetParameterAttributes, SetParameterAttributesResponse } from '../../cwmp/index.ts';
import type { ParameterNode } from '../../datamodel/data-model.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { isSupportedNotification, MAX_NOTIFICATION } from '../model/notifications.ts';
import { selectParameters } from './select.ts';

/** The one AccessList entry TR-069 defines: LAN-side (subscriber) write access. */
const ACCESS_LIST_VALUES: ReadonlySet<string> = new Set(['Subscriber']);

function invalid(cause: string): CwmpFault {
  return new CwmpFault(FaultCode.InvalidArguments, undefined, { cause });
}

function rejected(cause: string): CwmpFault {
  return new CwmpFault(FaultCode.NotificationRequestRejected, undefined, { cause });
}

export function setParameterAttributes(
  device: DeviceModel,
  request: SetParameterAttributes,
): SetParameterAttributesResponse {
  if (request.ParameterList.length === 0) throw invalid('ParameterList is empty');
  const plan: {
    path: string;
    node: ParameterNode;
    notification?: number;
    accessList?: string[];
  }[] = [];
  for (const s of request.ParameterList) {
    const notification = s.NotificationChange ? s.Notification : undefined;
    if (notification !== undefined) {
      if (!Number.isInteger(notification) || notification < 0 || notification > MAX_NOTIFICATION) {
        throw invalid(`${s.Name}: Notification ${notification} is not 0..${MAX_NOTIFICATION}`);
      }
      if (!isSupportedNotification(notification)) {
        throw rejected(`${s.Name}: lightweight notification (${notification}) is not supported`);
      }
    }
    const accessList = s.AccessListChange ? s.AccessList : undefined;
    const unknown = accessList?.find((a) => !ACCESS_LIST_VALUES.has(a));
    if (unknown !== undefined) throw invalid(`${s.Name}: unknown AccessList entry "${unknown}"`);
    for (const p of selectParameters(device, s.Name)) {
      if (notification === 2 && p.node.definition.activeNotify === 'canDeny') {
        throw rejected(`${p.path} does not accept active notification`);
      }
      plan.push({
        ...p,
        ...(notification === undefined ? {} : { notification }),
        ...(accessList === undefined ? {} : { accessList: [...accessList] }),
      });
    }
  }
  for (const { path, node, notification, accessList } of plan) {
    device.setAttributes(path, node, {
      ...(notification === undefined ? {} : { notification }),
      ...(accessList === undefined ? {} : { accessList }),
    });
  }
  return { method: 'SetParameterAttributesResponse' };
}
