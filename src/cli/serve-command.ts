import { UsageError } from './args.ts';
import { type DataDirLock, DataDirLockedError, lockDataDir } from './data-dir-lock.ts';
import { ListenError } from './listen-error.ts';
import { createLogger, type Logger, resolveLogFormat } from './logger.ts';
import { ConfigError, parseServeConfig, type ServeConfig, serveUsage } from './serve-config.ts';
import { preflight, reason } from './serve-preflight.ts';
import { loadServeSecretKey, type Services, StartError, startServices } from './serve-services.ts';
import { runPrimary } from './workers/primary.ts';
import { leavePrimary, onPrimaryStop, workerIdentity } from './workers/worker.ts';

/**
 * `corral serve`: the ACS with embedded storage, until SIGTERM or SIGINT. Mistakes are found in this order,
 * each before anything is opened that the next run would have to live with: the command line and the
 * configuration, the files and the data directory (preflight), the data directory's lock, the store, the
 * listeners — and only then is a first run's admin key made and shown.
 */
export async function serveCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let code = 1;
  try {
    code = await serve(argv, env);
    return code;
  } finally {
    // A worker's channel to its primary would keep it alive: letting go of it lets the process end.
    if (workerIdentity(env) !== null) leavePrimary(code);
  }
}

async function serve(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(serveUsage());
    return 0;
  }
  const fail = (line: string) => {
    process.stderr.write(`corral serve: ${line}\n`);
    return 2;
  };
  let config: ServeConfig;
  try {
    config = parseServeConfig(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\n\n${serveUsage()}`);
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  const checked = preflight(config, env);
  if (checked.errors.length > 0) {
    for (const line of checked.errors) fail(line);
    return 2;
  }
  // A worker of `--workers`: the primary holds the data directory, and made the secret key if there was none.
  const worker = workerIdentity(env);
  let lock: DataDirLock | null = null;
  if (worker === null) {
    try {
      lock = lockDataDir(config.dataDir);
    } catch (error) {
      if (error instanceof DataDirLockedError) return fail(error.message);
      return fail(`cannot lock the data directory ${config.dataDir}: ${reason(error)}`);
    }
  }
  const baseLog = createLogger({ format: resolveLogFormat(config.logFormat, process.stdout) });
  if (worker === null && config.workers > 1) {
    try {
      loadServeSecretKey(config, env, baseLog);
    } catch (error) {
      lock?.release();
      if (error instanceof StartError) return fail(error.message);
      throw error;
    }
    try {
      return await runPrimary(config, baseLog);
    } catch (error) {
      if (error instanceof ListenError) return fail(error.message);
      throw error;
    } finally {
      lock?.release();
    }
  }
  const log: Logger =
    worker === null
      ? baseLog
      : (event, fields, level) => baseLog(event, { ...fields, worker: worker.index }, level);
  const closers: Array<() => Promise<void> | void> = [() => lock?.release()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  let services: Services;
  try {
    services = await startServices(config, checked, env, log, closers, worker);
  } catch (error) {
    await closeAll().catch(() => {});
    if (error instanceof StartError || error instanceof ListenError) return fail(error.message);
    throw error;
  }

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log('shutdown', { signal });
      // Alone, a second Ctrl-C ends the process at once; a worker leaves that to its primary.
      if (worker === null) {
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
      }
      resolve();
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    if (worker !== null) onPrimaryStop(() => stop('primary'));
  });
  await services.leadership.stop();
  await services.campaigns.stop();
  services.unbridge();
  await services.api.close();
  await services.acs.close(10_000);
  // Connection requests' listeners last among the network: a session in its last RPC may still want none.
  await services.stun?.close();
  await services.xmpp?.stop();
  await services.fileServer.close();
  await services.coordination.close();
  await services.store.close();
  lock?.release();
  log('stopped', {});
  return 0;
}
