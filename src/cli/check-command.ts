import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { CATALOGUE } from '../conformance/catalogue.ts';
import { htmlReport } from '../conformance/html.ts';
import { junitXml } from '../conformance/junit.ts';
import { ConformanceLab, type LabOptions } from '../conformance/lab.ts';
import {
  catalogueTable,
  countVerdicts,
  type RunReport,
  summaryTable,
} from '../conformance/report.ts';
import { type CaseResult, runCases, selectCases } from '../conformance/runner.ts';
import { loadScenarioCases, ScenarioFileError } from '../conformance/scenario/load.ts';
import { StepFailure } from '../conformance/step-failure.ts';
import { DefinitionsFileError, loadDefinitionFiles } from '../datamodel/bbf/definition-files.ts';
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import { type OptionSpec, parseCommandLine, UsageError } from './args.ts';

export const CHECK_USAGE = `usage: corral check --port P [options]

The conformance lab: becomes the ACS of one device under test (DUT), waits for its Inform (or asks it to call in),
runs the selected test cases one after the other and reports a verdict for each, with the SOAP exchange as
evidence. Point the DUT's ManagementServer.URL at http://HOST:PORT/ (https:// with --tls-cert).

  --port P                       where the lab's CWMP endpoint listens (0: any free port, printed on stderr)
  --host H                       the address it listens on (default 0.0.0.0)
  --tls-cert F, --tls-key F      PEM files: the lab speaks HTTPS (the DUT must trust the certificate; any TLS
                                 version is taken, TLS-001 judges it) and runs the Secure CWMP cases
  --tls-ca-cert F, --tls-ca-key F
                                 the CA the DUT trusts for the lab (PEM): the lab issues an expired certificate
                                 and one for another host with it (TLS-004, TLS-005; they skip without it)
  --cases PATTERN                the case ids to run, comma-separated globs (e.g. "GPN-*,SPV-00?"; default all)
  --cpe-username U, --cpe-password P
                                 ask the DUT for HTTP Digest with these credentials (TLS-006 and TLS-007 ask
                                 for Basic instead: refused over plain HTTP, answered over HTTPS)
  --connection-request-url URL   ask the DUT to call in, and for later sessions (default: the URL it informs)
  --connection-request-username U, --connection-request-password P
                                 the DUT's connection-request credentials
  --local-change-command CMD     how the DUT changes a value by itself, for the value-change notification cases
                                 (NOTIF-*; without it those that need one skip): run as sh -c CMD with the
                                 parameter's path in $1 and the new value in $2 (also {path} and {value}), exit 0
                                 once changed; e.g. ssh root@dut "cli set $1 $2", or for corral sim --local-control:
                                 curl -fsS --data-urlencode "path=$1" --data-urlencode "value=$2"
                                 http://127.0.0.1:7599/devices/CRL00000001/values
  --local-change-parameter PATH  the parameter that command changes (default: the first Wi-Fi SSID)
  --xmpp-service URL, --xmpp-jid JID, --xmpp-password P
                                 the lab's own XMPP login (xmpp://host:port, user@domain): it sends XMPP
                                 connection requests to the DUT's ConnReqJabberID (CR-010, CR-011; they skip
                                 without it). CORRAL_XMPP_PASSWORD keeps the password off the command line
  --include-destructive          also run cases that reboot or reset the DUT, apply a configuration file to it
                                 or change its ACS URL (a switch)
  --firmware FILE                a firmware image for the DUT (its vendor's): with --include-destructive, DL-006
                                 downloads it ("1 Firmware Upgrade Image") and DL-007 half of it, announced whole
                                 (they skip without it); the DUT reboots on it and stays on it
  --firmware-version V           the SoftwareVersion the DUT must report once on that image (default: reported)
  --timeout SECONDS              the wait for the DUT's first Inform (default 300)
  --step-timeout SECONDS         the wait for each message of the DUT (default 30)
  --json FILE                    write the report (cases, verdicts, evidence) as JSON
  --junit FILE                   write the report as JUnit XML
  --scenario FILE                the operator's own cases, a JSON file of scenarios (RPCs and the answers
                                 expected, values set and read, waits for events): checked whole before the run,
                                 run after the built-in cases (or as --cases selects) and reported like them;
                                 repeat for several
  --datamodel FILE               a BBF data-model XML (a -full.xml, or a vendor's model in the BBF format) the
                                 data-model cases (DM-*) hold the DUT's tree against, with its profiles and
                                 versions; repeat for several (tr-106-types.xml beside a file is read too);
                                 default: the standard definitions Corral ships (profiles and versions included)
  --html FILE                    write the report as one self-contained HTML page (summary, a filter by
                                 verdict, each case expandable to its SOAP exchange)
  --list                         print the catalogue and exit
  -h, --help                     show this help

Exit status: 0 when every case run passed (or was skipped); 1 when one failed or erred, or no DUT called in;
2 when the command line is wrong.
`;

