import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatPath,
  instanceNumbers,
  isPartialPath,
  isUnder,
  joinPath,
  lastSegment,
  MAX_PATH_LENGTH,
  matchesPattern,
  type Path,
  type PathError,
  parentPath,
  parsePath,
  patternMatcher,
  rootObjectOf,
  toSchemaPath,
} from './path.ts';

function parsed(text: string): Path {
  const r = parsePath(text);
  assert.ok(r.ok, r.ok ? '' : `${text}: ${r.error.reason} at ${r.error.position}`);
  return r.value;
}

function error(text: string): PathError {
  const r = parsePath(text);
  assert.ok(!r.ok, `expected ${JSON.stringify(text)} to be rejected`);
  assert.equal(r.error.text, text);
  return r.error;
}

describe('parsePath', () => {
  it('parses a parameter path', () => {
    assert.deepEqual(parsed('Device.DeviceInfo.SoftwareVersion'), {
      segments: [
        { kind: 'name', name: 'Device' },
        { kind: 'name', name: 'DeviceInfo' },
        { kind: 'name', name: 'SoftwareVersion' },
      ],
      partial: false,
    });
  });

  it('parses partial paths, instances, wildcards and aliases', () => {
    assert.deepEqual(parsed('Device.WiFi.SSID.'), {
      segments: [
        { kind: 'name', name: 'Device' },
        { kind: 'name', name: 'WiFi' },
        { kind: 'name', name: 'SSID' },
      ],
      partial: true,
    });
    assert.deepEqual(parsed('Device.IP.Interface.2.').segments[3], {
      kind: 'instance',
      instance: 2,
    });
    assert.deepEqual(parsed('Device.IP.Interface.*.Enable').segments[3], { kind: 'wildcard' });
    assert.deepEqual(parsed('Device.IP.Interface.[cpe-wan].IPv4Address.[lan].IPAddress'), {
      segments: [
        { kind: 'name', name: 'Device' },
        { kind: 'name', name: 'IP' },
        { kind: 'name', name: 'Interface' },
        { kind: 'alias', alias: 'cpe-wan' },
        { kind: 'name', name: 'IPv4Address' },
        { kind: 'alias', alias: 'lan' },
        { kind: 'name', name: 'IPAddress' },
      ],
      partial: false,
    });
  });

  it('accepts vendor extension names and the largest instance number', () => {
    assert.ok(parsePath('Device.X_00D09E_Foo.Bar-baz_2').ok);
    assert.ok(parsePath('InternetGatewayDevice.X_EXAMPLE-COM_Thing.').ok);
    assert.ok(parsePath('_Private.x').ok);
    assert.deepEqual(parsed('Device.T.4294967295.').segments[2], {
      kind: 'instance',
      instance: 4294967295,
    });
  });

  it('treats the empty string as the root partial path', () => {
    assert.deepEqual(parsed(''), { segments: [], partial: true });
  });

  it('parses an alias containing dots as one segment', () => {
    assert.deepEqual(parsed('Device.NAT.PortMapping.[a.b.c].Enable').segments[3], {
      kind: 'alias',
      alias: 'a.b.c',
    });
  });

  it('rejects empty segments with a position', () => {
    assert.deepEqual(error('Device..X'), {
      text: 'Device..X',
      reason: 'empty segment ("..")',
      position: 7,
    });
    assert.equal(error('.Device').reason, 'path starts with "."');
    assert.equal(error('.').position, 0);
    assert.equal(error('Device.X..').position, 9);
  });

  it('rejects bad characters', () => {
    assert.deepEqual(error('Device.Dev ice'), {
      text: 'Device.Dev ice',
      reason: 'invalid character " "',
      position: 10,
    });
    assert.match(error('Device.Wi/Fi').reason, /invalid character "\/"/);
    assert.match(error('Device.Ünicode').reason, /invalid character/);
    assert.match(error('Device.5GHz').reason, /must start with a letter/);
    assert.match(error('Device.X.1a.').reason, /must start with a letter/);
    assert.match(error('Device.IP.Interface.*x.').reason, /invalid character "x"/);
    assert.match(error('Device.IP.Interface.Foo[1].').reason, /invalid character "\["/);
    assert.match(error('Device\n').reason, /invalid character/);
  });

  it('rejects over-long paths', () => {
    const long = `Device.${'A'.repeat(MAX_PATH_LENGTH - 7)}`;
    assert.equal(long.length, MAX_PATH_LENGTH);
    assert.ok(parsePath(long).ok);
    assert.deepEqual(error(`${long}B`), {
      text: `${long}B`,
      reason: 'longer than 256 characters',
      position: 256,
    });
  });

  it('rejects unbalanced brackets and bad aliases', () => {
    assert.equal(
      error('Device.IP.Interface.[cpe-wan.Enable').reason,
      "unbalanced '[': no closing ']'",
    );
    assert.equal(error('Device.IP.Interface.cpe-wan].').reason, "unbalanced ']'");
    assert.equal(error('Device.IP.Interface.[a[b]].').reason, "'[' inside an alias");
    assert.equal(error('Device.IP.Interface.[].').reason, 'empty alias');
    assert.equal(error('Device.IP.Interface.[1abc].').reason, 'alias must start with a letter');
    assert.equal(error('Device.IP.Interface.[-x].').reason, 'alias must start with a letter');
    assert.match(error(`Device.IP.Interface.[${'a'.repeat(65)}].`).reason, /longer than 64/);
    assert.ok(parsePath(`Device.IP.Interface.[${'a'.repeat(64)}].`).ok);
    assert.equal(error('Device.IP.Interface.[a\u0001].').reason, 'control character in alias');
    assert.match(error('Device.IP.Interface.[a]x.').reason, /invalid character "x"/);
  });

  it('rejects instance number 0, leading zeros and overflow', () => {
    assert.equal(
      error('Device.IP.Interface.0.').reason,
      'instance number 0 (instances start at 1)',
    );
    assert.deepEqual(error('Device.IP.Interface.01.'), {
      text: 'Device.IP.Interface.01.',
      reason: 'instance number with a leading zero',
      position: 20,
    });
    assert.match(error('Device.T.4294967296.').reason, /above 4294967295/);
  });

  it('rejects instances that do not follow a table name', () => {
    assert.equal(error('1.Device.').reason, 'path must start with an object name');
    assert.equal(error('*.X').reason, 'path must start with an object name');
    assert.equal(error('Device.T.1.2.').reason, 'an instance must follow a table name');
    assert.equal(error('Device.T.[a].*.').reason, 'an instance must follow a table name');
  });

  it('rejects a path ending in an instance without "."', () => {
    assert.equal(error('Device.IP.Interface.2').reason, 'an instance path must end with "."');
    assert.equal(error('Device.IP.Interface.*').position, 21);
    assert.ok(error('Device.IP.Interface.[wan]'));
  });
});

