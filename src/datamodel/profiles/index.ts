/** The device profiles written in the project. */
export { DEVICE2_GATEWAY } from './device2-gateway/index.ts';
export { IGD_GATEWAY } from './igd-gateway/index.ts';
