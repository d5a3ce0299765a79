/** Device:2 gateway: Time (NTP client). */
import {
  at,
  boolean,
  CAN_DENY,
  dateTime,
  enumeration,
  object,
  type ProfilePart,
  R,
  string,
  W,
} from '../builder.ts';

export const time: ProfilePart = {
  objects: [
    object('Device.Time.', [
      W('Enable', boolean()),
      R(
        'Status',
        enumeration([
          'Disabled',
          'Unsynchronized',
          'Synchronized',
          'Error_FailedToSynchronize',
          'Error',
        ]),
      ),
      W('NTPServer1', string(64)),
      W('NTPServer2', string(64)),
      W('NTPServer3', string(64)),
      W('NTPServer4', string(64)),
      W('NTPServer5', string(64)),
      R('CurrentLocalTime', dateTime(), CAN_DENY),
      W('LocalTimeZone', string(256)),
    ]),
  ],
  values: at('Device.Time.', {
    Enable: true,
    Status: 'Synchronized',
    NTPServer1: '0.pool.ntp.org',
    NTPServer2: '1.pool.ntp.org',
    NTPServer3: '',
    NTPServer4: '',
    NTPServer5: '',
    CurrentLocalTime: '2025-01-01T12:00:00Z',
    LocalTimeZone: 'CET-1CEST,M3.5.0,M10.5.0/3',
  }),
};
