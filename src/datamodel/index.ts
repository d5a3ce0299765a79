/**
 * Corral's data-model layer: typed definitions of BBF data models (objects, parameters, syntax, CWMP attributes),
 * their loaders (BBF XML, JSON and genieacs CSV parameter dumps), value validation, device profiles and the
 * profiles written in the project. Pure: loaders take text, never a path.
 */
export {
  BBF_XML_LIMITS,
  type BbfDocument,
  type BbfLoadOptions,
  loadBbfDataModel,
  parseBbfXml,
} from './bbf/load-xml.ts';
export { compareToReference, type DefinitionMismatch } from './compare.ts';
export {
  DataModel,
  DataModelError,
  type DataModelErrorCode,
  type ObjectNode,
  type ParameterNode,
  parentObjectPath,
} from './data-model.ts';
export {
  combineDataTypes,
  type DataTypeDefinition,
  type DataTypeTable,
  type Facets,
  resolveDataType,
} from './data-types.ts';
export * from './definition.ts';
export { type CsvRecord, parseCsv } from './dump/csv.ts';
export type { DumpRow } from './dump/dump-row.ts';
export { readGenieacsCsv } from './dump/genieacs-csv.ts';
export { readJsonDump } from './dump/json-dump.ts';
export {
  type DumpProfile,
  type DumpProfileOptions,
  profileFromDump,
} from './dump/profile-from-dump.ts';
export { startingValue } from './initial-value.ts';
export { DataModelLoadError, type LoadErrorCode, type LoadLocation } from './load-error.ts';
export { compilePattern } from './pattern.ts';
export {
  checkProfile,
  type DeviceProfile,
  type ProfileAttributes,
  type ProfileIssue,
  profileFromDefinition,
} from './profile.ts';
export { DEVICE2_GATEWAY, IGD_GATEWAY } from './profiles/index.ts';
export { type InstanceExists, instanceNumber, type ResolvedPath, resolvePath } from './resolve.ts';
export {
  describeSyntax,
  type ValidateOptions,
  type ValueCheck,
  type ValueFaultCode,
  validateValue,
  xsiTypeFits,
} from './validate.ts';
