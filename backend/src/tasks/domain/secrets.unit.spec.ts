import { MASKED_VALUE, maskAction, maskDefinition, restoreMaskedHeaders } from './secrets';
import { applyChanges, withDefaults } from './task';

describe('secret headers', () => {
  const action = {
    kind: 'http' as const,
    url: 'https://example.com',
    method: 'POST' as const,
    headers: { Authorization: 'Bearer s3cret', 'X-Api-Key': 'k', 'X-Team': 'ops' },
  };

  it('masks credentials and leaves other headers readable', () => {
    expect(maskAction(action).headers).toEqual({
      Authorization: MASKED_VALUE,
      'X-Api-Key': MASKED_VALUE,
      'X-Team': 'ops',
    });
    expect(maskAction({ kind: 'log', message: 'x' })).toEqual({ kind: 'log', message: 'x' });
    expect(maskDefinition({ name: 'n' })).toEqual({ name: 'n' });
  });

  it('keeps the stored secret when an edit sends the masked value back, and takes a new one', () => {
    const restored = restoreMaskedHeaders(
      { ...action, headers: { Authorization: MASKED_VALUE, 'X-Api-Key': 'new' } },
      action,
    );
    expect(restored).toMatchObject({ headers: { Authorization: 'Bearer s3cret', 'X-Api-Key': 'new' } });
  });

  it('does not invent a header the stored action never had', () => {
    const restored = restoreMaskedHeaders({ ...action, headers: { Cookie: MASKED_VALUE } }, action);
    expect(restored).toMatchObject({ headers: {} });
  });

  it('applies through applyChanges, so an update of a read definition keeps its secrets', () => {
    const definition = withDefaults({ name: 'n', schedule: { kind: 'interval', everySeconds: 5 }, action });
    const updated = applyChanges(definition, { action: maskAction(action) });
    expect(updated.action).toEqual(action);
  });
});