describe('formatPath', () => {
  it('round-trips valid paths', () => {
    for (const text of [
      '',
      'Device.',
      'Device',
      'Device.DeviceInfo.SoftwareVersion',
      'Device.IP.Interface.2.IPv4Address.1.',
      'Device.IP.Interface.*.Enable',
      'Device.IP.Interface.[cpe-wan].IPv4Address.[a.b].IPAddress',
    ]) {
      assert.equal(formatPath(parsed(text)), text);
    }
  });

  it('formats hand-built paths', () => {
    assert.equal(
      formatPath({
        segments: [
          { kind: 'name', name: 'Device' },
          { kind: 'name', name: 'Hosts' },
          { kind: 'name', name: 'Host' },
          { kind: 'instance', instance: 7 },
        ],
        partial: true,
      }),
      'Device.Hosts.Host.7.',
    );
    assert.equal(formatPath({ segments: [], partial: false }), '');
  });
});

describe('isPartialPath', () => {
  it('is true for objects and the root', () => {
    assert.ok(isPartialPath('Device.WiFi.'));
    assert.ok(isPartialPath(''));
    assert.ok(!isPartialPath('Device.WiFi.SSID.1.Enable'));
  });
});

describe('parentPath', () => {
  it('walks up one level', () => {
    assert.equal(parentPath('Device.DeviceInfo.SoftwareVersion'), 'Device.DeviceInfo.');
    assert.equal(parentPath('Device.IP.Interface.2.'), 'Device.IP.Interface.');
    assert.equal(parentPath('Device.IP.Interface.'), 'Device.IP.');
    assert.equal(parentPath('Device.'), '');
    assert.equal(parentPath('Device'), '');
    assert.equal(parentPath(''), undefined);
  });

  it('skips an alias holding dots as a whole', () => {
    assert.equal(parentPath('Device.NAT.PortMapping.[a.b].'), 'Device.NAT.PortMapping.');
    assert.equal(
      parentPath('Device.NAT.PortMapping.[a.b].Enable'),
      'Device.NAT.PortMapping.[a.b].',
    );
  });

  it('never throws on junk', () => {
    assert.equal(parentPath('.'), '');
    assert.equal(typeof parentPath('..'), 'string');
    assert.equal(parentPath(']'), '');
  });
});

