import { KitError } from '../../src/errors';

/** Runs fn and returns the KitError it throws; fails the test if it throws nothing or something else. */
export function kitErrorOf(fn: () => unknown): KitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KitError) return error;
    throw error;
  }
  throw new Error('expected a KitError');
}
