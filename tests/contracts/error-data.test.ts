/** toErrorData: whatever was thrown becomes a message a person can read (never "[object Object]"). */
import { describe, expect, it } from 'vitest';
import { AppError, toErrorData } from '@app/core/errors';

describe('toErrorData', () => {
  it('keeps AppError, Error and error data that crossed a boundary', () => {
    expect(toErrorData(new AppError('BUSY', 'a job runs'))).toEqual({ code: 'BUSY', message: 'a job runs' });
    expect(toErrorData(new TypeError('bad'))).toEqual({ code: 'INTERNAL', message: 'bad' });
    expect(toErrorData({ code: 'FITS_CORRUPT', message: 'bad header', detail: { at: 3 } })).toEqual({
      code: 'FITS_CORRUPT',
      message: 'bad header',
      detail: { at: 3 },
    });
    expect(toErrorData({ code: 'NOT_A_CODE', message: 'x' })).toEqual({ code: 'INTERNAL', message: 'x' });
  });

  it('describes plain objects and empty throws', () => {
    for (const thrown of [{ status: 3 }, {}, Object.create(null), undefined, null]) expect(toErrorData(thrown).message).not.toMatch(/\[object|^$/);
    expect(toErrorData({ status: 3 }).message).toBe('unexpected error: {"status":3}');
  });
});
