import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataModelLoadError } from '../load-error.ts';
import { csvRowsByHeader, parseCsv } from './csv.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

function errorAt(text: string): [string, number | undefined, number | undefined] {
  try {
    parseCsv(text);
  } catch (e) {
    assert.ok(e instanceof DataModelLoadError);
    return [e.code, e.location?.line, e.location?.column];
  }
  return ['none', undefined, undefined];
}

test('plain and quoted fields, doubled quotes, commas and line breaks inside quotes', () => {
  assert.deepEqual(fields('a,b,c\r\n1,"x, y","say ""hi"""\r\n'), [
    ['a', 'b', 'c'],
    ['1', 'x, y', 'say "hi"'],
  ]);
  assert.deepEqual(fields('k,v\n"multi\nline",2\n'), [
    ['k', 'v'],
    ['multi\nline', '2'],
  ]);
});

test('empty fields, trailing delimiters, missing final newline, lone CR, BOM, blank lines', () => {
  assert.deepEqual(fields('\uFEFFa,,c,\n\n"",x'), [
    ['a', '', 'c', ''],
    ['', 'x'],
  ]);
  assert.deepEqual(fields('a\rb\r\n\r\nc'), [['a'], ['b'], ['c']]);
  assert.deepEqual(fields(''), []);
  assert.deepEqual(fields('x,'), [['x', '']]);
});

test('records remember the line they start on, quoted line breaks counted', () => {
  const records = parseCsv('h\n"a\nb"\nc\r\n"d\r\ne"\nf');
  assert.deepEqual(
    records.map((r) => r.line),
    [1, 2, 4, 5, 7],
  );
});

test('a quote inside an unquoted field is an ordinary character', () => {
  assert.deepEqual(fields('5" floppy,x'), [['5" floppy', 'x']]);
});

test('errors say where: text after a closing quote, a quote never closed', () => {
  assert.deepEqual(errorAt('a,b\n"x"y,z'), ['csv-syntax', 2, 4]);
  assert.deepEqual(errorAt('a\nb,"never closed\n\n'), ['csv-syntax', 2, 3]);
});

test('csvRowsByHeader: columns by name (trimmed, any case); every row as wide as the header', () => {
  const { header, rows } = csvRowsByHeader(' Name ,Value\nx,1\ny,2');
  assert.deepEqual(header, ['Name', 'Value']);
  assert.deepEqual(
    rows.map((r) => [r.get('name'), r.get('VALUE'), r.get('missing'), r.line]),
    [
      ['x', '1', undefined, 2],
      ['y', '2', undefined, 3],
    ],
  );
  assert.throws(
    () => csvRowsByHeader('a,b\n1,2,3'),
    (e: unknown) => e instanceof DataModelLoadError && e.location?.line === 2,
  );
  assert.throws(
    () => csvRowsByHeader(''),
    (e: unknown) => e instanceof DataModelLoadError && e.code === 'csv-header',
  );
});