describe('lastSegment', () => {
  it('returns the last segment text', () => {
    assert.equal(lastSegment('Device.DeviceInfo.SoftwareVersion'), 'SoftwareVersion');
    assert.equal(lastSegment('Device.IP.Interface.2.'), '2');
    assert.equal(lastSegment('Device.IP.Interface.*.'), '*');
    assert.equal(lastSegment('Device.IP.Interface.[cpe-wan].'), '[cpe-wan]');
    assert.equal(lastSegment('Device.NAT.PortMapping.[a.b].'), '[a.b]');
    assert.equal(lastSegment('Device'), 'Device');
    assert.equal(lastSegment('Device.'), 'Device');
    assert.equal(lastSegment(''), '');
    assert.equal(lastSegment('.'), '');
  });
});

describe('joinPath', () => {
  it('joins with single dots', () => {
    assert.equal(joinPath('Device.IP.', 'Interface', 2, 'Enable'), 'Device.IP.Interface.2.Enable');
    assert.equal(joinPath('Device.IP', 'Interface.'), 'Device.IP.Interface.');
    assert.equal(joinPath('Device.IP.Interface.', 3, ''), 'Device.IP.Interface.3');
    assert.equal(joinPath('', 'Device.'), 'Device.');
    assert.equal(
      joinPath('Device.IP.Interface', '[wan]', 'Name'),
      'Device.IP.Interface.[wan].Name',
    );
    assert.equal(joinPath(), '');
  });
});

describe('instanceNumbers', () => {
  it('lists numeric instances in order', () => {
    assert.deepEqual(instanceNumbers('Device.IP.Interface.2.IPv4Address.1.IPAddress'), [2, 1]);
    assert.deepEqual(instanceNumbers('Device.IP.Interface.10.'), [10]);
    assert.deepEqual(instanceNumbers('Device.DeviceInfo.'), []);
    assert.deepEqual(instanceNumbers(''), []);
    assert.deepEqual(instanceNumbers('Device.IP.Interface.*.IPv4Address.[x.1].A.3.'), [3]);
  });
});

