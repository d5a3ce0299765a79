/** A simulated device's data-model instance, copy-on-write over its profile's shared template. */
export { type ChangeSource, DeviceModel, type WriteCheck } from './device-model.ts';
export { forcedInformParameters, informParameterList } from './inform-parameters.ts';
export type { AttributeOverride } from './notifications.ts';
export { MAX_NOTIFICATION } from './notifications.ts';
export {
  DEFAULT_CPE_RPC_METHODS,
  DeviceTemplate,
  ProfileError,
  type TemplateOptions,
  templateFor,
} from './template.ts';
export {
  childrenOf,
  concretePaths,
  entryOf,
  parametersUnder,
  rootEntry,
  subtree,
  type TreeEntry,
} from './traversal.ts';
