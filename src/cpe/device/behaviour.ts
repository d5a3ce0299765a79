/**
 * How a simulated device behaves beyond its data model: the CWMP version it speaks, its session timeout, how long it
 * takes to boot, the quirks of real devices it reproduces (vendor-quirks.md), and faults injected to test an ACS.
 * One object may be shared by a whole fleet; a test can give one device its own.
 */
import type { CwmpVersion } from '../../cwmp/index.ts';
import type { SessionFaults } from '../session/session-runner.ts';
import type { WireStyle } from '../session/wire.ts';

export interface DeviceBehaviour {
  /** Highest CWMP version offered (default 1.4: cwmp-1-2 namespace with SupportedCWMPVersions). */
  maxVersion?: CwmpVersion;
  /** Speak this namespace whatever the version (e.g. the non-standard urn:dslforum-org:cwmp-1-3; quirk 4). */
  cwmpNamespace?: string;
  /** SessionTimeout announced, and the wait for each answer; default 30 s. */
  sessionTimeoutSeconds?: number;
  /** Simulated time from reboot to the first Inform; default 0. */
  bootDelayMs?: number;
  /** Return the ACS's cookies (default true); false plays a CPE that never does (quirk 2). */
  returnCookies?: boolean;
  /** Send bodies with chunked transfer-encoding. */
  sendChunked?: boolean;
  /** Keep the session on one TCP connection (default true); false opens one per POST. */
  keepAlive?: boolean;
  /** Trust any ACS certificate and take TLS 1.0 (a deviation from TR-069 §3.3, for testing a conformance checker). */
  insecureTls?: boolean;
  /** Offer TLS up to this version only (a device stuck on TLS 1.0, for testing a conformance checker). */
  tlsMaxVersion?: 'TLSv1' | 'TLSv1.1';
  /** Take an ACS certificate whatever host it names (a deviation from TR-069 §3.3, for testing a conformance checker). */
  tlsHostnameUnchecked?: boolean;
  /** Answer the ACS's Basic challenge over plain HTTP too (the password in clear; a deviation from TR-069 §3.4.4). */
  basicOverHttp?: boolean;
  /** Follow the ACS's 3xx redirects (default true); false plays a CPE that gives the session up instead. */
  followRedirects?: boolean;
  /** Report RetryCount 0 on retries too (a deviation from TR-069 §3.2.1.1, for testing a conformance checker). */
  retryCountAlwaysZero?: boolean;
  /**
   * Value-change notification gone wrong (deviations from TR-069 §A.3.2.4, for testing a conformance checker):
   * `unreported`, the device's own changes never reported; `acs-changes-reported`, the ACS's own
   * SetParameterValues reported back to it as value changes.
   */
  valueChanges?: 'unreported' | 'acs-changes-reported';
  /**
   * TR-143 diagnostics gone wrong (for testing a conformance checker): `test-bytes-from-totals`, a device that
   * reports the socket's byte counts (headers included) as TestBytesReceived/TestBytesSent.
   */
  diagnostics?: 'test-bytes-from-totals';
  /**
   * Firmware downloads gone wrong (deviations from TR-069 §A.3.2.8, for testing a conformance checker):
   * `size-unchecked`, an image flashed whatever its size against the FileSize announced (a truncated one too);
   * `no-reboot`, an image applied without the reboot that must follow (no 1 BOOT).
   */
  firmware?: 'size-unchecked' | 'no-reboot';
  /** Booleans as 1/0 (quirk 1), another SOAP prefix (quirk 5). */
  wire?: WireStyle;
  /** Injected faults: a fault for an RPC, a dropped connection, a malformed message, slow answers. */
  faults?: SessionFaults;
}

export const DEFAULT_SESSION_TIMEOUT_SECONDS = 30;