describe('matchesPattern', () => {
  it('wildcards match any instance number', () => {
    assert.ok(matchesPattern('Device.WiFi.SSID.*.SSID', 'Device.WiFi.SSID.1.SSID'));
    assert.ok(matchesPattern('Device.WiFi.SSID.*.SSID', 'Device.WiFi.SSID.42.SSID'));
    assert.ok(matchesPattern('Device.A.*.B.*.C', 'Device.A.1.B.2.C'));
    assert.ok(matchesPattern('Device.WiFi.SSID.*.', 'Device.WiFi.SSID.3.'));
  });

  it('wildcards match alias instances too, but never names', () => {
    assert.ok(
      matchesPattern('Device.IP.Interface.*.Enable', 'Device.IP.Interface.[cpe-wan].Enable'),
    );
    assert.ok(matchesPattern('Device.X.*.Y', 'Device.X.[a.b].Y'));
    assert.ok(!matchesPattern('Device.WiFi.*.SSID', 'Device.WiFi.Radio.SSID'));
  });

  it('aliases and names match only themselves', () => {
    assert.ok(
      matchesPattern('Device.IP.Interface.[wan].Enable', 'Device.IP.Interface.[wan].Enable'),
    );
    assert.ok(
      !matchesPattern('Device.IP.Interface.[wan].Enable', 'Device.IP.Interface.[lan].Enable'),
    );
    assert.ok(!matchesPattern('Device.IP.Interface.[wan].Enable', 'Device.IP.Interface.1.Enable'));
    assert.ok(matchesPattern('Device.A.B', 'Device.A.B'));
    assert.ok(!matchesPattern('Device.A.B', 'Device.A.C'));
  });

  it('requires the same depth and the same partial-ness', () => {
    assert.ok(!matchesPattern('Device.WiFi.SSID.*.', 'Device.WiFi.SSID.1.SSID'));
    assert.ok(!matchesPattern('Device.WiFi.SSID.*.SSID', 'Device.WiFi.SSID.1.SSID.'));
    assert.ok(!matchesPattern('Device.WiFi.SSID.*.', 'Device.WiFi.SSID.1'));
    assert.ok(!matchesPattern('Device.WiFi.SSID.*.SSID', 'Device.WiFi.SSID.1.SSID.Extra'));
    assert.ok(!matchesPattern('Device.X.*.Y', 'Device.X.01a.Y'));
  });

  it('treats a * inside an alias literally', () => {
    assert.ok(matchesPattern('Device.X.[a*].Y', 'Device.X.[a*].Y'));
    assert.ok(!matchesPattern('Device.X.[a*].Y', 'Device.X.1.Y'));
  });

  it('patternMatcher agrees with matchesPattern', () => {
    const match = patternMatcher('Device.Hosts.Host.*.IPAddress');
    assert.ok(match('Device.Hosts.Host.1.IPAddress'));
    assert.ok(!match('Device.Hosts.Host.1.MACAddress'));
    const exact = patternMatcher('Device.A.');
    assert.ok(exact('Device.A.') && !exact('Device.A.B'));
  });
});

describe('isUnder', () => {
  it('a partial path selects itself and everything below', () => {
    assert.ok(isUnder('Device.WiFi.SSID.1.SSID', 'Device.WiFi.'));
    assert.ok(isUnder('Device.WiFi.', 'Device.WiFi.'));
    assert.ok(isUnder('Device.WiFi.SSID.1.', 'Device.WiFi.SSID.'));
    assert.ok(!isUnder('Device.WiFiX.Enable', 'Device.WiFi.'));
    assert.ok(!isUnder('Device.WiFi', 'Device.WiFi.'));
    assert.ok(!isUnder('Device.', 'Device.WiFi.'));
  });

  it('a parameter name selects only itself', () => {
    assert.ok(isUnder('Device.DeviceInfo.UpTime', 'Device.DeviceInfo.UpTime'));
    assert.ok(!isUnder('Device.DeviceInfo.UpTimeX', 'Device.DeviceInfo.UpTime'));
    assert.ok(isUnder('Device.X.3.Y', 'Device.X.*.Y'));
  });

  it('the empty path selects everything', () => {
    assert.ok(isUnder('Device.DeviceInfo.UpTime', ''));
    assert.ok(isUnder('InternetGatewayDevice.', ''));
  });

  it('honours wildcards in the prefix', () => {
    assert.ok(isUnder('Device.WiFi.SSID.1.SSID', 'Device.WiFi.SSID.*.'));
    assert.ok(isUnder('Device.WiFi.SSID.2.Stats.BytesSent', 'Device.WiFi.SSID.*.'));
    assert.ok(isUnder('Device.WiFi.SSID.2.', 'Device.WiFi.SSID.*.'));
    assert.ok(isUnder('Device.WiFi.SSID.[guest].Enable', 'Device.WiFi.SSID.*.'));
    assert.ok(!isUnder('Device.WiFi.SSID.', 'Device.WiFi.SSID.*.'));
    assert.ok(!isUnder('Device.WiFi.Radio.1.Enable', 'Device.WiFi.SSID.*.'));
    assert.ok(!isUnder('Device.WiFi.SSID.Foo.Enable', 'Device.WiFi.SSID.*.'));
    assert.ok(!isUnder('Device.X.1', 'Device.X.*.'));
  });

  it('alias prefixes select only their own instance', () => {
    assert.ok(isUnder('Device.IP.Interface.[wan].Enable', 'Device.IP.Interface.[wan].'));
    assert.ok(!isUnder('Device.IP.Interface.[wan2].Enable', 'Device.IP.Interface.[wan].'));
  });
});

