/**
 * The CPE simulator's engine: device data models and the answers to the RPCs that read and change them. The
 * session engine (Inform, Reboot, transfers, connection requests) builds on these.
 */
export * from './methods/index.ts';
export * from './model/index.ts';
