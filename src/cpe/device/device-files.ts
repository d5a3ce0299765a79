/**
 * A device's network work outside its sessions, created the first time it has some: transfers (real HTTP(S) GETs
 * and PUTs with its trusted CAs, the files it uploads), ChangeDUState operations and their DUStateChangeComplete,
 * and TR-143 diagnostics. Results go back to the device through `deliverLater` and `diagnosticsComplete`.
 */
import type { DeploymentUnitOperation } from '../../cwmp/index.ts';
import type { Scheduler } from '../clock/scheduler.ts';
import { startRequestedDiagnostics } from '../diagnostics/diagnostics.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { runDuOperations } from '../software/deployment-units.ts';
import { type FetchedFile, fetchFile, putFile } from '../transfers/file-client.ts';
import type { TransferQueue } from '../transfers/transfer-queue.ts';
import { type DeviceFacts, uploadContent } from '../transfers/upload-content.ts';
import type { DeviceBehaviour } from './behaviour.ts';
import type { OutboxEntry, TransferHost } from './transfer-runner.ts';

export interface DeviceFilesOwner {
  readonly model: DeviceModel;
  readonly scheduler: Scheduler;
  readonly transfers: TransferQueue;
  readonly running: boolean;
  readonly behaviour: DeviceBehaviour;
  facts(): DeviceFacts;
  /** Queue a CPE request for the next session, then reboot or ask for a session. */
  deliverLater(entry: OutboxEntry, reboot: boolean): void;
  /** A diagnostics test on `model` has written its results. */
  diagnosticsComplete(model: DeviceModel): void;
}

type Ca = string | Buffer | readonly (string | Buffer)[];

export class DeviceFiles implements TransferHost {
  constructor(
    private readonly owner: DeviceFilesOwner,
    private readonly ca: Ca | undefined,
  ) {}

  get model(): DeviceModel {
    return this.owner.model;
  }

  get scheduler(): Scheduler {
    return this.owner.scheduler;
  }

  get transfers(): TransferQueue {
    return this.owner.transfers;
  }

  fetch(
    url: string,
    c: { username?: string; password?: string; fileSize?: number },
  ): Promise<FetchedFile> {
    return fetchFile(url, { ...c, ...(this.ca === undefined ? {} : { ca: this.ca }) });
  }

  upload(
    url: string,
    body: Buffer,
    contentType: string,
    c: { username?: string; password?: string },
  ): Promise<void> {
    return putFile(url, body, contentType, {
      ...c,
      ...(this.ca === undefined ? {} : { ca: this.ca }),
    });
  }

  uploadContent(fileType: string): { body: Buffer; contentType: string } {
    return uploadContent(this.owner.model, fileType, this.owner.facts());
  }

  get firmwareFault(): 'size-unchecked' | 'no-reboot' | undefined {
    return this.owner.behaviour.firmware;
  }

  complete(entry: OutboxEntry, reboot: boolean): void {
    this.owner.deliverLater(entry, reboot);
  }

  /** Starts the TR-143 tests the ACS requested (those not already running). */
  startDiagnostics(): void {
    const model = this.owner.model;
    startRequestedDiagnostics(
      model,
      {
        now: () => this.owner.scheduler.now(),
        ...(this.ca === undefined ? {} : { ca: this.ca }),
        ...(this.owner.behaviour.diagnostics === 'test-bytes-from-totals'
          ? { testBytesFromTotals: true }
          : {}),
      },
      () => this.owner.diagnosticsComplete(model),
    );
  }

  /** Runs a ChangeDUState's operations; their results go out in a DUStateChangeComplete (11 + M ChangeDUState). */
  async changeDuState(operations: DeploymentUnitOperation[], commandKey: string): Promise<void> {
    const model = this.owner.model;
    const results = await runDuOperations(
      { model, fetch: (url, c) => this.fetch(url, c), now: () => this.owner.scheduler.now() },
      operations,
    );
    // Reset or switched off meanwhile: the result is nobody's any more.
    if (model !== this.owner.model || !this.owner.running) return;
    this.owner.deliverLater(
      {
        message: { method: 'DUStateChangeComplete', Results: results, CommandKey: commandKey },
        events: [
          { code: '11 DU STATE CHANGE COMPLETE', commandKey: '' },
          { code: 'M ChangeDUState', commandKey },
        ],
      },
      false,
    );
  }
}
