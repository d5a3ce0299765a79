/**
 * xsd:dateTime as TR-069 uses it (TR-106 §3.2), read leniently (vendor quirks 3 and 12) and written
 * conservatively.
 */
import type { ValueResult } from './values.ts';

export type CwmpDateTime =
  /** `0001-01-01T00:00:00Z`: the device does not know the time. */
  | { kind: 'unknown' }
  /** `9999-12-31T23:59:59Z`: "never" / no expiry (e.g. an infinite DHCP lease). */
  | { kind: 'infinite' }
  /** Years before 1000 count from boot: `0001-01-01T00:01:40Z` is 100 s after boot. */
  | { kind: 'relative'; secondsSinceBoot: number }
  /** `timeZone` says what the text carried: `Z`, a numeric offset, or nothing (assumed UTC). */
  | { kind: 'absolute'; date: Date; timeZone: 'utc' | 'offset' | 'none' };

export const UNKNOWN_TIME = '0001-01-01T00:00:00Z';
export const INFINITE_TIME = '9999-12-31T23:59:59Z';

// Date.UTC maps years 0-99 to 1900-1999, so build dates with setUTCFullYear.
function utcMillis(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

const YEAR_1 = utcMillis(1, 1, 1, 0, 0, 0, 0);
const YEAR_1000 = utcMillis(1000, 1, 1, 0, 0, 0, 0);
const INFINITE_LOCAL = utcMillis(9999, 12, 31, 23, 59, 59, 0);

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/*
 * The shape is checked with this pattern before any number is read; Date.parse is never used because
 * it accepts far too much. Groups: 1 year, 2 month, 3 day, 4 separator, 5 hour, 6 colon(s), 7 minute,
 * 8 colon(s), 9 second, 10 fraction, 11 Z, 12 offset sign, 13 offset hours, 14 offset colon, 15 offset minutes.
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2})(:{1,2})(\d{2})(:{1,2})(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2})(?:(:?)(\d{2}))?)?$/;

const EXPECTED = 'expected YYYY-MM-DDThh:mm:ssZ';

function shapeError(text: string): string {
  if (text === '') return 'empty value';
  if (/^[+-]?\d+$/.test(text)) return `a bare number, not a dateTime (${EXPECTED})`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `a date without a time of day (${EXPECTED})`;
  if (/^\d{5,}-/.test(text)) return `years beyond 9999 are not supported (${EXPECTED})`;
  return `not an ISO 8601 dateTime (${EXPECTED})`;
}

/** Parses a TR-069 dateTime. Accepts the malformed forms real CPEs send, each with a warning. */
export function readDateTime(raw: string): ValueResult<CwmpDateTime> {
  const fail = (reason: string): ValueResult<CwmpDateTime> => ({
    ok: false,
    error: { type: 'dateTime', raw, reason },
  });
  const text = raw.trim();
  const m = DATE_TIME.exec(text);
  if (m === null) return fail(shapeError(text));
  const [, ys, mos, ds, sep, hs, colon1, mis, colon2, ss, frac, z, sign, ohs, ocolon, oms] = m;
  const warnings: string[] = [];
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);

  // C firmware's "zero date" (struct tm left at zero) means the same as TR-106's unknown time.
  if (year === 0 && month === 0 && day === 0 && hour === 0 && minute === 0 && second === 0) {
    return { ok: true, value: { kind: 'unknown' }, warning: 'all-zero date read as unknown time' };
  }
  if (year === 0) return fail('year 0000 does not exist in xsd:dateTime');
  if (month < 1 || month > 12) return fail(`month ${mos} is out of range 01-12`);
  if (day < 1 || day > daysInMonth(year, month)) {
    return fail(`day ${ds} is out of range for ${ys}-${mos}`);
  }
  if (minute > 59) return fail(`minute ${mis} is out of range 00-59`);
  if (second > 59) return fail(`second ${ss} is out of range 00-59`);
  const fractionIsZero = frac === undefined || /^0*$/.test(frac);
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || !fractionIsZero))) {
    return fail(`hour ${hs} is out of range 00-23`);
  }

  if (sep !== 'T') warnings.push(sep === 't' ? "lowercase 't' separator" : "space instead of 'T'");
  if (colon1 === '::' || colon2 === '::') warnings.push("doubled ':' in the time repaired");
  let ms = 0;
  if (frac !== undefined) {
    ms = Number(frac.slice(0, 3).padEnd(3, '0'));
    if (frac.length > 3) warnings.push('fractional seconds beyond milliseconds truncated');
  }

  let timeZone: 'utc' | 'offset' | 'none';
  let offsetMinutes = 0;
  if (z !== undefined) {
    timeZone = 'utc';
    if (z === 'z') warnings.push("lowercase 'z' time zone");
  } else if (sign !== undefined) {
    const oh = Number(ohs);
    const om = oms === undefined ? 0 : Number(oms);
    if (oh > 14 || om > 59 || (oh === 14 && om !== 0)) {
      return fail(
        `time zone offset ${sign}${ohs}${ocolon ?? ''}${oms ?? ''} is out of range -14:00..+14:00`,
      );
    }
    if (oms === undefined) warnings.push('time zone offset without minutes');
    else if (ocolon === '') warnings.push("time zone offset without ':'");
    timeZone = 'offset';
    offsetMinutes = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    timeZone = 'none';
    warnings.push('no time zone; assumed UTC');
  }
  const local = utcMillis(year, month, day, hour, minute, second, ms);
  let value: CwmpDateTime;
  if (local === YEAR_1) {
    value = { kind: 'unknown' };
  } else if (local === INFINITE_LOCAL && offsetMinutes === 0) {
    value = { kind: 'infinite' };
  } else if (year < 1000) {
    // A boot-relative time has no zone; an offset on it would only shift the uptime, so ignore it.
    if (offsetMinutes !== 0) warnings.push('time zone offset ignored on a boot-relative time');
    value = { kind: 'relative', secondsSinceBoot: (local - YEAR_1) / 1000 };
  } else {
    value = { kind: 'absolute', date: new Date(local - offsetMinutes * 60_000), timeZone };
  }
  return warnings.length > 0
    ? { ok: true, value, warning: warnings.join('; ') }
    : { ok: true, value };
}

