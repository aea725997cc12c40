import { EngagementError } from '../../main/core/errors';

/** The AppError code a call failed with, 'no error', or the text of a non-Engagement error. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof EngagementError ? error.appError.code : String(error);
  }
}

/** The AppError a call failed with; fails the test when it did not fail with an EngagementError. */
export async function appErrorOf(promise: Promise<unknown>): Promise<import('../../preload/contract').AppError> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof EngagementError)) throw new Error(`expected an EngagementError, got ${String(error)}`, { cause: error });
    return error.appError;
  }
  throw new Error('expected the call to fail');
}