const CHECK_OPTIONS: Record<string, OptionSpec> = {
  port: { type: 'string' },
  host: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca-cert': { type: 'string' },
  'tls-ca-key': { type: 'string' },
  cases: { type: 'string' },
  'cpe-username': { type: 'string' },
  'cpe-password': { type: 'string' },
  'connection-request-url': { type: 'string' },
  'connection-request-username': { type: 'string' },
  'connection-request-password': { type: 'string' },
  'local-change-command': { type: 'string' },
  'local-change-parameter': { type: 'string' },
  'xmpp-service': { type: 'string' },
  'xmpp-jid': { type: 'string' },
  'xmpp-password': { type: 'string' },
  'include-destructive': { type: 'boolean' },
  firmware: { type: 'string' },
  'firmware-version': { type: 'string' },
  timeout: { type: 'string' },
  'step-timeout': { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  datamodel: { type: 'string', multiple: true },
  scenario: { type: 'string', multiple: true },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface CheckIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Told the lab's URL once it listens (tests start their DUT then). */
  onListening?: (url: string) => void;
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0))
    throw new UsageError(`--${name} must be a positive number of seconds, not "${value}"`);
  return n;
}

function port(value: string | undefined): number {
  if (value === undefined) throw new UsageError('--port is required');
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port must be 0–65535, not "${value}"`);
  return n;
}

/** `corral check`: the conformance lab. Returns the exit code. */
export async function checkCommand(
  argv: readonly string[],
  io: CheckIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  type Values = Record<string, string | boolean | undefined>;
  let values: Values;
  let labOptions: LabOptions;
  let firstInformMs: number;
  let cases: ReturnType<typeof selectCases>;
  try {
    values = parseCommandLine(argv, CHECK_OPTIONS).values as Values;
    if (values.help === true) {
      io.stdout.write(CHECK_USAGE);
      return 0;
    }
    const scenarioFiles = values.scenario as unknown as string[] | undefined;
    const scenarios =
      scenarioFiles === undefined || scenarioFiles.length === 0
        ? []
        : await loadScenarioCases(scenarioFiles, new Set(CATALOGUE.map((c) => c.id)));
    cases = selectCases([...CATALOGUE, ...scenarios], values.cases as string | undefined);
    if (values.list === true) {
      io.stdout.write(catalogueTable(cases));
      return 0;
    }
    if (cases.length === 0) throw new UsageError(`--cases "${values.cases}" matches no case`);
    const str = (name: string) => values[name] as string | undefined;
    if ((str('cpe-username') === undefined) !== (str('cpe-password') === undefined))
      throw new UsageError('--cpe-username and --cpe-password go together');
    const crUrl = str('connection-request-url');
    if (crUrl !== undefined && !/^http:\/\//i.test(crUrl))
      throw new UsageError('--connection-request-url must be an http URL');
    if ((str('tls-cert') === undefined) !== (str('tls-key') === undefined))
      throw new UsageError('--tls-cert and --tls-key go together');
    if ((str('tls-ca-cert') === undefined) !== (str('tls-ca-key') === undefined))
      throw new UsageError('--tls-ca-cert and --tls-ca-key go together');
    if (str('tls-ca-cert') !== undefined && str('tls-cert') === undefined)
      throw new UsageError('--tls-ca-cert goes with --tls-cert and --tls-key');
    const xmppPassword = str('xmpp-password') ?? process.env.CORRAL_XMPP_PASSWORD;
    const xmppGiven = [str('xmpp-service'), str('xmpp-jid')].filter((v) => v !== undefined).length;
    if (xmppGiven === 1 || (xmppGiven === 2 && xmppPassword === undefined))
      throw new UsageError(
        '--xmpp-service, --xmpp-jid and --xmpp-password (or CORRAL_XMPP_PASSWORD) go together',
      );
    if (xmppGiven === 2 && !/^xmpps?:\/\/[^/\s]+$/.test(str('xmpp-service')!))
      throw new UsageError(`--xmpp-service must be xmpp://HOST:PORT, not "${str('xmpp-service')}"`);
    if (xmppGiven === 2 && !/^[^@/\s]+@[^@/\s]+(\/\S+)?$/.test(str('xmpp-jid')!))
      throw new UsageError(`--xmpp-jid must be user@domain[/resource], not "${str('xmpp-jid')}"`);
    if (str('firmware-version') !== undefined && str('firmware') === undefined)
      throw new UsageError('--firmware-version goes with --firmware');
    if (str('firmware-version') !== undefined && !/^\S{1,64}$/.test(str('firmware-version')!))
      throw new UsageError(`--firmware-version must be 1-64 characters without spaces`);
    if (str('local-change-parameter') !== undefined && str('local-change-command') === undefined)
      throw new UsageError('--local-change-parameter goes with --local-change-command');
    firstInformMs = seconds('timeout', str('timeout'), 300) * 1000;
    labOptions = {
      host: str('host') ?? '0.0.0.0',
      port: port(str('port')),
      stepTimeoutMs: seconds('step-timeout', str('step-timeout'), 30) * 1000,
      ...(str('cpe-username') === undefined
        ? {}
        : { cpeCredentials: { username: str('cpe-username')!, password: str('cpe-password')! } }),
      ...(xmppGiven === 2
        ? {
            xmpp: {
              service: str('xmpp-service')!,
              jid: str('xmpp-jid')!,
              password: xmppPassword!,
            },
          }
        : {}),
      ...(str('local-change-command') === undefined
        ? {}
        : {
            localChange: {
              command: str('local-change-command')!,
              ...(str('local-change-parameter') === undefined
                ? {}
                : { parameter: str('local-change-parameter')! }),
            },
          }),
      connectionRequest: {
        ...(crUrl === undefined ? {} : { url: crUrl }),
        ...(str('connection-request-username') === undefined
          ? {}
          : { username: str('connection-request-username')! }),
        ...(str('connection-request-password') === undefined
          ? {}
          : { password: str('connection-request-password')! }),
      },
    };
  } catch (error) {
    if (error instanceof ScenarioFileError) {
      for (const problem of error.problems) io.stderr.write(`corral check: ${problem}\n`);
      return 2;
    }
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`corral check: ${error.message}\n\n${CHECK_USAGE}`);
    return 2;
  }

  let definitions: DeviceDefinitions | undefined;
  const datamodel = values.datamodel as unknown as string[] | undefined;
  if (datamodel !== undefined && datamodel.length > 0) {
    try {
      definitions = await loadDefinitionFiles(datamodel);
    } catch (error) {
      if (!(error instanceof DefinitionsFileError)) throw error;
      io.stderr.write(`corral check: ${error.message}\n`);
      return 2;
    }
  }
  const certFile = values['tls-cert'] as string | undefined;
  const keyFile = values['tls-key'] as string | undefined;
  if (certFile !== undefined && keyFile !== undefined) {
    try {
      labOptions.tls = {
        cert: await readFile(certFile, 'utf8'),
        key: await readFile(keyFile, 'utf8'),
      };
      const caCert = values['tls-ca-cert'] as string | undefined;
      const caKey = values['tls-ca-key'] as string | undefined;
      if (caCert !== undefined && caKey !== undefined)
        labOptions.tlsIssuer = {
          cert: await readFile(caCert, 'utf8'),
          key: await readFile(caKey, 'utf8'),
        };
    } catch (error) {
      io.stderr.write(`corral check: cannot read the TLS files (${(error as Error).message})\n`);
      return 2;
    }
  }
  const firmwareFile = values.firmware as string | undefined;
  if (firmwareFile !== undefined) {
    try {
      const image = await readFile(firmwareFile);
      if (image.length < 2) throw new Error('it is empty');
      labOptions.firmware = {
        image,
        name: basename(firmwareFile),
        version: values['firmware-version'] as string | undefined,
      };
    } catch (error) {
      io.stderr.write(
        `corral check: cannot read the firmware image ${firmwareFile} (${(error as Error).message})\n`,
      );
      return 2;
    }
  }
  let lab: ConformanceLab;
  try {
    lab = await ConformanceLab.start(labOptions);
  } catch (error) {
    io.stderr.write(
      `corral check: cannot listen on ${labOptions.host}:${labOptions.port} (${(error as Error).message})\n`,
    );
    return 2;
  }
  io.stderr.write(`corral check: listening on ${lab.url} — waiting for the DUT's Inform\n`);
  io.onListening?.(lab.url);
  const startedAt = new Date().toISOString();
  let results: CaseResult[] = [];
  let dut: RunReport['dut'];
  let runError: string | undefined;
  let opening = 0;
  try {
    const facts = await lab.begin(firstInformMs);
    opening = lab.evidence.next;
    const id = facts.firstInform.body.DeviceId;
    dut = {
      deviceId: {
        Manufacturer: String(id.Manufacturer ?? ''),
        OUI: String(id.OUI),
        ProductClass: String(id.ProductClass ?? ''),
        SerialNumber: String(id.SerialNumber),
      },
      root: facts.root,
      methods: facts.methods,
    };
    io.stderr.write(
      `corral check: DUT ${dut.deviceId.OUI}-${dut.deviceId.ProductClass}-${dut.deviceId.SerialNumber} (${facts.root}), ${cases.length} cases\n`,
    );
    if (definitions !== undefined) facts.definitions = definitions;
    results = await runCases(lab, facts, cases, {
      includeDestructive: values['include-destructive'] === true,
      onCaseEnd: (r, i, total) =>
        io.stderr.write(
          `[${i + 1}/${total}] ${r.id} ${r.verdict.toUpperCase()}${r.verdict === 'pass' ? '' : ` — ${(r.reason ?? '').split('\n')[0]}`}\n`,
        ),
    });
  } catch (error) {
    if (opening === 0) opening = lab.evidence.next;
    runError =
      error instanceof StepFailure ? `${error.reason}: ${error.message}` : (error as Error).message;
    io.stderr.write(`corral check: the run could not start: ${runError}\n`);
  } finally {
    await lab.close();
  }
  const report: RunReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    ...(dut === undefined ? {} : { dut }),
    ...(runError === undefined ? {} : { error: runError }),
    opening: lab.evidence.entries.slice(0, opening),
    counts: countVerdicts(results),
    results,
  };
  io.stderr.write(summaryTable(report));
  const json = values.json as string | undefined;
  const junit = values.junit as string | undefined;
  const html = values.html as string | undefined;
  if (json !== undefined) await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  if (junit !== undefined) await writeFile(junit, junitXml(report));
  if (html !== undefined) await writeFile(html, htmlReport(report));
  return runError !== undefined || report.counts.fail > 0 || report.counts.error > 0 ? 1 : 0;
}
