/**
 * The device's own CWMP settings, read from its data model (ManagementServer, cwmp-spec.md §4.4): where its ACS is,
 * its credentials, its periodic-inform schedule, its retry policy, its Connection Request settings. Read afresh
 * each time, since the ACS or the subscriber may change any of them.
 */
import type { DeviceModel } from '../model/device-model.ts';
import type { RetryPolicy } from '../session/retry-backoff.ts';
import type { PeriodicSettings } from './periodic.ts';

export class ManagementServer {
  constructor(private readonly model: DeviceModel) {}

  /** The value of `ManagementServer.<name>`, '' when the model lacks it. */
  get(name: string): string {
    const path = `${this.model.root}ManagementServer.${name}`;
    return this.model.resolve(path)?.kind === 'parameter' ? this.model.getValue(path) : '';
  }

  get path(): string {
    return `${this.model.root}ManagementServer.`;
  }

  get url(): string {
    return this.get('URL');
  }

  get cwmpEnabled(): boolean {
    return this.get('EnableCWMP') !== 'false';
  }

  get periodic(): PeriodicSettings {
    return {
      enabled: this.get('PeriodicInformEnable') === 'true',
      interval: Number(this.get('PeriodicInformInterval')),
      time: this.get('PeriodicInformTime'),
    };
  }

  get retryPolicy(): RetryPolicy {
    return {
      minimumWaitSeconds: Number(this.get('CWMPRetryMinimumWaitInterval')),
      intervalMultiplier: Number(this.get('CWMPRetryIntervalMultiplier')),
    };
  }

  /** DefaultActiveNotificationThrottle, seconds (0 when unset). */
  get notificationThrottle(): number {
    return Number(this.get('DefaultActiveNotificationThrottle')) || 0;
  }

  /** Undefined when the device takes no Connection Requests (CWMP or HTTP Connection Requests disabled). */
  get connectionRequestCredentials(): { username: string; password: string } | undefined {
    if (!this.cwmpEnabled || this.get('HTTPConnectionRequestEnable') === 'false') return undefined;
    return {
      username: this.get('ConnectionRequestUsername'),
      password: this.get('ConnectionRequestPassword'),
    };
  }
}
