/**
 * The thread that checkpoints the store's WAL (checkpointer.ts): a connection of its own to the same file,
 * copying committed pages from the WAL into the database file when the store's thread asks. It only ever runs
 * PASSIVE checkpoints: they wait for no one and make no one wait, and move nothing that is not committed.
 *
 * Plain JavaScript, run with `eval`: a worker given a .ts file would need the tsx loader, which a worker thread
 * does not inherit, and dist/ would need a copy of it. The driver is loaded from the path the store's thread
 * resolved, wherever the process was started.
 */
export const CHECKPOINT_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { driver, path, synchronous } = workerData;
let db;
try {
  const Database = require(driver);
  db = new Database(path, { fileMustExist: true });
  // A checkpoint syncs the database file before the WAL may be reused: as durable as the store's own commits.
  db.pragma('synchronous = ' + (synchronous === 'normal' ? 'NORMAL' : 'FULL'));
  // This connection checkpoints only when asked.
  db.pragma('wal_autocheckpoint = 0');
} catch (e) {
  parentPort.postMessage({ kind: 'failed', message: String(e && e.message) });
  process.exit(1);
}
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const row = checkpoint.get();
    parentPort.postMessage({ kind: 'checkpointed', frames: row.log, copied: row.checkpointed });
  } catch (e) {
    parentPort.postMessage({ kind: 'failed', message: String(e && e.message) });
  }
});
parentPort.postMessage({ kind: 'ready' });
`;
