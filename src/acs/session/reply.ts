import {
  type CwmpHeader,
  type CwmpMessage,
  encodeEnvelope,
  type FaultCode,
  faultInfo,
} from '../../cwmp/index.ts';

/** What the HTTP layer sends back for one CWMP message. */
export interface SessionReply {
  status: number;
  /** The SOAP envelope, when there is one (status 200). */
  body?: string;
  headers?: Record<string, string | string[]>;
  /** The cookie of the session the request belongs to, to set it. */
  cookie?: string;
  /** Close the connection after this response. */
  close?: boolean;
}

export function envelopeReply(
  cwmpNamespace: string,
  header: CwmpHeader,
  body: CwmpMessage,
  cookie?: string,
): SessionReply {
  return {
    status: 200,
    body: encodeEnvelope({ cwmpNamespace, header, body }),
    ...(cookie !== undefined ? { cookie } : {}),
  };
}

/** 204: the ACS has nothing more to send; the session is over. */
export function endOfSession(cookie: string): SessionReply {
  return { status: 204, cookie };
}

/** A CWMP fault from the ACS (8000-8006), answering the CPE's request with this cwmp:ID. */
export function acsFault(
  cwmpNamespace: string,
  id: string | undefined,
  code: (typeof FaultCode)[keyof typeof FaultCode],
  detail?: string,
  cookie?: string,
): SessionReply {
  const info = faultInfo(code);
  return envelopeReply(
    cwmpNamespace,
    id === undefined ? {} : { ID: id },
    {
      method: 'Fault',
      faultcode: info.soapFaultCode,
      faultstring: 'CWMP fault',
      FaultCode: code,
      FaultString: detail ?? info.faultString,
      SetParameterValuesFault: [],
    },
    cookie,
  );
}

/** 503 with Retry-After: the device is busy in another session, or the ACS is at its session limit. */
export function tryLater(retryAfterSeconds: number, reason: string): SessionReply {
  return {
    status: 503,
    headers: {
      'Retry-After': String(retryAfterSeconds),
      'Content-Type': 'text/plain; charset=utf-8',
    },
    body: `${reason}\n`,
    close: true,
  };
}

export function badRequest(message: string): SessionReply {
  return {
    status: 400,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body: `${message}\n`,
    close: true,
  };
}
