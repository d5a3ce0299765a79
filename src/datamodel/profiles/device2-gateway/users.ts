/** Device:2 gateway: local accounts (the subscriber's web login and the operator's support account). */
import {
  at,
  boolean,
  entries,
  named,
  object,
  type ProfilePart,
  R,
  string,
  table,
  unsignedInt,
  W,
  W1,
} from '../builder.ts';

const USER = 'Device.Users.User.';

export const users: ProfilePart = {
  objects: [
    object('Device.Users.', [entries('UserNumberOfEntries')]),
    table(
      `${USER}{i}.`,
      [
        W1('Alias', named.alias()),
        W('Enable', boolean({ default: 'false' })),
        W('UserID', unsignedInt()),
        W('Username', string(64, { default: '' })),
        W('Password', string(64, { secured: true })),
        R('StaticUser', boolean({ default: 'false' })),
        W('Language', string(16, { default: '' })),
      ],
      { access: 'readWrite' },
    ),
  ],
  instances: { [USER]: [1, 2] },
  values: {
    ...at(`${USER}1.`, {
      Alias: 'cpe-admin',
      Enable: true,
      UserID: 1000,
      Username: 'admin',
      Password: 'corral-admin',
      StaticUser: true,
      Language: 'en',
    }),
    ...at(`${USER}2.`, {
      Alias: 'cpe-support',
      Enable: false,
      UserID: 1001,
      Username: 'support',
      Password: 'corral-support',
      StaticUser: true,
      Language: 'en',
    }),
  },
};