function checkedIso(date: Date): string {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError('formatDateTime: invalid Date');
  if (t < YEAR_1 || t > Date.UTC(9999, 11, 31, 23, 59, 59, 999)) {
    throw new RangeError('formatDateTime: year outside 0001-9999');
  }
  return date.toISOString();
}

/**
 * `2025-01-01T12:00:00Z`: UTC with `Z`, whole seconds (truncated, never rounded into the future)
 * unless `milliseconds` is set, because some CPEs reject fractional seconds (quirk 3).
 * Throws RangeError on an invalid Date or a year outside 0001-9999 (a programming error).
 */
export function formatDateTime(date: Date, opts: { milliseconds?: boolean } = {}): string {
  const iso = checkedIso(date);
  return opts.milliseconds === true ? iso : `${iso.slice(0, 19)}Z`;
}

/** The wire form of any CwmpDateTime. A relative time of 0 s formats as the unknown time. */
export function formatCwmpDateTime(
  value: CwmpDateTime,
  opts: { milliseconds?: boolean } = {},
): string {
  switch (value.kind) {
    case 'unknown':
      return UNKNOWN_TIME;
    case 'infinite':
      return INFINITE_TIME;
    case 'relative': {
      const t = YEAR_1 + value.secondsSinceBoot * 1000;
      if (!(value.secondsSinceBoot >= 0) || t >= YEAR_1000) {
        throw new RangeError('formatCwmpDateTime: secondsSinceBoot out of range');
      }
      return formatDateTime(new Date(t), opts);
    }
    case 'absolute':
      return formatDateTime(value.date, opts);
  }
}
