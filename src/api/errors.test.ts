import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreError } from '../store/errors.ts';
import { ApiError, fieldOf, fromStoreError, fromValidation } from './errors.ts';

describe('API errors', () => {
  it('can carry one problem per field (details), and says nothing of them when there are none', () => {
    const error = new ApiError('invalid', 'two parameters are wrong', 'parameters', [
      { field: 'parameters[0].value', message: 'must be an unsignedInt' },
      { field: 'parameters[2].name', message: 'is not in the data model' },
    ]);
    assert.deepEqual(error.toJSON(), {
      error: {
        code: 'invalid',
        message: 'two parameters are wrong',
        field: 'parameters',
        details: [
          { field: 'parameters[0].value', message: 'must be an unsignedInt' },
          { field: 'parameters[2].name', message: 'is not in the data model' },
        ],
      },
    });
    assert.equal('details' in new ApiError('invalid', 'x').toJSON().error, false);
  });

  it('names fields the way a client writes them', () => {
    assert.equal(fieldOf(''), '');
    assert.equal(fieldOf('/wait'), 'wait');
    assert.equal(fieldOf('/parameters/0/name'), 'parameters[0].name');
    assert.equal(fieldOf('/0/op', 'filter'), 'filter[0].op');
    assert.equal(fieldOf('/a~1b/c~0d'), 'a/b.c~d');
  });

  it('turns Ajv issues into one error naming the field', () => {
    const required = fromValidation([
      { keyword: 'required', instancePath: '/parameters/1', params: { missingProperty: 'name' } },
    ]);
    assert.deepEqual(required.toJSON(), {
      error: {
        code: 'invalid',
        message: 'parameters[1].name is required',
        field: 'parameters[1].name',
      },
    });
    const extra = fromValidation([
      { keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'x' } },
    ]);
    assert.equal(extra.field, 'x');
    assert.equal(extra.message, 'x is not a known field');
    const range = fromValidation(
      [{ keyword: 'maximum', instancePath: '/wait', params: {}, message: 'must be <= 60' }],
      '',
      'querystring',
    );
    assert.equal(range.message, 'wait must be <= 60');
    const whole = fromValidation(
      [{ keyword: 'type', instancePath: '', params: {}, message: 'must be object' }],
      '',
      'body',
    );
    assert.deepEqual([whole.field, whole.message], ['body', 'body must be object']);
    const role = fromValidation(
      [
        {
          keyword: 'enum',
          instancePath: '/role',
          params: { allowedValues: ['admin', 'operator', 'read-only'] },
          message: 'must be equal to one of the allowed values',
        },
      ],
      '',
      'body',
    );
    assert.deepEqual(role.toJSON(), {
      error: {
        code: 'invalid',
        message: 'role must be one of admin, operator, read-only',
        field: 'role',
      },
    });
    const literal = fromValidation([
      { keyword: 'const', instancePath: '/on', params: { allowedValue: true } },
    ]);
    assert.equal(literal.message, 'on must be one of true');
    const named = fromValidation([
      {
        keyword: 'discriminator',
        instancePath: '',
        params: { tag: 'type', tagValue: 'bogus' },
        parentSchema: {
          oneOf: [
            { properties: { type: { const: 'reboot' } } },
            { properties: { type: { const: 'refresh' } } },
          ],
        },
      },
    ]);
    assert.equal(named.message, 'type must be one of reboot, refresh');
    const tag = fromValidation([
      { keyword: 'discriminator', instancePath: '/operations/0', params: { tag: 'operation' } },
    ]);
    assert.equal(tag.field, 'operations[0].operation');
  });

  it('maps store errors to API codes without exposing internals', () => {
    assert.equal(fromStoreError(new Error('x')), null);
    const notFound = fromStoreError(new StoreError('not-found', 'task', 'task 7 not found'));
    assert.deepEqual([notFound?.code, notFound?.status], ['not-found', 404]);
    assert.equal(fromStoreError(new StoreError('conflict', 'task', 'busy'))?.status, 409);
    assert.equal(fromStoreError(new StoreError('invalid', 'device', 'bad'))?.status, 400);
    const decrypt = fromStoreError(new StoreError('decrypt-failed', 'credential', 'row 5 key'));
    assert.deepEqual([decrypt?.code, decrypt?.message], ['internal', 'internal error']);
    assert.equal(fromStoreError(new StoreError('closed', 'store', 'closed'))?.status, 503);
  });

  it('serialises as the documented body, with field only when there is one', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(new ApiError('forbidden', 'no'))), {
      error: { code: 'forbidden', message: 'no' },
    });
  });
});
