import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataModelLoadError } from '../load-error.ts';
import { expandInternalEntities } from './doctype.ts';

const code = (f: () => unknown) => {
  try {
    f();
    return 'none';
  } catch (e) {
    assert.ok(e instanceof DataModelLoadError);
    return e.code;
  }
};

test('text without a DOCTYPE comes back unchanged', () => {
  const text = '<?xml version="1.0"?>\n<!-- hi -->\n<a x="&amp;">&lt;</a>';
  assert.equal(expandInternalEntities(text), text);
});

test('internal entities are expanded, the DOCTYPE blanked with its line breaks kept', () => {
  const text = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE doc [',
    '  <!ENTITY octet "(25[0-5]|[01]?[0-9]?[0-9])">',
    "  <!ENTITY dot '\\.'>",
    '  <!-- a comment -->',
    '  <!ENTITY quad "&octet;&dot;&octet;">',
    ']>',
    '<p v="&quad;">&amp; &unknown;</p>',
  ].join('\n');
  const out = expandInternalEntities(text);
  assert.equal(out.split('\n').length, text.split('\n').length);
  assert.match(out, /<p v="\(25\[0-5\]\|\[01\]\?\[0-9\]\?\[0-9\]\)\\\.\(25/);
  assert.match(out, /&amp; &unknown;<\/p>$/);
  assert.doesNotMatch(out, /DOCTYPE|ENTITY/);
});

test('refuses external subsets, parameter and external entities, markup in entities', () => {
  assert.equal(
    code(() => expandInternalEntities('<!DOCTYPE a SYSTEM "http://x/a.dtd"><a/>')),
    'doctype',
  );
  assert.equal(
    code(() => expandInternalEntities('<!DOCTYPE a [<!ENTITY % p "x">]><a/>')),
    'doctype',
  );
  assert.equal(
    code(() =>
      expandInternalEntities('<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>'),
    ),
    'doctype',
  );
  assert.equal(
    code(() => expandInternalEntities('<!DOCTYPE a [<!ENTITY e "<b/>">]><a>&e;</a>')),
    'doctype',
  );
  assert.equal(
    code(() => expandInternalEntities('<!DOCTYPE a [<!ELEMENT a ANY>]><a/>')),
    'doctype',
  );
  assert.equal(
    code(() => expandInternalEntities('<!DOCTYPE a [<!ENTITY e "x">')),
    'doctype',
  );
});

test('bounded expansion: a billion-laughs document is refused, not expanded', () => {
  const decls = ['<!ENTITY l0 "ha">'];
  for (let i = 1; i <= 12; i++) decls.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
  const text = `<!DOCTYPE a [${decls.join('')}]><a>&l12;</a>`;
  const started = performance.now();
  assert.equal(
    code(() => expandInternalEntities(text)),
    'doctype',
  );
  assert.ok(performance.now() - started < 1000);
  const wide = `<!DOCTYPE a [<!ENTITY e "${'x'.repeat(1000)}">]><a>${'&e;'.repeat(10_000)}</a>`;
  assert.equal(
    code(() => expandInternalEntities(wide)),
    'doctype',
  );
});
