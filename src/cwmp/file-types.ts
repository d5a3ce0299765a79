/** The FileType strings TR-069 defines (cwmp-spec.md §8.1); vendors add `X <OUI> <words>` forms. */
export const DOWNLOAD_FILE_TYPES = {
  firmware: '1 Firmware Upgrade Image',
  webContent: '2 Web Content',
  vendorConfiguration: '3 Vendor Configuration File',
  tone: '4 Tone File',
  ringer: '5 Ringer File',
} as const;

export const UPLOAD_FILE_TYPES = {
  vendorConfiguration: '1 Vendor Configuration File',
  vendorLog: '2 Vendor Log File',
} as const;

/** What a firmware campaign, a preset's `software` and the simulator's flashing all mean by "firmware". */
export const FIRMWARE_FILE_TYPE = DOWNLOAD_FILE_TYPES.firmware;
