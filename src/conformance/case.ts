/**
 * The case model: a case is data (id, area, title, the clause it checks, requirements, human-readable steps) plus
 * a small async function that drives the DUT through the context. Adding one is a few lines in its area's file.
 */
import type { CwmpEnvelope, CwmpMessage, Inform } from '../cwmp/index.ts';
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import type { ConnectionRequestResult } from './connection-request.ts';
import type { DutSession, RpcOutcome } from './dut-session.ts';
import type { BasicWindow } from './endpoint.ts';

export interface Requirements {
  /** CPE RPCs the DUT must list in GetRPCMethods. */
  rpcs?: string[];
  /** Objects (partial paths, `{root}` for the DUT's root object) the DUT must have. */
  objects?: string[];
  /** Changes the DUT's state in a way it cannot undo by itself (reboot, reset, firmware): off by default. */
  destructive?: boolean;
}

export interface ConformanceCase {
  id: string;
  area: string;
  title: string;
  clause: string;
  requires: Requirements;
  steps: string[];
  /** The case's own bound when it waits longer than the run's (default 120 s): a firmware image flashed. */
  timeoutMs?: number;
  run(ctx: CaseContext): Promise<void>;
}

/** What the lab learnt of the DUT before the first case. */
export interface DutFacts {
  /** 'Device.' or 'InternetGatewayDevice.' */
  root: string;
  /** The Inform that opened the run's first session. */
  firstInform: CwmpEnvelope<Inform>;
  /** From GetRPCMethods (TR-069's required set when the DUT faulted it). */
  methods: string[];
  connectionRequestUrl: string | undefined;
  /** What the data-model cases hold the DUT's tree against (--datamodel); the shipped standard ones when absent. */
  definitions?: DeviceDefinitions;
}

export interface CaseContext {
  readonly dut: DutFacts;
  /** Fails the case with `what` as the expectation not met. */
  expect(condition: unknown, what: string): asserts condition;
  /** Ends the case as skipped, saying why. */
  skip(reason: string): never;
  /** A session in the lab's turn: the one open, or a new one opened by a connection request. */
  session(): Promise<DutSession>;
  /** Sends an RPC in the session (opened if need be). */
  rpc(message: CwmpMessage): Promise<RpcOutcome>;
  /** Sends an RPC that must succeed, and returns its response. */
  call<M extends CwmpMessage['method']>(
    message: CwmpMessage & { method: M },
  ): Promise<Extract<CwmpMessage, { method: `${M}Response` }>>;
  /** Ends the open session, if any (204). */
  endSession(): void;
  /** Ends the open session, sends a connection request, and takes the next session up to the lab's turn. */
  newSession(): Promise<DutSession>;
  /**
   * A connection request, by default with Digest and the configured password; `path` replaces the URL's path,
   * `replay` sends the accepted Authorization a second time.
   */
  connectionRequest(options?: {
    authenticate?: boolean;
    password?: string;
    path?: string;
    replay?: boolean;
  }): Promise<ConnectionRequestResult>;
  /**
   * The DUT's connection-request credentials as given (--connection-request-username/-password): what a UDP or
   * XMPP connection request carries. Never reported.
   */
  readonly connectionRequestCredentials: { readonly username?: string; readonly password?: string };
  /** The lab's XMPP login (--xmpp-service/--xmpp-jid/--xmpp-password), for XMPP connection requests; or undefined. */
  readonly xmpp:
    | { readonly service: string; readonly jid: string; readonly password: string }
    | undefined;
  /** Waits for the DUT to open a session by itself (its Inform within `timeoutMs`), up to the lab's turn. */
  waitSession(timeoutMs?: number): Promise<DutSession>;
  /** Waits for the DUT's next Inform and leaves it unanswered, for the case to refuse (DutSession.refuse). */
  waitInform(timeoutMs?: number): Promise<DutSession>;
  /** A note kept with the verdict. */
  note(text: string): void;
  /** The lab's TLS side: whether it speaks HTTPS, and what it serves from the next handshake on. */
  readonly tls: {
    readonly enabled: boolean;
    /** The CA the DUT trusts for the lab (--tls-ca-cert/--tls-ca-key), to issue certificates with; or undefined. */
    readonly issuer: { readonly cert: string; readonly key: string } | undefined;
    /** Another certificate or TLS versions (a Secure CWMP case); undefined: the configured ones again. */
    serve(
      context:
        | {
            cert?: string;
            key?: string;
            minVersion?: 'TLSv1';
            maxVersion?: 'TLSv1';
            ciphers?: string;
          }
        | undefined,
    ): void;
  };
  /**
   * The DUT's own change of a value, as its UI or CLI makes one (--local-change-command): `configured` false
   * when no command was given; `change` fails the case when the command does.
   */
  readonly local: {
    readonly configured: boolean;
    /** --local-change-parameter: the parameter the command can change (default: the cases' own choice). */
    readonly parameter: string | undefined;
    change(path: string, value: string): Promise<void>;
  };
  /** How the DUT authenticates to the lab (--cpe-username/--cpe-password: Digest, or Basic while a case asks). */
  readonly cpeAuth: {
    readonly configured: boolean;
    /** Challenge with Basic only from now on (`true`), or Digest again; returns what arrived in the Basic window. */
    challengeBasic(on: boolean): BasicWindow;
    /** What arrived in the Basic window so far. */
    readonly basicSeen: BasicWindow;
  };
  /** The firmware image the engineer gave (--firmware FILE, --firmware-version V); undefined without one. */
  readonly firmware:
    | { readonly image: Buffer; readonly name: string; readonly version: string | undefined }
    | undefined;
  /** The lab's file server, for Download and Upload. */
  readonly files: {
    /** A URL for `name` on the lab, at the address the DUT reaches the lab at. */
    url(name: string): string;
    /** Offers `body` at `name`, or answers requests for it with `status` when not 200. */
    offer(name: string, body: Buffer | string, status?: number): void;
    /** What the DUT uploaded to `name`. */
    received(name: string): Buffer | undefined;
    /** How many requests came for `name` (a URL the DUT should never have fetched, say). */
    requests(name: string): number;
  };
}

/** An expectation that did not hold: the case fails with it. */
export class ExpectationFailed extends Error {
  override readonly name = 'ExpectationFailed';
}

/** A case that does not apply. */
export class CaseSkipped extends Error {
  override readonly name = 'CaseSkipped';
}