describe('toSchemaPath', () => {
  it('replaces instances with {i}', () => {
    assert.equal(toSchemaPath('Device.IP.Interface.2.'), 'Device.IP.Interface.{i}.');
    assert.equal(
      toSchemaPath('Device.IP.Interface.12.IPv4Address.1.IPAddress'),
      'Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress',
    );
    assert.equal(toSchemaPath('Device.IP.Interface.*.Enable'), 'Device.IP.Interface.{i}.Enable');
    assert.equal(
      toSchemaPath('Device.IP.Interface.[cpe-wan].IPv4Address.[a.1].'),
      'Device.IP.Interface.{i}.IPv4Address.{i}.',
    );
    assert.equal(toSchemaPath('Device.IP.Interface.{i}.'), 'Device.IP.Interface.{i}.');
  });

  it('leaves names containing digits alone', () => {
    assert.equal(
      toSchemaPath('Device.IP.Interface.1.IPv6Address.'),
      'Device.IP.Interface.{i}.IPv6Address.',
    );
    assert.equal(toSchemaPath('Device.X_00D09E_2.Y'), 'Device.X_00D09E_2.Y');
    assert.equal(toSchemaPath('Device.DeviceInfo.'), 'Device.DeviceInfo.');
    assert.equal(toSchemaPath(''), '');
  });
});

describe('rootObjectOf', () => {
  it('classifies the data model', () => {
    assert.equal(rootObjectOf('Device.DeviceInfo.SoftwareVersion'), 'Device');
    assert.equal(rootObjectOf('Device.'), 'Device');
    assert.equal(rootObjectOf('Device'), 'Device');
    assert.equal(rootObjectOf('InternetGatewayDevice.WANDevice.1.'), 'InternetGatewayDevice');
    assert.equal(rootObjectOf('Devices.X'), 'other');
    assert.equal(rootObjectOf('device.X'), 'other');
    assert.equal(rootObjectOf(''), 'other');
  });
});

describe('hot path', () => {
  it('handles thousands of Inform-sized paths quickly', () => {
    const paths = Array.from(
      { length: 5000 },
      (_, i) => `Device.WiFi.SSID.${(i % 16) + 1}.Stats.X_Vendor_Counter${i}`,
    );
    const match = patternMatcher('Device.WiFi.SSID.*.Stats.X_Vendor_Counter7');
    const start = performance.now();
    let hits = 0;
    for (const p of paths) {
      if (!parsePath(p).ok) assert.fail(p);
      if (match(p)) hits++;
      if (isUnder(p, 'Device.WiFi.SSID.*.')) hits++;
      toSchemaPath(p);
    }
    assert.equal(hits, 5001);
    assert.ok(performance.now() - start < 1000);
  });
});
