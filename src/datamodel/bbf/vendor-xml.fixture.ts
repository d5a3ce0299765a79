/**
 * For tests: a vendor's Device:2 subset written in the BBF format, with a vendor extension and an IP address of a
 * named type it imports from a types file (a small stand-in for tr-106-types.xml, TYPES_XML).
 */

const p = (name: string, syntax = '<string/>', access = 'readOnly') =>
  `<parameter name="${name}" access="${access}"><syntax>${syntax}</syntax></parameter>`;

/** A vendor's Device:2 subset in the BBF format; `ms` false leaves ManagementServer out. */
export function vendorXml(options: { ms?: boolean; ipType?: string } = {}): string {
  const ip = options.ipType ?? '<dataType ref="IPv4Address"/>';
  return `<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:acme:vendor-1-0">
  <import file="tr-106-types.xml"><dataType name="IPv4Address"/></import>
  <model name="Device:2.17">
    <object name="Device." access="readOnly" minEntries="1" maxEntries="1">
      ${p('RootDataModelVersion')}
    </object>
    <object name="Device.DeviceInfo." access="readOnly" minEntries="1" maxEntries="1">
      ${['Manufacturer', 'ManufacturerOUI', 'ProductClass', 'SerialNumber', 'SoftwareVersion'].map((n) => p(n)).join('')}
      ${p('ProvisioningCode', '<string><size maxLength="64"/></string>', 'readWrite')}
    </object>
    ${
      options.ms === false
        ? ''
        : `<object name="Device.ManagementServer." access="readOnly" minEntries="1" maxEntries="1">
      ${p('URL', '<string/>', 'readWrite')}${p('ParameterKey')}${p('PeriodicInformInterval', '<unsignedInt><range minInclusive="1"/></unsignedInt>', 'readWrite')}
    </object>`
    }
    <object name="Device.IP." access="readOnly" minEntries="1" maxEntries="1">
      ${p('InterfaceNumberOfEntries', '<unsignedInt/>')}
    </object>
    <object name="Device.IP.Interface.{i}." access="readWrite" minEntries="0" maxEntries="unbounded" numEntriesParameter="InterfaceNumberOfEntries">
      ${p('Enable', '<boolean/>', 'readWrite')}${p('Alias', '<string><size maxLength="64"/></string>', 'readWrite')}
      ${p('Status', '<string><enumeration value="Down"/><enumeration value="Up"/></string>')}
      ${p('X_ACME_Vlan', '<unsignedInt><range minInclusive="1" maxInclusive="4094"/></unsignedInt>', 'readWrite')}
      ${p('IPv4AddressNumberOfEntries', '<unsignedInt/>')}
    </object>
    <object name="Device.IP.Interface.{i}.IPv4Address.{i}." access="readWrite" minEntries="0" maxEntries="unbounded" numEntriesParameter="IPv4AddressNumberOfEntries">
      ${p('IPAddress', ip, 'readWrite')}
    </object>
  </model>
</dm:document>`;
}

export const TYPES_XML = `<?xml version="1.0"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:test:types">
  <dataType name="IPv4Address"><string><size maxLength="15"/><pattern value=""/><pattern value="\\d+\\.\\d+\\.\\d+\\.\\d+"/></string></dataType>
</dm:document>`;
